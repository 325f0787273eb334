//! Single sign-on's rules (#21): which email domains an account's identity
//! provider answers for, who may still sign in with a password, what an ID
//! token must say before kontor believes it (after its signature was
//! checked), and whom a first sign-in creates. Pure: randomness and time
//! come from the caller.

use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use super::agreement::str_enum;
use super::ids::Csn;
use super::passkey::b64url;
use super::roles::Role;
use crate::error::FieldError;

/// How long a sign-in may stay at the identity provider.
pub const STATE_MINUTES: i64 = 10;
/// Clock difference allowed between kontor and the identity provider when
/// checking an ID token's expiry.
pub const LEEWAY: Duration = Duration::seconds(60);
/// Longest issuer URL, in characters.
pub const MAX_ISSUER: usize = 300;
/// Longest client id or client secret, in characters.
pub const MAX_CLIENT_FIELD: usize = 500;
/// Longest email domain (RFC 1035).
pub const MAX_DOMAIN: usize = 253;

str_enum!(
    /// The role a person gets when their first sign-in creates them.
    NewcomerRole {
        /// Sees only agreements assigned to them.
        User = "user",
        /// Views all agreements, requests partner changes.
        SecondaryAdmin = "secondary_admin",
    }
);

impl NewcomerRole {
    /// The role itself.
    pub fn role(self) -> Role {
        match self {
            NewcomerRole::User => Role::User,
            NewcomerRole::SecondaryAdmin => Role::SecondaryAdmin,
        }
    }
}

/// A customer account's identity provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSettings {
    /// The issuer (its discovery document lives below it).
    pub issuer: String,
    /// kontor's client id at the provider.
    pub client_id: String,
    /// kontor's client secret at the provider.
    pub client_secret: String,
    /// People of the bound domains are sent to the provider.
    pub enabled: bool,
    /// They can no longer sign in with a password (the primary admin
    /// keeps theirs: break glass).
    pub required: bool,
    /// The role of people created at their first sign-in.
    pub newcomer_role: NewcomerRole,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// An email domain an operator bound to a customer account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoDomain {
    /// Lower case, without `@`.
    pub domain: String,
    /// The account whose identity provider answers for it.
    pub account: Csn,
    /// The operator's email.
    pub approved_by: String,
    /// When.
    pub approved_at: OffsetDateTime,
}

/// How a person with a given email signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInRoute {
    /// With a password (and a second factor, if they have one).
    Password,
    /// At the identity provider of `account`.
    Sso {
        /// The account whose provider it is.
        account: Csn,
        /// Whether a password works as well.
        password: PasswordWay,
    },
}

/// Whether someone sent to their identity provider may use a password
/// instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordWay {
    /// No: SSO is required of them, or they are not known yet (the
    /// provider creates them).
    No,
    /// Yes: SSO is offered, not required.
    Also,
    /// Yes, although SSO is required: the primary admin's break glass.
    BreakGlass,
}

/// What kontor knows of the person with an email, for [`route`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known<'a> {
    /// Their role.
    pub role: Role,
    /// Their customer account, if they belong to one.
    pub account: Option<&'a Csn>,
}

/// How the person with `email` signs in: `binding` is the account bound to
/// the email's domain with its provider (when one is enabled), `known` the
/// person if they exist. Someone of another tenant who happens to have an
/// address at the domain keeps their password.
pub fn route(binding: Option<(&Csn, &SsoSettings)>, known: Option<Known<'_>>) -> SignInRoute {
    let Some((account, sso)) = binding.filter(|(_, s)| s.enabled) else {
        return SignInRoute::Password;
    };
    match known {
        Some(k) if k.account != Some(account) => SignInRoute::Password,
        _ => SignInRoute::Sso {
            account: account.clone(),
            password: match known {
                None => PasswordWay::No,
                Some(k) if sso.required && k.role == Role::PrimaryAdmin => PasswordWay::BreakGlass,
                Some(_) if sso.required => PasswordWay::No,
                Some(_) => PasswordWay::Also,
            },
        },
    }
}

/// Whether a person of `role` may sign in with a password while their
/// account's provider is `sso` (the break-glass rule of [`route`], for
/// places that know the person already).
pub fn password_allowed(sso: Option<&SsoSettings>, role: Role) -> bool {
    !sso.is_some_and(|s| s.enabled && s.required) || role == Role::PrimaryAdmin
}

