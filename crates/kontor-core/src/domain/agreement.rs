//! Agreements, partners and partner history (SPEC "Agreements").

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::ids::{AgreementKind, AgreementNumber, Csn};

macro_rules! str_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Stable snake_case name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            /// Parses the stable name.
            pub fn parse(raw: &str) -> Option<Self> {
                match raw { $($text => Some($name::$variant),)+ _ => None }
            }
            /// "a, b or c" for error messages.
            pub fn expected() -> String {
                let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                names.join(", ")
            }
        }
    };
}
pub(crate) use str_enum;

str_enum!(
    /// Lifecycle status of an agreement.
    AgreementStatus {
        /// In force.
        Active = "active",
        /// Term ended.
        Expired = "expired",
        /// Ended early.
        Canceled = "canceled",
        /// Temporarily on hold.
        Suspended = "suspended",
    }
);

str_enum!(
    /// Support level included with an agreement.
    SupportLevel {
        /// Business-hours support.
        Standard = "standard",
        /// Faster response, named contact.
        Advanced = "advanced",
        /// Around the clock.
        Premium = "premium",
    }
);

impl SupportLevel {
    /// The highest of `levels` (standard < advanced < premium).
    pub fn highest(levels: impl IntoIterator<Item = SupportLevel>) -> Option<SupportLevel> {
        levels
            .into_iter()
            .max_by_key(|level| SupportLevel::ALL.iter().position(|l| l == level))
    }
}

str_enum!(
    /// Status of a partner in the directory.
    PartnerStatus {
        /// May be chosen as new partner.
        Active = "active",
        /// Still shown on history, but cannot be chosen (R5).
        Inactive = "inactive",
    }
);

/// The buying program; open-ended, but `eba_token_flex` matters to R4.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Program(String);

impl Program {
    /// Enterprise Business Agreement with Token Flex (R4 `token_flex_eba`).
    pub const EBA_TOKEN_FLEX: &'static str = "eba_token_flex";
    /// Expected format for error messages.
    pub const EXPECTED: &'static str = "a program name of 1–40 lower-case letters, digits or underscores (e.g. standard, eba_token_flex)";

    /// Validates a program name.
    pub fn parse(raw: &str) -> Option<Program> {
        let ok = !raw.is_empty()
            && raw.len() <= 40
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        ok.then(|| Program(raw.to_owned()))
    }

    /// The standard program.
    pub fn standard() -> Program {
        Program("standard".into())
    }

    /// True for an EBA with Token Flex.
    pub fn is_token_flex_eba(&self) -> bool {
        self.0 == Self::EBA_TOKEN_FLEX
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Program {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Program::parse(&raw).ok_or_else(|| format!("expected {}", Program::EXPECTED))
    }
}

impl From<Program> for String {
    fn from(p: Program) -> String {
        p.0
    }
}

/// One product line of an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductLine {
    /// Product name, e.g. "AutoCAD".
    pub name: String,
    /// Number of seats.
    pub seats: u32,
}

/// An agreement with its current partners of record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agreement {
    /// Contract number or subscription ID.
    pub number: AgreementNumber,
    /// The customer account it belongs to.
    pub account: Csn,
    /// Product lines.
    pub products: Vec<ProductLine>,
    /// First day of the term.
    pub term_start: Date,
    /// Last day of the term.
    pub term_end: Date,
    /// Renews automatically at term end.
    pub auto_renew: bool,
    /// Buying program.
    pub program: Program,
    /// Included support level.
    pub support_level: SupportLevel,
    /// Lifecycle status.
    pub status: AgreementStatus,
    /// Current partners of record (at least one), sorted by CSN.
    pub partners: Vec<Csn>,
}

impl Agreement {
    /// Contract or subscription, from the number.
    pub fn kind(&self) -> AgreementKind {
        self.number.kind()
    }

    /// Whole days from `today` to the last day of the term (negative once expired).
    pub fn days_left(&self, today: Date) -> i64 {
        (self.term_end - today).whole_days()
    }
}

/// A partner from the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Partner {
    /// Partner CSN.
    pub csn: Csn,
    /// Company name.
    pub name: String,
    /// City.
    pub city: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Directory status.
    pub status: PartnerStatus,
    /// Where notifications go.
    pub email: String,
}

/// A customer account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    /// Account CSN.
    pub csn: Csn,
    /// Company name.
    pub name: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
}

str_enum!(
    /// How a partner assignment came about.
    AssignmentSource {
        /// Loaded by import.
        Import = "import",
        /// Self-service partner change (R3, R8).
        SelfService = "self_service",
        /// Named on a financial transaction (R3).
        Transaction = "transaction",
        /// Replaced by a support agent (R6).
        Support = "support",
    }
);

/// One period in which a partner was partner of record (never overwritten).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartnerAssignment {
    /// The partner.
    pub partner: Csn,
    /// Partner name at read time, for display.
    pub partner_name: String,
    /// When the assignment began.
    #[serde(with = "time::serde::rfc3339")]
    pub valid_from: OffsetDateTime,
    /// When it ended; `None` while current.
    #[serde(with = "time::serde::rfc3339::option")]
    pub valid_to: Option<OffsetDateTime>,
    /// How it came about.
    pub source: AssignmentSource,
}
