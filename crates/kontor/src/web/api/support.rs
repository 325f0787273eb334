//! Support cases: change only one of several partners (R6), and
//! questions for support (#20).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use kontor_core::domain::support::{CaseMessage, SupportCase};
use kontor_core::service::support::NewCase;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::agreements::number_in;
use crate::web::AppState;
use crate::web::dto::rfc3339;
use crate::web::error::{ApiResult, Problem};
use crate::web::extract::{Caller, parse_json};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open, list))
        .routes(routes!(get_one))
        .routes(routes!(resolve))
        .routes(routes!(messages, reply))
}

/// Ask support to replace one partner of a multi-partner agreement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenCaseRequest {
    /// Agreement number.
    #[schema(pattern = r"^(?:[ -]*[0-9]){12}(?:(?:[ -]*[0-9]){2})?[ -]*$")]
    pub agreement: String,
    /// CSN of the partner to replace (one of the agreement's partners).
    #[schema(pattern = r"^(?:[ -]*[0-9]){10}[ -]*$")]
    pub replace_partner: String,
    /// CSN of the partner to put in its place.
    #[schema(pattern = r"^(?:[ -]*[0-9]){10}[ -]*$")]
    pub new_partner: String,
    /// A message for support (up to 2000 characters).
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub message: String,
}

/// A support case.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupportCaseDto {
    /// Case id.
    pub id: String,
    /// `replace_partner` (replace one of several partners, R6) or
    /// `question` (a question for support, e.g. handed over by the help
    /// assistant).
    pub topic: String,
    /// Account CSN.
    pub account: String,
    /// Agreement number, if the case is about one.
    pub agreement: Option<String>,
    /// Partner to replace (`replace_partner` cases).
    pub replace_partner: Option<String>,
    /// Partner to put in its place (`replace_partner` cases).
    pub new_partner: Option<String>,
    /// The opening message (for a hand-off, the conversation with the
    /// assistant).
    pub message: String,
    /// `open` or `resolved`.
    pub status: String,
    /// Whose turn it is while open: `support` or `customer`.
    pub waiting_on: String,
    /// The support level whose first-response target applies.
    pub support_level: Option<String>,
    /// When support's first response is due (RFC 3339).
    pub respond_by: Option<String>,
    /// When support first answered (RFC 3339): its first reply, or the
    /// resolution when it came first.
    pub first_response_at: Option<String>,
    /// When the case is to be resolved (RFC 3339), by the support level.
    pub resolve_by: Option<String>,
    /// Where the case stands against its deadlines now: `on_track`,
    /// `due_soon` (less than a quarter of the target left),
    /// `response_overdue`, `resolution_overdue`, or once resolved `met` or
    /// `missed`; none for a case without deadlines.
    #[schema(pattern = "^(on_track|due_soon|response_overdue|resolution_overdue|met|missed)$")]
    pub sla_state: Option<String>,
    /// Opened at (RFC 3339).
    pub created_at: String,
    /// Resolved at (RFC 3339).
    pub resolved_at: Option<String>,
}

impl SupportCaseDto {
    /// `c` as the API shows it at `now`.
    pub fn of(c: &SupportCase, now: time::OffsetDateTime) -> Self {
        SupportCaseDto {
            id: c.id.to_string(),
            topic: c.topic().as_str().into(),
            account: c.account.to_string(),
            agreement: c.agreement.as_ref().map(ToString::to_string),
            replace_partner: c.replace_partner.as_ref().map(ToString::to_string),
            new_partner: c.new_partner.as_ref().map(ToString::to_string),
            message: c.message.clone(),
            status: c.status.as_str().into(),
            waiting_on: c.waiting_on.as_str().into(),
            support_level: c.support_level.map(|l| l.as_str().into()),
            respond_by: c.respond_by.map(rfc3339),
            first_response_at: c.progress().responded_at().map(rfc3339),
            resolve_by: c.resolve_by.map(rfc3339),
            sla_state: c.sla_state(now).map(|s| s.as_str().into()),
            created_at: rfc3339(c.created_at),
            resolved_at: c.resolved_at.map(rfc3339),
        }
    }
}

/// One reply in a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseMessageDto {
    /// Reply id.
    pub id: String,
    /// The author's name.
    pub author: String,
    /// `customer` or `support`.
    pub side: String,
    /// What they wrote.
    pub body: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// A case's replies, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseMessageList {
    /// The replies.
    pub items: Vec<CaseMessageDto>,
}

