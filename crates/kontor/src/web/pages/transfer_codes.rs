//! Transfer codes and consent per program in the portal (#22 point 2):
//! an admin creates a code for agreements of the account (shown once) and
//! revokes it; partner staff redeem one; operators choose each program's
//! consent model in the back office. The same use cases as
//! `/api/v1/transfer-codes` and `/api/v1/programs/{program}/consent`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;
use kontor_core::Error;
use kontor_core::domain::agreement::Program;
use kontor_core::domain::consent::{ConsentKind, ConsentModel};
use kontor_core::domain::ids::AgreementNumber;
use kontor_core::domain::permissions::Permission;
use kontor_core::domain::transfer_code::{RANDOM_BYTES, TransferCode};
use kontor_core::service::transfer_code::Redeemed;
use serde::Deserialize;

use super::Chrome;
use super::error::{PageError, refusal_words};
use super::once;
use super::session::{SignedIn, verify_form};
use crate::auth::Counted;
use crate::i18n::Tr;
use crate::web::AppState;
use crate::web::extract::ClientAddr;

/// The admins' page, and where a new code waits to be shown once.
const CODES: &str = "/account/transfer-codes";
/// The partners' page.
const REDEEM: &str = "/changes/redeem";
/// The operators' page.
const CONSENT: &str = "/back-office/consent";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(CODES, get(codes).post(create))
        .route("/account/transfer-codes/{id}/revoke", post(revoke))
        .route(REDEEM, get(redeem_form).post(redeem))
        .route("/changes/redeem/{id}", get(redeemed))
        .route(CONSENT, get(consent).post(set_consent))
        .route("/back-office/consent/{program}/reset", post(reset_consent))
}

/// A code as listed.
struct CodeRow {
    id: String,
    hint: String,
    agreements: String,
    status: &'static str,
    created: String,
    expires: String,
    redeemed_by: String,
}

