//! Re-authentication before sensitive actions (#21, like GitHub's sudo
//! mode). A sensitive form sent longer than `reauth_minutes` after the
//! person last proved who they are is not carried out: kontor answers
//! with "Confirm it's you", asking for the second factor (or, for a
//! person without one, the password), and that page sends the original
//! form again — its fields kept as hidden fields — with the proof. One
//! click after the proof and the action runs as first submitted.
//!
//! Which actions are sensitive is listed once, here: submitting and
//! withdrawing partner changes, managing people, API tokens, webhooks,
//! two-factor settings and resets.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kontor_core::domain::second_factor::still_fresh;
use kontor_core::service::second_factor::code_error;

use super::Chrome;
use super::error::PageError;
use super::session::{SignedIn, verify_form};
use crate::auth::{SecondStep, SignIn};
use crate::web::AppState;
use crate::web::extract::ClientAddr;

/// Paths of sensitive forms; `*` is one path segment.
const SENSITIVE: [&str; 21] = [
    "/agreements/*/partner",
    "/partner-changes/*/withdraw",
    "/account/people/*",
    "/account/settings/tokens",
    "/account/settings/tokens/*/revoke",
    "/account/security/app/remove",
    "/account/security/recovery-codes",
    "/account/security/rule",
    "/account/security/reset",
    "/back-office/webhooks",
    "/back-office/webhooks/*/*",
    "/back-office/second-factor-reset",
    "/account/security/app/start",
    "/account/security/app/confirm",
    "/account/security/passkeys/new",
    "/account/security/passkeys/*/remove",
    "/account/sso",
    "/account/sso/scim-tokens",
    "/account/sso/scim-tokens/*/revoke",
    "/back-office/sso-domains",
    "/back-office/sso-domains/*/remove",
];

/// Whether a form sent to `path` is a sensitive action.
pub fn is_sensitive(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    SENSITIVE.iter().any(|pattern| {
        let wanted: Vec<&str> = pattern.split('/').collect();
        wanted.len() == segments.len()
            && wanted
                .iter()
                .zip(&segments)
                .all(|(w, s)| *w == "*" || w == s)
    })
}

/// Field names of the proof; the original form never uses them.
const CODE_FIELD: &str = "reauth_code";
const PASSWORD_FIELD: &str = "reauth_password";
const PASSKEY_FIELD: &str = "reauth_passkey";

#[derive(Template, WebTemplate)]
#[template(path = "pages/reauth.html")]
struct ReauthPage {
    c: Chrome,
    /// Where the form goes (the original action).
    action: String,
    /// The original form's fields, sent again.
    fields: Vec<(String, String)>,
    /// Ask for the app's code (else the password).
    code: bool,
    /// Offer the person's passkeys.
    passkeys: bool,
    /// The person signs in only at their identity provider: send them
    /// there (`/sso/start?…`) instead of asking for a password.
    sso: Option<String>,
    email: String,
    error: Option<String>,
}

