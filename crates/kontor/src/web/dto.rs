//! Request and response bodies of the JSON API, each documented for OpenAPI.

use kontor_core::domain::agreement::{Agreement, Partner, PartnerAssignment, ProductLine};
use kontor_core::domain::change_request::ChangeRequest;
use kontor_core::domain::eligibility::{Eligibility, ReasonCode, today};
use kontor_core::domain::renewal::{RenewalOption, RenewalPartner};
use kontor_core::domain::roles::{Actor, Lang, Tenant};
use kontor_core::store::{AgreementState, AuditRecord};

pub use super::error::ReasonDto;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;

/// RFC 3339 text of an instant.
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// The caller, their role and tenant.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    /// User id.
    pub id: String,
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role, e.g. `primary_admin`.
    pub role: String,
    /// `account`, `partner` or `vendor`.
    pub tenant_kind: String,
    /// CSN of the account or partner; absent for vendor staff.
    pub tenant_csn: Option<String>,
    /// `de` or `en`.
    pub lang: String,
    /// The IANA time zone pages and mails give times in.
    pub time_zone: String,
}

impl From<&Actor> for MeResponse {
    fn from(a: &Actor) -> Self {
        let (kind, csn) = match &a.tenant {
            Tenant::Account(c) => ("account", Some(c.to_string())),
            Tenant::Partner(c) => ("partner", Some(c.to_string())),
            Tenant::Vendor => ("vendor", None),
        };
        MeResponse {
            id: a.user_id.to_string(),
            email: a.email.clone(),
            name: a.name.clone(),
            role: a.role.as_str().into(),
            tenant_kind: kind.into(),
            tenant_csn: csn,
            lang: a.lang.as_str().into(),
            time_zone: a.time_zone.name().into(),
        }
    }
}

/// Credentials for issuing a personal API token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// Sign-in email (not needed when called with a token or session).
    pub email: Option<String>,
    /// Password (not needed when called with a token or session).
    pub password: Option<String>,
    /// For a person with two-step sign-in: the code their authenticator
    /// app shows now, or one of their recovery codes (with `password`).
    #[schema(max_length = 40)]
    pub code: Option<String>,
    /// Your name for the token, e.g. "CI export".
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub label: Option<String>,
    /// Days until the token stops working by itself (1–366); left out, it
    /// works until revoked.
    #[schema(minimum = 1, maximum = 366)]
    #[serde(default, deserialize_with = "optional_whole_number")]
    pub expires_in_days: Option<i64>,
}

/// A newly issued token. The token is shown only here, once.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Token id.
    pub id: String,
    /// The secret: send it as `Authorization: Bearer <token>`.
    pub token: String,
    /// Label.
    pub label: String,
    /// When issued (RFC 3339).
    pub created_at: String,
    /// When it stops working by itself (RFC 3339); absent: when revoked.
    pub expires_at: Option<String>,
}

/// One product line.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductDto {
    /// Product name.
    pub name: String,
    /// Seats.
    #[serde(deserialize_with = "whole_number")]
    pub seats: u32,
}

/// A `u32` also when written with a zero fraction (`5.0`): JSON has one
/// number type and JSON Schema's `integer` includes such values, so a
/// client's serializer may send them.
fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let n = f64::deserialize(d)?;
    if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) {
        Ok(n as u32)
    } else {
        Err(serde::de::Error::custom(format!(
            "expected a whole number from 0 to {}",
            u32::MAX
        )))
    }
}

/// [`whole_number`] for an optional field (`null` or left out: `None`).
pub(crate) fn optional_whole_number<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<i64>, D::Error> {
    match Option::<f64>::deserialize(d)? {
        None => Ok(None),
        Some(n) if n.fract() == 0.0 && n.abs() <= 1e15 => Ok(Some(n as i64)),
        Some(_) => Err(serde::de::Error::custom("expected a whole number")),
    }
}

impl From<&ProductLine> for ProductDto {
    fn from(p: &ProductLine) -> Self {
        ProductDto {
            name: p.name.clone(),
            seats: p.seats,
        }
    }
}

