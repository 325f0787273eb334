//! `/api/v1/webhooks…` and `/api/v1/deliveries…` (operators): webhook
//! endpoints, their secrets, and the delivery log with re-sending.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use kontor_core::domain::delivery::WEBHOOK_EVENT_TYPES;
use kontor_core::domain::delivery::{Channel, DeliveryStatus};
use kontor_core::store::{AttemptRecord, DeliveryFilter, DeliveryRecord, WebhookEndpoint};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{Page, next_cursor};
use crate::delivery::endpoints::{self, EndpointInput, EndpointRules};
use crate::web::AppState;
use crate::web::dto::rfc3339;
use crate::web::error::{ApiError, ApiResult, Problem};
use crate::web::extract::{Caller, parse_json};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update, remove))
        .routes(routes!(rotate_secret))
        .routes(routes!(secret))
        .routes(routes!(list_deliveries))
        .routes(routes!(get_delivery))
        .routes(routes!(resend))
}

fn id(raw: &str, what: &str) -> ApiResult<Uuid> {
    let key = if what == "delivery" {
        "delivery"
    } else {
        "endpoint"
    };
    Uuid::parse_str(raw).map_err(|_| {
        ApiError::field(super::expected_uuid(
            "id",
            key,
            format!("expected a {what} id (UUID)"),
        ))
    })
}

/// A webhook endpoint (its secret only from `…/secret`, on creation and rotation).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookEndpointDto {
    /// Endpoint id.
    pub id: String,
    /// Where events are POSTed.
    pub url: String,
    /// Free text.
    pub description: String,
    /// Event types it receives; empty means all.
    pub event_types: Vec<String>,
    /// Receives events.
    pub enabled: bool,
    /// Why it was disabled.
    pub disabled_reason: Option<String>,
    /// Start of the current run of failures (RFC 3339).
    pub failing_since: Option<String>,
    /// Until when the previous secret still signs (RFC 3339), during a rotation.
    pub previous_secret_until: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<&WebhookEndpoint> for WebhookEndpointDto {
    fn from(e: &WebhookEndpoint) -> Self {
        WebhookEndpointDto {
            id: e.id.to_string(),
            url: e.url.clone(),
            description: e.description.clone(),
            event_types: e.event_types.clone(),
            enabled: e.enabled,
            disabled_reason: e.disabled_reason.clone(),
            failing_since: e.failing_since.map(rfc3339),
            previous_secret_until: e.previous_secret_until.map(rfc3339),
            created_at: rfc3339(e.created_at),
            updated_at: rfc3339(e.updated_at),
        }
    }
}

/// An endpoint with its signing secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookEndpointWithSecret {
    /// The endpoint.
    #[serde(flatten)]
    pub endpoint: WebhookEndpointDto,
    /// `whsec_…` signing secret (Standard Webhooks).
    pub secret: String,
}

/// The endpoint's current signing secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookSecretDto {
    /// `whsec_…` signing secret (Standard Webhooks).
    pub secret: String,
}

/// Webhook endpoints.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookEndpointList {
    /// Oldest first.
    pub items: Vec<WebhookEndpointDto>,
}

/// An endpoint URL, of the form the server checks (`URL_PATTERN`); a
/// loopback or private address is refused on top unless the operator
/// allows them (`webhook_allow_private`).
fn url_schema() -> utoipa::openapi::schema::Object {
    url_schema_of(Type::String.into())
}

/// [`url_schema`], or null for "unchanged".
fn optional_url_schema() -> utoipa::openapi::schema::Object {
    url_schema_of(SchemaType::from_iter([Type::String, Type::Null]))
}

fn url_schema_of(schema_type: SchemaType) -> utoipa::openapi::schema::Object {
    ObjectBuilder::new()
        .schema_type(schema_type)
        .max_length(Some(2000))
        .pattern(Some(crate::delivery::webhook::URL_PATTERN))
        .description(Some(
            "`https://…` (loopback and private addresses only when the operator allows them)",
        ))
        .build()
}

