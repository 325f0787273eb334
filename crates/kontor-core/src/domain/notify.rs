//! Who is told about a partner change, in which language (R10).
//!
//! The messages are written to the outbox in the same transaction as the
//! state change; delivery retries until it succeeds.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::agreement::str_enum;
use super::change_request::ChangeRequest;
use super::eligibility::ReasonCode;
use super::ids::{AgreementNumber, Csn};
use super::renewal::RenewalPartner;
use super::roles::Lang;
use super::sla::{Breach, BreachOf};
use super::zone::Zone;
use crate::error::FieldError;

str_enum!(
    /// The event a notification reports.
    ChangeEvent {
        /// Request submitted.
        Submitted = "submitted",
        /// Request withdrawn.
        Withdrawn = "withdrawn",
        /// Request applied.
        Applied = "applied",
        /// Request rejected at apply time.
        Rejected = "rejected",
        /// Submitted under the acceptance policy: the new partner must answer.
        AwaitingPartner = "awaiting_partner",
        /// The new partner accepted; the processing delay starts.
        Accepted = "accepted",
        /// The new partner declined.
        Declined = "declined",
        /// The new partner did not answer in time.
        Expired = "expired",
        /// The new partner has not answered and the time to answer runs
        /// out soon: the partner and support are told (#22).
        Escalated = "escalated",
        /// A partner the change would replace objected: the change is held
        /// for support to decide (#22).
        Disputed = "disputed",
        /// Support let a disputed change proceed.
        DisputeReleased = "dispute_released",
        /// A partner was named for the next renewal (#22).
        RenewalNamed = "renewal_named",
        /// The partner named for the renewal was withdrawn (or replaced).
        RenewalWithdrawn = "renewal_withdrawn",
        /// The renewal made the named partner the partner of record.
        RenewalApplied = "renewal_applied",
        /// At the renewal the named partner could not take over.
        RenewalRejected = "renewal_rejected",
        /// The agreement was not renewed in time for the named partner.
        RenewalLapsed = "renewal_lapsed",
    }
);

str_enum!(
    /// Why the recipient is told.
    RecipientRole {
        /// An admin of the customer account.
        AccountAdmin = "account_admin",
        /// The partner that will serve the agreement.
        NewPartner = "new_partner",
        /// A partner being replaced.
        OldPartner = "old_partner",
        /// One of the vendor's operators.
        Operator = "operator",
        /// The person a sign-in mail is for.
        Person = "person",
        /// One of the vendor's support agents (a customer's reply).
        SupportAgent = "support_agent",
    }
);

/// Someone to tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Email address.
    pub email: String,
    /// Preferred language.
    pub lang: Lang,
    /// The zone to give times in.
    pub time_zone: Zone,
    /// Events this person asked not to be mailed about (a partner's
    /// contact address mutes nothing).
    pub muted: MutedEvents,
}

/// The partner-change events a person does not want mails about (#19).
/// Only partner-change mails can be muted: sign-in links and security
/// notices (password changed) are always sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MutedEvents(Vec<ChangeEvent>);

impl MutedEvents {
    /// The most codes a list may hold (repeats included), as documented.
    pub const MAX_LISTED: usize = 64;

    /// The set of `events`, each once, in declaration order.
    pub fn of(events: &[ChangeEvent]) -> Self {
        MutedEvents(
            ChangeEvent::ALL
                .iter()
                .copied()
                .filter(|e| events.contains(e))
                .collect(),
        )
    }

    /// Reads the stored form ("submitted,applied"); a code this version
    /// does not know is dropped rather than failing the mail.
    pub fn from_stored(raw: &str) -> Self {
        let events: Vec<ChangeEvent> = raw
            .split(',')
            .filter_map(|c| ChangeEvent::parse(c.trim()))
            .collect();
        Self::of(&events)
    }

