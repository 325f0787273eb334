//! The caller's own settings over the API (#19), the same use cases as the
//! portal's `/account/settings`: profile, password, portal sessions.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use kontor_core::domain::notify::{ChangeEvent, MutedEvents};
use kontor_core::service::settings::ProfileInput;
use kontor_core::{Error, FieldError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::SignIn;
use crate::web::AppState;
use crate::web::dto::{MeResponse, rfc3339};
use crate::web::error::{ApiError, ApiResult, Problem};
use crate::web::extract::{Caller, ClientAddr, parse_json};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(update_profile))
        .routes(routes!(change_password))
        .routes(routes!(list_sessions, end_sessions))
        .routes(routes!(notification_settings, set_notification_settings))
}

/// What to change about yourself; fields left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    /// Display name, 1–200 characters, not only spaces.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    /// `de` or `en`: pages, mails and problem details.
    #[schema(pattern = r"^\s*(de|en)\s*$")]
    pub lang: Option<String>,
    /// An IANA time zone, e.g. `Europe/Berlin`: pages and mails give times
    /// in it. A well-formed name the database does not know is refused
    /// (422 `refused`).
    #[schema(
        min_length = 1,
        max_length = 64,
        pattern = r"^\s*[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*\s*$"
    )]
    pub time_zone: Option<String>,
}

/// Changes the caller's name, language or time zone.
#[utoipa::path(patch, path = "/api/v1/me", tag = "me", request_body = ProfilePatch,
    responses((status = 200, body = MeResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid; nothing was changed", body = Problem, content_type = "application/problem+json")))]
async fn update_profile(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<MeResponse>> {
    let patch: ProfilePatch = parse_json(&headers, &body)?;
    let input = ProfileInput {
        name: patch.name.unwrap_or_else(|| me.name.clone()),
        lang: patch.lang.unwrap_or_else(|| me.lang.as_str().to_owned()),
        time_zone: patch
            .time_zone
            .unwrap_or_else(|| me.time_zone.name().to_owned()),
    };
    let actor = state.services.update_profile(&me, &input).await?;
    // Cached callers carry the old profile.
    state.tokens.clear();
    Ok(Json(MeResponse::from(&actor)))
}

/// A new password, with the current one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The password used until now; a wrong one is refused (422 `refused`).
    pub current_password: String,
    /// 10–200 characters; one easy to guess or holding your name, company
    /// or address is refused (422 `refused`).
    #[schema(min_length = 10, max_length = 200)]
    pub new_password: String,
}

/// Changes the caller's password. The current one is checked like a
/// sign-in (throttled per account and address); every portal session ends;
/// API tokens stay; a security mail tells the person.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "me", request_body = PasswordChange,
    responses((status = 204, description = "Changed"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The current password is wrong, or the new one too easy to guess", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords for this account or from this address; see Retry-After", body = Problem, content_type = "application/problem+json")))]
async fn change_password(
    State(state): State<AppState>,
    Caller(me): Caller,
    client: ClientAddr,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let req: PasswordChange = parse_json(&headers, &body)?;
    let policy = state.config.throttle();
    match crate::auth::sign_in(
        &state.services,
        &policy,
        &me.email,
        req.current_password,
        client.0,
    )
    .await
    .map_err(Error::Internal)?
    {
        SignIn::Ok(_) => {}
        // Well-formed, refused by what is stored. A person who signs in
        // only with single sign-on has no password that counts.
        SignIn::Failed | SignIn::SsoOnly => {
            return Err(ApiError::refused(vec![FieldError::coded(
                "current_password",
                "password-current-wrong",
                Vec::new(),
                "is not the current password",
            )]));
        }
        SignIn::Throttled(wait) => return Err(ApiError::throttled(wait)),
    }
    // An API caller has no portal session to keep: every one ends.
    state
        .services
        .change_password(&me, &req.new_password, "", &crate::auth::Argon2Hasher)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One of the caller's portal sessions.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDto {
    /// When signed in (RFC 3339).
    pub signed_in_at: String,
    /// Last activity (RFC 3339).
    pub last_seen_at: String,
    /// The browser's `User-Agent`, when it sent one.
    pub user_agent: Option<String>,
}

/// The caller's portal sessions.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    /// The most recently used first.
    pub items: Vec<SessionDto>,
}

