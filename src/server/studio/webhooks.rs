//! Outgoing webhooks: an event is queued, in the transaction of what it tells,
//! once for each enabled endpoint listening to it; the job signs it with the
//! endpoint's secret and POSTs it (10 s at most, the answer read to 2 KB), logs
//! every try, and is retried with back-off on no answer, a 429 or a 5xx.
//!
//! Signature: `X-Atelier-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
//! `"<t>.<body>"` with the endpoint's secret; `X-Atelier-Event` names the event and
//! `X-Atelier-Delivery` is the event's id (the same on every retry and redelivery).

use crate::domain::webhooks::{is_public, Event};
use crate::server::config::Config;
use crate::server::db::{self, webhooks, DbError};
use crate::server::jobs::{self, JobError, JobKind};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

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
    /// The endpoint it goes to (`None`: queued by an older version, for `NOTIFY_WEBHOOK_URL`).
    #[serde(default)]
    pub endpoint_id: Option<i64>,
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

/// How much of a receiver's answer is kept in the log.
const EXCERPT: usize = 2048;
/// How long a receiver has to answer.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Queues `event` for every endpoint listening to it, once per endpoint and `id`,
/// in the caller's transaction. The payload is `{"event", "created_at"}` with the
/// fields of `fields` (a JSON object, e.g. `{"order": {...}}`).
pub fn emit(conn: &Connection, event: Event, id: &str, at: i64, fields: serde_json::Value) -> Result<(), DbError> {
    let endpoints = webhooks::listening(conn, event)?;
    if endpoints.is_empty() {
        return Ok(());
    }
    let mut payload = serde_json::json!({ "event": event.as_str(), "created_at": at });
    if let (Some(payload), serde_json::Value::Object(fields)) = (payload.as_object_mut(), fields) {
        payload.extend(fields);
    }
    let delivery_id = format!("{}:{id}", event.as_str());
    for endpoint in endpoints {
        let job = WebhookJob {
            event: event.as_str().to_owned(),
            delivery_id: delivery_id.clone(),
            payload: payload.clone(),
            endpoint_id: Some(endpoint),
        };
        jobs::enqueue(conn, JobKind::NotifyWebhook, &job, Some(&format!("webhook:{endpoint}:{delivery_id}")))?;
    }
    Ok(())
}

/// The `order` and `buyer` fields of an order's events.
pub fn order_fields(
    config: &Config,
    order: &crate::server::db::orders::OrderRow,
    buyer: (&str, &str),
) -> serde_json::Value {
    serde_json::json!({
        "order": {
            "id": order.public_id,
            "product": order.product_name,
            "amount": order.amount,
            "currency": order.currency,
            "gateway": order.gateway.as_str(),
            "url": config.url(&format!("/admin/orders/{}", order.public_id)),
        },
        "buyer": { "email": buyer.0, "name": buyer.1 },
    })
}

/// Staff's "Send test event": a `ping` to one endpoint, whatever it listens to.
pub fn queue_test(conn: &Connection, endpoint_id: i64, at: i64) -> Result<bool, DbError> {
    if webhooks::endpoint(conn, endpoint_id)?.is_none() {
        return Ok(false);
    }
    let id = format!("{}:{endpoint_id}:{at}", crate::domain::webhooks::TEST_EVENT);
    let job = WebhookJob {
        event: crate::domain::webhooks::TEST_EVENT.into(),
        delivery_id: id.clone(),
        payload: serde_json::json!({ "event": crate::domain::webhooks::TEST_EVENT, "created_at": at }),
        endpoint_id: Some(endpoint_id),
    };
    jobs::enqueue(conn, JobKind::NotifyWebhook, &job, Some(&format!("webhook:{endpoint_id}:{id}")))?;
    Ok(true)
}

/// Staff's "Redeliver": a logged event sent again as it was (the same id).
pub fn queue_redelivery(conn: &Connection, endpoint_id: i64, logged_id: i64, at: i64) -> Result<bool, DbError> {
    let Some((event, delivery_id, payload)) = webhooks::logged(conn, endpoint_id, logged_id)? else {
        return Ok(false);
    };
    let job = WebhookJob {
        event,
        delivery_id: delivery_id.clone(),
        payload: serde_json::from_str(&payload)?,
        endpoint_id: Some(endpoint_id),
    };
    jobs::enqueue(
        conn,
        JobKind::NotifyWebhook,
        &job,
        Some(&format!("webhook:{endpoint_id}:{delivery_id}:again:{logged_id}:{at}")),
    )?;
    Ok(true)
}

/// A new endpoint's signing secret.
pub fn new_secret() -> Result<String, DbError> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes)?;
    Ok(format!("whsec_{}", hex::encode(bytes)))
}

