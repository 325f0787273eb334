//! Identifiers (SPEC "Identifiers", R2): validated and normalised on every input.
//!
//! Spaces and dashes are removed before validation, so `"7000-000 001"` and
//! `"7000000001"` name the same account.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why an identifier was refused; the message names the expected format (R2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected {expected}")]
pub struct IdError {
    /// Human description of the expected format, e.g. "exactly 10 digits".
    pub expected: &'static str,
    /// The message's key in the translations (`error-<code>`), e.g.
    /// `expected-csn`.
    pub code: &'static str,
}

impl IdError {
    /// The error as the invalid `field`'s (R2).
    pub fn at(&self, field: impl Into<String>) -> crate::FieldError {
        crate::FieldError::coded(
            field,
            self.code,
            Vec::new(),
            format!("expected {}", self.expected),
        )
    }
}

/// Strips the separators people type (spaces, dashes) and checks the rest is
/// exactly `len` ASCII digits.
fn normalise_digits(
    raw: &str,
    len: usize,
    expected: &'static str,
    code: &'static str,
) -> Result<String, IdError> {
    let digits: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.len() == len && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(IdError { expected, code })
    }
}

macro_rules! digit_id {
    ($(#[$doc:meta])* $name:ident, $len:expr, $expected:expr, $code:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Number of digits this identifier has.
            pub const LEN: usize = $len;
            /// The expected format, as shown in error messages.
            pub const EXPECTED: &'static str = $expected;
            /// The key of the expected format in the translations.
            pub const CODE: &'static str = $code;

            /// Normalises (removes spaces and dashes) and validates.
            pub fn parse(raw: &str) -> Result<Self, IdError> {
                normalise_digits(raw, $len, $expected, $code).map(Self)
            }

            /// The normalised digits.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(raw: String) -> Result<Self, IdError> {
                Self::parse(&raw)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(raw: &str) -> Result<Self, IdError> {
                Self::parse(raw)
            }
        }
    };
}

digit_id!(
    /// Customer or partner account number (CSN): exactly 10 digits.
    Csn,
    10,
    "exactly 10 digits (CSN)",
    "expected-csn"
);
digit_id!(
    /// Contract number of a contract-kind agreement: exactly 12 digits.
    ContractNumber,
    12,
    "exactly 12 digits (contract number)",
    "expected-contract-number"
);
digit_id!(
    /// Subscription ID of a subscription-kind agreement: exactly 14 digits.
    SubscriptionId,
    14,
    "exactly 14 digits (subscription ID)",
    "expected-subscription-id"
);

/// The two buying processes an agreement can come from (SPEC "Agreements").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    /// Older process, identified by a 12-digit contract number.
    Contract,
    /// Newer process, identified by a 14-digit subscription ID.
    Subscription,
}

impl AgreementKind {
    /// Stable lower-case name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Contract => "contract",
            Self::Subscription => "subscription",
        }
    }

    /// Parses the stable name.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "contract" => Some(Self::Contract),
            "subscription" => Some(Self::Subscription),
            _ => None,
        }
    }
}

/// An agreement's number: a contract number or a subscription ID. The kind
/// follows from the length, so one path parameter addresses both.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgreementNumber(String);

impl AgreementNumber {
    /// Expected format for error messages.
    pub const EXPECTED: &'static str =
        "a contract number (12 digits) or a subscription ID (14 digits)";
    /// The key of the expected format in the translations.
    pub const CODE: &'static str = "expected-agreement-number";

    /// Accepts either form, normalised.
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        if let Ok(c) = ContractNumber::parse(raw) {
            return Ok(Self(c.0));
        }
        SubscriptionId::parse(raw)
            .map(|s| Self(s.0))
            .map_err(|_| IdError {
                expected: Self::EXPECTED,
                code: Self::CODE,
            })
    }

    /// Parses and requires the given kind.
    pub fn parse_kind(raw: &str, kind: AgreementKind) -> Result<Self, IdError> {
        match kind {
            AgreementKind::Contract => ContractNumber::parse(raw).map(|c| Self(c.0)),
            AgreementKind::Subscription => SubscriptionId::parse(raw).map(|s| Self(s.0)),
        }
    }

    /// Contract (12 digits) or subscription (14 digits).
    pub fn kind(&self) -> AgreementKind {
        if self.0.len() == ContractNumber::LEN {
            AgreementKind::Contract
        } else {
            AgreementKind::Subscription
        }
    }

    /// The normalised digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AgreementNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for AgreementNumber {
    type Error = IdError;
    fn try_from(raw: String) -> Result<Self, IdError> {
        Self::parse(&raw)
    }
}

