//! Queueing an outbox message's deliveries and recording their results on
//! SQLite.
//!
//! Why this differs from PostgreSQL: deliveries are inserted as multi-row
//! VALUES lists, an empty outbox is answered by a reader without taking
//! the one write lock, and results are recorded one statement per delivery
//! (PostgreSQL: one statement per batch, over arrays).

use kontor_core::StoreResult;
use kontor_core::store::AttemptResult;
use kontor_store_sql::backend::DeliveryQueue;
use kontor_store_sql::deliveries::result_columns;
use kontor_store_sql::{Backend, Ctx};
use sqlx::{QueryBuilder, Sqlite};
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::rows::ms;
use crate::shared::deliveries::{hand_over, pending_fan_out};

/// Deliveries per multi-row INSERT (six values each).
const CHUNK: usize = 500;

impl DeliveryQueue for SqliteStore {
    async fn expand_outbox_batch(&self, now: OffsetDateTime, limit: u32) -> StoreResult<u32> {
        // The delivery loop asks before every claim; an empty outbox is
        // answered by a reader, without taking the one write lock.
        let pending: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM outbox WHERE status = 'pending')")
                .fetch_one(self.reader())
                .await
                .ctx("failed to read the outbox")?;
        if !pending {
            return Ok(0);
        }
        let mut tx = self.write_background().await?;
        let (ids, planned) = pending_fan_out(&mut tx, limit).await?;
        if ids.is_empty() {
            return Ok(0);
        }
        for chunk in planned.chunks(CHUNK) {
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO deliveries (id, outbox_id, channel, recipient, endpoint_id, next_attempt_at, created_at) ",
            );
            q.push_values(chunk, |mut b, d| {
                b.push_bind(&d.id)
                    .push_bind(&d.outbox_id)
                    .push_bind(d.channel)
                    .push_bind(&d.recipient)
                    .push_bind(&d.endpoint_id)
                    .push_bind(ms(now))
                    .push_bind(ms(now));
            });
            q.push(" ON CONFLICT DO NOTHING");
            q.build()
                .execute(&mut *tx)
                .await
                .ctx("failed to queue deliveries")?;
        }
        hand_over(tx, &ids, now).await
    }

    async fn finish_delivery_batch(&self, results: &[AttemptResult]) -> StoreResult<()> {
        let mut tx = self.write_background().await?;
        for r in results {
            let at = ms(r.at);
            let (status, next, delivered) = result_columns(r.next, at + i64::from(r.latency_ms));
            let id = r.id.to_string();
            sqlx::query(
                "UPDATE deliveries SET status = ?, next_attempt_at = COALESCE(?, next_attempt_at), \
                 delivered_at = ?, last_error = ?, last_status = ?, claim = NULL \
                 WHERE id = ? AND claim = ? AND status = 'pending'",
            )
            .bind(status)
            .bind(next)
            .bind(delivered)
            .bind(&r.error)
            .bind(r.status_code.map(i64::from))
            .bind(&id)
            .bind(r.claim.to_string())
            .execute(&mut *tx)
            .await
            .ctx("failed to record a delivery attempt")?;
            sqlx::query(
                "INSERT INTO delivery_attempts (delivery_id, at, status_code, latency_ms, error) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&id)
            .bind(at)
            .bind(r.status_code.map(i64::from))
            .bind(i64::from(r.latency_ms))
            .bind(&r.error)
            .execute(&mut *tx)
            .await
            .ctx("failed to log a delivery attempt")?;
            // An endpoint's run of failures ends with any success.
            let failing_since = if r.error.is_none() { None } else { Some(at) };
            sqlx::query(
                "UPDATE webhook_endpoints SET failing_since = CASE WHEN ? IS NULL THEN NULL ELSE COALESCE(failing_since, ?) END \
                 WHERE id = (SELECT endpoint_id FROM deliveries WHERE id = ?)",
            )
            .bind(failing_since)
            .bind(failing_since)
            .bind(&id)
            .execute(&mut *tx)
            .await
            .ctx("failed to update the endpoint's health")?;
        }
        tx.commit().await.ctx("failed to commit delivery results")
    }
}
