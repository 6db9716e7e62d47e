//! Content in two languages (#43, item 4): an entry is written in the studio's
//! language and may have a version in the other, with its own address, words and
//! publication, edited beside it in the CMS. Lists and the feed show each entry in
//! the page's language where it has a version in it, else as written with a note;
//! only an entry with both versions claims a translation (`hreflang`, the sitemap).

use crate::helpers::{spawn_app_in, ErrorLog, TestApp};
use reqwest::header;

/// A studio that speaks Indonesian, as a new one does.
async fn indonesian_studio() -> TestApp {
    spawn_app_in(tempfile::TempDir::new().unwrap(), &[("STUDIO_LANGUAGE", "id")]).await
}

fn count(app: &TestApp, sql: &str) -> i64 {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let res = app.get(path).await;
    (res.status().as_u16(), res.text().await.unwrap().replace("<!>", ""))
}

/// Where `path` sends a browser (status, `Location`).
async fn moved(app: &TestApp, path: &str) -> (u16, String) {
    let res = TestApp::new_client().get(app.url(path)).send().await.unwrap();
    let location = res.headers().get(header::LOCATION).map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (res.status().as_u16(), location)
}

/// Saves an entry of `kind` as staff; returns its id (from where the editor is sent).
async fn save_entry(app: &TestApp, staff: &reqwest::Client, kind: &str, title: &str, body: &str) -> i64 {
    let form = [
        ("kind", kind),
        ("form[title]", title),
        ("form[summary]", "Ringkasan singkat."),
        ("form[body_md]", body),
        ("form[status]", "published"),
    ];
    let res = app.post_form_with(staff, "/api/admin/save_entry", &form).await;
    assert_eq!(res.status(), 302, "{}", res.text().await.unwrap());
    let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    location.rsplit('/').next().unwrap().split('?').next().unwrap().parse().unwrap()
}

/// Saves entry `id`'s version in the other language: the response.
async fn save_version(
    app: &TestApp,
    staff: &reqwest::Client,
    (kind, id): (&str, i64),
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let id = id.to_string();
    let mut form = vec![
        ("kind", kind),
        ("id", id.as_str()),
        ("form[summary]", "A short summary."),
        ("form[body_md]", "English **text**."),
        ("form[status]", "published"),
    ];
    for (key, value) in fields {
        form.retain(|(k, _)| k != key);
        form.push((key, value));
    }
    app.post_form_with(staff, "/api/admin/save_entry_version", &form).await
}