    /// The stored form: codes joined by commas, empty when nothing is muted.
    pub fn to_stored(&self) -> String {
        let codes: Vec<&str> = self.0.iter().map(|e| e.as_str()).collect();
        codes.join(",")
    }

    /// Whether mails about `event` are muted.
    pub fn contains(&self, event: ChangeEvent) -> bool {
        self.0.contains(&event)
    }

    /// The muted events.
    pub fn events(&self) -> &[ChangeEvent] {
        &self.0
    }

    /// Parses codes as entered (API or form): every unknown one is named
    /// by its position in `field`.
    pub fn parse_codes(field: &str, codes: &[String]) -> Result<Self, Vec<FieldError>> {
        if codes.len() > Self::MAX_LISTED {
            return Err(vec![FieldError::coded(
                field,
                "expected-at-most-events",
                vec![("max", Self::MAX_LISTED.to_string())],
                format!("expected at most {} events", Self::MAX_LISTED),
            )]);
        }
        let mut events = Vec::with_capacity(codes.len());
        let mut errors = Vec::new();
        for (i, code) in codes.iter().enumerate() {
            match ChangeEvent::parse(code.trim()) {
                Some(e) => events.push(e),
                None => errors.push(FieldError::coded(
                    format!("{field}[{i}]"),
                    "expected-event",
                    vec![("events", ChangeEvent::expected())],
                    format!("expected one of {}", ChangeEvent::expected()),
                )),
            }
        }
        if errors.is_empty() {
            Ok(Self::of(&events))
        } else {
            Err(errors)
        }
    }
}

/// One recipient of a notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// Email address.
    pub to: String,
    /// Language to write in.
    pub lang: Lang,
    /// The zone to give times in (UTC for messages queued before kontor
    /// knew zones).
    #[serde(default)]
    pub time_zone: Zone,
    /// Why they are told.
    pub role: RecipientRole,
}

impl Recipient {
    /// `contact`, told as `role`.
    pub fn of(contact: &Contact, role: RecipientRole) -> Recipient {
        Recipient {
            to: contact.email.clone(),
            lang: contact.lang,
            time_zone: contact.time_zone,
            role,
        }
    }
}

