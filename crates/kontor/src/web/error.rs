//! One error shape for the whole API: RFC 9457 `application/problem+json`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kontor_core::domain::eligibility::{Reason, ReasonCode};
use kontor_core::domain::roles::Lang;
use kontor_core::{Error, FieldError, Text};
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::Tr;

/// A message's arguments, as text.
type Args = Vec<(&'static str, String)>;

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// URI identifying the problem type, e.g. `urn:kontor:problem:change_pending`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the problem type.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// What happened in this case, in the caller's language: the first of
    /// de and en in `Accept-Language`, else the caller's own setting, else
    /// English.
    pub detail: String,
    /// Invalid fields, each with what was expected (validation errors).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldErrorDto>,
    /// Why a partner change is not available (R4), each with what to do instead.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<ReasonDto>,
    /// Seconds for the `Retry-After` header (429).
    #[serde(skip)]
    pub retry_after: Option<i64>,
    /// The translations' key of `detail` and its arguments; `None` for
    /// invalid input, whose detail is made of its field errors.
    #[serde(skip)]
    words: Option<(String, Args)>,
}

/// One invalid input field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldErrorDto {
    /// Path of the field, e.g. `new_partner` or `items[2].agreement`.
    pub field: String,
    /// What was wrong and what is expected, in the caller's language
    /// (as `detail`).
    pub message: String,
    /// The translations' key of `message` (`error-<code>`) and its
    /// arguments, where it has one.
    #[serde(skip)]
    words: Option<(&'static str, Args)>,
}

impl From<FieldError> for FieldErrorDto {
    fn from(e: FieldError) -> Self {
        FieldErrorDto {
            field: e.field,
            message: e.message,
            words: Some((e.code, e.args)),
        }
    }
}

impl Problem {
    /// Writes `detail` and the field messages in `tr`'s language; the
    /// type, status, codes and field paths stay as they are.
    pub fn localize(&mut self, tr: Tr) {
        for e in &mut self.errors {
            if let Some((code, args)) = &e.words {
                e.message = tr.tw(&format!("error-{code}"), args);
            }
        }
        self.detail = match (&self.words, self.errors.as_slice()) {
            (Some((key, args)), _) => tr.tw(key, args),
            (None, [one]) => tr.tw(
                "problem-invalid-field",
                &[
                    ("field", one.field.clone()),
                    ("message", one.message.clone()),
                ],
            ),
            (None, many) => tr.tn("problem-invalid-fields", "count", many.len() as i64),
        };
    }
}

/// The error type of every API handler.
#[derive(Debug)]
pub struct ApiError(pub Box<Problem>);

impl ApiError {
    /// A problem with a status, stable code and English detail; other
    /// languages say the message `problem-<code>` (underscores as dashes).
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> ApiError {
        let key = format!("problem-{}", code.replace('_', "-"));
        ApiError::words(status, code, detail.into(), Some((key, Vec::new())))
    }

    /// A problem whose detail are `text`'s words (`problem-<text.code>`).
    pub fn text(status: StatusCode, code: &str, text: Text) -> ApiError {
        let key = format!("problem-{}", text.code);
        ApiError::words(status, code, text.english, Some((key, text.args)))
    }

    fn words(
        status: StatusCode,
        code: &str,
        detail: String,
        words: Option<(String, Args)>,
    ) -> ApiError {
        ApiError(Box::new(Problem {
            kind: format!("urn:kontor:problem:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            errors: Vec::new(),
            reasons: Vec::new(),
            retry_after: None,
            words,
        }))
    }

    /// 429 for too many failed sign-ins, with `Retry-After`.
    pub fn throttled(wait: time::Duration) -> ApiError {
        let minutes = kontor_core::domain::throttle::minutes(wait);
        Self::retry_after(
            wait,
            "too_many_failed_signins",
            Text::with(
                "too-many-failed-signins",
                vec![("minutes", minutes.to_string())],
                format!(
                    "too many failed sign-ins for this account or from this address; try again in {minutes} minute{}",
                    if minutes == 1 { "" } else { "s" }
                ),
            ),
        )
    }

    /// 429 for too many wrong transfer codes (#22), with `Retry-After`.
    pub fn throttled_codes(wait: time::Duration) -> ApiError {
        let minutes = kontor_core::domain::throttle::minutes(wait);
        Self::retry_after(
            wait,
            "too_many_failed_codes",
            Text::with(
                "too-many-failed-codes",
                vec![("minutes", minutes.to_string())],
                format!(
                    "too many wrong transfer codes for this partner or from this address; try again in {minutes} minute{}",
                    if minutes == 1 { "" } else { "s" }
                ),
            ),
        )
    }

    fn retry_after(wait: time::Duration, code: &'static str, detail: Text) -> ApiError {
        let mut e = ApiError::text(StatusCode::TOO_MANY_REQUESTS, code, detail);
        e.0.retry_after = Some(wait.whole_seconds().max(1));
        e
    }

    /// 422 with field errors.
    pub fn invalid(errors: Vec<FieldError>) -> ApiError {
        let detail = match errors.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            _ => format!("{} fields are invalid", errors.len()),
        };
        let mut e = ApiError::words(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            detail,
            None,
        );
        e.0.errors = errors.into_iter().map(Into::into).collect();
        e
    }

