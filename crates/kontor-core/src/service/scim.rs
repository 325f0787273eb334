//! SCIM provisioning (#21): the primary admin makes tokens for the
//! account's identity provider, which then creates, updates, deactivates
//! and removes the account's people. A deactivated or removed person loses
//! access at once — every session and API token, in the same transaction.
//! The primary admin is never deactivated or removed this way: they are the
//! account's way back in.

use serde_json::{Value, json};

use super::Services;
use crate::StoreError;
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::ids::Csn;
use crate::domain::roles::{Actor, Lang, Role, UserId};
use crate::domain::scim::{PatchOperation, ScimError, apply_patch, resource, write_from};
use crate::error::{Error, FieldError, Result, Text};
use crate::store::{ScimPerson, ScimTokenRecord, ScimWrite};

/// Longest token label, in characters.
pub const MAX_LABEL: usize = 60;

/// A provisioning outcome: done, or refused in SCIM's terms.
pub type Scim<T> = std::result::Result<T, ScimError>;

fn not_found() -> ScimError {
    ScimError {
        status: 404,
        scim_type: None,
        detail: "no such User".into(),
    }
}

fn uniqueness(detail: String) -> ScimError {
    ScimError {
        status: 409,
        scim_type: Some("uniqueness"),
        detail,
    }
}

/// The email belongs to someone else in kontor (of this account or not:
/// the answer does not say which).
fn email_taken(write: &ScimWrite) -> ScimError {
    uniqueness(format!("{} already has access to kontor", write.email))
}

fn keeps_primary_admin() -> ScimError {
    ScimError::bad(
        "mutability",
        "the account's primary administrator cannot be deactivated or removed by provisioning",
    )
}

/// A summary of a person for the audit.
fn shown(w: &ScimWrite) -> Value {
    json!({ "user": w.email, "name": w.name, "active": w.active, "via": "scim" })
}

