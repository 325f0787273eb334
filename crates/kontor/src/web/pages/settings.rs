//! Your settings (#19): name, language and time zone; password; where you
//! are signed in. Every person has this page, whatever their role; each
//! form redirects back with what happened (Post/Redirect/Get).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;
use kontor_core::Error;
use kontor_core::domain::notify::{ChangeEvent, MutedEvents};
use kontor_core::domain::zone::Zone;
use kontor_core::service::settings::ProfileInput;
use serde::Deserialize;

use super::Chrome;
use super::error::PageError;
use super::session::{SignedIn, set_language, verify_form};
use super::tokens::{self, TokenRow};
use crate::auth::SignIn;
use crate::i18n::Tr;
use crate::web::AppState;
use crate::web::extract::ClientAddr;

use super::tokens::SETTINGS;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(SETTINGS, get(show))
        .route("/account/settings/profile", post(save_profile))
        .route("/account/settings/password", post(change_password))
        .route("/account/settings/sessions", post(end_other_sessions))
        .route("/account/settings/notifications", post(save_notifications))
}

/// One of the person's sessions, as listed.
struct SessionRow {
    browser: String,
    signed_in: String,
    last_seen: String,
    current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/settings.html")]
struct SettingsPage {
    c: Chrome,
    email: String,
    role: String,
    name: String,
    lang: String,
    zone: String,
    zones: &'static [String],
    sessions: Vec<SessionRow>,
    /// "Sign out the other N sessions", when there are others.
    end_others: Option<String>,
    /// How sessions end, with the configured idle time.
    sessions_intro: String,
    flash: Option<String>,
    /// Field errors: (field, message).
    errors: Vec<(String, String)>,
    tokens: Vec<TokenRow>,
    /// A token just issued, shown once: (label, secret).
    new_token: Option<(String, String)>,
    /// Why a token was not issued, and the label entered.
    token_error: Option<String>,
    token_label: String,
    /// Whether the person's role is mailed about partner changes.
    change_mails: bool,
    /// One checkbox per partner-change event: (code, label, mailed).
    events: Vec<(&'static str, String, bool)>,
}

impl SettingsPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Debug, Default, Deserialize)]
struct Done {
    /// `profile`, `password`, `sessions` or `token-revoked`.
    saved: Option<String>,
    /// How many sessions ended.
    ended: Option<i64>,
}

async fn page(state: &AppState, me: &SignedIn) -> Result<SettingsPage, PageError> {
    let tr = me.tr;
    let muted = state
        .services
        .muted_events(&me.actor)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let events = ChangeEvent::ALL
        .iter()
        .map(|e| {
            let code = e.as_str();
            (
                code,
                tr.t(&format!("settings-notify-{code}")),
                !muted.contains(*e),
            )
        })
        .collect();
    let now = state.services.clock.now();
    let sessions: Vec<SessionRow> = state
        .services
        .my_sessions(&me.actor)
        .await
        .map_err(|e| PageError::from_core(e, tr))?
        .into_iter()
        .map(|s| SessionRow {
            browser: s
                .user_agent
                .as_deref()
                .and_then(describe_browser)
                .unwrap_or_else(|| tr.t("settings-browser-unknown")),
            signed_in: tr.datetime(s.created_at),
            last_seen: tr
                .relative(s.last_seen_at, now)
                .unwrap_or_else(|| tr.datetime(s.last_seen_at)),
            current: s.id_hash == me.sid_hash,
        })
        .collect();
    let others = sessions.iter().filter(|s| !s.current).count();
    Ok(SettingsPage {
        c: Chrome::new(me, "settings", SETTINGS),
        email: me.actor.email.clone(),
        role: tr.t(&format!("role-{}", me.actor.role.as_str())),
        name: me.actor.name.clone(),
        lang: me.actor.lang.as_str().to_owned(),
        zone: me.actor.time_zone.name().to_owned(),
        zones: Zone::choices(),
        sessions,
        end_others: (others > 0).then(|| tr.tn("settings-sessions-end", "count", others as i64)),
        sessions_intro: tr.tn(
            "settings-sessions-intro",
            "minutes",
            state.config.session_idle_minutes,
        ),
        flash: None,
        errors: Vec::new(),
        tokens: tokens::rows(state, me).await?,
        new_token: None,
        token_error: None,
        token_label: String::new(),
        change_mails: me.actor.role.is_account_admin(),
        events,
    })
}

/// The page with a token form's problem and the label entered kept.
pub async fn page_with_token_error(
    state: &AppState,
    me: &SignedIn,
    label: &str,
    message: String,
) -> Result<Response, PageError> {
    let mut page = page(state, me).await?;
    page.token_error = Some(message);
    page.token_label = label.to_owned();
    Ok(page.into_response())
}

async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let mut page = page(&state, &me).await?;
    let (jar, new_token) = tokens::take_new_secret(jar);
    page.new_token = new_token;
    page.flash = match q.saved.as_deref() {
        Some("profile") => Some(me.tr.t("settings-profile-saved")),
        Some("password") => Some(me.tr.tn(
            "settings-password-saved",
            "ended",
            q.ended.unwrap_or(0),
        )),
        Some("sessions") => Some(me.tr.tn(
            "settings-sessions-ended",
            "ended",
            q.ended.unwrap_or(0),
        )),
        Some("token-revoked") => Some(me.tr.t("token-revoked")),
        Some("notifications") => Some(me.tr.t("settings-notify-saved")),
        _ => None,
    };
    Ok((jar, page).into_response())
}

