//! Delivery rows and the outbox fan-out, shared by both backends.

use kontor_core::domain::delivery::{Channel, DeliveryStatus, fan_out, subscribed};
use kontor_core::domain::notify::{OutboxMessage, Recipient};
use kontor_core::store::{
    AttemptNext, AttemptRecord, ClaimedDelivery, DeliveryRecord, DeliveryTarget, WebhookEndpoint,
};
use kontor_core::{StoreError, StoreResult};
use uuid::Uuid;

use crate::rows::{bad, from_ms, json, uuid};

pub const ENDPOINT_COLUMNS: &str = "e.id, e.url, e.description, e.event_types, e.secret, e.previous_secret, \
     e.previous_secret_until, e.enabled, e.disabled_reason, e.failing_since, e.created_at, e.updated_at";

#[derive(sqlx::FromRow)]
pub struct EndpointRow {
    pub id: String,
    pub url: String,
    pub description: String,
    pub event_types: String,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<i64>,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub failing_since: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl TryFrom<EndpointRow> for WebhookEndpoint {
    type Error = StoreError;
    fn try_from(r: EndpointRow) -> Result<WebhookEndpoint, StoreError> {
        Ok(WebhookEndpoint {
            id: uuid(&r.id)?,
            event_types: serde_json::from_str(&r.event_types)
                .map_err(|_| bad("event types", &r.event_types))?,
            url: r.url,
            description: r.description,
            secret: r.secret,
            previous_secret: r.previous_secret,
            previous_secret_until: r.previous_secret_until.map(from_ms),
            enabled: r.enabled,
            disabled_reason: r.disabled_reason,
            failing_since: r.failing_since.map(from_ms),
            created_at: from_ms(r.created_at),
            updated_at: from_ms(r.updated_at),
        })
    }
}

/// The columns of a claimed delivery: the delivery, its outbox message and,
/// for webhooks, the endpoint (LEFT JOIN, so `e.*` may be NULL).
pub const CLAIMED_COLUMNS: &str = "d.id AS d_id, d.claim AS d_claim, d.attempts AS d_attempts, d.recipient AS d_recipient, \
     o.payload AS o_payload, o.created_at AS o_created_at, \
     e.id AS e_id, e.url AS e_url, e.description AS e_description, e.event_types AS e_event_types, e.secret AS e_secret, \
     e.previous_secret AS e_previous_secret, e.previous_secret_until AS e_previous_secret_until, e.enabled AS e_enabled, \
     e.disabled_reason AS e_disabled_reason, e.failing_since AS e_failing_since, e.created_at AS e_created_at, \
     e.updated_at AS e_updated_at";

#[derive(sqlx::FromRow)]
pub struct ClaimedRow {
    pub d_id: String,
    pub d_claim: Option<String>,
    pub d_attempts: i64,
    pub d_recipient: Option<String>,
    pub o_payload: String,
    pub o_created_at: i64,
    pub e_id: Option<String>,
    pub e_url: Option<String>,
    pub e_description: Option<String>,
    pub e_event_types: Option<String>,
    pub e_secret: Option<String>,
    pub e_previous_secret: Option<String>,
    pub e_previous_secret_until: Option<i64>,
    pub e_enabled: Option<bool>,
    pub e_disabled_reason: Option<String>,
    pub e_failing_since: Option<i64>,
    pub e_created_at: Option<i64>,
    pub e_updated_at: Option<i64>,
}

impl TryFrom<ClaimedRow> for ClaimedDelivery {
    type Error = StoreError;
    fn try_from(r: ClaimedRow) -> Result<ClaimedDelivery, StoreError> {
        let target = match (r.d_recipient, r.e_id) {
            (Some(raw), _) => DeliveryTarget::Email(
                serde_json::from_str::<Recipient>(&raw).map_err(|_| bad("recipient", &raw))?,
            ),
            (None, Some(id)) => DeliveryTarget::Webhook(
                EndpointRow {
                    id,
                    url: r.e_url.unwrap_or_default(),
                    description: r.e_description.unwrap_or_default(),
                    event_types: r.e_event_types.unwrap_or_else(|| "[]".into()),
                    secret: r.e_secret.unwrap_or_default(),
                    previous_secret: r.e_previous_secret,
                    previous_secret_until: r.e_previous_secret_until,
                    enabled: r.e_enabled.unwrap_or(false),
                    disabled_reason: r.e_disabled_reason,
                    failing_since: r.e_failing_since,
                    created_at: r.e_created_at.unwrap_or_default(),
                    updated_at: r.e_updated_at.unwrap_or_default(),
                }
                .try_into()?,
            ),
            (None, None) => return Err(bad("delivery target", &r.d_id)),
        };
        Ok(ClaimedDelivery {
            id: uuid(&r.d_id)?,
            claim: uuid(r.d_claim.as_deref().unwrap_or_default())?,
            attempt: u32::try_from(r.d_attempts).unwrap_or(u32::MAX),
            message: serde_json::from_str(&r.o_payload)
                .map_err(|_| bad("outbox payload", &r.o_payload))?,
            event_at: from_ms(r.o_created_at),
            target,
        })
    }
}

pub const DELIVERY_COLUMNS: &str = "d.seq, d.id, o.payload, o.kind, d.channel, d.recipient, d.endpoint_id, d.status, \
     d.attempts, d.next_attempt_at, d.last_error, d.last_status, d.created_at, d.delivered_at";

#[derive(sqlx::FromRow)]
pub struct DeliveryRow {
    pub seq: i64,
    pub id: String,
    pub payload: String,
    pub kind: String,
    pub channel: String,
    pub recipient: Option<String>,
    pub endpoint_id: Option<String>,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub last_status: Option<i64>,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
}

impl TryFrom<DeliveryRow> for DeliveryRecord {
    type Error = StoreError;
    fn try_from(r: DeliveryRow) -> Result<DeliveryRecord, StoreError> {
        let message: OutboxMessage =
            serde_json::from_str(&r.payload).map_err(|_| bad("outbox payload", &r.payload))?;
        let recipient = r
            .recipient
            .as_deref()
            .map(|raw| {
                serde_json::from_str::<Recipient>(raw)
                    .map(|r| r.to)
                    .map_err(|_| bad("recipient", raw))
            })
            .transpose()?;
        Ok(DeliveryRecord {
            seq: r.seq,
            id: uuid(&r.id)?,
            event_id: message.event_id(),
            kind: r.kind,
            channel: Channel::parse(&r.channel).ok_or_else(|| bad("channel", &r.channel))?,
            recipient,
            endpoint_id: r.endpoint_id.as_deref().map(uuid).transpose()?,
            status: DeliveryStatus::parse(&r.status).ok_or_else(|| bad("status", &r.status))?,
            attempts: u32::try_from(r.attempts).unwrap_or(u32::MAX),
            next_attempt_at: (r.status == "pending" && r.next_attempt_at != PARKED)
                .then(|| from_ms(r.next_attempt_at)),
            last_error: r.last_error,
            last_status: r.last_status.and_then(|s| u16::try_from(s).ok()),
            created_at: from_ms(r.created_at),
            delivered_at: r.delivered_at.map(from_ms),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct AttemptRow {
    pub at: i64,
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    pub error: Option<String>,
}

impl From<AttemptRow> for AttemptRecord {
    fn from(r: AttemptRow) -> AttemptRecord {
        AttemptRecord {
            at: from_ms(r.at),
            status_code: r.status_code.and_then(|s| u16::try_from(s).ok()),
            latency_ms: u32::try_from(r.latency_ms).unwrap_or(u32::MAX),
            error: r.error,
        }
    }
}

/// `next_attempt_at` of the pending deliveries of a disabled endpoint:
/// never due, so claims do not step over them; enabling the endpoint makes
/// them due at once.
pub const PARKED: i64 = i64::MAX;

/// A pending outbox message as read for fan-out.
#[derive(sqlx::FromRow)]
pub struct PendingOutboxRow {
    pub id: String,
    pub payload: String,
}

/// One delivery to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    pub id: String,
    pub outbox_id: String,
    pub channel: &'static str,
    pub recipient: Option<String>,
    pub endpoint_id: Option<String>,
}

/// The deliveries for a batch of outbox messages: one per email recipient
/// (the same address twice in one message gets one email) and one per
/// enabled endpoint subscribed to the message's event type.
pub fn plan_fan_out(
    rows: &[PendingOutboxRow],
    endpoints: &[WebhookEndpoint],
) -> StoreResult<Vec<NewDelivery>> {
    let mut out = Vec::new();
    for row in rows {
        let message: OutboxMessage =
            serde_json::from_str(&row.payload).map_err(|_| bad("outbox payload", &row.payload))?;
        let fan = fan_out(&message);
        let mut seen = std::collections::HashSet::new();
        for r in fan.emails {
            if !seen.insert(r.to.to_lowercase()) {
                continue;
            }
            out.push(NewDelivery {
                id: Uuid::now_v7().to_string(),
                outbox_id: row.id.clone(),
                channel: Channel::Email.as_str(),
                recipient: Some(json(r)?),
                endpoint_id: None,
            });
        }
        if let Some(event_type) = fan.event_type {
            for e in endpoints
                .iter()
                .filter(|e| e.enabled && subscribed(&e.event_types, &event_type))
            {
                out.push(NewDelivery {
                    id: Uuid::now_v7().to_string(),
                    outbox_id: row.id.clone(),
                    channel: Channel::Webhook.as_str(),
                    recipient: None,
                    endpoint_id: Some(e.id.to_string()),
                });
            }
        }
    }
    Ok(out)
}

/// The stored columns of an attempt's result: status, next attempt, delivered at.
pub fn result_columns(next: AttemptNext, at_ms: i64) -> (&'static str, Option<i64>, Option<i64>) {
    match next {
        AttemptNext::Delivered => ("delivered", None, Some(at_ms)),
        AttemptNext::RetryAt(t) => ("pending", Some(crate::rows::ms(t)), None),
        AttemptNext::Dead => ("dead", None, None),
    }
}
