//! Reminders before the window for a partner change closes (#22).

/// [`kontor_core::store::ReminderStore`] for `$store`.
#[doc(hidden)]
#[macro_export]
macro_rules! reminders_body {
    ($store:ty) => {
        pub(crate) mod reminders {
            use std::collections::HashMap;

            use async_trait::async_trait;
            use kontor_core::StoreResult;
            use kontor_core::domain::agreement::Agreement;
            use kontor_core::domain::notify::OutboxMessage;
            use kontor_core::store::{ClosingAgreement, ReminderSent, ReminderStore};
            use time::OffsetDateTime;
            use $crate::rows::{AgreementRow, ms};
            use $crate::{Backend, Ctx};

            /// An agreement row with whether a change is open on it.
            #[derive(sqlx::FromRow)]
            struct ClosingRow {
                #[sqlx(flatten)]
                agreement: AgreementRow,
                open_request: bool,
            }

            #[async_trait]
            impl ReminderStore for $store {
                async fn closing_agreements(
                    &self,
                    from: time::Date,
                    to: time::Date,
                ) -> StoreResult<Vec<ClosingAgreement>> {
                    let rows: Vec<ClosingRow> = sqlx::query_as(&format!(
                        "SELECT {}, EXISTS (SELECT 1 FROM change_requests r \
                         WHERE r.agreement_number = a.number \
                         AND r.status IN ('pending', 'awaiting_partner')) AS open_request \
                         FROM agreements a WHERE a.status = 'active' AND a.kind = 'contract' \
                         AND a.term_end >= $1 AND a.term_end <= $2 ORDER BY a.term_end, a.number",
                        *super::agreements::AGREEMENT_COLUMNS
                    ))
                    .bind(from.to_string())
                    .bind(to.to_string())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to find agreements whose window closes")?;
                    let sent: Vec<(String, String, i64)> = sqlx::query_as(
                        "SELECT agreement_number, term_end, offset_days FROM reminders_sent \
                         WHERE kind = 'window_closing' AND term_end >= $1 AND term_end <= $2",
                    )
                    .bind(from.to_string())
                    .bind(to.to_string())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read the reminders sent")?;
                    let mut by_term: HashMap<(String, String), Vec<i64>> = HashMap::new();
                    for (number, term_end, offset) in sent {
                        by_term.entry((number, term_end)).or_default().push(offset);
                    }
                    rows.into_iter()
                        .map(|r| {
                            let agreement = Agreement::try_from(r.agreement)?;
                            let key = (
                                agreement.number.as_str().to_owned(),
                                agreement.term_end.to_string(),
                            );
                            Ok(ClosingAgreement {
                                sent: by_term.remove(&key).unwrap_or_default(),
                                open_request: r.open_request,
                                agreement,
                            })
                        })
                        .collect()
                }

                async fn record_reminders(
                    &self,
                    sent: &[ReminderSent],
                    at: OffsetDateTime,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<bool> {
                    let mut tx = self.write().await?;
                    for s in sent {
                        let inserted = sqlx::query(
                            "INSERT INTO reminders_sent (agreement_number, term_end, kind, \
                             offset_days, sent_at) VALUES ($1, $2, 'window_closing', $3, $4) \
                             ON CONFLICT DO NOTHING",
                        )
                        .bind(s.agreement.as_str())
                        .bind(s.term_end.to_string())
                        .bind(s.offset_days)
                        .bind(ms(at))
                        .execute(&mut *tx)
                        .await
                        .ctx("failed to record a reminder")?
                        .rows_affected();
                        if inserted == 0 {
                            // Another worker sent it: the mail would repeat it.
                            return Ok(false);
                        }
                    }
                    Self::insert_outbox(&mut tx, outbox, at).await?;
                    tx.commit().await.ctx("failed to commit the reminders")?;
                    Ok(true)
                }
            }
        }
    };
}
