//! Queries on `orders` and `payment_events`.

use super::{now, DbError};
use crate::domain::pagination::{Cursor, Page, PageAt, PAGE_SIZE};
use crate::domain::{
    delivery::{DeliveryKind, DeliveryStatus},
    orders::{Gateway, OrderEventView, OrderStatus, OrderView, PayChannel, PaymentInstructions},
    products::Product,
};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// The fields payment code needs.
#[derive(Debug, Clone)]
pub struct OrderRow {
    pub id: i64,
    pub public_id: String,
    pub user_id: i64,
    /// The product bought; 0 for the payment of an invoice (`invoice_id`).
    pub product_id: i64,
    pub product_name: String,
    pub amount: i64,
    pub currency: String,
    pub gateway: Gateway,
    pub gateway_ref: Option<String>,
    pub status: OrderStatus,
    /// The client invoice this order pays, if it pays one (then no product is bought).
    pub invoice_id: Option<i64>,
}

const COLUMNS: &str =
    "id, public_id, user_id, coalesce(product_id, 0), product_name, amount, currency, gateway, gateway_ref, status, invoice_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<OrderRow> {
    let gateway: String = r.get(7)?;
    let status: String = r.get(9)?;
    Ok(OrderRow {
        id: r.get(0)?,
        public_id: r.get(1)?,
        user_id: r.get(2)?,
        product_id: r.get(3)?,
        product_name: r.get(4)?,
        amount: r.get(5)?,
        currency: r.get(6)?,
        gateway: Gateway::parse(&gateway).unwrap_or(Gateway::Sandbox),
        gateway_ref: r.get(8)?,
        status: OrderStatus::parse(&status).unwrap_or(OrderStatus::Pending),
        invoice_id: r.get(10)?,
    })
}

/// `ATL-20261121-7F3K2Q`: the date and six random Crockford base32 characters.
pub fn new_public_id(unix: i64) -> Result<String, DbError> {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut raw = [0u8; 6];
    getrandom::fill(&mut raw)?;
    let suffix: String = raw.iter().map(|b| ALPHABET[usize::from(b % 32)] as char).collect();
    let date = crate::domain::time::format_time(unix);
    Ok(format!("ATL-{}-{suffix}", date[..10].replace('-', "")))
}

/// Creates a pending order with the price copied from the product now.
pub fn create(
    conn: &Connection,
    user_id: i64,
    product: &Product,
    gateway: Gateway,
    amount: i64,
    currency: &str,
) -> Result<OrderRow, DbError> {
    let t = now();
    loop {
        let public_id = new_public_id(t)?;
        let inserted = conn
            .prepare_cached(
                "INSERT INTO orders (public_id, user_id, product_id, product_name, amount, currency, gateway, status,
                     created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?8)
                 ON CONFLICT (public_id) DO NOTHING RETURNING id",
            )?
            .query_row(
                params![public_id, user_id, product.id, product.name, amount, currency, gateway.as_str(), t],
                |r| r.get::<_, i64>(0),
            )
            .optional()?;
        if let Some(id) = inserted {
            return Ok(OrderRow {
                id,
                public_id,
                user_id,
                product_id: product.id,
                product_name: product.name.clone(),
                amount,
                currency: currency.to_owned(),
                gateway,
                gateway_ref: None,
                status: OrderStatus::Pending,
                invoice_id: None,
            });
        }
    }
}

pub fn set_gateway_ref(conn: &Connection, id: i64, reference: &str) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE orders SET gateway_ref = ?2, updated_at = ?3 WHERE id = ?1")?.execute(params![
        id,
        reference,
        now()
    ])?;
    Ok(())
}

pub fn by_public_id(conn: &Connection, public_id: &str) -> Result<Option<OrderRow>, DbError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM orders WHERE public_id = ?1"))?
        .query_row([public_id], from_row)
        .optional()?)
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<OrderRow>, DbError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM orders WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

