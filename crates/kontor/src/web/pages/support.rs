//! "Change only one of several partners": the admin opens a support case
//! from the agreement; a support agent replaces that single partner (R6).

use askama::Template;
use askama_web::WebTemplate;
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use kontor_core::Error;
use kontor_core::domain::ids::AgreementNumber;
use kontor_core::domain::permissions::Permission;
use kontor_core::domain::sla::{self, SlaState};
use kontor_core::domain::support::{CaseSide, CaseStatus, CaseTopic, CustomerState, SupportCase};
use kontor_core::service::Services;
use kontor_core::service::support::NewCase;
use serde::Deserialize;

use super::Chrome;
use super::agreements::{account_label, partner_label};
use super::error::PageError;
use super::session::{SignedIn, verify_form};
use crate::i18n::Tr;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/agreements/{number}/support-case", get(form).post(open))
        .route("/support-cases", get(list))
        .route("/support-cases/{id}", get(show))
        .route("/support-cases/{id}/resolve", post(resolve))
        .route("/support-cases/{id}/reply", post(reply))
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
    /// The topic in words ("Frage an den Support").
    topic: String,
    /// What it is about: the question's first line, or the partner swap.
    subject: String,
    agreement: Option<String>,
    /// "Muster Bau AG (7000000001)", for support.
    account: String,
    /// For a partner swap: the partner to replace and the new one.
    replace: Option<String>,
    new_partner: Option<String>,
    /// The opening message, line by line.
    message: Vec<String>,
    /// Where it stands, as the reader's side reads it.
    status: String,
    /// The state's code, for the badge's colour.
    state_code: &'static str,
    open: bool,
    question: bool,
    created: String,
    /// When support's first answer is due, and the sentence saying so.
    respond_by: Option<String>,
    respond_by_text: Option<String>,
    /// When support first answered.
    first_response_at: Option<String>,
    /// When the case is to be resolved.
    resolve_by: Option<String>,
    /// The deadline to meet next, as "First response by …" (open cases).
    next_due: Option<String>,
    /// A badge for where the case stands against its deadlines: its code
    /// (the colour) and label. Support sees each state; the customer sees
    /// only what is overdue.
    sla: Option<(&'static str, String)>,
}

async fn view(state: &AppState, me: &SignedIn, c: &SupportCase) -> CaseView {
    let tr = me.tr;
    let now = state.services.clock.now();
    // The customer reads "waiting for you"; support reads whose turn it is.
    let state_code = match (me.actor.account().is_some(), c.customer_state()) {
        (true, s) => s.as_str(),
        (false, CustomerState::Resolved) => "resolved",
        (false, CustomerState::WaitingForYou) => "waiting_for_customer",
        (false, CustomerState::Open) => "waiting_for_support",
    };
    let open = c.status == CaseStatus::Open;
    let (replace, new_partner) = match c.swap() {
        Some((old, new)) => (
            Some(partner_label(state, old).await),
            Some(partner_label(state, new).await),
        ),
        None => (None, None),
    };
    let subject = match (&replace, &new_partner) {
        (Some(old), Some(new)) => format!("{old} → {new}"),
        _ => first_line(&c.message),
    };
    let respond_by_text = match (c.respond_by, c.support_level) {
        (Some(at), Some(level)) => Some(
            tr.ta(
                "case-respond-by-text",
                &[
                    ("when", tr.datetime(at).into()),
                    ("level", tr.t(&format!("support-{}", level.as_str())).into()),
                    (
                        "duration",
                        tr.duration(
                            state
                                .services
                                .policy
                                .first_response
                                .of(level)
                                .whole_minutes(),
                        )
                        .into(),
                    ),
                ],
            ),
        ),
        _ => None,
    };
    CaseView {
        id: c.id.to_string(),
        topic: tr.t(&format!("case-topic-{}", c.topic().as_str())),
        subject,
        agreement: c.agreement.as_ref().map(ToString::to_string),
        account: account_label(state, &mut HashMap::new(), &c.account).await,
        replace,
        new_partner,
        message: c.message.lines().map(str::to_owned).collect(),
        status: tr.t(&format!("case-state-{state_code}")),
        state_code,
        open,
        question: c.topic() == CaseTopic::Question,
        created: tr.datetime(c.created_at),
        respond_by: c.respond_by.map(|at| tr.datetime(at)),
        respond_by_text,
        first_response_at: c.progress().responded_at().map(|at| tr.datetime(at)),
        resolve_by: c.resolve_by.map(|at| tr.datetime(at)),
        next_due: next_due(tr, c),
        sla: sla_badge(tr, c, now, me.actor.account().is_none()),
    }
}

/// "Erste Antwort bis …" / "Lösung bis …": the deadline an open case is
/// to meet next.
fn next_due(tr: Tr, c: &SupportCase) -> Option<String> {
    let d = c.deadlines()?;
    let at = sla::next_deadline(&d, &c.progress())?;
    let key = if c.progress().responded_at().is_none() && at == d.respond_by {
        "case-respond-by"
    } else {
        "case-resolve-by"
    };
    Some(format!("{} {}", tr.t(key), tr.datetime(at)))
}

/// The badge for where `c` stands against its deadlines at `now`: every
/// state for support, only an overdue one for the customer.
fn sla_badge(
    tr: Tr,
    c: &SupportCase,
    now: time::OffsetDateTime,
    support: bool,
) -> Option<(&'static str, String)> {
    let state = c.sla_state(now)?;
    let shown = match state {
        SlaState::ResponseOverdue | SlaState::ResolutionOverdue => true,
        SlaState::DueSoon | SlaState::Missed | SlaState::Met => support,
        SlaState::OnTrack => false,
    };
    shown.then(|| (state.as_str(), tr.t(&format!("sla-{}", state.as_str()))))
}

