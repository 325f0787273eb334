//! The network side of single sign-on (#21): an OpenID Connect relying
//! party for the authorization code flow with PKCE. It reads a provider's
//! discovery document and keys, redeems codes at its token endpoint and
//! checks ID token signatures (jsonwebtoken, verifying on ring). The rules
//! about what the claims must say live in `kontor_core::domain::sso`.
//!
//! Issuers are typed in by customer admins, so every request is guarded
//! like a webhook: no redirects, timeouts, a size cap, and no loopback or
//! private addresses unless `sso_allow_private` is set.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{Error as JwtError, ErrorKind};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, DecodingKeyKind, EncodingKey, Validation};
use kontor_core::domain::sso::{IdClaims, SsoSettings};
use kontor_core::service::sso::IdentityProvider;
use ring::signature as rs;
use serde::Deserialize;
use tokio::time::Instant;

use crate::delivery::webhook::{PublicOnly, is_public};

/// Largest answer read from a provider.
const MAX_BODY: usize = 512 * 1024;
/// How long discovery documents and keys are reused.
const CACHE_FOR: Duration = Duration::from_secs(3600);
/// Keys are fetched again for an unknown key id at most this often.
const REFETCH_AFTER: Duration = Duration::from_secs(60);
/// The signature algorithms kontor accepts (no `none`, no shared secrets).
const ALGORITHMS: [Algorithm; 9] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

/// A provider's discovery document (OpenID Connect Discovery §3), the
/// parts kontor uses.
#[derive(Debug, Clone, Deserialize)]
struct Metadata {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
    #[serde(default)]
    code_challenge_methods_supported: Option<Vec<String>>,
}

struct Cached {
    metadata: Metadata,
    keys: JwkSet,
    fetched: Instant,
}

/// kontor as an OpenID Connect client of the accounts' providers.
pub struct OidcClient {
    http: reqwest::Client,
    allow_private: bool,
    cache: Mutex<HashMap<String, Arc<Cached>>>,
}

