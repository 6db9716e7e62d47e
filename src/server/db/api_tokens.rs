//! Queries on `api_tokens`: a person's personal access tokens, and finding the
//! person behind a presented token (by its hash).

use super::DbError;
use crate::domain::api::{parse_scopes, Scope, TokenView};
use rusqlite::{params, Connection, OptionalExtension};

/// Adds a token; returns its id.
pub fn create(
    conn: &Connection,
    user_id: i64,
    name: &str,
    scopes: &[Scope],
    hash: &[u8],
    prefix: &str,
    at: i64,
) -> Result<i64, DbError> {
    let scopes: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
    Ok(conn
        .prepare_cached(
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, scopes, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        )?
        .query_row(params![user_id, name, hash, prefix, scopes.join(" "), at], |r| r.get(0))?)
}

/// How many tokens the person holds that still work.
pub fn live_count(conn: &Connection, user_id: i64) -> Result<usize, DbError> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM api_tokens WHERE user_id = ?1 AND revoked_at IS NULL")?
        .query_row([user_id], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

/// The person's tokens, newest first (at most `MAX_TOKENS` live ones and the 20
/// most recently revoked: a short list by construction).
pub fn list(conn: &Connection, user_id: i64) -> Result<Vec<TokenView>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, prefix, scopes, created_at, last_used_at, revoked_at FROM api_tokens
         WHERE user_id = ?1 ORDER BY revoked_at IS NOT NULL, id DESC LIMIT 40",
    )?;
    let rows = stmt.query_map([user_id], |r| {
        let scopes: String = r.get(3)?;
        Ok(TokenView {
            id: r.get(0)?,
            name: r.get(1)?,
            prefix: r.get(2)?,
            scopes: parse_scopes(&scopes),
            created_at: r.get(4)?,
            last_used_at: r.get(5)?,
            revoked_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Revokes one of the person's tokens; false when it is not theirs or already revoked.
pub fn revoke(conn: &Connection, user_id: i64, id: i64, at: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("UPDATE api_tokens SET revoked_at = ?3 WHERE id = ?1 AND user_id = ?2 AND revoked_at IS NULL")?
        .execute(params![id, user_id, at])?
        == 1)
}

/// Who a presented token acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bearer {
    pub token_id: i64,
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub scopes: Vec<Scope>,
    pub last_used_at: Option<i64>,
}

/// The live token with `hash`, of an account that is neither disabled nor
/// unconfirmed (a deleted account's tokens are deleted with it).
pub fn bearer(conn: &Connection, hash: &[u8]) -> Result<Option<Bearer>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT t.id, u.id, u.name, u.email, u.role, t.scopes, t.last_used_at
             FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL
               AND u.email_verified_at IS NOT NULL",
        )?
        .query_row([hash], |r| {
            let scopes: String = r.get(5)?;
            Ok(Bearer {
                token_id: r.get(0)?,
                user_id: r.get(1)?,
                name: r.get(2)?,
                email: r.get(3)?,
                role: r.get(4)?,
                scopes: parse_scopes(&scopes),
                last_used_at: r.get(6)?,
            })
        })
        .optional()?)
}

/// Records a token's use (the caller does it at most once a minute per token).
pub fn touch(conn: &Connection, id: i64, at: i64) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1")?.execute(params![id, at])?;
    Ok(())
}

/// Deletes every token of a person (their account is deleted).
pub fn delete_for_user(conn: &Connection, user_id: i64) -> Result<(), DbError> {
    conn.prepare_cached("DELETE FROM api_tokens WHERE user_id = ?1")?.execute([user_id])?;
    Ok(())
}
