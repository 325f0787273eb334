//! Agreements: list, detail, partner history, eligibility (R1, R3, R4).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use kontor_core::FieldError;
use kontor_core::domain::agreement::AgreementStatus;
use kontor_core::domain::ids::{AgreementKind, AgreementNumber, Csn};
use kontor_core::store::AgreementFilter;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Format, Page, next_cursor};
use crate::web::AppState;
use crate::web::csv::{Columns, history_csv};
use crate::web::dto::{
    AgreementDto, AgreementListResponse, EligibilityResponse, HistoryEntryDto,
    PartnerHistoryResponse,
};
use crate::web::error::{ApiError, ApiResult, Problem};
use crate::web::extract::{AcceptLanguage, Caller};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
        .routes(routes!(history))
        .routes(routes!(eligibility))
}

/// Parses an agreement number from the path (R2).
pub fn number(raw: &str) -> ApiResult<AgreementNumber> {
    number_in(raw, "number")
}

/// An agreement number given as `field` (a body's `agreement`); a
/// malformed one is a 422 naming that field (R2).
pub fn number_in(raw: &str, field: &str) -> ApiResult<AgreementNumber> {
    AgreementNumber::parse(raw).map_err(|e| ApiError::field(e.at(field)))
}

/// Filters of the agreement list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `contract` or `subscription`.
    #[param(pattern = "^(contract|subscription)?$")]
    pub kind: Option<String>,
    /// `active`, `expired`, `canceled` or `suspended`.
    #[param(pattern = "^(active|expired|canceled|suspended)?$")]
    pub status: Option<String>,
    /// Partner CSN: only agreements it serves.
    #[param(pattern = r"^(?:(?:[ -]*[0-9]){10}[ -]*)?$")]
    pub partner: Option<String>,
    /// A number (prefix; spaces and dashes allowed), a product name, or a current partner's name or CSN.
    pub q: Option<String>,
}

/// The list's filters, well-formed.
struct Filters {
    kind: Option<AgreementKind>,
    status: Option<AgreementStatus>,
    partner: Option<Csn>,
}

impl ListQuery {
    /// The filters given, or every malformed one named.
    fn filters(&self) -> Result<Filters, Vec<FieldError>> {
        let mut errors = Vec::new();
        let filters = Filters {
            kind: optional(
                &mut errors,
                "kind",
                &self.kind,
                ("contract or subscription", one_of("contract, subscription")),
                AgreementKind::parse,
            ),
            status: optional(
                &mut errors,
                "status",
                &self.status,
                (
                    "active, expired, canceled or suspended",
                    one_of("active, expired, canceled, suspended"),
                ),
                AgreementStatus::parse,
            ),
            partner: optional(
                &mut errors,
                "partner",
                &self.partner,
                (Csn::EXPECTED, (Csn::CODE, Vec::new())),
                |p| Csn::parse(p).ok(),
            ),
        };
        if self.q.as_ref().is_some_and(|t| t.chars().count() > 100) {
            errors.push(FieldError::coded(
                "q",
                "text-too-long",
                vec![("max", "100".into())],
                "expected at most 100 characters",
            ));
        }
        if errors.is_empty() {
            Ok(filters)
        } else {
            Err(errors)
        }
    }
}

/// A message's key in the translations and its arguments.
type Words = (&'static str, Vec<(&'static str, String)>);

fn one_of(list: &str) -> Words {
    ("expected-one-of", vec![("list", list.to_owned())])
}

/// `raw` parsed when given; when it does not parse, `None` and an error
/// naming `field` with what was `expected` (in English, and its words).
fn optional<T>(
    errors: &mut Vec<FieldError>,
    field: &str,
    raw: &Option<String>,
    (expected, (code, args)): (&str, Words),
    parse: impl FnOnce(&str) -> Option<T>,
) -> Option<T> {
    let parsed = parse(raw.as_deref()?);
    if parsed.is_none() {
        errors.push(FieldError::coded(
            field,
            code,
            args,
            format!("expected {expected}"),
        ));
    }
    parsed
}

