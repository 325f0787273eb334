//! Second factors (#21): setting up an authenticator app, proving a code
//! or a recovery code, recovery codes, removing one's own, an admin
//! resetting a colleague's, support resetting a lone admin's after a
//! recorded verification, and the account's rule of who must have one.
//!
//! Randomness comes from the caller (the web layer), so this stays free
//! of I/O besides the store; throttling of codes is the caller's too, as
//! for passwords.

use serde_json::json;
use time::Duration;

use super::Services;
use crate::StoreError;
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::notify::{Contact, OutboxMessage, Recipient, RecipientRole, SecondFactorEvent};
use crate::domain::roles::{Actor, Role, Tenant};
use crate::domain::second_factor::{
    AccountSecurity, CodeRefused, MAX_GRACE_DAYS, RECOVERY_BYTES, RECOVERY_CODES, SECRET_BYTES,
    SecondFactorFacts, Standing, TotpKey, TwoFactorRule, recovery_codes, recovery_hash,
};
use crate::error::{Error, FieldError, Result, Text};
use crate::store::{FactorRemoval, SecondFactorRecord, UserRecord};

/// Fresh random bytes for ten recovery codes.
pub type RecoveryRandom = [[u8; RECOVERY_BYTES]; RECOVERY_CODES];

/// An authenticator-app key waiting for its first code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// The key in base32, to type in by hand.
    pub secret: String,
    /// The `otpauth://` link the QR code holds.
    pub otpauth_url: String,
}

/// What a person typed at the second step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// A code of their app.
    AppCode,
    /// One of their recovery codes (now used); this many are left.
    RecoveryCode {
        /// Unused codes left.
        left: u32,
    },
}

/// Why a second factor was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofRefused {
    /// A code of the app that is wrong, malformed or used.
    Code(CodeRefused),
    /// Not a recovery code of theirs, or one used already.
    RecoveryCode,
    /// They have no second factor to prove.
    NoneSetUp,
}

/// How a support agent verified a locked-out person before resetting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// How.
    pub method: VerificationMethod,
    /// What was checked, in the agent's words (kept in the audit log).
    pub note: String,
}

crate::domain::agreement::str_enum!(
    /// How a support agent verified who is asking (#21).
    VerificationMethod {
        /// Called the person back on a number the vendor has on file.
        Callback = "callback",
        /// The person named contract details only the customer knows.
        ContractDetails = "contract_details",
        /// An identity document, checked against the person's name.
        IdDocument = "id_document",
    }
);

/// Longest verification note, in characters.
pub const MAX_NOTE: usize = 1000;

impl Services {
    /// `actor`'s second factors.
    pub async fn second_factor_of(&self, actor: &Actor) -> Result<SecondFactorRecord> {
        Ok(self.store.second_factor(actor.user_id).await?)
    }

    /// Where `actor` stands with the two-factor rules now.
    pub async fn standing(&self, actor: &Actor, staff_grace: Duration) -> Result<Standing> {
        let facts = self.facts(actor).await?;
        Ok(facts.standing(actor.role, staff_grace, self.clock.now()))
    }

    /// Starts setting up an authenticator app with a new key from
    /// `random`, replacing one that waits for its first code. 409 when
    /// one is set up already.
    pub async fn start_totp(&self, actor: &Actor, random: [u8; SECRET_BYTES]) -> Result<Enrolment> {
        let key = TotpKey::from_random(random);
        let enrolment = enrolment(&key, actor)?;
        match self
            .store
            .stage_totp(actor.user_id, &key.base32(), self.clock.now())
            .await
        {
            Ok(()) => Ok(enrolment),
            Err(StoreError::Conflict(_)) => Err(already_set_up()),
            Err(e) => Err(e.into()),
        }
    }

    /// The key waiting for its first code, if any (to show it again).
    pub async fn waiting_totp(&self, actor: &Actor) -> Result<Option<Enrolment>> {
        let record = self.store.second_factor(actor.user_id).await?;
        match record.totp {
            Some(t) if t.confirmed_at.is_none() => {
                let key = TotpKey::from_base32(&t.secret)
                    .ok_or_else(|| anyhow::anyhow!("stored authenticator key is not base32"))?;
                Ok(Some(enrolment(&key, actor)?))
            }
            _ => Ok(None),
        }
    }