/// An agreement with products, term and partners of record.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementDto {
    /// Contract number (12 digits) or subscription ID (14 digits).
    pub number: String,
    /// `contract` or `subscription`.
    pub kind: String,
    /// Customer account CSN.
    pub account: String,
    /// Product lines.
    pub products: Vec<ProductDto>,
    /// First day of the term (YYYY-MM-DD).
    pub term_start: String,
    /// Last day of the term (YYYY-MM-DD).
    pub term_end: String,
    /// Whole days from today (UTC) to the term end; negative once expired.
    pub days_left: i64,
    /// Renews automatically.
    pub auto_renew: bool,
    /// Program, e.g. `standard` or `eba_token_flex`.
    pub program: String,
    /// `standard`, `advanced` or `premium`.
    pub support_level: String,
    /// `active`, `expired`, `canceled` or `suspended`.
    pub status: String,
    /// Current partners of record (CSNs).
    pub partners: Vec<String>,
    /// The open partner change, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_change: Option<ChangeRequestDto>,
    /// The partner named for the next renewal, if any (#22).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renewal_partner: Option<RenewalPartnerDto>,
}

impl AgreementDto {
    /// The agreement as seen on `now`.
    pub fn new(a: &Agreement, open: Option<&ChangeRequest>, now: OffsetDateTime) -> Self {
        AgreementDto {
            number: a.number.to_string(),
            kind: a.kind().as_str().into(),
            account: a.account.to_string(),
            products: a.products.iter().map(Into::into).collect(),
            term_start: a.term_start.to_string(),
            term_end: a.term_end.to_string(),
            days_left: a.days_left(today(now)),
            auto_renew: a.auto_renew,
            program: a.program.as_str().into(),
            support_level: a.support_level.as_str().into(),
            status: a.status.as_str().into(),
            partners: a.partners.iter().map(ToString::to_string).collect(),
            open_change: open.map(ChangeRequestDto::from),
            renewal_partner: None,
        }
    }

    /// The agreement with its open change and the partner named for its
    /// next renewal.
    pub fn of_state(s: &AgreementState, now: OffsetDateTime) -> Self {
        AgreementDto {
            renewal_partner: s.renewal_partner.as_ref().map(RenewalPartnerDto::from),
            ..AgreementDto::new(&s.agreement, s.open_request.as_ref(), now)
        }
    }
}

/// A partner named for an agreement's next renewal (#22).
#[derive(Debug, Serialize, ToSchema)]
pub struct RenewalPartnerDto {
    /// Id of the naming.
    pub id: String,
    /// The agreement.
    pub agreement: String,
    /// Its customer account (CSN).
    pub account: String,
    /// The partner named (CSN).
    pub new_partner: String,
    /// The admin who named it (user id).
    pub named_by: String,
    /// When (RFC 3339).
    pub named_at: String,
    /// The term end it was named for (YYYY-MM-DD).
    pub term_end: String,
    /// First day of the renewed term, from which the partner serves (YYYY-MM-DD).
    pub renews_on: String,
    /// When the renewal applies it (RFC 3339): 00:00 UTC of `renews_on`.
    pub due_at: String,
    /// `scheduled`, `applied`, `replaced`, `withdrawn`, `rejected` or `lapsed`.
    pub status: String,
    /// When it left `scheduled` (RFC 3339).
    pub decided_at: Option<String>,
    /// Why it was rejected (reason codes).
    pub reasons: Vec<String>,
    /// The renewal transaction that applied it.
    pub transaction: Option<String>,
}

impl From<&RenewalPartner> for RenewalPartnerDto {
    fn from(n: &RenewalPartner) -> Self {
        RenewalPartnerDto {
            id: n.id.to_string(),
            agreement: n.agreement.to_string(),
            account: n.account.to_string(),
            new_partner: n.new_partner.to_string(),
            named_by: n.named_by.0.to_string(),
            named_at: rfc3339(n.named_at),
            term_end: n.term_end.to_string(),
            renews_on: n.renews_on().to_string(),
            due_at: rfc3339(n.due_at),
            status: n.status.as_str().into(),
            decided_at: n.decided_at.map(rfc3339),
            reasons: n.reasons.iter().map(|r| r.as_str().to_owned()).collect(),
            transaction: n.transaction.map(|t| t.to_string()),
        }
    }
}

/// Whether a partner can be named for the next renewal (#22).
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeAtRenewalDto {
    /// True when the caller may name (or replace) the partner for the renewal.
    pub available: bool,
    /// First day of the renewed term (YYYY-MM-DD).
    pub renews_on: String,
    /// Why not: `change_now_possible`, `not_permitted`, `token_flex_eba`,
    /// `expired`, `not_active` or `change_pending`.
    pub reasons: Vec<String>,
}

impl From<&RenewalOption> for ChangeAtRenewalDto {
    fn from(o: &RenewalOption) -> Self {
        ChangeAtRenewalDto {
            available: o.available,
            renews_on: o.renews_on.to_string(),
            reasons: o.reasons.iter().map(|r| r.as_str().to_owned()).collect(),
        }
    }
}

