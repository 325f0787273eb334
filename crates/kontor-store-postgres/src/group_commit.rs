//! Group commit for partner-change submits on PostgreSQL (the scheme: see
//! `kontor_store_sql::batching`).
//!
//! Why this differs from SQLite: a batch is *one* statement of UNNESTed
//! arrays (one round trip), rows in agreement order so that instances
//! never deadlock; it is retried on a deadlock, and a batch cut off
//! mid-commit is resolved by asking the database what was stored.

use std::collections::HashSet;

use kontor_core::{StoreError, StoreResult};
use sqlx::Row;
use sqlx::postgres::{PgConnection, PgPool};
use tokio::sync::mpsc;

use crate::rows::{json, ms};
use crate::writes::{AuditArrays, OutboxArrays};
use kontor_store_sql::Ctx;
use kontor_store_sql::batching::{GroupCommit, Submit, SubmitJob, start_group_commit};

/// Extra attempts for a batch that lost a deadlock or serialisation race.
const RETRIES: usize = 3;

/// A failure another attempt can fix: deadlock or serialisation failure.
fn is_transient(e: &StoreError) -> bool {
    let StoreError::Other(e) = e else {
        return false;
    };
    e.chain().any(|c| {
        c.downcast_ref::<sqlx::Error>()
            .and_then(|e| e.as_database_error())
            .and_then(|db| db.code())
            .is_some_and(|code| code == "40P01" || code == "40001")
    })
}

