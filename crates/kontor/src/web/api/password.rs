//! `POST /api/v1/password-resets` and `…/confirm`: the forgotten-password
//! flow of the portal, for clients of their own. No authentication.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::web::AppState;
use crate::web::error::{ApiResult, Problem};
use crate::web::extract::parse_json;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request))
        .routes(routes!(confirm))
}

/// Ask for a password-reset mail.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    /// The sign-in email.
    #[schema(schema_with = crate::web::dto::email_schema)]
    pub email: String,
}

/// Set a new password with the token from the mail's link
/// (`…/password-reset/<token>`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirm {
    /// The token from the link.
    pub token: String,
    /// The new password, at least 10 characters.
    pub password: String,
}

/// Mails a one-time link (valid 60 minutes) when the address has an
/// account; answers 202 either way, so it does not reveal who has one.
/// At most three mails per person per hour.
#[utoipa::path(post, path = "/api/v1/password-resets", tag = "me", request_body = PasswordResetRequest,
    security(()),
    responses((status = 202, description = "If the address has an account, a mail is on its way"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn request(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let req: PasswordResetRequest = parse_json(&headers, &body)?;
    let token = crate::auth::new_secret();
    let link = state
        .config
        .public_link(&format!("/password-reset/{token}"));
    state
        .services
        .request_password_reset(&req.email, crate::auth::token_hash(&token), link)
        .await?;
    Ok(StatusCode::ACCEPTED)
}

/// Sets the new password; the link stops working and every session of
/// the person ends. 404 when the link was used, expired or is unknown.
#[utoipa::path(post, path = "/api/v1/password-resets/confirm", tag = "me", request_body = PasswordResetConfirm,
    security(()),
    responses((status = 204, description = "Password set"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let req: PasswordResetConfirm = parse_json(&headers, &body)?;
    state
        .services
        .reset_password(
            &crate::auth::token_hash(&req.token),
            &req.password,
            &crate::auth::Argon2Hasher,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
