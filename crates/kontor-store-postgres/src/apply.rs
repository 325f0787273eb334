//! The worker's apply step (R8) on PostgreSQL, and the table of open
//! requests (R7) it keeps in step.
//!
//! Why this differs from SQLite: several workers claim disjoint batches
//! with `FOR UPDATE SKIP LOCKED` (the row locks are their leases), read
//! them with index probes per claimed row, and write with one array per
//! column; deciding a request deletes its row of `open_requests`.

use kontor_core::StoreResult;
use kontor_core::domain::change_request::ChangeRequest;
use kontor_store_sql::Ctx;
use kontor_store_sql::backend::DueBatches;
use kontor_store_sql::due::{DueBatch, DueRow, PlannedBatch, changed_during_batch};
use sqlx::PgConnection;
use time::OffsetDateTime;

use crate::PgStore;
use crate::rows::ms;

/// Keeps `open_requests` in step with a decided request: still open
/// (accepted: pending with a new due time) or closed.
pub(crate) async fn request_decided(
    conn: &mut PgConnection,
    decided: &ChangeRequest,
) -> StoreResult<()> {
    let query = if decided.status.is_open() {
        sqlx::query(
            "UPDATE open_requests SET status = $3, due_at = $4 WHERE agreement_number = $1 AND request_id = $2",
        )
        .bind(decided.agreement.as_str())
        .bind(decided.id.0.to_string())
        .bind(decided.status.as_str())
        .bind(ms(decided.due_at))
    } else {
        sqlx::query("DELETE FROM open_requests WHERE agreement_number = $1 AND request_id = $2")
            .bind(decided.agreement.as_str())
            .bind(decided.id.0.to_string())
    };
    query
        .execute(&mut *conn)
        .await
        .ctx("failed to update the open request")?;
    Ok(())
}

/// Claims and reads a batch of due requests (see `DueBatches::take_due`).
pub(crate) const CLAIM: &str = "SELECT r.id, r.agreement_number AS agreement, r.account_csn AS account, r.old_partners AS \"old\", \
       r.new_partner_csn AS \"new\", r.status, r.requested_by AS \"by\", r.created_at AS created, r.due_at AS due, \
       r.reasons, a.account_csn AS a_account, a.term_start, a.term_end, a.auto_renew::int::int8 AS auto_renew, \
       a.program, a.support_level, a.status AS a_status, a.products, \
       (SELECT string_agg(partner_csn, ',') FROM partner_assignments \
         WHERE agreement_number = a.number AND valid_to IS NULL) AS partners, \
       u.email AS u_email, u.name AS u_name, u.role AS u_role, u.account_csn AS u_account, \
       u.partner_csn AS u_partner, u.lang AS u_lang, u.disabled_at AS u_disabled \
     FROM (SELECT request_id FROM open_requests WHERE status = 'pending' AND NOT held AND due_at <= $1 \
           ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED) o \
     CROSS JOIN LATERAL (SELECT * FROM change_requests WHERE id = o.request_id OFFSET 0) r \
     CROSS JOIN LATERAL (SELECT * FROM agreements WHERE number = r.agreement_number OFFSET 0) a \
     CROSS JOIN LATERAL (SELECT * FROM users WHERE id = r.requested_by OFFSET 0) u";

/// Settings of a worker batch's transaction (see `apply_due`).
pub(crate) const APPLY_SETTINGS: &str = "SELECT set_config('synchronous_commit', 'off', true), \
     set_config('plan_cache_mode', 'force_generic_plan', true), \
     set_config('enable_seqscan', 'off', true)";

