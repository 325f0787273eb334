//! Consent per program and transfer codes (#22 point 2): operators choose
//! how the new partner consents to a change; under the transfer-code
//! model a customer's admin creates a code that the new partner redeems.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use kontor_core::domain::agreement::Program;
use kontor_core::domain::consent::{
    ConsentKind, ConsentModel, MAX_ACCEPTANCE_DAYS, MAX_CODE_VALID_HOURS,
};
use kontor_core::domain::ids::AgreementNumber;
use kontor_core::domain::transfer_code::{RANDOM_BYTES, TransferCode};
use kontor_core::service::transfer_code::Redeemed;
use kontor_core::{Error, FieldError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Counted;
use crate::web::AppState;
use crate::web::dto::{BulkItemResult, ChangeRequestDto, optional_whole_number, rfc3339};
use crate::web::error::{ApiError, ApiResult, Problem};
use crate::web::extract::{Caller, ClientAddr, parse_json};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(redeem))
        .routes(routes!(get_one))
        .routes(routes!(revoke))
        .routes(routes!(consents))
        .routes(routes!(set_consent, reset_consent))
}

/// A transfer code as the API shows it; never the code itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferCodeDto {
    /// Code id.
    pub id: String,
    /// The code's last four characters, to tell codes apart.
    pub hint: String,
    /// The customer account.
    pub account: String,
    /// The agreements it covers.
    pub agreements: Vec<String>,
    /// `active`, `redeemed`, `revoked` or `expired`.
    #[schema(pattern = "^(active|redeemed|revoked|expired)$")]
    pub status: String,
    /// Created at (RFC 3339).
    pub created_at: String,
    /// It may be redeemed before this instant (RFC 3339).
    pub expires_at: String,
    /// Redeemed at (RFC 3339).
    pub redeemed_at: Option<String>,
    /// The partner (CSN) that redeemed it.
    pub redeemed_partner: Option<String>,
    /// Revoked at (RFC 3339).
    pub revoked_at: Option<String>,
}

impl TransferCodeDto {
    /// `c` at `now`.
    pub fn of(c: &TransferCode, now: time::OffsetDateTime) -> Self {
        TransferCodeDto {
            id: c.id.to_string(),
            hint: c.hint.clone(),
            account: c.account.to_string(),
            agreements: c.agreements.iter().map(ToString::to_string).collect(),
            status: c.status(now).as_str().into(),
            created_at: rfc3339(c.created_at),
            expires_at: rfc3339(c.expires_at),
            redeemed_at: c.redeemed_at.map(rfc3339),
            redeemed_partner: c.redeemed_partner.as_ref().map(ToString::to_string),
            revoked_at: c.revoked_at.map(rfc3339),
        }
    }
}

/// Agreements to create a code for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCodeRequest {
    /// Agreement numbers of your account (1–100), each of which could
    /// change partner now but for needing a transfer code.
    #[schema(min_items = 1, max_items = 100, value_type = Vec<AgreementNumberText>)]
    pub agreements: Vec<String>,
}

/// A contract number (12 digits) or subscription ID (14 digits); spaces
/// and dashes between the digits are allowed.
#[derive(ToSchema)]
#[schema(pattern = r"^(?:[ -]*[0-9]){12}(?:(?:[ -]*[0-9]){2})?[ -]*$")]
#[allow(dead_code)]
struct AgreementNumberText(String);

/// A new code, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedCode {
    /// The code (`XXXX-XXXX-XXXX-XXXX-XXXX`): give it to the new partner.
    /// It is not kept and cannot be shown again.
    pub code: String,
    /// The code's record.
    pub transfer_code: TransferCodeDto,
}

/// Codes, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeListResponse {
    /// The codes.
    pub items: Vec<TransferCodeDto>,
}

/// List filter.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CodeQuery {
    /// Only codes older than this one (its id): the next page.
    #[param(value_type = Option<String>, pattern = "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$")]
    pub before: Option<String>,
}

