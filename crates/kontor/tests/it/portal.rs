//! The portal's pages over HTTP, as a browser without JavaScript uses them.

use reqwest::StatusCode;
use time::Duration;

use crate::helpers::*;

/// A browser-like client signed in as `email`.
pub(crate) async fn browser(app: &TestApp, email: &str, lang: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .pool_idle_timeout(CLIENT_IDLE)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers({
            let mut h = reqwest::header::HeaderMap::new();
            h.insert("accept-language", lang.parse().unwrap());
            h
        })
        .build()
        .unwrap();
    let res = signin(app, &client, email, "kontor-demo").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in of {email}");
    client
}

/// Signs in as the portal's page does with JavaScript: the form carries
/// the browser's time zone (`time_zone`, empty without JavaScript).
pub(crate) async fn signin_from_zone(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    time_zone: &str,
) -> reqwest::Response {
    signin_with(app, client, email, "kontor-demo", time_zone).await
}

async fn signin(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> reqwest::Response {
    signin_with(app, client, email, password, "").await
}

async fn signin_with(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
    time_zone: &str,
) -> reqwest::Response {
    let page = client
        .get(format!("{}/signin", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = hidden(&page, "csrf");
    client
        .post(format!("{}/signin", app.base))
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf", &token),
            ("next", "/agreements"),
            ("time_zone", time_zone),
        ])
        .send()
        .await
        .unwrap()
}

/// The value of a hidden input.
pub(crate) fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in page"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

pub(crate) async fn page(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
) -> (StatusCode, String) {
    let res = client
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_seed_flow_runs_in_german_from_the_agreement_to_the_applied_change() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, "anna@muster.example", "de").await;
    let (s, list) = page(&app, &anna, "/agreements").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        list.contains("Rechnungen und Bestellungen") && list.contains("Abonnements und Verträge")
    );
    let (_, detail) = page(&app, &anna, "/agreements/110000000001").await;
    assert!(detail.contains("Aktionen") && detail.contains("Fachhändlerdaten aktualisieren"));

    // Step 1: a malformed and an unknown CSN are shown next to the field, input kept.
    let (_, bad) = page(&app, &anna, "/agreements/110000000001/partner?csn=12345").await;
    assert!(
        bad.contains("id=\"csn-error\"") && bad.contains("genau 10 Ziffern"),
        "{bad}"
    );
    assert!(bad.contains("value=\"12345\""));
    let (_, unknown) = page(
        &app,
        &anna,
        "/agreements/110000000001/partner?csn=5100000099",
    )
    .await;
    assert!(unknown.contains("Es gibt keinen Partner mit dieser CSN"));
    let (_, found) = page(
        &app,
        &anna,
        "/agreements/110000000001/partner?csn=5100000002",
    )
    .await;
    assert!(
        found.contains("BIM Solutions AG")
            && found.contains("Berlin")
            && found.contains(">Weiter<")
    );
    // Step 2: review and Submit (Senden).
    let (_, review) = page(
        &app,
        &anna,
        "/agreements/110000000001/partner/review?csn=5100000002",
    )
    .await;
    assert!(review.contains("CAD Partner GmbH") && review.contains(">Senden<"));
    // #18: the review sums up what is being changed and when it takes
    // effect, and leads back to the search with the partner kept.
    assert!(review.contains("Vertrag 110000000001"), "{review}");
    assert!(
        review.contains("Plätze)") && review.contains(" bis "),
        "{review}"
    );
    assert!(review.contains("mindestens 60 Minuten"), "{review}");
    assert!(
        review.contains(r#"href="/agreements/110000000001/partner?csn=5100000002">Zurück<"#),
        "{review}"
    );
    let token = hidden(&review, "csrf");
    let res = anna
        .post(format!("{}/agreements/110000000001/partner", app.base))
        .header("origin", &app.base)
        .form(&[("csn", "5100000002"), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let done = res.headers()["location"].to_str().unwrap().to_owned();
    let (_, done) = page(&app, &anna, &done).await;
    assert!(
        done.contains("mindestens 60 Minuten") && done.contains(">Fertig<"),
        "{done}"
    );
    // #18: the last step keeps the step indicator, and "at least" is not
    // followed by "expected by".
    assert!(done.contains("Schritt 3 von 3") && done.contains("frühestens"));
    assert!(!done.contains("voraussichtlich bis"), "{done}");
    let (_, detail) = page(&app, &anna, "/agreements/110000000001").await;
    assert!(detail.contains("Partnerwechsel in Bearbeitung") && detail.contains("Zurückziehen"));

    app.advance(Duration::hours(1));
    assert_eq!(app.run_worker().await.applied, 1);
    // An hour later the idle session has expired: sign in again.
    let anna = browser(&app, "anna@muster.example", "de").await;
    let (_, detail) = page(&app, &anna, "/agreements/110000000001").await;
    assert!(!detail.contains("Partnerwechsel in Bearbeitung"));
    assert!(
        detail.contains("BIM Solutions AG (Berlin, 5100000002)"),
        "{detail}"
    );
}

#[tokio::test]
async fn blocked_agreements_list_every_reason_and_the_wizard_does_not_start() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, "anna@muster.example", "en").await;
    let (_, detail) = page(&app, &anna, "/agreements/110000000012").await;
    for code in ["auto_renew", "expires_soon", "not_active"] {
        assert!(detail.contains(&format!("data-code=\"{code}\"")), "{code}");
    }
    // Anna's own setting is German; the language cookie is not set, so her setting wins.
    assert!(detail.contains("automatische Verlängerung ist aktiviert"));
    let (_, wizard) = page(&app, &anna, "/agreements/110000000012/partner").await;
    assert!(
        !wizard.contains("id=\"csn\""),
        "no search form when blocked"
    );
    let (_, sub) = page(&app, &anna, "/agreements/12000000000001").await;
    assert!(sub.contains("data-code=\"subscription_requires_transaction\""));
}

