//! The kinds of page: public and the same for every visitor of a kind (the page
//! cache keeps them), public but personal (sign-in forms, a checkout), or in a
//! private area (the guard checks it). Each entry of the page table (`app::pages`)
//! carries its class; the areas' prefixes are here, for the guard.

use super::Area;

/// What kind of page a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageClass {
    /// The same HTML for every anonymous visitor, and for everyone signed in with
    /// the same role: served from the page cache.
    Public,
    /// Public, but different per visitor or request (forms with tokens, a checkout).
    Personal,
    /// Behind sign-in, in this area.
    Private(Area),
}

/// Public pages that exist whatever the content (the sitemap lists them).
pub const STATIC_PAGES: &[&str] = &[
    "/",
    "/products",
    "/saas",
    "/services",
    "/tools",
    "/blog",
    "/portfolio",
    "/demos",
    "/resources",
    "/waitlist",
    "/contact",
    "/developers",
];

/// Pages a link may point to besides those of the sitemap (not for search engines).
pub const LINKABLE_PAGES: &[&str] = &["/login", "/register", "/blog/feed.xml"];

/// The private areas: every page under these prefixes.
pub const AREAS: &[(&str, Area)] =
    &[("/dashboard", Area::Dashboard), ("/client", Area::Client), ("/admin", Area::Admin)];

/// Whether `path` is the prefix itself or a page under it.
fn under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A slug-like segment: what a page's parameter may be for the page to be classified
/// (and all a cache key may hold).
pub fn is_segment(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl Area {
    /// The area a path belongs to, if it is private.
    pub fn of_path(path: &str) -> Option<Self> {
        AREAS.iter().find(|(prefix, _)| under(path, prefix)).map(|(_, area)| *area)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_found_by_prefix_and_lookalikes_are_not() {
        assert_eq!(Area::of_path("/admin/orders/42"), Some(Area::Admin));
        assert_eq!(Area::of_path("/dashboard"), Some(Area::Dashboard));
        assert_eq!(Area::of_path("/dashboards"), None);
        assert_eq!(Area::of_path("/clients"), None);
        assert!(is_segment("shipping-one-binary") && !is_segment("<script>") && !is_segment(""));
    }
}
