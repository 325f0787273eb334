//! Guarantees the database itself enforces, whatever the code above it does.

use kontor_core::StoreError;
use kontor_store_sql::fixtures::{
    SAME_EMAIL, SECOND_PRIMARY, SEED, assert_named_conflicts, orphan_requests, request,
};

use crate::SqliteStore;

async fn store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_and_migrate(&dir.path().join("k.db"), 2)
        .await
        .unwrap();
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
    for sql in SEED {
        exec(store, sql).await.unwrap();
    }
}

#[tokio::test]
async fn a_change_request_must_refer_to_what_exists() {
    let (_d, s) = store().await;
    seed(&s).await;
    for sql in &orphan_requests() {
        let err = exec(&s, sql).await.unwrap_err();
        assert!(err.contains("FOREIGN KEY"), "{sql}: {err}");
    }
    exec(&s, &request("r1", "pending")).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM change_requests")
        .fetch_one(&s.writer)
        .await
        .unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn r11_the_audit_log_refuses_update_and_delete() {
    let (_d, s) = store().await;
    seed(&s).await;
    let err = exec(&s, "UPDATE audit SET actor = 'someone else'")
        .await
        .unwrap_err();
    assert!(err.contains("append-only"), "{err}");
    let err = exec(&s, "DELETE FROM audit").await.unwrap_err();
    assert!(err.contains("append-only"), "{err}");
}

#[tokio::test]
async fn partner_history_is_only_ever_closed_once_never_rewritten_or_deleted() {
    let (_d, s) = store().await;
    seed(&s).await;
    let err = exec(&s, "DELETE FROM partner_assignments")
        .await
        .unwrap_err();
    assert!(err.contains("never deleted"), "{err}");
    let err = exec(
        &s,
        "UPDATE partner_assignments SET partner_csn = '5100000002'",
    )
    .await
    .unwrap_err();
    assert!(err.contains("never overwritten"), "{err}");
    assert_eq!(
        exec(&s, "UPDATE partner_assignments SET valid_to = 5").await,
        Ok(1)
    );
    let err = exec(&s, "UPDATE partner_assignments SET valid_to = 6")
        .await
        .unwrap_err();
    assert!(err.contains("never overwritten"), "{err}");
}

#[tokio::test]
async fn r7_the_database_allows_one_open_request_per_agreement() {
    let (_d, s) = store().await;
    seed(&s).await;
    exec(&s, &request("r1", "pending")).await.unwrap();
    for (id, status) in [("r2", "pending"), ("r3", "awaiting_partner")] {
        let e = sqlx::query(&request(id, status))
            .execute(&s.writer)
            .await
            .unwrap_err();
        assert!(matches!(
            kontor_store_sql::errors::map_err(e),
            StoreError::Conflict("open_request")
        ));
    }
    // Closed requests do not count.
    exec(&s, &request("r4", "withdrawn")).await.unwrap();
    exec(
        &s,
        "UPDATE change_requests SET status = 'applied' WHERE id = 'r1'",
    )
    .await
    .unwrap();
    exec(&s, &request("r5", "pending")).await.unwrap();
}

#[tokio::test]
async fn unique_violations_map_to_named_conflicts() {
    let (_d, s) = store().await;
    seed(&s).await;
    let same_email = sqlx::query(SAME_EMAIL)
        .execute(&s.writer)
        .await
        .unwrap_err();
    let second_primary = sqlx::query(SECOND_PRIMARY)
        .execute(&s.writer)
        .await
        .unwrap_err();
    assert_named_conflicts(same_email, second_primary);
}

#[tokio::test]
async fn a_database_migrated_by_a_newer_kontor_is_refused() {
    let (_d, s) = store().await;
    exec(&s, "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) \
              VALUES (9999, 'from the future', CURRENT_TIMESTAMP, 1, x'00', 0)")
        .await
        .unwrap();
    // A running instance stays ready while a newer kontor migrates
    // (migrations only add; rolling upgrades), but this binary will not start.
    kontor_core::store::OpsStore::ready(&s)
        .await
        .expect("still ready");
    let err = s.migrate().await.unwrap_err().to_string();
    assert!(err.contains("newer than this kontor"), "{err}");
}

#[tokio::test]
async fn pragmas_are_set_for_durability_and_concurrency() {
    let (_d, s) = store().await;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&s.writer)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&s.writer)
        .await
        .unwrap();
    assert_eq!(sync, 1, "NORMAL");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&s.writer)
        .await
        .unwrap();
    assert_eq!(fk, 1);
    let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&s.writer)
        .await
        .unwrap();
    assert!(timeout >= 5000);
}

/// #16: a write that fails with "database or disk is full" — SQLite then
/// rolls the whole transaction back by itself, and sqlx's own rollback
/// fails — must not leave the single writer connection unusable. Here the
/// file may not grow past its size (`max_page_count`, a setting of the
/// writer connection): the replacement connection has room again, as the
/// writer does once disk space is freed.
#[tokio::test]
async fn a_write_failing_on_a_full_database_leaves_the_writer_usable() {
    use kontor_core::domain::throttle::{Reservation, ThrottleKey};
    use kontor_core::store::{OpsStore, SessionStore};
    let (_d, s) = store().await;
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(&s.writer)
        .await
        .unwrap();
    exec(&s, &format!("PRAGMA max_page_count = {pages}"))
        .await
        .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let key = |key: String| ThrottleKey {
        key,
        limit: 5,
        window: time::Duration::minutes(15),
    };
    // 256 KiB in one row needs pages the file may not have.
    let err = s
        .reserve_signin_attempt("big", &[key("x".repeat(256 * 1024))], now)
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("full"), "{err:#}");
    // The very next writes go through, and readiness says so.
    for i in 0..3 {
        let r = s
            .reserve_signin_attempt(&format!("a{i}"), &[key("account:a@b.example".into())], now)
            .await
            .unwrap();
        assert_eq!(r, Reservation::Reserved);
    }
    s.ready().await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM signin_failures")
        .fetch_one(&s.reader)
        .await
        .unwrap();
    assert_eq!(n, 3, "the failed write left nothing behind");
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&s.reader)
        .await
        .unwrap();
    assert_eq!(check, "ok");
}

