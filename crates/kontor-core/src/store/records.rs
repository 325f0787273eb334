//! Plain records passed across the store traits.

use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::agreement::{
    Account, Agreement, AgreementStatus, Partner, ProductLine, str_enum,
};
use crate::domain::audit::AuditEntry;
use crate::domain::change_request::{ChangeRequest, RequestStatus};
use crate::domain::ids::{AgreementKind, AgreementNumber, Csn};
use crate::domain::notify::{Contact, OutboxMessage};
use crate::domain::renewal::RenewalPartner;
use crate::domain::roles::{Actor, Lang, Role, Tenant, UserId};

/// Which tenant's data a read may return (R1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Vendor staff: everything.
    All,
    /// Admins of a customer account: that account's data.
    Account(Csn),
    /// A customer `user`: agreements of the account assigned to them.
    AccountUser(Csn, UserId),
    /// Partner staff: agreements the partner serves, requests that concern it.
    Partner(Csn),
}

impl Scope {
    /// The scope a person reads in.
    pub fn of(actor: &Actor) -> Scope {
        match (&actor.tenant, actor.role) {
            (Tenant::Vendor, _) => Scope::All,
            (Tenant::Partner(p), _) => Scope::Partner(p.clone()),
            (Tenant::Account(a), Role::User) => Scope::AccountUser(a.clone(), actor.user_id),
            (Tenant::Account(a), _) => Scope::Account(a.clone()),
        }
    }
}

impl Scope {
    /// Whether an agreement lies within this scope, judged from the
    /// agreement alone; `None` for `AccountUser`, whose assignments only the
    /// store knows. Must agree with the stores' SQL scope filters (R1).
    pub fn admits(&self, a: &Agreement) -> Option<bool> {
        match self {
            Scope::All => Some(true),
            Scope::Account(c) => Some(&a.account == c),
            Scope::Partner(p) => Some(a.partners.contains(p)),
            Scope::AccountUser(..) => None,
        }
    }
}

/// A stored person.
#[derive(Debug, Clone)]
pub struct UserRecord {
    /// The person.
    pub actor: Actor,
    /// argon2id PHC string; `None` for people who cannot sign in with a password.
    pub password_hash: Option<String>,
    /// Access removed: no sign-in, no tokens, no notifications.
    pub disabled: bool,
}

/// A person to create or import.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Identifier.
    pub id: UserId,
    /// Sign-in email, lower-cased.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Tenant, consistent with the role.
    pub tenant: Tenant,
    /// Language.
    pub lang: Lang,
    /// argon2id PHC string.
    pub password_hash: Option<String>,
    /// When created.
    pub created_at: OffsetDateTime,
}

/// A personal API token to store (only its hash).
#[derive(Debug, Clone)]
pub struct NewToken {
    /// Identifier.
    pub id: Uuid,
    /// Owner.
    pub user_id: UserId,
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    /// Owner's label for it.
    pub label: String,
    /// When issued.
    pub created_at: OffsetDateTime,
    /// When it stops working by itself (`None`: when revoked).
    pub expires_at: Option<OffsetDateTime>,
}

/// An issued API token, as its owner sees it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    /// Identifier.
    pub id: Uuid,
    /// Owner.
    pub user_id: UserId,
    /// Owner's label.
    pub label: String,
    /// When issued.
    pub created_at: OffsetDateTime,
    /// When revoked.
    pub revoked_at: Option<OffsetDateTime>,
    /// When it stops working by itself.
    pub expires_at: Option<OffsetDateTime>,
}

/// An agreement with its open change request.
#[derive(Debug, Clone)]
pub struct AgreementState {
    /// The agreement and its current partners.
    pub agreement: Agreement,
    /// Pending or awaiting-partner request, if any.
    pub open_request: Option<ChangeRequest>,
    /// The partner named for the next renewal, if any (#22).
    pub renewal_partner: Option<RenewalPartner>,
}

