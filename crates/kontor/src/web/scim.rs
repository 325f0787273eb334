//! The SCIM 2.0 endpoint (#21) under `/scim/v2`: Users of the customer
//! account whose provisioning token the identity provider sends, with
//! discovery (`ServiceProviderConfig`, `ResourceTypes`, `Schemas`). Answers
//! are `application/scim+json`; errors are SCIM's (RFC 7644 §3.12), also
//! for unknown paths below `/scim/v2`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use kontor_core::domain::ids::Csn;
use kontor_core::domain::scim::{
    LIST_SCHEMA, MAX_COUNT, PATCH_SCHEMA, PatchOperation, ScimError, USER_SCHEMA, matches,
    parse_filter, project,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use crate::auth::token_hash;

/// Prefix of every provisioning token, so secret scanners can tell them.
pub const TOKEN_PREFIX: &str = "kontor_scim_";
const CONTENT_TYPE: &str = "application/scim+json";

pub fn router() -> Router<AppState> {
    let scim = Router::new()
        .route(
            "/ServiceProviderConfig",
            get(service_provider_config).fallback(not_allowed),
        )
        .route("/ResourceTypes", get(resource_types).fallback(not_allowed))
        .route(
            "/ResourceTypes/{id}",
            get(resource_type).fallback(not_allowed),
        )
        .route("/Schemas", get(schemas).fallback(not_allowed))
        .route("/Schemas/{id}", get(schema).fallback(not_allowed))
        .route("/Users", get(list).post(create).fallback(not_allowed))
        .route("/Users/.search", post(search).fallback(not_allowed))
        // Users are the only resource type: a search at the root is theirs.
        .route("/.search", post(search).fallback(not_allowed))
        .route(
            "/Users/{id}",
            get(one)
                .put(replace)
                .patch(patch)
                .delete(remove)
                .fallback(not_allowed),
        )
        .fallback(unknown);
    Router::new().nest("/scim/v2", scim)
}

/// The endpoint's URL, for `meta.location`.
fn base(state: &AppState) -> String {
    format!("{}/scim/v2", state.config.public_url.trim_end_matches('/'))
}

fn scim(status: StatusCode, body: Value) -> Response {
    let mut res = (status, body.to_string()).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    res
}

fn error(e: ScimError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    scim(status, e.body())
}

fn internal(e: kontor_core::Error) -> Response {
    tracing::error!(error = ?e, "SCIM request failed");
    error(ScimError {
        status: 500,
        scim_type: None,
        detail: "the request failed; it was logged".into(),
    })
}

async fn not_allowed() -> Response {
    error(ScimError {
        status: 405,
        scim_type: None,
        detail: "this method is not supported here".into(),
    })
}

async fn unknown() -> Response {
    error(ScimError {
        status: 404,
        scim_type: None,
        detail: "no such endpoint".into(),
    })
}

/// The account whose provisioning token the request carries.
pub struct Provisioner(Csn);

impl FromRequestParts<AppState> for Provisioner {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, t)| t.trim())
            .filter(|t| t.starts_with(TOKEN_PREFIX));
        let account = match token {
            Some(t) => state
                .services
                .scim_account(&token_hash(t))
                .await
                .map_err(internal)?,
            None => None,
        };
        account.map(Provisioner).ok_or_else(|| {
            let mut res = error(ScimError {
                status: 401,
                scim_type: None,
                detail: "a provisioning token (Authorization: Bearer kontor_scim_…) is required"
                    .into(),
            });
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            res
        })
    }
}

/// The JSON body of a write.
fn body(bytes: &Bytes) -> Result<Value, ScimError> {
    serde_json::from_slice(bytes)
        .map_err(|e| ScimError::bad("invalidSyntax", format!("the body is not JSON: {e}")))
}

async fn service_provider_config(_: Provisioner, State(state): State<AppState>) -> Response {
    scim(
        StatusCode::OK,
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "documentationUri": format!("{}/help/single-sign-on", state.config.public_url.trim_end_matches('/')),
            "patch": { "supported": true },
            "bulk": { "supported": false, "maxOperations": 0, "maxPayloadSize": 0 },
            "filter": { "supported": true, "maxResults": MAX_COUNT },
            "changePassword": { "supported": false },
            "sort": { "supported": false },
            "etag": { "supported": false },
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "Provisioning token",
                "description": "A token the account's primary administrator makes on the single sign-on page",
                "primary": true,
            }],
            "meta": { "resourceType": "ServiceProviderConfig",
                      "location": format!("{}/ServiceProviderConfig", base(&state)) },
        }),
    )
}

fn user_type(state: &AppState) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "People of the customer account",
        "schema": USER_SCHEMA,
        "meta": { "resourceType": "ResourceType",
                  "location": format!("{}/ResourceTypes/User", base(state)) },
    })
}

