//! Queries on `deliverables` (their versions and reviews), `project_messages`
//! (their attachments) and `project_reads`.

use super::{now, DbError};
use crate::domain::html::TrustedHtml;
use crate::domain::work::{
    Attachment, Deliverable, DeliverableStatus, DeliverableVersion, Message, Review, ReviewEntry, Thread,
};
use rusqlite::{params, Connection, OptionalExtension};

/// A file just stored, to record.
pub struct StoredFile<'a> {
    pub storage_path: &'a str,
    pub original_name: &'a str,
    pub bytes: i64,
    pub sha256: &'a str,
}

// ---- deliverables --------------------------------------------------------------

/// A new deliverable of `project_id` (its milestone must be the project's).
/// None if the milestone is not the project's.
pub fn create(
    conn: &Connection,
    project_id: i64,
    milestone_id: Option<i64>,
    title: &str,
    release_when_paid: bool,
) -> Result<Option<i64>, DbError> {
    if let Some(m) = milestone_id {
        let ours: bool = conn
            .prepare_cached("SELECT EXISTS(SELECT 1 FROM milestones WHERE id = ?1 AND project_id = ?2)")?
            .query_row(params![m, project_id], |r| r.get(0))?;
        if !ours {
            return Ok(None);
        }
    }
    let t = now();
    Ok(Some(
        conn.prepare_cached(
            "INSERT INTO deliverables (project_id, milestone_id, title, release_when_paid, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'in_review', ?5, ?5) RETURNING id",
        )?
        .query_row(params![project_id, milestone_id, title, release_when_paid, t], |r| r.get(0))?,
    ))
}

