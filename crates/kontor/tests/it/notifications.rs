//! #19: which partner-change mails a person receives (R10 with their
//! choice): an admin may mute events; security mails cannot be muted.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use crate::portal::{browser, hidden, page};

const ANNA: &str = "anna@muster.example";
const BERND: &str = "bernd@muster.example";
const PAUL: &str = "paul@cad-partner.example";
const NOTIFICATIONS: &str = "/api/v1/me/notifications";

/// Everyone mailed so far, sorted, once per mail.
async fn mailed(app: &TestApp) -> Vec<String> {
    let mut to: Vec<String> = app
        .mails()
        .await
        .into_iter()
        .filter_map(|d| d.recipient)
        .collect();
    to.sort();
    to
}

fn count(to: &[String], who: &str) -> usize {
    to.iter().filter(|t| *t == who).count()
}

#[tokio::test]
async fn a_muted_event_is_not_mailed_to_that_admin_and_every_other_mail_still_is() {
    let app = TestApp::spawn().await;
    let settings = json_with(app.get(ANNA, NOTIFICATIONS).await, StatusCode::OK).await;
    assert_eq!(settings["partner_change_mails"], true);
    assert_eq!(settings["muted"], json!([]));
    assert_eq!(settings["mutable"].as_array().unwrap().len(), 16);
    assert_eq!(
        settings["always_sent"],
        json!(["invitation", "password_reset", "password_changed"])
    );

    // An unknown event: named by position, nothing saved.
    let problem = json_with(
        app.put(
            ANNA,
            NOTIFICATIONS,
            &json!({ "muted": ["submitted", "sent"] }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["muted[1]"]);
    // More codes than the documented 64, repeats included: refused whole.
    let problem = json_with(
        app.put(
            ANNA,
            NOTIFICATIONS,
            &json!({ "muted": vec!["applied"; 65] }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["muted"]);
    let settings = json_with(app.get(ANNA, NOTIFICATIONS).await, StatusCode::OK).await;
    assert_eq!(settings["muted"], json!([]), "nothing was written");

    let saved = json_with(
        app.put(ANNA, NOTIFICATIONS, &json!({ "muted": ["submitted"] }))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(saved["muted"], json!(["submitted"]));

    // Submitted: Bernd (the other admin) and the partners hear of it, Anna not.
    let req = json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    let after_submit = mailed(&app).await;
    assert_eq!(count(&after_submit, ANNA), 0, "{after_submit:?}");
    assert_eq!(count(&after_submit, BERND), 1, "{after_submit:?}");
    assert!(
        after_submit.len() >= 3,
        "the partners are told: {after_submit:?}"
    );

    // Withdrawn is not muted: she is mailed.
    let id = req["id"].as_str().unwrap();
    json_with(
        app.post(
            ANNA,
            &format!("/api/v1/partner-changes/{id}/withdraw"),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let after_withdraw = mailed(&app).await;
    assert_eq!(count(&after_withdraw, ANNA), 1, "{after_withdraw:?}");
    assert_eq!(count(&after_withdraw, BERND), 2);

    // Security mails cannot be muted: she mutes everything, changes her
    // password, and is told.
    json_with(
        app.put(
            ANNA,
            NOTIFICATIONS,
            &json!({ "muted": ["submitted", "withdrawn", "applied", "rejected", "awaiting_partner", "accepted", "declined", "expired"] }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let res = app
        .post(
            ANNA,
            "/api/v1/me/password",
            &json!({ "current_password": kontor::demo::DEMO_PASSWORD, "new_password": "Kranich-Lavendel-Ostsee-42" }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let after_password = mailed(&app).await;
    assert_eq!(count(&after_password, ANNA), 2, "{after_password:?}");

    let audit = json_with(
        app.get(
            "olga@vendor.example",
            "/api/v1/audit?action=notifications_changed",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let items = audit["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{audit}");
}

#[tokio::test]
async fn roles_without_change_mails_are_told_so_and_the_portal_form_saves_the_boxes() {
    let app = TestApp::spawn().await;
    let partner = json_with(app.get(PAUL, NOTIFICATIONS).await, StatusCode::OK).await;
    assert_eq!(partner["partner_change_mails"], false);
    let paul = browser(&app, PAUL, "de").await;
    let (_, html) = page(&app, &paul, "/account/settings").await;
    assert!(html.contains("keine E-Mails zu Partnerwechseln"), "{html}");
    assert!(!html.contains("name=\"mail\""));

    // Anna keeps every box but "applied" checked.
    let anna = browser(&app, ANNA, "de").await;
    let (_, html) = page(&app, &anna, "/account/settings").await;
    assert_eq!(html.matches("name=\"mail\"").count(), 16);
    assert_eq!(
        html.matches(" checked>").count(),
        16,
        "every mail by default"
    );
    let token = hidden(&html, "csrf");
    let mut form: Vec<(&str, &str)> = [
        "submitted",
        "withdrawn",
        "rejected",
        "awaiting_partner",
        "accepted",
        "declined",
        "expired",
        "escalated",
        "disputed",
        "dispute_released",
        "renewal_named",
        "renewal_withdrawn",
        "renewal_applied",
        "renewal_rejected",
        "renewal_lapsed",
    ]
    .iter()
    .map(|e| ("mail", *e))
    .collect();
    form.push(("csrf", &token));
    let res = anna
        .post(format!("{}/account/settings/notifications", app.base))
        .header("origin", &app.base)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &anna, "/account/settings?saved=notifications").await;
    assert!(html.contains("Ihre Benachrichtigungen sind gespeichert."));
    assert!(html.contains("value=\"applied\">"), "unchecked: {html}");
    assert_eq!(html.matches(" checked>").count(), 15);
    let api = json_with(app.get(ANNA, NOTIFICATIONS).await, StatusCode::OK).await;
    assert_eq!(api["muted"], json!(["applied"]));

    // Without the form's token nothing changes.
    let res = anna
        .post(format!("{}/account/settings/notifications", app.base))
        .header("origin", &app.base)
        .form(&[("mail", "applied")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let api = json_with(app.get(ANNA, NOTIFICATIONS).await, StatusCode::OK).await;
    assert_eq!(api["muted"], json!(["applied"]));
}
