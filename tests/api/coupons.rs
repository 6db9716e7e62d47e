//! Coupons: staff create them; buyers pay less; the last use is spent once.

use crate::helpers::{spawn_app, TestApp};
use reqwest::header;

const PW: &str = "a coupon hunter's passphrase";

fn query_one<T: rusqlite::types::FromSql>(app: &TestApp, sql: &str) -> T {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

async fn member(app: &TestApp, email: &str) -> reqwest::Client {
    app.verified_member("Buyer", email, PW).await;
    let client = TestApp::new_client();
    assert_eq!(app.login_with(&client, email, PW).await, "/dashboard");
    client
}

/// Staff create a coupon through the admin form; returns the response.
async fn create(app: &TestApp, staff: &reqwest::Client, fields: &[(&str, &str)]) -> reqwest::Response {
    let form: Vec<(String, &str)> = fields.iter().map(|(k, v)| (format!("form[{k}]"), *v)).collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    app.post_api(staff, "/api/admin/create_coupon", &form).await
}

/// A checkout with a coupon through the sandbox: the order's public id, or the refusal.
async fn buy(app: &TestApp, client: &reqwest::Client, slug: &str, coupon: &str) -> Result<String, String> {
    let form = [("slug", slug), ("gateway", "sandbox"), ("coupon", coupon)];
    let res = app.post_api(client, "/api/site/checkout", &form).await;
    if let Some(location) = res.headers().get(header::LOCATION) {
        return Ok(location.to_str().unwrap().rsplit('/').next().unwrap().to_owned());
    }
    assert_eq!(res.status(), 400);
    Err(res.text().await.unwrap())
}

async fn pay(app: &TestApp, client: &reqwest::Client, order: &str, outcome: &str) {
    let res = app.post_form_with(client, "/api/site/sandbox_pay", &[("order", order), ("outcome", outcome)]).await;
    assert!(res.status().is_redirection(), "{}", res.status());
}

fn order_amount(app: &TestApp, order: &str) -> (i64, i64, String) {
    rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT amount, discount, status FROM orders WHERE public_id = ?1", [order], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap()
}

#[tokio::test]
async fn staff_create_coupons_and_mistakes_are_explained() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let res =
        create(&app, &staff, &[("code", "early-20"), ("kind", "percent"), ("value", "20"), ("max_uses", "50")]).await;
    assert!(res.status().is_success(), "{}", res.status());

    for (fields, expected) in [
        (vec![("code", "EARLY-20"), ("kind", "percent"), ("value", "10")], "There is a coupon EARLY-20 already"),
        (vec![("code", "BIG"), ("kind", "percent"), ("value", "120")], "from 1 to 100"),
        (vec![("code", "x"), ("kind", "fixed"), ("value", "1000")], "3 to 32 letters"),
        (vec![("code", "ONE"), ("kind", "fixed"), ("value", "lots")], "rupiah taken off"),
        (vec![("code", "TWO"), ("kind", "fixed"), ("value", "1000"), ("product_id", "999")], "Choose a product"),
        (vec![("code", "THREE"), ("kind", "fixed"), ("value", "1000"), ("expires_on", "31/12/2026")], "as a date"),
    ] {
        let res = create(&app, &staff, &fields).await;
        assert_eq!(res.status(), 400, "{fields:?}");
        let message = res.text().await.unwrap();
        assert!(message.contains(expected), "{fields:?}: {message}");
    }
    assert_eq!(query_one::<i64>(&app, "SELECT count(*) FROM coupons"), 1, "refused coupons are not stored");
    assert_eq!(query_one::<String>(&app, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1"), "coupon.created");

    let page = staff.get(app.url("/admin/coupons")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("EARLY-20") && page.contains("20 % off") && page.contains("0 of 50"), "{page}");
    let buyer = member(&app, "m@example.com").await;
    assert_eq!(app.post_api(&buyer, "/api/admin/coupons", &[]).await.status(), 403);
}

#[tokio::test]
async fn a_coupon_lowers_the_price_and_its_use_is_counted_when_the_order_is_paid() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    app.product_on_sale("launch-kit", "Launch Kit", "digital", "web_access", "150000").await;
    create(&app, &staff, &[("code", "EARLY"), ("kind", "percent"), ("value", "20")]).await;
    let buyer = member(&app, "buyer@example.com").await;

    let page = buyer.get(app.url("/products/launch-kit?coupon=early")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Coupon EARLY: 20 % off, taken off at checkout."), "{page}");
    assert!(page.contains(r#"name="coupon" value="EARLY""#), "the code rides along with the buy button: {page}");
    let wrong = buyer.get(app.url("/products/launch-kit?coupon=NOPE")).send().await.unwrap().text().await.unwrap();
    assert!(wrong.contains("There is no coupon NOPE.") && !wrong.contains(r#"name="coupon" value="#), "{wrong}");

    let order = buy(&app, &buyer, "launch-kit", "early").await.unwrap();
    assert_eq!(order_amount(&app, &order), (120_000, 30_000, "pending".into()));
    assert_eq!(query_one::<i64>(&app, "SELECT uses FROM coupons"), 0, "a use counts once it is paid");
    pay(&app, &buyer, &order, "pay").await;
    assert_eq!(query_one::<i64>(&app, "SELECT uses FROM coupons"), 1);
    let page = buyer.get(app.url(&format!("/dashboard/orders/{order}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Rp 120.000") && page.contains("Coupon EARLY took Rp 30.000 off."), "{page}");
    app.drain_jobs().await;
    let mail = app.mail.to("buyer@example.com");
    assert!(mail.iter().any(|m| m.subject().contains("confirmed")));
}

#[tokio::test]
async fn coupons_that_do_not_apply_are_refused_and_make_no_order() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    app.product_on_sale("launch-kit", "Launch Kit", "digital", "web_access", "150000").await;
    let other = app.product_on_sale("ui-kit", "UI Kit", "digital", "web_access", "90000").await.to_string();
    create(&app, &staff, &[("code", "UIONLY"), ("kind", "fixed"), ("value", "10000"), ("product_id", &other)]).await;
    create(&app, &staff, &[("code", "GONE"), ("kind", "percent"), ("value", "10"), ("expires_on", "2020-01-31")]).await;
    create(&app, &staff, &[("code", "PAUSED"), ("kind", "percent"), ("value", "10")]).await;
    let paused: i64 = query_one(&app, "SELECT id FROM coupons WHERE code = 'PAUSED'");
    let res = app
        .post_api(&staff, "/api/admin/set_coupon_disabled", &[("id", &paused.to_string()), ("disabled", "true")])
        .await;
    assert!(res.status().is_success());

    let buyer = member(&app, "b@example.com").await;
    for (code, expected) in [
        ("NOPE", "There is no coupon NOPE"),
        ("uionly", "not valid for this product"),
        ("GONE", "expired"),
        ("PAUSED", "no longer valid"),
    ] {
        let refusal = buy(&app, &buyer, "launch-kit", code).await.unwrap_err();
        assert!(refusal.contains(expected), "{code}: {refusal}");
    }
    assert_eq!(query_one::<i64>(&app, "SELECT count(*) FROM orders"), 0);
    // The product it is for takes it: Rp 90.000 - Rp 10.000.
    let order = buy(&app, &buyer, "ui-kit", "UIONLY").await.unwrap();
    assert_eq!(order_amount(&app, &order), (80_000, 10_000, "pending".into()));
}

#[tokio::test]
async fn the_last_use_under_twenty_concurrent_checkouts_is_spent_once() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    app.product_on_sale("launch-kit", "Launch Kit", "digital", "web_access", "150000").await;
    create(&app, &staff, &[("code", "LAST"), ("kind", "percent"), ("value", "50"), ("max_uses", "1")]).await;
    let buyer = member(&app, "race@example.com").await;

    let results = futures::future::join_all((0..20).map(|_| buy(&app, &buyer, "launch-kit", "LAST"))).await;
    let won: Vec<&String> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(won.len(), 1, "{results:?}");
    // One buyer: the others are refused because the code is used up, or because this
    // buyer already holds its use in an order waiting for payment.
    for refusal in results.iter().filter_map(|r| r.as_ref().err()) {
        assert!(refusal.contains("used up") || refusal.contains("with this code is waiting for payment"), "{refusal}");
    }
    let order = won[0].clone();
    pay(&app, &buyer, &order, "pay").await;
    assert_eq!(query_one::<i64>(&app, "SELECT uses FROM coupons"), 1);
    assert!(buy(&app, &buyer, "launch-kit", "LAST").await.unwrap_err().contains("used up"));

    // A held use comes back when its order fails.
    create(&app, &staff, &[("code", "AGAIN"), ("kind", "percent"), ("value", "50"), ("max_uses", "1")]).await;
    let held = buy(&app, &buyer, "launch-kit", "AGAIN").await.unwrap();
    assert!(buy(&app, &buyer, "launch-kit", "AGAIN").await.unwrap_err().contains("is waiting for payment"));
    let other = member(&app, "other@example.com").await;
    assert!(buy(&app, &other, "launch-kit", "AGAIN").await.unwrap_err().contains("used up"));
    pay(&app, &buyer, &held, "fail").await;
    let second = buy(&app, &buyer, "launch-kit", "AGAIN").await.unwrap();
    assert_eq!(order_amount(&app, &second).0, 75_000);
}

#[tokio::test]
async fn a_coupon_for_the_whole_price_pays_the_order_at_once() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    app.product_on_sale("launch-kit", "Launch Kit", "digital", "web_access", "150000").await;
    create(&app, &staff, &[("code", "ONTHEHOUSE"), ("kind", "fixed"), ("value", "500000")]).await;
    let buyer = member(&app, "free@example.com").await;
    let res = app
        .post_form_with(
            &buyer,
            "/api/site/checkout",
            &[("slug", "launch-kit"), ("gateway", "sandbox"), ("coupon", "onthehouse")],
        )
        .await;
    let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let order = location.strip_prefix("/dashboard/orders/").expect("straight to the order, no payment page").to_owned();
    assert_eq!(order_amount(&app, &order), (0, 150_000, "paid".into()));
    assert_eq!(query_one::<i64>(&app, "SELECT uses FROM coupons"), 1);
    app.drain_jobs().await;
    assert_eq!(query_one::<String>(&app, "SELECT status FROM deliveries"), "delivered");
    assert!(app.mail.to("free@example.com").iter().any(|m| m.subject().contains("confirmed")));
}

#[tokio::test]
async fn a_payment_that_takes_a_use_past_the_limit_is_accepted_and_flagged_to_staff() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    app.product_on_sale("launch-kit", "Launch Kit", "digital", "web_access", "150000").await;
    create(&app, &staff, &[("code", "ONCE"), ("kind", "percent"), ("value", "50"), ("max_uses", "1")]).await;
    let slow = member(&app, "slow@example.com").await;
    let quick = member(&app, "quick@example.com").await;
    let late = buy(&app, &slow, "launch-kit", "ONCE").await.unwrap();
    // The slow buyer's hold on the use lapses; someone else takes the use and pays.
    rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .execute("UPDATE orders SET created_at = created_at - 86400 WHERE public_id = ?1", [&late])
        .unwrap();
    let taken = buy(&app, &quick, "launch-kit", "ONCE").await.unwrap();
    pay(&app, &quick, &taken, "pay").await;
    // Then the slow buyer's payment arrives after all: the money is real.
    pay(&app, &slow, &late, "pay").await;
    assert_eq!(order_amount(&app, &late).2, "paid");
    assert_eq!(query_one::<i64>(&app, "SELECT uses FROM coupons"), 2);
    let flagged: String = query_one(&app, &format!("SELECT staff_notice FROM orders WHERE public_id = '{late}'"));
    assert!(flagged.contains("Coupon ONCE was used 2 times, past its limit of 1"), "{flagged}");
    assert_eq!(
        query_one::<String>(&app, "SELECT action FROM audit_log WHERE action LIKE 'coupon.%' ORDER BY id DESC LIMIT 1"),
        "coupon.over_limit"
    );
    let page = staff.get(app.url(&format!("/admin/orders/{late}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("past its limit of 1"), "staff see it on the order");
    let notice: Option<String> =
        query_one(&app, &format!("SELECT staff_notice FROM orders WHERE public_id = '{taken}'"));
    assert_eq!(notice, None, "the use within the limit is not flagged");
}
