//! Back office › customer accounts (#19): find an account by name or CSN,
//! and open one to see its agreements, people and support cases, with
//! links to its audit and its whole agreement list.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kontor_core::domain::ids::Csn;
use kontor_core::domain::permissions::Permission;
use serde::Deserialize;

use super::Chrome;
use super::agreements::{Row, row};
use super::backoffice::require;
use super::error::PageError;
use super::session::{SignedIn, url_escape};
use crate::web::AppState;

const ACCOUNTS: &str = "/back-office/accounts";
const PAGE_SIZE: u32 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(ACCOUNTS, get(list))
        .route("/back-office/accounts/{csn}", get(detail))
}

struct AccountRow {
    csn: String,
    name: String,
    country: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/bo_accounts.html")]
struct AccountsPage {
    c: Chrome,
    rows: Vec<AccountRow>,
    q: String,
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    q: Option<String>,
    after: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    require(&me, Permission::UseBackOffice)?;
    let tr = me.tr;
    let q = query
        .q
        .unwrap_or_default()
        .chars()
        .take(100)
        .collect::<String>();
    let after = query.after.as_deref().and_then(|a| Csn::parse(a).ok());
    let accounts = state
        .services
        .find_accounts(&me.actor, Some(&q), after.as_ref(), PAGE_SIZE)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let next = (accounts.len() == PAGE_SIZE as usize)
        .then(|| accounts.last())
        .flatten()
        .map(|a| format!("{ACCOUNTS}?q={}&after={}", url_escape(&q), a.csn));
    Ok(AccountsPage {
        c: Chrome::new(&me, "backoffice", ACCOUNTS),
        rows: accounts
            .into_iter()
            .map(|a| AccountRow {
                csn: a.csn.to_string(),
                name: a.name,
                country: a.country,
            })
            .collect(),
        q,
        next,
    }
    .into_response())
}

struct PersonRow {
    name: String,
    email: String,
    role: String,
    removed: bool,
}

struct CaseRow {
    id: String,
    agreement: String,
    status: String,
    opened: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/bo_account.html")]
struct AccountPage {
    c: Chrome,
    csn: String,
    name: String,
    country: String,
    agreements: Vec<Row>,
    more_agreements: bool,
    people: Vec<PersonRow>,
    cases: Vec<CaseRow>,
}

async fn detail(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    require(&me, Permission::UseBackOffice)?;
    let tr = me.tr;
    let csn = Csn::parse(&raw).map_err(|_| PageError::not_found(tr))?;
    let o = state
        .services
        .account_overview(&me.actor, &csn)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let mut agreements = Vec::with_capacity(o.agreements.len());
    for a in &o.agreements {
        agreements.push(row(&state, tr, a, String::new()).await);
    }
    Ok(AccountPage {
        c: Chrome::new(&me, "backoffice", ACCOUNTS),
        csn: o.account.csn.to_string(),
        name: o.account.name.clone(),
        country: o.account.country.clone(),
        agreements,
        more_agreements: o.more_agreements,
        people: o
            .people
            .iter()
            .map(|p| PersonRow {
                name: p.actor.name.clone(),
                email: p.actor.email.clone(),
                role: tr.t(&format!("role-{}", p.actor.role.as_str())),
                removed: p.disabled,
            })
            .collect(),
        cases: o
            .cases
            .iter()
            .map(|c| CaseRow {
                id: c.id.to_string(),
                agreement: c
                    .agreement
                    .as_ref()
                    .map_or_else(|| "–".to_owned(), ToString::to_string),
                status: tr.t(&format!("case-{}", c.status.as_str())),
                opened: tr.datetime(c.created_at),
            })
            .collect(),
    }
    .into_response())
}
