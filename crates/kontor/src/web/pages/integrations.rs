//! Back office, operators: webhook endpoints (add, enable or disable,
//! rotate the secret, remove) and deliveries that failed or wait, with
//! their attempts and a button to send them again.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;
use kontor_core::Error;
use kontor_core::domain::delivery::{Channel, DeliveryStatus, WEBHOOK_EVENT_TYPES};
use kontor_core::domain::permissions::Permission;
use kontor_core::store::{DeliveryFilter, WebhookEndpoint};
use serde::Deserialize;
use uuid::Uuid;

use super::backoffice::require;
use super::error::PageError;
use super::session::{SignedIn, verify_form};
use super::{Chrome, once};
use crate::delivery::endpoints::{self, EndpointInput, EndpointRules};
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/back-office/webhooks", get(list).post(create))
        .route("/back-office/webhooks/{id}/enable", post(enable))
        .route(
            "/back-office/webhooks/{id}/disable",
            get(confirm_disable).post(disable),
        )
        .route(
            "/back-office/webhooks/{id}/rotate",
            get(confirm_rotate).post(rotate),
        )
        .route(
            "/back-office/webhooks/{id}/delete",
            get(confirm_delete).post(remove),
        )
        .route("/back-office/deliveries", get(deliveries))
        .route("/back-office/deliveries/{id}/resend", post(resend))
}

struct EndpointRow {
    id: String,
    url: String,
    description: String,
    events: String,
    enabled: bool,
    state: String,
}

