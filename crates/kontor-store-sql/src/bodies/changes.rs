//! Partner change requests (R7, R9): submitting, reading and deciding
//! them, and the worker's apply step (R8), whose taking and writing of a
//! batch differ per backend ([`crate::backend::DueBatches`]).

/// [`kontor_core::store::ChangeStore`] for `$store`.
#[doc(hidden)]
#[macro_export]
macro_rules! changes_body {
    ($store:ty) => {
        pub(crate) mod changes {
            use std::collections::HashMap;

            use async_trait::async_trait;
            use kontor_core::domain::agreement::Partner;
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::domain::change_request::{ChangeRequest, RequestId, RequestStatus};
            use kontor_core::domain::notify::{Contact, OutboxMessage};
            use kontor_core::domain::roles::Lang;
            use kontor_core::store::{AppliedBatch, ApplyPlanner, ChangeStore, RequestFilter, Scope};
            use kontor_core::{StoreError, StoreResult};
            use sqlx::QueryBuilder;
            use time::OffsetDateTime;
            use $crate::backend::Conn;
            use $crate::batching::{Submit, SubmitJob, ask};
            use $crate::due::{DueBatch, Laps, plan_batch};
            use $crate::rows::{AdminContactRow, CONTACT_COLUMNS, PartnerRow, REQUEST_COLUMNS, RequestRow, json, ms};
            use $crate::scope::push_request_scope;
            use $crate::backend::DueBatches;
            use $crate::{Backend, Ctx};

            type Db = <$store as Backend>::Db;

            pub(super) async fn write_decision(
                conn: &mut Conn<$store>,
                decided: &ChangeRequest,
                expected: &[RequestStatus],
            ) -> StoreResult<bool> {
                let reasons: Vec<&str> = decided.reasons.iter().map(|r| r.as_str()).collect();
                let expected: Vec<&str> = expected.iter().map(|s| s.as_str()).collect();
                let done = sqlx::query(
                    &format!(
                        "UPDATE change_requests SET status = $1, due_at = $8, decided_at = $2, decided_by = $3, reasons = $4, \
                         old_partners = $5 WHERE id = $6 AND status IN (SELECT value FROM {})",
                        <$store as Backend>::json_values("$7")
                    ),
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
                <$store as Backend>::request_decided(&mut *conn, decided).await?;
                if !decided.status.is_open() {
                    // A change withdrawn while held ends its dispute (#22).
                    sqlx::query(
                        "UPDATE disputes SET status = 'withdrawn', decided_at = $1 \
                         WHERE request_id = $2 AND status = 'open'",
                    )
                    .bind(decided.decided_at.map(ms))
                    .bind(decided.id.0.to_string())
                    .execute(&mut *conn)
                    .await
                    .ctx("failed to end the dispute")?;
                }
                Ok(true)
            }

            #[async_trait]
            impl ChangeStore for $store {
                async fn insert_request(
                    &self,
                    r: &ChangeRequest,
                    audit: &[AuditEntry],
                    outbox: &[OutboxMessage],
                ) -> StoreResult<()> {
                    ask(self.submits(), "submit committer", |reply| SubmitJob {
                        submit: Submit {
                            request: r.clone(),
                            audit: audit.to_vec(),
                            outbox: outbox.to_vec(),
                        },
                        reply,
                    })
                    .await
                }

                async fn request(&self, scope: &Scope, id: RequestId) -> StoreResult<Option<ChangeRequest>> {
                    let mut q: QueryBuilder<Db> = QueryBuilder::new(format!(
                        "SELECT {REQUEST_COLUMNS} FROM change_requests r WHERE r.id = "
                    ));
                    q.push_bind(id.0.to_string());
                    push_request_scope(&mut q, scope, &Self::json_values("r.old_partners"));
                    q.build_query_as::<RequestRow>()
                        .fetch_optional(self.reader())
                        .await
                        .ctx("failed to read request")?
                        .map(TryInto::try_into)
                        .transpose()
                }

                async fn requests(&self, scope: &Scope, f: &RequestFilter) -> StoreResult<Vec<ChangeRequest>> {
                    let mut q: QueryBuilder<Db> = QueryBuilder::new(format!(
                        "SELECT {REQUEST_COLUMNS} FROM change_requests r WHERE 1 = 1"
                    ));
                    push_request_scope(&mut q, scope, &Self::json_values("r.old_partners"));
                    if let Some(s) = f.status {
                        q.push(" AND r.status = ").push_bind(s.as_str());
                    }
                    if let Some(a) = &f.agreement {
                        q.push(" AND r.agreement_number = ")
                            .push_bind(a.as_str().to_owned());
                    }
                    if let Some(p) = &f.new_partner {
                        q.push(" AND r.new_partner_csn = ")
                            .push_bind(p.as_str().to_owned());
                    }
                    if let Some(p) = &f.old_partner {
                        q.push(format!(
                            " AND EXISTS (SELECT 1 FROM {} WHERE value = ",
                            Self::json_values("r.old_partners")
                        ))
                        .push_bind(p.as_str().to_owned())
                        .push(")");
                    }
                    if let Some(before) = f.before {
                        q.push(" AND r.id < ").push_bind(before.to_string());
                    }
                    q.push(" ORDER BY r.id DESC LIMIT ")
                        .push_bind(i64::from(f.limit));
                    let rows: Vec<RequestRow> = q
                        .build_query_as()
                        .fetch_all(self.reader())
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
                        "SELECT {REQUEST_COLUMNS} {}",
                        Self::AWAITING_DUE_FROM
                    ))
                    .bind(ms(now))
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
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
                    Self::insert_audit(&mut tx, audit).await?;
                    Self::insert_outbox(
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
                ) -> StoreResult<AppliedBatch> {
                    let mut laps = Laps::start();
                    let mut tx = self.write_background().await?;
                    let batch = Self::take_due(&mut tx, now, limit).await?;
                    if batch.due.is_empty() {
                        return Ok(AppliedBatch::default());
                    }
                    let (partners, admins) = batch_context(&mut tx, &batch).await?;
                    laps.lap("read");
                    let plan = plan_batch(&batch, &partners, &admins, planner, now)?;
                    laps.lap("planned");
                    Self::write_batch(&mut tx, &plan, now).await?;
                    laps.lap("written");
                    Self::insert_audit(&mut tx, &plan.audit).await?;
                    Self::insert_outbox(&mut tx, &plan.outbox, now).await?;
                    laps.lap("logged");
                    tx.commit().await.ctx("failed to commit applied requests")?;
                    laps.log(plan.report.total());
                    Ok(AppliedBatch {
                        report: plan.report,
                        agreements: batch.due.iter().map(|r| r.agreement.clone()).collect(),
                    })
                }
            }

            /// What the planner needs besides the due batch: the directory entries of
            /// the partners involved and the admins of the accounts (R10 recipients),
            /// each read for the whole batch at once.
            pub(crate) async fn batch_context(
                conn: &mut Conn<$store>,
                batch: &DueBatch,
            ) -> StoreResult<(HashMap<String, Partner>, HashMap<String, Vec<Contact>>)> {
                let partner_rows: Vec<PartnerRow> = sqlx::query_as(&format!(
                    "SELECT csn, name, city, country, status, email FROM partners WHERE csn IN (SELECT value FROM {})",
                    <$store as Backend>::json_values("$1")
                ))
                .bind(json(&batch.partner_keys())?)
                .fetch_all(&mut *conn)
                .await
                .ctx("failed to read the batch's partners")?;
                let partners = partner_rows
                    .into_iter()
                    .map(|row| Partner::try_from(row).map(|p| (p.csn.to_string(), p)))
                    .collect::<StoreResult<_>>()?;
                let admin_rows: Vec<AdminContactRow> = sqlx::query_as(&format!(
                    "SELECT u.account_csn, {CONTACT_COLUMNS} FROM users u \
                     WHERE u.role IN ('primary_admin', 'secondary_admin') AND u.disabled_at IS NULL \
                     AND u.account_csn IN (SELECT value FROM {}) ORDER BY u.email",
                    <$store as Backend>::json_values("$1")
                ))
                .bind(json(&batch.account_keys())?)
                .fetch_all(&mut *conn)
                .await
                .ctx("failed to read account admins")?;
                let mut admins: HashMap<String, Vec<Contact>> = HashMap::new();
                for row in admin_rows {
                    admins.entry(row.account_csn).or_default().push(row.contact.into());
                }
                Ok((partners, admins))
            }
        }
    };
}
