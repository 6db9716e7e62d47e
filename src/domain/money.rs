use super::ValidationError;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Currency {
    /// Indonesian rupiah: no minor unit in practice.
    Idr,
    /// US dollar, in cents.
    Usd,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Self::Idr => "IDR",
            Self::Usd => "USD",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "IDR" => Some(Self::Idr),
            "USD" => Some(Self::Usd),
            _ => None,
        }
    }
}

/// An amount in the currency's smallest unit (rupiah; cents for USD). Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Result<Self, ValidationError> {
        if minor < 0 {
            return Err(ValidationError::new("A price cannot be negative."));
        }
        Ok(Self { minor, currency })
    }

    pub fn idr(rupiah: i64) -> Result<Self, ValidationError> {
        Self::new(rupiah, Currency::Idr)
    }

    /// Parses what staff type into a price field: "1.250.000", "1250000" (IDR) or "19.99" (USD).
    pub fn parse(raw: &str, currency: Currency) -> Result<Self, ValidationError> {
        let raw = raw.trim();
        let invalid = || match currency {
            Currency::Idr => ValidationError::new("Enter the price in whole rupiah, like 1250000 or 1.250.000."),
            Currency::Usd => ValidationError::new("Enter the price in dollars, like 19 or 19.99."),
        };
        if raw.is_empty() {
            return Err(ValidationError::new("Enter a price."));
        }
        let minor = match currency {
            Currency::Idr => {
                let digits: String = raw.chars().filter(|c| *c != '.').collect();
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(invalid());
                }
                digits.parse::<i64>().map_err(|_| invalid())?
            }
            Currency::Usd => {
                let (whole, cents) = raw.split_once('.').unwrap_or((raw, ""));
                if whole.is_empty()
                    || cents.len() > 2
                    || !whole.bytes().chain(cents.bytes()).all(|b| b.is_ascii_digit())
                {
                    return Err(invalid());
                }
                let whole: i64 = whole.parse().map_err(|_| invalid())?;
                let cents: i64 = format!("{cents:0<2}").parse().map_err(|_| invalid())?;
                whole.checked_mul(100).and_then(|w| w.checked_add(cents)).ok_or_else(invalid)?
            }
        };
        Self::new(minor, currency)
    }
}

impl fmt::Display for Money {
    /// "Rp 1.250.000" or "US$ 19.99", the same in both languages (#43: the rupiah's
    /// dots, the dollar named as the US one, as Indonesian prices write it).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.currency {
            Currency::Idr => write!(f, "Rp {}", group_thousands(self.minor, '.')),
            Currency::Usd => write!(f, "US$ {}.{:02}", group_thousands(self.minor / 100, ','), self.minor % 100),
        }
    }
}

fn group_thousands(n: i64, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_are_shown_the_indonesian_way() {
        assert_eq!(Money::idr(1_250_000).unwrap().to_string(), "Rp 1.250.000");
        assert_eq!(Money::idr(0).unwrap().to_string(), "Rp 0");
        assert_eq!(Money::idr(999).unwrap().to_string(), "Rp 999");
    }

    #[test]
    fn dollars_keep_their_cents() {
        assert_eq!(Money::new(123_456, Currency::Usd).unwrap().to_string(), "US$ 1,234.56");
        assert_eq!(Money::parse("19.9", Currency::Usd).unwrap().minor, 1990);
    }

    #[test]
    fn staff_typed_prices_parse_or_explain() {
        assert_eq!(Money::parse("1.250.000", Currency::Idr).unwrap().minor, 1_250_000);
        assert!(Money::parse("-5", Currency::Idr).is_err());
        assert!(Money::parse("12,5", Currency::Usd).is_err());
        assert!(Money::parse("1.999", Currency::Usd).is_err());
        assert!(Money::parse("99999999999999999999", Currency::Idr).is_err());
    }
}
