//! Queries on `entries` (posts, pages, case studies, demos, resources, tools) and their tags.
//!
//! "Public" means `status = 'published' AND publish_at <= now`: a draft is never
//! shown, a scheduled entry appears at its time.

use super::{audit, now, DbError};
use crate::domain::content::{Entry, EntryForm, EntryInput, EntryKind, EntryRow, EntryStatus, Shown, VersionInput};
use crate::domain::html::TrustedHtml;
use crate::domain::i18n::{Lang, SiteLanguages};
use crate::domain::pagination::{Cursor, Page, PageAt};
use crate::domain::tools::BuiltinTool;
use rusqlite::{named_params, params, Connection, OptionalExtension, Row};

/// Columns of [`Entry`] from `e` (the entry) and `u` (its author); the two last
/// (`fallback`, `alternate`) are each query's own.
const ENTRY_COLUMNS: &str = "e.id, e.kind, e.slug, e.title, e.summary, e.body_html, e.cover_image, e.link_url,
    (SELECT group_concat(t.tag, ',') FROM entry_tags t WHERE t.entry_id = e.id), e.publish_at, e.updated_at,
    coalesce(u.name, 'Atelier'), e.tool";
/// A list's cards: each entry in the page's language where it has a public version in
/// it (`tr`), else as written (marked `fallback`); long bodies only where lists show them.
const CARD_COLUMNS: &str = "e.id, e.kind, coalesce(tr.slug, e.slug), coalesce(tr.title, e.title),
    coalesce(tr.summary, e.summary),
    CASE WHEN e.kind IN ('demo', 'resource') THEN coalesce(tr.body_html, e.body_html) ELSE '' END, e.cover_image,
    e.link_url, (SELECT group_concat(t.tag, ',') FROM entry_tags t WHERE t.entry_id = e.id), e.publish_at,
    e.updated_at, coalesce(u.name, 'Atelier'), e.tool, :lang IS NOT NULL AND tr.entry_id IS NULL, NULL";
/// Public entries with their version in `:lang` (NULL: the studio's language, no version read).
const FROM_PUBLIC: &str = "FROM entries e LEFT JOIN users u ON u.id = e.author_id
    LEFT JOIN entry_translations tr
      ON tr.entry_id = e.id AND tr.lang = :lang AND tr.status = 'published' AND tr.publish_at <= :now
    WHERE e.status = 'published' AND e.publish_at <= :now";
/// A version in another language is public (`o`, as of `:now`).
const VERSION_PUBLIC: &str = "o.status = 'published' AND o.publish_at <= :now";

fn bad_text(i: usize, v: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, format!("unknown value {v:?}").into())
}

fn kind_at(r: &Row<'_>, i: usize) -> rusqlite::Result<EntryKind> {
    let v: String = r.get(i)?;
    EntryKind::parse(&v).ok_or_else(|| bad_text(i, v))
}

fn entry_from_row(r: &Row<'_>) -> rusqlite::Result<Entry> {
    let tags: Option<String> = r.get(8)?;
    let mut tags: Vec<String> =
        tags.unwrap_or_default().split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect();
    tags.sort();
    Ok(Entry {
        id: r.get(0)?,
        kind: kind_at(r, 1)?,
        slug: r.get(2)?,
        title: r.get(3)?,
        summary: r.get(4)?,
        body_html: r.get(5)?,
        cover_image: r.get(6)?,
        link_url: r.get(7)?,
        tags,
        publish_at: r.get::<_, Option<i64>>(9)?.unwrap_or_default(),
        updated_at: r.get(10)?,
        author: r.get(11)?,
        tool: r.get::<_, Option<String>>(12)?.and_then(|t| crate::domain::tools::BuiltinTool::parse(&t)),
        fallback: r.get(13)?,
        alternate: r.get(14)?,
    })
}

/// The language whose versions a public page reads: none on the studio's own pages
/// (the entries are written in it), the page's on the other language's.
fn version_lang(lang: Lang, site: SiteLanguages) -> Option<&'static str> {
    (lang != site.default).then(|| lang.as_str())
}

