//! The primary admin manages the account's people: their roles and which
//! agreements each `user` sees (SPEC roles table, R1, R11).

use serde_json::json;

use super::Services;
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::ids::AgreementNumber;
use crate::domain::roles::{Actor, Role, Tenant};
use crate::error::{Error, FieldError, Result};
use crate::store::{Scope, UserRecord};

impl Services {
    fn primary_admin_account<'a>(&self, actor: &'a Actor) -> Result<&'a crate::domain::ids::Csn> {
        match (actor.role, actor.account()) {
            (Role::PrimaryAdmin, Some(a)) => Ok(a),
            _ => Err(Error::Forbidden(
                "only the account's primary administrator manages its people".into(),
            )),
        }
    }

    /// Another person of the primary admin's account (R1: others are "not found").
    async fn account_person(&self, actor: &Actor, email: &str) -> Result<UserRecord> {
        let account = self.primary_admin_account(actor)?;
        let user = self
            .store
            .user_by_email(&email.trim().to_lowercase())
            .await?;
        match user {
            Some(u) if u.actor.tenant == Tenant::Account(account.clone()) => Ok(u),
            _ => Err(Error::NotFound("user")),
        }
    }

    /// The account's people with the agreements each `user` sees.
    pub async fn account_people(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(UserRecord, Vec<AgreementNumber>)>> {
        let account = self.primary_admin_account(actor)?;
        let mut out = Vec::new();
        for u in self.store.account_users(account).await? {
            let assigned = if u.actor.role == Role::User {
                self.store.assigned_agreements(u.actor.user_id).await?
            } else {
                Vec::new()
            };
            out.push((u, assigned));
        }
        Ok(out)
    }

    /// Makes another person of the account a secondary admin or a user.
    pub async fn change_role(&self, actor: &Actor, email: &str, role: Role) -> Result<()> {
        let target = self.account_person(actor, email).await?;
        if target.actor.user_id == actor.user_id || target.actor.role == Role::PrimaryAdmin {
            return Err(Error::invalid(
                "role",
                "the primary administrator's own role cannot be changed here",
            ));
        }
        if !matches!(role, Role::SecondaryAdmin | Role::User) {
            return Err(Error::invalid("role", "expected secondary_admin or user"));
        }
        let audit = AuditEntry::new(
            self.clock.now(),
            By::Person(actor),
            AuditAction::RoleChanged,
        )
        .change(
            json!({ "user": target.actor.email, "role": target.actor.role }),
            json!({ "user": target.actor.email, "role": role }),
        );
        let audit = AuditEntry {
            account: actor.account().cloned(),
            ..audit
        };
        self.store
            .set_role(target.actor.user_id, role, &audit)
            .await?;
        // Admin lists (R10 recipients) and visibility changed.
        self.cache.clear();
        Ok(())
    }

    /// Sets which agreements of the account a `user` sees.
    pub async fn set_user_agreements(
        &self,
        actor: &Actor,
        email: &str,
        agreements: &[String],
    ) -> Result<()> {
        let target = self.account_person(actor, email).await?;
        if target.actor.role != Role::User {
            return Err(Error::invalid(
                "agreements",
                "administrators see every agreement of the account",
            ));
        }
        let scope = Scope::Account(self.primary_admin_account(actor)?.clone());
        let mut numbers = Vec::with_capacity(agreements.len());
        let mut errors = Vec::new();
        for (i, raw) in agreements.iter().enumerate() {
            match AgreementNumber::parse(raw) {
                Ok(n) if self.store.agreement_state(&scope, &n).await?.is_some() => numbers.push(n),
                Ok(n) => errors.push(FieldError::new(
                    format!("agreements[{i}]"),
                    format!("agreement {n} not found in this account"),
                )),
                Err(e) => errors.push(FieldError::new(
                    format!("agreements[{i}]"),
                    format!("expected {}", e.expected),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        numbers.sort();
        numbers.dedup();
        let before = self.store.assigned_agreements(target.actor.user_id).await?;
        let audit = AuditEntry::new(
            self.clock.now(),
            By::Person(actor),
            AuditAction::RoleChanged,
        )
        .change(
            json!({ "user": target.actor.email, "sees": before }),
            json!({ "user": target.actor.email, "sees": numbers }),
        );
        let audit = AuditEntry {
            account: actor.account().cloned(),
            ..audit
        };
        self.store
            .set_assignments(target.actor.user_id, &numbers, &audit)
            .await?;
        Ok(())
    }
}
