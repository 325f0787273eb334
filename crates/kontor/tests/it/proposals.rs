//! #22 point 7: the vendor proposes a new partner. An operator names the
//! successor of a partner serving 50 customers: each account's admins are
//! mailed once — proposing again mails nobody — with the proposed partner
//! and a link that opens the change with it found; the operator sees who
//! changed, who requested and who did nothing, and reminds only the last.

use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;

use crate::helpers::*;

const OLGA: &str = "olga@vendor.example";
const SAM: &str = "sam@vendor.example";
const ANNA: &str = "anna@muster.example";
const OLD: &str = "5100000009";
const NEW: &str = "5100000002"; // BIM Solutions, active

fn account(i: usize) -> String {
    format!("80000000{i:02}")
}

fn agreement(i: usize) -> String {
    format!("1300000000{i:02}")
}

fn admin(i: usize) -> String {
    format!("admin{i}@kunde{i}.example")
}

/// A partner serving 50 customer accounts, one agreement each.
async fn fifty_customers(app: &TestApp) {
    let accounts: Vec<Value> = (1..=50)
        .map(|i| {
            json!({"csn": account(i), "name": format!("Kunde {i} GmbH"), "country": "DE",
                "users": [{"email": admin(i), "name": format!("Admin {i}"),
                    "role": "primary_admin", "lang": "de", "password": "kontor-demo"}]})
        })
        .collect();
    let agreements: Vec<Value> = (1..=50)
        .map(|i| {
            json!({"number": agreement(i), "kind": "contract", "account": account(i),
                "products": [{"name": "Inventor", "seats": 1}],
                "term_start": "2026-01-01", "term_end": "2027-12-31", "auto_renew": false,
                "program": "standard", "support_level": "standard", "status": "active",
                "partners": [OLD]})
        })
        .collect();
    let doc = json!({
        "partners": [{"csn": OLD, "name": "Nordpartner AG", "city": "Kiel", "country": "DE",
            "status": "active", "email": "info@nordpartner.example"}],
        "accounts": accounts,
        "agreements": agreements,
    });
    json_with(app.post(OLGA, "/api/v1/import", &doc).await, StatusCode::OK).await;
}

async fn propose(app: &TestApp, who: &str, from: &str, to: &str) -> reqwest::Response {
    app.post(
        who,
        "/api/v1/partner-proposals",
        &json!({ "from_partner": from, "to_partner": to }),
    )
    .await
}

