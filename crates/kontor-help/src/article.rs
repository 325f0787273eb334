//! One help article: its header (title, summary, audience, question
//! variants), its Markdown body with the configured values filled in, and
//! the HTML and plain-text forms the pages and the excerpts use.

use std::collections::HashMap;
use std::fmt;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::Lang;

/// Who an article is written for (the help center groups by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Audience {
    /// Everyone who signs in.
    Everyone,
    /// A customer account's people.
    Customer,
    /// Partner staff.
    Partner,
    /// The vendor's support agents and operators.
    Vendor,
}

impl Audience {
    /// Stable name (labels, file header).
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Everyone => "everyone",
            Audience::Customer => "customer",
            Audience::Partner => "partner",
            Audience::Vendor => "vendor",
        }
    }

    fn parse(value: &str) -> Option<Audience> {
        [
            Audience::Everyone,
            Audience::Customer,
            Audience::Partner,
            Audience::Vendor,
        ]
        .into_iter()
        .find(|audience| audience.as_str() == value)
    }
}

/// A help article in one language, ready to show and to index.
#[derive(Debug, Clone)]
pub struct Article {
    /// Its language.
    pub lang: Lang,
    /// URL name, the same in both languages.
    pub slug: String,
    /// Title.
    pub title: String,
    /// One or two sentences that answer the question (the fallback excerpt).
    pub summary: String,
    /// Who it is for.
    pub audience: Audience,
    /// Slugs of related articles.
    pub related: Vec<String>,
    /// How people ask for it (indexed, not shown).
    pub asks: Vec<String>,
    /// Codes the article explains (`expires_soon`, `not_permitted`): a
    /// question quoting one is about this article.
    pub codes: Vec<String>,
    /// The body rendered as HTML (trusted: written in this repository).
    pub html: String,
    /// The body's `##` headings as text.
    pub headings: Vec<String>,
    /// The body's paragraphs and list items as plain text (excerpts).
    pub passages: Vec<String>,
}

/// Why an article file is not usable; building the help center fails on it,
/// and a unit test builds it, so a broken article never ships.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleError {
    /// `de/change-partner.md`.
    pub file: String,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for ArticleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "help article {}: {}", self.file, self.problem)
    }
}

impl std::error::Error for ArticleError {}

/// Parses one article file and fills in `values` (`{{name}}` placeholders).
pub(crate) fn parse(
    lang: Lang,
    slug: &str,
    text: &str,
    values: &HashMap<&str, String>,
) -> Result<Article, ArticleError> {
    let fail = |problem: String| ArticleError {
        file: format!("{}/{slug}.md", lang.as_str()),
        problem,
    };
    let text = fill(text, values).map_err(fail)?;
    let (header, body) = text
        .split_once("\n---\n")
        .ok_or_else(|| fail("no line `---` between the header and the body".into()))?;
    let mut title = None;
    let mut summary = None;
    let mut audience = Audience::Everyone;
    let mut related = Vec::new();
    let mut asks = Vec::new();
    let mut codes = Vec::new();
    for line in header.lines().filter(|line| !line.trim().is_empty()) {
        let (key, value) = line
            .split_once(':')
            .ok_or_else(|| fail(format!("header line without `key: value`: {line:?}")))?;
        let value = value.trim();
        match key.trim() {
            "title" => title = Some(value.to_owned()),
            "summary" => summary = Some(value.to_owned()),
            "audience" => {
                audience = Audience::parse(value)
                    .ok_or_else(|| fail(format!("unknown audience {value:?}")))?
            }
            "related" => related = list(value),
            "ask" => asks.push(value.to_owned()),
            "codes" => codes = list(value),
            other => return Err(fail(format!("unknown header key {other:?}"))),
        }
    }
    let (body, linked) = split_related(body);
    for slug in linked {
        if !related.contains(&slug) {
            related.push(slug);
        }
    }
    let (html, headings, passages) = render(body);
    Ok(Article {
        lang,
        slug: slug.to_owned(),
        title: title.ok_or_else(|| fail("no title".into()))?,
        summary: summary.ok_or_else(|| fail("no summary".into()))?,
        audience,
        related,
        asks,
        codes,
        html,
        headings,
        passages,
    })
}

/// Adds a passage, its spacing evened out, unless it is empty.
fn push_passage(passages: &mut Vec<String>, text: &str) {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text.is_empty() {
        passages.push(text);
    }
}

/// Headings of a closing list of related articles.
const RELATED_HEADINGS: &[&str] = &["## Verwandte Artikel", "## Related articles"];

/// The body without a closing "related articles" section, and the slugs
/// that section links: the page lists related articles itself, once.
fn split_related(body: &str) -> (&str, Vec<String>) {
    let Some(start) = RELATED_HEADINGS
        .iter()
        .filter_map(|h| body.find(&format!("\n{h}\n")))
        .min()
    else {
        return (body, Vec::new());
    };
    let section = &body[start..];
    // Only when it is the last section: a later heading keeps it in place.
    if section[1..].contains("\n## ") {
        return (body, Vec::new());
    }
    let slugs = section
        .split("(/help/")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|slug| slug.split(['#', '?']).next().unwrap_or(slug).to_owned())
        .collect();
    (&body[..start], slugs)
}

