//! Queries on `uploads` (images staff put on the site).

use super::{audit, now, DbError};
use crate::domain::uploads::Upload;
use rusqlite::{params, Connection};

pub fn insert(
    conn: &mut Connection,
    file_name: &str,
    content_type: &str,
    bytes: usize,
    original: &str,
    actor: i64,
) -> Result<(), DbError> {
    let tx = conn.transaction()?;
    tx.prepare_cached(
        "INSERT INTO uploads (file_name, content_type, bytes, original, uploaded_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![file_name, content_type, bytes as i64, original, actor, now()])?;
    audit::record(&tx, Some(actor), "image.uploaded", &format!("/uploads/{file_name}"), original)?;
    tx.commit()?;
    Ok(())
}

pub fn recent(conn: &Connection, limit: u32) -> Result<Vec<Upload>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT file_name, content_type, bytes, original, created_at FROM uploads ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit], |r| {
            Ok(Upload {
                path: format!("/uploads/{}", r.get::<_, String>(0)?),
                content_type: r.get(1)?,
                bytes: r.get(2)?,
                original: r.get(3)?,
                created_at: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
