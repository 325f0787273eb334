//! Queueing an outbox message's deliveries and recording their results on
//! PostgreSQL.
//!
//! Why this differs from SQLite: deliveries are inserted and results
//! recorded for a whole batch in one statement over arrays (SQLite:
//! multi-row VALUES lists, one statement per result).

use kontor_core::StoreResult;
use kontor_core::store::AttemptResult;
use kontor_store_sql::backend::DeliveryQueue;
use kontor_store_sql::deliveries::result_columns;
use kontor_store_sql::{Backend, Ctx};
use time::OffsetDateTime;

use crate::PgStore;
use crate::rows::ms;
use crate::shared::deliveries::{hand_over, pending_fan_out};

impl DeliveryQueue for PgStore {
    async fn expand_outbox_batch(&self, now: OffsetDateTime, limit: u32) -> StoreResult<u32> {
        let mut tx = self.write().await?;
        let (ids, planned) = pending_fan_out(&mut tx, limit).await?;
        if ids.is_empty() {
            return Ok(0);
        }
        let col = |f: fn(&kontor_store_sql::deliveries::NewDelivery) -> Option<String>| {
            planned.iter().map(f).collect::<Vec<_>>()
        };
        sqlx::query(
            "INSERT INTO deliveries (id, outbox_id, channel, recipient, endpoint_id, next_attempt_at, created_at) \
             SELECT id, outbox_id, channel, recipient, endpoint_id, $6, $6 \
             FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) \
               AS t(id, outbox_id, channel, recipient, endpoint_id) \
             ON CONFLICT DO NOTHING",
        )
        .bind(col(|d| Some(d.id.clone())))
        .bind(col(|d| Some(d.outbox_id.clone())))
        .bind(col(|d| Some(d.channel.to_owned())))
        .bind(col(|d| d.recipient.clone()))
        .bind(col(|d| d.endpoint_id.clone()))
        .bind(ms(now))
        .execute(&mut *tx)
        .await
        .ctx("failed to queue deliveries")?;
        hand_over(tx, &ids, now).await
    }

    async fn finish_delivery_batch(&self, results: &[AttemptResult]) -> StoreResult<()> {
        let (mut ids, mut claims, mut statuses, mut nexts, mut delivered) =
            (vec![], vec![], vec![], vec![], vec![]);
        let (mut errors, mut codes, mut ats, mut latencies) = (vec![], vec![], vec![], vec![]);
        for r in results {
            let at = ms(r.at);
            let (status, next, done) = result_columns(r.next, at + i64::from(r.latency_ms));
            ids.push(r.id.to_string());
            claims.push(r.claim.to_string());
            statuses.push(status);
            nexts.push(next);
            delivered.push(done);
            errors.push(r.error.clone());
            codes.push(r.status_code.map(i64::from));
            ats.push(at);
            latencies.push(i64::from(r.latency_ms));
        }
        // One statement: the deliveries' states (under their claims only),
        // the log, and each endpoint's run of failures (ended by a success).
        sqlx::query(
            "WITH r AS (SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::int8[], $5::int8[], \
                 $6::text[], $7::int8[], $8::int8[], $9::int8[]) \
                 AS r(id, claim, status, next_at, delivered_at, error, code, at, latency)), \
             upd AS (UPDATE deliveries d SET status = r.status, next_attempt_at = COALESCE(r.next_at, d.next_attempt_at), \
                 delivered_at = r.delivered_at, last_error = r.error, last_status = r.code, claim = NULL \
                 FROM r WHERE d.id = r.id AND d.claim = r.claim AND d.status = 'pending' RETURNING d.id), \
             log AS (INSERT INTO delivery_attempts (delivery_id, at, status_code, latency_ms, error) \
                 SELECT id, at, code, latency, error FROM r) \
             UPDATE webhook_endpoints e SET failing_since = CASE WHEN h.ok THEN NULL ELSE COALESCE(e.failing_since, h.first_failure) END \
             FROM (SELECT d.endpoint_id, bool_or(r.error IS NULL) AS ok, \
                     min(r.at) FILTER (WHERE r.error IS NOT NULL) AS first_failure \
                   FROM r JOIN deliveries d ON d.id = r.id WHERE d.endpoint_id IS NOT NULL GROUP BY d.endpoint_id) h \
             WHERE e.id = h.endpoint_id",
        )
        .bind(&ids)
        .bind(&claims)
        .bind(&statuses)
        .bind(&nexts)
        .bind(&delivered)
        .bind(&errors)
        .bind(&codes)
        .bind(&ats)
        .bind(&latencies)
        .execute(self.reader())
        .await
        .ctx("failed to record delivery attempts")?;
        Ok(())
    }
}