pub fn by_gateway_ref(conn: &Connection, gateway: Gateway, reference: &str) -> Result<Option<OrderRow>, DbError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM orders WHERE gateway = ?1 AND gateway_ref = ?2"))?
        .query_row(params![gateway.as_str(), reference], from_row)
        .optional()?)
}

/// Records the gateway's capture that paid the order (the first one wins).
pub fn set_capture_id(conn: &Connection, id: i64, capture: &str) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE orders SET gateway_capture_id = ?2 WHERE id = ?1 AND gateway_capture_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM orders o2 WHERE o2.gateway = orders.gateway AND o2.gateway_capture_id = ?2)",
    )?
    .execute(params![id, capture])?;
    Ok(())
}

/// The order a gateway's capture paid.
pub fn by_capture_id(conn: &Connection, gateway: Gateway, capture: &str) -> Result<Option<OrderRow>, DbError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM orders WHERE gateway = ?1 AND gateway_capture_id = ?2"))?
        .query_row(params![gateway.as_str(), capture], from_row)
        .optional()?)
}

/// The order an already-recorded event (e.g. a PayPal capture) belongs to.
pub fn order_of_event(conn: &Connection, event_key: &str) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached("SELECT order_id FROM payment_events WHERE event_key = ?1")?
        .query_row([event_key], |r| r.get(0))
        .optional()?
        .flatten())
}

const VIEW_SELECT: &str =
    "SELECT o.id, o.public_id, o.product_name, coalesce(p.kind, 'invoice'), coalesce(p.slug, CAST(o.invoice_id AS TEXT)), o.amount,
        o.currency, o.gateway, o.status, o.created_at, o.paid_at, u.email, coalesce(p.delivery_kind, 'manual'), d.status,
        coalesce(d.detail, ''), (SELECT code FROM coupons WHERE id = o.coupon_id), o.discount,
        o.refunded_amount, d.data
     FROM orders o LEFT JOIN products p ON p.id = o.product_id JOIN users u ON u.id = o.user_id
     LEFT JOIN deliveries d ON d.order_id = o.id";

fn view_from_row(r: &Row<'_>) -> rusqlite::Result<(i64, OrderView)> {
    let kind: String = r.get(3)?;
    let slug: String = r.get(4)?;
    let gateway: String = r.get(7)?;
    let status: String = r.get(8)?;
    // The payment of a client's invoice links to the invoice.
    let section = match kind.as_str() {
        "saas" => "saas",
        "service" => "services",
        "invoice" => "client/invoices",
        _ => "products",
    };
    Ok((
        r.get(0)?,
        OrderView {
            public_id: r.get(1)?,
            product_name: r.get(2)?,
            product_path: format!("/{section}/{slug}"),
            amount: r.get(5)?,
            currency: r.get(6)?,
            gateway: Gateway::parse(&gateway).unwrap_or(Gateway::Sandbox),
            status: OrderStatus::parse(&status).unwrap_or(OrderStatus::Pending),
            created_at: r.get(9)?,
            paid_at: r.get(10)?,
            buyer_email: r.get(11)?,
            delivery_kind: DeliveryKind::parse(&r.get::<_, String>(12)?).unwrap_or(DeliveryKind::WebAccess),
            delivery_status: r.get::<_, Option<String>>(13)?.as_deref().and_then(DeliveryStatus::parse),
            delivery_detail: r.get(14)?,
            delivery_note: super::deliveries::read_note(r.get(18)?),
            events: Vec::new(),
            payment: None,
            coupon: r.get(15)?,
            discount: r.get(16)?,
            // Staff's alone: read by `view_for_staff`.
            staff_notice: None,
            refunded_amount: r.get(17)?,
        },
    ))
}

