//! The public site and the CMS: posts, scheduling, SEO files, waitlist, contact, uploads.

use crate::helpers::{spawn_app, spawn_app_in, spawn_app_with_clock, TestApp};
use atelier::domain::time::datetime_local;
use atelier::server::clock::Clock;
use reqwest::{header, StatusCode};

fn count(app: &TestApp, sql: &str) -> i64 {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn post_form<'a>(title: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("kind", "post"),
        ("form[title]", title),
        ("form[summary]", "A short summary for cards and search."),
        ("form[body_md]", "Some **bold** text."),
        ("form[tags]", "rust, web"),
        ("form[status]", "published"),
    ];
    for (key, value) in extra {
        form.retain(|(k, _)| k != key);
        form.push((key, value));
    }
    form
}

/// Saves a post as staff; returns where the editor was sent.
async fn save(app: &TestApp, staff: &reqwest::Client, form: &[(&str, &str)]) -> reqwest::Response {
    app.post_form_with(staff, "/api/admin/save_entry", form).await
}

/// A page's status and HTML, without the hydration markers (`<!>`) between text and tags.
async fn text(app: &TestApp, path: &str) -> (StatusCode, String) {
    let res = app.get(path).await;
    (res.status(), res.text().await.unwrap().replace("<!>", ""))
}

#[tokio::test]
async fn markdown_with_script_handlers_and_javascript_links_publishes_as_formatted_text_only() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let body = "# Release notes\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n\
                [click me](javascript:alert(2)) and **bold** and `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |";
    let res = save(&app, &staff, &post_form("Release notes", &[("form[body_md]", body)])).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let (status, page) = text(&app, "/blog/release-notes").await;
    assert_eq!(status, 200);
    assert!(page.contains("<strong>bold</strong>") && page.contains("<code>code</code>") && page.contains("<table>"));
    assert!(page.contains("click me"), "the link text stays");
    assert!(!page.contains("alert("), "no script survives: {page}");
    assert!(!page.contains("onerror") && !page.contains("javascript:"));
    let stored = count(&app, "SELECT count(*) FROM entries WHERE body_html LIKE '%<script%'");
    assert_eq!(stored, 0, "the stored HTML is already clean");
}

#[tokio::test]
async fn a_scheduled_post_appears_at_its_time_and_a_draft_never_does() {
    let clock = Clock::manual(time_now());
    let app = spawn_app_with_clock(clock.clone()).await;
    let staff = app.signed_in_staff().await;
    // Warm the cache first: a scheduled post must still appear on time.
    assert!(!text(&app, "/blog").await.1.contains("Future news"));
    let at = datetime_local(clock.now() + 3 * 3600);
    let res = save(&app, &staff, &post_form("Future news", &[("form[publish_at]", &at)])).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    save(&app, &staff, &post_form("Secret draft", &[("form[status]", "draft")])).await;

    for page in public_pages(&app).await {
        assert!(!page.contains("Future news") && !page.contains("future-news"), "not before its time");
        assert!(!page.contains("Secret draft") && !page.contains("secret-draft"));
    }
    assert_eq!(app.get("/blog/future-news").await.status(), 404);

    clock.advance(3 * 3600 - 1);
    assert_eq!(app.get("/blog/future-news").await.status(), 404, "not a second early");
    clock.advance(1);
    let pages = public_pages(&app).await;
    assert!(pages[0].contains("Future news"), "on the blog once its time has come");
    assert!(pages[1].contains("/blog/future-news"), "in the feed");
    assert!(pages[2].contains("/blog/future-news"), "in the sitemap");
    assert!(pages[3].contains("Future news"), "among the latest posts on the home page");
    assert_eq!(app.get("/blog/future-news").await.status(), 200);
    for page in pages {
        assert!(!page.contains("Secret draft"), "a draft is never public");
    }
    assert_eq!(app.get("/blog/secret-draft").await.status(), 404);
}

/// The blog, the feed, the sitemap and the home page, in that order.
async fn public_pages(app: &TestApp) -> Vec<String> {
    let mut seen = Vec::new();
    for path in ["/blog", "/blog/feed.xml", "/sitemap.xml", "/"] {
        seen.push(text(app, path).await.1);
    }
    seen
}

fn time_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Eleven published posts, "Post number 1" to 11 (even ones tagged `even`), in that order.
async fn eleven_posts(app: &TestApp) {
    let staff = app.signed_in_staff().await;
    for i in 1..=11 {
        let title = format!("Post number {i}");
        let tags = if i % 2 == 0 { "even, numbers" } else { "odd" };
        let at = datetime_local(time_now() - 1000 + i);
        let res = save(app, &staff, &post_form(&title, &[("form[tags]", tags), ("form[publish_at]", &at)])).await;
        assert_eq!(res.status(), StatusCode::FOUND, "{title}");
    }
}

