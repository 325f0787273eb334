//! The eligibility engine for the self-service partner change (R3, R4, R5).
//!
//! Pure: a function of the agreement, the caller's standing, the pending
//! request (if any), today's date and the policy. It returns *every* reason
//! that holds, never just the first, so the admin sees all of them at once.

use serde::Serialize;
use time::{Date, OffsetDateTime};

use super::agreement::{Agreement, AgreementStatus, Partner, PartnerStatus};
use super::consent::{ConsentKind, ConsentModel};
use super::ids::{AgreementKind, Csn};
use super::policy::Policy;
use super::roles::Lang;

/// Stable code of a reason why the self-service change is unavailable (R4).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// The agreement renews automatically.
    AutoRenew,
    /// Enterprise Business Agreement with Token Flex.
    TokenFlexEba,
    /// The term end date is before today.
    Expired,
    /// The term ends within the expiry window.
    ExpiresSoon,
    /// Status is canceled or suspended.
    NotActive,
    /// Subscriptions change partner only through a transaction (R3).
    SubscriptionRequiresTransaction,
    /// A request for this agreement is already pending.
    ChangePending,
    /// The person is not an admin of the account.
    NotPermitted,
    /// A partner is named for the next renewal (#22): withdraw it first.
    RenewalScheduled,
    /// The program's consent model is the transfer code (#22): the admin
    /// creates a code and hands it to the new partner instead.
    TransferCodeRequired,
    /// R5 at apply time: the new partner no longer exists.
    PartnerUnknown,
    /// R5 at apply time: the new partner is no longer active.
    PartnerInactive,
    /// R5 at apply time: the new partner is already the partner of record.
    PartnerUnchanged,
    /// A partner the change would replace objected, and support agreed
    /// (#22 disputes): the agent's note says why.
    DisputeUpheld,
}

impl ReasonCode {
    /// Every code, in the order they are reported.
    pub const ALL: [ReasonCode; 14] = [
        ReasonCode::AutoRenew,
        ReasonCode::TokenFlexEba,
        ReasonCode::Expired,
        ReasonCode::ExpiresSoon,
        ReasonCode::NotActive,
        ReasonCode::SubscriptionRequiresTransaction,
        ReasonCode::ChangePending,
        ReasonCode::NotPermitted,
        ReasonCode::RenewalScheduled,
        ReasonCode::TransferCodeRequired,
        ReasonCode::PartnerUnknown,
        ReasonCode::PartnerInactive,
        ReasonCode::PartnerUnchanged,
        ReasonCode::DisputeUpheld,
    ];

