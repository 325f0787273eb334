//! Partners named for an agreement's next renewal (#22).

/// [`kontor_core::store::RenewalStore`] for `$store`, and the renewal
/// steps a transaction shares.
#[doc(hidden)]
#[macro_export]
macro_rules! renewals_body {
    ($store:ty) => {
        pub(crate) mod renewals {
            use async_trait::async_trait;
            use kontor_core::domain::agreement::AssignmentSource;
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::domain::ids::{AgreementNumber, Csn};
            use kontor_core::domain::notify::OutboxMessage;
            use kontor_core::domain::renewal::RenewalPartner;
            use kontor_core::store::{DueRenewal, RenewalStore};
            use kontor_core::{StoreError, StoreResult};
            use time::OffsetDateTime;
            use $crate::backend::Conn;
            use $crate::rows::{RENEWAL_COLUMNS, RenewalRow, UserRow, json, ms};
            use $crate::{Backend, Ctx};

            /// A scheduled one with the person who named it.
            #[derive(sqlx::FromRow)]
            struct DueRow {
                #[sqlx(flatten)]
                named: RenewalRow,
                u_email: String,
                u_name: String,
                u_role: String,
                u_account: Option<String>,
                u_partner: Option<String>,
                u_lang: String,
                u_disabled: Option<i64>,
            }

            #[async_trait]
            impl RenewalStore for $store {
                async fn name_renewal_partner(
                    &self,
                    named: &RenewalPartner,
                    replaced: Option<&RenewalPartner>,
                    audit: &[AuditEntry],
                    outbox: &[OutboxMessage],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    // Serialises with the partner changes of this agreement.
                    <$store as Backend>::lock_partners_of(&mut tx, &named.agreement).await?;
                    let open: bool = sqlx::query_scalar(
                        "SELECT EXISTS (SELECT 1 FROM change_requests WHERE agreement_number = $1 \
                         AND status IN ('pending', 'awaiting_partner'))",
                    )
                    .bind(named.agreement.as_str())
                    .fetch_one(&mut *tx)
                    .await
                    .ctx("failed to look for an open request")?;
                    if open {
                        return Err(StoreError::Conflict("open_request"));
                    }
                    if let Some(old) = replaced
                        && !mark_decided(&mut tx, old).await?
                    {
                        return Err(StoreError::Conflict("renewal_partner"));
                    }
                    sqlx::query(
                        "INSERT INTO renewal_partners (id, agreement_number, account_csn, new_partner_csn, \
                         named_by, named_at, term_end, due_at, check_at, status) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 'scheduled')",
                    )
                    .bind(named.id.to_string())
                    .bind(named.agreement.as_str())
                    .bind(named.account.as_str())
                    .bind(named.new_partner.as_str())
                    .bind(named.named_by.0.to_string())
                    .bind(ms(named.named_at))
                    .bind(named.term_end.to_string())
                    .bind(ms(named.due_at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to name the renewal partner")?;
                    <$store as Backend>::insert_audit(&mut tx, audit).await?;
                    Self::insert_outbox(&mut tx, outbox, named.named_at).await?;
                    tx.commit().await.ctx("failed to commit the renewal partner")
                }

                async fn renewal_partners(
                    &self,
                    agreement: &AgreementNumber,
                ) -> StoreResult<Vec<RenewalPartner>> {
                    let rows: Vec<RenewalRow> = sqlx::query_as(&format!(
                        "SELECT {RENEWAL_COLUMNS} FROM renewal_partners n \
                         WHERE n.agreement_number = $1 ORDER BY n.named_at DESC, n.id DESC"
                    ))
                    .bind(agreement.as_str())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read renewal partners")?;
                    rows.into_iter().map(TryInto::try_into).collect()
                }

                async fn renewals_naming(&self, partner: &Csn) -> StoreResult<Vec<RenewalPartner>> {
                    let rows: Vec<RenewalRow> = sqlx::query_as(&format!(
                        "SELECT {RENEWAL_COLUMNS} FROM renewal_partners n \
                         WHERE n.new_partner_csn = $1 AND n.status = 'scheduled' \
                         ORDER BY n.due_at, n.agreement_number"
                    ))
                    .bind(partner.as_str())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read renewals naming a partner")?;
                    rows.into_iter().map(TryInto::try_into).collect()
                }

                async fn due_renewals(
                    &self,
                    now: OffsetDateTime,
                    limit: u32,
                ) -> StoreResult<Vec<DueRenewal>> {
                    let rows: Vec<DueRow> = sqlx::query_as(&format!(
                        "SELECT {RENEWAL_COLUMNS}, u.email AS u_email, u.name AS u_name, u.role AS u_role, \
                         u.account_csn AS u_account, u.partner_csn AS u_partner, u.lang AS u_lang, \
                         u.disabled_at AS u_disabled FROM renewal_partners n \
                         JOIN users u ON u.id = n.named_by \
                         WHERE n.status = 'scheduled' AND n.check_at <= $1 \
                         ORDER BY n.check_at, n.id LIMIT $2"
                    ))
                    .bind(ms(now))
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read due renewals")?;
                    rows.into_iter()
                        .map(|r| {
                            let user = UserRow {
                                id: r.named.named_by.clone(),
                                email: r.u_email,
                                name: r.u_name,
                                role: r.u_role,
                                account_csn: r.u_account,
                                partner_csn: r.u_partner,
                                lang: r.u_lang,
                                password_hash: None,
                                disabled_at: r.u_disabled,
                                time_zone: None,
                                country: None,
                            };
                            // Someone whose access was removed no longer counts (R8).
                            let named_by = match user.disabled_at {
                                None => Some(user.actor()?),
                                Some(_) => None,
                            };
                            Ok(DueRenewal {
                                named: r.named.try_into()?,
                                named_by,
                            })
                        })
                        .collect()
                }

                async fn decide_renewal(
                    &self,
                    decided: &RenewalPartner,
                    partners: Option<&[Csn]>,
                    audit: &[AuditEntry],
                    outbox: &[OutboxMessage],
                ) -> StoreResult<bool> {
                    let at = decided.decided_at.unwrap_or(decided.named_at);
                    let mut tx = self.write().await?;
                    // The agreement first, then the naming: the order a
                    // renewal transaction takes them in, so the two never
                    // wait for each other (PostgreSQL would abort one).
                    <$store as Backend>::lock_partners_of(&mut tx, &decided.agreement).await?;
                    if !mark_decided(&mut tx, decided).await? {
                        return Ok(false);
                    }
                    if let Some(partners) = partners {
                        super::agreements::replace_partners(
                            &mut tx,
                            &decided.agreement,
                            partners,
                            at,
                            AssignmentSource::SelfService,
                            None,
                        )
                        .await?;
                    }
                    <$store as Backend>::insert_audit(&mut tx, audit).await?;
                    Self::insert_outbox(&mut tx, outbox, at).await?;
                    tx.commit().await.ctx("failed to commit the renewal decision")?;
                    Ok(true)
                }

                async fn recheck_renewal_at(
                    &self,
                    id: uuid::Uuid,
                    check_at: OffsetDateTime,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query(
                        "UPDATE renewal_partners SET check_at = $1 WHERE id = $2 AND status = 'scheduled'",
                    )
                    .bind(ms(check_at))
                    .bind(id.to_string())
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to postpone a renewal check")?;
                    tx.commit().await.ctx("failed to commit a renewal check")
                }
            }

            /// Moves a scheduled one to its decided state; `false` when it
            /// was no longer scheduled (someone else decided first).
            pub(crate) async fn mark_decided(
                conn: &mut Conn<$store>,
                decided: &RenewalPartner,
            ) -> StoreResult<bool> {
                let reasons: Vec<&str> = decided.reasons.iter().map(|r| r.as_str()).collect();
                let done = sqlx::query(
                    "UPDATE renewal_partners SET status = $1, decided_at = $2, decided_by = $3, \
                     reasons = $4, transaction_id = $5 WHERE id = $6 AND status = 'scheduled'",
                )
                .bind(decided.status.as_str())
                .bind(decided.decided_at.map(ms))
                .bind(decided.decided_by.map(|u| u.0.to_string()))
                .bind(json(&reasons)?)
                .bind(decided.transaction.map(|t| t.to_string()))
                .bind(decided.id.to_string())
                .execute(&mut *conn)
                .await
                .ctx("failed to decide a renewal partner")?
                .rows_affected();
                Ok(done == 1)
            }

            /// The id of the agreement's scheduled renewal partner, if any,
            /// locked where the database locks rows.
            pub(crate) async fn scheduled_for(
                conn: &mut Conn<$store>,
                agreement: &AgreementNumber,
            ) -> StoreResult<Option<String>> {
                sqlx::query_scalar(&format!(
                    "SELECT id FROM renewal_partners WHERE agreement_number = $1 \
                     AND status = 'scheduled' {}",
                    <$store as Backend>::FOR_UPDATE
                ))
                .bind(agreement.as_str())
                .fetch_optional(&mut *conn)
                .await
                .ctx("failed to read the scheduled renewal partner")
            }
        }
    };
}
