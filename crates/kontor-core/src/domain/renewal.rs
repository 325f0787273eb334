//! Change at renewal (#22 point 1): for an agreement that cannot change
//! partner now because it renews automatically, ends within the expiry
//! window or is a subscription (R3, R4), an admin names the partner for
//! the next renewal. Pure: what is offered, when the renewal is, and what
//! happens to a named partner when it comes.

use serde::Serialize;
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

use super::agreement::{Agreement, AgreementStatus, str_enum};
use super::eligibility::ReasonCode;
use super::ids::{AgreementKind, AgreementNumber, Csn};
use super::policy::Policy;
use super::roles::UserId;

str_enum!(
    /// Where a partner named for the renewal stands.
    RenewalStatus {
        /// Waiting for the renewal.
        Scheduled = "scheduled",
        /// The renewal made the named partner the partner of record.
        Applied = "applied",
        /// An admin named another partner instead.
        Replaced = "replaced",
        /// An admin withdrew it.
        Withdrawn = "withdrawn",
        /// At the renewal it could not be applied (R5, or the admin who
        /// named it is no longer one).
        Rejected = "rejected",
        /// The agreement was not renewed within the grace period.
        Lapsed = "lapsed",
    }
);

str_enum!(
    /// Why no partner can be named for the renewal.
    RenewalBlock {
        /// The change can be made now: use the normal change instead.
        ChangeNowPossible = "change_now_possible",
        /// Only an admin of the account names partners.
        NotPermitted = "not_permitted",
        /// Enterprise Business Agreements with Token Flex change only through the account team.
        TokenFlexEba = "token_flex_eba",
        /// The term has ended: the renewal is placed with the new partner directly.
        Expired = "expired",
        /// Canceled or suspended agreements are not renewed.
        NotActive = "not_active",
        /// A partner change is open on the agreement.
        ChangePending = "change_pending",
    }
);

/// A partner named for an agreement's next renewal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenewalPartner {
    /// Stable id.
    pub id: Uuid,
    /// The agreement.
    pub agreement: AgreementNumber,
    /// Its customer account.
    pub account: Csn,
    /// The partner named for the renewal.
    pub new_partner: Csn,
    /// The admin who named it (re-checked at the renewal, R8).
    pub named_by: UserId,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub named_at: OffsetDateTime,
    /// The term end it was named for.
    pub term_end: Date,
    /// When the renewal is: the first instant after that term.
    #[serde(with = "time::serde::rfc3339")]
    pub due_at: OffsetDateTime,
    /// Where it stands.
    pub status: RenewalStatus,
    /// When it left `scheduled`.
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    /// The person who replaced or withdrew it, or recorded the renewal.
    pub decided_by: Option<UserId>,
    /// Why it was rejected.
    pub reasons: Vec<ReasonCode>,
    /// The renewal transaction that applied it.
    pub transaction: Option<Uuid>,
}

impl RenewalPartner {
    /// The first day the named partner serves: the renewal's first day.
    pub fn renews_on(&self) -> Date {
        renews_on(self.term_end)
    }

    /// This one, decided now.
    pub fn decided(
        &self,
        status: RenewalStatus,
        at: OffsetDateTime,
        by: Option<UserId>,
        reasons: Vec<ReasonCode>,
    ) -> RenewalPartner {
        RenewalPartner {
            status,
            decided_at: Some(at),
            decided_by: by,
            reasons,
            ..self.clone()
        }
    }
}

/// The first day of the renewed term.
pub fn renews_on(term_end: Date) -> Date {
    term_end.next_day().unwrap_or(term_end)
}

/// The renewal happens at the start (00:00 UTC) of the day after the term
/// ends: the last day of the term still belongs to the current partner.
pub fn due_at(term_end: Date) -> OffsetDateTime {
    renews_on(term_end).with_time(Time::MIDNIGHT).assume_utc()
}

/// How long after the renewal date a contract that does not renew by
/// itself may still be renewed for the named partner to take over.
pub fn lapse_at(due_at: OffsetDateTime, grace_days: i64) -> OffsetDateTime {
    due_at + Duration::days(grace_days)
}

