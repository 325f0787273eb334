//! CSV import: one file per collection with the JSON format's field names
//! as its header row. Each row becomes the same record the JSON format
//! would carry, so one validator checks both.
//!
//! Cells that hold lists: `partners` (agreements) is a list of CSNs
//! separated by `;`, `products` is `name:seats` pairs separated by `;`
//! (`AutoCAD:5;Revit:2`). `auto_renew` and `vendor` take `true`/`false`,
//! `seats` whole numbers. An empty cell is a missing field.

use std::cell::RefCell;
use std::io::Read;
use std::rc::Rc;

use serde_json::{Map, Value};

use super::import::{Collection, DocumentItem, ImportError, Place};
use crate::error::FieldError;
use watch::{Seen, StrictQuotes};

mod watch;

/// Reads a CSV file of one collection, handing each row to `sink` as a
/// record with the line it starts on (stops when `sink` answers false). A
/// file that is not CSV — broken quoting, a row with a different number of
/// cells, bytes that are not UTF-8 — ends in one error naming the line;
/// rows before it have been handed over, but the import as a whole is
/// refused.
pub fn read_csv_document(
    collection: Collection,
    reader: impl Read,
    mut sink: impl FnMut(DocumentItem) -> bool,
) {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(StrictQuotes::new(reader, seen.clone()));
    let line_of = |pos: Option<&csv::Position>| seen.borrow_mut().line_of(pos);
    // The API names a file's problem by the record it came to (the
    // header's by the first); people by the line.
    let file_error = |index: usize, line: u64, error: FieldError| {
        DocumentItem::Error(ImportError {
            collection,
            index,
            place: Place::Line(line),
            error,
        })
    };
    let headers = match csv.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            let line = line_of(e.position()).unwrap_or(1);
            let english = format!("the file is not valid CSV: {e}");
            sink(file_error(0, line, unreadable(line, &e, english)));
            return;
        }
    };
    let header_line = line_of(headers.position()).unwrap_or(1);
    if let Err(problem) = check_header(collection, &headers) {
        sink(file_error(0, header_line, problem));
        return;
    }
    for (index, row) in csv.records().enumerate() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = line_of(e.position())
                    .or_else(|| e.position().map(|p| p.line()))
                    .unwrap_or(0);
                let english = format!(
                    "the file is not valid CSV at line {line}: {}",
                    e.kind_text()
                );
                sink(file_error(index, line, unreadable(line, &e, english)));
                return;
            }
        };
        let item = DocumentItem::Record {
            collection,
            index,
            line: line_of(row.position()),
            value: row_record(&headers, &row),
        };
        if !sink(item) {
            return;
        }
    }
    let problem = seen.borrow().problem;
    if let Some((line, problem)) = problem {
        sink(file_error(0, line, problem.error(line)));
    }
}

/// The error for a row (or header) the csv crate could not read at `line`;
/// `english` is what the command line says.
fn unreadable(line: u64, e: &csv::Error, english: String) -> FieldError {
    let at = ("line", line.to_string());
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            FieldError::coded("", "import-csv-not-utf8", vec![at], english)
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => FieldError::coded(
            "",
            "import-csv-row-length",
            vec![
                at,
                ("cells", len.to_string()),
                ("header", expected_len.to_string()),
            ],
            english,
        ),
        _ => {
            let reason = e.kind_text();
            FieldError::coded(
                "",
                "import-csv-unreadable",
                vec![at, ("reason", reason)],
                english,
            )
        }
    }
}

/// The header names each column once, and only fields the collection's
/// CSV file can hold (`users` of accounts are JSON only).
fn check_header(collection: Collection, headers: &csv::StringRecord) -> Result<(), FieldError> {
    let allowed = collection
        .fields()
        .iter()
        .filter(|f| **f != "users")
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(unknown) = headers
        .iter()
        .find(|h| !collection.fields().contains(h) || *h == "users")
    {
        let english = format!(
            "unknown column `{unknown}`; {} takes {allowed}",
            collection.as_str(),
        );
        return Err(FieldError::coded(
            "",
            "import-csv-unknown-column",
            vec![
                ("column", unknown.to_owned()),
                ("collection", collection.as_str().to_owned()),
                ("allowed", allowed),
            ],
            english,
        ));
    }
    if let Some(dup) = headers
        .iter()
        .enumerate()
        .find(|(i, h)| headers.iter().take(*i).any(|earlier| earlier == *h))
        .map(|(_, h)| h)
    {
        return Err(FieldError::coded(
            "",
            "import-csv-column-twice",
            vec![("column", dup.to_owned())],
            format!("the header names column `{dup}` twice"),
        ));
    }
    Ok(())
}

