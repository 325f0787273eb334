//! Passwords (argon2id) and personal API tokens (stored as SHA-256).

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// Prefix of every API token, so secret scanners can recognise leaked ones.
pub const TOKEN_PREFIX: &str = "kontor_pat_";

/// argon2id with OWASP's parameters (m = 19 MiB, t = 2, p = 1).
#[derive(Debug, Clone, Copy, Default)]
pub struct Argon2Hasher;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

impl kontor_core::domain::values::PasswordHasher for Argon2Hasher {
    fn hash(&self, password: &str) -> anyhow::Result<String> {
        argon2()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("failed to hash password: {e}"))
    }

    fn verify(&self, password: &str, phc: &str) -> bool {
        PasswordHash::new(phc)
            .is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
    }
}

/// A PHC string to verify against when the email is unknown, so the answer
/// takes as long as for a known one and does not reveal which emails exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$dW5rbm93bnVua25vd251bmtub3dudW5rbm93bnVua24";

/// The outcome of a sign-in with email and password.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in.
    Ok(kontor_core::domain::roles::Actor),
    /// Wrong email or password (the same answer for both).
    Failed,
    /// Too many failures for this account or from this address: try again
    /// after this long. The password was not checked.
    Throttled(time::Duration),
    /// The person signs in only at their account's identity provider
    /// ("SSO required", #21). The password was not checked.
    SsoOnly,
}

/// Signs in with email and password, counting failures per account and
/// per client address (#7). Unknown emails are counted like known ones,
/// so the answers do not tell which accounts exist.
///
/// The attempt is counted *before* the password is checked, atomically
/// under both keys (#16): of 50 parallel attempts against a limit of 5,
/// five are checked and 45 throttled — whichever of them carries the right
/// password. A success takes its own count back.
pub async fn sign_in(
    services: &kontor_core::service::Services,
    policy: &kontor_core::domain::throttle::ThrottlePolicy,
    email: &str,
    password: String,
    client: Option<std::net::IpAddr>,
) -> anyhow::Result<SignIn> {
    if let kontor_core::domain::sso::SignInRoute::Sso {
        password: kontor_core::domain::sso::PasswordWay::No,
        ..
    } = services.sign_in_route(email).await?
    {
        return Ok(SignIn::SsoOnly);
    }
    let keys = kontor_core::domain::throttle::ThrottleKey::of(policy, email, client);
    let checked = counted(services, &keys, async {
        Ok(verify_credentials(services, email, password)
            .await?
            .ok_or(()))
    })
    .await?;
    Ok(match checked {
        Counted::Checked(Ok(actor)) => SignIn::Ok(actor),
        Counted::Checked(Err(())) => SignIn::Failed,
        Counted::Throttled(wait) => SignIn::Throttled(wait),
    })
}

/// An attempt counted against the throttle.
pub enum Counted<T, E> {
    /// Checked: accepted or refused.
    Checked(Result<T, E>),
    /// Not checked: too many failures; try again after this long.
    Throttled(time::Duration),
}

/// Reserves an attempt under `keys` before `check` runs (atomically, so
/// parallel attempts cannot exceed the limit, #16); an accepted attempt
/// takes its own count back and forgets the first key's failures, a
/// refused one stays counted.
async fn counted<T, E>(
    services: &kontor_core::service::Services,
    keys: &[kontor_core::domain::throttle::ThrottleKey],
    check: impl Future<Output = anyhow::Result<Result<T, E>>>,
) -> anyhow::Result<Counted<T, E>> {
    use kontor_core::domain::throttle::{Reservation, longest_wait};
    let now = services.clock.now();
    let attempt = uuid::Uuid::now_v7().to_string();
    let store = &services.store;
    if let Reservation::Refused(failures) =
        store.reserve_signin_attempt(&attempt, keys, now).await?
    {
        // At the limit `wait` is positive: every counted failure is younger
        // than its window. The fallback only guards that arithmetic.
        let wait = longest_wait(keys, &failures, now).unwrap_or(time::Duration::SECOND);
        return Ok(Counted::Throttled(wait));
    }
    let outcome = check.await?;
    if outcome.is_ok() {
        store.signin_succeeded(&attempt, &keys[0].key).await?;
    }
    Ok(Counted::Checked(outcome))
}

/// What redeeming a transfer code gives: the code and each agreement's
/// outcome.
pub type Redemption = (
    kontor_core::domain::transfer_code::TransferCode,
    Vec<(
        kontor_core::domain::ids::AgreementNumber,
        kontor_core::service::transfer_code::Redeemed,
    )>,
);

