//! Single sign-on in the portal (#21): the trip to the account's identity
//! provider and back, and the primary admin's settings.
//!
//! The trip starts with a link (`/sso/start`), never a form: the content
//! security policy's `form-action 'self'` blocks a form whose answer
//! redirects to another site. The state goes along in a SameSite=Lax
//! cookie — a Strict one would not come back from the provider — so the
//! answer only counts in the browser that left.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use kontor_core::Error;
use kontor_core::domain::sso::{NewcomerRole, SignInRoute, SsoInput};
use kontor_core::service::sso::{ProviderAnswer, SsoRefused};
use serde::Deserialize;

use super::Chrome;
use super::error::PageError;
use super::session::{SignedIn, language, local_path, start_session, url_escape, verify_form};
use crate::i18n::Tr;
use crate::web::AppState;

/// The primary admin's settings page.
pub const SETTINGS_PAGE: &str = "/account/sso";
/// The trip's state, while the browser is at the provider.
const STATE_COOKIE: &str = "kontor_sso";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sso/start", get(start))
        .route("/sso/callback", get(callback))
        .route(SETTINGS_PAGE, get(show).post(save))
        .route("/account/sso/scim-tokens", post(create_token))
        .route("/account/sso/scim-tokens/{id}/revoke", post(revoke_token))
}

/// A provisioning token as listed.
struct TokenRow {
    id: String,
    label: String,
    made: String,
    used: Option<String>,
    revoked: bool,
}

/// The link that sends `email` to their provider and back to `next`.
pub fn start_link(email: &str, next: &str) -> String {
    format!(
        "/sso/start?email={}&next={}",
        url_escape(email),
        url_escape(next)
    )
}

/// Where providers send people back to: registered at the provider.
pub fn callback_url(state: &AppState) -> String {
    format!(
        "{}/sso/callback",
        state.config.public_url.trim_end_matches('/')
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/sso_refused.html")]
struct RefusedPage {
    c: Chrome,
    /// Why, for people.
    message: String,
}

fn refused(tr: Tr, status: StatusCode, why: &SsoRefused) -> Response {
    let page = RefusedPage {
        c: Chrome::anonymous(tr, "/signin"),
        message: tr.t(&format!("sso-refused-{}", why.code())),
    };
    (status, page).into_response()
}

#[derive(Debug, Deserialize)]
struct StartQuery {
    email: Option<String>,
    next: Option<String>,
}

/// Sends the browser to the provider of the email's account.
async fn start(
    State(state): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    Query(q): Query<StartQuery>,
) -> Result<Response, PageError> {
    let tr = Tr::new(language(&jar, &headers, None));
    let email = q.email.unwrap_or_default();
    let next = local_path(q.next.as_deref());
    let route = state
        .services
        .sign_in_route(&email)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let SignInRoute::Sso { account, .. } = route else {
        let back = format!("/signin?sso=none&email={}", url_escape(email.trim()));
        return Ok(Redirect::to(&back).into_response());
    };
    let random = [rand::random(), rand::random(), rand::random()];
    let started = state
        .services
        .start_sso(&account, &next, &callback_url(&state), random, &state.sso)
        .await;
    let (trip_state, url) = match started {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = ?e, account = %account, "single sign-on could not start");
            let why = SsoRefused::Token(String::new());
            return Ok(refused(tr, StatusCode::BAD_GATEWAY, &why));
        }
    };
    // The provider's sign-in form starts with the email filled in.
    let url = match url::Url::parse(&url) {
        Ok(mut u) => {
            u.query_pairs_mut().append_pair("login_hint", email.trim());
            u.to_string()
        }
        Err(_) => url,
    };
    let cookie = Cookie::build((STATE_COOKIE, trip_state))
        .path("/sso/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.cookie_secure)
        .max_age(time::Duration::minutes(
            kontor_core::domain::sso::STATE_MINUTES,
        ))
        .build();
    Ok((jar.add(cookie), Redirect::to(&url)).into_response())
}

#[derive(Debug, Default, Deserialize)]
struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
    iss: Option<String>,
    error: Option<String>,
}

