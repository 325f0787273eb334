//! `GET /api/v1/partners/{csn}`: the lookup step of the wizard.

use axum::Json;
use axum::extract::{Path, State};
use kontor_core::domain::ids::Csn;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::web::AppState;
use crate::web::dto::PartnerDto;
use crate::web::error::{ApiError, ApiResult, Problem};
use crate::web::extract::Caller;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(lookup))
}

/// Looks a partner up by CSN: name, city, country and status.
#[utoipa::path(get, path = "/api/v1/partners/{csn}", tag = "partners",
    params(("csn" = String, Path, pattern = r"^(?:[ -]*[0-9]){10}[ -]*$", description = "Partner CSN (10 digits; spaces and dashes ignored)")),
    responses((status = 200, body = PartnerDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn lookup(
    State(state): State<AppState>,
    _caller: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<PartnerDto>> {
    let csn = Csn::parse(&raw).map_err(|e| ApiError::field(e.at("csn")))?;
    let p = state.services.lookup_partner(&csn).await?;
    Ok(Json(PartnerDto::from(&p)))
}
