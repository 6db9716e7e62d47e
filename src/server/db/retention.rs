//! Retention: what the daily maintenance removes, in one transaction, and the
//! consistent copy it backs up.

use super::DbError;
use crate::domain::time::DAY_SECS;
use rusqlite::{params, Connection};

/// What a clean-up removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    pub email_tokens: usize,
    pub download_links: usize,
    pub jobs: usize,
    pub sessions: usize,
    pub refused_bodies: usize,
    pub tool_usage: usize,
}

/// Retention: used or expired email tokens and email-change links; download links expired 30 days ago;
/// jobs finished 30 days ago (dead ones stay for staff); expired sessions; the
/// bodies of refused payment events after 90 days (the event and its note stay);
/// visitors' tool counts (kept by IP address) once their day is over, members'
/// after 400 days (the dashboard shows 30 days and the month).
pub fn clean_up(conn: &mut Connection, now: i64) -> Result<Removed, DbError> {
    let tx = conn.transaction()?;
    let removed = Removed {
        email_tokens: tx.execute("DELETE FROM email_tokens WHERE used_at IS NOT NULL OR expires_at <= ?1", [now])?
            + tx.execute("DELETE FROM email_changes WHERE used_at IS NOT NULL OR expires_at <= ?1", [now])?,
        download_links: tx.execute("DELETE FROM download_links WHERE expires_at <= ?1", [now - 30 * DAY_SECS])?,
        jobs: tx.execute("DELETE FROM jobs WHERE status = 'done' AND updated_at <= ?1", [now - 30 * DAY_SECS])?,
        sessions: tx.execute("DELETE FROM sessions WHERE expiry_date <= ?1", [now])?,
        refused_bodies: tx.execute(
            "UPDATE payment_events SET raw = '' WHERE outcome = 'rejected' AND raw <> '' AND created_at <= ?1",
            params![now - 90 * DAY_SECS],
        )?,
        tool_usage: {
            let today = crate::domain::time::jakarta_day(now);
            tx.execute(
                "DELETE FROM tool_usage WHERE (user_id IS NULL AND day < ?1) OR day < ?2",
                params![today - 1, today - 400],
            )?
        },
    };
    tx.commit()?;
    Ok(removed)
}

/// A consistent copy of the whole database written to `path` while it is in use (`VACUUM INTO`).
pub fn copy_into(conn: &Connection, path: &str) -> Result<(), DbError> {
    conn.execute("VACUUM INTO ?1", [path])?;
    Ok(())
}
