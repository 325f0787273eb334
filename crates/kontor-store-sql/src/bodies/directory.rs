//! Accounts, partners and people.

/// [`kontor_core::store::DirectoryStore`] for `$store`, and the directory
/// writes imports share.
#[doc(hidden)]
#[macro_export]
macro_rules! directory_body {
    ($store:ty) => {
        pub(crate) mod directory {
            use async_trait::async_trait;
            use kontor_core::StoreResult;
            use kontor_core::domain::agreement::{Account, Partner};
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::domain::ids::{AgreementNumber, Csn};
            use kontor_core::domain::notify::{Contact, MutedEvents, OutboxMessage};
            use kontor_core::domain::roles::{Lang, Role, UserId};
            use kontor_core::store::{
                DirectoryStore, InvitationRecord, LinkPurpose, NewInvitation, NewUser, UserRecord,
            };
            use time::OffsetDateTime;
            use $crate::backend::Conn;
            use $crate::rows::{CONTACT_COLUMNS, ContactRow, PartnerRow, USER_COLUMNS, UserRow, csn, ms, tenant_columns};
            use $crate::{Backend, Ctx};

            #[async_trait]
            impl DirectoryStore for $store {
                async fn partner(&self, csn: &Csn) -> StoreResult<Option<Partner>> {
                    sqlx::query_as::<_, PartnerRow>(
                        "SELECT csn, name, city, country, status, email FROM partners WHERE csn = $1",
                    )
                    .bind(csn.as_str())
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read partner")?
                    .map(Partner::try_from)
                    .transpose()
                }

                async fn partners(
                    &self,
                    q: Option<&str>,
                    after: Option<&Csn>,
                    limit: u32,
                ) -> StoreResult<Vec<Partner>> {
                    let like = q.map(|q| format!("%{}%", q.trim().to_lowercase().replace(['%', '_'], "")));
                    let rows: Vec<PartnerRow> = sqlx::query_as(
                        "SELECT csn, name, city, country, status, email FROM partners \
                         WHERE csn > $1 AND lower(csn || ' ' || name || ' ' || city) LIKE $2 ORDER BY csn LIMIT $3",
                    )
                    .bind(after.map(|c| c.as_str()).unwrap_or(""))
                    .bind(like.as_deref().unwrap_or("%"))
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to list partners")?;
                    rows.into_iter().map(Partner::try_from).collect()
                }

                async fn save_partner(&self, p: &Partner, audit: &AuditEntry) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    upsert_partner(&mut tx, p).await?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit partner")
                }

                async fn accounts(
                    &self,
                    q: Option<&str>,
                    after: Option<&Csn>,
                    limit: u32,
                ) -> StoreResult<Vec<Account>> {
                    let like = q.map(|q| format!("%{}%", q.trim().to_lowercase().replace(['%', '_'], "")));
                    let rows: Vec<(String, String, String)> = sqlx::query_as(
                        "SELECT csn, name, country FROM accounts \
                         WHERE csn > $1 AND lower(csn || ' ' || name) LIKE $2 ORDER BY csn LIMIT $3",
                    )
                    .bind(after.map(|c| c.as_str()).unwrap_or(""))
                    .bind(like.as_deref().unwrap_or("%"))
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to list accounts")?;
                    rows.into_iter()
                        .map(|(c, name, country)| {
                            Ok(Account {
                                csn: csn(&c)?,
                                name,
                                country,
                            })
                        })
                        .collect()
                }

                async fn account(&self, csn_: &Csn) -> StoreResult<Option<Account>> {
                    let row: Option<(String, String, String)> =
                        sqlx::query_as("SELECT csn, name, country FROM accounts WHERE csn = $1")
                            .bind(csn_.as_str())
                            .fetch_optional(self.reader())
                            .await
                            .ctx("failed to read account")?;
                    row.map(|(c, name, country)| {
                        Ok(Account {
                            csn: csn(&c)?,
                            name,
                            country,
                        })
                    })
                    .transpose()
                }

                async fn account_admins(&self, csn: &Csn) -> StoreResult<Vec<Contact>> {
                    let rows: Vec<ContactRow> = sqlx::query_as(&format!(
                        "SELECT {CONTACT_COLUMNS} FROM users u WHERE u.account_csn = $1 \
                         AND u.role IN ('primary_admin', 'secondary_admin') AND u.disabled_at IS NULL ORDER BY u.email",
                    ))
                    .bind(csn.as_str())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read account admins")?;
                    Ok(rows.into_iter().map(Contact::from).collect())
                }

                async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
                    let row = sqlx::query_as::<_, UserRow>(&format!(
                        "SELECT {USER_COLUMNS} FROM users u WHERE u.email = $1"
                    ))
                    .bind(email)
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read user")?;
                    row.map(|r| r.record()).transpose()
                }

                async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    insert_user(&mut tx, user).await?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit user")
                }

                async fn invite_user(
                    &self,
                    user: &NewUser,
                    invitation: &NewInvitation,
                    audit: &AuditEntry,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<UserId> {
                    let mut tx = self.write().await?;
                    let (account, partner) = tenant_columns(&user.tenant);
                    // Someone removed from this account comes back under their
                    // old id (their history stays theirs), starting afresh.
                    let id: Option<String> = sqlx::query_scalar(
                        "INSERT INTO users (id, email, name, role, account_csn, partner_csn, lang, password_hash, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8) \
                         ON CONFLICT (email) DO UPDATE SET name = excluded.name, role = excluded.role, \
                         lang = excluded.lang, password_hash = NULL, disabled_at = NULL \
                         WHERE users.disabled_at IS NOT NULL AND users.account_csn = excluded.account_csn \
                         RETURNING id",
                    )
                    .bind(user.id.0.to_string())
                    .bind(&user.email)
                    .bind(&user.name)
                    .bind(user.role.as_str())
                    .bind(account)
                    .bind(partner)
                    .bind(user.lang.as_str())
                    .bind(ms(user.created_at))
                    .fetch_optional(&mut *tx)
                    .await
                    .ctx("failed to insert user")?;
                    let Some(id) = id else {
                        return Err(kontor_core::StoreError::Conflict("email"));
                    };
                    let id = UserId($crate::rows::uuid(&id)?);
                    sqlx::query("DELETE FROM user_agreements WHERE user_id = $1")
                        .bind(id.0.to_string())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to clear assignments")?;
                    insert_link(&mut tx, id, invitation).await?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    Self::insert_outbox(&mut tx, outbox, invitation.created_at).await?;
                    tx.commit().await.ctx("failed to commit invitation")?;
                    Ok(id)
                }

                async fn invitation(
                    &self,
                    token_hash: &str,
                    purpose: LinkPurpose,
                ) -> StoreResult<Option<InvitationRecord>> {
                    #[derive(sqlx::FromRow)]
                    struct Row {
                        #[sqlx(flatten)]
                        user: UserRow,
                        expires_at: i64,
                        used_at: Option<i64>,
                    }
                    let row = sqlx::query_as::<_, Row>(&format!(
                        "SELECT {USER_COLUMNS}, i.expires_at, i.used_at FROM invitations i JOIN users u ON u.id = i.user_id \
                         WHERE i.token_hash = $1 AND i.purpose = $2"
                    ))
                    .bind(token_hash)
                    .bind(purpose.as_str())
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read invitation")?;
                    row.map(|r| {
                        Ok(InvitationRecord {
                            user: r.user.record()?,
                            expires_at: $crate::rows::from_ms(r.expires_at),
                            used: r.used_at.is_some(),
                        })
                    })
                    .transpose()
                }

                async fn accept_invitation(
                    &self,
                    token_hash: &str,
                    purpose: LinkPurpose,
                    password_hash: &str,
                    at: OffsetDateTime,
                    audit: &AuditEntry,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    let user: Option<String> = sqlx::query_scalar(
                        "UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $4 RETURNING user_id",
                    )
                    .bind(ms(at))
                    .bind(token_hash)
                    .bind(purpose.as_str())
                    .bind(ms(at))
                    .fetch_optional(&mut *tx)
                    .await
                    .ctx("failed to use invitation")?;
                    let Some(user) = user else {
                        return Err(kontor_core::StoreError::NotFound);
                    };
                    let changed = sqlx::query(
                        "UPDATE users SET password_hash = $1 WHERE id = $2 AND disabled_at IS NULL",
                    )
                    .bind(password_hash)
                    .bind(&user)
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to set password")?
                    .rows_affected();
                    if changed == 0 {
                        return Err(kontor_core::StoreError::NotFound);
                    }
                    // The person's other links of this purpose stop working, and every
                    // session ends: whoever knew the old password is signed out.
                    sqlx::query("UPDATE invitations SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
                        .bind(ms(at))
                        .bind(&user)
                        .bind(purpose.as_str())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to retire other links")?;
                    end_sessions(&mut tx, &user).await?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit invitation")
                }

                async fn create_password_reset(
                    &self,
                    user: UserId,
                    link: &NewInvitation,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    insert_link(&mut tx, user, link).await?;
                    Self::insert_outbox(&mut tx, outbox, link.created_at).await?;
                    tx.commit().await.ctx("failed to commit password reset")
                }

                async fn password_resets_since(&self, user: UserId, since: OffsetDateTime) -> StoreResult<u32> {
                    let n: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM invitations WHERE user_id = $1 AND purpose = 'password_reset' AND created_at >= $2",
                    )
                    .bind(user.0.to_string())
                    .bind(ms(since))
                    .fetch_one(self.reader())
                    .await
                    .ctx("failed to count password resets")?;
                    Ok(u32::try_from(n).unwrap_or(u32::MAX))
                }

                async fn disable_user(
                    &self,
                    user: UserId,
                    at: OffsetDateTime,
                    audit: &AuditEntry,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    cut_access(&mut tx, user, at, false).await?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit")
                }

                async fn account_users(&self, account: &Csn) -> StoreResult<Vec<UserRecord>> {
                    let rows: Vec<UserRow> = sqlx::query_as(&format!(
                        "SELECT {USER_COLUMNS} FROM users u WHERE u.account_csn = $1 ORDER BY u.email"
                    ))
                    .bind(account.as_str())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to list users")?;
                    rows.into_iter().map(|r| r.record()).collect()
                }

                async fn set_role(&self, user: UserId, role: Role, audit: &AuditEntry) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    let done = sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
                        .bind(role.as_str())
                        .bind(user.0.to_string())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to change role")?;
                    if done.rows_affected() != 1 {
                        return Err(kontor_core::StoreError::NotFound);
                    }
                    if role != Role::User {
                        // Admins see every agreement of the account; assignments only matter for `user`s.
                        sqlx::query("DELETE FROM user_agreements WHERE user_id = $1")
                            .bind(user.0.to_string())
                            .execute(&mut *tx)
                            .await
                            .ctx("failed to clear assignments")?;
                    }
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit role")
                }

                async fn resend_invitation(
                    &self,
                    user: UserId,
                    link: &NewInvitation,
                    audit: &AuditEntry,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query(
                        "UPDATE invitations SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
                    )
                    .bind(ms(link.created_at))
                    .bind(user.0.to_string())
                    .bind(link.purpose.as_str())
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to retire earlier invitations")?;
                    insert_link(&mut tx, user, link).await?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    Self::insert_outbox(&mut tx, outbox, link.created_at).await?;
                    tx.commit().await.ctx("failed to commit the invitation")
                }

                async fn update_profile(
                    &self,
                    user: UserId,
                    profile: &kontor_core::store::Profile,
                    audit: &AuditEntry,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    let changed = sqlx::query(
                        "UPDATE users SET name = $1, lang = $2, time_zone = $3 WHERE id = $4 AND disabled_at IS NULL",
                    )
                    .bind(&profile.name)
                    .bind(profile.lang.as_str())
                    .bind(profile.time_zone.name())
                    .bind(user.0.to_string())
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to save the profile")?
                    .rows_affected();
                    if changed == 0 {
                        return Err(kontor_core::StoreError::NotFound);
                    }
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit the profile")
                }

                async fn muted_events(&self, user: UserId) -> StoreResult<MutedEvents> {
                    let raw: Option<String> = sqlx::query_scalar(
                        "SELECT muted_events FROM users WHERE id = $1 AND disabled_at IS NULL",
                    )
                    .bind(user.0.to_string())
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read notification settings")?;
                    raw.map(|r| MutedEvents::from_stored(&r))
                        .ok_or(kontor_core::StoreError::NotFound)
                }

                async fn set_muted_events(
                    &self,
                    user: UserId,
                    muted: &MutedEvents,
                    audit: &AuditEntry,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    let changed = sqlx::query(
                        "UPDATE users SET muted_events = $1 WHERE id = $2 AND disabled_at IS NULL",
                    )
                    .bind(muted.to_stored())
                    .bind(user.0.to_string())
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to save notification settings")?
                    .rows_affected();
                    if changed == 0 {
                        return Err(kontor_core::StoreError::NotFound);
                    }
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit notification settings")
                }

                async fn change_password(
                    &self,
                    user: UserId,
                    password_hash: &str,
                    keep: &str,
                    audit: &AuditEntry,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<u64> {
                    let mut tx = self.write().await?;
                    let id = user.0.to_string();
                    let changed = sqlx::query(
                        "UPDATE users SET password_hash = $1 WHERE id = $2 AND disabled_at IS NULL",
                    )
                    .bind(password_hash)
                    .bind(&id)
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to change the password")?
                    .rows_affected();
                    if changed == 0 {
                        return Err(kontor_core::StoreError::NotFound);
                    }
                    let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
                        .bind(&id)
                        .bind(keep)
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to end sessions")?
                        .rows_affected();
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    Self::insert_outbox(&mut tx, outbox, audit.at).await?;
                    tx.commit().await.ctx("failed to commit the password")?;
                    Ok(ended)
                }

                async fn set_time_zone(
                    &self,
                    user: UserId,
                    zone: kontor_core::domain::zone::Zone,
                    audit: Option<&AuditEntry>,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    let sql = match audit {
                        Some(_) => "UPDATE users SET time_zone = $1 WHERE id = $2",
                        None => "UPDATE users SET time_zone = $1 WHERE id = $2 AND time_zone IS NULL",
                    };
                    sqlx::query(sql)
                        .bind(zone.name())
                        .bind(user.0.to_string())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to set the time zone")?;
                    if let Some(audit) = audit {
                        Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    }
                    tx.commit().await.ctx("failed to commit the time zone")
                }

                async fn assigned_agreements(&self, user: UserId) -> StoreResult<Vec<AgreementNumber>> {
                    let rows: Vec<String> = sqlx::query_scalar(
                        "SELECT agreement_number FROM user_agreements WHERE user_id = $1 ORDER BY agreement_number",
                    )
                    .bind(user.0.to_string())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read assignments")?;
                    rows.iter()
                        .map(|n| AgreementNumber::parse(n).map_err(|_| $crate::rows::bad("agreement number", n)))
                        .collect()
                }

                async fn set_assignments(
                    &self,
                    user: UserId,
                    agreements: &[AgreementNumber],
                    audit: &AuditEntry,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query("DELETE FROM user_agreements WHERE user_id = $1")
                        .bind(user.0.to_string())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to clear assignments")?;
                    for n in agreements {
                        sqlx::query("INSERT INTO user_agreements (user_id, agreement_number) VALUES ($1, $2)")
                            .bind(user.0.to_string())
                            .bind(n.as_str())
                            .execute(&mut *tx)
                            .await
                            .ctx("failed to assign agreement")?;
                    }
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit assignments")
                }

                async fn assign_agreement(
                    &self,
                    user: UserId,
                    agreement: &AgreementNumber,
                    audit: &AuditEntry,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query(
                        "INSERT INTO user_agreements (user_id, agreement_number) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    )
                    .bind(user.0.to_string())
                    .bind(agreement.as_str())
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to assign agreement")?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit assignment")
                }
            }

            /// Inserts or updates a directory entry by CSN (forms and imports).
            pub(crate) async fn upsert_partner(conn: &mut Conn<$store>, p: &Partner) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO partners (csn, name, city, country, status, email) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (csn) DO UPDATE SET name = excluded.name, city = excluded.city, country = excluded.country, \
                     status = excluded.status, email = excluded.email",
                )
                .bind(p.csn.as_str())
                .bind(&p.name)
                .bind(&p.city)
                .bind(&p.country)
                .bind(p.status.as_str())
                .bind(&p.email)
                .execute(conn)
                .await
                .ctx("failed to save partner")?;
                Ok(())
            }

            /// Inserts a person; unique violations surface as `Conflict`.
            pub(crate) async fn insert_user(conn: &mut Conn<$store>, user: &NewUser) -> StoreResult<()> {
                let (account, partner) = tenant_columns(&user.tenant);
                sqlx::query(
                    "INSERT INTO users (id, email, name, role, account_csn, partner_csn, lang, password_hash, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(user.id.0.to_string())
                .bind(&user.email)
                .bind(&user.name)
                .bind(user.role.as_str())
                .bind(account)
                .bind(partner)
                .bind(user.lang.as_str())
                .bind(&user.password_hash)
                .bind(ms(user.created_at))
                .execute(conn)
                .await
                .ctx("failed to insert user")?;
                Ok(())
            }

            /// Ends a person's access at `at`: every session, API token and
            /// invitation. `suspended` keeps them listed for provisioning
            /// (deactivated, not removed).
            pub(crate) async fn cut_access(
                conn: &mut Conn<$store>,
                user: UserId,
                at: OffsetDateTime,
                suspended: bool,
            ) -> StoreResult<()> {
                let id = user.0.to_string();
                sqlx::query(
                    "UPDATE users SET disabled_at = COALESCE(disabled_at, $1), suspended = $3 WHERE id = $2",
                )
                .bind(ms(at))
                .bind(&id)
                .bind(suspended)
                .execute(&mut *conn)
                .await
                .ctx("failed to remove access")?;
                end_sessions(&mut *conn, &id).await?;
                sqlx::query(
                    "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
                )
                .bind(ms(at))
                .bind(&id)
                .execute(&mut *conn)
                .await
                .ctx("failed to revoke tokens")?;
                sqlx::query("UPDATE invitations SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
                    .bind(ms(at))
                    .bind(&id)
                    .execute(&mut *conn)
                    .await
                    .ctx("failed to cancel invitations")?;
                Ok(())
            }

            /// Signs a person out everywhere: every portal session ends; the
            /// number of sessions that did.
            pub(crate) async fn end_sessions(conn: &mut Conn<$store>, user: &str) -> StoreResult<u64> {
                Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user)
                    .execute(&mut *conn)
                    .await
                    .ctx("failed to end sessions")?
                    .rows_affected())
            }

            /// Stores a one-time link (only its token's hash).
            async fn insert_link(
                conn: &mut Conn<$store>,
                user: UserId,
                link: &NewInvitation,
            ) -> StoreResult<()> {
                sqlx::query("INSERT INTO invitations (token_hash, user_id, created_at, expires_at, purpose) VALUES ($1, $2, $3, $4, $5)")
                    .bind(&link.token_hash)
                    .bind(user.0.to_string())
                    .bind(ms(link.created_at))
                    .bind(ms(link.expires_at))
                    .bind(link.purpose.as_str())
                    .execute(&mut *conn)
                    .await
                    .ctx("failed to store one-time link")?;
                Ok(())
            }
        }
    };
}
