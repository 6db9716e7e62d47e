use crate::helpers::{spawn_app_in, TestApp};
use atelier::domain::products::{ProductForm, ProductInput};
use atelier::server::db::{catalog, DbError};
use atelier::server::studio::payments::midtrans::signature;
use reqwest::header;
use serde_json::json;
use wiremock::matchers::{body_partial_json, header as has_header, method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PW: &str = "correct horse battery";
const SERVER_KEY: &str = "SB-Mid-server-test-key";

struct Shop {
    app: TestApp,
    provider: MockServer,
}

async fn shop() -> Shop {
    shop_with(&[]).await
}

async fn shop_with(extra: &[(&str, &str)]) -> Shop {
    let provider = MockServer::start().await;
    let uri = provider.uri();
    let env = [
        ("MIDTRANS_SERVER_KEY", SERVER_KEY),
        ("MIDTRANS_CLIENT_KEY", "SB-Mid-client-test"),
        ("MIDTRANS_SNAP_URL", uri.as_str()),
        ("MIDTRANS_API_URL", uri.as_str()),
        ("PAYPAL_CLIENT_ID", "pp-client"),
        ("PAYPAL_CLIENT_SECRET", "pp-secret"),
        ("PAYPAL_WEBHOOK_ID", "WH-1"),
        ("PAYPAL_API_URL", uri.as_str()),
        ("ALLOW_SANDBOX_PAYMENTS", "true"),
    ];
    let env: Vec<(&str, &str)> = env.iter().chain(extra).copied().collect();
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &env).await;
    add_product(&app, "launch-kit", "Launch Kit", "150000", "9.99").await;
    Shop { app, provider }
}

async fn add_product(app: &TestApp, slug: &str, name: &str, idr: &str, usd: &str) {
    let form = ProductForm {
        slug: slug.into(),
        name: name.into(),
        kind: "digital".into(),
        status: "active".into(),
        billing: "one_time".into(),
        price_idr: idr.into(),
        price_usd: usd.into(),
        delivery_kind: "web_access".into(),
        summary: "Everything to launch a SaaS.".into(),
        ..ProductForm::default()
    };
    let input = ProductInput::parse(&form).unwrap();
    app.state
        .db
        .run(move |c| {
            Ok::<_, DbError>(
                catalog::save(c, None, &input, &atelier::domain::html::TrustedHtml::markup("<p>kit</p>")).is_ok(),
            )
        })
        .await
        .unwrap();
}

async fn member(app: &TestApp, email: &str) -> reqwest::Client {
    app.verified_member("Buyer", email, PW).await;
    let client = TestApp::new_client();
    assert_eq!(app.login_with(&client, email, PW).await, "/dashboard");
    client
}

async fn checkout(app: &TestApp, client: &reqwest::Client, gateway: &str) -> String {
    let res = app.post_form_with(client, "/api/site/checkout", &[("slug", "launch-kit"), ("gateway", gateway)]).await;
    assert_eq!(res.status(), 302, "{:?}", res.headers().get(header::LOCATION));
    res.headers()[header::LOCATION].to_str().unwrap().to_owned()
}

fn query_one<T: rusqlite::types::FromSql>(app: &TestApp, sql: &str) -> T {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn latest_order(app: &TestApp) -> (String, String) {
    let c = rusqlite::Connection::open(&app.db_path).unwrap();
    c.query_row("SELECT public_id, status FROM orders ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
}

async fn mock_snap(provider: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/snap/v1/transactions"))
        .and(has_header("authorization", "Basic U0ItTWlkLXNlcnZlci10ZXN0LWtleTo="))
        .and(body_partial_json(json!({"transaction_details": {"gross_amount": 150000}, "item_details": [{"price": 150000, "quantity": 1}]})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "token": "snap-token", "redirect_url": "https://app.sandbox.midtrans.com/snap/v4/redirection/snap-token"
        })))
        .mount(provider)
        .await;
}

async fn mock_status(provider: &MockServer, order: &str, status: &str, amount: &str) {
    provider.reset().await;
    mock_snap(provider).await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/{order}/status")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "order_id": order, "gross_amount": amount, "transaction_status": status,
            "fraud_status": "accept", "transaction_id": "tx-1", "status_code": "200"
        })))
        .mount(provider)
        .await;
}

fn notification(order: &str, status: &str, amount: &str, key: &str) -> serde_json::Value {
    json!({
        "order_id": order, "status_code": "200", "gross_amount": amount, "transaction_status": status,
        "fraud_status": "accept", "transaction_id": "tx-1", "payment_type": "bank_transfer",
        "signature_key": signature(order, "200", amount, key),
    })
}

