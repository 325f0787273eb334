//! Sign-in throttling (#7, #16): failed sign-ins are counted per account
//! and per client address, each over a sliding window of its own. At the
//! limit, sign-ins for that account or from that address are refused until
//! the oldest failure in the window has aged out — never longer than the
//! window, so an attacker cannot lock a person out for long with one burst.
//!
//! An attempt is reserved (counted as a failure) *before* its password is
//! checked, atomically for all its keys, and only a success takes the
//! reservation back: however many attempts arrive at once, at most the
//! limit of them are ever checked per window.
//!
//! The address limit is higher and its window shorter than the account's:
//! it exists to slow one client trying many accounts, and a company's NAT
//! shares one address among many people. A burst of failures behind such an
//! address blocks its other people for at most `address_window` after the
//! burst (while it goes on, the address stays throttled); each account's own
//! limit is unaffected by the address's.

use time::{Duration, OffsetDateTime};

/// Limits per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures for one account within the window before it is refused.
    pub per_account: u32,
    /// Failures from one client address within `address_window`.
    pub per_address: u32,
    /// The sliding window of the account limit.
    pub window: Duration,
    /// The sliding window of the address limit.
    pub address_window: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            per_account: 5,
            per_address: 30,
            window: Duration::minutes(15),
            address_window: Duration::minutes(5),
        }
    }
}

/// One counter an attempt is reserved under: an account or an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleKey {
    /// `account:<email>` or `address:<ip>`.
    pub key: String,
    /// Attempts allowed within the window.
    pub limit: u32,
    /// The window's length.
    pub window: Duration,
}

impl ThrottleKey {
    /// The keys of one sign-in attempt under `policy`.
    pub fn of(
        policy: &ThrottlePolicy,
        email: &str,
        client: Option<std::net::IpAddr>,
    ) -> Vec<ThrottleKey> {
        let mut keys = vec![ThrottleKey {
            key: format!("account:{}", email.trim().to_lowercase()),
            limit: policy.per_account,
            window: policy.window,
        }];
        if let Some(ip) = client {
            keys.push(ThrottleKey {
                key: format!("address:{ip}"),
                limit: policy.per_address,
                window: policy.address_window,
            });
        }
        keys
    }
}

/// The outcome of reserving an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// Counted under every key; the password may be checked.
    Reserved,
    /// At least one key is at its limit; nothing was written. The failures
    /// of each key, in the order the keys were given.
    Refused(Vec<Failures>),
}

/// The longest wait of a refused reservation's keys.
pub fn longest_wait(
    keys: &[ThrottleKey],
    failures: &[Failures],
    now: OffsetDateTime,
) -> Option<Duration> {
    keys.iter()
        .zip(failures)
        .filter_map(|(k, f)| wait(*f, k.limit, k.window, now))
        .max()
}

/// Failures of one key within the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Failures {
    /// How many.
    pub count: u32,
    /// The oldest of them.
    pub oldest: Option<OffsetDateTime>,
}

/// How long to wait before trying again, when `failures` have reached
/// `limit`; `None` when a sign-in may be tried now.
pub fn wait(
    failures: Failures,
    limit: u32,
    window: Duration,
    now: OffsetDateTime,
) -> Option<Duration> {
    if failures.count < limit {
        return None;
    }
    let oldest = failures.oldest?;
    let left = oldest + window - now;
    (left > Duration::ZERO).then_some(left)
}

/// Whole minutes to tell a person ("try again in N minutes"), at least 1.
pub fn minutes(wait: Duration) -> i64 {
    ((wait.whole_seconds() + 59) / 60).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-25 10:00 UTC);

    fn f(count: u32, minutes_ago: i64) -> Failures {
        Failures {
            count,
            oldest: Some(NOW - Duration::minutes(minutes_ago)),
        }
    }

    #[test]
    fn below_the_limit_nothing_waits() {
        let w = Duration::minutes(15);
        assert_eq!(wait(f(4, 1), 5, w, NOW), None);
        assert_eq!(wait(Failures::default(), 5, w, NOW), None);
    }

    #[test]
    fn at_the_limit_wait_until_the_oldest_failure_ages_out() {
        let w = Duration::minutes(15);
        assert_eq!(wait(f(5, 1), 5, w, NOW), Some(Duration::minutes(14)));
        assert_eq!(wait(f(9, 14), 5, w, NOW), Some(Duration::minutes(1)));
        // Exactly at the window's end it is over; never longer than the window.
        assert_eq!(wait(f(5, 15), 5, w, NOW), None);
        assert_eq!(wait(f(500, 0), 5, w, NOW), Some(w));
    }

    #[test]
    fn an_attempt_counts_under_its_account_and_its_address_with_their_own_windows() {
        let policy = ThrottlePolicy::default();
        let ip: std::net::IpAddr = "192.0.2.7".parse().unwrap();
        let keys = ThrottleKey::of(&policy, " Anna@Muster.Example ", Some(ip));
        assert_eq!(keys[0].key, "account:anna@muster.example");
        assert_eq!((keys[0].limit, keys[0].window), (5, Duration::minutes(15)));
        assert_eq!(keys[1].key, "address:192.0.2.7");
        assert_eq!((keys[1].limit, keys[1].window), (30, Duration::minutes(5)));
        assert_eq!(ThrottleKey::of(&policy, "a@b.example", None).len(), 1);
    }

    #[test]
    fn the_longest_wait_of_the_keys_at_their_limit_is_told() {
        let policy = ThrottlePolicy::default();
        let ip: std::net::IpAddr = "192.0.2.7".parse().unwrap();
        let keys = ThrottleKey::of(&policy, "a@b.example", Some(ip));
        // The account below its limit, the address at it since 2 minutes.
        let failures = [f(4, 10), f(30, 2)];
        assert_eq!(
            longest_wait(&keys, &failures, NOW),
            Some(Duration::minutes(3))
        );
        // Both at their limits: the account's wait is longer.
        let failures = [f(5, 10), f(30, 2)];
        assert_eq!(
            longest_wait(&keys, &failures, NOW),
            Some(Duration::minutes(5))
        );
        assert_eq!(longest_wait(&keys, &[f(4, 1), f(29, 1)], NOW), None);
    }

    #[test]
    fn minutes_round_up() {
        assert_eq!(minutes(Duration::seconds(1)), 1);
        assert_eq!(minutes(Duration::seconds(60)), 1);
        assert_eq!(minutes(Duration::seconds(61)), 2);
        assert_eq!(minutes(Duration::minutes(15)), 15);
    }
}
