//! The vendor's proposals of a new partner (#22).

/// [`kontor_core::store::ProposalStore`] for `$store`.
#[doc(hidden)]
#[macro_export]
macro_rules! proposals_body {
    ($store:ty) => {
        pub(crate) mod proposals {
            use std::collections::BTreeMap;

            use async_trait::async_trait;
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::domain::ids::{AgreementNumber, Csn};
            use kontor_core::domain::notify::OutboxMessage;
            use kontor_core::domain::proposal::{AgreementNow, Proposal, ProposalAccount, progress};
            use kontor_core::domain::roles::UserId;
            use kontor_core::store::ProposalStore;
            use kontor_core::{StoreError, StoreResult};
            use sqlx::QueryBuilder;
            use time::OffsetDateTime;
            use uuid::Uuid;
            use $crate::rows::{bad, csn, from_ms, ms, uuid};
            use $crate::{Backend, Ctx};

            type Db = <$store as Backend>::Db;

            #[derive(sqlx::FromRow)]
            struct ProposalRow {
                id: String,
                from_partner: String,
                to_partner: String,
                created_by: String,
                created_at: i64,
            }

            impl TryFrom<ProposalRow> for Proposal {
                type Error = StoreError;
                fn try_from(r: ProposalRow) -> StoreResult<Proposal> {
                    Ok(Proposal {
                        id: uuid(&r.id)?,
                        from_partner: csn(&r.from_partner)?,
                        to_partner: csn(&r.to_partner)?,
                        created_by: UserId(uuid(&r.created_by)?),
                        created_at: from_ms(r.created_at),
                    })
                }
            }

            const COLUMNS: &str = "id, from_partner, to_partner, created_by, created_at";

            fn number(raw: &str) -> StoreResult<AgreementNumber> {
                AgreementNumber::parse(raw).map_err(|_| bad("agreement number", raw))
            }

            #[async_trait]
            impl ProposalStore for $store {
                async fn served_by(&self, partner: &Csn) -> StoreResult<Vec<(AgreementNumber, Csn)>> {
                    let rows: Vec<(String, String)> = sqlx::query_as(
                        "SELECT a.number, a.account_csn FROM partner_assignments pa \
                         JOIN agreements a ON a.number = pa.agreement_number \
                         WHERE pa.partner_csn = $1 AND pa.valid_to IS NULL \
                         AND a.status IN ('active', 'suspended') \
                         ORDER BY a.account_csn, a.number",
                    )
                    .bind(partner.as_str())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read the agreements a partner serves")?;
                    rows.iter()
                        .map(|(n, a)| Ok((number(n)?, csn(a)?)))
                        .collect()
                }

                async fn insert_proposal(
                    &self,
                    p: &Proposal,
                    agreements: &[(AgreementNumber, Csn)],
                    audit: &AuditEntry,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    let inserted = sqlx::query(
                        "INSERT INTO partner_proposals (id, from_partner, to_partner, created_by, created_at) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (from_partner) DO NOTHING",
                    )
                    .bind(p.id.to_string())
                    .bind(p.from_partner.as_str())
                    .bind(p.to_partner.as_str())
                    .bind(p.created_by.0.to_string())
                    .bind(ms(p.created_at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to store the proposal")?;
                    if inserted.rows_affected() != 1 {
                        return Err(StoreError::Conflict("proposal"));
                    }
                    let mut accounts: Vec<&Csn> = agreements.iter().map(|(_, a)| a).collect();
                    accounts.sort();
                    accounts.dedup();
                    // Chunks keep each statement's bound values well under
                    // both databases' limits.
                    for chunk in accounts.chunks(500) {
                        let mut q: QueryBuilder<Db> = QueryBuilder::new(
                            "INSERT INTO proposal_accounts (proposal_id, account_csn, mailed_at) ",
                        );
                        q.push_values(chunk, |mut b, a| {
                            b.push_bind(p.id.to_string())
                                .push_bind(a.as_str().to_owned())
                                .push_bind(ms(p.created_at));
                        });
                        q.build().execute(&mut *tx).await.ctx("failed to store the proposal's accounts")?;
                    }
                    for chunk in agreements.chunks(500) {
                        let mut q: QueryBuilder<Db> = QueryBuilder::new(
                            "INSERT INTO proposal_agreements (proposal_id, agreement_number, account_csn) ",
                        );
                        q.push_values(chunk, |mut b, (n, a)| {
                            b.push_bind(p.id.to_string())
                                .push_bind(n.as_str().to_owned())
                                .push_bind(a.as_str().to_owned());
                        });
                        q.build().execute(&mut *tx).await.ctx("failed to store the proposal's agreements")?;
                    }
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    Self::insert_outbox(&mut tx, outbox, p.created_at).await?;
                    tx.commit().await.ctx("failed to commit the proposal")
                }

                async fn proposals(&self) -> StoreResult<Vec<Proposal>> {
                    let rows: Vec<ProposalRow> = sqlx::query_as(&format!(
                        "SELECT {COLUMNS} FROM partner_proposals ORDER BY id DESC LIMIT 500"
                    ))
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to list proposals")?;
                    rows.into_iter().map(TryInto::try_into).collect()
                }

                async fn proposal(&self, id: Uuid) -> StoreResult<Option<(Proposal, Vec<ProposalAccount>)>> {
                    let row: Option<ProposalRow> = sqlx::query_as(&format!(
                        "SELECT {COLUMNS} FROM partner_proposals WHERE id = $1"
                    ))
                    .bind(id.to_string())
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read the proposal")?;
                    let Some(row) = row else {
                        return Ok(None);
                    };
                    let proposal = Proposal::try_from(row)?;
                    let accounts: Vec<(String, i64, Option<i64>, i64)> = sqlx::query_as(
                        "SELECT account_csn, mailed_at, reminded_at, reminders FROM proposal_accounts \
                         WHERE proposal_id = $1 ORDER BY account_csn",
                    )
                    .bind(id.to_string())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read the proposal's accounts")?;
                    // Each agreement as it stands now: still served by the
                    // replaced partner, and whether a change or a naming for
                    // the renewal is open.
                    let now: Vec<(String, String, bool, bool)> = sqlx::query_as(
                        "SELECT pg.account_csn, pg.agreement_number, \
                           EXISTS (SELECT 1 FROM partner_assignments x WHERE x.agreement_number = pg.agreement_number \
                             AND x.partner_csn = $2 AND x.valid_to IS NULL), \
                           (EXISTS (SELECT 1 FROM change_requests r WHERE r.agreement_number = pg.agreement_number \
                             AND r.status IN ('pending', 'awaiting_partner')) \
                            OR EXISTS (SELECT 1 FROM renewal_partners n WHERE n.agreement_number = pg.agreement_number \
                             AND n.status = 'scheduled')) \
                         FROM proposal_agreements pg WHERE pg.proposal_id = $1 \
                         ORDER BY pg.account_csn, pg.agreement_number",
                    )
                    .bind(id.to_string())
                    .bind(proposal.from_partner.as_str())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read the proposal's agreements")?;
                    let mut of: BTreeMap<String, Vec<(AgreementNumber, AgreementNow)>> = BTreeMap::new();
                    for (account, n, still_served, open) in now {
                        of.entry(account)
                            .or_default()
                            .push((number(&n)?, AgreementNow { still_served, open }));
                    }
                    let accounts = accounts
                        .into_iter()
                        .map(|(account, mailed_at, reminded_at, reminders)| {
                            let items = of.remove(&account).unwrap_or_default();
                            let facts: Vec<AgreementNow> = items.iter().map(|(_, f)| *f).collect();
                            Ok(ProposalAccount {
                                account: csn(&account)?,
                                agreements: items.into_iter().map(|(n, _)| n).collect(),
                                progress: progress(&facts),
                                mailed_at: from_ms(mailed_at),
                                reminded_at: reminded_at.map(from_ms),
                                reminders,
                            })
                        })
                        .collect::<StoreResult<Vec<_>>>()?;
                    Ok(Some((proposal, accounts)))
                }

                async fn record_proposal_reminders(
                    &self,
                    id: Uuid,
                    accounts: &[Csn],
                    at: OffsetDateTime,
                    audit: &AuditEntry,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    for chunk in accounts.chunks(500) {
                        let mut q: QueryBuilder<Db> = QueryBuilder::new(
                            "UPDATE proposal_accounts SET reminded_at = ",
                        );
                        q.push_bind(ms(at))
                            .push(", reminders = reminders + 1 WHERE proposal_id = ")
                            .push_bind(id.to_string())
                            .push(" AND account_csn IN (");
                        let mut list = q.separated(", ");
                        for a in chunk {
                            list.push_bind(a.as_str().to_owned());
                        }
                        q.push(")");
                        q.build().execute(&mut *tx).await.ctx("failed to record the reminders")?;
                    }
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    Self::insert_outbox(&mut tx, outbox, at).await?;
                    tx.commit().await.ctx("failed to commit the reminders")
                }
            }
        }
    };
}
