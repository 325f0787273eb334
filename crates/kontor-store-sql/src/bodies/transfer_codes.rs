//! Consent per program and transfer codes (#22).

/// [`kontor_core::store::ConsentStore`] and
/// [`kontor_core::store::TransferCodeStore`] for `$store`.
#[doc(hidden)]
#[macro_export]
macro_rules! transfer_codes_body {
    ($store:ty) => {
        pub(crate) mod transfer_codes {
            use std::collections::HashMap;

            use async_trait::async_trait;
            use kontor_core::domain::agreement::Program;
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::domain::change_request::RequestId;
            use kontor_core::domain::consent::{ConsentKind, ConsentModel, ProgramConsent};
            use kontor_core::domain::ids::{AgreementNumber, Csn};
            use kontor_core::domain::roles::UserId;
            use kontor_core::domain::transfer_code::TransferCode;
            use kontor_core::store::{CodeOwner, ConsentStore, NewRequest, TransferCodeStore};
            use kontor_core::{StoreError, StoreResult};
            use sqlx::QueryBuilder;
            use time::OffsetDateTime;
            use uuid::Uuid;
            use $crate::rows::{bad, csn, from_ms, ms, uuid};
            use $crate::{Backend, Ctx};

            type Db = <$store as Backend>::Db;

            #[derive(sqlx::FromRow)]
            struct ConsentRow {
                program: String,
                model: String,
                acceptance_days: Option<i64>,
                code_valid_hours: Option<i64>,
                updated_at: i64,
                updated_by: String,
            }

            impl TryFrom<ConsentRow> for ProgramConsent {
                type Error = StoreError;
                fn try_from(r: ConsentRow) -> StoreResult<ProgramConsent> {
                    let kind = ConsentKind::parse(&r.model).ok_or_else(|| bad("consent model", &r.model))?;
                    Ok(ProgramConsent {
                        program: Program::parse(&r.program).ok_or_else(|| bad("program", &r.program))?,
                        model: ConsentModel::of(kind, r.acceptance_days, r.code_valid_hours)
                            .map_err(|(field, _)| bad(field, &r.program))?,
                        updated_at: from_ms(r.updated_at),
                        updated_by: UserId(uuid(&r.updated_by)?),
                    })
                }
            }

            #[async_trait]
            impl ConsentStore for $store {
                async fn program_consents(&self) -> StoreResult<Vec<ProgramConsent>> {
                    let rows: Vec<ConsentRow> = sqlx::query_as(
                        "SELECT program, model, acceptance_days, code_valid_hours, updated_at, updated_by \
                         FROM program_consent ORDER BY program",
                    )
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read the consent per program")?;
                    rows.into_iter().map(TryInto::try_into).collect()
                }

                async fn set_program_consent(
                    &self,
                    program: &Program,
                    consent: Option<&ProgramConsent>,
                    audit: &AuditEntry,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    match consent {
                        Some(c) => {
                            sqlx::query(
                                "INSERT INTO program_consent (program, model, acceptance_days, code_valid_hours, updated_at, updated_by) \
                                 VALUES ($1, $2, $3, $4, $5, $6) \
                                 ON CONFLICT (program) DO UPDATE SET model = excluded.model, \
                                 acceptance_days = excluded.acceptance_days, code_valid_hours = excluded.code_valid_hours, \
                                 updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                            )
                            .bind(program.as_str())
                            .bind(c.model.kind().as_str())
                            .bind(c.model.acceptance_days())
                            .bind(c.model.code_valid_hours())
                            .bind(ms(c.updated_at))
                            .bind(c.updated_by.0.to_string())
                            .execute(&mut *tx)
                            .await
                            .ctx("failed to store the consent of a program")?;
                        }
                        None => {
                            sqlx::query("DELETE FROM program_consent WHERE program = $1")
                                .bind(program.as_str())
                                .execute(&mut *tx)
                                .await
                                .ctx("failed to remove the consent of a program")?;
                        }
                    }
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit the consent of a program")
                }
            }

            /// The columns of [`CodeRow`].
            const COLUMNS: &str = "id, hint, account_csn, created_by, created_at, expires_at, \
                 redeemed_at, redeemed_by, redeemed_partner, revoked_at, revoked_by";

            #[derive(sqlx::FromRow)]
            struct CodeRow {
                id: String,
                hint: String,
                account_csn: String,
                created_by: String,
                created_at: i64,
                expires_at: i64,
                redeemed_at: Option<i64>,
                redeemed_by: Option<String>,
                redeemed_partner: Option<String>,
                revoked_at: Option<i64>,
                revoked_by: Option<String>,
            }

            impl CodeRow {
                fn code(self, agreements: Vec<AgreementNumber>) -> StoreResult<TransferCode> {
                    let user = |raw: Option<String>| -> StoreResult<Option<UserId>> {
                        raw.as_deref().map(uuid).transpose().map(|u| u.map(UserId))
                    };
                    Ok(TransferCode {
                        id: uuid(&self.id)?,
                        hint: self.hint,
                        account: csn(&self.account_csn)?,
                        agreements,
                        created_by: UserId(uuid(&self.created_by)?),
                        created_at: from_ms(self.created_at),
                        expires_at: from_ms(self.expires_at),
                        redeemed_at: self.redeemed_at.map(from_ms),
                        redeemed_by: user(self.redeemed_by)?,
                        redeemed_partner: self.redeemed_partner.as_deref().map(csn).transpose()?,
                        revoked_at: self.revoked_at.map(from_ms),
                        revoked_by: user(self.revoked_by)?,
                    })
                }
            }

            /// The codes of `rows` with their agreements, read in one query.
            async fn with_agreements(store: &$store, rows: Vec<CodeRow>) -> StoreResult<Vec<TransferCode>> {
                if rows.is_empty() {
                    return Ok(Vec::new());
                }
                let mut q: QueryBuilder<Db> = QueryBuilder::new(
                    "SELECT code_id, agreement_number FROM transfer_code_agreements WHERE code_id IN (",
                );
                let mut ids = q.separated(", ");
                for r in &rows {
                    ids.push_bind(r.id.clone());
                }
                q.push(") ORDER BY code_id, agreement_number");
                let pairs: Vec<(String, String)> = q
                    .build_query_as()
                    .fetch_all(store.reader())
                    .await
                    .ctx("failed to read the agreements of transfer codes")?;
                let mut of: HashMap<String, Vec<AgreementNumber>> = HashMap::new();
                for (code, number) in pairs {
                    let n = AgreementNumber::parse(&number).map_err(|_| bad("agreement number", &number))?;
                    of.entry(code).or_default().push(n);
                }
                rows.into_iter()
                    .map(|r| {
                        let agreements = of.remove(&r.id).unwrap_or_default();
                        r.code(agreements)
                    })
                    .collect()
            }

            /// `WHERE` for a code still usable at `$2` (the id is `$1`).
            const USABLE: &str = "id = $1 AND redeemed_at IS NULL AND revoked_at IS NULL AND expires_at > $2";

            #[async_trait]
            impl TransferCodeStore for $store {
                async fn insert_transfer_code(
                    &self,
                    code: &TransferCode,
                    code_hash: &str,
                    audit: &[AuditEntry],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query(
                        "INSERT INTO transfer_codes (id, code_hash, hint, account_csn, created_by, created_at, expires_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(code.id.to_string())
                    .bind(code_hash)
                    .bind(&code.hint)
                    .bind(code.account.as_str())
                    .bind(code.created_by.0.to_string())
                    .bind(ms(code.created_at))
                    .bind(ms(code.expires_at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to store the transfer code")?;
                    let mut q: QueryBuilder<Db> = QueryBuilder::new(
                        "INSERT INTO transfer_code_agreements (code_id, agreement_number) ",
                    );
                    q.push_values(&code.agreements, |mut b, n| {
                        b.push_bind(code.id.to_string()).push_bind(n.as_str().to_owned());
                    });
                    q.build()
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to store the agreements of the transfer code")?;
                    Self::insert_audit(&mut tx, audit).await?;
                    tx.commit().await.ctx("failed to commit the transfer code")
                }

                async fn transfer_code(&self, id: Uuid) -> StoreResult<Option<TransferCode>> {
                    let row: Option<CodeRow> =
                        sqlx::query_as(&format!("SELECT {COLUMNS} FROM transfer_codes WHERE id = $1"))
                            .bind(id.to_string())
                            .fetch_optional(self.reader())
                            .await
                            .ctx("failed to read the transfer code")?;
                    Ok(with_agreements(self, row.into_iter().collect()).await?.pop())
                }

                async fn transfer_code_by_hash(&self, code_hash: &str) -> StoreResult<Option<TransferCode>> {
                    let row: Option<CodeRow> =
                        sqlx::query_as(&format!("SELECT {COLUMNS} FROM transfer_codes WHERE code_hash = $1"))
                            .bind(code_hash)
                            .fetch_optional(self.reader())
                            .await
                            .ctx("failed to look the transfer code up")?;
                    Ok(with_agreements(self, row.into_iter().collect()).await?.pop())
                }

                async fn transfer_codes(
                    &self,
                    owner: &CodeOwner,
                    before: Option<Uuid>,
                    limit: u32,
                ) -> StoreResult<Vec<TransferCode>> {
                    let mut q: QueryBuilder<Db> =
                        QueryBuilder::new(format!("SELECT {COLUMNS} FROM transfer_codes WHERE 1 = 1"));
                    match owner {
                        CodeOwner::Account(a) => {
                            q.push(" AND account_csn = ").push_bind(a.as_str().to_owned());
                        }
                        CodeOwner::RedeemedBy(p) => {
                            q.push(" AND redeemed_partner = ").push_bind(p.as_str().to_owned());
                        }
                        CodeOwner::All => {}
                    }
                    if let Some(b) = before {
                        q.push(" AND id < ").push_bind(b.to_string());
                    }
                    q.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit));
                    let rows: Vec<CodeRow> = q
                        .build_query_as()
                        .fetch_all(self.reader())
                        .await
                        .ctx("failed to list transfer codes")?;
                    with_agreements(self, rows).await
                }

                async fn revoke_transfer_code(
                    &self,
                    id: Uuid,
                    by: UserId,
                    at: OffsetDateTime,
                    audit: &[AuditEntry],
                ) -> StoreResult<bool> {
                    let mut tx = self.write().await?;
                    let revoked = sqlx::query(&format!(
                        "UPDATE transfer_codes SET revoked_at = $2, revoked_by = $3 WHERE {USABLE}"
                    ))
                    .bind(id.to_string())
                    .bind(ms(at))
                    .bind(by.0.to_string())
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to revoke the transfer code")?;
                    if revoked.rows_affected() != 1 {
                        return Ok(false);
                    }
                    Self::insert_audit(&mut tx, audit).await?;
                    tx.commit().await.ctx("failed to commit the revoked transfer code")?;
                    Ok(true)
                }

                async fn redeem_transfer_code(
                    &self,
                    id: Uuid,
                    by: UserId,
                    partner: &Csn,
                    at: OffsetDateTime,
                    requests: &[NewRequest],
                    audit: &[AuditEntry],
                ) -> StoreResult<Option<Vec<RequestId>>> {
                    let mut tx = self.write().await?;
                    // The conditional update is the single use: of two
                    // redemptions the second finds the code spent (on
                    // PostgreSQL it waits for the first's row lock, then
                    // re-reads the row).
                    let redeemed = sqlx::query(&format!(
                        "UPDATE transfer_codes SET redeemed_at = $2, redeemed_by = $3, redeemed_partner = $4 \
                         WHERE {USABLE}"
                    ))
                    .bind(id.to_string())
                    .bind(ms(at))
                    .bind(by.0.to_string())
                    .bind(partner.as_str())
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to redeem the transfer code")?;
                    if redeemed.rows_affected() != 1 {
                        return Ok(None);
                    }
                    let submits: Vec<&NewRequest> = requests.iter().collect();
                    let inserted = if submits.is_empty() {
                        Default::default()
                    } else {
                        <$store as Backend>::insert_submits(&mut tx, &submits).await?
                    };
                    Self::insert_audit(&mut tx, audit).await?;
                    tx.commit().await.ctx("failed to commit the redeemed transfer code")?;
                    Ok(Some(
                        requests
                            .iter()
                            .map(|r| r.request.id)
                            .filter(|id| inserted.contains(&id.0.to_string()))
                            .collect(),
                    ))
                }
            }
        }
    };
}
