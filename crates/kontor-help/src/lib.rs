//! kontor's help center: the articles (Markdown in `articles/<lang>/`,
//! compiled in), and the retrieval the assistant answers from — a tantivy
//! index per language with German and English analysis (see
//! [`analysis`](crate::analysis) for compounds, synonyms and typos),
//! language detection, and the judgement of when the help has no answer.
//!
//! Pure and synchronous: no I/O after start-up, so a question costs a few
//! hundred microseconds and tests run without a server.

mod analysis;
mod article;
mod index;
mod lexicon;

use std::collections::{HashMap, HashSet};
use std::fmt;

pub use article::{Article, ArticleError, Audience};

use analysis::words;
use index::LangIndex;

mod files {
    include!(concat!(env!("OUT_DIR"), "/articles.rs"));
}

/// The two languages of the help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// German.
    De,
    /// English.
    En,
}

impl Lang {
    /// `de` or `en`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// The language of a tag, `de` or `en`.
    pub fn parse(tag: &str) -> Option<Lang> {
        match tag {
            "de" => Some(Lang::De),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The placeholders an article may use; the values come from the running
/// configuration, worded for the language ("60 Minuten").
pub const PLACEHOLDERS: &[&str] = &[
    "processing_delay",
    "expiry_window_days",
    "acceptance_days",
    "renewal_grace_days",
    "first_response_standard",
    "first_response_advanced",
    "first_response_premium",
    "resolution_standard",
    "resolution_advanced",
    "resolution_premium",
    "acceptance_escalation",
    "transfer_code_validity",
];

/// The share of a question's weight the best article must cover to count
/// as an answer; below it the question is mostly about something the help
/// does not know ("wie funktioniert die Quantenverschränkung"): better to
/// offer a person than to guess. A question's weight is the idf of its
/// known terms plus [`index::UNKNOWN_WEIGHT`] per word the help never uses;
/// words of subjects the help is clearly not about ([`lexicon::foreign`]:
/// installing software, prices and invoices, other contracts, small talk)
/// hand off before any ranking.
///
/// Chosen on `bench/assistant/questions.tsv` (see
/// `bench/RESULTS-assistant.md`): since a question without any of
/// kontor's own words needs [`ANCHORLESS_COVERAGE`], from 0.25 to 0.35 the
/// out-of-scope questions are handed off alike (41 of 43) and no more
/// answerable ones; from 0.40 answerable paraphrases start to be handed
/// off (4 of 298 at 0.40, 8 at 0.45). 0.30 sits inside that plateau.
const MIN_COVERAGE: f32 = 0.3;
/// The coverage a question needs that uses none of kontor's own words
/// ([`lexicon::anchors`]).
const ANCHORLESS_COVERAGE: f32 = 0.8;
/// Further answers are shown only when they score at least this share of
/// the best one.
const RUNNER_UP: f32 = 0.5;
/// Answers shown at most.
pub const MAX_ANSWERS: usize = 3;
/// The article that tells how to reach a person.
pub const CONTACT_SUPPORT: &str = "contact-support";

/// Why the help center cannot be built.
#[derive(Debug)]
pub enum BuildError {
    /// An article file is malformed.
    Article(ArticleError),
    /// Articles disagree (a slug in one language only, a related slug that
    /// does not exist).
    Catalog(String),
    /// The index could not be built.
    Index(tantivy::TantivyError),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Article(error) => error.fmt(f),
            BuildError::Catalog(problem) => write!(f, "help articles: {problem}"),
            BuildError::Index(error) => write!(f, "help index: {error}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// One answer: an article and the passage of it that fits the question.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The article's slug.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// The passage that answers best (or the summary).
    pub excerpt: String,
    /// BM25 score (for ordering and tests).
    pub score: f32,
}

/// What the help has for a question.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The language answered in.
    pub lang: Lang,
    /// Best first, at most [`MAX_ANSWERS`]; empty when the help has none.
    pub answers: Vec<Answer>,
    /// The question asks for a person.
    pub wants_person: bool,
}

impl Reply {
    /// Whether to offer a person: asked for, or nothing to answer with.
    pub fn suggest_handoff(&self) -> bool {
        self.wants_person || self.answers.is_empty()
    }
}

struct Library {
    articles: Vec<Article>,
    by_slug: HashMap<String, usize>,
    index: LangIndex,
    /// The terms of each article's passages (excerpts).
    passage_terms: Vec<Vec<HashSet<String>>>,
}

/// Both languages' articles and indexes.
pub struct HelpCenter {
    de: Library,
    en: Library,
}

impl HelpCenter {
    /// Parses every article, fills in `values` (per language, keyed by
    /// [`PLACEHOLDERS`]) and indexes them.
    pub fn build(
        values: impl Fn(Lang) -> HashMap<&'static str, String>,
    ) -> Result<HelpCenter, BuildError> {
        let mut libraries = HashMap::new();
        for lang in [Lang::De, Lang::En] {
            let values = values(lang);
            let articles = files::FILES
                .iter()
                .filter(|(tag, _, _)| *tag == lang.as_str())
                .map(|(_, slug, text)| article::parse(lang, slug, text, &values))
                .collect::<Result<Vec<_>, _>>()
                .map_err(BuildError::Article)?;
            let index = LangIndex::build(&articles).map_err(BuildError::Index)?;
            let passage_terms = articles
                .iter()
                .map(|article| {
                    article
                        .passages
                        .iter()
                        .map(|passage| index.terms_of(passage))
                        .collect()
                })
                .collect();
            let by_slug = articles
                .iter()
                .enumerate()
                .map(|(i, article)| (article.slug.clone(), i))
                .collect();
            libraries.insert(
                lang,
                Library {
                    articles,
                    by_slug,
                    index,
                    passage_terms,
                },
            );
        }
        let help = HelpCenter {
            de: libraries.remove(&Lang::De).expect("built above"),
            en: libraries.remove(&Lang::En).expect("built above"),
        };
        help.check_catalog()?;
        Ok(help)
    }

    fn check_catalog(&self) -> Result<(), BuildError> {
        for (lang, other) in [(Lang::De, Lang::En), (Lang::En, Lang::De)] {
            for article in self.articles(lang) {
                if let Some(twin) = self.article(other, &article.slug)
                    && twin.codes != article.codes
                {
                    return Err(BuildError::Catalog(format!(
                        "{}/{}.md and its {} version explain different codes",
                        lang.as_str(),
                        article.slug,
                        other.as_str()
                    )));
                }
                if self.article(other, &article.slug).is_none() {
                    return Err(BuildError::Catalog(format!(
                        "{}/{}.md has no {} version",
                        lang.as_str(),
                        article.slug,
                        other.as_str()
                    )));
                }
                if let Some(missing) = article
                    .related
                    .iter()
                    .find(|slug| self.article(lang, slug).is_none())
                {
                    return Err(BuildError::Catalog(format!(
                        "{}/{}.md names related article {missing:?}, which does not exist",
                        lang.as_str(),
                        article.slug
                    )));
                }
            }
        }
        Ok(())
    }

    fn library(&self, lang: Lang) -> &Library {
        match lang {
            Lang::De => &self.de,
            Lang::En => &self.en,
        }
    }

    /// Every article of a language, by slug.
    pub fn articles(&self, lang: Lang) -> &[Article] {
        &self.library(lang).articles
    }

    /// One article.
    pub fn article(&self, lang: Lang, slug: &str) -> Option<&Article> {
        let library = self.library(lang);
        library.by_slug.get(slug).map(|&i| &library.articles[i])
    }

    /// The language a question is written in: the one whose help and
    /// function words hold more of its words (umlauts count for German);
    /// `fallback` (the person's language) when that does not tell.
    pub fn detect(&self, question: &str, fallback: Lang) -> Lang {
        let mut german = 2 * question
            .chars()
            .filter(|c| matches!(c, 'ä' | 'ö' | 'ü' | 'ß' | 'Ä' | 'Ö' | 'Ü'))
            .count();
        let mut english = 0;
        for word in words(question) {
            match (
                self.de.index.analyzer.knows(&word),
                self.en.index.analyzer.knows(&word),
            ) {
                (true, false) => german += 1,
                (false, true) => english += 1,
                _ => {}
            }
        }
        match german.cmp(&english) {
            std::cmp::Ordering::Greater => Lang::De,
            std::cmp::Ordering::Less => Lang::En,
            std::cmp::Ordering::Equal => fallback,
        }
    }

    /// Answers a question from the help: in `lang` when given, else in the
    /// language it is written in (`fallback` when that is unclear).
    pub fn ask(&self, question: &str, lang: Option<Lang>, fallback: Lang) -> Reply {
        // The question is understood in the language it is written in; the
        // answer comes in the one asked for, if any (the same articles
        // exist in both).
        let written = self.detect(question, lang.unwrap_or(fallback));
        let mut reply = self.ask_in(question, written);
        if let Some(wanted) = lang.filter(|wanted| *wanted != written) {
            let library = self.library(wanted);
            reply.lang = wanted;
            for answer in &mut reply.answers {
                if let Some(&i) = library.by_slug.get(&answer.slug) {
                    let article = &library.articles[i];
                    answer.title = article.title.clone();
                    answer.excerpt = article.summary.clone();
                }
            }
        }
        reply
    }

    /// How a question is read, for tuning (`help-eval --explain`): its
    /// language, its terms (`?` unknown to the help, `!` of another
    /// subject, with their weight) and the best matches with score and
    /// coverage.
    pub fn explain(&self, question: &str, fallback: Lang) -> String {
        let lang = self.detect(question, fallback);
        let library = self.library(lang);
        let terms = library.index.analyzer.query_terms(question);
        let shown: Vec<String> = terms
            .iter()
            .map(|term| {
                let mark = if term.foreign {
                    "!"
                } else if term.known {
                    ""
                } else {
                    "?"
                };
                format!("{}{mark}:{:.1}", term.stem, library.index.idf(term))
            })
            .collect();
        let mut out = format!("{} terms {}", lang.as_str(), shown.join(" "));
        for found in library.index.search(&terms, 3) {
            out.push_str(&format!(
                "\n  {:28} score {:6.2} coverage {:.2}",
                library.articles[found.article].slug, found.score, found.coverage
            ));
        }
        out
    }

    /// The article that explains a code (a reason such as `expires_soon`,
    /// a status such as `awaiting_partner`).
    pub fn article_for_code(&self, lang: Lang, code: &str) -> Option<&Article> {
        self.articles(lang)
            .iter()
            .find(|article| article.codes.iter().any(|c| c == code))
    }

    /// Answers a question written in `lang`, in `lang`.
    fn ask_in(&self, question: &str, lang: Lang) -> Reply {
        let mut reply = self.ask_in_words(question, lang);
        // A code quoted from the portal or the API ("Fehler not_active")
        // names its article better than any wording could.
        let quoted: Vec<&Article> = codes_in(question)
            .iter()
            .filter_map(|code| self.article_for_code(lang, code))
            .collect();
        for (at, article) in quoted.into_iter().enumerate() {
            reply.answers.retain(|answer| answer.slug != article.slug);
            let answer = Answer {
                slug: article.slug.clone(),
                title: article.title.clone(),
                excerpt: article.summary.clone(),
                score: reply.answers.first().map_or(0.0, |best| best.score),
            };
            reply.answers.insert(at.min(reply.answers.len()), answer);
        }
        reply.answers.truncate(MAX_ANSWERS);
        reply
    }

    /// Answers a question from its words alone.
    fn ask_in_words(&self, question: &str, lang: Lang) -> Reply {
        let library = self.library(lang);
        let folded: Vec<String> = words(question).collect();
        let wants_person = lexicon::asks_for_person(&folded);
        let terms = library.index.analyzer.query_terms(question);
        let foreign = terms.iter().any(|term| term.foreign);
        let matches = if foreign {
            Vec::new()
        } else {
            library.index.search(&terms, MAX_ANSWERS + 2)
        };
        let mut answers: Vec<Answer> = Vec::new();
        let anchored = terms
            .iter()
            .any(|term| term.known && library.index.analyzer.is_anchor(&term.stem));
        let min = if anchored {
            MIN_COVERAGE
        } else {
            ANCHORLESS_COVERAGE
        };
        if let Some(best) = matches.first().filter(|best| best.coverage >= min) {
            for found in matches
                .iter()
                .filter(|found| found.score >= best.score * RUNNER_UP)
                .take(MAX_ANSWERS)
            {
                let article = &library.articles[found.article];
                answers.push(Answer {
                    slug: article.slug.clone(),
                    title: article.title.clone(),
                    excerpt: excerpt(library, found.article, &terms),
                    score: found.score,
                });
            }
        }
        if wants_person
            && answers
                .first()
                .is_none_or(|answer| answer.slug != CONTACT_SUPPORT)
        {
            answers.retain(|answer| answer.slug != CONTACT_SUPPORT);
            if let Some(&i) = library.by_slug.get(CONTACT_SUPPORT) {
                let article = &library.articles[i];
                answers.insert(
                    0,
                    Answer {
                        slug: article.slug.clone(),
                        title: article.title.clone(),
                        excerpt: article.summary.clone(),
                        score: answers.first().map_or(0.0, |best| best.score),
                    },
                );
                answers.truncate(MAX_ANSWERS);
            }
        }
        Reply {
            lang,
            answers,
            wants_person,
        }
    }
}

/// Codes written in a text: lower-case words joined by underscores.
fn codes_in(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| word.contains('_') && !word.starts_with('_') && !word.ends_with('_'))
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The passage of an article that shares the most (idf-weighted) terms with
/// the question, shortened at a word; the summary when none does.
fn excerpt(library: &Library, article: usize, terms: &[analysis::QueryTerm]) -> String {
    let best = library.passage_terms[article]
        .iter()
        .enumerate()
        .map(|(i, passage)| {
            (
                i,
                terms
                    .iter()
                    .filter(|term| passage.contains(&term.stem))
                    .count(),
            )
        })
        .filter(|(_, shared)| *shared > 0)
        .max_by_key(|(i, shared)| (*shared, std::cmp::Reverse(*i)));
    let text = match best {
        Some((i, _)) => &library.articles[article].passages[i],
        None => &library.articles[article].summary,
    };
    shorten(text, 280)
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

/// Values for the placeholders as the defaults configure them (tests, the
/// evaluation command).
pub fn default_values(lang: Lang) -> HashMap<&'static str, String> {
    let (minutes, hours, resolution) = match lang {
        Lang::De => (
            "60 Minuten",
            ["24 Stunden", "4 Stunden", "1 Stunde"],
            ["3 Tage", "24 Stunden", "8 Stunden"],
        ),
        Lang::En => (
            "60 minutes",
            ["24 hours", "4 hours", "1 hour"],
            ["3 days", "24 hours", "8 hours"],
        ),
    };
    HashMap::from([
        ("processing_delay", minutes.to_owned()),
        ("expiry_window_days", "90".to_owned()),
        ("acceptance_days", "7".to_owned()),
        ("renewal_grace_days", "30".to_owned()),
        ("first_response_standard", hours[0].to_owned()),
        ("first_response_advanced", hours[1].to_owned()),
        ("first_response_premium", hours[2].to_owned()),
        ("resolution_standard", resolution[0].to_owned()),
        ("resolution_advanced", resolution[1].to_owned()),
        ("resolution_premium", resolution[2].to_owned()),
        ("acceptance_escalation", hours[0].to_owned()),
        (
            "transfer_code_validity",
            match lang {
                Lang::De => "3 Tage",
                Lang::En => "3 days",
            }
            .to_owned(),
        ),
    ])
}

#[cfg(test)]
mod tests;
