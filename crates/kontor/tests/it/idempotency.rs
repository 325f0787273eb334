//! R7: `Idempotency-Key` makes retried submits safe.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

async fn submit_with_key(
    app: &TestApp,
    who: &str,
    key: &str,
    body: &serde_json::Value,
) -> (StatusCode, Option<String>, Vec<u8>) {
    let t = app.token(who).await;
    let res = app
        .client
        .post(format!("{}/api/v1/partner-changes", app.base))
        .bearer_auth(t)
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let replayed = res
        .headers()
        .get("idempotent-replayed")
        .map(|v| v.to_str().unwrap().to_owned());
    (res.status(), replayed, res.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn a_retry_with_the_same_key_replays_the_first_response_byte_for_byte() {
    let app = TestApp::spawn().await;
    let body = json!({"agreement": "110000000001", "new_partner": "5100000002"});
    let first = submit_with_key(&app, "anna@muster.example", "k-1", &body).await;
    assert_eq!(first.0, StatusCode::ACCEPTED);
    assert_eq!(first.1, None);
    let before = app.counts().await;
    let retry = submit_with_key(&app, "anna@muster.example", "k-1", &body).await;
    assert_eq!(retry.0, StatusCode::ACCEPTED);
    assert_eq!(retry.1.as_deref(), Some("true"));
    assert_eq!(retry.2, first.2, "same bytes");
    assert_eq!(app.counts().await, before, "nothing new was created");

    // The same key with another body is refused.
    let other = json!({"agreement": "110000000001", "new_partner": "5100000004"});
    let p = submit_with_key(&app, "anna@muster.example", "k-1", &other).await;
    assert_eq!(p.0, StatusCode::UNPROCESSABLE_ENTITY);
    let p: serde_json::Value = serde_json::from_slice(&p.2).unwrap();
    assert_eq!(p["type"], "urn:kontor:problem:idempotency_key_reused");

    // Keys are scoped to the caller: Bernd's "k-1" is his own (and hits R7).
    let bernd = submit_with_key(&app, "bernd@muster.example", "k-1", &body).await;
    assert_eq!(bernd.0, StatusCode::CONFLICT);
    assert_eq!(bernd.1, None);

    // Error answers are replayed as well.
    let again = submit_with_key(&app, "bernd@muster.example", "k-1", &body).await;
    assert_eq!(
        (again.0, again.1.as_deref()),
        (StatusCode::CONFLICT, Some("true"))
    );
    assert_eq!(again.2, bernd.2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_with_one_key_create_one_request() {
    let app = TestApp::spawn().await;
    let body = json!({"agreement": "110000000001", "new_partner": "5100000002"});
    let mut tasks = Vec::new();
    let app = std::sync::Arc::new(app);
    for _ in 0..10 {
        let app = app.clone();
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            submit_with_key(&app, "anna@muster.example", "same", &body).await
        }));
    }
    let mut created = Vec::new();
    for t in tasks {
        let (status, replayed, bytes) = t.await.unwrap();
        match status {
            StatusCode::ACCEPTED => created.push((replayed, bytes)),
            // Still running: the client is told to retry.
            StatusCode::CONFLICT => {
                let p: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                assert_eq!(p["type"], "urn:kontor:problem:idempotency_key_in_flight");
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(!created.is_empty());
    assert_eq!(
        created.iter().filter(|(r, _)| r.is_none()).count(),
        1,
        "exactly one original"
    );
    assert!(
        created.windows(2).all(|w| w[0].1 == w[1].1),
        "replays equal the original"
    );
    let all = json_with(
        app.get("anna@muster.example", "/api/v1/partner-changes")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(all["items"].as_array().unwrap().len(), 1);
}