/// Published entries of a kind, newest first (pages, tools and case studies the same
/// way), each in `lang` where it has a public version in it.
pub fn published(
    conn: &Connection,
    kind: EntryKind,
    lang: Lang,
    site: SiteLanguages,
    now: i64,
) -> Result<Vec<Entry>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CARD_COLUMNS} {FROM_PUBLIC} AND e.kind = :kind ORDER BY e.publish_at DESC, e.id DESC"
    ))?;
    let rows = stmt
        .query_map(
            named_params! {":now": now, ":lang": version_lang(lang, site), ":kind": kind.as_str()},
            entry_from_row,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The published tool pages, newest first: slug, title and the tool each runs (only
/// what a usage summary shows, without the cards' columns).
pub fn published_tools(conn: &Connection, now: i64) -> Result<Vec<(String, String, BuiltinTool)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT slug, title, tool FROM entries
         WHERE kind = 'tool' AND status = 'published' AND publish_at <= ?1 AND tool IS NOT NULL
         ORDER BY publish_at DESC, id DESC",
    )?;
    let rows = stmt.query_map([now], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?)))?;
    let mut tools = Vec::new();
    for row in rows {
        let (slug, title, tool) = row?;
        if let Some(tool) = BuiltinTool::parse(&tool) {
            tools.push((slug, title, tool));
        }
    }
    Ok(tools)
}

/// The built-in tool of the public tool page at `slug`, in either language.
pub fn tool_at(conn: &Connection, slug: &str, now: i64) -> Result<Option<BuiltinTool>, DbError> {
    let tool: Option<Option<String>> = conn
        .prepare_cached(&format!(
            "SELECT e.tool FROM entries e
             WHERE e.kind = 'tool' AND e.slug = :slug AND e.status = 'published' AND e.publish_at <= :now
             UNION ALL
             SELECT e.tool FROM entry_translations o JOIN entries e ON e.id = o.entry_id
             WHERE o.lang IN ('id', 'en') AND o.kind = 'tool' AND o.slug = :slug AND {VERSION_PUBLIC}
               AND e.status = 'published' AND e.publish_at <= :now
             LIMIT 1"
        ))?
        .query_row(named_params! {":slug": slug, ":now": now}, |r| r.get(0))
        .optional()?;
    Ok(tool.flatten().and_then(|t| BuiltinTool::parse(&t)))
}

/// The newest `limit` published posts, in `lang` where they have a version in it.
pub fn latest_posts(
    conn: &Connection,
    limit: u32,
    lang: Lang,
    site: SiteLanguages,
    now: i64,
) -> Result<Vec<Entry>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CARD_COLUMNS} {FROM_PUBLIC} AND e.kind = 'post' ORDER BY e.publish_at DESC, e.id DESC LIMIT :limit"
    ))?;
    let rows = stmt
        .query_map(named_params! {":now": now, ":lang": version_lang(lang, site), ":limit": limit}, entry_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// One page of published posts (optionally with a tag) in `lang` where they have a
/// version in it, and whether another page follows.
pub fn blog_page(
    conn: &Connection,
    tag: Option<&str>,
    (page, per_page): (u32, u32),
    lang: Lang,
    site: SiteLanguages,
    now: i64,
) -> Result<(Vec<Entry>, bool), DbError> {
    let offset = i64::from(page.saturating_sub(1)) * i64::from(per_page);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CARD_COLUMNS} {FROM_PUBLIC} AND e.kind = 'post'
           AND (:tag IS NULL OR EXISTS (SELECT 1 FROM entry_tags t WHERE t.entry_id = e.id AND t.tag = :tag))
         ORDER BY e.publish_at DESC, e.id DESC LIMIT :limit OFFSET :offset"
    ))?;
    let mut rows = stmt
        .query_map(
            named_params! {
                ":now": now, ":lang": version_lang(lang, site), ":tag": tag, ":limit": per_page + 1, ":offset": offset
            },
            entry_from_row,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    let has_next = rows.len() > per_page as usize;
    rows.truncate(per_page as usize);
    Ok((rows, has_next))
}

