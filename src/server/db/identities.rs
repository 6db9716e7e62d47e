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

/// The address of the provider's account linked to `user_id`, if any.
pub fn linked_email(conn: &Connection, provider: &str, user_id: i64) -> Result<Option<String>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT email FROM user_identities WHERE provider = ?1 AND user_id = ?2 ORDER BY created_at LIMIT 1",
        )?
        .query_row(params![provider, user_id], |r| r.get(0))
        .optional()?)
}