async fn notify(app: &TestApp, body: &serde_json::Value) -> reqwest::StatusCode {
    reqwest::Client::new().post(app.url("/api/payment/midtrans/notification")).json(body).send().await.unwrap().status()
}

async fn midtrans_order(shop: &Shop, email: &str) -> (reqwest::Client, String) {
    mock_snap(&shop.provider).await;
    let client = member(&shop.app, email).await;
    let location = checkout(&shop.app, &client, "midtrans").await;
    assert_eq!(location, "https://app.sandbox.midtrans.com/snap/v4/redirection/snap-token");
    let (order, status) = latest_order(&shop.app);
    assert!(order.starts_with("ATL-") && order.len() == "ATL-20261121-7F3K2Q".len(), "{order}");
    assert_eq!(status, "pending");
    (client, order)
}

#[tokio::test]
async fn a_member_buys_with_midtrans_and_gets_one_confirmation() {
    let shop = shop().await;
    let app = &shop.app;
    let (client, order) = midtrans_order(&shop, "buyer@example.com").await;
    mock_status(&shop.provider, &order, "settlement", "150000.00").await;

    assert_eq!(notify(app, &notification(&order, "settlement", "150000.00", SERVER_KEY)).await, 200);
    assert_eq!(latest_order(app).1, "paid");
    app.drain_jobs().await;
    let mails = app.mail.to("buyer@example.com");
    assert_eq!(mails.iter().filter(|m| m.subject() == format!("Order {order} confirmed")).count(), 1);
    // How to pay was mailed when the order was made: the link back to Snap, the amount, the deadline.
    let how = mails.iter().find(|m| m.subject() == format!("How to pay for order {order}")).expect("instructions");
    assert!(how.link("https://app.sandbox.midtrans.com/snap/v4/redirection/snap-token").is_some(), "{}", how.decoded());
    assert!(how.decoded().contains("Rp 150.000") && how.decoded().contains(" WIB"), "{}", how.decoded());

    let page = client.get(app.url(&format!("/dashboard/orders/{order}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Payment confirmed") && html.contains("Rp 150.000"), "{html}");
}

#[tokio::test]
async fn a_forged_midtrans_notification_changes_nothing() {
    let shop = shop().await;
    let (_, order) = midtrans_order(&shop, "f@example.com").await;
    mock_status(&shop.provider, &order, "settlement", "150000.00").await;
    let forged = notification(&order, "settlement", "150000.00", "not-the-server-key");
    let url = shop.app.url("/api/payment/midtrans/notification");
    let res = reqwest::Client::new().post(&url).json(&forged).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let body: serde_json::Value = res.json().await.expect("a JSON answer");
    assert_eq!(body["error"], "invalid signature");
    let mut tampered = notification(&order, "settlement", "150000.00", SERVER_KEY);
    tampered["gross_amount"] = json!("1.00");
    assert_eq!(notify(&shop.app, &tampered).await, 403);
    assert_eq!(latest_order(&shop.app).1, "pending");
    assert_eq!(query_one::<i64>(&shop.app, "SELECT count(*) FROM jobs WHERE kind = 'deliver_order'"), 0);
    assert!(query_one::<i64>(&shop.app, "SELECT count(*) FROM payment_events WHERE outcome = 'rejected'") >= 2);
}

#[tokio::test]
async fn anonymous_senders_cannot_fill_the_disk_or_keep_the_server_busy() {
    let shop = shop().await;
    let (_, order) = midtrans_order(&shop, "flood@example.com").await;
    let rejected = || query_one::<i64>(&shop.app, "SELECT count(*) FROM payment_events WHERE outcome = 'rejected'");

    // Bodies beyond 64 KB are refused before they are read.
    let mut huge = notification(&order, "settlement", "150000.00", "forged");
    huge["padding"] = json!("x".repeat(100 * 1024));
    let url = shop.app.url("/api/payment/midtrans/notification");
    let res = reqwest::Client::new().post(&url).json(&huge).send().await.unwrap();
    assert_eq!(res.status(), 413);
    let answer: serde_json::Value = res.json().await.expect("a JSON answer, whatever the body");
    assert!(answer["error"].as_str().unwrap().contains("64 KB"), "{answer}");
    assert_eq!(rejected(), 0);

    // A refused event keeps an excerpt and the hash of its body, not the body.
    let mut big = notification(&order, "settlement", "150000.00", "forged");
    big["padding"] = json!("y".repeat(50 * 1024));
    assert_eq!(notify(&shop.app, &big).await, 403);
    let kept: String = query_one(&shop.app, "SELECT raw FROM payment_events WHERE outcome = 'rejected'");
    assert!(kept.len() < 2300 && kept.contains("sha256"), "kept {} bytes", kept.len());

    // After 30 refusals a minute, the sender is turned away without any work.
    for _ in 0..29 {
        assert_eq!(notify(&shop.app, &notification(&order, "settlement", "150000.00", "forged")).await, 403);
    }
    assert_eq!(rejected(), 30);
    assert_eq!(notify(&shop.app, &notification(&order, "settlement", "150000.00", "forged")).await, 429);
    assert_eq!(rejected(), 30, "nothing more is stored");
    assert_eq!(latest_order(&shop.app).1, "pending");
}

#[tokio::test]
async fn an_amount_that_does_not_match_the_order_is_refused() {
    let shop = shop().await;
    let (_, order) = midtrans_order(&shop, "m@example.com").await;
    // Correctly signed, but Midtrans reports a different amount than we charged.
    mock_status(&shop.provider, &order, "settlement", "1000.00").await;
    assert_eq!(notify(&shop.app, &notification(&order, "settlement", "1000.00", SERVER_KEY)).await, 400);
    assert_eq!(latest_order(&shop.app).1, "pending");
    assert_eq!(query_one::<i64>(&shop.app, "SELECT count(*) FROM jobs WHERE kind = 'deliver_order'"), 0);
}

#[tokio::test]
async fn two_hundred_copies_of_one_notification_pay_once_deliver_once_mail_once() {
    let shop = shop().await;
    let (_, order) = midtrans_order(&shop, "c@example.com").await;
    mock_status(&shop.provider, &order, "settlement", "150000.00").await;
    let body = notification(&order, "settlement", "150000.00", SERVER_KEY);
    let client = reqwest::Client::new();
    let url = shop.app.url("/api/payment/midtrans/notification");
    let sends = (0..200).map(|_| client.post(&url).json(&body).send());
    let results = futures::future::join_all(sends).await;
    for r in results {
        assert_eq!(r.unwrap().status(), 200);
    }
    assert_eq!(latest_order(&shop.app).1, "paid");
    assert_eq!(query_one::<i64>(&shop.app, "SELECT count(*) FROM payment_events WHERE applied = 1"), 1);
    assert_eq!(query_one::<i64>(&shop.app, "SELECT count(*) FROM jobs WHERE kind = 'deliver_order'"), 1);
    shop.app.drain_jobs().await;
    let confirmations =
        shop.app.mail.to("c@example.com").into_iter().filter(|m| m.subject().contains("confirmed")).count();
    assert_eq!(confirmations, 1);
}

#[tokio::test]
async fn a_thousand_concurrent_notifications_with_duplicates_and_forgeries_pay_each_order_once() {
    let shop = shop_with(&[]).await;
    let app = &shop.app;
    mock_snap(&shop.provider).await;
    let client = member(app, "many@example.com").await;
    let mut orders = Vec::new();
    for _ in 0..20 {
        checkout(app, &client, "midtrans").await;
        let (order, _) = latest_order(app);
        Mock::given(method("GET"))
            .and(path(format!("/v2/{order}/status")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "order_id": order, "gross_amount": "150000.00", "transaction_status": "settlement",
                "fraud_status": "accept", "transaction_id": format!("tx-{order}"), "status_code": "200"
            })))
            .mount(&shop.provider)
            .await;
        orders.push(order);
    }
    // 1,000 notifications at once for 20 orders: 900 genuine (each order's settlement 45 times over)
    // and 100 forgeries (10 %) from another address.
    let url = app.url("/api/payment/midtrans/notification");
    let http = reqwest::Client::new();
    let sends = (0..1000).map(|i| {
        let order = &orders[(i / 10) % orders.len()];
        let forged = i % 10 == 9;
        let key = if forged { "not-the-key" } else { SERVER_KEY };
        let from = if forged { "203.0.113.66" } else { "198.51.100.1" };
        let body = notification(order, "settlement", "150000.00", key);
        http.post(&url).header("x-forwarded-for", from).json(&body).send()
    });
    let statuses: Vec<u16> =
        futures::future::join_all(sends).await.into_iter().map(|r| r.unwrap().status().as_u16()).collect();
    assert!(statuses.iter().all(|s| matches!(s, 200 | 403 | 429)), "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 900, "every genuine notification is acknowledged");

    assert_eq!(query_one::<i64>(app, "SELECT count(*) FROM orders WHERE status = 'paid'"), 20);
    assert_eq!(query_one::<i64>(app, "SELECT count(*) FROM payment_events WHERE applied = 1"), 20);
    assert_eq!(query_one::<i64>(app, "SELECT count(*) FROM jobs WHERE kind = 'deliver_order'"), 20);
    app.drain_jobs().await;
    assert_eq!(query_one::<i64>(app, "SELECT count(*) FROM deliveries WHERE status = 'delivered'"), 20);
    let confirmations =
        app.mail.to("many@example.com").into_iter().filter(|m| m.subject().contains("confirmed")).count();
    assert_eq!(confirmations, 20, "one confirmation per order");
}

