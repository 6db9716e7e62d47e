//! Load benchmark of Atelier's pages, run by `.ci/bench` against a release server
//! over a demo database (never part of the test suite: numbers depend on the
//! machine). It fills the catalog to 60 products, then, for each page, sends a
//! fixed number of requests over 32 connections and reports throughput, p50/p99
//! latency, the server's CPU time per request (from /proc) and its resident
//! memory; then what a public page and the dashboard download to become
//! interactive (the WASM and JS the HTML references, brotli as served). It exits
//! non-zero when a budget is missed.

use atelier::domain::products::{ProductForm, ProductInput};
use atelier::server::db::{catalog, Db, DbError};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CONNECTIONS: usize = 32;
const REQUESTS: usize = 20_000;
const WARMUP: usize = 1_000;
const CATALOG_SIZE: usize = 60;
const POST: &str = "/blog/shipping-a-web-app-as-one-binary";

/// Budgets: server CPU per request by kind of page, p99, resident memory, downloads.
const CACHED_CPU_MS: f64 = 0.05;
const MAX_P99_MS: f64 = 5.0;
const MAX_RSS_MB: f64 = 40.0;
/// Public pages and the dashboard have no island: they load no script at all.
const NO_ISLAND_BUNDLE_KB: f64 = 0.0;
/// A page with an island (the editor's live preview) loads the bundle.
const ISLAND_BUNDLE_KB: f64 = 100.0;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run this through .ci/bench"))
}

/// User plus system CPU time of a process, in clock ticks.
fn cpu_ticks(pid: &str) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("the server process is running");
    // Fields after the command name (which may contain spaces) start after the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn rss_mb(pid: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// Sends `total` GETs of `path` over `CONNECTIONS` kept-alive connections, as a
/// browser asks (gzip or brotli, the session cookie if any), and returns each
/// request's time to its whole response, sorted. Each connection is driven by
/// hyper's HTTP/1.1 connection API, on two threads: a load generator as light as
/// `wrk -t2` (which the targets were measured with), where a pooled client with a
/// cookie jar took CPU from the server it measures on a 2-core machine.
async fn hammer(addr: &str, path: &str, cookie: Option<&str>, total: usize) -> Vec<Duration> {
    use http_body_util::BodyExt;
    let left = Arc::new(AtomicUsize::new(total));
    let request = {
        let mut req = hyper::Request::get(path).header("host", addr).header("accept-encoding", "br, gzip");
        if let Some(cookie) = cookie {
            req = req.header("cookie", cookie);
        }
        req.body(http_body_util::Empty::<axum::body::Bytes>::new()).unwrap()
    };
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let (left, addr, path) = (left.clone(), addr.to_owned(), path.to_owned());
        let (parts, _) = request.clone().into_parts();
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(&addr).await.expect("connecting to the server");
            stream.set_nodelay(true).unwrap();
            let (mut sender, conn) =
                hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.unwrap();
            tokio::spawn(conn);
            let mut times = Vec::new();
            while left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1)).is_ok() {
                let req = hyper::Request::from_parts(parts.clone(), http_body_util::Empty::<axum::body::Bytes>::new());
                let start = Instant::now();
                let res = sender.send_request(req).await.expect("request");
                assert!(res.status().is_success(), "{path}: {}", res.status());
                res.into_body().collect().await.expect("body");
                times.push(start.elapsed());
            }
            times
        }));
    }
    let mut all = Vec::with_capacity(total);
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    all
}

