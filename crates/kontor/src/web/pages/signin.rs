//! Sign in and sign out.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use super::Chrome;
use super::error::PageError;
use super::session::{
    SignedIn, end_second_step, end_session, language, local_path, second_step, signin_token,
    start_second_step, start_session, verify_form,
};
use crate::auth::{SecondStep, SignIn};
use crate::i18n::Tr;
use crate::web::AppState;
use crate::web::extract::ClientAddr;
use kontor_core::domain::sso::{PasswordWay, SignInRoute};
use kontor_core::service::second_factor::{Proof, code_error};

pub fn router() -> axum::Router<AppState> {
    Router::new()
        .route("/signin", get(show).post(submit))
        .route("/signin/code", get(show_code).post(submit_code))
        .route("/signout", post(signout))
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/signin.html")]
struct SigninPage {
    c: Chrome,
    email: String,
    next: String,
    token: String,
    failed: bool,
    /// Why the person is here (a message key): signed out, a new password,
    /// an accepted invitation, a session that ended.
    notice: Option<&'static str>,
    /// "Try again in N minutes".
    throttled: Option<String>,
    /// A passkey was just refused.
    passkey_refused: bool,
    /// Single sign-on was asked for an email without it.
    no_sso: bool,
}

/// An email whose account signs in at its identity provider: the link
/// there (a link, not a redirect of the form: see `sso.rs`).
#[derive(Template, WebTemplate)]
#[template(path = "pages/sso_continue.html")]
struct SsoContinuePage {
    c: Chrome,
    email: String,
    email_escaped: String,
    link: String,
    /// Why the password works as well (a message key), if it does.
    password_way: Option<&'static str>,
}

fn sso_continue(tr: Tr, email: &str, next: &str, password: PasswordWay) -> Response {
    let email = email.trim();
    SsoContinuePage {
        c: Chrome::anonymous(tr, "/signin"),
        email: email.to_owned(),
        email_escaped: super::session::url_escape(email),
        link: super::sso::start_link(email, next),
        password_way: match password {
            PasswordWay::No => None,
            PasswordWay::Also => Some("sso-password-also"),
            PasswordWay::BreakGlass => Some("sso-password-too"),
        },
    }
    .into_response()
}

#[derive(Debug, Deserialize)]
struct SigninQuery {
    next: Option<String>,
    bye: Option<String>,
    reset: Option<String>,
    welcome: Option<String>,
    expired: Option<String>,
    passkey: Option<String>,
    /// Prefilled (back from the single sign-on step).
    email: Option<String>,
    /// `none`: single sign-on was asked for an email without it.
    sso: Option<String>,
}

impl SigninQuery {
    fn notice(&self) -> Option<&'static str> {
        [
            (&self.bye, "signed-out"),
            (&self.reset, "reset-done"),
            (&self.welcome, "signin-welcome"),
            (&self.expired, "signin-expired"),
        ]
        .into_iter()
        .find_map(|(given, key)| given.is_some().then_some(key))
    }
}

async fn show(
    State(state): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    Query(q): Query<SigninQuery>,
) -> Response {
    let tr = Tr::new(language(&jar, &headers, None));
    let (jar, token) = signin_token(&state, jar);
    let page = SigninPage {
        c: Chrome::anonymous(tr, "/signin"),
        email: q.email.clone().unwrap_or_default(),
        next: local_path(q.next.as_deref()),
        token,
        failed: false,
        notice: q.notice(),
        throttled: None,
        passkey_refused: q.passkey.is_some(),
        no_sso: q.sso.as_deref() == Some("none"),
    };
    (jar, page).into_response()
}

#[derive(Debug, Deserialize)]
struct SigninForm {
    email: String,
    /// Empty when the person chose single sign-on.
    #[serde(default)]
    password: String,
    /// Set by the "single sign-on" button.
    sso: Option<String>,
    next: Option<String>,
    csrf: Option<String>,
    /// The browser's zone (`static/zone.js`), empty without JavaScript.
    #[serde(default)]
    time_zone: String,
}

