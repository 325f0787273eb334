//! Policy settings the rules read (R4 expiry window, processing delay, acceptance).

use serde::{Deserialize, Serialize};
use time::Duration;

use super::agreement::SupportLevel;
use super::consent::ConsentModel;

/// The settings the eligibility rules and the worker depend on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Minutes between submit and apply (SPEC: "at least one hour", default 60).
    pub processing_delay_minutes: i64,
    /// R4 `expires_soon`: blocked when `0 ≤ days_left ≤ expiry_window_days`.
    pub expiry_window_days: i64,
    /// When true, the new partner must accept before the request is processed.
    pub acceptance_required: bool,
    /// Days the new partner has to accept.
    pub acceptance_days: i64,
    /// How soon support answers a new case, by support level.
    pub first_response: LevelHours,
    /// How soon support resolves a case, by support level (#22).
    #[serde(default = "LevelHours::resolution")]
    pub resolution: LevelHours,
    /// Hours before a request waiting for the new partner's answer expires
    /// at which it is escalated to the partner and support (#22).
    #[serde(default = "default_acceptance_escalate_hours")]
    pub acceptance_escalate_hours: i64,
    /// Days after the renewal date within which a contract that does not
    /// renew by itself may still be renewed for a partner named for the
    /// renewal to take over (#22); after that the naming lapses.
    #[serde(default = "default_renewal_grace_days")]
    pub renewal_grace_days: i64,
    /// Hours a transfer code is valid when the agreement's program does not
    /// take its consent by code (there, the program's own period holds).
    #[serde(default = "default_transfer_code_valid_hours")]
    pub transfer_code_valid_hours: i64,
}

fn default_transfer_code_valid_hours() -> i64 {
    72
}

fn default_renewal_grace_days() -> i64 {
    30
}

fn default_acceptance_escalate_hours() -> i64 {
    24
}

/// Support's targets in hours, by support level: the first response
/// (#20) and the resolution (#22) of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelHours {
    /// Standard.
    pub standard_hours: i64,
    /// Advanced.
    pub advanced_hours: i64,
    /// Premium.
    pub premium_hours: i64,
}

impl LevelHours {
    /// The default first-response targets.
    pub fn first_response() -> Self {
        LevelHours {
            standard_hours: 24,
            advanced_hours: 4,
            premium_hours: 1,
        }
    }

    /// The default resolution targets.
    pub fn resolution() -> Self {
        LevelHours {
            standard_hours: 72,
            advanced_hours: 24,
            premium_hours: 8,
        }
    }

    /// The target for `level`.
    pub fn of(&self, level: SupportLevel) -> Duration {
        Duration::hours(match level {
            SupportLevel::Standard => self.standard_hours,
            SupportLevel::Advanced => self.advanced_hours,
            SupportLevel::Premium => self.premium_hours,
        })
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            processing_delay_minutes: 60,
            expiry_window_days: 90,
            acceptance_required: false,
            acceptance_days: 7,
            first_response: LevelHours::first_response(),
            resolution: LevelHours::resolution(),
            acceptance_escalate_hours: default_acceptance_escalate_hours(),
            renewal_grace_days: default_renewal_grace_days(),
            transfer_code_valid_hours: default_transfer_code_valid_hours(),
        }
    }
}

impl Policy {
    /// The processing delay as a duration.
    pub fn processing_delay(&self) -> Duration {
        Duration::minutes(self.processing_delay_minutes)
    }

    /// The consent model of a program without a choice of its own (#22):
    /// acceptance when the configuration requires it, otherwise none.
    pub fn default_consent(&self) -> ConsentModel {
        if self.acceptance_required {
            ConsentModel::Acceptance {
                acceptance_days: self.acceptance_days,
            }
        } else {
            ConsentModel::None
        }
    }
}
