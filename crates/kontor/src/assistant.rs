//! The help assistant (#20): answers a question from kontor's own help in
//! the asker's language, explains for one agreement — the page's, or one
//! whose number the question names — why the partner can or cannot change
//! now (the eligibility engine, for the asker: R1), and says when to offer
//! a person. Portal and API both ask here.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use kontor_core::domain::eligibility::{Eligibility, ReasonCode, today};
use kontor_core::domain::ids::AgreementNumber;
use kontor_core::domain::policy::Policy;
use kontor_core::domain::roles::{Actor, Lang};
use kontor_core::service::Services;
use kontor_core::{Error, FieldError, Result};
use kontor_help::HelpCenter;

use crate::i18n::Tr;

/// The help center for `policy`, built once per set of configured values
/// (start-up; tests with the same policy share it).
pub fn help_center(policy: &Policy) -> anyhow::Result<Arc<HelpCenter>> {
    type Built = Mutex<HashMap<Vec<(&'static str, &'static str, String)>, Arc<HelpCenter>>>;
    static BUILT: OnceLock<Built> = OnceLock::new();
    let values = |lang: kontor_help::Lang| placeholder_values(policy, lang);
    let key: Vec<_> = [kontor_help::Lang::De, kontor_help::Lang::En]
        .into_iter()
        .flat_map(|lang| {
            let mut values: Vec<_> = values(lang)
                .into_iter()
                .map(|(k, v)| (lang.as_str(), k, v))
                .collect();
            values.sort();
            values
        })
        .collect();
    let mut built = BUILT
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(help) = built.get(&key) {
        return Ok(help.clone());
    }
    let started = Instant::now();
    let help = Arc::new(HelpCenter::build(values)?);
    tracing::info!(
        articles = help.articles(kontor_help::Lang::De).len(),
        ms = started.elapsed().as_millis() as u64,
        "help center indexed"
    );
    built.insert(key, help.clone());
    Ok(help)
}

/// The configured values the articles quote, worded for `lang`.
fn placeholder_values(policy: &Policy, lang: kontor_help::Lang) -> HashMap<&'static str, String> {
    let tr = Tr::new(core_lang(lang));
    let response = |level| tr.duration(policy.first_response.of(level).whole_minutes());
    let resolution = |level| tr.duration(policy.resolution.of(level).whole_minutes());
    use kontor_core::domain::agreement::SupportLevel;
    HashMap::from([
        (
            "processing_delay",
            tr.duration(policy.processing_delay_minutes),
        ),
        ("expiry_window_days", policy.expiry_window_days.to_string()),
        ("acceptance_days", policy.acceptance_days.to_string()),
        ("renewal_grace_days", policy.renewal_grace_days.to_string()),
        ("first_response_standard", response(SupportLevel::Standard)),
        ("first_response_advanced", response(SupportLevel::Advanced)),
        ("first_response_premium", response(SupportLevel::Premium)),
        ("resolution_standard", resolution(SupportLevel::Standard)),
        ("resolution_advanced", resolution(SupportLevel::Advanced)),
        ("resolution_premium", resolution(SupportLevel::Premium)),
        (
            "acceptance_escalation",
            tr.duration(policy.acceptance_escalate_hours * 60),
        ),
        (
            "transfer_code_validity",
            tr.duration(policy.transfer_code_valid_hours * 60),
        ),
    ])
}

/// kontor's language as the help names it.
pub fn help_lang(lang: Lang) -> kontor_help::Lang {
    match lang {
        Lang::De => kontor_help::Lang::De,
        Lang::En => kontor_help::Lang::En,
    }
}

/// The help's language as kontor names it.
pub fn core_lang(lang: kontor_help::Lang) -> Lang {
    match lang {
        kontor_help::Lang::De => Lang::De,
        kontor_help::Lang::En => Lang::En,
    }
}

/// The slug of the help article that explains a reason (linked from the
/// reason on the agreement page, and offered first when the assistant
/// explains it): the article that lists the reason's code (`codes:`);
/// the partner change's own article for a reason none lists.
pub fn reason_article(help: &HelpCenter, code: ReasonCode) -> String {
    help.article_for_code(kontor_help::Lang::En, code.as_str())
        .map_or_else(
            || "change-partner".to_owned(),
            |article| article.slug.clone(),
        )
}

/// Longest question, in characters.
pub const MAX_QUESTION: usize = 1000;

