//! Transfer codes (#22 point 2): a customer's admin creates a code for one
//! or more agreements and hands it to the new partner, who redeems it to
//! request the change. The code is shown once and kept as its hash;
//! redeeming it is single use, in one transaction with the requests it
//! makes, and those requests are the code creator's (the worker's R8
//! re-check asks that the requester is still an admin of the account).
//! Every step is audited, once per agreement. Attempts with a wrong code
//! are throttled by the caller (the web layer) and not audited: an audit
//! entry without an agreement would clear every instance's cache.

use serde_json::json;
use time::Duration;
use uuid::Uuid;

use super::Services;
use super::partner_change::change_pending;
use crate::FieldError;
use crate::domain::agreement::{Agreement, AgreementStatus};
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::change_request::RequestId;
use crate::domain::consent::ConsentModel;
use crate::domain::eligibility::{self, ReasonCode};
use crate::domain::ids::{AgreementKind, AgreementNumber};
use crate::domain::roles::Actor;
use crate::domain::transfer_code::{self, MAX_AGREEMENTS, RANDOM_BYTES, TransferCode};
use crate::error::{Error, Result, Text};
use crate::store::{AgreementFilter, CodeOwner, NewRequest};

/// Most codes listed at once.
const LISTED: u32 = 200;

/// A new code: the record, and the code itself, shown once.
#[derive(Debug, Clone)]
pub struct NewCode {
    /// What is kept.
    pub code: TransferCode,
    /// The code, grouped (`XXXX-XXXX-XXXX-XXXX-XXXX`); never stored.
    pub secret: String,
}

/// The outcome for one agreement of a redeemed code.
#[derive(Debug)]
pub enum Redeemed {
    /// The request made.
    Requested(crate::domain::change_request::ChangeRequest),
    /// Not requested, and why.
    Refused(Error),
}

impl Services {
    /// An admin creates a code for `agreements` of their account, each of
    /// which could change partner now but for its consent model (R4).
    /// `random` comes from the caller's random source. The code is valid
    /// for the shortest period of the agreements' programs (the transfer
    /// code model's own, otherwise the configured default).
    pub async fn create_transfer_code(
        &self,
        actor: &Actor,
        agreements: &[AgreementNumber],
        random: &[u8; RANDOM_BYTES],
    ) -> Result<NewCode> {
        let Some(account) = actor.account().filter(|a| actor.is_admin_of(a)).cloned() else {
            return Err(only_admins());
        };
        let mut numbers: Vec<AgreementNumber> = Vec::with_capacity(agreements.len());
        for n in agreements {
            if !numbers.contains(n) {
                numbers.push(n.clone());
            }
        }
        if numbers.is_empty() || numbers.len() > MAX_AGREEMENTS {
            return Err(Error::Invalid(vec![FieldError::coded(
                "agreements",
                "transfer-code-agreements",
                vec![("max", MAX_AGREEMENTS.to_string())],
                format!("expected 1 to {MAX_AGREEMENTS} agreement numbers"),
            )]));
        }
        let mut valid_hours = i64::MAX;
        let mut errors = Vec::new();
        for (i, n) in numbers.iter().enumerate() {
            let field = format!("agreements[{i}]");
            let (state, e) = match self.eligibility(actor, n).await {
                Ok(found) => found,
                Err(Error::NotFound(_)) => {
                    errors.push(FieldError::coded(
                        field,
                        "agreement-unknown",
                        vec![("number", n.as_str().to_owned())],
                        format!("no agreement {n} in this account"),
                    ));
                    continue;
                }
                Err(e) => return Err(e),
            };
            if e.reasons
                .iter()
                .any(|r| r.code != ReasonCode::TransferCodeRequired)
            {
                errors.push(FieldError::coded(
                    field,
                    "agreement-cannot-change",
                    vec![("number", n.as_str().to_owned())],
                    format!("agreement {n} cannot change partner now; its page says why"),
                ));
                continue;
            }
            let hours = match self.consent_of(&state.agreement.program).await? {
                ConsentModel::TransferCode { code_valid_hours } => code_valid_hours,
                _ => self.policy.transfer_code_valid_hours,
            };
            valid_hours = valid_hours.min(hours);
        }
        if !errors.is_empty() {
            // Well-formed numbers the stored data turns down.
            return Err(Error::Refused(errors));
        }
        let secret = transfer_code::encode(random);
        // `encode` writes only the alphabet and separators.
        let canonical = transfer_code::normalise(&secret).unwrap_or_default();
        let now = self.clock.now();
        let code = TransferCode {
            id: Uuid::now_v7(),
            hint: transfer_code::hint(&canonical),
            account: account.clone(),
            agreements: numbers,
            created_by: actor.user_id,
            created_at: now,
            expires_at: now + Duration::hours(valid_hours),
            redeemed_at: None,
            redeemed_by: None,
            redeemed_partner: None,
            revoked_at: None,
            revoked_by: None,
        };
        let audit = code_audit(&code, actor, AuditAction::TransferCodeCreated, json!(null));
        self.store
            .insert_transfer_code(&code, &transfer_code::hash(&canonical), &audit)
            .await?;
        Ok(NewCode { code, secret })
    }