/// Redeems a transfer code for `partner_staff`, throttled like passwords
/// (#22): failed attempts count per partner and per client address and
/// are reserved before the code is looked up, so parallel guesses cannot
/// exceed the limit; a redeemed code forgets the partner's failures.
pub async fn redeem_transfer_code(
    services: &kontor_core::service::Services,
    policy: &kontor_core::domain::throttle::ThrottlePolicy,
    partner_staff: &kontor_core::domain::roles::Actor,
    typed: &str,
    client: Option<std::net::IpAddr>,
) -> anyhow::Result<Counted<Redemption, kontor_core::Error>> {
    let who = partner_staff
        .partner()
        .map_or_else(|| partner_staff.email.clone(), |p| p.as_str().to_owned());
    let keys = kontor_core::domain::throttle::ThrottleKey::of(
        policy,
        &format!("transfer-code:{who}"),
        client,
    );
    counted(services, &keys, async {
        Ok(services.redeem_transfer_code(partner_staff, typed).await)
    })
    .await
}

/// The outcome of a second factor given at sign-in or to re-authenticate.
#[derive(Debug)]
pub enum SecondStep {
    /// Accepted.
    Ok(kontor_core::service::second_factor::Proof),
    /// Not accepted, and why.
    Refused(kontor_core::service::second_factor::ProofRefused),
    /// Too many wrong codes: try again after this long. Not checked.
    Throttled(time::Duration),
}

/// Checks a second factor of `person`, throttled like passwords: wrong
/// codes count per person (under their own key, apart from passwords)
/// and per client address, and are reserved before the check, so
/// parallel guesses cannot exceed the limit.
pub async fn second_step(
    services: &kontor_core::service::Services,
    policy: &kontor_core::domain::throttle::ThrottlePolicy,
    person: &kontor_core::domain::roles::Actor,
    code: &str,
    client: Option<std::net::IpAddr>,
) -> anyhow::Result<SecondStep> {
    let key = format!("second-factor:{}", person.email);
    let keys = kontor_core::domain::throttle::ThrottleKey::of(policy, &key, client);
    let checked = counted(services, &keys, async {
        Ok(services.prove_second_factor(person, code).await?)
    })
    .await?;
    Ok(match checked {
        Counted::Checked(Ok(proof)) => SecondStep::Ok(proof),
        Counted::Checked(Err(refused)) => SecondStep::Refused(refused),
        Counted::Throttled(wait) => SecondStep::Throttled(wait),
    })
}

/// The person with this email and password, or `None`. Takes the same time
/// whether or not the email exists.
async fn verify_credentials(
    services: &kontor_core::service::Services,
    email: &str,
    password: String,
) -> anyhow::Result<Option<kontor_core::domain::roles::Actor>> {
    use kontor_core::domain::values::PasswordHasher as _;
    let email = email.trim().to_lowercase();
    let user = services.store.user_by_email(&email).await?;
    let hash = user
        .as_ref()
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.to_owned());
    let ok = tokio::task::spawn_blocking(move || Argon2Hasher.verify(&password, &hash)).await?;
    Ok(match user {
        Some(u) if ok && u.password_hash.is_some() && !u.disabled => Some(u.actor),
        _ => None,
    })
}

/// 256 random bits, base64url (session ids, form tokens).
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Fresh random bytes for a new authenticator-app key.
pub fn totp_random() -> [u8; kontor_core::domain::second_factor::SECRET_BYTES] {
    rand::random()
}

/// Fresh random bytes for ten recovery codes.
pub fn recovery_random() -> kontor_core::service::second_factor::RecoveryRandom {
    let mut random = kontor_core::service::second_factor::RecoveryRandom::default();
    for bytes in &mut random {
        *bytes = rand::random();
    }
    random
}

/// A new API token: 256 random bits with the recognisable prefix.
pub fn new_token() -> String {
    format!("{TOKEN_PREFIX}{}", new_secret())
}

/// What is stored of a token: its SHA-256, hex. Lookups compare hashes in
/// the database index, so the raw token is never compared byte by byte.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// SHA-256 hex of a request body (idempotency fingerprints).
pub fn fingerprint(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

#[cfg(test)]
mod tests {
    use kontor_core::domain::values::PasswordHasher;

    use super::*;

    #[test]
    fn tokens_are_long_random_and_prefixed() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX));
        assert_eq!(a.len(), TOKEN_PREFIX.len() + 43);
        assert_eq!(token_hash(&a).len(), 64);
    }

    #[test]
    fn password_hash_is_argon2id_with_owasp_parameters() {
        let h = Argon2Hasher.hash("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(Argon2Hasher.verify("correct horse", &h));
        assert!(!Argon2Hasher.verify("wrong horse", &h));
        assert!(!Argon2Hasher.verify("correct horse", "not a hash"));
    }
}
