//! Financial transactions (R3): the partner named on the transaction becomes
//! the partner of record when it completes.

use serde_json::{Value, json};
use time::{Date, OffsetDateTime};

use super::Services;
use super::renewal::renewal_changed;
use crate::domain::agreement::{Agreement, AgreementStatus, ProductLine};
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::eligibility;
use crate::domain::ids::{AgreementNumber, Csn};
use crate::domain::notify::{ChangeEvent, renewal_emails};
use crate::domain::renewal::{RenewalPartner, RenewalStatus};
use crate::domain::roles::{Actor, Role};
use crate::error::{Error, FieldError, Result, StoreError, Text};
use crate::store::{RenewalAtTransaction, Transaction, TransactionKind};

/// A transaction as entered.
#[derive(Debug, Clone)]
pub struct NewTransaction {
    /// The agreement.
    pub agreement: AgreementNumber,
    /// What kind.
    pub kind: TransactionKind,
    /// The partner placing it.
    pub partner: Csn,
    /// New term end (renewal, switch_term).
    pub term_end: Option<Date>,
    /// Product line added or upgraded to (add_seats, upgrade).
    pub product: Option<ProductLine>,
    /// Product name replaced (upgrade).
    pub replaces: Option<String>,
}

impl NewTransaction {
    /// The fields each kind needs and the ones it has no use for: a
    /// renewal or term switch takes `term_end` only, added seats a
    /// `product`, an upgrade a `product` and the line it `replaces`. A field
    /// that would be ignored is refused rather than dropped silently.
    pub fn shape_errors(&self) -> Vec<FieldError> {
        let (term_end, product, replaces) = match self.kind {
            TransactionKind::Renewal | TransactionKind::SwitchTerm => (true, false, false),
            TransactionKind::AddSeats => (false, true, false),
            TransactionKind::Upgrade => (false, true, true),
        };
        let kind = self.kind.as_str();
        let mut errors = Vec::new();
        let args = |name: &str| vec![("kind", kind.to_owned()), ("field", name.to_owned())];
        let mut field =
            |name: &str, needed: bool, given: bool, expected: &str| match (needed, given) {
                (true, false) => errors.push(FieldError::coded(
                    name,
                    "required-for-kind",
                    args(name),
                    format!("required for {kind}: {expected}"),
                )),
                (false, true) => errors.push(FieldError::coded(
                    name,
                    "not-used-by-kind",
                    args(name),
                    format!("not used by {kind}; leave it out"),
                )),
                _ => {}
            };
        field(
            "term_end",
            term_end,
            self.term_end.is_some(),
            "a date as YYYY-MM-DD",
        );
        field(
            "product",
            product,
            self.product.is_some(),
            "{name, seats} with seats ≥ 1",
        );
        field(
            "replaces",
            replaces,
            self.replaces.is_some(),
            "the name of the product line replaced",
        );
        if let Some(p) = &self.product
            && p.seats == 0
        {
            errors.push(FieldError::coded(
                "product.seats",
                "expected-at-least",
                vec![("min", "1".into())],
                "expected at least 1",
            ));
        }
        errors
    }