/// A message waiting in the outbox: one per event. Delivery fans it out to
/// its recipients and tracks each of them, so the state change writes one
/// row however many people are told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OutboxMessage {
    /// Emails about a partner change (R10).
    PartnerChangeEmails {
        /// Stable id of the event.
        event_id: Uuid,
        /// What happened.
        event: ChangeEvent,
        /// Everyone to tell, each in their language.
        recipients: Vec<Recipient>,
        /// The request.
        request: Uuid,
        /// The agreement.
        agreement: AgreementNumber,
        /// The customer account.
        account: Csn,
        /// The new partner.
        new_partner: Csn,
        /// The partners being replaced.
        old_partners: Vec<Csn>,
        /// Reasons, for rejections.
        reasons: Vec<ReasonCode>,
        /// The first day of the renewal, for a partner named for it (#22).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        renews_on: Option<time::Date>,
        /// When the new partner's time to answer runs out, for an
        /// escalation (#22).
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "time::serde::rfc3339::option"
        )]
        answer_by: Option<time::OffsetDateTime>,
    },
    /// Invites a new person to set their password (one-time link).
    Invitation {
        /// Stable id of the event.
        event_id: Uuid,
        /// The invited person.
        recipients: Vec<Recipient>,
        /// Their name.
        name: String,
        /// The one-time link.
        link: String,
        /// When the link stops working.
        #[serde(with = "time::serde::rfc3339")]
        expires_at: time::OffsetDateTime,
    },
    /// A link to set a new password, asked for on the sign-in page.
    PasswordReset {
        /// Stable id of the event.
        event_id: Uuid,
        /// The person.
        recipients: Vec<Recipient>,
        /// The one-time link.
        link: String,
        /// When the link stops working.
        #[serde(with = "time::serde::rfc3339")]
        expires_at: time::OffsetDateTime,
    },
    /// Tells a person their password was changed (a security mail: it
    /// cannot be switched off), so a change they did not make is noticed.
    PasswordChanged {
        /// Stable id of the event.
        event_id: Uuid,
        /// The person.
        recipients: Vec<Recipient>,
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: time::OffsetDateTime,
    },
    /// Tells a person — and, when someone else acted, their account's
    /// admins — that their second factor changed (#21). A security mail:
    /// it cannot be switched off.
    SecondFactorNotice {
        /// Stable id of the event.
        event_id: Uuid,
        /// The person, and the admins for a reset.
        recipients: Vec<Recipient>,
        /// What happened.
        event: SecondFactorEvent,
        /// The person concerned: "Name (email)".
        person: String,
        /// Who did it, when it was not the person: "Name (email)".
        by: Option<String>,
        /// Recovery codes left (after one was used).
        #[serde(default)]
        codes_left: Option<u32>,
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: time::OffsetDateTime,
    },
    /// A reply in a support case, for the other side (#19).
    CaseReply {
        /// Stable id of the event.
        event_id: Uuid,
        /// The other side: support agents, or the customer.
        recipients: Vec<Recipient>,
        /// The case.
        case: Uuid,
        /// Its agreement, if it is about one.
        agreement: Option<AgreementNumber>,
        /// The message opens the case (a question handed to support, #20)
        /// rather than answering in it.
        #[serde(default)]
        opened: bool,
        /// Who wrote.
        author: String,
        /// What they wrote.
        body: String,
    },
    /// Tells the vendor's operators that a webhook endpoint was disabled.
    WebhookEndpointDisabled {
        /// Stable id of the event.
        event_id: Uuid,
        /// The operators.
        recipients: Vec<Recipient>,
        /// The endpoint.
        endpoint: Uuid,
        /// Its URL.
        url: String,
        /// Why, readable.
        reason: String,
    },
    /// Tells the vendor's operators of support deadlines that passed
    /// (#22): each breach once, those a sweep found in one mail.
    DeadlinesBreached {
        /// Stable id of the event.
        event_id: Uuid,
        /// The operators.
        recipients: Vec<Recipient>,
        /// What is overdue, the earliest deadline first.
        breaches: Vec<BreachNotice>,
    },
    /// Proposes a new partner to a customer account's admins (#22): the
    /// vendor replaces the partner serving some of its agreements.
    PartnerProposal {
        /// Stable id of the event.
        event_id: Uuid,
        /// The proposal: its link opens the change for every agreement.
        #[serde(default)]
        proposal: Uuid,
        /// The account's admins.
        recipients: Vec<Recipient>,
        /// The customer account.
        account: Csn,
        /// The partner being replaced: CSN and name.
        from: (Csn, String),
        /// The partner proposed: CSN, name and city.
        to: (Csn, String, String),
        /// The account's agreements the replaced partner serves.
        agreements: Vec<AgreementNumber>,
        /// A reminder of an earlier proposal.
        reminder: bool,
    },
    /// Reminds a customer account's admins that the window for a
    /// self-service partner change closes soon for some of its agreements
    /// (#22, R4): each with the last day a change is possible.
    WindowClosing {
        /// Stable id of the event.
        event_id: Uuid,
        /// The account's admins.
        recipients: Vec<Recipient>,
        /// The customer account.
        account: Csn,
        /// Each agreement with its last day (`YYYY-MM-DD`).
        agreements: Vec<(AgreementNumber, String)>,
        /// Days before the first window closes.
        offset_days: i64,
    },
}

