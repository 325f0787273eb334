//! The background worker: applies due partner changes (R8) and purges old
//! idempotency keys. Runs inside `serve` and alone as `kontor worker`.
//!
//! Each round is one store transaction, so a crash at any instant leaves
//! every request either untouched (and picked up again) or fully applied.

use std::time::Duration;

use kontor_core::service::Services;
use kontor_core::service::apply::Planner;
use kontor_core::store::ApplyReport;
use tokio::sync::watch;

/// How often old idempotency keys are purged.
const PURGE_EVERY: Duration = Duration::from_secs(600);

/// Worker settings.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Requests per transaction.
    pub batch: u32,
    /// Sleep when nothing is due.
    pub poll: Duration,
    /// How long idempotency keys are kept.
    pub keep_keys: time::Duration,
    /// Days before the change window closes on which admins are reminded.
    pub reminder_days: Vec<i64>,
}

/// How often reminders, renewals, passed deadlines and escalations are
/// looked for: each reminder, breach and escalation is told once,
/// whenever; a partner named for a renewal takes over within this time
/// after the renewal date.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Applies everything due now; returns what it did.
pub async fn drain_due(services: &Services, batch: u32) -> anyhow::Result<ApplyReport> {
    let planner = Planner {
        policy: services.policy.clone(),
    };
    let mut total = ApplyReport::default();
    loop {
        let done = services
            .store
            .apply_due(services.clock.now(), batch, &planner)
            .await?;
        let report = done.report;
        // Only the decided agreements changed — and, where a change was
        // applied, which partners serve their accounts. The rest of the
        // cache stays warm while a backlog drains.
        services.cache.forget(&done.agreements, report.applied > 0);
        total.applied += report.applied;
        total.rejected += report.rejected;
        metrics::counter!("kontor_requests_applied_total").increment(u64::from(report.applied));
        metrics::counter!("kontor_requests_rejected_total").increment(u64::from(report.rejected));
        if report.total() < batch {
            return Ok(total);
        }
    }
}

/// Ends every request whose new partner did not answer in time
/// (acceptance policy); returns how many.
pub async fn expire_unanswered(services: &Services, batch: u32) -> anyhow::Result<u32> {
    let mut total = 0;
    loop {
        let n = services.expire_unanswered(batch).await?;
        total += n;
        metrics::counter!("kontor_requests_expired_total").increment(u64::from(n));
        if n < batch {
            return Ok(total);
        }
    }
}

/// Runs until `shutdown` turns true; finishes the round in flight first.
pub async fn run(services: Services, config: WorkerConfig, mut shutdown: watch::Receiver<bool>) {
    tracing::info!(batch = config.batch, "worker started");
    let mut last_purge = std::time::Instant::now() - PURGE_EVERY;
    let mut last_sweep = std::time::Instant::now() - SWEEP_EVERY;
    while !*shutdown.borrow() {
        match drain_due(&services, config.batch).await {
            Ok(r) if r.total() > 0 => {
                tracing::info!(
                    applied = r.applied,
                    rejected = r.rejected,
                    "applied due partner changes"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = ?e, "worker round failed; retrying"),
        }
        match expire_unanswered(&services, config.batch).await {
            Ok(n) if n > 0 => tracing::info!(expired = n, "expired unanswered partner changes"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = ?e, "expiring unanswered requests failed; retrying"),
        }
        if last_sweep.elapsed() >= SWEEP_EVERY {
            last_sweep = std::time::Instant::now();
            match services.send_window_reminders(&config.reminder_days).await {
                Ok(n) if n > 0 => tracing::info!(mails = n, "reminded admins of closing windows"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = ?e, "sending reminders failed; retrying"),
            }
            match services.apply_due_renewals(config.batch).await {
                Ok(r) => {
                    metrics::counter!("kontor_renewals_applied_total")
                        .increment(u64::from(r.applied));
                    if r.applied + r.rejected + r.lapsed > 0 {
                        tracing::info!(
                            applied = r.applied,
                            rejected = r.rejected,
                            lapsed = r.lapsed,
                            "decided partners named for renewals"
                        );
                    }
                }
                Err(e) => tracing::warn!(error = ?e, "deciding renewals failed; retrying"),
            }
            match services.tell_breaches().await {
                Ok(n) => {
                    metrics::counter!("kontor_deadlines_breached_total").increment(u64::from(n));
                    if n > 0 {
                        tracing::warn!(breaches = n, "told operators of passed support deadlines");
                    }
                }
                Err(e) => tracing::warn!(error = ?e, "telling breached deadlines failed; retrying"),
            }
            match services.escalate_unanswered().await {
                Ok(n) => {
                    metrics::counter!("kontor_requests_escalated_total").increment(u64::from(n));
                    if n > 0 {
                        tracing::info!(escalated = n, "escalated unanswered partner changes");
                    }
                }
                Err(e) => {
                    tracing::warn!(error = ?e, "escalating unanswered changes failed; retrying")
                }
            }
        }
        if last_purge.elapsed() >= PURGE_EVERY {
            last_purge = std::time::Instant::now();
            let before = services.clock.now() - config.keep_keys;
            match services.store.purge_keys(before).await {
                Ok(n) if n > 0 => tracing::info!(purged = n, "purged old idempotency keys"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = ?e, "failed to purge idempotency keys"),
            }
            // Failed sign-ins matter for one window at most (a day is the
            // longest window the configuration allows).
            let day_ago = services.clock.now() - time::Duration::DAY;
            if let Err(e) = services.store.purge_signin_failures(day_ago).await {
                tracing::warn!(error = ?e, "failed to purge failed sign-ins");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(config.poll) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!("worker stopped");
}
