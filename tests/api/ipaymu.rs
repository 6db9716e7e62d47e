//! iPaymu (virtual accounts and QRIS) against a fake iPaymu on 127.0.0.1 that
//! answers only correctly signed calls.

use crate::helpers::{spawn_app_in, TestApp};
use atelier::server::studio::payments::ipaymu::signature;
use reqwest::header;
use serde_json::{json, Value};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

const VA: &str = "0000001234567890";
const KEY: &str = "SANDBOX-ipaymu-test-key";
const PW: &str = "correct horse battery";
const TRX: i64 = 424242;

struct Shop {
    app: TestApp,
    ipaymu: MockServer,
}

/// iPaymu's check: the account, a 14-digit timestamp, and the HMAC of this exact body.
struct Signed;

impl Match for Signed {
    fn matches(&self, req: &Request) -> bool {
        let get = |name: &str| req.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let timestamp = get("timestamp");
        get("va") == VA
            && timestamp.len() == 14
            && timestamp.bytes().all(|b| b.is_ascii_digit())
            && get("signature") == signature("POST", VA, &req.body, KEY)
    }
}

async fn shop() -> Shop {
    let ipaymu = MockServer::start().await;
    let uri = ipaymu.uri();
    let env = [("IPAYMU_VA", VA), ("IPAYMU_API_KEY", KEY), ("IPAYMU_BASE_URL", uri.as_str())];
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &env).await;
    app.product_on_sale("launch-kit", "Launch Kit", "digital", "web_access", "150000").await;
    Shop { app, ipaymu }
}

async fn member(app: &TestApp, email: &str) -> reqwest::Client {
    app.verified_member("Buyer", email, PW).await;
    let client = TestApp::new_client();
    assert_eq!(app.login_with(&client, email, PW).await, "/dashboard");
    client
}

/// iPaymu opens a payment for any correctly signed request for Rp 150.000.
async fn ipaymu_opens_payments(ipaymu: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/api/v2/payment/direct"))
        .and(Signed)
        .and(body_partial_json(json!({"account": VA, "amount": 150000, "price": [150000], "qty": [1]})))
        .respond_with(|req: &Request| {
            let body: Value = serde_json::from_slice(&req.body).unwrap();
            let qris = body["paymentMethod"] == "qris";
            ResponseTemplate::new(200).set_body_json(json!({
                "Status": 200, "Success": true, "Message": "Success",
                "Data": {
                    "SessionId": "sess-1", "TransactionId": TRX, "ReferenceId": body["referenceId"],
                    "Via": if qris { "QRIS" } else { "VA" }, "Channel": body["paymentChannel"],
                    "PaymentNo": if qris { "" } else { "8808123456789012" },
                    "QrString": if qris { "00020101021126570011ID.DANA.WWW0118936009153000000001" } else { "" },
                    "PaymentName": "Atelier Studio", "Total": 150000, "Fee": 0,
                    "Expired": "2026-11-24 13:00:00",
                }
            }))
        })
        .mount(ipaymu)
        .await;
}

/// What iPaymu's transaction API says about the order's transaction.
async fn ipaymu_says(shop: &Shop, order: &str, status: i64, amount: Value) {
    shop.ipaymu.reset().await;
    ipaymu_opens_payments(&shop.ipaymu).await;
    Mock::given(method("POST"))
        .and(path("/api/v2/transaction"))
        .and(Signed)
        .and(body_partial_json(json!({"transactionId": TRX})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "Status": 200, "Success": true, "Message": "success",
            "Data": {
                "TransactionId": TRX, "SessionId": "sess-1", "ReferenceId": order, "Amount": amount, "Fee": 0,
                "Status": status, "StatusDesc": match status { 1 => "Berhasil", -2 => "Expired", _ => "Pending" },
            }
        })))
        .mount(&shop.ipaymu)
        .await;
}