/// Tags used by published posts, alphabetically.
pub fn post_tags(conn: &Connection, now: i64) -> Result<Vec<String>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT t.tag FROM entry_tags t JOIN entries e ON e.id = t.entry_id
         WHERE e.kind = 'post' AND e.status = 'published' AND e.publish_at <= ?1 ORDER BY t.tag",
    )?;
    let rows = stmt.query_map([now], |r| r.get(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The public entry of `kind` at `slug` on a page in `lang`. On the studio's own pages:
/// the entry, naming its public version in the other language, if any; a slug of that
/// version instead moves to the entry's own. On the other language's: its version in it,
/// else the entry as written (a `fallback`), unless that has a version here under
/// another slug (then it moves there).
pub fn published_by_slug(
    conn: &Connection,
    kind: EntryKind,
    slug: &str,
    (lang, site): (Lang, SiteLanguages),
    now: i64,
) -> Result<Option<Shown>, DbError> {
    let main = |fallback: bool, version_of: &str| {
        conn.prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS}, {fallback}, o.slug FROM entries e LEFT JOIN users u ON u.id = e.author_id
             LEFT JOIN entry_translations o ON o.entry_id = e.id AND o.lang = :version AND {VERSION_PUBLIC}
             WHERE e.status = 'published' AND e.publish_at <= :now AND e.kind = :kind AND e.slug = :slug"
        ))?
        .query_row(
            named_params! {":now": now, ":kind": kind.as_str(), ":slug": slug, ":version": version_of},
            entry_from_row,
        )
        .optional()
    };
    if lang == site.default {
        if let Some(entry) = main(false, site.other().as_str())? {
            return Ok(Some(Shown::Entry(Box::new(entry))));
        }
        // The other version's slug without its prefix: the entry's own address here.
        let moved: Option<String> = conn
            .prepare_cached(&format!(
                "SELECT e.slug FROM entry_translations o JOIN entries e ON e.id = o.entry_id
                 WHERE o.lang = :version AND o.kind = :kind AND o.slug = :slug AND {VERSION_PUBLIC}
                   AND e.status = 'published' AND e.publish_at <= :now"
            ))?
            .query_row(
                named_params! {":now": now, ":kind": kind.as_str(), ":slug": slug, ":version": site.other().as_str()},
                |r| r.get(0),
            )
            .optional()?;
        return Ok(moved.map(Shown::Moved));
    }
    let version = conn
        .prepare_cached(&format!(
            "SELECT e.id, e.kind, o.slug, o.title, o.summary, o.body_html, e.cover_image, e.link_url,
                    (SELECT group_concat(t.tag, ',') FROM entry_tags t WHERE t.entry_id = e.id), e.publish_at,
                    max(e.updated_at, o.updated_at), coalesce(u.name, 'Atelier'), e.tool, 0, e.slug
             FROM entry_translations o JOIN entries e ON e.id = o.entry_id LEFT JOIN users u ON u.id = e.author_id
             WHERE o.lang = :version AND o.kind = :kind AND o.slug = :slug AND {VERSION_PUBLIC}
               AND e.status = 'published' AND e.publish_at <= :now"
        ))?
        .query_row(
            named_params! {":now": now, ":kind": kind.as_str(), ":slug": slug, ":version": lang.as_str()},
            entry_from_row,
        )
        .optional()?;
    if let Some(entry) = version {
        return Ok(Some(Shown::Entry(Box::new(entry))));
    }
    Ok(main(true, lang.as_str())?.map(|entry| match entry.alternate {
        Some(own) => Shown::Moved(own),
        None => Shown::Entry(Box::new(entry)),
    }))
}

/// The earliest scheduled publication (of an entry or a version) after `now`: cached
/// public pages are stale from then on.
pub fn next_scheduled(conn: &Connection, now: i64) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT min(at) FROM (
                 SELECT min(publish_at) AS at FROM entries WHERE status = 'published' AND publish_at > ?1
                 UNION ALL
                 SELECT min(publish_at) FROM entry_translations WHERE status = 'published' AND publish_at > ?1)",
        )?
        .query_row([now], |r| r.get(0))?)
}

