//! Account security (#21): two-step sign-in with an authenticator app,
//! recovery codes, the account's rule of who must use it, and resetting
//! a colleague's after a lost phone. Every person has this page; a person
//! whose second factor is overdue can open nothing else.
//!
//! Recovery codes are shown once, in the answer to the form that made
//! them (never stored readable); the download sends back what that page
//! holds.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use kontor_core::Error;
use kontor_core::domain::roles::Role;
use kontor_core::domain::second_factor::{MAX_GRACE_DAYS, RECOVERY_CODES, Standing, TwoFactorRule};
use serde::Deserialize;

use super::Chrome;
use super::error::PageError;
use super::session::{SECURITY_PAGE, SignedIn, verify_form};
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(SECURITY_PAGE, get(show))
        .route("/account/security/app/start", post(start_app))
        .route("/account/security/app/confirm", post(confirm_app))
        .route("/account/security/app/remove", post(remove_app))
        .route("/account/security/recovery-codes", post(renew_codes))
        .route("/account/security/recovery-codes.txt", post(download_codes))
        .route("/account/security/rule", post(save_rule))
        .route("/account/security/reset", post(reset_colleague))
}

/// A colleague as the account's admins see them here.
struct Colleague {
    name: String,
    email: String,
    role: String,
    enrolled: bool,
    me: bool,
}

/// One of the person's passkeys, as listed.
struct PasskeyRow {
    id: String,
    name: String,
    added: String,
    /// "Last used …".
    used: Option<String>,
}

/// The account's rule, for the primary admin's form.
struct RuleForm {
    rule: &'static str,
    grace_days: i64,
    /// Set up one's own first: the form says so instead of failing.
    own_first: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/security.html")]
struct SecurityPage {
    c: Chrome,
    /// What the rules ask of this person, as a sentence.
    standing: String,
    /// Whether it needs doing (shown as a warning).
    urgent: bool,
    /// When the app was set up.
    app_since: Option<String>,
    recovery_left: i64,
    /// The key waiting for its first code: (QR code as SVG, key grouped).
    waiting: Option<(String, String)>,
    /// Recovery codes just made, shown once.
    codes: Vec<String>,
    flash: Option<String>,
    error: Option<String>,
    rule: Option<RuleForm>,
    colleagues: Vec<Colleague>,
    passkeys: Vec<PasskeyRow>,
}

impl SecurityPage {
    fn rule_is(&self, code: &str) -> bool {
        self.rule.as_ref().is_some_and(|r| r.rule == code)
    }
}

#[derive(Debug, Default, Deserialize)]
struct Shown {
    required: Option<String>,
    recovery_used: Option<u32>,
    done: Option<String>,
}

async fn page(state: &AppState, me: &SignedIn) -> Result<SecurityPage, PageError> {
    let tr = me.tr;
    let core = |e| PageError::from_core(e, tr);
    let services = &state.services;
    let record = services.second_factor_of(&me.actor).await.map_err(core)?;
    let waiting = services
        .waiting_totp(&me.actor)
        .await
        .map_err(core)?
        .map(|w| (qr_svg(&w.otpauth_url), grouped(&w.secret)));
    let standing = match me.standing {
        Standing::Enrolled => tr.t("security-standing-enrolled"),
        Standing::Optional => tr.t("security-standing-optional"),
        Standing::Grace { until } => tr.t1("security-standing-grace", "date", &tr.datetime(until)),
        Standing::Due => tr.t("security-standing-due"),
    };
    let rule = if me.actor.role == Role::PrimaryAdmin {
        let current = services.two_factor_rule(&me.actor).await.map_err(core)?;
        Some(RuleForm {
            rule: current.map_or("off", |r| r.rule.as_str()),
            grace_days: current.map_or(14, |r| r.grace_days),
            own_first: record.confirmed_totp().is_none(),
        })
    } else {
        None
    };
    let colleagues = services
        .colleagues_second_factors(&me.actor)
        .await
        .map_err(core)?
        .into_iter()
        .map(|(p, enrolled)| Colleague {
            me: p.actor.user_id == me.actor.user_id,
            name: p.actor.name,
            email: p.actor.email,
            role: tr.label("role", p.actor.role.as_str()),
            enrolled,
        })
        .collect();
    let passkeys = services
        .passkeys(&me.actor)
        .await
        .map_err(core)?
        .into_iter()
        .map(|p| PasskeyRow {
            id: p.credential_id,
            name: p.name,
            added: tr.t1("passkey-added-on", "date", &tr.datetime(p.created_at)),
            used: p
                .last_used_at
                .map(|at| tr.t1("passkey-used-on", "date", &tr.datetime(at))),
        })
        .collect();
    Ok(SecurityPage {
        passkeys,
        c: Chrome::new(me, "settings", SECURITY_PAGE),
        urgent: matches!(me.standing, Standing::Grace { .. } | Standing::Due),
        standing,
        app_since: record
            .confirmed_totp()
            .and_then(|t| t.confirmed_at)
            .map(|at| tr.datetime(at)),
        recovery_left: i64::from(record.recovery_left),
        waiting,
        codes: Vec::new(),
        flash: None,
        error: None,
        rule,
        colleagues,
    })
}

async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<Shown>,
) -> Result<Response, PageError> {
    let mut p = page(&state, &me).await?;
    let tr = me.tr;
    p.flash = match (q.done.as_deref(), q.recovery_used, q.required.is_some()) {
        (Some(done @ ("removed" | "rule" | "reset")), _, _) => {
            Some(tr.t(&format!("security-done-{done}")))
        }
        (_, Some(left), _) => Some(tr.tn("security-recovery-used", "left", i64::from(left))),
        (_, _, true) if me.standing == Standing::Due => Some(tr.t("security-required-now")),
        _ => None,
    };
    Ok(p.into_response())
}