fn code_row(tr: Tr, c: &TransferCode, now: time::OffsetDateTime) -> CodeRow {
    CodeRow {
        id: c.id.to_string(),
        hint: c.hint.clone(),
        agreements: c
            .agreements
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        status: c.status(now).as_str(),
        created: tr.datetime(c.created_at),
        expires: tr.datetime(c.expires_at),
        redeemed_by: c
            .redeemed_partner
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/transfer_codes.html")]
struct CodesPage {
    c: Chrome,
    /// Agreements a code can be made for: (number, products, chosen).
    codeable: Vec<(String, String, bool)>,
    codes: Vec<CodeRow>,
    /// The code just created, this once.
    new_code: Option<String>,
    problem: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Preselect {
    agreement: Option<String>,
}

async fn codes_page(
    state: &AppState,
    me: &SignedIn,
    chosen: &[String],
    new_code: Option<String>,
    problem: Option<String>,
) -> Result<CodesPage, PageError> {
    let tr = me.tr;
    if !me.actor.account().is_some_and(|a| me.actor.is_admin_of(a)) {
        return Err(PageError::forbidden(tr));
    }
    let err = |e| PageError::from_core(e, tr);
    let codeable = state
        .services
        .codeable_agreements(&me.actor)
        .await
        .map_err(err)?
        .into_iter()
        .map(|a| {
            let products = a
                .products
                .iter()
                .map(|p| p.name.clone())
                .collect::<Vec<_>>()
                .join(", ");
            let n = a.number.to_string();
            let on = chosen.contains(&n);
            (n, products, on)
        })
        .collect();
    let now = state.services.clock.now();
    let codes = state
        .services
        .transfer_codes(&me.actor, None)
        .await
        .map_err(err)?
        .iter()
        .map(|c| code_row(tr, c, now))
        .collect();
    Ok(CodesPage {
        c: Chrome::new(me, "agreements", CODES),
        codeable,
        codes,
        new_code,
        problem,
    })
}

async fn codes(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    Query(q): Query<Preselect>,
) -> Result<Response, PageError> {
    let (jar, new_code) = once::take(jar, CODES);
    let chosen: Vec<String> = q.agreement.into_iter().collect();
    let page = codes_page(&state, &me, &chosen, new_code, None).await?;
    Ok((jar, page).into_response())
}

/// The agreements ticked (`agreement=…` repeated) and the form token.
fn form_pairs(body: &str) -> (Vec<String>, Option<String>) {
    let mut agreements = Vec::new();
    let mut csrf = None;
    for (k, v) in url::form_urlencoded::parse(body.as_bytes()) {
        match &*k {
            "agreement" => agreements.push(v.into_owned()),
            "csrf" => csrf = Some(v.into_owned()),
            _ => {}
        }
    }
    (agreements, csrf)
}

async fn create(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    headers: HeaderMap,
    body: String,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let (chosen, csrf) = form_pairs(&body);
    verify_form(&headers, csrf.as_deref(), &me.csrf, tr)?;
    let mut numbers = Vec::with_capacity(chosen.len());
    for raw in &chosen {
        numbers.push(AgreementNumber::parse(raw).map_err(|_| PageError::bad_request(tr))?);
    }
    let mut random = [0u8; RANDOM_BYTES];
    for b in &mut random {
        *b = rand::random();
    }
    match state
        .services
        .create_transfer_code(&me.actor, &numbers, &random)
        .await
    {
        Ok(made) => {
            let jar = once::keep(&state, jar, CODES, &made.secret);
            Ok((jar, Redirect::to(&format!("{CODES}#new-code"))).into_response())
        }
        Err(e @ (Error::Invalid(_) | Error::Refused(_))) => {
            let page = codes_page(&state, &me, &chosen, None, Some(refusal_words(tr, &e))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError::from_core(e, tr)),
    }
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn revoke(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, tr)?;
    let id = PageError::path_id(&id, tr)?;
    match state.services.revoke_transfer_code(&me.actor, id).await {
        Ok(_) => Ok(Redirect::to(CODES).into_response()),
        Err(e @ Error::Conflict { .. }) => {
            let page = codes_page(&state, &me, &[], None, Some(refusal_words(tr, &e))).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(PageError::from_core(e, tr)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/redeem.html")]
struct RedeemPage {
    c: Chrome,
    /// The code as typed, when the form comes back.
    typed: String,
    problem: Option<String>,
    /// The code redeemed (its hint), once it is.
    hint: Option<String>,
    /// Per agreement: (number, the request's id if one was made, what
    /// happened in words).
    results: Vec<(String, Option<String>, String)>,
}

impl RedeemPage {
    fn new(me: &SignedIn) -> RedeemPage {
        RedeemPage {
            c: Chrome::new(me, "changes", REDEEM),
            typed: String::new(),
            problem: None,
            hint: None,
            results: Vec::new(),
        }
    }
}

async fn redeem_form(me: SignedIn) -> Result<Response, PageError> {
    if me.actor.partner().is_none() {
        return Err(PageError::forbidden(me.tr));
    }
    Ok(RedeemPage::new(&me).into_response())
}

#[derive(Debug, Deserialize)]
struct RedeemForm {
    code: String,
    csrf: Option<String>,
}

async fn redeem(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    client: ClientAddr,
    headers: HeaderMap,
    Form(f): Form<RedeemForm>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, tr)?;
    if me.actor.partner().is_none() {
        return Err(PageError::forbidden(tr));
    }
    let policy = state.config.throttle();
    let outcome =
        crate::auth::redeem_transfer_code(&state.services, &policy, &me.actor, &f.code, client.0)
            .await
            .map_err(|e| PageError::from_core(Error::Internal(e), tr))?;
    let mut page = RedeemPage {
        typed: f.code.chars().take(100).collect(),
        ..RedeemPage::new(&me)
    };
    let (code, outcomes) = match outcome {
        Counted::Throttled(wait) => {
            let minutes = kontor_core::domain::throttle::minutes(wait);
            page.problem = Some(tr.tw(
                "problem-too-many-failed-codes",
                &[("minutes", minutes.to_string())],
            ));
            return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
        }
        Counted::Checked(Err(e @ (Error::Invalid(_) | Error::Refused(_)))) => {
            page.problem = Some(refusal_words(tr, &e));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Counted::Checked(Err(e)) => return Err(PageError::from_core(e, tr)),
        Counted::Checked(Ok(done)) => done,
    };
    let refused: Vec<(String, String)> = outcomes
        .iter()
        .filter_map(|(n, o)| match o {
            Redeemed::Refused(e) => Some((n.to_string(), refusal_words(tr, e))),
            Redeemed::Requested(_) => None,
        })
        .collect();
    if code.redeemed_at.is_none() {
        // Nothing could be requested: nothing was written, the code stays
        // usable, and each agreement says why.
        page.problem = Some(tr.t("redeem-nothing"));
        page.results = refused.into_iter().map(|(n, why)| (n, None, why)).collect();
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let path = format!("/changes/redeem/{}", code.id);
    let kept = serde_json::to_string(&refused).unwrap_or_default();
    // The cookie is scoped to the result's path; a long list of refusals
    // is not kept (the result page then says "not started" without why).
    let jar = if kept.len() < 3000 {
        once::keep(&state, jar, &path, &kept)
    } else {
        jar
    };
    Ok((jar, Redirect::to(&path)).into_response())
}

async fn redeemed(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let id = PageError::path_id(&id, tr)?;
    let code = state
        .services
        .transfer_code(&me.actor, id)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let path = format!("/changes/redeem/{id}");
    let (jar, kept) = once::take(jar, &path);
    let refused: Vec<(String, String)> = kept
        .and_then(|k| serde_json::from_str(&k).ok())
        .unwrap_or_default();
    let mut results = Vec::with_capacity(code.agreements.len());
    for n in &code.agreements {
        // The request this code made: the partner's own for the
        // agreement, made at the moment of redeeming.
        let made = state
            .services
            .requests(
                &me.actor,
                &kontor_core::store::RequestFilter {
                    agreement: Some(n.clone()),
                    new_partner: code.redeemed_partner.clone(),
                    limit: 20,
                    ..Default::default()
                },
            )
            .await
            .map_err(|e| PageError::from_core(e, tr))?
            .into_iter()
            .find(|r| Some(r.created_at) == code.redeemed_at);
        let row = match made {
            Some(r) => (
                n.to_string(),
                Some(r.id.to_string()),
                tr.t(&format!("request-{}", r.status.as_str())),
            ),
            None => {
                let why = refused
                    .iter()
                    .find(|(a, _)| a == n.as_str())
                    .map_or_else(|| tr.t("redeem-not-started"), |(_, w)| w.clone());
                (n.to_string(), None, why)
            }
        };
        results.push(row);
    }
    let page = RedeemPage {
        c: Chrome::new(&me, "changes", &path),
        typed: String::new(),
        problem: None,
        hint: Some(code.hint.clone()),
        results,
    };
    Ok((jar, page).into_response())
}

/// A program's consent as listed.
struct ConsentRow {
    program: String,
    model: String,
    chosen: bool,
    updated: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/bo_consent.html")]
struct ConsentPage {
    c: Chrome,
    default: String,
    rows: Vec<ConsentRow>,
    can_edit: bool,
    problem: Option<String>,
    /// The form as sent back: (program, model, acceptance_days, code_valid_hours).
    form: (String, String, String, String),
}

fn model_words(tr: Tr, m: ConsentModel) -> String {
    match m {
        ConsentModel::None => tr.t("consent-model-none"),
        ConsentModel::Acceptance { acceptance_days } => tr.tw(
            "consent-model-acceptance-days",
            &[("count", acceptance_days.to_string())],
        ),
        ConsentModel::TransferCode { code_valid_hours } => tr.t1(
            "consent-model-transfer-code-valid",
            "duration",
            &tr.duration(code_valid_hours * 60),
        ),
    }
}

async fn consent_page(
    state: &AppState,
    me: &SignedIn,
    problem: Option<String>,
    form: (String, String, String, String),
) -> Result<ConsentPage, PageError> {
    let tr = me.tr;
    if !me.actor.may(Permission::UseBackOffice) {
        return Err(PageError::forbidden(tr));
    }
    let chosen = state
        .services
        .program_consents()
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    Ok(ConsentPage {
        c: Chrome::new(me, "backoffice", CONSENT),
        default: model_words(tr, state.services.policy.default_consent()),
        rows: chosen
            .iter()
            .map(|c| ConsentRow {
                program: c.program.as_str().to_owned(),
                model: model_words(tr, c.model),
                chosen: true,
                updated: tr.datetime(c.updated_at),
            })
            .collect(),
        can_edit: me.actor.may(Permission::ChooseConsent),
        problem,
        form,
    })
}

async fn consent(State(state): State<AppState>, me: SignedIn) -> Result<Response, PageError> {
    let form = (
        String::new(),
        "transfer_code".to_owned(),
        "7".to_owned(),
        "72".to_owned(),
    );
    Ok(consent_page(&state, &me, None, form).await?.into_response())
}

#[derive(Debug, Deserialize)]
struct ConsentForm {
    program: String,
    model: String,
    #[serde(default)]
    acceptance_days: String,
    #[serde(default)]
    code_valid_hours: String,
    csrf: Option<String>,
}

async fn set_consent(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<ConsentForm>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, tr)?;
    let number = |raw: &str| raw.trim().parse::<i64>().ok();
    let program = Program::parse(f.program.trim());
    let kind = ConsentKind::parse(&f.model).ok_or_else(|| PageError::bad_request(tr))?;
    let model = ConsentModel::of(
        kind,
        number(&f.acceptance_days),
        number(&f.code_valid_hours),
    );
    let problem = match (&program, model) {
        (None, _) => Some(tr.t("error-expected-program")),
        (_, Err((field, max))) => Some(format!(
            "{}: {}",
            tr.t(&format!("consent-{}", field.replace('_', "-"))),
            tr.tw(
                "error-expected-whole-number",
                &[("min", "1".into()), ("max", max.to_string())]
            )
        )),
        (Some(p), Ok(m)) => match state.services.set_consent(&me.actor, p, Some(m)).await {
            Ok(_) => return Ok(Redirect::to(CONSENT).into_response()),
            Err(e) => return Err(PageError::from_core(e, tr)),
        },
    };
    let form = (f.program, f.model, f.acceptance_days, f.code_valid_hours);
    let page = consent_page(&state, &me, problem, form).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn reset_consent(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(program): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, tr)?;
    let program = Program::parse(&program).ok_or_else(|| PageError::not_found(tr))?;
    state
        .services
        .set_consent(&me.actor, &program, None)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    Ok(Redirect::to(CONSENT).into_response())
}
