//! Change at renewal (#22 point 1): an admin names the partner for an
//! agreement's next renewal where the change cannot be made now (R3, R4);
//! the renewal applies it — the renewal transaction, or for a contract
//! that renews by itself the worker at the term end — with R5 and the
//! admin checked again then, audit and mails as for any change (R8–R11).

use std::sync::Arc;

use serde_json::json;
use time::{Duration, OffsetDateTime};

use super::Services;
use super::partner_change::contact;
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::eligibility::{self, check_new_partner};
use crate::domain::ids::{AgreementNumber, Csn};
use crate::domain::notify::{ChangeEvent, Contact, renewal_emails};
use crate::domain::renewal::{
    self, AtRenewal, RenewalBlock, RenewalFacts, RenewalOption, RenewalPartner, RenewalStatus,
};
use crate::domain::roles::{Actor, Role};
use crate::error::{Error, FieldError, Result, StoreError, Text};
use crate::store::{AgreementState, DueRenewal, Scope};

/// What one sweep over due renewals did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenewalReport {
    /// Named partners who took over.
    pub applied: u32,
    /// Named partners who could not (R5, the admin, the agreement).
    pub rejected: u32,
    /// Namings whose agreement was not renewed in time.
    pub lapsed: u32,
    /// Namings still waiting for their renewal.
    pub waiting: u32,
}

/// How often a naming that waits for its renewal is looked at again.
const WAIT_RECHECK: Duration = Duration::DAY;

impl Services {
    /// An agreement for a renewal step: what the caller may see, and for
    /// partner staff also an agreement whose next renewal names their
    /// partner — they place the renewal before they serve it (R3).
    pub async fn agreement_for_renewal(
        &self,
        actor: &Actor,
        number: &AgreementNumber,
    ) -> Result<Arc<AgreementState>> {
        Ok(self.agreement_or_naming(actor, number).await?.0)
    }