fn events(conn: &Connection, order_id: i64, with_raw: bool) -> Result<Vec<OrderEventView>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT created_at, gateway, outcome, applied, note, raw FROM payment_events WHERE order_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([order_id], |r| {
            Ok(OrderEventView {
                at: r.get(0)?,
                gateway: r.get(1)?,
                outcome: r.get(2)?,
                applied: r.get(3)?,
                note: r.get(4)?,
                raw: if with_raw { r.get(5)? } else { String::new() },
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// One order of one member (None for anybody else's: ownership is part of the query).
pub fn view_for_user(conn: &Connection, user_id: i64, public_id: &str) -> Result<Option<OrderView>, DbError> {
    let found = conn
        .prepare_cached(&format!("{VIEW_SELECT} WHERE o.public_id = ?1 AND o.user_id = ?2"))?
        .query_row(params![public_id, user_id], view_from_row)
        .optional()?;
    found
        .map(|(id, mut view)| {
            view.events = events(conn, id, false)?;
            view.payment = instructions(conn, id)?;
            Ok(view)
        })
        .transpose()
}

pub fn view_for_staff(conn: &Connection, public_id: &str) -> Result<Option<OrderView>, DbError> {
    let found = conn
        .prepare_cached(&format!("{VIEW_SELECT} WHERE o.public_id = ?1"))?
        .query_row([public_id], view_from_row)
        .optional()?;
    found
        .map(|(id, mut view)| {
            view.events = events(conn, id, true)?;
            view.payment = instructions(conn, id)?;
            view.staff_notice =
                conn.prepare_cached("SELECT staff_notice FROM orders WHERE id = ?1")?.query_row([id], |r| r.get(0))?;
            Ok(view)
        })
        .transpose()
}

pub fn list_for_user(conn: &Connection, user_id: i64) -> Result<Vec<OrderView>, DbError> {
    let mut stmt =
        conn.prepare_cached(&format!("{VIEW_SELECT} WHERE o.user_id = ?1 ORDER BY o.created_at DESC, o.id DESC"))?;
    let rows = stmt.query_map([user_id], view_from_row)?.map(|r| r.map(|(_, v)| v)).collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A page of a member's own orders, newest first (through `orders_user_recent`).
pub fn page_for_user(conn: &Connection, user_id: i64, at: PageAt) -> Result<Page<OrderView>, DbError> {
    let (cmp, order) = if at.ascending() { (">", "ASC") } else { ("<", "DESC") };
    let cursor = match at {
        PageAt::Before(_) | PageAt::After(_) => format!(" AND (o.created_at, o.id) {cmp} (?2, ?3)"),
        PageAt::First => String::new(),
    };
    let sql = format!(
        "{VIEW_SELECT} WHERE o.user_id = ?1{cursor} ORDER BY o.created_at {order}, o.id {order} LIMIT {}",
        PAGE_SIZE + 1
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = match at {
        PageAt::Before(c) | PageAt::After(c) => stmt.query_map(params![user_id, c.at, c.id], view_from_row)?,
        PageAt::First => stmt.query_map(params![user_id], view_from_row)?,
    }
    .collect::<Result<Vec<_>, _>>()?;
    let page = Page::from_rows(rows, at, |(id, o)| Cursor { at: o.created_at, id: *id });
    Ok(Page { rows: page.rows.into_iter().map(|(_, o)| o).collect(), newer: page.newer, older: page.older })
}

/// Sets (or, with `None`, clears) what staff must look at on an order.
pub fn set_staff_notice(conn: &Connection, order_id: i64, notice: Option<&str>) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE orders SET staff_notice = ?2 WHERE id = ?1")?.execute(params![order_id, notice])?;
    Ok(())
}

/// Records what the gateway reported refunded (the largest amount reported wins: notices
/// repeat and arrive out of order). True if it grew.
pub fn record_refunded_amount(conn: &Connection, order_id: i64, amount: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("UPDATE orders SET refunded_amount = ?2 WHERE id = ?1 AND refunded_amount < ?2")?
        .execute(params![order_id, amount])?
        > 0)
}

/// What staff filter the order list by.
#[derive(Debug, Clone, Default)]
pub struct StaffFilter {
    pub status: Option<OrderStatus>,
    pub gateway: Option<Gateway>,
    /// Created at or after (unix seconds).
    pub from: Option<i64>,
    /// Created before (unix seconds).
    pub until: Option<i64>,
    /// An order id (`ATL-…`, whole or its start), a gateway's reference, or part of the
    /// buyer's email or name.
    pub search: String,
}

/// A page of staff's order list, newest first, filtered. The statement holds only the
/// filters given, so each combination reads through its index (`orders_recent`,
/// `orders_by_status`, `orders_by_gateway`): a page costs its 51 rows, however many
/// orders there are.
pub fn page_for_staff(conn: &Connection, filter: &StaffFilter, at: PageAt) -> Result<Page<OrderView>, DbError> {
    let people = crate::domain::pagination::trigram_phrase(&filter.search)
        .and_then(|phrase| super::users::matching_people(conn, &phrase));
    let (sql, args) = staff_page_query(filter, at, people.as_deref());
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(args), view_from_row)?
        .collect::<Result<Vec<(i64, OrderView)>, _>>()?;
    let page = Page::from_rows(rows, at, |(id, o)| Cursor { at: o.created_at, id: *id });
    Ok(Page { rows: page.rows.into_iter().map(|(_, o)| o).collect(), newer: page.newer, older: page.older })
}

/// The statement and its values for a page of staff's order list (public for the
/// test that checks each combination's query plan).
/// `people`: the buyers a search by email or name matches, when they are few (`None`:
/// so many that reading the list newest first and keeping the matches fills a page
/// sooner than reading their orders and sorting them).
pub fn staff_page_query(
    filter: &StaffFilter,
    at: PageAt,
    people: Option<&[i64]>,
) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut args = super::Args::default();
    let mut sql = format!("{VIEW_SELECT} WHERE 1");
    if let Some(status) = filter.status {
        sql += &format!(" AND o.status = {}", args.bind(Value::Text(status.as_str().into())));
    }
    if let Some(gateway) = filter.gateway {
        sql += &format!(" AND o.gateway = {}", args.bind(Value::Text(gateway.as_str().into())));
    }
    if let Some(from) = filter.from {
        sql += &format!(" AND o.created_at >= {}", args.bind(Value::Integer(from)));
    }
    if let Some(until) = filter.until {
        sql += &format!(" AND o.created_at < {}", args.bind(Value::Integer(until)));
    }
    let search = filter.search.trim();
    if search.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("ATL-")) {
        // An order id, whole or its start: a range on the unique index.
        let id = search.to_ascii_uppercase();
        let (low, high) = (args.bind(Value::Text(id.clone())), args.bind(Value::Text(format!("{id}\u{10FFFF}"))));
        sql += &format!(" AND o.public_id >= {low} AND o.public_id < {high}");
    } else if let Some(ids) = people.filter(|_| crate::domain::pagination::trigram_phrase(search).is_some()) {
        // Part of the buyer's email or name: the reference's orders and the matching
        // buyers' orders, each through its index, then sorted (a narrow search: few rows).
        let json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned());
        let (reference, ids) = (args.bind(Value::Text(search.to_owned())), args.bind(Value::Text(json)));
        sql += &format!(
            " AND o.id IN (SELECT id FROM orders WHERE gateway_ref = {reference}
                 UNION ALL SELECT b.id FROM json_each({ids}) j JOIN orders b ON b.user_id = j.value)"
        );
    } else if let Some(pattern) = crate::domain::pagination::like_pattern(search) {
        let (reference, pattern) = (args.bind(Value::Text(search.to_owned())), args.bind(Value::Text(pattern)));
        sql += &format!(
            " AND (o.gateway_ref = {reference} OR o.user_id IN (SELECT id FROM users
                 WHERE email LIKE {pattern} ESCAPE '\\' OR name LIKE {pattern} ESCAPE '\\'))"
        );
    }
    let (cmp, order) = if at.ascending() { (">", "ASC") } else { ("<", "DESC") };
    if let PageAt::Before(c) | PageAt::After(c) = at {
        let (t, id) = (args.bind(Value::Integer(c.at)), args.bind(Value::Integer(c.id)));
        sql += &format!(" AND (o.created_at, o.id) {cmp} ({t}, {id})");
    }
    sql += &format!(" ORDER BY o.created_at {order}, o.id {order} LIMIT {}", PAGE_SIZE + 1);
    (sql, args.into_values())
}

