//! Guarantees the database itself enforces (the same as on SQLite), and
//! PostgreSQL's own: the change feed and the schema-version check.
//! They need a server: `KONTOR_TEST_POSTGRES_URL` (set by `.ci/run` from
//! `scripts/postgres`); without it they say so and pass.

use kontor_core::StoreError;
use kontor_core::store::AuditStore;
use kontor_store_sql::fixtures::{
    SAME_EMAIL, SECOND_PRIMARY, SEED, assert_named_conflicts, orphan_requests, request,
};
use sqlx::Connection;

use crate::{PgSettings, PgStore};

/// A store over a fresh database, dropped when the guard goes.
struct TestDb {
    store: PgStore,
    server: String,
    name: String,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(admin(
                    &server,
                    &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                ));
        })
        .join()
        .ok();
    }
}

async fn admin(server: &str, sql: &str) {
    let mut conn = sqlx::PgConnection::connect(server).await.expect("connect");
    sqlx::raw_sql(sql).execute(&mut conn).await.expect(sql);
    conn.close().await.ok();
}

async fn db() -> Option<TestDb> {
    let db = unmigrated_db().await?;
    db.store.migrate().await.expect("migrate");
    Some(db)
}

/// A fresh database with no schema yet.
async fn unmigrated_db() -> Option<TestDb> {
    let Ok(server) = std::env::var("KONTOR_TEST_POSTGRES_URL") else {
        eprintln!("KONTOR_TEST_POSTGRES_URL is not set: PostgreSQL store tests skipped");
        return None;
    };
    let name = format!(
        "kontor_t_{}_{}",
        std::process::id(),
        uuid::Uuid::now_v7().simple()
    );
    admin(&server, &format!("CREATE DATABASE \"{name}\"")).await;
    let url = match server.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => unreachable!("a PostgreSQL URL has a path"),
    };
    let store = PgStore::connect(&url, &PgSettings::default()).expect("connect");
    Some(TestDb {
        store,
        server,
        name,
    })
}

async fn exec(store: &PgStore, sql: &str) -> Result<u64, String> {
    sqlx::query(sql)
        .execute(&store.pool)
        .await
        .map(|r| r.rows_affected())
        .map_err(|e| e.to_string())
}

