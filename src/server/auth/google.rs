//! Sign in with Google: OpenID Connect's authorization code flow with PKCE, state
//! and nonce (the `openidconnect` crate). Shown only when `GOOGLE_CLIENT_ID` and
//! `GOOGLE_CLIENT_SECRET` are set; the issuer is `GOOGLE_ISSUER_URL` (Google by
//! default, a fake provider on 127.0.0.1 in tests).
//!
//! * `GET /auth/google?next=…` keeps the flow's state, nonce and PKCE verifier in
//!   the session and sends the browser to the provider.
//! * `GET /auth/google/callback` takes the flow out of the session (so a code can
//!   be used once), checks the state, exchanges the code with the verifier, and
//!   verifies the ID token (signature, issuer, audience, expiry, nonce).
//! * A verified Google email signs in to the account with that address (linking
//!   it) or creates a verified member; an unverified one is refused. An account whose
//!   address was never confirmed loses the password it was registered with (and its
//!   sessions) when Google claims it. Staff never sign in with Google. The session id is
//!   cycled as at every sign-in.
//! * `?link=1` links another Google account to the signed-in member: only with their
//!   password entered within the last 10 minutes (or a Google sign-in of an identity
//!   already linked), never for staff.

use super::sign_in;
use crate::domain::account::safe_next;
use crate::domain::{Role, Viewer};
use crate::server::config::GoogleConfig;
use crate::server::db::{audit, identities, users, DbError};
use crate::server::telemetry::chain;
use crate::server::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;
use tower_sessions::Session;

/// Where the flow in progress is kept in the session.
const FLOW_KEY: &str = "google_flow";
/// A flow not finished within this long is refused.
const FLOW_LIFETIME_SECS: i64 = 600;
/// The provider's discovery document is fetched again after this long.
const METADATA_TTL: Duration = Duration::from_secs(3600);
pub const PROVIDER: &str = "google";

/// The configured provider, its HTTP client, and its cached discovery document.
pub struct GoogleSignIn {
    config: GoogleConfig,
    redirect: RedirectUrl,
    http: openidconnect::reqwest::Client,
    metadata: Mutex<Option<(Instant, CoreProviderMetadata)>>,
}

/// What the session holds between the redirect to the provider and its callback.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Flow {
    state: String,
    nonce: String,
    verifier: String,
    next: Option<String>,
    /// Set when a signed-in person links Google to their account.
    link_user: Option<i64>,
    started_at: i64,
}

/// Why a Google sign-in did not happen; the code travels to `/login?error=…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No flow in the session: expired, already used (a replayed code), or another browser.
    Expired,
    /// The `state` is not the one this browser was given.
    State,
    /// The person cancelled at Google.
    Cancelled,
    /// The code exchange or the ID token failed verification.
    Failed,
    Unverified,
    /// A staff account, not linked while signed in.
    Staff,
    /// That Google account is linked to someone else.
    Taken,
    /// The account was disabled by staff.
    Disabled,
}

impl Refusal {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Expired => "google_expired",
            Self::State => "google_state",
            Self::Cancelled => "google_cancelled",
            Self::Failed => "google_failed",
            Self::Unverified => "google_unverified",
            Self::Staff => "google_staff",
            Self::Taken => "google_taken",
            Self::Disabled => "google_disabled",
        }
    }
}

impl GoogleSignIn {
    pub fn new(config: GoogleConfig, site_url: &str) -> anyhow::Result<Self> {
        let redirect = RedirectUrl::new(format!("{}/auth/google/callback", site_url.trim_end_matches('/')))?;
        // Following redirects would let a provider send our requests elsewhere (SSRF).
        let http = openidconnect::reqwest::Client::builder()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(15))
            .build()?;
        Ok(Self { config, redirect, http, metadata: Mutex::new(None) })
    }

    async fn metadata(&self) -> anyhow::Result<CoreProviderMetadata> {
        let mut cached = self.metadata.lock().await;
        if let Some((at, metadata)) = cached.as_ref() {
            if at.elapsed() < METADATA_TTL {
                return Ok(metadata.clone());
            }
        }
        let issuer = IssuerUrl::new(self.config.issuer_url.clone())?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http).await?;
        *cached = Some((Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    async fn client(
        &self,
    ) -> anyhow::Result<
        openidconnect::Client<
            openidconnect::EmptyAdditionalClaims,
            openidconnect::core::CoreAuthDisplay,
            openidconnect::core::CoreGenderClaim,
            openidconnect::core::CoreJweContentEncryptionAlgorithm,
            openidconnect::core::CoreJsonWebKey,
            openidconnect::core::CoreAuthPrompt,
            openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
            openidconnect::core::CoreTokenResponse,
            openidconnect::core::CoreTokenIntrospectionResponse,
            openidconnect::core::CoreRevocableToken,
            openidconnect::core::CoreRevocationErrorResponse,
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
    > {
        let metadata = self.metadata().await?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            Some(ClientSecret::new(self.config.client_secret.expose().to_owned())),
        )
        .set_redirect_uri(self.redirect.clone()))
    }
}

