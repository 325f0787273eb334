//! Delivers outbox messages: emails (R10) and signed webhooks, at least
//! once, retried on a schedule, dead-lettered after the last attempt.
//! Runs inside `serve` and `kontor worker`; any number of processes share
//! the work through the store's leases.
//!
//! The loop fans pending outbox messages out into deliveries, claims due
//! deliveries as long as it has free senders, sends each on its own task,
//! and a recorder writes results in batches. A slow endpoint therefore
//! holds one sender, not the whole loop.

pub mod endpoints;
pub mod mail;
pub mod webhook;

use std::sync::Arc;
use std::time::{Duration, Instant};

use kontor_core::domain::audit::{AuditAction, AuditEntry, By};
use kontor_core::domain::delivery::{Next, RetrySchedule, Verdict, next_step};
use kontor_core::domain::notify::{OutboxMessage, Recipient, RecipientRole};
use kontor_core::service::Services;
use kontor_core::store::{AttemptNext, AttemptResult, ClaimedDelivery, DeliveryTarget};
use lettre::message::Mailbox;
use serde_json::json;
use tokio::sync::{Semaphore, mpsc, watch};
use uuid::Uuid;

use crate::config::Config;
use mail::Mailer;
use webhook::WebhookSender;

/// Installs the one TLS provider kontor uses (ring) for reqwest and
/// lettre; harmless when already installed.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Outbox messages fanned out per transaction.
const FAN_OUT_BATCH: u32 = 500;
/// Results written per transaction, at most.
const RECORD_BATCH: usize = 512;
/// How often failing endpoints are looked for.
const HEALTH_EVERY: Duration = Duration::from_secs(60);

/// Delivery settings.
#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    /// Waits between attempts.
    pub schedule: RetrySchedule,
    /// Deliveries in flight at once.
    pub concurrency: usize,
    /// How long a claim reserves a delivery.
    pub lease: Duration,
    /// Sleep when nothing is due.
    pub poll: Duration,
    /// Disable endpoints failing this long without a success.
    pub disable_after: Duration,
    /// Sender of mails.
    pub from: Mailbox,
    /// Links in mails start with this.
    pub public_url: String,
}

/// The outcome of one attempt, mail or webhook.
#[derive(Debug, Clone)]
pub struct Sent {
    /// What it means for the delivery.
    pub verdict: Verdict,
    /// HTTP or SMTP status, when one came.
    pub status: Option<u16>,
    /// Readable error, `None` on success.
    pub error: Option<String>,
}

/// One sender of deliveries.
#[derive(Clone)]
pub struct Deliverer {
    services: Services,
    mailer: Mailer,
    webhooks: WebhookSender,
    config: Arc<DeliveryConfig>,
}

/// The result of one attempt and what it asks of its endpoint.
struct Done {
    result: AttemptResult,
    disable: Option<(Uuid, String, String)>,
}

impl Deliverer {
    /// From the configuration: SMTP or `.eml` files, webhook limits.
    pub fn from_config(services: Services, config: &Config) -> anyhow::Result<Deliverer> {
        install_tls_provider();
        Ok(Deliverer {
            mailer: Mailer::new(config.smtp_url.as_deref(), config.data_dir.join("mail"))?,
            webhooks: WebhookSender::new(
                Duration::from_secs(config.webhook_timeout_seconds),
                config.webhook_allow_private,
            )?,
            config: Arc::new(DeliveryConfig {
                schedule: config.retry_schedule()?,
                concurrency: config.delivery_concurrency,
                lease: Duration::from_secs(config.delivery_lease_seconds),
                poll: Duration::from_millis(config.delivery_poll_ms.max(10)),
                disable_after: Duration::from_secs(config.webhook_disable_after_hours * 3600),
                from: config.mail_from.parse()?,
                public_url: config.public_url.clone(),
            }),
            services,
        })
    }

    /// Delivers everything due now and returns how many attempts were
    /// made (tests and `kontor worker --once`).
    pub async fn drain(&self) -> anyhow::Result<usize> {
        let mut total = 0;
        // Recording results may queue messages of its own (an endpoint
        // disabled tells the operators): go round until a pass finds nothing.
        loop {
            let (_tx, rx) = watch::channel(false);
            match self.clone().run_loop(rx, true).await? {
                0 => return Ok(total),
                n => total += n,
            }
        }
    }

