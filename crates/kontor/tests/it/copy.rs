//! `kontor copy-to-postgres`: an installation moves from SQLite to
//! PostgreSQL with everything, including audit log and partner history.

use kontor_core::store::{AuditFilter, AuditStore, OpsStore, Scope};
use reqwest::StatusCode;
use serde_json::json;
use time::Duration;

use crate::helpers::*;

#[tokio::test]
async fn copy_to_postgres_moves_everything_and_verifies_counts() {
    let Some(server) = postgres_url() else {
        eprintln!("KONTOR_TEST_POSTGRES_URL is not set: copy to PostgreSQL not tested");
        return;
    };
    // Some history on SQLite: a change applied, one withdrawn, one pending.
    let app = TestApp::spawn_sqlite().await;
    json_with(
        app.submit("anna@muster.example", "110000000001", "5100000002")
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    let withdrawn = json_with(
        app.submit("anna@muster.example", "110000000008", "5100000002")
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    json_with(
        app.post(
            "anna@muster.example",
            &format!(
                "/api/v1/partner-changes/{}/withdraw",
                withdrawn["id"].as_str().unwrap()
            ),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    app.advance(Duration::minutes(61));
    assert_eq!(app.run_worker().await.applied, 1);
    json_with(
        app.submit("dora@example-ltd.example", "110000000101", "5100000002")
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    let before = app.counts().await;
    let audit_before = app
        .services
        .store
        .audit(
            &Scope::All,
            &AuditFilter {
                limit: 10_000,
                ..Default::default()
            },
        )
        .await
        .unwrap();

    let db = format!(
        "kontor_t_{}_{}",
        std::process::id(),
        uuid::Uuid::now_v7().simple()
    );
    pg_admin(&format!("CREATE DATABASE \"{db}\"")).await;
    let url = with_database(&server, &db);
    let out = app
        .kontor_command()
        .args(["copy-to-postgres", &url])
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("every count matches"), "{stdout}");

    let target = kontor_store_postgres::PgStore::connect(&url, &Default::default()).unwrap();
    let after: std::collections::HashMap<String, i64> =
        target.counts().await.unwrap().into_iter().collect();
    assert_eq!(after, before, "every table has the same rows");
    assert!(
        after["audit"] > 10 && after["partner_assignments"] > 10,
        "{after:?}"
    );
    let audit_after = target
        .audit(
            &Scope::All,
            &AuditFilter {
                limit: 10_000,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let ids = |a: &[kontor_core::store::AuditRecord]| -> Vec<(i64, String)> {
        a.iter().map(|r| (r.seq, r.entry.id.to_string())).collect()
    };
    assert_eq!(
        ids(&audit_after),
        ids(&audit_before),
        "audit log identical, in order"
    );
    // New entries continue the numbering after the copied ones.
    target
        .append_audit(&[kontor_core::domain::audit::AuditEntry::new(
            START,
            kontor_core::domain::audit::By::System("test"),
            kontor_core::domain::audit::AuditAction::ImportApplied,
        )])
        .await
        .unwrap();
    let last = target
        .audit(
            &Scope::All,
            &AuditFilter {
                limit: 10_000,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        last.last().unwrap().seq,
        audit_before.last().unwrap().seq + 1
    );

    // The pending request came along as open: it blocks a second one (R7)
    // and a PostgreSQL worker applies it.
    use kontor_core::store::{AgreementStore, ChangeStore};
    let number = kontor_core::domain::ids::AgreementNumber::parse("110000000101").unwrap();
    let state = target
        .agreement_state(&Scope::All, &number)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        state.open_request.map(|r| r.status.as_str()),
        Some("pending")
    );
    let planner = kontor_core::service::apply::Planner {
        policy: app.services.policy.clone(),
    };
    let report = target
        .apply_due(START + Duration::hours(3), 100, &planner)
        .await
        .unwrap()
        .report;
    assert_eq!(report.applied, 1);

    // A second copy into a database that has data is refused, changing nothing.
    let out = app
        .kontor_command()
        .args(["copy-to-postgres", &url])
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not empty"), "{stderr}");
    target.close().await;
    pg_admin(&format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)")).await;
}

#[test]
fn the_copy_knows_every_table_and_column_of_the_schema() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let store =
            kontor_store_sqlite::SqliteStore::open_and_migrate(&dir.path().join("k.db"), 1)
                .await
                .unwrap();
        let mut tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' \
             AND name NOT LIKE 'sqlite%'",
        )
        .fetch_all(store.read_pool())
        .await
        .unwrap();
        tables.sort();
        let mut copied: Vec<String> = kontor::copy::tables().map(str::to_owned).collect();
        copied.sort();
        assert_eq!(copied, tables, "a table added to the schema must be copied too");
        for table in &tables {
            let mut columns: Vec<String> =
                sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                    .fetch_all(store.read_pool())
                    .await
                    .unwrap();
            columns.sort();
            let mut copied: Vec<&str> = kontor::copy::columns(table).collect();
            copied.sort();
            assert_eq!(copied, columns, "a column added to {table} must be copied too");
        }
    });
}
