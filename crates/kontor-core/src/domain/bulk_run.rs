//! A change of partner for many agreements at once in the portal (#22
//! point 3): a run holds the agreements chosen, is previewed with a new
//! partner (each agreement eligible or with every reason, R4/R5) and
//! submitted once; each agreement's outcome is kept with its request.

use time::OffsetDateTime;
use uuid::Uuid;

use super::agreement::str_enum;
use super::change_request::{RequestId, RequestStatus};
use super::eligibility::ReasonCode;
use super::ids::{AgreementNumber, Csn};
use super::roles::UserId;

/// The most agreements one run holds.
pub const MAX_AGREEMENTS: usize = 1000;

str_enum!(
    /// What submitting did for one agreement.
    BulkOutcome {
        /// A request was made (or found: the run's own earlier attempt).
        Submitted = "submitted",
        /// Not eligible (R4/R5), with the reasons.
        NotEligible = "not_eligible",
        /// Something else went wrong; nothing was made for it.
        Error = "error",
    }
);

/// One agreement of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkRunItem {
    /// Its place in the run, from 0.
    pub pos: u32,
    /// The agreement.
    pub agreement: AgreementNumber,
    /// Once submitted: what happened.
    pub outcome: Option<BulkOutcome>,
    /// The request made.
    pub request: Option<RequestId>,
    /// That request's status now.
    pub request_status: Option<RequestStatus>,
    /// Why not, when not eligible.
    pub reasons: Vec<ReasonCode>,
}

/// A run: its agreements and, once submitted, the partner and outcomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkRun {
    /// Stable id.
    pub id: Uuid,
    /// The customer account.
    pub account: Csn,
    /// The admin who started it.
    pub created_by: UserId,
    /// When.
    pub created_at: OffsetDateTime,
    /// The new partner, once submitted.
    pub new_partner: Option<Csn>,
    /// When it was submitted (`None`: still a draft).
    pub submitted_at: Option<OffsetDateTime>,
    /// The agreements, in the order chosen.
    pub items: Vec<BulkRunItem>,
}

impl BulkRun {
    /// The idempotency key each of the run's requests carries, so a run
    /// submitted again (a retry, a second tab) finds its own requests
    /// instead of making new ones.
    pub fn request_key(&self) -> String {
        format!("bulk-run {}", self.id)
    }

    /// How many agreements ended with `outcome`.
    pub fn count(&self, outcome: BulkOutcome) -> usize {
        self.items
            .iter()
            .filter(|i| i.outcome == Some(outcome))
            .count()
    }
}

/// The agreements chosen, each once, in the order first chosen.
pub fn distinct(agreements: Vec<AgreementNumber>) -> Vec<AgreementNumber> {
    let mut seen = std::collections::HashSet::new();
    agreements
        .into_iter()
        .filter(|a| seen.insert(a.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agreement_chosen_twice_counts_once_in_the_order_first_chosen() {
        let n = |s: &str| AgreementNumber::parse(s).unwrap();
        assert_eq!(
            distinct(vec![
                n("110000000002"),
                n("110000000001"),
                n("1100-0000-0002"),
            ]),
            vec![n("110000000002"), n("110000000001")]
        );
    }
}
