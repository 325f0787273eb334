//! Change the partner of many agreements at once (#22 point 3): choose
//! agreements on the list (or all matching its filter) → enter the new
//! partner → preview, one row per agreement (eligible or every reason) →
//! submit the eligible ones → the result with each request's state, and
//! the result as CSV. Every step answers a form post with a redirect.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use kontor_core::domain::agreement::AgreementStatus;
use kontor_core::domain::bulk_run::{BulkOutcome, BulkRun, MAX_AGREEMENTS};
use kontor_core::domain::eligibility::ReasonCode;
use kontor_core::domain::ids::{AgreementKind, AgreementNumber, Csn};
use kontor_core::store::AgreementFilter;

use super::Chrome;
use super::error::PageError;
use super::session::{SignedIn, verify_form};
use super::wizard::{CsnForm, CsnQuery, find_partner};
use crate::i18n::Tr;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/agreements/bulk", post(start))
        .route("/agreements/proposed/{id}", get(proposed))
        .route("/agreements/bulk/{id}", get(show).post(submit))
        .route("/agreements/bulk/{id}/result.csv", get(result_csv))
}

/// One agreement's row: in the preview, eligible or why not; in the
/// result, what happened and where its request stands.
struct ItemRow {
    agreement: String,
    ok: bool,
    text: String,
    request: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/bulk_run.html")]
struct BulkPage {
    c: Chrome,
    id: String,
    /// "3 agreements chosen", or the result's summary.
    summary: String,
    submitted: bool,
    csn: String,
    csn_error: Option<String>,
    /// The partner found: "Name (City, Country)".
    found: Option<String>,
    rows: Vec<ItemRow>,
    eligible: usize,
    submit_label: String,
}

/// The list's form: the agreements ticked, or `all` with the list's filter.
async fn start(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let field = |name: &str| {
        f.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    verify_form(&headers, field("csrf"), &me.csrf, tr)?;
    let agreements: Vec<AgreementNumber> = if field("all").is_some() {
        let filter = AgreementFilter {
            kind: field("kind").and_then(AgreementKind::parse),
            status: field("status").and_then(AgreementStatus::parse),
            partner: field("partner").and_then(|p| Csn::parse(p).ok()),
            q: field("q")
                .filter(|t| t.chars().count() <= 100)
                .map(str::to_owned),
            limit: 500,
            ..AgreementFilter::default()
        };
        state
            .services
            .matching_agreements(&me.actor, &filter)
            .await
            .map_err(|e| PageError::from_core(e, tr))?
    } else {
        f.iter()
            .filter(|(k, _)| k == "agreement")
            .filter_map(|(_, v)| AgreementNumber::parse(v).ok())
            .collect()
    };
    if agreements.is_empty() || agreements.len() > MAX_AGREEMENTS {
        let back = if agreements.is_empty() {
            "none"
        } else {
            "many"
        };
        return Ok(Redirect::to(&format!("/agreements?bulk={back}")).into_response());
    }
    let run = state
        .services
        .start_bulk_run(&me.actor, agreements)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    Ok(Redirect::to(&format!("/agreements/bulk/{}", run.id)).into_response())
}

/// The link of the vendor's proposal mail for several agreements (#22):
/// a change of all of the account's agreements the replaced partner
/// served, with the proposed partner found.
async fn proposed(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let id = PageError::path_id(&raw, tr)?;
    let (to, agreements) = state
        .services
        .proposed_to_me(&me.actor, id)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let run = state
        .services
        .start_bulk_run(&me.actor, agreements)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    Ok(Redirect::to(&format!("/agreements/bulk/{}?csn={to}", run.id)).into_response())
}

fn reasons_text(tr: Tr, reasons: &[ReasonCode]) -> String {
    let labels: Vec<String> = reasons
        .iter()
        .map(|r| tr.t(&format!("reason-label-{}", r.as_str())))
        .collect();
    labels.join(" · ")
}

async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Query(q): Query<CsnQuery>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let run = state
        .services
        .bulk_run(&me.actor, PageError::path_id(&raw, tr)?)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let mut page = BulkPage {
        c: Chrome::new(&me, "agreements", &format!("/agreements/bulk/{}", run.id)),
        id: run.id.to_string(),
        summary: tr.tn("bulk-chosen", "count", run.items.len() as i64),
        submitted: run.submitted_at.is_some(),
        csn: q.csn.clone().unwrap_or_default(),
        csn_error: None,
        found: None,
        rows: Vec::new(),
        eligible: 0,
        submit_label: String::new(),
    };
    if run.submitted_at.is_some() {
        page.rows = result_rows(tr, &run);
        page.summary = result_summary(tr, &run);
        if let Some(p) = &run.new_partner {
            page.found = Some(super::agreements::partner_label(&state, p).await);
        }
        return Ok(page.into_response());
    }
    let Some(raw_csn) = q.csn.as_deref() else {
        page.rows = run
            .items
            .iter()
            .map(|i| ItemRow {
                agreement: i.agreement.to_string(),
                ok: true,
                text: String::new(),
                request: None,
            })
            .collect();
        return Ok(page.into_response());
    };
    // R5 for the partner itself: the agreements' own partners are checked per row.
    match find_partner(&state, tr, &[], raw_csn).await? {
        Err(text) => page.csn_error = Some(text),
        Ok(p) => {
            page.found = Some(format!("{} ({}, {})", p.name, p.city, p.country));
            page.csn = p.csn.to_string();
            let reasons = state
                .services
                .preview_bulk_run(&me.actor, &run, &p.csn)
                .await
                .map_err(|e| PageError::from_core(e, tr))?;
            page.rows = run
                .items
                .iter()
                .zip(&reasons)
                .map(|(i, r)| ItemRow {
                    agreement: i.agreement.to_string(),
                    ok: r.is_empty(),
                    text: if r.is_empty() {
                        tr.t("bulk-eligible")
                    } else {
                        reasons_text(tr, r)
                    },
                    request: None,
                })
                .collect();
            page.eligible = reasons.iter().filter(|r| r.is_empty()).count();
            page.submit_label = tr.tn("bulk-submit", "count", page.eligible as i64);
        }
    }
    Ok(page.into_response())
}

fn result_rows(tr: Tr, run: &BulkRun) -> Vec<ItemRow> {
    run.items
        .iter()
        .map(|i| ItemRow {
            agreement: i.agreement.to_string(),
            ok: i.outcome == Some(BulkOutcome::Submitted),
            text: match (i.outcome, i.request_status) {
                (Some(BulkOutcome::Submitted), Some(status)) => {
                    tr.t(&format!("request-{}", status.as_str()))
                }
                (Some(BulkOutcome::NotEligible), _) => reasons_text(tr, &i.reasons),
                _ => tr.t("bulk-failed"),
            },
            request: i.request.map(|r| r.to_string()),
        })
        .collect()
}

fn result_summary(tr: Tr, run: &BulkRun) -> String {
    tr.ta(
        "bulk-result",
        &[
            (
                "submitted",
                (run.count(BulkOutcome::Submitted) as i64).into(),
            ),
            (
                "skipped",
                ((run.items.len() - run.count(BulkOutcome::Submitted)) as i64).into(),
            ),
        ],
    )
}

async fn submit(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(form): Form<CsnForm>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    verify_form(&headers, form.csrf.as_deref(), &me.csrf, tr)?;
    let id = PageError::path_id(&raw, tr)?;
    let Ok(csn) = Csn::parse(&form.csn) else {
        // Back to the preview, which names the format at the field.
        let csn = super::url_escape(&form.csn);
        return Ok(Redirect::to(&format!("/agreements/bulk/{id}?csn={csn}")).into_response());
    };
    state
        .services
        .submit_bulk_run(&me.actor, id, &csn)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    Ok(Redirect::to(&format!("/agreements/bulk/{id}")).into_response())
}

/// The result as CSV, in the person's words: one row per agreement, in
/// the run's order.
async fn result_csv(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let run = state
        .services
        .bulk_run(&me.actor, PageError::path_id(&raw, tr)?)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    crate::web::csv::bulk_run_csv(&run, crate::web::csv::Columns::Words(tr))
        .map_err(|_| PageError::internal(anyhow::anyhow!("csv"), tr))
}
