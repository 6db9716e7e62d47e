//! People as staff see them in `/admin/users`.

use super::delivery::OwnedItem;
use super::orders::OrderView;
use super::subscriptions::SubscriptionView;
use super::Role;
use serde::{Deserialize, Serialize};

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountState {
    Active,
    /// Registered, email not confirmed yet.
    Unverified,
    /// Turned off by staff: cannot sign in.
    Disabled,
}

impl AccountState {
    pub const ALL: [Self; 3] = [Self::Active, Self::Unverified, Self::Disabled];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Unverified => "unverified",
            Self::Disabled => "disabled",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Self::Active => "Active",
            Self::Unverified => "Email not confirmed",
            Self::Disabled => "Disabled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// A row of the users list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub state: AccountState,
    pub created_at: i64,
    pub paid_orders: i64,
}

/// One person's page: what they bought, hold and where they are signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    pub user: UserRow,
    pub disabled_reason: Option<String>,
    pub orders: Vec<OrderView>,
    pub subscriptions: Vec<SubscriptionView>,
    pub owned: Vec<OwnedItem>,
    /// When each of their sessions expires (unix seconds).
    pub sessions: Vec<i64>,
}