/// The page again with the form's problems (422).
async fn with_errors(
    state: &AppState,
    me: &SignedIn,
    errors: Vec<(String, String)>,
    keep: impl FnOnce(&mut SettingsPage),
) -> Result<Response, PageError> {
    let mut page = page(state, me).await?;
    page.errors = errors;
    keep(&mut page);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Debug, Deserialize)]
struct ProfileForm {
    name: String,
    lang: String,
    time_zone: String,
    csrf: Option<String>,
}

async fn save_profile(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    headers: HeaderMap,
    Form(f): Form<ProfileForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let input = ProfileInput {
        name: f.name.clone(),
        lang: f.lang.clone(),
        time_zone: f.time_zone.clone(),
    };
    match state.services.update_profile(&me.actor, &input).await {
        // Cached API callers carry the old profile; the language cookie
        // would keep the old language.
        Ok(actor) => {
            state.tokens.clear();
            Ok((
                set_language(&state, jar, actor.lang),
                Redirect::to(&format!("{SETTINGS}?saved=profile")),
            )
                .into_response())
        }
        Err(Error::Invalid(errors) | Error::Refused(errors)) => {
            let errors = field_errors(me.tr, &errors);
            with_errors(&state, &me, errors, |p| {
                p.name = f.name;
                p.lang = f.lang;
                p.zone = f.time_zone;
            })
            .await
        }
        Err(e) => Err(PageError::from_core(e, me.tr)),
    }
}

/// Each field's error in the reader's words, for a form answered again.
pub(super) fn field_errors(tr: Tr, errors: &[kontor_core::FieldError]) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|e| (e.field.clone(), tr.field_message(e)))
        .collect()
}

#[derive(Debug, Deserialize)]
struct PasswordForm {
    current_password: String,
    new_password: String,
    repeat_password: String,
    csrf: Option<String>,
}

/// The current password is checked like a sign-in — throttled per
/// account and address — so a session left open does not let anyone
/// guess it.
async fn change_password(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    client: ClientAddr,
    Form(f): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, tr)?;
    let policy = state.config.throttle();
    let proof = crate::auth::sign_in(
        &state.services,
        &policy,
        &me.actor.email,
        f.current_password,
        client.0,
    )
    .await
    .map_err(|e| PageError::internal(e, tr))?;
    let problem = match proof {
        SignIn::Ok(_) if f.new_password != f.repeat_password => {
            Some(("repeat_password", tr.t("settings-password-mismatch")))
        }
        SignIn::Ok(_) => None,
        SignIn::Failed => Some(("current_password", tr.t("settings-password-wrong"))),
        SignIn::SsoOnly => Some(("current_password", tr.t("sso-password-unused"))),
        SignIn::Throttled(wait) => Some((
            "current_password",
            tr.tn(
                "signin-throttled",
                "minutes",
                kontor_core::domain::throttle::minutes(wait),
            ),
        )),
    };
    if let Some((field, message)) = problem {
        return with_errors(&state, &me, vec![(field.to_owned(), message)], |_| {}).await;
    }
    match state
        .services
        .change_password(
            &me.actor,
            &f.new_password,
            &me.sid_hash,
            &crate::auth::Argon2Hasher,
        )
        .await
    {
        Ok(ended) => {
            Ok(Redirect::to(&format!("{SETTINGS}?saved=password&ended={ended}")).into_response())
        }
        Err(Error::Invalid(errors) | Error::Refused(errors)) => {
            with_errors(&state, &me, field_errors(tr, &errors), |_| {}).await
        }
        Err(e) => Err(PageError::from_core(e, tr)),
    }
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn end_other_sessions(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let ended = state
        .services
        .end_other_sessions(&me.actor, &me.sid_hash)
        .await
        .map_err(|e| PageError::from_core(e, me.tr))?;
    Ok(Redirect::to(&format!("{SETTINGS}?saved=sessions&ended={ended}")).into_response())
}

/// A checked box is an event mailed; the form posts every event as
/// `mail=<code>` that stays checked, so what is left out is muted.
async fn save_notifications(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csrf = f.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str());
    verify_form(&headers, csrf, &me.csrf, me.tr)?;
    let mailed: Vec<&str> = f
        .iter()
        .filter(|(k, _)| k == "mail")
        .map(|(_, v)| v.as_str())
        .collect();
    let muted: Vec<ChangeEvent> = ChangeEvent::ALL
        .iter()
        .copied()
        .filter(|e| !mailed.contains(&e.as_str()))
        .collect();
    state
        .services
        .set_muted_events(&me.actor, &MutedEvents::of(&muted))
        .await
        .map_err(|e| PageError::from_core(e, me.tr))?;
    Ok(Redirect::to(&format!("{SETTINGS}?saved=notifications#notify-h")).into_response())
}

/// "Firefox on Windows" from a `User-Agent`, or `None` when it names no
/// browser people know (a script, a bot).
pub fn describe_browser(ua: &str) -> Option<String> {
    // Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari".
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(marker, _)| ua.contains(marker))
    .map(|(_, name)| *name)?;
    let system = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(marker, _)| ua.contains(marker))
    .map(|(_, name)| *name);
    Some(match system {
        Some(system) => format!("{browser} · {system}"),
        None => browser.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::describe_browser;

    #[test]
    fn browsers_are_named_as_people_know_them() {
        let cases = [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Edge · Windows",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Firefox · Linux",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
                "Safari · iPhone",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                "Chrome · macOS",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                "Chrome · Android",
            ),
        ];
        for (ua, expected) in cases {
            assert_eq!(describe_browser(ua).as_deref(), Some(expected), "{ua}");
        }
        assert_eq!(describe_browser("curl/8.5.0"), None);
        assert_eq!(describe_browser(""), None);
    }
}