    /// The caller's agreements a code could be created for now (at most
    /// [`MAX_AGREEMENTS`] × 5 are looked at, active contracts by number):
    /// each could change partner but for its consent model.
    pub async fn codeable_agreements(&self, actor: &Actor) -> Result<Vec<Agreement>> {
        let filter = AgreementFilter {
            kind: Some(AgreementKind::Contract),
            status: Some(AgreementStatus::Active),
            limit: (5 * MAX_AGREEMENTS) as u32,
            ..AgreementFilter::default()
        };
        let mut codeable = Vec::new();
        for a in self.agreements(actor, &filter).await? {
            let (state, e) = self.eligibility(actor, &a.number).await?;
            if e.reasons
                .iter()
                .all(|r| r.code == ReasonCode::TransferCodeRequired)
            {
                codeable.push(state.agreement.clone());
            }
        }
        Ok(codeable)
    }

    /// A code the caller may see: an admin their account's, partner staff
    /// the ones their partner redeemed, vendor staff every one (R1:
    /// another's is not found).
    pub async fn transfer_code(&self, actor: &Actor, id: Uuid) -> Result<TransferCode> {
        let owner = code_owner(actor)?;
        self.store
            .transfer_code(id)
            .await?
            .filter(|c| match &owner {
                CodeOwner::Account(a) => &c.account == a,
                CodeOwner::RedeemedBy(p) => c.redeemed_partner.as_ref() == Some(p),
                CodeOwner::All => true,
            })
            .ok_or(Error::NotFound("transfer code"))
    }

    /// The codes the caller may see, newest first.
    pub async fn transfer_codes(
        &self,
        actor: &Actor,
        before: Option<Uuid>,
    ) -> Result<Vec<TransferCode>> {
        let owner = code_owner(actor)?;
        Ok(self.store.transfer_codes(&owner, before, LISTED).await?)
    }

    /// An admin of the code's account revokes it before it is redeemed.
    pub async fn revoke_transfer_code(&self, actor: &Actor, id: Uuid) -> Result<TransferCode> {
        let code = self.transfer_code(actor, id).await?;
        if !actor.is_admin_of(&code.account) {
            return Err(only_admins());
        }
        let now = self.clock.now();
        let revoked = TransferCode {
            revoked_at: Some(now),
            revoked_by: Some(actor.user_id),
            ..code.clone()
        };
        let audit = code_audit(
            &revoked,
            actor,
            AuditAction::TransferCodeRevoked,
            json!({ "status": code.status(now) }),
        );
        if !self
            .store
            .revoke_transfer_code(id, actor.user_id, now, &audit)
            .await?
        {
            return Err(spent());
        }
        Ok(revoked)
    }

    /// Partner staff redeem `typed`: one request per agreement of the code
    /// that can change partner now, to the caller's partner, pending for the
    /// processing delay (redeeming is the consent). Every unusable code —
    /// unknown, redeemed, revoked, expired, or one whose creator is no
    /// longer an admin — gets the same answer, a refusal on `code`
    /// (`transfer-code-invalid`), so that guessing learns nothing. When none of its agreements can
    /// change, the code is not spent.
    pub async fn redeem_transfer_code(
        &self,
        actor: &Actor,
        typed: &str,
    ) -> Result<(TransferCode, Vec<(AgreementNumber, Redeemed)>)> {
        let Some(partner) = actor.partner().cloned() else {
            return Err(Error::Forbidden(Text::new(
                "forbidden-redeem",
                "only partner staff redeem transfer codes",
            )));
        };
        let canonical = transfer_code::normalise(typed).ok_or_else(invalid)?;
        let now = self.clock.now();
        let code = self
            .store
            .transfer_code_by_hash(&transfer_code::hash(&canonical))
            .await?
            .filter(|c| c.usable(now))
            .ok_or_else(invalid)?;
        let creator = self
            .store
            .account_users(&code.account)
            .await?
            .into_iter()
            .find(|u| u.actor.user_id == code.created_by && !u.disabled)
            .map(|u| u.actor)
            .filter(|a| a.is_admin_of(&code.account))
            .ok_or_else(invalid)?;
        let found = self.partner(&partner).await?;
        let mut outcomes = Vec::with_capacity(code.agreements.len());
        let mut requests = Vec::new();
        for n in &code.agreements {
            match self.redeemable(&creator, n, &partner, found.as_ref()).await {
                Ok(state) => {
                    let (mut request, event) = self.new_request(
                        &creator,
                        &state.agreement,
                        &partner,
                        None,
                        now,
                        ConsentModel::None,
                    );
                    request.requested_by = code.created_by;
                    let audit = AuditEntry::new(
                        now,
                        By::Person(actor),
                        AuditAction::ChangeRequested,
                    )
                    .on(&request.account, &request.agreement)
                    .request(request.id)
                    .change(
                        json!({ "partners": request.old_partners }),
                        json!({ "new_partner": request.new_partner, "status": request.status,
                                    "due_at": request.due_at.unix_timestamp(),
                                    "transfer_code": code.id, "requested_by": code.created_by }),
                    );
                    let outbox = self.emails(event, &request).await?;
                    requests.push(NewRequest {
                        request,
                        audit: vec![audit],
                        outbox,
                    });
                }
                Err(e) => outcomes.push((n.clone(), Redeemed::Refused(e))),
            }
        }
        if requests.is_empty() {
            // Nothing to request: the code stays usable, and the caller
            // learns why for each agreement — unless another redemption
            // spent it meanwhile (its requests are what is in the way).
            return match self.store.transfer_code(code.id).await? {
                Some(now_stored) if now_stored.usable(now) => Ok((now_stored, outcomes)),
                _ => Err(invalid()),
            };
        }
        let redeemed = TransferCode {
            redeemed_at: Some(now),
            redeemed_by: Some(actor.user_id),
            redeemed_partner: Some(partner.clone()),
            ..code.clone()
        };
        let audit = code_audit(
            &redeemed,
            actor,
            AuditAction::TransferCodeRedeemed,
            json!({ "status": "active" }),
        );
        let result = self
            .store
            .redeem_transfer_code(code.id, actor.user_id, &partner, now, &requests, &audit)
            .await;
        for r in &requests {
            self.cache.invalidate_agreement(&r.request.agreement);
        }
        let inserted: Vec<RequestId> = result?.ok_or_else(invalid)?;
        for r in requests {
            let number = r.request.agreement.clone();
            let outcome = if inserted.contains(&r.request.id) {
                Redeemed::Requested(r.request)
            } else {
                // R7: a request got in after the check above.
                Redeemed::Refused(change_pending())
            };
            outcomes.push((number, outcome));
        }
        let order = |n: &AgreementNumber| code.agreements.iter().position(|a| a == n);
        outcomes.sort_by_key(|(n, _)| order(n));
        Ok((redeemed, outcomes))
    }

