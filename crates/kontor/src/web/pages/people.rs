//! The primary admin's page for the account's people: roles and which
//! agreements each `user` sees.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;
use kontor_core::Error;
use kontor_core::domain::roles::Role;
use kontor_core::store::AgreementFilter;
use serde::Deserialize;

use super::error::PageError;
use super::session::{SignedIn, verify_form};
use super::{Chrome, once};
use crate::web::AppState;

/// The people page, where forms return to.
const PEOPLE: &str = "/account/people";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/people", get(show))
        .route("/account/people/role", post(change_role))
        .route("/account/people/agreements", post(set_agreements))
        .route("/account/people/invite", post(invite))
        .route("/account/people/remove", post(remove))
        .route("/account/people/resend", post(resend))
        .route("/account/people/{email}/remove", get(confirm_remove))
        .route(
            "/invite/{token}",
            get(invitation_form).post(accept_invitation),
        )
}

struct Person {
    email: String,
    name: String,
    role: String,
    is_primary: bool,
    is_user: bool,
    disabled: bool,
    /// Invited, no password chosen yet.
    pending: bool,
    /// The agreements offered as checkboxes: every one the user sees
    /// (checked) and the account's first ones (#19: an account of
    /// thousands is not listed whole; more are added by number).
    choices: Vec<(String, bool)>,
}

/// Agreements of the account offered as checkboxes besides those a user
/// already sees.
const OFFERED: u32 = 50;

#[derive(Template, WebTemplate)]
#[template(path = "pages/people.html")]
struct PeoplePage {
    c: Chrome,
    people: Vec<Person>,
    /// The account has more agreements than the checkboxes offer.
    more_agreements: bool,
    error: Option<String>,
    flash: Option<String>,
    /// The invitation link, shown once after adding a person.
    invite_link: Option<String>,
}

/// What the page says after a change (Post/Redirect/Get).
#[derive(Debug, Default, Deserialize)]
struct Flash {
    saved: Option<String>,
    removed: Option<String>,
    invited: Option<String>,
    resent: Option<String>,
}

async fn render(
    state: &AppState,
    me: &SignedIn,
    error: Option<String>,
    flash: Option<String>,
) -> Result<PeoplePage, PageError> {
    let tr = me.tr;
    let people = state
        .services
        .account_people(&me.actor)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let agreements = state
        .services
        .agreements(
            &me.actor,
            &AgreementFilter {
                limit: OFFERED + 1,
                ..AgreementFilter::default()
            },
        )
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    Ok(PeoplePage {
        c: Chrome::new(me, "people", "/account/people"),
        people: people
            .into_iter()
            .map(|(u, sees)| {
                let sees: Vec<String> = sees.iter().map(ToString::to_string).collect();
                let mut choices: Vec<(String, bool)> =
                    sees.iter().map(|n| (n.clone(), true)).collect();
                choices.extend(
                    agreements
                        .iter()
                        .take(OFFERED as usize)
                        .map(|a| a.number.to_string())
                        .filter(|n| !sees.contains(n))
                        .map(|n| (n, false)),
                );
                choices.sort();
                Person {
                    email: u.actor.email.clone(),
                    name: u.actor.name.clone(),
                    role: u.actor.role.as_str().to_owned(),
                    is_primary: u.actor.role == Role::PrimaryAdmin,
                    is_user: u.actor.role == Role::User,
                    disabled: u.disabled,
                    pending: !u.disabled && u.password_hash.is_none(),
                    choices,
                }
            })
            .collect(),
        more_agreements: agreements.len() > OFFERED as usize,
        error,
        flash,
        invite_link: None,
    })
}

async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    Query(q): Query<Flash>,
) -> Result<Response, PageError> {
    // One flag per redirect; the first one given is what happened.
    let flash = [
        ("people-invited", q.invited),
        ("people-resent", q.resent),
        ("people-removed", q.removed),
        ("people-saved", q.saved),
    ]
    .into_iter()
    .find_map(|(key, email)| email.map(|e| me.tr.t1(key, "email", &e)));
    let (jar, invite_link) = once::take(jar, PEOPLE);
    let mut page = render(&state, &me, None, flash).await?;
    page.invite_link = invite_link;
    Ok((jar, page).into_response())
}