/// Event types to subscribe to; empty or missing means all.
fn event_types_schema() -> utoipa::openapi::schema::Array {
    let item = ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(WEBHOOK_EVENT_TYPES.iter().copied()));
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(item)
        .description(Some("Event types to receive; empty or missing means all"))
        .build()
}

/// A new endpoint.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    #[schema(schema_with = url_schema)]
    pub url: String,
    /// Free text, up to 500 characters.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub description: Option<String>,
    #[serde(default)]
    #[schema(schema_with = event_types_schema)]
    pub event_types: Option<Vec<String>>,
    /// Receives events (default true).
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// Changes to an endpoint; missing fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhookRequest {
    #[schema(schema_with = optional_url_schema)]
    pub url: Option<String>,
    /// New description, up to 500 characters.
    #[schema(max_length = 500)]
    pub description: Option<String>,
    #[schema(schema_with = event_types_schema)]
    pub event_types: Option<Vec<String>>,
    /// Enable (clears the reason it was disabled) or disable.
    pub enabled: Option<bool>,
}

/// The event body POSTed to endpoints, signed per Standard Webhooks with
/// headers `webhook-id` (the event's id, the same on every retry),
/// `webhook-timestamp` (unix seconds of the attempt) and
/// `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`;
/// two space-separated signatures while a rotated secret overlaps).
/// 2xx acknowledges; 410 disables the endpoint; 429, 502, 503 and 504 may
/// send `Retry-After`; redirects are not followed; each attempt times out.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookEvent {
    /// `partner_change.submitted`, `partner_change.withdrawn`,
    /// `partner_change.applied` or `partner_change.rejected`.
    #[serde(rename = "type")]
    pub kind: String,
    /// When the event happened (RFC 3339).
    pub timestamp: String,
    /// The partner change.
    pub data: PartnerChangeEventData,
}

/// The partner change an event reports.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerChangeEventData {
    /// Change request id.
    pub request_id: String,
    /// Agreement number.
    pub agreement: String,
    /// Customer account CSN.
    pub account: String,
    /// New partner CSN.
    pub new_partner: String,
    /// Partners being (or, once applied, having been) replaced.
    pub old_partners: Vec<String>,
    /// Reason codes, for rejections (R8).
    pub reasons: Vec<String>,
}

