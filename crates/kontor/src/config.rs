//! Configuration: defaults, then `kontor.toml`, then `KONTOR_*` environment
//! variables (environment wins), then command-line flags. Loaded once in
//! `main` and passed down; there is no global.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use kontor_core::domain::delivery::RetrySchedule;
use kontor_core::domain::policy::{LevelHours, Policy};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One setting, as `config check`, the docs test and the loader see it.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    /// The key in `kontor.toml`.
    pub name: &'static str,
    /// What it does (its doc comment).
    pub help: &'static str,
}

impl Setting {
    /// Its environment variable: `KONTOR_` and the name in capitals.
    pub fn env(&self) -> String {
        format!("KONTOR_{}", self.name.to_ascii_uppercase())
    }
}

/// Declares every setting once — its doc comment, name, type and default —
/// and derives from that the `Config` struct (read from `kontor.toml` with
/// serde), its `Default`, [`SETTINGS`] and the environment loader.
macro_rules! settings {
    ($( $(#[doc = $doc:literal])* $name:ident : $ty:ty = $default:expr ; )*) => {
        /// The effective configuration.
        #[derive(Debug, Clone, Serialize, Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct Config {
            $( $(#[doc = $doc])* pub $name: $ty, )*
        }

        impl Default for Config {
            fn default() -> Self {
                Config { $( $name: $default, )* }
            }
        }

        /// Every setting, in the order of `kontor.toml`'s documentation.
        pub const SETTINGS: &[Setting] = &[
            $( Setting { name: stringify!($name), help: concat!($($doc),*) }, )*
        ];

        impl Config {
            /// Applies one `KONTOR_*` variable; `false` when no setting has
            /// that name.
            fn set_from_env(&mut self, key: &str, value: &str) -> anyhow::Result<bool> {
                $(
                    if key.strip_prefix("KONTOR_") == Some(stringify!($name).to_ascii_uppercase().as_str()) {
                        self.$name = FromEnv::from_env(key, value)?;
                        return Ok(true);
                    }
                )*
                Ok(false)
            }
        }
    };
}

/// How a setting's type is read from an environment variable.
trait FromEnv: Sized {
    fn from_env(key: &str, raw: &str) -> anyhow::Result<Self>;
}

macro_rules! from_env_by_parsing {
    ($($t:ty),*) => {$(
        impl FromEnv for $t {
            fn from_env(key: &str, raw: &str) -> anyhow::Result<Self> {
                parse_env(key, raw)
            }
        }
    )*};
}
from_env_by_parsing!(bool, u32, u64, i64, usize);

impl FromEnv for String {
    fn from_env(_: &str, raw: &str) -> anyhow::Result<Self> {
        Ok(raw.to_owned())
    }
}

impl FromEnv for PathBuf {
    fn from_env(_: &str, raw: &str) -> anyhow::Result<Self> {
        Ok(PathBuf::from(raw))
    }
}

/// Empty means unset.
impl FromEnv for Option<String> {
    fn from_env(_: &str, raw: &str) -> anyhow::Result<Self> {
        Ok(Some(raw.to_owned()).filter(|v| !v.is_empty()))
    }
}

/// Comma-separated.
impl FromEnv for Vec<String> {
    fn from_env(_: &str, raw: &str) -> anyhow::Result<Self> {
        Ok(raw
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect())
    }
}

settings! {
    /// Folder of the embedded database (`kontor.db`).
    data_dir: PathBuf = PathBuf::from("data");
    /// `postgres://…` to use PostgreSQL instead of the embedded database.
    database_url: Option<String> = None;
    /// Address `serve` listens on.
    listen: String = "127.0.0.1:8080".into();
    /// Minutes between submit and apply (SPEC: at least one hour).
    processing_delay_minutes: i64 = Policy::default().processing_delay_minutes;
    /// R4 expiry window in days.
    expiry_window_days: i64 = Policy::default().expiry_window_days;
    /// New partner must accept first.
    acceptance_required: bool = Policy::default().acceptance_required;
    /// Days the new partner has to accept.
    acceptance_days: i64 = Policy::default().acceptance_days;
    /// Days after the renewal date a partner named for the renewal waits
    /// for a contract that does not renew by itself to be renewed.
    renewal_grace_days: i64 = Policy::default().renewal_grace_days;
    /// Hours a transfer code is valid where the program's consent is not by
    /// code (#22); a program with the code model sets its own.
    transfer_code_valid_hours: i64 = Policy::default().transfer_code_valid_hours;
    /// Hours within which support first answers a case, standard level.
    first_response_hours_standard: i64 = Policy::default().first_response.standard_hours;
    /// Hours within which support first answers a case, advanced level.
    first_response_hours_advanced: i64 = Policy::default().first_response.advanced_hours;
    /// Hours within which support first answers a case, premium level.
    first_response_hours_premium: i64 = Policy::default().first_response.premium_hours;
    /// Hours within which support resolves a case, standard level.
    resolution_hours_standard: i64 = Policy::default().resolution.standard_hours;
    /// Hours within which support resolves a case, advanced level.
    resolution_hours_advanced: i64 = Policy::default().resolution.advanced_hours;
    /// Hours within which support resolves a case, premium level.
    resolution_hours_premium: i64 = Policy::default().resolution.premium_hours;
    /// Hours before an unanswered acceptance request expires at which the
    /// new partner and support are told (0: never).
    acceptance_escalate_hours: i64 = Policy::default().acceptance_escalate_hours;
    /// Pins the clock (tests, demos): an RFC 3339 instant.
    clock: Option<String> = None;
    /// Seconds the worker sleeps when nothing is due.
    worker_poll_seconds: u64 = 1;
    /// Requests the worker applies per transaction.
    worker_batch: u32 = 500;
    /// Read connections to the embedded database.
    read_connections: u32 = 4;
    /// Most PostgreSQL connections one process opens.
    database_max_connections: u32 = 16;
    /// PostgreSQL cancels a statement running longer than this.
    database_statement_timeout_seconds: u64 = 30;
    /// Seconds a request waits for a database connection before failing
    /// (and `/readyz` before reporting the database unreachable).
    database_acquire_timeout_seconds: u64 = 5;
    /// Seconds a PostgreSQL worker may hold claimed requests without
    /// progress before the database ends its session and frees them.
    worker_lease_seconds: u64 = 60;
    /// Cache agreements, partners and admins in memory (invalidated by
    /// this process's writes at once and by others' within `cache_poll_ms`).
    read_cache: bool = true;
    /// How often other processes' writes are picked up from the audit feed.
    cache_poll_ms: u64 = 250;
    /// Log format: `json` or `pretty`.
    log_format: String = "pretty".into();
    /// Hours idempotency keys are kept (at least 24).
    idempotency_hours: i64 = 48;
    /// Portal sessions end after this many minutes without activity.
    session_idle_minutes: i64 = 30;
    /// Portal sessions end this many hours after sign-in.
    session_absolute_hours: i64 = 8;
    /// Mark cookies `Secure` (set when kontor is served over HTTPS).
    cookie_secure: bool = false;
    /// Largest accepted request body, in bytes (imports excepted).
    max_body_bytes: usize = 1024 * 1024;
    /// Largest accepted import body, in bytes.
    max_import_bytes: usize = 512 * 1024 * 1024;
    /// Outgoing mail server: `smtps://user:pass@host:465` (TLS),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS) or
    /// `smtp://host:25` (plain, local relays only). Unset: mails are
    /// written as `.eml` files to `<data_dir>/mail`.
    smtp_url: Option<String> = None;
    /// Sender of kontor's mails.
    mail_from: String = "kontor <kontor@localhost>".into();
    /// The portal's address as users reach it, for links in mails.
    public_url: String = "http://127.0.0.1:8080".into();
    /// Waits between delivery attempts (`5s`, `5m`, `2h`, ...); one more
    /// attempt than waits, then the delivery is dead. Each wait is spread
    /// by ±20 %.
    delivery_retry_schedule: Vec<String> = ["5s", "5m", "30m", "2h", "5h", "10h", "14h", "20h", "24h"]
                    .map(String::from)
                    .to_vec();
    /// Days before the window for a self-service partner change closes
    /// (R4's `expiry_window_days`) on which the account's admins are
    /// reminded, each once; empty: no reminders.
    reminder_days: Vec<String> = ["30", "7"].map(String::from).to_vec();
    /// Deliveries sent at once by one process.
    delivery_concurrency: usize = 64;
    /// Seconds a claimed delivery is reserved for its sender; then any
    /// process may try it again.
    delivery_lease_seconds: u64 = 60;
    /// Milliseconds the delivery loop sleeps when nothing is due.
    delivery_poll_ms: u64 = 500;
    /// Seconds one webhook attempt may take in all.
    webhook_timeout_seconds: u64 = 15;
    /// Allow webhook endpoints on loopback and private addresses
    /// (refused by default: server-side request forgery).
    webhook_allow_private: bool = false;
    /// Allow identity providers (single sign-on) on plain http and on
    /// loopback and private addresses (refused by default: customer admins
    /// type the issuer in).
    sso_allow_private: bool = false;
    /// An endpoint failing without a single success for this many hours
    /// is disabled and the operators are told.
    webhook_disable_after_hours: u64 = 120;
    /// Hours the previous secret keeps signing after a rotation.
    webhook_secret_overlap_hours: u64 = 24;
    /// Behind a reverse proxy: the header in which it passes the client's
    /// address (its last entry is used), e.g. `x-forwarded-for`. Unset:
    /// the connection's peer.
    client_ip_header: Option<String> = None;
    /// Failed sign-ins per account within `signin_window_minutes` before
    /// the account's sign-ins are refused for the rest of the window.
    signin_failures_per_account: u32 = 5;
    /// Failed sign-ins per client address within
    /// `signin_address_window_minutes` (every account behind the address is
    /// refused until the oldest of them is that old).
    signin_failures_per_address: u32 = 30;
    /// The sliding window of failed sign-ins per account, in minutes.
    signin_window_minutes: i64 = 15;
    /// The sliding window of failed sign-ins per client address, in minutes.
    signin_address_window_minutes: i64 = 5;
    /// Minutes a proof of identity (sign-in, a second factor, the
    /// password asked again) covers sensitive actions — partner changes,
    /// people, tokens, webhooks, security settings — before they ask for
    /// it again.
    reauth_minutes: i64 = 15;
    /// Days new vendor staff (support agents, operators) may sign in
    /// before they must set up a second factor.
    staff_second_factor_grace_days: i64 = 7;
    /// Seconds a client has to send a request's headers (slow clients are
    /// disconnected after this).
    header_read_timeout_seconds: u64 = 10;
    /// Seconds an idle keep-alive connection is kept open.
    keep_alive_idle_seconds: u64 = 60;
    /// Most client connections served at once. At the limit, the
    /// connection idle the longest is closed for each new one; also kept
    /// below the process's open-file limit.
    max_connections: usize = 1024;
}

fn parse_env<T: std::str::FromStr>(key: &str, raw: &str) -> anyhow::Result<T> {
    raw.trim().parse().map_err(|_| {
        anyhow::anyhow!(
            "{key}={raw:?} is not valid: expected a {}",
            std::any::type_name::<T>()
        )
    })
}

impl Config {
    /// Loads `file` (when it exists), then applies `env` pairs on top.
    pub fn load(
        file: Option<&Path>,
        env: impl Iterator<Item = (String, String)>,
    ) -> anyhow::Result<Config> {
        let mut config = match file {
            Some(path) if path.exists() => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("failed to read {}", path.display()))?;
                toml::from_str(&text)
                    .with_context(|| format!("invalid configuration in {}", path.display()))?
            }
            Some(path) if path != Path::new("kontor.toml") => {
                bail!("configuration file {} not found", path.display())
            }
            _ => Config::default(),
        };
        for (key, value) in env {
            if !key.starts_with("KONTOR_")
                || key == "KONTOR_CONFIG"
                || key.starts_with("KONTOR_TEST")
            {
                continue;
            }
            if !config.set_from_env(&key, &value)? {
                eprintln!("warning: unknown environment variable {key} ignored");
            }
        }
        // Header names are case-insensitive; the lookup wants them lower.
        config.client_ip_header = config
            .client_ip_header
            .map(|h| h.to_lowercase())
            .filter(|h| !h.is_empty());
        config.validate()?;
        Ok(config)
    }

    /// Refuses settings that cannot work, naming the setting.
    fn validate(&self) -> anyhow::Result<()> {
        self.validate_policy()?;
        self.validate_worker_and_database()?;
        self.pinned_clock()?;
        self.retry_schedule()?;
        self.reminder_offsets()?;
        self.validate_signin()?;
        self.validate_http()?;
        self.validate_delivery()
    }

    fn validate_policy(&self) -> anyhow::Result<()> {
        if self.processing_delay_minutes < 0 {
            bail!("processing_delay_minutes must be 0 or more");
        }
        if self.expiry_window_days < 0 {
            bail!("expiry_window_days must be 0 or more");
        }
        if !(1..=kontor_core::domain::consent::MAX_CODE_VALID_HOURS)
            .contains(&self.transfer_code_valid_hours)
        {
            bail!(
                "transfer_code_valid_hours must be from 1 to {}",
                kontor_core::domain::consent::MAX_CODE_VALID_HOURS
            );
        }
        if !(0..=366).contains(&self.renewal_grace_days) {
            bail!("renewal_grace_days must be from 0 to 366");
        }
        if self.acceptance_days < 1 {
            bail!("acceptance_days must be 1 or more");
        }
        let levels = [
            (
                "standard",
                self.first_response_hours_standard,
                self.resolution_hours_standard,
            ),
            (
                "advanced",
                self.first_response_hours_advanced,
                self.resolution_hours_advanced,
            ),
            (
                "premium",
                self.first_response_hours_premium,
                self.resolution_hours_premium,
            ),
        ];
        for (level, first, resolution) in levels {
            if !(1..=24 * 30).contains(&first) {
                bail!("first_response_hours_{level} must be between 1 and 720 hours");
            }
            if !(first..=24 * 90).contains(&resolution) {
                bail!(
                    "resolution_hours_{level} must be between first_response_hours_{level} ({first}) and 2160 hours"
                );
            }
        }
        if !(0..=24 * 30).contains(&self.acceptance_escalate_hours) {
            bail!("acceptance_escalate_hours must be between 0 (never) and 720 hours");
        }
        if self.idempotency_hours < 24 {
            bail!("idempotency_hours must be at least 24");
        }
        Ok(())
    }

    fn validate_worker_and_database(&self) -> anyhow::Result<()> {
        if self.worker_batch == 0 {
            bail!("worker_batch must be at least 1");
        }
        if self.database_max_connections < 2 {
            bail!("database_max_connections must be at least 2");
        }
        if self.database_statement_timeout_seconds == 0 {
            bail!("database_statement_timeout_seconds must be at least 1");
        }
        if self.database_acquire_timeout_seconds == 0 {
            bail!("database_acquire_timeout_seconds must be at least 1");
        }
        if self.worker_lease_seconds < 5 {
            bail!("worker_lease_seconds must be at least 5");
        }
        Ok(())
    }

    fn validate_signin(&self) -> anyhow::Result<()> {
        if self.signin_failures_per_account == 0 || self.signin_failures_per_address == 0 {
            bail!("signin_failures_per_account and signin_failures_per_address must be at least 1");
        }
        if !(1..=24 * 60).contains(&self.signin_window_minutes) {
            bail!("signin_window_minutes must be from 1 to 1440");
        }
        if !(1..=24 * 60).contains(&self.signin_address_window_minutes) {
            bail!("signin_address_window_minutes must be from 1 to 1440");
        }
        if !(1..=24 * 60).contains(&self.reauth_minutes) {
            bail!("reauth_minutes must be from 1 to 1440");
        }
        if !(0..=kontor_core::domain::second_factor::MAX_GRACE_DAYS)
            .contains(&self.staff_second_factor_grace_days)
        {
            bail!("staff_second_factor_grace_days must be from 0 to 90");
        }
        Ok(())
    }

    fn validate_http(&self) -> anyhow::Result<()> {
        if self.header_read_timeout_seconds == 0 || self.keep_alive_idle_seconds == 0 {
            bail!("header_read_timeout_seconds and keep_alive_idle_seconds must be at least 1");
        }
        if self.max_connections < 8 {
            bail!("max_connections must be at least 8");
        }
        if self.max_body_bytes == 0 || self.max_import_bytes == 0 {
            bail!("max_body_bytes and max_import_bytes must be at least 1");
        }
        Ok(())
    }

    fn validate_delivery(&self) -> anyhow::Result<()> {
        if self.delivery_concurrency == 0 {
            bail!("delivery_concurrency must be at least 1");
        }
        if self.webhook_timeout_seconds == 0 {
            bail!("webhook_timeout_seconds must be at least 1");
        }
        // A lease shorter than an attempt would hand a delivery still in
        // flight to another sender.
        if self.delivery_lease_seconds < self.webhook_timeout_seconds + 5 {
            bail!(
                "delivery_lease_seconds must be at least webhook_timeout_seconds + 5 (here {})",
                self.webhook_timeout_seconds + 5
            );
        }
        if let Some(url) = &self.smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            bail!(
                "smtp_url must start with smtp:// or smtps://, such as smtps://user:pass@mail.example.com:465"
            );
        }
        self.mail_from
            .parse::<lettre::message::Mailbox>()
            .map_err(|_| {
                anyhow::anyhow!(
                    "mail_from {:?} is not an address such as \"kontor <kontor@example.com>\"",
                    self.mail_from
                )
            })?;
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            bail!("public_url must start with http:// or https://");
        }
        Ok(())
    }

    /// Sign-in throttling limits.
    pub fn throttle(&self) -> kontor_core::domain::throttle::ThrottlePolicy {
        kontor_core::domain::throttle::ThrottlePolicy {
            per_account: self.signin_failures_per_account,
            per_address: self.signin_failures_per_address,
            window: time::Duration::minutes(self.signin_window_minutes),
            address_window: time::Duration::minutes(self.signin_address_window_minutes),
        }
    }

    /// How long a proof of identity covers sensitive actions.
    pub fn reauth_window(&self) -> time::Duration {
        time::Duration::minutes(self.reauth_minutes)
    }

    /// How long new vendor staff may go without a second factor.
    pub fn staff_grace(&self) -> time::Duration {
        time::Duration::days(self.staff_second_factor_grace_days)
    }

    /// The reminder days (#22), each a whole number from 1 to 365.
    pub fn reminder_offsets(&self) -> anyhow::Result<Vec<i64>> {
        self.reminder_days
            .iter()
            .map(|raw| match raw.parse::<i64>() {
                Ok(d) if (1..=365).contains(&d) => Ok(d),
                _ => bail!("reminder_days: {raw:?} is not a whole number of days from 1 to 365"),
            })
            .collect()
    }

    /// The delivery retry schedule.
    pub fn retry_schedule(&self) -> anyhow::Result<RetrySchedule> {
        self.delivery_retry_schedule
            .iter()
            .map(|raw| {
                humantime::parse_duration(raw).with_context(|| {
                    format!(
                        "delivery_retry_schedule: {raw:?} is not a duration such as 5s, 5m or 2h"
                    )
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()
            .map(RetrySchedule)
    }

    /// The pinned instant, when `clock` is set.
    pub fn pinned_clock(&self) -> anyhow::Result<Option<OffsetDateTime>> {
        self.clock
            .as_deref()
            .map(|c| {
                OffsetDateTime::parse(c, &time::format_description::well_known::Rfc3339)
                    .with_context(|| format!("KONTOR_CLOCK={c:?} is not an RFC 3339 instant such as 2026-11-25T09:00:00Z"))
            })
            .transpose()
    }

    /// The policy the rules read.
    pub fn policy(&self) -> Policy {
        Policy {
            processing_delay_minutes: self.processing_delay_minutes,
            expiry_window_days: self.expiry_window_days,
            acceptance_required: self.acceptance_required,
            acceptance_days: self.acceptance_days,
            renewal_grace_days: self.renewal_grace_days,
            transfer_code_valid_hours: self.transfer_code_valid_hours,
            first_response: LevelHours {
                standard_hours: self.first_response_hours_standard,
                advanced_hours: self.first_response_hours_advanced,
                premium_hours: self.first_response_hours_premium,
            },
            resolution: LevelHours {
                standard_hours: self.resolution_hours_standard,
                advanced_hours: self.resolution_hours_advanced,
                premium_hours: self.resolution_hours_premium,
            },
            acceptance_escalate_hours: self.acceptance_escalate_hours,
        }
    }

    /// `path` under the portal's public address, for links in mails.
    pub fn public_link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url.trim_end_matches('/'))
    }

    /// Who kontor is to browsers for passkeys: `public_url`'s host name
    /// and origin (an IP address cannot be a relying party: browse by
    /// name, e.g. `http://localhost:8080`).
    pub fn relying_party(&self) -> kontor_core::service::passkeys::RelyingParty {
        let url = url::Url::parse(&self.public_url).ok();
        let id = url
            .as_ref()
            .and_then(|u| u.host_str())
            .unwrap_or("localhost")
            .to_owned();
        let origin = url
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_default();
        kontor_core::service::passkeys::RelyingParty { id, origin }
    }

    /// The embedded database file.
    pub fn sqlite_path(&self) -> PathBuf {
        self.data_dir.join("kontor.db")
    }

    /// The effective configuration as TOML with secrets masked.
    pub fn masked_toml(&self) -> String {
        let mut shown = self.clone();
        shown.database_url = shown.database_url.map(|u| mask_url(&u));
        shown.smtp_url = shown.smtp_url.map(|u| mask_url(&u));
        toml::to_string_pretty(&shown).unwrap_or_default()
    }
}

/// Hides the password of a database URL.
pub fn mask_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}://{user}:****@{}", &url[..s], &url[at + 1..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Iterator<Item = (String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn environment_wins_over_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("kontor.toml");
        std::fs::write(
            &file,
            "processing_delay_minutes = 30\nexpiry_window_days = 60\n",
        )
        .unwrap();
        let c = Config::load(
            Some(&file),
            env(&[("KONTOR_PROCESSING_DELAY_MINUTES", "5")]),
        )
        .unwrap();
        assert_eq!(c.processing_delay_minutes, 5);
        assert_eq!(c.expiry_window_days, 60);
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err =
            Config::load(None, env(&[("KONTOR_PROCESSING_DELAY_MINUTES", "soon")])).unwrap_err();
        assert!(
            err.to_string().contains("KONTOR_PROCESSING_DELAY_MINUTES"),
            "{err}"
        );
        let err = Config::load(None, env(&[("KONTOR_CLOCK", "yesterday")])).unwrap_err();
        assert!(format!("{err:#}").contains("RFC 3339"), "{err:#}");
    }

    #[test]
    fn first_response_targets_are_between_one_hour_and_thirty_days() {
        for (hours, ok) in [("0", false), ("1", true), ("720", true), ("721", false)] {
            for level in ["STANDARD", "ADVANCED", "PREMIUM"] {
                let key = format!("KONTOR_FIRST_RESPONSE_HOURS_{level}");
                // The resolution target is never below the first response's.
                let resolution = format!("KONTOR_RESOLUTION_HOURS_{level}");
                let loaded = Config::load(
                    None,
                    env(&[(key.as_str(), hours), (resolution.as_str(), "2160")]),
                );
                assert_eq!(loaded.is_ok(), ok, "{key}={hours}");
                if let Err(e) = loaded {
                    assert!(
                        format!("{e:#}").contains(&key.to_lowercase()["kontor_".len()..]),
                        "{e:#}"
                    );
                }
            }
        }
    }

    #[test]
    fn resolution_targets_are_at_least_the_first_response_and_at_most_ninety_days() {
        // Premium answers within 1 h by default: resolving within 1 h is
        // the least, within 2160 h (90 days) the most.
        for (hours, ok) in [("0", false), ("1", true), ("2160", true), ("2161", false)] {
            let loaded = Config::load(None, env(&[("KONTOR_RESOLUTION_HOURS_PREMIUM", hours)]));
            assert_eq!(loaded.is_ok(), ok, "{hours}");
        }
        // Standard answers within 24 h: a 23 h resolution target is refused.
        let err =
            Config::load(None, env(&[("KONTOR_RESOLUTION_HOURS_STANDARD", "23")])).unwrap_err();
        assert!(
            format!("{err:#}").contains("resolution_hours_standard"),
            "{err:#}"
        );
        for (hours, ok) in [("-1", false), ("0", true), ("720", true), ("721", false)] {
            let loaded = Config::load(None, env(&[("KONTOR_ACCEPTANCE_ESCALATE_HOURS", hours)]));
            assert_eq!(loaded.is_ok(), ok, "escalate {hours}");
        }
    }

    #[test]
    fn unknown_file_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k.toml");
        std::fs::write(&file, "procesing_delay = 30\n").unwrap();
        assert!(Config::load(Some(&file), env(&[])).is_err());
    }

    #[test]
    fn delivery_settings_are_checked_and_smtp_secrets_masked() {
        let c = Config::load(
            None,
            env(&[
                (
                    "KONTOR_SMTP_URL",
                    "smtps://mailer:hunter2@mail.example.com:465",
                ),
                ("KONTOR_DELIVERY_RETRY_SCHEDULE", "1s, 2m,3h"),
            ]),
        )
        .unwrap();
        assert!(!c.masked_toml().contains("hunter2"));
        let secs: Vec<u64> = c
            .retry_schedule()
            .unwrap()
            .0
            .iter()
            .map(|d| d.as_secs())
            .collect();
        assert_eq!(secs, [1, 120, 10800]);
        let bad = |pairs: &[(&str, &str)]| Config::load(None, env(pairs)).unwrap_err().to_string();
        assert!(
            bad(&[("KONTOR_DELIVERY_RETRY_SCHEDULE", "5s,soon")])
                .contains("\"soon\" is not a duration")
        );
        assert!(
            bad(&[("KONTOR_SMTP_URL", "mail.example.com")]).contains("smtp_url must start with")
        );
        assert!(bad(&[("KONTOR_MAIL_FROM", "not an address")]).contains("mail_from"));
        assert!(bad(&[("KONTOR_PUBLIC_URL", "kontor.example.com")]).contains("public_url"));
        assert!(
            bad(&[
                ("KONTOR_WEBHOOK_TIMEOUT_SECONDS", "30"),
                ("KONTOR_DELIVERY_LEASE_SECONDS", "34")
            ])
            .contains("delivery_lease_seconds must be at least")
        );
        Config::load(
            None,
            env(&[
                ("KONTOR_WEBHOOK_TIMEOUT_SECONDS", "30"),
                ("KONTOR_DELIVERY_LEASE_SECONDS", "35"),
            ]),
        )
        .unwrap();
    }

    /// Each setting is read from its environment variable: its default,
    /// written as a person would set it, loads back to the default.
    #[test]
    fn every_setting_has_its_environment_variable() {
        let defaults = toml::Value::try_from(Config::default()).unwrap();
        let table = defaults.as_table().unwrap();
        for setting in SETTINGS {
            let raw = match table.get(setting.name) {
                None => String::new(),
                Some(toml::Value::String(s)) => s.clone(),
                Some(toml::Value::Array(items)) => items
                    .iter()
                    .map(|v| v.as_str().unwrap().to_owned())
                    .collect::<Vec<_>>()
                    .join(","),
                Some(other) => other.to_string(),
            };
            let mut config = Config::default();
            assert!(
                config.set_from_env(&setting.env(), &raw).unwrap(),
                "{} is not read from {}",
                setting.name,
                setting.env()
            );
            assert_eq!(
                toml::to_string(&config).unwrap(),
                toml::to_string(&Config::default()).unwrap(),
                "{}={raw:?} does not load back to the default",
                setting.env()
            );
            assert!(
                !setting.help.trim().is_empty(),
                "{} has no help",
                setting.name
            );
        }
        assert!(
            !Config::default()
                .set_from_env("KONTOR_NO_SUCH_SETTING", "1")
                .unwrap()
        );
        assert!(
            !Config::default()
                .set_from_env("KONTOR_listen", "x")
                .unwrap(),
            "names are exact"
        );
    }

    /// The settings table in docs/operations.md lists every setting with
    /// its environment variable (or a `KONTOR_PREFIX_*` that covers it), and
    /// nothing that is not a setting.
    #[test]
    fn the_operations_guide_lists_every_setting() {
        let doc = include_str!("../../../docs/operations.md");
        let rows: Vec<&str> = doc
            .lines()
            .skip_while(|l| !l.starts_with("## Configuration"))
            .take_while(|l| !l.starts_with("## ") || l.starts_with("## Configuration"))
            .filter(|l| l.starts_with("| `"))
            .collect();
        for setting in SETTINGS {
            let named = format!("`{}`", setting.name);
            let row = rows
                .iter()
                .find(|r| r.split('|').nth(1).is_some_and(|c| c.contains(&named)))
                .unwrap_or_else(|| panic!("{} is missing from docs/operations.md", setting.name));
            let env = setting.env();
            let covered = row.split('`').any(|part| {
                part == env
                    || part.strip_suffix('*').is_some_and(|prefix| {
                        prefix.starts_with("KONTOR_") && env.starts_with(prefix)
                    })
                    || part.ends_with("(comma-separated)")
            }) || row.contains(&format!("`{env}`"));
            assert!(
                covered,
                "{}: the row does not name {env}: {row}",
                setting.name
            );
        }
        for row in &rows {
            let first = row.split('|').nth(1).unwrap_or("");
            for name in first.split('`').skip(1).step_by(2) {
                assert!(
                    SETTINGS.iter().any(|s| s.name == name),
                    "docs/operations.md lists `{name}`, which is no setting"
                );
            }
        }
    }

    #[test]
    fn database_password_is_masked() {
        assert_eq!(
            mask_url("postgres://kontor:s3cret@db:5432/k"),
            "postgres://kontor:****@db:5432/k"
        );
        assert_eq!(mask_url("postgres://db/k"), "postgres://db/k");
    }
}