/// At start: `NOTIFY_WEBHOOK_URL` becomes (or updates) its endpoint.
pub fn adopt_env_endpoint(conn: &Connection, config: &Config) -> Result<(), DbError> {
    if let Some(env) = &config.notify_webhook {
        webhooks::upsert_from_env(conn, &env.url, env.secret.expose(), db::now())?;
    }
    Ok(())
}

/// The addresses `url`'s host may be reached at, each checked to be public; the
/// request then goes to exactly those (a name cannot resolve inward in between).
async fn public_addresses(url: &str) -> Result<(String, Vec<std::net::SocketAddr>), String> {
    let (host, port) =
        crate::domain::webhooks::host_and_port(url).ok_or_else(|| format!("{url} is not an http(s) address"))?;
    let host = host.to_owned();
    let found: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|e| format!("{host} could not be resolved: {e}"))?
        .collect();
    if found.is_empty() || found.iter().any(|a| !is_public(a.ip())) {
        return Err(format!("{host} resolves to an address on the studio's own network: refused"));
    }
    Ok((host, found))
}

/// The `notify_webhook` job: one signed POST to its endpoint, logged.
pub async fn send(db: &db::Db, config: &Config, now: i64, job: WebhookJob) -> Result<(), JobError> {
    let endpoint_id = match job.endpoint_id {
        Some(id) => Some(id),
        // Queued before endpoints existed: for NOTIFY_WEBHOOK_URL.
        None => db.read(webhooks::env_endpoint).await?,
    };
    let Some(endpoint_id) = endpoint_id else { return Ok(()) };
    let Some((url, secret)) = db.read(move |c| webhooks::target(c, endpoint_id)).await? else {
        return Ok(()); // disabled or deleted since it was queued
    };
    let body = serde_json::to_vec(&job.payload)?;
    let started = Instant::now();
    let mut client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("atelier/", env!("CARGO_PKG_VERSION")));
    let refused = if config.is_production() {
        match public_addresses(&url).await {
            Ok((host, addresses)) => {
                client = client.resolve_to_addrs(&host, &addresses);
                None
            }
            Err(why) => Some(why),
        }
    } else {
        None
    };
    let outcome = match refused {
        Some(why) => Err(why),
        None => {
            let client = client.build().map_err(|e| JobError::Permanent(anyhow::Error::new(e)))?;
            let sent = client
                .post(&url)
                .header("Content-Type", "application/json")
                .header(EVENT_HEADER, &job.event)
                .header(DELIVERY_HEADER, &job.delivery_id)
                .header(SIGNATURE_HEADER, signature(secret.as_bytes(), now, &body))
                .body(body.clone())
                .send()
                .await;
            match sent {
                Ok(mut res) => {
                    let status = res.status().as_u16();
                    let mut excerpt = Vec::new();
                    while excerpt.len() < EXCERPT {
                        match res.chunk().await {
                            Ok(Some(chunk)) => {
                                excerpt.extend_from_slice(&chunk[..chunk.len().min(EXCERPT - excerpt.len())])
                            }
                            _ => break,
                        }
                    }
                    Ok((status, String::from_utf8_lossy(&excerpt).into_owned()))
                }
                Err(err) => Err(crate::server::telemetry::chain(&err)),
            }
        }
    };
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let (status_code, response, error) = match &outcome {
        Ok((status, excerpt)) => (Some(i64::from(*status)), excerpt.clone(), String::new()),
        Err(why) => (None, String::new(), why.clone()),
    };
    let (event, delivery_id, payload) =
        (job.event.clone(), job.delivery_id.clone(), String::from_utf8_lossy(&body).into_owned());
    db.run(move |c| {
        webhooks::record_try(
            c,
            &webhooks::Try {
                endpoint_id,
                event: &event,
                delivery_id: &delivery_id,
                payload: &payload,
                status_code,
                duration_ms,
                response: &response,
                error: &error,
                at: now,
            },
        )
    })
    .await?;
    match outcome {
        Ok((status, _)) if (200..300).contains(&status) => {
            tracing::info!(event = %job.event, delivery = %job.delivery_id, endpoint = endpoint_id, "webhook delivered");
            Ok(())
        }
        Ok((status, _)) if status == 429 || status >= 500 => {
            Err(JobError::Transient(anyhow::anyhow!("the webhook endpoint {endpoint_id} answered HTTP {status}")))
        }
        Ok((status, _)) => Err(JobError::Permanent(anyhow::anyhow!(
            "the webhook endpoint {endpoint_id} refused the event: HTTP {status}"
        ))),
        Err(why) => {
            Err(JobError::Transient(anyhow::anyhow!("the webhook endpoint {endpoint_id} was not reached: {why}")))
        }
    }
}