impl Services {
    fn scim_admin_account<'a>(&self, actor: &'a Actor) -> Result<&'a Csn> {
        match (actor.role, actor.account()) {
            (Role::PrimaryAdmin, Some(a)) => Ok(a),
            _ => Err(Error::Forbidden(Text::new(
                "forbidden-scim-tokens",
                "only the account's primary administrator manages provisioning tokens",
            ))),
        }
    }

    /// The account's provisioning tokens (primary admin).
    pub async fn scim_tokens(&self, actor: &Actor) -> Result<Vec<ScimTokenRecord>> {
        let account = self.scim_admin_account(actor)?;
        Ok(self.store.scim_tokens(account).await?)
    }

    /// Makes a provisioning token; the caller made its 256 random bits and
    /// shows the token once, kontor keeps `token_hash`.
    pub async fn create_scim_token(
        &self,
        actor: &Actor,
        label: &str,
        token_hash: &str,
    ) -> Result<ScimTokenRecord> {
        let account = self.scim_admin_account(actor)?.clone();
        let label = label.trim();
        if label.is_empty() || label.chars().count() > MAX_LABEL {
            return Err(Error::invalid(FieldError::coded(
                "label",
                "scim-label",
                vec![("max", MAX_LABEL.to_string())],
                format!("expected a name for the token, 1 to {MAX_LABEL} characters"),
            )));
        }
        let now = self.clock.now();
        let token = ScimTokenRecord {
            id: uuid::Uuid::now_v7(),
            label: label.to_owned(),
            created_by: actor.email.clone(),
            created_at: now,
            revoked_at: None,
            last_used_at: None,
        };
        let audit = AuditEntry {
            account: Some(account.clone()),
            ..AuditEntry::new(now, By::Person(actor), AuditAction::ScimTokenCreated).change(
                json!(null),
                json!({ "token": token.id, "label": token.label }),
            )
        };
        self.store
            .create_scim_token(&account, &token, token_hash, &audit)
            .await?;
        Ok(token)
    }

    /// Revokes a provisioning token of the account.
    pub async fn revoke_scim_token(&self, actor: &Actor, id: uuid::Uuid) -> Result<()> {
        let account = self.scim_admin_account(actor)?.clone();
        let now = self.clock.now();
        let audit = AuditEntry {
            account: Some(account.clone()),
            ..AuditEntry::new(now, By::Person(actor), AuditAction::ScimTokenRevoked)
                .change(json!({ "token": id }), json!(null))
        };
        self.store
            .revoke_scim_token(&account, id, now, &audit)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => Error::NotFound("provisioning token"),
                e => e.into(),
            })
    }

    /// The account a provisioning token (by hash) speaks for.
    pub async fn scim_account(&self, token_hash: &str) -> Result<Option<Csn>> {
        Ok(self
            .store
            .scim_token_account(token_hash, self.clock.now())
            .await?)
    }

    /// The account's people as User resources (`base`: the endpoint's URL).
    pub async fn scim_users(&self, account: &Csn, base: &str) -> Result<Vec<Value>> {
        Ok(self
            .store
            .scim_people(account)
            .await?
            .iter()
            .map(|p| resource(p, base))
            .collect())
    }

    /// One person as a User resource.
    pub async fn scim_user(&self, account: &Csn, id: &str, base: &str) -> Result<Scim<Value>> {
        Ok(self
            .listed(account, id)
            .await?
            .map(|p| resource(&p, base))
            .ok_or_else(not_found))
    }

    async fn listed(&self, account: &Csn, id: &str) -> Result<Option<ScimPerson>> {
        let Ok(id) = uuid::Uuid::parse_str(id) else {
            return Ok(None);
        };
        Ok(self.store.scim_person(account, UserId(id)).await?)
    }

    /// Whether another listed person of the account has this user name.
    async fn user_name_taken(
        &self,
        account: &Csn,
        write: &ScimWrite,
        except: Option<UserId>,
    ) -> Result<bool> {
        let wanted = write.profile["userName"].as_str().unwrap_or_default();
        Ok(self
            .store
            .scim_people(account)
            .await?
            .iter()
            .filter(|p| Some(p.user.actor.user_id) != except)
            .any(|p| {
                let name = p
                    .profile
                    .as_ref()
                    .and_then(|v| v["userName"].as_str())
                    .unwrap_or(&p.user.actor.email);
                name.eq_ignore_ascii_case(wanted) || p.user.actor.email == write.email
            }))
    }

    /// Creates a person from a User resource, with the role the account
    /// gives newcomers (its single sign-on's, else `user`).
    pub async fn scim_create(
        &self,
        account: &Csn,
        input: &Value,
        base: &str,
    ) -> Result<Scim<Value>> {
        let write = match write_from(input, Lang::default()) {
            Ok(w) => w,
            Err(e) => return Ok(Err(e)),
        };
        if self.user_name_taken(account, &write, None).await? {
            return Ok(Err(uniqueness(format!(
                "a User with the userName or email {} exists",
                write.email
            ))));
        }
        let role = self
            .store
            .sso_settings(account)
            .await?
            .map_or(Role::User, |s| s.newcomer_role.role());
        let now = self.clock.now();
        let audit = AuditEntry {
            account: Some(account.clone()),
            ..AuditEntry::new(now, By::System("scim"), AuditAction::UserCreated)
                .change(json!(null), shown(&write))
        };
        let id = UserId(uuid::Uuid::now_v7());
        let id = match self
            .store
            .scim_create(account, id, role, &write, now, &audit)
            .await
        {
            Ok(id) => id,
            Err(StoreError::Conflict(_)) => return Ok(Err(email_taken(&write))),
            Err(e) => return Err(e.into()),
        };
        self.cache.clear();
        self.scim_user(account, &id.0.to_string(), base).await
    }

    /// Replaces a person with a User resource (PUT).
    pub async fn scim_replace(
        &self,
        account: &Csn,
        id: &str,
        input: &Value,
        base: &str,
    ) -> Result<Scim<Value>> {
        let Some(person) = self.listed(account, id).await? else {
            return Ok(Err(not_found()));
        };
        match write_from(input, person.user.actor.lang) {
            Ok(write) => self.rewrite(account, &person, write, base).await,
            Err(e) => Ok(Err(e)),
        }
    }

    /// Changes a person with PATCH operations.
    pub async fn scim_patch(
        &self,
        account: &Csn,
        id: &str,
        ops: &[PatchOperation],
        base: &str,
    ) -> Result<Scim<Value>> {
        let Some(person) = self.listed(account, id).await? else {
            return Ok(Err(not_found()));
        };
        let mut r = resource(&person, base);
        if let Err(e) = apply_patch(&mut r, ops) {
            return Ok(Err(e));
        }
        match write_from(&r, person.user.actor.lang) {
            Ok(write) => self.rewrite(account, &person, write, base).await,
            Err(e) => Ok(Err(e)),
        }
    }

    async fn rewrite(
        &self,
        account: &Csn,
        person: &ScimPerson,
        write: ScimWrite,
        base: &str,
    ) -> Result<Scim<Value>> {
        let actor = &person.user.actor;
        if actor.role == Role::PrimaryAdmin && !write.active {
            return Ok(Err(keeps_primary_admin()));
        }
        if self
            .user_name_taken(account, &write, Some(actor.user_id))
            .await?
        {
            return Ok(Err(uniqueness(format!(
                "another User has the userName or email {}",
                write.email
            ))));
        }
        let before = json!({ "user": actor.email, "name": actor.name,
                             "active": !person.user.disabled, "via": "scim" });
        let now = self.clock.now();
        let audit = AuditEntry {
            account: Some(account.clone()),
            ..AuditEntry::new(now, By::System("scim"), AuditAction::ScimUserUpdated)
                .change(before, shown(&write))
        };
        match self
            .store
            .scim_update(actor.user_id, &write, now, &audit)
            .await
        {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => return Ok(Err(email_taken(&write))),
            Err(e) => return Err(e.into()),
        }
        self.cache.clear();
        self.scim_user(account, &actor.user_id.0.to_string(), base)
            .await
    }

    /// Removes a person's access (DELETE): they are no longer listed.
    pub async fn scim_delete(&self, account: &Csn, id: &str) -> Result<Scim<()>> {
        let Some(person) = self.listed(account, id).await? else {
            return Ok(Err(not_found()));
        };
        let actor = &person.user.actor;
        if actor.role == Role::PrimaryAdmin {
            return Ok(Err(keeps_primary_admin()));
        }
        let now = self.clock.now();
        let audit = AuditEntry {
            account: Some(account.clone()),
            ..AuditEntry::new(now, By::System("scim"), AuditAction::AccessRemoved).change(
                json!({ "user": actor.email, "access": true }),
                json!({ "user": actor.email, "access": false, "via": "scim" }),
            )
        };
        self.store.scim_delete(actor.user_id, now, &audit).await?;
        self.cache.clear();
        Ok(Ok(()))
    }
}
