//! The per-product waitlist.

use super::contact::one_line;
use super::{Email, ValidationError};
use serde::{Deserialize, Serialize};

/// A waitlist sign-up, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitlistSignup {
    pub email: Email,
    pub name: String,
}

impl WaitlistSignup {
    pub fn parse(email: &str, name: &str) -> Result<Self, ValidationError> {
        let email = Email::parse(email)?;
        let name = one_line(name);
        if name.chars().count() > 100 {
            return Err(ValidationError::new("Keep your name under 100 characters."));
        }
        Ok(Self { email, name })
    }
}

/// Waitlist numbers of one product, for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitlistCount {
    pub product_id: i64,
    pub slug: String,
    pub name: String,
    pub status: String,
    /// Signed up.
    pub count: i64,
    /// Sent the launch mail.
    pub mailed: i64,
    /// Signed up, then paid for it.
    pub converted: i64,
    /// When staff sent the launch mail, and the shared early-bird coupon of a launch
    /// made before each address got its own code.
    pub launched_at: Option<i64>,
    pub coupon: Option<String>,
    /// Early-bird codes of this list used (each address has its own).
    pub codes_used: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitlistPerson {
    pub email: String,
    pub name: String,
    pub joined_at: i64,
    /// Their own early-bird code, once the launch mail went out.
    pub code: Option<String>,
    /// How many times it was used (0 or 1).
    pub code_uses: i64,
}
