//! Fanning outbox messages out, claiming deliveries and recording their
//! results on PostgreSQL.
//!
//! Why this differs from SQLite: fan-out and claims take rows with
//! `FOR UPDATE SKIP LOCKED`, so any number of processes share the work. A
//! claim is a lease, not a held transaction (sending takes network time):
//! it moves `next_attempt_at` to the end of the lease, so a crashed
//! sender's deliveries come back by themselves, and only the claim's
//! holder may record the result. Results are recorded for a whole batch
//! in one statement over arrays.

use kontor_core::StoreResult;
use kontor_core::store::{AttemptResult, ClaimedDelivery, WebhookEndpoint};
use kontor_store_sql::deliveries::{
    CLAIMED_COLUMNS, ClaimedRow, ENDPOINT_COLUMNS, EndpointRow, PendingOutboxRow, plan_fan_out,
    result_columns,
};
use kontor_store_sql::{Backend, Ctx};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::PgStore;
use crate::rows::ms;

pub(crate) async fn expand_outbox(
    store: &PgStore,
    now: OffsetDateTime,
    limit: u32,
) -> StoreResult<u32> {
    let mut tx = store.write().await?;
    let rows: Vec<PendingOutboxRow> = sqlx::query_as(
        "SELECT id, payload FROM outbox WHERE status = 'pending' ORDER BY next_attempt_at LIMIT $1 \
         FOR UPDATE SKIP LOCKED",
    )
    .bind(i64::from(limit))
    .fetch_all(&mut *tx)
    .await
    .ctx("failed to read the outbox")?;
    if rows.is_empty() {
        return Ok(0);
    }
    let endpoints: Vec<WebhookEndpoint> = sqlx::query_as::<_, EndpointRow>(&format!(
        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints e WHERE e.enabled"
    ))
    .fetch_all(&mut *tx)
    .await
    .ctx("failed to read webhook endpoints")?
    .into_iter()
    .map(TryInto::try_into)
    .collect::<StoreResult<_>>()?;
    let planned = plan_fan_out(&rows, &endpoints)?;
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
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    sqlx::query("UPDATE outbox SET status = 'delivered', delivered_at = $1 WHERE id = ANY($2)")
        .bind(ms(now))
        .bind(&ids)
        .execute(&mut *tx)
        .await
        .ctx("failed to mark outbox messages handed over")?;
    tx.commit().await.ctx("failed to commit fan-out")?;
    Ok(u32::try_from(rows.len()).unwrap_or(u32::MAX))
}

pub(crate) async fn claim(
    store: &PgStore,
    now: OffsetDateTime,
    lease: time::Duration,
    limit: u32,
) -> StoreResult<Vec<ClaimedDelivery>> {
    let claim = Uuid::now_v7().to_string();
    let mut tx = store.write().await?;
    let seqs: Vec<i64> = sqlx::query_scalar(
        "UPDATE deliveries SET claim = $1, next_attempt_at = $2, attempts = attempts + 1 \
         WHERE seq IN (SELECT d.seq FROM deliveries d \
           WHERE d.status = 'pending' AND d.next_attempt_at <= $3 \
             AND NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = d.endpoint_id AND NOT e.enabled) \
           ORDER BY d.next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED) \
         RETURNING seq",
    )
    .bind(&claim)
    .bind(ms(now + lease))
    .bind(ms(now))
    .bind(i64::from(limit))
    .fetch_all(&mut *tx)
    .await
    .ctx("failed to claim deliveries")?;
    if seqs.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<ClaimedRow> = sqlx::query_as(&format!(
        "SELECT {CLAIMED_COLUMNS} FROM deliveries d JOIN outbox o ON o.id = d.outbox_id \
         LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id \
         WHERE d.seq = ANY($1) ORDER BY d.seq"
    ))
    .bind(&seqs)
    .fetch_all(&mut *tx)
    .await
    .ctx("failed to read claimed deliveries")?;
    tx.commit().await.ctx("failed to commit claim")?;
    rows.into_iter().map(TryInto::try_into).collect()
}

pub(crate) async fn finish(store: &PgStore, results: &[AttemptResult]) -> StoreResult<()> {
    if results.is_empty() {
        return Ok(());
    }
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
    .execute(store.reader())
    .await
    .ctx("failed to record delivery attempts")?;
    Ok(())
}