/// What a transaction does to a partner named for the renewal (#22), as
/// the service saw it; the store checks it still holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenewalAtTransaction {
    /// Nothing: the transaction is no renewal and not placed by a named partner.
    Unaffected,
    /// A renewal, with no partner named for it.
    NoneNamed,
    /// Placed by the named partner: it is applied (the decided record).
    Applies(Box<RenewalPartner>),
}

/// A scheduled renewal partner to look at, with the person who named it
/// as they are now.
#[derive(Debug, Clone)]
pub struct DueRenewal {
    /// The partner named.
    pub named: RenewalPartner,
    /// The person who named it, unless their access was removed.
    pub named_by: Option<Actor>,
}

/// Filters of the agreement list.
#[derive(Debug, Clone, Default)]
pub struct AgreementFilter {
    /// Only this kind.
    pub kind: Option<AgreementKind>,
    /// Only this status.
    pub status: Option<AgreementStatus>,
    /// Only where this partner is partner of record.
    pub partner: Option<Csn>,
    /// Only this customer account's (vendor staff's view of one account;
    /// it narrows the caller's scope, never widens it).
    pub account: Option<Csn>,
    /// A number or partner CSN prefix (spaces and dashes allowed), or a
    /// substring of a product or current partner name.
    pub q: Option<String>,
    /// How the list is ordered (always ending on the number, so a page
    /// boundary is exact).
    pub order: AgreementOrder,
    /// Cursor: the last number of the previous page.
    pub after: Option<AgreementNumber>,
    /// Cursor, when ordered by term end: the last row's term end.
    pub after_term_end: Option<time::Date>,
    /// Page size.
    pub limit: u32,
}

/// The orders of the agreement list (#19: sortable columns).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AgreementOrder {
    /// By number, ascending (the default).
    #[default]
    Number,
    /// By number, descending.
    NumberDesc,
    /// By term end, the soonest first.
    TermEnd,
    /// By term end, the latest first.
    TermEndDesc,
}

impl AgreementOrder {
    /// Every order with its stable name, as links and queries carry it.
    pub const ALL: [(AgreementOrder, &'static str); 4] = [
        (AgreementOrder::Number, "number"),
        (AgreementOrder::NumberDesc, "-number"),
        (AgreementOrder::TermEnd, "term_end"),
        (AgreementOrder::TermEndDesc, "-term_end"),
    ];

    /// Parses a stable name.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == raw).map(|(o, _)| *o)
    }

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(o, _)| *o == self)
            .map(|(_, n)| *n)
            .unwrap_or("number")
    }

    /// Whether the order runs from the largest value down.
    pub fn descending(self) -> bool {
        matches!(
            self,
            AgreementOrder::NumberDesc | AgreementOrder::TermEndDesc
        )
    }
}

/// Filters of the request list.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    /// Only this status.
    pub status: Option<RequestStatus>,
    /// Only this agreement.
    pub agreement: Option<AgreementNumber>,
    /// Only requests moving agreements to this partner (a partner's
    /// incoming changes).
    pub new_partner: Option<Csn>,
    /// Only requests replacing this partner (a partner's outgoing changes).
    pub old_partner: Option<Csn>,
    /// Cursor: the last id of the previous page (ids sort by time).
    pub before: Option<Uuid>,
    /// Page size.
    pub limit: u32,
}

/// Filters of the audit log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only this agreement.
    pub agreement: Option<AgreementNumber>,
    /// Only this account (vendor staff's audit search).
    pub account: Option<Csn>,
    /// Only this action.
    pub action: Option<crate::domain::audit::AuditAction>,
    /// Cursor: the sequence number of the last entry of the previous page.
    pub after: Option<i64>,
    /// Page size.
    pub limit: u32,
}

/// What other processes changed since a feed position (see
/// [`crate::store::AuditStore::changes_since`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeFeed {
    /// Agreements named by the new audit entries, each once.
    pub agreements: Vec<AgreementNumber>,
    /// Some new entry named no agreement (directory, people, imports).
    pub other: bool,
    /// Some new entry changed an agreement's partners of record.
    pub partners: bool,
    /// Where to continue from.
    pub position: i64,
    /// More changes wait beyond this page.
    pub more: bool,
    /// Transactions that started before others still run, so entries
    /// already committed may wait beyond `position` until they end.
    pub behind: bool,
}

