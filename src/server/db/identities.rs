//! Queries on `user_identities`: accounts at other providers (Google) linked to ours.

use super::{now, DbError};
use rusqlite::{params, Connection, OptionalExtension};

/// The user a provider's account is linked to.
pub fn user_for(conn: &Connection, provider: &str, subject: &str) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached("SELECT user_id FROM user_identities WHERE provider = ?1 AND subject = ?2")?
        .query_row(params![provider, subject], |r| r.get(0))
        .optional()?)
}

/// Links a provider's account (`subject`, its stable id there) to `user_id`.
pub fn link(conn: &Connection, provider: &str, subject: &str, user_id: i64, email: &str) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO user_identities (provider, subject, user_id, email, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![provider, subject, user_id, email, now()])?;
    Ok(())
}

/// A provider's account linked to a person, as their profile lists it.
#[derive(Debug, Clone)]
pub struct LinkedIdentity {
    pub subject: String,
    pub email: String,
    pub created_at: i64,
}

/// Every account at `provider` linked to `user_id`, oldest first.
pub fn linked(conn: &Connection, provider: &str, user_id: i64) -> Result<Vec<LinkedIdentity>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT subject, email, created_at FROM user_identities WHERE provider = ?1 AND user_id = ?2
         ORDER BY created_at, subject",
    )?;
    let rows = stmt
        .query_map(params![provider, user_id], |r| {
            Ok(LinkedIdentity { subject: r.get("subject")?, email: r.get("email")?, created_at: r.get("created_at")? })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Unlinks one of `user_id`'s accounts at `provider`: false if it was not theirs.
pub fn unlink(conn: &Connection, provider: &str, subject: &str, user_id: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("DELETE FROM user_identities WHERE provider = ?1 AND subject = ?2 AND user_id = ?3")?
        .execute(params![provider, subject, user_id])?
        > 0)
}

/// Unlinks every provider's account from `user_id` (a password reset by mail, a raise to staff): how many.
pub fn unlink_all(conn: &Connection, user_id: i64) -> Result<usize, DbError> {
    Ok(conn.prepare_cached("DELETE FROM user_identities WHERE user_id = ?1")?.execute([user_id])?)
}