/// A payment event as the gateway reported it (or as it was refused).
pub struct NewPaymentEvent<'a> {
    pub order_id: Option<i64>,
    pub gateway: Gateway,
    /// Unique per event: a repeat of a key is the same event again.
    pub event_key: &'a str,
    pub outcome: &'a str,
    pub note: &'a str,
    pub raw: &'a str,
    pub at: i64,
}

/// Records a payment event once per key: its id, or `None` when the key was seen before.
pub fn record_payment_event(conn: &Connection, event: &NewPaymentEvent<'_>) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO payment_events (order_id, gateway, event_key, outcome, note, raw, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (event_key) DO NOTHING RETURNING id",
        )?
        .query_row(
            params![
                event.order_id,
                event.gateway.as_str(),
                event.event_key,
                event.outcome,
                event.note,
                event.raw,
                event.at
            ],
            |r| r.get::<_, i64>(0),
        )
        .optional()?)
}

/// Marks a recorded event as the one that moved its order.
pub fn mark_event_applied(conn: &Connection, event_id: i64) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE payment_events SET applied = 1 WHERE id = ?1")?.execute([event_id])?;
    Ok(())
}

/// Moves order `id` to `target` at `at`, only from a status that may become it
/// ([`OrderStatus::can_become`]): whether it moved.
pub fn move_status(conn: &Connection, id: i64, target: OrderStatus, at: i64) -> Result<bool, DbError> {
    let sources: Vec<&str> = OrderStatus::sources_of(target).iter().map(|s| s.as_str()).collect();
    let placeholders = (0..sources.len()).map(|i| format!("?{}", i + 4)).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "UPDATE orders SET status = ?2, updated_at = ?3,
             paid_at = CASE WHEN ?2 = 'paid' THEN ?3 ELSE paid_at END,
             refunded_at = CASE WHEN ?2 = 'refunded' THEN ?3 ELSE refunded_at END
         WHERE id = ?1 AND status IN ({placeholders})"
    );
    let mut values: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(id), Box::new(target.as_str()), Box::new(at)];
    values.extend(sources.iter().map(|s| Box::new(s.to_string()) as Box<dyn rusqlite::ToSql>));
    Ok(conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values.iter()))? > 0)
}

