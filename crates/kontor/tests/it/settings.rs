//! #19: a person's own settings — name, language and time zone; password
//! (current one required, weak ones refused, other sessions signed out);
//! where they are signed in.

use reqwest::StatusCode;
use time::Duration;

use crate::helpers::*;
use crate::portal::{browser, hidden, page};

const ANNA: &str = "anna@muster.example";
const DORA: &str = "dora@example-ltd.example";

/// Posts a settings form with the page's token; the response.
async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let (_, form) = page(app, client, "/account/settings").await;
    let token = hidden(&form, "csrf");
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("csrf", &token));
    client
        .post(format!("{}{action}", app.base))
        .header("origin", &app.base)
        .form(&all)
        .send()
        .await
        .unwrap()
}

fn browser_as(agent: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(agent)
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_profile_sets_name_language_and_zone_and_every_page_follows() {
    let app = TestApp::spawn().await;
    json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    let anna = browser(&app, ANNA, "de").await;
    let (status, settings) = page(&app, &anna, "/account/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(settings.contains("Ihre Einstellungen"), "{settings}");
    assert!(
        settings.contains("<option selected>Europe/Berlin</option>"),
        "the zone of her account's country until she chooses"
    );

    // A zone that does not exist: nothing is saved, the field says why.
    let res = post(
        &app,
        &anna,
        "/account/settings/profile",
        &[
            ("name", "Anna Muster"),
            ("lang", "en"),
            ("time_zone", "Mars/Olympus"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Wählen Sie eine Zeitzone aus der Liste"),
        "{html}"
    );
    assert!(html.contains(r#"value="Anna Muster""#), "the input is kept");
    let (_, again) = page(&app, &anna, "/account/settings").await;
    assert!(again.contains(r#"value="Anna Admin""#), "nothing saved");

    let res = post(
        &app,
        &anna,
        "/account/settings/profile",
        &[
            ("name", "Anna Muster"),
            ("lang", "en"),
            ("time_zone", "America/New_York"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let (_, saved) = page(&app, &anna, &to).await;
    assert!(saved.contains("Your details are saved."), "{saved}");
    assert!(saved.contains("Signed in as Anna Muster"), "{saved}");
    // Pages follow the new language and zone (09:00 UTC + 1 h = 05:00 in New York).
    let (_, detail) = page(&app, &anna, "/agreements/110000000001").await;
    assert!(detail.contains("25 November 2026, 5:00 am"), "{detail}");
    // So do the API's person and the audit.
    let me = json_with(app.get(ANNA, "/api/v1/me").await, StatusCode::OK).await;
    assert_eq!(me["name"], "Anna Muster");
    assert!(
        audit_actions(&app)
            .await
            .contains(&"profile_changed".to_owned())
    );
}

#[tokio::test]
async fn a_new_password_needs_the_current_one_is_hard_to_guess_and_signs_out_the_others() {
    let app = TestApp::spawn().await;
    let laptop = browser(&app, ANNA, "de").await;
    let phone = browser(&app, ANNA, "de").await;
    let before = app.counts().await;
    let change = |current: &'static str, new: &'static str, repeat: &'static str| {
        let (app, laptop) = (&app, &laptop);
        async move {
            post(
                app,
                laptop,
                "/account/settings/password",
                &[
                    ("current_password", current),
                    ("new_password", new),
                    ("repeat_password", repeat),
                ],
            )
            .await
        }
    };
    let refused = |res: reqwest::Response, says: &'static str| async move {
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains(says), "{says}: {html}");
    };
    let strong = "Kaffeetasse Mondlicht Schraube";
    refused(
        change("falsch", strong, strong).await,
        "Das aktuelle Passwort stimmt nicht.",
    )
    .await;
    refused(
        change("kontor-demo", strong, "something else").await,
        "stimmen nicht überein",
    )
    .await;
    refused(
        change("kontor-demo", "passwort1234", "passwort1234").await,
        "schwerer zu erraten",
    )
    .await;
    refused(
        change("kontor-demo", "anna-muster-99", "anna-muster-99").await,
        "nicht enthalten",
    )
    .await;
    assert_eq!(app.counts().await, before, "nothing written");

    let res = change("kontor-demo", strong, strong).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let (_, done) = page(&app, &laptop, &to).await;
    assert!(
        done.contains("Ihr Passwort ist geändert. Eine andere Sitzung wurde abgemeldet."),
        "{done}"
    );
    // The phone's session ended; the laptop's did not.
    assert_eq!(
        page(&app, &phone, "/agreements").await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(page(&app, &laptop, "/agreements").await.0, StatusCode::OK);
    // The old password no longer signs in; the new one does.
    let old = app
        .client
        .post(format!("{}/api/v1/tokens", app.base))
        .json(&serde_json::json!({"email": ANNA, "password": "kontor-demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let new = app
        .client
        .post(format!("{}/api/v1/tokens", app.base))
        .json(&serde_json::json!({"email": ANNA, "password": strong}))
        .send()
        .await
        .unwrap();
    assert_eq!(new.status(), StatusCode::CREATED);
    // A security mail is queued and the change audited.
    let after = app.counts().await;
    assert_eq!(after["outbox"], before["outbox"] + 1);
    assert!(
        audit_actions(&app)
            .await
            .contains(&"password_changed".to_owned())
    );
}

/// Guessing the current password through the form counts like failed
/// sign-ins: after the limit the form is throttled, even with the right one.
#[tokio::test]
async fn guessing_the_current_password_is_throttled_like_sign_in() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, ANNA, "en").await;
    let mut last = String::new();
    for _ in 0..6 {
        let res = post(
            &app,
            &anna,
            "/account/settings/password",
            &[
                ("current_password", "guess"),
                ("new_password", "Kaffeetasse Mondlicht Schraube"),
                ("repeat_password", "Kaffeetasse Mondlicht Schraube"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        last = res.text().await.unwrap();
    }
    assert!(
        last.contains("Zu viele fehlgeschlagene Anmeldungen"),
        "{last}"
    );
    let res = post(
        &app,
        &anna,
        "/account/settings/password",
        &[
            ("current_password", "kontor-demo"),
            ("new_password", "Kaffeetasse Mondlicht Schraube"),
            ("repeat_password", "Kaffeetasse Mondlicht Schraube"),
        ],
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "still throttled"
    );
}

#[tokio::test]
async fn a_person_sees_where_they_are_signed_in_and_signs_out_the_others() {
    let app = TestApp::spawn_with(|c| c.session_idle_minutes = 45).await;
    let firefox =
        browser_as("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");
    let iphone = browser_as(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    );
    for c in [&firefox, &iphone] {
        let res = crate::portal::signin_from_zone(&app, c, ANNA, "Europe/Berlin").await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    app.advance(Duration::minutes(5));
    let (_, settings) = page(&app, &firefox, "/account/settings").await;
    assert!(settings.contains("Firefox · Linux"), "{settings}");
    assert!(
        settings.contains("Sitzungen enden nach 45 Minuten ohne Aktivität"),
        "the configured idle time"
    );
    assert!(settings.contains("Safari · iPhone"), "{settings}");
    assert_eq!(settings.matches("Diese Sitzung").count(), 1, "{settings}");
    assert!(
        settings.contains("Die andere Sitzung abmelden"),
        "{settings}"
    );

    let res = post(&app, &firefox, "/account/settings/sessions", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let (_, done) = page(&app, &firefox, &to).await;
    assert!(
        done.contains("Eine andere Sitzung wurde abgemeldet."),
        "{done}"
    );
    assert!(!done.contains("Safari · iPhone"), "{done}");
    assert_eq!(
        page(&app, &iphone, "/agreements").await.0,
        StatusCode::SEE_OTHER,
        "the iPhone is signed out"
    );
    assert_eq!(page(&app, &firefox, "/agreements").await.0, StatusCode::OK);
    assert!(
        audit_actions(&app)
            .await
            .contains(&"sessions_ended".to_owned())
    );
}

/// The same settings over the API: profile by PATCH, password with the
/// current one, portal sessions listed and ended.
#[tokio::test]
async fn the_api_changes_the_same_settings() {
    let app = TestApp::spawn().await;
    let v = json_with(
        app.patch(
            DORA,
            "/api/v1/me",
            &serde_json::json!({"time_zone": "Asia/Tokyo"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v["time_zone"], "Asia/Tokyo");
    assert_eq!(v["name"], "Dora Admin", "fields left out stay");
    let bad = json_with(
        app.patch(
            DORA,
            "/api/v1/me",
            &serde_json::json!({"time_zone": "Mars/Olympus", "lang": "fr"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&bad), ["lang", "time_zone"]);
    let me = json_with(app.get(DORA, "/api/v1/me").await, StatusCode::OK).await;
    assert_eq!(
        me["time_zone"], "Asia/Tokyo",
        "nothing of the bad patch was saved"
    );

    // A portal session to see and end.
    let portal = browser(&app, DORA, "en").await;
    let sessions = json_with(app.get(DORA, "/api/v1/me/sessions").await, StatusCode::OK).await;
    assert_eq!(sessions["items"].as_array().unwrap().len(), 1, "{sessions}");

    let wrong = json_with(
        app.post(
            DORA,
            "/api/v1/me/password",
            &serde_json::json!({"current_password": "nope", "new_password": "Kaffeetasse Mondlicht Schraube"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&wrong), ["current_password"]);
    let weak = json_with(
        app.post(
            DORA,
            "/api/v1/me/password",
            &serde_json::json!({"current_password": "kontor-demo", "new_password": "password123"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&weak), ["new_password"]);
    let res = app
        .post(
            DORA,
            "/api/v1/me/password",
            &serde_json::json!({"current_password": "kontor-demo", "new_password": "Kaffeetasse Mondlicht Schraube"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    // The portal session ended with the old password; the API token stays.
    assert_eq!(
        page(&app, &portal, "/agreements").await.0,
        StatusCode::SEE_OTHER
    );
    let ended = json_with(
        app.client
            .delete(format!("{}/api/v1/me/sessions", app.base))
            .bearer_auth(app.token(DORA).await)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(ended["sessions_ended"], 0, "none left");
}

/// Personal API tokens from the settings page: a name and an expiry, the
/// secret shown once, working until it expires (30 vs 31 days) or is
/// revoked after a question.
#[tokio::test]
async fn tokens_are_issued_with_an_expiry_shown_once_and_revoked_after_a_question() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, ANNA, "en").await;
    let res = post(
        &app,
        &anna,
        "/account/settings/tokens",
        &[("label", "ERP export"), ("valid_days", "30")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, settings) = page(&app, &anna, "/account/settings").await;
    let secret = settings
        .split(r#"<code id="new-token">"#)
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the new token is shown")
        .to_owned();
    assert!(secret.starts_with("kontor_pat_"), "{secret}");
    assert!(settings.contains("Bis 25. Dezember 2026"), "{settings}");
    let (_, again) = page(&app, &anna, "/account/settings").await;
    assert!(!again.contains(&secret), "shown once");

    let with = |token: String| {
        let app = &app;
        async move {
            app.client
                .get(format!("{}/api/v1/me", app.base))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(with(secret.clone()).await, StatusCode::OK);
    // 30 days later it still works; a day after, it is refused.
    app.advance(Duration::days(30) - Duration::minutes(1));
    assert_eq!(with(secret.clone()).await, StatusCode::OK);
    app.advance(Duration::days(1));
    tokio::time::sleep(std::time::Duration::from_secs(6)).await; // past the token cache
    assert_eq!(with(secret.clone()).await, StatusCode::UNAUTHORIZED);

    // A token without expiry, revoked: the question first, then the answer.
    let anna = browser(&app, ANNA, "en").await;
    post(
        &app,
        &anna,
        "/account/settings/tokens",
        &[("label", "CI"), ("valid_days", "")],
    )
    .await;
    let (_, settings) = page(&app, &anna, "/account/settings").await;
    let secret = settings
        .split(r#"<code id="new-token">"#)
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_owned();
    assert!(settings.contains("Bis zum Widerruf"), "{settings}");
    assert!(
        settings.contains("Abgelaufen am"),
        "the first one shows as expired"
    );
    let revoke = settings
        .split(r#"href="/account/settings/tokens/"#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    let question_path = format!("/account/settings/tokens/{revoke}");
    let (status, question) = page(&app, &anna, &question_path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(question.contains("Token „CI“ widerrufen?"), "{question}");
    assert_eq!(
        with(secret.clone()).await,
        StatusCode::OK,
        "asking revoked nothing"
    );
    let token = hidden(&question, "csrf");
    let res = anna
        .post(format!("{}{question_path}", app.base))
        .header("origin", &app.base)
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(with(secret).await, StatusCode::UNAUTHORIZED);

    // The API names the expiry's limits.
    for days in [0, 367] {
        let bad = json_with(
            app.post(
                ANNA,
                "/api/v1/tokens",
                &serde_json::json!({"label": "x", "expires_in_days": days}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&bad), ["expires_in_days"], "{days}");
    }
    let ok = json_with(
        app.post(
            ANNA,
            "/api/v1/tokens",
            &serde_json::json!({"label": "x", "expires_in_days": 366}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert!(ok["expires_at"].as_str().is_some(), "{ok}");
}

/// #19 (3): a person who has not accepted their invitation shows as
/// pending, and the primary admin can send a new link; the earlier one
/// stops working, the new one works once, and afterwards there is nothing
/// to resend.
#[tokio::test]
async fn a_pending_invitation_is_sent_again_and_only_the_new_link_works() {
    use crate::portal::{invite, shown_once};
    let app = TestApp::spawn().await;
    let anna = browser(&app, ANNA, "de").await;
    let (_, people) = page(&app, &anna, "/account/people").await;
    let token = hidden(&people, "csrf");
    let res = invite(
        &app,
        &anna,
        &token,
        ("gus@muster.example", "Gus Gast", "user"),
    )
    .await;
    let first = shown_once(&app, &anna, res, "invite-link").await;
    let (_, people) = page(&app, &anna, "/account/people").await;
    assert_eq!(
        people.matches("Einladung ausstehend").count(),
        1,
        "{people}"
    );
    assert!(people.contains("Einladung erneut senden"));

    let resend = |email: &'static str| {
        let (app, anna, token) = (&app, &anna, token.clone());
        async move {
            anna.post(format!("{}/account/people/resend", app.base))
                .header("origin", &app.base)
                .form(&[("email", email), ("csrf", token.as_str())])
                .send()
                .await
                .unwrap()
        }
    };
    let second = shown_once(
        &app,
        &anna,
        resend("gus@muster.example").await,
        "invite-link",
    )
    .await;
    assert_ne!(first, second);
    let path = |link: &str| format!("/invite/{}", link.rsplit('/').next().unwrap());
    let visitor = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    assert_eq!(
        page(&app, &visitor, &path(&first)).await.0,
        StatusCode::NOT_FOUND,
        "retired"
    );
    let (status, form) = page(&app, &visitor, &path(&second)).await;
    assert_eq!(status, StatusCode::OK);
    let csrf = hidden(&form, "csrf");
    let res = visitor
        .post(format!("{}{}", app.base, path(&second)))
        .header("origin", &app.base)
        .form(&[
            ("password", "Kaffeetasse Mondlicht Schraube"),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "accepted");

    let (_, people) = page(&app, &anna, "/account/people").await;
    assert!(!people.contains("Einladung ausstehend"), "{people}");
    let res = resend("gus@muster.example").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("hat keine offene Einladung")
    );
    assert!(
        audit_actions(&app)
            .await
            .contains(&"invitation_resent".to_owned())
    );
}
