//! Billing and orders › Subscriptions and contracts: the list and one agreement.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kontor_core::domain::agreement::{Agreement, AgreementStatus};
use kontor_core::domain::change_request::ChangeRequest;
use kontor_core::domain::eligibility::{Eligibility, ReasonCode, today};
use kontor_core::domain::ids::{AgreementKind, AgreementNumber, Csn};
use kontor_core::domain::permissions::Permission;
use kontor_core::store::{AgreementFilter, AgreementOrder, AuditFilter};
use serde::Deserialize;

use super::Chrome;
use super::error::PageError;
use super::session::{SignedIn, url_escape};
use crate::i18n::Tr;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/agreements", get(list))
        .route("/agreements/{number}", get(detail))
        .route("/agreements/{number}/partner-history.csv", get(history_csv))
        .route("/agreements/{number}/audit.csv", get(audit_csv))
}

/// "Contract" / "Vertrag" etc.
pub fn kind_label(tr: Tr, kind: AgreementKind) -> String {
    tr.t(&format!("kind-{}", kind.as_str()))
}

/// A partner as "Name (CSN)", falling back to the CSN.
pub async fn partner_label(state: &AppState, csn: &Csn) -> String {
    match state.services.partner(csn).await {
        Ok(Some(p)) => format!("{} ({}, {})", p.name, p.city, p.csn),
        _ => csn.to_string(),
    }
}

/// One row of the agreement list.
pub struct Row {
    pub number: String,
    pub account: String,
    pub number_label: String,
    pub status: String,
    /// The status's code, for the badge's colour.
    pub status_code: &'static str,
    pub term_end: String,
    pub days_left: String,
    pub auto_renew: String,
    pub partners: Vec<String>,
    pub support: String,
    /// "Revit (50 Plätze)" per product line.
    pub products: Vec<String>,
}

