//! Guards: who may load which area. The middleware loads the signed-in person once
//! per page request and protects full page loads (redirects to sign in or to email
//! verification; a wrong role gets the page's 403 rendering with status 403);
//! server functions check again for themselves, since they are public endpoints.

use crate::domain::account::{access, Access, Area, RequestViewer};
use crate::domain::{Role, Viewer};
use crate::error::AppError;
use crate::server::auth::session_store::{REMEMBER_KEY, SIGNED_IN_AT_KEY, USER_ID_KEY};
use crate::server::db::sessions::{self, SessionOwner, SignInKeys};
use crate::server::db::{self, users};
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

/// How long a staff sign-in lasts at most, active or not.
pub const STAFF_SESSION_SECS: i64 = 12 * 3600;

/// The signed-in user, fresh from the database (a deleted user counts as signed
/// out; so does staff signed in more than 12 hours ago).
pub async fn load_viewer(state: &AppState, session: &Session) -> Result<Option<Viewer>, AppError> {
    // Usually one statement reads the session's owner and the person together. A
    // session changed by this request is read as changed (its data, not the row); an
    // unknown or expired one goes through the session layer, which then drops its cookie.
    if let Some(id) = session.id().filter(|_| !session.is_modified()) {
        let key = crate::server::auth::session_store::key(&id);
        const KEYS: SignInKeys = SignInKeys { at: SIGNED_IN_AT_KEY, remember: REMEMBER_KEY };
        let owner = state.db.read(move |c| sessions::owner(c, &key, db::now(), &KEYS)).await?;
        match owner {
            Some(SessionOwner::Nobody) => return Ok(None),
            Some(SessionOwner::User { user, sign_in }) => {
                let viewer = admit(session, user, sign_in.at).await;
                if let Some(viewer) = &viewer {
                    crate::server::auth::renew_if_due(
                        session,
                        sign_in.expires_at,
                        sign_in.remember,
                        viewer.role == Role::Staff,
                    );
                }
                return Ok(viewer);
            }
            None => {}
        }
    }
    let Some(id) = session_user_id(session).await else { return Ok(None) };
    let Some(user) = state.db.read(move |c| users::find_by_id(c, id)).await? else { return Ok(None) };
    let signed_in_at = session.get::<i64>(SIGNED_IN_AT_KEY).await.ok().flatten();
    Ok(admit(session, user, signed_in_at).await)
}

/// The session's person as a viewer, unless staff disabled them (their sessions were
/// ended too) or they are staff signed in more than 12 hours ago (then the session ends).
async fn admit(session: &Session, user: users::UserRow, signed_in_at: Option<i64>) -> Option<Viewer> {
    if user.disabled {
        return None;
    }
    let viewer = user.viewer;
    if viewer.role == Role::Staff && signed_in_at.is_none_or(|t| db::now() - t > STAFF_SESSION_SECS) {
        tracing::info!(user_id = viewer.id, "a staff session reached its 12 hours and was ended");
        if let Err(err) = session.flush().await {
            tracing::warn!(error = %err, "ending an expired staff session");
        }
        return None;
    }
    Some(viewer)
}

/// Requests that are pages (not assets, downloads, feeds or API calls).
fn is_page_request(req: &Request) -> bool {
    let path = req.uri().path();
    matches!(*req.method(), Method::GET | Method::HEAD)
        && !["/pkg/", "/uploads/", "/files/", "/api/"].iter().any(|p| path.starts_with(p))
        && !path.rsplit('/').next().is_some_and(|last| last.contains('.'))
}

/// Loads the signed-in person once per page request (only when a session exists),
/// and guards the private areas: redirects to sign in or to email verification;
/// a wrong role gets the layout's 403 page with status 403.
pub async fn load_viewer_for_pages(
    State(state): State<AppState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    if !is_page_request(&req) {
        return next.run(req).await;
    }
    let viewer = match load_viewer(&state, &session).await {
        Ok(viewer) => viewer,
        Err(err) => return (StatusCode::SERVICE_UNAVAILABLE, err.to_string()).into_response(),
    };
    if let Some(typed) = crate::server::typed_input::take(&session, req.uri().query()).await {
        req.extensions_mut().insert(typed);
    }
    if let Some(outcome) = crate::server::typed_input::take_tool_outcome(&session, req.uri().query()).await {
        req.extensions_mut().insert(outcome);
    }
    let area = Area::of_path(req.uri().path());
    let target = req.uri().path_and_query().map(|pq| pq.as_str()).unwrap_or("/").to_owned();
    let verdict = area.map(|area| access(area, viewer.as_ref()));
    req.extensions_mut().insert(RequestViewer(viewer));
    // Who the site is, for the header, titles and footer (cached with the settings).
    let identity = match state.studio_identity().await {
        Ok(identity) => identity,
        Err(err) => return crate::web::files::unavailable(&err, "loading the studio's settings for a page"),
    };
    req.extensions_mut().insert(identity);
    match verdict {
        None | Some(Access::Allowed) => next.run(req).await,
        Some(Access::SignIn) => Redirect::to(&format!("/login?next={}", encode_query_value(&target))).into_response(),
        Some(Access::VerifyEmail) => Redirect::to("/verify-email").into_response(),
        Some(Access::Forbidden) => {
            let mut res = next.run(req).await;
            *res.status_mut() = StatusCode::FORBIDDEN;
            res
        }
    }
}

