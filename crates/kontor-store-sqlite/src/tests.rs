//! Guarantees the database itself enforces, whatever the code above it does.

use kontor_core::StoreError;

use crate::SqliteStore;

async fn store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_and_migrate(&dir.path().join("k.db"), 2).await.unwrap();
    (dir, store)
}

async fn exec(store: &SqliteStore, sql: &str) -> Result<u64, String> {
    sqlx::query(sql)
        .execute(&store.writer)
        .await
        .map(|r| r.rows_affected())
        .map_err(|e| e.to_string())
}

async fn seed(store: &SqliteStore) {
    for sql in [
        "INSERT INTO partners VALUES ('5100000001', 'P', 'C', 'DE', 'active', 'p@p.example')",
        "INSERT INTO accounts VALUES ('7000000001', 'A', 'DE')",
        "INSERT INTO agreements VALUES ('110000000001', 'contract', '7000000001', '2026-01-01', '2027-01-01', 0, \
         'standard', 'standard', 'active', '[]')",
        "INSERT INTO partner_assignments (agreement_number, partner_csn, valid_from, source) \
         VALUES ('110000000001', '5100000001', 1, 'import')",
        "INSERT INTO audit (id, at, actor, action, before, after) VALUES ('a', 1, 'x', 'import_applied', 'null', 'null')",
        "INSERT INTO users VALUES ('u1', 'a@a.example', 'A', 'primary_admin', '7000000001', NULL, 'de', NULL, 1)",
    ] {
        exec(store, sql).await.unwrap();
    }
}

#[tokio::test]
async fn r11_the_audit_log_refuses_update_and_delete() {
    let (_d, s) = store().await;
    seed(&s).await;
    let err = exec(&s, "UPDATE audit SET actor = 'someone else'").await.unwrap_err();
    assert!(err.contains("append-only"), "{err}");
    let err = exec(&s, "DELETE FROM audit").await.unwrap_err();
    assert!(err.contains("append-only"), "{err}");
}

#[tokio::test]
async fn partner_history_is_only_ever_closed_once_never_rewritten_or_deleted() {
    let (_d, s) = store().await;
    seed(&s).await;
    let err = exec(&s, "DELETE FROM partner_assignments").await.unwrap_err();
    assert!(err.contains("never deleted"), "{err}");
    let err = exec(&s, "UPDATE partner_assignments SET partner_csn = '5100000002'").await.unwrap_err();
    assert!(err.contains("never overwritten"), "{err}");
    assert_eq!(exec(&s, "UPDATE partner_assignments SET valid_to = 5").await, Ok(1));
    let err = exec(&s, "UPDATE partner_assignments SET valid_to = 6").await.unwrap_err();
    assert!(err.contains("never overwritten"), "{err}");
}

#[tokio::test]
async fn r7_the_database_allows_one_open_request_per_agreement() {
    let (_d, s) = store().await;
    seed(&s).await;
    let insert = |id: &str, status: &str| {
        format!(
            "INSERT INTO change_requests (id, agreement_number, account_csn, old_partners, new_partner_csn, status, \
             requested_by, created_at, due_at) VALUES ('{id}', '110000000001', '7000000001', '[]', '5100000001', \
             '{status}', 'u1', 1, 2)"
        )
    };
    exec(&s, &insert("r1", "pending")).await.unwrap();
    let err = exec(&s, &insert("r2", "pending")).await.unwrap_err();
    assert!(err.contains("UNIQUE"), "{err}");
    let err = exec(&s, &insert("r3", "awaiting_partner")).await.unwrap_err();
    assert!(err.contains("UNIQUE"), "{err}");
    // Closed requests do not count.
    exec(&s, &insert("r4", "withdrawn")).await.unwrap();
    exec(&s, "UPDATE change_requests SET status = 'applied' WHERE id = 'r1'").await.unwrap();
    exec(&s, &insert("r5", "pending")).await.unwrap();
}

#[tokio::test]
async fn unique_violations_map_to_named_conflicts() {
    let (_d, s) = store().await;
    seed(&s).await;
    let e = sqlx::query("INSERT INTO users VALUES ('u2', 'a@a.example', 'B', 'user', '7000000001', NULL, 'de', NULL, 1)")
        .execute(&s.writer)
        .await
        .unwrap_err();
    assert!(matches!(crate::map_err(e), StoreError::Conflict("email")));
    let e = sqlx::query("INSERT INTO users VALUES ('u3', 'b@a.example', 'B', 'primary_admin', '7000000001', NULL, 'de', NULL, 1)")
        .execute(&s.writer)
        .await
        .unwrap_err();
    assert!(matches!(crate::map_err(e), StoreError::Conflict("primary_admin")));
}

#[tokio::test]
async fn a_database_migrated_by_a_newer_kontor_is_refused() {
    let (_d, s) = store().await;
    exec(&s, "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) \
              VALUES (9999, 'from the future', CURRENT_TIMESTAMP, 1, x'00', 0)")
        .await
        .unwrap();
    let err = s.migrate().await.unwrap_err().to_string();
    assert!(err.contains("newer than this kontor"), "{err}");
}

#[tokio::test]
async fn pragmas_are_set_for_durability_and_concurrency() {
    let (_d, s) = store().await;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&s.writer).await.unwrap();
    assert_eq!(mode, "wal");
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&s.writer).await.unwrap();
    assert_eq!(sync, 1, "NORMAL");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&s.writer).await.unwrap();
    assert_eq!(fk, 1);
    let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(&s.writer).await.unwrap();
    assert!(timeout >= 5000);
}