/// The record a row stands for; an empty cell is a missing field.
fn row_record(headers: &csv::StringRecord, row: &csv::StringRecord) -> Value {
    let mut record = Map::new();
    for (name, cell) in headers.iter().zip(row.iter()) {
        if !cell.is_empty() {
            record.insert(name.to_owned(), cell_value(name, cell));
        }
    }
    Value::Object(record)
}

/// A cell as the JSON format would carry it; what does not convert stays
/// text, so the validator names the field and what it expects.
fn cell_value(column: &str, cell: &str) -> Value {
    match column {
        "auto_renew" | "vendor" => match cell {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(cell.to_owned()),
        },
        "partners" => Value::Array(
            list(cell)
                .map(|csn| Value::String(csn.to_owned()))
                .collect(),
        ),
        "products" => Value::Array(
            list(cell)
                .map(|item| {
                    let mut product = Map::new();
                    let (name, seats) = item.rsplit_once(':').unwrap_or((item, ""));
                    product.insert("name".into(), Value::String(name.trim().to_owned()));
                    let seats = seats.trim();
                    let seats = seats
                        .parse::<u64>()
                        .map(Value::from)
                        .unwrap_or_else(|_| Value::String(seats.to_owned()));
                    product.insert("seats".into(), seats);
                    Value::Object(product)
                })
                .collect(),
        ),
        _ => Value::String(cell.to_owned()),
    }
}

fn list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// Words for a CSV error without the crate's internal positions.
trait KindText {
    fn kind_text(&self) -> String;
}

