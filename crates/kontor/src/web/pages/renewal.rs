//! Change at renewal (#22): on an agreement whose partner cannot change
//! now (R3, R4), an admin names the partner for the next renewal — enter
//! the CSN → Search → the partner found → Name this partner — and can
//! withdraw it again (asked first).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use kontor_core::domain::ids::{AgreementNumber, Csn};
use kontor_core::domain::renewal::RenewalBlock;
use kontor_core::store::AgreementState;
use serde::Deserialize;

use super::Chrome;
use super::agreements::partner_label;
use super::error::PageError;
use super::session::{SignedIn, verify_form};
use super::wizard::{CsnForm, CsnQuery, find_partner};
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/agreements/{number}/renewal-partner",
            get(search).post(name),
        )
        .route(
            "/agreements/{number}/renewal-partner/withdraw",
            get(confirm_withdraw).post(withdraw),
        )
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/renewal.html")]
struct RenewalPage {
    c: Chrome,
    number: String,
    /// Why no partner can be named (the form is not shown).
    blocked: Vec<String>,
    /// What the page does, with the day the named partner starts.
    intro: String,
    /// What naming the partner found does.
    effect: String,
    current_label: String,
    current: Vec<String>,
    /// The partner named now, if any.
    named: Option<String>,
    csn: String,
    csn_error: Option<String>,
    /// The partner found: label and CSN.
    found: Option<(String, String)>,
}

/// The agreement for the page: only its admins name partners.
async fn start(
    state: &AppState,
    me: &SignedIn,
    raw: &str,
) -> Result<(std::sync::Arc<AgreementState>, RenewalPage), PageError> {
    let tr = me.tr;
    let n = AgreementNumber::parse(raw).map_err(|_| PageError::not_found(tr))?;
    let s = state
        .services
        .agreement(&me.actor, &n)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let offer = state.services.renewal_option_of(&me.actor, &s);
    if offer.reasons.contains(&RenewalBlock::NotPermitted) {
        return Err(PageError::forbidden(tr));
    }
    let mut current = Vec::new();
    for p in &s.agreement.partners {
        current.push(partner_label(state, p).await);
    }
    let named = match &s.renewal_partner {
        Some(r) => Some(partner_label(state, &r.new_partner).await),
        None => None,
    };
    let page = RenewalPage {
        c: Chrome::new(
            me,
            "agreements",
            &format!("/agreements/{n}/renewal-partner"),
        )
        .about(n.as_str()),
        number: n.to_string(),
        blocked: offer
            .reasons
            .iter()
            .map(|b| tr.t(&format!("error-renewal-{}", b.as_str().replace('_', "-"))))
            .collect(),
        intro: tr.t1("renewal-intro", "date", &tr.date(offer.renews_on)),
        effect: tr.t1("renewal-effect", "date", &tr.date(offer.renews_on)),
        current_label: tr.tn("wizard-current", "count", current.len() as i64),
        current,
        named,
        csn: String::new(),
        csn_error: None,
        found: None,
    };
    Ok((s, page))
}

/// Checks the CSN typed in (R2, R5) and fills the page either way.
async fn look_up(
    state: &AppState,
    page: &mut RenewalPage,
    s: &AgreementState,
    raw: &str,
) -> Result<Option<Csn>, PageError> {
    page.csn = raw.to_owned();
    match find_partner(state, page.c.tr, &s.agreement.partners, raw).await? {
        Ok(p) => {
            page.found = Some((
                format!("{} ({}, {})", p.name, p.city, p.country),
                p.csn.to_string(),
            ));
            Ok(Some(p.csn))
        }
        Err(text) => {
            page.csn_error = Some(text);
            Ok(None)
        }
    }
}

async fn search(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Query(q): Query<CsnQuery>,
) -> Result<Response, PageError> {
    let (s, mut page) = start(&state, &me, &raw).await?;
    if page.blocked.is_empty()
        && let Some(csn) = q.csn.as_deref()
    {
        look_up(&state, &mut page, &s, csn).await?;
    }
    Ok(page.into_response())
}

async fn name(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(form): Form<CsnForm>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    verify_form(&headers, form.csrf.as_deref(), &me.csrf, tr)?;
    let (s, mut page) = start(&state, &me, &raw).await?;
    if !page.blocked.is_empty() {
        return Ok(page.into_response());
    }
    let Some(csn) = look_up(&state, &mut page, &s, &form.csn).await? else {
        return Ok(page.into_response());
    };
    let same = s
        .renewal_partner
        .as_ref()
        .is_some_and(|r| r.new_partner == csn);
    state
        .services
        .name_renewal_partner(&me.actor, &s.agreement.number, &csn)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let flash = if same {
        "renewal-same"
    } else {
        "renewal-named"
    };
    Ok(Redirect::to(&format!(
        "/agreements/{}?flash={flash}#renewal-h",
        s.agreement.number
    ))
    .into_response())
}

/// Asks before withdrawing (the first step is a link to here).
async fn confirm_withdraw(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let (s, page) = start(&state, &me, &raw).await?;
    let Some(named) = page.named else {
        // Withdrawn already (another tab, another admin): nothing to ask.
        return Ok(Redirect::to(&format!("/agreements/{}", s.agreement.number)).into_response());
    };
    let n = s.agreement.number.to_string();
    Ok(super::confirm::ConfirmPage {
        c: page.c,
        question: tr.t("renewal-withdraw-confirm"),
        consequence: tr.ta(
            "renewal-withdraw-confirm-text",
            &[("partner", named.into()), ("agreement", n.clone().into())],
        ),
        action: format!("/agreements/{n}/renewal-partner/withdraw"),
        fields: Vec::new(),
        confirm: tr.t("renewal-withdraw"),
        back: format!("/agreements/{n}"),
    }
    .into_response())
}

#[derive(Debug, Deserialize)]
struct WithdrawForm {
    csrf: Option<String>,
}

async fn withdraw(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(form): Form<WithdrawForm>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    verify_form(&headers, form.csrf.as_deref(), &me.csrf, tr)?;
    let n = AgreementNumber::parse(&raw).map_err(|_| PageError::not_found(tr))?;
    match state.services.withdraw_renewal_partner(&me.actor, &n).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/agreements/{n}?flash=renewal-withdrawn")).into_response())
        }
        // Sent twice (a double click, a reload): it is withdrawn already.
        Err(kontor_core::Error::Conflict {
            code: "renewal_not_named",
            ..
        }) => Ok(Redirect::to(&format!("/agreements/{n}")).into_response()),
        Err(e) => Err(PageError::from_core(e, tr)),
    }
}
