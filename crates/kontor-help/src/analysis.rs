//! How text becomes search terms, the same way for the articles and for a
//! question, so that "Fachhändleränderung", "fachhaendler aendern" and
//! "Reseller wechseln" meet on the same terms:
//!
//! 1. words: split at anything not a letter or digit, lower-cased, umlauts
//!    written out (ä → ae, ß → ss; the spelling on keyboards without them),
//!    other accents dropped, numbers dropped (agreement numbers are read
//!    elsewhere); a few two-word phrases read as one ("log in", "nur
//!    einen"), and filler after another word dropped ("how many");
//! 2. questions only: German separable verbs joined again ("stellen wir
//!    das um" → "umstellen") when the help knows the joined word;
//! 3. function and filler words dropped ("wie", "kann", "the", "button");
//! 4. questions only: a word of a subject the help is not about
//!    ([`lexicon::foreign`]) is marked; a word whose terms the help never
//!    uses is corrected to the nearest one it does use (a letter too many,
//!    too few or two swapped; see [`Analyzer::correct`]);
//! 5. German compounds stand for their parts ("partnerwechsel" →
//!    "partner", "wechsel"), found in the articles' own vocabulary, with
//!    linking "s"/"es"/"n"/"en";
//! 6. Snowball stemming (tantivy's stemmer);
//! 7. domain synonyms meet on one stem (Reseller / Fachhändler / Händler →
//!    partner; Abo / Subscription → Abonnement; …), including the English
//!    words Germans mix in.
//!
//! A question's word is known when one of its terms occurs in the articles,
//! whatever its inflection.

use std::collections::{HashMap, HashSet};

use tantivy::tokenizer::{Language, Stemmer, TextAnalyzer, WhitespaceTokenizer};

use crate::Lang;
use crate::lexicon;

/// Shortest word kept as a compound part, unless it is a synonym ("abo").
const MIN_PART: usize = 4;
/// Shortest word tried as a compound.
const MIN_COMPOUND: usize = 7;

/// A question's term: its stem and whether the help uses it at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryTerm {
    /// The analysed term (stem, synonyms merged).
    pub stem: String,
    /// The help's articles hold the term (after any correction).
    pub known: bool,
    /// The word belongs to a subject the help is clearly not about
    /// (installing software, prices, the weather; see
    /// [`lexicon::foreign`]).
    pub foreign: bool,
}

/// The analysis of one language, with the vocabulary of its articles.
#[derive(Clone)]
pub(crate) struct Analyzer {
    lang: Lang,
    stopwords: HashSet<String>,
    /// Stem of any synonym → the group's stem.
    synonyms: HashMap<String, String>,
    /// Surface words that may be compound parts though shorter than
    /// [`MIN_PART`].
    short_parts: HashSet<String>,
    /// Folded surface words of the articles (and the synonyms) → how often
    /// they occur; compound parts and typo corrections come from here.
    dictionary: HashMap<String, u32>,
    /// Every term the articles are indexed under: a question's word is
    /// known when one of its terms is among them, whatever its inflection.
    stems: HashSet<String>,
    /// Folded words of subjects the help is not about.
    foreign: HashSet<String>,
    /// Terms of [`lexicon::anchors`].
    anchors: HashSet<String>,
    stemmer: TextAnalyzer,
}

