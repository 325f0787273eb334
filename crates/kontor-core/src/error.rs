//! The domain error: each variant's doc says what the user sees.

use serde::Serialize;

use crate::domain::eligibility::Reason;

/// Words a person reads, named by their key in the translations
/// (`problem-<code>`) with the arguments that fill them; `english` is the
/// English text, which the API answers English callers with (#18).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The key in the translations, without its `problem-` prefix.
    pub code: &'static str,
    /// Arguments of the message, as text.
    pub args: Vec<(&'static str, String)>,
    /// The English text.
    pub english: String,
}

impl Text {
    /// Words without arguments.
    pub fn new(code: &'static str, english: impl Into<String>) -> Text {
        Text::with(code, Vec::new(), english)
    }

    /// Words with arguments.
    pub fn with(
        code: &'static str,
        args: Vec<(&'static str, String)>,
        english: impl Into<String>,
    ) -> Text {
        Text {
            code,
            args,
            english: english.into(),
        }
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english)
    }
}

/// One invalid input field and what was expected (R2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// JSON path of the field, e.g. `new_partner` or `agreements[3].number`.
    pub field: String,
    /// What was wrong and what is expected, in English: what the API
    /// answers English callers with (#18).
    pub message: String,
    /// The message's key in the translations (`error-<code>`).
    #[serde(skip)]
    pub code: &'static str,
    /// The arguments that fill it.
    #[serde(skip)]
    pub args: Vec<(&'static str, String)>,
}

impl FieldError {
    /// A field error: `code` names its message in the translations,
    /// `args` fill it, `message` is the English text.
    pub fn coded(
        field: impl Into<String>,
        code: &'static str,
        args: Vec<(&'static str, String)>,
        message: impl Into<String>,
    ) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
            code,
            args,
        }
    }
}

/// Errors of the use cases.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 401: no or bad credentials.
    #[error("authentication required")]
    Unauthenticated,
    /// 404: the object does not exist *or belongs to another tenant* (R1).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 403: the caller may see the object but not do this.
    #[error("{0}")]
    Forbidden(Text),
    /// 409: the object's state does not allow this (R7 pending, R9 final).
    #[error("{detail}")]
    Conflict {
        /// Stable machine-readable code.
        code: &'static str,
        /// Words for people.
        detail: Text,
    },
    /// 422: input fields were invalid (R2, R5); nothing was written.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// 422: well-formed input that what is stored or configured refuses (a
    /// partner that does not exist or is not active, a renewal ending
    /// before the current term end, a private webhook address); nothing was
    /// written. Apart from [`Error::Invalid`] so that clients (and the API
    /// fuzzer) can tell a malformed request from one the data turned down.
    #[error("refused by the stored data or settings")]
    Refused(Vec<FieldError>),
    /// 422: the self-service change is not available (R3, R4), every reason listed.
    #[error("the partner change is not available for this agreement")]
    Ineligible(Vec<Reason>),
    /// 500: logged with its chain, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    /// `Forbidden` with the permission's own sentence unless `actor` may do `p`.
    pub fn unless_may(
        actor: &crate::domain::roles::Actor,
        p: crate::domain::permissions::Permission,
    ) -> Result<(), Error> {
        if actor.may(p) {
            Ok(())
        } else {
            Err(Error::Forbidden(p.refusal()))
        }
    }

    /// A single invalid field.
    pub fn invalid(e: FieldError) -> Error {
        Error::Invalid(vec![e])
    }

    /// A single field whose well-formed value the stored data refuses.
    pub fn refused(e: FieldError) -> Error {
        Error::Refused(vec![e])
    }
}

/// Errors reported by a storage backend.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule refused the write; the name says which.
    #[error("conflict on {0}")]
    Conflict(&'static str),
    /// The row to change was not there (or not in the expected state).
    #[error("not found")]
    NotFound,
    /// Anything else; a bug or an outage.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        match e {
            StoreError::NotFound => Error::NotFound("object"),
            StoreError::Conflict(what) => Error::Conflict {
                code: what,
                detail: Text::with(
                    "conflict-on",
                    vec![("what", what.to_owned())],
                    format!("conflict on {what}"),
                ),
            },
            StoreError::Other(e) => Error::Internal(e),
        }
    }
}

/// Result with the domain error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
/// Result of a store call.
pub type StoreResult<T> = std::result::Result<T, StoreError>;
