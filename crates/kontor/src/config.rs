//! Configuration: defaults, then `kontor.toml`, then `KONTOR_*` environment
//! variables (environment wins), then command-line flags. Loaded once in
//! `main` and passed down; there is no global.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use kontor_core::domain::delivery::RetrySchedule;
use kontor_core::domain::policy::Policy;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The effective configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Folder of the embedded database (`kontor.db`).
    pub data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL instead of the embedded database.
    pub database_url: Option<String>,
    /// Address `serve` listens on.
    pub listen: String,
    /// Minutes between submit and apply (SPEC: at least one hour).
    pub processing_delay_minutes: i64,
    /// R4 expiry window in days.
    pub expiry_window_days: i64,
    /// New partner must accept first.
    pub acceptance_required: bool,
    /// Days the new partner has to accept.
    pub acceptance_days: i64,
    /// Pins the clock (tests, demos): an RFC 3339 instant.
    pub clock: Option<String>,
    /// Seconds the worker sleeps when nothing is due.
    pub worker_poll_seconds: u64,
    /// Requests the worker applies per transaction.
    pub worker_batch: u32,
    /// Read connections to the embedded database.
    pub read_connections: u32,
    /// Most PostgreSQL connections one process opens.
    pub database_max_connections: u32,
    /// PostgreSQL cancels a statement running longer than this.
    pub database_statement_timeout_seconds: u64,
    /// Seconds a request waits for a database connection before failing
    /// (and `/readyz` before reporting the database unreachable).
    pub database_acquire_timeout_seconds: u64,
    /// Seconds a PostgreSQL worker may hold claimed requests without
    /// progress before the database ends its session and frees them.
    pub worker_lease_seconds: u64,
    /// Cache agreements, partners and admins in memory (invalidated by
    /// this process's writes at once and by others' within `cache_poll_ms`).
    pub read_cache: bool,
    /// How often other processes' writes are picked up from the audit feed.
    pub cache_poll_ms: u64,
    /// Log format: `json` or `pretty`.
    pub log_format: String,
    /// Hours idempotency keys are kept (at least 24).
    pub idempotency_hours: i64,
    /// Portal sessions end after this many minutes without activity.
    pub session_idle_minutes: i64,
    /// Portal sessions end this many hours after sign-in.
    pub session_absolute_hours: i64,
    /// Mark cookies `Secure` (set when kontor is served over HTTPS).
    pub cookie_secure: bool,
    /// Largest accepted request body, in bytes (imports excepted).
    pub max_body_bytes: usize,
    /// Largest accepted import body, in bytes.
    pub max_import_bytes: usize,
    /// Outgoing mail server: `smtps://user:pass@host:465` (TLS),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS) or
    /// `smtp://host:25` (plain, local relays only). Unset: mails are
    /// written as `.eml` files to `<data_dir>/mail`.
    pub smtp_url: Option<String>,
    /// Sender of kontor's mails.
    pub mail_from: String,
    /// The portal's address as users reach it, for links in mails.
    pub public_url: String,
    /// Waits between delivery attempts (`5s`, `5m`, `2h`, ...); one more
    /// attempt than waits, then the delivery is dead. Each wait is spread
    /// by ±20 %.
    pub delivery_retry_schedule: Vec<String>,
    /// Deliveries sent at once by one process.
    pub delivery_concurrency: usize,
    /// Seconds a claimed delivery is reserved for its sender; then any
    /// process may try it again.
    pub delivery_lease_seconds: u64,
    /// Milliseconds the delivery loop sleeps when nothing is due.
    pub delivery_poll_ms: u64,
    /// Seconds one webhook attempt may take in all.
    pub webhook_timeout_seconds: u64,
    /// Allow webhook endpoints on loopback and private addresses
    /// (refused by default: server-side request forgery).
    pub webhook_allow_private: bool,
    /// An endpoint failing without a single success for this many hours
    /// is disabled and the operators are told.
    pub webhook_disable_after_hours: u64,
    /// Hours the previous secret keeps signing after a rotation.
    pub webhook_secret_overlap_hours: u64,
    /// Behind a reverse proxy: the header in which it passes the client's
    /// address (its last entry is used), e.g. `x-forwarded-for`. Unset:
    /// the connection's peer.
    pub client_ip_header: Option<String>,
    /// Failed sign-ins per account within `signin_window_minutes` before
    /// the account's sign-ins are refused for the rest of the window.
    pub signin_failures_per_account: u32,
    /// Failed sign-ins per client address within
    /// `signin_address_window_minutes` (every account behind the address is
    /// refused until the oldest of them is that old).
    pub signin_failures_per_address: u32,
    /// The sliding window of failed sign-ins per account, in minutes.
    pub signin_window_minutes: i64,
    /// The sliding window of failed sign-ins per client address, in minutes.
    pub signin_address_window_minutes: i64,
    /// Seconds a client has to send a request's headers (slow clients are
    /// disconnected after this).
    pub header_read_timeout_seconds: u64,
    /// Seconds an idle keep-alive connection is kept open.
    pub keep_alive_idle_seconds: u64,
    /// Most client connections served at once. At the limit, the
    /// connection idle the longest is closed for each new one; also kept
    /// below the process's open-file limit.
    pub max_connections: usize,
}

