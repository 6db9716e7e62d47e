//! Every server function, form and page fed random, malformed and oversized input,
//! as a visitor, a member and staff: never a 5xx, never a dropped connection (a
//! panic), never an ERROR in the log. Deterministic: `FUZZ_SEED` replays a run.

use crate::helpers::{spawn_app_in, ErrorLog, TestApp};
use std::collections::BTreeSet;

/// xorshift64*: small, seeded, good enough to pick inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// 1 to `max` random bytes.
    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let n = 1 + self.below(max);
        (0..n).map(|_| self.next() as u8).collect()
    }

    fn ip(&mut self) -> String {
        let n = self.next();
        format!("10.{}.{}.{}", (n >> 8) as u8, (n >> 16) as u8, (n >> 24) as u8)
    }

    /// A value of a kind that has broken parsers before.
    fn value(&mut self) -> String {
        match self.below(16) {
            0 => String::new(),
            1 => "A".repeat(100_000),
            2 => "ü😀\u{202e}漢".repeat(1 + self.below(2000)),
            3 => "\0\r\n\t\u{7f}\u{1b}[31m".into(),
            4 => {
                ["-1", "0", "9223372036854775808", "-9223372036854775809", "1e309", "NaN", "0x10"][self.below(7)].into()
            }
            5 => "<script>alert(1)</script><img src=x onerror=alert(1)>".into(),
            6 => "../../../etc/passwd".into(),
            7 => "' OR 1=1; DROP TABLE users; --".into(),
            8 => ["2026-13-45", "99999-01-01T25:61", "0000-00-00", "2026-02-30T10:00"][self.below(4)].into(),
            9 => ["true", "on", "false", "yes"][self.below(4)].into(),
            10 => format!("{}@{}", "x".repeat(self.below(300)), "example.com"),
            11 => (self.next() % 1000).to_string(),
            12 => {
                ["active", "draft", "paid", "staff", "monthly", "license_key", "sandbox", "pay"][self.below(8)].into()
            }
            13 => "%".repeat(1 + self.below(50)),
            14 => String::from_utf8_lossy(&self.bytes(200)).into_owned(),
            _ => "[]{}\"'\\".into(),
        }
    }
}

/// Same-site links and form field names found on the pages reachable from `starts`.
async fn crawl(app: &TestApp, client: &reqwest::Client, starts: &[&str]) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut pages: BTreeSet<String> = starts.iter().map(|s| s.to_string()).collect();
    let mut queue: Vec<String> = pages.iter().cloned().collect();
    let mut fields = BTreeSet::new();
    while let Some(path) = queue.pop() {
        let res = client.get(app.url(&path)).send().await.expect("page answers");
        assert!(res.status().as_u16() < 500, "GET {path}: {}", res.status());
        let html = res.text().await.unwrap_or_default();
        for (marker, set) in [(" name=\"", &mut fields), (" href=\"", &mut BTreeSet::new())] {
            for piece in html.split(marker).skip(1) {
                let Some(value) = piece.split('"').next() else { continue };
                let value = value.replace("&amp;", "&");
                if marker == " name=\"" {
                    set.insert(value);
                } else if value.starts_with('/')
                    && !value.starts_with("//")
                    && !value.starts_with("/pkg/")
                    && !value.starts_with("/files/")
                    && pages.len() < 120
                    && pages.insert(value.clone())
                {
                    queue.push(value);
                }
            }
        }
    }
    (pages, fields)
}

fn form_body(rng: &mut Rng, fields: &[String], oversized: bool) -> String {
    let mut pairs = url::form_urlencoded::Serializer::new(String::new());
    for field in fields {
        if oversized || rng.below(3) == 0 {
            let value = if oversized { "Z".repeat(50_000) } else { rng.value() };
            pairs.append_pair(field, &value);
        }
    }
    pairs.finish()
}

/// A query string short enough to be a URL (a URI is at most 64 KB).
fn query(rng: &mut Rng, fields: &[String]) -> String {
    let mut pairs = url::form_urlencoded::Serializer::new(String::new());
    for field in fields {
        if rng.below(4) == 0 {
            let value: String = rng.value().chars().take(200).collect();
            pairs.append_pair(field, &value);
        }
    }
    pairs.finish().chars().take(16_000).collect()
}

