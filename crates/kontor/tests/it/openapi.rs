//! The OpenAPI document is served, complete and self-hosted.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn openapi_document_lists_every_api_route() {
    let app = TestApp::spawn().await;
    let doc: serde_json::Value = app
        .client
        .get(format!("{}/api/v1/openapi.json", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    for p in [
        "/api/v1/me",
        "/api/v1/tokens",
        "/api/v1/agreements",
        "/api/v1/agreements/{number}",
        "/api/v1/agreements/{number}/partner-history",
        "/api/v1/agreements/{number}/partner-change/eligibility",
        "/api/v1/partners/{csn}",
        "/api/v1/partner-changes",
        "/api/v1/partner-changes/preview",
        "/api/v1/partner-changes/bulk",
        "/api/v1/partner-changes/{id}",
        "/api/v1/partner-changes/{id}/withdraw",
        "/api/v1/transactions",
        "/api/v1/audit",
        "/api/v1/import",
        "/api/v1/export",
    ] {
        assert!(paths.iter().any(|k| k.as_str() == p), "{p} missing");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    // Written-out schemas: a transaction per kind (what each requires),
    // webhook URLs with the pattern the server checks, emails likewise.
    let schemas = &doc["components"]["schemas"];
    let kinds: Vec<&str> = schemas["TransactionRequest"]["oneOf"]
        .as_array()
        .expect("TransactionRequest is a oneOf")
        .iter()
        .map(|v| v["properties"]["kind"]["enum"][0].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["renewal", "switch_term", "add_seats", "upgrade"]);
    let renewal = &schemas["TransactionRequest"]["oneOf"][0];
    assert_eq!(
        renewal["required"],
        serde_json::json!(["agreement", "kind", "partner", "term_end"])
    );
    assert_eq!(renewal["properties"]["product"]["type"], "null");
    let url = &schemas["CreateWebhookRequest"]["properties"]["url"]["pattern"];
    assert!(url.as_str().unwrap().starts_with("^https?://"), "{url}");
    assert_eq!(
        schemas["PasswordResetRequest"]["properties"]["email"]["maxLength"],
        254
    );
}

#[tokio::test]
async fn the_docs_page_serves_all_its_assets_itself() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .get(format!("{}/api/docs/", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(
        !html.contains("https://") && !html.contains("http://"),
        "no CDN: {html}"
    );
    for asset in [
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-initializer.js",
    ] {
        assert!(html.contains(asset), "{asset}");
        let res = app
            .client
            .get(format!("{}/api/docs/{asset}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{asset}");
    }
    let init = app
        .client
        .get(format!("{}/api/docs/swagger-initializer.js", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(init.contains("/api/v1/openapi.json"), "{init}");
}

/// The documented constraints match what the handlers accept: every audit
/// action and request status is in its parameter's pattern.
#[test]
fn documented_filter_patterns_list_every_value() {
    let doc = serde_json::to_value(kontor::web::api::openapi()).unwrap();
    let pattern = |path: &str, name: &str| -> String {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["schema"]["pattern"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let actions = pattern("/api/v1/audit", "action");
    for a in kontor_core::domain::audit::AuditAction::ALL {
        assert!(
            actions.contains(&format!("|{}|", a.as_str()))
                || actions.contains(&format!("({}|", a.as_str()))
                || actions.contains(&format!("|{})", a.as_str())),
            "{a:?} missing from {actions}"
        );
    }
    let statuses = pattern("/api/v1/partner-changes", "status");
    for s in kontor_core::domain::change_request::RequestStatus::ALL {
        assert!(
            statuses.contains(s.as_str()),
            "{s:?} missing from {statuses}"
        );
    }
}
