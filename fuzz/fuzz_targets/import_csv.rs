//! The CSV import reader (one collection per file): never panics, whatever
//! the bytes — broken quoting, ragged rows, invalid UTF-8 — and every
//! record it hands over is a JSON object.
#![no_main]

use kontor_core::service::import::{Collection, DocumentItem};
use kontor_core::service::import_csv::read_csv_document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    read_csv_document(Collection::Agreements, data, |item| {
        if let DocumentItem::Record { value, .. } = item {
            assert!(value.is_object());
        }
        true
    });
});
