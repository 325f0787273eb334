//! The demo data set: every case of R3–R6 relative to today, two customer
//! accounts with all three customer roles, partners with staff, vendor staff.

use anyhow::Context;
use kontor_core::domain::audit::{AuditAction, AuditEntry, By};
use kontor_core::domain::eligibility::today;
use kontor_core::domain::ids::AgreementNumber;
use kontor_core::service::Services;
use kontor_core::service::import::ImportFailure;
use serde_json::{Value, json};
use time::Duration;

use crate::auth::Argon2Hasher;
use crate::import_file::{ImportFormat, import_file};

/// Password of every demo login.
pub const DEMO_PASSWORD: &str = "kontor-demo";

/// Demo logins: (email, role, what they show).
pub const LOGINS: &[(&str, &str, &str)] = &[
    (
        "anna@muster.example",
        "primary_admin",
        "Muster Bau AG (7000000001)",
    ),
    ("bernd@muster.example", "secondary_admin", "Muster Bau AG"),
    (
        "carla@muster.example",
        "user",
        "Muster Bau AG, sees 110000000001 only",
    ),
    (
        "dora@example-ltd.example",
        "primary_admin",
        "Example Ltd (7000000002)",
    ),
    ("ed@example-ltd.example", "secondary_admin", "Example Ltd"),
    ("fay@example-ltd.example", "user", "Example Ltd"),
    (
        "paul@cad-partner.example",
        "partner_admin",
        "CAD Partner GmbH (5100000001)",
    ),
    (
        "pia@cad-partner.example",
        "partner_agent",
        "CAD Partner GmbH",
    ),
    (
        "ben@bim-solutions.example",
        "partner_admin",
        "BIM Solutions AG (5100000002)",
    ),
    ("sam@vendor.example", "support_agent", "vendor support"),
    ("olga@vendor.example", "operator", "vendor operator"),
];

fn agreement(
    number: &str,
    account: &str,
    end_in_days: i64,
    partners: &[&str],
    extra: Value,
    services: &Services,
) -> Value {
    let today = today(services.clock.now());
    let end = today + Duration::days(end_in_days);
    // One-year terms, but never starting in the future (long terms began earlier).
    let start = (end - Duration::days(364)).min(today - Duration::days(65));
    let kind = if number.len() == 12 {
        "contract"
    } else {
        "subscription"
    };
    let mut a = json!({
        "number": number, "kind": kind, "account": account,
        "products": [{"name": "AutoCAD", "seats": 5}, {"name": "Revit", "seats": 2}],
        "term_start": start.to_string(), "term_end": end.to_string(),
        "auto_renew": false, "program": "standard", "support_level": "advanced",
        "status": if end_in_days < 0 { "expired" } else { "active" }, "partners": partners,
    });
    if let (Some(a), Some(extra)) = (a.as_object_mut(), extra.as_object()) {
        a.extend(extra.clone());
    }
    a
}

fn user(email: &str, name: &str, role: &str, lang: &str) -> Value {
    json!({ "email": email, "name": name, "role": role, "lang": lang, "password": DEMO_PASSWORD })
}