    /// Runs until `shutdown` turns true; lets the attempts in flight
    /// finish and records them first.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        tracing::info!(concurrency = self.config.concurrency, "delivery started");
        match self.run_loop(shutdown, false).await {
            Ok(_) => tracing::info!("delivery stopped"),
            Err(e) => tracing::error!(error = ?e, "delivery stopped"),
        }
    }

    async fn run_loop(
        self,
        mut shutdown: watch::Receiver<bool>,
        until_idle: bool,
    ) -> anyhow::Result<usize> {
        let senders = Arc::new(Semaphore::new(self.config.concurrency));
        let (done_tx, done_rx) = mpsc::channel::<Done>(self.config.concurrency * 2);
        let recorder = tokio::spawn(self.clone().record(done_rx));
        let mut attempts = 0usize;
        let mut last_health = Instant::now() - HEALTH_EVERY;
        while !*shutdown.borrow() {
            if last_health.elapsed() >= HEALTH_EVERY {
                last_health = Instant::now();
                if let Err(e) = self.disable_failing_endpoints().await {
                    tracing::warn!(error = ?e, "failed to check webhook endpoints' health");
                }
            }
            let claimed = self.claim_round(senders.available_permits()).await;
            if claimed.is_empty() {
                if until_idle {
                    // Done when nothing is in flight; otherwise wait for
                    // the attempts in flight and look once more.
                    let all = u32::try_from(self.config.concurrency).unwrap_or(u32::MAX);
                    if senders.available_permits() == self.config.concurrency {
                        break;
                    }
                    drop(senders.acquire_many(all).await?);
                    continue;
                }
                tokio::select! {
                    _ = tokio::time::sleep(self.config.poll) => {}
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            for d in claimed {
                let permit = senders.clone().acquire_owned().await?;
                let this = self.clone();
                let done_tx = done_tx.clone();
                attempts += 1;
                tokio::spawn(async move {
                    let done = this.attempt(d).await;
                    let _ = done_tx.send(done).await;
                    drop(permit);
                });
            }
            // Claim again once half the senders are free: claims of one or
            // two deliveries would cost a write transaction each.
            let half = u32::try_from(self.config.concurrency.div_ceil(2)).unwrap_or(1);
            drop(senders.acquire_many(half).await?);
        }
        let all = u32::try_from(self.config.concurrency).unwrap_or(u32::MAX);
        drop(senders.acquire_many(all).await?);
        drop(done_tx);
        recorder.await?;
        Ok(attempts)
    }

    /// The deliveries this round sends; none when the round failed, as
    /// the next one retries.
    async fn claim_round(&self, free: usize) -> Vec<ClaimedDelivery> {
        self.fan_out_and_claim(free).await.unwrap_or_else(|e| {
            tracing::error!(error = ?e, "delivery round failed; retrying");
            Vec::new()
        })
    }

    async fn fan_out_and_claim(&self, free: usize) -> anyhow::Result<Vec<ClaimedDelivery>> {
        let store = &self.services.store;
        while store
            .expand_outbox(self.services.clock.now(), FAN_OUT_BATCH)
            .await?
            == FAN_OUT_BATCH
        {}
        if free == 0 {
            return Ok(Vec::new());
        }
        let lease = time::Duration::try_from(self.config.lease)?;
        let limit = u32::try_from(free.min(RECORD_BATCH)).unwrap_or(1);
        Ok(store
            .claim_deliveries(self.services.clock.now(), lease, limit)
            .await?)
    }

    /// One attempt; never fails (a failure is a result).
    async fn attempt(&self, d: ClaimedDelivery) -> Done {
        let now = self.services.clock.now();
        let started = Instant::now();
        let (sent, disable) = match &d.target {
            DeliveryTarget::Email(r) => (self.send_mail(&d, r).await, None),
            DeliveryTarget::Webhook(endpoint) => {
                let sent = self
                    .webhooks
                    .send(endpoint, &d.message, d.event_at, now)
                    .await;
                let disable = (sent.verdict == Verdict::Gone).then(|| {
                    (
                        endpoint.id,
                        endpoint.url.clone(),
                        "the endpoint answered 410 Gone".to_owned(),
                    )
                });
                (sent, disable)
            }
        };
        let Sent {
            verdict,
            status: status_code,
            error,
        } = sent;
        let latency_ms = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
        let next = match next_step(&self.config.schedule, d.attempt, &verdict, rand::random()) {
            Next::Delivered => AttemptNext::Delivered,
            Next::Dead => AttemptNext::Dead,
            Next::RetryIn(wait) => AttemptNext::RetryAt(
                now + time::Duration::try_from(wait).unwrap_or(time::Duration::DAY),
            ),
        };
        match (&next, &error) {
            (AttemptNext::Dead, Some(e)) => {
                tracing::warn!(delivery = %d.id, attempt = d.attempt, error = %e, "delivery failed for good")
            }
            (AttemptNext::RetryAt(at), Some(e)) => {
                tracing::info!(delivery = %d.id, attempt = d.attempt, error = %e, retry_at = %at, "delivery failed; will retry")
            }
            _ => {}
        }
        metrics::counter!("kontor_delivery_attempts_total",
            "channel" => match d.target { DeliveryTarget::Email(_) => "email", DeliveryTarget::Webhook(_) => "webhook" },
            "outcome" => match next { AttemptNext::Delivered => "delivered", AttemptNext::RetryAt(_) => "retry", AttemptNext::Dead => "dead" })
        .increment(1);
        Done {
            result: AttemptResult {
                id: d.id,
                claim: d.claim,
                at: now,
                status_code,
                latency_ms,
                error,
                next,
            },
            disable,
        }
    }

    async fn send_mail(&self, d: &ClaimedDelivery, r: &Recipient) -> Sent {
        let names = self.names(&d.message).await;
        let notice = mail::render(
            &d.message,
            r,
            &names,
            &self.config.public_url,
            self.services.policy.expiry_window_days,
        );
        match mail::build(&self.config.from, d.id, r, &notice) {
            // Nothing a retry could change (an address that does not parse).
            Err(e) => Sent {
                verdict: Verdict::Gone,
                status: None,
                error: Some(format!("cannot build the mail: {e}")),
            },
            Ok(m) => self.mailer.send(d.id, m).await,
        }
    }

    /// The names of the account and partners a partner-change mail is
    /// about (the directory reads are cached). A name that cannot be read
    /// now leaves the number in the mail rather than holding it back.
    async fn names(&self, message: &OutboxMessage) -> mail::Names {
        let mut names = mail::Names::default();
        if let OutboxMessage::WindowClosing { account, .. }
        | OutboxMessage::PartnerProposal { account, .. } = message
            && let Ok(Some(a)) = self.services.account(account).await
        {
            names.by_csn.insert(a.csn.clone(), a.name);
        }
        if let OutboxMessage::DeadlinesBreached { breaches, .. } = message {
            for b in breaches.iter().take(mail::LISTED_AT_MOST) {
                if let Ok(Some(a)) = self.services.account(&b.account).await {
                    names.by_csn.insert(a.csn.clone(), a.name);
                }
            }
        }
        let OutboxMessage::PartnerChangeEmails {
            account,
            new_partner,
            old_partners,
            ..
        } = message
        else {
            return names;
        };
        if let Ok(Some(a)) = self.services.account(account).await {
            names.by_csn.insert(a.csn.clone(), a.name);
        }
        for csn in std::iter::once(new_partner).chain(old_partners) {
            if let Ok(Some(p)) = self.services.partner(csn).await {
                names.by_csn.insert(p.csn.clone(), p.name);
            }
        }
        names
    }

    /// Writes results in batches as they come; a batch that cannot be
    /// written is retried, since until it is the deliveries look claimed.
    async fn record(self, mut rx: mpsc::Receiver<Done>) {
        while let Some(first) = rx.recv().await {
            let mut batch = vec![first];
            while batch.len() < RECORD_BATCH {
                match rx.try_recv() {
                    Ok(d) => batch.push(d),
                    Err(_) => break,
                }
            }
            let results: Vec<AttemptResult> = batch.iter().map(|d| d.result.clone()).collect();
            let mut tries = 0;
            while let Err(e) = self.services.store.finish_deliveries(&results).await {
                tries += 1;
                if tries >= 20 {
                    // The leases run out and the deliveries are tried again.
                    tracing::error!(error = ?e, "failed to record delivery results; they will be retried");
                    break;
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            for (id, url, reason) in batch.into_iter().filter_map(|d| d.disable) {
                if let Err(e) = self.disable_endpoint(id, &url, &reason).await {
                    tracing::warn!(error = ?e, endpoint = %id, "failed to disable webhook endpoint");
                }
            }
        }
    }

    async fn disable_failing_endpoints(&self) -> anyhow::Result<()> {
        let now = self.services.clock.now();
        let before = now - time::Duration::try_from(self.config.disable_after)?;
        for e in self.services.store.failing_endpoints(before).await? {
            let hours = self.config.disable_after.as_secs() / 3600;
            let reason = format!("every attempt failed for more than {hours} hours");
            self.disable_endpoint(e.id, &e.url, &reason).await?;
        }
        Ok(())
    }

    /// Disables an endpoint and tells the operators, once.
    async fn disable_endpoint(&self, id: Uuid, url: &str, reason: &str) -> anyhow::Result<()> {
        let store = &self.services.store;
        let now = self.services.clock.now();
        let recipients: Vec<Recipient> = store
            .operators()
            .await?
            .iter()
            .map(|c| Recipient::of(c, RecipientRole::Operator))
            .collect();
        let message = OutboxMessage::WebhookEndpointDisabled {
            event_id: Uuid::now_v7(),
            recipients,
            endpoint: id,
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let mut audit = AuditEntry::new(
            now,
            By::System("delivery"),
            AuditAction::WebhookEndpointDisabled,
        );
        audit.before = json!({"endpoint": id, "url": url, "enabled": true});
        audit.after = json!({"endpoint": id, "enabled": false, "reason": reason});
        if store
            .disable_webhook_endpoint(id, reason, &audit, &[message])
            .await?
        {
            tracing::warn!(endpoint = %id, %url, %reason, "webhook endpoint disabled");
        }
        Ok(())
    }
}
