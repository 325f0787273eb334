//! Bad input everywhere (#7): every endpoint that takes a JSON body gets
//! an oversized body, invalid UTF-8, a wrong content type, deeply nested
//! JSON, a huge number and an unknown field. Each answer is a clear 4xx
//! problem document, nothing is written, and the server keeps serving.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

/// (caller, path) of every endpoint with a JSON body.
const ENDPOINTS: &[(&str, &str)] = &[
    ("anna@muster.example", "/api/v1/partner-changes"),
    ("anna@muster.example", "/api/v1/partner-changes/preview"),
    ("anna@muster.example", "/api/v1/partner-changes/bulk"),
    ("paul@cad-partner.example", "/api/v1/transactions"),
    ("anna@muster.example", "/api/v1/support-cases"),
    ("anna@muster.example", "/api/v1/tokens"),
    ("olga@vendor.example", "/api/v1/webhooks"),
    ("anna@muster.example", "/api/v1/password-resets"),
    ("anna@muster.example", "/api/v1/password-resets/confirm"),
];

async fn send(
    app: &TestApp,
    who: &str,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, String) {
    let token = app.token(who).await;
    let res = app
        .client
        .post(format!("{}{path}", app.base))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = res.text().await.unwrap_or_default();
    assert!(
        ct.starts_with("application/problem+json"),
        "{path}: {status} answered {ct}: {text}"
    );
    (status, text)
}

#[tokio::test]
async fn every_json_endpoint_refuses_broken_bodies_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let before = app.counts().await;
    let json = "application/json";
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes();
    let oversized = format!("{{\"agreement\": \"{}\"}}", "1".repeat(2 * 1024 * 1024)).into_bytes();
    let cases: Vec<(&str, &str, Vec<u8>, &[u16])> = vec![
        ("oversized", json, oversized, &[413]),
        ("invalid UTF-8", json, vec![b'{', 0xff, 0xfe, b'}'], &[400]),
        ("wrong content type", "text/plain", b"{}".to_vec(), &[415]),
        (
            "form instead of JSON",
            "application/x-www-form-urlencoded",
            b"a=b".to_vec(),
            &[415],
        ),
        ("deeply nested", json, deep, &[400, 422]),
        (
            "huge number",
            json,
            b"{\"agreement\": 1e999999, \"limit\": 123456789012345678901234567890}".to_vec(),
            &[400, 422],
        ),
        (
            "unknown field",
            json,
            b"{\"colour\": \"blue\"}".to_vec(),
            &[400, 422],
        ),
        ("not an object", json, b"[1, 2, 3]".to_vec(), &[400, 422]),
        ("empty", json, Vec::new(), &[400]),
    ];
    for (who, path) in ENDPOINTS {
        for (what, ct, body, expected) in &cases {
            let (status, text) = send(&app, who, path, ct, body.clone()).await;
            assert!(
                expected.contains(&status.as_u16()),
                "{path}, {what}: {status} {text}"
            );
            let problem: Value = serde_json::from_str(&text).unwrap();
            assert!(
                !problem["detail"].as_str().unwrap_or("").is_empty(),
                "{path}, {what}: {text}"
            );
        }
    }
    assert_eq!(app.counts().await, before, "nothing was written");
    let res = app
        .client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "still serving");
}

