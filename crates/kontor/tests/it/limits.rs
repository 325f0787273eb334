//! #16: every route gets its documented body limit — `max_body_bytes`
//! (1 MiB) for requests, `max_import_bytes` (512 MiB) for the two imports,
//! which stream — and a body over it is a 413 problem document on the API
//! and the error page in the portal, whether `Content-Length` announced it
//! or a chunked body crossed the limit on the way.

use reqwest::StatusCode;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;
use crate::portal::{browser, hidden, page};

/// A preview body of `size` bytes (whitespace padding inside the object).
fn preview_body(size: usize) -> String {
    let core = r#"{"agreements": ["110000000001"], "new_partner": "5100000002"}"#;
    format!("{{{}{}", " ".repeat(size - core.len()), &core[1..])
}

async fn post_json(app: &TestApp, who: &str, path: &str, body: String) -> (StatusCode, Value) {
    let res = app
        .client
        .post(format!("{}{path}", app.base))
        .bearer_auth(app.token(who).await)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn is_too_large(p: &Value) -> bool {
    p["type"] == "urn:kontor:problem:body_too_large" && p["status"] == 413
}

/// Sends `body` chunked (no `Content-Length`), as a streaming client would;
/// the status line and body of the answer.
async fn post_chunked(app: &TestApp, path: &str, token: &str, ct: &str, body: &[u8]) -> String {
    let addr = app.base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bearer {token}\r\n\
         content-type: {ct}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    for chunk in body.chunks(64 * 1024) {
        let sent = async {
            tcp.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await?;
            tcp.write_all(chunk).await?;
            tcp.write_all(b"\r\n").await
        };
        // The server may answer and close before the whole body is sent.
        if sent.await.is_err() {
            break;
        }
    }
    let _ = tcp.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = tcp.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn request_bodies_are_held_to_max_body_bytes() {
    let app = TestApp::spawn().await;
    let anna = "anna@muster.example";
    let before = app.counts().await;
    // 1.5 MiB was processed before: the limit in force was axum's 2 MiB.
    let (status, p) = post_json(
        &app,
        anna,
        "/api/v1/partner-changes/preview",
        preview_body(1536 * 1024),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(is_too_large(&p), "{p}");
    let (status, _) = post_json(
        &app,
        anna,
        "/api/v1/partner-changes",
        preview_body(1024 * 1024 + 1),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // Exactly at the limit is fine.
    let (status, p) = post_json(
        &app,
        anna,
        "/api/v1/partner-changes/preview",
        preview_body(1024 * 1024),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    // A chunked body is cut off where it crosses the limit.
    let answer = post_chunked(
        &app,
        "/api/v1/partner-changes",
        &app.token(anna).await,
        "application/json",
        preview_body(1536 * 1024).as_bytes(),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("max_body_bytes"), "{answer}");
    assert_eq!(app.counts().await, before, "nothing was written");
}

#[tokio::test]
async fn a_configured_limit_is_the_limit() {
    let app = TestApp::spawn_with(|c| c.max_body_bytes = 1000).await;
    let anna = "anna@muster.example";
    let (status, p) = post_json(
        &app,
        anna,
        "/api/v1/partner-changes/preview",
        preview_body(1001),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("1000 bytes"), "{p}");
    let (status, p) = post_json(
        &app,
        anna,
        "/api/v1/partner-changes/preview",
        preview_body(1000),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    // Portal forms too: the error page, in the person's language.
    let browser = browser(&app, anna, "de").await;
    let (_, form) = page(&app, &browser, "/agreements/110000000001/partner").await;
    let csrf = hidden(&form, "csrf");
    let res = browser
        .post(format!(
            "{}/agreements/110000000001/partner-change",
            app.base
        ))
        .header("origin", app.base.clone())
        .form(&[("csrf", csrf.as_str()), ("padding", &"x".repeat(2000))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let html = res.text().await.unwrap();
    assert!(html.contains("zu groß"), "{html}");
}

/// An import document of `size` bytes that imports nothing.
fn empty_import(size: usize) -> Vec<u8> {
    let mut doc = b"{\"partners\": [".to_vec();
    doc.resize(size - 2, b' ');
    doc.extend_from_slice(b"]}");
    doc
}

#[tokio::test]
async fn imports_stream_up_to_max_import_bytes() {
    let app = TestApp::spawn_with(|c| c.max_import_bytes = 8 * 1024 * 1024).await;
    let olga = app.token("olga@vendor.example").await;
    let import = |body: Vec<u8>| {
        app.client
            .post(format!("{}/api/v1/import", app.base))
            .bearer_auth(&olga)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    // 3 MiB was refused at axum's 2 MiB before.
    let res = import(empty_import(3 * 1024 * 1024)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = import(empty_import(8 * 1024 * 1024)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "exactly at the limit");
    let res = import(empty_import(8 * 1024 * 1024 + 1)).await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(is_too_large(&res.json().await.unwrap()));
    // Streamed without a length: counted as it arrives.
    let answer = post_chunked(
        &app,
        "/api/v1/import",
        &olga,
        "application/json",
        &empty_import(9 * 1024 * 1024),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("max_import_bytes"), "{answer}");
    let answer = post_chunked(
        &app,
        "/api/v1/import",
        &olga,
        "application/json",
        &empty_import(3 * 1024 * 1024),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // The back-office upload: 3 MiB was a 400 page before.
    let browser = browser(&app, "olga@vendor.example", "en").await;
    let (_, form) = page(&app, &browser, "/back-office/import").await;
    let token = hidden(&form, "csrf");
    let upload = |body: Vec<u8>| {
        let form = reqwest::multipart::Form::new()
            .text("csrf", token.clone())
            .part(
                "file",
                reqwest::multipart::Part::bytes(body).file_name("import.json"),
            );
        browser
            .post(format!("{}/back-office/import", app.base))
            .header("origin", app.base.clone())
            .multipart(form)
            .send()
    };
    let res = upload(empty_import(3 * 1024 * 1024)).await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "imported (#18: redirects)"
    );
    let res = upload(empty_import(9 * 1024 * 1024)).await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.text().await.unwrap().contains("too large"));
}
