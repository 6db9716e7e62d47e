//! Queries on `coupons`, and the uses orders hold and spend.

use super::{now, DbError};
use crate::domain::coupons::{Coupon, CouponInput, Discount, HOLD_SECS};
use crate::domain::pagination::{Cursor, Page, PageAt, PAGE_SIZE};
use rusqlite::{params, Connection, OptionalExtension, Row};

const COLUMNS: &str = "c.id, c.code, c.kind, c.value, c.product_id, p.name, c.expires_at, c.max_uses, c.uses, c.note,
     c.disabled_at IS NOT NULL, c.created_at, coalesce(c.expires_at <= unixepoch(), 0), c.email";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Coupon> {
    let kind: String = r.get(2)?;
    let value: i64 = r.get(3)?;
    Ok(Coupon {
        id: r.get(0)?,
        code: r.get(1)?,
        discount: if kind == "percent" { Discount::Percent(value) } else { Discount::FixedIdr(value) },
        product_id: r.get(4)?,
        product_name: r.get(5)?,
        expires_at: r.get(6)?,
        max_uses: r.get(7)?,
        uses: r.get(8)?,
        note: r.get(9)?,
        disabled: r.get(10)?,
        created_at: r.get(11)?,
        expired: r.get(12)?,
        email: r.get(13)?,
    })
}

/// Creates a coupon, audited; `Ok(None)` when the code exists already.
pub fn create(conn: &mut Connection, actor: i64, input: &CouponInput) -> Result<Option<i64>, DbError> {
    let tx = conn.transaction()?;
    let id = insert(&tx, actor, input)?;
    tx.commit()?;
    Ok(id)
}

/// [`create`] inside the caller's transaction.
pub fn insert(tx: &Connection, actor: i64, input: &CouponInput) -> Result<Option<i64>, DbError> {
    let id = insert_unaudited(tx, input)?;
    if id.is_some() {
        super::audit::record(tx, Some(actor), "coupon.created", &input.code, &input.discount.label())?;
    }
    Ok(id)
}

/// Inserts a coupon without an audit row: the early-bird codes of a launch, one per
/// address, which the launch's own audit row stands for. `Ok(None)` when the code exists.
pub fn insert_unaudited(tx: &Connection, input: &CouponInput) -> Result<Option<i64>, DbError> {
    if by_code(tx, &input.code)?.is_some() {
        return Ok(None);
    }
    let (kind, value) = match input.discount {
        Discount::Percent(p) => ("percent", p),
        Discount::FixedIdr(r) => ("fixed", r),
    };
    tx.prepare_cached(
        "INSERT INTO coupons (code, kind, value, product_id, expires_at, max_uses, note, created_at, email)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        input.code,
        kind,
        value,
        input.product_id,
        input.expires_at,
        input.max_uses,
        input.note,
        now(),
        input.email
    ])?;
    Ok(Some(tx.last_insert_rowid()))
}

/// The coupons staff made (the early-bird codes bound to one address each are listed
/// with their waitlist instead).
/// A page of the coupons staff made (not the per-address early-bird codes), newest
/// first, read through `coupons_staff_recent`.
pub fn page_for_staff(conn: &Connection, at: PageAt) -> Result<Page<Coupon>, DbError> {
    let (cmp, order) = if at.ascending() { (">", "ASC") } else { ("<", "DESC") };
    let (after, cursor) = match at {
        PageAt::Before(c) | PageAt::After(c) => (format!(" AND (c.created_at, c.id) {cmp} (?1, ?2)"), vec![c.at, c.id]),
        PageAt::First => (String::new(), Vec::new()),
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM coupons c LEFT JOIN products p ON p.id = c.product_id WHERE c.email IS NULL{after}
         ORDER BY c.created_at {order}, c.id {order} LIMIT {}",
        PAGE_SIZE + 1
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(cursor), from_row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_rows(rows, at, |c| Cursor { at: c.created_at, id: c.id }))
}

pub fn by_code(conn: &Connection, code: &str) -> Result<Option<Coupon>, DbError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM coupons c LEFT JOIN products p ON p.id = c.product_id WHERE c.code = ?1"
        ))?
        .query_row([code], from_row)
        .optional()?)
}

