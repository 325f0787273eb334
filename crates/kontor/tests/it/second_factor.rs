//! #21: two-step sign-in with an authenticator app — set-up with a first
//! code, the second sign-in step, codes used once and throttled, recovery
//! codes, the account's rule with its grace period, vendor staff, resets
//! by a colleague and by support after verification, re-authentication
//! before sensitive actions, and API tokens that do not go around it.

use kontor_core::domain::second_factor::TotpKey;
use reqwest::StatusCode;
use time::Duration;

use crate::helpers::*;
use crate::portal::{browser, hidden, page};

const ANNA: &str = "anna@muster.example";
const BERND: &str = "bernd@muster.example";
const CARLA: &str = "carla@muster.example";
const SAM: &str = "sam@vendor.example";
const OLGA: &str = "olga@vendor.example";

/// Sends a form from `from` (a page holding the session's token).
async fn form(
    app: &TestApp,
    c: &reqwest::Client,
    from: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let (_, html) = page(app, c, from).await;
    let token = hidden(&html, "csrf");
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("csrf", &token));
    c.post(format!("{}{action}", app.base))
        .header("origin", &app.base)
        .form(&all)
        .send()
        .await
        .unwrap()
}

/// The key the set-up page shows (grouped in fours).
fn shown_key(html: &str) -> TotpKey {
    let start = html.find("id=\"totp-key\"").expect("the key is shown");
    let text = &html[start..];
    let text = &text[text.find('>').unwrap() + 1..text.find("</code>").unwrap()];
    TotpKey::from_base32(&text.replace(' ', "")).expect("a base32 key")
}

/// The recovery codes a page shows.
fn shown_codes(html: &str) -> Vec<String> {
    html.split("<li><code>")
        .skip(1)
        .map(|s| s[..s.find("</code>").unwrap()].to_owned())
        .collect()
}

