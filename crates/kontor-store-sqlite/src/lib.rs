//! kontor's storage on an embedded SQLite file.
//!
//! One writer connection beside a pool of readers: SQLite allows one writer
//! at a time anyway, and funnelling writes through one connection turns
//! would-be `SQLITE_BUSY` errors into a short queue. Every write transaction
//! starts with `BEGIN IMMEDIATE` so it takes the write lock up front — a
//! deferred transaction that reads first and then writes can fail with
//! `SQLITE_BUSY` when another process (a separate `kontor worker`) wrote in
//! between.

mod apply;
mod backend;
mod deliveries;
mod group_commit;
mod import;
mod inline_reads;
mod turns;
mod writes;

/// Every store operation whose SQL is the same on PostgreSQL.
mod shared {
    kontor_store_sql::store_bodies!(crate::SqliteStore, crate::MIGRATOR);
}

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use kontor_store_sql::rows;

/// The migrations embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// SQLite-backed [`kontor_core::store::Store`].
#[derive(Debug, Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    /// Queue of the group-committed submits.
    submits: tokio::sync::mpsc::Sender<kontor_store_sql::batching::SubmitJob>,
    /// Interactive writes before background batches on the writer.
    turns: std::sync::Arc<turns::WriterTurns>,
    /// The background checkpointer's connection.
    checkpoints: SqlitePool,
    /// Synchronous read-only connections for the hottest point reads.
    inline: std::sync::Arc<inline_reads::InlineReads>,
    /// This process's id as the owner of Idempotency-Key claims.
    instance: std::sync::Arc<str>,
    /// A shared lock on `<database>.lock` while the store is open, so that
    /// `kontor restore` can tell that the database is in use.
    _in_use: std::sync::Arc<std::fs::File>,
}

/// The lock file beside a database file.
pub fn lock_path(db: &Path) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    std::path::PathBuf::from(name)
}

/// Page-cache and mapping settings of every connection (sqlx's and the
/// inline readers'), measured in #23 on the bench database (300k
/// agreements, about 130 MB):
/// - `mmap_size`: reads take pages straight from the mapped file instead
///   of copying them through SQLite's page cache: cold eligibility reads
///   (every read a different agreement) were the gain. The mapping is
///   address space, not memory; beyond its size SQLite reads as before.
///   An I/O error on a mapped page ends the process (SIGBUS) instead of
///   failing the read — SQLite's documented trade-off, acceptable for a
///   local file.
/// - `cache_size` (KiB when negative): 16 MiB per connection instead of
///   2 MiB holds the upper levels of every index the writer touches.
pub(crate) const CACHE_PRAGMAS: [(&str, &str); 2] =
    [("mmap_size", "1073741824"), ("cache_size", "-16384")];

fn options(path: &Path) -> SqliteConnectOptions {
    let options = CACHE_PRAGMAS
        .iter()
        .fold(SqliteConnectOptions::new(), |o, (name, value)| {
            o.pragma(*name, *value)
        });
    options
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // NORMAL in WAL mode is durable against process crashes; only an OS
        // crash or power loss can drop the last transactions.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("temp_store", "memory")
        // The writer checkpoints (and so resets the WAL) every 1000 pages,
        // SQLite's default. Every 10000 (~40 MB) looked cheaper — fewer
        // checkpoints — but each then held the single writer for 10–40 ms,
        // and a long WAL slows every page lookup: submit p99 at 64
        // connections was 24–27 ms, against 11–13 ms at 1000 (measured in
        // session 8; the background checkpointer below does the copying).
        .pragma("wal_autocheckpoint", "1000")
        // After a checkpoint resets the WAL, shrink the file back to 64 MiB.
        .pragma("journal_size_limit", "67108864")
        .statement_cache_capacity(256)
}

