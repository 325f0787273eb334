//! Support cases: "change only one of several partners" (R6), and the
//! conversation between the customer and support in each (#19).

use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::agreement::{SupportLevel, str_enum};
use super::ids::{AgreementNumber, Csn};
use super::roles::UserId;
use super::sla::{self, Deadlines, Progress, SlaState};

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

str_enum!(
    /// What a case asks of support.
    CaseTopic {
        /// Replace one of several partners of an agreement (R6).
        ReplacePartner = "replace_partner",
        /// A question: handed over by the help assistant or asked directly.
        Question = "question",
    }
);

/// A case a customer opened with the vendor's support: to replace one of
/// several partners (R6), or a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupportCase {
    /// Identifier (UUIDv7).
    pub id: Uuid,
    /// The customer account.
    pub account: Csn,
    /// The agreement it is about, if any (always for a partner swap).
    pub agreement: Option<AgreementNumber>,
    /// Who opened it.
    pub opened_by: UserId,
    /// The partner to replace (one of several); with `new_partner`, or
    /// neither for a question.
    pub replace_partner: Option<Csn>,
    /// The partner to put in its place.
    pub new_partner: Option<Csn>,
    /// The opening message (for a hand-off, the conversation with the
    /// assistant).
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
    /// The support level whose first-response target applies (cases
    /// opened before #20 have none).
    pub support_level: Option<SupportLevel>,
    /// When support's first response is due.
    #[serde(with = "time::serde::rfc3339::option")]
    pub respond_by: Option<OffsetDateTime>,
    /// When the case is to be resolved (#22; cases opened before have none
    /// unless the upgrade gave them one).
    #[serde(with = "time::serde::rfc3339::option")]
    pub resolve_by: Option<OffsetDateTime>,
    /// Support's first reply.
    #[serde(with = "time::serde::rfc3339::option")]
    pub first_response_at: Option<OffsetDateTime>,
}

impl SupportCase {
    /// What the case asks of support.
    pub fn topic(&self) -> CaseTopic {
        if self.swap().is_some() {
            CaseTopic::ReplacePartner
        } else {
            CaseTopic::Question
        }
    }

    /// The partner to replace and the one to put in its place (R6).
    pub fn swap(&self) -> Option<(&Csn, &Csn)> {
        self.replace_partner.as_ref().zip(self.new_partner.as_ref())
    }

    /// The case's deadlines, when it has them (#22).
    pub fn deadlines(&self) -> Option<Deadlines> {
        Some(Deadlines {
            opened_at: self.created_at,
            respond_by: self.respond_by?,
            resolve_by: self.resolve_by?,
        })
    }

    /// What support has done against the deadlines.
    pub fn progress(&self) -> Progress {
        Progress {
            first_response_at: self.first_response_at,
            resolved_at: self.resolved_at,
        }
    }

    /// Where the case stands against its deadlines at `now`.
    pub fn sla_state(&self, now: OffsetDateTime) -> Option<SlaState> {
        Some(sla::state(now, &self.deadlines()?, &self.progress()))
    }

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
