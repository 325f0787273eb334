//! A person's time zone: pages and mails show times in it.
//!
//! Zones come from the IANA database compiled into the binary, so every
//! host reads the same rules and none are loaded from disk. A [`Zone`] is
//! a `Copy` handle to one interned zone: the few hundred valid names are
//! each resolved once, and nothing but a valid name is ever kept.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock, PoisonError};

use jiff::tz::TimeZone;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A time zone from the IANA database, by its canonical name.
#[derive(Clone, Copy)]
pub struct Zone {
    name: &'static str,
    tz: &'static TimeZone,
}

static UTC: TimeZone = TimeZone::UTC;

fn interned() -> &'static Mutex<HashMap<String, Zone>> {
    static ZONES: OnceLock<Mutex<HashMap<String, Zone>>> = OnceLock::new();
    ZONES.get_or_init(Default::default)
}

impl Zone {
    /// Coordinated Universal Time: for people kontor knows no zone of.
    pub const UTC: Zone = Zone {
        name: "UTC",
        tz: &UTC,
    };

    /// The zone named `name` ("Europe/Berlin"; case does not matter), or
    /// `None` when the database has no such zone. Fixed offsets and POSIX
    /// rules are not names and are refused.
    pub fn parse(name: &str) -> Option<Zone> {
        let name = name.trim();
        if name.is_empty() || name.len() > 64 {
            return None;
        }
        let mut zones = interned().lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(z) = zones.get(name) {
            return Some(*z);
        }
        let tz = jiff::tz::db().get(name).ok()?;
        let canonical = tz.iana_name()?.to_owned();
        if let Some(z) = zones.get(&canonical) {
            return Some(*z);
        }
        // Only names the database knows get here, so the leak is bounded by
        // the database's size (about 600 zones), not by what clients send.
        let zone = Zone {
            name: Box::leak(canonical.clone().into_boxed_str()),
            tz: Box::leak(Box::new(tz)),
        };
        zones.insert(canonical, zone);
        Some(zone)
    }

    /// The zone most people of a country (ISO 3166 alpha-2) live in; UTC
    /// for a country not listed. Countries with several zones get their
    /// capital's — the person can change it.
    pub fn of_country(country: &str) -> Zone {
        let name = match country.trim().to_ascii_uppercase().as_str() {
            "DE" => "Europe/Berlin",
            "AT" => "Europe/Vienna",
            "CH" => "Europe/Zurich",
            "LI" => "Europe/Vaduz",
            "LU" => "Europe/Luxembourg",
            "NL" => "Europe/Amsterdam",
            "BE" => "Europe/Brussels",
            "FR" => "Europe/Paris",
            "IT" => "Europe/Rome",
            "ES" => "Europe/Madrid",
            "PT" => "Europe/Lisbon",
            "GB" | "UK" => "Europe/London",
            "IE" => "Europe/Dublin",
            "DK" => "Europe/Copenhagen",
            "SE" => "Europe/Stockholm",
            "NO" => "Europe/Oslo",
            "FI" => "Europe/Helsinki",
            "PL" => "Europe/Warsaw",
            "CZ" => "Europe/Prague",
            "SK" => "Europe/Bratislava",
            "HU" => "Europe/Budapest",
            "SI" => "Europe/Ljubljana",
            "HR" => "Europe/Zagreb",
            "RO" => "Europe/Bucharest",
            "BG" => "Europe/Sofia",
            "GR" => "Europe/Athens",
            "EE" => "Europe/Tallinn",
            "LV" => "Europe/Riga",
            "LT" => "Europe/Vilnius",
            "TR" => "Europe/Istanbul",
            "UA" => "Europe/Kyiv",
            "US" => "America/New_York",
            "CA" => "America/Toronto",
            "MX" => "America/Mexico_City",
            "BR" => "America/Sao_Paulo",
            "AR" => "America/Argentina/Buenos_Aires",
            "IN" => "Asia/Kolkata",
            "CN" => "Asia/Shanghai",
            "JP" => "Asia/Tokyo",
            "KR" => "Asia/Seoul",
            "SG" => "Asia/Singapore",
            "AE" => "Asia/Dubai",
            "IL" => "Asia/Jerusalem",
            "AU" => "Australia/Sydney",
            "NZ" => "Pacific/Auckland",
            "ZA" => "Africa/Johannesburg",
            _ => return Zone::UTC,
        };
        Zone::parse(name).unwrap_or(Zone::UTC)
    }

