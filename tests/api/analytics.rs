//! /admin/analytics: figures equal the sums computed here from the database;
//! page views counted without cookies, bots left out; charts parse; CSV exports.

use crate::helpers::{spawn_app, TestApp};
use atelier::domain::analytics::Analytics;
use atelier::domain::waitlist::WaitlistSignup;
use serde_json::Value;

const BROWSER: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

fn query_one<T: rusqlite::types::FromSql>(app: &TestApp, sql: &str) -> T {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn rupiah(n: i64) -> String {
    atelier::domain::Money { minor: n, currency: atelier::domain::Currency::Idr }.to_string()
}

fn table<'a>(a: &'a Analytics, name: &str) -> &'a atelier::domain::analytics::Table {
    a.tables.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("no table {name}"))
}

fn cell<'a>(t: &'a atelier::domain::analytics::Table, first: &str, column: usize) -> &'a str {
    &t.rows.iter().find(|r| r[0] == first).unwrap_or_else(|| panic!("no row {first} in {:?}", t.rows))[column]
}

#[tokio::test]
async fn the_figures_are_the_sums_of_what_happened() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let kit = app.product_on_sale("kit", "Kit", "digital", "web_access", "150000").await;
    app.product_on_sale("icons", "Icons", "digital", "web_access", "90000").await;
    // Ana waited for the kit, then bought it.
    let signup = WaitlistSignup::parse("ana@example.com", "Ana").unwrap();
    app.state.db.run(move |c| atelier::server::db::waitlist::join(c, kit, &signup)).await.unwrap();
    app.member_buys("ana@example.com", "kit").await;
    let (_, refunded) = app.member_buys("budi@example.com", "kit").await;
    app.member_buys("citra@example.com", "icons").await;
    app.refund(&refunded).await;
    let (dewi, _) = app.member_buys("dewi@example.com", "icons").await;
    let res = app.post_form_with(&dewi, "/api/site/checkout", &[("slug", "kit"), ("gateway", "sandbox")]).await;
    assert!(res.status().is_redirection(), "a checkout left unpaid");

    // Three views of the kit's page by a browser; a script's and a bot's are not counted; nor is /admin.
    let browser = reqwest::Client::builder().user_agent(BROWSER).build().unwrap();
    for _ in 0..3 {
        assert_eq!(browser.get(app.url("/products/kit")).send().await.unwrap().status(), 200);
    }
    reqwest::Client::builder()
        .user_agent("curl/8.5")
        .build()
        .unwrap()
        .get(app.url("/products/kit"))
        .send()
        .await
        .unwrap();
    let googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    reqwest::Client::builder()
        .user_agent(googlebot)
        .build()
        .unwrap()
        .get(app.url("/products/kit"))
        .send()
        .await
        .unwrap();
    assert_eq!(query_one::<i64>(&app, "SELECT count(*) FROM page_views"), 0, "counted in memory first");

    let a: Analytics = app.post_api(&staff, "/api/admin/analytics", &[("by", "month")]).await.json().await.unwrap();
    assert_eq!(query_one::<i64>(&app, "SELECT sum(views) FROM page_views"), 3, "written when read");

    let paid_idr: i64 = query_one(&app, "SELECT sum(amount) FROM orders WHERE status = 'paid'");
    let revenue = table(&a, "revenue");
    let idr: i64 = revenue.chart.as_ref().unwrap().iter().map(|(_, v)| v).sum();
    assert_eq!(idr, paid_idr);
    assert_eq!(paid_idr, 150_000 + 90_000 + 90_000, "the refunded order is not revenue");
    let month = &revenue.rows.iter().find(|r| r[1] != "0").unwrap();
    assert_eq!((month[1].as_str(), month[2].clone()), ("3", rupiah(paid_idr)));

    let statuses = table(&a, "statuses");
    assert_eq!(
        cell(statuses, "Paid", 1),
        query_one::<i64>(&app, "SELECT count(*) FROM orders WHERE status = 'paid'").to_string()
    );
    assert_eq!(cell(statuses, "Refunded", 1), "1");
    assert_eq!(cell(statuses, "Waiting for payment", 1), "1");

    let products = table(&a, "products");
    assert_eq!((cell(products, "Icons", 1), cell(products, "Icons", 2)), ("2", rupiah(180_000).as_str()));
    assert_eq!(cell(products, "Kit", 1), "1");

    let funnel = table(&a, "funnel");
    assert_eq!(cell(funnel, "Product page views", 1), "3");
    assert_eq!(cell(funnel, "Checkouts started", 1), query_one::<i64>(&app, "SELECT count(*) FROM orders").to_string());
    assert_eq!(cell(funnel, "Paid", 1), "4");

    let waitlists = table(&a, "waitlists");
    assert_eq!((cell(waitlists, "Kit", 1), cell(waitlists, "Kit", 2)), ("1", "1"));
    let members: i64 = table(&a, "members").chart.as_ref().unwrap().iter().map(|(_, v)| v).sum();
    assert_eq!(members, query_one::<i64>(&app, "SELECT count(*) FROM users"));
    assert_eq!(cell(table(&a, "paths"), "/products/kit", 1), "3");
    let today = &table(&a, "page_days").rows[0];
    assert_eq!((today[1].as_str(), today[2].as_str()), ("/products/kit", "3"));
    assert_eq!(today[0], a.until, "counted on today's Jakarta day");

    // The page: every chart is well-formed SVG beside its table.
    let page = staff.get(app.url("/admin/analytics?by=day")).send().await.unwrap().text().await.unwrap();
    let charts: Vec<&str> = page.split("<svg").skip(1).map(|rest| rest.split("</svg>").next().unwrap()).collect();
    assert!(charts.len() >= 4, "{page}");
    for chart in &charts {
        let svg = format!("<svg{chart}</svg>");
        let doc = roxmltree::Document::parse(&svg).expect("a chart parses as XML");
        assert_eq!(doc.root_element().tag_name().name(), "svg");
    }
    assert!(page.contains("Most viewed pages") && page.contains("/products/kit"));

    // CSV exports; mistakes explained.
    let csv = staff.get(app.url("/admin/analytics/paths.csv")).send().await.unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(csv.text().await.unwrap(), "\"Page\",\"Views\"\r\n\"/products/kit\",\"3\"\r\n");
    assert_eq!(staff.get(app.url("/admin/analytics/secrets.csv")).send().await.unwrap().status(), 404);
    let res = app.post_api(&staff, "/api/admin/analytics", &[("from", "2026-12-01"), ("until", "2026-11-01")]).await;
    assert_eq!(res.status(), 400);
    assert!(res.json::<Value>().await.unwrap().to_string().contains("comes after"));
    let visitor = TestApp::new_client().get(app.url("/admin/analytics/paths.csv")).send().await.unwrap();
    assert!(visitor.status().is_redirection() || visitor.status() == 401, "{}", visitor.status());
}
