//! Passkeys (#21): the relying party's checks of WebAuthn Level 3 (§7.1
//! registration, §7.2 authentication), written by hand on `ring` — the
//! maintained Rust crates either carry a copyleft licence or an RSA
//! implementation with an open advisory (docs/design/issue-21-research.md).
//!
//! Browsers hand the relying party the new credential's public key as DER
//! SubjectPublicKeyInfo (`response.publicKey`, WebAuthn L3), so no CBOR is
//! parsed: with attestation `none` nothing in the attestation object is
//! signed anyway. Pure: the challenge, origin and relying-party id are the
//! caller's.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature as rs;
use sha2::{Digest, Sha256};

/// The algorithms kontor accepts (COSE ids): ES256, EdDSA, RS256.
pub const ALGORITHMS: [i64; 3] = [-7, -8, -257];

/// authenticatorData flags.
const USER_PRESENT: u8 = 0x01;
const USER_VERIFIED: u8 = 0x04;

/// DER prefix of a P-256 SubjectPublicKeyInfo, before the 65-byte point.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];
/// DER prefix of an Ed25519 SubjectPublicKeyInfo, before the 32-byte key.
const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];
/// The rsaEncryption object identifier's DER.
const RSA_OID: [u8; 11] = [
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
];

crate::domain::agreement::str_enum!(
    /// What a passkey challenge was issued for.
    ChallengePurpose {
        /// Adding a passkey to one's account.
        Register = "register",
        /// The second step of a sign-in with a password.
        SecondFactor = "second_factor",
        /// Signing in with the passkey alone (it names the person).
        Passwordless = "passwordless",
    }
);

/// Why a passkey ceremony is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasskeyRefused {
    /// clientDataJSON, authenticatorData or the key cannot be read.
    Malformed,
    /// Not the ceremony asked for (`webauthn.create` / `webauthn.get`).
    WrongType,
    /// Not the challenge kontor issued.
    WrongChallenge,
    /// Made on another site, or in a frame of one.
    WrongOrigin,
    /// For another relying party.
    WrongRelyingParty,
    /// The authenticator did not see the person (user presence).
    NotPresent,
    /// The person was not verified (PIN, biometrics) where it is required.
    NotVerified,
    /// An algorithm kontor does not accept.
    UnsupportedAlgorithm,
    /// The signature does not match the stored key.
    BadSignature,
    /// The authenticator's counter went back: a cloned key.
    CounterWentBack,
}

/// What the ceremony must match.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// The challenge kontor issued (raw bytes).
    pub challenge: &'a [u8],
    /// The portal's origin, e.g. `https://kontor.example.com`.
    pub origin: &'a str,
    /// The relying-party id: the portal's host name.
    pub rp_id: &'a str,
    /// Require user verification (passwordless: the passkey is both
    /// factors).
    pub user_verification: bool,
}

/// A verified new passkey, to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPasskey {
    /// COSE algorithm.
    pub algorithm: i64,
    /// The public key as DER SubjectPublicKeyInfo.
    pub public_key: Vec<u8>,
    /// The authenticator's counter at registration.
    pub sign_count: u32,
}

/// A stored passkey's key, to check an assertion against.
#[derive(Debug, Clone, Copy)]
pub struct StoredKey<'a> {
    /// COSE algorithm.
    pub algorithm: i64,
    /// DER SubjectPublicKeyInfo.
    pub public_key: &'a [u8],
    /// The last counter seen.
    pub sign_count: u32,
}

#[derive(serde::Deserialize)]
struct ClientData {
    #[serde(rename = "type")]
    kind: String,
    challenge: String,
    origin: String,
    #[serde(rename = "crossOrigin", default)]
    cross_origin: bool,
}

struct AuthData {
    rp_id_hash: [u8; 32],
    flags: u8,
    sign_count: u32,
}

fn auth_data(bytes: &[u8]) -> Result<AuthData, PasskeyRefused> {
    if bytes.len() < 37 {
        return Err(PasskeyRefused::Malformed);
    }
    let mut rp_id_hash = [0u8; 32];
    rp_id_hash.copy_from_slice(&bytes[..32]);
    Ok(AuthData {
        rp_id_hash,
        flags: bytes[32],
        sign_count: u32::from_be_bytes([bytes[33], bytes[34], bytes[35], bytes[36]]),
    })
}