/// The domain of an email address, lower case.
pub fn email_domain(email: &str) -> Option<String> {
    let (_, domain) = email.trim().rsplit_once('@')?;
    (!domain.is_empty()).then(|| domain.to_ascii_lowercase())
}

/// Mail services whose addresses anybody can have: binding one would send
/// strangers to an account's identity provider.
const PUBLIC_MAIL: &[&str] = &[
    "aol.com",
    "gmail.com",
    "gmx.at",
    "gmx.ch",
    "gmx.de",
    "gmx.net",
    "googlemail.com",
    "hotmail.com",
    "icloud.com",
    "live.com",
    "mail.com",
    "mail.de",
    "me.com",
    "outlook.com",
    "outlook.de",
    "posteo.de",
    "proton.me",
    "protonmail.com",
    "t-online.de",
    "web.de",
    "yahoo.com",
    "yahoo.de",
];

/// An email domain as an operator typed it (`@` and case forgiven), or
/// the error naming `field`.
pub fn parse_domain(field: &str, raw: &str) -> Result<String, FieldError> {
    let domain = raw.trim().trim_start_matches('@').to_ascii_lowercase();
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let labels: Vec<&str> = domain.split('.').collect();
    let well_formed = domain.len() <= MAX_DOMAIN
        && labels.len() >= 2
        && labels.iter().all(|l| label_ok(l))
        && labels
            .last()
            .is_some_and(|tld| tld.starts_with(|c: char| c.is_ascii_lowercase()));
    if !well_formed {
        return Err(FieldError::coded(
            field,
            "sso-domain-invalid",
            vec![("value", raw.chars().take(80).collect())],
            "expected an email domain such as example.com (letters, digits, hyphens and dots)",
        ));
    }
    if PUBLIC_MAIL.contains(&domain.as_str()) {
        return Err(FieldError::coded(
            field,
            "sso-domain-public",
            vec![("domain", domain.clone())],
            format!("{domain} is a public mail service: anybody can have an address there"),
        ));
    }
    Ok(domain)
}

/// What an account's admin entered for its identity provider.
#[derive(Debug, Clone, Default)]
pub struct SsoInput {
    /// The issuer URL.
    pub issuer: String,
    /// The client id.
    pub client_id: String,
    /// A new client secret; empty keeps the stored one.
    pub client_secret: String,
    /// Send people of the bound domains to the provider.
    pub enabled: bool,
    /// Refuse their passwords (except the primary admin's).
    pub required: bool,
    /// `user` or `secondary_admin`.
    pub newcomer_role: String,
}

impl SsoInput {
    /// The settings this input makes, given the stored client secret (kept
    /// when no new one is entered), or every field's error. The issuer's
    /// address and reachability are checked where the network is.
    pub fn settings(
        &self,
        stored_secret: Option<&str>,
        at: OffsetDateTime,
    ) -> Result<SsoSettings, Vec<FieldError>> {
        let mut errors = Vec::new();
        let issuer = self.issuer.trim().trim_end_matches('/').to_owned();
        if issuer.is_empty() || issuer.chars().count() > MAX_ISSUER {
            errors.push(FieldError::coded(
                "issuer",
                "sso-issuer-invalid",
                vec![("max", MAX_ISSUER.to_string())],
                format!(
                    "expected the identity provider's issuer URL (https://…), at most {MAX_ISSUER} characters"
                ),
            ));
        }
        let client_id = self.client_id.trim().to_owned();
        if client_id.is_empty() || client_id.chars().count() > MAX_CLIENT_FIELD {
            errors.push(too_long_or_empty("client_id"));
        }
        let new_secret = self.client_secret.trim();
        let client_secret = match (new_secret.is_empty(), stored_secret) {
            (false, _) if new_secret.chars().count() > MAX_CLIENT_FIELD => {
                errors.push(too_long_or_empty("client_secret"));
                String::new()
            }
            (false, _) => new_secret.to_owned(),
            (true, Some(kept)) => kept.to_owned(),
            (true, None) => {
                errors.push(too_long_or_empty("client_secret"));
                String::new()
            }
        };
        let newcomer_role = NewcomerRole::parse(self.newcomer_role.trim());
        if newcomer_role.is_none() {
            errors.push(FieldError::coded(
                "newcomer_role",
                "sso-role-invalid",
                vec![("expected", NewcomerRole::expected())],
                format!("expected one of {}", NewcomerRole::expected()),
            ));
        }
        if self.required && !self.enabled {
            errors.push(FieldError::coded(
                "required",
                "sso-required-needs-enabled",
                Vec::new(),
                "single sign-on can only be required while it is switched on",
            ));
        }
        match newcomer_role {
            Some(newcomer_role) if errors.is_empty() => Ok(SsoSettings {
                issuer,
                client_id,
                client_secret,
                enabled: self.enabled,
                required: self.required,
                newcomer_role,
                updated_at: at,
            }),
            _ => Err(errors),
        }
    }
}

