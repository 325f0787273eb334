//! R6: changing only one of several partners goes through a support case.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

const ANNA: &str = "anna@muster.example";
const SAM: &str = "sam@vendor.example";

fn case(replace: &str, new: &str) -> serde_json::Value {
    json!({ "agreement": "110000000011", "replace_partner": replace, "new_partner": new, "message": "Bitte nur CAD ersetzen." })
}

#[tokio::test]
async fn a_support_agent_replaces_the_single_partner_an_admin_asked_for() {
    let app = TestApp::spawn().await;
    let c = json_with(
        app.post(
            ANNA,
            "/api/v1/support-cases",
            &case("5100000001", "5100000004"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(c["status"], "open");
    let id = c["id"].as_str().unwrap();
    // Customers cannot resolve; support can.
    json_with(
        app.post(
            ANNA,
            &format!("/api/v1/support-cases/{id}/resolve"),
            &json!({}),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let r = json_with(
        app.post(
            SAM,
            &format!("/api/v1/support-cases/{id}/resolve"),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["status"], "resolved");
    json_with(
        app.post(
            SAM,
            &format!("/api/v1/support-cases/{id}/resolve"),
            &json!({}),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    let a = json_with(
        app.get(ANNA, "/api/v1/agreements/110000000011").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        a["partners"],
        json!(["5100000002", "5100000004"]),
        "only the named partner replaced"
    );
    let h = json_with(
        app.get(ANNA, "/api/v1/agreements/110000000011/partner-history")
            .await,
        StatusCode::OK,
    )
    .await;
    let support: Vec<_> = h["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["source"] == "support")
        .collect();
    assert_eq!(support.len(), 1);
    assert_eq!(support[0]["partner"], "5100000004");
    let log = json_with(
        app.get(ANNA, "/api/v1/audit?agreement=110000000011").await,
        StatusCode::OK,
    )
    .await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "support_case_opened",
            "support_case_resolved",
            "partner_assignment_changed"
        ]
    );
}

#[tokio::test]
async fn bad_support_cases_name_the_field_and_other_tenants_see_nothing() {
    let app = TestApp::spawn().await;
    let before = app.counts().await;
    // What the stored data turns down is `refused`, as on every other
    // endpoint; only a malformed CSN is `invalid_input` (#16).
    for (body, field, kind) in [
        (
            case("5100000004", "5100000002"),
            "replace_partner",
            "refused",
        ),
        (case("5100000001", "5100000009"), "new_partner", "refused"),
        (case("5100000001", "5100000003"), "new_partner", "refused"),
        (case("5100000001", "5100000002"), "new_partner", "refused"),
        (case("5100000001", "51"), "new_partner", "invalid_input"),
        (
            case("51000000", "5100000002"),
            "replace_partner",
            "invalid_input",
        ),
    ] {
        let p = json_with(
            app.post(ANNA, "/api/v1/support-cases", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert!(error_fields(&p).contains(&field.to_owned()), "{body}: {p}");
        assert_eq!(
            p["type"],
            format!("urn:kontor:problem:{kind}"),
            "{body}: {p}"
        );
    }
    assert_eq!(app.counts().await, before);
    json_with(
        app.post(
            "dora@example-ltd.example",
            "/api/v1/support-cases",
            &case("5100000001", "5100000004"),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let c = json_with(
        app.post(
            ANNA,
            "/api/v1/support-cases",
            &case("5100000001", "5100000004"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = c["id"].as_str().unwrap();
    json_with(
        app.get(
            "dora@example-ltd.example",
            &format!("/api/v1/support-cases/{id}"),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let theirs = json_with(
        app.get("dora@example-ltd.example", "/api/v1/support-cases")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(theirs["items"], json!([]));
    let all = json_with(
        app.get(SAM, "/api/v1/support-cases?open=true").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(all["items"].as_array().unwrap().len(), 1);
}
