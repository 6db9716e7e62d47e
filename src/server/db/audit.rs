//! The audit trail: who changed what, and when.

use super::{now, DbError};
use crate::domain::audit::AuditEntry;
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