#[tokio::test]
async fn a_late_pending_after_settlement_leaves_the_order_paid() {
    let shop = shop().await;
    let (_, order) = midtrans_order(&shop, "l@example.com").await;
    mock_status(&shop.provider, &order, "settlement", "150000.00").await;
    assert_eq!(notify(&shop.app, &notification(&order, "settlement", "150000.00", SERVER_KEY)).await, 200);
    mock_status(&shop.provider, &order, "pending", "150000.00").await;
    assert_eq!(notify(&shop.app, &notification(&order, "pending", "150000.00", SERVER_KEY)).await, 200);
    assert_eq!(latest_order(&shop.app).1, "paid");
    // ... and an expiry cannot un-pay it either.
    mock_status(&shop.provider, &order, "expire", "150000.00").await;
    assert_eq!(notify(&shop.app, &notification(&order, "expire", "150000.00", SERVER_KEY)).await, 200);
    assert_eq!(latest_order(&shop.app).1, "paid");
}

#[tokio::test]
async fn expire_deny_and_cancel_end_a_pending_order_without_delivery() {
    for (status, expected) in [("expire", "expired"), ("deny", "failed"), ("cancel", "cancelled")] {
        let shop = shop().await;
        let (_, order) = midtrans_order(&shop, &format!("{status}@example.com")).await;
        mock_status(&shop.provider, &order, status, "150000.00").await;
        assert_eq!(notify(&shop.app, &notification(&order, status, "150000.00", SERVER_KEY)).await, 200);
        assert_eq!(latest_order(&shop.app).1, expected, "{status}");
        assert_eq!(query_one::<i64>(&shop.app, "SELECT count(*) FROM jobs WHERE kind = 'deliver_order'"), 0);
    }
}

