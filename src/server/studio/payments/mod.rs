//! Payments: the gateways (Midtrans Snap, PayPal Orders v2, a local sandbox) and
//! the one place where a payment event changes an order.
//!
//! `apply` records the event, moves the order (never backwards) and enqueues the
//! buyer's mail and the delivery job in ONE immediate SQLite transaction, keyed
//! by the event's idempotency key: repeated, concurrent or out-of-order
//! notifications pay once, deliver once, and never un-pay.

pub mod gateways;
pub mod ipaymu;
pub mod midtrans;
pub mod paypal;
pub mod provider;
pub mod status_mail;
pub mod transfer;

use crate::domain::orders::{Gateway, OrderStatus};
use crate::domain::time::format_time;
use crate::server::config::Config;
use crate::server::db::{self, orders, orders::OrderRow, DbError};
use crate::server::{jobs, mail};
pub use gateways::Gateways;
pub use provider::{GatewayError, Outcome};
use rusqlite::{Connection, TransactionBehavior};

/// A payment event about to be applied.
#[derive(Debug, Clone)]
pub struct PaymentEvent {
    pub gateway: Gateway,
    /// Unique per real-world event: applying the same key twice does nothing.
    pub event_key: String,
    pub outcome: Outcome,
    pub note: String,
    pub raw: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The order moved to this status.
    Changed(OrderStatus),
    /// Recorded; the order stays as it is (e.g. a late `pending`).
    Unchanged,
    /// This event was already recorded: nothing happened.
    Duplicate,
}

/// Records `event` for `order` and applies it, in one immediate transaction.
pub fn apply(
    conn: &mut Connection,
    config: &Config,
    order: &OrderRow,
    event: &PaymentEvent,
) -> Result<Applied, DbError> {
    let applied = apply_event(conn, config, order, event)?;
    let result = match applied {
        Applied::Changed(_) => "changed",
        Applied::Unchanged => "unchanged",
        Applied::Duplicate => "duplicate",
    };
    metrics::counter!("atelier_payment_events_total",
        "gateway" => event.gateway.as_str(), "outcome" => event.outcome.as_str(), "result" => result)
    .increment(1);
    Ok(applied)
}

