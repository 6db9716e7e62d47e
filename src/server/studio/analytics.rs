//! `/admin/analytics`: the figures for a date range, read from orders, users,
//! waitlists and the page views counted here; and their CSV exports.
//!
//! Page views are counted on the server without cookies or addresses: a GET of a
//! public HTML page answered 200 to a browser that is not a bot adds one to
//! (Jakarta day, path) in memory; the counts are written every minute.

use crate::domain::analytics::{bucketed, Analytics, Bucket, Table, SHOWN_ROWS};
use crate::domain::orders::OrderStatus;
use crate::domain::time::{jakarta_day, parse_date, DAY_SECS};
use crate::domain::{Currency, Money};
use crate::server::db::{analytics as queries, Db, DbError};
use crate::server::telemetry::chain;
use rusqlite::Connection;
use std::collections::HashMap;
use std::sync::Mutex;

/// Distinct paths a day kept between writes, at most (paths are those of
/// pages that answered 200, so this only bounds the unexpected).
const MAX_KEYS: usize = 20_000;

/// Page views not yet written.
#[derive(Default)]
pub struct PageViews {
    /// Day -> path -> views (looked up by `&str`: counting a known path allocates nothing).
    counts: Mutex<HashMap<i64, HashMap<String, i64>>>,
}

impl PageViews {
    pub fn record(&self, day: i64, path: &str) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let paths = counts.entry(day).or_default();
        if let Some(n) = paths.get_mut(path) {
            *n += 1;
        } else if paths.len() < MAX_KEYS {
            paths.insert(path.to_owned(), 1);
        }
    }

    /// Writes what was counted (added to what is stored); on failure keeps it for the next write.
    pub async fn flush(&self, db: &crate::server::db::Db) {
        let taken: Vec<((i64, String), i64)> = {
            let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
            counts.drain().flat_map(|(day, paths)| paths.into_iter().map(move |(path, n)| ((day, path), n))).collect()
        };
        if taken.is_empty() {
            return;
        }
        let batch = taken.clone();
        let written = db
            .run(move |c| -> Result<(), DbError> {
                let tx = c.transaction()?;
                for ((day, path), views) in &batch {
                    queries::add_page_views(&tx, *day, path, *views)?;
                }
                tx.commit()?;
                Ok(())
            })
            .await;
        if let Err(err) = written {
            tracing::warn!(error = %chain(&err), "page views could not be written; kept for the next minute");
            let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
            for ((day, path), views) in taken {
                *counts.entry(day).or_default().entry(path).or_insert(0) += views;
            }
        }
    }
}

/// Whether a path is a public page worth counting.
pub fn countable(path: &str) -> bool {
    !["/api/", "/admin", "/dashboard", "/client", "/pkg/", "/uploads/", "/files/", "/checkout/", "/auth/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
        && path.len() <= 200
}

/// The range asked for: `from` and `until` (inclusive, `YYYY-MM-DD`, Jakarta days), by period.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RangeQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub by: String,
}

/// The Jakarta days of a range (the last 30 days when not given) and its period; or what is wrong.
pub fn range(q: &RangeQuery, now: i64) -> Result<(i64, i64, Bucket), &'static str> {
    let today = jakarta_day(now);
    let day = |raw: &str, default: i64| -> Result<i64, &'static str> {
        match raw.trim() {
            "" => Ok(default),
            raw => parse_date(raw).map(|t| t / DAY_SECS).ok_or("Enter dates as YYYY-MM-DD."),
        }
    };
    let until = day(&q.until, today)?;
    let from = day(&q.from, until - 29)?;
    if from > until {
        return Err("The start of the range comes after its end.");
    }
    if until - from > 3 * 366 {
        return Err("Choose a range of at most three years.");
    }
    let by = match q.by.trim() {
        "" => Bucket::Day,
        raw => Bucket::parse(raw).ok_or("Group by day, week or month.")?,
    };
    Ok((from, until, by))
}

fn rupiah(n: i64) -> String {
    Money { minor: n, currency: Currency::Idr }.to_string()
}

fn dollars(cents: i64) -> String {
    Money { minor: cents, currency: Currency::Usd }.to_string()
}

/// What a table is read for: the page (its first [`SHOWN_ROWS`], the table marked
/// when there are more) or an export (everything, up to [`EXPORT_ROWS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    Shown,
    Export,
}

/// The most rows an export of the views per page and day holds.
pub const EXPORT_ROWS: usize = 20_000;

