//! Webhooks per the Standard Webhooks specification: the JSON body, the
//! signature headers, and a sender that times out, does not follow
//! redirects and refuses loopback and private addresses unless allowed.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, KeyInit, Mac};
use kontor_core::domain::delivery::{Verdict, retry_after_seconds, webhook_verdict};
use kontor_core::domain::notify::OutboxMessage;
use kontor_core::store::WebhookEndpoint;

use super::Sent;
use serde_json::{Value, json};
use sha2::Sha256;
use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};
use uuid::Uuid;

/// Prefix of kontor's (and the specification's) signing secrets.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new random signing secret: 32 bytes, base64, with the `whsec_` prefix.
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    format!("{SECRET_PREFIX}{}", B64.encode(bytes))
}

/// Whether `raw` is a usable secret (prefix, base64 key of 24 to 64 bytes).
pub fn secret_key(raw: &str) -> Option<Vec<u8>> {
    let key = B64.decode(raw.strip_prefix(SECRET_PREFIX)?).ok()?;
    (24..=64).contains(&key.len()).then_some(key)
}

/// `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under `secret`.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let key = secret_key(secret)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(format!("v1,{}", B64.encode(mac.finalize().into_bytes())))
}

/// The `webhook-signature` header: one signature per secret in force,
/// space-separated (both during a rotation's overlap).
pub fn signature_header(
    endpoint: &WebhookEndpoint,
    id: &str,
    timestamp: i64,
    body: &[u8],
    now: OffsetDateTime,
) -> Option<String> {
    let mut sigs = vec![sign(&endpoint.secret, id, timestamp, body)?];
    if let (Some(old), Some(until)) = (&endpoint.previous_secret, endpoint.previous_secret_until)
        && until > now
        && let Some(s) = sign(old, id, timestamp, body)
    {
        sigs.push(s);
    }
    Some(sigs.join(" "))
}

/// The `webhook-id`: the event's id, the same for every endpoint and retry.
pub fn message_id(event_id: Uuid) -> String {
    format!("msg_{}", event_id.simple())
}

/// The JSON body of an event (documented as `WebhookEvent` in the OpenAPI
/// document); `None` for messages that are not webhook events.
pub fn body(message: &OutboxMessage, event_at: OffsetDateTime) -> Option<Value> {
    let event_type = message.webhook_event_type()?;
    let OutboxMessage::PartnerChangeEmails {
        request,
        agreement,
        account,
        new_partner,
        old_partners,
        reasons,
        ..
    } = message
    else {
        return None;
    };
    Some(json!({
        "type": event_type,
        "timestamp": event_at.format(&Rfc3339).ok()?,
        "data": {
            "request_id": request,
            "agreement": agreement.as_str(),
            "account": account.as_str(),
            "new_partner": new_partner.as_str(),
            "old_partners": old_partners.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            "reasons": reasons.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        }
    }))
}

/// Whether kontor may connect to `ip` when private addresses are refused:
/// not loopback, private, link-local, shared (CGNAT), unspecified,
/// broadcast, multicast or documentation space, in IPv4 or IPv6 (including
/// IPv4-mapped IPv6).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (o[1] & 0xc0) == 64)
                || (o[0] == 198 && (o[1] & 0xfe) == 18)
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || v6.is_unique_local()
                || v6.is_unicast_link_local()
                || v6.segments()[0] == 0x2001 && v6.segments()[1] == 0xdb8)
        }
    }
}

/// Resolves names and drops every non-public address, so a name that
/// points (or is re-pointed) inside the network is refused at connect time
/// (webhooks and identity providers).
pub(crate) struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| is_public(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(format!(
                    "{host} resolves only to loopback or private addresses, which kontor may not reach"
                )
                .into());
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The form of an endpoint URL, checked by the server and published as the
/// schema's pattern, so that both say the same: `http(s)://`, a DNS name
/// (its last label starting with a letter) or an IPv4 address, an optional
/// port, path and query; no credentials, no fragment, no IPv6 literal.
pub const URL_PATTERN: &str = concat!(
    r"^https?://",
    r"(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?",
    r"|(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9]))",
    r"(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?",
    r"(?:/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?",
    r"(?:\?[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?$",
);

/// Why an endpoint URL is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum UrlProblem {
    /// Not of the form [`URL_PATTERN`] describes.
    Malformed(String),
    /// Well-formed, but the address is loopback or private and the
    /// operator has not allowed those (`webhook_allow_private`).
    NotAllowed(String),
}

