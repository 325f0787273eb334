//! Operators manage webhook endpoints and re-send failed deliveries: the
//! rules behind the API and the back-office page.

use kontor_core::Error;
use kontor_core::domain::audit::{AuditAction, AuditEntry, By};
use kontor_core::domain::delivery::WEBHOOK_EVENT_TYPES;
use kontor_core::domain::permissions::Permission;
use kontor_core::domain::roles::Actor;
use kontor_core::error::FieldError;
use kontor_core::service::Services;
use kontor_core::store::WebhookEndpoint;
use serde_json::json;
use uuid::Uuid;

use super::webhook::{UrlProblem, new_secret, url_problem};

/// Longest accepted URL and description.
const MAX_URL: usize = 2000;
const MAX_DESCRIPTION: usize = 500;

/// What an operator may set on an endpoint; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct EndpointInput {
    /// Where events are POSTed.
    pub url: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// Event types; empty means all.
    pub event_types: Option<Vec<String>>,
    /// Receives events. Enabling clears the reason it was disabled and
    /// its run of failures.
    pub enabled: Option<bool>,
}

/// Settings the rules read.
#[derive(Debug, Clone, Copy)]
pub struct EndpointRules {
    /// Loopback and private addresses allowed.
    pub allow_private: bool,
    /// How long the previous secret keeps signing after a rotation.
    pub overlap: time::Duration,
}

impl From<&crate::config::Config> for EndpointRules {
    fn from(c: &crate::config::Config) -> Self {
        EndpointRules {
            allow_private: c.webhook_allow_private,
            overlap: time::Duration::hours(
                i64::try_from(c.webhook_secret_overlap_hours).unwrap_or(24),
            ),
        }
    }
}

fn validate(input: &EndpointInput, rules: EndpointRules) -> Result<(), Error> {
    let mut errors = Vec::new();
    // A well-formed URL the address rules refuse is told apart from a
    // malformed one (`Error::Refused`), unless something else is malformed.
    let mut refused = None;
    if let Some(url) = &input.url {
        if url.chars().count() > MAX_URL {
            errors.push(FieldError::coded(
                "url",
                "text-too-long",
                vec![("max", MAX_URL.to_string())],
                format!("expected at most {MAX_URL} characters"),
            ));
        } else {
            match url_problem(url, rules.allow_private) {
                Some(UrlProblem::Malformed(m)) => errors.push(FieldError::coded(
                    "url",
                    "webhook-url-format",
                    Vec::new(),
                    m,
                )),
                Some(UrlProblem::NotAllowed(m)) => {
                    refused = Some(FieldError::coded(
                        "url",
                        "webhook-url-private",
                        Vec::new(),
                        m,
                    ))
                }
                None => {}
            }
        }
    }
    if let Some(d) = &input.description
        && d.chars().count() > MAX_DESCRIPTION
    {
        errors.push(FieldError::coded(
            "description",
            "text-too-long",
            vec![("max", MAX_DESCRIPTION.to_string())],
            format!("expected at most {MAX_DESCRIPTION} characters"),
        ));
    }
    if let Some(types) = &input.event_types {
        for (i, t) in types.iter().enumerate() {
            if !WEBHOOK_EVENT_TYPES.contains(&t.as_str()) {
                errors.push(FieldError::coded(
                    format!("event_types[{i}]"),
                    "webhook-event-unknown",
                    Vec::new(),
                    format!("expected one of {}", WEBHOOK_EVENT_TYPES.join(", ")),
                ));
            }
        }
    }
    match (errors.is_empty(), refused) {
        (true, None) => Ok(()),
        (true, Some(r)) => Err(Error::Refused(vec![r])),
        (false, r) => {
            errors.extend(r);
            Err(Error::Invalid(errors))
        }
    }
}

fn summary(e: &WebhookEndpoint) -> serde_json::Value {
    json!({"id": e.id, "url": e.url, "event_types": e.event_types, "enabled": e.enabled})
}

/// Every endpoint.
pub async fn list(services: &Services, actor: &Actor) -> Result<Vec<WebhookEndpoint>, Error> {
    Error::unless_may(actor, Permission::OperateWebhooks)?;
    Ok(services.store.webhook_endpoints().await?)
}

/// How many deliveries have `status`.
pub async fn delivery_count(
    services: &Services,
    actor: &Actor,
    status: kontor_core::domain::delivery::DeliveryStatus,
) -> Result<i64, Error> {
    Error::unless_may(actor, Permission::OperateWebhooks)?;
    Ok(services.store.delivery_count(status).await?)
}

/// One endpoint.
pub async fn get(services: &Services, actor: &Actor, id: Uuid) -> Result<WebhookEndpoint, Error> {
    Error::unless_may(actor, Permission::OperateWebhooks)?;
    services
        .store
        .webhook_endpoint(id)
        .await?
        .ok_or(Error::NotFound("webhook endpoint"))
}

