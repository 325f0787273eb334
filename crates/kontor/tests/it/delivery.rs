//! Notifications and integrations (#6, R10): emails over a real SMTP
//! server (aiosmtpd) and signed webhooks to a real receiver that checks
//! every signature with an independent implementation (standardwebhooks).
//! Both helpers are Python programs in `tests/support`, run from the
//! environment `scripts/python-env` prepares.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use kontor_core::domain::delivery::{Channel, DeliveryStatus};
use kontor_core::store::DeliveryFilter;
use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;

use crate::helpers::*;

const ANNA: &str = "anna@muster.example";
const DORA: &str = "dora@example-ltd.example";
const OLGA: &str = "olga@vendor.example";

/// A helper process; killed when dropped.
struct Helper {
    child: Child,
    port: u16,
}

impl Drop for Helper {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new(root.join("scripts/python-env"))
        .output()
        .expect("scripts/python-env runs");
    assert!(
        out.status.success(),
        "scripts/python-env failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

fn helper(script: &str, args: &[&str]) -> Helper {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut child = Command::new(python())
        .arg(root.join("tests/support").join(script))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("helper starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .strip_prefix("listening ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("{script} did not start: {line:?}"));
    Helper { child, port }
}

/// A receiver trusting the secrets in `dir/secrets`, logging to `dir/log`.
fn receiver(dir: &Path, args: &[&str]) -> Helper {
    let secrets = dir.join("secrets");
    let log = dir.join("log");
    let mut all = vec![
        "--secrets",
        secrets.to_str().unwrap(),
        "--log",
        log.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    helper("webhook_receiver.py", &all)
}

fn received(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("log"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

async fn create_endpoint(app: &TestApp, url: &str, types: Value) -> Value {
    json_with(
        app.post(
            OLGA,
            "/api/v1/webhooks",
            &json!({"url": url, "event_types": types}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

async fn deliveries(app: &TestApp, channel: Channel) -> Vec<kontor_core::store::DeliveryRecord> {
    app.services
        .store
        .deliveries(&DeliveryFilter {
            channel: Some(channel),
            limit: 500,
            ..Default::default()
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn webhooks_are_signed_retried_under_one_id_and_logged() {
    let app = TestApp::spawn_with(|c| c.webhook_allow_private = true).await;
    let dir = tempfile::tempdir().unwrap();
    let rx = receiver(dir.path(), &["--fail", "2", "--status", "500"]);
    let url = format!("http://127.0.0.1:{}/hooks", rx.port);
    let ep = create_endpoint(&app, &url, json!(["partner_change.submitted"])).await;
    let secret = ep["secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_"), "{ep}");
    std::fs::write(dir.path().join("secrets"), secret).unwrap();

    let res = app.submit(ANNA, "110000000001", "5100000002").await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let d = app.deliverer(|_| {});
    d.drain().await.unwrap();
    // The schedule: 5 s (±20 %) after the first failure, 5 min after the second.
    app.advance(Duration::seconds(7));
    d.drain().await.unwrap();
    assert_eq!(received(dir.path()).len(), 2);
    app.advance(Duration::seconds(200));
    d.drain().await.unwrap();
    assert_eq!(received(dir.path()).len(), 2, "the 5-minute wait holds");
    app.advance(Duration::seconds(200));
    d.drain().await.unwrap();

    let got = received(dir.path());
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(
        got.iter().all(|r| r["valid"] == true),
        "every signature verifies: {got:?}"
    );
    let statuses: Vec<i64> = got.iter().map(|r| r["status"].as_i64().unwrap()).collect();
    assert_eq!(statuses, [500, 500, 204]);
    let ids: HashSet<&str> = got.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 1, "one event id across retries");
    assert_eq!(got[0]["type"], "partner_change.submitted");
    // Each attempt is stamped with its own time (the test clock's).
    assert_eq!(
        got[2]["timestamp"],
        app.clock_now().unix_timestamp().to_string()
    );

    // The delivery log shows each attempt with its status code.
    let list = json_with(
        app.get(OLGA, "/api/v1/deliveries?channel=webhook").await,
        StatusCode::OK,
    )
    .await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{list}");
    assert_eq!(items[0]["status"], "delivered");
    assert_eq!(items[0]["attempts"], 3);
    let id = items[0]["id"].as_str().unwrap();
    let one = json_with(
        app.get(OLGA, &format!("/api/v1/deliveries/{id}")).await,
        StatusCode::OK,
    )
    .await;
    let codes: Vec<i64> = one["attempts_log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status_code"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [500, 500, 204]);
    assert_eq!(
        format!("msg_{}", one["event_id"].as_str().unwrap().replace('-', "")),
        got[0]["id"].as_str().unwrap()
    );

    // Emails went to files (no SMTP server configured), one per recipient.
    let mails = deliveries(&app, Channel::Email).await;
    assert_eq!(mails.len(), 4, "two admins, the new and the old partner");
    assert!(mails.iter().all(|m| m.status == DeliveryStatus::Delivered));
    let files = std::fs::read_dir(app.dir.path().join("mail"))
        .unwrap()
        .count();
    assert_eq!(files, 4);

    // Only operators see webhooks and deliveries.
    for path in ["/api/v1/webhooks", "/api/v1/deliveries"] {
        assert_eq!(
            app.get(ANNA, path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
}

#[tokio::test]
async fn rotation_signs_with_both_secrets_and_a_wrong_secret_is_detected() {
    let app = TestApp::spawn_with(|c| c.webhook_allow_private = true).await;
    let dir = tempfile::tempdir().unwrap();
    let rx = receiver(dir.path(), &[]);
    let ep = create_endpoint(&app, &format!("http://127.0.0.1:{}/", rx.port), json!([])).await;
    let old = ep["secret"].as_str().unwrap().to_owned();
    std::fs::write(dir.path().join("secrets"), &old).unwrap();
    let id = ep["id"].as_str().unwrap();
    let rotated = json_with(
        app.post(
            OLGA,
            &format!("/api/v1/webhooks/{id}/rotate-secret"),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let new = rotated["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert!(rotated["previous_secret_until"].is_string());

    // During the overlap the receiver that only knows the old secret verifies.
    let res = json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    let d = app.deliverer(|_| {});
    d.drain().await.unwrap();
    let got = received(dir.path());
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["valid"], true);
    assert_eq!(got[0]["signatures"], 2);

    // A receiver holding a wrong secret detects it and refuses (401).
    std::fs::write(
        dir.path().join("secrets"),
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    )
    .unwrap();
    let request = res["id"].as_str().unwrap();
    json_with(
        app.post(
            ANNA,
            &format!("/api/v1/partner-changes/{request}/withdraw"),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    d.drain().await.unwrap();
    let got = received(dir.path());
    assert_eq!(got.len(), 2);
    assert_eq!(got[1]["valid"], false);
    assert_eq!(got[1]["status"], 401);
    assert_eq!(got[1]["type"], "partner_change.withdrawn");

    // After the overlap only the new secret signs; the receiver switched.
    app.advance(Duration::hours(25));
    std::fs::write(dir.path().join("secrets"), &new).unwrap();
    d.drain().await.unwrap();
    let got = received(dir.path());
    assert_eq!(got.len(), 3);
    assert_eq!(got[2]["valid"], true);
    assert_eq!(got[2]["signatures"], 1);
    assert_eq!(got[2]["id"], got[1]["id"], "the retry keeps the event id");
}

#[tokio::test]
async fn gone_disables_retry_after_is_honoured_and_redirects_are_not_followed() {
    let app = TestApp::spawn_with(|c| c.webhook_allow_private = true).await;
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let gone = receiver(dirs[0].path(), &["--fail", "1", "--status", "410"]);
    let busy = receiver(
        dirs[1].path(),
        &["--fail", "1", "--status", "429", "--retry-after", "120"],
    );
    let moved = receiver(dirs[2].path(), &["--fail", "1", "--status", "302"]);
    let mut ids = Vec::new();
    for (rx, dir) in [&gone, &busy, &moved].into_iter().zip(&dirs) {
        let ep = create_endpoint(&app, &format!("http://127.0.0.1:{}/h", rx.port), json!([])).await;
        std::fs::write(dir.path().join("secrets"), ep["secret"].as_str().unwrap()).unwrap();
        ids.push(ep["id"].as_str().unwrap().to_owned());
    }
    app.submit(ANNA, "110000000001", "5100000002").await;
    let d = app.deliverer(|_| {});
    d.drain().await.unwrap();
    let hooks: HashMap<String, kontor_core::store::DeliveryRecord> =
        deliveries(&app, Channel::Webhook)
            .await
            .into_iter()
            .map(|r| (r.endpoint_id.unwrap().to_string(), r))
            .collect();

    // 410: the delivery ends and the endpoint is disabled, operators told.
    assert_eq!(hooks[&ids[0]].status, DeliveryStatus::Dead);
    let ep = json_with(
        app.get(OLGA, &format!("/api/v1/webhooks/{}", ids[0])).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ep["enabled"], false);
    assert!(
        ep["disabled_reason"].as_str().unwrap().contains("410"),
        "{ep}"
    );
    let told: Vec<_> = deliveries(&app, Channel::Email)
        .await
        .into_iter()
        .filter(|m| m.recipient.as_deref() == Some(OLGA))
        .collect();
    assert_eq!(told.len(), 1, "the operator is told once");
    assert_eq!(told[0].kind, "webhook_endpoint_disabled");

    // 429 with Retry-After: 120 s, not the schedule's 5 s.
    let r = &hooks[&ids[1]];
    assert_eq!(r.status, DeliveryStatus::Pending);
    assert_eq!(r.last_status, Some(429));
    assert_eq!(
        r.next_attempt_at,
        Some(app.clock_now() + Duration::seconds(120))
    );

    // 302 is a failure: the redirect is not followed.
    let r = &hooks[&ids[2]];
    assert_eq!(
        (r.status, r.last_status),
        (DeliveryStatus::Pending, Some(302))
    );
    assert_eq!(
        received(dirs[2].path()).len(),
        1,
        "only the original URL was called"
    );

    // An operator re-sends the dead delivery after enabling the endpoint.
    json_with(
        app.patch(
            OLGA,
            &format!("/api/v1/webhooks/{}", ids[0]),
            &json!({"enabled": true}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let dead = hooks[&ids[0]].id;
    assert_eq!(
        app.post(
            OLGA,
            &format!("/api/v1/deliveries/{dead}/resend"),
            &json!({})
        )
        .await
        .status(),
        StatusCode::ACCEPTED
    );
    d.drain().await.unwrap();
    assert_eq!(received(dirs[0].path()).last().unwrap()["status"], 204);
    assert_eq!(
        app.post(
            OLGA,
            &format!("/api/v1/deliveries/{dead}/resend"),
            &json!({})
        )
        .await
        .status(),
        StatusCode::CONFLICT,
        "a delivered delivery is not sent again"
    );
}

#[tokio::test]
async fn endpoints_on_private_addresses_and_bad_input_are_refused() {
    let app = TestApp::spawn().await;
    // Private addresses are well-formed but refused by the setting
    // (`refused`); the others do not have the published URL form.
    for (url, kind) in [
        ("http://127.0.0.1:9/x", "refused"),
        ("http://localhost/", "refused"),
        ("http://10.0.0.8/", "refused"),
        ("http://[::1]/", "invalid_input"),
        ("ftp://example.com/", "invalid_input"),
        ("https://example.com/#f", "invalid_input"),
    ] {
        let res = app
            .post(OLGA, "/api/v1/webhooks", &json!({"url": url}))
            .await;
        let problem = json_with(res, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), ["url"], "{url}: {problem}");
        assert_eq!(
            problem["type"],
            format!("urn:kontor:problem:{kind}"),
            "{url}: {problem}"
        );
    }
    let res = app
        .post(OLGA, "/api/v1/webhooks", &json!({"url": "https://hooks.example.com/k", "event_types": ["partner_change.applied", "nope"]}))
        .await;
    let problem = json_with(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["event_types[1]"]);
    let res = app
        .post(
            OLGA,
            "/api/v1/webhooks",
            &json!({"url": "https://hooks.example.com/k", "colour": 1}),
        )
        .await;
    assert!(res.status().is_client_error());
    assert!(
        json_with(app.get(OLGA, "/api/v1/webhooks").await, StatusCode::OK).await["items"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing was written"
    );
    json_with(
        app.post(
            OLGA,
            "/api/v1/webhooks",
            &json!({"url": "https://hooks.example.com/k"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        app.get(OLGA, "/api/v1/deliveries?status=lost")
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.get(OLGA, "/api/v1/webhooks/not-a-uuid").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

/// Header value of a raw mail: folded lines joined, RFC 2047 encoded
/// words (`=?utf-8?b?…?=`) decoded.
fn header(raw: &str, name: &str) -> String {
    use base64::Engine;
    let mut lines = raw
        .lines()
        .skip_while(|l| !l.starts_with(&format!("{name}: ")));
    let first = lines.next().unwrap_or_else(|| panic!("no {name} in {raw}"));
    let mut value = first[name.len() + 2..].to_owned();
    for more in lines.take_while(|l| l.starts_with([' ', '\t'])) {
        value.push_str(more);
    }
    let words: Vec<String> = value
        .split_whitespace()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            match lower
                .strip_prefix("=?utf-8?b?")
                .and_then(|r| r.strip_suffix("?="))
            {
                Some(_) => {
                    let b64 = &w[10..w.len() - 2];
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(b64)
                        .unwrap();
                    String::from_utf8(bytes).unwrap()
                }
                None => w.to_owned(),
            }
        })
        .collect();
    // Adjacent encoded words carry their own spaces.
    words.join(" ").replace("  ", " ")
}

#[tokio::test]
async fn mails_reach_each_recipient_once_in_their_language_despite_drops_and_4xx() {
    let app = TestApp::spawn().await;
    let out = tempfile::tempdir().unwrap();
    let smtp = helper(
        "smtp_sink.py",
        &[
            "--dir",
            out.path().to_str().unwrap(),
            "--drop",
            "3",
            "--tempfail",
            "3",
        ],
    );
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let d = app.deliverer(|c| {
        c.smtp_url = Some(url);
        c.mail_from = "kontor <kontor@vendor.example>".into();
    });
    // Dora (English, with Ed as second admin) moves 110000000101 from Design Systems (GB, English)
    // to CAD Partner (DE, German); submitted, then applied.
    json_with(
        app.submit(DORA, "110000000101", "5100000001").await,
        StatusCode::ACCEPTED,
    )
    .await;
    app.advance(Duration::minutes(61));
    assert_eq!(app.run_worker().await.applied, 1);
    for _ in 0..12 {
        d.drain().await.unwrap();
        app.advance(Duration::minutes(6));
    }
    let mails = deliveries(&app, Channel::Email).await;
    let to: Vec<_> = mails.iter().map(|m| m.recipient.clone()).collect();
    assert_eq!(mails.len(), 8, "two events, four recipients each: {to:?}");
    assert!(
        mails.iter().all(|m| m.status == DeliveryStatus::Delivered),
        "{mails:?}"
    );
    assert!(
        mails.iter().any(|m| m.attempts > 1),
        "the faults caused retries"
    );

    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut ids = HashSet::new();
    for f in std::fs::read_dir(out.path()).unwrap() {
        let raw = std::fs::read_to_string(f.unwrap().path()).unwrap();
        let to = header(&raw, "To").to_owned();
        let subject = header(&raw, "Subject").to_owned();
        assert!(
            ids.insert(header(&raw, "Message-ID").to_owned()),
            "one copy per delivery"
        );
        assert!(raw.contains("text/plain") && raw.contains("text/html"));
        // #18: mails name the account and partners, not only their numbers.
        if to == DORA {
            assert!(
                raw.contains("Example Ltd (7000000002)")
                    && raw.contains("Design Systems Ltd (5100000004)"),
                "{raw}"
            );
        }
        let english =
            subject.starts_with("Partner change") || subject.starts_with("Partner changed");
        let german = subject.starts_with("Partnerwechsel") || subject.starts_with("Partner für");
        match to.as_str() {
            "orders@cad-partner.example" => assert!(german, "{to}: {subject}"),
            _ => assert!(english, "{to}: {subject}"),
        }
        let event = if subject.contains("requested") || subject.contains("beantragt") {
            "submitted"
        } else {
            "applied"
        };
        *seen.entry((event.to_owned(), to)).or_default() += 1;
    }
    let expected: HashMap<(String, String), usize> = ["submitted", "applied"]
        .iter()
        .flat_map(|e| {
            [
                DORA,
                "ed@example-ltd.example",
                "sales@design-systems.example",
                "orders@cad-partner.example",
            ]
            .map(|to| ((e.to_string(), to.to_owned()), 1))
        })
        .collect();
    assert_eq!(seen, expected, "exactly one mail per event and recipient");
}

/// The delivery process killed at random moments: afterwards every
/// delivery is delivered, every event reached the endpoint at least once,
/// and each delivery was marked delivered exactly once.
#[tokio::test]
async fn deliveries_survive_the_sender_being_killed_at_random_moments() {
    let app = TestApp::spawn_with(|c| c.webhook_allow_private = true).await;
    let dir = tempfile::tempdir().unwrap();
    let rx = receiver(dir.path(), &["--delay-ms", "15"]);
    let ep = create_endpoint(&app, &format!("http://127.0.0.1:{}/h", rx.port), json!([])).await;
    std::fs::write(dir.path().join("secrets"), ep["secret"].as_str().unwrap()).unwrap();
    // 80 submit/withdraw cycles: 160 events, each to the endpoint and to
    // four people (files in the data folder).
    let mut events = 0;
    for _ in 0..80 {
        let r = json_with(
            app.submit(ANNA, "110000000001", "5100000002").await,
            StatusCode::ACCEPTED,
        )
        .await;
        let id = r["id"].as_str().unwrap().to_owned();
        json_with(
            app.post(
                ANNA,
                &format!("/api/v1/partner-changes/{id}/withdraw"),
                &json!({}),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        events += 2;
    }
    let spawn = || {
        app.kontor_command()
            .arg("worker")
            .env("KONTOR_WEBHOOK_ALLOW_PRIVATE", "true")
            .env("KONTOR_WEBHOOK_TIMEOUT_SECONDS", "1")
            .env("KONTOR_DELIVERY_LEASE_SECONDS", "6")
            .env("KONTOR_DELIVERY_CONCURRENCY", "4")
            .env("KONTOR_DELIVERY_POLL_MS", "50")
            .env(
                "KONTOR_DELIVERY_RETRY_SCHEDULE",
                "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s",
            )
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .spawn()
            .expect("worker starts")
    };
    let mut kills = 0;
    for _ in 0..25 {
        let mut child = spawn();
        let wait = 80 + rand::random::<u64>() % 320;
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
    }
    // Then one runs to the end.
    let mut last = spawn();
    let expected = events * 5;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    let mut delivered = 0;
    while std::time::Instant::now() < deadline {
        let all = app
            .services
            .store
            .deliveries(&DeliveryFilter {
                status: Some(DeliveryStatus::Delivered),
                limit: 2000,
                ..Default::default()
            })
            .await
            .unwrap();
        delivered = all.len();
        if delivered == expected {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    last.kill().unwrap();
    last.wait().unwrap();
    assert_eq!(
        delivered, expected,
        "every delivery delivered after {kills} kills"
    );

    let hooks = deliveries(&app, Channel::Webhook).await;
    assert_eq!(hooks.len(), events);
    let got = received(dir.path());
    let ids: HashSet<&str> = got
        .iter()
        .filter(|r| r["status"] == 204)
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids.len(),
        events,
        "every event reached the endpoint at least once"
    );
    assert!(got.iter().all(|r| r["valid"] == true));
    for d in hooks
        .iter()
        .chain(deliveries(&app, Channel::Email).await.iter())
    {
        let attempts = app.services.store.delivery_attempts(d.id).await.unwrap();
        let successes = attempts.iter().filter(|a| a.error.is_none()).count();
        assert_eq!(successes, 1, "marked delivered once: {d:?} {attempts:?}");
    }
    eprintln!(
        "{kills} kills; {} webhook requests for {events} events ({} sent again after a kill)",
        got.len(),
        got.len() - events
    );
}

/// The token in the single mail to `to` among the `.eml` files.
fn reset_token(app: &TestApp, to: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for f in std::fs::read_dir(app.dir.path().join("mail")).unwrap() {
        let raw = std::fs::read_to_string(f.unwrap().path()).unwrap();
        if header(&raw, "To") != to {
            continue;
        }
        // Undo quoted-printable's soft line breaks; the token's alphabet
        // (URL-safe base64) needs no other decoding.
        let raw = raw.replace("=\r\n", "").replace("=\n", "");
        if let Some(at) = raw.find("/password-reset/") {
            let rest = &raw[at + "/password-reset/".len()..];
            tokens.push(
                rest.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect(),
            );
        }
    }
    tokens
}

/// Forgotten passwords (#6): a one-time link by mail, valid 60 minutes,
/// the same answer for unknown addresses, at most three mails an hour,
/// and a new password ends every session.
#[tokio::test]
async fn password_reset_links_work_once_within_the_hour() {
    let app = TestApp::spawn().await;
    let d = app.deliverer(|_| {});
    let ask = |email: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(format!("{}/api/v1/password-resets", app.base))
                .json(&json!({ "email": email }))
                .send()
                .await
                .unwrap()
        }
    };
    let confirm = |token: String, password: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(format!("{}/api/v1/password-resets/confirm", app.base))
                .json(&json!({ "token": token, "password": password }))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    // Known and unknown addresses get the same answer; only one mail goes out.
    assert_eq!(ask(ANNA).await.status(), StatusCode::ACCEPTED);
    assert_eq!(
        ask("nobody@muster.example").await.status(),
        StatusCode::ACCEPTED
    );
    let bad = json_with(
        ask("not-an-address").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&bad), ["email"]);
    d.drain().await.unwrap();
    let tokens = reset_token(&app, ANNA);
    assert_eq!(tokens.len(), 1);
    assert_eq!(
        std::fs::read_dir(app.dir.path().join("mail"))
            .unwrap()
            .count(),
        1
    );
    let token = tokens[0].clone();

    // The page shows the form while the link works.
    let form = app
        .client
        .get(format!("{}/password-reset/{token}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::OK, "{token}");
    let portal = crate::portal::browser(&app, ANNA, "en").await;
    assert_eq!(
        crate::portal::page(&app, &portal, "/agreements").await.0,
        StatusCode::OK
    );
    assert_eq!(
        confirm(token.clone(), "short").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    app.advance(Duration::minutes(59));
    assert_eq!(
        confirm(token.clone(), "a-brand-new-password").await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        confirm(token.clone(), "another-new-password").await,
        StatusCode::NOT_FOUND,
        "once"
    );
    let gone = app
        .client
        .get(format!("{}/password-reset/{token}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    // The new password signs in; the old one does not.
    for (password, status) in [
        ("a-brand-new-password", StatusCode::CREATED),
        ("kontor-demo", StatusCode::UNAUTHORIZED),
    ] {
        let res = app
            .client
            .post(format!("{}/api/v1/tokens", app.base))
            .json(&json!({"email": ANNA, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "{password}");
    }
    // The session opened with the old password has ended.
    let (status, _) = crate::portal::page(&app, &portal, "/agreements").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signed out everywhere");

    // 60 minutes after the request the link no longer works (boundary).
    app.advance(Duration::hours(2));
    assert_eq!(ask(ANNA).await.status(), StatusCode::ACCEPTED);
    d.drain().await.unwrap();
    let newest = reset_token(&app, ANNA)
        .into_iter()
        .find(|t| *t != token)
        .unwrap();
    app.advance(Duration::minutes(60));
    assert_eq!(
        confirm(newest, "a-third-new-password").await,
        StatusCode::NOT_FOUND
    );

    // At most three mails an hour, however often the form is sent.
    for _ in 0..5 {
        assert_eq!(ask(DORA).await.status(), StatusCode::ACCEPTED);
    }
    d.drain().await.unwrap();
    assert_eq!(reset_token(&app, DORA).len(), 3);
}

/// An endpoint failing without a single success for longer than
/// `webhook_disable_after_hours` is disabled and the operators are told;
/// one that has failed for less is left alone.
#[tokio::test]
async fn endpoints_failing_for_days_are_disabled_and_operators_told() {
    let app = TestApp::spawn_with(|c| c.webhook_allow_private = true).await;
    let dir = tempfile::tempdir().unwrap();
    let rx = receiver(dir.path(), &["--fail", "1000", "--status", "500"]);
    let ep = create_endpoint(&app, &format!("http://127.0.0.1:{}/h", rx.port), json!([])).await;
    std::fs::write(dir.path().join("secrets"), ep["secret"].as_str().unwrap()).unwrap();
    let id = ep["id"].as_str().unwrap();
    app.submit(ANNA, "110000000001", "5100000002").await;
    let d = app.deliverer(|c| c.webhook_disable_after_hours = 120);
    d.drain().await.unwrap();
    let state = json_with(
        app.get(OLGA, &format!("/api/v1/webhooks/{id}")).await,
        StatusCode::OK,
    )
    .await;
    assert!(state["failing_since"].is_string(), "{state}");

    app.advance(Duration::hours(119));
    d.drain().await.unwrap();
    let state = json_with(
        app.get(OLGA, &format!("/api/v1/webhooks/{id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(state["enabled"], true, "119 hours: still enabled");

    app.advance(Duration::hours(2));
    d.drain().await.unwrap();
    let state = json_with(
        app.get(OLGA, &format!("/api/v1/webhooks/{id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(state["enabled"], false, "121 hours: disabled");
    assert!(
        state["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("120 hours"),
        "{state}"
    );
    let told = deliveries(&app, Channel::Email)
        .await
        .into_iter()
        .filter(|m| m.kind == "webhook_endpoint_disabled")
        .count();
    assert_eq!(told, 1);
    let audit = json_with(
        app.get(OLGA, "/api/v1/audit?action=webhook_endpoint_disabled")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 1, "{audit}");

    // Its pending delivery waits, parked, without being tried.
    let hook = deliveries(&app, Channel::Webhook).await.remove(0);
    assert_eq!(
        (hook.status, hook.next_attempt_at),
        (DeliveryStatus::Pending, None)
    );

    // Enabling it again clears the run of failures and makes it due at once.
    let state = json_with(
        app.patch(
            OLGA,
            &format!("/api/v1/webhooks/{id}"),
            &json!({"enabled": true}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (state["enabled"].clone(), state["failing_since"].clone()),
        (json!(true), Value::Null)
    );
    let hook = deliveries(&app, Channel::Webhook).await.remove(0);
    assert_eq!(hook.next_attempt_at, Some(app.clock_now()));
}

/// Each attempt ends after `webhook_timeout_seconds` (15 by default; 1
/// here): a receiver that takes longer counts as a failure, retried later.
#[tokio::test]
async fn a_slow_receiver_times_out_and_is_retried() {
    let app = TestApp::spawn_with(|c| c.webhook_allow_private = true).await;
    let dir = tempfile::tempdir().unwrap();
    let rx = receiver(dir.path(), &["--delay-ms", "2500"]);
    let ep = create_endpoint(&app, &format!("http://127.0.0.1:{}/h", rx.port), json!([])).await;
    std::fs::write(dir.path().join("secrets"), ep["secret"].as_str().unwrap()).unwrap();
    app.submit(ANNA, "110000000001", "5100000002").await;
    let d = app.deliverer(|c| c.webhook_timeout_seconds = 1);
    d.drain().await.unwrap();
    let hook = deliveries(&app, Channel::Webhook).await.remove(0);
    assert_eq!(hook.status, DeliveryStatus::Pending);
    assert!(
        hook.last_error
            .as_deref()
            .unwrap_or("")
            .contains("timed out"),
        "{hook:?}"
    );
    // Cut off after about a second, well before the receiver's 2.5 s.
    let log = app.services.store.delivery_attempts(hook.id).await.unwrap();
    assert!(
        log[0].latency_ms >= 1000 && log[0].latency_ms < 2450,
        "{log:?}"
    );
}