/// Why an endpoint URL is refused, or `None` when it may be used.
pub fn url_problem(raw: &str, allow_private: bool) -> Option<UrlProblem> {
    static FORM: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(URL_PATTERN).expect("URL_PATTERN is a valid regex (unit-tested)")
    });
    let malformed = |m: &str| Some(UrlProblem::Malformed(m.into()));
    let url = match reqwest::Url::parse(raw) {
        Ok(u) => u,
        Err(_) => return malformed("expected an absolute http:// or https:// URL"),
    };
    if !matches!(url.scheme(), "http" | "https") {
        return malformed("expected an http:// or https:// URL");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return malformed(
            "credentials in the URL are not allowed; use a path secret or the signature",
        );
    }
    if !FORM.is_match(raw) {
        return malformed(
            "expected http(s)://, a host name or IPv4 address, then an optional port, path and query (no fragment, no spaces)",
        );
    }
    address_problem(&url, allow_private).map(|m| UrlProblem::NotAllowed(m.into()))
}

/// Why the URL's host may not be reached, or `None`. Checked when an
/// endpoint is saved and again at every attempt (the setting may have
/// changed since, and IP literals bypass the resolver).
fn address_problem(url: &reqwest::Url, allow_private: bool) -> Option<&'static str> {
    if allow_private {
        return None;
    }
    let ip = match url.host()? {
        url::Host::Ipv4(v4) => IpAddr::V4(v4),
        url::Host::Ipv6(v6) => IpAddr::V6(v6),
        url::Host::Domain(d)
            if d.eq_ignore_ascii_case("localhost") || d.ends_with(".localhost") =>
        {
            return Some("loopback addresses are not allowed (webhook_allow_private)");
        }
        url::Host::Domain(_) => return None,
    };
    (!is_public(ip))
        .then_some("loopback and private addresses are not allowed (webhook_allow_private)")
}

/// Sends webhook attempts.
#[derive(Clone)]
pub struct WebhookSender {
    client: reqwest::Client,
    allow_private: bool,
}

impl WebhookSender {
    /// A sender whose attempts end after `timeout`.
    pub fn new(timeout: Duration, allow_private: bool) -> anyhow::Result<WebhookSender> {
        let mut builder = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("kontor-webhooks/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(64);
        if !allow_private {
            builder = builder.dns_resolver(Arc::new(PublicOnly));
        }
        Ok(WebhookSender {
            client: builder.build()?,
            allow_private,
        })
    }

    /// One attempt of `message` to `endpoint`.
    pub async fn send(
        &self,
        endpoint: &WebhookEndpoint,
        message: &OutboxMessage,
        event_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Sent {
        let fail = |error: String| Sent {
            verdict: Verdict::Retry { retry_after: None },
            status: None,
            error: Some(error),
        };
        let url = match reqwest::Url::parse(&endpoint.url) {
            Ok(url) => url,
            Err(e) => return fail(format!("refused: the URL does not parse: {e}")),
        };
        if let Some(problem) = address_problem(&url, self.allow_private) {
            return fail(format!("refused: {problem}"));
        }
        let Some(body) = body(message, event_at) else {
            return Sent {
                verdict: Verdict::Delivered,
                status: None,
                error: None,
            };
        };
        let body = body.to_string().into_bytes();
        let id = message_id(message.event_id());
        let timestamp = now.unix_timestamp();
        let Some(signature) = signature_header(endpoint, &id, timestamp, &body, now) else {
            return fail("the endpoint's secret is not a valid whsec_ secret".into());
        };
        let response = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await;
        match response {
            Err(e) => fail(describe(&e)),
            Ok(r) => answered(&r, now),
        }
    }
}

/// What the endpoint's answer means for the delivery.
fn answered(r: &reqwest::Response, now: OffsetDateTime) -> Sent {
    let status = r.status().as_u16();
    let retry_after = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, now));
    let verdict = webhook_verdict(status, retry_after);
    let error = (verdict != Verdict::Delivered).then(|| format!("HTTP {status}"));
    Sent {
        verdict,
        status: Some(status),
        error,
    }
}

/// `Retry-After` as seconds or as an HTTP date.
fn parse_retry_after(raw: &str, now: OffsetDateTime) -> Option<Duration> {
    retry_after_seconds(raw).or_else(|| {
        let at = OffsetDateTime::parse(raw.trim(), &Rfc2822).ok()?;
        Some(Duration::try_from(at - now).unwrap_or(Duration::ZERO))
    })
}

