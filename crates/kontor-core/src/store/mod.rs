//! The storage contract both backends implement.
//!
//! A store method is one unit of work and owns its transaction: a state
//! change, its audit entries and its outbox messages commit together.
//! Reads take a [`Scope`] so tenant isolation (R1) is applied in the query
//! itself — an object outside the scope is simply not found.

mod records;

use async_trait::async_trait;
use time::OffsetDateTime;

pub use records::*;

use crate::domain::agreement::Program;
use crate::domain::agreement::{Account, Agreement, Partner, PartnerAssignment, SupportLevel};
use crate::domain::audit::AuditEntry;
use crate::domain::bulk_run::BulkRun;
use crate::domain::change_request::{ChangeRequest, RequestId};
use crate::domain::consent::ProgramConsent;
use crate::domain::ids::{AgreementNumber, Csn};
use crate::domain::notify::{Contact, MutedEvents, OutboxMessage};
use crate::domain::renewal::RenewalPartner;
use crate::domain::roles::{Actor, UserId};
use crate::domain::sso::{SsoDomain, SsoSettings};
use crate::domain::transfer_code::TransferCode;
use crate::error::StoreResult;

/// Accounts, partners and people.
#[async_trait]
pub trait DirectoryStore: Send + Sync {
    /// A partner from the directory.
    async fn partner(&self, csn: &Csn) -> StoreResult<Option<Partner>>;
    /// Partners whose CSN, name or city contains `q`, ordered by CSN, after the cursor.
    async fn partners(
        &self,
        q: Option<&str>,
        after: Option<&Csn>,
        limit: u32,
    ) -> StoreResult<Vec<Partner>>;
    /// Adds or changes a directory entry, with its audit entry.
    async fn save_partner(&self, partner: &Partner, audit: &AuditEntry) -> StoreResult<()>;
    /// A customer account.
    async fn account(&self, csn: &Csn) -> StoreResult<Option<Account>>;
    /// Customer accounts whose CSN or name contains `q`, by CSN, after
    /// `after`.
    async fn accounts(
        &self,
        q: Option<&str>,
        after: Option<&Csn>,
        limit: u32,
    ) -> StoreResult<Vec<Account>>;
    /// Primary and secondary admins of an account (R10 recipients).
    async fn account_admins(&self, csn: &Csn) -> StoreResult<Vec<Contact>>;
    /// A person by sign-in email (lower-cased).
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>>;
    /// Creates a person; `Conflict("email")` when the email is taken,
    /// `Conflict("primary_admin")` when the account already has one.
    async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> StoreResult<()>;
    /// Creates a person without a password and their one-time invitation,
    /// queueing the invitation mail. A person of the same account whose
    /// access was removed is invited again instead: their name, role and
    /// language as given, no password, no agreements assigned. Answers the
    /// person's id; `Conflict("email")` when the email belongs to a person
    /// with access or to another account.
    async fn invite_user(
        &self,
        user: &NewUser,
        invitation: &NewInvitation,
        audit: &AuditEntry,
        outbox: &[OutboxMessage],
    ) -> StoreResult<UserId>;
    /// A one-time link (invitation or password reset) by the hash of its token.
    async fn invitation(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
    ) -> StoreResult<Option<InvitationRecord>>;
    /// Uses a one-time link (once, before it expires) to set the password:
    /// the person's other unused links of that purpose stop working and
    /// their sessions end. `NotFound` when it is used, expired or unknown.
    async fn accept_invitation(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        password_hash: &str,
        at: OffsetDateTime,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// Stores a password-reset link for an existing person and queues its mail.
    async fn create_password_reset(
        &self,
        user: UserId,
        link: &NewInvitation,
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
    /// Password-reset links made for `user` since `since` (a flood guard).
    async fn password_resets_since(&self, user: UserId, since: OffsetDateTime) -> StoreResult<u32>;
    /// Removes a person's access: sessions end, tokens are revoked.
    async fn disable_user(
        &self,
        user: UserId,
        at: OffsetDateTime,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// The people of a customer account, by email.
    async fn account_users(&self, account: &Csn) -> StoreResult<Vec<UserRecord>>;
    /// Changes a person's role (within their tenant), with its audit entry.
    async fn set_role(
        &self,
        user: UserId,
        role: crate::domain::roles::Role,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// Sets the zone a person's times are shown in. With an `audit` entry
    /// it is their own choice; without, a guess (their browser's at
    /// sign-in) that only fills in a zone nobody chose yet.
    async fn set_time_zone(
        &self,
        user: UserId,
        zone: crate::domain::zone::Zone,
        audit: Option<&AuditEntry>,
    ) -> StoreResult<()>;
    /// A new invitation link for a person who has not accepted theirs: the
    /// open ones stop working, the new one is stored (its hash) with the
    /// audit entry and the mail.
    async fn resend_invitation(
        &self,
        user: UserId,
        link: &NewInvitation,
        audit: &AuditEntry,
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
    /// Saves what a person sets about themselves, with its audit entry.
    async fn update_profile(
        &self,
        user: UserId,
        profile: &Profile,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// The partner-change events `user` does not want mails about.
    async fn muted_events(&self, user: UserId) -> StoreResult<MutedEvents>;
    /// Saves the events `user` does not want mails about, with its audit
    /// entry.
    async fn set_muted_events(
        &self,
        user: UserId,
        muted: &MutedEvents,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// Sets the new password of a person who gave their current one: every
    /// portal session but `keep` ends (whoever knew the old password is
    /// signed out), with the audit entry and the security mail; the number
    /// of sessions ended. Their API tokens stay.
    async fn change_password(
        &self,
        user: UserId,
        password_hash: &str,
        keep: &str,
        audit: &AuditEntry,
        outbox: &[OutboxMessage],
    ) -> StoreResult<u64>;
    /// The agreements a `user` may see.
    async fn assigned_agreements(&self, user: UserId) -> StoreResult<Vec<AgreementNumber>>;
    /// Replaces the agreements a `user` may see, with its audit entry.
    async fn set_assignments(
        &self,
        user: UserId,
        agreements: &[AgreementNumber],
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// Lets a `user` see an agreement of their account.
    async fn assign_agreement(
        &self,
        user: UserId,
        agreement: &AgreementNumber,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
}

/// Personal API tokens, stored as SHA-256 hashes.
#[async_trait]
pub trait TokenStore: Send + Sync {
    /// Stores a newly issued token.
    async fn insert_token(&self, token: &NewToken, audit: &AuditEntry) -> StoreResult<()>;
    /// The person a token belongs to while it works `at`: neither revoked
    /// nor expired, its owner's access not removed.
    async fn actor_by_token(
        &self,
        token_hash: &str,
        at: OffsetDateTime,
    ) -> StoreResult<Option<Actor>>;
    /// A person's tokens, newest first.
    async fn tokens_of(&self, user: UserId) -> StoreResult<Vec<TokenRecord>>;
    /// A token, revoked or not.
    async fn token(&self, id: uuid::Uuid) -> StoreResult<Option<TokenRecord>>;
    /// Revokes a token that is not revoked yet; returns its hash (to drop
    /// it from caches). `NotFound` when unknown or already revoked.
    async fn revoke_token(
        &self,
        id: uuid::Uuid,
        at: OffsetDateTime,
        audit: &AuditEntry,
    ) -> StoreResult<String>;
    /// Revokes every token of a person and ends every session; returns
    /// how many of each.
    async fn revoke_access(
        &self,
        user: UserId,
        at: OffsetDateTime,
        audit: &AuditEntry,
    ) -> StoreResult<(u64, u64)>;
}

/// Portal sign-in sessions.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Stores a new session.
    async fn create_session(&self, session: &NewSession) -> StoreResult<()>;
    /// A session with its person, by the hash of its id.
    async fn session(&self, id_hash: &str) -> StoreResult<Option<SessionRecord>>;
    /// Records activity (for the idle timeout).
    async fn touch_session(&self, id_hash: &str, at: OffsetDateTime) -> StoreResult<()>;
    /// Ends a session (sign-out, expiry).
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;
    /// A person's sessions, the most recently used first.
    async fn sessions_of(&self, user: UserId) -> StoreResult<Vec<SessionInfo>>;
    /// Ends every session of `user` but `keep`, with the audit entry; the
    /// number ended.
    async fn end_other_sessions(
        &self,
        user: UserId,
        keep: &str,
        audit: &AuditEntry,
    ) -> StoreResult<u64>;
    /// Reserves sign-in attempt `attempt` under every key at once (#16):
    /// when any key already has its limit of failures within its window
    /// (reservations of attempts still being checked count as failures),
    /// nothing is written and every key's failures are returned; otherwise
    /// one row per key is written. Atomic across processes: of any number
    /// of concurrent attempts, at most the limit are reserved.
    async fn reserve_signin_attempt(
        &self,
        attempt: &str,
        keys: &[crate::domain::throttle::ThrottleKey],
        at: OffsetDateTime,
    ) -> StoreResult<crate::domain::throttle::Reservation>;
    /// Attempt `attempt` signed in: its reservations are removed and the
    /// failures of `account_key` forgotten (the address keeps its others).
    async fn signin_succeeded(&self, attempt: &str, account_key: &str) -> StoreResult<()>;
    /// Forgets failures older than `before`; returns how many.
    async fn purge_signin_failures(&self, before: OffsetDateTime) -> StoreResult<u64>;
}

/// Second factors (#21): authenticator apps, recovery codes, the
/// accounts' rules, the second step of a sign-in, re-authentication.
#[async_trait]
pub trait SecondFactorStore: Send + Sync {
    /// A person's second factors.
    async fn second_factor(&self, user: UserId) -> StoreResult<SecondFactorRecord>;
    /// What decides whether `user` must set up a second factor.
    async fn second_factor_facts(
        &self,
        user: UserId,
    ) -> StoreResult<Option<crate::domain::second_factor::SecondFactorFacts>>;
    /// Keeps a new app key waiting for its first code, replacing one that
    /// waits; `Conflict("second_factor")` when a confirmed one exists.
    async fn stage_totp(&self, user: UserId, secret: &str, at: OffsetDateTime) -> StoreResult<()>;
    /// Confirms the waiting key with its first code's step and replaces
    /// the recovery codes, with the audit entry and the security mail.
    /// `NotFound` when no key waits.
    async fn confirm_totp(
        &self,
        user: UserId,
        step: u64,
        at: OffsetDateTime,
        recovery_hashes: &[String],
        audit: &AuditEntry,
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
    /// Accepts a code of `step` for a confirmed key when no code of it or
    /// a later step was accepted before; `false` otherwise. Atomic: of two
    /// requests with the same code, one gets `true`.
    async fn use_totp_step(&self, user: UserId, step: u64) -> StoreResult<bool>;
    /// Uses an unused recovery code (by its hash), with the audit entry
    /// and the security mail; `false` when it is unknown or used.
    async fn use_recovery_code(
        &self,
        user: UserId,
        code_hash: &str,
        at: OffsetDateTime,
        audit: &AuditEntry,
        outbox: &[OutboxMessage],
    ) -> StoreResult<bool>;
    /// Replaces every recovery code, with the audit entry and the mail.
    async fn replace_recovery_codes(
        &self,
        user: UserId,
        recovery_hashes: &[String],
        audit: &AuditEntry,
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
    /// Removes the person's second factors (`what`) with the audit
    /// entries and the mails; `reset_at` records that someone else did it
    /// (a new one is due at once). `NotFound` when there was none.
    async fn remove_second_factor(
        &self,
        user: UserId,
        what: FactorRemoval,
        reset_at: Option<OffsetDateTime>,
        audit: &[AuditEntry],
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
    /// A person's passkeys, oldest first.
    async fn passkeys_of(&self, user: UserId) -> StoreResult<Vec<PasskeyRecord>>;
    /// A passkey with its person (while they have access).
    async fn passkey(&self, credential_id: &str) -> StoreResult<Option<(PasskeyRecord, Actor)>>;
    /// Adds a passkey with the audit entry and the mail;
    /// `Conflict("passkey")` when the credential is registered already.
    async fn add_passkey(
        &self,
        passkey: &PasskeyRecord,
        audit: &AuditEntry,
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
    /// Records a sign-in with a passkey and its new counter.
    async fn passkey_used(
        &self,
        credential_id: &str,
        sign_count: u32,
        at: OffsetDateTime,
    ) -> StoreResult<()>;
    /// Removes one of the person's passkeys with the audit entry and the
    /// mail; `NotFound` when they have no such passkey.
    async fn remove_passkey(
        &self,
        user: UserId,
        credential_id: &str,
        audit: &AuditEntry,
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
    /// Stores a passkey challenge; challenges created before
    /// `forget_before` are dropped on the way.
    async fn issue_passkey_challenge(
        &self,
        challenge: &str,
        user: Option<UserId>,
        purpose: crate::domain::passkey::ChallengePurpose,
        at: OffsetDateTime,
        forget_before: OffsetDateTime,
    ) -> StoreResult<()>;
    /// Takes a challenge (once): its person, purpose and age.
    async fn take_passkey_challenge(
        &self,
        challenge: &str,
    ) -> StoreResult<
        Option<(
            Option<UserId>,
            crate::domain::passkey::ChallengePurpose,
            OffsetDateTime,
        )>,
    >;
    /// An account's two-factor rule, when one was set.
    async fn account_security(
        &self,
        account: &Csn,
    ) -> StoreResult<Option<crate::domain::second_factor::AccountSecurity>>;
    /// Sets an account's two-factor rule, with its audit entry.
    async fn set_account_security(
        &self,
        account: &Csn,
        security: &crate::domain::second_factor::AccountSecurity,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// Stores the second step of a sign-in (the person's earlier ones end).
    async fn create_challenge(&self, challenge: &SigninChallenge) -> StoreResult<()>;
    /// The second step of a sign-in with its person (while they have
    /// access), by the hash of its id.
    async fn challenge(&self, id_hash: &str) -> StoreResult<Option<(SigninChallenge, Actor)>>;
    /// Ends the second step of a sign-in.
    async fn delete_challenge(&self, id_hash: &str) -> StoreResult<()>;
    /// Records that the session's person proved who they are at `at`.
    async fn reverify_session(&self, id_hash: &str, at: OffsetDateTime) -> StoreResult<()>;
}

/// Agreements and partner history.
#[async_trait]
pub trait AgreementStore: Send + Sync {
    /// An agreement within `scope`, with its open request if any.
    async fn agreement_state(
        &self,
        scope: &Scope,
        number: &AgreementNumber,
    ) -> StoreResult<Option<AgreementState>>;
    /// Agreements within `scope`, ordered by number, after the cursor.
    async fn agreements(
        &self,
        scope: &Scope,
        filter: &AgreementFilter,
    ) -> StoreResult<Vec<Agreement>>;
    /// The partners currently serving an agreement in `scope`, by name:
    /// the choices of the list's partner filter.
    async fn serving_partners(&self, scope: &Scope) -> StoreResult<Vec<(Csn, String)>>;
    /// The support levels of `scope`'s active agreements, lowest first.
    async fn support_levels(&self, scope: &Scope) -> StoreResult<Vec<SupportLevel>>;
    /// Every partner assignment of an agreement, oldest first. The caller
    /// has checked the agreement is visible.
    async fn partner_history(
        &self,
        number: &AgreementNumber,
    ) -> StoreResult<Vec<PartnerAssignment>>;
    /// Records a financial transaction and its effects on the agreement
    /// (term, seats, partner of record) in one transaction (R3).
    ///
    /// `renewal` says what the service saw of a partner named for the
    /// renewal; the store checks it still holds (`Conflict("renewal_partner")`
    /// when a worker or an admin changed it meanwhile) and, when the
    /// transaction applies it, records it applied with its `outbox`.
    async fn record_transaction(
        &self,
        tx: &Transaction,
        updated: &Agreement,
        audit: &[AuditEntry],
        renewal: &RenewalAtTransaction,
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
}

/// Partner change requests.
#[async_trait]
pub trait ChangeStore: Send + Sync {
    /// Inserts a new open request. `Conflict("open_request")` when the
    /// agreement already has one — enforced by a unique index, so it holds
    /// under concurrency (R7).
    async fn insert_request(
        &self,
        request: &ChangeRequest,
        audit: &[AuditEntry],
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
    /// One request within `scope`.
    async fn request(&self, scope: &Scope, id: RequestId) -> StoreResult<Option<ChangeRequest>>;
    /// Requests within `scope`, newest first.
    async fn requests(
        &self,
        scope: &Scope,
        filter: &RequestFilter,
    ) -> StoreResult<Vec<ChangeRequest>>;
    /// Requests awaiting the new partner's answer whose time to answer has
    /// run out at `now` (acceptance policy), oldest deadline first.
    async fn awaiting_due(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<ChangeRequest>>;
    /// Moves a request to a final state when it is still in one of
    /// `expected`; `NotFound` when it is not (someone else got there first).
    async fn decide_request(
        &self,
        decided: &ChangeRequest,
        expected: &[crate::domain::change_request::RequestStatus],
        audit: &[AuditEntry],
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
    /// Claims up to `limit` requests due at `now`, asks `planner` what to do
    /// with each, and commits every decision with its partner assignments,
    /// audit entries and outbox messages in one transaction (R8).
    async fn apply_due(
        &self,
        now: OffsetDateTime,
        limit: u32,
        planner: &dyn ApplyPlanner,
    ) -> StoreResult<AppliedBatch>;
}

/// Support cases (R6).
#[async_trait]
pub trait SupportStore: Send + Sync {
    /// Stores a new case with its audit entry and the messages telling
    /// support, in one transaction.
    async fn insert_case(
        &self,
        case: &crate::domain::support::SupportCase,
        audit: &AuditEntry,
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
    /// One case within `scope` (accounts see theirs, vendor staff all).
    async fn case(
        &self,
        scope: &Scope,
        id: uuid::Uuid,
    ) -> StoreResult<Option<crate::domain::support::SupportCase>>;
    /// The replies of a case, oldest first, with their authors' names.
    async fn case_messages(
        &self,
        case: uuid::Uuid,
    ) -> StoreResult<Vec<crate::domain::support::CaseMessage>>;
    /// Adds a reply to an open case, which now waits on the other side,
    /// with its audit entry and the mail to the other side. `NotFound`
    /// when the case is no longer open.
    async fn add_case_message(
        &self,
        message: &crate::domain::support::CaseMessage,
        audit: &AuditEntry,
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
    /// The vendor's active support agents, to tell of a customer's reply.
    async fn support_agents(&self) -> StoreResult<Vec<Contact>>;
    /// A person to tell, while they have access.
    async fn user_contact(&self, user: UserId) -> StoreResult<Option<Contact>>;
    /// Cases within `scope`: all newest first, or only the open ones
    /// oldest first (the support queue).
    async fn cases(
        &self,
        scope: &Scope,
        open_only: bool,
        limit: u32,
    ) -> StoreResult<Vec<crate::domain::support::SupportCase>>;
    /// Resolves an open case — for a partner swap by making `partners` the
    /// agreement's partners of record (source `support`) — in one
    /// transaction with its audit entries. `NotFound` when the case is no
    /// longer open.
    async fn resolve_case(
        &self,
        case: &crate::domain::support::SupportCase,
        partners: Option<&[Csn]>,
        audit: &[AuditEntry],
    ) -> StoreResult<()>;
}

/// The audit log (R11).
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Entries within `scope`, oldest first, after the cursor.
    async fn audit(&self, scope: &Scope, filter: &AuditFilter) -> StoreResult<Vec<AuditRecord>>;
    /// The current position of the change feed: everything committed
    /// before it has been seen.
    async fn feed_position(&self) -> StoreResult<i64>;
    /// What audit entries committed after `position` name (for the read
    /// caches of other processes). Never misses an entry, even one whose
    /// transaction started earlier but committed later.
    async fn changes_since(&self, position: i64) -> StoreResult<ChangeFeed>;
    /// Appends entries that have no other state change (sign-in events and the like).
    async fn append_audit(&self, entries: &[AuditEntry]) -> StoreResult<()>;
}

/// Idempotency keys for retried POSTs (R7).
#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Starts work under a key, or reports what an earlier use left. The
    /// claim names this process as its owner; a `running` claim whose
    /// owner no longer beats ([`OpsStore::heartbeat`]) was left by a
    /// process that died and is taken over at once. A claim without an
    /// owner (made before owners were recorded) is taken over when it was
    /// last touched before `stale_before`.
    async fn claim_key(
        &self,
        key: &IdempotencyKey,
        now: OffsetDateTime,
        stale_before: OffsetDateTime,
    ) -> StoreResult<Claim>;
    /// Stores the response for replays.
    async fn complete_key(
        &self,
        key: &IdempotencyKey,
        status: u16,
        body: &[u8],
        now: OffsetDateTime,
    ) -> StoreResult<()>;
    /// Forgets a claim whose work failed unexpectedly, so a retry can run.
    async fn release_key(&self, key: &IdempotencyKey) -> StoreResult<()>;
    /// Removes keys created before `before`; returns how many.
    async fn purge_keys(&self, before: OffsetDateTime) -> StoreResult<u64>;
}

/// Bulk import and export.
#[async_trait]
pub trait BulkStore: Send + Sync {
    /// Opens one all-or-nothing import transaction.
    async fn begin_import(&self) -> StoreResult<Box<dyn ImportSession>>;
    /// Reads everything in import format order, page by page.
    async fn export_page(
        &self,
        what: ExportWhat,
        after: Option<String>,
        limit: u32,
    ) -> StoreResult<ExportPage>;
}

/// How long one heartbeat of a process holds, in ms of the database's
/// clock (never the injected clock: a pinned clock must not keep a dead
/// process's claims alive). A process that died is recognised this long
/// after its last beat at most.
pub const INSTANCE_LEASE_MS: i64 = 5_000;

/// Operations: readiness and counts.
#[async_trait]
pub trait OpsStore: Send + Sync {
    /// Database reachable, migrations current, and a write can commit (a
    /// full disk or a read-only file system makes this fail).
    async fn ready(&self) -> StoreResult<()>;
    /// Tells other processes that this one is alive (its Idempotency-Key
    /// claims are still being worked on). The store beats by itself about
    /// once a second while it is open; each beat holds for
    /// [`INSTANCE_LEASE_MS`] of the database's clock.
    async fn heartbeat(&self) -> StoreResult<()>;
    /// Row counts per table, for verification and metrics.
    async fn counts(&self) -> StoreResult<Vec<(String, i64)>>;
    /// Pending outbox messages (until the delivery worker drains them).
    async fn outbox_pending(&self) -> StoreResult<Vec<OutboxMessage>>;
}

/// Delivering outbox messages: fan-out into deliveries, leases, results,
/// the delivery log and webhook endpoints.
#[async_trait]
pub trait DeliveryStore: Send + Sync {
    /// Turns up to `limit` pending outbox messages into deliveries (one per
    /// email recipient and per subscribed, enabled webhook endpoint) and
    /// marks them handed over, in one transaction; returns how many.
    async fn expand_outbox(&self, now: OffsetDateTime, limit: u32) -> StoreResult<u32>;
    /// Claims up to `limit` due deliveries for `lease`; a claim not finished
    /// by then is due again. Deliveries to disabled endpoints wait.
    async fn claim_deliveries(
        &self,
        now: OffsetDateTime,
        lease: time::Duration,
        limit: u32,
    ) -> StoreResult<Vec<ClaimedDelivery>>;
    /// Records attempts: the delivery log, the delivery's new state (only
    /// under the claim it was made with) and the endpoints' run of failures.
    async fn finish_deliveries(&self, results: &[AttemptResult]) -> StoreResult<()>;
    /// Deliveries, newest last, for the operator.
    async fn deliveries(&self, filter: &DeliveryFilter) -> StoreResult<Vec<DeliveryRecord>>;
    /// How many deliveries have `status` (for the few that need
    /// attention: pending and dead).
    async fn delivery_count(
        &self,
        status: crate::domain::delivery::DeliveryStatus,
    ) -> StoreResult<i64>;
    /// One delivery.
    async fn delivery(&self, id: uuid::Uuid) -> StoreResult<Option<DeliveryRecord>>;
    /// A delivery's attempts, oldest first.
    async fn delivery_attempts(&self, id: uuid::Uuid) -> StoreResult<Vec<AttemptRecord>>;
    /// Queues a delivery again at `now` with a fresh count of attempts;
    /// `NotFound` when it is unknown, `Conflict("delivered")` when done.
    async fn resend_delivery(
        &self,
        id: uuid::Uuid,
        now: OffsetDateTime,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// Every webhook endpoint, oldest first.
    async fn webhook_endpoints(&self) -> StoreResult<Vec<WebhookEndpoint>>;
    /// One webhook endpoint.
    async fn webhook_endpoint(&self, id: uuid::Uuid) -> StoreResult<Option<WebhookEndpoint>>;
    /// Adds or replaces an endpoint, with its audit entry.
    async fn save_webhook_endpoint(
        &self,
        endpoint: &WebhookEndpoint,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// Removes an endpoint and its deliveries; `NotFound` when unknown.
    async fn delete_webhook_endpoint(&self, id: uuid::Uuid, audit: &AuditEntry) -> StoreResult<()>;
    /// Disables an enabled endpoint, telling operators through `outbox`;
    /// `false` when it was already disabled (nothing written).
    async fn disable_webhook_endpoint(
        &self,
        id: uuid::Uuid,
        reason: &str,
        audit: &AuditEntry,
        outbox: &[OutboxMessage],
    ) -> StoreResult<bool>;
    /// Enabled endpoints failing without a success since before `before`.
    async fn failing_endpoints(&self, before: OffsetDateTime) -> StoreResult<Vec<WebhookEndpoint>>;
    /// The vendor's operators, who are told about integrations.
    async fn operators(&self) -> StoreResult<Vec<Contact>>;
}

/// Single sign-on (#21): each account's identity provider, the email
/// domains bound to accounts, linked identities and trips under way.
#[async_trait]
pub trait SsoStore: Send + Sync {
    /// The account's identity provider, if one was set up.
    async fn sso_settings(&self, account: &Csn) -> StoreResult<Option<SsoSettings>>;
    /// Saves the account's identity provider with its audit entry.
    async fn save_sso_settings(
        &self,
        account: &Csn,
        settings: &SsoSettings,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// The binding of an email domain, with its account's provider.
    async fn sso_binding(
        &self,
        domain: &str,
    ) -> StoreResult<Option<(SsoDomain, Option<SsoSettings>)>>;
    /// Bound domains, of one account or all, by domain.
    async fn sso_domains(&self, account: Option<&Csn>) -> StoreResult<Vec<SsoDomain>>;
    /// Binds a domain; `Conflict("unique")` when it is bound already.
    async fn bind_sso_domain(&self, domain: &SsoDomain, audit: &AuditEntry) -> StoreResult<()>;
    /// Unbinds a domain; `NotFound` when it was not bound.
    async fn unbind_sso_domain(&self, domain: &str, audit: &AuditEntry) -> StoreResult<()>;
    /// Records a trip to a provider, dropping trips started before `stale`.
    async fn start_sso_trip(&self, trip: &SsoTrip, stale: OffsetDateTime) -> StoreResult<()>;
    /// Takes a trip by its state's hash: it cannot come back twice.
    async fn take_sso_trip(&self, state_hash: &str) -> StoreResult<Option<SsoTrip>>;
    /// The person linked to a provider's subject.
    async fn sso_identity(&self, issuer: &str, subject: &str) -> StoreResult<Option<UserId>>;
    /// Links a provider's subject to a person who exists (`person`), or
    /// creates the person first (`newcomer`), with the audit entries.
    async fn link_sso_identity(
        &self,
        issuer: &str,
        subject: &str,
        person: SsoPerson<'_>,
        at: OffsetDateTime,
        audit: &[AuditEntry],
    ) -> StoreResult<()>;
}

/// Whom [`SsoStore::link_sso_identity`] links.
#[derive(Debug, Clone, Copy)]
pub enum SsoPerson<'a> {
    /// A person who exists.
    Existing(UserId),
    /// A person created by their first sign-in.
    Newcomer(&'a NewUser),
}

/// SCIM provisioning (#21): an account's tokens and its people as the
/// identity provider writes them.
#[async_trait]
pub trait ScimStore: Send + Sync {
    /// The account of a live token (by hash); notes its use at `at`.
    async fn scim_token_account(
        &self,
        token_hash: &str,
        at: OffsetDateTime,
    ) -> StoreResult<Option<Csn>>;
    /// The account's tokens, newest first.
    async fn scim_tokens(&self, account: &Csn) -> StoreResult<Vec<ScimTokenRecord>>;
    /// Stores a new token (its hash) with its audit entry.
    async fn create_scim_token(
        &self,
        account: &Csn,
        token: &ScimTokenRecord,
        token_hash: &str,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// Revokes a token of the account; `NotFound` when there is no live one.
    async fn revoke_scim_token(
        &self,
        account: &Csn,
        id: uuid::Uuid,
        at: OffsetDateTime,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// The account's people as provisioning sees them, by creation.
    async fn scim_people(&self, account: &Csn) -> StoreResult<Vec<ScimPerson>>;
    /// One of them.
    async fn scim_person(&self, account: &Csn, id: UserId) -> StoreResult<Option<ScimPerson>>;
    /// Creates a person — or brings back one of the account whose access
    /// was removed — with `role`; `Conflict("email")` when the email is
    /// someone else's.
    async fn scim_create(
        &self,
        account: &Csn,
        id: UserId,
        role: crate::domain::roles::Role,
        write: &ScimWrite,
        at: OffsetDateTime,
        audit: &AuditEntry,
    ) -> StoreResult<UserId>;
    /// Rewrites a person; deactivating ends every session and token in
    /// the same transaction. `Conflict("email")` when the new email is
    /// someone else's.
    async fn scim_update(
        &self,
        id: UserId,
        write: &ScimWrite,
        at: OffsetDateTime,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// Removes a person's access (as the portal does): no longer listed.
    async fn scim_delete(
        &self,
        id: UserId,
        at: OffsetDateTime,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
}

/// Reminders before the window closes (#22): sent once each, whichever
/// worker sends them and however often it restarts.
#[async_trait]
pub trait ReminderStore: Send + Sync {
    /// Active contracts whose term ends from `from` to `to` (inclusive),
    /// with the window-closing reminders sent for that term.
    async fn closing_agreements(
        &self,
        from: time::Date,
        to: time::Date,
    ) -> StoreResult<Vec<ClosingAgreement>>;
    /// Records reminders and their mail in one transaction: all of them,
    /// or — when any was recorded already (another worker was quicker) —
    /// none, answering `false`.
    async fn record_reminders(
        &self,
        sent: &[ReminderSent],
        at: OffsetDateTime,
        outbox: &[OutboxMessage],
    ) -> StoreResult<bool>;
}

/// Service-level deadlines (#22): breaches told once, and requests
/// waiting for the new partner escalated once, whichever worker finds them.
#[async_trait]
pub trait DeadlineStore: Send + Sync {
    /// Deadlines of open cases and open disputes that passed before `now`
    /// and were not told yet, at most `limit`, cases first.
    async fn untold_breaches(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<crate::domain::notify::BreachNotice>>;
    /// Records `breaches` as told, with the mail telling them, in one
    /// transaction: all of them, or — when any was told already (another
    /// worker was quicker) — none, answering `false`.
    async fn record_breaches(
        &self,
        breaches: &[crate::domain::notify::BreachNotice],
        at: OffsetDateTime,
        outbox: &[OutboxMessage],
    ) -> StoreResult<bool>;
    /// Requests still waiting for the new partner's answer that expire
    /// after `now` and at or before `until`, not escalated yet, at most
    /// `limit`, the earliest first.
    async fn unescalated_requests(
        &self,
        now: OffsetDateTime,
        until: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<ChangeRequest>>;
    /// Records the escalation of `request` at `at` with its audit entry and
    /// mail, when it is still waiting for the partner's answer, has not
    /// expired and was not escalated yet; else writes nothing and answers
    /// `false`.
    async fn record_escalation(
        &self,
        request: RequestId,
        at: OffsetDateTime,
        audit: &AuditEntry,
        outbox: &[OutboxMessage],
    ) -> StoreResult<bool>;
}

/// Disputes of pending changes (#22).
#[async_trait]
pub trait DisputeStore: Send + Sync {
    /// Files `dispute` and holds its request, with the audit entry and the
    /// mail, in one transaction. `NotFound` when the request is no longer
    /// pending or already due at `dispute.filed_at`; `Conflict("dispute")`
    /// when it was disputed before.
    async fn file_dispute(
        &self,
        dispute: &crate::domain::dispute::Dispute,
        audit: &AuditEntry,
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
    /// Records support's decision on an open dispute: released, the
    /// request may be applied again; upheld, `rejected` is written as the
    /// request's decision. One transaction with the audit entries and the
    /// mails; `NotFound` when the dispute is no longer open (or the request
    /// no longer pending).
    async fn decide_dispute(
        &self,
        decided: &crate::domain::dispute::Dispute,
        rejected: Option<&ChangeRequest>,
        audit: &[AuditEntry],
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
    /// One dispute within `scope`: vendor staff see every one, partner
    /// staff their partner's, customers none.
    async fn dispute(
        &self,
        scope: &Scope,
        id: uuid::Uuid,
    ) -> StoreResult<Option<crate::domain::dispute::Dispute>>;
    /// The dispute of a request, if any (unscoped: the caller saw the
    /// request).
    async fn dispute_of(
        &self,
        request: RequestId,
    ) -> StoreResult<Option<crate::domain::dispute::Dispute>>;
    /// Disputes within `scope`: all newest first, or the open ones the
    /// deadline to meet next first.
    async fn disputes(
        &self,
        scope: &Scope,
        open_only: bool,
        limit: u32,
    ) -> StoreResult<Vec<crate::domain::dispute::Dispute>>;
}

/// A new request with its audit entries and outbox messages, written
/// together or not at all.
#[derive(Debug, Clone)]
pub struct NewRequest {
    /// The request.
    pub request: ChangeRequest,
    /// Its audit entries.
    pub audit: Vec<AuditEntry>,
    /// Its mails and webhooks.
    pub outbox: Vec<OutboxMessage>,
}

/// Consent per program (#22): the operator's choices.
#[async_trait]
pub trait ConsentStore: Send + Sync {
    /// Every program with a choice of its own, by program.
    async fn program_consents(&self) -> StoreResult<Vec<ProgramConsent>>;
    /// Sets the choice for `program` (`Some`) or returns it to the default
    /// (`None`), with its audit entry.
    async fn set_program_consent(
        &self,
        program: &Program,
        consent: Option<&ProgramConsent>,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
}

/// Which transfer codes to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeOwner {
    /// Those of one customer account.
    Account(Csn),
    /// Those a partner redeemed.
    RedeemedBy(Csn),
    /// Every one (vendor staff).
    All,
}

/// Transfer codes (#22): kept as their hash only.
#[async_trait]
pub trait TransferCodeStore: Send + Sync {
    /// Stores a new code by its hash, with one audit entry per agreement.
    async fn insert_transfer_code(
        &self,
        code: &TransferCode,
        code_hash: &str,
        audit: &[AuditEntry],
    ) -> StoreResult<()>;
    /// One code.
    async fn transfer_code(&self, id: uuid::Uuid) -> StoreResult<Option<TransferCode>>;
    /// The code with this hash.
    async fn transfer_code_by_hash(&self, code_hash: &str) -> StoreResult<Option<TransferCode>>;
    /// Codes of `owner`, newest first, before `before` when given.
    async fn transfer_codes(
        &self,
        owner: &CodeOwner,
        before: Option<uuid::Uuid>,
        limit: u32,
    ) -> StoreResult<Vec<TransferCode>>;
    /// Revokes a code still usable at `at`, with its audit entries;
    /// `false` (and nothing written) when it is not.
    async fn revoke_transfer_code(
        &self,
        id: uuid::Uuid,
        by: UserId,
        at: OffsetDateTime,
        audit: &[AuditEntry],
    ) -> StoreResult<bool>;
    /// Redeems a code still usable at `at` for `partner` and writes the
    /// requests it makes, each with its audit entries and mails, and the
    /// code's own audit entries — all in one transaction. `None` (and
    /// nothing written) when the code is no longer usable: of two
    /// concurrent redemptions exactly one wins. Otherwise the requests
    /// inserted; one whose agreement has an open request is not (R7).
    async fn redeem_transfer_code(
        &self,
        id: uuid::Uuid,
        by: UserId,
        partner: &Csn,
        at: OffsetDateTime,
        requests: &[NewRequest],
        audit: &[AuditEntry],
    ) -> StoreResult<Option<Vec<RequestId>>>;
}

/// The vendor's proposals of a new partner (#22).
#[async_trait]
pub trait ProposalStore: Send + Sync {
    /// The agreements `partner` serves now that are in force (active or
    /// suspended: an expired or canceled one has no partner to change),
    /// each with its account, by account and number.
    async fn served_by(&self, partner: &Csn) -> StoreResult<Vec<(AgreementNumber, Csn)>>;
    /// Stores a proposal with its agreements (one row per account, mailed
    /// at its creation), the audit entry and one mail per account, in one
    /// transaction. `Conflict("proposal")` when `from_partner` has one.
    async fn insert_proposal(
        &self,
        proposal: &crate::domain::proposal::Proposal,
        agreements: &[(AgreementNumber, Csn)],
        audit: &AuditEntry,
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
    /// Every proposal, newest first.
    async fn proposals(&self) -> StoreResult<Vec<crate::domain::proposal::Proposal>>;
    /// One proposal with each of its accounts as it stands now.
    async fn proposal(
        &self,
        id: uuid::Uuid,
    ) -> StoreResult<
        Option<(
            crate::domain::proposal::Proposal,
            Vec<crate::domain::proposal::ProposalAccount>,
        )>,
    >;
    /// Records that `accounts` were reminded at `at`, with the audit entry
    /// and their mails, in one transaction.
    async fn record_proposal_reminders(
        &self,
        id: uuid::Uuid,
        accounts: &[Csn],
        at: OffsetDateTime,
        audit: &AuditEntry,
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
}

/// Partners named for an agreement's next renewal (#22).
#[async_trait]
pub trait RenewalStore: Send + Sync {
    /// Schedules `named`, first marking `replaced` (the one it replaces)
    /// as decided, with the audit and the mails, in one transaction.
    /// `Conflict("renewal_partner")` when another is scheduled (or the
    /// replaced one no longer is), `Conflict("open_request")` when a
    /// change request is open on the agreement.
    async fn name_renewal_partner(
        &self,
        named: &RenewalPartner,
        replaced: Option<&RenewalPartner>,
        audit: &[AuditEntry],
        outbox: &[OutboxMessage],
    ) -> StoreResult<()>;
    /// Every partner named for `agreement`'s renewals, newest first.
    async fn renewal_partners(
        &self,
        agreement: &AgreementNumber,
    ) -> StoreResult<Vec<RenewalPartner>>;
    /// Scheduled ones that name `partner`, by renewal date.
    async fn renewals_naming(&self, partner: &Csn) -> StoreResult<Vec<RenewalPartner>>;
    /// Scheduled ones to look at now (`check_at <= now`), oldest first,
    /// each with the person who named it as they are now (`None` when
    /// their access was removed).
    async fn due_renewals(&self, now: OffsetDateTime, limit: u32) -> StoreResult<Vec<DueRenewal>>;
    /// Records the worker's or an admin's decision on a scheduled one:
    /// its new state, when `partners` is given the agreement's new
    /// partners of record (from `decided.decided_at`), the audit and the
    /// mails, in one transaction. `false` when it was no longer scheduled
    /// (someone else decided first): then nothing is written.
    async fn decide_renewal(
        &self,
        decided: &RenewalPartner,
        partners: Option<&[Csn]>,
        audit: &[AuditEntry],
        outbox: &[OutboxMessage],
    ) -> StoreResult<bool>;
    /// A scheduled one that is to wait: looked at again at `check_at`.
    async fn recheck_renewal_at(&self, id: uuid::Uuid, check_at: OffsetDateTime)
    -> StoreResult<()>;
}

/// Changes of partner for many agreements at once in the portal (#22).
#[async_trait]
pub trait BulkRunStore: Send + Sync {
    /// Stores a new run with its agreements.
    async fn create_bulk_run(&self, run: &BulkRun) -> StoreResult<()>;
    /// A run with its items, each with its request's status now.
    async fn bulk_run(&self, id: uuid::Uuid) -> StoreResult<Option<BulkRun>>;
    /// Records the submitted run: its partner, time and each item's
    /// outcome, in one transaction. `false` when it was submitted already
    /// (another tab was quicker): then nothing is written.
    async fn finish_bulk_run(&self, run: &BulkRun) -> StoreResult<bool>;
}

/// Everything kontor keeps.
pub trait Store:
    DirectoryStore
    + TokenStore
    + SessionStore
    + SecondFactorStore
    + SsoStore
    + ScimStore
    + ReminderStore
    + DeadlineStore
    + DisputeStore
    + ConsentStore
    + TransferCodeStore
    + ProposalStore
    + RenewalStore
    + BulkRunStore
    + SupportStore
    + AgreementStore
    + ChangeStore
    + AuditStore
    + IdempotencyStore
    + BulkStore
    + OpsStore
    + DeliveryStore
{
}
impl<T> Store for T where
    T: DirectoryStore
        + TokenStore
        + SessionStore
        + SecondFactorStore
        + SsoStore
        + ScimStore
        + ReminderStore
        + DeadlineStore
        + DisputeStore
        + ConsentStore
        + TransferCodeStore
        + ProposalStore
        + RenewalStore
        + BulkRunStore
        + SupportStore
        + AgreementStore
        + ChangeStore
        + AuditStore
        + IdempotencyStore
        + BulkStore
        + OpsStore
        + DeliveryStore
{
}

/// One import transaction. Writes are batched by the backend; nothing is
/// visible to others until `commit`.
#[async_trait]
pub trait ImportSession: Send {
    /// Inserts or updates a partner by CSN.
    async fn upsert_partner(&mut self, p: &Partner) -> StoreResult<()>;
    /// Inserts or updates an account by CSN.
    async fn upsert_account(&mut self, a: &Account) -> StoreResult<()>;
    /// Inserts or updates a person by email. `password_hash` of `None`
    /// keeps the stored one.
    async fn upsert_user(&mut self, u: &NewUser) -> StoreResult<()>;
    /// The stored password hash of a person, to avoid re-hashing an
    /// unchanged password (so a second import changes nothing).
    async fn password_hash(&mut self, email: &str) -> StoreResult<Option<String>>;
    /// Inserts or updates an agreement; when its partner set differs,
    /// closes the old assignments and opens new ones (source `import`).
    async fn upsert_agreement(&mut self, a: &Agreement, at: OffsetDateTime) -> StoreResult<()>;
    /// Whether an account with this CSN exists (stored or imported earlier in this session).
    async fn account_exists(&mut self, csn: &Csn) -> StoreResult<bool>;
    /// Whether a partner with this CSN exists (stored or imported earlier in this session).
    async fn partner_exists(&mut self, csn: &Csn) -> StoreResult<bool>;
    /// Makes everything visible, with one audit entry.
    async fn commit(self: Box<Self>, audit: &AuditEntry) -> StoreResult<()>;
}

/// Decides, for each due request, what the worker does (pure domain code
/// called by the store inside its transaction).
pub trait ApplyPlanner: Send + Sync {
    /// The decision for one due request.
    fn plan(&self, item: &DueItem<'_>, now: OffsetDateTime) -> ApplyPlan;
}
