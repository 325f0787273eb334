//! The second factor's rules (#21): one-time codes by RFC 6238 (totp-rs)
//! — the current, the previous and the next 30-second step accepted, a
//! step once used never again; recovery codes, each usable once, kept only
//! as hashes; who must have a second factor and by when; how long a proof
//! of identity covers sensitive actions. Pure: the secret's randomness and
//! the time come from the caller (so tests move the clock).

use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use totp_rs::{Algorithm, Builder, Secret, Totp};

use super::agreement::str_enum;
use super::roles::Role;

/// Bytes of a TOTP secret (160 bits, as RFC 4226 recommends).
pub const SECRET_BYTES: usize = 20;
/// Recovery codes handed out at once.
pub const RECOVERY_CODES: usize = 10;
/// Random bytes behind one recovery code (50 bits are used: 10 base32
/// characters).
pub const RECOVERY_BYTES: usize = 7;

/// Why a one-time code is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRefused {
    /// Not six digits.
    Malformed,
    /// Not the code of this, the previous or the next step.
    Wrong,
    /// Right, but its step was used already (a code is good once).
    Reused,
}

/// A person's TOTP secret.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpKey(Vec<u8>);

impl std::fmt::Debug for TotpKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpKey(…)")
    }
}

impl TotpKey {
    /// A key from fresh random bytes.
    pub fn from_random(bytes: [u8; SECRET_BYTES]) -> TotpKey {
        TotpKey(bytes.to_vec())
    }

    /// A key as stored (base32, as authenticator apps show it).
    pub fn from_base32(stored: &str) -> Option<TotpKey> {
        let bytes = Secret::try_from_base32(stored).ok()?.as_ref().to_vec();
        (bytes.len() >= 16).then_some(TotpKey(bytes))
    }

    /// The key in base32 (to store, and to type into an app by hand).
    pub fn base32(&self) -> String {
        Secret::from(self.0.clone()).to_base32()
    }

    fn totp(&self, account: &str, skew: u16) -> Totp {
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(6)
            .with_skew(skew)
            .with_step_duration(30)
            .with_secret(self.0.clone())
            .with_account_name(account)
            .with_issuer(Some("kontor"))
            .build()
            // The parameters are fixed and valid; only an account name
            // with ':' is refused, and `otpauth_url` checks that first.
            .unwrap_or_else(|_| {
                Builder::new()
                    .with_secret(self.0.clone())
                    .build_noncompliant()
            })
    }

    /// The `otpauth://` link an authenticator app reads (as a QR code),
    /// naming the person by `account` (their email).
    pub fn otpauth_url(&self, account: &str) -> Option<String> {
        if account.is_empty() || account.contains(':') {
            return None;
        }
        self.totp(account, 1).to_url().ok()
    }

    /// The code of the step `at` falls in (tests, and showing what an app
    /// shows).
    pub fn code_at(&self, at: OffsetDateTime) -> String {
        self.totp("", 0).generate(unix(at)).to_string()
    }

    /// Checks `code` at `now`: the current, previous or next step's code
    /// is accepted once; `last_step` is the step of the last code accepted
    /// for this person, and no step up to it counts again. The step
    /// accepted is returned, to be stored as the new `last_step` (in the
    /// same write that accepts the code, so two requests cannot both use
    /// it).
    pub fn check(
        &self,
        code: &str,
        now: OffsetDateTime,
        last_step: Option<u64>,
    ) -> Result<u64, CodeRefused> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeRefused::Malformed);
        }
        // Each step of the window on its own (compared in constant time),
        // oldest first: the code of a step used already may recur later.
        let one_step = self.totp("", 0);
        let current = unix(now) / 30;
        let matching: Vec<u64> = [current.saturating_sub(1), current, current + 1]
            .into_iter()
            .filter(|step| one_step.check(&code, step * 30).is_some())
            .collect();
        match matching
            .iter()
            .find(|step| last_step.is_none_or(|last| **step > last))
        {
            Some(step) => Ok(*step),
            None if !matching.is_empty() => Err(CodeRefused::Reused),
            None => Err(CodeRefused::Wrong),
        }
    }
}

str_enum!(
    /// Who of a customer account must use a second factor, as the primary
    /// admin chose (#21).
    TwoFactorRule {
        /// Nobody must (each person may).
        Off = "off",
        /// The primary and secondary admins.
        Admins = "admins",
        /// Everyone of the account.
        Everyone = "everyone",
    }
);

/// Longest enrolment grace period an account can give, in days.
pub const MAX_GRACE_DAYS: i64 = 90;

/// An account's two-factor rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountSecurity {
    /// Who must.
    pub rule: TwoFactorRule,
    /// Days each person has to set one up, from `since` (or from when they
    /// joined, if later).
    pub grace_days: i64,
    /// When the rule was set.
    pub since: OffsetDateTime,
}

