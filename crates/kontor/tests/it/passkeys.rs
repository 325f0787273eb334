//! #21: passkeys over HTTP, the browser's part played by the test with a
//! P-256 key (ring): registration, sign-in without a password (user
//! verification required, the user handle naming the person), the second
//! step after a password, a replayed or counter-rewound assertion
//! refused, removal. On both databases.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use reqwest::StatusCode;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::*;
use crate::portal::{browser, hidden, page};

const ANNA: &str = "anna@muster.example";
const ORIGIN: &str = "http://localhost:8080";

/// A passkey on a test "device".
struct Device {
    pair: EcdsaKeyPair,
    id: String,
}

impl Device {
    fn new() -> Device {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        let id = B64.encode(rand_bytes());
        Device { pair, id }
    }

    fn spki(&self) -> Vec<u8> {
        let mut spki = hex_bytes("3059301306072a8648ce3d020106082a8648ce3d030107034200");
        spki.extend_from_slice(self.pair.public_key().as_ref());
        spki
    }

    fn auth_data(flags: u8, count: u32) -> Vec<u8> {
        let mut a = Sha256::digest(b"localhost").to_vec();
        a.push(flags);
        a.extend_from_slice(&count.to_be_bytes());
        a
    }

    fn client_data(kind: &str, challenge: &str) -> Vec<u8> {
        json!({ "type": kind, "challenge": challenge, "origin": ORIGIN, "crossOrigin": false })
            .to_string()
            .into_bytes()
    }

    /// What `PublicKeyCredential.toJSON()` gives after `create()`.
    fn register(&self, challenge: &str) -> String {
        json!({
            "id": self.id, "rawId": self.id, "type": "public-key",
            "response": {
                "clientDataJSON": B64.encode(Self::client_data("webauthn.create", challenge)),
                "authenticatorData": B64.encode(Self::auth_data(0x45, 0)),
                "publicKey": B64.encode(self.spki()),
                "publicKeyAlgorithm": -7,
            }
        })
        .to_string()
    }

    /// What `toJSON()` gives after `get()`.
    fn assert(&self, challenge: &str, flags: u8, count: u32, user: Option<&[u8]>) -> String {
        let client = Self::client_data("webauthn.get", challenge);
        let auth = Self::auth_data(flags, count);
        let mut signed = auth.clone();
        signed.extend_from_slice(&Sha256::digest(&client));
        let sig = self.pair.sign(&SystemRandom::new(), &signed).unwrap();
        json!({
            "id": self.id, "rawId": self.id, "type": "public-key",
            "response": {
                "clientDataJSON": B64.encode(client),
                "authenticatorData": B64.encode(auth),
                "signature": B64.encode(sig.as_ref()),
                "userHandle": user.map(|u| B64.encode(u)),
            }
        })
        .to_string()
    }
}