/// Agreements the caller may see (R1), ordered by number.
#[utoipa::path(get, path = "/api/v1/agreements", tag = "agreements", params(ListQuery, Page, ("cursor" = Option<String>, Query, pattern = r"^([0-9]{12}|[0-9]{14})?$", description = "The previous page's `next_cursor`")),
    responses((status = 200, body = AgreementListResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list(
    State(state): State<AppState>,
    Caller(me): Caller,
    Query(q): Query<ListQuery>,
    Query(page): Query<Page>,
) -> ApiResult<Json<AgreementListResponse>> {
    let filters = q.filters();
    let limit = page.limit()?;
    let after = page.cursor(|c| number(c).ok())?;
    let Filters {
        kind,
        status,
        partner,
    } = filters.map_err(ApiError::invalid)?;
    let filter = AgreementFilter {
        kind,
        status,
        partner,
        q: q.q,
        after,
        limit,
        ..AgreementFilter::default()
    };
    let items = state.services.agreements(&me, &filter).await?;
    let now = state.services.clock.now();
    let next_cursor = next_cursor(&items, limit, |a| a.number.to_string());
    Ok(Json(AgreementListResponse {
        items: items
            .iter()
            .map(|a| AgreementDto::new(a, None, now))
            .collect(),
        next_cursor,
    }))
}

/// One agreement with products, term, partners of record and open change.
#[utoipa::path(get, path = "/api/v1/agreements/{number}", tag = "agreements",
    params(("number" = String, Path, pattern = r"^(?:[ -]*[0-9]){12}(?:(?:[ -]*[0-9]){2})?[ -]*$", description = "Contract number (12 digits) or subscription ID (14 digits)")),
    responses((status = 200, body = AgreementDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn detail(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<AgreementDto>> {
    let n = number(&raw)?;
    let s = state.services.agreement(&me, &n).await?;
    Ok(Json(AgreementDto::of_state(&s, state.services.clock.now())))
}

/// Partner assignments with date ranges, oldest first (`?format=csv` for a download).
#[utoipa::path(get, path = "/api/v1/agreements/{number}/partner-history", tag = "agreements",
    params(("number" = String, Path, pattern = r"^(?:[ -]*[0-9]){12}(?:(?:[ -]*[0-9]){2})?[ -]*$", description = "Agreement number"), Format),
    responses((status = 200, content((PartnerHistoryResponse = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn history(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
    Query(format): Query<Format>,
) -> ApiResult<Response> {
    let n = number(&raw)?;
    let csv = format.is_csv()?;
    let items = state.services.partner_history(&me, &n).await?;
    let items: Vec<HistoryEntryDto> = items.iter().map(Into::into).collect();
    if csv {
        return history_csv(&n, items, Columns::Codes);
    }
    Ok(Json(PartnerHistoryResponse {
        agreement: n.to_string(),
        items,
    })
    .into_response())
}

/// Whether the caller can request a partner change now, with every reason
/// that holds (R3, R4), in the language of `Accept-Language`.
#[utoipa::path(get, path = "/api/v1/agreements/{number}/partner-change/eligibility", tag = "agreements",
    params(("number" = String, Path, pattern = r"^(?:[ -]*[0-9]){12}(?:(?:[ -]*[0-9]){2})?[ -]*$", description = "Agreement number")),
    responses((status = 200, body = EligibilityResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn eligibility(
    State(state): State<AppState>,
    Caller(me): Caller,
    accepted: AcceptLanguage,
    Path(raw): Path<String>,
) -> ApiResult<Json<EligibilityResponse>> {
    let n = number(&raw)?;
    let (s, e) = state.services.eligibility(&me, &n).await?;
    let lang = accepted.or_of(&me);
    Ok(Json(EligibilityResponse::new(
        &s.agreement,
        &e,
        &state.services.renewal_option_of(&me, &s),
        lang,
        state.services.policy.expiry_window_days,
    )))
}
