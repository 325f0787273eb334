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

/// A re-import that names other partners closes the assignments it no
/// longer lists (history kept), opens the new ones and leaves a partner it
/// still lists untouched — in one batch with agreements it does not change.
#[tokio::test]
async fn reimporting_other_partners_closes_the_old_assignments_and_keeps_history() {
    let app = TestApp::spawn().await;
    let mut f = file();
    f["partners"]
        .as_array_mut()
        .unwrap()
        .push(json!({"csn": "5100000501",
        "name": "Süd CAD", "city": "München", "country": "DE", "status": "active",
        "email": "info@suedcad.example"}));
    let mut second = f["agreements"][0].clone();
    second["number"] = json!("110000000501");
    f["agreements"].as_array_mut().unwrap().push(second);
    json_with(app.post(OLGA, "/api/v1/import", &f).await, StatusCode::OK).await;

    app.advance(time::Duration::hours(1));
    f["agreements"][0]["partners"] = json!(["5100000501", "5100000500"]);
    f["agreements"][1]["partners"] = json!(["5100000501"]);
    json_with(app.post(OLGA, "/api/v1/import", &f).await, StatusCode::OK).await;

    let history = |n: &'static str| {
        let app = &app;
        async move {
            let h = json_with(
                app.get(OLGA, &format!("/api/v1/agreements/{n}/partner-history"))
                    .await,
                StatusCode::OK,
            )
            .await;
            let mut items: Vec<_> = h["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    (
                        i["partner"].as_str().unwrap().to_owned(),
                        i["valid_to"].as_str().map(str::to_owned),
                    )
                })
                .collect();
            items.sort();
            items
        }
    };
    let later = Some("2026-11-25T10:00:00Z".to_owned());
    assert_eq!(
        history("110000000500").await,
        [
            ("5100000500".to_owned(), None),
            ("5100000501".to_owned(), None)
        ],
        "the partner still listed stays open"
    );
    assert_eq!(
        history("110000000501").await,
        [
            ("5100000500".to_owned(), later),
            ("5100000501".to_owned(), None)
        ],
        "the partner no longer listed is closed at the import, not deleted"
    );
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

/// POSTs a CSV body of one collection as the operator.
async fn post_csv(app: &TestApp, collection: &str, body: &str) -> reqwest::Response {
    app.client
        .post(format!(
            "{}/api/v1/import?collection={collection}",
            app.base
        ))
        .bearer_auth(app.token(OLGA).await)
        .header("content-type", "text/csv; charset=utf-8")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn csv_files_import_one_collection_each_and_broken_ones_write_nothing() {
    let app = TestApp::spawn().await;
    let partners = "csn,name,city,country,status,email\n\
                    5100000500,\"Nord CAD, Hamburg\",Hamburg,DE,active,info@nordcad.example\n";
    let r = json_with(post_csv(&app, "partners", partners).await, StatusCode::OK).await;
    assert_eq!(r["partners"], 1);
    let agreements = "number,kind,account,products,term_start,term_end,auto_renew,program,support_level,status,partners\n\
        1100-0000-0500,contract,7000000001,\"Inventor:3; Vault:2\",2026-01-01,2027-12-31,false,standard,standard,active,5100000500;5100000001\n";
    json_with(
        post_csv(&app, "agreements", agreements).await,
        StatusCode::OK,
    )
    .await;
    let a = json_with(
        app.get(OLGA, "/api/v1/agreements/110000000500").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(a["partners"], json!(["5100000001", "5100000500"]));
    assert_eq!(
        a["products"],
        json!([{"name": "Inventor", "seats": 3}, {"name": "Vault", "seats": 2}])
    );
    let before = app.counts().await;
    // Broken quoting, a ragged row, a bad value, no collection: a clear
    // 422 naming the place, nothing written.
    for (collection, body, field) in [
        (
            "partners",
            "csn,name\n5100000600,\"Open quote\n5100000601,x\n",
            "partners[0]",
        ),
        ("partners", "csn,name\n5100000600,a,b\n", "partners[0]"),
        (
            "agreements",
            "number,products\n110000000600,Inventor:many\n",
            "agreements[0].products[0].seats",
        ),
        ("", "csn,name\n5100000600,a\n", "collection"),
    ] {
        let p = json_with(
            post_csv(&app, collection, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert!(error_fields(&p).contains(&field.to_owned()), "{field}: {p}");
    }
    assert_eq!(app.counts().await, before, "nothing was written");
    // The command line takes the collection from the file name.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2026-11-partners.csv");
    std::fs::write(
        &path,
        "csn,name,city,country,status,email\n5100000700,Süd CAD,München,DE,active,info@suedcad.example\n",
    )
    .unwrap();
    let out = app
        .kontor_command()
        .arg("import")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_with(
        app.get(OLGA, "/api/v1/partners/5100000700").await,
        StatusCode::OK,
    )
    .await;
    let odd = dir.path().join("people.csv");
    std::fs::write(&odd, "email\nx@y.example\n").unwrap();
    let out = app
        .kontor_command()
        .arg("import")
        .arg(&odd)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("partners.csv"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