    /// Confirms the waiting key with its first `code`; answers the ten
    /// recovery codes (made from `random`), shown this once. Mails the
    /// person. A wrong code is an invalid `code` field.
    pub async fn confirm_totp(
        &self,
        actor: &Actor,
        code: &str,
        random: &RecoveryRandom,
    ) -> Result<Vec<String>> {
        let record = self.store.second_factor(actor.user_id).await?;
        let waiting = match record.totp {
            Some(t) if t.confirmed_at.is_none() => t,
            Some(_) => return Err(already_set_up()),
            None => {
                return Err(Error::Conflict {
                    code: "no_key_waiting",
                    detail: Text::new(
                        "second-factor-nothing-waiting",
                        "start setting up the authenticator app first",
                    ),
                });
            }
        };
        let key = TotpKey::from_base32(&waiting.secret)
            .ok_or_else(|| anyhow::anyhow!("stored authenticator key is not base32"))?;
        let now = self.clock.now();
        let step = key
            .check(code, now, None)
            .map_err(|refused| Error::invalid(code_error(ProofRefused::Code(refused))))?;
        let codes = recovery_codes(random);
        let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(c)).collect();
        let audit = own_audit(actor, now, AuditAction::SecondFactorEnabled).change(
            json!({ "app": false }),
            json!({ "app": true, "recovery_codes": RECOVERY_CODES }),
        );
        let mail = notice(
            actor,
            vec![me(actor)],
            SecondFactorEvent::Enabled,
            None,
            None,
            now,
        );
        match self
            .store
            .confirm_totp(actor.user_id, step, now, &hashes, &audit, &[mail])
            .await
        {
            Ok(()) => Ok(codes),
            // Confirmed by another request in between.
            Err(StoreError::NotFound) => Err(already_set_up()),
            Err(e) => Err(e.into()),
        }
    }

    /// Checks a second factor of `person`: six digits are an app code,
    /// anything else a recovery code. An accepted app code's step is used
    /// up in the same write that accepts it; a recovery code is used up,
    /// audited and mailed.
    pub async fn prove_second_factor(
        &self,
        person: &Actor,
        input: &str,
    ) -> Result<std::result::Result<Proof, ProofRefused>> {
        let record = self.store.second_factor(person.user_id).await?;
        let Some(totp) = record.confirmed_totp() else {
            return Ok(Err(ProofRefused::NoneSetUp));
        };
        let now = self.clock.now();
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
            let key = TotpKey::from_base32(&totp.secret)
                .ok_or_else(|| anyhow::anyhow!("stored authenticator key is not base32"))?;
            return Ok(match key.check(&digits, now, totp.last_step) {
                Ok(step) if self.store.use_totp_step(person.user_id, step).await? => {
                    Ok(Proof::AppCode)
                }
                // Another request used the same step a moment earlier.
                Ok(_) => Err(ProofRefused::Code(CodeRefused::Reused)),
                Err(refused) => Err(ProofRefused::Code(refused)),
            });
        }
        let left = record.recovery_left.saturating_sub(1);
        let audit = own_audit(person, now, AuditAction::RecoveryCodeUsed)
            .change(json!(null), json!({ "recovery_codes_left": left }));
        let mail = notice(
            person,
            vec![me(person)],
            SecondFactorEvent::RecoveryCodeUsed,
            None,
            Some(left),
            now,
        );
        let used = self
            .store
            .use_recovery_code(person.user_id, &recovery_hash(input), now, &audit, &[mail])
            .await?;
        Ok(if used {
            Ok(Proof::RecoveryCode { left })
        } else {
            Err(ProofRefused::RecoveryCode)
        })
    }

    /// New recovery codes for `actor` (the old ones stop working), shown
    /// this once. 409 without an app set up.
    pub async fn renew_recovery_codes(
        &self,
        actor: &Actor,
        random: &RecoveryRandom,
    ) -> Result<Vec<String>> {
        let record = self.store.second_factor(actor.user_id).await?;
        if record.confirmed_totp().is_none() {
            return Err(nothing_set_up());
        }
        let now = self.clock.now();
        let codes = recovery_codes(random);
        let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(c)).collect();
        let audit = own_audit(actor, now, AuditAction::RecoveryCodesRenewed).change(
            json!({ "recovery_codes_left": record.recovery_left }),
            json!({ "recovery_codes_left": RECOVERY_CODES }),
        );
        let mail = notice(
            actor,
            vec![me(actor)],
            SecondFactorEvent::RecoveryCodesRenewed,
            None,
            None,
            now,
        );
        self.store
            .replace_recovery_codes(actor.user_id, &hashes, &audit, &[mail])
            .await?;
        Ok(codes)
    }

    /// Removes `actor`'s own second factor — refused while a rule requires
    /// one of them (they would be locked out of what they do).
    pub async fn remove_own_second_factor(&self, actor: &Actor) -> Result<()> {
        let facts = self.facts(actor).await?;
        let passkeys = self.store.passkeys_of(actor.user_id).await?;
        if facts.required(actor.role) && passkeys.is_empty() {
            return Err(required_keep());
        }
        let now = self.clock.now();
        let audit = own_audit(actor, now, AuditAction::SecondFactorRemoved)
            .change(json!({ "app": true }), json!({ "app": false }));
        let mail = notice(
            actor,
            vec![me(actor)],
            SecondFactorEvent::Removed,
            None,
            None,
            now,
        );
        self.store
            .remove_second_factor(actor.user_id, FactorRemoval::App, None, &[audit], &[mail])
            .await
            .map_err(|e| match e {
                StoreError::NotFound => nothing_set_up(),
                e => e.into(),
            })
    }

    /// An admin of a customer account removes a colleague's second factor
    /// (a lost phone): the colleague sets up a new one at their next
    /// sign-in. Audited; mails the colleague and every admin.
    pub async fn reset_colleague_second_factor(&self, actor: &Actor, email: &str) -> Result<()> {
        let account = match actor.account() {
            Some(a) if actor.role.is_account_admin() => a.clone(),
            _ => {
                return Err(Error::Forbidden(Text::new(
                    "forbidden-reset-second-factor",
                    "only an administrator of the account resets a colleague's second factor",
                )));
            }
        };
        let target = self.person_by_email(email).await?;
        if target.actor.tenant != Tenant::Account(account) || target.disabled {
            return Err(Error::NotFound("user"));
        }
        if target.actor.user_id == actor.user_id {
            return Err(Error::refused(FieldError::coded(
                "email",
                "reset-own-second-factor",
                Vec::new(),
                "you cannot reset your own second factor; use a recovery code, or ask another administrator or support",
            )));
        }
        self.reset(actor, &target, Vec::new()).await
    }

    /// A support agent (or operator) removes the second factor of a person
    /// nobody else can help — a customer whose account has no other
    /// active administrator, partner staff, or (operators only) vendor
    /// staff — after recording how they verified who is asking.
    pub async fn support_reset_second_factor(
        &self,
        actor: &Actor,
        email: &str,
        verification: &Verification,
    ) -> Result<()> {
        if !matches!(actor.role, Role::SupportAgent | Role::Operator) {
            return Err(Error::Forbidden(Text::new(
                "forbidden-support-reset",
                "only support agents and operators reset a second factor after verification",
            )));
        }
        let note = verification.note.trim();
        if note.chars().count() < 10 || note.chars().count() > MAX_NOTE {
            return Err(Error::invalid(FieldError::coded(
                "note",
                "text-length-between",
                vec![("min", "10".into()), ("max", MAX_NOTE.to_string())],
                format!("describe what you checked in 10–{MAX_NOTE} characters"),
            )));
        }
        let target = self.person_by_email(email).await?;
        if target.disabled {
            return Err(Error::NotFound("user"));
        }
        if target.actor.user_id == actor.user_id {
            return Err(Error::refused(FieldError::coded(
                "email",
                "reset-own-second-factor",
                Vec::new(),
                "you cannot reset your own second factor; ask an operator",
            )));
        }
        match &target.actor.tenant {
            Tenant::Account(csn) => {
                let others: Vec<String> = self
                    .store
                    .account_users(csn)
                    .await?
                    .into_iter()
                    .filter(|u| {
                        u.actor.user_id != target.actor.user_id
                            && u.actor.role.is_account_admin()
                            && !u.disabled
                            && u.password_hash.is_some()
                    })
                    .map(|u| u.actor.name)
                    .collect();
                if !others.is_empty() {
                    return Err(Error::refused(FieldError::coded(
                        "email",
                        "another-admin-can-reset",
                        vec![("names", others.join(", "))],
                        format!(
                            "another administrator of the account can reset it: {}",
                            others.join(", ")
                        ),
                    )));
                }
            }
            Tenant::Partner(_) => {}
            Tenant::Vendor if actor.role == Role::Operator => {}
            Tenant::Vendor => {
                return Err(Error::Forbidden(Text::new(
                    "forbidden-reset-staff",
                    "only an operator resets the second factor of vendor staff",
                )));
            }
        }
        let verified = AuditEntry {
            account: target.actor.account().cloned(),
            ..AuditEntry::new(
                self.clock.now(),
                By::Person(actor),
                AuditAction::IdentityVerified,
            )
            .change(
                json!(null),
                json!({
                    "user": target.actor.email,
                    "method": verification.method.as_str(),
                    "note": note,
                }),
            )
        };
        self.reset(actor, &target, vec![verified]).await
    }

    /// The active people of an admin's account, each with whether they
    /// have a second factor (to see who needs help, and reset).
    pub async fn colleagues_second_factors(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(UserRecord, bool)>> {
        let account = match actor.account() {
            Some(a) if actor.role.is_account_admin() => a,
            _ => return Ok(Vec::new()),
        };
        let mut people = Vec::new();
        for person in self.store.account_users(account).await? {
            if person.disabled {
                continue;
            }
            let enrolled = self
                .store
                .second_factor_facts(person.actor.user_id)
                .await?
                .is_some_and(|f| f.enrolled);
            people.push((person, enrolled));
        }
        Ok(people)
    }

    /// The account's two-factor rule, if its primary admin set one.
    pub async fn two_factor_rule(&self, actor: &Actor) -> Result<Option<AccountSecurity>> {
        match actor.account() {
            Some(csn) => Ok(self.store.account_security(csn).await?),
            None => Ok(None),
        }
    }

    /// The primary admin sets who of the account must use a second factor
    /// and how many days each has to set one up. A rule that now covers
    /// the primary admin requires theirs first (they would otherwise lock
    /// themselves out of this page when the period ends).
    pub async fn set_two_factor_rule(
        &self,
        actor: &Actor,
        rule: TwoFactorRule,
        grace_days: i64,
    ) -> Result<AccountSecurity> {
        let account = match (actor.role, actor.account()) {
            (Role::PrimaryAdmin, Some(a)) => a.clone(),
            _ => {
                return Err(Error::Forbidden(Text::new(
                    "forbidden-two-factor-rule",
                    "only the account's primary administrator sets the two-factor rule",
                )));
            }
        };
        if !(0..=MAX_GRACE_DAYS).contains(&grace_days) {
            return Err(Error::invalid(FieldError::coded(
                "grace_days",
                "expected-whole-number",
                vec![("min", "0".into()), ("max", MAX_GRACE_DAYS.to_string())],
                format!("expected a whole number from 0 to {MAX_GRACE_DAYS}"),
            )));
        }
        let before = self.store.account_security(&account).await?;
        if rule != TwoFactorRule::Off && !self.facts(actor).await?.enrolled {
            return Err(Error::refused(FieldError::coded(
                "rule",
                "second-factor-own-first",
                Vec::new(),
                "set up your own second factor before you require one of others",
            )));
        }
        let now = self.clock.now();
        // Changing only the period keeps everyone's start; a new rule
        // starts everyone's period now.
        let since = match before {
            Some(b) if b.rule == rule => b.since,
            _ => now,
        };
        let security = AccountSecurity {
            rule,
            grace_days,
            since,
        };
        let shown = |s: Option<&AccountSecurity>| match s {
            Some(s) => json!({ "rule": s.rule.as_str(), "grace_days": s.grace_days }),
            None => json!({ "rule": "off" }),
        };
        let audit = AuditEntry {
            account: Some(account.clone()),
            ..AuditEntry::new(now, By::Person(actor), AuditAction::SecondFactorRuleChanged)
                .change(shown(before.as_ref()), shown(Some(&security)))
        };
        self.store
            .set_account_security(&account, &security, &audit)
            .await?;
        Ok(security)
    }

    /// What decides whether `actor` must have a second factor.
    pub(crate) async fn facts(&self, actor: &Actor) -> Result<SecondFactorFacts> {
        self.store
            .second_factor_facts(actor.user_id)
            .await?
            .ok_or(Error::NotFound("user"))
    }

    async fn person_by_email(&self, email: &str) -> Result<UserRecord> {
        self.store
            .user_by_email(&email.trim().to_lowercase())
            .await?
            .ok_or(Error::NotFound("user"))
    }

    /// Removes `target`'s second factor on behalf of `actor`, with the
    /// entries recorded before it (a verification), mailing the person
    /// and their account's admins.
    async fn reset(
        &self,
        actor: &Actor,
        target: &UserRecord,
        mut audit: Vec<AuditEntry>,
    ) -> Result<()> {
        let now = self.clock.now();
        let person = &target.actor;
        audit.push(AuditEntry {
            account: person.account().cloned(),
            ..AuditEntry::new(now, By::Person(actor), AuditAction::SecondFactorReset).change(
                json!({ "user": person.email, "app": true }),
                json!({ "user": person.email, "app": false, "new_one_due": "next sign-in" }),
            )
        });
        let mut recipients = vec![me(person)];
        if let Some(csn) = person.account() {
            recipients.extend(
                self.store
                    .account_admins(csn)
                    .await?
                    .into_iter()
                    .filter(|c| c.email != person.email)
                    .map(|c| admin(&c)),
            );
        }
        let mail = notice(
            person,
            recipients,
            SecondFactorEvent::Reset,
            Some(format!("{} ({})", actor.name, actor.email)),
            None,
            now,
        );
        match self
            .store
            .remove_second_factor(
                person.user_id,
                FactorRemoval::Everything,
                Some(now),
                &audit,
                &[mail],
            )
            .await
        {
            Ok(()) => Ok(()),
            Err(StoreError::NotFound) => Err(Error::Conflict {
                code: "no_second_factor",
                detail: Text::new(
                    "second-factor-none-to-reset",
                    "this person has no second factor to reset",
                ),
            }),
            Err(e) => Err(e.into()),
        }
    }
}

