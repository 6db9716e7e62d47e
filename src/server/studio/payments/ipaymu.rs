//! iPaymu API v2 direct payments (virtual accounts and QRIS): create a payment,
//! and ask iPaymu how a transaction stands. iPaymu's callback is unsigned, so it
//! is only ever a hint to ask (see `webhooks::ipaymu_notify`).
//!
//! Every call is a JSON POST signed in the `signature` header:
//! `hex(HMAC-SHA256(key = API key, "POST:" + VA + ":" + hex(sha256(body)) + ":" + API key))`,
//! with the merchant's account in `va` and the local time in `timestamp` (`YYYYMMDDhhmmss`).

use super::provider::{check, GatewayError, Outcome};
use crate::domain::orders::{PayChannel, PaymentInstructions};
use crate::domain::time::{datetime_local, parse_datetime, JAKARTA_OFFSET_SECS};
use crate::server::config::IpaymuConfig;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub struct Ipaymu {
    http: reqwest::Client,
    config: IpaymuConfig,
}

/// What we ask iPaymu to collect.
pub struct DirectRequest<'a> {
    pub order_id: &'a str,
    pub amount: i64,
    pub item_name: &'a str,
    pub channel: PayChannel,
    pub buyer_name: &'a str,
    pub buyer_email: &'a str,
    pub buyer_phone: &'a str,
    pub notify_url: &'a str,
    /// How long the buyer has to pay.
    pub hours: u32,
}

/// A payment iPaymu opened: its transaction id and what the buyer does.
#[derive(Debug, Clone)]
pub struct Direct {
    pub transaction_id: String,
    pub instructions: PaymentInstructions,
}

/// iPaymu's answer about one transaction.
#[derive(Debug, Clone)]
pub struct Transaction {
    pub transaction_id: String,
    pub reference_id: String,
    /// Whole rupiah, when the amount is one.
    pub amount: Option<i64>,
    /// iPaymu's status code: -2 expired, 0 pending, 1 paid, 2 cancelled, 3 refunded,
    /// 4 error, 5 failed, 6 paid (not yet settled), 7 escrow.
    pub status: i64,
    pub status_desc: String,
    pub raw: String,
}

impl Ipaymu {
    pub fn new(http: reqwest::Client, config: IpaymuConfig) -> Self {
        Self { http, config }
    }

    /// `POST /api/v2/payment/direct`: a virtual account number or a QRIS code for the order.
    pub async fn create_direct(&self, req: &DirectRequest<'_>) -> Result<Direct, GatewayError> {
        let name: String = req.item_name.chars().take(100).collect();
        let body = json!({
            "account": self.config.va,
            "name": req.buyer_name,
            "email": req.buyer_email,
            "phone": req.buyer_phone,
            "amount": req.amount,
            "notifyUrl": req.notify_url,
            "referenceId": req.order_id,
            "paymentMethod": req.channel.method(),
            "paymentChannel": req.channel.as_str(),
            "product": [name],
            "qty": [1],
            "price": [req.amount],
            "expired": req.hours,
            "expiredType": "hours",
        });
        let data = self.call("/api/v2/payment/direct", &body).await?.1;
        let transaction_id = id_text(&data["TransactionId"])
            .ok_or_else(|| GatewayError::Unexpected("no TransactionId in the payment iPaymu created".into()))?;
        // A QRIS payment's code is in `QrString`; a virtual account's number in `PaymentNo`.
        let text = |v: &Value| v.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let payment_no = text(&data["QrString"])
            .or_else(|| text(&data["PaymentNo"]))
            .or_else(|| data["PaymentNo"].as_u64().map(|n| n.to_string()))
            .ok_or_else(|| GatewayError::Unexpected("no PaymentNo or QrString in iPaymu's answer".into()))?;
        Ok(Direct {
            transaction_id,
            instructions: PaymentInstructions {
                channel: req.channel,
                payment_no,
                payment_name: data["PaymentName"].as_str().unwrap_or_default().to_owned(),
                expires_at: data["Expired"].as_str().and_then(parse_jakarta),
            },
        })
    }

    /// `POST /api/v2/transaction`: the truth about a transaction, whatever a callback said.
    /// Whether iPaymu accepts the VA and API key: a transaction that does not exist is
    /// looked up (refused as unknown with the key accepted; 401 without it).
    pub async fn check_credentials(&self) -> Result<(), GatewayError> {
        match self.transaction("0").await {
            Ok(_) | Err(GatewayError::Rejected { .. } | GatewayError::Unexpected(_)) => Ok(()),
            Err(err) => Err(err),
        }
    }

