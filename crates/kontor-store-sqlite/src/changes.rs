//! Partner change requests and the worker's apply step (R7, R8, R9).

use std::collections::HashMap;

use async_trait::async_trait;
use kontor_core::domain::agreement::Partner;
use kontor_core::domain::audit::AuditEntry;
use kontor_core::domain::change_request::{ChangeRequest, RequestId, RequestStatus};
use kontor_core::domain::notify::{Contact, OutboxMessage};
use kontor_core::domain::roles::Lang;
use kontor_core::store::{ApplyPlanner, ApplyReport, ChangeStore, RequestFilter, Scope};
use kontor_core::{StoreError, StoreResult};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use time::OffsetDateTime;

use crate::audit::{insert_audit, insert_outbox};
use crate::group_commit::SubmitJob;
use crate::rows::{PartnerRow, REQUEST_COLUMNS, RequestRow, json, ms};
use kontor_store_sql::scope::push_request_scope;

use crate::{Ctx, SqliteStore};
use kontor_store_sql::due::{DueBatch, plan_batch};

async fn write_decision(
    conn: &mut SqliteConnection,
    decided: &ChangeRequest,
    expected: &[RequestStatus],
) -> StoreResult<bool> {
    let reasons: Vec<&str> = decided.reasons.iter().map(|r| r.as_str()).collect();
    let expected: Vec<&str> = expected.iter().map(|s| s.as_str()).collect();
    let done = sqlx::query(
        "UPDATE change_requests SET status = ?, due_at = ?, decided_at = ?, decided_by = ?, reasons = ?, old_partners = ? \
         WHERE id = ? AND status IN (SELECT value FROM json_each(?))",
    )
    .bind(decided.status.as_str())
    .bind(ms(decided.due_at))
    .bind(decided.decided_at.map(ms))
    .bind(decided.decided_by.map(|u| u.0.to_string()))
    .bind(json(&reasons)?)
    .bind(json(&decided.old_partners)?)
    .bind(decided.id.0.to_string())
    .bind(json(&expected)?)
    .execute(&mut *conn)
    .await
    .ctx("failed to update request")?;
    Ok(done.rows_affected() == 1)
}

/// `SELECT … WHERE key IN (json list)` as one query for a whole batch.
async fn fetch_in<T>(conn: &mut SqliteConnection, sql: &str, keys: &[String]) -> StoreResult<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
{
    sqlx::query_as::<_, T>(sql)
        .bind(json(&keys)?)
        .fetch_all(&mut *conn)
        .await
        .ctx("failed to read batch context")
}

/// One `value` row per CSN of a request's `old_partners` (R1 scope).
const OLD_PARTNER_ROWS: &str = "json_each(r.old_partners)";

