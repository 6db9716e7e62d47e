//! The figures `/admin` opens on: what needs attention now, each read through an index
//! (a count over one status, a range of one day or month).

use super::DbError;
use rusqlite::{params, Connection};

/// Orders paid (and not refunded since) on Jakarta days `from..=until` per currency:
/// (currency, orders, amount), from the `orders_paid_daily` rollup.
pub fn paid_on_days(conn: &Connection, from: i64, until: i64) -> Result<Vec<(String, i64, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT currency, sum(orders), sum(amount) FROM orders_paid_daily
         WHERE status = 'paid' AND day BETWEEN ?1 AND ?2 GROUP BY currency HAVING sum(orders) > 0 ORDER BY currency",
    )?;
    let rows =
        stmt.query_map(params![from, until], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The same for one whole Jakarta month (by its first day), from the `orders_paid_monthly`
/// rollup: a row per product and currency instead of one per day of it.
pub fn paid_in_month(conn: &Connection, month: i64) -> Result<Vec<(String, i64, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT currency, sum(orders), sum(amount) FROM orders_paid_monthly
         WHERE month = ?1 AND status = 'paid' GROUP BY currency HAVING sum(orders) > 0 ORDER BY currency",
    )?;
    let rows = stmt.query_map(params![month], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The most unread client messages the overview counts (then: "100 or more").
pub const UNREAD_CAP: i64 = 100;

/// Clients' messages a staff member (`?1`) has not read, counted up to `?2`: project by
/// project (`CROSS JOIN` keeps that order), each one's unread ones found in
/// `project_messages_side` from where the person last read. (Message by message instead,
/// every one already read is stepped over, with a lookup of its project's read mark.)
pub const UNREAD_SQL: &str = "SELECT count(*) FROM (
     SELECT 1 FROM projects p LEFT JOIN project_reads r ON r.user_id = ?1 AND r.project_id = p.id
     CROSS JOIN project_messages m
     WHERE m.project_id = p.id AND m.from_staff = 0 AND m.id > coalesce(r.last_message_id, 0)
     LIMIT ?2
 )";

/// How many of each thing wait for someone, as of `now`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Waiting {
    pub pending_orders: i64,
    pub failed_deliveries: i64,
    pub manual_deliveries: i64,
    pub dead_jobs: i64,
    pub overdue_invoices: i64,
    pub subscriptions_ending: i64,
    pub waitlist_signups: i64,
    pub unread_client_messages: i64,
}

/// What waits: orders for payment, deliveries failed or for staff's hands, dead jobs,
/// overdue invoices, active subscriptions ending within `week` seconds, waitlist
/// sign-ups since `since`, and clients' messages `reader` has not seen (per project,
/// through `project_messages_side` from where they last read).
pub fn waiting(conn: &Connection, now: i64, week: i64, since: i64, reader: i64) -> Result<Waiting, DbError> {
    let count = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> Result<i64, DbError> {
        Ok(conn.prepare_cached(sql)?.query_row(args, |r| r.get(0))?)
    };
    Ok(Waiting {
        // The rollup of orders by the month they were made and where they stand now:
        // a few rows a month, not one per pending order.
        pending_orders: count(
            "SELECT coalesce(sum(orders), 0) FROM orders_created_monthly WHERE status = 'pending'",
            &[],
        )?,
        failed_deliveries: count("SELECT count(*) FROM deliveries WHERE status = 'failed'", &[])?,
        manual_deliveries: count("SELECT count(*) FROM deliveries WHERE status = 'pending' AND kind = 'manual'", &[])?,
        dead_jobs: count("SELECT count(*) FROM jobs WHERE status = 'dead'", &[])?,
        // Spelled so that the open invoices' partial index answers it.
        overdue_invoices: count(
            "SELECT count(*) FROM invoices WHERE status IN ('sent', 'overdue') AND status = 'overdue'",
            &[],
        )?,
        subscriptions_ending: count(
            "SELECT count(*) FROM subscriptions WHERE status = 'active' AND current_period_end >= ?1
               AND current_period_end < ?2",
            &[&now, &(now + week)],
        )?,
        waitlist_signups: count("SELECT count(*) FROM waitlist_entries WHERE created_at >= ?1", &[&since])?,
        // Counted up to the cap: beyond it the overview says "or more".
        unread_client_messages: count(UNREAD_SQL, &[&reader, &UNREAD_CAP])?,
    })
}
