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
            use kontor_core::domain::ids::AgreementNumber;
            use kontor_core::domain::notify::{BreachNotice, OutboxMessage};
            use kontor_core::domain::sla::{Breach, BreachOf};
            use kontor_core::store::DeadlineStore;
            use time::OffsetDateTime;
            use $crate::rows::{REQUEST_COLUMNS, RequestRow, bad, csn, from_ms, ms, uuid};
            use $crate::{Backend, Ctx};

            /// An open case or dispute with which of its deadlines passed
            /// untold.
            #[derive(sqlx::FromRow)]
            struct BreachRow {
                id: String,
                request_id: Option<String>,
                account_csn: String,
                agreement_number: Option<String>,
                respond_by: i64,
                resolve_by: i64,
                response_breached: bool,
                resolution_breached: bool,
            }

            /// The deadlines of `table`'s open rows passed before `$1` and
            /// not told, at most `$2`. A case's first response counts as
            /// given once support replied; a dispute's decision closes it.
            fn untold(of: BreachOf) -> String {
                let (select, response) = match of {
                    BreachOf::Case => (
                        "SELECT c.id, NULL AS request_id, c.account_csn, c.agreement_number, \
                         c.respond_by, c.resolve_by",
                        "c.first_response_at IS NULL AND c.respond_breach_mailed_at IS NULL AND c.respond_by < $1",
                    ),
                    BreachOf::Dispute => (
                        "SELECT c.id, c.request_id, c.account_csn, c.agreement_number, \
                         c.respond_by, c.resolve_by",
                        "c.respond_breach_mailed_at IS NULL AND c.respond_by < $1",
                    ),
                };
                let resolution = "c.resolve_breach_mailed_at IS NULL AND c.resolve_by < $1";
                format!(
                    "{select}, ({response}) AS response_breached, ({resolution}) AS resolution_breached \
                     FROM {} c WHERE c.status = 'open' AND (({response}) OR ({resolution})) \
                     ORDER BY c.respond_by, c.id LIMIT $2",
                    table(of)
                )
            }

            fn table(of: BreachOf) -> &'static str {
                match of {
                    BreachOf::Case => "support_cases",
                    BreachOf::Dispute => "disputes",
                }
            }

            #[async_trait]
            impl DeadlineStore for $store {
                async fn untold_breaches(
                    &self,
                    now: OffsetDateTime,
                    limit: u32,
                ) -> StoreResult<Vec<BreachNotice>> {
                    let mut out = Vec::new();
                    for of in [BreachOf::Case, BreachOf::Dispute] {
                        let left = i64::from(limit) - out.len() as i64;
                        if left <= 0 {
                            break;
                        }
                        let rows: Vec<BreachRow> = sqlx::query_as(&untold(of))
                            .bind(ms(now))
                            .bind(left)
                            .fetch_all(self.reader())
                            .await
                            .ctx("failed to find breached deadlines")?;
                        for r in rows {
                            let agreement = r
                                .agreement_number
                                .as_deref()
                                .map(|n| AgreementNumber::parse(n).map_err(|_| bad("agreement number", n)))
                                .transpose()?;
                            let request = r.request_id.as_deref().map(uuid).transpose()?;
                            for (breached, breach, due_at) in [
                                (r.response_breached, Breach::FirstResponse, r.respond_by),
                                (r.resolution_breached, Breach::Resolution, r.resolve_by),
                            ] {
                                if breached {
                                    out.push(BreachNotice {
                                        of,
                                        id: uuid(&r.id)?,
                                        request,
                                        account: csn(&r.account_csn)?,
                                        agreement: agreement.clone(),
                                        breach,
                                        due_at: from_ms(due_at),
                                    });
                                }
                            }
                        }
                    }
                    Ok(out)
                }

                async fn record_breaches(
                    &self,
                    breaches: &[BreachNotice],
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
                            "UPDATE {} SET {column} = $1 WHERE id = $2 AND {column} IS NULL",
                            table(b.of)
                        ))
                        .bind(ms(at))
                        .bind(b.id.to_string())
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
