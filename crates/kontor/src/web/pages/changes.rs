//! Partner changes: a customer's own, a partner's incoming and outgoing ones.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use kontor_core::domain::change_request::RequestStatus;
use kontor_core::store::RequestFilter;
use serde::Deserialize;

use super::Chrome;
use super::agreements::partner_label;
use super::error::PageError;
use super::session::{SignedIn, verify_form};
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/changes", get(list))
        .route("/changes/{id}/{answer}", get(confirm_answer).post(answer))
}

struct ChangeRow {
    agreement: String,
    new_partner: String,
    old_partners: String,
    status: String,
    when: String,
    /// Request id, when the signed-in partner may accept or decline it.
    answerable: Option<String>,
    /// Whether the signed-in person may open the agreement now.
    linkable: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/changes.html")]
struct ChangesPage {
    c: Chrome,
    rows: Vec<ChangeRow>,
    flash: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    answered: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let filter = RequestFilter {
        limit: 100,
        ..RequestFilter::default()
    };
    let requests = state
        .services
        .requests(&me.actor, &filter)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let mut rows = Vec::with_capacity(requests.len());
    for r in &requests {
        let mut old = Vec::new();
        for p in &r.old_partners {
            old.push(partner_label(&state, p).await);
        }
        rows.push(ChangeRow {
            agreement: r.agreement.to_string(),
            new_partner: partner_label(&state, &r.new_partner).await,
            old_partners: old.join(", "),
            status: tr.t(&format!("request-{}", r.status.as_str())),
            when: tr.datetime(r.decided_at.unwrap_or(r.due_at)),
            answerable: (r.status == RequestStatus::AwaitingPartner
                && me.actor.partner() == Some(&r.new_partner))
            .then(|| r.id.to_string()),
            linkable: sees_agreement(&me.actor, r),
        });
    }
    Ok(ChangesPage {
        c: Chrome::new(&me, "changes", "/changes"),
        rows,
        flash: match q.answered.as_deref() {
            Some("accept") => Some(tr.t("changes-accepted")),
            Some("decline") => Some(tr.t("changes-declined")),
            _ => None,
        },
    }
    .into_response())
}

#[derive(Debug, Deserialize)]
struct AnswerForm {
    csrf: Option<String>,
}

/// The new partner's answer under the acceptance policy.
async fn answer(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path((id, answer)): Path<(String, String)>,
    Form(f): Form<AnswerForm>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, tr)?;
    let id = super::request_id(&id, tr)?;
    let result = match answer.as_str() {
        "accept" => state.services.accept(&me.actor, id).await,
        "decline" => state.services.decline(&me.actor, id).await,
        _ => return Err(PageError::not_found(tr)),
    };
    result.map_err(|e| PageError::from_core(e, tr))?;
    Ok(Redirect::to(&format!("/changes?answered={answer}")).into_response())
}

/// Asks the new partner before it answers (the first step is a link).
async fn confirm_answer(
    State(state): State<AppState>,
    me: SignedIn,
    Path((raw, answer)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let (question, consequence, confirm) = match answer.as_str() {
        "accept" => (
            "changes-accept-confirm",
            "changes-accept-confirm-text",
            "changes-accept",
        ),
        "decline" => (
            "changes-decline-confirm",
            "changes-decline-confirm-text",
            "changes-decline",
        ),
        _ => return Err(PageError::not_found(tr)),
    };
    let id = super::request_id(&raw, tr)?;
    let r = state
        .services
        .answerable(&me.actor, id)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    Ok(super::confirm::ConfirmPage {
        c: Chrome::new(&me, "changes", "/changes"),
        question: tr.t(question),
        consequence: tr.t1(consequence, "agreement", r.agreement.as_str()),
        action: format!("/changes/{}/{answer}", r.id),
        fields: Vec::new(),
        confirm: tr.t(confirm),
        back: "/changes".to_owned(),
    }
    .into_response())
}

/// Whether `actor` sees the agreement of change `r` now (R1): a partner
/// sees the agreements it is a partner of record of — an incoming one once
/// the change is applied, an outgoing one until then; customers see their
/// own (the list holds nothing else).
fn sees_agreement(
    actor: &kontor_core::domain::roles::Actor,
    r: &kontor_core::domain::change_request::ChangeRequest,
) -> bool {
    let Some(me) = actor.partner() else {
        return true;
    };
    let applied = r.status == RequestStatus::Applied;
    if &r.new_partner == me {
        applied
    } else {
        r.old_partners.contains(me) && !applied
    }
}