/// The first line of a text, shortened to 90 characters at a word.
fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    if line.chars().count() <= 90 {
        return line.to_owned();
    }
    let cut: String = line.chars().take(90).collect();
    format!(
        "{}…",
        cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head)
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/cases.html")]
struct ListPage {
    c: Chrome,
    cases: Vec<CaseView>,
    /// Support's view: `Some(true)` for the queue of open cases (oldest
    /// first), `Some(false)` for every case; `None` for customers.
    queue: Option<bool>,
    show_account: bool,
    /// Open disputes (#22), in support's queue: the deadline first.
    disputes: Vec<DisputeRow>,
}

/// An open dispute in support's queue.
struct DisputeRow {
    request: String,
    agreement: String,
    partner: String,
    account: String,
    /// "Erste Antwort bis …".
    next_due: String,
    sla: Option<(&'static str, String)>,
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    all: Option<String>,
}

/// Customers see their cases, newest first; support starts at the queue
/// of open cases, the longest waiting first.
async fn list(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let support = me.actor.may(Permission::ResolveSupportCases);
    let queue = support && q.all.is_none();
    let cases = state
        .services
        .support_cases(&me.actor, queue)
        .await
        .map_err(|e| PageError::from_core(e, me.tr))?;
    let mut views = Vec::with_capacity(cases.len());
    for c in &cases {
        views.push(view(&state, &me, c).await);
    }
    let mut disputes = Vec::new();
    if queue {
        let now = state.services.clock.now();
        let mut accounts = HashMap::new();
        for d in state
            .services
            .disputes(&me.actor, true)
            .await
            .map_err(|e| PageError::from_core(e, me.tr))?
        {
            let sla = d.sla_state(now);
            disputes.push(DisputeRow {
                request: d.request.to_string(),
                agreement: d.agreement.to_string(),
                partner: partner_label(&state, &d.partner).await,
                account: account_label(&state, &mut accounts, &d.account).await,
                next_due: format!(
                    "{} {}",
                    me.tr.t("case-respond-by"),
                    me.tr.datetime(d.respond_by)
                ),
                sla: (sla != SlaState::OnTrack)
                    .then(|| (sla.as_str(), me.tr.t(&format!("sla-{}", sla.as_str())))),
            });
        }
    }
    Ok(ListPage {
        c: Chrome::new(&me, "cases", "/support-cases"),
        cases: views,
        queue: support.then_some(queue),
        show_account: me.actor.account().is_none(),
        disputes,
    }
    .into_response())
}

/// One message of the conversation, as shown.
struct MessageView {
    author: String,
    /// The side's label ("Support", "Kunde").
    side: String,
    from_support: bool,
    when: String,
    /// Paragraphs as written.
    lines: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/case.html")]
struct CasePage {
    c: Chrome,
    case: CaseView,
    can_resolve: bool,
    messages: Vec<MessageView>,
    /// Whether the reader may reply (the case is open and they are on a side).
    can_reply: bool,
    /// A reply kept after a problem, and the problem.
    draft: String,
    error: Option<String>,
    /// What just happened.
    flash: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    /// Set by the assistant's hand-off: the case was just opened.
    opened: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let mut page = case_page(&state, &me, &raw).await?;
    page.flash = q.opened.map(|_| me.tr.t("assistant-handoff-opened"));
    Ok(page.into_response())
}

async fn case_page(state: &AppState, me: &SignedIn, raw: &str) -> Result<CasePage, PageError> {
    let tr = me.tr;
    let (case, messages) = state
        .services
        .case_conversation(&me.actor, PageError::path_id(raw, me.tr)?)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let can_resolve = me.actor.may(Permission::ResolveSupportCases);
    let open = case.status == CaseStatus::Open;
    let can_reply = open && Services::case_side(&me.actor, &case).is_some();
    let messages = messages
        .iter()
        .map(|m| MessageView {
            author: m.author_name.clone(),
            side: tr.t(&format!("case-side-{}", m.side.as_str())),
            from_support: m.side == CaseSide::Support,
            when: tr.datetime(m.created_at),
            lines: m.body.lines().map(str::to_owned).collect(),
        })
        .collect();
    Ok(CasePage {
        c: Chrome::new(me, "cases", &format!("/support-cases/{raw}")),
        case: view(state, me, &case).await,
        can_resolve,
        messages,
        can_reply,
        draft: String::new(),
        error: None,
        flash: None,
    })
}

#[derive(Debug, Deserialize)]
struct ReplyForm {
    body: String,
    csrf: Option<String>,
}

async fn reply(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(f): Form<ReplyForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let id = PageError::path_id(&raw, me.tr)?;
    match state.services.reply_to_case(&me.actor, id, &f.body).await {
        Ok(_) => Ok(Redirect::to(&format!("/support-cases/{id}#reply-h")).into_response()),
        Err(Error::Invalid(errors)) => {
            let mut page = case_page(&state, &me, &raw).await?;
            page.draft = f.body;
            page.error = errors.first().map(|e| me.tr.field_message(e));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError::from_core(e, me.tr)),
    }
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
        .resolve_case(&me.actor, PageError::path_id(&raw, me.tr)?)
        .await
        .map_err(|e| PageError::from_core(e, me.tr))?;
    Ok(Redirect::to(&format!("/support-cases/{}", case.id)).into_response())
}
