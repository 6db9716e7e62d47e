//! Queries on `tool_usage`: how many times each person (or visitor's IP address)
//! ran each built-in tool on each Asia/Jakarta day.

use super::DbError;
use crate::domain::tools::BuiltinTool;
use rusqlite::{params, Connection, OptionalExtension};

/// Who a run counts against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    User(i64),
    Visitor(std::net::IpAddr),
}

impl Subject {
    fn key(&self) -> String {
        match self {
            Self::User(id) => format!("user:{id}"),
            Self::Visitor(ip) => format!("ip:{ip}"),
        }
    }

    fn user_id(&self) -> Option<i64> {
        match self {
            Self::User(id) => Some(*id),
            Self::Visitor(_) => None,
        }
    }
}

/// Counts one run if the day's `limit` allows it, in one statement (so concurrent
/// runs can never pass the limit): the day's uses after this one, or `None` when
/// the limit was already reached (nothing changes then).
pub fn count_use(
    conn: &Connection,
    subject: &Subject,
    tool: BuiltinTool,
    day: i64,
    limit: u32,
) -> Result<Option<u32>, DbError> {
    if limit == 0 {
        return Ok(None);
    }
    Ok(conn
        .prepare_cached(
            "INSERT INTO tool_usage (subject, user_id, tool, day, uses) VALUES (?1, ?2, ?3, ?4, 1)
             ON CONFLICT (subject, tool, day) DO UPDATE SET uses = uses + 1 WHERE uses < ?5
             RETURNING uses",
        )?
        .query_row(params![subject.key(), subject.user_id(), tool.as_str(), day, limit], |r| r.get(0))
        .optional()?)
}

/// The runs of a tool on a day.
pub fn used_on(conn: &Connection, subject: &Subject, tool: BuiltinTool, day: i64) -> Result<u32, DbError> {
    Ok(conn
        .prepare_cached("SELECT uses FROM tool_usage WHERE subject = ?1 AND tool = ?2 AND day = ?3")?
        .query_row(params![subject.key(), tool.as_str(), day], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// A member's runs per tool and day from `from_day` on, oldest first.
pub fn history(conn: &Connection, user_id: i64, from_day: i64) -> Result<Vec<(String, i64, u32)>, DbError> {
    let mut stmt = conn
        .prepare_cached("SELECT tool, day, uses FROM tool_usage WHERE user_id = ?1 AND day >= ?2 ORDER BY day, tool")?;
    let rows = stmt.query_map(params![user_id, from_day], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
