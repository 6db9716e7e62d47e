//! Coupons: a code that takes a percentage or a fixed rupiah amount off, maybe
//! only for one product, until a date, a limited number of times.

use super::time::parse_date;
use super::{Currency, Money, ValidationError};
use serde::{Deserialize, Serialize};

/// How long a pending order holds its coupon's use: the gateways' payment
/// window. Within it, nobody else can take the use it may spend.
pub const HOLD_SECS: i64 = 24 * 3600;

/// What staff type into the coupon form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponForm {
    pub code: String,
    /// `percent` or `fixed`.
    pub kind: String,
    /// "20" (percent) or "25000" / "25.000" (rupiah).
    pub value: String,
    /// A product id, or empty for every product.
    #[serde(default)]
    pub product_id: String,
    /// `YYYY-MM-DD`: the last day it works (Asia/Jakarta), or empty.
    #[serde(default)]
    pub expires_on: String,
    #[serde(default)]
    pub max_uses: String,
    #[serde(default)]
    pub note: String,
}

/// The discount a coupon gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Discount {
    /// 1–100 % of the price.
    Percent(i64),
    /// Rupiah off an IDR price (never below zero).
    FixedIdr(i64),
}

impl Discount {
    /// What comes off `price` (in its currency's minor units), or why the coupon
    /// cannot be used for it. Percentages round down: the buyer never pays less
    /// than the advertised share.
    pub fn off(self, price: i64, currency: Currency) -> Result<i64, ValidationError> {
        match self {
            Discount::Percent(p) => Ok(price * p / 100),
            Discount::FixedIdr(rupiah) if currency == Currency::Idr => Ok(rupiah.min(price)),
            Discount::FixedIdr(_) => Err(ValidationError::new(
                "This code takes rupiah off: choose a way to pay in rupiah (not PayPal) to use it.",
            )),
        }
    }

    /// "20 % off", "Rp 25.000 off".
    pub fn label(self) -> String {
        match self {
            Discount::Percent(p) => format!("{p} % off"),
            Discount::FixedIdr(r) => format!("{} off", Money { minor: r, currency: Currency::Idr }),
        }
    }
}

/// A coupon as staff define it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponInput {
    pub code: String,
    pub discount: Discount,
    pub product_id: Option<i64>,
    /// The first second it no longer works (the end of the given Jakarta day).
    pub expires_at: Option<i64>,
    pub max_uses: Option<i64>,
    pub note: String,
    /// The only buyer address it works for (an early-bird code mailed to one person).
    pub email: Option<String>,
}

/// Codes are shown and compared in capitals: "earlybird" and "EARLYBIRD" are one code.
pub fn normalize_code(raw: &str) -> String {
    raw.trim().to_ascii_uppercase()
}

impl CouponInput {
    pub fn parse(form: &CouponForm) -> Result<Self, ValidationError> {
        let code = normalize_code(&form.code);
        if !(3..=32).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(ValidationError::new(
                "The code is 3 to 32 letters, digits, dashes or underscores, like EARLYBIRD-20.",
            ));
        }
        let value = form.value.trim();
        let discount = match form.kind.as_str() {
            "percent" => {
                let p: i64 = value.trim_end_matches('%').trim().parse().map_err(|_| {
                    ValidationError::new("Enter the percentage as a whole number from 1 to 100, like 20.")
                })?;
                if !(1..=100).contains(&p) {
                    return Err(ValidationError::new("Enter the percentage as a whole number from 1 to 100, like 20."));
                }
                Discount::Percent(p)
            }
            "fixed" => {
                let m = Money::parse(value, Currency::Idr)
                    .map_err(|_| ValidationError::new("Enter the rupiah taken off, like 25000 or 25.000."))?;
                if m.minor == 0 {
                    return Err(ValidationError::new("A fixed discount takes at least Rp 1 off."));
                }
                Discount::FixedIdr(m.minor)
            }
            _ => return Err(ValidationError::new("Choose a percentage or a fixed amount.")),
        };
        let product_id = match form.product_id.trim() {
            "" => None,
            id => Some(id.parse().map_err(|_| ValidationError::new("Choose a product from the list."))?),
        };
        let expires_at = match form.expires_on.trim() {
            "" => None,
            day => {
                let start = parse_date(day)
                    .ok_or_else(|| ValidationError::new("Enter the last day as a date, like 2026-12-31."))?;
                // The day is a Jakarta day: it ends at 24:00 WIB.
                Some(start + super::time::DAY_SECS - super::time::JAKARTA_OFFSET_SECS)
            }
        };
        let max_uses = match form.max_uses.trim() {
            "" => None,
            n => match n.parse::<i64>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    return Err(ValidationError::new(
                        "Enter how many times it can be used (1 or more), or leave it empty.",
                    ))
                }
            },
        };
        let note = super::contact::one_line(&form.note);
        if note.chars().count() > 200 {
            return Err(ValidationError::new("Keep the note under 200 characters."));
        }
        Ok(Self { code, discount, product_id, expires_at, max_uses, note, email: None })
    }
}

