//! The vendor's proposals of a new partner in the back office (#22 point
//! 7): every proposal, one with each account's progress, a form to
//! propose, and the reminder of those who have not acted. The same use
//! cases as `/api/v1/partner-proposals`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use kontor_core::Error;
use kontor_core::domain::ids::Csn;
use kontor_core::domain::permissions::Permission;
use kontor_core::domain::proposal::Progress;
use serde::Deserialize;

use super::Chrome;
use super::backoffice::require;
use super::error::{PageError, refusal_words};
use super::session::{SignedIn, verify_form};
use crate::web::AppState;

const LIST: &str = "/back-office/proposals";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(LIST, get(list).post(propose))
        .route("/back-office/proposals/{id}", get(detail))
        .route("/back-office/proposals/{id}/remind", post(remind))
}

struct Row {
    id: String,
    from: String,
    to: String,
    created: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/bo_proposals.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    can_edit: bool,
    /// The form as sent back, and what was wrong.
    from: String,
    to: String,
    problem: Option<String>,
}

/// "Name (CSN)" of a partner, or the CSN alone.
async fn named(state: &AppState, csn: &Csn) -> String {
    match state.services.lookup_partner(csn).await {
        Ok(p) => format!("{} ({csn})", p.name),
        Err(_) => csn.to_string(),
    }
}

async fn list_page(
    state: &AppState,
    me: &SignedIn,
    from: String,
    to: String,
    problem: Option<String>,
) -> Result<ListPage, PageError> {
    let tr = me.tr;
    let proposals = state
        .services
        .proposals(&me.actor)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let mut rows = Vec::with_capacity(proposals.len());
    for p in proposals {
        rows.push(Row {
            id: p.id.to_string(),
            from: named(state, &p.from_partner).await,
            to: named(state, &p.to_partner).await,
            created: tr.datetime(p.created_at),
        });
    }
    Ok(ListPage {
        c: Chrome::new(me, "backoffice", LIST),
        rows,
        can_edit: me.actor.may(Permission::ManagePartners),
        from,
        to,
        problem,
    })
}

async fn list(State(state): State<AppState>, me: SignedIn) -> Result<Response, PageError> {
    Ok(list_page(&state, &me, String::new(), String::new(), None)
        .await?
        .into_response())
}

#[derive(Debug, Deserialize)]
struct ProposeForm {
    from_partner: String,
    to_partner: String,
    csrf: Option<String>,
}

async fn propose(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<ProposeForm>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    require(&me, Permission::ManagePartners)?;
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, tr)?;
    let parsed = Csn::parse(&f.from_partner)
        .map_err(|e| e.at("from_partner"))
        .and_then(|from| {
            Csn::parse(&f.to_partner)
                .map(|to| (from, to))
                .map_err(|e| e.at("to_partner"))
        });
    let problem = match parsed {
        Err(e) => tr.field_message(&e),
        Ok((from, to)) => match state.services.propose_partner(&me.actor, &from, &to).await {
            Ok((p, _)) => return Ok(Redirect::to(&format!("{LIST}/{}", p.id)).into_response()),
            Err(e @ (Error::Refused(_) | Error::Invalid(_) | Error::Conflict { .. })) => {
                refusal_words(tr, &e)
            }
            Err(e) => return Err(PageError::from_core(e, tr)),
        },
    };
    let page = list_page(&state, &me, f.from_partner, f.to_partner, Some(problem)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

struct AccountRow {
    account: String,
    agreements: String,
    progress: &'static str,
    mailed: String,
    reminded: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/bo_proposal.html")]
struct DetailPage {
    c: Chrome,
    id: String,
    title: String,
    summary: String,
    rows: Vec<AccountRow>,
    can_remind: bool,
    flash: Option<String>,
}

#[derive(Debug, Deserialize)]
struct DetailQuery {
    reminded: Option<usize>,
}

async fn detail(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Query(q): Query<DetailQuery>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let id = PageError::path_id(&raw, tr)?;
    let (p, accounts) = state
        .services
        .proposal(&me.actor, id)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let count = |progress| accounts.iter().filter(|a| a.progress == progress).count();
    let summary = tr.tw(
        "proposal-summary",
        &[
            ("count", accounts.len().to_string()),
            ("changed", count(Progress::Changed).to_string()),
            ("requested", count(Progress::Requested).to_string()),
            ("none", count(Progress::None).to_string()),
        ],
    );
    let mut rows = Vec::with_capacity(accounts.len());
    for a in &accounts {
        let name = match state.services.account(&a.account).await {
            Ok(Some(account)) => format!("{} ({})", account.name, a.account),
            _ => a.account.to_string(),
        };
        rows.push(AccountRow {
            account: name,
            agreements: a
                .agreements
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            progress: a.progress.as_str(),
            mailed: tr.datetime(a.mailed_at),
            reminded: a.reminded_at.map_or_else(String::new, |at| {
                format!(
                    "{} ({})",
                    tr.datetime(at),
                    tr.tw("proposal-reminders", &[("count", a.reminders.to_string())])
                )
            }),
        });
    }
    let path = format!("{LIST}/{id}");
    Ok(DetailPage {
        c: Chrome::new(&me, "backoffice", &path),
        id: id.to_string(),
        title: tr.ta(
            "proposal-title",
            &[
                ("from", named(&state, &p.from_partner).await.into()),
                ("to", named(&state, &p.to_partner).await.into()),
            ],
        ),
        summary,
        can_remind: me.actor.may(Permission::ManagePartners) && count(Progress::None) > 0,
        rows,
        flash: q
            .reminded
            .map(|n| tr.tw("proposal-reminded", &[("count", n.to_string())])),
    }
    .into_response())
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn remind(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, tr)?;
    let id = PageError::path_id(&raw, tr)?;
    let n = state
        .services
        .remind_proposal(&me.actor, id)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    Ok(Redirect::to(&format!("{LIST}/{id}?reminded={n}")).into_response())
}
