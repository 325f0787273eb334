//! What differs on SQLite, for the store bodies written once in
//! `kontor-store-sql`: one writer connection whose `BEGIN IMMEDIATE` takes
//! the database's write lock for every write transaction, so nothing else
//! needs locking; SQLite's JSON functions; the partial unique index that
//! keeps one open request per agreement (R7) without a table of its own.

use kontor_core::StoreResult;
use kontor_core::domain::audit::AuditEntry;
use kontor_core::domain::change_request::{ChangeRequest, RequestId};
use kontor_core::domain::ids::AgreementNumber;
use kontor_core::domain::notify::OutboxMessage;
use kontor_core::domain::throttle::ThrottleKey;
use kontor_core::store::AgreementState;
use kontor_store_sql::batching::SubmitJob;
use kontor_store_sql::{Backend, Ctx};
use sqlx::{Pool, Sqlite, SqliteConnection, Transaction};
use time::OffsetDateTime;
use tokio::sync::mpsc;

use crate::turns::begin_immediate;
use crate::{SqliteStore, writes};

impl Backend for SqliteStore {
    type Db = Sqlite;

    const NOW_MS: &'static str = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";
    const FOR_UPDATE: &'static str = "";
    const FOR_UPDATE_SKIP_LOCKED: &'static str = "";
    const DUE_DELIVERIES_INDEX: &'static str = "INDEXED BY deliveries_due";
    const CURRENT_PARTNERS: &'static str = "(SELECT json_group_array(partner_csn) FROM \
         (SELECT partner_csn FROM partner_assignments \
          WHERE agreement_number = a.number AND valid_to IS NULL ORDER BY partner_csn))";
    const OPEN_REQUEST_JOIN: &'static str = "LEFT JOIN change_requests r ON r.agreement_number = a.number \
         AND r.status IN ('pending', 'awaiting_partner')";
    const AWAITING_DUE_FROM: &'static str = "FROM change_requests r \
         WHERE r.status = 'awaiting_partner' AND r.due_at <= $1 ORDER BY r.due_at LIMIT $2";
    const AWAITING_UNESCALATED_FROM: &'static str = "FROM change_requests r \
         WHERE r.status = 'awaiting_partner' AND r.due_at > $1 AND r.due_at <= $2 \
         AND NOT EXISTS (SELECT 1 FROM request_escalations e WHERE e.request_id = r.id) \
         ORDER BY r.due_at LIMIT $3";

    fn json_values(json: &str) -> String {
        format!("json_each({json})")
    }

    fn writer(&self) -> &Pool<Sqlite> {
        &self.writer
    }

    fn reader(&self) -> &Pool<Sqlite> {
        &self.reader
    }

    /// Holds the write lock from the start: a deferred transaction that
    /// reads first and then writes could fail with `SQLITE_BUSY` when
    /// another process (a separate `kontor worker`) wrote in between.
    async fn write(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        self.turns.interactive(begin_immediate(&self.writer)).await
    }

    /// After the interactive writers waiting and the submits queued (see
    /// `turns`).
    async fn write_background(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        let submits = &self.submits;
        self.turns
            .yield_to_interactive(|| submits.capacity() < submits.max_capacity())
            .await;
        begin_immediate(&self.writer).await
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

    /// One writer at a time: the worker's next batch, read in its own
    /// write transaction, sees the dispute (it passes over a request with
    /// an open one).
    async fn hold_request(
        conn: &mut SqliteConnection,
        id: RequestId,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM change_requests WHERE id = $1 AND status = 'pending' AND due_at > $2)",
        )
        .bind(id.0.to_string())
        .bind(kontor_store_sql::rows::ms(now))
        .fetch_one(&mut *conn)
        .await
        .ctx("failed to check the request to hold")
    }

    async fn insert_submits(
        conn: &mut SqliteConnection,
        submits: &[&kontor_store_sql::batching::Submit],
    ) -> StoreResult<std::collections::HashSet<String>> {
        crate::group_commit::insert_submits(conn, submits).await
    }

    async fn release_request(_: &mut SqliteConnection, _: RequestId) -> StoreResult<()> {
        Ok(())
    }

    async fn unscoped_agreement_state(
        &self,
        number: &AgreementNumber,
    ) -> StoreResult<Option<AgreementState>> {
        // Inline, not through sqlx's connection thread (see `inline_reads`).
        self.inline
            .agreement_state(&crate::shared::agreements::UNSCOPED_STATE, number)
    }
}
