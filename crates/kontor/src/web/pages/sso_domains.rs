//! The back office's email domains for single sign-on (#21): an operator
//! binds a customer's domain to its account once they have checked the
//! customer owns it; from then on the account's identity provider answers
//! for everyone at that domain. Support agents see the list.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use kontor_core::Error;
use kontor_core::domain::permissions::Permission;
use kontor_core::domain::roles::Role;
use serde::Deserialize;

use super::Chrome;
use super::backoffice::require;
use super::error::PageError;
use super::session::{SignedIn, url_escape, verify_form};
use crate::web::AppState;

const PAGE: &str = "/back-office/sso-domains";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(PAGE, get(show).post(bind))
        .route("/back-office/sso-domains/{domain}/remove", post(unbind))
}

struct DomainRow {
    domain: String,
    account: String,
    approved: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/bo_sso_domains.html")]
struct DomainsPage {
    c: Chrome,
    rows: Vec<DomainRow>,
    /// Operators change the list; support agents read it.
    can_edit: bool,
    domain: String,
    account: String,
    errors: Vec<(String, String)>,
    flash: Option<String>,
}

impl DomainsPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Debug, Default, Deserialize)]
struct Shown {
    bound: Option<String>,
    removed: Option<String>,
}

async fn page(state: &AppState, me: &SignedIn) -> Result<DomainsPage, PageError> {
    let domains = state
        .services
        .sso_domains(&me.actor)
        .await
        .map_err(|e| PageError::from_core(e, me.tr))?;
    Ok(DomainsPage {
        c: Chrome::new(me, "backoffice", PAGE),
        rows: domains
            .into_iter()
            .map(|d| DomainRow {
                domain: d.domain,
                account: d.account.to_string(),
                approved: format!("{} · {}", me.tr.datetime(d.approved_at), d.approved_by),
            })
            .collect(),
        can_edit: me.actor.role == Role::Operator,
        domain: String::new(),
        account: String::new(),
        errors: Vec::new(),
        flash: None,
    })
}

async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<Shown>,
) -> Result<Response, PageError> {
    require(&me, Permission::UseBackOffice)?;
    let mut p = page(&state, &me).await?;
    p.flash = match (q.bound, q.removed) {
        (Some(d), _) => Some(me.tr.t1("sso-domain-bound", "domain", &d)),
        (None, Some(d)) => Some(me.tr.t1("sso-domain-removed", "domain", &d)),
        _ => None,
    };
    Ok(p.into_response())
}

#[derive(Debug, Deserialize)]
struct BindForm {
    #[serde(default)]
    domain: String,
    #[serde(default)]
    account: String,
    csrf: Option<String>,
}

async fn bind(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<BindForm>,
) -> Result<Response, PageError> {
    require(&me, Permission::UseBackOffice)?;
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    match state
        .services
        .bind_sso_domain(&me.actor, &f.domain, &f.account)
        .await
    {
        Ok(bound) => {
            let to = format!("{PAGE}?bound={}", url_escape(&bound.domain));
            Ok(Redirect::to(&to).into_response())
        }
        Err(Error::Invalid(errors) | Error::Refused(errors)) => {
            let mut p = page(&state, &me).await?;
            p.domain = f.domain;
            p.account = f.account;
            p.errors = super::settings::field_errors(me.tr, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
        Err(e) => Err(PageError::from_core(e, me.tr)),
    }
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn unbind(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(domain): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    require(&me, Permission::UseBackOffice)?;
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    state
        .services
        .unbind_sso_domain(&me.actor, &domain)
        .await
        .map_err(|e| PageError::from_core(e, me.tr))?;
    let to = format!("{PAGE}?removed={}", url_escape(&domain));
    Ok(Redirect::to(&to).into_response())
}
