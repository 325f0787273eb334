//! The JSON API under `/api/v1`, with its OpenAPI 3.1 document served at
//! `/api/v1/openapi.json` and a self-hosted docs page at `/api/docs`.

mod agreements;
mod assistant;
mod audit;
mod bulk;
mod disputes;
mod me;
mod partner_changes;
mod partners;
mod password;
mod proposals;
mod renewals;
mod security;
mod settings;
mod sso;
mod support;
mod transactions;
mod transfer_codes;
mod webhooks;

use axum::Router;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use kontor_core::{FieldError, Text};

use super::AppState;
use super::error::{ApiError, ApiResult};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "kontor API",
        description = "Self-service partner changes, agreements, audit and bulk data. \
            Authenticate with `Authorization: Bearer <token>`; errors are RFC 9457 problem documents, \
            their `detail` and field messages in the caller's language (`Accept-Language` de/en, \
            else their own setting). \
            Rule ids (R1…) refer to the product specification.",
        version = "1"
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "me", description = "The caller and API tokens"),
        (name = "agreements", description = "Agreements, partner history, eligibility (R3, R4)"),
        (name = "partners", description = "Partner lookup"),
        (name = "partner-changes", description = "Self-service partner changes (R5–R9)"),
        (name = "transactions", description = "Financial transactions (R3)"),
        (name = "transfer-codes", description = "Consent per program, and transfer codes a customer hands to the new partner (#22)"),
        (name = "audit", description = "Audit log (R11)"),
        (name = "bulk", description = "Import and export (operators)"),
        (name = "support", description = "Support cases: change one of several partners (R6), questions for support"),
        (name = "assistant", description = "The help assistant: answers from the help, explains an agreement, hands over to support (#20)"),
        (name = "webhooks", description = "Webhook endpoints, their secrets and the delivery log (operators)"),
        (name = "security", description = "Two-step sign-in: one's authenticator app and recovery codes, the account's rule, resets after a lost phone (#21)"),
        (name = "sso", description = "Single sign-on with OpenID Connect: the account's identity provider, email domains bound to accounts (#21)")
    ),
    components(schemas(webhooks::WebhookEvent))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("kontor_pat_…")
                    .build(),
            ),
        );
    }
}

/// The API routes and the OpenAPI document built from them.
pub fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(me::router())
        .merge(assistant::router())
        .merge(settings::router())
        .merge(security::router())
        .merge(sso::router())
        .merge(agreements::router())
        .merge(renewals::router())
        .merge(partners::router())
        .merge(proposals::router())
        .merge(partner_changes::router())
        .merge(disputes::router())
        .merge(transfer_codes::router())
        .merge(transactions::router())
        .merge(audit::router())
        .merge(bulk::router())
        .merge(support::router())
        .merge(webhooks::router())
        .merge(password::router())
        .split_for_parts()
}

/// The API router with the docs page.
pub fn router(_state: AppState) -> Router<AppState> {
    let (api, doc) = routes();
    api.layer(axum::middleware::from_fn(api_edges))
        .merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", doc))
}

/// What every API request passes through, as one layer (each layer costs
/// every request a boxed future, #23): empty query values dropped on the
/// way in, plain-text refusals made problems on the way out.
async fn api_edges(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let res = next.run(drop_empty_query_values(req)).await;
    problem_for_plain_errors(res).await
}

/// `?kind=&q=` means "no filter": an empty value is the same as leaving
/// the parameter out (as HTML forms and generated clients send them).
/// `limit` is a number, not a filter: `limit=` is refused like `limit=x`.
fn drop_empty_query_values(mut req: axum::extract::Request) -> axum::extract::Request {
    let Some(query) = req.uri().query() else {
        return req;
    };
    let empty_filter = |p: &str| p.is_empty() || (p.ends_with('=') && p != "limit=");
    if !query.split('&').any(empty_filter) {
        return req;
    }
    let kept: Vec<&str> = query.split('&').filter(|p| !empty_filter(p)).collect();
    let path = req.uri().path();
    let rebuilt = if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    };
    if let Ok(uri) = rebuilt.parse() {
        *req.uri_mut() = uri;
    }
    req
}

/// axum answers what it refuses before a handler runs (a body over the
/// limit, a query or path it cannot parse, a wrong method) in plain text;
/// API clients get every error as a problem document, with the same words.
async fn problem_for_plain_errors(res: Response) -> Response {
    let status = res.status();
    let is_problem = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/problem+json"));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    // A query that does not parse (a repeated parameter, letters for a
    // number) is invalid input like any other: 422 naming the parameter.
    if status == StatusCode::BAD_REQUEST
        && let Some(reason) = text.strip_prefix("Failed to deserialize query string: ")
    {
        let field = reason
            .split_once(": ")
            .map(|(f, _)| f)
            .filter(|f| !f.contains(' '))
            .or_else(|| reason.split('`').nth(1))
            .unwrap_or("query");
        return ApiError::field(FieldError::coded(
            field,
            "query-form",
            vec![("reason", reason.to_owned())],
            format!("expected the parameter once, in its documented form ({reason})"),
        ))
        .into_response();
    }
    let detail = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_lowercase()
    } else {
        text
    };
    // Other languages say what each code means, and axum's own words
    // where they tell more than the code.
    let (code, words) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ("body_too_large", "refused-too-large"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "method-not-allowed"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "refused-media-type"),
        s if s.is_server_error() => ("internal", "internal"),
        _ => ("bad_request", "bad-request"),
    };
    let args = vec![("reason", detail.clone())];
    let mut problem = ApiError::text(status, code, Text::with(words, args, detail)).into_response();
    for name in [axum::http::header::ALLOW, axum::http::header::RETRY_AFTER] {
        if let Some(v) = parts.headers.get(&name) {
            problem.headers_mut().insert(name, v.clone());
        }
    }
    problem
}

