//! `kontor backup` under load and `kontor restore` (#7): a consistent
//! online copy while the server writes, brought back exactly; restore is
//! refused while kontor uses the database and for files that are not
//! kontor backups.

use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use kontor_core::store::{AuditFilter, AuditStore, OpsStore, Scope};
use kontor_store_sqlite::SqliteStore;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

async fn run(mut cmd: std::process::Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_backup_taken_under_load_restores_to_the_same_database() {
    let app = Arc::new(TestApp::spawn_sqlite().await);
    let stop = Arc::new(AtomicBool::new(false));
    let cycles = Arc::new(AtomicU32::new(0));
    let load = {
        let (app, stop, cycles) = (app.clone(), stop.clone(), cycles.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let r = json_with(
                    app.submit("anna@muster.example", "110000000001", "5100000002")
                        .await,
                    StatusCode::ACCEPTED,
                )
                .await;
                let id = r["id"].as_str().unwrap().to_owned();
                json_with(
                    app.post(
                        "anna@muster.example",
                        &format!("/api/v1/partner-changes/{id}/withdraw"),
                        &json!({}),
                    )
                    .await,
                    StatusCode::OK,
                )
                .await;
                cycles.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("kontor-backup.db");
    let mut backup = app.kontor_command();
    backup.args(["backup", file.to_str().unwrap()]);
    let out = run(backup).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    load.await.unwrap();
    assert!(cycles.load(Ordering::Relaxed) > 5, "the server was writing");

    // While kontor uses the database, restoring over it is refused.
    let mut over = app.kontor_command();
    over.args(["restore", file.to_str().unwrap()]);
    let out = run(over).await;
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("in use"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Restored into a stopped installation (a fresh folder here).
    let fresh = tempfile::tempdir().unwrap();
    let mut restore = std::process::Command::new(env!("CARGO_BIN_EXE_kontor"));
    restore
        .arg("--data-dir")
        .arg(fresh.path())
        .env_remove("KONTOR_DATABASE_URL")
        .args(["restore", file.to_str().unwrap()]);
    let out = run(restore).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The backup is a consistent snapshot: every request has its audit
    // entries, withdrawn ones their withdrawal; and the restore is exact.
    let backup = SqliteStore::open(&file, 1).await.unwrap();
    let restored = SqliteStore::open(&fresh.path().join("kontor.db"), 1)
        .await
        .unwrap();
    let counts = backup.counts().await.unwrap();
    assert_eq!(restored.counts().await.unwrap(), counts);
    let audit = |s: SqliteStore| async move {
        s.audit(
            &Scope::All,
            &AuditFilter {
                limit: 100_000,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.seq, r.entry.id, r.entry.action.as_str()))
        .collect::<Vec<_>>()
    };
    let (a, b) = (audit(backup.clone()).await, audit(restored.clone()).await);
    assert_eq!(a, b, "the audit log is the same, in order");
    let requested = a.iter().filter(|e| e.2 == "change_requested").count() as i64;
    let requests = counts
        .iter()
        .find(|(t, _)| t == "change_requests")
        .unwrap()
        .1;
    assert_eq!(requested, requests, "no request without its audit entry");
    let mut migrate = std::process::Command::new(env!("CARGO_BIN_EXE_kontor"));
    migrate
        .arg("--data-dir")
        .arg(fresh.path())
        .env_remove("KONTOR_DATABASE_URL")
        .arg("migrate");
    drop((backup, restored));
    let out = run(migrate).await;
    assert!(
        out.status.success(),
        "the restored database opens: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn restore_refuses_files_that_are_not_kontor_backups() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let empty = dir.path().join("empty.db");
    SqliteStore::open(&empty, 1).await.unwrap();
    for (file, says) in [
        (junk.clone(), "not a SQLite database"),
        (empty.clone(), "not a kontor database"),
        (dir.path().join("missing.db"), "is not a file"),
    ] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kontor"));
        cmd.arg("--data-dir")
            .arg(dir.path().join("data"))
            .env_remove("KONTOR_DATABASE_URL")
            .args(["restore", file.to_str().unwrap()]);
        let out = run(cmd).await;
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!out.status.success(), "{file:?}");
        assert!(stderr.contains(says), "{file:?}: {stderr}");
    }
    assert!(
        !dir.path().join("data/kontor.db").exists(),
        "nothing was written"
    );
}

/// #18: a backup run where there is no database says so and creates none,
/// instead of saving an empty database and reporting success.
#[tokio::test]
async fn a_backup_without_a_database_says_so_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("backup.db");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kontor"));
    cmd.arg("--data-dir")
        .arg(&data)
        .env_remove("KONTOR_DATABASE_URL")
        .args(["backup", file.to_str().unwrap()]);
    let out = run(cmd).await;
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("there is no database at"), "{stderr}");
    assert!(!data.join("kontor.db").exists(), "no database was created");
    assert!(!file.exists(), "no backup was written");
}
