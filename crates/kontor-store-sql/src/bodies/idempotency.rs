//! Idempotency-Key records (R7).

/// [`kontor_core::store::IdempotencyStore`] for `$store`.
#[doc(hidden)]
#[macro_export]
macro_rules! idempotency_body {
    ($store:ty) => {
        pub(crate) mod idempotency {
            use async_trait::async_trait;
            use kontor_core::StoreResult;
            use kontor_core::store::{Claim, IdempotencyKey, IdempotencyStore};
            use time::OffsetDateTime;
            use $crate::backend::Conn;
            use $crate::rows::{ClaimRow, ms};
            use $crate::{Backend, Ctx};

            #[async_trait]
            impl IdempotencyStore for $store {
                async fn claim_key(
                    &self,
                    k: &IdempotencyKey,
                    now: OffsetDateTime,
                    stale_before: OffsetDateTime,
                ) -> StoreResult<Claim> {
                    let mut tx = self.write().await?;
                    // Insert first: of two concurrent first uses exactly one inserts;
                    // the other waits for it (on the primary key, or on SQLite's
                    // write lock), then reads its row.
                    let started = sqlx::query(
                        "INSERT INTO idempotency_keys (user_id, scope, key, fingerprint, state, created_at, updated_at, owner, attempt) \
                         VALUES ($1, $2, $3, $4, 'running', $5, $5, $6, $7) ON CONFLICT DO NOTHING",
                    )
                    .bind(k.user.0.to_string())
                    .bind(&k.scope)
                    .bind(&k.key)
                    .bind(&k.fingerprint)
                    .bind(ms(now))
                    .bind(self.instance())
                    .bind(k.attempt.to_string())
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to store idempotency key")?
                    .rows_affected()
                        == 1;
                    let claim = if started {
                        Claim::Started
                    } else {
                        existing_claim(self, &mut tx, k, now, stale_before).await?
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
                        "UPDATE idempotency_keys SET state = 'done', status = $1, body = $2, updated_at = $3 \
                         WHERE user_id = $4 AND scope = $5 AND key = $6 AND attempt = $7",
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
                        "DELETE FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3 \
                         AND state = 'running' AND attempt = $4",
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
                    let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
                        .bind(ms(before))
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to purge idempotency keys")?;
                    tx.commit().await.ctx("failed to commit purge")?;
                    Ok(done.rows_affected())
                }
            }

            /// The claim on a key that was used before: a replay, a mismatch, a
            /// request still running — or one whose process died, taken over.
            async fn existing_claim(
                store: &$store,
                tx: &mut Conn<$store>,
                k: &IdempotencyKey,
                now: OffsetDateTime,
                stale_before: OffsetDateTime,
            ) -> StoreResult<Claim> {
                // Whether a claim's owner still beats (database time, never the
                // injected clock).
                let row: Option<ClaimRow> = sqlx::query_as(&format!(
                    "SELECT fingerprint, state, status, body, updated_at, owner, \
                     EXISTS (SELECT 1 FROM _instances i WHERE i.id = idempotency_keys.owner \
                       AND i.alive_until > {}) AS owner_alive \
                     FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3 {}",
                    <$store as Backend>::NOW_MS,
                    <$store as Backend>::FOR_UPDATE,
                ))
                .bind(k.user.0.to_string())
                .bind(&k.scope)
                .bind(&k.key)
                .fetch_optional(&mut *tx)
                .await
                .ctx("failed to read idempotency key")?;
                Ok(match row {
                    // Purged between the two statements: the caller may retry.
                    None => Claim::InFlight,
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
                    Some(r) if r.abandoned(store.instance(), ms(stale_before)) => {
                        // The first attempt's process died mid-request; let this one run.
                        sqlx::query(
                            "UPDATE idempotency_keys SET updated_at = $1, owner = $2, attempt = $6 \
                             WHERE user_id = $3 AND scope = $4 AND key = $5",
                        )
                        .bind(ms(now))
                        .bind(store.instance())
                        .bind(k.user.0.to_string())
                        .bind(&k.scope)
                        .bind(&k.key)
                        .bind(k.attempt.to_string())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to take over idempotency key")?;
                        Claim::Started
                    }
                    Some(_) => Claim::InFlight,
                })
            }
        }
    };
}
