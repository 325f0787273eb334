//! Sign-in throttling (#7, #16): failures counted per account and per
//! client address; at the limit a clear 429 with Retry-After, for at most
//! the window; unknown emails behave like known ones; attempts reserved
//! before their password is checked, so parallel ones cannot get past the
//! limit — on the API and the portal alike, and across instances.

use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;

use crate::helpers::*;

async fn token(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/tokens", app.base))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn five_failures_lock_the_account_for_the_rest_of_the_window() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        assert_eq!(
            token(&app, "anna@muster.example", "wrong-password")
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // The sixth attempt is refused even with the right password.
    let res = token(&app, "anna@muster.example", "kontor-demo").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.headers()["retry-after"], "900");
    let problem: Value = res.json().await.unwrap();
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("try again in 15 minutes"),
        "{problem}"
    );
    // Other accounts are not affected (the address limit is higher).
    assert_eq!(
        token(&app, "dora@example-ltd.example", "kontor-demo")
            .await
            .status(),
        StatusCode::CREATED
    );
    // An unknown email is counted and answered the same way.
    for _ in 0..5 {
        assert_eq!(
            token(&app, "nobody@muster.example", "x").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        token(&app, "nobody@muster.example", "x").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );

    // One second before the window ends: still refused, with 1 second left.
    app.advance(Duration::minutes(15) - Duration::seconds(1));
    let res = token(&app, "anna@muster.example", "kontor-demo").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.headers()["retry-after"], "1");
    // At the window's end: the right password works, and clears the count.
    app.advance(Duration::seconds(1));
    assert_eq!(
        token(&app, "anna@muster.example", "kontor-demo")
            .await
            .status(),
        StatusCode::CREATED
    );
    for _ in 0..4 {
        token(&app, "anna@muster.example", "wrong-password").await;
    }
    assert_eq!(
        token(&app, "anna@muster.example", "kontor-demo")
            .await
            .status(),
        StatusCode::CREATED
    );
}

async fn token_from(app: &TestApp, address: &str, email: &str, password: &str) -> StatusCode {
    app.client
        .post(format!("{}/api/v1/tokens", app.base))
        .header("x-forwarded-for", address)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn one_address_guessing_many_accounts_is_stopped_for_the_address_window_only() {
    let app = TestApp::spawn_with(|c| {
        c.signin_failures_per_address = 8;
        c.client_ip_header = Some("x-forwarded-for".into());
    })
    .await;
    let nat = "198.51.100.7";
    for i in 0..8 {
        let status = token_from(&app, nat, &format!("guess{i}@muster.example"), "x").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // Behind this address (a company's NAT, say), even a real account with
    // its password waits...
    assert_eq!(
        token_from(&app, nat, "dora@example-ltd.example", "kontor-demo").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // ...while the same person from another address is not affected.
    assert_eq!(
        token_from(
            &app,
            "203.0.113.9",
            "dora@example-ltd.example",
            "kontor-demo"
        )
        .await,
        StatusCode::CREATED
    );
    // The address window (5 minutes), not the account's 15: one second
    // before its end still refused, at its end everyone behind the address
    // signs in again.
    app.advance(Duration::minutes(5) - Duration::seconds(1));
    assert_eq!(
        token_from(&app, nat, "anna@muster.example", "kontor-demo").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    app.advance(Duration::seconds(1));
    assert_eq!(
        token_from(&app, nat, "anna@muster.example", "kontor-demo").await,
        StatusCode::CREATED
    );
    // A success does not wipe the address's other failures: the guesser
    // cannot reset the address count with an account of its own.
    for i in 0..7 {
        token_from(&app, nat, &format!("again{i}@muster.example"), "x").await;
    }
    assert_eq!(
        token_from(&app, nat, "dora@example-ltd.example", "kontor-demo").await,
        StatusCode::CREATED
    );
    assert_eq!(
        token_from(&app, nat, "again9@muster.example", "x").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        token_from(&app, nat, "dora@example-ltd.example", "kontor-demo").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// #16: 50 wrong passwords at once for one account, from the API and the
/// portal, on two instances of one database: five are checked, never more
/// (before, all 50 were), and the right password after them is refused.
#[tokio::test]
async fn parallel_attempts_never_get_more_checks_than_the_limit() {
    let app = TestApp::spawn().await;
    let other = app.another_instance().await;
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = browser
        .get(format!("{}/signin", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::portal::hidden(&page, "csrf");
    let attempts = (0..50).map(|i| {
        let (app, other, browser, csrf) = (&app, &other, &browser, &csrf);
        async move {
            let password = format!("guess-{i}");
            let target = if i % 2 == 0 { app } else { other };
            if i % 5 == 4 {
                browser
                    .post(format!("{}/signin", app.base))
                    .form(&[
                        ("email", "anna@muster.example"),
                        ("password", password.as_str()),
                        ("csrf", csrf.as_str()),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
            } else {
                token(target, "anna@muster.example", &password)
                    .await
                    .status()
            }
        }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(throttled, 45, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS || s.is_client_error() || s.is_success()),
        "checked attempts are refused as wrong, never a server error: {statuses:?}"
    );
    for instance in [&app, &other] {
        assert_eq!(
            token(instance, "anna@muster.example", "kontor-demo")
                .await
                .status(),
            StatusCode::TOO_MANY_REQUESTS
        );
    }
}

#[tokio::test]
async fn the_sign_in_page_says_when_to_try_again() {
    let app = TestApp::spawn().await;
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = browser
        .get(format!("{}/signin", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::portal::hidden(&page, "csrf");
    let mut last = None;
    for _ in 0..6 {
        let res = browser
            .post(format!("{}/signin", app.base))
            .header("accept-language", "de")
            .form(&[
                ("email", "anna@muster.example"),
                ("password", "falsch"),
                ("csrf", &csrf),
            ])
            .send()
            .await
            .unwrap();
        last = Some(res);
    }
    let res = last.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Versuchen Sie es in 15 Minuten erneut"),
        "{html}"
    );
}
