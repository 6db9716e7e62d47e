//! Sessions and the guards in front of the private areas.

pub mod guard;
pub mod session_store;

use session_store::SqliteSessionStore;
use tower_sessions::cookie::{time::Duration, SameSite};
use tower_sessions::{Expiry, SessionManagerLayer};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "atelier_session";

/// How long an idle session lasts without "remember me".
pub const SESSION_HOURS: i64 = 24;
/// How long an idle session lasts with "remember me" (never for staff).
pub const REMEMBER_DAYS: i64 = 7;

/// Sessions stored in SQLite; HttpOnly, SameSite=Lax, Secure in production.
pub fn session_layer(store: SqliteSessionStore, secure: bool) -> SessionManagerLayer<SqliteSessionStore> {
    SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(Duration::hours(SESSION_HOURS)))
}
