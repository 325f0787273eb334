//! The full-text index of one language's articles (tantivy, in memory,
//! BM25 over title, question variants, headings and body with field
//! weights), how closely one of an article's own questions (title, `ask:`
//! lines) matches, and how much of a question an article actually covers.

use std::collections::{HashMap, HashSet};

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{PreTokenizedString, Token};
use tantivy::{Index, Searcher, TantivyDocument, Term};

use crate::analysis::{Analyzer, QueryTerm};
use crate::article::Article;

/// How much a term found in each field counts: the title and the written
/// question variants say what an article is about, the body also mentions
/// everything nearby.
const WEIGHTS: [(Part, f32); 4] = [
    (Part::Title, 3.0),
    (Part::Asks, 2.0),
    (Part::Headings, 1.2),
    (Part::Body, 1.0),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Part {
    Title,
    Asks,
    Headings,
    Body,
}

/// One article that matched, by its position in the language's list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Match {
    /// Index into the article list the index was built from.
    pub article: usize,
    /// The ranking score: BM25 (relative to the best) plus how closely one
    /// of the article's own questions (title, `ask:` lines) matches.
    pub score: f32,
    /// The share of the question's weight (idf) this article covers, 0–1.
    pub coverage: f32,
}

/// A language's index.
pub(crate) struct LangIndex {
    pub(crate) analyzer: Analyzer,
    searcher: Searcher,
    fields: HashMap<Part, Field>,
    /// Every term of each article (coverage).
    terms: Vec<HashSet<String>>,
    /// The terms of each article's title and of each of its question
    /// variants.
    questions: Vec<Vec<HashSet<String>>>,
    /// In how many articles each term occurs.
    document_frequency: HashMap<String, usize>,
}

impl LangIndex {
    /// Indexes `articles` (all of one language).
    pub(crate) fn build(articles: &[Article]) -> tantivy::Result<LangIndex> {
        let lang = articles
            .first()
            .map_or(crate::Lang::En, |article| article.lang);
        let corpus = articles
            .iter()
            .flat_map(article_texts)
            .map(|(_, text)| text);
        let analyzer = Analyzer::new(lang, corpus);
        let mut schema = Schema::builder();
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_index_option(IndexRecordOption::WithFreqs),
        );
        let fields: HashMap<Part, Field> = WEIGHTS
            .iter()
            .map(|(part, _)| {
                (
                    *part,
                    schema.add_text_field(&format!("{part:?}").to_lowercase(), options.clone()),
                )
            })
            .collect();
        let mut writer = Index::builder()
            .schema(schema.build())
            .single_segment_index_writer(tantivy::directory::RamDirectory::create(), 15_000_000)?;
        let mut terms = Vec::with_capacity(articles.len());
        let mut questions = Vec::with_capacity(articles.len());
        for article in articles {
            let mut document = TantivyDocument::default();
            let mut all = HashSet::new();
            for (part, text) in article_texts(article) {
                let tokens = analyzer.index_terms(text);
                all.extend(tokens.iter().cloned());
                document.add_pre_tokenized_text(fields[&part], pre_tokenized(text, tokens));
            }
            writer.add_document(document)?;
            terms.push(all);
            questions.push(
                std::iter::once(&article.title)
                    .chain(&article.asks)
                    .map(|text| analyzer.index_terms(text).into_iter().collect())
                    .collect(),
            );
        }
        let mut document_frequency = HashMap::new();
        for all in &terms {
            for term in all {
                *document_frequency.entry(term.clone()).or_insert(0) += 1;
            }
        }
        let index = writer.finalize()?;
        let searcher = index.reader()?.searcher();
        // One segment, documents in insertion order: a document's id is its
        // article's position (checked by a test).
        debug_assert_eq!(
            searcher.segment_readers().len(),
            usize::from(!articles.is_empty())
        );
        Ok(LangIndex {
            analyzer,
            searcher,
            fields,
            terms,
            questions,
            document_frequency,
        })
    }

    /// The best `limit` articles for a question's terms, best first.
    pub(crate) fn search(&self, terms: &[QueryTerm], limit: usize) -> Vec<Match> {
        let known: Vec<&QueryTerm> = terms.iter().filter(|term| term.known).collect();
        if known.is_empty() {
            return Vec::new();
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in &known {
            for (part, weight) in WEIGHTS {
                let query = TermQuery::new(
                    Term::from_field_text(self.fields[&part], &term.stem),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(query), weight)),
                ));
            }
        }
        let query = BooleanQuery::new(clauses);
        let Ok(top) = self.searcher.search(
            &query,
            &TopDocs::with_limit(self.terms.len().max(1)).order_by_score(),
        ) else {
            return Vec::new();
        };
        let best_bm25 = top
            .iter()
            .map(|(score, _)| *score)
            .fold(f32::EPSILON, f32::max);
        let idf: Vec<f32> = terms.iter().map(|term| self.idf(term)).collect();
        let known_total: f32 = terms
            .iter()
            .zip(&idf)
            .filter(|(term, _)| term.known)
            .map(|(_, idf)| idf)
            .sum();
        let unknown = terms.iter().filter(|term| !term.known).count() as f32;
        let total = known_total + unknown * UNKNOWN_WEIGHT;
        let mut matches: Vec<Match> = top
            .into_iter()
            .map(|(bm25, address)| {
                let article = address.doc_id as usize;
                let covered: f32 = terms
                    .iter()
                    .zip(&idf)
                    .filter(|(term, _)| term.known && self.terms[article].contains(&term.stem))
                    .map(|(_, idf)| idf)
                    .sum();
                let similarity = self.questions[article]
                    .iter()
                    .map(|question| {
                        let shared: f32 = terms
                            .iter()
                            .zip(&idf)
                            .filter(|(term, _)| term.known && question.contains(&term.stem))
                            .map(|(_, idf)| idf)
                            .sum();
                        let own: f32 = question.iter().map(|stem| self.stem_idf(stem)).sum();
                        if shared > 0.0 {
                            shared / (known_total * own).sqrt()
                        } else {
                            0.0
                        }
                    })
                    .fold(0.0, f32::max);
                let coverage = if total > 0.0 { covered / total } else { 0.0 };
                let score =
                    bm25 / best_bm25 + SIMILARITY_WEIGHT * similarity + COVERAGE_WEIGHT * coverage;
                Match {
                    article,
                    score,
                    coverage,
                }
            })
            .collect();
        matches.sort_by(|a, b| b.score.total_cmp(&a.score));
        matches.truncate(limit);
        matches
    }

    /// The terms of a text as the index analyses them.
    pub(crate) fn terms_of(&self, text: &str) -> HashSet<String> {
        self.analyzer.index_terms(text).into_iter().collect()
    }

    /// Inverse document frequency of a question's term (a word the help
    /// never uses has none; see [`UNKNOWN_WEIGHT`]).
    pub(crate) fn idf(&self, term: &QueryTerm) -> f32 {
        if term.known {
            self.stem_idf(&term.stem)
        } else {
            0.0
        }
    }

    fn stem_idf(&self, stem: &str) -> f32 {
        let n = self.terms.len() as f32;
        let df = self
            .document_frequency
            .get(stem)
            .copied()
            .unwrap_or(0)
            .max(1) as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }
}