/// A question as asked.
#[derive(Debug, Clone, Default)]
pub struct Question {
    /// What the person wrote.
    pub text: String,
    /// The language to answer in, if the person chose one.
    pub lang: Option<Lang>,
    /// The agreement in context (the page the person is on).
    pub agreement: Option<AgreementNumber>,
}

/// An agreement explained for the asker.
#[derive(Debug, Clone)]
pub struct Explained {
    /// The agreement.
    pub number: AgreementNumber,
    /// What the eligibility engine says for the asker.
    pub eligibility: Eligibility,
    /// Every reason and what to do, or the next step, in plain words.
    pub explanation: String,
}

/// The assistant's answer.
#[derive(Debug, Clone)]
pub struct Answered {
    /// The language answered in.
    pub lang: Lang,
    /// Help articles, best first (at most [`kontor_help::MAX_ANSWERS`]).
    pub answers: Vec<kontor_help::Answer>,
    /// The agreement in context, explained.
    pub agreement: Option<Explained>,
    /// A number the question or page named that is none of the asker's
    /// agreements — missing or another tenant's, said the same way (R1).
    pub unknown_agreement: Option<AgreementNumber>,
    /// Whether to offer a person.
    pub handoff: bool,
}

/// The first agreement number written in `text`: 12 or 14 digits, with
/// spaces, dashes, dots or slashes between them as people write them.
pub fn agreement_in(text: &str) -> Option<AgreementNumber> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // Glued to a word, or a phone number (+49 …): not an agreement.
        let preceded = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '+');
        let mut digits = String::new();
        let mut end = i;
        let mut j = i;
        while j < chars.len() {
            match chars[j] {
                c if c.is_ascii_digit() => {
                    digits.push(c);
                    end = j;
                }
                ' ' | '-' | '.' | '/' if chars.get(j + 1).is_some_and(char::is_ascii_digit) => {}
                _ => break,
            }
            j += 1;
        }
        let followed_by_letter = chars.get(end + 1).is_some_and(|c| c.is_alphanumeric());
        if matches!(digits.len(), 12 | 14)
            && !preceded
            && !followed_by_letter
            && let Ok(number) = AgreementNumber::parse(&digits)
        {
            return Some(number);
        }
        i = end + 1;
    }
    None
}

/// Answers `question` for `actor`; `fallback` is the language to answer in
/// when the question does not tell (the person's).
pub async fn ask(
    services: &Services,
    help: &HelpCenter,
    actor: &Actor,
    question: &Question,
    fallback: Lang,
) -> Result<Answered> {
    let reply = help.ask(
        &question.text,
        question.lang.map(help_lang),
        help_lang(fallback),
    );
    let lang = core_lang(reply.lang);
    let handoff = reply.suggest_handoff();
    let mut answers = reply.answers;
    let number = agreement_in(&question.text).or_else(|| question.agreement.clone());
    let (agreement, unknown_agreement) = match number {
        None => (None, None),
        Some(number) => match services.eligibility(actor, &number).await {
            Ok((state, eligibility)) => {
                let explanation = explain(services, lang, &state.agreement.number, &eligibility);
                (
                    Some(Explained {
                        number: state.agreement.number.clone(),
                        eligibility,
                        explanation,
                    }),
                    None,
                )
            }
            // R1: another tenant's agreement reads exactly like a missing one.
            Err(Error::NotFound(_)) => (None, Some(number)),
            Err(e) => return Err(e),
        },
    };
    if let Some(explained) = &agreement {
        lead_with_reasons(help, reply.lang, &mut answers, &explained.eligibility);
    }
    Ok(Answered {
        lang,
        answers,
        agreement,
        unknown_agreement,
        handoff,
    })
}

/// When the question is about changing the partner of an agreement that
/// cannot change now, the articles on its reasons answer it best: they go
/// first. A question about something else keeps its answers.
fn lead_with_reasons(
    help: &HelpCenter,
    lang: kontor_help::Lang,
    answers: &mut Vec<kontor_help::Answer>,
    eligibility: &Eligibility,
) {
    let reason_slugs: Vec<String> = eligibility
        .reasons
        .iter()
        .map(|r| reason_article(help, r.code))
        .collect();
    let about_change = answers
        .first()
        .is_none_or(|top| top.slug == "change-partner" || reason_slugs.contains(&top.slug));
    if reason_slugs.is_empty() || !about_change {
        return;
    }
    let mut lead: Vec<kontor_help::Answer> = Vec::new();
    for slug in reason_slugs {
        if lead.iter().any(|a| a.slug == slug) {
            continue;
        }
        if let Some(article) = help.article(lang, &slug) {
            lead.push(kontor_help::Answer {
                slug: article.slug.clone(),
                title: article.title.clone(),
                excerpt: article.summary.clone(),
                score: answers.first().map_or(0.0, |a| a.score),
            });
        }
    }
    answers.retain(|a| !lead.iter().any(|l| l.slug == a.slug));
    lead.append(answers);
    lead.truncate(kontor_help::MAX_ANSWERS);
    *answers = lead;
}

