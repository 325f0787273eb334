//! A value the page after a form shows once (Post/Redirect/Get): the
//! invitation link of a person just added, the secret of a webhook
//! endpoint just created or given a new one. It rides to that page in a
//! cookie scoped to the page's path for a few minutes — never in the URL,
//! which browsers keep in their history and servers in their logs — and
//! the page clears the cookie as it shows the value, so a reload shows it
//! no more and submits nothing.

use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::web::AppState;

const ONCE_COOKIE: &str = "kontor_once";

/// How long the value waits for the redirect's GET.
const KEPT_FOR: time::Duration = time::Duration::minutes(5);

/// Keeps `value` for the next visit of `path`.
pub fn keep(state: &AppState, jar: CookieJar, path: &str, value: &str) -> CookieJar {
    jar.add(
        Cookie::build((ONCE_COOKIE, URL_SAFE_NO_PAD.encode(value)))
            .path(path.to_owned())
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(state.config.cookie_secure)
            .max_age(KEPT_FOR)
            .build(),
    )
}

/// The value kept for `path`, if any, and the jar that forgets it.
pub fn take(jar: CookieJar, path: &str) -> (CookieJar, Option<String>) {
    let value = jar
        .get(ONCE_COOKIE)
        .and_then(|c| URL_SAFE_NO_PAD.decode(c.value()).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok());
    (
        jar.remove(Cookie::build(ONCE_COOKIE).path(path.to_owned())),
        value,
    )
}
