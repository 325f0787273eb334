//! Delivering outbox messages: the delivery log, resends and webhook
//! endpoints. How deliveries are fanned out, claimed and finished differs
//! (see each backend's `deliveries.rs`).

/// [`kontor_core::store::DeliveryStore`] for `$store`.
#[doc(hidden)]
#[macro_export]
macro_rules! deliveries_body {
    ($store:ty) => {
        pub(crate) mod deliveries {
            use async_trait::async_trait;
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::domain::notify::{Contact, OutboxMessage};
            use kontor_core::domain::roles::Lang;
            use kontor_core::store::{
                AttemptRecord, AttemptResult, ClaimedDelivery, DeliveryFilter, DeliveryRecord,
                DeliveryStore, WebhookEndpoint,
            };
            use kontor_core::{StoreError, StoreResult};
            use sqlx::{QueryBuilder, Transaction};
            use time::OffsetDateTime;
            use uuid::Uuid;
            use $crate::backend::{Conn, DeliveryQueue};
            use $crate::deliveries::{
                AttemptRow, CLAIMED_COLUMNS, ClaimedRow, DELIVERY_COLUMNS, DeliveryRow, ENDPOINT_COLUMNS, EndpointRow, NewDelivery,
                PARKED, PendingOutboxRow, plan_fan_out,
            };
            use $crate::rows::{CONTACT_COLUMNS, ContactRow, json, ms};
            use $crate::{Backend, Ctx};

            type Db = <$store as Backend>::Db;

            #[async_trait]
            impl DeliveryStore for $store {
                async fn expand_outbox(&self, now: OffsetDateTime, limit: u32) -> StoreResult<u32> {
                    self.expand_outbox_batch(now, limit).await
                }

                async fn claim_deliveries(
                    &self,
                    now: OffsetDateTime,
                    lease: time::Duration,
                    limit: u32,
                ) -> StoreResult<Vec<ClaimedDelivery>> {
                    // A claim is a lease: it moves `next_attempt_at` to the end
                    // of the lease, so a claimed delivery is not due again until
                    // the lease runs out (a crashed sender's deliveries come back
                    // by themselves), and only the claim's holder may record the
                    // result. Rows another process is claiming are skipped.
                    let claim = Uuid::now_v7().to_string();
                    let mut tx = self.write_background().await?;
                    let seqs: Vec<i64> = sqlx::query_scalar(&format!(
                        "UPDATE deliveries SET claim = $1, next_attempt_at = $2, attempts = attempts + 1 \
                         WHERE seq IN (SELECT d.seq FROM deliveries d {} \
                           WHERE d.status = 'pending' AND d.next_attempt_at <= $3 \
                             AND NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = d.endpoint_id AND NOT e.enabled) \
                           ORDER BY d.next_attempt_at LIMIT $4 {}) \
                         RETURNING seq",
                        Self::DUE_DELIVERIES_INDEX,
                        Self::FOR_UPDATE_SKIP_LOCKED
                    ))
                    .bind(&claim)
                    .bind(ms(now + lease))
                    .bind(ms(now))
                    .bind(i64::from(limit))
                    .fetch_all(&mut *tx)
                    .await
                    .ctx("failed to claim deliveries")?;
                    if seqs.is_empty() {
                        return Ok(Vec::new());
                    }
                    let rows: Vec<ClaimedRow> = sqlx::query_as(&format!(
                        "SELECT {CLAIMED_COLUMNS} FROM deliveries d JOIN outbox o ON o.id = d.outbox_id \
                         LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id \
                         WHERE d.seq IN (SELECT CAST(value AS BIGINT) FROM {}) ORDER BY d.seq",
                        Self::json_values("$1")
                    ))
                    .bind(json(&seqs)?)
                    .fetch_all(&mut *tx)
                    .await
                    .ctx("failed to read claimed deliveries")?;
                    tx.commit().await.ctx("failed to commit claim")?;
                    rows.into_iter().map(TryInto::try_into).collect()
                }

                async fn finish_deliveries(&self, results: &[AttemptResult]) -> StoreResult<()> {
                    if results.is_empty() {
                        return Ok(());
                    }
                    self.finish_delivery_batch(results).await
                }

                async fn deliveries(&self, filter: &DeliveryFilter) -> StoreResult<Vec<DeliveryRecord>> {
                    let mut q: QueryBuilder<Db> = QueryBuilder::new(format!(
                        "SELECT {DELIVERY_COLUMNS} FROM deliveries d JOIN outbox o ON o.id = d.outbox_id WHERE d.seq > "
                    ));
                    q.push_bind(filter.after.unwrap_or(0));
                    if let Some(s) = filter.status {
                        q.push(" AND d.status = ").push_bind(s.as_str());
                    }
                    if let Some(c) = filter.channel {
                        q.push(" AND d.channel = ").push_bind(c.as_str());
                    }
                    if let Some(e) = filter.endpoint {
                        q.push(" AND d.endpoint_id = ").push_bind(e.to_string());
                    }
                    q.push(if filter.newest_first {
                        " ORDER BY d.seq DESC LIMIT "
                    } else {
                        " ORDER BY d.seq LIMIT "
                    })
                    .push_bind(i64::from(filter.limit));
                    q.build_query_as::<DeliveryRow>()
                        .fetch_all(self.reader())
                        .await
                        .ctx("failed to read deliveries")?
                        .into_iter()
                        .map(TryInto::try_into)
                        .collect()
                }

                async fn delivery_count(&self, status: kontor_core::domain::delivery::DeliveryStatus) -> StoreResult<i64> {
                    sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE status = $1")
                        .bind(status.as_str())
                        .fetch_one(self.reader())
                        .await
                        .ctx("failed to count deliveries")
                }

                async fn delivery(&self, id: Uuid) -> StoreResult<Option<DeliveryRecord>> {
                    sqlx::query_as::<_, DeliveryRow>(&format!(
                        "SELECT {DELIVERY_COLUMNS} FROM deliveries d JOIN outbox o ON o.id = d.outbox_id WHERE d.id = $1"
                    ))
                    .bind(id.to_string())
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read delivery")?
                    .map(TryInto::try_into)
                    .transpose()
                }

                async fn delivery_attempts(&self, id: Uuid) -> StoreResult<Vec<AttemptRecord>> {
                    let rows: Vec<AttemptRow> = sqlx::query_as(
                        "SELECT at, status_code, latency_ms, error FROM delivery_attempts WHERE delivery_id = $1 ORDER BY seq",
                    )
                    .bind(id.to_string())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read delivery attempts")?;
                    Ok(rows.into_iter().map(Into::into).collect())
                }

                async fn resend_delivery(
                    &self,
                    id: Uuid,
                    now: OffsetDateTime,
                    audit: &AuditEntry,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    let status: Option<String> =
                        sqlx::query_scalar(&format!("SELECT status FROM deliveries WHERE id = $1 {}", Self::FOR_UPDATE))
                            .bind(id.to_string())
                            .fetch_optional(&mut *tx)
                            .await
                            .ctx("failed to read delivery")?;
                    match status.as_deref() {
                        None => return Err(StoreError::NotFound),
                        Some("delivered") => return Err(StoreError::Conflict("delivered")),
                        Some(_) => {}
                    }
                    sqlx::query(
                        "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = $1, claim = NULL \
                         WHERE id = $2",
                    )
                    .bind(ms(now))
                    .bind(id.to_string())
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to queue delivery again")?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit resend")
                }

                async fn webhook_endpoints(&self) -> StoreResult<Vec<WebhookEndpoint>> {
                    sqlx::query_as::<_, EndpointRow>(&format!(
                        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints e ORDER BY e.created_at, e.id"
                    ))
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read webhook endpoints")?
                    .into_iter()
                    .map(TryInto::try_into)
                    .collect()
                }

                async fn webhook_endpoint(&self, id: Uuid) -> StoreResult<Option<WebhookEndpoint>> {
                    sqlx::query_as::<_, EndpointRow>(&format!(
                        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints e WHERE e.id = $1"
                    ))
                    .bind(id.to_string())
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read webhook endpoint")?
                    .map(TryInto::try_into)
                    .transpose()
                }

                async fn save_webhook_endpoint(
                    &self,
                    e: &WebhookEndpoint,
                    audit: &AuditEntry,
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query(
                        "INSERT INTO webhook_endpoints (id, url, description, event_types, secret, previous_secret, \
                         previous_secret_until, enabled, disabled_reason, failing_since, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                         ON CONFLICT (id) DO UPDATE SET url = excluded.url, description = excluded.description, \
                         event_types = excluded.event_types, secret = excluded.secret, previous_secret = excluded.previous_secret, \
                         previous_secret_until = excluded.previous_secret_until, enabled = excluded.enabled, \
                         disabled_reason = excluded.disabled_reason, failing_since = excluded.failing_since, \
                         updated_at = excluded.updated_at",
                    )
                    .bind(e.id.to_string())
                    .bind(&e.url)
                    .bind(&e.description)
                    .bind(json(&e.event_types)?)
                    .bind(&e.secret)
                    .bind(&e.previous_secret)
                    .bind(e.previous_secret_until.map(ms))
                    .bind(e.enabled)
                    .bind(&e.disabled_reason)
                    .bind(e.failing_since.map(ms))
                    .bind(ms(e.created_at))
                    .bind(ms(e.updated_at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to save webhook endpoint")?;
                    set_parked(&mut tx, e.id, !e.enabled, e.updated_at).await?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit().await.ctx("failed to commit webhook endpoint")
                }

                async fn delete_webhook_endpoint(&self, id: Uuid, audit: &AuditEntry) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    // The log of the endpoint's deliveries goes with it (ON DELETE CASCADE).
                    let n = sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1")
                        .bind(id.to_string())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to delete webhook endpoint")?
                        .rows_affected();
                    if n == 0 {
                        return Err(StoreError::NotFound);
                    }
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    tx.commit()
                        .await
                        .ctx("failed to commit webhook endpoint removal")
                }

                async fn disable_webhook_endpoint(
                    &self,
                    id: Uuid,
                    reason: &str,
                    audit: &AuditEntry,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<bool> {
                    let mut tx = self.write().await?;
                    let n = sqlx::query(
                        "UPDATE webhook_endpoints SET enabled = FALSE, disabled_reason = $1, updated_at = $2 \
                         WHERE id = $3 AND enabled",
                    )
                    .bind(reason)
                    .bind(ms(audit.at))
                    .bind(id.to_string())
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to disable webhook endpoint")?
                    .rows_affected();
                    if n == 0 {
                        return Ok(false);
                    }
                    set_parked(&mut tx, id, true, audit.at).await?;
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    Self::insert_outbox(&mut tx, outbox, audit.at).await?;
                    tx.commit()
                        .await
                        .ctx("failed to commit webhook endpoint disabling")?;
                    Ok(true)
                }

                async fn failing_endpoints(&self, before: OffsetDateTime) -> StoreResult<Vec<WebhookEndpoint>> {
                    sqlx::query_as::<_, EndpointRow>(&format!(
                        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints e \
                         WHERE e.enabled AND e.failing_since IS NOT NULL AND e.failing_since < $1"
                    ))
                    .bind(ms(before))
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read failing webhook endpoints")?
                    .into_iter()
                    .map(TryInto::try_into)
                    .collect()
                }

                async fn operators(&self) -> StoreResult<Vec<Contact>> {
                    let rows: Vec<ContactRow> = sqlx::query_as(&format!(
                        "SELECT {CONTACT_COLUMNS} FROM users u WHERE u.role = 'operator' \
                         AND u.disabled_at IS NULL ORDER BY u.email",
                    ))
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read operators")?;
                    Ok(rows.into_iter().map(Contact::from).collect())
                }
            }

            /// Parks the pending deliveries of a disabled endpoint (never due), or
            /// makes the parked ones of an enabled endpoint due at `now`.
            async fn set_parked(
                conn: &mut Conn<$store>,
                endpoint: Uuid,
                parked: bool,
                now: OffsetDateTime,
            ) -> StoreResult<()> {
                let (to, from_cond) = if parked {
                    (PARKED, "<>")
                } else {
                    (ms(now), "=")
                };
                sqlx::query(&format!(
                    "UPDATE deliveries SET next_attempt_at = $1 WHERE endpoint_id = $2 AND status = 'pending' \
                     AND next_attempt_at {from_cond} $3"
                ))
                .bind(to)
                .bind(endpoint.to_string())
                .bind(PARKED)
                .execute(&mut *conn)
                .await
                .ctx("failed to park or resume the endpoint's deliveries")?;
                Ok(())
            }

            /// Takes up to `limit` pending outbox messages (skipping those
            /// another process took) and plans one delivery per recipient:
            /// the ids of the messages, and their deliveries.
            pub(crate) async fn pending_fan_out(
                conn: &mut Conn<$store>,
                limit: u32,
            ) -> StoreResult<(Vec<String>, Vec<NewDelivery>)> {
                let rows: Vec<PendingOutboxRow> = sqlx::query_as(&format!(
                    "SELECT id, payload FROM outbox WHERE status = 'pending' ORDER BY next_attempt_at LIMIT $1 {}",
                    <$store as Backend>::FOR_UPDATE_SKIP_LOCKED
                ))
                .bind(i64::from(limit))
                .fetch_all(&mut *conn)
                .await
                .ctx("failed to read the outbox")?;
                if rows.is_empty() {
                    return Ok((Vec::new(), Vec::new()));
                }
                let endpoints: Vec<WebhookEndpoint> = sqlx::query_as::<_, EndpointRow>(&format!(
                    "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints e WHERE e.enabled"
                ))
                .fetch_all(&mut *conn)
                .await
                .ctx("failed to read webhook endpoints")?
                .into_iter()
                .map(TryInto::try_into)
                .collect::<StoreResult<_>>()?;
                let planned = plan_fan_out(&rows, &endpoints)?;
                Ok((rows.into_iter().map(|r| r.id).collect(), planned))
            }

            /// Marks the outbox messages `ids`, whose deliveries are queued
            /// in `tx`, handed over and commits; the number of messages.
            pub(crate) async fn hand_over(
                mut tx: Transaction<'static, Db>,
                ids: &[String],
                now: OffsetDateTime,
            ) -> StoreResult<u32> {
                sqlx::query(&format!(
                    "UPDATE outbox SET status = 'delivered', delivered_at = $1 WHERE id IN (SELECT value FROM {})",
                    <$store as Backend>::json_values("$2")
                ))
                .bind(ms(now))
                .bind(json(&ids)?)
                .execute(&mut *tx)
                .await
                .ctx("failed to mark outbox messages handed over")?;
                tx.commit().await.ctx("failed to commit fan-out")?;
                Ok(u32::try_from(ids.len()).unwrap_or(u32::MAX))
            }
        }
    };
}
