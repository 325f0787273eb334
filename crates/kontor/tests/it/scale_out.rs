//! Several `kontor serve` and `kontor worker` processes on one PostgreSQL
//! (issue #5): requests submitted round-robin, double submits racing across
//! instances, workers killed and restarted, database connections cut —
//! and at the end every acknowledged request applied or rejected exactly
//! once, with history, audit and outbox agreeing. Needs
//! `KONTOR_TEST_POSTGRES_URL` (`.ci/run` sets it); without it, the tests
//! say so and pass.

use std::collections::{HashMap, HashSet};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rand::RngExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::helpers::*;

/// The workers' clock: a day ahead of the serve processes' real one, so
/// every request is due as soon as it is committed. (The serve processes
/// keep real time: idempotency claims must be able to go stale.)
fn worker_clock() -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::days(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// Contracts `1109xxxxxxxx` of anna's account, all eligible.
fn number(i: usize) -> String {
    format!("1109{i:08}")
}

/// Imports `count` eligible contracts into the test's database.
fn import_contracts(app: &TestApp, count: usize) {
    let agreements: Vec<Value> = (0..count)
        .map(|i| {
            json!({"number": number(i), "kind": "contract", "account": "7000000001",
                "products": [{"name": "AutoCAD", "seats": 1 + i % 50}], "term_start": "2026-01-01",
                "term_end": "2035-12-31", "auto_renew": false, "program": "standard",
                "support_level": "standard", "status": "active", "partners": ["5100000001"]})
        })
        .collect();
    let file = app.dir.path().join("contracts.json");
    std::fs::write(&file, json!({ "agreements": agreements }).to_string()).unwrap();
    let out = app
        .kontor_command()
        .arg("import")
        .arg(&file)
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Starts `kontor serve --no-worker` on a free port against `url`.
fn serve(app: &TestApp, url: &str) -> (ChildProcess, String) {
    listening(
        app.kontor_command()
            .args(["serve", "--no-worker", "--listen", "127.0.0.1:0"])
            .env("KONTOR_DATABASE_URL", url)
            .env("KONTOR_DATABASE_MAX_CONNECTIONS", "8")
            .env("KONTOR_DATABASE_ACQUIRE_TIMEOUT_SECONDS", "2")
            .env("RUST_LOG", "error")
            .stderr(Stdio::null()),
    )
}

/// Starts `kontor worker` on the database at `url` (data dir `dir`) with
/// small batches, so kills land inside transactions, and a short lease.
fn worker(dir: &std::path::Path, url: &str) -> ChildProcess {
    ChildProcess(
        std::process::Command::new(env!("CARGO_BIN_EXE_kontor"))
            .arg("--data-dir")
            .arg(dir)
            .arg("worker")
            .env("KONTOR_DATABASE_URL", url)
            .env("KONTOR_CLOCK", worker_clock())
            .env("KONTOR_WORKER_BATCH", "100")
            .env("KONTOR_WORKER_LEASE_SECONDS", "5")
            // Only partner changes' outbox messages are counted here.
            .env("KONTOR_REMINDER_DAYS", "")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    )
}

/// The final answer to one submit: status and request id (when accepted).
type Answer = (u16, Option<String>);

/// Submits with an Idempotency-Key, retrying transport errors, 5xx (an
/// instance that lost its database) and "still in flight" (an attempt cut
/// off mid-way whose claim could not be released) until a definite answer.
async fn submit(client: &reqwest::Client, base: &str, token: &str, agreement: &str) -> Answer {
    let key = uuid::Uuid::now_v7().to_string();
    let started = Instant::now();
    loop {
        let res = client
            .post(format!("{base}/api/v1/partner-changes"))
            .bearer_auth(token)
            .header("idempotency-key", &key)
            .json(&json!({ "agreement": agreement, "new_partner": "5100000002" }))
            .send()
            .await;
        if let Ok(res) = res {
            let status = res.status();
            if !status.is_server_error() {
                let body: Value = res.json().await.unwrap_or(Value::Null);
                let in_flight = body["type"]
                    .as_str()
                    .is_some_and(|t| t.ends_with("idempotency_key_in_flight"));
                if !in_flight {
                    return (status.as_u16(), body["id"].as_str().map(str::to_owned));
                }
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no definite answer for {agreement} within two minutes"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Submits one request per contract round-robin over `bases`; every tenth
/// contract gets two racing submits to two different instances.
async fn submit_all(bases: &[String], token: &str, count: usize) -> HashMap<String, Vec<Answer>> {
    let client = reqwest::Client::new();
    let gate = Arc::new(Semaphore::new(24));
    let mut tasks = JoinSet::new();
    for i in 0..count {
        let n = number(i);
        let targets: Vec<String> = if i % 10 == 0 {
            vec![
                bases[i % bases.len()].clone(),
                bases[(i + 1) % bases.len()].clone(),
            ]
        } else {
            vec![bases[i % bases.len()].clone()]
        };
        let (client, gate, token) = (client.clone(), gate.clone(), token.to_owned());
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            let mut racing = JoinSet::new();
            for base in targets {
                let (client, token, n) = (client.clone(), token.clone(), n.clone());
                racing.spawn(async move { submit(&client, &base, &token, &n).await });
            }
            let answers: Vec<Answer> = racing.join_all().await;
            (n, answers)
        });
    }
    tasks.join_all().await.into_iter().collect()
}

/// Waits until no request is pending (workers keep running meanwhile).
async fn wait_until_drained(pool: &PgPool, within: Duration) {
    let started = Instant::now();
    loop {
        let pending: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM change_requests WHERE status = 'pending'")
                .fetch_one(pool)
                .await
                .unwrap();
        if pending == 0 {
            return;
        }
        assert!(
            started.elapsed() < within,
            "{pending} requests still pending after {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Every acknowledged request stored and decided exactly once; history,
/// audit and outbox agreeing with the requests.
///
/// Racing submits: the loser sees the open request (409), or — when a
/// worker applied the winner in between and the loser's instance had not
/// yet seen it — is accepted too and then rejected or applied without
/// effect at its turn (R7 holds: never two open at once; R8 re-checks).
/// And no request exists that its client was not told about: a batch
/// cut off mid-commit is resolved by asking the database before answering.
async fn verify(pool: &PgPool, answers: &HashMap<String, Vec<Answer>>, count: usize) {
    assert_eq!(answers.len(), count);
    let mut acknowledged = HashSet::new();
    for (n, a) in answers {
        let wins: Vec<&Answer> = a.iter().filter(|(s, _)| *s == 202).collect();
        assert!(
            wins.len() == 1 || (wins.len() == 2 && a.len() == 2),
            "{n}: {a:?}"
        );
        for (status, _) in a.iter().filter(|(s, _)| *s != 202) {
            assert!(matches!(status, 409 | 422), "{n}: {a:?}");
        }
        for w in wins {
            acknowledged.insert(w.1.clone().expect("an accepted request has an id"));
        }
    }
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, agreement_number, status FROM change_requests WHERE agreement_number LIKE '1109%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let stored: HashSet<String> = rows.iter().map(|r| r.0.clone()).collect();
    assert!(
        acknowledged.is_subset(&stored),
        "every acknowledged request is stored"
    );
    assert_eq!(
        stored.len(),
        acknowledged.len(),
        "requests nobody was told about"
    );
    let agreements: HashSet<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(agreements.len(), count, "every contract has a request");
    assert!(
        rows.iter().all(|r| r.2 == "applied" || r.2 == "rejected"),
        "every request decided"
    );
    let count_of = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .unwrap()
    };
    // History: each contract changed once, by self-service, and its one
    // current partner is the new one.
    assert_eq!(
        count_of("SELECT COUNT(*) FROM partner_assignments WHERE source = 'self_service' AND agreement_number LIKE '1109%'").await,
        count as i64
    );
    assert_eq!(
        count_of("SELECT COUNT(*) FROM partner_assignments WHERE valid_to IS NULL AND agreement_number LIKE '1109%'").await,
        count as i64
    );
    assert_eq!(
        count_of("SELECT COUNT(*) FROM partner_assignments WHERE valid_to IS NULL AND partner_csn = '5100000002' AND agreement_number LIKE '1109%'").await,
        count as i64
    );
    // Audit: per request exactly one submitted and exactly one decision entry.
    let per_request: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT request_id, COUNT(*) FILTER (WHERE action = 'change_requested'), \
                COUNT(*) FILTER (WHERE action IN ('change_applied', 'change_rejected')) \
         FROM audit WHERE agreement_number LIKE '1109%' AND request_id IS NOT NULL GROUP BY request_id",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(per_request.len(), stored.len());
    for (id, submitted, decided) in &per_request {
        assert!(stored.contains(id), "audit names a stored request");
        assert_eq!((*submitted, *decided), (1, 1), "request {id}");
    }
    // Outbox: one message for the submit and one for the decision.
    let messages = count_of("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%\"1109%'").await;
    assert_eq!(messages, 2 * stored.len() as i64, "outbox messages");
}

async fn pool_of(app: &TestApp) -> PgPool {
    PgPool::connect(app.database_url.as_deref().unwrap())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_and_three_workers_apply_every_request_exactly_once() {
    if postgres_url().is_none() {
        eprintln!("KONTOR_TEST_POSTGRES_URL is not set: scale-out not tested");
        return;
    }
    const COUNT: usize = 10_000;
    let app = TestApp::spawn().await;
    let url = app.database_url.clone().unwrap();
    import_contracts(&app, COUNT);
    let servers: Vec<(ChildProcess, String)> = (0..3).map(|_| serve(&app, &url)).collect();
    let bases: Vec<String> = servers.iter().map(|(_, b)| b.clone()).collect();
    let workers = Arc::new(std::sync::Mutex::new(
        (0..3)
            .map(|_| worker(app.dir.path(), &url))
            .collect::<Vec<ChildProcess>>(),
    ));

    // Kill a random worker every few hundred milliseconds and start a new one.
    let running = Arc::new(AtomicBool::new(true));
    let killer = {
        let (running, workers) = (running.clone(), workers.clone());
        let (dir, url) = (app.dir.path().to_owned(), url.clone());
        tokio::spawn(async move {
            let mut kills = 0u32;
            while running.load(Ordering::Relaxed) {
                let pause = rand::rng().random_range(200..600);
                tokio::time::sleep(Duration::from_millis(pause)).await;
                let i = rand::rng().random_range(0..3);
                let mut w = workers.lock().unwrap();
                w[i].0.kill().ok();
                w[i].0.wait().ok();
                w[i] = worker(&dir, &url);
                kills += 1;
            }
            kills
        })
    };
    let token = app.token("anna@muster.example").await;
    let answers = submit_all(&bases, &token, COUNT).await;
    running.store(false, Ordering::Relaxed);
    let kills = killer.await.unwrap();
    assert!(kills >= 3, "workers were killed during the run ({kills})");

    let pool = pool_of(&app).await;
    wait_until_drained(&pool, Duration::from_secs(120)).await;
    verify(&pool, &answers, COUNT).await;
    pool.close().await;
    drop(workers);
    drop(servers);
}

/// A TCP relay to PostgreSQL that can cut every connection and refuse new
/// ones for a while, as a database restart or network outage does.
struct Relay {
    port: u16,
    down: Arc<AtomicBool>,
    cut: Arc<tokio::sync::Notify>,
}

impl Relay {
    async fn start(target: String) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let down = Arc::new(AtomicBool::new(false));
        let cut = Arc::new(tokio::sync::Notify::new());
        let (d, c) = (down.clone(), cut.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    return;
                };
                if d.load(Ordering::Relaxed) {
                    continue; // dropped: connection refused mid-handshake
                }
                let (target, c) = (target.clone(), c.clone());
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(&target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = c.notified() => {}
                    }
                });
            }
        });
        Relay { port, down, cut }
    }

    /// Drops every open connection and refuses new ones until `up`.
    fn go_down(&self) {
        self.down.store(true, Ordering::Relaxed);
        self.cut.notify_waiters();
    }

    fn up(&self) {
        self.down.store(false, Ordering::Relaxed);
    }
}

/// `url` with its host and port replaced by the relay's.
fn through(url: &str, port: u16) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (auth, path) = rest.split_once('/').unwrap();
    let user = auth
        .rsplit_once('@')
        .map(|(u, _)| format!("{u}@"))
        .unwrap_or_default();
    format!("{scheme}://{user}127.0.0.1:{port}/{path}")
}

