//! Accounts on the server: sessions, password hashing, guards, rate limits and
//! the same-origin check.

pub mod google;
pub mod guard;
pub mod origin;
pub mod password;
pub mod session_store;

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use session_store::SqliteSessionStore;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use tower_sessions::cookie::{time::Duration, SameSite};
use tower_sessions::{Expiry, SessionManagerLayer};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "atelier_session";

/// How long an idle session lasts without "remember me".
pub const SESSION_HOURS: i64 = 24;
/// How long an idle session lasts with "remember me" (never for staff).
pub const REMEMBER_DAYS: i64 = 7;
/// How far a session's stored expiry may fall behind its full lifetime before a
/// request pushes it out again: activity renews a session at most once an hour,
/// not with a write on every request.
pub const RENEW_AFTER_SECS: i64 = 3600;

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

/// Signs `viewer` in on this session: a fresh session id first (no session
/// fixation), then who and when, and the lifetime of their kind of sign-in.
pub async fn sign_in(
    session: &tower_sessions::Session,
    viewer: &crate::domain::Viewer,
    remember: bool,
) -> anyhow::Result<()> {
    use session_store::{REMEMBER_KEY, SIGNED_IN_AT_KEY, USER_ID_KEY};
    let staff = viewer.role == crate::domain::Role::Staff;
    let write = |e: tower_sessions::session::Error| anyhow::anyhow!("writing the session: {e}");
    session.cycle_id().await.map_err(|e| anyhow::anyhow!("cycling the session id: {e}"))?;
    session.insert(USER_ID_KEY, viewer.id).await.map_err(write)?;
    session.insert(SIGNED_IN_AT_KEY, crate::server::db::now()).await.map_err(write)?;
    if remember && !staff {
        session.insert(REMEMBER_KEY, true).await.map_err(write)?;
    }
    session.set_expiry(Some(session_expiry(remember, staff)));
    Ok(())
}

/// Keeps a remembered sign-in's lifetime on every save: the session layer saves a
/// changed session with its default lifetime (a day), so without this a remembered
/// session that kept a refused form's input, say, would shrink to a day.
pub async fn keep_lifetime(
    session: tower_sessions::Session,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let res = next.run(req).await;
    if session.is_modified() && matches!(session.get::<bool>(session_store::REMEMBER_KEY).await, Ok(Some(true))) {
        session.set_expiry(Some(session_expiry(true, false)));
    }
    res
}

/// Pushes an active session's expiry out to its full lifetime again once the stored
/// one has fallen [`RENEW_AFTER_SECS`] behind (the layer then saves it and renews the
/// cookie): a session ends after a day (a week remembered) without activity.
pub fn renew_if_due(session: &tower_sessions::Session, expires_at: i64, remember: bool, staff: bool) {
    let lifetime = session_expiry(remember, staff);
    if let Expiry::OnInactivity(duration) = lifetime {
        if expires_at + RENEW_AFTER_SECS < crate::server::db::now() + duration.whole_seconds() {
            session.set_expiry(Some(lifetime));
        }
    }
}

/// The session lifetime for a sign-in.
pub fn session_expiry(remember: bool, staff: bool) -> Expiry {
    if remember && !staff {
        Expiry::OnInactivity(Duration::days(REMEMBER_DAYS))
    } else {
        Expiry::OnInactivity(Duration::hours(SESSION_HOURS))
    }
}

/// The client's address: the peer, or, behind `proxy_hops` trusted proxies, the
/// entry of `X-Forwarded-For` that many from the right: each proxy appends the
/// address it received from, and everything left of those is whatever the client
/// sent (and so can be forged).
pub fn client_ip(headers: &HeaderMap, peer: Option<SocketAddr>, proxy_hops: usize) -> IpAddr {
    if proxy_hops > 0 {
        let entries: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .collect();
        let forwarded = entries.len().checked_sub(proxy_hops).and_then(|i| entries[i].parse().ok());
        if let Some(ip) = forwarded {
            return ip;
        }
    }
    peer.map(|p| p.ip()).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// Counts one attempt at `action` by the calling client against `limiter`: the
/// one rate-limit check for server functions (forms, sign-in, sign-up, resets).
pub async fn limit_caller(
    limiter: &crate::server::rate_limit::RateLimiter,
    proxy_hops: usize,
    action: &'static str,
) -> Result<(), crate::error::AppError> {
    let ip = current_client_ip(proxy_hops).await;
    if limiter.check(action, ip) {
        Ok(())
    } else {
        tracing::warn!(%ip, action, "rate limited");
        Err(crate::error::AppError::RateLimited)
    }
}

/// The calling client's address, from inside a server function.
pub async fn current_client_ip(proxy_hops: usize) -> IpAddr {
    let headers: HeaderMap = leptos_axum::extract().await.unwrap_or_default();
    let peer = leptos_axum::extract::<ConnectInfo<SocketAddr>>().await.ok().map(|c| c.0);
    client_ip(&headers, peer, proxy_hops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
        let peer = Some(SocketAddr::from(([10, 0, 0, 1], 4000)));
        assert_eq!(client_ip(&headers, peer, 0), IpAddr::from([10, 0, 0, 1]));
        assert_eq!(client_ip(&headers, peer, 1), IpAddr::from([203, 0, 113, 9]));
    }

    #[test]
    fn a_forged_forwarded_entry_is_ignored_the_proxys_own_counts() {
        let peer = Some(SocketAddr::from(([127, 0, 0, 1], 4000)));
        let mut headers = HeaderMap::new();
        // The client sent "1.2.3.4"; nginx appended the address it saw.
        headers.insert("x-forwarded-for", "1.2.3.4, 198.51.100.20".parse().unwrap());
        assert_eq!(client_ip(&headers, peer, 1), IpAddr::from([198, 51, 100, 20]));
        // Two proxies (a CDN, then nginx): the CDN's entry is the client.
        headers.insert("x-forwarded-for", "1.2.3.4, 198.51.100.20, 203.0.113.5".parse().unwrap());
        assert_eq!(client_ip(&headers, peer, 2), IpAddr::from([198, 51, 100, 20]));
        // Split over two header lines, the order still holds.
        let mut split = HeaderMap::new();
        split.append("x-forwarded-for", "1.2.3.4".parse().unwrap());
        split.append("x-forwarded-for", "198.51.100.20".parse().unwrap());
        assert_eq!(client_ip(&split, peer, 1), IpAddr::from([198, 51, 100, 20]));
        // Fewer entries than proxies, or garbage: the peer.
        headers.insert("x-forwarded-for", "not-an-ip".parse().unwrap());
        assert_eq!(client_ip(&headers, peer, 1), IpAddr::from([127, 0, 0, 1]));
        assert_eq!(client_ip(&HeaderMap::new(), peer, 1), IpAddr::from([127, 0, 0, 1]));
    }
}
