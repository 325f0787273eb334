//! What every page and process has around it (#18): the tab icon, the 404
//! page a browser gets for an unknown path, logs without colour codes when
//! they go to a file.

use reqwest::StatusCode;

use crate::helpers::{ChildProcess, TestApp, listening};

#[tokio::test]
async fn browsers_get_an_icon_and_the_404_page_while_clients_get_a_problem() {
    let app = TestApp::spawn().await;
    let get = |path: &str, accept: &str| {
        app.client
            .get(format!("{}{path}", app.base))
            .header("accept", accept)
            .header("accept-language", "de-DE,de;q=0.9")
            .send()
    };
    for icon in ["/favicon.ico", "/favicon.svg"] {
        let res = get(icon, "image/avif,image/webp,*/*").await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{icon}");
        assert_eq!(res.headers()["content-type"], "image/svg+xml");
        assert!(res.text().await.unwrap().starts_with("<svg"));
    }
    let browser = "text/html,application/xhtml+xml,*/*;q=0.8";
    let res = get("/no/such/page", browser).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = res.text().await.unwrap();
    assert!(page.contains("Nicht gefunden"), "{page}");
    assert!(page.contains(r#"href="/favicon.svg""#), "{page}");
    // The API and other clients keep their problem documents.
    for (path, accept) in [
        ("/api/v1/no-such-endpoint", browser),
        ("/no/such/page", "*/*"),
        ("/no/such/page", "application/json"),
    ] {
        let res = get(path, accept).await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path} {accept}");
        assert_eq!(
            res.headers()["content-type"],
            "application/problem+json",
            "{path} {accept}"
        );
    }
}

#[tokio::test]
async fn logs_written_to_a_file_carry_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("kontor.log");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kontor"));
    cmd.arg("--data-dir")
        .arg(dir.path().join("data"))
        .env_remove("KONTOR_DATABASE_URL")
        .env("RUST_LOG", "debug")
        .env("KONTOR_LOG_FORMAT", "pretty")
        .args(["serve", "--no-worker", "--listen", "127.0.0.1:0"])
        .stderr(std::fs::File::create(&log).unwrap());
    let (child, base): (ChildProcess, String) = listening(&mut cmd);
    reqwest::get(format!("{base}/healthz")).await.unwrap();
    drop(child);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("DEBUG"), "something was logged: {text}");
    assert!(!text.contains('\u{1b}'), "colour codes in the log file");
}
