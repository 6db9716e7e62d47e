//! Sign in with Google, the browser's side: the flow kept in the session between
//! `GET /auth/google` and its callback, and the redirects. The provider's side
//! (discovery, code exchange, ID token, the accounts it opens) is `server::auth::google`.
//!
//! * `GET /auth/google?next=…` keeps the flow's state, nonce and PKCE verifier in
//!   the session and sends the browser to the provider.
//! * `GET /auth/google/callback` takes the flow out of the session (so a code can
//!   be used once), checks the state, and lets the provider's side verify the code.
//! * `?link=1` links another Google account to the signed-in member: only with their
//!   password entered within the last 10 minutes (or a Google sign-in of an identity
//!   already linked), never for staff.

use super::guard;
use crate::domain::account::safe_next;
use crate::domain::{Role, Viewer};
use crate::server::auth::google::{find_or_create, link, FlowSecrets, Refusal};
use crate::server::auth::{mark_reauthenticated, recently_reauthenticated, sign_in};
use crate::server::db::DbError;
use crate::server::telemetry::chain;
use crate::server::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

/// This area's plain HTTP routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/auth/google", get(start)).route("/auth/google/callback", get(callback))
}

/// Where the flow in progress is kept in the session.
const FLOW_KEY: &str = "google_flow";
/// A flow not finished within this long is refused.
const FLOW_LIFETIME_SECS: i64 = 600;

/// What the session holds between the redirect to the provider and its callback.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Flow {
    #[serde(flatten)]
    secrets: FlowSecrets,
    next: Option<String>,
    /// Set when a signed-in person links Google to their account.
    link_user: Option<i64>,
    started_at: i64,
}

fn to_login(refusal: Refusal) -> Response {
    Redirect::to(&format!("/login?error={}", refusal.code())).into_response()
}

fn not_set_up() -> Response {
    (axum::http::StatusCode::NOT_FOUND, "Sign in with Google is not set up here.").into_response()
}

#[derive(Debug, Deserialize)]
pub struct StartQuery {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    link: Option<String>,
}

/// `GET /auth/google`: to the provider, with a fresh state, nonce and PKCE challenge.
async fn start(State(state): State<AppState>, session: Session, Query(q): Query<StartQuery>) -> Response {
    let Some(google) = state.google.clone() else { return not_set_up() };
    let (url, secrets) = match google.begin().await {
        Ok(begun) => begun,
        Err(err) => {
            tracing::error!(error = %format!("{err:#}"), "Google sign-in: the provider could not be reached");
            return to_login(Refusal::Failed);
        }
    };
    let link_user = if q.link.is_some() {
        match linking_viewer(&state, &session).await {
            Ok(viewer) => Some(viewer.id),
            Err(refused) => return refused,
        }
    } else {
        None
    };
    let flow = Flow { secrets, next: safe_next(q.next.as_deref()), link_user, started_at: crate::server::db::now() };
    if let Err(err) = session.insert(FLOW_KEY, flow).await {
        tracing::error!(error = %err, "Google sign-in: could not keep the flow in the session");
        return to_login(Refusal::Failed);
    }
    Redirect::to(&url).into_response()
}

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// `GET /auth/google/callback`: checks everything, then signs in (or links).
async fn callback(State(state): State<AppState>, session: Session, Query(q): Query<CallbackQuery>) -> Response {
    let Some(google) = state.google.clone() else { return not_set_up() };
    // Taken out first: whatever happens next, this flow cannot be used again.
    let flow = session.remove::<Flow>(FLOW_KEY).await.ok().flatten();
    let Some(flow) = flow.filter(|f| crate::server::db::now() - f.started_at <= FLOW_LIFETIME_SECS) else {
        return to_login(Refusal::Expired);
    };
    if q.error.is_some() {
        return to_login(Refusal::Cancelled);
    }
    let given = q.state.unwrap_or_default();
    if !bool::from(subtle::ConstantTimeEq::ct_eq(given.as_bytes(), flow.secrets.state.as_bytes())) {
        tracing::warn!("Google sign-in: the state does not match this browser's");
        return to_login(Refusal::State);
    }
    let Some(code) = q.code.filter(|c| !c.is_empty() && c.len() <= 2048) else {
        return to_login(Refusal::Failed);
    };
    let account = match google.verify(code, &flow.secrets).await {
        Ok(Ok(account)) => account,
        Ok(Err(refusal)) => return to_login(refusal),
        Err(err) => {
            tracing::warn!(error = %format!("{err:#}"), "Google sign-in: the code or the ID token was refused");
            return to_login(Refusal::Failed);
        }
    };
    let link_user = flow.link_user;
    if let Some(user_id) = link_user {
        // The flow was started by this session's person; they must still be the one signed in.
        if guard::session_user_id(&session).await != Some(user_id) {
            return to_login(Refusal::Expired);
        }
    }
    let found = state
        .db
        .run(move |c| -> Result<Result<(Viewer, bool), Refusal>, DbError> {
            let tx = c.transaction()?;
            let outcome = match link_user {
                Some(user_id) => link(&tx, user_id, &account)?,
                None => find_or_create(&tx, &account)?,
            };
            if outcome.is_ok() {
                tx.commit()?;
            }
            Ok(outcome)
        })
        .await;
    let (viewer, linked_now) = match found {
        Ok(Ok(found)) => found,
        Ok(Err(refusal)) => return to_login(refusal),
        Err(err) => {
            tracing::error!(error = %chain(&err), "Google sign-in: the account could not be read or written");
            return to_login(Refusal::Failed);
        }
    };
    if link_user.is_some() {
        return Redirect::to("/dashboard/profile?google=linked").into_response();
    }
    if let Err(err) = sign_in(&session, &viewer, false).await {
        tracing::error!(error = %format!("{err:#}"), "Google sign-in: the session could not be written");
        return to_login(Refusal::Failed);
    }
    // Signing in with an identity linked before proves the person as a password would.
    if !linked_now {
        if let Err(err) = mark_reauthenticated(&session).await {
            tracing::error!(error = %format!("{err:#}"), "Google sign-in: the session could not be written");
            return to_login(Refusal::Failed);
        }
    }
    tracing::info!(user_id = viewer.id, linked_now, "signed in with Google");
    let home = match viewer.role {
        Role::Staff => "/admin",
        Role::Client => "/client",
        Role::Member => "/dashboard",
    };
    Redirect::to(&flow.next.unwrap_or_else(|| home.to_owned())).into_response()
}

/// The signed-in person who may link a Google account now, or where to send them:
/// a confirmed member or client who proved who they are within the last 10 minutes.
async fn linking_viewer(state: &AppState, session: &Session) -> Result<Viewer, Response> {
    let viewer = match guard::load_viewer(state, session).await {
        Ok(Some(viewer)) => viewer,
        Ok(None) => return Err(Redirect::to("/login?next=/dashboard/profile%23google").into_response()),
        Err(err) => {
            tracing::error!(error = %chain(&err), "Google link: loading the person failed");
            return Err(to_login(Refusal::Failed));
        }
    };
    if !viewer.verified {
        return Err(Redirect::to("/verify-email").into_response());
    }
    if viewer.role == Role::Staff {
        return Err(Redirect::to("/dashboard/profile?google=staff#google").into_response());
    }
    if !recently_reauthenticated(session).await {
        return Err(Redirect::to("/dashboard/profile?google=password#google").into_response());
    }
    Ok(viewer)
}
