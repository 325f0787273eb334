//! What the web layer reads and keeps besides the partner change: lists in
//! the caller's scope (R1), partner history, the audit log, sessions,
//! tokens, idempotency claims and readiness. The web layer asks these and
//! never the store, so every read passes the same scope and permission.

use time::{Duration, OffsetDateTime};

use super::Services;
use std::sync::Arc;

use crate::domain::agreement::{Account, Agreement, Partner, PartnerAssignment, SupportLevel};
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::ids::{AgreementNumber, Csn};
use crate::domain::permissions::Permission;
use crate::domain::roles::Actor;
use crate::domain::zone::Zone;
use crate::error::{Error, Result};
use crate::store::{
    AgreementFilter, AuditFilter, AuditRecord, Claim, IdempotencyKey, NewSession, NewToken, Scope,
    SessionRecord,
};

/// A session is touched (its idle clock reset) at most this often.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// How long portal sessions last.
#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    /// Without activity.
    pub idle: Duration,
    /// Since sign-in, whatever the activity.
    pub absolute: Duration,
}

/// The longest a personal API token can be issued for: a year and a day.
pub const MAX_TOKEN_DAYS: i64 = 366;

impl Services {
    /// Agreements the caller may see, by the filter (R1).
    pub async fn agreements(
        &self,
        actor: &Actor,
        filter: &AgreementFilter,
    ) -> Result<Vec<Agreement>> {
        Ok(self.store.agreements(&Scope::of(actor), filter).await?)
    }

    /// The partners serving the caller's agreements, by name (R1): the
    /// choices of the list's partner filter. Through the cache, since it
    /// reads every agreement the caller may see.
    pub async fn serving_partners(&self, actor: &Actor) -> Result<Arc<Vec<(Csn, String)>>> {
        let scope = Scope::of(actor);
        if let Some(p) = self.cache.serving(&scope) {
            return Ok(p);
        }
        let ticket = self.cache.serving_ticket();
        let partners = Arc::new(self.store.serving_partners(&scope).await?);
        self.cache.put_serving(ticket, &scope, &partners);
        Ok(partners)
    }

    /// The support levels of the caller's active agreements (R1), lowest
    /// first.
    pub async fn support_levels(&self, actor: &Actor) -> Result<Vec<SupportLevel>> {
        Ok(self.store.support_levels(&Scope::of(actor)).await?)
    }

    /// Partner history of an agreement the caller may see (R1), oldest first.
    pub async fn partner_history(
        &self,
        actor: &Actor,
        number: &AgreementNumber,
    ) -> Result<Vec<PartnerAssignment>> {
        self.agreement(actor, number).await?;
        Ok(self.store.partner_history(number).await?)
    }

    /// Audit entries the caller may read: their account's, or every one
    /// for vendor staff (R1, R11).
    pub async fn audit(&self, actor: &Actor, filter: &AuditFilter) -> Result<Vec<AuditRecord>> {
        Error::unless_may(actor, Permission::ReadAudit)?;
        Ok(self.store.audit(&Scope::of(actor), filter).await?)
    }

    /// A customer account, for labels on vendor staff's pages.
    pub async fn account(&self, csn: &Csn) -> Result<Option<Account>> {
        Ok(self.store.account(csn).await?)
    }

    /// Directory entries whose CSN, name or city contains `q`.
    pub async fn partners(&self, q: Option<&str>, limit: u32) -> Result<Vec<Partner>> {
        Ok(self.store.partners(q, None, limit).await?)
    }

