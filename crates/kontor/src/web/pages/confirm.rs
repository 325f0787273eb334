//! The second step of a destructive action (#18): before anything is
//! withdrawn, removed, declined, disabled or replaced, a page says what
//! will happen and asks again. A plain form, so it works without
//! JavaScript; the first step is a link to this page, so a reload never
//! acts.

use askama::Template;
use askama_web::WebTemplate;

use super::Chrome;

#[derive(Template, WebTemplate)]
#[template(path = "pages/confirm.html")]
pub struct ConfirmPage {
    pub c: Chrome,
    /// What is asked (also the page's title).
    pub question: String,
    /// What will happen, and what will not.
    pub consequence: String,
    /// Where the form posts.
    pub action: String,
    /// Hidden fields besides the form token.
    pub fields: Vec<(&'static str, String)>,
    /// The button's label.
    pub confirm: String,
    /// Where cancelling leads.
    pub back: String,
}
