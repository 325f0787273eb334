//! "Change only one of several partners": the admin opens a support case
//! from the agreement; a support agent replaces that single partner (R6).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use kontor_core::Error;
use kontor_core::domain::ids::AgreementNumber;
use kontor_core::domain::permissions::Permission;
use kontor_core::service::support::NewCase;
use serde::Deserialize;

use super::Chrome;
use super::agreements::partner_label;
use super::error::PageError;
use super::session::{SignedIn, verify_form};
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/agreements/{number}/support-case", get(form).post(open))
        .route("/support-cases", get(list))
        .route("/support-cases/{id}", get(show))
        .route("/support-cases/{id}/resolve", post(resolve))
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/case_form.html")]
struct FormPage {
    c: Chrome,
    number: String,
    partners: Vec<(String, String)>,
    replace: String,
    new_partner: String,
    message: String,
    errors: Vec<(String, String)>,
}

impl FormPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

async fn form_page(state: &AppState, me: &SignedIn, raw: &str) -> Result<FormPage, PageError> {
    let tr = me.tr;
    let n = AgreementNumber::parse(raw).map_err(|_| PageError::not_found(tr))?;
    let s = state
        .services
        .agreement(&me.actor, &n)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    if !me.actor.is_admin_of(&s.agreement.account) {
        return Err(PageError::forbidden(tr));
    }
    let mut partners = Vec::new();
    for p in &s.agreement.partners {
        partners.push((p.to_string(), partner_label(state, p).await));
    }
    Ok(FormPage {
        c: Chrome::new(me, "agreements", &format!("/agreements/{n}/support-case")),
        number: n.to_string(),
        partners,
        replace: String::new(),
        new_partner: String::new(),
        message: String::new(),
        errors: Vec::new(),
    })
}

async fn form(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    Ok(form_page(&state, &me, &raw).await?.into_response())
}

#[derive(Debug, Deserialize)]
struct CaseForm {
    replace_partner: Option<String>,
    new_partner: String,
    message: String,
    csrf: Option<String>,
}

async fn open(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(f): Form<CaseForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let mut page = form_page(&state, &me, &raw).await?;
    let input = NewCase {
        agreement: AgreementNumber::parse(&raw).map_err(|_| PageError::not_found(me.tr))?,
        replace_partner: f.replace_partner.clone().unwrap_or_default(),
        new_partner: f.new_partner.clone(),
        message: f.message.clone(),
    };
    match state.services.open_case(&me.actor, input).await {
        Ok(case) => Ok(Redirect::to(&format!("/support-cases/{}", case.id)).into_response()),
        Err(Error::Invalid(errors) | Error::Refused(errors)) => {
            page.replace = f.replace_partner.unwrap_or_default();
            page.new_partner = f.new_partner;
            page.message = f.message;
            page.errors = errors
                .iter()
                .map(|e| (e.field.clone(), me.tr.field_message(e)))
                .collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError::from_core(e, me.tr)),
    }
}

struct CaseView {
    id: String,
    agreement: String,
    replace: String,
    new_partner: String,
    message: String,
    status: String,
    open: bool,
    created: String,
}

async fn view(
    state: &AppState,
    me: &SignedIn,
    c: &kontor_core::domain::support::SupportCase,
) -> CaseView {
    CaseView {
        id: c.id.to_string(),
        agreement: c.agreement.to_string(),
        replace: partner_label(state, &c.replace_partner).await,
        new_partner: partner_label(state, &c.new_partner).await,
        message: c.message.clone(),
        status: me.tr.t(&format!("case-{}", c.status.as_str())),
        open: c.status == kontor_core::domain::support::CaseStatus::Open,
        created: me.tr.datetime(c.created_at),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/cases.html")]
struct ListPage {
    c: Chrome,
    cases: Vec<CaseView>,
}

async fn list(State(state): State<AppState>, me: SignedIn) -> Result<Response, PageError> {
    let cases = state
        .services
        .support_cases(&me.actor, false)
        .await
        .map_err(|e| PageError::from_core(e, me.tr))?;
    let mut views = Vec::with_capacity(cases.len());
    for c in &cases {
        views.push(view(&state, &me, c).await);
    }
    Ok(ListPage {
        c: Chrome::new(&me, "cases", "/support-cases"),
        cases: views,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/case.html")]
struct CasePage {
    c: Chrome,
    case: CaseView,
    can_resolve: bool,
}

fn case_id(raw: &str, me: &SignedIn) -> Result<uuid::Uuid, PageError> {
    uuid::Uuid::parse_str(raw).map_err(|_| PageError::not_found(me.tr))
}

async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let case = state
        .services
        .support_case(&me.actor, case_id(&raw, &me)?)
        .await
        .map_err(|e| PageError::from_core(e, me.tr))?;
    let can_resolve = me.actor.may(Permission::ResolveSupportCases);
    let page = CasePage {
        c: Chrome::new(&me, "cases", &format!("/support-cases/{raw}")),
        case: view(&state, &me, &case).await,
        can_resolve,
    };
    Ok(page.into_response())
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn resolve(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let case = state
        .services
        .resolve_case(&me.actor, case_id(&raw, &me)?)
        .await
        .map_err(|e| PageError::from_core(e, me.tr))?;
    Ok(Redirect::to(&format!("/support-cases/{}", case.id)).into_response())
}
