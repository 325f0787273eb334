//! Queueing an outbox message's deliveries and recording their results on
//! SQLite.
//!
//! Why this differs from PostgreSQL: deliveries are inserted as multi-row
//! VALUES lists, an empty outbox is answered by a reader without taking
//! the one write lock, and a batch's results are recorded in three
//! statements over one JSON array (PostgreSQL: one statement over arrays).

use kontor_core::StoreResult;
use kontor_core::store::AttemptResult;
use kontor_store_sql::backend::DeliveryQueue;
use kontor_store_sql::deliveries::result_columns;
use kontor_store_sql::{Backend, Ctx};
use sqlx::{QueryBuilder, Sqlite};
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::rows::{json, ms};
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
        let rows = results
            .iter()
            .map(|r| {
                let at = ms(r.at);
                let (status, next, delivered) =
                    result_columns(r.next, at + i64::from(r.latency_ms));
                ResultRow {
                    id: r.id.to_string(),
                    claim: r.claim.to_string(),
                    status,
                    next,
                    delivered,
                    error: r.error.as_deref(),
                    code: r.status_code,
                    at,
                    latency: r.latency_ms,
                }
            })
            .collect::<Vec<_>>();
        let rows = json(&rows)?;
        // Three statements for the batch, not three per result: the batch
        // holds the one writer, and submits wait meanwhile (#23).
        let mut tx = self.write_background().await?;
        for (sql, what) in RECORD_RESULTS {
            sqlx::query(sql)
                .bind(&rows)
                .execute(&mut *tx)
                .await
                .ctx(what)?;
        }
        tx.commit().await.ctx("failed to commit delivery results")
    }
}

/// The attempts of a batch as rows `r`, from the JSON array bound as `?1`.
macro_rules! results {
    () => {
        "(SELECT value ->> 'id' AS id, value ->> 'claim' AS claim, value ->> 'status' AS status, \
         value ->> 'next' AS next, value ->> 'delivered' AS delivered, value ->> 'error' AS error, \
         value ->> 'code' AS code, value ->> 'at' AS at, value ->> 'latency' AS latency \
         FROM json_each(?1)) r"
    };
}

/// Recording a batch's attempts, with what each statement does. Each finds
/// its deliveries by id, one probe per result. The unary `+` keeps SQLite
/// from reading them through an index on another column instead — by
/// status it scanned every pending delivery once per result (over a
/// minute for a batch of 63 with a million pending, holding the writer).
pub(crate) const RECORD_RESULTS: [(&str, &str); 3] = [
    (
        concat!(
            "UPDATE deliveries SET status = r.status, next_attempt_at = COALESCE(r.next, next_attempt_at), \
             delivered_at = r.delivered, last_error = r.error, last_status = r.code, claim = NULL FROM ",
            results!(),
            " WHERE deliveries.id = r.id AND deliveries.claim = r.claim AND +deliveries.status = 'pending'"
        ),
        "failed to record delivery attempts",
    ),
    (
        concat!(
            "INSERT INTO delivery_attempts (delivery_id, at, status_code, latency_ms, error) \
             SELECT id, at, code, latency, error FROM ",
            results!()
        ),
        "failed to log delivery attempts",
    ),
    // An endpoint's run of failures ends with any success of the batch, or
    // starts with its first failure (as on PostgreSQL).
    (
        concat!(
            "UPDATE webhook_endpoints SET failing_since = CASE WHEN h.ok THEN NULL \
             ELSE COALESCE(failing_since, h.first_failure) END \
             FROM (SELECT d.endpoint_id, max(r.error IS NULL) AS ok, \
             min(CASE WHEN r.error IS NOT NULL THEN r.at END) AS first_failure FROM ",
            results!(),
            " JOIN deliveries d ON d.id = r.id WHERE +d.endpoint_id IS NOT NULL GROUP BY d.endpoint_id) h \
             WHERE webhook_endpoints.id = h.endpoint_id"
        ),
        "failed to update the endpoints' health",
    ),
];

/// One attempt's result, as `results!` reads it.
#[derive(serde::Serialize)]
struct ResultRow<'a> {
    id: String,
    claim: String,
    status: &'static str,
    next: Option<i64>,
    delivered: Option<i64>,
    error: Option<&'a str>,
    code: Option<u16>,
    at: i64,
    latency: u32,
}
