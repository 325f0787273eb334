//! Import (SPEC "Import format"): all-or-nothing, idempotent (upsert by
//! natural key), streamed record by record so memory stays flat.
//!
//! The caller parses the file and feeds one JSON object at a time to
//! [`Importer::add`]; every invalid record is collected with its index,
//! field and message, and if there is any, nothing is committed.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::ids::Csn;
use crate::domain::values::PasswordHasher;
use crate::error::{FieldError, StoreError};
use crate::store::ImportSession;

use fields::FieldErrors;

mod fields;
mod records;
mod write;

/// The collections of the import format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Collection {
    /// `partners`
    Partners,
    /// `accounts`
    Accounts,
    /// `users` (partner and vendor staff, or customer users with `account`)
    Users,
    /// `agreements`
    Agreements,
}

impl Collection {
    /// The key in the JSON file (and the CSV file's stem).
    pub fn as_str(self) -> &'static str {
        match self {
            Collection::Partners => "partners",
            Collection::Accounts => "accounts",
            Collection::Users => "users",
            Collection::Agreements => "agreements",
        }
    }

    /// The fields a record of this collection may have.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Collection::Partners => &["csn", "name", "city", "country", "status", "email"],
            Collection::Accounts => &["csn", "name", "country", "users"],
            Collection::Users => &[
                "email", "name", "role", "lang", "password", "account", "partner", "vendor",
            ],
            Collection::Agreements => &[
                "number",
                "kind",
                "account",
                "products",
                "term_start",
                "term_end",
                "auto_renew",
                "program",
                "support_level",
                "status",
                "partners",
            ],
        }
    }

    /// Parses a collection key.
    pub fn parse(raw: &str) -> Option<Collection> {
        [
            Collection::Partners,
            Collection::Accounts,
            Collection::Users,
            Collection::Agreements,
        ]
        .into_iter()
        .find(|c| c.as_str() == raw)
    }
}

/// Where a problem is, as the person's file names it (#19): a JSON
/// document names records by collection and number, a CSV file by line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// A record of a JSON document: its collection and index (pages count
    /// from 1), then the field path.
    Record,
    /// A line of a CSV file, the header being line 1: where the record
    /// starts, or where the file breaks. The field is its column.
    Line(u64),
    /// Where a JSON document breaks: line and column.
    Position {
        /// Line, from 1.
        line: u64,
        /// Column, from 1.
        column: u64,
    },
    /// A key at the top of a JSON document (named by the field): a
    /// collection it does not know or gives twice.
    Key,
}

/// One problem with one record, or with the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportError {
    /// Collection of the record.
    pub collection: Collection,
    /// Zero-based index of the record within its collection.
    pub index: usize,
    /// Where the file has it, for people.
    pub place: Place,
    /// What is wrong: the field path within the record (e.g.
    /// `products[0].seats`, empty for the record or file as a whole), the
    /// message's code (`error-<code>`) and arguments, and its English words.
    pub error: FieldError,
}

impl ImportError {
    /// The field path within the record, e.g. `products[0].seats`.
    pub fn field(&self) -> &str {
        &self.error.field
    }

    /// What is wrong, in English (the command line's words).
    pub fn message(&self) -> &str {
        &self.error.message
    }

    /// Where the problem is, as the API (and the command line) names it:
    /// `collection[index]`, then `.field` when it is about one field.
    pub fn location(&self) -> String {
        let at = format!("{}[{}]", self.collection.as_str(), self.index);
        if self.error.field.is_empty() {
            at
        } else {
            format!("{at}.{}", self.error.field)
        }
    }

    /// The error as the API lists it: named by [`ImportError::location`],
    /// with the message's code and arguments for other languages.
    pub fn to_field_error(&self) -> FieldError {
        FieldError {
            field: self.location(),
            ..self.error.clone()
        }
    }
}

/// What a file reader hands over: a record, or a problem with the file
/// itself (syntax, an unknown collection).
#[derive(Debug, Clone, PartialEq)]
pub enum DocumentItem {
    /// A record of a collection.
    Record {
        /// Its collection.
        collection: Collection,
        /// Its zero-based index within the collection.
        index: usize,
        /// The line a CSV file's record starts on (the header is line 1);
        /// `None` in a JSON document.
        line: Option<u64>,
        /// The record.
        value: serde_json::Value,
    },
    /// The file is broken here.
    Error(ImportError),
}

/// Counts of records imported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Partners upserted.
    pub partners: u64,
    /// Accounts upserted.
    pub accounts: u64,
    /// Users upserted.
    pub users: u64,
    /// Agreements upserted.
    pub agreements: u64,
}

