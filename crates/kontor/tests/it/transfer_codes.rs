//! #22 point 2: consent per program, and transfer codes. The operator
//! chooses per program how the new partner consents (none, acceptance,
//! transfer code); under the code model an admin's direct submit is
//! refused (R4 `transfer_code_required`) and the admin creates a code the
//! new partner redeems instead. A code is valid until its last minute and
//! not at its expiry, single use (of two concurrent redemptions exactly one
//! wins), revocable, and wrong codes are throttled per partner and per
//! address. The requests a code makes are the creator's (the worker's R8
//! re-check applies them) and every step is audited.

use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;

use crate::helpers::*;

const ANNA: &str = "anna@muster.example";
const CARLA: &str = "carla@muster.example";
const DORA: &str = "dora@example-ltd.example";
const PAUL: &str = "paul@cad-partner.example"; // current partner 5100000001
const BEN: &str = "ben@bim-solutions.example"; // new partner 5100000002
const SAM: &str = "sam@vendor.example";
const OLGA: &str = "olga@vendor.example";

async fn set_consent(app: &TestApp, program: &str, body: Value) -> Value {
    json_with(
        app.put(OLGA, &format!("/api/v1/programs/{program}/consent"), &body)
            .await,
        StatusCode::OK,
    )
    .await
}

/// The standard program takes its consent by transfer code, valid 48 h.
async fn code_model(app: &TestApp) {
    let set = set_consent(
        app,
        "standard",
        json!({ "model": "transfer_code", "code_valid_hours": 48 }),
    )
    .await;
    assert_eq!(set["model"], "transfer_code");
    assert_eq!(set["code_valid_hours"], 48);
}

async fn create(app: &TestApp, who: &str, agreements: &[&str]) -> reqwest::Response {
    app.post(
        who,
        "/api/v1/transfer-codes",
        &json!({ "agreements": agreements }),
    )
    .await
}

/// Anna's new code for `agreements`: (the code, its id).
async fn new_code(app: &TestApp, agreements: &[&str]) -> (String, String) {
    let made = json_with(create(app, ANNA, agreements).await, StatusCode::CREATED).await;
    (
        made["code"].as_str().unwrap().to_owned(),
        made["transfer_code"]["id"].as_str().unwrap().to_owned(),
    )
}

async fn redeem(app: &TestApp, who: &str, code: &str) -> reqwest::Response {
    app.post(
        who,
        "/api/v1/transfer-codes/redeem",
        &json!({ "code": code }),
    )
    .await
}

