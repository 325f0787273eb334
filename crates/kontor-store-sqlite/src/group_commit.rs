//! Group commit for partner-change submits.
//!
//! SQLite has one writer; a transaction per submit makes the writer the
//! bottleneck (BEGIN, three inserts and COMMIT for every request). Submits
//! are instead queued to one task that takes whatever is waiting — up to
//! [`MAX_BATCH`] — and commits it in one `BEGIN IMMEDIATE` transaction. The
//! one-open-request rule (R7) still holds per request: the insert uses
//! `ON CONFLICT DO NOTHING … RETURNING id`, and a request whose row was not
//! inserted gets `Conflict` and none of its audit or outbox rows. Each
//! caller is answered only after the commit, so a 202 is always durable.

use std::collections::HashSet;

use kontor_core::domain::audit::AuditEntry;
use kontor_core::domain::change_request::ChangeRequest;
use kontor_core::domain::notify::OutboxMessage;
use kontor_core::{StoreError, StoreResult};
use sqlx::sqlite::SqlitePool;
use sqlx::{QueryBuilder, Row, Sqlite};
use tokio::sync::{mpsc, oneshot};

use crate::Ctx;
use crate::audit::{insert_audit, insert_outbox_at};
use crate::rows::{json, ms};

/// Most submits committed together.
const MAX_BATCH: usize = 256;

/// One queued submit.
pub(crate) struct SubmitJob {
    pub request: ChangeRequest,
    pub audit: Vec<AuditEntry>,
    pub outbox: Vec<OutboxMessage>,
    pub reply: oneshot::Sender<StoreResult<()>>,
}

/// Starts the committer task; it ends when every sender is gone.
pub(crate) fn start(writer: SqlitePool) -> mpsc::Sender<SubmitJob> {
    let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
    tokio::spawn(run(writer, rx));
    tx
}

async fn run(writer: SqlitePool, mut rx: mpsc::Receiver<SubmitJob>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match commit(&writer, &batch).await {
            Ok(inserted) => {
                for job in batch.drain(..) {
                    let result = if inserted.contains(&job.request.id.0.to_string()) {
                        Ok(())
                    } else {
                        Err(StoreError::Conflict("open_request"))
                    };
                    let _ = job.reply.send(result);
                }
            }
            Err(e) => {
                let message = format!("{e:#}");
                for job in batch.drain(..) {
                    let _ = job
                        .reply
                        .send(Err(StoreError::Other(anyhow::anyhow!("{message}"))));
                }
            }
        }
    }
}

async fn commit(writer: &SqlitePool, batch: &[SubmitJob]) -> StoreResult<HashSet<String>> {
    let mut tx = writer
        .begin_with("BEGIN IMMEDIATE")
        .await
        .ctx("failed to begin write transaction")?;
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
    insert_audit(&mut tx, &audit).await?;
    // Outbox rows carry their job's submit time; one statement for the batch.
    let outbox: Vec<_> = winners()
        .flat_map(|j| j.outbox.iter().map(move |m| (m, j.request.created_at)))
        .collect();
    insert_outbox_at(&mut tx, &outbox).await?;
    tx.commit().await.ctx("failed to commit requests")?;
    Ok(inserted)
}
