//! Queries on `waitlist_entries`.

use super::{now, DbError};
use crate::domain::pagination::{Cursor, Page, PageAt, PAGE_SIZE};
use crate::domain::waitlist::{WaitlistCount, WaitlistPerson, WaitlistSignup};
use crate::domain::Lang;
use rusqlite::{params, Connection, OptionalExtension};

/// Adds the person to the product's list; `false` if the address was already on it.
pub fn join(conn: &Connection, product_id: i64, signup: &WaitlistSignup, lang: Lang) -> Result<bool, DbError> {
    let added = conn
        .prepare_cached(
            "INSERT INTO waitlist_entries (product_id, email, name, created_at, lang) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (product_id, email) DO NOTHING",
        )?
        .execute(params![product_id, signup.email.as_str(), signup.name, now(), lang.as_str()])?;
    Ok(added == 1)
}

/// Every product that has a waitlist or people on one: how many signed up, how
/// many the launch mail went to, and how many of them then paid for it.
pub fn counts(conn: &Connection) -> Result<Vec<WaitlistCount>, DbError> {
    let mut stmt = conn.prepare_cached(
        // The counts per product are kept by triggers (`waitlist_counts`, `converted_at`);
        // codes used read `coupons_early_bird_used`.
        "SELECT p.id, p.slug, p.name, p.status, coalesce(n.entries, 0), coalesce(n.mailed, 0),
                coalesce(n.converted, 0), l.started_at, (SELECT code FROM coupons WHERE id = l.coupon_id),
                (SELECT count(*) FROM coupons c WHERE c.product_id = p.id AND c.email IS NOT NULL AND c.uses > 0)
         FROM products p
         LEFT JOIN waitlist_counts n ON n.product_id = p.id
         LEFT JOIN waitlist_launches l ON l.product_id = p.id
         WHERE p.status = 'waitlist' OR n.entries > 0
         ORDER BY 5 DESC, p.name",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(WaitlistCount {
                product_id: r.get(0)?,
                slug: r.get(1)?,
                name: r.get(2)?,
                status: r.get(3)?,
                count: r.get(4)?,
                mailed: r.get(5)?,
                converted: r.get(6)?,
                launched_at: r.get(7)?,
                coupon: r.get(8)?,
                codes_used: r.get(9)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// How many people wait for the product.
pub fn count(conn: &Connection, product_id: i64) -> Result<i64, DbError> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM waitlist_entries WHERE product_id = ?1")?
        .query_row([product_id], |r| r.get(0))?)
}

/// Whether the product's launch mail has been started.
pub fn launch_started(conn: &Connection, product_id: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM waitlist_launches WHERE product_id = ?1)")?
        .query_row([product_id], |r| r.get(0))?)
}

/// What a launch gives each address: its own code for `percent` off until `expires_at`.
#[derive(Debug, Clone, Copy)]
pub struct LaunchTerms {
    pub percent: i64,
    pub expires_at: i64,
    pub started_by: Option<i64>,
}

pub fn start_launch(conn: &Connection, product_id: i64, terms: &LaunchTerms, at: i64) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO waitlist_launches (product_id, percent, expires_at, started_by, started_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![product_id, terms.percent, terms.expires_at, terms.started_by, at])?;
    Ok(())
}

/// The terms of the product's launch, if it was started.
pub fn launch_terms(conn: &Connection, product_id: i64) -> Result<Option<LaunchTerms>, DbError> {
    Ok(conn
        .prepare_cached("SELECT percent, expires_at, started_by FROM waitlist_launches WHERE product_id = ?1")?
        .query_row([product_id], |r| {
            Ok(LaunchTerms { percent: r.get(0)?, expires_at: r.get(1)?, started_by: r.get(2)? })
        })
        .optional()?)
}

/// Gives an entry its own early-bird code.
pub fn set_entry_coupon(conn: &Connection, entry_id: i64, coupon_id: i64) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE waitlist_entries SET coupon_id = ?2 WHERE id = ?1")?
        .execute(params![entry_id, coupon_id])?;
    Ok(())
}

