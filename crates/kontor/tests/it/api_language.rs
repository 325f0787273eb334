//! #18: every problem document of the API in the caller's language — the
//! first of de/en in `Accept-Language`, else the authenticated caller's own
//! setting, else English — with its type, codes, field paths, status and
//! headers as they are.

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

const ANNA: &str = "anna@muster.example"; // German setting
const DORA: &str = "dora@example-ltd.example"; // English setting
const OLGA: &str = "olga@vendor.example";

/// A request as `who` (or nobody), in `lang` (or none named).
async fn request(
    app: &TestApp,
    method: Method,
    who: Option<&str>,
    path: &str,
    lang: Option<&str>,
) -> RequestBuilder {
    let mut r = app.client.request(method, format!("{}{path}", app.base));
    if let Some(who) = who {
        r = r.bearer_auth(app.token(who).await);
    }
    if let Some(lang) = lang {
        r = r.header("accept-language", lang);
    }
    r
}

async fn send(r: RequestBuilder) -> Response {
    r.send().await.expect("request")
}

/// The problem's type code (after `urn:kontor:problem:`) and detail.
fn type_and_detail(p: &Value) -> (&str, &str) {
    (
        p["type"]
            .as_str()
            .unwrap()
            .strip_prefix("urn:kontor:problem:")
            .unwrap(),
        p["detail"].as_str().unwrap(),
    )
}