impl Default for Config {
    fn default() -> Self {
        let policy = Policy::default();
        Config {
            data_dir: PathBuf::from("data"),
            database_url: None,
            listen: "127.0.0.1:8080".into(),
            processing_delay_minutes: policy.processing_delay_minutes,
            expiry_window_days: policy.expiry_window_days,
            acceptance_required: policy.acceptance_required,
            acceptance_days: policy.acceptance_days,
            clock: None,
            worker_poll_seconds: 1,
            worker_batch: 500,
            read_connections: 4,
            database_max_connections: 16,
            database_statement_timeout_seconds: 30,
            database_acquire_timeout_seconds: 5,
            worker_lease_seconds: 60,
            read_cache: true,
            cache_poll_ms: 250,
            log_format: "pretty".into(),
            idempotency_hours: 48,
            session_idle_minutes: 30,
            session_absolute_hours: 8,
            cookie_secure: false,
            max_body_bytes: 1024 * 1024,
            max_import_bytes: 512 * 1024 * 1024,
            smtp_url: None,
            mail_from: "kontor <kontor@localhost>".into(),
            public_url: "http://127.0.0.1:8080".into(),
            delivery_retry_schedule: ["5s", "5m", "30m", "2h", "5h", "10h", "14h", "20h", "24h"]
                .map(String::from)
                .to_vec(),
            delivery_concurrency: 64,
            delivery_lease_seconds: 60,
            delivery_poll_ms: 500,
            webhook_timeout_seconds: 15,
            webhook_allow_private: false,
            webhook_disable_after_hours: 120,
            webhook_secret_overlap_hours: 24,
            client_ip_header: None,
            signin_failures_per_account: 5,
            signin_failures_per_address: 30,
            signin_window_minutes: 15,
            signin_address_window_minutes: 5,
            header_read_timeout_seconds: 10,
            keep_alive_idle_seconds: 60,
            max_connections: 1024,
        }
    }
}

