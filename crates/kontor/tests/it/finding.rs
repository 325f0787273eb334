//! #19: finding agreements — the search takes numbers, products, partner
//! names and partner CSNs, and the list shows each agreement's products.

use reqwest::StatusCode;

use crate::helpers::*;
use crate::portal::{browser, page};

/// The agreement numbers a list page links to.
fn numbers(html: &str) -> Vec<String> {
    let mut found: Vec<String> = html
        .split(r#"<td><a href="/agreements/"#)
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_owned)
        .collect();
    found.sort();
    found
}

#[tokio::test]
async fn the_search_finds_partners_by_name_and_csn_as_well_as_numbers_and_products() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, "anna@muster.example", "de").await;
    // BIM Solutions (5100000002) serves two of Muster Bau's agreements.
    let bim = ["110000000011", "12000000000002"];
    for q in ["BIM", "bim solutions", "5100000002", "5100-000002"] {
        let (status, html) = page(
            &app,
            &anna,
            &format!("/agreements?q={}", q.replace(' ', "+")),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(numbers(&html), bim, "{q}");
    }
    // Numbers and products as before; a partner that serves nothing of
    // hers (Design Systems serves Example Ltd) finds nothing (R1).
    let (_, html) = page(&app, &anna, "/agreements?q=1100-0000-0001").await;
    assert!(
        numbers(&html).contains(&"110000000001".to_owned()),
        "{html}"
    );
    let (_, html) = page(&app, &anna, "/agreements?q=revit").await;
    assert!(numbers(&html).len() > 10, "every demo agreement has Revit");
    let (_, html) = page(&app, &anna, "/agreements?q=Design+Systems").await;
    assert!(numbers(&html).is_empty(), "{html}");
    // The list names each agreement's products with their seats.
    assert!(
        page(&app, &anna, "/agreements")
            .await
            .1
            .contains("AutoCAD (5 Plätze)"),
        "products column"
    );
}

