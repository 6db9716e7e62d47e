//! Plain types that validate on construction. They compile for the server and
//! the browser, so both sides accept and refuse exactly the same input.

pub mod account;
pub mod analytics;
pub mod api;
pub mod audit;
pub mod billing;
pub mod clients;
pub mod contact;
pub mod content;
pub mod coupons;
pub mod delivery;
mod email;
pub mod home;
pub mod html;
pub mod i18n;
pub mod jobs;
pub mod legal;
pub mod license;
mod money;
pub mod navigation;
pub mod orders;
pub mod pagination;
pub mod product_files;
pub mod products;
pub mod projects;
mod role;
pub mod settings;
pub mod site_map;
mod slug;
pub mod subscriptions;
mod text_enum;
pub mod time;
pub mod tools;
pub mod uploads;
pub mod users;
pub mod waitlist;
pub mod webhooks;
pub mod work;

pub use account::{Access, Area, Viewer};
pub use email::Email;
pub use i18n::Lang;
pub use money::{Currency, Money};
pub use role::Role;
pub use slug::Slug;

/// A JSON string literal, safe to embed in a `<script>` element (`<` is escaped).
pub fn json_string(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 2);
    out.push('"');
    for c in raw.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Why a value was refused, in words the person who typed it can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValidationError(pub String);

impl ValidationError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_strings_cannot_close_a_script_element() {
        assert_eq!(super::json_string("a\"b</script>\n"), r#""a\"b\u003c/script\u003e\u000a""#);
    }
}
