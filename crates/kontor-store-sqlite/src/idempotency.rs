//! Idempotency-Key records (R7).

use async_trait::async_trait;
use kontor_core::StoreResult;
use kontor_core::store::{Claim, IdempotencyKey, IdempotencyStore};
use time::OffsetDateTime;

use crate::rows::ms;
use crate::{Ctx, SqliteStore};
use kontor_store_sql::rows::ClaimRow;

/// Whether a claim's owner still beats (database time, never the injected clock).
const OWNER_ALIVE: &str = "EXISTS (SELECT 1 FROM _instances i WHERE i.id = idempotency_keys.owner \
     AND i.alive_until > CAST(unixepoch('subsec') * 1000 AS INTEGER)) AS owner_alive";

#[async_trait]
impl IdempotencyStore for SqliteStore {
    async fn claim_key(
        &self,
        k: &IdempotencyKey,
        now: OffsetDateTime,
        stale_before: OffsetDateTime,
    ) -> StoreResult<Claim> {
        let mut tx = self.write().await?;
        let row: Option<ClaimRow> = sqlx::query_as(&format!(
            "SELECT fingerprint, state, status, body, updated_at, owner, {OWNER_ALIVE} \
             FROM idempotency_keys WHERE user_id = ? AND scope = ? AND key = ?",
        ))
        .bind(k.user.0.to_string())
        .bind(&k.scope)
        .bind(&k.key)
        .fetch_optional(&mut *tx)
        .await
        .ctx("failed to read idempotency key")?;
        let claim = match row {
            None => {
                sqlx::query(
                    "INSERT INTO idempotency_keys (user_id, scope, key, fingerprint, state, created_at, updated_at, owner, attempt) \
                     VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?)",
                )
                .bind(k.user.0.to_string())
                .bind(&k.scope)
                .bind(&k.key)
                .bind(&k.fingerprint)
                .bind(ms(now))
                .bind(ms(now))
                .bind(&*self.instance)
                .bind(k.attempt.to_string())
                .execute(&mut *tx)
                .await
                .ctx("failed to store idempotency key")?;
                Claim::Started
            }
            Some(r) if r.fingerprint != k.fingerprint => Claim::Mismatch,
            Some(ClaimRow {
                state,
                status: Some(status),
                body: Some(body),
                ..
            }) if state == "done" => Claim::Replay {
                status: status as u16,
                body,
            },
            Some(r) if r.abandoned(&self.instance, ms(stale_before)) => {
                // The first attempt's process died mid-request; let this one run.
                sqlx::query(
                    "UPDATE idempotency_keys SET updated_at = ?, owner = ?, attempt = ? \
                     WHERE user_id = ? AND scope = ? AND key = ?",
                )
                .bind(ms(now))
                .bind(&*self.instance)
                .bind(k.attempt.to_string())
                .bind(k.user.0.to_string())
                .bind(&k.scope)
                .bind(&k.key)
                .execute(&mut *tx)
                .await
                .ctx("failed to take over idempotency key")?;
                Claim::Started
            }
            Some(_) => Claim::InFlight,
        };
        tx.commit().await.ctx("failed to commit idempotency key")?;
        Ok(claim)
    }

    async fn complete_key(
        &self,
        k: &IdempotencyKey,
        status: u16,
        body: &[u8],
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "UPDATE idempotency_keys SET state = 'done', status = ?, body = ?, updated_at = ? \
             WHERE user_id = ? AND scope = ? AND key = ? AND attempt = ?",
        )
        .bind(i64::from(status))
        .bind(body)
        .bind(ms(now))
        .bind(k.user.0.to_string())
        .bind(&k.scope)
        .bind(&k.key)
        .bind(k.attempt.to_string())
        .execute(&mut *tx)
        .await
        .ctx("failed to complete idempotency key")?;
        tx.commit().await.ctx("failed to commit idempotency key")
    }

    async fn release_key(&self, k: &IdempotencyKey) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "DELETE FROM idempotency_keys WHERE user_id = ? AND scope = ? AND key = ? \
             AND state = 'running' AND attempt = ?",
        )
        .bind(k.user.0.to_string())
        .bind(&k.scope)
        .bind(&k.key)
        .bind(k.attempt.to_string())
        .execute(&mut *tx)
        .await
        .ctx("failed to release idempotency key")?;
        tx.commit().await.ctx("failed to commit idempotency key")
    }

    async fn purge_keys(&self, before: OffsetDateTime) -> StoreResult<u64> {
        let mut tx = self.write().await?;
        let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < ?")
            .bind(ms(before))
            .execute(&mut *tx)
            .await
            .ctx("failed to purge idempotency keys")?;
        tx.commit().await.ctx("failed to commit purge")?;
        Ok(done.rows_affected())
    }
}