/// The partner for an agreement's next renewal: whether one can be named,
/// the one named now, and every naming, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RenewalPartnerResponse {
    /// The agreement.
    pub agreement: String,
    /// Whether the caller may name one.
    pub change_at_renewal: ChangeAtRenewalDto,
    /// The partner named now, if any.
    pub scheduled: Option<RenewalPartnerDto>,
    /// Every naming, newest first.
    pub items: Vec<RenewalPartnerDto>,
}

/// Names the partner for the next renewal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameRenewalPartnerRequest {
    /// CSN of the partner (10 digits).
    #[schema(pattern = r"^(?:[ -]*[0-9]){10}[ -]*$")]
    pub new_partner: String,
}

/// A page of agreements.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementListResponse {
    /// The agreements.
    pub items: Vec<AgreementDto>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// One period in which a partner was partner of record.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntryDto {
    /// Partner CSN.
    pub partner: String,
    /// Partner name.
    pub partner_name: String,
    /// Start (RFC 3339).
    pub valid_from: String,
    /// End (RFC 3339); absent while current.
    pub valid_to: Option<String>,
    /// `import`, `self_service`, `transaction` or `support`.
    pub source: String,
}

impl From<&PartnerAssignment> for HistoryEntryDto {
    fn from(h: &PartnerAssignment) -> Self {
        HistoryEntryDto {
            partner: h.partner.to_string(),
            partner_name: h.partner_name.clone(),
            valid_from: rfc3339(h.valid_from),
            valid_to: h.valid_to.map(rfc3339),
            source: h.source.as_str().into(),
        }
    }
}

/// Partner history of one agreement.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerHistoryResponse {
    /// The agreement.
    pub agreement: String,
    /// Assignments, oldest first.
    pub items: Vec<HistoryEntryDto>,
}

/// Eligibility of one agreement for the self-service change.
#[derive(Debug, Serialize, ToSchema)]
pub struct EligibilityResponse {
    /// The agreement.
    pub agreement: String,
    /// True when the change can be requested now.
    pub eligible: bool,
    /// Every reason that holds.
    pub reasons: Vec<ReasonDto>,
    /// Current partners of record.
    pub current_partners: Vec<String>,
    /// True when several partners would all be replaced by one (R6).
    pub replaces_several_partners: bool,
    /// Where the change cannot be made now: whether the partner can be
    /// named for the next renewal instead (#22).
    pub change_at_renewal: ChangeAtRenewalDto,
}

impl EligibilityResponse {
    /// Builds the answer in `lang`.
    pub fn new(
        a: &Agreement,
        e: &Eligibility,
        renewal: &RenewalOption,
        lang: Lang,
        window_days: i64,
    ) -> Self {
        EligibilityResponse {
            change_at_renewal: renewal.into(),
            agreement: a.number.to_string(),
            eligible: e.eligible,
            reasons: e
                .reasons
                .iter()
                .map(|r| ReasonDto::new(r, lang, window_days))
                .collect(),
            current_partners: a.partners.iter().map(ToString::to_string).collect(),
            replaces_several_partners: a.partners.len() > 1,
        }
    }
}

/// A partner as shown in the lookup step.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerDto {
    /// Partner CSN.
    pub csn: String,
    /// Company name.
    pub name: String,
    /// City.
    pub city: String,
    /// Country code.
    pub country: String,
    /// `active` or `inactive`.
    pub status: String,
}

impl From<&Partner> for PartnerDto {
    fn from(p: &Partner) -> Self {
        PartnerDto {
            csn: p.csn.to_string(),
            name: p.name.clone(),
            city: p.city.clone(),
            country: p.country.clone(),
            status: p.status.as_str().into(),
        }
    }
}

/// Request a partner change for one agreement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitRequest {
    /// Contract number (12 digits).
    #[schema(pattern = r"^(?:[ -]*[0-9]){12}(?:(?:[ -]*[0-9]){2})?[ -]*$")]
    pub agreement: String,
    /// CSN of the new partner (10 digits).
    #[schema(pattern = r"^(?:[ -]*[0-9]){10}[ -]*$")]
    pub new_partner: String,
}