/// A short reason for a failed request, without the URL's query.
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {detail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(secret: &str) -> WebhookEndpoint {
        let t = OffsetDateTime::UNIX_EPOCH;
        WebhookEndpoint {
            id: Uuid::nil(),
            url: "https://example.com/hook".into(),
            description: String::new(),
            event_types: vec![],
            secret: secret.into(),
            previous_secret: None,
            previous_secret_until: None,
            enabled: true,
            disabled_reason: None,
            failing_since: None,
            created_at: t,
            updated_at: t,
        }
    }

    /// The Standard Webhooks specification's published test vector.
    #[test]
    fn signer_reproduces_the_specification_vector() {
        let sig = sign(
            "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
            1649367553,
            br#"{"email":"test@example.com","username":"test_user"}"#,
        );
        assert_eq!(
            sig.as_deref(),
            Some("v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=")
        );
        // One byte of the body changed: another signature.
        let other = sign(
            "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
            1649367553,
            br#"{"email":"test@example.com","username":"test_user "}"#,
        );
        assert_ne!(sig, other);
    }

    #[test]
    fn both_secrets_sign_during_the_overlap_only() {
        let now = OffsetDateTime::UNIX_EPOCH + time::Duration::days(1);
        let mut e = endpoint(&new_secret());
        e.previous_secret = Some(new_secret());
        e.previous_secret_until = Some(now + time::Duration::seconds(1));
        let both = signature_header(&e, "msg_1", 1, b"{}", now).unwrap();
        let parts: Vec<&str> = both.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            Some(parts[0].to_owned()),
            sign(&e.secret, "msg_1", 1, b"{}")
        );
        assert_eq!(
            Some(parts[1].to_owned()),
            sign(e.previous_secret.as_deref().unwrap(), "msg_1", 1, b"{}")
        );
        e.previous_secret_until = Some(now);
        let one = signature_header(&e, "msg_1", 1, b"{}", now).unwrap();
        assert!(!one.contains(' '), "overlap ended: {one}");
    }

    #[test]
    fn secrets_are_prefixed_random_and_checked() {
        let a = new_secret();
        assert!(a.starts_with("whsec_"));
        assert_eq!(secret_key(&a).map(|k| k.len()), Some(32));
        assert_ne!(a, new_secret());
        assert_eq!(
            secret_key("C2FVsBQIhrscChlQIMV+b5sSYspob7oD"),
            None,
            "no prefix"
        );
        assert_eq!(secret_key("whsec_not base64!"), None);
        assert_eq!(secret_key("whsec_AAAA"), None, "too short");
    }

    #[test]
    fn private_and_loopback_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "2001:db8::1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn endpoint_urls_are_checked() {
        assert_eq!(url_problem("https://hooks.example.com/k", false), None);
        assert_eq!(
            url_problem("https://Hooks.Example.COM:8443/a/b?x=1&y=%20", false),
            None
        );
        assert_eq!(url_problem("http://93.184.216.34/", false), None);
        assert_eq!(url_problem("https://a-1.b2.io", false), None);
        for malformed in [
            "https://example.com/#fragment",
            "https://example.com/a b",
            "https://example.123/",
            "https://1.2.3/",
            "http://[2001:db8::1]/",
            "https://example.com:65536/",
            "https://-example.com/",
            "https://example.com/\\x",
        ] {
            assert!(
                matches!(url_problem(malformed, true), Some(UrlProblem::Malformed(_))),
                "{malformed}"
            );
        }
        for (raw, allowed) in [
            ("http://127.0.0.1:9000/", true),
            ("http://10.0.0.8/", true),
            ("http://localhost/", true),
            ("http://a.localhost/", true),
            ("http://8.8.8.8/", false),
        ] {
            assert_eq!(
                matches!(url_problem(raw, false), Some(UrlProblem::NotAllowed(_))),
                allowed,
                "{raw}"
            );
            assert_eq!(url_problem(raw, true), None, "{raw}");
        }
        assert!(url_problem("ftp://example.com/", false).is_some());
        assert!(url_problem("not a url", false).is_some());
        assert!(url_problem("https://user:pw@example.com/", false).is_some());
        assert!(url_problem("http://127.0.0.1:9000/", false).is_some());
        assert!(url_problem("http://[::1]/", false).is_some());
        assert!(url_problem("http://localhost/", false).is_some());
        assert!(url_problem("http://169.254.169.254/latest/meta-data", false).is_some());
        assert_eq!(url_problem("http://127.0.0.1:9000/", true), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = OffsetDateTime::parse("2026-11-25T10:00:00Z", &Rfc3339).unwrap();
        assert_eq!(parse_retry_after("30", now), Some(Duration::from_secs(30)));
        assert_eq!(
            parse_retry_after("Wed, 25 Nov 2026 10:02:00 GMT", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
