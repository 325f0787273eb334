//! R3: a subscription changes its partner only through a financial transaction.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

const OLGA: &str = "olga@vendor.example";

#[tokio::test]
async fn a_subscription_refuses_self_service_and_changes_partner_with_a_transaction() {
    let app = TestApp::spawn().await;
    let p = json_with(
        app.submit("anna@muster.example", "12000000000001", "5100000002")
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(reason_codes(&p), ["subscription_requires_transaction"]);
    assert!(
        p["reasons"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Finanztransaktion"),
        "Anna reads German"
    );

    let before = json_with(
        app.get(OLGA, "/api/v1/agreements/12000000000001").await,
        StatusCode::OK,
    )
    .await;
    let old_end = before["term_end"].as_str().unwrap().to_owned();
    let t = json_with(
        app.post(
            OLGA,
            "/api/v1/transactions",
            &json!({ "agreement": "12000000000001", "kind": "renewal",
            "partner": "5100000002", "term_end": "2028-12-31" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(t["agreement"]["partners"], json!(["5100000002"]));
    assert_eq!(t["agreement"]["term_end"], "2028-12-31");
    let h = json_with(
        app.get(OLGA, "/api/v1/agreements/12000000000001/partner-history")
            .await,
        StatusCode::OK,
    )
    .await;
    let items = h["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["source"], "transaction");
    assert_eq!(items[0]["valid_to"], items[1]["valid_from"]);
    let log = json_with(
        app.get(OLGA, "/api/v1/audit?agreement=12000000000001")
            .await,
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
        ["transaction_recorded", "partner_assignment_changed"]
    );
    assert_eq!(log["items"][0]["before"]["term_end"], old_end.as_str());
}

#[tokio::test]
async fn partner_staff_record_transactions_for_their_own_customers_naming_themselves() {
    let app = TestApp::spawn().await;
    let paul = "paul@cad-partner.example";
    let t = json_with(
        app.post(
            paul,
            "/api/v1/transactions",
            &json!({ "agreement": "12000000000001", "kind": "add_seats",
            "partner": "5100000001", "product": {"name": "AutoCAD", "seats": 3} }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        t["agreement"]["products"][0],
        json!({"name": "AutoCAD", "seats": 8})
    );
    // Naming another partner is not theirs to do.
    let p = json_with(
        app.post(
            paul,
            "/api/v1/transactions",
            &json!({ "agreement": "12000000000001", "kind": "add_seats",
            "partner": "5100000002", "product": {"name": "AutoCAD", "seats": 1} }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&p), ["partner"]);
    // An agreement they do not serve is not found (R1).
    json_with(
        app.post(
            paul,
            "/api/v1/transactions",
            &json!({ "agreement": "12000000000101", "kind": "add_seats",
            "partner": "5100000001", "product": {"name": "AutoCAD", "seats": 1} }),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    // Customers do not record transactions.
    json_with(
        app.post(
            "anna@muster.example",
            "/api/v1/transactions",
            &json!({ "agreement": "12000000000001", "kind": "add_seats",
            "partner": "5100000001", "product": {"name": "AutoCAD", "seats": 1} }),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
}

#[tokio::test]
async fn invalid_transactions_name_the_field_and_write_nothing() {
    let app = TestApp::spawn().await;
    let before = app.counts().await;
    // `invalid_input`: malformed for any agreement (the fields each kind
    // takes, R3); `refused`: well-formed, but this agreement or partner
    // says no.
    const MALFORMED: &str = "urn:kontor:problem:invalid_input";
    const REFUSED: &str = "urn:kontor:problem:refused";
    let cases = [
        (
            json!({ "agreement": "12000000000001", "kind": "renewal", "partner": "5100000002" }),
            "term_end",
            MALFORMED,
        ),
        (
            json!({ "agreement": "12000000000001", "kind": "renewal", "partner": "5100000002", "term_end": "2029-1-01" }),
            "term_end",
            MALFORMED,
        ),
        (
            json!({ "agreement": "12000000000001", "kind": "renewal", "partner": "5100000002", "term_end": "2029-01-01", "product": {"name": "AutoCAD", "seats": 1} }),
            "product",
            MALFORMED,
        ),
        (
            json!({ "agreement": "12000000000001", "kind": "add_seats", "partner": "5100000001", "product": {"name": "AutoCAD", "seats": 1}, "term_end": "2029-01-01" }),
            "term_end",
            MALFORMED,
        ),
        (
            json!({ "agreement": "12000000000001", "kind": "upgrade", "partner": "5100000001", "product": {"name": "AutoCAD Pro", "seats": 5} }),
            "replaces",
            MALFORMED,
        ),
        (
            json!({ "agreement": "12000000000001", "kind": "refund", "partner": "5100000002" }),
            "kind",
            MALFORMED,
        ),
        (
            json!({ "agreement": "12000000000001", "kind": "renewal", "partner": "51", "term_end": "2029-01-01" }),
            "partner",
            MALFORMED,
        ),
        (
            json!({ "agreement": "12000000000001", "kind": "add_seats", "partner": "5100000001", "product": {"name": "AutoCAD", "seats": 0} }),
            "product.seats",
            MALFORMED,
        ),
        (
            json!({ "agreement": "12000000000001", "kind": "add_seats", "partner": "5100000001", "product": {"name": "AutoCAD", "seats": 1.5} }),
            "product.seats",
            MALFORMED,
        ),
        (
            json!({ "agreement": "12000000000001", "kind": "add_seats", "partner": "5100000001", "product": {"name": "  ", "seats": 1} }),
            "product.name",
            MALFORMED,
        ),
        (
            json!({ "agreement": "12000000000001", "kind": "renewal", "partner": "5100000002", "term_end": "2020-01-01" }),
            "term_end",
            REFUSED,
        ),
        (
            json!({ "agreement": "12000000000001", "kind": "renewal", "partner": "5100000003", "term_end": "2029-01-01" }),
            "partner",
            REFUSED,
        ),
        (
            json!({ "agreement": "12000000000001", "kind": "upgrade", "partner": "5100000001", "product": {"name": "AutoCAD Pro", "seats": 5}, "replaces": "Maya" }),
            "replaces",
            REFUSED,
        ),
    ];
    for (body, field, kind) in cases {
        let p = json_with(
            app.post(OLGA, "/api/v1/transactions", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&p), [field], "{body}: {p}");
        assert_eq!(p["type"], kind, "{body}: {p}");
    }
    assert_eq!(app.counts().await, before);
    // JSON Schema's `integer` includes 2.0; so does the server.
    json_with(
        app.post(
            OLGA,
            "/api/v1/transactions",
            &json!({ "agreement": "12000000000001", "kind": "add_seats", "partner": "5100000001",
            "product": {"name": "AutoCAD", "seats": 2.0} }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
}