/// An entry still waiting for the launch mail.
pub struct Unmailed {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// The language of the page they joined on.
    pub lang: Lang,
}

pub fn next_unmailed(conn: &Connection, product_id: i64, limit: usize) -> Result<Vec<Unmailed>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, email, name, lang FROM waitlist_entries WHERE product_id = ?1 AND launch_mailed_at IS NULL
         ORDER BY created_at, id LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![product_id, limit as i64], |r| {
            let lang = Lang::from_tag(&r.get::<_, String>(3)?).unwrap_or_default();
            Ok(Unmailed { id: r.get(0)?, email: r.get(1)?, name: r.get(2)?, lang })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Marks an entry mailed; false if it already was (then it is not mailed again).
pub fn mark_launch_mailed(conn: &Connection, entry_id: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("UPDATE waitlist_entries SET launch_mailed_at = ?2 WHERE id = ?1 AND launch_mailed_at IS NULL")?
        .execute(params![entry_id, now()])?
        == 1)
}

pub fn finish_launch(conn: &Connection, product_id: i64) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE waitlist_launches SET finished_at = coalesce(finished_at, ?2) WHERE product_id = ?1")?
        .execute(params![product_id, now()])?;
    Ok(())
}

/// A row of `SELECT w.id, w.email, w.name, w.created_at, c.code, coalesce(c.uses, 0)`.
fn person_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, WaitlistPerson)> {
    let person = WaitlistPerson {
        email: r.get(1)?,
        name: r.get(2)?,
        joined_at: r.get(3)?,
        code: r.get(4)?,
        code_uses: r.get(5)?,
    };
    Ok((r.get(0)?, person))
}

/// A page of the people waiting for a product, first come first, with their early-bird
/// code (once the launch mailed them) and whether it was used.
pub fn page_of_people(conn: &Connection, product_id: i64, at: PageAt) -> Result<Page<WaitlistPerson>, DbError> {
    // The list runs first come first: "further" is a later sign-up.
    let (cmp, order) = if at.ascending() { ("<", "DESC") } else { (">", "ASC") };
    let (t, id) = match at {
        PageAt::Before(c) | PageAt::After(c) => (c.at, c.id),
        PageAt::First => (i64::MIN, i64::MIN),
    };
    let sql = format!(
        "SELECT w.id, w.email, w.name, w.created_at, c.code, coalesce(c.uses, 0)
         FROM waitlist_entries w LEFT JOIN coupons c ON c.id = w.coupon_id
         WHERE w.product_id = ?1 AND (w.created_at, w.id) {cmp} (?2, ?3)
         ORDER BY w.created_at {order}, w.id {order} LIMIT {}",
        PAGE_SIZE + 1
    );
    let rows =
        conn.prepare_cached(&sql)?.query_map(params![product_id, t, id], person_row)?.collect::<Result<Vec<_>, _>>()?;
    let page = Page::from_rows(rows, at, |(id, p)| Cursor { at: p.joined_at, id: *id });
    Ok(Page { rows: page.rows.into_iter().map(|(_, p)| p).collect(), newer: page.newer, older: page.older })
}

/// Up to `limit` people waiting for a product, first come first, after the entry
/// `after` (its join time and id): the export reads the list in such batches.
pub fn people_batch(
    conn: &Connection,
    product_id: i64,
    after: Option<(i64, i64)>,
    limit: usize,
) -> Result<Vec<(i64, WaitlistPerson)>, DbError> {
    let (at, id) = after.unwrap_or((i64::MIN, i64::MIN));
    let mut stmt = conn.prepare_cached(
        "SELECT w.id, w.email, w.name, w.created_at, c.code, coalesce(c.uses, 0)
         FROM waitlist_entries w LEFT JOIN coupons c ON c.id = w.coupon_id
         WHERE w.product_id = ?1 AND (w.created_at, w.id) > (?2, ?3) ORDER BY w.created_at, w.id LIMIT ?4",
    )?;
    let rows = stmt.query_map(params![product_id, at, id, limit as i64], person_row)?.collect::<Result<Vec<_>, _>>()?;
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
