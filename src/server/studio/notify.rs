//! Telling the studio about a sale: every paid order mails `ADMIN_NOTIFY_EMAIL`
//! and is an `order.paid` event for the webhook endpoints listening to it
//! (`server::studio::webhooks`; `NOTIFY_WEBHOOK_URL` is one of them). Both are
//! queued in the payment's own transaction, once per order, and sent by the job
//! queue with its retries.
//!
//! The signature is `X-Atelier-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`
//! over `"<t>.<body>"` with the endpoint's secret: the receiver recomputes it and
//! refuses a stale `t` (a replay).

use crate::server::config::Config;
use crate::server::db::{orders::OrderRow, DbError};
use crate::server::jobs::{self, JobKind};
use crate::server::mail::templates;
use rusqlite::Connection;

/// The signature scheme, where tests of the new-order notice look for it.
pub use super::webhooks::signature;

/// Queues the notices of a paid order (`buyer` is its email and name), in the
/// caller's transaction; a second call for the same order adds nothing.
pub fn queue_order_paid(
    conn: &Connection,
    config: &Config,
    studio: &crate::domain::settings::StudioSettings,
    order: &OrderRow,
    buyer: (&str, &str),
    paid_at: i64,
) -> Result<(), DbError> {
    for (i, to) in super::settings::notify_recipients(studio, config).iter().enumerate() {
        let lang = match crate::server::db::users::account_lang(conn, to)? {
            Some(lang) => lang,
            None => studio.language,
        };
        let mail = templates::new_order_notice(config, lang, to, order, buyer.0, buyer.1);
        let key = if i == 0 { format!("order-notice:{}", order.id) } else { format!("order-notice:{}:{to}", order.id) };
        jobs::enqueue(conn, JobKind::SendEmail, &mail, Some(&key))?;
    }
    super::webhooks::emit(
        conn,
        crate::domain::webhooks::Event::OrderPaid,
        &order.public_id,
        paid_at,
        super::webhooks::order_fields(config, order, buyer),
    )?;
    Ok(())
}
