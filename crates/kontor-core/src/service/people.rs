//! The primary admin manages the account's people: their roles and which
//! agreements each `user` sees (SPEC roles table, R1, R11).

use serde_json::json;

use super::Services;
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::ids::AgreementNumber;
use crate::domain::notify::{OutboxMessage, Recipient, RecipientRole};
use crate::domain::permissions::Permission;
use crate::domain::roles::{Actor, Lang, Role, Tenant, UserId};
use crate::domain::values::{EmailAddress, PasswordHasher, chosen_password_problem};
use crate::domain::zone::Zone;
use crate::error::{Error, FieldError, Result, StoreError, Text};
use crate::store::{LinkPurpose, NewInvitation, NewUser, Scope, UserRecord};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;
/// How long a password-reset link works.
pub const RESET_MINUTES: i64 = 60;
/// Reset mails one person gets per hour at most, however often the form is sent.
pub const RESETS_PER_HOUR: u32 = 3;

/// A person the primary admin adds.
#[derive(Debug, Clone)]
pub struct NewPerson {
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// `secondary_admin` or `user`.
    pub role: String,
    /// `de` or `en`.
    pub lang: String,
}

/// A person to invite, checked.
struct Invitee {
    email: String,
    name: String,
    role: Role,
    lang: Lang,
}

impl TryFrom<&NewPerson> for Invitee {
    type Error = Vec<FieldError>;

    fn try_from(input: &NewPerson) -> Result<Self, Self::Error> {
        let mut errors = Vec::new();
        let email = EmailAddress::parse(&input.email).map(String::from);
        if email.is_none() {
            errors.push(FieldError::coded(
                "email",
                "email-format",
                Vec::new(),
                "expected an email address such as anna@example.com",
            ));
        }
        let name = person_name(&input.name, &mut errors);
        // The primary admin is the one who invites; there is only one.
        let role =
            Role::parse(&input.role).filter(|r| matches!(r, Role::SecondaryAdmin | Role::User));
        if role.is_none() {
            errors.push(role_choice());
        }
        let lang = person_lang(&input.lang, &mut errors);
        match (email, name, role, lang) {
            (Some(email), Some(name), Some(role), Some(lang)) if errors.is_empty() => Ok(Invitee {
                email,
                name,
                role,
                lang,
            }),
            _ => Err(errors),
        }
    }
}

/// A person's display name, 1–200 characters once trimmed (field `name`);
/// a problem is added to `errors`.
pub(crate) fn person_name(raw: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::coded(
            "name",
            "name-length",
            Vec::new(),
            "expected 1–200 characters",
        ));
        return None;
    }
    Some(name.to_owned())
}

/// A person's language, `de` or `en` (field `lang`); a problem is added
/// to `errors`.
pub(crate) fn person_lang(raw: &str, errors: &mut Vec<FieldError>) -> Option<Lang> {
    let lang = Lang::parse(raw.trim());
    if lang.is_none() {
        errors.push(FieldError::coded(
            "lang",
            "lang-choice",
            Vec::new(),
            "expected de or en",
        ));
    }
    lang
}

/// The mail that brings `user` the invitation link.
/// The invitee has no zone yet: the mail gives the link's expiry in the
/// inviter's, who works in the same place more often than not.
fn invitation_mail(
    (email, name, lang): (&str, &str, Lang),
    link: String,
    invitation: &NewInvitation,
    time_zone: Zone,
) -> OutboxMessage {
    OutboxMessage::Invitation {
        event_id: uuid::Uuid::now_v7(),
        recipients: vec![Recipient {
            to: email.to_owned(),
            lang,
            time_zone,
            role: RecipientRole::Person,
        }],
        name: name.to_owned(),
        link,
        expires_at: invitation.expires_at,
    }
}

