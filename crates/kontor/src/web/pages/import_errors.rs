//! The import page's list of errors (#19): each where the person's file
//! has it — "Zeile 7, Spalte csn" in a CSV file, "Datensatz 4 in partners,
//! Feld csn" in a JSON document — and what is wrong, in their language.

use kontor_core::service::import::{ImportError, Place};

use crate::i18n::Tr;

/// One row of the list.
pub struct ErrorRow {
    /// Where, in words: "Zeile 7", "Datensatz 4 in partners".
    pub at: String,
    /// The field there, if the error is about one.
    pub field: Option<FieldAt>,
    /// What is wrong; the file format's codes (`term_start`,
    /// `primary_admin`) apart, to be shown as code.
    pub message: Vec<Span>,
}

/// A field named in a row: "Spalte `products`, Eintrag 2".
pub struct FieldAt {
    /// "Spalte", "Feld".
    pub label: String,
    /// The column or field path, as the file spells it.
    pub name: String,
    /// ", Eintrag 2" for an entry of a list cell; empty otherwise.
    pub entry: String,
}

/// A piece of a message: words, or a code of the file format.
pub struct Span {
    /// The text.
    pub text: String,
    /// Whether it is a code (shown as `<code>`).
    pub code: bool,
}

impl ErrorRow {
    /// The row for `e` in `tr`'s language.
    pub fn new(tr: Tr, e: &ImportError) -> ErrorRow {
        let field = e.field();
        let (at, field) = match e.place {
            Place::Line(line) => (
                tr.t1("bo-import-at-line", "line", &line.to_string()),
                csv_column(tr, field),
            ),
            Place::Record => (
                tr.tw(
                    "bo-import-at-record",
                    &[
                        ("n", (e.index + 1).to_string()),
                        ("collection", e.collection.as_str().to_owned()),
                    ],
                ),
                named(tr, "bo-import-field", field),
            ),
            Place::Position { line, column } => (
                tr.tw(
                    "bo-import-at-position",
                    &[("line", line.to_string()), ("column", column.to_string())],
                ),
                None,
            ),
            Place::Key => (tr.t("bo-import-at-file"), named(tr, "bo-import-key", field)),
        };
        ErrorRow {
            at,
            field,
            message: spans(&tr.field_message(&e.error)),
        }
    }
}

/// `path` under the label `key`, unless it is empty.
fn named(tr: Tr, key: &str, path: &str) -> Option<FieldAt> {
    (!path.is_empty()).then(|| FieldAt {
        label: tr.t(key),
        name: path.to_owned(),
        entry: String::new(),
    })
}

/// A CSV record's field path as the file has it: a column, and for the
/// cells that hold lists (`products[1].seats`, `partners[0]`) the entry,
/// counted from 1.
fn csv_column(tr: Tr, path: &str) -> Option<FieldAt> {
    let (column, entry) = column_and_entry(path)?;
    Some(FieldAt {
        label: tr.t("bo-import-column"),
        name: column.to_owned(),
        entry: entry
            .map(|n| tr.t1("bo-import-entry", "n", &n.to_string()))
            .unwrap_or_default(),
    })
}

/// `products[1].seats` → (`products`, Some(2)); `csn` → (`csn`, None).
fn column_and_entry(path: &str) -> Option<(&str, Option<usize>)> {
    if path.is_empty() {
        return None;
    }
    let Some((column, rest)) = path.split_once('[') else {
        return Some((path, None));
    };
    let entry = rest
        .split_once(']')
        .and_then(|(i, _)| i.parse::<usize>().ok())
        .map(|i| i + 1);
    Some((column, entry))
}

/// `text` cut into words and the codes of the file format: snake_case
/// names (`term_start`, `eba_token_flex`), which people type as they are.
fn spans(text: &str) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut push = |text: &str, code: bool| match out.last_mut() {
        Some(last) if last.code == code && !code => last.text.push_str(text),
        _ => out.push(Span {
            text: text.to_owned(),
            code,
        }),
    };
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphanumeric()) {
        let word_len = rest[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len() - start);
        let word = &rest[start..start + word_len];
        let is_code = word.contains('_')
            && !word.ends_with('_')
            && word
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        push(&rest[..start], false);
        push(word, is_code);
        rest = &rest[start + word_len..];
    }
    push(rest, false);
    out.retain(|s| !s.text.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_path_names_the_column_and_the_entry_of_a_list_cell() {
        assert_eq!(column_and_entry("csn"), Some(("csn", None)));
        assert_eq!(
            column_and_entry("products[1].seats"),
            Some(("products", Some(2)))
        );
        assert_eq!(column_and_entry("partners[0]"), Some(("partners", Some(1))));
        assert_eq!(column_and_entry(""), None);
    }

    #[test]
    fn the_file_formats_codes_stand_apart_from_the_words() {
        let shown = |text: &str| -> Vec<(String, bool)> {
            spans(text).into_iter().map(|s| (s.text, s.code)).collect()
        };
        assert_eq!(
            shown("must not be before term_start"),
            [
                ("must not be before ".to_owned(), false),
                ("term_start".to_owned(), true)
            ]
        );
        assert_eq!(
            shown("one of: primary_admin, user."),
            [
                ("one of: ".to_owned(), false),
                ("primary_admin".to_owned(), true),
                (", user.".to_owned(), false)
            ]
        );
        // Words, e-mail addresses and dates stay text.
        assert_eq!(
            shown("zum Beispiel anna@example.com, JJJJ-MM-TT"),
            [(
                "zum Beispiel anna@example.com, JJJJ-MM-TT".to_owned(),
                false
            )]
        );
    }
}
