//! Portal sessions, language choice and CSRF protection.
//!
//! The session cookie holds 256 random bits; the database keeps only their
//! SHA-256. Cookies are HttpOnly and SameSite=Lax (Secure when configured).
//! A new id is issued at every sign-in. Sessions end after
//! `session_idle_minutes` without activity or `session_absolute_hours`
//! after sign-in, and at sign-out (server-side).
//!
//! Every form carries a token; unsafe requests are refused when
//! `Sec-Fetch-Site` or `Origin` shows another site, and when the token does
//! not match — so a browser that sends neither header is still protected.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use kontor_core::domain::roles::{Actor, Lang};
use kontor_core::domain::second_factor::Standing;
use kontor_core::service::access::SessionLimits;
use kontor_core::store::NewSession;
use subtle::ConstantTimeEq;
use time::Duration;

use super::error::PageError;
use crate::auth::{new_secret, token_hash};
use crate::i18n::Tr;
use crate::web::AppState;
use crate::web::extract::accept_language;

/// The session cookie.
pub const SESSION_COOKIE: &str = "kontor_session";
/// The language chosen with the switcher.
pub const LANG_COOKIE: &str = "kontor_lang";
/// The sign-in form's token (before there is a session).
pub const SIGNIN_CSRF_COOKIE: &str = "kontor_signin";
/// The second step of a sign-in: password accepted, second factor
/// outstanding.
pub const SECOND_STEP_COOKIE: &str = "kontor_second_step";
/// How long the second step of a sign-in waits for the code.
pub const SECOND_STEP_MINUTES: i64 = 10;

/// A cookie's name as sent. Served over TLS (`cookie_secure`), the session
/// and sign-in form cookies carry the `__Host-` prefix: browsers then take
/// them only as Secure, for this host and path `/`, so a sibling subdomain
/// cannot plant or overwrite them.
pub fn cookie_name(state: &AppState, name: &'static str) -> &'static str {
    match (state.config.cookie_secure, name) {
        (true, SESSION_COOKIE) => "__Host-kontor_session",
        (true, SIGNIN_CSRF_COOKIE) => "__Host-kontor_signin",
        (true, SECOND_STEP_COOKIE) => "__Host-kontor_second_step",
        _ => name,
    }
}

/// The sign-in form token the browser holds (empty when it holds none).
pub fn signin_csrf(state: &AppState, jar: &CookieJar) -> String {
    jar.get(cookie_name(state, SIGNIN_CSRF_COOKIE))
        .map(|c| c.value().to_owned())
        .unwrap_or_default()
}

/// The language for a request: the switcher's cookie, else the person's
/// setting, else `Accept-Language`, else English.
pub fn language(jar: &CookieJar, headers: &HeaderMap, actor: Option<&Actor>) -> Lang {
    jar.get(LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .or(actor.map(|a| a.lang))
        .or_else(|| accept_language(headers))
        .unwrap_or_default()
}

/// A signed-in person on a portal page.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Who.
    pub actor: Actor,
    /// The session's form token.
    pub csrf: String,
    /// Messages in their language.
    pub tr: Tr,
    /// Hash of the session id (sign-out).
    pub sid_hash: String,
    /// Where they stand with the two-factor rules.
    pub standing: Standing,
    /// When they last proved who they are in this session.
    pub verified_at: time::OffsetDateTime,
}

/// The only pages a person whose second factor is overdue may open:
/// setting one up, signing out, help and what pages load.
const WHILE_DUE: [&str; 5] = [
    "/account/security",
    "/signout",
    "/lang/",
    "/help",
    "/static/",
];

/// Where a person must go before anything else: setting up the second
/// factor that is overdue.
pub const SECURITY_PAGE: &str = "/account/security";

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let jar = CookieJar::from_headers(&parts.headers);
        // Back to where the person was after signing in; a session that
        // ended on the way is said so.
        let to_signin = |ended: bool| {
            let next = url_escape(&return_path(parts));
            let why = if ended { "&expired=1" } else { "" };
            Redirect::to(&format!("/signin?next={next}{why}")).into_response()
        };
        let Some(cookie) = jar.get(cookie_name(state, SESSION_COOKIE)) else {
            return Err(to_signin(false));
        };
        let hash = token_hash(cookie.value());
        let limits = SessionLimits {
            idle: Duration::minutes(state.config.session_idle_minutes),
            absolute: Duration::hours(state.config.session_absolute_hours),
        };
        let record = match state.services.resume_session(&hash, limits).await {
            Ok(Some(r)) => r,
            Ok(None) => return Err(to_signin(true)),
            Err(e) => {
                return Err(PageError::from_core(e, Tr::new(Lang::En)).into_response());
            }
        };
        let lang = language(&jar, &parts.headers, Some(&record.actor));
        let tr = Tr::new(lang).in_zone(record.actor.time_zone);
        let standing = record.second_factor.standing(
            record.actor.role,
            state.config.staff_grace(),
            state.services.clock.now(),
        );
        let path = parts.uri.path();
        if standing == Standing::Due && !WHILE_DUE.iter().any(|p| path.starts_with(p)) {
            return Err(Redirect::to(&format!("{SECURITY_PAGE}?required=1")).into_response());
        }
        Ok(SignedIn {
            actor: record.actor,
            csrf: record.csrf,
            tr,
            sid_hash: hash,
            standing,
            verified_at: record.verified_at,
        })
    }
}