/// A code to redeem.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedeemRequest {
    /// The code as the customer gave it; case, spaces and hyphens do not
    /// matter.
    #[schema(min_length = 1, max_length = 100)]
    pub code: String,
}

/// What redeeming made.
#[derive(Debug, Serialize, ToSchema)]
pub struct RedeemResponse {
    /// The code: `redeemed` when at least one change was requested, still
    /// `active` when none of its agreements could change.
    pub transfer_code: TransferCodeDto,
    /// One result per agreement of the code: 202 with the request, or the
    /// problem.
    pub results: Vec<BulkItemResult>,
}

/// A program's consent model.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentDto {
    /// The program.
    pub program: String,
    /// `none`, `acceptance` or `transfer_code`.
    #[schema(pattern = "^(none|acceptance|transfer_code)$")]
    pub model: String,
    /// Days the new partner has to accept (`acceptance`).
    pub acceptance_days: Option<i64>,
    /// Hours a new code is valid (`transfer_code`).
    pub code_valid_hours: Option<i64>,
    /// `false` when the program follows the default.
    pub chosen: bool,
    /// When it was chosen (RFC 3339).
    pub updated_at: Option<String>,
}

impl ConsentDto {
    fn of(program: &str, model: ConsentModel) -> Self {
        ConsentDto {
            program: program.into(),
            model: model.kind().as_str().into(),
            acceptance_days: model.acceptance_days(),
            code_valid_hours: model.code_valid_hours(),
            chosen: false,
            updated_at: None,
        }
    }
}

/// The default and every program with a model of its own.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentList {
    /// The model of every program without one of its own (`program` is
    /// `*`).
    pub default: ConsentDto,
    /// The programs with a model of their own, by name.
    pub programs: Vec<ConsentDto>,
}

/// A program's model.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetConsentRequest {
    /// `none`, `acceptance` or `transfer_code`.
    #[schema(pattern = "^(none|acceptance|transfer_code)$")]
    pub model: String,
    /// Days the new partner has to accept (1–90): required for
    /// `acceptance`.
    #[schema(minimum = 1, maximum = 90)]
    #[serde(default, deserialize_with = "optional_whole_number")]
    pub acceptance_days: Option<i64>,
    /// Hours a new code is valid (1–720): required for `transfer_code`.
    #[schema(minimum = 1, maximum = 720)]
    #[serde(default, deserialize_with = "optional_whole_number")]
    pub code_valid_hours: Option<i64>,
}

fn code_id(raw: &str) -> ApiResult<uuid::Uuid> {
    super::path_id(raw, "transfer-code", "expected a transfer code id (UUID)")
}

fn program(raw: &str) -> ApiResult<Program> {
    Program::parse(raw).ok_or_else(|| {
        ApiError::field(FieldError::coded(
            "program",
            "expected-program",
            Vec::new(),
            format!("expected {}", Program::EXPECTED),
        ))
    })
}

/// Creates a transfer code for agreements of your account (admins). The
/// answer holds the code this once; give it to the new partner, who
/// redeems it to request the change. It is valid for the programs'
/// period (shortest first) and can be used once.
#[utoipa::path(post, path = "/api/v1/transfer-codes", tag = "transfer-codes",
    request_body = CreateCodeRequest,
    responses((status = 201, body = CreatedCode),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator of a customer account", body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An agreement unknown or unable to change partner now", body = Problem, content_type = "application/problem+json")))]
async fn create(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<CreatedCode>)> {
    let req: CreateCodeRequest = parse_json(&headers, &body)?;
    let mut numbers = Vec::with_capacity(req.agreements.len());
    let mut errors = Vec::new();
    for (i, raw) in req.agreements.iter().enumerate() {
        match AgreementNumber::parse(raw) {
            Ok(n) => numbers.push(n),
            Err(e) => errors.push(e.at(format!("agreements[{i}]"))),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors).into());
    }
    let mut random = [0u8; RANDOM_BYTES];
    for b in &mut random {
        *b = rand::random();
    }
    let made = state
        .services
        .create_transfer_code(&me, &numbers, &random)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedCode {
            code: made.secret,
            transfer_code: TransferCodeDto::of(&made.code, state.services.clock.now()),
        }),
    ))
}

