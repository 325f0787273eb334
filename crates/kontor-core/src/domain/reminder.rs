//! Reminders before the window for a partner change closes (#22, R4):
//! the last day a self-service change is possible, and which reminder is
//! due. Pure: today and what was sent come from the caller.

use time::{Date, Duration};

/// The first day the change is no longer possible: R4 blocks an agreement
/// whose term ends within `window_days`.
pub fn closes_on(term_end: Date, window_days: i64) -> Date {
    term_end - Duration::days(window_days)
}

/// The last day a change is possible.
pub fn last_day(term_end: Date, window_days: i64) -> Date {
    closes_on(term_end, window_days) - Duration::DAY
}

/// Which reminder is due `today` for a window closing on `closes_on`:
/// the most urgent of `offsets` (days before it closes) reached so far,
/// unless it or a more urgent one was sent already. A worker that was down
/// sends the most urgent missed reminder once, never a burst; nothing is
/// due once the window has closed.
pub fn due_offset(today: Date, closes_on: Date, offsets: &[i64], sent: &[i64]) -> Option<i64> {
    let until = (closes_on - today).whole_days();
    if until <= 0 {
        return None;
    }
    let reached = offsets.iter().copied().filter(|d| until <= *d).min()?;
    (!sent.iter().any(|s| *s <= reached)).then_some(reached)
}

/// The term ends between which agreements may need a reminder `today`.
pub fn term_end_range(today: Date, window_days: i64, offsets: &[i64]) -> Option<(Date, Date)> {
    let furthest = offsets.iter().copied().max()?;
    Some((
        today + Duration::days(window_days + 1),
        today + Duration::days(window_days + furthest),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TERM_END: Date = date!(2027 - 06 - 30);

    #[test]
    fn the_window_closes_r4_days_before_the_term_ends() {
        // R4: blocked when the term ends within 90 days (days_left <= 90).
        assert_eq!(closes_on(TERM_END, 90), date!(2027 - 04 - 01));
        assert_eq!((TERM_END - closes_on(TERM_END, 90)).whole_days(), 90);
        assert_eq!((TERM_END - last_day(TERM_END, 90)).whole_days(), 91);
    }

    #[test]
    fn each_reminder_once_at_its_day() {
        let closes = closes_on(TERM_END, 90);
        let offsets = [30, 7];
        let day = |before: i64| closes - Duration::days(before);
        assert_eq!(due_offset(day(31), closes, &offsets, &[]), None);
        assert_eq!(due_offset(day(30), closes, &offsets, &[]), Some(30));
        assert_eq!(due_offset(day(29), closes, &offsets, &[30]), None);
        assert_eq!(due_offset(day(8), closes, &offsets, &[30]), None);
        assert_eq!(due_offset(day(7), closes, &offsets, &[30]), Some(7));
        assert_eq!(due_offset(day(1), closes, &offsets, &[30, 7]), None);
        // The last day still gets the 7-day reminder if it was missed.
        assert_eq!(due_offset(day(1), closes, &offsets, &[30]), Some(7));
        // Closed: nothing more.
        assert_eq!(due_offset(day(0), closes, &offsets, &[30]), None);
        assert_eq!(due_offset(day(-3), closes, &offsets, &[]), None);
        // A worker down since before the 30-day reminder sends only the 7.
        assert_eq!(due_offset(day(5), closes, &offsets, &[]), Some(7));
        // No offsets configured: no reminders.
        assert_eq!(due_offset(day(5), closes, &[], &[]), None);
    }

    #[test]
    fn the_range_covers_exactly_the_agreements_that_may_be_due() {
        let today = date!(2026 - 11 - 25);
        let (from, to) = term_end_range(today, 90, &[30, 7]).unwrap();
        assert_eq!((from - today).whole_days(), 91);
        assert_eq!((to - today).whole_days(), 120);
        assert_eq!(
            due_offset(today, closes_on(from, 90), &[30, 7], &[]),
            Some(7)
        );
        assert_eq!(
            due_offset(today, closes_on(to, 90), &[30, 7], &[]),
            Some(30)
        );
        assert_eq!(
            due_offset(today, closes_on(to + Duration::DAY, 90), &[30, 7], &[]),
            None
        );
        assert_eq!(term_end_range(today, 90, &[]), None);
    }
}
