//! What the two batching tasks (`group_commit`, `coalesced_reads`) share:
//! handing a job over and waiting for its answer, and telling every job
//! of a failed batch why.

use kontor_core::{StoreError, StoreResult};
use tokio::sync::{mpsc, oneshot};

/// Queues the job that `make` builds around a reply channel and waits for
/// the task's answer. `task` names the task in the error when it is gone.
pub(crate) async fn ask<J, T>(
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
pub(crate) fn copy_error(e: &StoreError) -> impl Fn() -> StoreError {
    let message = format!("{e:#}");
    move || StoreError::Other(anyhow::anyhow!("{message}"))
}
