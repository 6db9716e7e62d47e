//! The payment providers as configured: their clients, built once at start-up.
//! What a payment does to an order is `payments`.

use super::{ipaymu, midtrans, paypal};
use crate::domain::orders::Gateway;
use crate::server::config::Config;
use std::sync::Arc;
use std::time::Duration;

/// The configured gateways, built once at start-up.
#[derive(Clone)]
pub struct Gateways {
    pub midtrans: Option<Arc<midtrans::Midtrans>>,
    pub paypal: Option<Arc<paypal::Paypal>>,
    pub ipaymu: Option<Arc<ipaymu::Ipaymu>>,
    pub sandbox: bool,
}

impl Gateways {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(5))
            .user_agent(concat!("atelier/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            midtrans: config.midtrans.clone().map(|c| Arc::new(midtrans::Midtrans::new(http.clone(), c))),
            paypal: config.paypal.clone().map(|c| Arc::new(paypal::Paypal::new(http.clone(), c))),
            ipaymu: config.ipaymu.clone().map(|c| Arc::new(ipaymu::Ipaymu::new(http.clone(), c))),
            sandbox: config.sandbox_payments_enabled(),
        })
    }

    pub fn enabled(&self) -> Vec<Gateway> {
        let mut out = Vec::new();
        if self.midtrans.is_some() {
            out.push(Gateway::Midtrans);
        }
        if self.paypal.is_some() {
            out.push(Gateway::Paypal);
        }
        if self.ipaymu.is_some() {
            out.push(Gateway::Ipaymu);
        }
        if self.sandbox {
            out.push(Gateway::Sandbox);
        }
        out
    }
}