/// The demo document in the import format.
pub fn document(s: &Services) -> Value {
    let m = "7000000001";
    let e = "7000000002";
    json!({
        "partners": [
            {"csn": "5100000001", "name": "CAD Partner GmbH", "city": "München", "country": "DE", "status": "active", "email": "orders@cad-partner.example"},
            {"csn": "5100000002", "name": "BIM Solutions AG", "city": "Berlin", "country": "DE", "status": "active", "email": "hello@bim-solutions.example"},
            {"csn": "5100000003", "name": "Altpartner KG", "city": "Köln", "country": "DE", "status": "inactive", "email": "info@altpartner.example"},
            {"csn": "5100000004", "name": "Design Systems Ltd", "city": "London", "country": "GB", "status": "active", "email": "sales@design-systems.example"}
        ],
        "accounts": [
            {"csn": m, "name": "Muster Bau AG", "country": "DE", "users": [
                user("anna@muster.example", "Anna Admin", "primary_admin", "de"),
                user("bernd@muster.example", "Bernd Zweitadmin", "secondary_admin", "de"),
                user("carla@muster.example", "Carla Nutzerin", "user", "de")]},
            {"csn": e, "name": "Example Ltd", "country": "GB", "users": [
                user("dora@example-ltd.example", "Dora Admin", "primary_admin", "en"),
                user("ed@example-ltd.example", "Ed Deputy", "secondary_admin", "en"),
                user("fay@example-ltd.example", "Fay User", "user", "en")]}
        ],
        "users": [
            {"email": "paul@cad-partner.example", "name": "Paul Partner", "role": "partner_admin", "lang": "de", "partner": "5100000001", "password": DEMO_PASSWORD},
            {"email": "pia@cad-partner.example", "name": "Pia Agentin", "role": "partner_agent", "lang": "de", "partner": "5100000001", "password": DEMO_PASSWORD},
            {"email": "ben@bim-solutions.example", "name": "Ben BIM", "role": "partner_admin", "lang": "de", "partner": "5100000002", "password": DEMO_PASSWORD},
            {"email": "sam@vendor.example", "name": "Sam Support", "role": "support_agent", "lang": "en", "vendor": true, "password": DEMO_PASSWORD},
            {"email": "olga@vendor.example", "name": "Olga Operator", "role": "operator", "lang": "en", "vendor": true, "password": DEMO_PASSWORD}
        ],
        "agreements": [
            agreement("110000000001", m, 400, &["5100000001"], json!({}), s),
            agreement("110000000002", m, 200, &["5100000001"], json!({"auto_renew": true}), s),
            agreement("110000000003", m, 300, &["5100000001"], json!({"program": "eba_token_flex", "support_level": "premium"}), s),
            agreement("110000000004", m, -10, &["5100000001"], json!({}), s),
            agreement("110000000005", m, 0, &["5100000001"], json!({}), s),
            agreement("110000000006", m, 30, &["5100000001"], json!({}), s),
            agreement("110000000007", m, 90, &["5100000001"], json!({}), s),
            agreement("110000000008", m, 91, &["5100000001"], json!({"support_level": "standard"}), s),
            agreement("110000000009", m, 300, &["5100000001"], json!({"status": "canceled"}), s),
            agreement("110000000010", m, 300, &["5100000001"], json!({"status": "suspended"}), s),
            agreement("110000000011", m, 500, &["5100000001", "5100000002"], json!({}), s),
            agreement("110000000012", m, 20, &["5100000001"], json!({"auto_renew": true, "status": "suspended"}), s),
            agreement("12000000000001", m, 250, &["5100000001"], json!({}), s),
            agreement("12000000000002", m, 250, &["5100000002"], json!({"auto_renew": true}), s),
            agreement("110000000101", e, 365, &["5100000004"], json!({"support_level": "premium"}), s),
            agreement("12000000000101", e, 180, &["5100000004"], json!({}), s)
        ]
    })
}

/// Loads the demo data (idempotent: loading twice changes nothing).
pub async fn load(services: &Services) -> anyhow::Result<()> {
    let doc = serde_json::to_vec(&document(services))?;
    match import_file(
        services,
        &Argon2Hasher,
        ImportFormat::Json,
        std::io::Cursor::new(doc),
        By::System("demo"),
        |_| {},
    )
    .await
    {
        Ok(_) => {}
        Err(ImportFailure::Invalid { errors, .. }) => {
            anyhow::bail!("demo data invalid: {errors:?}")
        }
        Err(ImportFailure::Store(e)) => return Err(e).context("failed to load demo data"),
    }
    // Carla (a `user`) sees one agreement; Fay sees one of hers.
    for (email, number) in [
        ("carla@muster.example", "110000000001"),
        ("fay@example-ltd.example", "110000000101"),
    ] {
        let u = services
            .store
            .user_by_email(email)
            .await?
            .context("demo user missing")?;
        let n = AgreementNumber::parse(number).map_err(|e| anyhow::anyhow!("{e}"))?;
        let audit = AuditEntry::new(
            services.clock.now(),
            By::System("demo"),
            AuditAction::RoleChanged,
        )
        .change(json!(null), json!({ "user": email, "sees": number }));
        services
            .store
            .assign_agreement(u.actor.user_id, &n, &audit)
            .await?;
    }
    Ok(())
}

/// The login table printed on start.
pub fn logins_text(base: &str) -> String {
    let mut s = format!(
        "\nkontor demo is running at {base}\nAPI docs: {base}/api/docs\n\nDemo logins (password \"{DEMO_PASSWORD}\"):\n"
    );
    for (email, role, what) in LOGINS {
        s.push_str(&format!("  {email:<28} {role:<16} {what}\n"));
    }
    s.push_str(&format!(
        "\nGet an API token:\n  curl -s -X POST {base}/api/v1/tokens -H 'content-type: application/json' \\\n    -d '{{\"email\":\"anna@muster.example\",\"password\":\"{DEMO_PASSWORD}\"}}'\n"
    ));
    s
}
