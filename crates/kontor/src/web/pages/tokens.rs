//! Your personal API tokens, on your settings page (#19): issue one with a
//! name and an expiry (the secret shown once), list them, revoke one after
//! a question. The same use cases as `POST/GET/DELETE /api/v1/tokens`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;
use kontor_core::Error;
use serde::Deserialize;
use uuid::Uuid;

use super::Chrome;
use super::confirm::ConfirmPage;
use super::error::PageError;
use super::once;
use super::session::{SignedIn, verify_form};
use crate::auth::{new_token, token_hash};
use crate::i18n::Tr;
use crate::web::AppState;

/// Where the token forms return to, and the path a new secret waits at.
pub const SETTINGS: &str = "/account/settings";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/settings/tokens", post(issue))
        .route(
            "/account/settings/tokens/{id}/revoke",
            get(confirm_revoke).post(revoke),
        )
}

/// One of the person's tokens, as listed.
pub struct TokenRow {
    pub id: String,
    pub label: String,
    pub created: String,
    /// "until 1 March 2027", "until revoked", or when it ended.
    pub validity: String,
    /// Still working: it can be revoked.
    pub active: bool,
}

/// The person's tokens, newest first, in words.
pub async fn rows(state: &AppState, me: &SignedIn) -> Result<Vec<TokenRow>, PageError> {
    let tr = me.tr;
    let now = state.services.clock.now();
    let tokens = state
        .services
        .my_tokens(&me.actor)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    Ok(tokens
        .into_iter()
        .map(|t| {
            let (validity, active) = match (t.revoked_at, t.expires_at) {
                (Some(at), _) => (tr.t1("token-revoked-at", "at", &tr.datetime(at)), false),
                (None, Some(at)) if at <= now => {
                    (tr.t1("token-expired-at", "at", &tr.datetime(at)), false)
                }
                (None, Some(at)) => (tr.t1("token-valid-until", "at", &tr.datetime(at)), true),
                (None, None) => (tr.t("token-valid-unlimited"), true),
            };
            TokenRow {
                id: t.id.to_string(),
                label: t.label,
                created: tr.datetime(t.created_at),
                validity,
                active,
            }
        })
        .collect())
}

/// A new token's secret, kept once for the settings page: (label, secret).
pub fn take_new_secret(jar: CookieJar) -> (CookieJar, Option<(String, String)>) {
    let (jar, kept) = once::take(jar, SETTINGS);
    (
        jar,
        kept.and_then(|k| serde_json::from_str::<(String, String)>(&k).ok()),
    )
}

#[derive(Debug, Deserialize)]
struct IssueForm {
    label: String,
    /// Days, or empty for a token that works until revoked.
    valid_days: String,
    csrf: Option<String>,
}

async fn issue(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    headers: HeaderMap,
    Form(f): Form<IssueForm>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, tr)?;
    // The form offers a few choices; anything else is a bad request.
    let valid_days = match f.valid_days.trim() {
        "" => None,
        d => Some(d.parse::<i64>().map_err(|_| PageError::bad_request(tr))?),
    };
    let token = new_token();
    let result = state
        .services
        .issue_token(
            &me.actor,
            Uuid::now_v7(),
            token_hash(&token),
            &f.label,
            valid_days,
        )
        .await;
    match result {
        Ok(issued) => {
            let kept = serde_json::json!([issued.label, token]).to_string();
            let jar = once::keep(&state, jar, SETTINGS, &kept);
            Ok((jar, Redirect::to(&format!("{SETTINGS}#tokens-h"))).into_response())
        }
        Err(Error::Invalid(errors) | Error::Refused(errors)) => {
            let message = errors
                .iter()
                .map(|e| tr.field_message(e))
                .collect::<Vec<_>>()
                .join(" ");
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                super::settings::page_with_token_error(&state, &me, &f.label, message).await?,
            )
                .into_response())
        }
        Err(e) => Err(PageError::from_core(e, tr)),
    }
}

/// The person's own token `raw`, if it still works.
async fn own_active_token(
    state: &AppState,
    me: &SignedIn,
    raw: &str,
) -> Result<kontor_core::store::TokenRecord, PageError> {
    let tr = me.tr;
    let id = PageError::path_id(raw, tr)?;
    let now = state.services.clock.now();
    state
        .services
        .my_tokens(&me.actor)
        .await
        .map_err(|e| PageError::from_core(e, tr))?
        .into_iter()
        .find(|t| t.id == id && t.revoked_at.is_none() && t.expires_at.is_none_or(|at| at > now))
        .ok_or_else(|| PageError::not_found(tr))
}

async fn confirm_revoke(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let tr: Tr = me.tr;
    let token = own_active_token(&state, &me, &raw).await?;
    Ok(ConfirmPage {
        c: Chrome::new(&me, "settings", SETTINGS),
        question: tr.t1("token-revoke-confirm", "label", &token.label),
        consequence: tr.t("token-revoke-confirm-text"),
        action: format!("/account/settings/tokens/{}/revoke", token.id),
        fields: Vec::new(),
        confirm: tr.t("token-revoke"),
        back: format!("{SETTINGS}#tokens-h"),
    }
    .into_response())
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn revoke(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let token = own_active_token(&state, &me, &raw).await?;
    let hash = state
        .services
        .revoke_token(&me.actor, token.id)
        .await
        .map_err(|e| PageError::from_core(e, me.tr))?;
    state.tokens.forget(&hash);
    Ok(Redirect::to(&format!("{SETTINGS}?saved=token-revoked#tokens-h")).into_response())
}
