//! Queries on `quotes`, `invoices` (and their items and schedule) and `project_events`.

use super::{now, DbError};
use crate::domain::billing::{
    split, Invoice, InvoiceStatus, LineItem, ProjectEvent, Quote, QuoteInput, QuoteStatus, ScheduleLine,
};
use crate::domain::html::TrustedHtml;
use crate::domain::pagination::{Cursor, Page, PageAt, PAGE_SIZE};
use crate::domain::projects::Milestone;
use rusqlite::{params, Connection, OptionalExtension, Row};

// ---- quotes ----------------------------------------------------------------

const QUOTE_COLUMNS: &str =
    "q.id, q.project_id, q.title, q.notes_md, q.notes_html, q.total_idr, q.valid_until, q.status,
     q.sent_at, q.decided_at, u.name || ' <' || u.email || '>', q.decided_ip, q.decline_reason";

fn quote_from_row(r: &Row<'_>) -> rusqlite::Result<Quote> {
    let status: String = r.get(7)?;
    Ok(Quote {
        id: r.get(0)?,
        project_id: r.get(1)?,
        title: r.get(2)?,
        notes_md: r.get(3)?,
        notes_html: r.get(4)?,
        total_idr: r.get(5)?,
        valid_until: r.get(6)?,
        status: QuoteStatus::parse(&status).unwrap_or(QuoteStatus::Draft),
        sent_at: r.get(8)?,
        decided_at: r.get(9)?,
        decided_by: r.get(10)?,
        decided_ip: r.get(11)?,
        decline_reason: r.get(12)?,
        items: Vec::new(),
        schedule: Vec::new(),
        open: false,
    })
}

fn items(conn: &Connection, table: &str, owner: &str, id: i64) -> Result<Vec<LineItem>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT description, quantity, unit_idr, amount_idr FROM {table} WHERE {owner} = ?1 ORDER BY position"
    ))?;
    let rows = stmt
        .query_map([id], |r| {
            Ok(LineItem { description: r.get(0)?, quantity: r.get(1)?, unit_idr: r.get(2)?, amount_idr: r.get(3)? })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

fn insert_items(conn: &Connection, table: &str, owner: &str, id: i64, items: &[LineItem]) -> Result<(), DbError> {
    conn.prepare_cached(&format!("DELETE FROM {table} WHERE {owner} = ?1"))?.execute([id])?;
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT INTO {table} ({owner}, position, description, quantity, unit_idr, amount_idr) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    ))?;
    for (i, item) in items.iter().enumerate() {
        stmt.execute(params![id, i as i64, item.description, item.quantity, item.unit_idr, item.amount_idr])?;
    }
    Ok(())
}