#[tokio::test]
async fn a_running_claim_is_taken_over_once_its_process_stops_beating() {
    use kontor_store_sql::fixtures::{
        END_BEAT_OF_LIVE, claims_of_processes_that_died_are_taken_over,
    };
    let (_d, s) = store().await;
    let process = |id: &str| SqliteStore {
        instance: id.into(),
        ..s.clone()
    };
    let (dead, live) = (process("dead"), process("live"));
    let pinned = time::macros::datetime!(2020-01-01 00:00 UTC);
    claims_of_processes_that_died_are_taken_over(&s, &dead, &live, pinned, async || {
        exec(&s, END_BEAT_OF_LIVE).await.unwrap();
    })
    .await;
}

/// The inline read decodes columns by position (`inline_reads`): the
/// query must list them in exactly that order.
#[tokio::test]
async fn the_inline_agreement_read_lists_its_columns_in_the_decoded_order() {
    let (d, _s) = store().await;
    let conn = rusqlite::Connection::open(d.path().join("k.db")).unwrap();
    let stmt = conn
        .prepare(&crate::shared::agreements::UNSCOPED_STATE)
        .unwrap();
    assert_eq!(stmt.column_names(), crate::inline_reads::STATE_COLUMNS);
}

/// The inline read answers what sqlx's read of the same query answers,
/// and sees a write the moment it is committed (read-your-writes).
#[tokio::test]
async fn the_inline_agreement_read_matches_sqlx_and_sees_each_commit() {
    use kontor_core::domain::ids::AgreementNumber;
    use kontor_core::store::Scope;
    use kontor_store_sql::Backend;

    let (_d, s) = store().await;
    seed(&s).await;
    let number = AgreementNumber::parse("110000000001").unwrap();
    let both = async |s: &SqliteStore| {
        let inline = s.unscoped_agreement_state(&number).await.unwrap();
        let sqlx = crate::shared::agreements::read_agreement_state(s, &Scope::All, &number)
            .await
            .unwrap();
        assert_eq!(format!("{inline:?}"), format!("{sqlx:?}"));
        inline.unwrap()
    };
    let before = both(&s).await;
    assert!(before.open_request.is_none());
    assert_eq!(before.agreement.partners.len(), 1);

    exec(
        &s,
        "INSERT INTO users (id, email, name, role, account_csn, lang, created_at) VALUES \
         ('0190c0de-0000-7000-8000-0000000000aa', 'b@a.example', 'B', 'secondary_admin', '7000000001', 'de', 1)",
    )
    .await
    .unwrap();
    exec(
        &s,
        "INSERT INTO change_requests (id, agreement_number, account_csn, old_partners, new_partner_csn, \
         status, requested_by, created_at, due_at) VALUES ('0190c0de-0000-7000-8000-000000000001', \
         '110000000001', '7000000001', '[\"5100000001\"]', '5100000001', 'pending', \
         '0190c0de-0000-7000-8000-0000000000aa', 1, 2)",
    )
    .await
    .unwrap();
    let open = both(&s).await.open_request.expect("the new request");
    assert_eq!(
        open.id.0.to_string(),
        "0190c0de-0000-7000-8000-000000000001"
    );

    exec(&s, "UPDATE change_requests SET status = 'withdrawn'")
        .await
        .unwrap();
    assert!(both(&s).await.open_request.is_none());

    let unknown = AgreementNumber::parse("110000000002").unwrap();
    assert!(
        s.unscoped_agreement_state(&unknown)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn attempts_are_recorded_under_their_claims() {
    use kontor_store_sql::fixtures::{
        attempts_are_recorded_under_their_claims, claimed_deliveries,
    };
    let (_d, s) = store().await;
    for sql in claimed_deliveries() {
        exec(&s, &sql).await.unwrap();
    }
    attempts_are_recorded_under_their_claims(&s).await;
}

/// Recording attempts finds each delivery by its id. A plan that reads
/// deliveries through another index (all pending ones, by status) and
/// matches the results against each held the writer for over a minute
/// with a million deliveries pending.
#[tokio::test]
async fn recording_attempts_probes_each_delivery_by_its_id() {
    let (_d, s) = store().await;
    for (sql, _) in crate::deliveries::RECORD_RESULTS {
        let plan: Vec<String> =
            sqlx::query_as::<_, (i64, i64, i64, String)>(&format!("EXPLAIN QUERY PLAN {sql}"))
                .bind("[]")
                .fetch_all(&s.writer)
                .await
                .unwrap_or_else(|e| panic!("{e}: {sql}"))
                .into_iter()
                .map(|(_, _, _, detail)| detail)
                .collect();
        assert!(
            plan.iter().any(|step| step.contains("json_each")),
            "{plan:?}"
        );
        for step in plan.iter().filter(|step| step.contains("deliveries")) {
            assert!(
                step.contains("sqlite_autoindex_deliveries_1 (id=?)"),
                "{step} in {plan:?}"
            );
        }
    }
}
