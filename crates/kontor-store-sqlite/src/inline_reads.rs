//! The hottest point reads, answered on the calling thread.
//!
//! sqlx runs every SQLite connection on a thread of its own and sends each
//! query there and the rows back: two thread hand-offs, about 84 µs and
//! six context switches per query on this project's 2-core box, against
//! 35 µs for the same read made where the request already runs (#23). For
//! the few reads every request of the hot routes makes — an agreement
//! with its partners, open request and renewal partner — that hand-off
//! was most of the request. These connections are plain synchronous
//! handles on the very SQLite library sqlx links (rusqlite over the same
//! `libsqlite3-sys`), read-only, and the read runs inline.
//!
//! Inline is right only for reads that are short by construction: one
//! primary-key lookup and a few index probes, microseconds with the file
//! in memory (mapped, see `CACHE_PRAGMAS`). Anything that scans stays on sqlx,
//! where a slow query blocks a connection thread, not the runtime.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use kontor_core::StoreError;
use kontor_core::StoreResult;
use kontor_core::domain::ids::AgreementNumber;
use kontor_core::store::AgreementState;
use kontor_store_sql::rows::{AgreementRow, AgreementWithRequestRow};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row};

/// Read-only connections for inline reads, opened when first needed and
/// kept for the next caller. As many are open as reads ran at once — at
/// most one per runtime thread.
pub(crate) struct InlineReads {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl std::fmt::Debug for InlineReads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InlineReads")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl InlineReads {
    pub(crate) fn new(path: PathBuf) -> Self {
        InlineReads {
            path,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `read` on an idle connection (or a new one), then keeps the
    /// connection for the next read. A connection whose read failed is
    /// dropped rather than kept.
    fn with<T>(
        &self,
        what: &'static str,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> StoreResult<T> {
        let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match idle {
            Some(conn) => conn,
            None => self.open().map_err(|e| failed(e, what))?,
        };
        let result = read(&conn).map_err(|e| failed(e, what))?;
        self.idle
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(conn);
        Ok(result)
    }

    /// Closes the idle connections (a read after this opens a new one).
    pub(crate) fn close(&self) {
        self.idle.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        // NO_MUTEX: a connection is used by one thread at a time (it is
        // taken out of `idle` for the read), so SQLite's own per-connection
        // mutex would only cost.
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(10))?;
        for (name, value) in crate::CACHE_PRAGMAS {
            conn.pragma_update(None, name, value)?;
        }
        Ok(conn)
    }

    /// [`kontor_core::store::AgreementStore::agreement_state`] unscoped: the
    /// query the shared body builds for `Scope::All`, its row decoded here.
    pub(crate) fn agreement_state(
        &self,
        sql: &str,
        number: &AgreementNumber,
    ) -> StoreResult<Option<AgreementState>> {
        let row = self.with("failed to read agreement", |conn| {
            conn.prepare_cached(sql)?
                .query_row([number.as_str()], state_row)
                .optional()
        })?;
        row.map(AgreementWithRequestRow::state).transpose()
    }
}

fn failed(e: rusqlite::Error, what: &'static str) -> StoreError {
    StoreError::Other(anyhow::Error::new(e).context(what))
}

/// The columns of the agreement-state query in their order, as sqlx's
/// `FromRow` of [`AgreementWithRequestRow`] names them; read by position
/// (a lookup by name compares every column's name per value), and a test
/// holds the query to this order.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const STATE_COLUMNS: [&str; 30] = [
    "number",
    "account_csn",
    "term_start",
    "term_end",
    "auto_renew",
    "program",
    "support_level",
    "status",
    "products",
    "partners",
    "r_id",
    "r_agreement_number",
    "r_account_csn",
    "r_old_partners",
    "r_new_partner_csn",
    "r_status",
    "r_requested_by",
    "r_created_at",
    "r_due_at",
    "r_decided_at",
    "r_decided_by",
    "r_reasons",
    "r_idempotency_key",
    "n_id",
    "n_account_csn",
    "n_new_partner_csn",
    "n_named_by",
    "n_named_at",
    "n_term_end",
    "n_due_at",
];

/// One row of the agreement-state query (columns as [`STATE_COLUMNS`]).
fn state_row(r: &Row<'_>) -> rusqlite::Result<AgreementWithRequestRow> {
    Ok(AgreementWithRequestRow {
        agreement: AgreementRow {
            number: r.get(0)?,
            account_csn: r.get(1)?,
            term_start: r.get(2)?,
            term_end: r.get(3)?,
            auto_renew: r.get(4)?,
            program: r.get(5)?,
            support_level: r.get(6)?,
            status: r.get(7)?,
            products: r.get(8)?,
            partners: r.get(9)?,
        },
        r_id: r.get(10)?,
        r_agreement_number: r.get(11)?,
        r_account_csn: r.get(12)?,
        r_old_partners: r.get(13)?,
        r_new_partner_csn: r.get(14)?,
        r_status: r.get(15)?,
        r_requested_by: r.get(16)?,
        r_created_at: r.get(17)?,
        r_due_at: r.get(18)?,
        r_decided_at: r.get(19)?,
        r_decided_by: r.get(20)?,
        r_reasons: r.get(21)?,
        r_idempotency_key: r.get(22)?,
        n_id: r.get(23)?,
        n_account_csn: r.get(24)?,
        n_new_partner_csn: r.get(25)?,
        n_named_by: r.get(26)?,
        n_named_at: r.get(27)?,
        n_term_end: r.get(28)?,
        n_due_at: r.get(29)?,
    })
}