/// Environment variables that configure kontor (besides `KONTOR_CONFIG`).
pub const ENV_KEYS: &[&str] = &[
    "KONTOR_DATA_DIR",
    "KONTOR_DATABASE_URL",
    "KONTOR_LISTEN",
    "KONTOR_PROCESSING_DELAY_MINUTES",
    "KONTOR_EXPIRY_WINDOW_DAYS",
    "KONTOR_ACCEPTANCE_REQUIRED",
    "KONTOR_ACCEPTANCE_DAYS",
    "KONTOR_CLOCK",
    "KONTOR_WORKER_POLL_SECONDS",
    "KONTOR_WORKER_BATCH",
    "KONTOR_READ_CONNECTIONS",
    "KONTOR_DATABASE_MAX_CONNECTIONS",
    "KONTOR_DATABASE_STATEMENT_TIMEOUT_SECONDS",
    "KONTOR_DATABASE_ACQUIRE_TIMEOUT_SECONDS",
    "KONTOR_WORKER_LEASE_SECONDS",
    "KONTOR_READ_CACHE",
    "KONTOR_CACHE_POLL_MS",
    "KONTOR_LOG_FORMAT",
    "KONTOR_IDEMPOTENCY_HOURS",
    "KONTOR_SESSION_IDLE_MINUTES",
    "KONTOR_SESSION_ABSOLUTE_HOURS",
    "KONTOR_COOKIE_SECURE",
    "KONTOR_MAX_BODY_BYTES",
    "KONTOR_MAX_IMPORT_BYTES",
    "KONTOR_SMTP_URL",
    "KONTOR_MAIL_FROM",
    "KONTOR_PUBLIC_URL",
    "KONTOR_DELIVERY_RETRY_SCHEDULE",
    "KONTOR_DELIVERY_CONCURRENCY",
    "KONTOR_DELIVERY_LEASE_SECONDS",
    "KONTOR_DELIVERY_POLL_MS",
    "KONTOR_WEBHOOK_TIMEOUT_SECONDS",
    "KONTOR_WEBHOOK_ALLOW_PRIVATE",
    "KONTOR_WEBHOOK_DISABLE_AFTER_HOURS",
    "KONTOR_WEBHOOK_SECRET_OVERLAP_HOURS",
    "KONTOR_CLIENT_IP_HEADER",
    "KONTOR_SIGNIN_FAILURES_PER_ACCOUNT",
    "KONTOR_SIGNIN_FAILURES_PER_ADDRESS",
    "KONTOR_SIGNIN_WINDOW_MINUTES",
    "KONTOR_SIGNIN_ADDRESS_WINDOW_MINUTES",
    "KONTOR_HEADER_READ_TIMEOUT_SECONDS",
    "KONTOR_KEEP_ALIVE_IDLE_SECONDS",
    "KONTOR_MAX_CONNECTIONS",
];

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
            match key.as_str() {
                "KONTOR_DATA_DIR" => config.data_dir = PathBuf::from(value),
                "KONTOR_DATABASE_URL" => {
                    config.database_url = Some(value).filter(|v| !v.is_empty())
                }
                "KONTOR_LISTEN" => config.listen = value,
                "KONTOR_PROCESSING_DELAY_MINUTES" => {
                    config.processing_delay_minutes = parse_env(&key, &value)?
                }
                "KONTOR_EXPIRY_WINDOW_DAYS" => config.expiry_window_days = parse_env(&key, &value)?,
                "KONTOR_ACCEPTANCE_REQUIRED" => {
                    config.acceptance_required = parse_env(&key, &value)?
                }
                "KONTOR_ACCEPTANCE_DAYS" => config.acceptance_days = parse_env(&key, &value)?,
                "KONTOR_CLOCK" => config.clock = Some(value).filter(|v| !v.is_empty()),
                "KONTOR_WORKER_POLL_SECONDS" => {
                    config.worker_poll_seconds = parse_env(&key, &value)?
                }
                "KONTOR_WORKER_BATCH" => config.worker_batch = parse_env(&key, &value)?,
                "KONTOR_READ_CONNECTIONS" => config.read_connections = parse_env(&key, &value)?,
                "KONTOR_DATABASE_MAX_CONNECTIONS" => {
                    config.database_max_connections = parse_env(&key, &value)?
                }
                "KONTOR_DATABASE_STATEMENT_TIMEOUT_SECONDS" => {
                    config.database_statement_timeout_seconds = parse_env(&key, &value)?
                }
                "KONTOR_DATABASE_ACQUIRE_TIMEOUT_SECONDS" => {
                    config.database_acquire_timeout_seconds = parse_env(&key, &value)?
                }
                "KONTOR_WORKER_LEASE_SECONDS" => {
                    config.worker_lease_seconds = parse_env(&key, &value)?
                }
                "KONTOR_READ_CACHE" => config.read_cache = parse_env(&key, &value)?,
                "KONTOR_CACHE_POLL_MS" => config.cache_poll_ms = parse_env(&key, &value)?,
                "KONTOR_LOG_FORMAT" => config.log_format = value,
                "KONTOR_IDEMPOTENCY_HOURS" => config.idempotency_hours = parse_env(&key, &value)?,
                "KONTOR_SESSION_IDLE_MINUTES" => {
                    config.session_idle_minutes = parse_env(&key, &value)?
                }
                "KONTOR_SESSION_ABSOLUTE_HOURS" => {
                    config.session_absolute_hours = parse_env(&key, &value)?
                }
                "KONTOR_COOKIE_SECURE" => config.cookie_secure = parse_env(&key, &value)?,
                "KONTOR_MAX_BODY_BYTES" => config.max_body_bytes = parse_env(&key, &value)?,
                "KONTOR_MAX_IMPORT_BYTES" => config.max_import_bytes = parse_env(&key, &value)?,
                "KONTOR_SMTP_URL" => config.smtp_url = Some(value).filter(|v| !v.is_empty()),
                "KONTOR_MAIL_FROM" => config.mail_from = value,
                "KONTOR_PUBLIC_URL" => config.public_url = value,
                "KONTOR_DELIVERY_RETRY_SCHEDULE" => {
                    config.delivery_retry_schedule = value
                        .split(',')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect()
                }
                "KONTOR_DELIVERY_CONCURRENCY" => {
                    config.delivery_concurrency = parse_env(&key, &value)?
                }
                "KONTOR_DELIVERY_LEASE_SECONDS" => {
                    config.delivery_lease_seconds = parse_env(&key, &value)?
                }
                "KONTOR_DELIVERY_POLL_MS" => config.delivery_poll_ms = parse_env(&key, &value)?,
                "KONTOR_WEBHOOK_TIMEOUT_SECONDS" => {
                    config.webhook_timeout_seconds = parse_env(&key, &value)?
                }
                "KONTOR_WEBHOOK_ALLOW_PRIVATE" => {
                    config.webhook_allow_private = parse_env(&key, &value)?
                }
                "KONTOR_WEBHOOK_DISABLE_AFTER_HOURS" => {
                    config.webhook_disable_after_hours = parse_env(&key, &value)?
                }
                "KONTOR_WEBHOOK_SECRET_OVERLAP_HOURS" => {
                    config.webhook_secret_overlap_hours = parse_env(&key, &value)?
                }
                "KONTOR_CLIENT_IP_HEADER" => {
                    config.client_ip_header = Some(value.to_lowercase()).filter(|v| !v.is_empty())
                }
                "KONTOR_SIGNIN_FAILURES_PER_ACCOUNT" => {
                    config.signin_failures_per_account = parse_env(&key, &value)?
                }
                "KONTOR_SIGNIN_FAILURES_PER_ADDRESS" => {
                    config.signin_failures_per_address = parse_env(&key, &value)?
                }
                "KONTOR_SIGNIN_WINDOW_MINUTES" => {
                    config.signin_window_minutes = parse_env(&key, &value)?
                }
                "KONTOR_SIGNIN_ADDRESS_WINDOW_MINUTES" => {
                    config.signin_address_window_minutes = parse_env(&key, &value)?
                }
                "KONTOR_HEADER_READ_TIMEOUT_SECONDS" => {
                    config.header_read_timeout_seconds = parse_env(&key, &value)?
                }
                "KONTOR_KEEP_ALIVE_IDLE_SECONDS" => {
                    config.keep_alive_idle_seconds = parse_env(&key, &value)?
                }
                "KONTOR_MAX_CONNECTIONS" => config.max_connections = parse_env(&key, &value)?,
                other => eprintln!("warning: unknown environment variable {other} ignored"),
            }
        }
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> anyhow::Result<()> {
        if self.processing_delay_minutes < 0 {
            bail!("processing_delay_minutes must be 0 or more");
        }
        if self.expiry_window_days < 0 {
            bail!("expiry_window_days must be 0 or more");
        }
        if self.acceptance_days < 1 {
            bail!("acceptance_days must be 1 or more");
        }
        if self.idempotency_hours < 24 {
            bail!("idempotency_hours must be at least 24");
        }
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
        self.pinned_clock()?;
        self.retry_schedule()?;
        if self.signin_failures_per_account == 0 || self.signin_failures_per_address == 0 {
            bail!("signin_failures_per_account and signin_failures_per_address must be at least 1");
        }
        if !(1..=24 * 60).contains(&self.signin_window_minutes) {
            bail!("signin_window_minutes must be from 1 to 1440");
        }
        if !(1..=24 * 60).contains(&self.signin_address_window_minutes) {
            bail!("signin_address_window_minutes must be from 1 to 1440");
        }
        if self.header_read_timeout_seconds == 0 || self.keep_alive_idle_seconds == 0 {
            bail!("header_read_timeout_seconds and keep_alive_idle_seconds must be at least 1");
        }
        if self.max_connections < 8 {
            bail!("max_connections must be at least 8");
        }
        if self.max_body_bytes == 0 || self.max_import_bytes == 0 {
            bail!("max_body_bytes and max_import_bytes must be at least 1");
        }
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
        }
    }

    /// `path` under the portal's public address, for links in mails.
    pub fn public_link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url.trim_end_matches('/'))
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

    #[test]
    fn database_password_is_masked() {
        assert_eq!(
            mask_url("postgres://kontor:s3cret@db:5432/k"),
            "postgres://kontor:****@db:5432/k"
        );
        assert_eq!(mask_url("postgres://db/k"), "postgres://db/k");
    }
}
