//! Validated values besides the identifiers of `ids` (R2): email
//! addresses, country codes, ISO dates, and the rules of passwords with the
//! contract of their hasher. Every edge — import, people, directory, API,
//! CLI, storage — checks them here, the same way.

use time::Date;

/// An email address as kontor keeps it: trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// What a person is told is expected.
    pub const EXPECTED: &'static str = "an email address such as anna@example.com";

    /// Checks and normalises `raw`; `None` when it is no email address.
    pub fn parse(raw: &str) -> Option<EmailAddress> {
        parse_email(raw).map(EmailAddress)
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<EmailAddress> for String {
    fn from(e: EmailAddress) -> String {
        e.0
    }
}

impl std::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An ISO 3166-1 alpha-2 country code (`DE`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountryCode(String);

impl CountryCode {
    /// What a person is told is expected.
    pub const EXPECTED: &'static str = "an ISO 3166-1 alpha-2 country code such as DE";

    /// Checks `raw` (surrounding whitespace trimmed).
    pub fn parse(raw: &str) -> Option<CountryCode> {
        parse_country(raw).map(CountryCode)
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> String {
        c.0
    }
}

/// What a person is told a date looks like.
pub const DATE_EXPECTED: &str = "a date as YYYY-MM-DD";

/// Shortest password a person chooses for themselves (a reset; their settings).
pub const MIN_CHOSEN_PASSWORD: usize = 10;
/// Longest password accepted: the estimator's work grows with the length,
/// and nobody types more.
pub const MAX_PASSWORD: usize = 200;

/// Why a password a person chose for themselves is refused, as a field
/// error on `field`, or `None` when it is good enough: at least
/// [`MIN_CHOSEN_PASSWORD`] characters and — by zxcvbn, the estimator that
/// knows common passwords, words, names, keyboard patterns and dates — not
/// guessable in fewer than about 10^8 tries (score 3 of 4); and not
/// containing what the person is known by (`their_words`: parts of their
/// email, name and company of four letters or more).
///
/// A wrong length is malformed input ([`crate::Error::Invalid`], what a
/// schema says); a guessable or personal password is refused by the rule
/// ([`crate::Error::Refused`]).
pub fn chosen_password_problem(
    field: &str,
    password: &str,
    their_words: &[&str],
) -> Option<crate::Error> {
    use crate::Error::{Invalid, Refused};
    let length = password.chars().count();
    if length < MIN_CHOSEN_PASSWORD {
        return Some(Invalid(vec![crate::FieldError::coded(
            field,
            "password-length",
            vec![("min", MIN_CHOSEN_PASSWORD.to_string())],
            format!("expected at least {MIN_CHOSEN_PASSWORD} characters"),
        )]));
    }
    if length > MAX_PASSWORD {
        return Some(Invalid(vec![crate::FieldError::coded(
            field,
            "password-too-long",
            vec![("max", MAX_PASSWORD.to_string())],
            format!("expected at most {MAX_PASSWORD} characters"),
        )]));
    }
    // Parts of an address count as words: "anna", "muster", "example".
    let lower: Vec<String> = their_words.iter().map(|w| w.to_lowercase()).collect();
    let words: Vec<&str> = lower
        .iter()
        .flat_map(|w| w.split(['@', '.', ' ', '-', '_']))
        .filter(|w| w.chars().count() >= 3)
        .collect();
    let folded = password.to_lowercase();
    if let Some(word) = words
        .iter()
        .find(|w| w.chars().count() >= 4 && folded.contains(*w))
    {
        return Some(Refused(vec![crate::FieldError::coded(
            field,
            "password-personal",
            vec![("word", (*word).to_owned())],
            format!("must not contain your name, your company or your email address ({word})"),
        )]));
    }
    let estimate = zxcvbn::zxcvbn(password, &words);
    (u8::from(estimate.score()) < 3).then(|| {
        Refused(vec![crate::FieldError::coded(
            field,
            "password-weak",
            Vec::new(),
            "too easy to guess (a common password, a word, a name or a pattern); \
             a few unrelated words make a strong one",
        )])
    })
}

/// Shortest password an operator provisions (import, `kontor user create`);
/// the person is expected to replace it.
pub const MIN_PROVISIONED_PASSWORD: usize = 8;

/// Lower-cases and checks an email address: at most 254 characters as
/// given, surrounding whitespace trimmed, then one `@` after a non-empty
/// local part, a domain with a dot neither first nor last, no whitespace or
/// control characters. (`web::dto::email_schema` says the same as a pattern.)
fn parse_email(raw: &str) -> Option<String> {
    if raw.chars().count() > 254 {
        return None;
    }
    let e = raw.trim().to_lowercase();
    let (local, domain) = e.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(e)
}

/// Checks an ISO 3166-1 alpha-2 country code (two upper-case letters).
fn parse_country(raw: &str) -> Option<String> {
    let c = raw.trim();
    (c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())).then(|| c.to_owned())
}

/// Parses an ISO date: exactly `YYYY-MM-DD`, no sign, no other widths.
pub fn parse_date(raw: &str) -> Option<Date> {
    let b = raw.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return None;
    }
    Date::parse(
        raw,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// Hashes and verifies passwords (argon2id in the binary).
pub trait PasswordHasher: Send + Sync {
    /// A PHC string for `password`.
    fn hash(&self, password: &str) -> anyhow::Result<String>;
    /// True when `password` matches `phc`.
    fn verify(&self, password: &str, phc: &str) -> bool;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Length first (9 vs 10 characters), then guessability: common
    /// passwords, keyboard walks and the person's own name and address are
    /// refused however long; a few unrelated words pass.
    #[test]
    fn chosen_passwords_are_long_and_hard_to_guess() {
        let me = ["anna@muster.example", "Anna Admin", "Muster Bau AG"];
        let code = |pw: &str| match chosen_password_problem("password", pw, &me) {
            Some(crate::Error::Invalid(e)) => Some(("invalid", e[0].code)),
            Some(crate::Error::Refused(e)) => Some(("refused", e[0].code)),
            Some(other) => panic!("{other:?}"),
            None => None,
        };
        assert_eq!(code("Xq7#mP2!z"), Some(("invalid", "password-length")));
        assert_eq!(
            code(&"a".repeat(MAX_PASSWORD + 1)),
            Some(("invalid", "password-too-long"))
        );
        for weak in [
            "password123",
            "qwertzuiop",
            "1234567890",
            "iloveyou1234",
            "aaaaaaaaaaaa",
        ] {
            assert_eq!(code(weak), Some(("refused", "password-weak")), "{weak}");
        }
        for personal in ["annamuster2026", "Muster Bau AG!", "x-ANNA-x-1f9Q#z"] {
            assert_eq!(
                code(personal),
                Some(("refused", "password-personal")),
                "{personal}"
            );
        }
        for strong in [
            "Kaffeetasse Mondlicht Schraube",
            "correct horse battery staple",
            "Xq7#mP2!zR",
        ] {
            assert_eq!(code(strong), None, "{strong}");
        }
    }

    #[test]
    fn dates_are_exactly_yyyy_mm_dd() {
        assert!(parse_date("2027-12-31").is_some());
        assert!(parse_date("2028-02-29").is_some());
        for bad in [
            "2027-02-29",
            "2027-13-01",
            "+2027-12-31",
            "2027-1-31",
            "27-12-31",
            "2027-12-31 ",
            "２０２７-12-31",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn emails_have_one_at_and_a_dotted_domain_of_at_most_254_characters() {
        assert_eq!(
            parse_email(" Anna@Muster.Example ").as_deref(),
            Some("anna@muster.example")
        );
        assert!(parse_email("a@b..c").is_some());
        let long = format!("{}@b.de", "a".repeat(249));
        assert_eq!(long.chars().count(), 254);
        assert!(parse_email(&long).is_some());
        assert_eq!(parse_email(&format!("a{long}")), None);
        for bad in [
            "",
            "a",
            "@b.de",
            "a@",
            "a@bde",
            "a@.b.de",
            "a@b.de.",
            "a@b@c.de",
            "a b@c.de",
            "a@b.d\u{0}e",
            "a\u{a0}b@c.de",
        ] {
            assert_eq!(parse_email(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_newtypes_keep_what_the_checks_normalise() {
        assert_eq!(
            EmailAddress::parse(" Anna@Muster.Example ").map(String::from),
            Some("anna@muster.example".to_owned())
        );
        assert_eq!(EmailAddress::parse("nope"), None);
        assert_eq!(
            CountryCode::parse(" DE ").map(String::from),
            Some("DE".to_owned())
        );
        for bad in ["de", "DEU", "D", ""] {
            assert_eq!(CountryCode::parse(bad), None, "{bad:?}");
        }
    }
}
