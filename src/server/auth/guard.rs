//! Guards: who may load which area. The middleware protects full page loads;
//! server functions check again for themselves (they are public endpoints).

use super::session_store::USER_ID_KEY;
use crate::error::AppError;
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// The private areas and the prefix each is reached under.
const PRIVATE_AREAS: [&str; 3] = ["/dashboard", "/client", "/admin"];

pub fn is_private(path: &str) -> bool {
    PRIVATE_AREAS
        .iter()
        .any(|area| path.strip_prefix(area).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
}

/// The signed-in user's id, if any.
pub async fn session_user_id(session: &Session) -> Option<i64> {
    match session.get::<i64>(USER_ID_KEY).await {
        Ok(id) => id,
        Err(err) => {
            tracing::warn!(error = %err, "unreadable session; treating the visitor as signed out");
            None
        }
    }
}

/// Anonymous visitors to a private page go to `/login?next=<where they were going>`.
pub async fn require_login_for_private_pages(session: Session, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if is_private(path)
        && (req.method() == Method::GET || req.method() == Method::HEAD)
        && session_user_id(&session).await.is_none()
    {
        let target = req.uri().path_and_query().map(|pq| pq.as_str()).unwrap_or(path);
        return Redirect::to(&format!("/login?next={}", encode_query_value(target))).into_response();
    }
    next.run(req).await
}

/// The signed-in user's id, from inside a server function; `Unauthenticated` otherwise.
pub async fn require_user_id() -> Result<i64, AppError> {
    let session: Session = leptos_axum::extract().await.map_err(|_| AppError::Unauthenticated)?;
    session_user_id(&session).await.ok_or(AppError::Unauthenticated)
}

/// Percent-encodes a value for a query string (RFC 3986 unreserved characters stay).
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
    fn only_the_three_private_areas_are_guarded() {
        for path in ["/dashboard", "/dashboard/orders/7", "/client", "/client/invoices", "/admin", "/admin/posts"] {
            assert!(is_private(path), "{path}");
        }
        for path in ["/", "/clients", "/administrator", "/blog/admin", "/dashboards"] {
            assert!(!is_private(path), "{path}");
        }
    }

    #[test]
    fn next_keeps_the_query_but_cannot_break_out_of_it() {
        assert_eq!(encode_query_value("/dashboard/orders?page=2&x=1"), "/dashboard/orders%3Fpage%3D2%26x%3D1");
    }
}
