//! Import (one all-or-nothing transaction, batched writes) and export.

use std::collections::HashSet;

use async_trait::async_trait;
use kontor_core::StoreResult;
use kontor_core::domain::agreement::{Account, Agreement, Partner};
use kontor_core::domain::audit::AuditEntry;
use kontor_core::domain::ids::Csn;
use kontor_core::store::{BulkStore, ExportPage, ExportWhat, ImportSession, NewUser};
use sqlx::{Postgres, QueryBuilder, Transaction};
use time::OffsetDateTime;

use crate::agreements::AGREEMENT_COLUMNS;
use crate::audit::insert_audit;
use crate::rows::{AgreementRow, PartnerRow, USER_COLUMNS, UserRow, csn, json, ms, tenant_columns};
use crate::{Ctx, PgStore};

/// Agreements buffered before one multi-row write (10 columns each).
const BATCH: usize = 500;

struct PgImport {
    tx: Transaction<'static, Postgres>,
    pool: sqlx::PgPool,
    agreements: Vec<Agreement>,
    at: OffsetDateTime,
    known_accounts: HashSet<String>,
    known_partners: HashSet<String>,
    /// Batches written so far.
    flushes: u64,
}

impl PgImport {
    async fn flush(&mut self) -> StoreResult<()> {
        if self.agreements.is_empty() {
            return Ok(());
        }
        // The tables grow under the import's feet: with statistics of the
        // empty tables the planner would scan partner history whole for
        // every batch. ANALYZE inside the transaction counts its own rows;
        // at 1, 10, 100, … batches it costs next to nothing.
        self.flushes += 1;
        if self
            .flushes
            .to_string()
            .trim_start_matches('1')
            .bytes()
            .all(|b| b == b'0')
        {
            sqlx::query("ANALYZE agreements, partner_assignments")
                .execute(&mut *self.tx)
                .await
                .ctx("failed to refresh statistics")?;
        }
        let batch = std::mem::take(&mut self.agreements);
        let products: Vec<String> = batch
            .iter()
            .map(|a| json(&a.products))
            .collect::<StoreResult<_>>()?;
        let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
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

        let (agreements, partners): (Vec<&str>, Vec<&str>) = batch
            .iter()
            .flat_map(|a| {
                a.partners
                    .iter()
                    .map(move |p| (a.number.as_str(), p.as_str()))
            })
            .unzip();
        // Close assignments no longer listed, open the ones not yet current;
        // an unchanged partner set writes nothing (re-import is a no-op).
        // The batch's pairs are bound as two arrays: a staging table
        // emptied with DELETE after every batch kept every dead row until
        // the commit, and each batch scanned them all (an import of 600k
        // agreements took 4.7 times as long as one of 300k).
        sqlx::query(
            "WITH t AS (SELECT * FROM UNNEST($2::text[], $3::text[]) AS t (agreement_number, partner_csn)) \
             UPDATE partner_assignments SET valid_to = $1 WHERE valid_to IS NULL \
             AND agreement_number IN (SELECT agreement_number FROM t) \
             AND (agreement_number, partner_csn) NOT IN (SELECT agreement_number, partner_csn FROM t)",
        )
        .bind(ms(self.at))
        .bind(&agreements)
        .bind(&partners)
        .execute(&mut *self.tx)
        .await
        .ctx("failed to close replaced assignments")?;
        sqlx::query(
            "INSERT INTO partner_assignments (agreement_number, partner_csn, valid_from, source) \
             SELECT t.agreement_number, t.partner_csn, $1, 'import' \
             FROM UNNEST($2::text[], $3::text[]) AS t (agreement_number, partner_csn) \
             WHERE NOT EXISTS (SELECT 1 FROM partner_assignments pa WHERE pa.agreement_number = t.agreement_number \
                               AND pa.partner_csn = t.partner_csn AND pa.valid_to IS NULL)",
        )
        .bind(ms(self.at))
        .bind(&agreements)
        .bind(&partners)
        .execute(&mut *self.tx)
        .await
        .ctx("failed to open imported assignments")?;
        Ok(())
    }
}

#[async_trait]
impl ImportSession for PgImport {
    async fn upsert_partner(&mut self, p: &Partner) -> StoreResult<()> {
        crate::directory::upsert_partner(&mut self.tx, p).await?;
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
        let found: Option<i32> = sqlx::query_scalar("SELECT 1 FROM accounts WHERE csn = $1")
            .bind(c.as_str())
            .fetch_optional(&mut *self.tx)
            .await
            .ctx("failed to look up account")?;
        if found.is_some() {
            self.known_accounts.insert(c.to_string());
        }
        Ok(found.is_some())
    }

