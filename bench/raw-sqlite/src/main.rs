//! Raw SQLite on this box, measured the way kontor uses it, so that
//! `bench/run` can report each of kontor's figures as a share of what the
//! library itself does here in the same run:
//!
//! ```text
//! raw-sqlite reads  DB  THREADS SECONDS COUNT   # point reads of bench agreements
//! raw-sqlite writes DIR GROUP   SECONDS         # write transactions of GROUP rows
//! raw-sqlite insert SRC DEST TABLE…             # the same rows, grouped, into an empty copy
//! raw-sqlite options                            # how this SQLite was built
//! ```
//!
//! Each prints one line `name value` per figure. Connections use the
//! pragmas kontor's own use (WAL, synchronous=NORMAL, the same
//! `mmap_size` and cache), so a ratio compares code paths, not settings.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags, params, types::Value};

/// kontor's read-connection settings (see kontor-store-sqlite's `options`).
const READ_PRAGMAS: &str = "PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16384;";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, what: &str| -> Result<&str> {
        args.get(i)
            .map(String::as_str)
            .with_context(|| format!("missing {what}"))
    };
    let num = |i: usize, what: &str| -> Result<u64> {
        arg(i, what)?
            .parse()
            .with_context(|| format!("{what} must be a whole number"))
    };
    match arg(0, "command (reads, writes, insert)")? {
        "reads" => reads(
            arg(1, "DB")?,
            num(2, "THREADS")?,
            secs(num(3, "SECONDS")?),
            num(4, "COUNT")?,
        ),
        "writes" => writes(arg(1, "DIR")?, num(2, "GROUP")?, secs(num(3, "SECONDS")?)),
        "insert" => insert(arg(1, "SRC")?, arg(2, "DEST")?, &args[3..]),
        "options" => options(),
        other => bail!("unknown command {other}: reads, writes, insert or options"),
    }
}

/// SQLite's version and compile-time options, one per line.
fn options() -> Result<()> {
    let conn = Connection::open_in_memory()?;
    println!("sqlite {}", rusqlite::version());
    let mut stmt = conn.prepare("PRAGMA compile_options")?;
    for option in stmt.query_map([], |r| r.get::<_, String>(0))? {
        println!("{}", option?);
    }
    Ok(())
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// Point reads by primary key of the bench agreements `1108xxxxxxxx`,
/// spread over `count` of them like bench/eligibility.lua, on `threads`
/// threads each with its own read-only connection and prepared statement.
fn reads(db: &str, threads: u64, run: Duration, count: u64) -> Result<()> {
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let db = db.to_owned();
            std::thread::spawn(move || -> Result<u64> {
                let conn = Connection::open_with_flags(
                    &db,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                conn.execute_batch(READ_PRAGMAS)?;
                let mut stmt = conn.prepare(
                    "SELECT number, account_csn, term_start, term_end, auto_renew, program, \
                     support_level, status, products FROM agreements WHERE number = ?1",
                )?;
                let start = Instant::now();
                let mut done = 0u64;
                let mut i = t * 7919;
                while start.elapsed() < run {
                    for _ in 0..64 {
                        i += 1;
                        let number = format!("1108{:08}", (i * 7919) % count);
                        let found = stmt.query_row([&number], |r| {
                            Ok(r.get::<_, String>(0)?.len() + r.get::<_, String>(8)?.len())
                        })?;
                        std::hint::black_box(found);
                        done += 1;
                    }
                }
                Ok(done)
            })
        })
        .collect();
    let mut total = 0;
    for h in handles {
        total += h
            .join()
            .map_err(|_| anyhow::anyhow!("a reader panicked"))??;
    }
    println!("reads_per_s {:.0}", total as f64 / run.as_secs_f64());
    Ok(())
}

/// Write transactions of `group` one-row inserts each (`BEGIN IMMEDIATE`
/// … `COMMIT`) into a fresh file in `dir`: a row the size of a change
/// request, a rowid table with one secondary index.
fn writes(dir: &str, group: u64, run: Duration) -> Result<()> {
    let path = std::path::Path::new(dir).join(format!("raw-writes-{group}.db"));
    let _ = std::fs::remove_file(&path);
    let conn = Connection::open(&path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
         CREATE TABLE writes (id INTEGER PRIMARY KEY, agreement TEXT NOT NULL, payload TEXT NOT NULL); \
         CREATE INDEX writes_agreement ON writes (agreement, id);",
    )?;
    let payload = "x".repeat(200);
    let mut rows = 0u64;
    let start = Instant::now();
    while start.elapsed() < run {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        {
            let mut stmt =
                conn.prepare_cached("INSERT INTO writes (agreement, payload) VALUES (?1, ?2)")?;
            for _ in 0..group {
                rows += 1;
                stmt.execute(params![format!("1108{:08}", rows % 300_000), payload])?;
            }
        }
        conn.execute_batch("COMMIT")?;
    }
    let secs = start.elapsed().as_secs_f64();
    println!("rows_per_s {:.0}", rows as f64 / secs);
    println!("commits_per_s {:.0}", (rows / group) as f64 / secs);
    drop(conn);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Ok(())
}

/// Rows per write transaction when inserting.
const INSERT_GROUP: usize = 10_000;

/// Copies the schema of `src` into an empty `dest`, reads every row of
/// `tables` (in that order, parents first) into memory, then times only
/// inserting them, `INSERT_GROUP` rows per transaction, with foreign keys
/// checked: what storing those rows costs SQLite here, without parsing.
fn insert(src: &str, dest: &str, tables: &[String]) -> Result<()> {
    if tables.is_empty() {
        bail!("name the tables to copy");
    }
    let from = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let _ = std::fs::remove_file(dest);
    let to = Connection::open(dest)?;
    to.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
    )?;
    // Tables first, then indexes and triggers, as the migrations left them.
    let schema: Vec<(String, String)> = from
        .prepare("SELECT type, sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type = 'table' DESC")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (_, sql) in &schema {
        to.execute_batch(sql)
            .with_context(|| format!("schema: {sql}"))?;
    }
    let mut loaded = Vec::new();
    for table in tables {
        let mut stmt = from.prepare(&format!("SELECT * FROM \"{table}\""))?;
        let width = stmt.column_count();
        let rows: Vec<Vec<Value>> = stmt
            .query_map([], |r| (0..width).map(|i| r.get::<_, Value>(i)).collect())?
            .collect::<rusqlite::Result<_>>()?;
        loaded.push((table, width, rows));
    }
    let start = Instant::now();
    let mut total = 0usize;
    for (table, width, rows) in &loaded {
        let marks = vec!["?"; *width].join(", ");
        for group in rows.chunks(INSERT_GROUP) {
            let tx = to.unchecked_transaction()?;
            {
                let mut stmt =
                    tx.prepare_cached(&format!("INSERT INTO \"{table}\" VALUES ({marks})"))?;
                for row in group {
                    stmt.execute(rusqlite::params_from_iter(row))?;
                }
            }
            tx.commit()?;
            total += group.len();
        }
    }
    println!("insert_seconds {:.3}", start.elapsed().as_secs_f64());
    println!("insert_rows {total}");
    Ok(())
}
