//! R1: the authorization matrix in `docs/authorization.md`, walked over HTTP
//! with a real person of every role, and a check that every route the
//! server has is listed there.
//!
//! Each row of the table is one route; each cell what one role gets. For a
//! route about an object the cell reads `A/B/missing`: the answer for
//! tenant A's object (Muster Bau), for tenant B's object (Example Ltd), and
//! for one that does not exist (`-` where the object belongs to no tenant).
//! Whenever an existing object is answered like the missing one, status
//! *and* body must be the same, so another tenant cannot even learn that it
//! exists.
//!
//! `KONTOR_MATRIX_PRINT=1` prints the table as the server answers it (to
//! review and paste after a deliberate change).

use std::collections::{BTreeSet, HashMap};

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use kontor::web::AppState;
use kontor::web::pages::session::{SESSION_COOKIE, SIGNIN_CSRF_COOKIE};
use kontor_core::store::{DeliveryFilter, NewSession};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

const TABLE: &str = include_str!("../../../../docs/authorization.md");

/// The roles, in the table's column order, with the person who plays each.
const ROLES: [(&str, Option<&str>); 10] = [
    ("anonymous", None),
    ("A primary admin", Some("anna@muster.example")),
    ("A secondary admin", Some("bernd@muster.example")),
    ("A user", Some("carla@muster.example")),
    ("B admin", Some("dora@example-ltd.example")),
    ("current partner", Some("paul@cad-partner.example")),
    ("target partner", Some("ben@bim-solutions.example")),
    ("unrelated partner", Some("uwe@nord-cad.example")),
    ("support agent", Some("sam@vendor.example")),
    ("operator", Some("olga@vendor.example")),
];

