//! #22 point 5: access moves with the change. The moment a change is
//! applied — by the worker, another process — the replaced partner's staff
//! lose the agreement and the new partner's gain it, on every instance,
//! whatever an instance's read cache holds: partner reads go to the
//! database, which every instance shares at commit (R1).

use reqwest::StatusCode;
use time::Duration;

use crate::helpers::*;
use crate::portal::{browser, page};

const ANNA: &str = "anna@muster.example";
const PAUL: &str = "paul@cad-partner.example";
const BEN: &str = "ben@bim-solutions.example";
const AGREEMENT: &str = "110000000001";

/// What partner staff read of the agreement through the API.
const READS: [&str; 3] = [
    "/api/v1/agreements/110000000001",
    "/api/v1/agreements/110000000001/partner-history",
    "/api/v1/agreements/110000000001/partner-change/eligibility",
];

async fn api(instance: &TestApp, token: &str, path: &str) -> StatusCode {
    instance
        .client
        .get(format!("{}{path}", instance.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

fn listed(agreements: &serde_json::Value) -> bool {
    agreements.to_string().contains(AGREEMENT)
}

#[tokio::test]
async fn the_replaced_partner_loses_the_agreement_and_the_new_one_gains_it_on_every_instance_at_once()
 {
    // The feed between instances is effectively off: only the database
    // can tell instance B that the partner changed.
    let a = TestApp::spawn_with(|c| c.cache_poll_ms = 600_000).await;
    let b = a.another_instance().await;
    let (paul, ben) = (a.token(PAUL).await, a.token(BEN).await);
    // B has read the agreement for the old partner (and cached it).
    for path in READS {
        assert_eq!(api(&b, &paul, path).await, StatusCode::OK, "{path}");
        assert_eq!(api(&b, &ben, path).await, StatusCode::NOT_FOUND, "{path}");
    }
    let agreement_page = format!("/agreements/{AGREEMENT}");
    let paul_portal = browser(&b, PAUL, "de").await;
    assert_eq!(
        page(&b, &paul_portal, &agreement_page).await.0,
        StatusCode::OK
    );

    // The change, applied by the worker through instance A's services.
    let res = a.submit(ANNA, AGREEMENT, "5100000002").await;
    let submitted = json_with(res, StatusCode::ACCEPTED).await;
    a.advance(Duration::minutes(61));
    assert_eq!(a.run_worker().await.applied, 1);

    // (Portal sessions idle for an hour have ended: sign in again.)
    let paul_portal = browser(&b, PAUL, "de").await;
    let ben_portal = browser(&b, BEN, "de").await;

    // At once on B: the old partner has lost it everywhere ...
    for path in READS {
        assert_eq!(api(&b, &paul, path).await, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(api(&b, &ben, path).await, StatusCode::OK, "{path}");
    }
    assert_eq!(
        page(&b, &paul_portal, &agreement_page).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        page(
            &b,
            &paul_portal,
            &format!("{agreement_page}/partner-history.csv")
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        page(&b, &ben_portal, &agreement_page).await.0,
        StatusCode::OK
    );
    // ... in the lists and exports too ...
    let paul_list = json_with(
        b.client
            .get(format!("{}/api/v1/agreements?limit=500", b.base))
            .bearer_auth(&paul)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert!(!listed(&paul_list));
    let ben_list = json_with(
        b.client
            .get(format!("{}/api/v1/agreements?limit=500", b.base))
            .bearer_auth(&ben)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert!(listed(&ben_list));
    // ... and the finished change no longer shows him the agreement's
    // products and term, only the change itself.
    let id = submitted["id"].as_str().unwrap();
    let paul_actor = b
        .services
        .store
        .user_by_email(PAUL)
        .await
        .unwrap()
        .unwrap()
        .actor;
    let request =
        kontor_core::domain::change_request::RequestId(uuid::Uuid::parse_str(id).unwrap());
    let (_, state) = b
        .services
        .change_details(&paul_actor, request)
        .await
        .unwrap();
    assert!(
        state.is_none(),
        "the replaced partner still sees the agreement"
    );
    let ben_actor = b
        .services
        .store
        .user_by_email(BEN)
        .await
        .unwrap()
        .unwrap()
        .actor;
    let (_, state) = b
        .services
        .change_details(&ben_actor, request)
        .await
        .unwrap();
    assert!(state.is_some());
}