impl OutboxMessage {
    /// Stable kind, as stored in the outbox's `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            OutboxMessage::PartnerChangeEmails { .. } => "partner_change_emails",
            OutboxMessage::WebhookEndpointDisabled { .. } => "webhook_endpoint_disabled",
            OutboxMessage::Invitation { .. } => "invitation",
            OutboxMessage::PasswordReset { .. } => "password_reset",
            OutboxMessage::PasswordChanged { .. } => "password_changed",
            OutboxMessage::SecondFactorNotice { .. } => "second_factor_notice",
            OutboxMessage::CaseReply { .. } => "case_reply",
            OutboxMessage::WindowClosing { .. } => "window_closing",
            OutboxMessage::DeadlinesBreached { .. } => "deadlines_breached",
            OutboxMessage::PartnerProposal { .. } => "partner_proposal",
        }
    }

    /// The event's stable id: the same in every copy and every retry.
    pub fn event_id(&self) -> Uuid {
        match self {
            OutboxMessage::PartnerChangeEmails { event_id, .. }
            | OutboxMessage::WebhookEndpointDisabled { event_id, .. }
            | OutboxMessage::Invitation { event_id, .. }
            | OutboxMessage::PasswordReset { event_id, .. }
            | OutboxMessage::PasswordChanged { event_id, .. }
            | OutboxMessage::SecondFactorNotice { event_id, .. }
            | OutboxMessage::CaseReply { event_id, .. }
            | OutboxMessage::WindowClosing { event_id, .. }
            | OutboxMessage::PartnerProposal { event_id, .. }
            | OutboxMessage::DeadlinesBreached { event_id, .. } => *event_id,
        }
    }

    /// The people who get an email.
    pub fn recipients(&self) -> &[Recipient] {
        match self {
            OutboxMessage::PartnerChangeEmails { recipients, .. }
            | OutboxMessage::WebhookEndpointDisabled { recipients, .. }
            | OutboxMessage::Invitation { recipients, .. }
            | OutboxMessage::PasswordReset { recipients, .. }
            | OutboxMessage::PasswordChanged { recipients, .. }
            | OutboxMessage::SecondFactorNotice { recipients, .. }
            | OutboxMessage::CaseReply { recipients, .. }
            | OutboxMessage::WindowClosing { recipients, .. }
            | OutboxMessage::PartnerProposal { recipients, .. }
            | OutboxMessage::DeadlinesBreached { recipients, .. } => recipients,
        }
    }

    /// The webhook event type, for messages webhook endpoints receive.
    pub fn webhook_event_type(&self) -> Option<String> {
        match self {
            OutboxMessage::PartnerChangeEmails { event, .. } => {
                Some(format!("partner_change.{}", event.as_str()))
            }
            // Telling operators about their own endpoints over webhooks
            // would loop when the endpoints are what fails; sign-in links
            // and security notices are for one person.
            OutboxMessage::WebhookEndpointDisabled { .. }
            | OutboxMessage::Invitation { .. }
            | OutboxMessage::PasswordReset { .. }
            | OutboxMessage::PasswordChanged { .. }
            | OutboxMessage::SecondFactorNotice { .. }
            | OutboxMessage::CaseReply { .. }
            | OutboxMessage::WindowClosing { .. }
            | OutboxMessage::PartnerProposal { .. }
            | OutboxMessage::DeadlinesBreached { .. } => None,
        }
    }
}

/// One passed deadline of a support case or a dispute, as the operators
/// are told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreachNotice {
    /// A case or a dispute.
    #[serde(default)]
    pub of: BreachOf,
    /// The case's or the dispute's id.
    #[serde(alias = "case")]
    pub id: Uuid,
    /// The change a dispute holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Uuid>,
    /// Its customer account.
    pub account: Csn,
    /// Its agreement, if it is about one.
    pub agreement: Option<AgreementNumber>,
    /// Which deadline passed.
    pub breach: Breach,
    /// When it was due.
    #[serde(with = "time::serde::rfc3339")]
    pub due_at: time::OffsetDateTime,
}