/// Reads the request being rendered (Leptos provides its parts as context), borrowing
/// them: `use_context` would clone the whole head (headers and extensions) per call.
fn with_request<R>(f: impl FnOnce(&axum::http::request::Parts) -> Option<R>) -> Option<R> {
    leptos::prelude::with_context::<axum::http::request::Parts, _>(f).flatten()
}

/// Who the site is, for the page being rendered (loaded with the viewer).
pub fn page_identity() -> Option<crate::domain::settings::StudioIdentity> {
    with_request(|parts| parts.extensions.get::<crate::domain::settings::StudioIdentity>().cloned())
}

/// What the middleware loaded for the request being handled, if it did (page requests only).
fn loaded_for_request() -> Option<RequestViewer> {
    with_request(|parts| parts.extensions.get::<RequestViewer>().cloned())
}

/// What was typed into the refused form this page shows the error of, by field name.
pub fn typed_input(name: &str) -> Option<String> {
    with_request(|parts| {
        parts.extensions.get::<crate::server::typed_input::TypedInput>().and_then(|t| t.0.get(name).cloned())
    })
}

/// The outcome of the tool run this page shows (after a form post without JavaScript).
pub fn tool_outcome() -> Option<crate::domain::tools::ToolOutcome> {
    with_request(|parts| parts.extensions.get::<crate::domain::tools::ToolOutcome>().cloned())
}

/// The refused form's `{prefix}[field]` fields as one value (missing fields take their defaults).
pub fn typed_form<T: serde::de::DeserializeOwned>(prefix: &str) -> Option<T> {
    let fields: serde_json::Map<String, serde_json::Value> = with_request(|parts| {
        let typed = parts.extensions.get::<crate::server::typed_input::TypedInput>()?;
        Some(
            typed
                .0
                .iter()
                .filter_map(|(name, value)| {
                    let field = name.strip_prefix(prefix)?.strip_prefix('[')?.strip_suffix(']')?;
                    Some((field.to_owned(), serde_json::Value::String(value.clone())))
                })
                .collect(),
        )
    })?;
    serde_json::from_value(serde_json::Value::Object(fields)).ok()
}

/// The signed-in person of the page being rendered (server side), as loaded by the middleware.
pub fn page_viewer() -> Option<Viewer> {
    loaded_for_request().and_then(|v| v.0)
}

/// The signed-in user with a confirmed address, from inside a server function (or a
/// page's data load: then the person the middleware already loaded for this request,
/// without asking again). An unconfirmed account is refused like in every area.
pub async fn require_viewer() -> Result<Viewer, AppError> {
    let viewer = match loaded_for_request() {
        Some(loaded) => loaded.0.ok_or(AppError::Unauthenticated)?,
        None => {
            let state = crate::server::state()?;
            let session: Session = leptos_axum::extract().await.map_err(|_| AppError::Unauthenticated)?;
            load_viewer(&state, &session).await?.ok_or(AppError::Unauthenticated)?
        }
    };
    if !viewer.verified {
        return Err(AppError::validation(CONFIRM_FIRST));
    }
    Ok(viewer)
}

/// What an unconfirmed account is told wherever it is turned away.
const CONFIRM_FIRST: &str = "Please confirm your email address first.";

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
        Access::VerifyEmail => Err(AppError::validation(CONFIRM_FIRST)),
        Access::Forbidden => Err(AppError::Forbidden),
    }
}

/// The language of the page a form was sent from, and the site's languages: the
/// other language's version names itself by its prefix in the `Referer`
/// (`/en/contact`); any other page is in the studio's language.
pub async fn form_language() -> Result<(crate::domain::Lang, crate::domain::i18n::SiteLanguages), AppError> {
    let site = crate::server::state()?.site_languages().await?;
    let referer = with_request(|parts| {
        parts.headers.get(axum::http::header::REFERER).and_then(|r| r.to_str().ok()).map(str::to_owned)
    });
    Ok((site.of_referer(referer.as_deref()), site))
}

/// Percent-encodes a value for a query string (RFC 3986 unreserved characters and `/` stay).
pub use crate::domain::account::query_value as encode_query_value;

/// The signed-in staff member, or the response to send instead.
pub async fn staff_from_session(state: &AppState, session: &Session) -> Result<Viewer, Response> {
    viewer_for_area(state, session, Area::Admin, "/admin").await
}

/// The person allowed into `area`, for a handler outside Leptos (an export, a
/// download), or the answer that turns them away (to sign in, then `next`).
pub async fn viewer_for_area(state: &AppState, session: &Session, area: Area, next: &str) -> Result<Viewer, Response> {
    let viewer = match load_viewer(state, session).await {
        Ok(v) => v,
        Err(err) => return Err((StatusCode::SERVICE_UNAVAILABLE, err.to_string()).into_response()),
    };
    match access(area, viewer.as_ref()) {
        Access::Allowed => Ok(viewer.expect("allowed viewers exist")),
        Access::SignIn => Err(Redirect::to(&format!("/login?next={}", encode_query_value(next))).into_response()),
        Access::VerifyEmail | Access::Forbidden => {
            Err((StatusCode::FORBIDDEN, "You do not have access to this page.").into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_keeps_the_query_but_cannot_break_out_of_it() {
        assert_eq!(encode_query_value("/dashboard/orders?page=2&x=1"), "/dashboard/orders%3Fpage%3D2%26x%3D1");
    }
}
