//! HTTP endpoints the payment providers call: Midtrans notifications, PayPal
//! webhooks, iPaymu callbacks, and the buyer's return from PayPal's approval page.

use crate::domain::orders::Gateway;
use crate::server::auth::client_ip;
use crate::server::db::{orders, DbError};
use crate::server::studio::payments::midtrans::{self, Notification};
use crate::server::studio::payments::paypal::usd_value;
use crate::server::studio::payments::{apply, record_refused, Applied, GatewayError, Outcome, PaymentEvent};
use crate::server::telemetry::chain;
use crate::server::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::Value;
use std::net::{IpAddr, SocketAddr};

/// The largest notification body accepted (real ones are a few KB); larger gets 413.
pub const MAX_BODY: usize = 64 * 1024;

/// The caller's address, and whether it has sent too many refused events lately:
/// then it is answered 429 before any work (a database write, a call to PayPal).
fn refused_too_often(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> (IpAddr, bool) {
    let ip = client_ip(headers, Some(peer), &state.config.trusted_proxies);
    (ip, state.abuse_limiter.exhausted(REFUSED, ip))
}

/// The rate-limit action refused payment events count against.
const REFUSED: &str = "payment-refused";

/// Records a refused event (truncated, see [`record_refused`]) and counts it against the caller.
async fn refuse(state: &AppState, ip: IpAddr, gateway: Gateway, order_id: Option<i64>, note: String, raw: &[u8]) {
    state.abuse_limiter.check(REFUSED, ip);
    let raw = raw.to_vec();
    if let Err(err) = state.db.run(move |c| record_refused(c, gateway, order_id, &note, &raw)).await {
        tracing::error!(error = %chain(&err), "a refused payment event could not be recorded");
    }
}

/// The common start of every provider endpoint: a readable body of at most 64 KB
/// from a caller that has not sent too many refused events lately.
fn admit(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
    body: Result<Bytes, BytesRejection>,
) -> Result<(Bytes, IpAddr), Box<Response>> {
    let body =
        body.map_err(|rejection| Box::new(answer(rejection.status(), "the body is larger than 64 KB or unreadable")))?;
    let (ip, limited) = refused_too_often(state, headers, peer);
    if limited {
        return Err(Box::new(answer(StatusCode::TOO_MANY_REQUESTS, "too many refused events; slow down")));
    }
    Ok((body, ip))
}

fn answer(status: StatusCode, message: &'static str) -> Response {
    crate::server::http::json_answer(status, message)
}

fn db_failure(err: DbError) -> Response {
    tracing::error!(error = %chain(&err), "payment event could not be stored");
    // Not 2xx: the provider retries later, so nothing is lost.
    answer(StatusCode::SERVICE_UNAVAILABLE, "temporarily unavailable")
}

/// `POST /api/payment/midtrans/notification`
pub async fn midtrans_notification(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Some(gateway) = state.gateways.midtrans.clone() else {
        return answer(StatusCode::NOT_FOUND, "Midtrans is not configured");
    };
    let (body, ip) = match admit(&state, &headers, peer, body) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    let raw = String::from_utf8_lossy(&body).into_owned();
    let Ok(notification) = serde_json::from_slice::<Notification>(&body) else {
        tracing::warn!("malformed Midtrans notification refused");
        state.abuse_limiter.check(REFUSED, ip);
        return answer(StatusCode::BAD_REQUEST, "malformed notification");
    };
    if !gateway.signature_is_valid(&notification) {
        tracing::warn!(order = %notification.order_id, "Midtrans notification with a bad signature refused");
        let note = format!("bad signature for order {:?}", notification.order_id);
        refuse(&state, ip, Gateway::Midtrans, None, note, &body).await;
        return answer(StatusCode::FORBIDDEN, "invalid signature");
    }
    let public_id = notification.order_id.clone();
    let order = match state.db.run(move |c| orders::by_public_id(c, &public_id)).await {
        Ok(Some(order)) if order.gateway == Gateway::Midtrans => order,
        Ok(_) => {
            tracing::warn!(order = %notification.order_id, "Midtrans notification for an unknown order");
            return answer(StatusCode::NOT_FOUND, "unknown order");
        }
        Err(e) => return db_failure(e),
    };
    // The notification is only a hint: the status API is the truth.
    let status = match gateway.status(&order.public_id).await {
        Ok(status) => status,
        Err(err) => {
            tracing::error!(order = %order.public_id, error = %chain(&err), "Midtrans status check failed");
            return answer(StatusCode::BAD_GATEWAY, "status check failed; retry later");
        }
    };
    let amount = midtrans::parse_amount(&status.gross_amount);
    let event = if status.order_id != order.public_id || amount != Some(order.amount) || order.currency != "IDR" {
        let note = format!(
            "amount or order mismatch: Midtrans says {} for {}, the order is {} {}",
            status.gross_amount, status.order_id, order.amount, order.currency
        );
        tracing::warn!(order = %order.public_id, %note, "Midtrans notification refused");
        refuse(&state, ip, Gateway::Midtrans, Some(order.id), note, &body).await;
        return answer(StatusCode::BAD_REQUEST, "amount mismatch");
    } else {
        let outcome = midtrans::outcome_of(&status);
        PaymentEvent {
            gateway: Gateway::Midtrans,
            // Each partial refund is its own event (the total refunded grows with each).
            event_key: format!(
                "midtrans:{}:{}:{}{}",
                status.transaction_id.as_deref().or(notification.transaction_id.as_deref()).unwrap_or(&order.public_id),
                status.transaction_status,
                status.fraud_status.as_deref().unwrap_or("-"),
                status.refund_amount.as_deref().map(|a| format!(":{a}")).unwrap_or_default()
            ),
            outcome,
            note: format!("transaction_status={}", status.transaction_status),
            raw,
        }
    };
    let config = state.config.clone();
    match state.db.run(move |c| apply(c, &config, &order, &event)).await {
        Ok(_) => answer(StatusCode::OK, "OK"),
        Err(e) => db_failure(e),
    }
}

/// `POST /api/payment/paypal/webhook`
pub async fn paypal_webhook(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Some(gateway) = state.gateways.paypal.clone() else {
        return answer(StatusCode::NOT_FOUND, "PayPal is not configured");
    };
    let (body, ip) = match admit(&state, &headers, peer, body) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    let raw = String::from_utf8_lossy(&body).into_owned();
    let Ok(event) = serde_json::from_slice::<Value>(&body) else {
        state.abuse_limiter.check(REFUSED, ip);
        return answer(StatusCode::BAD_REQUEST, "malformed event");
    };
    let sent = crate::server::studio::payments::paypal::Transmission::read(|name| {
        headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    });
    match gateway.verify_webhook(&sent, &event).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!("PayPal webhook failed verification");
            refuse(&state, ip, Gateway::Paypal, None, "failed signature verification".into(), &body).await;
            return answer(StatusCode::FORBIDDEN, "verification failed");
        }
        Err(err) => {
            tracing::error!(error = %chain(&err), "PayPal webhook verification call failed");
            return answer(StatusCode::BAD_GATEWAY, "verification unavailable; retry later");
        }
    }
    let kind = event["event_type"].as_str().unwrap_or_default().to_owned();
    let outcome = match kind.as_str() {
        "PAYMENT.CAPTURE.COMPLETED" => Outcome::Paid,
        "PAYMENT.CAPTURE.REFUNDED" => Outcome::Refunded, // whole or part: told apart below
        "PAYMENT.CAPTURE.REVERSED" => Outcome::Refunded,
        "PAYMENT.CAPTURE.DENIED" | "PAYMENT.CAPTURE.DECLINED" => Outcome::Failed,
        _ => return answer(StatusCode::OK, "ignored"),
    };
    let resource = &event["resource"];
    let custom_id = resource["custom_id"].as_str().map(str::to_owned);
    // A refund's resource is the refund; its "up" link names the capture it refunds.
    let capture_id = if kind == "PAYMENT.CAPTURE.REFUNDED" {
        resource["links"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|l| l["rel"] == "up")
            .and_then(|l| l["href"].as_str())
            .and_then(|h| h.rsplit('/').next())
            .map(str::to_owned)
    } else {
        resource["id"].as_str().map(str::to_owned)
    };
    let lookup_capture = capture_id.clone();
    let found = state
        .db
        .run(move |c| -> Result<Option<orders::OrderRow>, DbError> {
            if let Some(public_id) = custom_id {
                if let Some(order) = orders::by_public_id(c, &public_id)? {
                    return Ok(Some(order));
                }
            }
            let Some(capture) = lookup_capture else { return Ok(None) };
            if let Some(order) = orders::by_capture_id(c, Gateway::Paypal, &capture)? {
                return Ok(Some(order));
            }
            match orders::order_of_event(c, &format!("paypal:capture:{capture}"))? {
                Some(id) => orders::by_id(c, id),
                None => Ok(None),
            }
        })
        .await;
    let order = match found {
        Ok(Some(order)) if order.gateway == Gateway::Paypal => order,
        Ok(_) => {
            tracing::warn!(event_type = %kind, "PayPal webhook for an unknown order");
            return answer(StatusCode::OK, "unknown order");
        }
        Err(e) => return db_failure(e),
    };
    // A payment counts only as PayPal has it now: the capture, fetched again, is
    // completed, for this order, for exactly its amount in its currency.
    let mut paid_by = None;
    if outcome == Outcome::Paid {
        let capture = match capture_id.as_deref() {
            Some(id) => match gateway.get_capture(id).await {
                Ok(capture) => Some(capture),
                Err(err @ GatewayError::Unexpected(_)) | Err(err @ GatewayError::Rejected { .. }) => {
                    tracing::warn!(order = %order.public_id, error = %chain(&err), "PayPal capture not confirmed");
                    None
                }
                Err(err) => {
                    tracing::error!(order = %order.public_id, error = %chain(&err), "PayPal capture lookup failed");
                    return answer(StatusCode::BAD_GATEWAY, "capture lookup failed; retry later");
                }
            },
            None => None,
        };
        let confirmed = capture.as_ref().filter(|c| {
            c.pays(order.amount, &order.currency) && c.custom_id.as_deref().is_none_or(|id| id == order.public_id)
        });
        let Some(confirmed) = confirmed else {
            let note = match &capture {
                Some(c) => format!(
                    "capture not confirmed: PayPal has {} {} {} for {:?}; the order is {} {}",
                    c.status,
                    c.value,
                    c.currency,
                    c.custom_id,
                    usd_value(order.amount),
                    order.currency
                ),
                None => format!("capture {capture_id:?} not found at PayPal"),
            };
            tracing::warn!(order = %order.public_id, %note, "PayPal payment refused");
            refuse(&state, ip, Gateway::Paypal, Some(order.id), note, &body).await;
            return answer(StatusCode::OK, "capture not confirmed; recorded");
        };
        paid_by = Some(confirmed.id.clone());
    }
    // A refund of less than the order (PayPal says the capture's total refunded so far)
    // is partial: staff decide what it withdraws.
    let outcome = match (kind.as_str(), paypal_refunded_cents(&event["resource"])) {
        ("PAYMENT.CAPTURE.REFUNDED", Some(refunded)) if refunded < order.amount => Outcome::PartialRefund { refunded },
        _ => outcome,
    };
    let event = PaymentEvent {
        gateway: Gateway::Paypal,
        event_key: format!("paypal:event:{}", event["id"].as_str().unwrap_or_default()),
        outcome,
        note: kind,
        raw,
    };
    let config = state.config.clone();
    let stored = state
        .db
        .run(move |c| -> Result<(), DbError> {
            apply(c, &config, &order, &event)?;
            if let Some(capture) = paid_by {
                orders::set_capture_id(c, order.id, &capture)?;
            }
            Ok(())
        })
        .await;
    match stored {
        Ok(()) => answer(StatusCode::OK, "OK"),
        Err(e) => db_failure(e),
    }
}

