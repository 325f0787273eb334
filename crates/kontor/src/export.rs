//! Export in the import format, page by page (so a re-import is a no-op).

use std::io::Write;

use anyhow::Context;
use kontor_core::domain::roles::Tenant;
use kontor_core::service::Services;
use kontor_core::store::{ExportPage, ExportWhat};
use serde_json::{Value, json};

const PAGE: u32 = 1000;

/// Writes `{"partners": […], "accounts": […], "users": […], "agreements": […]}`.
pub async fn export_json(services: &Services, out: &mut impl Write) -> anyhow::Result<()> {
    let mut w = |s: &str| {
        out.write_all(s.as_bytes())
            .context("failed to write export")
    };
    for (i, what) in [
        ExportWhat::Partners,
        ExportWhat::Accounts,
        ExportWhat::Agreements,
    ]
    .into_iter()
    .enumerate()
    {
        let key = match what {
            ExportWhat::Partners => "partners",
            ExportWhat::Accounts => "accounts",
            ExportWhat::Agreements => "agreements",
        };
        w(&format!("{}\"{key}\":[", if i == 0 { "{" } else { "," }))?;
        let mut after = None;
        let mut first = true;
        loop {
            let page = services.export_page(what, after.take(), PAGE).await?;
            let records = page_records(what, &page);
            for r in records {
                if !first {
                    w(",")?;
                }
                first = false;
                w(&serde_json::to_string(&r)?)?;
            }
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        w("]")?;
    }
    w("}\n")
}

/// The records of one page, in the import format; users of accounts
/// without their passwords.
fn page_records(what: ExportWhat, page: &ExportPage) -> Vec<Value> {
    match what {
        ExportWhat::Partners => page
            .partners
            .iter()
            .map(|p| json!({ "csn": p.csn, "name": p.name, "city": p.city, "country": p.country, "status": p.status, "email": p.email }))
            .collect(),
        ExportWhat::Accounts => page
            .accounts
            .iter()
            .map(|(a, users)| {
                let users: Vec<_> = users
                    .iter()
                    .filter(|u| matches!(u.actor.tenant, Tenant::Account(_)))
                    .map(|u| json!({ "email": u.actor.email, "name": u.actor.name, "role": u.actor.role, "lang": u.actor.lang }))
                    .collect();
                json!({ "csn": a.csn, "name": a.name, "country": a.country, "users": users })
            })
            .collect(),
        ExportWhat::Agreements => page
            .agreements
            .iter()
            .map(|a| {
                json!({ "number": a.number, "kind": a.kind(), "account": a.account, "products": a.products,
                    "term_start": a.term_start.to_string(), "term_end": a.term_end.to_string(),
                    "auto_renew": a.auto_renew, "program": a.program, "support_level": a.support_level,
                    "status": a.status, "partners": a.partners })
            })
            .collect(),
    }
}