fn with_details(conn: &Connection, mut quote: Quote) -> Result<Quote, DbError> {
    quote.open = quote.open_at(now());
    quote.items = items(conn, "quote_items", "quote_id", quote.id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT s.milestone_id, m.title, m.due_on, s.share_bp, s.amount_idr
         FROM quote_schedule s JOIN milestones m ON m.id = s.milestone_id
         WHERE s.quote_id = ?1 ORDER BY coalesce(m.due_on, 1e18), m.id",
    )?;
    quote.schedule = stmt
        .query_map([quote.id], |r| {
            Ok(ScheduleLine {
                milestone_id: r.get(0)?,
                milestone: r.get(1)?,
                due_on: r.get(2)?,
                share_bp: r.get(3)?,
                amount_idr: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(quote)
}

/// Creates (`id` None) or rewrites a draft quote of `project_id`; the shares follow
/// `milestones`' order. `Ok(None)`: no such draft (sent quotes are not edited).
pub fn save_quote(
    conn: &Connection,
    project_id: i64,
    id: Option<i64>,
    input: &QuoteInput,
    notes_html: &TrustedHtml,
    milestones: &[Milestone],
    staff: i64,
) -> Result<Option<i64>, DbError> {
    let (t, total) = (now(), input.total());
    let id = match id {
        None => conn
            .prepare_cached(
                "INSERT INTO quotes (project_id, title, notes_md, notes_html, total_idr, valid_until, status, created_by, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'draft', ?7, ?8, ?8) RETURNING id",
            )?
            .query_row(
                params![project_id, input.title, input.notes_md, notes_html, total, input.valid_until, staff, t],
                |r| r.get(0),
            )?,
        Some(id) => {
            let changed = conn
                .prepare_cached(
                    "UPDATE quotes SET title = ?3, notes_md = ?4, notes_html = ?5, total_idr = ?6, valid_until = ?7, updated_at = ?8
                     WHERE id = ?1 AND project_id = ?2 AND status = 'draft'",
                )?
                .execute(params![id, project_id, input.title, input.notes_md, notes_html, total, input.valid_until, t])?;
            if changed == 0 {
                return Ok(None);
            }
            id
        }
    };
    insert_items(conn, "quote_items", "quote_id", id, &input.items)?;
    conn.prepare_cached("DELETE FROM quote_schedule WHERE quote_id = ?1")?.execute([id])?;
    let amounts = split(total, &input.shares);
    let mut stmt = conn.prepare_cached(
        "INSERT INTO quote_schedule (quote_id, milestone_id, share_bp, amount_idr) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for ((m, bp), amount) in milestones.iter().zip(&input.shares).zip(amounts) {
        if *bp > 0 {
            stmt.execute(params![id, m.id, bp, amount])?;
        }
    }
    Ok(Some(id))
}

pub fn quote(conn: &Connection, id: i64) -> Result<Option<Quote>, DbError> {
    let found = conn
        .prepare_cached(&format!(
            "SELECT {QUOTE_COLUMNS} FROM quotes q LEFT JOIN users u ON u.id = q.decided_by WHERE q.id = ?1"
        ))?
        .query_row([id], quote_from_row)
        .optional()?;
    found.map(|q| with_details(conn, q)).transpose()
}

/// A project's quotes, newest first; `with_drafts` false for the client's eyes.
pub fn quotes_of(conn: &Connection, project_id: i64, with_drafts: bool) -> Result<Vec<Quote>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {QUOTE_COLUMNS} FROM quotes q LEFT JOIN users u ON u.id = q.decided_by
         WHERE q.project_id = ?1 AND (?2 OR q.status <> 'draft') ORDER BY q.created_at DESC, q.id DESC"
    ))?;
    let rows = stmt.query_map(params![project_id, with_drafts], quote_from_row)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(|q| with_details(conn, q)).collect()
}

/// Moves a quote from `from` to `to` (sending, withdrawing): whether it moved.
pub fn move_quote(conn: &Connection, id: i64, from: &[QuoteStatus], to: QuoteStatus) -> Result<bool, DbError> {
    let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
    let changed = conn
        .prepare_cached(
            "UPDATE quotes SET status = ?2, updated_at = ?3, sent_at = CASE WHEN ?2 = 'sent' THEN ?3 ELSE sent_at END
             WHERE id = ?1 AND status IN (SELECT value FROM json_each(?4))",
        )?
        .execute(params![id, to.as_str(), now(), serde_json::to_string(&from).unwrap_or_default()])?;
    Ok(changed == 1)
}

/// The client's answer, once: whether this call decided it (a sent quote only).
pub fn decide_quote(
    conn: &Connection,
    id: i64,
    accepted: bool,
    user_id: i64,
    ip: &str,
    reason: &str,
) -> Result<bool, DbError> {
    let status = if accepted { QuoteStatus::Accepted } else { QuoteStatus::Declined };
    let t = now();
    Ok(conn
        .prepare_cached(
            "UPDATE quotes SET status = ?2, decided_at = ?3, decided_by = ?4, decided_ip = ?5, decline_reason = ?6, updated_at = ?3
             WHERE id = ?1 AND status = 'sent'",
        )?
        .execute(params![id, status.as_str(), t, user_id, ip, reason])?
        == 1)
}

// ---- invoices --------------------------------------------------------------

const INVOICE_SELECT: &str = "SELECT i.id, i.project_id, p.name, c.id, c.name, c.billing_address, c.tax_id, m.title,
     i.number, i.title, i.total_idr, i.tax_rate_bp, i.tax_idr, i.due_on, i.status, i.sent_at, i.paid_at, i.paid_via, i.paid_note,
     i.usd_cents, c.lang
     FROM invoices i JOIN projects p ON p.id = i.project_id JOIN clients c ON c.id = p.client_id
     LEFT JOIN milestones m ON m.id = i.milestone_id";

fn invoice_from_row(r: &Row<'_>) -> rusqlite::Result<Invoice> {
    let status: String = r.get(14)?;
    Ok(Invoice {
        id: r.get(0)?,
        project_id: r.get(1)?,
        project_name: r.get(2)?,
        client_id: r.get(3)?,
        client_name: r.get(4)?,
        client_address: r.get(5)?,
        client_tax_id: r.get(6)?,
        milestone: r.get(7)?,
        number: r.get(8)?,
        title: r.get(9)?,
        total_idr: r.get(10)?,
        tax_rate_bp: r.get(11)?,
        tax_idr: r.get(12)?,
        due_on: r.get(13)?,
        status: InvoiceStatus::parse(&status).unwrap_or(InvoiceStatus::Draft),
        sent_at: r.get(15)?,
        paid_at: r.get(16)?,
        paid_via: r.get(17)?,
        paid_note: r.get(18)?,
        usd_cents: r.get(19)?,
        items: Vec::new(),
        lang: crate::domain::Lang::parse(&r.get::<_, String>(20)?).unwrap_or_default(),
    })
}

/// A draft invoice for one milestone's share of an accepted quote; the PPN its
/// total includes at `tax_rate_bp` is kept with it.
pub fn create_draft(
    conn: &Connection,
    project_id: i64,
    quote: &Quote,
    line: &ScheduleLine,
    tax_rate_bp: i64,
    tax_idr: i64,
) -> Result<i64, DbError> {
    let t = now();
    let title = format!("{}: {}", quote.title, line.milestone);
    let id: i64 = conn
        .prepare_cached(
            "INSERT INTO invoices (project_id, milestone_id, quote_id, title, total_idr, tax_rate_bp, tax_idr, due_on, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'draft', ?9, ?9) RETURNING id",
        )?
        .query_row(
            params![project_id, line.milestone_id, quote.id, title, line.amount_idr, tax_rate_bp, tax_idr, line.due_on, t],
            |r| r.get(0),
        )?;
    let item = LineItem {
        description: format!(
            "{} — {} of \"{}\"",
            line.milestone,
            crate::domain::billing::percent_label(line.share_bp),
            quote.title
        ),
        quantity: 1,
        unit_idr: line.amount_idr,
        amount_idr: line.amount_idr,
    };
    insert_items(conn, "invoice_items", "invoice_id", id, &[item])?;
    Ok(id)
}

pub fn invoice(conn: &Connection, id: i64) -> Result<Option<Invoice>, DbError> {
    let found = conn
        .prepare_cached(&format!("{INVOICE_SELECT} WHERE i.id = ?1"))?
        .query_row([id], invoice_from_row)
        .optional()?;
    let Some(mut invoice) = found else { return Ok(None) };
    invoice.items = items(conn, "invoice_items", "invoice_id", id)?;
    Ok(Some(invoice))
}

/// One invoice the client can see (sent at least), only if it is `client_id`'s.
pub fn invoice_for_client(conn: &Connection, client_id: i64, id: i64) -> Result<Option<Invoice>, DbError> {
    Ok(invoice(conn, id)?.filter(|i| i.client_id == client_id && i.status != InvoiceStatus::Draft))
}

/// Invoices, by project or client or all; drafts only for staff.
pub fn invoices(
    conn: &Connection,
    project_id: Option<i64>,
    client_id: Option<i64>,
    with_drafts: bool,
) -> Result<Vec<Invoice>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{INVOICE_SELECT} WHERE (?1 IS NULL OR i.project_id = ?1) AND (?2 IS NULL OR c.id = ?2) AND (?3 OR i.status <> 'draft')
         ORDER BY i.id DESC LIMIT 500"
    ))?;
    let rows = stmt
        .query_map(params![project_id, client_id, with_drafts], invoice_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A page of every invoice for staff (drafts too), newest first by id.
pub fn invoices_page(conn: &Connection, at: PageAt) -> Result<Page<Invoice>, DbError> {
    let (cmp, order) = if at.ascending() { (">", "ASC") } else { ("<", "DESC") };
    let (after, cursor) = match at {
        PageAt::Before(c) | PageAt::After(c) => (format!(" WHERE i.id {cmp} ?1"), vec![c.id]),
        PageAt::First => (String::new(), Vec::new()),
    };
    let sql = format!("{INVOICE_SELECT}{after} ORDER BY i.id {order} LIMIT {}", PAGE_SIZE + 1);
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(cursor), invoice_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_rows(rows, at, |i| Cursor { at: i.id, id: i.id }))
}

