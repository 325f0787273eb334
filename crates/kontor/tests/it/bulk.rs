//! Preview and bulk submit: each agreement with its own result.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

const ANNA: &str = "anna@muster.example";

#[tokio::test]
async fn bulk_submit_answers_each_agreement_on_its_own() {
    let app = TestApp::spawn().await;
    let body = json!({
        "agreements": ["110000000001", "110000000002", "110000000101", "110000000999", "12-34", "1100-0000-0001", "110000000008"],
        "new_partner": "5100000002"
    });
    let res = json_with(
        app.post(ANNA, "/api/v1/partner-changes/bulk", &body).await,
        StatusCode::OK,
    )
    .await;
    let r = res["results"].as_array().unwrap();
    let statuses: Vec<u64> = r.iter().map(|i| i["status"].as_u64().unwrap()).collect();
    // eligible, auto-renew, another tenant's, missing, malformed, the first again, eligible.
    assert_eq!(statuses, [202, 422, 404, 404, 422, 409, 202]);
    assert_eq!(r[0]["request"]["status"], "pending");
    assert_eq!(reason_codes(&r[1]["error"]), ["auto_renew"]);
    assert_eq!(
        r[2]["error"], r[3]["error"],
        "R1: another tenant's agreement looks missing"
    );
    assert_eq!(error_fields(&r[4]["error"]), ["agreement"]);
    assert_eq!(r[5]["error"]["type"], "urn:kontor:problem:change_pending");
    let pending = json_with(
        app.get(ANNA, "/api/v1/partner-changes?status=pending")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(pending["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn preview_checks_the_partner_too_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let before = app.counts().await;
    let body = json!({ "agreements": ["110000000001", "110000000011", "110000000007"], "new_partner": "5100000001" });
    let res = json_with(
        app.post(ANNA, "/api/v1/partner-changes/preview", &body)
            .await,
        StatusCode::OK,
    )
    .await;
    let r = res["results"].as_array().unwrap();
    // CAD Partner already serves 110000000001 alone; on 110000000011 it is one of two.
    assert_eq!(r[0]["eligible"], false);
    assert_eq!(reason_codes(&r[0]), ["partner_unchanged"]);
    assert_eq!(r[1]["eligible"], true);
    assert_eq!(reason_codes(&r[2]), ["expires_soon", "partner_unchanged"]);
    assert_eq!(app.counts().await, before);
}

#[tokio::test]
async fn bulk_requests_outside_the_limits_are_refused_whole() {
    let app = TestApp::spawn().await;
    let p = json_with(
        app.post(
            ANNA,
            "/api/v1/partner-changes/bulk",
            &json!({ "agreements": [], "new_partner": "5100000002" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&p), ["agreements"]);
    let many: Vec<String> = (0..501).map(|i| format!("1100{i:08}")).collect();
    let p = json_with(
        app.post(
            ANNA,
            "/api/v1/partner-changes/bulk",
            &json!({ "agreements": many, "new_partner": "5100000002" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&p), ["agreements"]);
    let p = json_with(
        app.post(
            ANNA,
            "/api/v1/partner-changes/bulk",
            &json!({ "agreements": ["110000000001"] }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&p), ["new_partner"]);
}