/// Several statements in one go (no parameters, not prepared).
async fn script(store: &PgStore, sql: &str) -> Result<(), String> {
    sqlx::raw_sql(sql)
        .execute(&store.pool)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

async fn seeded() -> Option<TestDb> {
    let db = db().await?;
    for sql in SEED {
        exec(&db.store, sql).await.unwrap();
    }
    Some(db)
}

#[tokio::test]
async fn r11_the_audit_log_refuses_update_delete_and_truncate() {
    let Some(db) = seeded().await else { return };
    let s = &db.store;
    for sql in [
        "UPDATE audit SET actor = 'someone else'",
        "DELETE FROM audit",
        "TRUNCATE audit",
    ] {
        refused(s, sql, "append-only").await;
    }
}

#[tokio::test]
async fn partner_history_is_only_ever_closed_once_never_rewritten_or_deleted() {
    let Some(db) = seeded().await else { return };
    let s = &db.store;
    refused(s, "DELETE FROM partner_assignments", "never deleted").await;
    refused(s, "TRUNCATE partner_assignments", "never deleted").await;
    refused(
        s,
        "UPDATE partner_assignments SET partner_csn = '5100000002'",
        "never overwritten",
    )
    .await;
    assert_eq!(
        exec(s, "UPDATE partner_assignments SET valid_to = 5").await,
        Ok(1)
    );
    refused(
        s,
        "UPDATE partner_assignments SET valid_to = 6",
        "never overwritten",
    )
    .await;
}

/// Migrations 0008 and 0009: statement-level checks instead of foreign
/// keys, and referenced rows that can neither go away nor change their keys.
#[tokio::test]
async fn a_change_request_must_refer_to_what_exists_and_it_stays() {
    let Some(db) = seeded().await else { return };
    let s = &db.store;
    for sql in &orphan_requests() {
        refused_reference(s, sql).await;
    }
    // One orphan fails the whole statement, as a batch of submits is one.
    let batch = format!(
        "{}, ('ok', '110000000001', '7000000001', '[]', '5100000001', 'pending', 'u1', 1, 2)",
        orphan_requests()[2]
    );
    refused_reference(s, &batch).await;
    exec(s, &request("r1", "pending")).await.unwrap();
    assert_eq!(
        rows(s, "change_requests").await,
        1,
        "only the request whose references exist is stored"
    );
    for sql in [
        "DELETE FROM agreements",
        "DELETE FROM accounts",
        "DELETE FROM partners",
        "DELETE FROM users",
        "TRUNCATE agreements CASCADE",
        "TRUNCATE accounts CASCADE",
        "TRUNCATE partners CASCADE",
        "TRUNCATE users CASCADE",
    ] {
        refused(s, sql, "never deleted").await;
    }
    for sql in [
        "UPDATE agreements SET number = '110000000009'",
        "UPDATE accounts SET csn = '7000000009'",
        "UPDATE partners SET csn = '5100000009'",
        "UPDATE users SET id = 'u9'",
        "UPDATE change_requests SET agreement_number = '110000000009'",
        "UPDATE change_requests SET account_csn = '7000000009'",
        "UPDATE change_requests SET new_partner_csn = '5100000009'",
        "UPDATE change_requests SET requested_by = 'u9'",
    ] {
        refused(s, sql, "keep their keys").await;
    }
    // Migration 0009: partner history checks its agreements the same way.
    for sql in [
        "INSERT INTO partner_assignments (agreement_number, partner_csn, valid_from, source) \
         VALUES ('119999999999', '5100000001', 1, 'import')",
        "INSERT INTO partner_assignments (agreement_number, partner_csn, valid_from, valid_to, source) \
         VALUES ('110000000001', '5100000001', 0, 1, 'support'), ('119999999999', '5100000001', 0, 1, 'support')",
    ] {
        refused_reference(s, sql).await;
    }
    assert_eq!(
        rows(s, "partner_assignments").await,
        1,
        "nothing of a refused statement is stored"
    );
    // What kontor does change still changes.
    for sql in [
        "UPDATE change_requests SET status = 'applied', decided_at = 3",
        "UPDATE partners SET name = 'Q'",
        "UPDATE users SET disabled_at = 5",
        "UPDATE agreements SET auto_renew = TRUE",
    ] {
        assert_eq!(exec(s, sql).await, Ok(1), "{sql}");
    }
}

/// `sql` fails, and its error says `why`.
async fn refused(s: &PgStore, sql: &str, why: &str) {
    let err = exec(s, sql).await.unwrap_err();
    assert!(err.contains(why), "{sql}: {err}");
}

/// `sql` fails as a foreign key would: SQLSTATE 23503.
async fn refused_reference(s: &PgStore, sql: &str) {
    let e = sqlx::query(sql).execute(&s.pool).await.unwrap_err();
    let code = e.as_database_error().and_then(|d| d.code());
    assert_eq!(code.as_deref(), Some("23503"), "{sql}: {e}");
}

async fn rows(s: &PgStore, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&s.pool)
        .await
        .unwrap()
}

/// On PostgreSQL the open requests are rows of `open_requests`, keyed by
/// agreement (see migration 0005): its primary key is R7.
fn open(id: &str, status: &str) -> String {
    format!(
        "INSERT INTO open_requests (agreement_number, request_id, status, due_at) \
         VALUES ('110000000001', '{id}', '{status}', 2)"
    )
}

