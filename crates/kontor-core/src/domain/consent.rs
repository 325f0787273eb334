//! How the new partner consents to a change, chosen per program by the
//! operator (#22 point 2):
//!
//! - **none** — the seed's flow: the change is pending for the processing
//!   delay and then applied;
//! - **acceptance** — the new partner accepts within N days, and the
//!   processing delay starts then;
//! - **transfer code** — the customer's admin creates a code and hands it to
//!   the new partner, who redeems it; redeeming is the consent. An admin of
//!   such a program cannot submit a change directly (R4
//!   `transfer_code_required`).
//!
//! A program without a choice of its own follows the configured default.

use serde::Serialize;
use time::OffsetDateTime;

use super::agreement::{Program, str_enum};
use super::roles::UserId;

/// Longest acceptance period an operator may choose, in days.
pub const MAX_ACCEPTANCE_DAYS: i64 = 90;
/// Longest validity of a transfer code, in hours (30 days).
pub const MAX_CODE_VALID_HOURS: i64 = 720;

str_enum!(
    /// The kind of consent, as stored and in the API.
    ConsentKind {
        /// No consent: pending for the processing delay, then applied.
        None = "none",
        /// The new partner accepts within a number of days.
        Acceptance = "acceptance",
        /// The new partner redeems a code the customer hands over.
        TransferCode = "transfer_code",
    }
);

/// A consent model with its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum ConsentModel {
    /// No consent.
    None,
    /// The new partner accepts within `acceptance_days`.
    Acceptance {
        /// Days to accept.
        acceptance_days: i64,
    },
    /// The new partner redeems a code that is valid for `code_valid_hours`.
    TransferCode {
        /// Hours a new code is valid.
        code_valid_hours: i64,
    },
}

impl ConsentModel {
    /// Its kind.
    pub fn kind(self) -> ConsentKind {
        match self {
            ConsentModel::None => ConsentKind::None,
            ConsentModel::Acceptance { .. } => ConsentKind::Acceptance,
            ConsentModel::TransferCode { .. } => ConsentKind::TransferCode,
        }
    }

    /// Builds a model from its stored or submitted parts; the field that
    /// is wrong and what was expected otherwise. A period the kind does not
    /// use is ignored.
    pub fn of(
        kind: ConsentKind,
        acceptance_days: Option<i64>,
        code_valid_hours: Option<i64>,
    ) -> Result<ConsentModel, (&'static str, i64)> {
        match kind {
            ConsentKind::None => Ok(ConsentModel::None),
            ConsentKind::Acceptance => match acceptance_days {
                Some(d) if (1..=MAX_ACCEPTANCE_DAYS).contains(&d) => {
                    Ok(ConsentModel::Acceptance { acceptance_days: d })
                }
                _ => Err(("acceptance_days", MAX_ACCEPTANCE_DAYS)),
            },
            ConsentKind::TransferCode => match code_valid_hours {
                Some(h) if (1..=MAX_CODE_VALID_HOURS).contains(&h) => {
                    Ok(ConsentModel::TransferCode {
                        code_valid_hours: h,
                    })
                }
                _ => Err(("code_valid_hours", MAX_CODE_VALID_HOURS)),
            },
        }
    }

    /// Days to accept, under the acceptance model.
    pub fn acceptance_days(self) -> Option<i64> {
        match self {
            ConsentModel::Acceptance { acceptance_days } => Some(acceptance_days),
            _ => None,
        }
    }

    /// Hours a new code is valid, under the transfer-code model.
    pub fn code_valid_hours(self) -> Option<i64> {
        match self {
            ConsentModel::TransferCode { code_valid_hours } => Some(code_valid_hours),
            _ => None,
        }
    }
}

/// The operator's choice for one program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgramConsent {
    /// The program.
    pub program: Program,
    /// Its model.
    pub model: ConsentModel,
    /// When it was chosen.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Who chose it.
    pub updated_by: UserId,
}

/// The model that holds for `program`: its own choice, else `default`.
pub fn model_of(
    program: &Program,
    chosen: &[ProgramConsent],
    default: ConsentModel,
) -> ConsentModel {
    chosen
        .iter()
        .find(|c| &c.program == program)
        .map_or(default, |c| c.model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_checked_at_their_bounds() {
        let of = |k, d, h| ConsentModel::of(k, d, h);
        assert_eq!(of(ConsentKind::None, None, None), Ok(ConsentModel::None));
        assert_eq!(
            of(ConsentKind::Acceptance, Some(1), None),
            Ok(ConsentModel::Acceptance { acceptance_days: 1 })
        );
        assert_eq!(
            of(ConsentKind::Acceptance, Some(MAX_ACCEPTANCE_DAYS), None),
            Ok(ConsentModel::Acceptance {
                acceptance_days: MAX_ACCEPTANCE_DAYS
            })
        );
        for bad in [None, Some(0), Some(MAX_ACCEPTANCE_DAYS + 1)] {
            assert_eq!(
                of(ConsentKind::Acceptance, bad, Some(5)),
                Err(("acceptance_days", MAX_ACCEPTANCE_DAYS))
            );
        }
        assert_eq!(
            of(ConsentKind::TransferCode, None, Some(MAX_CODE_VALID_HOURS)),
            Ok(ConsentModel::TransferCode {
                code_valid_hours: MAX_CODE_VALID_HOURS
            })
        );
        for bad in [None, Some(0), Some(MAX_CODE_VALID_HOURS + 1)] {
            assert_eq!(
                of(ConsentKind::TransferCode, Some(5), bad),
                Err(("code_valid_hours", MAX_CODE_VALID_HOURS))
            );
        }
    }

    #[test]
    fn a_program_without_a_choice_follows_the_default() {
        let chosen = [ProgramConsent {
            program: Program::parse("education").unwrap(),
            model: ConsentModel::TransferCode {
                code_valid_hours: 48,
            },
            updated_at: OffsetDateTime::UNIX_EPOCH,
            updated_by: UserId(uuid::Uuid::nil()),
        }];
        let default = ConsentModel::Acceptance { acceptance_days: 7 };
        assert_eq!(
            model_of(&Program::parse("education").unwrap(), &chosen, default),
            ConsentModel::TransferCode {
                code_valid_hours: 48
            }
        );
        assert_eq!(model_of(&Program::standard(), &chosen, default), default);
    }
}
