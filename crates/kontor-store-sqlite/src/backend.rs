//! What differs on SQLite, for the store bodies written once in
//! `kontor-store-sql`: one writer connection whose `BEGIN IMMEDIATE` takes
//! the database's write lock for every write transaction, so nothing else
//! needs locking; SQLite's JSON functions; the partial unique index that
//! keeps one open request per agreement (R7) without a table of its own.

use kontor_core::StoreResult;
use kontor_core::domain::audit::AuditEntry;
use kontor_core::domain::change_request::ChangeRequest;
use kontor_core::domain::ids::AgreementNumber;
use kontor_core::domain::notify::OutboxMessage;
use kontor_core::domain::throttle::ThrottleKey;
use kontor_core::store::{
    AgreementState, ApplyPlanner, ApplyReport, AttemptResult, ChangeFeed, ClaimedDelivery, Scope,
};
use kontor_store_sql::batching::SubmitJob;
use kontor_store_sql::{Backend, Ctx};
use sqlx::{Pool, Sqlite, SqliteConnection, Transaction};
use time::OffsetDateTime;
use tokio::sync::mpsc;

use crate::{SqliteStore, apply, deliveries, import, writes};

impl Backend for SqliteStore {
    type Db = Sqlite;

    const NOW_MS: &'static str = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";
    const FOR_UPDATE: &'static str = "";
    const CURRENT_PARTNERS: &'static str = "(SELECT json_group_array(partner_csn) FROM \
         (SELECT partner_csn FROM partner_assignments \
          WHERE agreement_number = a.number AND valid_to IS NULL ORDER BY partner_csn))";
    const OPEN_REQUEST_JOIN: &'static str = "LEFT JOIN change_requests r ON r.agreement_number = a.number \
         AND r.status IN ('pending', 'awaiting_partner')";
    const AWAITING_DUE_FROM: &'static str = "FROM change_requests r \
         WHERE r.status = 'awaiting_partner' AND r.due_at <= $1 ORDER BY r.due_at LIMIT $2";

    fn json_values(json: &str) -> String {
        format!("json_each({json})")
    }

    fn reader(&self) -> &Pool<Sqlite> {
        &self.reader
    }

    /// Holds the write lock from the start: a deferred transaction that
    /// reads first and then writes could fail with `SQLITE_BUSY` when
    /// another process (a separate `kontor worker`) wrote in between.
    async fn write(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        self.writer
            .begin_with("BEGIN IMMEDIATE")
            .await
            .ctx("failed to begin write transaction")
    }

    fn instance(&self) -> &str {
        &self.instance
    }

    fn submits(&self) -> &mpsc::Sender<SubmitJob> {
        &self.submits
    }

    async fn insert_audit(conn: &mut SqliteConnection, entries: &[AuditEntry]) -> StoreResult<()> {
        writes::insert_audit(conn, entries).await
    }

    async fn insert_outbox(
        conn: &mut SqliteConnection,
        messages: &[OutboxMessage],
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        writes::insert_outbox(conn, messages, now).await
    }

    /// The write lock already keeps every other attempt out.
    async fn lock_signin_keys(_: &mut SqliteConnection, _: &[ThrottleKey]) -> StoreResult<()> {
        Ok(())
    }

    /// The write lock already keeps every other writer out.
    async fn lock_partners_of(_: &mut SqliteConnection, _: &AgreementNumber) -> StoreResult<()> {
        Ok(())
    }

    /// The partial unique index follows the request's status by itself.
    async fn request_decided(_: &mut SqliteConnection, _: &ChangeRequest) -> StoreResult<()> {
        Ok(())
    }

    async fn unscoped_agreement_state(
        &self,
        number: &AgreementNumber,
    ) -> StoreResult<Option<AgreementState>> {
        crate::shared::agreements::read_agreement_state(self, &Scope::All, number).await
    }

    async fn apply_due_batch(
        &self,
        now: OffsetDateTime,
        limit: u32,
        planner: &dyn ApplyPlanner,
    ) -> StoreResult<ApplyReport> {
        apply::apply_due(self, now, limit, planner).await
    }

    async fn feed_head(&self) -> StoreResult<i64> {
        writes::feed_head(self).await
    }

    async fn feed_since(&self, position: i64) -> StoreResult<ChangeFeed> {
        writes::feed_since(self, position).await
    }

    async fn expand_outbox_batch(&self, now: OffsetDateTime, limit: u32) -> StoreResult<u32> {
        deliveries::expand_outbox(self, now, limit).await
    }

    async fn claim_delivery_batch(
        &self,
        now: OffsetDateTime,
        lease: time::Duration,
        limit: u32,
    ) -> StoreResult<Vec<ClaimedDelivery>> {
        deliveries::claim(self, now, lease, limit).await
    }

    async fn finish_delivery_batch(&self, results: &[AttemptResult]) -> StoreResult<()> {
        deliveries::finish(self, results).await
    }

    async fn begin_import_transaction(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        import::begin(self).await
    }

    async fn replace_imported_partners(
        conn: &mut SqliteConnection,
        pairs: &[(&str, &str)],
        at: OffsetDateTime,
        _batch: u64,
    ) -> StoreResult<()> {
        import::replace_partners(conn, pairs, at).await
    }

    /// SQLite plans from the schema, not from statistics.
    async fn import_committed(_: &Pool<Sqlite>) {}
}
