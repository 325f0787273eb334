//! `Idempotency-Key` handling for POSTs that create things (R7).
//!
//! Same key and same body replays the first response byte for byte; same
//! key with another body is refused (422); same key while the first request
//! is still running answers 409 — until that first request ends, or its
//! process is found dead (it stops beating; within seconds, whatever the
//! injected clock says), when a retry runs it again. Keys are scoped to the
//! caller and the operation and kept for `idempotency_hours` (at least 24 h).

use std::future::Future;

use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kontor_core::domain::roles::{Actor, Lang};
use kontor_core::service::Services;
use kontor_core::store::{Claim, IdempotencyKey};
use time::Duration;

use super::AppState;
use super::error::ApiError;
use super::extract::lang_for;
use crate::auth::fingerprint;

/// Header name.
pub const HEADER: &str = "idempotency-key";
/// A claim made before claims named their process, left `running` this
/// long, is assumed abandoned. Claims since then are released as soon as
/// their process stops beating (`kontor_core::store::INSTANCE_LEASE_MS`).
const STALE_AFTER: Duration = Duration::seconds(45);
/// Longest pause between two tries to release a claim.
const RELEASE_PAUSE_MAX: std::time::Duration = std::time::Duration::from_secs(5);

/// Runs `work` at most once per key; replays its stored response afterwards.
pub async fn idempotent<F, Fut>(
    state: &AppState,
    caller: &Actor,
    headers: &HeaderMap,
    operation: &str,
    body: &[u8],
    work: F,
) -> Response
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Response>,
{
    let key = match key_of(headers) {
        None => return work().await,
        Some(Ok(k)) => k.to_owned(),
        Some(Err(())) => {
            return ApiError::field(kontor_core::FieldError::coded(
                "Idempotency-Key",
                "expected-idempotency-key",
                Vec::new(),
                "expected 1–255 visible ASCII characters",
            ))
            .into_response();
        }
    };
    let key = IdempotencyKey {
        user: caller.user_id,
        scope: operation.to_owned(),
        key,
        fingerprint: fingerprint(body),
        attempt: uuid::Uuid::now_v7(),
    };
    let services = &state.services;
    let claim = match services.claim_key(&key, STALE_AFTER).await {
        Ok(c) => c,
        Err(e) => {
            // A connection lost during the COMMIT may still have stored the
            // claim, in this process's name: nobody would ever finish or
            // release it, and this process beats, so it would never go
            // stale. Released to be sure — this attempt's claim only, never
            // a retry's made meanwhile.
            release_in_background(services.clone(), key);
            return ApiError::from(e).into_response();
        }
    };
    match claim {
        Claim::Replay { status, body } => replay(status, body),
        Claim::Mismatch => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this Idempotency-Key was already used with a different request body",
        )
        .into_response(),
        Claim::InFlight => ApiError::new(
            StatusCode::CONFLICT,
            "idempotency_key_in_flight",
            "a request with this Idempotency-Key is still being processed; retry shortly",
        )
        .into_response(),
        Claim::Started => run_claimed(services, key, lang_for(headers, caller), work).await,
    }
}

/// Runs `work` under the claim on `key` and stores its response for
/// replays.
async fn run_claimed<F, Fut>(
    services: &Services,
    key: IdempotencyKey,
    lang: Lang,
    work: F,
) -> Response
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Response>,
{
    // Released unless the response gets stored: a client that hangs
    // up drops this future mid-way, and its retry must not meet a
    // claim that nobody works on any more.
    let mut claim = Unfinished {
        services: services.clone(),
        key: Some(key),
    };
    let res = work().await;
    let status = res.status();
    if status.is_server_error() {
        // Let a retry run again rather than replay an outage.
        claim.release().await;
        return res;
    }
    let (parts, body) = res.into_parts();
    let mut bytes = match to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            return ApiError::from(kontor_core::Error::Internal(e.into())).into_response();
        }
    };
    // A problem is stored in the caller's language, so that a replay
    // answers with the same bytes (#18).
    if let Some(problem) = parts.extensions.get::<Box<super::error::Problem>>()
        && let Some(localized) = super::localize::localized(problem, lang)
    {
        bytes = localized.into();
    }
    if let Some(key) = &claim.key {
        match services.complete_key(key, status.as_u16(), &bytes).await {
            Ok(()) => claim.key = None,
            // The retry runs again and finds what this one did (a
            // change request remembers its key).
            Err(e) => tracing::warn!(error = ?e, "failed to store idempotent response"),
        }
    }
    respond(status, bytes.to_vec(), false)
}

/// A claim whose response has not been stored: released when dropped.
struct Unfinished {
    services: Services,
    key: Option<IdempotencyKey>,
}

impl Unfinished {
    /// Releases the claim now, or keeps trying in the background.
    async fn release(&mut self) {
        if let Some(key) = self.key.take()
            && self.services.release_key(&key).await.is_err()
        {
            release_in_background(self.services.clone(), key);
        }
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            release_in_background(self.services.clone(), key);
        }
    }
}

/// Typically the database is away; until the key is released, the client's
/// retries are told "in flight" (this process still beats). Tries until it
/// works, backing off to a try every few seconds.
fn release_in_background(services: Services, key: IdempotencyKey) {
    let Ok(rt) = tokio::runtime::Handle::try_current() else {
        return;
    };
    rt.spawn(async move {
        let mut pause = std::time::Duration::from_millis(100);
        loop {
            match services.release_key(&key).await {
                Ok(()) => return,
                Err(e) => tracing::debug!(error = ?e, "idempotency key not released yet"),
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(RELEASE_PAUSE_MAX);
        }
    });
}

/// The request's `Idempotency-Key`, if it sent one; `Err` when the header
/// is not 1–255 visible ASCII characters (a space is not one).
pub fn key_of(headers: &HeaderMap) -> Option<Result<&str, ()>> {
    let raw = headers.get(HEADER)?;
    // As documented: 1–255 visible ASCII characters, no spaces.
    Some(match raw.to_str() {
        Ok(k) if (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => Ok(k),
        _ => Err(()),
    })
}

fn replay(status: u16, body: Vec<u8>) -> Response {
    respond(
        StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        body,
        true,
    )
}

fn respond(status: StatusCode, body: Vec<u8>, replayed: bool) -> Response {
    let ct = if status.is_success() {
        "application/json"
    } else {
        "application/problem+json"
    };
    let mut res = (status, Body::from(body)).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    if replayed {
        res.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    res
}
