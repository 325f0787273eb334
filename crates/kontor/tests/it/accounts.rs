//! #19: the back office's directory of customer accounts — search by name
//! or CSN, and one page per account with its agreements, people and
//! support cases.

use reqwest::StatusCode;

use crate::helpers::*;
use crate::portal::{browser, page};

/// The account pages a directory page links to.
fn account_links(html: &str) -> Vec<String> {
    html.split(r#"<a href="/back-office/accounts/"#)
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn vendor_staff_find_an_account_and_see_its_agreements_people_and_cases() {
    let app = TestApp::spawn().await;
    let sam = browser(&app, "sam@vendor.example", "en").await;
    let (status, html) = page(&app, &sam, "/back-office/accounts").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(account_links(&html), ["7000000001", "7000000002"]);
    for q in ["muster", "MUSTER+BAU", "7000000001", "00001"] {
        let (_, html) = page(&app, &sam, &format!("/back-office/accounts?q={q}")).await;
        assert_eq!(account_links(&html), ["7000000001"], "{q}");
    }
    let (_, html) = page(&app, &sam, "/back-office/accounts?q=nobody").await;
    assert!(html.contains("No customer account matches this search."));

    let (status, html) = page(&app, &sam, "/back-office/accounts/7000000002").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Example Ltd</h1>"), "{html}");
    assert!(
        html.contains(r#"href="/agreements/110000000101""#),
        "its agreements"
    );
    assert!(
        !html.contains(r#"href="/agreements/110000000001""#),
        "not another account's"
    );
    assert!(html.contains("ed@example-ltd.example") && !html.contains("anna@muster.example"));
    assert!(html.contains(r#"href="/back-office/audit?account=7000000002""#));
    assert_eq!(
        page(&app, &sam, "/back-office/accounts/7000000999").await.0,
        StatusCode::NOT_FOUND
    );

    // The whole agreement list of one account, for vendor staff.
    let (_, list) = page(&app, &sam, "/agreements?account=7000000002").await;
    assert!(
        list.contains("Only the agreements of Example Ltd (7000000002)."),
        "{list}"
    );
    assert!(list.contains("110000000101") && !list.contains(r#"href="/agreements/110000000001""#));
    // A customer cannot widen their list with it (R1).
    let anna = browser(&app, "anna@muster.example", "de").await;
    let (_, mine) = page(&app, &anna, "/agreements?account=7000000002").await;
    assert!(!mine.contains("110000000101"));
    assert_eq!(
        page(&app, &anna, "/back-office/accounts").await.0,
        StatusCode::FORBIDDEN
    );
}
