//! The append-only audit log. How other processes follow it (the change
//! feed) differs per backend.

/// [`kontor_core::store::AuditStore`] for `$store`.
#[doc(hidden)]
#[macro_export]
macro_rules! audit_body {
    ($store:ty) => {
        pub(crate) mod audit {
            use async_trait::async_trait;
            use kontor_core::StoreResult;
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::store::{AuditFilter, AuditRecord, AuditStore, ChangeFeed, Scope};
            use sqlx::QueryBuilder;
            use $crate::rows::AuditRow;
            use $crate::scope::push_audit_scope;
            use $crate::backend::ChangeFeedSource;
            use $crate::{Backend, Ctx};

            type Db = <$store as Backend>::Db;

            #[async_trait]
            impl AuditStore for $store {
                async fn audit(&self, scope: &Scope, filter: &AuditFilter) -> StoreResult<Vec<AuditRecord>> {
                    let mut q: QueryBuilder<Db> = QueryBuilder::new(
                        "SELECT seq, id, at, actor_id, actor, action, account_csn, agreement_number, request_id, before, after \
                         FROM audit WHERE seq > ",
                    );
                    q.push_bind(filter.after.unwrap_or(0));
                    if !push_audit_scope(&mut q, scope) {
                        return Ok(Vec::new());
                    }
                    if let Some(a) = &filter.agreement {
                        q.push(" AND agreement_number = ").push_bind(a.as_str());
                    }
                    if let Some(a) = &filter.account {
                        q.push(" AND account_csn = ").push_bind(a.as_str());
                    }
                    if let Some(a) = filter.action {
                        q.push(" AND action = ").push_bind(a.as_str());
                    }
                    q.push(" ORDER BY seq LIMIT ")
                        .push_bind(i64::from(filter.limit));
                    let rows: Vec<AuditRow> = q
                        .build_query_as()
                        .fetch_all(self.reader())
                        .await
                        .ctx("failed to read audit log")?;
                    rows.into_iter().map(AuditRecord::try_from).collect()
                }

                async fn feed_position(&self) -> StoreResult<i64> {
                    self.feed_head().await
                }

                async fn changes_since(&self, position: i64) -> StoreResult<ChangeFeed> {
                    self.feed_since(position).await
                }

                async fn append_audit(&self, entries: &[AuditEntry]) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    Self::insert_audit(&mut tx, entries).await?;
                    tx.commit().await.ctx("failed to commit audit entries")
                }
            }
        }
    };
}
