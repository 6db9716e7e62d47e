//! Queries on `waitlist_entries`.

use super::{now, DbError};
use crate::domain::waitlist::{WaitlistCount, WaitlistPerson, WaitlistSignup};
use rusqlite::{params, Connection};

/// Adds the person to the product's list; `false` if the address was already on it.
pub fn join(conn: &Connection, product_id: i64, signup: &WaitlistSignup) -> Result<bool, DbError> {
    let added = conn
        .prepare_cached(
            "INSERT INTO waitlist_entries (product_id, email, name, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (product_id, email) DO NOTHING",
        )?
        .execute(params![product_id, signup.email.as_str(), signup.name, now()])?;
    Ok(added == 1)
}

/// Every product that has a waitlist or people on one, with how many are waiting.
pub fn counts(conn: &Connection) -> Result<Vec<WaitlistCount>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.slug, p.name, p.status, count(w.id) FROM products p
         LEFT JOIN waitlist_entries w ON w.product_id = p.id
         GROUP BY p.id HAVING p.status = 'waitlist' OR count(w.id) > 0
         ORDER BY count(w.id) DESC, p.name",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(WaitlistCount {
                product_id: r.get(0)?,
                slug: r.get(1)?,
                name: r.get(2)?,
                status: r.get(3)?,
                count: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The people waiting for a product, first come first.
pub fn people(conn: &Connection, product_id: i64) -> Result<Vec<WaitlistPerson>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT email, name, created_at FROM waitlist_entries WHERE product_id = ?1 ORDER BY created_at, id",
    )?;
    let rows = stmt
        .query_map([product_id], |r| Ok(WaitlistPerson { email: r.get(0)?, name: r.get(1)?, joined_at: r.get(2)? }))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The waitlists an address is on: (product name, joined at), for the person's data export.
pub fn entries_for_email(conn: &Connection, email: &str) -> Result<Vec<(String, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.name, w.created_at FROM waitlist_entries w JOIN products p ON p.id = w.product_id
         WHERE w.email = ?1 ORDER BY w.created_at, w.id",
    )?;
    let rows = stmt.query_map([email], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
