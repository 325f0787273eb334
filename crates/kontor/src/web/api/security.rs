//! Two-step sign-in over the API (#21): one's own authenticator app and
//! recovery codes, the account's rule, and resets — what the portal's
//! security pages do, for clients of their own. Codes and keys appear
//! only in the answer that makes them.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use kontor_core::domain::second_factor::{Standing, TwoFactorRule};
use kontor_core::service::second_factor::{Verification, VerificationMethod};
use kontor_core::{Error, FieldError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::web::AppState;
use crate::web::dto::rfc3339;
use crate::web::error::{ApiResult, Problem};
use crate::web::extract::{Caller, parse_json};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(status))
        .routes(routes!(start_app, remove_app))
        .routes(routes!(confirm_app))
        .routes(routes!(renew_codes))
        .routes(routes!(rule, set_rule))
        .routes(routes!(reset))
}

/// Where the caller stands with two-step sign-in.
#[derive(Debug, Serialize, ToSchema)]
pub struct SecondFactorStatus {
    /// An authenticator app is set up.
    pub app: bool,
    /// When it was set up (RFC 3339).
    pub app_since: Option<String>,
    /// Unused recovery codes.
    pub recovery_codes_left: u32,
    /// `enrolled`, `optional` (nobody requires it), `grace` (required, not
    /// yet set up; see `set_up_by`) or `due` (required and overdue: the
    /// portal opens only the set-up page).
    #[schema(example = "grace")]
    pub standing: &'static str,
    /// The last moment to set it up (RFC 3339), during the grace period.
    pub set_up_by: Option<String>,
}

/// A new authenticator-app key, waiting for its first code.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppEnrolment {
    /// The key in base32 (to type into the app).
    pub secret: String,
    /// The `otpauth://` link (what the QR code holds).
    pub otpauth_url: String,
}

/// The first code of the app.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppConfirmation {
    /// The 6 digits the app shows now.
    #[schema(max_length = 40)]
    pub code: String,
}

/// Ten recovery codes, each good for one sign-in; shown only here.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// `abcde-fghij`, ten of them.
    pub recovery_codes: Vec<String>,
}

/// Who of the account must use two-step sign-in.
#[derive(Debug, Serialize, ToSchema)]
pub struct TwoFactorRuleBody {
    /// `off`, `admins` or `everyone`.
    pub rule: String,
    /// Days each person has to set it up (0–90).
    pub grace_days: i64,
    /// When the rule was set (RFC 3339); `null` when none was.
    pub since: Option<String>,
}

/// Sets who of the account must use two-step sign-in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TwoFactorRuleInput {
    /// `off`, `admins` or `everyone`.
    #[schema(pattern = "^(off|admins|everyone)$")]
    pub rule: String,
    /// Days each person has to set it up (0–90).
    #[schema(minimum = 0, maximum = 90)]
    pub grace_days: i64,
}

/// How a support agent verified a locked-out person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerificationBody {
    /// `callback`, `contract_details` or `id_document`.
    #[schema(pattern = "^(callback|contract_details|id_document)$")]
    pub method: String,
    /// What was checked (10–1000 characters), kept in the audit log.
    #[schema(min_length = 10, max_length = 1000, pattern = r"^\s*(\S\s*){10,}$")]
    pub note: String,
}

/// Reset a person's second factor: an admin of their account, or support
/// (with `verification`) for a person nobody in their account can help.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// The person's sign-in email.
    #[schema(schema_with = crate::web::dto::email_schema)]
    pub email: String,
    /// Support's record of the verification (support agents and
    /// operators only; required for them).
    pub verification: Option<VerificationBody>,
}

/// The caller's two-step sign-in.
#[utoipa::path(get, path = "/api/v1/me/second-factor", tag = "security",
    responses((status = 200, body = SecondFactorStatus),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn status(
    State(state): State<AppState>,
    Caller(me): Caller,
) -> ApiResult<Json<SecondFactorStatus>> {
    let record = state.services.second_factor_of(&me).await?;
    let standing = state
        .services
        .standing(&me, state.config.staff_grace())
        .await?;
    let (standing, set_up_by) = match standing {
        Standing::Enrolled => ("enrolled", None),
        Standing::Optional => ("optional", None),
        Standing::Grace { until } => ("grace", Some(rfc3339(until))),
        Standing::Due => ("due", None),
    };
    let since = record.confirmed_totp().and_then(|t| t.confirmed_at);
    Ok(Json(SecondFactorStatus {
        app: since.is_some(),
        app_since: since.map(rfc3339),
        recovery_codes_left: record.recovery_left,
        standing,
        set_up_by,
    }))
}

/// Starts setting up an authenticator app: a new key, replacing one that
/// waits for its first code. 409 when an app is set up already.
#[utoipa::path(post, path = "/api/v1/me/second-factor/app", tag = "security",
    responses((status = 201, body = AppEnrolment),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
async fn start_app(
    State(state): State<AppState>,
    Caller(me): Caller,
) -> ApiResult<(StatusCode, Json<AppEnrolment>)> {
    let e = state
        .services
        .start_totp(&me, crate::auth::totp_random())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(AppEnrolment {
            secret: e.secret,
            otpauth_url: e.otpauth_url,
        }),
    ))
}

