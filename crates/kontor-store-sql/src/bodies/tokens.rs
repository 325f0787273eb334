//! API tokens.

/// [`kontor_core::store::TokenStore`] for `$store`.
#[doc(hidden)]
#[macro_export]
macro_rules! tokens_body {
    ($store:ty) => {
        pub(crate) mod tokens {
            use async_trait::async_trait;
            use kontor_core::StoreResult;
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::domain::roles::{Actor, UserId};
            use kontor_core::store::{NewToken, TokenRecord, TokenStore};
            use time::OffsetDateTime;
            use $crate::rows::{TokenRow, USER_COLUMNS, UserRow, ms};
            use $crate::{Backend, Ctx};

            #[async_trait]
            impl TokenStore for $store {
                async fn insert_token(&self, token: &NewToken, audit: &AuditEntry) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query(
                        "INSERT INTO api_tokens (id, user_id, token_hash, label, created_at, expires_at) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                        .bind(token.id.to_string())
                        .bind(token.user_id.0.to_string())
                        .bind(&token.token_hash)
                        .bind(&token.label)
                        .bind(ms(token.created_at))
                        .bind(token.expires_at.map(ms))
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to insert token")?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit token")
                }

                async fn actor_by_token(
                    &self,
                    token_hash: &str,
                    at: OffsetDateTime,
                ) -> StoreResult<Option<Actor>> {
                    let row = sqlx::query_as::<_, UserRow>(&format!(
                        "SELECT {USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
                         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL \
                         AND (t.expires_at IS NULL OR t.expires_at > $2)"
                    ))
                    .bind(token_hash)
                    .bind(ms(at))
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read token")?;
                    row.map(|r| r.actor()).transpose()
                }

                async fn tokens_of(&self, user: UserId) -> StoreResult<Vec<TokenRecord>> {
                    let rows: Vec<TokenRow> = sqlx::query_as(
                        "SELECT id, user_id, label, created_at, revoked_at, expires_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC",
                    )
                    .bind(user.0.to_string())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read tokens")?;
                    rows.into_iter().map(TryInto::try_into).collect()
                }

                async fn token(&self, id: uuid::Uuid) -> StoreResult<Option<TokenRecord>> {
                    sqlx::query_as::<_, TokenRow>(
                        "SELECT id, user_id, label, created_at, revoked_at, expires_at FROM api_tokens WHERE id = $1",
                    )
                    .bind(id.to_string())
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read token")?
                    .map(TryInto::try_into)
                    .transpose()
                }

                async fn revoke_token(
                    &self,
                    id: uuid::Uuid,
                    at: OffsetDateTime,
                    audit: &AuditEntry,
                ) -> StoreResult<String> {
                    let mut tx = self.write().await?;
                    let hash: Option<String> = sqlx::query_scalar(
                        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING token_hash",
                    )
                    .bind(ms(at))
                    .bind(id.to_string())
                    .fetch_optional(&mut *tx)
                    .await
                    .ctx("failed to revoke token")?;
                    let Some(hash) = hash else {
                        return Err(kontor_core::StoreError::NotFound);
                    };
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit token revocation")?;
                    Ok(hash)
                }

                async fn revoke_access(
                    &self,
                    user: UserId,
                    at: OffsetDateTime,
                    audit: &AuditEntry,
                ) -> StoreResult<(u64, u64)> {
                    let mut tx = self.write().await?;
                    let id = user.0.to_string();
                    let tokens = sqlx::query(
                        "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
                    )
                    .bind(ms(at))
                    .bind(&id)
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to revoke tokens")?
                    .rows_affected();
                    let sessions = super::directory::end_sessions(&mut tx, &id).await?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit()
                        .await
                        .ctx("failed to commit access revocation")?;
                    Ok((tokens, sessions))
                }
            }
        }
    };
}