/// The agreement's situation in plain words: every reason with what to do
/// and from which date, or how to go ahead.
fn explain(services: &Services, lang: Lang, number: &AgreementNumber, e: &Eligibility) -> String {
    let tr = Tr::new(lang);
    let policy = &services.policy;
    let mut text = summary(tr, number, e);
    if e.eligible {
        text.push(' ');
        text.push_str(&timing(tr, policy));
        return text;
    }
    let today = today(services.clock.now());
    for reason in &e.reasons {
        text.push(' ');
        text.push_str(&reason.code.message(lang, policy.expiry_window_days));
        if let Some(from) = reason.possible_from.filter(|d| *d > today) {
            text.push(' ');
            text.push_str(&tr.t1("possible-from", "date", &tr.date(from)));
            text.push('.');
        }
    }
    text
}

/// The sentence that sums an agreement up: the change is possible now
/// (and how to start it), or not, for so many reasons.
pub fn summary(tr: Tr, number: &AgreementNumber, e: &Eligibility) -> String {
    if e.eligible {
        tr.ta(
            "assistant-eligible",
            &[
                ("number", number.to_string().into()),
                ("action", tr.t("action-update-partner").into()),
            ],
        )
    } else {
        tr.ta(
            "assistant-blocked",
            &[
                ("number", number.to_string().into()),
                ("count", (e.reasons.len() as i64).into()),
            ],
        )
    }
}

/// When a submitted change takes effect, under the configured policy: the
/// processing delay, and the partner's days to accept when the policy asks
/// for it (the wizard's review step and the assistant say it alike).
pub fn timing(tr: Tr, policy: &Policy) -> String {
    if policy.acceptance_required {
        tr.ta(
            "wizard-timing-acceptance",
            &[
                ("days", policy.acceptance_days.into()),
                ("minutes", policy.processing_delay_minutes.into()),
            ],
        )
    } else {
        tr.tn("wizard-timing", "minutes", policy.processing_delay_minutes)
    }
}

/// Who said something in a conversation with the assistant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    /// The person asking.
    Person,
    /// The assistant.
    Assistant,
}

/// One turn of a conversation with the assistant.
#[derive(Debug, Clone)]
pub struct Turn {
    /// Who said it.
    pub from: Speaker,
    /// What they said.
    pub text: String,
}

/// Longest turn kept, in characters.
pub const MAX_TURN: usize = 2000;
/// Most turns kept.
pub const MAX_TURNS: usize = 30;

/// The assistant's answer as one turn of the conversation: the agreement's
/// explanation, or the help's answer, and the articles it suggested.
pub fn answer_turn(answered: &Answered) -> Turn {
    let tr = Tr::new(answered.lang);
    let mut parts = Vec::new();
    if let Some(explained) = &answered.agreement {
        parts.push(explained.explanation.clone());
    }
    if let Some(number) = &answered.unknown_agreement {
        parts.push(tr.t1("assistant-unknown-agreement", "number", number.as_str()));
    }
    match answered.answers.first() {
        None => parts.push(tr.t("assistant-none")),
        Some(best) if answered.agreement.is_none() => parts.push(best.excerpt.clone()),
        Some(_) => {}
    }
    if !answered.answers.is_empty() {
        let titles: Vec<&str> = answered.answers.iter().map(|a| a.title.as_str()).collect();
        parts.push(tr.t1(
            "assistant-transcript-articles",
            "titles",
            &titles.join("; "),
        ));
    }
    Turn {
        from: Speaker::Assistant,
        text: parts.join(" "),
    }
}