/// The field error for a refused second factor, as the second step and
/// the app's set-up show it.
pub fn code_error(refused: ProofRefused) -> FieldError {
    let (code, english) = match refused {
        ProofRefused::Code(CodeRefused::Malformed) => {
            ("code-malformed", "expected the 6 digits your app shows")
        }
        ProofRefused::Code(CodeRefused::Wrong) => (
            "code-wrong",
            "this code is not right; check your device's time and enter the current code",
        ),
        ProofRefused::Code(CodeRefused::Reused) => (
            "code-reused",
            "this code was used already; wait for the next one",
        ),
        ProofRefused::RecoveryCode => (
            "recovery-code-wrong",
            "this is not an unused recovery code of yours",
        ),
        ProofRefused::NoneSetUp => ("second-factor-none", "no second factor is set up"),
    };
    FieldError::coded("code", code, Vec::new(), english)
}

fn enrolment(key: &TotpKey, actor: &Actor) -> Result<Enrolment> {
    let otpauth_url = key.otpauth_url(&actor.email).ok_or_else(|| {
        Error::refused(FieldError::coded(
            "email",
            "email-colon",
            Vec::new(),
            "an email with ':' cannot name an authenticator entry",
        ))
    })?;
    Ok(Enrolment {
        secret: key.base32(),
        otpauth_url,
    })
}