impl KindText for csv::Error {
    fn kind_text(&self) -> String {
        match self.kind() {
            csv::ErrorKind::Utf8 { .. } => "a cell is not UTF-8 text".into(),
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("the row has {len} cells, the header {expected_len}"),
            _ => self.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(collection: Collection, text: &str) -> Vec<DocumentItem> {
        let mut items = Vec::new();
        read_csv_document(collection, text.as_bytes(), |i| {
            items.push(i);
            true
        });
        items
    }

    fn record(item: &DocumentItem) -> &Value {
        match item {
            DocumentItem::Record { value, .. } => value,
            DocumentItem::Error(e) => panic!("{e:?}"),
        }
    }

    fn error(item: &DocumentItem) -> &ImportError {
        match item {
            DocumentItem::Error(e) => e,
            DocumentItem::Record { .. } => panic!("a record"),
        }
    }

    #[test]
    fn rows_become_the_records_the_json_format_carries() {
        let items = read(
            Collection::Agreements,
            "number,kind,account,products,auto_renew,partners,program\n\
             110000000001,contract,7000000001,\"AutoCAD: 5; Revit:2\",false,5100000001;5100000002,\n",
        );
        assert_eq!(items.len(), 1);
        assert_eq!(
            record(&items[0]),
            &serde_json::json!({"number": "110000000001", "kind": "contract", "account": "7000000001",
                "products": [{"name": "AutoCAD", "seats": 5}, {"name": "Revit", "seats": 2}],
                "auto_renew": false, "partners": ["5100000001", "5100000002"]})
        );
    }

    #[test]
    fn what_does_not_convert_stays_text_for_the_validator() {
        let items = read(
            Collection::Agreements,
            "products,auto_renew\nAutoCAD:five,yes\n",
        );
        assert_eq!(
            record(&items[0]),
            &serde_json::json!({"products": [{"name": "AutoCAD", "seats": "five"}], "auto_renew": "yes"})
        );
    }

    #[test]
    fn quotes_the_lenient_parser_would_swallow_are_refused() {
        for (text, line, words) in [
            (
                "csn,name\n5100000001,\"Open\n5100000002,x\n",
                2,
                "never closed",
            ),
            (
                "csn,name\n5100000001,CAD \"Partner\"\n",
                2,
                "inside an unquoted cell",
            ),
            (
                "csn,name\n1,x\n5100000001,\"CAD\" GmbH\n",
                3,
                "after a closing quote",
            ),
        ] {
            let items = read(Collection::Partners, text);
            let e = error(items.last().unwrap());
            assert!(
                e.message().contains(&format!("line {line}")),
                "{text:?}: {e:?}"
            );
            assert!(e.message().contains(words), "{text:?}: {e:?}");
        }
        // Quoted commas, doubled quotes, new lines in quotes are fine.
        let items = read(
            Collection::Partners,
            "csn,name\n5100000001,\"CAD, \"\"Nord\"\"\nHamburg\"\n",
        );
        assert_eq!(record(&items[0])["name"], "CAD, \"Nord\"\nHamburg");
        assert_eq!(items.len(), 1);
    }

    fn lines(items: &[DocumentItem]) -> Vec<Option<u64>> {
        items
            .iter()
            .map(|i| match i {
                DocumentItem::Record { line, .. } => *line,
                DocumentItem::Error(e) => panic!("{e:?}"),
            })
            .collect()
    }

    /// #19: people find a record by the line their editor shows: the
    /// header is line 1, a quoted cell running over several lines moves
    /// the next record down, blank lines count.
    #[test]
    fn each_record_names_the_line_it_starts_on() {
        let items = read(
            Collection::Partners,
            "csn,name\n5100000001,A\n5100000002,\"Nord\nHamburg\n\"\n5100000003,C\n\n5100000004,D\r\n5100000005,E",
        );
        assert_eq!(lines(&items), [Some(2), Some(3), Some(6), Some(8), Some(9)]);
        assert_eq!(record(&items[1])["name"], "Nord\nHamburg");
    }

    /// Windows line ends, old Mac ones, and a file far larger than the
    /// parser's buffer: still the line an editor shows.
    #[test]
    fn line_ends_of_every_kind_and_long_files_keep_the_count() {
        let crlf = read(
            Collection::Partners,
            "csn,name\r\n1,A\r\n\r\n2,\"B\r\nC\"\r\n3,D\r\n",
        );
        assert_eq!(lines(&crlf), [Some(2), Some(4), Some(6)]);
        let cr = read(Collection::Partners, "csn,name\r1,A\r2,B");
        assert_eq!(lines(&cr), [Some(2), Some(3)]);
        // Every third record spans two lines.
        let mut text = String::from("csn,name\n");
        let mut expected = Vec::new();
        let mut line = 2;
        for i in 0..5000 {
            expected.push(Some(line));
            if i % 3 == 0 {
                text.push_str(&format!("{i},\"two\nlines\"\n"));
                line += 2;
            } else {
                text.push_str(&format!("{i},one line\n"));
                line += 1;
            }
        }
        assert_eq!(lines(&read(Collection::Partners, &text)), expected);
    }

    /// A file's problem is named by the line where it is.
    #[test]
    fn a_broken_file_names_the_line_people_see() {
        let items = read(
            Collection::Partners,
            "csn,name\n5100000001,\"A\nB\"\n5100000002,b,c\n",
        );
        let e = error(items.last().unwrap());
        assert_eq!(e.place, Place::Line(4));
        assert_eq!(e.error.code, "import-csv-row-length");
        assert_eq!(
            e.error.args,
            [
                ("line", "4".to_owned()),
                ("cells", "3".to_owned()),
                ("header", "2".to_owned())
            ]
        );
        // The API keeps naming it by the record it came to.
        assert_eq!(e.location(), "partners[1]");
        let items = read(Collection::Partners, "csn,nmae\n1,2\n");
        let e = error(&items[0]);
        assert_eq!(e.place, Place::Line(1));
        assert_eq!(e.error.code, "import-csv-unknown-column");
        let items = read(Collection::Partners, "csn,name\n1,x\n2,\"open\n");
        let e = error(items.last().unwrap());
        assert_eq!(
            (e.place, e.error.code),
            (Place::Line(3), "import-csv-quote-open")
        );
    }

    #[test]
    fn a_row_with_more_cells_than_the_header_is_refused() {
        let items = read(Collection::Partners, "csn,name\n5100000001,CAD,extra\n");
        assert_eq!(items.len(), 1);
        let e = error(&items[0]);
        assert!(e.message().contains("line 2"), "{e:?}");
        assert!(e.message().contains("3 cells, the header 2"), "{e:?}");
    }

    #[test]
    fn invalid_utf8_and_duplicate_columns_are_refused() {
        let mut items = Vec::new();
        read_csv_document(Collection::Partners, &b"csn,name\n51000\xff,x\n"[..], |i| {
            items.push(i);
            true
        });
        assert!(
            error(&items[0]).message().contains("UTF-8"),
            "{:?}",
            error(&items[0])
        );
        let items = read(Collection::Partners, "csn,csn\n1,2\n");
        assert!(error(&items[0]).message().contains("`csn` twice"));
        // Even a file without rows: a misspelt header is reported.
        let items = read(Collection::Partners, "csn,nmae\n");
        let e = error(&items[0]);
        assert!(e.message().contains("unknown column `nmae`"), "{e:?}");
        assert!(e.message().contains("csn, name, city"), "{e:?}");
    }
}