fn apply_event(
    conn: &mut Connection,
    config: &Config,
    order: &OrderRow,
    event: &PaymentEvent,
) -> Result<Applied, DbError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let t = db::now();
    let recorded = orders::record_payment_event(
        &tx,
        &orders::NewPaymentEvent {
            order_id: Some(order.id),
            gateway: event.gateway,
            event_key: &event.event_key,
            outcome: event.outcome.as_str(),
            note: &event.note,
            raw: &event.raw,
            at: t,
        },
    )?;
    let Some(event_id) = recorded else { return Ok(Applied::Duplicate) };
    if let Outcome::PartialRefund { refunded } = event.outcome {
        partial_refund(&tx, config, order, refunded)?;
        tx.commit()?;
        return Ok(Applied::Unchanged);
    }
    let Some(target) = event.outcome.target() else {
        tx.commit()?;
        return Ok(Applied::Unchanged);
    };
    if !orders::move_status(&tx, order.id, target, t)? {
        tx.commit()?;
        return Ok(Applied::Unchanged);
    }
    orders::mark_event_applied(&tx, event_id)?;
    if let Some(invoice_id) = order.invoice_id {
        // The payment of a client's invoice: the invoice is paid in this same
        // transaction; there is nothing to deliver and no receipt (the invoice is it).
        match target {
            OrderStatus::Paid => {
                let paid = super::billing::Payment { via: "online", note: "", order: Some(order), actor: None, at: t };
                super::billing::record_paid(&tx, config, invoice_id, paid)?;
            }
            OrderStatus::Refunded => super::billing::record_refunded(&tx, invoice_id, order)?,
            _ => {}
        }
        tx.commit()?;
        tracing::info!(order = %order.public_id, invoice = invoice_id, status = %target, "invoice payment status changed");
        return Ok(Applied::Changed(target));
    }
    let (buyer_email, buyer_name, buyer_lang) = crate::server::db::users::recipient(&tx, order.user_id)?;
    let buyer = (buyer_email, buyer_name);
    match target {
        OrderStatus::Paid => {
            // The receipt's number is taken here, under this transaction's lock: no gaps, no doubles.
            crate::server::db::receipts::issue(&tx, order.id, t)?;
            // The coupon's use is counted here, once: the order held it since checkout. A
            // payment after its hold lapsed may take a use past the limit: it is accepted
            // (the money is real) and staff are told, on the order and in the audit log.
            if let Some(over) = crate::server::db::coupons::spend(&tx, order.id)? {
                let notice = format!(
                    "Coupon {} was used {} times, past its limit of {}: this payment came after the order's hold \
                     on a use lapsed. The payment was accepted.",
                    over.code, over.uses, over.max_uses
                );
                orders::set_staff_notice(&tx, order.id, Some(&notice))?;
                crate::server::db::audit::record(
                    &tx,
                    None,
                    "coupon.over_limit",
                    &format!("order:{}", order.public_id),
                    &notice,
                )?;
                tracing::warn!(order = %order.public_id, coupon = %over.code, uses = over.uses, "a coupon was used past its limit");
            }
            // The studio's settings as this transaction sees them: the receipt and the notice use them.
            let studio = super::settings::load(&tx, config)?;
            super::notify::queue_order_paid(&tx, config, &studio, order, (&buyer.0, &buyer.1), t)?;
            let paid = super::subscriptions::on_paid(&tx, order, t)?;
            let logo = super::settings::letterhead(&tx)?;
            let receipt = crate::server::db::receipts::by_order(&tx, &order.public_id)?
                .map(|r| super::receipts::attachment(&studio, logo.as_ref(), &r));
            if let super::subscriptions::Paid::Renewed { subscription, until } = paid {
                // A renewal extends the subscription; its access was delivered with the first period.
                super::subscriptions::queue_renewed_mail(&tx, config, &subscription, until, order.id, receipt)?;
                super::webhooks::emit(
                    &tx,
                    crate::domain::webhooks::Event::SubscriptionRenewed,
                    &order.public_id,
                    t,
                    serde_json::json!({ "subscription": {
                        "id": subscription.public_id,
                        "order": order.public_id,
                        "period_end": until,
                        "buyer": { "email": buyer.0, "name": buyer.1 },
                    }}),
                )?;
                tx.commit()?;
                tracing::info!(order = %order.public_id, subscription = %subscription.public_id, "subscription renewed");
                return Ok(Applied::Changed(target));
            }
            if let super::subscriptions::Paid::Upgraded { subscription, applied } = paid {
                // An upgrade changes the plan; the access was delivered with the first period.
                if applied {
                    super::subscriptions::queue_upgraded_mail(&tx, config, &subscription, order.id, receipt)?;
                }
                tx.commit()?;
                tracing::info!(order = %order.public_id, subscription = %subscription.public_id, applied, "subscription upgraded");
                return Ok(Applied::Changed(target));
            }
            let mut message = mail::templates::order_confirmed(config, buyer_lang, &buyer.0, &buyer.1, order);
            message.attachments.extend(receipt);
            jobs::enqueue(&tx, jobs::JobKind::SendEmail, &message, Some(&format!("order-confirmed:{}", order.id)))?;
            jobs::enqueue_with(
                &tx,
                jobs::JobKind::DeliverOrder,
                &super::delivery::OrderJob { order_id: order.id },
                jobs::Options {
                    dedupe_key: Some(&format!("deliver:{}", order.id)),
                    group: Some(&super::delivery::order_group(order.id)),
                    ..jobs::Options::default()
                },
            )?;
        }
        OrderStatus::Refunded => {
            let message = mail::templates::order_refunded(config, buyer_lang, &buyer.0, &buyer.1, order);
            super::webhooks::emit(
                &tx,
                crate::domain::webhooks::Event::OrderRefunded,
                &order.public_id,
                t,
                super::webhooks::order_fields(config, order, (&buyer.0, &buyer.1)),
            )?;
            jobs::enqueue(&tx, jobs::JobKind::SendEmail, &message, Some(&format!("order-refunded:{}", order.id)))?;
            // In the order's group: it never starts before the delivery has finished.
            super::delivery::enqueue_revoke(&tx, order.id)?;
            super::subscriptions::on_refunded(&tx, order, t)?;
        }
        OrderStatus::Expired | OrderStatus::Failed => status_mail::payment_ended(&tx, config, order, target)?,
        _ => {}
    }
    tx.commit()?;
    tracing::info!(order = %order.public_id, status = %target, at = %format_time(t), "order status changed");
    Ok(Applied::Changed(target))
}