pub(crate) fn required_keep() -> Error {
    Error::Conflict {
        code: "second_factor_required",
        detail: Text::new(
            "second-factor-required-keep",
            "your second factor is required and cannot be removed; set up a new one instead",
        ),
    }
}

fn already_set_up() -> Error {
    Error::Conflict {
        code: "second_factor_exists",
        detail: Text::new(
            "second-factor-exists",
            "an authenticator app is set up already; remove it before setting up another",
        ),
    }
}

pub(crate) fn nothing_set_up() -> Error {
    Error::Conflict {
        code: "no_second_factor",
        detail: Text::new("second-factor-none", "no second factor is set up"),
    }
}

pub(crate) fn own_audit(
    actor: &Actor,
    now: time::OffsetDateTime,
    action: AuditAction,
) -> AuditEntry {
    AuditEntry {
        account: actor.account().cloned(),
        ..AuditEntry::new(now, By::Person(actor), action)
    }
}

pub(crate) fn me(actor: &Actor) -> Recipient {
    Recipient {
        to: actor.email.clone(),
        lang: actor.lang,
        time_zone: actor.time_zone,
        role: RecipientRole::Person,
    }
}

fn admin(c: &Contact) -> Recipient {
    Recipient::of(c, RecipientRole::AccountAdmin)
}

pub(crate) fn notice(
    person: &Actor,
    recipients: Vec<Recipient>,
    event: SecondFactorEvent,
    by: Option<String>,
    codes_left: Option<u32>,
    at: time::OffsetDateTime,
) -> OutboxMessage {
    OutboxMessage::SecondFactorNotice {
        event_id: uuid::Uuid::now_v7(),
        recipients,
        event,
        person: format!("{} ({})", person.name, person.email),
        by,
        codes_left,
        at,
    }
}
