use crate::helpers::{spawn_app, TestApp};
use reqwest::header;

async fn staff(app: &TestApp) -> reqwest::Client {
    app.signed_in_staff().await
}

fn product_form<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("form[name]", "Launch Kit"),
        ("form[kind]", "digital"),
        ("form[status]", "active"),
        ("form[billing]", "one_time"),
        ("form[price_idr]", "1.250.000"),
        ("form[summary]", "Everything to launch."),
        ("form[description_md]", "# Launch\n\n<script>alert(1)</script>\n\nSome **fast** text."),
        ("form[delivery_kind]", "web_access"),
    ];
    for (key, value) in extra {
        form.retain(|(k, _)| k != key);
        form.push((key, value));
    }
    form
}

#[tokio::test]
async fn staff_create_a_product_that_visitors_then_see_with_its_price() {
    let app = spawn_app().await;
    let client = staff(&app).await;
    let res = app.post_form_with(&client, "/api/admin/save_product", &product_form(&[])).await;
    let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(location.starts_with("/admin/products/") && location.ends_with("?saved=1"), "{location}");

    let page = app.get("/products/launch-kit").await.text().await.unwrap();
    assert!(page.contains("Rp 1.250.000"));
    assert!(page.contains("<strong>fast</strong>"), "Markdown rendered at save time");
    assert!(!page.contains("<script>alert(1)</script>"), "and sanitised");

    let edit = client.get(app.url(location.trim_end_matches("?saved=1"))).send().await.unwrap();
    assert_eq!(edit.status(), 200);
    assert!(edit.text().await.unwrap().contains("value=\"launch-kit\""));
}

#[tokio::test]
async fn a_github_product_without_a_repository_is_refused_and_nothing_is_saved() {
    let app = spawn_app().await;
    let client = staff(&app).await;
    let res = client
        .post(app.url("/api/admin/save_product"))
        .form(&product_form(&[("form[delivery_kind]", "github_invite")]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("needs its repository"));
    let count: i64 = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT count(*) FROM products", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_taken_slug_is_explained() {
    let app = spawn_app().await;
    let client = staff(&app).await;
    app.post_form_with(&client, "/api/admin/save_product", &product_form(&[])).await;
    let res = client.post(app.url("/api/admin/save_product")).form(&product_form(&[])).send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("already uses that slug"));
    // The save that worked is in the audit trail; the refused one is not.
    let audited: i64 = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT count(*) FROM audit_log WHERE action LIKE 'Product %'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(audited, 1);
    let overview = client.get(app.url("/admin")).send().await.unwrap().text().await.unwrap();
    assert!(overview.contains("Product created"), "{overview}");
}

#[tokio::test]
async fn members_get_403_from_every_admin_server_function() {
    let app = spawn_app().await;
    app.verified_member("Member", "m@example.com", "correct horse battery").await;
    let member = TestApp::new_client();
    app.login_with(&member, "m@example.com", "correct horse battery").await;
    for endpoint in ["admin/products", "admin/product_form", "admin/save_product", "admin/orders", "admin/order"] {
        let res = member
            .post(app.url(&format!("/api/{endpoint}")))
            .form(&[("public_id", "x"), ("form[name]", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{endpoint}");
    }
    let anonymous = TestApp::new_client();
    let res = anonymous.post(app.url("/api/admin/products")).send().await.unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn staff_filter_orders_and_bad_filters_are_explained() {
    let app = spawn_app().await;
    let client = staff(&app).await;
    let res = client
        .post(app.url("/api/admin/orders"))
        .form(&[("status", "paid"), ("from", "2026-11-01")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = client.post(app.url("/api/admin/orders")).form(&[("from", "yesterday")]).send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("YYYY-MM-DD"));
    let page = client.get(app.url("/admin/orders?status=bogus")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Unknown order status"));
}