    /// 422 naming the fields whose well-formed values the stored data refuses.
    pub fn refused(errors: Vec<FieldError>) -> ApiError {
        let mut e = ApiError::invalid(errors);
        e.0.kind = "urn:kontor:problem:refused".into();
        e
    }

    /// 422 for one field.
    pub fn field(e: FieldError) -> ApiError {
        ApiError::invalid(vec![e])
    }

    /// Converts a domain error, writing reason messages in `lang`.
    pub fn localized(e: Error, lang: Lang, window_days: i64) -> ApiError {
        match e {
            Error::Ineligible(reasons) => ineligible(&reasons, lang, window_days),
            other => other.into(),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

fn ineligible(reasons: &[Reason], lang: Lang, window_days: i64) -> ApiError {
    let mut e = ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "not_eligible",
        "the partner change is not available for this agreement; see reasons",
    );
    e.0.reasons = reasons
        .iter()
        .map(|r| ReasonDto::new(r, lang, window_days))
        .collect();
    e
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        match e {
            Error::Unauthenticated => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "send a valid API token as `Authorization: Bearer <token>`",
            ),
            // R1: the same body whether the object is missing or another tenant's.
            Error::NotFound(what) => ApiError::text(
                StatusCode::NOT_FOUND,
                "not_found",
                Text::with(
                    "not-found",
                    vec![("what", what.replace(' ', "_"))],
                    format!("{what} not found"),
                ),
            ),
            Error::Forbidden(text) => ApiError::text(StatusCode::FORBIDDEN, "forbidden", text),
            Error::Conflict { code, detail } => ApiError::text(StatusCode::CONFLICT, code, detail),
            Error::Invalid(errors) => ApiError::invalid(errors),
            Error::Refused(errors) => ApiError::refused(errors),
            Error::Ineligible(reasons) => ineligible(&reasons, Lang::En, 90),
            Error::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "something went wrong on our side; it has been logged",
                )
            }
        }
    }
}

impl From<kontor_core::StoreError> for ApiError {
    fn from(e: kontor_core::StoreError) -> ApiError {
        Error::from(e).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = serde_json::to_vec(&*self.0).unwrap_or_default();
        let mut res = (status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = self.0.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        // For `ProblemLanguage::localize`, which writes it again in the caller's
        // language.
        res.extensions_mut().insert(self.0);
        res
    }
}

/// Result of an API handler.
pub type ApiResult<T> = Result<T, ApiError>;

/// Why the self-service change is not available, and what to do instead (R4).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReasonDto {
    /// Stable code, e.g. `expires_soon`.
    pub code: String,
    /// What holds and what the admin can do instead, in the caller's language.
    pub message: String,
    /// Date (YYYY-MM-DD) from which this reason no longer holds, when known.
    pub possible_from: Option<String>,
}

impl ReasonDto {
    /// A reason in `lang`.
    pub fn new(r: &Reason, lang: Lang, window_days: i64) -> Self {
        ReasonDto {
            code: r.code.as_str().into(),
            message: r.code.message(lang, window_days),
            possible_from: r.possible_from.map(|d| d.to_string()),
        }
    }

    pub(crate) fn code(code: ReasonCode, lang: Lang, window_days: i64) -> Self {
        ReasonDto::new(
            &Reason {
                code,
                possible_from: None,
            },
            lang,
            window_days,
        )
    }
}
