//! The seed's flow for a contract, end to end over HTTP (R4–R11).

use kontor_core::domain::ids::AgreementNumber;
use kontor_core::domain::notify::OutboxMessage;
use reqwest::StatusCode;
use serde_json::json;
use time::Duration;

use crate::helpers::*;

const ANNA: &str = "anna@muster.example";
const BERND: &str = "bernd@muster.example";

#[tokio::test]
async fn contract_partner_change_goes_from_lookup_to_applied_with_history_and_audit() {
    let app = TestApp::spawn().await;

    // Lookup step: the partner found is shown with name, city and country.
    let p = json_with(
        app.get(ANNA, "/api/v1/partners/5100-000 002").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(p["name"], "BIM Solutions AG");
    assert_eq!(p["city"], "Berlin");
    assert_eq!(p["country"], "DE");

    // Eligibility before the wizard starts.
    let e = json_with(
        app.get(
            ANNA,
            "/api/v1/agreements/110000000001/partner-change/eligibility",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(e["eligible"], true, "{e}");
    assert_eq!(e["reasons"], json!([]));

    // Submit: 202 with the pending request and its expected completion time.
    let r = json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(r["status"], "pending");
    assert_eq!(r["old_partners"], json!(["5100000001"]));
    assert_eq!(r["expected_completion"], "2026-11-25T10:00:00Z");
    let id = r["id"].as_str().unwrap().to_owned();

    // Visible on the agreement, and the agreement is now `change_pending`.
    let a = json_with(
        app.get(ANNA, "/api/v1/agreements/110000000001").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(a["open_change"]["id"], id.as_str());
    assert_eq!(
        a["partners"],
        json!(["5100000001"]),
        "not applied before the delay"
    );
    let e = json_with(
        app.get(
            ANNA,
            "/api/v1/agreements/110000000001/partner-change/eligibility",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(reason_codes(&e), ["change_pending"]);
    assert_eq!(e["reasons"][0]["possible_from"], "2026-11-25");

    // One minute before the delay has passed nothing happens.
    app.advance(Duration::minutes(59));
    assert_eq!(app.run_worker().await.total(), 0);
    // Once it has, the worker applies it.
    app.advance(Duration::minutes(1));
    let report = app.run_worker().await;
    assert_eq!((report.applied, report.rejected), (1, 0));

    let r = json_with(
        app.get(ANNA, &format!("/api/v1/partner-changes/{id}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["status"], "applied");
    assert_eq!(r["decided_at"], "2026-11-25T10:00:00Z");
    let a = json_with(
        app.get(ANNA, "/api/v1/agreements/110000000001").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(a["partners"], json!(["5100000002"]));
    assert!(a.get("open_change").is_none());

    // History: the old assignment closed at apply time, the new one open.
    let h = json_with(
        app.get(ANNA, "/api/v1/agreements/110000000001/partner-history")
            .await,
        StatusCode::OK,
    )
    .await;
    let items = h["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{h}");
    assert_eq!(items[0]["partner"], "5100000001");
    assert_eq!(items[0]["valid_to"], "2026-11-25T10:00:00Z");
    assert_eq!(items[1]["partner"], "5100000002");
    assert_eq!(items[1]["valid_from"], "2026-11-25T10:00:00Z");
    assert_eq!(items[1]["source"], "self_service");
    assert!(items[1]["valid_to"].is_null());
    let csv = app
        .get(
            ANNA,
            "/api/v1/agreements/110000000001/partner-history?format=csv",
        )
        .await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(
        csv.lines()
            .nth(2)
            .unwrap()
            .starts_with("110000000001,5100000002,BIM Solutions AG,")
    );

    // Audit (R11): requested, applied and the assignment change, with before/after.
    let log = json_with(
        app.get(ANNA, "/api/v1/audit?agreement=110000000001").await,
        StatusCode::OK,
    )
    .await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "change_requested",
            "change_applied",
            "partner_assignment_changed"
        ]
    );
    let changed = &log["items"][2];
    assert_eq!(changed["before"]["partners"], json!(["5100000001"]));
    assert_eq!(changed["after"]["partners"], json!(["5100000002"]));
    assert_eq!(changed["actor"], "worker");
    assert_eq!(
        log["items"][0]["actor"],
        "anna@muster.example (primary_admin)"
    );

    // Notifications (R10): both admins, the new partner and the replaced one,
    // for the submit and for the apply, each in their language.
    let outbox = app.services.store.outbox_pending().await.unwrap();
    assert_eq!(outbox.len(), 2, "one outbox message per event");
    let mut sent: Vec<(String, String, String)> = outbox
        .iter()
        .flat_map(|m| {
            let event = match m {
                OutboxMessage::PartnerChangeEmails { event, .. } => event.as_str(),
                other => other.kind(),
            };
            m.recipients()
                .iter()
                .map(|r| (event.to_owned(), r.to.clone(), r.lang.as_str().to_owned()))
                .collect::<Vec<_>>()
        })
        .collect();
    sent.sort();
    let expected: Vec<(String, String, String)> = ["applied", "submitted"]
        .iter()
        .flat_map(|ev| {
            [
                ("anna@muster.example", "de"),
                ("bernd@muster.example", "de"),
                ("hello@bim-solutions.example", "de"),
                ("orders@cad-partner.example", "de"),
            ]
            .map(|(to, lang)| (ev.to_string(), to.to_owned(), lang.to_owned()))
        })
        .collect();
    let mut expected = expected;
    expected.sort();
    assert_eq!(sent, expected);
}

#[tokio::test]
async fn eligibility_lists_every_reason_with_messages_in_both_languages() {
    let app = TestApp::spawn().await;
    // 110000000012: auto-renewing, 20 days left, suspended.
    let de = json_with(
        app.get_lang(
            ANNA,
            "/api/v1/agreements/110000000012/partner-change/eligibility",
            "de-DE",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(de["eligible"], false);
    assert_eq!(
        reason_codes(&de),
        ["auto_renew", "expires_soon", "not_active"]
    );
    assert!(
        de["reasons"][0]["message"]
            .as_str()
            .unwrap()
            .contains("automatische Verlängerung ist aktiviert")
    );
    let en = json_with(
        app.get_lang(
            ANNA,
            "/api/v1/agreements/110000000012/partner-change/eligibility",
            "en;q=0.9",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        en["reasons"][0]["message"]
            .as_str()
            .unwrap()
            .contains("renews automatically")
    );
    // Without Accept-Language the user's own language (Anna: de) is used.
    let own = json_with(
        app.get(
            ANNA,
            "/api/v1/agreements/110000000012/partner-change/eligibility",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(own["reasons"][0]["message"], de["reasons"][0]["message"]);

    // Submitting anyway is refused with every reason, nothing written.
    let before = app.counts().await;
    let p = json_with(
        app.submit(ANNA, "110000000012", "5100000002").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        reason_codes(&p),
        ["auto_renew", "expires_soon", "not_active"]
    );
    assert_eq!(app.counts().await, before);
}

#[tokio::test]
async fn r4_boundaries_of_the_demo_agreements() {
    let app = TestApp::spawn().await;
    let cases = [
        ("110000000002", vec!["auto_renew"]),
        ("110000000003", vec!["token_flex_eba"]),
        ("110000000004", vec!["expired"]),
        ("110000000005", vec!["expires_soon"]), // 0 days left
        ("110000000006", vec!["expires_soon"]), // 30
        ("110000000007", vec!["expires_soon"]), // 90
        ("110000000008", vec![]),               // 91
        ("110000000009", vec!["not_active"]),
        ("110000000010", vec!["not_active"]),
        ("12000000000001", vec!["subscription_requires_transaction"]),
        (
            "12000000000002",
            vec!["auto_renew", "subscription_requires_transaction"],
        ),
    ];
    for (number, expected) in cases {
        let e = json_with(
            app.get(
                ANNA,
                &format!("/api/v1/agreements/{number}/partner-change/eligibility"),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(reason_codes(&e), expected, "{number}");
        let a = json_with(
            app.get(ANNA, &format!("/api/v1/agreements/{number}")).await,
            StatusCode::OK,
        )
        .await;
        if number == "110000000008" {
            assert_eq!(a["days_left"], 91);
        }
    }
    // Bernd (secondary admin) may too; Carla (user) may not.
    let e = json_with(
        app.get(
            BERND,
            "/api/v1/agreements/110000000001/partner-change/eligibility",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(e["eligible"], true);
    let e = json_with(
        app.get(
            "carla@muster.example",
            "/api/v1/agreements/110000000001/partner-change/eligibility",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(reason_codes(&e), ["not_permitted"]);
}

#[tokio::test]
async fn a_multi_partner_agreement_is_flagged_and_all_partners_are_replaced() {
    let app = TestApp::spawn().await;
    let e = json_with(
        app.get(
            ANNA,
            "/api/v1/agreements/110000000011/partner-change/eligibility",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(e["replaces_several_partners"], true);
    assert_eq!(e["current_partners"], json!(["5100000001", "5100000002"]));
    // Choosing one of the current two is a change: the other is dropped (R6).
    json_with(
        app.submit(ANNA, "110000000011", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    app.advance(Duration::hours(1));
    assert_eq!(app.run_worker().await.applied, 1);
    let a = json_with(
        app.get(ANNA, "/api/v1/agreements/110000000011").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(a["partners"], json!(["5100000002"]));
    let h = json_with(
        app.get(ANNA, "/api/v1/agreements/110000000011/partner-history")
            .await,
        StatusCode::OK,
    )
    .await;
    let open: Vec<_> = h["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["valid_to"].is_null())
        .collect();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0]["partner"], "5100000002");
    // The kept partner's period simply continues; the dropped one is closed.
    let items = h["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["partner"], "5100000001");
    assert_eq!(items[0]["valid_to"], "2026-11-25T10:00:00Z");
}

#[tokio::test]
async fn withdraw_stops_a_pending_change_and_frees_the_agreement() {
    let app = TestApp::spawn().await;
    let r = json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    let id = r["id"].as_str().unwrap();
    // Partners see it (incoming and outgoing) but cannot withdraw it.
    json_with(
        app.post(
            "ben@bim-solutions.example",
            &format!("/api/v1/partner-changes/{id}/withdraw"),
            &json!({}),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    json_with(
        app.post(
            "carla@muster.example",
            &format!("/api/v1/partner-changes/{id}/withdraw"),
            &json!({}),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    // Another admin of the account may withdraw it (R9).
    let w = json_with(
        app.post(
            BERND,
            &format!("/api/v1/partner-changes/{id}/withdraw"),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(w["status"], "withdrawn");
    let again = json_with(
        app.post(
            ANNA,
            &format!("/api/v1/partner-changes/{id}/withdraw"),
            &json!({}),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(again["type"], "urn:kontor:problem:not_open");
    app.advance(Duration::hours(2));
    assert_eq!(
        app.run_worker().await.total(),
        0,
        "a withdrawn request is never applied"
    );
    let a = json_with(
        app.get(ANNA, "/api/v1/agreements/110000000001").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(a["partners"], json!(["5100000001"]));
    // A new request can be made afterwards.
    json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    let log = json_with(
        app.get(ANNA, "/api/v1/audit?agreement=110000000001").await,
        StatusCode::OK,
    )
    .await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["change_requested", "change_withdrawn", "change_requested"]
    );
}

#[tokio::test]
async fn an_applied_request_cannot_be_withdrawn() {
    let app = TestApp::spawn().await;
    let r = json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    app.advance(Duration::hours(1));
    app.run_worker().await;
    let id = r["id"].as_str().unwrap();
    json_with(
        app.post(
            ANNA,
            &format!("/api/v1/partner-changes/{id}/withdraw"),
            &json!({}),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
}

#[tokio::test]
async fn r8_a_request_that_no_longer_qualifies_is_rejected_at_apply_time() {
    let app = TestApp::spawn().await;
    // 91 days left at submit; a day later only 90 are left.
    let late = json_with(
        app.submit(ANNA, "110000000008", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    // The new partner is deactivated before the delay has passed.
    let gone = json_with(
        app.submit(ANNA, "110000000001", "5100000004").await,
        StatusCode::ACCEPTED,
    )
    .await;
    // And one that is still fine.
    let fine = json_with(
        app.submit(ANNA, "110000000011", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    let import = json!({ "partners": [{"csn": "5100000004", "name": "Design Systems Ltd", "city": "London",
        "country": "GB", "status": "inactive", "email": "sales@design-systems.example"}] });
    json_with(
        app.post("olga@vendor.example", "/api/v1/import", &import)
            .await,
        StatusCode::OK,
    )
    .await;
    app.advance(Duration::days(1));
    let report = app.run_worker().await;
    assert_eq!((report.applied, report.rejected), (1, 2));

    let r = json_with(
        app.get(
            ANNA,
            &format!("/api/v1/partner-changes/{}", late["id"].as_str().unwrap()),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["status"], "rejected");
    assert_eq!(r["reasons"], json!(["expires_soon"]));
    let r = json_with(
        app.get(
            ANNA,
            &format!("/api/v1/partner-changes/{}", gone["id"].as_str().unwrap()),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["reasons"], json!(["partner_inactive"]));
    let r = json_with(
        app.get(
            ANNA,
            &format!("/api/v1/partner-changes/{}", fine["id"].as_str().unwrap()),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["status"], "applied");
    // Rejected requests change nothing (never half applied).
    for n in ["110000000008", "110000000001"] {
        let a = json_with(
            app.get(ANNA, &format!("/api/v1/agreements/{n}")).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(a["partners"], json!(["5100000001"]), "{n}");
        let h = json_with(
            app.get(ANNA, &format!("/api/v1/agreements/{n}/partner-history"))
                .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(h["items"].as_array().unwrap().len(), 1, "{n}");
    }
    let log = json_with(
        app.get(ANNA, "/api/v1/audit?agreement=110000000008").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["items"][1]["action"], "change_rejected");
    assert_eq!(log["items"][1]["after"]["reasons"], json!(["expires_soon"]));
}

#[tokio::test]
async fn r8_the_requester_losing_admin_rights_gets_the_request_rejected() {
    let app = TestApp::spawn().await;
    let r = json_with(
        app.submit(BERND, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    // Bernd is made a plain user before the delay passes.
    let import = json!({ "users": [{"email": "bernd@muster.example", "name": "Bernd", "role": "user", "account": "7000000001"}] });
    json_with(
        app.post("olga@vendor.example", "/api/v1/import", &import)
            .await,
        StatusCode::OK,
    )
    .await;
    app.advance(Duration::hours(1));
    assert_eq!(app.run_worker().await.rejected, 1);
    let r = json_with(
        app.get(
            ANNA,
            &format!("/api/v1/partner-changes/{}", r["id"].as_str().unwrap()),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["reasons"], json!(["not_permitted"]));
}

#[tokio::test]
async fn the_processing_delay_is_configurable() {
    let app = TestApp::spawn_with(|c| c.processing_delay_minutes = 5).await;
    let r = json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(r["expected_completion"], "2026-11-25T09:05:00Z");
    app.advance(Duration::minutes(5));
    assert_eq!(app.run_worker().await.applied, 1);
}

#[tokio::test]
async fn partners_see_incoming_and_outgoing_changes_and_customers_only_their_own() {
    let app = TestApp::spawn().await;
    json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    let incoming = json_with(
        app.get("ben@bim-solutions.example", "/api/v1/partner-changes")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(incoming["items"].as_array().unwrap().len(), 1);
    let outgoing = json_with(
        app.get("pia@cad-partner.example", "/api/v1/partner-changes")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(outgoing["items"].as_array().unwrap().len(), 1);
    let other = json_with(
        app.get("dora@example-ltd.example", "/api/v1/partner-changes")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(other["items"], json!([]));
    let vendor = json_with(
        app.get(
            "sam@vendor.example",
            "/api/v1/partner-changes?status=pending",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(vendor["items"].as_array().unwrap().len(), 1);
}

/// A worker round forgets only what it decided (R8, #23): the agreement it
/// applied a change to is read afresh — with its new partner at once —
/// while every other cached agreement stays cached, so reads stay warm
/// while a backlog drains.
#[tokio::test]
async fn a_worker_round_forgets_only_the_agreements_it_decided() {
    let app = TestApp::spawn().await;
    json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    let cached = |n: &str| {
        app.services
            .cache
            .agreement(&AgreementNumber::parse(n).unwrap())
            .is_some()
    };
    for n in ["110000000001", "110000000011"] {
        json_with(
            app.get(
                ANNA,
                &format!("/api/v1/agreements/{n}/partner-change/eligibility"),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        assert!(cached(n), "{n} is cached once read");
    }
    app.advance(Duration::hours(1));
    assert_eq!(app.run_worker().await.applied, 1);
    assert!(
        !cached("110000000001"),
        "the applied agreement is forgotten"
    );
    assert!(
        cached("110000000011"),
        "an agreement the round did not touch stays cached"
    );
    let a = json_with(
        app.get(ANNA, "/api/v1/agreements/110000000001").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(a["partners"], json!(["5100000002"]));
}
