//! Driver errors as store errors, for both backends.

use kontor_core::StoreError;

/// The unique constraints a caller tells apart (what [`StoreError::Conflict`]
/// names): PostgreSQL reports a violated constraint by name, SQLite by its
/// columns in the message.
const UNIQUE_RULES: [(&str, &str, &str); 4] = [
    (
        "open_requests_pkey",
        "change_requests.agreement_number",
        "open_request",
    ),
    (
        "users_one_primary_admin",
        "users.account_csn",
        "primary_admin",
    ),
    ("users_email_key", "users.email", "email"),
    (
        "renewal_one_scheduled",
        "renewal_partners.agreement_number",
        "renewal_partner",
    ),
];

/// Maps driver errors: unique violations to `Conflict` naming the rule.
pub fn map_err(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        let postgres = db.code().as_deref() == Some("23505");
        let sqlite = db.message().contains("UNIQUE constraint failed");
        if postgres || sqlite {
            let what = UNIQUE_RULES
                .iter()
                .find(|(constraint, columns, _)| {
                    db.constraint() == Some(constraint)
                        || (sqlite && db.message().contains(columns))
                })
                .map_or("unique", |(_, _, what)| what);
            return StoreError::Conflict(what);
        }
    }
    StoreError::Other(anyhow::Error::new(e))
}

/// Driver results as store results, with what failed.
pub trait Ctx<T> {
    fn ctx(self, what: &'static str) -> Result<T, StoreError>;
}

impl<T> Ctx<T> for Result<T, sqlx::Error> {
    fn ctx(self, what: &'static str) -> Result<T, StoreError> {
        self.map_err(|e| match map_err(e) {
            StoreError::Other(e) => StoreError::Other(e.context(what)),
            other => other,
        })
    }
}