/// Portal sessions ended.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionsEnded {
    /// How many.
    pub sessions_ended: u64,
}

/// Where the caller is signed in to the portal.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "me",
    responses((status = 200, body = SessionList),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn list_sessions(
    State(state): State<AppState>,
    Caller(me): Caller,
) -> ApiResult<Json<SessionList>> {
    let sessions = state.services.my_sessions(&me).await?;
    Ok(Json(SessionList {
        items: sessions
            .into_iter()
            .map(|s| SessionDto {
                signed_in_at: rfc3339(s.created_at),
                last_seen_at: rfc3339(s.last_seen_at),
                user_agent: s.user_agent,
            })
            .collect(),
    }))
}

/// Signs the caller out of every portal session (API tokens stay).
#[utoipa::path(delete, path = "/api/v1/me/sessions", tag = "me",
    responses((status = 200, body = SessionsEnded),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn end_sessions(
    State(state): State<AppState>,
    Caller(me): Caller,
) -> ApiResult<Json<SessionsEnded>> {
    let sessions_ended = state.services.end_other_sessions(&me, "").await?;
    Ok(Json(SessionsEnded { sessions_ended }))
}

/// Mails that are always sent, whatever the settings: sign-in links and
/// security notices.
const ALWAYS_SENT: [&str; 3] = ["invitation", "password_reset", "password_changed"];

fn events_schema(description: &str) -> utoipa::openapi::schema::Array {
    let item = ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(ChangeEvent::ALL.iter().map(|e| e.as_str())));
    ArrayBuilder::new()
        .items(item)
        .max_items(Some(MutedEvents::MAX_LISTED))
        .description(Some(description))
        .build()
}

fn muted_schema() -> utoipa::openapi::schema::Array {
    events_schema("Partner-change events you get no mail about")
}

fn mutable_schema() -> utoipa::openapi::schema::Array {
    events_schema("Every event that can be muted")
}

/// Which mails the caller receives.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationSettings {
    /// Whether your role receives mails about partner changes at all:
    /// account admins do; partners are told at their company's contact
    /// address.
    pub partner_change_mails: bool,
    #[schema(schema_with = muted_schema)]
    pub muted: Vec<String>,
    #[schema(schema_with = mutable_schema)]
    pub mutable: Vec<String>,
    /// Mails sent whatever you choose: invitation and reset links, the
    /// notice that your password changed.
    pub always_sent: Vec<String>,
}

/// Which partner-change mails to stop; every event left out is mailed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettingsUpdate {
    #[schema(schema_with = muted_schema)]
    pub muted: Vec<String>,
}

fn notification_settings_dto(
    me: &kontor_core::domain::roles::Actor,
    muted: &MutedEvents,
) -> NotificationSettings {
    NotificationSettings {
        partner_change_mails: me.role.is_account_admin(),
        muted: muted
            .events()
            .iter()
            .map(|e| e.as_str().to_owned())
            .collect(),
        mutable: ChangeEvent::ALL
            .iter()
            .map(|e| e.as_str().to_owned())
            .collect(),
        always_sent: ALWAYS_SENT.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// Which mails the caller receives (#19).
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "me",
    responses((status = 200, body = NotificationSettings),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn notification_settings(
    State(state): State<AppState>,
    Caller(me): Caller,
) -> ApiResult<Json<NotificationSettings>> {
    let muted = state.services.muted_events(&me).await?;
    Ok(Json(notification_settings_dto(&me, &muted)))
}

/// Chooses which partner-change mails the caller receives; security mails
/// cannot be muted. Audited as `notifications_changed`.
#[utoipa::path(put, path = "/api/v1/me/notifications", tag = "me",
    request_body = NotificationSettingsUpdate,
    responses((status = 200, body = NotificationSettings),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An event is unknown; nothing was changed", body = Problem, content_type = "application/problem+json")))]
async fn set_notification_settings(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<NotificationSettings>> {
    let req: NotificationSettingsUpdate = parse_json(&headers, &body)?;
    let muted = MutedEvents::parse_codes("muted", &req.muted).map_err(Error::Invalid)?;
    state.services.set_muted_events(&me, &muted).await?;
    Ok(Json(notification_settings_dto(&me, &muted)))
}