/// Sets up the app for the signed-in `c`; its key and recovery codes.
async fn set_up(app: &TestApp, c: &reqwest::Client) -> (TotpKey, Vec<String>) {
    let res = form(
        app,
        c,
        "/account/security",
        "/account/security/app/start",
        &[],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(app, c, "/account/security").await;
    let key = shown_key(&html);
    let code = key.code_at(app.clock_now());
    let res = form(
        app,
        c,
        "/account/security",
        "/account/security/app/confirm",
        &[("code", &code)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let codes = shown_codes(&html);
    assert_eq!(codes.len(), 10, "ten recovery codes, shown once");
    (key, codes)
}

/// Signs in with the password; the response (a redirect).
async fn password(app: &TestApp, c: &reqwest::Client, email: &str) -> reqwest::Response {
    let (_, html) = page(app, c, "/signin").await;
    let token = hidden(&html, "csrf");
    c.post(format!("{}/signin", app.base))
        .form(&[
            ("email", email),
            ("password", "kontor-demo"),
            ("csrf", token.as_str()),
            ("next", "/agreements"),
        ])
        .send()
        .await
        .unwrap()
}

/// The second step with `code`.
async fn second(app: &TestApp, c: &reqwest::Client, code: &str) -> reqwest::Response {
    let (status, html) = page(app, c, "/signin/code").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let token = hidden(&html, "csrf");
    c.post(format!("{}/signin/code", app.base))
        .form(&[("code", code), ("csrf", token.as_str())])
        .send()
        .await
        .unwrap()
}

async fn tokens(app: &TestApp) -> usize {
    json_with(app.get(ANNA, "/api/v1/tokens").await, StatusCode::OK).await["items"]
        .as_array()
        .unwrap()
        .len()
}

async fn mailed(app: &TestApp, kind: &str) -> Vec<String> {
    let mut to: Vec<String> = app
        .mails()
        .await
        .into_iter()
        .filter(|d| d.kind == kind)
        .filter_map(|d| d.recipient)
        .collect();
    to.sort();
    to
}

#[tokio::test]
async fn an_app_is_set_up_with_a_first_code_and_sign_in_then_asks_for_a_fresh_one() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, ANNA, "de").await;
    let res = form(
        &app,
        &anna,
        "/account/security",
        "/account/security/app/start",
        &[],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &anna, "/account/security").await;
    assert!(html.contains("<svg"), "the QR code is drawn by the server");
    assert!(!html.contains("data:image"), "inline, as the CSP allows");
    let key = shown_key(&html);

    // A wrong first code: nothing is set up.
    let wrong = key.code_at(app.clock_now() + Duration::minutes(5));
    let res = form(
        &app,
        &anna,
        "/account/security",
        "/account/security/app/confirm",
        &[("code", &wrong)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Dieser Code stimmt nicht")
    );
    assert!(
        !audit_actions(&app)
            .await
            .contains(&"second_factor_enabled".to_owned())
    );

    let code = key.code_at(app.clock_now());
    let res = form(
        &app,
        &anna,
        "/account/security",
        "/account/security/app/confirm",
        &[("code", &code)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let codes = shown_codes(&res.text().await.unwrap());
    assert_eq!(codes.len(), 10);
    assert!(
        audit_actions(&app)
            .await
            .contains(&"second_factor_enabled".to_owned())
    );
    assert_eq!(mailed(&app, "second_factor_notice").await, [ANNA]);
    // Shown once: the page no longer has them.
    let (_, html) = page(&app, &anna, "/account/security").await;
    assert!(shown_codes(&html).is_empty());
    assert!(
        html.contains("Noch 10 unbenutzte Wiederherstellungscodes"),
        "{html}"
    );

    // Sign-in now takes two steps; the password alone gives no session.
    let c = cookie_browser();
    let res = password(&app, &c, ANNA).await;
    assert_eq!(location(&res), "/signin/code");
    let (_, list) = page(&app, &c, "/agreements").await;
    assert!(!list.contains("110000000001"), "no session before the code");
    // The code used to set it up is spent (same 30-second step).
    let res = second(&app, &c, &code).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(
        res.text().await.unwrap().contains("schon verwendet"),
        "a spent code says so"
    );
    let res = second(&app, &c, "12345").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    app.advance(Duration::seconds(30));
    let next = key.code_at(app.clock_now());
    let res = second(&app, &c, &next).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/agreements");
    let (status, list) = page(&app, &c, "/agreements").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("110000000001"));
    // The same code once more, in another browser: refused.
    let other = cookie_browser();
    password(&app, &other, ANNA).await;
    assert_eq!(
        second(&app, &other, &next).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_second_step_accepts_the_previous_current_and_next_step_only() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, ANNA, "en").await;
    let (key, _) = set_up(&app, &anna).await;
    app.advance(Duration::minutes(5));
    let now = app.clock_now();
    for (offset, accepted) in [(-60, false), (90, false), (-30, true), (30, true)] {
        let c = cookie_browser();
        password(&app, &c, ANNA).await;
        let code = key.code_at(now + Duration::seconds(offset));
        let res = second(&app, &c, &code).await;
        assert_eq!(
            res.status() == StatusCode::SEE_OTHER,
            accepted,
            "code of {offset:+} s"
        );
        if accepted {
            // The next test case needs an unused later step.
            app.advance(Duration::seconds(60));
        }
    }
}

#[tokio::test]
async fn recovery_codes_sign_in_once_each_and_new_ones_replace_them() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, ANNA, "en").await;
    let (_, codes) = set_up(&app, &anna).await;
    let c = cookie_browser();
    password(&app, &c, ANNA).await;
    let typed = codes[0].to_uppercase().replace('-', " ");
    let res = second(&app, &c, &typed).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "typed any way");
    assert_eq!(location(&res), "/account/security?recovery_used=9");
    let (_, html) = page(&app, &c, &location(&res)).await;
    assert!(html.contains("Es sind noch 9 Codes übrig"), "{html}");
    assert!(
        audit_actions(&app)
            .await
            .contains(&"recovery_code_used".to_owned())
    );

    let again = cookie_browser();
    password(&app, &again, ANNA).await;
    assert_eq!(
        second(&app, &again, &codes[0]).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // New codes: the old unused ones stop working.
    let res = form(
        &app,
        &c,
        "/account/security",
        "/account/security/recovery-codes",
        &[],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let fresh = shown_codes(&html);
    assert_eq!(fresh.len(), 10);
    // The page's download holds exactly them.
    let token = hidden(&html, "csrf");
    let mut fields: Vec<(&str, &str)> = fresh.iter().map(|c| ("code", c.as_str())).collect();
    fields.push(("csrf", &token));
    let file = c
        .post(format!("{}/account/security/recovery-codes.txt", app.base))
        .header("origin", &app.base)
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert!(
        file.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let text = file.text().await.unwrap();
    assert!(fresh.iter().all(|code| text.contains(code.as_str())));

    let old = cookie_browser();
    password(&app, &old, ANNA).await;
    assert_eq!(
        second(&app, &old, &codes[1]).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        second(&app, &old, &fresh[1]).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn wrong_codes_are_throttled_like_passwords() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, ANNA, "en").await;
    let (key, _) = set_up(&app, &anna).await;
    app.advance(Duration::minutes(1));
    let c = cookie_browser();
    password(&app, &c, ANNA).await;
    for _ in 0..5 {
        assert_eq!(
            second(&app, &c, "000000").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // The right code is not even checked now.
    let res = second(&app, &c, &key.code_at(app.clock_now())).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn the_account_rule_gives_a_grace_period_then_only_the_set_up_page_opens() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, ANNA, "en").await;
    // Not before her own.
    let res = form(
        &app,
        &anna,
        "/account/security",
        "/account/security/rule",
        &[("rule", "admins"), ("grace_days", "3")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Richten Sie zuerst Ihren eigenen zweiten Faktor ein")
    );
    set_up(&app, &anna).await;
    let res = form(
        &app,
        &anna,
        "/account/security",
        "/account/security/rule",
        &[("rule", "admins"), ("grace_days", "91")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "0–90 days");
    let res = form(
        &app,
        &anna,
        "/account/security",
        "/account/security/rule",
        &[("rule", "admins"), ("grace_days", "3")],
    )
    .await;
    assert_eq!(location(&res), "/account/security?done=rule");
    assert!(
        audit_actions(&app)
            .await
            .contains(&"second_factor_rule_changed".to_owned())
    );

    // Bernd (an admin) is reminded on every page; Carla (a user) is not covered.
    let bernd = browser(&app, BERND, "en").await;
    let (status, list) = page(&app, &bernd, "/agreements").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Ihr Konto verlangt die zweistufige Anmeldung: Richten Sie sie bis"));
    let carla = browser(&app, CARLA, "en").await;
    assert!(
        !page(&app, &carla, "/agreements")
            .await
            .1
            .contains("verlangt die zweistufige")
    );

    // At the period's last second he may still work; at its end not.
    app.advance(Duration::days(3) - Duration::seconds(1));
    let bernd = browser(&app, BERND, "en").await;
    assert_eq!(page(&app, &bernd, "/agreements").await.0, StatusCode::OK);
    app.advance(Duration::seconds(1));
    let bernd = browser(&app, BERND, "en").await;
    let res = bernd
        .get(format!("{}/agreements", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/account/security?required=1");
    let (status, html) = page(&app, &bernd, "/account/security?required=1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("die einzige Seite, die Sie öffnen können"));
    // Nor may he get an API token with his password.
    let res = app
        .client
        .post(format!("{}/api/v1/tokens", app.base))
        .json(&serde_json::json!({ "email": BERND, "password": "kontor-demo" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Once set up, everything opens again.
    set_up(&app, &bernd).await;
    assert_eq!(page(&app, &bernd, "/agreements").await.0, StatusCode::OK);
    // A required second factor cannot simply be removed.
    let res = form(
        &app,
        &bernd,
        "/account/security",
        "/account/security/app/remove",
        &[],
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn vendor_staff_always_need_one_after_their_own_period() {
    let app = TestApp::spawn().await;
    let olga = browser(&app, OLGA, "en").await;
    assert!(
        page(&app, &olga, "/back-office/partners")
            .await
            .1
            .contains("requires two-step sign-in")
    );
    app.advance(Duration::days(7));
    let olga = browser(&app, OLGA, "en").await;
    let res = olga
        .get(format!("{}/back-office/partners", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/account/security?required=1");
}

#[tokio::test]
async fn an_admin_resets_a_colleagues_lost_phone_audited_and_mailed() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, ANNA, "en").await;
    set_up(&app, &anna).await;
    let bernd = browser(&app, BERND, "en").await;
    let (_, html) = page(&app, &bernd, "/account/security").await;
    assert!(html.contains("Zweiten Faktor von Anna Admin zurücksetzen"));
    // Carla (not an admin) may not.
    let carla = browser(&app, CARLA, "en").await;
    let res = form(
        &app,
        &carla,
        "/account/security",
        "/account/security/reset",
        &[("email", ANNA)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let res = form(
        &app,
        &bernd,
        "/account/security",
        "/account/security/reset",
        &[("email", ANNA)],
    )
    .await;
    assert_eq!(location(&res), "/account/security?done=reset");
    assert!(
        audit_actions(&app)
            .await
            .contains(&"second_factor_reset".to_owned())
    );
    let mut told = mailed(&app, "second_factor_notice").await;
    told.dedup();
    assert_eq!(told, [ANNA, BERND], "the person and every admin");
    // Anna signs in with her password alone (nothing requires one of her
    // account) and sees that two-step sign-in is off.
    let c = cookie_browser();
    let res = password(&app, &c, ANNA).await;
    assert_eq!(location(&res), "/agreements");
    let (_, html) = page(&app, &c, "/account/security").await;
    assert!(html.contains("Die zweistufige Anmeldung ist ausgeschaltet"));

    // Where the account requires it, the reset person sets up a new one
    // at the next sign-in, without a grace period.
    let anna = browser(&app, ANNA, "en").await;
    set_up(&app, &anna).await;
    let res = form(
        &app,
        &anna,
        "/account/security",
        "/account/security/rule",
        &[("rule", "everyone"), ("grace_days", "30")],
    )
    .await;
    assert_eq!(location(&res), "/account/security?done=rule");
    let bernd = browser(&app, BERND, "en").await;
    form(
        &app,
        &bernd,
        "/account/security",
        "/account/security/reset",
        &[("email", ANNA)],
    )
    .await;
    let c = cookie_browser();
    password(&app, &c, ANNA).await;
    let res = c
        .get(format!("{}/agreements", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/account/security?required=1");
}

#[tokio::test]
async fn support_resets_a_lone_admin_only_after_a_recorded_verification() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, ANNA, "en").await;
    set_up(&app, &anna).await;
    let sam = browser(&app, SAM, "en").await;
    let reset = |note: &'static str| {
        let (app, sam) = (&app, &sam);
        async move {
            form(
                app,
                sam,
                "/back-office/second-factor-reset",
                "/back-office/second-factor-reset",
                &[("email", ANNA), ("method", "callback"), ("note", note)],
            )
            .await
        }
    };
    // Bernd, another admin, can do it: support refers to him.
    let res = reset("Called back on the number in the contract").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Bernd Zweitadmin"));

    // Anna removes Bernd's access: now she is the only admin.
    let res = form(
        &app,
        &anna,
        "/account/people",
        "/account/people/remove",
        &[("email", BERND)],
    )
    .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let res = reset("short").await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the verification is recorded in words"
    );
    let res = reset("Called back on the number in the contract").await;
    assert_eq!(
        location(&res),
        "/back-office/second-factor-reset?done=anna%40muster.example"
    );

    let audit = json_with(
        app.get(OLGA, "/api/v1/audit?limit=500").await,
        StatusCode::OK,
    )
    .await;
    let items = audit["items"].as_array().unwrap();
    let verified = items
        .iter()
        .find(|e| e["action"] == "identity_verified")
        .expect("the verification is recorded");
    assert_eq!(verified["after"]["method"], "callback");
    assert_eq!(
        verified["after"]["note"],
        "Called back on the number in the contract"
    );
    assert!(items.iter().any(|e| e["action"] == "second_factor_reset"));
    assert!(
        mailed(&app, "second_factor_notice")
            .await
            .contains(&ANNA.to_owned())
    );
    // A plain user may not use support's page.
    let carla = browser(&app, CARLA, "en").await;
    assert_eq!(
        page(&app, &carla, "/back-office/second-factor-reset")
            .await
            .0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn sensitive_actions_ask_again_after_the_window_and_then_run_as_sent() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, ANNA, "en").await;
    let before = tokens(&app).await;
    // Within the window (15 minutes, its last second included): no question.
    app.advance(Duration::minutes(15));
    let res = form(
        &app,
        &anna,
        "/account/settings",
        "/account/settings/tokens",
        &[("label", "first"), ("valid_days", "")],
    )
    .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(tokens(&app).await, before + 1);

    app.advance(Duration::seconds(1));
    let res = form(
        &app,
        &anna,
        "/account/settings",
        "/account/settings/tokens",
        &[("label", "second"), ("valid_days", "")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Bestätigen Sie, dass Sie es sind"), "{html}");
    assert!(
        html.contains("name=\"label\" value=\"second\""),
        "the form is kept"
    );
    assert_eq!(tokens(&app).await, before + 1, "nothing done yet");

    // A wrong password: asked again, still nothing done.
    let send = |password: &'static str| {
        let (app, anna, html) = (&app, &anna, html.clone());
        async move {
            anna.post(format!("{}/account/settings/tokens", app.base))
                .header("origin", &app.base)
                .form(&[
                    ("label", "second"),
                    ("valid_days", ""),
                    ("csrf", hidden(&html, "csrf").as_str()),
                    ("reauth_password", password),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        send("wrong-password").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(tokens(&app).await, before + 1);
    let res = send("kontor-demo").await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(tokens(&app).await, before + 2, "carried out as sent");
    // Fresh again: the next one needs no proof.
    let res = form(
        &app,
        &anna,
        "/account/settings",
        "/account/settings/tokens",
        &[("label", "third"), ("valid_days", "")],
    )
    .await;
    assert!(res.status().is_redirection());
}

#[tokio::test]
async fn api_tokens_by_password_need_the_code_of_a_person_with_two_step_sign_in() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, ANNA, "en").await;
    let (key, _) = set_up(&app, &anna).await;
    app.advance(Duration::seconds(30));
    let ask = |code: Option<String>| {
        let app = &app;
        async move {
            let mut body = serde_json::json!({ "email": ANNA, "password": "kontor-demo" });
            if let Some(code) = code {
                body["code"] = code.into();
            }
            app.client
                .post(format!("{}/api/v1/tokens", app.base))
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let res = ask(None).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&res.json().await.unwrap()), ["code"]);
    assert_eq!(
        ask(Some("000000".into())).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let res = ask(Some(key.code_at(app.clock_now()))).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn the_api_sets_up_the_app_renews_codes_sets_the_rule_and_resets() {
    let app = TestApp::spawn().await;
    let v = json_with(
        app.get(ANNA, "/api/v1/me/second-factor").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v["standing"], "optional");
    assert_eq!(v["app"], false);
    let started = json_with(
        app.post(ANNA, "/api/v1/me/second-factor/app", &serde_json::json!({}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let key = TotpKey::from_base32(started["secret"].as_str().unwrap()).unwrap();
    assert!(
        started["otpauth_url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/kontor:anna%40muster.example?")
    );
    let res = app
        .post(
            ANNA,
            "/api/v1/me/second-factor/app/confirm",
            &serde_json::json!({ "code": "000000" }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let codes = json_with(
        app.post(
            ANNA,
            "/api/v1/me/second-factor/app/confirm",
            &serde_json::json!({ "code": key.code_at(app.clock_now()) }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(codes["recovery_codes"].as_array().unwrap().len(), 10);
    let v = json_with(
        app.get(ANNA, "/api/v1/me/second-factor").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (v["standing"].as_str(), v["recovery_codes_left"].as_u64()),
        (Some("enrolled"), Some(10))
    );
    // Set up already: 409.
    assert_eq!(
        app.post(ANNA, "/api/v1/me/second-factor/app", &serde_json::json!({}))
            .await
            .status(),
        StatusCode::CONFLICT
    );
    let renewed = json_with(
        app.post(
            ANNA,
            "/api/v1/me/second-factor/recovery-codes",
            &serde_json::json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_ne!(renewed["recovery_codes"], codes["recovery_codes"]);

    // The rule: only the primary admin; the period in range.
    let rule = serde_json::json!({ "rule": "admins", "grace_days": 5 });
    assert_eq!(
        app.put(BERND, "/api/v1/account/two-factor-rule", &rule)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let saved = json_with(
        app.put(ANNA, "/api/v1/account/two-factor-rule", &rule)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(saved["rule"], "admins");
    let v = json_with(
        app.get(BERND, "/api/v1/me/second-factor").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v["standing"], "grace");
    assert!(v["set_up_by"].is_string());
    let bad = app
        .put(
            ANNA,
            "/api/v1/account/two-factor-rule",
            &serde_json::json!({ "rule": "admins", "grace_days": 91 }),
        )
        .await;
    assert_eq!(
        error_fields(&json_with(bad, StatusCode::UNPROCESSABLE_ENTITY).await),
        ["grace_days"]
    );
    // A required app cannot be removed.
    let res = app
        .client
        .delete(format!("{}/api/v1/me/second-factor/app", app.base))
        .bearer_auth(app.token(ANNA).await)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);

    // Resets: support needs a verification, and is referred to Bernd.
    let res = app
        .post(
            SAM,
            "/api/v1/second-factor-resets",
            &serde_json::json!({ "email": ANNA }),
        )
        .await;
    assert_eq!(
        error_fields(&json_with(res, StatusCode::UNPROCESSABLE_ENTITY).await),
        ["verification"]
    );
    let res = app
        .post(SAM, "/api/v1/second-factor-resets", &serde_json::json!({ "email": ANNA,
            "verification": { "method": "callback", "note": "Called back on the number on file" } }))
        .await;
    let p = json_with(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(p["errors"][0]["field"], "email");
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Bernd Zweitadmin"),
        "{p}"
    );
    let res = app
        .post(
            BERND,
            "/api/v1/second-factor-resets",
            &serde_json::json!({ "email": ANNA }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let v = json_with(
        app.get(ANNA, "/api/v1/me/second-factor").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        v["standing"], "due",
        "reset where required: a new one is due at once"
    );
    let res = app
        .post(
            BERND,
            "/api/v1/second-factor-resets",
            &serde_json::json!({ "email": ANNA }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "nothing left to reset");
}

#[tokio::test]
async fn the_last_operator_is_let_back_in_from_the_servers_shell() {
    let app = TestApp::spawn().await;
    let started = json_with(
        app.post(OLGA, "/api/v1/me/second-factor/app", &serde_json::json!({}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let key = TotpKey::from_base32(started["secret"].as_str().unwrap()).unwrap();
    let code = serde_json::json!({ "code": key.code_at(app.clock_now()) });
    json_with(
        app.post(OLGA, "/api/v1/me/second-factor/app/confirm", &code)
            .await,
        StatusCode::OK,
    )
    .await;

    let reset = |reason: &str| {
        let now = app
            .clock_now()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        app.kontor_command()
            .env("KONTOR_CLOCK", now)
            .args([
                "user",
                "reset-second-factor",
                "--email",
                OLGA,
                "--reason",
                reason,
            ])
            .output()
            .unwrap()
    };
    let out = reset("lost");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--reason"));
    let out = reset("Phone lost; verified in person by the CTO");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_with(
        app.get(OLGA, "/api/v1/me/second-factor").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v["app"], false);
    assert_eq!(
        v["standing"], "due",
        "vendor staff set up a new one at once"
    );
    let audit = json_with(
        app.get(SAM, "/api/v1/audit?action=second_factor_reset")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(audit["items"][0]["actor"], "cli");
    assert_eq!(
        audit["items"][0]["after"]["reason"],
        "Phone lost; verified in person by the CTO"
    );
    // Nothing left to reset.
    assert!(
        !reset("Phone lost; verified in person by the CTO")
            .status
            .success()
    );
}
