//! The audit entries and outbox rows written beside every state change,
//! and the change feed.
//!
//! Why this differs from PostgreSQL: rows are written as multi-row VALUES
//! lists (PostgreSQL binds one array per column), and with one writer the
//! feed simply follows sequence numbers.

use kontor_core::StoreResult;
use kontor_core::domain::audit::AuditEntry;
use kontor_core::domain::notify::OutboxMessage;
use kontor_core::store::ChangeFeed;
use kontor_store_sql::backend::ChangeFeedSource;
use kontor_store_sql::rows::feed_page;
use kontor_store_sql::{Backend, Ctx};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::rows::{json, ms};

use crate::SqliteStore;

/// Rows per multi-row INSERT: well under SQLite's 32,766 bound variables.
const CHUNK: usize = 500;

pub(crate) async fn insert_audit(
    conn: &mut SqliteConnection,
    entries: &[AuditEntry],
) -> StoreResult<()> {
    for chunk in entries.chunks(CHUNK) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO audit (id, at, actor_id, actor, action, account_csn, agreement_number, request_id, before, after) ",
        );
        let mut encoded = Vec::with_capacity(chunk.len());
        for e in chunk {
            encoded.push((json(&e.before)?, json(&e.after)?));
        }
        q.push_values(chunk.iter().zip(encoded), |mut b, (e, (before, after))| {
            b.push_bind(e.id.to_string())
                .push_bind(ms(e.at))
                .push_bind(e.actor_id.map(|u| u.0.to_string()))
                .push_bind(e.actor.clone())
                .push_bind(e.action.as_str())
                .push_bind(e.account.as_ref().map(|c| c.as_str().to_owned()))
                .push_bind(e.agreement.as_ref().map(|a| a.as_str().to_owned()))
                .push_bind(e.request.map(|r| r.0.to_string()))
                .push_bind(before)
                .push_bind(after);
        });
        q.build()
            .execute(&mut *conn)
            .await
            .ctx("failed to append audit entries")?;
    }
    Ok(())
}

pub(crate) async fn insert_outbox(
    conn: &mut SqliteConnection,
    messages: &[OutboxMessage],
    now: OffsetDateTime,
) -> StoreResult<()> {
    let stamped: Vec<(&OutboxMessage, OffsetDateTime)> =
        messages.iter().map(|m| (m, now)).collect();
    insert_outbox_at(conn, &stamped).await
}

/// Queues messages, each with its own creation time, in multi-row inserts.
pub(crate) async fn insert_outbox_at(
    conn: &mut SqliteConnection,
    messages: &[(&OutboxMessage, OffsetDateTime)],
) -> StoreResult<()> {
    for chunk in messages.chunks(CHUNK) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO outbox (id, kind, payload, next_attempt_at, created_at) ",
        );
        let mut payloads = Vec::with_capacity(chunk.len());
        for (m, _) in chunk {
            payloads.push(json(m)?);
        }
        q.push_values(chunk.iter().zip(payloads), |mut b, ((m, at), payload)| {
            b.push_bind(Uuid::now_v7().to_string())
                .push_bind(m.kind())
                .push_bind(payload)
                .push_bind(ms(*at))
                .push_bind(ms(*at));
        });
        q.build()
            .execute(&mut *conn)
            .await
            .ctx("failed to queue outbox messages")?;
    }
    Ok(())
}

impl ChangeFeedSource for SqliteStore {
    /// The highest audit sequence number.
    async fn feed_head(&self) -> StoreResult<i64> {
        let head: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM audit")
            .fetch_one(self.reader())
            .await
            .ctx("failed to read audit head")?;
        Ok(head.unwrap_or(0))
    }

    /// SQLite has one writer, so sequence numbers are in commit order and
    /// "after the last seen number" misses nothing.
    async fn feed_since(&self, position: i64) -> StoreResult<ChangeFeed> {
        const PAGE: i64 = 1000;
        let rows: Vec<(i64, Option<String>, bool)> = sqlx::query_as(
            "SELECT seq, agreement_number, action = 'partner_assignment_changed' FROM audit \
             WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(position)
        .bind(PAGE)
        .fetch_all(self.reader())
        .await
        .ctx("failed to read the change feed")?;
        feed_page(position, rows, PAGE)
    }
}
