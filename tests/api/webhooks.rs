//! Outgoing webhooks staff manage: each event reaches the endpoints listening to
//! it, signed with the endpoint's own secret as `/admin/webhooks` documents; a
//! failing endpoint is retried with back-off and every try is in its log.

use crate::helpers::{spawn_app, TestApp};
use hmac::{Mac, SimpleHmac};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn one<T: rusqlite::types::FromSql>(app: &TestApp, sql: &str) -> T {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Staff add an endpoint for `events` (form field names); returns its id.
async fn add_endpoint(app: &TestApp, staff: &reqwest::Client, url: &str, events: &[&str]) -> i64 {
    let fields: Vec<String> = events.iter().map(|e| format!("events[{e}]")).collect();
    let mut form = vec![("url", url)];
    form.extend(fields.iter().map(|f| (f.as_str(), "on")));
    let res = app.post_form_with(staff, "/api/admin/create_webhook", &form).await;
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.starts_with("/admin/webhooks/") && to.ends_with("?created=1"), "{to}");
    to.trim_start_matches("/admin/webhooks/").trim_end_matches("?created=1").parse().unwrap()
}

/// The documented recipe: HMAC-SHA256 over "<t>.<body>" with the secret, hex, as `v1`.
fn verifies(request: &Request, secret: &str) -> bool {
    let header = request.headers["x-atelier-signature"].to_str().unwrap();
    let (t, v1) = header.split_once(',').unwrap();
    let t = t.strip_prefix("t=").unwrap();
    let mut mac = <SimpleHmac<sha2::Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(&request.body);
    v1.strip_prefix("v1=").unwrap() == hex::encode(mac.finalize().into_bytes())
}

fn event(request: &Request) -> serde_json::Value {
    serde_json::from_slice(&request.body).unwrap()
}

