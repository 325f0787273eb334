//! Wiring: the store, clock and services from the configuration, and the
//! HTTP server with its in-process worker.

use std::sync::Arc;

use anyhow::Context;
use kontor_core::clock::{Clock, ManualClock, SystemClock};
use kontor_core::service::Services;
use kontor_core::service::cache::ReadCache;
use kontor_core::store::Store;
use kontor_store_postgres::{PgSettings, PgStore};
use kontor_store_sqlite::SqliteStore;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::Config;
use crate::web::{self, AppState};
use crate::worker::{self, WorkerConfig};

/// The clock the configuration asks for.
pub fn clock(config: &Config) -> anyhow::Result<Arc<dyn Clock>> {
    Ok(match config.pinned_clock()? {
        Some(at) => Arc::new(ManualClock::new(at)),
        None => Arc::new(SystemClock),
    })
}

/// Opens the store named by the configuration and migrates it.
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    if let Some(url) = &config.database_url {
        if is_postgres(url) {
            let store = PgStore::connect_and_migrate(url, &pg_settings(config))
                .await
                .context("failed to open the PostgreSQL database")?;
            return Ok(Arc::new(store));
        }
        let path = kontor_store_sqlite::path_from_url(url)?;
        return Ok(Arc::new(
            SqliteStore::open_and_migrate(&path, config.read_connections).await?,
        ));
    }
    let path = config.sqlite_path();
    let store = SqliteStore::open_and_migrate(&path, config.read_connections)
        .await
        .with_context(|| format!("failed to open the embedded database at {}", path.display()))?;
    Ok(Arc::new(store))
}

/// Whether a database URL names PostgreSQL.
pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// PostgreSQL connection settings from the configuration.
pub fn pg_settings(config: &Config) -> PgSettings {
    let secs = std::time::Duration::from_secs;
    PgSettings {
        max_connections: config.database_max_connections,
        statement_timeout: secs(config.database_statement_timeout_seconds),
        lease: secs(config.worker_lease_seconds),
        acquire_timeout: secs(config.database_acquire_timeout_seconds),
    }
}

/// Services from a store and clock.
pub fn services(config: &Config, store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Services {
    Services {
        store,
        clock,
        policy: config.policy(),
        cache: Arc::new(ReadCache::new(config.read_cache)),
    }
}

/// Feeds other processes' writes into the read cache from the audit log
/// until `shutdown` turns true. Each backend's feed misses no committed
/// entry (see `AuditStore::changes_since`).
pub async fn follow_audit_feed(
    services: Services,
    every: std::time::Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut last = match services.store.feed_position().await {
        Ok(h) => h,
        Err(e) => {
            tracing::warn!(error = ?e, "cannot read the feed position");
            0
        }
    };
    // Since when the feed has been held back by a long transaction.
    let mut stuck_since: Option<std::time::Instant> = None;
    while !*shutdown.borrow() {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => break,
        }
        loop {
            match services.store.changes_since(last).await {
                Ok(feed) => {
                    services.cache.apply_feed(&feed);
                    // A long transaction (an import, another program's
                    // batch) holds PostgreSQL's feed back; others' commits
                    // behind it would stay invisible. Past a bound, stop
                    // trusting the cache until the feed moves again.
                    if feed.position == last && feed.behind {
                        let since = *stuck_since.get_or_insert_with(std::time::Instant::now);
                        if since.elapsed() >= MAX_FEED_STALL {
                            services.cache.clear();
                        }
                    } else {
                        stuck_since = None;
                    }
                    last = feed.position;
                    if !feed.more {
                        break;
                    }
                }
                Err(e) => {
                    // Unknown what changed meanwhile: start cold.
                    tracing::warn!(error = ?e, "audit feed failed; clearing the read cache");
                    services.cache.clear();
                    break;
                }
            }
        }
    }
}

/// Longest the read cache trusts a feed that a long transaction holds back.
const MAX_FEED_STALL: std::time::Duration = std::time::Duration::from_secs(2);

/// Worker settings from the configuration.
pub fn worker_config(config: &Config) -> WorkerConfig {
    WorkerConfig {
        batch: config.worker_batch,
        poll: std::time::Duration::from_secs(config.worker_poll_seconds.max(1)),
        keep_keys: time::Duration::hours(config.idempotency_hours),
        // Checked when the configuration was loaded.
        reminder_days: config.reminder_offsets().unwrap_or_default(),
    }
}

/// Serves HTTP on `listener` (and runs the worker when `with_worker`) until
/// `shutdown` turns true; in-flight requests finish first.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    with_worker: bool,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let worker = if with_worker {
        let deliverer =
            crate::delivery::Deliverer::from_config(state.services.clone(), &state.config)?;
        let apply = tokio::spawn(worker::run(
            state.services.clone(),
            worker_config(&state.config),
            shutdown.clone(),
        ));
        let deliver = tokio::spawn(deliverer.run(shutdown.clone()));
        Some(async move {
            apply.await.ok();
            deliver.await.ok();
        })
    } else {
        None
    };
    if state.config.read_cache {
        let every = std::time::Duration::from_millis(state.config.cache_poll_ms.max(10));
        tokio::spawn(follow_audit_feed(
            state.services.clone(),
            every,
            shutdown.clone(),
        ));
    }
    let limits = web::connections::Limits::of(&state.config);
    let app = web::router(state);
    web::connections::serve(listener, app, limits, shutdown)
        .await
        .context("HTTP server failed")?;
    if let Some(w) = worker {
        w.await;
    }
    Ok(())
}

/// A watch channel that turns true on SIGTERM or Ctrl-C.
pub fn shutdown_signal() -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(s) => s,
                    Err(_) => {
                        ctrl_c.await.ok();
                        tx.send(true).ok();
                        return;
                    }
                };
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        ctrl_c.await.ok();
        tracing::info!("shutting down");
        tx.send(true).ok();
    });
    rx
}