/// Each field error as (field, message): the messages are in the
/// caller's language.
fn field_codes(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or_default().to_owned(),
                        e["message"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Ben's answer to a code that cannot be redeemed (German, his language).
const INVALID: &str = "Dieser Übertragungscode ist nicht gültig: Er ist vielleicht vertippt, schon benutzt, widerrufen oder abgelaufen. Bitten Sie den Kunden um einen neuen.";

#[tokio::test]
async fn under_the_code_model_the_new_partner_redeems_the_admins_code_and_the_worker_applies_it() {
    let app = TestApp::spawn().await;
    code_model(&app).await;

    // R4: a direct submit is refused, with the reason the admin reads.
    let refused = json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(reason_codes(&refused), ["transfer_code_required"]);
    let e = json_with(
        app.get(
            ANNA,
            "/api/v1/agreements/110000000001/partner-change/eligibility",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(e["eligible"], false);
    assert_eq!(reason_codes(&e), ["transfer_code_required"]);

    // An agreement that cannot change for another reason gets no code.
    let problem = json_with(
        create(&app, ANNA, &["110000000001", "110000000002"]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        field_codes(&problem),
        [(
            "agreements[1]".to_owned(),
            "Für Vertrag 110000000002 ist jetzt kein Partnerwechsel möglich; die Vertragsseite nennt die Gründe.".to_owned()
        )]
    );

    let made = json_with(
        create(
            &app,
            ANNA,
            &["110000000001", "110000000008", "110000000001"],
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let code = made["code"].as_str().unwrap().to_owned();
    let record = &made["transfer_code"];
    assert_eq!(code.len(), 24, "{code}");
    assert_eq!(code.matches('-').count(), 4);
    assert_eq!(record["status"], "active");
    assert_eq!(record["hint"], code[20..]);
    assert_eq!(
        record["agreements"],
        json!(["110000000001", "110000000008"])
    );
    assert_eq!(record["expires_at"], "2026-11-27T09:00:00Z");
    // Never shown again.
    let id = record["id"].as_str().unwrap();
    let seen = json_with(
        app.get(ANNA, &format!("/api/v1/transfer-codes/{id}")).await,
        StatusCode::OK,
    )
    .await;
    assert!(!seen.to_string().contains(&code[..9]), "{seen}");

    // The partner redeems it, typed loosely.
    app.advance(Duration::minutes(5));
    let typed = format!(" {} ", code.to_lowercase().replace('-', " "));
    let done = json_with(redeem(&app, BEN, &typed).await, StatusCode::OK).await;
    assert_eq!(done["transfer_code"]["status"], "redeemed");
    assert_eq!(done["transfer_code"]["redeemed_partner"], "5100000002");
    let results = done["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for (r, number) in results.iter().zip(["110000000001", "110000000008"]) {
        assert_eq!(r["agreement"], number);
        assert_eq!(r["status"], 202, "{r}");
        assert_eq!(r["request"]["status"], "pending");
        assert_eq!(r["request"]["new_partner"], "5100000002");
    }
    // The request is Anna's (T3): she sees and may withdraw it.
    let first = results[0]["request"]["id"].as_str().unwrap();
    let seen = json_with(
        app.get(ANNA, &format!("/api/v1/partner-changes/{first}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen["status"], "pending");

    // Single use.
    let again = json_with(
        redeem(&app, BEN, &code).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        field_codes(&again),
        [("code".to_owned(), INVALID.to_owned())]
    );

    // The worker applies both at the end of the processing delay (R8).
    app.advance(Duration::minutes(61));
    let report = app.run_worker().await;
    assert_eq!(report.applied, 2, "{report:?}");
    let a = json_with(
        app.get(BEN, "/api/v1/agreements/110000000008").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(a["partners"], json!(["5100000002"]), "{a}");

    // Every step audited, once per agreement.
    let actions = audit_actions(&app).await;
    let count = |a: &str| actions.iter().filter(|x| *x == a).count();
    assert_eq!(count("transfer_code_created"), 2);
    assert_eq!(count("transfer_code_redeemed"), 2);
    assert_eq!(count("change_requested"), 2);
    assert_eq!(count("change_applied"), 2);
    assert_eq!(count("policy_changed"), 1);
}

#[tokio::test]
async fn a_code_is_redeemed_in_its_last_minute_refused_at_its_expiry_and_a_revoked_one_at_once() {
    let app = TestApp::spawn().await;
    code_model(&app).await;
    let (last_minute, _) = new_code(&app, &["110000000001"]).await;
    let (code, _) = new_code(&app, &["110000000001"]).await;
    app.advance(Duration::hours(48) - Duration::minutes(1));
    let done = json_with(redeem(&app, BEN, &last_minute).await, StatusCode::OK).await;
    let id = done["results"][0]["request"]["id"].as_str().unwrap();
    assert_eq!(
        app.post(
            ANNA,
            &format!("/api/v1/partner-changes/{id}/withdraw"),
            &json!({})
        )
        .await
        .status(),
        StatusCode::OK
    );
    // At its expiry and a minute later: refused.
    app.advance(Duration::minutes(1));
    for _ in 0..2 {
        let problem = json_with(
            redeem(&app, BEN, &code).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(
            field_codes(&problem),
            [("code".to_owned(), INVALID.to_owned())]
        );
        app.advance(Duration::minutes(1));
    }
    let listed = json_with(
        app.get(ANNA, "/api/v1/transfer-codes").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed["items"][0]["status"], "expired");
    assert_eq!(listed["items"][1]["status"], "redeemed");

    // Revoked: refused, and it cannot be revoked twice.
    let (code, id) = new_code(&app, &["110000000001"]).await;
    let revoked = json_with(
        app.post(
            ANNA,
            &format!("/api/v1/transfer-codes/{id}/revoke"),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(revoked["status"], "revoked");
    let again = json_with(
        app.post(
            ANNA,
            &format!("/api/v1/transfer-codes/{id}/revoke"),
            &json!({}),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(again["type"], "urn:kontor:problem:transfer_code_spent");
    assert_eq!(
        redeem(&app, BEN, &code).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let actions = audit_actions(&app).await;
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "transfer_code_revoked")
            .count(),
        1
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "transfer_code_redeemed")
            .count(),
        1
    );
}

#[tokio::test]
async fn two_redemptions_at_once_exactly_one_wins() {
    let app = TestApp::spawn().await;
    code_model(&app).await;
    for round in 0..8 {
        let (code, _) = new_code(&app, &["110000000001"]).await;
        let (a, b) = tokio::join!(redeem(&app, BEN, &code), redeem(&app, BEN, &code));
        let mut statuses = [a.status(), b.status()];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY],
            "round {round}"
        );
        let open = json_with(
            app.get(
                ANNA,
                "/api/v1/partner-changes?agreement=110000000001&status=pending",
            )
            .await,
            StatusCode::OK,
        )
        .await;
        let open = open["items"].as_array().unwrap();
        assert_eq!(open.len(), 1, "round {round}: one request (R7)");
        // Withdrawn, so that the next round starts afresh (R9).
        let id = open[0]["id"].as_str().unwrap();
        assert_eq!(
            app.post(
                ANNA,
                &format!("/api/v1/partner-changes/{id}/withdraw"),
                &json!({})
            )
            .await
            .status(),
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn each_agreement_is_judged_on_its_own_and_a_code_with_none_left_is_not_spent() {
    let app = TestApp::spawn().await;
    code_model(&app).await;
    let (code, _) = new_code(&app, &["110000000001", "110000000008"]).await;
    // Meanwhile the program goes back to the default and Anna changes one
    // agreement directly.
    assert_eq!(
        app.client
            .delete(format!("{}/api/v1/programs/standard/consent", app.base))
            .bearer_auth(app.token(OLGA).await)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    // The current partner cannot take over what it has (R5), and nothing
    // is spent when nothing can be requested.
    let mine = json_with(redeem(&app, PAUL, &code).await, StatusCode::OK).await;
    assert_eq!(mine["transfer_code"]["status"], "active");
    let statuses: Vec<&Value> = mine["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["status"])
        .collect();
    assert_eq!(statuses, [&json!(409), &json!(422)], "{mine}");

    let done = json_with(redeem(&app, BEN, &code).await, StatusCode::OK).await;
    assert_eq!(done["transfer_code"]["status"], "redeemed");
    let results = done["results"].as_array().unwrap();
    assert_eq!(results[0]["status"], 409, "R7: {}", results[0]);
    assert_eq!(
        results[0]["error"]["type"],
        "urn:kontor:problem:change_pending"
    );
    assert_eq!(results[1]["status"], 202);
}

#[tokio::test]
async fn wrong_codes_are_throttled_per_partner_and_per_address() {
    let app = TestApp::spawn_with(|c| {
        c.signin_failures_per_address = 7;
        c.client_ip_header = Some("x-forwarded-for".into());
    })
    .await;
    code_model(&app).await;
    let (code, _) = new_code(&app, &["110000000001"]).await;
    let from = |who: &'static str, address: &'static str, code: String| {
        let app = &app;
        async move {
            app.client
                .post(format!("{}/api/v1/transfer-codes/redeem", app.base))
                .bearer_auth(app.token(who).await)
                .header("x-forwarded-for", address)
                .json(&json!({ "code": code }))
                .send()
                .await
                .unwrap()
        }
    };
    let wrong = "AAAA-BBBB-CCCC-DDDD-EEEE".to_owned();
    let audited = audit_actions(&app).await.len();
    for _ in 0..5 {
        assert_eq!(
            from(BEN, "10.0.0.1", wrong.clone()).await.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    // The partner's sixth try is refused before the code is looked at,
    // even the right code, from any address.
    let res = from(BEN, "10.0.0.2", code.clone()).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.headers()["retry-after"], "900");
    let problem: Value = res.json().await.unwrap();
    assert_eq!(problem["type"], "urn:kontor:problem:too_many_failed_codes");
    // Another partner behind the first address: two more failures reach
    // the address's limit of 7.
    for status in [
        StatusCode::UNPROCESSABLE_ENTITY,
        StatusCode::UNPROCESSABLE_ENTITY,
        StatusCode::TOO_MANY_REQUESTS,
    ] {
        assert_eq!(from(PAUL, "10.0.0.1", wrong.clone()).await.status(), status);
    }
    // Wrong and refused attempts are throttled, not audited (T2: an
    // entry naming no agreement would clear every instance's cache).
    assert_eq!(audit_actions(&app).await.len(), audited);
    // After the window, the right code works and forgets the failures.
    app.advance(Duration::minutes(16));
    assert_eq!(from(BEN, "10.0.0.2", code).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn each_program_follows_its_own_model_and_the_default_otherwise() {
    let app = TestApp::spawn().await;
    // Acceptance for the standard program: the new partner answers first.
    set_consent(
        &app,
        "standard",
        json!({ "model": "acceptance", "acceptance_days": 3 }),
    )
    .await;
    let r = json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(r["status"], "awaiting_partner");
    assert_eq!(r["answer_by"], "2026-11-28T09:00:00Z");
    // None: pending for the processing delay.
    set_consent(&app, "standard", json!({ "model": "none" })).await;
    let r = json_with(
        app.submit(ANNA, "110000000008", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(r["status"], "pending");
    assert_eq!(r["expected_completion"], "2026-11-25T10:00:00Z");

    let listed = json_with(app.get(SAM, "/api/v1/consent").await, StatusCode::OK).await;
    assert_eq!(listed["default"]["model"], "none");
    assert_eq!(listed["programs"][0]["program"], "standard");
    assert_eq!(listed["programs"][0]["model"], "none");
    assert_eq!(listed["programs"][0]["chosen"], true);

    // Only operators choose; bad input names the field and writes nothing.
    for who in [SAM, ANNA, BEN] {
        let res = app
            .put(
                who,
                "/api/v1/programs/standard/consent",
                &json!({ "model": "none" }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who}");
    }
    for (body, field) in [
        (json!({ "model": "maybe" }), "model"),
        (json!({ "model": "acceptance" }), "acceptance_days"),
        (
            json!({ "model": "acceptance", "acceptance_days": 91 }),
            "acceptance_days",
        ),
        (
            json!({ "model": "transfer_code", "code_valid_hours": 0 }),
            "code_valid_hours",
        ),
        (
            json!({ "model": "transfer_code", "code_valid_hours": 721 }),
            "code_valid_hours",
        ),
    ] {
        let problem = json_with(
            app.put(OLGA, "/api/v1/programs/standard/consent", &body)
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&problem), [field], "{body}");
    }
    let problem = json_with(
        app.put(
            OLGA,
            "/api/v1/programs/Not%20A%20Program/consent",
            &json!({ "model": "none" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["program"]);
    let listed = json_with(app.get(OLGA, "/api/v1/consent").await, StatusCode::OK).await;
    assert_eq!(listed["programs"][0]["model"], "none", "nothing written");
}

#[tokio::test]
async fn codes_are_their_accounts_and_only_admins_create_them() {
    let app = TestApp::spawn().await;
    code_model(&app).await;
    let (_, id) = new_code(&app, &["110000000001"]).await;
    for who in [CARLA, BEN, SAM] {
        assert_eq!(
            create(&app, who, &["110000000001"]).await.status(),
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    // Another account's agreement is unknown (R1).
    let problem = json_with(
        create(&app, DORA, &["110000000001"]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        field_codes(&problem),
        [(
            "agreements[0]".to_owned(),
            "no agreement 110000000001 in this account".to_owned()
        )]
    );
    // Another account's and an unredeemed code are not found.
    for who in [DORA, BEN, PAUL] {
        assert_eq!(
            app.get(who, &format!("/api/v1/transfer-codes/{id}"))
                .await
                .status(),
            StatusCode::NOT_FOUND,
            "{who}"
        );
    }
    assert_eq!(
        app.post(
            DORA,
            &format!("/api/v1/transfer-codes/{id}/revoke"),
            &json!({})
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(SAM, &format!("/api/v1/transfer-codes/{id}"))
            .await
            .status(),
        StatusCode::OK
    );
    // Customers do not redeem.
    assert_eq!(
        redeem(&app, ANNA, "AAAA-BBBB-CCCC-DDDD-EEEE")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    for bad in [json!({ "agreements": [] }), json!({ "agreements": ["12"] })] {
        let res = app.post(ANNA, "/api/v1/transfer-codes", &bad).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let listed = json_with(
        app.get(DORA, "/api/v1/transfer-codes").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed["items"], json!([]));
}

/// The three pages as a browser without JavaScript uses them: the operator
/// chooses the code model in the back office, the admin follows the
/// agreement's reason to the codes page and sees the code once (a reload
/// shows it no more), the partner redeems it and reads what started.
#[tokio::test]
async fn the_portal_walks_from_the_back_office_to_the_redeemed_code() {
    use crate::portal::{browser, hidden, page};
    let app = TestApp::spawn().await;
    let olga = browser(&app, OLGA, "en").await;
    let (status, html) = page(&app, &olga, "/back-office/consent").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Programs without a choice of their own: none"),
        "{html}"
    );
    let token = hidden(&html, "csrf");
    // A wrong period comes back with what was expected; nothing is saved.
    let res = olga
        .post(format!("{}/back-office/consent", app.base))
        .form(&[
            ("program", "standard"),
            ("model", "transfer_code"),
            ("code_valid_hours", "0"),
            ("csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("expected a whole number from 1 to 720"),
        "{html}"
    );
    let res = olga
        .post(format!("{}/back-office/consent", app.base))
        .form(&[
            ("program", "standard"),
            ("model", "transfer_code"),
            ("code_valid_hours", "48"),
            ("csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &olga, "/back-office/consent").await;
    assert!(html.contains("transfer code, valid for 48 hours"), "{html}");

    // The admin's agreement names the reason and the way on.
    let anna = browser(&app, ANNA, "de").await;
    let (_, html) = page(&app, &anna, "/agreements/110000000001").await;
    assert!(html.contains("Übertragungscode"), "{html}");
    assert!(
        html.contains("/account/transfer-codes?agreement=110000000001"),
        "{html}"
    );
    let (status, html) = page(
        &app,
        &anna,
        "/account/transfer-codes?agreement=110000000001",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("value=\"110000000001\" checked"), "{html}");
    assert!(html.contains("value=\"110000000008\">"), "{html}");
    assert!(
        !html.contains("value=\"110000000002\""),
        "an auto-renewing agreement is not offered"
    );
    let token = hidden(&html, "csrf");
    let res = anna
        .post(format!("{}/account/transfer-codes", app.base))
        .form(&[("agreement", "110000000001"), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "Post/Redirect/Get");
    let (_, html) = page(&app, &anna, "/account/transfer-codes").await;
    let start = html
        .find("id=\"new-code-value\" class=\"code-big\">")
        .expect("shown")
        + 37;
    let code = html[start..start + 24].to_owned();
    assert!(html.contains("Gültig"), "{html}");
    let (_, again) = page(&app, &anna, "/account/transfer-codes").await;
    assert!(
        !again.contains(&code),
        "shown once: a reload shows it no more"
    );
    assert!(
        again.contains(&format!("…{}", &code[20..])),
        "the hint stays"
    );

    // The partner mistypes, then redeems.
    let ben = browser(&app, BEN, "de").await;
    let (status, html) = page(&app, &ben, "/changes/redeem").await;
    assert_eq!(status, StatusCode::OK);
    let token = hidden(&html, "csrf");
    let res = ben
        .post(format!("{}/changes/redeem", app.base))
        .form(&[("code", "AAAA-BBBB-CCCC-DDDD-EEEE"), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains(INVALID));
    let res = ben
        .post(format!("{}/changes/redeem", app.base))
        .form(&[("code", code.as_str()), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    let (status, html) = page(&app, &ben, &to).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("eingelöst"), "{html}");
    assert!(html.contains("110000000001"), "{html}");
    assert!(html.contains("In Bearbeitung"), "{html}");
    // Another partner does not see it (R1).
    let paul = browser(&app, PAUL, "de").await;
    assert_eq!(page(&app, &paul, &to).await.0, StatusCode::NOT_FOUND);
    let (_, html) = page(&app, &anna, "/account/transfer-codes").await;
    assert!(html.contains("Eingelöst"), "{html}");
    assert!(html.contains("von Partner 5100000002"), "{html}");
}