/// A page answering a form: its message, or the field's error.
async fn answer(
    state: &AppState,
    me: &SignedIn,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, PageError> {
    let mut p = page(state, me).await?;
    p.error = error;
    Ok((status, p).into_response())
}

/// What a refused action says on this page.
fn refusal(me: &SignedIn, e: Error) -> Result<String, PageError> {
    match e {
        Error::Invalid(errors) | Error::Refused(errors) => Ok(errors
            .iter()
            .map(|e| me.tr.field_message(e))
            .collect::<Vec<_>>()
            .join(" ")),
        Error::Conflict { detail, .. } => {
            Ok(me.tr.tw(&format!("problem-{}", detail.code), &detail.args))
        }
        e => Err(PageError::from_core(e, me.tr)),
    }
}

#[derive(Debug, Deserialize)]
struct CsrfOnly {
    csrf: Option<String>,
}

async fn start_app(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    match state
        .services
        .start_totp(&me.actor, crate::auth::totp_random())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{SECURITY_PAGE}#app")).into_response()),
        Err(e) => {
            let message = refusal(&me, e)?;
            answer(&state, &me, StatusCode::CONFLICT, Some(message)).await
        }
    }
}

#[derive(Debug, Deserialize)]
struct CodeForm {
    code: String,
    csrf: Option<String>,
}

/// The page with the recovery codes just made: never cached, never shown
/// again.
async fn with_codes(
    state: &AppState,
    me: &SignedIn,
    codes: Vec<String>,
    flash: String,
) -> Result<Response, PageError> {
    let mut p = page(state, me).await?;
    p.codes = codes;
    p.flash = Some(flash);
    Ok((
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        p,
    )
        .into_response())
}

async fn confirm_app(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<CodeForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    match state
        .services
        .confirm_totp(&me.actor, &f.code, &crate::auth::recovery_random())
        .await
    {
        Ok(codes) => {
            // The rules may have made this person's standing "due": it
            // is "enrolled" from now on.
            let me = SignedIn {
                standing: Standing::Enrolled,
                ..me
            };
            with_codes(&state, &me, codes, me.tr.t("security-app-ready")).await
        }
        // A refreshed page sends the used code again: the app is set up.
        Err(Error::Conflict {
            code: "second_factor_exists",
            ..
        }) => Ok(Redirect::to(SECURITY_PAGE).into_response()),
        Err(e) => {
            let message = refusal(&me, e)?;
            answer(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, Some(message)).await
        }
    }
}