/// Hands a conversation with the assistant to support: a support case
/// whose opening message is the person's note and the conversation, in
/// their language, about `agreement` if one is named (R1: another
/// tenant's is not found). Errors name the field: `conversation`,
/// `message`, `agreement`.
pub async fn hand_off(
    services: &Services,
    actor: &Actor,
    conversation: &[Turn],
    agreement: Option<&AgreementNumber>,
    note: &str,
) -> Result<kontor_core::domain::support::SupportCase> {
    let tr = Tr::new(actor.lang);
    let mut problems = Vec::new();
    if conversation.len() > MAX_TURNS {
        problems.push(FieldError::coded(
            "conversation",
            "conversation-too-long",
            vec![("max", MAX_TURNS.to_string())],
            format!("expected at most {MAX_TURNS} turns"),
        ));
    }
    for (i, turn) in conversation.iter().enumerate() {
        if turn.text.chars().count() > MAX_TURN {
            problems.push(FieldError::coded(
                format!("conversation[{i}].text"),
                "text-too-long",
                vec![("max", MAX_TURN.to_string())],
                format!("expected at most {MAX_TURN} characters"),
            ));
        }
    }
    if note.chars().count() > MAX_TURN {
        problems.push(FieldError::coded(
            "message",
            "text-too-long",
            vec![("max", MAX_TURN.to_string())],
            format!("expected at most {MAX_TURN} characters"),
        ));
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    // Well-formed, but nothing the person asked: nothing to hand over.
    if !conversation
        .iter()
        .any(|t| t.from == Speaker::Person && !t.text.trim().is_empty())
    {
        return Err(Error::Refused(vec![FieldError::coded(
            "conversation",
            "conversation-empty",
            Vec::new(),
            "expected at least one question of the person",
        )]));
    }
    let mut text = String::new();
    if !note.trim().is_empty() {
        text.push_str(note.trim());
        text.push_str("\n\n");
    }
    text.push_str(&format!("— {} —", tr.t("assistant-transcript-header")));
    for turn in conversation.iter().filter(|t| !t.text.trim().is_empty()) {
        let who = match turn.from {
            Speaker::Person => tr.t1("assistant-transcript-person", "name", &actor.name),
            Speaker::Assistant => tr.t("assistant-transcript-assistant"),
        };
        let said = turn.text.split_whitespace().collect::<Vec<_>>().join(" ");
        text.push_str(&format!("\n{who}: {said}"));
    }
    services.ask_support(actor, &text, agreement).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_numbers_are_read_as_people_write_them() {
        let n = |text: &str| agreement_in(text).map(|n| n.to_string());
        assert_eq!(
            n("Warum kann ich 1100-2233-4455 nicht ändern?").as_deref(),
            Some("110022334455")
        );
        assert_eq!(
            n("abo 5500 1122 3344 77 wechseln").as_deref(),
            Some("55001122334477")
        );
        assert_eq!(
            n("Vertrag 1100.0000.0777?").as_deref(),
            Some("110000000777")
        );
        assert_eq!(n("110000000011").as_deref(), Some("110000000011"));
        // A partner's CSN (10 digits), a phone number, two numbers run together: none.
        assert_eq!(n("Partner 5100 0000 01 finden"), None);
        assert_eq!(n("ruf mich an: +49 30 1234 5678 99"), None);
        assert_eq!(n("1100 2233 4455 2200 3344 5566"), None);
        // Digits glued to letters are not a number someone wrote.
        assert_eq!(n("ABC110022334455"), None);
        // The first of two numbers.
        assert_eq!(
            n("1100-2233-4455 und 2200-3344-5566").as_deref(),
            Some("110022334455")
        );
    }

    #[test]
    fn every_placeholder_gets_its_configured_value_in_both_languages() {
        let policy = Policy {
            processing_delay_minutes: 90,
            expiry_window_days: 45,
            ..Policy::default()
        };
        for lang in [kontor_help::Lang::De, kontor_help::Lang::En] {
            let values = placeholder_values(&policy, lang);
            let mut keys: Vec<&str> = values.keys().copied().collect();
            keys.sort_unstable();
            let mut expected = kontor_help::PLACEHOLDERS.to_vec();
            expected.sort_unstable();
            assert_eq!(keys, expected);
            assert_eq!(values["expiry_window_days"], "45");
        }
        assert_eq!(
            placeholder_values(&policy, kontor_help::Lang::De)["processing_delay"],
            "90 Minuten"
        );
        assert_eq!(
            placeholder_values(&policy, kontor_help::Lang::En)["first_response_premium"],
            "1 hour"
        );
    }

    #[test]
    fn every_reason_has_an_article_that_lists_its_code() {
        let help = help_center(&Policy::default()).unwrap();
        for code in ReasonCode::ALL {
            for lang in [kontor_help::Lang::De, kontor_help::Lang::En] {
                let article = help.article_for_code(lang, code.as_str());
                assert!(article.is_some(), "no article lists {code:?}");
                assert_eq!(article.unwrap().slug, reason_article(&help, code));
            }
        }
    }
}
