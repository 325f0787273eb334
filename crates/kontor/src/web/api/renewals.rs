//! Change at renewal (#22): the partner named for an agreement's next
//! renewal — read, name or replace, withdraw.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use kontor_core::domain::ids::Csn;
use kontor_core::domain::renewal::RenewalStatus;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::agreements::number;
use crate::web::AppState;
use crate::web::dto::{NameRenewalPartnerRequest, RenewalPartnerDto, RenewalPartnerResponse};
use crate::web::error::{ApiError, ApiResult, Problem};
use crate::web::extract::{Caller, parse_json};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read, name, withdraw))
}

/// Whether a partner can be named for the agreement's next renewal, the one
/// named now and every naming. The partner named sees its own naming.
#[utoipa::path(get, path = "/api/v1/agreements/{number}/renewal-partner", tag = "agreements",
    params(("number" = String, Path, pattern = r"^(?:[ -]*[0-9]){12}(?:(?:[ -]*[0-9]){2})?[ -]*$", description = "Agreement number")),
    responses((status = 200, body = RenewalPartnerResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn read(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<RenewalPartnerResponse>> {
    let n = number(&raw)?;
    let (s, items) = state.services.renewal_partners(&me, &n).await?;
    Ok(Json(RenewalPartnerResponse {
        agreement: n.to_string(),
        change_at_renewal: (&state.services.renewal_option_of(&me, &s)).into(),
        scheduled: items
            .iter()
            .find(|i| i.status == RenewalStatus::Scheduled)
            .map(Into::into),
        items: items.iter().map(Into::into).collect(),
    }))
}

/// Names the partner for the agreement's next renewal (an admin of the
/// account), replacing one named before. Where the change cannot be made
/// now because the agreement renews automatically, ends within the expiry
/// window or is a subscription (R3, R4); R5 holds for the partner now and
/// again at the renewal. Naming the same partner again changes nothing.
#[utoipa::path(put, path = "/api/v1/agreements/{number}/renewal-partner", tag = "agreements",
    request_body = NameRenewalPartnerRequest,
    params(("number" = String, Path, pattern = r"^(?:[ -]*[0-9]){12}(?:(?:[ -]*[0-9]){2})?[ -]*$", description = "Agreement number")),
    responses((status = 200, body = RenewalPartnerDto),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A change is open, or the naming changed meanwhile", body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input, not available (every reason) or R5", body = Problem, content_type = "application/problem+json")))]
async fn name(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    Path(raw): Path<String>,
    body: Bytes,
) -> ApiResult<Json<RenewalPartnerDto>> {
    let n = number(&raw)?;
    let req: NameRenewalPartnerRequest = parse_json(&headers, &body)?;
    let partner = Csn::parse(&req.new_partner).map_err(|e| ApiError::field(e.at("new_partner")))?;
    let named = state
        .services
        .name_renewal_partner(&me, &n, &partner)
        .await?;
    Ok(Json((&named).into()))
}

/// Withdraws the partner named for the agreement's next renewal: any
/// admin of the account, or an operator. The current partner stays.
#[utoipa::path(delete, path = "/api/v1/agreements/{number}/renewal-partner", tag = "agreements",
    params(("number" = String, Path, pattern = r"^(?:[ -]*[0-9]){12}(?:(?:[ -]*[0-9]){2})?[ -]*$", description = "Agreement number")),
    responses((status = 200, body = RenewalPartnerDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No partner is named for the renewal", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn withdraw(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<RenewalPartnerDto>> {
    let n = number(&raw)?;
    let withdrawn = state.services.withdraw_renewal_partner(&me, &n).await?;
    Ok(Json((&withdrawn).into()))
}