/// Adds demo products until the catalog page lists `CATALOG_SIZE` (before the server reads it).
async fn fill_catalog(db: &Db) {
    db.run(|c| -> Result<(), DbError> {
        let have: i64 = c.query_row("SELECT count(*) FROM products WHERE kind = 'digital'", [], |r| r.get(0))?;
        for i in have as usize..CATALOG_SIZE {
            let form = ProductForm {
                name: format!("Starter kit no. {i}"),
                kind: "digital".into(),
                status: "active".into(),
                billing: "one_time".into(),
                price_idr: format!("{}", 150_000 + i * 5_000),
                summary: "A production-ready starter with authentication, billing and docs.".into(),
                description_md: "## What you get\n\nSource code, a setup guide and a year of updates.".into(),
                delivery_kind: "web_access".into(),
                ..ProductForm::default()
            };
            let input = ProductInput::parse(&form).expect("a valid bench product");
            let html = atelier::server::markdown::render(&input.description_md);
            catalog::save(c, None, &input, &html).unwrap_or_else(|e| panic!("saving a bench product: {e:?}"));
        }
        Ok(())
    })
    .await
    .expect("filling the catalog");
}

struct Budget {
    ok: bool,
}

impl Budget {
    fn check(&mut self, met: bool) -> &'static str {
        self.ok &= met;
        if met {
            "ok"
        } else {
            "OVER BUDGET"
        }
    }
}

/// Loads `page` and prints one line; `cpu_budget` is the CPU per request allowed
/// (`None`: measured for the record, no budget applies).
async fn measure(
    addr: &str,
    cookie: Option<&str>,
    pid: &str,
    page: &str,
    label: &str,
    cpu_budget: Option<f64>,
    budget: &mut Budget,
) {
    let ticks_per_sec: f64 = env("BENCH_CLK_TCK").parse().unwrap();
    hammer(addr, page, cookie, WARMUP).await;
    let cpu_before = cpu_ticks(pid);
    let start = Instant::now();
    let times = hammer(addr, page, cookie, REQUESTS).await;
    let elapsed = start.elapsed().as_secs_f64();
    let cpu_ms = (cpu_ticks(pid) - cpu_before) as f64 / ticks_per_sec * 1000.0 / REQUESTS as f64;
    let ms = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)].as_secs_f64() * 1000.0;
    let (p50, p99, rss) = (ms(0.50), ms(0.99), rss_mb(pid));
    let verdict = match cpu_budget {
        Some(cpu_budget) => budget.check(cpu_ms <= cpu_budget && p99 <= MAX_P99_MS && rss <= MAX_RSS_MB),
        None => "(for the record)",
    };
    println!(
        "{:<48} {:>8.0} {:>7.2} {:>7.2} {:>7.3} / {:<5} {:>6.1}  {verdict}",
        format!("{label} {page}"),
        REQUESTS as f64 / elapsed,
        p50,
        p99,
        cpu_ms,
        cpu_budget.map_or("-".to_owned(), |b| b.to_string()),
        rss,
    );
}

