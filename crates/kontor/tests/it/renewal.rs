//! #22 point 1: change at renewal. Where the change cannot be made now
//! because the agreement renews automatically, ends within the expiry
//! window or is a subscription (R3, R4), an admin names the partner for
//! the next renewal; the renewal applies it — exactly at the renewal and
//! never before — with R5 and the admin checked again (R8), audit (R11)
//! and mails to every party (R10).

use reqwest::StatusCode;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::helpers::*;

const ANNA: &str = "anna@muster.example";
const BERND: &str = "bernd@muster.example";
const CARLA: &str = "carla@muster.example";
const DORA: &str = "dora@example-ltd.example";
const PAUL: &str = "paul@cad-partner.example";
const BEN: &str = "ben@bim-solutions.example";
const OLGA: &str = "olga@vendor.example";
/// Demo: a contract of Muster Bau that renews automatically (200 days left).
const AUTO: &str = "110000000002";
/// Demo: a subscription of Muster Bau served by CAD Partner.
const SUB: &str = "12000000000001";
const CAD: &str = "5100000001";
const BIM: &str = "5100000002";
const DESIGN: &str = "5100000004";

fn renewal_path(n: &str) -> String {
    format!("/api/v1/agreements/{n}/renewal-partner")
}

async fn name(app: &TestApp, who: &str, n: &str, partner: &str) -> reqwest::Response {
    app.put(who, &renewal_path(n), &json!({ "new_partner": partner }))
        .await
}

async fn withdraw(app: &TestApp, who: &str, n: &str) -> reqwest::Response {
    app.client
        .delete(format!("{}{}", app.base, renewal_path(n)))
        .bearer_auth(app.token(who).await)
        .send()
        .await
        .unwrap()
}

async fn partners(app: &TestApp, n: &str) -> Value {
    json_with(
        app.get(OLGA, &format!("/api/v1/agreements/{n}")).await,
        StatusCode::OK,
    )
    .await["partners"]
        .clone()
}

/// Everyone mailed so far, once per mail.
async fn mailed(app: &TestApp) -> Vec<String> {
    app.mails()
        .await
        .into_iter()
        .filter_map(|d| d.recipient)
        .collect()
}

fn new_since(before: &[String], after: &[String]) -> Vec<String> {
    let mut new: Vec<String> = after[before.len()..].to_vec();
    new.sort();
    new
}

