//! `kontor copy-to-postgres URL`: moves an installation from its embedded
//! SQLite database to PostgreSQL.
//!
//! Every table is copied row for row — audit log, partner history, requests,
//! sessions, idempotency keys — from one read transaction on SQLite (a
//! consistent snapshot even while a server writes) into one transaction on
//! a freshly migrated, empty PostgreSQL database. Before that transaction
//! commits, the row counts of both sides are compared table by table; any
//! difference rolls everything back. Identity sequences continue after the
//! copied numbers, so new audit entries follow the old ones.

use std::fmt::Write as _;

use anyhow::{Context, bail};
use futures_util::TryStreamExt;
use kontor_store_postgres::PgStore;
use kontor_store_sqlite::SqliteStore;
use sqlx::{Postgres, QueryBuilder, Row};

/// How a column is typed on both sides.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Int,
    Bool,
    Bytes,
}

use Kind::{Bool, Bytes, Int, Text};

/// Tables in an order that satisfies their references, with their columns.
const TABLES: &[(&str, &[(&str, Kind)])] = &[
    (
        "partners",
        &[
            ("csn", Text),
            ("name", Text),
            ("city", Text),
            ("country", Text),
            ("status", Text),
            ("email", Text),
        ],
    ),
    (
        "accounts",
        &[("csn", Text), ("name", Text), ("country", Text)],
    ),
    (
        "users",
        &[
            ("id", Text),
            ("email", Text),
            ("name", Text),
            ("role", Text),
            ("account_csn", Text),
            ("partner_csn", Text),
            ("lang", Text),
            ("password_hash", Text),
            ("created_at", Int),
            ("disabled_at", Int),
        ],
    ),
    (
        "api_tokens",
        &[
            ("id", Text),
            ("user_id", Text),
            ("token_hash", Text),
            ("label", Text),
            ("created_at", Int),
            ("revoked_at", Int),
        ],
    ),
    (
        "agreements",
        &[
            ("number", Text),
            ("kind", Text),
            ("account_csn", Text),
            ("term_start", Text),
            ("term_end", Text),
            ("auto_renew", Bool),
            ("program", Text),
            ("support_level", Text),
            ("status", Text),
            ("products", Text),
        ],
    ),
    (
        "user_agreements",
        &[("user_id", Text), ("agreement_number", Text)],
    ),
    (
        "partner_assignments",
        &[
            ("id", Int),
            ("agreement_number", Text),
            ("partner_csn", Text),
            ("valid_from", Int),
            ("valid_to", Int),
            ("source", Text),
            ("change_request_id", Text),
        ],
    ),
    (
        "change_requests",
        &[
            ("id", Text),
            ("agreement_number", Text),
            ("account_csn", Text),
            ("old_partners", Text),
            ("new_partner_csn", Text),
            ("status", Text),
            ("requested_by", Text),
            ("created_at", Int),
            ("due_at", Int),
            ("decided_at", Int),
            ("decided_by", Text),
            ("reasons", Text),
            ("idempotency_key", Text),
        ],
    ),
    (
        "transactions",
        &[
            ("id", Text),
            ("agreement_number", Text),
            ("kind", Text),
            ("partner_csn", Text),
            ("recorded_by", Text),
            ("recorded_at", Int),
            ("details", Text),
        ],
    ),
    (
        "audit",
        &[
            ("seq", Int),
            ("id", Text),
            ("at", Int),
            ("actor_id", Text),
            ("actor", Text),
            ("action", Text),
            ("account_csn", Text),
            ("agreement_number", Text),
            ("request_id", Text),
            ("before", Text),
            ("after", Text),
        ],
    ),
    (
        "outbox",
        &[
            ("seq", Int),
            ("id", Text),
            ("kind", Text),
            ("payload", Text),
            ("attempts", Int),
            ("next_attempt_at", Int),
            ("lease_until", Int),
            ("last_error", Text),
            ("created_at", Int),
            ("delivered_at", Int),
            ("status", Text),
        ],
    ),
    (
        "idempotency_keys",
        &[
            ("user_id", Text),
            ("scope", Text),
            ("key", Text),
            ("fingerprint", Text),
            ("state", Text),
            ("status", Int),
            ("body", Bytes),
            ("created_at", Int),
            ("updated_at", Int),
            ("owner", Text),
            ("attempt", Text),
        ],
    ),
    (
        "sessions",
        &[
            ("id_hash", Text),
            ("user_id", Text),
            ("csrf", Text),
            ("created_at", Int),
            ("last_seen_at", Int),
        ],
    ),
    (
        "support_cases",
        &[
            ("id", Text),
            ("account_csn", Text),
            ("agreement_number", Text),
            ("opened_by", Text),
            ("replace_partner", Text),
            ("new_partner", Text),
            ("message", Text),
            ("status", Text),
            ("created_at", Int),
            ("resolved_at", Int),
            ("resolved_by", Text),
        ],
    ),
    (
        "invitations",
        &[
            ("token_hash", Text),
            ("user_id", Text),
            ("created_at", Int),
            ("expires_at", Int),
            ("used_at", Int),
            ("purpose", Text),
        ],
    ),
    (
        "signin_failures",
        &[("key", Text), ("at", Int), ("attempt", Text)],
    ),
    (
        "webhook_endpoints",
        &[
            ("id", Text),
            ("url", Text),
            ("description", Text),
            ("event_types", Text),
            ("secret", Text),
            ("previous_secret", Text),
            ("previous_secret_until", Int),
            ("enabled", Bool),
            ("disabled_reason", Text),
            ("failing_since", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "deliveries",
        &[
            ("seq", Int),
            ("id", Text),
            ("outbox_id", Text),
            ("channel", Text),
            ("recipient", Text),
            ("endpoint_id", Text),
            ("status", Text),
            ("attempts", Int),
            ("next_attempt_at", Int),
            ("claim", Text),
            ("last_error", Text),
            ("last_status", Int),
            ("created_at", Int),
            ("delivered_at", Int),
        ],
    ),
    (
        "delivery_attempts",
        &[
            ("seq", Int),
            ("delivery_id", Text),
            ("at", Int),
            ("status_code", Int),
            ("latency_ms", Int),
            ("error", Text),
        ],
    ),
];

/// Tables whose identity column must continue after the copied numbers.
const IDENTITIES: &[(&str, &str)] = &[
    ("partner_assignments", "id"),
    ("audit", "seq"),
    ("outbox", "seq"),
    ("deliveries", "seq"),
    ("delivery_attempts", "seq"),
];

/// Rows per multi-row INSERT (PostgreSQL allows 65,535 bound values).
const ROWS_PER_INSERT: usize = 2000;

/// One table's result.
pub struct Copied {
    pub table: &'static str,
    pub source: i64,
    pub target: i64,
}

/// Copies everything from `source` into the empty database at `target`.
pub async fn copy_to_postgres(
    source: &SqliteStore,
    target: &PgStore,
) -> anyhow::Result<Vec<Copied>> {
    let pg = target.pool();
    for (table, _) in TABLES {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(pg)
            .await
            .with_context(|| format!("failed to count {table} in PostgreSQL"))?;
        if n > 0 {
            bail!(
                "the PostgreSQL database is not empty ({table} has {n} rows); copy into a new database"
            );
        }
    }
    let mut from = source
        .read_pool()
        .begin()
        .await
        .context("failed to open a read transaction on SQLite")?;
    let mut to = pg.begin().await.context("failed to begin on PostgreSQL")?;
    for statement in [
        "SET CONSTRAINTS ALL DEFERRED",
        "SET LOCAL statement_timeout = 0",
        "SET LOCAL idle_in_transaction_session_timeout = 0",
    ] {
        sqlx::query(statement).execute(&mut *to).await?;
    }
    let mut report = Vec::with_capacity(TABLES.len());
    for (table, columns) in TABLES {
        let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
        let list = names.join(", ");
        let source_count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *from)
            .await
            .with_context(|| format!("failed to count {table} in SQLite"))?;
        let select = format!("SELECT {list} FROM {table}");
        let mut rows = sqlx::query(&select).fetch(&mut *from);
        let mut batch = Vec::with_capacity(ROWS_PER_INSERT);
        loop {
            let row = rows
                .try_next()
                .await
                .with_context(|| format!("failed to read {table} from SQLite"))?;
            let done = row.is_none();
            if let Some(row) = row {
                batch.push(row);
            }
            if batch.len() == ROWS_PER_INSERT || (done && !batch.is_empty()) {
                let mut q: QueryBuilder<Postgres> =
                    QueryBuilder::new(format!("INSERT INTO {table} ({list}) "));
                let mut bad = None;
                q.push_values(batch.drain(..), |mut b, row| {
                    for (i, (name, kind)) in columns.iter().enumerate() {
                        let bound = match kind {
                            Text => row.try_get::<Option<String>, _>(i).map(|v| {
                                b.push_bind(v);
                            }),
                            Int => row.try_get::<Option<i64>, _>(i).map(|v| {
                                b.push_bind(v);
                            }),
                            Bool => row.try_get::<Option<bool>, _>(i).map(|v| {
                                b.push_bind(v);
                            }),
                            Bytes => row.try_get::<Option<Vec<u8>>, _>(i).map(|v| {
                                b.push_bind(v);
                            }),
                        };
                        if let Err(e) = bound {
                            bad.get_or_insert(format!("{table}.{name}: {e}"));
                        }
                    }
                });
                if let Some(e) = bad {
                    bail!("cannot read {e}");
                }
                q.build()
                    .execute(&mut *to)
                    .await
                    .with_context(|| format!("failed to write {table} to PostgreSQL"))?;
            }
            if done {
                break;
            }
        }
        drop(rows);
        let target_count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *to)
            .await?;
        report.push(Copied {
            table,
            source: source_count,
            target: target_count,
        });
    }
    // PostgreSQL keeps the open requests (R7, the worker's queue) in a table
    // of their own, derived from the requests' states.
    sqlx::query(
        "INSERT INTO open_requests (agreement_number, request_id, status, due_at) \
         SELECT agreement_number, id, status, due_at FROM change_requests \
         WHERE status IN ('pending', 'awaiting_partner')",
    )
    .execute(&mut *to)
    .await
    .context("failed to list the open requests")?;
    for (table, column) in IDENTITIES {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
             COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
        ))
        .execute(&mut *to)
        .await
        .with_context(|| format!("failed to continue the numbering of {table}"))?;
    }
    if report.iter().any(|c| c.source != c.target) {
        let mut msg = String::from("row counts differ; nothing was copied:\n");
        for c in &report {
            let _ = writeln!(msg, "  {:<20} {:>10} {:>10}", c.table, c.source, c.target);
        }
        bail!(msg);
    }
    to.commit().await.context("failed to commit the copy")?;
    from.rollback().await.ok();
    Ok(report)
}

/// Every table the copy moves (and verifies).
pub fn tables() -> impl Iterator<Item = &'static str> {
    TABLES.iter().map(|(t, _)| *t)
}

/// The columns copied of `table` (a test checks they are all there are).
pub fn columns(table: &str) -> impl Iterator<Item = &'static str> {
    TABLES
        .iter()
        .filter(move |(t, _)| *t == table)
        .flat_map(|(_, cols)| cols.iter().map(|(c, _)| *c))
}
