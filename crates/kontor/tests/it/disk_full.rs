//! #16, the adversarial run's own repro: `kontor serve` with its data on a
//! 30 MB tmpfs, the disk filled with `dd`, writes fail; the filler deleted,
//! writes resume by themselves (before: every write failed until a restart,
//! "attempted to call begin_with at non-zero transaction depth"), `/readyz`
//! follows, nothing acknowledged is lost and the file is intact. Needs
//! root to mount the tmpfs: skipped with a notice otherwise.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

/// A mounted tmpfs, unmounted when dropped.
struct Tmpfs {
    path: PathBuf,
    /// Removed once unmounted.
    _dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(megabytes: u32) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs {
            path: dir.path().to_owned(),
            _dir: dir,
        })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

/// Fills the file system at `dir` until it is full.
fn fill(dir: &Path) {
    let _ = Command::new("dd")
        .args(["if=/dev/zero", "bs=1M"])
        .arg(format!("of={}", dir.join("filler").display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

#[tokio::test]
async fn writes_resume_by_themselves_when_a_full_disk_has_room_again() {
    if postgres_url().is_some() {
        // The embedded database's test; PostgreSQL's pool is covered by the
        // store tests.
        return;
    }
    let Some(disk) = Tmpfs::mount(30) else {
        eprintln!("disk-full test skipped: mounting a tmpfs needs root");
        return;
    };
    let app = TestApp::spawn_sqlite().await;
    let data = disk.path.clone();
    sqlx::query(&format!(
        "VACUUM INTO '{}'",
        data.join("kontor.db").display()
    ))
    .execute(
        &sqlx::SqlitePool::connect(&format!("sqlite://{}", app.config.sqlite_path().display()))
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    let (child, base) = listening(
        Command::new(env!("CARGO_BIN_EXE_kontor"))
            .arg("--data-dir")
            .arg(&data)
            .args(["serve", "--no-worker", "--listen", "127.0.0.1:0"])
            .env_remove("KONTOR_DATABASE_URL")
            .env("KONTOR_CLOCK", "2026-11-25T09:00:00Z")
            .env("RUST_LOG", "error")
            .stderr(Stdio::null()),
    );
    let client = reqwest::Client::new();
    let ready = || async {
        client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .map(|r| r.status())
            .unwrap_or(StatusCode::BAD_GATEWAY)
    };
    assert_eq!(ready().await, StatusCode::OK);
    let anna = app.token("anna@muster.example").await;
    let olga = app.token("olga@vendor.example").await;
    let submit = |agreement: &'static str, key: &'static str| {
        client
            .post(format!("{base}/api/v1/partner-changes"))
            .bearer_auth(&anna)
            .header("idempotency-key", key)
            .json(&json!({"agreement": agreement, "new_partner": "5100000002"}))
            .send()
    };
    fill(&data);
    // Writes while the disk is full: a large import and submits. Each
    // fails (or, when SQLite finds room in its WAL, succeeds) — none hangs.
    let partners: Vec<_> = (0..20_000)
        .map(|i| json!({"csn": format!("59{i:08}"), "name": format!("Partner {i} with a long name"), "city": "Köln", "country": "DE", "email": format!("p{i}@partner.example")}))
        .collect();
    let res = client
        .post(format!("{base}/api/v1/import"))
        .bearer_auth(&olga)
        .json(&json!({"partners": partners}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_server_error(), "{}", res.status());
    let mut while_full = Vec::new();
    for _ in 0..3 {
        while_full.push(submit("110000000001", "full-1").await.unwrap().status());
    }
    let mut saw_unready = false;
    for _ in 0..20 {
        if ready().await == StatusCode::SERVICE_UNAVAILABLE {
            saw_unready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        saw_unready,
        "/readyz reports the write path that cannot commit (while full: {while_full:?})"
    );
    std::fs::remove_file(data.join("filler")).unwrap();
    // Room again: without a restart, writes go through within seconds.
    let started = Instant::now();
    let first = loop {
        let status = submit("110000000001", "full-1").await.unwrap().status();
        if status == StatusCode::ACCEPTED || started.elapsed() > Duration::from_secs(10) {
            break status;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(
        first,
        StatusCode::ACCEPTED,
        "writes resume (while full: {while_full:?}, unready seen: {saw_unready})"
    );
    assert_eq!(
        submit("110000000008", "full-2").await.unwrap().status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(ready().await, StatusCode::OK);
    // Both acknowledged changes are there, once each.
    let open: serde_json::Value = client
        .get(format!("{base}/api/v1/partner-changes?open=true"))
        .bearer_auth(&anna)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let agreements: Vec<&str> = open["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["agreement"].as_str())
        .collect();
    assert!(
        agreements.contains(&"110000000001") && agreements.contains(&"110000000008"),
        "{open}"
    );
    drop(child);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", data.join("kontor.db").display()))
        .await
        .unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    pool.close().await;
}