/// Transfer codes: an admin sees their account's, partner staff the ones
/// their partner redeemed, the vendor's staff every one.
#[utoipa::path(get, path = "/api/v1/transfer-codes", tag = "transfer-codes", params(CodeQuery),
    responses((status = 200, body = CodeListResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list(
    State(state): State<AppState>,
    Caller(me): Caller,
    Query(q): Query<CodeQuery>,
) -> ApiResult<Json<CodeListResponse>> {
    let before = q
        .before
        .as_deref()
        .filter(|b| !b.is_empty())
        .map(code_id)
        .transpose()?;
    let items = state.services.transfer_codes(&me, before).await?;
    let now = state.services.clock.now();
    Ok(Json(CodeListResponse {
        items: items.iter().map(|c| TransferCodeDto::of(c, now)).collect(),
    }))
}

/// One transfer code (never the code itself).
#[utoipa::path(get, path = "/api/v1/transfer-codes/{id}", tag = "transfer-codes",
    params(("id" = uuid::Uuid, Path, description = "Code id")),
    responses((status = 200, body = TransferCodeDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn get_one(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<TransferCodeDto>> {
    let c = state.services.transfer_code(&me, code_id(&raw)?).await?;
    Ok(Json(TransferCodeDto::of(&c, state.services.clock.now())))
}

/// Revokes a code before it is redeemed (admins of its account).
#[utoipa::path(post, path = "/api/v1/transfer-codes/{id}/revoke", tag = "transfer-codes",
    params(("id" = uuid::Uuid, Path, description = "Code id")),
    responses((status = 200, body = TransferCodeDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Redeemed, revoked or expired already (`transfer_code_spent`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn revoke(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<TransferCodeDto>> {
    let c = state
        .services
        .revoke_transfer_code(&me, code_id(&raw)?)
        .await?;
    Ok(Json(TransferCodeDto::of(&c, state.services.clock.now())))
}

/// Redeems a code a customer gave you (partner staff): one partner change
/// to your partner per agreement of the code that can change now, pending
/// for the processing delay — redeeming is your consent. Every code that
/// cannot be redeemed (mistyped, used, revoked, expired) gets the same
/// 422; failed attempts are limited per partner and per address (429 with
/// `Retry-After`).
#[utoipa::path(post, path = "/api/v1/transfer-codes/redeem", tag = "transfer-codes",
    request_body = RedeemRequest,
    responses((status = 200, body = RedeemResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not partner staff", body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The code cannot be redeemed (`transfer-code-invalid` on `code`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = i64, description = "Seconds to wait")))))]
async fn redeem(
    State(state): State<AppState>,
    Caller(me): Caller,
    client: ClientAddr,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<RedeemResponse>> {
    let req: RedeemRequest = parse_json(&headers, &body)?;
    let policy = state.config.throttle();
    let (code, outcomes) =
        match crate::auth::redeem_transfer_code(&state.services, &policy, &me, &req.code, client.0)
            .await
            .map_err(Error::Internal)?
        {
            Counted::Checked(Ok(done)) => done,
            Counted::Checked(Err(e)) => return Err(e.into()),
            Counted::Throttled(wait) => return Err(ApiError::throttled_codes(wait)),
        };
    let lang = me.lang;
    let window = state.services.policy.expiry_window_days;
    let results = outcomes
        .into_iter()
        .map(|(n, outcome)| match outcome {
            Redeemed::Requested(r) => BulkItemResult {
                agreement: n.to_string(),
                status: 202,
                eligible: None,
                reasons: Vec::new(),
                request: Some(ChangeRequestDto::from(&r)),
                error: None,
            },
            Redeemed::Refused(e) => {
                let e = ApiError::localized(e, lang, window);
                BulkItemResult {
                    agreement: n.to_string(),
                    status: e.0.status,
                    eligible: None,
                    reasons: Vec::new(),
                    request: None,
                    error: Some(*e.0),
                }
            }
        })
        .collect();
    Ok(Json(RedeemResponse {
        transfer_code: TransferCodeDto::of(&code, state.services.clock.now()),
        results,
    }))
}

/// How the new partner consents to a change, per program: the default
/// and every program with a model of its own (the vendor's staff).
#[utoipa::path(get, path = "/api/v1/consent", tag = "transfer-codes",
    responses((status = 200, body = ConsentList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn consents(
    State(state): State<AppState>,
    Caller(me): Caller,
) -> ApiResult<Json<ConsentList>> {
    Error::unless_may(
        &me,
        kontor_core::domain::permissions::Permission::UseBackOffice,
    )?;
    let chosen = state.services.program_consents().await?;
    Ok(Json(ConsentList {
        default: ConsentDto::of("*", state.services.policy.default_consent()),
        programs: chosen
            .iter()
            .map(|c| ConsentDto {
                chosen: true,
                updated_at: Some(rfc3339(c.updated_at)),
                ..ConsentDto::of(c.program.as_str(), c.model)
            })
            .collect(),
    }))
}

/// Sets a program's consent model (operators). Requests already made keep
/// the model they were made under.
#[utoipa::path(put, path = "/api/v1/programs/{program}/consent", tag = "transfer-codes",
    request_body = SetConsentRequest,
    params(("program" = String, Path, pattern = "^[a-z0-9_]{1,40}$", description = "Program")),
    responses((status = 200, body = ConsentDto),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn set_consent(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    Path(raw): Path<String>,
    body: Bytes,
) -> ApiResult<Json<ConsentDto>> {
    let p = program(&raw)?;
    let req: SetConsentRequest = parse_json(&headers, &body)?;
    let model = consent_model(&req)?;
    let set = state.services.set_consent(&me, &p, Some(model)).await?;
    Ok(Json(ConsentDto {
        chosen: true,
        updated_at: Some(rfc3339(state.services.clock.now())),
        ..ConsentDto::of(p.as_str(), set)
    }))
}

/// Returns a program to the default consent model (operators).
#[utoipa::path(delete, path = "/api/v1/programs/{program}/consent", tag = "transfer-codes",
    params(("program" = String, Path, pattern = "^[a-z0-9_]{1,40}$", description = "Program")),
    responses((status = 200, body = ConsentDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn reset_consent(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<ConsentDto>> {
    let p = program(&raw)?;
    let set = state.services.set_consent(&me, &p, None).await?;
    Ok(Json(ConsentDto::of(p.as_str(), set)))
}

/// The model a request asks for, or the field that is wrong.
pub fn consent_model(req: &SetConsentRequest) -> ApiResult<ConsentModel> {
    let kind = ConsentKind::parse(&req.model).ok_or_else(|| {
        ApiError::field(FieldError::coded(
            "model",
            "expected-one-of",
            vec![("values", ConsentKind::expected())],
            format!("expected one of {}", ConsentKind::expected()),
        ))
    })?;
    // A period out of range is refused even where the model does not use it.
    for (field, value, max) in [
        ("acceptance_days", req.acceptance_days, MAX_ACCEPTANCE_DAYS),
        (
            "code_valid_hours",
            req.code_valid_hours,
            MAX_CODE_VALID_HOURS,
        ),
    ] {
        if value.is_some_and(|v| !(1..=max).contains(&v)) {
            return Err(ApiError::field(FieldError::coded(
                field,
                "expected-whole-number",
                vec![("min", "1".into()), ("max", max.to_string())],
                format!("expected a whole number from 1 to {max}"),
            )));
        }
    }
    ConsentModel::of(kind, req.acceptance_days, req.code_valid_hours).map_err(|(field, max)| {
        ApiError::field(FieldError::coded(
            field,
            "expected-whole-number",
            vec![("min", "1".into()), ("max", max.to_string())],
            format!("expected a whole number from 1 to {max}"),
        ))
    })
}

// The bounds the schema states are the domain's.
const _: () = assert!(MAX_ACCEPTANCE_DAYS == 90 && MAX_CODE_VALID_HOURS == 720);