impl OidcClient {
    /// A client whose requests end after `timeout`; with `allow_private`
    /// it may reach loopback and private addresses (tests, intranets).
    pub fn new(timeout: Duration, allow_private: bool) -> anyhow::Result<OidcClient> {
        crate::delivery::install_tls_provider();
        let _ = RING_JWT.install_default();
        let mut builder = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("kontor/", env!("CARGO_PKG_VERSION")));
        if !allow_private {
            builder = builder.dns_resolver(Arc::new(PublicOnly));
        }
        Ok(OidcClient {
            http: builder.build()?,
            allow_private,
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// Why kontor may not send a request to `raw`, or `None`.
    fn address_problem(&self, raw: &str) -> Option<String> {
        let Ok(url) = reqwest::Url::parse(raw) else {
            return Some(format!("{raw:?} is not an absolute URL"));
        };
        if self.allow_private {
            return (!matches!(url.scheme(), "http" | "https"))
                .then(|| format!("{raw:?} is not an http(s) URL"));
        }
        if url.scheme() != "https" {
            return Some(format!(
                "{raw:?} must use https (plain http only with sso_allow_private)"
            ));
        }
        let literal = match url.host() {
            Some(url::Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
            Some(url::Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
            Some(url::Host::Domain(d)) if d.eq_ignore_ascii_case("localhost") => {
                return Some("loopback addresses are not allowed (sso_allow_private)".into());
            }
            Some(url::Host::Domain(_)) => None,
            None => return Some(format!("{raw:?} has no host")),
        };
        literal
            .filter(|ip| !is_public(*ip))
            .map(|_| "loopback and private addresses are not allowed (sso_allow_private)".into())
    }

    /// Sends `request` and reads at most [`MAX_BODY`] of a 2xx answer.
    async fn fetch(&self, url: &str, request: reqwest::RequestBuilder) -> Result<Vec<u8>, String> {
        if let Some(problem) = self.address_problem(url) {
            return Err(problem);
        }
        let mut res = request
            .send()
            .await
            .map_err(|e| format!("{url}: {}", error_chain(&e)))?;
        let status = res.status();
        let mut body = Vec::new();
        while let Some(chunk) = res
            .chunk()
            .await
            .map_err(|e| format!("{url}: {}", error_chain(&e)))?
        {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_BODY {
                return Err(format!("{url}: the answer is larger than {MAX_BODY} bytes"));
            }
        }
        if !status.is_success() {
            let text = String::from_utf8_lossy(&body);
            return Err(format!(
                "{url} answered {status}: {}",
                text.chars().take(200).collect::<String>()
            ));
        }
        Ok(body)
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, String> {
        let body = self.fetch(url, self.http.get(url)).await?;
        serde_json::from_slice(&body).map_err(|e| format!("{url}: not the expected JSON: {e}"))
    }

    /// The provider's metadata and keys, from the cache unless they are
    /// old or `fresh_keys` asks for the keys again (an unknown key id).
    async fn provider(&self, issuer: &str, fresh_keys: bool) -> Result<Arc<Cached>, String> {
        let cached = self.lock().get(issuer).cloned();
        if let Some(c) = &cached {
            let age = c.fetched.elapsed();
            if age < CACHE_FOR && !(fresh_keys && age >= REFETCH_AFTER) {
                return Ok(c.clone());
            }
        }
        let metadata = match cached {
            Some(c) if c.fetched.elapsed() < CACHE_FOR => c.metadata.clone(),
            _ => self.discover(issuer).await?,
        };
        let keys: JwkSet = self.get_json(&metadata.jwks_uri).await?;
        let fresh = Arc::new(Cached {
            metadata,
            keys,
            fetched: Instant::now(),
        });
        self.lock().insert(issuer.to_owned(), fresh.clone());
        Ok(fresh)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Cached>>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reads and checks `{issuer}/.well-known/openid-configuration`.
    async fn discover(&self, issuer: &str) -> Result<Metadata, String> {
        let url = format!("{issuer}/.well-known/openid-configuration");
        let metadata: Metadata = self.get_json(&url).await?;
        if metadata.issuer != issuer {
            return Err(format!(
                "the discovery document names the issuer {:?}, not {issuer:?}",
                metadata.issuer
            ));
        }
        if metadata
            .code_challenge_methods_supported
            .as_ref()
            .is_some_and(|m| !m.iter().any(|m| m == "S256"))
        {
            return Err("the provider does not offer PKCE with S256".into());
        }
        for endpoint in [
            &metadata.authorization_endpoint,
            &metadata.token_endpoint,
            &metadata.jwks_uri,
        ] {
            if let Some(problem) = self.address_problem(endpoint) {
                return Err(problem);
            }
        }
        Ok(metadata)
    }

    /// Checks an ID token's signature against the provider's keys and
    /// returns its claims (their meaning is checked by the domain).
    async fn verify(&self, issuer: &str, id_token: &str) -> Result<IdClaims, String> {
        let header =
            jsonwebtoken::decode_header(id_token).map_err(|e| format!("the ID token: {e}"))?;
        if !ALGORITHMS.contains(&header.alg) {
            return Err(format!("the ID token is signed with {:?}", header.alg));
        }
        let mut provider = self.provider(issuer, false).await?;
        let mut key = find_key(&provider.keys, header.kid.as_deref());
        if key.is_none() {
            provider = self.provider(issuer, true).await?;
            key = find_key(&provider.keys, header.kid.as_deref());
        }
        let Some(jwk) = key else {
            return Err(format!(
                "no published key has the ID token's key id {:?}",
                header.kid
            ));
        };
        let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("the provider's key: {e}"))?;
        let mut validation = Validation::new(header.alg);
        // Expiry, audience and issuer are the domain's rules, checked
        // against kontor's clock (`check_claims`).
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        jsonwebtoken::decode::<IdClaims>(id_token, &key, &validation)
            .map(|t| t.claims)
            .map_err(|e| format!("the ID token's signature: {e}"))
    }
}

fn find_key<'a>(keys: &'a JwkSet, kid: Option<&str>) -> Option<&'a jsonwebtoken::jwk::Jwk> {
    match kid {
        Some(kid) => keys.find(kid),
        None if keys.keys.len() == 1 => keys.keys.first(),
        None => None,
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[derive(Deserialize)]
struct TokenAnswer {
    id_token: Option<String>,
    error: Option<String>,
}

#[async_trait]
impl IdentityProvider for OidcClient {
    async fn authorization_endpoint(&self, issuer: &str) -> Result<String, String> {
        if let Some(problem) = self.address_problem(issuer) {
            return Err(problem);
        }
        Ok(self
            .provider(issuer, false)
            .await?
            .metadata
            .authorization_endpoint
            .clone())
    }

    async fn redeem(
        &self,
        settings: &SsoSettings,
        code: &str,
        code_verifier: &str,
        redirect_uri: &str,
    ) -> Result<IdClaims, String> {
        let provider = self.provider(&settings.issuer, false).await?;
        let endpoint = &provider.metadata.token_endpoint;
        let form = serde_urlencoded::to_string([
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", code_verifier),
        ])
        .map_err(|e| e.to_string())?;
        // client_secret_basic: both parts form-encoded first (RFC 6749 §2.3.1).
        let encode =
            |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let request = self
            .http
            .post(endpoint)
            .basic_auth(
                encode(&settings.client_id),
                Some(encode(&settings.client_secret)),
            )
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(reqwest::header::ACCEPT, "application/json")
            .body(form);
        let body = self.fetch(endpoint, request).await?;
        let answer: TokenAnswer = serde_json::from_slice(&body)
            .map_err(|e| format!("the token endpoint's answer: {e}"))?;
        let Some(id_token) = answer.id_token else {
            return Err(format!(
                "the token endpoint sent no ID token ({})",
                answer.error.unwrap_or_default()
            ));
        };
        self.verify(&settings.issuer, &id_token).await
    }
}

/// jsonwebtoken's signature checks on ring (the crate's own backends would
/// bring aws-lc or the `rsa` crate); it only verifies, never signs.
pub static RING_JWT: CryptoProvider = CryptoProvider {
    signer_factory: no_signer,
    verifier_factory: ring_verifier,
    key_utils: KeyUtils::new_unimplemented(),
};

enum PublicKey {
    /// EC `04||x||y` or Ed25519 `x`.
    Raw(Vec<u8>),
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
}

struct RingVerifier {
    alg: Algorithm,
    key: PublicKey,
}

impl jsonwebtoken::signature::Verifier<Vec<u8>> for RingVerifier {
    fn verify(&self, msg: &[u8], sig: &Vec<u8>) -> Result<(), jsonwebtoken::signature::Error> {
        let ok = match (&self.key, self.alg) {
            (PublicKey::Rsa { n, e }, alg) => {
                let params: &rs::RsaParameters = match alg {
                    Algorithm::RS256 => &rs::RSA_PKCS1_2048_8192_SHA256,
                    Algorithm::RS384 => &rs::RSA_PKCS1_2048_8192_SHA384,
                    Algorithm::RS512 => &rs::RSA_PKCS1_2048_8192_SHA512,
                    Algorithm::PS256 => &rs::RSA_PSS_2048_8192_SHA256,
                    Algorithm::PS384 => &rs::RSA_PSS_2048_8192_SHA384,
                    Algorithm::PS512 => &rs::RSA_PSS_2048_8192_SHA512,
                    _ => return Err(jsonwebtoken::signature::Error::new()),
                };
                rs::RsaPublicKeyComponents { n, e }
                    .verify(params, msg, sig)
                    .is_ok()
            }
            (PublicKey::Raw(k), Algorithm::ES256) => {
                rs::UnparsedPublicKey::new(&rs::ECDSA_P256_SHA256_FIXED, k)
                    .verify(msg, sig)
                    .is_ok()
            }
            (PublicKey::Raw(k), Algorithm::ES384) => {
                rs::UnparsedPublicKey::new(&rs::ECDSA_P384_SHA384_FIXED, k)
                    .verify(msg, sig)
                    .is_ok()
            }
            (PublicKey::Raw(k), Algorithm::EdDSA) => rs::UnparsedPublicKey::new(&rs::ED25519, k)
                .verify(msg, sig)
                .is_ok(),
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(jsonwebtoken::signature::Error::new())
        }
    }
}

impl JwtVerifier for RingVerifier {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }
}

fn ring_verifier(alg: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>, JwtError> {
    if !ALGORITHMS.contains(alg) {
        return Err(ErrorKind::InvalidAlgorithm.into());
    }
    if key.family() != alg.family() {
        return Err(ErrorKind::InvalidKeyFormat.into());
    }
    let key = match key.kind() {
        DecodingKeyKind::RsaModulusExponent { n, e } => PublicKey::Rsa {
            n: n.clone(),
            e: e.clone(),
        },
        DecodingKeyKind::SecretOrDer(bytes) => PublicKey::Raw(bytes.clone()),
    };
    Ok(Box::new(RingVerifier { alg: *alg, key }))
}

fn no_signer(_: &Algorithm, _: &EncodingKey) -> Result<Box<dyn JwtSigner>, JwtError> {
    Err(ErrorKind::InvalidAlgorithm.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(allow_private: bool) -> OidcClient {
        OidcClient::new(Duration::from_secs(1), allow_private).unwrap()
    }

    #[test]
    fn provider_addresses_are_guarded_like_webhooks() {
        let strict = client(false);
        assert!(strict.address_problem("https://login.example").is_none());
        for refused in [
            "http://login.example",
            "https://127.0.0.1",
            "https://10.0.0.1/x",
            "https://localhost:8443",
            "https://[::1]/",
            "ftp://login.example",
            "not a url",
        ] {
            assert!(strict.address_problem(refused).is_some(), "{refused}");
        }
        let lenient = client(true);
        assert!(lenient.address_problem("http://127.0.0.1:4700").is_none());
        assert!(lenient.address_problem("ftp://127.0.0.1").is_some());
    }

    #[test]
    fn tokens_signed_with_shared_secrets_or_none_are_refused() {
        let key = DecodingKey::from_secret(b"secret").unwrap();
        for alg in [Algorithm::HS256, Algorithm::HS512] {
            assert!(ring_verifier(&alg, &key).is_err(), "{alg:?}");
        }
        // A key of another family than the algorithm.
        let ec = DecodingKey::from_ec_components("AAAA", "AAAA").unwrap();
        assert!(ring_verifier(&Algorithm::RS256, &ec).is_err());
        assert!(ring_verifier(&Algorithm::ES256, &ec).is_ok());
    }
}