/// An audit entry with its position in the log.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRecord {
    /// Position (cursor).
    pub seq: i64,
    /// The entry.
    #[serde(flatten)]
    pub entry: AuditEntry,
}

str_enum!(
    /// Kind of financial transaction (R3).
    TransactionKind {
        /// A new term.
        Renewal = "renewal",
        /// More seats of a product.
        AddSeats = "add_seats",
        /// A different term end.
        SwitchTerm = "switch_term",
        /// Another product replacing one.
        Upgrade = "upgrade",
    }
);

/// A financial transaction on an agreement (R3).
#[derive(Debug, Clone, Serialize)]
pub struct Transaction {
    /// Identifier.
    pub id: Uuid,
    /// The agreement.
    pub agreement: AgreementNumber,
    /// What kind.
    pub kind: TransactionKind,
    /// The partner placing it; becomes partner of record on completion.
    pub partner: Csn,
    /// Who recorded it.
    pub recorded_by: UserId,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
    /// New term end (renewal, switch_term).
    pub term_end: Option<Date>,
    /// Product line added or upgraded to (add_seats, upgrade).
    pub product: Option<ProductLine>,
    /// Product replaced (upgrade).
    pub replaces: Option<String>,
}

/// A due request with everything the planner needs, read in the same
/// transaction that applies it. Borrowed from the batch the store read, so
/// planning a thousand requests copies nothing it does not keep.
#[derive(Debug, Clone)]
pub struct DueItem<'a> {
    /// The request (status pending, due).
    pub request: &'a ChangeRequest,
    /// The agreement as it is now, if it still exists.
    pub agreement: Option<&'a Agreement>,
    /// The new partner as it is now, if it still exists.
    pub new_partner: Option<&'a Partner>,
    /// The requester as they are now (role and tenant may have changed).
    pub requester: Option<&'a Actor>,
    /// Admins of the account now (R10).
    pub admins: &'a [Contact],
    /// Current partners of record, with their contacts (R10).
    pub current_partners: Vec<&'a Partner>,
}

/// What to do with one due request.
#[derive(Debug, Clone)]
pub struct ApplyPlan {
    /// The request in its final state (applied or rejected, with reasons).
    pub decided: ChangeRequest,
    /// Audit entries to write.
    pub audit: Vec<AuditEntry>,
    /// Notifications to queue.
    pub outbox: Vec<OutboxMessage>,
}

/// What one worker round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplyReport {
    /// Requests applied.
    pub applied: u32,
    /// Requests rejected (R8).
    pub rejected: u32,
}

impl ApplyReport {
    /// Requests handled in all.
    pub fn total(&self) -> u32 {
        self.applied + self.rejected
    }
}

/// What one worker batch did, and to which agreements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppliedBatch {
    /// How many requests were applied and rejected.
    pub report: ApplyReport,
    /// The agreement of every request the batch decided: what a cache of
    /// agreements must forget.
    pub agreements: Vec<AgreementNumber>,
}

/// Key and fingerprint of an idempotent request, scoped to the caller.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    /// The caller.
    pub user: UserId,
    /// The operation ("POST /api/v1/partner-changes").
    pub scope: String,
    /// The client's `Idempotency-Key` header.
    pub key: String,
    /// SHA-256 of the request body, hex.
    pub fingerprint: String,
    /// This attempt's own id: finishing or releasing a claim touches it
    /// only while it is still this attempt's (not a retry's that took the
    /// key over meanwhile).
    pub attempt: uuid::Uuid,
}

/// What claiming an idempotency key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// New key: do the work, then `complete_key`.
    Started,
    /// Done before with the same body: replay this response.
    Replay {
        /// HTTP status.
        status: u16,
        /// Response body bytes.
        body: Vec<u8>,
    },
    /// Used before with another body.
    Mismatch,
    /// The first request with this key is still running.
    InFlight,
}

