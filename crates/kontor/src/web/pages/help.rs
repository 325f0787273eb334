//! The help center and the assistant in the portal (#20): `/help` lists
//! and searches the articles (open without signing in: the sign-in help
//! must be readable by someone who cannot sign in), `/help/{slug}` shows
//! one, `/assistant` answers a question as a page — or, for the little
//! script that turns the form on every page into an inline panel, as a
//! fragment — and `/assistant/handoff` opens a support case carrying the
//! conversation.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use kontor_core::Error;
use kontor_core::domain::ids::AgreementNumber;
use kontor_core::domain::roles::Lang;
use kontor_help::Audience;
use serde::Deserialize;

use super::Chrome;
use super::agreements::{ReasonView, reason_views};
use super::error::PageError;
use super::session::{SignedIn, language, verify_form};
use crate::assistant::{self, Answered, Question, Speaker, Turn, help_lang};
use crate::i18n::Tr;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/help", get(index))
        .route("/help/{slug}", get(article))
        .route("/assistant", get(ask))
        .route("/assistant/handoff", post(handoff))
        .route("/static/assistant.js", get(script))
}

/// The little script that keeps the conversation in a panel.
async fn script() -> Response {
    super::asset(
        "text/javascript; charset=utf-8",
        include_str!("../../../static/assistant.js"),
    )
}

