//! `GET /api/v1/me`, `POST /api/v1/tokens`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use kontor_core::Error;
use kontor_core::domain::roles::Actor;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{SecondStep, SignIn, new_token, token_hash};
use crate::web::AppState;
use crate::web::dto::{MeResponse, TokenRequest, TokenResponse, rfc3339};
use crate::web::error::{ApiResult, Problem};
use crate::web::extract::{Caller, ClientAddr, parse_json};
use kontor_core::FieldError;
use kontor_core::service::second_factor::code_error;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(issue_token, list_tokens))
        .routes(routes!(revoke_token))
        .routes(routes!(revoke_access))
}

/// The caller, their role and tenant.
#[utoipa::path(get, path = "/api/v1/me", tag = "me",
    responses((status = 200, body = MeResponse), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn me(Caller(me): Caller) -> Json<MeResponse> {
    Json(MeResponse::from(&*me))
}

/// Longest second-factor code accepted (a recovery code with spaces is
/// well below it).
const MAX_CODE: usize = 40;

/// Signs in with email and password — and, for a person with two-step
/// sign-in, the code (#21): a token must not be a way around it. A
/// person whose required second factor is overdue sets it up first.
async fn sign_in(
    state: &AppState,
    email: &str,
    password: String,
    code: Option<&str>,
    client: ClientAddr,
) -> ApiResult<Actor> {
    use kontor_core::domain::second_factor::Standing;
    let policy = state.config.throttle();
    let actor = match crate::auth::sign_in(&state.services, &policy, email, password, client.0)
        .await
        .map_err(Error::Internal)?
    {
        SignIn::Ok(actor) => actor,
        SignIn::Failed => return Err(Error::Unauthenticated.into()),
        SignIn::Throttled(wait) => return Err(crate::web::error::ApiError::throttled(wait)),
        SignIn::SsoOnly => {
            return Err(Error::refused(FieldError::coded(
                "email",
                "sso-required",
                Vec::new(),
                "this person signs in with single sign-on only: create a token in the portal",
            ))
            .into());
        }
    };
    match state
        .services
        .standing(&actor, state.config.staff_grace())
        .await?
    {
        Standing::Due => Err(Error::refused(FieldError::coded(
            "email",
            "second-factor-setup-due",
            Vec::new(),
            "this person must set up two-step sign-in in the portal first",
        ))
        .into()),
        Standing::Enrolled => {
            let Some(code) = code else {
                return Err(Error::refused(FieldError::coded(
                    "code",
                    "second-factor-needed",
                    Vec::new(),
                    "this person uses two-step sign-in: send the app's current code in `code`",
                ))
                .into());
            };
            match crate::auth::second_step(&state.services, &policy, &actor, code, client.0)
                .await
                .map_err(Error::Internal)?
            {
                SecondStep::Ok(_) => Ok(actor),
                SecondStep::Refused(r) => Err(Error::refused(code_error(r)).into()),
                SecondStep::Throttled(wait) => Err(crate::web::error::ApiError::throttled(wait)),
            }
        }
        Standing::Optional | Standing::Grace { .. } => Ok(actor),
    }
}

/// Issues a personal API token, shown once. Authenticate with email and
/// password in the body, or with an existing token.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "me", request_body = TokenRequest,
    security((), ("bearer" = [])),
    responses((status = 201, body = TokenResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins for this account or from this address; see Retry-After", body = Problem, content_type = "application/problem+json")))]
async fn issue_token(
    State(state): State<AppState>,
    client: ClientAddr,
    caller: Option<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<TokenResponse>)> {
    let req: TokenRequest = parse_json(&headers, &body)?;
    if req
        .code
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_CODE)
    {
        return Err(Error::invalid(FieldError::coded(
            "code",
            "text-length",
            vec![("max", MAX_CODE.to_string())],
            format!("expected 1–{MAX_CODE} characters"),
        ))
        .into());
    }
    let actor = match (caller, req.email.as_deref(), req.password) {
        (Some(Caller(a)), _, _) => (*a).clone(),
        (None, Some(email), Some(password)) => {
            sign_in(&state, email, password, req.code.as_deref(), client).await?
        }
        (None, _, _) => return Err(Error::Unauthenticated.into()),
    };
    let label = req.label.unwrap_or_else(|| "API token".into());
    let token = new_token();
    let id = uuid::Uuid::now_v7();
    let issued = state
        .services
        .issue_token(&actor, id, token_hash(&token), &label, req.expires_in_days)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenResponse {
            id: id.to_string(),
            token,
            label: issued.label,
            created_at: rfc3339(issued.created_at),
            expires_at: issued.expires_at.map(rfc3339),
        }),
    ))
}

/// One of the caller's API tokens (never the secret itself).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    /// Token id.
    pub id: String,
    /// Label.
    pub label: String,
    /// When issued (RFC 3339).
    pub created_at: String,
    /// When revoked (RFC 3339).
    pub revoked_at: Option<String>,
    /// When it stops working by itself (RFC 3339).
    pub expires_at: Option<String>,
}

/// The caller's API tokens.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TokenList {
    /// Newest first.
    pub items: Vec<TokenInfo>,
}

/// Tokens and sessions ended.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AccessRevoked {
    /// API tokens revoked.
    pub tokens_revoked: u64,
    /// Portal sessions ended.
    pub sessions_ended: u64,
}

/// The caller's API tokens, newest first, with revoked ones.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "me",
    responses((status = 200, body = TokenList),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn list_tokens(
    State(state): State<AppState>,
    Caller(me): Caller,
) -> ApiResult<Json<TokenList>> {
    let tokens = state.services.my_tokens(&me).await?;
    Ok(Json(TokenList {
        items: tokens
            .iter()
            .map(|t| TokenInfo {
                id: t.id.to_string(),
                label: t.label.clone(),
                created_at: rfc3339(t.created_at),
                revoked_at: t.revoked_at.map(rfc3339),
                expires_at: t.expires_at.map(rfc3339),
            })
            .collect(),
    }))
}

/// Revokes an API token at once: one's own, or (operators) anyone's.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "me",
    params(("id" = uuid::Uuid, Path, description = "Token id")),
    responses((status = 204, description = "Revoked"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already revoked", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn revoke_token(
    State(state): State<AppState>,
    Caller(me): Caller,
    axum::extract::Path(raw): axum::extract::Path<String>,
) -> ApiResult<StatusCode> {
    let id = uuid::Uuid::parse_str(&raw).map_err(|_| {
        crate::web::error::ApiError::field(super::expected_uuid(
            "id",
            "token",
            "expected a token id (UUID)",
        ))
    })?;
    let hash = state.services.revoke_token(&me, id).await?;
    state.tokens.forget(&hash);
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every portal session and revokes every API token of a person:
/// yourself ("sign out everywhere"), or (operators) anyone.
#[utoipa::path(post, path = "/api/v1/users/{email}/revoke-access", tag = "me",
    params(("email" = String, Path, description = "The person's sign-in email")),
    responses((status = 200, body = AccessRevoked),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn revoke_access(
    State(state): State<AppState>,
    Caller(me): Caller,
    axum::extract::Path(email): axum::extract::Path<String>,
) -> ApiResult<Json<AccessRevoked>> {
    let (tokens, sessions) = state.services.revoke_access(&me, &email).await?;
    // Which hashes belonged to the person is not known here: start afresh.
    state.tokens.clear();
    Ok(Json(AccessRevoked {
        tokens_revoked: tokens,
        sessions_ended: sessions,
    }))
}
