//! /admin/settings: stored in the database, audited, and used where they show.

use crate::helpers::{spawn_app, spawn_app_in, TestApp};

fn query_one<T: rusqlite::types::FromSql>(app: &TestApp, sql: &str) -> T {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn settings_form(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut form = vec![
        ("form[name]", "Atelier Studio"),
        ("form[legal_name]", "PT Atelier Digital Indonesia"),
        ("form[address]", "Jl. Sudirman 1\nJakarta 10220"),
        ("form[tax_id]", "01.234.567.8-901.000"),
        ("form[tax_rate]", "11"),
        ("form[contact_email]", "hello@atelier.example"),
        ("form[seo_description]", "Bespoke software and kits from a Jakarta studio."),
        ("form[share_image]", "/uploads/share-1.png"),
        ("form[social_links]", "Instagram https://instagram.com/atelier\nGitHub https://github.com/atelier"),
        ("form[gateway_sandbox]", "on"),
        ("form[notify_recipients]", "ops@atelier.example, owner@atelier.example"),
    ];
    for (key, value) in extra {
        form.retain(|(k, _)| k != key);
        form.push((key, value));
    }
    form
}

#[tokio::test]
async fn saved_settings_show_on_receipts_the_home_and_contact_pages_and_order_notices() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let page = staff.get(app.url("/admin/settings")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Save settings"), "{page}");

    // A mistake changes nothing.
    let res = app.post_api(&staff, "/api/admin/save_settings", &settings_form(&[("form[tax_rate]", "eleven")])).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("tax rate"));
    assert_eq!(query_one::<i64>(&app, "SELECT count(*) FROM settings WHERE key = 'studio'"), 0);

    let res = app.post_form_with(&staff, "/api/admin/save_settings", &settings_form(&[])).await;
    assert_eq!(res.headers()["location"], "/admin/settings?saved=1");
    let detail: String = query_one(&app, "SELECT detail FROM audit_log WHERE action = 'settings.saved'");
    assert!(detail.contains("legal_name") && detail.contains("notify_recipients"), "{detail}");
    let page = staff.get(app.url("/admin/settings")).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("PT Atelier Digital Indonesia") && page.contains("ops@atelier.example, owner@atelier.example")
    );

    let home = app.get("/").await.text().await.unwrap();
    assert!(
        home.contains(r#"<meta name="description" content="Bespoke software and kits from a Jakarta studio.""#),
        "{home}"
    );
    let origin = app.state.config.site_url.clone();
    assert!(home.contains(&format!(r#"<meta property="og:image" content="{origin}/uploads/share-1.png""#)), "{home}");
    let contact = app.get("/contact").await.text().await.unwrap();
    assert!(contact.contains(r#"href="mailto:hello@atelier.example""#), "{contact}");
    assert!(contact.contains(r#"href="https://instagram.com/atelier""#), "{contact}");

    // A purchase: its receipt names the legal entity and the PPN it includes; both addresses hear of it.
    app.product_on_sale("kit", "Kit", "digital", "web_access", "111000").await;
    let (buyer, order) = app.member_buys("buyer@example.com", "kit").await;
    let pdf = buyer.get(app.url(&format!("/dashboard/orders/{order}/receipt.pdf"))).send().await.unwrap();
    let text = atelier::server::pdf::shown_text(&pdf.bytes().await.unwrap());
    for expected in
        ["PT Atelier Digital Indonesia", "Jakarta 10220", "01.234.567.8-901.000", "Includes PPN 11 %: Rp 11.000"]
    {
        assert!(text.contains(expected), "{expected:?} missing: {text}");
    }
    for to in ["ops@atelier.example", "owner@atelier.example"] {
        let notices = app.mail.to(to).iter().filter(|m| m.subject().starts_with("New order: Kit")).count();
        assert_eq!(notices, 1, "{to}");
    }
    assert!(app.mail.to(&app.state.config.admin_notify_email).iter().all(|m| !m.subject().starts_with("New order")));
}

#[tokio::test]
async fn a_gateway_not_offered_is_neither_shown_nor_accepted() {
    let env =
        [("MIDTRANS_SERVER_KEY", "SB-key"), ("MIDTRANS_CLIENT_KEY", "SB-client"), ("ALLOW_SANDBOX_PAYMENTS", "true")];
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &env).await;
    let staff = app.signed_in_staff().await;
    app.product_on_sale("kit", "Kit", "digital", "web_access", "150000").await;
    let form = settings_form(&[("form[gateway_sandbox]", ""), ("form[gateway_midtrans]", "on")]);
    assert!(app.post_form_with(&staff, "/api/admin/save_settings", &form).await.status().is_redirection());

    app.verified_member("Buyer", "b@example.com", "a buyer's long passphrase").await;
    let buyer = TestApp::new_client();
    app.login_with(&buyer, "b@example.com", "a buyer's long passphrase").await;
    let page = buyer.get(app.url("/products/kit")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Pay with Midtrans") && !page.contains("Buy (sandbox payment)"), "{page}");
    let res = app.post_api(&buyer, "/api/site/checkout", &[("slug", "kit"), ("gateway", "sandbox")]).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("not available"));
    assert_eq!(query_one::<i64>(&app, "SELECT count(*) FROM orders"), 0);

    // Offering a gateway the studio has not configured is refused.
    let form = settings_form(&[("form[gateway_paypal]", "on")]);
    let res = app.post_api(&staff, "/api/admin/save_settings", &form).await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn the_studio_name_from_the_settings_names_every_page_at_once() {
    let app = spawn_app().await;
    app.product_on_sale("kit", "Kit", "digital", "web_access", "150000").await;
    let staff = app.signed_in_staff().await;
    let visitor = reqwest::Client::new();
    // Cached before the rename: the next request must not show the old name.
    let before = visitor.get(app.url("/products")).send().await.unwrap().text().await.unwrap();
    assert!(before.contains("<title>Products · Atelier</title>"), "{before}");
    let form = settings_form(&[("form[name]", "Studio Contoh"), ("form[legal_name]", "PT Contoh Kreatif")]);
    assert!(app.post_form_with(&staff, "/api/admin/save_settings", &form).await.status().is_redirection());

    let year = atelier::domain::time::jakarta_year(atelier::server::db::now());
    let page = visitor.get(app.url("/products")).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    for shown in [
        "<title>Products · Studio Contoh</title>".to_owned(),
        "aria-label=\"Studio Contoh, home\"".to_owned(),
        "<span>Studio Contoh</span>".to_owned(),
        format!("© {year} PT Contoh Kreatif"),
        "property=\"og:site_name\" content=\"Studio Contoh\"".to_owned(),
        "Digital products from Studio Contoh".to_owned(),
    ] {
        assert!(page.contains(&shown), "{shown}: {page}");
    }
    assert!(!page.contains("Atelier"), "no trace of our name on the studio's page: {page}");
    let admin = staff.get(app.url("/admin/orders")).send().await.unwrap().text().await.unwrap();
    assert!(admin.contains("· Studio Contoh</title>") && admin.contains("Studio Contoh's back office"), "{admin}");
    let feed = visitor.get(app.url("/blog/feed.xml")).send().await.unwrap().text().await.unwrap();
    assert!(feed.contains("<title>Studio Contoh blog</title>"), "{feed}");
    assert!(page.contains("<link rel=\"manifest\" href=\"/manifest.webmanifest\">"), "every head links the manifest");
    let manifest: serde_json::Value =
        visitor.get(app.url("/manifest.webmanifest")).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        (manifest["name"].as_str(), manifest["short_name"].as_str()),
        (Some("Studio Contoh"), Some("Studio Contoh"))
    );
    let signin = visitor.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(signin.contains("Sign in to Studio Contoh") && !signin.contains("Atelier"), "{signin}");

    // Mail written after the rename comes from the studio, by its name, and says it.
    let res = app.post_form("/api/auth/forgot_password", &[("email", "ghost@example.com")]).await;
    assert!(res.status().is_redirection());
    app.drain_jobs().await;
    let mail = app.mail.to("ghost@example.com").pop().expect("the mail");
    assert_eq!(mail.subject(), "Password reset requested for Studio Contoh");
    let from = mail.data.lines().find_map(|l| l.strip_prefix("From: ")).unwrap_or_default().to_owned();
    assert!(from.contains("Studio Contoh") && from.contains("hello@atelier.localhost"), "{from}");
    let body = mail.decoded();
    assert!(body.contains("reset a Studio Contoh password") && body.contains("— Studio Contoh"), "{body}");
    assert!(!body.contains("Atelier"), "{body}");
}