/// Which collection to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportWhat {
    /// The partner directory.
    Partners,
    /// Accounts with their users.
    Accounts,
    /// Agreements with current partners.
    Agreements,
}

/// One page of an export.
#[derive(Debug, Clone, Default)]
pub struct ExportPage {
    /// Partners on this page.
    pub partners: Vec<Partner>,
    /// Accounts with their users on this page.
    pub accounts: Vec<(Account, Vec<UserRecord>)>,
    /// Agreements on this page.
    pub agreements: Vec<Agreement>,
    /// Cursor for the next page; `None` at the end.
    pub next: Option<String>,
}

/// A session to store.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 of the session id, hex.
    pub id_hash: String,
    /// Who signed in.
    pub user_id: UserId,
    /// The session's CSRF form token.
    pub csrf: String,
    /// When signed in.
    pub created_at: OffsetDateTime,
    /// The browser's `User-Agent` (shortened), so the person can tell
    /// their sessions apart.
    pub user_agent: Option<String>,
}

/// One of a person's sessions, as their settings list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// SHA-256 of the session id, hex (the current one is marked by it).
    pub id_hash: String,
    /// When signed in.
    pub created_at: OffsetDateTime,
    /// Last activity.
    pub last_seen_at: OffsetDateTime,
    /// The browser's `User-Agent`, when it sent one.
    pub user_agent: Option<String>,
}

/// What a person sets about themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Display name.
    pub name: String,
    /// Language of pages and mails.
    pub lang: Lang,
    /// Zone of the times shown to them.
    pub time_zone: crate::domain::zone::Zone,
}

/// A stored session with its person.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    /// The person.
    pub actor: Actor,
    /// The session's CSRF form token.
    pub csrf: String,
    /// When signed in (absolute expiry counts from here).
    pub created_at: OffsetDateTime,
    /// Last activity (idle expiry counts from here).
    pub last_seen_at: OffsetDateTime,
    /// When the person last proved who they are in this session (sign-in,
    /// a second factor, re-authentication).
    pub verified_at: OffsetDateTime,
    /// What decides whether they must set up a second factor.
    pub second_factor: crate::domain::second_factor::SecondFactorFacts,
}

/// A person's authenticator-app key as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpRecord {
    /// The key, base32.
    pub secret: String,
    /// When the first code confirmed it; `None` while enrolment waits.
    pub confirmed_at: Option<OffsetDateTime>,
    /// The step of the last code accepted.
    pub last_step: Option<u64>,
}

/// A person's second factors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecondFactorRecord {
    /// Their authenticator app, confirmed or waiting for the first code.
    pub totp: Option<TotpRecord>,
    /// Recovery codes not used yet.
    pub recovery_left: u32,
}

impl SecondFactorRecord {
    /// A confirmed app key.
    pub fn confirmed_totp(&self) -> Option<&TotpRecord> {
        self.totp.as_ref().filter(|t| t.confirmed_at.is_some())
    }
}

/// A passkey as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyRecord {
    /// The authenticator's credential id, base64url.
    pub credential_id: String,
    /// Whose.
    pub user_id: UserId,
    /// The person's name for it ("Laptop", "YubiKey").
    pub name: String,
    /// COSE algorithm.
    pub algorithm: i64,
    /// DER SubjectPublicKeyInfo.
    pub public_key: Vec<u8>,
    /// The last counter seen.
    pub sign_count: u32,
    /// When added.
    pub created_at: OffsetDateTime,
    /// When last used to sign in.
    pub last_used_at: Option<OffsetDateTime>,
}

/// What removing a second factor removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorRemoval {
    /// The authenticator app and its recovery codes (the person's own
    /// choice; their passkeys stay).
    App,
    /// Every second factor: app, recovery codes and passkeys (a reset).
    Everything,
}

