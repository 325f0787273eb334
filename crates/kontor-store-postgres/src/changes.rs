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
use sqlx::{PgConnection, Postgres, QueryBuilder};
use time::OffsetDateTime;

use crate::audit::{insert_audit, insert_outbox};
use crate::group_commit::SubmitJob;
use crate::rows::{PartnerRow, REQUEST_COLUMNS, RequestRow, json, ms};
use kontor_store_sql::scope::push_request_scope;

use crate::{Ctx, PgStore};
use kontor_store_sql::due::{DueBatch, DueRow, plan_batch};

async fn write_decision(
    conn: &mut PgConnection,
    decided: &ChangeRequest,
    expected: &[RequestStatus],
) -> StoreResult<bool> {
    let reasons: Vec<&str> = decided.reasons.iter().map(|r| r.as_str()).collect();
    let expected: Vec<&str> = expected.iter().map(|s| s.as_str()).collect();
    let done = sqlx::query(
        "UPDATE change_requests SET status = $1, due_at = $8, decided_at = $2, decided_by = $3, reasons = $4, old_partners = $5 \
         WHERE id = $6 AND status IN (SELECT value FROM jsonb_array_elements_text($7::jsonb))",
    )
    .bind(decided.status.as_str())
    .bind(decided.decided_at.map(ms))
    .bind(decided.decided_by.map(|u| u.0.to_string()))
    .bind(json(&reasons)?)
    .bind(json(&decided.old_partners)?)
    .bind(decided.id.0.to_string())
    .bind(json(&expected)?)
    .bind(ms(decided.due_at))
    .execute(&mut *conn)
    .await
    .ctx("failed to update request")?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    // Keep `open_requests` in step: still open (accepted: pending with a new
    // due time) or closed.
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
    Ok(true)
}

/// `SELECT … WHERE key IN (json list)` as one query for a whole batch.
async fn fetch_in<T>(conn: &mut PgConnection, sql: &str, keys: &[String]) -> StoreResult<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    sqlx::query_as::<_, T>(sql)
        .bind(json(&keys)?)
        .fetch_all(&mut *conn)
        .await
        .ctx("failed to read batch context")
}

/// One `value` row per CSN of a request's `old_partners` (R1 scope).
const OLD_PARTNER_ROWS: &str = "jsonb_array_elements_text(r.old_partners::jsonb) AS value";

#[async_trait]
impl ChangeStore for PgStore {
    async fn insert_request(
        &self,
        r: &ChangeRequest,
        audit: &[AuditEntry],
        outbox: &[OutboxMessage],
    ) -> StoreResult<()> {
        crate::batching::ask(&self.submits, "submit committer", |reply| SubmitJob {
            request: r.clone(),
            audit: audit.to_vec(),
            outbox: outbox.to_vec(),
            reply,
        })
        .await
    }

    async fn request(&self, scope: &Scope, id: RequestId) -> StoreResult<Option<ChangeRequest>> {
        let mut q: QueryBuilder<Postgres> = QueryBuilder::new(format!(
            "SELECT {REQUEST_COLUMNS} FROM change_requests r WHERE r.id = "
        ));
        q.push_bind(id.0.to_string());
        push_request_scope(&mut q, scope, OLD_PARTNER_ROWS);
        q.build_query_as::<RequestRow>()
            .fetch_optional(&self.pool)
            .await
            .ctx("failed to read request")?
            .map(TryInto::try_into)
            .transpose()
    }

