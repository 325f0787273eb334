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