fn to_login(refusal: Refusal) -> Response {
    Redirect::to(&format!("/login?error={}", refusal.code())).into_response()
}

#[derive(Debug, Deserialize)]
pub struct StartQuery {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    link: Option<String>,
}

/// `GET /auth/google`: to the provider, with a fresh state, nonce and PKCE challenge.
pub async fn start(State(state): State<AppState>, session: Session, Query(q): Query<StartQuery>) -> Response {
    let Some(google) = state.google.clone() else {
        return (axum::http::StatusCode::NOT_FOUND, "Sign in with Google is not set up here.").into_response();
    };
    let client = match google.client().await {
        Ok(client) => client,
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
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let flow = Flow {
        state: csrf.secret().clone(),
        nonce: nonce.secret().clone(),
        verifier: verifier.secret().clone(),
        next: safe_next(q.next.as_deref()),
        link_user,
        started_at: crate::server::db::now(),
    };
    if let Err(err) = session.insert(FLOW_KEY, flow).await {
        tracing::error!(error = %err, "Google sign-in: could not keep the flow in the session");
        return to_login(Refusal::Failed);
    }
    Redirect::to(url.as_str()).into_response()
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

/// What the provider vouched for.
struct GoogleAccount {
    subject: String,
    email: String,
    name: String,
}

/// `GET /auth/google/callback`: checks everything, then signs in (or links).
pub async fn callback(State(state): State<AppState>, session: Session, Query(q): Query<CallbackQuery>) -> Response {
    let Some(google) = state.google.clone() else {
        return (axum::http::StatusCode::NOT_FOUND, "Sign in with Google is not set up here.").into_response();
    };
    // Taken out first: whatever happens next, this flow cannot be used again.
    let flow = session.remove::<Flow>(FLOW_KEY).await.ok().flatten();
    let Some(flow) = flow.filter(|f| crate::server::db::now() - f.started_at <= FLOW_LIFETIME_SECS) else {
        return to_login(Refusal::Expired);
    };
    if q.error.is_some() {
        return to_login(Refusal::Cancelled);
    }
    let given = q.state.unwrap_or_default();
    if !bool::from(subtle::ConstantTimeEq::ct_eq(given.as_bytes(), flow.state.as_bytes())) {
        tracing::warn!("Google sign-in: the state does not match this browser's");
        return to_login(Refusal::State);
    }
    let Some(code) = q.code.filter(|c| !c.is_empty() && c.len() <= 2048) else {
        return to_login(Refusal::Failed);
    };
    let account = match verify(&google, code, &flow).await {
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
        if super::guard::session_user_id(&session).await != Some(user_id) {
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
        if let Err(err) = super::mark_reauthenticated(&session).await {
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

/// Exchanges the code (with the PKCE verifier) and verifies the ID token.
async fn verify(google: &GoogleSignIn, code: String, flow: &Flow) -> anyhow::Result<Result<GoogleAccount, Refusal>> {
    let client = google.client().await?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))?
        .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier.clone()))
        .request_async(&google.http)
        .await?;
    let id_token = tokens.id_token().ok_or_else(|| anyhow::anyhow!("the provider sent no ID token"))?;
    let claims = id_token.claims(&client.id_token_verifier(), &Nonce::new(flow.nonce.clone()))?;
    let Some(email) = claims.email().map(|e| e.as_str().to_owned()) else {
        return Ok(Err(Refusal::Unverified));
    };
    if claims.email_verified() != Some(true) {
        return Ok(Err(Refusal::Unverified));
    }
    let email = match crate::domain::Email::parse(&email) {
        Ok(email) => email.as_str().to_owned(),
        Err(_) => return Ok(Err(Refusal::Unverified)),
    };
    let name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| n.as_str().trim().chars().take(100).collect::<String>())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| email.split('@').next().unwrap_or("Member").to_owned());
    Ok(Ok(GoogleAccount { subject: claims.subject().as_str().to_owned(), email, name }))
}

