//! Revoking API tokens and sessions (#7): by their owner and by an
//! operator, effective at once; another tenant's token does not exist.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

const ANNA: &str = "anna@muster.example";
/// A support agent: reads every audit entry.
const SAM: &str = "sam@vendor.example";

async fn issue(app: &TestApp, label: &str) -> (String, String) {
    let res = app
        .client
        .post(format!("{}/api/v1/tokens", app.base))
        .json(&json!({"email": ANNA, "password": "kontor-demo", "label": label}))
        .send()
        .await
        .unwrap();
    let v: Value = json_with(res, StatusCode::CREATED).await;
    (
        v["id"].as_str().unwrap().to_owned(),
        v["token"].as_str().unwrap().to_owned(),
    )
}

async fn with(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
) -> reqwest::Response {
    app.client
        .request(method, format!("{}{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn owners_and_operators_revoke_tokens_at_once() {
    let app = TestApp::spawn().await;
    let (a_id, a) = issue(&app, "laptop").await;
    let (b_id, b) = issue(&app, "ci").await;
    let list = json_with(
        with(&app, &a, reqwest::Method::GET, "/api/v1/tokens").await,
        StatusCode::OK,
    )
    .await;
    let labels: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"laptop") && labels.contains(&"ci"),
        "{list}"
    );
    assert!(
        !list.to_string().contains(&a),
        "the secret is never shown again"
    );

    assert_eq!(
        with(&app, &b, reqwest::Method::GET, "/api/v1/me")
            .await
            .status(),
        StatusCode::OK
    );
    let del = with(
        &app,
        &a,
        reqwest::Method::DELETE,
        &format!("/api/v1/tokens/{b_id}"),
    )
    .await;
    assert_eq!(del.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        with(&app, &b, reqwest::Method::GET, "/api/v1/me")
            .await
            .status(),
        StatusCode::UNAUTHORIZED,
        "revoked at once"
    );
    let again = with(
        &app,
        &a,
        reqwest::Method::DELETE,
        &format!("/api/v1/tokens/{b_id}"),
    )
    .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);

    // Another tenant cannot see (so cannot revoke) Anna's token; an operator can.
    let dora = app.token("dora@example-ltd.example").await;
    let res = with(
        &app,
        &dora,
        reqwest::Method::DELETE,
        &format!("/api/v1/tokens/{a_id}"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let olga = app.token("olga@vendor.example").await;
    let res = with(
        &app,
        &olga,
        reqwest::Method::DELETE,
        &format!("/api/v1/tokens/{a_id}"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        with(&app, &a, reqwest::Method::GET, "/api/v1/me")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let bad = with(&app, &olga, reqwest::Method::DELETE, "/api/v1/tokens/nope").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn sign_out_everywhere_ends_tokens_and_sessions() {
    let app = TestApp::spawn().await;
    let portal = crate::portal::browser(&app, ANNA, "en").await;
    assert_eq!(
        crate::portal::page(&app, &portal, "/agreements").await.0,
        StatusCode::OK
    );
    let (_, c) = issue(&app, "phone").await;

    // Only oneself, or an operator: to others the person does not exist.
    let dora = app.token("dora@example-ltd.example").await;
    let res = with(
        &app,
        &dora,
        reqwest::Method::POST,
        &format!("/api/v1/users/{ANNA}/revoke-access"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let done = json_with(
        with(
            &app,
            &c,
            reqwest::Method::POST,
            &format!("/api/v1/users/{ANNA}/revoke-access"),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(done["tokens_revoked"].as_u64().unwrap() >= 1, "{done}");
    assert_eq!(done["sessions_ended"], 1);
    assert_eq!(
        with(&app, &c, reqwest::Method::GET, "/api/v1/me")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        crate::portal::page(&app, &portal, "/agreements").await.0,
        StatusCode::SEE_OTHER
    );

    // An operator can do it for anyone; the audit log says who did.
    let olga = app.token("olga@vendor.example").await;
    let res = with(
        &app,
        &olga,
        reqwest::Method::POST,
        "/api/v1/users/dora@example-ltd.example/revoke-access",
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        with(&app, &dora, reqwest::Method::GET, "/api/v1/me")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let audit = json_with(
        app.get(SAM, "/api/v1/audit?action=access_revoked").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 2, "{audit}");
}
