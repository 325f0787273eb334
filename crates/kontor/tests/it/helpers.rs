//! `TestApp`: a server on 127.0.0.1:0 over a fresh copy of the demo database,
//! with a clock the test moves and the worker driven by the test.
//!
//! One test body, two backends: by default every test runs on a copy of a
//! SQLite template; with `KONTOR_TEST_POSTGRES_URL` set (a URL of a server
//! where the user may create databases) every test gets its own PostgreSQL
//! database, cloned from a template database built once per run, and drops
//! it when it ends.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use kontor::config::Config;
use kontor::web::AppState;
use kontor_core::clock::ManualClock;
use kontor_core::domain::audit::{AuditAction, AuditEntry, By};
use kontor_core::service::Services;
use kontor_core::store::NewToken;
use reqwest::{Response, StatusCode};
use serde_json::Value;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use tokio::sync::{OnceCell, watch};

/// How long test clients keep an idle connection: well below the server's
/// limits for idle connections (`keep_alive_idle_seconds`, 60 s, and
/// `header_read_timeout_seconds`, 10 s), so a client never reuses a
/// connection the server is closing (seen as `IncompleteMessage` on a
/// loaded box).
pub const CLIENT_IDLE: std::time::Duration = std::time::Duration::from_secs(5);

/// The instant every test starts at.
pub const START: OffsetDateTime = datetime!(2026-11-25 09:00 UTC);

/// The PostgreSQL server the tests run against, when one is configured.
pub fn postgres_url() -> Option<String> {
    std::env::var("KONTOR_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// The demo database with a token for every demo login, built once per
/// test run and copied for each test.
static TEMPLATE: OnceCell<(tempfile::TempDir, PathBuf, HashMap<String, String>)> =
    OnceCell::const_new();

/// The PostgreSQL counterpart: a template database's name and the tokens.
static PG_TEMPLATE: OnceCell<(String, HashMap<String, String>)> = OnceCell::const_new();

/// `url` with another database name.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let server = match base.rfind('/') {
        Some(i) if i > base.find("://").map_or(0, |j| j + 2) => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{server}/{db}?{q}"),
        None => format!("{server}/{db}"),
    }
}

/// Runs one administrative statement (CREATE/DROP DATABASE) on the server.
pub async fn pg_admin(sql: &str) {
    use sqlx::Connection;
    let url = postgres_url().expect("KONTOR_TEST_POSTGRES_URL");
    let mut conn = sqlx::PgConnection::connect(&url)
        .await
        .expect("connect to PostgreSQL");
    sqlx::raw_sql(sql)
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    conn.close().await.ok();
}

/// Drops databases left behind by test runs whose process is gone.
async fn drop_stale_databases() {
    use sqlx::Connection;
    let url = postgres_url().expect("KONTOR_TEST_POSTGRES_URL");
    let mut conn = sqlx::PgConnection::connect(&url)
        .await
        .expect("connect to PostgreSQL");
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'kontor\\_t%'")
            .fetch_all(&mut conn)
            .await
            .expect("list databases");
    conn.close().await.ok();
    for name in names {
        let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|p| !std::path::Path::new(&format!("/proc/{p}")).exists()) {
            pg_admin(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await;
        }
    }
}

async fn pg_template() -> &'static (String, HashMap<String, String>) {
    PG_TEMPLATE
        .get_or_init(|| async {
            drop_stale_databases().await;
            let name = format!("kontor_tpl_{}", std::process::id());
            pg_admin(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await;
            pg_admin(&format!("CREATE DATABASE \"{name}\"")).await;
            let url = with_database(&postgres_url().unwrap(), &name);
            let store = kontor_store_postgres::PgStore::connect_and_migrate(
                &url,
                &kontor_store_postgres::PgSettings::default(),
            )
            .await
            .expect("template db");
            let config = Config::default();
            let services = kontor::app::services(
                &config,
                Arc::new(store.clone()),
                Arc::new(ManualClock::new(START)),
            );
            kontor::demo::load(&services).await.expect("demo data");
            let mut tokens = HashMap::new();
            for (email, _, _) in kontor::demo::LOGINS {
                tokens.insert(email.to_string(), issue_token(&services, email).await);
            }
            // CREATE DATABASE … TEMPLATE needs the template without sessions.
            store.close().await;
            (name, tokens)
        })
        .await
}

