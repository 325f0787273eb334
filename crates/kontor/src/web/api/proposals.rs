//! The vendor proposes a new partner (#22 point 7): to the customers of a
//! partner it deactivates or whose customers it moves.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use kontor_core::domain::ids::Csn;
use kontor_core::domain::proposal::{Proposal, ProposalAccount};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::web::AppState;
use crate::web::dto::rfc3339;
use crate::web::error::{ApiError, ApiResult, Problem};
use crate::web::extract::{Caller, parse_json};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get_one))
        .routes(routes!(remind))
}

/// Whom to propose instead of whom.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeRequest {
    /// CSN of the partner being replaced (10 digits).
    #[schema(pattern = r"^(?:[ -]*[0-9]){10}[ -]*$")]
    pub from_partner: String,
    /// CSN of the partner proposed instead (10 digits): active, not the
    /// replaced one.
    #[schema(pattern = r"^(?:[ -]*[0-9]){10}[ -]*$")]
    pub to_partner: String,
}

/// One account of a proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalAccountDto {
    /// The customer account.
    pub account: String,
    /// Its agreements the replaced partner served when it was proposed.
    pub agreements: Vec<String>,
    /// `changed` (none is served by the replaced partner any more),
    /// `requested` (a change or renewal naming is open, or some changed) or
    /// `none`.
    #[schema(pattern = "^(changed|requested|none)$")]
    pub progress: String,
    /// When its admins were mailed (RFC 3339).
    pub mailed_at: String,
    /// When they were last reminded (RFC 3339).
    pub reminded_at: Option<String>,
    /// How often they were reminded.
    pub reminders: i64,
}

/// A proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalDto {
    /// Proposal id.
    pub id: String,
    /// The partner being replaced.
    pub from_partner: String,
    /// The partner proposed.
    pub to_partner: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// Each account, when read one by one (empty in the list).
    pub accounts: Vec<ProposalAccountDto>,
}

impl ProposalDto {
    fn of(p: &Proposal, accounts: &[ProposalAccount]) -> Self {
        ProposalDto {
            id: p.id.to_string(),
            from_partner: p.from_partner.to_string(),
            to_partner: p.to_partner.to_string(),
            created_at: rfc3339(p.created_at),
            accounts: accounts
                .iter()
                .map(|a| ProposalAccountDto {
                    account: a.account.to_string(),
                    agreements: a.agreements.iter().map(ToString::to_string).collect(),
                    progress: a.progress.as_str().into(),
                    mailed_at: rfc3339(a.mailed_at),
                    reminded_at: a.reminded_at.map(rfc3339),
                    reminders: a.reminders,
                })
                .collect(),
        }
    }
}

/// Proposals, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalList {
    /// The proposals.
    pub items: Vec<ProposalDto>,
}

/// Reminded accounts.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reminded {
    /// How many accounts that had not acted were mailed again.
    pub reminded: usize,
}

fn proposal_id(raw: &str) -> ApiResult<uuid::Uuid> {
    super::path_id(raw, "proposal", "expected a proposal id (UUID)")
}

fn csn(raw: &str, field: &str) -> ApiResult<Csn> {
    Csn::parse(raw).map_err(|e| ApiError::field(e.at(field)))
}

/// Proposes a partner to the customers of another (operators): the admins
/// of every account the replaced partner serves now are mailed once, with
/// the proposed partner's name, CSN and city and a link that opens the
/// change with it found. One proposal per replaced partner.
#[utoipa::path(post, path = "/api/v1/partner-proposals", tag = "partners",
    request_body = ProposeRequest,
    responses((status = 201, body = ProposalDto),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A partner was proposed for this one's customers already (`proposal_exists`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A partner unknown, inactive or the same", body = Problem, content_type = "application/problem+json")))]
async fn create(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<ProposalDto>)> {
    let req: ProposeRequest = parse_json(&headers, &body)?;
    let from = csn(&req.from_partner, "from_partner")?;
    let to = csn(&req.to_partner, "to_partner")?;
    let (p, accounts) = state.services.propose_partner(&me, &from, &to).await?;
    Ok((StatusCode::CREATED, Json(ProposalDto::of(&p, &accounts))))
}

/// Every proposal, newest first (the vendor's staff).
#[utoipa::path(get, path = "/api/v1/partner-proposals", tag = "partners",
    responses((status = 200, body = ProposalList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn list(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<Json<ProposalList>> {
    let items = state.services.proposals(&me).await?;
    Ok(Json(ProposalList {
        items: items.iter().map(|p| ProposalDto::of(p, &[])).collect(),
    }))
}

/// One proposal with each account and whether it has acted (the vendor's
/// staff).
#[utoipa::path(get, path = "/api/v1/partner-proposals/{id}", tag = "partners",
    params(("id" = uuid::Uuid, Path, description = "Proposal id")),
    responses((status = 200, body = ProposalDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn get_one(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<ProposalDto>> {
    let (p, accounts) = state.services.proposal(&me, proposal_id(&raw)?).await?;
    Ok(Json(ProposalDto::of(&p, &accounts)))
}

/// Mails the proposal again to the accounts that have not acted on it
/// (operators).
#[utoipa::path(post, path = "/api/v1/partner-proposals/{id}/remind", tag = "partners",
    params(("id" = uuid::Uuid, Path, description = "Proposal id")),
    responses((status = 200, body = Reminded),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn remind(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Reminded>> {
    let reminded = state
        .services
        .remind_proposal(&me, proposal_id(&raw)?)
        .await?;
    Ok(Json(Reminded { reminded }))
}
