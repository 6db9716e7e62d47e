//! Telling the studio about a sale: every paid order mails `ADMIN_NOTIFY_EMAIL`
//! and, when `NOTIFY_WEBHOOK_URL` is set, is POSTed as a signed JSON event (for a
//! chat or WhatsApp gateway). Both are queued in the payment's own transaction,
//! once per order, and sent by the job queue with its retries.
//!
//! The signature is `X-Atelier-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`
//! over `"<t>.<body>"` with `NOTIFY_WEBHOOK_SECRET`: the receiver recomputes it and
//! refuses a stale `t` (a replay).

use crate::server::config::{Config, NotifyWebhook};
use crate::server::db::{orders::OrderRow, DbError};
use crate::server::jobs::{self, JobError, JobKind};
use crate::server::mail::templates;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use std::time::Duration;

pub const SIGNATURE_HEADER: &str = "X-Atelier-Signature";
pub const EVENT_HEADER: &str = "X-Atelier-Event";
pub const DELIVERY_HEADER: &str = "X-Atelier-Delivery";

/// The payload of a `notify_webhook` job: one event, as it will be sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WebhookJob {
    pub event: String,
    /// Unique per event: receivers can drop a repeat (a retry after a lost answer).
    pub delivery_id: String,
    pub payload: serde_json::Value,
}

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
        let mail = templates::new_order_notice(config, to, order, buyer.0, buyer.1);
        let key = if i == 0 { format!("order-notice:{}", order.id) } else { format!("order-notice:{}:{to}", order.id) };
        jobs::enqueue(conn, JobKind::SendEmail, &mail, Some(&key))?;
    }
    if config.notify_webhook.is_some() {
        let job = WebhookJob {
            event: "order.paid".into(),
            delivery_id: format!("order.paid:{}", order.public_id),
            payload: serde_json::json!({
                "event": "order.paid",
                "created_at": paid_at,
                "order": {
                    "id": order.public_id,
                    "product": order.product_name,
                    "amount": order.amount,
                    "currency": order.currency,
                    "gateway": order.gateway.as_str(),
                    "url": config.url(&format!("/admin/orders/{}", order.public_id)),
                },
                "buyer": { "email": buyer.0, "name": buyer.1 },
            }),
        };
        jobs::enqueue(conn, JobKind::NotifyWebhook, &job, Some(&format!("order-webhook:{}", order.id)))?;
    }
    Ok(())
}

/// `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
pub fn signature(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    use hmac::{Mac, SimpleHmac};
    let mut mac = <SimpleHmac<sha2::Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={timestamp},v1={}", hex::encode(mac.finalize().into_bytes()))
}

fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("atelier/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default()
    })
}

/// The `notify_webhook` job: one signed POST. A 2xx is done; a 429 or 5xx or no
/// answer is retried with back-off; any other 4xx is the receiver refusing it for good.
pub async fn send(config: &Config, now: i64, job: WebhookJob) -> Result<(), JobError> {
    let Some(NotifyWebhook { url, secret }) = config.notify_webhook.clone() else {
        return Ok(()); // turned off since it was queued
    };
    let body = serde_json::to_vec(&job.payload)?;
    let timestamp = now;
    let res = client()
        .post(&url)
        .header("Content-Type", "application/json")
        .header(EVENT_HEADER, &job.event)
        .header(DELIVERY_HEADER, &job.delivery_id)
        .header(SIGNATURE_HEADER, signature(secret.expose().as_bytes(), timestamp, &body))
        .body(body)
        .send()
        .await
        .map_err(|e| {
            JobError::Transient(anyhow::Error::new(e).context("the notification webhook could not be reached"))
        })?;
    let status = res.status();
    if status.is_success() {
        tracing::info!(event = %job.event, delivery = %job.delivery_id, "notification webhook delivered");
        return Ok(());
    }
    let error = anyhow::anyhow!("the notification webhook answered HTTP {}", status.as_u16());
    if status.as_u16() == 429 || status.is_server_error() {
        Err(JobError::Transient(error))
    } else {
        Err(JobError::Permanent(error))
    }
}
