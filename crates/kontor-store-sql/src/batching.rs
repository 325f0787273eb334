//! What the batching tasks of both backends (group commit, coalesced
//! reads) share: the submit they queue, the group committer's loop,
//! handing a job over and waiting for its answer, and telling every job of
//! a failed batch why.
//!
//! Group commit: a transaction per submit makes the database's commit the
//! bottleneck (SQLite's one writer; PostgreSQL's WAL flush and round
//! trips). Submits are instead queued to one task per process that takes
//! whatever is waiting — up to [`MAX_SUBMITS`] — and commits it at once, in
//! the backend's way ([`GroupCommit`]). The one-open-request rule (R7)
//! still holds per request: a request whose row was not inserted gets
//! `Conflict` and none of its audit or outbox rows. Each caller is answered
//! only after the commit, so a 202 is always durable.

use std::collections::HashSet;
use std::future::Future;

use kontor_core::{StoreError, StoreResult};
use tokio::sync::{mpsc, oneshot};

/// One submit (R7): the request with its audit entries and outbox
/// messages, committed together or not at all.
pub use kontor_core::store::NewRequest as Submit;

/// A submit queued to the group committer, with where its answer goes.
pub struct SubmitJob {
    pub submit: Submit,
    pub reply: oneshot::Sender<StoreResult<()>>,
}

impl std::ops::Deref for SubmitJob {
    type Target = Submit;
    fn deref(&self) -> &Submit {
        &self.submit
    }
}

/// Most submits committed together.
pub const MAX_SUBMITS: usize = 256;

/// Commits a batch of submits in one transaction.
pub trait GroupCommit: Send + Sync + 'static {
    /// The ids of the requests that were inserted; the others met an open
    /// request of their agreement (R7).
    fn commit(
        &self,
        batch: &[SubmitJob],
    ) -> impl Future<Output = StoreResult<HashSet<String>>> + Send;
}

/// Starts the group committer; it ends when every sender is gone.
pub fn start_group_commit(committer: impl GroupCommit) -> mpsc::Sender<SubmitJob> {
    let (tx, rx) = mpsc::channel(4 * MAX_SUBMITS);
    tokio::spawn(run_group_commit(committer, rx));
    tx
}

async fn run_group_commit(committer: impl GroupCommit, mut rx: mpsc::Receiver<SubmitJob>) {
    let mut batch = Vec::with_capacity(MAX_SUBMITS);
    while rx.recv_many(&mut batch, MAX_SUBMITS).await > 0 {
        match committer.commit(&batch).await {
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
                let error = copy_error(&e);
                for job in batch.drain(..) {
                    let _ = job.reply.send(Err(error()));
                }
            }
        }
    }
}

/// Queues the job that `make` builds around a reply channel and waits for
/// the task's answer. `task` names the task in the error when it is gone.
pub async fn ask<J, T>(
    queue: &mpsc::Sender<J>,
    task: &str,
    make: impl FnOnce(oneshot::Sender<StoreResult<T>>) -> J,
) -> StoreResult<T> {
    let (reply, answer) = oneshot::channel();
    queue
        .send(make(reply))
        .await
        .map_err(|_| StoreError::Other(anyhow::anyhow!("the {task} has stopped")))?;
    answer
        .await
        .map_err(|_| StoreError::Other(anyhow::anyhow!("the {task} dropped a job")))?
}

/// The batch's error, once for each of its jobs (`StoreError` is not `Clone`).
pub fn copy_error(e: &StoreError) -> impl Fn() -> StoreError {
    let message = format!("{e:#}");
    move || StoreError::Other(anyhow::anyhow!("{message}"))
}
