//! #21: SCIM 2.0 provisioning over HTTP as an identity provider drives it —
//! tokens only the primary admin makes and revokes, Users created,
//! filtered, PATCHed and deactivated, a deactivated person losing every
//! session and API token at once (on every instance), the primary admin
//! kept, SCIM's own error shape. The independent compliance check
//! (scim2-cli's `scim test`) runs in `.ci/run` through `scripts/scim-check`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::portal::{browser, page};

const ANNA: &str = "anna@muster.example";
const BERND: &str = "bernd@muster.example";
const CARLA: &str = "carla@muster.example";
const DORA: &str = "dora@example-ltd.example";

/// A provisioning token of the account whose primary admin is `admin`.
async fn scim_token(app: &TestApp, admin: &str) -> String {
    let made = json_with(
        app.post(
            admin,
            "/api/v1/account/scim-tokens",
            &json!({ "label": "Entra ID" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        made["scim_url"],
        format!("{}/scim/v2", app.config.public_url)
    );
    made["secret"].as_str().unwrap().to_owned()
}

async fn scim(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = app
        .client
        .request(method, format!("{}/scim/v2{path}", app.base))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req
            .header("content-type", "application/scim+json")
            .body(b.to_string());
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    if status != StatusCode::NO_CONTENT {
        assert_eq!(
            res.headers()["content-type"],
            "application/scim+json",
            "{path}"
        );
    }
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// PATCH of a User (the PatchOp message around `ops`' operations).
async fn patch(app: &TestApp, token: &str, id: &str, message: Value) -> (StatusCode, Value) {
    scim(
        app,
        token,
        reqwest::Method::PATCH,
        &format!("/Users/{id}"),
        Some(message),
    )
    .await
}

fn id_of(users: &Value, user_name: &str) -> String {
    users["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["userName"] == user_name)
        .unwrap_or_else(|| panic!("{user_name} in {users}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn only_the_primary_admin_makes_tokens_and_a_revoked_token_stops_working() {
    let app = TestApp::spawn().await;
    for who in [BERND, CARLA, "sam@vendor.example", "olga@vendor.example"] {
        let res = app
            .post(who, "/api/v1/account/scim-tokens", &json!({ "label": "x" }))
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who}");
    }
    let problem = json_with(
        app.post(
            ANNA,
            "/api/v1/account/scim-tokens",
            &json!({ "label": " " }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["label"]);

    let token = scim_token(&app, ANNA).await;
    assert!(token.starts_with("kontor_scim_"));
    let (status, _) = scim(&app, &token, reqwest::Method::GET, "/Users", None).await;
    assert_eq!(status, StatusCode::OK);

    // No token, a personal API token, a made-up one: 401 in SCIM's shape.
    for bad in ["", &app.token(ANNA).await, "kontor_scim_nope"] {
        let (status, body) = scim(&app, bad, reqwest::Method::GET, "/Users", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["status"], "401");
        assert_eq!(
            body["schemas"][0],
            "urn:ietf:params:scim:api:messages:2.0:Error"
        );
    }

    let listed = json_with(
        app.get(ANNA, "/api/v1/account/scim-tokens").await,
        StatusCode::OK,
    )
    .await;
    assert!(listed[0]["last_used_at"].is_string(), "{listed}");
    let id = listed[0]["id"].as_str().unwrap();
    let res = app
        .client
        .delete(format!("{}/api/v1/account/scim-tokens/{id}", app.base))
        .bearer_auth(app.token(ANNA).await)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (status, _) = scim(&app, &token, reqwest::Method::GET, "/Users", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let actions = audit_actions(&app).await;
    assert!(actions.contains(&"scim_token_created".to_owned()));
    assert!(actions.contains(&"scim_token_revoked".to_owned()));
}

#[tokio::test]
async fn the_provider_creates_finds_changes_and_deactivates_people_of_its_account_only() {
    let app = TestApp::spawn().await;
    let token = scim_token(&app, ANNA).await;
    let other = scim_token(&app, DORA).await;

    // The account's people are listed, in SCIM's form; not the other's.
    let (_, all) = scim(&app, &token, reqwest::Method::GET, "/Users", None).await;
    assert_eq!(all["totalResults"], 3, "{all}");
    assert!(!all.to_string().contains("example-ltd"));

    // Create: the sign-in email from the user name, the rest as written.
    let new = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "Neu.Person@Muster.Example",
        "externalId": "entra-42",
        "name": { "givenName": "Neu", "familyName": "Person" },
        "emails": [{ "value": "neu.person@muster.example", "type": "work", "primary": true }],
        "preferredLanguage": "de-DE",
        "active": true,
    });
    let (status, created) = scim(
        &app,
        &token,
        reqwest::Method::POST,
        "/Users",
        Some(new.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["userName"], "Neu.Person@Muster.Example");
    assert_eq!(created["name"]["familyName"], "Person");
    let id = created["id"].as_str().unwrap().to_owned();
    let person = app
        .services
        .store
        .user_by_email("neu.person@muster.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            person.actor.name.as_str(),
            person.actor.role.as_str(),
            person.actor.lang.as_str()
        ),
        ("Neu Person", "user", "de")
    );
    // The same user name again, in another case: 409 uniqueness.
    let mut again = new.clone();
    again["userName"] = json!("neu.person@muster.example");
    let (status, body) = scim(&app, &token, reqwest::Method::POST, "/Users", Some(again)).await;
    assert_eq!(
        (status, body["scimType"].as_str()),
        (StatusCode::CONFLICT, Some("uniqueness"))
    );
    // Someone of another tenant's email: 409, nothing leaks about them.
    let mut foreign = new.clone();
    foreign["userName"] = json!(DORA);
    let (status, _) = scim(&app, &token, reqwest::Method::POST, "/Users", Some(foreign)).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Filters, as providers send them.
    for (filter, hits) in [
        (r#"userName eq "neu.person@muster.example""#, 1),
        (r#"externalId eq "entra-42""#, 1),
        (r#"emails[type eq "work" and value sw "neu"]"#, 1),
        (r#"userName sw "anna""#, 1),
        (r#"userName co "muster""#, 4),
        (r#"not (userName co "muster")"#, 0),
    ] {
        let (status, found) = scim(
            &app,
            &token,
            reqwest::Method::GET,
            &format!("/Users?filter={}", urlencode(filter)),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{filter}");
        assert_eq!(found["totalResults"], hits, "{filter}: {found}");
    }
    let (status, body) = scim(
        &app,
        &token,
        reqwest::Method::GET,
        &format!("/Users?filter={}", urlencode("userName eq")),
        None,
    )
    .await;
    assert_eq!(
        (status, body["scimType"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalidFilter"))
    );
    // Pages: startIndex is 1-based.
    let (_, paged) = scim(
        &app,
        &token,
        reqwest::Method::GET,
        "/Users?startIndex=2&count=2",
        None,
    )
    .await;
    assert_eq!(
        (
            paged["totalResults"].as_i64(),
            paged["itemsPerPage"].as_i64()
        ),
        (Some(4), Some(2))
    );

    // Another account's token does not see this person at all.
    let (status, _) = scim(
        &app,
        &other,
        reqwest::Method::GET,
        &format!("/Users/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = scim(
        &app,
        &other,
        reqwest::Method::PATCH,
        &format!("/Users/{id}"),
        Some(
            json!({ "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                     "Operations": [{ "op": "replace", "path": "active", "value": false }] }),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // PATCH as Entra ID sends it.
    let (status, patched) = scim(
        &app,
        &token,
        reqwest::Method::PATCH,
        &format!("/Users/{id}"),
        Some(
            json!({ "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                     "Operations": [
                         { "op": "Replace", "path": "name.givenName", "value": "Neue" },
                         { "op": "Add", "path": "displayName", "value": "Neue Person" }] }),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    let person = app
        .services
        .store
        .user_by_email("neu.person@muster.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person.actor.name, "Neue Person");

    // The primary admin is never deactivated or removed this way.
    let (_, all) = scim(&app, &token, reqwest::Method::GET, "/Users", None).await;
    let anna = id_of(&all, ANNA);
    let (status, body) = patch(
        &app,
        &token,
        &anna,
        json!({ "Operations": [{ "op": "replace", "value": { "active": false } }] }),
    )
    .await;
    assert_eq!(
        (status, body["scimType"].as_str()),
        (StatusCode::BAD_REQUEST, Some("mutability"))
    );
    let (status, _) = scim(
        &app,
        &token,
        reqwest::Method::DELETE,
        &format!("/Users/{anna}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    browser(&app, ANNA, "de").await;

    // Unknown paths below the endpoint answer in SCIM's shape.
    let (status, body) = scim(&app, &token, reqwest::Method::GET, "/Groups", None).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::NOT_FOUND, Some("404"))
    );

    let actions = audit_actions(&app).await;
    assert!(actions.contains(&"scim_user_updated".to_owned()));
    assert!(actions.contains(&"user_created".to_owned()));
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn a_deactivated_person_loses_every_session_and_token_at_once_on_every_instance() {
    let app = TestApp::spawn().await;
    let second = app.another_instance().await;
    let token = scim_token(&app, ANNA).await;
    let carla = browser(&app, CARLA, "de").await;
    let carla_token = app.token(CARLA).await;
    // Both instances know Carla's token (and cache it).
    for base in [&app.base, &second.base] {
        let res = app
            .client
            .get(format!("{base}/api/v1/me"))
            .bearer_auth(&carla_token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }

    let (_, all) = scim(&app, &token, reqwest::Method::GET, "/Users", None).await;
    let id = id_of(&all, CARLA);
    let (status, body) = patch(
        &app,
        &token,
        &id,
        json!({ "Operations": [{ "op": "replace", "path": "active", "value": false }] }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["active"], false);

    // Her session ends at once, and her password no longer signs her in.
    assert_eq!(
        page(&app, &carla, "/agreements").await.0,
        StatusCode::SEE_OTHER
    );
    let res = app
        .client
        .post(format!("{}/api/v1/tokens", app.base))
        .json(&json!({ "email": CARLA, "password": "kontor-demo" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // Her token: at once on this instance, within the token cache's few
    // seconds on the other.
    let res = app
        .client
        .get(format!("{}/api/v1/me", app.base))
        .bearer_auth(&carla_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(8);
    loop {
        let res = app
            .client
            .get(format!("{}/api/v1/me", second.base))
            .bearer_auth(&carla_token)
            .send()
            .await
            .unwrap();
        if res.status() == StatusCode::UNAUTHORIZED {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the second instance still takes her token"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // Still listed, deactivated; reactivated, she signs in again.
    let (_, one) = scim(
        &app,
        &token,
        reqwest::Method::GET,
        &format!("/Users/{id}"),
        None,
    )
    .await;
    assert_eq!(one["active"], false);
    let (status, _) = patch(
        &app,
        &token,
        &id,
        json!({ "Operations": [{ "op": "replace", "value": { "active": "True" } }] }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    browser(&app, CARLA, "de").await;

    // Removed (DELETE): gone from the list and from kontor.
    let (status, _) = scim(
        &app,
        &token,
        reqwest::Method::DELETE,
        &format!("/Users/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = scim(
        &app,
        &token,
        reqwest::Method::GET,
        &format!("/Users/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let res = app
        .client
        .post(format!("{}/api/v1/tokens", app.base))
        .json(&json!({ "email": CARLA, "password": "kontor-demo" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let actions = audit_actions(&app).await;
    assert!(
        actions.contains(&"access_removed".to_owned()),
        "{actions:?}"
    );
}
