//! `GET /dashboard/export.json`: everything the studio holds about the signed-in
//! person, as one JSON file they can keep (profile, orders with their payment
//! history, what they own with license keys, waitlists, contact messages, tool runs per day).

use crate::domain::account::Area;
use crate::domain::delivery::OwnedItem;
use crate::domain::orders::OrderView;
use crate::domain::time::{format_time, iso_date, jakarta_day_label};
use crate::server::db::{contacts, deliveries, orders, tool_usage, users, waitlist, DbError};
use crate::server::AppState;
use crate::web::files::{not_found, unavailable};
use crate::web::guard;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tower_sessions::Session;

#[derive(Serialize)]
struct Export {
    exported_at: String,
    profile: Profile,
    orders: Vec<OrderView>,
    owned: Vec<OwnedItem>,
    waitlists: Vec<WaitlistEntry>,
    contact_messages: Vec<ContactMessage>,
    tool_usage: Vec<ToolRuns>,
}

#[derive(Serialize)]
struct ToolRuns {
    tool: String,
    /// The Asia/Jakarta day.
    day: String,
    runs: u32,
}

#[derive(Serialize)]
struct Profile {
    name: String,
    email: String,
    role: &'static str,
    email_confirmed: bool,
    github_username: Option<String>,
}

#[derive(Serialize)]
struct WaitlistEntry {
    product: String,
    joined_at: String,
}

#[derive(Serialize)]
struct ContactMessage {
    subject: String,
    message: String,
    sent_at: String,
}

pub async fn my_data(State(state): State<AppState>, session: Session) -> Response {
    let me = match guard::viewer_for_area(&state, &session, Area::Dashboard, "/dashboard/profile").await {
        Ok(me) => me,
        Err(refused) => return refused,
    };
    let (id, email) = (me.id, me.email.clone());
    let found = state
        .db
        .read(move |c| -> Result<_, DbError> {
            let Some(user) = users::find_by_id(c, id)? else { return Ok(None) };
            let profile = Profile {
                name: user.viewer.name.clone(),
                email: user.viewer.email.clone(),
                role: user.viewer.role.as_str(),
                email_confirmed: user.viewer.verified,
                github_username: users::github_username(c, id)?,
            };
            let waitlists = waitlist::entries_for_email(c, &email)?
                .into_iter()
                .map(|(product, at)| WaitlistEntry { product, joined_at: format_time(at) })
                .collect();
            let contact_messages = contacts::sent_from(c, &email)?
                .into_iter()
                .map(|(subject, message, at)| ContactMessage { subject, message, sent_at: format_time(at) })
                .collect();
            Ok(Some(Export {
                exported_at: format_time(crate::server::db::now()),
                profile,
                orders: orders::list_for_user(c, id)?,
                owned: deliveries::owned_by(c, id)?,
                waitlists,
                contact_messages,
                tool_usage: tool_usage::history(c, id, 0)?
                    .into_iter()
                    .map(|(tool, day, runs)| ToolRuns { tool, day: jakarta_day_label(day), runs })
                    .collect(),
            }))
        })
        .await;
    match found {
        Ok(Some(export)) => {
            let body = serde_json::to_string_pretty(&export).unwrap_or_default();
            let file = format!("attachment; filename=\"atelier-data-{}.json\"", iso_date(crate::server::db::now()));
            (
                [
                    (header::CONTENT_TYPE, "application/json".to_owned()),
                    (header::CONTENT_DISPOSITION, file),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                body,
            )
                .into_response()
        }
        Ok(None) => not_found("There is no such account."),
        Err(err) => unavailable(&err, "exporting a member's data"),
    }
}