/// The checks both ceremonies share: client data and authenticator data.
fn common(
    expected: &Expected<'_>,
    kind: &str,
    client_data_json: &[u8],
    authenticator_data: &[u8],
) -> Result<AuthData, PasskeyRefused> {
    let client: ClientData =
        serde_json::from_slice(client_data_json).map_err(|_| PasskeyRefused::Malformed)?;
    if client.kind != kind {
        return Err(PasskeyRefused::WrongType);
    }
    let challenge = URL_SAFE_NO_PAD
        .decode(client.challenge.trim_end_matches('='))
        .map_err(|_| PasskeyRefused::WrongChallenge)?;
    // Both are random and short-lived; constant time all the same.
    if challenge.len() != expected.challenge.len() || !subtle_eq(&challenge, expected.challenge) {
        return Err(PasskeyRefused::WrongChallenge);
    }
    if client.origin != expected.origin || client.cross_origin {
        return Err(PasskeyRefused::WrongOrigin);
    }
    let data = auth_data(authenticator_data)?;
    let wanted: [u8; 32] = Sha256::digest(expected.rp_id.as_bytes()).into();
    if data.rp_id_hash != wanted {
        return Err(PasskeyRefused::WrongRelyingParty);
    }
    if data.flags & USER_PRESENT == 0 {
        return Err(PasskeyRefused::NotPresent);
    }
    if expected.user_verification && data.flags & USER_VERIFIED == 0 {
        return Err(PasskeyRefused::NotVerified);
    }
    Ok(data)
}