str_enum!(
    /// What happened to a person's second factor (#21).
    SecondFactorEvent {
        /// They set up an authenticator app.
        Enabled = "enabled",
        /// They removed it themselves.
        Removed = "removed",
        /// An admin of their account or a support agent removed it.
        Reset = "reset",
        /// They signed in with a recovery code.
        RecoveryCodeUsed = "recovery_code_used",
        /// They made new recovery codes (the old ones stopped working).
        RecoveryCodesRenewed = "recovery_codes_renewed",
        /// They added a passkey.
        PasskeyAdded = "passkey_added",
        /// They removed a passkey.
        PasskeyRemoved = "passkey_removed",
    }
);

/// The language to write to a partner in: German for the DACH countries.
pub fn partner_lang(country: &str) -> Lang {
    match country {
        "DE" | "AT" | "CH" | "LI" => Lang::De,
        _ => Lang::En,
    }
}

/// Who is told of `event`: the account's admins (unless they muted it),
/// the new partner and the partners being replaced.
fn change_recipients(
    event: ChangeEvent,
    admins: &[Contact],
    new_partner: Option<&Contact>,
    old_partners: &[Contact],
) -> Vec<Recipient> {
    let to = Recipient::of;
    // An admin who muted this event is not mailed; partners always are
    // (their address belongs to the company, not to one person).
    let mut recipients: Vec<Recipient> = admins
        .iter()
        .filter(|c| !c.muted.contains(event))
        .map(|c| to(c, RecipientRole::AccountAdmin))
        .collect();
    recipients.extend(new_partner.map(|c| to(c, RecipientRole::NewPartner)));
    recipients.extend(
        old_partners
            .iter()
            .map(|c| to(c, RecipientRole::OldPartner)),
    );
    recipients
}

/// The outbox message for `event` on `request` (R10): one, even without
/// email recipients, since webhook endpoints may subscribe.
pub fn partner_change_emails(
    event: ChangeEvent,
    request: &ChangeRequest,
    admins: &[Contact],
    new_partner: Option<&Contact>,
    old_partners: &[Contact],
) -> Vec<OutboxMessage> {
    vec![OutboxMessage::PartnerChangeEmails {
        event_id: Uuid::now_v7(),
        event,
        recipients: change_recipients(event, admins, new_partner, old_partners),
        request: request.id.0,
        agreement: request.agreement.clone(),
        account: request.account.clone(),
        new_partner: request.new_partner.clone(),
        old_partners: request.old_partners.clone(),
        reasons: request.reasons.clone(),
        renews_on: None,
        answer_by: None,
    }]
}

/// The outbox message for `event` on `request` when support is to act
/// (#22: an escalation, a dispute): to the account's admins (unless they
/// muted it), the new partner and the vendor's support agents — not the
/// partners it replaces. `answer_by` is when the new partner's time to
/// answer runs out, for an escalation.
pub fn support_emails(
    event: ChangeEvent,
    request: &ChangeRequest,
    (admins, new_partner, support_agents): (&[Contact], Option<&Contact>, &[Contact]),
    answer_by: Option<time::OffsetDateTime>,
) -> OutboxMessage {
    let mut recipients = change_recipients(event, admins, new_partner, &[]);
    recipients.extend(
        support_agents
            .iter()
            .map(|c| Recipient::of(c, RecipientRole::SupportAgent)),
    );
    OutboxMessage::PartnerChangeEmails {
        event_id: Uuid::now_v7(),
        event,
        recipients,
        request: request.id.0,
        agreement: request.agreement.clone(),
        account: request.account.clone(),
        new_partner: request.new_partner.clone(),
        old_partners: request.old_partners.clone(),
        reasons: Vec::new(),
        renews_on: None,
        answer_by,
    }
}

