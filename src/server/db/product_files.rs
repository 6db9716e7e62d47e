//! Queries on `product_files`, their versions, and the "Send update" mailings.

use super::{now, DbError};
use crate::domain::product_files::{FileVersion, OwnedFile, ProductFile, UpdateProgress};
use rusqlite::{params, Connection, OptionalExtension};

/// A version as stored, with where its bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVersion {
    pub id: i64,
    pub file_id: i64,
    pub product_id: i64,
    pub seq: i64,
    pub version: String,
    pub storage_path: String,
    pub original_name: String,
    pub changelog_md: String,
    pub label: String,
}

/// A version to record, its bytes already in storage.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub version: Option<&'a str>,
    pub storage_path: &'a str,
    pub original_name: &'a str,
    pub bytes: i64,
    pub sha256: &'a str,
    pub changelog_md: &'a str,
    pub uploaded_by: i64,
}

/// Adds a new file to a product; returns its id.
pub fn create_file(conn: &Connection, product_id: i64, label: &str) -> Result<i64, DbError> {
    Ok(conn
        .prepare_cached("INSERT INTO product_files (product_id, label, created_at) VALUES (?1, ?2, ?3) RETURNING id")?
        .query_row(params![product_id, label, now()], |r| r.get(0))?)
}

/// The product a file belongs to.
pub fn product_of_file(conn: &Connection, file_id: i64) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached("SELECT product_id FROM product_files WHERE id = ?1")?
        .query_row([file_id], |r| r.get(0))
        .optional()?)
}

pub fn label(conn: &Connection, file_id: i64) -> Result<String, DbError> {
    Ok(conn.prepare_cached("SELECT label FROM product_files WHERE id = ?1")?.query_row([file_id], |r| r.get(0))?)
}

/// Records the file's next version (it becomes the current one); returns its id and number.
pub fn add_version(conn: &Connection, file_id: i64, new: &NewVersion<'_>) -> Result<(i64, i64), DbError> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO product_file_versions
                 (file_id, seq, version, storage_path, original_name, bytes, sha256, changelog_md, uploaded_by, created_at)
             SELECT ?1, coalesce(max(seq), 0) + 1, coalesce(?2, CAST(coalesce(max(seq), 0) + 1 AS TEXT)),
                    ?3, ?4, ?5, ?6, ?7, ?8, ?9
             FROM product_file_versions WHERE file_id = ?1
             RETURNING id, seq",
        )?
        .query_row(
            params![
                file_id,
                new.version,
                new.storage_path,
                new.original_name,
                new.bytes,
                new.sha256,
                new.changelog_md,
                new.uploaded_by,
                now()
            ],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
}

const VERSION_COLUMNS: &str = "v.id, v.file_id, f.product_id, v.seq, v.version, v.storage_path, v.original_name, \
                               v.changelog_md, f.label";

fn stored(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredVersion> {
    Ok(StoredVersion {
        id: r.get(0)?,
        file_id: r.get(1)?,
        product_id: r.get(2)?,
        seq: r.get(3)?,
        version: r.get(4)?,
        storage_path: r.get(5)?,
        original_name: r.get(6)?,
        changelog_md: r.get(7)?,
        label: r.get(8)?,
    })
}

pub fn version(conn: &Connection, version_id: i64) -> Result<Option<StoredVersion>, DbError> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM product_file_versions v JOIN product_files f ON f.id = v.file_id WHERE v.id = ?1"
    );
    Ok(conn.prepare_cached(&sql)?.query_row([version_id], stored).optional()?)
}

/// The version a link serves: the current one of `file_id`, or, for a link made
/// before files had ids, of the product's first file.
pub fn current_for(conn: &Connection, product_id: i64, file_id: Option<i64>) -> Result<Option<StoredVersion>, DbError> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM product_file_versions v JOIN product_files f ON f.id = v.file_id
         WHERE f.product_id = ?1 AND (?2 IS NULL OR f.id = ?2)
         ORDER BY f.id, v.seq DESC LIMIT 1"
    );
    Ok(conn.prepare_cached(&sql)?.query_row(params![product_id, file_id], stored).optional()?)
}

