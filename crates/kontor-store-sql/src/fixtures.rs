//! Rows both backends' guarantee tests start from: portable SQL that
//! bypasses the store, so the tests show what the *database* refuses.

/// A partner, an account, a contract with its partner of record, an audit
/// entry and the account's primary admin `u1`.
pub const SEED: &[&str] = &[
    "INSERT INTO partners (csn, name, city, country, status, email) \
     VALUES ('5100000001', 'P', 'C', 'DE', 'active', 'p@p.example')",
    "INSERT INTO accounts (csn, name, country) VALUES ('7000000001', 'A', 'DE')",
    "INSERT INTO agreements (number, kind, account_csn, term_start, term_end, auto_renew, program, \
     support_level, status, products) VALUES ('110000000001', 'contract', '7000000001', '2026-01-01', \
     '2027-01-01', FALSE, 'standard', 'standard', 'active', '[]')",
    "INSERT INTO partner_assignments (agreement_number, partner_csn, valid_from, source) \
     VALUES ('110000000001', '5100000001', 1, 'import')",
    "INSERT INTO audit (id, at, actor, action, before, after) \
     VALUES ('a', 1, 'x', 'import_applied', 'null', 'null')",
    "INSERT INTO users (id, email, name, role, account_csn, partner_csn, lang, password_hash, created_at) \
     VALUES ('u1', 'a@a.example', 'A', 'primary_admin', '7000000001', NULL, 'de', NULL, 1)",
];

/// A change request for the seeded contract.
pub fn request(id: &str, status: &str) -> String {
    insert_request(id, "110000000001", "7000000001", "5100000001", "u1", status)
}

/// A change request with the given references.
fn insert_request(
    id: &str,
    agreement: &str,
    account: &str,
    partner: &str,
    by: &str,
    status: &str,
) -> String {
    format!(
        "INSERT INTO change_requests (id, agreement_number, account_csn, old_partners, new_partner_csn, status, \
         requested_by, created_at, due_at) VALUES ('{id}', '{agreement}', '{account}', '[]', '{partner}', \
         '{status}', '{by}', 1, 2)"
    )
}

/// A second person with the seeded admin's email.
pub const SAME_EMAIL: &str = "INSERT INTO users (id, email, name, role, account_csn, lang, created_at) \
     VALUES ('u2', 'a@a.example', 'B', 'user', '7000000001', 'de', 1)";

/// A second primary admin for the seeded account.
pub const SECOND_PRIMARY: &str = "INSERT INTO users (id, email, name, role, account_csn, lang, created_at) \
     VALUES ('u3', 'b@a.example', 'B', 'primary_admin', '7000000001', 'de', 1)";

/// Change requests for the seeded contract that each refer to one thing
/// that does not exist (agreement, account, new partner, requester): the
/// database must refuse every one.
pub fn orphan_requests() -> [String; 4] {
    let orphan = |id, agreement, account, partner, by| {
        insert_request(id, agreement, account, partner, by, "pending")
    };
    [
        orphan("o1", "119999999999", "7000000001", "5100000001", "u1"),
        orphan("o2", "110000000001", "7999999999", "5100000001", "u1"),
        orphan("o3", "110000000001", "7000000001", "5199999999", "u1"),
        orphan("o4", "110000000001", "7000000001", "5100000001", "nobody"),
    ]
}

/// #16: who may take over a running Idempotency-Key claim. `me`, `dead`
/// and `live` are three stores over one database, as three processes
/// would open it: `dead` never beats (a process killed before its first
/// beat), `live` has just beaten; `end_live_beat` then makes `live`'s beat
/// lapse (a beating process that died). `pinned` is an injected clock far
/// from real time: the decision must not depend on it.
pub async fn claims_of_processes_that_died_are_taken_over(
    me: &dyn kontor_core::store::Store,
    dead: &dyn kontor_core::store::Store,
    live: &dyn kontor_core::store::Store,
    pinned: time::OffsetDateTime,
    end_live_beat: impl AsyncFnOnce(),
) {
    use kontor_core::domain::roles::UserId;
    use kontor_core::store::{Claim, IdempotencyKey};
    let key = |k: &str| IdempotencyKey {
        user: UserId(uuid::Uuid::nil()),
        scope: "partner_change".into(),
        key: k.into(),
        fingerprint: "fp".into(),
        attempt: uuid::Uuid::now_v7(),
    };
    let stale = pinned - time::Duration::seconds(45);
    assert_eq!(
        dead.claim_key(&key("k1"), pinned, stale).await.unwrap(),
        Claim::Started
    );
    // The pinned clock says the claim is brand new: the owner decides.
    assert_eq!(
        me.claim_key(&key("k1"), pinned, stale).await.unwrap(),
        Claim::Started,
        "a claim of a process that does not beat is taken over at once"
    );
    assert_eq!(
        dead.claim_key(&key("k1"), pinned, stale).await.unwrap(),
        Claim::InFlight,
        "the one who took it over beats"
    );
    assert_eq!(
        me.claim_key(&key("k1"), pinned, stale).await.unwrap(),
        Claim::InFlight,
        "a process's own running claim is in flight"
    );
    live.heartbeat().await.unwrap();
    let k2 = key("k2");
    assert_eq!(
        live.claim_key(&k2, pinned, stale).await.unwrap(),
        Claim::Started
    );
    // Even with the clock an hour on, a live owner's claim stays its own.
    let later = pinned + time::Duration::hours(1);
    assert_eq!(
        me.claim_key(&key("k2"), later, later - time::Duration::seconds(45))
            .await
            .unwrap(),
        Claim::InFlight
    );
    // Another attempt's release or answer does not touch the claim: a late
    // release of an earlier attempt cannot free a retry's running claim.
    me.release_key(&key("k2")).await.unwrap();
    me.complete_key(&key("k2"), 500, b"other", pinned)
        .await
        .unwrap();
    assert_eq!(
        me.claim_key(&key("k2"), pinned, stale).await.unwrap(),
        Claim::InFlight
    );
    // The claim's own attempt finishes it; the answer is replayed to anyone.
    live.complete_key(&k2, 202, b"{}", pinned).await.unwrap();
    assert_eq!(
        me.claim_key(&key("k2"), pinned, stale).await.unwrap(),
        Claim::Replay {
            status: 202,
            body: b"{}".to_vec()
        }
    );
    // A claim of a process that beat and then stopped is taken over too.
    let k3 = key("k3");
    assert_eq!(
        live.claim_key(&k3, pinned, pinned).await.unwrap(),
        Claim::Started
    );
    assert_eq!(
        me.claim_key(&key("k3"), pinned, pinned).await.unwrap(),
        Claim::InFlight
    );
    end_live_beat().await;
    assert_eq!(
        me.claim_key(&key("k3"), pinned, pinned).await.unwrap(),
        Claim::Started
    );
}

/// Asserts that the unique violations callers tell apart map to their
/// named conflicts: a second person with the same email, a second
/// primary admin of an account (the errors of [`SAME_EMAIL`] and
/// [`SECOND_PRIMARY`]).
pub fn assert_named_conflicts(same_email: sqlx::Error, second_primary: sqlx::Error) {
    use kontor_core::StoreError;
    assert!(matches!(
        crate::errors::map_err(same_email),
        StoreError::Conflict("email")
    ));
    assert!(matches!(
        crate::errors::map_err(second_primary),
        StoreError::Conflict("primary_admin")
    ));
}

/// The statement that makes a process's beat lapse, for the tests above.
pub const END_BEAT_OF_LIVE: &str = "UPDATE _instances SET alive_until = 0 WHERE id = 'live'";
