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

/// Delivery ids, claims and webhook endpoints of [`claimed_deliveries`].
pub mod claimed {
    pub const D1: &str = "00000000-0000-7000-8000-0000000000d1";
    pub const D2: &str = "00000000-0000-7000-8000-0000000000d2";
    pub const D3: &str = "00000000-0000-7000-8000-0000000000d3";
    pub const D4: &str = "00000000-0000-7000-8000-0000000000d4";
    pub const D5: &str = "00000000-0000-7000-8000-0000000000d5";
    pub const E1: &str = "00000000-0000-7000-8000-0000000000e1";
    pub const E2: &str = "00000000-0000-7000-8000-0000000000e2";
    /// The claim each delivery is held under: `c` followed by its number.
    pub fn claim(n: u8) -> String {
        format!("00000000-0000-7000-8000-0000000000c{n}")
    }
}

/// Two sent outbox messages and five deliveries of them, each claimed under
/// its own claim: `D1` and `D2` mails, `D3` to endpoint `E1` (healthy), `D4`
/// and `D5` to `E2` (failing since 5 ms after the epoch).
pub fn claimed_deliveries() -> Vec<String> {
    use claimed::*;
    let payload = r#"{"kind":"password_reset","event_id":"00000000-0000-7000-8000-0000000000ee","recipients":[],"link":"x","expires_at":"2026-01-01T00:00:00Z"}"#;
    let outbox = |id: &str| {
        format!(
            "INSERT INTO outbox (id, kind, payload, next_attempt_at, created_at, status) \
             VALUES ('{id}', 'password_reset', '{payload}', 1, 1, 'delivered')"
        )
    };
    let mut rows = vec![
        outbox("o1"),
        outbox("o2"),
        format!(
            "INSERT INTO webhook_endpoints (id, url, secret, created_at, updated_at) \
             VALUES ('{E1}', 'https://e1.example/', 's', 1, 1)"
        ),
        format!(
            "INSERT INTO webhook_endpoints (id, url, secret, failing_since, created_at, updated_at) \
             VALUES ('{E2}', 'https://e2.example/', 's', 5, 1, 1)"
        ),
    ];
    // An endpoint gets one delivery of a message: D5 is of a second one.
    for (n, id, endpoint, message) in [
        (1, D1, None, "o1"),
        (2, D2, None, "o1"),
        (3, D3, Some(E1), "o1"),
        (4, D4, Some(E2), "o1"),
        (5, D5, Some(E2), "o2"),
    ] {
        let (channel, recipient, endpoint) = match endpoint {
            None => (
                "email",
                format!(r#"'{{"to":"r{n}@a.example","lang":"de","role":"account_admin"}}'"#),
                "NULL".to_owned(),
            ),
            Some(e) => ("webhook", "NULL".to_owned(), format!("'{e}'")),
        };
        rows.push(format!(
            "INSERT INTO deliveries (id, outbox_id, channel, recipient, endpoint_id, attempts, next_attempt_at, \
             claim, created_at) VALUES ('{id}', '{message}', '{channel}', {recipient}, {endpoint}, 1, 100, '{}', 1)",
            claimed::claim(n)
        ));
    }
    rows
}

/// A batch of attempt results is recorded under each delivery's claim:
/// its new state only under the claim it holds (a late answer under an
/// earlier claim changes nothing), every attempt in the log, and each
/// endpoint's run of failures started by its first failure or ended by a
/// success in the batch. `store` holds [`claimed_deliveries`].
pub async fn attempts_are_recorded_under_their_claims(store: &dyn kontor_core::store::Store) {
    use claimed::*;
    use kontor_core::domain::delivery::DeliveryStatus;
    use kontor_core::store::{AttemptNext, AttemptResult};
    let uuid = |s: &str| uuid::Uuid::parse_str(s).unwrap();
    let at = |ms: i64| {
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap()
    };
    let result = |id: &str, claim: String, at_ms: i64, error: Option<&str>, next| AttemptResult {
        id: uuid(id),
        claim: uuid(&claim),
        at: at(at_ms),
        status_code: Some(if error.is_none() { 250 } else { 500 }),
        latency_ms: 20,
        error: error.map(str::to_owned),
        next,
    };
    store
        .finish_deliveries(&[
            result(D1, claimed::claim(1), 1000, None, AttemptNext::Delivered),
            // An answer under a claim D2 no longer holds.
            result(D2, claimed::claim(9), 1000, Some("late"), AttemptNext::Dead),
            result(
                D3,
                claimed::claim(3),
                2000,
                Some("timeout"),
                AttemptNext::RetryAt(at(5000)),
            ),
            result(D4, claimed::claim(4), 3000, Some("gone"), AttemptNext::Dead),
            result(D5, claimed::claim(5), 3500, None, AttemptNext::Delivered),
        ])
        .await
        .unwrap();
    let delivery = async |id: &str| store.delivery(uuid(id)).await.unwrap().unwrap();

    let d1 = delivery(D1).await;
    assert_eq!(d1.status, DeliveryStatus::Delivered);
    assert_eq!(d1.delivered_at, Some(at(1020)), "the attempt's end");
    assert_eq!(d1.last_status, Some(250));

    let d2 = delivery(D2).await;
    assert_eq!(
        d2.status,
        DeliveryStatus::Pending,
        "a stale claim changes nothing"
    );
    assert_eq!(d2.next_attempt_at, Some(at(100)));
    assert_eq!(d2.last_error, None);

    let d3 = delivery(D3).await;
    assert_eq!(d3.status, DeliveryStatus::Pending);
    assert_eq!(d3.next_attempt_at, Some(at(5000)));
    assert_eq!(d3.last_error.as_deref(), Some("timeout"));
    assert_eq!(d3.last_status, Some(500));

    assert_eq!(delivery(D4).await.status, DeliveryStatus::Dead);
    assert_eq!(delivery(D5).await.status, DeliveryStatus::Delivered);

    for id in [D1, D2, D3, D4, D5] {
        assert_eq!(
            store.delivery_attempts(uuid(id)).await.unwrap().len(),
            1,
            "every attempt is logged ({id})"
        );
    }
    let endpoint = async |id: &str| store.webhook_endpoint(uuid(id)).await.unwrap().unwrap();
    assert_eq!(
        endpoint(E1).await.failing_since,
        Some(at(2000)),
        "a healthy endpoint's run of failures starts with its first"
    );
    assert_eq!(
        endpoint(E2).await.failing_since,
        None,
        "a success in the batch ends the run"
    );

    // A second answer under D3's claim, released by the first: logged, its
    // endpoint's run keeps its first failure, the delivery stays as it was.
    store
        .finish_deliveries(&[result(
            D3,
            claimed::claim(3),
            6000,
            Some("timeout"),
            AttemptNext::Dead,
        )])
        .await
        .unwrap();
    assert_eq!(endpoint(E1).await.failing_since, Some(at(2000)));
    assert_eq!(delivery(D3).await.status, DeliveryStatus::Pending);
    assert_eq!(store.delivery_attempts(uuid(D3)).await.unwrap().len(), 2);
}