    pub async fn transaction(&self, transaction_id: &str) -> Result<Transaction, GatewayError> {
        let id: Value = transaction_id.parse::<i64>().map(Value::from).unwrap_or_else(|_| transaction_id.into());
        let (raw, data) = self.call("/api/v2/transaction", &json!({ "transactionId": id })).await?;
        let status = match &data["Status"] {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
        .ok_or_else(|| GatewayError::Unexpected("no Status in iPaymu's transaction".into()))?;
        Ok(Transaction {
            transaction_id: id_text(&data["TransactionId"]).unwrap_or_default(),
            reference_id: data["ReferenceId"].as_str().unwrap_or_default().to_owned(),
            amount: amount(&data["Amount"]),
            status,
            status_desc: data["StatusDesc"].as_str().unwrap_or_default().to_owned(),
            raw,
        })
    }

    /// Signs and sends one call; returns the raw answer and its `Data`.
    async fn call(&self, path: &str, body: &Value) -> Result<(String, Value), GatewayError> {
        let body = serde_json::to_string(body).map_err(|e| GatewayError::Unexpected(e.to_string()))?;
        let now = crate::server::db::now() + JAKARTA_OFFSET_SECS;
        let timestamp: String = datetime_local(now).chars().filter(char::is_ascii_digit).collect();
        let res = self
            .http
            .post(format!("{}{path}", self.config.base_url))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("va", &self.config.va)
            .header("signature", signature("POST", &self.config.va, body.as_bytes(), self.config.api_key.expose()))
            .header("timestamp", timestamp)
            .body(body)
            .send()
            .await?;
        let raw = check(res).await?.text().await?;
        let answer: Value =
            serde_json::from_str(&raw).map_err(|e| GatewayError::Unexpected(format!("not JSON from iPaymu: {e}")))?;
        // iPaymu may answer 200 with its own status inside.
        let status = answer["Status"].as_i64().or_else(|| answer["Status"].as_str()?.parse().ok()).unwrap_or(200);
        match status {
            200 => Ok((raw, answer["Data"].clone())),
            401 | 403 => Err(GatewayError::Unauthorized(status as u16)),
            _ => Err(GatewayError::Rejected {
                status: status.clamp(0, 999) as u16,
                body: answer["Message"].as_str().unwrap_or_default().chars().take(500).collect(),
            }),
        }
    }
}

/// The request signature iPaymu checks.
pub fn signature(method: &str, va: &str, body: &[u8], api_key: &str) -> String {
    let to_sign = format!("{}:{va}:{}:{api_key}", method.to_ascii_uppercase(), hex::encode(Sha256::digest(body)));
    let mut mac = Hmac::<Sha256>::new_from_slice(api_key.as_bytes()).expect("HMAC takes any key length");
    mac.update(to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// iPaymu's transaction status in our terms. Only 1 (paid) and 6 (paid, settling) pay.
pub fn outcome(status: i64) -> Outcome {
    match status {
        1 | 6 => Outcome::Paid,
        -2 => Outcome::Expired,
        2 => Outcome::Cancelled,
        3 => Outcome::Refunded,
        4 | 5 => Outcome::Failed,
        _ => Outcome::Pending,
    }
}

/// A number or a numeric string, as iPaymu sends ids.
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// `150000`, `150000.0` or `"150000.00"` -> 150000; anything with a fraction is not whole rupiah.
fn amount(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => {
            n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as i64))
        }
        Value::String(s) => super::midtrans::parse_amount(s.trim()),
        _ => None,
    }
}

/// iPaymu's "2026-11-24 13:00:00" (Asia/Jakarta) -> Unix time.
fn parse_jakarta(raw: &str) -> Option<i64> {
    parse_datetime(raw.trim()).map(|t| t - JAKARTA_OFFSET_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paid_statuses_pay() {
        assert_eq!(outcome(1), Outcome::Paid);
        assert_eq!(outcome(6), Outcome::Paid);
        assert_eq!(outcome(0), Outcome::Pending);
        assert_eq!(outcome(7), Outcome::Pending);
        assert_eq!(outcome(-2), Outcome::Expired);
        assert_eq!(outcome(3), Outcome::Refunded);
        assert_eq!(outcome(5), Outcome::Failed);
        assert_eq!(outcome(99), Outcome::Pending);
    }

    #[test]
    fn the_signature_covers_the_method_the_account_and_the_exact_body() {
        let s = signature("post", "1179000899", br#"{"transactionId":1}"#, "key");
        assert_eq!(s.len(), 64);
        assert_eq!(s, signature("POST", "1179000899", br#"{"transactionId":1}"#, "key"));
        assert_ne!(s, signature("POST", "1179000899", br#"{"transactionId": 1}"#, "key"));
        assert_ne!(s, signature("POST", "1179000898", br#"{"transactionId":1}"#, "key"));
        assert_ne!(s, signature("POST", "1179000899", br#"{"transactionId":1}"#, "other"));
    }

    #[test]
    fn amounts_and_times_are_read_as_ipaymu_writes_them() {
        assert_eq!(amount(&json!(150000)), Some(150_000));
        assert_eq!(amount(&json!(150000.0)), Some(150_000));
        assert_eq!(amount(&json!("150000.00")), Some(150_000));
        assert_eq!(amount(&json!(150000.5)), None);
        assert_eq!(amount(&json!(null)), None);
        // 07:00 in Jakarta is midnight UTC.
        assert_eq!(parse_jakarta("2026-11-24 07:00:00"), parse_datetime("2026-11-24 00:00:00"));
    }
}
