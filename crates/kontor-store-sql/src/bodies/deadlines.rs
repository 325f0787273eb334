//! Service-level deadlines (#22): breaches of support cases and escalations
//! of unanswered acceptance requests, each told once.

/// [`kontor_core::store::DeadlineStore`] for `$store`.
#[doc(hidden)]
#[macro_export]
macro_rules! deadlines_body {
    ($store:ty) => {
        pub(crate) mod deadlines {
            use async_trait::async_trait;
            use kontor_core::StoreResult;
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::domain::change_request::{ChangeRequest, RequestId};
            use kontor_core::domain::notify::OutboxMessage;
            use kontor_core::domain::sla::Breach;
            use kontor_core::domain::support::SupportCase;
            use kontor_core::store::{CaseBreach, DeadlineStore};
            use time::OffsetDateTime;
            use $crate::rows::{CASE_COLUMNS, CaseRow, REQUEST_COLUMNS, RequestRow, ms};
            use $crate::{Backend, Ctx};

            /// A case row with which of its deadlines passed untold.
            #[derive(sqlx::FromRow)]
            struct BreachRow {
                #[sqlx(flatten)]
                case: CaseRow,
                response_breached: bool,
                resolution_breached: bool,
            }

            #[async_trait]
            impl DeadlineStore for $store {
                async fn untold_breaches(
                    &self,
                    now: OffsetDateTime,
                    limit: u32,
                ) -> StoreResult<Vec<CaseBreach>> {
                    // A first response counts as given once support replied;
                    // a resolved case is answered and resolved.
                    let rows: Vec<BreachRow> = sqlx::query_as(&format!(
                        "SELECT {CASE_COLUMNS}, \
                         (c.first_response_at IS NULL AND c.respond_breach_mailed_at IS NULL \
                          AND c.respond_by < $1) AS response_breached, \
                         (c.resolve_breach_mailed_at IS NULL AND c.resolve_by < $1) AS resolution_breached \
                         FROM support_cases c WHERE c.status = 'open' AND (\
                         (c.first_response_at IS NULL AND c.respond_breach_mailed_at IS NULL AND c.respond_by < $1) \
                         OR (c.resolve_breach_mailed_at IS NULL AND c.resolve_by < $1)) \
                         ORDER BY c.respond_by, c.id LIMIT $2"
                    ))
                    .bind(ms(now))
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to find breached deadlines")?;
                    let mut out = Vec::with_capacity(rows.len());
                    for r in rows {
                        let (response, resolution) = (r.response_breached, r.resolution_breached);
                        let case = SupportCase::try_from(r.case)?;
                        for (breached, breach) in [
                            (response, Breach::FirstResponse),
                            (resolution, Breach::Resolution),
                        ] {
                            if breached {
                                out.push(CaseBreach {
                                    case: case.clone(),
                                    breach,
                                });
                            }
                        }
                    }
                    Ok(out)
                }

                async fn record_breaches(
                    &self,
                    breaches: &[CaseBreach],
                    at: OffsetDateTime,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<bool> {
                    let mut tx = self.write().await?;
                    for b in breaches {
                        let column = match b.breach {
                            Breach::FirstResponse => "respond_breach_mailed_at",
                            Breach::Resolution => "resolve_breach_mailed_at",
                        };
                        let told = sqlx::query(&format!(
                            "UPDATE support_cases SET {column} = $1 WHERE id = $2 AND {column} IS NULL"
                        ))
                        .bind(ms(at))
                        .bind(b.case.id.to_string())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to record a breach as told")?
                        .rows_affected();
                        if told == 0 {
                            // Another worker told it: the mail would repeat it.
                            return Ok(false);
                        }
                    }
                    Self::insert_outbox(&mut tx, outbox, at).await?;
                    tx.commit().await.ctx("failed to commit the breaches")?;
                    Ok(true)
                }

                async fn unescalated_requests(
                    &self,
                    now: OffsetDateTime,
                    until: OffsetDateTime,
                    limit: u32,
                ) -> StoreResult<Vec<ChangeRequest>> {
                    let rows: Vec<RequestRow> = sqlx::query_as(&format!(
                        "SELECT {REQUEST_COLUMNS} {}",
                        <$store as Backend>::AWAITING_UNESCALATED_FROM
                    ))
                    .bind(ms(now))
                    .bind(ms(until))
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to find requests to escalate")?;
                    rows.into_iter().map(TryInto::try_into).collect()
                }

                async fn record_escalation(
                    &self,
                    request: RequestId,
                    at: OffsetDateTime,
                    audit: &AuditEntry,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<bool> {
                    let mut tx = self.write().await?;
                    let escalated = sqlx::query(
                        "INSERT INTO request_escalations (request_id, escalated_at) \
                         SELECT r.id, $2 FROM change_requests r \
                         WHERE r.id = $1 AND r.status = 'awaiting_partner' AND r.due_at > $2 \
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(request.0.to_string())
                    .bind(ms(at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to record an escalation")?
                    .rows_affected();
                    if escalated == 0 {
                        return Ok(false);
                    }
                    Self::insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
                    Self::insert_outbox(&mut tx, outbox, at).await?;
                    tx.commit().await.ctx("failed to commit the escalation")?;
                    Ok(true)
                }
            }
        }
    };
}
