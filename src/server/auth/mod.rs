//! Accounts on the server: sessions, password hashing, guards, rate limits and
//! the same-origin check.

pub mod api_tokens;
pub mod google;
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

/// How recently a person must have proved who they are to link another way of signing in.
pub const REAUTH_SECS: i64 = 600;

/// Notes in the session that its person just proved who they are (see [`REAUTH_SECS`]).
pub async fn mark_reauthenticated(session: &tower_sessions::Session) -> anyhow::Result<()> {
    session
        .insert(session_store::REAUTHENTICATED_AT_KEY, crate::server::db::now())
        .await
        .map_err(|e| anyhow::anyhow!("writing the session: {e}"))
}

/// Whether this session's person proved who they are within [`REAUTH_SECS`].
pub async fn recently_reauthenticated(session: &tower_sessions::Session) -> bool {
    let at = session.get::<i64>(session_store::REAUTHENTICATED_AT_KEY).await.ok().flatten();
    at.is_some_and(|at| (0..=REAUTH_SECS).contains(&(crate::server::db::now() - at)))
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

/// An address as one family: an IPv4 client seen through an IPv6 socket is the IPv4 client.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn is_trusted(ip: IpAddr, trusted: &[ipnet::IpNet]) -> bool {
    trusted.iter().any(|net| net.contains(&ip))
}

/// One `X-Forwarded-For` entry: an address, perhaps with a port (`1.2.3.4:5`, `[::1]:5`).
fn forwarded_entry(entry: &str) -> Option<IpAddr> {
    entry.parse::<IpAddr>().ok().or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip())).map(canonical)
}

/// Whether the request's TCP peer is one of the `trusted` reverse proxies (only then
/// are its `X-Forwarded-*` headers read).
pub fn from_trusted_proxy(peer: Option<SocketAddr>, trusted: &[ipnet::IpNet]) -> bool {
    peer.is_some_and(|p| is_trusted(canonical(p.ip()), trusted))
}

/// The client's address. The TCP peer, unless the peer is one of the `trusted` proxies
/// (`TRUSTED_PROXIES`): then `X-Forwarded-For` is read from the right, each proxy
/// having appended the address it received from, skipping entries that are trusted
/// proxies themselves; the first other entry is the client. Whatever lies left of it
/// is what the client sent, and is never read. A request reaching the server directly
/// (not from a trusted proxy) cannot choose its address by sending the header.
pub fn client_ip(headers: &HeaderMap, peer: Option<SocketAddr>, trusted: &[ipnet::IpNet]) -> IpAddr {
    let mut client = peer.map(|p| canonical(p.ip())).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    if !is_trusted(client, trusted) {
        return client;
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    for entry in entries.iter().rev() {
        // Something that is no address: the last hop we could trust is the best we know.
        let Some(ip) = forwarded_entry(entry) else { break };
        client = ip;
        if !is_trusted(ip, trusted) {
            break;
        }
    }
    client
}

/// Counts one attempt at `action` by the calling client against `limiter`: the
/// one rate-limit check for server functions (forms, sign-in, sign-up, resets).
pub async fn limit_caller(
    limiter: &crate::server::rate_limit::RateLimiter,
    trusted: &[ipnet::IpNet],
    action: &'static str,
) -> Result<(), crate::error::AppError> {
    let ip = current_client_ip(trusted).await;
    if limiter.check(action, ip) {
        Ok(())
    } else {
        tracing::warn!(%ip, action, "rate limited");
        Err(crate::error::AppError::RateLimited)
    }
}

/// The calling client's address, from inside a server function.
pub async fn current_client_ip(trusted: &[ipnet::IpNet]) -> IpAddr {
    let headers: HeaderMap = leptos_axum::extract().await.unwrap_or_default();
    let peer = leptos_axum::extract::<ConnectInfo<SocketAddr>>().await.ok().map(|c| c.0);
    client_ip(&headers, peer, trusted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(raw: &[&str]) -> Vec<ipnet::IpNet> {
        raw.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn forwarded_addresses_count_only_from_a_trusted_peer() {
        let trusted = nets(&["127.0.0.1/32", "::1/128"]);
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
        // Straight from the internet: whatever it says it forwarded is ignored.
        let outsider = Some(SocketAddr::from(([198, 51, 100, 1], 4000)));
        assert_eq!(client_ip(&headers, outsider, &trusted), IpAddr::from([198, 51, 100, 1]));
        // From the proxy on this machine: its word counts.
        let local = Some(SocketAddr::from(([127, 0, 0, 1], 4000)));
        assert_eq!(client_ip(&headers, local, &trusted), IpAddr::from([203, 0, 113, 9]));
        // With no proxy trusted, never.
        assert_eq!(client_ip(&headers, local, &[]), IpAddr::from([127, 0, 0, 1]));
        // An IPv4 peer on an IPv6 socket is the IPv4 address.
        let mapped = Some("[::ffff:127.0.0.1]:4000".parse().unwrap());
        assert_eq!(client_ip(&headers, mapped, &trusted), IpAddr::from([203, 0, 113, 9]));
    }

    #[test]
    fn the_chain_is_read_from_the_right_skipping_trusted_proxies() {
        let trusted = nets(&["127.0.0.1/32", "10.0.0.0/8"]);
        let peer = Some(SocketAddr::from(([127, 0, 0, 1], 4000)));
        let mut headers = HeaderMap::new();
        // The client sent "1.2.3.4"; a load balancer (10.0.0.5) and nginx appended theirs.
        headers.insert("x-forwarded-for", "1.2.3.4, 198.51.100.20, 10.0.0.5".parse().unwrap());
        assert_eq!(client_ip(&headers, peer, &trusted), IpAddr::from([198, 51, 100, 20]));
        // Split over two header lines, the order still holds.
        let mut split = HeaderMap::new();
        split.append("x-forwarded-for", "1.2.3.4".parse().unwrap());
        split.append("x-forwarded-for", "198.51.100.20:5123".parse().unwrap());
        assert_eq!(client_ip(&split, peer, &trusted), IpAddr::from([198, 51, 100, 20]));
        // Garbage: the last trusted hop.
        headers.insert("x-forwarded-for", "not-an-ip, 10.0.0.5".parse().unwrap());
        assert_eq!(client_ip(&headers, peer, &trusted), IpAddr::from([10, 0, 0, 5]));
        assert_eq!(client_ip(&HeaderMap::new(), peer, &trusted), IpAddr::from([127, 0, 0, 1]));
    }
}