/// A partner change request with its status and expected completion time.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeRequestDto {
    /// Request id.
    pub id: String,
    /// The agreement.
    pub agreement: String,
    /// The customer account.
    pub account: String,
    /// Partners of record replaced (at submit; at apply once applied).
    pub old_partners: Vec<String>,
    /// The new partner.
    pub new_partner: String,
    /// `pending`, `applied`, `rejected`, `withdrawn` (`awaiting_partner`, `declined`, `expired` with acceptance on).
    pub status: String,
    /// Who asked (user id).
    pub requested_by: String,
    /// Submitted at (RFC 3339).
    pub created_at: String,
    /// When the change is expected to be applied (RFC 3339); while
    /// `awaiting_partner`, when the new partner's time to answer ends.
    pub expected_completion: String,
    /// While `awaiting_partner`: the new partner must accept by then
    /// (RFC 3339), or the request expires.
    pub answer_by: Option<String>,
    /// When it reached its final status (RFC 3339).
    pub decided_at: Option<String>,
    /// Reason codes of a rejection.
    pub reasons: Vec<String>,
    /// The dispute of a partner it would replace (#22), when one was filed
    /// (one request read alone): while it is `open` the change is held and
    /// not applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dispute: Option<DisputeDto>,
}

/// A dispute as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisputeDto {
    /// Dispute id.
    pub id: String,
    /// The change held (request id).
    pub request: String,
    /// Its agreement.
    pub agreement: String,
    /// Its customer account.
    pub account: String,
    /// The partner that objects.
    pub partner: String,
    /// Why — for the vendor's staff and the disputing partner; absent for
    /// others.
    pub reason: Option<String>,
    /// Filed at (RFC 3339).
    pub filed_at: String,
    /// The agreement's support level: the deadlines follow it.
    pub support_level: String,
    /// Support's answer is due (RFC 3339).
    pub respond_by: String,
    /// Support's decision is due (RFC 3339).
    pub resolve_by: String,
    /// `on_track`, `due_soon`, `response_overdue`, `resolution_overdue`,
    /// or once decided `met` or `missed`.
    #[schema(pattern = "^(on_track|due_soon|response_overdue|resolution_overdue|met|missed)$")]
    pub sla_state: String,
    /// `open` (the change is held), `released`, `upheld` (the change was
    /// rejected) or `withdrawn` (the change was withdrawn while held).
    #[schema(pattern = "^(open|released|upheld|withdrawn)$")]
    pub status: String,
    /// Decided (or withdrawn) at (RFC 3339).
    pub decided_at: Option<String>,
    /// Support's note: for an upheld dispute, why the change was rejected.
    pub decision_note: Option<String>,
}

impl DisputeDto {
    /// `d` at `now`.
    pub fn of(d: &kontor_core::domain::dispute::Dispute, now: time::OffsetDateTime) -> Self {
        DisputeDto {
            id: d.id.to_string(),
            request: d.request.to_string(),
            agreement: d.agreement.to_string(),
            account: d.account.to_string(),
            partner: d.partner.to_string(),
            reason: (!d.reason.is_empty()).then(|| d.reason.clone()),
            filed_at: rfc3339(d.filed_at),
            support_level: d.support_level.as_str().into(),
            respond_by: rfc3339(d.respond_by),
            resolve_by: rfc3339(d.resolve_by),
            sla_state: d.sla_state(now).as_str().into(),
            status: d.status.as_str().into(),
            decided_at: d.decided_at.map(rfc3339),
            decision_note: d.decision_note.clone(),
        }
    }
}

impl From<&ChangeRequest> for ChangeRequestDto {
    fn from(r: &ChangeRequest) -> Self {
        ChangeRequestDto {
            id: r.id.to_string(),
            agreement: r.agreement.to_string(),
            account: r.account.to_string(),
            old_partners: r.old_partners.iter().map(ToString::to_string).collect(),
            new_partner: r.new_partner.to_string(),
            status: r.status.as_str().into(),
            requested_by: r.requested_by.to_string(),
            created_at: rfc3339(r.created_at),
            expected_completion: rfc3339(r.due_at),
            answer_by: (r.status
                == kontor_core::domain::change_request::RequestStatus::AwaitingPartner)
                .then(|| rfc3339(r.due_at)),
            decided_at: r.decided_at.map(rfc3339),
            reasons: r.reasons.iter().map(|c| c.as_str().to_owned()).collect(),
            dispute: None,
        }
    }
}

/// A page of change requests, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeRequestListResponse {
    /// The requests.
    pub items: Vec<ChangeRequestDto>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<String>,
}

