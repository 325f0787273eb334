//! Service-level deadlines (#22): when support's first response and the
//! resolution of a case are due, by the account's support level, and where
//! a case stands against them. Pure: the instants come from the caller.
//!
//! A deadline is met by acting at or before it and breached the moment
//! after: `now > deadline` and still not met.

use time::{Duration, OffsetDateTime};

use super::agreement::{SupportLevel, str_enum};
use super::policy::LevelHours;

/// The two deadlines of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// When the case was opened: the clock starts here.
    pub opened_at: OffsetDateTime,
    /// Support's first response is due.
    pub respond_by: OffsetDateTime,
    /// The case is to be resolved.
    pub resolve_by: OffsetDateTime,
}

impl Deadlines {
    /// The deadlines of a case opened at `opened_at` at `level`.
    pub fn of(
        level: SupportLevel,
        opened_at: OffsetDateTime,
        first_response: &LevelHours,
        resolution: &LevelHours,
    ) -> Deadlines {
        Deadlines {
            opened_at,
            respond_by: opened_at + first_response.of(level),
            resolve_by: opened_at + resolution.of(level),
        }
    }
}

/// What support has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Support's first reply (resolving a case also answers it).
    pub first_response_at: Option<OffsetDateTime>,
    /// When the case was resolved.
    pub resolved_at: Option<OffsetDateTime>,
}