/// Lists webhook endpoints (operators).
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    responses((status = 200, body = WebhookEndpointList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn list(
    State(state): State<AppState>,
    Caller(me): Caller,
) -> ApiResult<Json<WebhookEndpointList>> {
    let items = endpoints::list(&state.services, &me).await?;
    Ok(Json(WebhookEndpointList {
        items: items.iter().map(Into::into).collect(),
    }))
}

/// Adds a webhook endpoint with a new signing secret, shown in the answer.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", request_body = CreateWebhookRequest,
    responses((status = 201, body = WebhookEndpointWithSecret),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<WebhookEndpointWithSecret>)> {
    let req: CreateWebhookRequest = parse_json(&headers, &body)?;
    let input = EndpointInput {
        url: Some(req.url),
        description: req.description,
        event_types: req.event_types,
        enabled: req.enabled,
    };
    let e = endpoints::create(
        &state.services,
        &me,
        input,
        EndpointRules::from(&state.config),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(WebhookEndpointWithSecret {
            endpoint: (&e).into(),
            secret: e.secret.clone(),
        }),
    ))
}

/// One webhook endpoint.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = uuid::Uuid, Path, description = "Endpoint id")),
    responses((status = 200, body = WebhookEndpointDto),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn get_one(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<WebhookEndpointDto>> {
    let e = endpoints::get(&state.services, &me, id(&raw, "webhook endpoint")?).await?;
    Ok(Json((&e).into()))
}

/// Changes a webhook endpoint; enabling it again clears why it was disabled.
#[utoipa::path(patch, path = "/api/v1/webhooks/{id}", tag = "webhooks", request_body = UpdateWebhookRequest,
    params(("id" = uuid::Uuid, Path, description = "Endpoint id")),
    responses((status = 200, body = WebhookEndpointDto),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn update(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<WebhookEndpointDto>> {
    let endpoint = id(&raw, "webhook endpoint")?;
    let req: UpdateWebhookRequest = parse_json(&headers, &body)?;
    let input = EndpointInput {
        url: req.url,
        description: req.description,
        event_types: req.event_types,
        enabled: req.enabled,
    };
    let e = endpoints::update(
        &state.services,
        &me,
        endpoint,
        input,
        EndpointRules::from(&state.config),
    )
    .await?;
    Ok(Json((&e).into()))
}

/// Removes a webhook endpoint and its delivery log.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = uuid::Uuid, Path, description = "Endpoint id")),
    responses((status = 204, description = "Removed"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn remove(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<StatusCode> {
    endpoints::delete(&state.services, &me, id(&raw, "webhook endpoint")?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Rotates the signing secret: the answer shows the new one; the previous
/// one keeps signing beside it for `webhook_secret_overlap_hours`.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/rotate-secret", tag = "webhooks",
    params(("id" = uuid::Uuid, Path, description = "Endpoint id")),
    responses((status = 200, body = WebhookEndpointWithSecret),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn rotate_secret(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<WebhookEndpointWithSecret>> {
    let e = endpoints::rotate_secret(
        &state.services,
        &me,
        id(&raw, "webhook endpoint")?,
        EndpointRules::from(&state.config),
    )
    .await?;
    Ok(Json(WebhookEndpointWithSecret {
        endpoint: (&e).into(),
        secret: e.secret.clone(),
    }))
}

/// The endpoint's current signing secret.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/secret", tag = "webhooks",
    params(("id" = uuid::Uuid, Path, description = "Endpoint id")),
    responses((status = 200, body = WebhookSecretDto),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn secret(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<WebhookSecretDto>> {
    let e = endpoints::get(&state.services, &me, id(&raw, "webhook endpoint")?).await?;
    Ok(Json(WebhookSecretDto { secret: e.secret }))
}

/// A delivery: one email to one recipient or one event to one endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryDto {
    /// Delivery id (the email's Message-ID).
    pub id: String,
    /// The event's id (`webhook-id` is `msg_` and this id without dashes).
    pub event_id: String,
    /// Kind of outbox message.
    pub kind: String,
    /// `email` or `webhook`.
    pub channel: String,
    /// Email address, for emails.
    pub recipient: Option<String>,
    /// Endpoint id, for webhooks.
    pub endpoint_id: Option<String>,
    /// `pending`, `delivered` or `dead`.
    pub status: String,
    /// Attempts since it was (re)queued.
    pub attempts: u32,
    /// Next attempt (RFC 3339), while pending.
    pub next_attempt_at: Option<String>,
    /// Last error.
    pub last_error: Option<String>,
    /// Last HTTP or SMTP status code.
    pub last_status: Option<u16>,
    /// Queued (RFC 3339).
    pub created_at: String,
    /// Delivered (RFC 3339).
    pub delivered_at: Option<String>,
}

impl From<&DeliveryRecord> for DeliveryDto {
    fn from(d: &DeliveryRecord) -> Self {
        DeliveryDto {
            id: d.id.to_string(),
            event_id: d.event_id.to_string(),
            kind: d.kind.clone(),
            channel: d.channel.as_str().into(),
            recipient: d.recipient.clone(),
            endpoint_id: d.endpoint_id.map(|e| e.to_string()),
            status: d.status.as_str().into(),
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at.map(rfc3339),
            last_error: d.last_error.clone(),
            last_status: d.last_status,
            created_at: rfc3339(d.created_at),
            delivered_at: d.delivered_at.map(rfc3339),
        }
    }
}

/// One attempt.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptDto {
    /// Started (RFC 3339).
    pub at: String,
    /// HTTP or SMTP status code, when there was an answer.
    pub status_code: Option<u16>,
    /// Duration in milliseconds.
    pub latency_ms: u32,
    /// What went wrong.
    pub error: Option<String>,
}

impl From<&AttemptRecord> for AttemptDto {
    fn from(a: &AttemptRecord) -> Self {
        AttemptDto {
            at: rfc3339(a.at),
            status_code: a.status_code,
            latency_ms: a.latency_ms,
            error: a.error.clone(),
        }
    }
}

/// A delivery with its attempts.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryDetail {
    /// The delivery.
    #[serde(flatten)]
    pub delivery: DeliveryDto,
    /// Every attempt, oldest first.
    pub attempts_log: Vec<AttemptDto>,
}

/// A page of deliveries.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    /// Oldest first.
    pub items: Vec<DeliveryDto>,
    /// Cursor of the next page, when there may be one.
    pub next_cursor: Option<String>,
}

/// Delivery filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// `pending`, `delivered` or `dead`.
    #[param(pattern = "^(pending|delivered|dead)?$")]
    pub status: Option<String>,
    /// `email` or `webhook`.
    #[param(pattern = "^(email|webhook)?$")]
    pub channel: Option<String>,
    /// Only this endpoint's deliveries (its id; empty means all).
    #[param(
        pattern = "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$"
    )]
    pub endpoint: Option<String>,
}

/// Deliveries (operators): failed ones with `status=dead`.
#[utoipa::path(get, path = "/api/v1/deliveries", tag = "webhooks", params(DeliveryQuery, Page, ("cursor" = Option<String>, Query, pattern = r"^([0-9]{1,18})?$", description = "The previous page's `next_cursor`")),
    responses((status = 200, body = DeliveryList),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_deliveries(
    State(state): State<AppState>,
    Caller(me): Caller,
    Query(q): Query<DeliveryQuery>,
    Query(page): Query<Page>,
) -> ApiResult<Json<DeliveryList>> {
    let limit = page.limit()?;
    let after = page.cursor(|c| c.parse::<i64>().ok())?;
    let status = q
        .status
        .as_deref()
        .map(|s| {
            DeliveryStatus::parse(s).ok_or_else(|| {
                ApiError::field(super::expected_one_of(
                    "status",
                    &DeliveryStatus::expected(),
                    format!("expected one of {}", DeliveryStatus::expected()),
                ))
            })
        })
        .transpose()?;
    let channel = q
        .channel
        .as_deref()
        .map(|s| {
            Channel::parse(s).ok_or_else(|| {
                ApiError::field(super::expected_one_of(
                    "channel",
                    &Channel::expected(),
                    format!("expected one of {}", Channel::expected()),
                ))
            })
        })
        .transpose()?;
    let endpoint = q
        .endpoint
        .as_deref()
        .map(|s| {
            Uuid::parse_str(s).map_err(|_| {
                ApiError::field(super::expected_uuid(
                    "endpoint",
                    "endpoint",
                    "expected an endpoint id (UUID)",
                ))
            })
        })
        .transpose()?;
    let filter = DeliveryFilter {
        status,
        channel,
        endpoint,
        after,
        newest_first: false,
        limit,
    };
    let items = endpoints::deliveries(&state.services, &me, &filter).await?;
    Ok(Json(DeliveryList {
        next_cursor: next_cursor(&items, limit, |d| d.seq.to_string()),
        items: items.iter().map(Into::into).collect(),
    }))
}

/// One delivery with every attempt (status code, latency, error).
#[utoipa::path(get, path = "/api/v1/deliveries/{id}", tag = "webhooks",
    params(("id" = uuid::Uuid, Path, description = "Delivery id")),
    responses((status = 200, body = DeliveryDetail),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn get_delivery(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<DeliveryDetail>> {
    let (d, attempts) = endpoints::delivery(&state.services, &me, id(&raw, "delivery")?).await?;
    Ok(Json(DeliveryDetail {
        delivery: (&d).into(),
        attempts_log: attempts.iter().map(Into::into).collect(),
    }))
}

/// Sends a pending or dead delivery again now, with a fresh count of attempts.
#[utoipa::path(post, path = "/api/v1/deliveries/{id}/resend", tag = "webhooks",
    params(("id" = uuid::Uuid, Path, description = "Delivery id")),
    responses((status = 202, description = "Queued"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn resend(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<StatusCode> {
    endpoints::resend(&state.services, &me, id(&raw, "delivery")?).await?;
    Ok(StatusCode::ACCEPTED)
}