#[tokio::test]
async fn r7_the_database_allows_one_open_request_per_agreement() {
    let Some(db) = seeded().await else { return };
    let s = &db.store;
    exec(s, &request("r1", "pending")).await.unwrap();
    exec(s, &open("r1", "pending")).await.unwrap();
    for (id, status) in [("r2", "pending"), ("r3", "awaiting_partner")] {
        exec(s, &request(id, status)).await.unwrap();
        let e = sqlx::query(&open(id, status))
            .execute(&s.pool)
            .await
            .unwrap_err();
        assert!(matches!(
            kontor_store_sql::errors::map_err(e),
            StoreError::Conflict("open_request")
        ));
    }
    // Only open states are kept there.
    assert!(exec(s, &open("r4", "withdrawn")).await.is_err());
    // Once the open one is decided, the agreement takes a new request.
    exec(
        s,
        "UPDATE change_requests SET status = 'applied' WHERE id = 'r1'",
    )
    .await
    .unwrap();
    exec(s, "DELETE FROM open_requests WHERE request_id = 'r1'")
        .await
        .unwrap();
    exec(s, &request("r5", "pending")).await.unwrap();
    exec(s, &open("r5", "pending")).await.unwrap();
}

#[tokio::test]
async fn unique_violations_map_to_named_conflicts() {
    let Some(db) = seeded().await else { return };
    let s = &db.store;
    let same_email = sqlx::query(SAME_EMAIL).execute(&s.pool).await.unwrap_err();
    let second_primary = sqlx::query(SECOND_PRIMARY)
        .execute(&s.pool)
        .await
        .unwrap_err();
    assert_named_conflicts(same_email, second_primary);
}

#[tokio::test]
async fn a_database_migrated_by_a_newer_kontor_is_refused() {
    let Some(db) = db().await else { return };
    let s = &db.store;
    exec(
        s,
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', TRUE, '\\x00', 0)",
    )
    .await
    .unwrap();
    // A running instance stays ready while a newer kontor migrates
    // (migrations only add; rolling upgrades), but this binary will not start.
    kontor_core::store::OpsStore::ready(s)
        .await
        .expect("still ready");
    let err = s.migrate().await.unwrap_err().to_string();
    assert!(err.contains("newer than this kontor"), "{err}");
}

/// The feed runs several times a second per instance: it must be able to
/// read a range of transactions through a b-tree rather than the whole
/// audit log (with the BRIN index of 0001 the planner scanned the table).
#[tokio::test]
async fn the_change_feed_reads_through_the_txid_index() {
    let Some(db) = seeded().await else { return };
    let mut conn = db.store.pool.acquire().await.unwrap();
    sqlx::query("SET enable_seqscan = off")
        .execute(&mut *conn)
        .await
        .unwrap();
    let lines: Vec<String> = sqlx::query_scalar(&format!("EXPLAIN {}", crate::writes::FEED))
        .bind(1_i64)
        .bind(2_i64)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    let plan = lines.join("\n");
    assert!(plan.contains("audit_txid"), "{plan}");
    let method: String = sqlx::query_scalar(
        "SELECT am.amname::text FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE c.relname = 'audit_txid'",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!(method, "btree", "a BRIN index reads whole block ranges");
}

/// Migration 0007 swaps in the b-tree an operator built beforehand (with
/// CONCURRENTLY, while kontor served) instead of building one while audit
/// writes wait.
#[tokio::test]
async fn the_feed_index_built_beforehand_is_swapped_in() {
    let Some(db) = unmigrated_db().await else {
        return;
    };
    let s = &db.store;
    let before_0007 = sqlx::migrate::Migrator {
        migrations: crate::MIGRATOR
            .iter()
            .filter(|m| m.version < 7)
            .cloned()
            .collect(),
        ..sqlx::migrate::Migrator::DEFAULT
    };
    before_0007.run(&s.pool).await.unwrap();
    for sql in SEED {
        exec(s, sql).await.unwrap();
    }
    exec(
        s,
        "CREATE INDEX CONCURRENTLY audit_txid_btree ON audit (txid)",
    )
    .await
    .unwrap();
    let built: i64 = sqlx::query_scalar("SELECT 'audit_txid_btree'::regclass::oid::bigint")
        .fetch_one(&s.pool)
        .await
        .unwrap();
    s.migrate().await.unwrap();
    let (now, method): (i64, String) = sqlx::query_as(
        "SELECT c.oid::bigint, am.amname::text FROM pg_class c JOIN pg_am am ON am.oid = c.relam \
         WHERE c.relname = 'audit_txid'",
    )
    .fetch_one(&s.pool)
    .await
    .unwrap();
    assert_eq!(
        (now, method.as_str()),
        (built, "btree"),
        "the prebuilt index, renamed"
    );
    let on_txid: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'audit' AND indexdef LIKE '%(txid)'",
    )
    .fetch_one(&s.pool)
    .await
    .unwrap();
    assert_eq!(on_txid, 1);
}

