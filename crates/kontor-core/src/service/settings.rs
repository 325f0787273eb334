//! A person's own settings (#19): their name, language and time zone, their
//! password, their sessions. Everyone may change their own; nobody
//! anyone else's here (R1: the actor is the person changed).

use serde_json::json;

use super::Services;
use super::people::{person_lang, person_name};
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::notify::{MutedEvents, OutboxMessage, Recipient, RecipientRole};
use crate::domain::roles::Actor;
use crate::domain::values::{PasswordHasher, chosen_password_problem};
use crate::domain::zone::Zone;
use crate::error::{Error, FieldError, Result};
use crate::store::{Profile, SessionInfo};

/// A profile as entered: every field checked, each problem named.
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    /// Display name, 1–200 characters.
    pub name: String,
    /// `de` or `en`.
    pub lang: String,
    /// An IANA time zone name ("Europe/Berlin").
    pub time_zone: String,
}

impl ProfileInput {
    /// The profile, or every field's problem.
    pub fn parse(&self) -> std::result::Result<Profile, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = person_name(&self.name, &mut errors);
        let lang = person_lang(&self.lang, &mut errors);
        let zone = Zone::parse(&self.time_zone);
        if zone.is_none() {
            errors.push(FieldError::coded(
                "time_zone",
                "time-zone-unknown",
                vec![("zone", self.time_zone.trim().chars().take(64).collect())],
                "expected a time zone of the IANA database, for example Europe/Berlin",
            ));
        }
        match (name, lang, zone) {
            (Some(name), Some(lang), Some(time_zone)) if errors.is_empty() => Ok(Profile {
                name,
                lang,
                time_zone,
            }),
            _ => Err(errors),
        }
    }
}

impl Services {
    /// Saves what `actor` sets about themselves; the person as they are now.
    pub async fn update_profile(&self, actor: &Actor, input: &ProfileInput) -> Result<Actor> {
        // A zone the database does not know is refused by what kontor
        // holds, not malformed input.
        let profile = input.parse().map_err(|errors| {
            if errors.iter().all(|e| e.code == "time-zone-unknown") {
                Error::Refused(errors)
            } else {
                Error::Invalid(errors)
            }
        })?;
        let now = self.clock.now();
        let audit = AuditEntry {
            account: actor.account().cloned(),
            ..AuditEntry::new(now, By::Person(actor), AuditAction::ProfileChanged).change(
                json!({ "name": actor.name, "lang": actor.lang, "time_zone": actor.time_zone }),
                json!({ "name": profile.name, "lang": profile.lang, "time_zone": profile.time_zone }),
            )
        };
        self.store
            .update_profile(actor.user_id, &profile, &audit)
            .await?;
        self.cache.clear();
        Ok(Actor {
            name: profile.name,
            lang: profile.lang,
            time_zone: profile.time_zone,
            ..actor.clone()
        })
    }

    /// Sets `actor`'s new password; they proved the current one (the web
    /// layer checks it like a sign-in, throttle included). Every other
    /// session ends, `keep` (the one they are using) stays; a mail tells
    /// them. The number of sessions ended.
    pub async fn change_password(
        &self,
        actor: &Actor,
        new_password: &str,
        keep: &str,
        hasher: &dyn PasswordHasher,
    ) -> Result<u64> {
        let company = match actor.account() {
            Some(csn) => self.account(csn).await?.map(|a| a.name),
            None => None,
        };
        let mut theirs = vec![actor.email.as_str(), actor.name.as_str()];
        theirs.extend(company.as_deref());
        if let Some(problem) = chosen_password_problem("new_password", new_password, &theirs) {
            return Err(problem);
        }
        let hash = hasher.hash(new_password)?;
        let now = self.clock.now();
        let audit = AuditEntry {
            account: actor.account().cloned(),
            ..AuditEntry::new(now, By::Person(actor), AuditAction::PasswordChanged).change(
                json!({ "user": actor.email }),
                json!({ "user": actor.email, "password_set": true, "other_sessions_ended": true }),
            )
        };
        let mail = OutboxMessage::PasswordChanged {
            event_id: uuid::Uuid::now_v7(),
            recipients: vec![Recipient {
                to: actor.email.clone(),
                lang: actor.lang,
                time_zone: actor.time_zone,
                role: RecipientRole::Person,
            }],
            at: now,
        };
        Ok(self
            .store
            .change_password(actor.user_id, &hash, keep, &audit, &[mail])
            .await?)
    }

    /// The partner-change events `actor` does not want mails about.
    pub async fn muted_events(&self, actor: &Actor) -> Result<MutedEvents> {
        Ok(self.store.muted_events(actor.user_id).await?)
    }

    /// Saves which partner-change mails `actor` receives: `muted` lists
    /// the events they do not want mails about. Security mails are not
    /// events here and always go out.
    pub async fn set_muted_events(&self, actor: &Actor, muted: &MutedEvents) -> Result<()> {
        let before = self.muted_events(actor).await?;
        let codes =
            |m: &MutedEvents| -> Vec<&str> { m.events().iter().map(|e| e.as_str()).collect() };
        let audit = AuditEntry {
            account: actor.account().cloned(),
            ..AuditEntry::new(
                self.clock.now(),
                By::Person(actor),
                AuditAction::NotificationsChanged,
            )
            .change(
                json!({ "muted": codes(&before) }),
                json!({ "muted": codes(muted) }),
            )
        };
        self.store
            .set_muted_events(actor.user_id, muted, &audit)
            .await?;
        // Cached admin contacts carry the old choice.
        self.cache.clear();
        Ok(())
    }

    /// `actor`'s portal sessions, the most recently used first.
    pub async fn my_sessions(&self, actor: &Actor) -> Result<Vec<SessionInfo>> {
        Ok(self.store.sessions_of(actor.user_id).await?)
    }

    /// Signs `actor` out everywhere but the session `keep`; how many ended.
    pub async fn end_other_sessions(&self, actor: &Actor, keep: &str) -> Result<u64> {
        let now = self.clock.now();
        let audit = AuditEntry {
            account: actor.account().cloned(),
            ..AuditEntry::new(now, By::Person(actor), AuditAction::SessionsEnded).change(
                json!(null),
                json!({ "user": actor.email, "other_sessions_ended": true }),
            )
        };
        Ok(self
            .store
            .end_other_sessions(actor.user_id, keep, &audit)
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roles::Lang;

    fn input(name: &str, lang: &str, zone: &str) -> ProfileInput {
        ProfileInput {
            name: name.into(),
            lang: lang.into(),
            time_zone: zone.into(),
        }
    }

    #[test]
    fn a_profile_is_checked_field_by_field() {
        let ok = input("  Anna Admin ", "en", "europe/vienna")
            .parse()
            .unwrap();
        assert_eq!(ok.name, "Anna Admin");
        assert_eq!(ok.lang, Lang::En);
        assert_eq!(ok.time_zone.name(), "Europe/Vienna");
        let fields = |i: ProfileInput| -> Vec<String> {
            i.parse()
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(
            fields(input("", "fr", "Mars/Base")),
            ["name", "lang", "time_zone"]
        );
        assert_eq!(fields(input(&"x".repeat(201), "de", "UTC")), ["name"]);
        assert!(input(&"x".repeat(200), "de", "UTC").parse().is_ok());
    }
}
