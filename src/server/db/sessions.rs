//! Queries on `sessions` (the tower-sessions store in `auth::session_store` is
//! their only user; `users::end_sessions` ends a person's sessions).

use super::users::{from_row, UserRow, COLUMNS};
use super::DbError;
use rusqlite::{params, Connection, OptionalExtension};

/// A session as stored: its key (a hash of the id), JSON data, expiry and owner.
pub struct StoredSession<'a> {
    pub key: &'a str,
    pub data: &'a str,
    pub expires_at: i64,
    pub user_id: Option<i64>,
}

/// Stores a new session: false if its key is taken (then the caller draws another id).
pub fn insert_new(conn: &Connection, session: &StoredSession<'_>) -> Result<bool, DbError> {
    let inserted = conn
        .prepare_cached(
            "INSERT INTO sessions (id, data, expiry_date, user_id) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO NOTHING",
        )?
        .execute(params![session.key, session.data, session.expires_at, session.user_id])?;
    Ok(inserted > 0)
}

/// Stores a changed session over what its key holds. A session that no longer exists
/// stays gone (false): it was ended (sign-out everywhere, a password reset, an account
/// disabled) while a request that had loaded it was still running, and that request's
/// save must not bring it back.
pub fn save(conn: &Connection, session: &StoredSession<'_>) -> Result<bool, DbError> {
    let updated = conn
        .prepare_cached("UPDATE sessions SET data = ?2, expiry_date = ?3, user_id = ?4 WHERE id = ?1")?
        .execute(params![session.key, session.data, session.expires_at, session.user_id])?;
    Ok(updated > 0)
}

/// Who an unexpired session belongs to, read with the session in one statement
/// (without decoding its data): `None` if there is no such session.
pub enum SessionOwner {
    /// Nobody signed in with this session.
    Nobody,
    /// The person (as they are now) and their sign-in: see [`SignIn`].
    User { user: UserRow, sign_in: SignIn },
}

/// A session's sign-in as stored.
pub struct SignIn {
    /// When they signed in (unix seconds), if recorded.
    pub at: Option<i64>,
    /// Whether they asked to stay signed in.
    pub remember: bool,
    /// When the session expires unless renewed (unix seconds).
    pub expires_at: i64,
}

/// The names of the data's fields that hold the sign-in time and the "remember me" flag.
pub struct SignInKeys {
    pub at: &'static str,
    pub remember: &'static str,
}

pub fn owner(conn: &Connection, key: &str, now: i64, keys: &SignInKeys) -> Result<Option<SessionOwner>, DbError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS}, s.signed_in_at, s.remember, s.expiry_date
             FROM (SELECT user_id, expiry_date, json_extract(data, '$.' || ?3) AS signed_in_at,
                          coalesce(json_extract(data, '$.' || ?4), 0) AS remember
                   FROM sessions WHERE id = ?1 AND expiry_date > ?2) AS s
             LEFT JOIN users ON users.id = s.user_id"
        ))?
        .query_row(params![key, now, keys.at, keys.remember], |r| {
            Ok(match r.get::<_, Option<i64>>(0)? {
                None => SessionOwner::Nobody,
                Some(_) => SessionOwner::User {
                    user: from_row(r)?,
                    sign_in: SignIn {
                        at: r.get("signed_in_at")?,
                        remember: r.get("remember")?,
                        expires_at: r.get("expiry_date")?,
                    },
                },
            })
        })
        .optional()?)
}

/// The data and expiry of an unexpired session.
pub fn load(conn: &Connection, key: &str, now: i64) -> Result<Option<(String, i64)>, DbError> {
    Ok(conn
        .prepare_cached("SELECT data, expiry_date FROM sessions WHERE id = ?1 AND expiry_date > ?2")?
        .query_row(params![key, now], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub fn delete(conn: &Connection, key: &str) -> Result<(), DbError> {
    conn.prepare_cached("DELETE FROM sessions WHERE id = ?1")?.execute([key])?;
    Ok(())
}

/// Removes expired sessions: how many.
pub fn delete_expired(conn: &Connection, now: i64) -> Result<usize, DbError> {
    Ok(conn.prepare_cached("DELETE FROM sessions WHERE expiry_date <= ?1")?.execute([now])?)
}
