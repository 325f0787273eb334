//! Outbox delivery throughput to a local receiver (#6: at least 2,000
//! webhooks/s from one process). `bench/run-webhooks` runs it in release.
//!
//!   webhook_bench [EVENTS]        # the delivery side, prints the rate
//!   webhook_bench receive         # the receiver (started by the above)
//!
//! The delivery side imports EVENTS agreements, records one partner-change
//! request per agreement with its outbox message (no email recipients, so
//! only webhooks are measured), registers one endpoint, and times the
//! delivery loop from fan-out to the last recorded result. The receiver,
//! its own process, checks every signature and counts.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use kontor::config::Config;
use kontor::delivery::webhook::{new_secret, signature_header};
use kontor_core::domain::audit::By;
use kontor_core::domain::change_request::{ChangeRequest, RequestId, RequestStatus};
use kontor_core::domain::ids::{AgreementNumber, Csn};
use kontor_core::domain::notify::{ChangeEvent, OutboxMessage};
use kontor_core::store::WebhookEndpoint;
use serde_json::json;
use uuid::Uuid;

/// An enabled endpoint receiving every event.
fn endpoint(url: String, secret: String) -> WebhookEndpoint {
    let t = time::OffsetDateTime::now_utc();
    WebhookEndpoint {
        id: Uuid::now_v7(),
        url,
        description: "bench".into(),
        event_types: vec![],
        secret,
        previous_secret: None,
        previous_secret_until: None,
        enabled: true,
        disabled_reason: None,
        failing_since: None,
        created_at: t,
        updated_at: t,
    }
}

#[derive(Default)]
struct Counts {
    valid: AtomicU64,
    invalid: AtomicU64,
}

