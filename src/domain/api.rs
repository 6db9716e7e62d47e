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

/// One endpoint of `/api/v1/`, described once: the router, the OpenAPI document
/// and the `/developers` reference are all built from [`ENDPOINTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// The OpenAPI `operationId`, and how the router finds its handler.
    pub id: &'static str,
    /// `GET` or `POST`.
    pub method: &'static str,
    pub path: &'static str,
    /// Whether it needs a personal access token, and the scope it needs.
    pub token: bool,
    pub scope: Option<Scope>,
    pub summary: &'static str,
    pub description: &'static str,
    /// An example JSON body, for a `POST`.
    pub body: Option<&'static str>,
    /// Every status it answers with (besides 429 and 503, which any may), and when.
    pub responses: &'static [(u16, &'static str)],
}

const TOKEN_FAILURES: [(u16, &str); 2] = [
    (401, "No token (`token_required`), or one revoked, mistyped or of a disabled account (`invalid_token`)."),
    (403, "The token lacks the scope (`insufficient_scope`)."),
];

macro_rules! responses {
    (token; $($r:expr),* $(,)?) => { &[$($r,)* TOKEN_FAILURES[0], TOKEN_FAILURES[1]] };
    ($($r:expr),* $(,)?) => { &[$($r),*] };
}

/// Every endpoint of the API, in the order the reference lists them.
pub const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        id: "getMe",
        method: "GET",
        path: "/api/v1/me",
        token: true,
        scope: None,
        summary: "The token's account",
        description: "The account the token acts for (`id`, `name`, `email`, `role`) and the token's `scopes`.",
        body: None,
        responses: responses!(token; (200, "The account and the token's scopes.")),
    },
    Endpoint {
        id: "listOrders",
        method: "GET",
        path: "/api/v1/orders",
        token: true,
        scope: Some(Scope::OrdersRead),
        summary: "Your orders",
        description: "The account's orders, newest first, 50 a page: `{\"data\": [{\"id\", \"product\", \"amount\", \
                      \"currency\", \"status\", \"gateway\", \"created_at\", \"paid_at\", \"delivery\"}], \"next\"}`. \
                      Pass `next` as `?before=` for the older page.",
        body: None,
        responses: responses!(token; (200, "A page of orders."), (400, "A `before` cursor that is not one (`invalid_cursor`).")),
    },
    Endpoint {
        id: "getOrder",
        method: "GET",
        path: "/api/v1/orders/{id}",
        token: true,
        scope: Some(Scope::OrdersRead),
        summary: "One of your orders",
        description: "One order by its id (`ATL-…`). Another account's order is not found.",
        body: None,
        responses: responses!(token; (200, "The order."), (404, "You have no order with this id (`not_found`).")),
    },
    Endpoint {
        id: "listLicenses",
        method: "GET",
        path: "/api/v1/licenses",
        token: true,
        scope: Some(Scope::LicensesRead),
        summary: "Your license keys",
        description: "The account's license keys, newest purchase first, 50 a page, each with its `status` \
                      (`active`, `expired`, `revoked`), activation limit and `activations`.",
        body: None,
        responses: responses!(token; (200, "A page of keys."), (400, "A `before` cursor that is not one (`invalid_cursor`).")),
    },
    Endpoint {
        id: "getUsage",
        method: "GET",
        path: "/api/v1/usage",
        token: true,
        scope: Some(Scope::UsageRead),
        summary: "Your tool usage",
        description: "Runs per tool today and this month, with the day's limit and what remains (days are \
                      Asia/Jakarta days).",
        body: None,
        responses: responses!(token; (200, "Usage per tool.")),
    },
    Endpoint {
        id: "useTool",
        method: "POST",
        path: "/api/v1/tools/{slug}/use",
        token: true,
        scope: Some(Scope::Tools),
        summary: "Run a tool",
        description: "Runs the tool published at `/tools/{slug}` with a JSON body (the slug generator takes \
                      `{\"text\"}`, the contrast checker `{\"foreground\", \"background\"}`), counted against the \
                      account's daily quota. Input is checked before anything is counted.",
        body: Some(r##"{"foreground": "#000000", "background": "#FFFFFF"}"##),
        responses: responses!(token;
            (200, "The result and the runs `remaining` today."),
            (400, "Input that is not right (`invalid_input`, `invalid_json`)."),
            (404, "No tool at this address (`not_found`)."),
            (413, "A body over 64 KB (`too_large`)."),
            (415, "A body that is not JSON (`unsupported_media_type`)."),
        ),
    },
    Endpoint {
        id: "validateLicense",
        method: "POST",
        path: "/api/v1/licenses/validate",
        token: false,
        scope: None,
        summary: "Check a license key",
        description: "Whether a key is valid for an `instance` (a machine's fingerprint). Keyed by the license \
                      key itself: no token. Also at `/api/licenses/validate`.",
        body: Some(r#"{"key": "ATL-…", "instance": "laptop"}"#),
        responses: responses!(
            (200, "`{\"valid\", \"status\", …}`."),
            (400, "A body or key that is not right (`invalid_request`, `invalid_key`)."),
            (404, "No such key (`not_found`)."),
        ),
    },
    Endpoint {
        id: "activateLicense",
        method: "POST",
        path: "/api/v1/licenses/activate",
        token: false,
        scope: None,
        summary: "Activate a key on a machine",
        description: "Takes one of the key's seats for `instance` (with an optional `name` its owner sees). \
                      Also at `/api/licenses/activate`.",
        body: Some(r#"{"key": "ATL-…", "instance": "fp-3c1e", "name": "Ayu's laptop"}"#),
        responses: responses!(
            (200, "Activated (or already active on this instance)."),
            (400, "A body or key that is not right."),
            (404, "No such key (`not_found`)."),
            (409, "Every seat is taken (`activation_limit`)."),
        ),
    },
    Endpoint {
        id: "deactivateLicense",
        method: "POST",
        path: "/api/v1/licenses/deactivate",
        token: false,
        scope: None,
        summary: "Free a machine's seat",
        description: "Frees the seat `instance` held. Also at `/api/licenses/deactivate`.",
        body: Some(r#"{"key": "ATL-…", "instance": "laptop"}"#),
        responses: responses!(
            (200, "Deactivated."),
            (400, "A body or key that is not right."),
            (404, "No such key (`not_found`)."),
        ),
    },
    Endpoint {
        id: "licensePublicKey",
        method: "GET",
        path: "/api/v1/licenses/public-key",
        token: false,
        scope: None,
        summary: "The key that signs license keys",
        description: "The studio's Ed25519 public key (base64url), to verify signed keys (`ATLS1.…`) offline.",
        body: None,
        responses: responses!((200, "`{\"algorithm\", \"encoding\", \"public_key\", \"key_format\"}`.")),
    },
    Endpoint {
        id: "revokedLicenses",
        method: "GET",
        path: "/api/v1/licenses/revoked",
        token: false,
        scope: None,
        summary: "Revoked signed keys",
        description: "The ids (`kid`) of revoked signed keys, signed like the keys: `{\"payload\", \"signature\"}` \
                      with `payload` base64url JSON `{\"issued_at\", \"revoked\"}`.",
        body: None,
        responses: responses!((200, "The signed list.")),
    },
    Endpoint {
        id: "openApi",
        method: "GET",
        path: "/api/v1/openapi.json",
        token: false,
        scope: None,
        summary: "This reference, as OpenAPI 3.1",
        description: "The OpenAPI 3.1 document of every endpoint here, built from the same table as the router.",
        body: None,
        responses: responses!((200, "The document.")),
    },
];
