//! The self-service partner change: eligibility, submit, withdraw (R3–R9).

use std::sync::Arc;

use serde_json::json;
use time::OffsetDateTime;

use super::Services;
use crate::FieldError;
use crate::domain::agreement::{Agreement, Partner, PartnerStatus};
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::change_request::{
    ChangeRequest, InvalidTransition, RequestEvent, RequestId, RequestStatus, transition,
};
use crate::domain::consent::ConsentModel;
use crate::domain::eligibility::{self, Eligibility, PendingFacts, ReasonCode};
use crate::domain::ids::{AgreementNumber, Csn};
use crate::domain::notify::{
    ChangeEvent, Contact, OutboxMessage, partner_change_emails, partner_lang,
};
use crate::domain::roles::Actor;
use crate::domain::zone::Zone;
use crate::error::{Error, Result, StoreError, Text};
use crate::store::{AgreementState, RequestFilter, Scope};

impl Services {
    /// An agreement the caller may see (R1: otherwise 404, whether it is
    /// missing or another tenant's).
    pub async fn agreement(
        &self,
        actor: &Actor,
        number: &AgreementNumber,
    ) -> Result<Arc<AgreementState>> {
        let scope = Scope::of(actor);
        if matches!(scope, Scope::AccountUser(..)) {
            // A `user` sees the agreements assigned to them; only the store knows which.
            return self
                .store
                .agreement_state(&scope, number)
                .await?
                .map(Arc::new)
                .ok_or(Error::NotFound("agreement"));
        }
        // Only the caller's own agreements are answered from the cache.
        // Another tenant's agreement, cached or not, costs one store read
        // like a number that does not exist, so that the time of the 404
        // does not tell which of the two it was (R1, #16).
        //
        // Partner staff are never answered from the cache: whom an
        // agreement's partner is changes when a change is applied — by
        // another process, which this one learns of only through the feed
        // (`cache_poll_ms`) — and the replaced partner must lose the
        // agreement at that moment on every instance, the new one gain it
        // (#22). The database is what every instance shares at commit.
        if !matches!(scope, Scope::Partner(_))
            && let Some(s) = self.cache.agreement(number)
            && scope.admits(&s.agreement) == Some(true)
        {
            return Ok(s);
        }
        let ticket = self.cache.ticket();
        match self.store.agreement_state(&Scope::All, number).await? {
            Some(s) if scope.admits(&s.agreement) == Some(true) => {
                let s = Arc::new(s);
                self.cache.put_agreement(ticket, &s);
                Ok(s)
            }
            _ => Err(Error::NotFound("agreement")),
        }
    }

    /// A partner from the directory, through the cache.
    pub async fn partner(&self, csn: &Csn) -> Result<Option<Partner>> {
        if let Some(p) = self.cache.partner(csn) {
            return Ok(p);
        }
        let ticket = self.cache.ticket();
        let p = self.store.partner(csn).await?;
        self.cache.put_partner(ticket, csn, &p);
        Ok(p)
    }

    /// Why `csn` cannot be named on an agreement: there is no partner with
    /// that CSN, or it is not active.
    pub(crate) async fn unusable_partner(
        &self,
        field: &str,
        csn: &Csn,
    ) -> Result<Option<FieldError>> {
        let csn_arg = || vec![("csn", csn.to_string())];
        Ok(match self.partner(csn).await? {
            None => Some(FieldError::coded(
                field,
                "partner-unknown",
                csn_arg(),
                format!("no partner with CSN {csn} exists"),
            )),
            Some(p) if p.status != PartnerStatus::Active => Some(FieldError::coded(
                field,
                "partner-not-active",
                csn_arg(),
                format!("partner {csn} is not active"),
            )),
            Some(_) => None,
        })
    }

    /// Admins of an account (R10 recipients), through the cache.
    pub async fn account_admins(&self, account: &Csn) -> Result<Vec<Contact>> {
        if let Some(a) = self.cache.admins(account) {
            return Ok(a);
        }
        let ticket = self.cache.ticket();
        let admins = self.store.account_admins(account).await?;
        self.cache.put_admins(ticket, account, &admins);
        Ok(admins)
    }

