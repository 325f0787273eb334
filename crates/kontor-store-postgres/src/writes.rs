//! The audit entries and outbox rows written beside every state change,
//! and the change feed, on PostgreSQL.
//!
//! Why this differs from SQLite: rows are inserted from one array per
//! column (see below), and sequence numbers are taken at insert, not at
//! commit, so the feed follows committed transactions instead.

use kontor_core::StoreResult;
use kontor_core::domain::audit::AuditEntry;
use kontor_core::domain::notify::OutboxMessage;
use kontor_core::store::ChangeFeed;
use kontor_store_sql::backend::ChangeFeedSource;
use kontor_store_sql::rows::feed_page;
use kontor_store_sql::{Backend, Ctx};
use sqlx::{PgConnection, Postgres};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::rows::{json, ms};

use crate::PgStore;

// Inserts bind one array per column and UNNEST them: one prepared
// statement whatever the number of rows (a multi-row VALUES list is new SQL
// for every batch size, parsed and planned each time), and no limit on
// rows per statement.

/// Bound query under construction.
type PgQuery<'q> = sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>;

/// Audit entries as one array per column.
pub(crate) struct AuditArrays {
    id: Vec<String>,
    at: Vec<i64>,
    actor_id: Vec<Option<String>>,
    actor: Vec<String>,
    action: Vec<&'static str>,
    account: Vec<Option<String>>,
    agreement: Vec<Option<String>>,
    request: Vec<Option<String>>,
    before: Vec<String>,
    after: Vec<String>,
}

impl AuditArrays {
    /// The SQL that UNNESTs the ten arrays bound from `$first` on as table
    /// `au` with columns `id, at, actor_id, actor, action, account_csn,
    /// agreement_number, request_id, before, after` — and, with `owner`, an
    /// eleventh text array bound after them as column `owner`.
    pub(crate) fn unnest(first: usize, owner: bool) -> String {
        let mut types = vec![
            "text", "bigint", "text", "text", "text", "text", "text", "text", "text", "text",
        ];
        if owner {
            types.push("text");
        }
        let args: Vec<String> = types
            .iter()
            .enumerate()
            .map(|(i, t)| format!("${}::{t}[]", first + i))
            .collect();
        format!(
            "UNNEST({}) AS au (id, at, actor_id, actor, action, account_csn, agreement_number, request_id, before, after{})",
            args.join(", "),
            if owner { ", owner" } else { "" }
        )
    }

    pub(crate) fn new<'a>(
        entries: impl ExactSizeIterator<Item = &'a AuditEntry>,
    ) -> StoreResult<Self> {
        let n = entries.len();
        let mut a = AuditArrays {
            id: Vec::with_capacity(n),
            at: Vec::with_capacity(n),
            actor_id: Vec::with_capacity(n),
            actor: Vec::with_capacity(n),
            action: Vec::with_capacity(n),
            account: Vec::with_capacity(n),
            agreement: Vec::with_capacity(n),
            request: Vec::with_capacity(n),
            before: Vec::with_capacity(n),
            after: Vec::with_capacity(n),
        };
        for e in entries {
            a.id.push(e.id.to_string());
            a.at.push(ms(e.at));
            a.actor_id.push(e.actor_id.map(|u| u.0.to_string()));
            a.actor.push(e.actor.clone());
            a.action.push(e.action.as_str());
            a.account
                .push(e.account.as_ref().map(|c| c.as_str().to_owned()));
            a.agreement
                .push(e.agreement.as_ref().map(|a| a.as_str().to_owned()));
            a.request.push(e.request.map(|r| r.0.to_string()));
            a.before.push(json(&e.before)?);
            a.after.push(json(&e.after)?);
        }
        Ok(a)
    }

    pub(crate) fn bind(self, q: PgQuery<'_>) -> PgQuery<'_> {
        q.bind(self.id)
            .bind(self.at)
            .bind(self.actor_id)
            .bind(self.actor)
            .bind(self.action)
            .bind(self.account)
            .bind(self.agreement)
            .bind(self.request)
            .bind(self.before)
            .bind(self.after)
    }
}

/// Outbox messages as one array per column.
pub(crate) struct OutboxArrays {
    id: Vec<String>,
    kind: Vec<&'static str>,
    payload: Vec<String>,
    at: Vec<i64>,
}

