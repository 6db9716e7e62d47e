//! Orders: gateways, the order status machine that never moves backwards,
//! and the order as its buyer and staff see it.

use super::delivery::{DeliveryKind, DeliveryStatus};
use super::text_enum::text_enum;
use super::{Currency, Money};
use serde::{Deserialize, Serialize};

text_enum!(Gateway {
    Midtrans = "midtrans" / "Midtrans",
    Paypal = "paypal" / "PayPal",
    Ipaymu = "ipaymu" / "iPaymu",
    Sandbox = "sandbox" / "Sandbox (test payments)",
});

impl Gateway {
    /// The name on a buy button: "Pay with {name}".
    pub fn button_name(self) -> &'static str {
        match self {
            Self::Midtrans => "Midtrans",
            Self::Paypal => "PayPal",
            Self::Ipaymu => "iPaymu",
            Self::Sandbox => "the sandbox",
        }
    }
}

text_enum!(
    /// How an iPaymu buyer pays: QRIS from any banking or e-wallet app, or a
    /// bank's virtual account.
    PayChannel {
        Qris = "qris" / "QRIS (any banking or e-wallet app)",
        Bca = "bca" / "BCA virtual account",
        Bni = "bni" / "BNI virtual account",
        Bri = "bri" / "BRI virtual account",
        Mandiri = "mandiri" / "Mandiri virtual account",
        Cimb = "cimb" / "CIMB Niaga virtual account",
        Permata = "permata" / "Permata virtual account",
    }
);

impl PayChannel {
    /// iPaymu's `paymentMethod` for this channel.
    pub fn method(self) -> &'static str {
        match self {
            Self::Qris => "qris",
            _ => "va",
        }
    }
}

/// How to pay an order paid by transfer (iPaymu): shown on the order page until it is paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentInstructions {
    pub channel: PayChannel,
    /// The virtual account number, or the QRIS payload (drawn as a QR code).
    pub payment_no: String,
    /// The account holder's name the bank shows, when the provider gives one.
    pub payment_name: String,
    pub expires_at: Option<i64>,
}

text_enum!(
    /// Where an order stands. See [`OrderStatus::can_become`].
    OrderStatus {
        Pending = "pending" / "Waiting for payment",
        Paid = "paid" / "Paid",
        Failed = "failed" / "Payment failed",
        Expired = "expired" / "Payment window expired",
        Cancelled = "cancelled" / "Cancelled",
        Refunded = "refunded" / "Refunded",
    }
);

impl OrderStatus {
    /// The only moves an order can make. Repeated or late notifications can
    /// never un-pay an order, pay it twice, or revive a refunded one. A payment
    /// that arrives after a failure/expiry still counts: money received wins.
    pub fn can_become(self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (Pending, Paid | Failed | Expired | Cancelled) | (Failed | Expired | Cancelled, Paid) | (Paid, Refunded)
        )
    }

    /// Statuses an order may be in to move to `next`.
    pub fn sources_of(next: OrderStatus) -> Vec<OrderStatus> {
        OrderStatus::ALL.iter().copied().filter(|s| s.can_become(next)).collect()
    }

    /// What happens next, for the buyer.
    pub fn next_step(self) -> &'static str {
        match self {
            Self::Pending => {
                "We are waiting for the payment provider to confirm your payment. This page updates when it does."
            }
            Self::Paid => {
                "Your payment is confirmed. What you bought is being delivered; you will get an email when it is ready."
            }
            Self::Failed => {
                "The payment did not go through and nothing was charged. You can try again from the product page."
            }
            Self::Expired => {
                "The payment window closed before the payment arrived. You can start a new order from the product page."
            }
            Self::Cancelled => "This order was cancelled. Nothing was charged.",
            Self::Refunded => "This order was refunded and its access has been withdrawn.",
        }
    }
}

/// An order as its buyer (and staff) see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub public_id: String,
    pub product_name: String,
    pub product_path: String,
    pub amount: i64,
    pub currency: String,
    pub gateway: Gateway,
    pub status: OrderStatus,
    pub created_at: i64,
    pub paid_at: Option<i64>,
    pub buyer_email: String,
    pub delivery_kind: DeliveryKind,
    /// `pending`, `delivered`, `failed`, `revoked`, or none yet.
    pub delivery_status: Option<DeliveryStatus>,
    pub delivery_detail: String,
    /// What `delivery_detail` says, as values for each language's words (empty: its words say it all).
    #[serde(default)]
    pub delivery_note: Vec<(String, String)>,
    pub events: Vec<OrderEventView>,
    /// How to pay, while a transfer is awaited (iPaymu orders).
    pub payment: Option<PaymentInstructions>,
    /// The coupon the order was priced with, and what it took off `amount`'s price.
    pub coupon: Option<String>,
    pub discount: i64,
    /// What staff must look at and decide (a coupon used past its limit, a partial
    /// refund); only in staff's view.
    pub staff_notice: Option<String>,
    /// What the gateway reported refunded so far, in the order's currency.
    pub refunded_amount: i64,
}

impl OrderView {
    pub fn amount_label(&self) -> String {
        let currency = Currency::parse(&self.currency).unwrap_or(Currency::Idr);
        Money { minor: self.amount, currency }.to_string()
    }

    /// "Coupon EARLYBIRD took Rp 30.000 off.", when one did.
    pub fn coupon_label(&self) -> Option<String> {
        let currency = Currency::parse(&self.currency).unwrap_or(Currency::Idr);
        self.coupon.as_ref().map(|code| format!("Coupon {code} took {} off.", Money { minor: self.discount, currency }))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEventView {
    pub at: i64,
    pub gateway: String,
    pub outcome: String,
    pub applied: bool,
    pub note: String,
    /// The provider's raw payload: staff only (empty for buyers).
    pub raw: String,
}

impl OrderEventView {
    /// The event in plain words.
    pub fn describe(&self) -> String {
        let what = match self.outcome.as_str() {
            "paid" => "Payment confirmed",
            "pending" => "Payment started, waiting for confirmation",
            "failed" => "Payment declined",
            "expired" => "Payment window expired",
            "cancelled" => "Payment cancelled",
            "refunded" => "Refund issued",
            "rejected" => "Notification rejected (it did not match this order)",
            "created" => "Order created",
            other => other,
        };
        if self.applied || self.outcome == "created" {
            what.to_owned()
        } else {
            format!("{what} (already recorded; no change)")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    #[test]
    fn an_order_never_moves_backwards() {
        assert!(Pending.can_become(Paid));
        assert!(Paid.can_become(Refunded));
        assert!(Expired.can_become(Paid), "money that arrives late still counts");
        for s in OrderStatus::ALL {
            assert!(!Paid.can_become(*s) || *s == Refunded, "paid -> {s}");
            assert!(!Refunded.can_become(*s), "refunded -> {s}");
            assert!(!s.can_become(Pending), "{s} -> pending");
        }
        assert!(!Failed.can_become(Refunded));
    }
}