    /// R3/R4 for one agreement, as the caller sees it.
    pub async fn eligibility(
        &self,
        actor: &Actor,
        number: &AgreementNumber,
    ) -> Result<(Arc<AgreementState>, Eligibility)> {
        let state = self.agreement(actor, number).await?;
        let e = self.eligibility_of(actor, &state).await?;
        Ok((state, e))
    }

    /// R3/R4 for `actor` now, with the consent model of the agreement's
    /// program (#22: under the transfer code a direct submit is refused).
    async fn eligibility_of(&self, actor: &Actor, state: &AgreementState) -> Result<Eligibility> {
        let a = &state.agreement;
        let pending = state
            .open_request
            .as_ref()
            .map(|r| PendingFacts { due_at: r.due_at });
        let today = eligibility::today(self.clock.now());
        let e = eligibility::check(
            a,
            actor.is_admin_of(&a.account),
            pending,
            state.renewal_partner.is_some(),
            today,
            &self.policy,
        );
        Ok(eligibility::with_consent(
            e,
            self.consent_of(&a.program).await?,
        ))
    }

    /// The partner lookup step: any signed-in person may look a partner up.
    pub async fn lookup_partner(&self, csn: &Csn) -> Result<Partner> {
        self.store
            .partner(csn)
            .await?
            .ok_or(Error::NotFound("partner"))
    }

