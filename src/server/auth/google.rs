//! Sign in with Google: OpenID Connect's authorization code flow with PKCE, state
//! and nonce (the `openidconnect` crate); the provider's side here, the browser's
//! (session, redirects) in `web::auth`. Shown only when `GOOGLE_CLIENT_ID` and
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

use crate::domain::{Role, Viewer};
use crate::server::config::GoogleConfig;
use crate::server::db::{audit, identities, users, DbError};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

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

    /// Where to send the browser, with a fresh state, nonce and PKCE challenge, and
    /// the secrets its callback is checked against.
    pub async fn begin(&self) -> anyhow::Result<(String, FlowSecrets)> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, csrf, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        let secrets = FlowSecrets {
            state: csrf.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
        };
        Ok((url.to_string(), secrets))
    }

    /// Exchanges the code (with the PKCE verifier) and verifies the ID token.
    pub async fn verify(&self, code: String, flow: &FlowSecrets) -> anyhow::Result<Result<GoogleAccount, Refusal>> {
        let client = self.client().await?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier.clone()))
            .request_async(&self.http)
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
}

/// The secrets of one flow: kept by the browser's session between the redirect to
/// the provider and its callback.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FlowSecrets {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
}

/// What the provider vouched for.
pub struct GoogleAccount {
    pub subject: String,
    pub email: String,
    pub name: String,
}

/// Links the Google account to the signed-in person.
pub fn link(
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
pub fn find_or_create(
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
