//! The site's menus (`/admin/navigation`): stored with the settings (key
//! `navigation`), read with the studio's identity on every page, saved audited, and
//! refused when a link leads to a page of the site that does not exist.

use crate::domain::navigation::Navigation;
use crate::domain::ValidationError;
use crate::server::db::{self, DbError};
use rusqlite::Connection;

const KEY: &str = "navigation";

/// The menus as staff saved them, or the default ones.
pub fn load(conn: &Connection) -> Result<Navigation, DbError> {
    if let Some(json) = db::settings::get(conn, KEY)? {
        match serde_json::from_str(&json) {
            Ok(navigation) => return Ok(navigation),
            Err(err) => tracing::warn!(error = %err, "stored navigation unreadable: the default menus show"),
        }
    }
    Ok(Navigation::default())
}

/// Saves the menus (audited) unless a link, shown or hidden, leads nowhere.
pub fn save(
    conn: &mut Connection,
    actor: i64,
    navigation: &Navigation,
    now: i64,
) -> Result<Result<(), ValidationError>, DbError> {
    let tx = conn.transaction()?;
    for href in navigation.internal_links() {
        if !super::home::page_exists(&tx, href, now)? {
            return Ok(Err(ValidationError::new(format!(
                "There is no page at {href}: link to a page of the site that exists (a product, a post, a page) or an https address."
            ))));
        }
    }
    db::settings::set(&tx, KEY, &serde_json::to_string(navigation)?)?;
    let detail = format!("header {} links, footer {} links", navigation.header.len(), navigation.footer.len());
    db::audit::record(&tx, Some(actor), "navigation.saved", "navigation", &detail)?;
    tx.commit()?;
    Ok(Ok(()))
}
