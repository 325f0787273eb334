//! `POST /api/v1/import`, `GET /api/v1/export` (operators).

use axum::Json;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kontor_core::Error;
use kontor_core::domain::audit::By;
use kontor_core::domain::permissions::Permission;
use kontor_core::service::import::{Collection, ImportFailure};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::export::export_json;
use crate::import_file::{ImportFormat, import_upload};
use crate::web::AppState;
use crate::web::dto::ImportResponse;
use crate::web::error::{ApiError, ApiResult, FieldErrorDto, Problem};
use crate::web::extract::Caller;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import))
        .routes(routes!(export))
}

/// The collection of a CSV import.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// For a `text/csv` body: `partners`, `accounts`, `users` or `agreements`.
    #[param(pattern = "^(partners|accounts|users|agreements)?$")]
    pub collection: Option<String>,
}

/// The format of an import body: JSON, or CSV of the named collection.
fn import_format(headers: &HeaderMap, q: &ImportQuery) -> ApiResult<ImportFormat> {
    let refused = || {
        ApiError::field(kontor_core::FieldError::coded(
            "collection",
            "expected-collection",
            Vec::new(),
            "expected partners, accounts, users or agreements (for a text/csv body)",
        ))
    };
    let collection = match q.collection.as_deref() {
        Some(raw) => Some(Collection::parse(raw).ok_or_else(refused)?),
        None => None,
    };
    let is_csv = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.trim_start().to_ascii_lowercase().starts_with("text/csv"));
    match (is_csv, collection) {
        (false, _) => Ok(ImportFormat::Json),
        (true, Some(c)) => Ok(ImportFormat::Csv(c)),
        (true, None) => Err(refused()),
    }
}

/// Imports partners, accounts, users and agreements (SPEC "Import format"):
/// a JSON document with every collection, or (`Content-Type: text/csv`)
/// one collection as CSV with `?collection=`. All-or-nothing: any invalid
/// record rejects the whole file with every error listed
/// (`errors[].field` is `collection[index].field`). Importing the same
/// file again changes nothing.
#[utoipa::path(post, path = "/api/v1/import", tag = "bulk", params(ImportQuery),
    request_body(content((serde_json::Value = "application/json"), (String = "text/csv"))),
    responses((status = 200, body = ImportResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body larger than max_import_bytes"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn import(
    State(state): State<AppState>,
    Caller(me): Caller,
    Query(q): Query<ImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<ImportResponse>> {
    Error::unless_may(&me, Permission::ImportExport)?;
    let format = import_format(&headers, &q)?;
    // Streamed: up to `max_import_bytes`, never all of it in memory.
    let limit = state.config.max_import_bytes;
    let Ok(imported) = import_upload(&state.services, format, limit, body, By::Person(&me)).await
    else {
        return Err(ApiError::text(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            kontor_core::Text::with(
                "import-too-large",
                vec![("limit", limit.to_string())],
                format!(
                    "the import is larger than max_import_bytes ({limit} bytes); nothing was imported"
                ),
            ),
        ));
    };
    match imported {
        Ok(r) => Ok(Json(ImportResponse {
            partners: r.partners,
            accounts: r.accounts,
            users: r.users,
            agreements: r.agreements,
        })),
        Err(ImportFailure::Store(e)) => Err(e.into()),
        Err(ImportFailure::Invalid { errors, more }) => {
            let count = errors.len() + more;
            let mut p = ApiError::text(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_import",
                kontor_core::Text::with(
                    "invalid-import",
                    vec![("count", count.to_string())],
                    format!("{count} invalid field(s); nothing was imported"),
                ),
            );
            // Named as always (`agreements[3].term_end`); the words follow
            // the caller's language like every field message (#19).
            p.0.errors = errors
                .iter()
                .map(|e| FieldErrorDto::from(e.to_field_error()))
                .collect();
            Err(p)
        }
    }
}

/// Exports everything in the import format (users without passwords).
#[utoipa::path(get, path = "/api/v1/export", tag = "bulk",
    responses((status = 200, body = serde_json::Value),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn export(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<Response> {
    Error::unless_may(&me, Permission::ImportExport)?;
    let mut out = Vec::new();
    export_json(&state.services, &mut out)
        .await
        .map_err(Error::Internal)?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        out,
    )
        .into_response())
}
