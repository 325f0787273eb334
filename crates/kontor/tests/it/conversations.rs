//! #19: support cases as conversations — the customer and support reply
//! to each other, each reply is mailed to the other side in their
//! language, the customer sees whose turn it is, support a queue of open
//! cases oldest first.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use crate::portal::{browser, hidden, page};

const ANNA: &str = "anna@muster.example";
const SAM: &str = "sam@vendor.example";

async fn open_case(app: &TestApp) -> String {
    let c = json_with(
        app.post(
            ANNA,
            "/api/v1/support-cases",
            &json!({ "agreement": "110000000011", "replace_partner": "5100000001",
                     "new_partner": "5100000004", "message": "Bitte nur CAD ersetzen." }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    c["id"].as_str().unwrap().to_owned()
}

/// To whom case-reply mails went so far, in the order sent.
async fn reply_mails(app: &TestApp) -> Vec<String> {
    app.mails()
        .await
        .into_iter()
        .filter(|d| d.kind == "case_reply")
        .filter_map(|d| d.recipient)
        .collect()
}

async fn reply(app: &TestApp, who: &str, id: &str, body: &str) -> reqwest::Response {
    app.post(
        who,
        &format!("/api/v1/support-cases/{id}/messages"),
        &json!({ "body": body }),
    )
    .await
}

#[tokio::test]
async fn three_replies_go_back_and_forth_each_mailed_to_the_other_side() {
    let app = TestApp::spawn().await;
    let id = open_case(&app).await;
    let case = |who: &'static str| {
        let (app, id) = (&app, id.clone());
        async move {
            json_with(
                app.get(who, &format!("/api/v1/support-cases/{id}")).await,
                StatusCode::OK,
            )
            .await
        }
    };
    assert_eq!(case(ANNA).await["waiting_on"], "support");

    // Support asks, the customer answers, support confirms.
    json_with(
        reply(&app, SAM, &id, "Welcher Standort ist betroffen?").await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(case(ANNA).await["waiting_on"], "customer");
    assert_eq!(
        reply_mails(&app).await,
        [SAM, ANNA],
        "support agents are told of the new case, the customer who opened it of the answer"
    );
    json_with(
        reply(&app, ANNA, &id, "  Nur München.\nDanke!  ").await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(case(SAM).await["waiting_on"], "support");
    assert_eq!(
        reply_mails(&app).await,
        [SAM, ANNA, SAM],
        "support agents are told"
    );
    json_with(
        reply(&app, SAM, &id, "Erledigt wir ersetzen CAD.").await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(reply_mails(&app).await, [SAM, ANNA, SAM, ANNA]);

    let list = json_with(
        app.get(ANNA, &format!("/api/v1/support-cases/{id}/messages"))
            .await,
        StatusCode::OK,
    )
    .await;
    let items = list["items"].as_array().unwrap();
    let sides: Vec<&str> = items.iter().map(|m| m["side"].as_str().unwrap()).collect();
    assert_eq!(sides, ["support", "customer", "support"]);
    assert_eq!(
        items[1]["body"], "Nur München.\nDanke!",
        "trimmed, lines kept"
    );
    assert_eq!(items[0]["author"], "Sam Support");

    // The customer's page: whose turn it is, the conversation, a reply form.
    let anna = browser(&app, ANNA, "de").await;
    let (_, html) = page(&app, &anna, &format!("/support-cases/{id}")).await;
    assert!(html.contains("Wartet auf Ihre Antwort"), "{html}");
    assert!(html.contains("Welcher Standort ist betroffen?") && html.contains("<p>Danke!</p>"));
    let (_, list) = page(&app, &anna, "/support-cases").await;
    assert!(list.contains("Wartet auf Ihre Antwort"));

    // Resolved: nobody replies any more.
    json_with(
        app.post(
            SAM,
            &format!("/api/v1/support-cases/{id}/resolve"),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let problem = json_with(
        reply(&app, ANNA, &id, "Noch etwas").await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["type"], "urn:kontor:problem:not_open", "{problem}");
    let (_, html) = page(&app, &anna, &format!("/support-cases/{id}")).await;
    assert!(html.contains("Gelöst") && !html.contains("/reply"));
}

#[tokio::test]
async fn a_reply_needs_words_and_a_side_and_the_queue_starts_with_the_longest_waiting() {
    let app = TestApp::spawn().await;
    let first = open_case(&app).await;
    for body in ["", "   ", &"x".repeat(5001)] {
        let problem = json_with(
            reply(&app, ANNA, &first, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&problem), ["body"], "{body:?}");
    }
    assert!(
        json_with(
            reply(&app, ANNA, &first, &"x".repeat(5000)).await,
            StatusCode::CREATED
        )
        .await["id"]
            .is_string()
    );
    // Carla (a user) does not see the case; a partner neither; another
    // account's admin neither (R1).
    for who in [
        "carla@muster.example",
        "paul@cad-partner.example",
        "dora@example-ltd.example",
    ] {
        assert_eq!(
            reply(&app, who, &first, "hallo").await.status(),
            StatusCode::NOT_FOUND,
            "{who}"
        );
    }
    assert_eq!(
        app.get(ANNA, &format!("/api/v1/support-cases/{first}/messages"))
            .await
            .status(),
        StatusCode::OK
    );

    // A second case, opened later; the queue lists both, oldest first.
    app.advance(time::Duration::minutes(5));
    let second = json_with(
        app.post(
            ANNA,
            "/api/v1/support-cases",
            &json!({ "agreement": "110000000011", "replace_partner": "5100000002", "new_partner": "5100000004" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let second = second["id"].as_str().unwrap();
    let sam = browser(&app, SAM, "en").await;
    let (_, queue) = page(&app, &sam, "/support-cases").await;
    let (a, b) = (queue.find(&first).unwrap(), queue.find(second).unwrap());
    assert!(a < b, "the longest waiting first");
    assert!(queue.contains("Waiting for support") && queue.contains("Muster Bau AG (7000000001)"));
    let (_, all) = page(&app, &sam, "/support-cases?all=1").await;
    assert!(
        all.find(second).unwrap() < all.find(&first).unwrap(),
        "all cases: newest first"
    );

    // The portal form: an empty reply keeps the page with the problem.
    let (_, html) = page(&app, &sam, &format!("/support-cases/{second}")).await;
    let token = hidden(&html, "csrf");
    let res = sam
        .post(format!("{}/support-cases/{second}/reply", app.base))
        .header("origin", &app.base)
        .form(&[("body", "  "), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains(r#"id="reply-error""#));
    let res = sam
        .post(format!("{}/support-cases/{second}/reply", app.base))
        .header("origin", &app.base)
        .form(&[("body", "We are on it."), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &sam, &format!("/support-cases/{second}")).await;
    assert!(html.contains("We are on it.") && html.contains("Waiting for the customer"));
}