#[tokio::test]
async fn a_midtrans_refund_marks_the_order_refunded_and_queues_revocation() {
    let shop = shop().await;
    let (_, order) = midtrans_order(&shop, "r@example.com").await;
    mock_status(&shop.provider, &order, "settlement", "150000.00").await;
    notify(&shop.app, &notification(&order, "settlement", "150000.00", SERVER_KEY)).await;
    mock_status(&shop.provider, &order, "refund", "150000.00").await;
    assert_eq!(notify(&shop.app, &notification(&order, "refund", "150000.00", SERVER_KEY)).await, 200);
    assert_eq!(latest_order(&shop.app).1, "refunded");
    assert_eq!(query_one::<i64>(&shop.app, "SELECT count(*) FROM jobs WHERE kind = 'revoke_order'"), 1);
    shop.app.drain_jobs().await;
    assert!(shop.app.mail.to("r@example.com").iter().any(|m| m.subject() == format!("Order {order} refunded")));
}

/// What Midtrans answers for a partial refund: the refunded amount so far.
async fn mock_partial_refund(provider: &MockServer, order: &str, refunded: &str) {
    provider.reset().await;
    mock_snap(provider).await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/{order}/status")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "order_id": order, "gross_amount": "150000.00", "transaction_status": "partial_refund",
            "fraud_status": "accept", "transaction_id": "tx-1", "status_code": "200", "refund_amount": refunded
        })))
        .mount(provider)
        .await;
}

