//! The mails of a payment that is not made yet: how to pay (once, when the order is
//! created with a gateway), one reminder six hours before its deadline, and one when
//! it expires or fails, with a way to try again. Each is sent once (a dedupe key per
//! order) and never after the order is paid: the reminder looks at the order when
//! it runs, and the expiry mail is queued only by the move to expired or failed.

use crate::domain::orders::{Gateway, OrderStatus, PaymentInstructions};
use crate::server::config::Config;
use crate::server::db::{self, orders, orders::OrderRow, DbError};
use crate::server::jobs::{self, JobError, JobKind};
use crate::server::mail::templates;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

/// How long a payment stays open when the gateway gives no deadline of its own
/// (Midtrans Snap is created with 24 hours; a PayPal approval is asked to be done in a day).
pub const PAYMENT_WINDOW_SECS: i64 = 24 * 3600;
/// How long before the deadline the one reminder goes out.
pub const REMINDER_BEFORE_SECS: i64 = 6 * 3600;

/// The reminder job's payload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reminder {
    pub order_id: i64,
    pub deadline: i64,
}

/// Queues how to pay `order` (to `continue_url` for Snap and PayPal; the account or
/// QRIS of `instructions` for a transfer) and the reminder before its deadline.
/// Call it once the gateway has created the payment; the sandbox gets neither.
pub fn payment_started(
    conn: &Connection,
    config: &Config,
    order: &OrderRow,
    continue_url: &str,
    instructions: Option<&PaymentInstructions>,
    now: i64,
) -> Result<(), DbError> {
    if order.gateway == Gateway::Sandbox {
        return Ok(());
    }
    let deadline = instructions.and_then(|i| i.expires_at).unwrap_or(now + PAYMENT_WINDOW_SECS);
    let (email, name, lang) = db::users::recipient(conn, order.user_id)?;
    let how = templates::payment_instructions(config, lang, &email, &name, order, deadline, continue_url, instructions);
    jobs::enqueue(conn, JobKind::SendEmail, &how, Some(&format!("payment-instructions:{}", order.id)))?;
    if deadline - REMINDER_BEFORE_SECS > now {
        jobs::enqueue_with(
            conn,
            JobKind::PaymentReminder,
            &Reminder { order_id: order.id, deadline },
            jobs::Options {
                dedupe_key: Some(&format!("payment-reminder:{}", order.id)),
                run_at: Some(deadline - REMINDER_BEFORE_SECS),
                ..jobs::Options::default()
            },
        )?;
    }
    Ok(())
}

/// The reminder job: mails the buyer if the order still waits for its payment.
pub async fn run_reminder(db: &db::Db, config: &Config, job: Reminder) -> Result<(), JobError> {
    let config = config.clone();
    db.run(move |c| -> Result<(), DbError> {
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let Some(order) = orders::by_id(&tx, job.order_id)? else { return Ok(()) };
        if order.status != OrderStatus::Pending || job.deadline <= db::now() {
            return Ok(()); // paid, failed, expired or past its time: nothing to remind of
        }
        let (email, name, lang) = db::users::recipient(&tx, order.user_id)?;
        let mail = templates::payment_reminder(&config, lang, &email, &name, &order, job.deadline);
        jobs::enqueue(&tx, JobKind::SendEmail, &mail, Some(&format!("payment-reminded:{}", order.id)))?;
        tx.commit()?;
        Ok(())
    })
    .await?;
    Ok(())
}

/// Queues the mail of a payment that did not go through (`status`: expired or failed),
/// with a link to try again. Call it in the transaction that moved the order.
pub fn payment_ended(conn: &Connection, config: &Config, order: &OrderRow, status: OrderStatus) -> Result<(), DbError> {
    if order.gateway == Gateway::Sandbox || order.invoice_id.is_some() {
        return Ok(());
    }
    let (email, name, lang) = db::users::recipient(conn, order.user_id)?;
    let retry = match db::catalog::by_id(conn, order.product_id)? {
        Some(product) => config.url(&product.path()),
        None => config.url("/products"),
    };
    let mail = templates::payment_not_completed(config, lang, &email, &name, order, status, &retry);
    jobs::enqueue(conn, JobKind::SendEmail, &mail, Some(&format!("payment-ended:{}", order.id)))?;
    Ok(())
}
