//! The studio's logo and icons (`studio_images`): replaced together, read one by one.

use super::DbError;
use rusqlite::{params, Connection, OptionalExtension};

/// An image as stored: its content type, bytes and version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImage {
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub version: String,
}

/// Replaces every image with `images` ((name, content type, bytes)), all of `version`.
pub fn replace_all(
    conn: &Connection,
    images: &[(String, &str, Vec<u8>)],
    version: &str,
    now: i64,
) -> Result<(), DbError> {
    conn.execute("DELETE FROM studio_images", [])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO studio_images (name, content_type, bytes, version, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (name, content_type, bytes) in images {
        insert.execute(params![name, content_type, bytes, version, now])?;
    }
    Ok(())
}

/// One image by name (`logo`, `icon-32`, …), if there is a logo.
pub fn get(conn: &Connection, name: &str) -> Result<Option<StoredImage>, DbError> {
    Ok(conn
        .prepare_cached("SELECT content_type, bytes, version FROM studio_images WHERE name = ?1")?
        .query_row([name], |r| Ok(StoredImage { content_type: r.get(0)?, bytes: r.get(1)?, version: r.get(2)? }))
        .optional()?)
}
