//! Streams an import file into the importer: a blocking thread parses the
//! file (JSON, or CSV of one collection) record by record and hands each
//! over a bounded channel, so memory stays flat however large the file is.

use std::io::Read;
use std::path::Path;

use axum::body::Bytes;
use kontor_core::domain::audit::By;
use kontor_core::domain::values::PasswordHasher;
use kontor_core::service::Services;
use kontor_core::service::import::{
    Collection, DocumentItem, ImportFailure, ImportReport, Importer,
};
use kontor_core::service::import_csv::read_csv_document;
use kontor_core::service::import_json::read_json_document;
use tokio::sync::mpsc;

use crate::auth::Argon2Hasher;

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
            DocumentItem::Record {
                collection,
                index,
                line,
                value,
            } => importer.add(collection, index, line, &value).await?,
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

/// Imports an upload (a request body, a form's file) as it arrives: its
/// chunks are pumped to the parser while the importer writes, up to
/// `limit` bytes.
pub async fn import_upload<E: std::fmt::Display>(
    services: &Services,
    format: ImportFormat,
    limit: usize,
    body: impl Chunks<E>,
    by: By<'_>,
) -> Result<Result<ImportReport, ImportFailure>, TooLarge> {
    let (tx, reader) = chunk_channel();
    let (imported, pumped) = tokio::join!(
        import_file(services, &Argon2Hasher, format, reader, by, |_| {}),
        pump(tx, limit, body)
    );
    pumped?;
    Ok(imported)
}

/// A blocking [`Read`] over chunks that an async task hands in: lets the
/// importer's parser thread read an HTTP body (or an uploaded file's part)
/// as it arrives, never the whole of it in memory.
pub struct ChunkReader {
    chunks: mpsc::Receiver<std::io::Result<Bytes>>,
    current: Bytes,
}

impl Read for ChunkReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.chunks.blocking_recv() {
                Some(Ok(chunk)) => self.current = chunk,
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

/// The body was larger than the limit it was read against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

/// A reader for the parser, and the sender its chunks are pumped into.
pub fn chunk_channel() -> (mpsc::Sender<std::io::Result<Bytes>>, ChunkReader) {
    let (tx, rx) = mpsc::channel(16);
    (
        tx,
        ChunkReader {
            chunks: rx,
            current: Bytes::new(),
        },
    )
}

/// Hands `next`'s chunks to the reader until the body ends, at most `limit`
/// bytes: beyond that the reader gets an error (so the import stops and
/// writes nothing) and this returns [`TooLarge`]. A read error ends the
/// body the same way, with that error.
pub async fn pump<E: std::fmt::Display>(
    tx: mpsc::Sender<std::io::Result<Bytes>>,
    limit: usize,
    mut body: impl Chunks<E>,
) -> Result<(), TooLarge> {
    let mut total = 0usize;
    loop {
        match body.next_chunk().await {
            None => return Ok(()),
            Some(Ok(chunk)) => {
                total = total.saturating_add(chunk.len());
                if total > limit {
                    let _ = tx
                        .send(Err(std::io::Error::other(format!(
                            "the file is larger than {limit} bytes"
                        ))))
                        .await;
                    return Err(TooLarge);
                }
                // The parser stopped reading (an error in the file): the
                // rest of the body does not matter.
                if tx.send(Ok(chunk)).await.is_err() {
                    return Ok(());
                }
            }
            Some(Err(e)) => {
                let _ = tx
                    .send(Err(std::io::Error::other(format!(
                        "the upload broke off: {e}"
                    ))))
                    .await;
                return Ok(());
            }
        }
    }
}

/// What yields a body's chunks: an HTTP body, an uploaded file's part.
pub trait Chunks<E>: Send {
    /// The next chunk; `None` at the end.
    fn next_chunk(&mut self) -> impl Future<Output = Option<Result<Bytes, E>>> + Send;
}

impl Chunks<axum::Error> for axum::body::Body {
    async fn next_chunk(&mut self) -> Option<Result<Bytes, axum::Error>> {
        use http_body_util::BodyExt as _;
        loop {
            match self.frame().await? {
                // Trailers carry no data.
                Ok(frame) => match frame.into_data() {
                    Ok(data) => return Some(Ok(data)),
                    Err(_) => continue,
                },
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

impl Chunks<axum::extract::multipart::MultipartError> for axum::extract::multipart::Field<'_> {
    async fn next_chunk(
        &mut self,
    ) -> Option<Result<Bytes, axum::extract::multipart::MultipartError>> {
        self.chunk().await.transpose()
    }
}
