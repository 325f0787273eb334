//! Disputes (#22 point 4): a partner a pending change would replace may
//! object within the processing window, with a reason. The change is then
//! held — the worker does not apply it — until a support agent lets it
//! proceed or rejects it with a note the customer sees.
//!
//! A hold is kept beside the request rather than as a request status of its
//! own: the request stays `pending` (R7 still blocks a second one, R9 still
//! lets an admin withdraw it), and the worker passes over a request with an
//! open dispute. Released, the request is applied at its next round with
//! the R8 re-check, as any other.

use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::agreement::{SupportLevel, str_enum};
use super::change_request::{ChangeRequest, RequestId, RequestStatus};
use super::ids::{AgreementNumber, Csn};
use super::roles::{Actor, Role, UserId};
use super::sla::{self, Deadlines, Progress, SlaState};

str_enum!(
    /// Where a dispute stands.
    DisputeStatus {
        /// Waiting for support; the change is held.
        Open = "open",
        /// Support let the change proceed.
        Released = "released",
        /// Support agreed with the partner: the change was rejected.
        Upheld = "upheld",
        /// The change was withdrawn while held (R9).
        Withdrawn = "withdrawn",
    }
);

/// Longest reason or decision note, in characters.
pub const MAX_TEXT: usize = 2000;

/// A partner's objection to a pending change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dispute {
    /// Identifier (UUIDv7).
    pub id: Uuid,
    /// The change held.
    pub request: RequestId,
    /// Its agreement.
    pub agreement: AgreementNumber,
    /// Its customer account.
    pub account: Csn,
    /// The partner that objects (one the change would replace).
    pub partner: Csn,
    /// Who filed it.
    pub filed_by: UserId,
    /// Why (shown to support and the disputing partner, not the customer).
    pub reason: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub filed_at: OffsetDateTime,
    /// The agreement's support level: the deadlines follow it.
    pub support_level: SupportLevel,
    /// Support's answer is due.
    #[serde(with = "time::serde::rfc3339")]
    pub respond_by: OffsetDateTime,
    /// Support's decision is due.
    #[serde(with = "time::serde::rfc3339")]
    pub resolve_by: OffsetDateTime,
    /// Open, released, upheld or withdrawn.
    pub status: DisputeStatus,
    /// The support agent or operator who decided.
    pub decided_by: Option<UserId>,
    /// When it was decided (or withdrawn).
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    /// The agent's note: for an upheld dispute, the reason the customer
    /// reads.
    pub decision_note: Option<String>,
}

impl Dispute {
    /// The dispute's deadlines.
    pub fn deadlines(&self) -> Deadlines {
        Deadlines {
            opened_at: self.filed_at,
            respond_by: self.respond_by,
            resolve_by: self.resolve_by,
        }
    }

    /// Where it stands against its deadlines at `now`: a decision is both
    /// support's response and its resolution.
    pub fn sla_state(&self, now: OffsetDateTime) -> SlaState {
        let progress = Progress {
            first_response_at: None,
            resolved_at: self.decided_at,
        };
        sla::state(now, &self.deadlines(), &progress)
    }
}

/// Why a partner may not dispute a change now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The person is not staff of a partner the change would replace.
    NotReplaced,
    /// The change is not pending, or its processing time is over.
    WindowClosed,
}

/// Whether `actor` may dispute `request` at `now`: staff of a partner the
/// change would replace, while the request is pending and before it is
/// due. Under the acceptance policy the window opens at acceptance (the
/// request is pending from then). At `due_at` it is closed, whether or not
/// the worker has applied the change yet.
pub fn may_dispute(
    actor: &Actor,
    request: &ChangeRequest,
    now: OffsetDateTime,
) -> Result<Csn, Refusal> {
    let partner = match (&actor.role, actor.partner()) {
        (Role::PartnerAdmin | Role::PartnerAgent, Some(p)) if request.old_partners.contains(p) => {
            p.clone()
        }
        _ => return Err(Refusal::NotReplaced),
    };
    if request.status != RequestStatus::Pending || now >= request.due_at {
        return Err(Refusal::WindowClosed);
    }
    Ok(partner)
}

#[cfg(test)]
mod tests {
    use time::Duration;
    use time::macros::datetime;

