//! JSON import: reads a document record by record (never the whole file
//! into memory), handing each record to a sink as it goes.

use std::fmt;
use std::io::Read;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::import::{Collection, DocumentItem, ImportError, Place};
use crate::error::FieldError;

/// Reads an import document from `reader`, handing each record — and each
/// problem with the file itself (syntax, an unknown collection) — to
/// `sink`; stops when `sink` answers false.
pub fn read_json_document(reader: impl Read, mut sink: impl FnMut(DocumentItem) -> bool) {
    let mut de =
        serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, reader));
    let result = serde::Deserializer::deserialize_map(&mut de, FileVisitor(&mut sink))
        .and_then(|()| de.end());
    if let Err(e) = result {
        sink(DocumentItem::Error(broken(&e)));
    }
}

/// The error for a document that is not import JSON: broken syntax, a file
/// that ends early, or the wrong shape (an array where records belong).
/// The API names it `partners[0]`, as it always has; people by its line
/// and column.
fn broken(e: &serde_json::Error) -> ImportError {
    use serde_json::error::Category;
    let problem = match e.classify() {
        Category::Io => "unreadable",
        Category::Syntax => "syntax",
        Category::Data => "shape",
        Category::Eof => "eof",
    };
    let (line, column) = (e.line() as u64, e.column() as u64);
    ImportError {
        collection: Collection::Partners,
        index: 0,
        place: Place::Position { line, column },
        error: FieldError::coded(
            "",
            "import-json-invalid",
            vec![
                ("problem", problem.into()),
                ("line", line.to_string()),
                ("column", column.to_string()),
                ("reason", e.to_string()),
            ],
            format!("the file is not valid import JSON: {e}"),
        ),
    }
}

type Sink<'a> = &'a mut dyn FnMut(DocumentItem) -> bool;

struct FileVisitor<'a>(Sink<'a>);
struct CollectionSeed<'a, 'b>(&'b mut Sink<'a>, Collection);

impl<'de> Visitor<'de> for FileVisitor<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with partners, accounts, users and agreements arrays")
    }
    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let mut seen = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let error = match Collection::parse(&key) {
                Some(c) if !seen.contains(&c) => {
                    seen.push(c);
                    map.next_value_seed(CollectionSeed(&mut self.0, c))?;
                    continue;
                }
                // Records of a second `partners` array would share the
                // first one's indexes, and every error message with them.
                Some(_) => FieldError::coded(
                    key,
                    "import-collection-twice",
                    Vec::new(),
                    "this collection appears twice; give each collection once",
                ),
                None => FieldError::coded(
                    key,
                    "import-unknown-collection",
                    Vec::new(),
                    "unknown collection; expected partners, accounts, users or agreements",
                ),
            };
            map.next_value::<serde::de::IgnoredAny>()?;
            let go_on = (self.0)(DocumentItem::Error(ImportError {
                collection: Collection::Partners,
                index: 0,
                place: Place::Key,
                error,
            }));
            if !go_on {
                return Err(serde::de::Error::custom("import cancelled"));
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for CollectionSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for CollectionSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(v) = seq.next_element::<Value>()? {
            let record = DocumentItem::Record {
                collection: self.1,
                index,
                line: None,
                value: v,
            };
            if !(self.0)(record) {
                return Err(serde::de::Error::custom("import cancelled"));
            }
            index += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<DocumentItem> {
        let mut items = Vec::new();
        read_json_document(text.as_bytes(), |i| {
            items.push(i);
            true
        });
        items
    }

    #[test]
    fn records_come_in_order_with_their_index() {
        let items = read(r#"{"partners": [{"csn": "1"}, {"csn": "2"}], "agreements": [{}]}"#);
        let indexes: Vec<_> = items
            .iter()
            .map(|i| match i {
                DocumentItem::Record {
                    collection, index, ..
                } => (collection.as_str(), *index),
                DocumentItem::Error(e) => panic!("{e:?}"),
            })
            .collect();
        assert_eq!(
            indexes,
            [("partners", 0), ("partners", 1), ("agreements", 0)]
        );
    }

    /// Found by `cargo fuzz run import_json`: a repeated key restarted the
    /// indexes, so two records were both `partners[0]`.
    #[test]
    fn a_collection_given_twice_is_refused() {
        let items = read(r#"{"partners": [{"csn": "1"}], "partners": [{"csn": "2"}]}"#);
        assert_eq!(items.len(), 2);
        let DocumentItem::Error(e) = &items[1] else {
            panic!("{items:?}")
        };
        assert_eq!(e.field(), "partners");
        assert_eq!(e.place, Place::Key);
        assert!(e.message().contains("twice"), "{e:?}");
    }

    #[test]
    fn unknown_collections_and_broken_files_are_errors() {
        let items = read(r#"{"people": []}"#);
        assert!(matches!(&items[0], DocumentItem::Error(e) if e.field() == "people"));
        let items = read(r#"{"partners": [{"csn": "1"}"#);
        assert!(
            matches!(items.last(), Some(DocumentItem::Error(e)) if e.message().contains("not valid import JSON"))
        );
    }
}