impl Services {
    fn primary_admin_account<'a>(&self, actor: &'a Actor) -> Result<&'a crate::domain::ids::Csn> {
        match (actor.role, actor.account()) {
            (Role::PrimaryAdmin, Some(a)) => Ok(a),
            _ => Err(Error::Forbidden(Text::new(
                "forbidden-manage-people",
                "only the account's primary administrator manages its people",
            ))),
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

    /// Sends a person of the account who has not accepted their
    /// invitation a new link (`token_hash` of it stored); their earlier
    /// links stop working. A person who set a password, or whose access
    /// was removed, has no invitation to resend (409).
    pub async fn resend_invitation(
        &self,
        actor: &Actor,
        email: &str,
        token_hash: String,
        link: String,
    ) -> Result<()> {
        let user = self.account_person(actor, email).await?;
        if user.disabled || user.password_hash.is_some() {
            return Err(Error::Conflict {
                code: "invitation_not_pending",
                detail: Text::with(
                    "invitation-not-pending",
                    vec![("email", user.actor.email.clone())],
                    format!("{} has no open invitation", user.actor.email),
                ),
            });
        }
        let now = self.clock.now();
        let invitation = NewInvitation {
            purpose: LinkPurpose::Invitation,
            token_hash,
            created_at: now,
            expires_at: now + time::Duration::days(INVITATION_DAYS),
        };
        let who = &user.actor;
        let mail = invitation_mail(
            (&who.email, &who.name, who.lang),
            link,
            &invitation,
            actor.time_zone,
        );
        let audit = AuditEntry {
            account: actor.account().cloned(),
            ..AuditEntry::new(now, By::Person(actor), AuditAction::InvitationResent)
                .change(json!(null), json!({ "user": who.email, "invited": true }))
        };
        self.store
            .resend_invitation(who.user_id, &invitation, &audit, &[mail])
            .await?;
        Ok(())
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

    /// Adds a person to the account without a password; a token of 256
    /// random bits, made by the caller, becomes their one-time invitation:
    /// `token_hash` is stored, `link` (with the token) is mailed to them.
    pub async fn invite_person(
        &self,
        actor: &Actor,
        input: &NewPerson,
        token_hash: String,
        link: String,
    ) -> Result<UserRecord> {
        let account = self.primary_admin_account(actor)?.clone();
        let invitee = Invitee::try_from(input).map_err(Error::Invalid)?;
        let now = self.clock.now();
        let user = NewUser {
            id: UserId(uuid::Uuid::now_v7()),
            email: invitee.email,
            name: invitee.name,
            role: invitee.role,
            tenant: Tenant::Account(account.clone()),
            lang: invitee.lang,
            password_hash: None,
            created_at: now,
        };
        let invitation = NewInvitation {
            purpose: LinkPurpose::Invitation,
            token_hash,
            created_at: now,
            expires_at: now + time::Duration::days(INVITATION_DAYS),
        };
        let mail = invitation_mail(
            (&user.email, &user.name, user.lang),
            link,
            &invitation,
            actor.time_zone,
        );
        // A person whose access was removed can be invited again; the
        // audit entry says they had been there.
        let before = match self.store.user_by_email(&user.email).await? {
            Some(u) if u.disabled && u.actor.tenant == user.tenant => {
                json!({ "user": user.email, "access": false })
            }
            _ => json!(null),
        };
        let audit = AuditEntry {
            account: Some(account),
            ..AuditEntry::new(now, By::Person(actor), AuditAction::UserCreated).change(
                before,
                json!({ "user": user.email, "role": user.role, "invited": true }),
            )
        };
        let id = self
            .store
            .invite_user(&user, &invitation, &audit, &[mail])
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => Error::Invalid(vec![FieldError::coded(
                    "email",
                    "person-has-access",
                    vec![("email", user.email.clone())],
                    format!("{} already has access to kontor", user.email),
                )]),
                e => e.into(),
            })?;
        self.cache.clear();
        Ok(UserRecord {
            actor: Actor {
                user_id: id,
                email: user.email,
                name: user.name,
                role: user.role,
                tenant: user.tenant,
                lang: user.lang,
                time_zone: actor.time_zone,
            },
            password_hash: None,
            disabled: false,
        })
    }

    /// Sets the invited person's password with their one-time link.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        password: &str,
        hasher: &dyn PasswordHasher,
    ) -> Result<Actor> {
        self.use_link(token_hash, LinkPurpose::Invitation, password, hasher)
            .await
    }

    /// Sets a new password with a reset link; every session of the person
    /// ends.
    pub async fn reset_password(
        &self,
        token_hash: &str,
        password: &str,
        hasher: &dyn PasswordHasher,
    ) -> Result<Actor> {
        self.use_link(token_hash, LinkPurpose::PasswordReset, password, hasher)
            .await
    }

    /// Whether a one-time link still works (the form is shown only then).
    pub async fn link_works(&self, token_hash: &str, purpose: LinkPurpose) -> Result<bool> {
        let now = self.clock.now();
        Ok(self
            .store
            .invitation(token_hash, purpose)
            .await?
            .is_some_and(|i| !i.used && i.expires_at > now && !i.user.disabled))
    }

    /// Mails a password-reset link when `email` belongs to an enabled
    /// person; answers the same either way, so the form does not tell who
    /// has an account. At most [`RESETS_PER_HOUR`] mails per person per hour.
    pub async fn request_password_reset(
        &self,
        email: &str,
        token_hash: String,
        link: String,
    ) -> Result<()> {
        let Some(email) = EmailAddress::parse(email).map(String::from) else {
            return Err(Error::invalid(FieldError::coded(
                "email",
                "email-format",
                Vec::new(),
                "expected an email address such as anna@example.com",
            )));
        };
        let Some(user) = self.store.user_by_email(&email).await? else {
            return Ok(());
        };
        if user.disabled {
            return Ok(());
        }
        let now = self.clock.now();
        let recent = self
            .store
            .password_resets_since(user.actor.user_id, now - time::Duration::hours(1))
            .await?;
        if recent >= RESETS_PER_HOUR {
            return Ok(());
        }
        let reset = NewInvitation {
            purpose: LinkPurpose::PasswordReset,
            token_hash,
            created_at: now,
            expires_at: now + time::Duration::minutes(RESET_MINUTES),
        };
        let mail = OutboxMessage::PasswordReset {
            event_id: uuid::Uuid::now_v7(),
            recipients: vec![Recipient {
                to: user.actor.email.clone(),
                lang: user.actor.lang,
                time_zone: user.actor.time_zone,
                role: RecipientRole::Person,
            }],
            link,
            expires_at: reset.expires_at,
        };
        self.store
            .create_password_reset(user.actor.user_id, &reset, &[mail])
            .await?;
        Ok(())
    }

    async fn use_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        password: &str,
        hasher: &dyn PasswordHasher,
    ) -> Result<Actor> {
        let what = match purpose {
            LinkPurpose::Invitation => "invitation",
            LinkPurpose::PasswordReset => "password reset link",
        };
        let link = self
            .store
            .invitation(token_hash, purpose)
            .await?
            .ok_or(Error::NotFound(what))?;
        let now = self.clock.now();
        if link.used || link.expires_at <= now || link.user.disabled {
            return Err(Error::NotFound(what));
        }
        let who = &link.user.actor;
        if let Some(problem) =
            chosen_password_problem("password", password, &[&who.email, &who.name])
        {
            return Err(problem);
        }
        let hash = hasher.hash(password)?;
        let audit = match purpose {
            LinkPurpose::Invitation => {
                AuditEntry::new(now, By::Person(who), AuditAction::InvitationAccepted).change(
                    json!({ "user": who.email, "invited": true }),
                    json!({ "user": who.email, "password_set": true }),
                )
            }
            LinkPurpose::PasswordReset => {
                AuditEntry::new(now, By::Person(who), AuditAction::PasswordReset).change(
                    json!({ "user": who.email }),
                    json!({ "user": who.email, "password_set": true, "sessions_ended": true }),
                )
            }
        };
        let audit = AuditEntry {
            account: who.account().cloned(),
            ..audit
        };
        match self
            .store
            .accept_invitation(token_hash, purpose, &hash, now, &audit)
            .await
        {
            Ok(()) => Ok(link.user.actor),
            Err(StoreError::NotFound) => Err(Error::NotFound(what)),
            Err(e) => Err(e.into()),
        }
    }

    /// The person of the account whose access `actor` may remove: anyone
    /// but the primary administrator; nothing changes (the portal asks
    /// this before it asks for confirmation).
    pub async fn removable_person(&self, actor: &Actor, email: &str) -> Result<UserRecord> {
        let target = self.account_person(actor, email).await?;
        if target.actor.role == Role::PrimaryAdmin {
            return Err(Error::Invalid(vec![FieldError::coded(
                "email",
                "person-is-primary",
                Vec::new(),
                "the primary administrator's access cannot be removed here",
            )]));
        }
        Ok(target)
    }

    /// Removes another person's access to the account.
    pub async fn remove_access(&self, actor: &Actor, email: &str) -> Result<()> {
        let target = self.removable_person(actor, email).await?;
        let now = self.clock.now();
        let audit = AuditEntry::new(now, By::Person(actor), AuditAction::AccessRemoved).change(
            json!({ "user": target.actor.email, "access": true }),
            json!({ "user": target.actor.email, "access": false }),
        );
        let audit = AuditEntry {
            account: actor.account().cloned(),
            ..audit
        };
        self.store
            .disable_user(target.actor.user_id, now, &audit)
            .await?;
        self.cache.clear();
        Ok(())
    }

    /// Makes another person of the account a secondary admin or a user.
    pub async fn change_role(&self, actor: &Actor, email: &str, role: Role) -> Result<()> {
        let target = self.account_person(actor, email).await?;
        if target.actor.user_id == actor.user_id || target.actor.role == Role::PrimaryAdmin {
            return Err(Error::Invalid(vec![FieldError::coded(
                "role",
                "role-of-primary",
                Vec::new(),
                "the primary administrator's own role cannot be changed here",
            )]));
        }
        if !matches!(role, Role::SecondaryAdmin | Role::User) {
            return Err(Error::invalid(role_choice()));
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
            return Err(Error::Invalid(vec![FieldError::coded(
                "agreements",
                "agreements-of-admin",
                Vec::new(),
                "administrators see every agreement of the account",
            )]));
        }
        let scope = Scope::Account(self.primary_admin_account(actor)?.clone());
        let mut numbers = Vec::with_capacity(agreements.len());
        let mut errors = Vec::new();
        for (i, raw) in agreements.iter().enumerate() {
            match AgreementNumber::parse(raw) {
                Ok(n) if self.store.agreement_state(&scope, &n).await?.is_some() => numbers.push(n),
                Ok(n) => errors.push(FieldError::coded(
                    format!("agreements[{i}]"),
                    "agreement-not-in-account",
                    vec![("number", n.to_string())],
                    format!("agreement {n} not found in this account"),
                )),
                Err(e) => errors.push(e.at(format!("agreements[{i}]"))),
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

impl Services {
    /// The caller's API tokens, newest first (never the tokens themselves).
    pub async fn my_tokens(&self, actor: &Actor) -> Result<Vec<crate::store::TokenRecord>> {
        Ok(self.store.tokens_of(actor.user_id).await?)
    }

    /// Revokes an API token: its owner may, and an operator may revoke
    /// anyone's. Returns the token's hash so caches can drop it. Another
    /// person's token is "not found" to everyone else (R1).
    pub async fn revoke_token(&self, actor: &Actor, id: uuid::Uuid) -> Result<String> {
        let token = self
            .store
            .token(id)
            .await?
            .filter(|t| t.user_id == actor.user_id || actor.may(Permission::RevokeAnyonesAccess))
            .ok_or(Error::NotFound("token"))?;
        if token.revoked_at.is_some() {
            return Err(already_revoked());
        }
        let now = self.clock.now();
        let audit = AuditEntry::new(now, By::Person(actor), AuditAction::TokenRevoked).change(
            json!({ "token_id": token.id, "label": token.label, "revoked": false }),
            json!({ "token_id": token.id, "revoked": true }),
        );
        match self.store.revoke_token(id, now, &audit).await {
            Ok(hash) => Ok(hash),
            Err(StoreError::NotFound) => Err(already_revoked()),
            Err(e) => Err(e.into()),
        }
    }

    /// Ends every session and revokes every API token of the person with
    /// `email`: anyone for themself ("sign out everywhere"), an operator for
    /// anyone. Returns how many tokens and sessions ended.
    pub async fn revoke_access(&self, actor: &Actor, email: &str) -> Result<(u64, u64)> {
        let email = email.trim().to_lowercase();
        let target = if email == actor.email {
            actor.clone()
        } else if actor.may(Permission::RevokeAnyonesAccess) {
            self.store
                .user_by_email(&email)
                .await?
                .ok_or(Error::NotFound("person"))?
                .actor
        } else {
            return Err(Error::NotFound("person"));
        };
        let now = self.clock.now();
        let audit = AuditEntry {
            account: target.account().cloned(),
            ..AuditEntry::new(now, By::Person(actor), AuditAction::AccessRevoked).change(
                json!({ "user": target.email }),
                json!({ "user": target.email, "tokens_revoked": true, "sessions_ended": true }),
            )
        };
        Ok(self
            .store
            .revoke_access(target.user_id, now, &audit)
            .await?)
    }
}

/// A person can only invite or make secondary admins and users.
fn role_choice() -> FieldError {
    FieldError::coded(
        "role",
        "role-choice",
        Vec::new(),
        "expected secondary_admin or user",
    )
}

fn already_revoked() -> Error {
    Error::Conflict {
        code: "already_revoked",
        detail: Text::new("token-revoked", "this token is already revoked"),
    }
}
