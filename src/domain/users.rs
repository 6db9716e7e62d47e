//! People as staff see them in `/admin/users`.

use super::delivery::OwnedItem;
use super::orders::OrderView;
use super::subscriptions::SubscriptionView;
use super::text_enum::text_enum;
use super::Role;
use serde::{Deserialize, Serialize};

text_enum!(
    /// Where an account stands: active, email not confirmed yet, or disabled by staff (cannot sign in).
    AccountState {
        Active = "active" / "Active",
        Unverified = "unverified" / "Email not confirmed",
        Disabled = "disabled" / "Disabled",
    }
);

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