/// The project a deliverable belongs to.
pub fn project_of(conn: &Connection, id: i64) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached("SELECT project_id FROM deliverables WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// A deliverable's title.
pub fn title(conn: &Connection, id: i64) -> Result<String, DbError> {
    Ok(conn.prepare_cached("SELECT title FROM deliverables WHERE id = ?1")?.query_row([id], |r| r.get(0))?)
}

/// Adds a version (the next number) and puts the deliverable back in review: its number.
pub fn add_version(
    conn: &Connection,
    deliverable_id: i64,
    file: &StoredFile<'_>,
    note: &str,
    staff: i64,
) -> Result<i64, DbError> {
    let t = now();
    let seq: i64 = conn
        .prepare_cached(
            "INSERT INTO deliverable_versions (deliverable_id, seq, storage_path, original_name, bytes, sha256, note, uploaded_by, created_at)
             SELECT ?1, coalesce(max(seq), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM deliverable_versions WHERE deliverable_id = ?1
             RETURNING seq",
        )?
        .query_row(
            params![deliverable_id, file.storage_path, file.original_name, file.bytes, file.sha256, note, staff, t],
            |r| r.get(0),
        )?;
    conn.prepare_cached("UPDATE deliverables SET status = 'in_review', updated_at = ?2 WHERE id = ?1")?
        .execute(params![deliverable_id, t])?;
    Ok(seq)
}

/// Why a deliverable is locked for its client: released when paid, and its milestone's
/// current invoice (the latest that is not void) is not paid. An older invoice paid
/// (a deposit, one replaced by a corrected one) does not release it.
fn lock_reason(
    conn: &Connection,
    milestone_id: Option<i64>,
    milestone: Option<&str>,
) -> Result<Option<String>, DbError> {
    let Some(milestone_id) = milestone_id else { return Ok(None) };
    let current: Option<(String, Option<String>)> = conn
        .prepare_cached(
            "SELECT status, number FROM invoices WHERE milestone_id = ?1 AND status <> 'void' ORDER BY id DESC LIMIT 1",
        )?
        .query_row([milestone_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let milestone = milestone.unwrap_or("its milestone");
    Ok(match current {
        Some((status, _)) if status == "paid" => None,
        Some((_, Some(number))) => Some(format!("Released once invoice {number} ({milestone}) is paid.")),
        Some((_, None)) | None => {
            Some(format!("Released once the invoice for {milestone} is paid; the studio has not sent it yet."))
        }
    })
}

/// A project's deliverables, with versions and reviews, newest first.
pub fn of_project(conn: &Connection, project_id: i64) -> Result<Vec<Deliverable>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.milestone_id, m.title, d.title, d.release_when_paid, d.status
         FROM deliverables d LEFT JOIN milestones m ON m.id = d.milestone_id
         WHERE d.project_id = ?1 ORDER BY d.id DESC",
    )?;
    let rows = stmt
        .query_map([project_id], |r| {
            let status: String = r.get(5)?;
            Ok(Deliverable {
                id: r.get(0)?,
                project_id,
                milestone_id: r.get(1)?,
                milestone: r.get(2)?,
                title: r.get(3)?,
                release_when_paid: r.get(4)?,
                status: DeliverableStatus::parse(&status).unwrap_or(DeliverableStatus::InReview),
                versions: Vec::new(),
                reviews: Vec::new(),
                locked: None,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|mut d| {
            d.versions = conn
                .prepare_cached(
                    "SELECT id, seq, original_name, bytes, note, created_at FROM deliverable_versions
                     WHERE deliverable_id = ?1 ORDER BY seq DESC",
                )?
                .query_map([d.id], |r| {
                    Ok(DeliverableVersion {
                        id: r.get(0)?,
                        seq: r.get(1)?,
                        original_name: r.get(2)?,
                        bytes: r.get(3)?,
                        note: r.get(4)?,
                        created_at: r.get(5)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            d.reviews = conn
                .prepare_cached(
                    "SELECT v.seq, r.decision, r.comment, u.name, r.created_at FROM deliverable_reviews r
                     JOIN deliverable_versions v ON v.id = r.version_id JOIN users u ON u.id = r.user_id
                     WHERE r.deliverable_id = ?1 ORDER BY r.id DESC",
                )?
                .query_map([d.id], |r| {
                    let status: String = r.get(1)?;
                    Ok(ReviewEntry {
                        version_seq: r.get(0)?,
                        status: DeliverableStatus::parse(&status).unwrap_or(DeliverableStatus::InReview),
                        comment: r.get(2)?,
                        by: r.get(3)?,
                        at: r.get(4)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            if d.release_when_paid {
                d.locked = lock_reason(conn, d.milestone_id, d.milestone.as_deref())?;
            }
            Ok(d)
        })
        .collect()
}

/// A stored version to download: (project, storage path, original name, why it is locked for clients).
pub type StoredVersion = (i64, String, String, Option<String>);

pub fn version_file(conn: &Connection, version_id: i64) -> Result<Option<StoredVersion>, DbError> {
    let found = conn
        .prepare_cached(
            "SELECT d.project_id, v.storage_path, v.original_name, d.release_when_paid, d.milestone_id, m.title
             FROM deliverable_versions v JOIN deliverables d ON d.id = v.deliverable_id
             LEFT JOIN milestones m ON m.id = d.milestone_id WHERE v.id = ?1",
        )?
        .query_row([version_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })
        .optional()?;
    let Some((project, path, name, release_when_paid, milestone_id, milestone)) = found else { return Ok(None) };
    let locked = if release_when_paid { lock_reason(conn, milestone_id, milestone.as_deref())? } else { None };
    Ok(Some((project, path, name, locked)))
}

/// Records the client's review of the latest version: (the deliverable's title,
/// the version's number), or None if it has no version.
pub fn review(
    conn: &Connection,
    deliverable_id: i64,
    user_id: i64,
    review: &Review,
) -> Result<Option<(String, i64)>, DbError> {
    let latest: Option<(i64, i64, String)> = conn
        .prepare_cached(
            "SELECT v.id, v.seq, d.title FROM deliverable_versions v JOIN deliverables d ON d.id = v.deliverable_id
             WHERE v.deliverable_id = ?1 ORDER BY v.seq DESC LIMIT 1",
        )?
        .query_row([deliverable_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((version_id, seq, title)) = latest else { return Ok(None) };
    let t = now();
    let comment = match review {
        Review::Approve => "",
        Review::RequestChanges(c) => c.as_str(),
    };
    conn.prepare_cached(
        "INSERT INTO deliverable_reviews (deliverable_id, version_id, user_id, decision, comment, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![deliverable_id, version_id, user_id, review.status().as_str(), comment, t])?;
    conn.prepare_cached("UPDATE deliverables SET status = ?2, updated_at = ?3 WHERE id = ?1")?.execute(params![
        deliverable_id,
        review.status().as_str(),
        t
    ])?;
    Ok(Some((title, seq)))
}

/// Everything of a project's page for `reader` (staff see drafts), messages marked
/// unread past what they have seen (a read: see [`unseen_up_to`] to mark them read).
pub fn page(
    conn: &Connection,
    project_id: i64,
    reader: i64,
    staff: bool,
    before: Option<i64>,
) -> Result<crate::domain::billing::Billing, DbError> {
    use super::billing;
    let client = if staff { None } else { super::projects::by_id(conn, project_id)?.map(|p| p.client_id) };
    let page = crate::domain::billing::Billing {
        quotes: billing::quotes_of(conn, project_id, staff)?,
        invoices: billing::invoices(conn, Some(project_id), client, staff)?,
        deliverables: of_project(conn, project_id)?,
        thread: messages(conn, project_id, reader, before)?,
        events: billing::events(conn, project_id)?,
    };
    Ok(page)
}

/// The newest message of `page` the reader has not seen yet (to mark read once shown).
pub fn unseen_up_to(page: &crate::domain::billing::Billing) -> Option<i64> {
    let messages = &page.thread.messages;
    messages.iter().any(|m| m.unread).then(|| messages.last().map(|m| m.id)).flatten()
}

/// Fills each project's count of messages `reader` has not read (written by
/// someone else after the last one they saw), one indexed count per project shown.
pub fn fill_unread(
    conn: &Connection,
    reader: i64,
    projects: &mut [crate::domain::projects::Project],
) -> Result<(), DbError> {
    for p in projects {
        p.unread = super::projects::unread_for(conn, p.id, reader)?;
    }
    Ok(())
}

// ---- messages ------------------------------------------------------------------

pub fn post_message(
    conn: &Connection,
    project_id: i64,
    author: i64,
    from_staff: bool,
    body_md: &str,
    body_html: &TrustedHtml,
) -> Result<i64, DbError> {
    let id: i64 = conn
        .prepare_cached(
            "INSERT INTO project_messages (project_id, author_id, from_staff, body_md, body_html, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        )?
        .query_row(params![project_id, author, from_staff, body_md, body_html, now()], |r| r.get(0))?;
    // The author has read their own message.
    mark_read(conn, author, project_id, id)?;
    Ok(id)
}

pub fn attach(conn: &Connection, message_id: i64, file: &StoredFile<'_>) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO message_attachments (message_id, storage_path, original_name, bytes, sha256) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![message_id, file.storage_path, file.original_name, file.bytes, file.sha256])?;
    Ok(())
}

/// Messages a thread page shows.
pub const THREAD_PAGE: usize = 50;

/// One page of a project's thread, oldest first: the newest [`THREAD_PAGE`] messages,
/// or those just before message `before`; with where the older and newer pages start.
pub fn messages(conn: &Connection, project_id: i64, reader: i64, before: Option<i64>) -> Result<Thread, DbError> {
    let seen = last_read(conn, reader, project_id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, u.name, m.from_staff, m.body_html, m.created_at, m.author_id FROM project_messages m
         JOIN users u ON u.id = m.author_id WHERE m.project_id = ?1 AND m.id < ?2 ORDER BY m.id DESC LIMIT ?3",
    )?;
    let mut rows = stmt
        .query_map(params![project_id, before.unwrap_or(i64::MAX), THREAD_PAGE as i64 + 1], |r| {
            let (id, author_id): (i64, i64) = (r.get(0)?, r.get(5)?);
            Ok(Message {
                id,
                author: r.get(1)?,
                from_staff: r.get(2)?,
                body_html: r.get(3)?,
                created_at: r.get(4)?,
                attachments: Vec::new(),
                unread: id > seen && author_id != reader,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let more_older = rows.len() > THREAD_PAGE;
    rows.truncate(THREAD_PAGE);
    rows.reverse();
    let older = if more_older { rows.first().map(|m| m.id) } else { None };
    // The next page up ends before the message THREAD_PAGE + 1 after the last shown
    // (none: it is the newest page).
    let newer = match (before, rows.last()) {
        (None, _) => None,
        (Some(_), last) => {
            let after = last.map_or(0, |m| m.id);
            let next: Option<i64> = conn
                .prepare_cached(
                    "SELECT id FROM project_messages WHERE project_id = ?1 AND id > ?2 ORDER BY id LIMIT 1 OFFSET ?3",
                )?
                .query_row(params![project_id, after, THREAD_PAGE as i64], |r| r.get(0))
                .optional()?;
            // No page starts after this one's newer page: is there a newer page at all?
            let any_newer = next.is_some()
                || conn
                    .prepare_cached("SELECT EXISTS(SELECT 1 FROM project_messages WHERE project_id = ?1 AND id > ?2)")?
                    .query_row(params![project_id, after], |r| r.get::<_, bool>(0))?;
            any_newer.then_some(next)
        }
    };
    let mut messages = rows;
    for m in &mut messages {
        m.attachments = conn
            .prepare_cached(
                "SELECT id, original_name, bytes FROM message_attachments WHERE message_id = ?1 ORDER BY id",
            )?
            .query_map([m.id], |r| Ok(Attachment { id: r.get(0)?, original_name: r.get(1)?, bytes: r.get(2)? }))?
            .collect::<Result<Vec<_>, _>>()?;
    }
    Ok(Thread { messages, older, newer })
}

fn last_read(conn: &Connection, user_id: i64, project_id: i64) -> Result<i64, DbError> {
    Ok(conn
        .prepare_cached("SELECT last_message_id FROM project_reads WHERE user_id = ?1 AND project_id = ?2")?
        .query_row(params![user_id, project_id], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// `user_id` has seen the project's messages up to `message_id`.
pub fn mark_read(conn: &Connection, user_id: i64, project_id: i64, message_id: i64) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO project_reads (user_id, project_id, last_message_id) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id, project_id) DO UPDATE SET last_message_id = max(last_message_id, excluded.last_message_id)",
    )?
    .execute(params![user_id, project_id, message_id])?;
    Ok(())
}

/// An attachment to download: (its project, storage path, original name).
pub fn attachment_file(conn: &Connection, id: i64) -> Result<Option<(i64, String, String)>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT m.project_id, a.storage_path, a.original_name FROM message_attachments a
             JOIN project_messages m ON m.id = a.message_id WHERE a.id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}
