//! Delivering outbox messages (R10 and webhooks): who gets a copy, when a
//! failed attempt is tried again, and what an answer means. Pure code; the
//! senders and the delivery loop live in the `kontor` crate.

use std::time::Duration;

use super::agreement::str_enum;
use super::notify::{OutboxMessage, Recipient};

str_enum!(
    /// How a delivery travels.
    Channel {
        /// An email to one recipient.
        Email = "email",
        /// A signed HTTP POST to one webhook endpoint.
        Webhook = "webhook",
    }
);

str_enum!(
    /// Where a delivery stands.
    DeliveryStatus {
        /// Waiting for its next attempt.
        Pending = "pending",
        /// Accepted by the mail server or the endpoint.
        Delivered = "delivered",
        /// Every attempt failed (dead letter); an operator may send it again.
        Dead = "dead",
    }
);

/// Event types a webhook endpoint can subscribe to.
pub const WEBHOOK_EVENT_TYPES: &[&str] = &[
    "partner_change.submitted",
    "partner_change.withdrawn",
    "partner_change.applied",
    "partner_change.rejected",
    "partner_change.awaiting_partner",
    "partner_change.accepted",
    "partner_change.declined",
    "partner_change.expired",
    "partner_change.escalated",
    "partner_change.disputed",
    "partner_change.dispute_released",
    "partner_change.renewal_named",
    "partner_change.renewal_withdrawn",
    "partner_change.renewal_applied",
    "partner_change.renewal_rejected",
    "partner_change.renewal_lapsed",
];

/// The copies one outbox message fans out to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FanOut<'a> {
    /// One email each.
    pub emails: &'a [Recipient],
    /// The webhook event type, when the message is one endpoints may receive.
    pub event_type: Option<String>,
}

/// Who gets a copy of `message`.
pub fn fan_out(message: &OutboxMessage) -> FanOut<'_> {
    FanOut {
        emails: message.recipients(),
        event_type: message.webhook_event_type(),
    }
}

/// Whether an endpoint subscribed to `filter` (empty: everything) gets `event_type`.
pub fn subscribed(filter: &[String], event_type: &str) -> bool {
    filter.is_empty() || filter.iter().any(|f| f == event_type)
}

/// Delays between attempts: after the first failed attempt wait the first
/// delay, and so on; after the last delay's attempt fails the delivery is
/// dead. So `n` delays mean `n + 1` attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrySchedule(pub Vec<Duration>);

impl Default for RetrySchedule {
    /// Standard Webhooks' suggested schedule: about three days in all.
    fn default() -> Self {
        let m = |n: u64| Duration::from_secs(60 * n);
        RetrySchedule(vec![
            Duration::from_secs(5),
            m(5),
            m(30),
            m(120),
            m(300),
            m(600),
            m(840),
            m(1200),
            m(1440),
        ])
    }
}

/// The most a `Retry-After` may push an attempt out.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

impl RetrySchedule {
    /// Attempts in all before a delivery is dead.
    pub fn max_attempts(&self) -> u32 {
        u32::try_from(self.0.len()).unwrap_or(u32::MAX - 1) + 1
    }

    /// The wait after `attempts` failed attempts, spread by `jitter` (a
    /// sample in `[0, 1)`) over ±20 % so that many deliveries failing
    /// together do not come back together; `None` when none are left.
    pub fn delay_after(&self, attempts: u32, jitter: f64) -> Option<Duration> {
        let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
        let base = *self.0.get(index)?;
        let factor = 0.8 + 0.4 * jitter.clamp(0.0, 1.0);
        Some(base.mul_f64(factor))
    }
}

/// What one attempt's answer means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Accepted.
    Delivered,
    /// Try again: after `retry_after` when the receiver asked for it,
    /// otherwise on the schedule.
    Retry {
        /// Receiver's `Retry-After`, honoured for 429, 502, 503 and 504.
        retry_after: Option<Duration>,
    },
    /// 410 Gone: the receiver does not want these any more; the endpoint is
    /// disabled and the delivery ends.
    Gone,
}

/// A webhook endpoint's HTTP status: 2xx delivered, 410 gone, anything
/// else (including 3xx, since redirects are not followed) retried.
pub fn webhook_verdict(status: u16, retry_after: Option<Duration>) -> Verdict {
    match status {
        200..=299 => Verdict::Delivered,
        410 => Verdict::Gone,
        429 | 502 | 503 | 504 => Verdict::Retry {
            retry_after: retry_after.map(|d| d.min(MAX_RETRY_AFTER)),
        },
        _ => Verdict::Retry { retry_after: None },
    }
}

/// What happens to a delivery after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Done.
    Delivered,
    /// Try again after this long.
    RetryIn(Duration),
    /// No attempts left, or the receiver is gone.
    Dead,
}

