//! Receipts: numbered without gaps per year in the payment's own transaction,
//! attached to the confirmation mail, downloadable by the buyer and by staff only.

use crate::helpers::{spawn_app_in, TestApp};
use atelier::domain::products::{ProductForm, ProductInput};
use atelier::server::db::{catalog, DbError};
use base64::Engine;

const PW: &str = "correct horse battery";

async fn shop() -> TestApp {
    let app = spawn_app_in(
        tempfile::TempDir::new().unwrap(),
        &[
            ("STUDIO_NAME", "Atelier Studio"),
            ("STUDIO_ADDRESS", "Jl. Sudirman 1|Jakarta 10220"),
            ("STUDIO_TAX_ID", "01.234.567.8-901.000"),
        ],
    )
    .await;
    let form = ProductForm {
        slug: "icon-pack".into(),
        name: "Icon Pack".into(),
        kind: "digital".into(),
        status: "active".into(),
        billing: "one_time".into(),
        price_idr: "99000".into(),
        delivery_kind: "web_access".into(),
        ..ProductForm::default()
    };
    let input = ProductInput::parse(&form).unwrap();
    app.state
        .db
        .run(move |c| Ok::<_, DbError>(catalog::save(c, None, &input, &Default::default()).is_ok()))
        .await
        .unwrap();
    app
}

async fn member(app: &TestApp, email: &str) -> reqwest::Client {
    app.verified_member("Buyer", email, PW).await;
    let client = TestApp::new_client();
    app.login_with(&client, email, PW).await;
    client
}

/// A pending order of the icon pack for `client`; its public id.
async fn order(app: &TestApp, client: &reqwest::Client) -> String {
    let res = app.post_form_with(client, "/api/site/checkout", &[("slug", "icon-pack"), ("gateway", "sandbox")]).await;
    res.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_owned()
}

async fn pay(app: &TestApp, client: &reqwest::Client, order: &str) {
    let res = app.post_form_with(client, "/api/site/sandbox_pay", &[("order", order), ("outcome", "pay")]).await;
    assert_eq!(res.status(), 302);
}

/// The bytes of the attachment named `file_name` in a raw message.
pub(crate) fn attachment(raw: &str, file_name: &str) -> Option<Vec<u8>> {
    let start = raw.find(&format!("filename=\"{file_name}\""))?;
    let rest = &raw[start..];
    let body = &rest[rest.find("\r\n\r\n")? + 4..];
    let encoded: String = body.lines().take_while(|l| !l.starts_with("--")).collect::<Vec<_>>().concat();
    base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()
}

fn year_now() -> i64 {
    let day = atelier::domain::time::jakarta_day(atelier::server::db::now());
    atelier::domain::time::civil_from_days(day).0
}

#[tokio::test]
async fn a_paid_order_gets_a_numbered_receipt_mailed_and_shown_to_its_buyer_alone() {
    let app = shop().await;
    let client = member(&app, "rina@example.com").await;
    let id = order(&app, &client).await;

    // No receipt before it is paid.
    assert_eq!(client.get(app.url(&format!("/dashboard/orders/{id}/receipt.pdf"))).send().await.unwrap().status(), 404);
    pay(&app, &client, &id).await;
    app.drain_jobs().await;
    let number = format!("ATL-{}-000001", year_now());

    // The confirmation mail carries it.
    let mail = app
        .mail
        .to("rina@example.com")
        .into_iter()
        .find(|m| m.subject() == format!("Order {id} confirmed"))
        .expect("the confirmation mail");
    let pdf = attachment(&mail.data, &format!("receipt-{number}.pdf")).expect("the receipt is attached");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf);
    for shown in [
        number.as_str(),
        "Rp 99.000",
        "Atelier Studio",
        "Jakarta 10220",
        "Tax id (NPWP): 01.234.567.8-901.000",
        "Icon Pack",
    ] {
        assert!(text.contains(&format!("({shown}) Tj")), "{shown} on the receipt");
    }

    // The buyer downloads it from the order's page; nobody else can.
    let page = client.get(app.url(&format!("/dashboard/orders/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("/dashboard/orders/{id}/receipt.pdf")), "the order page links it");
    let res = client.get(app.url(&format!("/dashboard/orders/{id}/receipt.pdf"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.headers()["content-disposition"], format!("attachment; filename=\"receipt-{number}.pdf\""));
    assert_eq!(res.bytes().await.unwrap(), pdf.as_slice(), "the same receipt as mailed");
    let other = member(&app, "other@example.com").await;
    assert_eq!(other.get(app.url(&format!("/dashboard/orders/{id}/receipt.pdf"))).send().await.unwrap().status(), 404);
    let res = TestApp::new_client().get(app.url(&format!("/dashboard/orders/{id}/receipt.pdf"))).send().await.unwrap();
    assert!(res.headers()["location"].to_str().unwrap().starts_with("/login?next="), "a visitor signs in first");
    assert_eq!(client.get(app.url(&format!("/admin/orders/{id}/receipt.pdf"))).send().await.unwrap().status(), 403);
    let staff = app.signed_in_staff().await;
    let res = staff.get(app.url(&format!("/admin/orders/{id}/receipt.pdf"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.unwrap().starts_with(b"%PDF-"));
}

#[tokio::test]
async fn fifty_concurrent_payments_take_fifty_receipt_numbers_without_a_gap() {
    let app = shop().await;
    let client = member(&app, "bulk@example.com").await;
    let mut orders = Vec::new();
    for _ in 0..50 {
        orders.push(order(&app, &client).await);
    }
    let payments = orders.iter().map(|id| pay(&app, &client, id));
    futures::future::join_all(payments).await;

    let c = rusqlite::Connection::open(&app.db_path).unwrap();
    let mut numbers: Vec<(i64, String)> = c
        .prepare("SELECT seq, number FROM receipts ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(numbers.iter().map(|(s, _)| *s).collect::<Vec<_>>(), (1..=50).collect::<Vec<_>>());
    let last = numbers.pop().unwrap().1;
    assert_eq!(last, format!("ATL-{}-000050", year_now()));
    let paid: i64 = c.query_row("SELECT count(*) FROM orders WHERE status = 'paid'", [], |r| r.get(0)).unwrap();
    assert_eq!(paid, 50);
}
