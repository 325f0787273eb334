//! kontor's domain, use cases and storage contract. No web framework, no
//! database driver: the backends and the binary depend on this crate, never
//! the other way round.

pub mod clock;
pub mod domain;
pub mod error;
pub mod service;
pub mod store;

pub use error::{Error, FieldError, Result, StoreError, StoreResult, Text};