/// The agreement numbers a list page links to, in the page's order.
fn in_order(html: &str) -> Vec<String> {
    html.split(r#"<td><a href="/agreements/"#)
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// The `rel="next"` link of a list page, unescaped.
fn next_link(html: &str) -> Option<String> {
    let (before, _) = html.split_once(r#"" rel="next""#)?;
    let href = before.rsplit_once(r#"href=""#)?.1;
    Some(href.replace("&amp;", "&").replace("&#38;", "&"))
}

/// Every agreement of the list sorted by `sort`, page after page.
async fn walk(app: &TestApp, client: &reqwest::Client, sort: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut path = format!("/agreements?sort={sort}");
    for _ in 0..10 {
        let (status, html) = page(app, client, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        seen.extend(in_order(&html));
        match next_link(&html) {
            Some(next) => path = next,
            None => return seen,
        }
    }
    panic!("the pages do not end: {path} after {seen:?}");
}

#[tokio::test]
async fn every_sort_order_walks_every_agreement_once_across_pages_ties_broken_by_number() {
    let app = TestApp::spawn().await;
    // 60 more agreements of Muster Bau, their term ends on only five days:
    // pages of 25 break inside runs of equal term ends.
    let ends = [
        "2027-03-31",
        "2027-06-30",
        "2027-01-31",
        "2028-12-31",
        "2027-06-30",
    ];
    let contracts: Vec<(String, &str)> = (0..60)
        .map(|i| (format!("1100000006{i:02}"), ends[i % ends.len()]))
        .collect();
    app.import_muster_contracts(&contracts).await;
    // What the list must show, from the API: (term end, number).
    let mut all: Vec<(String, String)> = Vec::new();
    let mut path = "/api/v1/agreements?limit=100".to_owned();
    loop {
        let page = json_with(app.get("anna@muster.example", &path).await, StatusCode::OK).await;
        for a in page["items"].as_array().unwrap() {
            all.push((
                a["term_end"].as_str().unwrap().to_owned(),
                a["number"].as_str().unwrap().to_owned(),
            ));
        }
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/agreements?limit=100&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(all.len(), 74);
    let numbers = |v: &[(String, String)]| v.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>();
    let mut by_number = all.clone();
    by_number.sort_by(|a, b| a.1.cmp(&b.1));
    let mut by_end = all.clone();
    by_end.sort();

    let anna = browser(&app, "anna@muster.example", "de").await;
    assert_eq!(walk(&app, &anna, "number").await, numbers(&by_number));
    assert_eq!(walk(&app, &anna, "term_end").await, numbers(&by_end));
    by_number.reverse();
    by_end.reverse();
    assert_eq!(walk(&app, &anna, "-number").await, numbers(&by_number));
    assert_eq!(walk(&app, &anna, "-term_end").await, numbers(&by_end));

    // The headers: the sorted column says so and reverses on the next click.
    let (_, html) = page(&app, &anna, "/agreements?sort=term_end").await;
    assert!(html.contains(r#"aria-sort="ascending""#), "{html}");
    assert!(
        html.contains("sort=-term_end"),
        "the header reverses the order"
    );
    assert_eq!(html.matches("aria-sort").count(), 1);
    // An order kontor does not know lists by number.
    let (status, html) = page(&app, &anna, "/agreements?sort=price").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        in_order(&html),
        numbers(&by_number.iter().rev().take(25).cloned().collect::<Vec<_>>())
    );
}

/// The partner filter's choices: (CSN, label).
fn partner_choices(html: &str) -> Vec<String> {
    let Some((_, select)) = html.split_once(r#"<select id="f-partner""#) else {
        return Vec::new();
    };
    let select = select.split("</select>").next().unwrap_or_default();
    select
        .split(r#"<option value=""#)
        .skip(2)
        .filter_map(|o| o.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_partner_filter_offers_the_partners_serving_the_person_and_follows_changes() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, "anna@muster.example", "de").await;
    let (_, html) = page(&app, &anna, "/agreements").await;
    // Design Systems serves Example Ltd only: not offered here (R1).
    assert_eq!(
        partner_choices(&html),
        ["5100000002", "5100000001"],
        "by name: BIM, CAD"
    );
    let (_, html) = page(&app, &anna, "/agreements?partner=5100000002").await;
    assert_eq!(numbers(&html), ["110000000011", "12000000000002"]);
    assert!(html.contains(r#"<option value="5100000002" selected>"#));
    // Carla sees the partners of the agreement assigned to her.
    let carla = browser(&app, "carla@muster.example", "de").await;
    assert_eq!(
        partner_choices(&page(&app, &carla, "/agreements").await.1),
        ["5100000001"]
    );
    // Partners and vendor staff have no such filter.
    let paul = browser(&app, "paul@cad-partner.example", "de").await;
    assert!(partner_choices(&page(&app, &paul, "/agreements").await.1).is_empty());

    // Once a change to Design Systems is applied, it is offered.
    json_with(
        app.submit("anna@muster.example", "110000000001", "5100000004")
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    app.advance(time::Duration::hours(2));
    assert_eq!(app.run_worker().await.applied, 1);
    let anna = browser(&app, "anna@muster.example", "de").await;
    let (_, html) = page(&app, &anna, "/agreements").await;
    assert_eq!(
        partner_choices(&html),
        ["5100000002", "5100000001", "5100000004"]
    );
}

#[tokio::test]
async fn the_support_levels_page_names_the_persons_own_level_and_how_to_reach_support() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, "anna@muster.example", "de").await;
    let (status, html) = page(&app, &anna, "/support-levels").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Ihre Supportstufe: Premium"), "{html}");
    assert!(html.contains("Ihre aktiven Verträge enthalten Standard, Advanced und Premium."));
    assert_eq!(html.matches("Ihre Stufe").count(), 3);
    assert!(html.contains(r#"href="/support-cases""#));
    // Carla's one agreement is Advanced.
    let carla = browser(&app, "carla@muster.example", "de").await;
    let (_, html) = page(&app, &carla, "/support-levels").await;
    assert!(html.contains("Ihre Supportstufe: Advanced"), "{html}");
    assert!(html.contains("Ihre aktiven Verträge enthalten Advanced."));
    assert_eq!(html.matches("Ihre Stufe").count(), 1);
    // A partner reads the table without a level of their own.
    let paul = browser(&app, "paul@cad-partner.example", "de").await;
    let (_, html) = page(&app, &paul, "/support-levels").await;
    assert!(!html.contains("Ihre Supportstufe"));
    assert!(html.contains("Rund um die Uhr"));
}