fn subtle_eq(a: &[u8], b: &[u8]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks a registration (`navigator.credentials.create`): what the
/// browser reported of the new credential — its client data, its
/// authenticator data, its public key (SPKI) and algorithm.
pub fn verify_registration(
    expected: &Expected<'_>,
    client_data_json: &[u8],
    authenticator_data: &[u8],
    public_key: &[u8],
    algorithm: i64,
) -> Result<NewPasskey, PasskeyRefused> {
    let data = common(
        expected,
        "webauthn.create",
        client_data_json,
        authenticator_data,
    )?;
    if !ALGORITHMS.contains(&algorithm) {
        return Err(PasskeyRefused::UnsupportedAlgorithm);
    }
    ring_key(algorithm, public_key)?;
    Ok(NewPasskey {
        algorithm,
        public_key: public_key.to_vec(),
        sign_count: data.sign_count,
    })
}

/// Checks an assertion (`navigator.credentials.get`) against the stored
/// key; answers the authenticator's new counter, to store.
pub fn verify_assertion(
    expected: &Expected<'_>,
    key: &StoredKey<'_>,
    client_data_json: &[u8],
    authenticator_data: &[u8],
    signature: &[u8],
) -> Result<u32, PasskeyRefused> {
    let data = common(
        expected,
        "webauthn.get",
        client_data_json,
        authenticator_data,
    )?;
    let (algo, raw) = ring_key(key.algorithm, key.public_key)?;
    let mut signed = authenticator_data.to_vec();
    signed.extend_from_slice(&Sha256::digest(client_data_json));
    rs::UnparsedPublicKey::new(algo, raw)
        .verify(&signed, signature)
        .map_err(|_| PasskeyRefused::BadSignature)?;
    // Synced passkeys report 0 throughout; a counter that moves must only
    // move forward.
    if (data.sign_count != 0 || key.sign_count != 0) && data.sign_count <= key.sign_count {
        return Err(PasskeyRefused::CounterWentBack);
    }
    Ok(data.sign_count)
}

/// The key in the form ring verifies with, and the algorithm.
fn ring_key(
    algorithm: i64,
    spki: &[u8],
) -> Result<(&'static dyn rs::VerificationAlgorithm, &[u8]), PasskeyRefused> {
    match algorithm {
        -7 => spki
            .strip_prefix(&P256_SPKI_PREFIX[..])
            .filter(|p| p.len() == 65 && p[0] == 0x04)
            .map(|p| {
                (
                    &rs::ECDSA_P256_SHA256_ASN1 as &dyn rs::VerificationAlgorithm,
                    p,
                )
            })
            .ok_or(PasskeyRefused::Malformed),
        -8 => spki
            .strip_prefix(&ED25519_SPKI_PREFIX[..])
            .filter(|k| k.len() == 32)
            .map(|k| (&rs::ED25519 as &dyn rs::VerificationAlgorithm, k))
            .ok_or(PasskeyRefused::Malformed),
        -257 => rsa_public_key(spki)
            .map(|k| {
                (
                    &rs::RSA_PKCS1_2048_8192_SHA256 as &dyn rs::VerificationAlgorithm,
                    k,
                )
            })
            .ok_or(PasskeyRefused::Malformed),
        _ => Err(PasskeyRefused::UnsupportedAlgorithm),
    }
}

/// One DER element: (tag, contents, rest).
fn der(bytes: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = bytes.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The PKCS#1 RSAPublicKey inside an RSA SubjectPublicKeyInfo.
fn rsa_public_key(spki: &[u8]) -> Option<&[u8]> {
    let (0x30, body, []) = der(spki)? else {
        return None;
    };
    let (0x30, algorithm, rest) = der(body)? else {
        return None;
    };
    if !algorithm.starts_with(&RSA_OID) {
        return None;
    }
    let (0x03, bits, []) = der(rest)? else {
        return None;
    };
    // A BIT STRING of whole bytes: no unused bits.
    let (0, key) = bits.split_first()? else {
        return None;
    };
    Some(key)
}

/// A credential id or challenge as the browser's JSON carries it.
pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The bytes of base64url text (padding tolerated); `None` when it is not.
pub fn from_b64url(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::{EcdsaKeyPair, Ed25519KeyPair, KeyPair};

    const ORIGIN: &str = "https://kontor.example";
    const RP: &str = "kontor.example";
    const CHALLENGE: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn expected(uv: bool) -> Expected<'static> {
        Expected {
            challenge: CHALLENGE,
            origin: ORIGIN,
            rp_id: RP,
            user_verification: uv,
        }
    }

    fn client_data(kind: &str, challenge: &[u8], origin: &str) -> Vec<u8> {
        serde_json::json!({ "type": kind, "challenge": b64url(challenge), "origin": origin, "crossOrigin": false })
            .to_string()
            .into_bytes()
    }

    fn auth(rp: &str, flags: u8, count: u32) -> Vec<u8> {
        let mut a = Sha256::digest(rp.as_bytes()).to_vec();
        a.push(flags);
        a.extend_from_slice(&count.to_be_bytes());
        a
    }

    /// Signs authenticator data and client data as an authenticator does.
    trait Sign: Fn(&[u8], &[u8]) -> Vec<u8> {}
    impl<F: Fn(&[u8], &[u8]) -> Vec<u8>> Sign for F {}

    /// A P-256 authenticator: its SPKI and a signer.
    fn p256() -> (Vec<u8>, impl Sign) {
        let rng = SystemRandom::new();
        let pkcs8 =
            EcdsaKeyPair::generate_pkcs8(&rs::ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let pair =
            EcdsaKeyPair::from_pkcs8(&rs::ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng)
                .unwrap();
        let mut spki = P256_SPKI_PREFIX.to_vec();
        spki.extend_from_slice(pair.public_key().as_ref());
        let sign = move |auth: &[u8], client: &[u8]| {
            let mut msg = auth.to_vec();
            msg.extend_from_slice(&Sha256::digest(client));
            pair.sign(&SystemRandom::new(), &msg)
                .unwrap()
                .as_ref()
                .to_vec()
        };
        (spki, sign)
    }

    #[test]
    fn a_registration_is_checked_field_by_field() {
        let (spki, _) = p256();
        let ok = |client: &[u8], auth: &[u8], uv: bool| {
            verify_registration(&expected(uv), client, auth, &spki, -7)
        };
        let good = client_data("webauthn.create", CHALLENGE, ORIGIN);
        let new = ok(&good, &auth(RP, 0x45, 0), true).unwrap();
        assert_eq!((new.algorithm, new.public_key.len()), (-7, 91));
        let cases = [
            (
                client_data("webauthn.get", CHALLENGE, ORIGIN),
                auth(RP, 0x45, 0),
                PasskeyRefused::WrongType,
            ),
            (
                client_data(
                    "webauthn.create",
                    b"another challenge 0123456789abcd",
                    ORIGIN,
                ),
                auth(RP, 0x45, 0),
                PasskeyRefused::WrongChallenge,
            ),
            (
                client_data("webauthn.create", CHALLENGE, "https://evil.example"),
                auth(RP, 0x45, 0),
                PasskeyRefused::WrongOrigin,
            ),
            (
                good.clone(),
                auth("evil.example", 0x45, 0),
                PasskeyRefused::WrongRelyingParty,
            ),
            (good.clone(), auth(RP, 0x44, 0), PasskeyRefused::NotPresent),
            (good.clone(), auth(RP, 0x41, 0), PasskeyRefused::NotVerified),
            (
                b"not json".to_vec(),
                auth(RP, 0x45, 0),
                PasskeyRefused::Malformed,
            ),
            (good.clone(), vec![0; 36], PasskeyRefused::Malformed),
        ];
        for (client, auth, refused) in cases {
            assert_eq!(ok(&client, &auth, true), Err(refused));
        }
        // Without required verification, presence is enough.
        assert!(ok(&good, &auth(RP, 0x41, 0), false).is_ok());
        assert_eq!(
            verify_registration(&expected(true), &good, &auth(RP, 0x45, 0), &spki, -35),
            Err(PasskeyRefused::UnsupportedAlgorithm)
        );
        assert_eq!(
            verify_registration(&expected(true), &good, &auth(RP, 0x45, 0), &spki[1..], -7),
            Err(PasskeyRefused::Malformed)
        );
    }

    #[test]
    fn an_assertion_needs_the_stored_keys_signature_and_a_forward_counter() {
        let (spki, sign) = p256();
        let key = StoredKey {
            algorithm: -7,
            public_key: &spki,
            sign_count: 5,
        };
        let client = client_data("webauthn.get", CHALLENGE, ORIGIN);
        let auth6 = auth(RP, 0x05, 6);
        let sig = sign(&auth6, &client);
        assert_eq!(
            verify_assertion(&expected(true), &key, &client, &auth6, &sig),
            Ok(6)
        );
        // Another key's signature, or the message changed: refused.
        let (_, other) = p256();
        assert_eq!(
            verify_assertion(
                &expected(true),
                &key,
                &client,
                &auth6,
                &other(&auth6, &client)
            ),
            Err(PasskeyRefused::BadSignature)
        );
        let auth7 = auth(RP, 0x05, 7);
        assert_eq!(
            verify_assertion(&expected(true), &key, &client, &auth7, &sig),
            Err(PasskeyRefused::BadSignature)
        );
        // The counter at or below the stored one: a cloned authenticator.
        let auth5 = auth(RP, 0x05, 5);
        assert_eq!(
            verify_assertion(
                &expected(true),
                &key,
                &client,
                &auth5,
                &sign(&auth5, &client)
            ),
            Err(PasskeyRefused::CounterWentBack)
        );
        // Synced passkeys keep 0 on both sides.
        let synced = StoredKey {
            sign_count: 0,
            ..key
        };
        let auth0 = auth(RP, 0x05, 0);
        assert_eq!(
            verify_assertion(
                &expected(true),
                &synced,
                &client,
                &auth0,
                &sign(&auth0, &client)
            ),
            Ok(0)
        );
        // A registration's client data is not an assertion's.
        let create = client_data("webauthn.create", CHALLENGE, ORIGIN);
        assert_eq!(
            verify_assertion(
                &expected(true),
                &key,
                &create,
                &auth6,
                &sign(&auth6, &create)
            ),
            Err(PasskeyRefused::WrongType)
        );
    }

    #[test]
    fn ed25519_keys_verify_too() {
        let rng = SystemRandom::new();
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        let mut spki = ED25519_SPKI_PREFIX.to_vec();
        spki.extend_from_slice(pair.public_key().as_ref());
        let client = client_data("webauthn.get", CHALLENGE, ORIGIN);
        let a = auth(RP, 0x05, 1);
        let mut msg = a.clone();
        msg.extend_from_slice(&Sha256::digest(&client));
        let sig = pair.sign(&msg);
        let key = StoredKey {
            algorithm: -8,
            public_key: &spki,
            sign_count: 0,
        };
        assert_eq!(
            verify_assertion(&expected(false), &key, &client, &a, sig.as_ref()),
            Ok(1)
        );
    }

    #[test]
    fn rsa_keys_are_read_from_their_der() {
        // SEQ { SEQ { rsaEncryption, NULL }, BIT STRING { 0, RSAPublicKey } }
        let inner = [0x30, 0x03, 0x02, 0x01, 0x05];
        let mut bits = vec![0x03, (inner.len() + 1) as u8, 0x00];
        bits.extend_from_slice(&inner);
        let mut algorithm = vec![0x30, (RSA_OID.len() + 2) as u8];
        algorithm.extend_from_slice(&RSA_OID);
        algorithm.extend_from_slice(&[0x05, 0x00]);
        let mut body = algorithm;
        body.extend_from_slice(&bits);
        let mut spki = vec![0x30, body.len() as u8];
        spki.extend_from_slice(&body);
        assert_eq!(rsa_public_key(&spki), Some(&inner[..]));
        assert_eq!(rsa_public_key(&spki[..spki.len() - 1]), None);
        assert_eq!(rsa_public_key(&P256_SPKI_PREFIX), None);
    }
}
