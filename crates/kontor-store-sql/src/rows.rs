//! Row types and their conversion to domain types, for both backends.
//!
//! Both schemas store the same columns with the same meaning (instants as
//! unix milliseconds, ids and dates as text, lists as JSON text), so one
//! set of `FromRow` types serves SQLite and PostgreSQL.

use anyhow::{Context, anyhow};
use kontor_core::domain::agreement::{
    Agreement, AgreementStatus, Partner, PartnerStatus, Program, SupportLevel,
};
use kontor_core::domain::audit::{AuditAction, AuditEntry};
use kontor_core::domain::change_request::{ChangeRequest, RequestId, RequestStatus};
use kontor_core::domain::eligibility::ReasonCode;
use kontor_core::domain::ids::{AgreementNumber, Csn};
use kontor_core::domain::notify::{Contact, MutedEvents};
use kontor_core::domain::renewal::{RenewalPartner, RenewalStatus};
use kontor_core::domain::roles::{Actor, Lang, Role, Tenant, UserId};
use kontor_core::domain::second_factor::{AccountSecurity, SecondFactorFacts, TwoFactorRule};
use kontor_core::domain::support::{CaseMessage, CaseSide, CaseStatus, SupportCase};
use kontor_core::domain::zone::Zone;
use kontor_core::store::{AgreementState, AuditRecord};
use kontor_core::{StoreError, StoreResult};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Unix milliseconds of an instant.
pub fn ms(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// The instant of unix milliseconds.
pub fn from_ms(v: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(v as i128 * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

pub fn bad(what: &str, raw: &str) -> StoreError {
    StoreError::Other(anyhow!("corrupt {what} in database: {raw:?}"))
}

pub fn csn(raw: &str) -> Result<Csn, StoreError> {
    Csn::parse(raw).map_err(|_| bad("CSN", raw))
}

pub fn date(raw: &str) -> Result<Date, StoreError> {
    kontor_core::domain::values::parse_date(raw).ok_or_else(|| bad("date", raw))
}

pub fn uuid(raw: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(raw).map_err(|_| bad("uuid", raw))
}

pub fn csn_list(raw: &str) -> Result<Vec<Csn>, StoreError> {
    let list: Vec<String> = serde_json::from_str(raw).map_err(|_| bad("CSN list", raw))?;
    list.iter().map(|s| csn(s)).collect()
}

#[derive(sqlx::FromRow)]
pub struct PartnerRow {
    pub csn: String,
    pub name: String,
    pub city: String,
    pub country: String,
    pub status: String,
    pub email: String,
}

impl TryFrom<PartnerRow> for Partner {
    type Error = StoreError;
    fn try_from(r: PartnerRow) -> Result<Partner, StoreError> {
        Ok(Partner {
            csn: csn(&r.csn)?,
            status: PartnerStatus::parse(&r.status)
                .ok_or_else(|| bad("partner status", &r.status))?,
            name: r.name,
            city: r.city,
            country: r.country,
            email: r.email,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct AgreementRow {
    pub number: String,
    pub account_csn: String,
    pub term_start: String,
    pub term_end: String,
    pub auto_renew: bool,
    pub program: String,
    pub support_level: String,
    pub status: String,
    pub products: String,
    pub partners: String,
}

impl TryFrom<AgreementRow> for Agreement {
    type Error = StoreError;
    fn try_from(r: AgreementRow) -> Result<Agreement, StoreError> {
        Ok(Agreement {
            number: AgreementNumber::parse(&r.number)
                .map_err(|_| bad("agreement number", &r.number))?,
            account: csn(&r.account_csn)?,
            products: serde_json::from_str(&r.products)
                .map_err(|_| bad("products", &r.products))?,
            term_start: date(&r.term_start)?,
            term_end: date(&r.term_end)?,
            auto_renew: r.auto_renew,
            program: Program::parse(&r.program).ok_or_else(|| bad("program", &r.program))?,
            support_level: SupportLevel::parse(&r.support_level)
                .ok_or_else(|| bad("support level", &r.support_level))?,
            status: AgreementStatus::parse(&r.status).ok_or_else(|| bad("status", &r.status))?,
            partners: csn_list(&r.partners)?,
        })
    }
}

pub const REQUEST_COLUMNS: &str = "r.id, r.agreement_number, r.account_csn, r.old_partners, r.new_partner_csn, r.status, \
     r.requested_by, r.created_at, r.due_at, r.decided_at, r.decided_by, r.reasons, r.idempotency_key";

#[derive(sqlx::FromRow)]
pub struct RequestRow {
    pub id: String,
    pub agreement_number: String,
    pub account_csn: String,
    pub old_partners: String,
    pub new_partner_csn: String,
    pub status: String,
    pub requested_by: String,
    pub created_at: i64,
    pub due_at: i64,
    pub decided_at: Option<i64>,
    pub decided_by: Option<String>,
    pub reasons: String,
    pub idempotency_key: Option<String>,
}

impl TryFrom<RequestRow> for ChangeRequest {
    type Error = StoreError;
    fn try_from(r: RequestRow) -> Result<ChangeRequest, StoreError> {
        let reasons: Vec<String> =
            serde_json::from_str(&r.reasons).map_err(|_| bad("reasons", &r.reasons))?;
        Ok(ChangeRequest {
            id: RequestId(uuid(&r.id)?),
            agreement: AgreementNumber::parse(&r.agreement_number)
                .map_err(|_| bad("agreement number", &r.agreement_number))?,
            account: csn(&r.account_csn)?,
            old_partners: csn_list(&r.old_partners)?,
            new_partner: csn(&r.new_partner_csn)?,
            status: RequestStatus::parse(&r.status)
                .ok_or_else(|| bad("request status", &r.status))?,
            requested_by: UserId(uuid(&r.requested_by)?),
            created_at: from_ms(r.created_at),
            due_at: from_ms(r.due_at),
            decided_at: r.decided_at.map(from_ms),
            decided_by: r.decided_by.as_deref().map(uuid).transpose()?.map(UserId),
            reasons: reasons
                .iter()
                .filter_map(|c| ReasonCode::parse(c))
                .collect(),
            idempotency_key: r.idempotency_key,
        })
    }
}

/// The columns of [`RenewalRow`] on `renewal_partners n`.
pub const RENEWAL_COLUMNS: &str = "n.id, n.agreement_number, n.account_csn, n.new_partner_csn, n.named_by, \
     n.named_at, n.term_end, n.due_at, n.status, n.decided_at, n.decided_by, n.reasons, n.transaction_id";

/// A partner named for an agreement's renewal (#22).
#[derive(sqlx::FromRow)]
pub struct RenewalRow {
    pub id: String,
    pub agreement_number: String,
    pub account_csn: String,
    pub new_partner_csn: String,
    pub named_by: String,
    pub named_at: i64,
    pub term_end: String,
    pub due_at: i64,
    pub status: String,
    pub decided_at: Option<i64>,
    pub decided_by: Option<String>,
    pub reasons: String,
    pub transaction_id: Option<String>,
}

impl TryFrom<RenewalRow> for RenewalPartner {
    type Error = StoreError;
    fn try_from(r: RenewalRow) -> Result<RenewalPartner, StoreError> {
        let reasons: Vec<String> =
            serde_json::from_str(&r.reasons).map_err(|_| bad("reasons", &r.reasons))?;
        Ok(RenewalPartner {
            id: uuid(&r.id)?,
            agreement: AgreementNumber::parse(&r.agreement_number)
                .map_err(|_| bad("agreement number", &r.agreement_number))?,
            account: csn(&r.account_csn)?,
            new_partner: csn(&r.new_partner_csn)?,
            named_by: UserId(uuid(&r.named_by)?),
            named_at: from_ms(r.named_at),
            term_end: date(&r.term_end)?,
            due_at: from_ms(r.due_at),
            status: RenewalStatus::parse(&r.status)
                .ok_or_else(|| bad("renewal status", &r.status))?,
            decided_at: r.decided_at.map(from_ms),
            decided_by: r.decided_by.as_deref().map(uuid).transpose()?.map(UserId),
            reasons: reasons
                .iter()
                .filter_map(|c| ReasonCode::parse(c))
                .collect(),
            transaction: r.transaction_id.as_deref().map(uuid).transpose()?,
        })
    }
}

/// The scheduled renewal partner's columns under `n_` names, for a LEFT
/// JOIN that may find none (only the ones a scheduled one has).
pub const RENEWAL_COLUMNS_OPT: &str = "n.id AS n_id, n.account_csn AS n_account_csn, \
     n.new_partner_csn AS n_new_partner_csn, n.named_by AS n_named_by, n.named_at AS n_named_at, \
     n.term_end AS n_term_end, n.due_at AS n_due_at";

/// The join that finds an agreement's scheduled renewal partner (one at
/// most: a partial unique index).
pub const RENEWAL_JOIN: &str =
    "LEFT JOIN renewal_partners n ON n.agreement_number = a.number AND n.status = 'scheduled'";

/// The request columns under `r_` names, for a LEFT JOIN that may find none.
pub const REQUEST_COLUMNS_OPT: &str = "r.id AS r_id, r.agreement_number AS r_agreement_number, \
     r.account_csn AS r_account_csn, r.old_partners AS r_old_partners, r.new_partner_csn AS r_new_partner_csn, \
     r.status AS r_status, r.requested_by AS r_requested_by, r.created_at AS r_created_at, r.due_at AS r_due_at, \
     r.decided_at AS r_decided_at, r.decided_by AS r_decided_by, r.reasons AS r_reasons, \
     r.idempotency_key AS r_idempotency_key";

/// An agreement with its open request, if any (one row of a LEFT JOIN).
#[derive(sqlx::FromRow)]
pub struct AgreementWithRequestRow {
    #[sqlx(flatten)]
    pub agreement: AgreementRow,
    pub r_id: Option<String>,
    pub r_agreement_number: Option<String>,
    pub r_account_csn: Option<String>,
    pub r_old_partners: Option<String>,
    pub r_new_partner_csn: Option<String>,
    pub r_status: Option<String>,
    pub r_requested_by: Option<String>,
    pub r_created_at: Option<i64>,
    pub r_due_at: Option<i64>,
    pub r_decided_at: Option<i64>,
    pub r_decided_by: Option<String>,
    pub r_reasons: Option<String>,
    pub r_idempotency_key: Option<String>,
    pub n_id: Option<String>,
    pub n_account_csn: Option<String>,
    pub n_new_partner_csn: Option<String>,
    pub n_named_by: Option<String>,
    pub n_named_at: Option<i64>,
    pub n_term_end: Option<String>,
    pub n_due_at: Option<i64>,
}

impl AgreementWithRequestRow {
    /// The agreement with its open request and scheduled renewal partner.
    pub fn state(self) -> Result<AgreementState, StoreError> {
        let open_request = self.open_request()?;
        let renewal_partner = self.renewal_partner()?;
        Ok(AgreementState {
            agreement: self.agreement.try_into()?,
            open_request,
            renewal_partner,
        })
    }

    /// The scheduled renewal partner, when the join found one.
    fn renewal_partner(&self) -> Result<Option<RenewalPartner>, StoreError> {
        let (
            Some(id),
            Some(account_csn),
            Some(new_partner_csn),
            Some(named_by),
            Some(named_at),
            Some(term_end),
            Some(due_at),
        ) = (
            self.n_id.clone(),
            self.n_account_csn.clone(),
            self.n_new_partner_csn.clone(),
            self.n_named_by.clone(),
            self.n_named_at,
            self.n_term_end.clone(),
            self.n_due_at,
        )
        else {
            return Ok(None);
        };
        RenewalRow {
            id,
            agreement_number: self.agreement.number.clone(),
            account_csn,
            new_partner_csn,
            named_by,
            named_at,
            term_end,
            due_at,
            status: "scheduled".into(),
            decided_at: None,
            decided_by: None,
            reasons: "[]".into(),
            transaction_id: None,
        }
        .try_into()
        .map(Some)
    }

    /// The open request, when the join found one.
    pub fn open_request(&self) -> Result<Option<ChangeRequest>, StoreError> {
        let (
            Some(id),
            Some(agreement_number),
            Some(account_csn),
            Some(old_partners),
            Some(new_partner_csn),
            Some(status),
            Some(requested_by),
            Some(created_at),
            Some(due_at),
            Some(reasons),
        ) = (
            self.r_id.clone(),
            self.r_agreement_number.clone(),
            self.r_account_csn.clone(),
            self.r_old_partners.clone(),
            self.r_new_partner_csn.clone(),
            self.r_status.clone(),
            self.r_requested_by.clone(),
            self.r_created_at,
            self.r_due_at,
            self.r_reasons.clone(),
        )
        else {
            return Ok(None);
        };
        RequestRow {
            id,
            agreement_number,
            account_csn,
            old_partners,
            new_partner_csn,
            status,
            requested_by,
            created_at,
            due_at,
            decided_at: self.r_decided_at,
            decided_by: self.r_decided_by.clone(),
            reasons,
            idempotency_key: self.r_idempotency_key.clone(),
        }
        .try_into()
        .map(Some)
    }
}

/// A person's columns (as `u`), with their account's or partner's country
/// for the time zone of someone who has not chosen one.
pub const USER_COLUMNS: &str = "u.id, u.email, u.name, u.role, u.account_csn, u.partner_csn, u.lang, \
     u.password_hash, u.disabled_at, u.time_zone, \
     COALESCE((SELECT a.country FROM accounts a WHERE a.csn = u.account_csn), \
              (SELECT p.country FROM partners p WHERE p.csn = u.partner_csn)) AS country";

/// Someone to tell (a person as `u`), for [`ContactRow`].
pub const CONTACT_COLUMNS: &str = "u.email, u.lang, u.time_zone, u.muted_events, \
     (SELECT a.country FROM accounts a WHERE a.csn = u.account_csn) AS country";

/// The zone a person's times are shown in: their choice, else their
/// tenant's country's (vendor staff have none: UTC).
pub fn zone_of(chosen: Option<&str>, country: Option<&str>) -> Zone {
    chosen
        .and_then(Zone::parse)
        .or_else(|| country.map(Zone::of_country))
        .unwrap_or(Zone::UTC)
}

#[derive(sqlx::FromRow)]
pub struct ContactRow {
    pub email: String,
    pub lang: String,
    pub time_zone: Option<String>,
    pub muted_events: String,
    pub country: Option<String>,
}

/// An account admin to tell, with the account.
#[derive(sqlx::FromRow)]
pub struct AdminContactRow {
    pub account_csn: String,
    #[sqlx(flatten)]
    pub contact: ContactRow,
}

impl From<ContactRow> for Contact {
    fn from(r: ContactRow) -> Self {
        Contact {
            lang: Lang::parse(&r.lang).unwrap_or_default(),
            time_zone: zone_of(r.time_zone.as_deref(), r.country.as_deref()),
            muted: MutedEvents::from_stored(&r.muted_events),
            email: r.email,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub account_csn: Option<String>,
    pub partner_csn: Option<String>,
    pub lang: String,
    pub password_hash: Option<String>,
    pub disabled_at: Option<i64>,
    pub time_zone: Option<String>,
    pub country: Option<String>,
}

impl UserRow {
    /// The stored person.
    pub fn record(self) -> Result<kontor_core::store::UserRecord, StoreError> {
        Ok(kontor_core::store::UserRecord {
            actor: self.actor()?,
            disabled: self.disabled_at.is_some(),
            password_hash: self.password_hash,
        })
    }

    pub fn actor(&self) -> Result<Actor, StoreError> {
        let tenant = match (&self.account_csn, &self.partner_csn) {
            (Some(a), None) => Tenant::Account(csn(a)?),
            (None, Some(p)) => Tenant::Partner(csn(p)?),
            (None, None) => Tenant::Vendor,
            _ => return Err(bad("user tenant", &self.email)),
        };
        Ok(Actor {
            user_id: UserId(uuid(&self.id)?),
            email: self.email.clone(),
            name: self.name.clone(),
            role: Role::parse(&self.role).ok_or_else(|| bad("role", &self.role))?,
            tenant,
            lang: Lang::parse(&self.lang).unwrap_or_default(),
            time_zone: zone_of(self.time_zone.as_deref(), self.country.as_deref()),
        })
    }
}

pub fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v)
        .context("failed to serialise")
        .map_err(StoreError::Other)
}

/// `(account_csn, partner_csn)` columns of a tenant.
pub fn tenant_columns(t: &Tenant) -> (Option<&str>, Option<&str>) {
    match t {
        Tenant::Account(a) => (Some(a.as_str()), None),
        Tenant::Partner(p) => (None, Some(p.as_str())),
        Tenant::Vendor => (None, None),
    }
}

/// A page of the change feed from `(position, agreement, changed partners)`
/// rows.
pub fn feed_page(
    from: i64,
    rows: Vec<(i64, Option<String>, bool)>,
    page: i64,
) -> Result<kontor_core::store::ChangeFeed, StoreError> {
    let mut feed = kontor_core::store::ChangeFeed {
        position: from,
        more: rows.len() as i64 >= page,
        ..Default::default()
    };
    for (pos, agreement, partners) in rows {
        feed.position = feed.position.max(pos);
        feed.partners |= partners;
        match agreement {
            Some(n) => feed
                .agreements
                .push(AgreementNumber::parse(&n).map_err(|_| bad("agreement number", &n))?),
            None => feed.other = true,
        }
    }
    feed.agreements.sort();
    feed.agreements.dedup();
    Ok(feed)
}

/// An audit log row (all its columns, in table order).
#[derive(sqlx::FromRow)]
pub struct AuditRow {
    seq: i64,
    id: String,
    at: i64,
    actor_id: Option<String>,
    actor: String,
    action: String,
    account_csn: Option<String>,
    agreement_number: Option<String>,
    request_id: Option<String>,
    before: String,
    after: String,
}

impl TryFrom<AuditRow> for AuditRecord {
    type Error = StoreError;
    fn try_from(r: AuditRow) -> StoreResult<AuditRecord> {
        Ok(AuditRecord {
            seq: r.seq,
            entry: AuditEntry {
                id: uuid(&r.id)?,
                at: from_ms(r.at),
                actor_id: r.actor_id.as_deref().map(uuid).transpose()?.map(UserId),
                actor: r.actor,
                action: AuditAction::parse(&r.action)
                    .ok_or_else(|| bad("audit action", &r.action))?,
                account: r.account_csn.as_deref().map(csn).transpose()?,
                agreement: r
                    .agreement_number
                    .as_deref()
                    .map(|n| AgreementNumber::parse(n).map_err(|_| bad("agreement number", n)))
                    .transpose()?,
                request: r
                    .request_id
                    .as_deref()
                    .map(uuid)
                    .transpose()?
                    .map(RequestId),
                before: serde_json::from_str(&r.before)
                    .map_err(|_| bad("audit before", &r.before))?,
                after: serde_json::from_str(&r.after).map_err(|_| bad("audit after", &r.after))?,
            },
        })
    }
}

/// A support case row ([`CASE_COLUMNS`] on `support_cases c`).
#[derive(sqlx::FromRow)]
pub struct CaseRow {
    id: String,
    account_csn: String,
    agreement_number: Option<String>,
    opened_by: String,
    replace_partner: Option<String>,
    new_partner: Option<String>,
    message: String,
    status: String,
    created_at: i64,
    resolved_at: Option<i64>,
    resolved_by: Option<String>,
    waiting_on: String,
    support_level: Option<String>,
    respond_by: Option<i64>,
    resolve_by: Option<i64>,
    first_response_at: Option<i64>,
}

impl TryFrom<CaseRow> for SupportCase {
    type Error = StoreError;
    fn try_from(r: CaseRow) -> StoreResult<SupportCase> {
        Ok(SupportCase {
            id: uuid(&r.id)?,
            account: csn(&r.account_csn)?,
            agreement: r
                .agreement_number
                .as_deref()
                .map(|n| AgreementNumber::parse(n).map_err(|_| bad("agreement number", n)))
                .transpose()?,
            opened_by: UserId(uuid(&r.opened_by)?),
            replace_partner: r.replace_partner.as_deref().map(csn).transpose()?,
            new_partner: r.new_partner.as_deref().map(csn).transpose()?,
            message: r.message,
            status: CaseStatus::parse(&r.status).ok_or_else(|| bad("case status", &r.status))?,
            created_at: from_ms(r.created_at),
            resolved_at: r.resolved_at.map(from_ms),
            resolved_by: r.resolved_by.as_deref().map(uuid).transpose()?.map(UserId),
            waiting_on: CaseSide::parse(&r.waiting_on)
                .ok_or_else(|| bad("case side", &r.waiting_on))?,
            support_level: r
                .support_level
                .as_deref()
                .map(|l| SupportLevel::parse(l).ok_or_else(|| bad("support level", l)))
                .transpose()?,
            respond_by: r.respond_by.map(from_ms),
            resolve_by: r.resolve_by.map(from_ms),
            first_response_at: r.first_response_at.map(from_ms),
        })
    }
}

/// The columns of [`CaseRow`] on support cases aliased `c`.
pub const CASE_COLUMNS: &str = "c.id, c.account_csn, c.agreement_number, c.opened_by, c.replace_partner, c.new_partner, \
     c.message, c.status, c.created_at, c.resolved_at, c.resolved_by, c.waiting_on, c.support_level, c.respond_by, \
     c.resolve_by, c.first_response_at";

/// A reply in a case, with its author's name ([`CASE_MESSAGE_COLUMNS`]).
#[derive(sqlx::FromRow)]
pub struct CaseMessageRow {
    id: String,
    case_id: String,
    author_id: String,
    author_name: String,
    side: String,
    body: String,
    created_at: i64,
}

impl TryFrom<CaseMessageRow> for CaseMessage {
    type Error = StoreError;
    fn try_from(r: CaseMessageRow) -> StoreResult<CaseMessage> {
        Ok(CaseMessage {
            id: uuid(&r.id)?,
            case_id: uuid(&r.case_id)?,
            author: UserId(uuid(&r.author_id)?),
            author_name: r.author_name,
            side: CaseSide::parse(&r.side).ok_or_else(|| bad("case side", &r.side))?,
            body: r.body,
            created_at: from_ms(r.created_at),
        })
    }
}

/// The columns of [`CaseMessageRow`] on `case_messages m` joined with `users u`.
pub const CASE_MESSAGE_COLUMNS: &str =
    "m.id, m.case_id, m.author_id, u.name AS author_name, m.side, m.body, m.created_at";

/// A session with its person ([`USER_COLUMNS`], [`FACTS_COLUMNS`] and
/// the session's own).
#[derive(sqlx::FromRow)]
pub struct SessionRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    #[sqlx(flatten)]
    pub facts: FactsRow,
    pub csrf: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub verified_at: i64,
}

/// The second step of a sign-in with its person ([`USER_COLUMNS`]).
#[derive(sqlx::FromRow)]
pub struct ChallengeRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub challenged_at: i64,
    pub next: String,
    pub reported_zone: String,
}

/// A passkey as stored.
#[derive(sqlx::FromRow)]
pub struct PasskeyRow {
    pub credential_id: String,
    pub user_id: String,
    pub name: String,
    pub algorithm: i64,
    pub public_key: String,
    pub sign_count: i64,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

impl PasskeyRow {
    pub fn record(self) -> Result<kontor_core::store::PasskeyRecord, StoreError> {
        Ok(kontor_core::store::PasskeyRecord {
            public_key: kontor_core::domain::passkey::from_b64url(&self.public_key)
                .ok_or_else(|| bad("passkey", &self.credential_id))?,
            user_id: UserId(uuid(&self.user_id)?),
            credential_id: self.credential_id,
            name: self.name,
            algorithm: self.algorithm,
            sign_count: u32::try_from(self.sign_count).unwrap_or(0),
            created_at: from_ms(self.created_at),
            last_used_at: self.last_used_at.map(from_ms),
        })
    }
}

/// A passkey with its person ([`USER_COLUMNS`]).
#[derive(sqlx::FromRow)]
pub struct PasskeyUserRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub credential_id: String,
    pub owner: String,
    pub key_name: String,
    pub algorithm: i64,
    pub public_key: String,
    pub sign_count: i64,
    pub added_at: i64,
    pub last_used_at: Option<i64>,
}

impl PasskeyUserRow {
    pub fn record(&self) -> Result<kontor_core::store::PasskeyRecord, StoreError> {
        PasskeyRow {
            credential_id: self.credential_id.clone(),
            user_id: self.owner.clone(),
            name: self.key_name.clone(),
            algorithm: self.algorithm,
            public_key: self.public_key.clone(),
            sign_count: self.sign_count,
            created_at: self.added_at,
            last_used_at: self.last_used_at,
        }
        .record()
    }
}

/// What decides whether a person (as `u`, joined with [`FACTS_JOIN`])
/// must set up a second factor, for [`FactsRow`].
pub const FACTS_COLUMNS: &str = "u.created_at AS joined_at, u.second_factor_reset_at, \
     (EXISTS (SELECT 1 FROM totp_keys k WHERE k.user_id = u.id AND k.confirmed_at IS NOT NULL) \
      OR EXISTS (SELECT 1 FROM passkeys pk WHERE pk.user_id = u.id)) AS enrolled, \
     sec.second_factor AS account_rule, sec.grace_days, sec.since AS rule_since, \
     (COALESCE(sso.enabled AND sso.sso_required, FALSE) AND u.role <> 'primary_admin') AS sso_only";

/// The join [`FACTS_COLUMNS`] reads the account's rule through.
pub const FACTS_JOIN: &str = "LEFT JOIN account_security sec ON sec.account_csn = u.account_csn \
     LEFT JOIN account_sso sso ON sso.account_csn = u.account_csn";

#[derive(sqlx::FromRow)]
pub struct FactsRow {
    pub joined_at: i64,
    pub second_factor_reset_at: Option<i64>,
    pub enrolled: bool,
    pub account_rule: Option<String>,
    pub grace_days: Option<i64>,
    pub rule_since: Option<i64>,
    pub sso_only: bool,
}

impl FactsRow {
    pub fn facts(&self) -> Result<SecondFactorFacts, StoreError> {
        let account = match (&self.account_rule, self.grace_days, self.rule_since) {
            (Some(rule), Some(grace_days), Some(since)) => Some(AccountSecurity {
                rule: TwoFactorRule::parse(rule).ok_or_else(|| bad("two-factor rule", rule))?,
                grace_days,
                since: from_ms(since),
            }),
            _ => None,
        };
        Ok(SecondFactorFacts {
            enrolled: self.enrolled,
            joined_at: from_ms(self.joined_at),
            reset_at: self.second_factor_reset_at.map(from_ms),
            account,
            sso_only: self.sso_only,
        })
    }
}

/// Tables whose row counts `OpsStore::counts` reports (the same on both
/// backends, so counts can be compared across them).
pub const COUNTED_TABLES: [&str; 10] = [
    "partners",
    "accounts",
    "users",
    "agreements",
    "partner_assignments",
    "change_requests",
    "transactions",
    "audit",
    "outbox",
    "api_tokens",
];

#[derive(sqlx::FromRow)]
pub struct TokenRow {
    pub id: String,
    pub user_id: String,
    pub label: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub expires_at: Option<i64>,
}

impl TryFrom<TokenRow> for kontor_core::store::TokenRecord {
    type Error = StoreError;
    fn try_from(r: TokenRow) -> Result<Self, StoreError> {
        Ok(kontor_core::store::TokenRecord {
            id: uuid(&r.id)?,
            user_id: UserId(uuid(&r.user_id)?),
            label: r.label,
            created_at: from_ms(r.created_at),
            revoked_at: r.revoked_at.map(from_ms),
            expires_at: r.expires_at.map(from_ms),
        })
    }
}

/// An Idempotency-Key claim as the next use of the key finds it.
#[derive(sqlx::FromRow)]
pub struct ClaimRow {
    pub fingerprint: String,
    pub state: String,
    pub status: Option<i64>,
    pub body: Option<Vec<u8>>,
    pub updated_at: i64,
    /// The process that claimed it (`None`: claimed before owners were kept).
    pub owner: Option<String>,
    /// Whether that process still beats.
    pub owner_alive: bool,
}

impl ClaimRow {
    /// A running claim left by a process that died (#16): its owner no
    /// longer beats — known within a few seconds, whatever the injected
    /// clock says. A claim of this very process is never abandoned (a
    /// request dropped mid-way releases its own key), and one without an
    /// owner only after `stale_before` (ms).
    pub fn abandoned(&self, me: &str, stale_before: i64) -> bool {
        self.state == "running"
            && match &self.owner {
                Some(owner) => owner != me && !self.owner_alive,
                None => self.updated_at < stale_before,
            }
    }
}