    /// Stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::AutoRenew => "auto_renew",
            ReasonCode::TokenFlexEba => "token_flex_eba",
            ReasonCode::Expired => "expired",
            ReasonCode::ExpiresSoon => "expires_soon",
            ReasonCode::NotActive => "not_active",
            ReasonCode::SubscriptionRequiresTransaction => "subscription_requires_transaction",
            ReasonCode::ChangePending => "change_pending",
            ReasonCode::NotPermitted => "not_permitted",
            ReasonCode::RenewalScheduled => "renewal_scheduled",
            ReasonCode::TransferCodeRequired => "transfer_code_required",
            ReasonCode::PartnerUnknown => "partner_unknown",
            ReasonCode::PartnerInactive => "partner_inactive",
            ReasonCode::PartnerUnchanged => "partner_unchanged",
            ReasonCode::DisputeUpheld => "dispute_upheld",
        }
    }

    /// Parses the stable code.
    pub fn parse(raw: &str) -> Option<ReasonCode> {
        ReasonCode::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    /// What holds and what the admin can do instead, in `lang`.
    pub fn message(self, lang: Lang, window_days: i64) -> String {
        match (self, lang) {
            (ReasonCode::AutoRenew, Lang::En) => "This agreement renews automatically. Turn off automatic renewal, or name the new partner for the next renewal (change at renewal).".into(),
            (ReasonCode::AutoRenew, Lang::De) => "Die automatische Verlängerung ist aktiviert. Schalten Sie sie aus, oder benennen Sie den neuen Partner für die nächste Verlängerung.".into(),
            (ReasonCode::TokenFlexEba, Lang::En) => "Enterprise Business Agreements with Token Flex cannot change partner here. Please contact your account team or open a support case.".into(),
            (ReasonCode::TokenFlexEba, Lang::De) => "Bei einem Enterprise Business Agreement mit Token Flex kann der Partner hier nicht geändert werden. Wenden Sie sich an Ihr Account-Team oder eröffnen Sie einen Supportfall.".into(),
            (ReasonCode::Expired, Lang::En) => "The term of this agreement has ended. Renew it with the new partner: the partner named on the renewal becomes partner of record.".into(),
            (ReasonCode::Expired, Lang::De) => "Die Laufzeit dieses Vertrags ist abgelaufen. Verlängern Sie ihn über den neuen Partner: Der Partner der Verlängerung wird dann Ihr Partner.".into(),
            (ReasonCode::ExpiresSoon, Lang::En) => format!("The term ends within the next {window_days} days. Name the new partner for the renewal instead (change at renewal)."),
            (ReasonCode::ExpiresSoon, Lang::De) => format!("Die Laufzeit endet innerhalb der nächsten {window_days} Tage. Benennen Sie den neuen Partner stattdessen für die Verlängerung."),
            (ReasonCode::NotActive, Lang::En) => "This agreement is canceled or suspended. Please contact support to reactivate it first.".into(),
            (ReasonCode::NotActive, Lang::De) => "Dieser Vertrag ist gekündigt oder ausgesetzt. Wenden Sie sich an den Support, um ihn zuerst zu reaktivieren.".into(),
            (ReasonCode::SubscriptionRequiresTransaction, Lang::En) => "This subscription has a subscription ID: its partner changes only with a financial transaction (renewal, adding seats, switching term or upgrade) placed through the new partner.".into(),
            (ReasonCode::SubscriptionRequiresTransaction, Lang::De) => "Dieses Abonnement hat eine Abonnement-ID: Der Partner ändert sich nur bei einer Finanztransaktion (Verlängerung, zusätzliche Plätze, Laufzeitwechsel oder Upgrade) über den neuen Partner.".into(),
            (ReasonCode::ChangePending, Lang::En) => "A partner change for this agreement is already being processed. Wait until it is done, or withdraw it first.".into(),
            (ReasonCode::ChangePending, Lang::De) => "Für diesen Vertrag wird bereits ein Partnerwechsel bearbeitet. Warten Sie, bis er abgeschlossen ist, oder ziehen Sie ihn zurück.".into(),
            (ReasonCode::NotPermitted, Lang::En) => "Only an administrator of this account can change the partner. Please ask your administrator.".into(),
            (ReasonCode::NotPermitted, Lang::De) => "Nur ein Administrator dieses Kontos kann den Partner ändern. Bitte wenden Sie sich an Ihren Administrator.".into(),
            (ReasonCode::RenewalScheduled, Lang::En) => "A partner is already named for the next renewal. If the agreement can change now after all (for example because automatic renewal was turned off), withdraw the naming first.".into(),
            (ReasonCode::RenewalScheduled, Lang::De) => "Für die nächste Verlängerung ist bereits ein Partner benannt. Kann der Vertrag inzwischen sofort wechseln (etwa weil die automatische Verlängerung ausgeschaltet wurde), ziehen Sie die Benennung zuerst zurück.".into(),
            (ReasonCode::TransferCodeRequired, Lang::En) => "For this program the new partner confirms the change with a transfer code: create a code for this agreement and give it to the new partner, who redeems it in the partner portal.".into(),
            (ReasonCode::TransferCodeRequired, Lang::De) => "In diesem Programm bestätigt der neue Partner den Wechsel mit einem Übertragungscode: Erstellen Sie einen Code für diesen Vertrag und geben Sie ihn dem neuen Partner, der ihn im Partnerportal einlöst.".into(),
            (ReasonCode::PartnerUnknown, Lang::En) => "The chosen partner no longer exists. Please choose another partner.".into(),
            (ReasonCode::PartnerUnknown, Lang::De) => "Der gewählte Partner existiert nicht mehr. Bitte wählen Sie einen anderen Partner.".into(),
            (ReasonCode::PartnerInactive, Lang::En) => "The chosen partner is no longer active. Please choose another partner.".into(),
            (ReasonCode::PartnerInactive, Lang::De) => "Der gewählte Partner ist nicht mehr aktiv. Bitte wählen Sie einen anderen Partner.".into(),
            (ReasonCode::PartnerUnchanged, Lang::En) => "The chosen partner already is the partner of record; nothing to change.".into(),
            (ReasonCode::PartnerUnchanged, Lang::De) => "Der gewählte Partner ist bereits Ihr Partner; es gibt nichts zu ändern.".into(),
            (ReasonCode::DisputeUpheld, Lang::En) => "The partner being replaced objected to the change, and the vendor's support agreed; its note says why. Talk to your partner, or contact support if you disagree.".into(),
            (ReasonCode::DisputeUpheld, Lang::De) => "Der bisherige Partner hat dem Wechsel widersprochen, und der Support des Herstellers hat ihm recht gegeben; seine Begründung steht dabei. Sprechen Sie mit Ihrem Partner, oder wenden Sie sich an den Support, wenn Sie anderer Meinung sind.".into(),
        }
    }
}

