//! Dates and times as people read them: in their zone, in their
//! language's format ("1. Dezember 2026, 20:31 Uhr" / "1 December 2026,
//! 8:31 pm"), and relative where that helps ("in etwa einer Stunde").
//!
//! The patterns and month names are Fluent messages (`date-format`,
//! `time-format`, `month-N`, `rel-…`), so a language brings its own.

use fluent_templates::fluent_bundle::FluentValue;
use time::{Date, OffsetDateTime};

use super::Tr;

/// Beyond this a relative wording helps nobody; the date says it.
const RELATIVE_DAYS: i64 = 30;

impl Tr {
    /// A calendar day: "1. Dezember 2026" / "1 December 2026".
    pub fn date(&self, d: Date) -> String {
        self.ta(
            "date-format",
            &[
                ("day", FluentValue::from(d.day().to_string())),
                ("month", FluentValue::from(self.month(u8::from(d.month())))),
                ("year", FluentValue::from(d.year().to_string())),
            ],
        )
    }

    /// An instant in the reader's zone, to the minute:
    /// "1. Dezember 2026, 20:31 Uhr" / "1 December 2026, 8:31 pm".
    pub fn datetime(&self, t: OffsetDateTime) -> String {
        let local = self.zone.local(t);
        let hour = local.hour();
        let hour12 = match hour % 12 {
            0 => 12,
            h => h,
        };
        let time = self.ta(
            "time-format",
            &[
                ("hour", FluentValue::from(format!("{hour:02}"))),
                ("hour12", FluentValue::from(hour12.to_string())),
                (
                    "minute",
                    FluentValue::from(format!("{:02}", local.minute())),
                ),
                (
                    "ampm",
                    FluentValue::from(self.t(if hour < 12 { "time-am" } else { "time-pm" })),
                ),
            ],
        );
        self.ta(
            "datetime-format",
            &[
                ("date", FluentValue::from(self.date(local.date()))),
                ("time", FluentValue::from(time)),
            ],
        )
    }

    /// How far `t` is from `now` in words — "in etwa einer Stunde",
    /// "vor 5 Minuten" — or `None` when it is more than a month away.
    pub fn relative(&self, t: OffsetDateTime, now: OffsetDateTime) -> Option<String> {
        let delta = t - now;
        let future = delta.is_positive();
        let minutes = (delta.whole_seconds().abs() + 30) / 60;
        let (unit, n) = if minutes < 1 {
            return Some(self.t(if future { "rel-moment" } else { "rel-just-now" }));
        } else if minutes < 45 {
            ("minutes", minutes)
        } else if minutes < 22 * 60 {
            ("hours", ((minutes + 30) / 60).max(1))
        } else {
            ("days", ((minutes + 12 * 60) / (24 * 60)).max(1))
        };
        if unit == "days" && n > RELATIVE_DAYS {
            return None;
        }
        let key = format!("rel-{}-{unit}", if future { "in" } else { "ago" });
        Some(self.tn(&key, "n", n))
    }

    /// An instant with its distance from `now` where that is near:
    /// "1. Dezember 2026, 20:31 Uhr (in etwa einer Stunde)".
    pub fn datetime_near(&self, t: OffsetDateTime, now: OffsetDateTime) -> String {
        match self.relative(t, now) {
            Some(rel) => format!("{} ({rel})", self.datetime(t)),
            None => self.datetime(t),
        }
    }

    fn month(&self, m: u8) -> String {
        self.t(&format!("month-{m}"))
    }
}

#[cfg(test)]
mod tests {
    use kontor_core::domain::roles::Lang;
    use kontor_core::domain::zone::Zone;
    use time::Duration;
    use time::macros::{date, datetime};

    use super::*;

    fn berlin(lang: Lang) -> Tr {
        Tr::new(lang).in_zone(Zone::parse("Europe/Berlin").expect("zone"))
    }

    #[test]
    fn the_issue_s_examples_in_both_languages() {
        let t = datetime!(2026-12-01 19:31 UTC);
        assert_eq!(berlin(Lang::De).datetime(t), "1. Dezember 2026, 20:31 Uhr");
        assert_eq!(berlin(Lang::En).datetime(t), "1 December 2026, 8:31 pm");
    }

    #[test]
    fn dates_carry_month_names_and_no_leading_zero() {
        let de = Tr::new(Lang::De);
        let en = Tr::new(Lang::En);
        assert_eq!(de.date(date!(2027 - 03 - 05)), "5. März 2027");
        assert_eq!(en.date(date!(2027 - 03 - 05)), "5 March 2027");
        for m in 1..=12u8 {
            let month = time::Month::try_from(m).expect("month");
            let d = Date::from_calendar_date(2027, month, 1).expect("date");
            for tr in [de, en] {
                let shown = tr.date(d);
                assert!(!shown.contains("month-"), "{shown}");
                assert!(!shown.chars().any(|c| c == '-'), "{shown}");
            }
        }
    }

    #[test]
    fn midnight_and_noon_on_the_twelve_hour_clock() {
        let en = berlin(Lang::En);
        assert_eq!(
            en.datetime(datetime!(2026-12-01 23:05 UTC)),
            "2 December 2026, 12:05 am"
        );
        assert_eq!(
            en.datetime(datetime!(2026-12-01 11:00 UTC)),
            "1 December 2026, 12:00 pm"
        );
        assert_eq!(
            berlin(Lang::De).datetime(datetime!(2026-12-01 23:05 UTC)),
            "2. Dezember 2026, 00:05 Uhr"
        );
    }

    #[test]
    fn relative_wording_at_its_boundaries() {
        let now = datetime!(2026-12-01 12:00 UTC);
        let de = Tr::new(Lang::De);
        let en = Tr::new(Lang::En);
        let rel = |tr: Tr, d: Duration| tr.relative(now + d, now).expect("near");
        assert_eq!(rel(de, Duration::seconds(20)), "gleich");
        assert_eq!(rel(de, Duration::seconds(-20)), "gerade eben");
        assert_eq!(rel(de, Duration::minutes(1)), "in einer Minute");
        assert_eq!(rel(de, Duration::minutes(44)), "in 44 Minuten");
        assert_eq!(rel(de, Duration::minutes(45)), "in etwa einer Stunde");
        assert_eq!(rel(de, Duration::minutes(60)), "in etwa einer Stunde");
        assert_eq!(rel(de, Duration::minutes(150)), "in etwa 3 Stunden");
        assert_eq!(rel(de, Duration::hours(-5)), "vor etwa 5 Stunden");
        assert_eq!(rel(de, Duration::hours(22)), "in einem Tag");
        assert_eq!(rel(de, Duration::days(-3)), "vor 3 Tagen");
        assert_eq!(rel(en, Duration::minutes(60)), "in about an hour");
        assert_eq!(rel(en, Duration::minutes(-1)), "1 minute ago");
        assert_eq!(rel(en, Duration::days(2)), "in 2 days");
        assert_eq!(rel(de, Duration::days(30)), "in 30 Tagen");
        assert_eq!(de.relative(now + Duration::days(31), now), None);
    }

    #[test]
    fn near_instants_say_how_near() {
        let now = datetime!(2026-12-01 19:31 UTC);
        assert_eq!(
            berlin(Lang::De).datetime_near(now + Duration::hours(1), now),
            "1. Dezember 2026, 21:31 Uhr (in etwa einer Stunde)"
        );
        assert_eq!(
            berlin(Lang::De).datetime_near(now + Duration::days(60), now),
            "30. Januar 2027, 20:31 Uhr"
        );
    }
}