impl Analyzer {
    /// An analyzer whose vocabulary is `corpus`.
    pub(crate) fn new<'a>(lang: Lang, corpus: impl IntoIterator<Item = &'a str>) -> Analyzer {
        let stemmer = TextAnalyzer::builder(WhitespaceTokenizer::default())
            .filter(Stemmer::new(match lang {
                Lang::De => Language::German,
                Lang::En => Language::English,
            }))
            .build();
        let mut analyzer = Analyzer {
            lang,
            stopwords: lexicon::stopwords(lang)
                .iter()
                .map(|word| fold(word))
                .collect(),
            synonyms: HashMap::new(),
            short_parts: HashSet::new(),
            dictionary: HashMap::new(),
            stems: HashSet::new(),
            foreign: lexicon::foreign().iter().map(|word| fold(word)).collect(),
            anchors: HashSet::new(),
            stemmer,
        };
        for group in lexicon::synonyms(lang) {
            let canonical = analyzer.stem(&fold(group[0]));
            for word in *group {
                let folded = fold(word);
                analyzer
                    .synonyms
                    .insert(analyzer.stem(&folded), canonical.clone());
                if folded.len() < MIN_PART {
                    analyzer.short_parts.insert(folded.clone());
                }
                analyzer.dictionary.entry(folded).or_insert(0);
            }
        }
        let corpus: Vec<&str> = corpus.into_iter().collect();
        for text in &corpus {
            for word in words(text) {
                if !analyzer.stopwords.contains(&word) {
                    *analyzer.dictionary.entry(word).or_insert(0) += 1;
                }
            }
        }
        let stems: HashSet<String> = corpus
            .iter()
            .flat_map(|text| analyzer.index_terms(text))
            .collect();
        analyzer.stems = stems;
        analyzer.anchors = lexicon::anchors(lang)
            .iter()
            .map(|word| analyzer.term(&fold(word)))
            .collect();
        analyzer
    }

    /// Whether a term is one of kontor's subject ([`lexicon::anchors`]).
    pub(crate) fn is_anchor(&self, term: &str) -> bool {
        self.anchors.contains(term)
    }

    /// Whether a folded word belongs to this language's help or function
    /// words (language detection).
    pub(crate) fn knows(&self, word: &str) -> bool {
        self.stopwords.contains(word) || self.dictionary.contains_key(word)
    }

    /// The terms an article's text is indexed under.
    pub(crate) fn index_terms(&self, text: &str) -> Vec<String> {
        let mut terms = Vec::new();
        for word in phrases(words(text).collect()) {
            if self.stopwords.contains(&word) {
                continue;
            }
            self.push_terms(&word, &mut terms);
        }
        terms
    }

    /// The terms of a question, each once, in order.
    pub(crate) fn query_terms(&self, question: &str) -> Vec<QueryTerm> {
        let mut terms: Vec<QueryTerm> = Vec::new();
        let mut push = |stem: String, known: bool, foreign: bool| {
            if !terms.iter().any(|term| term.stem == stem) {
                terms.push(QueryTerm {
                    stem,
                    known,
                    foreign,
                });
            }
        };
        for word in self.question_words(question) {
            if self.stopwords.contains(&word) {
                continue;
            }
            if self.is_foreign(&word) {
                push(self.stem(&word), false, true);
                continue;
            }
            let mut stems = self.known_terms(&word);
            if stems.is_empty()
                && !self.dictionary.contains_key(&word)
                && let Some(corrected) = self.correct(&word)
            {
                stems = self.known_terms(&corrected);
            }
            // A scrap the help does not know ("a", "s", "des" in dialect,
            // "no." cut from a number) says nothing about the subject.
            if stems.is_empty() && word.chars().count() >= 3 {
                push(self.term(&word), false, false);
            }
            for stem in stems {
                push(stem, true, false);
            }
        }
        terms
    }

    /// The folded words of a question, with German separable verbs joined
    /// again: "Wie stellen wir das um?" also yields "umstellen", "Wie
    /// nehme ich den Wechsel an?" "annehme" — when the joined word is one
    /// the help knows.
    fn question_words(&self, question: &str) -> Vec<String> {
        let mut out = Vec::new();
        for clause in question.split(|c: char| {
            matches!(
                c,
                '.' | ',' | ';' | ':' | '!' | '?' | '–' | '(' | ')' | '"' | '„' | '“'
            )
        }) {
            let mut clause: Vec<String> = phrases(words(clause).collect());
            let separable = self.lang == Lang::De
                && clause.len() >= 2
                && lexicon::SEPARABLE_PARTICLES.contains(&clause[clause.len() - 1].as_str());
            if separable {
                let particle = clause[clause.len() - 1].clone();
                for word in clause.iter_mut() {
                    if self.stopwords.contains(word.as_str()) || word.len() < 3 || *word == particle
                    {
                        continue;
                    }
                    let joined = format!("{particle}{word}");
                    if self.dictionary.contains_key(&joined)
                        || self.stems.contains(&self.term(&joined))
                    {
                        *word = joined;
                    }
                }
            }
            out.extend(clause);
        }
        out
    }

    /// Whether a word names a subject the help is not about:
    /// the word itself, or (German compounds) its first part
    /// ("Handyvertrag", "Stromanbieter").
    fn is_foreign(&self, word: &str) -> bool {
        self.foreign.contains(word)
            || (self.lang == Lang::De
                && self.foreign.iter().any(|foreign| {
                    foreign.len() >= 4
                        && word.len() > foreign.len() + 3
                        && word.starts_with(foreign.as_str())
                }))
    }

    /// The word's terms that the articles use: the word's own term, or its
    /// compound parts' when the whole is not used.
    fn known_terms(&self, word: &str) -> Vec<String> {
        let mut all = Vec::new();
        self.push_terms(word, &mut all);
        all.into_iter()
            .filter(|stem| self.stems.contains(stem))
            .collect()
    }

    /// The stems of one folded word: the word, or its compound parts — a
    /// compound means what its parts mean ("Resellerwechsel" is "Reseller"
    /// and "Wechsel"), unless it is a synonym itself ("Kontonummer").
    fn push_terms(&self, word: &str, out: &mut Vec<String>) {
        let stem = self.stem(word);
        match self.split(word) {
            Some(parts) if !self.synonyms.contains_key(&stem) => {
                out.extend(parts.iter().map(|part| self.term(part)));
            }
            Some(parts) => {
                out.push(self.term(word));
                out.extend(parts.iter().map(|part| self.term(part)));
            }
            None => out.push(self.term(word)),
        }
    }

    pub(crate) fn term(&self, word: &str) -> String {
        let stem = self.stem(word);
        self.synonyms.get(&stem).cloned().unwrap_or(stem)
    }

    fn stem(&self, word: &str) -> String {
        let mut stemmer = self.stemmer.clone();
        let mut stream = stemmer.token_stream(word);
        stream
            .next()
            .map(|token| token.text.clone())
            .unwrap_or_else(|| word.to_owned())
    }

    fn is_part(&self, word: &str) -> bool {
        (word.len() >= MIN_PART || self.short_parts.contains(word))
            && !self.stopwords.contains(word)
            && self.dictionary.contains_key(word)
    }

    /// A German compound's parts (two or three words of the vocabulary,
    /// joined directly or by a linking s/es/n/en), preferring the fewest
    /// parts and then the longest last part (the compound's head).
    fn split(&self, word: &str) -> Option<Vec<String>> {
        if word.len() < MIN_COMPOUND || !word.is_ascii() {
            return None;
        }
        // English writes its compounds apart; two words run together
        // ("tokenflex", "signin") are still two.
        self.split_into(word, if self.lang == Lang::De { 3 } else { 2 })
    }

    fn split_into(&self, word: &str, max_parts: usize) -> Option<Vec<String>> {
        if max_parts == 0 {
            return None;
        }
        let mut best: Option<Vec<String>> = None;
        for cut in (3..word.len().saturating_sub(2)).rev() {
            let (head, tail) = word.split_at(cut);
            if !self.is_part(head) {
                continue;
            }
            for link in ["", "s", "es", "n", "en"] {
                let Some(rest) = tail.strip_prefix(link) else {
                    continue;
                };
                let candidate = if self.is_part(rest) {
                    Some(vec![head.to_owned(), rest.to_owned()])
                } else if max_parts > 2 {
                    self.split_into(rest, max_parts - 1).map(|mut parts| {
                        parts.insert(0, head.to_owned());
                        parts
                    })
                } else {
                    None
                };
                let Some(candidate) = candidate else { continue };
                let better = match &best {
                    None => true,
                    Some(best) => {
                        candidate.len() < best.len()
                            || (candidate.len() == best.len()
                                && candidate.last().map(String::len) > best.last().map(String::len))
                    }
                };
                if better {
                    best = Some(candidate);
                }
            }
        }
        best
    }

    /// The vocabulary word nearest to a word the help never uses; ties go
    /// to the more frequent word. Typing slips are a letter too many, too
    /// few or two swapped; a replaced letter mostly makes another real word
    /// ("Wetter" is not "weiter"), so one is accepted only in words of
    /// [`SUBSTITUTION_FROM`] letters or more, and a second slip only from
    /// [`TWO_SLIPS_FROM`]. Words shorter than four letters are left alone
    /// ("api" is not "app"), and the first letter must match (or be one of
    /// the two swapped).
    fn correct(&self, word: &str) -> Option<String> {
        let len = word.chars().count();
        if len < 4 {
            return None;
        }
        let max = if len >= TWO_SLIPS_FROM { 2 } else { 1 };
        let first: Vec<char> = word.chars().take(2).collect();
        let mut best: Option<(usize, u32, &str)> = None;
        for (candidate, frequency) in &self.dictionary {
            let candidate_len = candidate.chars().count();
            if candidate_len.abs_diff(len) > max
                || candidate_len < 4
                || self.stopwords.contains(candidate)
            {
                continue;
            }
            let mut head = candidate.chars();
            let c0 = head.next();
            if c0 != Some(first[0])
                && !(c0 == first.get(1).copied() && head.next() == Some(first[0]))
            {
                continue;
            }
            let distance = strsim::osa_distance(word, candidate);
            if distance > max {
                continue;
            }
            // Replaced letters: an edit that keeps the length and is not a swap.
            let substitutions = if candidate_len == len {
                let mut a: Vec<char> = word.chars().collect();
                let mut b: Vec<char> = candidate.chars().collect();
                a.sort_unstable();
                b.sort_unstable();
                usize::from(a != b)
            } else {
                distance.saturating_sub(candidate_len.abs_diff(len))
            };
            if substitutions > 0 && len < SUBSTITUTION_FROM {
                continue;
            }
            let better = match best {
                None => true,
                Some((best_distance, best_frequency, best_word)) => {
                    (distance, std::cmp::Reverse(*frequency), candidate.as_str())
                        < (best_distance, std::cmp::Reverse(best_frequency), best_word)
                }
            };
            if better {
                best = Some((distance, *frequency, candidate));
            }
        }
        best.map(|(_, _, word)| word.to_owned())
    }
}