fn rand_bytes() -> [u8; 16] {
    let mut b = [0u8; 16];
    ring::rand::SecureRandom::fill(&SystemRandom::new(), &mut b).unwrap();
    b
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

fn unescape(html: &str) -> String {
    html.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The sign-in page's token, and the options the passkey button fetches.
async fn signin_options(app: &TestApp, c: &reqwest::Client, from: &str) -> (String, Value) {
    let (_, html) = page(app, c, from).await;
    let csrf = hidden(&html, "csrf");
    let res = c
        .post(format!("{}/signin/passkey/options", app.base))
        .header("origin", &app.base)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    (csrf, res.json().await.unwrap())
}

async fn send(
    app: &TestApp,
    c: &reqwest::Client,
    csrf: &str,
    credential: &str,
) -> reqwest::Response {
    c.post(format!("{}/signin/passkey", app.base))
        .header("origin", &app.base)
        .form(&[("csrf", csrf), ("credential", credential)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_passkey_is_registered_signs_in_with_and_without_a_password_and_is_removed() {
    let app = TestApp::spawn_with(|c| c.public_url = ORIGIN.into()).await;
    let anna = browser(&app, ANNA, "en").await;
    let device = Device::new();

    // Registration: the options name the relying party and the person.
    let (_, html) = page(&app, &anna, "/account/security").await;
    let csrf = hidden(&html, "csrf");
    let res = anna
        .post(format!("{}/account/security/passkeys/new", app.base))
        .header("origin", &app.base)
        .form(&[("name", "Laptop"), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let start = html.find("data-options=\"").unwrap() + 14;
    let options: Value = serde_json::from_str(&unescape(
        &html[start..start + html[start..].find('"').unwrap()],
    ))
    .unwrap();
    assert_eq!(options["rp"]["id"], "localhost");
    assert_eq!(
        options["authenticatorSelection"]["userVerification"],
        "required"
    );
    let challenge = options["challenge"].as_str().unwrap().to_owned();
    let handle = B64.decode(options["user"]["id"].as_str().unwrap()).unwrap();

    let add = |credential: String| {
        let (app, anna, csrf) = (&app, &anna, csrf.clone());
        async move {
            anna.post(format!("{}/account/security/passkeys", app.base))
                .header("origin", &app.base)
                .form(&[
                    ("name", "Laptop"),
                    ("credential", credential.as_str()),
                    ("csrf", csrf.as_str()),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    // Another challenge than the one issued: refused, nothing stored.
    let res = add(device.register("bm90LXRoZS1jaGFsbGVuZ2U")).await;
    assert_eq!(location(&res), "/account/security?done=passkey-refused");
    let res = add(device.register(&challenge)).await;
    assert_eq!(location(&res), "/account/security?done=passkey");
    // The challenge is spent.
    let res = add(device.register(&challenge)).await;
    assert_eq!(location(&res), "/account/security?done=passkey-refused");
    let (_, html) = page(&app, &anna, "/account/security").await;
    assert!(html.contains("Laptop"));

    // Without a password: user verification and the user handle needed.
    let c = cookie_browser();
    let (csrf, options) = signin_options(&app, &c, "/signin").await;
    assert_eq!(options["userVerification"], "required");
    let ch = options["challenge"].as_str().unwrap();
    let res = send(&app, &c, &csrf, &device.assert(ch, 0x01, 1, Some(&handle))).await;
    assert_eq!(
        location(&res),
        "/signin?passkey=refused",
        "presence alone is not enough"
    );
    let (csrf, options) = signin_options(&app, &c, "/signin").await;
    let ch = options["challenge"].as_str().unwrap().to_owned();
    let assertion = device.assert(&ch, 0x05, 1, Some(&handle));
    let res = send(&app, &c, &csrf, &assertion).await;
    assert_eq!(location(&res), "/agreements");
    assert_eq!(page(&app, &c, "/agreements").await.0, StatusCode::OK);
    // The same assertion again: its challenge is spent.
    let other = cookie_browser();
    let (csrf2, _) = signin_options(&app, &other, "/signin").await;
    assert_eq!(
        location(&send(&app, &other, &csrf2, &assertion).await),
        "/signin?passkey=refused"
    );

    // As the second step after the password; a counter that went back is
    // a cloned key.
    let c = cookie_browser();
    let (_, html) = page(&app, &c, "/signin").await;
    let token = hidden(&html, "csrf");
    let res = c
        .post(format!("{}/signin", app.base))
        .form(&[
            ("email", ANNA),
            ("password", "kontor-demo"),
            ("csrf", token.as_str()),
            ("next", "/agreements"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/signin/code");
    let (csrf, options) = signin_options(&app, &c, "/signin/code").await;
    assert_eq!(options["allowCredentials"][0]["id"], device.id.as_str());
    let ch = options["challenge"].as_str().unwrap();
    let res = send(&app, &c, &csrf, &device.assert(ch, 0x01, 1, None)).await;
    assert_eq!(
        location(&res),
        "/signin/code?passkey=refused",
        "counter 1 was seen already"
    );
    let (csrf, options) = signin_options(&app, &c, "/signin/code").await;
    let ch = options["challenge"].as_str().unwrap();
    let res = send(&app, &c, &csrf, &device.assert(ch, 0x01, 2, None)).await;
    assert_eq!(location(&res), "/agreements");

    // "Confirm it's you" before a sensitive form, answered with the passkey.
    // (`c` signed in with the passkey as the second step, above.)
    let signed_in = c;
    app.advance(time::Duration::minutes(16));
    let (_, html) = page(&app, &signed_in, "/account/settings").await;
    let csrf = hidden(&html, "csrf");
    let fields = [
        ("label", "by passkey"),
        ("valid_days", ""),
        ("csrf", csrf.as_str()),
    ];
    let res = signed_in
        .post(format!("{}/account/settings/tokens", app.base))
        .header("origin", &app.base)
        .form(&fields)
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(
        html.contains("data-options-url=\"/account/reauth/passkey-options\""),
        "{html}"
    );
    let options: Value = signed_in
        .post(format!("{}/account/reauth/passkey-options", app.base))
        .header("origin", &app.base)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let proof = device.assert(options["challenge"].as_str().unwrap(), 0x01, 3, None);
    let mut with_proof = fields.to_vec();
    with_proof.push(("reauth_passkey", &proof));
    let res = signed_in
        .post(format!("{}/account/settings/tokens", app.base))
        .header("origin", &app.base)
        .form(&with_proof)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let tokens = json_with(app.get(ANNA, "/api/v1/tokens").await, StatusCode::OK).await;
    assert!(
        tokens["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["label"] == "by passkey")
    );

    // Removed: it signs nobody in any more.
    let (_, html) = page(&app, &signed_in, "/account/security").await;
    let csrf = hidden(&html, "csrf");
    let res = signed_in
        .post(format!(
            "{}/account/security/passkeys/{}/remove",
            app.base, device.id
        ))
        .header("origin", &app.base)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/account/security?done=passkey-removed");
    let c = cookie_browser();
    let (csrf, options) = signin_options(&app, &c, "/signin").await;
    let ch = options["challenge"].as_str().unwrap();
    let res = send(&app, &c, &csrf, &device.assert(ch, 0x05, 4, Some(&handle))).await;
    assert_eq!(location(&res), "/signin?passkey=refused");

    let audit = json_with(
        app.get("olga@vendor.example", "/api/v1/audit?limit=500")
            .await,
        StatusCode::OK,
    )
    .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"passkey_added") && actions.contains(&"passkey_removed"));
}
