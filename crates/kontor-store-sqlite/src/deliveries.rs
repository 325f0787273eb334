//! Fanning outbox messages out, claiming deliveries and recording their
//! results on SQLite.
//!
//! A claim moves `next_attempt_at` to the end of the lease, so a claimed
//! delivery is simply not due until its lease runs out; a crashed sender's
//! deliveries come back by themselves and no scan has to step over leases.
//!
//! Why this differs from PostgreSQL: the one write lock serialises claims,
//! so they need no row locks, and results are recorded one statement per
//! delivery (PostgreSQL: one statement per batch, over arrays).

use kontor_core::StoreResult;
use kontor_core::store::{AttemptResult, ClaimedDelivery, WebhookEndpoint};
use kontor_store_sql::deliveries::{
    CLAIMED_COLUMNS, ClaimedRow, ENDPOINT_COLUMNS, EndpointRow, PendingOutboxRow, plan_fan_out,
    result_columns,
};
use kontor_store_sql::{Backend, Ctx};
use sqlx::{QueryBuilder, Sqlite};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::SqliteStore;
use crate::rows::{json, ms};

/// Deliveries per multi-row INSERT (six values each).
const CHUNK: usize = 500;

pub(crate) async fn expand_outbox(
    store: &SqliteStore,
    now: OffsetDateTime,
    limit: u32,
) -> StoreResult<u32> {
    // The delivery loop asks before every claim; an empty outbox is
    // answered by a reader, without taking the one write lock.
    let pending: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM outbox WHERE status = 'pending')")
            .fetch_one(store.reader())
            .await
            .ctx("failed to read the outbox")?;
    if !pending {
        return Ok(0);
    }
    let mut tx = store.write().await?;
    let rows: Vec<PendingOutboxRow> = sqlx::query_as(
        "SELECT id, payload FROM outbox WHERE status = 'pending' ORDER BY next_attempt_at LIMIT ?",
    )
    .bind(i64::from(limit))
    .fetch_all(&mut *tx)
    .await
    .ctx("failed to read the outbox")?;
    if rows.is_empty() {
        return Ok(0);
    }
    let endpoints: Vec<WebhookEndpoint> = sqlx::query_as::<_, EndpointRow>(&format!(
        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints e WHERE e.enabled = 1"
    ))
    .fetch_all(&mut *tx)
    .await
    .ctx("failed to read webhook endpoints")?
    .into_iter()
    .map(TryInto::try_into)
    .collect::<StoreResult<_>>()?;
    let planned = plan_fan_out(&rows, &endpoints)?;
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
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    sqlx::query(
        "UPDATE outbox SET status = 'delivered', delivered_at = ? \
         WHERE id IN (SELECT value FROM json_each(?))",
    )
    .bind(ms(now))
    .bind(json(&ids)?)
    .execute(&mut *tx)
    .await
    .ctx("failed to mark outbox messages handed over")?;
    tx.commit().await.ctx("failed to commit fan-out")?;
    Ok(u32::try_from(rows.len()).unwrap_or(u32::MAX))
}

pub(crate) async fn claim(
    store: &SqliteStore,
    now: OffsetDateTime,
    lease: time::Duration,
    limit: u32,
) -> StoreResult<Vec<ClaimedDelivery>> {
    let claim = Uuid::now_v7().to_string();
    let until = ms(now + lease);
    let mut tx = store.write().await?;
    let seqs: Vec<i64> = sqlx::query_scalar(
        "UPDATE deliveries SET claim = ?, next_attempt_at = ?, attempts = attempts + 1 \
         WHERE seq IN (SELECT d.seq FROM deliveries d LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id \
           WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (d.endpoint_id IS NULL OR e.enabled = 1) \
           ORDER BY d.next_attempt_at LIMIT ?) \
         RETURNING seq",
    )
    .bind(&claim)
    .bind(until)
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
         WHERE d.seq IN (SELECT value FROM json_each(?)) ORDER BY d.seq"
    ))
    .bind(json(&seqs)?)
    .fetch_all(&mut *tx)
    .await
    .ctx("failed to read claimed deliveries")?;
    tx.commit().await.ctx("failed to commit claim")?;
    rows.into_iter().map(TryInto::try_into).collect()
}

pub(crate) async fn finish(store: &SqliteStore, results: &[AttemptResult]) -> StoreResult<()> {
    if results.is_empty() {
        return Ok(());
    }
    let mut tx = store.write().await?;
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
