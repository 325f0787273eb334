//! The bytes on their way to the csv parser: what RFC 4180 does not allow,
//! and the line each record starts on as an editor counts them.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::Read;
use std::rc::Rc;

use crate::error::FieldError;

/// What the csv crate reads leniently but RFC 4180 does not allow — a
/// quote inside an unquoted cell, text after a closing quote, a quote left
/// open at the end — would turn into silently wrong data. This reader
/// watches the bytes on their way to the parser and remembers the first
/// such place (line, problem).
///
/// It also notes where each record starts, by line as an editor counts
/// them (#19): the csv crate's own count leaves out blank lines and the
/// `\n` of a `\r\n` before a record, so a Windows file's records would be
/// named a line too early.
pub(super) struct StrictQuotes<R> {
    inner: R,
    state: QuoteState,
    line: u64,
    /// Where the open quoted cell began.
    opened: u64,
    /// Bytes read so far.
    offset: u64,
    /// The last byte was a `\r` (a line ends at `\r\n`, or at a `\r` alone).
    after_cr: bool,
    /// The next byte that is not a line end starts a record.
    record_next: bool,
    seen: Rc<RefCell<Seen>>,
}

/// What [`StrictQuotes`] found on the bytes' way to the parser.
#[derive(Debug, Default)]
pub(super) struct Seen {
    /// The first quoting problem: line and what.
    pub(super) problem: Option<(u64, QuoteProblem)>,
    /// (byte offset, line) of each record's first byte, from the ones the
    /// parser has read ahead but not handed over: no more than fit its
    /// buffer, so memory stays flat.
    record_starts: VecDeque<(u64, u64)>,
}

impl Seen {
    /// The line a record (or an error in one) starts on, from the csv
    /// crate's position of it: the first record start at or after it —
    /// the position comes before the line ends and blank lines skipped.
    pub(super) fn line_of(&mut self, pos: Option<&csv::Position>) -> Option<u64> {
        let byte = pos?.byte();
        while self.record_starts.front().is_some_and(|(at, _)| *at < byte) {
            self.record_starts.pop_front();
        }
        self.record_starts.front().map(|(_, line)| *line)
    }
}

/// What RFC 4180 does not allow, found by [`StrictQuotes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum QuoteProblem {
    NeverClosed,
    TextAfterClosing,
    InUnquotedCell,
}

impl QuoteProblem {
    /// The error for this problem at `line`.
    pub(super) fn error(self, line: u64) -> FieldError {
        let at = vec![("line", line.to_string())];
        let english = |what: &str| format!("the file is not valid CSV at line {line}: {what}");
        match self {
            QuoteProblem::NeverClosed => FieldError::coded(
                "",
                "import-csv-quote-open",
                at,
                english("a quoted cell is never closed"),
            ),
            QuoteProblem::TextAfterClosing => FieldError::coded(
                "",
                "import-csv-quote-after",
                at,
                english("text after a closing quote (quote a quote by doubling it)"),
            ),
            QuoteProblem::InUnquotedCell => FieldError::coded(
                "",
                "import-csv-quote-inside",
                at,
                english("a quote inside an unquoted cell (quote the cell and double the quote)"),
            ),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    CellStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

impl<R: Read> StrictQuotes<R> {
    pub(super) fn new(inner: R, seen: Rc<RefCell<Seen>>) -> Self {
        StrictQuotes {
            inner,
            state: QuoteState::CellStart,
            line: 1,
            opened: 1,
            offset: 0,
            after_cr: false,
            record_next: true,
            seen,
        }
    }

    fn problem(&mut self, what: QuoteProblem) {
        let mut seen = self.seen.borrow_mut();
        if seen.problem.is_none() {
            seen.problem = Some((self.line, what));
        }
    }
}

impl<R: Read> Read for StrictQuotes<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use QuoteState::*;
        let n = self.inner.read(buf)?;
        if n == 0 && self.state == Quoted {
            self.line = self.opened;
            self.problem(QuoteProblem::NeverClosed);
        }
        for &b in &buf[..n] {
            let line_end = matches!(b, b'\n' | b'\r');
            if self.after_cr && b != b'\n' {
                self.line += 1;
            }
            self.after_cr = b == b'\r';
            if self.record_next && !line_end {
                self.record_next = false;
                let start = (self.offset, self.line);
                self.seen.borrow_mut().record_starts.push_back(start);
            }
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
                    self.problem(QuoteProblem::TextAfterClosing);
                    Unquoted
                }
                (Unquoted, b'"') => {
                    self.problem(QuoteProblem::InUnquotedCell);
                    Unquoted
                }
                (CellStart, b' ' | b'\t') => CellStart,
                (CellStart | Unquoted, _) => Unquoted,
            };
            // A line end outside quotes ends the record.
            self.record_next |= line_end && self.state == CellStart;
            if b == b'\n' {
                self.line += 1;
            }
            self.offset += 1;
        }
        Ok(n)
    }
}