/// A page of a client's invoices (never drafts; only the open ones with `open_only`),
/// newest first by id.
pub fn invoices_page_for_client(
    conn: &Connection,
    client_id: i64,
    open_only: bool,
    at: PageAt,
) -> Result<Page<Invoice>, DbError> {
    let (cmp, order) = if at.ascending() { (">", "ASC") } else { ("<", "DESC") };
    let mut args = vec![client_id];
    // Through the client's projects (`projects_client`, then `invoices_project`): a
    // client has few invoices among every client's thousands; the unary `+` keeps
    // SQLite from walking every open invoice of the studio instead.
    let mut sql = format!(
        "{INVOICE_SELECT} WHERE i.project_id IN (SELECT id FROM projects WHERE client_id = ?1) AND +i.status <> 'draft'"
    );
    if open_only {
        sql += " AND +i.status IN ('sent', 'overdue')";
    }
    if let PageAt::Before(c) | PageAt::After(c) = at {
        sql += &format!(" AND i.id {cmp} ?2");
        args.push(c.id);
    }
    sql += &format!(" ORDER BY i.id {order} LIMIT {}", PAGE_SIZE + 1);
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(args), invoice_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_rows(rows, at, |i| Cursor { at: i.id, id: i.id }))
}

/// Sends a draft: it takes the next number of the Jakarta year of `at` under this
/// transaction's write lock (no gaps, no doubles), its due date and what PayPal
/// may charge for it. The number, or None if it was not a draft.
pub fn send(
    conn: &Connection,
    id: i64,
    due_on: i64,
    usd_cents: Option<i64>,
    at: i64,
) -> Result<Option<String>, DbError> {
    let year = crate::domain::time::civil_from_days(crate::domain::time::jakarta_day(at)).0;
    Ok(conn
        .prepare_cached(
            "UPDATE invoices SET status = 'sent', sent_at = ?3, due_on = ?4, usd_cents = ?5, updated_at = ?3, year = ?2,
                 seq = (SELECT coalesce(max(seq), 0) + 1 FROM invoices WHERE year = ?2),
                 number = printf('INV-%04d-%04d', ?2, (SELECT coalesce(max(seq), 0) + 1 FROM invoices WHERE year = ?2))
             WHERE id = ?1 AND status = 'draft' RETURNING number",
        )?
        .query_row(params![id, year, at, due_on, usd_cents], |r| r.get(0))
        .optional()?)
}