#[tokio::test]
async fn random_and_oversized_input_anywhere_never_fails_the_server() {
    let seed = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x05ee_da7e_11e2_u64);
    let mut rng = Rng(seed);
    let log = ErrorLog::capture();
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &[]).await;
    app.state.db.run(|c| atelier::server::seed::demo(c).map(|_| ())).await.expect("demo content");
    app.verified_member("Fuzz Member", "fuzz@example.com", "correct horse battery").await;
    let member = TestApp::new_client();
    app.login_with(&member, "fuzz@example.com", "correct horse battery").await;
    let staff = app.signed_in_staff().await;
    let visitor = TestApp::new_client();

    let (mut pages, mut fields) = crawl(&app, &staff, &["/", "/admin"]).await;
    let (member_pages, member_fields) = crawl(&app, &member, &["/dashboard"]).await;
    pages.extend(member_pages);
    fields.extend(member_fields);
    for extra in ["/login", "/register", "/forgot-password", "/reset-password?token=x", "/contact"] {
        pages.insert(extra.into());
    }
    let fields: Vec<String> = fields.into_iter().collect();
    let mut endpoints: Vec<(String, bool)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_owned(), method == reqwest::Method::GET))
        .collect();
    endpoints.sort();
    assert!(endpoints.len() >= 40, "the server functions are registered: {endpoints:?}");
    for path in [
        "/admin/upload",
        "/admin/preview",
        "/admin/settings/logo",
        "/admin/settings/logo/remove",
        "/api/licenses/validate",
        "/api/licenses/activate",
        "/api/tools/contrast-checker/use",
        "/api/tools/invoice-generator/use",
        "/api/tools/slug-generator/use",
    ] {
        endpoints.push((path.into(), false));
    }
    for path in [
        "/api/user/usage",
        "/api/licenses/public-key",
        "/api/licenses/revoked",
        "/theme.css",
        "/favicon.svg",
        "/logo.png",
        "/icons/32.png",
        "/manifest.webmanifest",
    ] {
        endpoints.push((path.into(), true));
    }

    let mut failures = Vec::new();
    let mut sent = 0;
    for (who, client) in [("visitor", &visitor), ("member", &member), ("staff", &staff)] {
        for (path, is_get) in &endpoints {
            // Signing out would leave the rest of this client's run signed out.
            if who != "visitor" && path.contains("logout") {
                continue;
            }
            for round in 0..8 {
                let mut req = if *is_get {
                    let query =
                        if round == 1 { "q=".to_owned() + &"Z".repeat(30_000) } else { query(&mut rng, &fields) };
                    client.get(format!("{}?{query}", app.url(path)))
                } else {
                    let (content_type, body): (&str, Vec<u8>) = match round {
                        0 => ("application/x-www-form-urlencoded", form_body(&mut rng, &fields, false).into()),
                        1 => ("application/x-www-form-urlencoded", form_body(&mut rng, &fields, true).into()),
                        2 => ("application/x-www-form-urlencoded", rng.bytes(4096)),
                        3 => ("application/json", rng.bytes(512)),
                        4 => ("application/json", br#"{"form": {"slug": 1}, "id": "x", "key": ["a"]}"#.to_vec()),
                        5 => ("multipart/form-data; boundary=zz", b"--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../x.svg\"\r\n\r\n<svg onload=alert(1)>\r\n--zz--".to_vec()),
                        6 => ("application/x-www-form-urlencoded", vec![b'a'; 3 * 1024 * 1024]),
                        _ => ("text/plain", Vec::new()),
                    };
                    client.post(app.url(path)).header("content-type", content_type).body(body)
                };
                req = req.header("origin", &app.address).header("x-forwarded-for", rng.ip());
                if rng.below(2) == 0 {
                    req = req.header("accept", "text/html,application/xhtml+xml");
                }
                sent += 1;
                match req.send().await {
                    Ok(res) if res.status().is_server_error() => {
                        let status = res.status();
                        let body: String = res.text().await.unwrap_or_default().chars().take(300).collect();
                        failures.push(format!("{who} {path} round {round}: {status} {body}"));
                    }
                    Ok(res) => drop(res.bytes().await),
                    Err(err) => failures.push(format!("{who} {path} round {round}: no answer ({err})")),
                }
            }
        }
    }
    // Pages with mangled paths and query strings.
    for page in &pages {
        for _ in 0..3 {
            let mangled = match rng.below(3) {
                0 => {
                    let segment: String = rng.value().chars().take(200).collect();
                    let segment: String = url::form_urlencoded::byte_serialize(segment.as_bytes()).collect();
                    format!("{}/{segment}", page.split(['?', '#']).next().unwrap_or("").trim_end_matches('/'))
                }
                1 => format!("{page}?page=99999999999999999999&q={}", "x".repeat(10_000)),
                _ => format!("{}?{}", page.split(['?', '#']).next().unwrap_or(""), query(&mut rng, &fields)),
            };
            for (who, client) in [("visitor", &visitor), ("staff", &staff)] {
                sent += 1;
                match client.get(app.url(&mangled)).header("x-forwarded-for", rng.ip()).send().await {
                    Ok(res) if res.status().is_server_error() => {
                        failures.push(format!("{who} GET {mangled:.200}: {}", res.status()));
                    }
                    Ok(_) => {}
                    Err(err) => failures.push(format!("{who} GET {mangled:.200}: no answer ({err})")),
                }
            }
        }
    }
    let shown: Vec<String> = failures.iter().map(|f| f.chars().take(400).collect()).collect();
    assert!(failures.is_empty(), "seed {seed}: {} of {sent} requests failed:\n{}", failures.len(), shown.join("\n"));
    assert_eq!(log.errors(), Vec::<String>::new(), "seed {seed}: the log has errors");
    // The staff session survived the run (nothing random signed it out or broke it).
    assert_eq!(staff.get(app.url("/admin")).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_path_segment_longer_than_any_file_name_is_simply_not_found() {
    let log = ErrorLog::capture();
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &[]).await;
    let long: String = url::form_urlencoded::byte_serialize("ü😀".repeat(60).as_bytes()).collect();
    for path in [format!("/{long}"), format!("/favicon.svg/{long}"), format!("/tools/x/{long}")] {
        let res = app.get(&path).await;
        assert_eq!(res.status(), 404, "{path}");
        assert!(res.text().await.unwrap().contains("Page not found"));
    }
    assert_eq!(log.errors(), Vec::<String>::new());
}