#[tokio::test]
async fn a_midtrans_partial_refund_is_recorded_and_left_to_staff() {
    let shop = shop().await;
    let app = &shop.app;
    let (_, order) = midtrans_order(&shop, "part@example.com").await;
    mock_status(&shop.provider, &order, "settlement", "150000.00").await;
    notify(app, &notification(&order, "settlement", "150000.00", SERVER_KEY)).await;
    app.drain_jobs().await;

    mock_partial_refund(&shop.provider, &order, "50000.00").await;
    assert_eq!(notify(app, &notification(&order, "partial_refund", "150000.00", SERVER_KEY)).await, 200);
    assert_eq!(latest_order(app).1, "paid", "a partial refund changes nothing by itself");
    assert_eq!(query_one::<i64>(app, "SELECT count(*) FROM jobs WHERE kind = 'revoke_order'"), 0);
    assert_eq!(query_one::<i64>(app, "SELECT refunded_amount FROM orders"), 50_000);
    assert_eq!(
        query_one::<String>(app, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1"),
        "order.partial_refund"
    );
    app.drain_jobs().await;
    assert!(app.mail.received().iter().any(|m| m.subject() == format!("Partly refunded: Launch Kit ({order})")));
    assert!(app.mail.to("part@example.com").iter().all(|m| !m.subject().contains("refunded")), "the buyer is not told");
    // A second, larger partial refund is a new event; the same one again is not.
    mock_partial_refund(&shop.provider, &order, "80000.00").await;
    notify(app, &notification(&order, "partial_refund", "150000.00", SERVER_KEY)).await;
    notify(app, &notification(&order, "partial_refund", "150000.00", SERVER_KEY)).await;
    assert_eq!(query_one::<i64>(app, "SELECT refunded_amount FROM orders"), 80_000);
    assert_eq!(query_one::<i64>(app, "SELECT count(*) FROM audit_log WHERE action = 'order.partial_refund'"), 2);

    // Staff see it on the order and decide: keep.
    let staff = app.signed_in_staff().await;
    let page = staff.get(app.url(&format!("/admin/orders/{order}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Midtrans refunded Rp 80.000 of Rp 150.000") && page.contains("Mark as handled"), "{page}");
    let res = app.post_form_with(&staff, "/api/admin/dismiss_order_notice", &[("public_id", &order)]).await;
    assert!(res.status().is_redirection());
    let page = staff.get(app.url(&format!("/admin/orders/{order}"))).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Mark as handled"));
    assert_eq!(latest_order(app).1, "paid");
}

#[tokio::test]
async fn a_paypal_refund_of_part_of_the_capture_is_partial() {
    let shop = shop().await;
    let app = &shop.app;
    mock_paypal(&shop.provider).await;
    let client = member(app, "pp-part@example.com").await;
    checkout(app, &client, "paypal").await;
    let (order, _) = latest_order(app);
    client.get(app.url("/checkout/paypal/return?token=PP-ORDER-1&PayerID=X")).send().await.unwrap();
    assert_eq!(latest_order(app).1, "paid");
    let refund = json!({
        "id": "WH-EVT-PART", "event_type": "PAYMENT.CAPTURE.REFUNDED",
        "resource": {"id": "REF-2", "status": "COMPLETED", "amount": {"currency_code": "USD", "value": "2.00"},
            "seller_payable_breakdown": {"total_refunded_amount": {"currency_code": "USD", "value": "2.00"}},
            "custom_id": order,
            "links": [{"rel": "up", "href": "https://api.sandbox.paypal.com/v2/payments/captures/CAP-1"}]}
    });
    assert_eq!(paypal_webhook(&shop, &refund).await, 200);
    assert_eq!(latest_order(app).1, "paid");
    assert_eq!(query_one::<i64>(app, "SELECT refunded_amount FROM orders"), 200);
    assert!(
        query_one::<String>(app, "SELECT staff_notice FROM orders").contains("PayPal refunded US$ 2.00 of US$ 9.99")
    );
    assert_eq!(query_one::<i64>(app, "SELECT count(*) FROM jobs WHERE kind = 'revoke_order'"), 0);
}

async fn mock_paypal(provider: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "A21", "expires_in": 32400})))
        .mount(provider)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/checkout/orders"))
        .and(has_header("authorization", "Bearer A21"))
        .and(body_partial_json(
            json!({"intent": "CAPTURE", "purchase_units": [{"amount": {"currency_code": "USD", "value": "9.99"}}]}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "PP-ORDER-1", "status": "PAYER_ACTION_REQUIRED",
            "links": [{"rel": "payer-action", "href": "https://www.sandbox.paypal.com/checkoutnow?token=PP-ORDER-1"}]
        })))
        .mount(provider)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/checkout/orders/PP-ORDER-1/capture"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "PP-ORDER-1", "status": "COMPLETED",
            "purchase_units": [{"payments": {"captures": [
                {"id": "CAP-1", "status": "COMPLETED", "amount": {"currency_code": "USD", "value": "9.99"}}
            ]}}]
        })))
        .mount(provider)
        .await;
}