/// Tenant B's objects, which these roles must not be able to tell from
/// missing ones (customer A's people and partners without a part in B's
/// objects); for B's admin, tenant A's objects.
fn foreign(role: usize) -> &'static [Which] {
    match role {
        1..=3 | 5 | 6 => &[Which::B],
        4 => &[Which::A],
        7 => &[Which::A, Which::B],
        _ => &[],
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Which {
    A,
    B,
    Missing,
}

/// The data the matrix adds to the demo: an unrelated partner with a
/// person (Uwe), two partners without people, and contracts: per tenant one
/// with an open request (…13, …103), one with two partners to open a
/// support case on (…14, …102: partner 5100000006 replaced) and, for B, one
/// with an open support case (…104).
fn extra_data() -> Value {
    let partner = |csn: &str, name: &str| {
        json!({"csn": csn, "name": name, "city": "Bremen", "country": "DE", "status": "active",
               "email": format!("info@{csn}.example")})
    };
    let contract = |number: &str, account: &str, partners: &[&str]| {
        json!({"number": number, "kind": "contract", "account": account,
            "products": [{"name": "Inventor", "seats": 3}], "term_start": "2026-01-01", "term_end": "2027-12-31",
            "auto_renew": false, "program": "standard", "support_level": "advanced", "status": "active",
            "partners": partners})
    };
    json!({
        "partners": [partner("5100000005", "Nord CAD GmbH"), partner("5100000006", "Sechs GmbH"),
                     partner("5100000007", "Sieben GmbH")],
        "users": [{"email": "uwe@nord-cad.example", "name": "Uwe Unbeteiligt", "role": "partner_admin",
                   "lang": "de", "partner": "5100000005", "password": "kontor-demo"}],
        "agreements": [contract("110000000013", "7000000001", &["5100000001"]),
                       contract("110000000014", "7000000001", &["5100000001", "5100000006"]),
                       contract("110000000102", "7000000002", &["5100000004", "5100000006"]),
                       contract("110000000103", "7000000002", &["5100000004"]),
                       contract("110000000104", "7000000002", &["5100000004", "5100000006"])]
    })
}

/// One app with the matrix's objects and a session and token per role.
struct World {
    app: TestApp,
    /// Per role: (API token, session id, session form token).
    people: Vec<Option<(String, String, String)>>,
    objects: HashMap<&'static str, [Option<String>; 3]>,
}

/// The form token for forms shown before a session exists (sign-in,
/// password reset, invitation): a double-submit cookie chosen by the client.
const SIGNIN_TOKEN: &str = "matrix-signin-token-matrix-signin-token-0001";

impl World {
    async fn new() -> World {
        let app = TestApp::spawn_with(|c| c.acceptance_required = true).await;
        json_with(
            app.post("olga@vendor.example", "/api/v1/import", &extra_data())
                .await,
            StatusCode::OK,
        )
        .await;
        let issue = |email: &'static str| {
            let app = &app;
            async move {
                let res = app
                    .client
                    .post(format!("{}/api/v1/tokens", app.base))
                    .json(&json!({"email": email, "password": "kontor-demo", "label": "matrix"}))
                    .send()
                    .await
                    .unwrap();
                let v = json_with(res, StatusCode::CREATED).await;
                (
                    v["id"].as_str().unwrap().to_owned(),
                    v["token"].as_str().unwrap().to_owned(),
                )
            }
        };
        let (_, uwe_token) = issue("uwe@nord-cad.example").await;
        let (anna_spare, _) = issue("anna@muster.example").await;
        let (dora_spare, _) = issue("dora@example-ltd.example").await;
        let mut people = vec![None];
        for (_, email) in &ROLES[1..] {
            let email = email.unwrap();
            let token = if email == "uwe@nord-cad.example" {
                uwe_token.clone()
            } else {
                app.token(email).await
            };
            let user = app
                .services
                .store
                .user_by_email(email)
                .await
                .unwrap()
                .unwrap();
            let sid = kontor::auth::new_secret();
            let csrf = kontor::auth::new_secret();
            app.services
                .store
                .create_session(&NewSession {
                    id_hash: kontor::auth::token_hash(&sid),
                    user_id: user.actor.user_id,
                    csrf: csrf.clone(),
                    created_at: app.clock_now(),
                    user_agent: None,
                })
                .await
                .unwrap();
            people.push(Some((token, sid, csrf)));
        }
        let id = |v: Value| v["id"].as_str().unwrap().to_owned();
        let request_a = id(json_with(
            app.submit("anna@muster.example", "110000000013", "5100000002")
                .await,
            StatusCode::ACCEPTED,
        )
        .await);
        let request_b = id(json_with(
            app.submit("dora@example-ltd.example", "110000000103", "5100000006")
                .await,
            StatusCode::ACCEPTED,
        )
        .await);
        let case = |who: &'static str, agreement: &str, replace: &str, new: &str| {
            let body = json!({"agreement": agreement, "replace_partner": replace,
                              "new_partner": new, "message": "matrix"});
            let app = &app;
            async move {
                id(json_with(
                    app.post(who, "/api/v1/support-cases", &body).await,
                    StatusCode::CREATED,
                )
                .await)
            }
        };
        let case_a = case(
            "anna@muster.example",
            "110000000011",
            "5100000001",
            "5100000004",
        )
        .await;
        let case_b = case(
            "dora@example-ltd.example",
            "110000000104",
            "5100000006",
            "5100000007",
        )
        .await;
        let endpoint = id(json_with(
            app.post(
                "olga@vendor.example",
                "/api/v1/webhooks",
                &json!({"url": "https://93.184.216.34/hook"}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await);
        app.services
            .store
            .expand_outbox(app.clock_now(), 100)
            .await
            .unwrap();
        let delivery = app
            .services
            .store
            .deliveries(&DeliveryFilter {
                limit: 1,
                ..DeliveryFilter::default()
            })
            .await
            .unwrap()
            .first()
            .expect("a delivery")
            .id
            .to_string();
        let missing_id = || Some(uuid::Uuid::now_v7().to_string());
        let some = |s: &str| Some(s.to_owned());
        let objects = HashMap::from([
            (
                "agreement",
                [
                    some("110000000001"),
                    some("110000000101"),
                    some("110000000999"),
                ],
            ),
            (
                "multi",
                [
                    some("110000000014"),
                    some("110000000102"),
                    some("110000000998"),
                ],
            ),
            ("request", [Some(request_a), Some(request_b), missing_id()]),
            ("case", [Some(case_a), Some(case_b), missing_id()]),
            ("token", [Some(anna_spare), Some(dora_spare), missing_id()]),
            ("endpoint", [Some(endpoint), None, missing_id()]),
            ("delivery", [Some(delivery), None, missing_id()]),
            ("partner", [some("5100000001"), None, some("5100000099")]),
            (
                "account",
                [some("7000000001"), some("7000000002"), some("7000000999")],
            ),
            (
                "email",
                [
                    some("carla@muster.example"),
                    some("fay@example-ltd.example"),
                    some("nobody@muster.example"),
                ],
            ),
            ("link", [None, None, Some("x".repeat(43))]),
        ]);
        World {
            app,
            people,
            objects,
        }
    }

    /// What one role gets for one row and one object.
    async fn call(&self, row: &Route, role: usize, which: Which) -> Option<(StatusCode, String)> {
        let object = match row.kind {
            None => None,
            Some(kind) => {
                let slot = match which {
                    Which::A => 0,
                    Which::B => 1,
                    Which::Missing => 2,
                };
                Some(self.objects[kind][slot].clone()?)
            }
        };
        let object = object.as_deref();
        let path = fill(&row.path, row.kind, object);
        let url = format!("{}{path}", self.app.base);
        let method = Method::from_bytes(row.method.as_bytes()).unwrap();
        let person = self.people[role].as_ref();
        let api = path.starts_with("/api/");
        let mut req = self
            .app
            .client
            .request(method.clone(), url)
            .header("sec-fetch-site", "same-origin");
        let mut cookies = format!("{SIGNIN_CSRF_COOKIE}={SIGNIN_TOKEN}");
        if let Some((token, sid, _)) = person {
            if api {
                req = req.bearer_auth(token);
            } else {
                cookies.push_str(&format!("; {SESSION_COOKIE}={sid}"));
            }
        }
        req = req.header("cookie", cookies);
        if method != Method::GET {
            let template = body(&row.method, &row.path);
            let filled = template.replace("{object}", object.unwrap_or_default());
            if api {
                if !filled.is_empty() {
                    req = req.header("content-type", "application/json").body(filled);
                }
            } else if row.path == "/back-office/import" {
                let csrf = person.map(|p| p.2.clone()).unwrap_or_default();
                let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
                    "file",
                    reqwest::multipart::Part::bytes(filled.into_bytes()).file_name("import.json"),
                );
                req = req.multipart(form);
            } else {
                let csrf = match (pre_session_form(&row.path), person) {
                    (false, Some(p)) => p.2.clone(),
                    _ => SIGNIN_TOKEN.to_owned(),
                };
                let mut form = filled;
                if !form.is_empty() {
                    form.push('&');
                }
                form.push_str(&format!("csrf={csrf}"));
                req = req
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form);
            }
        }
        let res = req.send().await.unwrap();
        let mut status = res.status();
        let text = res.text().await.unwrap();
        // Preview and bulk answer 200 with a status per agreement.
        if status == StatusCode::OK && (path.ends_with("/bulk") || path.ends_with("/preview")) {
            let v: Value = serde_json::from_str(&text).unwrap();
            status =
                StatusCode::from_u16(v["results"][0]["status"].as_u64().unwrap() as u16).unwrap();
        }
        // The object's own id may be echoed; nothing else may differ.
        let text = match object {
            Some(o) => text.replace(o, "{object}"),
            None => text,
        };
        Some((status, normalise(&text)))
    }
}

