//! Streams an import file into the importer: a blocking thread parses the
//! JSON record by record and hands each over a bounded channel, so memory
//! stays flat however large the file is.

use std::fmt;
use std::io::Read;

use kontor_core::domain::audit::By;
use kontor_core::service::Services;
use kontor_core::service::import::{
    Collection, ImportError, ImportFailure, ImportReport, Importer, PasswordHasher,
};
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use tokio::sync::mpsc;

/// What the parser thread sends.
enum Item {
    Record(Collection, usize, Value),
    /// A problem with the file itself (syntax, unknown collection).
    Error(ImportError),
}

struct FileVisitor<'a>(&'a mpsc::Sender<Item>);
struct CollectionSeed<'a>(&'a mpsc::Sender<Item>, Collection);

impl<'de> Visitor<'de> for FileVisitor<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with partners, accounts, users and agreements arrays")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match Collection::parse(&key) {
                Some(c) => map.next_value_seed(CollectionSeed(self.0, c))?,
                None => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    let _ = self.0.blocking_send(Item::Error(ImportError {
                        collection: Collection::Partners,
                        index: 0,
                        field: key,
                        message:
                            "unknown collection; expected partners, accounts, users or agreements"
                                .into(),
                    }));
                }
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for CollectionSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for CollectionSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(v) = seq.next_element::<Value>()? {
            if self
                .0
                .blocking_send(Item::Record(self.1, index, v))
                .is_err()
            {
                return Err(serde::de::Error::custom("import cancelled"));
            }
            index += 1;
        }
        Ok(())
    }
}

/// Imports a JSON document read from `reader`; `progress` is called every
/// 10,000 records with the number of records read.
pub async fn import_json(
    services: &Services,
    hasher: &dyn PasswordHasher,
    reader: impl Read + Send + 'static,
    by: By<'_>,
    mut progress: impl FnMut(u64),
) -> Result<ImportReport, ImportFailure> {
    let (tx, mut rx) = mpsc::channel::<Item>(1024);
    let parser = tokio::task::spawn_blocking(move || {
        let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(
            1 << 16,
            reader,
        ));
        let result =
            serde::Deserializer::deserialize_map(&mut de, FileVisitor(&tx)).and_then(|()| de.end());
        if let Err(e) = result {
            let _ = tx.blocking_send(Item::Error(ImportError {
                collection: Collection::Partners,
                index: 0,
                field: String::new(),
                message: format!("the file is not valid import JSON: {e}"),
            }));
        }
    });
    let session = services.store.begin_import().await?;
    let mut importer = Importer::new(session, hasher, services.clock.now());
    let mut file_errors = Vec::new();
    let mut seen = 0u64;
    while let Some(item) = rx.recv().await {
        match item {
            Item::Record(c, i, v) => importer.add(c, i, &v).await?,
            Item::Error(e) => file_errors.push(e),
        }
        seen += 1;
        if seen.is_multiple_of(10_000) {
            progress(seen);
        }
    }
    parser
        .await
        .map_err(|e| ImportFailure::Store(kontor_core::StoreError::Other(e.into())))?;
    if !file_errors.is_empty() {
        return Err(ImportFailure::Invalid {
            errors: file_errors,
            more: importer.error_count(),
        });
    }
    let report = importer.finish(by).await;
    services.cache.clear();
    report
}