/// The frame of a page anyone may read: the person's own when signed in.
fn frame(
    me: &Result<SignedIn, Response>,
    jar: &CookieJar,
    headers: &HeaderMap,
    lang: Option<Lang>,
    path: &str,
) -> Chrome {
    match me {
        Ok(me) => {
            let mut c = Chrome::new(me, "help", path);
            if let Some(lang) = lang {
                c.tr = Tr::new(lang).in_zone(me.actor.time_zone);
            }
            c
        }
        Err(_) => {
            let mut c = Chrome::anonymous(
                Tr::new(lang.unwrap_or_else(|| language(jar, headers, None))),
                path,
            );
            c.nav = "help";
            c
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct IndexQuery {
    q: Option<String>,
    lang: Option<String>,
}

/// An article in a list.
struct Entry {
    slug: String,
    title: String,
    summary: String,
}

/// One audience's articles.
struct Group {
    title: String,
    entries: Vec<Entry>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/help.html")]
struct IndexPage {
    c: Chrome,
    q: String,
    /// Search results (when searched): slug, title, excerpt.
    results: Option<Vec<Entry>>,
    groups: Vec<Group>,
}

async fn index(
    State(state): State<AppState>,
    me: Result<SignedIn, Response>,
    jar: CookieJar,
    headers: HeaderMap,
    Query(query): Query<IndexQuery>,
) -> Response {
    let lang = query.lang.as_deref().and_then(Lang::parse);
    let c = frame(&me, &jar, &headers, lang, "/help");
    let help_lang = help_lang(c.tr.lang);
    let q = query
        .q
        .unwrap_or_default()
        .trim()
        .chars()
        .take(assistant::MAX_QUESTION)
        .collect::<String>();
    let results = (!q.is_empty()).then(|| {
        state
            .help
            .ask(&q, Some(help_lang), help_lang)
            .answers
            .into_iter()
            .map(|a| Entry {
                slug: a.slug,
                title: a.title,
                summary: a.excerpt,
            })
            .collect()
    });
    // Customers read their own articles first, partners theirs, vendor
    // staff theirs; everyone's come next.
    let first = match &me {
        Ok(me) if me.actor.account().is_some() => Audience::Customer,
        Ok(me) if me.actor.partner().is_some() => Audience::Partner,
        Ok(me) if me.actor.account().is_none() => Audience::Vendor,
        _ => Audience::Customer,
    };
    let mut order = vec![first, Audience::Everyone];
    order.extend(
        [Audience::Customer, Audience::Partner, Audience::Vendor]
            .into_iter()
            .filter(|a| *a != first),
    );
    let groups = order
        .into_iter()
        .map(|audience| Group {
            title: c.t(&format!("help-audience-{}", audience.as_str())),
            entries: state
                .help
                .articles(help_lang)
                .iter()
                .filter(|a| a.audience == audience)
                .map(|a| Entry {
                    slug: a.slug.clone(),
                    title: a.title.clone(),
                    summary: a.summary.clone(),
                })
                .collect(),
        })
        .filter(|g| !g.entries.is_empty())
        .collect();
    IndexPage {
        c,
        q,
        results,
        groups,
    }
    .into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/help_article.html")]
struct ArticlePage {
    c: Chrome,
    title: String,
    summary: String,
    /// The article's body, rendered from Markdown written in this
    /// repository (trusted).
    body: String,
    related: Vec<Entry>,
}

async fn article(
    State(state): State<AppState>,
    me: Result<SignedIn, Response>,
    jar: CookieJar,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(query): Query<IndexQuery>,
) -> Response {
    let lang = query.lang.as_deref().and_then(Lang::parse);
    let c = frame(&me, &jar, &headers, lang, &format!("/help/{slug}"));
    let help_lang = help_lang(c.tr.lang);
    let Some(found) = state.help.article(help_lang, &slug) else {
        return PageError::not_found(c.tr).into_response();
    };
    let related = found
        .related
        .iter()
        .filter_map(|slug| state.help.article(help_lang, slug))
        .map(|a| Entry {
            slug: a.slug.clone(),
            title: a.title.clone(),
            summary: a.summary.clone(),
        })
        .collect();
    ArticlePage {
        c,
        title: found.title.clone(),
        summary: found.summary.clone(),
        body: found.html.clone(),
        related,
    }
    .into_response()
}

/// The assistant's answer as shown.
pub struct AnswerView {
    /// The question.
    question: String,
    /// The agreement in context (kept for follow-ups and the hand-off).
    context: Option<String>,
    /// Earlier questions of the conversation (the panel sends them).
    earlier: String,
    /// The agreement explained.
    explained: Option<ExplainedView>,
    /// A number that is none of the person's agreements.
    unknown: Option<String>,
    /// Help articles: slug, title, excerpt.
    answers: Vec<Entry>,
    /// Offer a person prominently.
    handoff: bool,
    /// The person can open a support case.
    can_hand_off: bool,
}

/// The agreement in context, as the answer shows it.
pub struct ExplainedView {
    number: String,
    /// The change is possible now or not, in a sentence.
    summary: String,
    reasons: Vec<ReasonView>,
    /// What happens after submitting (eligible only).
    timing: Option<String>,
    eligible: bool,
}

#[derive(Debug, Default, Deserialize)]
struct AskQuery {
    q: Option<String>,
    agreement: Option<String>,
    earlier: Option<String>,
    fragment: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/assistant.html")]
struct AskPage {
    c: Chrome,
    q: String,
    context: Option<String>,
    a: Option<AnswerView>,
    error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/assistant_answer.html")]
struct AnswerFragment {
    c: Chrome,
    a: AnswerView,
}

async fn ask(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<AskQuery>,
) -> Result<Response, PageError> {
    let q = query.q.unwrap_or_default().trim().to_owned();
    // The page's agreement: a malformed one (edited by hand) is no context.
    let context = query
        .agreement
        .as_deref()
        .and_then(|n| AgreementNumber::parse(n).ok());
    let mut c = Chrome::new(&me, "help", "/assistant");
    c.assistant = false;
    if q.is_empty() {
        return Ok(AskPage {
            c,
            q,
            context: context.map(|n| n.to_string()),
            a: None,
            error: None,
        }
        .into_response());
    }
    if q.chars().count() > assistant::MAX_QUESTION {
        let error = Some(me.tr.tw(
            "error-text-too-long",
            &[("max", assistant::MAX_QUESTION.to_string())],
        ));
        let page = AskPage {
            c,
            q,
            context: context.map(|n| n.to_string()),
            a: None,
            error,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    // The portal answers in the person's language, whatever the question's.
    let question = Question {
        text: q.clone(),
        lang: Some(me.tr.lang),
        agreement: context.clone(),
    };
    let answered = assistant::ask(
        &state.services,
        &state.help,
        &me.actor,
        &question,
        me.tr.lang,
    )
    .await
    .map_err(|e| PageError::from_core(e, me.tr))?;
    let earlier = query.earlier.unwrap_or_default();
    let view = answer_view(&state, &me, &q, context.as_ref(), &earlier, &answered);
    if query.fragment.is_some() {
        return Ok(AnswerFragment { c, a: view }.into_response());
    }
    Ok(AskPage {
        c,
        q,
        context: context.map(|n| n.to_string()),
        a: Some(view),
        error: None,
    }
    .into_response())
}

fn answer_view(
    state: &AppState,
    me: &SignedIn,
    question: &str,
    context: Option<&AgreementNumber>,
    earlier: &str,
    answered: &Answered,
) -> AnswerView {
    let tr = me.tr;
    let policy = &state.services.policy;
    let today = kontor_core::domain::eligibility::today(state.services.clock.now());
    let explained = answered.agreement.as_ref().map(|e| {
        let number = e.number.to_string();
        ExplainedView {
            summary: assistant::summary(tr, &e.number, &e.eligibility),
            reasons: reason_views(
                &state.help,
                tr,
                &e.eligibility.reasons,
                policy.expiry_window_days,
                today,
                &number,
            ),
            timing: e
                .eligibility
                .eligible
                .then(|| assistant::timing(tr, policy)),
            eligible: e.eligibility.eligible,
            number,
        }
    });
    AnswerView {
        question: question.to_owned(),
        context: context.map(ToString::to_string),
        earlier: earlier.chars().take(assistant::MAX_TURN * 4).collect(),
        explained,
        unknown: answered.unknown_agreement.as_ref().map(ToString::to_string),
        answers: answered
            .answers
            .iter()
            .map(|a| Entry {
                slug: a.slug.clone(),
                title: a.title.clone(),
                summary: a.excerpt.clone(),
            })
            .collect(),
        handoff: answered.handoff,
        can_hand_off: me.actor.account().is_some(),
    }
}

#[derive(Debug, Deserialize)]
struct HandoffForm {
    csrf: Option<String>,
    question: String,
    agreement: Option<String>,
    #[serde(default)]
    earlier: String,
    #[serde(default)]
    message: String,
}

/// Opens the support case: the earlier questions, the last one with the
/// assistant's answer (asked again, so the case holds what kontor said,
/// not what a form claims), and the person's note.
async fn handoff(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<HandoffForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let context = f
        .agreement
        .as_deref()
        .filter(|n| !n.is_empty())
        .and_then(|n| AgreementNumber::parse(n).ok());
    let question = Question {
        text: f.question.trim().to_owned(),
        lang: Some(me.tr.lang),
        agreement: context.clone(),
    };
    let mut conversation: Vec<Turn> = f
        .earlier
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Turn {
            from: Speaker::Person,
            text: l.trim().to_owned(),
        })
        .collect();
    if !question.text.is_empty() && question.text.chars().count() <= assistant::MAX_QUESTION {
        let answered = assistant::ask(
            &state.services,
            &state.help,
            &me.actor,
            &question,
            me.tr.lang,
        )
        .await
        .map_err(|e| PageError::from_core(e, me.tr))?;
        conversation.push(Turn {
            from: Speaker::Person,
            text: question.text.clone(),
        });
        conversation.push(assistant::answer_turn(&answered));
    }
    // The agreement the question names, else the page's.
    let agreement = assistant::agreement_in(&question.text).or(context);
    match assistant::hand_off(
        &state.services,
        &me.actor,
        &conversation,
        agreement.as_ref(),
        &f.message,
    )
    .await
    {
        Ok(case) => {
            Ok(Redirect::to(&format!("/support-cases/{}?opened=1", case.id)).into_response())
        }
        Err(Error::Invalid(errors) | Error::Refused(errors)) => {
            let mut c = Chrome::new(&me, "help", "/assistant");
            c.assistant = false;
            let error = errors.first().map(|e| me.tr.field_message(e));
            let page = AskPage {
                c,
                q: question.text,
                context: agreement.map(|n| n.to_string()),
                a: None,
                error,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        // Another tenant's agreement reads like a missing one (R1), and a
        // person without an account is told who opens cases.
        Err(e) => Err(PageError::from_core(e, me.tr)),
    }
}
