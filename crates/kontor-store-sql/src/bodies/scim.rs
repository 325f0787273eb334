//! SCIM provisioning (#21): tokens and the account's people as the
//! identity provider writes them.

/// [`kontor_core::store::ScimStore`] for `$store`.
#[doc(hidden)]
#[macro_export]
macro_rules! scim_body {
    ($store:ty) => {
        pub(crate) mod scim {
            use async_trait::async_trait;
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::domain::ids::Csn;
            use kontor_core::domain::roles::{Role, UserId};
            use kontor_core::store::{ScimPerson, ScimStore, ScimTokenRecord, ScimWrite};
            use kontor_core::{StoreError, StoreResult};
            use time::OffsetDateTime;
            use $crate::rows::{USER_COLUMNS, UserRow, bad, from_ms, ms, uuid};
            use $crate::{Backend, Ctx};

            /// A person with the provisioning columns.
            #[derive(sqlx::FromRow)]
            struct PersonRow {
                #[sqlx(flatten)]
                user: UserRow,
                external_id: Option<String>,
                scim_profile: Option<String>,
                created_at: i64,
            }

            impl PersonRow {
                fn person(self) -> StoreResult<ScimPerson> {
                    let profile = self
                        .scim_profile
                        .as_deref()
                        .map(|p| serde_json::from_str(p).map_err(|_| bad("SCIM profile", p)))
                        .transpose()?;
                    Ok(ScimPerson {
                        user: self.user.record()?,
                        external_id: self.external_id,
                        profile,
                        created_at: from_ms(self.created_at),
                    })
                }
            }

            /// Listed for provisioning: not removed (deactivated is listed).
            const LISTED: &str = "(u.disabled_at IS NULL OR u.suspended)";

            type TokenRow = (String, String, String, i64, Option<i64>, Option<i64>);

            #[async_trait]
            impl ScimStore for $store {
                async fn scim_token_account(
                    &self,
                    token_hash: &str,
                    at: OffsetDateTime,
                ) -> StoreResult<Option<Csn>> {
                    let mut tx = self.write().await?;
                    let row: Option<(String,)> = sqlx::query_as(
                        "UPDATE scim_tokens SET last_used_at = $2 \
                         WHERE token_hash = $1 AND revoked_at IS NULL RETURNING account_csn",
                    )
                    .bind(token_hash)
                    .bind(ms(at))
                    .fetch_optional(&mut *tx)
                    .await
                    .ctx("failed to check the provisioning token")?;
                    tx.commit().await.ctx("failed to commit the token's use")?;
                    row.map(|(csn,)| $crate::rows::csn(&csn)).transpose()
                }

                async fn scim_tokens(&self, account: &Csn) -> StoreResult<Vec<ScimTokenRecord>> {
                    let rows: Vec<TokenRow> = sqlx::query_as(
                        "SELECT id, label, created_by, created_at, revoked_at, last_used_at \
                         FROM scim_tokens WHERE account_csn = $1 ORDER BY created_at DESC, id",
                    )
                    .bind(account.as_str())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to list provisioning tokens")?;
                    rows.into_iter()
                        .map(|(id, label, created_by, at, revoked, used)| {
                            Ok(ScimTokenRecord {
                                id: uuid(&id)?,
                                label,
                                created_by,
                                created_at: from_ms(at),
                                revoked_at: revoked.map(from_ms),
                                last_used_at: used.map(from_ms),
                            })
                        })
                        .collect()
                }

                async fn create_scim_token(
                    &self,
                    account: &Csn,
                    t: &ScimTokenRecord,
                    token_hash: &str,
                    audit: &AuditEntry,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query(
                        "INSERT INTO scim_tokens (id, account_csn, token_hash, label, created_by, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(t.id.to_string())
                    .bind(account.as_str())
                    .bind(token_hash)
                    .bind(&t.label)
                    .bind(&t.created_by)
                    .bind(ms(t.created_at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to store the provisioning token")?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit the provisioning token")
                }

                async fn revoke_scim_token(
                    &self,
                    account: &Csn,
                    id: uuid::Uuid,
                    at: OffsetDateTime,
                    audit: &AuditEntry,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    let done = sqlx::query(
                        "UPDATE scim_tokens SET revoked_at = $3 \
                         WHERE id = $1 AND account_csn = $2 AND revoked_at IS NULL",
                    )
                    .bind(id.to_string())
                    .bind(account.as_str())
                    .bind(ms(at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to revoke the provisioning token")?
                    .rows_affected();
                    if done == 0 {
                        return Err(StoreError::NotFound);
                    }
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit the revocation")
                }

                async fn scim_people(&self, account: &Csn) -> StoreResult<Vec<ScimPerson>> {
                    let rows: Vec<PersonRow> = sqlx::query_as(&format!(
                        "SELECT {USER_COLUMNS}, u.external_id, u.scim_profile, u.created_at \
                         FROM users u WHERE u.account_csn = $1 AND {LISTED} ORDER BY u.created_at, u.id"
                    ))
                    .bind(account.as_str())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to list people for provisioning")?;
                    rows.into_iter().map(PersonRow::person).collect()
                }

                async fn scim_person(&self, account: &Csn, id: UserId) -> StoreResult<Option<ScimPerson>> {
                    let row: Option<PersonRow> = sqlx::query_as(&format!(
                        "SELECT {USER_COLUMNS}, u.external_id, u.scim_profile, u.created_at \
                         FROM users u WHERE u.account_csn = $1 AND u.id = $2 AND {LISTED}"
                    ))
                    .bind(account.as_str())
                    .bind(id.0.to_string())
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read a person for provisioning")?;
                    row.map(PersonRow::person).transpose()
                }

                async fn scim_create(
                    &self,
                    account: &Csn,
                    id: UserId,
                    role: Role,
                    w: &ScimWrite,
                    at: OffsetDateTime,
                    audit: &AuditEntry,
                ) -> StoreResult<UserId> {
                    let mut tx = self.write().await?;
                    // Someone of this account whose access was removed comes
                    // back under their old id (their history stays theirs).
                    let id: Option<String> = sqlx::query_scalar(
                        "INSERT INTO users (id, email, name, role, account_csn, lang, created_at, \
                         external_id, scim_profile) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                         ON CONFLICT (email) DO UPDATE SET name = excluded.name, role = excluded.role, \
                         lang = excluded.lang, external_id = excluded.external_id, \
                         scim_profile = excluded.scim_profile, password_hash = NULL, \
                         disabled_at = NULL, suspended = FALSE \
                         WHERE users.disabled_at IS NOT NULL AND NOT users.suspended \
                         AND users.account_csn = excluded.account_csn \
                         RETURNING id",
                    )
                    .bind(id.0.to_string())
                    .bind(&w.email)
                    .bind(&w.name)
                    .bind(role.as_str())
                    .bind(account.as_str())
                    .bind(w.lang.as_str())
                    .bind(ms(at))
                    .bind(&w.external_id)
                    .bind(w.profile.to_string())
                    .fetch_optional(&mut *tx)
                    .await
                    .ctx("failed to create the person")?;
                    let Some(id) = id else {
                        return Err(StoreError::Conflict("email"));
                    };
                    let id = UserId(uuid(&id)?);
                    if !w.active {
                        super::directory::cut_access(&mut tx, id, at, true).await?;
                    }
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit the person")?;
                    Ok(id)
                }

                async fn scim_update(
                    &self,
                    id: UserId,
                    w: &ScimWrite,
                    at: OffsetDateTime,
                    audit: &AuditEntry,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query(
                        "UPDATE users SET email = $2, name = $3, lang = $4, external_id = $5, \
                         scim_profile = $6 WHERE id = $1",
                    )
                    .bind(id.0.to_string())
                    .bind(&w.email)
                    .bind(&w.name)
                    .bind(w.lang.as_str())
                    .bind(&w.external_id)
                    .bind(w.profile.to_string())
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to update the person")?;
                    if w.active {
                        sqlx::query(
                            "UPDATE users SET disabled_at = NULL, suspended = FALSE WHERE id = $1",
                        )
                        .bind(id.0.to_string())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to reactivate the person")?;
                    } else {
                        super::directory::cut_access(&mut tx, id, at, true).await?;
                    }
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit the person")
                }

                async fn scim_delete(
                    &self,
                    id: UserId,
                    at: OffsetDateTime,
                    audit: &AuditEntry,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    super::directory::cut_access(&mut tx, id, at, false).await?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit the removal")
                }
            }
        }
    };
}
