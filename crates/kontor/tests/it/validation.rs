//! R2/R5: bad input gets a problem document naming the field; nothing is written.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

const ANNA: &str = "anna@muster.example";

#[tokio::test]
async fn malformed_and_unusable_input_names_the_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let before = app.counts().await;
    let cases = [
        (
            json!({ "agreement": "110000000001", "new_partner": "123" }),
            "new_partner",
            "10 digits",
        ),
        (
            json!({ "agreement": "110000000001", "new_partner": "51000000O1" }),
            "new_partner",
            "10 digits",
        ),
        (
            json!({ "agreement": "1100000001", "new_partner": "5100000002" }),
            "agreement",
            "12 digits",
        ),
        (
            json!({ "agreement": "110000000001", "new_partner": "5100000099" }),
            "new_partner",
            "no partner",
        ),
        (
            json!({ "agreement": "110000000001", "new_partner": "5100000003" }),
            "new_partner",
            "not active",
        ),
        (
            json!({ "agreement": "110000000001", "new_partner": "5100000001" }),
            "new_partner",
            "already the partner",
        ),
        (
            json!({ "agreement": "110000000001" }),
            "new_partner",
            "missing field `new_partner`",
        ),
        (
            json!({ "agreement": "110000000001", "new_partner": 5100000002u64 }),
            "new_partner",
            "expected a string",
        ),
        (
            json!({ "agreement": "110000000001", "new_partner": "5100000002", "extra": 1 }),
            "extra",
            "unknown field `extra`",
        ),
    ];
    for (body, field, words) in cases {
        let p = json_with(
            // Anna reads German; the words checked are the English ones.
            app.post_lang(ANNA, "/api/v1/partner-changes", &body, "en")
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&p), [field], "{body}: {p}");
        let msg = p["errors"][0]["message"].as_str().unwrap();
        assert!(msg.contains(words), "{body}: {msg}");
        // R5 is about the stored partner, not the form of the request.
        let r5 = ["no partner", "not active", "already the partner"].contains(&words);
        let kind = if r5 { "refused" } else { "invalid_input" };
        assert_eq!(
            p["type"],
            format!("urn:kontor:problem:{kind}"),
            "{body}: {p}"
        );
        assert_eq!(p["status"], 422);
        assert!(p["title"].is_string() && p["detail"].is_string());
    }
    assert_eq!(app.counts().await, before, "nothing was written");
}

#[tokio::test]
async fn broken_bodies_and_paths_get_clear_4xx_answers() {
    let app = TestApp::spawn().await;
    let t = app.token(ANNA).await;
    let url = format!("{}/api/v1/partner-changes", app.base);
    let res = app
        .client
        .post(&url)
        .bearer_auth(&t)
        .header("content-type", "application/json")
        .body("{\"agreement\": ")
        .send()
        .await
        .unwrap();
    json_with(res, StatusCode::BAD_REQUEST).await;
    let res = app
        .client
        .post(&url)
        .bearer_auth(&t)
        .header("content-type", "text/plain")
        .body("hi")
        .send()
        .await
        .unwrap();
    json_with(res, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    let res = app
        .client
        .post(&url)
        .bearer_auth(&t)
        .header("content-type", "application/json")
        .body(vec![0xff, 0xfe])
        .send()
        .await
        .unwrap();
    json_with(res, StatusCode::BAD_REQUEST).await;
    let p = json_with(
        app.get(ANNA, "/api/v1/agreements/12-34").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&p), ["number"]);
    let p = json_with(
        app.get(ANNA, "/api/v1/partners/abc").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&p), ["csn"]);
    let p = json_with(
        app.get(ANNA, "/api/v1/agreements?limit=0&kind=lease").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(!error_fields(&p).is_empty());
    let p = json_with(
        app.get(ANNA, "/api/v1/partner-changes/not-a-uuid").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&p), ["id"]);
    json_with(
        app.get(ANNA, "/api/v1/partners/5100000099").await,
        StatusCode::NOT_FOUND,
    )
    .await;
    json_with(
        app.get(ANNA, "/api/v1/nothing-here").await,
        StatusCode::NOT_FOUND,
    )
    .await;
    // No or a wrong token.
    let res = app
        .client
        .get(format!("{}/api/v1/me", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    json_with(res, StatusCode::UNAUTHORIZED).await;
    let res = app
        .client
        .get(format!("{}/api/v1/me", app.base))
        .bearer_auth("kontor_pat_nope")
        .send()
        .await
        .unwrap();
    json_with(res, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn tokens_are_issued_for_correct_credentials_only() {
    let app = TestApp::spawn().await;
    let url = format!("{}/api/v1/tokens", app.base);
    let ok = app
        .client
        .post(&url)
        .json(&json!({"email": "Anna@Muster.example", "password": "kontor-demo", "label": "ci"}))
        .send()
        .await
        .unwrap();
    let t = json_with(ok, StatusCode::CREATED).await;
    let token = t["token"].as_str().unwrap();
    assert!(token.starts_with("kontor_pat_"));
    let me = app
        .client
        .get(format!("{}/api/v1/me", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let me = json_with(me, StatusCode::OK).await;
    assert_eq!(me["role"], "primary_admin");
    assert_eq!(me["tenant_csn"], "7000000001");
    let wrong = app
        .client
        .post(&url)
        .json(&json!({"email": "anna@muster.example", "password": "nope"}))
        .send()
        .await
        .unwrap();
    let wrong = json_with(wrong, StatusCode::UNAUTHORIZED).await;
    let unknown = app
        .client
        .post(&url)
        .json(&json!({"email": "nobody@muster.example", "password": "nope"}))
        .send()
        .await
        .unwrap();
    let unknown = json_with(unknown, StatusCode::UNAUTHORIZED).await;
    assert_eq!(
        wrong, unknown,
        "the answer does not reveal whether the email exists"
    );
}

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = TestApp::spawn().await;
    for path in ["/healthz", "/readyz"] {
        let res = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
    }
    let res = app
        .client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert!(res.headers().contains_key("x-request-id"));
}
