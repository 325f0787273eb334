//! kontor's storage on PostgreSQL: several `kontor serve` instances and
//! `kontor worker` processes share one database.
//!
//! The schema, constraints and answers are those of the SQLite backend
//! (see `migrations/`); what differs is concurrency. Writers run in plain
//! READ COMMITTED transactions and rely on the database's row locks and
//! unique indexes: the one-open-request rule (R7) is a partial unique
//! index, workers claim due requests with `FOR UPDATE SKIP LOCKED`, and
//! the audit feed that keeps other instances' read caches fresh follows
//! committed transactions rather than sequence numbers.

mod apply;
mod backend;
mod coalesced_reads;
mod deliveries;
mod group_commit;
mod import;
mod writes;

/// Every store operation whose SQL is the same on SQLite.
mod shared {
    kontor_store_sql::store_bodies!(crate::PgStore, crate::MIGRATOR);
}

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use kontor_store_sql::rows;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

/// The migrations embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Connection settings (from kontor's configuration).
#[derive(Debug, Clone)]
pub struct PgSettings {
    /// Most connections this process opens (up to three of them serve the
    /// batched reads and submits).
    pub max_connections: u32,
    /// Longest a statement may run before PostgreSQL cancels it.
    pub statement_timeout: Duration,
    /// How long a transaction may sit idle holding locks (a worker's claimed
    /// batch among them) before PostgreSQL ends its session: the lease expiry.
    pub lease: Duration,
    /// Longest a caller waits for a free connection (or for the database to
    /// answer at all) before the request fails.
    pub acquire_timeout: Duration,
}

impl Default for PgSettings {
    fn default() -> Self {
        PgSettings {
            max_connections: 16,
            statement_timeout: Duration::from_secs(30),
            lease: Duration::from_secs(60),
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

/// PostgreSQL-backed [`kontor_core::store::Store`].
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    /// Connections of the batched hot paths (generic plans only).
    batch_pool: PgPool,
    /// Queue of the group-committed submits.
    submits: tokio::sync::mpsc::Sender<kontor_store_sql::batching::SubmitJob>,
    /// Queue of the coalesced agreement reads.
    reads: tokio::sync::mpsc::Sender<coalesced_reads::ReadJob>,
    /// This process's id as the owner of Idempotency-Key claims.
    instance: std::sync::Arc<str>,
}

impl PgStore {
    /// Connects lazily: the pool opens connections when first needed, so a
    /// process starts (and reports not ready) while the database is down.
    pub fn connect(url: &str, settings: &PgSettings) -> anyhow::Result<PgStore> {
        let ms = |d: Duration| d.as_millis().to_string();
        let options = PgConnectOptions::from_str(url)
            .context("invalid PostgreSQL URL")?
            .application_name("kontor")
            .options([
                ("statement_timeout", ms(settings.statement_timeout)),
                ("idle_in_transaction_session_timeout", ms(settings.lease)),
                ("lock_timeout", ms(settings.statement_timeout)),
            ]);
        let pool_of = |size: u32, options: PgConnectOptions| {
            PgPoolOptions::new()
                .max_connections(size)
                .acquire_timeout(settings.acquire_timeout)
                // Connections broken by a database restart are noticed and replaced.
                .test_before_acquire(false)
                // A transaction that failed to end (its COMMIT or ROLLBACK
                // lost with the connection's answer, a disk that filled)
                // must not be handed to the next caller (#16).
                .before_acquire(|conn, _| {
                    Box::pin(async move {
                        use sqlx::Connection as _;
                        Ok(!conn.is_in_transaction())
                    })
                })
                .idle_timeout(Duration::from_secs(300))
                .connect_lazy_with(options)
        };
        // The batched hot paths (coalesced agreement reads, group-committed
        // submits) bind arrays. PostgreSQL would plan such a statement anew
        // at every execution — the custom plan for the arrays at hand always
        // looks cheaper than the generic one — and that planning was a sixth
        // of a submit's CPU in the benchmark.
        // They get connections of their own that keep one generic plan;
        // every other statement is planned as PostgreSQL sees fit.
        // A generic plan lives as long as the connection (or until the next
        // ANALYZE): one made while a table was empty would scan the table
        // for every key it looks up once the table has grown — measured:
        // submits fell from thousands to 1,000/s within seconds after a
        // VACUUM ANALYZE of an empty installation. Every statement on these
        // connections looks up keys, so they never scan a table whole.
        let total = settings.max_connections.max(2);
        let batched = (total / 2).clamp(1, 3);
        let pool = pool_of(total - batched, options.clone());
        let batch_pool = pool_of(
            batched,
            options.options([
                ("plan_cache_mode", "force_generic_plan"),
                ("enable_seqscan", "off"),
            ]),
        );
        let submits = group_commit::start(batch_pool.clone());
        let reads = coalesced_reads::start(batch_pool.clone());
        let store = PgStore {
            pool,
            batch_pool,
            submits,
            reads,
            instance: uuid::Uuid::now_v7().to_string().into(),
        };
        tokio::spawn(kontor_store_sql::heartbeat::beat(
            store.clone(),
            store.pool.clone(),
        ));
        Ok(store)
    }

    /// Connects and brings the schema up to date (what `serve` does at start).
    pub async fn connect_and_migrate(url: &str, settings: &PgSettings) -> anyhow::Result<PgStore> {
        let store = Self::connect(url, settings)?;
        store.migrate().await?;
        Ok(store)
    }

    /// The connection pool (for copying data in and for tests).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Closes the pool (graceful shutdown). This process's claims are given
    /// up first, so retries elsewhere need not wait for its lease.
    pub async fn close(&self) {
        if let Err(e) = self.leave().await {
            tracing::debug!(error = ?e, "could not sign off this process");
        }
        self.batch_pool.close().await;
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests;
