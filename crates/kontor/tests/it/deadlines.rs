//! #22 point 4, first half: support cases carry first-response and
//! resolution deadlines by the support level, the queue lists the deadline
//! to meet next first with breaches marked, each breach is mailed to the
//! operators once (twice run, on another instance), never for a case
//! handled in time; an acceptance request nobody answers is escalated once
//! before it expires, never at or after its expiry.

use kontor_core::domain::notify::{ChangeEvent, OutboxMessage, RecipientRole};
use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;

use crate::helpers::*;
use crate::portal::{browser, page};

const ANNA: &str = "anna@muster.example";
const SAM: &str = "sam@vendor.example";
const OLGA: &str = "olga@vendor.example";

/// A question Anna hands to support about 110000000001 (support level
/// advanced: first response within 4 hours, resolution within 24).
async fn question(app: &TestApp, text: &str) -> Value {
    let body = json!({ "conversation": [{ "from": "person", "text": text }], "agreement": "110000000001" });
    let case = json_with(
        app.post(ANNA, "/api/v1/assistant/handoff", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(case["support_level"], "advanced");
    case
}

async fn case(app: &TestApp, id: &str) -> Value {
    json_with(
        app.get(SAM, &format!("/api/v1/support-cases/{id}")).await,
        StatusCode::OK,
    )
    .await
}

/// The breach mails the operators got, as written.
async fn breach_mails(app: &TestApp) -> Vec<String> {
    let queued = app
        .mails()
        .await
        .into_iter()
        .filter(|d| d.kind == "deadlines_breached")
        .collect::<Vec<_>>();
    assert!(
        queued.iter().all(|d| d.recipient.as_deref() == Some(OLGA)),
        "operators only"
    );
    let mut texts = Vec::new();
    for f in std::fs::read_dir(app.dir.path().join("mail")).unwrap() {
        let raw = std::fs::read_to_string(f.unwrap().path()).unwrap();
        let raw = raw.replace("=\r\n", "").replace("=\n", "");
        if raw.contains("deadline") && raw.contains(&format!("To: {OLGA}")) {
            texts.push(raw);
        }
    }
    assert_eq!(texts.len(), queued.len(), "every breach mail was written");
    texts
}

#[tokio::test]
async fn each_breach_is_told_to_the_operators_once_and_never_for_a_case_handled_in_time() {
    let app = TestApp::spawn().await;
    let late = question(&app, "Niemand antwortet mir").await;
    let handled = question(&app, "Bitte rasch").await;
    let (late_id, handled_id) = (
        late["id"].as_str().unwrap().to_owned(),
        handled["id"].as_str().unwrap().to_owned(),
    );
    assert_eq!(late["respond_by"], "2026-11-25T13:00:00Z");
    assert_eq!(late["resolve_by"], "2026-11-26T09:00:00Z");
    assert_eq!(late["sla_state"], "on_track");

    // Support answers one within the hour and resolves it the next.
    app.advance(Duration::minutes(59));
    let reply = app
        .post(
            SAM,
            &format!("/api/v1/support-cases/{handled_id}/messages"),
            &json!({ "body": "Wir sind dran." }),
        )
        .await;
    assert_eq!(reply.status(), StatusCode::CREATED);
    app.advance(Duration::minutes(1));
    let resolved = app
        .post(
            SAM,
            &format!("/api/v1/support-cases/{handled_id}/resolve"),
            &json!({}),
        )
        .await;
    assert_eq!(resolved.status(), StatusCode::OK);
    let handled = case(&app, &handled_id).await;
    assert_eq!(handled["first_response_at"], "2026-11-25T09:59:00Z");
    assert_eq!(handled["sla_state"], "met");

    // At the first-response deadline nothing is overdue; a second later it is.
    app.advance(Duration::hours(3)); // 13:00, the deadline
    assert_eq!(case(&app, &late_id).await["sla_state"], "due_soon");
    assert_eq!(app.services.tell_breaches().await.unwrap(), 0);
    app.advance(Duration::seconds(1));
    assert_eq!(case(&app, &late_id).await["sla_state"], "response_overdue");
    assert_eq!(app.services.tell_breaches().await.unwrap(), 1);
    let mails = breach_mails(&app).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(mail.contains("Support deadline missed"), "{mail}");
    assert!(mail.contains("First response due since"), "{mail}");
    assert!(
        mail.contains(&late_id) && !mail.contains(&handled_id),
        "{mail}"
    );
    assert!(mail.contains("Muster Bau"), "the account by name: {mail}");

    // Again, and on another instance: nothing new.
    assert_eq!(app.services.tell_breaches().await.unwrap(), 0);
    let other = app.another_instance().await;
    assert_eq!(other.services.tell_breaches().await.unwrap(), 0);
    assert_eq!(breach_mails(&app).await.len(), 1);

    // Answering late does not undo the breach; the resolution deadline
    // (24 h) still runs and is told once when it passes.
    let reply = app
        .post(
            SAM,
            &format!("/api/v1/support-cases/{late_id}/messages"),
            &json!({ "body": "Entschuldigung." }),
        )
        .await;
    assert_eq!(reply.status(), StatusCode::CREATED);
    app.advance(Duration::hours(20) - Duration::seconds(1)); // 09:00 next day
    assert_eq!(app.services.tell_breaches().await.unwrap(), 0);
    app.advance(Duration::seconds(1));
    assert_eq!(other.services.tell_breaches().await.unwrap(), 1);
    assert_eq!(app.services.tell_breaches().await.unwrap(), 0);
    let mails = breach_mails(&app).await;
    assert_eq!(mails.len(), 2);
    assert!(
        mails.iter().any(|m| m.contains("Resolution due since")),
        "{mails:?}"
    );
    let late = case(&app, &late_id).await;
    assert_eq!(late["sla_state"], "resolution_overdue");
    // Resolved late: missed, and no more mails.
    let resolved = app
        .post(
            SAM,
            &format!("/api/v1/support-cases/{late_id}/resolve"),
            &json!({}),
        )
        .await;
    assert_eq!(resolved.status(), StatusCode::OK);
    assert_eq!(case(&app, &late_id).await["sla_state"], "missed");
    app.advance(Duration::days(5));
    assert_eq!(app.services.tell_breaches().await.unwrap(), 0);
    assert_eq!(breach_mails(&app).await.len(), 2);
}

#[tokio::test]
async fn the_queue_lists_the_deadline_to_meet_next_first_and_marks_breaches() {
    let app = TestApp::spawn().await;
    // The older case is answered: its next deadline is the resolution
    // (09:00 next day). The newer one, an hour later, awaits its first
    // response (14:00 today): it comes first although it waits less long.
    let older = question(&app, "Erste Frage").await;
    let older_id = older["id"].as_str().unwrap().to_owned();
    let reply = app
        .post(
            SAM,
            &format!("/api/v1/support-cases/{older_id}/messages"),
            &json!({ "body": "Antwort" }),
        )
        .await;
    assert_eq!(reply.status(), StatusCode::CREATED);
    app.advance(Duration::hours(1));
    let newer = question(&app, "Zweite Frage").await;
    let newer_id = newer["id"].as_str().unwrap().to_owned();

    let queue = json_with(
        app.get(SAM, "/api/v1/support-cases?open=true").await,
        StatusCode::OK,
    )
    .await;
    let order: Vec<&str> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(order, [newer_id.as_str(), older_id.as_str()]);

    // Past the newer one's first-response deadline the page marks it.
    app.advance(Duration::hours(4) + Duration::seconds(1));
    // Sam reads English (his profile's language), Anna German.
    let sam = browser(&app, SAM, "en").await;
    let (_, html) = page(&app, &sam, "/support-cases").await;
    let newer_at = html.find(&newer_id).expect("newer listed");
    let older_at = html.find(&older_id).expect("older listed");
    assert!(newer_at < older_at, "the next deadline first");
    assert!(html.contains("Next deadline"), "{html}");
    assert!(
        html.contains("Overdue: first response"),
        "breach marked: {html}"
    );
    assert_eq!(html.matches("badge-sla-response_overdue").count(), 1);
    assert!(html.contains("Resolve by"), "the older one's next deadline");
    // The case page names both deadlines and the first answer.
    let (_, html) = page(&app, &sam, &format!("/support-cases/{older_id}")).await;
    assert!(
        html.contains("First answered") && html.contains("Resolve by"),
        "{html}"
    );
    // The customer sees what is overdue too.
    let anna = browser(&app, ANNA, "de").await;
    let (_, html) = page(&app, &anna, &format!("/support-cases/{newer_id}")).await;
    assert!(
        html.contains("Frist überschritten: erste Antwort"),
        "{html}"
    );
}

/// The change events queued so far with their recipients' roles.
async fn escalations(app: &TestApp) -> Vec<Vec<(String, RecipientRole)>> {
    app.services
        .store
        .outbox_pending()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| match m {
            OutboxMessage::PartnerChangeEmails {
                event: ChangeEvent::Escalated,
                recipients,
                ..
            } => Some(recipients.into_iter().map(|r| (r.to, r.role)).collect()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn an_unanswered_acceptance_request_is_escalated_once_a_day_before_it_expires() {
    let app = TestApp::spawn_with(|c| {
        c.acceptance_required = true;
        c.acceptance_days = 7;
    })
    .await;
    assert_eq!(app.config.acceptance_escalate_hours, 24);
    app.import_muster_contracts(&[(
        "110000000905".to_owned(),
        &(START + Duration::days(400)).date().to_string(),
    )])
    .await;
    let first = json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(first["status"], "awaiting_partner");
    // A second one, twelve hours later: its escalation comes later.
    app.advance(Duration::hours(12));
    let second = json_with(
        app.submit(ANNA, "110000000905", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;

    // The first expires at START + 7 days; it is escalated from a day before.
    app.advance(Duration::days(6) - Duration::hours(12) - Duration::seconds(1));
    assert_eq!(app.services.escalate_unanswered().await.unwrap(), 0);
    app.advance(Duration::seconds(1));
    assert_eq!(app.services.escalate_unanswered().await.unwrap(), 1);
    assert_eq!(app.services.escalate_unanswered().await.unwrap(), 0);
    let other = app.another_instance().await;
    assert_eq!(other.services.escalate_unanswered().await.unwrap(), 0);
    let told = escalations(&app).await;
    assert_eq!(told.len(), 1);
    let roles: Vec<RecipientRole> = told[0].iter().map(|(_, r)| *r).collect();
    assert!(roles.contains(&RecipientRole::AccountAdmin), "{told:?}");
    assert!(roles.contains(&RecipientRole::NewPartner), "{told:?}");
    assert!(
        told[0]
            .iter()
            .any(|(to, r)| to == SAM && *r == RecipientRole::SupportAgent),
        "{told:?}"
    );
    assert!(
        !roles.contains(&RecipientRole::OldPartner),
        "the partner replaced is not asked: {told:?}"
    );
    let audit = audit_actions(&app).await;
    assert_eq!(
        audit.iter().filter(|a| *a == "change_escalated").count(),
        1,
        "{audit:?}"
    );

    // The partner's mail says by when to answer, in its language.
    app.mails().await;
    let mut partner_mail = None;
    for f in std::fs::read_dir(app.dir.path().join("mail")).unwrap() {
        let raw = std::fs::read_to_string(f.unwrap().path()).unwrap();
        let raw = raw.replace("=\r\n", "").replace("=\n", "");
        if raw.contains("wartet noch auf Ihre Antwort") {
            partner_mail = Some(raw);
        }
    }
    let mail = partner_mail.expect("the new partner is asked again");
    assert!(mail.contains("Antwort bis"), "{mail}");
    assert!(mail.contains("2. Dezember 2026"), "{mail}");

    // The second is not escalated at its expiry or after it, even when the
    // worker has not expired it yet.
    app.advance(Duration::days(2));
    assert_eq!(app.services.escalate_unanswered().await.unwrap(), 0);
    let second = json_with(
        app.get(
            ANNA,
            &format!("/api/v1/partner-changes/{}", second["id"].as_str().unwrap()),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(second["status"], "awaiting_partner", "not expired yet");
    let audit = audit_actions(&app).await;
    assert_eq!(
        audit.iter().filter(|a| *a == "change_escalated").count(),
        1,
        "{audit:?}"
    );
}

#[tokio::test]
async fn no_escalation_when_it_is_switched_off() {
    let app = TestApp::spawn_with(|c| {
        c.acceptance_required = true;
        c.acceptance_escalate_hours = 0;
    })
    .await;
    let res = app.submit(ANNA, "110000000001", "5100000002").await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    app.advance(Duration::days(7) - Duration::minutes(1));
    assert_eq!(app.services.escalate_unanswered().await.unwrap(), 0);
    assert!(escalations(&app).await.is_empty());
}