/// Whether a partner can be named for the renewal of `agreement`, and the
/// renewal's first day when it can.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenewalOption {
    /// True when an admin may name (or replace) the partner for the renewal.
    pub available: bool,
    /// The first day of the renewed term.
    pub renews_on: Date,
    /// Why not, when it is not available.
    pub reasons: Vec<RenewalBlock>,
}

/// R3/R4 turned around: a partner may be named for the renewal exactly
/// when the change cannot be made now only because of the renewal rules —
/// the agreement renews automatically, ends within the expiry window, or
/// is a subscription — and it is active, not Token Flex, not expired, and
/// no change is open on it. `open_request` is a change request still open.
pub fn option(
    agreement: &Agreement,
    is_admin: bool,
    open_request: bool,
    today: Date,
    policy: &Policy,
) -> RenewalOption {
    let days_left = agreement.days_left(today);
    let renewal_rule = agreement.auto_renew
        || (0..=policy.expiry_window_days).contains(&days_left)
        || agreement.kind() == AgreementKind::Subscription;
    let mut reasons = Vec::new();
    if !is_admin {
        reasons.push(RenewalBlock::NotPermitted);
    }
    if agreement.program.is_token_flex_eba() {
        reasons.push(RenewalBlock::TokenFlexEba);
    }
    if days_left < 0 || agreement.status == AgreementStatus::Expired {
        reasons.push(RenewalBlock::Expired);
    }
    if matches!(
        agreement.status,
        AgreementStatus::Canceled | AgreementStatus::Suspended
    ) {
        reasons.push(RenewalBlock::NotActive);
    }
    if open_request {
        reasons.push(RenewalBlock::ChangePending);
    }
    if !renewal_rule && reasons.is_empty() {
        reasons.push(RenewalBlock::ChangeNowPossible);
    }
    RenewalOption {
        available: reasons.is_empty(),
        renews_on: renews_on(agreement.term_end),
        reasons,
    }
}

/// What the worker does with a named partner whose renewal date has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AtRenewal {
    /// Not due yet.
    NotYet,
    /// Make the named partner the partner of record now.
    Apply,
    /// Look again later (at the latest at `lapse_at`): a contract that does
    /// not renew by itself waits for its renewal; a subscription for its
    /// renewal transaction (R3).
    Wait,
    /// The renewal did not come within the grace period.
    Lapse,
    /// It can no longer be applied, for these reasons.
    Reject(Vec<ReasonCode>),
}

/// The facts about a named partner at its renewal.
#[derive(Debug, Clone)]
pub struct RenewalFacts<'a> {
    /// The agreement now, if it still exists.
    pub agreement: Option<&'a Agreement>,
    /// Whether the admin who named the partner still is an admin of the
    /// agreement's account (R8, as for any request).
    pub named_by_admin: bool,
    /// R5 for the named partner now, as a reason when it fails.
    pub partner_problem: Option<ReasonCode>,
}