/// The second step of a sign-in: the password was right, the second
/// factor is outstanding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigninChallenge {
    /// SHA-256 of the id the browser holds, hex.
    pub id_hash: String,
    /// Who.
    pub user_id: UserId,
    /// When the password was accepted.
    pub created_at: OffsetDateTime,
    /// Where to go after signing in.
    pub next: String,
    /// The browser's zone, as reported with the password.
    pub time_zone: String,
}

/// An invitation to store (only the token's hash).
#[derive(Debug, Clone)]
pub struct NewInvitation {
    /// What the link is for.
    pub purpose: LinkPurpose,
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    /// When created.
    pub created_at: OffsetDateTime,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
}

/// A stored invitation with its person.
#[derive(Debug, Clone)]
pub struct InvitationRecord {
    /// The invited person.
    pub user: UserRecord,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
    /// Already used.
    pub used: bool,
}

str_enum!(
    /// What a one-time link sets the password for.
    LinkPurpose {
        /// First sign-in of an invited person.
        Invitation = "invitation",
        /// A forgotten password.
        PasswordReset = "password_reset",
    }
);

/// An operator-managed webhook endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEndpoint {
    /// Identifier.
    pub id: Uuid,
    /// Where events are POSTed.
    pub url: String,
    /// What it is for, free text.
    pub description: String,
    /// Event types it receives; empty means all.
    pub event_types: Vec<String>,
    /// `whsec_…` signing secret.
    pub secret: String,
    /// The secret before the last rotation, still signed with until
    /// `previous_secret_until`.
    pub previous_secret: Option<String>,
    /// End of the rotation overlap.
    pub previous_secret_until: Option<OffsetDateTime>,
    /// Receives events.
    pub enabled: bool,
    /// Why it was disabled.
    pub disabled_reason: Option<String>,
    /// Start of the current run of failures.
    pub failing_since: Option<OffsetDateTime>,
    /// Created.
    pub created_at: OffsetDateTime,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

/// A delivery claimed for one attempt.
#[derive(Debug, Clone)]
pub struct ClaimedDelivery {
    /// Identifier; also the email's Message-ID.
    pub id: Uuid,
    /// This claim: only its holder may record the result.
    pub claim: Uuid,
    /// The attempt this is, from 1.
    pub attempt: u32,
    /// The message.
    pub message: OutboxMessage,
    /// When the event happened (the outbox row's creation).
    pub event_at: OffsetDateTime,
    /// Email recipient, or webhook endpoint.
    pub target: DeliveryTarget,
}

/// Who a delivery goes to.
#[derive(Debug, Clone)]
pub enum DeliveryTarget {
    /// One email.
    Email(crate::domain::notify::Recipient),
    /// One webhook endpoint.
    Webhook(WebhookEndpoint),
}

/// The outcome of one attempt, to record.
#[derive(Debug, Clone)]
pub struct AttemptResult {
    /// The delivery.
    pub id: Uuid,
    /// The claim it was made under.
    pub claim: Uuid,
    /// When the attempt started.
    pub at: OffsetDateTime,
    /// HTTP or SMTP status, when there was an answer.
    pub status_code: Option<u16>,
    /// How long it took.
    pub latency_ms: u32,
    /// What went wrong, readable.
    pub error: Option<String>,
    /// What happens next.
    pub next: AttemptNext,
}

/// A delivery's state after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptNext {
    /// Done.
    Delivered,
    /// Pending again from this instant.
    RetryAt(OffsetDateTime),
    /// Dead letter.
    Dead,
}

/// A delivery, for the operator's view.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryRecord {
    /// Position, for paging.
    pub seq: i64,
    /// Identifier.
    pub id: Uuid,
    /// The event's stable id.
    pub event_id: Uuid,
    /// The outbox message's kind.
    pub kind: String,
    /// Email or webhook.
    pub channel: crate::domain::delivery::Channel,
    /// Email address, for emails.
    pub recipient: Option<String>,
    /// Endpoint, for webhooks.
    pub endpoint_id: Option<Uuid>,
    /// Pending, delivered or dead.
    pub status: crate::domain::delivery::DeliveryStatus,
    /// Attempts made since it was (re)queued.
    pub attempts: u32,
    /// When the next attempt is due: pending deliveries only, and not
    /// while their endpoint is disabled.
    #[serde(with = "time::serde::rfc3339::option")]
    pub next_attempt_at: Option<OffsetDateTime>,
    /// Last error.
    pub last_error: Option<String>,
    /// Last HTTP or SMTP status.
    pub last_status: Option<u16>,
    /// Queued.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Delivered.
    #[serde(with = "time::serde::rfc3339::option")]
    pub delivered_at: Option<OffsetDateTime>,
}