/// A partial refund of a paid order: the amount is recorded and staff are told (on the
/// order, in the audit log, by mail); access, the order's status and a paid invoice stay
/// as they are until staff decide (withdraw access, or keep it) on the order page.
fn partial_refund(tx: &Connection, config: &Config, order: &OrderRow, refunded: i64) -> Result<(), DbError> {
    use crate::domain::{Currency, Money};
    if order.status != OrderStatus::Paid {
        return Ok(());
    }
    if refunded > 0 && !orders::record_refunded_amount(tx, order.id, refunded)? {
        return Ok(()); // an older report of a refund already recorded
    }
    let currency = Currency::parse(&order.currency).unwrap_or(Currency::Idr);
    let part = if refunded > 0 { Money { minor: refunded, currency }.to_string() } else { "part".to_owned() };
    let notice = format!(
        "{} refunded {part} of {} on {}. Nothing was withdrawn: withdraw access below if it should end, \
         or mark this handled to keep it.",
        order.gateway.label(),
        Money { minor: order.amount, currency },
        format_time(db::now()),
    );
    orders::set_staff_notice(tx, order.id, Some(&notice))?;
    db::audit::record(tx, None, "order.partial_refund", &format!("order:{}", order.public_id), &notice)?;
    let lang = super::settings::staff_language(tx, config, &config.admin_notify_email)?;
    let mail = mail::templates::partial_refund_notice(config, lang, order, &notice);
    jobs::enqueue(tx, jobs::JobKind::SendEmail, &mail, Some(&format!("partial-refund:{}:{refunded}", order.id)))?;
    tracing::warn!(order = %order.public_id, refunded, "a paid order was partly refunded: staff decide");
    Ok(())
}

/// Records an event that could not be tied to an acceptable order (forged, unknown order).
pub fn record_refused(
    conn: &Connection,
    gateway: Gateway,
    order_id: Option<i64>,
    note: &str,
    raw: &[u8],
) -> Result<(), DbError> {
    metrics::counter!("atelier_payment_events_total",
        "gateway" => gateway.as_str(), "outcome" => "rejected", "result" => "refused")
    .increment(1);
    let raw = refused_excerpt(raw);
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce)?;
    orders::record_payment_event(
        conn,
        &orders::NewPaymentEvent {
            order_id,
            gateway,
            event_key: &format!("refused:{}", hex::encode(nonce)),
            outcome: "rejected",
            note,
            raw: &raw,
            at: db::now(),
        },
    )?;
    Ok(())
}

/// What is kept of a refused event's body: enough to investigate (the first 2 KB)
/// and its SHA-256, so anonymous senders cannot fill the disk.
pub fn refused_excerpt(raw: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    const KEEP: usize = 2048;
    let text = String::from_utf8_lossy(&raw[..raw.len().min(KEEP)]).into_owned();
    if raw.len() <= KEEP {
        return text;
    }
    format!("{text}\n[… {} bytes in all, sha256 {}]", raw.len(), hex::encode(Sha256::digest(raw)))
}
