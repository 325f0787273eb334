//! `POST /api/v1/transactions` (R3).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kontor_core::FieldError;
use kontor_core::domain::agreement::ProductLine;
use kontor_core::domain::ids::{AgreementNumber, Csn};
use kontor_core::domain::values::parse_date;
use kontor_core::service::transaction::NewTransaction;
use kontor_core::store::TransactionKind;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::web::AppState;
use crate::web::dto::{AgreementDto, TransactionRequest, TransactionResponse, rfc3339};
use crate::web::error::{ApiError, ApiResult, Problem};
use crate::web::extract::{Caller, parse_json};
use crate::web::idempotency::idempotent;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(record))
}

fn parse(req: TransactionRequest) -> ApiResult<NewTransaction> {
    let mut errors = Vec::new();
    let agreement = AgreementNumber::parse(&req.agreement)
        .map_err(|e| errors.push(e.at("agreement")))
        .ok();
    let kind = TransactionKind::parse(&req.kind)
        .ok_or_else(|| {
            errors.push(super::expected_one_of(
                "kind",
                &TransactionKind::expected(),
                format!("expected one of: {}", TransactionKind::expected()),
            ))
        })
        .ok();
    let partner = Csn::parse(&req.partner)
        .map_err(|e| errors.push(e.at("partner")))
        .ok();
    let term_end = match req.term_end.as_deref() {
        None => None,
        Some(raw) => parse_date(raw).or_else(|| {
            errors.push(FieldError::coded(
                "term_end",
                "expected-date",
                Vec::new(),
                "expected a date as YYYY-MM-DD",
            ));
            None
        }),
    };
    // Length as sent (the schema's maxLength), blankness after trimming.
    if req
        .product
        .as_ref()
        .is_some_and(|p| p.name.trim().is_empty() || p.name.chars().count() > 200)
    {
        errors.push(FieldError::coded(
            "product.name",
            "expected-text",
            vec![("max", "200".into())],
            "expected 1–200 characters, not only spaces",
        ));
    }
    let product = req.product.map(|p| ProductLine {
        name: p.name.trim().to_owned(),
        seats: p.seats,
    });
    match (agreement, kind, partner) {
        (Some(agreement), Some(kind), Some(partner)) if errors.is_empty() => Ok(NewTransaction {
            agreement,
            kind,
            partner,
            term_end,
            product,
            replaces: req.replaces,
        }),
        _ => Err(ApiError::invalid(errors)),
    }
}

/// Records a financial transaction (renewal, add_seats, switch_term,
/// upgrade). The partner named becomes partner of record when it completes
/// (R3) — the only way a subscription changes its partner. Operators record
/// any; partner staff record them for agreements they serve, naming their
/// own partner. Honours `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/transactions", tag = "transactions", request_body = TransactionRequest,
    params(("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "Makes retries safe: 1–255 visible ASCII characters")),
    responses((status = 201, body = TransactionResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn record(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    idempotent(
        &state,
        &me,
        &headers,
        "POST /api/v1/transactions",
        &body,
        || async {
            let run = async {
                let input = parse(parse_json(&headers, &body)?)?;
                let number = input.agreement.clone();
                let tx = state.services.record_transaction(&me, input).await?;
                let s = state.services.agreement(&me, &number).await?;
                Ok::<_, ApiError>(TransactionResponse {
                    id: tx.id.to_string(),
                    kind: tx.kind.as_str().into(),
                    partner: tx.partner.to_string(),
                    recorded_at: rfc3339(tx.recorded_at),
                    agreement: AgreementDto::new(
                        &s.agreement,
                        s.open_request.as_ref(),
                        state.services.clock.now(),
                    ),
                })
            };
            match run.await {
                Ok(r) => (StatusCode::CREATED, Json(r)).into_response(),
                Err(e) => e.into_response(),
            }
        },
    )
    .await
}
