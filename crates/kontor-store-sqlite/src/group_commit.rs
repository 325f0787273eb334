//! Group commit for partner-change submits on SQLite (the scheme: see
//! `kontor_store_sql::batching`).
//!
//! Why this differs from PostgreSQL: a batch is one `BEGIN IMMEDIATE`
//! transaction of multi-row inserts on the one writer; the partial unique
//! index turns a second open request of an agreement into "not inserted"
//! (`ON CONFLICT DO NOTHING … RETURNING id`).

use std::collections::HashSet;
use std::sync::Arc;

use kontor_core::StoreResult;
use kontor_core::domain::audit::AuditEntry;
use kontor_store_sql::Ctx;
use kontor_store_sql::batching::{GroupCommit, Submit, SubmitJob, start_group_commit};
use sqlx::sqlite::{SqliteConnection, SqlitePool};
use sqlx::{QueryBuilder, Row, Sqlite};
use tokio::sync::mpsc;

use crate::rows::{json, ms};
use crate::turns::{WriterTurns, begin_immediate};
use crate::writes::{insert_audit, insert_outbox_at};

/// Starts the committer task; it ends when every sender is gone.
pub(crate) fn start(writer: SqlitePool, turns: Arc<WriterTurns>) -> mpsc::Sender<SubmitJob> {
    start_group_commit(Committer { writer, turns })
}

/// Commits on the writer connection, as an interactive writer.
struct Committer {
    writer: SqlitePool,
    turns: Arc<WriterTurns>,
}

impl GroupCommit for Committer {
    async fn commit(&self, batch: &[SubmitJob]) -> StoreResult<HashSet<String>> {
        let mut tx = self
            .turns
            .interactive(begin_immediate(&self.writer))
            .await?;
        let submits: Vec<&Submit> = batch.iter().map(|j| &j.submit).collect();
        let inserted = insert_submits(&mut tx, &submits).await?;
        tx.commit().await.ctx("failed to commit requests")?;
        Ok(inserted)
    }
}

/// See [`kontor_store_sql::Backend::insert_submits`]: multi-row inserts in
/// the caller's transaction.
pub(crate) async fn insert_submits(
    tx: &mut SqliteConnection,
    batch: &[&Submit],
) -> StoreResult<HashSet<String>> {
    let mut rows = Vec::with_capacity(batch.len());
    for job in batch {
        rows.push((&job.request, json(&job.request.old_partners)?));
    }
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
        "INSERT INTO change_requests (id, agreement_number, account_csn, old_partners, new_partner_csn, status, \
         requested_by, created_at, due_at, idempotency_key) ",
    );
    q.push_values(rows, |mut b, (r, old)| {
        b.push_bind(r.id.0.to_string())
            .push_bind(r.agreement.as_str().to_owned())
            .push_bind(r.account.as_str().to_owned())
            .push_bind(old)
            .push_bind(r.new_partner.as_str().to_owned())
            .push_bind(r.status.as_str())
            .push_bind(r.requested_by.0.to_string())
            .push_bind(ms(r.created_at))
            .push_bind(ms(r.due_at))
            .push_bind(r.idempotency_key.clone());
    });
    // The partial unique index (one open request per agreement) turns a
    // second request into "not inserted", also within this batch.
    q.push(" ON CONFLICT DO NOTHING RETURNING id");
    let inserted: HashSet<String> = q
        .build()
        .fetch_all(&mut *tx)
        .await
        .ctx("failed to insert requests")?
        .iter()
        .map(|row| row.get::<String, _>(0))
        .collect();
    let winners = || {
        batch
            .iter()
            .filter(|j| inserted.contains(&j.request.id.0.to_string()))
    };
    let audit: Vec<AuditEntry> = winners().flat_map(|j| j.audit.iter().cloned()).collect();
    insert_audit(&mut *tx, &audit).await?;
    // Outbox rows carry their job's submit time; one statement for the batch.
    let outbox: Vec<_> = winners()
        .flat_map(|j| j.outbox.iter().map(move |m| (m, j.request.created_at)))
        .collect();
    insert_outbox_at(&mut *tx, &outbox).await?;
    Ok(inserted)
}
