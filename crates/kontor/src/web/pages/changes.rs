//! Partner changes: a customer's own, a partner's incoming and outgoing ones.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use kontor_core::domain::change_request::RequestStatus;
use kontor_core::domain::ids::Csn;
use kontor_core::store::RequestFilter;
use serde::Deserialize;

use super::Chrome;
use super::agreements::{account_label, partner_label};
use super::error::PageError;
use super::session::{SignedIn, verify_form};
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/changes", get(list))
        .route("/changes/{id}", get(detail))
        .route("/changes/{id}/{answer}", get(confirm_answer).post(answer))
}

struct ChangeRow {
    id: String,
    agreement: String,
    /// "Muster Bau AG (7000000001)", for partners and vendor staff.
    customer: String,
    new_partner: String,
    old_partners: String,
    status: String,
    status_code: &'static str,
    submitted: String,
    /// When it takes effect, or was decided.
    when: String,
    /// Request id, when the signed-in partner may accept or decline it.
    answerable: Option<String>,
}

/// The partner's tabs: which changes the list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    /// Moving agreements to the partner.
    Incoming,
    /// Moving agreements away from the partner.
    Outgoing,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/changes.html")]
struct ChangesPage {
    c: Chrome,
    rows: Vec<ChangeRow>,
    /// `Some` for partners: the tab shown.
    tab: Option<&'static str>,
    show_customer: bool,
    /// A partner's incoming tab: the agreements it is named for at their
    /// next renewal (#22).
    renewals: Vec<RenewalRow>,
    flash: Option<String>,
}

/// An agreement whose next renewal names the partner.
struct RenewalRow {
    agreement: String,
    customer: String,
    renews_on: String,
    /// A subscription: the partner places the renewal (R3).
    by_transaction: bool,
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    answered: Option<String>,
    tab: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let partner = me.actor.partner().cloned();
    let tab = partner.as_ref().map(|_| match q.tab.as_deref() {
        Some("outgoing") => Tab::Outgoing,
        _ => Tab::Incoming,
    });
    let filter = RequestFilter {
        new_partner: partner.clone().filter(|_| tab == Some(Tab::Incoming)),
        old_partner: partner.filter(|_| tab == Some(Tab::Outgoing)),
        limit: 100,
        ..RequestFilter::default()
    };
    let requests = state
        .services
        .requests(&me.actor, &filter)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let show_customer = me.actor.account().is_none();
    let mut customers: HashMap<Csn, String> = HashMap::new();
    let mut rows = Vec::with_capacity(requests.len());
    for r in &requests {
        let mut old = Vec::new();
        for p in &r.old_partners {
            old.push(partner_label(&state, p).await);
        }
        let customer = if show_customer {
            account_label(&state, &mut customers, &r.account).await
        } else {
            String::new()
        };
        rows.push(ChangeRow {
            id: r.id.to_string(),
            agreement: r.agreement.to_string(),
            customer,
            new_partner: partner_label(&state, &r.new_partner).await,
            old_partners: old.join(", "),
            status: tr.t(&format!("request-{}", r.status.as_str())),
            status_code: r.status.as_str(),
            submitted: tr.datetime(r.created_at),
            when: tr.datetime(r.decided_at.unwrap_or(r.due_at)),
            answerable: (r.status == RequestStatus::AwaitingPartner
                && me.actor.partner() == Some(&r.new_partner))
            .then(|| r.id.to_string()),
        });
    }
    let mut renewals = Vec::new();
    if tab == Some(Tab::Incoming) {
        let named = state
            .services
            .renewals_naming(&me.actor)
            .await
            .map_err(|e| PageError::from_core(e, tr))?;
        for n in named {
            renewals.push(RenewalRow {
                customer: account_label(&state, &mut customers, &n.account).await,
                renews_on: tr.date(n.renews_on()),
                by_transaction: n.agreement.kind()
                    == kontor_core::domain::ids::AgreementKind::Subscription,
                agreement: n.agreement.to_string(),
            });
        }
    }
    Ok(ChangesPage {
        c: Chrome::new(&me, "changes", "/changes"),
        rows,
        renewals,
        tab: tab.map(|t| match t {
            Tab::Incoming => "incoming",
            Tab::Outgoing => "outgoing",
        }),
        show_customer,
        flash: match q.answered.as_deref() {
            Some("accept") => Some(tr.t("changes-accepted")),
            Some("decline") => Some(tr.t("changes-declined")),
            _ => None,
        },
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/change.html")]
struct ChangePage {
    c: Chrome,
    title: String,
    id: String,
    agreement: String,
    /// Whether the person may open the agreement's own page now.
    linkable: bool,
    customer: String,
    products: Vec<String>,
    term_end: Option<String>,
    new_partner: String,
    old_partners: Vec<String>,
    status: String,
    status_code: &'static str,
    /// What happens next, or what happened, in a sentence.
    state_text: String,
    submitted: String,
    /// (label, time): when it takes effect, must be answered, or was decided.
    when: (String, String),
    reasons: Vec<String>,
    answerable: bool,
    withdrawable: bool,
}

/// A change's own page (#19): what it moves, between whom, when, and what
/// the person can do about it — for the customer, both partners and
/// vendor staff; anyone else is told it does not exist (R1).
async fn detail(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let id = super::request_id(&raw, tr)?;
    let (r, agreement) = state
        .services
        .change_details(&me.actor, id)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let mut old_partners = Vec::new();
    for p in &r.old_partners {
        old_partners.push(partner_label(&state, p).await);
    }
    let new_partner = partner_label(&state, &r.new_partner).await;
    let when_label = match r.status {
        RequestStatus::AwaitingPartner => "change-answer-by",
        RequestStatus::Pending => "change-takes-effect",
        _ => "change-decided",
    };
    let state_text = tr.ta(
        &format!("change-state-{}", r.status.as_str()),
        &[
            ("partner", new_partner.clone().into()),
            ("when", tr.datetime(r.decided_at.unwrap_or(r.due_at)).into()),
        ],
    );
    let page = ChangePage {
        c: Chrome::new(&me, "changes", "/changes"),
        title: tr.t1("change-title", "agreement", r.agreement.as_str()),
        id: r.id.to_string(),
        agreement: r.agreement.to_string(),
        linkable: sees_agreement(&me.actor, &r),
        customer: account_label(&state, &mut HashMap::new(), &r.account).await,
        products: agreement
            .as_ref()
            .map(|s| {
                s.agreement
                    .products
                    .iter()
                    .map(|p| {
                        tr.ta(
                            "wizard-product",
                            &[
                                ("name", p.name.clone().into()),
                                ("seats", i64::from(p.seats).into()),
                            ],
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        term_end: agreement.as_ref().map(|s| tr.date(s.agreement.term_end)),
        new_partner,
        old_partners,
        status: tr.t(&format!("request-{}", r.status.as_str())),
        status_code: r.status.as_str(),
        state_text,
        submitted: tr.datetime(r.created_at),
        when: (
            tr.t(when_label),
            tr.datetime(r.decided_at.unwrap_or(r.due_at)),
        ),
        reasons: r
            .reasons
            .iter()
            .map(|c| c.message(tr.lang, state.services.policy.expiry_window_days))
            .collect(),
        answerable: r.status == RequestStatus::AwaitingPartner
            && me.actor.partner() == Some(&r.new_partner),
        withdrawable: matches!(
            r.status,
            RequestStatus::Pending | RequestStatus::AwaitingPartner
        ) && me.actor.is_admin_of(&r.account),
    };
    Ok(page.into_response())
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