/// What decides whether a person must set up a second factor now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecondFactorFacts {
    /// They have one (an app or a passkey).
    pub enrolled: bool,
    /// When the person was created.
    pub joined_at: OffsetDateTime,
    /// When someone else removed their second factor (a new one is due at
    /// once), if that is what happened last.
    pub reset_at: Option<OffsetDateTime>,
    /// Their account's rule, for customer staff whose account set one.
    pub account: Option<AccountSecurity>,
    /// They can only sign in at their account's identity provider, which
    /// answers for their second factor (SSO required, not the break-glass
    /// primary admin).
    pub sso_only: bool,
}

/// Where a person stands with the two-factor rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// They have a second factor.
    Enrolled,
    /// Nobody requires one of them.
    Optional,
    /// Required; they may still sign in without one until then.
    Grace {
        /// The last moment without one.
        until: OffsetDateTime,
    },
    /// Required and overdue: they can do nothing but set one up.
    Due,
}

impl SecondFactorFacts {
    /// Whether a person in `role` must have a second factor: vendor staff
    /// always, customer staff when their account's rule covers them.
    pub fn required(&self, role: Role) -> bool {
        if role.is_vendor() {
            return true;
        }
        if self.sso_only {
            return false;
        }
        match self.account.map(|a| a.rule) {
            Some(TwoFactorRule::Everyone) => {
                role.tenant_kind() == super::roles::TenantKind::Account
            }
            Some(TwoFactorRule::Admins) => role.is_account_admin(),
            Some(TwoFactorRule::Off) | None => false,
        }
    }

    /// The person's standing at `now`; vendor staff get `staff_grace` from
    /// when they joined.
    pub fn standing(&self, role: Role, staff_grace: Duration, now: OffsetDateTime) -> Standing {
        if self.enrolled {
            return Standing::Enrolled;
        }
        if !self.required(role) {
            return Standing::Optional;
        }
        let until = match (self.reset_at, role.is_vendor(), self.account) {
            (Some(reset), _, _) => reset,
            (None, true, _) => self.joined_at + staff_grace,
            (None, false, Some(a)) => a.since.max(self.joined_at) + Duration::days(a.grace_days),
            // `required` is false without an account rule.
            (None, false, None) => self.joined_at,
        };
        if now < until {
            Standing::Grace { until }
        } else {
            Standing::Due
        }
    }
}

/// Whether a proof of identity given at `verified_at` still covers a
/// sensitive action at `now` (re-authentication, like GitHub's sudo mode).
pub fn still_fresh(verified_at: OffsetDateTime, now: OffsetDateTime, window: Duration) -> bool {
    now - verified_at <= window
}

fn unix(at: OffsetDateTime) -> u64 {
    u64::try_from(at.unix_timestamp()).unwrap_or(0)
}

/// Recovery codes from fresh random bytes: ten codes of ten base32
/// characters, shown as `abcde-fghij`.
pub fn recovery_codes(random: &[[u8; RECOVERY_BYTES]; RECOVERY_CODES]) -> Vec<String> {
    random
        .iter()
        .map(|bytes| {
            let text = Secret::from(bytes.to_vec())
                .to_base32()
                .to_ascii_lowercase();
            format!("{}-{}", &text[..5], &text[5..10])
        })
        .collect()
}