/// Every public entry with a page of its own, for the sitemap: (path, last change, the
/// path of its public version in `other`, if it has one).
pub fn sitemap(conn: &Connection, other: Lang, now: i64) -> Result<Vec<(String, i64, Option<String>)>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT e.kind, e.slug, max(e.updated_at, e.publish_at, coalesce(o.updated_at, 0)), o.slug
         FROM entries e LEFT JOIN entry_translations o ON o.entry_id = e.id AND o.lang = :other AND {VERSION_PUBLIC}
         WHERE e.status = 'published' AND e.publish_at <= :now AND e.kind NOT IN ('demo', 'resource')
         ORDER BY e.kind, e.publish_at DESC"
    ))?;
    let rows = stmt
        .query_map(named_params! {":now": now, ":other": other.as_str()}, |r| {
            let kind = kind_at(r, 0)?;
            let other: Option<String> = r.get(3)?;
            Ok((kind.public_path(&r.get::<_, String>(1)?), r.get(2)?, other.map(|slug| kind.public_path(&slug))))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A page of a kind's entries for staff, drafts included, newest first (by publication,
/// or last change for a draft), searched by title; through `entries_admin`.
/// Each with the state of its version in `other`.
pub fn page_for_staff(
    conn: &Connection,
    kind: EntryKind,
    other: Lang,
    q: &str,
    at: PageAt,
) -> Result<Page<EntryRow>, DbError> {
    use rusqlite::types::Value;
    let mut args = super::Args::default();
    args.bind(Value::Text(kind.as_str().into()));
    args.bind(Value::Text(other.as_str().into()));
    let mut sql = String::from(
        "SELECT e.id, e.kind, e.slug, e.title, e.status, e.publish_at, e.updated_at, coalesce(u.name, ''),
                o.status, o.publish_at
         FROM entries e LEFT JOIN users u ON u.id = e.updated_by
         LEFT JOIN entry_translations o ON o.entry_id = e.id AND o.lang = ?2
         WHERE e.kind = ?1",
    );
    if let Some(pattern) = crate::domain::pagination::like_pattern(q) {
        sql += &format!(" AND e.title LIKE {} ESCAPE '\\'", args.bind(Value::Text(pattern)));
    }
    let (cmp, order) = if at.ascending() { (">", "ASC") } else { ("<", "DESC") };
    if let PageAt::Before(c) | PageAt::After(c) = at {
        let (t, id) = (args.bind(Value::Integer(c.at)), args.bind(Value::Integer(c.id)));
        sql += &format!(" AND (coalesce(e.publish_at, e.updated_at), e.id) {cmp} ({t}, {id})");
    }
    sql += &format!(
        " ORDER BY coalesce(e.publish_at, e.updated_at) {order}, e.id {order} LIMIT {}",
        crate::domain::pagination::PAGE_SIZE + 1
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(args.into_values()), |r| {
            let status: String = r.get(4)?;
            let translation = match r.get::<_, Option<String>>(8)? {
                Some(s) => Some((EntryStatus::parse(&s).ok_or_else(|| bad_text(8, s))?, r.get(9)?)),
                None => None,
            };
            Ok(EntryRow {
                id: r.get(0)?,
                kind: kind_at(r, 1)?,
                slug: r.get(2)?,
                title: r.get(3)?,
                status: EntryStatus::parse(&status).ok_or_else(|| bad_text(4, status))?,
                publish_at: r.get(5)?,
                updated_at: r.get(6)?,
                updated_by: r.get(7)?,
                translation,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_rows(rows, at, |e| Cursor { at: e.publish_at.unwrap_or(e.updated_at), id: e.id }))
}

/// The editor form of an entry, with its current values.
pub fn form(conn: &Connection, id: i64) -> Result<Option<(EntryKind, EntryForm)>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT kind, title, slug, summary, body_md, cover_image, link_url,
                    (SELECT group_concat(tag, ', ') FROM entry_tags WHERE entry_id = entries.id), status, publish_at,
                    coalesce(tool, '')
             FROM entries WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                kind_at(r, 0)?,
                EntryForm {
                    title: r.get(1)?,
                    slug: r.get(2)?,
                    summary: r.get(3)?,
                    body_md: r.get(4)?,
                    cover_image: r.get(5)?,
                    link_url: r.get(6)?,
                    tags: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                    status: r.get(8)?,
                    publish_at: r
                        .get::<_, Option<i64>>(9)?
                        .map(crate::domain::time::datetime_local)
                        .unwrap_or_default(),
                    tool: r.get(10)?,
                },
            ))
        })
        .optional()?)
}

