//! Actions › Update partner details: the seed's wizard, step by step —
//! enter the new partner's CSN → Search → the partner found → Continue →
//! review old and new partners (R6) → Submit → confirmation → Done.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use kontor_core::Error;
use kontor_core::domain::agreement::Partner;
use kontor_core::domain::eligibility::{PartnerProblem, check_new_partner};
use kontor_core::domain::ids::{AgreementNumber, Csn};
use kontor_core::store::AgreementState;
use serde::Deserialize;

use super::Chrome;
use super::agreements::{ReasonView, partner_label, reason_views};
use super::error::PageError;
use super::session::{SignedIn, verify_form};
use crate::i18n::Tr;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/agreements/{number}/partner",
            get(step_search).post(submit),
        )
        .route("/agreements/{number}/partner/review", get(step_review))
        .route("/partner-changes/{id}/done", get(done))
        .route(
            "/partner-changes/{id}/withdraw",
            get(confirm_withdraw).post(withdraw),
        )
}

/// The partner found by the search step.
struct Found {
    csn: String,
    name: String,
    city: String,
    country: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/wizard.html")]
struct WizardPage {
    c: Chrome,
    number: String,
    step: u8,
    /// Why the change is not possible (the wizard does not start).
    reasons: Vec<ReasonView>,
    csn: String,
    csn_error: Option<String>,
    found: Option<Found>,
    current: Vec<String>,
    replaces_several: bool,
    form_error: Option<String>,
    /// What the review step summarises: the agreement as named on its
    /// page, its products, its term, and when the change takes effect.
    agreement: String,
    products: Vec<String>,
    term: String,
    timing: String,
}

impl WizardPage {
    /// "Current partner" or "Current partners", as many as there are.
    fn current_label(&self) -> String {
        self.c
            .tr
            .tn("wizard-current", "count", self.current.len() as i64)
    }

    fn new(me: &SignedIn, number: &AgreementNumber, step: u8) -> Self {
        WizardPage {
            c: Chrome::new(me, "agreements", &format!("/agreements/{number}/partner"))
                .about(number.as_str()),
            number: number.to_string(),
            step,
            reasons: Vec::new(),
            csn: String::new(),
            csn_error: None,
            found: None,
            current: Vec::new(),
            replaces_several: false,
            form_error: None,
            agreement: String::new(),
            products: Vec::new(),
            term: String::new(),
            timing: String::new(),
        }
    }

