//! The command line is part of the contract (SPEC "Running it").

use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_kontor");

fn kontor(dir: &std::path::Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--data-dir")
        .arg(dir)
        .env_remove("KONTOR_DATABASE_URL")
        .env("RUST_LOG", "warn");
    c
}

#[test]
fn import_prints_counts_and_exits_non_zero_listing_every_error() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    std::fs::write(&good, r#"{"partners":[{"csn":"5100000001","name":"P","city":"C","country":"DE","email":"p@p.example"}],
        "accounts":[{"csn":"7000000001","name":"A","country":"DE"}]}"#).unwrap();
    let out = kontor(dir.path())
        .arg("import")
        .arg(&good)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("partners=1 accounts=1 users=0 agreements=0"),
        "{stdout}"
    );

    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"partners":[{"csn":"51","name":"P","city":"C","country":"DE","email":"p@p.example"},
        {"csn":"5100000002","name":"Q","city":"C","country":"de","email":"q@q.example"}]}"#,
    )
    .unwrap();
    let out = kontor(dir.path()).arg("import").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("partners[0].csn"), "{stderr}");
    assert!(stderr.contains("partners[1].country"), "{stderr}");
    let out = kontor(dir.path())
        .arg("import")
        .arg(dir.path().join("missing.json"))
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn token_issue_prints_the_token_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut create = kontor(dir.path())
        .args([
            "user",
            "create",
            "--email",
            "op@vendor.example",
            "--name",
            "Op",
            "--role",
            "operator",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    create
        .stdin
        .take()
        .unwrap()
        .write_all(b"long-enough-secret\n")
        .unwrap();
    assert!(create.wait().unwrap().success());
    let out = kontor(dir.path())
        .args(["token", "issue", "--email", "op@vendor.example"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with("kontor_pat_") && lines[0].len() == 54,
        "{stdout}"
    );
    let out = kontor(dir.path())
        .args(["token", "issue", "--email", "nobody@vendor.example"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--email"));
}

#[test]
fn serve_on_port_zero_prints_its_address_and_config_check_masks_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = kontor(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    child.kill().ok();
    child.wait().ok();
    assert!(
        line.starts_with("kontor listening on http://127.0.0.1:"),
        "{line}"
    );
    assert!(!line.trim_end().ends_with(":0"));

    let out = kontor(dir.path())
        .args(["config", "check"])
        .env("KONTOR_DATABASE_URL", "sqlite://x.db")
        .env("KONTOR_PROCESSING_DELAY_MINUTES", "15")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("processing_delay_minutes = 15"), "{text}");
    let out = kontor(dir.path())
        .args(["config", "check"])
        .env("KONTOR_DATABASE_URL", "postgres://k:hunter2@db/k")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("postgres://k:****@db/k") && !text.contains("hunter2"),
        "{text}"
    );
}
