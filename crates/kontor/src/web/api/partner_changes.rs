//! Partner change requests: submit, preview, bulk, list, get, withdraw (R4–R9),
//! and the new partner's answer under the acceptance policy.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kontor_core::FieldError;
use kontor_core::domain::change_request::{RequestId, RequestStatus};
use kontor_core::domain::eligibility::check_new_partner;
use kontor_core::domain::ids::{AgreementNumber, Csn};
use kontor_core::domain::roles::{Actor, Lang};
use kontor_core::store::RequestFilter;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::agreements::number;
use super::{Page, next_cursor};
use crate::web::AppState;
use crate::web::dto::{
    BulkItemResult, BulkRequest, BulkResponse, ChangeRequestDto, ChangeRequestListResponse,
    DisputeDto, PreviewRequest, ReasonDto, SubmitRequest,
};
use crate::web::error::{ApiError, ApiResult, Problem};
use crate::web::extract::{Caller, lang_for, parse_json};
use crate::web::idempotency::{idempotent, key_of};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(submit, list))
        .routes(routes!(preview))
        .routes(routes!(bulk))
        .routes(routes!(get_one))
        .routes(routes!(withdraw))
        .routes(routes!(accept))
        .routes(routes!(decline))
}

/// Most agreements in one preview or bulk call.
const MAX_BULK: usize = 500;

fn new_partner(raw: &str) -> ApiResult<Csn> {
    Csn::parse(raw).map_err(|e| ApiError::field(e.at("new_partner")))
}

pub(super) fn request_id(raw: &str) -> ApiResult<RequestId> {
    uuid::Uuid::parse_str(raw).map(RequestId).map_err(|_| {
        ApiError::field(super::expected_uuid(
            "id",
            "request",
            "expected a request id (UUID)",
        ))
    })
}

async fn submit_one(
    state: &AppState,
    me: &Actor,
    lang: Lang,
    agreement: &str,
    partner: &Csn,
    idempotency_key: Option<&str>,
) -> ApiResult<ChangeRequestDto> {
    let n = AgreementNumber::parse(agreement).map_err(|e| ApiError::field(e.at("agreement")))?;
    let window = state.services.policy.expiry_window_days;
    let r = state
        .services
        .submit(me, &n, partner, idempotency_key)
        .await
        .map_err(|e| ApiError::localized(e, lang, window))?;
    Ok(ChangeRequestDto::from(&r))
}

/// Requests a partner change for one contract. Answers 202 with the pending
/// request and its expected completion time. Send an `Idempotency-Key` to
/// retry safely: the same key and body replay the first response.
#[utoipa::path(post, path = "/api/v1/partner-changes", tag = "partner-changes", request_body = SubmitRequest,
    params(("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "Makes retries safe (R7): 1–255 visible ASCII characters")),
    responses((status = 202, body = ChangeRequestDto),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A change is already pending (R7), or the key is in flight", body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input (R2, R5) or not eligible (R3, R4) with every reason", body = Problem, content_type = "application/problem+json")))]
async fn submit(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    idempotent(
        &state,
        &me,
        &headers,
        "POST /api/v1/partner-changes",
        &body,
        || async {
            let run = async {
                let req: SubmitRequest = parse_json(&headers, &body)?;
                let partner = new_partner(&req.new_partner)?;
                submit_one(
                    &state,
                    &me,
                    lang_for(&headers, &me),
                    &req.agreement,
                    &partner,
                    key_of(&headers).and_then(Result::ok),
                )
                .await
            };
            match run.await {
                Ok(dto) => (StatusCode::ACCEPTED, Json(dto)).into_response(),
                Err(e) => e.into_response(),
            }
        },
    )
    .await
}

fn check_bulk_size(agreements: &[String]) -> ApiResult<()> {
    if agreements.is_empty() || agreements.len() > MAX_BULK {
        return Err(ApiError::field(kontor_core::FieldError::coded(
            "agreements",
            "expected-agreement-count",
            vec![("max", MAX_BULK.to_string())],
            format!("expected 1–{MAX_BULK} agreement numbers"),
        )));
    }
    Ok(())
}

fn error_item(agreement: String, e: ApiError) -> BulkItemResult {
    BulkItemResult {
        agreement,
        status: e.0.status,
        eligible: None,
        reasons: Vec::new(),
        request: None,
        error: Some(*e.0),
    }
}