fn progress(p: &Value) -> Vec<(String, String)> {
    p["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["account"].as_str().unwrap().to_owned(),
                a["progress"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A partner change by an imported admin (not a demo login).
async fn submit_as(app: &TestApp, email: &str, number: &str) {
    let token = json_with(
        app.client
            .post(format!("{}/api/v1/tokens", app.base))
            .json(&json!({ "email": email, "password": "kontor-demo", "label": "test" }))
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    let res = app
        .client
        .post(format!("{}/api/v1/partner-changes", app.base))
        .bearer_auth(token["token"].as_str().unwrap())
        .json(&json!({ "agreement": number, "new_partner": NEW }))
        .send()
        .await
        .unwrap();
    json_with(res, StatusCode::ACCEPTED).await;
}

async fn proposal_mails(app: &TestApp) -> Vec<String> {
    app.mails()
        .await
        .into_iter()
        .filter(|d| d.kind == "partner_proposal")
        .map(|d| d.recipient.unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn each_customer_is_told_once_and_the_operator_sees_who_acted() {
    let app = TestApp::spawn().await;
    fifty_customers(&app).await;
    let made = json_with(propose(&app, OLGA, OLD, NEW).await, StatusCode::CREATED).await;
    let id = made["id"].as_str().unwrap().to_owned();
    assert_eq!(made["accounts"].as_array().unwrap().len(), 50);
    assert!(progress(&made).iter().all(|(_, p)| p == "none"));
    let mut mailed = proposal_mails(&app).await;
    mailed.sort();
    let mut expected: Vec<String> = (1..=50).map(admin).collect();
    expected.sort();
    assert_eq!(mailed, expected, "each account's admin once");

    // The mail names the partner and links the change with it found.
    let raw = std::fs::read_dir(app.dir.path().join("mail"))
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .find(|m| m.contains(&admin(7)))
        .expect("the mail to account 7");
    let raw = raw
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    assert!(raw.contains("BIM Solutions"), "{raw}");
    assert!(raw.contains(NEW), "{raw}");
    assert!(
        raw.contains(&format!(
            "/agreements/{}/partner/review?csn={NEW}",
            agreement(7)
        )),
        "{raw}"
    );
    let customer = crate::portal::browser(&app, &admin(7), "de").await;
    let (status, html) = crate::portal::page(
        &app,
        &customer,
        &format!("/agreements/{}/partner/review?csn={NEW}", agreement(7)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("BIM Solutions"),
        "the partner is found: {html}"
    );

    // Proposing again mails nobody.
    let again = json_with(propose(&app, OLGA, OLD, NEW).await, StatusCode::CONFLICT).await;
    assert_eq!(again["type"], "urn:kontor:problem:proposal_exists");
    assert_eq!(proposal_mails(&app).await.len(), 50);

    // Account 1 changes (applied), account 2 requests; the rest wait.
    submit_as(&app, &admin(1), &agreement(1)).await;
    app.advance(Duration::minutes(61));
    assert_eq!(app.run_worker().await.applied, 1);
    submit_as(&app, &admin(2), &agreement(2)).await;
    let now = json_with(
        app.get(SAM, &format!("/api/v1/partner-proposals/{id}"))
            .await,
        StatusCode::OK,
    )
    .await;
    let p = progress(&now);
    assert_eq!(p[0], (account(1), "changed".to_owned()));
    assert_eq!(p[1], (account(2), "requested".to_owned()));
    assert!(p[2..].iter().all(|(_, s)| s == "none"), "{p:?}");

    // Only the 48 who did nothing are reminded.
    let reminded = json_with(
        app.post(
            OLGA,
            &format!("/api/v1/partner-proposals/{id}/remind"),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(reminded["reminded"], 48);
    let mailed = proposal_mails(&app).await;
    assert_eq!(mailed.len(), 98);
    for i in [1, 2] {
        assert_eq!(
            mailed.iter().filter(|m| **m == admin(i)).count(),
            1,
            "account {i} acted"
        );
    }
    let after = json_with(
        app.get(OLGA, &format!("/api/v1/partner-proposals/{id}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(after["accounts"][2]["reminders"], 1);
    assert_eq!(after["accounts"][0]["reminders"], 0);
    let actions = audit_actions(&app).await;
    assert_eq!(
        actions.iter().filter(|a| *a == "partner_proposed").count(),
        1
    );
    assert_eq!(
        actions.iter().filter(|a| *a == "proposal_reminded").count(),
        1
    );
}

#[tokio::test]
async fn only_operators_propose_an_active_other_partner() {
    let app = TestApp::spawn().await;
    for who in [SAM, ANNA, "paul@cad-partner.example"] {
        assert_eq!(
            propose(&app, who, "5100000001", NEW).await.status(),
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    for (from, to, field) in [
        ("5100000001", "5100000003", "to_partner"), // inactive
        ("5100000001", "5100000001", "to_partner"), // the same
        ("5100000001", "5100000077", "to_partner"), // unknown
        ("5100000077", NEW, "from_partner"),        // unknown
        ("51", NEW, "from_partner"),                // malformed
    ] {
        let problem = json_with(
            propose(&app, OLGA, from, to).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&problem), [field], "{from} → {to}");
    }
    let listed = json_with(
        app.get(OLGA, "/api/v1/partner-proposals").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed["items"], json!([]), "nothing written");
    assert_eq!(
        app.get(ANNA, "/api/v1/partner-proposals").await.status(),
        StatusCode::FORBIDDEN
    );
}

/// An account with several agreements of the replaced partner: the mail's
/// link opens a change of all of them with the proposed partner found;
/// nobody else finds the proposal (R1).
#[tokio::test]
async fn the_link_for_several_agreements_opens_them_all_with_the_partner_found() {
    use crate::portal::{browser, page};
    let app = TestApp::spawn().await;
    let made = json_with(
        propose(&app, OLGA, "5100000001", NEW).await,
        StatusCode::CREATED,
    )
    .await;
    let id = made["id"].as_str().unwrap();
    let muster = &made["accounts"][0];
    assert_eq!(muster["account"], "7000000001");
    // In force only: the expired and the canceled contract are left out.
    let numbers = muster["agreements"].as_array().unwrap();
    assert!(!numbers.contains(&json!("110000000004")), "{numbers:?}");
    assert!(!numbers.contains(&json!("110000000009")), "{numbers:?}");
    assert!(numbers.contains(&json!("110000000001")));

    let anna = browser(&app, ANNA, "de").await;
    let res = anna
        .get(format!("{}/agreements/proposed/{id}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(to.ends_with(&format!("?csn={NEW}")), "{to}");
    let (status, html) = page(&app, &anna, &to).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("BIM Solutions"), "{html}");
    assert!(html.contains("110000000008"), "{html}");

    for who in ["dora@example-ltd.example", "carla@muster.example"] {
        let other = browser(&app, who, "en").await;
        assert_eq!(
            page(&app, &other, &format!("/agreements/proposed/{id}"))
                .await
                .0,
            StatusCode::NOT_FOUND,
            "{who}"
        );
    }
}
