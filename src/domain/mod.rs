//! Plain types that validate on construction. They compile for the server and
//! the browser, so both sides accept and refuse exactly the same input.

pub mod account;
mod email;
mod money;
mod role;
mod slug;

pub use account::{Access, Area, Viewer};
pub use email::Email;
pub use money::{Currency, Money};
pub use role::Role;
pub use slug::Slug;

/// Why a value was refused, in words the person who typed it can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValidationError(pub String);

impl ValidationError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