/// Whether a form is shown before sign-in (its token is a cookie).
fn pre_session_form(path: &str) -> bool {
    path == "/signin" || path.starts_with("/password-reset") || path.starts_with("/invite/")
}

/// Drops what differs between any two answers (request ids, times).
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_inclusive(['"', '<', '>', ' ']) {
        let core = word.trim_end_matches(['"', '<', '>', ' ']);
        let looks_generated = uuid::Uuid::parse_str(core).is_ok()
            || time::OffsetDateTime::parse(core, &time::format_description::well_known::Rfc3339)
                .is_ok();
        if looks_generated {
            out.push_str("{generated}");
            out.push_str(&word[core.len()..]);
        } else {
            out.push_str(word);
        }
    }
    out
}

/// The object kind of a route: from its path parameter or its body.
fn kind_of(method: &str, path: &str) -> Option<&'static str> {
    let param = path
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .find(|p| {
            !matches!(
                *p,
                "lang" | "answer" | "slug" | "credential" | "domain" | "program" | "*rest"
            )
        })
        // Provisioning tokens, SCIM resources, bulk changes, disputes and
        // transfer codes are no tenant's objects here (`fill` names one
        // that does not exist; tests/it/disputes.rs and transfer_codes.rs
        // cover who sees which).
        .filter(|_| !nil_object(path));
    match param {
        Some("number") if path.ends_with("/support-case") => Some("multi"),
        Some("number") => Some("agreement"),
        Some("csn") if path.contains("/accounts/") => Some("account"),
        Some("csn") => Some("partner"),
        Some("email") => Some("email"),
        Some("token") => Some("link"),
        Some("id") if path.contains("partner-changes") || path.starts_with("/changes/") => {
            Some("request")
        }
        Some("id") if path.contains("support-cases") => Some("case"),
        Some("id") if path.contains("webhooks") => Some("endpoint"),
        Some("id") if path.contains("deliveries") => Some("delivery"),
        Some("id") if path.contains("tokens") => Some("token"),
        Some(other) => panic!("no objects for {{{other}}} in {path}: extend kind_of"),
        None if method == "GET" => None,
        None => {
            let b = body(method, path);
            if b.contains("{object}") {
                Some(if path.contains("support-case") {
                    "multi"
                } else if path.starts_with("/account/people") {
                    "email"
                } else {
                    "agreement"
                })
            } else {
                None
            }
        }
    }
}

