//! Portal sign-in sessions and the sign-in throttle's counters.

/// [`kontor_core::store::SessionStore`] for `$store`.
#[doc(hidden)]
#[macro_export]
macro_rules! sessions_body {
    ($store:ty) => {
        pub(crate) mod sessions {
            use async_trait::async_trait;
            use kontor_core::StoreResult;
            use kontor_core::domain::throttle::{Failures, Reservation, ThrottleKey};
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::domain::roles::UserId;
            use kontor_core::store::{NewSession, SessionInfo, SessionRecord, SessionStore};
            use time::OffsetDateTime;
            use $crate::rows::{FACTS_COLUMNS, FACTS_JOIN, SessionRow, USER_COLUMNS, from_ms, ms};
            use $crate::{Backend, Ctx};

            #[async_trait]
            impl SessionStore for $store {
                async fn create_session(&self, s: &NewSession) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query(
                        "INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen_at, verified_at, user_agent) \
                         VALUES ($1, $2, $3, $4, $4, $4, $5)",
                    )
                    .bind(&s.id_hash)
                    .bind(s.user_id.0.to_string())
                    .bind(&s.csrf)
                    .bind(ms(s.created_at))
                    .bind(s.user_agent.as_deref())
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to store session")?;
                    tx.commit().await.ctx("failed to commit session")
                }

                async fn session(&self, id_hash: &str) -> StoreResult<Option<SessionRecord>> {
                    let row = sqlx::query_as::<_, SessionRow>(&format!(
                        "SELECT {USER_COLUMNS}, {FACTS_COLUMNS}, s.csrf, s.created_at, s.last_seen_at, \
                         COALESCE(s.verified_at, s.created_at) AS verified_at \
                         FROM sessions s JOIN users u ON u.id = s.user_id {FACTS_JOIN} \
                         WHERE s.id_hash = $1 AND u.disabled_at IS NULL"
                    ))
                    .bind(id_hash)
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read session")?;
                    row.map(|r| {
                        Ok(SessionRecord {
                            actor: r.user.actor()?,
                            second_factor: r.facts.facts()?,
                            csrf: r.csrf,
                            created_at: from_ms(r.created_at),
                            last_seen_at: from_ms(r.last_seen_at),
                            verified_at: from_ms(r.verified_at),
                        })
                    })
                    .transpose()
                }

                async fn touch_session(&self, id_hash: &str, at: OffsetDateTime) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
                        .bind(ms(at))
                        .bind(id_hash)
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to touch session")?;
                    tx.commit().await.ctx("failed to commit session")
                }

                async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                        .bind(id_hash)
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to delete session")?;
                    tx.commit().await.ctx("failed to commit session")
                }

                async fn sessions_of(&self, user: UserId) -> StoreResult<Vec<SessionInfo>> {
                    let rows: Vec<(String, i64, i64, Option<String>)> = sqlx::query_as(
                        "SELECT id_hash, created_at, last_seen_at, user_agent FROM sessions \
                         WHERE user_id = $1 ORDER BY last_seen_at DESC, created_at DESC",
                    )
                    .bind(user.0.to_string())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read sessions")?;
                    Ok(rows
                        .into_iter()
                        .map(|(id_hash, created_at, last_seen_at, user_agent)| SessionInfo {
                            id_hash,
                            created_at: from_ms(created_at),
                            last_seen_at: from_ms(last_seen_at),
                            user_agent,
                        })
                        .collect())
                }

                async fn end_other_sessions(
                    &self,
                    user: UserId,
                    keep: &str,
                    audit: &AuditEntry,
                ) -> StoreResult<u64> {
                    let mut tx = self.write().await?;
                    let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
                        .bind(user.0.to_string())
                        .bind(keep)
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to end sessions")?
                        .rows_affected();
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit ended sessions")?;
                    Ok(ended)
                }

                async fn reserve_signin_attempt(
                    &self,
                    attempt: &str,
                    keys: &[ThrottleKey],
                    at: OffsetDateTime,
                ) -> StoreResult<Reservation> {
                    let mut tx = self.write().await?;
                    // No other attempt for these keys, of any process,
                    // counts or writes between this count and its commit.
                    Self::lock_signin_keys(&mut tx, keys).await?;
                    let mut failures = Vec::with_capacity(keys.len());
                    for k in keys {
                        let (count, oldest): (i64, Option<i64>) = sqlx::query_as(
                            "SELECT COUNT(*), MIN(at) FROM signin_failures WHERE key = $1 AND at > $2",
                        )
                        .bind(&k.key)
                        .bind(ms(at - k.window))
                        .fetch_one(&mut *tx)
                        .await
                        .ctx("failed to count failed sign-ins")?;
                        failures.push(Failures {
                            count: u32::try_from(count).unwrap_or(u32::MAX),
                            oldest: oldest.map(from_ms),
                        });
                    }
                    if keys.iter().zip(&failures).any(|(k, f)| f.count >= k.limit) {
                        return Ok(Reservation::Refused(failures));
                    }
                    for k in keys {
                        sqlx::query("INSERT INTO signin_failures (key, at, attempt) VALUES ($1, $2, $3)")
                            .bind(&k.key)
                            .bind(ms(at))
                            .bind(attempt)
                            .execute(&mut *tx)
                            .await
                            .ctx("failed to reserve a sign-in attempt")?;
                    }
                    tx.commit()
                        .await
                        .ctx("failed to commit a sign-in attempt")?;
                    Ok(Reservation::Reserved)
                }

                async fn signin_succeeded(&self, attempt: &str, account_key: &str) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query("DELETE FROM signin_failures WHERE attempt = $1 OR key = $2")
                        .bind(attempt)
                        .bind(account_key)
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to clear failed sign-ins")?;
                    tx.commit()
                        .await
                        .ctx("failed to commit clearing failed sign-ins")
                }

                async fn purge_signin_failures(&self, before: OffsetDateTime) -> StoreResult<u64> {
                    let mut tx = self.write().await?;
                    let n = sqlx::query("DELETE FROM signin_failures WHERE at < $1")
                        .bind(ms(before))
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to purge failed sign-ins")?
                        .rows_affected();
                    tx.commit()
                        .await
                        .ctx("failed to commit purging failed sign-ins")?;
                    Ok(n)
                }
            }
        }
    };
}
