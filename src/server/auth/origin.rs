//! Cross-origin state changes are refused: a POST (PUT, PATCH, DELETE) whose
//! `Origin` (or, without it, `Referer`) is another site never reaches a handler.
//! Payment-provider webhooks and the license API are called by servers, not
//! browsers, and are exempt (they carry their own signatures/keys).

use axum::http::{header, HeaderMap, Method};

/// A mail client's one-click unsubscribe (RFC 8058) is a POST from the mail
/// provider's servers; the link carries its own HMAC and can only turn mail off.
const EXEMPT_PREFIXES: [&str; 3] = ["/api/payment/", "/api/licenses/", "/mail/unsubscribe"];

/// Whether a request with this method and path may change state without
/// showing where it comes from: a safe method, or one of the exempt addresses.
pub fn exempt(method: &Method, path: &str) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
        || EXEMPT_PREFIXES.iter().any(|p| path.starts_with(p))
}

/// The origin (`scheme://host[:port]`) of a URL.
fn origin_of(url: &str) -> Option<&str> {
    let rest_start = url.find("://")? + 3;
    let end = url[rest_start..].find('/').map_or(url.len(), |i| rest_start + i);
    Some(&url[..end])
}

/// Whether the request's `Origin`/`Referer` is this site: `SITE_URL`'s origin or
/// the origin of the `Host` it was sent to. A request with neither is refused
/// unless `Sec-Fetch-Site` says it is same-origin.
/// `from_trusted_proxy`: the request came from a trusted proxy, so its
/// `X-Forwarded-Proto` says the scheme the browser used.
pub fn same_origin(headers: &HeaderMap, site_url: &str, from_trusted_proxy: bool) -> bool {
    // Browsers say where a request comes from in `Sec-Fetch-Site`, which pages
    // cannot set: a form on another site (or a sibling subdomain) is refused
    // whatever its `Origin` claims.
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(fetch_site, Some("cross-site" | "same-site")) {
        return false;
    }
    let claimed =
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()).filter(|o| *o != "null").map(str::to_owned).or_else(
            || headers.get(header::REFERER).and_then(|v| v.to_str().ok()).and_then(origin_of).map(str::to_owned),
        );
    let Some(claimed) = claimed else {
        // Browsers send `Origin` with every POST; a sandboxed or privacy-stripped
        // context sends `Origin: null`. Without a usable `Origin` or `Referer`, only
        // the browser's own word that the request is same-origin lets it through.
        return fetch_site == Some("same-origin");
    };
    let claimed = claimed.to_ascii_lowercase();
    if origin_of(site_url).is_some_and(|o| o.eq_ignore_ascii_case(&claimed)) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let scheme = if from_trusted_proxy {
        headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).unwrap_or("http")
    } else {
        "http"
    };
    host.is_some_and(|h| {
        let h = h.to_ascii_lowercase();
        claimed == format!("{scheme}://{h}") || claimed == format!("https://{h}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(k.clone(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn a_browser_saying_cross_site_is_refused_whatever_the_origin_claims() {
        let site = "https://studio.example";
        let h = |fetch_site: &str| {
            headers(&[
                (header::ORIGIN, "https://studio.example"),
                (header::HeaderName::from_static("sec-fetch-site"), fetch_site),
            ])
        };
        assert!(same_origin(&h("same-origin"), site, false));
        assert!(!same_origin(&h("cross-site"), site, false));
        assert!(!same_origin(&h("same-site"), site, false));
    }

    #[test]
    fn our_own_forms_pass_and_other_sites_do_not() {
        let site = "https://studio.example";
        assert!(same_origin(&headers(&[(header::ORIGIN, "https://studio.example")]), site, false));
        assert!(!same_origin(&headers(&[(header::ORIGIN, "https://evil.example")]), site, false));
        assert!(!same_origin(&headers(&[(header::ORIGIN, "https://studio.example.evil.example")]), site, false));
        assert!(same_origin(&headers(&[(header::REFERER, "https://studio.example/login?next=/x")]), site, false));
        assert!(!same_origin(&headers(&[(header::REFERER, "https://evil.example/studio.example")]), site, false));
        assert!(!same_origin(&headers(&[(header::ORIGIN, "null")]), site, false));
    }

    #[test]
    fn a_state_change_that_says_nothing_of_where_it_comes_from_is_refused() {
        let site = "https://studio.example";
        assert!(!same_origin(&HeaderMap::new(), site, false));
        let fetch = |v: &str| headers(&[(header::HeaderName::from_static("sec-fetch-site"), v)]);
        assert!(same_origin(&fetch("same-origin"), site, false));
        assert!(!same_origin(&fetch("none"), site, false));
    }

    #[test]
    fn the_host_the_browser_used_counts_as_this_site() {
        let h = headers(&[(header::ORIGIN, "http://127.0.0.1:4567"), (header::HOST, "127.0.0.1:4567")]);
        assert!(same_origin(&h, "http://127.0.0.1:3000", false));
        let spoof = headers(&[(header::ORIGIN, "http://evil.example"), (header::HOST, "127.0.0.1:4567")]);
        assert!(!same_origin(&spoof, "http://127.0.0.1:3000", false));
    }
}