    async fn partner_exists(&mut self, c: &Csn) -> StoreResult<bool> {
        if self.known_partners.contains(c.as_str()) {
            return Ok(true);
        }
        let found: Option<i32> = sqlx::query_scalar("SELECT 1 FROM partners WHERE csn = $1")
            .bind(c.as_str())
            .fetch_optional(&mut *self.tx)
            .await
            .ctx("failed to look up partner")?;
        if found.is_some() {
            self.known_partners.insert(c.to_string());
        }
        Ok(found.is_some())
    }

    async fn commit(mut self: Box<Self>, audit: &AuditEntry) -> StoreResult<()> {
        self.flush().await?;
        insert_audit(&mut self.tx, std::slice::from_ref(audit)).await?;
        self.tx.commit().await.ctx("failed to commit import")?;
        // A large import changes the tables' statistics at once; without
        // fresh ones the planner may pick sequential scans until autovacuum
        // gets to them.
        if let Err(e) =
            sqlx::query("ANALYZE partners, accounts, users, agreements, partner_assignments")
                .execute(&self.pool)
                .await
        {
            tracing::warn!(error = %e, "ANALYZE after import failed");
        }
        Ok(())
    }
}

#[async_trait]
impl BulkStore for PgStore {
    async fn begin_import(&self) -> StoreResult<Box<dyn ImportSession>> {
        let mut tx = self.write().await?;
        // References may point forward in the file; they are checked by the
        // importer and by PostgreSQL at commit (the keys are DEFERRABLE).
        // A long import must not be cut off as an idle transaction between
        // batches, nor by the statement timeout meant for requests.
        sqlx::query("SET CONSTRAINTS ALL DEFERRED")
            .execute(&mut *tx)
            .await
            .ctx("failed to defer foreign keys")?;
        sqlx::query("SET LOCAL idle_in_transaction_session_timeout = 0")
            .execute(&mut *tx)
            .await
            .ctx("failed to lift the idle timeout")?;
        sqlx::query("SET LOCAL statement_timeout = 0")
            .execute(&mut *tx)
            .await
            .ctx("failed to lift the statement timeout")?;
        Ok(Box::new(PgImport {
            tx,
            pool: self.pool.clone(),
            agreements: Vec::with_capacity(BATCH),
            at: OffsetDateTime::UNIX_EPOCH,
            known_accounts: HashSet::new(),
            known_partners: HashSet::new(),
            flushes: 0,
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
                let rows: Vec<PartnerRow> = sqlx::query_as(
                    "SELECT csn, name, city, country, status, email FROM partners WHERE csn > $1 ORDER BY csn LIMIT $2",
                )
                .bind(&after)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await
                .ctx("failed to export partners")?;
                page.partners = rows
                    .into_iter()
                    .map(Partner::try_from)
                    .collect::<StoreResult<_>>()?;
                page.next = (page.partners.len() == limit as usize)
                    .then(|| page.partners.last().map(|p| p.csn.to_string()))
                    .flatten();
            }
            ExportWhat::Accounts => {
                let rows: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT csn, name, country FROM accounts WHERE csn > $1 ORDER BY csn LIMIT $2",
                )
                .bind(&after)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await
                .ctx("failed to export accounts")?;
                for (c, name, country) in rows {
                    let users: Vec<UserRow> =
                        sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users u WHERE u.account_csn = $1 ORDER BY u.email"))
                            .bind(&c)
                            .fetch_all(&self.pool)
                            .await
                            .ctx("failed to export users")?;
                    let users = users
                        .into_iter()
                        .map(|u| u.record())
                        .collect::<StoreResult<_>>()?;
                    page.accounts.push((
                        Account {
                            csn: csn(&c)?,
                            name,
                            country,
                        },
                        users,
                    ));
                }
                page.next = (page.accounts.len() == limit as usize)
                    .then(|| page.accounts.last().map(|a| a.0.csn.to_string()))
                    .flatten();
            }
            ExportWhat::Agreements => {
                let rows: Vec<AgreementRow> =
                    sqlx::query_as(&format!("SELECT {AGREEMENT_COLUMNS} FROM agreements a WHERE a.number > $1 ORDER BY a.number LIMIT $2"))
                        .bind(&after)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await
                        .ctx("failed to export agreements")?;
                page.agreements = rows
                    .into_iter()
                    .map(Agreement::try_from)
                    .collect::<StoreResult<_>>()?;
                page.next = (page.agreements.len() == limit as usize)
                    .then(|| page.agreements.last().map(|a| a.number.to_string()))
                    .flatten();
            }
        }
        Ok(page)
    }
}
