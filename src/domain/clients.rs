//! Agency clients: a company, its people (accounts with the client role), and
//! what staff type to create one or invite someone.

use super::contact::one_line;
use super::{Email, ValidationError};
use serde::{Deserialize, Serialize};

/// A client as staff enter it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientInput {
    pub name: String,
    pub billing_address: String,
    pub tax_id: String,
}

impl ClientInput {
    pub fn parse(name: &str, billing_address: &str, tax_id: &str) -> Result<Self, ValidationError> {
        let name = one_line(name);
        if name.is_empty() || name.chars().count() > 120 {
            return Err(ValidationError::new("Enter the company's name (up to 120 characters)."));
        }
        let billing_address =
            billing_address.lines().map(one_line).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n");
        if billing_address.chars().count() > 500 {
            return Err(ValidationError::new("Keep the billing address to 500 characters."));
        }
        let tax_id = one_line(tax_id);
        if tax_id.chars().count() > 40 {
            return Err(ValidationError::new("Keep the tax id to 40 characters."));
        }
        Ok(Self { name, billing_address, tax_id })
    }
}

/// Someone staff invite to a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub name: String,
    pub email: Email,
}

impl Invite {
    pub fn parse(name: &str, email: &str) -> Result<Self, ValidationError> {
        let name = one_line(name);
        if name.is_empty() || name.chars().count() > 100 {
            return Err(ValidationError::new("Enter the person's name (up to 100 characters)."));
        }
        Ok(Self { name, email: Email::parse(email)? })
    }
}

/// One of a client's people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientPerson {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// False until they set a password from the invitation.
    pub active: bool,
    pub added_at: i64,
    /// The language they read: their mail is written in it.
    pub lang: super::Lang,
}

/// A client with its people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    pub id: i64,
    pub name: String,
    pub billing_address: String,
    pub tax_id: String,
    /// The language its invoices print in.
    pub lang: super::Lang,
    pub people: Vec<ClientPerson>,
}

/// A row of `/admin/clients`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRow {
    pub id: i64,
    pub name: String,
    pub people: i64,
    pub created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_and_invites_are_checked() {
        let c = ClientInput::parse(" PT Maju ", "Jl. Thamrin 9\n\n Jakarta ", "01.2").unwrap();
        assert_eq!((c.name.as_str(), c.billing_address.as_str()), ("PT Maju", "Jl. Thamrin 9\nJakarta"));
        assert!(ClientInput::parse("  ", "", "").is_err());
        assert!(Invite::parse("Rina", "not an email").is_err());
        assert!(Invite::parse("", "rina@maju.example").is_err());
        assert_eq!(Invite::parse("Rina", " rina@maju.example ").unwrap().email.as_str(), "rina@maju.example");
    }
}
