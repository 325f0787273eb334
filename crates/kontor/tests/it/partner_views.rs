//! #19: what partners see of the changes that concern them — incoming and
//! outgoing tabs with the customer's name and the dates, and each change's
//! own page before it is applied (R1: nobody else finds it).

use reqwest::StatusCode;

use crate::helpers::*;
use crate::portal::{browser, page};

const ANNA: &str = "anna@muster.example";
const PAUL: &str = "paul@cad-partner.example";
const BEN: &str = "ben@bim-solutions.example";

/// The change pages a list links to.
fn change_links(html: &str) -> Vec<String> {
    html.split(r#"<td><a href="/changes/"#)
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn partners_find_each_change_under_its_direction_and_open_its_page_before_it_applies() {
    let app = TestApp::spawn().await;
    // Muster Bau moves 110000000001 from CAD Partner to BIM Solutions.
    let req = json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    let id = req["id"].as_str().unwrap().to_owned();

    let ben = browser(&app, BEN, "de").await;
    let (_, incoming) = page(&app, &ben, "/changes").await;
    assert_eq!(
        change_links(&incoming),
        std::slice::from_ref(&id),
        "incoming is the default tab"
    );
    assert!(
        incoming.contains("Muster Bau AG (7000000001)"),
        "the customer by name"
    );
    assert!(incoming.contains(r#"href="/changes?tab=incoming" aria-current="page""#));
    let (_, outgoing) = page(&app, &ben, "/changes?tab=outgoing").await;
    assert!(change_links(&outgoing).is_empty());
    let paul = browser(&app, PAUL, "de").await;
    assert!(change_links(&page(&app, &paul, "/changes").await.1).is_empty());
    assert_eq!(
        change_links(&page(&app, &paul, "/changes?tab=outgoing").await.1),
        std::slice::from_ref(&id)
    );

    // The change's own page for the new partner, before it serves the agreement.
    let (status, html) = page(&app, &ben, &format!("/changes/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Partnerwechsel für Vertrag 110000000001"),
        "{html}"
    );
    assert!(html.contains("Muster Bau AG (7000000001)"));
    assert!(html.contains("AutoCAD (5 Plätze)"), "what it will serve");
    assert!(html.contains("Wird durchgeführt am"));
    assert!(
        !html.contains(r#"href="/agreements/110000000001""#),
        "not its agreement yet"
    );
    assert!(
        !html.contains("/withdraw"),
        "only the customer's admins withdraw"
    );
    let (_, html) = page(
        &app,
        &browser(&app, ANNA, "de").await,
        &format!("/changes/{id}"),
    )
    .await;
    assert!(html.contains(&format!(r#"href="/partner-changes/{id}/withdraw""#)));
    assert!(html.contains(r#"href="/agreements/110000000001""#));
    // Another customer does not find it (R1).
    let dora = browser(&app, "dora@example-ltd.example", "en").await;
    assert_eq!(
        page(&app, &dora, &format!("/changes/{id}")).await.0,
        StatusCode::NOT_FOUND
    );

    // Applied: the new partner opens the agreement from the change.
    app.advance(time::Duration::hours(2));
    assert_eq!(app.run_worker().await.applied, 1);
    let ben = browser(&app, BEN, "de").await;
    let (_, html) = page(&app, &ben, &format!("/changes/{id}")).await;
    assert!(
        html.contains(r#"href="/agreements/110000000001""#),
        "{html}"
    );
    assert!(html.contains("betreut BIM Solutions AG"));
}

#[tokio::test]
async fn the_api_lists_a_partners_incoming_and_outgoing_changes() {
    let app = TestApp::spawn().await;
    json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    let count = |v: serde_json::Value| v["items"].as_array().unwrap().len();
    let list = |who: &'static str, q: &'static str| {
        let app = &app;
        async move {
            json_with(
                app.get(who, &format!("/api/v1/partner-changes?{q}")).await,
                StatusCode::OK,
            )
            .await
        }
    };
    assert_eq!(count(list(BEN, "new_partner=5100000002").await), 1);
    assert_eq!(count(list(BEN, "old_partner=5100000002").await), 0);
    assert_eq!(count(list(PAUL, "old_partner=5100-000001").await), 1);
    assert_eq!(count(list(PAUL, "new_partner=5100000001").await), 0);
    // The filter narrows what the caller sees; it never widens it (R1).
    assert_eq!(
        count(list("dora@example-ltd.example", "new_partner=5100000002").await),
        0
    );
    let problem = json_with(
        app.get(BEN, "/api/v1/partner-changes?new_partner=51").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["new_partner"]);
}
