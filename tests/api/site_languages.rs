//! Bahasa Indonesia and English (#43), the public site: one address per language
//! (the studio's at today's addresses, the other under `/en` or `/id`), `<html lang>`,
//! `hreflang` pairs, the footer's switcher, the sitemap, the offer to a browser that
//! prefers the other language, and accounts, waitlist entries and mail in the language
//! of the page they were made on.

use crate::helpers::{spawn_app_in, TestApp};
use reqwest::header;
use std::collections::BTreeMap;

/// A studio that speaks Indonesian, as a new one does.
async fn indonesian_studio() -> TestApp {
    spawn_app_in(tempfile::TempDir::new().unwrap(), &[("STUDIO_LANGUAGE", "id")]).await
}

/// The interface's words of the public site and the dashboard in `lang` (`src/locales/{lang}/*.ftl`):
/// message id → text.
fn catalog(lang: &str) -> BTreeMap<String, String> {
    let mut messages = BTreeMap::new();
    for file in ["site", "auth", "dashboard", "client", "labels", "errors", "admin"] {
        let path = format!("{}/src/locales/{lang}/{file}.ftl", env!("CARGO_MANIFEST_DIR"));
        for line in std::fs::read_to_string(path).unwrap().lines() {
            if let Some((id, text)) = line.split_once(" = ").filter(|_| !line.starts_with('#')) {
                messages.insert(id.trim().to_owned(), text.trim().to_owned());
            }
        }
    }
    messages
}

/// The other language's words a page must not show: its messages of two words or
/// more that read differently in the page's language, the parts between the values
/// put in (`{ $name }`).
pub(crate) fn foreign_words(page_lang: &str) -> Vec<String> {
    let (own, other) = match page_lang {
        "id" => (catalog("id"), catalog("en")),
        _ => (catalog("en"), catalog("id")),
    };
    let mut words = Vec::new();
    for (id, text) in &other {
        // The switcher names each language in itself, on every page.
        if own.get(id) == Some(text) || text == "Bahasa Indonesia" {
            continue;
        }
        for part in text.split(['{', '}']).enumerate().filter(|(i, _)| i % 2 == 0).map(|(_, p)| p.trim()) {
            let part = part.trim_matches(|c: char| c.is_ascii_punctuation() || c == '…' || c == '←').trim();
            if part.split_whitespace().count() >= 2 && !own.values().any(|t| t.contains(part)) {
                words.push(part.to_owned());
            }
        }
    }
    assert!(words.len() > 100, "the catalogs hold the site's words: {}", words.len());
    words
}

/// The page without its scripts (their code is not words a person reads).
pub(crate) fn without_scripts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        out.push_str(&rest[..at]);
        rest = rest[at..].find("</script>").map_or("", |end| &rest[at + end + "</script>".len()..]);
    }
    out.push_str(rest);
    out
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let res = app.get(path).await;
    let status = res.status().as_u16();
    (status, res.text().await.unwrap().replace("<!>", ""))
}

pub(crate) fn title(html: &str) -> &str {
    let start = html.find("<title>").expect("a title") + "<title>".len();
    &html[start..start + html[start..].find("</title>").unwrap()]
}

