//! CSV downloads the API and the portal both offer (partner history, audit).

use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use crate::i18n::Tr;

/// How a CSV names its columns and its codes: the API's stable codes, for
/// programs that read it, or the person's words, for the portal's download
/// that someone opens in a spreadsheet (#18).
#[derive(Debug, Clone, Copy)]
pub enum Columns {
    Codes,
    Words(Tr),
}

impl Columns {
    fn header(self, codes: &[&str]) -> Vec<String> {
        codes
            .iter()
            .map(|c| match self {
                Columns::Codes => (*c).to_owned(),
                Columns::Words(tr) => tr.t(&format!("csv-{c}")),
            })
            .collect()
    }

    /// Who did it: as stored, or in words ([`Tr::actor`]).
    fn actor(self, stored: String) -> String {
        match self {
            Columns::Codes => stored,
            Columns::Words(tr) => tr.actor(&stored),
        }
    }

    /// A code's cell: the code, or its label (`{kind}-{code}`).
    fn code(self, kind: &str, code: String) -> String {
        match self {
            Columns::Codes => code,
            Columns::Words(tr) => tr.label(kind, &code),
        }
    }
}

/// A CSV response with a download file name.
pub fn csv_response(filename: &str, rows: Vec<Vec<String>>) -> Result<Response, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(&row)
            .map_err(|e| kontor_core::Error::Internal(e.into()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| kontor_core::Error::Internal(anyhow::anyhow!("{e}")))?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Partner history as the CSV download the API and the portal both offer.
pub fn bulk_run_csv(
    run: &kontor_core::domain::bulk_run::BulkRun,
    columns: Columns,
) -> Result<Response, ApiError> {
    let mut rows = vec![columns.header(&[
        "agreement",
        "outcome",
        "request",
        "request_status",
        "reasons",
    ])];
    for i in &run.items {
        let reasons: Vec<String> = i
            .reasons
            .iter()
            .map(|r| columns.code("reason-label", r.as_str().to_owned()))
            .collect();
        rows.push(vec![
            i.agreement.to_string(),
            i.outcome
                .map(|o| columns.code("bulk-outcome", o.as_str().to_owned()))
                .unwrap_or_default(),
            i.request.map(|r| r.to_string()).unwrap_or_default(),
            i.request_status
                .map(|s| columns.code("request", s.as_str().to_owned()))
                .unwrap_or_default(),
            reasons.join("; "),
        ]);
    }
    csv_response(&format!("bulk-change-{}.csv", run.id), rows)
}

/// Partner history as CSV: one row per assignment, oldest first.
pub fn history_csv(
    number: &kontor_core::domain::ids::AgreementNumber,
    items: Vec<super::dto::HistoryEntryDto>,
    columns: Columns,
) -> Result<Response, ApiError> {
    let mut rows = vec![columns.header(&[
        "agreement",
        "partner",
        "partner_name",
        "valid_from",
        "valid_to",
        "source",
    ])];
    rows.extend(items.into_iter().map(|h| {
        vec![
            number.to_string(),
            h.partner,
            h.partner_name,
            h.valid_from,
            h.valid_to.unwrap_or_default(),
            columns.code("source", h.source),
        ]
    }));
    csv_response(&format!("partner-history-{number}.csv"), rows)
}

/// Audit entries as the CSV download the API and the portal both offer.
pub fn audit_csv(
    filename: &str,
    items: Vec<super::dto::AuditDto>,
    columns: Columns,
) -> Result<Response, ApiError> {
    let mut rows = vec![columns.header(&[
        "seq",
        "at",
        "actor",
        "action",
        "account",
        "agreement",
        "request",
        "before",
        "after",
    ])];
    rows.extend(items.into_iter().map(|e| {
        vec![
            e.seq.to_string(),
            e.at,
            columns.actor(e.actor),
            columns.code("audit", e.action),
            e.account.unwrap_or_default(),
            e.agreement.unwrap_or_default(),
            e.request.unwrap_or_default(),
            e.before.to_string(),
            e.after.to_string(),
        ]
    }));
    csv_response(filename, rows)
}
