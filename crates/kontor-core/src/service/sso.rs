//! Single sign-on with OpenID Connect (#21): the primary admin sets up the
//! account's identity provider, an operator binds email domains to the
//! account, and people of those domains sign in at the provider — the
//! first time creating them with the account's default role. The network
//! side (discovery, the token endpoint, the provider's keys) is behind
//! [`IdentityProvider`], so these rules run without one in tests.

use async_trait::async_trait;
use serde_json::json;
use sha2::{Digest, Sha256};
use time::Duration;

use super::Services;
use crate::StoreError;
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::ids::Csn;
use crate::domain::roles::{Actor, Role, Tenant, UserId};
use crate::domain::sso::{
    ClaimRefused, Expected, IdClaims, Known, SignInRoute, SsoDomain, SsoInput, SsoSettings, Trip,
    check_claims, email_domain, parse_domain, route, trip_fresh,
};
use crate::error::{Error, FieldError, Result, Text};
use crate::store::{NewUser, SsoPerson, SsoTrip};

/// What kontor asks of an identity provider over the network.
#[async_trait]
pub trait IdentityProvider: Send + Sync {
    /// The provider's authorization endpoint, from its discovery document
    /// (which must name `issuer` exactly and offer PKCE with S256).
    async fn authorization_endpoint(&self, issuer: &str) -> std::result::Result<String, String>;
    /// Redeems an authorization code at the token endpoint and returns the
    /// ID token's claims once its signature checked out against the
    /// provider's published keys.
    async fn redeem(
        &self,
        provider: &SsoSettings,
        code: &str,
        code_verifier: &str,
        redirect_uri: &str,
    ) -> std::result::Result<IdClaims, String>;
}

/// The account's single sign-on, as its primary admin sees it.
#[derive(Debug, Clone)]
pub struct SsoOverview {
    /// The identity provider, once set up.
    pub settings: Option<SsoSettings>,
    /// The email domains an operator bound to the account.
    pub domains: Vec<SsoDomain>,
}

/// Why a single sign-on did not sign anybody in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SsoRefused {
    /// The answer matches no trip of this browser (used, expired, forged).
    UnknownTrip,
    /// The provider answered with an error (the person cancelled, say).
    ProviderDeclined(String),
    /// The answer claims another issuer than the account's (RFC 9207).
    WrongIssuer,
    /// Single sign-on was switched off meanwhile.
    NotEnabled,
    /// The token endpoint or the ID token's signature failed.
    Token(String),
    /// The ID token's claims are not believed.
    Claim(ClaimRefused),
    /// The person's access was removed.
    AccessRemoved,
    /// The email belongs to someone outside this account.
    OtherTenant,
}

impl SsoRefused {
    /// Stable code: the message key is `sso-refused-<code>`.
    pub fn code(&self) -> &'static str {
        match self {
            SsoRefused::UnknownTrip => "unknown-trip",
            SsoRefused::ProviderDeclined(_) => "declined",
            SsoRefused::WrongIssuer => "issuer",
            SsoRefused::NotEnabled => "not-enabled",
            SsoRefused::Token(_) => "token",
            SsoRefused::Claim(ClaimRefused::DomainNotBound) => "domain",
            SsoRefused::Claim(ClaimRefused::EmailUnverified) => "email",
            SsoRefused::Claim(_) => "token",
            SsoRefused::AccessRemoved => "access-removed",
            SsoRefused::OtherTenant => "other-tenant",
        }
    }
}

/// The answer the provider sent back to `/sso/callback`.
#[derive(Debug, Clone, Default)]
pub struct ProviderAnswer {
    /// The `state` sent along.
    pub state: String,
    /// The authorization code.
    pub code: Option<String>,
    /// `iss` (RFC 9207), when the provider sends it.
    pub iss: Option<String>,
    /// `error`, when the provider declined.
    pub error: Option<String>,
}

/// SHA-256 hex of a trip's state: only that is stored.
pub fn state_hash(state: &str) -> String {
    hex::encode(Sha256::digest(state.as_bytes()))
}