/// The WASM and JS a page's HTML makes the browser fetch, in bytes as served with brotli.
async fn bundle_bytes(client: &reqwest::Client, base: &str, page: &str) -> (u64, Vec<(String, u64)>) {
    // The page itself uncompressed (the client decodes neither br nor gzip).
    let html = client.get(format!("{base}{page}")).header("accept-encoding", "identity").send().await.unwrap();
    let html = html.text().await.unwrap();
    let mut files = Vec::new();
    for (i, _) in html.match_indices("href=\"") {
        let rest = &html[i + 6..];
        let href = &rest[..rest.find('"').unwrap_or(0)];
        if href.starts_with("/pkg/")
            && (href.ends_with(".wasm") || href.ends_with(".js"))
            && !files.iter().any(|(f, _)| f == href)
        {
            let res = client.get(format!("{base}{href}")).header("accept-encoding", "br").send().await.unwrap();
            assert!(res.status().is_success(), "{href}: {}", res.status());
            let bytes = res.bytes().await.unwrap().len() as u64;
            files.push((href.to_owned(), bytes));
        }
    }
    (files.iter().map(|(_, b)| b).sum(), files)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let base = env("BENCH_URL");
    let addr = base.trim_start_matches("http://").to_owned();
    let pid = env("BENCH_PID");
    let db = Db::open(std::path::Path::new(&env("DATABASE_PATH"))).expect("the bench database");
    fill_catalog(&db).await;

    let mut headers = reqwest::header::HeaderMap::new();
    // As a browser asks: the server compresses, and that is part of the cost.
    headers.insert("accept-encoding", "br, gzip".parse().unwrap());
    let anonymous = reqwest::Client::builder()
        .default_headers(headers.clone())
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .unwrap();
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let signed_in = reqwest::Client::builder()
        .default_headers(headers)
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .unwrap();
    let res = signed_in
        .post(format!("{base}/api/auth/login"))
        .header("origin", &base)
        .header("accept", "text/html")
        .form(&[("email", env("BENCH_EMAIL")), ("password", env("BENCH_PASSWORD"))])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers().get("location").and_then(|l| l.to_str().ok()),
        Some("/admin"),
        "the bench account signs in"
    );
    let cookie = reqwest::cookie::CookieStore::cookies(&*jar, &base.parse().unwrap()).expect("the session cookie");
    let cookie = Some(cookie.to_str().unwrap());

    let mut budget = Budget { ok: true };
    println!(
        "{:<48} {:>8} {:>7} {:>7} {:>15} {:>6}",
        "page (32 connections)", "req/s", "p50 ms", "p99 ms", "CPU ms/req", "RSS MB"
    );
    for page in ["/products", "/blog", POST, "/"] {
        measure(&addr, None, &pid, page, "cached", Some(CACHED_CPU_MS), &mut budget).await;
    }
    // Signed in, the session and the person are read for every page; public pages
    // then come from the copy kept for the person's role, private ones are rendered.
    measure(&addr, cookie, &pid, "/products", "signed in", Some(0.2), &mut budget).await;
    measure(&addr, cookie, &pid, POST, "signed in", Some(0.15), &mut budget).await;
    measure(&addr, cookie, &pid, "/dashboard", "fresh", Some(0.3), &mut budget).await;
    // What rendering a public page costs (its first view after an edit): a query
    // the cache does not key on keeps every request out of it.
    measure(&addr, cookie, &pid, "/products?render=1", "rendered", None, &mut budget).await;
    measure(&addr, cookie, &pid, &format!("{POST}?render=1"), "rendered", None, &mut budget).await;

    println!("\nwhat a page downloads to become interactive (WASM + JS, brotli as served):");
    for (client, page, limit) in [
        (&anonymous, "/", NO_ISLAND_BUNDLE_KB),
        (&anonymous, "/products", NO_ISLAND_BUNDLE_KB),
        (&anonymous, "/blog", NO_ISLAND_BUNDLE_KB),
        (&anonymous, POST, NO_ISLAND_BUNDLE_KB),
        (&anonymous, "/contact", NO_ISLAND_BUNDLE_KB),
        (&signed_in, "/dashboard", NO_ISLAND_BUNDLE_KB),
        (&signed_in, "/admin/posts/new", ISLAND_BUNDLE_KB),
    ] {
        let (total, files) = bundle_bytes(client, &base, page).await;
        let kb = total as f64 / 1000.0;
        let verdict = budget.check(kb <= limit);
        let names: Vec<String> = files
            .iter()
            .map(|(f, b)| format!("{} {:.1} KB", f.rsplit('/').next().unwrap(), *b as f64 / 1000.0))
            .collect();
        println!("  {page:<44} {kb:>7.1} KB / {limit} KB  {verdict}   ({})", names.join(", "));
    }
    println!(
        "\nbudgets: cached CPU <= {CACHED_CPU_MS} ms, signed-in catalog <= 0.2 ms, post <= 0.15 ms, dashboard <= 0.3 ms; p99 <= {MAX_P99_MS} ms; RSS <= {MAX_RSS_MB} MB -> {}",
        if budget.ok { "all met" } else { "NOT all met" }
    );
    if !budget.ok {
        std::process::exit(1);
    }
}
