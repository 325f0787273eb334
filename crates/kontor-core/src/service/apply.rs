//! The worker's decision for each due request (R8), as pure code the store
//! calls inside its transaction.

use serde_json::json;
use time::OffsetDateTime;

use super::partner_change::contact;
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::change_request::{ChangeRequest, RequestEvent, transition};
use crate::domain::eligibility::{self, ReasonCode};
use crate::domain::ids::Csn;
use crate::domain::notify::{ChangeEvent, partner_change_emails};
use crate::domain::policy::Policy;
use crate::store::{ApplyPlan, ApplyPlanner, DueItem};

/// Re-checks R4 and R5 at apply time and decides apply or reject.
#[derive(Debug, Clone)]
pub struct Planner {
    /// The policy in force now (the expiry window may have changed).
    pub policy: Policy,
}

/// The reasons a due request may no longer be applied, empty when it may.
pub fn recheck(item: &DueItem<'_>, policy: &Policy, now: OffsetDateTime) -> Vec<ReasonCode> {
    let Some(agreement) = item.agreement else {
        return vec![ReasonCode::NotActive];
    };
    // The requester must still be an admin of *this agreement's* account:
    // a request can never move another account's agreement (R1).
    let is_admin = item.requester.is_some_and(|r| {
        r.is_admin_of(&agreement.account) && agreement.account == item.request.account
    });
    // A partner named for the renewal cannot be named while a change is
    // open, nor a change submitted while one is named.
    let e = eligibility::check(
        agreement,
        is_admin,
        None,
        false,
        eligibility::today(now),
        policy,
    );
    let mut reasons: Vec<ReasonCode> = e.reasons.iter().map(|r| r.code).collect();
    if let Err(problem) = eligibility::check_new_partner(
        &agreement.partners,
        &item.request.new_partner,
        item.new_partner,
    ) {
        reasons.push(problem.code());
    }
    reasons
}

impl ApplyPlanner for Planner {
    fn plan(&self, item: &DueItem<'_>, now: OffsetDateTime) -> ApplyPlan {
        let reasons = recheck(item, &self.policy, now);
        let req = item.request;
        let (event, decided) = if reasons.is_empty() {
            (RequestEvent::Apply, ChangeEvent::Applied)
        } else {
            (RequestEvent::Reject, ChangeEvent::Rejected)
        };
        // Due requests are read with status pending, so both events are valid.
        let status = transition(req.status, event).unwrap_or(req.status);
        let current: Vec<_> = item
            .current_partners
            .iter()
            .map(|p| p.csn.clone())
            .collect();
        let decided_req = ChangeRequest {
            status,
            decided_at: Some(now),
            decided_by: None,
            reasons: reasons.clone(),
            // Record who was actually replaced, which may differ from submit time.
            old_partners: if reasons.is_empty() {
                current.clone()
            } else {
                req.old_partners.clone()
            },
            ..req.clone()
        };
        let audit = decision_audit(req, &current, &reasons, now);
        let new_partner = item.new_partner.map(contact);
        let old: Vec<_> = item.current_partners.iter().map(|p| contact(p)).collect();
        let outbox = partner_change_emails(
            decided,
            &decided_req,
            item.admins,
            new_partner.as_ref(),
            &old,
        );
        ApplyPlan {
            decided: decided_req,
            audit,
            outbox,
        }
    }
}

/// The worker's record of its decision on `req`: applied, with the partner
/// assignment that changed (from `current`, the partners it replaced), or
/// rejected with the reasons.
fn decision_audit(
    req: &ChangeRequest,
    current: &[Csn],
    reasons: &[ReasonCode],
    now: OffsetDateTime,
) -> Vec<AuditEntry> {
    let entry = |action| {
        AuditEntry::new(now, By::System("worker"), action)
            .on(&req.account, &req.agreement)
            .request(req.id)
    };
    if reasons.is_empty() {
        vec![
            entry(AuditAction::ChangeApplied).change(
                json!({ "status": "pending" }),
                json!({ "status": "applied" }),
            ),
            entry(AuditAction::PartnerAssignmentChanged).change(
                json!({ "partners": current }),
                json!({ "partners": [req.new_partner] }),
            ),
        ]
    } else {
        vec![entry(AuditAction::ChangeRejected).change(
            json!({ "status": "pending" }),
            json!({ "status": "rejected", "reasons": reasons }),
        )]
    }
}
