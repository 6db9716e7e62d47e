//! `/developers`: the API reference, rendered by the server from the same table
//! the router and `/api/v1/openapi.json` are built from (`domain::api::ENDPOINTS`),
//! with how to authenticate, verify webhooks and check license keys offline. No
//! script: the page is text and code.

use crate::components::Seo;
use crate::domain::api::{Endpoint, Scope, ENDPOINTS};
use leptos::prelude::*;

/// The curl line that calls `e` (with a token when it needs one).
fn curl(e: &Endpoint) -> String {
    let path = e.path.replace("{id}", "ATL-7Q2M4K").replace("{slug}", "contrast-checker");
    let mut line = format!("curl -s -X {} \"$SITE_URL{path}\"", e.method);
    if e.token {
        line += " \\\n  -H \"Authorization: Bearer $ATELIER_TOKEN\"";
    }
    if let Some(body) = e.body {
        line += &format!(" \\\n  -H 'Content-Type: application/json' -d '{body}'");
    }
    line
}

fn endpoint_view(e: &'static Endpoint) -> impl IntoView {
    let needs = match (e.token, e.scope) {
        (true, Some(scope)) => format!("A token with the `{}` scope.", scope.as_str()),
        (true, None) => "Any token.".to_owned(),
        (false, _) => "No token.".to_owned(),
    };
    view! {
        <section class="api-endpoint" id=e.id>
            <h3><code>{e.method} " " {e.path}</code></h3>
            <p><strong>{e.summary}</strong> ". " {e.description}</p>
            <p class="muted">{needs}</p>
            <pre><code>{curl(e)}</code></pre>
            <ul class="plain">{e.responses.iter().map(|(status, when)| view! {
                <li><code>{status.to_string()}</code> " " {*when}</li>
            }).collect_view()}</ul>
        </section>
    }
}

const VERIFY_WEBHOOK: &str = r#"# Python: the body as received, the secret from the endpoint's page
import hashlib, hmac, time

def verified(body: bytes, header: str, secret: str) -> bool:
    parts = dict(p.split("=", 1) for p in header.split(","))
    if abs(time.time() - int(parts["t"])) > 300:      # a replay
        return False
    signed = parts["t"].encode() + b"." + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])"#;

/// The reference is written in English, as the API itself is (its codes, fields and
/// messages): the Indonesian page says so and shows it as written, like content
/// without a translation.
#[component]
pub fn DevelopersPage() -> impl IntoView {
    let english = crate::components::page_lang() != crate::domain::Lang::En;
    let en = english.then_some("en");
    view! {
        <Seo title=crate::components::tr("nav-developers") description="The studio's API: your orders, license keys and tools from your own scripts, webhooks, and license keys checked offline." path="/developers"/>
        {english.then(|| view! {
            <div class="container narrow"><p class="notice info content-language">{crate::components::tr("developers-in-english")}</p></div>
        })}
        <section class="container narrow section developers" lang=en>
            <h1>"Developers"</h1>
            <p class="lead">"Your account, orders, license keys and the tools, from your own scripts; events pushed to your servers; license keys your apps check offline."</p>
            <p>"The whole reference as OpenAPI 3.1: " <a href="/api/v1/openapi.json"><code>"/api/v1/openapi.json"</code></a> "."</p>

            <h2>"Authentication"</h2>
            <p>"Make a personal access token in your account under " <a href="/dashboard/tokens">"API tokens"</a>
               ", with only what it needs:"</p>
            <ul>{Scope::ALL.iter().map(|s| view! { <li><code>{s.as_str()}</code> " — " {s.label()}</li> }).collect_view()}</ul>
            <p>"Send it as " <code>"Authorization: Bearer atl_…"</code> ". It is shown once; revoke it there when it leaks. A token opens no page of the site. Each token may make 60 requests a minute; past that the answer is " <code>"429"</code> " with " <code>"Retry-After"</code> "."</p>
            <p>"Every failure is JSON, " <code>"{\"error\": \"invalid_token\", \"message\": \"…\"}"</code> ", with a stable " <code>"error"</code> " code. Lists give 50 items newest first and the next page's cursor as " <code>"next"</code> " (pass it as " <code>"?before="</code> "). Times are ISO 8601 in UTC; money is whole rupiah or US cents."</p>

            <h2>"Endpoints"</h2>
            {ENDPOINTS.iter().map(endpoint_view).collect_view()}

            <h2 id="webhooks">"Webhooks"</h2>
            <p>"The studio can POST events to your server as they happen: " <code>"order.paid"</code> ", " <code>"order.refunded"</code> ", " <code>"subscription.renewed"</code> ", " <code>"subscription.expired"</code> ", " <code>"invoice.paid"</code> ", " <code>"waitlist.joined"</code> ", " <code>"contact.received"</code> " (and " <code>"ping"</code> " when staff test an endpoint). Each is JSON with " <code>"event"</code> ", " <code>"created_at"</code> " and what it is about, and three headers:"</p>
            <ul>
                <li><code>"X-Atelier-Event"</code> " — the event."</li>
                <li><code>"X-Atelier-Delivery"</code> " — its id, the same on every retry: drop a repeat."</li>
                <li><code>"X-Atelier-Signature: t=<unix seconds>,v1=<hex>"</code> " — an HMAC-SHA256 of " <code>"<t>.<body>"</code> " with the endpoint's secret."</li>
            </ul>
            <p>"Answer with a 2xx within 10 seconds. A 429, a 5xx or no answer is retried with back-off; any other answer ends the tries."</p>
            <pre><code>{VERIFY_WEBHOOK}</code></pre>

            <h2 id="offline-licenses">"License keys checked offline"</h2>
            <p>"A signed key is one line, " <code>"ATLS1.<payload>.<signature>"</code> ": the payload is base64url JSON " <code>"{\"v\":1,\"product\",\"kid\",\"iat\",\"exp\",\"act\"}"</code> " and the signature is Ed25519 over the text before the last dot. Fetch the public key once from " <a href="#licensePublicKey"><code>"/api/v1/licenses/public-key"</code></a> " and ship it with your app; refresh the signed list of revoked keys from " <a href="#revokedLicenses"><code>"/api/v1/licenses/revoked"</code></a> " now and then. Online, " <a href="#validateLicense"><code>"validate"</code></a> " checks a key and its seats."</p>
        </section>
    }
}
