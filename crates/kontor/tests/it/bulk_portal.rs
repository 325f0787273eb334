//! #22 point 3: changing the partner of many agreements at once in the
//! portal. Chosen on the list (or all matching its filter), previewed with
//! one row per agreement (eligible or every reason, R4/R5), submitted once
//! — a reload or a second post adds nothing (R7) — with a result table of
//! each request's state and the same as CSV; another account's admin, a
//! user and a partner do not get at the run (R1).

use reqwest::StatusCode;
use time::Duration;

use crate::helpers::*;
use crate::portal::{browser, hidden, page};

const ANNA: &str = "anna@muster.example";
const BIM: &str = "5100000002";

async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(String, String)],
) -> reqwest::Response {
    client
        .post(format!("{}{path}", app.base))
        .header("origin", &app.base)
        .form(form)
        .send()
        .await
        .unwrap()
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn five_hundred_agreements_are_previewed_submitted_once_and_downloaded_as_they_stand() {
    let app = TestApp::spawn().await;
    // 500 contracts far from their end, plus the demo's, of which some
    // cannot change (auto-renew, expired, …).
    let rows: Vec<(String, String)> = (0..500)
        .map(|i| {
            (
                format!("1199{i:08}"),
                (START + Duration::days(400)).date().to_string(),
            )
        })
        .collect();
    let refs: Vec<(String, &str)> = rows.iter().map(|(n, e)| (n.clone(), e.as_str())).collect();
    app.import_muster_contracts(&refs).await;
    let anna = browser(&app, ANNA, "de").await;
    let (_, list) = page(&app, &anna, "/agreements").await;
    assert!(list.contains("name=\"agreement\""), "admins choose rows");
    let csrf = hidden(&list, "csrf");

    // Nothing chosen: back to the list, which says so.
    let res = post_form(
        &app,
        &anna,
        "/agreements/bulk",
        &[("csrf".into(), csrf.clone())],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &anna, &location(&res)).await;
    assert!(html.contains("Wählen Sie zuerst mindestens einen Vertrag aus."));

    // The 500 plus two that cannot change.
    let mut form: Vec<(String, String)> = vec![("csrf".into(), csrf.clone())];
    form.extend(rows.iter().map(|(n, _)| ("agreement".into(), n.clone())));
    form.push(("agreement".into(), "110000000002".into())); // auto-renew
    form.push(("agreement".into(), "110000000004".into())); // expired
    let started = std::time::Instant::now();
    let res = post_form(&app, &anna, "/agreements/bulk", &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let run = location(&res);
    assert!(run.starts_with("/agreements/bulk/"), "{run}");
    let (s, html) = page(&app, &anna, &format!("{run}?csn={BIM}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(html.matches("<tr data-agreement=").count(), 502);
    assert_eq!(html.matches("Kann wechseln").count(), 500);
    assert!(html.contains("Partner der 500 Verträge wechseln, die wechseln können"));
    assert!(html.contains("Verlängert sich automatisch"), "every reason");

    // Another account's admin, a user, a partner: not found (R1).
    for who in [
        "dora@example-ltd.example",
        "carla@muster.example",
        "paul@cad-partner.example",
    ] {
        let other = browser(&app, who, "de").await;
        assert_eq!(
            page(&app, &other, &run).await.0,
            StatusCode::NOT_FOUND,
            "{who}"
        );
    }

    let submit = vec![
        ("csrf".to_owned(), csrf.clone()),
        ("csn".to_owned(), BIM.to_owned()),
    ];
    let res = post_form(&app, &anna, &run, &submit).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    // Posted again (a reload, a second tab): nothing more is made.
    let again = post_form(&app, &anna, &run, &submit).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.counts().await["change_requests"],
        500,
        "one request each"
    );

    let (_, html) = page(&app, &anna, &run).await;
    assert!(
        html.contains("500 Wechsel wurden beantragt; 2 Verträge wurden ausgelassen"),
        "{html}"
    );
    assert!(
        html.contains("Neuer Partner: <strong>BIM Solutions AG (Berlin, 5100000002)</strong>"),
        "the partner chosen is named"
    );
    assert_eq!(
        html.matches("In Bearbeitung").count(),
        500,
        "each request's state: {}",
        &html[html.len().saturating_sub(3000)..]
    );

    // The CSV holds the same rows, in the same order.
    let csv = anna
        .get(format!("{}{run}/result.csv", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    // In Anna's words, as the portal's other downloads.
    assert_eq!(
        lines[0],
        "Vertrag,Ergebnis,Anfrage,Stand der Anfrage,Warum nicht"
    );
    assert_eq!(lines.len(), 503);
    assert!(
        lines[1].starts_with("119900000000,Beantragt,") && lines[1].ends_with(",In Bearbeitung,"),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[501],
        "110000000002,Nicht möglich,,,Verlängert sich automatisch"
    );
    assert_eq!(lines[502], "110000000004,Nicht möglich,,,Laufzeit beendet");

    // The worker applies them: the result shows where each stands now.
    app.advance(Duration::minutes(61));
    app.run_worker().await;
    // (Signed in again: the session idled out meanwhile.)
    let anna = browser(&app, ANNA, "de").await;
    let (_, html) = page(&app, &anna, &run).await;
    assert_eq!(html.matches("Durchgeführt").count(), 500, "{html}");
}

#[tokio::test]
async fn all_matching_the_list_filter_are_chosen_on_the_server() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, ANNA, "de").await;
    let (_, list) = page(&app, &anna, "/agreements?kind=subscription").await;
    let csrf = hidden(&list, "csrf");
    let form: Vec<(String, String)> = [
        ("csrf", csrf.as_str()),
        ("all", "1"),
        ("kind", "subscription"),
        ("status", ""),
        ("partner", ""),
        ("q", ""),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let res = post_form(&app, &anna, "/agreements/bulk", &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &anna, &location(&res)).await;
    // Muster Bau's two subscriptions, nothing else.
    assert!(html.contains("2 Verträge ausgewählt"), "{html}");
    assert!(html.contains("12000000000001") && html.contains("12000000000002"));
    assert!(!html.contains("110000000001"));
}
