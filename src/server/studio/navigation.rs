//! The site's menus (`/admin/navigation`): stored with the settings (key
//! `navigation`, in the studio's language; `navigation.en` or `navigation.id`, their
//! version in the other language), read with the studio's identity on every page,
//! saved audited, and refused when a link leads to a page of the site that does not exist.

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

/// The menus' version in `lang`, if staff wrote one (an unreadable one is none).
pub fn load_version(conn: &Connection, lang: crate::domain::Lang) -> Result<Option<Navigation>, DbError> {
    super::versions::load(conn, KEY, lang)
}

/// Deletes the menus' version in `lang` (audited): pages in it show the menus as
/// written again. False when there was none.
pub fn delete_version(conn: &mut Connection, actor: i64, lang: crate::domain::Lang) -> Result<bool, DbError> {
    super::versions::delete(conn, actor, KEY, lang)
}

/// Saves the menus, or with `version` their version in that language (audited), unless
/// a link, shown or hidden, leads nowhere.
pub fn save(
    conn: &mut Connection,
    actor: i64,
    version: Option<crate::domain::Lang>,
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
    let (key, action, subject) = match version {
        None => (KEY.to_owned(), "navigation.saved", "navigation".to_owned()),
        Some(lang) => {
            (super::versions::key(KEY, lang), "navigation.version_saved", super::versions::subject(KEY, lang))
        }
    };
    db::settings::set(&tx, &key, &serde_json::to_string(navigation)?)?;
    let detail = format!("header {} links, footer {} links", navigation.header.len(), navigation.footer.len());
    db::audit::record(&tx, Some(actor), action, &subject, &detail)?;
    tx.commit()?;
    Ok(Ok(()))
}
