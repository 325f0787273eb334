//! Passkeys (#21): adding one, signing in with one — as the second step
//! after a password, or alone, the passkey naming the person — and
//! removing one. Each ceremony answers a challenge kontor issued for it,
//! once, within a few minutes.

use serde_json::json;
use time::Duration;

use super::Services;
use super::second_factor::{me, nothing_set_up, notice, own_audit, required_keep};
use crate::StoreError;
use crate::domain::audit::AuditAction;
use crate::domain::notify::SecondFactorEvent;
use crate::domain::passkey::{
    ChallengePurpose, Expected, PasskeyRefused, StoredKey, b64url, from_b64url, verify_assertion,
    verify_registration,
};
use crate::domain::roles::{Actor, UserId};
use crate::error::{Error, FieldError, Result, Text};
use crate::store::PasskeyRecord;

/// How long a challenge waits for its ceremony.
pub const CHALLENGE_MINUTES: i64 = 5;
/// Longest name of a passkey, in characters.
pub const MAX_NAME: usize = 60;

/// Who kontor is to the browser: the relying party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelyingParty {
    /// Its id: the portal's host name.
    pub id: String,
    /// The portal's origin (`https://host[:port]`).
    pub origin: String,
}

/// What the browser reports of a ceremony (`PublicKeyCredential.toJSON()`,
/// decoded from base64url).
#[derive(Debug, Clone, Default)]
pub struct Ceremony {
    /// The credential's id, base64url.
    pub credential_id: String,
    /// `clientDataJSON`.
    pub client_data_json: Vec<u8>,
    /// `authenticatorData`.
    pub authenticator_data: Vec<u8>,
    /// A registration's public key (DER SPKI) and COSE algorithm.
    pub public_key: Option<(Vec<u8>, i64)>,
    /// An assertion's signature.
    pub signature: Vec<u8>,
    /// An assertion's user handle (passwordless: it names the person).
    pub user_handle: Option<Vec<u8>>,
}

/// The user handle a person's passkeys carry: their id's bytes (random,
/// no personal data).
pub fn user_handle(user: UserId) -> Vec<u8> {
    user.0.as_bytes().to_vec()
}

/// The challenge a ceremony answered, as its client data says.
fn answered_challenge(client_data_json: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(client_data_json).ok()?;
    Some(
        v.get("challenge")?
            .as_str()?
            .trim_end_matches('=')
            .to_owned(),
    )
}

impl Services {
    /// Issues a challenge (from `random`) for a ceremony of `purpose`, for
    /// `user` or — signing in without a password — for whoever the
    /// passkey names; base64url, as the browser takes it.
    pub async fn passkey_challenge(
        &self,
        user: Option<UserId>,
        purpose: ChallengePurpose,
        random: [u8; 32],
    ) -> Result<String> {
        let challenge = b64url(&random);
        let now = self.clock.now();
        self.store
            .issue_passkey_challenge(
                &challenge,
                user,
                purpose,
                now,
                now - Duration::minutes(CHALLENGE_MINUTES),
            )
            .await?;
        Ok(challenge)
    }

    /// `actor`'s passkeys, oldest first.
    pub async fn passkeys(&self, actor: &Actor) -> Result<Vec<PasskeyRecord>> {
        Ok(self.store.passkeys_of(actor.user_id).await?)
    }

    /// Takes the challenge a ceremony answered: issued for `purpose` (and
    /// `user`, when one is named), unused, not older than the limit.
    async fn take_challenge(
        &self,
        ceremony: &Ceremony,
        purpose: ChallengePurpose,
        user: Option<UserId>,
    ) -> Result<Option<Vec<u8>>> {
        let Some(challenge) = answered_challenge(&ceremony.client_data_json) else {
            return Ok(None);
        };
        let Some((owner, issued_for, at)) = self.store.take_passkey_challenge(&challenge).await?
        else {
            return Ok(None);
        };
        let fresh = self.clock.now() - at <= Duration::minutes(CHALLENGE_MINUTES);
        Ok((fresh && issued_for == purpose && owner == user)
            .then(|| from_b64url(&challenge))
            .flatten())
    }

