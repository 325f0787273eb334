//! Readiness, counts and outbox inspection.

use async_trait::async_trait;
use kontor_core::domain::notify::OutboxMessage;
use kontor_core::store::OpsStore;
use kontor_core::{StoreError, StoreResult};

use crate::rows::bad;
use kontor_store_sql::rows::COUNTED_TABLES;

use crate::{Ctx, MIGRATOR, SqliteStore};

#[async_trait]
impl OpsStore for SqliteStore {
    async fn ready(&self) -> StoreResult<()> {
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = 1")
                .fetch_one(&self.reader)
                .await
                .ctx("database not reachable")?;
        let newest = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        // A newer schema is fine for a running instance: migrations only
        // add, so instances of the previous version keep serving during a
        // rolling upgrade (a *restart* of an old binary is refused).
        if applied.unwrap_or(0) < newest {
            return Err(StoreError::Other(anyhow::anyhow!(
                "schema version {applied:?} is older than this kontor's {newest}; run kontor migrate"
            )));
        }
        Ok(())
    }

    async fn counts(&self) -> StoreResult<Vec<(String, i64)>> {
        let mut out = Vec::with_capacity(COUNTED_TABLES.len());
        for t in COUNTED_TABLES {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {t}"))
                .fetch_one(&self.reader)
                .await
                .ctx("failed to count rows")?;
            out.push((t.to_owned(), n));
        }
        Ok(out)
    }

    async fn outbox_pending(&self) -> StoreResult<Vec<OutboxMessage>> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT payload FROM outbox WHERE status = 'pending' ORDER BY seq")
                .fetch_all(&self.reader)
                .await
                .ctx("failed to read outbox")?;
        rows.iter()
            .map(|p| serde_json::from_str(p).map_err(|_| bad("outbox payload", p)))
            .collect()
    }
}
