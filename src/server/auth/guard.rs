//! Guards: who may load which area. The middleware protects full page loads
//! (redirects to sign in or to email verification; a wrong role gets the page's
//! 403 rendering with status 403); server functions check again for themselves,
//! since they are public endpoints.

use super::session_store::USER_ID_KEY;
use crate::domain::account::{access, Access, Area};
use crate::domain::{Role, Viewer};
use crate::error::AppError;
use crate::server::db::users;
use crate::server::AppState;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// The signed-in user's id in this session, if any.
pub async fn session_user_id(session: &Session) -> Option<i64> {
    match session.get::<i64>(USER_ID_KEY).await {
        Ok(id) => id,
        Err(err) => {
            tracing::warn!(error = %err, "unreadable session; treating the visitor as signed out");
            None
        }
    }
}

/// The signed-in user, fresh from the database (a deleted user counts as signed out).
pub async fn load_viewer(state: &AppState, session: &Session) -> Result<Option<Viewer>, AppError> {
    let Some(id) = session_user_id(session).await else { return Ok(None) };
    let user = state.db.run(move |c| users::find_by_id(c, id)).await?;
    Ok(user.map(|u| u.viewer))
}

pub async fn require_login_for_private_pages(
    State(state): State<AppState>,
    session: Session,
    req: Request,
    next: Next,
) -> Response {
    let Some(area) = Area::of_path(req.uri().path()) else { return next.run(req).await };
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let viewer = match load_viewer(&state, &session).await {
        Ok(viewer) => viewer,
        Err(err) => return (StatusCode::SERVICE_UNAVAILABLE, err.to_string()).into_response(),
    };
    let target = req.uri().path_and_query().map(|pq| pq.as_str()).unwrap_or("/").to_owned();
    match access(area, viewer.as_ref()) {
        Access::Allowed => next.run(req).await,
        Access::SignIn => Redirect::to(&format!("/login?next={}", encode_query_value(&target))).into_response(),
        Access::VerifyEmail => Redirect::to("/verify-email").into_response(),
        Access::Forbidden => {
            // The layout renders the "no access" page for this viewer; the status says so too.
            let mut res = next.run(req).await;
            *res.status_mut() = StatusCode::FORBIDDEN;
            res
        }
    }
}

/// The signed-in user, from inside a server function.
pub async fn require_viewer() -> Result<Viewer, AppError> {
    let state = crate::server::state()?;
    let session: Session = leptos_axum::extract().await.map_err(|_| AppError::Unauthenticated)?;
    load_viewer(&state, &session).await?.ok_or(AppError::Unauthenticated)
}

/// A signed-in user with a verified email and, if given, exactly this role.
pub async fn require_role(role: Option<Role>) -> Result<Viewer, AppError> {
    let viewer = require_viewer().await?;
    let area = match role {
        None | Some(Role::Member) => Area::Dashboard,
        Some(Role::Client) => Area::Client,
        Some(Role::Staff) => Area::Admin,
    };
    match access(area, Some(&viewer)) {
        Access::Allowed => Ok(viewer),
        Access::SignIn => Err(AppError::Unauthenticated),
        Access::VerifyEmail => Err(AppError::validation("Please confirm your email address first.")),
        Access::Forbidden => Err(AppError::Forbidden),
    }
}

/// Percent-encodes a value for a query string (RFC 3986 unreserved characters and `/` stay).
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_keeps_the_query_but_cannot_break_out_of_it() {
        assert_eq!(encode_query_value("/dashboard/orders?page=2&x=1"), "/dashboard/orders%3Fpage%3D2%26x%3D1");
    }
}