    /// [`Self::agreement_for_renewal`], and whether the caller sees the
    /// agreement itself (`false`: only as the partner named for it).
    async fn agreement_or_naming(
        &self,
        actor: &Actor,
        number: &AgreementNumber,
    ) -> Result<(Arc<AgreementState>, bool)> {
        match self.agreement(actor, number).await {
            Ok(s) => Ok((s, true)),
            Err(Error::NotFound(what)) => {
                let Some(partner) = actor.partner() else {
                    return Err(Error::NotFound(what));
                };
                // Read again: the renewal may have made it the partner of
                // record since the first read, which then admits it.
                match self.store.agreement_state(&Scope::All, number).await? {
                    Some(s) if Scope::of(actor).admits(&s.agreement) == Some(true) => {
                        Ok((Arc::new(s), true))
                    }
                    Some(s)
                        if s.renewal_partner
                            .as_ref()
                            .is_some_and(|n| &n.new_partner == partner) =>
                    {
                        Ok((Arc::new(s), false))
                    }
                    _ => Err(Error::NotFound(what)),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Whether `actor` may name a partner for the renewal of `state`.
    pub fn renewal_option_of(&self, actor: &Actor, state: &AgreementState) -> RenewalOption {
        let a = &state.agreement;
        renewal::option(
            a,
            actor.is_admin_of(&a.account),
            state.open_request.is_some(),
            eligibility::today(self.clock.now()),
            &self.policy,
        )
    }

    /// Names `new_partner` for the agreement's next renewal, replacing a
    /// partner named before. Naming the one already named changes nothing.
    pub async fn name_renewal_partner(
        &self,
        actor: &Actor,
        number: &AgreementNumber,
        new_partner: &Csn,
    ) -> Result<RenewalPartner> {
        let state = self.agreement(actor, number).await?;
        let offer = self.renewal_option_of(actor, &state);
        if offer.reasons.contains(&RenewalBlock::NotPermitted) {
            return Err(not_admin());
        }
        if !offer.available {
            return Err(Error::Refused(
                offer.reasons.iter().map(|b| unavailable(*b)).collect(),
            ));
        }
        let earlier = state.renewal_partner.as_ref();
        if let Some(same) = earlier.filter(|n| &n.new_partner == new_partner) {
            return Ok(same.clone());
        }
        let agreement = &state.agreement;
        let found = self.partner(new_partner).await?;
        check_new_partner(&agreement.partners, new_partner, found.as_ref())
            .map_err(|p| Error::refused(p.at("new_partner")))?;
        let now = self.clock.now();
        let named = RenewalPartner {
            id: uuid::Uuid::now_v7(),
            agreement: agreement.number.clone(),
            account: agreement.account.clone(),
            new_partner: new_partner.clone(),
            named_by: actor.user_id,
            named_at: now,
            term_end: agreement.term_end,
            due_at: renewal::due_at(agreement.term_end),
            status: RenewalStatus::Scheduled,
            decided_at: None,
            decided_by: None,
            reasons: Vec::new(),
            transaction: None,
        };
        let replaced =
            earlier.map(|e| e.decided(RenewalStatus::Replaced, now, Some(actor.user_id), vec![]));
        let action = match replaced {
            Some(_) => AuditAction::RenewalPartnerReplaced,
            None => AuditAction::RenewalPartnerNamed,
        };
        let audit = AuditEntry::new(now, By::Person(actor), action)
            .on(&named.account, &named.agreement)
            .change(
                json!({ "new_partner": earlier.map(|e| &e.new_partner) }),
                json!({ "new_partner": named.new_partner, "renews_on": named.renews_on().to_string(),
                        "renewal_partner": named.id }),
            );
        let parties = self.parties(&named, &agreement.partners).await?;
        let mut outbox = vec![renewal_emails(
            ChangeEvent::RenewalNamed,
            &named,
            &agreement.partners,
            parties.all(),
        )];
        if let Some(old) = &replaced {
            // The partner no longer named hears so; the admins just named another.
            let old_partner = self.partner(&old.new_partner).await?.map(|p| contact(&p));
            outbox.push(renewal_emails(
                ChangeEvent::RenewalWithdrawn,
                old,
                &agreement.partners,
                (&[], old_partner.as_ref(), &[]),
            ));
        }
        let result = self
            .store
            .name_renewal_partner(&named, replaced.as_ref(), &[audit], &outbox)
            .await;
        self.cache.invalidate_agreement(&named.agreement);
        result.map_err(changed_meanwhile)?;
        Ok(named)
    }

    /// Withdraws the partner named for the agreement's renewal: any admin
    /// of the account (as R9 for a request) or an operator.
    pub async fn withdraw_renewal_partner(
        &self,
        actor: &Actor,
        number: &AgreementNumber,
    ) -> Result<RenewalPartner> {
        let state = self.agreement(actor, number).await?;
        let agreement = &state.agreement;
        if !(actor.is_admin_of(&agreement.account) || actor.role == Role::Operator) {
            return Err(not_admin());
        }
        let Some(named) = state.renewal_partner.as_ref() else {
            return Err(nothing_named());
        };
        let now = self.clock.now();
        let withdrawn = named.decided(RenewalStatus::Withdrawn, now, Some(actor.user_id), vec![]);
        let audit = AuditEntry::new(now, By::Person(actor), AuditAction::RenewalPartnerWithdrawn)
            .on(&named.account, &named.agreement)
            .change(
                json!({ "new_partner": named.new_partner, "status": "scheduled" }),
                json!({ "status": "withdrawn", "renewal_partner": named.id }),
            );
        let parties = self.parties(named, &agreement.partners).await?;
        let outbox = [renewal_emails(
            ChangeEvent::RenewalWithdrawn,
            &withdrawn,
            &agreement.partners,
            parties.all(),
        )];
        let done = self
            .store
            .decide_renewal(&withdrawn, None, &[audit], &outbox)
            .await;
        self.cache.invalidate_agreement(&named.agreement);
        if !done? {
            return Err(nothing_named());
        }
        Ok(withdrawn)
    }

    /// Every partner named for the agreement's renewals, newest first,
    /// for whoever may see the agreement (or the one named now).
    pub async fn renewal_partners(
        &self,
        actor: &Actor,
        number: &AgreementNumber,
    ) -> Result<(Arc<AgreementState>, Vec<RenewalPartner>)> {
        let (state, sees_agreement) = self.agreement_or_naming(actor, number).await?;
        let all = self.store.renewal_partners(number).await?;
        // A partner named now sees its own naming, not the agreement's
        // earlier ones.
        let all = if sees_agreement {
            all
        } else {
            all.into_iter()
                .filter(|n| n.status == RenewalStatus::Scheduled)
                .collect()
        };
        Ok((state, all))
    }

    /// The renewals that name the caller's partner, by renewal date.
    pub async fn renewals_naming(&self, actor: &Actor) -> Result<Vec<RenewalPartner>> {
        match actor.partner() {
            Some(p) => Ok(self.store.renewals_naming(p).await?),
            None => Ok(Vec::new()),
        }
    }

    /// The worker's step for named partners whose renewal has come (R8):
    /// apply, reject, let lapse, or look again later.
    pub async fn apply_due_renewals(&self, batch: u32) -> Result<RenewalReport> {
        let mut report = RenewalReport::default();
        loop {
            let now = self.clock.now();
            let due = self.store.due_renewals(now, batch).await?;
            for d in &due {
                self.decide_due_renewal(d, now, &mut report).await?;
            }
            if (due.len() as u32) < batch {
                return Ok(report);
            }
        }
    }

    async fn decide_due_renewal(
        &self,
        due: &DueRenewal,
        now: OffsetDateTime,
        report: &mut RenewalReport,
    ) -> Result<()> {
        let named = &due.named;
        let state = self
            .store
            .agreement_state(&Scope::All, &named.agreement)
            .await?;
        let agreement = state.as_ref().map(|s| &s.agreement);
        // Read from the store, not the cache: R5 holds for the partner as it is now.
        let partner = self.store.partner(&named.new_partner).await?;
        let partners = agreement.map(|a| a.partners.clone()).unwrap_or_default();
        let facts = RenewalFacts {
            agreement,
            named_by_admin: agreement.is_some_and(|a| {
                due.named_by
                    .as_ref()
                    .is_some_and(|by| by.is_admin_of(&a.account))
            }),
            partner_problem: check_new_partner(&partners, &named.new_partner, partner.as_ref())
                .err()
                .map(|p| p.code()),
        };
        let grace = self.policy.renewal_grace_days;
        let (status, event, action, reasons) = match renewal::at_renewal(named, &facts, now, grace)
        {
            AtRenewal::NotYet => return Ok(()),
            AtRenewal::Wait => {
                report.waiting += 1;
                let next = (now + WAIT_RECHECK).min(renewal::lapse_at(named.due_at, grace));
                self.store.recheck_renewal_at(named.id, next).await?;
                return Ok(());
            }
            AtRenewal::Apply => (
                RenewalStatus::Applied,
                ChangeEvent::RenewalApplied,
                AuditAction::RenewalPartnerApplied,
                vec![],
            ),
            AtRenewal::Reject(reasons) => (
                RenewalStatus::Rejected,
                ChangeEvent::RenewalRejected,
                AuditAction::RenewalPartnerRejected,
                reasons,
            ),
            AtRenewal::Lapse => (
                RenewalStatus::Lapsed,
                ChangeEvent::RenewalLapsed,
                AuditAction::RenewalPartnerLapsed,
                vec![],
            ),
        };
        let decided = named.decided(status, now, None, reasons);
        let entry = |action| {
            AuditEntry::new(now, By::System("worker"), action).on(&named.account, &named.agreement)
        };
        let mut audit = vec![entry(action).change(
            json!({ "status": "scheduled", "new_partner": named.new_partner }),
            json!({ "status": status, "reasons": decided.reasons, "renewal_partner": named.id }),
        )];
        let applies = status == RenewalStatus::Applied;
        if applies {
            audit.push(entry(AuditAction::PartnerAssignmentChanged).change(
                json!({ "partners": partners }),
                json!({ "partners": [named.new_partner] }),
            ));
        }
        let parties = self.parties(named, &partners).await?;
        let outbox = [renewal_emails(event, &decided, &partners, parties.all())];
        let new_partners = [named.new_partner.clone()];
        let written = self
            .store
            .decide_renewal(
                &decided,
                applies.then_some(&new_partners[..]),
                &audit,
                &outbox,
            )
            .await;
        self.cache.invalidate_partners_of(&named.agreement);
        if written? {
            match status {
                RenewalStatus::Applied => report.applied += 1,
                RenewalStatus::Rejected => report.rejected += 1,
                _ => report.lapsed += 1,
            }
        }
        Ok(())
    }

    /// The people told about a naming (R10): the account's admins, the
    /// named partner and the partners of record it replaces.
    pub(crate) async fn parties(&self, named: &RenewalPartner, current: &[Csn]) -> Result<Parties> {
        let admins = self.account_admins(&named.account).await?;
        let new_partner = self.partner(&named.new_partner).await?.map(|p| contact(&p));
        let mut old = Vec::with_capacity(current.len());
        for csn in current.iter().filter(|c| **c != named.new_partner) {
            if let Some(p) = self.partner(csn).await? {
                old.push(contact(&p));
            }
        }
        Ok(Parties {
            admins,
            new_partner,
            old,
        })
    }
}

/// The contacts a naming's mails go to.
pub(crate) struct Parties {
    admins: Vec<Contact>,
    new_partner: Option<Contact>,
    old: Vec<Contact>,
}

impl Parties {
    /// Everyone, as [`renewal_emails`] takes them.
    pub(crate) fn all(&self) -> (&[Contact], Option<&Contact>, &[Contact]) {
        (&self.admins, self.new_partner.as_ref(), &self.old)
    }
}

/// 403 for anyone but the account's admins (and, to withdraw, operators).
fn not_admin() -> Error {
    Error::Forbidden(Text::new(
        "forbidden-renewal-partner",
        "only an administrator of this account can name the partner for the renewal",
    ))
}

/// Why a partner cannot be named for the renewal, as a refused field.
fn unavailable(block: RenewalBlock) -> FieldError {
    let (code, english): (&'static str, &str) = match block {
        RenewalBlock::ChangeNowPossible => (
            "renewal-change-now-possible",
            "the partner can be changed now; use the partner change instead",
        ),
        RenewalBlock::NotPermitted => (
            "renewal-not-permitted",
            "only an administrator of this account can name the partner for the renewal",
        ),
        RenewalBlock::TokenFlexEba => (
            "renewal-token-flex-eba",
            "Enterprise Business Agreements with Token Flex change partner only through the account team",
        ),
        RenewalBlock::Expired => (
            "renewal-expired",
            "the term has ended; place the renewal with the new partner",
        ),
        RenewalBlock::NotActive => (
            "renewal-not-active",
            "the agreement is canceled or suspended",
        ),
        RenewalBlock::ChangePending => (
            "renewal-change-pending",
            "a partner change is open on this agreement; wait for it or withdraw it first",
        ),
    };
    FieldError::coded("agreement", code, Vec::new(), english)
}

/// A naming that changed between the read and the write: a change request
/// got in first, or someone else named or withdrew a partner.
fn changed_meanwhile(e: StoreError) -> Error {
    match e {
        StoreError::Conflict("open_request") => Error::Conflict {
            code: "change_pending",
            detail: Text::new(
                "change-pending",
                "a partner change for this agreement is already pending",
            ),
        },
        StoreError::Conflict(_) => renewal_changed(),
        other => other.into(),
    }
}

/// 409 when nothing is named for the renewal (any more).
fn nothing_named() -> Error {
    Error::Conflict {
        code: "renewal_not_named",
        detail: Text::new(
            "renewal-not-named",
            "no partner is named for this agreement's renewal",
        ),
    }
}

/// 409 when the partner named for the renewal changed while a step was
/// being made: read it again and decide anew.
pub(crate) fn renewal_changed() -> Error {
    Error::Conflict {
        code: "renewal_changed",
        detail: Text::new(
            "renewal-changed",
            "the partner named for the renewal changed meanwhile; reload and try again",
        ),
    }
}
