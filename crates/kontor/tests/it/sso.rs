//! #21: single sign-on with OpenID Connect against a small OpenID provider
//! run by the test (axum, ID tokens signed with ring): home-realm
//! discovery, the first sign-in creating the person, "SSO required" with
//! the primary admin's break glass, and every refusal — a wrong nonce,
//! audience or issuer, an expired token, a foreign key, an unbound domain,
//! an unverified email, a replayed or foreign answer, a wrong PKCE
//! verifier. The end-to-end run against a real provider (oidc-provider)
//! is in `e2e/tests/sso.test.mjs`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine as _;
use reqwest::StatusCode;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use serde_json::{Value, json};
use time::Duration;

use crate::helpers::*;
use crate::portal::{browser, hidden, page};

const ANNA: &str = "anna@muster.example";
const BERND: &str = "bernd@muster.example";
const OLGA: &str = "olga@vendor.example";
const SAM: &str = "sam@vendor.example";
const MUSTER: &str = "7000000001";
const CLIENT_ID: &str = "kontor-test";
const SECRET: &str = "s3cret";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn new_key() -> EcdsaKeyPair {
    let rng = SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
    EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap()
}

/// A JWT signed ES256 with `key` under `kid`.
fn sign(key: &EcdsaKeyPair, kid: &str, claims: &Value) -> String {
    let header = json!({ "alg": "ES256", "typ": "JWT", "kid": kid });
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let sig = key.sign(&SystemRandom::new(), input.as_bytes()).unwrap();
    format!("{input}.{}", b64(sig.as_ref()))
}

/// What the provider answers for one code.
struct Issued {
    challenge: String,
    claims: Value,
    /// Sign with a key the provider does not publish.
    foreign_key: bool,
}

struct Op {
    base: String,
    key: EcdsaKeyPair,
    stranger: EcdsaKeyPair,
    codes: Mutex<HashMap<String, Issued>>,
}

/// The test's OpenID provider on 127.0.0.1:0.
async fn provider() -> Arc<Op> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let op = Arc::new(Op {
        base,
        key: new_key(),
        stranger: new_key(),
        codes: Mutex::new(HashMap::new()),
    });
    let app = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/token", post(token))
        .with_state(op.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    op
}

async fn discovery(State(op): State<Arc<Op>>) -> Json<Value> {
    Json(json!({
        "issuer": op.base,
        "authorization_endpoint": format!("{}/authorize", op.base),
        "token_endpoint": format!("{}/token", op.base),
        "jwks_uri": format!("{}/jwks", op.base),
        "code_challenge_methods_supported": ["S256"],
        "response_types_supported": ["code"],
    }))
}

async fn jwks(State(op): State<Arc<Op>>) -> Json<Value> {
    let public = op.key.public_key().as_ref();
    Json(json!({ "keys": [{
        "kty": "EC", "crv": "P-256", "kid": "k1", "use": "sig", "alg": "ES256",
        "x": b64(&public[1..33]), "y": b64(&public[33..65]),
    }]}))
}

async fn token(
    State(op): State<Arc<Op>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> axum::response::Response {
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{SECRET}"))
    );
    let refuse = |error: &str| {
        (
            axum::http::StatusCode::BAD_REQUEST,
            Json(json!({ "error": error })),
        )
            .into_response()
    };
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(basic.as_str()) {
        return refuse("invalid_client");
    }
    let Some(issued) = op.codes.lock().unwrap().remove(&form["code"]) else {
        return refuse("invalid_grant");
    };
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    if kontor_core::domain::sso::pkce_challenge(&verifier) != issued.challenge {
        return refuse("invalid_grant");
    }
    let key = if issued.foreign_key {
        &op.stranger
    } else {
        &op.key
    };
    let id_token = sign(key, "k1", &issued.claims);
    Json(json!({ "access_token": "at", "token_type": "Bearer", "id_token": id_token }))
        .into_response()
}