    /// Adds a passkey to `actor`'s account from a registration ceremony.
    pub async fn register_passkey(
        &self,
        actor: &Actor,
        rp: &RelyingParty,
        name: &str,
        ceremony: &Ceremony,
    ) -> Result<()> {
        let name = name.trim();
        let name = if name.is_empty() { "Passkey" } else { name };
        if name.chars().count() > MAX_NAME {
            return Err(Error::invalid(FieldError::coded(
                "name",
                "text-length",
                vec![("max", MAX_NAME.to_string())],
                format!("expected 1–{MAX_NAME} characters"),
            )));
        }
        let Some(challenge) = self
            .take_challenge(ceremony, ChallengePurpose::Register, Some(actor.user_id))
            .await?
        else {
            return Err(refused(PasskeyRefused::WrongChallenge));
        };
        let Some((public_key, algorithm)) = &ceremony.public_key else {
            return Err(refused(PasskeyRefused::Malformed));
        };
        let expected = Expected {
            challenge: &challenge,
            origin: &rp.origin,
            rp_id: &rp.id,
            user_verification: true,
        };
        let new = verify_registration(
            &expected,
            &ceremony.client_data_json,
            &ceremony.authenticator_data,
            public_key,
            *algorithm,
        )
        .map_err(refused)?;
        if from_b64url(&ceremony.credential_id).is_none_or(|id| id.is_empty()) {
            return Err(refused(PasskeyRefused::Malformed));
        }
        let now = self.clock.now();
        let record = PasskeyRecord {
            credential_id: ceremony.credential_id.trim_end_matches('=').to_owned(),
            user_id: actor.user_id,
            name: name.to_owned(),
            algorithm: new.algorithm,
            public_key: new.public_key,
            sign_count: new.sign_count,
            created_at: now,
            last_used_at: None,
        };
        let audit = own_audit(actor, now, AuditAction::PasskeyAdded)
            .change(json!(null), json!({ "passkey": record.name }));
        let mail = notice(
            actor,
            vec![me(actor)],
            SecondFactorEvent::PasskeyAdded,
            None,
            None,
            now,
        );
        match self.store.add_passkey(&record, &audit, &[mail]).await {
            Ok(()) => Ok(()),
            Err(StoreError::Conflict(_)) => Err(Error::Conflict {
                code: "passkey_exists",
                detail: Text::new("passkey-exists", "this passkey is registered already"),
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// Signs in with a passkey: as the second step of `person` (after
    /// their password), or without a password (`person` is `None`: the
    /// passkey names whom, and must have verified them — PIN or
    /// biometrics — since it stands for both factors).
    pub async fn sign_in_with_passkey(
        &self,
        rp: &RelyingParty,
        ceremony: &Ceremony,
        person: Option<UserId>,
    ) -> Result<std::result::Result<Actor, PasskeyRefused>> {
        let purpose = match person {
            Some(_) => ChallengePurpose::SecondFactor,
            None => ChallengePurpose::Passwordless,
        };
        let Some(challenge) = self.take_challenge(ceremony, purpose, person).await? else {
            return Ok(Err(PasskeyRefused::WrongChallenge));
        };
        let id = ceremony.credential_id.trim_end_matches('=');
        let Some((stored, actor)) = self.store.passkey(id).await? else {
            return Ok(Err(PasskeyRefused::BadSignature));
        };
        let names_the_person = match person {
            Some(user) => stored.user_id == user,
            None => ceremony.user_handle.as_deref() == Some(&user_handle(stored.user_id)[..]),
        };
        if !names_the_person {
            return Ok(Err(PasskeyRefused::BadSignature));
        }
        let expected = Expected {
            challenge: &challenge,
            origin: &rp.origin,
            rp_id: &rp.id,
            user_verification: person.is_none(),
        };
        let key = StoredKey {
            algorithm: stored.algorithm,
            public_key: &stored.public_key,
            sign_count: stored.sign_count,
        };
        match verify_assertion(
            &expected,
            &key,
            &ceremony.client_data_json,
            &ceremony.authenticator_data,
            &ceremony.signature,
        ) {
            Ok(count) => {
                self.store.passkey_used(id, count, self.clock.now()).await?;
                Ok(Ok(actor))
            }
            Err(refused) => Ok(Err(refused)),
        }
    }

    /// Removes one of `actor`'s passkeys — not the last second factor a
    /// rule requires of them.
    pub async fn remove_passkey(&self, actor: &Actor, credential_id: &str) -> Result<()> {
        let passkeys = self.store.passkeys_of(actor.user_id).await?;
        let Some(passkey) = passkeys.iter().find(|p| p.credential_id == credential_id) else {
            return Err(Error::NotFound("passkey"));
        };
        let record = self.store.second_factor(actor.user_id).await?;
        let facts = self.facts(actor).await?;
        if facts.required(actor.role) && passkeys.len() == 1 && record.confirmed_totp().is_none() {
            return Err(required_keep());
        }
        let now = self.clock.now();
        let audit = own_audit(actor, now, AuditAction::PasskeyRemoved)
            .change(json!({ "passkey": passkey.name }), json!(null));
        let mail = notice(
            actor,
            vec![me(actor)],
            SecondFactorEvent::PasskeyRemoved,
            None,
            None,
            now,
        );
        self.store
            .remove_passkey(actor.user_id, credential_id, &audit, &[mail])
            .await
            .map_err(|e| match e {
                StoreError::NotFound => nothing_set_up(),
                e => e.into(),
            })
    }
}

fn refused(why: PasskeyRefused) -> Error {
    Error::refused(FieldError::coded(
        "credential",
        "passkey-refused",
        vec![("why", format!("{why:?}"))],
        format!("the passkey was not accepted ({why:?})"),
    ))
}
