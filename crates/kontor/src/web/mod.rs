//! HTTP: the JSON API, its OpenAPI document and docs page, and operations
//! endpoints. Each area owns its router; this module merges them and adds
//! the middleware stack.

pub mod api;
pub mod connections;
pub mod csv;
pub mod dto;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod limits;
pub mod localize;
mod ops;
pub mod pages;
pub mod scim;

use std::sync::Arc;

use axum::Router;
use axum::http::HeaderName;
use kontor_core::service::Services;
use metrics_exporter_prometheus::PrometheusHandle;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::config::Config;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    /// Use cases, store, clock and policy.
    pub services: Services,
    /// The effective configuration.
    pub config: Arc<Config>,
    /// Verified API tokens.
    pub tokens: Arc<extract::TokenCache>,
    /// Prometheus exporter, when metrics are installed.
    pub metrics: Option<PrometheusHandle>,
    /// The help center the assistant answers from (#20).
    pub help: Arc<kontor_help::HelpCenter>,
    /// The accounts' identity providers (single sign-on, #21).
    pub sso: Arc<crate::sso::OidcClient>,
}

impl AppState {
    /// The state for `services` under `config`, with the help center built
    /// and indexed for the configured policy.
    pub fn new(
        services: Services,
        config: Config,
        metrics: Option<PrometheusHandle>,
    ) -> anyhow::Result<AppState> {
        let help = crate::assistant::help_center(&services.policy)?;
        Ok(AppState {
            sso: Arc::new(crate::sso::OidcClient::new(
                std::time::Duration::from_secs(10),
                config.sso_allow_private,
            )?),
            services,
            config: Arc::new(config),
            tokens: Arc::new(extract::TokenCache::default()),
            metrics,
            help,
        })
    }
}

/// Security headers on every response: no framing, no MIME sniffing, a
/// content security policy without inline scripts (the Swagger UI page
/// needs inline styles and data: images, nothing else).
async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::HeaderValue;
    let docs = req.uri().path().starts_with("/api/docs");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let csp = if docs {
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    } else {
        "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    };
    h.insert("content-security-policy", HeaderValue::from_static(csp));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    res
}

/// An unknown path: the error page for a browser asking for a portal
/// page, a problem document for every other client.
async fn not_found(req: axum::extract::Request) -> axum::response::Response {
    use axum::response::IntoResponse;
    let wants_html = req
        .headers()
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html && limits::is_page(req.uri().path()) {
        return pages::error::PageError::not_found(limits::visitor_tr(req.headers()))
            .into_response();
    }
    api::not_found(req.uri().clone()).await
}

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .merge(api::router(state.clone()))
        .merge(ops::router())
        .merge(pages::router())
        .merge(scim::router())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::reauth::confirm_identity,
        ))
        // Each route's own limit instead (`limits`).
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::request_limits,
        ))
        .layer(axum::middleware::from_fn(localize::localize_problems))
        .with_state(state)
        .layer(axum::middleware::from_fn(security_headers))
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

#[cfg(test)]
mod tests {
    /// Handlers ask use cases, never the store (#17): every read passes the
    /// same scope (R1) and permission checks in `kontor-core`.
    #[test]
    fn the_web_layer_never_reaches_the_store() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, found);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, line) in text.lines().enumerate() {
                    let line = line.trim();
                    // Spelled apart, so that this test does not find itself.
                    let reaches = line.contains(concat!("services", ".store"))
                        || line.starts_with(concat!(".", "store"))
                        || line.contains(concat!("dyn ", "Store"));
                    if reaches {
                        found.push(format!("{}:{}: {line}", path.display(), i + 1));
                    }
                }
            }
        }
        let mut found = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web"),
            &mut found,
        );
        assert!(
            found.is_empty(),
            "the web layer reaches the store:\n{}",
            found.join("\n")
        );
    }
}
