//! What a person typed into a form survives a refused submission without
//! JavaScript. Such a form is a plain POST to a server function; when it fails,
//! Leptos redirects back to the page with the error (`__err`) in the address, and
//! the page would come back empty. This keeps the submitted fields (never a
//! password or a token) in the session for exactly that redirect; the page
//! middleware takes them out again, once, and form fields read them with
//! `components::typed`. A tool run without JavaScript leaves its outcome here
//! the same way, for the tool page it sends the browser back to.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use tower_sessions::Session;

/// The session key the fields wait under, between the POST and the page it redirects to.
const FLASH_KEY: &str = "typed_input";
/// The largest form body kept (the product form with a long description fits).
const MAX_FORM_BYTES: usize = 256 * 1024;

/// The fields of the refused submission, for the page the browser is sent back to.
#[derive(Clone, Debug, Default)]
pub struct TypedInput(pub HashMap<String, String>);

/// Fields whose values are never kept.
fn is_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["password", "token", "secret"].iter().any(|s| name.contains(s))
}

/// A form POST from a browser without JavaScript (it asks for HTML back).
fn is_plain_form_post(req: &Request) -> bool {
    let header_has =
        |name, value: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains(value));
    req.method() == Method::POST
        && req.uri().path().starts_with("/api/")
        && header_has(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        && header_has(header::ACCEPT, "text/html")
}

/// Keeps the submitted fields when the submission is refused (a redirect carrying `__err`).
pub async fn keep_on_error(session: Session, req: Request, next: Next) -> Response {
    if !is_plain_form_post(&req) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large to send.").into_response();
    };
    let fields: HashMap<String, String> = form_urlencoded::parse(&bytes)
        .filter(|(name, _)| !is_secret(name))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let res = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    let refused = res.status().is_redirection()
        && res.headers().get(header::LOCATION).and_then(|l| l.to_str().ok()).is_some_and(|l| l.contains("__err="));
    if refused && !fields.is_empty() {
        if let Err(err) = session.insert(FLASH_KEY, fields).await {
            tracing::warn!(error = %err, "keeping a refused form's input");
        }
    }
    res
}

/// For a page request that shows a refused submission's error: the fields it kept, taken out.
pub async fn take(session: &Session, query: Option<&str>) -> Option<TypedInput> {
    if !query.is_some_and(|q| q.contains("__err=")) {
        return None;
    }
    match session.remove::<HashMap<String, String>>(FLASH_KEY).await {
        Ok(fields) => fields.map(TypedInput),
        Err(err) => {
            tracing::warn!(error = %err, "reading a refused form's input");
            None
        }
    }
}

/// The session key a tool run's outcome waits under, between the form post and the page.
const TOOL_OUTCOME_KEY: &str = "tool_outcome";

/// Keeps a tool run's outcome for the page the browser is sent back to.
pub async fn keep_tool_outcome(
    session: &Session,
    outcome: crate::domain::tools::ToolOutcome,
) -> Result<(), tower_sessions::session::Error> {
    session.insert(TOOL_OUTCOME_KEY, outcome).await
}

/// For the page a tool run sent the browser back to (`?ran=1`): the outcome it kept, taken out.
pub async fn take_tool_outcome(session: &Session, query: Option<&str>) -> Option<crate::domain::tools::ToolOutcome> {
    if !query.is_some_and(|q| q.split('&').any(|p| p == "ran=1")) {
        return None;
    }
    match session.remove::<crate::domain::tools::ToolOutcome>(TOOL_OUTCOME_KEY).await {
        Ok(outcome) => outcome,
        Err(err) => {
            tracing::warn!(error = %err, "reading a tool run's outcome");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_and_tokens_are_never_kept() {
        for name in ["password", "new_password", "Password2", "token", "reset_token", "client_secret"] {
            assert!(super::is_secret(name), "{name}");
        }
        for name in ["email", "name", "message", "form[name]", "subject"] {
            assert!(!super::is_secret(name), "{name}");
        }
    }
}
