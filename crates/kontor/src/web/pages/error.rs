//! Error pages (400, 403, 404, 408, 413, 500) in the visitor's language; internal
//! errors are logged with their chain and never shown.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kontor_core::Error;

use crate::i18n::Tr;

#[derive(Template, WebTemplate)]
#[template(path = "pages/error.html")]
struct ErrorPage {
    tr: Tr,
    code: u16,
}

impl ErrorPage {
    fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }
}

/// An error answered with an error page.
#[derive(Debug)]
pub struct PageError {
    /// HTTP status.
    pub status: StatusCode,
    tr: Tr,
}

impl PageError {
    /// 404 — also for another tenant's object (R1).
    pub fn not_found(tr: Tr) -> Self {
        PageError {
            status: StatusCode::NOT_FOUND,
            tr,
        }
    }

    /// The id (a UUID) in a page's path, or the not-found page: an id that
    /// does not parse names nothing, like an id that exists nowhere.
    pub fn path_id(raw: &str, tr: Tr) -> Result<uuid::Uuid, PageError> {
        uuid::Uuid::parse_str(raw).map_err(|_| PageError::not_found(tr))
    }

    /// 403.
    pub fn forbidden(tr: Tr) -> Self {
        PageError {
            status: StatusCode::FORBIDDEN,
            tr,
        }
    }

    /// 400: e.g. a form without a valid token.
    pub fn bad_request(tr: Tr) -> Self {
        PageError {
            status: StatusCode::BAD_REQUEST,
            tr,
        }
    }

    /// 413: an upload or form larger than the configured limit.
    pub fn too_large(tr: Tr) -> Self {
        PageError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            tr,
        }
    }

    /// 408: the request took longer than it may.
    pub fn timed_out(tr: Tr) -> Self {
        PageError {
            status: StatusCode::REQUEST_TIMEOUT,
            tr,
        }
    }

    /// 500, logged.
    pub fn internal(e: anyhow::Error, tr: Tr) -> Self {
        tracing::error!(error = ?e, "internal error on a page");
        PageError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            tr,
        }
    }

    /// From a domain error; input errors are handled by the forms themselves.
    pub fn from_core(e: Error, tr: Tr) -> Self {
        match e {
            Error::NotFound(_) => PageError::not_found(tr),
            Error::Forbidden(_) | Error::Unauthenticated => PageError::forbidden(tr),
            Error::Internal(e) => PageError::internal(e, tr),
            Error::Conflict { .. }
            | Error::Invalid(_)
            | Error::Refused(_)
            | Error::Ineligible(_) => PageError::bad_request(tr),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = ErrorPage {
            tr: self.tr,
            code: self.status.as_u16(),
        };
        (self.status, page).into_response()
    }
}

/// What a person reads for a refused step.
pub fn refusal_words(tr: Tr, e: &Error) -> String {
    match e {
        Error::Conflict { detail, .. } | Error::Forbidden(detail) => {
            tr.tw(&format!("problem-{}", detail.code), &detail.args)
        }
        Error::Invalid(errors) | Error::Refused(errors) => errors
            .iter()
            .map(|e| tr.field_message(e))
            .collect::<Vec<_>>()
            .join(" "),
        Error::Ineligible(reasons) => reasons
            .iter()
            .map(|r| tr.t(&format!("reason-label-{}", r.code.as_str())))
            .collect::<Vec<_>>()
            .join(", "),
        Error::NotFound(_) => tr.t("code-agreement-not-found"),
        Error::Unauthenticated | Error::Internal(_) => tr.t("error-500-text"),
    }
}