/// The paid orders of a person (what their deleted account still gives access to).
pub fn paid_ids_of(conn: &Connection, user_id: i64) -> Result<Vec<i64>, DbError> {
    let mut stmt = conn.prepare_cached("SELECT id FROM orders WHERE user_id = ?1 AND status = 'paid' ORDER BY id")?;
    let rows = stmt.query_map([user_id], |r| r.get(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Keeps how the buyer pays an order by transfer (replacing earlier instructions).
pub fn save_instructions(conn: &Connection, order_id: i64, how: &PaymentInstructions) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO payment_instructions (order_id, method, channel, payment_no, payment_name, expires_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (order_id) DO UPDATE SET method = excluded.method, channel = excluded.channel,
             payment_no = excluded.payment_no, payment_name = excluded.payment_name, expires_at = excluded.expires_at",
    )?
    .execute(params![
        order_id,
        how.channel.method(),
        how.channel.as_str(),
        how.payment_no,
        how.payment_name,
        how.expires_at,
        now()
    ])?;
    Ok(())
}

/// How to pay the order by transfer, if it is paid that way.
pub fn instructions(conn: &Connection, order_id: i64) -> Result<Option<PaymentInstructions>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT channel, payment_no, payment_name, expires_at FROM payment_instructions WHERE order_id = ?1",
        )?
        .query_row([order_id], |r| {
            let channel: String = r.get(0)?;
            Ok(PaymentInstructions {
                channel: PayChannel::parse(&channel).unwrap_or(PayChannel::Qris),
                payment_no: r.get(1)?,
                payment_name: r.get(2)?,
                expires_at: r.get(3)?,
            })
        })
        .optional()?)
}
