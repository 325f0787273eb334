//! Streams an import file into the importer: a blocking thread parses the
//! file (JSON, or CSV of one collection) record by record and hands each
//! over a bounded channel, so memory stays flat however large the file is.

use std::io::Read;
use std::path::Path;

use kontor_core::domain::audit::By;
use kontor_core::service::Services;
use kontor_core::service::import::{
    Collection, DocumentItem, ImportFailure, ImportReport, Importer, PasswordHasher,
};
use kontor_core::service::import_csv::read_csv_document;
use kontor_core::service::import_json::read_json_document;
use tokio::sync::mpsc;

/// The format of an import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// One document with every collection (SPEC "Import format").
    Json,
    /// One collection, a header row with the JSON format's field names.
    Csv(Collection),
}

impl ImportFormat {
    /// From a file name: `partners.csv` (or `…/2026-11-partners.csv`) is
    /// CSV of the collection its name ends with; anything else is JSON.
    pub fn from_file_name(name: &Path) -> Result<ImportFormat, String> {
        let is_csv = name
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if !is_csv {
            return Ok(ImportFormat::Json);
        }
        let stem = name
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        [
            Collection::Partners,
            Collection::Accounts,
            Collection::Users,
            Collection::Agreements,
        ]
        .into_iter()
        .find(|c| stem.ends_with(c.as_str()))
        .map(ImportFormat::Csv)
        .ok_or_else(|| {
            format!(
                "{}: a CSV file's name ends with its collection: partners.csv, accounts.csv, users.csv or agreements.csv",
                name.display()
            )
        })
    }
}

/// Imports a file read from `reader`; `progress` is called every 10,000
/// records with the number of records read.
pub async fn import_file(
    services: &Services,
    hasher: &dyn PasswordHasher,
    format: ImportFormat,
    reader: impl Read + Send + 'static,
    by: By<'_>,
    mut progress: impl FnMut(u64),
) -> Result<ImportReport, ImportFailure> {
    let (tx, mut rx) = mpsc::channel::<DocumentItem>(1024);
    let parser = tokio::task::spawn_blocking(move || {
        let sink = |item| tx.blocking_send(item).is_ok();
        match format {
            ImportFormat::Json => read_json_document(reader, sink),
            ImportFormat::Csv(collection) => read_csv_document(collection, reader, sink),
        }
    });
    let session = services.store.begin_import().await?;
    let mut importer = Importer::new(session, hasher, services.clock.now());
    let mut file_errors = Vec::new();
    let mut seen = 0u64;
    while let Some(item) = rx.recv().await {
        match item {
            DocumentItem::Record(c, i, v) => importer.add(c, i, &v).await?,
            DocumentItem::Error(e) => file_errors.push(e),
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