fn list_of(items: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_SCHEMA],
        "totalResults": items.len(),
        "startIndex": 1,
        "itemsPerPage": items.len(),
        "Resources": items,
    })
}

async fn resource_types(_: Provisioner, State(state): State<AppState>) -> Response {
    scim(StatusCode::OK, list_of(vec![user_type(&state)]))
}

async fn resource_type(
    _: Provisioner,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    if id == "User" {
        scim(StatusCode::OK, user_type(&state))
    } else {
        unknown().await
    }
}

fn attribute(name: &str, kind: &str, description: &str) -> Value {
    json!({
        "name": name, "type": kind, "multiValued": false, "description": description,
        "required": false, "caseExact": false, "mutability": "readWrite",
        "returned": "default", "uniqueness": "none",
    })
}

/// The User schema, trimmed to what kontor keeps (so nothing a provider
/// writes is silently dropped).
fn user_schema(state: &AppState) -> Value {
    let mut user_name = attribute(
        "userName",
        "string",
        "Unique identifier of the person; their email address, or else the primary email signs in",
    );
    user_name["required"] = json!(true);
    user_name["uniqueness"] = json!("server");
    let mut name = attribute("name", "complex", "The person's name");
    name["subAttributes"] = json!([
        attribute("formatted", "string", "The full name"),
        attribute("familyName", "string", "The family name"),
        attribute("givenName", "string", "The given name"),
    ]);
    let mut emails = attribute("emails", "complex", "Email addresses");
    emails["multiValued"] = json!(true);
    let mut kind = attribute("type", "string", "work, home or other");
    kind["canonicalValues"] = json!(["work", "home", "other"]);
    emails["subAttributes"] = json!([
        attribute("value", "string", "The email address"),
        kind,
        attribute("primary", "boolean", "The primary address"),
    ]);
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "A person of the customer account",
        "attributes": [
            user_name,
            name,
            attribute("displayName", "string", "The name shown in kontor"),
            emails,
            attribute("preferredLanguage", "string", "de or en chooses kontor's language"),
            attribute("active", "boolean", "false ends the person's access at once"),
        ],
        "meta": { "resourceType": "Schema",
                  "location": format!("{}/Schemas/{USER_SCHEMA}", base(state)) },
    })
}

async fn schemas(_: Provisioner, State(state): State<AppState>) -> Response {
    scim(StatusCode::OK, list_of(vec![user_schema(&state)]))
}

async fn schema(_: Provisioner, State(state): State<AppState>, Path(id): Path<String>) -> Response {
    if id == USER_SCHEMA {
        scim(StatusCode::OK, user_schema(&state))
    } else {
        unknown().await
    }
}

/// How a list is asked for, in the query or a `.search` body.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListQuery {
    filter: Option<String>,
    start_index: Option<i64>,
    count: Option<i64>,
    attributes: Option<String>,
    excluded_attributes: Option<String>,
}

/// A `.search` body (attribute lists may be arrays).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SearchBody {
    filter: Option<String>,
    start_index: Option<i64>,
    count: Option<i64>,
    attributes: Option<Value>,
    excluded_attributes: Option<Value>,
}

fn joined(v: Option<Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s),
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(","),
        ),
        _ => None,
    }
}

async fn listed(state: &AppState, account: &Csn, q: ListQuery) -> Response {
    let filter = match q.filter.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        Some(raw) => match parse_filter(raw) {
            Ok(f) => Some(f),
            Err(e) => return error(e),
        },
        None => None,
    };
    let all = match state.services.scim_users(account, &base(state)).await {
        Ok(all) => all,
        Err(e) => return internal(e),
    };
    let hits: Vec<Value> = all
        .into_iter()
        .filter(|r| filter.as_ref().is_none_or(|f| matches(r, f)))
        .collect();
    let start = q.start_index.unwrap_or(1).max(1);
    let count = q.count.unwrap_or(100).clamp(0, MAX_COUNT as i64);
    let page: Vec<Value> = hits
        .iter()
        .skip(usize::try_from(start - 1).unwrap_or(usize::MAX))
        .take(usize::try_from(count).unwrap_or(0))
        .map(|r| project(r, q.attributes.as_deref(), q.excluded_attributes.as_deref()))
        .collect();
    scim(
        StatusCode::OK,
        json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": hits.len(),
            "startIndex": start,
            "itemsPerPage": page.len(),
            "Resources": page,
        }),
    )
}