#[tokio::test]
async fn each_event_reaches_the_endpoints_listening_to_it_signed_with_their_secret() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("thanks"))
        .mount(&receiver)
        .await;
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let sales =
        add_endpoint(&app, &staff, &format!("{}/sales", receiver.uri()), &["order_paid", "order_refunded"]).await;
    add_endpoint(&app, &staff, &format!("{}/inbox", receiver.uri()), &["contact_received"]).await;
    let secret: String = one(&app, &format!("SELECT secret FROM webhook_endpoints WHERE id = {sales}"));
    assert!(secret.starts_with("whsec_") && secret.len() > 30);

    app.product_on_sale("kit", "UI Kit", "digital", "web_access", "99000").await;
    let (_, order) = app.member_buys("dina@example.com", "kit").await;
    app.refund(&order).await;
    app.drain_jobs().await;
    let form = [("name", "Eko"), ("email", "eko@example.com"), ("subject", "Hello"), ("message", "A project for you.")];
    app.post_form("/api/site/contact", &form).await;
    app.drain_jobs().await;

    let received = receiver.received_requests().await.unwrap();
    let to = |p: &str| received.iter().filter(|r| r.url.path() == p).collect::<Vec<_>>();
    let sales_events: Vec<String> =
        to("/sales").iter().map(|r| event(r)["event"].as_str().unwrap().to_owned()).collect();
    assert_eq!(sales_events, ["order.paid", "order.refunded"]);
    for r in to("/sales") {
        assert!(verifies(r, &secret), "signed with the endpoint's secret");
        assert!(!verifies(r, "whsec_another"), "and only with it");
        assert_eq!(event(r)["order"]["id"], order.as_str());
    }
    let inbox = to("/inbox");
    assert_eq!(inbox.len(), 1, "only the event it listens to");
    assert_eq!(event(inbox[0])["message"]["email"], "eko@example.com");
    assert_eq!(inbox[0].headers["x-atelier-event"], "contact.received");

    // The endpoint's page logs each try with its answer.
    let page = staff.get(app.url(&format!("/admin/webhooks/{sales}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("order.refunded") && page.contains("HTTP 200") && page.contains("thanks"), "{page}");
    assert_eq!(one::<i64>(&app, &format!("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = {sales}")), 2);
}

#[tokio::test]
async fn a_failing_endpoint_is_retried_with_back_off_each_try_logged_and_can_be_redelivered() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(500).set_body_string("database down"))
        .up_to_n_times(2)
        .mount(&receiver)
        .await;
    Mock::given(method("POST")).and(path("/hook")).respond_with(ResponseTemplate::new(204)).mount(&receiver).await;
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let id = add_endpoint(&app, &staff, &format!("{}/hook", receiver.uri()), &["order_paid"]).await;

    let res = app.post_form_with(&staff, "/api/admin/test_webhook", &[("id", &id.to_string())]).await;
    assert_eq!(res.headers()["location"].to_str().unwrap(), format!("/admin/webhooks/{id}?tested=1"));
    app.drain_jobs().await;
    assert_eq!(receiver.received_requests().await.unwrap().len(), 1);
    // Waiting for its retry, later each time.
    let first_wait: i64 =
        one(&app, "SELECT run_at - strftime('%s','now') FROM jobs WHERE kind = 'notify_webhook' AND status = 'queued'");
    assert!(first_wait > 0, "a retry waits");
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    conn.execute("UPDATE jobs SET run_at = 0 WHERE status = 'queued'", []).unwrap();
    app.drain_jobs().await;
    let second_wait: i64 =
        one(&app, "SELECT run_at - strftime('%s','now') FROM jobs WHERE kind = 'notify_webhook' AND status = 'queued'");
    assert!(second_wait > first_wait, "back-off grows: {first_wait} s, then {second_wait} s");
    conn.execute("UPDATE jobs SET run_at = 0 WHERE status = 'queued'", []).unwrap();
    app.drain_jobs().await;
    let requests = receiver.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.headers["x-atelier-delivery"] == requests[0].headers["x-atelier-delivery"]));
    assert_eq!(event(&requests[2])["event"], "ping");

    let page = staff.get(app.url(&format!("/admin/webhooks/{id}"))).send().await.unwrap().text().await.unwrap();
    assert_eq!(page.matches("HTTP 500").count(), 2, "{page}");
    assert!(page.contains("HTTP 204") && page.contains("database down"), "{page}");

    // Redeliver the first try: sent again with the same id, logged as a fourth try.
    let first: i64 = one(&app, "SELECT min(id) FROM webhook_deliveries");
    let form = [("id", id.to_string()), ("delivery", first.to_string())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form_with(&staff, "/api/admin/redeliver_webhook", &form).await;
    app.drain_jobs().await;
    let requests = receiver.received_requests().await.unwrap();
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[3].headers["x-atelier-delivery"], requests[0].headers["x-atelier-delivery"]);
    assert_eq!(one::<i64>(&app, "SELECT count(*) FROM webhook_deliveries"), 4);

    // Turned off, an endpoint is sent nothing.
    let form = [("id", id.to_string()), ("enabled", "false".to_owned())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form_with(&staff, "/api/admin/set_webhook_enabled", &form).await;
    app.product_on_sale("kit", "UI Kit", "digital", "web_access", "99000").await;
    app.member_buys("fajar@example.com", "kit").await;
    assert_eq!(receiver.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn a_bad_address_or_no_event_is_refused_and_adds_nothing() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    for form in [
        vec![("url", "ftp://files.example"), ("events[order_paid]", "on")],
        vec![("url", "https://hooks.example.com/a")],
        vec![("url", "https://user:pw@hooks.example.com/"), ("events[order_paid]", "on")],
    ] {
        let res = app.post_form_with(&staff, "/api/admin/create_webhook", &form).await;
        assert!(res.headers()["location"].to_str().unwrap().contains("__err="), "{form:?}");
    }
    assert_eq!(one::<i64>(&app, "SELECT count(*) FROM webhook_endpoints"), 0);
}