    /// Submits a partner change (R4, R5, R7). The request is pending until
    /// the processing delay has passed.
    ///
    /// `idempotency_key` is the client's `Idempotency-Key`, stored with the
    /// request. Normally a retry with it is answered from the stored first
    /// response; when that response was never stored (the process or the
    /// database went away between the commit and storing it), the retry
    /// arrives here and finds this caller's own request for this very
    /// change open: it gets that request back instead of a conflict.
    pub async fn submit(
        &self,
        actor: &Actor,
        number: &AgreementNumber,
        new_partner: &Csn,
        idempotency_key: Option<&str>,
    ) -> Result<ChangeRequest> {
        let state = self.agreement(actor, number).await?;
        if let Some(own) = own_earlier_attempt(&state, actor, new_partner, idempotency_key) {
            return Ok(own);
        }
        let e = self.eligibility_of(actor, &state).await?;
        refuse_unless_eligible(actor, &e)?;
        let agreement = &state.agreement;
        let found = self.partner(new_partner).await?;
        eligibility::check_new_partner(&agreement.partners, new_partner, found.as_ref())
            .map_err(|p| Error::refused(p.at("new_partner")))?;
        let now = self.clock.now();
        let consent = self.consent_of(&agreement.program).await?;
        let (request, event) =
            self.new_request(actor, agreement, new_partner, idempotency_key, now, consent);
        let audit = AuditEntry::new(now, By::Person(actor), AuditAction::ChangeRequested)
            .on(&request.account, &request.agreement)
            .request(request.id)
            .change(
                json!({ "partners": request.old_partners }),
                json!({ "new_partner": request.new_partner, "status": request.status,
                        "due_at": request.due_at.unix_timestamp() }),
            );
        let outbox = self.emails(event, &request).await?;
        let result = self.store.insert_request(&request, &[audit], &outbox).await;
        self.cache.invalidate_agreement(&request.agreement);
        match result {
            Ok(()) => Ok(request),
            Err(StoreError::Conflict(_)) => {
                // Another request got in after the read above — perhaps
                // this client's own earlier attempt, committed meanwhile.
                if idempotency_key.is_some() {
                    let state = self.agreement(actor, number).await?;
                    if let Some(own) =
                        own_earlier_attempt(&state, actor, new_partner, idempotency_key)
                    {
                        return Ok(own);
                    }
                }
                Err(change_pending())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The request `actor` makes to give `agreement` the new partner, and
    /// the event its mails announce.
    pub(super) fn new_request(
        &self,
        actor: &Actor,
        agreement: &Agreement,
        new_partner: &Csn,
        idempotency_key: Option<&str>,
        now: OffsetDateTime,
        consent: ConsentModel,
    ) -> (ChangeRequest, ChangeEvent) {
        // With the acceptance model the new partner answers first, by
        // `due_at`; the processing delay starts when they accept. A
        // redeemed transfer code is the partner's consent already.
        let (status, due_at, event) = match consent {
            ConsentModel::Acceptance { acceptance_days } => (
                RequestStatus::AwaitingPartner,
                now + time::Duration::days(acceptance_days),
                ChangeEvent::AwaitingPartner,
            ),
            ConsentModel::None | ConsentModel::TransferCode { .. } => (
                RequestStatus::Pending,
                now + self.policy.processing_delay(),
                ChangeEvent::Submitted,
            ),
        };
        let request = ChangeRequest {
            id: RequestId(uuid::Uuid::now_v7()),
            agreement: agreement.number.clone(),
            account: agreement.account.clone(),
            old_partners: agreement.partners.clone(),
            new_partner: new_partner.clone(),
            status,
            requested_by: actor.user_id,
            created_at: now,
            due_at,
            decided_at: None,
            decided_by: None,
            reasons: Vec::new(),
            idempotency_key: idempotency_key.map(str::to_owned),
        };
        (request, event)
    }

    /// Withdraws an open request (R9): the requester or another admin of the account.
    pub async fn withdraw(&self, actor: &Actor, id: RequestId) -> Result<ChangeRequest> {
        let request = self.withdrawable(actor, id).await?;
        let status =
            transition(request.status, RequestEvent::Withdraw).map_err(|t| Error::Conflict {
                code: "not_open",
                detail: refused_transition(t),
            })?;
        let now = self.clock.now();
        let decided = ChangeRequest {
            status,
            decided_at: Some(now),
            decided_by: Some(actor.user_id),
            ..request.clone()
        };
        let audit = AuditEntry::new(now, By::Person(actor), AuditAction::ChangeWithdrawn)
            .on(&request.account, &request.agreement)
            .request(request.id)
            .change(
                json!({ "status": request.status }),
                json!({ "status": decided.status }),
            );
        let open = [RequestStatus::Pending, RequestStatus::AwaitingPartner];
        match self
            .record_decision(&decided, &open, audit, ChangeEvent::Withdrawn)
            .await?
        {
            true => Ok(decided),
            // The worker applied it (or another admin withdrew it) meanwhile.
            false => Err(Error::Conflict {
                code: "not_open",
                detail: Text::new(
                    "request-decided",
                    "the request was decided meanwhile and can no longer be withdrawn",
                ),
            }),
        }
    }

    /// The request, when `actor` may withdraw it (R9: an administrator of
    /// its account); nothing changes — the portal asks this before it
    /// asks the person to confirm.
    pub async fn withdrawable(&self, actor: &Actor, id: RequestId) -> Result<ChangeRequest> {
        let request = self.request(actor, id).await?;
        if !actor.is_admin_of(&request.account) {
            return Err(Error::Forbidden(Text::new(
                "forbidden-withdraw",
                "only an administrator of the account can withdraw a partner change",
            )));
        }
        Ok(request)
    }

    /// The request, when `actor` may answer it (the new partner); nothing
    /// changes.
    pub async fn answerable(&self, actor: &Actor, id: RequestId) -> Result<ChangeRequest> {
        let request = self.request(actor, id).await?;
        if actor.partner() != Some(&request.new_partner) {
            return Err(Error::Forbidden(Text::new(
                "forbidden-answer",
                "only the new partner can accept or decline a partner change",
            )));
        }
        Ok(request)
    }

    /// The new partner accepts a request awaiting its answer: the
    /// processing delay starts now.
    pub async fn accept(&self, actor: &Actor, id: RequestId) -> Result<ChangeRequest> {
        self.answer(actor, id, RequestEvent::Accept).await
    }

    /// The new partner declines a request awaiting its answer.
    pub async fn decline(&self, actor: &Actor, id: RequestId) -> Result<ChangeRequest> {
        self.answer(actor, id, RequestEvent::Decline).await
    }

    async fn answer(
        &self,
        actor: &Actor,
        id: RequestId,
        event: RequestEvent,
    ) -> Result<ChangeRequest> {
        let request = self.answerable(actor, id).await?;
        let status = transition(request.status, event).map_err(|t| Error::Conflict {
            code: "not_awaiting_partner",
            detail: refused_transition(t),
        })?;
        let now = self.clock.now();
        let (decided, action, change_event) = if event == RequestEvent::Accept {
            let accepted = ChangeRequest {
                status,
                due_at: now + self.policy.processing_delay(),
                ..request.clone()
            };
            (accepted, AuditAction::ChangeAccepted, ChangeEvent::Accepted)
        } else {
            let declined = ChangeRequest {
                status,
                decided_at: Some(now),
                decided_by: Some(actor.user_id),
                ..request.clone()
            };
            (declined, AuditAction::ChangeDeclined, ChangeEvent::Declined)
        };
        let audit = AuditEntry::new(now, By::Person(actor), action)
            .on(&request.account, &request.agreement)
            .request(request.id)
            .change(
                json!({ "status": request.status }),
                json!({ "status": decided.status, "due_at": decided.due_at.unix_timestamp() }),
            );
        match self
            .record_decision(
                &decided,
                &[RequestStatus::AwaitingPartner],
                audit,
                change_event,
            )
            .await?
        {
            true => Ok(decided),
            false => Err(Error::Conflict {
                code: "not_awaiting_partner",
                detail: Text::new(
                    "request-answered",
                    "the request was answered, withdrawn or expired meanwhile",
                ),
            }),
        }
    }

    /// Ends requests whose new partner did not answer in time (the worker
    /// calls this); returns how many expired.
    pub async fn expire_unanswered(&self, limit: u32) -> Result<u32> {
        let now = self.clock.now();
        let mut expired = 0;
        for request in self.store.awaiting_due(now, limit).await? {
            let Ok(status) = transition(request.status, RequestEvent::Timeout) else {
                continue;
            };
            let decided = ChangeRequest {
                status,
                decided_at: Some(now),
                ..request.clone()
            };
            let audit = AuditEntry::new(now, By::System("worker"), AuditAction::ChangeExpired)
                .on(&request.account, &request.agreement)
                .request(request.id)
                .change(
                    json!({ "status": request.status, "due_at": request.due_at.unix_timestamp() }),
                    json!({ "status": decided.status }),
                );
            // Answered or withdrawn at the last moment: nothing to do.
            if self
                .record_decision(
                    &decided,
                    &[RequestStatus::AwaitingPartner],
                    audit,
                    ChangeEvent::Expired,
                )
                .await?
            {
                expired += 1;
            }
        }
        Ok(expired)
    }

    /// Writes `decided` with its audit entry and the R10 mails of `event`
    /// when the request is still in one of `expected`; `false` when someone
    /// else decided it first. The agreement's cached state is dropped
    /// either way.
    async fn record_decision(
        &self,
        decided: &ChangeRequest,
        expected: &[RequestStatus],
        audit: AuditEntry,
        event: ChangeEvent,
    ) -> Result<bool> {
        let outbox = self.emails(event, decided).await?;
        let result = self
            .store
            .decide_request(decided, expected, &[audit], &outbox)
            .await;
        self.cache.invalidate_agreement(&decided.agreement);
        match result {
            Ok(()) => Ok(true),
            Err(StoreError::NotFound) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// One request the caller may see.
    pub async fn request(&self, actor: &Actor, id: RequestId) -> Result<ChangeRequest> {
        self.store
            .request(&Scope::of(actor), id)
            .await?
            .ok_or(Error::NotFound("partner change"))
    }

    /// A change with what its parties need to judge it (#19): the request
    /// the caller may see (R1: another's is not found) and the agreement's
    /// products and term. A partner sees the agreement of an incoming
    /// change before it serves it, and of an outgoing one while the change
    /// is open; once it is applied, the replaced partner keeps the request
    /// but no longer the agreement (#22: access moves with the change).
    pub async fn change_details(
        &self,
        actor: &Actor,
        id: RequestId,
    ) -> Result<(ChangeRequest, Option<Arc<AgreementState>>)> {
        let request = self.request(actor, id).await?;
        let scope = Scope::of(actor);
        let state = self
            .store
            .agreement_state(&Scope::All, &request.agreement)
            .await?
            .filter(|s| s.agreement.account == request.account)
            .filter(|s| {
                !matches!(scope, Scope::Partner(_))
                    || request.status.is_open()
                    || scope.admits(&s.agreement) == Some(true)
            })
            .map(Arc::new);
        Ok((request, state))
    }

    /// Requests the caller may see, newest first.
    pub async fn requests(
        &self,
        actor: &Actor,
        filter: &RequestFilter,
    ) -> Result<Vec<ChangeRequest>> {
        Ok(self.store.requests(&Scope::of(actor), filter).await?)
    }

    /// R10 recipients of an event about `request`.
    pub(crate) async fn emails(
        &self,
        event: ChangeEvent,
        request: &ChangeRequest,
    ) -> Result<Vec<OutboxMessage>> {
        let admins = self.account_admins(&request.account).await?;
        let new_partner = self
            .partner(&request.new_partner)
            .await?
            .map(|p| contact(&p));
        let mut old = Vec::with_capacity(request.old_partners.len());
        for csn in &request.old_partners {
            if let Some(p) = self.partner(csn).await? {
                old.push(contact(&p));
            }
        }
        Ok(partner_change_emails(
            event,
            request,
            &admins,
            new_partner.as_ref(),
            &old,
        ))
    }
}

/// A partner's notification contact.
pub fn contact(p: &Partner) -> Contact {
    Contact {
        email: p.email.clone(),
        lang: partner_lang(&p.country),
        time_zone: Zone::of_country(&p.country),
        muted: Default::default(),
    }
}

/// The agreement's open request when it is `actor`'s own, for `new_partner`,
/// submitted with `idempotency_key`: an earlier attempt of this very submit.
fn own_earlier_attempt(
    state: &AgreementState,
    actor: &Actor,
    new_partner: &Csn,
    idempotency_key: Option<&str>,
) -> Option<ChangeRequest> {
    let key = idempotency_key?;
    let open = state.open_request.as_ref()?;
    (open.requested_by == actor.user_id
        && open.new_partner == *new_partner
        && open.idempotency_key.as_deref() == Some(key))
    .then(|| open.clone())
}

pub(super) fn change_pending() -> Error {
    Error::Conflict {
        code: "change_pending",
        detail: Text::new(
            "change-pending",
            "a partner change for this agreement is already pending",
        ),
    }
}

/// What a person is told about a step the request's state does not allow.
fn refused_transition(t: InvalidTransition) -> Text {
    Text::with(
        "invalid-transition",
        vec![
            ("event", t.event.as_str().to_owned()),
            ("status", t.from.as_str().to_owned()),
        ],
        t.to_string(),
    )
}

/// Maps an ineligible answer to the error the caller sees: 403 when they
/// may not act at all, 409 when only a pending request is in the way (R7),
/// 422 with every reason otherwise.
fn refuse_unless_eligible(actor: &Actor, e: &Eligibility) -> Result<()> {
    if e.eligible {
        return Ok(());
    }
    if e.has(ReasonCode::NotPermitted) {
        let (who, english) = if actor.role.is_account_admin() {
            ("this", "this account's")
        } else {
            ("any", "an account")
        };
        return Err(Error::Forbidden(Text::with(
            "forbidden-change-partner",
            vec![("who", who.to_owned())],
            format!(
                "only {english} administrator can change the partner; please ask your administrator"
            ),
        )));
    }
    if e.reasons
        .iter()
        .all(|r| r.code == ReasonCode::ChangePending)
    {
        return Err(change_pending());
    }
    Err(Error::Ineligible(e.reasons.clone()))
}
