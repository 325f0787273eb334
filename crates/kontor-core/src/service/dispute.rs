//! Disputes (#22 point 4): a partner a pending change would replace objects
//! within the processing window; the change is held until a support agent
//! or operator releases it (it is then applied at the worker's next round,
//! R8 checked again) or upholds it (the change is rejected, with a note the
//! customer reads). Each step is one transaction with its audit entry and
//! mails.

use serde_json::json;
use uuid::Uuid;

use super::Services;
use super::partner_change::contact;
use super::support::written;
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::change_request::{ChangeRequest, RequestId, RequestStatus};
use crate::domain::dispute::{Dispute, DisputeStatus, MAX_TEXT, Refusal, may_dispute};
use crate::domain::eligibility::ReasonCode;
use crate::domain::notify::{ChangeEvent, OutboxMessage, support_emails};
use crate::domain::permissions::Permission;
use crate::domain::roles::Actor;
use crate::domain::sla::Deadlines;
use crate::error::{Error, Result, StoreError, Text};
use crate::store::Scope;

/// Most disputes listed at once.
const LISTED: u32 = 200;

impl Services {
    /// Staff of a partner `request` would replace dispute it with `reason`
    /// (1–2000 characters) while it is pending and not yet due. The change
    /// is held; the customer's admins, the new partner and support are
    /// told.
    pub async fn file_dispute(
        &self,
        actor: &Actor,
        id: RequestId,
        reason: &str,
    ) -> Result<Dispute> {
        // R1: a request the caller may not see is not found.
        let request = self.request(actor, id).await?;
        let now = self.clock.now();
        let partner = may_dispute(actor, &request, now).map_err(|refusal| match refusal {
            Refusal::NotReplaced => Error::Forbidden(Text::new(
                "forbidden-dispute",
                "only a partner the change would replace disputes it",
            )),
            Refusal::WindowClosed => window_closed(),
        })?;
        let reason = written(
            reason,
            "reason",
            "dispute-reason-empty",
            "expected why the change should not be made",
            MAX_TEXT,
        )
        .map_err(|e| Error::Invalid(vec![e]))?;
        let state = self
            .store
            .agreement_state(&Scope::All, &request.agreement)
            .await?
            .ok_or(Error::NotFound("agreement"))?;
        let level = state.agreement.support_level;
        let due = Deadlines::of(
            level,
            now,
            &self.policy.first_response,
            &self.policy.resolution,
        );
        let dispute = Dispute {
            id: Uuid::now_v7(),
            request: request.id,
            agreement: request.agreement.clone(),
            account: request.account.clone(),
            partner,
            filed_by: actor.user_id,
            reason,
            filed_at: now,
            support_level: level,
            respond_by: due.respond_by,
            resolve_by: due.resolve_by,
            status: DisputeStatus::Open,
            decided_by: None,
            decided_at: None,
            decision_note: None,
        };
        let audit = AuditEntry::new(now, By::Person(actor), AuditAction::ChangeDisputed)
            .on(&request.account, &request.agreement)
            .request(request.id)
            .change(
                json!({ "status": request.status }),
                json!({ "status": request.status, "held": true, "dispute": dispute.id, "partner": dispute.partner }),
            );
        let admins = self.account_admins(&request.account).await?;
        let new_partner = self
            .partner(&request.new_partner)
            .await?
            .map(|p| contact(&p));
        let agents = self.store.support_agents().await?;
        let mail = support_emails(
            ChangeEvent::Disputed,
            &request,
            (&admins, new_partner.as_ref(), &agents),
            None,
        );
        let result = self.store.file_dispute(&dispute, &audit, &[mail]).await;
        self.cache.invalidate_agreement(&request.agreement);
        match result {
            Ok(()) => Ok(dispute),
            // Applied, withdrawn or due in the meantime.
            Err(StoreError::NotFound) => Err(window_closed()),
            Err(StoreError::Conflict(_)) => Err(Error::Conflict {
                code: "already_disputed",
                detail: Text::new(
                    "already-disputed",
                    "this change was disputed already; support decides on it",
                ),
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// A dispute the caller may see: vendor staff every one, partner staff
    /// their partner's (R1: another's is not found).
    pub async fn dispute(&self, actor: &Actor, id: Uuid) -> Result<Dispute> {
        self.store
            .dispute(&Scope::of(actor), id)
            .await?
            .ok_or(Error::NotFound("dispute"))
    }

    /// Disputes the caller may see: all newest first, or the open ones the
    /// deadline to meet next first.
    pub async fn disputes(&self, actor: &Actor, open_only: bool) -> Result<Vec<Dispute>> {
        if actor.account().is_some() {
            return Err(Error::Forbidden(Text::new(
                "forbidden-disputes",
                "disputes are read by the vendor's staff and the partner that filed them",
            )));
        }
        Ok(self
            .store
            .disputes(&Scope::of(actor), open_only, LISTED)
            .await?)
    }

    /// The dispute of a request the caller saw, as far as they may read it:
    /// the partner's reason only for vendor staff and the disputing
    /// partner.
    pub async fn dispute_of(
        &self,
        actor: &Actor,
        request: &ChangeRequest,
    ) -> Result<Option<Dispute>> {
        let Some(mut d) = self.store.dispute_of(request.id).await? else {
            return Ok(None);
        };
        let staff = actor.account().is_none() && actor.partner().is_none();
        if !staff && actor.partner() != Some(&d.partner) {
            d.reason.clear();
        }
        Ok(Some(d))
    }

    /// A support agent or operator lets a disputed change proceed, with an
    /// optional note: the worker applies it at its next round (R8 checked
    /// again). The admins, the new partner and the disputing partner are
    /// told.
    pub async fn release_dispute(&self, actor: &Actor, id: Uuid, note: &str) -> Result<Dispute> {
        let (dispute, request) = self.open_dispute(actor, id).await?;
        let note = match note.trim() {
            "" => None,
            _ => Some(decision_note(note)?),
        };
        let now = self.clock.now();
        let released = Dispute {
            status: DisputeStatus::Released,
            decided_by: Some(actor.user_id),
            decided_at: Some(now),
            decision_note: note,
            ..dispute
        };
        let audit = AuditEntry::new(now, By::Person(actor), AuditAction::DisputeReleased)
            .on(&request.account, &request.agreement)
            .request(request.id)
            .change(
                json!({ "held": true, "dispute": released.id }),
                json!({ "held": false, "note": released.decision_note }),
            );
        let outbox = self.emails(ChangeEvent::DisputeReleased, &request).await?;
        self.decide(released, None, vec![audit], outbox, &request)
            .await
    }

    /// A support agent or operator agrees with the disputing partner: the
    /// change is rejected with `dispute_upheld` and `note` (required: the
    /// customer reads it). Everyone told of a rejection is told.
    pub async fn uphold_dispute(&self, actor: &Actor, id: Uuid, note: &str) -> Result<Dispute> {
        let (dispute, request) = self.open_dispute(actor, id).await?;
        let note = decision_note(note)?;
        let now = self.clock.now();
        let upheld = Dispute {
            status: DisputeStatus::Upheld,
            decided_by: Some(actor.user_id),
            decided_at: Some(now),
            decision_note: Some(note),
            ..dispute
        };
        let rejected = ChangeRequest {
            status: RequestStatus::Rejected,
            decided_at: Some(now),
            decided_by: Some(actor.user_id),
            reasons: vec![ReasonCode::DisputeUpheld],
            ..request.clone()
        };
        let audit = vec![
            AuditEntry::new(now, By::Person(actor), AuditAction::DisputeUpheld)
                .on(&request.account, &request.agreement)
                .request(request.id)
                .change(
                    json!({ "held": true, "dispute": upheld.id }),
                    json!({ "note": upheld.decision_note }),
                ),
            AuditEntry::new(now, By::Person(actor), AuditAction::ChangeRejected)
                .on(&request.account, &request.agreement)
                .request(request.id)
                .change(
                    json!({ "status": request.status }),
                    json!({ "status": RequestStatus::Rejected, "reasons": [ReasonCode::DisputeUpheld] }),
                ),
        ];
        let outbox = self.emails(ChangeEvent::Rejected, &rejected).await?;
        self.decide(upheld, Some(&rejected), audit, outbox, &request)
            .await
    }

    /// An open dispute and its request, for support's decision.
    async fn open_dispute(&self, actor: &Actor, id: Uuid) -> Result<(Dispute, ChangeRequest)> {
        Error::unless_may(actor, Permission::ResolveSupportCases)?;
        let dispute = self.dispute(actor, id).await?;
        if dispute.status != DisputeStatus::Open {
            return Err(dispute_decided());
        }
        let request = self
            .store
            .request(&Scope::All, dispute.request)
            .await?
            .ok_or(Error::NotFound("partner change"))?;
        Ok((dispute, request))
    }

    async fn decide(
        &self,
        decided: Dispute,
        rejected: Option<&ChangeRequest>,
        audit: Vec<AuditEntry>,
        outbox: Vec<OutboxMessage>,
        request: &ChangeRequest,
    ) -> Result<Dispute> {
        let result = self
            .store
            .decide_dispute(&decided, rejected, &audit, &outbox)
            .await;
        self.cache.invalidate_agreement(&request.agreement);
        match result {
            Ok(()) => Ok(decided),
            Err(StoreError::NotFound) => Err(dispute_decided()),
            Err(e) => Err(e.into()),
        }
    }
}

/// A decision's note as written (1–2000 characters).
fn decision_note(raw: &str) -> Result<String> {
    written(
        raw,
        "note",
        "dispute-note-empty",
        "expected the note the customer and the partners read",
        MAX_TEXT,
    )
    .map_err(|e| Error::Invalid(vec![e]))
}

fn window_closed() -> Error {
    Error::Conflict {
        code: "dispute_window_closed",
        detail: Text::new(
            "dispute-window-closed",
            "a change can be disputed only while it is pending and before its processing time ends",
        ),
    }
}

fn dispute_decided() -> Error {
    Error::Conflict {
        code: "not_open",
        detail: Text::new(
            "dispute-decided",
            "the dispute was decided already (or the change withdrawn)",
        ),
    }
}
