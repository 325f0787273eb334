//! The change-request state machine (R7, R8, R9, acceptance policy).
//!
//! ```text
//! awaiting_partner ──accept──▶ pending ──apply──▶ applied
//!        │  │                   │  │
//!        │  └─decline▶ declined  │  └─reject──▶ rejected
//!        ├──timeout──▶ expired   │
//!        └──withdraw─▶ withdrawn ◀──withdraw──┘
//! ```

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::agreement::str_enum;
use super::eligibility::ReasonCode;
use super::ids::{AgreementNumber, Csn};
use super::roles::UserId;

str_enum!(
    /// Where a change request stands.
    RequestStatus {
        /// The new partner has not accepted yet (acceptance policy on).
        AwaitingPartner = "awaiting_partner",
        /// Waiting for the processing delay to pass.
        Pending = "pending",
        /// Partners of record replaced.
        Applied = "applied",
        /// No longer qualified at apply time (R8), with reasons.
        Rejected = "rejected",
        /// Withdrawn by an admin (R9).
        Withdrawn = "withdrawn",
        /// The new partner declined.
        Declined = "declined",
        /// The new partner did not answer in time.
        Expired = "expired",
    }
);

impl RequestStatus {
    /// Open requests block a second one for the same agreement (R7).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            RequestStatus::Pending | RequestStatus::AwaitingPartner
        )
    }
}

str_enum!(
    /// Something that happens to a request.
    RequestEvent {
        /// The worker applied it (R8).
        Apply = "apply",
        /// The worker found it no longer qualifies (R8).
        Reject = "reject",
        /// An admin withdrew it (R9).
        Withdraw = "withdraw",
        /// The new partner accepted.
        Accept = "accept",
        /// The new partner declined.
        Decline = "decline",
        /// The acceptance period ran out.
        Timeout = "timeout",
    }
);

/// A transition that the state machine does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {} a request that is {}", event.as_str(), from.as_str())]
pub struct InvalidTransition {
    /// State the request was in.
    pub from: RequestStatus,
    /// Event that was refused.
    pub event: RequestEvent,
}

/// The one place that says which event moves a request where.
pub fn transition(
    from: RequestStatus,
    event: RequestEvent,
) -> Result<RequestStatus, InvalidTransition> {
    use RequestEvent as E;
    use RequestStatus as S;
    match (from, event) {
        (S::Pending, E::Apply) => Ok(S::Applied),
        (S::Pending, E::Reject) => Ok(S::Rejected),
        (S::Pending | S::AwaitingPartner, E::Withdraw) => Ok(S::Withdrawn),
        (S::AwaitingPartner, E::Accept) => Ok(S::Pending),
        (S::AwaitingPartner, E::Decline) => Ok(S::Declined),
        (S::AwaitingPartner, E::Timeout) => Ok(S::Expired),
        _ => Err(InvalidTransition { from, event }),
    }
}

/// Identifier of a change request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RequestId(pub Uuid);

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A request to replace the partners of record of one agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeRequest {
    /// Identifier (UUIDv7, so ids sort by creation).
    pub id: RequestId,
    /// The agreement.
    pub agreement: AgreementNumber,
    /// The agreement's account.
    pub account: Csn,
    /// Partners of record when the request was made.
    pub old_partners: Vec<Csn>,
    /// The partner that will replace all of them (R6).
    pub new_partner: Csn,
    /// Current status.
    pub status: RequestStatus,
    /// Who asked.
    pub requested_by: UserId,
    /// When it was submitted.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When the worker will process it (submit + processing delay).
    #[serde(with = "time::serde::rfc3339")]
    pub due_at: OffsetDateTime,
    /// When it reached a final status.
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    /// Who decided it (withdrawing admin, answering partner); `None` for the worker.
    pub decided_by: Option<UserId>,
    /// Why it was rejected (R8).
    pub reasons: Vec<ReasonCode>,
    /// The `Idempotency-Key` it was submitted with, if any (R7): a retry
    /// whose first answer was lost finds its own request by it. Kept out
    /// of audit entries and API answers.
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_transitions_are_allowed() {
        use RequestEvent as E;
        use RequestStatus as S;
        let allowed = [
            (S::Pending, E::Apply, S::Applied),
            (S::Pending, E::Reject, S::Rejected),
            (S::Pending, E::Withdraw, S::Withdrawn),
            (S::AwaitingPartner, E::Withdraw, S::Withdrawn),
            (S::AwaitingPartner, E::Accept, S::Pending),
            (S::AwaitingPartner, E::Decline, S::Declined),
            (S::AwaitingPartner, E::Timeout, S::Expired),
        ];
        for &from in RequestStatus::ALL {
            for &event in RequestEvent::ALL {
                let expected = allowed
                    .iter()
                    .find(|(f, e, _)| *f == from && *e == event)
                    .map(|(_, _, to)| *to);
                match expected {
                    Some(to) => assert_eq!(transition(from, event), Ok(to)),
                    None => assert_eq!(
                        transition(from, event),
                        Err(InvalidTransition { from, event }),
                        "{from:?} --{event:?}-->"
                    ),
                }
            }
        }
    }

    #[test]
    fn final_states_accept_no_event() {
        for &from in RequestStatus::ALL {
            if !from.is_open() {
                for &event in RequestEvent::ALL {
                    assert!(transition(from, event).is_err());
                }
            }
        }
    }

    #[test]
    fn withdrawing_an_applied_request_says_why_not() {
        let err = transition(RequestStatus::Applied, RequestEvent::Withdraw).unwrap_err();
        assert_eq!(err.to_string(), "cannot withdraw a request that is applied");
    }
}
