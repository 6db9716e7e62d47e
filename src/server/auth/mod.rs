//! Accounts on the server: sessions, password hashing, guards, rate limits and
//! the same-origin check.

pub mod guard;
pub mod origin;
pub mod password;
pub mod rate_limit;
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

/// The session lifetime for a sign-in.
pub fn session_expiry(remember: bool, staff: bool) -> Expiry {
    if remember && !staff {
        Expiry::OnInactivity(Duration::days(REMEMBER_DAYS))
    } else {
        Expiry::OnInactivity(Duration::hours(SESSION_HOURS))
    }
}

/// The client's address: the peer, or the first `X-Forwarded-For` hop when the
/// proxy in front is trusted (`TRUST_PROXY=true`).
pub fn client_ip(headers: &HeaderMap, peer: Option<SocketAddr>, trust_proxy: bool) -> IpAddr {
    if trust_proxy {
        let forwarded = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|ip| ip.trim().parse().ok());
        if let Some(ip) = forwarded {
            return ip;
        }
    }
    peer.map(|p| p.ip()).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// The calling client's address, from inside a server function.
pub async fn current_client_ip(trust_proxy: bool) -> IpAddr {
    let headers: HeaderMap = leptos_axum::extract().await.unwrap_or_default();
    let peer = leptos_axum::extract::<ConnectInfo<SocketAddr>>().await.ok().map(|c| c.0);
    client_ip(&headers, peer, trust_proxy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9, 10.0.0.1".parse().unwrap());
        let peer = Some(SocketAddr::from(([10, 0, 0, 1], 4000)));
        assert_eq!(client_ip(&headers, peer, false), IpAddr::from([10, 0, 0, 1]));
        assert_eq!(client_ip(&headers, peer, true), IpAddr::from([203, 0, 113, 9]));
    }
}
