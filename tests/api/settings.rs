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
        ("form[language]", "en"),
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
    // Staff pages' headers are kept too, drawn once per area.
    let admin = staff.get(app.url("/admin/orders")).send().await.unwrap().text().await.unwrap();
    assert!(admin.contains("aria-label=\"Atelier, home\""), "{admin}");
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
    assert!(admin.contains("aria-label=\"Studio Contoh, home\"") && !admin.contains("Atelier, home"), "{admin}");
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

#[tokio::test]
async fn an_accent_colour_colours_every_page_at_once_and_one_too_faint_is_refused() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let visitor = reqwest::Client::new();
    // The default colour needs no stylesheet of its own.
    let before = visitor.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(!before.contains("/theme.css"), "{before}");

    // Too faint under white button text: refused with the ratio and the nearest colour that passes.
    let res = app.post_api(&staff, "/api/admin/save_settings", &settings_form(&[("form[accent]", "#7CC4FF")])).await;
    assert_eq!(res.status(), 400);
    let refusal = res.text().await.unwrap();
    assert!(refusal.contains("The accent colour #7CC4FF has a contrast of 1.87:1"), "{refusal}");
    assert!(refusal.contains("WCAG AA needs 4.5:1. The nearest colour that passes is #"), "{refusal}");
    assert_eq!(query_one::<i64>(&app, "SELECT count(*) FROM settings WHERE key = 'studio'"), 0, "nothing saved");
    let res = app.post_api(&staff, "/api/admin/save_settings", &settings_form(&[("form[accent]", "blue")])).await;
    assert!(res.text().await.unwrap().contains("Enter the accent colour as a hex code like #1A2B3C."));

    let form = settings_form(&[("form[accent]", "#1d4ed8")]);
    assert!(app.post_form_with(&staff, "/api/admin/save_settings", &form).await.status().is_redirection());
    for (client, path) in [(&visitor, "/"), (&visitor, "/products"), (&staff, "/dashboard"), (&staff, "/admin/orders")]
    {
        let page = client.get(app.url(path)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(r#"<link rel="stylesheet" href="/theme.css?v=1d4ed8">"#), "{path}: {page}");
    }
    let theme = visitor.get(app.url("/theme.css?v=1d4ed8")).send().await.unwrap();
    assert_eq!(theme.headers()["content-type"], "text/css; charset=utf-8");
    assert_eq!(theme.headers()["cache-control"], "public, max-age=31536000, immutable");
    let css = theme.text().await.unwrap();
    assert!(
        css.contains("--accent: #1d4ed8;") && css.contains("--accent-soft: #") && css.contains("--accent-strong: #")
    );
    // An old version is not kept: it may be asked for after the colour changed.
    let stale = visitor.get(app.url("/theme.css?v=b4451f")).send().await.unwrap();
    assert_eq!(stale.headers()["cache-control"], "no-cache");
    let page = staff.get(app.url("/admin/settings")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r##"value="#1D4ED8""##) && page.contains("class=\"swatch\""), "{page}");
    let detail: String = query_one(&app, "SELECT detail FROM audit_log WHERE action = 'settings.saved'");
    assert!(detail.contains("accent"), "{detail}");
}

/// A PNG of `width` × `height` px, a different colour per column.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_fn(width, height, |x, _| image::Rgba([30, (x % 200) as u8, 120, 255]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(image)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

async fn upload_logo(app: &TestApp, staff: &reqwest::Client, file_name: &str, bytes: Vec<u8>) -> String {
    let form = reqwest::multipart::Form::new()
        .part("logo", reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()));
    let res = staff
        .post(app.url("/admin/settings/logo"))
        .header("Origin", &app.address)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{file_name}");
    res.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_logo_shows_in_every_header_mail_and_icon_and_anything_but_an_image_is_refused() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let visitor = reqwest::Client::new();
    // Without a logo: the monogram of the name's first letter, as the icon too.
    let home = visitor.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains(r#"<link rel="icon" href="/favicon.svg?v=41" type="image/svg+xml" sizes="any">"#), "{home}");
    let monogram = visitor.get(app.url("/favicon.svg?v=41")).send().await.unwrap();
    assert_eq!(monogram.headers()["content-type"], "image/svg+xml");
    assert!(monogram.text().await.unwrap().contains(">A</text>"));

    // An SVG (it can carry scripts) and an executable named like a PNG are refused; nothing is stored.
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.to_vec();
    assert_eq!(upload_logo(&app, &staff, "logo.svg", svg).await, "/admin/settings?logo_error=svg#logo");
    let elf = [b"\x7fELF\x02\x01\x01\x00".as_slice(), &[0u8; 256]].concat();
    assert_eq!(upload_logo(&app, &staff, "logo.png", elf).await, "/admin/settings?logo_error=type#logo");
    let page = staff.get(app.url("/admin/settings?logo_error=type")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("The logo must be a PNG, WebP or JPEG image, and this file is not one."), "{page}");
    assert!(app.get("/logo.png").await.status() == 404);
    let stored: i64 = query_one(&app, "SELECT count(*) FROM studio_images");
    assert_eq!(stored, 0);

    // A PNG logo: in every head and header at once, its icons of each size drawn from it.
    assert_eq!(upload_logo(&app, &staff, "logo.png", png(600, 200)).await, "/admin/settings?logo=1#logo");
    let version: String = query_one(&app, "SELECT version FROM studio_images WHERE name = 'logo'");
    for (client, path) in [(&visitor, "/"), (&visitor, "/blog"), (&staff, "/dashboard"), (&staff, "/admin/orders")] {
        let page = client.get(app.url(path)).send().await.unwrap().text().await.unwrap();
        for shown in [
            format!(r#"<img src="/logo.png?v={version}" alt="" height="32" class="brand-logo">"#),
            format!(r#"<link rel="icon" href="/icons/32.png?v={version}" type="image/png" sizes="32x32">"#),
            format!(r#"<link rel="apple-touch-icon" href="/icons/180.png?v={version}">"#),
        ] {
            assert!(page.contains(&shown), "{path}: {shown}: {page}");
        }
    }
    for size in [32u32, 180, 192, 512] {
        let res = visitor.get(app.url(&format!("/icons/{size}.png?v={version}"))).send().await.unwrap();
        assert_eq!(res.headers()["content-type"], "image/png");
        assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
        let icon = image::load_from_memory_with_format(&res.bytes().await.unwrap(), image::ImageFormat::Png).unwrap();
        assert_eq!((icon.width(), icon.height()), (size, size), "the {size} px icon");
    }
    assert_eq!(app.get("/icons/64.png").await.status(), 404);
    let logo = image::load_from_memory(&visitor.get(app.url("/logo.png")).send().await.unwrap().bytes().await.unwrap());
    assert_eq!(logo.map(|l| (l.width(), l.height())).unwrap(), (480, 160), "drawn at most 160 px high");
    let manifest: serde_json::Value =
        visitor.get(app.url("/manifest.webmanifest")).send().await.unwrap().json().await.unwrap();
    assert_eq!(manifest["icons"][1]["src"], format!("/icons/512.png?v={version}"));

    // Receipts and invoices print it (an image in the PDF), from the next document on.
    app.product_on_sale("kit", "Kit", "digital", "web_access", "150000").await;
    let (_, order) = app.member_buys("buyer@example.com", "kit").await;
    let receipt = staff.get(app.url(&format!("/admin/orders/{order}/receipt.pdf"))).send().await.unwrap();
    assert_eq!(receipt.headers()["content-type"], "application/pdf");
    let pdf = receipt.bytes().await.unwrap();
    let has_image = |pdf: &[u8]| pdf.windows(16).any(|w| w == b"/Subtype /Image\n" || w == b"/Subtype /Image ");
    assert!(has_image(&pdf), "the receipt shows the logo");

    // Mail shows it from the site, by an absolute address.
    let res = app.post_form("/api/auth/forgot_password", &[("email", "ghost@example.com")]).await;
    assert!(res.status().is_redirection());
    app.drain_jobs().await;
    let mail = app.mail.to("ghost@example.com").pop().expect("the mail").decoded();
    let origin = app.state.config.site_url.clone();
    assert!(mail.contains(&format!(r#"<img src="{origin}/logo.png?v={version}" alt="Atelier""#)), "{mail}");

    // A logo that shows the name: the header shows it alone, named by its alt text.
    let form = settings_form(&[("form[name]", "Atelier"), ("form[logo_has_name]", "on")]);
    assert!(app.post_form_with(&staff, "/api/admin/save_settings", &form).await.status().is_redirection());
    let page = visitor.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(page
        .contains(&format!(r#"<img src="/logo.png?v={version}" alt="Atelier" height="40" class="brand-logo wide">"#)));
    assert!(!page.contains("<span>Atelier"), "the name is not shown twice: {page}");
    let kept: String = query_one(&app, "SELECT version FROM studio_images WHERE name = 'icon-32'");
    assert_eq!(kept, version, "saving the form keeps the logo");

    // Removed: the monogram again.
    let res = staff.post(app.url("/admin/settings/logo/remove")).header("Origin", &app.address).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/admin/settings?logo=0#logo");
    let page = visitor.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"href="/favicon.svg?v=41""#) && !page.contains("/logo.png"), "{page}");
    let receipt = staff.get(app.url(&format!("/admin/orders/{order}/receipt.pdf"))).send().await.unwrap();
    assert!(!has_image(&receipt.bytes().await.unwrap()), "no logo, no image on the receipt");
    assert_eq!(app.get("/logo.png").await.status(), 404);
}

/// The home page form as the editor sends it: the default page, with `changes`.
fn home_form(changes: &[(&'static str, &'static str)]) -> Vec<(String, String)> {
    let form = atelier::domain::home::HomeForm::from_home(&atelier::domain::home::Home::default());
    let mut fields: Vec<(String, String)> = serde_json::to_value(&form)
        .unwrap()
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (format!("form[{k}]"), v.as_str().unwrap().to_owned()))
        .collect();
    for (key, value) in changes {
        fields.retain(|(k, _)| k != key);
        fields.push((key.to_string(), value.to_string()));
    }
    fields
}

#[tokio::test]
async fn staff_edit_the_home_page_and_visitors_see_it_at_once() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let visitor = reqwest::Client::new();
    let before = visitor.get(app.url("/")).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(before.contains("<h1>Software made with care, delivered the moment you need it.</h1>"), "{before}");
    let editor = staff.get(app.url("/admin/home")).send().await.unwrap().text().await.unwrap();
    assert!(editor.contains(">Headline<") && editor.contains("Save home page"), "{editor}");

    // A link to a page that does not exist, or not of the web, is refused; nothing changes.
    let fields = home_form(&[("form[primary_href]", "/products/no-such-kit")]);
    let as_pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.post_api(&staff, "/api/admin/save_home", &as_pairs).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("There is no page at /products/no-such-kit"));
    let fields = home_form(&[("form[cta_href]", "javascript:alert(1)")]);
    let as_pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.post_api(&staff, "/api/admin/save_home", &as_pairs).await;
    assert!(res.text().await.unwrap().contains("Give the call to action's button a page of the site"));
    assert_eq!(query_one::<i64>(&app, "SELECT count(*) FROM settings WHERE key = 'home'"), 0);

    // A new headline, a button to a product, the call to action first and the offers hidden.
    app.product_on_sale("kit", "Kit", "digital", "web_access", "150000").await;
    let fields = home_form(&[
        ("form[headline]", "Websites & shops for Jakarta's bakeries"),
        ("form[primary_label]", "See the kit"),
        ("form[primary_href]", "/products/kit"),
        ("form[order_cta]", "1"),
        ("form[order_hero]", "2"),
        ("form[order_offers]", ""),
    ]);
    let as_pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.post_form_with(&staff, "/api/admin/save_home", &as_pairs).await;
    assert_eq!(res.headers()["location"], "/admin/home?saved=1");
    let home = visitor.get(app.url("/")).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(home.contains("<h1>Websites &amp; shops for Jakarta's bakeries</h1>"), "{home}");
    assert!(home.contains(r#"<a href="/products/kit" class="button">See the kit</a>"#), "{home}");
    assert!(!home.contains("What we offer"), "the hidden section is gone: {home}");
    let (cta, hero) = (home.find("Have a project in mind?").unwrap(), home.find("<h1>").unwrap());
    assert!(cta < hero, "the call to action comes first");
    let detail: String = query_one(&app, "SELECT detail FROM audit_log WHERE action = 'home.saved'");
    assert!(detail.contains("headline") && detail.contains("sections") && !detail.contains("eyebrow"), "{detail}");
    let editor = staff.get(app.url("/admin/home")).send().await.unwrap().text().await.unwrap();
    assert!(
        editor.contains("Jakarta") && editor.contains(r#"name="form[order_offers]" type="text" value="""#),
        "{editor}"
    );
}

#[tokio::test]
async fn staff_preview_the_home_page_before_saving_it_and_nobody_else_sees_the_draft() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let visitor = reqwest::Client::new();
    let editor = staff.get(app.url("/admin/home")).send().await.unwrap().text().await.unwrap();
    assert!(editor.contains(r#"formaction="/api/admin/preview_home""#), "the editor offers a preview: {editor}");

    // A broken link is refused before anything is previewed.
    let fields = home_form(&[("form[primary_href]", "/products/no-such-kit")]);
    let as_pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.post_api(&staff, "/api/admin/preview_home", &as_pairs).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("There is no page at /products/no-such-kit"));

    let fields = home_form(&[("form[headline]", "A headline not saved yet"), ("form[order_offers]", "")]);
    let as_pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.post_form_with(&staff, "/api/admin/preview_home", &as_pairs).await;
    assert_eq!(res.headers()["location"], "/?preview=home");
    let preview = staff.get(app.url("/?preview=home")).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(preview.contains("<h1>A headline not saved yet</h1>"), "{preview}");
    assert!(preview.contains("Preview of your unsaved changes") && !preview.contains("What we offer"), "{preview}");

    // The saved page is unchanged for staff and visitors, and the preview address shows
    // visitors the saved page; nothing was audited.
    for (who, page) in [(&staff, "/"), (&visitor, "/"), (&visitor, "/?preview=home")] {
        let html = who.get(app.url(page)).send().await.unwrap().text().await.unwrap().replace("<!>", "");
        assert!(html.contains("<h1>Software made with care, delivered the moment you need it.</h1>"), "{page}: {html}");
        assert!(!html.contains("A headline not saved yet") && !html.contains("Preview of your unsaved"), "{page}");
    }
    assert_eq!(query_one::<i64>(&app, "SELECT count(*) FROM audit_log WHERE action = 'home.saved'"), 0);

    // Another staff member sees the saved page at the preview address: drafts are their author's.
    let other = app.signed_in_staff_as("Second", "second@studio.example").await;
    let html = other.get(app.url("/?preview=home")).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("A headline not saved yet"), "{html}");

    // Members cannot keep a preview.
    app.verified_member("Mia", "mia@example.com", "Member-pass-123").await;
    let member = TestApp::new_client();
    app.login_with(&member, "mia@example.com", "Member-pass-123").await;
    let res = app.post_api(&member, "/api/admin/preview_home", &as_pairs).await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn a_new_studio_starts_with_legal_pages_that_state_what_it_does() {
    let env = [
        ("STUDIO_NAME", "Studio Contoh"),
        ("STUDIO_ADDRESS", "Jl. Kemang 2|Jakarta"),
        ("MIDTRANS_SERVER_KEY", "SB-key"),
        ("MIDTRANS_CLIENT_KEY", "SB-client"),
        ("BACKUP_KEEP_DAYS", "14"),
    ];
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &env).await;
    let privacy = app.get("/privacy-policy").await.text().await.unwrap().replace("<!>", "");
    for said in [
        "Studio Contoh (Jl. Kemang 2, Jakarta) runs this site",
        "Payments are handled by Midtrans.",
        "We set one cookie, <code>atelier_session</code>",
        "after 24 hours without activity",
        "Backups of the database are kept for 14 days.",
        r#"<a href="/dashboard/profile" rel="noopener noreferrer">profile</a>"#,
    ] {
        assert!(privacy.contains(said), "{said}: {privacy}");
    }
    assert!(!privacy.contains("Google") && !privacy.contains("PayPal"), "only what is configured: {privacy}");
    let terms = app.get("/terms").await;
    assert_eq!(terms.status(), 200);
    let terms = terms.text().await.unwrap();
    assert!(terms.contains("what you buy from Studio Contoh") && terms.contains(r#"href="/terms""#), "{terms}");
    let about = app.get("/about").await.text().await.unwrap();
    assert!(about.contains("About Studio Contoh") && !about.contains("Atelier"), "{about}");

    // A studio that only has the test gateway says it takes no real payments.
    let sandbox = spawn_app().await;
    let privacy = sandbox.get("/privacy-policy").await.text().await.unwrap();
    assert!(privacy.contains("This site takes no real payments yet"), "{privacy}");
}

#[tokio::test]
async fn staff_set_the_menus_and_every_page_follows_and_a_link_to_nowhere_is_refused() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let visitor = reqwest::Client::new();
    let before = visitor.get(app.url("/blog")).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(before.contains(r#"<li><a href="/saas">SaaS</a></li>"#), "{before}");

    let res = app
        .post_api(
            &staff,
            "/api/admin/save_navigation",
            &[("form[header]", "Shop | /products/nothing-here"), ("form[footer]", "")],
        )
        .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("There is no page at /products/nothing-here"));
    assert_eq!(query_one::<i64>(&app, "SELECT count(*) FROM settings WHERE key = 'navigation'"), 0);

    let header = "Shop | /products\n# SaaS | /saas\nJournal | /blog\nStudio | https://studio.example/about";
    let footer = "Terms | /terms\nFeed | /blog/feed.xml";
    let res = app
        .post_form_with(&staff, "/api/admin/save_navigation", &[("form[header]", header), ("form[footer]", footer)])
        .await;
    assert_eq!(res.headers()["location"], "/admin/navigation?saved=1");
    for path in ["/blog", "/products", "/contact"] {
        let page = visitor.get(app.url(path)).send().await.unwrap().text().await.unwrap().replace("<!>", "");
        let nav = page.split(r#"aria-label="Main""#).nth(1).unwrap().split("</nav>").next().unwrap();
        let shop = nav.find(">Shop<").expect("Shop");
        let journal = nav.find(">Journal<").expect("Journal");
        assert!(shop < journal && !nav.contains(">SaaS<") && !nav.contains(">Home<"), "{path}: {nav}");
        assert!(nav.contains(r#"<a href="https://studio.example/about" rel="external">Studio</a>"#), "{nav}");
        let footer = page.split(r#"aria-label="Footer""#).nth(1).unwrap().split("</nav>").next().unwrap();
        assert!(footer.contains(r#"<a href="/terms">Terms</a>"#) && !footer.contains("Disclaimer"), "{footer}");
    }
    let blog = visitor.get(app.url("/blog")).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(blog.contains(r#"<a href="/blog" aria-current="page">Journal</a>"#), "{blog}");
    let editor = staff.get(app.url("/admin/navigation")).send().await.unwrap().text().await.unwrap();
    assert!(editor.contains("# SaaS | /saas"), "the hidden link is kept: {editor}");
    let detail: String = query_one(&app, "SELECT detail FROM audit_log WHERE action = 'navigation.saved'");
    assert_eq!(detail, "header 4 links, footer 2 links");
}

#[tokio::test]
async fn the_demo_studio_says_it_is_a_demo_and_its_content_agrees_with_the_product() {
    let dir = tempfile::TempDir::new().unwrap();
    let config = crate::helpers::test_config(&dir, &[]);
    atelier::startup::cli::seed_demo(&config).expect("the demo content");
    atelier::startup::cli::seed_demo(&config).expect("a second run changes nothing");
    let app = spawn_app_in(dir, &[]).await;
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("<title>Example Studio</title>") && home.contains("© "), "{home}");
    assert!(home.contains("Example Studio (a demo of Atelier)"), "the footer says whose demo it is: {home}");
    let privacy = app.get("/privacy-policy").await.text().await.unwrap();
    assert!(privacy.contains("Example Studio (a demo of Atelier) runs this site"), "{privacy}");
    // The pricing post no longer says there are no coupons: waitlists get them at launch.
    let post = app.get("/blog/how-we-price-digital-products").await.text().await.unwrap();
    assert!(post.contains("Coupons go to the people on a product") && !post.contains("no coupons"), "{post}");
    let products = app.get("/products").await.text().await.unwrap();
    assert!(!products.contains("Atelier Icons") && products.contains("Line Icons"), "{products}");
    // Every product has a cover drawn for the demo, served as a real 1280×720 image;
    // the second run drew none again.
    for page in ["/products/launch-kit", "/saas/pipeline", "/services/web-performance-sprint"] {
        let html = app.get(page).await.text().await.unwrap();
        let start =
            html.find("src=\"/uploads/demo-cover-").unwrap_or_else(|| panic!("{page} shows its cover: {html}")) + 5;
        let src = &html[start..start + html[start..].find('"').unwrap()];
        let res = app.get(src).await;
        assert_eq!(res.status(), 200, "{src}");
        assert_eq!(res.headers()["content-type"], "image/jpeg", "{src}");
        let bytes = res.bytes().await.unwrap();
        let cover = image::load_from_memory(&bytes).expect("a readable JPEG");
        assert_eq!((cover.width(), cover.height()), (1280, 720), "{src}");
    }
    let covers: i64 =
        query_one(&app, "SELECT count(*) FROM products WHERE cover_image LIKE '/uploads/demo-cover-%.jpg'");
    let products: i64 = query_one(&app, "SELECT count(*) FROM products");
    assert_eq!(covers, products, "every demo product has its cover");
}

#[tokio::test]
async fn the_home_page_has_a_version_in_the_other_language_edited_beside_it() {
    let app = spawn_app().await;
    let log = crate::helpers::ErrorLog::capture();
    let staff = app.signed_in_staff().await;
    let visitor = reqwest::Client::new();
    let page = |path: &'static str| {
        let (visitor, url) = (visitor.clone(), app.url(path));
        async move { visitor.get(url).send().await.unwrap().text().await.unwrap().replace("<!>", "") }
    };
    let save = |extra: &'static [(&'static str, &'static str)]| {
        let fields = home_form(extra);
        let staff = staff.clone();
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.post_form_with(&staff, "/api/admin/save_home", &pairs).await
        }
    };
    let res = save(&[("form[headline]", "Websites for Jakarta's bakeries")]).await;
    assert_eq!(res.headers()["location"], "/admin/home?saved=1");
    // No version yet: the other language's editor starts from the page as written, and says so.
    let editor =
        staff.get(app.url("/admin/home?lang=id")).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(
        editor.contains("has no Bahasa Indonesia version yet") && editor.contains("Jakarta's bakeries"),
        "{editor}"
    );
    assert!(!editor.contains("Delete the translation"), "nothing to delete yet");
    assert!(page("/id").await.contains("<h1>Websites for Jakarta's bakeries</h1>"), "shown as written meanwhile");

    let res = save(&[("form[headline]", "Situs untuk toko roti Jakarta"), ("lang", "id")]).await;
    assert_eq!(res.headers()["location"], "/admin/home?lang=id&saved=1");
    assert!(page("/id").await.contains("<h1>Situs untuk toko roti Jakarta</h1>"));
    assert!(page("/").await.contains("Jakarta's bakeries"), "the page as written is unchanged");
    let editor = staff.get(app.url("/admin/home?lang=id")).send().await.unwrap().text().await.unwrap();
    assert!(editor.contains("Situs untuk toko roti Jakarta") && editor.contains("Delete the translation"), "{editor}");
    assert_eq!(query_one::<i64>(&app, "SELECT count(*) FROM audit_log WHERE action = 'home.version_saved'"), 1);
    // A language the site does not have is refused; nothing changes.
    let fields = home_form(&[("form[headline]", "Autre"), ("lang", "fr")]);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.post_api(&staff, "/api/admin/save_home", &pairs).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Choose Bahasa Indonesia or English."));

    // Deleted, the Indonesian pages show the page as written again.
    let res = app.post_form_with(&staff, "/api/admin/delete_home_version", &[("lang", "id")]).await;
    assert_eq!(res.headers()["location"], "/admin/home?deleted=1");
    assert!(!page("/id").await.contains("Situs untuk toko roti"));
    assert_eq!(query_one::<i64>(&app, "SELECT count(*) FROM settings WHERE key = 'home.id'"), 0);
    let res = app.post_api(&staff, "/api/admin/delete_home_version", &[("lang", "id")]).await;
    assert_eq!(res.status(), 404, "nothing left to delete");
    assert!(log.errors().is_empty(), "{:?}", log.errors());
}

#[tokio::test]
async fn the_menus_have_a_version_in_the_other_language_with_their_own_labels() {
    let app = spawn_app().await;
    let log = crate::helpers::ErrorLog::capture();
    let staff = app.signed_in_staff().await;
    let visitor = reqwest::Client::new();
    let nav = |path: &'static str| {
        let (visitor, url) = (visitor.clone(), app.url(path));
        async move {
            let page = visitor.get(url).send().await.unwrap().text().await.unwrap().replace("<!>", "");
            let main = page.split("id=\"menu-list\"").nth(1).unwrap().split("</nav>").next().unwrap().to_owned();
            let footer = page.split("footer-links").nth(1).unwrap().split("</ul>").next().unwrap().to_owned();
            (main, footer)
        }
    };
    let res = app
        .post_form_with(
            &staff,
            "/api/admin/save_navigation",
            &[("form[header]", "Shop | /products\nJournal | /blog"), ("form[footer]", "Terms | /terms")],
        )
        .await;
    assert_eq!(res.headers()["location"], "/admin/navigation?saved=1");
    // No version yet: the Indonesian pages show the menus as written.
    assert!(nav("/id/blog").await.0.contains(">Shop<"));
    let editor = staff.get(app.url("/admin/navigation?lang=id")).send().await.unwrap().text().await.unwrap();
    assert!(editor.contains("have no Bahasa Indonesia version yet") && editor.contains("Shop | /products"), "{editor}");

    let version = [
        ("form[header]", "Toko | /products\nJurnal | /blog\nKontak | /contact"),
        ("form[footer]", "Ketentuan | /terms"),
        ("lang", "id"),
    ];
    let res = app.post_form_with(&staff, "/api/admin/save_navigation", &version).await;
    assert_eq!(res.headers()["location"], "/admin/navigation?lang=id&saved=1");
    let (main, footer) = nav("/id/blog").await;
    assert!(
        main.contains(r#"<a href="/id/products">Toko</a>"#) && main.contains(">Kontak<") && !main.contains(">Shop<"),
        "{main}"
    );
    assert!(footer.contains(r#"<a href="/id/terms">Ketentuan</a>"#), "{footer}");
    let (main, footer) = nav("/blog").await;
    assert!(main.contains(">Shop<") && !main.contains(">Toko<") && footer.contains(">Terms<"), "{main}{footer}");
    assert_eq!(query_one::<i64>(&app, "SELECT count(*) FROM audit_log WHERE action = 'navigation.version_saved'"), 1);
    // A link to nowhere is refused in a version too; nothing changes.
    let nowhere = [("form[header]", "Toko | /products/tidak-ada"), ("form[footer]", ""), ("lang", "id")];
    let res = app.post_api(&staff, "/api/admin/save_navigation", &nowhere).await;
    assert_eq!(res.status(), 400);
    assert!(nav("/id/blog").await.0.contains(">Toko<"));

    let res = app.post_form_with(&staff, "/api/admin/delete_navigation_version", &[("lang", "id")]).await;
    assert_eq!(res.headers()["location"], "/admin/navigation?deleted=1");
    assert!(nav("/id/blog").await.0.contains(">Shop<"), "the menus as written again");
    assert!(log.errors().is_empty(), "{:?}", log.errors());
}