impl SqliteStore {
    /// Opens (creating if missing) the database file, without migrating.
    pub async fn open(path: &Path, readers: u32) -> anyhow::Result<SqliteStore> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("failed to create {}", dir.display()))?;
        }
        let in_use = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path(path))
            .with_context(|| format!("failed to open {}", lock_path(path).display()))?;
        // Shared: any number of kontor processes may use the database; a
        // restore takes it exclusively and is refused meanwhile.
        in_use
            .lock_shared()
            .with_context(|| format!("failed to lock {}", lock_path(path).display()))?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .before_acquire(|conn, _| Box::pin(async move { Ok(usable(conn)) }))
            .connect_with(options(path))
            .await
            .with_context(|| format!("failed to open database {}", path.display()))?;
        let reader = SqlitePoolOptions::new()
            .max_connections(readers.max(1))
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options(path).read_only(true))
            .await
            .with_context(|| format!("failed to open database {} for reading", path.display()))?;
        let turns = std::sync::Arc::new(turns::WriterTurns::default());
        let submits = group_commit::start(writer.clone(), turns.clone());
        let checkpoints = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options(path))
            .await
            .with_context(|| {
                format!("failed to open database {} for checkpoints", path.display())
            })?;
        tokio::spawn(checkpointer(checkpoints.clone()));
        let store = SqliteStore {
            writer,
            reader,
            submits,
            turns,
            checkpoints,
            inline: std::sync::Arc::new(inline_reads::InlineReads::new(path.to_path_buf())),
            instance: uuid::Uuid::now_v7().to_string().into(),
            _in_use: std::sync::Arc::new(in_use),
        };
        tokio::spawn(kontor_store_sql::heartbeat::beat(
            store.clone(),
            store.writer.clone(),
        ));
        Ok(store)
    }

    /// Opens and brings the schema up to date (what `serve` does at start).
    pub async fn open_and_migrate(path: &Path, readers: u32) -> anyhow::Result<SqliteStore> {
        let store = Self::open(path, readers).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Online backup into `dest` (a consistent snapshot, while others write).
    pub async fn backup(&self, dest: &Path) -> anyhow::Result<()> {
        let dest = dest.to_str().context("backup path is not valid UTF-8")?;
        sqlx::query("VACUUM INTO ?")
            .bind(dest)
            .execute(&self.reader)
            .await
            .context("VACUUM INTO failed")?;
        Ok(())
    }

    /// The read-only pool (for copying the database elsewhere).
    pub fn read_pool(&self) -> &SqlitePool {
        &self.reader
    }

    /// Closes the pools and the inline readers (graceful shutdown). This process's claims are
    /// given up first, so retries elsewhere need not wait for its lease.
    pub async fn close(&self) {
        if let Err(e) = self.leave().await {
            tracing::debug!(error = ?e, "could not sign off this process");
        }
        self.writer.close().await;
        self.reader.close().await;
        self.checkpoints.close().await;
        self.inline.close();
    }
}

/// Whether a pooled writer connection may be handed out again. A failed
/// COMMIT (or a failed statement) with "database or disk is full" or an I/O
/// error makes SQLite roll the whole transaction back by itself; sqlx's
/// ROLLBACK on drop then fails ("no transaction is active") and its count
/// of open transactions stays at one, so every later `BEGIN IMMEDIATE` on
/// that connection was refused ("attempted to call begin_with at non-zero
/// transaction depth") until a restart (#16). Such a connection is closed
/// instead — closing ends whatever SQLite still holds — and the pool opens
/// a fresh one, so writes resume by themselves once the cause is gone.
fn usable(conn: &mut sqlx::SqliteConnection) -> bool {
    use sqlx::Connection as _;
    let usable = !conn.is_in_transaction();
    if !usable {
        tracing::warn!("replacing the writer connection: a failed transaction left it unusable");
    }
    usable
}

/// Copies committed WAL frames into the database file in the background,
/// on its own connection, so the writer's own checkpoint (every
/// `wal_autocheckpoint` pages, which also resets the WAL) finds little left
/// to copy and stalls commits only briefly. PASSIVE never blocks writers or
/// readers. Ends when the store is closed.
async fn checkpointer(pool: SqlitePool) {
    loop {
        tokio::time::sleep(CHECKPOINT_EVERY).await;
        if pool.is_closed() {
            return;
        }
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            if pool.is_closed() {
                return;
            }
            tracing::debug!(error = %e, "background checkpoint skipped");
        }
    }
}

/// How often the background checkpointer runs.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// Opens a store from a `sqlite://path` URL or a plain path.
pub fn path_from_url(url: &str) -> anyhow::Result<std::path::PathBuf> {
    let opts = SqliteConnectOptions::from_str(url).context("invalid SQLite URL")?;
    Ok(opts.get_filename().to_path_buf())
}

#[cfg(test)]
mod tests;
