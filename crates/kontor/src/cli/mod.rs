//! The `kontor` command line (SPEC "Running it"); scripts and tests rely on it.

mod data;
mod people;
mod serve;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Config;

/// kontor: self-hostable account portal for vendors selling through partners.
#[derive(Debug, Parser)]
#[command(name = "kontor", version, about)]
pub struct Cli {
    /// Folder of the embedded database.
    #[arg(long, global = true, env = "KONTOR_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Configuration file (TOML).
    #[arg(
        long,
        global = true,
        env = "KONTOR_CONFIG",
        default_value = "kontor.toml"
    )]
    pub config: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the portal, API and in-process worker.
    Serve {
        /// Address to listen on; port 0 picks a free one (printed on start).
        #[arg(long, env = "KONTOR_LISTEN")]
        listen: Option<String>,
        /// Load the demo data set (if the database is empty) and print logins.
        #[arg(long)]
        demo: bool,
        /// Do not run the worker in this process.
        #[arg(long)]
        no_worker: bool,
    },
    /// Run only the worker (scale-out).
    Worker {
        /// Apply what is due now, deliver what is queued, and exit.
        #[arg(long)]
        once: bool,
        /// Only apply and expire partner changes; leave mails and webhooks
        /// to other processes (to scale the two apart).
        #[arg(long)]
        no_delivery: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Import a JSON file, or a CSV file of one collection named after it
    /// (`partners.csv`, `accounts.csv`, `users.csv`, `agreements.csv`; SPEC
    /// "Import format"); all-or-nothing.
    Import {
        /// The file, or `-` for JSON on standard input.
        file: PathBuf,
    },
    /// Export everything in the import format.
    Export {
        /// Output file (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Load the demo data set.
    Demo,
    /// Manage people.
    #[command(subcommand)]
    User(people::UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(people::TokenCommand),
    /// Inspect the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Take a consistent online copy of the embedded database.
    Backup {
        /// Destination file (must not exist).
        file: PathBuf,
    },
    /// Replace the embedded database with a backup (kontor must be stopped).
    Restore {
        /// A file written by `kontor backup`.
        file: PathBuf,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Copy everything from the embedded database into a new, empty
    /// PostgreSQL database and verify the row counts of every table.
    CopyToPostgres {
        /// `postgres://…` URL of the target database.
        url: String,
    },
}

/// `kontor config …`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective configuration with secrets masked.
    Check,
}

impl Cli {
    /// Loads the configuration this invocation asks for.
    pub fn load_config(&self) -> anyhow::Result<Config> {
        let mut config = Config::load(Some(&self.config), std::env::vars())?;
        if let Some(dir) = &self.data_dir {
            config.data_dir = dir.clone();
        }
        Ok(config)
    }
}

/// Entry point of the binary.
pub fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let config = match cli.load_config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e:#}");
            return std::process::ExitCode::from(2);
        }
    };
    crate::telemetry::init(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: failed to start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<std::process::ExitCode> {
    use std::process::ExitCode;
    match command {
        Command::Serve {
            listen,
            demo,
            no_worker,
        } => serve::serve(config, listen, demo, no_worker).await?,
        Command::Worker { once, no_delivery } => serve::worker(config, once, !no_delivery).await?,
        Command::Migrate => data::migrate(config).await?,
        Command::Import { file } => return data::import(config, file).await,
        Command::Export { output } => data::export(config, output).await?,
        Command::Demo => data::demo(config).await?,
        Command::User(cmd) => people::user(config, cmd).await?,
        Command::Token(cmd) => people::token(config, cmd).await?,
        Command::Config(ConfigCommand::Check) => print!("{}", config.masked_toml()),
        Command::Backup { file } => data::backup(config, file).await?,
        Command::Restore { file } => data::restore(config, file).await?,
        Command::CopyToPostgres { url } => data::copy_to_postgres(config, &url).await?,
        Command::Openapi => println!("{}", crate::web::api::openapi().to_pretty_json()?),
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