/// The page a person should come back to after signing in: the one asked
/// for — or, for a form sent after the session ended, the page the form
/// was on (its query keeps what was entered there, such as the partner
/// found in the wizard).
pub fn return_path(parts: &Parts) -> String {
    if parts.method == axum::http::Method::GET {
        return parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
    }
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    parts
        .headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .filter(|r| {
            let origin = match r.port() {
                Some(port) => format!("{}:{port}", r.host_str().unwrap_or("")),
                None => r.host_str().unwrap_or("").to_owned(),
            };
            Some(origin.as_str()) == host
        })
        .map(|r| match r.query() {
            Some(q) => format!("{}?{q}", r.path()),
            None => r.path().to_owned(),
        })
        .unwrap_or_else(|| "/agreements".to_owned())
}

/// Percent-encodes a path for a query parameter.
pub fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A safe place to go after sign-in: a local path only.
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_owned(),
        _ => "/agreements".to_owned(),
    }
}

/// Whether the headers prove the request came from another site.
fn cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin_host = origin.split("://").nth(1).unwrap_or("");
        return origin == "null" || !origin_host.eq_ignore_ascii_case(host);
    }
    false
}

/// Refuses cross-site form posts and posts without the right token.
pub fn verify_form(
    headers: &HeaderMap,
    sent: Option<&str>,
    expected: &str,
    tr: Tr,
) -> Result<(), PageError> {
    let token_ok = sent.is_some_and(|s| {
        !expected.is_empty() && bool::from(s.as_bytes().ct_eq(expected.as_bytes()))
    });
    if cross_site(headers) || !token_ok {
        return Err(PageError::bad_request(tr));
    }
    Ok(())
}

/// The cookie attributes every kontor cookie shares.
fn cookie(state: &AppState, name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build((cookie_name(state, name), value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.cookie_secure)
        .build()
}

/// The sign-in form's token, set as a cookie when missing.
pub fn signin_token(state: &AppState, jar: CookieJar) -> (CookieJar, String) {
    if let Some(c) = jar.get(cookie_name(state, SIGNIN_CSRF_COOKIE)) {
        let v = c.value().to_owned();
        return (jar, v);
    }
    let token = new_secret();
    (
        jar.add(cookie(state, SIGNIN_CSRF_COOKIE, token.clone())),
        token,
    )
}

/// Starts a session for `actor`, replacing the browser's previous one;
/// `headers` name the browser (its `User-Agent`, for the person's list of
/// sessions).
pub async fn start_session(
    state: &AppState,
    jar: CookieJar,
    headers: &HeaderMap,
    actor: &Actor,
) -> Result<CookieJar, PageError> {
    if let Some(old) = jar.get(cookie_name(state, SESSION_COOKIE)) {
        let _ = state.services.end_session(&token_hash(old.value())).await;
    }
    let id = new_secret();
    let record = NewSession {
        id_hash: token_hash(&id),
        user_id: actor.user_id,
        csrf: new_secret(),
        created_at: state.services.clock.now(),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(255).collect()),
    };
    state
        .services
        .start_session(&record)
        .await
        .map_err(|e| PageError::from_core(e, Tr::new(actor.lang)))?;
    Ok(jar
        .remove(Cookie::build(cookie_name(state, SIGNIN_CSRF_COOKIE)).path("/"))
        .add(cookie(state, SESSION_COOKIE, id)))
}

/// Starts the second step of a sign-in for `actor`, whose password was
/// right: only a hash of the browser's id is stored.
pub async fn start_second_step(
    state: &AppState,
    jar: CookieJar,
    actor: &Actor,
    next: &str,
    time_zone: &str,
) -> Result<CookieJar, PageError> {
    let id = new_secret();
    let challenge = kontor_core::store::SigninChallenge {
        id_hash: token_hash(&id),
        user_id: actor.user_id,
        created_at: state.services.clock.now(),
        next: next.to_owned(),
        time_zone: time_zone.chars().take(64).collect(),
    };
    state
        .services
        .start_second_step(&challenge)
        .await
        .map_err(|e| PageError::from_core(e, Tr::new(actor.lang)))?;
    Ok(jar.add(cookie(state, SECOND_STEP_COOKIE, id)))
}

/// The second step of a sign-in this browser is in, with its person,
/// while it lasts.
pub async fn second_step(
    state: &AppState,
    jar: &CookieJar,
) -> Result<Option<(kontor_core::store::SigninChallenge, Actor)>, PageError> {
    let Some(c) = jar.get(cookie_name(state, SECOND_STEP_COOKIE)) else {
        return Ok(None);
    };
    state
        .services
        .second_step(
            &token_hash(c.value()),
            Duration::minutes(SECOND_STEP_MINUTES),
        )
        .await
        .map_err(|e| PageError::from_core(e, Tr::new(Lang::En)))
}

/// Ends the second step of a sign-in and clears its cookie.
pub async fn end_second_step(state: &AppState, jar: CookieJar) -> CookieJar {
    if let Some(c) = jar.get(cookie_name(state, SECOND_STEP_COOKIE))
        && let Err(e) = state.services.end_second_step(&token_hash(c.value())).await
    {
        tracing::warn!(error = ?e, "failed to end the second step of a sign-in");
    }
    jar.remove(Cookie::build(cookie_name(state, SECOND_STEP_COOKIE)).path("/"))
}

/// Ends the session server-side and clears the cookie.
pub async fn end_session(state: &AppState, jar: CookieJar, sid_hash: &str) -> CookieJar {
    if let Err(e) = state.services.end_session(sid_hash).await {
        tracing::warn!(error = ?e, "failed to delete session");
    }
    jar.remove(Cookie::build(cookie_name(state, SESSION_COOKIE)).path("/"))
}

/// Sets the language cookie.
pub fn set_language(state: &AppState, jar: CookieJar, lang: Lang) -> CookieJar {
    let mut c = cookie(state, LANG_COOKIE, lang.as_str().to_owned());
    c.set_max_age(Duration::days(365));
    jar.add(c)
}
