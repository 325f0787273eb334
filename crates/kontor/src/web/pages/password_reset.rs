//! "Forgot your password?": a one-time link by mail (valid 60 minutes,
//! only its hash stored), then a new password, which ends every session.
//! The request page answers the same whether or not the address has an
//! account.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;
use kontor_core::Error;
use kontor_core::store::LinkPurpose;
use serde::Deserialize;

use super::Chrome;
use super::error::PageError;
use super::once;
use super::session::{language, signin_csrf, signin_token, verify_form};
use crate::i18n::Tr;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(RESET, get(request_form).post(request))
        .route("/password-reset/{token}", get(new_form).post(set_new))
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/reset_request.html")]
struct RequestPage {
    c: Chrome,
    csrf: String,
    email: String,
    error: Option<String>,
    sent: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/reset_form.html")]
struct NewPasswordPage {
    c: Chrome,
    token: String,
    csrf: String,
    works: bool,
    error: Option<String>,
}

fn tr(jar: &CookieJar, headers: &HeaderMap) -> Tr {
    Tr::new(language(jar, headers, None))
}

async fn request_form(
    State(state): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
) -> Response {
    let tr = tr(&jar, &headers);
    // After a request the form redirects here with the address it was sent
    // for kept once: a reload neither sends another mail nor shows it again.
    let (jar, sent_to) = once::take(jar, RESET);
    let (jar, csrf) = signin_token(&state, jar);
    let page = RequestPage {
        c: Chrome::anonymous(tr, RESET),
        csrf,
        email: String::new(),
        error: None,
        sent: sent_to.map(|email| tr.t1("reset-sent", "email", &email)),
    };
    (jar, page).into_response()
}

const RESET: &str = "/password-reset";

#[derive(Debug, Deserialize)]
struct RequestForm {
    email: String,
    csrf: Option<String>,
}

async fn request(
    State(state): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    Form(f): Form<RequestForm>,
) -> Result<Response, PageError> {
    let tr = tr(&jar, &headers);
    let csrf = signin_csrf(&state, &jar);
    verify_form(&headers, f.csrf.as_deref(), &csrf, tr)?;
    let token = crate::auth::new_secret();
    let link = state
        .config
        .public_link(&format!("/password-reset/{token}"));
    let result = state
        .services
        .request_password_reset(&f.email, crate::auth::token_hash(&token), link)
        .await;
    let mut page = RequestPage {
        c: Chrome::anonymous(tr, "/password-reset"),
        csrf,
        email: f.email.clone(),
        error: None,
        sent: None,
    };
    match result {
        Ok(()) => {
            let jar = once::keep(&state, jar, RESET, f.email.trim());
            Ok((jar, Redirect::to(RESET)).into_response())
        }
        Err(Error::Invalid(_)) => {
            page.error = Some(tr.t("reset-bad-email"));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError::from_core(e, tr)),
    }
}

async fn new_form(
    State(state): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let tr = tr(&jar, &headers);
    let works = state
        .services
        .link_works(&crate::auth::token_hash(&token), LinkPurpose::PasswordReset)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let (jar, csrf) = signin_token(&state, jar);
    let page = NewPasswordPage {
        c: Chrome::anonymous(tr, "/password-reset"),
        token,
        csrf,
        works,
        error: None,
    };
    let status = if works {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    Ok((status, jar, page).into_response())
}

#[derive(Debug, Deserialize)]
struct NewPasswordForm {
    password: String,
    csrf: Option<String>,
}

async fn set_new(
    State(state): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(f): Form<NewPasswordForm>,
) -> Result<Response, PageError> {
    let tr = tr(&jar, &headers);
    let csrf = signin_csrf(&state, &jar);
    verify_form(&headers, f.csrf.as_deref(), &csrf, tr)?;
    let result = state
        .services
        .reset_password(
            &crate::auth::token_hash(&token),
            &f.password,
            &crate::auth::Argon2Hasher,
        )
        .await;
    let page = |works: bool, error: Option<String>| NewPasswordPage {
        c: Chrome::anonymous(tr, "/password-reset"),
        token: token.clone(),
        csrf: csrf.clone(),
        works,
        error,
    };
    match result {
        Ok(_) => Ok(Redirect::to("/signin?reset=1").into_response()),
        Err(Error::Invalid(errors) | Error::Refused(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(true, errors.first().map(|e| tr.field_message(e))),
        )
            .into_response()),
        Err(Error::NotFound(_)) => Ok((StatusCode::NOT_FOUND, page(false, None)).into_response()),
        Err(e) => Err(PageError::from_core(e, tr)),
    }
}