/// The provider's answer: sign the person in, or say why not.
async fn callback(
    State(state): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Result<Response, PageError> {
    let tr = Tr::new(language(&jar, &headers, None));
    let browser_state = jar.get(STATE_COOKIE).map(|c| c.value().to_owned());
    let jar = jar.remove(Cookie::build(STATE_COOKIE).path("/sso/"));
    let answer = ProviderAnswer {
        state: q.state.unwrap_or_default(),
        code: q.code,
        iss: q.iss,
        error: q.error,
    };
    let outcome = state
        .services
        .finish_sso(
            &answer,
            browser_state.as_deref(),
            &callback_url(&state),
            &state.sso,
        )
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    match outcome {
        Ok((actor, next)) => {
            let jar = start_session(&state, jar, &headers, &actor).await?;
            Ok((jar, Redirect::to(&local_path(Some(&next)))).into_response())
        }
        Err(why) => {
            tracing::warn!(refused = ?why, "single sign-on refused");
            Ok((jar, refused(tr, StatusCode::FORBIDDEN, &why)).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/sso_settings.html")]
struct SettingsPage {
    c: Chrome,
    issuer: String,
    client_id: String,
    /// A secret is stored (the field may stay empty).
    secret_set: bool,
    enabled: bool,
    required: bool,
    newcomer_role: String,
    /// (code, label) of the roles a newcomer may get.
    roles: Vec<(&'static str, String)>,
    /// The bound email domains.
    domains: Vec<String>,
    /// The address to register at the provider.
    callback: String,
    /// The provisioning (SCIM) endpoint's address.
    scim_url: String,
    /// The account's provisioning tokens, newest first.
    tokens: Vec<TokenRow>,
    /// A token just made: (label, token), shown once.
    new_token: Option<(String, String)>,
    errors: Vec<(String, String)>,
    flash: Option<String>,
}

impl SettingsPage {
    /// The page again with what was wrong with the form, field by field.
    fn refused(mut self, me: &SignedIn, errors: &[kontor_core::FieldError]) -> Response {
        self.errors = super::settings::field_errors(me.tr, errors);
        (StatusCode::UNPROCESSABLE_ENTITY, self).into_response()
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Debug, Default, Deserialize)]
struct Shown {
    saved: Option<String>,
    revoked: Option<String>,
}

async fn settings_page(state: &AppState, me: &SignedIn) -> Result<SettingsPage, PageError> {
    let overview = state
        .services
        .sso_overview(&me.actor)
        .await
        .map_err(|e| PageError::from_core(e, me.tr))?;
    let s = overview.settings;
    Ok(SettingsPage {
        c: Chrome::new(me, "settings", SETTINGS_PAGE),
        issuer: s.as_ref().map(|s| s.issuer.clone()).unwrap_or_default(),
        client_id: s.as_ref().map(|s| s.client_id.clone()).unwrap_or_default(),
        secret_set: s.is_some(),
        enabled: s.as_ref().is_some_and(|s| s.enabled),
        required: s.as_ref().is_some_and(|s| s.required),
        newcomer_role: s
            .as_ref()
            .map_or(NewcomerRole::User, |s| s.newcomer_role)
            .as_str()
            .to_owned(),
        roles: NewcomerRole::ALL
            .iter()
            .map(|r| (r.as_str(), me.tr.t(&format!("role-{}", r.as_str()))))
            .collect(),
        domains: overview.domains.into_iter().map(|d| d.domain).collect(),
        callback: callback_url(state),
        scim_url: format!("{}/scim/v2", state.config.public_url.trim_end_matches('/')),
        tokens: state
            .services
            .scim_tokens(&me.actor)
            .await
            .map_err(|e| PageError::from_core(e, me.tr))?
            .into_iter()
            .map(|t| TokenRow {
                id: t.id.to_string(),
                made: format!("{} · {}", me.tr.datetime(t.created_at), t.created_by),
                used: t.last_used_at.map(|u| me.tr.datetime(u)),
                revoked: t.revoked_at.is_some(),
                label: t.label,
            })
            .collect(),
        new_token: None,
        errors: Vec::new(),
        flash: None,
    })
}

async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    Query(q): Query<Shown>,
) -> Result<Response, PageError> {
    let mut page = settings_page(&state, &me).await?;
    if q.saved.is_some() {
        page.flash = Some(me.tr.t("sso-saved"));
    }
    if q.revoked.is_some() {
        page.flash = Some(me.tr.t("scim-token-revoked"));
    }
    let (jar, kept) = super::once::take(jar, SETTINGS_PAGE);
    page.new_token = kept.and_then(|k| {
        let (label, token) = k.split_once('\n')?;
        Some((label.to_owned(), token.to_owned()))
    });
    Ok((jar, page).into_response())
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    #[serde(default)]
    label: String,
    csrf: Option<String>,
}

/// Makes a provisioning token; the page after the redirect shows it once.
async fn create_token(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    headers: HeaderMap,
    Form(f): Form<TokenForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let token = format!(
        "{}{}",
        crate::web::scim::TOKEN_PREFIX,
        crate::auth::new_secret()
    );
    match state
        .services
        .create_scim_token(&me.actor, &f.label, &crate::auth::token_hash(&token))
        .await
    {
        Ok(made) => {
            let jar = super::once::keep(
                &state,
                jar,
                SETTINGS_PAGE,
                &format!("{}\n{token}", made.label),
            );
            Ok((jar, Redirect::to(&format!("{SETTINGS_PAGE}#scim-h"))).into_response())
        }
        Err(Error::Invalid(errors) | Error::Refused(errors)) => {
            Ok(settings_page(&state, &me).await?.refused(&me, &errors))
        }
        Err(e) => Err(PageError::from_core(e, me.tr)),
    }
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn revoke_token(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let Ok(id) = uuid::Uuid::parse_str(&id) else {
        return Err(PageError::not_found(me.tr));
    };
    state
        .services
        .revoke_scim_token(&me.actor, id)
        .await
        .map_err(|e| PageError::from_core(e, me.tr))?;
    Ok(Redirect::to(&format!("{SETTINGS_PAGE}?revoked=1#scim-h")).into_response())
}

#[derive(Debug, Deserialize)]
struct SettingsForm {
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    enabled: Option<String>,
    required: Option<String>,
    #[serde(default)]
    newcomer_role: String,
    csrf: Option<String>,
}

async fn save(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<SettingsForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let input = SsoInput {
        issuer: f.issuer.clone(),
        client_id: f.client_id.clone(),
        client_secret: f.client_secret,
        enabled: f.enabled.is_some(),
        required: f.required.is_some(),
        newcomer_role: f.newcomer_role.clone(),
    };
    match state
        .services
        .save_sso_settings(&me.actor, &input, &state.sso)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{SETTINGS_PAGE}?saved=1")).into_response()),
        Err(Error::Invalid(errors) | Error::Refused(errors)) => {
            let mut page = settings_page(&state, &me).await?;
            page.issuer = f.issuer;
            page.client_id = f.client_id;
            page.enabled = input.enabled;
            page.required = input.required;
            page.newcomer_role = f.newcomer_role;
            Ok(page.refused(&me, &errors))
        }
        Err(e) => Err(PageError::from_core(e, me.tr)),
    }
}
