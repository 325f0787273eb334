//! Support's side of recovery (#21): a person locked out with nobody in
//! their account to help — the lone admin who lost their phone — asks
//! support. The agent records how they verified who is asking, then
//! removes the person's second factor; both are audited, and the person
//! and their account's admins are mailed.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use kontor_core::Error;
use kontor_core::domain::permissions::Permission;
use kontor_core::service::second_factor::{Verification, VerificationMethod};
use serde::Deserialize;

use super::Chrome;
use super::backoffice::require;
use super::error::PageError;
use super::session::{SignedIn, verify_form};
use crate::web::AppState;

const PAGE: &str = "/back-office/second-factor-reset";

pub fn router() -> Router<AppState> {
    Router::new().route(PAGE, get(show).post(reset))
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/bo_second_factor_reset.html")]
struct ResetPage {
    c: Chrome,
    email: String,
    method: String,
    note: String,
    /// (code, label) of each way to verify.
    methods: Vec<(&'static str, String)>,
    /// Field errors: (field, message).
    errors: Vec<(String, String)>,
    flash: Option<String>,
}

impl ResetPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Debug, Default, Deserialize)]
struct Shown {
    email: Option<String>,
    done: Option<String>,
}

fn page(me: &SignedIn, email: String, method: String, note: String) -> ResetPage {
    ResetPage {
        c: Chrome::new(me, "backoffice", PAGE),
        email,
        method,
        note,
        methods: VerificationMethod::ALL
            .iter()
            .map(|m| {
                (
                    m.as_str(),
                    me.tr.t(&format!("bo-reset-method-{}", m.as_str())),
                )
            })
            .collect(),
        errors: Vec::new(),
        flash: None,
    }
}

async fn show(me: SignedIn, Query(q): Query<Shown>) -> Result<Response, PageError> {
    require(&me, Permission::ResolveSupportCases)?;
    let mut p = page(
        &me,
        q.email.unwrap_or_default(),
        String::new(),
        String::new(),
    );
    if let Some(email) = q.done {
        p.flash = Some(me.tr.t1("bo-reset-done", "email", &email));
    }
    Ok(p.into_response())
}

#[derive(Debug, Deserialize)]
struct ResetForm {
    email: String,
    method: String,
    note: String,
    csrf: Option<String>,
}

async fn reset(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<ResetForm>,
) -> Result<Response, PageError> {
    require(&me, Permission::ResolveSupportCases)?;
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let tr = me.tr;
    let mut p = page(&me, f.email.clone(), f.method.clone(), f.note.clone());
    let Some(method) = VerificationMethod::parse(&f.method) else {
        p.errors = vec![("method".into(), tr.t("bo-reset-method-missing"))];
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    };
    let verification = Verification {
        method,
        note: f.note.clone(),
    };
    match state
        .services
        .support_reset_second_factor(&me.actor, &f.email, &verification)
        .await
    {
        Ok(()) => {
            let to = format!("{PAGE}?done={}", super::session::url_escape(f.email.trim()));
            Ok(Redirect::to(&to).into_response())
        }
        Err(Error::Invalid(errors) | Error::Refused(errors)) => {
            p.errors = errors
                .iter()
                .map(|e| (e.field.clone(), tr.field_message(e)))
                .collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
        Err(Error::NotFound(_)) => {
            p.errors = vec![("email".into(), tr.t("bo-reset-unknown"))];
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
        Err(Error::Conflict { detail, .. }) => {
            p.errors = vec![(
                "email".into(),
                tr.tw(&format!("problem-{}", detail.code), &detail.args),
            )];
            Ok((StatusCode::CONFLICT, p).into_response())
        }
        Err(e) => Err(PageError::from_core(e, tr)),
    }
}
