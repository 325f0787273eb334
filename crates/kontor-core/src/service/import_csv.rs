//! CSV import: one file per collection with the JSON format's field names
//! as its header row. Each row becomes the same record the JSON format
//! would carry, so one validator checks both.
//!
//! Cells that hold lists: `partners` (agreements) is a list of CSNs
//! separated by `;`, `products` is `name:seats` pairs separated by `;`
//! (`AutoCAD:5;Revit:2`). `auto_renew` and `vendor` take `true`/`false`,
//! `seats` whole numbers. An empty cell is a missing field.

use std::cell::Cell;
use std::io::Read;
use std::rc::Rc;

use serde_json::{Map, Value};

use super::import::{Collection, DocumentItem, ImportError};

/// Reads a CSV file of one collection, handing each row to `sink` as a
/// record (stops when `sink` answers false). A file that is not CSV —
/// broken quoting, a row with a different number of cells, bytes that are
/// not UTF-8 — ends in one error naming the line; rows before it have been
/// handed over, but the import as a whole is refused.
pub fn read_csv_document(
    collection: Collection,
    reader: impl Read,
    mut sink: impl FnMut(DocumentItem) -> bool,
) {
    let quoting = Rc::new(Cell::new(None));
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(StrictQuotes::new(reader, quoting.clone()));
    let file_error = |index: usize, message: String| {
        DocumentItem::Error(ImportError {
            collection,
            index,
            field: String::new(),
            message,
        })
    };
    let headers = match csv.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            sink(file_error(0, format!("the file is not valid CSV: {e}")));
            return;
        }
    };
    if let Err(problem) = check_header(collection, &headers) {
        sink(file_error(0, problem));
        return;
    }
    for (index, row) in csv.records().enumerate() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                sink(file_error(
                    index,
                    format!(
                        "the file is not valid CSV at line {line}: {}",
                        e.kind_text()
                    ),
                ));
                return;
            }
        };
        if !sink(DocumentItem::Record(
            collection,
            index,
            row_record(&headers, &row),
        )) {
            return;
        }
    }
    if let Some((line, problem)) = quoting.get() {
        sink(file_error(
            0,
            format!("the file is not valid CSV at line {line}: {problem}"),
        ));
    }
}

/// The header names each column once, and only fields the collection's
/// CSV file can hold (`users` of accounts are JSON only).
fn check_header(collection: Collection, headers: &csv::StringRecord) -> Result<(), String> {
    if let Some(unknown) = headers
        .iter()
        .find(|h| !collection.fields().contains(h) || *h == "users")
    {
        return Err(format!(
            "unknown column `{unknown}`; {} takes {}",
            collection.as_str(),
            collection
                .fields()
                .iter()
                .filter(|f| **f != "users")
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(dup) = headers
        .iter()
        .enumerate()
        .find(|(i, h)| headers.iter().take(*i).any(|earlier| earlier == *h))
        .map(|(_, h)| h)
    {
        return Err(format!("the header names column `{dup}` twice"));
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

/// What the csv crate reads leniently but RFC 4180 does not allow — a
/// quote inside an unquoted cell, text after a closing quote, a quote left
/// open at the end — would turn into silently wrong data. This reader
/// watches the bytes on their way to the parser and remembers the first
/// such place (line, problem).
struct StrictQuotes<R> {
    inner: R,
    state: QuoteState,
    line: u64,
    /// Where the open quoted cell began.
    opened: u64,
    found: Rc<Cell<Option<(u64, &'static str)>>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    CellStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

impl<R: Read> StrictQuotes<R> {
    fn new(inner: R, found: Rc<Cell<Option<(u64, &'static str)>>>) -> Self {
        StrictQuotes {
            inner,
            state: QuoteState::CellStart,
            line: 1,
            opened: 1,
            found,
        }
    }

    fn problem(&mut self, what: &'static str) {
        if self.found.get().is_none() {
            self.found.set(Some((self.line, what)));
        }
    }
}

impl<R: Read> Read for StrictQuotes<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use QuoteState::*;
        let n = self.inner.read(buf)?;
        if n == 0 && self.state == Quoted {
            self.line = self.opened;
            self.problem("a quoted cell is never closed");
        }
        for &b in &buf[..n] {
            self.state = match (self.state, b) {
                (Quoted, b'"') => QuoteInQuoted,
                (Quoted, _) => Quoted,
                (QuoteInQuoted, b'"') => Quoted,
                (CellStart, b'"') => {
                    self.opened = self.line;
                    Quoted
                }
                (_, b',') => CellStart,
                (_, b'\n' | b'\r') => CellStart,
                (QuoteInQuoted, b' ' | b'\t') => QuoteInQuoted,
                (QuoteInQuoted, _) => {
                    self.problem("text after a closing quote (quote a quote by doubling it)");
                    Unquoted
                }
                (Unquoted, b'"') => {
                    self.problem(
                        "a quote inside an unquoted cell (quote the cell and double the quote)",
                    );
                    Unquoted
                }
                (CellStart, b' ' | b'\t') => CellStart,
                (CellStart | Unquoted, _) => Unquoted,
            };
            if b == b'\n' {
                self.line += 1;
            }
        }
        Ok(n)
    }
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
            DocumentItem::Record(_, _, v) => v,
            DocumentItem::Error(e) => panic!("{e:?}"),
        }
    }

    fn error(item: &DocumentItem) -> &ImportError {
        match item {
            DocumentItem::Error(e) => e,
            DocumentItem::Record(..) => panic!("a record"),
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
                e.message.contains(&format!("line {line}")),
                "{text:?}: {e:?}"
            );
            assert!(e.message.contains(words), "{text:?}: {e:?}");
        }
        // Quoted commas, doubled quotes, new lines in quotes are fine.
        let items = read(
            Collection::Partners,
            "csn,name\n5100000001,\"CAD, \"\"Nord\"\"\nHamburg\"\n",
        );
        assert_eq!(record(&items[0])["name"], "CAD, \"Nord\"\nHamburg");
        assert_eq!(items.len(), 1);
    }

    #[test]
    fn a_row_with_more_cells_than_the_header_is_refused() {
        let items = read(Collection::Partners, "csn,name\n5100000001,CAD,extra\n");
        assert_eq!(items.len(), 1);
        let e = error(&items[0]);
        assert!(e.message.contains("line 2"), "{e:?}");
        assert!(e.message.contains("3 cells, the header 2"), "{e:?}");
    }

    #[test]
    fn invalid_utf8_and_duplicate_columns_are_refused() {
        let mut items = Vec::new();
        read_csv_document(Collection::Partners, &b"csn,name\n51000\xff,x\n"[..], |i| {
            items.push(i);
            true
        });
        assert!(
            error(&items[0]).message.contains("UTF-8"),
            "{:?}",
            error(&items[0])
        );
        let items = read(Collection::Partners, "csn,csn\n1,2\n");
        assert!(error(&items[0]).message.contains("`csn` twice"));
        // Even a file without rows: a misspelt header is reported.
        let items = read(Collection::Partners, "csn,nmae\n");
        let e = error(&items[0]);
        assert!(e.message.contains("unknown column `nmae`"), "{e:?}");
        assert!(e.message.contains("csn, name, city"), "{e:?}");
    }
}