fn too_long_or_empty(field: &'static str) -> FieldError {
    FieldError::coded(
        field,
        "sso-client-field",
        vec![("max", MAX_CLIENT_FIELD.to_string())],
        format!(
            "expected the value your identity provider shows, 1 to {MAX_CLIENT_FIELD} characters"
        ),
    )
}

/// The secrets of one trip to the identity provider, from 96 random
/// bytes: `state` (it comes back with the answer), `nonce` (it comes back
/// inside the ID token) and the PKCE verifier (RFC 7636).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trip {
    /// Comes back as `state`.
    pub state: String,
    /// Comes back in the ID token.
    pub nonce: String,
    /// Proves, at the token endpoint, that kontor started the trip.
    pub code_verifier: String,
}

impl Trip {
    /// A trip from fresh random bytes.
    pub fn new(random: [[u8; 32]; 3]) -> Trip {
        Trip {
            state: b64url(&random[0]),
            nonce: b64url(&random[1]),
            code_verifier: b64url(&random[2]),
        }
    }

    /// The PKCE challenge sent with the request: S256 of the verifier.
    pub fn code_challenge(&self) -> String {
        pkce_challenge(&self.code_verifier)
    }
}

/// RFC 7636 §4.2: `BASE64URL(SHA256(ASCII(code_verifier)))`.
pub fn pkce_challenge(verifier: &str) -> String {
    b64url(&Sha256::digest(verifier.as_bytes()))
}

/// What kontor reads from an ID token whose signature was checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct IdClaims {
    /// Issuer.
    #[serde(default)]
    pub iss: String,
    /// The person at the provider.
    #[serde(default)]
    pub sub: String,
    /// Audience: one client id or several.
    #[serde(default, deserialize_with = "one_or_many")]
    pub aud: Vec<String>,
    /// Authorized party (needed when there are several audiences).
    #[serde(default)]
    pub azp: Option<String>,
    /// Expiry, unix seconds.
    #[serde(default)]
    pub exp: Option<i64>,
    /// Issued at, unix seconds.
    #[serde(default)]
    pub iat: Option<i64>,
    /// The nonce kontor sent.
    #[serde(default)]
    pub nonce: Option<String>,
    /// The person's email.
    #[serde(default)]
    pub email: Option<String>,
    /// Whether the provider verified it.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub email_verified: Option<bool>,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Preferred language (`de`, `en-GB`, ...).
    #[serde(default)]
    pub locale: Option<String>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Aud {
        One(String),
        Many(Vec<String>),
    }
    Ok(match <Aud as serde::Deserialize>::deserialize(d)? {
        Aud::One(a) => vec![a],
        Aud::Many(a) => a,
    })
}

/// Some providers send `"email_verified": "true"`.
fn lenient_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let v = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
    Ok(match v {
        serde_json::Value::Bool(b) => Some(b),
        serde_json::Value::String(s) => Some(s.eq_ignore_ascii_case("true")),
        _ => None,
    })
}

/// What the ID token must match: the trip kontor started.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// The account's issuer.
    pub issuer: &'a str,
    /// kontor's client id.
    pub client_id: &'a str,
    /// The trip's nonce.
    pub nonce: &'a str,
    /// Now.
    pub now: OffsetDateTime,
}

