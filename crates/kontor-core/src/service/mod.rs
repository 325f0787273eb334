//! Use cases: each reads, applies the pure domain rules, and hands one unit
//! of work (state change + audit + outbox) to the store.

pub mod access;
pub mod accounts;
pub mod apply;
pub mod bulk_run;
pub mod cache;
pub mod consent;
pub mod deadlines;
pub mod directory;
pub mod dispute;
pub mod import;
pub mod import_csv;
pub mod import_json;
pub mod partner_change;
pub mod passkeys;
pub mod people;
pub mod proposal;
pub mod reminders;
pub mod renewal;
pub mod scim;
pub mod second_factor;
pub mod settings;
pub mod sso;
pub mod support;
pub mod transaction;
pub mod transfer_code;

use std::sync::Arc;

use crate::clock::Clock;
use crate::domain::policy::Policy;
use crate::store::Store;

/// What every use case needs: the store, the clock and the policy.
#[derive(Clone)]
pub struct Services {
    /// Storage backend.
    pub store: Arc<dyn Store>,
    /// Injected clock.
    pub clock: Arc<dyn Clock>,
    /// Policy settings.
    pub policy: Policy,
    /// Read-through cache of the hot read paths.
    pub cache: Arc<cache::ReadCache>,
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Services")
            .field("clock", &self.clock)
            .field("policy", &self.policy)
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}
