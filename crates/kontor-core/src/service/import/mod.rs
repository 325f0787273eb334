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
use crate::error::StoreError;
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

/// One problem with one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportError {
    /// Collection of the record.
    pub collection: Collection,
    /// Zero-based index of the record within its collection.
    pub index: usize,
    /// Field path within the record, e.g. `products[0].seats`.
    pub field: String,
    /// What is wrong and what is expected.
    pub message: String,
}

impl ImportError {
    /// Where the problem is, as people and the API name it:
    /// `collection[index]`, then `.field` when it is about one field.
    pub fn location(&self) -> String {
        let at = format!("{}[{}]", self.collection.as_str(), self.index);
        if self.field.is_empty() {
            at
        } else {
            format!("{at}.{}", self.field)
        }
    }
}

/// What a file reader hands over: a record, or a problem with the file
/// itself (syntax, an unknown collection).
#[derive(Debug, Clone, PartialEq)]
pub enum DocumentItem {
    /// A record of a collection, with its zero-based index.
    Record(Collection, usize, serde_json::Value),
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
    collection: Collection,
    index: usize,
    field: String,
    csn: Csn,
    is_account: bool,
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

    fn push_errors(&mut self, collection: Collection, index: usize, errors: FieldErrors) {
        for (field, message) in errors {
            if self.errors.len() < MAX_ERRORS {
                self.errors.push(ImportError {
                    collection,
                    index,
                    field,
                    message,
                });
            } else {
                self.more_errors += 1;
            }
        }
    }

    /// Validates one record and, when valid, writes it into the session.
    pub async fn add(
        &mut self,
        collection: Collection,
        index: usize,
        record: &Value,
    ) -> Result<(), StoreError> {
        let Some(obj) = record.as_object() else {
            self.push_errors(
                collection,
                index,
                vec![(String::new(), "expected an object".into())],
            );
            return Ok(());
        };
        match collection {
            Collection::Partners => self.add_partner(index, obj).await,
            Collection::Accounts => self.add_account(index, obj).await,
            Collection::Users => {
                let errors = self.add_user(index, obj, "", None).await?;
                self.push_errors(collection, index, errors);
                Ok(())
            }
            Collection::Agreements => self.add_agreement(index, obj).await,
        }
    }

    /// Checks the references that pointed forward, then commits — or, when
    /// any record was invalid, drops the session so nothing is written.
    pub async fn finish(mut self, by: By<'_>) -> Result<ImportReport, ImportFailure> {
        for r in std::mem::take(&mut self.deferred) {
            if !self.exists(&r.csn, r.is_account).await? {
                let what = if r.is_account { "account" } else { "partner" };
                self.push_errors(
                    r.collection,
                    r.index,
                    vec![(
                        r.field,
                        format!(
                            "no {what} with CSN {} exists in the file or the database",
                            r.csn
                        ),
                    )],
                );
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