/// Marks an open invoice paid (online by `order_id`, or by transfer with staff's
/// note): whether it was open.
pub fn mark_paid(
    conn: &Connection,
    id: i64,
    via: &str,
    note: &str,
    order_id: Option<i64>,
    at: i64,
) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached(
            "UPDATE invoices SET status = 'paid', paid_at = ?3, paid_via = ?2, paid_note = ?4, paid_order_id = ?5, updated_at = ?3
             WHERE id = ?1 AND status IN ('sent', 'overdue')",
        )?
        .execute(params![id, via, at, note, order_id])?
        == 1)
}

/// Opens again an invoice whose online payment by `order_id` was refunded (sent,
/// or overdue if its due day has passed): whether it was paid by that order.
pub fn reopen_refunded(conn: &Connection, id: i64, order_id: i64) -> Result<bool, DbError> {
    let t = now();
    let today_start = crate::domain::time::jakarta_day_start(crate::domain::time::jakarta_day(t));
    Ok(conn
        .prepare_cached(
            "UPDATE invoices SET status = CASE WHEN due_on IS NOT NULL AND due_on <= ?3 - 86400 + 25200 THEN 'overdue' ELSE 'sent' END,
                 paid_at = NULL, paid_via = NULL, paid_order_id = NULL, updated_at = ?4
             WHERE id = ?1 AND status = 'paid' AND paid_order_id = ?2",
        )?
        .execute(params![id, order_id, today_start, t])?
        == 1)
}

/// Voids an open invoice (its number stays taken): whether it was open.
pub fn void(conn: &Connection, id: i64) -> Result<bool, DbError> {
    let t = now();
    Ok(conn
        .prepare_cached(
            "UPDATE invoices SET status = 'void', voided_at = ?2, updated_at = ?2 WHERE id = ?1 AND status IN ('sent', 'overdue')",
        )?
        .execute(params![id, t])?
        == 1)
}