/// The outbox message for `event` on a partner named for the renewal
/// (#22), told like a partner change: `old_partners` are the partners of
/// record it replaces (or would have).
pub fn renewal_emails(
    event: ChangeEvent,
    named: &RenewalPartner,
    old_partners: &[Csn],
    recipients: (&[Contact], Option<&Contact>, &[Contact]),
) -> OutboxMessage {
    let (admins, new_partner, old) = recipients;
    OutboxMessage::PartnerChangeEmails {
        event_id: Uuid::now_v7(),
        event,
        recipients: change_recipients(event, admins, new_partner, old),
        request: named.id,
        agreement: named.agreement.clone(),
        account: named.account.clone(),
        new_partner: named.new_partner.clone(),
        old_partners: old_partners.to_vec(),
        reasons: named.reasons.clone(),
        renews_on: Some(named.renews_on()),
        answer_by: None,
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::domain::change_request::{RequestId, RequestStatus};
    use crate::domain::roles::UserId;

    fn contact(email: &str, muted: &[ChangeEvent]) -> Contact {
        Contact {
            email: email.into(),
            lang: Lang::De,
            time_zone: Zone::UTC,
            muted: MutedEvents::of(muted),
        }
    }

    fn request() -> ChangeRequest {
        let at = datetime!(2026-12-01 10:00 UTC);
        ChangeRequest {
            id: RequestId(Uuid::nil()),
            agreement: AgreementNumber::parse("110000000001").unwrap(),
            account: Csn::parse("7000000001").unwrap(),
            old_partners: vec![Csn::parse("5100000001").unwrap()],
            new_partner: Csn::parse("5100000002").unwrap(),
            status: RequestStatus::Pending,
            requested_by: UserId(Uuid::nil()),
            created_at: at,
            due_at: at,
            decided_at: None,
            decided_by: None,
            reasons: vec![],
            idempotency_key: None,
        }
    }

    fn mailed(event: ChangeEvent, admins: &[Contact]) -> Vec<String> {
        let partner = contact("partner@example.com", &[]);
        let messages = partner_change_emails(event, &request(), admins, Some(&partner), &[]);
        messages[0]
            .recipients()
            .iter()
            .map(|r| r.to.clone())
            .collect()
    }

    #[test]
    fn an_admin_who_muted_an_event_is_not_mailed_about_it_but_about_the_others() {
        let admins = [
            contact("anna@example.com", &[ChangeEvent::Submitted]),
            contact("ben@example.com", &[]),
        ];
        assert_eq!(
            mailed(ChangeEvent::Submitted, &admins),
            ["ben@example.com", "partner@example.com"]
        );
        assert_eq!(
            mailed(ChangeEvent::Applied, &admins),
            ["anna@example.com", "ben@example.com", "partner@example.com"]
        );
        // Everyone muted: the message still goes out (webhooks, partners).
        let all = [contact("anna@example.com", ChangeEvent::ALL)];
        assert_eq!(
            mailed(ChangeEvent::Withdrawn, &all),
            ["partner@example.com"]
        );
    }

    #[test]
    fn muted_events_survive_storage_and_name_each_unknown_code() {
        let m = MutedEvents::of(&[
            ChangeEvent::Applied,
            ChangeEvent::Submitted,
            ChangeEvent::Applied,
        ]);
        assert_eq!(m.to_stored(), "submitted,applied");
        assert_eq!(MutedEvents::from_stored(&m.to_stored()), m);
        assert_eq!(MutedEvents::from_stored(""), MutedEvents::default());
        assert_eq!(
            MutedEvents::from_stored("applied, someday ,"),
            MutedEvents::of(&[ChangeEvent::Applied])
        );
        let codes = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            MutedEvents::parse_codes("muted", &codes(&["declined", " expired "])).unwrap(),
            MutedEvents::of(&[ChangeEvent::Declined, ChangeEvent::Expired])
        );
        let errors =
            MutedEvents::parse_codes("muted", &codes(&["applied", "sent", "Applied"])).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["muted[1]", "muted[2]"]);
        assert_eq!(errors[0].code, "expected-event");
    }
}
