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

/// Orders made on days `from..=until`, by status: (status, orders). Months read
/// whole where that is cheaper (see [`Span`]).
pub fn orders_by_status(conn: &Connection, span: Span) -> Result<Vec<(String, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT status, sum(orders) FROM ({}) GROUP BY 1 HAVING sum(orders) > 0",
        span_of("status, orders", "orders", "orders_created_daily", "orders_created_monthly")
    ))?;
    let rows = stmt.query_map(span.params(), |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The ten products with the most paid orders on days `from..=until`: (name, orders,
/// IDR, USD cents).
pub fn top_products(conn: &Connection, span: Span) -> Result<Vec<(String, i64, i64, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.name, t.orders, t.idr, t.usd FROM (
             SELECT product_id, sum(orders) AS orders,
                    coalesce(sum(CASE WHEN currency = 'IDR' THEN amount END), 0) AS idr,
                    coalesce(sum(CASE WHEN currency = 'USD' THEN amount END), 0) AS usd
             FROM ({}) WHERE status = 'paid' AND product_id <> 0
             GROUP BY product_id HAVING sum(orders) > 0
         ) t JOIN products p ON p.id = t.product_id
         ORDER BY 2 DESC, 3 DESC LIMIT 10",
        paid_span()
    ))?;
    let rows = stmt
        .query_map(span.params(), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The paid-orders rollup over a [`Span`]: (day, status, product_id, currency, orders,
/// amount), a month's row dated its first day, a subtracted day's row negative.
fn paid_span() -> String {
    span_of(
        "day, status, product_id, currency, orders, amount",
        "orders, amount",
        "orders_paid_daily",
        "orders_paid_monthly",
    )
}

/// A rollup read over a [`Span`]'s ten parameters: `columns` of the daily table for the
/// days added, the same with the `negated` ones negative for the days subtracted, and
/// the monthly table's rows (its `month` standing in for `day`) for the whole months.
fn span_of(columns: &str, negated: &str, daily: &str, monthly: &str) -> String {
    let minus = columns
        .split(", ")
        .map(|c| if negated.split(", ").any(|n| n == c) { format!("-{c}") } else { c.to_owned() })
        .collect::<Vec<_>>()
        .join(", ");
    let months = columns.strip_prefix("day, ").map_or_else(|| columns.to_owned(), |rest| format!("month, {rest}"));
    format!(
        "SELECT {columns} FROM {daily} WHERE day BETWEEN ?1 AND ?2
         UNION ALL SELECT {columns} FROM {daily} WHERE day BETWEEN ?3 AND ?4
         UNION ALL SELECT {minus} FROM {daily} WHERE day BETWEEN ?5 AND ?6
         UNION ALL SELECT {minus} FROM {daily} WHERE day BETWEEN ?7 AND ?8
         UNION ALL SELECT {months} FROM {monthly} WHERE month >= ?9 AND month < ?10"
    )
}

/// Paid orders on days `from..=until` per currency, for bucketing by month: (day,
/// currency, orders, amount), whole months as one row dated their first day, and the
/// days read one by one (added, or subtracted from a month read whole) as their own.
/// Rows may be negative; their sums per month are not.
pub fn paid_by_month(conn: &Connection, span: Span) -> Result<Vec<(i64, String, i64, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT day, currency, sum(orders), sum(amount) FROM ({}) WHERE status = 'paid' GROUP BY 1, 2",
        paid_span()
    ))?;
    let rows = stmt
        .query_map(span.params(), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The funnel's three steps on days `from..=until`: product page views, checkouts
/// started, paid (or paid and refunded).
pub fn funnel(conn: &Connection, from: i64, until: i64, span: Span) -> Result<(i64, i64, i64), DbError> {
    let views: i64 = conn
        .prepare_cached("SELECT coalesce(sum(product_views), 0) FROM page_views_daily WHERE day BETWEEN ?1 AND ?2")?
        .query_row(params![from, until], |r| r.get(0))?;
    let checkouts: i64 = conn
        .prepare_cached(&format!(
            "SELECT coalesce(sum(orders), 0) FROM ({}) WHERE with_product = 1",
            span_of("with_product, orders", "orders", "orders_created_daily", "orders_created_monthly")
        ))?
        .query_row(span.params(), |r| r.get(0))?;
    let paid: i64 = conn
        .prepare_cached(&format!(
            "SELECT coalesce(sum(orders), 0) FROM ({}) WHERE status IN ('paid', 'refunded') AND product_id <> 0",
            paid_span()
        ))?
        .query_row(span.params(), |r| r.get(0))?;
    Ok((views, checkouts, paid))
}

/// Waitlist sign-ups on Jakarta days `from..=until` per product, and how many of them
/// have paid since: (name, signups, converted).
pub fn waitlist_signups(conn: &Connection, span: Span) -> Result<Vec<(String, i64, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.name, t.signups, t.converted FROM (
             SELECT product_id, sum(signups) AS signups, sum(converted) AS converted FROM ({})
             GROUP BY product_id HAVING sum(signups) > 0
         ) t JOIN products p ON p.id = t.product_id ORDER BY 2 DESC, p.name",
        span_of("product_id, signups, converted", "signups, converted", "waitlist_daily", "waitlist_monthly")
    ))?;
    let rows = stmt.query_map(span.params(), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
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

/// The twenty most viewed paths on days `from..=until`: (path, views), over a [`Span`]
/// of `page_views` and `page_views_monthly`. Summed here rather than by `GROUP BY path`,
/// which sorted every (month, path) row of the range by its text first: two years are
/// thousands of rows for a few hundred paths.
pub fn top_paths(conn: &Connection, span: Span) -> Result<Vec<(String, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(&span_of("path, views", "views", "page_views", "page_views_monthly"))?;
    let mut totals: std::collections::HashMap<Box<str>, i64> = std::collections::HashMap::new();
    let mut rows = stmt.query(span.params())?;
    while let Some(row) = rows.next()? {
        let path = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        let views: i64 = row.get(1)?;
        match totals.get_mut(path) {
            Some(total) => *total += views,
            None => {
                totals.insert(path.into(), views);
            }
        }
    }
    let mut top: Vec<(String, i64)> =
        totals.into_iter().filter(|(_, views)| *views > 0).map(|(path, views)| (path.into_string(), views)).collect();
    top.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    top.truncate(20);
    Ok(top)
}

/// A range of days as a daily rollup and its monthly one read it, in as few rows as
/// they allow: the months it touches are read whole from the monthly rollup where
/// that is cheaper than their days, with the days of those months outside the range
/// subtracted (`minus`); the other days at either end are read one by one (`plus`).
/// The first and last months are read whole when fewer of their days lie outside the
/// range (counting only days up to `today`: later ones have no rows yet) than inside.
/// Sums over the parts are exact whichever way a month is read. Empty day ranges are
/// `(1, 0)`; whole months are `months.0 <= month < months.1`, by their first days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub plus: [(i64, i64); 2],
    pub minus: [(i64, i64); 2],
    pub months: (i64, i64),
}

const NONE: (i64, i64) = (1, 0);

impl Span {
    pub fn of(from: i64, until: i64, today: i64) -> Self {
        use crate::domain::time::jakarta_month_start as month_of;
        // A month is at most 31 days: 31 days after its first lies in the next one.
        let next = |month: i64| month_of(month + 31);
        // Days of `a..=b` that can have rows.
        let count = |(a, b): (i64, i64)| (b.min(today) - a + 1).max(0);
        let (first, last) = (month_of(from), month_of(until));
        let mut span = Self { plus: [NONE; 2], minus: [NONE; 2], months: (first, next(last)) };
        if first == last {
            let outside = [(first, from - 1), (until + 1, next(first) - 1)];
            if outside.iter().map(|r| count(*r)).sum::<i64>() < until - from + 1 {
                span.minus = outside.map(|r| if r.0 > r.1 { NONE } else { r });
            } else {
                span.plus[0] = (from, until);
                span.months = (0, 0);
            }
            return span;
        }
        if from > first {
            if count((first, from - 1)) < next(first) - from {
                span.minus[0] = (first, from - 1);
            } else {
                span.plus[0] = (from, next(first) - 1);
                span.months.0 = next(first);
            }
        }
        if until < next(last) - 1 {
            if count((until + 1, next(last) - 1)) < until - last + 1 {
                span.minus[1] = (until + 1, next(last) - 1);
            } else {
                span.plus[1] = (last, until);
                span.months.1 = last;
            }
        }
        span
    }

    fn params(self) -> [i64; 10] {
        let [p0, p1] = self.plus;
        let [m0, m1] = self.minus;
        [p0.0, p0.1, p1.0, p1.1, m0.0, m0.1, m1.0, m1.1, self.months.0, self.months.1]
    }
}

/// Views per page and day, newest day first, at most `limit`: (day, path, views).
pub fn views_per_page_day(
    conn: &Connection,
    from: i64,
    until: i64,
    limit: i64,
) -> Result<Vec<(i64, String, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT day, path, views FROM page_views WHERE day BETWEEN ?1 AND ?2 ORDER BY day DESC, views DESC, path LIMIT ?3",
    )?;
    let rows = stmt
        .query_map(params![from, until, limit], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::{Span, NONE};
    use crate::domain::time::{days_from_civil, jakarta_month_start};

    /// How many times a span counts each day of `lo..=hi`.
    fn coverage(span: Span, lo: i64, hi: i64) -> Vec<i64> {
        (lo..=hi)
            .map(|d| {
                let within = |(a, b): (i64, i64)| (a <= d && d <= b) as i64;
                let month = jakarta_month_start(d);
                span.plus.iter().map(|r| within(*r)).sum::<i64>() - span.minus.iter().map(|r| within(*r)).sum::<i64>()
                    + (span.months.0 <= month && month < span.months.1) as i64
            })
            .collect()
    }

    #[test]
    fn a_span_counts_every_day_of_its_range_once_and_no_other() {
        let base = days_from_civil(2024, 1, 1);
        // Every range of up to 100 days starting on each day of two years, against
        // three todays (before, inside, after the range).
        for from in (base..base + 730).step_by(3) {
            for len in [1, 2, 15, 16, 29, 30, 31, 45, 62, 100, 400] {
                let until = from + len - 1;
                for today in [from - 1, from + len / 2, until + 40] {
                    let span = Span::of(from, until, today);
                    let got = coverage(span, from - 40, until + 40);
                    let want: Vec<i64> = (from - 40..=until + 40).map(|d| (from <= d && d <= until) as i64).collect();
                    assert_eq!(got, want, "{from}..={until} today {today}: {span:?}");
                }
            }
        }
    }

    #[test]
    fn long_ranges_read_whole_months_and_few_days() {
        let day = |y, m, d| days_from_civil(y, m, d);
        // Two years to today, 7 December: December 2024 whole less its first seven days,
        // and this December whole (its later days have no rows yet).
        let span = Span::of(day(2024, 12, 8), day(2026, 12, 7), day(2026, 12, 7));
        assert_eq!(span.plus, [NONE; 2]);
        assert_eq!(span.minus, [(day(2024, 12, 1), day(2024, 12, 7)), (day(2026, 12, 8), day(2026, 12, 31))]);
        assert_eq!(span.months, (day(2024, 12, 1), day(2027, 1, 1)));
        // 31 Jan .. 2 Apr, long past: one day of January and two of April one by one.
        let span = Span::of(day(2026, 1, 31), day(2026, 4, 2), day(2026, 12, 7));
        assert_eq!(span.plus, [(day(2026, 1, 31), day(2026, 1, 31)), (day(2026, 4, 1), day(2026, 4, 2))]);
        assert_eq!((span.minus, span.months), ([NONE; 2], (day(2026, 2, 1), day(2026, 4, 1))));
        // A few days inside one month: those days only.
        let span = Span::of(day(2026, 3, 5), day(2026, 3, 9), day(2026, 12, 7));
        assert_eq!((span.plus[0], span.months.0 < span.months.1), ((day(2026, 3, 5), day(2026, 3, 9)), false));
    }
}
