//! Sign-in throttling (#7): failures counted per account and per client
//! address; at the limit a clear 429 with Retry-After, for at most the
//! window; unknown emails behave like known ones.

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

#[tokio::test]
async fn one_address_guessing_many_accounts_is_stopped() {
    let app = TestApp::spawn_with(|c| c.signin_failures_per_address = 8).await;
    for i in 0..8 {
        let res = token(&app, &format!("guess{i}@muster.example"), "x").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    // From this address, even a real account with its password waits.
    let res = token(&app, "dora@example-ltd.example", "kontor-demo").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
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
