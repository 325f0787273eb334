//! Second factors (#21): authenticator apps, recovery codes, the accounts'
//! rules, the second step of a sign-in and re-authentication.

/// [`kontor_core::store::SecondFactorStore`] for `$store`.
#[doc(hidden)]
#[macro_export]
macro_rules! second_factor_body {
    ($store:ty) => {
        pub(crate) mod second_factor {
            use async_trait::async_trait;
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::domain::ids::Csn;
            use kontor_core::domain::notify::OutboxMessage;
            use kontor_core::domain::roles::UserId;
            use kontor_core::domain::second_factor::{AccountSecurity, SecondFactorFacts};
            use kontor_core::domain::passkey::{ChallengePurpose, b64url};
            use kontor_core::store::{
                FactorRemoval, PasskeyRecord, SecondFactorRecord, SecondFactorStore,
                SigninChallenge, TotpRecord,
            };
            use kontor_core::{StoreError, StoreResult};
            use time::OffsetDateTime;
            use kontor_core::domain::roles::Actor;
            use $crate::rows::{
                ChallengeRow, FACTS_COLUMNS, FACTS_JOIN, FactsRow, PasskeyRow, PasskeyUserRow,
                USER_COLUMNS, bad, from_ms, ms, uuid,
            };
            use $crate::{Backend, Ctx};

            fn step(raw: Option<i64>) -> Option<u64> {
                raw.and_then(|s| u64::try_from(s).ok())
            }

            #[async_trait]
            impl SecondFactorStore for $store {
                async fn second_factor(&self, user: UserId) -> StoreResult<SecondFactorRecord> {
                    let totp: Option<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
                        "SELECT secret, confirmed_at, last_step FROM totp_keys WHERE user_id = $1",
                    )
                    .bind(user.0.to_string())
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read the authenticator key")?;
                    let (left,): (i64,) = sqlx::query_as(
                        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
                    )
                    .bind(user.0.to_string())
                    .fetch_one(self.reader())
                    .await
                    .ctx("failed to count recovery codes")?;
                    Ok(SecondFactorRecord {
                        totp: totp.map(|(secret, confirmed_at, last_step)| TotpRecord {
                            secret,
                            confirmed_at: confirmed_at.map(from_ms),
                            last_step: step(last_step),
                        }),
                        recovery_left: u32::try_from(left).unwrap_or(0),
                    })
                }

                async fn second_factor_facts(
                    &self,
                    user: UserId,
                ) -> StoreResult<Option<SecondFactorFacts>> {
                    let row = sqlx::query_as::<_, FactsRow>(&format!(
                        "SELECT {FACTS_COLUMNS} FROM users u {FACTS_JOIN} WHERE u.id = $1"
                    ))
                    .bind(user.0.to_string())
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read two-factor standing")?;
                    row.map(|r| r.facts()).transpose()
                }

                async fn stage_totp(
                    &self,
                    user: UserId,
                    secret: &str,
                    at: OffsetDateTime,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    let confirmed: Option<(Option<i64>,)> =
                        sqlx::query_as("SELECT confirmed_at FROM totp_keys WHERE user_id = $1")
                            .bind(user.0.to_string())
                            .fetch_optional(&mut *tx)
                            .await
                            .ctx("failed to read the authenticator key")?;
                    if matches!(confirmed, Some((Some(_),))) {
                        return Err(StoreError::Conflict("second_factor"));
                    }
                    sqlx::query("DELETE FROM totp_keys WHERE user_id = $1")
                        .bind(user.0.to_string())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to replace the waiting key")?;
                    sqlx::query(
                        "INSERT INTO totp_keys (user_id, secret, created_at) VALUES ($1, $2, $3)",
                    )
                    .bind(user.0.to_string())
                    .bind(secret)
                    .bind(ms(at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to store the waiting key")?;
                    tx.commit().await.ctx("failed to commit the waiting key")
                }

                async fn confirm_totp(
                    &self,
                    user: UserId,
                    step: u64,
                    at: OffsetDateTime,
                    recovery_hashes: &[String],
                    audit: &AuditEntry,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    let confirmed = sqlx::query(
                        "UPDATE totp_keys SET confirmed_at = $2, last_step = $3 \
                         WHERE user_id = $1 AND confirmed_at IS NULL",
                    )
                    .bind(user.0.to_string())
                    .bind(ms(at))
                    .bind(i64::try_from(step).unwrap_or(i64::MAX))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to confirm the authenticator key")?
                    .rows_affected();
                    if confirmed == 0 {
                        return Err(StoreError::NotFound);
                    }
                    Self::replace_codes(&mut tx, user, recovery_hashes).await?;
                    sqlx::query("UPDATE users SET second_factor_reset_at = NULL WHERE id = $1")
                        .bind(user.0.to_string())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to clear the reset")?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    Self::insert_outbox(&mut tx, outbox, at).await?;
                    tx.commit().await.ctx("failed to commit the authenticator key")
                }

                async fn use_totp_step(&self, user: UserId, step: u64) -> StoreResult<bool> {
                    let mut tx = self.write().await?;
                    let step = i64::try_from(step).unwrap_or(i64::MAX);
                    let used = sqlx::query(
                        "UPDATE totp_keys SET last_step = $2 WHERE user_id = $1 \
                         AND confirmed_at IS NOT NULL AND (last_step IS NULL OR last_step < $2)",
                    )
                    .bind(user.0.to_string())
                    .bind(step)
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to use the code")?
                    .rows_affected();
                    tx.commit().await.ctx("failed to commit the code")?;
                    Ok(used == 1)
                }

                async fn use_recovery_code(
                    &self,
                    user: UserId,
                    code_hash: &str,
                    at: OffsetDateTime,
                    audit: &AuditEntry,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<bool> {
                    let mut tx = self.write().await?;
                    let used = sqlx::query(
                        "UPDATE recovery_codes SET used_at = $3 \
                         WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
                    )
                    .bind(user.0.to_string())
                    .bind(code_hash)
                    .bind(ms(at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to use the recovery code")?
                    .rows_affected();
                    if used == 0 {
                        return Ok(false);
                    }
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    Self::insert_outbox(&mut tx, outbox, at).await?;
                    tx.commit().await.ctx("failed to commit the recovery code")?;
                    Ok(true)
                }

                async fn replace_recovery_codes(
                    &self,
                    user: UserId,
                    recovery_hashes: &[String],
                    audit: &AuditEntry,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    Self::replace_codes(&mut tx, user, recovery_hashes).await?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    Self::insert_outbox(&mut tx, outbox, audit.at).await?;
                    tx.commit().await.ctx("failed to commit the recovery codes")
                }

                async fn remove_second_factor(
                    &self,
                    user: UserId,
                    what: FactorRemoval,
                    reset_at: Option<OffsetDateTime>,
                    audit: &[AuditEntry],
                    outbox: &[OutboxMessage],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    let mut removed = sqlx::query(
                        "DELETE FROM totp_keys WHERE user_id = $1 AND confirmed_at IS NOT NULL",
                    )
                    .bind(user.0.to_string())
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to remove the authenticator key")?
                    .rows_affected();
                    if what == FactorRemoval::Everything {
                        removed += sqlx::query("DELETE FROM passkeys WHERE user_id = $1")
                            .bind(user.0.to_string())
                            .execute(&mut *tx)
                            .await
                            .ctx("failed to remove passkeys")?
                            .rows_affected();
                    }
                    if removed == 0 {
                        return Err(StoreError::NotFound);
                    }
                    Self::replace_codes(&mut tx, user, &[]).await?;
                    sqlx::query("UPDATE users SET second_factor_reset_at = $2 WHERE id = $1")
                        .bind(user.0.to_string())
                        .bind(reset_at.map(ms))
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to record the reset")?;
                    Self::insert_audit(&mut tx, audit).await?;
                    let at = audit.first().map_or(OffsetDateTime::UNIX_EPOCH, |a| a.at);
                    Self::insert_outbox(&mut tx, outbox, at).await?;
                    tx.commit().await.ctx("failed to commit the removal")
                }

                async fn passkeys_of(&self, user: UserId) -> StoreResult<Vec<PasskeyRecord>> {
                    let rows: Vec<PasskeyRow> = sqlx::query_as(
                        "SELECT credential_id, user_id, name, algorithm, public_key, sign_count, created_at, last_used_at \
                         FROM passkeys WHERE user_id = $1 ORDER BY created_at, credential_id",
                    )
                    .bind(user.0.to_string())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read passkeys")?;
                    rows.into_iter().map(PasskeyRow::record).collect()
                }

                async fn passkey(
                    &self,
                    credential_id: &str,
                ) -> StoreResult<Option<(PasskeyRecord, Actor)>> {
                    let row = sqlx::query_as::<_, PasskeyUserRow>(&format!(
                        "SELECT {USER_COLUMNS}, pk.credential_id, pk.user_id AS owner, pk.name AS key_name, \
                         pk.algorithm, pk.public_key, pk.sign_count, pk.created_at AS added_at, pk.last_used_at \
                         FROM passkeys pk JOIN users u ON u.id = pk.user_id \
                         WHERE pk.credential_id = $1 AND u.disabled_at IS NULL"
                    ))
                    .bind(credential_id)
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read the passkey")?;
                    row.map(|r| {
                        let actor = r.user.actor()?;
                        Ok((r.record()?, actor))
                    })
                    .transpose()
                }

                async fn add_passkey(
                    &self,
                    p: &PasskeyRecord,
                    audit: &AuditEntry,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    let (taken,): (i64,) =
                        sqlx::query_as("SELECT COUNT(*) FROM passkeys WHERE credential_id = $1")
                            .bind(&p.credential_id)
                            .fetch_one(&mut *tx)
                            .await
                            .ctx("failed to look up the passkey")?;
                    if taken > 0 {
                        return Err(StoreError::Conflict("passkey"));
                    }
                    sqlx::query(
                        "INSERT INTO passkeys (credential_id, user_id, name, algorithm, public_key, sign_count, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(&p.credential_id)
                    .bind(p.user_id.0.to_string())
                    .bind(&p.name)
                    .bind(p.algorithm)
                    .bind(b64url(&p.public_key))
                    .bind(i64::from(p.sign_count))
                    .bind(ms(p.created_at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to store the passkey")?;
                    sqlx::query("UPDATE users SET second_factor_reset_at = NULL WHERE id = $1")
                        .bind(p.user_id.0.to_string())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to clear the reset")?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    Self::insert_outbox(&mut tx, outbox, p.created_at).await?;
                    tx.commit().await.ctx("failed to commit the passkey")
                }

                async fn passkey_used(
                    &self,
                    credential_id: &str,
                    sign_count: u32,
                    at: OffsetDateTime,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query(
                        "UPDATE passkeys SET sign_count = $2, last_used_at = $3 WHERE credential_id = $1",
                    )
                    .bind(credential_id)
                    .bind(i64::from(sign_count))
                    .bind(ms(at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to record the passkey's use")?;
                    tx.commit().await.ctx("failed to commit the passkey's use")
                }

                async fn remove_passkey(
                    &self,
                    user: UserId,
                    credential_id: &str,
                    audit: &AuditEntry,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    let removed =
                        sqlx::query("DELETE FROM passkeys WHERE user_id = $1 AND credential_id = $2")
                            .bind(user.0.to_string())
                            .bind(credential_id)
                            .execute(&mut *tx)
                            .await
                            .ctx("failed to remove the passkey")?
                            .rows_affected();
                    if removed == 0 {
                        return Err(StoreError::NotFound);
                    }
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    Self::insert_outbox(&mut tx, outbox, audit.at).await?;
                    tx.commit().await.ctx("failed to commit the removal")
                }

                async fn issue_passkey_challenge(
                    &self,
                    challenge: &str,
                    user: Option<UserId>,
                    purpose: ChallengePurpose,
                    at: OffsetDateTime,
                    forget_before: OffsetDateTime,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query("DELETE FROM passkey_challenges WHERE created_at < $1")
                        .bind(ms(forget_before))
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to forget old challenges")?;
                    sqlx::query(
                        "INSERT INTO passkey_challenges (challenge, user_id, purpose, created_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(challenge)
                    .bind(user.map(|u| u.0.to_string()))
                    .bind(purpose.as_str())
                    .bind(ms(at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to store the challenge")?;
                    tx.commit().await.ctx("failed to commit the challenge")
                }

                async fn take_passkey_challenge(
                    &self,
                    challenge: &str,
                ) -> StoreResult<Option<(Option<UserId>, ChallengePurpose, OffsetDateTime)>> {
                    let mut tx = self.write().await?;
                    let row: Option<(Option<String>, String, i64)> = sqlx::query_as(
                        "SELECT user_id, purpose, created_at FROM passkey_challenges WHERE challenge = $1",
                    )
                    .bind(challenge)
                    .fetch_optional(&mut *tx)
                    .await
                    .ctx("failed to read the challenge")?;
                    let Some((user, purpose, created_at)) = row else {
                        return Ok(None);
                    };
                    let taken = sqlx::query("DELETE FROM passkey_challenges WHERE challenge = $1")
                        .bind(challenge)
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to use the challenge")?
                        .rows_affected();
                    tx.commit().await.ctx("failed to commit the challenge")?;
                    if taken == 0 {
                        return Ok(None);
                    }
                    let user = user.map(|u| uuid(&u).map(UserId)).transpose()?;
                    let purpose = ChallengePurpose::parse(&purpose)
                        .ok_or_else(|| bad("challenge purpose", &purpose))?;
                    Ok(Some((user, purpose, from_ms(created_at))))
                }

                async fn account_security(
                    &self,
                    account: &Csn,
                ) -> StoreResult<Option<AccountSecurity>> {
                    let row: Option<(String, i64, i64)> = sqlx::query_as(
                        "SELECT second_factor, grace_days, since FROM account_security WHERE account_csn = $1",
                    )
                    .bind(account.as_str())
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read the account's two-factor rule")?;
                    row.map(|(rule, grace_days, since)| {
                        Ok(AccountSecurity {
                            rule: kontor_core::domain::second_factor::TwoFactorRule::parse(&rule)
                                .ok_or_else(|| bad("two-factor rule", &rule))?,
                            grace_days,
                            since: from_ms(since),
                        })
                    })
                    .transpose()
                }

                async fn set_account_security(
                    &self,
                    account: &Csn,
                    security: &AccountSecurity,
                    audit: &AuditEntry,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query("DELETE FROM account_security WHERE account_csn = $1")
                        .bind(account.as_str())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to replace the two-factor rule")?;
                    sqlx::query(
                        "INSERT INTO account_security (account_csn, second_factor, grace_days, since) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(account.as_str())
                    .bind(security.rule.as_str())
                    .bind(security.grace_days)
                    .bind(ms(security.since))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to store the two-factor rule")?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit the two-factor rule")
                }

                async fn create_challenge(&self, c: &SigninChallenge) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query("DELETE FROM signin_challenges WHERE user_id = $1")
                        .bind(c.user_id.0.to_string())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to end earlier sign-in steps")?;
                    sqlx::query(
                        "INSERT INTO signin_challenges (id_hash, user_id, created_at, next, time_zone) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(&c.id_hash)
                    .bind(c.user_id.0.to_string())
                    .bind(ms(c.created_at))
                    .bind(&c.next)
                    .bind(&c.time_zone)
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to store the sign-in step")?;
                    tx.commit().await.ctx("failed to commit the sign-in step")
                }

                async fn challenge(
                    &self,
                    id_hash: &str,
                ) -> StoreResult<Option<(SigninChallenge, Actor)>> {
                    let row = sqlx::query_as::<_, ChallengeRow>(&format!(
                        "SELECT {USER_COLUMNS}, c.created_at AS challenged_at, c.next, c.time_zone AS reported_zone \
                         FROM signin_challenges c JOIN users u ON u.id = c.user_id \
                         WHERE c.id_hash = $1 AND u.disabled_at IS NULL"
                    ))
                    .bind(id_hash)
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read the sign-in step")?;
                    row.map(|r| {
                        let actor = r.user.actor()?;
                        Ok((
                            SigninChallenge {
                                id_hash: id_hash.to_owned(),
                                user_id: actor.user_id,
                                created_at: from_ms(r.challenged_at),
                                next: r.next,
                                time_zone: r.reported_zone,
                            },
                            actor,
                        ))
                    })
                    .transpose()
                }

                async fn delete_challenge(&self, id_hash: &str) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query("DELETE FROM signin_challenges WHERE id_hash = $1")
                        .bind(id_hash)
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to end the sign-in step")?;
                    tx.commit().await.ctx("failed to commit the sign-in step")
                }

                async fn reverify_session(&self, id_hash: &str, at: OffsetDateTime) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query("UPDATE sessions SET verified_at = $2, last_seen_at = $2 WHERE id_hash = $1")
                        .bind(id_hash)
                        .bind(ms(at))
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to record the proof")?;
                    tx.commit().await.ctx("failed to commit the proof")
                }
            }

            impl $store {
                /// Replaces every recovery code of `user` by `hashes`.
                async fn replace_codes(
                    tx: &mut $crate::backend::Conn<$store>,
                    user: UserId,
                    hashes: &[String],
                ) -> StoreResult<()> {
                    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                        .bind(user.0.to_string())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to remove recovery codes")?;
                    for hash in hashes {
                        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                            .bind(user.0.to_string())
                            .bind(hash)
                            .execute(&mut *tx)
                            .await
                            .ctx("failed to store a recovery code")?;
                    }
                    Ok(())
                }
            }
        }
    };
}