impl Progress {
    /// When support first answered: its first reply or the resolution,
    /// whichever came first.
    pub fn responded_at(&self) -> Option<OffsetDateTime> {
        match (self.first_response_at, self.resolved_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

str_enum!(
    /// Where a case stands against its deadlines.
    SlaState {
        /// Open; the next deadline is further away than a quarter of its
        /// target.
        OnTrack = "on_track",
        /// Open; less than a quarter of the target is left until the next
        /// deadline.
        DueSoon = "due_soon",
        /// Open; the first response is overdue.
        ResponseOverdue = "response_overdue",
        /// Open; the resolution is overdue.
        ResolutionOverdue = "resolution_overdue",
        /// Resolved, both deadlines kept.
        Met = "met",
        /// Resolved, at least one deadline missed.
        Missed = "missed",
    }
);

impl SlaState {
    /// Whether a deadline is overdue on an open case.
    pub fn overdue(self) -> bool {
        matches!(
            self,
            SlaState::ResponseOverdue | SlaState::ResolutionOverdue
        )
    }
}

/// The deadline support is to meet next, or `None` once the case is
/// resolved: the first response while it is awaited, else the resolution.
pub fn next_deadline(d: &Deadlines, p: &Progress) -> Option<OffsetDateTime> {
    if p.resolved_at.is_some() {
        return None;
    }
    Some(match p.responded_at() {
        None => d.respond_by.min(d.resolve_by),
        Some(_) => d.resolve_by,
    })
}

/// Where the case stands at `now`.
pub fn state(now: OffsetDateTime, d: &Deadlines, p: &Progress) -> SlaState {
    if let Some(resolved) = p.resolved_at {
        let responded = p.responded_at().unwrap_or(resolved);
        return if responded <= d.respond_by && resolved <= d.resolve_by {
            SlaState::Met
        } else {
            SlaState::Missed
        };
    }
    if now > d.resolve_by {
        return SlaState::ResolutionOverdue;
    }
    if p.responded_at().is_none() && now > d.respond_by {
        return SlaState::ResponseOverdue;
    }
    let next = next_deadline(d, p).unwrap_or(d.resolve_by);
    let target = next - d.opened_at;
    if next - now <= target / 4 {
        SlaState::DueSoon
    } else {
        SlaState::OnTrack
    }
}

str_enum!(
    /// Which deadline a breach is about.
    Breach {
        /// The first response is overdue.
        FirstResponse = "first_response",
        /// The resolution is overdue.
        Resolution = "resolution",
    }
);

str_enum!(
    /// What a breached deadline belongs to.
    BreachOf {
        /// A support case.
        Case = "case",
        /// A dispute of a partner change.
        Dispute = "dispute",
    }
);

impl Default for BreachOf {
    /// Messages queued before disputes had deadlines were about cases.
    fn default() -> Self {
        BreachOf::Case
    }
}

/// When a request waiting for the new partner's answer is escalated:
/// `hours` before it expires at `due_at`, or at once when it was made
/// with less time than that.
pub fn escalate_at(due_at: OffsetDateTime, hours: i64) -> OffsetDateTime {
    due_at - Duration::hours(hours)
}

/// Whether a request that expires at `due_at` is to be escalated at `now`:
/// from `hours` before until it expires, never after.
pub fn escalation_due(now: OffsetDateTime, due_at: OffsetDateTime, hours: i64) -> bool {
    escalate_at(due_at, hours) <= now && now < due_at
}

/// The expiry instants of the requests [`escalation_due`] at `now`, as a
/// store query reads them: after the first, at or before the second.
pub fn escalation_window(now: OffsetDateTime, hours: i64) -> (OffsetDateTime, OffsetDateTime) {
    (now, now + Duration::hours(hours))
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const OPENED: OffsetDateTime = datetime!(2026-12-01 09:00 UTC);

    fn targets() -> (LevelHours, LevelHours) {
        (
            LevelHours {
                standard_hours: 24,
                advanced_hours: 4,
                premium_hours: 1,
            },
            LevelHours {
                standard_hours: 72,
                advanced_hours: 24,
                premium_hours: 8,
            },
        )
    }

    fn deadlines(level: SupportLevel) -> Deadlines {
        let (first, resolution) = targets();
        Deadlines::of(level, OPENED, &first, &resolution)
    }

    #[test]
    fn deadlines_follow_the_level() {
        let d = deadlines(SupportLevel::Premium);
        assert_eq!(d.respond_by, datetime!(2026-12-01 10:00 UTC));
        assert_eq!(d.resolve_by, datetime!(2026-12-01 17:00 UTC));
        let d = deadlines(SupportLevel::Standard);
        assert_eq!(d.respond_by, datetime!(2026-12-02 09:00 UTC));
        assert_eq!(d.resolve_by, datetime!(2026-12-04 09:00 UTC));
    }

    #[test]
    fn a_deadline_is_breached_one_second_after_it_not_at_it() {
        let d = deadlines(SupportLevel::Premium);
        let open = Progress::default();
        assert_eq!(state(d.respond_by, &d, &open), SlaState::DueSoon);
        assert_eq!(
            state(d.respond_by + Duration::SECOND, &d, &open),
            SlaState::ResponseOverdue
        );
        let answered = Progress {
            first_response_at: Some(OPENED + Duration::minutes(30)),
            resolved_at: None,
        };
        assert_eq!(state(d.resolve_by, &d, &answered), SlaState::DueSoon);
        assert_eq!(
            state(d.resolve_by + Duration::SECOND, &d, &answered),
            SlaState::ResolutionOverdue
        );
        // Past both: the resolution is what is overdue now.
        assert_eq!(
            state(d.resolve_by + Duration::SECOND, &d, &open),
            SlaState::ResolutionOverdue
        );
    }

    #[test]
    fn due_soon_starts_when_a_quarter_of_the_target_is_left() {
        // Standard: first response within 24 h; due soon from 6 h before.
        let d = deadlines(SupportLevel::Standard);
        let open = Progress::default();
        let six_before = d.respond_by - Duration::hours(6);
        assert_eq!(
            state(six_before - Duration::SECOND, &d, &open),
            SlaState::OnTrack
        );
        assert_eq!(state(six_before, &d, &open), SlaState::DueSoon);
        // Answered: the resolution (72 h) is next; due soon from 18 h before.
        let answered = Progress {
            first_response_at: Some(OPENED + Duration::HOUR),
            resolved_at: None,
        };
        assert_eq!(state(six_before, &d, &answered), SlaState::OnTrack);
        let eighteen_before = d.resolve_by - Duration::hours(18);
        assert_eq!(state(eighteen_before, &d, &answered), SlaState::DueSoon);
    }

    #[test]
    fn a_resolved_case_met_or_missed_its_deadlines() {
        let d = deadlines(SupportLevel::Premium);
        let on_time = Progress {
            first_response_at: Some(d.respond_by),
            resolved_at: Some(d.resolve_by),
        };
        assert_eq!(
            state(d.resolve_by + Duration::DAY, &d, &on_time),
            SlaState::Met
        );
        let late_answer = Progress {
            first_response_at: Some(d.respond_by + Duration::SECOND),
            ..on_time
        };
        assert_eq!(state(d.resolve_by, &d, &late_answer), SlaState::Missed);
        let late_resolution = Progress {
            resolved_at: Some(d.resolve_by + Duration::SECOND),
            ..on_time
        };
        assert_eq!(state(d.resolve_by, &d, &late_resolution), SlaState::Missed);
        // Resolved at once without a reply: the resolution answered it.
        let resolved_at_once = Progress {
            first_response_at: None,
            resolved_at: Some(OPENED + Duration::minutes(5)),
        };
        assert_eq!(state(OPENED, &d, &resolved_at_once), SlaState::Met);
        assert_eq!(next_deadline(&d, &resolved_at_once), None);
    }

    #[test]
    fn the_next_deadline_orders_the_queue() {
        let d = deadlines(SupportLevel::Advanced);
        assert_eq!(next_deadline(&d, &Progress::default()), Some(d.respond_by));
        let answered = Progress {
            first_response_at: Some(OPENED),
            resolved_at: None,
        };
        assert_eq!(next_deadline(&d, &answered), Some(d.resolve_by));
        // A resolution target shorter than the response target (a
        // configuration nobody should choose) still gives the earlier one.
        let odd = Deadlines {
            resolve_by: OPENED + Duration::HOUR,
            ..d
        };
        assert_eq!(
            next_deadline(&odd, &Progress::default()),
            Some(odd.resolve_by)
        );
    }

    #[test]
    fn an_unanswered_request_is_escalated_from_its_hour_until_it_expires() {
        let due = datetime!(2026-12-08 09:00 UTC);
        let at = escalate_at(due, 24);
        assert_eq!(at, datetime!(2026-12-07 09:00 UTC));
        assert!(!escalation_due(at - Duration::SECOND, due, 24));
        assert!(escalation_due(at, due, 24));
        assert!(escalation_due(due - Duration::SECOND, due, 24));
        assert!(!escalation_due(due, due, 24));
        // Made with less time left than the escalation period: at once.
        assert!(escalation_due(due - Duration::hours(2), due, 24));
    }

    #[test]
    fn the_store_window_holds_exactly_the_requests_due_for_escalation() {
        let now = datetime!(2026-12-07 09:00 UTC);
        let (after, until) = escalation_window(now, 24);
        for minutes in [
            -61,
            -1,
            0,
            1,
            60,
            24 * 60 - 1,
            24 * 60,
            24 * 60 + 1,
            48 * 60,
        ] {
            let due = now + Duration::minutes(minutes);
            assert_eq!(
                after < due && due <= until,
                escalation_due(now, due, 24),
                "due {minutes} min from now"
            );
        }
    }
}