/// Marks a sent invoice overdue: whether it was sent.
pub fn mark_overdue(conn: &Connection, id: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("UPDATE invoices SET status = 'overdue', updated_at = ?2 WHERE id = ?1 AND status = 'sent'")?
        .execute(params![id, now()])?
        == 1)
}

/// The invoice an order pays, if it pays one.
pub fn invoice_of_order(conn: &Connection, order_id: i64) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached("SELECT invoice_id FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// A pending payment of `invoice_id` by `user_id` through `gateway` started after
/// `since`, to reuse instead of starting another.
pub fn pending_payment(
    conn: &Connection,
    invoice_id: i64,
    user_id: i64,
    gateway: &str,
    since: i64,
) -> Result<Option<String>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT public_id FROM orders WHERE invoice_id = ?1 AND user_id = ?2 AND gateway = ?3 AND status = 'pending'
               AND created_at >= ?4 AND gateway <> 'sandbox' ORDER BY id DESC LIMIT 1",
        )?
        .query_row(params![invoice_id, user_id, gateway, since], |r| r.get(0))
        .optional()?)
}

/// A pending order that pays `invoice` in full: in rupiah, or in US cents through PayPal.
pub fn create_payment(
    conn: &Connection,
    user_id: i64,
    invoice: &Invoice,
    gateway: crate::domain::orders::Gateway,
) -> Result<super::orders::OrderRow, DbError> {
    let t = now();
    let (amount, currency) = match (gateway, invoice.usd_cents) {
        (crate::domain::orders::Gateway::Paypal, Some(cents)) => (cents, "USD"),
        _ => (invoice.total_idr, "IDR"),
    };
    let name = format!("Invoice {}", invoice.label());
    loop {
        let public_id = super::orders::new_public_id(t)?;
        let inserted = conn
            .prepare_cached(
                "INSERT INTO orders (public_id, user_id, invoice_id, product_name, amount, currency, gateway, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?8, ?6, 'pending', ?7, ?7)
                 ON CONFLICT (public_id) DO NOTHING RETURNING id",
            )?
            .query_row(params![public_id, user_id, invoice.id, name, amount, gateway.as_str(), t, currency], |r| {
                r.get::<_, i64>(0)
            })
            .optional()?;
        if let Some(id) = inserted {
            return Ok(super::orders::by_id(conn, id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?);
        }
    }
}

/// Sent invoices due on or before `day_start` (a Jakarta day's start) still unpaid.
pub fn open_due(conn: &Connection, before: i64) -> Result<Vec<i64>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM invoices WHERE status IN ('sent', 'overdue') AND due_on IS NOT NULL AND due_on < ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([before], |r| r.get(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

// ---- the timeline ----------------------------------------------------------

/// Adds an entry to a project's activity (call it in the transaction of the change).
/// `summary` is the line in English (staff's, the API's); `values` what each reader's
/// words are made from (`ProjectEvent::values`).
pub fn record_event(
    conn: &Connection,
    project_id: i64,
    actor: Option<i64>,
    (kind, summary): (&str, &str),
    values: &[(&str, String)],
) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO project_events (project_id, at, actor_id, kind, summary, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![project_id, now(), actor, kind, summary, super::event_values(values)])?;
    Ok(())
}

/// A project's activity, newest first.
pub fn events(conn: &Connection, project_id: i64) -> Result<Vec<ProjectEvent>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.at, e.kind, e.summary, u.name, e.data FROM project_events e LEFT JOIN users u ON u.id = e.actor_id
         WHERE e.project_id = ?1 ORDER BY e.at DESC, e.id DESC LIMIT 200",
    )?;
    const WHY: &[&str] = &["reason", "online", "transfer", "due", "late", "note"];
    let rows = stmt
        .query_map([project_id], |r| {
            let kind: String = r.get(1)?;
            let data: Option<String> = r.get(4)?;
            let values =
                data.and_then(|d| super::read_event_values(&d, &kind, (ProjectEvent::KINDS, WHY))).unwrap_or_default();
            Ok(ProjectEvent { at: r.get(0)?, kind, summary: r.get(2)?, actor: r.get(3)?, values })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