#[tokio::test]
async fn every_public_page_comes_in_both_languages_with_the_right_lang_title_and_words() {
    let app = indonesian_studio().await;
    let staff = app.signed_in_staff().await;
    app.product_on_sale("launch-kit", "Launch Kit", "digital", "web_access", "150000").await;
    crate::content::waitlist_product(&app, &staff).await;
    let log = crate::helpers::ErrorLog::capture();
    // (path, its title in Indonesian, in English)
    let pages = [
        ("/", "Atelier", "Atelier"),
        ("/products", "Produk · Atelier", "Products · Atelier"),
        ("/saas", "Paket SaaS · Atelier", "SaaS bundles · Atelier"),
        ("/services", "Layanan · Atelier", "Services · Atelier"),
        ("/blog", "Blog · Atelier", "Blog · Atelier"),
        ("/portfolio", "Portofolio · Atelier", "Portfolio · Atelier"),
        ("/tools", "Alat · Atelier", "Tools · Atelier"),
        ("/demos", "Demo · Atelier", "Demos · Atelier"),
        ("/resources", "Sumber daya · Atelier", "Resources · Atelier"),
        ("/waitlist", "Daftar tunggu · Atelier", "Waitlist · Atelier"),
        (
            "/waitlist/insight-analytics",
            "Daftar tunggu Insight Analytics · Atelier",
            "Insight Analytics waitlist · Atelier",
        ),
        ("/contact", "Kontak · Atelier", "Contact · Atelier"),
        ("/products/launch-kit", "Launch Kit · Atelier", "Launch Kit · Atelier"),
        ("/login", "Masuk · Atelier", "Sign in · Atelier"),
        ("/register", "Buat akun · Atelier", "Create an account · Atelier"),
        ("/forgot-password", "Lupa kata sandi? · Atelier", "Forgot your password? · Atelier"),
        ("/verify-email", "Konfirmasi email Anda · Atelier", "Confirm your email · Atelier"),
        ("/reset-password", "Buat kata sandi baru · Atelier", "Choose a new password · Atelier"),
        ("/developers", "Pengembang · Atelier", "Developers · Atelier"),
        ("/nope", "Halaman tidak ditemukan · Atelier", "Page not found · Atelier"),
    ];
    let (not_english, not_indonesian) = (foreign_words("id"), foreign_words("en"));
    for (path, id_title, en_title) in pages {
        let en_path = if path == "/" { "/en".to_owned() } else { format!("/en{path}") };
        for (address, lang, expected_title, foreign) in
            [(path.to_owned(), "id", id_title, &not_english), (en_path, "en", en_title, &not_indonesian)]
        {
            let (status, html) = page(&app, &address).await;
            assert_eq!(status, if path == "/nope" { 404 } else { 200 }, "{address}");
            assert!(html.contains(&format!(r#"<html lang="{lang}">"#)), "{address}: {}", &html[..200]);
            assert_eq!(title(&html), expected_title, "{address}");
            // The developers page's reference is English content (marked `lang="en"`, with a note).
            if path == "/developers" && lang == "id" {
                let at = html.find("<section").unwrap();
                let tag = &html[at..at + html[at..].find('>').unwrap()];
                assert!(tag.contains(r#"lang="en""#) && tag.contains("developers"), "{tag}");
                continue;
            }
            let text = without_scripts(&html);
            for words in foreign {
                assert!(!text.contains(words.as_str()), "{address} shows {words:?} of the other language");
            }
        }
    }
    assert!(log.errors().is_empty(), "{:?}", log.errors());
}

#[tokio::test]
async fn each_version_names_the_other_and_the_switcher_keeps_the_visitor_on_the_page() {
    let app = indonesian_studio().await;
    let site = &app.address;
    let (_, id) = page(&app, "/products").await;
    let (_, en) = page(&app, "/en/products").await;
    for html in [&id, &en] {
        assert!(html.contains(&format!(r#"<link href="{site}/products" hreflang="id" rel="alternate">"#)), "{html}");
        assert!(html.contains(&format!(r#"<link href="{site}/en/products" hreflang="en" rel="alternate">"#)), "{html}");
        assert!(html.contains(&format!(r#"<link href="{site}/products" hreflang="x-default" rel="alternate">"#)));
    }
    assert!(id.contains(&format!(r#"<link href="{site}/products" rel="canonical">"#)));
    assert!(en.contains(&format!(r#"<link href="{site}/en/products" rel="canonical">"#)));
    // The footer links the same page in the other language, named in itself.
    assert!(id.contains(r#"<a href="/en/products" hreflang="en" lang="en">English</a>"#), "{id}");
    assert!(en.contains(r#"<a href="/products" hreflang="id" lang="id">Bahasa Indonesia</a>"#), "{en}");
    // A page's links stay in its language: the menu, the cards, signing in.
    assert!(en.contains(r#"href="/en/blog""#) && en.contains(r#"href="/en/login""#), "{en}");
    assert!(!en.contains(r#"href="/blog""#), "{en}");
    assert!(id.contains(r#"href="/blog""#) && id.contains(">Produk<"), "{id}");
    // The page of a list keeps its query.
    let (_, blog) = page(&app, "/en/blog?tag=rust").await;
    assert!(blog.contains(r#"<a href="/blog?tag=rust" hreflang="id""#), "{blog}");

    // One address per version: the studio's language spelled out, or the home page with a slash, is sent to it.
    for (spelled, one) in
        [("/id/products", "/products"), ("/id", "/"), ("/id/blog?page=2", "/blog?page=2"), ("/en/", "/en")]
    {
        let res = crate::helpers::TestApp::new_client().get(app.url(spelled)).send().await.unwrap();
        assert_eq!(res.status(), 308, "{spelled}");
        assert_eq!(res.headers()[header::LOCATION], one, "{spelled}");
    }
    // A private area is at one address, in its person's language: no /en version.
    assert_eq!(app.get("/en/dashboard").await.status(), 404);
    assert_eq!(app.get("/en/admin").await.status(), 404);
    assert_eq!(app.get("/english").await.status(), 404);
}

#[tokio::test]
async fn a_page_written_in_one_language_says_so_on_the_other_and_claims_no_translation() {
    let app = indonesian_studio().await;
    app.product_on_sale("launch-kit", "Launch Kit", "digital", "web_access", "150000").await;
    let site = &app.address;
    let (_, id) = page(&app, "/products/launch-kit").await;
    assert!(!id.contains("content-language"), "the studio's own language needs no note");
    assert!(!id.contains(r#"rel="alternate""#), "nor does it claim a translation it does not have: {id}");
    let (status, en) = page(&app, "/en/products/launch-kit").await;
    assert_eq!(status, 200);
    assert!(en.contains("This page has not been translated yet: it is shown in Indonesian."), "{en}");
    assert!(en.contains(r#"<h1 lang="id">Launch Kit</h1>"#), "{en}");
    assert!(!en.contains(r#"rel="alternate""#), "no translation pair is claimed: {en}");
    assert!(en.contains(&format!(r#"<link href="{site}/products/launch-kit" rel="canonical">"#)), "{en}");
    // Its interface is English all the same.
    assert!(en.contains("Sign in to buy") && en.contains("Access in the dashboard"), "{en}");
    assert!(id.contains("Masuk untuk membeli") && id.contains("Akses di dasbor"), "{id}");
}

#[tokio::test]
async fn the_sitemap_lists_both_addresses_of_each_page_that_has_two() {
    let app = indonesian_studio().await;
    app.product_on_sale("launch-kit", "Launch Kit", "digital", "web_access", "150000").await;
    let site = &app.address;
    let xml = app.get("/sitemap.xml").await.text().await.unwrap();
    for loc in ["/", "/en", "/products", "/en/products", "/contact", "/en/contact", "/products/launch-kit"] {
        assert!(xml.contains(&format!("<loc>{site}{loc}</loc>")), "{loc}: {xml}");
    }
    assert!(xml.contains(&format!(
        r#"<xhtml:link rel="alternate" hreflang="en" href="{site}/en/contact"/><xhtml:link rel="alternate" hreflang="x-default" href="{site}/contact"/>"#
    )) || xml.contains(&format!(r#"hreflang="en" href="{site}/en/contact"/>"#)), "{xml}");
    assert!(!xml.contains("/en/products/launch-kit"), "a product written in one language has one address");
}

#[tokio::test]
async fn a_browser_preferring_the_other_language_is_offered_it_on_arrival_only() {
    let app = indonesian_studio().await;
    let visit = |accept: &'static str, referer: Option<String>| {
        let mut req = TestApp::new_client().get(app.url("/")).header(header::ACCEPT_LANGUAGE, accept);
        if let Some(referer) = referer {
            req = req.header(header::REFERER, referer);
        }
        async move { req.send().await.unwrap().text().await.unwrap().replace("<!>", "") }
    };
    // Twice each, in turns: the copies kept for each are not mixed up.
    for _ in 0..2 {
        let arriving = visit("en-GB,en;q=0.9", None).await;
        assert!(arriving.contains(r#"<p lang="en" class="language-offer">This site is also in English. <a href="/en" hreflang="en">Read it in English</a></p>"#), "{arriving}");
        assert!(arriving.contains(r#"<html lang="id">"#), "no redirect: the page stays itself");
        let browsing = visit("en-GB,en;q=0.9", Some(app.url("/en/products"))).await;
        assert!(!browsing.contains("language-offer"), "someone who switched back is not asked again");
        let indonesian = visit("id-ID,id;q=0.9,en;q=0.8", None).await;
        assert!(!indonesian.contains("language-offer"));
    }
    let (_, en) = page(&app, "/en").await;
    assert!(!en.contains("language-offer"));
    // Caches are told the home page depends on the browser's languages.
    let res = TestApp::new_client().get(app.url("/")).send().await.unwrap();
    let vary: Vec<&str> = res.headers().get_all(header::VARY).iter().map(|v| v.to_str().unwrap()).collect();
    assert!(vary.contains(&"accept-language") && vary.contains(&"accept-encoding"), "{vary:?}");
}

#[tokio::test]
async fn an_account_made_on_the_english_site_reads_english_and_one_made_on_the_studios_reads_its_language() {
    let app = indonesian_studio().await;
    let register = |referer: &'static str, email: &'static str| {
        let client = TestApp::new_client();
        let (url, referer) = (app.url("/api/auth/register"), app.url(referer));
        let origin = app.address.clone();
        async move {
            client
                .post(url)
                .header("Accept", "text/html")
                .header("Origin", origin)
                .header("Referer", referer)
                .form(&[
                    ("name", "Ana"),
                    ("email", email),
                    ("password", "a long enough passphrase"),
                    ("password_confirm", "a long enough passphrase"),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let res = register("/en/register", "ana@example.com").await;
    assert_eq!(res.headers()[header::LOCATION], "/en/verify-email?sent=1");
    let res = register("/register", "budi@example.com").await;
    assert_eq!(res.headers()[header::LOCATION], "/verify-email?sent=1");
    app.drain_jobs().await;
    let to_ana = app.mail.to("ana@example.com").pop().unwrap();
    let to_budi = app.mail.to("budi@example.com").pop().unwrap();
    assert_eq!(to_ana.subject(), "Welcome to Atelier: please confirm your email");
    assert_eq!(to_budi.subject(), "Selamat datang di Atelier: mohon konfirmasi email Anda");
    // The link opens the confirmation page in the reader's version of the site.
    assert!(to_ana.link(&app.url("/en/verify-email?token=")).is_some(), "{}", to_ana.decoded());
    assert!(to_budi.link(&app.url("/verify-email?token=")).is_some(), "{}", to_budi.decoded());
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    let lang = |email: &str| -> String {
        conn.query_row("SELECT lang FROM users WHERE email = ?1", [email], |r| r.get(0)).unwrap()
    };
    assert_eq!((lang("ana@example.com"), lang("budi@example.com")), ("en".to_owned(), "id".to_owned()));

    // A visitor joining a waitlist on the English page: the entry and its mail in English.
    let staff = app.signed_in_staff().await;
    crate::content::waitlist_product(&app, &staff).await;
    let res = TestApp::new_client()
        .post(app.url("/api/site/join_waitlist"))
        .header("Accept", "text/html")
        .header("Origin", app.address.clone())
        .header("Referer", app.url("/en/waitlist/insight-analytics"))
        .form(&[("product", "insight-analytics"), ("email", "visitor@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[header::LOCATION], "/en/waitlist/insight-analytics?joined=1");
    app.drain_jobs().await;
    let joined = app.mail.to("visitor@example.com").pop().unwrap();
    assert_eq!(joined.subject(), "You're on the waitlist for Insight Analytics");
    let kept: String = conn
        .query_row("SELECT lang FROM waitlist_entries WHERE email = 'visitor@example.com'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, "en", "the launch mail will be in English too");
}

#[tokio::test]
async fn staff_choose_the_sites_language_and_the_addresses_follow() {
    let app = crate::helpers::spawn_app().await;
    let (_, before) = page(&app, "/products").await;
    assert!(before.contains(r#"<html lang="en">"#));
    let staff = app.signed_in_staff().await;
    let form = [("form[name]", "Atelier"), ("form[gateway_sandbox]", "on"), ("form[language]", "id")];
    let res = app.post_form_with(&staff, "/api/admin/save_settings", &form).await;
    assert_eq!(res.headers()[header::LOCATION], "/admin/settings?saved=1");
    let settings = staff.get(app.url("/admin/settings")).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(settings.contains(r#"<option value="id" selected lang="id">Bahasa Indonesia</option>"#), "{settings}");
    let (_, id) = page(&app, "/products").await;
    assert!(id.contains(r#"<html lang="id">"#) && id.contains("<h1>Produk</h1>"), "{id}");
    let (_, en) = page(&app, "/en/products").await;
    assert!(en.contains(r#"<html lang="en">"#) && en.contains("<h1>Products</h1>"));
    assert_eq!(TestApp::new_client().get(app.url("/id/products")).send().await.unwrap().status(), 308);
    // A language the site does not speak is refused, and nothing changes.
    let res = app
        .post_api(
            &staff,
            "/api/admin/save_settings",
            &[("form[name]", "Atelier"), ("form[gateway_sandbox]", "on"), ("form[language]", "fr")],
        )
        .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Bahasa Indonesia or English"));
    assert!(page(&app, "/products").await.1.contains(r#"<html lang="id">"#));
}

/// A form sent from `page` (its `Referer`) without JavaScript, by a browser of its own.
async fn send_from(app: &TestApp, client: &reqwest::Client, page: &str, action: &str, form: &[(&str, &str)]) -> String {
    let res = client
        .post(app.url(action))
        .header("Accept", "text/html")
        .header("Origin", app.address.clone())
        .header("Referer", app.url(page))
        .form(form)
        .send()
        .await
        .unwrap();
    res.headers()[header::LOCATION].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_tool_answers_in_the_language_of_the_page_it_was_run_from() {
    let app =
        spawn_app_in(tempfile::TempDir::new().unwrap(), &[("STUDIO_LANGUAGE", "id"), ("TOOLS_FREE_DAILY", "2")]).await;
    crate::tools::publish_tool(&app, "Contrast Checker", "contrast-checker").await;
    let log = crate::helpers::ErrorLog::capture();
    let (_, page_id) = page(&app, "/tools/contrast-checker").await;
    assert!(page_id.contains(">Periksa kontras</button>"), "{page_id}");
    // The script that shows a run in place gets the page's words.
    assert!(page_id.contains("&quot;ratio&quot;:&quot;Rasio kontras&quot;"), "{page_id}");
    let (_, page_en) = page(&app, "/en/tools/contrast-checker").await;
    assert!(
        page_en.contains(">Check contrast</button>")
            && page_en.contains("&quot;ratio&quot;:&quot;Contrast ratio&quot;")
    );

    let browser = TestApp::new_client();
    let run = [("foreground", "#777777"), ("background", "#ffffff")];
    let back = send_from(&app, &browser, "/en/tools/contrast-checker", "/api/tools/contrast-checker/use", &run).await;
    assert_eq!(back, "/en/tools/contrast-checker?ran=1#result");
    let shown = browser.get(app.url(&back)).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(shown.contains("Contrast ratio") && shown.contains("1 run left today."), "{shown}");

    let wrong = [("foreground", "#12"), ("background", "#ffffff")];
    let back = send_from(&app, &browser, "/tools/contrast-checker", "/api/tools/contrast-checker/use", &wrong).await;
    assert_eq!(back, "/tools/contrast-checker?ran=1#result");
    let shown = browser.get(app.url(&back)).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(shown.contains("Masukkan warna teks sebagai kode heksadesimal seperti #1A2B3C."), "{shown}");

    // The last run, then the day's runs are spent: said in Indonesian to the Indonesian page's script.
    send_from(&app, &browser, "/tools/contrast-checker", "/api/tools/contrast-checker/use", &run).await;
    let res = browser
        .post(app.url("/api/tools/contrast-checker/use"))
        .header("Origin", app.address.clone())
        .header("Referer", app.url("/tools/contrast-checker"))
        .json(&serde_json::json!({ "foreground": "#000000", "background": "#ffffff" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    let body: serde_json::Value = res.json().await.unwrap();
    let message = body["message"].as_str().unwrap();
    assert!(message.starts_with("Anda sudah memakai 2 kali penggunaan gratis alat ini hari ini."), "{message}");
    assert!(log.errors().is_empty(), "{:?}", log.errors());
}

#[tokio::test]
async fn a_refused_form_says_why_in_the_language_of_its_page() {
    let app = indonesian_studio().await;
    let pw = "a long enough passphrase";
    let form = [
        ("name", "Ana"),
        ("email", "ana@example.com"),
        ("password", pw),
        ("password_confirm", "something else entirely"),
    ];
    for (from, reason) in
        [("/register", "Kedua kata sandi tidak sama."), ("/en/register", "The two passwords do not match.")]
    {
        let browser = TestApp::new_client();
        let back = send_from(&app, &browser, from, "/api/auth/register", &form).await;
        assert!(back.starts_with(&format!("{}?", app.url(from))) && back.contains("__err="), "{back}");
        let shown = browser.get(&back).send().await.unwrap().text().await.unwrap().replace("<!>", "");
        assert!(shown.contains(&format!(r#"<p role="alert" class="notice error">{reason}</p>"#)), "{from}: {shown}");
    }
    // The contact form's reasons too.
    let browser = TestApp::new_client();
    let contact = [("name", "Ana"), ("email", "ana@"), ("message", "Hello there, a project for you.")];
    let back = send_from(&app, &browser, "/contact", "/api/site/contact", &contact).await;
    let shown = browser.get(&back).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(shown.contains("Masukkan alamat email seperti nama@contoh.com."), "{shown}");
}

#[tokio::test]
async fn a_member_who_reads_indonesian_has_the_dashboard_in_indonesian() {
    // The site itself speaks English; the member chose Indonesian.
    let app = crate::helpers::spawn_app().await;
    app.product_on_sale("launch-kit", "Launch Kit", "digital", "web_access", "150000").await;
    let (ana, order) = app.member_buys("ana@example.com", "launch-kit").await;
    let log = crate::helpers::ErrorLog::capture();
    let visit = |path: String| {
        let ana = ana.clone();
        let url = app.url(&path);
        async move { ana.get(url).send().await.unwrap().text().await.unwrap().replace("<!>", "") }
    };
    let english = visit("/dashboard".into()).await;
    assert!(english.contains(r#"<html lang="en">"#) && english.contains("Your dashboard"));
    app.post_form_with(&ana, "/api/dashboard/mail_preferences", &[("language", "id")]).await;

    let not_english = foreign_words("id");
    let pages = [
        ("/dashboard".to_owned(), "Dasbor · Atelier"),
        ("/dashboard/orders".to_owned(), "Pesanan Anda · Atelier"),
        (format!("/dashboard/orders/{order}"), ""),
        ("/dashboard/downloads".to_owned(), "Unduhan & kunci · Atelier"),
        ("/dashboard/licenses".to_owned(), "Lisensi · Atelier"),
        ("/dashboard/services".to_owned(), "Layanan · Atelier"),
        ("/dashboard/subscriptions".to_owned(), "Langganan Anda · Atelier"),
        ("/dashboard/tools".to_owned(), "Alat Anda · Atelier"),
        ("/dashboard/profile".to_owned(), "Profil · Atelier"),
        ("/dashboard/tokens".to_owned(), "Token API · Atelier"),
    ];
    for (path, expected_title) in pages {
        let html = visit(path.clone()).await;
        assert!(html.contains(r#"<html lang="id">"#), "{path}: {}", &html[..200]);
        if !expected_title.is_empty() {
            assert_eq!(title(&html), expected_title, "{path}");
        }
        let text = without_scripts(&html);
        for words in &not_english {
            assert!(!text.contains(words.as_str()), "{path} shows {words:?} in English: {html}");
        }
    }
    let order_page = visit(format!("/dashboard/orders/{order}")).await;
    assert_eq!(title(&order_page), format!("Pesanan {order} · Atelier"));
    assert!(
        order_page.contains("Pembayaran terkonfirmasi") && order_page.contains("Aktif di dasbor Anda"),
        "{order_page}"
    );
    // The menu and the header too, and a refused form says why in Indonesian.
    let profile = visit("/dashboard/profile".into()).await;
    assert!(profile.contains(">Ringkasan</a>") && profile.contains(">Keluar</button>"), "{profile}");
    let wrong = [
        ("current_password", "not it at all"),
        ("new_password", "another long passphrase"),
        ("new_password_confirm", "another long passphrase"),
    ];
    let back = send_from(&app, &ana, "/dashboard/profile", "/api/dashboard/change_password", &wrong).await;
    let refused = ana.get(&back).send().await.unwrap().text().await.unwrap();
    assert!(refused.contains("Kata sandi Anda saat ini salah. Tidak ada yang diubah."), "{refused}");
    assert!(log.errors().is_empty(), "{:?}", log.errors());
}

#[tokio::test]
async fn a_client_who_reads_indonesian_has_the_portal_in_indonesian() {
    let app = crate::helpers::spawn_app().await;
    let staff = app.signed_in_staff().await;
    let maju = crate::projects::create_client(&app, &staff, "PT Maju").await;
    let rina = crate::projects::client_person(&app, &staff, maju, "rina@maju.example").await;
    let project = crate::billing::project_with_milestones(&app, &staff, maju).await;
    let (invoice, number) = crate::billing::invoice_sent(&app, &staff, &rina, project, "").await;
    let log = crate::helpers::ErrorLog::capture();
    let visit = |path: String| {
        let rina = rina.clone();
        let url = app.url(&path);
        async move { rina.get(url).send().await.unwrap().text().await.unwrap().replace("<!>", "") }
    };
    assert!(visit("/client".into()).await.contains(r#"<html lang="en">"#));
    // Rina chooses Indonesian on her profile (every account has one).
    app.post_form_with(&rina, "/api/dashboard/mail_preferences", &[("language", "id")]).await;
    let not_english = foreign_words("id");
    let pages = [
        ("/client".to_owned(), "Portal klien · Atelier".to_owned()),
        (format!("/client/projects/{project}"), "Website redesign · Atelier".to_owned()),
        ("/client/invoices".to_owned(), "Faktur · Atelier".to_owned()),
        (format!("/client/invoices/{invoice}"), format!("Faktur {number} · Atelier")),
    ];
    for (path, expected_title) in pages {
        let html = visit(path.clone()).await;
        assert!(html.contains(r#"<html lang="id">"#), "{path}: {}", &html[..200]);
        assert_eq!(title(&html), expected_title, "{path}");
        let text = without_scripts(&html);
        for words in &not_english {
            assert!(!text.contains(words.as_str()), "{path} shows {words:?} in English: {html}");
        }
    }
    let project_page = visit(format!("/client/projects/{project}")).await;
    assert!(project_page.contains("Tahapan") && project_page.contains("Jadwal pembayaran"), "{project_page}");
    // The activity too: each line in her language, its dates as Indonesian writes them.
    let due: i64 = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT due_on FROM invoices WHERE due_on IS NOT NULL", [], |r| r.get(0))
        .unwrap();
    let lines = [
        r#"Penawaran "Retainer" dikirim — Owner"#.to_owned(),
        r#"Penawaran "Retainer" (Rp 10.000.000) diterima"#.to_owned(),
        format!("Faktur {number} dikirim: Rp 10.000.000, jatuh tempo {}", atelier::domain::Lang::Id.date(due)),
    ];
    for line in &lines {
        assert!(project_page.contains(line.as_str()), "{line}: {project_page}");
    }
    assert!(!project_page.contains(r#"Quote "Retainer""#) && !project_page.contains(" sent:"), "{project_page}");
    // Staff read the same activity in English.
    let staff_page =
        staff.get(app.url(&format!("/admin/projects/{project}"))).send().await.unwrap().text().await.unwrap();
    assert!(staff_page.replace("<!>", "").contains(r#"Quote "Retainer" sent — Owner"#), "{staff_page}");
    assert!(log.errors().is_empty(), "{:?}", log.errors());
}

#[tokio::test]
async fn the_studios_team_is_mailed_in_its_language_or_in_the_language_its_staff_chose() {
    let log = crate::helpers::ErrorLog::capture();
    // An Indonesian studio whose notices go to an address without an account: Indonesian.
    let app = spawn_app_in(
        tempfile::TempDir::new().unwrap(),
        &[("STUDIO_LANGUAGE", "id"), ("ADMIN_NOTIFY_EMAIL", "studio@studio.example")],
    )
    .await;
    let contact = [("name", "Ana"), ("email", "ana@example.com"), ("message", "Halo, ada proyek untuk Anda.")];
    send_from(&app, &TestApp::new_client(), "/contact", "/api/site/contact", &contact).await;
    app.drain_jobs().await;
    let to_team = app.mail.to("studio@studio.example");
    let message = to_team.iter().find(|m| m.subject() == "Pesan baru dari Ana: (tanpa subjek)").expect("in Indonesian");
    let text = message.decoded();
    assert!(text.contains("Halo, ada proyek untuk Anda.") && text.contains("Buka kotak masuk"), "{text}");
    assert!(!text.contains("Open the inbox") && !text.contains("wrote"), "{text}");

    // On an English studio, a staff member at that address who reads Indonesian is
    // written to in Indonesian: the new-order notice.
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &[("ADMIN_NOTIFY_EMAIL", "studio@studio.example")]).await;
    let staff = app.signed_in_staff_as("Studio", "studio@studio.example").await;
    app.post_form_with(&staff, "/api/dashboard/mail_preferences", &[("language", "id")]).await;
    app.product_on_sale("seat", "Team seat", "saas", "web_access", "149000").await;
    let (_, order) = app.member_buys("sinta@example.com", "seat").await;
    app.drain_jobs().await;
    let to_team = app.mail.to("studio@studio.example");
    let notice =
        to_team.iter().find(|m| m.subject() == format!("Pesanan baru: Team seat ({order})")).expect("a notice");
    let text = notice.decoded();
    assert!(text.contains("membayar Rp 149.000 untuk Team seat") && text.contains("Buka pesanan"), "{text}");
    assert!(!text.contains(" paid ") && !text.contains("Open the order"), "{text}");
    assert!(log.errors().is_empty(), "{:?}", log.errors());
}

#[tokio::test]
async fn a_staff_form_refused_says_why_in_the_staff_members_language() {
    let app = crate::helpers::spawn_app().await;
    let log = crate::helpers::ErrorLog::capture();
    let staff = app.signed_in_staff().await;
    app.post_form_with(&staff, "/api/dashboard/mail_preferences", &[("language", "id")]).await;
    // A fixed reason, and one that names what was typed (recognised by the words around it).
    let taken = [("name", "Owner again"), ("email", "owner@studio.example"), ("role", "member")];
    let back = send_from(&app, &staff, "/admin/users", "/api/admin/create_user", &taken).await;
    let shown = staff.get(&back).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(shown.contains("owner@studio.example sudah punya akun (#"), "{shown}");
    assert!(!shown.contains("has an account already"), "{shown}");
    let unknown = [("name", "Ayu"), ("email", "ayu@example.com"), ("role", "owner")];
    let back = send_from(&app, &staff, "/admin/users", "/api/admin/create_user", &unknown).await;
    let shown = staff.get(&back).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(shown.contains("Pilih anggota, klien, atau staf."), "{shown}");
    assert!(log.errors().is_empty(), "{:?}", log.errors());
}
