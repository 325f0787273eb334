//! Sign-in throttling (#7): failed sign-ins are counted per account and
//! per client address over a sliding window. At the limit, sign-ins for
//! that account or from that address are refused until the oldest failure
//! in the window has aged out — never longer than the window, so an
//! attacker cannot lock a person out for long with one burst.

use time::{Duration, OffsetDateTime};

/// Limits per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures for one account within the window before it is refused.
    pub per_account: u32,
    /// Failures from one client address within the window.
    pub per_address: u32,
    /// The sliding window.
    pub window: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            per_account: 5,
            per_address: 20,
            window: Duration::minutes(15),
        }
    }
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
    fn minutes_round_up() {
        assert_eq!(minutes(Duration::seconds(1)), 1);
        assert_eq!(minutes(Duration::seconds(60)), 1);
        assert_eq!(minutes(Duration::seconds(61)), 2);
        assert_eq!(minutes(Duration::minutes(15)), 15);
    }
}
