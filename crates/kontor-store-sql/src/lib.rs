//! What kontor's SQL backends share: row types with their conversion to
//! domain types, and the worker's batch planning, which is the same on
//! SQLite and PostgreSQL once the due batch has been read.

pub mod due;
pub mod fixtures;
pub mod rows;
