//! A change of partner for many agreements at once in the portal (#22
//! point 3): start a run from the agreements chosen, preview it with a new
//! partner (every agreement eligible or with every reason, R4/R5), submit
//! the eligible ones once (R7: a run submitted again finds its own
//! requests), and read each agreement's outcome and request status.

use super::Services;
use crate::domain::bulk_run::{self, BulkOutcome, BulkRun, BulkRunItem, MAX_AGREEMENTS};
use crate::domain::eligibility::{ReasonCode, check_new_partner};
use crate::domain::ids::{AgreementNumber, Csn};
use crate::domain::roles::Actor;
use crate::error::{Error, FieldError, Result, Text};
use crate::store::AgreementFilter;

impl Services {
    /// Starts a run for `agreements` (each once, in the order given): an
    /// admin of the account, for agreements of that account they see (R1:
    /// one they do not is not found).
    pub async fn start_bulk_run(
        &self,
        actor: &Actor,
        agreements: Vec<AgreementNumber>,
    ) -> Result<BulkRun> {
        let Some(account) = actor.account().filter(|a| actor.is_admin_of(a)).cloned() else {
            return Err(only_admins());
        };
        let agreements = bulk_run::distinct(agreements);
        if agreements.is_empty() || agreements.len() > MAX_AGREEMENTS {
            return Err(Error::invalid(FieldError::coded(
                "agreement",
                "expected-agreement-count",
                vec![("max", MAX_AGREEMENTS.to_string())],
                format!("expected 1–{MAX_AGREEMENTS} agreement numbers"),
            )));
        }
        for n in &agreements {
            self.agreement(actor, n).await?;
        }
        let run = BulkRun {
            id: uuid::Uuid::now_v7(),
            account,
            created_by: actor.user_id,
            created_at: self.clock.now(),
            new_partner: None,
            submitted_at: None,
            items: agreements
                .into_iter()
                .enumerate()
                .map(|(pos, agreement)| BulkRunItem {
                    pos: pos as u32,
                    agreement,
                    outcome: None,
                    request: None,
                    request_status: None,
                    reasons: Vec::new(),
                })
                .collect(),
        };
        self.store.create_bulk_run(&run).await?;
        Ok(run)
    }

    /// Every agreement matching `filter` the caller sees, up to the most
    /// one run holds: "all N matching this filter".
    pub async fn matching_agreements(
        &self,
        actor: &Actor,
        filter: &AgreementFilter,
    ) -> Result<Vec<AgreementNumber>> {
        let mut all = Vec::new();
        let mut page = AgreementFilter {
            limit: 500,
            after: None,
            after_term_end: None,
            ..filter.clone()
        };
        loop {
            let items = self.agreements(actor, &page).await?;
            let full = items.len() == page.limit as usize;
            if let Some(last) = items.last() {
                page.after = Some(last.number.clone());
                page.after_term_end = Some(last.term_end);
            }
            all.extend(items.into_iter().map(|a| a.number));
            if !full || all.len() > MAX_AGREEMENTS {
                all.truncate(MAX_AGREEMENTS + 1);
                return Ok(all);
            }
        }
    }

    /// A run the caller may see: one of their account's admins' (R1:
    /// anyone else's is not found).
    pub async fn bulk_run(&self, actor: &Actor, id: uuid::Uuid) -> Result<BulkRun> {
        match self.store.bulk_run(id).await? {
            Some(run) if actor.is_admin_of(&run.account) => Ok(run),
            _ => Err(Error::NotFound("bulk change")),
        }
    }

    /// Why each agreement of `run` cannot change to `new_partner` now
    /// (R4, R5): empty where it can.
    pub async fn preview_bulk_run(
        &self,
        actor: &Actor,
        run: &BulkRun,
        new_partner: &Csn,
    ) -> Result<Vec<Vec<ReasonCode>>> {
        let partner = self.partner(new_partner).await?;
        let mut all = Vec::with_capacity(run.items.len());
        for item in &run.items {
            let reasons = match self.eligibility(actor, &item.agreement).await {
                Ok((s, e)) => {
                    let mut reasons: Vec<ReasonCode> = e.reasons.iter().map(|r| r.code).collect();
                    if let Err(p) =
                        check_new_partner(&s.agreement.partners, new_partner, partner.as_ref())
                    {
                        reasons.push(p.code());
                    }
                    reasons
                }
                // Gone from the caller's sight since the run started.
                Err(Error::NotFound(_)) => vec![ReasonCode::NotPermitted],
                Err(e) => return Err(e),
            };
            all.push(reasons);
        }
        Ok(all)
    }

    /// Submits the eligible agreements of the run to `new_partner`, each
    /// as its own request (R7), and records every outcome. A run submitted
    /// already is answered as it stands.
    pub async fn submit_bulk_run(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        new_partner: &Csn,
    ) -> Result<BulkRun> {
        let run = self.bulk_run(actor, id).await?;
        if run.submitted_at.is_some() {
            return Ok(run);
        }
        if let Some(problem) = self.unusable_partner("new_partner", new_partner).await? {
            return Err(Error::refused(problem));
        }
        let key = run.request_key();
        let mut items = Vec::with_capacity(run.items.len());
        for item in &run.items {
            let (outcome, request, reasons) = match self
                .submit(actor, &item.agreement, new_partner, Some(&key))
                .await
            {
                Ok(r) => (BulkOutcome::Submitted, Some(r.id), Vec::new()),
                Err(Error::Ineligible(reasons)) => (
                    BulkOutcome::NotEligible,
                    None,
                    reasons.iter().map(|r| r.code).collect(),
                ),
                Err(Error::Refused(_)) => {
                    // R5 per agreement: the partner is already its partner.
                    (
                        BulkOutcome::NotEligible,
                        None,
                        vec![ReasonCode::PartnerUnchanged],
                    )
                }
                Err(Error::Conflict {
                    code: "change_pending",
                    ..
                }) => (
                    BulkOutcome::NotEligible,
                    None,
                    vec![ReasonCode::ChangePending],
                ),
                Err(Error::Forbidden(_) | Error::NotFound(_)) => (
                    BulkOutcome::NotEligible,
                    None,
                    vec![ReasonCode::NotPermitted],
                ),
                // Anything else (the store failing for this one): the run
                // goes on, and the page says which failed.
                Err(e) => {
                    tracing::warn!(agreement = %item.agreement, error = ?e, "bulk change: one agreement failed");
                    (BulkOutcome::Error, None, Vec::new())
                }
            };
            items.push(BulkRunItem {
                outcome: Some(outcome),
                request,
                reasons,
                ..item.clone()
            });
        }
        let finished = BulkRun {
            new_partner: Some(new_partner.clone()),
            submitted_at: Some(self.clock.now()),
            items,
            ..run
        };
        // Another tab may have finished it first; its requests and ours are
        // the same ones (the run's key), so either record is right.
        self.store.finish_bulk_run(&finished).await?;
        self.bulk_run(actor, id).await
    }
}

fn only_admins() -> Error {
    Error::Forbidden(Text::with(
        "forbidden-change-partner",
        vec![("who", "any".to_owned())],
        "only an account administrator can change the partner; please ask your administrator",
    ))
}
