//! Queries behind `/admin/analytics`: orders, signups, waitlists and the page views
//! counted per (Jakarta day, path). Days are Jakarta days (`(t + 25200) / 86400`);
//! `start`/`end` are unix seconds, `from`/`until` day numbers (inclusive).

use super::DbError;
use rusqlite::{params, Connection};

/// Adds `views` to a path's count for a day.
pub fn add_page_views(conn: &Connection, day: i64, path: &str, views: i64) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO page_views (day, path, views) VALUES (?1, ?2, ?3)
         ON CONFLICT (day, path) DO UPDATE SET views = views + excluded.views",
    )?
    .execute(params![day, path, views])?;
    Ok(())
}

/// Paid orders per Jakarta day and currency, days `from..=until`: (day, currency, orders, amount).
pub fn paid_by_day(conn: &Connection, from: i64, until: i64) -> Result<Vec<(i64, String, i64, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT day, currency, sum(orders), sum(amount) FROM orders_paid_daily
         WHERE status = 'paid' AND day BETWEEN ?1 AND ?2 GROUP BY 1, 2 HAVING sum(orders) > 0",
    )?;
    let rows = stmt
        .query_map(params![from, until], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Orders made on days `from..=until`, by status: (status, orders).
pub fn orders_by_status(conn: &Connection, from: i64, until: i64) -> Result<Vec<(String, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT status, sum(orders) FROM orders_created_daily WHERE day BETWEEN ?1 AND ?2
         GROUP BY 1 HAVING sum(orders) > 0",
    )?;
    let rows = stmt.query_map(params![from, until], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The ten products with the most paid orders on days `from..=until`: (name, orders,
/// IDR, USD cents); whole months from `orders_paid_monthly` (see [`Span`]).
pub fn top_products(conn: &Connection, from: i64, until: i64) -> Result<Vec<(String, i64, i64, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.name, t.orders, t.idr, t.usd FROM (
             SELECT product_id, sum(orders) AS orders,
                    coalesce(sum(CASE WHEN currency = 'IDR' THEN amount END), 0) AS idr,
                    coalesce(sum(CASE WHEN currency = 'USD' THEN amount END), 0) AS usd
             FROM ({PAID_SPAN}) WHERE status = 'paid' AND product_id <> 0
             GROUP BY product_id HAVING sum(orders) > 0
         ) t JOIN products p ON p.id = t.product_id
         ORDER BY 2 DESC, 3 DESC LIMIT 10"
    ))?;
    let rows = stmt
        .query_map(Span::of(from, until).params(), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The paid-orders rollup over a [`Span`]'s parameters: the head and tail days from
/// `orders_paid_daily`, the whole months from `orders_paid_monthly` (each month's
/// rows dated its first day).
const PAID_SPAN: &str = "SELECT day, status, product_id, currency, orders, amount FROM orders_paid_daily
         WHERE day BETWEEN ?1 AND ?2
     UNION ALL SELECT day, status, product_id, currency, orders, amount FROM orders_paid_daily
         WHERE day BETWEEN ?3 AND ?4
     UNION ALL SELECT month, status, product_id, currency, orders, amount FROM orders_paid_monthly
         WHERE month >= ?5 AND month < ?6";

/// Paid orders on days `from..=until` per currency, for bucketing by month: (day,
/// currency, orders, amount), whole months as one row dated their first day, the
/// days of partial months at either end as their own.
pub fn paid_by_month(conn: &Connection, from: i64, until: i64) -> Result<Vec<(i64, String, i64, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT day, currency, sum(orders), sum(amount) FROM ({PAID_SPAN})
         WHERE status = 'paid' GROUP BY 1, 2 HAVING sum(orders) > 0"
    ))?;
    let rows = stmt
        .query_map(Span::of(from, until).params(), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The funnel's three steps on days `from..=until`: product page views (whole months
/// from the monthly rollup), checkouts started, paid (or paid and refunded).
pub fn funnel(conn: &Connection, from: i64, until: i64) -> Result<(i64, i64, i64), DbError> {
    let views: i64 = conn
        .prepare_cached(
            "SELECT coalesce(sum(views), 0) FROM (
                 SELECT path, views FROM page_views WHERE day BETWEEN ?1 AND ?2
                 UNION ALL SELECT path, views FROM page_views WHERE day BETWEEN ?3 AND ?4
                 UNION ALL SELECT path, views FROM page_views_monthly WHERE month >= ?5 AND month < ?6
             ) WHERE path LIKE '/products/%' OR path LIKE '/saas/%' OR path LIKE '/services/%'",
        )?
        .query_row(Span::of(from, until).params(), |r| r.get(0))?;
    let checkouts: i64 = conn
        .prepare_cached(
            "SELECT coalesce(sum(orders), 0) FROM orders_created_daily WHERE day BETWEEN ?1 AND ?2 AND with_product = 1",
        )?
        .query_row(params![from, until], |r| r.get(0))?;
    let paid: i64 = conn
        .prepare_cached(&format!(
            "SELECT coalesce(sum(orders), 0) FROM ({PAID_SPAN}) WHERE status IN ('paid', 'refunded') AND product_id <> 0"
        ))?
        .query_row(Span::of(from, until).params(), |r| r.get(0))?;
    Ok((views, checkouts, paid))
}

/// Waitlist sign-ups on Jakarta days `from..=until` per product, and how many of them
/// have paid since: (name, signups, converted), from the `waitlist_daily` rollup.
pub fn waitlist_signups(conn: &Connection, from: i64, until: i64) -> Result<Vec<(String, i64, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.name, t.signups, t.converted FROM (
             SELECT product_id, sum(signups) AS signups, sum(converted) AS converted FROM waitlist_daily
             WHERE day BETWEEN ?1 AND ?2 GROUP BY product_id HAVING sum(signups) > 0
         ) t JOIN products p ON p.id = t.product_id ORDER BY 2 DESC, p.name",
    )?;
    let rows =
        stmt.query_map(params![from, until], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// New accounts per Jakarta day, days `from..=until`: (day, accounts).
pub fn signups_by_day(conn: &Connection, from: i64, until: i64) -> Result<Vec<(i64, i64)>, DbError> {
    let mut stmt =
        conn.prepare_cached("SELECT day, users FROM signups_daily WHERE day BETWEEN ?1 AND ?2 AND users > 0")?;
    let rows = stmt.query_map(params![from, until], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Page views per day, days `from..=until`: (day, views).
pub fn views_by_day(conn: &Connection, from: i64, until: i64) -> Result<Vec<(i64, i64)>, DbError> {
    let mut stmt =
        conn.prepare_cached("SELECT day, views FROM page_views_daily WHERE day BETWEEN ?1 AND ?2 AND views > 0")?;
    let rows = stmt.query_map(params![from, until], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The twenty most viewed paths on days `from..=until`: (path, views). Whole months
/// come from `page_views_monthly`, the days before the first and after the last from
/// `page_views` (see [`Span`]).
pub fn top_paths(conn: &Connection, from: i64, until: i64) -> Result<Vec<(String, i64)>, DbError> {
    let span = Span::of(from, until);
    let mut stmt = conn.prepare_cached(
        "SELECT path, sum(views) FROM (
             SELECT path, views FROM page_views WHERE day BETWEEN ?1 AND ?2
             UNION ALL SELECT path, views FROM page_views WHERE day BETWEEN ?3 AND ?4
             UNION ALL SELECT path, views FROM page_views_monthly WHERE month >= ?5 AND month < ?6
         ) GROUP BY path HAVING sum(views) > 0 ORDER BY 2 DESC, 1 LIMIT 20",
    )?;
    let rows = stmt.query_map(span.params(), |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// A range of days as the monthly rollup reads it: the days before its first whole
/// month, the days after its last, and the whole months between (by their first days,
/// `months.0 <= month < months.1`). A range within one month is all days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub head: (i64, i64),
    pub tail: (i64, i64),
    pub months: (i64, i64),
}

impl Span {
    pub fn of(from: i64, until: i64) -> Self {
        use crate::domain::time::jakarta_month_start;
        let month = jakarta_month_start(from);
        // A month is at most 31 days: 31 days after its first lies in the next one.
        let first_whole = if month == from { from } else { jakarta_month_start(month + 31) };
        let after_last = jakarta_month_start(until + 1);
        if first_whole >= after_last {
            return Self { head: (from, until), tail: (1, 0), months: (0, 0) };
        }
        Self { head: (from, first_whole - 1), tail: (after_last, until), months: (first_whole, after_last) }
    }

    fn params(self) -> [i64; 6] {
        [self.head.0, self.head.1, self.tail.0, self.tail.1, self.months.0, self.months.1]
    }
}

/// Views per page and day, newest day first, the 500 largest: (day, path, views).
pub fn views_per_page_day(conn: &Connection, from: i64, until: i64) -> Result<Vec<(i64, String, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT day, path, views FROM page_views WHERE day BETWEEN ?1 AND ?2 ORDER BY day DESC, views DESC, path LIMIT 500",
    )?;
    let rows =
        stmt.query_map(params![from, until], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::Span;
    use crate::domain::time::days_from_civil;

    #[test]
    fn a_range_is_read_as_partial_months_around_whole_ones() {
        let day = |y, m, d| days_from_civil(y, m, d);
        // 31 Jan .. 2 Apr: one day of January, February and March whole, two days of April.
        assert_eq!(
            Span::of(day(2026, 1, 31), day(2026, 4, 2)),
            Span {
                head: (day(2026, 1, 31), day(2026, 1, 31)),
                tail: (day(2026, 4, 1), day(2026, 4, 2)),
                months: (day(2026, 2, 1), day(2026, 4, 1)),
            }
        );
        // Whole months only: nothing read day by day.
        let whole = Span::of(day(2025, 1, 1), day(2026, 12, 31));
        assert_eq!(whole.months, (day(2025, 1, 1), day(2027, 1, 1)));
        assert!(whole.head.0 > whole.head.1 && whole.tail.0 > whole.tail.1);
        // Inside one month: all days.
        let inside = Span::of(day(2026, 3, 5), day(2026, 3, 20));
        assert_eq!((inside.head, inside.months.0 < inside.months.1), ((day(2026, 3, 5), day(2026, 3, 20)), false));
    }
}