/// Why an entry could not be saved.
#[derive(Debug)]
pub enum SaveError {
    SlugTaken,
    NotFound,
    /// A fixed page's slug cannot change: the site links to it.
    FixedPage,
    Db(DbError),
}

impl<E: Into<DbError>> From<E> for SaveError {
    fn from(e: E) -> Self {
        Self::Db(e.into())
    }
}

/// Inserts (`id` None) or updates an entry and its tags, and records it in the audit trail,
/// in one transaction. `body_html` is rendered by the caller.
pub fn save(
    conn: &mut Connection,
    id: Option<i64>,
    input: &EntryInput,
    body_html: &TrustedHtml,
    actor: Option<i64>,
) -> Result<i64, SaveError> {
    let tx = conn.transaction()?;
    let t = now();
    let taken: Option<i64> = tx
        .prepare_cached("SELECT id FROM entries WHERE kind = ?1 AND slug = ?2")?
        .query_row(params![input.kind.as_str(), input.slug.as_str()], |r| r.get(0))
        .optional()?;
    if taken.is_some_and(|t| Some(t) != id) || version_slug_taken(&tx, input.kind, input.slug.as_str(), id)? {
        return Err(SaveError::SlugTaken);
    }
    // Publishing without a time publishes now; a draft keeps whatever time it was given.
    let publish_at = match (input.status, input.publish_at) {
        (_, Some(at)) => Some(at),
        (EntryStatus::Published, None) => Some(t),
        (EntryStatus::Draft, None) => None,
    };
    let (id, action) = match id {
        None => {
            let id: i64 = tx
                .prepare_cached(
                    "INSERT INTO entries (kind, slug, title, summary, body_md, body_html, cover_image, link_url, status,
                         publish_at, author_id, created_at, updated_at, updated_by, tool)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?11, ?13) RETURNING id",
                )?
                .query_row(
                    params![
                        input.kind.as_str(),
                        input.slug.as_str(),
                        input.title,
                        input.summary,
                        input.body_md,
                        body_html,
                        input.cover_image,
                        input.link_url,
                        input.status.as_str(),
                        publish_at,
                        actor,
                        t,
                        input.tool.map(|t| t.as_str())
                    ],
                    |r| r.get(0),
                )?;
            (id, "created")
        }
        Some(id) => {
            let old: Option<(String, String)> = tx
                .prepare_cached("SELECT kind, slug FROM entries WHERE id = ?1")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((old_kind, old_slug)) = old else { return Err(SaveError::NotFound) };
            if old_kind != input.kind.as_str() {
                return Err(SaveError::NotFound);
            }
            if input.kind == EntryKind::Page
                && crate::domain::content::FIXED_PAGES.contains(&old_slug.as_str())
                && old_slug != input.slug.as_str()
            {
                return Err(SaveError::FixedPage);
            }
            tx.prepare_cached(
                "UPDATE entries SET slug = ?1, title = ?2, summary = ?3, body_md = ?4, body_html = ?5, cover_image = ?6,
                     link_url = ?7, status = ?8, publish_at = ?9, updated_at = ?10, updated_by = ?11, tool = ?13
                 WHERE id = ?12",
            )?
            .execute(params![
                input.slug.as_str(),
                input.title,
                input.summary,
                input.body_md,
                body_html,
                input.cover_image,
                input.link_url,
                input.status.as_str(),
                publish_at,
                t,
                actor,
                id,
                input.tool.map(|t| t.as_str())
            ])?;
            (id, "updated")
        }
    };
    tx.prepare_cached("DELETE FROM entry_tags WHERE entry_id = ?1")?.execute([id])?;
    for tag in &input.tags {
        tx.prepare_cached("INSERT INTO entry_tags (entry_id, tag) VALUES (?1, ?2)")?.execute(params![id, tag])?;
    }
    let state = audit_state(input.status, publish_at, t);
    audit::record(
        &tx,
        actor,
        &format!("{}.{action}", input.kind.as_str()),
        &format!("{} ({})", input.title, input.kind.public_path(input.slug.as_str())),
        &state,
    )?;
    tx.commit()?;
    Ok(id)
}