async fn remove_app(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    match state.services.remove_own_second_factor(&me.actor).await {
        Ok(()) => Ok(Redirect::to(&format!("{SECURITY_PAGE}?done=removed")).into_response()),
        Err(e) => {
            let message = refusal(&me, e)?;
            answer(&state, &me, StatusCode::CONFLICT, Some(message)).await
        }
    }
}

async fn renew_codes(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    match state
        .services
        .renew_recovery_codes(&me.actor, &crate::auth::recovery_random())
        .await
    {
        Ok(codes) => with_codes(&state, &me, codes, me.tr.t("security-codes-renewed")).await,
        Err(e) => {
            let message = refusal(&me, e)?;
            answer(&state, &me, StatusCode::CONFLICT, Some(message)).await
        }
    }
}

/// The codes the page holds, as a text file to keep.
async fn download_codes(
    me: SignedIn,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    verify_form(&headers, csrf, &me.csrf, me.tr)?;
    let codes: Vec<&str> = fields
        .iter()
        .filter(|(k, v)| k == "code" && is_recovery_code(v))
        .map(|(_, v)| v.as_str())
        .take(RECOVERY_CODES)
        .collect();
    if codes.is_empty() {
        return Err(PageError::bad_request(me.tr));
    }
    let mut text = format!(
        "{}\n{}\n\n",
        me.tr
            .t1("security-codes-file-title", "email", &me.actor.email),
        me.tr.t("security-codes-file-hint")
    );
    for code in codes {
        text.push_str(code);
        text.push('\n');
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"kontor-recovery-codes.txt\""),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        text,
    )
        .into_response())
}

/// `abcde-fghij`: what the page shows (anything else is not echoed).
fn is_recovery_code(v: &str) -> bool {
    v.len() == 11
        && v.bytes().enumerate().all(|(i, b)| {
            if i == 5 {
                b == b'-'
            } else {
                b.is_ascii_alphanumeric()
            }
        })
}

#[derive(Debug, Deserialize)]
struct RuleFields {
    rule: String,
    grace_days: String,
    csrf: Option<String>,
}

async fn save_rule(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<RuleFields>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let Some(rule) = TwoFactorRule::parse(&f.rule) else {
        return Err(PageError::bad_request(me.tr));
    };
    let grace_days = match f.grace_days.trim().parse::<i64>() {
        Ok(d) => d,
        Err(_) => {
            let message = me.tr.tw(
                "error-expected-whole-number",
                &[("min", "0".into()), ("max", MAX_GRACE_DAYS.to_string())],
            );
            return answer(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, Some(message)).await;
        }
    };
    match state
        .services
        .set_two_factor_rule(&me.actor, rule, grace_days)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{SECURITY_PAGE}?done=rule")).into_response()),
        Err(Error::Forbidden(_)) => Err(PageError::forbidden(me.tr)),
        Err(e) => {
            let message = refusal(&me, e)?;
            answer(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, Some(message)).await
        }
    }
}

#[derive(Debug, Deserialize)]
struct ResetForm {
    email: String,
    csrf: Option<String>,
}

async fn reset_colleague(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<ResetForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    match state
        .services
        .reset_colleague_second_factor(&me.actor, &f.email)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("{SECURITY_PAGE}?done=reset")).into_response()),
        Err(e @ (Error::Forbidden(_) | Error::NotFound(_))) => Err(PageError::from_core(e, me.tr)),
        Err(e) => {
            let message = refusal(&me, e)?;
            answer(&state, &me, StatusCode::CONFLICT, Some(message)).await
        }
    }
}

/// The key in groups of four, as people type it.
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The app link as a QR code, inline SVG (the pages' CSP allows no
/// `data:` images), without the XML prologue.
pub fn qr_svg(url: &str) -> String {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build();
            match svg.find("<svg") {
                Some(i) => {
                    svg[i..].replacen("<svg", "<svg aria-hidden=\"true\" focusable=\"false\"", 1)
                }
                None => String::new(),
            }
        }
        Err(_) => String::new(),
    }
}
