//! Agreements, partner history and financial transactions.

/// [`kontor_core::store::AgreementStore`] for `$store`, and the agreement
/// writes other operations share.
#[doc(hidden)]
#[macro_export]
macro_rules! agreements_body {
    ($store:ty) => {
        pub(crate) mod agreements {
            use std::sync::LazyLock;

            use async_trait::async_trait;
            use kontor_core::StoreResult;
            use kontor_core::domain::agreement::{Agreement, AssignmentSource, PartnerAssignment, SupportLevel};
            use kontor_core::domain::audit::AuditEntry;
            use kontor_core::domain::change_request::RequestId;
            use kontor_core::domain::ids::{AgreementNumber, Csn};
            use kontor_core::store::{
                AgreementFilter, AgreementOrder, AgreementState, AgreementStore, RenewalAtTransaction, Scope,
                Transaction,
            };
            use kontor_core::domain::notify::OutboxMessage;
            use serde_json::json;
            use sqlx::QueryBuilder;
            use time::OffsetDateTime;
            use $crate::backend::Conn;
            use $crate::rows::{
                AgreementRow, AgreementWithRequestRow, RENEWAL_COLUMNS_OPT, RENEWAL_JOIN, REQUEST_COLUMNS_OPT, bad, csn, from_ms, json, ms,
            };
            use $crate::scope::push_agreement_scope;
            use $crate::{Backend, Ctx};

            type Db = <$store as Backend>::Db;

            /// The columns of [`AgreementRow`] on agreements aliased `a`, with the
            /// current partners as a sorted JSON array.
            pub(crate) static AGREEMENT_COLUMNS: LazyLock<String> = LazyLock::new(|| {
                format!(
                    "a.number, a.account_csn, a.term_start, a.term_end, a.auto_renew, a.program, \
                     a.support_level, a.status, a.products, {} AS partners",
                    <$store as Backend>::CURRENT_PARTNERS
                )
            });

            #[async_trait]
            impl AgreementStore for $store {
                async fn agreement_state(
                    &self,
                    scope: &Scope,
                    number: &AgreementNumber,
                ) -> StoreResult<Option<AgreementState>> {
                    if matches!(scope, Scope::All) {
                        return self.unscoped_agreement_state(number).await;
                    }
                    read_agreement_state(self, scope, number).await
                }

                async fn agreements(&self, scope: &Scope, f: &AgreementFilter) -> StoreResult<Vec<Agreement>> {
                    let mut q: QueryBuilder<Db> = QueryBuilder::new(format!(
                        "SELECT {} FROM agreements a WHERE 1 = 1", *AGREEMENT_COLUMNS
                    ));
                    push_agreement_scope(&mut q, scope);
                    // Keyset pages: strictly past the previous page's last row
                    // in the list's order (row values compare column by column).
                    let past = if f.order.descending() { "<" } else { ">" };
                    match (f.order, &f.after, f.after_term_end) {
                        (AgreementOrder::TermEnd | AgreementOrder::TermEndDesc, Some(after), Some(end)) => {
                            q.push(format!(" AND (a.term_end, a.number) {past} ("))
                                .push_bind(end.to_string())
                                .push(", ")
                                .push_bind(after.as_str().to_owned())
                                .push(")");
                        }
                        (_, Some(after), _) => {
                            q.push(format!(" AND a.number {past} "))
                                .push_bind(after.as_str().to_owned());
                        }
                        (_, None, _) => {}
                    }
                    if let Some(account) = &f.account {
                        q.push(" AND a.account_csn = ")
                            .push_bind(account.as_str().to_owned());
                    }
                    if let Some(kind) = f.kind {
                        q.push(" AND a.kind = ").push_bind(kind.as_str());
                    }
                    if let Some(status) = f.status {
                        q.push(" AND a.status = ").push_bind(status.as_str());
                    }
                    if let Some(p) = &f.partner {
                        q.push(
                            " AND EXISTS (SELECT 1 FROM partner_assignments px WHERE px.agreement_number = a.number \
                             AND px.valid_to IS NULL AND px.partner_csn = ",
                        )
                        .push_bind(p.as_str().to_owned())
                        .push(")");
                    }
                    // Words find products and current partners by name; a
                    // number (spaces and dashes allowed) finds agreements by
                    // their number and current partners by their CSN.
                    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                        let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
                        let like = format!("%{}%", text.to_lowercase().replace(['%', '_'], ""));
                        q.push(" AND (lower(a.products) LIKE ").push_bind(like.clone());
                        q.push(
                            " OR a.number IN (SELECT pn.agreement_number FROM partner_assignments pn \
                             WHERE pn.valid_to IS NULL AND pn.partner_csn IN \
                             (SELECT pp.csn FROM partners pp WHERE lower(pp.name) LIKE ",
                        )
                        .push_bind(like)
                        .push("))");
                        if !digits.is_empty()
                            && digits.len() == text.chars().filter(|c| !matches!(c, ' ' | '-')).count()
                        {
                            q.push(" OR a.number LIKE ").push_bind(format!("{digits}%"));
                            q.push(
                                " OR a.number IN (SELECT pc.agreement_number FROM partner_assignments pc \
                                 WHERE pc.valid_to IS NULL AND pc.partner_csn LIKE ",
                            )
                            .push_bind(format!("{digits}%"))
                            .push(")");
                        }
                        q.push(")");
                    }
                    q.push(match f.order {
                        AgreementOrder::Number => " ORDER BY a.number",
                        AgreementOrder::NumberDesc => " ORDER BY a.number DESC",
                        AgreementOrder::TermEnd => " ORDER BY a.term_end, a.number",
                        AgreementOrder::TermEndDesc => " ORDER BY a.term_end DESC, a.number DESC",
                    });
                    q.push(" LIMIT ")
                        .push_bind(i64::from(f.limit));
                    let rows: Vec<AgreementRow> = q
                        .build_query_as()
                        .fetch_all(self.reader())
                        .await
                        .ctx("failed to list agreements")?;
                    rows.into_iter().map(Agreement::try_from).collect()
                }

                async fn serving_partners(&self, scope: &Scope) -> StoreResult<Vec<(Csn, String)>> {
                    let mut q: QueryBuilder<Db> = QueryBuilder::new(
                        "SELECT p.csn, p.name FROM partners p WHERE p.csn IN \
                         (SELECT pa.partner_csn FROM partner_assignments pa \
                         JOIN agreements a ON a.number = pa.agreement_number WHERE pa.valid_to IS NULL",
                    );
                    push_agreement_scope(&mut q, scope);
                    q.push(") ORDER BY p.name, p.csn");
                    let rows: Vec<(String, String)> = q
                        .build_query_as()
                        .fetch_all(self.reader())
                        .await
                        .ctx("failed to read the serving partners")?;
                    rows.into_iter().map(|(c, name)| Ok((csn(&c)?, name))).collect()
                }

                async fn support_levels(&self, scope: &Scope) -> StoreResult<Vec<SupportLevel>> {
                    // One probe per level over (account_csn, support_level):
                    // an account of 300k agreements answers as fast as one
                    // of three, where a GROUP BY would read every row.
                    let mut levels = Vec::new();
                    for level in SupportLevel::ALL {
                        let mut q: QueryBuilder<Db> = QueryBuilder::new(
                            "SELECT EXISTS (SELECT 1 FROM agreements a WHERE a.status = 'active' AND a.support_level = ",
                        );
                        q.push_bind(level.as_str());
                        push_agreement_scope(&mut q, scope);
                        q.push(")");
                        let found: bool = q
                            .build_query_scalar()
                            .fetch_one(self.reader())
                            .await
                            .ctx("failed to read support levels")?;
                        if found {
                            levels.push(*level);
                        }
                    }
                    Ok(levels)
                }

                async fn partner_history(
                    &self,
                    number: &AgreementNumber,
                ) -> StoreResult<Vec<PartnerAssignment>> {
                    let rows: Vec<(String, String, i64, Option<i64>, String)> = sqlx::query_as(
                        "SELECT pa.partner_csn, p.name, pa.valid_from, pa.valid_to, pa.source \
                         FROM partner_assignments pa JOIN partners p ON p.csn = pa.partner_csn \
                         WHERE pa.agreement_number = $1 ORDER BY pa.valid_from, pa.id",
                    )
                    .bind(number.as_str())
                    .fetch_all(self.reader())
                    .await
                    .ctx("failed to read partner history")?;
                    rows.into_iter()
                        .map(|(p, name, from, to, source)| {
                            Ok(PartnerAssignment {
                                partner: csn(&p)?,
                                partner_name: name,
                                valid_from: from_ms(from),
                                valid_to: to.map(from_ms),
                                source: AssignmentSource::parse(&source)
                                    .ok_or_else(|| bad("assignment source", &source))?,
                            })
                        })
                        .collect()
                }

                async fn record_transaction(
                    &self,
                    t: &Transaction,
                    updated: &Agreement,
                    audit: &[AuditEntry],
                    renewal: &RenewalAtTransaction,
                    outbox: &[OutboxMessage],
                ) -> StoreResult<()> {
                    let mut tx = self.write().await?;
                    // What the service saw of a partner named for the
                    // renewal must still hold: the worker may have applied
                    // it, or an admin named or withdrawn one, meanwhile.
                    let seen = match renewal {
                        RenewalAtTransaction::Unaffected => None,
                        RenewalAtTransaction::NoneNamed => Some(None),
                        RenewalAtTransaction::Applies(r) => Some(Some(r.id.to_string())),
                    };
                    if let Some(seen) = seen {
                        <$store as Backend>::lock_partners_of(&mut tx, &t.agreement).await?;
                        let now = super::renewals::scheduled_for(&mut tx, &t.agreement).await?;
                        if now != seen {
                            return Err(kontor_core::StoreError::Conflict("renewal_partner"));
                        }
                    }
                    if let RenewalAtTransaction::Applies(decided) = renewal
                        && !super::renewals::mark_decided(&mut tx, decided).await?
                    {
                        return Err(kontor_core::StoreError::Conflict("renewal_partner"));
                    }
                    let details = json(
                        &json!({ "term_end": t.term_end.map(|d| d.to_string()), "product": t.product, "replaces": t.replaces }),
                    )?;
                    sqlx::query(
                        "INSERT INTO transactions (id, agreement_number, kind, partner_csn, recorded_by, recorded_at, details) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(t.id.to_string())
                    .bind(t.agreement.as_str())
                    .bind(t.kind.as_str())
                    .bind(t.partner.as_str())
                    .bind(t.recorded_by.0.to_string())
                    .bind(ms(t.recorded_at))
                    .bind(details)
                    .execute(&mut *tx)
                    .await
                    .ctx("failed to insert transaction")?;
                    update_agreement(&mut tx, updated).await?;
                    replace_partners(
                        &mut tx,
                        &updated.number,
                        &updated.partners,
                        t.recorded_at,
                        AssignmentSource::Transaction,
                        None,
                    )
                    .await?;
                    <$store as Backend>::insert_audit(&mut tx, audit).await?;
                    Self::insert_outbox(&mut tx, outbox, t.recorded_at).await?;
                    tx.commit().await.ctx("failed to commit transaction")
                }
            }

            /// Writes the agreement's own columns (not its partners).
            pub(crate) async fn update_agreement(conn: &mut Conn<$store>, a: &Agreement) -> StoreResult<()> {
                sqlx::query(
                    "UPDATE agreements SET term_start = $1, term_end = $2, auto_renew = $3, program = $4, \
                     support_level = $5, status = $6, products = $7 WHERE number = $8",
                )
                .bind(a.term_start.to_string())
                .bind(a.term_end.to_string())
                .bind(a.auto_renew)
                .bind(a.program.as_str())
                .bind(a.support_level.as_str())
                .bind(a.status.as_str())
                .bind(json(&a.products)?)
                .bind(a.number.as_str())
                .execute(conn)
                .await
                .ctx("failed to update agreement")?;
                Ok(())
            }

            /// Makes `partners` the partners of record from `at` on: closes the open
            /// assignments of others and opens one for each new partner. History rows
            /// are only ever closed, never changed or removed.
            pub(crate) async fn replace_partners(
                conn: &mut Conn<$store>,
                number: &AgreementNumber,
                partners: &[Csn],
                at: OffsetDateTime,
                source: AssignmentSource,
                request: Option<RequestId>,
            ) -> StoreResult<()> {
                let wanted = json(&partners.iter().map(Csn::as_str).collect::<Vec<_>>())?;
                // Serialises with other writers of this agreement's partners.
                <$store as Backend>::lock_partners_of(&mut *conn, number).await?;
                sqlx::query(
                    &format!(
                        "UPDATE partner_assignments SET valid_to = $1 WHERE agreement_number = $2 AND valid_to IS NULL \
                         AND partner_csn NOT IN (SELECT value FROM {})",
                        <$store as Backend>::json_values("$3")
                    ),
                )
                .bind(ms(at))
                .bind(number.as_str())
                .bind(&wanted)
                .execute(&mut *conn)
                .await
                .ctx("failed to close partner assignments")?;
                sqlx::query(
                    &format!(
                        "INSERT INTO partner_assignments (agreement_number, partner_csn, valid_from, source, change_request_id) \
                         SELECT $1, value, $2, $3, $4 FROM {} WHERE value NOT IN \
                         (SELECT partner_csn FROM partner_assignments WHERE agreement_number = $1 AND valid_to IS NULL)",
                        <$store as Backend>::json_values("$5")
                    ),
                )
                .bind(number.as_str())
                .bind(ms(at))
                .bind(source.as_str())
                .bind(request.map(|r| r.0.to_string()))
                .bind(&wanted)
                .execute(&mut *conn)
                .await
                .ctx("failed to open partner assignments")?;
                Ok(())
            }

            /// The agreement-state query up to the agreement's number: an
            /// agreement with its current partners, its open request and its
            /// scheduled renewal partner in one query (the eligibility read
            /// path is the hottest route). A scope's condition may follow
            /// the number.
            pub(crate) static STATE_SELECT: LazyLock<String> = LazyLock::new(|| {
                format!(
                    "SELECT {}, {REQUEST_COLUMNS_OPT}, {RENEWAL_COLUMNS_OPT} FROM agreements a {} \
                     {RENEWAL_JOIN} WHERE a.number = ",
                    *AGREEMENT_COLUMNS,
                    <$store as Backend>::OPEN_REQUEST_JOIN,
                )
            });

            /// The unscoped agreement-state query, for a backend that runs
            /// it outside sqlx (SQLite's inline reads).
            #[allow(dead_code)]
            pub(crate) static UNSCOPED_STATE: LazyLock<String> =
                LazyLock::new(|| format!("{}$1", *STATE_SELECT));

            /// An agreement in `scope` with its current partners and its open request,
            /// in one query: the eligibility read path is the hottest route.
            pub(crate) async fn read_agreement_state(
                store: &$store,
                scope: &Scope,
                number: &AgreementNumber,
            ) -> StoreResult<Option<AgreementState>> {
                let mut q: QueryBuilder<Db> = QueryBuilder::new(STATE_SELECT.as_str());
                q.push_bind(number.as_str().to_owned());
                push_agreement_scope(&mut q, scope);
                let Some(row) = q
                    .build_query_as::<AgreementWithRequestRow>()
                    .fetch_optional(store.reader())
                    .await
                    .ctx("failed to read agreement")?
                else {
                    return Ok(None);
                };
                row.state().map(Some)
            }

        }
    };
}
