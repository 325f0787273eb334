//! The worker's batch: due requests read with their context, planned by
//! the domain, and turned into the JSON the set-based writes consume.
//!
//! Each backend reads the batch its own way into [`DueRow`]s — SQLite as one
//! JSON document (one value crossing from its thread instead of thousands of
//! rows), PostgreSQL as plain rows — and writes the decisions with its own
//! statements from the same [`PlannedBatch`].

use std::collections::HashMap;

use kontor_core::domain::agreement::{Agreement, Partner};
use kontor_core::domain::audit::AuditEntry;
use kontor_core::domain::change_request::{ChangeRequest, RequestStatus};
use kontor_core::domain::notify::{Contact, OutboxMessage};
use kontor_core::domain::roles::Actor;
use kontor_core::store::{ApplyPlanner, ApplyReport, DueItem};
use kontor_core::{StoreError, StoreResult};
use time::OffsetDateTime;

use crate::rows::{AgreementRow, RequestRow, UserRow, json, ms};

/// One due request with its agreement and requester.
#[derive(serde::Deserialize, sqlx::FromRow)]
pub struct DueRow {
    id: String,
    agreement: String,
    account: String,
    old: String,
    new: String,
    status: String,
    by: String,
    created: i64,
    due: i64,
    reasons: String,
    a_account: String,
    term_start: String,
    term_end: String,
    auto_renew: i64,
    program: String,
    support_level: String,
    a_status: String,
    products: String,
    /// Current partners, comma-separated.
    partners: Option<String>,
    u_email: String,
    u_name: String,
    u_role: String,
    u_account: Option<String>,
    u_partner: Option<String>,
    u_lang: String,
    u_disabled: Option<i64>,
}

/// Due requests with the agreements and requesters they refer to.
#[derive(Default)]
pub struct DueBatch {
    /// The requests, oldest due first.
    pub due: Vec<ChangeRequest>,
    /// Agreements by number.
    pub agreements: HashMap<String, Agreement>,
    /// Requesters (still allowed to sign in) by user id.
    pub requesters: HashMap<String, Actor>,
}

impl DueBatch {
    /// Parses a JSON array of [`DueRow`]s (`None`: nothing due).
    pub fn parse(doc: Option<&str>) -> StoreResult<DueBatch> {
        let rows: Vec<DueRow> = match doc {
            Some(d) => serde_json::from_str(d)
                .map_err(|e| StoreError::Other(anyhow::anyhow!("bad due batch: {e}")))?,
            None => Vec::new(),
        };
        Self::from_rows(rows)
    }

    /// The batch of these rows.
    pub fn from_rows(rows: Vec<DueRow>) -> StoreResult<DueBatch> {
        let mut batch = DueBatch {
            due: Vec::with_capacity(rows.len()),
            agreements: HashMap::with_capacity(rows.len()),
            requesters: HashMap::new(),
        };
        for r in rows {
            let mut partners: Vec<&str> = r
                .partners
                .as_deref()
                .map(|p| p.split(',').collect())
                .unwrap_or_default();
            partners.sort_unstable();
            let agreement = Agreement::try_from(AgreementRow {
                number: r.agreement.clone(),
                account_csn: r.a_account,
                term_start: r.term_start,
                term_end: r.term_end,
                auto_renew: r.auto_renew != 0,
                program: r.program,
                support_level: r.support_level,
                status: r.a_status,
                products: r.products,
                partners: json(&partners)?,
            })?;
            let user = UserRow {
                id: r.by.clone(),
                email: r.u_email,
                name: r.u_name,
                role: r.u_role,
                account_csn: r.u_account,
                partner_csn: r.u_partner,
                lang: r.u_lang,
                password_hash: None,
                disabled_at: r.u_disabled,
                // The requester is re-checked (R8), never shown a time.
                time_zone: None,
                country: None,
            };
            // A requester whose access was removed no longer counts as an admin (R8).
            if user.disabled_at.is_none() {
                batch.requesters.insert(r.by.clone(), user.actor()?);
            }
            batch.agreements.insert(r.agreement.clone(), agreement);
            batch.due.push(ChangeRequest::try_from(RequestRow {
                id: r.id,
                agreement_number: r.agreement,
                account_csn: r.account,
                old_partners: r.old,
                new_partner_csn: r.new,
                status: r.status,
                requested_by: r.by,
                created_at: r.created,
                due_at: r.due,
                decided_at: None,
                decided_by: None,
                reasons: r.reasons,
                // The worker has no use for it (it is only ever read to
                // answer a retried submit).
                idempotency_key: None,
            })?);
        }
        Ok(batch)
    }