/// At most this many errors are kept; the count of the rest is reported.
pub const MAX_ERRORS: usize = 10_000;

/// Why an import was not committed.
#[derive(Debug)]
pub enum ImportFailure {
    /// Invalid records; nothing written.
    Invalid {
        /// Up to [`MAX_ERRORS`] errors, in file order.
        errors: Vec<ImportError>,
        /// Errors beyond those listed.
        more: usize,
    },
    /// The store failed.
    Store(StoreError),
}

impl From<StoreError> for ImportFailure {
    fn from(e: StoreError) -> Self {
        ImportFailure::Store(e)
    }
}

/// A reference checked once the whole file has been read, because the
/// record it names may come later in the file.
struct DeferredRef {
    at: RecordAt,
    field: String,
    csn: Csn,
    is_account: bool,
}

/// Where a record is: its collection and index, and its place in the file.
#[derive(Debug, Clone, Copy)]
struct RecordAt {
    collection: Collection,
    index: usize,
    place: Place,
}

/// One running import.
pub struct Importer<'h> {
    session: Box<dyn ImportSession>,
    hasher: &'h dyn PasswordHasher,
    now: OffsetDateTime,
    errors: Vec<ImportError>,
    more_errors: usize,
    deferred: Vec<DeferredRef>,
    report: ImportReport,
}

impl<'h> Importer<'h> {
    /// Starts an import on an open session.
    pub fn new(
        session: Box<dyn ImportSession>,
        hasher: &'h dyn PasswordHasher,
        now: OffsetDateTime,
    ) -> Self {
        Importer {
            session,
            hasher,
            now,
            errors: Vec::new(),
            more_errors: 0,
            deferred: Vec::new(),
            report: ImportReport::default(),
        }
    }

    /// Counts so far.
    pub fn report(&self) -> ImportReport {
        self.report
    }

    /// Errors so far.
    pub fn error_count(&self) -> usize {
        self.errors.len() + self.more_errors
    }

    fn push_errors(&mut self, at: RecordAt, errors: FieldErrors) {
        for error in errors {
            if self.errors.len() < MAX_ERRORS {
                self.errors.push(ImportError {
                    collection: at.collection,
                    index: at.index,
                    place: at.place,
                    error,
                });
            } else {
                self.more_errors += 1;
            }
        }
    }

    /// Validates one record and, when valid, writes it into the session.
    /// `line` is where a CSV file's record starts (`None` in JSON), for
    /// naming its errors as the file does.
    pub async fn add(
        &mut self,
        collection: Collection,
        index: usize,
        line: Option<u64>,
        record: &Value,
    ) -> Result<(), StoreError> {
        let at = RecordAt {
            collection,
            index,
            place: line.map_or(Place::Record, Place::Line),
        };
        let Some(obj) = record.as_object() else {
            self.push_errors(at, vec![fields::not_an_object(String::new())]);
            return Ok(());
        };
        match collection {
            Collection::Partners => self.add_partner(at, obj).await,
            Collection::Accounts => self.add_account(at, obj).await,
            Collection::Users => {
                let errors = self.add_user(at, obj, "", None).await?;
                self.push_errors(at, errors);
                Ok(())
            }
            Collection::Agreements => self.add_agreement(at, obj).await,
        }
    }

    /// Checks the references that pointed forward, then commits — or, when
    /// any record was invalid, drops the session so nothing is written.
    pub async fn finish(mut self, by: By<'_>) -> Result<ImportReport, ImportFailure> {
        for r in std::mem::take(&mut self.deferred) {
            if !self.exists(&r.csn, r.is_account).await? {
                let what = if r.is_account { "account" } else { "partner" };
                let error = FieldError::coded(
                    r.field,
                    "import-unknown-reference",
                    vec![("what", what.into()), ("csn", r.csn.to_string())],
                    format!(
                        "no {what} with CSN {} exists in the file or the database",
                        r.csn
                    ),
                );
                self.push_errors(r.at, vec![error]);
            }
        }
        if !self.errors.is_empty() {
            self.errors.sort_by_key(|e| (e.collection as u8, e.index));
            return Err(ImportFailure::Invalid {
                errors: self.errors,
                more: self.more_errors,
            });
        }
        let audit = AuditEntry::new(self.now, by, AuditAction::ImportApplied).change(
            Value::Null,
            serde_json::to_value(self.report).unwrap_or(Value::Null),
        );
        self.session.commit(&audit).await?;
        Ok(self.report)
    }
}
