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
        .query_row("SELECT count(*) FROM audit_log WHERE action LIKE 'product.%'", [], |r| r.get(0))
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

#[tokio::test]
async fn staff_record_a_refund_made_in_the_gateways_dashboard_and_the_member_loses_access() {
    let app = spawn_app().await;
    let staff = staff(&app).await;
    app.product_on_sale("desk-app", "Desk App", "digital", "license_key", "250000").await;
    let (member, order) = app.member_buys("nina@example.com", "desk-app").await;
    let key: String = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT license_key FROM license_keys", [], |r| r.get(0))
        .unwrap();
    let validate = || async {
        let res = reqwest::Client::new()
            .post(app.url("/api/licenses/validate"))
            .json(&serde_json::json!({ "key": key }))
            .send()
            .await
            .unwrap();
        res.json::<serde_json::Value>().await.unwrap()["valid"].clone()
    };
    assert_eq!(validate().await, true);

    let res = app.post_api(&staff, "/api/admin/record_refund", &[("public_id", &order), ("note", "  ")]).await;
    assert_eq!(res.status(), 400, "where and which reference is required");
    let res = app
        .post_form_with(
            &staff,
            "/api/admin/record_refund",
            &[("public_id", &order), ("note", "Midtrans dashboard, refund R-77")],
        )
        .await;
    assert!(res.status().is_redirection());
    app.drain_jobs().await;

    let page = staff.get(app.url(&format!("/admin/orders/{order}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Refund recorded by owner@studio.example: Midtrans dashboard, refund R-77"), "{page}");
    assert_eq!(validate().await, false, "the key stops validating");
    assert!(app.mail.to("nina@example.com").iter().any(|m| m.subject().contains("refunded")), "the member is told");
    let orders = member.get(app.url("/dashboard/orders")).send().await.unwrap().text().await.unwrap();
    assert!(orders.contains("Refunded"));
    let res = app.post_api(&staff, "/api/admin/record_refund", &[("public_id", &order), ("note", "again")]).await;
    assert_eq!(res.status(), 400, "a refunded order is not refunded twice");
    let audited: i64 = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT count(*) FROM audit_log WHERE action = 'order.refund_recorded'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn a_products_cover_and_gallery_show_on_cards_the_page_link_previews_and_structured_data() {
    let app = spawn_app().await;
    let client = staff(&app).await;
    let images =
        [("form[cover_image]", "/uploads/cover-7.png"), ("form[gallery]", "/uploads/one.webp\n/uploads/two.jpg")];
    let res = app.post_form_with(&client, "/api/admin/save_product", &product_form(&images)).await;
    assert!(res.status().is_redirection());

    let page = app.get("/products/launch-kit").await.text().await.unwrap();
    assert!(page.contains(r#"<img src="/uploads/cover-7.png" alt="Launch Kit""#), "{page}");
    assert!(page.contains(r#"src="/uploads/one.webp" alt="Launch Kit, image 1""#), "{page}");
    assert!(page.contains(r#"src="/uploads/two.jpg" alt="Launch Kit, image 2""#), "{page}");
    let origin = app.state.config.site_url.clone();
    assert!(page.contains(&format!(r#"<meta property="og:image" content="{origin}/uploads/cover-7.png""#)), "{page}");
    let ld_start = page.find(r#"<script type="application/ld+json">"#).unwrap();
    let ld = &page[ld_start..];
    let ld: serde_json::Value =
        serde_json::from_str(&ld[ld.find('>').unwrap() + 1..ld.find("</script>").unwrap()]).unwrap();
    assert_eq!(
        ld["image"],
        serde_json::json!([
            format!("{origin}/uploads/cover-7.png"),
            format!("{origin}/uploads/one.webp"),
            format!("{origin}/uploads/two.jpg")
        ])
    );
    let catalog = app.get("/products").await.text().await.unwrap();
    assert!(catalog.contains(r#"<img src="/uploads/cover-7.png" alt="""#), "{catalog}");

    // The editor shows them again; an image from elsewhere is refused and nothing changes.
    let id: i64 = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT id FROM products", [], |r| r.get(0))
        .unwrap();
    let editor = client.get(app.url(&format!("/admin/products/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(editor.contains("/uploads/one.webp\n/uploads/two.jpg"), "{editor}");
    let id = id.to_string();
    let mut form = product_form(&[("form[cover_image]", "https://tracker.example/pixel.png")]);
    form.push(("id", &id));
    let res = app.post_api(&client, "/api/admin/save_product", &form).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("uploaded under Uploads"));
    let page = app.get("/products/launch-kit").await.text().await.unwrap();
    assert!(page.contains("/uploads/cover-7.png"));
}
