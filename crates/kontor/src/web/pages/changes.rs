//! Partner changes: a customer's own, a partner's incoming and outgoing ones.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kontor_core::store::RequestFilter;

use super::Chrome;
use super::agreements::{partner_label, when};
use super::error::PageError;
use super::session::SignedIn;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/changes", get(list))
}

struct ChangeRow {
    agreement: String,
    new_partner: String,
    old_partners: String,
    status: String,
    when: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/changes.html")]
struct ChangesPage {
    c: Chrome,
    rows: Vec<ChangeRow>,
}

async fn list(State(state): State<AppState>, me: SignedIn) -> Result<Response, PageError> {
    let tr = me.tr;
    let filter = RequestFilter {
        limit: 100,
        ..RequestFilter::default()
    };
    let requests = state
        .services
        .requests(&me.actor, &filter)
        .await
        .map_err(|e| PageError::from_core(e, tr))?;
    let mut rows = Vec::with_capacity(requests.len());
    for r in &requests {
        let mut old = Vec::new();
        for p in &r.old_partners {
            old.push(partner_label(&state, p).await);
        }
        rows.push(ChangeRow {
            agreement: r.agreement.to_string(),
            new_partner: partner_label(&state, &r.new_partner).await,
            old_partners: old.join(", "),
            status: tr.t(&format!("request-{}", r.status.as_str())),
            when: when(r.decided_at.unwrap_or(r.due_at)),
        });
    }
    Ok(ChangesPage {
        c: Chrome::new(&me, "changes", "/changes"),
        rows,
    }
    .into_response())
}
