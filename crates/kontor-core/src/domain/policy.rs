//! Policy settings the rules read (R4 expiry window, processing delay, acceptance).

use serde::{Deserialize, Serialize};
use time::Duration;

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
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            processing_delay_minutes: 60,
            expiry_window_days: 90,
            acceptance_required: false,
            acceptance_days: 7,
        }
    }
}

impl Policy {
    /// The processing delay as a duration.
    pub fn processing_delay(&self) -> Duration {
        Duration::minutes(self.processing_delay_minutes)
    }

    /// How long the new partner has to answer (acceptance policy).
    pub fn acceptance_period(&self) -> Duration {
        Duration::days(self.acceptance_days)
    }
}
