//! The vendor's back office: the partner directory (create, edit,
//! deactivate) and the import upload with its per-record error list.
//! Vendor staff read; operators change.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;
use kontor_core::Error;
use kontor_core::domain::audit::{AuditEntry, By};
use kontor_core::domain::ids::Csn;
use kontor_core::domain::permissions::Permission;
use kontor_core::service::directory::PartnerInput;
use kontor_core::service::import::{ImportFailure, ImportReport};
use serde::Deserialize;

use super::Chrome;
use super::error::PageError;
use super::import_errors::ErrorRow;
use super::once;
use super::session::{SignedIn, verify_form};
use crate::i18n::Tr;
use crate::import_file::{ImportFormat, TooLarge, import_upload};
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/back-office/partners", get(list).post(create))
        .route("/back-office/partners/new", get(new_form))
        .route("/back-office/partners/{csn}", get(edit_form).post(update))
        .route(IMPORT, get(import_form).post(import))
        .route("/back-office/audit", get(audit))
}

/// Vendor staff only; others are told so, as by the API's 403 (the back
/// office is no tenant's object whose existence needs hiding).
/// A 403 page unless the person may do `p`.
pub(super) fn require(me: &SignedIn, p: Permission) -> Result<(), PageError> {
    if me.actor.may(p) {
        Ok(())
    } else {
        Err(PageError::forbidden(me.tr))
    }
}