/// Why an ID token is not believed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimRefused {
    /// `iss` is not the account's issuer.
    Issuer,
    /// kontor is not (the authorized party of) the audience.
    Audience,
    /// Expired, or without `exp`/`iat`.
    Expired,
    /// Not the nonce of this trip (a replayed or foreign token).
    Nonce,
    /// No subject.
    Subject,
    /// No email, or one the provider has not verified.
    EmailUnverified,
    /// The email's domain is not bound to this account.
    DomainNotBound,
}

impl ClaimRefused {
    /// Stable name, for logs and the audit.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimRefused::Issuer => "issuer",
            ClaimRefused::Audience => "audience",
            ClaimRefused::Expired => "expired",
            ClaimRefused::Nonce => "nonce",
            ClaimRefused::Subject => "subject",
            ClaimRefused::EmailUnverified => "email_unverified",
            ClaimRefused::DomainNotBound => "domain_not_bound",
        }
    }
}

/// The person an ID token vouches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vouched {
    /// The provider's issuer.
    pub issuer: String,
    /// Their subject there.
    pub subject: String,
    /// Their verified email, lower case.
    pub email: String,
    /// Their name (or the email's local part).
    pub name: String,
    /// Their language, when the provider says `de…` or `en…`.
    pub lang: Option<super::roles::Lang>,
}