async fn checkout(shop: &Shop, client: &reqwest::Client, channel: &str) -> String {
    let form = [("slug", "launch-kit"), ("gateway", "ipaymu"), ("channel", channel), ("phone", "+62 812-3456-7890")];
    let res = shop.app.post_form_with(client, "/api/site/checkout", &form).await;
    assert_eq!(res.status(), 302);
    let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let order = location.strip_prefix("/dashboard/orders/").expect("the buyer is sent to the order page").to_owned();
    assert_eq!(order_state(&shop.app, &order), ("pending".to_owned(), Some(TRX.to_string())));
    order
}

fn query_one<T: rusqlite::types::FromSql>(app: &TestApp, sql: &str) -> T {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn order_state(app: &TestApp, order: &str) -> (String, Option<String>) {
    rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT status, gateway_ref FROM orders WHERE public_id = ?1", [order], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
}

async fn callback(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::StatusCode {
    reqwest::Client::new().post(app.url("/api/payment/ipaymu/notify")).form(fields).send().await.unwrap().status()
}

fn paid_callback(order: &str) -> Vec<(&'static str, String)> {
    vec![
        ("trx_id", TRX.to_string()),
        ("sid", "sess-1".into()),
        ("reference_id", order.to_owned()),
        ("status", "berhasil".into()),
        ("status_code", "1".into()),
    ]
}

async fn send(app: &TestApp, fields: &[(&'static str, String)]) -> reqwest::StatusCode {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    callback(app, &fields).await
}

fn deliveries_queued(app: &TestApp) -> i64 {
    query_one(app, "SELECT count(*) FROM jobs WHERE kind = 'deliver_order'")
}

#[tokio::test]
async fn a_member_pays_into_a_virtual_account_and_gets_one_confirmation() {
    let shop = shop().await;
    let app = &shop.app;
    ipaymu_opens_payments(&shop.ipaymu).await;
    let client = member(app, "va@example.com").await;
    let product = client.get(app.url("/products/launch-kit")).send().await.unwrap().text().await.unwrap();
    assert!(product.contains("Pay with iPaymu") && product.contains("BCA virtual account"), "{product}");
    assert!(product.contains(r#"name="phone""#) && product.contains("QRIS (any banking or e-wallet app)"));

    let order = checkout(&shop, &client, "bca").await;
    let sent: Value = serde_json::from_slice(&shop.ipaymu.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!(sent["referenceId"], order.as_str());
    assert_eq!((sent["paymentMethod"].as_str(), sent["paymentChannel"].as_str()), (Some("va"), Some("bca")));
    assert_eq!(sent["phone"], "6281234567890");
    assert_eq!(sent["email"], "va@example.com");
    assert!(sent["notifyUrl"].as_str().unwrap().ends_with("/api/payment/ipaymu/notify"), "{sent}");

    let page = client.get(app.url(&format!("/dashboard/orders/{order}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("How to pay") && page.contains("BCA virtual account"), "{page}");
    assert!(page.contains("8808123456789012") && page.contains("Atelier Studio"), "{page}");
    assert!(page.contains("24 November 2026 at 13:00 WIB"), "iPaymu's expiry, in Jakarta time: {page}");

    ipaymu_says(&shop, &order, 1, json!(150000)).await;
    assert_eq!(send(app, &paid_callback(&order)).await, 200);
    assert_eq!(order_state(app, &order).0, "paid");
    app.drain_jobs().await;
    let confirmations = app.mail.to("va@example.com").into_iter().filter(|m| m.subject().contains("confirmed")).count();
    assert_eq!(confirmations, 1);
    let page = client.get(app.url(&format!("/dashboard/orders/{order}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Payment confirmed") && !page.contains("How to pay"), "{page}");
}

#[tokio::test]
async fn a_qris_payment_shows_a_code_only_its_buyer_can_load() {
    let shop = shop().await;
    let app = &shop.app;
    ipaymu_opens_payments(&shop.ipaymu).await;
    let client = member(app, "qr@example.com").await;
    let order = checkout(&shop, &client, "qris").await;
    let page = client.get(app.url(&format!("/dashboard/orders/{order}"))).send().await.unwrap().text().await.unwrap();
    let qr = format!("/dashboard/orders/{order}/qr.svg");
    assert!(page.contains(&format!(r#"src="{qr}""#)) && page.contains("Scan it with any banking"), "{page}");

    let res = client.get(app.url(&qr)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "image/svg+xml");
    let svg = res.text().await.unwrap();
    roxmltree::Document::parse(&svg).expect("the QR code is well-formed SVG");
    assert!(svg.contains("<path") && svg.contains("M4 4h7v1h-7z"), "a finder pattern in the corner: {svg}");

    let other = member(app, "other@example.com").await;
    assert_eq!(other.get(app.url(&qr)).send().await.unwrap().status(), 404);
    let visitor = TestApp::new_client().get(app.url(&qr)).send().await.unwrap();
    assert!(visitor.status().is_redirection(), "{}", visitor.status());

    // Paid: the code is gone.
    ipaymu_says(&shop, &order, 1, json!("150000.00")).await;
    assert_eq!(send(app, &paid_callback(&order)).await, 200);
    assert_eq!(client.get(app.url(&qr)).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn an_expired_payment_ends_the_order_without_delivery() {
    let shop = shop().await;
    ipaymu_opens_payments(&shop.ipaymu).await;
    let client = member(&shop.app, "late@example.com").await;
    let order = checkout(&shop, &client, "bni").await;
    ipaymu_says(&shop, &order, -2, json!(150000)).await;
    let mut expired = paid_callback(&order);
    expired[3].1 = "expired".into();
    expired[4].1 = "-2".into();
    assert_eq!(send(&shop.app, &expired).await, 200);
    assert_eq!(order_state(&shop.app, &order).0, "expired");
    assert_eq!(deliveries_queued(&shop.app), 0);
    let page =
        client.get(shop.app.url(&format!("/dashboard/orders/{order}"))).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("How to pay"), "an expired order shows no payment instructions: {page}");
}

#[tokio::test]
async fn forged_callbacks_change_nothing() {
    let shop = shop().await;
    let app = &shop.app;
    ipaymu_opens_payments(&shop.ipaymu).await;
    let client = member(app, "forged@example.com").await;
    let order = checkout(&shop, &client, "mandiri").await;
    ipaymu_says(&shop, &order, 0, json!(150000)).await;

    // "berhasil", but iPaymu itself says the transaction is still waiting.
    assert_eq!(send(app, &paid_callback(&order)).await, 200);
    // Another transaction's id for this order.
    let mut other = paid_callback(&order);
    other[0].1 = "999".into();
    assert_eq!(send(app, &other).await, 403);
    // An order that does not exist, and a body that is not a callback.
    let mut unknown = paid_callback(&order);
    unknown[2].1 = "ATL-20260101-NOPE00".into();
    assert_eq!(send(app, &unknown).await, 404);
    assert_eq!(callback(app, &[("status", "berhasil")]).await, 400);

    assert_eq!(order_state(app, &order).0, "pending");
    assert_eq!(deliveries_queued(app), 0);
    let refused: i64 =
        query_one(app, "SELECT count(*) FROM payment_events WHERE gateway = 'ipaymu' AND outcome = 'rejected'");
    assert_eq!(refused, 2, "the other transaction and the unknown order are on record");
    let transaction_checks =
        shop.ipaymu.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/api/v2/transaction").count();
    assert_eq!(transaction_checks, 1, "only the order's own transaction is ever looked up");
}

#[tokio::test]
async fn an_amount_or_order_that_does_not_match_is_refused() {
    let shop = shop().await;
    let app = &shop.app;
    ipaymu_opens_payments(&shop.ipaymu).await;
    let client = member(app, "short@example.com").await;
    let order = checkout(&shop, &client, "bri").await;
    ipaymu_says(&shop, &order, 1, json!(1000)).await;
    assert_eq!(send(app, &paid_callback(&order)).await, 400);
    ipaymu_says(&shop, "ATL-20260101-OTHER0", 1, json!(150000)).await;
    assert_eq!(send(app, &paid_callback(&order)).await, 400);
    assert_eq!(order_state(app, &order).0, "pending");
    assert_eq!(deliveries_queued(app), 0);
}

#[tokio::test]
async fn fifty_copies_of_one_callback_pay_once_deliver_once_mail_once() {
    let shop = shop().await;
    let app = &shop.app;
    ipaymu_opens_payments(&shop.ipaymu).await;
    let client = member(app, "dup@example.com").await;
    let order = checkout(&shop, &client, "cimb").await;
    ipaymu_says(&shop, &order, 1, json!(150000)).await;
    let fields = paid_callback(&order);
    let results = futures::future::join_all((0..50).map(|_| send(app, &fields))).await;
    assert!(results.iter().all(|s| *s == 200), "{results:?}");
    // A late "pending" never moves it back.
    ipaymu_says(&shop, &order, 0, json!(150000)).await;
    assert_eq!(send(app, &fields).await, 200);
    assert_eq!(order_state(app, &order).0, "paid");
    assert_eq!(query_one::<i64>(app, "SELECT count(*) FROM payment_events WHERE applied = 1"), 1);
    assert_eq!(deliveries_queued(app), 1);
    app.drain_jobs().await;
    let confirmations =
        app.mail.to("dup@example.com").into_iter().filter(|m| m.subject().contains("confirmed")).count();
    assert_eq!(confirmations, 1);
}

#[tokio::test]
async fn checkout_asks_for_a_channel_and_a_phone_and_survives_ipaymu_being_down() {
    let shop = shop().await;
    let app = &shop.app;
    let client = member(app, "ask@example.com").await;
    let ask = |fields: Vec<(&'static str, &'static str)>| {
        let client = client.clone();
        async move {
            let mut form = vec![("slug", "launch-kit"), ("gateway", "ipaymu")];
            form.extend(fields);
            let res = app.post_api(&client, "/api/site/checkout", &form).await;
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let (status, message) = ask(vec![("phone", "081234567890")]).await;
    assert_eq!(status, 400);
    assert!(message.contains("QRIS or a bank's virtual account"), "{message}");
    let (status, message) = ask(vec![("channel", "bca"), ("phone", "12")]).await;
    assert_eq!(status, 400);
    assert!(message.contains("phone number"), "{message}");
    assert_eq!(query_one::<i64>(app, "SELECT count(*) FROM orders"), 0, "a mistake creates no order");
    assert!(shop.ipaymu.received_requests().await.unwrap().is_empty(), "and asks iPaymu nothing");

    Mock::given(method("POST"))
        .and(path("/api/v2/payment/direct"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&shop.ipaymu)
        .await;
    let (status, message) = ask(vec![("channel", "bca"), ("phone", "081234567890")]).await;
    assert_eq!(status, 400);
    assert!(message.contains("Nothing was charged"), "{message}");
    assert_eq!(query_one::<Option<String>>(app, "SELECT gateway_ref FROM orders"), None);
}

/// iPaymu opens payments that stay open until far in the future.
async fn ipaymu_opens_long_payments(ipaymu: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/api/v2/payment/direct"))
        .and(Signed)
        .respond_with(|req: &Request| {
            let body: Value = serde_json::from_slice(&req.body).unwrap();
            ResponseTemplate::new(200).set_body_json(json!({
                "Status": 200, "Success": true, "Message": "Success",
                "Data": {
                    "SessionId": "sess-1", "TransactionId": TRX, "ReferenceId": body["referenceId"],
                    "Via": "VA", "Channel": body["paymentChannel"], "PaymentNo": "8808123456789012",
                    "QrString": "", "PaymentName": "Atelier Studio", "Total": 150000, "Fee": 0,
                    "Expired": "2099-01-01 12:00:00",
                }
            }))
        })
        .mount(ipaymu)
        .await;
}

fn subjects(app: &TestApp, to: &str) -> Vec<String> {
    app.mail.to(to).iter().map(|m| m.subject()).collect()
}

#[tokio::test]
async fn a_waiting_payment_is_explained_reminded_once_and_its_lapse_said_never_after_payment() {
    let shop = shop().await;
    let app = &shop.app;
    ipaymu_opens_long_payments(&shop.ipaymu).await;
    let client = member(app, "waits@example.com").await;

    // How to pay: the account, the amount and the deadline in WIB.
    let order = checkout(&shop, &client, "bca").await;
    app.drain_jobs().await;
    let how =
        app.mail.to("waits@example.com").into_iter().find(|m| m.subject() == format!("How to pay for order {order}"));
    let how = how.expect("the instructions are mailed").decoded();
    for said in
        ["BCA virtual account 8808123456789012", "Rp 150.000", "until 1 January 2099 at 12:00 WIB", "Launch Kit"]
    {
        assert!(how.contains(said), "{said:?} in {how}");
    }
    // The reminder waits for six hours before the deadline.
    let reminder_at: i64 = query_one(app, "SELECT run_at FROM jobs WHERE kind = 'payment_reminder'");
    let deadline: i64 = query_one(app, "SELECT expires_at FROM payment_instructions");
    assert_eq!(deadline - reminder_at, 6 * 3600);
    let due_now = || {
        rusqlite::Connection::open(&app.db_path)
            .unwrap()
            .execute("UPDATE jobs SET run_at = unixepoch() WHERE kind = 'payment_reminder' AND status = 'queued'", [])
            .unwrap()
    };
    due_now();
    app.drain_jobs().await;
    app.drain_jobs().await;
    let reminded =
        subjects(app, "waits@example.com").iter().filter(|s| s.contains("is still waiting for payment")).count();
    assert_eq!(reminded, 1, "one reminder");

    // Paid before the reminder: none is sent.
    let paid = checkout(&shop, &client, "bni").await;
    ipaymu_says(&shop, &paid, 1, json!(150000)).await;
    assert_eq!(send(app, &paid_callback(&paid)).await, 200);
    due_now();
    app.drain_jobs().await;
    let reminders: Vec<String> =
        subjects(app, "waits@example.com").into_iter().filter(|s| s.contains("still waiting")).collect();
    assert_eq!(reminders, vec![format!("Your order {order} is still waiting for payment")], "none for the paid order");

    // The first order lapses: one mail with a way to try again, however often iPaymu says so.
    ipaymu_says(&shop, &order, -2, json!(150000)).await;
    let mut expired = paid_callback(&order);
    expired[3].1 = "expired".into();
    expired[4].1 = "-2".into();
    assert_eq!(send(app, &expired).await, 200);
    assert_eq!(send(app, &expired).await, 200);
    app.drain_jobs().await;
    let lapsed: Vec<_> = app
        .mail
        .to("waits@example.com")
        .into_iter()
        .filter(|m| m.subject() == format!("Order {order} lapsed without payment"))
        .collect();
    assert_eq!(lapsed.len(), 1);
    assert!(lapsed[0].link(&app.url("/products/launch-kit")).is_some(), "a way to try again");
    let paid_lapsed = subjects(app, "waits@example.com").iter().any(|s| s.contains(&paid) && s.contains("lapsed"));
    assert!(!paid_lapsed, "nothing about the paid order lapsing");
}

#[tokio::test]
async fn a_buyer_who_reads_indonesian_is_told_how_to_pay_in_indonesian() {
    let shop = shop().await;
    let app = &shop.app;
    ipaymu_opens_long_payments(&shop.ipaymu).await;
    let client = member(app, "bayar@example.com").await;
    app.post_form_with(&client, "/api/dashboard/mail_preferences", &[("language", "id")]).await;
    let order = checkout(&shop, &client, "bca").await;
    app.drain_jobs().await;
    let how =
        app.mail.to("bayar@example.com").into_iter().find(|m| m.subject() == format!("Cara membayar pesanan {order}"));
    let how = how.expect("the instructions, in Indonesian").decoded();
    for said in [
        "Transfer tepat Rp 150.000 ke BCA virtual account 8808123456789012",
        "sampai 1 Januari 2099 pukul 12.00 WIB",
        "Buka pesanan Anda",
    ] {
        assert!(how.contains(said), "{said:?} in {how}");
    }
    assert!(!how.contains("waits for your payment") && !how.contains("Open your order"), "{how}");
}