    /// CSNs of every partner the batch refers to (new and current), sorted.
    pub fn partner_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.due.iter().map(|r| r.new_partner.to_string()).collect();
        keys.extend(
            self.agreements
                .values()
                .flat_map(|a| a.partners.iter().map(|p| p.to_string())),
        );
        keys.sort();
        keys.dedup();
        keys
    }

    /// CSNs of the accounts whose admins are told (R10).
    pub fn account_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.due.iter().map(|r| r.account.to_string()).collect();
        keys.sort();
        keys.dedup();
        keys
    }
}

/// The final state of one request (its row's new columns).
#[derive(serde::Serialize)]
pub struct Decision {
    pub id: String,
    pub agreement: String,
    pub status: &'static str,
    pub decided_at: Option<i64>,
    /// JSON array of reason codes.
    pub reasons: String,
    /// JSON array of the partners replaced.
    pub old: String,
}

/// An applied request: `partner` becomes the agreement's partner of record.
#[derive(serde::Serialize)]
pub struct Applied {
    pub id: String,
    pub agreement: String,
    pub partner: String,
}

/// What the planner decided for a batch, ready for set-based writes.
pub struct PlannedBatch {
    /// Counts of applied and rejected requests.
    pub report: ApplyReport,
    /// One per request.
    pub decisions: Vec<Decision>,
    /// The applied ones.
    pub applied: Vec<Applied>,
    /// Audit entries to append.
    pub audit: Vec<AuditEntry>,
    /// Notifications to queue.
    pub outbox: Vec<OutboxMessage>,
}

/// Asks `planner` about every request of the batch (pure: no I/O).
pub fn plan_batch(
    batch: &DueBatch,
    partners: &HashMap<String, Partner>,
    admins: &HashMap<String, Vec<Contact>>,
    planner: &dyn ApplyPlanner,
    now: OffsetDateTime,
) -> StoreResult<PlannedBatch> {
    let mut report = ApplyReport::default();
    let mut audit = Vec::new();
    let mut outbox = Vec::new();
    let mut decisions = Vec::with_capacity(batch.due.len());
    let mut applied = Vec::new();
    for request in &batch.due {
        let agreement = batch.agreements.get(request.agreement.as_str());
        let current_partners = agreement
            .map(|a| {
                a.partners
                    .iter()
                    .filter_map(|p| partners.get(p.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        let item = DueItem {
            new_partner: partners.get(request.new_partner.as_str()),
            requester: batch.requesters.get(&request.requested_by.to_string()),
            admins: admins
                .get(request.account.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]),
            current_partners,
            agreement,
            request,
        };
        let plan = planner.plan(&item, now);
        let d = &plan.decided;
        let reasons: Vec<&str> = d.reasons.iter().map(|r| r.as_str()).collect();
        decisions.push(Decision {
            id: d.id.to_string(),
            agreement: d.agreement.as_str().to_owned(),
            status: d.status.as_str(),
            decided_at: d.decided_at.map(ms),
            reasons: json(&reasons)?,
            old: json(&d.old_partners)?,
        });
        if d.status == RequestStatus::Applied {
            applied.push(Applied {
                id: d.id.to_string(),
                agreement: d.agreement.as_str().to_owned(),
                partner: d.new_partner.as_str().to_owned(),
            });
            report.applied += 1;
        } else {
            report.rejected += 1;
        }
        audit.extend(plan.audit);
        outbox.extend(plan.outbox);
    }
    Ok(PlannedBatch {
        report,
        decisions,
        applied,
        audit,
        outbox,
    })
}

/// Cumulative timings of a worker batch's steps, printed at debug level
/// (`RUST_LOG=kontor_store_sqlite=debug` or `…postgres=debug`).
pub struct Laps {
    started: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Laps {
    pub fn start() -> Laps {
        Laps {
            started: std::time::Instant::now(),
            laps: Vec::with_capacity(4),
        }
    }

    /// Notes the time since the start under `step`.
    pub fn lap(&mut self, step: &'static str) {
        self.laps.push((step, self.started.elapsed()));
    }

    /// Logs the laps of a batch of `requests` at its commit.
    pub fn log(&self, requests: u32) {
        tracing::debug!(
            requests,
            laps = ?self.laps,
            committed = ?self.started.elapsed(),
            "apply batch timings (cumulative)"
        );
    }
}

/// The error for a batch whose requests changed state while it was being
/// applied: cannot happen while they are held (SQLite's write lock,
/// PostgreSQL's row locks); the batch refuses to half-apply if it does.
pub fn changed_during_batch(expected: u64, changed: u64) -> StoreError {
    StoreError::Other(anyhow::anyhow!(
        "{} of {} due requests changed state during the batch",
        expected - changed.min(expected),
        expected
    ))
}
