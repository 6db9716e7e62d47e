//! Midtrans Snap: create a transaction, verify and confirm notifications.

use super::provider::{check, GatewayError, Outcome};
use crate::server::config::MidtransConfig;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha512};
use subtle::ConstantTimeEq;

pub struct Midtrans {
    http: reqwest::Client,
    config: MidtransConfig,
}

/// What we send to create a Snap transaction.
pub struct SnapRequest<'a> {
    pub order_id: &'a str,
    pub gross_amount: i64,
    /// A coupon's code and what it took off: sent as a negative line, so the
    /// items still add up to `gross_amount`.
    pub discount: Option<(&'a str, i64)>,
    pub item_id: &'a str,
    pub item_name: &'a str,
    pub customer_name: &'a str,
    pub customer_email: &'a str,
    pub finish_url: &'a str,
}

/// The fields of a notification (more may appear; they are kept in the raw log).
#[derive(Debug, Clone, Deserialize)]
pub struct Notification {
    pub order_id: String,
    pub status_code: String,
    pub gross_amount: String,
    pub signature_key: String,
    pub transaction_status: String,
    #[serde(default)]
    pub fraud_status: Option<String>,
    #[serde(default)]
    pub transaction_id: Option<String>,
}

/// The status API's answer.
#[derive(Debug, Clone, Deserialize)]
pub struct Status {
    pub order_id: String,
    pub gross_amount: String,
    pub transaction_status: String,
    #[serde(default)]
    pub fraud_status: Option<String>,
    #[serde(default)]
    pub transaction_id: Option<String>,
    /// What was refunded so far ("5000.00"), on refunds.
    #[serde(default)]
    pub refund_amount: Option<String>,
}

impl Midtrans {
    pub fn new(http: reqwest::Client, config: MidtransConfig) -> Self {
        Self { http, config }
    }

    /// `POST /snap/v1/transactions`; returns the payment page to send the buyer to.
    pub async fn create(&self, req: &SnapRequest<'_>) -> Result<String, GatewayError> {
        let name: String = req.item_name.chars().take(50).collect();
        let off = req.discount.map_or(0, |(_, off)| off);
        let mut items =
            vec![json!({ "id": req.item_id, "price": req.gross_amount + off, "quantity": 1, "name": name })];
        if let Some((code, off)) = req.discount {
            let label: String = format!("Coupon {code}").chars().take(50).collect();
            items.push(json!({ "id": "coupon", "price": -off, "quantity": 1, "name": label }));
        }
        let body = json!({
            "transaction_details": { "order_id": req.order_id, "gross_amount": req.gross_amount },
            "item_details": items,
            "customer_details": { "first_name": req.customer_name, "email": req.customer_email },
            "callbacks": { "finish": req.finish_url },
            "expiry": { "unit": "hours", "duration": 24 },
        });
        let res = self
            .http
            .post(format!("{}/snap/v1/transactions", self.config.snap_url))
            .basic_auth(self.config.server_key.expose(), Some(""))
            .header("Accept", "application/json")
            .json(&body)
            .send()
            .await?;
        #[derive(Deserialize)]
        struct Created {
            redirect_url: String,
        }
        let created: Created = check(res).await?.json().await.map_err(|e| GatewayError::Unexpected(e.to_string()))?;
        Ok(created.redirect_url)
    }

    /// `hex(sha512(order_id + status_code + gross_amount + server_key))`, compared in constant time.
    pub fn signature_is_valid(&self, n: &Notification) -> bool {
        let expected = signature(&n.order_id, &n.status_code, &n.gross_amount, self.config.server_key.expose());
        expected.as_bytes().ct_eq(n.signature_key.to_ascii_lowercase().as_bytes()).into()
    }

