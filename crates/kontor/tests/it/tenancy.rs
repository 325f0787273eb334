//! R1: another tenant's object is indistinguishable from a missing one.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

const DORA: &str = "dora@example-ltd.example";
const ANNA: &str = "anna@muster.example";

/// (status, body) of a response.
async fn answer(res: reqwest::Response) -> (StatusCode, String) {
    let s = res.status();
    (s, res.text().await.unwrap())
}

#[tokio::test]
async fn every_agreement_endpoint_answers_another_tenants_object_like_a_missing_one() {
    let app = TestApp::spawn().await;
    // Muster Bau's agreement (exists) and one that does not exist at all.
    let theirs = "110000000001";
    let missing = "110000000999";
    for path in [
        "/api/v1/agreements/{}",
        "/api/v1/agreements/{}/partner-history",
        "/api/v1/agreements/{}/partner-history?format=csv",
        "/api/v1/agreements/{}/partner-change/eligibility",
        "/api/v1/audit?agreement={}",
    ] {
        let a = answer(app.get(DORA, &path.replace("{}", theirs)).await).await;
        let b = answer(app.get(DORA, &path.replace("{}", missing)).await).await;
        assert_eq!(a.0, StatusCode::NOT_FOUND, "{path}: {}", a.1);
        assert_eq!(a, b, "{path}");
    }
    let a = answer(app.submit(DORA, theirs, "5100000004").await).await;
    let b = answer(app.submit(DORA, missing, "5100000004").await).await;
    assert_eq!(a.0, StatusCode::NOT_FOUND);
    assert_eq!(a, b);
    let tx = |n: &str| json!({ "agreement": n, "kind": "add_seats", "partner": "5100000001", "product": {"name": "X", "seats": 1} });
    // Olga reads German, Pia English: both asked in English.
    let a = answer(
        app.post_lang(
            "olga@vendor.example",
            "/api/v1/transactions",
            &tx(missing),
            "en",
        )
        .await,
    )
    .await;
    let b = answer(
        app.post_lang(
            "pia@cad-partner.example",
            "/api/v1/transactions",
            &tx("110000000101"),
            "en",
        )
        .await,
    )
    .await;
    assert_eq!(a.0, StatusCode::NOT_FOUND);
    assert_eq!(a, b);
    // Preview and bulk: per-item results say not found in the same words.
    let res = json_with(
        app.post(
            DORA,
            "/api/v1/partner-changes/preview",
            &json!({ "agreements": [theirs, missing] }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(res["results"][0]["status"], 404);
    assert_eq!(res["results"][0]["error"], res["results"][1]["error"]);
}

#[tokio::test]
async fn another_tenants_change_request_is_not_found() {
    let app = TestApp::spawn().await;
    let r = json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    let id = r["id"].as_str().unwrap();
    let missing = uuid::Uuid::now_v7().to_string();
    for who in [DORA, "fay@example-ltd.example", "paul@cad-partner.example"] {
        let a = answer(app.get(who, &format!("/api/v1/partner-changes/{id}")).await).await;
        let b = answer(
            app.get(who, &format!("/api/v1/partner-changes/{missing}"))
                .await,
        )
        .await;
        if who == "paul@cad-partner.example" {
            // CAD Partner is being replaced: the request concerns it.
            assert_eq!(a.0, StatusCode::OK);
            continue;
        }
        assert_eq!(a.0, StatusCode::NOT_FOUND, "{who}");
        assert_eq!(a, b, "{who}");
        let a = answer(
            app.post(
                who,
                &format!("/api/v1/partner-changes/{id}/withdraw"),
                &json!({}),
            )
            .await,
        )
        .await;
        let b = answer(
            app.post(
                who,
                &format!("/api/v1/partner-changes/{missing}/withdraw"),
                &json!({}),
            )
            .await,
        )
        .await;
        assert_eq!(a.0, StatusCode::NOT_FOUND, "{who}");
        assert_eq!(a, b, "{who}");
    }
}

#[tokio::test]
async fn lists_show_only_the_callers_tenant() {
    let app = TestApp::spawn().await;
    let numbers = |v: &serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["number"].as_str().unwrap().to_owned())
            .collect()
    };
    let dora = json_with(app.get(DORA, "/api/v1/agreements").await, StatusCode::OK).await;
    assert_eq!(numbers(&dora), ["110000000101", "12000000000101"]);
    let carla = json_with(
        app.get("carla@muster.example", "/api/v1/agreements").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(numbers(&carla), ["110000000001"]);
    let ben = json_with(
        app.get("ben@bim-solutions.example", "/api/v1/agreements")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(numbers(&ben), ["110000000011", "12000000000002"]);
    let anna = json_with(
        app.get(ANNA, "/api/v1/agreements?limit=500").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(numbers(&anna).len(), 14);
    let sam = json_with(
        app.get("sam@vendor.example", "/api/v1/agreements?limit=500")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(numbers(&sam).len(), 16);
    // A user cannot open an agreement not assigned to them.
    json_with(
        app.get("carla@muster.example", "/api/v1/agreements/110000000002")
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    // Partners and users do not read the audit log; another tenant's log is empty.
    json_with(
        app.get("carla@muster.example", "/api/v1/audit").await,
        StatusCode::FORBIDDEN,
    )
    .await;
    json_with(
        app.get("ben@bim-solutions.example", "/api/v1/audit").await,
        StatusCode::FORBIDDEN,
    )
    .await;
    json_with(
        app.submit(ANNA, "110000000001", "5100000002").await,
        StatusCode::ACCEPTED,
    )
    .await;
    let log = json_with(app.get(DORA, "/api/v1/audit").await, StatusCode::OK).await;
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["account"] != "7000000001"),
        "{log}"
    );
}

#[tokio::test]
async fn filters_and_paging_walk_every_agreement_once() {
    let app = TestApp::spawn().await;
    let mut seen = Vec::new();
    let mut path = "/api/v1/agreements?limit=5".to_owned();
    loop {
        let page = json_with(app.get(ANNA, &path).await, StatusCode::OK).await;
        for a in page["items"].as_array().unwrap() {
            seen.push(a["number"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/agreements?limit=5&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 14);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, seen);
    let subs = json_with(
        app.get(ANNA, "/api/v1/agreements?kind=subscription").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(subs["items"].as_array().unwrap().len(), 2);
    let susp = json_with(
        app.get(ANNA, "/api/v1/agreements?status=suspended").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(susp["items"].as_array().unwrap().len(), 2);
    let bim = json_with(
        app.get(ANNA, "/api/v1/agreements?partner=5100000002").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(bim["items"].as_array().unwrap().len(), 2);
    let q = json_with(
        app.get(ANNA, "/api/v1/agreements?q=1100-0000-001").await,
        StatusCode::OK,
    )
    .await;
    let found: Vec<&str> = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["number"].as_str().unwrap())
        .collect();
    assert_eq!(
        found,
        ["110000000010", "110000000011", "110000000012"],
        "number prefix search"
    );
    let q = json_with(
        app.get(ANNA, "/api/v1/agreements?q=revit").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        q["items"].as_array().unwrap().len(),
        14,
        "product search is case-insensitive"
    );
}

/// R1 at apply time: a request stored with another account's data (as a
/// bug or a tampered database could leave it) is rejected by the worker,
/// and the agreement keeps its partner.
#[tokio::test]
async fn the_worker_never_moves_an_agreement_with_another_accounts_data() {
    use kontor_core::domain::change_request::{ChangeRequest, RequestId, RequestStatus};
    use kontor_core::domain::ids::{AgreementNumber, Csn};
    let app = TestApp::spawn().await;
    let person = async |email: &str| {
        app.services
            .store
            .user_by_email(email)
            .await
            .unwrap()
            .unwrap()
            .actor
            .user_id
    };
    let now = app.clock_now();
    let forged = |by, account: &str| ChangeRequest {
        id: RequestId(uuid::Uuid::now_v7()),
        agreement: AgreementNumber::parse("110000000101").unwrap(),
        account: Csn::parse(account).unwrap(),
        old_partners: vec![Csn::parse("5100000004").unwrap()],
        new_partner: Csn::parse("5100000002").unwrap(),
        status: RequestStatus::Pending,
        requested_by: by,
        created_at: now,
        due_at: now,
        decided_at: None,
        decided_by: None,
        reasons: Vec::new(),
        idempotency_key: None,
    };
    // On Example Ltd's agreement: Anna (admin of Muster Bau) labelled with
    // either account, and Dora (its own admin) labelled with Muster Bau's.
    for (who, account) in [
        (ANNA, "7000000001"),
        (ANNA, "7000000002"),
        (DORA, "7000000001"),
    ] {
        let request = forged(person(who).await, account);
        app.services
            .store
            .insert_request(&request, &[], &[])
            .await
            .unwrap();
        let report = app.run_worker().await;
        assert_eq!((report.applied, report.rejected), (0, 1), "{who} {account}");
        let stored = json_with(
            app.get(
                "olga@vendor.example",
                &format!("/api/v1/partner-changes/{}", request.id.0),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(stored["status"], "rejected");
        assert_eq!(stored["reasons"], json!(["not_permitted"]), "{stored}");
    }
    let agreement = json_with(
        app.get(DORA, "/api/v1/agreements/110000000101").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(agreement["partners"], json!(["5100000004"]), "{agreement}");
}

/// R1, #16: another tenant's agreement must not answer faster than a
/// number that does not exist. It did, by a third: it was served from the
/// read cache while a missing one was looked up. Many requests of both,
/// alternating, so that whatever else the machine does hits both alike;
/// the medians compared, for the agreement and its eligibility.
#[tokio::test]
async fn another_tenants_agreement_takes_as_long_as_a_missing_one() {
    let app = TestApp::spawn().await;
    let foreign = "110000000001";
    let missing = "119999999999";
    // Its own admin reads it: from now on it is in the read cache.
    for path in [
        format!("/api/v1/agreements/{foreign}"),
        format!("/api/v1/agreements/{foreign}/partner-change/eligibility"),
    ] {
        assert_eq!(
            app.get("anna@muster.example", &path).await.status(),
            StatusCode::OK
        );
    }
    let token = app.token("dora@example-ltd.example").await;
    let time = |number: &'static str, suffix: &'static str| {
        let (app, token) = (&app, &token);
        async move {
            let url = format!("{}/api/v1/agreements/{number}{suffix}", app.base);
            let started = std::time::Instant::now();
            let res = app.client.get(url).bearer_auth(token).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::NOT_FOUND);
            res.bytes().await.unwrap();
            started.elapsed()
        }
    };
    for suffix in ["", "/partner-change/eligibility"] {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for i in 0..600 {
            // Alternate which goes first, too.
            if i % 2 == 0 {
                a.push(time(foreign, suffix).await);
                b.push(time(missing, suffix).await);
            } else {
                b.push(time(missing, suffix).await);
                a.push(time(foreign, suffix).await);
            }
        }
        let median = |v: &mut Vec<std::time::Duration>| {
            v.sort();
            v[v.len() / 2].as_secs_f64() * 1e6
        };
        let (fa, mi) = (median(&mut a), median(&mut b));
        let ratio = fa / mi;
        eprintln!(
            "{suffix:>28}: another tenant's {fa:.0} µs, missing {mi:.0} µs, ratio {ratio:.3}"
        );
        // Before the fix: 0.45. What is left is decoding the foreign row,
        // ~10 % in a debug build, ~1 % in a release one.
        assert!(
            (0.8..=1.25).contains(&ratio),
            "{suffix}: another tenant's agreement {fa:.0} µs, a missing one {mi:.0} µs"
        );
    }
}
