//! Agreement reads coalesced per process: the read-side twin of the
//! group commit.
//!
//! Every submit, and every eligibility check that misses the read cache,
//! asks for one agreement with its current partners and its open request.
//! Asked one by one, each costs PostgreSQL an executor start-up and both
//! sides a round trip — more than reading the row itself. Concurrent asks
//! are instead queued to one task that takes whatever is waiting (up to
//! [`MAX_BATCH`]) and reads it with one `= ANY($1)` statement. An ask that
//! finds nobody else waiting is read at once, alone, so a quiet process
//! waits no longer than before.
//!
//! Only unscoped reads (`Scope::All`, what the service's cache asks for)
//! come this way; a scoped read carries its tenant condition and goes
//! straight to the database.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use kontor_core::store::AgreementState;
use kontor_core::{StoreError, StoreResult};
use sqlx::postgres::PgPool;
use tokio::sync::{Semaphore, mpsc, oneshot};

use crate::rows::{AgreementWithRequestRow, RENEWAL_COLUMNS_OPT, REQUEST_COLUMNS_OPT};
use crate::shared::agreements::AGREEMENT_COLUMNS;
use kontor_store_sql::Ctx;
use kontor_store_sql::batching::{ask, copy_error};

/// Most agreements read by one statement.
const MAX_BATCH: usize = 128;

/// Statements in flight at once: one runs while the next batch gathers.
const IN_FLIGHT: usize = 2;

/// One queued ask.
pub(crate) struct ReadJob {
    pub number: String,
    pub reply: oneshot::Sender<StoreResult<Option<AgreementState>>>,
}

/// Starts the reader task; it ends when every sender is gone.
pub(crate) fn start(pool: PgPool) -> mpsc::Sender<ReadJob> {
    let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
    tokio::spawn(run(pool, rx));
    tx
}

async fn run(pool: PgPool, mut rx: mpsc::Receiver<ReadJob>) {
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    loop {
        // Waiting for a slot first lets asks pile up while both are busy:
        // the busier the process, the larger (and cheaper per row) a batch.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let mut batch = Vec::with_capacity(MAX_BATCH);
        if rx.recv_many(&mut batch, MAX_BATCH).await == 0 {
            return;
        }
        let pool = pool.clone();
        tokio::spawn(async move {
            answer(&pool, batch).await;
            drop(slot);
        });
    }
}

async fn answer(pool: &PgPool, batch: Vec<ReadJob>) {
    let mut numbers: Vec<&str> = batch.iter().map(|j| j.number.as_str()).collect();
    numbers.sort_unstable();
    numbers.dedup();
    match read(pool, &numbers).await {
        Ok(found) => {
            for job in batch {
                let state = match found.get(&job.number) {
                    Some(Ok(state)) => Ok(Some(state.clone())),
                    Some(Err(e)) => Err(copy_error(e)()),
                    None => Ok(None),
                };
                let _ = job.reply.send(state);
            }
        }
        Err(e) => {
            let error = copy_error(&e);
            for job in batch {
                let _ = job.reply.send(Err(error()));
            }
        }
    }
}

/// The statement [`read`] runs for a batch of agreement numbers.
pub(crate) static READ: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {columns}, {REQUEST_COLUMNS_OPT}, {RENEWAL_COLUMNS_OPT} FROM agreements a \
         LEFT JOIN LATERAL (SELECT request_id FROM open_requests WHERE agreement_number = a.number OFFSET 0) o ON true \
         LEFT JOIN LATERAL (SELECT * FROM change_requests WHERE id = o.request_id OFFSET 0) r ON true \
         LEFT JOIN LATERAL (SELECT * FROM renewal_partners WHERE agreement_number = a.number \
             AND status = 'scheduled' OFFSET 0) n ON true \
         WHERE a.number = ANY($1)",
        columns = *AGREEMENT_COLUMNS
    )
});

/// The agreements among `numbers`, each with its partners and open request
/// (or why its row could not be read). The lookups are LATERAL index probes
/// (kept apart by OFFSET 0): with at most [`MAX_BATCH`] agreements that is
/// always cheaper than the hash join over all open requests the planner
/// may otherwise pick while the table's statistics are stale.
async fn read(
    pool: &PgPool,
    numbers: &[&str],
) -> StoreResult<HashMap<String, Result<AgreementState, StoreError>>> {
    let rows: Vec<AgreementWithRequestRow> = sqlx::query_as(READ.as_str())
        .bind(numbers)
        .fetch_all(pool)
        .await
        .ctx("failed to read agreements")?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let number = row.agreement.number.clone();
            let state = row.state();
            (number, state)
        })
        .collect())
}

impl crate::PgStore {
    /// An agreement with its partners and open request, read together with
    /// whatever other agreements this process is waiting for.
    pub(crate) async fn coalesced_agreement_state(
        &self,
        number: &kontor_core::domain::ids::AgreementNumber,
    ) -> StoreResult<Option<AgreementState>> {
        ask(&self.reads, "agreement reader", |reply| ReadJob {
            number: number.as_str().to_owned(),
            reply,
        })
        .await
    }
}