/// What a PayPal refund resource says was refunded of its capture so far, in cents:
/// the breakdown's total when given, else this refund's own amount.
fn paypal_refunded_cents(refund: &Value) -> Option<i64> {
    let total = &refund["seller_payable_breakdown"]["total_refunded_amount"]["value"];
    total
        .as_str()
        .or_else(|| refund["amount"]["value"].as_str())
        .and_then(crate::server::studio::payments::paypal::cents_from_value)
}

/// The fields of an iPaymu callback this handler reads (form-encoded or JSON).
#[derive(Debug, Default)]
struct IpaymuCallback {
    trx_id: String,
    reference_id: String,
    status: String,
}

impl IpaymuCallback {
    fn parse(headers: &HeaderMap, body: &[u8]) -> Option<Self> {
        let json = headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let mut out = Self::default();
        if json {
            let v: Value = serde_json::from_slice(body).ok()?;
            let text = |k: &str| match &v[k] {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            (out.trx_id, out.reference_id, out.status) = (text("trx_id"), text("reference_id"), text("status"));
        } else {
            for (k, v) in form_urlencoded::parse(body) {
                match k.as_ref() {
                    "trx_id" => out.trx_id = v.into_owned(),
                    "reference_id" => out.reference_id = v.into_owned(),
                    "status" => out.status = v.into_owned(),
                    _ => {}
                }
            }
        }
        (!out.trx_id.is_empty() && !out.reference_id.is_empty()).then_some(out)
    }
}

/// `POST /api/payment/ipaymu/notify`: iPaymu's callback. It carries no signature,
/// so it only says which order to ask about: the order must be an iPaymu order
/// with this transaction, and iPaymu's transaction API (a signed call) decides,
/// for exactly the order's reference and amount.
pub async fn ipaymu_notify(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Some(gateway) = state.gateways.ipaymu.clone() else {
        return answer(StatusCode::NOT_FOUND, "iPaymu is not configured");
    };
    let (body, ip) = match admit(&state, &headers, peer, body) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    let Some(callback) = IpaymuCallback::parse(&headers, &body) else {
        tracing::warn!("malformed iPaymu callback refused");
        state.abuse_limiter.check(REFUSED, ip);
        return answer(StatusCode::BAD_REQUEST, "malformed callback: trx_id and reference_id are required");
    };
    let public_id = callback.reference_id.clone();
    let order = match state.db.run(move |c| orders::by_public_id(c, &public_id)).await {
        Ok(Some(order)) if order.gateway == Gateway::Ipaymu => order,
        Ok(_) => {
            tracing::warn!(order = %callback.reference_id, "iPaymu callback for an unknown order");
            refuse(&state, ip, Gateway::Ipaymu, None, format!("unknown order {:?}", callback.reference_id), &body)
                .await;
            return answer(StatusCode::NOT_FOUND, "unknown order");
        }
        Err(e) => return db_failure(e),
    };
    // The transaction iPaymu opened for this order, never one named by the caller.
    let Some(transaction_id) = order.gateway_ref.clone().filter(|t| *t == callback.trx_id) else {
        tracing::warn!(order = %order.public_id, trx = %callback.trx_id, "iPaymu callback names another transaction");
        let note = format!("callback for transaction {:?}, not this order's", callback.trx_id);
        refuse(&state, ip, Gateway::Ipaymu, Some(order.id), note, &body).await;
        return answer(StatusCode::FORBIDDEN, "transaction does not belong to this order");
    };
    let trx = match gateway.transaction(&transaction_id).await {
        Ok(trx) => trx,
        Err(err) => {
            tracing::error!(order = %order.public_id, error = %chain(&err), "iPaymu transaction check failed");
            return answer(StatusCode::BAD_GATEWAY, "status check failed; retry later");
        }
    };
    let outcome = crate::server::studio::payments::ipaymu::outcome(trx.status);
    let matches = trx.reference_id == order.public_id && trx.amount == Some(order.amount) && order.currency == "IDR";
    if !matches && outcome != Outcome::Pending {
        let note = format!(
            "amount or order mismatch: iPaymu says {:?} for {:?}, the order is {} {}",
            trx.amount, trx.reference_id, order.amount, order.currency
        );
        tracing::warn!(order = %order.public_id, %note, "iPaymu callback refused");
        refuse(&state, ip, Gateway::Ipaymu, Some(order.id), note, &body).await;
        return answer(StatusCode::BAD_REQUEST, "amount mismatch");
    }
    let event = PaymentEvent {
        gateway: Gateway::Ipaymu,
        event_key: format!("ipaymu:{transaction_id}:{}", trx.status),
        outcome,
        note: format!("status {} ({}); the callback said {:?}", trx.status, trx.status_desc, callback.status),
        raw: trx.raw,
    };
    let config = state.config.clone();
    match state.db.run(move |c| apply(c, &config, &order, &event)).await {
        Ok(_) => answer(StatusCode::OK, "OK"),
        Err(e) => db_failure(e),
    }
}

#[derive(serde::Deserialize)]
pub struct PaypalReturn {
    token: String,
}

/// `GET /checkout/paypal/return?token=<PayPal order id>`: capture, then show the order.
pub async fn paypal_return(State(state): State<AppState>, Query(q): Query<PaypalReturn>) -> Response {
    let Some(gateway) = state.gateways.paypal.clone() else {
        return Redirect::to("/dashboard/orders").into_response();
    };
    let token = q.token.clone();
    let order = match state.db.run(move |c| orders::by_gateway_ref(c, Gateway::Paypal, &token)).await {
        Ok(Some(order)) => order,
        Ok(None) => return Redirect::to("/dashboard/orders").into_response(),
        Err(e) => return db_failure(e),
    };
    let target = match order.invoice_id {
        Some(invoice) => format!("/client/invoices/{invoice}"),
        None => format!("/dashboard/orders/{}", order.public_id),
    };
    let (captures, raw) = match gateway.capture(&q.token).await {
        Ok(result) => result,
        Err(err) => {
            // The webhook (or the buyer returning again) completes it later.
            tracing::error!(order = %order.public_id, error = %chain(&err), "PayPal capture failed");
            return Redirect::to(&target).into_response();
        }
    };
    let completed = captures.iter().find(|c| c.pays(order.amount, &order.currency));
    let paid_by = completed.map(|c| c.id.clone());
    let event = match completed {
        Some(capture) => PaymentEvent {
            gateway: Gateway::Paypal,
            event_key: format!("paypal:capture:{}", capture.id),
            outcome: Outcome::Paid,
            note: "capture COMPLETED".into(),
            raw,
        },
        None => PaymentEvent {
            gateway: Gateway::Paypal,
            event_key: format!("paypal:capture-pending:{}", q.token),
            outcome: Outcome::Pending,
            note: format!(
                "capture not completed: {}",
                captures
                    .iter()
                    .map(|c| format!("{} {} {}", c.status, c.value, c.currency))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            raw,
        },
    };
    let config = state.config.clone();
    let stored = state
        .db
        .run(move |c| -> Result<(), DbError> {
            let _: Applied = apply(c, &config, &order, &event)?;
            if let Some(capture) = paid_by {
                orders::set_capture_id(c, order.id, &capture)?;
            }
            Ok(())
        })
        .await;
    if let Err(e) = stored {
        return db_failure(e);
    }
    Redirect::to(&target).into_response()
}
