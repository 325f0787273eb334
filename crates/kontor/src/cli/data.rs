//! `kontor migrate`, `import`, `export`, `demo`, `backup`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use kontor_core::domain::audit::By;
use kontor_core::service::import::ImportFailure;
use kontor_store_sqlite::SqliteStore;

use crate::app;
use crate::auth::Argon2Hasher;
use crate::config::Config;
use crate::import_file::{ImportFormat, import_file};

pub async fn migrate(config: Config) -> anyhow::Result<()> {
    app::open_store(&config).await?;
    println!("database is up to date");
    Ok(())
}

pub async fn import(config: Config, file: PathBuf) -> anyhow::Result<ExitCode> {
    let format = ImportFormat::from_file_name(&file).map_err(|e| anyhow::anyhow!(e))?;
    let store = app::open_store(&config).await?;
    let services = app::services(&config, store, app::clock(&config)?);
    let reader = open_input(&file)?;
    let tty = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let result = import_file(
        &services,
        &Argon2Hasher,
        format,
        reader,
        By::System("import"),
        |n| {
            if tty {
                eprint!(
                    "\rimported {n} records ({:.0} s)…",
                    started.elapsed().as_secs_f64()
                );
            }
        },
    )
    .await;
    if tty {
        eprintln!();
    }
    match result {
        Ok(r) => {
            println!(
                "imported partners={} accounts={} users={} agreements={} in {:.1} s",
                r.partners,
                r.accounts,
                r.users,
                r.agreements,
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportFailure::Invalid { errors, more }) => {
            eprintln!(
                "import rejected, nothing was written; {} error(s):",
                errors.len() + more
            );
            for e in &errors {
                eprintln!("  {}: {}", e.location(), e.message());
            }
            if more > 0 {
                eprintln!("  … and {more} more");
            }
            Ok(ExitCode::from(1))
        }
        Err(ImportFailure::Store(e)) => Err(e).context("import failed"),
    }
}

/// The file to import, or standard input for `-`.
fn open_input(file: &Path) -> anyhow::Result<Box<dyn std::io::Read + Send>> {
    if file.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin()));
    }
    let f = std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    Ok(Box::new(f))
}

pub async fn export(config: Config, output: Option<PathBuf>) -> anyhow::Result<()> {
    let store = app::open_store(&config).await?;
    let services = app::services(&config, store, app::clock(&config)?);
    match output {
        Some(path) => {
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(&path)
                    .with_context(|| format!("cannot create {}", path.display()))?,
            );
            crate::export::export_json(&services, &mut f).await?;
            std::io::Write::flush(&mut f)?;
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            crate::export::export_json(&services, &mut out).await?;
            std::io::Write::flush(&mut out)?;
        }
    }
    Ok(())
}

pub async fn demo(config: Config) -> anyhow::Result<()> {
    let store = app::open_store(&config).await?;
    let services = app::services(&config, store, app::clock(&config)?);
    crate::demo::load(&services).await?;
    println!("demo data loaded into {}", config.sqlite_path().display());
    Ok(())
}

/// The embedded database's file (data dir, or a `sqlite://` URL).
fn sqlite_path(config: &Config, command: &str) -> anyhow::Result<PathBuf> {
    match config.database_url.as_deref() {
        Some(url) if app::is_postgres(url) => bail!(
            "kontor {command} works on the embedded database, but KONTOR_DATABASE_URL names PostgreSQL"
        ),
        Some(url) => kontor_store_sqlite::path_from_url(url),
        None => Ok(config.sqlite_path()),
    }
}

pub async fn backup(config: Config, file: PathBuf) -> anyhow::Result<()> {
    let path = sqlite_path(&config, "backup")
        .map_err(|e| e.context("back up PostgreSQL with pg_dump (see docs/operations.md)"))?;
    if file.exists() {
        bail!("{} already exists; choose a new file", file.display());
    }
    // Opening creates a missing database: a backup run from the wrong
    // folder would save an empty one and say it had worked.
    if !path.exists() {
        bail!(
            "there is no database at {}; run kontor backup where kontor runs, or pass --data-dir",
            path.display()
        );
    }
    let store = SqliteStore::open(&path, 1).await?;
    store.backup(&file).await?;
    println!("backup written to {}", file.display());
    Ok(())
}

