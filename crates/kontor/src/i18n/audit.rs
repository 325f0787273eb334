//! An audit entry's change as people read it (#19): each field that
//! changed named in the reader's language, its value before and after in
//! words — statuses, roles and levels by their labels, yes/no, times in
//! the reader's zone — instead of the stored JSON.

use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::Tr;

/// One field of a change: its name, and the value before and after
/// (empty where the field did not exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

impl Tr {
    /// The fields that differ between `before` and `after`, in the order
    /// of their stored names (a stable order from one entry to the next). A value that is not an object (rare) is one
    /// field without a name.
    pub fn audit_changes(&self, before: &Value, after: &Value) -> Vec<FieldChange> {
        let empty = Map::new();
        let (b, a) = match (before, after) {
            (Value::Object(b), Value::Object(a)) => (b, a),
            (Value::Null, Value::Object(a)) => (&empty, a),
            (Value::Object(b), Value::Null) => (b, &empty),
            (Value::Null, Value::Null) => return Vec::new(),
            _ => {
                return vec![FieldChange {
                    field: String::new(),
                    before: self.audit_value("", before),
                    after: self.audit_value("", after),
                }];
            }
        };
        let mut keys: Vec<&String> = a.keys().collect();
        keys.extend(b.keys().filter(|k| !a.contains_key(*k)));
        keys.into_iter()
            .filter(|k| b.get(*k) != a.get(*k))
            .map(|k| FieldChange {
                field: self.label("audit-field", k),
                before: b.get(k).map(|v| self.audit_value(k, v)).unwrap_or_default(),
                after: a.get(k).map(|v| self.audit_value(k, v)).unwrap_or_default(),
            })
            .collect()
    }

    /// A stored value in words: codes of known kinds by their labels,
    /// times (unix milliseconds or RFC 3339) in the reader's zone.
    pub fn audit_value(&self, key: &str, v: &Value) -> String {
        match v {
            Value::Null => "–".to_owned(),
            Value::Bool(b) => self.t(if *b { "yes" } else { "no" }),
            Value::Number(n) if is_time(key) => n
                .as_i64()
                .and_then(unix_time)
                .map(|t| self.datetime(t))
                .unwrap_or_else(|| n.to_string()),
            Value::Number(n) => n.to_string(),
            Value::String(s) => self.audit_text(key, s),
            Value::Array(items) => items
                .iter()
                .map(|i| self.audit_value(key, i))
                .collect::<Vec<_>>()
                .join(", "),
            // A product line ("AutoCAD (5 Plätze)"), else the fields in words.
            Value::Object(o) => match (
                o.get("name").and_then(Value::as_str),
                o.get("seats").and_then(Value::as_i64),
            ) {
                (Some(name), Some(seats)) => self.ta(
                    "wizard-product",
                    &[("name", name.to_owned().into()), ("seats", seats.into())],
                ),
                _ => o
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            "{}: {}",
                            self.label("audit-field", k),
                            self.audit_value(k, v)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            },
        }
    }

    fn audit_text(&self, key: &str, s: &str) -> String {
        if is_time(key)
            && let Ok(t) = OffsetDateTime::parse(s, &Rfc3339)
        {
            return self.datetime(t);
        }
        let kind = match key {
            "status" => "audit-status",
            "role" => "role",
            "support_level" => "support",
            "lang" => "language",
            "program" => "program",
            "kind" => "kind",
            "reasons" => "reason-label",
            "muted" | "event_types" => "audit-event",
            "waiting_on" => "case-side",
            _ => return s.to_owned(),
        };
        self.label(kind, s)
    }
}

/// A stored unix time: some entries hold seconds (a request's `due_at`),
/// others milliseconds; no time kontor records is near enough to 1973
/// (10^11 milliseconds) for the two to be confused.
fn unix_time(n: i64) -> Option<OffsetDateTime> {
    let nanos = if n.abs() < 100_000_000_000 {
        i128::from(n) * 1_000_000_000
    } else {
        i128::from(n) * 1_000_000
    };
    OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
}

/// Whether a field holds a time.
fn is_time(key: &str) -> bool {
    key.ends_with("_at") || key.ends_with("_until")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::i18n::Tr;
    use kontor_core::domain::roles::Lang;

    #[test]
    fn only_what_changed_is_named_with_values_in_words() {
        let tr = Tr::new(Lang::De);
        let changes = tr.audit_changes(
            &json!({ "status": "pending", "role": "user", "name": "Carla" }),
            &json!({ "status": "applied", "role": "secondary_admin", "name": "Carla", "enabled": true }),
        );
        let rows: Vec<(&str, &str, &str)> = changes
            .iter()
            .map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                ("Aktiv", "", "Ja"),
                ("Rolle", "Benutzer", "Administrator"),
                ("Status", "In Bearbeitung", "Durchgeführt"),
            ]
        );
    }

    #[test]
    fn times_read_in_the_readers_zone_and_products_as_lines() {
        let tr = Tr::new(Lang::En);
        let changes = tr.audit_changes(
            &Value::Null,
            &json!({ "expires_at": 1_796_083_200_000_i64, "products": [{ "name": "Revit", "seats": 2 }] }),
        );
        assert_eq!(changes[0].after, "1 December 2026, 12:00 am");
        // Seconds, as some entries hold them, read the same.
        let seconds = tr.audit_changes(&Value::Null, &json!({ "due_at": 1_796_083_200_i64 }));
        assert_eq!(seconds[0].after, "1 December 2026, 12:00 am");
        assert_eq!(changes[1].after, "Revit (2 seats)");
        assert!(
            tr.audit_changes(&json!({ "a": 1 }), &json!({ "a": 1 }))
                .is_empty()
        );
        let turn = tr.audit_changes(
            &json!({ "waiting_on": "support" }),
            &json!({ "waiting_on": "customer" }),
        );
        assert_eq!(
            (
                turn[0].field.as_str(),
                turn[0].before.as_str(),
                turn[0].after.as_str()
            ),
            ("Waiting on", "Support", "Customer")
        );
    }
}