/// Checks an ID token's claims (OpenID Connect Core §3.1.3.7) after its
/// signature: issuer, audience (and `azp` when there are several), expiry
/// with [`LEEWAY`], nonce, and a verified email whose domain `bound` says
/// belongs to the account.
pub fn check_claims(
    claims: &IdClaims,
    expected: Expected<'_>,
    bound: impl Fn(&str) -> bool,
) -> Result<Vouched, ClaimRefused> {
    if claims.iss != expected.issuer {
        return Err(ClaimRefused::Issuer);
    }
    let for_us = claims.aud.iter().any(|a| a == expected.client_id);
    let azp_ok = match &claims.azp {
        Some(azp) => azp == expected.client_id,
        None => claims.aud.len() == 1,
    };
    if !for_us || !azp_ok {
        return Err(ClaimRefused::Audience);
    }
    let now = expected.now.unix_timestamp();
    match (claims.exp, claims.iat) {
        (Some(exp), Some(_)) if now <= exp.saturating_add(LEEWAY.whole_seconds()) => {}
        _ => return Err(ClaimRefused::Expired),
    }
    if !claims
        .nonce
        .as_deref()
        .is_some_and(|n| constant_time_eq(n.as_bytes(), expected.nonce.as_bytes()))
    {
        return Err(ClaimRefused::Nonce);
    }
    if claims.sub.is_empty() {
        return Err(ClaimRefused::Subject);
    }
    let email = match (&claims.email, claims.email_verified) {
        (Some(e), Some(true)) if e.contains('@') => e.trim().to_lowercase(),
        _ => return Err(ClaimRefused::EmailUnverified),
    };
    if !email_domain(&email).is_some_and(|d| bound(&d)) {
        return Err(ClaimRefused::DomainNotBound);
    }
    let name = claims
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(200).collect())
        .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned());
    let lang = claims.locale.as_deref().and_then(|l| {
        let l = l.to_ascii_lowercase();
        if l.starts_with("de") {
            Some(super::roles::Lang::De)
        } else if l.starts_with("en") {
            Some(super::roles::Lang::En)
        } else {
            None
        }
    });
    Ok(Vouched {
        issuer: claims.iss.clone(),
        subject: claims.sub.clone(),
        email,
        name,
        lang,
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether a trip started at `started` may still come back at `now`.
pub fn trip_fresh(started: OffsetDateTime, now: OffsetDateTime) -> bool {
    now - started <= Duration::minutes(STATE_MINUTES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-01 09:00 UTC);

    fn settings(enabled: bool, required: bool) -> SsoSettings {
        SsoSettings {
            issuer: "https://idp.example".into(),
            client_id: "kontor".into(),
            client_secret: "s".into(),
            enabled,
            required,
            newcomer_role: NewcomerRole::User,
            updated_at: NOW,
        }
    }

    fn claims() -> IdClaims {
        IdClaims {
            iss: "https://idp.example".into(),
            sub: "alice-1".into(),
            aud: vec!["kontor".into()],
            azp: None,
            exp: Some(NOW.unix_timestamp() + 300),
            iat: Some(NOW.unix_timestamp()),
            nonce: Some("n-1".into()),
            email: Some("Alice@Customer.Example".into()),
            email_verified: Some(true),
            name: Some("Alice".into()),
            locale: Some("de-DE".into()),
        }
    }

    fn expected() -> Expected<'static> {
        Expected {
            issuer: "https://idp.example",
            client_id: "kontor",
            nonce: "n-1",
            now: NOW,
        }
    }

    fn bound(d: &str) -> bool {
        d == "customer.example"
    }

    #[test]
    fn a_good_token_vouches_for_the_verified_email() {
        let v = check_claims(&claims(), expected(), bound).unwrap();
        assert_eq!(v.email, "alice@customer.example");
        assert_eq!(v.subject, "alice-1");
        assert_eq!(v.lang, Some(super::super::roles::Lang::De));
    }

    type Spoil = fn(&mut IdClaims);

    #[test]
    fn every_claim_is_checked() {
        let cases: Vec<(Spoil, ClaimRefused)> = vec![
            (
                |c| c.iss = "https://evil.example".into(),
                ClaimRefused::Issuer,
            ),
            (
                |c| c.iss = "https://idp.example/".into(),
                ClaimRefused::Issuer,
            ),
            (|c| c.aud = vec!["other".into()], ClaimRefused::Audience),
            (|c| c.aud = vec![], ClaimRefused::Audience),
            // Several audiences need `azp` naming kontor.
            (|c| c.aud.push("other".into()), ClaimRefused::Audience),
            (
                |c| {
                    c.aud.push("other".into());
                    c.azp = Some("other".into());
                },
                ClaimRefused::Audience,
            ),
            (|c| c.exp = None, ClaimRefused::Expired),
            (|c| c.iat = None, ClaimRefused::Expired),
            (|c| c.nonce = None, ClaimRefused::Nonce),
            (|c| c.nonce = Some("n-2".into()), ClaimRefused::Nonce),
            (|c| c.sub = String::new(), ClaimRefused::Subject),
            (
                |c| c.email_verified = Some(false),
                ClaimRefused::EmailUnverified,
            ),
            (|c| c.email_verified = None, ClaimRefused::EmailUnverified),
            (|c| c.email = None, ClaimRefused::EmailUnverified),
            (
                |c| c.email = Some("alice@other.example".into()),
                ClaimRefused::DomainNotBound,
            ),
            // A subdomain is another domain.
            (
                |c| c.email = Some("alice@eu.customer.example".into()),
                ClaimRefused::DomainNotBound,
            ),
        ];
        for (spoil, why) in cases {
            let mut c = claims();
            spoil(&mut c);
            assert_eq!(check_claims(&c, expected(), bound), Err(why), "{c:?}");
        }
        let mut several = claims();
        several.aud.push("other".into());
        several.azp = Some("kontor".into());
        assert!(check_claims(&several, expected(), bound).is_ok());
    }

    #[test]
    fn expiry_allows_sixty_seconds_of_clock_difference_and_not_one_more() {
        let mut c = claims();
        c.exp = Some(NOW.unix_timestamp() - 60);
        assert!(check_claims(&c, expected(), bound).is_ok());
        c.exp = Some(NOW.unix_timestamp() - 61);
        assert_eq!(
            check_claims(&c, expected(), bound),
            Err(ClaimRefused::Expired)
        );
    }

    #[test]
    fn claims_parse_as_providers_send_them() {
        let c: IdClaims = serde_json::from_str(
            r#"{"iss":"i","sub":"s","aud":"kontor","exp":1,"iat":1,"email_verified":"true","extra":[1]}"#,
        )
        .unwrap();
        assert_eq!(c.aud, vec!["kontor"]);
        assert_eq!(c.email_verified, Some(true));
        let c: IdClaims = serde_json::from_str(r#"{"aud":["a","b"]}"#).unwrap();
        assert_eq!(c.aud, vec!["a", "b"]);
    }

    #[test]
    fn sso_required_leaves_only_the_primary_admin_a_password() {
        let account = Csn::parse("5100000001").unwrap();
        let other = Csn::parse("5100000002").unwrap();
        let on = settings(true, true);
        let known = |role, account| Some(Known { role, account });
        assert_eq!(
            route(Some((&account, &on)), known(Role::User, Some(&account))),
            SignInRoute::Sso {
                account: account.clone(),
                password: PasswordWay::No
            }
        );
        assert_eq!(
            route(
                Some((&account, &on)),
                known(Role::PrimaryAdmin, Some(&account))
            ),
            SignInRoute::Sso {
                account: account.clone(),
                password: PasswordWay::BreakGlass
            }
        );
        // Nobody yet: the provider creates them.
        assert_eq!(
            route(Some((&account, &on)), None),
            SignInRoute::Sso {
                account: account.clone(),
                password: PasswordWay::No
            }
        );
        // Someone of another tenant with an address at the domain.
        assert_eq!(
            route(Some((&account, &on)), known(Role::User, Some(&other))),
            SignInRoute::Password
        );
        assert_eq!(
            route(Some((&account, &on)), known(Role::PartnerAgent, None)),
            SignInRoute::Password
        );
        let optional = settings(true, false);
        assert_eq!(
            route(
                Some((&account, &optional)),
                known(Role::User, Some(&account))
            ),
            SignInRoute::Sso {
                account: account.clone(),
                password: PasswordWay::Also
            }
        );
        // Nobody yet: nothing to sign in with but the provider.
        assert_eq!(
            route(Some((&account, &optional)), None),
            SignInRoute::Sso {
                account: account.clone(),
                password: PasswordWay::No
            }
        );
        let off = settings(false, false);
        assert_eq!(
            route(Some((&account, &off)), known(Role::User, Some(&account))),
            SignInRoute::Password
        );
        assert!(!password_allowed(Some(&on), Role::SecondaryAdmin));
        assert!(password_allowed(Some(&on), Role::PrimaryAdmin));
        assert!(password_allowed(Some(&optional), Role::User));
        assert!(password_allowed(None, Role::User));
    }

    #[test]
    fn domains_are_checked_and_public_mail_refused() {
        assert_eq!(
            parse_domain("domain", " @Customer.Example ").unwrap(),
            "customer.example"
        );
        assert_eq!(parse_domain("domain", "a-b.co.uk").unwrap(), "a-b.co.uk");
        for bad in [
            "",
            "localhost",
            "-a.example",
            "a-.example",
            "a..example",
            "a.example.",
            "a.123",
            "ex ample.com",
            "exämple.com",
            &format!("{}.com", "a".repeat(64)),
        ] {
            let e = parse_domain("domain", bad).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.code),
                ("domain", "sso-domain-invalid"),
                "{bad}"
            );
        }
        let e = parse_domain("domain", "GMAIL.com").unwrap_err();
        assert_eq!(e.code, "sso-domain-public");
    }

    #[test]
    fn settings_keep_the_stored_secret_and_name_each_bad_field() {
        let input = SsoInput {
            issuer: "https://idp.example/".into(),
            client_id: "kontor".into(),
            client_secret: String::new(),
            enabled: true,
            required: false,
            newcomer_role: "user".into(),
        };
        let s = input.settings(Some("old"), NOW).unwrap();
        assert_eq!(s.client_secret, "old");
        assert_eq!(s.issuer, "https://idp.example");
        let errors = input.settings(None, NOW).unwrap_err();
        assert_eq!(errors[0].field, "client_secret");
        let bad = SsoInput {
            issuer: String::new(),
            client_id: "x".repeat(MAX_CLIENT_FIELD + 1),
            client_secret: "s".into(),
            enabled: false,
            required: true,
            newcomer_role: "primary_admin".into(),
        };
        let fields: Vec<String> = bad
            .settings(None, NOW)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["issuer", "client_id", "newcomer_role", "required"]);
    }

    #[test]
    fn pkce_matches_rfc_7636_appendix_b() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let trip = Trip::new([[1; 32], [2; 32], [3; 32]]);
        assert_ne!(trip.state, trip.nonce);
        assert_eq!(trip.code_verifier.len(), 43);
    }

    #[test]
    fn a_trip_lasts_ten_minutes() {
        assert!(trip_fresh(NOW, NOW + Duration::minutes(10)));
        assert!(!trip_fresh(
            NOW,
            NOW + Duration::minutes(10) + Duration::SECOND
        ));
    }
}