async fn template() -> &'static (tempfile::TempDir, PathBuf, HashMap<String, String>) {
    TEMPLATE
        .get_or_init(|| async {
            let dir = tempfile::tempdir().expect("tempdir");
            let config = Config {
                data_dir: dir.path().to_owned(),
                ..Config::default()
            };
            let store =
                kontor_store_sqlite::SqliteStore::open_and_migrate(&config.sqlite_path(), 1)
                    .await
                    .expect("template db");
            let services = kontor::app::services(
                &config,
                Arc::new(store.clone()),
                Arc::new(ManualClock::new(START)),
            );
            kontor::demo::load(&services).await.expect("demo data");
            let mut tokens = HashMap::new();
            for (email, _, _) in kontor::demo::LOGINS {
                tokens.insert(email.to_string(), issue_token(&services, email).await);
            }
            // A standalone, checkpointed copy that tests can copy file by file.
            let path = dir.path().join("template.db");
            store.backup(&path).await.expect("template backup");
            store.close().await;
            (dir, path, tokens)
        })
        .await
}

async fn issue_token(services: &Services, email: &str) -> String {
    let user = services
        .store
        .user_by_email(email)
        .await
        .unwrap()
        .expect("demo user");
    let token = kontor::auth::new_token();
    let now = services.clock.now();
    let record = NewToken {
        id: uuid::Uuid::now_v7(),
        user_id: user.actor.user_id,
        token_hash: kontor::auth::token_hash(&token),
        label: "test".into(),
        created_at: now,
        expires_at: None,
    };
    let audit = AuditEntry::new(now, By::System("test"), AuditAction::TokenIssued);
    services.store.insert_token(&record, &audit).await.unwrap();
    token
}

/// A running server over its own database.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub services: Services,
    /// Keeps the database folder alive for the test's lifetime.
    pub dir: tempfile::TempDir,
    /// The test's own PostgreSQL database (URL), when running on PostgreSQL.
    pub database_url: Option<String>,
    /// The configuration the app runs with.
    pub config: Config,
    tokens: HashMap<String, String>,
    shutdown: watch::Sender<bool>,
}

