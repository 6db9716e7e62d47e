//! Security headers on every response: a Content-Security-Policy, COOP,
//! Permissions-Policy, HSTS in production, and `Cache-Control: no-store` on the
//! private areas.
//!
//! The policy allows inline scripts by their SHA-256, not by a per-request nonce:
//! anonymous pages are rendered once and served from memory to everyone, so a
//! nonce in them would be the same for every visitor (and so worth nothing).
//! The inline scripts are fixed: the island loader (from the build's asset names)
//! and Leptos's two bootstrap lines. A test checks every page's inline scripts
//! against the policy, so a Leptos upgrade that changes them fails CI, not users.

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Leptos's inline bootstrap scripts on a page whose resources are all resolved on
/// the server (every page here: `server::render` renders a page once its data is in).
const LEPTOS_BOOTSTRAP: [&str; 2] = [
    "__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];",
    "__INCOMPLETE_CHUNKS=[];",
];

/// Where checkout forms end up: a form's redirect to the payment page is checked
/// against `form-action` too.
const PAYMENT_PAGES: &str = "https://app.midtrans.com https://app.sandbox.midtrans.com \
                             https://www.paypal.com https://www.sandbox.paypal.com";

/// The bodies of the executable inline `<script>` elements in `html`.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        let tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else { break };
        let body = &after[body_start..body_start + close];
        let data_block = tag.contains("application/ld+json") || tag.contains("application/json");
        if !tag.contains(" src=") && !data_block {
            scripts.push(body);
        }
        rest = &after[body_start + close..];
    }
    scripts
}

/// `'sha256-…'` of a script body, as CSP writes it.
pub fn script_hash(body: &str) -> String {
    use base64::Engine;
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body.as_bytes())))
}

/// The policy for pages whose head carries `head_html` (the island scripts).
pub fn content_security_policy(head_html: &str) -> String {
    let mut hashes: Vec<String> = inline_scripts(head_html).into_iter().map(script_hash).collect();
    hashes.extend(LEPTOS_BOOTSTRAP.iter().map(|s| script_hash(s)));
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; \
         style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self' {PAYMENT_PAGES}",
        hashes.join(" ")
    )
}

/// The headers, computed once at start-up.
#[derive(Clone)]
pub struct SecurityHeaders {
    csp: HeaderValue,
    hsts: Option<HeaderValue>,
}

impl SecurityHeaders {
    pub fn new(head_html: &str, production: bool) -> Self {
        let csp = HeaderValue::from_str(&content_security_policy(head_html)).expect("the policy is ASCII");
        let hsts = production.then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains"));
        Self { csp, hsts }
    }
}

/// Paths whose answers are somebody's own data: never stored by a browser or proxy.
fn is_private(path: &str) -> bool {
    ["/dashboard", "/client", "/admin", "/api/dashboard", "/api/client", "/api/admin", "/files"]
        .iter()
        .any(|base| path.strip_prefix(base).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
}

/// Adds the policy headers to every answer (a page may bring its own CSP).
pub async fn security_headers(State(policy): State<Arc<SecurityHeaders>>, req: Request, next: Next) -> Response {
    let private = is_private(req.uri().path());
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy.csp.clone());
    }
    headers.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
    );
    if let Some(hsts) = &policy.hsts {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
    if private {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_executable_inline_scripts_are_hashed() {
        let html = r#"<link rel="x"><script type="module" nonce="n">boot()</script><script src="/a.js"></script>
            <script type="application/ld+json">{"a":1}</script><script>x=1;</script>"#;
        assert_eq!(inline_scripts(html), vec!["boot()", "x=1;"]);
        let csp = content_security_policy(html);
        assert!(csp.contains(&script_hash("boot()")) && csp.contains(&script_hash("x=1;")));
        let script_src = csp.split(';').find(|d| d.trim_start().starts_with("script-src ")).unwrap();
        assert!(!script_src.contains("unsafe-inline"), "{script_src}");
    }

    #[test]
    fn private_areas_are_recognised_and_lookalikes_are_not() {
        for path in ["/dashboard", "/dashboard/orders", "/admin", "/client/projects/1", "/api/admin/save_product"] {
            assert!(is_private(path), "{path}");
        }
        for path in ["/", "/blog/dashboard", "/administrators-guide", "/products"] {
            assert!(!is_private(path), "{path}");
        }
    }
}