#[tokio::test]
async fn a_post_carries_seo_tags_and_article_json_ld() {
    let app = spawn_app().await;
    eleven_posts(&app).await;
    let (_, post) = text(&app, "/blog/post-number-3").await;
    let head = post.split("</head>").next().unwrap();
    assert!(head.contains(&format!(r#"<link href="{}/blog/post-number-3" rel="canonical">"#, app.address)), "{head}");
    assert!(post.contains(r#"<meta property="og:type" content="article""#));
    assert!(post.contains(r#"<meta name="twitter:card""#));
    assert!(post.contains(r#"<meta name="description" content="A short summary for cards and search.""#));
    assert!(post.contains("<title>Post number 3 · Atelier</title>"));
    let json_ld =
        post.split(r#"<script type="application/ld+json">"#).nth(1).unwrap().split("</script>").next().unwrap();
    let article: serde_json::Value = serde_json::from_str(json_ld).unwrap();
    assert_eq!(article["@type"], "Article");
    assert_eq!(article["headline"], "Post number 3");
}

#[tokio::test]
async fn the_blog_pages_by_ten_newest_first_and_filters_by_tag() {
    let app = spawn_app().await;
    eleven_posts(&app).await;
    let (_, first) = text(&app, "/blog").await;
    assert!(first.contains("Post number 11") && first.contains("Post number 2") && !first.contains("Post number 1<"));
    assert!(first.contains("page=2"), "a link to older posts");
    let (_, second) = text(&app, "/blog?page=2").await;
    assert!(second.contains("Post number 1<") && !second.contains("Post number 11"));
    let (_, even) = text(&app, "/blog?tag=even").await;
    assert!(even.contains("Post number 4") && !even.contains("Post number 3<"));
    assert_eq!(app.get("/blog?page=7").await.status(), 404);
    assert_eq!(app.get("/blog?page=abc").await.status(), 404);
}

/// A post with characters that need escaping, and a case study.
async fn a_post_and_a_case_study(app: &TestApp) {
    let staff = app.signed_in_staff().await;
    save(app, &staff, &post_form("Hello & welcome <3", &[("form[slug]", "hello")])).await;
    save(app, &staff, &[("kind", "case_study"), ("form[title]", "Kopi shop"), ("form[status]", "published")]).await;
}

/// One product of a kind in a status, saved as staff would.
async fn a_product(app: &TestApp, slug: &str, kind: &str, status: &str) {
    use atelier::domain::products::{ProductForm, ProductInput};
    use atelier::server::db::{catalog, DbError};
    let form = ProductForm {
        slug: slug.into(),
        name: format!("The {slug}"),
        kind: kind.into(),
        status: status.into(),
        billing: if kind == "saas" { "monthly" } else { "one_time" }.into(),
        price_idr: "150000".into(),
        delivery_kind: if kind == "service" { "manual" } else { "web_access" }.into(),
        ..ProductForm::default()
    };
    let input = ProductInput::parse(&form).expect("a valid product");
    let saved = app
        .state
        .db
        .run(move |c| Ok::<_, DbError>(catalog::save(c, None, &input, &Default::default()).ok()))
        .await
        .unwrap();
    assert!(saved.is_some(), "{slug} saved");
}

#[tokio::test]
async fn the_sitemap_is_valid_xml_listing_every_kind_of_public_content() {
    let app = spawn_app().await;
    a_post_and_a_case_study(&app).await;
    a_product(&app, "icon-kit", "digital", "active").await;
    a_product(&app, "studio-plan", "saas", "active").await;
    a_product(&app, "site-audit", "service", "active").await;
    a_product(&app, "next-kit", "digital", "waitlist").await;
    a_product(&app, "old-kit", "digital", "draft").await;
    let staff = app.signed_in_staff().await;
    for form in [
        vec![("kind", "tool"), ("form[title]", "Slug maker"), ("form[tool]", "slug-generator")],
        vec![("kind", "demo"), ("form[title]", "Live demo"), ("form[link_url]", "https://demo.example.com/")],
        vec![("kind", "resource"), ("form[title]", "Brand kit"), ("form[link_url]", "/uploads/kit.zip")],
        vec![("kind", "page"), ("form[title]", "Refunds"), ("form[slug]", "refunds")],
    ] {
        let form = [form, vec![("form[status]", "published"), ("form[body_md]", "Text.")]].concat();
        let res = save(&app, &staff, &form).await;
        assert!(!res.headers()["location"].to_str().unwrap().contains("__err="), "saved {form:?}");
    }

    let res = app.get("/sitemap.xml").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/xml"));
    let sitemap = res.text().await.unwrap();
    let doc = roxmltree::Document::parse(&sitemap).expect("the sitemap is well-formed XML");
    let locs: Vec<String> =
        doc.descendants().filter(|n| n.has_tag_name("loc")).map(|n| n.text().unwrap().to_owned()).collect();
    assert_eq!(doc.root_element().tag_name().namespace(), Some("http://www.sitemaps.org/schemas/sitemap/0.9"));
    for path in [
        "/",
        "/blog",
        "/about",
        "/privacy-policy",
        "/disclaimer",
        "/contact",
        "/blog/hello",
        "/portfolio/kopi-shop",
        "/pages/refunds",
        "/terms",
        "/products/icon-kit",
        "/saas/studio-plan",
        "/services/site-audit",
        "/products/next-kit",
        "/waitlist/next-kit",
        "/tools/slug-maker",
        "/demos",
        "/resources",
    ] {
        assert!(locs.contains(&format!("{}{path}", app.address)), "{path} in {locs:?}");
    }
    assert!(!sitemap.contains("old-kit"), "a draft product is not listed");
    // Every product's entry carries its last change.
    let product_entries = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .filter(|n| n.descendants().any(|c| c.has_tag_name("loc") && c.text().unwrap().contains("/products/icon-kit")));
    for entry in product_entries {
        assert!(entry.descendants().any(|c| c.has_tag_name("lastmod")), "lastmod for the product");
    }
}

#[tokio::test]
async fn the_rss_feed_is_valid_and_holds_only_posts() {
    let app = spawn_app().await;
    a_post_and_a_case_study(&app).await;
    let res = app.get("/blog/feed.xml").await;
    assert!(res.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/rss+xml"));
    let feed = res.text().await.unwrap();
    let doc = roxmltree::Document::parse(&feed).expect("the feed is well-formed XML");
    assert_eq!(doc.root_element().attribute("version"), Some("2.0"));
    let channel = doc.root_element().children().find(|n| n.has_tag_name("channel")).unwrap();
    for required in ["title", "link", "description"] {
        assert!(channel.children().any(|n| n.has_tag_name(required)), "channel {required}");
    }
    let items: Vec<_> = channel.children().filter(|n| n.has_tag_name("item")).collect();
    assert_eq!(items.len(), 1, "only posts are in the feed");
    let item = items[0];
    let child = |name: &str| item.children().find(|n| n.has_tag_name(name)).and_then(|n| n.text()).unwrap().to_owned();
    assert_eq!(child("title"), "Hello & welcome <3");
    assert_eq!(child("link"), format!("{}/blog/hello", app.address));
    assert!(child("pubDate").ends_with("+0000"), "RFC 822 date: {}", child("pubDate"));
}

#[tokio::test]
async fn robots_txt_keeps_crawlers_out_of_private_areas_and_names_the_sitemap() {
    let app = spawn_app().await;
    let robots = app.get("/robots.txt").await.text().await.unwrap();
    for line in ["Disallow: /admin", "Disallow: /dashboard", "Disallow: /client"] {
        assert!(robots.lines().any(|l| l == line), "{line}");
    }
    assert!(robots.contains(&format!("Sitemap: {}/sitemap.xml", app.address)));
}

/// Saves the post "Same title" as staff: the signed-in staff client and the post's id.
async fn one_post(app: &TestApp) -> (reqwest::Client, String) {
    let staff = app.signed_in_staff().await;
    let res = save(app, &staff, &post_form("Same title", &[])).await;
    let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(location.starts_with("/admin/posts/") && location.ends_with("?saved=1"), "{location}");
    let id = location.trim_start_matches("/admin/posts/").trim_end_matches("?saved=1").to_owned();
    (staff, id)
}

#[tokio::test]
async fn a_slug_is_unique_per_kind_and_a_bad_one_is_refused_with_what_to_change() {
    let app = spawn_app().await;
    let (staff, _) = one_post(&app).await;
    let res = staff.post(app.url("/api/admin/save_entry")).form(&post_form("Same title", &[])).send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Another blog post already uses that slug"));
    assert_eq!(count(&app, "SELECT count(*) FROM entries WHERE kind = 'post'"), 1);

    let bad = staff
        .post(app.url("/api/admin/save_entry"))
        .form(&post_form("x", &[("form[slug]", "Bad Slug!")]))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("lower-case letters"));
    assert_eq!(count(&app, "SELECT count(*) FROM entries WHERE kind = 'post'"), 1, "nothing was saved");
}

#[tokio::test]
async fn an_edit_shows_at_once_to_visitors_and_signed_in_people() {
    let app = spawn_app().await;
    let (staff, id) = one_post(&app).await;
    assert!(text(&app, "/blog/same-title").await.1.contains("Same title"), "the page is now cached");
    let as_staff = || async { staff.get(app.url("/blog/same-title")).send().await.unwrap().text().await.unwrap() };
    assert!(as_staff().await.contains("Same title"), "the copy for staff is cached too");
    let res = save(&app, &staff, &post_form("Renamed title", &[("id", &id), ("form[slug]", "same-title")])).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(text(&app, "/blog/same-title").await.1.contains("Renamed title"), "the cache was invalidated by the edit");
    assert!(as_staff().await.contains("Renamed title"), "and so was the copy for staff");

    let res = app.post_form_with(&staff, "/api/admin/delete_entry", &[("id", &id)]).await;
    assert_eq!(res.headers()[header::LOCATION], "/admin/posts?deleted=1");
    assert_eq!(app.get("/blog/same-title").await.status(), 404, "a deletion too");
}

#[tokio::test]
async fn every_edit_is_audited_and_the_trail_is_shown_to_staff() {
    let app = spawn_app().await;
    let (staff, id) = one_post(&app).await;
    save(&app, &staff, &post_form("Renamed title", &[("id", &id), ("form[slug]", "same-title")])).await;
    let last = || {
        rusqlite::Connection::open(&app.db_path)
            .unwrap()
            .query_row(
                "SELECT u.email, a.action FROM audit_log a JOIN users u ON u.id = a.actor_id ORDER BY a.id DESC LIMIT 1",
                [],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .unwrap()
    };
    // The trail keeps what happened as a code, and says it in each staff member's language.
    assert_eq!(last(), ("owner@studio.example".to_owned(), "post.updated".to_owned()));
    let overview = staff.get(app.url("/admin")).send().await.unwrap().text().await.unwrap();
    assert!(overview.contains("Blog post updated") && overview.contains("owner@studio.example"), "the trail is shown");
    app.post_form_with(&staff, "/api/dashboard/mail_preferences", &[("language", "id")]).await;
    let audit = staff.get(app.url("/admin/audit")).send().await.unwrap().text().await.unwrap();
    assert!(audit.contains("Tulisan blog diperbarui") && !audit.contains("Blog post updated"), "{audit}");
    app.post_form_with(&staff, "/api/admin/delete_entry", &[("id", &id)]).await;
    assert_eq!(last(), ("owner@studio.example".to_owned(), "post.deleted".to_owned()));
}

#[tokio::test]
async fn fixed_pages_are_served_from_the_cms_and_can_be_edited_but_not_deleted() {
    let app = spawn_app().await;
    let (status, about) = text(&app, "/about").await;
    assert_eq!(status, 200);
    assert!(about.contains("<h1>About Atelier</h1>"), "{about}");
    let staff = app.signed_in_staff().await;
    let id = count(&app, "SELECT id FROM entries WHERE kind = 'page' AND slug = 'privacy-policy'").to_string();
    let form = [
        ("kind", "page"),
        ("id", id.as_str()),
        ("form[title]", "Privacy policy"),
        ("form[slug]", "privacy-policy"),
        ("form[body_md]", "We keep **nothing** we do not need."),
        ("form[status]", "published"),
    ];
    assert_eq!(save(&app, &staff, &form).await.status(), StatusCode::FOUND);
    assert!(text(&app, "/privacy-policy").await.1.contains("We keep <strong>nothing</strong>"));

    let moved = form.iter().map(|(k, v)| (*k, if *k == "form[slug]" { "privacy" } else { *v })).collect::<Vec<_>>();
    let res = staff.post(app.url("/api/admin/save_entry")).form(&moved).send().await.unwrap();
    assert_eq!(res.status(), 400);
    let res = staff.post(app.url("/api/admin/delete_entry")).form(&[("id", id.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("cannot be deleted"));
    assert_eq!(app.get("/privacy-policy").await.status(), 200);
}

pub(crate) async fn waitlist_product(app: &TestApp, staff: &reqwest::Client) {
    let form = [
        ("form[name]", "Insight Analytics"),
        ("form[kind]", "saas"),
        ("form[status]", "waitlist"),
        ("form[billing]", "yearly"),
        ("form[price_idr]", "1500000"),
        ("form[summary]", "Privacy-first analytics."),
        ("form[delivery_kind]", "web_access"),
    ];
    assert_eq!(app.post_form_with(staff, "/api/admin/save_product", &form).await.status(), StatusCode::FOUND);
}

#[tokio::test]
async fn joining_a_waitlist_twice_keeps_one_entry_answers_the_same_and_bad_emails_change_nothing() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    waitlist_product(&app, &staff).await;
    assert!(text(&app, "/waitlist").await.1.contains("Insight Analytics"));
    assert_eq!(app.get("/waitlist/insight-analytics").await.status(), 200);

    let join = [("product", "insight-analytics"), ("email", "Ana@Example.com"), ("name", "Ana")];
    let res = app.post_form("/api/site/join_waitlist", &join).await;
    assert_eq!(res.headers()[header::LOCATION], "/waitlist/insight-analytics?joined=1");
    let page = text(&app, "/waitlist/insight-analytics?joined=1").await.1;
    assert!(page.contains(r#"role="status""#) && page.contains("on the list"));

    let again = [("product", "insight-analytics"), ("email", "ana@example.com"), ("name", "")];
    let res = app.post_form("/api/site/join_waitlist", &again).await;
    assert_eq!(res.headers()[header::LOCATION], "/waitlist/insight-analytics?joined=1", "the same answer");
    assert_eq!(count(&app, "SELECT count(*) FROM waitlist_entries"), 1);

    app.drain_jobs().await;
    let mails = app.mail.to("Ana@Example.com");
    assert_eq!(mails.len(), 1, "one confirmation, not two");
    assert!(mails[0].subject().contains("waitlist for Insight Analytics"));

    let res = app
        .client
        .post(app.url("/api/site/join_waitlist"))
        .form(&[("product", "insight-analytics"), ("email", "not-an-email"), ("name", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().to_lowercase().contains("email"));
    assert_eq!(count(&app, "SELECT count(*) FROM waitlist_entries"), 1);

    // Staff see the count and can export the list.
    let admin = staff.get(app.url("/admin/waitlist")).send().await.unwrap().text().await.unwrap();
    assert!(admin.contains("Insight Analytics") && admin.contains(">1<"));
    let id = count(&app, "SELECT id FROM products WHERE slug = 'insight-analytics'");
    let csv = staff.get(app.url(&format!("/admin/waitlist/{id}/export.csv"))).send().await.unwrap();
    assert!(csv.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("email,name,joined_at,early_bird_code,code_used\r\n\"Ana@example.com\",\"Ana\","), "{csv}");
    assert_eq!(app.get(&format!("/admin/waitlist/{id}/export.csv")).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_waitlist_is_rate_limited_per_visitor() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    waitlist_product(&app, &staff).await;
    for i in 0..5 {
        let email = format!("p{i}@example.com");
        let res =
            app.post_form("/api/site/join_waitlist", &[("product", "insight-analytics"), ("email", &email)]).await;
        assert_eq!(res.status(), StatusCode::FOUND);
    }
    let res = app
        .client
        .post(app.url("/api/site/join_waitlist"))
        .form(&[("product", "insight-analytics"), ("email", "p6@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(count(&app, "SELECT count(*) FROM waitlist_entries"), 5);
}

#[tokio::test]
async fn a_contact_message_is_stored_mailed_to_the_studio_and_handled_in_the_inbox() {
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &[("ADMIN_NOTIFY_EMAIL", "studio@studio.example")]).await;
    let res = app
        .post_form(
            "/api/site/contact",
            &[
                ("name", "Budi"),
                ("email", "budi@example.com"),
                ("subject", "A new shop"),
                ("message", "We need an online shop for our coffee <b>beans</b>."),
            ],
        )
        .await;
    assert_eq!(res.headers()[header::LOCATION], "/contact?sent=1");
    assert!(text(&app, "/contact?sent=1").await.1.contains(r#"role="status""#));
    assert_eq!(count(&app, "SELECT count(*) FROM contact_messages WHERE handled_at IS NULL"), 1);
    app.drain_jobs().await;
    let mail = app.mail.to("studio@studio.example").pop().expect("the studio is told");
    assert!(mail.subject().contains("Budi") && mail.subject().contains("A new shop"));
    assert!(mail.decoded().contains("&lt;b&gt;beans&lt;/b&gt;"), "the message is escaped in the HTML part");

    let bad = app
        .client
        .post(app.url("/api/site/contact"))
        .form(&[("name", "Budi"), ("email", "budi@example.com"), ("message", "hi")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("at least 10 characters"));
    assert_eq!(count(&app, "SELECT count(*) FROM contact_messages"), 1);

    let staff = app.signed_in_staff().await;
    let inbox = staff.get(app.url("/admin/contacts")).send().await.unwrap().text().await.unwrap();
    assert!(inbox.contains("A new shop") && inbox.contains("budi@example.com"));
    let id = count(&app, "SELECT id FROM contact_messages").to_string();
    let res = app.post_form_with(&staff, "/api/admin/set_contact_handled", &[("id", &id), ("handled", "true")]).await;
    assert_eq!(res.headers()[header::LOCATION], "/admin/contacts?done=1");
    let inbox = staff.get(app.url("/admin/contacts")).send().await.unwrap().text().await.unwrap();
    assert!(!inbox.contains("A new shop"), "handled messages leave the to-do list");
    let handled = staff.get(app.url("/admin/contacts?handled=true")).send().await.unwrap().text().await.unwrap();
    assert!(handled.contains("A new shop") && handled.contains("by owner@studio.example"));
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn upload(app: &TestApp, client: &reqwest::Client, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()).mime_str("image/png").unwrap();
    client
        .post(app.url("/admin/upload"))
        .header("Origin", &app.address)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn staff_upload_images_checked_by_content_and_size_under_random_names() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let res = upload(&app, &staff, "logo.png", PNG.to_vec()).await;
    let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let path = location.strip_prefix("/admin/uploads?uploaded=").expect("uploaded").to_owned();
    assert!(path.starts_with("/uploads/") && path.ends_with(".png") && !path.contains("logo"), "{path}");
    let served = app.get(&path).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()[header::CONTENT_TYPE], "image/png");
    assert_eq!(served.bytes().await.unwrap().as_ref(), PNG);

    let res = upload(&app, &staff, "evil.png", b"<script>alert(1)</script>".to_vec()).await;
    assert_eq!(res.headers()[header::LOCATION], "/admin/uploads?error=type");
    let page = staff.get(app.url("/admin/uploads?error=type")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"role="alert""#) && page.contains("not a PNG, JPEG, WebP or GIF"));

    let mut big = PNG.to_vec();
    big.resize(5 * 1024 * 1024 + 1, 0);
    let res = upload(&app, &staff, "big.png", big).await;
    assert_eq!(res.headers()[header::LOCATION], "/admin/uploads?error=size");
    assert_eq!(count(&app, "SELECT count(*) FROM uploads"), 1, "only the real image was kept");
    assert_eq!(std::fs::read_dir(app.dir.path().join("uploads")).unwrap().count(), 1);

    // Without JavaScript, the editor's preview is rendered by the server.
    let preview = app
        .post_form_with(
            &staff,
            "/admin/preview",
            &[("form[title]", "Draft"), ("form[body_md]", "**hi** <script>x</script>")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(preview.contains("<strong>hi</strong>") && !preview.contains("<script>x"));
}

/// Every admin server function with a valid form, so the guard is what answers.
pub(crate) const ADMIN_CALLS: &[(&str, &[(&str, &str)])] = &[
    ("admin/products", &[]),
    ("admin/product_form", &[]),
    ("admin/save_product", &[("form[name]", "X")]),
    ("admin/product_version_form", &[("id", "1")]),
    ("admin/save_product_version", &[("id", "1"), ("form[name]", "X"), ("form[status]", "draft")]),
    ("admin/save_plan_version", &[("product_id", "1"), ("plan_id", "1"), ("name", "Pro")]),
    ("admin/delete_product_version", &[("id", "1")]),
    ("admin/orders", &[]),
    ("admin/order", &[("public_id", "ATL-1")]),
    ("admin/jobs", &[]),
    ("admin/retry_job", &[("id", "1")]),
    ("admin/mark_delivered", &[("public_id", "ATL-1"), ("message", "done")]),
    ("admin/service_updates", &[("public_id", "ATL-1")]),
    ("admin/post_service_update", &[("public_id", "ATL-1"), ("note", "started")]),
    ("admin/entries", &[("kind", "post")]),
    ("admin/entry_form", &[("kind", "post")]),
    ("admin/save_entry", &[("kind", "post"), ("form[title]", "Hacked")]),
    ("admin/delete_entry", &[("id", "1")]),
    ("admin/entry_version_form", &[("kind", "post"), ("id", "1")]),
    ("admin/save_entry_version", &[("kind", "post"), ("id", "1"), ("form[title]", "Hacked")]),
    ("admin/delete_entry_version", &[("id", "1")]),
    ("admin/preview_markdown", &[("markdown", "x")]),
    ("admin/waitlist", &[]),
    ("admin/waitlist_people", &[("product_id", "1")]),
    ("admin/contacts", &[]),
    ("admin/set_contact_handled", &[("id", "1"), ("handled", "true")]),
    ("admin/uploads", &[]),
    ("admin/overview", &[]),
    ("admin/audit", &[("before", "1-1")]),
    ("admin/plans", &[("product_id", "1")]),
    ("admin/save_plan", &[("product_id", "1"), ("plan[name]", "Free for all"), ("plan[price_idr]", "1")]),
    ("admin/retire_plan", &[("product_id", "1"), ("id", "1"), ("retired", "true")]),
    ("admin/subscriptions", &[]),
    ("admin/subscription", &[("public_id", "SUB-1")]),
    ("admin/extend_subscription", &[("public_id", "SUB-1"), ("days", "30"), ("note", "free month")]),
    ("admin/cancel_subscription", &[("public_id", "SUB-1")]),
    ("admin/drop_plan_change", &[("public_id", "SUB-1")]),
    ("admin/unpause_subscription", &[("public_id", "SUB-1")]),
    ("admin/webhooks", &[]),
    ("admin/webhook", &[("id", "1")]),
    ("admin/create_webhook", &[("url", "https://hooks.example.com/x"), ("events[order_paid]", "on")]),
    ("admin/update_webhook", &[("id", "1"), ("url", "https://hooks.example.com/x"), ("events[order_paid]", "on")]),
    ("admin/set_webhook_enabled", &[("id", "1"), ("enabled", "false")]),
    ("admin/delete_webhook", &[("id", "1")]),
    ("admin/test_webhook", &[("id", "1")]),
    ("admin/redeliver_webhook", &[("id", "1"), ("delivery", "1")]),
    ("admin/product_files", &[("product_id", "1")]),
    ("admin/send_product_update", &[("product_id", "1"), ("version_id", "1")]),
    ("admin/delete_file_version", &[("product_id", "1"), ("version_id", "1")]),
    ("admin/users", &[]),
    ("admin/user", &[("id", "1")]),
    ("admin/set_user_role", &[("id", "1"), ("role", "staff")]),
    ("admin/set_user_disabled", &[("id", "1"), ("disabled", "true"), ("reason", "x")]),
    ("admin/create_user", &[("name", "Taken"), ("email", "taken@example.com"), ("role", "staff")]),
    ("admin/delete_user", &[("id", "1"), ("understood", "on")]),
    ("admin/resend_verification", &[("id", "1")]),
    ("admin/send_password_reset", &[("id", "1")]),
    ("admin/record_refund", &[("public_id", "ATL-1"), ("note", "refunded in Midtrans")]),
    ("admin/dismiss_order_notice", &[("public_id", "ATL-1")]),
    ("admin/coupons", &[]),
    ("admin/create_coupon", &[("form[code]", "FREE"), ("form[kind]", "percent"), ("form[value]", "100")]),
    ("admin/set_coupon_disabled", &[("id", "1"), ("disabled", "true")]),
    ("admin/notify_waitlist", &[("product_id", "1"), ("percent", "20"), ("days", "7")]),
    ("admin/resend_delivery", &[("public_id", "ATL-1")]),
    ("admin/reinvite_github", &[("public_id", "ATL-1")]),
    ("admin/revoke_access", &[("public_id", "ATL-1"), ("reason", "chargeback pending")]),
    ("admin/order_license", &[("public_id", "ATL-1")]),
    ("admin/set_activation_limit", &[("public_id", "ATL-1"), ("limit", "99")]),
    ("admin/deactivate_machine", &[("public_id", "ATL-1"), ("id", "1")]),
    ("admin/restore_access", &[("public_id", "ATL-1")]),
    ("admin/settings", &[]),
    ("admin/analytics", &[]),
    ("admin/clients", &[]),
    ("admin/create_client", &[("name", "Acme")]),
    ("admin/client", &[("id", "1")]),
    ("admin/invite_client_person", &[("client_id", "1"), ("name", "Eve"), ("email", "eve@example.com")]),
    ("admin/remove_client_person", &[("client_id", "1"), ("user_id", "1")]),
    ("admin/projects", &[]),
    ("admin/project", &[("id", "1")]),
    ("admin/save_project", &[("client_id", "1"), ("name", "X"), ("status", "active")]),
    ("admin/add_milestone", &[("project_id", "1"), ("title", "X")]),
    ("admin/set_milestone_status", &[("project_id", "1"), ("id", "1"), ("status", "done")]),
    ("admin/save_settings", &[("form[name]", "Taken over")]),
    ("admin/home", &[]),
    ("admin/navigation", &[]),
    ("admin/save_navigation", &[("form[header]", "Taken | /")]),
    ("admin/save_home", &[("form[headline]", "Taken over")]),
    ("admin/preview_home", &[("form[headline]", "Taken over")]),
    ("admin/delete_home_version", &[("lang", "id")]),
    ("admin/delete_navigation_version", &[("lang", "id")]),
    ("admin/project_billing", &[("project_id", "1")]),
    ("admin/invoices", &[]),
    ("admin/save_quote", &[("project_id", "1"), ("title", "X"), ("items", "Work | 1"), ("schedule", "100")]),
    ("admin/quote_action", &[("project_id", "1"), ("id", "1"), ("action", "send")]),
    ("admin/invoice_action", &[("id", "1"), ("action", "paid"), ("note", "BCA")]),
    ("admin/client_language", &[("client_id", "1"), ("language", "id")]),
];

#[tokio::test]
async fn members_get_403_and_visitors_401_from_every_admin_server_function() {
    let app = spawn_app().await;
    app.verified_member("Mia", "mia@example.com", "member passphrase 1").await;
    assert_eq!(app.login("mia@example.com", "member passphrase 1").await, "/dashboard");
    let anonymous = TestApp::new_client();
    let endpoints = ADMIN_CALLS;
    // Every admin server function the binary registers is in the list above.
    let mut registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .filter(|(path, _)| path.starts_with("/api/admin/"))
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    registered.sort();
    let mut listed: Vec<String> = endpoints.iter().map(|(e, _)| (*e).to_owned()).collect();
    listed.sort();
    assert_eq!(registered, listed, "a new admin server function needs its line here");
    for (endpoint, form) in endpoints {
        let path = format!("/api/{endpoint}");
        let res = app.client.post(app.url(&path)).header("Origin", &app.address).form(form).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "member on {path}");
        let res = anonymous.post(app.url(&path)).header("Origin", &app.address).form(form).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "visitor on {path}");
    }
    assert_eq!(count(&app, "SELECT count(*) FROM entries WHERE title = 'Hacked'"), 0);
    assert_eq!(upload(&app, &app.client, "x.png", PNG.to_vec()).await.status(), StatusCode::FORBIDDEN);
    let preview = app.post_form("/admin/preview", &[("form[body_md]", "x")]).await;
    assert_eq!(preview.status(), StatusCode::FORBIDDEN);
    let logo =
        reqwest::multipart::Form::new().part("logo", reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("x.png"));
    let res =
        app.client.post(app.url("/admin/settings/logo")).header("Origin", &app.address).multipart(logo).send().await;
    assert_eq!(res.unwrap().status(), StatusCode::FORBIDDEN, "a member uploads no logo");
    assert_eq!(app.post_form("/admin/settings/logo/remove", &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(&app, "SELECT count(*) FROM studio_images"), 0);
    assert_eq!(app.get("/admin/waitlist/1/export.csv").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/admin/posts").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn visitors_and_members_each_get_the_copy_kept_for_them_and_an_edit_reaches_both() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let form = [
        ("form[name]", "Launch Kit"),
        ("form[kind]", "digital"),
        ("form[status]", "active"),
        ("form[billing]", "one_time"),
        ("form[price_idr]", "1250000"),
        ("form[delivery_kind]", "web_access"),
    ];
    assert_eq!(app.post_form_with(&staff, "/api/admin/save_product", &form).await.status(), StatusCode::FOUND);
    let visitor = TestApp::new_client();
    let page = |client: &reqwest::Client| {
        let request = client.get(app.url("/products/launch-kit"));
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    assert!(page(&visitor).await.contains("Sign in to buy"));
    assert!(page(&visitor).await.contains("Sign in to buy"), "served again, from memory");

    app.verified_member("Mia", "mia@example.com", "member passphrase 1").await;
    assert_eq!(app.login("mia@example.com", "member passphrase 1").await, "/dashboard");
    let mine = page(&app.client).await;
    assert!(mine.contains("Buy (sandbox payment)") && !mine.contains("Sign in to buy"), "the members' copy");
    assert!(page(&visitor).await.contains("Sign in to buy"), "and visitors still get theirs");
    assert_eq!(page(&app.client).await, mine, "served again, from memory");

    // An edit reaches visitors at once.
    let renamed = [("form[name]", "Launch Kit Pro"), ("form[slug]", "launch-kit")];
    let form: Vec<_> = form.iter().filter(|(k, _)| *k != "form[name]").copied().chain(renamed).collect();
    let id = count(&app, "SELECT id FROM products").to_string();
    let form: Vec<_> = form.into_iter().chain([("id", id.as_str())]).collect();
    assert_eq!(app.post_form_with(&staff, "/api/admin/save_product", &form).await.status(), StatusCode::FOUND);
    assert!(page(&visitor).await.contains("Launch Kit Pro"));
    assert!(page(&app.client).await.contains("Launch Kit Pro"), "members' copy too");
}

#[tokio::test]
async fn a_public_page_larger_than_the_cache_keeps_is_served_every_time() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    // 200,000 characters of Markdown (the most a body may hold) that render to ~550 KB of
    // HTML: more than a cached page may weigh (512 KB).
    let body = format!("{}the last words", "*a* ".repeat(49_996));
    let res = save(&app, &staff, &post_form("A long read", &[("form[body_md]", &body)])).await;
    assert_eq!(res.status(), StatusCode::FOUND, "{}", res.text().await.unwrap());
    for _ in 0..2 {
        let (status, html) = text(&app, "/blog/a-long-read").await;
        assert_eq!(status, StatusCode::OK, "{}", &html[..html.len().min(300)]);
        assert!(html.len() > 512 * 1024, "the page is as large as meant: {} bytes", html.len());
        assert!(html.contains("<title>A long read"), "a whole page");
        assert!(html.contains("the last words"), "to its end");
    }
}
