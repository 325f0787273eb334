//! Import (one all-or-nothing transaction, batched writes) and export.

/// [`kontor_core::store::BulkStore`] and its import session for `$store`.
/// How a batch's partners of record are replaced differs per backend
/// ([`crate::backend::ImportWrites`]).
#[doc(hidden)]
#[macro_export]
macro_rules! bulk_body {
    ($store:ty) => {
        pub(crate) mod bulk {
            use std::collections::HashSet;

            use async_trait::async_trait;
            use kontor_core::StoreResult;
            use kontor_core::domain::agreement::{Account, Agreement, Partner};
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::domain::ids::Csn;
            use kontor_core::store::{BulkStore, ExportPage, ExportWhat, ImportSession, NewUser};
            use sqlx::{Pool, QueryBuilder, Transaction};
            use time::OffsetDateTime;
            use $crate::rows::{
                AgreementRow, PartnerRow, USER_COLUMNS, UserRow, csn, json, ms, tenant_columns,
            };
            use $crate::backend::ImportWrites;
            use $crate::{Backend, Ctx};

            use super::agreements::AGREEMENT_COLUMNS;
            use super::directory::upsert_partner;

            type Db = <$store as Backend>::Db;

            /// Agreements buffered before one multi-row write (10 columns each).
            const BATCH: usize = 500;

            struct Import {
                tx: Transaction<'static, Db>,
                pool: Pool<Db>,
                agreements: Vec<Agreement>,
                at: OffsetDateTime,
                known_accounts: HashSet<String>,
                known_partners: HashSet<String>,
                /// Batches written so far.
                batches: u64,
            }

            impl Import {
                async fn flush(&mut self) -> StoreResult<()> {
                    if self.agreements.is_empty() {
                        return Ok(());
                    }
                    self.batches += 1;
                    let batch = std::mem::take(&mut self.agreements);
                    let products: Vec<String> = batch
                        .iter()
                        .map(|a| json(&a.products))
                        .collect::<StoreResult<_>>()?;
                    let mut q: QueryBuilder<Db> = QueryBuilder::new(
                        "INSERT INTO agreements (number, kind, account_csn, term_start, term_end, auto_renew, program, support_level, status, products) ",
                    );
                    q.push_values(batch.iter().zip(products), |mut b, (a, products)| {
                        b.push_bind(a.number.as_str().to_owned())
                            .push_bind(a.kind().as_str())
                            .push_bind(a.account.as_str().to_owned())
                            .push_bind(a.term_start.to_string())
                            .push_bind(a.term_end.to_string())
                            .push_bind(a.auto_renew)
                            .push_bind(a.program.as_str().to_owned())
                            .push_bind(a.support_level.as_str())
                            .push_bind(a.status.as_str())
                            .push_bind(products);
                    });
                    q.push(
                        " ON CONFLICT (number) DO UPDATE SET account_csn = excluded.account_csn, term_start = excluded.term_start, \
                         term_end = excluded.term_end, auto_renew = excluded.auto_renew, program = excluded.program, \
                         support_level = excluded.support_level, status = excluded.status, products = excluded.products",
                    );
                    q.build()
                        .execute(&mut *self.tx)
                        .await
                        .ctx("failed to import agreements")?;
                    let pairs: Vec<(&str, &str)> = batch
                        .iter()
                        .flat_map(|a| a.partners.iter().map(move |p| (a.number.as_str(), p.as_str())))
                        .collect();
                    <$store as ImportWrites>::replace_imported_partners(&mut self.tx, &pairs, self.at, self.batches)
                        .await
                }

                /// Whether a row exists (`SELECT 1 … WHERE key = $1`).
                async fn exists(&mut self, sql: &str, key: &str, what: &'static str) -> StoreResult<bool> {
                    let found: Option<i32> = sqlx::query_scalar(sql)
                        .bind(key)
                        .fetch_optional(&mut *self.tx)
                        .await
                        .ctx(what)?;
                    Ok(found.is_some())
                }
            }

            #[async_trait]
            impl ImportSession for Import {
                async fn upsert_partner(&mut self, p: &Partner) -> StoreResult<()> {
                    upsert_partner(&mut self.tx, p).await?;
                    self.known_partners.insert(p.csn.to_string());
                    Ok(())
                }

                async fn upsert_account(&mut self, a: &Account) -> StoreResult<()> {
                    sqlx::query(
                        "INSERT INTO accounts (csn, name, country) VALUES ($1, $2, $3) \
                         ON CONFLICT (csn) DO UPDATE SET name = excluded.name, country = excluded.country",
                    )
                    .bind(a.csn.as_str())
                    .bind(&a.name)
                    .bind(&a.country)
                    .execute(&mut *self.tx)
                    .await
                    .ctx("failed to import account")?;
                    self.known_accounts.insert(a.csn.to_string());
                    Ok(())
                }

                async fn upsert_user(&mut self, u: &NewUser) -> StoreResult<()> {
                    let (account, partner) = tenant_columns(&u.tenant);
                    sqlx::query(
                        "INSERT INTO users (id, email, name, role, account_csn, partner_csn, lang, password_hash, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                         ON CONFLICT (email) DO UPDATE SET name = excluded.name, role = excluded.role, \
                         account_csn = excluded.account_csn, partner_csn = excluded.partner_csn, lang = excluded.lang, \
                         password_hash = COALESCE(excluded.password_hash, users.password_hash)",
                    )
                    .bind(u.id.0.to_string())
                    .bind(&u.email)
                    .bind(&u.name)
                    .bind(u.role.as_str())
                    .bind(account)
                    .bind(partner)
                    .bind(u.lang.as_str())
                    .bind(&u.password_hash)
                    .bind(ms(u.created_at))
                    .execute(&mut *self.tx)
                    .await
                    .ctx("failed to import user")?;
                    Ok(())
                }

                async fn password_hash(&mut self, email: &str) -> StoreResult<Option<String>> {
                    let hash: Option<Option<String>> =
                        sqlx::query_scalar("SELECT password_hash FROM users WHERE email = $1")
                            .bind(email)
                            .fetch_optional(&mut *self.tx)
                            .await
                            .ctx("failed to read password hash")?;
                    Ok(hash.flatten())
                }

                async fn upsert_agreement(&mut self, a: &Agreement, at: OffsetDateTime) -> StoreResult<()> {
                    self.at = at;
                    self.agreements.push(a.clone());
                    if self.agreements.len() >= BATCH {
                        self.flush().await?;
                    }
                    Ok(())
                }

                async fn account_exists(&mut self, c: &Csn) -> StoreResult<bool> {
                    if self.known_accounts.contains(c.as_str()) {
                        return Ok(true);
                    }
                    let sql = "SELECT 1 FROM accounts WHERE csn = $1";
                    let found = self.exists(sql, c.as_str(), "failed to look up account").await?;
                    if found {
                        self.known_accounts.insert(c.to_string());
                    }
                    Ok(found)
                }

                async fn partner_exists(&mut self, c: &Csn) -> StoreResult<bool> {
                    if self.known_partners.contains(c.as_str()) {
                        return Ok(true);
                    }
                    let sql = "SELECT 1 FROM partners WHERE csn = $1";
                    let found = self.exists(sql, c.as_str(), "failed to look up partner").await?;
                    if found {
                        self.known_partners.insert(c.to_string());
                    }
                    Ok(found)
                }

                async fn commit(mut self: Box<Self>, audit: &AuditEntry) -> StoreResult<()> {
                    self.flush().await?;
                    <$store as Backend>::insert_audit(&mut self.tx, std::slice::from_ref(audit)).await?;
                    self.tx.commit().await.ctx("failed to commit import")?;
                    <$store as ImportWrites>::import_committed(&self.pool).await;
                    Ok(())
                }
            }

            #[async_trait]
            impl BulkStore for $store {
                async fn begin_import(&self) -> StoreResult<Box<dyn ImportSession>> {
                    Ok(Box::new(Import {
                        tx: self.begin_import_transaction().await?,
                        pool: self.reader().clone(),
                        agreements: Vec::with_capacity(BATCH),
                        at: OffsetDateTime::UNIX_EPOCH,
                        known_accounts: HashSet::new(),
                        known_partners: HashSet::new(),
                        batches: 0,
                    }))
                }

                async fn export_page(
                    &self,
                    what: ExportWhat,
                    after: Option<String>,
                    limit: u32,
                ) -> StoreResult<ExportPage> {
                    let after = after.unwrap_or_default();
                    let mut page = ExportPage::default();
                    match what {
                        ExportWhat::Partners => {
                            page.partners = export_partners(self.reader(), &after, limit).await?;
                            page.next = next_key(&page.partners, limit, |p| p.csn.to_string());
                        }
                        ExportWhat::Accounts => {
                            page.accounts = export_accounts(self.reader(), &after, limit).await?;
                            page.next = next_key(&page.accounts, limit, |a| a.0.csn.to_string());
                        }
                        ExportWhat::Agreements => {
                            page.agreements = export_agreements(self.reader(), &after, limit).await?;
                            page.next = next_key(&page.agreements, limit, |a| a.number.to_string());
                        }
                    }
                    Ok(page)
                }
            }

            /// The key to continue after: that of the last item of a full page.
            fn next_key<T>(items: &[T], limit: u32, key: impl Fn(&T) -> String) -> Option<String> {
                (items.len() == limit as usize).then(|| items.last().map(key)).flatten()
            }

            async fn export_partners(pool: &Pool<Db>, after: &str, limit: u32) -> StoreResult<Vec<Partner>> {
                let rows: Vec<PartnerRow> = sqlx::query_as(
                    "SELECT csn, name, city, country, status, email FROM partners WHERE csn > $1 ORDER BY csn LIMIT $2",
                )
                .bind(after)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await
                .ctx("failed to export partners")?;
                rows.into_iter().map(Partner::try_from).collect()
            }

            async fn export_accounts(
                pool: &Pool<Db>,
                after: &str,
                limit: u32,
            ) -> StoreResult<Vec<(Account, Vec<kontor_core::store::UserRecord>)>> {
                let rows: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT csn, name, country FROM accounts WHERE csn > $1 ORDER BY csn LIMIT $2",
                )
                .bind(after)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await
                .ctx("failed to export accounts")?;
                let mut accounts = Vec::with_capacity(rows.len());
                for (c, name, country) in rows {
                    let users: Vec<UserRow> = sqlx::query_as(&format!(
                        "SELECT {USER_COLUMNS} FROM users u WHERE u.account_csn = $1 ORDER BY u.email"
                    ))
                    .bind(&c)
                    .fetch_all(pool)
                    .await
                    .ctx("failed to export users")?;
                    let users = users.into_iter().map(|u| u.record()).collect::<StoreResult<_>>()?;
                    accounts.push((Account { csn: csn(&c)?, name, country }, users));
                }
                Ok(accounts)
            }

            async fn export_agreements(pool: &Pool<Db>, after: &str, limit: u32) -> StoreResult<Vec<Agreement>> {
                let rows: Vec<AgreementRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM agreements a WHERE a.number > $1 ORDER BY a.number LIMIT $2",
                    *AGREEMENT_COLUMNS
                ))
                .bind(after)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await
                .ctx("failed to export agreements")?;
                rows.into_iter().map(Agreement::try_from).collect()
            }
        }
    };
}
