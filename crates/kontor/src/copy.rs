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
use sqlx::query_builder::Separated;
use sqlx::sqlite::SqliteRow;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, Row, SqliteConnection};

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
            ("time_zone", Text),
            ("muted_events", Text),
            ("password_hash", Text),
            ("created_at", Int),
            ("disabled_at", Int),
            ("second_factor_reset_at", Int),
            ("external_id", Text),
            ("scim_profile", Text),
            ("suspended", Bool),
        ],
    ),
    (
        "totp_keys",
        &[
            ("user_id", Text),
            ("secret", Text),
            ("created_at", Int),
            ("confirmed_at", Int),
            ("last_step", Int),
        ],
    ),
    (
        "passkeys",
        &[
            ("credential_id", Text),
            ("user_id", Text),
            ("name", Text),
            ("algorithm", Int),
            ("public_key", Text),
            ("sign_count", Int),
            ("created_at", Int),
            ("last_used_at", Int),
        ],
    ),
    (
        "passkey_challenges",
        &[
            ("challenge", Text),
            ("user_id", Text),
            ("purpose", Text),
            ("created_at", Int),
        ],
    ),
    (
        "recovery_codes",
        &[("user_id", Text), ("code_hash", Text), ("used_at", Int)],
    ),
    (
        "account_security",
        &[
            ("account_csn", Text),
            ("second_factor", Text),
            ("grace_days", Int),
            ("since", Int),
        ],
    ),
    (
        "signin_challenges",
        &[
            ("id_hash", Text),
            ("user_id", Text),
            ("created_at", Int),
            ("next", Text),
            ("time_zone", Text),
        ],
    ),
    (
        "account_sso",
        &[
            ("account_csn", Text),
            ("issuer", Text),
            ("client_id", Text),
            ("client_secret", Text),
            ("enabled", Bool),
            ("sso_required", Bool),
            ("default_role", Text),
            ("updated_at", Int),
        ],
    ),
    (
        "sso_domains",
        &[
            ("domain", Text),
            ("account_csn", Text),
            ("approved_by", Text),
            ("approved_at", Int),
        ],
    ),
    (
        "sso_identities",
        &[
            ("issuer", Text),
            ("subject", Text),
            ("user_id", Text),
            ("created_at", Int),
        ],
    ),
    (
        "sso_states",
        &[
            ("state_hash", Text),
            ("account_csn", Text),
            ("nonce", Text),
            ("code_verifier", Text),
            ("next", Text),
            ("created_at", Int),
        ],
    ),
    (
        "scim_tokens",
        &[
            ("id", Text),
            ("account_csn", Text),
            ("token_hash", Text),
            ("label", Text),
            ("created_by", Text),
            ("created_at", Int),
            ("revoked_at", Int),
            ("last_used_at", Int),
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
            ("expires_at", Int),
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
        "reminders_sent",
        &[
            ("agreement_number", Text),
            ("term_end", Text),
            ("kind", Text),
            ("offset_days", Int),
            ("sent_at", Int),
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
        "request_escalations",
        &[("request_id", Text), ("escalated_at", Int)],
    ),
    (
        "disputes",
        &[
            ("id", Text),
            ("request_id", Text),
            ("agreement_number", Text),
            ("account_csn", Text),
            ("partner_csn", Text),
            ("filed_by", Text),
            ("reason", Text),
            ("filed_at", Int),
            ("support_level", Text),
            ("respond_by", Int),
            ("resolve_by", Int),
            ("status", Text),
            ("decided_by", Text),
            ("decided_at", Int),
            ("decision_note", Text),
            ("respond_breach_mailed_at", Int),
            ("resolve_breach_mailed_at", Int),
        ],
    ),
    (
        "renewal_partners",
        &[
            ("id", Text),
            ("agreement_number", Text),
            ("account_csn", Text),
            ("new_partner_csn", Text),
            ("named_by", Text),
            ("named_at", Int),
            ("term_end", Text),
            ("due_at", Int),
            ("check_at", Int),
            ("status", Text),
            ("decided_at", Int),
            ("decided_by", Text),
            ("reasons", Text),
            ("transaction_id", Text),
        ],
    ),
    (
        "bulk_runs",
        &[
            ("id", Text),
            ("account_csn", Text),
            ("created_by", Text),
            ("created_at", Int),
            ("new_partner_csn", Text),
            ("submitted_at", Int),
        ],
    ),
    (
        "bulk_run_items",
        &[
            ("run_id", Text),
            ("pos", Int),
            ("agreement_number", Text),
            ("outcome", Text),
            ("request_id", Text),
            ("reasons", Text),
        ],
    ),
    (
        "program_consent",
        &[
            ("program", Text),
            ("model", Text),
            ("acceptance_days", Int),
            ("code_valid_hours", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    ),
    (
        "transfer_codes",
        &[
            ("id", Text),
            ("code_hash", Text),
            ("hint", Text),
            ("account_csn", Text),
            ("created_by", Text),
            ("created_at", Int),
            ("expires_at", Int),
            ("redeemed_at", Int),
            ("redeemed_by", Text),
            ("redeemed_partner", Text),
            ("revoked_at", Int),
            ("revoked_by", Text),
        ],
    ),
    (
        "transfer_code_agreements",
        &[("code_id", Text), ("agreement_number", Text)],
    ),
    (
        "partner_proposals",
        &[
            ("id", Text),
            ("from_partner", Text),
            ("to_partner", Text),
            ("created_by", Text),
            ("created_at", Int),
        ],
    ),
    (
        "proposal_accounts",
        &[
            ("proposal_id", Text),
            ("account_csn", Text),
            ("mailed_at", Int),
            ("reminded_at", Int),
            ("reminders", Int),
        ],
    ),
    (
        "proposal_agreements",
        &[
            ("proposal_id", Text),
            ("agreement_number", Text),
            ("account_csn", Text),
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
            ("verified_at", Int),
            ("user_agent", Text),
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
            ("waiting_on", Text),
            ("support_level", Text),
            ("respond_by", Int),
            ("resolve_by", Int),
            ("first_response_at", Int),
            ("respond_breach_mailed_at", Int),
            ("resolve_breach_mailed_at", Int),
        ],
    ),
    (
        "case_messages",
        &[
            ("id", Text),
            ("case_id", Text),
            ("author_id", Text),
            ("side", Text),
            ("body", Text),
            ("created_at", Int),
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
    ensure_empty(pg).await?;
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
        report.push(copy_table(&mut from, &mut to, table, columns).await?);
    }
    complete_postgres_only_state(&mut to).await?;
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

/// Refuses a target that holds anything: the copy would mix two installations.
async fn ensure_empty(pg: &PgPool) -> anyhow::Result<()> {
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
    Ok(())
}

/// Copies one table in batches of [`ROWS_PER_INSERT`] rows, and counts it
/// on both sides.
async fn copy_table(
    from: &mut SqliteConnection,
    to: &mut PgConnection,
    table: &'static str,
    columns: &[(&str, Kind)],
) -> anyhow::Result<Copied> {
    let list = columns
        .iter()
        .map(|(c, _)| *c)
        .collect::<Vec<_>>()
        .join(", ");
    let source: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&mut *from)
        .await
        .with_context(|| format!("failed to count {table} in SQLite"))?;
    let select = format!("SELECT {list} FROM {table}");
    let mut rows = sqlx::query(&select).fetch(&mut *from);
    let mut batch = Vec::with_capacity(ROWS_PER_INSERT);
    while let Some(row) = rows
        .try_next()
        .await
        .with_context(|| format!("failed to read {table} from SQLite"))?
    {
        batch.push(row);
        if batch.len() == ROWS_PER_INSERT {
            insert_batch(to, table, &list, columns, &mut batch).await?;
        }
    }
    if !batch.is_empty() {
        insert_batch(to, table, &list, columns, &mut batch).await?;
    }
    drop(rows);
    let target: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&mut *to)
        .await?;
    Ok(Copied {
        table,
        source,
        target,
    })
}

/// Writes (and empties) `batch` with one multi-row INSERT.
async fn insert_batch(
    to: &mut PgConnection,
    table: &str,
    list: &str,
    columns: &[(&str, Kind)],
    batch: &mut Vec<SqliteRow>,
) -> anyhow::Result<()> {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(format!("INSERT INTO {table} ({list}) "));
    let mut bad = None;
    q.push_values(batch.drain(..), |mut b, row| {
        for (i, (name, kind)) in columns.iter().enumerate() {
            if let Err(e) = bind_column(&mut b, &row, i, *kind) {
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
    Ok(())
}

/// Binds column `i` of `row`, read as its `kind`.
fn bind_column(
    b: &mut Separated<'_, '_, Postgres, &'static str>,
    row: &SqliteRow,
    i: usize,
    kind: Kind,
) -> Result<(), sqlx::Error> {
    match kind {
        Text => b.push_bind(row.try_get::<Option<String>, _>(i)?),
        Int => b.push_bind(row.try_get::<Option<i64>, _>(i)?),
        Bool => b.push_bind(row.try_get::<Option<bool>, _>(i)?),
        Bytes => b.push_bind(row.try_get::<Option<Vec<u8>>, _>(i)?),
    };
    Ok(())
}

/// What PostgreSQL keeps beyond the copied rows: the open requests and
/// numbering that continues after the copied numbers.
async fn complete_postgres_only_state(to: &mut PgConnection) -> anyhow::Result<()> {
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
    sqlx::query(
        "UPDATE open_requests o SET held = true FROM disputes d \
         WHERE d.request_id = o.request_id AND d.status = 'open'",
    )
    .execute(&mut *to)
    .await
    .context("failed to hold the disputed requests")?;
    for (table, column) in IDENTITIES {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
             COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
        ))
        .execute(&mut *to)
        .await
        .with_context(|| format!("failed to continue the numbering of {table}"))?;
    }
    Ok(())
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