/// Every table for the range (`today` tells which days can have data yet).
pub fn compute(
    conn: &Connection,
    from: i64,
    until: i64,
    by: Bucket,
    today: i64,
    rows: Rows,
) -> Result<Vec<Table>, DbError> {
    let mut tables = Vec::new();
    let span = queries::Span::of(from, until, today);

    // Revenue per period and currency (paid orders; refunds are not revenue).
    let mut per_day: HashMap<&str, Vec<(i64, i64)>> = HashMap::new();
    let mut orders_per_day = Vec::new();
    // By month, whole months come from the monthly rollup (a row per month, dated
    // its first day, which falls in its own bucket, as do the days subtracted from it).
    let paid = if by == Bucket::Month {
        queries::paid_by_month(conn, span)?
    } else {
        queries::paid_by_day(conn, from, until)?
    };
    for (day, currency, count, sum) in paid {
        per_day.entry(if currency == "USD" { "USD" } else { "IDR" }).or_default().push((day, sum));
        orders_per_day.push((day, count));
    }
    let idr = bucketed(by, from, until, per_day.get("IDR").map_or(&[][..], |v| v));
    let usd = bucketed(by, from, until, per_day.get("USD").map_or(&[][..], |v| v));
    let counts = bucketed(by, from, until, &orders_per_day);
    let mut revenue = Table::new("revenue", "Revenue", &["Period", "Paid orders", "IDR", "USD"]);
    for ((period, idr), ((_, usd), (_, count))) in idr.iter().zip(usd.iter().zip(&counts)) {
        revenue.rows.push(vec![period.clone(), count.to_string(), rupiah(*idr), dollars(*usd)]);
    }
    revenue.chart = Some(idr);
    tables.push(revenue);

    // Orders made in the range, by where they stand now.
    let mut statuses = Table::new("statuses", "Orders by status", &["Status", "Orders"]);
    let found: HashMap<String, i64> = queries::orders_by_status(conn, span)?.into_iter().collect();
    for status in OrderStatus::ALL {
        statuses
            .rows
            .push(vec![status.label().to_owned(), found.get(status.as_str()).copied().unwrap_or(0).to_string()]);
    }
    tables.push(statuses);

    // Top products by paid orders.
    let mut products = Table::new("products", "Top products", &["Product", "Paid orders", "IDR", "USD"]);
    for (name, count, idr, usd) in queries::top_products(conn, span)? {
        products.rows.push(vec![name, count.to_string(), rupiah(idr), dollars(usd)]);
    }
    tables.push(products);

    // The funnel: product page views, checkouts started, paid.
    let (views, checkouts, paid) = queries::funnel(conn, from, until, span)?;
    let mut funnel = Table::new("funnel", "Funnel", &["Step", "Count"]);
    for (step, n) in [("Product page views", views), ("Checkouts started", checkouts), ("Paid", paid)] {
        funnel.rows.push(vec![step.to_owned(), n.to_string()]);
    }
    funnel.chart = Some(vec![("Views".into(), views), ("Checkouts".into(), checkouts), ("Paid".into(), paid)]);
    tables.push(funnel);

    // Waitlists: who signed up in the range, and of them who paid for the product since.
    let mut waitlists = Table::new("waitlists", "Waitlist signups", &["Product", "Signups", "Converted"]);
    for (name, signups, converted) in queries::waitlist_signups(conn, span)? {
        waitlists.rows.push(vec![name, signups.to_string(), converted.to_string()]);
    }
    tables.push(waitlists);

    // New members per week.
    let joined = queries::signups_by_day(conn, from, until)?;
    let weeks = bucketed(Bucket::Week, from, until, &joined);
    let mut members = Table::new("members", "New members per week", &["Week", "New members"]);
    members.rows = weeks.iter().map(|(w, n)| vec![w.clone(), n.to_string()]).collect();
    members.chart = Some(weeks);
    tables.push(members);

    // Page views per period, and the most viewed paths.
    let daily = queries::views_by_day(conn, from, until)?;
    let periods = bucketed(by, from, until, &daily);
    let mut views = Table::new("views", "Page views", &["Period", "Views"]);
    views.rows = periods.iter().map(|(p, n)| vec![p.clone(), n.to_string()]).collect();
    views.chart = Some(periods);
    tables.push(views);
    let mut paths = Table::new("paths", "Most viewed pages", &["Page", "Views"]);
    for (path, n) in queries::top_paths(conn, span)? {
        paths.rows.push(vec![path, n.to_string()]);
    }
    tables.push(paths);
    let mut per_page = Table::new("page_days", "Page views per page and day", &["Day", "Page", "Views"]);
    let most = match rows {
        Rows::Shown => SHOWN_ROWS + 1,
        Rows::Export => EXPORT_ROWS,
    };
    for (day, path, n) in queries::views_per_page_day(conn, from, until, most as i64)? {
        per_page.rows.push(vec![Bucket::Day.period_label(day), path, n.to_string()]);
    }
    tables.push(per_page);
    if rows == Rows::Shown {
        for table in &mut tables {
            table.more = table.rows.len() > SHOWN_ROWS;
            table.rows.truncate(SHOWN_ROWS);
        }
    }
    Ok(tables)
}

/// The page's data for a range.
pub async fn analytics(
    views: &PageViews,
    db: &Db,
    now: i64,
    q: RangeQuery,
    rows: Rows,
) -> Result<Result<Analytics, &'static str>, DbError> {
    views.flush(db).await;
    let (from, until, by) = match range(&q, now) {
        Ok(r) => r,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let tables = db.read(move |c| compute(c, from, until, by, jakarta_day(now), rows)).await?;
    Ok(Ok(Analytics { from: Bucket::Day.period_label(from), until: Bucket::Day.period_label(until), by, tables }))
}