/// The OpenAPI document (for `kontor openapi` and tests).
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().1
}

/// Unknown routes answer with a problem document too.
pub async fn not_found(uri: Uri) -> Response {
    ApiError::text(
        StatusCode::NOT_FOUND,
        "not_found",
        Text::with(
            "no-such-endpoint",
            vec![("path", uri.path().to_owned())],
            format!("no such endpoint: {}", uri.path()),
        ),
    )
    .into_response()
}

/// Paging parameters of list endpoints.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// The previous page's `next_cursor`: its last item's key, in plain
    /// form, so that every value the endpoint's documented pattern allows
    /// is a valid position (the list resumes after it). Documented per
    /// endpoint, whose keys differ in form.
    #[param(ignore)]
    pub cursor: Option<String>,
}

impl Page {
    /// The validated page size.
    pub fn limit(&self) -> Result<u32, ApiError> {
        match self.limit {
            None => Ok(50),
            Some(n @ 1..=500) => Ok(n),
            Some(_) => Err(ApiError::field(FieldError::coded(
                "limit",
                "expected-whole-number",
                vec![("min", "1".into()), ("max", "500".into())],
                "expected a whole number from 1 to 500",
            ))),
        }
    }

    /// The cursor parsed as the endpoint's key (`parse` gives `None` for
    /// anything that is not one); a value of the wrong form names `cursor`.
    pub fn cursor<T>(&self, parse: impl FnOnce(&str) -> Option<T>) -> Result<Option<T>, ApiError> {
        self.cursor
            .as_deref()
            .map(|c| {
                parse(c).ok_or_else(|| {
                    ApiError::field(FieldError::coded(
                        "cursor",
                        "expected-cursor",
                        Vec::new(),
                        "expected a cursor returned by the previous page",
                    ))
                })
            })
            .transpose()
    }
}

/// The `next_cursor` of a page: the last item's key, when the page is full
/// (a short page is the last one).
pub fn next_cursor<T>(items: &[T], limit: u32, key: impl Fn(&T) -> String) -> Option<String> {
    if items.len() < limit as usize {
        return None;
    }
    items.last().map(key)
}

/// `?format=csv` or JSON.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Format {
    /// `json` (default) or `csv`.
    #[param(pattern = "^(json|csv)?$")]
    pub format: Option<String>,
}

impl Format {
    /// True for CSV; refuses unknown formats.
    pub fn is_csv(&self) -> Result<bool, ApiError> {
        match self.format.as_deref() {
            None | Some("json") => Ok(false),
            Some("csv") => Ok(true),
            Some(_) => Err(ApiError::field(expected_one_of(
                "format",
                "json, csv",
                "expected json or csv",
            ))),
        }
    }
}

/// `field` is not one of the values `list`ed (comma-separated codes).
pub fn expected_one_of(field: &str, list: &str, english: impl Into<String>) -> FieldError {
    FieldError::coded(
        field,
        "expected-one-of",
        vec![("list", list.to_owned())],
        english,
    )
}

/// The path's `{id}` of `what` (a key of `expected_uuid`), or a 422 on
/// `id` saying what was expected (`english`: "expected a … id (UUID)").
pub(super) fn path_id(raw: &str, what: &'static str, english: &str) -> ApiResult<uuid::Uuid> {
    uuid::Uuid::parse_str(raw).map_err(|_| ApiError::field(expected_uuid("id", what, english)))
}

/// `field` is not the id (a UUID) of `what`, a kind that
/// `error-expected-uuid` names in both languages (a test holds every kind
/// used here to that).
pub fn expected_uuid(field: &str, what: &'static str, english: impl Into<String>) -> FieldError {
    FieldError::coded(
        field,
        "expected-uuid",
        vec![("what", what.to_owned())],
        english,
    )
}

#[cfg(test)]
mod tests {
    use kontor_core::domain::roles::Lang;

    use crate::i18n::Tr;

    /// Every kind of id the API expects has its own words in both
    /// languages: a kind missing from `error-expected-uuid` falls back to
    /// "an id" / "eines Objekts", which tells the client nothing.
    #[test]
    fn every_expected_id_is_named_in_both_languages() {
        let calls =
            regex::Regex::new(r#"(?:path_id\(\s*[^,]+,|expected_uuid\(\s*"[^"]*",)\s*"([a-z-]+)""#)
                .unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web/api");
        let mut kinds = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            kinds.extend(calls.captures_iter(&text).map(|c| c[1].to_owned()));
        }
        assert!(kinds.len() >= 6, "the scan found too few kinds: {kinds:?}");
        for kind in &kinds {
            for (lang, other) in [(Lang::De, "eines Objekts"), (Lang::En, "expected an id")] {
                let words = Tr::new(lang).tw("error-expected-uuid", &[("what", kind.clone())]);
                assert!(!words.contains(other), "{kind} in {lang:?}: {words}");
            }
        }
    }
}