/// An audit entry written by a transaction that started before another's
/// but commits after it must still reach the feed: sequence numbers alone
/// would skip it.
#[tokio::test]
async fn the_change_feed_sees_a_transaction_that_commits_late() {
    let Some(db) = seeded().await else { return };
    let s = &db.store;
    let start = s.feed_position().await.unwrap();
    let entry = |id: &str, n: &str| {
        format!(
            "INSERT INTO audit (id, at, actor, action, agreement_number, before, after) \
             VALUES ('{id}', 1, 'x', 'change_applied', '{n}', 'null', 'null')"
        )
    };
    // `slow` takes its sequence number first and commits last.
    let mut slow = s.pool.begin().await.unwrap();
    sqlx::query(&entry("slow", "110000000001"))
        .execute(&mut *slow)
        .await
        .unwrap();
    exec(s, &entry("fast", "110000000002")).await.unwrap();
    let first = s.changes_since(start).await.unwrap();
    assert!(
        first.agreements.is_empty() && first.behind,
        "nothing is reported while an older transaction is still open: {first:?}"
    );
    slow.commit().await.unwrap();
    // Other tests' transactions on the same server hold the horizon back
    // for a moment (transaction ids are server-wide): poll.
    let mut position = first.position;
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..100 {
        let feed = s.changes_since(position).await.unwrap();
        position = feed.position;
        seen.extend(feed.agreements.iter().map(|a| a.to_string()));
        if seen.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    seen.sort();
    assert_eq!(seen, ["110000000001", "110000000002"]);
    let second = s.changes_since(position).await.unwrap();
    assert!(!second.other);
    let third = s.changes_since(second.position).await.unwrap();
    assert!(third.agreements.is_empty(), "{third:?}");
}

/// Unscoped agreement reads are answered in batches (`coalesced_reads`):
/// each asker must still get exactly its own agreement — with its
/// partners and open request — or `None`, also when the same agreement is
/// asked for twice in one batch, and a row that cannot be read fails only
/// its own askers.
#[tokio::test]
async fn coalesced_agreement_reads_answer_each_asker_with_its_own_agreement() {
    use kontor_core::domain::ids::{AgreementNumber, Csn};
    use kontor_core::store::{AgreementStore, Scope};

    let Some(db) = seeded().await else { return };
    let s = &db.store;
    let user = uuid::Uuid::now_v7();
    exec(
        s,
        &format!(
            "INSERT INTO users (id, email, name, role, account_csn, lang, created_at) \
             VALUES ('{user}', 'c@a.example', 'C', 'secondary_admin', '7000000001', 'de', 1)"
        ),
    )
    .await
    .unwrap();
    let mut open = std::collections::HashMap::new();
    for n in 0..30 {
        let number = format!("1100000001{n:02}");
        script(
            s,
            &format!(
                "INSERT INTO agreements (number, kind, account_csn, term_start, term_end, auto_renew, program, \
                 support_level, status, products) VALUES ('{number}', 'contract', '7000000001', '2026-01-01', \
                 '2027-01-01', FALSE, 'standard', 'standard', 'active', '[]'); \
                 INSERT INTO partner_assignments (agreement_number, partner_csn, valid_from, source) \
                 VALUES ('{number}', '5100000001', 1, 'import')"
            ),
        )
        .await
        .unwrap();
        if n % 3 == 0 {
            let id = uuid::Uuid::now_v7();
            script(
                s,
                &format!(
                    "INSERT INTO change_requests (id, agreement_number, account_csn, old_partners, new_partner_csn, \
                     status, requested_by, created_at, due_at) VALUES ('{id}', '{number}', '7000000001', \
                     '[\"5100000001\"]', '5100000001', 'pending', '{user}', 1, {n}); \
                     INSERT INTO open_requests (agreement_number, request_id, status, due_at) \
                     VALUES ('{number}', '{id}', 'pending', {n})"
                ),
            )
            .await
            .unwrap();
            open.insert(number, id);
        }
    }
    // The seeded agreement's open request has ids that are no UUIDs: its
    // row cannot be read, which must not fail anybody else's read.
    exec(s, &request("r1", "pending")).await.unwrap();
    exec(
        s,
        "INSERT INTO open_requests (agreement_number, request_id, status, due_at) \
         VALUES ('110000000001', 'r1', 'pending', 2)",
    )
    .await
    .unwrap();

    let mut asks = tokio::task::JoinSet::new();
    for round in 0..3 {
        for n in 0..35 {
            let store = s.clone();
            let number = AgreementNumber::parse(&format!("1100000001{n:02}")).unwrap();
            asks.spawn(async move {
                let got = store.agreement_state(&Scope::All, &number).await;
                (round, number, got)
            });
        }
        let store = s.clone();
        let broken = AgreementNumber::parse("110000000001").unwrap();
        asks.spawn(async move {
            let got = store.agreement_state(&Scope::All, &broken).await;
            (round, broken, got)
        });
    }
    let account = Scope::Account(Csn::parse("7000000001").unwrap());
    let mut answered = 0;
    while let Some(joined) = asks.join_next().await {
        let (_, number, got) = joined.unwrap();
        answered += 1;
        if number.as_str() == "110000000001" {
            assert!(got.is_err(), "the unreadable row is reported to its asker");
            continue;
        }
        let got = got.unwrap();
        let n: u32 = number.as_str()[10..].parse().unwrap();
        if n >= 30 {
            assert!(got.is_none(), "{number} does not exist");
            continue;
        }
        let got = got.unwrap_or_else(|| panic!("{number} exists"));
        assert_eq!(got.agreement.number, number);
        assert_eq!(
            got.agreement.partners,
            vec![Csn::parse("5100000001").unwrap()]
        );
        assert_eq!(
            got.open_request.as_ref().map(|r| r.id.0),
            open.get(number.as_str()).copied(),
            "{number}'s open request"
        );
        // The same as the scoped read, which goes to the database alone.
        let alone = s.agreement_state(&account, &number).await.unwrap().unwrap();
        assert_eq!(format!("{got:?}"), format!("{alone:?}"));
    }
    assert_eq!(answered, 3 * 36);
}

/// The batched statements (coalesced agreement reads, the worker's claim)
/// keep one generic plan per connection. One made while the tables were
/// empty — a new installation after `VACUUM ANALYZE` — must still look its
/// keys up once the tables have grown; a plan that scans them would cost
/// a scan of every open request per agreement read.
#[tokio::test]
async fn generic_plans_made_on_empty_tables_still_look_keys_up() {
    let Some(db) = seeded().await else { return };
    let s = &db.store;
    script(s, "VACUUM ANALYZE").await.unwrap();
    let mut reader = s.batch_pool.acquire().await.unwrap();
    let read = &*crate::coalesced_reads::READ;
    on(
        &mut reader,
        &format!("PREPARE agreement_read(text[]) AS {read}"),
    )
    .await;
    on(&mut reader, "EXECUTE agreement_read('{110000000001}')").await;
    let mut worker = s.pool.acquire().await.unwrap();
    let (settings, claim) = (crate::apply::APPLY_SETTINGS, crate::apply::CLAIM);
    on(
        &mut worker,
        &format!("BEGIN; {settings}; PREPARE claim(bigint, bigint) AS {claim}; EXECUTE claim(100, 10); COMMIT"),
    )
    .await;

    script(
        s,
        "INSERT INTO agreements (number, kind, account_csn, term_start, term_end, auto_renew, program, \
         support_level, status, products) SELECT '1109' || lpad(g::text, 8, '0'), 'contract', '7000000001', \
         '2026-01-01', '2027-01-01', FALSE, 'standard', 'standard', 'active', '[]' FROM generate_series(1, 5000) g; \
         INSERT INTO change_requests (id, agreement_number, account_csn, old_partners, new_partner_csn, status, \
         requested_by, created_at, due_at) SELECT 'g' || g, '1109' || lpad(g::text, 8, '0'), '7000000001', '[]', \
         '5100000001', 'pending', 'u1', 1, 2 FROM generate_series(1, 5000) g; \
         INSERT INTO open_requests (agreement_number, request_id, status, due_at) \
         SELECT '1109' || lpad(g::text, 8, '0'), 'g' || g, 'pending', 2 FROM generate_series(1, 5000) g",
    )
    .await
    .unwrap();

    let read = explain(
        &mut reader,
        "EXPLAIN EXECUTE agreement_read('{110900000001}')",
    )
    .await;
    assert!(read.contains("open_requests_pkey"), "{read}");
    assert!(!read.contains("Seq Scan"), "{read}");
    on(&mut worker, &format!("BEGIN; {settings}")).await;
    let claim = explain(&mut worker, "EXPLAIN EXECUTE claim(100, 10)").await;
    on(&mut worker, "ROLLBACK").await;
    assert!(claim.contains("open_pending_due"), "{claim}");
    assert!(!claim.contains("Seq Scan"), "{claim}");
}

/// The plan an `EXPLAIN …` shows on one connection, as one text.
async fn explain(conn: &mut sqlx::PgConnection, sql: &str) -> String {
    let lines: Vec<String> = sqlx::query_scalar(sql).fetch_all(conn).await.expect(sql);
    lines.join("\n")
}

/// Runs `sql` (several statements allowed) on one connection.
async fn on(conn: &mut sqlx::PgConnection, sql: &str) {
    sqlx::raw_sql(sql).execute(conn).await.expect(sql);
}

#[tokio::test]
async fn a_running_claim_is_taken_over_once_its_process_stops_beating() {
    use kontor_store_sql::fixtures::{
        END_BEAT_OF_LIVE, claims_of_processes_that_died_are_taken_over,
    };
    let Some(db) = db().await else { return };
    let s = &db.store;
    let process = |id: &str| PgStore {
        instance: id.into(),
        ..s.clone()
    };
    let (dead, live) = (process("dead"), process("live"));
    let pinned = time::macros::datetime!(2020-01-01 00:00 UTC);
    claims_of_processes_that_died_are_taken_over(s, &dead, &live, pinned, async || {
        exec(s, END_BEAT_OF_LIVE).await.unwrap();
    })
    .await;
}

/// #16: a COMMIT that fails (here a deferred reference check, as a full
/// disk would fail it) must not leave a connection in the pool that is
/// still inside a transaction: every later write goes through.
#[tokio::test]
async fn a_commit_that_fails_leaves_the_pool_usable() {
    use kontor_core::store::OpsStore;
    let Some(db) = db().await else { return };
    let s = &db.store;
    for sql in SEED {
        sqlx::query(sql).execute(s.pool()).await.unwrap();
    }
    for _ in 0..3 {
        let mut tx = s.pool().begin().await.unwrap();
        sqlx::query("SET CONSTRAINTS ALL DEFERRED")
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO partner_assignments (agreement_number, partner_csn, valid_from, source) \
             VALUES ('110000000001', '5199999999', 2, 'import')",
        )
        .execute(&mut *tx)
        .await
        .unwrap();
        let err = tx.commit().await.unwrap_err();
        assert!(err.to_string().contains("foreign key"), "{err}");
    }
    for _ in 0..10 {
        s.ready().await.unwrap();
    }
}

#[tokio::test]
async fn attempts_are_recorded_under_their_claims() {
    use kontor_store_sql::fixtures::{
        attempts_are_recorded_under_their_claims, claimed_deliveries,
    };
    let Some(db) = db().await else { return };
    for sql in claimed_deliveries() {
        exec(&db.store, &sql).await.unwrap();
    }
    attempts_are_recorded_under_their_claims(&db.store).await;
}