async fn receive() -> anyhow::Result<()> {
    let secret = std::env::var("BENCH_SECRET")?;
    let counts = Arc::new(Counts::default());
    let endpoint = Arc::new(endpoint(String::new(), secret));
    let hook = {
        let endpoint = endpoint.clone();
        move |State(c): State<Arc<Counts>>, headers: HeaderMap, body: axum::body::Bytes| async move {
            let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("");
            let ts: i64 = h("webhook-timestamp").parse().unwrap_or(0);
            let expected = signature_header(
                &endpoint,
                h("webhook-id"),
                ts,
                &body,
                time::OffsetDateTime::UNIX_EPOCH,
            );
            if expected.as_deref() == Some(h("webhook-signature")) {
                c.valid.fetch_add(1, Ordering::Relaxed);
                StatusCode::NO_CONTENT
            } else {
                c.invalid.fetch_add(1, Ordering::Relaxed);
                StatusCode::UNAUTHORIZED
            }
        }
    };
    let app = Router::new()
        .route("/hook", post(hook))
        .route(
            "/count",
            get(|State(c): State<Arc<Counts>>| async move {
                format!(
                    "{} {}",
                    c.valid.load(Ordering::Relaxed),
                    c.invalid.load(Ordering::Relaxed)
                )
            }),
        )
        .with_state(counts);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("listening {}", listener.local_addr()?.port());
    axum::serve(listener, app).await?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let arg = std::env::args().nth(1).unwrap_or_else(|| "20000".into());
    if arg == "receive" {
        return receive().await;
    }
    let events: usize = arg.parse()?;
    let dir = tempfile::tempdir()?;
    let mut config = Config {
        data_dir: dir.path().to_owned(),
        webhook_allow_private: true,
        ..Config::default()
    };
    if let Ok(c) = std::env::var("BENCH_CONCURRENCY") {
        config.delivery_concurrency = c.parse()?;
    }
    config.database_url = std::env::var("KONTOR_DATABASE_URL").ok();
    let store = kontor::app::open_store(&config).await?;
    let services = kontor::app::services(&config, store, kontor::app::clock(&config)?);
    kontor::demo::load(&services).await?;
    let anna = services
        .store
        .user_by_email("anna@muster.example")
        .await?
        .expect("demo admin")
        .actor
        .user_id;

    // EVENTS agreements, one request each (the import format, like bench/gen.py).
    let numbers: Vec<String> = (0..events).map(|i| format!("1109{i:08}")).collect();
    let agreements: Vec<_> = numbers
        .iter()
        .map(|n| {
            json!({"number": n, "kind": "contract", "account": "7000000001",
            "products": [{"name": "AutoCAD", "seats": 1}], "term_start": "2026-01-01",
            "term_end": "2028-12-31", "auto_renew": false, "program": "standard",
            "support_level": "standard", "status": "active", "partners": ["5100000001"]})
        })
        .collect();
    let doc = serde_json::to_vec(&json!({ "agreements": agreements }))?;
    kontor::import_file::import_file(
        &services,
        &kontor::auth::Argon2Hasher,
        kontor::import_file::ImportFormat::Json,
        std::io::Cursor::new(doc),
        By::System("bench"),
        |_| {},
    )
    .await
    .map_err(|e| anyhow::anyhow!("import failed: {e:?}"))?;
    let now = time::OffsetDateTime::now_utc();
    let mut tasks = tokio::task::JoinSet::new();
    for chunk in numbers.chunks(500) {
        let store = services.store.clone();
        let chunk = chunk.to_vec();
        tasks.spawn(async move {
            for n in chunk {
                let request = ChangeRequest {
                    id: RequestId(Uuid::now_v7()),
                    agreement: AgreementNumber::parse(&n).expect("number"),
                    account: Csn::parse("7000000001").expect("csn"),
                    old_partners: vec![Csn::parse("5100000001").expect("csn")],
                    new_partner: Csn::parse("5100000002").expect("csn"),
                    status: RequestStatus::Pending,
                    requested_by: anna,
                    created_at: now,
                    due_at: now + time::Duration::hours(1),
                    decided_at: None,
                    decided_by: None,
                    reasons: vec![],
                    idempotency_key: None,
                };
                let message = OutboxMessage::PartnerChangeEmails {
                    event_id: Uuid::now_v7(),
                    event: ChangeEvent::Submitted,
                    recipients: vec![],
                    request: request.id.0,
                    agreement: request.agreement.clone(),
                    account: request.account.clone(),
                    new_partner: request.new_partner.clone(),
                    old_partners: request.old_partners.clone(),
                    reasons: vec![],
                    renews_on: None,
                    answer_by: None,
                };
                store.insert_request(&request, &[], &[message]).await?;
            }
            anyhow::Ok(())
        });
    }
    while let Some(r) = tasks.join_next().await {
        r??;
    }

    let secret = new_secret();
    let exe = std::env::current_exe()?;
    let mut receiver = Command::new(exe)
        .arg("receive")
        .env("BENCH_SECRET", &secret)
        .stdout(Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    BufReader::new(receiver.stdout.take().expect("stdout")).read_line(&mut line)?;
    let port = line.trim().trim_start_matches("listening ").to_owned();
    let endpoint = endpoint(format!("http://127.0.0.1:{port}/hook"), secret);
    let audit = kontor_core::domain::audit::AuditEntry::new(
        now,
        By::System("bench"),
        kontor_core::domain::audit::AuditAction::WebhookEndpointSaved,
    );
    services
        .store
        .save_webhook_endpoint(&endpoint, &audit)
        .await?;

    let deliverer = kontor::delivery::Deliverer::from_config(services.clone(), &config)?;
    let started = Instant::now();
    let attempts = deliverer.drain().await?;
    let secs = started.elapsed().as_secs_f64();
    let counts = reqwest::get(format!("http://127.0.0.1:{port}/count"))
        .await?
        .text()
        .await?;
    receiver.kill().ok();
    let backend = if config.database_url.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    println!(
        "webhooks {events} attempts {attempts} seconds {secs:.2} rate {:.0}/s receiver(valid invalid) {counts} backend {backend} concurrency {}",
        events as f64 / secs,
        config.delivery_concurrency
    );
    Ok(())
}
