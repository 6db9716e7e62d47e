//! Job-queue benchmark, run by `.ci/bench` (numbers depend on the machine, so it is
//! not part of the test suite). The app runs in this process as in production
//! (its pool of workers on), with a local SMTP sink and fake Midtrans and GitHub
//! APIs on 127.0.0.1. It measures:
//! - the time from a verified payment notification to the buyer's confirmation
//!   mail, order after order: on an idle queue, then while a launch's 2,000 bulk
//!   mails are being sent;
//! - 400 payment notifications at once over 32 connections: notifications per
//!   second, and the time until every delivery (license keys and GitHub
//!   invitations) and its mails are done.
//!
//! It prints each number against its budget and exits non-zero when one is missed.

#[path = "../api/smtp.rs"]
#[allow(dead_code)]
mod smtp;

use atelier::domain::Role;
use atelier::domain::{
    orders::Gateway,
    products::{ProductForm, ProductInput},
};
use atelier::server::config::{Config, Source};
use atelier::server::db::{catalog, orders, users};
use atelier::server::mail::{self, Email};
use atelier::server::studio::payments::midtrans::signature;
use atelier::startup::Application;
use serde_json::json;
use smtp::MailServer;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const IDLE_ORDERS: usize = 20;
const DURING_BULK_ORDERS: usize = 20;
const LAUNCH_ORDERS: usize = 400;
const ALL_ORDERS: usize = IDLE_ORDERS + DURING_BULK_ORDERS + LAUNCH_ORDERS;
const BULK_MAILS: usize = 2_000;
const CONNECTIONS: usize = 32;
const SERVER_KEY: &str = "SB-Mid-server-bench";
const AMOUNT: &str = "150000.00";

/// Budgets (issue #17).
const MIN_NOTIFICATIONS_PER_SEC: f64 = 500.0;
const MAX_ALL_DONE_SECS: f64 = 5.0;
const MAX_MEDIAN_MS: f64 = 50.0;

/// Midtrans' status API: every order is settled for its amount.
struct Settled;

impl Respond for Settled {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let order = request.url.path().split('/').nth(2).unwrap_or_default();
        ResponseTemplate::new(200).set_body_json(json!({
            "order_id": order, "gross_amount": AMOUNT, "transaction_status": "settlement",
            "fraud_status": "accept", "transaction_id": format!("tx-{order}"), "status_code": "200"
        }))
    }
}

fn notification(order: &str) -> serde_json::Value {
    json!({
        "order_id": order, "status_code": "200", "gross_amount": AMOUNT, "transaction_status": "settlement",
        "fraud_status": "accept", "transaction_id": format!("tx-{order}"), "payment_type": "bank_transfer",
        "signature_key": signature(order, "200", AMOUNT, SERVER_KEY),
    })
}

fn product(slug: &str, delivery: &str) -> ProductInput {
    ProductInput::parse(&ProductForm {
        slug: slug.into(),
        name: format!("Bench {slug}"),
        kind: "digital".into(),
        status: "active".into(),
        billing: "one_time".into(),
        price_idr: "150000".into(),
        delivery_kind: delivery.into(),
        delivery_activation_limit: "3".into(),
        delivery_repo: "studio/bench-kit".into(),
        ..ProductForm::default()
    })
    .expect("a valid product")
}

fn median_ms(mut values: Vec<Duration>) -> f64 {
    values.sort();
    values.get(values.len() / 2).map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}

/// When each order's confirmation mail arrived, by order id.
fn confirmations(smtp: &MailServer) -> HashMap<String, Instant> {
    smtp.received()
        .into_iter()
        .filter_map(|m| {
            let subject = m.subject();
            let order = subject.strip_prefix("Order ")?.strip_suffix(" confirmed")?.to_owned();
            Some((order, m.at))
        })
        .collect()
}

fn report(name: &str, value: f64, unit: &str, budget: &str, ok: bool) -> bool {
    println!("{name:<52} {value:>9.1} {unit:<6} budget {budget:<10} {}", if ok { "ok" } else { "MISSED" });
    ok
}

