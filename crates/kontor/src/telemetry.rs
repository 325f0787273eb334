//! Logs (structured JSON or pretty, to stderr) and Prometheus metrics.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

use crate::config::Config;

static METRICS: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the log subscriber once (`RUST_LOG` filters; default `info`).
pub fn init(config: &Config) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // Colours only for a person at a terminal: a log file or a journal
    // would keep the escape codes as text.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let _ = if config.log_format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// The process-wide Prometheus recorder, installed on first use.
pub fn metrics_handle() -> Option<PrometheusHandle> {
    METRICS
        .get_or_init(|| PrometheusBuilder::new().install_recorder().ok())
        .clone()
}