/// One reason with the date from which the change becomes possible, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// Stable code.
    pub code: ReasonCode,
    /// Date from which this reason no longer holds, when one is known.
    pub possible_from: Option<Date>,
}

/// Everything the rules need to know about a pending request on the agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PendingFacts {
    /// When the pending request will be processed.
    pub due_at: OffsetDateTime,
}

/// The answer of the eligibility engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Eligibility {
    /// True when no reason holds.
    pub eligible: bool,
    /// Every reason that holds, in `ReasonCode::ALL` order.
    pub reasons: Vec<Reason>,
}

impl Eligibility {
    /// True when `code` is among the reasons.
    pub fn has(&self, code: ReasonCode) -> bool {
        self.reasons.iter().any(|r| r.code == code)
    }
}

/// Today's date as the rules see it: the UTC calendar date of `now`.
pub fn today(now: OffsetDateTime) -> Date {
    now.to_offset(time::UtcOffset::UTC).date()
}

/// R3/R4: may the self-service change be requested for `agreement` now?
///
/// `is_admin` is whether the caller is an admin of the agreement's account;
/// `pending` describes the request already pending for it, if any;
/// `renewal_named` whether a partner is named for its next renewal.
pub fn check(
    agreement: &Agreement,
    is_admin: bool,
    pending: Option<PendingFacts>,
    renewal_named: bool,
    today: Date,
    policy: &Policy,
) -> Eligibility {
    let mut reasons = Vec::new();
    let mut add = |code, possible_from| {
        reasons.push(Reason {
            code,
            possible_from,
        })
    };
    if agreement.auto_renew {
        add(ReasonCode::AutoRenew, None);
    }
    if agreement.program.is_token_flex_eba() {
        add(ReasonCode::TokenFlexEba, None);
    }
    let days_left = agreement.days_left(today);
    if days_left < 0 {
        add(ReasonCode::Expired, None);
    } else if days_left <= policy.expiry_window_days {
        add(ReasonCode::ExpiresSoon, None);
    }
    if matches!(
        agreement.status,
        AgreementStatus::Canceled | AgreementStatus::Suspended
    ) {
        add(ReasonCode::NotActive, None);
    }
    if agreement.kind() == AgreementKind::Subscription {
        add(ReasonCode::SubscriptionRequiresTransaction, None);
    }
    if let Some(p) = pending {
        // Once the pending request has been processed a new one can be made.
        add(ReasonCode::ChangePending, Some(self::today(p.due_at)));
    }
    if !is_admin {
        add(ReasonCode::NotPermitted, None);
    }
    if renewal_named {
        add(ReasonCode::RenewalScheduled, None);
    }
    Eligibility {
        eligible: reasons.is_empty(),
        reasons,
    }
}