/// A coupon as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coupon {
    pub id: i64,
    pub code: String,
    pub discount: Discount,
    pub product_id: Option<i64>,
    pub product_name: Option<String>,
    pub expires_at: Option<i64>,
    pub max_uses: Option<i64>,
    /// Paid orders that used it.
    pub uses: i64,
    pub note: String,
    pub disabled: bool,
    /// Past its last day (as of when it was read).
    pub expired: bool,
    pub created_at: i64,
    /// The only buyer address it works for, if it is bound to one.
    pub email: Option<String>,
}

impl Coupon {
    /// Why `buyer` (their address) cannot use it: a code bound to another address.
    pub fn refusal_for(&self, buyer: &str) -> Option<&'static str> {
        match &self.email {
            Some(bound) if !bound.eq_ignore_ascii_case(buyer.trim()) => {
                Some("This code was mailed to another address: sign in with the address it was sent to.")
            }
            _ => None,
        }
    }

    /// Why it cannot be used now for `product_id`, ignoring uses (checked with the holds).
    pub fn refusal(&self, product_id: i64, now: i64) -> Option<&'static str> {
        if self.disabled {
            return Some("This code is no longer valid.");
        }
        if self.expires_at.is_some_and(|t| now >= t) {
            return Some("This code has expired.");
        }
        if self.product_id.is_some_and(|p| p != product_id) {
            return Some("This code is not valid for this product.");
        }
        None
    }
}

/// The coupons page: every coupon, and the products one can be limited to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponList {
    pub coupons: crate::domain::pagination::Page<Coupon>,
    pub products: Vec<(i64, String)>,
}

/// What the product page shows for a code in its address (`?coupon=`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponCheck {
    pub code: String,
    /// "20 % off", or why it does not apply.
    pub message: String,
    pub valid: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(code: &str, kind: &str, value: &str) -> CouponForm {
        CouponForm { code: code.into(), kind: kind.into(), value: value.into(), ..CouponForm::default() }
    }

    #[test]
    fn codes_are_capitals_and_values_are_checked() {
        let c = CouponInput::parse(&form(" earlybird-20 ", "percent", "20%")).unwrap();
        assert_eq!((c.code.as_str(), c.discount), ("EARLYBIRD-20", Discount::Percent(20)));
        assert_eq!(CouponInput::parse(&form("SAVE", "fixed", "25.000")).unwrap().discount, Discount::FixedIdr(25_000));
        for bad in [
            form("no", "percent", "10"),
            form("has space", "percent", "10"),
            form("OK1", "percent", "0"),
            form("OK1", "percent", "101"),
            form("OK1", "fixed", "0"),
            form("OK1", "fixed", "-5"),
            form("OK1", "both", "5"),
        ] {
            assert!(CouponInput::parse(&bad).is_err(), "{bad:?}");
        }
        let mut f = form("OK1", "percent", "10");
        f.max_uses = "0".into();
        assert!(CouponInput::parse(&f).is_err());
        f.max_uses = "5".into();
        f.expires_on = "2026-12-31".into();
        let c = CouponInput::parse(&f).unwrap();
        assert_eq!(c.max_uses, Some(5));
        // The end of 31 December in Jakarta is 17:00 UTC that day.
        assert_eq!(c.expires_at, Some(parse_date("2026-12-31").unwrap() + 17 * 3600));
    }

    #[test]
    fn discounts_round_down_and_never_go_below_zero() {
        assert_eq!(Discount::Percent(15).off(99_999, Currency::Idr).unwrap(), 14_999);
        assert_eq!(Discount::Percent(100).off(150_000, Currency::Idr).unwrap(), 150_000);
        assert_eq!(Discount::Percent(10).off(999, Currency::Usd).unwrap(), 99);
        assert_eq!(Discount::FixedIdr(200_000).off(150_000, Currency::Idr).unwrap(), 150_000);
        assert!(Discount::FixedIdr(10_000).off(999, Currency::Usd).is_err());
        assert_eq!(Discount::FixedIdr(25_000).label(), "Rp 25.000 off");
    }
}