/// A query parameter of a URL.
fn param(url: &str, name: &str) -> String {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// An app whose primary admin set up `op` for Muster Bau, with
/// `muster.example` bound by the operator.
async fn app_with(op: &Op, required: bool) -> TestApp {
    let app = TestApp::spawn_with(|c| c.sso_allow_private = true).await;
    let res = app
        .post(
            OLGA,
            "/api/v1/sso-domains",
            &json!({ "domain": "Muster.Example", "account": MUSTER }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = app
        .put(
            ANNA,
            "/api/v1/account/sso",
            &json!({ "issuer": op.base, "client_id": CLIENT_ID, "client_secret": SECRET,
                     "enabled": true, "required": required, "newcomer_role": "user" }),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    app
}

/// A person at the provider, with the claims of a good ID token for the
/// trip that `authorize` (the provider's sign-in page) was sent.
fn claims(op: &Op, app: &TestApp, authorize: &str, sub: &str, email: &str) -> Value {
    let now = app.clock_now().unix_timestamp();
    json!({
        "iss": op.base, "sub": sub, "aud": CLIENT_ID, "exp": now + 300, "iat": now,
        "nonce": param(authorize, "nonce"), "email": email, "email_verified": true,
        "name": "Neu Person", "locale": "de-DE",
    })
}

/// Starts single sign-on for `email` in `browser`: the address of the
/// provider's sign-in page.
async fn start(app: &TestApp, browser: &reqwest::Client, email: &str) -> String {
    let res = browser
        .get(format!(
            "{}/sso/start?email={email}&next=/agreements",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    location(&res)
}

/// The provider signs the person in and sends the browser back.
async fn come_back(
    op: &Op,
    app: &TestApp,
    browser: &reqwest::Client,
    authorize: &str,
    claims: Value,
    tweak: impl FnOnce(&mut Issued, &mut Vec<(String, String)>),
) -> reqwest::Response {
    let code = uuid::Uuid::now_v7().to_string();
    let mut issued = Issued {
        challenge: param(authorize, "code_challenge"),
        claims,
        foreign_key: false,
    };
    let mut query = vec![
        ("code".to_owned(), code.clone()),
        ("state".to_owned(), param(authorize, "state")),
        ("iss".to_owned(), op.base.clone()),
    ];
    tweak(&mut issued, &mut query);
    op.codes.lock().unwrap().insert(code, issued);
    let mut url = reqwest::Url::parse(&format!("{}/sso/callback", app.base)).unwrap();
    url.query_pairs_mut().extend_pairs(&query);
    browser.get(url).send().await.unwrap()
}

/// A full sign-in of `sub`/`email`; the callback's answer.
async fn sign_in(
    op: &Op,
    app: &TestApp,
    browser: &reqwest::Client,
    sub: &str,
    email: &str,
) -> reqwest::Response {
    let authorize = start(app, browser, email).await;
    let claims = claims(op, app, &authorize, sub, email);
    come_back(op, app, browser, &authorize, claims, |_, _| {}).await
}

async fn me(app: &TestApp, browser: &reqwest::Client) -> StatusCode {
    page(app, browser, "/agreements").await.0
}

#[tokio::test]
async fn home_realm_discovery_sends_the_domain_to_its_provider_and_creates_newcomers() {
    let op = provider().await;
    let app = app_with(&op, false).await;

    // The sign-in page: the email first, single sign-on chosen.
    let b = cookie_browser();
    let (_, html) = page(&app, &b, "/signin").await;
    let res = b
        .post(format!("{}/signin", app.base))
        .form(&[
            ("email", "Neu@Muster.Example"),
            ("sso", "1"),
            ("csrf", &hidden(&html, "csrf")),
            ("next", "/agreements/110000000001"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("/sso/start?email=Neu%40Muster.Example&#38;next=/agreements/110000000001"),
        "{html}"
    );
    // Nobody has that address yet: no password to offer.
    assert!(!html.contains("/signin?email="), "{html}");

    // The trip carries PKCE (S256), state, nonce and the email as a hint.
    let authorize = start(&app, &b, "neu@muster.example").await;
    assert!(authorize.starts_with(&format!("{}/authorize?", op.base)));
    assert_eq!(param(&authorize, "client_id"), CLIENT_ID);
    assert_eq!(param(&authorize, "code_challenge_method"), "S256");
    assert_eq!(param(&authorize, "response_type"), "code");
    assert_eq!(param(&authorize, "login_hint"), "neu@muster.example");
    assert_eq!(
        param(&authorize, "redirect_uri"),
        format!("{}/sso/callback", app.config.public_url)
    );
    assert_eq!(param(&authorize, "state").len(), 43);
    assert_ne!(param(&authorize, "state"), param(&authorize, "nonce"));

    // First sign-in: the person is created with the account's default role.
    let claims = claims(&op, &app, &authorize, "sub-neu", "neu@muster.example");
    let res = come_back(&op, &app, &b, &authorize, claims, |_, _| {}).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/agreements");
    assert_eq!(me(&app, &b).await, StatusCode::OK);
    let person = app
        .services
        .store
        .user_by_email("neu@muster.example")
        .await
        .unwrap()
        .expect("created at the first sign-in");
    assert_eq!(person.actor.role.as_str(), "user");
    assert_eq!(person.actor.lang.as_str(), "de");
    assert!(person.password_hash.is_none());
    let actions = audit_actions(&app).await;
    assert_eq!(
        actions.iter().filter(|a| *a == "user_created").count(),
        1,
        "{actions:?}"
    );
    assert_eq!(actions.iter().filter(|a| *a == "sso_linked").count(), 1);

    // The next sign-in finds them by their subject: nobody new.
    let again = cookie_browser();
    let res = sign_in(&op, &app, &again, "sub-neu", "neu@muster.example").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(me(&app, &again).await, StatusCode::OK);
    let actions = audit_actions(&app).await;
    assert_eq!(actions.iter().filter(|a| *a == "sso_linked").count(), 1);

    // Someone who exists signs in and is linked, keeping their role.
    let c = cookie_browser();
    let res = sign_in(&op, &app, &c, "sub-bernd", BERND).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let bernd = app
        .services
        .store
        .user_by_email(BERND)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bernd.actor.role.as_str(), "secondary_admin");

    // SSO not required: the password works as well.
    browser(&app, BERND, "de").await;

    // An address outside the bound domain has no single sign-on.
    let d = cookie_browser();
    let res = d
        .get(format!(
            "{}/sso/start?email=dora@example-ltd.example",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&res),
        "/signin?sso=none&email=dora%40example-ltd.example"
    );
}

#[tokio::test]
async fn sso_required_refuses_passwords_except_the_primary_admins_break_glass() {
    let op = provider().await;
    let app = app_with(&op, true).await;

    // Bernd's right password is not even checked: he is sent to the
    // provider's link.
    let b = cookie_browser();
    let (_, html) = page(&app, &b, "/signin").await;
    let res = b
        .post(format!("{}/signin", app.base))
        .form(&[
            ("email", BERND),
            ("password", "kontor-demo"),
            ("csrf", &hidden(&html, "csrf")),
            ("next", "/agreements"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("/sso/start?email=bernd%40muster.example"));
    assert!(!html.contains("Mit Passwort anmelden") && !html.contains("Sign in with password"));
    assert_eq!(me(&app, &b).await, StatusCode::SEE_OTHER);

    // No API token by password either.
    let res = app
        .client
        .post(format!("{}/api/v1/tokens", app.base))
        .json(&json!({ "email": BERND, "password": "kontor-demo" }))
        .send()
        .await
        .unwrap();
    let problem = json_with(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["email"]);

    // The primary admin keeps the password (break glass) ...
    browser(&app, ANNA, "de").await;
    // ... and is offered both on the single sign-on step.
    let a = cookie_browser();
    let (_, html) = page(&app, &a, "/signin").await;
    let res = a
        .post(format!("{}/signin", app.base))
        .form(&[
            ("email", ANNA),
            ("sso", "1"),
            ("csrf", &hidden(&html, "csrf")),
        ])
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(
        html.contains("/signin?email=anna%40muster.example\""),
        "{html}"
    );

    // Signing in at the provider works, and the provider answers for the
    // second factor: the account's rule ("everyone", overdue) does not
    // hold Bernd up, while it does hold up the break-glass admin.
    use kontor_core::domain::second_factor::{AccountSecurity, TwoFactorRule};
    let rule = AccountSecurity {
        rule: TwoFactorRule::Everyone,
        grace_days: 0,
        since: app.clock_now() - Duration::days(1),
    };
    let entry = kontor_core::domain::audit::AuditEntry::new(
        app.clock_now(),
        kontor_core::domain::audit::By::System("test"),
        kontor_core::domain::audit::AuditAction::SecondFactorRuleChanged,
    );
    app.services
        .store
        .set_account_security(
            &kontor_core::domain::ids::Csn::parse(MUSTER).unwrap(),
            &rule,
            &entry,
        )
        .await
        .unwrap();
    let anna = json_with(
        app.get(ANNA, "/api/v1/me/second-factor").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(anna["standing"], "due");
    let res = sign_in(&op, &app, &b, "sub-bernd", BERND).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(me(&app, &b).await, StatusCode::OK);
    let standing = json_with(
        app.get(BERND, "/api/v1/me/second-factor").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(standing["standing"], "optional");

    // Re-authentication for a sensitive form sends him to the provider.
    app.advance(Duration::minutes(20));
    let (_, html) = page(&app, &b, "/account/settings").await;
    let res = b
        .post(format!("{}/account/settings/tokens", app.base))
        .header("origin", &app.base)
        .form(&[("name", "ci"), ("csrf", &hidden(&html, "csrf"))])
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(
        html.contains("/sso/start?email=bernd%40muster.example"),
        "{html}"
    );
    assert!(!html.contains("reauth_password"));
}

#[tokio::test]
async fn forged_replayed_and_foreign_answers_are_refused() {
    let op = provider().await;
    let app = app_with(&op, false).await;
    let email = "neu@muster.example";

    type Spoil = fn(&mut Value, &mut Issued, &mut Vec<(String, String)>, &str);
    // Each with the words the person reads.
    let cases: Vec<(&str, Spoil, &str)> = vec![
        (
            "wrong nonce",
            |c, _, _, _| c["nonce"] = json!("other"),
            "could not be confirmed",
        ),
        (
            "wrong audience",
            |c, _, _, _| c["aud"] = json!("someone-else"),
            "could not be confirmed",
        ),
        (
            "wrong issuer",
            |c, _, _, _| c["iss"] = json!("https://evil.example"),
            "could not be confirmed",
        ),
        (
            "expired",
            |c, _, _, now| c["exp"] = json!(now.parse::<i64>().unwrap() - 61),
            "could not be confirmed",
        ),
        (
            "foreign key",
            |_, i, _, _| i.foreign_key = true,
            "could not be confirmed",
        ),
        (
            "unbound domain",
            |c, _, _, _| c["email"] = json!("neu@other.example"),
            "not bound",
        ),
        (
            "unverified email",
            |c, _, _, _| c["email_verified"] = json!(false),
            "verified email",
        ),
        (
            "answer from another issuer",
            |_, _, q, _| q[2].1 = "https://evil.example".into(),
            "another identity provider",
        ),
        (
            "wrong PKCE verifier",
            |_, i, _, _| i.challenge = "not-the-challenge".into(),
            "could not be confirmed",
        ),
        (
            "provider declined",
            |_, _, q, _| q.push(("error".into(), "access_denied".into())),
            "cancelled or declined",
        ),
    ];
    for (what, spoil, words) in cases {
        let b = cookie_browser();
        let authorize = start(&app, &b, email).await;
        let mut c = claims(&op, &app, &authorize, "sub-x", email);
        let now = app.clock_now().unix_timestamp().to_string();
        let res = come_back(&op, &app, &b, &authorize, c.take(), |i, q| {
            let mut claims = std::mem::take(&mut i.claims);
            spoil(&mut claims, i, q, &now);
            i.claims = claims;
        })
        .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{what}");
        let html = res.text().await.unwrap();
        assert!(html.contains(words), "{what}: {html}");
        assert_eq!(me(&app, &b).await, StatusCode::SEE_OTHER, "{what}");
    }
    // Nobody was created by any of them.
    assert!(
        app.services
            .store
            .user_by_email(email)
            .await
            .unwrap()
            .is_none()
    );

    // Expiry has 60 seconds of leeway, by kontor's clock.
    let b = cookie_browser();
    let authorize = start(&app, &b, email).await;
    let mut c = claims(&op, &app, &authorize, "sub-x", email);
    c["exp"] = json!(app.clock_now().unix_timestamp() - 60);
    let res = come_back(&op, &app, &b, &authorize, c, |_, _| {}).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // An answer counts once, and only in the browser that left.
    let b = cookie_browser();
    let authorize = start(&app, &b, email).await;
    let c = claims(&op, &app, &authorize, "sub-x", email);
    let stranger = cookie_browser();
    let res = come_back(&op, &app, &stranger, &authorize, c.clone(), |_, _| {}).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "another browser");
    let res = come_back(&op, &app, &b, &authorize, c.clone(), |_, _| {}).await;
    // The stranger's attempt did not spend the trip: the right browser
    // still signs in.
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = come_back(&op, &app, &b, &authorize, c, |_, _| {}).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "replayed");

    // A trip lasts ten minutes.
    let b = cookie_browser();
    let authorize = start(&app, &b, email).await;
    app.advance(Duration::minutes(10) + Duration::seconds(1));
    let c = claims(&op, &app, &authorize, "sub-x", email);
    let res = come_back(&op, &app, &b, &authorize, c, |_, _| {}).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "too late");

    // A person whose access was removed stays out.
    app.services
        .remove_access(
            &app.services
                .store
                .user_by_email(ANNA)
                .await
                .unwrap()
                .unwrap()
                .actor,
            email,
        )
        .await
        .unwrap();
    let b = cookie_browser();
    let res = sign_in(&op, &app, &b, "sub-x", email).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "access removed");
    let html = res.text().await.unwrap();
    assert!(
        html.contains("removed") || html.contains("entfernt"),
        "{html}"
    );
}

#[tokio::test]
async fn settings_and_domains_are_checked_audited_and_kept_to_their_roles() {
    let op = provider().await;
    let app = TestApp::spawn_with(|c| c.sso_allow_private = true).await;
    let good = json!({ "issuer": op.base, "client_id": CLIENT_ID, "client_secret": SECRET,
                       "enabled": true, "required": false, "newcomer_role": "user" });

    // Only the primary admin sets it up; nobody else reads it.
    for who in [BERND, SAM, OLGA] {
        assert_eq!(
            app.put(who, "/api/v1/account/sso", &good).await.status(),
            StatusCode::FORBIDDEN,
            "{who}"
        );
        assert_eq!(
            app.get(who, "/api/v1/account/sso").await.status(),
            StatusCode::FORBIDDEN
        );
    }

    // Each bad field named; nothing written.
    let mut bad = good.clone();
    bad["issuer"] = json!(format!("{}/nothing-here", op.base));
    let problem = json_with(
        app.put(ANNA, "/api/v1/account/sso", &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["issuer"]);
    let mut bad = good.clone();
    bad["enabled"] = json!(false);
    bad["required"] = json!(true);
    bad["client_secret"] = json!("");
    let problem = json_with(
        app.put(ANNA, "/api/v1/account/sso", &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["client_secret", "required"]);
    let shown = json_with(app.get(ANNA, "/api/v1/account/sso").await, StatusCode::OK).await;
    assert_eq!(shown["client_secret_set"], false);

    // Saved; the secret is never shown and kept when left out.
    let saved = json_with(
        app.put(ANNA, "/api/v1/account/sso", &good).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(saved["client_secret_set"], true);
    assert!(!saved.to_string().contains(SECRET));
    let mut again = good.clone();
    again.as_object_mut().unwrap().remove("client_secret");
    again["required"] = json!(true);
    assert_eq!(
        app.put(ANNA, "/api/v1/account/sso", &again).await.status(),
        StatusCode::OK
    );
    let stored = app
        .services
        .store
        .sso_settings(&kontor_core::domain::ids::Csn::parse(MUSTER).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.client_secret, SECRET);
    assert!(stored.required);

    // Domains: operators bind them, support reads them, nobody else.
    let bind = |domain: &str, account: &str| json!({ "domain": domain, "account": account });
    assert_eq!(
        app.post(SAM, "/api/v1/sso-domains", &bind("muster.example", MUSTER))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(ANNA, "/api/v1/sso-domains").await.status(),
        StatusCode::FORBIDDEN
    );
    for (domain, account, field) in [
        ("gmail.com", MUSTER, "domain"),
        ("not a domain", MUSTER, "domain"),
        ("muster.example", "7999999999", "account"),
    ] {
        let problem = json_with(
            app.post(OLGA, "/api/v1/sso-domains", &bind(domain, account))
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&problem), [field], "{domain} {account}");
    }
    assert_eq!(
        app.post(OLGA, "/api/v1/sso-domains", &bind("muster.example", MUSTER))
            .await
            .status(),
        StatusCode::CREATED
    );
    // A domain belongs to one account.
    let problem = json_with(
        app.post(
            OLGA,
            "/api/v1/sso-domains",
            &bind("muster.example", "7000000002"),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["domain"]);
    let listed = json_with(app.get(SAM, "/api/v1/sso-domains").await, StatusCode::OK).await;
    assert_eq!(listed[0]["domain"], "muster.example");
    assert_eq!(listed[0]["approved_by"], OLGA);
    let shown = json_with(app.get(ANNA, "/api/v1/account/sso").await, StatusCode::OK).await;
    assert_eq!(shown["domains"], json!(["muster.example"]));

    // Unbound: the domain's people use passwords again.
    let res = app
        .client
        .delete(format!("{}/api/v1/sso-domains/muster.example", app.base))
        .bearer_auth(app.token(OLGA).await)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    browser(&app, BERND, "de").await;
    let res = app
        .client
        .delete(format!("{}/api/v1/sso-domains/muster.example", app.base))
        .bearer_auth(app.token(OLGA).await)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let actions = audit_actions(&app).await;
    for action in [
        "sso_settings_changed",
        "sso_domain_bound",
        "sso_domain_unbound",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "sso_settings_changed")
            .count(),
        2
    );
}

#[tokio::test]
async fn providers_on_private_addresses_are_refused_unless_allowed() {
    let op = provider().await;
    let app = TestApp::spawn().await;
    let res = app
        .put(
            ANNA,
            "/api/v1/account/sso",
            &json!({ "issuer": op.base, "client_id": CLIENT_ID, "client_secret": SECRET,
                     "enabled": true, "required": false, "newcomer_role": "user" }),
        )
        .await;
    let problem = json_with(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["issuer"]);
    assert!(
        problem.to_string().contains("sso_allow_private"),
        "{problem}"
    );
}
