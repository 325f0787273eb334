//! The help assistant (#20): ask a question, get help articles and, for an
//! agreement, why its partner can or cannot change; hand the conversation
//! to support as a case.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use kontor_core::FieldError;
use kontor_core::domain::ids::AgreementNumber;
use kontor_core::domain::roles::Lang;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::agreements::number_in;
use super::support::SupportCaseDto;
use crate::assistant::{self, Question, Speaker, Turn};
use crate::web::AppState;
use crate::web::error::{ApiError, ApiResult, Problem, ReasonDto};
use crate::web::extract::{Caller, lang_for, parse_json};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ask))
        .routes(routes!(handoff))
}

/// A question for the assistant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskRequest {
    /// The question, as the person wrote it (an agreement number in it,
    /// with spaces or dashes, puts that agreement in context).
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub question: String,
    /// Answer in this language; when absent, the question's language
    /// (the caller's when it does not tell).
    #[schema(pattern = "^(de|en)$")]
    pub lang: Option<String>,
    /// The agreement in context (the page the person is on).
    #[schema(pattern = r"^(?:[ -]*[0-9]){12}(?:(?:[ -]*[0-9]){2})?[ -]*$")]
    pub agreement: Option<String>,
}

/// A help article that answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerDto {
    /// Its slug.
    pub article: String,
    /// Its title.
    pub title: String,
    /// The passage that answers best.
    pub excerpt: String,
    /// Where to read it.
    pub url: String,
}

/// An agreement explained for the caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementAnswerDto {
    /// Its number.
    pub number: String,
    /// Whether the caller can change its partner now.
    pub eligible: bool,
    /// Every reason that holds (R3, R4).
    pub reasons: Vec<ReasonDto>,
    /// The reasons and what to do, or the next step, in words.
    pub explanation: String,
}

/// Whether to offer a person.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandoffDto {
    /// The help has no answer, or the person asked for a person.
    pub suggested: bool,
    /// The caller can open a support case with `POST /api/v1/assistant/handoff`
    /// (people of a customer account).
    pub available: bool,
}

/// The assistant's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct AskResponse {
    /// `de` or `en`: the language answered in.
    pub lang: String,
    /// Help articles, best first, at most 3; empty when the help has no
    /// answer.
    pub answers: Vec<AnswerDto>,
    /// The agreement in context, if the caller has one by that number
    /// (another tenant's agreement is not named: R1).
    pub agreement: Option<AgreementAnswerDto>,
    /// Whether to offer a person.
    pub handoff: HandoffDto,
}

fn lang_field(raw: Option<&str>) -> ApiResult<Option<Lang>> {
    raw.map(|raw| {
        Lang::parse(raw).ok_or_else(|| {
            ApiError::field(FieldError::coded(
                "lang",
                "assistant-lang",
                Vec::new(),
                "expected de or en",
            ))
        })
    })
    .transpose()
}

fn agreement_field(raw: Option<&str>) -> ApiResult<Option<AgreementNumber>> {
    raw.map(|raw| number_in(raw, "agreement")).transpose()
}

/// Asks the assistant. Any signed-in person may ask; an agreement is
/// explained only if the caller may see it (R1).
#[utoipa::path(post, path = "/api/v1/assistant/ask", tag = "assistant", request_body = AskRequest,
    responses((status = 200, body = AskResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn ask(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<AskResponse>> {
    let req: AskRequest = parse_json(&headers, &body)?;
    let text = req.question.trim();
    if text.is_empty() {
        return Err(ApiError::field(FieldError::coded(
            "question",
            "question-empty",
            Vec::new(),
            "expected the question",
        )));
    }
    if text.chars().count() > assistant::MAX_QUESTION {
        return Err(ApiError::field(FieldError::coded(
            "question",
            "text-too-long",
            vec![("max", assistant::MAX_QUESTION.to_string())],
            format!("expected at most {} characters", assistant::MAX_QUESTION),
        )));
    }
    let question = Question {
        text: text.to_owned(),
        lang: lang_field(req.lang.as_deref())?,
        agreement: agreement_field(req.agreement.as_deref())?,
    };
    let fallback = lang_for(&headers, &me);
    let answered = assistant::ask(&state.services, &state.help, &me, &question, fallback).await?;
    let window = state.services.policy.expiry_window_days;
    let lang = answered.lang;
    Ok(Json(AskResponse {
        lang: lang.as_str().into(),
        answers: answered
            .answers
            .iter()
            .map(|a| AnswerDto {
                article: a.slug.clone(),
                title: a.title.clone(),
                excerpt: a.excerpt.clone(),
                url: state
                    .config
                    .public_link(&format!("/help/{}?lang={}", a.slug, lang.as_str())),
            })
            .collect(),
        agreement: answered.agreement.as_ref().map(|e| AgreementAnswerDto {
            number: e.number.to_string(),
            eligible: e.eligibility.eligible,
            reasons: e
                .eligibility
                .reasons
                .iter()
                .map(|r| ReasonDto::new(r, lang, window))
                .collect(),
            explanation: e.explanation.clone(),
        }),
        handoff: HandoffDto {
            suggested: answered.handoff,
            available: me.account().is_some(),
        },
    }))
}

/// Who said it.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerDto {
    /// The person asking.
    Person,
    /// The assistant.
    Assistant,
}

/// One turn of the conversation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TurnDto {
    /// Who said it.
    pub from: SpeakerDto,
    /// What was said.
    #[schema(max_length = 2000)]
    pub text: String,
}

/// A conversation with the assistant to hand to support.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoffRequest {
    /// The conversation, oldest first; at least one question of the person.
    #[schema(min_items = 1, max_items = 30)]
    pub conversation: Vec<TurnDto>,
    /// The agreement it is about, if any.
    #[schema(pattern = r"^(?:[ -]*[0-9]){12}(?:(?:[ -]*[0-9]){2})?[ -]*$")]
    pub agreement: Option<String>,
    /// Anything the person adds for support.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub message: String,
}

/// Hands the conversation to a person: opens a support case carrying it
/// and the agreement, with the first response due by the support level.
/// People of a customer account only; the agreement must be one the
/// caller may see (R1).
#[utoipa::path(post, path = "/api/v1/assistant/handoff", tag = "assistant", request_body = HandoffRequest,
    responses((status = 201, body = SupportCaseDto),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn handoff(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<SupportCaseDto>)> {
    let req: HandoffRequest = parse_json(&headers, &body)?;
    let agreement = agreement_field(req.agreement.as_deref())?;
    let conversation: Vec<Turn> = req
        .conversation
        .into_iter()
        .map(|t| Turn {
            from: match t.from {
                SpeakerDto::Person => Speaker::Person,
                SpeakerDto::Assistant => Speaker::Assistant,
            },
            text: t.text,
        })
        .collect();
    let case = assistant::hand_off(
        &state.services,
        &me,
        &conversation,
        agreement.as_ref(),
        &req.message,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(SupportCaseDto::of(&case, state.services.clock.now())),
    ))
}
