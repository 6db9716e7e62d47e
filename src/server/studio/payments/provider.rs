//! What every payment provider's client shares: what a provider's status means for
//! an order, and how a provider's answer fails.

use crate::domain::orders::OrderStatus;

/// What a gateway says happened, in our terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Pending,
    Paid,
    Failed,
    Expired,
    Cancelled,
    Refunded,
    /// Part of the payment was refunded (`refunded`: the total refunded so far, in the
    /// order's minor unit; 0 when the gateway did not say). Staff decide what it withdraws.
    PartialRefund {
        refunded: i64,
    },
    /// Verified to be from the gateway but not acceptable for this order (amount mismatch ...).
    Rejected,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Failed => "failed",
            Self::Expired => "expired",
            Self::Cancelled => "cancelled",
            Self::Refunded => "refunded",
            Self::PartialRefund { .. } => "partial_refund",
            Self::Rejected => "rejected",
        }
    }

    pub fn target(self) -> Option<OrderStatus> {
        match self {
            Self::Paid => Some(OrderStatus::Paid),
            Self::Failed => Some(OrderStatus::Failed),
            Self::Expired => Some(OrderStatus::Expired),
            Self::Cancelled => Some(OrderStatus::Cancelled),
            Self::Refunded => Some(OrderStatus::Refunded),
            Self::Pending | Self::PartialRefund { .. } | Self::Rejected => None,
        }
    }
}

/// Why a call to a payment provider failed.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error("the payment provider could not be reached")]
    Unreachable(#[from] reqwest::Error),
    #[error("the payment provider refused our credentials (HTTP {0})")]
    Unauthorized(u16),
    #[error("the payment provider refused the request (HTTP {status}): {body}")]
    Rejected { status: u16, body: String },
    #[error("the payment provider is unavailable (HTTP {0})")]
    Unavailable(u16),
    #[error("the payment provider answered something unexpected: {0}")]
    Unexpected(String),
}

/// Maps an HTTP answer to an error by status class.
pub(super) async fn check(res: reqwest::Response) -> Result<reqwest::Response, GatewayError> {
    let status = res.status().as_u16();
    match status {
        200..=299 => Ok(res),
        401 | 403 => Err(GatewayError::Unauthorized(status)),
        400..=499 => {
            let body = res.text().await.unwrap_or_default();
            Err(GatewayError::Rejected { status, body: body.chars().take(500).collect() })
        }
        _ => Err(GatewayError::Unavailable(status)),
    }
}
