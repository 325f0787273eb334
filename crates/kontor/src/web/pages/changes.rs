//! Partner changes: a customer's own, a partner's incoming and outgoing ones.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use kontor_core::Error;
use kontor_core::domain::change_request::RequestStatus;
use kontor_core::domain::dispute::{Dispute, DisputeStatus, may_dispute};
use kontor_core::domain::ids::Csn;
use kontor_core::domain::permissions::Permission;
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
        .route("/changes/{id}/dispute", post(file_dispute))
        .route("/changes/{id}/dispute/{decision}", post(decide_dispute))
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
    /// The dispute of a partner the change would replace (#22), as shown.
    dispute: Option<DisputeView>,
    /// The person may dispute the change now (a partner it would replace).
    disputable: bool,
    /// A reason or note kept after a problem, and the problem.
    draft: String,
    error: Option<String>,
    /// What just happened.
    flash: Option<String>,
    /// Why the step could not be taken (the state changed meanwhile).
    problem: Option<String>,
}

/// A dispute on the change's page.
struct DisputeView {
    /// Where it stands, in a sentence.
    text: String,
    /// The partner's reason, for support and the disputing partner.
    reason: Option<String>,
    /// Support's note.
    note: Option<String>,
    /// Held: support may decide.
    decidable: bool,
    /// A deadline badge for support: its code and label.
    sla: Option<(&'static str, String)>,
}

#[derive(Debug, Default, Deserialize)]
struct DetailQuery {
    /// Set after a dispute was filed or decided.
    done: Option<String>,
}

/// A change's own page (#19): what it moves, between whom, when, and what
/// the person can do about it — for the customer, both partners and
/// vendor staff; anyone else is told it does not exist (R1).
async fn detail(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Query(q): Query<DetailQuery>,
) -> Result<Response, PageError> {
    let mut page = change_page(&state, &me, &raw).await?;
    page.flash = match q.done.as_deref() {
        Some(done @ ("disputed" | "released" | "upheld")) => {
            Some(me.tr.t(&format!("dispute-done-{done}")))
        }
        _ => None,
    };
    Ok(page.into_response())
}

async fn change_page(state: &AppState, me: &SignedIn, raw: &str) -> Result<ChangePage, PageError> {
    let tr = me.tr;
    let id = super::request_id(raw, tr)?;
    let (r, agreement) = state
        .services
        .change_details(&me.actor, id)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let dispute = state
        .services
        .dispute_of(&me.actor, &r)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let now = state.services.clock.now();
    let disputable = dispute.is_none() && may_dispute(&me.actor, &r, now).is_ok();
    let mut old_partners = Vec::new();
    for p in &r.old_partners {
        old_partners.push(partner_label(state, p).await);
    }
    let new_partner = partner_label(state, &r.new_partner).await;
    // A held change is not made at its time: say so rather than when.
    let held = dispute
        .as_ref()
        .is_some_and(|d| d.status == DisputeStatus::Open);
    let when_label = match r.status {
        RequestStatus::AwaitingPartner => "change-answer-by",
        RequestStatus::Pending if held => "change-held-since",
        RequestStatus::Pending => "change-takes-effect",
        _ => "change-decided",
    };
    let state_key = if held {
        "change-state-held".to_owned()
    } else {
        format!("change-state-{}", r.status.as_str())
    };
    let when_at = match &dispute {
        Some(d) if held => d.filed_at,
        _ => r.decided_at.unwrap_or(r.due_at),
    };
    let state_text = tr.ta(
        &state_key,
        &[
            ("partner", new_partner.clone().into()),
            ("when", tr.datetime(r.decided_at.unwrap_or(r.due_at)).into()),
        ],
    );
    let page = ChangePage {
        c: Chrome::new(me, "changes", "/changes"),
        title: tr.t1("change-title", "agreement", r.agreement.as_str()),
        id: r.id.to_string(),
        agreement: r.agreement.to_string(),
        linkable: sees_agreement(&me.actor, &r),
        customer: account_label(state, &mut HashMap::new(), &r.account).await,
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
        when: (tr.t(when_label), tr.datetime(when_at)),
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
        dispute: dispute.map(|d| dispute_view(me, &d, now)),
        disputable,
        draft: String::new(),
        error: None,
        flash: None,
        problem: None,
    };
    Ok(page)
}

/// How `d` reads on the change's page for `me`.
fn dispute_view(me: &SignedIn, d: &Dispute, now: time::OffsetDateTime) -> DisputeView {
    let tr = me.tr;
    let support = me.actor.may(Permission::ResolveSupportCases);
    let text = tr.ta(
        &format!("dispute-state-{}", d.status.as_str()),
        &[("when", tr.datetime(d.resolve_by).into())],
    );
    let state = d.sla_state(now);
    DisputeView {
        text,
        reason: (!d.reason.is_empty()).then(|| d.reason.clone()),
        note: d.decision_note.clone(),
        decidable: support && d.status == DisputeStatus::Open,
        sla: (support
            && d.status == DisputeStatus::Open
            && state != kontor_core::domain::sla::SlaState::OnTrack)
            .then(|| (state.as_str(), tr.t(&format!("sla-{}", state.as_str())))),
    }
}

#[derive(Debug, Deserialize)]
struct DisputeForm {
    csrf: Option<String>,
    #[serde(default)]
    text: String,
}

/// A partner the change would replace disputes it (#22).
async fn file_dispute(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(f): Form<DisputeForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let id = super::request_id(&raw, me.tr)?;
    let result = state.services.file_dispute(&me.actor, id, &f.text).await;
    after_dispute_step(&state, &me, &raw, result.map(|_| "disputed"), f.text).await
}

/// Support lets a held change proceed, or upholds the dispute (#22).
async fn decide_dispute(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path((raw, decision)): Path<(String, String)>,
    Form(f): Form<DisputeForm>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, tr)?;
    let id = super::request_id(&raw, tr)?;
    let r = state
        .services
        .request(&me.actor, id)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let Some(d) = state
        .services
        .dispute_of(&me.actor, &r)
        .await
        .map_err(|e| PageError::from_core(e, tr))?
    else {
        return Err(PageError::not_found(tr));
    };
    let result = match decision.as_str() {
        "release" => {
            state
                .services
                .release_dispute(&me.actor, d.id, &f.text)
                .await
        }
        "uphold" => {
            state
                .services
                .uphold_dispute(&me.actor, d.id, &f.text)
                .await
        }
        _ => return Err(PageError::not_found(tr)),
    };
    let done = if decision == "release" {
        "released"
    } else {
        "upheld"
    };
    after_dispute_step(&state, &me, &raw, result.map(|_| done), f.text).await
}

/// Back to the change's page: after the step (Post/Redirect/Get), or with
/// the text kept and the problem named when the input was refused.
async fn after_dispute_step(
    state: &AppState,
    me: &SignedIn,
    raw: &str,
    result: Result<&'static str, Error>,
    text: String,
) -> Result<Response, PageError> {
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/changes/{raw}?done={done}")).into_response()),
        Err(Error::Invalid(errors)) => {
            let mut page = change_page(state, me, raw).await?;
            page.draft = text;
            page.error = errors.first().map(|e| me.tr.field_message(e));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        // The window closed or someone decided first while the person
        // wrote: the page as it is now, saying so.
        Err(Error::Conflict { detail, .. }) => {
            let mut page = change_page(state, me, raw).await?;
            page.problem = Some(me.tr.tw(&format!("problem-{}", detail.code), &detail.args));
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(PageError::from_core(e, me.tr)),
    }
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
