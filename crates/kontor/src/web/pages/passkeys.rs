//! Passkeys in the portal (#21): adding one on the security page, signing
//! in with one — the second step after the password, or without a
//! password — and removing one. The browser's part is
//! `static/passkeys.js`; each ceremony's result comes back as a form
//! field, so every step ends in an ordinary form post.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Json, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;
use kontor_core::Error;
use kontor_core::domain::passkey::{ALGORITHMS, ChallengePurpose, b64url, from_b64url};
use kontor_core::service::passkeys::{Ceremony, user_handle};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Chrome;
use super::error::PageError;
use super::session::{
    SECURITY_PAGE, SignedIn, end_second_step, language, second_step, signin_csrf, start_session,
    verify_form,
};
use crate::i18n::Tr;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/security/passkeys/new", post(new_form))
        .route("/account/security/passkeys", post(add))
        .route(
            "/account/security/passkeys/{credential}/remove",
            post(remove),
        )
        .route("/signin/passkey/options", post(signin_options))
        .route("/signin/passkey", post(signin))
        .route("/account/reauth/passkey-options", post(reauth_options))
}

/// Milliseconds the browser waits for the person.
const TIMEOUT_MS: i64 = 300_000;

#[derive(Template, WebTemplate)]
#[template(path = "pages/passkey_new.html")]
struct NewPasskeyPage {
    c: Chrome,
    name: String,
    /// The creation options, JSON (the page's script reads them).
    options: String,
}

#[derive(Debug, Deserialize)]
struct NameForm {
    #[serde(default)]
    name: String,
    csrf: Option<String>,
}

/// The second step of adding a passkey: the browser creates it.
async fn new_form(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<NameForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let core = |e| PageError::from_core(e, me.tr);
    let challenge = state
        .services
        .passkey_challenge(
            Some(me.actor.user_id),
            ChallengePurpose::Register,
            rand::random(),
        )
        .await
        .map_err(core)?;
    let existing = state.services.passkeys(&me.actor).await.map_err(core)?;
    let rp = state.config.relying_party();
    let options = json!({
        "challenge": challenge,
        "rp": { "id": rp.id, "name": "kontor" },
        "user": {
            "id": b64url(&user_handle(me.actor.user_id)),
            "name": me.actor.email,
            "displayName": me.actor.name,
        },
        "pubKeyCredParams": ALGORITHMS.iter().map(|alg| json!({ "type": "public-key", "alg": alg })).collect::<Vec<_>>(),
        "timeout": TIMEOUT_MS,
        "excludeCredentials": existing.iter().map(|p| json!({ "type": "public-key", "id": p.credential_id })).collect::<Vec<_>>(),
        "authenticatorSelection": { "residentKey": "required", "requireResidentKey": true, "userVerification": "required" },
        "attestation": "none",
    });
    Ok(NewPasskeyPage {
        c: Chrome::new(&me, "settings", SECURITY_PAGE),
        name: f.name.trim().chars().take(60).collect(),
        options: options.to_string(),
    }
    .into_response())
}

#[derive(Debug, Deserialize)]
struct CredentialForm {
    #[serde(default)]
    name: String,
    credential: String,
    csrf: Option<String>,
}

/// What `PublicKeyCredential.toJSON()` sent, decoded; `None` when it is
/// not such a thing.
pub(super) fn ceremony(raw: &str) -> Option<Ceremony> {
    let v: Value = serde_json::from_str(raw).ok()?;
    let r = v.get("response")?;
    let bytes = |field: &str| r.get(field).and_then(Value::as_str).and_then(from_b64url);
    let public_key = match (
        bytes("publicKey"),
        r.get("publicKeyAlgorithm").and_then(Value::as_i64),
    ) {
        (Some(key), Some(alg)) => Some((key, alg)),
        _ => None,
    };
    Some(Ceremony {
        credential_id: v.get("id")?.as_str()?.to_owned(),
        client_data_json: bytes("clientDataJSON")?,
        authenticator_data: bytes("authenticatorData")?,
        public_key,
        signature: bytes("signature").unwrap_or_default(),
        user_handle: bytes("userHandle"),
    })
}

async fn add(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<CredentialForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let Some(ceremony) = ceremony(&f.credential) else {
        return Err(PageError::bad_request(me.tr));
    };
    let rp = state.config.relying_party();
    match state
        .services
        .register_passkey(&me.actor, &rp, &f.name, &ceremony)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("{SECURITY_PAGE}?done=passkey")).into_response()),
        Err(Error::Invalid(_) | Error::Refused(_) | Error::Conflict { .. }) => {
            Ok(Redirect::to(&format!("{SECURITY_PAGE}?done=passkey-refused")).into_response())
        }
        Err(e) => Err(PageError::from_core(e, me.tr)),
    }
}

