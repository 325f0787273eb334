//! `kontor migrate`, `import`, `export`, `demo`, `backup`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use kontor_core::domain::audit::By;
use kontor_core::service::import::ImportFailure;
use kontor_store_sqlite::SqliteStore;

use crate::app;
use crate::auth::Argon2Hasher;
use crate::config::Config;
use crate::import_file::import_json;

pub async fn migrate(config: Config) -> anyhow::Result<()> {
    app::open_store(&config).await?;
    println!("database is up to date");
    Ok(())
}

pub async fn import(config: Config, file: PathBuf) -> anyhow::Result<ExitCode> {
    let store = app::open_store(&config).await?;
    let services = app::services(&config, store, app::clock(&config)?);
    let reader: Box<dyn std::io::Read + Send> = if file.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(
            std::fs::File::open(&file)
                .with_context(|| format!("cannot open {}", file.display()))?,
        )
    };
    let tty = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let result = import_json(
        &services,
        &Argon2Hasher,
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
                let field = if e.field.is_empty() {
                    String::new()
                } else {
                    format!(".{}", e.field)
                };
                eprintln!(
                    "  {}[{}]{field}: {}",
                    e.collection.as_str(),
                    e.index,
                    e.message
                );
            }
            if more > 0 {
                eprintln!("  … and {more} more");
            }
            Ok(ExitCode::from(1))
        }
        Err(ImportFailure::Store(e)) => Err(e).context("import failed"),
    }
}

pub async fn export(config: Config, output: Option<PathBuf>) -> anyhow::Result<()> {
    let store = app::open_store(&config).await?;
    match output {
        Some(path) => {
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(&path)
                    .with_context(|| format!("cannot create {}", path.display()))?,
            );
            crate::export::export_json(store.as_ref(), &mut f).await?;
            std::io::Write::flush(&mut f)?;
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            crate::export::export_json(store.as_ref(), &mut out).await?;
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

pub async fn backup(config: Config, file: PathBuf) -> anyhow::Result<()> {
    if config.database_url.is_some() {
        bail!("kontor backup copies the embedded database; back up PostgreSQL with pg_dump");
    }
    if file.exists() {
        bail!("{} already exists; choose a new file", file.display());
    }
    let store = SqliteStore::open(&config.sqlite_path(), 1).await?;
    store.backup(&file).await?;
    println!("backup written to {}", file.display());
    Ok(())
}