/// The instant `due_at` of a naming's answer.
fn due_at(named: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(
        named["due_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap()
}

#[tokio::test]
async fn a_partner_named_for_the_renewal_takes_over_exactly_at_the_renewal_and_never_before() {
    let app = TestApp::spawn().await;
    // The change cannot be made now (auto_renew), but at the renewal.
    let e = json_with(
        app.get(
            ANNA,
            &format!("/api/v1/agreements/{AUTO}/partner-change/eligibility"),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(reason_codes(&e), ["auto_renew"]);
    assert_eq!(e["change_at_renewal"]["available"], true, "{e}");
    let term_end = time::Date::parse(
        json_with(
            app.get(ANNA, &format!("/api/v1/agreements/{AUTO}")).await,
            StatusCode::OK,
        )
        .await["term_end"]
            .as_str()
            .unwrap(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .unwrap();
    let renews_on = term_end.next_day().unwrap();
    assert_eq!(e["change_at_renewal"]["renews_on"], renews_on.to_string());

    // Only admins of the account name one; others do not see the agreement.
    for (who, status) in [
        (CARLA, StatusCode::NOT_FOUND), // a user sees only 110000000001
        (DORA, StatusCode::NOT_FOUND),
        (PAUL, StatusCode::FORBIDDEN),
    ] {
        assert_eq!(name(&app, who, AUTO, BIM).await.status(), status, "{who}");
    }
    let before = mailed(&app).await;
    let named = json_with(name(&app, ANNA, AUTO, BIM).await, StatusCode::OK).await;
    assert_eq!(named["status"], "scheduled");
    assert_eq!(named["new_partner"], BIM);
    assert_eq!(named["renews_on"], renews_on.to_string());
    assert_eq!(named["due_at"], format!("{renews_on}T00:00:00Z"));
    // Naming the same partner again changes nothing.
    let again = json_with(name(&app, BERND, AUTO, BIM).await, StatusCode::OK).await;
    assert_eq!(again["id"], named["id"]);
    // R10: both admins, the named partner and the current one are told once.
    let told = new_since(&before, &mailed(&app).await);
    assert_eq!(
        told,
        [
            ANNA,
            BERND,
            "hello@bim-solutions.example",
            "orders@cad-partner.example"
        ],
        "{told:?}"
    );

    // The agreement shows it; a change now waits for the naming (R4).
    let a = json_with(
        app.get(ANNA, &format!("/api/v1/agreements/{AUTO}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(a["renewal_partner"]["new_partner"], BIM);
    let e = json_with(
        app.get(
            ANNA,
            &format!("/api/v1/agreements/{AUTO}/partner-change/eligibility"),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(reason_codes(&e), ["auto_renew", "renewal_scheduled"]);
    // The named partner sees its naming, not yet the agreement.
    let seen = json_with(app.get(BEN, &renewal_path(AUTO)).await, StatusCode::OK).await;
    assert_eq!(seen["scheduled"]["id"], named["id"]);
    assert_eq!(
        app.get(BEN, &format!("/api/v1/agreements/{AUTO}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // One second before the renewal: nothing happens.
    let due = due_at(&named);
    app.advance(due - app.clock_now() - Duration::SECOND);
    let report = app.services.apply_due_renewals(100).await.unwrap();
    assert_eq!(report.applied, 0);
    assert_eq!(partners(&app, AUTO).await, json!([CAD]));

    // At the renewal: the named partner takes over, from that instant.
    app.advance(Duration::SECOND);
    let before = mailed(&app).await;
    let report = app.services.apply_due_renewals(100).await.unwrap();
    assert_eq!(report.applied, 1);
    assert_eq!(partners(&app, AUTO).await, json!([BIM]));
    let history = json_with(
        app.get(OLGA, &format!("/api/v1/agreements/{AUTO}/partner-history"))
            .await,
        StatusCode::OK,
    )
    .await;
    let items = history["items"].as_array().unwrap();
    let last = items.last().unwrap();
    assert_eq!(last["partner"], BIM);
    assert_eq!(last["source"], "self_service");
    assert_eq!(last["valid_from"], format!("{renews_on}T00:00:00Z"));
    assert_eq!(items[items.len() - 2]["valid_to"], last["valid_from"]);
    let told = new_since(&before, &mailed(&app).await);
    assert_eq!(told.len(), 4, "{told:?}");
    // Access moved with it (#22 point 5).
    assert_eq!(
        app.get(BEN, &format!("/api/v1/agreements/{AUTO}"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get(PAUL, &format!("/api/v1/agreements/{AUTO}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let log = json_with(app.get(OLGA, &renewal_path(AUTO)).await, StatusCode::OK).await;
    assert_eq!(log["items"][0]["status"], "applied");
    assert!(log["scheduled"].is_null());
    let actions = audit_actions(&app).await;
    for action in [
        "renewal_partner_named",
        "renewal_partner_applied",
        "partner_assignment_changed",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
    // Applied once: another sweep finds nothing.
    let report = app.services.apply_due_renewals(100).await.unwrap();
    assert_eq!(report, Default::default());
}

#[tokio::test]
async fn a_named_partner_can_be_replaced_and_withdrawn_until_the_renewal() {
    let app = TestApp::spawn().await;
    json_with(name(&app, ANNA, AUTO, BIM).await, StatusCode::OK).await;
    let before = mailed(&app).await;
    let replaced = json_with(name(&app, BERND, AUTO, DESIGN).await, StatusCode::OK).await;
    assert_eq!(replaced["new_partner"], DESIGN);
    // The partner no longer named hears so.
    let told = new_since(&before, &mailed(&app).await);
    assert!(
        told.contains(&"hello@bim-solutions.example".to_owned())
            && told.contains(&"sales@design-systems.example".to_owned()),
        "{told:?}"
    );
    let all = json_with(app.get(ANNA, &renewal_path(AUTO)).await, StatusCode::OK).await;
    let statuses: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["scheduled", "replaced"]);
    // A partner no longer named no longer sees the naming.
    assert_eq!(
        app.get(BEN, &renewal_path(AUTO)).await.status(),
        StatusCode::NOT_FOUND
    );

    // Another admin withdraws it (as R9); the current partner stays.
    let w = json_with(withdraw(&app, BERND, AUTO).await, StatusCode::OK).await;
    assert_eq!(w["status"], "withdrawn");
    assert_eq!(
        withdraw(&app, ANNA, AUTO).await.status(),
        StatusCode::CONFLICT,
        "nothing is named any more"
    );
    let a = json_with(
        app.get(ANNA, &format!("/api/v1/agreements/{AUTO}")).await,
        StatusCode::OK,
    )
    .await;
    assert!(a.get("renewal_partner").is_none(), "{a}");
    let actions = audit_actions(&app).await;
    for action in ["renewal_partner_replaced", "renewal_partner_withdrawn"] {
        assert!(actions.iter().any(|a| a == action), "{action}");
    }
    // Nothing left for the renewal.
    app.advance(Duration::days(400));
    let report = app.services.apply_due_renewals(100).await.unwrap();
    assert_eq!(report, Default::default());
    assert_eq!(partners(&app, AUTO).await, json!([CAD]));
}

#[tokio::test]
async fn naming_is_refused_where_the_change_can_be_made_now_or_r5_fails_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    // 400 days left, no automatic renewal: the change can be made now.
    let p = refused(name(&app, ANNA, "110000000001", BIM).await).await;
    assert_eq!(error_fields(&p), ["agreement"]);
    // Expired (its term has ended: one reason, not "canceled"), and Token Flex.
    for n in ["110000000004", "110000000003"] {
        let p = refused(name(&app, ANNA, n, BIM).await).await;
        assert_eq!(error_fields(&p), ["agreement"], "{n}");
    }
    // R5: an inactive partner, an unknown one, the current one.
    for csn in ["5100000003", "5100000099", CAD] {
        let p = refused(name(&app, ANNA, AUTO, csn).await).await;
        assert_eq!(error_fields(&p), ["new_partner"], "{csn}");
    }
    // Malformed input names the field.
    let p = json_with(
        app.put(ANNA, &renewal_path(AUTO), &json!({ "new_partner": "12" }))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&p), ["new_partner"]);
    let a = json_with(app.get(ANNA, &renewal_path(AUTO)).await, StatusCode::OK).await;
    assert_eq!(a["items"], json!([]), "nothing was written");
    // A change requested on the last day it could be (91 days left) is
    // still open the next day, when the term ends within the window: the
    // naming waits for it.
    let open = app.submit(ANNA, "110000000008", BIM).await;
    assert_eq!(open.status(), StatusCode::ACCEPTED);
    app.advance(Duration::days(1));
    let p = refused(name(&app, ANNA, "110000000008", DESIGN).await).await;
    assert_eq!(error_fields(&p), ["agreement"]);
}

async fn refused(res: reqwest::Response) -> Value {
    json_with(res, StatusCode::UNPROCESSABLE_ENTITY).await
}

#[tokio::test]
async fn r5_and_the_admin_are_checked_again_at_the_renewal() {
    let app = TestApp::spawn().await;
    let named = json_with(name(&app, ANNA, AUTO, BIM).await, StatusCode::OK).await;
    // The named partner is deactivated before the renewal (R5).
    let import = json!({ "partners": [{"csn": BIM, "name": "BIM Solutions AG", "city": "Berlin",
        "country": "DE", "status": "inactive", "email": "hello@bim-solutions.example"}] });
    json_with(
        app.post(OLGA, "/api/v1/import", &import).await,
        StatusCode::OK,
    )
    .await;
    app.advance(due_at(&named) - app.clock_now());
    let report = app.services.apply_due_renewals(100).await.unwrap();
    assert_eq!((report.applied, report.rejected), (0, 1));
    assert_eq!(partners(&app, AUTO).await, json!([CAD]));
    let log = json_with(app.get(ANNA, &renewal_path(AUTO)).await, StatusCode::OK).await;
    assert_eq!(log["items"][0]["status"], "rejected");
    assert_eq!(log["items"][0]["reasons"], json!(["partner_inactive"]));
}

#[tokio::test]
async fn a_contract_that_does_not_renew_by_itself_waits_for_its_renewal_then_lapses() {
    let app = TestApp::spawn().await;
    // 30 days left, no automatic renewal: within the expiry window (R4).
    let named = json_with(name(&app, ANNA, "110000000006", BIM).await, StatusCode::OK).await;
    let due = due_at(&named);
    app.advance(due - app.clock_now());
    let report = app.services.apply_due_renewals(100).await.unwrap();
    assert_eq!(report.waiting, 1);
    // The grace period (30 days by default) ends: one second before, it
    // still waits; at its end it lapses.
    let lapse = due + Duration::days(30);
    app.advance(lapse - app.clock_now() - Duration::SECOND);
    let report = app.services.apply_due_renewals(100).await.unwrap();
    assert_eq!((report.waiting, report.lapsed), (1, 0));
    app.advance(Duration::SECOND);
    let report = app.services.apply_due_renewals(100).await.unwrap();
    assert_eq!((report.waiting, report.lapsed), (0, 1));
    let log = json_with(
        app.get(ANNA, &renewal_path("110000000006")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["items"][0]["status"], "lapsed");
    assert_eq!(partners(&app, "110000000006").await, json!([CAD]));
}

#[tokio::test]
async fn a_renewal_transaction_applies_it_when_the_named_partner_places_it_and_is_refused_from_another()
 {
    let app = TestApp::spawn().await;
    // A subscription changes partner only through a transaction (R3).
    let named = json_with(name(&app, ANNA, SUB, BIM).await, StatusCode::OK).await;
    let renewal = |partner: &str| json!({ "agreement": SUB, "kind": "renewal", "partner": partner, "term_end": "2028-12-31" });
    // The current partner's renewal is refused while BIM is named.
    let p = json_with(
        app.post(PAUL, "/api/v1/transactions", &renewal(CAD)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&p), ["partner"]);
    // The worker does not move a subscription at its term end: it waits
    // for the renewal transaction.
    app.advance(due_at(&named) - app.clock_now());
    let report = app.services.apply_due_renewals(100).await.unwrap();
    assert_eq!((report.applied, report.waiting), (0, 1));
    // The named partner places the renewal: it can before it serves it.
    let before = mailed(&app).await;
    let t = json_with(
        app.post(BEN, "/api/v1/transactions", &renewal(BIM)).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(t["agreement"]["partners"], json!([BIM]));
    let log = json_with(app.get(ANNA, &renewal_path(SUB)).await, StatusCode::OK).await;
    assert_eq!(log["items"][0]["status"], "applied");
    assert_eq!(log["items"][0]["transaction"], t["id"]);
    let told = new_since(&before, &mailed(&app).await);
    assert_eq!(told.len(), 4, "admins, new and old partner: {told:?}");
    let actions = audit_actions(&app).await;
    assert!(actions.iter().any(|a| a == "renewal_partner_applied"));
}

#[tokio::test]
async fn the_mail_names_the_renewal_day_in_the_readers_language() {
    let app = TestApp::spawn().await;
    // Example Ltd reads English; its subscription is served by Design Systems.
    json_with(
        name(&app, DORA, "12000000000101", CAD).await,
        StatusCode::OK,
    )
    .await;
    app.mails().await;
    let mut found = false;
    for f in std::fs::read_dir(app.dir.path().join("mail")).unwrap() {
        let raw = std::fs::read_to_string(f.unwrap().path()).unwrap();
        let raw = raw.replace("=\r\n", "").replace("=\n", "");
        if raw.contains(&format!("To: {DORA}")) && raw.contains("next renewal") {
            assert!(raw.contains("12000000000101"), "{raw}");
            assert!(raw.contains("Renewal on"), "{raw}");
            found = true;
        }
    }
    assert!(found, "Dora got the mail in English");
}

#[tokio::test]
async fn a_renewal_transaction_racing_the_worker_applies_the_naming_once() {
    let app = TestApp::spawn().await;
    let named = json_with(name(&app, ANNA, AUTO, BIM).await, StatusCode::OK).await;
    app.advance(due_at(&named) - app.clock_now());
    let body =
        json!({ "agreement": AUTO, "kind": "renewal", "partner": BIM, "term_end": "2029-06-30" });
    let (res, report) = tokio::join!(
        app.post(BEN, "/api/v1/transactions", &body),
        app.services.apply_due_renewals(100)
    );
    report.unwrap();
    // Whichever came first applied it; the other found it applied (409),
    // or — reading after the worker's commit — placed a plain renewal.
    let status = res.status();
    assert!(
        status == StatusCode::CREATED || status == StatusCode::CONFLICT,
        "{status}"
    );
    assert_eq!(partners(&app, AUTO).await, json!([BIM]));
    let applied = audit_actions(&app)
        .await
        .into_iter()
        .filter(|a| a == "renewal_partner_applied")
        .count();
    assert_eq!(applied, 1);
}

#[tokio::test]
async fn the_portal_names_and_withdraws_the_partner_for_the_renewal_in_german() {
    use crate::portal::{browser, hidden, page};
    let app = TestApp::spawn().await;
    let anna = browser(&app, ANNA, "de").await;
    let agreement = format!("/agreements/{AUTO}");
    let (_, html) = page(&app, &anna, &agreement).await;
    assert!(
        html.contains("Partner für die Verlängerung benennen"),
        "{html}"
    );
    let form = format!("/agreements/{AUTO}/renewal-partner");
    let (s, html) = page(&app, &anna, &format!("{form}?csn=5100 0000 02")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("BIM Solutions AG") && html.contains("Diesen Partner benennen"));
    // R5 on the page: the current partner is no change.
    let (_, html) = page(&app, &anna, &format!("{form}?csn={CAD}")).await;
    assert!(html.contains("aria-invalid=\"true\""), "{html}");
    let post = |path: String, form: Vec<(&'static str, String)>| {
        let anna = anna.clone();
        let base = app.base.clone();
        async move {
            anna.post(format!("{base}{path}"))
                .header("origin", &base)
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let (_, html) = page(&app, &anna, &form).await;
    let csrf = hidden(&html, "csrf");
    let res = post(
        form.clone(),
        vec![("csn", BIM.into()), ("csrf", csrf.clone())],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &anna, &format!("{agreement}?flash=renewal-named")).await;
    assert!(
        html.contains("Der Partner für die Verlängerung ist benannt."),
        "{html}"
    );
    assert!(
        html.contains("Ab der Verlängerung am") && html.contains("betreut Sie BIM Solutions AG"),
        "{html}"
    );
    // The partner named sees it among its incoming changes.
    let ben = browser(&app, BEN, "de").await;
    let (_, html) = page(&app, &ben, "/changes").await;
    assert!(
        html.contains("Für die nächste Verlängerung benannt") && html.contains(AUTO),
        "{html}"
    );
    // Withdraw: asked first, then done; sent again it only leads back.
    let withdraw = format!("/agreements/{AUTO}/renewal-partner/withdraw");
    let (s, html) = page(&app, &anna, &withdraw).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Benennung für die Verlängerung zurückziehen?"),
        "{html}"
    );
    for _ in 0..2 {
        let res = post(withdraw.clone(), vec![("csrf", csrf.clone())]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let log = json_with(app.get(ANNA, &renewal_path(AUTO)).await, StatusCode::OK).await;
    assert_eq!(log["items"][0]["status"], "withdrawn");
    assert_eq!(log["items"].as_array().unwrap().len(), 1);
}
