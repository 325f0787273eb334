//! Transfer codes (#22 point 2): a customer's admin creates a code for one
//! or more agreements and hands it to the new partner, who redeems it to
//! request the change. Redeeming is the partner's consent.
//!
//! A code is 20 characters of Crockford's base32 — 100 random bits, shown
//! as five groups of four — and is kept only as its SHA-256. Typing is
//! forgiving: case, spaces and hyphens do not matter, and the letters
//! Crockford maps (O → 0, I and L → 1) are read as those digits. A code is
//! single use: once redeemed, revoked or expired it is spent.

use serde::Serialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

use super::agreement::str_enum;
use super::ids::{AgreementNumber, Csn};
use super::roles::UserId;

/// Characters of a code.
pub const LEN: usize = 20;
/// Random bytes a code is made from (the first 100 bits are used).
pub const RANDOM_BYTES: usize = 13;
/// Most agreements one code may cover.
pub const MAX_AGREEMENTS: usize = 100;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The code made from `random`, in groups: `XXXX-XXXX-XXXX-XXXX-XXXX`.
pub fn encode(random: &[u8; RANDOM_BYTES]) -> String {
    let mut bits: u128 = 0;
    for b in random {
        bits = (bits << 8) | u128::from(*b);
    }
    // 104 bits in; the top 100 make 20 characters of 5 bits.
    bits >>= 4;
    let mut out = String::with_capacity(LEN + 4);
    for i in 0..LEN {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        let shift = 5 * (LEN - 1 - i);
        out.push(char::from(ALPHABET[((bits >> shift) & 31) as usize]));
    }
    out
}

/// The canonical form of a typed code (20 upper-case characters, no
/// separators), or `None` when it cannot be a code.
pub fn normalise(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(LEN);
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' | '\t' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
            _ => return None,
        };
        if out.len() == LEN {
            return None;
        }
        out.push(c);
    }
    (out.len() == LEN).then_some(out)
}

/// What is stored of a code: the SHA-256 of its canonical form, hex.
pub fn hash(canonical: &str) -> String {
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// The last four characters of a canonical code, shown so that an admin
/// can tell codes apart without the code being kept.
pub fn hint(canonical: &str) -> String {
    canonical[canonical.len().saturating_sub(4)..].to_owned()
}

str_enum!(
    /// Where a code stands.
    CodeStatus {
        /// May be redeemed.
        Active = "active",
        /// Redeemed by a partner.
        Redeemed = "redeemed",
        /// Revoked by an admin.
        Revoked = "revoked",
        /// Its time ran out.
        Expired = "expired",
    }
);

/// A transfer code as kept (never the code itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferCode {
    /// Identifier (UUIDv7).
    pub id: Uuid,
    /// The code's last four characters.
    pub hint: String,
    /// The customer account.
    pub account: Csn,
    /// The agreements it covers.
    pub agreements: Vec<AgreementNumber>,
    /// The admin who created it; the requests it makes are theirs.
    pub created_by: UserId,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// It may be redeemed before this instant, not at it.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// When it was redeemed.
    #[serde(with = "time::serde::rfc3339::option")]
    pub redeemed_at: Option<OffsetDateTime>,
    /// The partner person who redeemed it.
    pub redeemed_by: Option<UserId>,
    /// The partner that redeemed it.
    pub redeemed_partner: Option<Csn>,
    /// When it was revoked.
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
    /// Who revoked it.
    pub revoked_by: Option<UserId>,
}

impl TransferCode {
    /// Where it stands at `now`.
    pub fn status(&self, now: OffsetDateTime) -> CodeStatus {
        if self.redeemed_at.is_some() {
            CodeStatus::Redeemed
        } else if self.revoked_at.is_some() {
            CodeStatus::Revoked
        } else if now >= self.expires_at {
            CodeStatus::Expired
        } else {
            CodeStatus::Active
        }
    }