struct PartnerRow {
    csn: String,
    name: String,
    city: String,
    country: String,
    status: String,
    email: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/bo_partners.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<PartnerRow>,
    q: String,
    can_edit: bool,
    flash: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    q: Option<String>,
    saved: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    require(&me, Permission::UseBackOffice)?;
    let tr = me.tr;
    let query = q.q.clone().unwrap_or_default();
    let filter = Some(query.as_str()).filter(|s| !s.trim().is_empty() && s.chars().count() <= 100);
    let partners = state
        .services
        .partners(filter, 200)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let rows = partners
        .into_iter()
        .map(|p| PartnerRow {
            csn: p.csn.to_string(),
            name: p.name,
            city: p.city,
            country: p.country,
            status: tr.t(&format!("partner-status-{}", p.status.as_str())),
            email: p.email,
        })
        .collect();
    let flash = q.saved.map(|csn| tr.t1("bo-saved", "csn", &csn));
    Ok(ListPage {
        c: Chrome::new(&me, "backoffice", "/back-office/partners"),
        rows,
        q: query,
        can_edit: me.actor.may(Permission::ManagePartners),
        flash,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/bo_partner.html")]
struct FormPage {
    c: Chrome,
    create: bool,
    p: PartnerInput,
    /// (field, label key, value) of the text inputs.
    inputs: Vec<(&'static str, &'static str, String)>,
    errors: Vec<(String, String)>,
    /// The successor proposed to the partner's customers (#22), as typed.
    successor: String,
}

impl FormPage {
    fn new(c: Chrome, create: bool, p: PartnerInput, errors: Vec<(String, String)>) -> Self {
        let inputs = vec![
            ("name", "bo-name", p.name.clone()),
            ("city", "bo-city", p.city.clone()),
            ("country", "bo-country", p.country.clone()),
            ("email", "bo-email", p.email.clone()),
        ];
        FormPage {
            c,
            create,
            p,
            inputs,
            errors,
            successor: String::new(),
        }
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

async fn new_form(me: SignedIn) -> Result<Response, PageError> {
    require(&me, Permission::ManagePartners)?;
    let p = PartnerInput {
        status: "active".into(),
        ..PartnerInput::default()
    };
    Ok(FormPage::new(
        Chrome::new(&me, "backoffice", "/back-office/partners/new"),
        true,
        p,
        Vec::new(),
    )
    .into_response())
}

async fn edit_form(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    require(&me, Permission::ManagePartners)?;
    let tr = me.tr;
    let csn = Csn::parse(&raw).map_err(|_| PageError::not_found(tr))?;
    let p = state
        .services
        .lookup_partner(&csn)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let input = PartnerInput {
        csn: p.csn.to_string(),
        name: p.name,
        city: p.city,
        country: p.country,
        status: p.status.as_str().into(),
        email: p.email,
    };
    Ok(FormPage::new(
        Chrome::new(&me, "backoffice", &format!("/back-office/partners/{csn}")),
        false,
        input,
        Vec::new(),
    )
    .into_response())
}

#[derive(Debug, Deserialize)]
struct PartnerForm {
    csn: Option<String>,
    name: String,
    city: String,
    country: String,
    status: String,
    email: String,
    /// CSN of the partner proposed to this one's customers (#22), when it
    /// is deactivated; empty for none.
    #[serde(default)]
    successor: String,
    csrf: Option<String>,
}

async fn save(
    state: &AppState,
    me: &SignedIn,
    headers: &HeaderMap,
    form: PartnerForm,
    csn: Option<String>,
) -> Result<Response, PageError> {
    require(me, Permission::ManagePartners)?;
    verify_form(headers, form.csrf.as_deref(), &me.csrf, me.tr)?;
    let create = csn.is_none();
    let input = PartnerInput {
        csn: csn.or(form.csn).unwrap_or_default(),
        name: form.name,
        city: form.city,
        country: form.country,
        status: form.status,
        email: form.email,
    };
    let successor = form.successor.trim().to_owned();
    let refused = |input: PartnerInput, errors: Vec<(String, String)>, successor: String| {
        let mut page = FormPage::new(
            Chrome::new(me, "backoffice", "/back-office/partners"),
            create,
            input,
            errors,
        );
        page.successor = successor;
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    // The successor is checked before anything is saved (R5 on it).
    let successor_csn = if successor.is_empty() || create {
        None
    } else {
        let checked = match Csn::parse(&successor) {
            Ok(to) => state
                .services
                .successor_problem(&Csn::parse(&input.csn).ok(), &to)
                .await
                .map_err(|e| PageError::from_core(e, me.tr))?
                .map_or(Ok(to), Err),
            Err(e) => Err(e.at("successor")),
        };
        match checked {
            Ok(to) => Some(to),
            Err(e) => {
                let errors = vec![("successor".to_owned(), me.tr.field_message(&e))];
                return refused(input, errors, successor);
            }
        }
    };
    match state.services.save_partner(&me.actor, &input, create).await {
        Ok(p) => match successor_csn {
            Some(to) => match state.services.propose_partner(&me.actor, &p.csn, &to).await {
                Ok((proposal, _)) => Ok(Redirect::to(&format!(
                    "/back-office/proposals/{}",
                    proposal.id
                ))
                .into_response()),
                // Proposed before: that proposal stands.
                Err(Error::Conflict { .. }) => {
                    Ok(Redirect::to("/back-office/proposals").into_response())
                }
                Err(e) => Err(PageError::from_core(e, me.tr)),
            },
            None => {
                Ok(Redirect::to(&format!("/back-office/partners?saved={}", p.csn)).into_response())
            }
        },
        Err(Error::Invalid(errors)) => {
            let errors = errors
                .iter()
                .map(|e| (e.field.clone(), me.tr.field_message(e)))
                .collect();
            refused(input, errors, successor)
        }
        Err(e) => Err(PageError::from_core(e, me.tr)),
    }
}

async fn create(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(form): Form<PartnerForm>,
) -> Result<Response, PageError> {
    save(&state, &me, &headers, form, None).await
}

async fn update(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(form): Form<PartnerForm>,
) -> Result<Response, PageError> {
    save(&state, &me, &headers, form, Some(raw)).await
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/bo_import.html")]
struct ImportPage {
    c: Chrome,
    /// What went in, in words.
    report: Option<String>,
    /// Each error where the file has it, in the person's words (#19).
    errors: Vec<ErrorRow>,
    /// How many errors were not listed, in words.
    more: Option<String>,
}

impl ImportPage {
    fn new(me: &SignedIn) -> Self {
        ImportPage {
            c: Chrome::new(me, "backoffice", "/back-office/import"),
            report: None,
            errors: Vec::new(),
            more: None,
        }
    }
}

const IMPORT: &str = "/back-office/import";

/// The upload form; after an import that went in, its counts (kept once
/// by the redirect, so a reload imports nothing and shows them no more).
async fn import_form(me: SignedIn, jar: CookieJar) -> Result<Response, PageError> {
    require(&me, Permission::ImportExport)?;
    let (jar, kept) = once::take(jar, IMPORT);
    let mut page = ImportPage::new(&me);
    page.report = kept
        .and_then(|k| serde_json::from_str::<ImportReport>(&k).ok())
        .map(|r| {
            me.tr.ta(
                "bo-import-done",
                &[
                    ("partners", (r.partners as i64).into()),
                    ("accounts", (r.accounts as i64).into()),
                    ("users", (r.users as i64).into()),
                    ("agreements", (r.agreements as i64).into()),
                ],
            )
        });
    Ok((jar, page).into_response())
}

/// Takes the form token (field `csrf`) and then the uploaded file (field
/// `file`), which is streamed into the import as it arrives — up to
/// `max_import_bytes`, never all of it in memory. The form sends the token
/// first; a file before a verified token is refused unread.
async fn import(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    require(&me, Permission::ImportExport)?;
    let tr = me.tr;
    let mut verified = false;
    let mut outcome = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| PageError::bad_request(tr))?
    {
        match field.name() {
            Some("csrf") => {
                let token = field.text().await.ok();
                verify_form(&headers, token.as_deref(), &me.csrf, tr)?;
                verified = true;
            }
            Some("file") if verified && outcome.is_none() => {
                // `partners.csv` and the like are CSV of one collection; the rest JSON.
                let format = ImportFormat::from_file_name(std::path::Path::new(
                    field.file_name().unwrap_or("import.json"),
                ))
                .unwrap_or(ImportFormat::Json);
                let limit = state.config.max_import_bytes;
                let by = By::Person(&me.actor);
                let imported = import_upload(&state.services, format, limit, field, by).await;
                outcome = Some(imported.map_err(|TooLarge| PageError::too_large(tr))?);
            }
            _ => {}
        }
    }
    if !verified {
        verify_form(&headers, None, &me.csrf, tr)?;
    }
    let Some(outcome) = outcome else {
        return Err(PageError::bad_request(tr));
    };
    let mut page = ImportPage::new(&me);
    match outcome {
        Ok(report) => {
            let kept = serde_json::to_string(&report).unwrap_or_default();
            let jar = once::keep(&state, jar, IMPORT, &kept);
            Ok((jar, Redirect::to(IMPORT)).into_response())
        }
        Err(ImportFailure::Invalid { errors, more }) => {
            page.errors = errors.iter().map(|e| ErrorRow::new(tr, e)).collect();
            page.more = (more > 0).then(|| tr.tn("bo-import-more", "n", more as i64));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(ImportFailure::Store(e)) => Err(PageError::from_core(e.into(), tr)),
    }
}

struct AuditRow {
    when: String,
    who: String,
    what: String,
    account: String,
    agreement: String,
    /// Each changed field: name, before, after.
    changes: Vec<crate::i18n::FieldChange>,
}

impl AuditRow {
    fn new(tr: Tr, entry: &AuditEntry) -> Self {
        AuditRow {
            when: tr.datetime(entry.at),
            who: tr.actor(&entry.actor),
            what: tr.t(&format!("audit-{}", entry.action.as_str())),
            account: entry
                .account
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            agreement: entry
                .agreement
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            changes: tr.audit_changes(&entry.before, &entry.after),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/bo_audit.html")]
struct AuditPage {
    c: Chrome,
    rows: Vec<AuditRow>,
    agreement: String,
    account: String,
    action: String,
    actions: Vec<(&'static str, String)>,
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct AuditQuery {
    agreement: Option<String>,
    account: Option<String>,
    action: Option<String>,
    after: Option<i64>,
}

/// Audit search across all accounts, oldest first, 100 a page.
async fn audit(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    require(&me, Permission::UseBackOffice)?;
    let tr = me.tr;
    let text = |v: &Option<String>| v.clone().unwrap_or_default().trim().to_owned();
    let (agreement, account, action) = (text(&q.agreement), text(&q.account), text(&q.action));
    let filter = kontor_core::store::AuditFilter {
        agreement: kontor_core::domain::ids::AgreementNumber::parse(&agreement).ok(),
        account: Csn::parse(&account).ok(),
        action: kontor_core::domain::audit::AuditAction::parse(&action),
        after: q.after,
        limit: 100,
    };
    let entries = state
        .services
        .audit(&me.actor, &filter)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let next = (entries.len() == 100).then(|| {
        let last = entries.last().map(|e| e.seq).unwrap_or_default();
        format!("/back-office/audit?agreement={agreement}&account={account}&action={action}&after={last}")
    });
    let rows = entries
        .iter()
        .map(|r| AuditRow::new(tr, &r.entry))
        .collect();
    let actions = kontor_core::domain::audit::AuditAction::ALL
        .iter()
        .map(|a| (a.as_str(), tr.t(&format!("audit-{}", a.as_str()))))
        .collect();
    Ok(AuditPage {
        c: Chrome::new(&me, "backoffice", "/back-office/audit"),
        rows,
        agreement,
        account,
        action,
        actions,
        next,
    }
    .into_response())
}
