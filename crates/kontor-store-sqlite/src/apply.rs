//! The worker's apply step (R8) on SQLite.
//!
//! Why this differs from PostgreSQL: one `BEGIN IMMEDIATE` transaction
//! holds the database for the batch, so nothing needs claiming or locking;
//! the due batch is read as one JSON document built by SQLite, and the
//! set-based writes take the batch as JSON (PostgreSQL: claimed rows, one
//! array per column).

use kontor_core::StoreResult;
use kontor_store_sql::Ctx;
use kontor_store_sql::backend::DueBatches;
use kontor_store_sql::due::{DueBatch, PlannedBatch, changed_during_batch};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::rows::{json, ms};

impl DueBatches for SqliteStore {
    /// Reads up to `limit` due requests with their agreements (and current
    /// partners) and requesters as *one* JSON value built by SQLite: one row
    /// crosses from the database thread instead of thousands, which is where a
    /// row-by-row read spent its time.
    async fn take_due(
        conn: &mut SqliteConnection,
        now: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<DueBatch> {
        let doc: Option<String> = sqlx::query_scalar(
            "SELECT json_group_array(json_object( \
               'id', r.id, 'agreement', r.agreement_number, 'account', r.account_csn, 'old', r.old_partners, \
               'new', r.new_partner_csn, 'status', r.status, 'by', r.requested_by, 'created', r.created_at, \
               'due', r.due_at, 'reasons', r.reasons, \
               'a_account', a.account_csn, 'term_start', a.term_start, 'term_end', a.term_end, \
               'auto_renew', a.auto_renew, 'program', a.program, 'support_level', a.support_level, \
               'a_status', a.status, 'products', a.products, \
               'partners', (SELECT group_concat(partner_csn) FROM partner_assignments \
                            WHERE agreement_number = a.number AND valid_to IS NULL), \
               'u_email', u.email, 'u_name', u.name, 'u_role', u.role, 'u_account', u.account_csn, \
               'u_partner', u.partner_csn, 'u_lang', u.lang, 'u_disabled', u.disabled_at)) \
             FROM (SELECT * FROM change_requests WHERE status = 'pending' AND due_at <= ? \
               AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.request_id = change_requests.id AND d.status = 'open') \
               ORDER BY due_at LIMIT ?) r \
             JOIN agreements a ON a.number = r.agreement_number \
             JOIN users u ON u.id = r.requested_by",
        )
        .bind(ms(now))
        .bind(i64::from(limit))
        .fetch_one(&mut *conn)
        .await
        .ctx("failed to read due requests")?;
        DueBatch::parse(doc.as_deref())
    }

    /// The batch's set-based writes: its decisions, and the partners of record
    /// of the applied requests.
    async fn write_batch(
        conn: &mut SqliteConnection,
        plan: &PlannedBatch,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        // Set-based writes: a handful of statements per batch, not per request.
        let (decisions, applied) = (json(&plan.decisions)?, json(&plan.applied)?);
        let decided = sqlx::query(
            "UPDATE change_requests SET status = d.status, decided_at = d.decided_at, reasons = d.reasons, \
             old_partners = d.old FROM (SELECT value ->> 'id' AS id, value ->> 'status' AS status, \
             value ->> 'decided_at' AS decided_at, value ->> 'reasons' AS reasons, value ->> 'old' AS old \
             FROM json_each(?)) AS d WHERE change_requests.id = d.id AND change_requests.status = 'pending'",
        )
        .bind(&decisions)
        .execute(&mut *conn)
        .await
        .ctx("failed to record decisions")?;
        let expected = plan.decisions.len() as u64;
        if decided.rows_affected() != expected {
            return Err(changed_during_batch(expected, decided.rows_affected()));
        }
        sqlx::query(
            "UPDATE partner_assignments SET valid_to = ? WHERE id IN (SELECT pa.id FROM json_each(?) j \
             JOIN partner_assignments pa ON pa.agreement_number = j.value ->> 'agreement' AND pa.valid_to IS NULL \
             AND pa.partner_csn <> j.value ->> 'partner')",
        )
        .bind(ms(now))
        .bind(&applied)
        .execute(&mut *conn)
        .await
        .ctx("failed to close replaced assignments")?;
        sqlx::query(
            "INSERT INTO partner_assignments (agreement_number, partner_csn, valid_from, source, change_request_id) \
             SELECT j.value ->> 'agreement', j.value ->> 'partner', ?, 'self_service', j.value ->> 'id' FROM json_each(?) j \
             WHERE NOT EXISTS (SELECT 1 FROM partner_assignments pa WHERE pa.agreement_number = j.value ->> 'agreement' \
             AND pa.partner_csn = j.value ->> 'partner' AND pa.valid_to IS NULL)",
        )
        .bind(ms(now))
        .bind(&applied)
        .execute(&mut *conn)
        .await
        .ctx("failed to open new assignments")?;
        Ok(())
    }
}
