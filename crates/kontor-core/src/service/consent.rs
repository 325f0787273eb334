//! Consent per program (#22 point 2): the operator chooses for each
//! program whether the new partner consents to a change not at all, by
//! accepting, or by redeeming a transfer code. The choices are few and read
//! on every submit, so they are cached; a change is audited as
//! `policy_changed`, which names no agreement and so clears every
//! instance's cache through the audit feed.

use std::sync::Arc;

use serde_json::json;

use super::Services;
use crate::domain::agreement::Program;
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::consent::{ConsentModel, ProgramConsent, model_of};
use crate::domain::permissions::Permission;
use crate::domain::roles::Actor;
use crate::error::{Error, Result};

impl Services {
    /// Every program with a choice of its own.
    pub async fn program_consents(&self) -> Result<Arc<Vec<ProgramConsent>>> {
        if let Some(cached) = self.cache.consents() {
            return Ok(cached);
        }
        let ticket = self.cache.ticket();
        let read = Arc::new(self.store.program_consents().await?);
        self.cache.put_consents(ticket, &read);
        Ok(read)
    }

    /// The model that holds for `program`.
    pub async fn consent_of(&self, program: &Program) -> Result<ConsentModel> {
        let chosen = self.program_consents().await?;
        Ok(model_of(program, &chosen, self.policy.default_consent()))
    }

    /// The operator sets `program`'s model, or (`None`) returns it to the
    /// default. Requests already made keep the model they were made under.
    pub async fn set_consent(
        &self,
        actor: &Actor,
        program: &Program,
        model: Option<ConsentModel>,
    ) -> Result<ConsentModel> {
        Error::unless_may(actor, Permission::ChooseConsent)?;
        let before = self.consent_of(program).await?;
        let now = self.clock.now();
        let chosen = model.map(|model| ProgramConsent {
            program: program.clone(),
            model,
            updated_at: now,
            updated_by: actor.user_id,
        });
        let after = model.unwrap_or_else(|| self.policy.default_consent());
        let audit = AuditEntry::new(now, By::Person(actor), AuditAction::PolicyChanged).change(
            json!({ "program": program, "consent": before }),
            json!({ "program": program, "consent": after, "default": model.is_none() }),
        );
        let result = self
            .store
            .set_program_consent(program, chosen.as_ref(), &audit)
            .await;
        self.cache.clear();
        result?;
        Ok(after)
    }
}