impl Services {
    fn sso_account<'a>(&self, actor: &'a Actor) -> Result<&'a Csn> {
        match (actor.role, actor.account()) {
            (Role::PrimaryAdmin, Some(a)) => Ok(a),
            _ => Err(Error::Forbidden(Text::new(
                "forbidden-sso-settings",
                "only the account's primary administrator sets up single sign-on",
            ))),
        }
    }

    fn sso_operator(actor: &Actor) -> Result<()> {
        if actor.role == Role::Operator {
            Ok(())
        } else {
            Err(Error::Forbidden(Text::new(
                "forbidden-sso-domains",
                "only an operator binds email domains to single sign-on",
            )))
        }
    }

    /// The primary admin's view of the account's single sign-on.
    pub async fn sso_overview(&self, actor: &Actor) -> Result<SsoOverview> {
        let account = self.sso_account(actor)?;
        Ok(SsoOverview {
            settings: self.store.sso_settings(account).await?,
            domains: self.store.sso_domains(Some(account)).await?,
        })
    }

    /// The primary admin sets up the account's identity provider. An
    /// enabled provider must answer its discovery document first; an empty
    /// secret keeps the stored one. Audited without the secret.
    pub async fn save_sso_settings(
        &self,
        actor: &Actor,
        input: &SsoInput,
        provider: &dyn IdentityProvider,
    ) -> Result<SsoSettings> {
        let account = self.sso_account(actor)?.clone();
        let before = self.store.sso_settings(&account).await?;
        let now = self.clock.now();
        let settings = input
            .settings(before.as_ref().map(|b| b.client_secret.as_str()), now)
            .map_err(Error::Invalid)?;
        if settings.enabled
            && let Err(why) = provider.authorization_endpoint(&settings.issuer).await
        {
            return Err(Error::refused(FieldError::coded(
                "issuer",
                "sso-issuer-unreachable",
                vec![("detail", why.clone())],
                format!("the identity provider's discovery document could not be used: {why}"),
            )));
        }
        let shown = |s: Option<&SsoSettings>| match s {
            Some(s) => json!({
                "issuer": s.issuer,
                "client_id": s.client_id,
                "enabled": s.enabled,
                "required": s.required,
                "newcomer_role": s.newcomer_role.as_str(),
            }),
            None => json!(null),
        };
        let mut after = shown(Some(&settings));
        after["secret_changed"] =
            json!(before.as_ref().map(|b| &b.client_secret) != Some(&settings.client_secret));
        let audit = AuditEntry {
            account: Some(account.clone()),
            ..AuditEntry::new(now, By::Person(actor), AuditAction::SsoSettingsChanged)
                .change(shown(before.as_ref()), after)
        };
        self.store
            .save_sso_settings(&account, &settings, &audit)
            .await?;
        self.cache.clear();
        Ok(settings)
    }

    /// Every bound domain (vendor staff read them; operators change them).
    pub async fn sso_domains(&self, actor: &Actor) -> Result<Vec<SsoDomain>> {
        if !actor.role.is_vendor() {
            return Err(Error::Forbidden(Text::new(
                "forbidden-sso-domains",
                "only an operator binds email domains to single sign-on",
            )));
        }
        Ok(self.store.sso_domains(None).await?)
    }

    /// An operator binds an email domain to a customer account: its people
    /// are then sent to the account's identity provider.
    pub async fn bind_sso_domain(
        &self,
        actor: &Actor,
        domain: &str,
        account: &str,
    ) -> Result<SsoDomain> {
        Self::sso_operator(actor)?;
        let mut errors = Vec::new();
        let domain = parse_domain("domain", domain)
            .map_err(|e| errors.push(e))
            .ok();
        let account = Csn::parse(account.trim())
            .map_err(|_| {
                errors.push(FieldError::coded(
                    "account",
                    "expected-csn",
                    Vec::new(),
                    "expected a customer's CSN: 10 digits",
                ))
            })
            .ok();
        let (Some(domain), Some(account)) = (domain, account) else {
            return Err(Error::Invalid(errors));
        };
        if self.store.account(&account).await?.is_none() {
            return Err(Error::refused(FieldError::coded(
                "account",
                "sso-account-unknown",
                vec![("csn", account.to_string())],
                format!("no customer account has the CSN {account}"),
            )));
        }
        let now = self.clock.now();
        let bound = SsoDomain {
            domain,
            account: account.clone(),
            approved_by: actor.email.clone(),
            approved_at: now,
        };
        let audit = AuditEntry {
            account: Some(account.clone()),
            ..AuditEntry::new(now, By::Person(actor), AuditAction::SsoDomainBound)
                .change(json!(null), json!({ "domain": bound.domain }))
        };
        self.store
            .bind_sso_domain(&bound, &audit)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => Error::refused(FieldError::coded(
                    "domain",
                    "sso-domain-taken",
                    vec![("domain", bound.domain.clone())],
                    format!("{} is bound to an account already", bound.domain),
                )),
                e => e.into(),
            })?;
        Ok(bound)
    }

    /// An operator unbinds an email domain; its people sign in with
    /// passwords again.
    pub async fn unbind_sso_domain(&self, actor: &Actor, domain: &str) -> Result<()> {
        Self::sso_operator(actor)?;
        let domain = domain.trim().to_ascii_lowercase();
        let Some((bound, _)) = self.store.sso_binding(&domain).await? else {
            return Err(Error::NotFound("domain"));
        };
        let now = self.clock.now();
        let audit = AuditEntry {
            account: Some(bound.account.clone()),
            ..AuditEntry::new(now, By::Person(actor), AuditAction::SsoDomainUnbound)
                .change(json!({ "domain": bound.domain }), json!(null))
        };
        self.store
            .unbind_sso_domain(&domain, &audit)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => Error::NotFound("domain"),
                e => e.into(),
            })
    }

    /// How the person with `email` signs in (home-realm discovery).
    pub async fn sign_in_route(&self, email: &str) -> Result<SignInRoute> {
        let Some(domain) = email_domain(email) else {
            return Ok(SignInRoute::Password);
        };
        let Some((bound, Some(settings))) = self.store.sso_binding(&domain).await? else {
            return Ok(SignInRoute::Password);
        };
        let user = self
            .store
            .user_by_email(&email.trim().to_lowercase())
            .await?;
        let known = user.as_ref().map(|u| Known {
            role: u.actor.role,
            account: u.actor.account(),
        });
        Ok(route(Some((&bound.account, &settings)), known))
    }

    /// Starts a trip to `account`'s provider from `random`: records it and
    /// returns the state (for the browser's cookie) and the address to send
    /// the browser to.
    pub async fn start_sso(
        &self,
        account: &Csn,
        next: &str,
        redirect_uri: &str,
        random: [[u8; 32]; 3],
        provider: &dyn IdentityProvider,
    ) -> Result<(String, String)> {
        let settings = self
            .store
            .sso_settings(account)
            .await?
            .filter(|s| s.enabled)
            .ok_or(Error::NotFound("identity provider"))?;
        let endpoint = provider
            .authorization_endpoint(&settings.issuer)
            .await
            .map_err(|why| anyhow::anyhow!("the identity provider is unusable: {why}"))?;
        let trip = Trip::new(random);
        let now = self.clock.now();
        self.store
            .start_sso_trip(
                &SsoTrip {
                    state_hash: state_hash(&trip.state),
                    account: account.clone(),
                    nonce: trip.nonce.clone(),
                    code_verifier: trip.code_verifier.clone(),
                    next: next.to_owned(),
                    started_at: now,
                },
                now - Duration::minutes(crate::domain::sso::STATE_MINUTES),
            )
            .await?;
        let mut url = url::Url::parse(&endpoint)
            .map_err(|e| anyhow::anyhow!("bad authorization endpoint {endpoint:?}: {e}"))?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &settings.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", "openid email profile")
            .append_pair("state", &trip.state)
            .append_pair("nonce", &trip.nonce)
            .append_pair("code_challenge", &trip.code_challenge())
            .append_pair("code_challenge_method", "S256");
        Ok((trip.state, url.into()))
    }

    /// Finishes a trip: the answer must come back to the browser that left
    /// (`browser_state`, from its cookie), once, within the time; the code
    /// is redeemed, the ID token's claims checked, and the person found by
    /// their identity, linked by their email, or created.
    pub async fn finish_sso(
        &self,
        answer: &ProviderAnswer,
        browser_state: Option<&str>,
        redirect_uri: &str,
        provider: &dyn IdentityProvider,
    ) -> Result<std::result::Result<(Actor, String), SsoRefused>> {
        if browser_state != Some(answer.state.as_str()) || answer.state.is_empty() {
            return Ok(Err(SsoRefused::UnknownTrip));
        }
        let Some(trip) = self.store.take_sso_trip(&state_hash(&answer.state)).await? else {
            return Ok(Err(SsoRefused::UnknownTrip));
        };
        let now = self.clock.now();
        if !trip_fresh(trip.started_at, now) {
            return Ok(Err(SsoRefused::UnknownTrip));
        }
        if let Some(error) = &answer.error {
            return Ok(Err(SsoRefused::ProviderDeclined(
                error.chars().take(100).collect(),
            )));
        }
        let Some(settings) = self
            .store
            .sso_settings(&trip.account)
            .await?
            .filter(|s| s.enabled)
        else {
            return Ok(Err(SsoRefused::NotEnabled));
        };
        if answer
            .iss
            .as_ref()
            .is_some_and(|iss| *iss != settings.issuer)
        {
            return Ok(Err(SsoRefused::WrongIssuer));
        }
        let Some(code) = answer.code.as_deref().filter(|c| !c.is_empty()) else {
            return Ok(Err(SsoRefused::Token("no code in the answer".into())));
        };
        let claims = match provider
            .redeem(&settings, code, &trip.code_verifier, redirect_uri)
            .await
        {
            Ok(c) => c,
            Err(why) => return Ok(Err(SsoRefused::Token(why))),
        };
        let bound = self.store.sso_domains(Some(&trip.account)).await?;
        let expected = Expected {
            issuer: &settings.issuer,
            client_id: &settings.client_id,
            nonce: &trip.nonce,
            now,
        };
        let vouched = match check_claims(&claims, expected, |d| bound.iter().any(|b| b.domain == d))
        {
            Ok(v) => v,
            Err(why) => return Ok(Err(SsoRefused::Claim(why))),
        };
        let person = match self.sso_person(&trip.account, &settings, &vouched).await? {
            Ok(actor) => actor,
            Err(why) => return Ok(Err(why)),
        };
        Ok(Ok((person, trip.next)))
    }

    /// The person an ID token vouches for: linked before, found by email in
    /// the account (and linked now), or created with the default role.
    async fn sso_person(
        &self,
        account: &Csn,
        settings: &SsoSettings,
        vouched: &crate::domain::sso::Vouched,
    ) -> Result<std::result::Result<Actor, SsoRefused>> {
        let now = self.clock.now();
        if let Some(id) = self
            .store
            .sso_identity(&vouched.issuer, &vouched.subject)
            .await?
        {
            return self.active_person(id, account).await;
        }
        let existing = self.store.user_by_email(&vouched.email).await?;
        let person = match &existing {
            Some(u) if u.actor.account() != Some(account) => {
                return Ok(Err(SsoRefused::OtherTenant));
            }
            Some(u) if u.disabled => return Ok(Err(SsoRefused::AccessRemoved)),
            Some(u) => SsoPerson::Existing(u.actor.user_id),
            None => SsoPerson::Newcomer(&NewUser {
                id: UserId(uuid::Uuid::now_v7()),
                email: vouched.email.clone(),
                name: vouched.name.clone(),
                role: settings.newcomer_role.role(),
                tenant: Tenant::Account(account.clone()),
                lang: vouched.lang.unwrap_or_default(),
                password_hash: None,
                created_at: now,
            }),
        };
        let id = match person {
            SsoPerson::Existing(id) => id,
            SsoPerson::Newcomer(u) => u.id,
        };
        let label = Actor {
            user_id: id,
            email: vouched.email.clone(),
            name: vouched.name.clone(),
            role: existing
                .as_ref()
                .map_or(settings.newcomer_role.role(), |u| u.actor.role),
            tenant: Tenant::Account(account.clone()),
            lang: vouched.lang.unwrap_or_default(),
            time_zone: Default::default(),
        };
        let linked = json!({ "user": vouched.email, "issuer": vouched.issuer });
        let mut audit = Vec::new();
        if let SsoPerson::Newcomer(u) = person {
            audit.push(AuditEntry {
                account: Some(account.clone()),
                ..AuditEntry::new(now, By::Person(&label), AuditAction::UserCreated).change(
                    json!(null),
                    json!({ "user": u.email, "role": u.role, "via": "single_sign_on" }),
                )
            });
        }
        audit.push(AuditEntry {
            account: Some(account.clone()),
            ..AuditEntry::new(now, By::Person(&label), AuditAction::SsoLinked)
                .change(json!(null), linked)
        });
        match self
            .store
            .link_sso_identity(&vouched.issuer, &vouched.subject, person, now, &audit)
            .await
        {
            Ok(()) => {}
            // The same person's first sign-in in two tabs: the other one
            // linked them a moment ago.
            Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
        self.cache.clear();
        self.active_person(id, account).await
    }

    async fn active_person(
        &self,
        id: UserId,
        account: &Csn,
    ) -> Result<std::result::Result<Actor, SsoRefused>> {
        let Some(contact) = self.store.user_contact(id).await? else {
            return Ok(Err(SsoRefused::AccessRemoved));
        };
        Ok(match self.store.user_by_email(&contact.email).await? {
            Some(u) if u.disabled => Err(SsoRefused::AccessRemoved),
            Some(u) if u.actor.account() == Some(account) => Ok(u.actor),
            Some(_) => Err(SsoRefused::OtherTenant),
            None => Err(SsoRefused::AccessRemoved),
        })
    }
}
