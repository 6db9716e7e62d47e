//! The home page's content (`/admin/home`): stored with the settings (key `home`),
//! read through the content cache, saved audited with what changed, and refused
//! when one of its links leads to a page of the site that does not exist.

use crate::domain::home::Home;
use crate::domain::ValidationError;
use crate::server::db::{self, DbError};
use rusqlite::Connection;

const KEY: &str = "home";

/// The home page as staff saved it, or the default one (the demo's).
pub fn load(conn: &Connection) -> Result<Home, DbError> {
    if let Some(json) = db::settings::get(conn, KEY)? {
        match serde_json::from_str(&json) {
            Ok(home) => return Ok(home),
            Err(err) => tracing::warn!(error = %err, "stored home page unreadable: the default shows"),
        }
    }
    Ok(Home::default())
}

/// Whether `path` is a page of the site a visitor can open now: a fixed page, a
/// product on sale or announced, or published content (what the sitemap lists).
pub fn page_exists(conn: &Connection, path: &str, now: i64) -> Result<bool, DbError> {
    use crate::domain::site_map::{LINKABLE_PAGES, STATIC_PAGES};
    if STATIC_PAGES.contains(&path) || LINKABLE_PAGES.contains(&path) {
        return Ok(true);
    }
    let path = path.trim_end_matches('/');
    if let Some(slug) = path.strip_prefix("/waitlist/") {
        return Ok(db::catalog::upcoming(conn)?.iter().any(|p| p.slug == slug));
    }
    Ok(db::catalog::sitemap(conn)?.iter().chain(db::content::sitemap(conn, now)?.iter()).any(|(p, _)| p == path))
}

/// Saves the home page (audited with the parts that changed) unless a link leads nowhere.
pub fn save(conn: &mut Connection, actor: i64, home: &Home, now: i64) -> Result<Result<(), ValidationError>, DbError> {
    let tx = conn.transaction()?;
    for href in home.internal_links() {
        if !page_exists(&tx, href, now)? {
            return Ok(Err(ValidationError::new(format!(
                "There is no page at {href}: link to a page of the site that exists (a product, a post, a page) or an https address."
            ))));
        }
    }
    let before = load(&tx)?;
    db::settings::set(&tx, KEY, &serde_json::to_string(home)?)?;
    let (old, new) = (serde_json::to_value(&before)?, serde_json::to_value(home)?);
    let changed: Vec<&str> = new
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, v)| old.get(k.as_str()) != Some(v))
        .map(|(k, _)| k.as_str())
        .collect();
    db::audit::record(&tx, Some(actor), "home.saved", "home", &changed.join(", "))?;
    tx.commit()?;
    Ok(Ok(()))
}
