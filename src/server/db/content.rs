//! Queries on `entries` (posts, pages, case studies, demos, resources, tools) and their tags.
//!
//! "Public" means `status = 'published' AND publish_at <= now`: a draft is never
//! shown, a scheduled entry appears at its time.

use super::{audit, now, DbError};
use crate::domain::content::{Entry, EntryForm, EntryInput, EntryKind, EntryRow, EntryStatus};
use crate::domain::html::TrustedHtml;
use crate::domain::pagination::{Cursor, Page, PageAt};
use crate::domain::tools::BuiltinTool;
use rusqlite::{params, Connection, OptionalExtension, Row};

/// Columns of [`Entry`]; the list variant leaves out long bodies except where lists show them.
const ENTRY_COLUMNS: &str = "e.id, e.kind, e.slug, e.title, e.summary, e.body_html, e.cover_image, e.link_url,
    (SELECT group_concat(t.tag, ',') FROM entry_tags t WHERE t.entry_id = e.id), e.publish_at, e.updated_at,
    coalesce(u.name, 'Atelier'), e.tool";
const CARD_COLUMNS: &str = "e.id, e.kind, e.slug, e.title, e.summary,
    CASE WHEN e.kind IN ('demo', 'resource') THEN e.body_html ELSE '' END, e.cover_image, e.link_url,
    (SELECT group_concat(t.tag, ',') FROM entry_tags t WHERE t.entry_id = e.id), e.publish_at, e.updated_at,
    coalesce(u.name, 'Atelier'), e.tool";
const FROM_PUBLIC: &str = "FROM entries e LEFT JOIN users u ON u.id = e.author_id
    WHERE e.status = 'published' AND e.publish_at <= ?1";

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
    })
}

/// Published entries of a kind, newest first (pages, tools and case studies the same way).
pub fn published(conn: &Connection, kind: EntryKind, now: i64) -> Result<Vec<Entry>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CARD_COLUMNS} {FROM_PUBLIC} AND e.kind = ?2 ORDER BY e.publish_at DESC, e.id DESC"
    ))?;
    let rows = stmt.query_map(params![now, kind.as_str()], entry_from_row)?.collect::<Result<Vec<_>, _>>()?;
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

/// The newest `limit` published posts.
pub fn latest_posts(conn: &Connection, limit: u32, now: i64) -> Result<Vec<Entry>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CARD_COLUMNS} {FROM_PUBLIC} AND e.kind = 'post' ORDER BY e.publish_at DESC, e.id DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![now, limit], entry_from_row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// One page of published posts (optionally with a tag) and whether another page follows.
pub fn blog_page(
    conn: &Connection,
    tag: Option<&str>,
    page: u32,
    per_page: u32,
    now: i64,
) -> Result<(Vec<Entry>, bool), DbError> {
    let offset = i64::from(page.saturating_sub(1)) * i64::from(per_page);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CARD_COLUMNS} {FROM_PUBLIC} AND e.kind = 'post'
           AND (?2 IS NULL OR EXISTS (SELECT 1 FROM entry_tags t WHERE t.entry_id = e.id AND t.tag = ?2))
         ORDER BY e.publish_at DESC, e.id DESC LIMIT ?3 OFFSET ?4"
    ))?;
    let mut rows =
        stmt.query_map(params![now, tag, per_page + 1, offset], entry_from_row)?.collect::<Result<Vec<_>, _>>()?;
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

/// A published entry by kind and slug.
pub fn published_by_slug(conn: &Connection, kind: EntryKind, slug: &str, now: i64) -> Result<Option<Entry>, DbError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {ENTRY_COLUMNS} {FROM_PUBLIC} AND e.kind = ?2 AND e.slug = ?3"))?
        .query_row(params![now, kind.as_str(), slug], entry_from_row)
        .optional()?)
}

/// The earliest scheduled publication after `now`: cached public pages are stale from then on.
pub fn next_scheduled(conn: &Connection, now: i64) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached("SELECT min(publish_at) FROM entries WHERE status = 'published' AND publish_at > ?1")?
        .query_row([now], |r| r.get(0))?)
}

/// Every public entry with a page of its own, for the sitemap: (path, last change).
pub fn sitemap(conn: &Connection, now: i64) -> Result<Vec<(String, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, slug, max(updated_at, publish_at) FROM entries
         WHERE status = 'published' AND publish_at <= ?1 AND kind NOT IN ('demo', 'resource')
         ORDER BY kind, publish_at DESC",
    )?;
    let rows = stmt
        .query_map([now], |r| Ok((kind_at(r, 0)?.public_path(&r.get::<_, String>(1)?), r.get(2)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A page of a kind's entries for staff, drafts included, newest first (by publication,
/// or last change for a draft), searched by title; through `entries_admin`.
pub fn page_for_staff(conn: &Connection, kind: EntryKind, q: &str, at: PageAt) -> Result<Page<EntryRow>, DbError> {
    use rusqlite::types::Value;
    let mut args = super::Args::default();
    args.bind(Value::Text(kind.as_str().into()));
    let mut sql = String::from(
        "SELECT e.id, e.kind, e.slug, e.title, e.status, e.publish_at, e.updated_at, coalesce(u.name, '')
         FROM entries e LEFT JOIN users u ON u.id = e.updated_by WHERE e.kind = ?1",
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
            Ok(EntryRow {
                id: r.get(0)?,
                kind: kind_at(r, 1)?,
                slug: r.get(2)?,
                title: r.get(3)?,
                status: EntryStatus::parse(&status).ok_or_else(|| bad_text(4, status))?,
                publish_at: r.get(5)?,
                updated_at: r.get(6)?,
                updated_by: r.get(7)?,
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
    if taken.is_some_and(|t| Some(t) != id) {
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
    let state = match (input.status, publish_at) {
        (EntryStatus::Draft, _) => "draft".to_owned(),
        (EntryStatus::Published, Some(at)) if at > t => {
            format!("scheduled for {}", crate::domain::time::format_time(at))
        }
        (EntryStatus::Published, _) => "published".to_owned(),
    };
    audit::record(
        &tx,
        actor,
        &format!("{} {action}", input.kind.label()),
        &format!("{} ({})", input.title, input.kind.public_path(input.slug.as_str())),
        &state,
    )?;
    tx.commit()?;
    Ok(id)
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
    audit::record(&tx, Some(actor), &format!("{} deleted", kind.label()), &format!("{title} ({slug})"), "")?;
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