/// Words at least this long may have a replaced letter corrected.
const SUBSTITUTION_FROM: usize = 8;
/// Words at least this long may have two slips corrected.
const TWO_SLIPS_FROM: usize = 10;

/// Two-word phrases read as one ("log in" → "login") and words that are
/// filler after another ("how many", "wie viele").
fn phrases(words: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        if let Some(next) = words.get(i + 1) {
            if let Some((_, _, joined)) = lexicon::PHRASES
                .iter()
                .find(|(first, second, _)| *first == words[i] && *second == next)
            {
                out.push((*joined).to_owned());
                i += 2;
                continue;
            }
            if lexicon::FILLER_AFTER
                .iter()
                .any(|(first, second)| *first == words[i] && *second == next)
            {
                out.push(words[i].clone());
                i += 2;
                continue;
            }
        }
        out.push(words[i].clone());
        i += 1;
    }
    out
}

/// The folded words of a text (step 1).
pub(crate) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.chars().any(char::is_alphabetic))
        .map(fold)
}

/// Lower-case, umlauts written out, other accents dropped.
pub(crate) fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            'à' | 'á' | 'â' | 'ã' | 'å' => out.push('a'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ò' | 'ó' | 'ô' | 'õ' => out.push('o'),
            'ù' | 'ú' | 'û' => out.push('u'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn german() -> Analyzer {
        Analyzer::new(
            Lang::De,
            [
                "Den Partner ändern: der Wechsel dauert. Die Änderung des Vertrags und die Vertragsnummer. Bearbeitung und Zeit.",
            ],
        )
    }

    fn stems(terms: Vec<QueryTerm>) -> Vec<String> {
        terms.into_iter().map(|term| term.stem).collect()
    }

    #[test]
    fn folding_writes_umlauts_out_and_drops_numbers() {
        let words: Vec<_> =
            words("Fachhändler-Änderung für 1100 2233 4455, Straße, Café").collect();
        assert_eq!(
            words,
            ["fachhaendler", "aenderung", "fuer", "strasse", "cafe"]
        );
    }

    #[test]
    fn synonyms_meet_on_one_term() {
        let de = german();
        let partner = stems(de.query_terms("Partner"));
        for word in [
            "Reseller",
            "Fachhändler",
            "Händler",
            "fachhaendler",
            "Vertriebspartner",
            "Händlern",
        ] {
            assert_eq!(stems(de.query_terms(word)), partner, "{word}");
        }
        assert_eq!(
            stems(de.query_terms("Abo")),
            stems(de.query_terms("Subscription"))
        );
        assert_eq!(
            stems(de.query_terms("Abonnement")),
            stems(de.query_terms("Abos"))
        );
        assert_eq!(
            stems(de.query_terms("Vertrag")),
            stems(de.query_terms("Contract"))
        );
    }

    #[test]
    fn compounds_yield_their_parts() {
        let de = german();
        let terms = stems(de.query_terms("Fachhändleränderung"));
        assert!(terms.contains(&de.term("partner")), "{terms:?}");
        assert!(terms.contains(&de.term("aenderung")), "{terms:?}");
        let terms = stems(de.query_terms("Partnerwechsel"));
        assert!(
            terms.contains(&de.term("partner")) && terms.contains(&de.term("wechsel")),
            "{terms:?}"
        );
        let terms = stems(de.query_terms("Bearbeitungszeit"));
        assert!(
            terms.contains(&de.term("bearbeitung")) && terms.contains(&de.term("zeit")),
            "{terms:?}"
        );
        // Not a compound of known words: kept whole, unknown.
        assert_eq!(
            de.query_terms("Sonnenfinsternis"),
            [QueryTerm {
                stem: de.stem("sonnenfinsternis"),
                known: false,
                foreign: false
            }]
        );
    }

    #[test]
    fn typos_are_corrected_to_the_help_vocabulary() {
        let de = german();
        assert_eq!(
            stems(de.query_terms("Partnr")),
            stems(de.query_terms("Partner"))
        );
        assert_eq!(
            stems(de.query_terms("Vertargsnummer")),
            stems(de.query_terms("Vertragsnummer"))
        );
        let en = Analyzer::new(Lang::En, ["Change the partner of a subscription"]);
        assert_eq!(
            stems(en.query_terms("subscirption")),
            stems(en.query_terms("subscription"))
        );
        // Short words are not "corrected" into others.
        assert!(!en.query_terms("cat")[0].known);
    }

    #[test]
    fn real_words_are_not_corrected_into_others() {
        let de = Analyzer::new(Lang::De, ["weiter verlassen vergessen Partner"]);
        // A replaced letter in a short word makes another word, not a typo.
        assert!(!de.query_terms("Wetter")[0].known);
        let en = Analyzer::new(Lang::En, ["partner history"]);
        assert!(!en.query_terms("party")[0].known);
        // Swapped, missing and doubled letters are typos.
        assert_eq!(
            stems(en.query_terms("histroy")),
            stems(en.query_terms("history"))
        );
        assert_eq!(
            stems(en.query_terms("parrtner")),
            stems(en.query_terms("partner"))
        );
    }

    #[test]
    fn compounds_stand_for_their_parts() {
        let de = Analyzer::new(Lang::De, ["Der Resellerwechsel: Partner und Wechsel."]);
        // The whole compound is not a term of its own: the question meets
        // every article that speaks of partners and changes.
        assert_eq!(
            stems(de.query_terms("Resellerwechsel")),
            stems(de.query_terms("Partner wechseln"))
        );
    }

    #[test]
    fn separable_verbs_are_joined_again() {
        let de = Analyzer::new(Lang::De, ["Wechsel annehmen. Den Partner umstellen."]);
        let sorted = |question: &str| {
            let mut terms = stems(de.query_terms(question));
            terms.sort();
            terms
        };
        assert_eq!(
            sorted("Wie nehme ich den Wechsel an?"),
            sorted("Wechsel annehmen")
        );
        assert_eq!(
            sorted("Wie stellen wir den Partner um?"),
            sorted("Partner umstellen")
        );
        // Only at the end of a clause, and only into words the help knows.
        assert!(
            !stems(de.query_terms("Ich nehme an der Umstellung teil"))
                .contains(&de.term("annehmen"))
        );
    }

    #[test]
    fn phrases_read_as_one() {
        let en = Analyzer::new(
            Lang::En,
            ["How do I log in? The audit log shows every change."],
        );
        let log_in = stems(en.query_terms("log in"));
        assert_ne!(
            log_in,
            stems(en.query_terms("log")),
            "logging in is not the audit log"
        );
        assert_eq!(log_in, stems(en.query_terms("login")));
        // "how many" asks for a number, not about many agreements.
        assert_eq!(
            stems(en.query_terms("how many days")),
            stems(en.query_terms("days"))
        );
    }

    #[test]
    fn words_of_other_subjects_are_marked() {
        let de = german();
        assert!(
            de.query_terms("AutoCAD installieren")
                .iter()
                .all(|term| term.foreign)
        );
        // German compounds by their first part.
        assert!(
            de.query_terms("Handyvertrag")
                .iter()
                .any(|term| term.foreign)
        );
        assert!(
            de.query_terms("Partner ändern")
                .iter()
                .all(|term| !term.foreign)
        );
    }

    #[test]
    fn english_words_run_together_are_split_too() {
        let en = Analyzer::new(Lang::En, ["Token Flex agreements cannot change partner"]);
        let terms = stems(en.query_terms("tokenflex"));
        assert!(
            terms.contains(&en.term("token")) && terms.contains(&en.term("flex")),
            "{terms:?}"
        );
    }

    #[test]
    fn function_words_are_dropped() {
        let de = german();
        assert!(de.query_terms("Wie kann ich das machen?").is_empty());
        let en = Analyzer::new(Lang::En, ["partner"]);
        assert!(en.query_terms("How can I do this?").is_empty());
    }
}
