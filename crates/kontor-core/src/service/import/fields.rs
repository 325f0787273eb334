//! Reading one record's fields, collecting every error with its path.

use serde_json::{Map, Value};
use time::Date;

use crate::domain::ids::Csn;
use crate::domain::values::{CountryCode, DATE_EXPECTED, EmailAddress, parse_date};

/// A record's problems, each as (field path, message).
pub(super) type FieldErrors = Vec<(String, String)>;

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
                f.err(
                    key,
                    format!("unknown field; expected one of: {}", allowed.join(", ")),
                );
            }
        }
        f
    }

    pub(super) fn path(&self, name: &str) -> String {
        format!("{}{}", self.prefix, name)
    }

    pub(super) fn err(&mut self, name: &str, message: impl Into<String>) {
        let path = self.path(name);
        self.errors.push((path, message.into()));
    }

    pub(super) fn str_opt(&mut self, name: &str) -> Option<&'a str> {
        match self.obj.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(_) => {
                self.err(name, "expected a string");
                None
            }
        }
    }

    pub(super) fn text(&mut self, name: &str, max: usize) -> Option<String> {
        match self.str_opt(name).map(str::trim) {
            None => {
                self.err(name, "required");
                None
            }
            Some(s) if s.is_empty() || s.chars().count() > max => {
                self.err(name, format!("expected 1–{max} characters"));
                None
            }
            Some(s) => Some(s.to_owned()),
        }
    }

    pub(super) fn parsed<T>(
        &mut self,
        name: &str,
        expected: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        match self.str_opt(name) {
            None => {
                self.err(name, format!("required: {expected}"));
                None
            }
            Some(raw) => {
                let v = parse(raw);
                if v.is_none() {
                    self.err(name, format!("expected {expected}"));
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
        expected: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        match self.str_opt(name) {
            None => Some(default),
            Some(raw) => {
                let v = parse(raw);
                if v.is_none() {
                    self.err(name, format!("expected {expected}"));
                }
                v
            }
        }
    }

    pub(super) fn csn(&mut self, name: &str) -> Option<Csn> {
        self.parsed(name, Csn::EXPECTED, |s| Csn::parse(s).ok())
    }

    pub(super) fn country(&mut self, name: &str) -> Option<String> {
        self.parsed(name, CountryCode::EXPECTED, |s| {
            CountryCode::parse(s).map(String::from)
        })
    }

    pub(super) fn email(&mut self, name: &str) -> Option<String> {
        self.parsed(name, EmailAddress::EXPECTED, |s| {
            EmailAddress::parse(s).map(String::from)
        })
    }

    pub(super) fn date(&mut self, name: &str) -> Option<Date> {
        self.parsed(name, DATE_EXPECTED, parse_date)
    }

    pub(super) fn bool_or(&mut self, name: &str, default: bool) -> bool {
        match self.obj.get(name) {
            None | Some(Value::Null) => default,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.err(name, "expected true or false");
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