/// Adds an endpoint with a new secret.
pub async fn create(
    services: &Services,
    actor: &Actor,
    input: EndpointInput,
    rules: EndpointRules,
) -> Result<WebhookEndpoint, Error> {
    Error::unless_may(actor, Permission::OperateWebhooks)?;
    if input.url.is_none() {
        return Err(Error::Invalid(vec![FieldError::coded(
            "url",
            "webhook-url-format",
            Vec::new(),
            "expected the endpoint's http:// or https:// URL",
        )]));
    }
    validate(&input, rules)?;
    let now = services.clock.now();
    let mut types = input.event_types.unwrap_or_default();
    types.sort();
    types.dedup();
    let endpoint = WebhookEndpoint {
        id: Uuid::now_v7(),
        url: input.url.unwrap_or_default(),
        description: input.description.unwrap_or_default(),
        event_types: types,
        secret: new_secret(),
        previous_secret: None,
        previous_secret_until: None,
        enabled: input.enabled.unwrap_or(true),
        disabled_reason: None,
        failing_since: None,
        created_at: now,
        updated_at: now,
    };
    let mut audit = AuditEntry::new(now, By::Person(actor), AuditAction::WebhookEndpointSaved);
    audit.after = summary(&endpoint);
    services
        .store
        .save_webhook_endpoint(&endpoint, &audit)
        .await?;
    Ok(endpoint)
}

/// Changes an endpoint.
pub async fn update(
    services: &Services,
    actor: &Actor,
    id: Uuid,
    input: EndpointInput,
    rules: EndpointRules,
) -> Result<WebhookEndpoint, Error> {
    let before = get(services, actor, id).await?;
    validate(&input, rules)?;
    let mut after = before.clone();
    if let Some(url) = input.url {
        after.url = url;
    }
    if let Some(d) = input.description {
        after.description = d;
    }
    if let Some(mut types) = input.event_types {
        types.sort();
        types.dedup();
        after.event_types = types;
    }
    if let Some(enabled) = input.enabled {
        if enabled && !before.enabled {
            after.disabled_reason = None;
            after.failing_since = None;
        }
        if !enabled && before.enabled {
            after.disabled_reason = Some(format!("disabled by {}", actor.label()));
        }
        after.enabled = enabled;
    }
    after.updated_at = services.clock.now();
    let mut audit = AuditEntry::new(
        after.updated_at,
        By::Person(actor),
        AuditAction::WebhookEndpointSaved,
    );
    audit.before = summary(&before);
    audit.after = summary(&after);
    services.store.save_webhook_endpoint(&after, &audit).await?;
    Ok(after)
}

/// A new secret; the previous one keeps signing for the overlap window so
/// receivers can switch without missing an event.
pub async fn rotate_secret(
    services: &Services,
    actor: &Actor,
    id: Uuid,
    rules: EndpointRules,
) -> Result<WebhookEndpoint, Error> {
    let mut e = get(services, actor, id).await?;
    let now = services.clock.now();
    e.previous_secret = Some(std::mem::replace(&mut e.secret, new_secret()));
    e.previous_secret_until = Some(now + rules.overlap);
    e.updated_at = now;
    let mut audit = AuditEntry::new(now, By::Person(actor), AuditAction::WebhookEndpointSaved);
    audit.after = json!({"id": e.id, "secret_rotated": true, "previous_secret_until": e.previous_secret_until.map(|t| t.unix_timestamp())});
    services.store.save_webhook_endpoint(&e, &audit).await?;
    Ok(e)
}

/// Removes an endpoint and its deliveries.
pub async fn delete(services: &Services, actor: &Actor, id: Uuid) -> Result<(), Error> {
    let e = get(services, actor, id).await?;
    let mut audit = AuditEntry::new(
        services.clock.now(),
        By::Person(actor),
        AuditAction::WebhookEndpointDeleted,
    );
    audit.before = summary(&e);
    services.store.delete_webhook_endpoint(id, &audit).await?;
    Ok(())
}

/// Queues a pending or dead delivery for an attempt now, with a fresh
/// count of attempts.
pub async fn resend(services: &Services, actor: &Actor, id: Uuid) -> Result<(), Error> {
    Error::unless_may(actor, Permission::OperateWebhooks)?;
    let now = services.clock.now();
    let mut audit = AuditEntry::new(now, By::Person(actor), AuditAction::DeliveryResent);
    audit.after = json!({"delivery": id});
    services
        .store
        .resend_delivery(id, now, &audit)
        .await
        .map_err(|e| match e {
            kontor_core::StoreError::NotFound => Error::NotFound("delivery"),
            kontor_core::StoreError::Conflict(_) => Error::Conflict {
                code: "delivered",
                detail: kontor_core::Text::new(
                    "delivery-delivered",
                    "this delivery was delivered; there is nothing to send again",
                ),
            },
            other => other.into(),
        })
}

/// A delivery with its attempts, for operators.
pub async fn delivery(
    services: &Services,
    actor: &Actor,
    id: Uuid,
) -> Result<
    (
        kontor_core::store::DeliveryRecord,
        Vec<kontor_core::store::AttemptRecord>,
    ),
    Error,
> {
    Error::unless_may(actor, Permission::OperateWebhooks)?;
    let d = services
        .store
        .delivery(id)
        .await?
        .ok_or(Error::NotFound("delivery"))?;
    let attempts = services.store.delivery_attempts(id).await?;
    Ok((d, attempts))
}

/// Deliveries, for operators.
pub async fn deliveries(
    services: &Services,
    actor: &Actor,
    filter: &kontor_core::store::DeliveryFilter,
) -> Result<Vec<kontor_core::store::DeliveryRecord>, Error> {
    Error::unless_may(actor, Permission::OperateWebhooks)?;
    Ok(services.store.deliveries(filter).await?)
}