impl From<AgreementNumber> for String {
    fn from(n: AgreementNumber) -> String {
        n.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn csn_accepts_exactly_ten_digits() {
        assert_eq!(Csn::parse("7000000001").unwrap().as_str(), "7000000001");
        assert!(Csn::parse("700000000").is_err());
        assert!(Csn::parse("70000000011").is_err());
        assert!(Csn::parse("70000000a1").is_err());
        assert!(Csn::parse("").is_err());
    }

    #[test]
    fn separators_are_removed_before_validation() {
        assert_eq!(Csn::parse(" 7000-000 001 ").unwrap().as_str(), "7000000001");
        assert_eq!(
            ContractNumber::parse("1100-0000-0001").unwrap().as_str(),
            "110000000001"
        );
    }

    #[test]
    fn non_ascii_digits_are_refused() {
        // Arabic-Indic digits are "numeric" in Unicode but not a CSN.
        assert!(Csn::parse("٧٠٠٠٠٠٠٠٠١").is_err());
        assert!(Csn::parse("7000000001\u{0}").is_err());
    }

    #[test]
    fn agreement_number_kind_follows_length() {
        let c = AgreementNumber::parse("110000000001").unwrap();
        assert_eq!(c.kind(), AgreementKind::Contract);
        let s = AgreementNumber::parse("12000000000001").unwrap();
        assert_eq!(s.kind(), AgreementKind::Subscription);
        let err = AgreementNumber::parse("1234567890123").unwrap_err();
        assert_eq!(err.expected, AgreementNumber::EXPECTED);
    }

    #[test]
    fn parse_kind_requires_matching_length() {
        assert!(AgreementNumber::parse_kind("110000000001", AgreementKind::Subscription).is_err());
        assert!(AgreementNumber::parse_kind("12000000000001", AgreementKind::Contract).is_err());
    }

    #[test]
    fn serde_rejects_malformed_ids() {
        assert!(serde_json::from_str::<Csn>("\"123\"").is_err());
        assert_eq!(
            serde_json::from_str::<Csn>("\"51-00000001\"")
                .unwrap()
                .as_str(),
            "5100000001"
        );
    }

    proptest! {
        #[test]
        fn any_ten_digits_with_separators_normalise_to_the_digits(
            digits in "[0-9]{10}",
            seps in proptest::collection::vec(prop_oneof![Just(" "), Just("-"), Just("")], 11),
        ) {
            let mut raw = String::new();
            for (i, d) in digits.chars().enumerate() {
                raw.push_str(seps[i]);
                raw.push(d);
            }
            raw.push_str(seps[10]);
            let csn = Csn::parse(&raw).unwrap();
            prop_assert_eq!(csn.as_str(), digits.as_str());
        }

        #[test]
        fn parse_never_panics_and_accepts_only_normalised_digit_strings(raw in "\\PC{0,20}") {
            if let Ok(csn) = Csn::parse(&raw) {
                prop_assert_eq!(csn.as_str().len(), 10);
                prop_assert!(csn.as_str().bytes().all(|b| b.is_ascii_digit()));
            }
            let _ = AgreementNumber::parse(&raw);
        }

        #[test]
        fn wrong_digit_counts_are_refused(digits in "[0-9]{0,30}") {
            prop_assume!(digits.len() != 10);
            prop_assert!(Csn::parse(&digits).is_err());
        }

        #[test]
        fn normalised_form_round_trips(digits in "[0-9]{12}") {
            let n = AgreementNumber::parse(&digits).unwrap();
            prop_assert_eq!(AgreementNumber::parse(n.as_str()).unwrap(), n);
        }
    }
}