#[tokio::test]
async fn a_post_with_both_versions_is_listed_in_both_and_each_names_the_other() {
    let app = indonesian_studio().await;
    let staff = app.signed_in_staff().await;
    let log = ErrorLog::capture();
    let site = &app.address;
    // Read once before the versions exist: the pages kept must not outlive the change.
    assert!(page(&app, "/en/blog").await.1.contains("blog"));
    let both = save_entry(&app, &staff, "post", "Membangun dengan Rust", "Teks **Indonesia**.").await;
    save_entry(&app, &staff, "post", "Hanya Bahasa Indonesia", "Teks saja.").await;
    let res = save_version(&app, &staff, ("post", both), &[("form[title]", "Building with Rust")]).await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()[header::LOCATION], format!("/admin/posts/{both}?lang=en&saved=1"));

    // The blog in each language: each post in it where it has a version, else as written, marked.
    let (_, id_blog) = page(&app, "/blog").await;
    assert!(id_blog.contains(r#"<a href="/blog/membangun-dengan-rust">Membangun dengan Rust</a>"#), "{id_blog}");
    assert!(id_blog.contains(r#"<a href="/blog/hanya-bahasa-indonesia">Hanya Bahasa Indonesia</a>"#));
    assert!(!id_blog.contains("Building with Rust") && !id_blog.contains("content-language"));
    let (_, en_blog) = page(&app, "/en/blog").await;
    assert!(en_blog.contains(r#"<a href="/en/blog/building-with-rust">Building with Rust</a>"#), "{en_blog}");
    assert!(!en_blog.contains("Membangun dengan Rust"), "{en_blog}");
    let card = &en_blog[en_blog.find(r#"lang="id""#).expect("the untranslated card names its language")..];
    assert!(card.contains(r#"<a href="/en/blog/hanya-bahasa-indonesia">Hanya Bahasa Indonesia</a>"#), "{card}");
    assert!(card.contains("In Indonesian"), "{card}");
    // The home page's latest posts too.
    assert!(page(&app, "/en").await.1.contains("Building with Rust"));
    assert!(page(&app, "/").await.1.contains("Membangun dengan Rust"));

    // Each version names the other as its translation, and the footer switches between them.
    let (status, en) = page(&app, "/en/blog/building-with-rust").await;
    assert_eq!(status, 200);
    assert!(en.contains(r#"<html lang="en">"#) && en.contains("<title>Building with Rust · Atelier</title>"), "{en}");
    assert!(en.contains("English <strong>text</strong>.") && !en.contains("content-language"), "{en}");
    let (_, id) = page(&app, "/blog/membangun-dengan-rust").await;
    assert!(id.contains("<title>Membangun dengan Rust · Atelier</title>") && id.contains("<strong>Indonesia</strong>"));
    for html in [&en, &id] {
        for (lang, href) in [
            ("id", format!("{site}/blog/membangun-dengan-rust")),
            ("en", format!("{site}/en/blog/building-with-rust")),
            ("x-default", format!("{site}/blog/membangun-dengan-rust")),
        ] {
            assert!(
                html.contains(&format!(r#"<link href="{href}" hreflang="{lang}" rel="alternate">"#)),
                "{lang}: {html}"
            );
        }
    }
    assert!(en.contains(&format!(r#"<link href="{site}/en/blog/building-with-rust" rel="canonical">"#)));
    assert!(
        en.contains(r#"<a href="/blog/membangun-dengan-rust" hreflang="id" lang="id">Bahasa Indonesia</a>"#),
        "{en}"
    );
    assert!(id.contains(r#"<a href="/en/blog/building-with-rust" hreflang="en" lang="en">English</a>"#), "{id}");
    // One address per version: the other version's slug under the wrong prefix is sent to its own.
    assert_eq!(moved(&app, "/en/blog/membangun-dengan-rust").await, (301, "/en/blog/building-with-rust".into()));
    assert_eq!(moved(&app, "/blog/building-with-rust").await, (301, "/blog/membangun-dengan-rust".into()));

    // A post written in one language: shown as written on the other with a note, no pair claimed.
    let (status, only) = page(&app, "/en/blog/hanya-bahasa-indonesia").await;
    assert_eq!(status, 200);
    assert!(only.contains("This page has not been translated yet: it is shown in Indonesian."), "{only}");
    assert!(only.contains(r#"<h1 lang="id">Hanya Bahasa Indonesia</h1>"#), "{only}");
    assert!(!only.contains(r#"rel="alternate""#), "{only}");
    assert!(!page(&app, "/blog/hanya-bahasa-indonesia").await.1.contains(r#"rel="alternate""#));

    // A feed per language.
    let id_feed = app.get("/blog/feed.xml").await.text().await.unwrap();
    assert!(id_feed.contains("<language>id</language>") && id_feed.contains("<title>Membangun dengan Rust</title>"));
    assert!(id_feed.contains("<title>Blog Atelier</title>"), "{id_feed}");
    let en_feed = app.get("/en/blog/feed.xml").await.text().await.unwrap();
    assert!(
        en_feed.contains("<language>en</language>") && en_feed.contains("<title>Atelier blog</title>"),
        "{en_feed}"
    );
    assert!(en_feed.contains(&format!("<link>{site}/en/blog/building-with-rust</link>")), "{en_feed}");
    assert!(en_feed.contains(&format!(r#"<atom:link href="{site}/en/blog/feed.xml""#)), "{en_feed}");
    assert!(en_feed.contains(&format!("<link>{site}/en/blog/hanya-bahasa-indonesia</link>")));
    assert!(!en_feed.contains("Membangun dengan Rust"));
    assert!(en_blog.contains(r#"href="/en/blog/feed.xml""#), "the blog links its language's feed");

    // The sitemap: both addresses of the translated post, one of the other.
    let xml = app.get("/sitemap.xml").await.text().await.unwrap();
    for loc in ["/blog/membangun-dengan-rust", "/en/blog/building-with-rust", "/blog/hanya-bahasa-indonesia"] {
        assert!(xml.contains(&format!("<loc>{site}{loc}</loc>")), "{loc}: {xml}");
    }
    assert!(xml.contains(&format!(r#"hreflang="en" href="{site}/en/blog/building-with-rust"/>"#)), "{xml}");
    assert!(!xml.contains("/en/blog/hanya-bahasa-indonesia"), "{xml}");
    assert!(log.errors().is_empty(), "{:?}", log.errors());
}

#[tokio::test]
async fn a_version_is_edited_beside_its_entry_published_when_staff_say_and_refused_when_wrong() {
    let app = indonesian_studio().await;
    let staff = app.signed_in_staff().await;
    let log = ErrorLog::capture();
    let post = save_entry(&app, &staff, "post", "Catatan rilis", "Isi.").await;
    let other = save_entry(&app, &staff, "post", "Tulisan lain", "Isi.").await;

    // The editor: the two languages side by side, the version's form empty until it exists.
    let editor = staff
        .get(app.url(&format!("/admin/posts/{post}?lang=en")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .replace("<!>", "");
    assert!(editor.contains(r#"aria-current="page">English</a>"#), "{editor}");
    assert!(
        editor.contains(&format!(r#"href="/admin/posts/{post}""#)) && editor.contains("Bahasa Indonesia (as written)")
    );
    assert!(editor.contains("Catatan rilis") && !editor.contains("Delete the translation"), "{editor}");

    // Bad input changes nothing.
    let versions = || count(&app, "SELECT count(*) FROM entry_translations");
    let res = save_version(&app, &staff, ("post", post), &[("form[title]", " ")]).await;
    assert!(res.text().await.unwrap().contains("Enter a title of at most 160 characters."));
    let res =
        save_version(&app, &staff, ("post", post), &[("form[title]", "Notes"), ("form[slug]", "tulisan-lain")]).await;
    assert!(res.text().await.unwrap().contains("already uses that slug"), "another post's address in this language");
    let res = save_version(&app, &staff, ("post", post), &[("form[title]", "Notes"), ("form[status]", "live")]).await;
    assert!(res.text().await.unwrap().contains("Choose Draft or Published."));
    // No such entry, or not of that kind: not found.
    for target in [("post", 999_999), ("page", post)] {
        let res = save_version(&app, &staff, target, &[("form[title]", "Notes")]).await;
        let location = res.headers().get(header::LOCATION).map(|l| l.to_str().unwrap().to_owned());
        assert!(!location.is_some_and(|l| l.contains("saved")), "{target:?}");
    }
    assert_eq!(versions(), 0);

    // A draft version is not shown: the post reads as written in English until it is published.
    let res =
        save_version(&app, &staff, ("post", post), &[("form[title]", "Release notes"), ("form[status]", "draft")])
            .await;
    assert_eq!(res.status(), 302);
    let list = staff.get(app.url("/admin/posts")).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(list.contains(&format!(r#"<a href="/admin/posts/{post}?lang=en">English: Draft</a>"#)), "{list}");
    assert!(list.contains(&format!(r#"<a href="/admin/posts/{other}?lang=en">English: None</a>"#)), "{list}");
    assert_eq!(page(&app, "/en/blog/release-notes").await.0, 404);
    assert!(page(&app, "/en/blog/catatan-rilis").await.1.contains("This page has not been translated yet"));
    save_version(&app, &staff, ("post", post), &[("form[title]", "Release notes")]).await;
    assert!(page(&app, "/en/blog/release-notes").await.1.contains("<h1>Release notes</h1>"));
    let list = staff.get(app.url("/admin/posts")).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(list.contains("English: Published"), "{list}");
    // The entry's own slug may not take a version's address either.
    let res = app
        .post_form_with(
            &staff,
            "/api/admin/save_entry",
            &[
                ("kind", "post"),
                ("id", &other.to_string()),
                ("form[title]", "Tulisan lain"),
                ("form[slug]", "release-notes"),
                ("form[status]", "published"),
            ],
        )
        .await;
    assert!(res.text().await.unwrap().contains("already uses that slug"));

    // Every change is in the audit trail; deleting the version shows the post as written again.
    let audit = count(&app, "SELECT count(*) FROM audit_log WHERE action = 'post.version_saved'");
    assert_eq!(audit, 2);
    let res = app.post_form_with(&staff, "/api/admin/delete_entry_version", &[("id", &post.to_string())]).await;
    assert_eq!(res.status(), 302);
    assert_eq!(page(&app, "/en/blog/release-notes").await.0, 404);
    assert!(page(&app, "/en/blog/catatan-rilis").await.1.contains("This page has not been translated yet"));
    assert_eq!(count(&app, "SELECT count(*) FROM audit_log WHERE action = 'post.version_deleted'"), 1);
    // Deleting an entry takes its versions with it.
    save_version(&app, &staff, ("post", other), &[("form[title]", "Another post")]).await;
    app.post_form_with(&staff, "/api/admin/delete_entry", &[("id", &other.to_string())]).await;
    assert_eq!(versions(), 0);
    assert!(log.errors().is_empty(), "{:?}", log.errors());
}

#[tokio::test]
async fn a_fixed_page_keeps_its_address_in_both_languages_and_a_tool_runs_from_its_version() {
    let app = indonesian_studio().await;
    let staff = app.signed_in_staff().await;
    let about: i64 = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT id FROM entries WHERE kind = 'page' AND slug = 'about'", [], |r| r.get(0))
        .unwrap();
    let res = save_version(
        &app,
        &staff,
        ("page", about),
        &[("form[title]", "About the studio"), ("form[slug]", "who-we-are")],
    )
    .await;
    assert_eq!(res.status(), 302);
    let (status, en) = page(&app, "/en/about").await;
    assert_eq!(status, 200);
    assert!(en.contains("<h1>About the studio</h1>") && !en.contains("content-language"), "{en}");
    assert!(en.contains(&format!(r#"<link href="{}/about" hreflang="id" rel="alternate">"#, app.address)), "{en}");

    // A tool page's version runs the same tool, at its own address.
    let tool = {
        let form = [
            ("kind", "tool"),
            ("form[title]", "Cek kontras"),
            ("form[body_md]", "Periksa kontras warna."),
            ("form[status]", "published"),
            ("form[tool]", "contrast-checker"),
        ];
        let res = app.post_form_with(&staff, "/api/admin/save_entry", &form).await;
        let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
        location.rsplit('/').next().unwrap().split('?').next().unwrap().parse::<i64>().unwrap()
    };
    let fields = [("form[title]", "Contrast check"), ("form[body_md]", "Check the contrast of two colours.")];
    assert_eq!(save_version(&app, &staff, ("tool", tool), &fields).await.status(), 302);
    let (_, page) = page(&app, "/en/tools/contrast-check").await;
    assert!(page.contains("<h1>Contrast check</h1>"), "{page}");
    assert!(page.contains(r#"action="/api/tools/contrast-check/use""#), "{page}");
    let res = TestApp::new_client()
        .post(app.url("/api/tools/contrast-check/use"))
        .header("Origin", app.address.clone())
        .header("Referer", app.url("/en/tools/contrast-check"))
        .json(&serde_json::json!({ "foreground": "#000000", "background": "#ffffff" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn a_product_and_its_plans_read_in_the_page_language_once_their_version_is_published() {
    let app = indonesian_studio().await;
    let staff = app.signed_in_staff().await;
    let log = ErrorLog::capture();
    let site = &app.address;
    let product = app.product_on_sale("launch-kit", "Paket Peluncuran", "digital", "web_access", "150000").await;
    let id = product.to_string();
    let plan = [
        ("product_id", id.as_str()),
        ("plan[name]", "Dasar"),
        ("plan[period]", "monthly"),
        ("plan[price_idr]", "50000"),
        ("plan[features]", "Satu proyek"),
    ];
    assert_eq!(app.post_form_with(&staff, "/api/admin/save_plan", &plan).await.status(), 302);
    let plan_id = count(&app, "SELECT max(id) FROM plans").to_string();

    // Without a version: as written on the English pages, marked.
    let (_, list) = page(&app, "/en/products").await;
    let card = &list[list.find(r#"<article class="card product-card" lang="id">"#).expect("a marked card")..];
    assert!(card.contains("Paket Peluncuran") && card.contains("In Indonesian"), "{card}");

    let version = |name: &'static str, status: &'static str| {
        let id = id.clone();
        let staff = staff.clone();
        let app = &app;
        async move {
            let form = [
                ("id", id.as_str()),
                ("form[name]", name),
                ("form[summary]", "Everything to launch."),
                ("form[description_md]", "An **English** description."),
                ("form[status]", status),
            ];
            app.post_form_with(&staff, "/api/admin/save_product_version", &form).await
        }
    };
    // Bad input changes nothing.
    assert!(version(" ", "published").await.text().await.unwrap().contains("Enter a product name of at most 120"));
    assert!(version("Launch Kit", "live").await.text().await.unwrap().contains("Choose Draft or Published."));
    let plan_version = |plan_id: String, name: &'static str| {
        let (id, staff, app) = (id.clone(), staff.clone(), &app);
        async move {
            let form = [
                ("product_id", id.as_str()),
                ("plan_id", plan_id.as_str()),
                ("name", name),
                ("features", "One project"),
            ];
            app.post_form_with(&staff, "/api/admin/save_plan_version", &form).await
        }
    };
    assert!(plan_version(plan_id.clone(), "").await.text().await.unwrap().contains("Name the plan in at most 60"));
    let res = plan_version("999999".into(), "Basic").await;
    assert!(!res.headers().get(header::LOCATION).is_some_and(|l| l.to_str().unwrap().contains("plan_saved")));
    assert_eq!(count(&app, "SELECT count(*) FROM product_translations"), 0);
    assert_eq!(count(&app, "SELECT count(*) FROM plan_translations"), 0);

    // Staff see which products have a version, and open its editor from the list.
    let staff_list = || async { staff.get(app.url("/admin/products")).send().await.unwrap().text().await.unwrap() };
    let link = format!(r#"<a href="/admin/products/{id}?lang=en">"#);
    assert!(staff_list().await.replace("<!>", "").contains(&format!("{link}English: None</a>")));

    // A draft is not shown.
    assert_eq!(version("Launch Kit", "draft").await.status(), 302);
    assert!(staff_list().await.replace("<!>", "").contains(&format!("{link}English: Draft</a>")));
    assert_eq!(plan_version(plan_id.clone(), "Basic").await.status(), 302);
    let (_, en) = page(&app, "/en/products/launch-kit").await;
    assert!(en.contains("This page has not been translated yet") && en.contains("Dasar"), "{en}");
    assert!(!en.contains("Launch Kit") && !en.contains("Basic"));

    // Published: the product and its plans in English, each version naming the other.
    assert_eq!(version("Launch Kit", "published").await.status(), 302);
    let (_, en) = page(&app, "/en/products/launch-kit").await;
    assert!(en.contains("<h1>Launch Kit</h1>") && en.contains("An <strong>English</strong> description."), "{en}");
    assert!(en.contains("Basic") && en.contains("One project") && !en.contains("Dasar"), "{en}");
    assert!(!en.contains("content-language"), "{en}");
    let (_, id_page) = page(&app, "/products/launch-kit").await;
    assert!(id_page.contains("<h1>Paket Peluncuran</h1>") && id_page.contains("Dasar") && !id_page.contains("Basic"));
    for html in [&en, &id_page] {
        assert!(html.contains(&format!(r#"<link href="{site}/products/launch-kit" hreflang="id" rel="alternate">"#)));
        assert!(html.contains(&format!(r#"<link href="{site}/en/products/launch-kit" hreflang="en" rel="alternate">"#)));
    }
    let (_, list) = page(&app, "/en/products").await;
    assert!(list.contains("Launch Kit") && !list.contains("In Indonesian"), "{list}");
    assert!(staff_list().await.replace("<!>", "").contains(&format!("{link}English: Published</a>")));
    let xml = app.get("/sitemap.xml").await.text().await.unwrap();
    assert!(xml.contains(&format!("<loc>{site}/en/products/launch-kit</loc>")), "{xml}");

    // Its translation deleted, it reads as written again, its plans' versions gone with it.
    let res = app.post_form_with(&staff, "/api/admin/delete_product_version", &[("id", id.as_str())]).await;
    assert_eq!(res.status(), 302);
    assert!(page(&app, "/en/products/launch-kit").await.1.contains("This page has not been translated yet"));
    assert_eq!(count(&app, "SELECT count(*) FROM plan_translations"), 0);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE action IN ('product.version_saved', 'product.version_deleted')"
        ),
        3
    );
    assert!(log.errors().is_empty(), "{:?}", log.errors());
}
