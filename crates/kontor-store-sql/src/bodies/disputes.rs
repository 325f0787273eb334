//! Disputes of pending changes (#22).

/// [`kontor_core::store::DisputeStore`] for `$store`.
#[doc(hidden)]
#[macro_export]
macro_rules! disputes_body {
    ($store:ty) => {
        pub(crate) mod disputes {
            use async_trait::async_trait;
            use kontor_core::domain::agreement::SupportLevel;
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::domain::change_request::{ChangeRequest, RequestId, RequestStatus};
            use kontor_core::domain::dispute::{Dispute, DisputeStatus};
            use kontor_core::domain::ids::{AgreementNumber, Csn};
            use kontor_core::domain::notify::OutboxMessage;
            use kontor_core::domain::roles::UserId;
            use kontor_core::store::{DisputeStore, Scope};
            use kontor_core::{StoreError, StoreResult};
            use sqlx::QueryBuilder;
            use uuid::Uuid;
            use $crate::rows::{bad, csn, from_ms, ms, uuid};
            use $crate::{Backend, Ctx};

            use super::changes::write_decision;

            type Db = <$store as Backend>::Db;

            /// The columns of [`DisputeRow`] on `disputes d`.
            const COLUMNS: &str = "d.id, d.request_id, d.agreement_number, d.account_csn, d.partner_csn, \
                 d.filed_by, d.reason, d.filed_at, d.support_level, d.respond_by, d.resolve_by, \
                 d.status, d.decided_by, d.decided_at, d.decision_note";

            #[derive(sqlx::FromRow)]
            struct DisputeRow {
                id: String,
                request_id: String,
                agreement_number: String,
                account_csn: String,
                partner_csn: String,
                filed_by: String,
                reason: String,
                filed_at: i64,
                support_level: String,
                respond_by: i64,
                resolve_by: i64,
                status: String,
                decided_by: Option<String>,
                decided_at: Option<i64>,
                decision_note: Option<String>,
            }

            impl TryFrom<DisputeRow> for Dispute {
                type Error = StoreError;
                fn try_from(r: DisputeRow) -> StoreResult<Dispute> {
                    Ok(Dispute {
                        id: uuid(&r.id)?,
                        request: RequestId(uuid(&r.request_id)?),
                        agreement: AgreementNumber::parse(&r.agreement_number)
                            .map_err(|_| bad("agreement number", &r.agreement_number))?,
                        account: csn(&r.account_csn)?,
                        partner: csn(&r.partner_csn)?,
                        filed_by: UserId(uuid(&r.filed_by)?),
                        reason: r.reason,
                        filed_at: from_ms(r.filed_at),
                        support_level: SupportLevel::parse(&r.support_level)
                            .ok_or_else(|| bad("support level", &r.support_level))?,
                        respond_by: from_ms(r.respond_by),
                        resolve_by: from_ms(r.resolve_by),
                        status: DisputeStatus::parse(&r.status)
                            .ok_or_else(|| bad("dispute status", &r.status))?,
                        decided_by: r.decided_by.as_deref().map(uuid).transpose()?.map(UserId),
                        decided_at: r.decided_at.map(from_ms),
                        decision_note: r.decision_note,
                    })
                }
            }

            /// Appends the tenant condition of `scope`; `false` when it
            /// reads no disputes (customers: the partner's reason is not
            /// theirs to read).
            fn push_scope(q: &mut QueryBuilder<'_, Db>, scope: &Scope) -> bool {
                match scope {
                    Scope::All => true,
                    Scope::Partner(p) => {
                        q.push(" AND d.partner_csn = ").push_bind(p.as_str().to_owned());
                        true
                    }
                    Scope::Account(_) | Scope::AccountUser(..) => false,
                }
            }

            #[async_trait]
            impl DisputeStore for $store {
                async fn file_dispute(
                    &self,
                    d: &Dispute,
                    audit: &AuditEntry,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    if !<$store as Backend>::hold_request(&mut *tx, d.request, d.filed_at).await? {
                        return Err(StoreError::NotFound);
                    }
                    let filed = sqlx::query(
                        "INSERT INTO disputes (id, request_id, agreement_number, account_csn, partner_csn, \
                         filed_by, reason, filed_at, support_level, respond_by, resolve_by, status) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open') \
                         ON CONFLICT (request_id) DO NOTHING",
                    )
                    .bind(d.id.to_string())
                    .bind(d.request.0.to_string())
                    .bind(d.agreement.as_str())
                    .bind(d.account.as_str())
                    .bind(d.partner.as_str())
                    .bind(d.filed_by.0.to_string())
                    .bind(&d.reason)
                    .bind(ms(d.filed_at))
                    .bind(d.support_level.as_str())
                    .bind(ms(d.respond_by))
                    .bind(ms(d.resolve_by))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to file the dispute")?;
                    if filed.rows_affected() != 1 {
                        return Err(StoreError::Conflict("dispute"));
                    }
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    Self::insert_outbox(&mut tx, outbox, d.filed_at).await?;
                    tx.commit().await.ctx("failed to commit the dispute")
                }

                async fn decide_dispute(
                    &self,
                    d: &Dispute,
                    rejected: Option<&ChangeRequest>,
                    audit: &[AuditEntry],
                    outbox: &[OutboxMessage],
                ) -> StoreResult<()> {
                    let at = d.decided_at.unwrap_or(d.filed_at);
                    let mut tx = self.write().await?;
                    let decided = sqlx::query(
                        "UPDATE disputes SET status = $1, decided_by = $2, decided_at = $3, decision_note = $4 \
                         WHERE id = $5 AND status = 'open'",
                    )
                    .bind(d.status.as_str())
                    .bind(d.decided_by.map(|u| u.0.to_string()))
                    .bind(ms(at))
                    .bind(d.decision_note.as_deref())
                    .bind(d.id.to_string())
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to decide the dispute")?;
                    if decided.rows_affected() != 1 {
                        return Err(StoreError::NotFound);
                    }
                    match rejected {
                        Some(request) => {
                            if !write_decision(&mut *tx, request, &[RequestStatus::Pending]).await? {
                                return Err(StoreError::NotFound);
                            }
                        }
                        None => <$store as Backend>::release_request(&mut *tx, d.request).await?,
                    }
                    Self::insert_audit(&mut tx, audit).await?;
                    Self::insert_outbox(&mut tx, outbox, at).await?;
                    tx.commit().await.ctx("failed to commit the decision")
                }

                async fn dispute(&self, scope: &Scope, id: Uuid) -> StoreResult<Option<Dispute>> {
                    let mut q: QueryBuilder<Db> =
                        QueryBuilder::new(format!("SELECT {COLUMNS} FROM disputes d WHERE d.id = "));
                    q.push_bind(id.to_string());
                    if !push_scope(&mut q, scope) {
                        return Ok(None);
                    }
                    q.build_query_as::<DisputeRow>()
                        .fetch_optional(self.reader())
                        .await
                        .ctx("failed to read the dispute")?
                        .map(TryInto::try_into)
                        .transpose()
                }

                async fn dispute_of(&self, request: RequestId) -> StoreResult<Option<Dispute>> {
                    sqlx::query_as::<_, DisputeRow>(&format!(
                        "SELECT {COLUMNS} FROM disputes d WHERE d.request_id = $1"
                    ))
                    .bind(request.0.to_string())
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read the request's dispute")?
                    .map(TryInto::try_into)
                    .transpose()
                }

                async fn disputes(
                    &self,
                    scope: &Scope,
                    open_only: bool,
                    limit: u32,
                ) -> StoreResult<Vec<Dispute>> {
                    let mut q: QueryBuilder<Db> =
                        QueryBuilder::new(format!("SELECT {COLUMNS} FROM disputes d WHERE 1 = 1"));
                    if !push_scope(&mut q, scope) {
                        return Ok(Vec::new());
                    }
                    // A decision answers and resolves a dispute at once: the
                    // first-response deadline is the one to meet next.
                    q.push(if open_only {
                        " AND d.status = 'open' ORDER BY d.respond_by, d.id LIMIT "
                    } else {
                        " ORDER BY d.id DESC LIMIT "
                    })
                    .push_bind(i64::from(limit));
                    let rows: Vec<DisputeRow> = q
                        .build_query_as()
                        .fetch_all(self.reader())
                        .await
                        .ctx("failed to list disputes")?;
                    rows.into_iter().map(TryInto::try_into).collect()
                }
            }
        }
    };
}
