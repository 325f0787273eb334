//! Single sign-on (#21): identity providers, bound domains, linked
//! identities and trips under way.

/// [`kontor_core::store::SsoStore`] for `$store`.
#[doc(hidden)]
#[macro_export]
macro_rules! sso_body {
    ($store:ty) => {
        pub(crate) mod sso {
            use async_trait::async_trait;
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::domain::ids::Csn;
            use kontor_core::domain::roles::UserId;
            use kontor_core::domain::sso::{NewcomerRole, SsoDomain, SsoSettings};
            use kontor_core::store::{SsoPerson, SsoStore, SsoTrip};
            use kontor_core::{StoreError, StoreResult};
            use time::OffsetDateTime;
            use $crate::rows::{bad, csn, from_ms, ms, uuid};
            use $crate::{Backend, Ctx};

            type SettingsRow = (String, String, String, bool, bool, String, i64);
            const SETTINGS: &str =
                "issuer, client_id, client_secret, enabled, sso_required, default_role, updated_at";

            fn settings(row: SettingsRow) -> StoreResult<SsoSettings> {
                let (issuer, client_id, client_secret, enabled, required, role, at) = row;
                Ok(SsoSettings {
                    issuer,
                    client_id,
                    client_secret,
                    enabled,
                    required,
                    newcomer_role: NewcomerRole::parse(&role)
                        .ok_or_else(|| bad("newcomer role", &role))?,
                    updated_at: from_ms(at),
                })
            }

            fn domain(row: (String, String, String, i64)) -> StoreResult<SsoDomain> {
                Ok(SsoDomain {
                    domain: row.0,
                    account: csn(&row.1)?,
                    approved_by: row.2,
                    approved_at: from_ms(row.3),
                })
            }

            #[async_trait]
            impl SsoStore for $store {
                async fn sso_settings(&self, account: &Csn) -> StoreResult<Option<SsoSettings>> {
                    let row: Option<SettingsRow> = sqlx::query_as(&format!(
                        "SELECT {SETTINGS} FROM account_sso WHERE account_csn = $1"
                    ))
                    .bind(account.as_str())
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read the identity provider")?;
                    row.map(settings).transpose()
                }

                async fn save_sso_settings(
                    &self,
                    account: &Csn,
                    s: &SsoSettings,
                    audit: &AuditEntry,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query(
                        "INSERT INTO account_sso (account_csn, issuer, client_id, client_secret, \
                         enabled, sso_required, default_role, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                         ON CONFLICT (account_csn) DO UPDATE SET issuer = excluded.issuer, \
                         client_id = excluded.client_id, client_secret = excluded.client_secret, \
                         enabled = excluded.enabled, sso_required = excluded.sso_required, \
                         default_role = excluded.default_role, updated_at = excluded.updated_at",
                    )
                    .bind(account.as_str())
                    .bind(&s.issuer)
                    .bind(&s.client_id)
                    .bind(&s.client_secret)
                    .bind(s.enabled)
                    .bind(s.required)
                    .bind(s.newcomer_role.as_str())
                    .bind(ms(s.updated_at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to save the identity provider")?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit the identity provider")
                }

                async fn sso_binding(
                    &self,
                    name: &str,
                ) -> StoreResult<Option<(SsoDomain, Option<SsoSettings>)>> {
                    let row: Option<(String, String, String, i64)> = sqlx::query_as(
                        "SELECT domain, account_csn, approved_by, approved_at FROM sso_domains \
                         WHERE domain = $1",
                    )
                    .bind(name)
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read the domain")?;
                    let Some(row) = row else {
                        return Ok(None);
                    };
                    let bound = domain(row)?;
                    let provider = self.sso_settings(&bound.account).await?;
                    Ok(Some((bound, provider)))
                }

                async fn sso_domains(&self, account: Option<&Csn>) -> StoreResult<Vec<SsoDomain>> {
                    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
                        "SELECT domain, account_csn, approved_by, approved_at FROM sso_domains \
                         WHERE $1 IS NULL OR account_csn = $1 ORDER BY domain",
                    )
                    .bind(account.map(|a| a.as_str().to_owned()))
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to list the domains")?;
                    rows.into_iter().map(domain).collect()
                }

                async fn bind_sso_domain(&self, d: &SsoDomain, audit: &AuditEntry) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query(
                        "INSERT INTO sso_domains (domain, account_csn, approved_by, approved_at) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(&d.domain)
                    .bind(d.account.as_str())
                    .bind(&d.approved_by)
                    .bind(ms(d.approved_at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to bind the domain")?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit the domain")
                }

                async fn unbind_sso_domain(&self, name: &str, audit: &AuditEntry) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    let gone = sqlx::query("DELETE FROM sso_domains WHERE domain = $1")
                        .bind(name)
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to unbind the domain")?
                        .rows_affected();
                    if gone == 0 {
                        return Err(StoreError::NotFound);
                    }
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit the domain")
                }

                async fn start_sso_trip(&self, t: &SsoTrip, stale: OffsetDateTime) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query("DELETE FROM sso_states WHERE created_at < $1")
                        .bind(ms(stale))
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to drop stale trips")?;
                    sqlx::query(
                        "INSERT INTO sso_states (state_hash, account_csn, nonce, code_verifier, \
                         next, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(&t.state_hash)
                    .bind(t.account.as_str())
                    .bind(&t.nonce)
                    .bind(&t.code_verifier)
                    .bind(&t.next)
                    .bind(ms(t.started_at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to record the trip")?;
                    tx.commit().await.ctx("failed to commit the trip")
                }

                async fn take_sso_trip(&self, state_hash: &str) -> StoreResult<Option<SsoTrip>> {
                    let mut tx = self.write().await?;
                    let row: Option<(String, String, String, String, i64)> = sqlx::query_as(
                        "DELETE FROM sso_states WHERE state_hash = $1 \
                         RETURNING account_csn, nonce, code_verifier, next, created_at",
                    )
                    .bind(state_hash)
                    .fetch_optional(&mut *tx)
                    .await
                    .ctx("failed to take the trip")?;
                    tx.commit().await.ctx("failed to commit the trip")?;
                    row.map(|(account, nonce, code_verifier, next, at)| {
                        Ok(SsoTrip {
                            state_hash: state_hash.to_owned(),
                            account: csn(&account)?,
                            nonce,
                            code_verifier,
                            next,
                            started_at: from_ms(at),
                        })
                    })
                    .transpose()
                }

                async fn sso_identity(&self, issuer: &str, subject: &str) -> StoreResult<Option<UserId>> {
                    let row: Option<(String,)> = sqlx::query_as(
                        "SELECT user_id FROM sso_identities WHERE issuer = $1 AND subject = $2",
                    )
                    .bind(issuer)
                    .bind(subject)
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read the identity")?;
                    row.map(|(id,)| uuid(&id).map(UserId)).transpose()
                }

                async fn link_sso_identity(
                    &self,
                    issuer: &str,
                    subject: &str,
                    person: SsoPerson<'_>,
                    at: OffsetDateTime,
                    audit: &[AuditEntry],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    let user = match person {
                        SsoPerson::Existing(id) => id,
                        SsoPerson::Newcomer(user) => {
                            super::directory::insert_user(&mut tx, user).await?;
                            user.id
                        }
                    };
                    sqlx::query(
                        "INSERT INTO sso_identities (issuer, subject, user_id, created_at) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(issuer)
                    .bind(subject)
                    .bind(user.0.to_string())
                    .bind(ms(at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to link the identity")?;
                    Self::insert_audit(&mut tx, audit).await?;
                    tx.commit().await.ctx("failed to commit the identity")
                }
            }
        }
    };
}
