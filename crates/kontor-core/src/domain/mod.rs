//! Pure domain code: no I/O, exhaustively testable.

pub mod agreement;
pub mod audit;
pub mod bulk_run;
pub mod change_request;
pub mod consent;
pub mod delivery;
pub mod dispute;
pub mod eligibility;
pub mod ids;
pub mod notify;
pub mod passkey;
pub mod permissions;
pub mod policy;
pub mod proposal;
pub mod reminder;
pub mod renewal;
pub mod roles;
pub mod scim;
pub mod second_factor;
pub mod sla;
pub mod sso;
pub mod support;
pub mod throttle;
pub mod transfer_code;
pub mod values;
pub mod zone;
