//! What the studio writes once for the whole site (the home page, the menus) and may
//! write again for the site's other language: that version is kept with the settings
//! under `{base}.{lang}` (`home.en`, `navigation.id`), audited as `{base}.version_saved`
//! and `{base}.version_deleted` with the subject `{base} ({lang})`.

use crate::domain::Lang;
use crate::server::db::{self, DbError};
use rusqlite::Connection;

/// The settings key of `base`'s version in `lang`.
pub fn key(base: &str, lang: Lang) -> String {
    format!("{base}.{}", lang.as_str())
}

/// What the audit log names the version by: `home (en)`.
pub fn subject(base: &str, lang: Lang) -> String {
    format!("{base} ({})", lang.as_str())
}

/// `base`'s version in `lang`, if staff wrote one (an unreadable one is none).
pub fn load<T: serde::de::DeserializeOwned>(conn: &Connection, base: &str, lang: Lang) -> Result<Option<T>, DbError> {
    Ok(db::settings::get(conn, &key(base, lang))?.and_then(|json| serde_json::from_str(&json).ok()))
}

/// Deletes `base`'s version in `lang` (audited): the site shows what the studio wrote
/// again. False when there was none.
pub fn delete(conn: &mut Connection, actor: i64, base: &str, lang: Lang) -> Result<bool, DbError> {
    let tx = conn.transaction()?;
    if !db::settings::delete(&tx, &key(base, lang))? {
        return Ok(false);
    }
    db::audit::record(&tx, Some(actor), &format!("{base}.version_deleted"), &subject(base, lang), "")?;
    tx.commit()?;
    Ok(true)
}
