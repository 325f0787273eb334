//! #18: pages show times in the person's zone and language — the zone
//! their browser reported at their first sign-in, else their account's or
//! partner's country's — while the API stays RFC 3339 UTC.

use reqwest::StatusCode;

use crate::helpers::*;
use crate::portal::{browser, page, signin_from_zone};

fn fresh_client(lang: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers({
            let mut h = reqwest::header::HeaderMap::new();
            h.insert("accept-language", lang.parse().unwrap());
            h
        })
        .build()
        .unwrap()
}

/// A person signed in from a browser in `zone`.
async fn browser_in(app: &TestApp, email: &str, lang: &str, zone: &str) -> reqwest::Client {
    let client = fresh_client(lang);
    let res = signin_from_zone(app, &client, email, zone).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in of {email}");
    client
}

/// Nothing on the page reads like an ISO date or a UTC time.
fn no_machine_times(html: &str) {
    let iso = regex::Regex::new(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").unwrap();
    assert!(!iso.is_match(html), "an ISO date on the page: {html}");
    assert!(!html.contains(" UTC"), "a UTC time on the page: {html}");
}

/// The change submitted at the test clock's start (09:00 UTC) is due an
/// hour later, 10:00 UTC.
async fn pending_change(app: &TestApp, who: &str, agreement: &str, partner: &str) {
    json_with(
        app.submit(who, agreement, partner).await,
        StatusCode::ACCEPTED,
    )
    .await;
}

#[tokio::test]
async fn times_follow_the_zone_the_browser_reported_at_the_first_sign_in() {
    let app = TestApp::spawn().await;
    pending_change(&app, "anna@muster.example", "110000000001", "5100000002").await;

    // New York is five hours behind UTC in November.
    let anna = browser_in(&app, "anna@muster.example", "de", "America/New_York").await;
    let (_, detail) = page(&app, &anna, "/agreements/110000000001").await;
    assert!(
        detail.contains("Wirksam frühestens 25. November 2026, 05:00 Uhr (in etwa einer Stunde)."),
        "{detail}"
    );
    no_machine_times(&detail);

    // A later sign-in from elsewhere (a trip) does not move her times:
    // the browser's zone only fills in one nobody chose.
    let anna = browser_in(&app, "anna@muster.example", "de", "Asia/Tokyo").await;
    let (_, detail) = page(&app, &anna, "/agreements/110000000001").await;
    assert!(detail.contains("25. November 2026, 05:00 Uhr"), "{detail}");
}

#[tokio::test]
async fn without_a_reported_zone_times_follow_the_tenant_s_country() {
    let app = TestApp::spawn().await;
    pending_change(&app, "anna@muster.example", "110000000001", "5100000002").await;
    pending_change(
        &app,
        "dora@example-ltd.example",
        "110000000101",
        "5100000001",
    )
    .await;

    // Muster Bau AG is in Germany (UTC+1 in November) …
    let anna = browser(&app, "anna@muster.example", "de").await;
    let (_, detail) = page(&app, &anna, "/agreements/110000000001").await;
    assert!(detail.contains("25. November 2026, 11:00 Uhr"), "{detail}");

    // … Example Ltd in Great Britain (UTC+0), in English on the 12-hour clock.
    let dora = browser(&app, "dora@example-ltd.example", "en").await;
    let (_, detail) = page(&app, &dora, "/agreements/110000000101").await;
    assert!(
        detail.contains(
            "Takes effect no earlier than 25 November 2026, 10:00 am (in about an hour)."
        ),
        "{detail}"
    );
    no_machine_times(&detail);

    // A partner's staff: BIM Solutions is in Germany too.
    let ben = browser(&app, "ben@bim-solutions.example", "de").await;
    let (_, changes) = page(&app, &ben, "/changes").await;
    assert!(
        changes.contains("25. November 2026, 11:00 Uhr"),
        "{changes}"
    );
    no_machine_times(&changes);
}

/// A name the time zone database does not know (or an over-long one) is a
/// guess gone wrong, not an error: sign-in works and the country decides.
#[tokio::test]
async fn an_unknown_reported_zone_is_ignored() {
    let app = TestApp::spawn().await;
    pending_change(&app, "anna@muster.example", "110000000001", "5100000002").await;
    for bad in ["Mars/Olympus", "+02:00", &"Europe/".repeat(40)] {
        let anna = browser_in(&app, "anna@muster.example", "de", bad).await;
        let (_, detail) = page(&app, &anna, "/agreements/110000000001").await;
        assert!(
            detail.contains("25. November 2026, 11:00 Uhr"),
            "{bad}: {detail}"
        );
    }
}

/// Dates without a time (a term's end, "possible from") are the
/// language's too, and no page of the flow shows an ISO date.
#[tokio::test]
async fn dates_read_in_the_person_s_language_on_every_page_of_the_flow() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, "anna@muster.example", "de").await;
    for path in [
        "/agreements",
        "/agreements/110000000001",
        "/agreements/110000000002",
        "/agreements/110000000007",
        "/agreements/110000000001/partner/review?csn=5100000002",
    ] {
        let (status, html) = page(&app, &anna, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        no_machine_times(&html);
        assert!(
            html.contains(" 2027") || html.contains(" 2026"),
            "{path}: {html}"
        );
    }
    let dora = browser(&app, "dora@example-ltd.example", "en").await;
    let (_, list) = page(&app, &dora, "/agreements").await;
    no_machine_times(&list);
    assert!(list.contains(" November 2027"), "{list}");
}

/// The API keeps machine times: RFC 3339 in UTC, whatever the person's zone.
#[tokio::test]
async fn the_api_stays_rfc_3339_utc() {
    let app = TestApp::spawn().await;
    let anna = browser_in(&app, "anna@muster.example", "de", "America/New_York").await;
    drop(anna);
    let v = json_with(
        app.submit("anna@muster.example", "110000000001", "5100000002")
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(v["expected_completion"], "2026-11-25T10:00:00Z", "{v}");
}
