//! Extractors: the authenticated caller, the language, JSON bodies.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header::{ACCEPT_LANGUAGE, AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use kontor_core::domain::roles::{Actor, Lang};
use kontor_core::{Error, FieldError, Text};
use serde::de::DeserializeOwned;

use super::AppState;
use super::error::ApiError;
use super::localize::CallerLang;
use crate::auth::token_hash;

/// How long a verified token is trusted without asking the database again.
/// Revocation takes effect within this time on other instances.
const TOKEN_CACHE_TTL: Duration = Duration::from_secs(5);
const TOKEN_CACHE_MAX: usize = 10_000;

/// Verified tokens, so the read path does not hit the database for them.
#[derive(Debug, Default)]
pub struct TokenCache(RwLock<HashMap<String, (Arc<Actor>, Instant)>>);

impl TokenCache {
    fn get(&self, hash: &str) -> Option<Arc<Actor>> {
        let map = self.0.read().unwrap_or_else(|p| p.into_inner());
        map.get(hash)
            .filter(|(_, at)| at.elapsed() < TOKEN_CACHE_TTL)
            .map(|(a, _)| a.clone())
    }

    /// Drops a revoked token at once (other processes within the TTL).
    pub fn forget(&self, hash: &str) {
        self.0
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(hash);
    }

    /// Drops every cached token.
    pub fn clear(&self) {
        self.0.write().unwrap_or_else(|p| p.into_inner()).clear();
    }

    fn put(&self, hash: String, actor: Arc<Actor>) {
        let mut map = self.0.write().unwrap_or_else(|p| p.into_inner());
        if map.len() >= TOKEN_CACHE_MAX {
            map.retain(|_, (_, at)| at.elapsed() < TOKEN_CACHE_TTL);
            if map.len() >= TOKEN_CACHE_MAX {
                map.clear();
            }
        }
        map.insert(hash, (actor, Instant::now()));
    }
}

/// The authenticated caller (personal API token). Shared, because the
/// token cache hands the same person to every request using the token.
#[derive(Debug, Clone)]
pub struct Caller(pub Arc<Actor>);

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(&parts.headers).ok_or(Error::Unauthenticated)?;
        let hash = token_hash(token);
        let caller = |actor: &Actor| {
            // Problems answer in the caller's language (#18).
            if let Some(slot) = parts.extensions.get::<CallerLang>() {
                slot.set(actor.lang);
            }
        };
        if let Some(actor) = state.tokens.get(&hash) {
            caller(&actor);
            return Ok(Caller(actor));
        }
        let actor = Arc::new(
            state
                .services
                .actor_by_token(&hash)
                .await?
                .ok_or(Error::Unauthenticated)?,
        );
        caller(&actor);
        state.tokens.put(hash, actor.clone());
        Ok(Caller(actor))
    }
}

impl OptionalFromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, ApiError> {
        if bearer(&parts.headers).is_none() {
            return Ok(None);
        }
        <Caller as FromRequestParts<AppState>>::from_request_parts(parts, state)
            .await
            .map(Some)
    }
}

/// The first supported language of `Accept-Language`, read in place: a
/// `HeaderMap` argument would copy every header of the request (#23).
pub struct AcceptLanguage(pub Option<Lang>);

impl AcceptLanguage {
    /// The language for messages: the one asked for, else the caller's own.
    pub fn or_of(&self, caller: &Actor) -> Lang {
        self.0.unwrap_or(caller.lang)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AcceptLanguage {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(AcceptLanguage(accept_language(&parts.headers)))
    }
}

/// The language for messages: the first of de/en in `Accept-Language`,
/// else the caller's own setting.
pub fn lang_for(headers: &HeaderMap, caller: &Actor) -> Lang {
    accept_language(headers).unwrap_or(caller.lang)
}

/// The first supported language listed in `Accept-Language`, if any.
pub fn accept_language(headers: &HeaderMap) -> Option<Lang> {
    let raw = headers.get(ACCEPT_LANGUAGE)?.to_str().ok()?;
    let mut tags: Vec<(f32, Lang)> = raw
        .split(',')
        .filter_map(|part| {
            let mut it = part.split(';');
            let lang = Lang::parse(it.next()?)?;
            let q = it
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            Some((q, lang))
        })
        .collect();
    tags.sort_by(|a, b| b.0.total_cmp(&a.0));
    tags.first().map(|(_, l)| *l)
}

/// Parses a JSON body, naming the offending field in the error.
pub fn parse_json<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, ApiError> {
    let ct = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime != "application/json" && !mime.ends_with("+json") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as JSON with `Content-Type: application/json`",
        ));
    }
    // Every request body of the API is one object. serde would also take
    // an array for a struct (its fields by position) — refused, as the
    // schema says (#16).
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(
            match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
                Ok(_) => ApiError::field(FieldError::coded(
                    "body",
                    "expected-json-object",
                    Vec::new(),
                    "expected a JSON object",
                )),
                Err(e) => malformed(e.to_string()),
            },
        );
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(field_error)?;
    // Anything after the object but whitespace (`{…}garbage`, a second
    // object) makes the whole body malformed: nothing of it is acted on.
    de.end().map_err(|e| malformed(e.to_string()))?;
    Ok(value)
}

/// 400: the body is no JSON (or more than one value).
fn malformed(what: String) -> ApiError {
    ApiError::text(
        StatusCode::BAD_REQUEST,
        "malformed_json",
        Text::with(
            "malformed-json",
            vec![("reason", what.clone())],
            format!("the body is not valid JSON: {what}"),
        ),
    )
}

/// A JSON body that does not fit the request's type: 422 naming the field
/// (or 400 when the JSON itself broke off).
fn field_error(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = e.path().to_string();
    let inner = e.into_inner();
    if inner.is_syntax() || inner.is_eof() || inner.is_io() {
        return malformed(inner.to_string());
    }
    // serde's message ends with " at line L column C"; the field already says where.
    let msg = inner.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
    // "missing field `x`" and "unknown field `x`" name a field below the path.
    let (named, code) = [
        ("missing field `", "missing-field"),
        ("unknown field `", "unknown-field"),
    ]
    .iter()
    .find_map(|(p, code)| Some((msg.strip_prefix(p)?.split('`').next(), *code)))
    .unwrap_or((None, "invalid-value"));
    let field = match (path.as_str(), named) {
        (".", Some(name)) => name.to_owned(),
        (".", None) => "body".to_owned(),
        // serde_path_to_error already ends the path with an unknown field's name.
        (p, Some(name)) if !p.ends_with(name) => format!("{p}.{name}"),
        (p, _) => p.to_owned(),
    };
    let args = vec![("reason", msg.clone())];
    ApiError::field(FieldError::coded(field, code, args, msg))
}

/// The client's address, for counting failed sign-ins (#7): the peer of
/// the connection, or — behind a reverse proxy — the last address in the
/// header named by `client_ip_header`, which that proxy sets.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(name) = &state.config.client_ip_header {
            let forwarded = parts
                .headers
                .get(name.as_str())
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse().ok());
            return Ok(ClientAddr(forwarded));
        }
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}
