//! The acceptance policy (SPEC "beyond the seed"): the new partner accepts
//! or declines within `acceptance_days`, or the request expires; mails and
//! webhooks report each step (R10, #6).

use kontor_core::domain::notify::OutboxMessage;
use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;

use crate::helpers::*;

const ANNA: &str = "anna@muster.example";
const BEN: &str = "ben@bim-solutions.example"; // new partner 5100000002
const PAUL: &str = "paul@cad-partner.example"; // current partner 5100000001
const DORA: &str = "dora@example-ltd.example"; // another account

async fn spawn() -> TestApp {
    TestApp::spawn_with(|c| {
        c.acceptance_required = true;
        c.acceptance_days = 7;
    })
    .await
}

async fn submit(app: &TestApp) -> Value {
    json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await
}

async fn answer(app: &TestApp, who: &str, id: &str, what: &str) -> reqwest::Response {
    app.post(
        who,
        &format!("/api/v1/partner-changes/{id}/{what}"),
        &json!({}),
    )
    .await
}

/// The change events queued so far, in order.
async fn events(app: &TestApp) -> Vec<String> {
    app.services
        .store
        .outbox_pending()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| match m {
            OutboxMessage::PartnerChangeEmails { event, .. } => Some(event.as_str().to_owned()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn the_new_partner_accepts_then_the_delay_runs_and_the_worker_applies() {
    let app = spawn().await;
    let r = submit(&app).await;
    assert_eq!(r["status"], "awaiting_partner");
    let id = r["id"].as_str().unwrap();
    let deadline = json!(
        time::OffsetDateTime::format(
            app.clock_now() + Duration::days(7),
            &time::format_description::well_known::Rfc3339
        )
        .unwrap()
    );
    assert_eq!(r["answer_by"], deadline);

    // Only the new partner answers: the admin and the current partner may
    // see the request but not answer; another tenant does not see it (R1).
    assert_eq!(
        answer(&app, ANNA, id, "accept").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        answer(&app, PAUL, id, "accept").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        answer(&app, DORA, id, "accept").await.status(),
        StatusCode::NOT_FOUND
    );
    // R7: one open request per agreement, awaiting counts as open.
    assert_eq!(
        app.submit(ANNA, "110000000001", "5100000002")
            .await
            .status(),
        StatusCode::CONFLICT
    );
    // Nothing is applied while the partner has not answered.
    app.advance(Duration::hours(2));
    assert_eq!(app.run_worker().await.applied, 0);

    let accepted = json_with(answer(&app, BEN, id, "accept").await, StatusCode::OK).await;
    assert_eq!(accepted["status"], "pending");
    assert_eq!(accepted["answer_by"], Value::Null);
    let due = time::OffsetDateTime::format(
        app.clock_now() + Duration::minutes(60),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(accepted["expected_completion"], json!(due));
    let again = json_with(answer(&app, BEN, id, "accept").await, StatusCode::CONFLICT).await;
    assert_eq!(again["type"], "urn:kontor:problem:not_awaiting_partner");

    app.advance(Duration::minutes(59));
    assert_eq!(
        app.run_worker().await.applied,
        0,
        "the delay starts at acceptance"
    );
    app.advance(Duration::minutes(1));
    assert_eq!(app.run_worker().await.applied, 1);
    assert_eq!(
        events(&app).await,
        ["awaiting_partner", "accepted", "applied"]
    );
    let audit = json_with(
        app.get(ANNA, "/api/v1/audit?agreement=110000000001").await,
        StatusCode::OK,
    )
    .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"change_accepted"), "{actions:?}");
}

#[tokio::test]
async fn a_declined_request_ends_and_the_agreement_is_free_again() {
    let app = spawn().await;
    let id = submit(&app).await["id"].as_str().unwrap().to_owned();
    let declined = json_with(answer(&app, BEN, &id, "decline").await, StatusCode::OK).await;
    assert_eq!(declined["status"], "declined");
    assert!(declined["decided_at"].is_string());
    assert_eq!(
        answer(&app, BEN, &id, "accept").await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(events(&app).await, ["awaiting_partner", "declined"]);
    // A new request may be made at once.
    assert_eq!(submit(&app).await["status"], "awaiting_partner");
}

#[tokio::test]
async fn an_unanswered_request_expires_after_exactly_the_acceptance_days() {
    let app = spawn().await;
    let id = submit(&app).await["id"].as_str().unwrap().to_owned();
    app.advance(Duration::days(7) - Duration::seconds(1));
    assert_eq!(
        kontor::worker::expire_unanswered(&app.services, 500)
            .await
            .unwrap(),
        0
    );
    app.advance(Duration::seconds(1));
    assert_eq!(
        kontor::worker::expire_unanswered(&app.services, 500)
            .await
            .unwrap(),
        1
    );
    let r = json_with(
        app.get(ANNA, &format!("/api/v1/partner-changes/{id}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["status"], "expired");
    assert_eq!(
        answer(&app, BEN, &id, "accept").await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(events(&app).await, ["awaiting_partner", "expired"]);
    // Expiry runs once per request.
    assert_eq!(
        kontor::worker::expire_unanswered(&app.services, 500)
            .await
            .unwrap(),
        0
    );
    // The admin may withdraw a request that awaits the partner too (R9).
    let id = submit(&app).await["id"].as_str().unwrap().to_owned();
    let w = json_with(
        app.post(
            ANNA,
            &format!("/api/v1/partner-changes/{id}/withdraw"),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(w["status"], "withdrawn");
}

#[tokio::test]
async fn the_new_partner_answers_in_the_portal() {
    let app = spawn().await;
    let id = submit(&app).await["id"].as_str().unwrap().to_owned();
    let paul = crate::portal::browser(&app, PAUL, "en").await;
    let (_, html) = crate::portal::page(&app, &paul, "/changes").await;
    assert!(
        !html.contains(&format!("/changes/{id}/accept")),
        "the current partner cannot answer"
    );
    let ben = crate::portal::browser(&app, BEN, "de").await;
    let (status, html) = crate::portal::page(&app, &ben, "/changes").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("/changes/{id}/accept")) && html.contains("Annehmen"),
        "{html}"
    );
    let csrf = crate::portal::hidden(&html, "csrf");
    let res = ben
        .post(format!("{}/changes/{id}/accept", app.base))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = crate::portal::page(&app, &ben, "/changes?answered=accept").await;
    assert!(html.contains("Angenommen"));
    let r = json_with(
        app.get(ANNA, &format!("/api/v1/partner-changes/{id}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["status"], "pending");
    // Without the form token nothing happens.
    let res = ben
        .post(format!("{}/changes/{id}/decline", app.base))
        .form(&[("csrf", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}