/// One partner change for several agreements at once.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    /// Agreement numbers (1–500); each is checked on its own and answered
    /// in its own result, so a malformed one does not fail the others.
    #[schema(min_items = 1, max_items = 500)]
    pub agreements: Vec<String>,
    /// CSN of the new partner (10 digits).
    #[schema(pattern = r"^(?:[ -]*[0-9]){10}[ -]*$")]
    pub new_partner: String,
}

/// Eligibility of several agreements at once, optionally for one partner.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    /// Agreement numbers (1–500); each answered in its own result.
    #[schema(min_items = 1, max_items = 500)]
    pub agreements: Vec<String>,
    /// CSN of the new partner (10 digits); when given, R5 is checked too.
    #[schema(pattern = r"^(?:[ -]*[0-9]){10}[ -]*$")]
    pub new_partner: Option<String>,
}

/// The result for one agreement of a preview or bulk submit.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkItemResult {
    /// The agreement as given.
    pub agreement: String,
    /// HTTP status this agreement alone would have got (200/202, 404, 409, 422 …).
    pub status: u16,
    /// Preview: whether the change can be requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligible: Option<bool>,
    /// Preview: every reason that holds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<ReasonDto>,
    /// Bulk: the request created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<ChangeRequestDto>,
    /// The problem for this agreement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<super::error::Problem>,
}

/// Per-agreement results, in the order given.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkResponse {
    /// One result per agreement.
    pub results: Vec<BulkItemResult>,
}

impl BulkItemResult {
    /// The R5 reason for a partner that cannot be chosen, for previews.
    pub fn partner_reason(code: ReasonCode, lang: Lang, window_days: i64) -> ReasonDto {
        ReasonDto::code(code, lang, window_days)
    }
}

/// A financial transaction naming a partner (R3). Its schema is written
/// out below: the fields each `kind` takes differ (`oneOf`), which the
/// derived schema of this flat struct cannot say.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransactionRequest {
    /// Agreement number.
    pub agreement: String,
    /// `renewal`, `add_seats`, `switch_term` or `upgrade`.
    pub kind: String,
    /// CSN of the partner placing it; becomes partner of record.
    pub partner: String,
    /// New term end (YYYY-MM-DD) for `renewal` and `switch_term`.
    pub term_end: Option<String>,
    /// Product line for `add_seats` and `upgrade`.
    pub product: Option<ProductDto>,
    /// Product name replaced by `upgrade`.
    pub replaces: Option<String>,
}

/// Unicode White_Space, as Rust's `char::is_whitespace` (and `str::trim`)
/// knows it, for patterns that must agree with the server's checks.
pub const WHITESPACE_CLASS: &str =
    r"\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// An email address exactly as `kontor_core::domain::values::EmailAddress::parse`
/// accepts it (at most 254 characters, surrounding whitespace allowed).
pub fn email_schema() -> utoipa::openapi::schema::Object {
    let w = WHITESPACE_CLASS;
    let c = format!(r"[^@{w}\x00-\x1f\x7f-\x9f]");
    let d = format!(r"[^@.{w}\x00-\x1f\x7f-\x9f]");
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .max_length(Some(254))
        .pattern(Some(format!(r"^[{w}]*{c}+@{d}{c}*\.{c}*{d}[{w}]*$")))
        .description(Some("An email address such as anna@example.com"))
        .build()
}