    /// Stores a new API token of `actor` (hashed by the caller), audited;
    /// it works for `valid_days` days, or until revoked.
    pub async fn issue_token(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        token_hash: String,
        label: &str,
        valid_days: Option<i64>,
    ) -> Result<NewToken> {
        let label = label.trim();
        let mut errors = Vec::new();
        if label.is_empty() || label.chars().count() > 100 {
            errors.push(crate::FieldError::coded(
                "label",
                "text-length",
                vec![("max", "100".into())],
                "expected 1–100 characters",
            ));
        }
        if valid_days.is_some_and(|d| !(1..=MAX_TOKEN_DAYS).contains(&d)) {
            errors.push(crate::FieldError::coded(
                "expires_in_days",
                "expected-whole-number",
                vec![("min", "1".into()), ("max", MAX_TOKEN_DAYS.to_string())],
                format!("expected a whole number from 1 to {MAX_TOKEN_DAYS}"),
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let now = self.clock.now();
        let record = NewToken {
            id,
            user_id: actor.user_id,
            token_hash,
            label: label.to_owned(),
            created_at: now,
            expires_at: valid_days.map(|d| now + time::Duration::days(d)),
        };
        let mut audit = AuditEntry::new(now, By::Person(actor), AuditAction::TokenIssued).change(
            serde_json::json!(null),
            serde_json::json!({ "token_id": id, "label": label, "valid_days": valid_days }),
        );
        audit.account = actor.account().cloned();
        self.store.insert_token(&record, &audit).await?;
        Ok(record)
    }

    /// The person a token (by its hash) belongs to, if it is valid.
    pub async fn actor_by_token(&self, token_hash: &str) -> Result<Option<Actor>> {
        Ok(self
            .store
            .actor_by_token(token_hash, self.clock.now())
            .await?)
    }

    /// Remembers the zone a person's browser reported at sign-in — only
    /// while they have not chosen one, so a laptop on a trip does not move
    /// their times. A name the time zone database does not know is
    /// ignored: the guess is a convenience, never an error.
    pub async fn remember_browser_zone(&self, actor: &Actor, reported: &str) -> Result<()> {
        let Some(zone) = Zone::parse(reported) else {
            return Ok(());
        };
        Ok(self.store.set_time_zone(actor.user_id, zone, None).await?)
    }

    /// Starts a portal session (the id's hash and the form token given).
    pub async fn start_session(&self, session: &NewSession) -> Result<()> {
        Ok(self.store.create_session(session).await?)
    }

    /// The session with this id hash while it lasts: an expired one is
    /// ended and `None`; activity is recorded at most once a minute.
    pub async fn resume_session(
        &self,
        id_hash: &str,
        limits: SessionLimits,
    ) -> Result<Option<SessionRecord>> {
        let Some(record) = self.store.session(id_hash).await? else {
            return Ok(None);
        };
        let now: OffsetDateTime = self.clock.now();
        if now - record.last_seen_at > limits.idle || now - record.created_at > limits.absolute {
            self.store.delete_session(id_hash).await?;
            return Ok(None);
        }
        if now - record.last_seen_at > TOUCH_EVERY
            && let Err(e) = self.store.touch_session(id_hash, now).await
        {
            tracing::warn!(error = ?e, "failed to record session activity");
        }
        Ok(Some(record))
    }

    /// Stores the second step of a sign-in (the person's earlier ones end).
    pub async fn start_second_step(&self, challenge: &crate::store::SigninChallenge) -> Result<()> {
        Ok(self.store.create_challenge(challenge).await?)
    }

    /// The second step of a sign-in with its person, while it is younger
    /// than `max_age`; an older one is ended and `None`.
    pub async fn second_step(
        &self,
        id_hash: &str,
        max_age: Duration,
    ) -> Result<Option<(crate::store::SigninChallenge, Actor)>> {
        let Some((challenge, actor)) = self.store.challenge(id_hash).await? else {
            return Ok(None);
        };
        if self.clock.now() - challenge.created_at > max_age {
            self.store.delete_challenge(id_hash).await?;
            return Ok(None);
        }
        Ok(Some((challenge, actor)))
    }

    /// Ends the second step of a sign-in.
    pub async fn end_second_step(&self, id_hash: &str) -> Result<()> {
        Ok(self.store.delete_challenge(id_hash).await?)
    }

    /// Records that the session's person just proved who they are
    /// (re-authentication before a sensitive action).
    pub async fn reverify_session(&self, id_hash: &str) -> Result<()> {
        Ok(self
            .store
            .reverify_session(id_hash, self.clock.now())
            .await?)
    }

    /// Ends a portal session.
    pub async fn end_session(&self, id_hash: &str) -> Result<()> {
        Ok(self.store.delete_session(id_hash).await?)
    }

    /// Claims an Idempotency-Key for one attempt (R7); see
    /// [`crate::store::IdempotencyStore::claim_key`].
    pub async fn claim_key(&self, key: &IdempotencyKey, stale_after: Duration) -> Result<Claim> {
        let now = self.clock.now();
        Ok(self.store.claim_key(key, now, now - stale_after).await?)
    }

    /// Stores the answer of a claimed attempt, for replays.
    pub async fn complete_key(&self, key: &IdempotencyKey, status: u16, body: &[u8]) -> Result<()> {
        let now = self.clock.now();
        Ok(self.store.complete_key(key, status, body, now).await?)
    }

    /// Gives a claimed attempt's key up, so a retry runs again.
    pub async fn release_key(&self, key: &IdempotencyKey) -> Result<()> {
        Ok(self.store.release_key(key).await?)
    }

    /// One page of everything in import format order (exports).
    pub async fn export_page(
        &self,
        what: crate::store::ExportWhat,
        after: Option<String>,
        limit: u32,
    ) -> Result<crate::store::ExportPage> {
        Ok(self.store.export_page(what, after, limit).await?)
    }

    /// Database reachable, schema current, a write commits.
    pub async fn ready(&self) -> Result<()> {
        Ok(self.store.ready().await?)
    }
}