impl From<&CaseMessage> for CaseMessageDto {
    fn from(m: &CaseMessage) -> Self {
        CaseMessageDto {
            id: m.id.to_string(),
            author: m.author_name.clone(),
            side: m.side.as_str().into(),
            body: m.body.clone(),
            created_at: rfc3339(m.created_at),
        }
    }
}

/// A reply.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyRequest {
    /// The text, 1–5000 characters, not only spaces.
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub body: String,
}

/// Support cases: all newest first, or the open ones (the support queue)
/// the deadline to meet next first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupportCaseListResponse {
    /// The cases.
    pub items: Vec<SupportCaseDto>,
}

/// List filter.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// `true` for open cases only, the deadline to meet next first (the
    /// support queue); `false` or empty (as forms send it) for all, newest
    /// first.
    #[param(value_type = Option<String>, pattern = "^(true|false)?$")]
    pub open: Option<bool>,
}

fn case_id(raw: &str) -> ApiResult<uuid::Uuid> {
    super::path_id(raw, "support-case", "expected a support case id (UUID)")
}

/// Opens a case asking support to replace one of several partners (R6).
#[utoipa::path(post, path = "/api/v1/support-cases", tag = "support", request_body = OpenCaseRequest,
    responses((status = 201, body = SupportCaseDto),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn open(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<SupportCaseDto>)> {
    let req: OpenCaseRequest = parse_json(&headers, &body)?;
    let agreement = number_in(&req.agreement, "agreement")?;
    let input = NewCase {
        agreement,
        replace_partner: req.replace_partner,
        new_partner: req.new_partner,
        message: req.message,
    };
    let case = state.services.open_case(&me, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(SupportCaseDto::of(&case, state.services.clock.now())),
    ))
}

/// Cases the caller may see: an account's admins theirs, vendor staff all.
#[utoipa::path(get, path = "/api/v1/support-cases", tag = "support", params(CaseQuery),
    responses((status = 200, body = SupportCaseListResponse),
        (status = 422, description = "A parameter is not in its documented form", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn list(
    State(state): State<AppState>,
    Caller(me): Caller,
    Query(q): Query<CaseQuery>,
) -> ApiResult<Json<SupportCaseListResponse>> {
    let cases = state
        .services
        .support_cases(&me, q.open.unwrap_or(false))
        .await?;
    let now = state.services.clock.now();
    Ok(Json(SupportCaseListResponse {
        items: cases.iter().map(|c| SupportCaseDto::of(c, now)).collect(),
    }))
}

/// One support case.
#[utoipa::path(get, path = "/api/v1/support-cases/{id}", tag = "support",
    params(("id" = uuid::Uuid, Path, description = "Case id")),
    responses((status = 200, body = SupportCaseDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn get_one(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<SupportCaseDto>> {
    let case = state.services.support_case(&me, case_id(&raw)?).await?;
    Ok(Json(SupportCaseDto::of(&case, state.services.clock.now())))
}

/// A support agent replaces the single partner the case names (R6).
#[utoipa::path(post, path = "/api/v1/support-cases/{id}/resolve", tag = "support",
    params(("id" = uuid::Uuid, Path, description = "Case id")),
    responses((status = 200, body = SupportCaseDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn resolve(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<SupportCaseDto>> {
    let case = state.services.resolve_case(&me, case_id(&raw)?).await?;
    Ok(Json(SupportCaseDto::of(&case, state.services.clock.now())))
}

/// The replies in a case, oldest first (the message it was opened with is
/// the case's `message`).
#[utoipa::path(get, path = "/api/v1/support-cases/{id}/messages", tag = "support",
    params(("id" = uuid::Uuid, Path, description = "Case id")),
    responses((status = 200, body = CaseMessageList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn messages(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<CaseMessageList>> {
    let (_, messages) = state
        .services
        .case_conversation(&me, case_id(&raw)?)
        .await?;
    Ok(Json(CaseMessageList {
        items: messages.iter().map(Into::into).collect(),
    }))
}

/// Replies in an open case: the account's admins for the customer,
/// support agents and operators for support. The other side is mailed;
/// the case then waits on them. Audited as `support_case_replied`.
#[utoipa::path(post, path = "/api/v1/support-cases/{id}/messages", tag = "support",
    params(("id" = uuid::Uuid, Path, description = "Case id")),
    request_body = ReplyRequest,
    responses((status = 201, body = CaseMessageDto),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is resolved", body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn reply(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<CaseMessageDto>)> {
    let id = case_id(&raw)?;
    let req: ReplyRequest = parse_json(&headers, &body)?;
    let message = state.services.reply_to_case(&me, id, &req.body).await?;
    Ok((StatusCode::CREATED, Json(CaseMessageDto::from(&message))))
}
