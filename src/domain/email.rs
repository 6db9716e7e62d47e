use super::ValidationError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An email address, trimmed and with its domain lower-cased.
///
/// The check is deliberately pragmatic (one `@`, a dotted domain, no spaces or
/// control characters, RFC 5321 length limits): the address is proven by the
/// verification mail, not by a regular expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let raw = raw.trim();
        let invalid = || ValidationError::new("Enter an email address like name@example.com.");
        if raw.is_empty() {
            return Err(ValidationError::new("Enter your email address."));
        }
        if raw.len() > 254 {
            return Err(ValidationError::new("That email address is too long."));
        }
        let (local, domain) = raw.rsplit_once('@').ok_or_else(invalid)?;
        let bad_char = |c: char| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"@".contains(c);
        if local.is_empty()
            || local.len() > 64
            || local.chars().any(|c| c.is_whitespace() || c.is_control() || c == '@')
        {
            return Err(invalid());
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err(invalid());
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2
            || domain.chars().any(bad_char)
            || labels.iter().any(|l| l.is_empty() || l.len() > 63 || l.starts_with('-') || l.ends_with('-'))
        {
            return Err(invalid());
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_normalises_the_domain() {
        let email = Email::parse("  Ana.Putri+shop@Studio.Example.COM ").unwrap();
        assert_eq!(email.as_str(), "Ana.Putri+shop@studio.example.com");
    }

    #[test]
    fn refuses_what_cannot_receive_mail() {
        for raw in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@localhost",
            "ana @example.com",
            "ana@exa mple.com",
            "ana@-example.com",
            "ana..b@example.com",
            "ana@example..com",
        ] {
            assert!(Email::parse(raw).is_err(), "{raw:?} should be refused");
        }
    }

    #[test]
    fn an_empty_field_gets_its_own_message() {
        assert_eq!(Email::parse("   ").unwrap_err().to_string(), "Enter your email address.");
    }
}