/// Sends each order's notification and waits for its confirmation mail; the time each took.
async fn one_at_a_time(http: &reqwest::Client, url: &str, smtp: &MailServer, orders: &[String]) -> Vec<Duration> {
    let mut took = Vec::new();
    for order in orders {
        let sent = Instant::now();
        let res = http.post(url).json(&notification(order)).send().await.unwrap();
        assert_eq!(res.status(), 200, "notification accepted");
        loop {
            if let Some(at) = confirmations(smtp).get(order) {
                took.push(at.duration_since(sent));
                break;
            }
            assert!(sent.elapsed() < Duration::from_secs(10), "no confirmation for {order}");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
    took
}

#[tokio::main]
async fn main() {
    let dir = tempfile::TempDir::new().unwrap();
    let smtp = MailServer::start().await;
    let fake = MockServer::start().await;
    Mock::given(method("GET")).and(path_regex(r"^/v2/[^/]+/status$")).respond_with(Settled).mount(&fake).await;
    Mock::given(method("GET"))
        .and(path("/users/bench-dev"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"login": "bench-dev", "id": 4242})))
        .mount(&fake)
        .await;
    Mock::given(method("PUT"))
        .and(path("/repos/studio/bench-kit/collaborators/bench-dev"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&fake)
        .await;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let (root, smtp_port, fake_uri) = (dir.path().to_owned(), smtp.port.to_string(), fake.uri());
    let path_of = |name: &str| root.join(name).to_string_lossy().into_owned();
    let (db, storage, backups, uploads) = (path_of("bench.db"), path_of("storage"), path_of("backups"), path_of("up"));
    let config = Config::load(&Source::map(&[
        ("DATABASE_PATH", db.as_str()),
        ("STORAGE_DIR", storage.as_str()),
        ("BACKUP_DIR", backups.as_str()),
        ("UPLOADS_DIR", uploads.as_str()),
        ("SITE_URL", address.as_str()),
        ("SMTP_HOST", "127.0.0.1"),
        ("SMTP_PORT", smtp_port.as_str()),
        ("SMTP_TLS", "none"),
        ("MIDTRANS_SERVER_KEY", SERVER_KEY),
        ("MIDTRANS_CLIENT_KEY", "SB-Mid-client-bench"),
        ("MIDTRANS_API_URL", fake_uri.as_str()),
        ("MIDTRANS_SNAP_URL", fake_uri.as_str()),
        ("GITHUB_PAT", "ghp_bench"),
        ("GITHUB_API_URL", fake_uri.as_str()),
    ]))
    .expect("bench configuration");
    let site = root.join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let leptos = leptos::config::LeptosOptions::builder()
        .output_name("atelier")
        .site_root(site.to_string_lossy().into_owned())
        .site_addr(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .build();
    let app = Application::build_on(config, leptos, listener).await.expect("the app starts");
    let state = app.state().clone();
    tokio::spawn(app.run_until(std::future::pending()));

    // One member buying 440 times: every second order a license key, every other a
    // GitHub invitation.
    let orders: Vec<String> = state
        .db
        .run(|c| -> anyhow::Result<Vec<String>> {
            for (slug, kind) in [("bench-license", "license_key"), ("bench-github", "github_invite")] {
                catalog::save(c, None, &product(slug, kind), &Default::default())
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            }
            let license = catalog::by_slug(c, "bench-license")?.expect("saved");
            let github = catalog::by_slug(c, "bench-github")?.expect("saved");
            let user = users::insert(c, "Bench Buyer", "buyer@bench.example", "x", Role::Member, true)?
                .ok_or_else(|| anyhow::anyhow!("the bench buyer exists already"))?;
            users::set_github_username(c, user, "bench-dev")?;
            let mut ids = Vec::new();
            for i in 0..ALL_ORDERS {
                let product = if i % 2 == 0 { &license } else { &github };
                let order = orders::create(c, user, product, Gateway::Midtrans, 150_000, "IDR")?;
                ids.push(order.public_id);
            }
            Ok(ids)
        })
        .await
        .expect("orders created");
    let url = format!("{address}/api/payment/midtrans/notification");
    let http = reqwest::Client::builder().pool_max_idle_per_host(CONNECTIONS).build().unwrap();

    // Idle: one order at a time, each waiting for its confirmation.
    let idle = one_at_a_time(&http, &url, &smtp, &orders[..IDLE_ORDERS]).await;

    // A launch: 2,000 bulk mails queued; orders keep coming one at a time meanwhile.
    state
        .db
        .run(|c| -> Result<(), atelier::server::db::DbError> {
            for i in 0..BULK_MAILS {
                let email = Email {
                    to: format!("fan{i}@bench.example"),
                    subject: "We launched".into(),
                    html: atelier::domain::html::TrustedHtml::markup("<p>It is out.</p>"),
                    text: "It is out.".into(),
                    attachments: vec![],
                    list_unsubscribe: None,
                };
                mail::enqueue_bulk(c, &email, &format!("launch:{i}"))?;
            }
            Ok(())
        })
        .await
        .unwrap();
    let during_bulk = one_at_a_time(&http, &url, &smtp, &orders[IDLE_ORDERS..IDLE_ORDERS + DURING_BULK_ORDERS]).await;
    let bulk_sent = smtp.received().iter().filter(|m| m.subject() == "We launched").count();

    // Then 400 payments at once.
    let launch: Arc<Vec<String>> = Arc::new(orders[IDLE_ORDERS + DURING_BULK_ORDERS..].to_vec());
    let sent_at: Arc<std::sync::Mutex<HashMap<String, Instant>>> = Arc::default();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut senders = Vec::new();
    for _ in 0..CONNECTIONS {
        let (http, url, launch, sent_at, next) =
            (http.clone(), url.clone(), launch.clone(), sent_at.clone(), next.clone());
        senders.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(order) = launch.get(i) else { return };
                sent_at.lock().unwrap().insert(order.clone(), Instant::now());
                let res = http.post(&url).json(&notification(order)).send().await.unwrap();
                assert_eq!(res.status(), 200, "notification accepted");
            }
        }));
    }
    for sender in senders {
        sender.await.unwrap();
    }
    let notified = started.elapsed();
    // Done: every launch order delivered, and its confirmation and delivery mails received.
    let expected_mails = 2 * ALL_ORDERS;
    let done = loop {
        let delivered: i64 = rusqlite::Connection::open(&db)
            .unwrap()
            .query_row("SELECT count(*) FROM deliveries WHERE status = 'delivered'", [], |r| r.get(0))
            .unwrap();
        let mails = smtp.to("buyer@bench.example").len();
        if delivered as usize == ALL_ORDERS && mails >= expected_mails {
            break started.elapsed();
        }
        assert!(started.elapsed() < Duration::from_secs(120), "{delivered} delivered, {mails} mails after 2 minutes");
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    let arrived = confirmations(&smtp);
    let launch_latency: Vec<Duration> = sent_at
        .lock()
        .unwrap()
        .iter()
        .filter_map(|(order, sent)| Some(arrived.get(order)?.duration_since(*sent)))
        .collect();

    let per_sec = LAUNCH_ORDERS as f64 / notified.as_secs_f64();
    let (idle_ms, bulk_ms, launch_ms) = (median_ms(idle), median_ms(during_bulk), median_ms(launch_latency));
    println!("\nJob queue ({} workers, mail concurrency {})", state.config.job_workers, state.config.mail_concurrency);
    let mut ok = true;
    ok &= report(
        "payment notifications accepted (400 at once)",
        per_sec,
        "/s",
        &format!(">= {MIN_NOTIFICATIONS_PER_SEC}"),
        per_sec >= MIN_NOTIFICATIONS_PER_SEC,
    );
    ok &= report(
        "until all deliveries and their mails are done",
        done.as_secs_f64(),
        "s",
        &format!("<= {MAX_ALL_DONE_SECS}"),
        done.as_secs_f64() <= MAX_ALL_DONE_SECS,
    );
    ok &= report(
        "notification to confirmation mail, idle (median)",
        idle_ms,
        "ms",
        &format!("<= {MAX_MEDIAN_MS}"),
        idle_ms <= MAX_MEDIAN_MS,
    );
    ok &= report(
        "notification to confirmation mail, bulk mail sending (median)",
        bulk_ms,
        "ms",
        &format!("<= {MAX_MEDIAN_MS}"),
        bulk_ms <= MAX_MEDIAN_MS,
    );
    println!("(meanwhile {bulk_sent} of {BULK_MAILS} bulk mails were sent; in the burst of 400 the median was {launch_ms:.0} ms)");
    if !ok {
        std::process::exit(1);
    }
}
