//! Every page of the site, classified once: which pages are public and the same
//! for every visitor of a kind (the page cache keeps them), which are public but
//! personal (sign-in forms, a checkout), and which private area the rest belong
//! to (the guard checks it). The router in `app` declares the same paths; a test
//! walks the router's route list and fails on any path not classified here, so a
//! new page cannot silently miss the cache or the guard.

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

/// Pages every anonymous visitor sees alike. `:name` stands for one slug segment.
pub const PUBLIC: &[&str] = &[
    "/",
    "/about",
    "/privacy-policy",
    "/disclaimer",
    "/pages/:slug",
    "/blog",
    "/blog/:slug",
    "/portfolio",
    "/portfolio/:slug",
    "/tools",
    "/tools/:slug",
    "/demos",
    "/resources",
    "/waitlist",
    "/waitlist/:product",
    "/contact",
    "/products",
    "/products/:slug",
    "/saas",
    "/saas/:slug",
    "/services",
    "/services/:slug",
];

/// Public pages that are never shared between visitors.
pub const PERSONAL: &[&str] = &[
    "/checkout/sandbox/:order",
    "/login",
    "/register",
    "/logout",
    "/verify-email",
    "/confirm-email",
    "/forgot-password",
    "/reset-password",
];

/// The private areas: every page under these prefixes.
pub const AREAS: &[(&str, Area)] =
    &[("/dashboard", Area::Dashboard), ("/client", Area::Client), ("/admin", Area::Admin)];

/// Whether `path` is the prefix itself or a page under it.
fn under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A slug-like segment: what a `:name` in a pattern matches (and all a cache key may hold).
fn is_segment(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Whether a concrete path matches a pattern such as `/blog/:slug`.
fn matches(pattern: &str, path: &str) -> bool {
    let (mut pattern, mut path) = (pattern.split('/'), path.split('/'));
    loop {
        match (pattern.next(), path.next()) {
            (None, None) => return true,
            (Some(p), Some(s)) if p.starts_with(':') && is_segment(s) => {}
            (Some(p), Some(s)) if p == s => {}
            _ => return false,
        }
    }
}

/// The class of a concrete path (`/blog/hello`), or `None` for a path that is no page.
pub fn classify(path: &str) -> Option<PageClass> {
    if let Some((_, area)) = AREAS.iter().find(|(prefix, _)| under(path, prefix)) {
        return Some(PageClass::Private(*area));
    }
    if PUBLIC.iter().any(|p| matches(p, path)) {
        return Some(PageClass::Public);
    }
    PERSONAL.iter().any(|p| matches(p, path)).then_some(PageClass::Personal)
}

/// Whether a route pattern as the router lists it (`/blog/:slug`) is classified here.
pub fn declares(pattern: &str) -> bool {
    AREAS.iter().any(|(prefix, _)| under(pattern, prefix)) || PUBLIC.contains(&pattern) || PERSONAL.contains(&pattern)
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
    fn paths_are_classified_by_the_one_list() {
        assert_eq!(classify("/"), Some(PageClass::Public));
        assert_eq!(classify("/blog/shipping-one-binary"), Some(PageClass::Public));
        assert_eq!(classify("/blog/a/b"), None);
        assert_eq!(classify("/blog/<script>"), None, "a slug segment only");
        assert_eq!(classify("/login"), Some(PageClass::Personal));
        assert_eq!(classify("/checkout/sandbox/ORD-1"), Some(PageClass::Personal));
        assert_eq!(classify("/admin/orders/42"), Some(PageClass::Private(Area::Admin)));
        assert_eq!(classify("/dashboard"), Some(PageClass::Private(Area::Dashboard)));
        assert_eq!(classify("/dashboards"), None);
        assert_eq!(Area::of_path("/clients"), None);
        assert!(declares("/services/:slug") && declares("/admin/jobs") && !declares("/nowhere"));
    }
}