/// The connection failed while the statement may have been in flight
/// (not a refusal by the database, not a wait for a free connection).
fn outcome_unknown(e: &StoreError) -> bool {
    let StoreError::Other(e) = e else {
        return false;
    };
    e.chain().any(|c| {
        matches!(
            c.downcast_ref::<sqlx::Error>(),
            Some(sqlx::Error::Io(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed)
        )
    })
}

/// Commits a batch, retrying lost deadlock races. When the connection
/// breaks mid-statement (a database restart, a killed session), nobody
/// knows whether the batch committed; answering "failed" could deny a
/// request that is in fact stored, and the client's retry would then meet
/// its own request as a conflict. So the committer asks the database once
/// it answers again: the statement is atomic, so either every inserted
/// request of the batch is there (those are the winners) or none is (the
/// batch is committed afresh).
async fn commit_resolving(writer: &PgPool, batch: &[SubmitJob]) -> StoreResult<HashSet<String>> {
    let mut result = commit(writer, batch).await;
    for _ in 0..RETRIES {
        match &result {
            Err(e) if is_transient(e) => result = commit(writer, batch).await,
            _ => break,
        }
    }
    let Err(e) = &result else {
        return result;
    };
    if !outcome_unknown(e) {
        return result;
    }
    let ids: Vec<String> = batch.iter().map(|j| j.request.id.0.to_string()).collect();
    let mut pause = std::time::Duration::from_millis(100);
    for _ in 0..RESOLVE_ATTEMPTS {
        tokio::time::sleep(pause).await;
        pause *= 2;
        let found: Result<Vec<String>, _> =
            sqlx::query_scalar("SELECT id FROM change_requests WHERE id = ANY($1)")
                .bind(&ids)
                .fetch_all(writer)
                .await;
        match found {
            Ok(found) if !found.is_empty() => {
                tracing::info!(
                    requests = found.len(),
                    "a batch cut off mid-commit had committed"
                );
                return Ok(found.into_iter().collect());
            }
            Ok(_) => return commit(writer, batch).await,
            Err(_) => continue,
        }
    }
    result
}

/// Times the committer asks whether a cut-off batch committed (waiting
/// 0.1, 0.2, 0.4, … s between tries: about 6 s in all).
const RESOLVE_ATTEMPTS: usize = 6;

/// Starts the committer task; it ends when every sender is gone.
pub(crate) fn start(writer: PgPool) -> mpsc::Sender<SubmitJob> {
    start_group_commit(Committer(writer))
}

/// Commits on its own connection of the pool.
struct Committer(PgPool);

impl GroupCommit for Committer {
    async fn commit(&self, batch: &[SubmitJob]) -> StoreResult<HashSet<String>> {
        commit_resolving(&self.0, batch).await
    }
}

/// Commits a batch as *one* statement (one round trip, its own implicit
/// transaction): the requests, and the audit entries and outbox messages
/// of those that were inserted. Rows go in in array order (ORDER BY the
/// ordinality), sorted by agreement: index entries are locked in insert
/// order, so two instances' batches can wait for each other but never
/// deadlock. `open_requests` (one row per agreement, R7) turns a second
/// request into "not inserted", also within this batch.
async fn commit(writer: &PgPool, batch: &[SubmitJob]) -> StoreResult<HashSet<String>> {
    let mut conn = writer
        .acquire()
        .await
        .ctx("failed to get a connection for requests")?;
    let submits: Vec<&Submit> = batch.iter().map(|j| &j.submit).collect();
    insert_submits(&mut conn, &submits).await
}

/// See [`kontor_store_sql::Backend::insert_submits`]: the statement of
/// [`commit`], inside the caller's transaction when there is one.
pub(crate) async fn insert_submits(
    conn: &mut PgConnection,
    batch: &[&Submit],
) -> StoreResult<HashSet<String>> {
    let mut jobs: Vec<&Submit> = batch.to_vec();
    jobs.sort_by(|a, b| {
        a.request
            .agreement
            .as_str()
            .cmp(b.request.agreement.as_str())
    });
    let mut cols: [Vec<String>; 7] = Default::default();
    let mut keys: Vec<Option<&str>> = Vec::with_capacity(jobs.len());
    let (mut created, mut due) = (
        Vec::with_capacity(jobs.len()),
        Vec::with_capacity(jobs.len()),
    );
    let (mut audit_owner, mut outbox_owner) = (Vec::new(), Vec::new());
    for job in &jobs {
        let r = &job.request;
        for (col, value) in cols.iter_mut().zip([
            r.id.0.to_string(),
            r.agreement.as_str().to_owned(),
            r.account.as_str().to_owned(),
            json(&r.old_partners)?,
            r.new_partner.as_str().to_owned(),
            r.status.as_str().to_owned(),
            r.requested_by.0.to_string(),
        ]) {
            col.push(value);
        }
        keys.push(r.idempotency_key.as_deref());
        created.push(ms(r.created_at));
        due.push(ms(r.due_at));
        audit_owner.extend(job.audit.iter().map(|_| r.id.0.to_string()));
        outbox_owner.extend(job.outbox.iter().map(|_| r.id.0.to_string()));
    }
    let audit = AuditArrays::new(
        jobs.iter()
            .flat_map(|j| j.audit.iter())
            .collect::<Vec<_>>()
            .into_iter(),
    )?;
    // Outbox rows carry their job's submit time.
    let outbox = OutboxArrays::new(
        jobs.iter()
            .flat_map(|j| j.outbox.iter().map(move |m| (m, j.request.created_at)))
            .collect::<Vec<_>>()
            .into_iter(),
    )?;
    let sql = format!(
        "WITH u AS ( \
           SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
             $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::text[]) \
             WITH ORDINALITY AS u (i, a, c, o, n, s, b, t, d, ik, k)), \
         opened AS ( \
           INSERT INTO open_requests (agreement_number, request_id, status, due_at) \
           SELECT a, i, s, d FROM u ORDER BY k ON CONFLICT DO NOTHING RETURNING request_id), \
         ins AS ( \
           INSERT INTO change_requests (id, agreement_number, account_csn, old_partners, new_partner_csn, status, \
             requested_by, created_at, due_at, idempotency_key) \
           SELECT i, a, c, o, n, s, b, t, d, ik FROM u WHERE i IN (SELECT request_id FROM opened) ORDER BY k \
           RETURNING id), \
         audited AS ( \
           INSERT INTO audit (id, at, actor_id, actor, action, account_csn, agreement_number, request_id, before, after) \
           SELECT au.id, au.at, au.actor_id, au.actor, au.action, au.account_csn, au.agreement_number, au.request_id, \
             au.before, au.after FROM {audit} WHERE au.owner IN (SELECT id FROM ins)), \
         queued AS ( \
           INSERT INTO outbox (id, kind, payload, next_attempt_at, created_at) \
           SELECT ob.id, ob.kind, ob.payload, ob.at, ob.at FROM {outbox} WHERE ob.owner IN (SELECT id FROM ins)) \
         SELECT id FROM ins",
        audit = AuditArrays::unnest(11, true),
        outbox = OutboxArrays::unnest(22, true),
    );
    let [id, agreement, account, old, new, status, by] = cols;
    let q = sqlx::query(&sql)
        .bind(id)
        .bind(agreement)
        .bind(account)
        .bind(old)
        .bind(new)
        .bind(status)
        .bind(by)
        .bind(created)
        .bind(due)
        .bind(keys);
    let q = audit.bind(q).bind(audit_owner);
    let q = outbox.bind(q).bind(outbox_owner);
    // Outside an explicit transaction the statement is its own: all of it
    // commits, or none.
    let inserted = q
        .fetch_all(&mut *conn)
        .await
        .ctx("failed to insert requests")?
        .iter()
        .map(|row| row.get::<String, _>(0))
        .collect();
    Ok(inserted)
}