fn row(e: &WebhookEndpoint, tr: crate::i18n::Tr) -> EndpointRow {
    let state = match (&e.disabled_reason, e.enabled, e.failing_since) {
        (_, true, None) => tr.t("wh-state-healthy"),
        (_, true, Some(since)) => tr.t1("wh-state-failing", "since", &tr.datetime(since)),
        (Some(reason), false, _) => tr.t1("wh-state-disabled", "reason", reason),
        (None, false, _) => tr.t1("wh-state-disabled", "reason", "-"),
    };
    EndpointRow {
        id: e.id.to_string(),
        url: e.url.clone(),
        description: e.description.clone(),
        events: if e.event_types.is_empty() {
            tr.t("wh-all-events")
        } else {
            e.event_types
                .iter()
                .map(|t| tr.label("event", t))
                .collect::<Vec<_>>()
                .join(", ")
        },
        enabled: e.enabled,
        state,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/bo_webhooks.html")]
struct WebhooksPage {
    c: Chrome,
    rows: Vec<EndpointRow>,
    event_types: Vec<&'static str>,
    /// A secret to show once: (endpoint URL, secret).
    secret: Option<(String, String)>,
    errors: Vec<(String, String)>,
    url: String,
    description: String,
    /// What the last action did, in words.
    flash: Option<String>,
}

async fn page(
    state: &AppState,
    me: &SignedIn,
    secret: Option<(String, String)>,
    errors: Vec<(String, String)>,
    form: Option<&EndpointForm>,
) -> Result<WebhooksPage, PageError> {
    let tr = me.tr;
    let all = endpoints::list(&state.services, &me.actor)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    Ok(WebhooksPage {
        c: Chrome::new(me, "backoffice", "/back-office/webhooks"),
        rows: all.iter().map(|e| row(e, tr)).collect(),
        event_types: WEBHOOK_EVENT_TYPES.to_vec(),
        secret,
        errors,
        url: form.map(|f| f.url.clone()).unwrap_or_default(),
        description: form.map(|f| f.description.clone()).unwrap_or_default(),
        flash: None,
    })
}

/// The webhooks page, where its forms return to.
const WEBHOOKS: &str = "/back-office/webhooks";

#[derive(Debug, Default, Deserialize)]
struct Done {
    /// `enabled`, `disabled` or `deleted`: said on the page.
    done: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    require(&me, Permission::OperateWebhooks)?;
    // A secret just made comes once: (the endpoint's URL, the secret).
    let (jar, kept) = once::take(jar, WEBHOOKS);
    let secret = kept.and_then(|k| serde_json::from_str::<(String, String)>(&k).ok());
    let mut page = page(&state, &me, secret, Vec::new(), None).await?;
    page.flash = match q.done.as_deref() {
        Some(done @ ("enabled" | "disabled" | "deleted")) => {
            Some(me.tr.t(&format!("wh-done-{done}")))
        }
        _ => None,
    };
    Ok((jar, page).into_response())
}

/// Goes back to the list, which shows `endpoint`'s new secret once.
fn show_secret_once(state: &AppState, jar: CookieJar, endpoint: &WebhookEndpoint) -> Response {
    let kept = serde_json::json!([endpoint.url, endpoint.secret]).to_string();
    let jar = once::keep(state, jar, WEBHOOKS, &kept);
    (jar, Redirect::to(WEBHOOKS)).into_response()
}

/// The add form as sent.
#[derive(Debug)]
struct EndpointForm {
    url: String,
    description: String,
    /// The checked event types.
    events: Vec<String>,
    csrf: Option<String>,
}

async fn create(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    require(&me, Permission::OperateWebhooks)?;
    // `events` repeats once per checked box, which serde_urlencoded's
    // struct form does not collect; read the pairs.
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| PageError::bad_request(me.tr))?;
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let form = EndpointForm {
        url: get("url").unwrap_or_default(),
        description: get("description").unwrap_or_default(),
        events: pairs
            .iter()
            .filter(|(n, _)| n == "events")
            .map(|(_, v)| v.clone())
            .collect(),
        csrf: get("csrf"),
    };
    verify_form(&headers, form.csrf.as_deref(), &me.csrf, me.tr)?;
    let input = EndpointInput {
        url: Some(form.url.clone()),
        description: Some(form.description.clone()),
        event_types: Some(form.events.clone()),
        enabled: Some(true),
    };
    match endpoints::create(
        &state.services,
        &me.actor,
        input,
        EndpointRules::from(&state.config),
    )
    .await
    {
        Ok(e) => Ok(show_secret_once(&state, jar, &e)),
        Err(Error::Invalid(errors) | Error::Refused(errors)) => {
            let errors = errors
                .iter()
                .map(|e| (e.field.clone(), me.tr.field_message(e)))
                .collect();
            let p = page(&state, &me, None, errors, Some(&form)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
        Err(e) => Err(PageError::from_core(e, me.tr)),
    }
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

/// Asks before an endpoint is disabled, given a new secret or deleted
/// (`act`: the last part of both paths; the first step is a link).
async fn confirm_webhook(
    state: &AppState,
    me: &SignedIn,
    raw: &str,
    act: &'static str,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let endpoint = endpoints::get(&state.services, &me.actor, PageError::path_id(raw, me.tr)?)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    Ok(super::confirm::ConfirmPage {
        c: Chrome::new(me, "backoffice", "/back-office/webhooks"),
        question: tr.t1(&format!("wh-{act}-confirm"), "url", &endpoint.url),
        consequence: tr.t(&format!("wh-{act}-confirm-text")),
        action: format!("/back-office/webhooks/{}/{act}", endpoint.id),
        fields: Vec::new(),
        confirm: tr.t(&format!("wh-{act}")),
        back: "/back-office/webhooks".to_owned(),
    }
    .into_response())
}

async fn confirm_disable(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    confirm_webhook(&state, &me, &raw, "disable").await
}

async fn confirm_rotate(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    confirm_webhook(&state, &me, &raw, "rotate").await
}

async fn confirm_delete(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    confirm_webhook(&state, &me, &raw, "delete").await
}

async fn set_enabled(
    state: &AppState,
    me: &SignedIn,
    headers: &HeaderMap,
    raw: &str,
    form: &CsrfForm,
    enabled: bool,
) -> Result<Response, PageError> {
    require(me, Permission::OperateWebhooks)?;
    verify_form(headers, form.csrf.as_deref(), &me.csrf, me.tr)?;
    let input = EndpointInput {
        enabled: Some(enabled),
        ..EndpointInput::default()
    };
    endpoints::update(
        &state.services,
        &me.actor,
        PageError::path_id(raw, me.tr)?,
        input,
        EndpointRules::from(&state.config),
    )
    .await
    .map_err(|e| PageError::from_core(e, me.tr))?;
    let done = if enabled { "enabled" } else { "disabled" };
    Ok(Redirect::to(&format!("{WEBHOOKS}?done={done}")).into_response())
}

async fn enable(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    set_enabled(&state, &me, &headers, &raw, &form, true).await
}

async fn disable(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    set_enabled(&state, &me, &headers, &raw, &form, false).await
}

async fn rotate(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    require(&me, Permission::OperateWebhooks)?;
    verify_form(&headers, form.csrf.as_deref(), &me.csrf, me.tr)?;
    let e = endpoints::rotate_secret(
        &state.services,
        &me.actor,
        PageError::path_id(&raw, me.tr)?,
        EndpointRules::from(&state.config),
    )
    .await
    .map_err(|e| PageError::from_core(e, me.tr))?;
    Ok(show_secret_once(&state, jar, &e))
}

async fn remove(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    require(&me, Permission::OperateWebhooks)?;
    verify_form(&headers, form.csrf.as_deref(), &me.csrf, me.tr)?;
    endpoints::delete(&state.services, &me.actor, PageError::path_id(&raw, me.tr)?)
        .await
        .map_err(|e| PageError::from_core(e, me.tr))?;
    Ok(Redirect::to(&format!("{WEBHOOKS}?done=deleted")).into_response())
}

struct DeliveryRow {
    id: String,
    created_at: String,
    kind: String,
    target: String,
    status: String,
    attempts: u32,
    next: String,
    last_error: String,
    can_resend: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/bo_deliveries.html")]
struct DeliveriesPage {
    c: Chrome,
    rows: Vec<DeliveryRow>,
    status: String,
    /// One link per status, the ones that need attention with their
    /// count: (status, label).
    summary: Vec<(&'static str, String)>,
    /// Why the list is empty, for the status shown.
    empty: String,
    flash: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct DeliveriesQuery {
    status: Option<String>,
    resent: Option<String>,
}

async fn deliveries(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<DeliveriesQuery>,
) -> Result<Response, PageError> {
    require(&me, Permission::OperateWebhooks)?;
    let tr = me.tr;
    let count = |s| endpoints::delivery_count(&state.services, &me.actor, s);
    let dead = count(DeliveryStatus::Dead)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let pending = count(DeliveryStatus::Pending)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    // What needs attention first: given up, then waiting; the log of
    // delivered ones when nothing does.
    let status = q
        .status
        .as_deref()
        .and_then(DeliveryStatus::parse)
        .unwrap_or(if dead > 0 {
            DeliveryStatus::Dead
        } else if pending > 0 {
            DeliveryStatus::Pending
        } else {
            DeliveryStatus::Delivered
        });
    let filter = DeliveryFilter {
        status: Some(status),
        newest_first: true,
        limit: 500,
        ..Default::default()
    };
    let list = endpoints::deliveries(&state.services, &me.actor, &filter)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    // Endpoints by their URL, not their id.
    let urls: std::collections::HashMap<Uuid, String> = endpoints::list(&state.services, &me.actor)
        .await
        .map_err(|e| PageError::from_core(e, tr))?
        .into_iter()
        .map(|e| (e.id, e.url))
        .collect();
    let rows = list
        .iter()
        .map(|d| DeliveryRow {
            id: d.id.to_string(),
            created_at: tr.datetime(d.created_at),
            kind: tr.label("message-kind", &d.kind),
            target: match d.channel {
                Channel::Email => d.recipient.clone().unwrap_or_default(),
                Channel::Webhook => d
                    .endpoint_id
                    .map(|e| {
                        urls.get(&e)
                            .cloned()
                            .unwrap_or_else(|| tr.t("dl-endpoint-deleted"))
                    })
                    .unwrap_or_default(),
            },
            status: tr.label("dl-status", d.status.as_str()),
            attempts: d.attempts,
            next: d
                .next_attempt_at
                .filter(|_| d.status == DeliveryStatus::Pending)
                .map(|t| tr.datetime(t))
                .unwrap_or_default(),
            last_error: d.last_error.clone().unwrap_or_default(),
            can_resend: d.status != DeliveryStatus::Delivered,
        })
        .collect();
    Ok(DeliveriesPage {
        c: Chrome::new(&me, "backoffice", "/back-office/deliveries"),
        rows,
        status: status.as_str().into(),
        summary: vec![
            ("dead", tr.tn("dl-count-dead", "count", dead)),
            ("pending", tr.tn("dl-count-pending", "count", pending)),
            ("delivered", tr.t("dl-count-delivered")),
        ],
        empty: tr.t(&format!("dl-none-{}", status.as_str())),
        flash: q.resent.map(|_| tr.t("dl-resent")),
    }
    .into_response())
}

async fn resend(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    require(&me, Permission::OperateWebhooks)?;
    verify_form(&headers, form.csrf.as_deref(), &me.csrf, me.tr)?;
    endpoints::resend(&state.services, &me.actor, PageError::path_id(&raw, me.tr)?)
        .await
        .map_err(|e| PageError::from_core(e, me.tr))?;
    Ok(Redirect::to("/back-office/deliveries?status=pending&resent=1").into_response())
}
