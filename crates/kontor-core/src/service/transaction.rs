//! Financial transactions (R3): the partner named on the transaction becomes
//! the partner of record when it completes.

use serde_json::json;
use time::Date;

use super::Services;
use crate::domain::agreement::{AgreementStatus, PartnerStatus, ProductLine};
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::eligibility;
use crate::domain::ids::{AgreementNumber, Csn};
use crate::domain::roles::{Actor, Role};
use crate::error::{Error, FieldError, Result};
use crate::store::{Transaction, TransactionKind};

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
        let mut field =
            |name: &str, needed: bool, given: bool, expected: &str| match (needed, given) {
                (true, false) => errors.push(FieldError::new(
                    name,
                    format!("required for {kind}: {expected}"),
                )),
                (false, true) => errors.push(FieldError::new(
                    name,
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
            errors.push(FieldError::new("product.seats", "expected at least 1"));
        }
        errors
    }
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
        let state = self.agreement(actor, &input.agreement).await?;
        match actor.role {
            Role::Operator => {}
            Role::PartnerAdmin | Role::PartnerAgent if actor.partner() == Some(&input.partner) => {}
            Role::PartnerAdmin | Role::PartnerAgent => {
                return Err(Error::invalid(
                    "partner",
                    "partner staff can only name their own partner",
                ));
            }
            _ => {
                return Err(Error::Forbidden(
                    "only partners and operators record transactions".into(),
                ));
            }
        }
        let mut a = state.agreement.clone();
        let partner = self.partner(&input.partner).await?;
        let mut errors = Vec::new();
        match partner {
            None => errors.push(FieldError::new(
                "partner",
                format!("no partner with CSN {} exists", input.partner),
            )),
            Some(p) if p.status != PartnerStatus::Active => errors.push(FieldError::new(
                "partner",
                format!("partner {} is not active", input.partner),
            )),
            Some(_) => {}
        }
        if matches!(a.status, AgreementStatus::Canceled) {
            errors.push(FieldError::new("agreement", "the agreement is canceled"));
        }
        let today = eligibility::today(self.clock.now());
        let before = json!({ "term_end": a.term_end.to_string(), "products": a.products, "partners": a.partners, "status": a.status });
        match input.kind {
            TransactionKind::Renewal | TransactionKind::SwitchTerm => match input.term_end {
                Some(end) if input.kind == TransactionKind::Renewal && end <= a.term_end => errors
                    .push(FieldError::new(
                        "term_end",
                        format!(
                            "a renewal must end after the current term end {}",
                            a.term_end
                        ),
                    )),
                Some(end) if end < today || end == a.term_end => errors.push(FieldError::new(
                    "term_end",
                    "the new term end must differ from the current one and not be in the past",
                )),
                Some(end) => {
                    if input.kind == TransactionKind::Renewal {
                        a.term_start = a.term_end.next_day().unwrap_or(a.term_end);
                        a.status = AgreementStatus::Active;
                    }
                    a.term_end = end;
                }
                // Present for these kinds: `shape_errors` checked it.
                None => {}
            },
            TransactionKind::AddSeats => {
                // Present for this kind: `shape_errors` checked it.
                if let Some(p) = &input.product {
                    match a.products.iter_mut().find(|l| l.name == p.name) {
                        Some(line) => line.seats = line.seats.saturating_add(p.seats),
                        None => a.products.push(p.clone()),
                    }
                }
            }
            TransactionKind::Upgrade => {
                let pos = input
                    .replaces
                    .as_ref()
                    .and_then(|r| a.products.iter().position(|l| &l.name == r));
                match (&input.product, pos) {
                    (Some(p), Some(i)) => a.products[i] = p.clone(),
                    _ => errors.push(FieldError::new(
                        "replaces",
                        "must name a product line of the agreement",
                    )),
                }
            }
        }
        if !errors.is_empty() {
            return Err(Error::Refused(errors));
        }
        let partner_changes = a.partners != [input.partner.clone()];
        a.partners = vec![input.partner.clone()];
        let now = self.clock.now();
        let tx = Transaction {
            id: uuid::Uuid::now_v7(),
            agreement: a.number.clone(),
            kind: input.kind,
            partner: input.partner,
            recorded_by: actor.user_id,
            recorded_at: now,
            term_end: input.term_end,
            product: input.product,
            replaces: input.replaces,
        };
        let after = json!({ "term_end": a.term_end.to_string(), "products": a.products, "partners": a.partners, "status": a.status });
        let mut audit = vec![
            AuditEntry::new(now, By::Person(actor), AuditAction::TransactionRecorded)
                .on(&a.account, &a.number)
                .change(
                    before.clone(),
                    json!({ "transaction": tx, "agreement": after }),
                ),
        ];
        if partner_changes {
            audit.push(
                AuditEntry::new(
                    now,
                    By::Person(actor),
                    AuditAction::PartnerAssignmentChanged,
                )
                .on(&a.account, &a.number)
                .change(
                    json!({ "partners": before["partners"] }),
                    json!({ "partners": a.partners }),
                ),
            );
        }
        let result = self.store.record_transaction(&tx, &a, &audit).await;
        self.cache.invalidate_agreement(&a.number);
        result?;
        Ok(tx)
    }
}
