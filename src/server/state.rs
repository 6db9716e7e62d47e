//! Application state: built once at start-up, shared by handlers and server
//! functions (reached through Leptos context, never a global).

use super::auth::rate_limit::RateLimiter;
use super::config::Config;
use super::db::Db;
use super::mail::Mailer;
use super::payments::Gateways;
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub config: Arc<Config>,
    pub db: Db,
    pub secret: Arc<SecretKey>,
    pub mailer: Mailer,
    pub gateways: Gateways,
    pub github: super::github::Github,
    /// Login, register, password reset: 5 attempts a minute per client IP.
    pub auth_limiter: Arc<RateLimiter>,
    /// The license API: 30 requests a minute per client IP.
    pub api_limiter: Arc<RateLimiter>,
    /// Waitlist and contact form: 5 a minute per client IP.
    pub form_limiter: Arc<RateLimiter>,
    /// Public catalog and content reads; emptied by every admin edit.
    pub cache: Arc<super::cache::ContentCache>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

/// The key that signs download links and other tokens. Never logged.
pub struct SecretKey(Vec<u8>);

impl SecretKey {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<hidden>)")
    }
}

/// The application state, from inside a server function or component.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}
