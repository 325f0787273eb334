//! The JSON import reader: never panics, whatever the bytes; records come
//! in order with their index, and a broken file ends in an error.
#![no_main]

use kontor_core::service::import::DocumentItem;
use kontor_core::service::import_json::read_json_document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut last_index = std::collections::HashMap::new();
    read_json_document(data, |item| {
        if let DocumentItem::Record {
            collection, index, ..
        } = item
        {
            let previous = last_index.insert(collection.as_str(), index);
            assert!(previous.is_none_or(|p| p < index));
        }
        true
    });
});