/// Lets sensitive forms through only with a fresh proof of identity.
pub async fn confirm_identity(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !is_sensitive(req.uri().path()) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let me = match SignedIn::from_request_parts(&mut parts, &state).await {
        Ok(me) => me,
        // Not signed in: the handler answers as it always does.
        Err(_) => return next.run(Request::from_parts(parts, body)).await,
    };
    let now = state.services.clock.now();
    if still_fresh(me.verified_at, now, state.config.reauth_window()) {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let urlencoded = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !urlencoded {
        return PageError::bad_request(me.tr).into_response();
    }
    // The body is already capped by the route's limit (`limits`).
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return PageError::bad_request(me.tr).into_response();
    };
    let Ok(all) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes) else {
        return PageError::bad_request(me.tr).into_response();
    };
    let (proof, fields): (Vec<_>, Vec<_>) = all.into_iter().partition(|(k, _)| {
        [CODE_FIELD, PASSWORD_FIELD, PASSKEY_FIELD, "username"].contains(&k.as_str())
    });
    let has_code = match state.services.second_factor_of(&me.actor).await {
        Ok(f) => f.confirmed_totp().is_some(),
        Err(e) => return PageError::from_core(e, me.tr).into_response(),
    };
    let has_passkeys = match state.services.passkeys(&me.actor).await {
        Ok(p) => !p.is_empty(),
        Err(e) => return PageError::from_core(e, me.tr).into_response(),
    };
    let sso = match state.services.sign_in_route(&me.actor.email).await {
        Ok(kontor_core::domain::sso::SignInRoute::Sso {
            password: kontor_core::domain::sso::PasswordWay::No,
            ..
        }) => Some(super::sso::start_link(
            &me.actor.email,
            &super::session::return_path(&parts),
        )),
        Ok(_) => None,
        Err(e) => return PageError::from_core(e, me.tr).into_response(),
    };
    let action = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
    // The language switch goes back to the page the form was on.
    let back = super::session::return_path(&parts);
    let page = |error: Option<String>| ReauthPage {
        c: Chrome::new(&me, "", &back),
        action: action.clone(),
        fields: fields.clone(),
        code: has_code,
        passkeys: has_passkeys,
        sso: sso.clone(),
        email: me.actor.email.clone(),
        error,
    };
    let Some((kind, given)) = proof.into_iter().find(|(k, _)| k != "username") else {
        return page(None).into_response();
    };
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    if let Err(e) = verify_form(&parts.headers, csrf, &me.csrf, me.tr) {
        return e.into_response();
    }
    let Ok(ClientAddr(client)) = ClientAddr::from_request_parts(&mut parts, &state).await;
    let policy = state.config.throttle();
    let refused = if kind == PASSKEY_FIELD && has_passkeys {
        let rp = state.config.relying_party();
        let proved = match super::passkeys::ceremony(&given) {
            Some(c) => state
                .services
                .sign_in_with_passkey(&rp, &c, Some(me.actor.user_id))
                .await
                .map(|r| r.is_ok()),
            None => Ok(false),
        };
        match proved {
            Ok(true) => None,
            Ok(false) => Some((StatusCode::UNAUTHORIZED, me.tr.t("passkey-refused"))),
            Err(e) => return PageError::from_core(e, me.tr).into_response(),
        }
    } else if kind == CODE_FIELD && has_code {
        match crate::auth::second_step(&state.services, &policy, &me.actor, &given, client).await {
            Ok(SecondStep::Ok(_)) => None,
            Ok(SecondStep::Refused(r)) => Some((
                StatusCode::UNAUTHORIZED,
                me.tr.field_message(&code_error(r)),
            )),
            Ok(SecondStep::Throttled(wait)) => Some((
                StatusCode::TOO_MANY_REQUESTS,
                me.tr.tn(
                    "second-step-throttled",
                    "minutes",
                    kontor_core::domain::throttle::minutes(wait),
                ),
            )),
            Err(e) => return PageError::internal(e, me.tr).into_response(),
        }
    } else if kind == PASSWORD_FIELD && !has_code {
        match crate::auth::sign_in(&state.services, &policy, &me.actor.email, given, client).await {
            Ok(SignIn::Ok(a)) if a.user_id == me.actor.user_id => None,
            Ok(SignIn::SsoOnly) => Some((StatusCode::UNAUTHORIZED, me.tr.t("sso-password-unused"))),
            Ok(SignIn::Ok(_) | SignIn::Failed) => {
                Some((StatusCode::UNAUTHORIZED, me.tr.t("reauth-password-wrong")))
            }
            Ok(SignIn::Throttled(wait)) => Some((
                StatusCode::TOO_MANY_REQUESTS,
                me.tr.tn(
                    "signin-throttled",
                    "minutes",
                    kontor_core::domain::throttle::minutes(wait),
                ),
            )),
            Err(e) => return PageError::internal(e, me.tr).into_response(),
        }
    } else {
        // A password where a code is due (or the other way round).
        Some((StatusCode::UNAUTHORIZED, me.tr.t("reauth-password-wrong")))
    };
    if let Some((status, message)) = refused {
        return (status, page(Some(message))).into_response();
    }
    if let Err(e) = state.services.reverify_session(&me.sid_hash).await {
        return PageError::from_core(e, me.tr).into_response();
    }
    let body = serde_urlencoded::to_string(&fields).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    next.run(Request::from_parts(parts, Body::from(body))).await
}

#[cfg(test)]
mod tests {
    use super::is_sensitive;

    #[test]
    fn sensitive_forms_are_named_by_path() {
        for path in [
            "/agreements/123456789012/partner",
            "/partner-changes/0190/withdraw",
            "/account/people/invite",
            "/account/settings/tokens",
            "/account/settings/tokens/abc/revoke",
            "/back-office/webhooks/abc/rotate",
            "/account/security/reset",
        ] {
            assert!(is_sensitive(path), "{path}");
        }
        for path in [
            "/agreements/123456789012",
            "/account/settings/profile",
            "/account/security/recovery-codes.txt",
            "/signin",
            "/api/v1/partner-changes",
        ] {
            assert!(!is_sensitive(path), "{path}");
        }
    }
}