/// "draft", "published" or "scheduled for …": the audit trail's detail of a save.
fn audit_state(status: EntryStatus, publish_at: Option<i64>, now: i64) -> String {
    match (status, publish_at) {
        (EntryStatus::Draft, _) => "draft".to_owned(),
        (EntryStatus::Published, Some(at)) if at > now => {
            format!("scheduled for {}", crate::domain::time::format_time(at))
        }
        (EntryStatus::Published, _) => "published".to_owned(),
    }
}

/// Whether another entry's version in either language has `slug`: its address there
/// (`/en/blog/slug`) would then name two entries.
fn version_slug_taken(conn: &Connection, kind: EntryKind, slug: &str, id: Option<i64>) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM entry_translations WHERE lang IN ('id', 'en') AND kind = ?1 AND slug = ?2
               AND entry_id IS NOT ?3",
        )?
        .query_row(params![kind.as_str(), slug, id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// An entry's version in another language, for its editor: the entry's kind, main
/// slug and title, and the version's form if it has one.
pub struct VersionForm {
    pub kind: EntryKind,
    pub main_slug: String,
    pub main_title: String,
    pub form: Option<EntryForm>,
}

/// The editor of entry `id`'s version in `lang`; `None` when there is no such entry.
pub fn version_form(conn: &Connection, id: i64, lang: Lang) -> Result<Option<VersionForm>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT e.kind, e.slug, e.title, o.title, o.slug, o.summary, o.body_md, o.status, o.publish_at
             FROM entries e LEFT JOIN entry_translations o ON o.entry_id = e.id AND o.lang = ?2 WHERE e.id = ?1",
        )?
        .query_row(params![id, lang.as_str()], |r| {
            let form = match r.get::<_, Option<String>>(3)? {
                Some(title) => Some(EntryForm {
                    title,
                    slug: r.get(4)?,
                    summary: r.get(5)?,
                    body_md: r.get(6)?,
                    status: r.get(7)?,
                    publish_at: r
                        .get::<_, Option<i64>>(8)?
                        .map(crate::domain::time::datetime_local)
                        .unwrap_or_default(),
                    ..EntryForm::default()
                }),
                None => None,
            };
            Ok(VersionForm { kind: kind_at(r, 0)?, main_slug: r.get(1)?, main_title: r.get(2)?, form })
        })
        .optional()?)
}

/// Saves entry `id`'s version in `lang` (made or replaced) and records it in the audit
/// trail. A fixed page keeps its address in every language: its version's slug is the
/// page's. `body_html` is rendered by the caller.
pub fn save_version(
    conn: &mut Connection,
    (id, kind): (i64, EntryKind),
    lang: Lang,
    input: &VersionInput,
    body_html: &TrustedHtml,
    actor: Option<i64>,
) -> Result<(), SaveError> {
    let tx = conn.transaction()?;
    let t = now();
    let main: Option<(String, String)> = tx
        .prepare_cached("SELECT kind, slug FROM entries WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((main_kind, main_slug)) = main else { return Err(SaveError::NotFound) };
    if main_kind != kind.as_str() {
        return Err(SaveError::NotFound);
    }
    let fixed = kind == EntryKind::Page && crate::domain::content::FIXED_PAGES.contains(&main_slug.as_str());
    let slug = if fixed { main_slug.as_str() } else { input.slug.as_str() };
    let other_entry: Option<i64> = tx
        .prepare_cached("SELECT id FROM entries WHERE kind = ?1 AND slug = ?2 AND id != ?3")?
        .query_row(params![kind.as_str(), slug, id], |r| r.get(0))
        .optional()?;
    if other_entry.is_some() || version_slug_taken(&tx, kind, slug, Some(id))? {
        return Err(SaveError::SlugTaken);
    }
    let publish_at = input.publication(t);
    tx.prepare_cached(
        "INSERT INTO entry_translations (entry_id, lang, kind, slug, title, summary, body_md, body_html, status,
             publish_at, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)
         ON CONFLICT (entry_id, lang) DO UPDATE SET slug = excluded.slug, title = excluded.title,
             summary = excluded.summary, body_md = excluded.body_md, body_html = excluded.body_html,
             status = excluded.status, publish_at = excluded.publish_at, updated_at = excluded.updated_at,
             updated_by = excluded.updated_by",
    )?
    .execute(params![
        id,
        lang.as_str(),
        kind.as_str(),
        slug,
        input.title,
        input.summary,
        input.body_md,
        body_html,
        input.status.as_str(),
        publish_at,
        t,
        actor
    ])?;
    let state = audit_state(input.status, publish_at, t);
    audit::record(
        &tx,
        actor,
        &format!("{}.version_saved", kind.as_str()),
        &format!("{} ({}, {})", input.title, lang.as_str(), kind.public_path(slug)),
        &state,
    )?;
    tx.commit()?;
    Ok(())
}