/// How much a word the help never uses weighs against the question's
/// coverage, as an idf: about an average term's — a word the help does
/// not know is a sign the question is about something else, but a weak
/// one, since people ask with words of their own ("pleite", "yesterday",
/// "seriously"). Questions about something else entirely are caught by
/// having none of kontor's own words ([`crate::lexicon::anchors`]), so this
/// weight only has to keep chatty questions answerable. (It weighed as the
/// rarest term at first, which handed a quarter of the answerable
/// questions to a person; 1.5 before the anchors came.)
pub(crate) const UNKNOWN_WEIGHT: f32 = 1.0;
/// How much the best match with one of an article's own questions (title or
/// `ask:` line, idf-weighted cosine) adds to its score, where BM25 counts 1
/// for the best article: the question variants say most directly what an
/// article answers.
const SIMILARITY_WEIGHT: f32 = 0.7;
/// How much the covered share of the question adds to the score: an
/// article that speaks to every part of a question beats one that repeats
/// one of its words.
const COVERAGE_WEIGHT: f32 = 1.0;

fn article_texts(article: &Article) -> impl Iterator<Item = (Part, &str)> {
    std::iter::once((Part::Title, article.title.as_str()))
        .chain(article.asks.iter().map(|ask| (Part::Asks, ask.as_str())))
        .chain(
            article
                .headings
                .iter()
                .map(|heading| (Part::Headings, heading.as_str())),
        )
        .chain(std::iter::once((Part::Body, article.summary.as_str())))
        .chain(
            article
                .passages
                .iter()
                .map(|passage| (Part::Body, passage.as_str())),
        )
}

fn pre_tokenized(text: &str, terms: Vec<String>) -> PreTokenizedString {
    let tokens = terms
        .into_iter()
        .enumerate()
        .map(|(position, term)| Token {
            offset_from: 0,
            offset_to: 0,
            position,
            text: term,
            position_length: 1,
        })
        .collect();
    PreTokenizedString {
        text: text.to_owned(),
        tokens,
    }
}