/// The signed-in person who may link a Google account now, or where to send them:
/// a confirmed member or client who proved who they are within the last 10 minutes.
async fn linking_viewer(state: &AppState, session: &Session) -> Result<Viewer, Response> {
    let viewer = match super::guard::load_viewer(state, session).await {
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
    if !super::recently_reauthenticated(session).await {
        return Err(Redirect::to("/dashboard/profile?google=password#google").into_response());
    }
    Ok(viewer)
}

/// Links the Google account to the signed-in person.
fn link(
    tx: &rusqlite::Transaction<'_>,
    user_id: i64,
    account: &GoogleAccount,
) -> Result<Result<(Viewer, bool), Refusal>, DbError> {
    let Some(user) = users::find_by_id(tx, user_id)? else { return Ok(Err(Refusal::Expired)) };
    if user.viewer.role == Role::Staff {
        return Ok(Err(Refusal::Staff));
    }
    match identities::user_for(tx, PROVIDER, &account.subject)? {
        Some(owner) if owner == user_id => return Ok(Ok((user.viewer, false))),
        Some(_) => return Ok(Err(Refusal::Taken)),
        None => {}
    }
    identities::link(tx, PROVIDER, &account.subject, user_id, &account.email)?;
    audit::record(tx, Some(user_id), "google.linked", &format!("user:{user_id}"), &account.email)?;
    Ok(Ok((user.viewer, true)))
}

/// The account a Google sign-in opens: already linked, the one with that email
/// (linked now), or a new verified member; never a staff account.
fn find_or_create(
    tx: &rusqlite::Transaction<'_>,
    account: &GoogleAccount,
) -> Result<Result<(Viewer, bool), Refusal>, DbError> {
    if let Some(user_id) = identities::user_for(tx, PROVIDER, &account.subject)? {
        return Ok(match users::find_by_id(tx, user_id)? {
            Some(u) if u.disabled => Err(Refusal::Disabled),
            Some(u) if u.viewer.role == Role::Staff => Err(Refusal::Staff),
            Some(u) => Ok((u.viewer, false)),
            None => Err(Refusal::Expired),
        });
    }
    let user_id = match users::find_by_email(tx, &account.email)? {
        Some(user) if user.disabled => return Ok(Err(Refusal::Disabled)),
        Some(user) if user.viewer.role == Role::Staff => return Ok(Err(Refusal::Staff)),
        Some(user) => {
            // Google vouched for the address: it is confirmed now. A password chosen
            // before by whoever registered it unconfirmed goes, with their sessions.
            if users::forget_unproven_password(tx, user.viewer.id)? {
                audit::record(
                    tx,
                    Some(user.viewer.id),
                    "account.unproven_password_forgotten",
                    &format!("user:{}", user.viewer.id),
                    "claimed through Google",
                )?;
            }
            users::mark_verified(tx, user.viewer.id)?;
            user.viewer.id
        }
        None => {
            let Some(id) =
                users::insert(tx, &account.name, &account.email, users::UNUSABLE_PASSWORD, Role::Member, true)?
            else {
                return Ok(Err(Refusal::Failed));
            };
            audit::record(tx, Some(id), "account.created_with_google", &format!("user:{id}"), &account.email)?;
            id
        }
    };
    identities::link(tx, PROVIDER, &account.subject, user_id, &account.email)?;
    audit::record(tx, Some(user_id), "google.linked", &format!("user:{user_id}"), &account.email)?;
    Ok(users::find_by_id(tx, user_id)?.map(|user| (user.viewer, true)).ok_or(Refusal::Failed))
}
