//! The public JSON API's vocabulary: what a personal access token may do, how a
//! person asks for one, and how one is shown back to them.

use super::text_enum::text_enum;
use super::ValidationError;
use serde::{Deserialize, Serialize};

text_enum!(
    /// What a personal access token allows, from a fixed list.
    Scope {
        Tools = "tools" / "Run the tools",
        UsageRead = "usage:read" / "Read your tool usage",
        OrdersRead = "orders:read" / "Read your orders",
        LicensesRead = "licenses:read" / "Read your license keys",
        LicensesWrite = "licenses:write" / "Activate and deactivate your license keys",
    }
);

/// How every token begins, so a leaked one is recognisable (and scannable).
pub const TOKEN_PREFIX: &str = "atl_";
/// How many tokens a person may hold (revoked ones do not count).
pub const MAX_TOKENS: usize = 20;

/// A token as its owner sees it in their account (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    /// Its first characters, like `atl_3F9a…`.
    pub prefix: String,
    pub scopes: Vec<Scope>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// The scopes a token was given, as stored (space-separated); unknown ones are dropped.
pub fn parse_scopes(stored: &str) -> Vec<Scope> {
    stored.split_whitespace().filter_map(Scope::parse).collect()
}

/// A request for a new token, checked: its name and at least one known scope.
pub fn check_request(name: &str, scopes: &[String]) -> Result<(String, Vec<Scope>), ValidationError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(ValidationError::new("Name the token in at most 60 characters, like \"CI deploy script\"."));
    }
    let mut chosen = Vec::new();
    for raw in scopes {
        let scope = Scope::parse(raw.trim()).ok_or_else(|| {
            ValidationError::new(format!("{raw:?} is not a scope. Choose from the list on the form."))
        })?;
        if !chosen.contains(&scope) {
            chosen.push(scope);
        }
    }
    if chosen.is_empty() {
        return Err(ValidationError::new("Choose at least one thing the token may do."));
    }
    chosen.sort_by_key(|s| Scope::ALL.iter().position(|a| a == s));
    Ok((name.to_owned(), chosen))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_request_needs_a_name_and_known_scopes() {
        let ask = |name: &str, scopes: &[&str]| {
            check_request(name, &scopes.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
        };
        assert_eq!(
            ask(" CI ", &["orders:read", "tools", "tools"]).unwrap(),
            ("CI".to_owned(), vec![Scope::Tools, Scope::OrdersRead])
        );
        assert!(ask("", &["tools"]).unwrap_err().0.contains("Name the token"));
        assert!(ask("CI", &[]).unwrap_err().0.contains("at least one"));
        assert!(ask("CI", &["admin"]).unwrap_err().0.contains("\"admin\" is not a scope"));
        assert_eq!(parse_scopes("tools bogus usage:read"), [Scope::Tools, Scope::UsageRead]);
    }
}