/// The ids and labels of a product's files that have a version to download, in the order they were added.
pub fn downloadable(conn: &Connection, product_id: i64) -> Result<Vec<(i64, String)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.id, f.label FROM product_files f
         WHERE f.product_id = ?1 AND EXISTS (SELECT 1 FROM product_file_versions v WHERE v.file_id = f.id)
         ORDER BY f.id",
    )?;
    let rows = stmt.query_map([product_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A product's files with every version, newest first, for staff.
pub fn for_product(conn: &Connection, product_id: i64) -> Result<Vec<ProductFile>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.id, f.label, v.id, v.seq, v.version, v.original_name, v.bytes, v.created_at, v.changelog_md,
                u.created_at, u.finished_at,
                (SELECT count(*) FROM product_update_mails m WHERE m.version_id = v.id)
         FROM product_files f
         LEFT JOIN product_file_versions v ON v.file_id = f.id
         LEFT JOIN product_updates u ON u.version_id = v.id
         WHERE f.product_id = ?1
         ORDER BY f.id, v.seq DESC",
    )?;
    let mut files: Vec<ProductFile> = Vec::new();
    let mut rows = stmt.query([product_id])?;
    while let Some(r) = rows.next()? {
        let file_id: i64 = r.get(0)?;
        if files.last().is_none_or(|f| f.id != file_id) {
            files.push(ProductFile { id: file_id, label: r.get(1)?, versions: Vec::new() });
        }
        let Some(version_id) = r.get::<_, Option<i64>>(2)? else { continue };
        let update = r
            .get::<_, Option<i64>>(9)?
            .map(|started_at| -> rusqlite::Result<UpdateProgress> {
                Ok(UpdateProgress { started_at, finished_at: r.get(10)?, mailed: r.get(11)? })
            })
            .transpose()?;
        if let Some(file) = files.last_mut() {
            file.versions.push(FileVersion {
                id: version_id,
                seq: r.get(3)?,
                version: r.get(4)?,
                original_name: r.get(5)?,
                bytes: r.get(6)?,
                created_at: r.get(7)?,
                changelog_md: r.get(8)?,
                update,
            });
        }
    }
    Ok(files)
}

/// The current version of each file of a product, for its buyers (changelog as Markdown).
pub fn current_files(conn: &Connection, product_id: i64) -> Result<Vec<(OwnedFile, String)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.id, f.label, v.version, v.original_name, v.bytes, v.created_at, v.changelog_md
         FROM product_files f JOIN product_file_versions v ON v.file_id = f.id
         WHERE f.product_id = ?1 AND v.seq = (SELECT max(seq) FROM product_file_versions WHERE file_id = f.id)
         ORDER BY f.id",
    )?;
    let rows = stmt
        .query_map([product_id], |r| {
            Ok((
                OwnedFile {
                    id: r.get(0)?,
                    label: r.get(1)?,
                    version: r.get(2)?,
                    original_name: r.get(3)?,
                    bytes: r.get(4)?,
                    created_at: r.get(5)?,
                    changelog_html: Default::default(),
                },
                r.get(6)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Why a version cannot be deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteRefusal {
    NotFound,
    Current,
}

/// Deletes an old version (never the current one); returns its storage path so the
/// caller removes the bytes once this transaction has committed.
pub fn delete_old_version(
    conn: &Connection,
    product_id: i64,
    version_id: i64,
) -> Result<Result<StoredVersion, DeleteRefusal>, DbError> {
    let Some(v) = version(conn, version_id)?.filter(|v| v.product_id == product_id) else {
        return Ok(Err(DeleteRefusal::NotFound));
    };
    let newest: i64 = conn
        .prepare_cached("SELECT max(seq) FROM product_file_versions WHERE file_id = ?1")?
        .query_row([v.file_id], |r| r.get(0))?;
    if v.seq == newest {
        return Ok(Err(DeleteRefusal::Current));
    }
    conn.prepare_cached("DELETE FROM product_update_mails WHERE version_id = ?1")?.execute([version_id])?;
    conn.prepare_cached("DELETE FROM product_updates WHERE version_id = ?1")?.execute([version_id])?;
    conn.prepare_cached("DELETE FROM product_file_versions WHERE id = ?1")?.execute([version_id])?;
    Ok(Ok(v))
}

/// Whether another version still points at the same stored bytes (a hand-named file).
pub fn storage_in_use(conn: &Connection, storage_path: &str) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM product_file_versions WHERE storage_path = ?1)")?
        .query_row([storage_path], |r| r.get(0))?)
}

/// Versions whose size is not known yet (files named by hand before uploads).
pub fn unmeasured(conn: &Connection) -> Result<Vec<(i64, String)>, DbError> {
    let mut stmt = conn.prepare_cached("SELECT id, storage_path FROM product_file_versions WHERE bytes IS NULL")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn set_size(conn: &Connection, version_id: i64, bytes: i64) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE product_file_versions SET bytes = ?2 WHERE id = ?1 AND bytes IS NULL")?
        .execute(params![version_id, bytes])?;
    Ok(())
}

/// Starts the mailing of `version_id` to its buyers; `false` if it was started before.
pub fn start_update(conn: &Connection, version_id: i64, sent_by: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO product_updates (version_id, sent_by, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (version_id) DO NOTHING",
        )?
        .execute(params![version_id, sent_by, now()])?
        == 1)
}

