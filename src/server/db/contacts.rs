//! Queries on `contact_messages`.

use super::{audit, now, DbError};
use crate::domain::contact::{ContactInput, ContactMessage};
use crate::domain::pagination::{Cursor, Page, PageAt, PAGE_SIZE};
use rusqlite::{params, Connection};

pub fn insert(conn: &Connection, input: &ContactInput) -> Result<i64, DbError> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO contact_messages (name, email, subject, message, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
             RETURNING id",
        )?
        .query_row(params![input.name, input.email.as_str(), input.subject, input.message, now()], |r| r.get(0))?)
}

/// A page of the inbox: unhandled (`handled` false) or handled messages, newest first,
/// through the partial index of its tab (`contact_messages_open` / `_done`).
pub fn page(conn: &Connection, handled: bool, at: PageAt) -> Result<Page<ContactMessage>, DbError> {
    let tab = if handled { "c.handled_at IS NOT NULL" } else { "c.handled_at IS NULL" };
    let (cmp, order) = if at.ascending() { (">", "ASC") } else { ("<", "DESC") };
    let (after, cursor) = match at {
        PageAt::Before(c) | PageAt::After(c) => (format!(" AND (c.created_at, c.id) {cmp} (?1, ?2)"), vec![c.at, c.id]),
        PageAt::First => (String::new(), Vec::new()),
    };
    let sql = format!(
        "SELECT c.id, c.name, c.email, c.subject, c.message, c.created_at, c.handled_at, u.email
         FROM contact_messages c LEFT JOIN users u ON u.id = c.handled_by
         WHERE {tab}{after} ORDER BY c.created_at {order}, c.id {order} LIMIT {}",
        PAGE_SIZE + 1
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(cursor), |r| {
            Ok(ContactMessage {
                id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
                subject: r.get(3)?,
                message: r.get(4)?,
                created_at: r.get(5)?,
                handled_at: r.get(6)?,
                handled_by: r.get(7)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_rows(rows, at, |m| Cursor { at: m.created_at, id: m.id }))
}

/// Marks a message handled (or back to unhandled); `false` if there is no such message.
pub fn set_handled(conn: &mut Connection, id: i64, handled: bool, actor: i64) -> Result<bool, DbError> {
    let tx = conn.transaction()?;
    let changed = tx
        .prepare_cached(
            "UPDATE contact_messages SET handled_at = CASE WHEN ?2 THEN ?3 END, handled_by = CASE WHEN ?2 THEN ?4 END
             WHERE id = ?1",
        )?
        .execute(params![id, handled, now(), actor])?;
    if changed == 1 {
        let action = if handled { "contact.handled" } else { "contact.reopened" };
        audit::record(&tx, Some(actor), action, &format!("message #{id}"), "")?;
    }
    tx.commit()?;
    Ok(changed == 1)
}

pub fn unhandled_count(conn: &Connection) -> Result<i64, DbError> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM contact_messages WHERE handled_at IS NULL")?
        .query_row([], |r| r.get(0))?)
}

/// The contact messages sent from an address: (subject, message, sent at), for the person's data export.
pub fn sent_from(conn: &Connection, email: &str) -> Result<Vec<(String, String, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT subject, message, created_at FROM contact_messages WHERE email = ?1 COLLATE NOCASE
         ORDER BY created_at, id",
    )?;
    let rows = stmt.query_map([email], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
