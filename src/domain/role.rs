use serde::{Deserialize, Serialize};
use std::fmt;

/// What a signed-in person may do. Stored as text in `users.role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Client,
    Staff,
}

impl Role {
    pub const ALL: [Self; 3] = [Self::Member, Self::Client, Self::Staff];

    /// The role in words for staff.
    pub fn label(self) -> &'static str {
        match self {
            Self::Member => "Member",
            Self::Client => "Client",
            Self::Staff => "Staff",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Client => "client",
            Self::Staff => "staff",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "member" => Some(Self::Member),
            "client" => Some(Self::Client),
            "staff" => Some(Self::Staff),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_stored_names() {
        for role in [Role::Member, Role::Client, Role::Staff] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}