/// R8 for a named partner: at `due_at` an auto-renewing contract (or one
/// renewed already) takes the named partner, rechecking R5 and the admin;
/// a subscription changes partner only through its renewal transaction
/// (R3), which applies it elsewhere; whatever has not renewed by
/// `lapse_at` lapses.
pub fn at_renewal(
    named: &RenewalPartner,
    facts: &RenewalFacts<'_>,
    now: OffsetDateTime,
    grace_days: i64,
) -> AtRenewal {
    if now < named.due_at {
        return AtRenewal::NotYet;
    }
    let Some(agreement) = facts.agreement else {
        return AtRenewal::Reject(vec![ReasonCode::NotActive]);
    };
    let mut reasons = Vec::new();
    if matches!(
        agreement.status,
        AgreementStatus::Canceled | AgreementStatus::Suspended
    ) {
        reasons.push(ReasonCode::NotActive);
    }
    if !facts.named_by_admin || agreement.account != named.account {
        reasons.push(ReasonCode::NotPermitted);
    }
    reasons.extend(facts.partner_problem);
    if !reasons.is_empty() {
        return AtRenewal::Reject(reasons);
    }
    let renewed = agreement.term_end > named.term_end;
    let renews_here =
        agreement.kind() == AgreementKind::Contract && (agreement.auto_renew || renewed);
    if renews_here {
        AtRenewal::Apply
    } else if now >= lapse_at(named.due_at, grace_days) {
        AtRenewal::Lapse
    } else {
        AtRenewal::Wait
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;
    use crate::domain::agreement::{Program, SupportLevel};

    fn contract(term_end: Date, auto_renew: bool) -> Agreement {
        Agreement {
            number: AgreementNumber::parse("110000000002").unwrap(),
            account: Csn::parse("7000000001").unwrap(),
            products: vec![],
            term_start: date!(2026 - 01 - 01),
            term_end,
            auto_renew,
            program: Program::parse("standard").unwrap(),
            support_level: SupportLevel::Standard,
            status: AgreementStatus::Active,
            partners: vec![Csn::parse("5100000001").unwrap()],
        }
    }

    fn named(term_end: Date) -> RenewalPartner {
        RenewalPartner {
            id: Uuid::nil(),
            agreement: AgreementNumber::parse("110000000002").unwrap(),
            account: Csn::parse("7000000001").unwrap(),
            new_partner: Csn::parse("5100000002").unwrap(),
            named_by: UserId(Uuid::nil()),
            named_at: datetime!(2026-11-25 09:00 UTC),
            term_end,
            due_at: due_at(term_end),
            status: RenewalStatus::Scheduled,
            decided_at: None,
            decided_by: None,
            reasons: vec![],
            transaction: None,
        }
    }

    fn facts(a: &Agreement) -> RenewalFacts<'_> {
        RenewalFacts {
            agreement: Some(a),
            named_by_admin: true,
            partner_problem: None,
        }
    }

    #[test]
    fn the_renewal_is_at_midnight_utc_after_the_last_day() {
        assert_eq!(
            due_at(date!(2027 - 06 - 30)),
            datetime!(2027-07-01 00:00 UTC)
        );
        assert_eq!(
            due_at(date!(2027 - 12 - 31)),
            datetime!(2028-01-01 00:00 UTC)
        );
        assert_eq!(
            due_at(date!(2028 - 02 - 28)),
            datetime!(2028-02-29 00:00 UTC)
        );
        assert_eq!(
            due_at(date!(2028 - 02 - 29)),
            datetime!(2028-03-01 00:00 UTC)
        );
    }

    #[test]
    fn offered_exactly_where_a_renewal_rule_blocks_the_change_now() {
        let policy = Policy::default();
        let today = date!(2026 - 11 - 25);
        let far = today + Duration::days(200);
        // Auto-renewing: offered, renews the day after the term.
        let o = option(&contract(far, true), true, false, today, &policy);
        assert!(o.available, "{o:?}");
        assert_eq!(o.renews_on, far.next_day().unwrap());
        // Neither auto-renewing nor ending soon: change now instead.
        let o = option(&contract(far, false), true, false, today, &policy);
        assert_eq!(o.reasons, vec![RenewalBlock::ChangeNowPossible]);
        // R4's window boundary: 90 days left is "expires soon", 91 is not.
        let at = |days| {
            option(
                &contract(today + Duration::days(days), false),
                true,
                false,
                today,
                &policy,
            )
        };
        assert!(at(90).available);
        assert!(at(0).available, "the last day of the term");
        assert_eq!(at(91).reasons, vec![RenewalBlock::ChangeNowPossible]);
        assert_eq!(at(-1).reasons, vec![RenewalBlock::Expired]);
        // A subscription (R3): offered even far from its end.
        let mut sub = contract(far, false);
        sub.number = AgreementNumber::parse("12000000000001").unwrap();
        assert!(option(&sub, true, false, today, &policy).available);
    }

    #[test]
    fn not_offered_to_non_admins_token_flex_inactive_or_with_a_change_open() {
        let policy = Policy::default();
        let today = date!(2026 - 11 - 25);
        let a = contract(today + Duration::days(200), true);
        assert_eq!(
            option(&a, false, false, today, &policy).reasons,
            vec![RenewalBlock::NotPermitted]
        );
        assert_eq!(
            option(&a, true, true, today, &policy).reasons,
            vec![RenewalBlock::ChangePending]
        );
        let mut eba = a.clone();
        eba.program = Program::parse("eba_token_flex").unwrap();
        assert_eq!(
            option(&eba, true, false, today, &policy).reasons,
            vec![RenewalBlock::TokenFlexEba]
        );
        for status in [AgreementStatus::Canceled, AgreementStatus::Suspended] {
            let mut off = a.clone();
            off.status = status;
            assert_eq!(
                option(&off, true, false, today, &policy).reasons,
                vec![RenewalBlock::NotActive]
            );
        }
    }

    #[test]
    fn applied_at_the_renewal_and_never_before() {
        let end = date!(2027 - 06 - 30);
        let a = contract(end, true);
        let n = named(end);
        assert_eq!(
            at_renewal(&n, &facts(&a), datetime!(2027-06-30 23:59:59 UTC), 30),
            AtRenewal::NotYet
        );
        assert_eq!(
            at_renewal(&n, &facts(&a), datetime!(2027-07-01 00:00 UTC), 30),
            AtRenewal::Apply
        );
    }

    #[test]
    fn a_contract_that_does_not_renew_by_itself_waits_then_lapses() {
        let end = date!(2027 - 06 - 30);
        let n = named(end);
        let manual = contract(end, false);
        let due = n.due_at;
        assert_eq!(at_renewal(&n, &facts(&manual), due, 30), AtRenewal::Wait);
        let lapse = lapse_at(due, 30);
        assert_eq!(
            at_renewal(&n, &facts(&manual), lapse - Duration::SECOND, 30),
            AtRenewal::Wait
        );
        assert_eq!(at_renewal(&n, &facts(&manual), lapse, 30), AtRenewal::Lapse);
        // Renewed meanwhile (a later term end, e.g. by import): applied.
        let renewed = contract(date!(2028 - 06 - 30), false);
        assert_eq!(at_renewal(&n, &facts(&renewed), due, 30), AtRenewal::Apply);
    }

    #[test]
    fn a_subscription_changes_only_through_its_renewal_transaction() {
        let end = date!(2027 - 06 - 30);
        let mut sub = contract(end, true);
        sub.number = AgreementNumber::parse("12000000000001").unwrap();
        let mut n = named(end);
        n.agreement = sub.number.clone();
        assert_eq!(at_renewal(&n, &facts(&sub), n.due_at, 30), AtRenewal::Wait);
        assert_eq!(
            at_renewal(&n, &facts(&sub), lapse_at(n.due_at, 30), 30),
            AtRenewal::Lapse
        );
    }

    #[test]
    fn r5_and_the_admin_are_checked_again_at_the_renewal() {
        let end = date!(2027 - 06 - 30);
        let a = contract(end, true);
        let n = named(end);
        let mut f = facts(&a);
        f.partner_problem = Some(ReasonCode::PartnerInactive);
        assert_eq!(
            at_renewal(&n, &f, n.due_at, 30),
            AtRenewal::Reject(vec![ReasonCode::PartnerInactive])
        );
        let mut f = facts(&a);
        f.named_by_admin = false;
        assert_eq!(
            at_renewal(&n, &f, n.due_at, 30),
            AtRenewal::Reject(vec![ReasonCode::NotPermitted])
        );
        let mut canceled = a.clone();
        canceled.status = AgreementStatus::Canceled;
        assert_eq!(
            at_renewal(&n, &facts(&canceled), n.due_at, 30),
            AtRenewal::Reject(vec![ReasonCode::NotActive])
        );
        let gone = RenewalFacts {
            agreement: None,
            named_by_admin: true,
            partner_problem: None,
        };
        assert_eq!(
            at_renewal(&n, &gone, n.due_at, 30),
            AtRenewal::Reject(vec![ReasonCode::NotActive])
        );
    }
}
