//! What a backend gives the store bodies written once in this crate (see
//! [`crate::store_bodies`]): its pools, the few pieces of SQL in which the
//! two dialects differ, and the steps whose locking or batching differs.

use std::collections::HashSet;
use std::future::Future;

use kontor_core::StoreResult;
use kontor_core::domain::audit::AuditEntry;
use kontor_core::domain::change_request::{ChangeRequest, RequestId};
use kontor_core::domain::ids::AgreementNumber;
use kontor_core::domain::notify::OutboxMessage;
use kontor_core::domain::throttle::ThrottleKey;
use kontor_core::store::{AgreementState, AttemptResult, ChangeFeed};
use sqlx::{Database, Pool, Transaction};
use time::OffsetDateTime;
use tokio::sync::mpsc;

use crate::batching::{Submit, SubmitJob};
use crate::due::{DueBatch, PlannedBatch};

/// A connection of the backend's database.
pub type Conn<B> = <<B as Backend>::Db as Database>::Connection;

/// A backend: SQLite (one writer, `BEGIN IMMEDIATE`) or PostgreSQL (row
/// locks, several processes). Everything the store bodies share is
/// written against this trait and the ones below; each backend implements
/// them in the files that say why they differ.
pub trait Backend: Send + Sync + Sized + 'static {
    /// The sqlx driver.
    type Db: Database;

    /// The database's clock in unix milliseconds, as an SQL expression.
    const NOW_MS: &'static str;
    /// Locks the rows a read selects until the transaction ends, where
    /// the database locks rows (PostgreSQL); empty where a write
    /// transaction holds the whole database (SQLite).
    const FOR_UPDATE: &'static str;
    /// [`Self::FOR_UPDATE`], skipping rows another transaction holds, so
    /// that several processes take disjoint work.
    const FOR_UPDATE_SKIP_LOCKED: &'static str;
    /// Makes a read of pending deliveries `d` in the order they are due use
    /// the index on `next_attempt_at` (SQLite, which by its status index
    /// sorted every pending delivery for each claim while holding the
    /// writer: 300 ms with a million pending); empty where the planner
    /// needs no hint (PostgreSQL).
    const DUE_DELIVERIES_INDEX: &'static str;
    /// The current partners of agreement `a` as a JSON array of CSNs,
    /// sorted (an SQL expression).
    const CURRENT_PARTNERS: &'static str;
    /// Joins an agreement `a` to its open request `r`, if any (R7).
    const OPEN_REQUEST_JOIN: &'static str;
    /// Requests awaiting the new partner whose answer is due by `$1`, at
    /// most `$2`, oldest first, as `SELECT {REQUEST_COLUMNS}` reads them.
    const AWAITING_DUE_FROM: &'static str;
    /// Requests awaiting the new partner whose answer is due after `$1`
    /// and at or before `$2`, not escalated yet, at most `$3`, the earliest
    /// first, as `SELECT {REQUEST_COLUMNS}` reads them (#22).
    const AWAITING_UNESCALATED_FROM: &'static str;

    /// A table expression with one `value` row per text of the JSON array
    /// in `json` (a bound parameter such as `$3`, or a column).
    fn json_values(json: &str) -> String;

    /// Where reads go.
    fn reader(&self) -> &Pool<Self::Db>;
    /// The pool writes go through, and migrations.
    fn writer(&self) -> &Pool<Self::Db>;
    /// A write transaction.
    fn write(&self) -> impl Future<Output = StoreResult<Transaction<'static, Self::Db>>> + Send;
    /// A write transaction for a background batch (the worker's apply,
    /// the delivery queue). Where every write takes turns on one
    /// connection (SQLite), interactive writes waiting for it go first,
    /// for a short while at most.
    fn write_background(
        &self,
    ) -> impl Future<Output = StoreResult<Transaction<'static, Self::Db>>> + Send;
    /// This process's id as the owner of Idempotency-Key claims.
    fn instance(&self) -> &str;
    /// The queue of the group-committed submits.
    fn submits(&self) -> &mpsc::Sender<SubmitJob>;

    /// Appends audit entries inside the caller's transaction.
    fn insert_audit(
        conn: &mut Conn<Self>,
        entries: &[AuditEntry],
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Queues outbox messages created `now` inside the caller's transaction.
    fn insert_outbox(
        conn: &mut Conn<Self>,
        messages: &[OutboxMessage],
        now: OffsetDateTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Makes concurrent sign-in attempts for the same keys wait for each
    /// other until the transaction ends.
    fn lock_signin_keys(
        conn: &mut Conn<Self>,
        keys: &[ThrottleKey],
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Makes writers of this agreement's partners (a transaction, a
    /// support case, the worker) wait for each other.
    fn lock_partners_of(
        conn: &mut Conn<Self>,
        number: &AgreementNumber,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Keeps a backend's own bookkeeping of open requests (R7) in step
    /// after a request was decided inside `conn`'s transaction.
    fn request_decided(
        conn: &mut Conn<Self>,
        decided: &ChangeRequest,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Inserts the requests of `submits` inside `conn`'s transaction, with
    /// the audit entries and outbox messages of those inserted; a request
    /// whose agreement has an open one already is not (R7). The ids of the
    /// inserted. The group committer's batches and a redeemed transfer
    /// code (#22) both write through this.
    fn insert_submits(
        conn: &mut Conn<Self>,
        submits: &[&Submit],
    ) -> impl Future<Output = StoreResult<HashSet<String>>> + Send;

    /// Holds a request for a dispute (#22) inside `conn`'s transaction when
    /// it is still pending and not due at `now`, so the worker passes over
    /// it; `false` when it is not.
    fn hold_request(
        conn: &mut Conn<Self>,
        id: RequestId,
        now: OffsetDateTime,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Lets the worker take a held request again.
    fn release_request(
        conn: &mut Conn<Self>,
        id: RequestId,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// An agreement with its open request, for callers that see every
    /// agreement (`Scope::All`, the read cache's misses).
    fn unscoped_agreement_state(
        &self,
        number: &AgreementNumber,
    ) -> impl Future<Output = StoreResult<Option<AgreementState>>> + Send;
}

/// The worker's apply step (R8) in each backend's way. The shared body
/// (`ChangeStore::apply_due`) takes a batch, plans it and writes it, with
/// its audit entries and outbox rows, in one transaction.
pub trait DueBatches: Backend {
    /// Takes up to `limit` requests due by `now` inside `conn`'s
    /// transaction, held until it ends, with their agreements and
    /// requesters.
    fn take_due(
        conn: &mut Conn<Self>,
        now: OffsetDateTime,
        limit: u32,
    ) -> impl Future<Output = StoreResult<DueBatch>> + Send;
    /// Writes a planned batch's decisions and the applied requests'
    /// partners of record.
    fn write_batch(
        conn: &mut Conn<Self>,
        plan: &PlannedBatch,
        now: OffsetDateTime,
    ) -> impl Future<Output = StoreResult<()>> + Send;
}

/// The change feed other processes' read caches follow (see
/// [`kontor_core::store::AuditStore`]).
pub trait ChangeFeedSource: Backend {
    /// The feed's position now.
    fn feed_head(&self) -> impl Future<Output = StoreResult<i64>> + Send;
    /// The agreements changed after `position`.
    fn feed_since(&self, position: i64) -> impl Future<Output = StoreResult<ChangeFeed>> + Send;
}

/// The delivery queue's batched steps.
pub trait DeliveryQueue: Backend {
    /// Fans pending outbox messages out into one delivery per recipient.
    fn expand_outbox_batch(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> impl Future<Output = StoreResult<u32>> + Send;
    /// Records delivery attempts (at least one) under their claims.
    fn finish_delivery_batch(
        &self,
        results: &[AttemptResult],
    ) -> impl Future<Output = StoreResult<()>> + Send;
}

/// What an import does in each backend's way.
pub trait ImportWrites: Backend {
    /// The transaction of an import, set up for it (foreign keys checked
    /// at commit: references may point forward in the file).
    fn begin_import_transaction(
        &self,
    ) -> impl Future<Output = StoreResult<Transaction<'static, Self::Db>>> + Send;
    /// Makes each agreement's imported partners its partners of record:
    /// closes assignments no longer listed and opens the ones not yet
    /// current (an unchanged set writes nothing). `batch` counts the
    /// import's batches from 1.
    fn replace_imported_partners(
        conn: &mut Conn<Self>,
        pairs: &[(&str, &str)],
        at: OffsetDateTime,
        batch: u64,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// After an import committed.
    fn import_committed(pool: &Pool<Self::Db>) -> impl Future<Output = ()> + Send;
}
