//! Each open store beats about once a second, so that other processes can
//! tell its Idempotency-Key claims from those of a process that died (#16).

use std::time::Duration;

use kontor_core::store::OpsStore;

/// Between two beats; well inside [`kontor_core::store::INSTANCE_LEASE_MS`].
pub const EVERY: Duration = Duration::from_secs(1);

/// Beats until `pool` is closed (the store with it). A beat that fails (the
/// database away, its disk full) is logged and tried again next time; the
/// claims of this process then look abandoned to others, which is the safe
/// side: R7 still holds one open request per agreement.
pub async fn beat<S: OpsStore, DB: sqlx::Database>(store: S, pool: sqlx::Pool<DB>) {
    loop {
        if pool.is_closed() {
            return;
        }
        if let Err(e) = store.heartbeat().await {
            if pool.is_closed() {
                return;
            }
            tracing::debug!(error = ?e, "heartbeat skipped");
        }
        tokio::time::sleep(EVERY).await;
    }
}