#[derive(Debug, Deserialize)]
struct CsrfOnly {
    csrf: Option<String>,
}

async fn remove(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(credential): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    match state.services.remove_passkey(&me.actor, &credential).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("{SECURITY_PAGE}?done=passkey-removed")).into_response())
        }
        Err(Error::Conflict { .. }) => {
            Ok(Redirect::to(&format!("{SECURITY_PAGE}?done=passkey-required")).into_response())
        }
        Err(e) => Err(PageError::from_core(e, me.tr)),
    }
}

/// The request options for signing in: for the person in the second step
/// of a sign-in (their passkeys), else for whoever the passkey names.
async fn signin_options(
    State(state): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    let tr = Tr::new(language(&jar, &headers, None));
    verify_form(&headers, f.csrf.as_deref(), &signin_csrf(&state, &jar), tr)?;
    let core = |e| PageError::from_core(e, tr);
    let person = second_step(&state, &jar).await?.map(|(_, actor)| actor);
    let (purpose, allowed) = match &person {
        Some(actor) => (
            ChallengePurpose::SecondFactor,
            state.services.passkeys(actor).await.map_err(core)?,
        ),
        None => (ChallengePurpose::Passwordless, Vec::new()),
    };
    let challenge = state
        .services
        .passkey_challenge(person.as_ref().map(|a| a.user_id), purpose, rand::random())
        .await
        .map_err(core)?;
    let verification = if person.is_some() {
        "preferred"
    } else {
        "required"
    };
    Ok(Json(request_options(&state, &challenge, verification, &allowed)).into_response())
}

/// The request options for confirming it's you with a passkey before a
/// sensitive action (`reauth`).
async fn reauth_options(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let core = |e| PageError::from_core(e, me.tr);
    let allowed = state.services.passkeys(&me.actor).await.map_err(core)?;
    let challenge = state
        .services
        .passkey_challenge(
            Some(me.actor.user_id),
            ChallengePurpose::SecondFactor,
            rand::random(),
        )
        .await
        .map_err(core)?;
    Ok(Json(request_options(&state, &challenge, "preferred", &allowed)).into_response())
}

/// `PublicKeyCredentialRequestOptionsJSON`.
fn request_options(
    state: &AppState,
    challenge: &str,
    user_verification: &str,
    allowed: &[kontor_core::store::PasskeyRecord],
) -> Value {
    json!({
        "challenge": challenge,
        "rpId": state.config.relying_party().id,
        "timeout": TIMEOUT_MS,
        "userVerification": user_verification,
        "allowCredentials": allowed.iter().map(|p| json!({ "type": "public-key", "id": p.credential_id })).collect::<Vec<_>>(),
    })
}

#[derive(Debug, Deserialize)]
struct SigninForm {
    credential: String,
    csrf: Option<String>,
    #[serde(default)]
    next: Option<String>,
}

/// Signs in with the passkey the browser used: ends the second step, or
/// — without a password — signs in whom the passkey names.
async fn signin(
    State(state): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    Form(f): Form<SigninForm>,
) -> Result<Response, PageError> {
    let tr = Tr::new(language(&jar, &headers, None));
    verify_form(&headers, f.csrf.as_deref(), &signin_csrf(&state, &jar), tr)?;
    let Some(ceremony) = ceremony(&f.credential) else {
        return Err(PageError::bad_request(tr));
    };
    let step = second_step(&state, &jar).await?;
    let rp = state.config.relying_party();
    let outcome = state
        .services
        .sign_in_with_passkey(&rp, &ceremony, step.as_ref().map(|(_, a)| a.user_id))
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    match (outcome, step) {
        (Ok(actor), Some((challenge, _))) => {
            let jar = end_second_step(&state, jar).await;
            let jar = start_session(&state, jar, &headers, &actor).await?;
            Ok((jar, Redirect::to(&challenge.next)).into_response())
        }
        (Ok(actor), None) => {
            let next = super::session::local_path(f.next.as_deref());
            let jar = start_session(&state, jar, &headers, &actor).await?;
            Ok((jar, Redirect::to(&next)).into_response())
        }
        (Err(why), step) => {
            tracing::info!(?why, "passkey sign-in refused");
            let back = if step.is_some() {
                "/signin/code"
            } else {
                "/signin"
            };
            Ok(Redirect::to(&format!("{back}?passkey=refused")).into_response())
        }
    }
}
