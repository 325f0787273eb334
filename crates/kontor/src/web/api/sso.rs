//! Single sign-on over the API (#21): the account's identity provider
//! (primary admin) and the email domains bound to accounts (operators; the
//! vendor's staff read them). The client secret is write-only.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use kontor_core::Error;
use kontor_core::domain::sso::{SsoDomain, SsoInput};
use kontor_core::service::sso::SsoOverview;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::web::AppState;
use crate::web::dto::rfc3339;
use crate::web::error::{ApiResult, Problem};
use crate::web::extract::{Caller, parse_json};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(settings, save))
        .routes(routes!(domains, bind))
        .routes(routes!(unbind))
        .routes(routes!(scim_tokens, create_scim_token))
        .routes(routes!(revoke_scim_token))
}

/// A provisioning (SCIM) token of the account.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScimTokenBody {
    /// Identifier.
    pub id: String,
    /// Its name.
    pub label: String,
    /// Who made it.
    pub created_by: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// When it was last used (RFC 3339).
    pub last_used_at: Option<String>,
    /// When it was revoked (RFC 3339).
    pub revoked_at: Option<String>,
}

impl From<kontor_core::store::ScimTokenRecord> for ScimTokenBody {
    fn from(t: kontor_core::store::ScimTokenRecord) -> Self {
        ScimTokenBody {
            id: t.id.to_string(),
            label: t.label,
            created_by: t.created_by,
            created_at: rfc3339(t.created_at),
            last_used_at: t.last_used_at.map(rfc3339),
            revoked_at: t.revoked_at.map(rfc3339),
        }
    }
}

/// A new provisioning token: the token itself is shown only here.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewScimTokenBody {
    /// The token.
    #[serde(flatten)]
    pub token: ScimTokenBody,
    /// `kontor_scim_…`: the identity provider sends it as a bearer token
    /// to `scim_url`.
    pub secret: String,
    /// The SCIM endpoint (the identity provider's tenant URL).
    pub scim_url: String,
}

/// Makes a provisioning token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScimTokenInput {
    /// Its name, e.g. the identity provider's.
    #[schema(min_length = 1, max_length = 60)]
    pub label: String,
}