impl OutboxArrays {
    /// The SQL that UNNESTs the four arrays bound from `$first` on as table
    /// `ob` with columns `id, kind, payload, at` — and, with `owner`, a fifth
    /// text array bound after them as column `owner`.
    pub(crate) fn unnest(first: usize, owner: bool) -> String {
        let f = first;
        if owner {
            format!(
                "UNNEST(${f}::text[], ${}::text[], ${}::text[], ${}::bigint[], ${}::text[]) AS ob (id, kind, payload, at, owner)",
                f + 1,
                f + 2,
                f + 3,
                f + 4
            )
        } else {
            format!(
                "UNNEST(${f}::text[], ${}::text[], ${}::text[], ${}::bigint[]) AS ob (id, kind, payload, at)",
                f + 1,
                f + 2,
                f + 3
            )
        }
    }

    pub(crate) fn new<'a>(
        messages: impl ExactSizeIterator<Item = (&'a OutboxMessage, OffsetDateTime)>,
    ) -> StoreResult<Self> {
        let n = messages.len();
        let mut o = OutboxArrays {
            id: Vec::with_capacity(n),
            kind: Vec::with_capacity(n),
            payload: Vec::with_capacity(n),
            at: Vec::with_capacity(n),
        };
        for (m, created) in messages {
            o.id.push(Uuid::now_v7().to_string());
            o.kind.push(m.kind());
            o.payload.push(json(m)?);
            o.at.push(ms(created));
        }
        Ok(o)
    }

    pub(crate) fn bind(self, q: PgQuery<'_>) -> PgQuery<'_> {
        q.bind(self.id)
            .bind(self.kind)
            .bind(self.payload)
            .bind(self.at)
    }
}

pub(crate) async fn insert_audit(
    conn: &mut PgConnection,
    entries: &[AuditEntry],
) -> StoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO audit (id, at, actor_id, actor, action, account_csn, agreement_number, request_id, before, after) \
         SELECT * FROM {}",
        AuditArrays::unnest(1, false)
    );
    AuditArrays::new(entries.iter())?
        .bind(sqlx::query(&sql))
        .execute(&mut *conn)
        .await
        .ctx("failed to append audit entries")?;
    Ok(())
}

/// Queues messages created `now`, in one insert.
pub(crate) async fn insert_outbox(
    conn: &mut PgConnection,
    messages: &[OutboxMessage],
    now: OffsetDateTime,
) -> StoreResult<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO outbox (id, kind, payload, next_attempt_at, created_at) \
         SELECT id, kind, payload, at, at FROM {}",
        OutboxArrays::unnest(1, false)
    );
    OutboxArrays::new(messages.iter().map(|m| (m, now)))?
        .bind(sqlx::query(&sql))
        .execute(&mut *conn)
        .await
        .ctx("failed to queue outbox messages")?;
    Ok(())
}

/// The agreements whose audit entries were written by the transactions
/// in `[$1, $2)`: read through the b-tree `audit_txid` (migration 0007).
pub(crate) const FEED: &str = "SELECT 0::bigint, agreement_number, \
     bool_or(action = 'partner_assignment_changed') FROM audit \
     WHERE txid >= $1 AND txid < $2 GROUP BY agreement_number";

impl ChangeFeedSource for PgStore {
    /// The oldest transaction still running: every transaction before it
    /// has committed or rolled back, so its audit entries are all visible.
    async fn feed_head(&self) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            .fetch_one(self.reader())
            .await
            .ctx("failed to read the feed position")
    }

    /// Sequence numbers are taken at insert, not at commit, so "after the
    /// last seen number" could skip an entry whose transaction committed
    /// late. Instead the feed reads whole transactions: those from the last
    /// horizon up to the current one (the oldest still running), none of
    /// which can still change.
    async fn feed_since(&self, position: i64) -> StoreResult<ChangeFeed> {
        let (horizon, next): (i64, i64) = sqlx::query_as(
            "SELECT pg_snapshot_xmin(s)::text::bigint, pg_snapshot_xmax(s)::text::bigint \
             FROM pg_current_snapshot() AS s",
        )
        .fetch_one(self.reader())
        .await
        .ctx("failed to read the feed position")?;
        let rows: Vec<(i64, Option<String>, bool)> = sqlx::query_as(FEED)
            .bind(position)
            .bind(horizon)
            .fetch_all(self.reader())
            .await
            .ctx("failed to read the change feed")?;
        let mut feed = feed_page(position, rows, i64::MAX)?;
        feed.position = horizon.max(position);
        feed.behind = horizon < next;
        Ok(feed)
    }
}
