//! The store operations whose SQL is the same on SQLite and PostgreSQL,
//! each written once.
//!
//! A body is a `macro_rules!` that a backend expands for its store type
//! ([`store_bodies!`](crate::store_bodies)), so each operation is compiled
//! and type-checked for each driver exactly as if it were written there.
//! Functions generic over the sqlx driver would need the same effect, but
//! sqlx has no trait that carries every bound a query needs (each bound
//! value encodable for the driver, each row decodable, the executor of its
//! connection), so each such function would repeat a dozen `where` lines.
//! Placeholders are `$n` on both databases (sqlx-sqlite binds `$n` by
//! number). What differs — pools, a few pieces of SQL, locking, the
//! batched hot paths — is asked of [`Backend`](crate::Backend).

mod agreements;
mod audit;
mod bulk;
mod bulk_runs;
mod changes;
mod deadlines;
mod deliveries;
mod directory;
mod disputes;
mod idempotency;
mod ops;
mod proposals;
mod reminders;
mod renewals;
mod scim;
mod second_factor;
mod sessions;
mod sso;
mod support;
mod tokens;
mod transfer_codes;

/// Expands every shared store body for `$store` (an absolute path such as
/// `crate::SqliteStore`, which implements [`Backend`](crate::Backend)),
/// one module each below the invoking module; `$migrator` is the backend's
/// embedded migrations, which readiness compares with the database.
#[macro_export]
macro_rules! store_bodies {
    ($store:ty, $migrator:path) => {
        $crate::agreements_body!($store);
        $crate::audit_body!($store);
        $crate::bulk_body!($store);
        $crate::bulk_runs_body!($store);
        $crate::changes_body!($store);
        $crate::deadlines_body!($store);
        $crate::disputes_body!($store);
        $crate::deliveries_body!($store);
        $crate::directory_body!($store);
        $crate::idempotency_body!($store);
        $crate::ops_body!($store, $migrator);
        $crate::proposals_body!($store);
        $crate::reminders_body!($store);
        $crate::renewals_body!($store);
        $crate::scim_body!($store);
        $crate::second_factor_body!($store);
        $crate::sessions_body!($store);
        $crate::sso_body!($store);
        $crate::support_body!($store);
        $crate::tokens_body!($store);
        $crate::transfer_codes_body!($store);
    };
}