impl TestApp {
    /// Demo data, clock at [`START`], delay 60 minutes, worker off.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Like `spawn`, with configuration tweaks.
    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        Self::spawn_on(postgres_url(), tweak).await
    }

    /// On the embedded database whatever the run's backend (tests of
    /// SQLite-only features and of moving from SQLite to PostgreSQL).
    pub async fn spawn_sqlite() -> TestApp {
        Self::spawn_on(None, |_| {}).await
    }

    async fn spawn_on(postgres: Option<String>, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = Config {
            data_dir: dir.path().to_owned(),
            ..Config::default()
        };
        let tokens = match postgres {
            Some(server) => {
                let (template, tokens) = pg_template().await;
                let db = format!(
                    "kontor_t_{}_{}",
                    std::process::id(),
                    uuid::Uuid::now_v7().simple()
                );
                pg_admin(&format!("CREATE DATABASE \"{db}\" TEMPLATE \"{template}\"")).await;
                config.database_url = Some(with_database(&server, &db));
                config.database_max_connections = 4;
                tokens
            }
            None => {
                let (_, template, tokens) = template().await;
                std::fs::copy(template, config.sqlite_path()).expect("copy template");
                tokens
            }
        };
        tweak(&mut config);
        let store = kontor::app::open_store(&config).await.expect("store");
        let clock = Arc::new(ManualClock::new(START));
        let services = kontor::app::services(&config, store, clock.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let state = AppState::new(services.clone(), config.clone(), None).expect("state");
        let (shutdown, rx) = watch::channel(false);
        tokio::spawn(kontor::app::serve(listener, state, false, rx));
        // reqwest is built with rustls but no default crypto provider.
        kontor::delivery::install_tls_provider();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(CLIENT_IDLE)
            .build()
            .expect("client");
        TestApp {
            config: config.clone(),
            base,
            client,
            clock,
            services,
            dir,
            database_url: config.database_url.clone(),
            tokens: tokens.clone(),
            shutdown,
        }
    }

    /// A second server on this app's database and clock, as another
    /// instance behind the same load balancer would be.
    pub async fn another_instance(&self) -> TestApp {
        let config = self.config.clone();
        let store = kontor::app::open_store(&config).await.expect("store");
        let services = kontor::app::services(&config, store, self.clock.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let state = AppState::new(services.clone(), config.clone(), None).expect("state");
        let (shutdown, rx) = watch::channel(false);
        tokio::spawn(kontor::app::serve(listener, state, false, rx));
        TestApp {
            config: config.clone(),
            base,
            client: self.client.clone(),
            clock: self.clock.clone(),
            services,
            dir: tempfile::tempdir().expect("tempdir"),
            // The first instance drops the PostgreSQL database.
            database_url: None,
            tokens: self.tokens.clone(),
            shutdown,
        }
    }

    /// The API token of a demo login.
    pub async fn token(&self, email: &str) -> String {
        self.tokens
            .get(email)
            .cloned()
            .unwrap_or_else(|| panic!("{email} is not a demo login"))
    }

    pub async fn get(&self, who: &str, path: &str) -> Response {
        let t = self.token(who).await;
        self.client
            .get(format!("{}{path}", self.base))
            .bearer_auth(t)
            .send()
            .await
            .expect("request")
    }

    pub async fn get_lang(&self, who: &str, path: &str, lang: &str) -> Response {
        let t = self.token(who).await;
        self.client
            .get(format!("{}{path}", self.base))
            .bearer_auth(t)
            .header("accept-language", lang)
            .send()
            .await
            .expect("request")
    }

    pub async fn post(&self, who: &str, path: &str, body: &Value) -> Response {
        let t = self.token(who).await;
        self.client
            .post(format!("{}{path}", self.base))
            .bearer_auth(t)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// A POST naming the language of the answer (`Accept-Language`).
    pub async fn post_lang(&self, who: &str, path: &str, body: &Value, lang: &str) -> Response {
        let t = self.token(who).await;
        self.client
            .post(format!("{}{path}", self.base))
            .bearer_auth(t)
            .header("accept-language", lang)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// Sends what the outbox holds (mails as files in the data folder) and
    /// returns every email delivery so far, in the order queued.
    pub async fn mails(&self) -> Vec<kontor_core::store::DeliveryRecord> {
        self.deliverer(|_| {}).drain().await.expect("delivery");
        self.services
            .store
            .deliveries(&kontor_core::store::DeliveryFilter {
                channel: Some(kontor_core::domain::delivery::Channel::Email),
                limit: 500,
                ..Default::default()
            })
            .await
            .expect("deliveries")
    }

    /// Imports active contracts of Muster Bau (7000000001), served by CAD
    /// Partner: each `(number, term end)`.
    pub async fn import_muster_contracts(&self, contracts: &[(String, &str)]) {
        let agreements: Vec<Value> = contracts
            .iter()
            .map(|(number, term_end)| {
                serde_json::json!({"number": number, "kind": "contract",
                    "account": "7000000001", "products": [{"name": "Inventor", "seats": 1}],
                    "term_start": "2026-01-01", "term_end": term_end, "auto_renew": false,
                    "program": "standard", "support_level": "standard", "status": "active",
                    "partners": ["5100000001"]})
            })
            .collect();
        json_with(
            self.post(
                "olga@vendor.example",
                "/api/v1/import",
                &serde_json::json!({ "agreements": agreements }),
            )
            .await,
            StatusCode::OK,
        )
        .await;
    }

    pub async fn submit(&self, who: &str, agreement: &str, partner: &str) -> Response {
        self.post(
            who,
            "/api/v1/partner-changes",
            &serde_json::json!({ "agreement": agreement, "new_partner": partner }),
        )
        .await
    }

    /// A delivery loop over this app's store, with `tweak` applied to its
    /// configuration (SMTP server, schedule, private addresses).
    pub fn deliverer(&self, tweak: impl FnOnce(&mut Config)) -> kontor::delivery::Deliverer {
        let mut config = self.config.clone();
        tweak(&mut config);
        kontor::delivery::Deliverer::from_config(self.services.clone(), &config).expect("deliverer")
    }

    pub async fn put(&self, who: &str, path: &str, body: &Value) -> Response {
        let t = self.token(who).await;
        self.client
            .put(format!("{}{path}", self.base))
            .bearer_auth(t)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn patch(&self, who: &str, path: &str, body: &Value) -> Response {
        let t = self.token(who).await;
        self.client
            .patch(format!("{}{path}", self.base))
            .bearer_auth(t)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// The test clock's instant.
    pub fn clock_now(&self) -> OffsetDateTime {
        use kontor_core::clock::Clock;
        self.clock.now()
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// Runs the worker once over everything due now.
    pub async fn run_worker(&self) -> kontor_core::store::ApplyReport {
        kontor::worker::drain_due(&self.services, 500)
            .await
            .expect("worker")
    }

    /// Row counts per table.
    pub async fn counts(&self) -> HashMap<String, i64> {
        self.services
            .store
            .counts()
            .await
            .unwrap()
            .into_iter()
            .collect()
    }
}

impl TestApp {
    /// The `kontor` binary pointed at this test's database.
    /// The binary on this app's data. Its worker sends no reminder mails
    /// (#22): the tests that run it count outbox messages of partner
    /// changes; `tests/it/reminders.rs` covers the reminders.
    pub fn kontor_command(&self) -> std::process::Command {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_kontor"));
        c.arg("--data-dir").arg(self.dir.path());
        c.env("KONTOR_REMINDER_DAYS", "");
        match &self.database_url {
            Some(url) => c.env("KONTOR_DATABASE_URL", url),
            None => c.env_remove("KONTOR_DATABASE_URL"),
        };
        c
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(url) = self.database_url.take() {
            let db = url
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .split('?')
                .next()
                .unwrap_or_default()
                .to_owned();
            // Drop runs inside the test's runtime; the drop needs its own.
            std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime")
                    .block_on(pg_admin(&format!(
                        "DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"
                    )));
            })
            .join()
            .ok();
        }
    }
}

/// Reads a JSON body, asserting the status first (with the body in the message).
pub async fn json_with(res: Response, status: StatusCode) -> Value {
    let got = res.status();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = res.text().await.expect("body");
    assert_eq!(got, status, "unexpected status; body: {text}");
    if !status.is_success() {
        assert_eq!(
            ct, "application/problem+json",
            "errors are problem documents"
        );
    }
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Field names of a problem's `errors`.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Reason codes of an eligibility answer or problem.
pub fn reason_codes(v: &Value) -> Vec<String> {
    v["reasons"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| r["code"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A child process, killed (and reaped) when dropped — also when the test
/// fails half-way, so no server outlives its test.
pub struct ChildProcess(pub std::process::Child);

impl Drop for ChildProcess {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// Starts `kontor serve …` (`command`, stdout to be piped here) and waits
/// for its first line: the process and the address it listens on.
pub fn listening(command: &mut std::process::Command) -> (ChildProcess, String) {
    use std::io::BufRead as _;
    let mut child = ChildProcess(
        command
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start kontor serve"),
    );
    let mut line = String::new();
    std::io::BufReader::new(child.0.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("first line");
    let base = line
        .trim()
        .strip_prefix("kontor listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_owned();
    (child, base)
}

/// A browser without a session: keeps cookies, does not follow redirects.
pub fn cookie_browser() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(CLIENT_IDLE)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Where a redirect points (empty when it is none).
pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The actions of the audit log, oldest first (as the operator reads them).
pub async fn audit_actions(app: &TestApp) -> Vec<String> {
    let v = json_with(
        app.get("olga@vendor.example", "/api/v1/audit?limit=500")
            .await,
        StatusCode::OK,
    )
    .await;
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}