/// The next step after attempt number `attempts` (1-based) got `verdict`.
/// A `Retry-After` replaces the scheduled wait but does not add attempts.
pub fn next_step(schedule: &RetrySchedule, attempts: u32, verdict: &Verdict, jitter: f64) -> Next {
    match verdict {
        Verdict::Delivered => Next::Delivered,
        Verdict::Gone => Next::Dead,
        Verdict::Retry { retry_after } => match schedule.delay_after(attempts, jitter) {
            None => Next::Dead,
            Some(scheduled) => Next::RetryIn(retry_after.unwrap_or(scheduled)),
        },
    }
}

/// Parses a `Retry-After` value given in seconds (the HTTP-date form is
/// read by the sender, which knows the time).
pub fn retry_after_seconds(raw: &str) -> Option<Duration> {
    raw.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_schedule_matches_the_documented_one() {
        let s = RetrySchedule::default();
        let secs: Vec<u64> = s.0.iter().map(Duration::as_secs).collect();
        assert_eq!(
            secs,
            [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]
        );
        assert_eq!(s.max_attempts(), 10);
    }

    #[test]
    fn jitter_spreads_within_twenty_percent() {
        let s = RetrySchedule(vec![Duration::from_secs(100)]);
        assert_eq!(s.delay_after(1, 0.0), Some(Duration::from_secs(80)));
        assert_eq!(s.delay_after(1, 0.5), Some(Duration::from_secs(100)));
        let top = s.delay_after(1, 0.999_999).unwrap();
        assert!(top > Duration::from_secs(119) && top <= Duration::from_secs(120));
        // Out-of-range samples are clamped, never negative or unbounded.
        assert_eq!(s.delay_after(1, -3.0), Some(Duration::from_secs(80)));
        assert_eq!(s.delay_after(1, 7.0), Some(Duration::from_secs(120)));
    }

    #[test]
    fn the_last_attempt_ends_in_the_dead_letter_state() {
        let s = RetrySchedule(vec![Duration::from_secs(1), Duration::from_secs(2)]);
        let retry = Verdict::Retry { retry_after: None };
        assert_eq!(
            next_step(&s, 1, &retry, 0.5),
            Next::RetryIn(Duration::from_secs(1))
        );
        assert_eq!(
            next_step(&s, 2, &retry, 0.5),
            Next::RetryIn(Duration::from_secs(2))
        );
        assert_eq!(next_step(&s, 3, &retry, 0.5), Next::Dead);
        assert_eq!(s.delay_after(0, 0.5), None, "no attempt made yet");
    }

    #[test]
    fn statuses_map_to_verdicts() {
        let ra = Some(Duration::from_secs(30));
        assert_eq!(webhook_verdict(200, None), Verdict::Delivered);
        assert_eq!(webhook_verdict(204, ra), Verdict::Delivered);
        assert_eq!(webhook_verdict(299, None), Verdict::Delivered);
        assert_eq!(webhook_verdict(410, ra), Verdict::Gone);
        for s in [429, 502, 503, 504] {
            assert_eq!(
                webhook_verdict(s, ra),
                Verdict::Retry { retry_after: ra },
                "{s}"
            );
        }
        // Retry-After is only honoured where the specification says so.
        for s in [301, 302, 400, 404, 500] {
            assert_eq!(
                webhook_verdict(s, ra),
                Verdict::Retry { retry_after: None },
                "{s}"
            );
        }
        // A receiver cannot park a delivery for longer than a day.
        assert_eq!(
            webhook_verdict(429, Some(Duration::from_secs(10 * 86400))),
            Verdict::Retry {
                retry_after: Some(MAX_RETRY_AFTER)
            }
        );
    }

    #[test]
    fn retry_after_replaces_the_wait_but_not_the_count() {
        let s = RetrySchedule(vec![Duration::from_secs(5)]);
        let v = Verdict::Retry {
            retry_after: Some(Duration::from_secs(42)),
        };
        assert_eq!(
            next_step(&s, 1, &v, 0.5),
            Next::RetryIn(Duration::from_secs(42))
        );
        assert_eq!(next_step(&s, 2, &v, 0.5), Next::Dead);
        assert_eq!(next_step(&s, 1, &Verdict::Gone, 0.5), Next::Dead);
    }

    #[test]
    fn retry_after_parses_seconds_only() {
        assert_eq!(retry_after_seconds(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(retry_after_seconds("-1"), None);
        assert_eq!(retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }

    #[test]
    fn every_change_event_is_a_webhook_event_type() {
        for e in crate::domain::notify::ChangeEvent::ALL {
            let t = format!("partner_change.{}", e.as_str());
            assert!(WEBHOOK_EVENT_TYPES.contains(&t.as_str()), "{t}");
        }
        assert_eq!(
            WEBHOOK_EVENT_TYPES.len(),
            crate::domain::notify::ChangeEvent::ALL.len()
        );
    }

    #[test]
    fn subscriptions_filter_event_types() {
        assert!(subscribed(&[], "partner_change.applied"));
        let only = vec!["partner_change.applied".to_owned()];
        assert!(subscribed(&only, "partner_change.applied"));
        assert!(!subscribed(&only, "partner_change.submitted"));
    }
}
