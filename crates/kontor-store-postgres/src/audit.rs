//! The append-only audit log and the outbox rows written beside state changes.

use async_trait::async_trait;
use kontor_core::StoreResult;
use kontor_core::domain::audit::{AuditAction, AuditEntry};
use kontor_core::domain::change_request::RequestId;
use kontor_core::domain::ids::AgreementNumber;
use kontor_core::domain::notify::OutboxMessage;
use kontor_core::domain::roles::UserId;
use kontor_core::store::{AuditFilter, AuditRecord, AuditStore, ChangeFeed, Scope};
use kontor_store_sql::rows::feed_page;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::rows::{bad, csn, from_ms, json, ms, uuid};
use crate::{Ctx, PgStore};

/// Rows per multi-row INSERT: 10 values each, well under PostgreSQL's 65,535 bound values.
const CHUNK: usize = 500;

pub(crate) async fn insert_audit(
    conn: &mut PgConnection,
    entries: &[AuditEntry],
) -> StoreResult<()> {
    for chunk in entries.chunks(CHUNK) {
        let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
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
    conn: &mut PgConnection,
    messages: &[OutboxMessage],
    now: OffsetDateTime,
) -> StoreResult<()> {
    let stamped: Vec<(&OutboxMessage, OffsetDateTime)> =
        messages.iter().map(|m| (m, now)).collect();
    insert_outbox_at(conn, &stamped).await
}

/// Queues messages, each with its own creation time, in multi-row inserts.
pub(crate) async fn insert_outbox_at(
    conn: &mut PgConnection,
    messages: &[(&OutboxMessage, OffsetDateTime)],
) -> StoreResult<()> {
    for chunk in messages.chunks(CHUNK) {
        let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
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

#[derive(sqlx::FromRow)]
struct AuditRow {
    seq: i64,
    id: String,
    at: i64,
    actor_id: Option<String>,
    actor: String,
    action: String,
    account_csn: Option<String>,
    agreement_number: Option<String>,
    request_id: Option<String>,
    before: String,
    after: String,
}

impl TryFrom<AuditRow> for AuditRecord {
    type Error = kontor_core::StoreError;
    fn try_from(r: AuditRow) -> StoreResult<AuditRecord> {
        Ok(AuditRecord {
            seq: r.seq,
            entry: AuditEntry {
                id: uuid(&r.id)?,
                at: from_ms(r.at),
                actor_id: r.actor_id.as_deref().map(uuid).transpose()?.map(UserId),
                actor: r.actor,
                action: AuditAction::parse(&r.action)
                    .ok_or_else(|| bad("audit action", &r.action))?,
                account: r.account_csn.as_deref().map(csn).transpose()?,
                agreement: r
                    .agreement_number
                    .as_deref()
                    .map(|n| AgreementNumber::parse(n).map_err(|_| bad("agreement number", n)))
                    .transpose()?,
                request: r
                    .request_id
                    .as_deref()
                    .map(uuid)
                    .transpose()?
                    .map(RequestId),
                before: serde_json::from_str(&r.before)
                    .map_err(|_| bad("audit before", &r.before))?,
                after: serde_json::from_str(&r.after).map_err(|_| bad("audit after", &r.after))?,
            },
        })
    }
}

#[async_trait]
impl AuditStore for PgStore {
    async fn audit(&self, scope: &Scope, filter: &AuditFilter) -> StoreResult<Vec<AuditRecord>> {
        let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
            "SELECT seq, id, at, actor_id, actor, action, account_csn, agreement_number, request_id, before, after \
             FROM audit WHERE seq > ",
        );
        q.push_bind(filter.after.unwrap_or(0));
        match scope {
            Scope::All => {}
            Scope::Account(a) => {
                q.push(" AND account_csn = ").push_bind(a.as_str());
            }
            // Only admins and vendor staff read the audit log; the service refuses others.
            Scope::AccountUser(..) | Scope::Partner(_) => return Ok(Vec::new()),
        }
        if let Some(a) = &filter.agreement {
            q.push(" AND agreement_number = ").push_bind(a.as_str());
        }
        if let Some(a) = &filter.account {
            q.push(" AND account_csn = ").push_bind(a.as_str());
        }
        if let Some(a) = filter.action {
            q.push(" AND action = ").push_bind(a.as_str());
        }
        q.push(" ORDER BY seq LIMIT ")
            .push_bind(i64::from(filter.limit));
        let rows: Vec<AuditRow> = q
            .build_query_as()
            .fetch_all(&self.pool)
            .await
            .ctx("failed to read audit log")?;
        rows.into_iter().map(AuditRecord::try_from).collect()
    }

    /// The oldest transaction still running: every transaction before it
    /// has committed or rolled back, so its audit entries are all visible.
    async fn feed_position(&self) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            .fetch_one(&self.pool)
            .await
            .ctx("failed to read the feed position")
    }

    /// Sequence numbers are taken at insert, not at commit, so "after the
    /// last seen number" could skip an entry whose transaction committed
    /// late. Instead the feed reads whole transactions: those from the last
    /// horizon up to the current one (the oldest still running), none of
    /// which can still change.
    async fn changes_since(&self, position: i64) -> StoreResult<ChangeFeed> {
        let (horizon, next): (i64, i64) = sqlx::query_as(
            "SELECT pg_snapshot_xmin(s)::text::bigint, pg_snapshot_xmax(s)::text::bigint \
             FROM pg_current_snapshot() AS s",
        )
        .fetch_one(&self.pool)
        .await
        .ctx("failed to read the feed position")?;
        let rows: Vec<(i64, Option<String>)> = sqlx::query_as(
            "SELECT 0::bigint, agreement_number FROM audit WHERE txid >= $1 AND txid < $2 \
             GROUP BY agreement_number",
        )
        .bind(position)
        .bind(horizon)
        .fetch_all(&self.pool)
        .await
        .ctx("failed to read the change feed")?;
        let mut feed = feed_page(position, rows, i64::MAX)?;
        feed.position = horizon.max(position);
        feed.behind = horizon < next;
        Ok(feed)
    }

    async fn append_audit(&self, entries: &[AuditEntry]) -> StoreResult<()> {
        let mut tx = self.write().await?;
        insert_audit(&mut tx, entries).await?;
        tx.commit().await.ctx("failed to commit audit entries")
    }
}