/// Brings a backup back as the embedded database. Refused while any kontor
/// process uses the database (it holds the lock beside it); the database
/// it replaces is kept beside it as `kontor.db.before-restore`.
pub async fn restore(config: Config, file: PathBuf) -> anyhow::Result<()> {
    let path = sqlite_path(&config, "restore")
        .map_err(|e| e.context("restore PostgreSQL with pg_restore (see docs/operations.md)"))?;
    if !file.is_file() {
        bail!("{} is not a file", file.display());
    }
    check_backup(&file).await?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(kontor_store_sqlite::lock_path(&path))?;
    if lock.try_lock().is_err() {
        bail!(
            "the database {} is in use by a running kontor (serve, worker or another command); stop it first",
            path.display()
        );
    }
    let kept = beside(&path, ".before-restore");
    if path.exists() {
        // Keep the replaced database whole: its WAL goes with it.
        for (from, to) in [
            (path.clone(), kept.clone()),
            (beside(&path, "-wal"), beside(&path, ".before-restore-wal")),
        ] {
            if from.exists() {
                std::fs::rename(&from, &to)
                    .with_context(|| format!("failed to move {} aside", from.display()))?;
            }
        }
        let _ = std::fs::remove_file(beside(&path, "-shm"));
    }
    let tmp = beside(&path, ".restoring");
    std::fs::copy(&file, &tmp).with_context(|| format!("failed to copy {}", file.display()))?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, &path)?;
    drop(lock);
    println!("restored {} from {}", path.display(), file.display());
    if kept.exists() {
        println!("the database it replaced is kept as {}", kept.display());
    }
    Ok(())
}

/// The backup must be an intact kontor database this version knows.
async fn check_backup(file: &Path) -> anyhow::Result<()> {
    use sqlx::{ConnectOptions, Connection};
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .connect()
        .await
        .with_context(|| format!("{} is not a SQLite database", file.display()))?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .with_context(|| format!("{} is not a SQLite database", file.display()))?;
    if check != "ok" {
        bail!("{} is damaged: {check}", file.display());
    }
    let version: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = 1")
            .fetch_one(&mut conn)
            .await
            .with_context(|| format!("{} is not a kontor database", file.display()))?;
    conn.close().await.ok();
    let known = kontor_store_sqlite::MIGRATOR
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0);
    match version {
        None => bail!("{} is not a kontor database", file.display()),
        Some(v) if v > known => bail!(
            "{} was written by a newer kontor (schema {v}, this one knows {known}); restore it with that version",
            file.display()
        ),
        Some(_) => Ok(()),
    }
}

/// The file beside the database `path` whose name adds `suffix` (SQLite's
/// `-wal`, the kept copy, …).
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

pub async fn copy_to_postgres(config: Config, url: &str) -> anyhow::Result<()> {
    if !app::is_postgres(url) {
        bail!("the target must be a postgres:// or postgresql:// URL, got {url:?}");
    }
    let path = sqlite_path(&config, "copy-to-postgres")?;
    if !path.exists() {
        bail!("no embedded database at {}", path.display());
    }
    let source = SqliteStore::open(&path, 1).await?;
    source.migrate().await?;
    let target =
        kontor_store_postgres::PgStore::connect_and_migrate(url, &app::pg_settings(&config))
            .await
            .context("failed to open the target PostgreSQL database")?;
    let started = std::time::Instant::now();
    let report = crate::copy::copy_to_postgres(&source, &target).await?;
    println!("{:<20} {:>10} {:>10}", "table", "sqlite", "postgres");
    for c in &report {
        println!("{:<20} {:>10} {:>10}", c.table, c.source, c.target);
    }
    println!(
        "copied {} rows in {:.1} s; every count matches. Point KONTOR_DATABASE_URL at {} to use it.",
        report.iter().map(|c| c.target).sum::<i64>(),
        started.elapsed().as_secs_f64(),
        crate::config::mask_url(url)
    );
    Ok(())
}
