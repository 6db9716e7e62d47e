//! New-order notices: each paid order mails ADMIN_NOTIFY_EMAIL and POSTs a signed
//! JSON event to NOTIFY_WEBHOOK_URL (a fake receiver on 127.0.0.1), once, retried
//! through the job queue.

use crate::helpers::{spawn_app_in, TestApp};
use atelier::server::studio::notify::signature;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "whsec_test_secret";

fn count(app: &TestApp, sql: &str) -> i64 {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn a_paid_order_mails_the_studio_and_reaches_the_webhook_signed_once_despite_a_failure() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hooks/atelier"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&receiver)
        .await;
    Mock::given(method("POST"))
        .and(path("/hooks/atelier"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&receiver)
        .await;
    let hook = format!("{}/hooks/atelier", receiver.uri());
    let app = spawn_app_in(
        tempfile::TempDir::new().unwrap(),
        &[
            ("ADMIN_NOTIFY_EMAIL", "studio@studio.example"),
            ("NOTIFY_WEBHOOK_URL", hook.as_str()),
            ("NOTIFY_WEBHOOK_SECRET", SECRET),
        ],
    )
    .await;
    app.product_on_sale("seat", "Team seat", "saas", "web_access", "149000").await;
    let (client, order) = app.member_buys("sinta@example.com", "seat").await;
    // The same confirmation again (a double click, a repeated notification) adds nothing.
    app.post_form_with(&client, "/api/site/sandbox_pay", &[("order", &order), ("outcome", "pay")]).await;
    app.drain_jobs().await;

    let notices: Vec<_> =
        app.mail.to("studio@studio.example").into_iter().filter(|m| m.subject().starts_with("New order:")).collect();
    assert_eq!(notices.len(), 1, "one notice per order");
    let text = notices[0].decoded();
    assert!(
        text.contains("Team seat")
            && text.contains("Rp 149.000")
            && text.contains("sinta@example.com")
            && text.contains("Buyer"),
        "{text}"
    );
    assert!(text.contains(&app.url(&format!("/admin/orders/{order}"))));

    // The receiver failed once: the job waits for its retry, then delivers.
    assert_eq!(receiver.received_requests().await.unwrap().len(), 1);
    assert_eq!(count(&app, "SELECT count(*) FROM jobs WHERE kind = 'notify_webhook' AND status = 'queued'"), 1);
    rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .execute("UPDATE jobs SET run_at = 0 WHERE status = 'queued'", [])
        .unwrap();
    app.drain_jobs().await;
    let requests = receiver.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(count(&app, "SELECT count(*) FROM jobs WHERE kind = 'notify_webhook'"), 1, "one event per order");
    assert_eq!(count(&app, "SELECT count(*) FROM jobs WHERE kind = 'notify_webhook' AND status = 'done'"), 1);

    let delivered = &requests[1];
    assert_eq!(delivered.headers["x-atelier-event"], "order.paid");
    assert_eq!(delivered.headers["x-atelier-delivery"], format!("order.paid:{order}").as_str());
    assert_eq!(
        delivered.headers["x-atelier-delivery"], requests[0].headers["x-atelier-delivery"],
        "a retry is the same event"
    );
    let signed = delivered.headers["x-atelier-signature"].to_str().unwrap();
    let timestamp: i64 = signed.strip_prefix("t=").unwrap().split(',').next().unwrap().parse().unwrap();
    assert_eq!(signed, signature(SECRET.as_bytes(), timestamp, &delivered.body), "the receiver can check the body");
    assert_ne!(signed, signature(b"another secret", timestamp, &delivered.body));
    let body: serde_json::Value = serde_json::from_slice(&delivered.body).unwrap();
    assert_eq!(body["event"], "order.paid");
    assert_eq!(body["order"]["id"], order.as_str());
    assert_eq!(body["order"]["amount"], 149000);
    assert_eq!(body["order"]["currency"], "IDR");
    assert_eq!(body["buyer"]["email"], "sinta@example.com");
}

#[tokio::test]
async fn a_webhook_url_without_its_secret_is_refused_at_start() {
    use atelier::server::config::{Config, Source};
    let source = Source::map(&[("NOTIFY_WEBHOOK_URL", "https://hooks.example/atelier")]);
    let err = Config::load(&source).map(|_| ()).expect_err("refused").to_string();
    assert!(err.contains("NOTIFY_WEBHOOK_SECRET"), "{err}");
}