    /// The agreement when the code's creator could request the change to
    /// `partner` now (R4 as for a submit, but for the consent model: the
    /// code is the consent; R5; R7).
    async fn redeemable(
        &self,
        creator: &Actor,
        number: &AgreementNumber,
        partner: &crate::domain::ids::Csn,
        found: Option<&crate::domain::agreement::Partner>,
    ) -> Result<std::sync::Arc<crate::store::AgreementState>> {
        let (state, e) = self.eligibility(creator, number).await?;
        let reasons: Vec<_> = e
            .reasons
            .into_iter()
            .filter(|r| r.code != ReasonCode::TransferCodeRequired)
            .collect();
        if reasons.len() == 1 && reasons[0].code == ReasonCode::ChangePending {
            return Err(change_pending());
        }
        if !reasons.is_empty() {
            return Err(Error::Ineligible(reasons));
        }
        eligibility::check_new_partner(&state.agreement.partners, partner, found)
            .map_err(|p| Error::refused(p.at("new_partner")))?;
        Ok(state)
    }
}

/// Whose codes `actor` sees.
fn code_owner(actor: &Actor) -> Result<CodeOwner> {
    if actor.role.is_vendor() {
        return Ok(CodeOwner::All);
    }
    if let Some(p) = actor.partner() {
        return Ok(CodeOwner::RedeemedBy(p.clone()));
    }
    match actor.account() {
        Some(a) if actor.is_admin_of(a) => Ok(CodeOwner::Account(a.clone())),
        _ => Err(only_admins()),
    }
}

/// Codes are their account's admins' to make and revoke.
fn only_admins() -> Error {
    Error::Forbidden(Text::new(
        "forbidden-transfer-code",
        "only an administrator of the account creates transfer codes",
    ))
}

/// One audit entry per agreement of `code`.
fn code_audit(
    code: &TransferCode,
    actor: &Actor,
    action: AuditAction,
    before: serde_json::Value,
) -> Vec<AuditEntry> {
    code.agreements
        .iter()
        .map(|n| {
            AuditEntry::new(
                code.redeemed_at
                    .or(code.revoked_at)
                    .unwrap_or(code.created_at),
                By::Person(actor),
                action,
            )
            .on(&code.account, n)
            .change(
                before.clone(),
                json!({ "transfer_code": code.id, "hint": code.hint,
                        "expires_at": code.expires_at.unix_timestamp(),
                        "partner": code.redeemed_partner }),
            )
        })
        .collect()
}

/// The one answer for every code that cannot be redeemed.
fn invalid() -> Error {
    Error::Refused(vec![FieldError::coded(
        "code",
        "transfer-code-invalid",
        vec![],
        "this transfer code is not valid: it may be mistyped, used, revoked or expired; ask the customer for a new one",
    )])
}

/// A code that can no longer be revoked.
fn spent() -> Error {
    Error::Conflict {
        code: "transfer_code_spent",
        detail: Text::new(
            "transfer-code-spent",
            "this transfer code was redeemed, revoked or has expired meanwhile",
        ),
    }
}