    /// Every zone a person can choose: the database's region/city names
    /// ("Europe/Berlin"), sorted, without the legacy aliases ("CET",
    /// "US/Eastern") — and UTC.
    pub fn choices() -> &'static [String] {
        static CHOICES: OnceLock<Vec<String>> = OnceLock::new();
        CHOICES.get_or_init(|| {
            let regions = [
                "Africa/",
                "America/",
                "Antarctica/",
                "Asia/",
                "Atlantic/",
                "Australia/",
                "Europe/",
                "Indian/",
                "Pacific/",
            ];
            let mut names: Vec<String> = jiff::tz::db()
                .available()
                .map(|n| n.as_str().to_owned())
                .filter(|n| regions.iter().any(|r| n.starts_with(r)))
                .filter(|n| Zone::parse(n).is_some_and(|z| z.name() == n))
                .collect();
            names.sort();
            names.dedup();
            names.push("UTC".to_owned());
            names
        })
    }

    /// The canonical name ("Europe/Berlin", "UTC").
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// `t` as the wall-clock time in this zone (to the second).
    pub fn local(&self, t: time::OffsetDateTime) -> time::PrimitiveDateTime {
        let offset = jiff::Timestamp::from_second(t.unix_timestamp())
            .map(|ts| self.tz.to_offset(ts).seconds())
            .ok()
            .and_then(|s| time::UtcOffset::from_whole_seconds(s).ok())
            .unwrap_or(time::UtcOffset::UTC);
        let local = t.to_offset(offset);
        time::PrimitiveDateTime::new(local.date(), local.time())
    }
}

impl Default for Zone {
    fn default() -> Self {
        Zone::UTC
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name)
    }
}

/// A stored zone the database no longer knows reads as UTC: a message in
/// the outbox must still be delivered.
impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Ok(Zone::parse(&name).unwrap_or(Zone::UTC))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The choices are the zones people live in, each one canonical.
    #[test]
    fn the_choices_are_canonical_region_zones() {
        let all = Zone::choices();
        assert!(all.len() > 300, "{}", all.len());
        assert!(all.iter().any(|n| n == "Europe/Berlin"));
        assert!(all.iter().any(|n| n == "America/Argentina/Buenos_Aires"));
        assert!(
            !all.iter()
                .any(|n| n == "CET" || n.starts_with("US/") || n.starts_with("Etc/"))
        );
        assert_eq!(all.last().map(String::as_str), Some("UTC"));
        for n in all {
            assert_eq!(Zone::parse(n).map(|z| z.name()), Some(n.as_str()));
        }
    }

    #[test]
    fn names_are_canonical_and_case_blind() {
        let z = Zone::parse("europe/berlin").expect("known zone");
        assert_eq!(z.name(), "Europe/Berlin");
        assert_eq!(Zone::parse(" Europe/Berlin "), Some(z));
        assert_eq!(Zone::parse("UTC").map(|z| z.name()), Some("UTC"));
    }

    #[test]
    fn what_is_not_a_zone_name_is_refused() {
        for bad in ["", "Mars/Olympus", "+02:00", "Europe/", &"x".repeat(65)] {
            assert_eq!(Zone::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_country_gives_its_zone_and_an_unknown_one_utc() {
        assert_eq!(Zone::of_country("DE").name(), "Europe/Berlin");
        assert_eq!(Zone::of_country("gb").name(), "Europe/London");
        assert_eq!(Zone::of_country("ZZ"), Zone::UTC);
    }

    /// Every listed country names a zone the compiled-in database has
    /// (a typo would silently fall back to UTC).
    #[test]
    fn every_listed_country_zone_exists() {
        let listed = include_str!("zone.rs")
            .lines()
            .filter(|l| l.trim_start().starts_with('"') && l.contains("=> \""))
            .count();
        let mut found = 0;
        for code in [
            "DE", "AT", "CH", "LI", "LU", "NL", "BE", "FR", "IT", "ES", "PT", "GB", "IE", "DK",
            "SE", "NO", "FI", "PL", "CZ", "SK", "HU", "SI", "HR", "RO", "BG", "GR", "EE", "LV",
            "LT", "TR", "UA", "US", "CA", "MX", "BR", "AR", "IN", "CN", "JP", "KR", "SG", "AE",
            "IL", "AU", "NZ", "ZA",
        ] {
            assert_ne!(Zone::of_country(code), Zone::UTC, "{code}");
            found += 1;
        }
        assert_eq!(found, listed, "a listed country is missing from this test");
    }

    #[test]
    fn local_time_follows_summer_time() {
        let berlin = Zone::parse("Europe/Berlin").expect("zone");
        let winter = berlin.local(time::macros::datetime!(2026-12-01 19:31 UTC));
        assert_eq!(winter, time::macros::datetime!(2026-12-01 20:31));
        let summer = berlin.local(time::macros::datetime!(2026-07-01 19:31 UTC));
        assert_eq!(summer.hour(), 21);
        // The night the clocks go back: 00:30 UTC is 02:30 summer time,
        // 01:30 UTC is 02:30 winter time.
        let back = |h| {
            berlin.local(time::macros::datetime!(2026-10-25 00:30 UTC) + time::Duration::hours(h))
        };
        assert_eq!((back(0).hour(), back(1).hour()), (2, 2));
    }

    #[test]
    fn serialises_as_its_name_and_reads_an_unknown_name_as_utc() {
        let z = Zone::parse("Europe/Vienna").expect("zone");
        assert_eq!(serde_json::to_string(&z).unwrap(), "\"Europe/Vienna\"");
        let back: Zone = serde_json::from_str("\"Europe/Vienna\"").unwrap();
        assert_eq!(back, z);
        let gone: Zone = serde_json::from_str("\"Nowhere/Gone\"").unwrap();
        assert_eq!(gone, Zone::UTC);
    }
}
