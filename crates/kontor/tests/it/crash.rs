//! R8 crash safety: `kontor worker` is SIGKILLed at random moments over a few
//! thousand due requests; afterwards every request is applied exactly once.

use std::process::Stdio;
use std::time::Duration;

use kontor_core::domain::audit::By;
use kontor_core::domain::ids::{AgreementNumber, Csn};
use rand::RngExt;
use serde_json::json;

use crate::helpers::*;

const N: usize = 3000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_at_random_moments_applies_every_request_exactly_once() {
    let app = TestApp::spawn().await;
    // N more contracts of Muster Bau, each served by CAD Partner.
    let agreements: Vec<_> = (0..N)
        .map(|i| json!({"number": format!("1109{i:08}"), "kind": "contract", "account": "7000000001",
            "products": [{"name": "AutoCAD", "seats": 1}], "term_start": "2026-01-01", "term_end": "2028-12-31",
            "support_level": "standard", "status": "active", "partners": ["5100000001"]}))
        .collect();
    let doc = serde_json::to_vec(&json!({ "agreements": agreements })).unwrap();
    kontor::import_file::import_file(
        &app.services,
        &kontor::auth::Argon2Hasher,
        kontor::import_file::ImportFormat::Json,
        std::io::Cursor::new(doc),
        By::System("test"),
        |_| {},
    )
    .await
    .map_err(|_| "import failed")
    .unwrap();
    let anna = app
        .services
        .store
        .user_by_email("anna@muster.example")
        .await
        .unwrap()
        .unwrap()
        .actor;
    for i in 0..N {
        let n = AgreementNumber::parse(&format!("1109{i:08}")).unwrap();
        let p = Csn::parse(if i % 2 == 0 {
            "5100000002"
        } else {
            "5100000004"
        })
        .unwrap();
        app.services.submit(&anna, &n, &p, None).await.unwrap();
    }
    let before = app.counts().await;

    // The worker runs as a child process with the clock past the delay and
    // small batches, so kills land inside transactions.
    let due = "2026-11-25T11:00:00Z";
    let spawn = || {
        app.kontor_command()
            .arg("worker")
            .env("KONTOR_CLOCK", due)
            .env("KONTOR_WORKER_BATCH", "20")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut kills = 0;
    let mut rng = rand::rng();
    loop {
        let mut child = spawn();
        tokio::time::sleep(Duration::from_millis(rng.random_range(20..150))).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
        let pending = app
            .services
            .store
            .requests(
                &kontor_core::store::Scope::All,
                &kontor_core::store::RequestFilter {
                    status: Some(kontor_core::domain::change_request::RequestStatus::Pending),
                    limit: 1,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        if pending.is_empty() || kills >= 300 {
            break;
        }
    }
    assert!(
        kills >= 5,
        "the worker should be killed several times mid-run (killed {kills} times)"
    );
    // Whatever is left is finished by a clean run (mails and webhooks
    // left to other processes).
    let out = app
        .kontor_command()
        .args(["worker", "--once", "--no-delivery"])
        .env("KONTOR_CLOCK", due)
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("delivery"),
        "--no-delivery sends nothing"
    );

    let after = app.counts().await;
    let delta = |t: &str| after[t] - before[t];
    let n = N as i64;
    // Exactly one new assignment per request, two audit entries (applied +
    // assignment changed) and one outbox message (to four recipients).
    assert_eq!(
        delta("partner_assignments"),
        n,
        "each request applied exactly once"
    );
    assert_eq!(delta("audit"), 2 * n);
    assert_eq!(delta("outbox"), n);
    assert_eq!(delta("change_requests"), 0);
    for i in (0..N).step_by(97) {
        let number = format!("1109{i:08}");
        let a = json_with(
            app.get(
                "anna@muster.example",
                &format!("/api/v1/agreements/{number}"),
            )
            .await,
            reqwest::StatusCode::OK,
        )
        .await;
        let expected = if i % 2 == 0 {
            "5100000002"
        } else {
            "5100000004"
        };
        assert_eq!(a["partners"], json!([expected]), "{number}");
        let h = json_with(
            app.get(
                "anna@muster.example",
                &format!("/api/v1/agreements/{number}/partner-history"),
            )
            .await,
            reqwest::StatusCode::OK,
        )
        .await;
        assert_eq!(h["items"].as_array().unwrap().len(), 2, "{number}");
    }
    let applied = app
        .services
        .store
        .requests(
            &kontor_core::store::Scope::All,
            &kontor_core::store::RequestFilter {
                status: Some(kontor_core::domain::change_request::RequestStatus::Applied),
                limit: 10_000,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(applied.len(), N);
    eprintln!("crash test: {N} requests, worker killed {kills} times");
}

/// Writes by another process (a separate `kontor worker`) reach a serving
/// instance's read cache through the audit feed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_process_applying_a_change_is_seen_by_the_cache_within_the_poll_interval() {
    let app = TestApp::spawn_with(|c| c.cache_poll_ms = 50).await;
    json_with(
        app.submit("anna@muster.example", "110000000001", "5100000002")
            .await,
        reqwest::StatusCode::ACCEPTED,
    )
    .await;
    // Read once so the agreement is cached.
    let a = json_with(
        app.get("anna@muster.example", "/api/v1/agreements/110000000001")
            .await,
        reqwest::StatusCode::OK,
    )
    .await;
    assert_eq!(a["partners"], json!(["5100000001"]));
    let out = app
        .kontor_command()
        .args(["worker", "--once"])
        .env("KONTOR_CLOCK", "2026-11-25T11:00:00Z")
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().next(),
        Some("applied 1 rejected 0")
    );
    let started = std::time::Instant::now();
    loop {
        let a = json_with(
            app.get("anna@muster.example", "/api/v1/agreements/110000000001")
                .await,
            reqwest::StatusCode::OK,
        )
        .await;
        if a["partners"] == json!(["5100000002"]) {
            assert!(a.get("open_change").is_none());
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "still stale after 3 s: {a}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
