//! Support cases: "change only one of several partners" (R6), and the
//! conversation between the customer and support in each (#19).

use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::agreement::str_enum;
use super::ids::{AgreementNumber, Csn};
use super::roles::UserId;

str_enum!(
    /// Where a support case stands.
    CaseStatus {
        /// Waiting for a support agent.
        Open = "open",
        /// The partner was replaced.
        Resolved = "resolved",
    }
);

str_enum!(
    /// The two sides of a case's conversation.
    CaseSide {
        /// The customer account's admins.
        Customer = "customer",
        /// The vendor's support agents and operators.
        Support = "support",
    }
);

impl CaseSide {
    /// The side that answers this one.
    pub fn other(self) -> CaseSide {
        match self {
            CaseSide::Customer => CaseSide::Support,
            CaseSide::Support => CaseSide::Customer,
        }
    }
}

/// Where a case stands as the customer reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerState {
    /// Support is to answer.
    Open,
    /// Support answered; the customer is to answer.
    WaitingForYou,
    /// Done.
    Resolved,
}

impl CustomerState {
    /// Stable name (labels, API).
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerState::Open => "open",
            CustomerState::WaitingForYou => "waiting_for_you",
            CustomerState::Resolved => "resolved",
        }
    }
}

/// One reply in a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseMessage {
    /// Identifier (UUIDv7: replies sort by time).
    pub id: Uuid,
    /// The case.
    pub case_id: Uuid,
    /// Who wrote it.
    pub author: UserId,
    /// Their name, as stored now.
    pub author_name: String,
    /// Which side they wrote for.
    pub side: CaseSide,
    /// What they wrote.
    pub body: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// A request to replace one partner of a multi-partner agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupportCase {
    /// Identifier (UUIDv7).
    pub id: Uuid,
    /// The customer account.
    pub account: Csn,
    /// The agreement.
    pub agreement: AgreementNumber,
    /// Who opened it.
    pub opened_by: UserId,
    /// The partner to replace (one of several).
    pub replace_partner: Csn,
    /// The partner to put in its place.
    pub new_partner: Csn,
    /// The admin's message.
    pub message: String,
    /// Open or resolved.
    pub status: CaseStatus,
    /// When opened.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When resolved.
    #[serde(with = "time::serde::rfc3339::option")]
    pub resolved_at: Option<OffsetDateTime>,
    /// Who resolved it.
    pub resolved_by: Option<UserId>,
    /// Who is to answer next while it is open: support after the
    /// customer wrote (and at first), the customer after support wrote.
    pub waiting_on: CaseSide,
}

impl SupportCase {
    /// Where the case stands for the customer.
    pub fn customer_state(&self) -> CustomerState {
        match (self.status, self.waiting_on) {
            (CaseStatus::Resolved, _) => CustomerState::Resolved,
            (CaseStatus::Open, CaseSide::Customer) => CustomerState::WaitingForYou,
            (CaseStatus::Open, CaseSide::Support) => CustomerState::Open,
        }
    }
}

/// The partners of record after replacing `old` by `new` (R6, support
/// path): the others stay; sorted, without duplicates.
pub fn replace_one(current: &[Csn], old: &Csn, new: &Csn) -> Vec<Csn> {
    let mut out: Vec<Csn> = current.iter().filter(|p| *p != old).cloned().collect();
    if !out.contains(new) {
        out.push(new.clone());
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Csn {
        Csn::parse(s).unwrap()
    }

    #[test]
    fn only_the_named_partner_is_replaced() {
        let current = [c("5100000001"), c("5100000002")];
        assert_eq!(
            replace_one(&current, &c("5100000001"), &c("5100000004")),
            [c("5100000002"), c("5100000004")]
        );
        // Replacing by a partner already of record drops the old one only.
        assert_eq!(
            replace_one(&current, &c("5100000001"), &c("5100000002")),
            [c("5100000002")]
        );
    }
}