/// Eligibility for many agreements at once, each with its own result. With
/// `new_partner`, the partner is checked too (R5).
#[utoipa::path(post, path = "/api/v1/partner-changes/preview", tag = "partner-changes", request_body = PreviewRequest,
    responses((status = 200, body = BulkResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn preview(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<BulkResponse>> {
    let req: PreviewRequest = parse_json(&headers, &body)?;
    check_bulk_size(&req.agreements)?;
    let partner_csn = req.new_partner.as_deref().map(new_partner).transpose()?;
    let partner = match &partner_csn {
        Some(c) => state.services.partner(c).await?,
        None => None,
    };
    let lang = lang_for(&headers, &me);
    let window = state.services.policy.expiry_window_days;
    let mut results = Vec::with_capacity(req.agreements.len());
    for raw in req.agreements {
        let n = match number(&raw) {
            Ok(n) => n,
            Err(e) => {
                results.push(error_item(raw, e));
                continue;
            }
        };
        match state.services.eligibility(&me, &n).await {
            Ok((s, e)) => {
                let mut reasons: Vec<ReasonDto> = e
                    .reasons
                    .iter()
                    .map(|r| ReasonDto::new(r, lang, window))
                    .collect();
                if let Some(c) = &partner_csn
                    && let Err(p) = check_new_partner(&s.agreement.partners, c, partner.as_ref())
                {
                    reasons.push(BulkItemResult::partner_reason(p.code(), lang, window));
                }
                results.push(BulkItemResult {
                    agreement: raw,
                    status: 200,
                    eligible: Some(reasons.is_empty()),
                    reasons,
                    request: None,
                    error: None,
                });
            }
            Err(e) => results.push(error_item(raw, e.into())),
        }
    }
    Ok(Json(BulkResponse { results }))
}

/// Submits a partner change for many agreements, each with its own result
/// (202 with the request, or the problem). Honours `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/partner-changes/bulk", tag = "partner-changes", request_body = BulkRequest,
    params(("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "Makes retries safe (R7): 1–255 visible ASCII characters")),
    responses((status = 200, body = BulkResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn bulk(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    idempotent(
        &state,
        &me,
        &headers,
        "POST /api/v1/partner-changes/bulk",
        &body,
        || async {
            let run = async {
                let req: BulkRequest = parse_json(&headers, &body)?;
                check_bulk_size(&req.agreements)?;
                let partner = new_partner(&req.new_partner)?;
                let lang = lang_for(&headers, &me);
                // Each item's request carries the bulk call's key (apart
                // from single submits' keys): a retry of a bulk call cut
                // off midway gets the requests it made back.
                let key = key_of(&headers)
                    .and_then(Result::ok)
                    .map(|k| format!("bulk {k}"));
                let mut results = Vec::with_capacity(req.agreements.len());
                let mut seen = std::collections::HashSet::new();
                for raw in req.agreements {
                    // An agreement listed twice is a conflict within this
                    // call (R7), not a retry of an earlier one.
                    let first = AgreementNumber::parse(&raw).is_ok_and(|n| seen.insert(n));
                    let key = key.as_deref().filter(|_| first);
                    match submit_one(&state, &me, lang, &raw, &partner, key).await {
                        Ok(dto) => results.push(BulkItemResult {
                            agreement: raw,
                            status: 202,
                            eligible: None,
                            reasons: Vec::new(),
                            request: Some(dto),
                            error: None,
                        }),
                        Err(e) => results.push(error_item(raw, e)),
                    }
                }
                Ok::<_, ApiError>(BulkResponse { results })
            };
            match run.await {
                Ok(r) => Json(r).into_response(),
                Err(e) => e.into_response(),
            }
        },
    )
    .await
}

/// Filters of the request list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this status.
    #[param(pattern = "^(awaiting_partner|pending|applied|rejected|withdrawn|declined|expired)?$")]
    pub status: Option<String>,
    /// Only this agreement.
    #[param(pattern = r"^(?:(?:[ -]*[0-9]){12}(?:(?:[ -]*[0-9]){2})?[ -]*)?$")]
    pub agreement: Option<String>,
    /// Only requests moving agreements to this partner (CSN): a partner's
    /// incoming changes.
    #[param(pattern = r"^(?:(?:[ -]*[0-9]){10}[ -]*)?$")]
    pub new_partner: Option<String>,
    /// Only requests replacing this partner (CSN): a partner's outgoing
    /// changes.
    #[param(pattern = r"^(?:(?:[ -]*[0-9]){10}[ -]*)?$")]
    pub old_partner: Option<String>,
}

/// A CSN query parameter, named in its error.
fn csn_param(field: &str, raw: Option<&str>) -> ApiResult<Option<Csn>> {
    raw.filter(|r| !r.trim().is_empty())
        .map(|r| Csn::parse(r).map_err(|e| ApiError::field(e.at(field))))
        .transpose()
}

/// Requests the caller may see, newest first: a customer's own, a partner's
/// incoming and outgoing ones, everything for vendor staff.
#[utoipa::path(get, path = "/api/v1/partner-changes", tag = "partner-changes", params(ListQuery, Page, ("cursor" = Option<String>, Query, pattern = r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$", description = "The previous page's `next_cursor`")),
    responses((status = 200, body = ChangeRequestListResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list(
    State(state): State<AppState>,
    Caller(me): Caller,
    Query(q): Query<ListQuery>,
    Query(page): Query<Page>,
) -> ApiResult<Json<ChangeRequestListResponse>> {
    let status = q
        .status
        .as_deref()
        .map(|s| {
            RequestStatus::parse(s).ok_or_else(|| {
                ApiError::field(super::expected_one_of(
                    "status",
                    &RequestStatus::expected(),
                    format!("expected one of: {}", RequestStatus::expected()),
                ))
            })
        })
        .transpose()?;
    let agreement = q
        .agreement
        .as_deref()
        .map(|a| {
            AgreementNumber::parse(a).map_err(|e| {
                ApiError::field(FieldError::coded(
                    "agreement",
                    e.code,
                    Vec::new(),
                    AgreementNumber::EXPECTED,
                ))
            })
        })
        .transpose()?;
    let new_partner = csn_param("new_partner", q.new_partner.as_deref())?;
    let old_partner = csn_param("old_partner", q.old_partner.as_deref())?;
    let limit = page.limit()?;
    let before = page.cursor(|c| uuid::Uuid::parse_str(c).ok())?;
    let items = state
        .services
        .requests(
            &me,
            &RequestFilter {
                status,
                agreement,
                new_partner,
                old_partner,
                before,
                limit,
            },
        )
        .await?;
    let next_cursor = next_cursor(&items, limit, |r| r.id.to_string());
    Ok(Json(ChangeRequestListResponse {
        items: items.iter().map(Into::into).collect(),
        next_cursor,
    }))
}

/// One request with its status and expected completion time.
#[utoipa::path(get, path = "/api/v1/partner-changes/{id}", tag = "partner-changes",
    params(("id" = uuid::Uuid, Path, description = "Request id")),
    responses((status = 200, body = ChangeRequestDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn get_one(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<ChangeRequestDto>> {
    let r = state.services.request(&me, request_id(&raw)?).await?;
    let dispute = state.services.dispute_of(&me, &r).await?;
    let now = state.services.clock.now();
    Ok(Json(ChangeRequestDto {
        dispute: dispute.map(|d| DisputeDto::of(&d, now)),
        ..ChangeRequestDto::from(&r)
    }))
}

/// Withdraws a pending request (R9): the requester or another admin of the account.
#[utoipa::path(post, path = "/api/v1/partner-changes/{id}/withdraw", tag = "partner-changes",
    params(("id" = uuid::Uuid, Path, description = "Request id")),
    responses((status = 200, body = ChangeRequestDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already applied, rejected or withdrawn", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn withdraw(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<ChangeRequestDto>> {
    let r = state.services.withdraw(&me, request_id(&raw)?).await?;
    Ok(Json(ChangeRequestDto::from(&r)))
}

/// The new partner accepts a request awaiting its answer (acceptance
/// policy): it becomes `pending` and is processed after the processing delay.
#[utoipa::path(post, path = "/api/v1/partner-changes/{id}/accept", tag = "partner-changes",
    params(("id" = uuid::Uuid, Path, description = "Request id")),
    responses((status = 200, body = ChangeRequestDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the new partner", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not awaiting the partner's answer", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn accept(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<ChangeRequestDto>> {
    let r = state.services.accept(&me, request_id(&raw)?).await?;
    Ok(Json(ChangeRequestDto::from(&r)))
}

/// The new partner declines a request awaiting its answer (acceptance
/// policy): it ends `declined` and nothing changes.
#[utoipa::path(post, path = "/api/v1/partner-changes/{id}/decline", tag = "partner-changes",
    params(("id" = uuid::Uuid, Path, description = "Request id")),
    responses((status = 200, body = ChangeRequestDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the new partner", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not awaiting the partner's answer", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn decline(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<ChangeRequestDto>> {
    let r = state.services.decline(&me, request_id(&raw)?).await?;
    Ok(Json(ChangeRequestDto::from(&r)))
}
