//! Disputes (#22): a partner a pending change would replace objects; the
//! change is held until support releases it or upholds the dispute.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::partner_changes::request_id;
use crate::web::AppState;
use crate::web::dto::DisputeDto;
use crate::web::error::{ApiResult, Problem};
use crate::web::extract::{Caller, parse_json};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(file))
        .routes(routes!(list))
        .routes(routes!(get_one))
        .routes(routes!(release))
        .routes(routes!(uphold))
}

/// A partner's objection.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileDisputeRequest {
    /// Why the change should not be made: 1–2000 characters, not only
    /// spaces. Support and your partner read it; the customer does not.
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
}

/// Support's decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideDisputeRequest {
    /// A note for the customer and the partners: required to uphold (the
    /// customer reads why the change was rejected), optional to release.
    /// At most 2000 characters.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: String,
}

/// Disputes, newest first, or the open ones the deadline first.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisputeListResponse {
    /// The disputes.
    pub items: Vec<DisputeDto>,
}

/// List filter.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DisputeQuery {
    /// `true` for open disputes only, the deadline to meet next first;
    /// `false` or empty for all, newest first.
    #[param(value_type = Option<String>, pattern = "^(true|false)?$")]
    pub open: Option<bool>,
}

fn dispute_id(raw: &str) -> ApiResult<uuid::Uuid> {
    super::path_id(raw, "dispute", "expected a dispute id (UUID)")
}

/// Disputes a pending change: staff of a partner the change would replace,
/// before the change is due. The change is held — not applied — until
/// support decides; the customer's admins, the new partner and support are
/// told.
#[utoipa::path(post, path = "/api/v1/partner-changes/{id}/dispute", tag = "partner-changes",
    request_body = FileDisputeRequest,
    params(("id" = uuid::Uuid, Path, description = "Request id")),
    responses((status = 201, body = DisputeDto),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a partner the change would replace", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not pending or already due (`dispute_window_closed`), or disputed already", body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn file(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    Path(raw): Path<String>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<DisputeDto>)> {
    let id = request_id(&raw)?;
    let req: FileDisputeRequest = parse_json(&headers, &body)?;
    let d = state.services.file_dispute(&me, id, &req.reason).await?;
    Ok((
        StatusCode::CREATED,
        Json(DisputeDto::of(&d, state.services.clock.now())),
    ))
}

/// Disputes: the vendor's staff see every one, partner staff their
/// partner's.
#[utoipa::path(get, path = "/api/v1/disputes", tag = "partner-changes", params(DisputeQuery),
    responses((status = 200, body = DisputeListResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list(
    State(state): State<AppState>,
    Caller(me): Caller,
    Query(q): Query<DisputeQuery>,
) -> ApiResult<Json<DisputeListResponse>> {
    let items = state
        .services
        .disputes(&me, q.open.unwrap_or(false))
        .await?;
    let now = state.services.clock.now();
    Ok(Json(DisputeListResponse {
        items: items.iter().map(|d| DisputeDto::of(d, now)).collect(),
    }))
}

/// One dispute.
#[utoipa::path(get, path = "/api/v1/disputes/{id}", tag = "partner-changes",
    params(("id" = uuid::Uuid, Path, description = "Dispute id")),
    responses((status = 200, body = DisputeDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn get_one(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<DisputeDto>> {
    let d = state.services.dispute(&me, dispute_id(&raw)?).await?;
    Ok(Json(DisputeDto::of(&d, state.services.clock.now())))
}

/// Lets a disputed change proceed (support agents, operators): the worker
/// applies it at its next round, R8 checked again.
#[utoipa::path(post, path = "/api/v1/disputes/{id}/release", tag = "partner-changes",
    request_body = DecideDisputeRequest,
    params(("id" = uuid::Uuid, Path, description = "Dispute id")),
    responses((status = 200, body = DisputeDto),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Decided already, or the change withdrawn", body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn release(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    Path(raw): Path<String>,
    body: Bytes,
) -> ApiResult<Json<DisputeDto>> {
    let id = dispute_id(&raw)?;
    let req: DecideDisputeRequest = parse_json(&headers, &body)?;
    let d = state.services.release_dispute(&me, id, &req.note).await?;
    Ok(Json(DisputeDto::of(&d, state.services.clock.now())))
}

/// Upholds a dispute (support agents, operators): the change is rejected
/// with `dispute_upheld` and the note, which the customer reads.
#[utoipa::path(post, path = "/api/v1/disputes/{id}/uphold", tag = "partner-changes",
    request_body = DecideDisputeRequest,
    params(("id" = uuid::Uuid, Path, description = "Dispute id")),
    responses((status = 200, body = DisputeDto),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Decided already, or the change withdrawn", body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The note is missing or too long", body = Problem, content_type = "application/problem+json")))]
async fn uphold(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    Path(raw): Path<String>,
    body: Bytes,
) -> ApiResult<Json<DisputeDto>> {
    let id = dispute_id(&raw)?;
    let req: DecideDisputeRequest = parse_json(&headers, &body)?;
    let d = state.services.uphold_dispute(&me, id, &req.note).await?;
    Ok(Json(DisputeDto::of(&d, state.services.clock.now())))
}
