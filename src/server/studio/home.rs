//! The home page's content (`/admin/home`): stored with the settings (key `home`, in
//! the studio's language; `home.en` or `home.id`, its version in the other language),
//! read through the content cache, saved audited with what changed, and refused
//! when one of its links leads to a page of the site that does not exist.

use crate::domain::home::{Featured, Home, HomeContent};
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

/// The home page's version in `lang`, if staff wrote one (an unreadable one is none).
pub fn load_version(conn: &Connection, lang: crate::domain::Lang) -> Result<Option<Home>, DbError> {
    super::versions::load(conn, KEY, lang)
}

/// The home page a visitor reading `lang` sees: its version in that language where the
/// studio wrote one, else the studio's own page.
pub fn for_reading(
    conn: &Connection,
    (lang, site): (crate::domain::Lang, crate::domain::i18n::SiteLanguages),
) -> Result<Home, DbError> {
    if lang != site.default {
        if let Some(version) = load_version(conn, lang)? {
            return Ok(version);
        }
    }
    load(conn)
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
        return Ok(db::catalog::upcoming(conn, None)?.iter().any(|p| p.slug == slug));
    }
    if db::catalog::sitemap(conn, crate::domain::Lang::En)?.iter().any(|(p, _, _)| p == path) {
        return Ok(true);
    }
    // The entries' own (unprefixed) paths: which other version each has does not matter here.
    Ok(db::content::sitemap(conn, crate::domain::Lang::En, now)?.iter().any(|(p, _, _)| p == path))
}

/// Refuses a home page one of whose links leads to no page of the site.
fn check_links(conn: &Connection, home: &Home, now: i64) -> Result<Result<(), ValidationError>, DbError> {
    for href in home.internal_links() {
        if !page_exists(conn, href, now)? {
            return Ok(Err(ValidationError::new(format!(
                "There is no page at {href}: link to a page of the site that exists (a product, a post, a page) or an https address."
            ))));
        }
    }
    Ok(Ok(()))
}

/// The key of a staff member's unsaved home page (one each, replaced by the next preview).
fn preview_key(staff: i64) -> String {
    format!("{KEY}.preview.{staff}")
}

/// Keeps what a staff member typed into the editor, unsaved, for `/?preview=home`
/// (theirs alone: visitors and the audit log see nothing of it).
pub fn keep_preview(
    conn: &Connection,
    staff: i64,
    home: &Home,
    now: i64,
) -> Result<Result<(), ValidationError>, DbError> {
    if let Err(refused) = check_links(conn, home, now)? {
        return Ok(Err(refused));
    }
    db::settings::set(conn, &preview_key(staff), &serde_json::to_string(home)?)?;
    Ok(Ok(()))
}

/// The home page a staff member last previewed, if any (an unreadable one is none).
pub fn preview(conn: &Connection, staff: i64) -> Result<Option<Home>, DbError> {
    Ok(db::settings::get(conn, &preview_key(staff))?.and_then(|json| serde_json::from_str(&json).ok()))
}

/// Saves the home page, or with `version` its version in that language (audited with
/// the parts that changed), unless a link leads nowhere.
pub fn save(
    conn: &mut Connection,
    actor: i64,
    version: Option<crate::domain::Lang>,
    home: &Home,
    now: i64,
) -> Result<Result<(), ValidationError>, DbError> {
    let tx = conn.transaction()?;
    if let Err(refused) = check_links(&tx, home, now)? {
        return Ok(Err(refused));
    }
    let (key, before, action, subject) = match version {
        None => (KEY.to_owned(), load(&tx)?, "home.saved", "home".to_owned()),
        Some(lang) => {
            let before = load_version(&tx, lang)?.unwrap_or_default();
            (super::versions::key(KEY, lang), before, "home.version_saved", super::versions::subject(KEY, lang))
        }
    };
    db::settings::set(&tx, &key, &serde_json::to_string(home)?)?;
    let changed = super::settings::changed_fields(&before, home)?;
    db::audit::record(&tx, Some(actor), action, &subject, &changed)?;
    tx.commit()?;
    Ok(Ok(()))
}

/// Deletes the home page's version in `lang` (audited): visitors reading it see the
/// studio's page again. False when there was none.
pub fn delete_version(conn: &mut Connection, actor: i64, lang: crate::domain::Lang) -> Result<bool, DbError> {
    super::versions::delete(conn, actor, KEY, lang)
}

/// What the home page shows with `home` as its text: the featured products it asks
/// for, the latest posts, and the settings' description and share image.
pub fn content(
    conn: &Connection,
    config: &crate::server::config::Config,
    home: Home,
    (lang, site): (crate::domain::Lang, crate::domain::i18n::SiteLanguages),
    now: i64,
) -> Result<HomeContent, DbError> {
    let settings = super::settings::load(conn, config)?;
    let featured = match home.featured {
        Featured::Picked => db::catalog::featured(conn, 3, (lang, site))?,
        Featured::Newest => db::catalog::newest(conn, 3, (lang, site))?,
    };
    Ok(HomeContent {
        home,
        featured,
        posts: db::content::latest_posts(conn, 3, lang, site, now)?,
        description: settings.seo_description,
        share_image: settings.share_image,
    })
}