pub fn finish_update(conn: &Connection, version_id: i64) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE product_updates SET finished_at = ?2 WHERE version_id = ?1 AND finished_at IS NULL")?
        .execute(params![version_id, now()])?;
    Ok(())
}

/// Someone to tell about an update: a buyer and the order that gives them the product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub order_id: i64,
    pub lang: crate::domain::Lang,
}

/// The next buyers of `product_id` not yet mailed about `version_id`: a paid order
/// whose access was not withdrawn (subscribers while their subscription lasts),
/// product-update mail not turned off.
pub fn next_recipients(
    conn: &Connection,
    product_id: i64,
    version_id: i64,
    limit: i64,
) -> Result<Vec<Recipient>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, u.email, u.name, max(o.id), u.lang
         FROM orders o JOIN users u ON u.id = o.user_id
         LEFT JOIN deliveries d ON d.order_id = o.id
         WHERE o.product_id = ?1 AND o.status = 'paid' AND coalesce(d.status, '') <> 'revoked'
           AND u.product_update_mails = 1
           AND NOT EXISTS (SELECT 1 FROM product_update_mails m WHERE m.version_id = ?2 AND m.user_id = u.id)
         GROUP BY u.id ORDER BY u.id LIMIT ?3",
    )?;
    let rows = stmt
        .query_map(params![product_id, version_id, limit], |r| {
            Ok(Recipient {
                user_id: r.get(0)?,
                email: r.get(1)?,
                name: r.get(2)?,
                order_id: r.get(3)?,
                lang: crate::domain::Lang::parse(&r.get::<_, String>(4)?).unwrap_or_default(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Records that `user_id` was mailed about `version_id`; `false` if they already were.
pub fn mark_mailed(conn: &Connection, version_id: i64, user_id: i64, order_id: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO product_update_mails (version_id, user_id, order_id, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
        )?
        .execute(params![version_id, user_id, order_id, now()])?
        == 1)
}

/// Whether a member gets product-update mail.
pub fn wants_updates(conn: &Connection, user_id: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("SELECT product_update_mails FROM users WHERE id = ?1")?
        .query_row([user_id], |r| r.get::<_, i64>(0))
        .optional()?
        == Some(1))
}

/// Turns a member's product-update mail on or off; `false` if there is no such member.
pub fn set_wants_updates(conn: &Connection, user_id: i64, on: bool) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("UPDATE users SET product_update_mails = ?2 WHERE id = ?1")?
        .execute(params![user_id, i64::from(on)])?
        == 1)
}
