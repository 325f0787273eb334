//! #16: idle and slow connections are closed, and a connection cap keeps
//! the server answering while someone holds hundreds of connections open.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::*;

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap()
}

/// Whether the server has closed `tcp` (reads end) within `within`.
async fn closed_within(tcp: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, tcp.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            // An answer (a 408 for the slow request, say): read on.
            Ok(Ok(_)) => continue,
        }
    }
}

async fn healthz_within(app: &TestApp, within: Duration) -> bool {
    let client = reqwest::Client::builder().timeout(within).build().unwrap();
    client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
}

#[tokio::test]
async fn slow_headers_and_idle_keep_alive_connections_are_closed() {
    let app = TestApp::spawn_with(|c| {
        c.header_read_timeout_seconds = 1;
        c.keep_alive_idle_seconds = 2;
    })
    .await;
    // Slowloris: headers begun, never finished.
    let mut slow = connect(&app).await;
    slow.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    // Never a byte.
    let mut silent = connect(&app).await;
    assert!(
        closed_within(&mut slow, Duration::from_secs(3)).await,
        "slow headers"
    );
    assert!(
        closed_within(&mut silent, Duration::from_secs(3)).await,
        "silent"
    );
    // Keep-alive: one request answered, then idle.
    let mut idle = connect(&app).await;
    idle.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    let n = idle.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    let started = Instant::now();
    assert!(
        closed_within(&mut idle, Duration::from_secs(5)).await,
        "idle keep-alive"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "not before its time"
    );
}

#[tokio::test]
async fn the_server_answers_while_hundreds_of_connections_sit_idle() {
    let app = TestApp::spawn_with(|c| {
        c.max_connections = 100;
        // Long timeouts: only the cap can free a slot in time.
        c.header_read_timeout_seconds = 60;
        c.keep_alive_idle_seconds = 60;
    })
    .await;
    let mut held = Vec::new();
    for i in 0..300 {
        let mut tcp = connect(&app).await;
        if i % 2 == 0 {
            // Half slowloris, half silent.
            tcp.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
        }
        held.push(tcp);
    }
    for _ in 0..5 {
        assert!(
            healthz_within(&app, Duration::from_secs(2)).await,
            "/healthz answers with 300 connections held open"
        );
    }
    // A signed-in request with a body is served as well.
    let res = app
        .submit("anna@muster.example", "110000000001", "5100000002")
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::ACCEPTED);
    drop(held);
}

/// The issue's own case: a process with 256 descriptors, 300 connections
/// held open against it. Before, the descriptors ran out and `/healthz`
/// went unanswered; now the cap stays below the limit and evicts the
/// connections idle the longest.
#[tokio::test]
async fn a_process_with_few_descriptors_keeps_answering() {
    let app = TestApp::spawn_sqlite().await;
    let (child, base) = listening(
        std::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -n 256 && exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_kontor"))
            .arg("--data-dir")
            .arg(app.dir.path())
            .args(["serve", "--no-worker", "--listen", "127.0.0.1:0"])
            .env_remove("KONTOR_DATABASE_URL")
            .env("KONTOR_HEADER_READ_TIMEOUT_SECONDS", "60")
            .env("KONTOR_KEEP_ALIVE_IDLE_SECONDS", "60")
            .env("RUST_LOG", "error")
            .stderr(std::process::Stdio::null()),
    );
    let addr = base.trim_start_matches("http://").to_owned();
    let mut held = Vec::new();
    for _ in 0..300 {
        if let Ok(tcp) = TcpStream::connect(&addr).await {
            held.push(tcp);
        }
    }
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    let mut answered = 0;
    for _ in 0..5 {
        if client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            answered += 1;
        }
    }
    drop(child);
    drop(held);
    assert_eq!(answered, 5, "/healthz answered every time");
}
