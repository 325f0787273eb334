//! What kontor's SQL backends share: every store operation whose SQL is
//! the same on SQLite and PostgreSQL ([`bodies`], expanded by each backend
//! through [`store_bodies!`]), the [`Backend`] trait naming what differs,
//! row types with their conversion to domain types, the tenant filters
//! (R1) as SQL, error mapping, and the worker's batch planning.

pub mod backend;
pub mod batching;
mod bodies;
pub mod deliveries;
pub mod due;
pub mod errors;
pub mod fixtures;
pub mod heartbeat;
pub mod rows;
pub mod scope;

pub use backend::Backend;
pub use errors::Ctx;