#[tokio::test]
async fn huge_and_negative_numbers_in_queries_name_the_parameter() {
    let app = TestApp::spawn().await;
    for path in [
        "/api/v1/agreements?limit=99999999999999999999999",
        "/api/v1/agreements?limit=-1",
        "/api/v1/partner-changes?limit=1e9",
        "/api/v1/audit?limit=0",
        "/api/v1/audit?limit=null&limit=null",
        "/api/v1/partner-changes?limit=5&limit=6",
    ] {
        let res = app.get("olga@vendor.example", path).await;
        let status = res.status();
        let p: Value = res.json().await.unwrap();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {p}");
        assert_eq!(p["errors"][0]["field"], "limit", "{path}: {p}");
    }
    // A cursor is the last key in plain form: any value of the documented
    // form is a position to resume after; anything else names `cursor`.
    for (path, status) in [
        ("/api/v1/agreements?cursor=999999999999", StatusCode::OK),
        ("/api/v1/audit?cursor=0", StatusCode::OK),
        (
            "/api/v1/deliveries?cursor=123456789012345678",
            StatusCode::OK,
        ),
        (
            "/api/v1/partner-changes?cursor=00000000-0000-0000-0000-000000000000",
            StatusCode::OK,
        ),
        ("/api/v1/audit?cursor=abc", StatusCode::UNPROCESSABLE_ENTITY),
        (
            "/api/v1/partner-changes?cursor=12",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let res = app.get("olga@vendor.example", path).await;
        let got = res.status();
        let p: Value = res.json().await.unwrap();
        assert_eq!(got, status, "{path}: {p}");
        if status == StatusCode::OK {
            assert!(p["items"].is_array(), "{path}: {p}");
        } else {
            assert_eq!(p["errors"][0]["field"], "cursor", "{path}: {p}");
        }
    }
    // Empty values mean "no filter", as forms and generated clients send
    // them; `limit` is a number, not a filter, and names itself.
    let res = app
        .get(
            "olga@vendor.example",
            "/api/v1/agreements?kind=&q=&cursor=&partner=",
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .get("olga@vendor.example", "/api/v1/agreements?kind=&limit=")
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "limit", "{p}");
    // `open` on support cases: true, false or empty; nothing else.
    for (query, status) in [
        ("open=", StatusCode::OK),
        ("open=true", StatusCode::OK),
        ("open=false", StatusCode::OK),
        ("open=yes", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let res = app
            .get(
                "olga@vendor.example",
                &format!("/api/v1/support-cases?{query}"),
            )
            .await;
        assert_eq!(res.status(), status, "{query}");
    }
    // A wrong method is a problem document too, with the methods allowed.
    let res = app
        .client
        .put(format!("{}/api/v1/partner-changes", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(res.headers().contains_key("allow"));
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["status"], 405);
}

/// #16: a valid body with something after it, two bodies back to back, and
/// a valid body's values as an array (which serde would take for a struct,
/// field by field) are refused as a whole: nothing of them is acted on.
#[tokio::test]
async fn trailing_data_and_arrays_for_objects_are_refused() {
    let app = TestApp::spawn().await;
    let before = app.counts().await;
    let submit = r#"{"agreement": "110000000001", "new_partner": "5100000002"}"#;
    let cases: Vec<(&str, String, u16, &str)> = vec![
        (
            "garbage after",
            format!("{submit}garbage"),
            400,
            "malformed_json",
        ),
        (
            "two objects",
            format!("{submit}{submit}"),
            400,
            "malformed_json",
        ),
        (
            "two objects, spaced",
            format!("{submit}\n{submit}"),
            400,
            "malformed_json",
        ),
        (
            "an array for the object",
            r#"["110000000001", "5100000002"]"#.to_owned(),
            422,
            "invalid_input",
        ),
    ];
    for (what, body, status, kind) in &cases {
        let (got, text) = send(
            &app,
            "anna@muster.example",
            "/api/v1/partner-changes",
            "application/json",
            body.clone().into_bytes(),
        )
        .await;
        assert_eq!(got.as_u16(), *status, "{what}: {text}");
        let problem: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            problem["type"],
            format!("urn:kontor:problem:{kind}"),
            "{what}: {text}"
        );
        if *status == 422 {
            assert_eq!(problem["errors"][0]["field"], "body", "{what}: {text}");
        }
    }
    // The same on an endpoint whose body is all optional fields.
    let (got, _) = send(
        &app,
        "anna@muster.example",
        "/api/v1/tokens",
        "application/json",
        br#"{"email": "anna@muster.example", "password": "kontor-demo"} {}"#.to_vec(),
    )
    .await;
    assert_eq!(got, StatusCode::BAD_REQUEST);
    assert_eq!(app.counts().await, before, "nothing was written");
    // Whitespace after the object is fine.
    let res = app
        .client
        .post(format!("{}/api/v1/partner-changes", app.base))
        .bearer_auth(app.token("anna@muster.example").await)
        .header("content-type", "application/json")
        .body(format!("{submit}\n\t "))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED);
}
