//! Support levels: what each includes, side by side.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::Chrome;
use super::session::SignedIn;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/support-levels", get(show))
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/levels.html")]
struct LevelsPage {
    c: Chrome,
}

impl LevelsPage {
    fn cell(&self, level: &str, row: &str) -> String {
        self.c.t(&format!("level-{level}-{row}"))
    }
}

async fn show(me: SignedIn) -> Response {
    LevelsPage {
        c: Chrome::new(&me, "levels", "/support-levels"),
    }
    .into_response()
}