#[tokio::test]
async fn a_member_buys_with_paypal_and_a_verified_refund_webhook_revokes_it() {
    let shop = shop().await;
    let app = &shop.app;
    mock_paypal(&shop.provider).await;
    let client = member(app, "pp@example.com").await;
    assert_eq!(checkout(app, &client, "paypal").await, "https://www.sandbox.paypal.com/checkoutnow?token=PP-ORDER-1");
    let (order, _) = latest_order(app);

    let back = client.get(app.url("/checkout/paypal/return?token=PP-ORDER-1&PayerID=X")).send().await.unwrap();
    assert_eq!(back.status(), 303);
    assert_eq!(back.headers()[header::LOCATION], format!("/dashboard/orders/{order}"));
    assert_eq!(latest_order(app).1, "paid");
    // Returning twice captures idempotently and changes nothing.
    client.get(app.url("/checkout/paypal/return?token=PP-ORDER-1")).send().await.unwrap();
    assert_eq!(query_one::<i64>(app, "SELECT count(*) FROM jobs WHERE kind = 'deliver_order'"), 1);

    let refund = json!({
        "id": "WH-EVT-1", "event_type": "PAYMENT.CAPTURE.REFUNDED",
        "resource": {"id": "REF-1", "status": "COMPLETED", "amount": {"currency_code": "USD", "value": "9.99"},
            "links": [{"rel": "up", "href": "https://api.sandbox.paypal.com/v2/payments/captures/CAP-1"}]}
    });
    // First the signature check fails: nothing changes.
    let verify = Mock::given(method("POST")).and(path("/v1/notifications/verify-webhook-signature"));
    let failing =
        verify.respond_with(ResponseTemplate::new(200).set_body_json(json!({"verification_status": "FAILURE"})));
    let guard = failing.mount_as_scoped(&shop.provider).await;
    let res = reqwest::Client::new().post(app.url("/api/payment/paypal/webhook")).json(&refund).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(latest_order(app).1, "paid");
    drop(guard);

    Mock::given(method("POST"))
        .and(path("/v1/notifications/verify-webhook-signature"))
        .and(body_partial_json(json!({"webhook_id": "WH-1", "transmission_id": "T-1"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"verification_status": "SUCCESS"})))
        .mount(&shop.provider)
        .await;
    let res = reqwest::Client::new()
        .post(app.url("/api/payment/paypal/webhook"))
        .header("PAYPAL-TRANSMISSION-ID", "T-1")
        .header("PAYPAL-AUTH-ALGO", "SHA256withRSA")
        .json(&refund)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(latest_order(app).1, "refunded");
    assert_eq!(query_one::<i64>(app, "SELECT count(*) FROM jobs WHERE kind = 'revoke_order'"), 1);
}

/// PayPal verifies every webhook signature; sends one.
async fn paypal_webhook(shop: &Shop, event: &serde_json::Value) -> reqwest::StatusCode {
    Mock::given(method("POST"))
        .and(path("/v1/notifications/verify-webhook-signature"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"verification_status": "SUCCESS"})))
        .mount(&shop.provider)
        .await;
    let url = shop.app.url("/api/payment/paypal/webhook");
    reqwest::Client::new().post(url).json(event).send().await.unwrap().status()
}

/// What PayPal answers for `GET /v2/payments/captures/{id}`.
async fn paypal_has_capture(shop: &Shop, id: &str, status: &str, currency: &str, value: &str, order: &str) {
    Mock::given(method("GET"))
        .and(path(format!("/v2/payments/captures/{id}")))
        .and(has_header("authorization", "Bearer A21"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": id, "status": status, "custom_id": order,
            "amount": {"currency_code": currency, "value": value}
        })))
        .mount(&shop.provider)
        .await;
}

fn capture_completed(event: &str, capture: &str, order: &str, currency: &str) -> serde_json::Value {
    json!({
        "id": event, "event_type": "PAYMENT.CAPTURE.COMPLETED",
        "resource": {"id": capture, "status": "COMPLETED", "custom_id": order,
            "amount": {"currency_code": currency, "value": "9.99"}}
    })
}