    async fn requests(&self, scope: &Scope, f: &RequestFilter) -> StoreResult<Vec<ChangeRequest>> {
        let mut q: QueryBuilder<Postgres> = QueryBuilder::new(format!(
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
            .fetch_all(&self.pool)
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
            "SELECT {REQUEST_COLUMNS} FROM open_requests o JOIN change_requests r ON r.id = o.request_id \
             WHERE o.status = 'awaiting_partner' AND o.due_at <= $1 ORDER BY o.due_at LIMIT $2"
        ))
        .bind(ms(now))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
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
            .execute(&mut *tx)
            .await
            .ctx("failed to set up the batch transaction")?;
        let batch = read_due(&mut tx, now, limit).await?;
        if batch.due.is_empty() {
            return Ok(ApplyReport::default());
        }
        let partners: HashMap<String, Partner> = fetch_in::<PartnerRow>(
            &mut tx,
            "SELECT csn, name, city, country, status, email FROM partners WHERE csn IN (SELECT value FROM jsonb_array_elements_text($1::jsonb))",
            &batch.partner_keys(),
        )
        .await?
        .into_iter()
        .map(|row| Partner::try_from(row).map(|p| (p.csn.to_string(), p)))
        .collect::<StoreResult<_>>()?;
        let mut admins: HashMap<String, Vec<Contact>> = HashMap::new();
        let admin_rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT account_csn, email, lang FROM users WHERE role IN ('primary_admin', 'secondary_admin') \
             AND disabled_at IS NULL AND account_csn IN (SELECT value FROM jsonb_array_elements_text($1::jsonb)) ORDER BY email",
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
        .execute(&mut *tx)
        .await
        .ctx("failed to record decisions")?;
        let expected = d.len() as u64;
        let closed = sqlx::query(
            "DELETE FROM open_requests o USING UNNEST($1::text[], $2::text[]) AS d (agreement, id) \
             WHERE o.agreement_number = d.agreement AND o.request_id = d.id",
        )
        .bind(d.iter().map(|d| d.agreement.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.id.as_str()).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await
        .ctx("failed to close decided requests")?;
        if decided.rows_affected() != expected || closed.rows_affected() != expected {
            // Cannot happen while the claimed rows are locked; refuse to half-apply if it does.
            return Err(StoreError::Other(anyhow::anyhow!(
                "{} of {} due requests changed state during the batch",
                expected - decided.rows_affected(),
                expected
            )));
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
        .execute(&mut *tx)
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

/// Claims and reads a batch of due requests (see [`read_due`]).
pub(crate) const CLAIM: &str = "SELECT r.id, r.agreement_number AS agreement, r.account_csn AS account, r.old_partners AS \"old\", \
       r.new_partner_csn AS \"new\", r.status, r.requested_by AS \"by\", r.created_at AS created, r.due_at AS due, \
       r.reasons, a.account_csn AS a_account, a.term_start, a.term_end, a.auto_renew::int::int8 AS auto_renew, \
       a.program, a.support_level, a.status AS a_status, a.products, \
       (SELECT string_agg(partner_csn, ',') FROM partner_assignments \
         WHERE agreement_number = a.number AND valid_to IS NULL) AS partners, \
       u.email AS u_email, u.name AS u_name, u.role AS u_role, u.account_csn AS u_account, \
       u.partner_csn AS u_partner, u.lang AS u_lang, u.disabled_at AS u_disabled \
     FROM (SELECT request_id FROM open_requests WHERE status = 'pending' AND due_at <= $1 \
           ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED) o \
     CROSS JOIN LATERAL (SELECT * FROM change_requests WHERE id = o.request_id OFFSET 0) r \
     CROSS JOIN LATERAL (SELECT * FROM agreements WHERE number = r.agreement_number OFFSET 0) a \
     CROSS JOIN LATERAL (SELECT * FROM users WHERE id = r.requested_by OFFSET 0) u";

/// Settings of a worker batch's transaction (see `apply_due`).
pub(crate) const APPLY_SETTINGS: &str = "SELECT set_config('synchronous_commit', 'off', true), \
     set_config('plan_cache_mode', 'force_generic_plan', true), \
     set_config('enable_seqscan', 'off', true)";

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
/// `agreements::replace_partners`): the worker skips such a request until
/// the change has committed, and such a change waits for a batch holding
/// it, so the planner never decides on a stale agreement.
async fn read_due(
    conn: &mut PgConnection,
    now: OffsetDateTime,
    limit: u32,
) -> StoreResult<DueBatch> {
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