/// The field errors as (path, message).
fn fields(p: &Value) -> Vec<(String, String)> {
    p["errors"]
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

fn submit_body(agreement: &str, partner: &str) -> Value {
    json!({ "agreement": agreement, "new_partner": partner })
}

#[tokio::test]
async fn invalid_input_names_the_field_in_the_callers_language() {
    let app = TestApp::spawn().await;
    let body = submit_body("12-34", "5100000002");
    for (lang, message) in [
        (
            "de-DE,en;q=0.5",
            "Erwartet wird eine Vertragsnummer (12 Ziffern) oder eine Abonnement-ID (14 Ziffern).",
        ),
        (
            "en-GB",
            "expected a contract number (12 digits) or a subscription ID (14 digits)",
        ),
    ] {
        let r = request(
            &app,
            Method::POST,
            Some(ANNA),
            "/api/v1/partner-changes",
            Some(lang),
        )
        .await;
        let p = json_with(send(r.json(&body)).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            type_and_detail(&p),
            ("invalid_input", format!("agreement: {message}").as_str())
        );
        assert_eq!(fields(&p), [("agreement".to_owned(), message.to_owned())]);
    }
    // Several fields: the detail counts them.
    let bad =
        json!({"agreement": "x", "kind": "renewal", "partner": "y", "term_end": "2030-01-01"});
    for (lang, detail, partner) in [
        (
            "de",
            "2 Felder sind ungültig.",
            "Erwartet wird eine Kontonummer (CSN) mit genau 10 Ziffern.",
        ),
        (
            "en",
            "2 fields are invalid",
            "expected exactly 10 digits (CSN)",
        ),
    ] {
        let r = request(
            &app,
            Method::POST,
            Some(OLGA),
            "/api/v1/transactions",
            Some(lang),
        )
        .await;
        let p = json_with(send(r.json(&bad)).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(type_and_detail(&p), ("invalid_input", detail));
        assert_eq!(error_fields(&p), ["agreement", "partner"]);
        assert_eq!(fields(&p)[1].1, partner);
    }
}

#[tokio::test]
async fn refused_and_ineligible_changes_answer_in_the_callers_language() {
    let app = TestApp::spawn().await;
    // An unknown partner (R5), through the idempotent path as well.
    for (lang, message, key) in [
        (
            "de",
            "Es gibt keinen Partner mit der Kontonummer (CSN) 5100000099.",
            "k-de",
        ),
        ("en", "no partner with CSN 5100000099 exists", "k-en"),
    ] {
        for key in [None, Some(key)] {
            let mut r = request(
                &app,
                Method::POST,
                Some(ANNA),
                "/api/v1/partner-changes",
                Some(lang),
            )
            .await
            .json(&submit_body("110000000001", "5100000099"));
            if let Some(key) = key {
                r = r.header("idempotency-key", key);
            }
            let p = json_with(send(r).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(
                type_and_detail(&p),
                ("refused", format!("new_partner: {message}").as_str()),
                "{key:?}"
            );
            assert_eq!(fields(&p), [("new_partner".to_owned(), message.to_owned())]);
        }
    }
    // A replay answers with the first answer's bytes, in its language.
    let replay = request(
        &app,
        Method::POST,
        Some(ANNA),
        "/api/v1/partner-changes",
        Some("de"),
    )
    .await
    .header("idempotency-key", "k-de")
    .json(&submit_body("110000000001", "5100000099"));
    let res = send(replay).await;
    assert_eq!(res.headers()["idempotent-replayed"], "true");
    let p = json_with(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        type_and_detail(&p).1.contains("Es gibt keinen Partner"),
        "{p}"
    );
    // Not eligible (R4): the detail as well as the reasons.
    for (lang, detail) in [
        (
            "de",
            "Der Partnerwechsel ist für diesen Vertrag nicht möglich; die Gründe stehen unter „reasons“.",
        ),
        (
            "en",
            "the partner change is not available for this agreement; see reasons",
        ),
    ] {
        let r = request(
            &app,
            Method::POST,
            Some(ANNA),
            "/api/v1/partner-changes",
            Some(lang),
        )
        .await
        .json(&submit_body("110000000002", "5100000002"));
        let p = json_with(send(r).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(type_and_detail(&p), ("not_eligible", detail));
        assert_eq!(reason_codes(&p), ["auto_renew"]);
    }
    // A pending change is in the way (R7).
    json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    for (lang, detail) in [
        (
            "de",
            "Für diesen Vertrag ist bereits ein Partnerwechsel in Bearbeitung.",
        ),
        (
            "en",
            "a partner change for this agreement is already pending",
        ),
    ] {
        let r = request(
            &app,
            Method::POST,
            Some(ANNA),
            "/api/v1/partner-changes",
            Some(lang),
        )
        .await
        .json(&submit_body("110000000001", "5100000002"));
        let p = json_with(send(r).await, StatusCode::CONFLICT).await;
        assert_eq!(type_and_detail(&p), ("change_pending", detail));
    }
}

#[tokio::test]
async fn authentication_permission_and_missing_objects_answer_in_the_callers_language() {
    let app = TestApp::spawn().await;
    for (lang, detail) in [
        (
            "de",
            "Senden Sie ein gültiges API-Token als `Authorization: Bearer <token>`.",
        ),
        (
            "en",
            "send a valid API token as `Authorization: Bearer <token>`",
        ),
    ] {
        let res = send(request(&app, Method::GET, None, "/api/v1/me", Some(lang)).await).await;
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        let p = json_with(res, StatusCode::UNAUTHORIZED).await;
        assert_eq!(type_and_detail(&p), ("unauthenticated", detail));
    }
    let cases = [
        (
            "/api/v1/export",
            StatusCode::FORBIDDEN,
            "forbidden",
            "Nur Betreiber importieren und exportieren Daten.",
            "only operators import and export data",
        ),
        (
            "/api/v1/agreements/110000000999",
            StatusCode::NOT_FOUND,
            "not_found",
            "Der Vertrag wurde nicht gefunden.",
            "agreement not found",
        ),
        (
            "/api/v1/no-such-thing",
            StatusCode::NOT_FOUND,
            "not_found",
            "Diesen Endpunkt gibt es nicht: /api/v1/no-such-thing",
            "no such endpoint: /api/v1/no-such-thing",
        ),
        (
            "/api/v1/agreements?limit=1000",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            "limit: Erwartet wird eine ganze Zahl von 1 bis 500.",
            "limit: expected a whole number from 1 to 500",
        ),
    ];
    for (path, status, code, de, en) in cases {
        for (lang, detail) in [("de", de), ("en", en)] {
            let p = json_with(app.get_lang(ANNA, path, lang).await, status).await;
            assert_eq!(type_and_detail(&p), (code, detail), "{path} {lang}");
        }
    }
    let p = json_with(
        app.get_lang(ANNA, "/api/v1/agreements?limit=1000", "de")
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&p), ["limit"]);
}

#[tokio::test]
async fn malformed_bodies_and_headers_answer_in_the_callers_language() {
    let app = TestApp::spawn().await;
    for (lang, start) in [
        ("de", "Der Inhalt ist kein gültiges JSON: "),
        ("en", "the body is not valid JSON: "),
    ] {
        let r = request(
            &app,
            Method::POST,
            Some(ANNA),
            "/api/v1/partner-changes",
            Some(lang),
        )
        .await
        .header("content-type", "application/json")
        .body("{\"agreement\": ");
        let p = json_with(send(r).await, StatusCode::BAD_REQUEST).await;
        let (code, detail) = type_and_detail(&p);
        assert_eq!(code, "malformed_json");
        assert!(detail.starts_with(start), "{detail}");
    }
    for (lang, message) in [
        ("de", "Erwartet werden 1 bis 255 sichtbare ASCII-Zeichen."),
        ("en", "expected 1–255 visible ASCII characters"),
    ] {
        let r = request(
            &app,
            Method::POST,
            Some(ANNA),
            "/api/v1/partner-changes",
            Some(lang),
        )
        .await
        .header("idempotency-key", "k".repeat(256))
        .json(&submit_body("110000000001", "5100000002"));
        let p = json_with(send(r).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            fields(&p),
            [("Idempotency-Key".to_owned(), message.to_owned())]
        );
        assert_eq!(type_and_detail(&p).0, "invalid_input");
    }
    // A field of the wrong kind names its path; the words are German.
    let r = request(
        &app,
        Method::POST,
        Some(ANNA),
        "/api/v1/partner-changes",
        Some("de"),
    )
    .await
    .json(&json!({"agreement": "110000000001"}));
    let p = json_with(send(r).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        fields(&p),
        [("new_partner".to_owned(), "Dieses Feld fehlt.".to_owned())]
    );
}

#[tokio::test]
async fn throttled_sign_ins_answer_in_the_callers_language_with_retry_after() {
    let app = TestApp::spawn().await;
    let sign_in = |password: &'static str, lang: &'static str| {
        let app = &app;
        async move {
            let r = request(app, Method::POST, None, "/api/v1/tokens", Some(lang)).await;
            send(r.json(&json!({"email": DORA, "password": password}))).await
        }
    };
    for _ in 0..5 {
        assert_eq!(
            sign_in("wrong-password", "de").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    for (lang, detail) in [
        (
            "de",
            "Zu viele fehlgeschlagene Anmeldungen für dieses Konto oder von dieser Adresse; versuchen Sie es in 15 Minuten erneut.",
        ),
        (
            "en",
            "too many failed sign-ins for this account or from this address; try again in 15 minutes",
        ),
    ] {
        let res = sign_in("kontor-demo", lang).await;
        assert_eq!(res.headers()["retry-after"], "900");
        let p = json_with(res, StatusCode::TOO_MANY_REQUESTS).await;
        assert_eq!(type_and_detail(&p), ("too_many_failed_signins", detail));
    }
}

/// Without `Accept-Language`, the caller's own setting: Anna's is German,
/// Dora's English; a language the header names wins over the setting.
#[tokio::test]
async fn without_accept_language_the_callers_setting_decides() {
    let app = TestApp::spawn().await;
    let missing = |who: &'static str, lang: Option<&'static str>| {
        let app = &app;
        async move {
            let r = request(
                app,
                Method::GET,
                Some(who),
                "/api/v1/agreements/110000000999",
                lang,
            )
            .await;
            let p = json_with(send(r).await, StatusCode::NOT_FOUND).await;
            type_and_detail(&p).1.to_owned()
        }
    };
    assert_eq!(
        missing(ANNA, None).await,
        "Der Vertrag wurde nicht gefunden."
    );
    assert_eq!(missing(DORA, None).await, "agreement not found");
    assert_eq!(missing(ANNA, Some("en")).await, "agreement not found");
    assert_eq!(
        missing(DORA, Some("de-AT")).await,
        "Der Vertrag wurde nicht gefunden."
    );
    // A language kontor does not speak is as none named.
    assert_eq!(
        missing(ANNA, Some("fr")).await,
        "Der Vertrag wurde nicht gefunden."
    );
    // Field errors follow the setting too; status and type stay.
    let res = app.submit(ANNA, "110000000001", "51-0").await;
    let p = json_with(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        fields(&p),
        [(
            "new_partner".to_owned(),
            "Erwartet wird eine Kontonummer (CSN) mit genau 10 Ziffern.".to_owned()
        )]
    );
    // Nobody signed in and no header: English.
    let r = request(&app, Method::GET, None, "/api/v1/me", None).await;
    let p = json_with(send(r).await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(
        type_and_detail(&p).1,
        "send a valid API token as `Authorization: Bearer <token>`"
    );
}