    /// `GET /v2/{order_id}/status`: the provider's current truth about a transaction.
    pub async fn status(&self, order_id: &str) -> Result<Status, GatewayError> {
        let res = self
            .http
            .get(format!("{}/v2/{}/status", self.config.api_url, order_id))
            .basic_auth(self.config.server_key.expose(), Some(""))
            .header("Accept", "application/json")
            .send()
            .await?;
        check(res).await?.json().await.map_err(|e| GatewayError::Unexpected(e.to_string()))
    }
}

impl Midtrans {
    /// Whether Midtrans accepts the server key: the status of an order that does not
    /// exist (refused as unknown, or answered, with the key accepted; 401 without it).
    pub async fn check_credentials(&self) -> Result<(), GatewayError> {
        match self.status("atelier-doctor-check").await {
            Ok(_) | Err(GatewayError::Rejected { .. } | GatewayError::Unexpected(_)) => Ok(()),
            Err(err) => Err(err),
        }
    }
}

pub fn signature(order_id: &str, status_code: &str, gross_amount: &str, server_key: &str) -> String {
    let mut h = Sha512::new();
    h.update(order_id.as_bytes());
    h.update(status_code.as_bytes());
    h.update(gross_amount.as_bytes());
    h.update(server_key.as_bytes());
    hex::encode(h.finalize())
}

/// The outcome of a status as Midtrans reports it, with what was refunded so far.
pub fn outcome_of(status: &Status) -> Outcome {
    match status.transaction_status.as_str() {
        "partial_refund" | "partial_chargeback" => {
            Outcome::PartialRefund { refunded: status.refund_amount.as_deref().and_then(parse_amount).unwrap_or(0) }
        }
        other => outcome(other, status.fraud_status.as_deref()),
    }
}

/// Only `settlement`, or `capture` with fraud status `accept`, pays. A partial refund
/// (with its amount, see [`outcome_of`]) is not a refund of the order.
pub fn outcome(transaction_status: &str, fraud_status: Option<&str>) -> Outcome {
    match transaction_status {
        "settlement" => Outcome::Paid,
        "capture" if fraud_status == Some("accept") => Outcome::Paid,
        "capture" | "pending" | "authorize" => Outcome::Pending,
        "deny" | "failure" => Outcome::Failed,
        "cancel" => Outcome::Cancelled,
        "expire" => Outcome::Expired,
        "refund" | "chargeback" => Outcome::Refunded,
        "partial_refund" | "partial_chargeback" => Outcome::PartialRefund { refunded: 0 },
        _ => Outcome::Pending,
    }
}

/// "150000.00" -> 150000 (rupiah have no minor unit); anything else is not an amount.
pub fn parse_amount(raw: &str) -> Option<i64> {
    let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b == b'0') {
        return None;
    }
    whole.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_settlement_or_accepted_capture_pays() {
        assert_eq!(outcome("settlement", None), Outcome::Paid);
        assert_eq!(outcome("capture", Some("accept")), Outcome::Paid);
        assert_eq!(outcome("capture", Some("challenge")), Outcome::Pending);
        assert_eq!(outcome("pending", None), Outcome::Pending);
        assert_eq!(outcome("deny", None), Outcome::Failed);
        assert_eq!(outcome("expire", None), Outcome::Expired);
        assert_eq!(outcome("cancel", None), Outcome::Cancelled);
        assert_eq!(outcome("partial_refund", None), Outcome::PartialRefund { refunded: 0 });
        assert_eq!(outcome("refund", None), Outcome::Refunded);
    }

    #[test]
    fn amounts_parse_only_when_whole_rupiah() {
        assert_eq!(parse_amount("150000.00"), Some(150_000));
        assert_eq!(parse_amount("150000"), Some(150_000));
        assert_eq!(parse_amount("150000.50"), None);
        assert_eq!(parse_amount("-5.00"), None);
        assert_eq!(parse_amount(""), None);
    }

    #[test]
    fn the_signature_is_sha512_over_the_exact_strings() {
        let s = signature("ATL-1", "200", "10000.00", "key");
        assert_eq!(s.len(), 128);
        assert_ne!(s, signature("ATL-1", "200", "10000", "key"));
    }
}
