//! JSON import: reads a document record by record (never the whole file
//! into memory), handing each record to a sink as it goes.

use std::fmt;
use std::io::Read;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::import::{Collection, DocumentItem, ImportError};

/// Reads an import document from `reader`, handing each record — and each
/// problem with the file itself (syntax, an unknown collection) — to
/// `sink`; stops when `sink` answers false.
pub fn read_json_document(reader: impl Read, mut sink: impl FnMut(DocumentItem) -> bool) {
    let mut de =
        serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, reader));
    let result = serde::Deserializer::deserialize_map(&mut de, FileVisitor(&mut sink))
        .and_then(|()| de.end());
    if let Err(e) = result {
        sink(DocumentItem::Error(ImportError {
            collection: Collection::Partners,
            index: 0,
            field: String::new(),
            message: format!("the file is not valid import JSON: {e}"),
        }));
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
            let problem = match Collection::parse(&key) {
                Some(c) if !seen.contains(&c) => {
                    seen.push(c);
                    map.next_value_seed(CollectionSeed(&mut self.0, c))?;
                    continue;
                }
                // Records of a second `partners` array would share the
                // first one's indexes, and every error message with them.
                Some(_) => "this collection appears twice; give each collection once",
                None => "unknown collection; expected partners, accounts, users or agreements",
            };
            map.next_value::<serde::de::IgnoredAny>()?;
            let go_on = (self.0)(DocumentItem::Error(ImportError {
                collection: Collection::Partners,
                index: 0,
                field: key,
                message: problem.into(),
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
            if !(self.0)(DocumentItem::Record(self.1, index, v)) {
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
                DocumentItem::Record(c, n, _) => (c.as_str(), *n),
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
        assert_eq!(e.field, "partners");
        assert!(e.message.contains("twice"), "{e:?}");
    }

    #[test]
    fn unknown_collections_and_broken_files_are_errors() {
        let items = read(r#"{"people": []}"#);
        assert!(matches!(&items[0], DocumentItem::Error(e) if e.field == "people"));
        let items = read(r#"{"partners": [{"csn": "1"}"#);
        assert!(
            matches!(items.last(), Some(DocumentItem::Error(e)) if e.message.contains("not valid import JSON"))
        );
    }
}