/// What is stored of a recovery code, however it is typed (case, spaces
/// and dashes do not matter).
pub fn recovery_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 key "12345678901234567890".
    fn rfc_key() -> TotpKey {
        TotpKey(b"12345678901234567890".to_vec())
    }

    fn at(unix: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(unix).unwrap()
    }

    fn facts(rule: Option<TwoFactorRule>) -> SecondFactorFacts {
        SecondFactorFacts {
            enrolled: false,
            joined_at: at(0),
            reset_at: None,
            account: rule.map(|rule| AccountSecurity {
                rule,
                grace_days: 14,
                since: at(1_000_000),
            }),
            sso_only: false,
        }
    }

    #[test]
    fn who_must_have_a_second_factor() {
        use TwoFactorRule::*;
        for role in Role::ALL {
            for rule in [None, Some(Off), Some(Admins), Some(Everyone)] {
                let expected = role.is_vendor()
                    || (rule == Some(Admins) && role.is_account_admin())
                    || (rule == Some(Everyone)
                        && role.tenant_kind() == super::super::roles::TenantKind::Account);
                assert_eq!(facts(rule).required(role), expected, "{role:?} {rule:?}");
                // Signing in only at the account's identity provider, the
                // provider answers for the second factor (#21 SSO).
                let sso_only = SecondFactorFacts {
                    sso_only: true,
                    ..facts(rule)
                };
                assert_eq!(
                    sso_only.required(role),
                    role.is_vendor(),
                    "{role:?} {rule:?}"
                );
            }
        }
    }

    #[test]
    fn the_grace_period_ends_exactly_at_its_last_second() {
        let f = facts(Some(TwoFactorRule::Everyone));
        let until = at(1_000_000) + Duration::days(14);
        let staff = Duration::days(7);
        let before = until - Duration::seconds(1);
        assert_eq!(
            f.standing(Role::User, staff, before),
            Standing::Grace { until }
        );
        assert_eq!(f.standing(Role::User, staff, until), Standing::Due);
        // Someone who joins after the rule was set gets their own period.
        let late = SecondFactorFacts {
            joined_at: at(2_000_000),
            ..f
        };
        assert_eq!(
            late.standing(Role::User, staff, until),
            Standing::Grace {
                until: at(2_000_000) + Duration::days(14)
            }
        );
        // A reset makes it due at once, whatever the period.
        let reset = SecondFactorFacts {
            reset_at: Some(at(1_500_000)),
            ..f
        };
        assert_eq!(
            reset.standing(Role::User, staff, at(1_500_000)),
            Standing::Due
        );
        // Enrolled or not required: nothing is due.
        let enrolled = SecondFactorFacts {
            enrolled: true,
            ..f
        };
        assert_eq!(
            enrolled.standing(Role::User, staff, until),
            Standing::Enrolled
        );
        let admins_only = facts(Some(TwoFactorRule::Admins));
        assert_eq!(
            admins_only.standing(Role::User, staff, until),
            Standing::Optional
        );
        assert_eq!(
            admins_only.standing(Role::PartnerAdmin, staff, until),
            Standing::Optional
        );
    }

    #[test]
    fn vendor_staff_have_their_own_period_from_joining() {
        let f = facts(None);
        let staff = Duration::days(7);
        let until = at(0) + staff;
        assert_eq!(
            f.standing(Role::Operator, staff, until - Duration::seconds(1)),
            Standing::Grace { until }
        );
        assert_eq!(f.standing(Role::SupportAgent, staff, until), Standing::Due);
        assert_eq!(
            f.standing(Role::SupportAgent, Duration::ZERO, at(0)),
            Standing::Due
        );
    }

    #[test]
    fn a_proof_is_fresh_up_to_the_window_and_not_a_second_later() {
        let window = Duration::minutes(15);
        assert!(still_fresh(at(0), at(900), window));
        assert!(!still_fresh(at(0), at(901), window));
    }

    #[test]
    fn codes_match_the_rfc_test_vectors() {
        // The RFC lists 8 digits; 6-digit codes are their last six.
        for (unix, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(rfc_key().code_at(at(unix)), code, "T = {unix}");
        }
    }

    #[test]
    fn the_previous_current_and_next_step_count_older_and_later_do_not() {
        let key = rfc_key();
        let now = at(1_234_567_890);
        for offset in [-30, 0, 30] {
            let code = key.code_at(now + time::Duration::seconds(offset));
            assert!(key.check(&code, now, None).is_ok(), "offset {offset}");
        }
        for offset in [-60, 60, -3600] {
            let code = key.code_at(now + time::Duration::seconds(offset));
            assert_eq!(
                key.check(&code, now, None),
                Err(CodeRefused::Wrong),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn a_code_is_good_once() {
        let key = rfc_key();
        let now = at(1_234_567_890);
        let code = key.code_at(now);
        let step = key.check(&code, now, None).unwrap();
        assert_eq!(step, 1_234_567_890 / 30);
        assert_eq!(key.check(&code, now, Some(step)), Err(CodeRefused::Reused));
        // An older step's code after a newer one was used: refused too.
        let previous = key.code_at(now - time::Duration::seconds(30));
        assert_eq!(
            key.check(&previous, now, Some(step)),
            Err(CodeRefused::Reused)
        );
        // The next step's code is still good.
        let next = key.code_at(now + time::Duration::seconds(30));
        assert_eq!(key.check(&next, now, Some(step)), Ok(step + 1));
    }

    #[test]
    fn malformed_codes_are_named_as_such() {
        for code in ["", "12345", "1234567", "12a456"] {
            assert_eq!(
                rfc_key().check(code, at(59), None),
                Err(CodeRefused::Malformed),
                "{code:?}"
            );
        }
        assert!(
            rfc_key().check("287 082", at(59), None).is_ok(),
            "spaces as apps show them"
        );
    }

    #[test]
    fn keys_round_trip_through_base32_and_the_app_link() {
        let key = TotpKey::from_random([7; SECRET_BYTES]);
        assert_eq!(TotpKey::from_base32(&key.base32()), Some(key.clone()));
        assert_eq!(TotpKey::from_base32("not base32!"), None);
        let url = key.otpauth_url("anna@muster.example").unwrap();
        assert!(
            url.starts_with("otpauth://totp/kontor:anna%40muster.example?"),
            "{url}"
        );
        assert!(url.contains(&format!("secret={}", key.base32())), "{url}");
        assert_eq!(key.otpauth_url("a:b"), None);
        assert!(
            !format!("{key:?}").contains(&key.base32()),
            "the secret is not logged"
        );
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_hashed_however_typed() {
        let mut random = [[0u8; RECOVERY_BYTES]; RECOVERY_CODES];
        for (i, bytes) in random.iter_mut().enumerate() {
            *bytes = [i as u8 * 17 + 1; RECOVERY_BYTES];
        }
        let codes = recovery_codes(&random);
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'),
            "{codes:?}"
        );
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), RECOVERY_CODES);
        let typed = codes[0].to_uppercase().replace('-', " ");
        assert_eq!(recovery_hash(&typed), recovery_hash(&codes[0]));
        assert_ne!(recovery_hash(&codes[0]), recovery_hash(&codes[1]));
        assert_eq!(recovery_hash(&codes[0]).len(), 64);
    }
}