impl DueBatches for PgStore {
    /// Claims up to `limit` due requests, locking them until the transaction
    /// ends, and reads them with their agreements (and current partners) and
    /// requesters.
    ///
    /// The row locks are the workers' leases: `SKIP LOCKED` lets any number of
    /// workers claim disjoint batches; a worker that dies loses its connection,
    /// PostgreSQL rolls its transaction back and the rows are free again, and
    /// one that hangs is cut off by the connection's
    /// `idle_in_transaction_session_timeout` (the lease expiry). Whoever else
    /// changes an agreement's partners locks its pending request first (see
    /// `Backend::lock_partners_of`): the worker skips such a request until
    /// the change has committed, and such a change waits for a batch holding
    /// it, so the planner never decides on a stale agreement.
    async fn take_due(
        conn: &mut PgConnection,
        now: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<DueBatch> {
        // A batch is replayable: if the server crashed right after this
        // commit and lost it, the requests would simply be pending again
        // and the next round would decide them anew — all or nothing, as
        // the transaction is atomic either way. So the worker does not wait
        // for the WAL flush; submits, which acknowledge a 202, always do.
        // The batch's statements bind arrays: with custom plans PostgreSQL
        // would plan each of them anew for every batch, so they keep one
        // generic plan, which never scans a table whole (see
        // `PgStore::connect`).
        sqlx::query(APPLY_SETTINGS)
            .execute(&mut *conn)
            .await
            .ctx("failed to set up the batch transaction")?;
        // The LATERAL lookups (kept apart by OFFSET 0) are index probes per
        // claimed request; joined plainly, the planner may hash the whole
        // agreements table for a batch of a thousand.
        let rows: Vec<DueRow> = sqlx::query_as(CLAIM)
            .bind(ms(now))
            .bind(i64::from(limit))
            .fetch_all(&mut *conn)
            .await
            .ctx("failed to read due requests")?;
        DueBatch::from_rows(rows)
    }

    /// The batch's set-based writes: its decisions, and the partners of record
    /// of the applied requests.
    async fn write_batch(
        conn: &mut PgConnection,
        plan: &PlannedBatch,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        // Set-based writes: a handful of statements per batch, not per
        // request, each binding one array per column.
        let d = &plan.decisions;
        let decided = sqlx::query(
            "UPDATE change_requests SET status = d.status, decided_at = d.decided_at, reasons = d.reasons, \
             old_partners = d.old FROM UNNEST($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[]) \
             AS d (id, status, decided_at, reasons, old) \
             WHERE change_requests.id = d.id AND change_requests.status = 'pending'",
        )
        .bind(d.iter().map(|d| d.id.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.status).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.decided_at).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.reasons.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.old.as_str()).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await
        .ctx("failed to record decisions")?;
        let expected = d.len() as u64;
        let closed = sqlx::query(
            "DELETE FROM open_requests o USING UNNEST($1::text[], $2::text[]) AS d (agreement, id) \
             WHERE o.agreement_number = d.agreement AND o.request_id = d.id",
        )
        .bind(d.iter().map(|d| d.agreement.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.id.as_str()).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await
        .ctx("failed to close decided requests")?;
        if decided.rows_affected() != expected || closed.rows_affected() != expected {
            return Err(changed_during_batch(
                expected,
                decided.rows_affected().min(closed.rows_affected()),
            ));
        }
        let ids: Vec<&str> = plan.applied.iter().map(|a| a.id.as_str()).collect();
        let agreements: Vec<&str> = plan.applied.iter().map(|a| a.agreement.as_str()).collect();
        let new: Vec<&str> = plan.applied.iter().map(|a| a.partner.as_str()).collect();
        sqlx::query(
            "UPDATE partner_assignments SET valid_to = $1 WHERE id IN (SELECT pa.id \
             FROM UNNEST($2::text[], $3::text[]) AS j (agreement, partner) \
             JOIN partner_assignments pa ON pa.agreement_number = j.agreement AND pa.valid_to IS NULL \
             AND pa.partner_csn <> j.partner)",
        )
        .bind(ms(now))
        .bind(&agreements)
        .bind(&new)
        .execute(&mut *conn)
        .await
        .ctx("failed to close replaced assignments")?;
        sqlx::query(
            "INSERT INTO partner_assignments (agreement_number, partner_csn, valid_from, source, change_request_id) \
             SELECT j.agreement, j.partner, $1, 'self_service', j.id FROM UNNEST($2::text[], $3::text[], $4::text[]) \
             AS j (id, agreement, partner) \
             WHERE NOT EXISTS (SELECT 1 FROM partner_assignments pa WHERE pa.agreement_number = j.agreement \
             AND pa.partner_csn = j.partner AND pa.valid_to IS NULL)",
        )
        .bind(ms(now))
        .bind(&ids)
        .bind(&agreements)
        .bind(&new)
        .execute(&mut *conn)
        .await
        .ctx("failed to open new assignments")?;
        Ok(())
    }
}
