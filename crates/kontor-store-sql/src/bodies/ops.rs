//! Readiness, the processes' heartbeats, counts and outbox inspection.

/// [`kontor_core::store::OpsStore`] for `$store`, and its `leave`.
#[doc(hidden)]
#[macro_export]
macro_rules! ops_body {
    ($store:ty, $migrator:path) => {
        pub(crate) mod ops {
            use async_trait::async_trait;
            use kontor_core::domain::notify::OutboxMessage;
            use kontor_core::store::{INSTANCE_LEASE_MS, OpsStore};
            use kontor_core::{StoreError, StoreResult};
            use $crate::rows::{COUNTED_TABLES, bad};
            use $crate::{Backend, Ctx};

            #[async_trait]
            impl OpsStore for $store {
                async fn ready(&self) -> StoreResult<()> {
                    let applied: Option<i64> =
                        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                            .fetch_one(self.reader())
                            .await
                            .ctx("database not reachable")?;
                    let newest = $migrator.iter().map(|m| m.version).max().unwrap_or(0);
                    // A newer schema is fine for a running instance: migrations only
                    // add, so instances of the previous version keep serving during a
                    // rolling upgrade (a *restart* of an old binary is refused).
                    if applied.unwrap_or(0) < newest {
                        return Err(StoreError::Other(anyhow::anyhow!(
                            "schema version {applied:?} is older than this kontor's {newest}; run kontor migrate"
                        )));
                    }
                    // Reading is not enough: with a full disk every read answers while
                    // no write commits (#16). One row, rewritten through the writer.
                    let mut tx = self.write().await?;
                    sqlx::query(&format!("UPDATE _write_probe SET probed_at = {} WHERE id = 1", Self::NOW_MS))
                        .execute(&mut *tx)
                        .await
                        .ctx("a write to the database failed")?;
                    tx.commit()
                        .await
                        .ctx("a write to the database could not commit")
                }

                async fn heartbeat(&self) -> StoreResult<()> {
                    let now = Self::NOW_MS;
                    let mut tx = self.write().await?;
                    sqlx::query(&format!(
                        "INSERT INTO _instances (id, started_at, alive_until) VALUES ($1, {now}, {now} + $2) \
                         ON CONFLICT (id) DO UPDATE SET alive_until = excluded.alive_until"
                    ))
                    .bind(self.instance())
                    .bind(INSTANCE_LEASE_MS)
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to beat")?;
                    // Processes that ended without signing off, gone for an hour.
                    sqlx::query(&format!("DELETE FROM _instances WHERE alive_until < {now} - 3600000"))
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to forget ended processes")?;
                    tx.commit().await.ctx("failed to commit a beat")
                }

                async fn counts(&self) -> StoreResult<Vec<(String, i64)>> {
                    let mut out = Vec::with_capacity(COUNTED_TABLES.len());
                    for t in COUNTED_TABLES {
                        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {t}"))
                            .fetch_one(self.reader())
                            .await
                            .ctx("failed to count rows")?;
                        out.push((t.to_owned(), n));
                    }
                    Ok(out)
                }

                async fn outbox_pending(&self) -> StoreResult<Vec<OutboxMessage>> {
                    let rows: Vec<String> =
                        sqlx::query_scalar("SELECT payload FROM outbox WHERE status = 'pending' ORDER BY seq")
                            .fetch_all(self.reader())
                            .await
                            .ctx("failed to read outbox")?;
                    rows.iter()
                        .map(|p| serde_json::from_str(p).map_err(|_| bad("outbox payload", p)))
                        .collect()
                }
            }

            impl $store {
                /// Applies pending migrations; refuses a database migrated by a
                /// newer kontor. Migrations only add (tables, columns with
                /// defaults, indexes), so instances of the previous version keep
                /// serving while it runs.
                pub async fn migrate(&self) -> anyhow::Result<()> {
                    use anyhow::Context as _;
                    let newest_known = $migrator.iter().map(|m| m.version).max().unwrap_or(0);
                    let applied: Option<i64> =
                        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
                            .fetch_optional(self.writer())
                            .await
                            .ok()
                            .flatten();
                    if let Some(v) = applied
                        && v > newest_known
                    {
                        anyhow::bail!(
                            "the database schema (version {v}) is newer than this kontor knows (version {newest_known}); upgrade kontor"
                        );
                    }
                    $migrator
                        .run(self.writer())
                        .await
                        .context("failed to run migrations")?;
                    // Beat at once: until the first beat, this process's claims would
                    // look abandoned to others.
                    if let Err(e) = self.heartbeat().await {
                        tracing::debug!(error = ?e, "first heartbeat failed");
                    }
                    Ok(())
                }

                /// Signs this process off (graceful shutdown): its running claims are
                /// abandoned from now on, so a retry elsewhere takes them over at once.
                pub(crate) async fn leave(&self) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query("DELETE FROM _instances WHERE id = $1")
                        .bind(self.instance())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to sign off")?;
                    tx.commit().await.ctx("failed to commit signing off")
                }
            }
        }
    };
}