    /// Whether it may be redeemed (or revoked) at `now`.
    pub fn usable(&self, now: OffsetDateTime) -> bool {
        self.status(now) == CodeStatus::Active
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;
    use time::macros::datetime;

    #[test]
    fn a_code_is_twenty_characters_in_five_groups() {
        let code = encode(&[0xff; RANDOM_BYTES]);
        assert_eq!(code, "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        let code = encode(&[0; RANDOM_BYTES]);
        assert_eq!(code, "0000-0000-0000-0000-0000");
        // The lowest of the 100 bits used is bit 4 of the last byte.
        let mut one = [0; RANDOM_BYTES];
        one[RANDOM_BYTES - 1] = 0x10;
        assert_eq!(encode(&one), "0000-0000-0000-0000-0001");
        one[RANDOM_BYTES - 1] = 0x0f;
        assert_eq!(encode(&one), "0000-0000-0000-0000-0000");
    }

    #[test]
    fn typing_is_forgiving_but_exact_in_length_and_alphabet() {
        let code = encode(&[0x5a; RANDOM_BYTES]);
        let canonical = normalise(&code).unwrap();
        assert_eq!(canonical.len(), LEN);
        assert_eq!(normalise(&code.to_lowercase()), Some(canonical.clone()));
        assert_eq!(
            normalise(&format!("  {} ", code.replace('-', " "))),
            Some(canonical.clone())
        );
        assert_eq!(
            normalise("OIL0-0000-0000-0000-0000"),
            Some("01100000000000000000".into())
        );
        assert_eq!(normalise(&canonical[..LEN - 1]), None);
        assert_eq!(normalise(&format!("{canonical}0")), None);
        // U is not in Crockford's alphabet; nor is anything non-ASCII.
        assert_eq!(normalise("U000-0000-0000-0000-0000"), None);
        assert_eq!(normalise("Ä000-0000-0000-0000-0000"), None);
        assert_eq!(normalise(""), None);
    }

    #[test]
    fn the_hash_is_of_the_canonical_form() {
        let a = normalise("abcd-efgh-jkmn-pqrs-tvwx").unwrap();
        let b = normalise("ABCDEFGHJKMNPQRSTVWX").unwrap();
        assert_eq!(hash(&a), hash(&b));
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), hash(&normalise("ABCDEFGHJKMNPQRSTVWY").unwrap()));
        assert_eq!(hint(&a), "TVWX");
    }

    fn code(expires_at: OffsetDateTime) -> TransferCode {
        TransferCode {
            id: Uuid::nil(),
            hint: "TVWX".into(),
            account: Csn::parse("7000000001").unwrap(),
            agreements: vec![],
            created_by: UserId(Uuid::nil()),
            created_at: expires_at - Duration::hours(72),
            expires_at,
            redeemed_at: None,
            redeemed_by: None,
            redeemed_partner: None,
            revoked_at: None,
            revoked_by: None,
        }
    }

    #[test]
    fn usable_until_its_last_minute_and_not_at_expiry() {
        let end = datetime!(2026-12-01 12:00 UTC);
        let c = code(end);
        assert!(c.usable(end - Duration::minutes(1)));
        assert!(c.usable(end - Duration::nanoseconds(1)));
        assert!(!c.usable(end));
        assert_eq!(c.status(end), CodeStatus::Expired);
        assert!(!c.usable(end + Duration::minutes(1)));
    }

    #[test]
    fn a_spent_code_stays_spent() {
        let end = datetime!(2026-12-01 12:00 UTC);
        let early = end - Duration::hours(1);
        let redeemed = TransferCode {
            redeemed_at: Some(early),
            ..code(end)
        };
        assert_eq!(redeemed.status(early), CodeStatus::Redeemed);
        assert_eq!(redeemed.status(end), CodeStatus::Redeemed);
        assert!(!redeemed.usable(early));
        let revoked = TransferCode {
            revoked_at: Some(early),
            ..code(end)
        };
        assert_eq!(revoked.status(early), CodeStatus::Revoked);
        assert!(!revoked.usable(early));
    }
}
