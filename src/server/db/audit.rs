//! The audit trail: who changed what, and when.

use super::{now, DbError};
use crate::domain::audit::AuditEntry;
use crate::domain::pagination::{Cursor, Page, PageAt, PAGE_SIZE};
use rusqlite::{params, Connection};

pub fn record(conn: &Connection, actor: Option<i64>, action: &str, subject: &str, detail: &str) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO audit_log (actor_id, action, subject, detail, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![actor, action, subject, detail, now()])?;
    Ok(())
}

/// The newest `limit` lines, newest first.
pub fn recent(conn: &Connection, limit: u32) -> Result<Vec<AuditEntry>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.created_at, coalesce(u.email, 'system'), a.action, a.subject, a.detail
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id ORDER BY a.id DESC LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit], |r| {
            Ok(AuditEntry { at: r.get(0)?, actor: r.get(1)?, action: r.get(2)?, subject: r.get(3)?, detail: r.get(4)? })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A page of the whole trail, newest first (by id: lines are only ever appended).
pub fn page(conn: &Connection, at: PageAt) -> Result<Page<AuditEntry>, DbError> {
    let (cmp, order) = if at.ascending() { (">", "ASC") } else { ("<", "DESC") };
    let (after, cursor) = match at {
        PageAt::Before(c) | PageAt::After(c) => (format!(" WHERE a.id {cmp} ?1"), vec![c.id]),
        PageAt::First => (String::new(), Vec::new()),
    };
    let sql = format!(
        "SELECT a.id, a.created_at, coalesce(u.email, 'system'), a.action, a.subject, a.detail
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id{after} ORDER BY a.id {order} LIMIT {}",
        PAGE_SIZE + 1
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(cursor), |r| {
            let entry = AuditEntry {
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                subject: r.get(4)?,
                detail: r.get(5)?,
            };
            Ok((r.get::<_, i64>(0)?, entry))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let page = Page::from_rows(rows, at, |(id, _)| Cursor { at: *id, id: *id });
    Ok(Page { rows: page.rows.into_iter().map(|(_, e)| e).collect(), newer: page.newer, older: page.older })
}
