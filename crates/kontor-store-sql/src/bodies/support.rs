//! Support cases (R6).

/// [`kontor_core::store::SupportStore`] for `$store`.
#[doc(hidden)]
#[macro_export]
macro_rules! support_body {
    ($store:ty) => {
        pub(crate) mod support {
            use async_trait::async_trait;
            use kontor_core::domain::agreement::AssignmentSource;
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::domain::ids::Csn;
            use kontor_core::domain::notify::{Contact, OutboxMessage};
            use kontor_core::domain::roles::UserId;
            use kontor_core::domain::support::{CaseMessage, SupportCase};
            use kontor_core::store::{Scope, SupportStore};
            use kontor_core::{StoreError, StoreResult};
            use sqlx::QueryBuilder;
            use uuid::Uuid;
            use $crate::rows::{
                CASE_COLUMNS, CASE_MESSAGE_COLUMNS, CONTACT_COLUMNS, CaseMessageRow, CaseRow, ContactRow, ms,
            };
            use $crate::scope::push_case_scope;
            use $crate::{Backend, Ctx};

            use super::agreements::replace_partners;

            type Db = <$store as Backend>::Db;

            /// The deadline support is to meet next on an open case: the
            /// first response while it is awaited (or the resolution, when
            /// that is due earlier), else the resolution (#22).
            const NEXT_DUE: &str = "(CASE WHEN c.first_response_at IS NULL AND \
                (c.resolve_by IS NULL OR c.respond_by < c.resolve_by) THEN c.respond_by \
                ELSE c.resolve_by END)";

            #[async_trait]
            impl SupportStore for $store {
                async fn insert_case(
                    &self,
                    c: &SupportCase,
                    audit: &AuditEntry,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query(
                        "INSERT INTO support_cases (id, account_csn, agreement_number, opened_by, replace_partner, new_partner, \
                         message, status, created_at, support_level, respond_by, resolve_by) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                    )
                    .bind(c.id.to_string())
                    .bind(c.account.as_str())
                    .bind(c.agreement.as_ref().map(|n| n.as_str().to_owned()))
                    .bind(c.opened_by.0.to_string())
                    .bind(c.replace_partner.as_ref().map(|p| p.as_str().to_owned()))
                    .bind(c.new_partner.as_ref().map(|p| p.as_str().to_owned()))
                    .bind(&c.message)
                    .bind(c.status.as_str())
                    .bind(ms(c.created_at))
                    .bind(c.support_level.map(|l| l.as_str()))
                    .bind(c.respond_by.map(ms))
                    .bind(c.resolve_by.map(ms))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to open support case")?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    Self::insert_outbox(&mut tx, outbox, c.created_at).await?;
                    tx.commit().await.ctx("failed to commit support case")
                }

                async fn case(&self, scope: &Scope, id: Uuid) -> StoreResult<Option<SupportCase>> {
                    let mut q: QueryBuilder<Db> = QueryBuilder::new(format!(
                        "SELECT {CASE_COLUMNS} FROM support_cases c WHERE c.id = "
                    ));
                    q.push_bind(id.to_string());
                    if !push_case_scope(&mut q, scope) {
                        return Ok(None);
                    }
                    q.build_query_as::<CaseRow>()
                        .fetch_optional(self.reader())
                        .await
                        .ctx("failed to read support case")?
                        .map(TryInto::try_into)
                        .transpose()
                }

                async fn cases(
                    &self,
                    scope: &Scope,
                    open_only: bool,
                    limit: u32,
                ) -> StoreResult<Vec<SupportCase>> {
                    let mut q: QueryBuilder<Db> = QueryBuilder::new(format!(
                        "SELECT {CASE_COLUMNS} FROM support_cases c WHERE 1 = 1"
                    ));
                    if !push_case_scope(&mut q, scope) {
                        return Ok(Vec::new());
                    }
                    // The queue: open cases, the deadline support is to meet
                    // next first; cases without deadlines last, the longest
                    // waiting first.
                    if open_only {
                        q.push(format!(
                            " AND c.status = 'open' ORDER BY {NEXT_DUE} IS NULL, {NEXT_DUE}, c.id LIMIT "
                        ));
                    } else {
                        q.push(" ORDER BY c.id DESC LIMIT ");
                    }
                    q.push_bind(i64::from(limit));
                    let rows: Vec<CaseRow> = q
                        .build_query_as()
                        .fetch_all(self.reader())
                        .await
                        .ctx("failed to list support cases")?;
                    rows.into_iter().map(TryInto::try_into).collect()
                }

                async fn case_messages(&self, case: Uuid) -> StoreResult<Vec<CaseMessage>> {
                    let rows: Vec<CaseMessageRow> = sqlx::query_as(&format!(
                        "SELECT {CASE_MESSAGE_COLUMNS} FROM case_messages m JOIN users u ON u.id = m.author_id \
                         WHERE m.case_id = $1 ORDER BY m.id",
                    ))
                    .bind(case.to_string())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read the case's replies")?;
                    rows.into_iter().map(TryInto::try_into).collect()
                }

                async fn add_case_message(
                    &self,
                    m: &CaseMessage,
                    audit: &AuditEntry,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    // Support's first reply is its first response (#22).
                    let open = sqlx::query(
                        "UPDATE support_cases SET waiting_on = $1, first_response_at = \
                         CASE WHEN $3 = 'support' THEN COALESCE(first_response_at, $4) ELSE first_response_at END \
                         WHERE id = $2 AND status = 'open'",
                    )
                    .bind(m.side.other().as_str())
                    .bind(m.case_id.to_string())
                    .bind(m.side.as_str())
                    .bind(ms(m.created_at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to update the support case")?;
                    if open.rows_affected() != 1 {
                        return Err(StoreError::NotFound);
                    }
                    sqlx::query(
                        "INSERT INTO case_messages (id, case_id, author_id, side, body, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(m.id.to_string())
                    .bind(m.case_id.to_string())
                    .bind(m.author.0.to_string())
                    .bind(m.side.as_str())
                    .bind(&m.body)
                    .bind(ms(m.created_at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to add the reply")?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    Self::insert_outbox(&mut tx, outbox, m.created_at).await?;
                    tx.commit().await.ctx("failed to commit the reply")
                }

                async fn support_agents(&self) -> StoreResult<Vec<Contact>> {
                    let rows: Vec<ContactRow> = sqlx::query_as(&format!(
                        "SELECT {CONTACT_COLUMNS} FROM users u WHERE u.role = 'support_agent' \
                         AND u.disabled_at IS NULL ORDER BY u.email",
                    ))
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read support agents")?;
                    Ok(rows.into_iter().map(Contact::from).collect())
                }

                async fn user_contact(&self, user: UserId) -> StoreResult<Option<Contact>> {
                    let row: Option<ContactRow> = sqlx::query_as(&format!(
                        "SELECT {CONTACT_COLUMNS} FROM users u WHERE u.id = $1 AND u.disabled_at IS NULL",
                    ))
                    .bind(user.0.to_string())
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read a person to tell")?;
                    Ok(row.map(Contact::from))
                }

                async fn resolve_case(
                    &self,
                    c: &SupportCase,
                    partners: Option<&[Csn]>,
                    audit: &[AuditEntry],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    let done = sqlx::query(
                        "UPDATE support_cases SET status = 'resolved', resolved_at = $1, resolved_by = $2 WHERE id = $3 AND status = 'open'",
                    )
                    .bind(c.resolved_at.map(ms))
                    .bind(c.resolved_by.map(|u| u.0.to_string()))
                    .bind(c.id.to_string())
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to resolve support case")?;
                    if done.rows_affected() != 1 {
                        return Err(StoreError::NotFound);
                    }
                    if let (Some(agreement), Some(partners)) = (&c.agreement, partners) {
                        let at = c.resolved_at.unwrap_or(c.created_at);
                        replace_partners(&mut tx, agreement, partners, at, AssignmentSource::Support, None)
                            .await?;
                    }
                    Self::insert_audit(&mut tx, audit).await?;
                    tx.commit().await.ctx("failed to commit support case")
                }
            }
        }
    };
}