async fn ready(client: &reqwest::Client, base: &str) -> StatusCode {
    match client.get(format!("{base}/readyz")).send().await {
        Ok(r) => r.status(),
        Err(_) => StatusCode::BAD_GATEWAY,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_rides_out_database_outages_and_loses_nothing_acknowledged() {
    if postgres_url().is_none() {
        eprintln!("KONTOR_TEST_POSTGRES_URL is not set: database faults not tested");
        return;
    }
    const COUNT: usize = 3_000;
    let app = TestApp::spawn().await;
    let url = app.database_url.clone().unwrap();
    import_contracts(&app, COUNT);
    let server_addr = {
        let rest = url.split_once("://").unwrap().1;
        let host = rest.split_once('/').unwrap().0;
        host.rsplit_once('@').map_or(host, |(_, h)| h).to_owned()
    };
    let relay = Relay::start(server_addr).await;
    let relayed = through(&url, relay.port);
    let servers: Vec<(ChildProcess, String)> = (0..2).map(|_| serve(&app, &relayed)).collect();
    let bases: Vec<String> = servers.iter().map(|(_, b)| b.clone()).collect();
    let workers: Vec<ChildProcess> = (0..2).map(|_| worker(app.dir.path(), &relayed)).collect();
    let client = reqwest::Client::new();
    assert_eq!(ready(&client, &bases[0]).await, StatusCode::OK);

    let token = app.token("anna@muster.example").await;
    let submitting = tokio::spawn({
        let bases = bases.clone();
        async move { submit_all(&bases, &token, COUNT).await }
    });
    let pool = pool_of(&app).await;
    // Mid-run: an outage of three seconds, then every kontor session killed
    // from the server side.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    relay.go_down();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut saw_unready = false;
    for _ in 0..10 {
        if ready(&client, &bases[1]).await == StatusCode::SERVICE_UNAVAILABLE {
            saw_unready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(saw_unready, "/readyz reports the database unreachable");
    tokio::time::sleep(Duration::from_secs(1)).await;
    relay.up();
    let started = Instant::now();
    while ready(&client, &bases[1]).await != StatusCode::OK {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "/readyz recovers on its own"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let killed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = 'kontor' AND pid <> pg_backend_pid()) k",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(killed > 0, "kontor had sessions to kill");

    let answers = submitting.await.unwrap();
    wait_until_drained(&pool, Duration::from_secs(120)).await;
    verify(&pool, &answers, COUNT).await;
    pool.close().await;
    drop(workers);
    drop(servers);
}