impl utoipa::PartialSchema for TransactionRequest {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let date = serde_json::json!({"type": "string", "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "YYYY-MM-DD"});
        let product = serde_json::json!({"type": "object", "required": ["name", "seats"],
            "additionalProperties": false, "properties": {
                "name": {"type": "string", "maxLength": 200,
                    "pattern": format!("[^{WHITESPACE_CLASS}]"),
                    "description": "Product name (1–200 characters, not blank)"},
                "seats": {"type": "integer", "minimum": 1, "maximum": u32::MAX}}});
        let absent = serde_json::json!({"type": "null", "description": "Not used by this kind"});
        let variant = |kind: &str, what: &str, term_end: bool, product_: bool, replaces: bool| {
            let pick = |used: bool, schema: &serde_json::Value| {
                if used { schema.clone() } else { absent.clone() }
            };
            let mut required = vec!["agreement", "kind", "partner"];
            for (name, used) in [
                ("term_end", term_end),
                ("product", product_),
                ("replaces", replaces),
            ] {
                if used {
                    required.push(name);
                }
            }
            serde_json::json!({"type": "object", "title": kind, "description": what,
                "required": required, "additionalProperties": false, "properties": {
                "agreement": {"type": "string", "description": "Agreement number",
                    "pattern": r"^(?:[ -]*[0-9]){12}(?:(?:[ -]*[0-9]){2})?[ -]*$"},
                "kind": {"type": "string", "enum": [kind]},
                "partner": {"type": "string", "pattern": r"^(?:[ -]*[0-9]){10}[ -]*$",
                    "description": "CSN of the partner placing it; becomes partner of record"},
                "term_end": pick(term_end, &date),
                "product": pick(product_, &product),
                "replaces": pick(replaces, &serde_json::json!({"type": "string",
                    "description": "Name of the product line replaced"})),
            }})
        };
        let schema = serde_json::json!({
        "description": "A financial transaction naming a partner (R3); the fields depend on `kind`.",
        "oneOf": [
            variant("renewal", "A new term after the current one ends (`term_end` later than the current term end)", true, false, false),
            variant("switch_term", "A different term end, not in the past", true, false, false),
            variant("add_seats", "Seats added to a product line (a new line when the name is new)", false, true, false),
            variant("upgrade", "A product line replaced by another", false, true, true),
        ]});
        // A constant document: converting it cannot fail at run time once
        // the OpenAPI test has passed.
        serde_json::from_value(schema).unwrap_or_default()
    }
}

impl utoipa::ToSchema for TransactionRequest {}

/// A recorded transaction and the agreement after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransactionResponse {
    /// Transaction id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Partner placing it.
    pub partner: String,
    /// Recorded at (RFC 3339).
    pub recorded_at: String,
    /// The agreement after the transaction.
    pub agreement: AgreementDto,
}

/// One audit entry (R11).
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditDto {
    /// Position in the log (cursor).
    pub seq: i64,
    /// Entry id.
    pub id: String,
    /// When (RFC 3339).
    pub at: String,
    /// Who: "email (role)" or "worker".
    pub actor: String,
    /// What, e.g. `change_applied`.
    pub action: String,
    /// Account concerned.
    pub account: Option<String>,
    /// Agreement concerned.
    pub agreement: Option<String>,
    /// Change request concerned.
    pub request: Option<String>,
    /// State before.
    pub before: serde_json::Value,
    /// State after.
    pub after: serde_json::Value,
}

impl From<&AuditRecord> for AuditDto {
    fn from(r: &AuditRecord) -> Self {
        let e = &r.entry;
        AuditDto {
            seq: r.seq,
            id: e.id.to_string(),
            at: rfc3339(e.at),
            actor: e.actor.clone(),
            action: e.action.as_str().into(),
            account: e.account.as_ref().map(ToString::to_string),
            agreement: e.agreement.as_ref().map(ToString::to_string),
            request: e.request.map(|r| r.to_string()),
            before: e.before.clone(),
            after: e.after.clone(),
        }
    }
}

/// A page of audit entries, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditListResponse {
    /// The entries.
    pub items: Vec<AuditDto>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<String>,
}

/// Counts of an applied import.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResponse {
    /// Partners upserted.
    pub partners: u64,
    /// Accounts upserted.
    pub accounts: u64,
    /// Users upserted.
    pub users: u64,
    /// Agreements upserted.
    pub agreements: u64,
}

#[cfg(test)]
mod tests {
    use kontor_core::domain::values::EmailAddress;

    /// The published pattern and maxLength say exactly what the server's
    /// `parse_email` takes (the fuzzer relies on it both ways).
    #[test]
    fn the_email_schema_agrees_with_parse_email() {
        let schema = super::email_schema();
        let pattern = regex::Regex::new(schema.pattern.as_deref().unwrap()).unwrap();
        let max = schema.max_length.unwrap();
        let at_max = format!("{}@b.de", "a".repeat(249));
        let over_max = format!("a{at_max}");
        for raw in [
            "anna@muster.example",
            " Anna@Muster.Example\t",
            "a@b..c",
            "a@b.c",
            "\u{3000}a@b.c\u{2028}",
            at_max.as_str(),
            over_max.as_str(),
            "",
            "a",
            "@b.de",
            "a@",
            "a@bde",
            "a@.b.de",
            "a@b.de.",
            "a@b@c.de",
            "a b@c.de",
            "a@b.d\u{0}e",
            "a\u{a0}b@c.de",
            "a\u{85}b@c.de",
            "a\u{9f}b@c.de",
            "ä@ö.ü",
        ] {
            let schema_says = pattern.is_match(raw) && raw.chars().count() <= max;
            assert_eq!(schema_says, EmailAddress::parse(raw).is_some(), "{raw:?}");
        }
    }
}
