//! Passwords (argon2id) and personal API tokens (stored as SHA-256).

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use rand::RngCore as _;
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

impl kontor_core::service::import::PasswordHasher for Argon2Hasher {
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

/// A new token: 256 random bits, base64url, with the recognisable prefix.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "{TOKEN_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
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
    use kontor_core::service::import::PasswordHasher;

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