/// Adds R4 `transfer_code_required` to a self-service check when the
/// agreement's program takes its consent by transfer code (#22): the
/// admin cannot submit directly but creates a code. Only submitting is
/// refused — a request made by redeeming a code is applied as any other.
pub fn with_consent(mut e: Eligibility, model: ConsentModel) -> Eligibility {
    if model.kind() == ConsentKind::TransferCode {
        // After every reason `check` reports, before the apply-time ones:
        // the order of `ReasonCode::ALL` holds.
        e.reasons.push(Reason {
            code: ReasonCode::TransferCodeRequired,
            possible_from: None,
        });
        e.eligible = false;
    }
    e
}

/// Why a chosen new partner cannot be used (R5).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartnerProblem {
    /// No partner with that CSN exists.
    #[error("no partner with CSN {0} exists")]
    Unknown(Csn),
    /// The partner exists but is not active.
    #[error("partner {0} is not active and cannot be chosen")]
    Inactive(Csn),
    /// Choosing it would leave the partners of record unchanged.
    #[error("partner {0} is already the partner of record")]
    Unchanged(Csn),
}

impl PartnerProblem {
    /// The reason code recorded when the problem shows up at apply time (R8).
    pub fn code(&self) -> ReasonCode {
        match self {
            PartnerProblem::Unknown(_) => ReasonCode::PartnerUnknown,
            PartnerProblem::Inactive(_) => ReasonCode::PartnerInactive,
            PartnerProblem::Unchanged(_) => ReasonCode::PartnerUnchanged,
        }
    }

    /// The problem as the refused `field`'s, in words of the translations.
    pub fn at(&self, field: impl Into<String>) -> crate::FieldError {
        let (code, csn) = match self {
            PartnerProblem::Unknown(c) => ("partner-unknown", c),
            PartnerProblem::Inactive(c) => ("partner-not-active", c),
            PartnerProblem::Unchanged(c) => ("partner-unchanged", c),
        };
        crate::FieldError::coded(
            field,
            code,
            vec![("csn", csn.to_string())],
            self.to_string(),
        )
    }
}