/// Input errors are shown on the page; other errors are error pages. On
/// success the page is shown again with `done` (a [`Flash`] key) saying
/// what happened to `email`.
async fn answer(
    state: &AppState,
    me: &SignedIn,
    result: kontor_core::Result<()>,
    email: &str,
    done: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!(
            "/account/people?{done}={}",
            super::session::url_escape(email)
        ))
        .into_response()),
        Err(Error::Invalid(errors)) => {
            let message = errors
                .iter()
                .map(|e| me.tr.field_message(e))
                .collect::<Vec<_>>()
                .join("; ");
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(state, me, Some(message), None).await?,
            )
                .into_response())
        }
        Err(e) => Err(PageError::from_core(e, me.tr)),
    }
}

#[derive(Debug, Deserialize)]
struct ResendForm {
    email: String,
    csrf: Option<String>,
}

/// A new invitation link for someone who has not accepted theirs: shown
/// once like the first, mailed, the earlier links retired.
async fn resend(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    headers: HeaderMap,
    Form(f): Form<ResendForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let token = crate::auth::new_secret();
    let result = state
        .services
        .resend_invitation(
            &me.actor,
            &f.email,
            crate::auth::token_hash(&token),
            state.config.public_link(&format!("/invite/{token}")),
        )
        .await;
    match result {
        Ok(()) => {
            let link = format!("{}/invite/{token}", base_url(&state, &headers));
            let jar = once::keep(&state, jar, PEOPLE, &link);
            let to = format!(
                "{PEOPLE}?resent={}",
                super::session::url_escape(f.email.trim())
            );
            Ok((jar, Redirect::to(&to)).into_response())
        }
        Err(Error::Conflict { detail, .. }) => {
            let message = me.tr.tw(&format!("problem-{}", detail.code), &detail.args);
            Ok((
                StatusCode::CONFLICT,
                render(&state, &me, Some(message), None).await?,
            )
                .into_response())
        }
        Err(e) => Err(PageError::from_core(e, me.tr)),
    }
}

#[derive(Debug, Deserialize)]
struct RoleForm {
    email: String,
    role: String,
    csrf: Option<String>,
}

async fn change_role(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<RoleForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let result = match Role::parse(&f.role) {
        Some(role) => state.services.change_role(&me.actor, &f.email, role).await,
        None => Err(Error::invalid(kontor_core::FieldError::coded(
            "role",
            "role-choice",
            Vec::new(),
            "expected secondary_admin or user",
        ))),
    };
    answer(&state, &me, result, &f.email, "saved").await
}

async fn set_agreements(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    // Several checkboxes share the name `agreement`, which serde's form
    // structs cannot collect; read the pairs directly.
    let pairs: Vec<(String, String)> = form_urlencoded_pairs(&body);
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    verify_form(&headers, get("csrf").as_deref(), &me.csrf, me.tr)?;
    let email = get("email").unwrap_or_default();
    // Checked boxes, and numbers typed in (separated by commas, spaces or
    // lines; a number may hold spaces or dashes inside only when alone).
    let mut chosen: Vec<String> = pairs
        .iter()
        .filter(|(n, _)| n == "agreement")
        .map(|(_, v)| v.clone())
        .collect();
    chosen.extend(added_numbers(&get("add").unwrap_or_default()));
    let result = state
        .services
        .set_user_agreements(&me.actor, &email, &chosen)
        .await;
    answer(&state, &me, result, &email, "saved").await
}

/// The agreement numbers typed into the "add" field: one per line or
/// comma; a line of digits split by single spaces or dashes is one number
/// ("1100 0000 0001").
fn added_numbers(raw: &str) -> Vec<String> {
    raw.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn form_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).unwrap_or_default()
}

#[derive(Debug, Deserialize)]
struct InviteForm {
    email: String,
    name: String,
    role: String,
    lang: String,
    csrf: Option<String>,
}

/// The address people reach kontor at, for links handed out.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.config.cookie_secure {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