/// A comma-separated header value.
fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Replaces every `{{name}}`; an unknown name is an error, so an article
/// cannot show a raw placeholder.
fn fill(text: &str, values: &HashMap<&str, String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or("a `{{` without `}}`")?;
        let name = after[..end].trim();
        let value = values
            .get(name)
            .ok_or_else(|| format!("unknown placeholder {{{{{name}}}}}"))?;
        out.push_str(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The body as HTML, its headings and its passages as plain text.
fn render(body: &str) -> (String, Vec<String>, Vec<String>) {
    let events: Vec<Event<'_>> = Parser::new_ext(body, Options::ENABLE_TABLES).collect();
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
    let mut headings = Vec::new();
    let mut passages = Vec::new();
    let mut current: Option<String> = None;
    let mut in_heading = false;
    for event in &events {
        match event {
            Event::Start(Tag::Heading { level, .. }) if *level >= HeadingLevel::H2 => {
                in_heading = true;
                current = Some(String::new());
            }
            // A list inside an item (or a paragraph inside one) starts a
            // passage of its own; the text so far is one already.
            Event::Start(Tag::Paragraph | Tag::Item | Tag::TableCell) if !in_heading => {
                if let Some(text) = current.replace(String::new()) {
                    push_passage(&mut passages, &text);
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(current) = current.as_mut() {
                    current.push_str(text)
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(current) = current.as_mut() {
                    current.push(' ')
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(text) = current.take() {
                    headings.push(text.trim().to_owned());
                }
                in_heading = false;
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) if !in_heading => {
                if let Some(text) = current.take() {
                    push_passage(&mut passages, &text);
                }
            }
            _ => {}
        }
    }
    (html, headings, passages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> HashMap<&'static str, String> {
        HashMap::from([("processing_delay", "60 Minuten".to_owned())])
    }

    #[test]
    fn header_body_and_placeholders() {
        let text = "title: Titel\nsummary: Kurz.\naudience: customer\nrelated: a, b\nask: Wie?\nask: Was?\n---\nEs dauert {{processing_delay}}.\n\n## Schritte\n\n1. Eins\n2. Zwei **fett**\n";
        let article = parse(Lang::De, "x", text, &values()).unwrap();
        assert_eq!(article.title, "Titel");
        assert_eq!(article.audience, Audience::Customer);
        assert_eq!(article.related, ["a", "b"]);
        assert_eq!(article.asks, ["Wie?", "Was?"]);
        assert_eq!(article.headings, ["Schritte"]);
        assert_eq!(
            article.passages,
            ["Es dauert 60 Minuten.", "Eins", "Zwei fett"]
        );
        assert!(
            article.html.contains("<h2>Schritte</h2>"),
            "{}",
            article.html
        );
        assert!(article.html.contains("<ol>"));
    }

    #[test]
    fn a_closing_list_of_related_articles_joins_the_related_ones() {
        let text = "title: T\nsummary: S\nrelated: a\n---\nText.\n\n## Verwandte Artikel\n\n- [B](/help/b)\n- [A](/help/a)\n";
        let article = parse(Lang::De, "x", text, &values()).unwrap();
        assert_eq!(article.related, ["a", "b"]);
        assert!(!article.html.contains("Verwandte"), "{}", article.html);
        // A related section followed by another stays where it is.
        let text = "title: T\nsummary: S\n---\nText.\n\n## Related articles\n\n- [B](/help/b)\n\n## More\n\nx\n";
        let article = parse(Lang::En, "x", text, &values()).unwrap();
        assert!(article.related.is_empty());
        assert!(article.html.contains("Related articles"));
    }

    #[test]
    fn a_list_inside_an_item_is_never_run_together() {
        let text = "title: T\nsummary: S\n---\n- Je nach Antwort:\n  - **Angenommen:** weiter.\n  - Abgelehnt: Ende.\n";
        let nested = parse(Lang::De, "x", text, &values()).unwrap();
        assert_eq!(
            nested.passages,
            [
                "Je nach Antwort:",
                "Angenommen: weiter.",
                "Abgelehnt: Ende."
            ]
        );
    }

    #[test]
    fn broken_files_are_named() {
        let no_split = parse(Lang::En, "x", "title: T\nsummary: S\n", &values()).unwrap_err();
        assert_eq!(no_split.file, "en/x.md");
        let unknown = parse(
            Lang::De,
            "x",
            "title: T\nsummary: S\n---\n{{nope}}",
            &values(),
        )
        .unwrap_err();
        assert!(unknown.problem.contains("nope"), "{unknown}");
        let no_title = parse(Lang::De, "x", "summary: S\n---\nbody", &values()).unwrap_err();
        assert_eq!(no_title.problem, "no title");
        let bad_key = parse(
            Lang::De,
            "x",
            "title: T\nsummary: S\nfoo: bar\n---\nbody",
            &values(),
        )
        .unwrap_err();
        assert!(bad_key.problem.contains("foo"));
        let audience = parse(
            Lang::De,
            "x",
            "title: T\nsummary: S\naudience: kids\n---\nb",
            &values(),
        )
        .unwrap_err();
        assert!(audience.problem.contains("kids"));
    }
}
