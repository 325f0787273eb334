//! Changes of partner for many agreements at once in the portal (#22).

/// [`kontor_core::store::BulkRunStore`] for `$store`.
#[doc(hidden)]
#[macro_export]
macro_rules! bulk_runs_body {
    ($store:ty) => {
        pub(crate) mod bulk_runs {
            use async_trait::async_trait;
            use kontor_core::StoreResult;
            use kontor_core::domain::bulk_run::{BulkOutcome, BulkRun, BulkRunItem};
            use kontor_core::domain::change_request::{RequestId, RequestStatus};
            use kontor_core::domain::eligibility::ReasonCode;
            use kontor_core::domain::ids::AgreementNumber;
            use kontor_core::domain::roles::UserId;
            use kontor_core::store::BulkRunStore;
            use $crate::rows::{bad, csn, from_ms, json, ms, uuid};
            use $crate::{Backend, Ctx};

            #[async_trait]
            impl BulkRunStore for $store {
                async fn create_bulk_run(&self, run: &BulkRun) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    sqlx::query(
                        "INSERT INTO bulk_runs (id, account_csn, created_by, created_at) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(run.id.to_string())
                    .bind(run.account.as_str())
                    .bind(run.created_by.0.to_string())
                    .bind(ms(run.created_at))
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to start a bulk run")?;
                    for item in &run.items {
                        sqlx::query(
                            "INSERT INTO bulk_run_items (run_id, pos, agreement_number) VALUES ($1, $2, $3)",
                        )
                        .bind(run.id.to_string())
                        .bind(i64::from(item.pos))
                        .bind(item.agreement.as_str())
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to add an agreement to a bulk run")?;
                    }
                    tx.commit().await.ctx("failed to commit a bulk run")
                }

                async fn bulk_run(&self, id: uuid::Uuid) -> StoreResult<Option<BulkRun>> {
                    let head: Option<(String, String, i64, Option<String>, Option<i64>)> = sqlx::query_as(
                        "SELECT account_csn, created_by, created_at, new_partner_csn, submitted_at \
                         FROM bulk_runs WHERE id = $1",
                    )
                    .bind(id.to_string())
                    .fetch_optional(self.reader())
                    .await
                    .ctx("failed to read a bulk run")?;
                    let Some((account, by, at, partner, submitted)) = head else {
                        return Ok(None);
                    };
                    let rows: Vec<(i64, String, Option<String>, Option<String>, String, Option<String>)> =
                        sqlx::query_as(
                            "SELECT i.pos, i.agreement_number, i.outcome, i.request_id, i.reasons, r.status \
                             FROM bulk_run_items i LEFT JOIN change_requests r ON r.id = i.request_id \
                             WHERE i.run_id = $1 ORDER BY i.pos",
                        )
                        .bind(id.to_string())
                        .fetch_all(self.reader())
                        .await
                        .ctx("failed to read a bulk run's agreements")?;
                    let items = rows
                        .into_iter()
                        .map(|(pos, number, outcome, request, reasons, status)| {
                            let reasons: Vec<String> = serde_json::from_str(&reasons)
                                .map_err(|_| bad("reasons", &reasons))?;
                            Ok(BulkRunItem {
                                pos: u32::try_from(pos).map_err(|_| bad("position", &pos.to_string()))?,
                                agreement: AgreementNumber::parse(&number)
                                    .map_err(|_| bad("agreement number", &number))?,
                                outcome: outcome
                                    .as_deref()
                                    .map(|o| BulkOutcome::parse(o).ok_or_else(|| bad("outcome", o)))
                                    .transpose()?,
                                request: request.as_deref().map(uuid).transpose()?.map(RequestId),
                                request_status: status.as_deref().and_then(RequestStatus::parse),
                                reasons: reasons.iter().filter_map(|c| ReasonCode::parse(c)).collect(),
                            })
                        })
                        .collect::<StoreResult<Vec<_>>>()?;
                    Ok(Some(BulkRun {
                        id,
                        account: csn(&account)?,
                        created_by: UserId(uuid(&by)?),
                        created_at: from_ms(at),
                        new_partner: partner.as_deref().map(csn).transpose()?,
                        submitted_at: submitted.map(from_ms),
                        items,
                    }))
                }

                async fn finish_bulk_run(&self, run: &BulkRun) -> StoreResult<bool> {
                    let mut tx = self.write().await?;
                    let done = sqlx::query(
                        "UPDATE bulk_runs SET new_partner_csn = $1, submitted_at = $2 \
                         WHERE id = $3 AND submitted_at IS NULL",
                    )
                    .bind(run.new_partner.as_ref().map(|c| c.as_str().to_owned()))
                    .bind(run.submitted_at.map(ms))
                    .bind(run.id.to_string())
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to finish a bulk run")?
                    .rows_affected();
                    if done == 0 {
                        return Ok(false);
                    }
                    for item in &run.items {
                        let reasons: Vec<&str> = item.reasons.iter().map(|r| r.as_str()).collect();
                        sqlx::query(
                            "UPDATE bulk_run_items SET outcome = $1, request_id = $2, reasons = $3 \
                             WHERE run_id = $4 AND pos = $5",
                        )
                        .bind(item.outcome.map(|o| o.as_str()))
                        .bind(item.request.map(|r| r.0.to_string()))
                        .bind(json(&reasons)?)
                        .bind(run.id.to_string())
                        .bind(i64::from(item.pos))
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to record a bulk run's outcome")?;
                    }
                    tx.commit().await.ctx("failed to commit a bulk run's outcomes")?;
                    Ok(true)
                }
            }
        }
    };
}