async fn submit(
    State(state): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    client: ClientAddr,
    Form(form): Form<SigninForm>,
) -> Result<Response, PageError> {
    let tr = Tr::new(language(&jar, &headers, None));
    let expected = super::session::signin_csrf(&state, &jar);
    verify_form(&headers, form.csrf.as_deref(), &expected, tr)?;
    let next = local_path(form.next.as_deref());
    if form.sso.is_some() || form.password.is_empty() {
        let route = state
            .services
            .sign_in_route(&form.email)
            .await
            .map_err(|e| PageError::from_core(e, tr))?;
        if let SignInRoute::Sso { password, .. } = route {
            return Ok(sso_continue(tr, &form.email, &next, password));
        }
    }
    let mut page = SigninPage {
        c: Chrome::anonymous(tr, "/signin"),
        email: form.email.clone(),
        next: next.clone(),
        token: expected,
        failed: false,
        notice: None,
        throttled: None,
        passkey_refused: false,
        no_sso: false,
    };
    // Asked for single sign-on without it, or sent no password: nothing
    // is checked or counted.
    if form.sso.is_some() {
        page.no_sso = true;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    if form.password.is_empty() {
        page.failed = true;
        return Ok((StatusCode::UNAUTHORIZED, page).into_response());
    }
    let policy = state.config.throttle();
    let outcome = crate::auth::sign_in(
        &state.services,
        &policy,
        &form.email,
        form.password,
        client.0,
    )
    .await;
    match outcome {
        Ok(SignIn::Ok(actor)) => {
            let factors = state
                .services
                .second_factor_of(&actor)
                .await
                .map_err(|e| PageError::from_core(e, tr))?;
            if factors.confirmed_totp().is_some() || has_passkeys(&state, &actor, tr).await? {
                let jar = start_second_step(&state, jar, &actor, &next, &form.time_zone).await?;
                return Ok((jar, Redirect::to("/signin/code")).into_response());
            }
            signed_in(&state, jar, &headers, &actor, &form.time_zone, &next).await
        }
        Ok(SignIn::SsoOnly) => Ok(sso_continue(tr, &page.email, &next, PasswordWay::No)),
        Ok(SignIn::Failed) => {
            page.failed = true;
            Ok((StatusCode::UNAUTHORIZED, page).into_response())
        }
        Ok(SignIn::Throttled(wait)) => {
            let minutes = kontor_core::domain::throttle::minutes(wait);
            page.throttled = Some(tr.tn("signin-throttled", "minutes", minutes));
            let retry = wait.whole_seconds().max(1).to_string();
            Ok((
                StatusCode::TOO_MANY_REQUESTS,
                [(axum::http::header::RETRY_AFTER, retry)],
                page,
            )
                .into_response())
        }
        Err(e) => Err(PageError::internal(e, tr)),
    }
}

/// Starts the session of a person who gave every factor they have.
async fn signed_in(
    state: &AppState,
    jar: CookieJar,
    headers: &HeaderMap,
    actor: &kontor_core::domain::roles::Actor,
    time_zone: &str,
    next: &str,
) -> Result<Response, PageError> {
    if let Err(e) = state.services.remember_browser_zone(actor, time_zone).await {
        tracing::warn!(error = ?e, "failed to remember the browser's time zone");
    }
    let jar = start_session(state, jar, headers, actor).await?;
    Ok((jar, Redirect::to(next)).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/signin_code.html")]
struct CodePage {
    c: Chrome,
    token: String,
    /// Why the code was not accepted.
    error: Option<String>,
    /// The person has passkeys: offer them.
    passkeys: bool,
}

/// The second step: the code of the person's app, or a recovery code.
async fn show_code(
    State(state): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    Query(q): Query<SigninQuery>,
) -> Result<Response, PageError> {
    let Some((_, actor)) = second_step(&state, &jar).await? else {
        return Ok(Redirect::to("/signin?expired=1").into_response());
    };
    let tr = Tr::new(language(&jar, &headers, Some(&actor)));
    let passkeys = has_passkeys(&state, &actor, tr).await?;
    let (jar, token) = signin_token(&state, jar);
    let page = CodePage {
        c: Chrome::anonymous(tr, "/signin/code"),
        token,
        error: q.passkey.is_some().then(|| tr.t("passkey-refused")),
        passkeys,
    };
    Ok((jar, page).into_response())
}

#[derive(Debug, Deserialize)]
struct CodeForm {
    code: String,
    csrf: Option<String>,
}

async fn submit_code(
    State(state): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    client: ClientAddr,
    Form(form): Form<CodeForm>,
) -> Result<Response, PageError> {
    let tr = Tr::new(language(&jar, &headers, None));
    let expected = super::session::signin_csrf(&state, &jar);
    verify_form(&headers, form.csrf.as_deref(), &expected, tr)?;
    let Some((challenge, actor)) = second_step(&state, &jar).await? else {
        return Ok(Redirect::to("/signin?expired=1").into_response());
    };
    let tr = Tr::new(language(&jar, &headers, Some(&actor)));
    let outcome = crate::auth::second_step(
        &state.services,
        &state.config.throttle(),
        &actor,
        &form.code,
        client.0,
    )
    .await
    .map_err(|e| PageError::internal(e, tr))?;
    let passkeys = has_passkeys(&state, &actor, tr).await?;
    let page = |error: String| CodePage {
        c: Chrome::anonymous(tr, "/signin/code"),
        token: expected.clone(),
        error: Some(error),
        passkeys,
    };
    match outcome {
        SecondStep::Ok(proof) => {
            let jar = end_second_step(&state, jar).await;
            // After a recovery code, the security page says how many are
            // left and offers new ones.
            let next = match proof {
                Proof::AppCode => challenge.next.clone(),
                Proof::RecoveryCode { left } => {
                    format!("{}?recovery_used={left}", super::session::SECURITY_PAGE)
                }
            };
            signed_in(&state, jar, &headers, &actor, &challenge.time_zone, &next).await
        }
        SecondStep::Refused(refused) => {
            let message = tr.field_message(&code_error(refused));
            Ok((StatusCode::UNAUTHORIZED, page(message)).into_response())
        }
        SecondStep::Throttled(wait) => {
            let minutes = kontor_core::domain::throttle::minutes(wait);
            let retry = wait.whole_seconds().max(1).to_string();
            Ok((
                StatusCode::TOO_MANY_REQUESTS,
                [(axum::http::header::RETRY_AFTER, retry)],
                page(tr.tn("second-step-throttled", "minutes", minutes)),
            )
                .into_response())
        }
    }
}

async fn has_passkeys(
    state: &AppState,
    actor: &kontor_core::domain::roles::Actor,
    tr: Tr,
) -> Result<bool, PageError> {
    Ok(!state
        .services
        .passkeys(actor)
        .await
        .map_err(|e| PageError::from_core(e, tr))?
        .is_empty())
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn signout(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, form.csrf.as_deref(), &me.csrf, me.tr)?;
    let jar = end_session(&state, jar, &me.sid_hash).await;
    Ok((jar, Redirect::to("/signin?bye=1")).into_response())
}