    use super::*;
    use crate::domain::roles::{Lang, Tenant};
    use crate::domain::zone::Zone;

    const DUE: OffsetDateTime = datetime!(2026-11-25 10:00 UTC);

    fn request(status: RequestStatus) -> ChangeRequest {
        ChangeRequest {
            id: RequestId(Uuid::nil()),
            agreement: AgreementNumber::parse("110000000001").unwrap(),
            account: Csn::parse("7000000001").unwrap(),
            old_partners: vec![Csn::parse("5100000001").unwrap()],
            new_partner: Csn::parse("5100000002").unwrap(),
            status,
            requested_by: UserId(Uuid::nil()),
            created_at: DUE - Duration::HOUR,
            due_at: DUE,
            decided_at: None,
            decided_by: None,
            reasons: vec![],
            idempotency_key: None,
        }
    }

    fn actor(role: Role, tenant: Tenant) -> Actor {
        Actor {
            user_id: UserId(Uuid::nil()),
            email: "someone@example.com".into(),
            name: "Someone".into(),
            role,
            tenant,
            lang: Lang::De,
            time_zone: Zone::UTC,
        }
    }

    fn staff(role: Role, partner: &str) -> Actor {
        actor(role, Tenant::Partner(Csn::parse(partner).unwrap()))
    }

    #[test]
    fn the_replaced_partner_disputes_until_the_minute_before_the_change_is_due() {
        let paul = staff(Role::PartnerAgent, "5100000001");
        let r = request(RequestStatus::Pending);
        assert_eq!(
            may_dispute(&paul, &r, DUE - Duration::MINUTE),
            Ok(Csn::parse("5100000001").unwrap())
        );
        assert_eq!(
            may_dispute(&paul, &r, DUE - Duration::SECOND),
            Ok(Csn::parse("5100000001").unwrap())
        );
        assert_eq!(may_dispute(&paul, &r, DUE), Err(Refusal::WindowClosed));
        assert_eq!(
            may_dispute(&paul, &r, DUE + Duration::MINUTE),
            Err(Refusal::WindowClosed)
        );
    }

    #[test]
    fn only_a_pending_change_and_only_its_replaced_partners() {
        let early = DUE - Duration::MINUTE;
        for status in RequestStatus::ALL {
            let r = request(*status);
            let admin = staff(Role::PartnerAdmin, "5100000001");
            assert_eq!(
                may_dispute(&admin, &r, early).is_ok(),
                *status == RequestStatus::Pending,
                "{status:?}"
            );
        }
        let r = request(RequestStatus::Pending);
        // The new partner, another partner, the customer and support cannot.
        for actor in [
            staff(Role::PartnerAdmin, "5100000002"),
            staff(Role::PartnerAgent, "5100000003"),
            actor(
                Role::PrimaryAdmin,
                Tenant::Account(Csn::parse("7000000001").unwrap()),
            ),
            actor(Role::SupportAgent, Tenant::Vendor),
        ] {
            assert_eq!(
                may_dispute(&actor, &r, early),
                Err(Refusal::NotReplaced),
                "{:?}",
                actor.role
            );
        }
    }

    #[test]
    fn a_decision_answers_and_resolves_the_dispute() {
        let filed = DUE - Duration::minutes(30);
        let d = Dispute {
            id: Uuid::nil(),
            request: RequestId(Uuid::nil()),
            agreement: AgreementNumber::parse("110000000001").unwrap(),
            account: Csn::parse("7000000001").unwrap(),
            partner: Csn::parse("5100000001").unwrap(),
            filed_by: UserId(Uuid::nil()),
            reason: "Vertrag läuft noch".into(),
            filed_at: filed,
            support_level: SupportLevel::Premium,
            respond_by: filed + Duration::HOUR,
            resolve_by: filed + Duration::hours(8),
            status: DisputeStatus::Open,
            decided_by: None,
            decided_at: None,
            decision_note: None,
        };
        assert_eq!(
            d.sla_state(filed + Duration::HOUR + Duration::SECOND),
            SlaState::ResponseOverdue
        );
        let decided = Dispute {
            status: DisputeStatus::Released,
            decided_at: Some(filed + Duration::minutes(10)),
            ..d
        };
        assert_eq!(decided.sla_state(filed + Duration::DAY), SlaState::Met);
    }
}
