//! Application state: built once at start-up, shared by handlers and server
//! functions (reached through Leptos context, never a global).

use super::config::Config;
use super::db::Db;
use super::mail::Mailer;
use super::rate_limit::RateLimiter;
use super::studio::payments::gateways::Gateways;
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// The application state: one allocation shared by every request (a clone is one
/// reference count, and Leptos clones it many times per page).
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> Self {
        Self(Arc::new(services))
    }

    /// The studio's settings now (cached).
    pub async fn studio_settings(&self) -> Result<crate::domain::settings::StudioSettings, super::db::DbError> {
        let config = self.config.clone();
        let settings = self
            .cache
            .get_or_load(&self.db, "settings:studio".into(), move |c, _| super::studio::settings::load(c, &config))
            .await?;
        // Mail, written where no settings are at hand, names the studio by this.
        self.config.studio_name_now.set(&settings.name, &settings.logo);
        self.config.studio_name_now.set_language(settings.language);
        Ok(settings)
    }

    /// The site's languages (the studio's one first), cached on their own: the language
    /// middleware asks on every request for a page under `/en` or `/id`.
    pub async fn site_languages(&self) -> Result<crate::domain::i18n::SiteLanguages, super::db::DbError> {
        let config = self.config.clone();
        self.cache
            .get_or_load(&self.db, "settings:language".into(), move |c, _| {
                let default = super::studio::settings::load(c, &config)?.language;
                Ok(crate::domain::i18n::SiteLanguages { default })
            })
            .await
    }

    /// Who the site is (its name and legal name), for every page: cached on its own so a
    /// page request clones two strings, not the whole settings.
    pub async fn studio_identity(&self) -> Result<crate::domain::settings::StudioIdentity, super::db::DbError> {
        let config = self.config.clone();
        self.cache
            .get_or_load(&self.db, "settings:identity".into(), move |c, _| {
                let settings = super::studio::settings::load(c, &config)?;
                config.studio_name_now.set(&settings.name, &settings.logo);
                config.studio_name_now.set_language(settings.language);
                use crate::domain::navigation::Navigation;
                let navigation = super::studio::navigation::load(c)?;
                let other = super::studio::navigation::load_version(c, settings.language.other())?;
                Ok(crate::domain::settings::StudioIdentity {
                    header_links: Navigation::shown(&navigation.header),
                    footer_links: Navigation::shown(&navigation.footer),
                    other_links: other.map(|n| crate::domain::settings::ShownMenus {
                        header: Navigation::shown(&n.header),
                        footer: Navigation::shown(&n.footer),
                    }),
                    ..settings.identity()
                })
            })
            .await
    }

    /// What the delivery jobs and staff's delivery actions need.
    pub fn delivery(&self) -> super::studio::delivery::Deps<'_> {
        super::studio::delivery::Deps {
            db: &self.db,
            config: &self.config,
            github: &self.github,
            license_signer: &self.license_signer,
        }
    }

    /// What starting a payment needs, with the ways of paying offered now.
    pub async fn checkout(&self) -> Result<super::studio::checkout::Deps<'_>, super::db::DbError> {
        Ok(super::studio::checkout::Deps {
            db: &self.db,
            config: &self.config,
            gateways: &self.gateways,
            offered: self.offered_gateways().await?,
            now: self.clock.now(),
        })
    }

    /// The configured ways of paying the settings offer to buyers.
    pub async fn offered_gateways(&self) -> Result<Vec<crate::domain::orders::Gateway>, super::db::DbError> {
        let chosen = self.studio_settings().await?.gateways;
        Ok(self.gateways.enabled().into_iter().filter(|g| chosen.is_empty() || chosen.contains(g)).collect())
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

/// What [`AppState`] holds.
pub struct Services {
    pub leptos: LeptosOptions,
    pub config: Arc<Config>,
    pub db: Db,
    pub secret: Arc<SecretKey>,
    pub mailer: Mailer,
    /// The job workers' slots (what runs now, against the limits per kind).
    pub jobs: Arc<super::jobs::pool::Pool>,
    pub gateways: Gateways,
    pub github: super::studio::github::Github,
    /// Sign in with Google, when configured.
    pub google: Option<Arc<super::auth::google::GoogleSignIn>>,
    /// Login, register, password reset: 5 attempts a minute per client IP.
    pub auth_limiter: Arc<RateLimiter>,
    /// Sign-in attempts per account (its email, known or not): 10 in 15 minutes,
    /// whatever address they come from.
    pub account_limiter: Arc<RateLimiter<String>>,
    /// The license API: 30 requests a minute per client IP.
    pub api_limiter: Arc<RateLimiter>,
    /// The JSON API under `/api/v1/`: 60 requests a minute per personal access token.
    pub token_limiter: Arc<RateLimiter<i64>>,
    /// Anonymous endpoints that cost work: refused payment events and download
    /// links, 30 a minute per client IP.
    pub abuse_limiter: Arc<RateLimiter>,
    /// Waitlist and contact form: 5 a minute per client IP.
    pub form_limiter: Arc<RateLimiter>,
    /// The Content-Security-Policy and friends, computed at start-up.
    pub security_headers: super::headers::SecurityHeaders,
    /// Public catalog and content reads; emptied by every admin edit.
    pub cache: Arc<super::cache::ContentCache>,
    /// The time for what depends on the day (tool quotas) and for the content
    /// cache: the system clock, or one a test moves.
    pub clock: super::clock::Clock,
    /// Signs offline-verifiable license keys and the revocation list.
    pub license_signer: Arc<super::studio::licensing::LicenseSigner>,
    /// Page views counted since the last write (every minute).
    pub page_views: Arc<super::studio::analytics::PageViews>,
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