/// The path with its parameters filled in.
fn fill(path: &str, kind: Option<&str>, object: Option<&str>) -> String {
    path.split('/')
        .map(|s| match s {
            "{lang}" => "en".to_owned(),
            "{answer}" => "accept".to_owned(),
            "{slug}" => "change-partner".to_owned(),
            // Nobody has a passkey in the demo data.
            "{credential}" => "no-such-passkey".to_owned(),
            // No domain is bound in the demo data.
            "{domain}" => "no-such.example".to_owned(),
            "{program}" => "standard".to_owned(),
            "{id}" if nil_object(path) => uuid::Uuid::nil().to_string(),
            "{*rest}" => "swagger-ui.css".to_owned(),
            s if s.starts_with('{') => {
                assert!(kind.is_some(), "{path}");
                object.unwrap_or_default().to_owned()
            }
            s => s.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Routes whose object the matrix names by the nil id (see `kind_of`).
fn nil_object(path: &str) -> bool {
    path.contains("scim")
        || path.starts_with("/agreements/bulk/")
        || path.starts_with("/api/v1/disputes/")
        || path.starts_with("/api/v1/transfer-codes/")
        || path.starts_with("/account/transfer-codes/")
        || path.starts_with("/changes/redeem/")
        || path.starts_with("/api/v1/partner-proposals/")
        || path.starts_with("/back-office/proposals/")
        || path.starts_with("/agreements/proposed/")
}

/// The body each state-changing route is called with (`{object}` is the
/// row's object): valid, so that an allowed role gets through.
fn body(method: &str, path: &str) -> String {
    let json = |v: Value| v.to_string();
    match (method, path) {
        ("POST", "/api/v1/import") => json(json!({"partners": [{"csn": "5100000008",
            "name": "Matrix GmbH", "city": "Bonn", "country": "DE", "status": "active",
            "email": "m@matrix.example"}]})),
        ("POST", "/api/v1/partner-changes") => {
            json(json!({"agreement": "{object}", "new_partner": "5100000002"}))
        }
        ("POST", "/api/v1/partner-changes/bulk") => {
            json(json!({"agreements": ["{object}"], "new_partner": "5100000002"}))
        }
        ("POST", "/api/v1/partner-changes/preview") => json(json!({"agreements": ["{object}"]})),
        ("PUT", "/api/v1/agreements/{number}/renewal-partner") => {
            json(json!({"new_partner": "5100000002"}))
        }
        ("POST", "/api/v1/partner-changes/{id}/dispute") => json(json!({"reason": "matrix"})),
        ("POST", "/api/v1/disputes/{id}/release" | "/api/v1/disputes/{id}/uphold") => {
            json(json!({"note": "matrix"}))
        }
        ("POST", "/api/v1/transfer-codes") => json(json!({"agreements": ["{object}"]})),
        ("POST", "/api/v1/transfer-codes/redeem") => {
            json(json!({"code": "AAAA-BBBB-CCCC-DDDD-EEEE"}))
        }
        ("PUT", "/api/v1/programs/{program}/consent") => json(json!({"model": "none"})),
        // CAD Partner's customers are proposed BIM Solutions.
        ("POST", "/api/v1/partner-proposals") => {
            json(json!({"from_partner": "5100000001", "to_partner": "5100000002"}))
        }
        ("POST", "/api/v1/password-resets") => json(json!({"email": "carla@muster.example"})),
        ("POST", "/api/v1/password-resets/confirm") => {
            json(json!({"token": "x".repeat(43), "password": "a new password 123"}))
        }
        ("POST", "/api/v1/assistant/ask") => json(json!({"question": "Wie ändere ich den Partner?"})),
        ("POST", "/api/v1/assistant/handoff") => json(json!({"agreement": "{object}",
            "conversation": [{"from": "person", "text": "matrix"}]})),
        ("POST", "/assistant/handoff") => "question=matrix&agreement={object}".into(),
        ("POST", "/api/v1/support-cases") => json(json!({"agreement": "{object}",
            "replace_partner": "5100000006", "new_partner": "5100000007", "message": "matrix"})),
        ("POST", "/api/v1/tokens") => json(json!({"email": "carla@muster.example",
            "password": "kontor-demo", "label": "matrix"})),
        ("POST", "/api/v1/transactions") => json(json!({"agreement": "{object}",
            "kind": "add_seats", "partner": "5100000001", "product": {"name": "X", "seats": 1}})),
        ("POST", "/api/v1/webhooks") => json(json!({"url": "https://93.184.216.34/other"})),
        ("PATCH", "/api/v1/webhooks/{id}") => json(json!({"description": "matrix"})),
        ("POST", "/back-office/partners") => {
            "csn=5100000009&name=Neun+GmbH&city=Bonn&country=DE&status=active&email=n%40neun.example"
                .into()
        }
        ("POST", "/back-office/partners/{csn}") => {
            "name=CAD+Partner+GmbH&city=M%C3%BCnchen&country=DE&status=active&email=orders%40cad-partner.example"
                .into()
        }
        ("POST", "/back-office/import") => json(json!({"partners": [{"csn": "5100000008",
            "name": "Matrix GmbH", "city": "Bonn", "country": "DE", "status": "active",
            "email": "m@matrix.example"}]})),
        ("POST", "/back-office/webhooks") => {
            "url=https%3A%2F%2F93.184.216.34%2Fpage&description=matrix".into()
        }
        ("POST", "/password-reset") => "email=carla%40muster.example".into(),
        ("PATCH", "/api/v1/me") => json(json!({"name": "Matrix Person", "time_zone": "Europe/Berlin"})),
        ("POST", "/api/v1/me/password") => {
            json(json!({"current_password": "wrong", "new_password": "x"}))
        }
        ("POST", "/account/settings/tokens") => "label=matrix&valid_days=30".into(),
        ("PUT", "/api/v1/me/notifications") => json(json!({"muted": ["applied"]})),
        ("POST", "/api/v1/support-cases/{id}/messages") => json(json!({"body": "matrix"})),
        ("POST", "/support-cases/{id}/reply") => "body=matrix".into(),
        ("POST", "/account/settings/notifications") => "mail=submitted&mail=applied".into(),
        ("POST", "/account/settings/profile") => {
            "name=Matrix+Person&lang=de&time_zone=Europe%2FBerlin".into()
        }
        // A wrong current password: nobody's password changes.
        ("POST", "/account/settings/password") => {
            "current_password=wrong&new_password=x&repeat_password=x".into()
        }
        ("POST", "/password-reset/{token}" | "/invite/{token}") => {
            "password=a+new+password+123".into()
        }
        ("POST", "/signin") => {
            "email=carla%40muster.example&password=kontor-demo&next=%2Fagreements".into()
        }
        ("POST", "/agreements/{number}/support-case") => {
            "replace_partner=5100000006&new_partner=5100000007&message=matrix".into()
        }
        ("POST", "/agreements/{number}/partner") => "csn=5100000002".into(),
        ("POST", "/agreements/{number}/renewal-partner") => "csn=5100000002".into(),
        ("POST", "/agreements/bulk") => "agreement={object}".into(),
        ("POST", "/account/transfer-codes") => "agreement={object}".into(),
        ("POST", "/changes/redeem") => "code=AAAA-BBBB-CCCC-DDDD-EEEE".into(),
        ("POST", "/back-office/consent") => "program=standard&model=none".into(),
        // Design Systems' customers are proposed BIM Solutions.
        ("POST", "/back-office/proposals") => "from_partner=5100000004&to_partner=5100000002".into(),
        ("POST", "/agreements/bulk/{id}") => "csn=5100000002".into(),
        ("POST", "/account/people/role") => "email={object}&role=secondary_admin".into(),
        ("POST", "/account/people/agreements") => {
            "email={object}&agreement=110000000001".into()
        }
        ("POST", "/account/people/invite") => {
            "email=neu%40muster.example&name=Neu&role=user&lang=de".into()
        }
        ("POST", "/account/people/remove" | "/account/people/resend") => "email={object}".into(),
        ("POST", "/signin/code" | "/account/security/app/confirm") => "code=000000".into(),
        ("POST", "/account/security/passkeys/new") => "name=Laptop".into(),
        ("POST", "/account/security/passkeys") => "name=Laptop&credential=%7B%7D".into(),
        ("POST", "/signin/passkey") => "credential=%7B%7D".into(),
        ("POST", "/signin/passkey/options" | "/account/reauth/passkey-options") => String::new(),
        ("POST", "/api/v1/me/second-factor/app/confirm") => json(json!({"code": "000000"})),
        ("PUT", "/api/v1/account/two-factor-rule") => {
            json(json!({"rule": "admins", "grace_days": 3}))
        }
        ("POST", "/api/v1/second-factor-resets") => json(json!({"email": "carla@muster.example"})),
        ("POST", "/api/v1/me/second-factor/app" | "/api/v1/me/second-factor/recovery-codes")
        | ("DELETE", "/api/v1/me/second-factor/app") => String::new(),
        ("POST", "/account/security/recovery-codes.txt") => "code=abcde-fghij".into(),
        ("POST", "/account/security/rule") => "rule=admins&grace_days=3".into(),
        // Switched off: saving reads no discovery document.
        ("PUT", "/api/v1/account/sso") => json(json!({"issuer": "https://idp.invalid",
            "client_id": "kontor", "client_secret": "s", "enabled": false, "required": false,
            "newcomer_role": "user"})),
        ("POST", "/account/sso") => {
            "issuer=https%3A%2F%2Fidp.invalid&client_id=kontor&client_secret=s&newcomer_role=user"
                .into()
        }
        ("POST", "/api/v1/sso-domains") => {
            json(json!({"domain": "matrix.example", "account": "7000000001"}))
        }
        ("POST", "/back-office/sso-domains") => "domain=matrix.example&account=7000000001".into(),
        ("POST", "/api/v1/account/scim-tokens") => json(json!({"label": "matrix"})),
        ("POST", "/account/sso/scim-tokens") => "label=matrix".into(),
        ("POST", "/scim/v2/Users" | "/scim/v2/Users/.search" | "/scim/v2/.search")
        | ("PUT" | "PATCH", "/scim/v2/Users/{id}") => json(json!({})),
        // Carla has no second factor; support is referred to her admins.
        ("POST", "/account/security/reset") => "email=carla%40muster.example".into(),
        ("POST", "/back-office/second-factor-reset") => {
            "email=carla%40muster.example&method=callback&note=Called+back+on+the+number".into()
        }
        ("POST", "/account/security/app/start" | "/account/security/app/remove" | "/account/security/recovery-codes") => {
            String::new()
        }
        // Routes whose object is in the path take no body.
        _ if path.contains('{') => String::new(),
        ("POST", "/signout" | "/account/settings/sessions") | ("DELETE", "/api/v1/me/sessions") => {
            String::new()
        }
        _ => panic!("no request body for {method} {path}: extend body()"),
    }
}

/// A row of the table.
#[derive(Debug, Clone)]
struct Route {
    method: String,
    path: String,
    kind: Option<&'static str>,
    cells: Vec<String>,
}

fn table() -> Vec<Route> {
    let mut rows = Vec::new();
    for line in TABLE.lines() {
        let cols: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        let Some(method) = cols.first() else { continue };
        if !matches!(*method, "GET" | "POST" | "PUT" | "PATCH" | "DELETE") {
            continue;
        }
        assert_eq!(cols.len(), 2 + ROLES.len(), "{line}");
        let path = cols[1].trim_matches('`').to_owned();
        rows.push(Route {
            kind: kind_of(method, &path),
            method: (*method).to_owned(),
            path,
            cells: cols[2..].iter().map(|c| (*c).to_owned()).collect(),
        });
    }
    rows
}

/// A cell as the server answers it.
fn cell(answers: &[Option<(StatusCode, String)>]) -> String {
    answers
        .iter()
        .map(|a| match a {
            Some((s, _)) => s.as_u16().to_string(),
            None => "-".to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether an expected answer means data was changed.
fn changes_data(method: &str, role: usize, expected: &str) -> bool {
    method != "GET" && (expected.starts_with('2') || (expected == "303" && role != 0))
}

/// One row for every role, each cell's answers, A/B/missing in that order.
async fn walk(row: &Route, shared: &World) -> Vec<Vec<Option<(StatusCode, String)>>> {
    let whichs: &'static [Which] = if row.kind.is_some() {
        &[Which::A, Which::B, Which::Missing]
    } else {
        &[Which::A]
    };
    let mut out = vec![Vec::new(); ROLES.len()];
    // Fresh servers start a few at a time.
    let permits = tokio::sync::Semaphore::new(4);
    let mut fresh = FuturesUnordered::new();
    for (role, answers) in out.iter_mut().enumerate() {
        let expected = row.cells.get(role).cloned().unwrap_or_default();
        for (slot, &which) in whichs.iter().enumerate() {
            let expected_here = expected.split('/').nth(slot).unwrap_or("");
            // A call that changes data gets a server of its own, so that it
            // cannot change what the next call sees (printing: every call
            // that may change data).
            let own = !leaves_others_alone(row)
                && (printing() && row.method != "GET"
                    || changes_data(&row.method, role, expected_here));
            if own {
                let permits = &permits;
                fresh.push(async move {
                    let _permit = permits.acquire().await.unwrap();
                    (role, slot, World::new().await.call(row, role, which).await)
                });
                answers.push(None);
            } else {
                answers.push(shared.call(row, role, which).await);
            }
        }
    }
    while let Some((role, slot, answer)) = fresh.next().await {
        out[role][slot] = answer;
    }
    out
}

/// Routes that change nothing another cell could see: a preview, a new
/// token of one's own, a password-reset mail (same answer whether sent or
/// rate-limited), one's own name and language (no answer's status depends
/// on them), one's own mail choices (no answer depends on who is mailed).
/// Not sign-in: it ends the browser's previous session.
fn leaves_others_alone(row: &Route) -> bool {
    matches!(
        (row.method.as_str(), row.path.as_str()),
        ("POST", "/api/v1/partner-changes/preview")
            | ("POST", "/api/v1/tokens")
            | ("POST", "/api/v1/password-resets")
            | ("POST", "/password-reset")
            | ("PATCH", "/api/v1/me")
            | ("POST", "/account/settings/profile")
            | ("PUT", "/api/v1/me/notifications")
            | ("POST", "/account/settings/notifications")
    )
}

fn printing() -> bool {
    std::env::var_os("KONTOR_MATRIX_PRINT").is_some()
}

#[tokio::test]
async fn every_role_gets_exactly_what_the_authorization_matrix_says() {
    let rows = table();
    assert!(rows.len() > 80, "the table lists {} routes", rows.len());
    let shared = World::new().await;
    let mut mismatches = Vec::new();
    let mut printed = Vec::new();
    let mut cells = 0;
    for row in &rows {
        let answers = walk(row, &shared).await;
        {
            let got: Vec<String> = answers.iter().map(|a| cell(a)).collect();
            printed.push(format!(
                "| {} | `{}` | {} |",
                row.method,
                row.path,
                got.join(" | ")
            ));
            for (role, (want, got)) in row.cells.iter().zip(&got).enumerate() {
                cells += 1;
                if want != got {
                    mismatches.push(format!(
                        "{} {} as {}: table says {want}, server answers {got}",
                        row.method, row.path, ROLES[role].0
                    ));
                }
            }
            for (role, a) in answers.iter().enumerate() {
                for (status, text) in a.iter().flatten() {
                    assert!(
                        !status.is_server_error(),
                        "{} {} as {}: {status} {text}",
                        row.method,
                        row.path,
                        ROLES[role].0
                    );
                }
                if row.kind.is_none() {
                    continue;
                }
                // R1: an object the role may not see looks exactly missing.
                let missing = a[2].as_ref().unwrap();
                let tenant_object = a[1].is_some();
                for which in foreign(role).iter().filter(|_| tenant_object) {
                    let slot = if *which == Which::A { 0 } else { 1 };
                    if a[slot].as_ref() != Some(missing) {
                        mismatches.push(format!(
                            "{} {} as {}: tenant {which:?}'s object answers {:?}, a missing one {missing:?}",
                            row.method, row.path, ROLES[role].0, a[slot]
                        ));
                    }
                }
                for existing in a[..2].iter().flatten() {
                    if existing.0 == missing.0
                        && existing.0.is_client_error()
                        && existing != missing
                    {
                        mismatches.push(format!(
                            "{} {} as {}: same status as a missing object, different body: {existing:?} / {missing:?}",
                            row.method, row.path, ROLES[role].0
                        ));
                    }
                }
            }
        }
    }
    if printing() {
        println!("{}", printed.join("\n"));
    }
    assert!(
        mismatches.is_empty(),
        "{} of {cells} cells differ from docs/authorization.md:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// The routes the server has: `(method, path)` for every path its router
/// knows and every method that path answers other than 405.
async fn served_routes(app: &TestApp) -> BTreeSet<(String, String)> {
    let state = AppState::new(app.services.clone(), app.config.clone(), None).expect("state");
    // axum lists its routes in its debug output (`paths: {RouteId(..): "/…"}`).
    let debug = format!("{:?}", kontor::web::router(state));
    let start = debug.find("paths: {").expect("the router lists its paths") + 8;
    // The quoted paths up to the map's closing brace (paths have braces too).
    let (mut paths, mut quoted, mut current) = (Vec::new(), false, String::new());
    for c in debug[start..].chars() {
        match (c, quoted) {
            ('"', true) => paths.push(std::mem::take(&mut current)),
            ('}', false) => break,
            (c, true) => current.push(c),
            _ => {}
        }
        if c == '"' {
            quoted = !quoted;
        }
    }
    paths.sort();
    assert!(
        paths.len() > 60,
        "found only {} paths in {debug}",
        paths.len()
    );
    let mut routes = BTreeSet::new();
    for path in paths {
        let concrete = path
            .split('/')
            .map(|s| if s.starts_with('{') { "x" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ] {
            let res = app
                .client
                .request(method.clone(), format!("{}{concrete}", app.base))
                .send()
                .await
                .unwrap();
            if res.status() != StatusCode::METHOD_NOT_ALLOWED {
                routes.insert((method.to_string(), path.clone()));
            }
        }
    }
    routes
}

#[tokio::test]
async fn every_route_the_server_has_is_in_the_authorization_matrix() {
    let app = TestApp::spawn().await;
    let served = served_routes(&app).await;
    let listed: BTreeSet<(String, String)> =
        table().into_iter().map(|r| (r.method, r.path)).collect();
    let unlisted: Vec<_> = served.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&served).collect();
    assert!(
        unlisted.is_empty(),
        "routes missing from docs/authorization.md: {unlisted:?}"
    );
    assert!(
        stale.is_empty(),
        "docs/authorization.md lists routes the server does not have: {stale:?}"
    );
}
