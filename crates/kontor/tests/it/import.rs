//! SPEC "Import format": all-or-nothing, every error listed, idempotent.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

const OLGA: &str = "olga@vendor.example";

fn file() -> serde_json::Value {
    // Agreements first: references may point forward in the file.
    json!({
        "agreements": [{"number": "1100-0000-0500", "kind": "contract", "account": "7000000500",
            "products": [{"name": "Inventor", "seats": 3}], "term_start": "2026-01-01", "term_end": "2027-12-31",
            "auto_renew": false, "program": "standard", "support_level": "standard", "status": "active",
            "partners": ["5100000500"]}],
        "partners": [{"csn": "5100000500", "name": "Nord CAD", "city": "Hamburg", "country": "DE", "status": "active", "email": "info@nordcad.example"}],
        "accounts": [{"csn": "7000000500", "name": "Neu GmbH", "country": "DE",
            "users": [{"email": "nina@neu.example", "name": "Nina", "role": "primary_admin", "lang": "de"}]}]
    })
}

#[tokio::test]
async fn importing_the_same_file_twice_changes_nothing_the_second_time() {
    let app = TestApp::spawn().await;
    let r = json_with(
        app.post(OLGA, "/api/v1/import", &file()).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        r,
        json!({"partners": 1, "accounts": 1, "users": 1, "agreements": 1})
    );
    let after_first = app.counts().await;
    json_with(
        app.post(OLGA, "/api/v1/import", &file()).await,
        StatusCode::OK,
    )
    .await;
    let mut after_second = app.counts().await;
    // Only the audit log records that a second import ran.
    assert_eq!(after_second.remove("audit"), Some(after_first["audit"] + 1));
    let mut first = after_first.clone();
    first.remove("audit");
    assert_eq!(after_second, first);
    let a = json_with(
        app.get(OLGA, "/api/v1/agreements/110000000500").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(a["partners"], json!(["5100000500"]));
}

#[tokio::test]
async fn an_import_with_invalid_records_lists_every_error_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let before = app.counts().await;
    let mut f = file();
    f["agreements"].as_array_mut().unwrap().push(json!({"number": "12345", "kind": "contract", "account": "7000000999",
        "products": [], "term_start": "2026-13-01", "term_end": "2026-01-01", "support_level": "gold", "status": "active", "partners": ["51"]}));
    f["partners"].as_array_mut().unwrap().push(json!({"csn": "5100000501", "name": "", "city": "X", "country": "Germany", "email": "nope"}));
    f["agreements"].as_array_mut().unwrap().push(json!({"number": "110000000501", "kind": "contract", "account": "7000000999",
        "products": [{"name": "A", "seats": 1}], "term_start": "2026-01-01", "term_end": "2026-12-31", "support_level": "standard",
        "status": "active", "partners": ["5100000500"]}));
    let p = json_with(
        app.post(OLGA, "/api/v1/import", &f).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let fields = error_fields(&p);
    for expected in [
        "partners[1].name",
        "partners[1].country",
        "partners[1].email",
        "agreements[1].number",
        "agreements[1].products",
        "agreements[1].term_start",
        "agreements[1].support_level",
        "agreements[1].partners[0]",
        "agreements[2].account",
    ] {
        assert!(
            fields.contains(&expected.to_owned()),
            "{expected} missing from {fields:?}"
        );
    }
    assert_eq!(app.counts().await, before, "nothing was written");
    // Only operators import.
    json_with(
        app.post("sam@vendor.example", "/api/v1/import", &file())
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
}

#[tokio::test]
async fn export_round_trips_through_import() {
    let app = TestApp::spawn().await;
    let export = app.get(OLGA, "/api/v1/export").await;
    assert_eq!(export.status(), StatusCode::OK);
    let doc: serde_json::Value = export.json().await.unwrap();
    assert_eq!(doc["agreements"].as_array().unwrap().len(), 16);
    assert_eq!(doc["partners"].as_array().unwrap().len(), 4);
    let before = app.counts().await;
    let r = json_with(app.post(OLGA, "/api/v1/import", &doc).await, StatusCode::OK).await;
    assert_eq!(r["agreements"], 16);
    let mut after = app.counts().await;
    after.remove("audit");
    let mut before = before;
    before.remove("audit");
    assert_eq!(after, before, "re-importing an export changes nothing");
}