/// One attempt in the delivery log.
#[derive(Debug, Clone, Serialize)]
pub struct AttemptRecord {
    /// When it started.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// HTTP or SMTP status, when there was an answer.
    pub status_code: Option<u16>,
    /// How long it took.
    pub latency_ms: u32,
    /// What went wrong.
    pub error: Option<String>,
}

/// Which deliveries to list.
#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    /// Only this status.
    pub status: Option<crate::domain::delivery::DeliveryStatus>,
    /// Only this channel.
    pub channel: Option<crate::domain::delivery::Channel>,
    /// Only this endpoint's.
    pub endpoint: Option<Uuid>,
    /// After this position.
    pub after: Option<i64>,
    /// The newest first (the back office's view) instead of in order.
    pub newest_first: bool,
    /// At most this many.
    pub limit: u32,
}

/// A trip to an account's identity provider, waiting for its answer
/// (#21): single use, [`crate::domain::sso::STATE_MINUTES`] long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoTrip {
    /// SHA-256 of the `state` sent along, hex.
    pub state_hash: String,
    /// The account whose provider it went to.
    pub account: crate::domain::ids::Csn,
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// The PKCE verifier for the token endpoint.
    pub code_verifier: String,
    /// Where to go after signing in.
    pub next: String,
    /// When it started.
    pub started_at: OffsetDateTime,
}

/// A person as SCIM provisioning sees them (#21): everyone of the account
/// except those whose access was removed (a deactivated person is listed,
/// with `active: false`).
#[derive(Debug, Clone)]
pub struct ScimPerson {
    /// The person.
    pub user: UserRecord,
    /// The provider's id of them.
    pub external_id: Option<String>,
    /// The SCIM attributes as last written by the provider.
    pub profile: Option<serde_json::Value>,
    /// When they were created.
    pub created_at: OffsetDateTime,
}

/// What a provisioning write stores of a person.
#[derive(Debug, Clone, PartialEq)]
pub struct ScimWrite {
    /// Sign-in email, lower case.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Language.
    pub lang: crate::domain::roles::Lang,
    /// The provider's id of them.
    pub external_id: Option<String>,
    /// The SCIM attributes as written.
    pub profile: serde_json::Value,
    /// `false`: access ends (every session and token), the person stays
    /// listed as deactivated.
    pub active: bool,
}

/// A provisioning token of an account (only its hash is stored).
#[derive(Debug, Clone)]
pub struct ScimTokenRecord {
    /// Identifier.
    pub id: uuid::Uuid,
    /// What it is for ("Entra ID").
    pub label: String,
    /// Who made it (email).
    pub created_by: String,
    /// When.
    pub created_at: OffsetDateTime,
    /// When it was revoked.
    pub revoked_at: Option<OffsetDateTime>,
    /// When it was last used.
    pub last_used_at: Option<OffsetDateTime>,
}

/// An active contract whose window for a partner change closes soon
/// (#22 reminders), with what was sent about its current term.
#[derive(Debug, Clone)]
pub struct ClosingAgreement {
    /// The agreement.
    pub agreement: crate::domain::agreement::Agreement,
    /// A change is open on it (no reminder then).
    pub open_request: bool,
    /// Reminder offsets (days) already sent for this term.
    pub sent: Vec<i64>,
}

/// A reminder to record as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderSent {
    /// The agreement.
    pub agreement: crate::domain::ids::AgreementNumber,
    /// The term it is about.
    pub term_end: time::Date,
    /// Days before the window closes.
    pub offset_days: i64,
}