async fn invite(
    State(state): State<AppState>,
    me: SignedIn,
    jar: CookieJar,
    headers: HeaderMap,
    Form(f): Form<InviteForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let token = crate::auth::new_secret();
    let input = kontor_core::service::people::NewPerson {
        email: f.email.clone(),
        name: f.name,
        role: f.role,
        lang: f.lang,
    };
    match state
        .services
        .invite_person(
            &me.actor,
            &input,
            crate::auth::token_hash(&token),
            state.config.public_link(&format!("/invite/{token}")),
        )
        .await
    {
        Ok(user) => {
            let link = format!("{}/invite/{token}", base_url(&state, &headers));
            let jar = once::keep(&state, jar, PEOPLE, &link);
            let to = format!(
                "{PEOPLE}?invited={}",
                super::session::url_escape(&user.actor.email)
            );
            Ok((jar, Redirect::to(&to)).into_response())
        }
        Err(e) => answer(&state, &me, Err(e), &f.email, "saved").await,
    }
}

/// Asks before removing someone's access (the first step is a link).
async fn confirm_remove(
    State(state): State<AppState>,
    me: SignedIn,
    axum::extract::Path(email): axum::extract::Path<String>,
) -> Result<Response, PageError> {
    let tr = me.tr;
    let person = state
        .services
        .removable_person(&me.actor, &email)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let email = person.actor.email;
    Ok(super::confirm::ConfirmPage {
        c: Chrome::new(&me, "people", "/account/people"),
        question: tr.t1("people-remove-confirm", "email", &email),
        consequence: tr.t("people-remove-confirm-text"),
        action: "/account/people/remove".to_owned(),
        fields: vec![("email", email)],
        confirm: tr.t("people-remove"),
        back: "/account/people".to_owned(),
    }
    .into_response())
}

#[derive(Debug, Deserialize)]
struct RemoveForm {
    email: String,
    csrf: Option<String>,
}

async fn remove(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Form(f): Form<RemoveForm>,
) -> Result<Response, PageError> {
    verify_form(&headers, f.csrf.as_deref(), &me.csrf, me.tr)?;
    let result = state.services.remove_access(&me.actor, &f.email).await;
    answer(&state, &me, result, &f.email, "removed").await
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/invite.html")]
struct InvitePage {
    c: Chrome,
    token: String,
    csrf: String,
    error: Option<String>,
    /// The link can still be used.
    works: bool,
}

async fn invitation_form(
    State(state): State<AppState>,
    jar: axum_extra::extract::cookie::CookieJar,
    headers: HeaderMap,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Response {
    let tr = crate::i18n::Tr::new(super::session::language(&jar, &headers, None));
    // A used, expired or replaced link says so before anyone types a password.
    let works = state
        .services
        .link_works(
            &crate::auth::token_hash(&token),
            kontor_core::store::LinkPurpose::Invitation,
        )
        .await
        .unwrap_or(false);
    let (jar, csrf) = super::session::signin_token(&state, jar);
    let page = InvitePage {
        c: Chrome::anonymous(tr, "/signin"),
        token,
        csrf,
        error: (!works).then(|| tr.t("invite-link-dead")),
        works,
    };
    let status = if works {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    (status, jar, page).into_response()
}

#[derive(Debug, Deserialize)]
struct AcceptForm {
    password: String,
    csrf: Option<String>,
}

async fn accept_invitation(
    State(state): State<AppState>,
    jar: axum_extra::extract::cookie::CookieJar,
    headers: HeaderMap,
    axum::extract::Path(token): axum::extract::Path<String>,
    Form(f): Form<AcceptForm>,
) -> Result<Response, PageError> {
    let tr = crate::i18n::Tr::new(super::session::language(&jar, &headers, None));
    let expected = super::session::signin_csrf(&state, &jar);
    verify_form(&headers, f.csrf.as_deref(), &expected, tr)?;
    let password = f.password;
    match state
        .services
        .accept_invitation(
            &crate::auth::token_hash(&token),
            &password,
            &crate::auth::Argon2Hasher,
        )
        .await
    {
        Ok(_) => Ok(Redirect::to("/signin?welcome=1").into_response()),
        Err(Error::Invalid(errors) | Error::Refused(errors)) => {
            let page = InvitePage {
                c: Chrome::anonymous(tr, "/signin"),
                token,
                csrf: expected,
                error: errors.first().map(|e| tr.field_message(e)),
                works: true,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError::from_core(e, tr)),
    }
}