#[tokio::test]
async fn a_paypal_capture_in_another_currency_pays_nothing() {
    let shop = shop().await;
    mock_paypal(&shop.provider).await;
    let client = member(&shop.app, "eur@example.com").await;
    checkout(&shop.app, &client, "paypal").await;
    let (order, _) = latest_order(&shop.app);
    // 9.99 EUR is not 9.99 USD, though the number matches.
    paypal_has_capture(&shop, "CAP-EUR", "COMPLETED", "EUR", "9.99", &order).await;
    let status = paypal_webhook(&shop, &capture_completed("WH-EUR", "CAP-EUR", &order, "EUR")).await;
    assert_eq!(status, 200, "acknowledged, so PayPal stops sending it");
    assert_eq!(latest_order(&shop.app).1, "pending");
    assert_eq!(query_one::<i64>(&shop.app, "SELECT count(*) FROM jobs WHERE kind = 'deliver_order'"), 0);
    let note: String = query_one(&shop.app, "SELECT note FROM payment_events ORDER BY id DESC LIMIT 1");
    assert!(note.contains("EUR"), "{note}");
}

#[tokio::test]
async fn a_paypal_webhook_pays_only_what_paypal_confirms_when_asked() {
    let shop = shop().await;
    mock_paypal(&shop.provider).await;
    let client = member(&shop.app, "ask@example.com").await;
    checkout(&shop.app, &client, "paypal").await;
    let (order, _) = latest_order(&shop.app);
    // The event says completed; PayPal, asked, says the capture is still pending.
    paypal_has_capture(&shop, "CAP-P", "PENDING", "USD", "9.99", &order).await;
    assert_eq!(paypal_webhook(&shop, &capture_completed("WH-P", "CAP-P", &order, "USD")).await, 200);
    assert_eq!(latest_order(&shop.app).1, "pending");
    // A capture PayPal does not know at all.
    Mock::given(method("GET"))
        .and(path("/v2/payments/captures/CAP-NONE"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"name": "RESOURCE_NOT_FOUND"})))
        .mount(&shop.provider)
        .await;
    assert_eq!(paypal_webhook(&shop, &capture_completed("WH-N", "CAP-NONE", &order, "USD")).await, 200);
    assert_eq!(latest_order(&shop.app).1, "pending");
}

#[tokio::test]
async fn a_refund_naming_only_the_capture_finds_an_order_the_webhook_paid() {
    let shop = shop().await;
    mock_paypal(&shop.provider).await;
    let client = member(&shop.app, "hook@example.com").await;
    checkout(&shop.app, &client, "paypal").await;
    let (order, _) = latest_order(&shop.app);
    // Paid by the webhook alone (the buyer never came back to the return page).
    paypal_has_capture(&shop, "CAP-W", "COMPLETED", "USD", "9.99", &order).await;
    assert_eq!(paypal_webhook(&shop, &capture_completed("WH-W1", "CAP-W", &order, "USD")).await, 200);
    assert_eq!(latest_order(&shop.app).1, "paid");
    let refund = json!({
        "id": "WH-W2", "event_type": "PAYMENT.CAPTURE.REFUNDED",
        "resource": {"id": "REF-W", "status": "COMPLETED", "amount": {"currency_code": "USD", "value": "9.99"},
            "links": [{"rel": "up", "href": "https://api.sandbox.paypal.com/v2/payments/captures/CAP-W"}]}
    });
    assert_eq!(paypal_webhook(&shop, &refund).await, 200);
    assert_eq!(latest_order(&shop.app).1, "refunded");
    assert_eq!(query_one::<i64>(&shop.app, "SELECT count(*) FROM jobs WHERE kind = 'revoke_order'"), 1);
}

#[tokio::test]
async fn the_sandbox_gateway_pays_through_the_same_path() {
    let shop = shop().await;
    let app = &shop.app;
    let client = member(app, "sb@example.com").await;
    let location = checkout(app, &client, "sandbox").await;
    let (order, _) = latest_order(app);
    assert_eq!(location, format!("/checkout/sandbox/{order}"));
    let page = client.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Confirm your test payment") && page.contains("Rp 150.000"));
    let res = app.post_form_with(&client, "/api/site/sandbox_pay", &[("order", &order), ("outcome", "pay")]).await;
    assert_eq!(res.headers()[header::LOCATION], format!("/dashboard/orders/{order}"));
    assert_eq!(latest_order(app).1, "paid");
    // "Fail" after paying cannot un-pay.
    app.post_form_with(&client, "/api/site/sandbox_pay", &[("order", &order), ("outcome", "fail")]).await;
    assert_eq!(latest_order(app).1, "paid");
}