    fn step_text(&self) -> String {
        self.c.tr.tn("wizard-step", "step", i64::from(self.step))
    }
}

/// A partner search step's query: the CSN typed in, once searched.
#[derive(Debug, Default, Deserialize)]
pub(super) struct CsnQuery {
    pub csn: Option<String>,
}

/// Loads the agreement for the wizard: only its admins may run it, and only
/// while the change is possible (otherwise the page lists every reason).
async fn start(
    state: &AppState,
    me: &SignedIn,
    raw: &str,
    step: u8,
) -> Result<(std::sync::Arc<AgreementState>, WizardPage), PageError> {
    let tr = me.tr;
    let n = AgreementNumber::parse(raw).map_err(|_| PageError::not_found(tr))?;
    let (s, e) = state
        .services
        .eligibility(&me.actor, &n)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    if !me.actor.is_admin_of(&s.agreement.account) {
        return Err(PageError::forbidden(tr));
    }
    let mut page = WizardPage::new(me, &n, step);
    page.reasons = reason_views(
        &state.help,
        tr,
        &e.reasons,
        state.services.policy.expiry_window_days,
        state.services.clock.now().date(),
        n.as_str(),
    );
    for p in &s.agreement.partners {
        page.current.push(partner_label(state, p).await);
    }
    page.replaces_several = s.agreement.partners.len() > 1;
    let a = &s.agreement;
    page.agreement = tr.ta(
        "agreement-title",
        &[
            ("kind", super::agreements::kind_label(tr, a.kind()).into()),
            ("number", a.number.to_string().into()),
        ],
    );
    page.products = a
        .products
        .iter()
        .map(|p| {
            tr.ta(
                "wizard-product",
                &[("name", p.name.clone().into()), ("seats", p.seats.into())],
            )
        })
        .collect();
    page.term = super::agreements::term_label(tr, a);
    page.timing = crate::assistant::timing(tr, &state.services.policy);
    Ok((s, page))
}

fn problem_text(tr: Tr, p: &PartnerProblem) -> String {
    tr.t(match p {
        PartnerProblem::Unknown(_) => "partner-unknown",
        PartnerProblem::Inactive(_) => "partner-inactive",
        PartnerProblem::Unchanged(_) => "partner-unchanged",
    })
}

/// The new partner typed in, checked: format (R2), then R5 against the
/// agreement's `current` partners. `Err` holds what to show at the field.
pub(super) async fn find_partner(
    state: &AppState,
    tr: Tr,
    current: &[Csn],
    raw: &str,
) -> Result<Result<Partner, String>, PageError> {
    let Ok(csn) = Csn::parse(raw) else {
        return Ok(Err(tr.t("csn-format")));
    };
    let partner = state
        .services
        .partner(&csn)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    Ok(match check_new_partner(current, &csn, partner.as_ref()) {
        Err(p) => Err(problem_text(tr, &p)),
        Ok(()) => partner.ok_or_else(|| tr.t("partner-unknown")),
    })
}

/// Checks the CSN typed in and fills the page either way.
async fn look_up(
    state: &AppState,
    page: &mut WizardPage,
    s: &AgreementState,
    raw: &str,
) -> Result<Option<Csn>, PageError> {
    page.csn = raw.to_owned();
    match find_partner(state, page.c.tr, &s.agreement.partners, raw).await? {
        Ok(p) => {
            let csn = p.csn.clone();
            page.found = Some(Found {
                csn: p.csn.to_string(),
                name: p.name,
                city: p.city,
                country: p.country,
            });
            Ok(Some(csn))
        }
        Err(text) => {
            page.csn_error = Some(text);
            Ok(None)
        }
    }
}

async fn step_search(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Query(q): Query<CsnQuery>,
) -> Result<Response, PageError> {
    let (s, mut page) = start(&state, &me, &raw, 1).await?;
    if page.reasons.is_empty()
        && let Some(csn) = q.csn.as_deref()
    {
        look_up(&state, &mut page, &s, csn).await?;
    }
    Ok(page.into_response())
}

async fn step_review(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Query(q): Query<CsnQuery>,
) -> Result<Response, PageError> {
    let (s, mut page) = start(&state, &me, &raw, 2).await?;
    if page.reasons.is_empty()
        && look_up(&state, &mut page, &s, q.csn.as_deref().unwrap_or(""))
            .await?
            .is_none()
    {
        // Back to the search step with the error next to the field.
        page.step = 1;
    }
    Ok(page.into_response())
}

/// The form that confirms the partner found: its CSN and the form token.
#[derive(Debug, Deserialize)]
pub(super) struct CsnForm {
    pub csn: String,
    pub csrf: Option<String>,
}

async fn submit(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(form): Form<CsnForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, form.csrf.as_deref(), &me.csrf, me.tr)?;
    let (s, mut page) = start(&state, &me, &raw, 2).await?;
    if !page.reasons.is_empty() {
        return Ok(page.into_response());
    }
    let Some(csn) = look_up(&state, &mut page, &s, &form.csn).await? else {
        page.step = 1;
        return Ok(page.into_response());
    };
    match state
        .services
        .submit(&me.actor, &s.agreement.number, &csn, None)
        .await
    {
        Ok(r) => Ok(Redirect::to(&format!("/partner-changes/{}/done", r.id)).into_response()),
        // Someone else submitted (R7) or the agreement changed meanwhile.
        Err(
            Error::Conflict { .. } | Error::Ineligible(_) | Error::Invalid(_) | Error::Refused(_),
        ) => {
            let (_, mut page) = start(&state, &me, &raw, 1).await?;
            page.form_error = Some(me.tr.t("action-not-available"));
            Ok(page.into_response())
        }
        Err(e) => Err(PageError::from_core(e, me.tr)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/done.html")]
struct DonePage {
    c: Chrome,
    number: String,
    text: String,
}

async fn done(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let r = state
        .services
        .request(&me.actor, super::request_id(&raw, tr)?)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let text = tr.ta(
        "wizard-done-text",
        &[
            ("number", r.agreement.to_string().into()),
            (
                "partner",
                partner_label(&state, &r.new_partner).await.into(),
            ),
            (
                "minutes",
                state.services.policy.processing_delay_minutes.into(),
            ),
            (
                "when",
                tr.datetime_near(r.due_at, state.services.clock.now())
                    .into(),
            ),
        ],
    );
    let page = DonePage {
        c: Chrome::new(&me, "agreements", &format!("/partner-changes/{raw}/done")),
        number: r.agreement.to_string(),
        text,
    };
    Ok(page.into_response())
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

/// Asks before withdrawing (the first step is a link to here).
async fn confirm_withdraw(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let r = state
        .services
        .withdrawable(&me.actor, super::request_id(&raw, tr)?)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let agreement = r.agreement.to_string();
    Ok(super::confirm::ConfirmPage {
        c: Chrome::new(
            &me,
            "agreements",
            &format!("/partner-changes/{raw}/withdraw"),
        ),
        question: tr.t("withdraw-confirm"),
        consequence: tr.t1("withdraw-confirm-text", "agreement", &agreement),
        action: format!("/partner-changes/{}/withdraw", r.id),
        fields: Vec::new(),
        confirm: tr.t("withdraw"),
        back: format!("/agreements/{agreement}"),
    }
    .into_response())
}

async fn withdraw(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    verify_form(&headers, form.csrf.as_deref(), &me.csrf, tr)?;
    let r = state
        .services
        .withdraw(&me.actor, super::request_id(&raw, tr)?)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    Ok(Redirect::to(&format!("/agreements/{}?flash=withdrawn", r.agreement)).into_response())
}
