//! Request body limits (#16): `max_body_bytes` for every request but the
//! two imports, which stream up to `max_import_bytes`. A body over its limit
//! is answered 413 — before it is read when `Content-Length` says so,
//! otherwise as soon as the limit is crossed — as a problem document on the
//! API and as an error page in the portal, and nothing of it is acted on.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;

use super::AppState;
use super::error::ApiError;
use super::pages::error::PageError;
use super::pages::i18n::Tr;
use super::pages::session::language;

/// The routes that take an import file: their own, larger limit, and
/// their handlers stream the body instead of buffering it.
pub const IMPORT_PATHS: &[&str] = &["/api/v1/import", "/back-office/import"];

/// The limit of a request's body, and the setting it comes from.
pub fn limit_of(
    config: &crate::config::Config,
    method: &Method,
    path: &str,
) -> (usize, &'static str) {
    if method == Method::POST && IMPORT_PATHS.contains(&path) {
        (config.max_import_bytes, "max_import_bytes")
    } else {
        (config.max_body_bytes, "max_body_bytes")
    }
}

/// Applies the limit of each route (axum's own default limit is off).
pub async fn body_limits(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (limit, setting) = limit_of(&state.config, req.method(), req.uri().path());
    let api = !is_page(req.uri().path());
    let headers = req.headers().clone();
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large(api, &headers, limit, setting);
    }
    // Extractors that buffer (`Bytes`, forms, multipart) fail at the limit.
    // The import handlers count the file they stream themselves and answer
    // first; the slack covers a multipart form's other parts.
    let cap = match setting {
        "max_import_bytes" => limit.saturating_add(MULTIPART_SLACK),
        _ => limit,
    };
    let req = req.map(|b| Body::new(http_body_util::Limited::new(b, cap)));
    let res = next.run(req).await;
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE {
        // axum's rejection ("failed to buffer the request body"), or a
        // handler's own: one answer that names the limit.
        return too_large(api, &headers, limit, setting);
    }
    res
}

/// Room for an import form's token and part headers beside its file.
const MULTIPART_SLACK: usize = 64 * 1024;

fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/") || path == "/healthz" || path == "/readyz" || path == "/metrics")
}

/// The 413 answer: a problem document, or the error page in the visitor's
/// language.
pub fn too_large(api: bool, headers: &HeaderMap, limit: usize, setting: &str) -> Response {
    if api {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the request body is larger than {setting} ({limit} bytes); nothing was done"),
        )
        .into_response();
    }
    let jar = CookieJar::from_headers(headers);
    let tr = Tr {
        lang: language(&jar, headers, None),
    };
    PageError::too_large(tr).into_response()
}
