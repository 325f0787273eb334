//! What kontor's SQL backends share: row types with their conversion to
//! domain types, the tenant filters (R1) as SQL, and the worker's batch
//! planning, which is the same on SQLite and PostgreSQL once the due batch
//! has been read. Each backend keeps its own statements where the dialects
//! differ (placeholders, JSON functions, locking).

pub mod deliveries;
pub mod due;
pub mod fixtures;
pub mod heartbeat;
pub mod rows;
pub mod scope;
