//! Limits of one request (#16): its body — `max_body_bytes` for every
//! request but the two imports, which stream up to `max_import_bytes` — and
//! its time — a minute, or for an import half an hour (512 MiB must be able
//! to arrive over an ordinary link). A body over its limit is answered 413 —
//! before it is read when `Content-Length` says so, otherwise as soon as the
//! limit is crossed — and a request over its time 408, as a problem
//! document on the API and as an error page in the portal; nothing of
//! either is acted on.

use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;

use super::AppState;
use super::error::ApiError;
use super::pages::error::PageError;
use super::pages::session::language;
use crate::i18n::Tr;

/// The routes that take an import file: their own, larger limit, and
/// their handlers stream the body instead of buffering it.
pub const IMPORT_PATHS: &[&str] = &["/api/v1/import", "/back-office/import"];

/// Longest time to answer a request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Longest time to receive and import an import file.
pub const IMPORT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// What one request may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteLimits {
    /// Bytes of body.
    pub bytes: usize,
    /// The setting `bytes` comes from (named in the 413 answer).
    pub setting: &'static str,
    /// Time to answer.
    pub time: Duration,
}

/// The limits of a request to `path`.
pub fn limits_of(config: &crate::config::Config, method: &Method, path: &str) -> RouteLimits {
    if method == Method::POST && IMPORT_PATHS.contains(&path) {
        RouteLimits {
            bytes: config.max_import_bytes,
            setting: "max_import_bytes",
            time: IMPORT_TIMEOUT,
        }
    } else {
        RouteLimits {
            bytes: config.max_body_bytes,
            setting: "max_body_bytes",
            time: REQUEST_TIMEOUT,
        }
    }
}

/// Applies the limits of each route (axum's own default body limit is off).
pub async fn request_limits(state: &AppState, req: Request, next: Next) -> Response {
    let RouteLimits {
        bytes: limit,
        setting,
        time,
    } = limits_of(&state.config, req.method(), req.uri().path());
    let api = !is_page(req.uri().path());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    // A page's refusal is in the visitor's language, read from the headers
    // after the request has gone on; an API answer needs none of them, and
    // copying every header of every API request cost (#23).
    let headers = if api {
        HeaderMap::new()
    } else {
        req.headers().clone()
    };
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large(api, &headers, limit, setting);
    }
    // Extractors that buffer (`Bytes`, forms, multipart) fail at the limit.
    // The import handlers count the file they stream themselves and answer
    // first; the slack covers a multipart form's other parts.
    let cap = if time == IMPORT_TIMEOUT {
        limit.saturating_add(MULTIPART_SLACK)
    } else {
        limit
    };
    let req = req.map(|b| Body::new(http_body_util::Limited::new(b, cap)));
    let Ok(res) = tokio::time::timeout(time, next.run(req)).await else {
        return timed_out(api, &headers);
    };
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE {
        // axum's rejection ("failed to buffer the request body"), or a
        // handler's own: one answer that names the limit.
        return too_large(api, &headers, limit, setting);
    }
    res
}

/// Room for an import form's token and part headers beside its file.
const MULTIPART_SLACK: usize = 64 * 1024;

/// Whether a path is the portal's (not the API's or an operations endpoint).
pub(crate) fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/")
        || path.starts_with("/scim/")
        || path == "/healthz"
        || path == "/readyz"
        || path == "/metrics")
}

/// Messages for a visitor not known yet: the switcher's cookie, else
/// `Accept-Language`.
pub(crate) fn visitor_tr(headers: &HeaderMap) -> Tr {
    let jar = CookieJar::from_headers(headers);
    Tr::new(language(&jar, headers, None))
}

/// The 413 answer: a problem document, or the error page in the visitor's
/// language.
pub fn too_large(api: bool, headers: &HeaderMap, limit: usize, setting: &str) -> Response {
    if api {
        return ApiError::text(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            kontor_core::Text::with(
                "body-too-large",
                vec![
                    ("setting", setting.to_owned()),
                    ("limit", limit.to_string()),
                ],
                format!(
                    "the request body is larger than {setting} ({limit} bytes); nothing was done"
                ),
            ),
        )
        .into_response();
    }
    PageError::too_large(visitor_tr(headers)).into_response()
}

/// The 408 answer, when a request took longer than its time.
fn timed_out(api: bool, headers: &HeaderMap) -> Response {
    if api {
        return ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            "the request took too long and was stopped; nothing of it was kept",
        )
        .into_response();
    }
    PageError::timed_out(visitor_tr(headers)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_posting_an_import_gets_the_import_limits() {
        let config = crate::config::Config {
            max_body_bytes: 1000,
            max_import_bytes: 5000,
            ..crate::config::Config::default()
        };
        for path in IMPORT_PATHS {
            let l = limits_of(&config, &Method::POST, path);
            assert_eq!(
                (l.bytes, l.setting, l.time),
                (5000, "max_import_bytes", IMPORT_TIMEOUT)
            );
            // The import form's page itself is an ordinary request.
            assert_eq!(limits_of(&config, &Method::GET, path).bytes, 1000);
        }
        for path in [
            "/api/v1/partner-changes",
            "/api/v1/import/",
            "/back-office/imports",
        ] {
            let l = limits_of(&config, &Method::POST, path);
            assert_eq!(
                (l.bytes, l.setting, l.time),
                (1000, "max_body_bytes", REQUEST_TIMEOUT)
            );
        }
    }
}