/// Turns a coupon off (or on again), audited; false when there is no such coupon.
pub fn set_disabled(conn: &mut Connection, actor: i64, id: i64, disabled: bool) -> Result<bool, DbError> {
    let tx = conn.transaction()?;
    let code: Option<String> =
        tx.prepare_cached("SELECT code FROM coupons WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
    let Some(code) = code else { return Ok(false) };
    tx.prepare_cached(
        "UPDATE coupons SET disabled_at = CASE WHEN ?2 THEN coalesce(disabled_at, ?3) ELSE NULL END WHERE id = ?1",
    )?
    .execute(params![id, disabled, now()])?;
    let action = if disabled { "coupon.disabled" } else { "coupon.enabled" };
    super::audit::record(&tx, Some(actor), action, &code, "")?;
    tx.commit()?;
    Ok(true)
}

/// Uses spent plus uses held by orders still waiting for payment inside their
/// payment window: what the next checkout must stay under. Call it inside the
/// transaction that creates the order, so two checkouts cannot both take the last use.
pub fn taken(conn: &Connection, coupon_id: i64, at: i64) -> Result<i64, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT c.uses + (SELECT count(*) FROM orders o
                              WHERE o.coupon_id = c.id AND o.status = 'pending' AND o.created_at > ?2)
             FROM coupons c WHERE c.id = ?1",
        )?
        .query_row(params![coupon_id, at - HOLD_SECS], |r| r.get(0))?)
}

/// Why `coupon` cannot be used for `product_id` now, counting the uses spent and held.
pub fn refusal(conn: &Connection, coupon: &Coupon, product_id: i64, at: i64) -> Result<Option<&'static str>, DbError> {
    if let Some(why) = coupon.refusal(product_id, at) {
        return Ok(Some(why));
    }
    match coupon.max_uses {
        Some(max) if taken(conn, coupon.id, at)? >= max => Ok(Some("This coupon has been used up.")),
        _ => Ok(None),
    }
}

/// The buyer's own order priced with this coupon that still holds a use (waiting for
/// payment within its window), if any: one person holds one use of a coupon at a time.
pub fn pending_for_buyer(conn: &Connection, coupon_id: i64, user_id: i64, at: i64) -> Result<Option<String>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT public_id FROM orders
             WHERE user_id = ?1 AND coupon_id = ?2 AND status = 'pending' AND created_at > ?3 LIMIT 1",
        )?
        .query_row(params![user_id, coupon_id, at - HOLD_SECS], |r| r.get(0))
        .optional()?)
}

/// What a buyer is told about a code that does not exist.
pub fn unknown(code: &str) -> String {
    format!("There is no coupon {code}. Check the code, or buy without it.")
}

/// Ties an order to the coupon it was priced with.
pub fn hold(conn: &Connection, order_id: i64, coupon_id: i64, discount: i64) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE orders SET coupon_id = ?2, discount = ?3 WHERE id = ?1")?
        .execute(params![order_id, coupon_id, discount])?;
    Ok(())
}

/// A coupon use counted past the coupon's limit (a payment that came after its order's
/// hold lapsed and others took the uses meanwhile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverLimit {
    pub code: String,
    pub uses: i64,
    pub max_uses: i64,
}

/// Counts the use of the order's coupon (if any): in the payment's transaction. The
/// money is real, so the use is counted even past `max_uses`; that is returned for
/// staff to see.
pub fn spend(conn: &Connection, order_id: i64) -> Result<Option<OverLimit>, DbError> {
    let spent: Option<(String, i64, Option<i64>)> = conn
        .prepare_cached(
            "UPDATE coupons SET uses = uses + 1 WHERE id = (SELECT coupon_id FROM orders WHERE id = ?1)
             RETURNING code, uses, max_uses",
        )?
        .query_row([order_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(match spent {
        Some((code, uses, Some(max_uses))) if uses > max_uses => Some(OverLimit { code, uses, max_uses }),
        _ => None,
    })
}
