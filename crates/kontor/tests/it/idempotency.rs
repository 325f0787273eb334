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

/// Drops every stored answer, as if each first attempt had committed its
/// request but its answer had never been stored (the process or the
/// database went away in between, or a cut-off commit answered 5xx).
async fn lose_stored_answers(app: &TestApp) {
    let later = app.clock_now() + time::Duration::minutes(1);
    app.services.store.purge_keys(later).await.unwrap();
}

/// What a retry must not create again.
async fn made(app: &TestApp) -> [i64; 3] {
    let c = app.counts().await;
    ["change_requests", "audit", "outbox"].map(|t| c[t])
}

/// R7: a retry whose first answer was lost finds its own request (same
/// caller, same key, same change) and gets it back, 202, instead of
/// meeting it as a conflict. Anyone or anything else still meets R7.
#[tokio::test]
async fn a_retry_whose_first_answer_was_lost_gets_its_own_request_back() {
    let app = TestApp::spawn().await;
    let anna = "anna@muster.example";
    let body = json!({"agreement": "110000000001", "new_partner": "5100000002"});
    let first = submit_with_key(&app, anna, "k-lost", &body).await;
    assert_eq!(first.0, StatusCode::ACCEPTED);
    let first: serde_json::Value = serde_json::from_slice(&first.2).unwrap();
    lose_stored_answers(&app).await;
    let before = made(&app).await;

    let conflict = |r: (StatusCode, Option<String>, Vec<u8>)| {
        assert_eq!(
            r.0,
            StatusCode::CONFLICT,
            "{}",
            String::from_utf8_lossy(&r.2)
        );
        let p: serde_json::Value = serde_json::from_slice(&r.2).unwrap();
        assert_eq!(p["type"], "urn:kontor:problem:change_pending");
    };
    // The same key for another change is not a retry of this one.
    let other = json!({"agreement": "110000000001", "new_partner": "5100000004"});
    conflict(submit_with_key(&app, anna, "k-lost", &other).await);
    // Another key, another admin with the same key, or no key: R7.
    conflict(submit_with_key(&app, anna, "k-other", &body).await);
    conflict(submit_with_key(&app, "bernd@muster.example", "k-lost", &body).await);
    let no_key = app.submit(anna, "110000000001", "5100000002").await;
    assert_eq!(no_key.status(), StatusCode::CONFLICT);

    lose_stored_answers(&app).await;
    let retry = submit_with_key(&app, anna, "k-lost", &body).await;
    assert_eq!(
        retry.0,
        StatusCode::ACCEPTED,
        "{}",
        String::from_utf8_lossy(&retry.2)
    );
    let got: serde_json::Value = serde_json::from_slice(&retry.2).unwrap();
    assert_eq!(got["id"], first["id"], "its own request: {got}");
    assert_eq!(got["status"], "pending");
    assert_eq!(made(&app).await, before, "nothing was made again");
    // From now on the retry's answer is the stored one.
    let again = submit_with_key(&app, anna, "k-lost", &body).await;
    assert_eq!(
        (again.0, again.1.as_deref()),
        (StatusCode::ACCEPTED, Some("true"))
    );
    assert_eq!(again.2, retry.2);
}

/// A bulk call cut off midway (here: its answer lost) and retried with its
/// key gets back the requests it made; an agreement listed twice in one
/// call is still a conflict the second time (R7).
#[tokio::test]
async fn a_retried_bulk_call_gets_back_the_requests_it_made() {
    let app = TestApp::spawn().await;
    let t = app.token("anna@muster.example").await;
    let bulk = |agreements: serde_json::Value| {
        let (app, t) = (&app, t.clone());
        async move {
            let res = app
                .client
                .post(format!("{}/api/v1/partner-changes/bulk", app.base))
                .bearer_auth(t)
                .header("idempotency-key", "bulk-1")
                .json(&json!({"agreements": agreements, "new_partner": "5100000002"}))
                .send()
                .await
                .unwrap();
            json_with(res, StatusCode::OK).await
        }
    };
    let first = bulk(json!(["110000000001", "1100-0000-0001"])).await;
    let statuses = |v: &serde_json::Value| -> Vec<u64> {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["status"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(statuses(&first), [202, 409], "{first}");
    lose_stored_answers(&app).await;
    let before = made(&app).await;

    // The same call again, now with one more agreement: the first item is
    // its own earlier request, the listed-twice one still a conflict, the
    // new one a new request.
    let retry = bulk(json!(["110000000001", "1100-0000-0001", "110000000008"])).await;
    assert_eq!(statuses(&retry), [202, 409, 202], "{retry}");
    assert_eq!(
        retry["results"][0]["request"]["id"], first["results"][0]["request"]["id"],
        "{retry}"
    );
    let [requests, ..] = made(&app).await;
    assert_eq!(requests, before[0] + 1, "only the new agreement's request");

    // A single submit with the bulk call's key is not a retry of it.
    let single = submit_with_key(
        &app,
        "anna@muster.example",
        "bulk-1",
        &json!({"agreement": "110000000001", "new_partner": "5100000002"}),
    )
    .await;
    assert_eq!(single.0, StatusCode::CONFLICT);
}
