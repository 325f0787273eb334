//! Support levels: what each includes, side by side, and for customers
//! the levels their own active agreements carry, with how to reach
//! support (the seed's "Welche Supportstufe haben Sie?").

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use kontor_core::domain::agreement::SupportLevel;
use kontor_core::domain::policy::LevelHours;

use super::Chrome;
use super::error::PageError;
use super::session::SignedIn;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/support-levels", get(show))
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/levels.html")]
struct LevelsPage {
    c: Chrome,
    /// The levels of the customer's active agreements, lowest first
    /// (empty for partners and vendor staff, or without active ones).
    own: Vec<&'static str>,
    /// Whether the person is a customer (the own-level card is shown).
    customer: bool,
    /// Support's configured first-response and resolution targets.
    first_response: LevelHours,
    resolution: LevelHours,
}

impl LevelsPage {
    fn cell(&self, level: &str, row: &str) -> String {
        match (row, SupportLevel::parse(level)) {
            ("response", Some(level)) => {
                let minutes = self.first_response.of(level).whole_minutes();
                self.c.tr.t1(
                    "level-response-within",
                    "duration",
                    &self.c.tr.duration(minutes),
                )
            }
            ("resolution", Some(level)) => {
                let minutes = self.resolution.of(level).whole_minutes();
                self.c.tr.t1(
                    "level-resolution-within",
                    "duration",
                    &self.c.tr.duration(minutes),
                )
            }
            _ => self.c.t(&format!("level-{level}-{row}")),
        }
    }

    fn is_own(&self, level: &str) -> bool {
        self.own.contains(&level)
    }

    /// The highest of the person's levels: the one support answers them at
    /// best.
    fn highest(&self) -> Option<&'static str> {
        self.own.last().copied()
    }

    /// "Standard und Premium" / "Standard and Premium".
    fn own_list(&self) -> String {
        let names: Vec<String> = self
            .own
            .iter()
            .map(|l| self.c.t(&format!("support-{l}")))
            .collect();
        match names.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => self.c.tr.ta(
                "list-and",
                &[
                    ("first", rest.join(", ").into()),
                    ("last", last.clone().into()),
                ],
            ),
        }
    }
}

async fn show(State(state): State<AppState>, me: SignedIn) -> Result<Response, PageError> {
    let customer = me.actor.account().is_some();
    let own = if customer {
        state
            .services
            .support_levels(&me.actor)
            .await
            .map_err(|e| PageError::from_core(e, me.tr))?
            .into_iter()
            .map(|l| l.as_str())
            .collect()
    } else {
        Vec::new()
    };
    Ok(LevelsPage {
        c: Chrome::new(&me, "levels", "/support-levels"),
        own,
        customer,
        first_response: state.services.policy.first_response,
        resolution: state.services.policy.resolution,
    }
    .into_response())
}
