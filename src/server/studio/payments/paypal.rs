//! PayPal Orders v2: OAuth token, create order, capture, webhook verification.

use super::provider::{check, GatewayError};
use crate::server::config::PaypalConfig;
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

pub struct Paypal {
    http: reqwest::Client,
    config: PaypalConfig,
    token: Mutex<Option<(String, Instant)>>,
}

/// One capture in a capture answer.
#[derive(Debug, Clone)]
pub struct Capture {
    pub id: String,
    pub status: String,
    pub value: String,
    pub currency: String,
    /// Our order's public id, as given when the PayPal order was created.
    pub custom_id: Option<String>,
}

impl Capture {
    fn from_json(c: &Value) -> Self {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        Capture {
            id: text(&c["id"]),
            status: text(&c["status"]),
            value: text(&c["amount"]["value"]),
            currency: text(&c["amount"]["currency_code"]),
            custom_id: c["custom_id"].as_str().map(str::to_owned),
        }
    }

    /// A completed capture of exactly `cents` in `currency`.
    pub fn pays(&self, cents: i64, currency: &str) -> bool {
        self.status == "COMPLETED" && self.value == usd_value(cents) && self.currency == currency
    }
}

/// "19.99" for 1999 cents.
pub fn usd_value(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// 1999 for "19.99" (and 1900 for "19", 1990 for "19.9"); anything else is no amount.
pub fn cents_from_value(value: &str) -> Option<i64> {
    let value = value.trim();
    let (whole, fraction) = value.split_once('.').unwrap_or((value, "00"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || fraction.len() > 2 {
        return None;
    }
    let cents = format!("{fraction:0<2}").parse::<i64>().ok()?;
    whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents)
}

impl Paypal {
    pub fn new(http: reqwest::Client, config: PaypalConfig) -> Self {
        Self { http, config, token: Mutex::new(None) }
    }

    /// A client-credentials access token, cached until shortly before it expires.
    async fn token(&self) -> Result<String, GatewayError> {
        let mut cached = self.token.lock().await;
        if let Some((token, until)) = cached.as_ref() {
            if Instant::now() < *until {
                return Ok(token.clone());
            }
        }
        let res = self
            .http
            .post(format!("{}/v1/oauth2/token", self.config.api_url))
            .basic_auth(&self.config.client_id, Some(self.config.client_secret.expose()))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await?;
        #[derive(Deserialize)]
        struct Token {
            access_token: String,
            #[serde(default)]
            expires_in: Option<u64>,
        }
        let t: Token = check(res).await?.json().await.map_err(|e| GatewayError::Unexpected(e.to_string()))?;
        let lifetime = Duration::from_secs(t.expires_in.unwrap_or(300).saturating_sub(60).max(30));
        *cached = Some((t.access_token.clone(), Instant::now() + lifetime));
        Ok(t.access_token)
    }

    /// Whether PayPal accepts the client id and secret (an access token is granted).
    pub async fn check_credentials(&self) -> Result<(), GatewayError> {
        self.token().await.map(|_| ())
    }

    /// `POST /v2/checkout/orders`; returns PayPal's order id and the approval link.
    pub async fn create_order(
        &self,
        our_order: &str,
        cents: i64,
        return_url: &str,
        cancel_url: &str,
    ) -> Result<(String, String), GatewayError> {
        let token = self.token().await?;
        let body = json!({
            "intent": "CAPTURE",
            "purchase_units": [{
                "reference_id": our_order,
                "custom_id": our_order,
                "amount": { "currency_code": "USD", "value": usd_value(cents) },
            }],
            "payment_source": { "paypal": { "experience_context": {
                "return_url": return_url,
                "cancel_url": cancel_url,
                "user_action": "PAY_NOW",
            }}},
        });
        let res = self
            .http
            .post(format!("{}/v2/checkout/orders", self.config.api_url))
            .bearer_auth(token)
            .header("PayPal-Request-Id", format!("create-{our_order}"))
            .json(&body)
            .send()
            .await?;
        let created: Value = check(res).await?.json().await.map_err(|e| GatewayError::Unexpected(e.to_string()))?;
        let id = created["id"].as_str().ok_or_else(|| GatewayError::Unexpected("order without id".into()))?;
        let approve = created["links"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|l| matches!(l["rel"].as_str(), Some("payer-action" | "approve")))
            .and_then(|l| l["href"].as_str())
            .ok_or_else(|| GatewayError::Unexpected("order without an approval link".into()))?;
        Ok((id.to_owned(), approve.to_owned()))
    }

    /// `POST /v2/checkout/orders/{id}/capture` (idempotent through PayPal-Request-Id).
    pub async fn capture(&self, paypal_order: &str) -> Result<(Vec<Capture>, String), GatewayError> {
        let token = self.token().await?;
        let res = self
            .http
            .post(format!("{}/v2/checkout/orders/{}/capture", self.config.api_url, paypal_order))
            .bearer_auth(token)
            .header("PayPal-Request-Id", format!("capture-{paypal_order}"))
            .header("Content-Type", "application/json")
            .body("{}")
            .send()
            .await?;
        let raw = check(res).await?.text().await?;
        let body: Value = serde_json::from_str(&raw).map_err(|e| GatewayError::Unexpected(e.to_string()))?;
        let captures = body["purchase_units"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|u| u["payments"]["captures"].as_array().cloned().unwrap_or_default())
            .map(|c| Capture::from_json(&c))
            .collect();
        Ok((captures, raw))
    }

    /// `GET /v2/payments/captures/{id}`: the capture as PayPal has it now (a webhook
    /// is only a hint, like Midtrans's notification).
    pub async fn get_capture(&self, capture_id: &str) -> Result<Capture, GatewayError> {
        let well_formed = !capture_id.is_empty()
            && capture_id.len() <= 64
            && capture_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !well_formed {
            return Err(GatewayError::Unexpected(format!("not a capture id: {capture_id:?}")));
        }
        let token = self.token().await?;
        let res = self
            .http
            .get(format!("{}/v2/payments/captures/{capture_id}", self.config.api_url))
            .bearer_auth(token)
            .send()
            .await?;
        let body: Value = check(res).await?.json().await.map_err(|e| GatewayError::Unexpected(e.to_string()))?;
        Ok(Capture::from_json(&body))
    }

    /// `POST /v1/notifications/verify-webhook-signature` with the `PAYPAL-*` headers.
    pub async fn verify_webhook(&self, sent: &Transmission, event: &Value) -> Result<bool, GatewayError> {
        let Some(webhook_id) = &self.config.webhook_id else {
            tracing::error!("PAYPAL_WEBHOOK_ID is not set: PayPal webhooks cannot be verified and are refused");
            return Ok(false);
        };
        let token = self.token().await?;
        let body = json!({
            "auth_algo": sent.auth_algo,
            "cert_url": sent.cert_url,
            "transmission_id": sent.transmission_id,
            "transmission_sig": sent.transmission_sig,
            "transmission_time": sent.transmission_time,
            "webhook_id": webhook_id,
            "webhook_event": event,
        });
        let res = self
            .http
            .post(format!("{}/v1/notifications/verify-webhook-signature", self.config.api_url))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await?;
        let answer: Value = check(res).await?.json().await.map_err(|e| GatewayError::Unexpected(e.to_string()))?;
        Ok(answer["verification_status"] == "SUCCESS")
    }
}

/// What PayPal's `PAYPAL-*` headers say of a webhook's transmission (empty when absent).
#[derive(Debug, Default, Clone)]
pub struct Transmission {
    pub auth_algo: String,
    pub cert_url: String,
    pub transmission_id: String,
    pub transmission_sig: String,
    pub transmission_time: String,
}

impl Transmission {
    /// Reads each header through `header` (a header's value by its lower-case name).
    pub fn read(header: impl Fn(&str) -> String) -> Self {
        Self {
            auth_algo: header("paypal-auth-algo"),
            cert_url: header("paypal-cert-url"),
            transmission_id: header("paypal-transmission-id"),
            transmission_sig: header("paypal-transmission-sig"),
            transmission_time: header("paypal-transmission-time"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paypal_values_read_as_cents() {
        assert_eq!(cents_from_value("19.99"), Some(1999));
        assert_eq!(cents_from_value("19.9"), Some(1990));
        assert_eq!(cents_from_value("19"), Some(1900));
        assert_eq!(cents_from_value(&usd_value(1205)), Some(1205));
        for bad in ["", "1.999", "-1.00", "1,00", "abc", ".5", "1."] {
            assert_eq!(cents_from_value(bad), None, "{bad:?}");
        }
    }
}
