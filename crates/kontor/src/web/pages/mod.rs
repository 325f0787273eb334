//! The portal: server-rendered pages (askama, compiled in) in German and
//! English, working without JavaScript.

mod accounts;
mod agreements;
mod backoffice;
mod bulk_run;
mod changes;
mod confirm;
pub mod error;
mod help;
mod import_errors;
mod integrations;
mod levels;
mod once;
mod passkeys;
mod password_reset;
mod people;
mod proposals;
pub mod reauth;
mod renewal;
mod second_factor_reset;
mod security;
pub mod session;
mod settings;
mod signin;
pub mod sso;
mod sso_domains;
mod support;
mod tokens;
mod transfer_codes;
mod wizard;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::cookie::CookieJar;
use kontor_core::domain::permissions::Permission;
use kontor_core::domain::roles::Lang;
use serde::Deserialize;

use self::session::{SignedIn, local_path, set_language, url_escape};
use super::AppState;
use crate::i18n::Tr;

/// The portal's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/agreements") }))
        .route("/static/kontor.css", get(stylesheet))
        .route("/static/zone.js", get(zone_script))
        .route("/static/copy.js", get(copy_script))
        .route("/static/passkeys.js", get(passkeys_script))
        .route("/favicon.svg", get(favicon))
        .route("/favicon.ico", get(favicon))
        .route("/lang/{lang}", get(switch_language))
        .merge(signin::router())
        .merge(agreements::router())
        .merge(wizard::router())
        .merge(renewal::router())
        .merge(bulk_run::router())
        .merge(changes::router())
        .merge(levels::router())
        .merge(backoffice::router())
        .merge(accounts::router())
        .merge(integrations::router())
        .merge(password_reset::router())
        .merge(people::router())
        .merge(support::router())
        .merge(help::router())
        .merge(settings::router())
        .merge(security::router())
        .merge(passkeys::router())
        .merge(second_factor_reset::router())
        .merge(tokens::router())
        .merge(transfer_codes::router())
        .merge(proposals::router())
        .merge(sso::router())
        .merge(sso_domains::router())
}

/// What every page's frame needs: language, the person, the form token.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// Messages.
    pub tr: Tr,
    /// Display name of the signed-in person.
    pub user: Option<String>,
    /// Form token for the sign-out button.
    pub csrf: String,
    /// Which navigation item is current.
    pub nav: &'static str,
    /// This page's path, escaped, for the language switcher.
    pub back: String,
    /// Vendor staff see the back office.
    pub back_office: bool,
    /// The primary admin manages the account's people.
    pub people: bool,
    /// The assistant's form closes the page (not on the assistant's own).
    pub assistant: bool,
    /// The agreement the page is about: the assistant's context.
    pub agreement: Option<String>,
    /// The last moment to set up a required second factor, while the
    /// person has none (a banner on every page says so).
    pub second_factor_by: Option<String>,
}

impl Chrome {
    /// The frame for a signed-in page.
    pub fn new(me: &SignedIn, nav: &'static str, path: &str) -> Chrome {
        Chrome {
            tr: me.tr,
            user: Some(me.actor.name.clone()),
            csrf: me.csrf.clone(),
            nav,
            back: url_escape(path),
            back_office: me.actor.may(Permission::UseBackOffice),
            people: me.actor.may(Permission::ManageAccountPeople),
            assistant: true,
            agreement: None,
            second_factor_by: match me.standing {
                kontor_core::domain::second_factor::Standing::Grace { until } => {
                    Some(me.tr.datetime(until))
                }
                _ => None,
            },
        }
    }

    /// The frame for a page without a session.
    pub fn anonymous(tr: Tr, path: &str) -> Chrome {
        Chrome {
            tr,
            user: None,
            csrf: String::new(),
            nav: "",
            back: url_escape(path),
            back_office: false,
            people: false,
            assistant: false,
            agreement: None,
            second_factor_by: None,
        }
    }

    /// The same frame about an agreement (the assistant's context).
    pub fn about(mut self, number: &str) -> Chrome {
        self.agreement = Some(number.to_owned());
        self
    }

    /// A message.
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }
}

/// A partner change's id from a path; anything else is not found.
fn request_id(
    raw: &str,
    tr: Tr,
) -> Result<kontor_core::domain::change_request::RequestId, error::PageError> {
    uuid::Uuid::parse_str(raw)
        .map(kontor_core::domain::change_request::RequestId)
        .map_err(|_| error::PageError::not_found(tr))
}

/// One stylesheet of our own, compiled in.
async fn stylesheet() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_str!("../../../static/kontor.css"),
    )
}

/// Copy buttons for values shown once.
async fn copy_script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../../static/copy.js"),
    )
}

/// Creates and uses passkeys with the browser's WebAuthn (#21).
async fn passkeys_script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../../static/passkeys.js"),
    )
}

/// Tells the sign-in form the browser's time zone.
async fn zone_script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../../static/zone.js"),
    )
}

/// The icon browsers show in the tab; `/favicon.ico` is what they ask for
/// by themselves, so it answers the same picture.
async fn favicon() -> Response {
    asset("image/svg+xml", include_str!("../../../static/favicon.svg"))
}

/// A compiled-in file, cached by browsers for an hour.
pub(super) fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        body,
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
struct Back {
    back: Option<String>,
}

/// The language switcher: remembers the choice in a cookie and goes back.
async fn switch_language(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(lang): Path<String>,
    Query(q): Query<Back>,
) -> Response {
    let lang = Lang::parse(&lang).unwrap_or_default();
    let jar = set_language(&state, jar, lang);
    (jar, Redirect::to(&local_path(q.back.as_deref()))).into_response()
}
