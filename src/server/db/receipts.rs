//! Queries on `receipts`: one per paid order, numbered without gaps per year.

use super::DbError;
use crate::domain::orders::Gateway;
use rusqlite::{params, Connection, OptionalExtension};

/// Gives `order_id` its receipt number (its existing one if it has one). Call it in
/// the transaction that marks the order paid: the next number of the year is taken
/// under that transaction's write lock, so numbers are never shared or skipped.
pub fn issue(conn: &Connection, order_id: i64, at: i64) -> Result<String, DbError> {
    if let Some(number) = conn
        .prepare_cached("SELECT number FROM receipts WHERE order_id = ?1")?
        .query_row([order_id], |r| r.get(0))
        .optional()?
    {
        return Ok(number);
    }
    let year = jakarta_year(at);
    Ok(conn
        .prepare_cached(
            "INSERT INTO receipts (order_id, year, seq, number, issued_at)
             SELECT ?1, ?2, coalesce(max(seq), 0) + 1, printf('ATL-%04d-%06d', ?2, coalesce(max(seq), 0) + 1), ?3
             FROM receipts WHERE year = ?2
             RETURNING number",
        )?
        .query_row(params![order_id, year, at], |r| r.get(0))?)
}

fn jakarta_year(at: i64) -> i64 {
    let day = crate::domain::time::jakarta_day(at);
    crate::domain::time::civil_from_days(day).0
}

/// Everything a receipt shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptData {
    pub number: String,
    pub issued_at: i64,
    pub order_public_id: String,
    pub user_id: i64,
    pub buyer_name: String,
    pub buyer_email: String,
    pub item: String,
    pub amount: i64,
    pub currency: String,
    pub gateway: Gateway,
    pub gateway_ref: Option<String>,
    pub paid_at: i64,
    /// The period a subscription order paid for.
    pub period: Option<(i64, i64)>,
    /// The buyer's language: the receipt prints in it.
    pub lang: crate::domain::Lang,
}

/// The receipt of an order (by its public id), if it has one.
pub fn by_order(conn: &Connection, public_id: &str) -> Result<Option<ReceiptData>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT r.number, r.issued_at, o.public_id, o.user_id, u.name, u.email, o.product_name, o.amount, o.currency,
                    o.gateway, o.gateway_ref, coalesce(o.paid_at, r.issued_at), o.period_start, o.period_end, u.lang
             FROM receipts r JOIN orders o ON o.id = r.order_id JOIN users u ON u.id = o.user_id
             WHERE o.public_id = ?1",
        )?
        .query_row([public_id], |r| {
            let gateway: String = r.get(9)?;
            let period = match (r.get::<_, Option<i64>>(12)?, r.get::<_, Option<i64>>(13)?) {
                (Some(a), Some(b)) => Some((a, b)),
                _ => None,
            };
            Ok(ReceiptData {
                number: r.get(0)?,
                issued_at: r.get(1)?,
                order_public_id: r.get(2)?,
                user_id: r.get(3)?,
                buyer_name: r.get(4)?,
                buyer_email: r.get(5)?,
                item: r.get(6)?,
                amount: r.get(7)?,
                currency: r.get(8)?,
                gateway: Gateway::parse(&gateway).ok_or_else(|| {
                    rusqlite::Error::FromSqlConversionFailure(
                        9,
                        rusqlite::types::Type::Text,
                        format!("unknown gateway {gateway:?}").into(),
                    )
                })?,
                gateway_ref: r.get(10)?,
                paid_at: r.get(11)?,
                period,
                lang: crate::domain::Lang::parse(&r.get::<_, String>(14)?).unwrap_or_default(),
            })
        })
        .optional()?)
}