/// Turns two-step sign-in on with the app's first code; answers the ten
/// recovery codes, shown only here.
#[utoipa::path(post, path = "/api/v1/me/second-factor/app/confirm", tag = "security",
    request_body = AppConfirmation,
    responses((status = 200, body = RecoveryCodes),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Nothing waits for a first code, or an app is set up already", body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The code is wrong", body = Problem, content_type = "application/problem+json")))]
async fn confirm_app(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<RecoveryCodes>> {
    let req: AppConfirmation = parse_json(&headers, &body)?;
    let codes = state
        .services
        .confirm_totp(&me, &req.code, &crate::auth::recovery_random())
        .await
        // A well-formed code the key does not accept is refused, not
        // malformed input.
        .map_err(|e| match e {
            Error::Invalid(errors) => Error::Refused(errors),
            e => e,
        })?;
    Ok(Json(RecoveryCodes {
        recovery_codes: codes,
    }))
}

/// Removes the caller's authenticator app. 409 while a rule requires it,
/// or when none is set up.
#[utoipa::path(delete, path = "/api/v1/me/second-factor/app", tag = "security",
    responses((status = 204, description = "Removed"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
async fn remove_app(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<StatusCode> {
    state.services.remove_own_second_factor(&me).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// New recovery codes; the old ones stop working. 409 without an app.
#[utoipa::path(post, path = "/api/v1/me/second-factor/recovery-codes", tag = "security",
    responses((status = 200, body = RecoveryCodes),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
async fn renew_codes(
    State(state): State<AppState>,
    Caller(me): Caller,
) -> ApiResult<Json<RecoveryCodes>> {
    let codes = state
        .services
        .renew_recovery_codes(&me, &crate::auth::recovery_random())
        .await?;
    Ok(Json(RecoveryCodes {
        recovery_codes: codes,
    }))
}

/// The caller's account's two-step rule (`off` when none was set).
/// Customer staff only.
#[utoipa::path(get, path = "/api/v1/account/two-factor-rule", tag = "security",
    responses((status = 200, body = TwoFactorRuleBody),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn rule(
    State(state): State<AppState>,
    Caller(me): Caller,
) -> ApiResult<Json<TwoFactorRuleBody>> {
    if me.account().is_none() {
        return Err(Error::Forbidden(kontor_core::Text::new(
            "forbidden-two-factor-rule-read",
            "only people of a customer account have an account rule",
        ))
        .into());
    }
    let current = state.services.two_factor_rule(&me).await?;
    Ok(Json(match current {
        Some(r) => TwoFactorRuleBody {
            rule: r.rule.as_str().to_owned(),
            grace_days: r.grace_days,
            since: Some(rfc3339(r.since)),
        },
        None => TwoFactorRuleBody {
            rule: "off".into(),
            grace_days: 0,
            since: None,
        },
    }))
}

/// Sets who of the account must use two-step sign-in (primary admin
/// only, with their own set up first).
#[utoipa::path(put, path = "/api/v1/account/two-factor-rule", tag = "security",
    request_body = TwoFactorRuleInput,
    responses((status = 200, body = TwoFactorRuleBody),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn set_rule(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<TwoFactorRuleBody>> {
    let req: TwoFactorRuleInput = parse_json(&headers, &body)?;
    let rule = TwoFactorRule::parse(&req.rule).ok_or_else(|| {
        Error::invalid(FieldError::coded(
            "rule",
            "expected-one-of",
            vec![("list", TwoFactorRule::expected())],
            format!("expected one of: {}", TwoFactorRule::expected()),
        ))
    })?;
    let saved = state
        .services
        .set_two_factor_rule(&me, rule, req.grace_days)
        .await?;
    Ok(Json(TwoFactorRuleBody {
        rule: saved.rule.as_str().to_owned(),
        grace_days: saved.grace_days,
        since: Some(rfc3339(saved.since)),
    }))
}

/// Resets a person's second factor (a lost phone): they set up a new one
/// at their next sign-in where it is required. An admin of the account
/// resets a colleague's; a support agent or operator, with
/// `verification`, a person nobody in their account can help. Audited;
/// the person and their account's admins are mailed.
#[utoipa::path(post, path = "/api/v1/second-factor-resets", tag = "security",
    request_body = ResetRequest,
    responses((status = 204, description = "Reset"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The person has no second factor", body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn reset(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let req: ResetRequest = parse_json(&headers, &body)?;
    if me.role.is_vendor() {
        // Optional in the schema (admins send none): its absence is a
        // refusal of this caller, not malformed input.
        let Some(v) = req.verification else {
            return Err(Error::refused(FieldError::coded(
                "verification",
                "verification-needed",
                Vec::new(),
                "support records how it verified the person: method and note",
            ))
            .into());
        };
        let method = VerificationMethod::parse(&v.method).ok_or_else(|| {
            Error::invalid(FieldError::coded(
                "verification.method",
                "expected-one-of",
                vec![("list", VerificationMethod::expected())],
                format!("expected one of: {}", VerificationMethod::expected()),
            ))
        })?;
        state
            .services
            .support_reset_second_factor(
                &me,
                &req.email,
                &Verification {
                    method,
                    note: v.note,
                },
            )
            .await?;
    } else {
        state
            .services
            .reset_colleague_second_factor(&me, &req.email)
            .await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