#[tokio::test]
async fn a_member_cannot_open_another_members_order() {
    let shop = shop().await;
    let app = &shop.app;
    let alice = member(app, "alice@example.com").await;
    checkout(app, &alice, "sandbox").await;
    let (order, _) = latest_order(app);
    let mallory = member(app, "mallory@example.com").await;
    let res = mallory.get(app.url(&format!("/dashboard/orders/{order}"))).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(!res.text().await.unwrap().contains("Launch Kit"));
    let res = mallory.get(app.url(&format!("/checkout/sandbox/{order}"))).send().await.unwrap();
    assert_eq!(res.status(), 404, "nor its sandbox payment page");
    assert!(!res.text().await.unwrap().contains("Launch Kit"));
    let res = alice.get(app.url(&format!("/checkout/sandbox/{order}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Launch Kit"));
    let res = app.post_form_with(&mallory, "/api/site/sandbox_pay", &[("order", &order), ("outcome", "pay")]).await;
    assert!(res.headers()[header::LOCATION].to_str().unwrap().contains("__err"));
    assert_eq!(latest_order(app).1, "pending");
    let res = alice.get(app.url(&format!("/dashboard/orders/{order}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn checkout_needs_a_signed_in_member_and_an_active_product() {
    let shop = shop().await;
    let app = &shop.app;
    let res = app
        .client
        .post(app.url("/api/site/checkout"))
        .form(&[("slug", "launch-kit"), ("gateway", "sandbox")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let client = member(app, "x@example.com").await;
    let res = client
        .post(app.url("/api/site/checkout"))
        .form(&[("slug", "no-such-product"), ("gateway", "sandbox")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = client
        .post(app.url("/api/site/checkout"))
        .form(&[("slug", "launch-kit"), ("gateway", "bitcoin")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(query_one::<i64>(app, "SELECT count(*) FROM orders"), 0);
}

#[tokio::test]
async fn product_pages_show_prices_and_structured_data() {
    let shop = shop().await;
    let res = shop.app.get("/products/launch-kit").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Rp 150.000"), "{html}");
    assert!(html.contains("application/ld+json") && html.contains("\"@type\":\"Product\""));
    assert!(html.contains("Sign in to buy"));
    assert_eq!(shop.app.get("/products/nope").await.status(), 404);
    let list = shop.app.get("/products").await.text().await.unwrap();
    assert!(list.contains("Launch Kit"));
    let _ = path_regex(".*");
}

#[tokio::test]
async fn midtrans_is_asked_for_the_discounted_amount_with_items_that_add_up() {
    use atelier::domain::coupons::{CouponForm, CouponInput};
    let shop = shop().await;
    let client = member(&shop.app, "coupon@example.com").await;
    let form = CouponForm { code: "EARLY".into(), kind: "fixed".into(), value: "30000".into(), ..Default::default() };
    let input = CouponInput::parse(&form).unwrap();
    shop.app.state.db.run(move |c| atelier::server::db::coupons::create(c, 1, &input)).await.unwrap();
    Mock::given(method("POST"))
        .and(path("/snap/v1/transactions"))
        .and(body_partial_json(json!({"transaction_details": {"gross_amount": 120000}})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "token": "t", "redirect_url": "https://app.sandbox.midtrans.com/snap/v4/redirection/t"
        })))
        .mount(&shop.provider)
        .await;
    let form = [("slug", "launch-kit"), ("gateway", "midtrans"), ("coupon", "early")];
    let res = shop.app.post_form_with(&client, "/api/site/checkout", &form).await;
    assert_eq!(res.status(), 302);
    let sent: serde_json::Value =
        serde_json::from_slice(&shop.provider.received_requests().await.unwrap()[0].body).unwrap();
    let items = sent["item_details"].as_array().unwrap();
    let total: i64 = items.iter().map(|i| i["price"].as_i64().unwrap() * i["quantity"].as_i64().unwrap()).sum();
    assert_eq!(total, 120_000, "the items add up to what is charged: {sent}");
    assert_eq!(items[0]["price"], 150_000);
    assert_eq!((items[1]["price"].as_i64(), items[1]["name"].as_str()), (Some(-30_000), Some("Coupon EARLY")));
    let (order, _) = latest_order(&shop.app);
    // Midtrans confirms the discounted amount: that pays the order.
    mock_status(&shop.provider, &order, "settlement", "120000.00").await;
    assert_eq!(notify(&shop.app, &notification(&order, "settlement", "120000.00", SERVER_KEY)).await, 200);
    assert_eq!(latest_order(&shop.app).1, "paid");
}
