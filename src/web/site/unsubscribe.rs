//! `/mail/unsubscribe`: the link in every product-update mail (signed with the
//! server's secret for one member), and a mail client's one-click request.

use crate::domain::html::TrustedHtml;
use crate::server::db::{audit, product_files, DbError};
use crate::server::http::small_page;
use crate::server::studio::product_files::UnsubscribeQuery;
use crate::server::telemetry::chain;
use crate::server::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;

fn invalid_link() -> Response {
    small_page(
        StatusCode::FORBIDDEN,
        "This link is not valid",
        TrustedHtml::markup(
            "<p role=\"alert\">Check that you used the whole link from the email. You can also turn product update \
             emails off in <a href=\"/dashboard/profile\">your profile</a>.</p>",
        ),
    )
}

/// `GET /mail/unsubscribe`: asks before turning product-update mail off (link
/// scanners follow links; only a press of the button, or a mail client's
/// one-click POST, unsubscribes).
pub async fn form(State(state): State<AppState>, Query(q): Query<UnsubscribeQuery>) -> Response {
    let Some(user_id) = q.member(state.secret.bytes()) else { return invalid_link() };
    let action = format!("/mail/unsubscribe?u={user_id}&t={}", q.t);
    small_page(
        StatusCode::OK,
        "Stop product update emails?",
        TrustedHtml::format(
            "<p>We email you when a product you bought gets a new version. You can turn this back on in your \
             profile at any time.</p><form method=\"post\" action=\"{}\"><button type=\"submit\">Unsubscribe</button></form>",
            &[&action],
        ),
    )
}

/// `POST /mail/unsubscribe`: the button above, or a mail client's RFC 8058 one-click request.
pub async fn confirm(State(state): State<AppState>, Query(q): Query<UnsubscribeQuery>) -> Response {
    let Some(user_id) = q.member(state.secret.bytes()) else { return invalid_link() };
    let done = state
        .db
        .run(move |c| -> Result<bool, DbError> {
            let tx = c.transaction()?;
            let changed = product_files::wants_updates(&tx, user_id)?;
            product_files::set_wants_updates(&tx, user_id, false)?;
            if changed {
                audit::record(&tx, Some(user_id), "mail.unsubscribed", &format!("user:{user_id}"), "product updates")?;
            }
            tx.commit()?;
            Ok(true)
        })
        .await;
    match done {
        Ok(_) => small_page(
            StatusCode::OK,
            "You are unsubscribed",
            TrustedHtml::markup(
                "<p role=\"status\">You will no longer get emails about product updates. Your downloads in \
                 <a href=\"/dashboard/downloads\">your dashboard</a> always have the latest version.</p>",
            ),
        ),
        Err(err) => {
            tracing::error!(error = %chain(&err), "could not unsubscribe a member");
            small_page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, something went wrong",
                TrustedHtml::markup("<p role=\"alert\">Please try the link again in a moment.</p>"),
            )
        }
    }
}
