//! #19: the import's errors in the person's language, each named where the
//! person's file has it — a CSV file's line and column, a JSON document's
//! record (counted from 1) and field — while the API keeps its field paths.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::portal::{browser, hidden, page};

const OLGA: &str = "olga@vendor.example";

/// Olga's browser in `lang` (her own setting is English; the switcher
/// picks German for this session).
async fn olga(app: &TestApp, lang: &str) -> reqwest::Client {
    let client = browser(app, OLGA, lang).await;
    page(app, &client, &format!("/lang/{lang}")).await;
    client
}

/// Uploads `body` as the file `name` on the import page; answers the
/// status and the list of errors (the page's section that holds it).
async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    name: &str,
    body: &str,
) -> (StatusCode, String) {
    let (_, form) = page(app, client, "/back-office/import").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", hidden(&form, "csrf"))
        .part(
            "file",
            reqwest::multipart::Part::bytes(body.as_bytes().to_vec()).file_name(name.to_owned()),
        );
    let res = client
        .post(format!("{}/back-office/import", app.base))
        .header("origin", app.base.clone())
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let html = res.text().await.unwrap();
    let start = html
        .find("aria-labelledby=\"import-errors-h\"")
        .unwrap_or_else(|| panic!("no error list: {html}"));
    let end = start + html[start..].find("</section>").unwrap();
    (status, html[start..end].to_owned())
}

/// A JSON document with a bad CSN, a missing required field, a bad date
/// and an unknown field.
fn bad_json() -> String {
    json!({
        "partners": [
            {"csn": "5100000600", "name": "Nord CAD", "city": "Hamburg", "country": "DE", "email": "info@nord.example"},
            {"csn": "51", "name": "Süd CAD", "country": "DE", "email": "info@sued.example", "colour": "red"}
        ],
        "agreements": [{"number": "110000000600", "kind": "contract", "account": "7000000001",
            "products": [{"name": "Inventor", "seats": 3}], "term_start": "2026-13-01", "term_end": "2027-12-31",
            "support_level": "standard", "status": "active", "partners": ["5100000001"]}]
    })
    .to_string()
}