/// The account's provisioning (SCIM) tokens (primary admin only).
#[utoipa::path(get, path = "/api/v1/account/scim-tokens", tag = "sso",
    responses((status = 200, body = Vec<ScimTokenBody>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn scim_tokens(
    State(state): State<AppState>,
    Caller(me): Caller,
) -> ApiResult<Json<Vec<ScimTokenBody>>> {
    let tokens = state.services.scim_tokens(&me).await?;
    Ok(Json(tokens.into_iter().map(Into::into).collect()))
}

/// Makes a provisioning token for the account's identity provider
/// (primary admin only). The secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/account/scim-tokens", tag = "sso",
    request_body = ScimTokenInput,
    responses((status = 201, body = NewScimTokenBody),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_scim_token(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body_bytes: Bytes,
) -> ApiResult<(StatusCode, Json<NewScimTokenBody>)> {
    let req: ScimTokenInput = parse_json(&headers, &body_bytes)?;
    let secret = format!(
        "{}{}",
        crate::web::scim::TOKEN_PREFIX,
        crate::auth::new_secret()
    );
    let made = state
        .services
        .create_scim_token(&me, &req.label, &crate::auth::token_hash(&secret))
        .await
        .map_err(as_refusal)?;
    Ok((
        StatusCode::CREATED,
        Json(NewScimTokenBody {
            token: made.into(),
            secret,
            scim_url: format!("{}/scim/v2", state.config.public_url.trim_end_matches('/')),
        }),
    ))
}

/// Revokes a provisioning token (primary admin only).
#[utoipa::path(delete, path = "/api/v1/account/scim-tokens/{id}", tag = "sso",
    params(("id" = uuid::Uuid, Path, description = "Token id")),
    responses((status = 204, description = "Revoked"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn revoke_scim_token(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<StatusCode> {
    let Ok(id) = uuid::Uuid::parse_str(&raw) else {
        return Err(Error::NotFound("provisioning token").into());
    };
    state.services.revoke_scim_token(&me, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The account's single sign-on.
#[derive(Debug, Serialize, ToSchema)]
pub struct SsoBody {
    /// The identity provider's issuer URL (empty until set up).
    pub issuer: String,
    /// kontor's client id at the provider.
    pub client_id: String,
    /// A client secret is stored (it is never shown).
    pub client_secret_set: bool,
    /// People of the bound domains are sent to the provider.
    pub enabled: bool,
    /// Only the primary admin may still sign in with a password.
    pub required: bool,
    /// `user` or `secondary_admin`: the role of people created at their
    /// first sign-in.
    pub newcomer_role: String,
    /// The email domains an operator bound to the account.
    pub domains: Vec<String>,
    /// The redirect URI to register at the provider.
    pub callback_url: String,
}

/// Sets the account's identity provider.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SsoInputBody {
    /// The issuer URL; its discovery document is read when `enabled`.
    #[schema(min_length = 1, max_length = 300, pattern = "^https?://")]
    pub issuer: String,
    /// kontor's client id at the provider.
    #[schema(min_length = 1, max_length = 500)]
    pub client_id: String,
    /// A new client secret; omitted or empty keeps the stored one (the
    /// first set-up needs one).
    #[schema(max_length = 500)]
    pub client_secret: Option<String>,
    /// Send people of the bound domains to the provider.
    pub enabled: bool,
    /// Refuse their passwords, except the primary admin's (needs `enabled`).
    pub required: bool,
    /// `user` or `secondary_admin`.
    #[schema(pattern = "^(user|secondary_admin)$")]
    pub newcomer_role: String,
}

/// An email domain bound to a customer account.
#[derive(Debug, Serialize, ToSchema)]
pub struct SsoDomainBody {
    /// Lower case, without `@`.
    pub domain: String,
    /// The account's CSN.
    pub account: String,
    /// The operator who bound it.
    pub approved_by: String,
    /// When (RFC 3339).
    pub approved_at: String,
}

impl From<SsoDomain> for SsoDomainBody {
    fn from(d: SsoDomain) -> Self {
        SsoDomainBody {
            domain: d.domain,
            account: d.account.to_string(),
            approved_by: d.approved_by,
            approved_at: rfc3339(d.approved_at),
        }
    }
}

/// Binds an email domain to a customer account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BindDomainBody {
    /// The email domain, e.g. `example.com`.
    #[schema(min_length = 1, max_length = 253)]
    pub domain: String,
    /// The account's CSN.
    #[schema(pattern = "^[0-9]{10}$")]
    pub account: String,
}

fn body(state: &AppState, o: SsoOverview) -> SsoBody {
    let s = o.settings;
    SsoBody {
        issuer: s.as_ref().map(|s| s.issuer.clone()).unwrap_or_default(),
        client_id: s.as_ref().map(|s| s.client_id.clone()).unwrap_or_default(),
        client_secret_set: s.is_some(),
        enabled: s.as_ref().is_some_and(|s| s.enabled),
        required: s.as_ref().is_some_and(|s| s.required),
        newcomer_role: s
            .as_ref()
            .map_or("user", |s| s.newcomer_role.as_str())
            .to_owned(),
        domains: o.domains.into_iter().map(|d| d.domain).collect(),
        callback_url: crate::web::pages::sso::callback_url(state),
    }
}

/// What the schema lets through and kontor still turns down (a blank
/// issuer, `required` without `enabled`, an unusable domain) is a refusal,
/// not malformed input.
fn as_refusal(e: Error) -> Error {
    match e {
        Error::Invalid(errors) => Error::Refused(errors),
        e => e,
    }
}

/// The account's single sign-on (primary admin only).
#[utoipa::path(get, path = "/api/v1/account/sso", tag = "sso",
    responses((status = 200, body = SsoBody),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn settings(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<Json<SsoBody>> {
    let overview = state.services.sso_overview(&me).await?;
    Ok(Json(body(&state, overview)))
}

/// Sets the account's identity provider (primary admin only). With
/// `enabled`, the provider's discovery document must answer first.
/// Audited, without the secret.
#[utoipa::path(put, path = "/api/v1/account/sso", tag = "sso",
    request_body = SsoInputBody,
    responses((status = 200, body = SsoBody),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn save(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body_bytes: Bytes,
) -> ApiResult<Json<SsoBody>> {
    let req: SsoInputBody = parse_json(&headers, &body_bytes)?;
    let input = SsoInput {
        issuer: req.issuer,
        client_id: req.client_id,
        client_secret: req.client_secret.unwrap_or_default(),
        enabled: req.enabled,
        required: req.required,
        newcomer_role: req.newcomer_role,
    };
    state
        .services
        .save_sso_settings(&me, &input, &state.sso)
        .await
        .map_err(as_refusal)?;
    let overview = state.services.sso_overview(&me).await?;
    Ok(Json(body(&state, overview)))
}

/// Every bound email domain (the vendor's staff).
#[utoipa::path(get, path = "/api/v1/sso-domains", tag = "sso",
    responses((status = 200, body = Vec<SsoDomainBody>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn domains(
    State(state): State<AppState>,
    Caller(me): Caller,
) -> ApiResult<Json<Vec<SsoDomainBody>>> {
    let all = state.services.sso_domains(&me).await?;
    Ok(Json(all.into_iter().map(Into::into).collect()))
}

/// Binds an email domain to a customer account (operators): its people
/// are sent to the account's identity provider. Public mail services are
/// refused; a domain belongs to one account.
#[utoipa::path(post, path = "/api/v1/sso-domains", tag = "sso",
    request_body = BindDomainBody,
    responses((status = 201, body = SsoDomainBody),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn bind(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body_bytes: Bytes,
) -> ApiResult<(StatusCode, Json<SsoDomainBody>)> {
    let req: BindDomainBody = parse_json(&headers, &body_bytes)?;
    let bound = state
        .services
        .bind_sso_domain(&me, &req.domain, &req.account)
        .await
        .map_err(as_refusal)?;
    Ok((StatusCode::CREATED, Json(bound.into())))
}

/// Unbinds an email domain (operators); its people sign in with passwords
/// again.
#[utoipa::path(delete, path = "/api/v1/sso-domains/{domain}", tag = "sso",
    params(("domain" = String, Path, description = "The email domain")),
    responses((status = 204, description = "Unbound"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn unbind(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(domain): Path<String>,
) -> ApiResult<StatusCode> {
    state.services.unbind_sso_domain(&me, &domain).await?;
    Ok(StatusCode::NO_CONTENT)
}
