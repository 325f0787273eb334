//! The vendor proposes a new partner (#22 point 7): when an operator
//! deactivates a partner (or moves its customers), the admins of every
//! account it serves are mailed the proposed partner — once per account —
//! with a link that opens the change with that partner found. Who acted is
//! derived when read, from the agreements as they stand now.

use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::agreement::str_enum;
use super::ids::{AgreementNumber, Csn};
use super::roles::UserId;

/// A proposal as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// Identifier (UUIDv7).
    pub id: Uuid,
    /// The partner being replaced.
    pub from_partner: Csn,
    /// The partner proposed instead.
    pub to_partner: Csn,
    /// The operator who proposed it.
    pub created_by: UserId,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

str_enum!(
    /// Where an account stands with a proposal.
    Progress {
        /// None of its agreements is served by the replaced partner any
        /// more.
        Changed = "changed",
        /// A change or a naming for the renewal is open, or some of its
        /// agreements changed already.
        Requested = "requested",
        /// Nothing happened yet: a reminder goes here.
        None = "none",
    }
);

/// What is known of one agreement of a proposal now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgreementNow {
    /// The replaced partner still serves it.
    pub still_served: bool,
    /// A change is open for it, or a partner is named for its renewal.
    pub open: bool,
}

/// An account's progress from its agreements' (R6: an agreement several
/// partners serve counts as changed once the replaced one is gone).
pub fn progress(agreements: &[AgreementNow]) -> Progress {
    if agreements.iter().all(|a| !a.still_served) {
        Progress::Changed
    } else if agreements.iter().any(|a| !a.still_served || a.open) {
        Progress::Requested
    } else {
        Progress::None
    }
}

/// One account of a proposal, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalAccount {
    /// The customer account.
    pub account: Csn,
    /// Its agreements the replaced partner served when it was proposed.
    pub agreements: Vec<AgreementNumber>,
    /// Where it stands now.
    pub progress: Progress,
    /// When its admins were mailed.
    pub mailed_at: OffsetDateTime,
    /// When they were last reminded.
    pub reminded_at: Option<OffsetDateTime>,
    /// How often they were reminded.
    pub reminders: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    const FROM: AgreementNow = AgreementNow {
        still_served: true,
        open: false,
    };
    const OPEN: AgreementNow = AgreementNow {
        still_served: true,
        open: true,
    };
    const MOVED: AgreementNow = AgreementNow {
        still_served: false,
        open: false,
    };

    #[test]
    fn an_account_has_changed_only_when_every_agreement_moved() {
        assert_eq!(progress(&[MOVED]), Progress::Changed);
        assert_eq!(progress(&[MOVED, MOVED]), Progress::Changed);
        assert_eq!(progress(&[MOVED, FROM]), Progress::Requested);
        assert_eq!(progress(&[OPEN]), Progress::Requested);
        assert_eq!(progress(&[FROM, OPEN]), Progress::Requested);
        assert_eq!(progress(&[FROM]), Progress::None);
        assert_eq!(progress(&[FROM, FROM]), Progress::None);
    }
}