#[tokio::test]
async fn a_multi_partner_agreement_warns_that_all_partners_are_replaced() {
    let app = TestApp::spawn().await;
    let dora = browser(&app, "anna@muster.example", "de").await;
    let (_, review) = page(
        &app,
        &dora,
        "/agreements/110000000011/partner/review?csn=5100000004",
    )
    .await;
    assert!(review.contains("Sie werden alle durch den neuen Partner ersetzt"));
}

#[tokio::test]
async fn a_user_sees_no_partner_actions_and_cannot_open_the_wizard() {
    let app = TestApp::spawn().await;
    let carla = browser(&app, "carla@muster.example", "de").await;
    let (_, detail) = page(&app, &carla, "/agreements/110000000001").await;
    assert!(detail.contains("Bitte wenden Sie sich an Ihren Administrator"));
    assert!(!detail.contains("/partner\""));
    let (s, _) = page(&app, &carla, "/agreements/110000000001/partner").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Not assigned to her: not found.
    let (s, body) = page(&app, &carla, "/agreements/110000000002").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(body.contains("Nicht gefunden"));
}

#[tokio::test]
async fn another_tenants_agreement_page_is_not_found() {
    let app = TestApp::spawn().await;
    let dora = browser(&app, "dora@example-ltd.example", "en").await;
    let (a, theirs) = page(&app, &dora, "/agreements/110000000001").await;
    let (b, missing) = page(&app, &dora, "/agreements/110000000999").await;
    assert_eq!((a, b), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert_eq!(theirs, missing);
}

#[tokio::test]
async fn partners_see_the_incoming_change() {
    let app = TestApp::spawn().await;
    let req = json_with(
        app.submit("anna@muster.example", "110000000001", "5100000002")
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    let change = format!("/changes/{}", req["id"].as_str().unwrap());
    let ben = browser(&app, "ben@bim-solutions.example", "de").await;
    let (_, changes) = page(&app, &ben, "/changes").await;
    assert!(changes.contains("110000000001") && changes.contains("In Bearbeitung"));
    // #18: each partner's change page links to the agreement only while
    // it may open it — the outgoing one until the change is applied, the
    // incoming one from then on — never to a 404.
    let paul = browser(&app, "paul@cad-partner.example", "de").await;
    let link = r#"href="/agreements/110000000001""#;
    let sees = async |who: &reqwest::Client| {
        let (_, changes) = page(&app, who, &change).await;
        let (status, _) = page(&app, who, "/agreements/110000000001").await;
        (changes.contains(link), status)
    };
    assert_eq!(sees(&ben).await, (false, StatusCode::NOT_FOUND));
    assert_eq!(sees(&paul).await, (true, StatusCode::OK));
    app.advance(Duration::hours(2));
    app.run_worker().await;
    // Two hours on, both sign in again (their sessions went idle).
    let ben = browser(&app, "ben@bim-solutions.example", "de").await;
    let paul = browser(&app, "paul@cad-partner.example", "de").await;
    assert_eq!(sees(&ben).await, (true, StatusCode::OK));
    assert_eq!(sees(&paul).await, (false, StatusCode::NOT_FOUND));
}

#[tokio::test]
async fn forms_refuse_cross_site_posts_and_posts_without_the_token() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, "anna@muster.example", "en").await;
    let r = json_with(
        app.submit("anna@muster.example", "110000000001", "5100000002")
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    let id = r["id"].as_str().unwrap();
    let (_, detail) = page(&app, &anna, "/agreements/110000000001").await;
    let token = hidden(&detail, "csrf");
    let url = format!("{}/partner-changes/{id}/withdraw", app.base);
    // Another origin, even with the right token.
    let res = anna
        .post(&url)
        .header("origin", "https://evil.example")
        .form(&[("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = anna
        .post(&url)
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // No Origin or Fetch-Metadata headers and no token.
    let res = anna.post(&url).form(&[("csrf", "")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let still = json_with(
        app.get(
            "anna@muster.example",
            &format!("/api/v1/partner-changes/{id}"),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(still["status"], "pending");
    // The same form from the page itself works.
    let res = anna
        .post(&url)
        .header("sec-fetch-site", "same-origin")
        .form(&[("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, detail) = page(&app, &anna, res.headers()["location"].to_str().unwrap()).await;
    assert!(detail.contains("zurückgezogen") || detail.contains("withdrawn"));
}

#[tokio::test]
async fn wrong_credentials_get_one_message_whether_or_not_the_email_exists() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let wrong = signin(&app, &client, "anna@muster.example", "nope").await;
    let unknown = signin(&app, &client, "nobody@muster.example", "nope").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let (a, b) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert!(a.contains("signin-error") && b.contains("signin-error"));
    assert_eq!(
        a.replace("anna@muster.example", "X"),
        b.replace("nobody@muster.example", "X")
    );
}

#[tokio::test]
async fn sessions_expire_when_idle_and_end_at_sign_out() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, "anna@muster.example", "en").await;
    assert_eq!(page(&app, &anna, "/agreements").await.0, StatusCode::OK);
    app.advance(Duration::minutes(31));
    let res = anna
        .get(format!("{}/agreements", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/signin?next=")
    );

    let anna = browser(&app, "anna@muster.example", "en").await;
    let (_, list) = page(&app, &anna, "/agreements").await;
    let cookie_header = {
        // Keep the session cookie to replay it after sign-out.
        let res = anna
            .get(format!("{}/agreements", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        res
    };
    drop(cookie_header);
    let token = hidden(&list, "csrf");
    let res = anna
        .post(format!("{}/signout", app.base))
        .form(&[("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = anna
        .get(format!("{}/agreements", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "signed out");
}

#[tokio::test]
async fn the_language_switcher_changes_the_language_and_comes_back() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, "anna@muster.example", "de").await;
    let res = anna
        .get(format!("{}/lang/en?back=/support-levels", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/support-levels");
    let (_, levels) = page(&app, &anna, "/support-levels").await;
    assert!(levels.contains("Support levels") && levels.contains("lang=\"en\""));
    // Only local paths are followed.
    let res = anna
        .get(format!("{}/lang/de?back=//evil.example", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/agreements");
}

#[tokio::test]
async fn history_and_audit_download_as_csv_for_those_who_may_read_them() {
    let app = TestApp::spawn().await;
    json_with(
        app.submit("anna@muster.example", "110000000001", "5100000002")
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    let anna = browser(&app, "anna@muster.example", "en").await;
    let res = anna
        .get(format!(
            "{}/agreements/110000000001/partner-history.csv",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = res.text().await.unwrap();
    // The portal's download speaks the person's language (#18: Anna reads
    // German); the API's keeps its codes.
    assert!(csv.starts_with("Vertrag,Partner (CSN),Partnername,Gültig ab,Gültig bis,Wie\n110000000001,5100000001,CAD Partner GmbH,"), "{csv}");
    assert!(csv.lines().nth(1).unwrap().ends_with(",Import"), "{csv}");
    let api = app
        .get(
            "anna@muster.example",
            "/api/v1/agreements/110000000001/partner-history?format=csv",
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        api.starts_with("agreement,partner,partner_name,valid_from,valid_to,source\n"),
        "{api}"
    );
    let audit = anna
        .get(format!("{}/agreements/110000000001/audit.csv", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        audit
            .lines()
            .nth(1)
            .unwrap()
            .contains("Partnerwechsel angefordert"),
        "{audit}"
    );
    let carla = browser(&app, "carla@muster.example", "en").await;
    let res = carla
        .get(format!("{}/agreements/110000000001/audit.csv", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let dora = browser(&app, "dora@example-ltd.example", "en").await;
    let res = dora
        .get(format!(
            "{}/agreements/110000000001/partner-history.csv",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn operators_run_the_partner_directory_and_others_cannot() {
    let app = TestApp::spawn().await;
    let olga = browser(&app, "olga@vendor.example", "en").await;
    let (_, form) = page(&app, &olga, "/back-office/partners/new").await;
    let token = hidden(&form, "csrf");
    let post = |fields: Vec<(&'static str, String)>| {
        let mut fields = fields;
        fields.push(("csrf", token.clone()));
        olga.post(format!("{}/back-office/partners", app.base))
            .form(&fields)
            .send()
    };
    // Every invalid field is shown next to it, input kept, nothing written.
    let before = app.counts().await;
    let res = post(vec![
        ("csn", "51".into()),
        ("name", "Nord CAD".into()),
        ("city", "".into()),
        ("country", "Germany".into()),
        ("status", "active".into()),
        ("email", "nope".into()),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for id in [
        "p-csn-error",
        "p-city-error",
        "p-country-error",
        "p-email-error",
    ] {
        assert!(html.contains(id), "{id}");
    }
    assert!(html.contains("value=\"Nord CAD\""));
    assert_eq!(app.counts().await, before);
    // A valid one is saved and audited.
    let res = post(vec![
        ("csn", "5100-000 009".into()),
        ("name", "Nord CAD".into()),
        ("city", "Hamburg".into()),
        ("country", "DE".into()),
        ("status", "active".into()),
        ("email", "info@nordcad.example".into()),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let p = json_with(
        app.get("anna@muster.example", "/api/v1/partners/5100000009")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(p["name"], "Nord CAD");
    // Deactivating: it can no longer be chosen (R5).
    let res = olga
        .post(format!("{}/back-office/partners/5100000009", app.base))
        .form(&[
            ("name", "Nord CAD"),
            ("city", "Hamburg"),
            ("country", "DE"),
            ("status", "inactive"),
            ("email", "info@nordcad.example"),
            ("csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let p = json_with(
        app.submit("anna@muster.example", "110000000001", "5100000009")
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&p), ["new_partner"]);
    let log = json_with(
        app.get("olga@vendor.example", "/api/v1/audit").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "partner_saved")
            .count(),
        2
    );

    // Support agents read the directory but do not change it; customers do not see it.
    let sam = browser(&app, "sam@vendor.example", "en").await;
    assert_eq!(
        page(&app, &sam, "/back-office/partners").await.0,
        StatusCode::OK
    );
    assert_eq!(
        page(&app, &sam, "/back-office/partners/new").await.0,
        StatusCode::FORBIDDEN
    );
    let anna = browser(&app, "anna@muster.example", "en").await;
    assert_eq!(
        page(&app, &anna, "/back-office/partners").await.0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_import_upload_lists_every_error_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let olga = browser(&app, "olga@vendor.example", "en").await;
    let (_, form) = page(&app, &olga, "/back-office/import").await;
    let token = hidden(&form, "csrf");
    let upload = |body: &'static str| {
        let form = reqwest::multipart::Form::new()
            .text("csrf", token.clone())
            .part(
                "file",
                reqwest::multipart::Part::bytes(body.as_bytes().to_vec()).file_name("import.json"),
            );
        olga.post(format!("{}/back-office/import", app.base))
            .header("origin", app.base.clone())
            .multipart(form)
            .send()
    };
    let before = app.counts().await;
    let res = upload(
        r#"{"partners":[{"csn":"51","name":"P","city":"C","country":"DE","email":"p@p.example"}]}"#,
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    // #19: the record counted from 1, the field as the file spells it.
    assert!(
        html.contains("Record 1 of partners, field <code>csn</code>"),
        "{html}"
    );
    assert_eq!(app.counts().await, before);
    let res = upload(r#"{"partners":[{"csn":"5100000010","name":"P","city":"C","country":"DE","email":"p@p.example"}]}"#).await.unwrap();
    // #18: what went in is said in words on the page the upload redirects
    // to, once — a reload imports nothing and shows nothing.
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/back-office/import");
    let after = app.counts().await;
    assert_eq!(after["partners"], before["partners"] + 1);
    let (_, done) = page(&app, &olga, "/back-office/import").await;
    assert!(
        done.contains("Imported 1 partner, 0 customer accounts, 0 people and 0 agreements."),
        "{done}"
    );
    assert!(!done.contains("partners="), "{done}");
    let (_, again) = page(&app, &olga, "/back-office/import").await;
    assert!(!again.contains("Imported "), "{again}");
    assert_eq!(app.counts().await, after);
}

/// #18: asking for a password link redirects (a reload sends no second
/// mail) and the page after says, once, where the link went.
#[tokio::test]
async fn a_password_link_request_is_sent_once_and_said_once() {
    let app = TestApp::spawn().await;
    let visitor = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let (_, form) = page(&app, &visitor, "/password-reset").await;
    let token = hidden(&form, "csrf");
    let before = app.counts().await;
    let res = visitor
        .post(format!("{}/password-reset", app.base))
        .header("origin", &app.base)
        .form(&[("email", "anna@muster.example"), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/password-reset");
    let after = app.counts().await;
    assert_eq!(after["outbox"], before["outbox"] + 1, "one mail queued");
    let (_, sent) = page(&app, &visitor, "/password-reset").await;
    assert!(sent.contains("anna@muster.example"), "{sent}");
    assert!(!sent.contains("<form method=\"post\" action=\"/password-reset\""));
    let (_, again) = page(&app, &visitor, "/password-reset").await;
    assert!(!again.contains("anna@muster.example"), "{again}");
    assert_eq!(app.counts().await, after);
}

#[tokio::test]
async fn the_primary_admin_manages_roles_and_what_each_user_sees() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, "anna@muster.example", "en").await;
    let (s, people) = page(&app, &anna, "/account/people").await;
    assert_eq!(s, StatusCode::OK);
    assert!(people.contains("bernd@muster.example") && people.contains("carla@muster.example"));
    assert!(
        !people.contains("dora@example-ltd.example"),
        "R1: only this account's people"
    );
    let token = hidden(&people, "csrf");
    let post = |path: &'static str, body: Vec<(&'static str, &'static str)>| {
        let mut body = body;
        body.push(("csrf", token.as_str()));
        let body: Vec<(String, String)> = body
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        anna.post(format!("{}{path}", app.base)).form(&body).send()
    };
    // Carla (a user) is given two more agreements; another account's is refused.
    let res = post(
        "/account/people/agreements",
        vec![
            ("email", "carla@muster.example"),
            ("agreement", "110000000001"),
            ("agreement", "110000000002"),
            ("agreement", "110000000008"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let carla = json_with(
        app.get("carla@muster.example", "/api/v1/agreements").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(carla["items"].as_array().unwrap().len(), 3);
    let res = post(
        "/account/people/agreements",
        vec![
            ("email", "carla@muster.example"),
            ("agreement", "110000000101"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Bernd becomes a user: he can no longer request changes.
    let res = post(
        "/account/people/role",
        vec![("email", "bernd@muster.example"), ("role", "user")],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let bernd = browser(&app, "bernd@muster.example", "en").await;
    assert_eq!(
        page(&app, &bernd, "/agreements/110000000001").await.0,
        StatusCode::NOT_FOUND,
        "sees nothing until given agreements"
    );
    // The primary admin's own role and other accounts' people are out of reach.
    let res = post(
        "/account/people/role",
        vec![("email", "anna@muster.example"), ("role", "user")],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = post(
        "/account/people/role",
        vec![("email", "dora@example-ltd.example"), ("role", "user")],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let log = json_with(
        app.get("anna@muster.example", "/api/v1/audit").await,
        StatusCode::OK,
    )
    .await;
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "role_changed")
            .count()
            >= 2
    );
    // Secondary admins do not manage people.
    let ed = browser(&app, "ed@example-ltd.example", "en").await;
    assert_eq!(
        page(&app, &ed, "/account/people").await.0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn vendor_staff_search_agreements_and_the_audit_log_across_accounts() {
    let app = TestApp::spawn().await;
    json_with(
        app.submit("dora@example-ltd.example", "110000000101", "5100000001")
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    let sam = browser(&app, "sam@vendor.example", "en").await;
    let (_, list) = page(&app, &sam, "/agreements?q=1100-0000-01").await;
    assert!(
        list.contains("Example Ltd (7000000002)"),
        "account column for vendor staff"
    );
    let (s, audit) = page(
        &app,
        &sam,
        "/back-office/audit?account=7000000002&action=change_requested",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        audit.contains("dora@example-ltd.example (Primary administrator)")
            && audit.contains("110000000101")
    );
    // #19: the change as named fields in words, not stored JSON.
    assert!(
        audit.contains(r#"<span class="muted">Status:</span> <ins>Pending</ins>"#),
        "{audit}"
    );
    assert!(!audit.contains("&#34;status&#34;"), "no JSON: {audit}");
    let (_, none) = page(
        &app,
        &sam,
        "/back-office/audit?account=7000000001&action=change_requested",
    )
    .await;
    assert!(!none.contains("110000000101"));
    let dora = browser(&app, "dora@example-ltd.example", "en").await;
    assert_eq!(
        page(&app, &dora, "/back-office/audit").await.0,
        StatusCode::FORBIDDEN
    );
    // The API filters the same way; an account admin cannot widen their scope.
    let api = json_with(
        app.get("anna@muster.example", "/api/v1/audit?account=7000000002")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(api["items"], serde_json::json!([]));
}

#[tokio::test]
async fn the_primary_admin_adds_people_by_invitation_and_removes_their_access() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, "anna@muster.example", "en").await;
    let (_, people) = page(&app, &anna, "/account/people").await;
    let token = hidden(&people, "csrf");
    let res = invite(
        &app,
        &anna,
        &token,
        ("Nina@Muster.example", "Nina Neu", "user"),
    )
    .await;
    let link = shown_once(&app, &anna, res, "invite-link").await;
    let path = link
        .split_once("/invite/")
        .map(|(_, t)| format!("/invite/{t}"))
        .unwrap();
    // The link is also mailed to Nina, in her language.
    let queued = app.services.store.outbox_pending().await.unwrap();
    let (to, mailed) = queued
        .iter()
        .find_map(|m| match m {
            kontor_core::domain::notify::OutboxMessage::Invitation {
                recipients, link, ..
            } => Some((recipients[0].clone(), link.clone())),
            _ => None,
        })
        .expect("invitation mail queued");
    assert_eq!(to.to, "nina@muster.example");
    assert_eq!(to.lang, kontor_core::domain::roles::Lang::De);
    assert!(mailed.ends_with(&path), "{mailed} vs {path}");
    // Adding the same email again is refused on the form.
    let again = invite(&app, &anna, &token, ("nina@muster.example", "Nina", "user")).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Nina sets her password with the link (once).
    let nina = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let (_, form) = page(&app, &nina, &path).await;
    let csrf = hidden(&form, "csrf");
    let short = nina
        .post(format!("{}{path}", app.base))
        .form(&[("password", "short"), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ok = nina
        .post(format!("{}{path}", app.base))
        .form(&[("password", "a-good-long-password"), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let reuse = nina
        .post(format!("{}{path}", app.base))
        .form(&[("password", "another-long-password"), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(reuse.status(), StatusCode::NOT_FOUND);
    let res = signin(&app, &nina, "nina@muster.example", "a-good-long-password").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(page(&app, &nina, "/agreements").await.0, StatusCode::OK);

    // Anna removes Nina's access: her session ends and she cannot sign in.
    let res = anna
        .post(format!("{}/account/people/remove", app.base))
        .form(&[("email", "nina@muster.example"), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        page(&app, &nina, "/agreements").await.0,
        StatusCode::SEE_OTHER
    );
    let res = signin(&app, &nina, "nina@muster.example", "a-good-long-password").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // #18: the page says what happened, the audit log names it.
    let (_, people) = page(&app, &anna, "/account/people?removed=nina%40muster.example").await;
    assert!(
        people.contains("wurde entfernt") && people.contains("nina@muster.example"),
        "{people}"
    );
    let actions = || async {
        let log = json_with(
            app.get("anna@muster.example", "/api/v1/audit").await,
            StatusCode::OK,
        )
        .await;
        log["items"].as_array().unwrap().clone()
    };
    let log = actions().await;
    let did = |action: &str| log.iter().filter(|e| e["action"] == action).count();
    assert_eq!(
        (
            did("user_created"),
            did("invitation_accepted"),
            did("access_removed")
        ),
        (1, 1, 1)
    );
    assert_eq!(
        did("role_changed"),
        0,
        "removing access is not a role change"
    );

    // #18: a person whose access was removed can be invited again, under
    // a new role, with a new link; the old password stays dead.
    let res = invite(
        &app,
        &anna,
        &token,
        ("nina@muster.example", "Nina Neu", "secondary_admin"),
    )
    .await;
    let again = shown_once(&app, &anna, res, "invite-link").await;
    let again = format!("/invite/{}", again.split_once("/invite/").unwrap().1);
    assert_ne!(again, path, "a new link");
    let res = signin(&app, &nina, "nina@muster.example", "a-good-long-password").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let (_, form) = page(&app, &nina, &again).await;
    let csrf = hidden(&form, "csrf");
    let ok = nina
        .post(format!("{}{again}", app.base))
        .form(&[("password", "a-new-long-password"), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let res = signin(&app, &nina, "nina@muster.example", "a-new-long-password").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let log = actions().await;
    let back = log
        .iter()
        .filter(|e| e["action"] == "user_created")
        .find(|e| e["before"]["access"] == false)
        .expect("the second invitation says the person had been there");
    assert_eq!(back["after"]["role"], "secondary_admin");
}

/// #6: operators add webhook endpoints in the back office (the secret is
/// shown once), see failed deliveries and send them again; other staff
/// and customers get no such page.
#[tokio::test]
async fn operators_manage_webhooks_and_resend_failed_deliveries_in_the_back_office() {
    let app = TestApp::spawn_with(|c| c.webhook_allow_private = true).await;
    let olga = browser(&app, "olga@vendor.example", "en").await;
    let (status, html) = page(&app, &olga, "/back-office/webhooks").await;
    assert_eq!(status, StatusCode::OK);
    let token = hidden(&html, "csrf");
    // A refused URL: the form comes back with the field's message.
    let res = olga
        .post(format!("{}/back-office/webhooks", app.base))
        .form(&[("url", "ftp://x.example/"), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("address with http:// or https://")
    );
    // Port 9 (discard) refuses connections: the delivery fails.
    let res = olga
        .post(format!("{}/back-office/webhooks", app.base))
        .form(&[
            ("url", "http://127.0.0.1:9/hook"),
            ("events", "partner_change.submitted"),
            ("events", "partner_change.applied"),
            ("csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "Post/Redirect/Get (#18)"
    );
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let (_, html) = page(&app, &olga, &to).await;
    assert!(html.contains("whsec_"), "the secret is shown once");
    // The endpoint's events in words (#18), not as codes.
    assert!(
        html.contains("Partner change requested, Partner change applied")
            || html.contains("Partner change applied, Partner change requested"),
        "{html}"
    );
    let (_, again) = page(&app, &olga, &to).await;
    assert!(
        !again.contains("whsec_"),
        "and only once: a reload shows it no more"
    );
    assert_eq!(
        again.matches("127.0.0.1:9/hook").count(),
        1,
        "nor adds it again"
    );

    app.submit("anna@muster.example", "110000000001", "5100000002")
        .await;
    let d = app.deliverer(|c| c.delivery_retry_schedule = vec![]);
    d.drain().await.unwrap();
    // The page opens on what needs attention: the deliveries given up.
    let (status, html) = page(&app, &olga, "/back-office/deliveries").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("could not connect"), "{html}");
    assert!(
        html.contains(
            r#"href="/back-office/deliveries?status=dead" aria-current="page">Given up: 1</a>"#
        ),
        "{html}"
    );
    // The endpoint by its URL (#19), not its id.
    assert!(html.contains("<td>http://127.0.0.1:9/hook</td>"), "{html}");
    // States and messages in words (#18), in German too.
    assert!(html.contains("<td>Given up</td>") && html.contains("Partner change notice"));
    assert!(!html.contains("<td>dead</td>") && !html.contains("partner_change_emails"));
    let de = browser(&app, "olga@vendor.example", "de").await;
    page(&app, &de, "/lang/de").await; // Olga reads English; she switches
    let (_, german) = page(&app, &de, "/back-office/deliveries?status=dead").await;
    assert!(german.contains("<td>Aufgegeben</td>") && german.contains(">Zugestellt</a>"));
    let form = html.split("/back-office/deliveries/").nth(1).unwrap();
    let id = form.split('/').next().unwrap();
    let res = olga
        .post(format!("{}/back-office/deliveries/{id}/resend", app.base))
        .form(&[("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &olga, "/back-office/deliveries?status=pending").await;
    assert!(html.contains(id), "queued again");
    // Nothing given up any more: the page opens on what waits.
    let (_, html) = page(&app, &olga, "/back-office/deliveries").await;
    assert!(html.contains(id), "{html}");
    assert!(html.contains(">Given up: none</a>"));
    assert!(
        html.contains(r#"aria-current="page">Pending: 1</a>"#),
        "{html}"
    );

    // Disabling and deleting say what they did on the page they return to.
    let (_, list) = page(&app, &olga, "/back-office/webhooks").await;
    let endpoint = list
        .split("/back-office/webhooks/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap()
        .to_owned();
    for (action, said) in [
        ("disable", "The endpoint is disabled."),
        ("delete", "The endpoint was deleted."),
    ] {
        let res = olga
            .post(format!(
                "{}/back-office/webhooks/{endpoint}/{action}",
                app.base
            ))
            .form(&[("csrf", &token)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{action}");
        let to = res.headers()["location"].to_str().unwrap().to_owned();
        let (_, after) = page(&app, &olga, &to).await;
        assert!(after.contains(said), "{action}: {after}");
    }

    for who in ["sam@vendor.example", "anna@muster.example"] {
        let c = browser(&app, who, "en").await;
        let (status, _) = page(&app, &c, "/back-office/webhooks").await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
            "{who}: {status}"
        );
    }
}

#[tokio::test]
async fn over_tls_the_session_cookie_carries_the_host_prefix() {
    let app = TestApp::spawn_with(|c| c.cookie_secure = true).await;
    // No cookie store: it would not send Secure cookies over plain HTTP.
    let set_cookie = |res: &reqwest::Response, name: &str| -> String {
        res.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .unwrap_or_else(|| panic!("no {name} cookie in {:?}", res.headers()))
            .to_owned()
    };
    let value = |cookie: &str| cookie.split(';').next().unwrap().to_owned();
    let res = app
        .client
        .get(format!("{}/signin", app.base))
        .send()
        .await
        .unwrap();
    let signin = set_cookie(&res, "__Host-kontor_signin");
    let token = hidden(&res.text().await.unwrap(), "csrf");
    let res = app
        .client
        .post(format!("{}/signin", app.base))
        .header("cookie", value(&signin))
        .form(&[
            ("email", "anna@muster.example"),
            ("password", "kontor-demo"),
            ("csrf", &token),
            ("next", "/agreements"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let session = set_cookie(&res, "__Host-kontor_session");
    let attributes = session.to_ascii_lowercase();
    for attribute in ["; secure", "; httponly", "; path=/", "; samesite=lax"] {
        assert!(attributes.contains(attribute), "{session}");
    }
    assert!(!attributes.contains("domain="), "{session}");
    let page = |cookie: String| {
        let app = &app;
        async move {
            app.client
                .get(format!("{}/agreements", app.base))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(page(value(&session)).await, StatusCode::OK);
    // The same id under the unprefixed name is not a session.
    let plain = value(&session).replacen("__Host-", "", 1);
    assert_eq!(page(plain).await, StatusCode::SEE_OTHER);
}

/// #18: a session that ends in the middle of the wizard says so at
/// sign-in and brings the person back to the step they were on, with the
/// partner they had found; an accepted invitation is greeted at sign-in.
#[tokio::test]
async fn an_ended_session_says_why_and_keeps_the_wizard_step() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, "anna@muster.example", "de").await;
    let review = "/agreements/110000000001/partner/review?csn=5100000002";
    let (_, html) = page(&app, &anna, review).await;
    let token = hidden(&html, "csrf");
    app.advance(Duration::minutes(31));
    let res = anna
        .post(format!("{}/agreements/110000000001/partner", app.base))
        .header("origin", &app.base)
        .header("referer", format!("{}{review}", app.base))
        .form(&[("csn", "5100000002"), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.contains("expired=1"), "{to}");
    let (_, signin) = page(&app, &anna, &to).await;
    assert!(signin.contains("Ihre Sitzung ist abgelaufen"), "{signin}");
    assert_eq!(hidden(&signin, "next"), review, "back to the review step");
    // Nothing was submitted on the way.
    let r = json_with(
        app.get(
            "anna@muster.example",
            "/api/v1/partner-changes?agreement=110000000001",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["items"].as_array().unwrap().len(), 0);
    // Someone who never signed in is not told of an ended session.
    let stranger = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = stranger
        .get(format!("{}{review}", app.base))
        .send()
        .await
        .unwrap();
    let to = res.headers()["location"].to_str().unwrap();
    assert!(!to.contains("expired"), "{to}");
    let (_, welcome) = page(&app, &stranger, "/signin?welcome=1").await;
    assert!(welcome.contains("Your password is saved"), "{welcome}");
}

/// #18: every destructive action asks again on a page of its own — the
/// first step is a link, so following it (or reloading it) changes
/// nothing; the second is a form that works without JavaScript.
#[tokio::test]
async fn destructive_actions_ask_first_and_a_link_changes_nothing() {
    let app = TestApp::spawn().await;
    let r = json_with(
        app.submit("anna@muster.example", "110000000001", "5100000002")
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    let id = r["id"].as_str().unwrap().to_owned();
    let anna = browser(&app, "anna@muster.example", "de").await;
    let (_, detail) = page(&app, &anna, "/agreements/110000000001").await;
    let withdraw = format!("/partner-changes/{id}/withdraw");
    assert!(
        detail.contains(&format!(r#"href="{withdraw}""#)),
        "{detail}"
    );
    assert!(!detail.contains(&format!(r#"action="{withdraw}""#)));
    for _ in 0..2 {
        let (status, ask) = page(&app, &anna, &withdraw).await;
        assert_eq!(status, StatusCode::OK);
        assert!(ask.contains("Partnerwechsel zurückziehen?"), "{ask}");
        assert!(ask.contains("110000000001") && ask.contains(&format!(r#"action="{withdraw}""#)));
        assert!(
            ask.contains(r#"href="/agreements/110000000001""#),
            "cancel leads back"
        );
    }
    let still = json_with(
        app.get(
            "anna@muster.example",
            &format!("/api/v1/partner-changes/{id}"),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(still["status"], "pending", "asking changed nothing");
    let (_, ask) = page(&app, &anna, &withdraw).await;
    let res = anna
        .post(format!("{}{withdraw}", app.base))
        .header("origin", &app.base)
        .form(&[("csrf", hidden(&ask, "csrf"))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let done = json_with(
        app.get(
            "anna@muster.example",
            &format!("/api/v1/partner-changes/{id}"),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(done["status"], "withdrawn");

    // Removing access: the list links to the question, which names the person.
    let (_, people) = page(&app, &anna, "/account/people").await;
    let remove = "/account/people/carla%40muster.example/remove";
    assert!(people.contains(remove), "{people}");
    let (status, ask) = page(&app, &anna, remove).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ask.contains("Zugang von") && ask.contains("carla@muster.example"));
    assert_eq!(hidden(&ask, "email"), "carla@muster.example");
    let carla = json_with(
        app.get("carla@muster.example", "/api/v1/me").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(carla["email"], "carla@muster.example", "still has access");
    // The primary admin's own access cannot be removed: no question either.
    let (status, _) = page(&app, &anna, "/account/people/anna%40muster.example/remove").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// #18: a form that makes something to be shown once (an invitation
/// link) answers with a redirect; the page it leads to shows the value in
/// `<code id="{id}">` once, and a reload neither shows it nor posts again.
pub(crate) async fn shown_once(
    app: &TestApp,
    client: &reqwest::Client,
    res: reqwest::Response,
    id: &str,
) -> String {
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "Post/Redirect/Get");
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(!to.contains("invite/"), "never in the URL: {to}");
    let marker = format!("<code id=\"{id}\">");
    let (_, html) = page(app, client, &to).await;
    let start = html.find(&marker).expect("shown after the redirect") + marker.len();
    let value = html[start..].split('<').next().unwrap().to_owned();
    let (_, reload) = page(app, client, &to).await;
    assert!(!reload.contains(&marker), "shown once only");
    value
}

/// #18: a pending change reads as German does — one partner is replaced
/// as "den bisherigen Partner", and "possible from today" is not said of
/// a change due within the hour.
#[tokio::test]
async fn a_pending_change_reads_right_with_one_partner() {
    let app = TestApp::spawn().await;
    json_with(
        app.submit("anna@muster.example", "110000000001", "5100000002")
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    let anna = browser(&app, "anna@muster.example", "de").await;
    let (_, detail) = page(&app, &anna, "/agreements/110000000001").await;
    assert!(
        detail.contains("ersetzt den bisherigen Partner."),
        "{detail}"
    );
    assert!(detail.contains("bereits ein Partnerwechsel bearbeitet"));
    assert!(!detail.contains("Möglich ab"), "{detail}");
    // Each blocked reason ends in what to do, where kontor has a page.
    assert!(
        detail.contains(
            r##"<a href="/agreements/110000000001#pending-h">Zur laufenden Anfrage</a>"##
        ),
        "{detail}"
    );
    let (_, eba) = page(&app, &anna, "/agreements/110000000003").await;
    assert!(
        eba.contains(r#"<a href="/support-levels">So erreichen Sie den Support</a>"#),
        "{eba}"
    );
    let (_, wizard) = page(
        &app,
        &anna,
        "/agreements/110000000011/partner/review?csn=5100000004",
    )
    .await;
    assert!(wizard.contains("<dt>Aktuelle Partner</dt>"), "{wizard}");
    assert!(!wizard.contains("Aktuelle(r)"));
}

/// #18: the use cases' field messages reach a German page in German (the
/// API keeps its English `message` and stable field paths).
#[tokio::test]
async fn form_errors_are_in_the_persons_language() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, "anna@muster.example", "de").await;
    let form = "/agreements/110000000011/support-case";
    let (_, html) = page(&app, &anna, form).await;
    let csrf = hidden(&html, "csrf");
    let res = anna
        .post(format!("{}{form}", app.base))
        .header("origin", &app.base)
        .form(&[
            ("replace_partner", "5100000099"),
            ("new_partner", "5199999999"),
            ("message", "bitte"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(
        html.contains("eines der aktuellen Partner dieses Vertrags")
            && html.contains("Es gibt keinen Partner mit der Kontonummer (CSN) 5199999999"),
        "{html}"
    );
    assert!(!html.contains("expected the CSN") && !html.contains("no partner with CSN"));
    // The same email again on the People page.
    let (_, people) = page(&app, &anna, "/account/people").await;
    let token = hidden(&people, "csrf");
    let res = invite(
        &app,
        &anna,
        &token,
        ("bernd@muster.example", "Bernd", "user"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("bernd@muster.example hat bereits Zugang zu kontor"),
        "{html}"
    );
    // The API answers in Anna's language too (her setting, #18), with the
    // same field.
    let problem = json_with(
        app.post(
            "anna@muster.example",
            "/api/v1/support-cases",
            &serde_json::json!({"agreement": "110000000011", "replace_partner": "5100000099",
                                "new_partner": "5199999999", "message": "x"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(error_fields(&problem).contains(&"new_partner".to_owned()));
    assert!(
        problem
            .to_string()
            .contains("Es gibt keinen Partner mit der Kontonummer (CSN) 5199999999.")
    );
    // The back office's partner form, for an operator reading German.
    let olga = browser(&app, "olga@vendor.example", "de").await;
    page(&app, &olga, "/lang/de").await;
    let (_, form) = page(&app, &olga, "/back-office/partners/new").await;
    let res = olga
        .post(format!("{}/back-office/partners", app.base))
        .form(&[
            ("csn", "5100000001"),
            ("name", ""),
            ("city", "Köln"),
            ("country", "Deutschland"),
            ("status", "active"),
            ("email", "kein-mail"),
            ("csrf", &hidden(&form, "csrf")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for german in [
        "Geben Sie 1 bis 200 Zeichen an.",
        "Ländercode nach ISO 3166-1",
        "Geben Sie eine E-Mail-Adresse an",
    ] {
        assert!(html.contains(german), "{german}: {html}");
    }
}

/// The People page's invitation form, in German, as the primary admin
/// `client` sends it: (email, name, role).
pub(crate) async fn invite(
    app: &TestApp,
    client: &reqwest::Client,
    token: &str,
    (email, name, role): (&str, &str, &str),
) -> reqwest::Response {
    client
        .post(format!("{}/account/people/invite", app.base))
        .form(&[
            ("email", email),
            ("name", name),
            ("role", role),
            ("lang", "de"),
            ("csrf", token),
        ])
        .send()
        .await
        .unwrap()
}

/// R1 at the re-invitation's boundary (#18): only the account a person
/// was removed from may invite them back; to another account's admin the
/// email is taken, and the person stays removed.
#[tokio::test]
async fn a_removed_person_comes_back_only_to_their_own_account() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, "anna@muster.example", "de").await;
    let (_, people) = page(&app, &anna, "/account/people").await;
    let token = hidden(&people, "csrf");
    let res = anna
        .post(format!("{}/account/people/remove", app.base))
        .form(&[("email", "carla@muster.example"), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let dora = browser(&app, "dora@example-ltd.example", "en").await;
    let (_, theirs) = page(&app, &dora, "/account/people").await;
    let res = invite(
        &app,
        &dora,
        &hidden(&theirs, "csrf"),
        ("carla@muster.example", "Carla", "secondary_admin"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, dora_people) = page(&app, &dora, "/account/people").await;
    assert!(
        !dora_people.contains("carla@muster.example"),
        "{dora_people}"
    );
    let (_, anna_people) = page(&app, &anna, "/account/people").await;
    let carla = anna_people
        .split("carla@muster.example")
        .nth(1)
        .expect("still listed in her own account");
    assert!(
        carla[..carla.find("</section>").unwrap()].contains("Kein Zugang"),
        "still removed"
    );
}

/// #19: an account of many agreements is not listed whole for each user;
/// more are added by number, and a number not of the account is named.
#[tokio::test]
async fn a_user_is_given_agreements_by_number_when_the_account_has_many() {
    let app = TestApp::spawn().await;
    let contracts: Vec<(String, &str)> = (0..80)
        .map(|i| (format!("1100000007{i:02}"), "2027-06-30"))
        .collect();
    app.import_muster_contracts(&contracts).await;
    let anna = browser(&app, "anna@muster.example", "de").await;
    let (_, people) = page(&app, &anna, "/account/people").await;
    let carla = people
        .split("<section")
        .find(|s| s.contains("carla@muster.example"))
        .unwrap();
    assert_eq!(
        carla.matches(r#"name="agreement""#).count(),
        50,
        "her one and the first others, not 94"
    );
    assert!(carla.contains("mehr Verträge, als hier zur Auswahl stehen"));
    let token = hidden(&people, "csrf");
    let post = |add: &str| {
        anna.post(format!("{}/account/people/agreements", app.base))
            .form(&[
                ("email", "carla@muster.example"),
                ("agreement", "110000000001"),
                ("add", add),
                ("csrf", token.as_str()),
            ])
            .send()
    };
    // A number of another account is named; nothing is saved.
    let res = post("110000000779\n110000000101").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("110000000101"));
    let sees = |v: serde_json::Value| v["items"].as_array().unwrap().len();
    assert_eq!(
        sees(
            json_with(
                app.get("carla@muster.example", "/api/v1/agreements").await,
                StatusCode::OK
            )
            .await
        ),
        1
    );
    let res = post("1100-0000-0779, 110000000778").await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        sees(
            json_with(
                app.get("carla@muster.example", "/api/v1/agreements").await,
                StatusCode::OK
            )
            .await
        ),
        3
    );
    let (_, people) = page(&app, &anna, "/account/people").await;
    assert!(
        people.contains(r#"value="110000000779" checked"#),
        "what she sees is listed, checked"
    );
}
