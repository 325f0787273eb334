//! #22 point 4, second half: a partner a pending change would replace
//! disputes it within the processing window — until the minute before it
//! is due, not at it — and the change is held: the worker passes over it
//! until support releases it (then it is applied, R8 checked again) or
//! upholds the dispute (then it is rejected with a note the customer
//! reads). Withdrawing a held change ends the dispute (R9). A dispute and
//! the worker racing for one request: exactly one wins, on both databases.

use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;

use crate::helpers::*;

const ANNA: &str = "anna@muster.example";
const DORA: &str = "dora@example-ltd.example";
const PAUL: &str = "paul@cad-partner.example"; // current partner 5100000001
const BEN: &str = "ben@bim-solutions.example"; // new partner 5100000002
const SAM: &str = "sam@vendor.example";

/// Anna asks to move `agreement` to BIM Solutions; due in 60 minutes.
async fn submit(app: &TestApp, agreement: &str) -> String {
    let r = json_with(
        app.submit(ANNA, agreement, "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(r["status"], "pending");
    r["id"].as_str().unwrap().to_owned()
}

async fn dispute(app: &TestApp, who: &str, request: &str, reason: &str) -> reqwest::Response {
    app.post(
        who,
        &format!("/api/v1/partner-changes/{request}/dispute"),
        &json!({ "reason": reason }),
    )
    .await
}

async fn request(app: &TestApp, who: &str, id: &str) -> Value {
    json_with(
        app.get(who, &format!("/api/v1/partner-changes/{id}")).await,
        StatusCode::OK,
    )
    .await
}

async fn decide(app: &TestApp, id: &str, what: &str, note: &str) -> reqwest::Response {
    app.post(
        SAM,
        &format!("/api/v1/disputes/{id}/{what}"),
        &json!({ "note": note }),
    )
    .await
}

#[tokio::test]
async fn the_replaced_partner_disputes_until_the_change_is_due_and_the_change_is_held() {
    let app = TestApp::spawn().await;
    let id = submit(&app, "110000000001").await;

    // Who may not: the customer, the new partner, support; nobody without
    // a reason.
    for who in [ANNA, BEN, SAM] {
        let res = dispute(&app, who, &id, "nein").await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(
        dispute(&app, DORA, &id, "nein").await.status(),
        StatusCode::NOT_FOUND,
        "another tenant does not see it (R1)"
    );
    let problem = json_with(
        dispute(&app, PAUL, &id, "   ").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["reason"]);
    let problem = json_with(
        dispute(&app, PAUL, &id, &"x".repeat(2001)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["reason"]);

    // The minute before it is due: held.
    app.advance(Duration::minutes(59));
    let filed = json_with(
        dispute(
            &app,
            PAUL,
            &id,
            "Der Kunde hat noch offene Projekte mit uns.",
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(filed["status"], "open");
    assert_eq!(filed["partner"], "5100000001");
    assert_eq!(filed["support_level"], "advanced");
    assert_eq!(filed["respond_by"], "2026-11-25T13:59:00Z");
    let again = json_with(
        dispute(&app, PAUL, &id, "noch einmal").await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(
        again["type"], "urn:kontor:problem:already_disputed",
        "{again}"
    );

    // The customer sees the hold but not the partner's reason; the
    // disputing partner and support see it.
    let seen = request(&app, ANNA, &id).await;
    assert_eq!(seen["status"], "pending");
    assert_eq!(seen["dispute"]["status"], "open");
    assert!(seen["dispute"]["reason"].is_null(), "{seen}");
    let seen = request(&app, BEN, &id).await;
    assert!(seen["dispute"]["reason"].is_null(), "{seen}");
    let seen = request(&app, PAUL, &id).await;
    assert_eq!(
        seen["dispute"]["reason"],
        "Der Kunde hat noch offene Projekte mit uns."
    );

    // Due and past: the worker passes over it.
    app.advance(Duration::hours(2));
    assert_eq!(app.run_worker().await.applied, 0);
    assert_eq!(request(&app, ANNA, &id).await["status"], "pending");
    let audit = audit_actions(&app).await;
    assert!(audit.contains(&"change_disputed".to_owned()), "{audit:?}");

    // Support's queue lists it; the disputing partner sees its own, the new
    // partner none; customers read no disputes.
    let queue = json_with(
        app.get(SAM, "/api/v1/disputes?open=true").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(queue["items"].as_array().unwrap().len(), 1);
    assert_eq!(queue["items"][0]["sla_state"], "on_track");
    let own = json_with(app.get(PAUL, "/api/v1/disputes").await, StatusCode::OK).await;
    assert_eq!(own["items"].as_array().unwrap().len(), 1);
    let none = json_with(app.get(BEN, "/api/v1/disputes").await, StatusCode::OK).await;
    assert!(none["items"].as_array().unwrap().is_empty());
    assert_eq!(
        app.get(ANNA, "/api/v1/disputes").await.status(),
        StatusCode::FORBIDDEN
    );
    let dispute_id = filed["id"].as_str().unwrap();
    assert_eq!(
        app.get(BEN, &format!("/api/v1/disputes/{dispute_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Released: the next round applies it.
    let released = json_with(
        decide(&app, dispute_id, "release", "").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(released["status"], "released");
    assert_eq!(released["sla_state"], "met");
    assert_eq!(
        decide(&app, dispute_id, "release", "").await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(app.run_worker().await.applied, 1);
    assert_eq!(request(&app, ANNA, &id).await["status"], "applied");
}

#[tokio::test]
async fn at_its_due_time_a_change_can_no_longer_be_disputed_even_before_the_worker_ran() {
    let app = TestApp::spawn().await;
    let id = submit(&app, "110000000001").await;
    app.advance(Duration::minutes(60));
    let closed = json_with(
        dispute(&app, PAUL, &id, "zu spät").await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(
        closed["type"], "urn:kontor:problem:dispute_window_closed",
        "{closed}"
    );
    assert_eq!(app.run_worker().await.applied, 1);
    let closed = json_with(
        dispute(&app, PAUL, &id, "zu spät").await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(closed["type"], "urn:kontor:problem:dispute_window_closed");
}

#[tokio::test]
async fn an_upheld_dispute_rejects_the_change_with_a_note_the_customer_reads() {
    let app = TestApp::spawn().await;
    let id = submit(&app, "110000000001").await;
    let filed = json_with(
        dispute(&app, PAUL, &id, "Vertrag wird gekündigt").await,
        StatusCode::CREATED,
    )
    .await;
    let dispute_id = filed["id"].as_str().unwrap();

    // Only support decides, and upholding needs a note.
    for who in [ANNA, PAUL, BEN] {
        let res = app
            .post(
                who,
                &format!("/api/v1/disputes/{dispute_id}/uphold"),
                &json!({ "note": "x" }),
            )
            .await;
        assert!(
            matches!(res.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{who}: {}",
            res.status()
        );
    }
    let problem = json_with(
        decide(&app, dispute_id, "uphold", " ").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["note"]);

    let note = "Der Vertrag endet zum Monatsende; ein Wechsel ist nicht sinnvoll.";
    let upheld = json_with(
        decide(&app, dispute_id, "uphold", note).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(upheld["status"], "upheld");
    let seen = request(&app, ANNA, &id).await;
    assert_eq!(seen["status"], "rejected");
    assert_eq!(seen["reasons"], json!(["dispute_upheld"]));
    assert_eq!(seen["dispute"]["decision_note"], note);
    let audit = audit_actions(&app).await;
    for action in ["change_disputed", "dispute_upheld", "change_rejected"] {
        assert!(audit.contains(&action.to_owned()), "{action}: {audit:?}");
    }
    // Nothing left to apply, and a new request for the agreement is possible.
    app.advance(Duration::hours(2));
    assert_eq!(app.run_worker().await.applied, 0);
    let again = app.submit(ANNA, "110000000001", "5100000002").await;
    assert_eq!(again.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn withdrawing_a_held_change_ends_its_dispute() {
    let app = TestApp::spawn().await;
    let id = submit(&app, "110000000001").await;
    let filed = json_with(
        dispute(&app, PAUL, &id, "bitte nicht").await,
        StatusCode::CREATED,
    )
    .await;
    let dispute_id = filed["id"].as_str().unwrap();
    let res = app
        .post(
            ANNA,
            &format!("/api/v1/partner-changes/{id}/withdraw"),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let d = json_with(
        app.get(SAM, &format!("/api/v1/disputes/{dispute_id}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["status"], "withdrawn");
    assert_eq!(
        decide(&app, dispute_id, "release", "").await.status(),
        StatusCode::CONFLICT
    );
}

/// A partner's dispute and a worker whose clock is already past the
/// change's due time race for the request: exactly one wins — the change
/// is either held (and not applied) or applied (and the dispute refused).
#[tokio::test]
async fn a_dispute_racing_the_worker_either_holds_the_change_or_finds_it_applied() {
    let app = TestApp::spawn().await;
    let rows: Vec<(String, String)> = (0..12)
        .map(|i| {
            (
                format!("1100000009{i:02}"),
                (START + Duration::days(400)).date().to_string(),
            )
        })
        .collect();
    let contracts: Vec<(String, &str)> =
        rows.iter().map(|(n, e)| (n.clone(), e.as_str())).collect();
    app.import_muster_contracts(&contracts).await;
    let planner = kontor_core::service::apply::Planner {
        policy: app.services.policy.clone(),
    };
    let (mut held, mut applied) = (0, 0);
    for (number, _) in &rows {
        let id = submit(&app, number).await;
        // The partner disputes a second before it is due; a worker on a
        // clock running ahead applies at the same moment.
        app.advance(Duration::minutes(60) - Duration::seconds(1));
        let worker_now = app.clock_now() + Duration::seconds(2);
        let (filed, report) = tokio::join!(
            dispute(&app, PAUL, &id, "Wettlauf"),
            app.services.store.apply_due(worker_now, 100, &planner)
        );
        let report = report.unwrap().report;
        let status = request(&app, ANNA, &id).await["status"]
            .as_str()
            .unwrap()
            .to_owned();
        match filed.status() {
            StatusCode::CREATED => {
                assert_eq!(report.applied, 0, "{number}");
                assert_eq!(status, "pending", "{number}");
                held += 1;
            }
            StatusCode::CONFLICT => {
                assert_eq!(report.applied, 1, "{number}");
                assert_eq!(status, "applied", "{number}");
                applied += 1;
            }
            other => panic!("{number}: {other}"),
        }
        app.advance(Duration::seconds(1));
    }
    assert_eq!(held + applied, rows.len());
}

/// The portal: the partner disputes on the change's page, the customer
/// reads that the change is held (not why), support upholds it with a note
/// (refused without one), and the customer reads the note.
#[tokio::test]
async fn the_change_page_files_and_decides_a_dispute_in_each_persons_language() {
    use crate::portal::{browser, hidden, page};
    let app = TestApp::spawn().await;
    let id = submit(&app, "110000000001").await;
    let form = |client: &reqwest::Client, path: String, fields: Vec<(&'static str, String)>| {
        let client = client.clone();
        let url = format!("{}{path}", app.base);
        let origin = app.base.clone();
        async move {
            client
                .post(url)
                .header("origin", origin)
                .form(&fields)
                .send()
                .await
                .unwrap()
        }
    };

    let paul = browser(&app, PAUL, "de").await;
    let (_, html) = page(&app, &paul, &format!("/changes/{id}")).await;
    assert!(html.contains("Einspruch erheben"), "{html}");
    let csrf = hidden(&html, "csrf");
    let res = form(
        &paul,
        format!("/changes/{id}/dispute"),
        vec![("csrf", csrf.clone()), ("text", "  ".into())],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = form(
        &paul,
        format!("/changes/{id}/dispute"),
        vec![("csrf", csrf), ("text", "Offene Projekte".into())],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &paul, &location(&res)).await;
    assert!(html.contains("Ihr Einspruch ist eingegangen"), "{html}");
    assert!(
        html.contains("Offene Projekte"),
        "the partner reads its reason"
    );
    assert!(!html.contains("name=\"text\""), "no second dispute form");

    let anna = browser(&app, ANNA, "de").await;
    let (_, html) = page(&app, &anna, &format!("/changes/{id}")).await;
    assert!(html.contains("Der Wechsel ist angehalten"), "{html}");
    assert!(
        !html.contains("Offene Projekte"),
        "the customer does not read why"
    );

    let sam = browser(&app, SAM, "en").await;
    let (_, queue) = page(&app, &sam, "/support-cases").await;
    assert!(
        queue.contains("Disputed partner changes") && queue.contains(&format!("/changes/{id}")),
        "{queue}"
    );
    let (_, html) = page(&app, &sam, &format!("/changes/{id}")).await;
    assert!(
        html.contains("Uphold the dispute") && html.contains("Offene Projekte"),
        "{html}"
    );
    let csrf = hidden(&html, "csrf");
    let res = form(
        &sam,
        format!("/changes/{id}/dispute/uphold"),
        vec![("csrf", csrf.clone()), ("text", String::new())],
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a note is required to uphold"
    );
    let res = form(
        &sam,
        format!("/changes/{id}/dispute/uphold"),
        vec![
            ("csrf", csrf.clone()),
            ("text", "Projekte laufen bis März.".into()),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Deciding again: the page says it was decided already.
    let res = form(
        &sam,
        format!("/changes/{id}/dispute/release"),
        vec![("csrf", csrf), ("text", String::new())],
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let html = res.text().await.unwrap();
    assert!(html.contains("decided already"), "{html}");

    let (_, html) = page(&app, &anna, &format!("/changes/{id}")).await;
    assert!(html.contains("Projekte laufen bis März."), "{html}");
    assert!(
        html.contains("Der Support hat dem Einspruch stattgegeben"),
        "{html}"
    );
}

/// A dispute's deadlines are the support level's (advanced: first answer
/// within 4 hours): a decision not made by then is mailed to the operators
/// once, with the change's page to decide on; none once it is decided.
#[tokio::test]
async fn a_dispute_not_decided_in_time_is_told_to_the_operators_once() {
    let app = TestApp::spawn().await;
    let id = submit(&app, "110000000001").await;
    let filed = json_with(
        dispute(&app, PAUL, &id, "bitte prüfen").await,
        StatusCode::CREATED,
    )
    .await;
    app.advance(Duration::hours(4));
    assert_eq!(
        app.services.tell_breaches().await.unwrap(),
        0,
        "at the deadline"
    );
    app.advance(Duration::seconds(1));
    assert_eq!(app.services.tell_breaches().await.unwrap(), 1);
    assert_eq!(app.services.tell_breaches().await.unwrap(), 0);
    let mails: Vec<_> = app
        .mails()
        .await
        .into_iter()
        .filter(|d| d.kind == "deadlines_breached")
        .collect();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].recipient.as_deref(), Some("olga@vendor.example"));
    let mut text = None;
    for f in std::fs::read_dir(app.dir.path().join("mail")).unwrap() {
        let raw = std::fs::read_to_string(f.unwrap().path()).unwrap();
        let raw = raw.replace("=\r\n", "").replace("=\n", "");
        if raw.contains("Dispute on agreement 110000000001") {
            text = Some(raw);
        }
    }
    let text = text.expect("the breach mail names the dispute");
    assert!(text.contains(&format!("/changes/{id}")), "{text}");
    // Decided, even late: nothing more is told.
    let dispute_id = filed["id"].as_str().unwrap();
    assert_eq!(
        decide(&app, dispute_id, "release", "").await.status(),
        StatusCode::OK
    );
    app.advance(Duration::days(2));
    assert_eq!(app.services.tell_breaches().await.unwrap(), 0);
}
