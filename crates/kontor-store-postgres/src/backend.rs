//! What differs on PostgreSQL, for the store bodies written once in
//! `kontor-store-sql`: several processes write at once, so writers rely
//! on row locks and unique indexes (open requests have a table of their
//! own, `open_requests`, R7), advisory locks serialise sign-in attempts,
//! and the hot paths are batched (coalesced reads, group commit, worker
//! batches over arrays).

use kontor_core::StoreResult;
use kontor_core::domain::audit::AuditEntry;
use kontor_core::domain::change_request::{ChangeRequest, RequestId};
use kontor_core::domain::ids::AgreementNumber;
use kontor_core::domain::notify::OutboxMessage;
use kontor_core::domain::throttle::ThrottleKey;
use kontor_core::store::AgreementState;
use kontor_store_sql::batching::SubmitJob;
use kontor_store_sql::{Backend, Ctx};
use sqlx::{PgConnection, Pool, Postgres, Transaction};
use time::OffsetDateTime;
use tokio::sync::mpsc;

use crate::{PgStore, apply, writes};

impl Backend for PgStore {
    type Db = Postgres;

    const NOW_MS: &'static str = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";
    const FOR_UPDATE: &'static str = "FOR UPDATE";
    const FOR_UPDATE_SKIP_LOCKED: &'static str = "FOR UPDATE SKIP LOCKED";
    const DUE_DELIVERIES_INDEX: &'static str = "";
    const CURRENT_PARTNERS: &'static str = "(SELECT COALESCE(json_agg(partner_csn ORDER BY partner_csn), '[]')::text \
         FROM partner_assignments WHERE agreement_number = a.number AND valid_to IS NULL)";
    const OPEN_REQUEST_JOIN: &'static str = "LEFT JOIN open_requests o ON o.agreement_number = a.number \
         LEFT JOIN change_requests r ON r.id = o.request_id";
    const AWAITING_DUE_FROM: &'static str = "FROM open_requests o JOIN change_requests r ON r.id = o.request_id \
         WHERE o.status = 'awaiting_partner' AND o.due_at <= $1 ORDER BY o.due_at LIMIT $2";
    const AWAITING_UNESCALATED_FROM: &'static str = "FROM open_requests o JOIN change_requests r ON r.id = o.request_id \
         WHERE o.status = 'awaiting_partner' AND o.due_at > $1 AND o.due_at <= $2 \
         AND NOT EXISTS (SELECT 1 FROM request_escalations e WHERE e.request_id = o.request_id) \
         ORDER BY o.due_at LIMIT $3";

    fn json_values(json: &str) -> String {
        format!("jsonb_array_elements_text({json}::jsonb) AS value")
    }

    fn writer(&self) -> &Pool<Postgres> {
        &self.pool
    }

    fn reader(&self) -> &Pool<Postgres> {
        &self.pool
    }

    /// A plain READ COMMITTED transaction: row locks and unique indexes
    /// keep concurrent writers apart.
    async fn write(&self) -> StoreResult<Transaction<'static, Postgres>> {
        self.pool.begin().await.ctx("failed to begin transaction")
    }

    /// Writers do not take turns on PostgreSQL: a batch locks its own rows.
    async fn write_background(&self) -> StoreResult<Transaction<'static, Postgres>> {
        self.write().await
    }

    fn instance(&self) -> &str {
        &self.instance
    }

    fn submits(&self) -> &mpsc::Sender<SubmitJob> {
        &self.submits
    }

    async fn insert_audit(conn: &mut PgConnection, entries: &[AuditEntry]) -> StoreResult<()> {
        writes::insert_audit(conn, entries).await
    }

    async fn insert_outbox(
        conn: &mut PgConnection,
        messages: &[OutboxMessage],
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        writes::insert_outbox(conn, messages, now).await
    }

    /// Attempts for the same keys queue here, in key order (no
    /// deadlocks), across every instance; the lock ends with the
    /// transaction.
    async fn lock_signin_keys(conn: &mut PgConnection, keys: &[ThrottleKey]) -> StoreResult<()> {
        let mut sorted: Vec<&str> = keys.iter().map(|k| k.key.as_str()).collect();
        sorted.sort_unstable();
        for key in sorted {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(key)
                .execute(&mut *conn)
                .await
                .ctx("failed to lock a sign-in counter")?;
        }
        Ok(())
    }

    /// The agreement row against direct changes, its pending request
    /// against a worker applying it (workers lock the requests they claim).
    async fn lock_partners_of(
        conn: &mut PgConnection,
        number: &AgreementNumber,
    ) -> StoreResult<()> {
        sqlx::query("SELECT 1 FROM agreements WHERE number = $1 FOR UPDATE")
            .bind(number.as_str())
            .execute(&mut *conn)
            .await
            .ctx("failed to lock agreement")?;
        sqlx::query(
            "SELECT 1 FROM open_requests WHERE agreement_number = $1 AND status = 'pending' FOR UPDATE",
        )
        .bind(number.as_str())
        .execute(&mut *conn)
        .await
        .ctx("failed to lock pending request")?;
        Ok(())
    }

    async fn request_decided(conn: &mut PgConnection, decided: &ChangeRequest) -> StoreResult<()> {
        apply::request_decided(conn, decided).await
    }

    /// Marks the worker's queue entry: a worker whose batch claims it waits
    /// for this update (and then finds it held), and one whose batch holds
    /// it makes this wait until the request is decided (and then no longer
    /// pending).
    async fn hold_request(
        conn: &mut PgConnection,
        id: RequestId,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let held = sqlx::query(
            "UPDATE open_requests SET held = true \
             WHERE request_id = $1 AND status = 'pending' AND due_at > $2",
        )
        .bind(id.0.to_string())
        .bind(kontor_store_sql::rows::ms(now))
        .execute(&mut *conn)
        .await
        .ctx("failed to hold the request")?;
        Ok(held.rows_affected() == 1)
    }

    async fn insert_submits(
        conn: &mut PgConnection,
        submits: &[&kontor_store_sql::batching::Submit],
    ) -> StoreResult<std::collections::HashSet<String>> {
        crate::group_commit::insert_submits(conn, submits).await
    }

    async fn release_request(conn: &mut PgConnection, id: RequestId) -> StoreResult<()> {
        sqlx::query("UPDATE open_requests SET held = false WHERE request_id = $1")
            .bind(id.0.to_string())
            .execute(&mut *conn)
            .await
            .ctx("failed to release the request")?;
        Ok(())
    }

    async fn unscoped_agreement_state(
        &self,
        number: &AgreementNumber,
    ) -> StoreResult<Option<AgreementState>> {
        self.coalesced_agreement_state(number).await
    }
}