async fn list(
    Provisioner(account): Provisioner,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Response {
    listed(&state, &account, q).await
}

async fn search(
    Provisioner(account): Provisioner,
    State(state): State<AppState>,
    bytes: Bytes,
) -> Response {
    let raw = match body(&bytes) {
        Ok(v) => v,
        Err(e) => return error(e),
    };
    let b: SearchBody = match serde_json::from_value(raw) {
        Ok(b) => b,
        Err(e) => return error(ScimError::bad("invalidSyntax", e.to_string())),
    };
    let q = ListQuery {
        filter: b.filter,
        start_index: b.start_index,
        count: b.count,
        attributes: joined(b.attributes),
        excluded_attributes: joined(b.excluded_attributes),
    };
    listed(&state, &account, q).await
}

/// Projection of one resource (`attributes`, `excludedAttributes`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Projection {
    attributes: Option<String>,
    excluded_attributes: Option<String>,
}

/// A User as answered. After a write (`wrote`), this instance forgets the
/// API tokens it verified: a deactivated person's go at once here (other
/// instances drop them within the token cache's few seconds).
fn answer(
    state: &AppState,
    outcome: kontor_core::Result<Result<Value, ScimError>>,
    status: StatusCode,
    p: &Projection,
    wrote: bool,
) -> Response {
    match outcome {
        Ok(Ok(r)) => {
            let location = r["meta"]["location"].as_str().map(str::to_owned);
            let mut res = scim(
                status,
                project(
                    &r,
                    p.attributes.as_deref(),
                    p.excluded_attributes.as_deref(),
                ),
            );
            if status == StatusCode::CREATED
                && let Some(l) = location.and_then(|l| HeaderValue::from_str(&l).ok())
            {
                res.headers_mut().insert(header::LOCATION, l);
            }
            if wrote {
                state.tokens.clear();
            }
            res
        }
        Ok(Err(e)) => error(e),
        Err(e) => internal(e),
    }
}

async fn one(
    Provisioner(account): Provisioner,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(p): Query<Projection>,
) -> Response {
    let outcome = state.services.scim_user(&account, &id, &base(&state)).await;
    answer(&state, outcome, StatusCode::OK, &p, false)
}

async fn create(
    Provisioner(account): Provisioner,
    State(state): State<AppState>,
    Query(p): Query<Projection>,
    bytes: Bytes,
) -> Response {
    let input = match body(&bytes) {
        Ok(v) => v,
        Err(e) => return error(e),
    };
    let outcome = state
        .services
        .scim_create(&account, &input, &base(&state))
        .await;
    answer(&state, outcome, StatusCode::CREATED, &p, true)
}

async fn replace(
    Provisioner(account): Provisioner,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(p): Query<Projection>,
    bytes: Bytes,
) -> Response {
    let input = match body(&bytes) {
        Ok(v) => v,
        Err(e) => return error(e),
    };
    let outcome = state
        .services
        .scim_replace(&account, &id, &input, &base(&state))
        .await;
    answer(&state, outcome, StatusCode::OK, &p, true)
}

/// A PATCH request (RFC 7644 §3.5.2); `Operations` in any case.
fn operations(v: &Value) -> Result<Vec<PatchOperation>, ScimError> {
    let schemas_ok = v["schemas"]
        .as_array()
        .is_none_or(|s| s.iter().any(|s| s == PATCH_SCHEMA));
    let ops = v.as_object().and_then(|o| {
        o.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("operations"))
            .map(|(_, v)| v)
    });
    let Some(Value::Array(ops)) = ops.filter(|_| schemas_ok) else {
        return Err(ScimError::bad(
            "invalidSyntax",
            "expected a PatchOp with Operations",
        ));
    };
    ops.iter()
        .map(|op| {
            let field = |name: &str| {
                op.as_object().and_then(|o| {
                    o.iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(name))
                        .map(|(_, v)| v.clone())
                })
            };
            let Some(Value::String(kind)) = field("op") else {
                return Err(ScimError::bad("invalidSyntax", "each operation needs op"));
            };
            let path = match field("path") {
                Some(Value::String(p)) => Some(p),
                None | Some(Value::Null) => None,
                Some(_) => return Err(ScimError::bad("invalidPath", "path must be a string")),
            };
            Ok(PatchOperation {
                op: kind,
                path,
                value: field("value"),
            })
        })
        .collect()
}

async fn patch(
    Provisioner(account): Provisioner,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(p): Query<Projection>,
    bytes: Bytes,
) -> Response {
    let input = match body(&bytes) {
        Ok(v) => v,
        Err(e) => return error(e),
    };
    let ops = match operations(&input) {
        Ok(ops) => ops,
        Err(e) => return error(e),
    };
    let outcome = state
        .services
        .scim_patch(&account, &id, &ops, &base(&state))
        .await;
    answer(&state, outcome, StatusCode::OK, &p, true)
}

async fn remove(
    Provisioner(account): Provisioner,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    match state.services.scim_delete(&account, &id).await {
        Ok(Ok(())) => {
            state.tokens.clear();
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(Err(e)) => error(e),
        Err(e) => internal(e),
    }
}
