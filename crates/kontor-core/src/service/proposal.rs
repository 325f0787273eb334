//! The vendor proposes a new partner (#22 point 7): an operator names the
//! successor of a partner it deactivates (or whose customers it moves);
//! the admins of every account the partner serves are mailed once, with
//! the proposed partner's name, CSN and city and a link that opens the
//! change with it found. The operator sees who has acted and reminds the
//! others.

use std::collections::BTreeMap;

use serde_json::json;
use uuid::Uuid;

use super::Services;
use crate::domain::agreement::Partner;
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::eligibility;
use crate::domain::ids::{AgreementNumber, Csn};
use crate::domain::notify::{OutboxMessage, Recipient, RecipientRole};
use crate::domain::permissions::Permission;
use crate::domain::proposal::{Progress, Proposal, ProposalAccount};
use crate::domain::roles::Actor;
use crate::error::{Error, Result, StoreError, Text};

impl Services {
    /// Proposes `to` to the customers of `from` (operators): every account
    /// `from` serves now is mailed once. R5 holds for `to`: it exists, is
    /// active and is not `from`.
    pub async fn propose_partner(
        &self,
        actor: &Actor,
        from: &Csn,
        to: &Csn,
    ) -> Result<(Proposal, Vec<ProposalAccount>)> {
        Error::unless_may(actor, Permission::ManagePartners)?;
        let replaced = self.partner(from).await?.ok_or_else(|| {
            Error::refused(crate::FieldError::coded(
                "from_partner",
                "partner-unknown",
                vec![("csn", from.to_string())],
                format!("no partner with CSN {from} exists"),
            ))
        })?;
        let proposed = self.partner(to).await?;
        eligibility::check_new_partner(std::slice::from_ref(from), to, proposed.as_ref())
            .map_err(|p| Error::refused(p.at("to_partner")))?;
        let Some(proposed) = proposed else {
            return Err(Error::NotFound("partner"));
        };
        let agreements = self.store.served_by(from).await?;
        let mut by_account: BTreeMap<Csn, Vec<AgreementNumber>> = BTreeMap::new();
        for (n, account) in &agreements {
            by_account
                .entry(account.clone())
                .or_default()
                .push(n.clone());
        }
        let id = Uuid::now_v7();
        let mut outbox = Vec::with_capacity(by_account.len());
        for (account, numbers) in &by_account {
            let from = (replaced.csn.clone(), replaced.name.clone());
            outbox.push(
                self.proposal_mail(id, account, from, &proposed, numbers, false)
                    .await?,
            );
        }
        let now = self.clock.now();
        let proposal = Proposal {
            id,
            from_partner: from.clone(),
            to_partner: to.clone(),
            created_by: actor.user_id,
            created_at: now,
        };
        let audit = AuditEntry::new(now, By::Person(actor), AuditAction::PartnerProposed).change(
            json!(null),
            json!({ "proposal": proposal.id, "from_partner": from, "to_partner": to,
                    "accounts": by_account.len(), "agreements": agreements.len() }),
        );
        match self
            .store
            .insert_proposal(&proposal, &agreements, &audit, &outbox)
            .await
        {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                return Err(Error::Conflict {
                    code: "proposal_exists",
                    detail: Text::new(
                        "proposal-exists",
                        "a new partner was proposed for this partner's customers already",
                    ),
                });
            }
            Err(e) => return Err(e.into()),
        }
        self.proposal(actor, proposal.id).await
    }

    /// Why `to` cannot succeed `from` (R5: unknown, inactive or the same),
    /// as a field error on `successor`; nothing is written.
    pub async fn successor_problem(
        &self,
        from: &Option<Csn>,
        to: &Csn,
    ) -> Result<Option<crate::FieldError>> {
        let found = self.partner(to).await?;
        let current: Vec<Csn> = from.iter().cloned().collect();
        Ok(eligibility::check_new_partner(&current, to, found.as_ref())
            .err()
            .map(|p| p.at("successor")))
    }

    /// Every proposal, newest first (the vendor's staff).
    pub async fn proposals(&self, actor: &Actor) -> Result<Vec<Proposal>> {
        Error::unless_may(actor, Permission::UseBackOffice)?;
        Ok(self.store.proposals().await?)
    }

    /// One proposal with each account as it stands now (the vendor's staff).
    pub async fn proposal(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<(Proposal, Vec<ProposalAccount>)> {
        Error::unless_may(actor, Permission::UseBackOffice)?;
        self.store
            .proposal(id)
            .await?
            .ok_or(Error::NotFound("proposal"))
    }

    /// Mails the proposal again to the accounts that have not acted on it
    /// (operators); the number of accounts reminded.
    pub async fn remind_proposal(&self, actor: &Actor, id: Uuid) -> Result<usize> {
        Error::unless_may(actor, Permission::ManagePartners)?;
        let (proposal, accounts) = self.proposal(actor, id).await?;
        let waiting: Vec<&ProposalAccount> = accounts
            .iter()
            .filter(|a| a.progress == Progress::None)
            .collect();
        if waiting.is_empty() {
            return Ok(0);
        }
        let replaced = self.partner(&proposal.from_partner).await?;
        let proposed = self
            .partner(&proposal.to_partner)
            .await?
            .ok_or(Error::NotFound("partner"))?;
        let mut outbox = Vec::with_capacity(waiting.len());
        for a in &waiting {
            let from = (
                proposal.from_partner.clone(),
                replaced
                    .as_ref()
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
            );
            outbox.push(
                self.proposal_mail(id, &a.account, from, &proposed, &a.agreements, true)
                    .await?,
            );
        }
        let now = self.clock.now();
        let reminded: Vec<Csn> = waiting.iter().map(|a| a.account.clone()).collect();
        let audit = AuditEntry::new(now, By::Person(actor), AuditAction::ProposalReminded)
            .change(json!(null), json!({ "proposal": id, "accounts": reminded }));
        self.store
            .record_proposal_reminders(id, &reminded, now, &audit, &outbox)
            .await?;
        Ok(reminded.len())
    }

    /// What a proposal offers the caller's account: the proposed partner
    /// and the account's agreements the replaced partner served. Only an
    /// admin of an account the proposal was mailed to finds it (R1).
    pub async fn proposed_to_me(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<(Csn, Vec<AgreementNumber>)> {
        let not_found = || Error::NotFound("proposal");
        let account = actor
            .account()
            .filter(|a| actor.is_admin_of(a))
            .ok_or_else(not_found)?;
        let (proposal, accounts) = self.store.proposal(id).await?.ok_or_else(not_found)?;
        let mine = accounts
            .into_iter()
            .find(|a| &a.account == account)
            .ok_or_else(not_found)?;
        Ok((proposal.to_partner, mine.agreements))
    }

    /// The mail of proposal `id` to `account`'s admins: the replaced
    /// partner (CSN, name), the proposed one and the account's agreements.
    async fn proposal_mail(
        &self,
        id: Uuid,
        account: &Csn,
        from: (Csn, String),
        to: &Partner,
        agreements: &[AgreementNumber],
        reminder: bool,
    ) -> Result<OutboxMessage> {
        let recipients = self
            .account_admins(account)
            .await?
            .iter()
            .map(|c| Recipient::of(c, RecipientRole::AccountAdmin))
            .collect();
        Ok(OutboxMessage::PartnerProposal {
            event_id: Uuid::now_v7(),
            proposal: id,
            recipients,
            account: account.clone(),
            from,
            to: (to.csn.clone(), to.name.clone(), to.city.clone()),
            agreements: agreements.to_vec(),
            reminder,
        })
    }
}