    /// Changes `a` as the transaction says; the one reason it cannot, named
    /// by its field. The fields each kind needs are there: `shape_errors`
    /// checked them.
    fn apply_to(&self, a: &mut Agreement, today: Date) -> Result<(), FieldError> {
        match self.kind {
            TransactionKind::Renewal | TransactionKind::SwitchTerm => match self.term_end {
                Some(end) if self.kind == TransactionKind::Renewal && end <= a.term_end => {
                    return Err(FieldError::coded(
                        "term_end",
                        "renewal-too-early",
                        vec![("term_end", a.term_end.to_string())],
                        format!(
                            "a renewal must end after the current term end {}",
                            a.term_end
                        ),
                    ));
                }
                Some(end) if end < today || end == a.term_end => {
                    return Err(FieldError::coded(
                        "term_end",
                        "term-end-unchanged",
                        Vec::new(),
                        "the new term end must differ from the current one and not be in the past",
                    ));
                }
                Some(end) => {
                    if self.kind == TransactionKind::Renewal {
                        a.term_start = a.term_end.next_day().unwrap_or(a.term_end);
                        a.status = AgreementStatus::Active;
                    }
                    a.term_end = end;
                }
                None => {}
            },
            TransactionKind::AddSeats => {
                if let Some(p) = &self.product {
                    match a.products.iter_mut().find(|l| l.name == p.name) {
                        Some(line) => line.seats = line.seats.saturating_add(p.seats),
                        None => a.products.push(p.clone()),
                    }
                }
            }
            TransactionKind::Upgrade => {
                let pos = self
                    .replaces
                    .as_ref()
                    .and_then(|r| a.products.iter().position(|l| &l.name == r));
                match (&self.product, pos) {
                    (Some(p), Some(i)) => a.products[i] = p.clone(),
                    _ => {
                        return Err(FieldError::coded(
                            "replaces",
                            "replaces-unknown",
                            Vec::new(),
                            "must name a product line of the agreement",
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// Operators record transactions for any partner; partner staff only
/// naming their own partner.
fn may_record(actor: &Actor, partner: &Csn) -> Result<()> {
    match actor.role {
        Role::Operator => Ok(()),
        Role::PartnerAdmin | Role::PartnerAgent if actor.partner() == Some(partner) => Ok(()),
        Role::PartnerAdmin | Role::PartnerAgent => Err(Error::invalid(FieldError::coded(
            "partner",
            "partner-not-own",
            Vec::new(),
            "partner staff can only name their own partner",
        ))),
        _ => Err(Error::Forbidden(Text::new(
            "forbidden-record-transactions",
            "only partners and operators record transactions",
        ))),
    }
}

/// What the audit shows of an agreement before and after a transaction.
fn audited(a: &Agreement) -> Value {
    json!({ "term_end": a.term_end.to_string(), "products": a.products, "partners": a.partners, "status": a.status })
}

impl Services {
    /// Records a transaction. Operators record any; partner staff record
    /// them for agreements they serve, naming their own partner.
    pub async fn record_transaction(
        &self,
        actor: &Actor,
        input: NewTransaction,
    ) -> Result<Transaction> {
        let malformed = input.shape_errors();
        if !malformed.is_empty() {
            return Err(Error::Invalid(malformed));
        }
        // The partner named for the renewal places it before it serves the
        // agreement (#22).
        let state = self.agreement_for_renewal(actor, &input.agreement).await?;
        may_record(actor, &input.partner)?;
        let before = &state.agreement;
        let mut errors = Vec::new();
        if let Some(problem) = self.unusable_partner("partner", &input.partner).await? {
            errors.push(problem);
        }
        if matches!(before.status, AgreementStatus::Canceled) {
            errors.push(FieldError::coded(
                "agreement",
                "agreement-canceled",
                Vec::new(),
                "the agreement is canceled",
            ));
        }
        let mut after = before.clone();
        if let Err(e) = input.apply_to(&mut after, eligibility::today(self.clock.now())) {
            errors.push(e);
        }
        let named = state.renewal_partner.as_ref();
        // R3 with a partner named for the renewal (#22): the renewal is
        // placed by that partner — or the admins withdraw the naming first.
        if let Some(n) = named
            && input.kind == TransactionKind::Renewal
            && n.new_partner != input.partner
        {
            errors.push(FieldError::coded(
                "partner",
                "renewal-partner-named",
                vec![("csn", n.new_partner.to_string())],
                format!(
                    "the customer named partner {} for this renewal; it places the renewal, or the customer's administrator withdraws the naming first",
                    n.new_partner
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Refused(errors));
        }
        // The partner placing the transaction becomes the partner of record (R3).
        after.partners = vec![input.partner.clone()];
        let now = self.clock.now();
        let tx = Transaction {
            id: uuid::Uuid::now_v7(),
            agreement: after.number.clone(),
            kind: input.kind,
            partner: input.partner,
            recorded_by: actor.user_id,
            recorded_at: now,
            term_end: input.term_end,
            product: input.product,
            replaces: input.replaces,
        };
        let mut audit = transaction_audit(By::Person(actor), now, &tx, before, &after);
        let mut outbox = Vec::new();
        let renewal = match named {
            // Placed by the named partner: the naming is done (R3 made it
            // the partner of record), and everyone is told as for a change.
            Some(n) if n.new_partner == tx.partner => {
                let applied = RenewalPartner {
                    transaction: Some(tx.id),
                    ..n.decided(RenewalStatus::Applied, now, Some(actor.user_id), vec![])
                };
                audit.push(
                    AuditEntry::new(now, By::Person(actor), AuditAction::RenewalPartnerApplied)
                        .on(&after.account, &after.number)
                        .change(
                            json!({ "status": "scheduled", "new_partner": n.new_partner }),
                            json!({ "status": "applied", "renewal_partner": n.id, "transaction": tx.id }),
                        ),
                );
                let parties = self.parties(n, &before.partners).await?;
                outbox.push(renewal_emails(
                    ChangeEvent::RenewalApplied,
                    &applied,
                    &before.partners,
                    parties.all(),
                ));
                RenewalAtTransaction::Applies(Box::new(applied))
            }
            None if tx.kind == TransactionKind::Renewal => RenewalAtTransaction::NoneNamed,
            _ => RenewalAtTransaction::Unaffected,
        };
        let result = self
            .store
            .record_transaction(&tx, &after, &audit, &renewal, &outbox)
            .await;
        self.cache.invalidate_partners_of(&after.number);
        match result {
            Ok(()) => Ok(tx),
            Err(StoreError::Conflict("renewal_partner")) => Err(renewal_changed()),
            Err(e) => Err(e.into()),
        }
    }
}

/// The transaction's audit entry and, when it changed the partner of
/// record, the partner-assignment entry every such change has.
fn transaction_audit(
    by: By<'_>,
    now: OffsetDateTime,
    tx: &Transaction,
    before: &Agreement,
    after: &Agreement,
) -> Vec<AuditEntry> {
    let recorded = AuditEntry::new(now, by.clone(), AuditAction::TransactionRecorded)
        .on(&after.account, &after.number)
        .change(
            audited(before),
            json!({ "transaction": tx, "agreement": audited(after) }),
        );
    let mut audit = vec![recorded];
    if before.partners != after.partners {
        audit.push(
            AuditEntry::new(now, by, AuditAction::PartnerAssignmentChanged)
                .on(&after.account, &after.number)
                .change(
                    json!({ "partners": before.partners }),
                    json!({ "partners": after.partners }),
                ),
        );
    }
    audit
}
