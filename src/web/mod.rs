//! The web layer: every plain HTTP handler (downloads, uploads, exports, webhooks,
//! feeds, the OAuth callback), the guard that turns a session into a viewer, and
//! the request middleware that needs the application's state. Services under
//! `server/` are called from here with plain arguments and never see a session.
//!
//! Where is URL X handled? A page: `app::pages`. A server function: the
//! `#[server]` in `routes/<area>/api.rs`. Anything else: `web/<area>`, whose
//! `routes()` lists it. Compiled only into the server binary (feature `ssr`).

pub mod admin;
pub mod api_v1;
pub mod auth;
pub mod client;
pub mod dashboard;
pub mod files;
pub mod guard;
pub mod middleware;
pub mod ops;
pub mod site;
pub mod upload;

use crate::server::AppState;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Router;

/// Every plain HTTP route of every area.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(ops::routes())
        .merge(site::routes())
        .merge(auth::routes())
        .merge(dashboard::routes())
        .merge(client::routes())
        .merge(admin::routes())
        .merge(api_v1::routes())
}

const NO_RECEIPT: &str = "There is no receipt for this order (yet): receipts exist once an order is paid.";
const NO_INVOICE: &str = "There is no such invoice.";
const NO_PROJECT: &str = "No such project.";
const NO_FILE: &str = "There is no such file.";

/// The largest message body: its text fields and one attachment, counted against
/// `ATTACHMENT_MAX_MB` as it streams.
fn message_body_max() -> usize {
    (crate::server::studio::work::ATTACHMENT_MAX_MB as usize + 1) * 1024 * 1024
}

/// Back to the project's thread after a message, with what happened.
fn after_message(page: &str, outcome: Result<(), crate::server::studio::work::Refusal>) -> Response {
    match outcome {
        Ok(()) => Redirect::to(&format!("{page}?posted=1#messages")).into_response(),
        Err(refusal) => Redirect::to(&format!("{page}?message_error={}#messages", refusal.code())).into_response(),
    }
}
