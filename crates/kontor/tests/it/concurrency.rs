//! R7 under concurrency: exactly one of many simultaneous submits wins.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_simultaneous_submits_for_one_agreement_yield_exactly_one_202() {
    let app = TestApp::spawn().await;
    let anna = app.token("anna@muster.example").await;
    let bernd = app.token("bernd@muster.example").await;
    let url = format!("{}/api/v1/partner-changes", app.base);
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(50));
    let mut tasks = Vec::new();
    for i in 0..50 {
        let client = app.client.clone();
        let url = url.clone();
        let token = if i % 2 == 0 {
            anna.clone()
        } else {
            bernd.clone()
        };
        let partner = if i % 3 == 0 {
            "5100000002"
        } else {
            "5100000004"
        };
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let res = client
                .post(url)
                .bearer_auth(token)
                .json(&json!({"agreement": "110000000001", "new_partner": partner}))
                .send()
                .await
                .unwrap();
            res.status()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let accepted = statuses
        .iter()
        .filter(|s| **s == StatusCode::ACCEPTED)
        .count();
    let conflicts = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((accepted, conflicts), (1, 49), "{statuses:?}");
    let pending = json_with(
        app.get(
            "sam@vendor.example",
            "/api/v1/partner-changes?status=pending",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(pending["items"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_submits_for_different_agreements_all_succeed() {
    let app = TestApp::spawn().await;
    let token = app.token("anna@muster.example").await;
    let mut tasks = Vec::new();
    for n in ["110000000001", "110000000008", "110000000011"] {
        let client = app.client.clone();
        let url = format!("{}/api/v1/partner-changes", app.base);
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(token)
                .json(&json!({"agreement": n, "new_partner": "5100000004"}))
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::ACCEPTED);
    }
}
