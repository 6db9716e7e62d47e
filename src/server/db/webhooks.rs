//! Queries on `webhook_endpoints` and their delivery log.

use super::DbError;
use crate::domain::pagination::{Cursor, Page, PageAt, PAGE_SIZE};
use crate::domain::webhooks::{parse_events, DeliveryView, EndpointView, Event};
use rusqlite::{params, Connection, OptionalExtension, Row};

const ENDPOINT_COLUMNS: &str = "e.id, e.url, e.events, e.secret, e.enabled, e.from_env, e.created_at,
     (SELECT d.created_at FROM webhook_deliveries d WHERE d.endpoint_id = e.id ORDER BY d.id DESC LIMIT 1),
     (SELECT d.status_code FROM webhook_deliveries d WHERE d.endpoint_id = e.id ORDER BY d.id DESC LIMIT 1)";

fn endpoint_from(r: &Row<'_>) -> rusqlite::Result<EndpointView> {
    let events: String = r.get(2)?;
    let last_at: Option<i64> = r.get(7)?;
    Ok(EndpointView {
        id: r.get(0)?,
        url: r.get(1)?,
        events: parse_events(&events),
        secret: r.get(3)?,
        enabled: r.get::<_, i64>(4)? == 1,
        from_env: r.get::<_, i64>(5)? == 1,
        created_at: r.get(6)?,
        last: last_at.map(|at| Ok::<_, rusqlite::Error>((at, r.get(8)?))).transpose()?,
    })
}

fn joined(events: &[Event]) -> String {
    events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(" ")
}

/// Every endpoint, oldest first (a studio has a handful).
pub fn endpoints(conn: &Connection) -> Result<Vec<EndpointView>, DbError> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints e ORDER BY e.id LIMIT 100"))?;
    let rows = stmt.query_map([], endpoint_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn endpoint(conn: &Connection, id: i64) -> Result<Option<EndpointView>, DbError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints e WHERE e.id = ?1"))?
        .query_row([id], endpoint_from)
        .optional()?)
}

/// How many endpoints there are (staff may add a bounded number).
pub fn count(conn: &Connection) -> Result<i64, DbError> {
    Ok(conn.prepare_cached("SELECT count(*) FROM webhook_endpoints")?.query_row([], |r| r.get(0))?)
}

pub fn create(conn: &Connection, url: &str, events: &[Event], secret: &str, at: i64) -> Result<i64, DbError> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO webhook_endpoints (url, events, secret, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id",
        )?
        .query_row(params![url, joined(events), secret, at], |r| r.get(0))?)
}

/// Changes an endpoint's address and events; false when there is no such endpoint.
pub fn update(conn: &Connection, id: i64, url: &str, events: &[Event], at: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("UPDATE webhook_endpoints SET url = ?2, events = ?3, updated_at = ?4 WHERE id = ?1")?
        .execute(params![id, url, joined(events), at])?
        == 1)
}

pub fn set_enabled(conn: &Connection, id: i64, enabled: bool, at: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("UPDATE webhook_endpoints SET enabled = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, enabled, at])?
        == 1)
}

pub fn delete(conn: &Connection, id: i64) -> Result<bool, DbError> {
    Ok(conn.prepare_cached("DELETE FROM webhook_endpoints WHERE id = ?1")?.execute([id])? == 1)
}

/// `NOTIFY_WEBHOOK_URL` as an endpoint: created, or its address and secret kept up
/// to date with the environment (its events and switch stay as staff set them).
pub fn upsert_from_env(conn: &Connection, url: &str, secret: &str, at: i64) -> Result<(), DbError> {
    let updated = conn
        .prepare_cached("UPDATE webhook_endpoints SET url = ?1, secret = ?2, updated_at = ?3 WHERE from_env = 1")?
        .execute(params![url, secret, at])?;
    if updated == 0 {
        conn.prepare_cached(
            "INSERT INTO webhook_endpoints (url, events, secret, from_env, created_at, updated_at)
             VALUES (?1, ?2, ?3, 1, ?4, ?4)",
        )?
        .execute(params![url, Event::OrderPaid.as_str(), secret, at])?;
    }
    Ok(())
}

/// The endpoint created from `NOTIFY_WEBHOOK_URL`, if any.
pub fn env_endpoint(conn: &Connection) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached("SELECT id FROM webhook_endpoints WHERE from_env = 1")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

/// The enabled endpoints that listen to `event`.
pub fn listening(conn: &Connection, event: Event) -> Result<Vec<i64>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM webhook_endpoints
         WHERE enabled = 1 AND instr(' ' || events || ' ', ' ' || ?1 || ' ') > 0 ORDER BY id",
    )?;
    let rows = stmt.query_map([event.as_str()], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Where and how to send: the URL and the secret of an enabled endpoint.
pub fn target(conn: &Connection, id: i64) -> Result<Option<(String, String)>, DbError> {
    Ok(conn
        .prepare_cached("SELECT url, secret FROM webhook_endpoints WHERE id = ?1 AND enabled = 1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// One try, for the endpoint's log.
pub struct Try<'a> {
    pub endpoint_id: i64,
    pub event: &'a str,
    pub delivery_id: &'a str,
    pub payload: &'a str,
    pub status_code: Option<i64>,
    pub duration_ms: i64,
    pub response: &'a str,
    pub error: &'a str,
    pub at: i64,
}

pub fn record_try(conn: &Connection, t: &Try<'_>) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO webhook_deliveries (endpoint_id, event, delivery_id, payload, status_code, duration_ms, response,
                                         error, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        t.endpoint_id,
        t.event,
        t.delivery_id,
        t.payload,
        t.status_code,
        t.duration_ms,
        t.response,
        t.error,
        t.at
    ])?;
    Ok(())
}

/// A page of an endpoint's log, newest first (`webhook_deliveries_endpoint`).
pub fn deliveries(conn: &Connection, endpoint_id: i64, at: PageAt) -> Result<Page<DeliveryView>, DbError> {
    let (cmp, order) = if at.ascending() { (">", "ASC") } else { ("<", "DESC") };
    let cursor = match at {
        PageAt::Before(_) | PageAt::After(_) => format!(" AND id {cmp} ?2"),
        PageAt::First => String::new(),
    };
    let sql = format!(
        "SELECT id, event, delivery_id, status_code, duration_ms, response, error, created_at FROM webhook_deliveries
         WHERE endpoint_id = ?1{cursor} ORDER BY id {order} LIMIT {}",
        PAGE_SIZE + 1
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let map = |r: &Row<'_>| {
        Ok(DeliveryView {
            id: r.get(0)?,
            event: r.get(1)?,
            delivery_id: r.get(2)?,
            status_code: r.get(3)?,
            duration_ms: r.get(4)?,
            response: r.get(5)?,
            error: r.get(6)?,
            created_at: r.get(7)?,
        })
    };
    let rows = match at {
        PageAt::Before(c) | PageAt::After(c) => stmt.query_map(params![endpoint_id, c.id], map)?,
        PageAt::First => stmt.query_map(params![endpoint_id], map)?,
    }
    .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_rows(rows, at, |d| Cursor { at: d.id, id: d.id }))
}

/// A logged try's event, id and payload, to send again.
pub fn logged(conn: &Connection, endpoint_id: i64, id: i64) -> Result<Option<(String, String, String)>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT event, delivery_id, payload FROM webhook_deliveries WHERE id = ?1 AND endpoint_id = ?2",
        )?
        .query_row(params![id, endpoint_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}
