//! Reading one record's fields, collecting every error with its path.
//!
//! Each error is a [`FieldError`]: the message's code and arguments for
//! the page and the API in the person's language, and the English words
//! the command line (and the API's English callers) read.

use serde_json::{Map, Value};
use time::Date;

use crate::domain::ids::Csn;
use crate::domain::values::{CountryCode, DATE_EXPECTED, EmailAddress, parse_date};
use crate::error::FieldError;

/// A record's problems, each named by its field path within the record.
pub(super) type FieldErrors = Vec<FieldError>;

/// What a field expects, as an error message says it: its code in the
/// translations (`error-<code>`) with arguments, and the English words
/// that follow "expected".
pub(super) struct Expected {
    code: &'static str,
    args: Vec<(&'static str, String)>,
    english: String,
}

impl Expected {
    pub(super) fn new(
        code: &'static str,
        args: Vec<(&'static str, String)>,
        english: impl Into<String>,
    ) -> Expected {
        Expected {
            code,
            args,
            english: english.into(),
        }
    }

    /// One of a list of codes (`active, inactive`); `english` says it in
    /// the words the command line has always used.
    pub(super) fn one_of(list: impl Into<String>, english: impl Into<String>) -> Expected {
        Expected::new("expected-one-of", vec![("list", list.into())], english)
    }

    /// The error for `path` holding something else.
    pub(super) fn at(self, path: String) -> FieldError {
        FieldError::coded(
            path,
            self.code,
            self.args,
            format!("expected {}", self.english),
        )
    }

    /// The error for `path` missing.
    fn missing(self, path: String) -> FieldError {
        required(path, format!("required: {}", self.english))
    }
}

/// A required field is missing; `english` is what the command line says.
pub(super) fn required(path: String, english: impl Into<String>) -> FieldError {
    let english = english.into();
    FieldError::coded(
        path,
        "missing-field",
        vec![("reason", english.clone())],
        english,
    )
}

/// `path` (a record, a user of an account) is not a JSON object.
pub(super) fn not_an_object(path: String) -> FieldError {
    FieldError::coded(
        path,
        "expected-json-object",
        Vec::new(),
        "expected an object",
    )
}

/// `path` holds a key that is not one of `allowed`.
pub(super) fn unknown_field(path: String, allowed: &[&str]) -> FieldError {
    let allowed = allowed.join(", ");
    let english = format!("unknown field; expected one of: {allowed}");
    FieldError::coded(
        path,
        "import-unknown-field",
        vec![("allowed", allowed)],
        english,
    )
}

/// Collects field errors of one record.
pub(super) struct Fields<'a> {
    pub(super) obj: &'a Map<String, Value>,
    pub(super) prefix: String,
    pub(super) errors: FieldErrors,
}

impl<'a> Fields<'a> {
    pub(super) fn new(obj: &'a Map<String, Value>, prefix: &str, allowed: &[&str]) -> Self {
        let mut f = Fields {
            obj,
            prefix: prefix.to_owned(),
            errors: Vec::new(),
        };
        for key in obj.keys() {
            if !allowed.contains(&key.as_str()) {
                let e = unknown_field(f.path(key), allowed);
                f.errors.push(e);
            }
        }
        f
    }

    pub(super) fn path(&self, name: &str) -> String {
        format!("{}{}", self.prefix, name)
    }

    /// Notes `e`, whose field is named within the record's part this
    /// reads (`email` of `users[0].`).
    pub(super) fn err(&mut self, mut e: FieldError) {
        e.field = self.path(&e.field);
        self.errors.push(e);
    }

    pub(super) fn str_opt(&mut self, name: &str) -> Option<&'a str> {
        match self.obj.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(_) => {
                self.err(FieldError::coded(
                    name,
                    "import-expected-string",
                    Vec::new(),
                    "expected a string",
                ));
                None
            }
        }
    }

    pub(super) fn text(&mut self, name: &str, max: usize) -> Option<String> {
        match self.str_opt(name).map(str::trim) {
            None => {
                self.err(required(name.into(), "required"));
                None
            }
            Some(s) if s.is_empty() || s.chars().count() > max => {
                self.err(text_length(name.into(), max));
                None
            }
            Some(s) => Some(s.to_owned()),
        }
    }

    pub(super) fn parsed<T>(
        &mut self,
        name: &str,
        expected: Expected,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        match self.str_opt(name) {
            None => {
                self.err(expected.missing(name.into()));
                None
            }
            Some(raw) => {
                let v = parse(raw);
                if v.is_none() {
                    self.err(expected.at(name.into()));
                }
                v
            }
        }
    }

    /// Like [`Fields::parsed`] for a field that may be left out.
    pub(super) fn parsed_or<T>(
        &mut self,
        name: &str,
        default: T,
        expected: Expected,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        match self.str_opt(name) {
            None => Some(default),
            Some(raw) => {
                let v = parse(raw);
                if v.is_none() {
                    self.err(expected.at(name.into()));
                }
                v
            }
        }
    }

    pub(super) fn csn(&mut self, name: &str) -> Option<Csn> {
        self.parsed(name, csn_expected(), |s| Csn::parse(s).ok())
    }

    pub(super) fn country(&mut self, name: &str) -> Option<String> {
        let expected = Expected::new("country-format", Vec::new(), CountryCode::EXPECTED);
        self.parsed(name, expected, |s| CountryCode::parse(s).map(String::from))
    }

    pub(super) fn email(&mut self, name: &str) -> Option<String> {
        let expected = Expected::new("email-format", Vec::new(), EmailAddress::EXPECTED);
        self.parsed(name, expected, |s| EmailAddress::parse(s).map(String::from))
    }

    pub(super) fn date(&mut self, name: &str) -> Option<Date> {
        let expected = Expected::new("expected-date", Vec::new(), DATE_EXPECTED);
        self.parsed(name, expected, parse_date)
    }

    pub(super) fn bool_or(&mut self, name: &str, default: bool) -> bool {
        match self.obj.get(name) {
            None | Some(Value::Null) => default,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.err(FieldError::coded(
                    name,
                    "import-expected-bool",
                    Vec::new(),
                    "expected true or false",
                ));
                default
            }
        }
    }

    /// The record's errors, or — when there are none — the value `build`
    /// makes of the fields read. Every field that failed to read has left
    /// an error, so without errors `build` finds every field it needs.
    pub(super) fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, FieldErrors> {
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        build().ok_or(self.errors)
    }
}

/// A CSN, as the field expects it.
pub(super) fn csn_expected() -> Expected {
    Expected::new(Csn::CODE, Vec::new(), Csn::EXPECTED)
}

/// Text of 1 to `max` characters (not only spaces) was expected at `path`.
pub(super) fn text_length(path: String, max: usize) -> FieldError {
    FieldError::coded(
        path,
        "expected-text",
        vec![("max", max.to_string())],
        format!("expected 1–{max} characters"),
    )
}