/// Deletes entry `id`'s version in `lang`: the entry shows as written there again.
pub fn delete_version(conn: &mut Connection, id: i64, lang: Lang, actor: i64) -> Result<EntryKind, DeleteError> {
    let tx = conn.transaction()?;
    let found: Option<(EntryKind, String, String)> = tx
        .prepare_cached(
            "SELECT e.kind, o.slug, o.title FROM entry_translations o JOIN entries e ON e.id = o.entry_id
             WHERE o.entry_id = ?1 AND o.lang = ?2",
        )?
        .query_row(params![id, lang.as_str()], |r| Ok((kind_at(r, 0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((kind, slug, title)) = found else { return Err(DeleteError::NotFound) };
    tx.prepare_cached("DELETE FROM entry_translations WHERE entry_id = ?1 AND lang = ?2")?
        .execute(params![id, lang.as_str()])?;
    audit::record(
        &tx,
        Some(actor),
        &format!("{}.version_deleted", kind.as_str()),
        &format!("{title} ({}, {slug})", lang.as_str()),
        "",
    )?;
    tx.commit()?;
    Ok(kind)
}

/// Why an entry could not be deleted.
#[derive(Debug)]
pub enum DeleteError {
    NotFound,
    FixedPage,
    Db(DbError),
}

impl<E: Into<DbError>> From<E> for DeleteError {
    fn from(e: E) -> Self {
        Self::Db(e.into())
    }
}

/// Deletes an entry (its tags go with it); returns its kind for the redirect.
pub fn delete(conn: &mut Connection, id: i64, actor: i64) -> Result<EntryKind, DeleteError> {
    let tx = conn.transaction()?;
    let found: Option<(EntryKind, String, String)> = tx
        .prepare_cached("SELECT kind, slug, title FROM entries WHERE id = ?1")?
        .query_row([id], |r| Ok((kind_at(r, 0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((kind, slug, title)) = found else { return Err(DeleteError::NotFound) };
    if kind == EntryKind::Page && crate::domain::content::FIXED_PAGES.contains(&slug.as_str()) {
        return Err(DeleteError::FixedPage);
    }
    tx.prepare_cached("DELETE FROM entries WHERE id = ?1")?.execute([id])?;
    audit::record(&tx, Some(actor), &format!("{}.deleted", kind.as_str()), &format!("{title} ({slug})"), "")?;
    tx.commit()?;
    Ok(kind)
}

/// Inserts the fixed pages (about, privacy policy, terms, disclaimer) that do not exist
/// yet, so a fresh database serves them and staff can edit them (`pages`: slug, title,
/// summary, Markdown). `render` turns Markdown into safe HTML.
pub fn ensure_fixed_pages(
    conn: &Connection,
    pages: &[crate::domain::legal::FixedPage],
    render: impl Fn(&str) -> TrustedHtml,
) -> Result<(), DbError> {
    let t = now();
    for (slug, title, summary, body) in pages {
        conn.prepare_cached(
            "INSERT INTO entries (kind, slug, title, summary, body_md, body_html, status, publish_at, created_at, updated_at)
             VALUES ('page', ?1, ?2, ?3, ?4, ?5, 'published', ?6, ?6, ?6)
             ON CONFLICT (kind, slug) DO NOTHING",
        )?
        .execute(params![slug, title, summary, body, render(body), t])?;
    }
    Ok(())
}