#[async_trait]
impl ChangeStore for SqliteStore {
    async fn insert_request(
        &self,
        r: &ChangeRequest,
        audit: &[AuditEntry],
        outbox: &[OutboxMessage],
    ) -> StoreResult<()> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = SubmitJob {
            request: r.clone(),
            audit: audit.to_vec(),
            outbox: outbox.to_vec(),
            reply,
        };
        self.submits
            .send(job)
            .await
            .map_err(|_| StoreError::Other(anyhow::anyhow!("the submit committer has stopped")))?;
        answer.await.map_err(|_| {
            StoreError::Other(anyhow::anyhow!("the submit committer dropped a request"))
        })?
    }

    async fn request(&self, scope: &Scope, id: RequestId) -> StoreResult<Option<ChangeRequest>> {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
            "SELECT {REQUEST_COLUMNS} FROM change_requests r WHERE r.id = "
        ));
        q.push_bind(id.0.to_string());
        push_request_scope(&mut q, scope, OLD_PARTNER_ROWS);
        q.build_query_as::<RequestRow>()
            .fetch_optional(&self.reader)
            .await
            .ctx("failed to read request")?
            .map(TryInto::try_into)
            .transpose()
    }

    async fn requests(&self, scope: &Scope, f: &RequestFilter) -> StoreResult<Vec<ChangeRequest>> {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
            "SELECT {REQUEST_COLUMNS} FROM change_requests r WHERE 1 = 1"
        ));
        push_request_scope(&mut q, scope, OLD_PARTNER_ROWS);
        if let Some(s) = f.status {
            q.push(" AND r.status = ").push_bind(s.as_str());
        }
        if let Some(a) = &f.agreement {
            q.push(" AND r.agreement_number = ")
                .push_bind(a.as_str().to_owned());
        }
        if let Some(before) = f.before {
            q.push(" AND r.id < ").push_bind(before.to_string());
        }
        q.push(" ORDER BY r.id DESC LIMIT ")
            .push_bind(i64::from(f.limit));
        let rows: Vec<RequestRow> = q
            .build_query_as()
            .fetch_all(&self.reader)
            .await
            .ctx("failed to list requests")?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn awaiting_due(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<ChangeRequest>> {
        let rows: Vec<RequestRow> = sqlx::query_as(&format!(
            "SELECT {REQUEST_COLUMNS} FROM change_requests r \
             WHERE r.status = 'awaiting_partner' AND r.due_at <= ? ORDER BY r.due_at LIMIT ?"
        ))
        .bind(ms(now))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await
        .ctx("failed to read unanswered requests")?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn decide_request(
        &self,
        decided: &ChangeRequest,
        expected: &[RequestStatus],
        audit: &[AuditEntry],
        outbox: &[OutboxMessage],
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        if !write_decision(&mut tx, decided, expected).await? {
            return Err(StoreError::NotFound);
        }
        insert_audit(&mut tx, audit).await?;
        insert_outbox(
            &mut tx,
            outbox,
            decided.decided_at.unwrap_or(decided.created_at),
        )
        .await?;
        tx.commit().await.ctx("failed to commit decision")
    }

    async fn apply_due(
        &self,
        now: OffsetDateTime,
        limit: u32,
        planner: &dyn ApplyPlanner,
    ) -> StoreResult<ApplyReport> {
        let started = std::time::Instant::now();
        let mut tx = self.write().await?;
        let batch = read_due(&mut tx, now, limit).await?;
        if batch.due.is_empty() {
            return Ok(ApplyReport::default());
        }
        let partners: HashMap<String, Partner> = fetch_in::<PartnerRow>(
            &mut tx,
            "SELECT csn, name, city, country, status, email FROM partners WHERE csn IN (SELECT value FROM json_each(?))",
            &batch.partner_keys(),
        )
        .await?
        .into_iter()
        .map(|row| Partner::try_from(row).map(|p| (p.csn.to_string(), p)))
        .collect::<StoreResult<_>>()?;
        let mut admins: HashMap<String, Vec<Contact>> = HashMap::new();
        let admin_rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT account_csn, email, lang FROM users WHERE role IN ('primary_admin', 'secondary_admin') \
             AND disabled_at IS NULL AND account_csn IN (SELECT value FROM json_each(?)) ORDER BY email",
        )
        .bind(json(&batch.account_keys())?)
        .fetch_all(&mut *tx)
        .await
        .ctx("failed to read account admins")?;
        for (acc, email, lang) in admin_rows {
            admins.entry(acc).or_default().push(Contact {
                email,
                lang: Lang::parse(&lang).unwrap_or_default(),
            });
        }

        let read = started.elapsed();
        let plan = plan_batch(&batch, &partners, &admins, planner, now)?;
        let planned = started.elapsed();
        // Set-based writes: a handful of statements per batch, not per request.
        let (decisions, applied) = (json(&plan.decisions)?, json(&plan.applied)?);
        let decided = sqlx::query(
            "UPDATE change_requests SET status = d.status, decided_at = d.decided_at, reasons = d.reasons, \
             old_partners = d.old FROM (SELECT value ->> 'id' AS id, value ->> 'status' AS status, \
             value ->> 'decided_at' AS decided_at, value ->> 'reasons' AS reasons, value ->> 'old' AS old \
             FROM json_each(?)) AS d WHERE change_requests.id = d.id AND change_requests.status = 'pending'",
        )
        .bind(&decisions)
        .execute(&mut *tx)
        .await
        .ctx("failed to record decisions")?;
        let expected = plan.decisions.len() as u64;
        if decided.rows_affected() != expected {
            // Cannot happen inside one IMMEDIATE transaction; refuse to half-apply if it does.
            return Err(StoreError::Other(anyhow::anyhow!(
                "{} of {} due requests changed state during the batch",
                expected - decided.rows_affected(),
                expected
            )));
        }
        sqlx::query(
            "UPDATE partner_assignments SET valid_to = ? WHERE id IN (SELECT pa.id FROM json_each(?) j \
             JOIN partner_assignments pa ON pa.agreement_number = j.value ->> 'agreement' AND pa.valid_to IS NULL \
             AND pa.partner_csn <> j.value ->> 'partner')",
        )
        .bind(ms(now))
        .bind(&applied)
        .execute(&mut *tx)
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
        .execute(&mut *tx)
        .await
        .ctx("failed to open new assignments")?;
        let written = started.elapsed();
        insert_audit(&mut tx, &plan.audit).await?;
        insert_outbox(&mut tx, &plan.outbox, now).await?;
        let logged = started.elapsed();
        tx.commit().await.ctx("failed to commit applied requests")?;
        tracing::debug!(
            requests = plan.report.total(),
            ?read,
            ?planned,
            ?written,
            ?logged,
            committed = ?started.elapsed(),
            "apply batch timings (cumulative)"
        );
        Ok(plan.report)
    }
}

/// Reads up to `limit` due requests with their agreements (and current
/// partners) and requesters as *one* JSON value built by SQLite: one row
/// crosses from the database thread instead of thousands, which is where a
/// row-by-row read spent its time.
async fn read_due(
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
         FROM (SELECT * FROM change_requests WHERE status = 'pending' AND due_at <= ? ORDER BY due_at LIMIT ?) r \
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