/// A row; `account` is the account's label where the page shows it.
pub async fn row(state: &AppState, tr: Tr, a: &Agreement, account: String) -> Row {
    let days = a.days_left(today(state.services.clock.now()));
    let mut partners = Vec::with_capacity(a.partners.len());
    for p in &a.partners {
        partners.push(partner_label(state, p).await);
    }
    Row {
        number: a.number.to_string(),
        account,
        number_label: tr.t(&format!("number-{}", a.kind().as_str())),
        status: tr.t(&format!("status-{}", a.status.as_str())),
        status_code: a.status.as_str(),
        term_end: tr.date(a.term_end),
        days_left: if days < 0 {
            tr.tn("days-expired", "days", -days)
        } else {
            tr.tn("days-left", "days", days)
        },
        auto_renew: tr.t(if a.auto_renew { "yes" } else { "no" }),
        partners,
        support: tr.t(&format!("support-{}", a.support_level.as_str())),
        products: a
            .products
            .iter()
            .map(|p| {
                tr.ta(
                    "wizard-product",
                    &[
                        ("name", p.name.clone().into()),
                        ("seats", i64::from(p.seats).into()),
                    ],
                )
            })
            .collect(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/agreements.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    /// Vendor staff and partners see agreements of several accounts.
    show_account: bool,
    kind: String,
    status: String,
    q: String,
    /// The partner filter's choices (customers only): (CSN, "Name (CSN)").
    partners: Vec<(String, String)>,
    partner: String,
    /// The account the list is narrowed to (vendor staff), kept in the form.
    account: String,
    /// That account as "Name (CSN)".
    account_name: Option<String>,
    /// The sortable columns' headers.
    by_number: SortHeader,
    by_term_end: SortHeader,
    next: Option<String>,
    /// An admin of the account: rows can be chosen for a bulk change (#22).
    bulk: bool,
    /// Why nothing was started from the list's choice.
    bulk_error: Option<String>,
}

/// A column header that sorts the list: where it leads and how the list
/// is sorted by it now.
struct SortHeader {
    href: String,
    /// `ascending` or `descending` (`aria-sort`) when the list is sorted
    /// by this column.
    sorted: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    kind: Option<String>,
    status: Option<String>,
    q: Option<String>,
    partner: Option<String>,
    /// Vendor staff: one account's agreements (from its directory page).
    account: Option<String>,
    sort: Option<String>,
    /// Back from a bulk change that could not start: `none` or `many`.
    bulk: Option<String>,
    after: Option<String>,
    /// With `sort` by term end: the previous page's last term end.
    after_end: Option<String>,
}

/// The filters as the list's links carry them (without the cursor).
struct Filters {
    kind: String,
    status: String,
    q: String,
    partner: String,
    account: String,
}

impl Filters {
    fn link(&self, order: AgreementOrder) -> String {
        format!(
            "/agreements?kind={}&status={}&partner={}&account={}&q={}&sort={}",
            self.kind,
            self.status,
            self.partner,
            self.account,
            url_escape(&self.q),
            url_escape(order.as_str()),
        )
    }

    /// The header of the column sorted by `asc` (or `desc`): it reverses
    /// the list's order when the list is sorted by it, else sorts by it.
    fn header(&self, now: AgreementOrder, asc: AgreementOrder, desc: AgreementOrder) -> SortHeader {
        let (target, sorted) = if now == asc {
            (desc, Some("ascending"))
        } else if now == desc {
            (asc, Some("descending"))
        } else {
            (asc, None)
        };
        SortHeader {
            href: self.link(target),
            sorted,
        }
    }
}

const PAGE_SIZE: u32 = 25;

async fn list(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let order = q
        .sort
        .as_deref()
        .and_then(AgreementOrder::parse)
        .unwrap_or_default();
    let partner = q.partner.as_deref().and_then(|p| Csn::parse(p).ok());
    let account = q.account.as_deref().and_then(|a| Csn::parse(a).ok());
    let filter = AgreementFilter {
        account: account.clone(),
        kind: q.kind.as_deref().and_then(AgreementKind::parse),
        status: q.status.as_deref().and_then(AgreementStatus::parse),
        partner: partner.clone(),
        q: q.q
            .clone()
            .filter(|t| !t.trim().is_empty() && t.chars().count() <= 100),
        order,
        after: q
            .after
            .as_deref()
            .and_then(|a| AgreementNumber::parse(a).ok()),
        after_term_end: q.after_end.as_deref().and_then(parse_date),
        limit: PAGE_SIZE,
    };
    let items = state
        .services
        .agreements(&me.actor, &filter)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    // Customers see only their own account's agreements: no account column,
    // and a choice of the partners serving them.
    let show_account = me.actor.account().is_none();
    let partners = if show_account {
        Vec::new()
    } else {
        state
            .services
            .serving_partners(&me.actor)
            .await
            .map_err(|e| PageError::from_core(e, tr))?
            .iter()
            .map(|(csn, name)| (csn.to_string(), format!("{name} ({csn})")))
            .collect()
    };
    let mut accounts = HashMap::new();
    let mut rows = Vec::with_capacity(items.len());
    for a in &items {
        let account = if show_account {
            account_label(&state, &mut accounts, &a.account).await
        } else {
            String::new()
        };
        rows.push(row(&state, tr, a, account).await);
    }
    let filters = Filters {
        kind: filter
            .kind
            .map(|k| k.as_str().to_owned())
            .unwrap_or_default(),
        status: filter
            .status
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
        q: q.q.clone().unwrap_or_default(),
        partner: partner.map(|p| p.to_string()).unwrap_or_default(),
        account: account.map(|a| a.to_string()).unwrap_or_default(),
    };
    let next = next_page(&items, &filters, order);
    let page = ListPage {
        c: Chrome::new(&me, "agreements", "/agreements"),
        rows,
        show_account,
        by_number: filters.header(order, AgreementOrder::Number, AgreementOrder::NumberDesc),
        by_term_end: filters.header(order, AgreementOrder::TermEnd, AgreementOrder::TermEndDesc),
        kind: filters.kind,
        status: filters.status,
        q: filters.q,
        partners,
        partner: filters.partner,
        account_name: match &filter.account {
            Some(csn) => Some(account_label(&state, &mut accounts, csn).await),
            None => None,
        },
        account: filters.account,
        next,
        bulk: me.actor.account().is_some_and(|a| me.actor.is_admin_of(a)),
        bulk_error: match q.bulk.as_deref() {
            Some("none") => Some(tr.t("bulk-none-chosen")),
            Some("many") => Some(tr.t1(
                "bulk-too-many",
                "max",
                &kontor_core::domain::bulk_run::MAX_AGREEMENTS.to_string(),
            )),
            _ => None,
        },
    };
    Ok(page.into_response())
}

fn parse_date(raw: &str) -> Option<time::Date> {
    time::Date::parse(
        raw,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// The link to the page after a full one, with the same filters and order.
fn next_page(items: &[Agreement], filters: &Filters, order: AgreementOrder) -> Option<String> {
    if items.len() != PAGE_SIZE as usize {
        return None;
    }
    let last = items.last()?;
    Some(format!(
        "{}&after={}&after_end={}",
        filters.link(order),
        last.number,
        last.term_end
    ))
}

/// "Name (CSN)" of an account, looked up once per page in `known`, not per row.
pub async fn account_label(
    state: &AppState,
    known: &mut HashMap<Csn, String>,
    csn: &Csn,
) -> String {
    if let Some(label) = known.get(csn) {
        return label.clone();
    }
    let label = match state.services.account(csn).await {
        Ok(Some(acc)) => format!("{} ({})", acc.name, acc.csn),
        _ => csn.to_string(),
    };
    known.insert(csn.clone(), label.clone());
    label
}

/// One entry of the partner history as shown.
pub struct HistoryView {
    pub partner: String,
    pub from: String,
    pub to: String,
    pub source: String,
}

/// One audit entry as shown.
pub struct AuditView {
    pub when: String,
    pub who: String,
    pub what: String,
}

/// A reason why the change is not possible, as shown.
pub struct ReasonView {
    pub code: String,
    pub message: String,
    pub possible_from: Option<String>,
    /// What the person can do about it, where kontor has a page for it:
    /// (label, link).
    pub action: Option<(String, String)>,
    /// The help article that explains it.
    pub help: String,
}

/// The page that helps with a reason, if kontor has one (#18: a blocked
/// reason ends in an action). Renewals and help articles come with #22
/// and #20.
fn reason_action(tr: Tr, code: ReasonCode, number: &str) -> Option<(String, String)> {
    match code {
        ReasonCode::NotActive | ReasonCode::TokenFlexEba => {
            Some((tr.t("reason-action-support"), "/support-levels".to_owned()))
        }
        ReasonCode::ChangePending => Some((
            tr.t("reason-action-pending"),
            format!("/agreements/{number}#pending-h"),
        )),
        ReasonCode::RenewalScheduled => Some((
            tr.t("reason-action-renewal"),
            format!("/agreements/{number}#renewal-h"),
        )),
        ReasonCode::TransferCodeRequired => Some((
            tr.t("codes-link"),
            format!("/account/transfer-codes?agreement={number}"),
        )),
        _ => None,
    }
}

/// The reasons in the person's language. A date from which a reason no
/// longer holds is shown when it lies ahead: "possible from today" (a
/// pending change due within the hour) says nothing the reason does not.
pub fn reason_views(
    help: &kontor_help::HelpCenter,
    tr: Tr,
    reasons: &[kontor_core::domain::eligibility::Reason],
    window: i64,
    today: time::Date,
    number: &str,
) -> Vec<ReasonView> {
    reasons
        .iter()
        .map(|r| ReasonView {
            code: r.code.as_str().to_owned(),
            message: r.code.message(tr.lang, window),
            possible_from: r
                .possible_from
                .filter(|d| *d > today)
                .map(|d| tr.t1("possible-from", "date", &tr.date(d))),
            action: reason_action(tr, r.code, number),
            help: format!("/help/{}", crate::assistant::reason_article(help, r.code)),
        })
        .collect()
}

/// The open request as shown.
pub struct PendingView {
    pub id: String,
    pub text: String,
    pub can_withdraw: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/agreement.html")]
struct DetailPage {
    c: Chrome,
    title: String,
    r: Row,
    products: Vec<(String, u32)>,
    term: String,
    program: String,
    history: Vec<HistoryView>,
    audit: Option<Vec<AuditView>>,
    pending: Option<PendingView>,
    is_admin: bool,
    is_customer: bool,
    eligible: bool,
    reasons: Vec<ReasonView>,
    /// The partner named for the next renewal, as a sentence (#22).
    renewal: Option<String>,
    /// An admin may name (or replace) the partner for the renewal.
    renewal_offer: bool,
    flash: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct DetailQuery {
    flash: Option<String>,
}

async fn detail(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Query(q): Query<DetailQuery>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let n = AgreementNumber::parse(&raw).map_err(|_| PageError::not_found(tr))?;
    let (s, e) = state
        .services
        .eligibility(&me.actor, &n)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let a = &s.agreement;
    let history = history_views(&state, &me, &n).await?;
    let audit = if me.actor.may(Permission::ReadAudit) {
        Some(audit_views(&state, &me, &n).await?)
    } else {
        None
    };
    let pending = match &s.open_request {
        Some(r) => Some(pending_view(&state, &me, r).await),
        None => None,
    };
    let window = state.services.policy.expiry_window_days;
    let renewal = match &s.renewal_partner {
        Some(r) => Some(tr.ta(
            "renewal-scheduled",
            &[
                ("date", tr.date(r.renews_on()).into()),
                (
                    "partner",
                    partner_label(&state, &r.new_partner).await.into(),
                ),
            ],
        )),
        None => None,
    };
    let renewal_offer = state.services.renewal_option_of(&me.actor, &s).available;
    let page = DetailPage {
        c: Chrome::new(&me, "agreements", &format!("/agreements/{n}")).about(n.as_str()),
        title: tr.ta(
            "agreement-title",
            &[
                ("kind", kind_label(tr, a.kind()).into()),
                ("number", n.to_string().into()),
            ],
        ),
        r: row(&state, tr, a, String::new()).await,
        products: a
            .products
            .iter()
            .map(|p| (p.name.clone(), p.seats))
            .collect(),
        term: term_label(tr, a),
        program: tr.label("program", a.program.as_str()),
        history,
        audit,
        pending,
        is_admin: me.actor.is_admin_of(&a.account),
        is_customer: me.actor.account().is_some(),
        eligible: e.eligible,
        reasons: reasons_to_show(
            &state.help,
            tr,
            &e,
            window,
            state.services.clock.now().date(),
            a.number.as_str(),
        ),
        renewal,
        renewal_offer,
        flash: q.flash.as_deref().and_then(|f| match f {
            "withdrawn" => Some(tr.t("withdrawn-flash")),
            "renewal-named" => Some(tr.t("renewal-named-flash")),
            "renewal-same" => Some(tr.t("renewal-same-flash")),
            "renewal-withdrawn" => Some(tr.t("renewal-withdrawn-flash")),
            _ => None,
        }),
    };
    Ok(page.into_response())
}

/// The term as "1 January 2026 to 31 December 2027", in the person's language.
pub fn term_label(tr: Tr, a: &Agreement) -> String {
    tr.ta(
        "term-range",
        &[
            ("start", tr.date(a.term_start).into()),
            ("end", tr.date(a.term_end).into()),
        ],
    )
}

/// Why the partner cannot be changed now. A `user` is told to ask their
/// administrator instead of seeing that they may not.
fn reasons_to_show(
    help: &kontor_help::HelpCenter,
    tr: Tr,
    e: &Eligibility,
    window: i64,
    today: time::Date,
    number: &str,
) -> Vec<ReasonView> {
    let reasons: Vec<_> = e
        .reasons
        .iter()
        .filter(|r| r.code != ReasonCode::NotPermitted)
        .cloned()
        .collect();
    reason_views(help, tr, &reasons, window, today, number)
}

/// The agreement's partners over time, as shown.
async fn history_views(
    state: &AppState,
    me: &SignedIn,
    n: &AgreementNumber,
) -> Result<Vec<HistoryView>, PageError> {
    let tr = me.tr;
    let history = state
        .services
        .partner_history(&me.actor, n)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    Ok(history
        .iter()
        .map(|h| HistoryView {
            partner: format!("{} ({})", h.partner_name, h.partner),
            from: tr.datetime(h.valid_from),
            to: h
                .valid_to
                .map(|t| tr.datetime(t))
                .unwrap_or_else(|| tr.t("history-current")),
            source: tr.t(&format!("source-{}", h.source.as_str())),
        })
        .collect())
}

/// The agreement's latest audit entries, as shown.
async fn audit_views(
    state: &AppState,
    me: &SignedIn,
    n: &AgreementNumber,
) -> Result<Vec<AuditView>, PageError> {
    let tr = me.tr;
    let filter = AuditFilter {
        account: None,
        action: None,
        agreement: Some(n.clone()),
        after: None,
        limit: 200,
    };
    let entries = state
        .services
        .audit(&me.actor, &filter)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    Ok(entries
        .iter()
        .map(|r| AuditView {
            when: tr.datetime(r.entry.at),
            who: tr.actor(&r.entry.actor),
            what: tr.t(&format!("audit-{}", r.entry.action.as_str())),
        })
        .collect())
}

/// The open request, as shown.
async fn pending_view(state: &AppState, me: &SignedIn, r: &ChangeRequest) -> PendingView {
    let partner = partner_label(state, &r.new_partner).await;
    PendingView {
        id: r.id.to_string(),
        text: me.tr.ta(
            "pending-text",
            &[
                ("partner", partner.into()),
                ("replaced", (r.old_partners.len() as i64).into()),
                (
                    "when",
                    me.tr
                        .datetime_near(r.due_at, state.services.clock.now())
                        .into(),
                ),
            ],
        ),
        can_withdraw: me.actor.is_admin_of(&r.account),
    }
}

/// Partner history as a CSV download (the same columns as the API's).
async fn history_csv(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let n = AgreementNumber::parse(&raw).map_err(|_| PageError::not_found(tr))?;
    let history = state
        .services
        .partner_history(&me.actor, &n)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let items = history.iter().map(Into::into).collect();
    crate::web::csv::history_csv(&n, items, crate::web::csv::Columns::Words(tr))
        .map_err(|_| PageError::internal(anyhow::anyhow!("csv"), tr))
}

/// The agreement's audit entries as a CSV download (admins and vendor staff).
async fn audit_csv(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let n = AgreementNumber::parse(&raw).map_err(|_| PageError::not_found(tr))?;
    state
        .services
        .agreement(&me.actor, &n)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    if !me.actor.may(Permission::ReadAudit) {
        return Err(PageError::forbidden(tr));
    }
    let filter = AuditFilter {
        account: None,
        action: None,
        agreement: Some(n.clone()),
        after: None,
        limit: 10_000,
    };
    let entries = state
        .services
        .audit(&me.actor, &filter)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let items = entries.iter().map(Into::into).collect();
    crate::web::csv::audit_csv(
        &format!("audit-{n}.csv"),
        items,
        crate::web::csv::Columns::Words(tr),
    )
    .map_err(|_| PageError::internal(anyhow::anyhow!("csv"), tr))
}