#[tokio::test]
async fn the_import_page_says_each_error_in_german_where_the_json_file_has_it() {
    let app = TestApp::spawn().await;
    let before = app.counts().await;
    let de = olga(&app, "de").await;
    let (status, errors) = upload(&app, &de, "import.json", &bad_json()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for expected in [
        "<th scope=\"col\">Wo</th><th scope=\"col\">Was</th>",
        // Records counted from 1, as people count them.
        "Datensatz 2 in partners, Feld <code>csn</code></td><td>Erwartet wird eine Kontonummer (CSN) mit genau 10 Ziffern.</td>",
        "Datensatz 2 in partners, Feld <code>city</code></td><td>Dieses Feld fehlt.</td>",
        "Datensatz 2 in partners, Feld <code>colour</code></td><td>Dieses Feld gibt es hier nicht; möglich sind: csn, name, city, country, status, email.</td>",
        "Datensatz 1 in agreements, Feld <code>term_start</code></td><td>Erwartet wird ein Datum im Format JJJJ-MM-TT.</td>",
    ] {
        assert!(errors.contains(expected), "{expected}\n{errors}");
    }
    for english in ["expected", "required", "unknown", "partners[1]"] {
        assert!(!errors.contains(english), "{english} in\n{errors}");
    }
    assert_eq!(app.counts().await, before, "nothing was written");

    // A file that is not JSON: where it breaks, and why, in German.
    let (_, errors) = upload(&app, &de, "import.json", r#"{"partners": [{"csn": "1"}"#).await;
    assert!(
        errors.contains("<td>Zeile 1, Zeichen 26</td><td>Die Datei ist kein gültiges Import-JSON: Sie endet mittendrin (Zeile 1, Zeichen 26).</td>"),
        "{errors}"
    );
    let (_, errors) = upload(&app, &de, "import.json", r#"{"people": []}"#).await;
    assert!(
        errors.contains("Oberste Ebene der Datei, Schlüssel <code>people</code></td><td>Diese Sammlung gibt es nicht; erwartet wird partners, accounts, users oder agreements.</td>"),
        "{errors}"
    );
    assert!(!errors.contains("unknown collection"), "{errors}");
}

#[tokio::test]
async fn the_import_page_says_each_error_in_english_where_the_json_file_has_it() {
    let app = TestApp::spawn().await;
    let en = olga(&app, "en").await;
    let (status, errors) = upload(&app, &en, "import.json", &bad_json()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for expected in [
        "<th scope=\"col\">Where</th><th scope=\"col\">What</th>",
        "Record 2 of partners, field <code>csn</code></td><td>expected exactly 10 digits (CSN)</td>",
        "Record 2 of partners, field <code>city</code></td><td>required</td>",
        "Record 2 of partners, field <code>colour</code></td><td>unknown field; expected one of: csn, name, city, country, status, email</td>",
        "Record 1 of agreements, field <code>term_start</code></td><td>expected a date as YYYY-MM-DD</td>",
    ] {
        assert!(errors.contains(expected), "{expected}\n{errors}");
    }
    assert!(!errors.contains("Erwartet"), "{errors}");
    let (_, errors) = upload(&app, &en, "import.json", r#"{"partners": [{"csn": "1"}"#).await;
    assert!(
        errors.contains(
            "<td>Line 1, character 26</td><td>the file is not valid import JSON: EOF while parsing"
        ),
        "{errors}"
    );
}

#[tokio::test]
async fn a_csv_upload_names_the_line_and_column_people_see_in_the_file() {
    let app = TestApp::spawn().await;
    let before = app.counts().await;
    // Line 1 the header; the first record runs over lines 2 and 3.
    let partners = "csn,name,city,country,status,email\n\
                    5100000600,\"Nord CAD\nHamburg\",Hamburg,DE,active,info@nord.example\n\
                    51,Süd CAD,München,DE,active,info@sued.example\n\
                    5100000601,West CAD,,DE,active,nope\n";
    for (lang, says) in [
        (
            "de",
            [
                "<td>Zeile 4, Spalte <code>csn</code></td><td>Erwartet wird eine Kontonummer (CSN) mit genau 10 Ziffern.</td>",
                "<td>Zeile 5, Spalte <code>city</code></td><td>Dieses Feld fehlt.</td>",
                "<td>Zeile 5, Spalte <code>email</code></td><td>Geben Sie eine E-Mail-Adresse an, zum Beispiel anna@example.com.</td>",
            ],
        ),
        (
            "en",
            [
                "<td>Line 4, column <code>csn</code></td><td>expected exactly 10 digits (CSN)</td>",
                "<td>Line 5, column <code>city</code></td><td>required</td>",
                "<td>Line 5, column <code>email</code></td><td>Enter an email address, for example anna@example.com.</td>",
            ],
        ),
    ] {
        let client = olga(&app, lang).await;
        let (status, errors) = upload(&app, &client, "partners.csv", partners).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        for expected in says {
            assert!(errors.contains(expected), "{lang}: {expected}\n{errors}");
        }
        // A CSV file has no JSON paths.
        assert!(!errors.contains("partners["), "{errors}");
        assert!(
            !errors.contains("Datensatz") && !errors.contains("Record"),
            "{errors}"
        );
    }
    let de = olga(&app, "de").await;
    // A list cell names its entry; a broken file the line where it breaks.
    let agreements = "number,kind,account,products,term_start,term_end,support_level,status,partners\n\
        110000000600,contract,7000000001,Inventor:3;Vault:many,2026-01-01,2027-12-31,standard,active,5100000001\n";
    let (_, errors) = upload(&app, &de, "agreements.csv", agreements).await;
    assert!(
        errors.contains("<td>Zeile 2, Spalte <code>products</code>, Eintrag 2</td><td>Erwartet wird eine ganze Zahl von 1 bis 1000000.</td>"),
        "{errors}"
    );
    let broken = "csn,name\n5100000600,a\n5100000601,\"open\n";
    let (_, errors) = upload(&app, &de, "partners.csv", broken).await;
    assert!(
        errors.contains("<td>Zeile 3</td><td>Die Datei ist kein gültiges CSV: Ein Anführungszeichen in Zeile 3 wird nie geschlossen.</td>"),
        "{errors}"
    );
    let (_, errors) = upload(&app, &de, "partners.csv", "csn,nmae\n").await;
    assert!(
        errors.contains("<td>Zeile 1</td><td>Die Spalte nmae gibt es nicht; eine Datei partners.csv hat die Spalten csn, name, city, country, status, email.</td>"),
        "{errors}"
    );
    assert_eq!(app.counts().await, before, "nothing was written");
}

/// POSTs `body` to the import endpoint as Olga, in `lang`.
async fn api_import(app: &TestApp, body: &Value, lang: &str) -> Value {
    json_with(
        app.post_lang(OLGA, "/api/v1/import", body, lang).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// (field, message) of each of a problem's errors.
fn errors(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_import_api_answers_german_messages_with_the_same_field_paths() {
    let app = TestApp::spawn().await;
    let body: Value = serde_json::from_str(&bad_json()).unwrap();
    let en = api_import(&app, &body, "en").await;
    let de = api_import(&app, &body, "de").await;
    let s = |f: &str, m: &str| (f.to_owned(), m.to_owned());
    // English as the API has always said it, named as documented.
    assert_eq!(
        errors(&en),
        [
            s(
                "partners[1].colour",
                "unknown field; expected one of: csn, name, city, country, status, email"
            ),
            s("partners[1].csn", "expected exactly 10 digits (CSN)"),
            s("partners[1].city", "required"),
            s("agreements[0].term_start", "expected a date as YYYY-MM-DD"),
        ]
    );
    assert_eq!(en["detail"], "4 invalid field(s); nothing was imported");
    assert_eq!(
        errors(&de),
        [
            s(
                "partners[1].colour",
                "Dieses Feld gibt es hier nicht; möglich sind: csn, name, city, country, status, email."
            ),
            s(
                "partners[1].csn",
                "Erwartet wird eine Kontonummer (CSN) mit genau 10 Ziffern."
            ),
            s("partners[1].city", "Dieses Feld fehlt."),
            s(
                "agreements[0].term_start",
                "Erwartet wird ein Datum im Format JJJJ-MM-TT."
            ),
        ]
    );
    assert_eq!(
        de["detail"],
        "4 Felder sind ungültig; es wurde nichts importiert."
    );
    assert_eq!((&de["type"], &de["status"]), (&en["type"], &en["status"]));

    // A reference checked at the end, and a CSV file's broken quoting:
    // the same paths, the words in German.
    let mut dangling = body.clone();
    dangling["partners"].as_array_mut().unwrap().remove(1);
    dangling["agreements"][0]["term_start"] = json!("2026-01-01");
    dangling["agreements"][0]["account"] = json!("7000000999");
    let de = api_import(&app, &dangling, "de").await;
    assert_eq!(
        errors(&de),
        [s(
            "agreements[0].account",
            "Weder die Datei noch die Datenbank enthält ein Kundenkonto mit der Kontonummer (CSN) 7000000999."
        )]
    );
    let csv = |lang: &'static str| {
        let app = &app;
        async move {
            let res = app
                .client
                .post(format!("{}/api/v1/import?collection=partners", app.base))
                .bearer_auth(app.token(OLGA).await)
                .header("content-type", "text/csv")
                .header("accept-language", lang)
                .body("csn,name\n5100000600,\"Open quote\n5100000601,x\n")
                .send()
                .await
                .unwrap();
            json_with(res, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    };
    assert_eq!(
        errors(&csv("en").await),
        [s(
            "partners[0]",
            "the file is not valid CSV at line 2: a quoted cell is never closed"
        )]
    );
    assert_eq!(
        errors(&csv("de").await),
        [s(
            "partners[0]",
            "Die Datei ist kein gültiges CSV: Ein Anführungszeichen in Zeile 2 wird nie geschlossen."
        )]
    );
}
