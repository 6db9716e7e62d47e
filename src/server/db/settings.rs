//! Key/value settings kept in the database (e.g. the generated secret key).

use super::DbError;
use rusqlite::{params, Connection, OptionalExtension};

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>, DbError> {
    Ok(conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()?)
}

/// Stores `value` unless the key already has one; returns the value that is kept.
pub fn get_or_insert(conn: &Connection, key: &str, value: &str) -> Result<String, DbError> {
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3) ON CONFLICT (key) DO NOTHING",
        params![key, value, super::now()],
    )?;
    Ok(get(conn, key)?.unwrap_or_else(|| value.to_owned()))
}

/// Removes a setting (a value that must no longer live in the database).
pub fn delete(conn: &Connection, key: &str) -> Result<bool, DbError> {
    Ok(conn.prepare_cached("DELETE FROM settings WHERE key = ?1")?.execute([key])? > 0)
}

/// Stores `value` under `key`, replacing what it held.
pub fn set(conn: &Connection, key: &str, value: &str) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )?
    .execute(params![key, value, super::now()])?;
    Ok(())
}
