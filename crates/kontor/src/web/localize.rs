//! Problem documents in the caller's language (#18): the first of de and
//! en in `Accept-Language`, else the authenticated caller's own setting,
//! else English.
//!
//! `ApiError` writes its body in English and leaves its `Problem` (with
//! the translations' keys) in the response's extensions; this step of the
//! `edges` layer, around every `/api/` request, writes the body again
//! when the caller's language is not English. Status and headers stay as
//! they are.

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::CONTENT_LENGTH;
use axum::response::Response;
use kontor_core::domain::roles::Lang;

use super::error::Problem;
use super::extract::accept_language;
use crate::i18n::Tr;

/// Where the `Caller` extractor leaves the authenticated caller's language,
/// for a request that names none in `Accept-Language`.
#[derive(Debug, Clone, Default)]
pub struct CallerLang(Arc<OnceLock<Lang>>);

impl CallerLang {
    /// Notes the caller's own setting (the first caller found counts).
    pub fn set(&self, lang: Lang) {
        let _ = self.0.set(lang);
    }
}

/// Writes an API problem document again in the caller's language.
///
/// Split in two around the rest of the request: [`ProblemLanguage::of`]
/// before it runs, [`ProblemLanguage::localize`] on its response.
pub struct ProblemLanguage {
    /// `Accept-Language`'s choice, else the slot the `Caller` extractor
    /// fills; `None` for a request outside `/api/`.
    choice: Option<(Option<Lang>, Option<CallerLang>)>,
}

impl ProblemLanguage {
    /// Notes the language asked for, or leaves a slot for the caller's own.
    pub fn of(req: &mut Request) -> ProblemLanguage {
        if !req.uri().path().starts_with("/api/") {
            return ProblemLanguage { choice: None };
        }
        let accepted = accept_language(req.headers());
        let setting = accepted.is_none().then(CallerLang::default);
        if let Some(slot) = &setting {
            req.extensions_mut().insert(slot.clone());
        }
        ProblemLanguage {
            choice: Some((accepted, setting)),
        }
    }

    /// The response, with its problem document (if any) in that language.
    pub fn localize(self, mut res: Response) -> Response {
        let Some((accepted, setting)) = self.choice else {
            return res;
        };
        let lang = accepted
            .or_else(|| setting.and_then(|s| s.0.get().copied()))
            .unwrap_or(Lang::En);
        if let Some(problem) = res.extensions_mut().remove::<Box<Problem>>()
            && let Some(body) = localized(&problem, lang)
        {
            res.headers_mut().remove(CONTENT_LENGTH);
            *res.body_mut() = Body::from(body);
        }
        res
    }
}

/// The problem document in `lang`, unless that is English (the body the
/// problem was answered with).
pub fn localized(problem: &Problem, lang: Lang) -> Option<Vec<u8>> {
    if lang == Lang::En {
        return None;
    }
    let mut problem = problem.clone();
    problem.localize(Tr::new(lang));
    serde_json::to_vec(&problem)
        .inspect_err(|e| tracing::warn!(error = %e, "problem document not localized"))
        .ok()
}