/// R5: the new partner must exist, be active, and differ from the current
/// partner set. With several current partners, choosing one of them is a
/// change (the others are dropped, R6).
pub fn check_new_partner(
    current: &[Csn],
    wanted: &Csn,
    found: Option<&Partner>,
) -> Result<(), PartnerProblem> {
    let partner = found.ok_or_else(|| PartnerProblem::Unknown(wanted.clone()))?;
    if partner.status != PartnerStatus::Active {
        return Err(PartnerProblem::Inactive(wanted.clone()));
    }
    if current.len() == 1 && &current[0] == wanted {
        return Err(PartnerProblem::Unchanged(wanted.clone()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;
    use crate::domain::agreement::{ProductLine, Program, SupportLevel};
    use crate::domain::ids::AgreementNumber;

    fn csn(s: &str) -> Csn {
        Csn::parse(s).unwrap()
    }

    /// An agreement that qualifies on 2026-01-01: contract, active, no
    /// auto-renew, standard program, ends 2027-12-31.
    fn eligible_contract() -> Agreement {
        Agreement {
            number: AgreementNumber::parse("110000000001").unwrap(),
            account: csn("7000000001"),
            products: vec![ProductLine {
                name: "AutoCAD".into(),
                seats: 5,
            }],
            term_start: date!(2026 - 01 - 01),
            term_end: date!(2027 - 12 - 31),
            auto_renew: false,
            program: Program::standard(),
            support_level: SupportLevel::Advanced,
            status: AgreementStatus::Active,
            partners: vec![csn("5100000001")],
        }
    }

    fn codes(e: &Eligibility) -> Vec<ReasonCode> {
        e.reasons.iter().map(|r| r.code).collect()
    }

    fn ending_in(days: i64) -> (Agreement, Date) {
        let today = date!(2026 - 03 - 10);
        let mut a = eligible_contract();
        a.term_end = today + time::Duration::days(days);
        (a, today)
    }

    #[test]
    fn a_plain_active_contract_is_eligible() {
        let e = check(
            &eligible_contract(),
            true,
            None,
            false,
            date!(2026 - 01 - 01),
            &Policy::default(),
        );
        assert!(e.eligible);
        assert!(e.reasons.is_empty());
    }

    // R4 transfer_code_required (#22): only the code model refuses a
    // direct submit, and it comes after every other reason, in ALL order.
    #[test]
    fn r4_the_code_model_refuses_a_direct_submit() {
        use crate::domain::consent::ConsentModel;
        let today = date!(2026 - 01 - 01);
        let plain = || {
            check(
                &eligible_contract(),
                true,
                None,
                false,
                today,
                &Policy::default(),
            )
        };
        assert!(with_consent(plain(), ConsentModel::None).eligible);
        assert!(with_consent(plain(), ConsentModel::Acceptance { acceptance_days: 7 }).eligible);
        let coded = with_consent(
            plain(),
            ConsentModel::TransferCode {
                code_valid_hours: 72,
            },
        );
        assert!(!coded.eligible);
        assert_eq!(codes(&coded), vec![ReasonCode::TransferCodeRequired]);
        let mut a = eligible_contract();
        a.auto_renew = true;
        let both = with_consent(
            check(&a, false, None, true, today, &Policy::default()),
            ConsentModel::TransferCode {
                code_valid_hours: 72,
            },
        );
        let got = codes(&both);
        let mut sorted = got.clone();
        sorted.sort_by_key(|c| ReasonCode::ALL.iter().position(|x| x == c));
        assert_eq!(got, sorted);
        assert_eq!(got.last(), Some(&ReasonCode::TransferCodeRequired));
    }

    // R4 expires_soon / expired boundaries: -1 expired, 0..=90 soon, 91 allowed.
    #[test]
    fn r4_days_left_boundaries() {
        let cases = [
            (-1, vec![ReasonCode::Expired]),
            (0, vec![ReasonCode::ExpiresSoon]),
            (1, vec![ReasonCode::ExpiresSoon]),
            (30, vec![ReasonCode::ExpiresSoon]),
            (90, vec![ReasonCode::ExpiresSoon]),
            (91, vec![]),
            (-400, vec![ReasonCode::Expired]),
        ];
        for (days, expected) in cases {
            let (a, today) = ending_in(days);
            let e = check(&a, true, None, false, today, &Policy::default());
            assert_eq!(codes(&e), expected, "days_left = {days}");
            assert_eq!(e.eligible, expected.is_empty(), "days_left = {days}");
        }
    }

    #[test]
    fn r4_expiry_window_is_a_policy_setting() {
        let policy = Policy {
            expiry_window_days: 30,
            ..Policy::default()
        };
        let (a, today) = ending_in(31);
        assert!(check(&a, true, None, false, today, &policy).eligible);
        let (a, today) = ending_in(30);
        assert!(!check(&a, true, None, false, today, &policy).eligible);
    }

    #[test]
    fn r4_term_ending_on_leap_day_counts_whole_days() {
        let mut a = eligible_contract();
        a.term_end = date!(2028 - 02 - 29);
        // 2027-11-30 → 2028-02-29 is 91 days (Dec 31 + Jan 31 + Feb 29).
        assert_eq!(a.days_left(date!(2027 - 11 - 30)), 91);
        assert!(
            check(
                &a,
                true,
                None,
                false,
                date!(2027 - 11 - 30),
                &Policy::default()
            )
            .eligible
        );
        assert_eq!(a.days_left(date!(2027 - 12 - 01)), 90);
        let e = check(
            &a,
            true,
            None,
            false,
            date!(2027 - 12 - 01),
            &Policy::default(),
        );
        assert_eq!(codes(&e), vec![ReasonCode::ExpiresSoon]);
        // The last day of the term is still "0 days left", the next is expired.
        assert_eq!(
            codes(&check(
                &a,
                true,
                None,
                false,
                date!(2028 - 02 - 29),
                &Policy::default()
            )),
            vec![ReasonCode::ExpiresSoon]
        );
        assert_eq!(
            codes(&check(
                &a,
                true,
                None,
                false,
                date!(2028 - 03 - 01),
                &Policy::default()
            )),
            vec![ReasonCode::Expired]
        );
    }

    #[test]
    fn today_is_the_utc_date_so_midnight_moves_the_boundary() {
        let mut a = eligible_contract();
        a.term_end = date!(2026 - 04 - 01);
        // 2026-01-01 → 2026-04-01 is 90 days; one minute later it is 89.
        let before = today(datetime!(2025-12-31 23:59 UTC));
        let after = today(datetime!(2026-01-01 00:00 UTC));
        assert_eq!(a.days_left(before), 91);
        assert_eq!(a.days_left(after), 90);
        assert!(check(&a, true, None, false, before, &Policy::default()).eligible);
        assert!(!check(&a, true, None, false, after, &Policy::default()).eligible);
        // An instant given in another offset is converted to UTC first.
        assert_eq!(today(datetime!(2026-01-01 00:30 +01:00)), before);
    }

    #[test]
    fn each_reason_holds_on_its_own() {
        let today = date!(2026 - 01 - 01);
        let policy = Policy::default();
        let mut a = eligible_contract();
        a.auto_renew = true;
        assert_eq!(
            codes(&check(&a, true, None, false, today, &policy)),
            [ReasonCode::AutoRenew]
        );
        let mut a = eligible_contract();
        a.program = Program::parse("eba_token_flex").unwrap();
        assert_eq!(
            codes(&check(&a, true, None, false, today, &policy)),
            [ReasonCode::TokenFlexEba]
        );
        for status in [AgreementStatus::Canceled, AgreementStatus::Suspended] {
            let mut a = eligible_contract();
            a.status = status;
            assert_eq!(
                codes(&check(&a, true, None, false, today, &policy)),
                [ReasonCode::NotActive]
            );
        }
        // `expired` status with a term still running is not `not_active`.
        let mut a = eligible_contract();
        a.status = AgreementStatus::Expired;
        assert!(check(&a, true, None, false, today, &policy).eligible);
        let mut a = eligible_contract();
        a.number = AgreementNumber::parse("12000000000001").unwrap();
        assert_eq!(
            codes(&check(&a, true, None, false, today, &policy)),
            [ReasonCode::SubscriptionRequiresTransaction]
        );
        assert_eq!(
            codes(&check(
                &eligible_contract(),
                false,
                None,
                false,
                today,
                &policy
            )),
            [ReasonCode::NotPermitted]
        );
    }

    #[test]
    fn change_pending_gives_the_date_it_is_processed() {
        let pending = PendingFacts {
            due_at: datetime!(2026-01-01 23:30 UTC),
        };
        let e = check(
            &eligible_contract(),
            true,
            Some(pending),
            false,
            date!(2026 - 01 - 01),
            &Policy::default(),
        );
        assert_eq!(
            e.reasons,
            vec![Reason {
                code: ReasonCode::ChangePending,
                possible_from: Some(date!(2026 - 01 - 01))
            }]
        );
    }

    /// Every one of the 2^9 combinations of conditions yields exactly the
    /// reasons whose condition holds, in stable order.
    #[test]
    fn every_combination_of_reasons_is_listed_together() {
        let today = date!(2026 - 01 - 01);
        let policy = Policy::default();
        for mask in 0u16..(1 << 9) {
            let on = |bit: u16| mask & (1 << bit) != 0;
            let mut a = eligible_contract();
            a.auto_renew = on(0);
            if on(1) {
                a.program = Program::parse("eba_token_flex").unwrap();
            }
            // bits 2 and 3: expired and expires_soon exclude each other, so
            // bit 3 only counts when bit 2 is off.
            if on(2) {
                a.term_end = today - time::Duration::days(1);
            } else if on(3) {
                a.term_end = today + time::Duration::days(45);
            }
            if on(4) {
                a.status = AgreementStatus::Suspended;
            }
            if on(5) {
                a.number = AgreementNumber::parse("12000000000001").unwrap();
            }
            let pending = on(6).then_some(PendingFacts {
                due_at: datetime!(2026-01-01 12:00 UTC),
            });
            let e = check(&a, !on(7), pending, on(8), today, &policy);
            let mut expected = Vec::new();
            let flags = [
                (on(0), ReasonCode::AutoRenew),
                (on(1), ReasonCode::TokenFlexEba),
                (on(2), ReasonCode::Expired),
                (on(3) && !on(2), ReasonCode::ExpiresSoon),
                (on(4), ReasonCode::NotActive),
                (on(5), ReasonCode::SubscriptionRequiresTransaction),
                (on(6), ReasonCode::ChangePending),
                (on(7), ReasonCode::NotPermitted),
                (on(8), ReasonCode::RenewalScheduled),
            ];
            for (holds, code) in flags {
                if holds {
                    expected.push(code);
                }
            }
            assert_eq!(codes(&e), expected, "mask {mask:#010b}");
            assert_eq!(e.eligible, expected.is_empty());
        }
    }

    #[test]
    fn every_reason_has_a_message_in_both_languages() {
        for code in ReasonCode::ALL {
            for lang in [Lang::De, Lang::En] {
                assert!(code.message(lang, 90).len() > 20, "{code:?} {lang:?}");
            }
            assert_ne!(code.message(Lang::De, 90), code.message(Lang::En, 90));
            assert_eq!(ReasonCode::parse(code.as_str()), Some(code));
        }
        assert!(ReasonCode::ExpiresSoon.message(Lang::En, 45).contains("45"));
    }

    fn partner(c: &str, status: PartnerStatus) -> Partner {
        Partner {
            csn: csn(c),
            name: "P".into(),
            city: "C".into(),
            country: "DE".into(),
            status,
            email: "p@example.com".into(),
        }
    }

    #[test]
    fn r5_new_partner_must_exist_be_active_and_differ() {
        let current = vec![csn("5100000001")];
        let other = partner("5100000002", PartnerStatus::Active);
        assert_eq!(
            check_new_partner(&current, &other.csn, Some(&other)),
            Ok(())
        );
        assert_eq!(
            check_new_partner(&current, &csn("5100000009"), None),
            Err(PartnerProblem::Unknown(csn("5100000009")))
        );
        let inactive = partner("5100000003", PartnerStatus::Inactive);
        assert_eq!(
            check_new_partner(&current, &inactive.csn, Some(&inactive)),
            Err(PartnerProblem::Inactive(inactive.csn.clone()))
        );
        let same = partner("5100000001", PartnerStatus::Active);
        assert_eq!(
            check_new_partner(&current, &same.csn, Some(&same)),
            Err(PartnerProblem::Unchanged(same.csn.clone()))
        );
    }

    #[test]
    fn r6_choosing_one_of_several_current_partners_is_a_change() {
        let current = vec![csn("5100000001"), csn("5100000002")];
        let one = partner("5100000001", PartnerStatus::Active);
        assert_eq!(check_new_partner(&current, &one.csn, Some(&one)), Ok(()));
    }
}
