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

/// Shared state of every handler: one `Arc`, because every middleware
/// layer and extractor clones the state for each request — with a field
/// per `Arc` that was eight atomic increments and decrements per clone, on
/// counters both cores keep taking from each other (#23).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// What [`AppState`] shares.
pub struct Shared {
    /// Use cases, store, clock and policy.
    pub services: Services,
    /// The effective configuration.
    pub config: Config,
    /// Verified API tokens.
    pub tokens: extract::TokenCache,
    /// Prometheus exporter, when metrics are installed.
    pub metrics: Option<PrometheusHandle>,
    /// The help center the assistant answers from (#20).
    pub help: Arc<kontor_help::HelpCenter>,
    /// The accounts' identity providers (single sign-on, #21).
    pub sso: crate::sso::OidcClient,
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
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
        Ok(AppState(Arc::new(Shared {
            sso: crate::sso::OidcClient::new(
                std::time::Duration::from_secs(10),
                config.sso_allow_private,
            )?,
            services,
            config,
            tokens: extract::TokenCache::default(),
            metrics,
            help,
        })))
    }
}

/// What every request passes through, as one layer (each `from_fn` layer
/// costs every request a boxed future and a copy of the inner service,
/// #23), in this order: the route's limits on size and time ([`limits`]),
/// problems in the caller's language ([`localize`]), and security headers
/// on every response: no framing, no MIME sniffing, a content security
/// policy without inline scripts (the Swagger UI page needs inline styles
/// and data: images, nothing else).
async fn edges(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::HeaderValue;
    use axum::http::header::{
        CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
    };
    let docs = req.uri().path().starts_with("/api/docs");
    let language = localize::ProblemLanguage::of(&mut req);
    let res = limits::request_limits(&state, req, next).await;
    let mut res = language.localize(res);
    let h = res.headers_mut();
    let csp = if docs {
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    } else {
        "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    };
    // The header names as constants: a `&str` name is parsed and checked
    // on every insert, on every response.
    h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp));
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
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

/// Each request's id, made here unless the client sent one.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(api::router(state.clone()))
        .merge(ops::router())
        // Sensitive forms are pages: the API does not pass through this.
        .merge(pages::router().layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::reauth::confirm_identity,
        )))
        .merge(scim::router())
        .fallback(not_found)
        // Each route's own limit instead (`limits`).
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(state.clone(), edges))
        .with_state(state)
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
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
