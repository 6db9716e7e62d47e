//! Every page, for every kind of visitor, renders completely and identically on
//! every request: one `<title>` (the expected one), one description, the same
//! visible text, and nothing logged as an error, whether requests come one after
//! another or all at once.

use crate::helpers::{spawn_app, ErrorLog, TestApp};
use atelier::domain::Role;
use atelier::server::auth::password;
use atelier::server::db::{users, DbError};
use futures::future::join_all;

const RUNS: usize = 30;
const PW: &str = "correct horse battery";

/// What a person sees: the text of the page without tags, scripts or styles.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        out.push(' ');
        let tag = &rest[start..];
        let skip_to = ["script", "style", "template"]
            .iter()
            .find(|name| tag[1..].starts_with(**name))
            .and_then(|name| tag.find(&format!("</{name}>")).map(|end| end + name.len() + 3));
        let end = match skip_to {
            Some(end) => end,
            None => tag.find('>').map(|i| i + 1).unwrap_or(tag.len()),
        };
        rest = &tag[end..];
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn titles(html: &str) -> Vec<String> {
    html.match_indices("<title")
        .filter_map(|(i, _)| {
            let open_end = html[i..].find('>')? + i + 1;
            let close = html[open_end..].find("</title>")? + open_end;
            Some(html[open_end..close].to_owned())
        })
        .collect()
}

/// Checks one page `RUNS` times in a row and `RUNS` times at once.
async fn check_page(app: &TestApp, client: &reqwest::Client, path: &str, status: u16, title: &str) {
    let fetch = || async {
        let res = client.get(app.url(path)).send().await.expect("request failed");
        let status = res.status().as_u16();
        let csp = res.headers().get("content-security-policy").map(|v| v.to_str().unwrap().to_owned());
        let html = res.text().await.unwrap();
        // Every inline script of every page is one the policy allows (else the
        // browser would refuse to run it).
        let csp = csp.unwrap_or_else(|| panic!("{path} has no Content-Security-Policy"));
        for script in atelier::server::headers::inline_scripts(&html) {
            let hash = atelier::server::headers::script_hash(script);
            assert!(csp.contains(&hash), "{path}: the policy does not allow the inline script {script:?}");
        }
        (status, html)
    };
    let mut pages = Vec::with_capacity(2 * RUNS);
    for _ in 0..RUNS {
        pages.push(fetch().await);
    }
    pages.extend(join_all((0..RUNS).map(|_| fetch())).await);
    let expected_title = if title.is_empty() { "Atelier".to_owned() } else { format!("{title} · Atelier") };
    let first_text = visible_text(&pages[0].1);
    for fallback in ["Loading…", "Checking your link…"] {
        assert!(!first_text.contains(fallback), "{path} was sent before its data loaded: {first_text}");
    }
    for (i, (code, html)) in pages.iter().enumerate() {
        assert_eq!(*code, status, "{path} (response {i}) status");
        assert_eq!(
            titles(html),
            std::slice::from_ref(&expected_title),
            "{path} (response {i}) has exactly one, expected, title"
        );
        assert_eq!(html.matches(r#"<meta name="description""#).count(), 1, "{path} (response {i}) has one description");
        // Pages are not hydrated: nothing of their data is sent a second time as JSON.
        if let Some(at) = html.find("__RESOLVED_RESOURCES=[") {
            assert!(html[at + 22..].starts_with(']'), "{path} (response {i}) embeds its resources as JSON");
        }
        assert_eq!(visible_text(html), first_text, "{path} (response {i}) shows the same text as the first");
    }
}

async fn signed_in(app: &TestApp, name: &str, email: &str, role: Role) -> reqwest::Client {
    let hash = password::hash(PW.into()).await.unwrap();
    let (name, email_owned) = (name.to_owned(), email.to_owned());
    app.state.db.run(move |c| users::insert(c, &name, &email_owned, &hash, role, true).map(|_| ())).await.unwrap();
    let client = TestApp::new_client();
    app.login_with(&client, email, PW).await;
    client
}

/// One value from the database of the app under test.
async fn one(app: &TestApp, sql: &'static str) -> String {
    app.state.db.run(move |c| c.query_row(sql, [], |r| r.get::<_, String>(0)).map_err(DbError::from)).await.unwrap()
}

#[tokio::test]
async fn every_page_renders_completely_and_identically_for_every_kind_of_visitor() {
    let log = ErrorLog::capture();
    let app = spawn_app().await;
    app.state.db.run(atelier::server::seed::demo).await.expect("demo content");

    // A member with a paid order, a client and a staff member.
    let member = signed_in(&app, "Mira Member", "mira@example.com", Role::Member).await;
    let slug =
        one(&app, "SELECT slug FROM products WHERE kind = 'digital' AND status = 'active' ORDER BY id LIMIT 1").await;
    let res = app.post_form_with(&member, "/api/site/checkout", &[("slug", &slug), ("gateway", "sandbox")]).await;
    let order = res.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_owned();
    app.post_form_with(&member, "/api/site/sandbox_pay", &[("order", &order), ("outcome", "pay")]).await;
    app.drain_jobs().await;
    let client = signed_in(&app, "Cleo Client", "cleo@client.example", Role::Client).await;
    let staff = app.signed_in_staff().await;
    let visitor = TestApp::new_client();
    let mira = one(&app, "SELECT CAST(id AS TEXT) FROM users WHERE email = 'mira@example.com'").await;

    let product_name =
        one(&app, "SELECT name FROM products WHERE kind = 'digital' AND status = 'active' ORDER BY id LIMIT 1").await;
    let saas = one(&app, "SELECT slug || '|' || name FROM products WHERE kind = 'saas' ORDER BY id LIMIT 1").await;
    let (saas_slug, saas_name) = saas.split_once('|').unwrap();
    let waitlist =
        one(&app, "SELECT slug || '|' || name FROM products WHERE status = 'waitlist' ORDER BY id LIMIT 1").await;
    let (waitlist_slug, waitlist_name) = waitlist.split_once('|').unwrap();
    let post = one(&app, "SELECT slug || '|' || title FROM entries WHERE kind = 'post' ORDER BY id LIMIT 1").await;
    let (post_slug, post_title) = post.split_once('|').unwrap();
    let case =
        one(&app, "SELECT slug || '|' || title FROM entries WHERE kind = 'case_study' ORDER BY id LIMIT 1").await;
    let (case_slug, case_title) = case.split_once('|').unwrap();
    let tool = one(&app, "SELECT slug || '|' || title FROM entries WHERE kind = 'tool' ORDER BY id LIMIT 1").await;
    let (tool_slug, tool_title) = tool.split_once('|').unwrap();
    let about = one(&app, "SELECT title FROM entries WHERE kind = 'page' AND slug = 'about'").await;
    let product_id = one(&app, "SELECT CAST(id AS TEXT) FROM products ORDER BY id LIMIT 1").await;
    let post_id = one(&app, "SELECT CAST(id AS TEXT) FROM entries WHERE kind = 'post' ORDER BY id LIMIT 1").await;

    let public: Vec<(String, u16, String)> = vec![
        ("/".into(), 200, "".into()),
        ("/about".into(), 200, about.clone()),
        ("/products".into(), 200, "Products".into()),
        (format!("/products/{slug}"), 200, product_name.clone()),
        ("/saas".into(), 200, "SaaS bundles".into()),
        (format!("/saas/{saas_slug}"), 200, saas_name.into()),
        ("/services".into(), 200, "Services".into()),
        ("/blog".into(), 200, "Blog".into()),
        (format!("/blog/{post_slug}"), 200, post_title.into()),
        ("/portfolio".into(), 200, "Portfolio".into()),
        (format!("/portfolio/{case_slug}"), 200, case_title.into()),
        ("/tools".into(), 200, "Tools".into()),
        (format!("/tools/{tool_slug}"), 200, tool_title.into()),
        ("/demos".into(), 200, "Demos".into()),
        ("/resources".into(), 200, "Resources".into()),
        ("/waitlist".into(), 200, "Waitlist".into()),
        (format!("/waitlist/{waitlist_slug}"), 200, format!("{waitlist_name} waitlist")),
        ("/contact".into(), 200, "Contact".into()),
        ("/developers".into(), 200, "Developers".into()),
        ("/products/no-such-product".into(), 404, "Page not found".into()),
        ("/no/such/page".into(), 404, "Page not found".into()),
    ];
    let auth: Vec<(String, u16, String)> = vec![
        ("/login".into(), 200, "Sign in".into()),
        ("/register".into(), 200, "Create an account".into()),
        ("/forgot-password".into(), 200, "Forgot your password?".into()),
        ("/reset-password?token=abc".into(), 200, "Choose a new password".into()),
        ("/verify-email".into(), 200, "Confirm your email".into()),
        ("/confirm-email?token=abc".into(), 200, "Confirm your new email".into()),
        ("/logout".into(), 200, "Sign out".into()),
    ];
    for (path, status, title) in public.iter().chain(&auth) {
        for who in [&visitor, &member, &client, &staff] {
            check_page(&app, who, path, *status, title).await;
        }
    }

    let dashboard: Vec<(String, String)> = vec![
        ("/dashboard".into(), "Dashboard".into()),
        ("/dashboard/orders".into(), "Your orders".into()),
        (format!("/dashboard/orders/{order}"), format!("Order {order}")),
        ("/dashboard/downloads".into(), "Downloads & keys".into()),
        ("/dashboard/licenses".into(), "Licenses".into()),
        ("/dashboard/services".into(), "Services".into()),
        ("/dashboard/profile".into(), "Profile".into()),
        ("/dashboard/tokens".into(), "API tokens".into()),
        ("/dashboard/subscriptions".into(), "Your subscriptions".into()),
    ];
    for (path, title) in &dashboard {
        check_page(&app, &member, path, 200, title).await;
    }
    check_page(&app, &member, "/dashboard/orders/ATL-20260101-NOSUCH", 404, "Page not found").await;
    // An area renders only its own routes: an address it does not have is a whole 404 page.
    check_page(&app, &member, "/dashboard/no-such-page", 404, "Page not found").await;
    check_page(&app, &member, "/dashboard-archive", 404, "Page not found").await;
    // Cleo's company, with a project whose quote she accepted and an invoice sent to her.
    let company = app
        .state
        .db
        .run(|c| -> Result<i64, DbError> {
            let id = c.query_row("INSERT INTO clients (name, created_at, updated_at) VALUES ('PT Cleo', 0, 0) RETURNING id", [], |r| r.get(0))?;
            c.execute(
                "INSERT INTO client_people (user_id, client_id, added_at) SELECT id, ?1, 0 FROM users WHERE email = 'cleo@client.example'",
                [id],
            )?;
            Ok(id)
        })
        .await
        .unwrap()
        .to_string();
    let form = [("client_id", company.as_str()), ("name", "Brand refresh"), ("status", "active")];
    let res = app.post_form_with(&staff, "/api/admin/save_project", &form).await;
    let project = res.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/admin/projects/")
        .trim_end_matches("?saved=1")
        .to_owned();
    let form = [("project_id", project.as_str()), ("title", "Logo"), ("due_on", "2027-01-15")];
    app.post_form_with(&staff, "/api/admin/add_milestone", &form).await;
    let form = [
        ("project_id", project.as_str()),
        ("title", "Brand refresh"),
        ("items", "Logo | 1 | 5.000.000"),
        ("schedule", "100"),
    ];
    app.post_form_with(&staff, "/api/admin/save_quote", &form).await;
    let form = [("project_id", project.as_str()), ("id", "1"), ("action", "send")];
    app.post_form_with(&staff, "/api/admin/quote_action", &form).await;
    app.post_form_with(&client, "/api/client/decide_quote", &[("id", "1"), ("decision", "accept")]).await;
    app.post_form_with(
        &staff,
        "/api/admin/invoice_action",
        &[("id", "1"), ("action", "send"), ("due_on", "2099-01-01")],
    )
    .await;
    // A deliverable held until paid, and a message each way.
    let upload = reqwest::multipart::Form::new()
        .text("title", "Logo files")
        .text("milestone_id", "1")
        .text("release_when_paid", "on")
        .part("file", reqwest::multipart::Part::bytes(b"PK".to_vec()).file_name("logo.zip"));
    let path = format!("/admin/projects/{project}/deliverables");
    staff.post(app.url(&path)).header("Origin", &app.address).multipart(upload).send().await.unwrap();
    for (who, path) in [
        (&staff, format!("/admin/projects/{project}/messages")),
        (&client, format!("/client/projects/{project}/messages")),
    ] {
        let form = reqwest::multipart::Form::new().text("body", "Hello **there**");
        who.post(app.url(&path)).header("Origin", &app.address).multipart(form).send().await.unwrap();
    }
    app.drain_jobs().await;
    let number = one(&app, "SELECT number FROM invoices WHERE id = 1").await;
    assert_eq!(one(&app, "SELECT CAST(count(*) AS TEXT) FROM project_messages").await, "2");
    assert_eq!(one(&app, "SELECT CAST(count(*) AS TEXT) FROM deliverable_versions").await, "1");
    // Opening a thread marks its messages read (the first view shows them as new): read them once.
    staff.get(app.url(&format!("/admin/projects/{project}"))).send().await.unwrap();
    client.get(app.url(&format!("/client/projects/{project}"))).send().await.unwrap();
    for (path, title) in [
        ("/client".to_owned(), "Client portal".to_owned()),
        (format!("/client/projects/{project}"), "Brand refresh".to_owned()),
        ("/client/invoices".to_owned(), "Invoices".to_owned()),
        ("/client/invoices/1".to_owned(), format!("Invoice {number}")),
    ] {
        check_page(&app, &client, &path, 200, &title).await;
    }
    check_page(&app, &client, "/client/invoices/2", 404, "Page not found").await;
    check_page(&app, &client, "/client/no-such-page", 404, "Page not found").await;
    check_page(&app, &member, "/client", 403, "No access").await;
    check_page(&app, &member, "/admin", 403, "No access").await;

    let admin: Vec<(String, String)> = vec![
        ("/admin".into(), "Admin".into()),
        ("/admin/products".into(), "Products".into()),
        ("/admin/products/new".into(), "Edit product".into()),
        (format!("/admin/products/{product_id}"), "Edit product".into()),
        ("/admin/posts".into(), "Blog posts".into()),
        ("/admin/posts/new".into(), "New blog post".into()),
        (format!("/admin/posts/{post_id}"), "Edit blog post".into()),
        ("/admin/pages".into(), "Pages".into()),
        ("/admin/portfolio".into(), "Portfolio & case studies".into()),
        ("/admin/demos".into(), "Demos".into()),
        ("/admin/resources".into(), "Resources".into()),
        ("/admin/tools".into(), "Tools".into()),
        ("/admin/uploads".into(), "Uploads".into()),
        ("/admin/waitlist".into(), "Waitlist".into()),
        ("/admin/contacts".into(), "Messages".into()),
        ("/admin/orders".into(), "Orders".into()),
        (format!("/admin/orders/{order}"), format!("Order {order}")),
        ("/admin/jobs".into(), "Jobs".into()),
        ("/admin/audit".into(), "Audit log".into()),
        ("/admin/users".into(), "Users".into()),
        (format!("/admin/users/{mira}"), "Mira Member · Users".into()),
        ("/admin/subscriptions".into(), "Subscriptions".into()),
        ("/admin/coupons".into(), "Coupons".into()),
        ("/admin/settings".into(), "Settings".into()),
        ("/admin/analytics".into(), "Analytics".into()),
        ("/admin/clients".into(), "Clients".into()),
        ("/admin/projects".into(), "Projects".into()),
        (format!("/admin/clients/{company}"), "PT Cleo · Clients".into()),
        (format!("/admin/projects/{project}"), "Brand refresh · Projects".into()),
        ("/admin/invoices".into(), "Invoices".into()),
        ("/admin/webhooks".into(), "Webhooks".into()),
        ("/admin/home".into(), "Home page".into()),
        ("/admin/home?lang=id".into(), "Home page".into()),
        ("/admin/navigation".into(), "Navigation".into()),
        ("/admin/navigation?lang=id".into(), "Navigation".into()),
    ];
    for (path, title) in &admin {
        check_page(&app, &staff, path, 200, title).await;
    }
    check_page(&app, &staff, "/admin/no-such-page", 404, "Page not found").await;

    // A staff member who reads Indonesian has the whole admin in Indonesian: its `lang`,
    // its titles, and none of the English interface's words (#43).
    app.post_form_with(&staff, "/api/dashboard/mail_preferences", &[("language", "id")]).await;
    let not_english = crate::site_languages::foreign_words("id");
    let indonesian = |path: &str| match path {
        "/admin" => "Admin".to_owned(),
        "/admin/products" => "Produk".to_owned(),
        "/admin/products/new" => "Ubah produk".to_owned(),
        "/admin/posts" => "Tulisan blog".to_owned(),
        "/admin/posts/new" => "Tulisan blog baru".to_owned(),
        "/admin/pages" => "Halaman".to_owned(),
        "/admin/portfolio" => "Portofolio & studi kasus".to_owned(),
        "/admin/uploads" => "Unggahan".to_owned(),
        "/admin/waitlist" => "Daftar tunggu".to_owned(),
        "/admin/contacts" => "Pesan".to_owned(),
        "/admin/orders" => "Pesanan".to_owned(),
        "/admin/jobs" => "Tugas".to_owned(),
        "/admin/audit" => "Log audit".to_owned(),
        "/admin/users" => "Pengguna".to_owned(),
        "/admin/subscriptions" => "Langganan".to_owned(),
        "/admin/coupons" => "Kupon".to_owned(),
        "/admin/settings" => "Pengaturan".to_owned(),
        "/admin/analytics" => "Analitik".to_owned(),
        "/admin/clients" => "Klien".to_owned(),
        "/admin/projects" => "Proyek".to_owned(),
        "/admin/invoices" => "Faktur".to_owned(),
        "/admin/webhooks" => "Webhook".to_owned(),
        "/admin/home?lang=id" => "Beranda".to_owned(),
        "/admin/navigation?lang=id" => "Navigasi".to_owned(),
        p if p == format!("/admin/orders/{order}") => format!("Pesanan {order}"),
        p if p == format!("/admin/users/{mira}") => "Mira Member · Pengguna".to_owned(),
        p if p == format!("/admin/clients/{company}") => "PT Cleo · Klien".to_owned(),
        p if p == format!("/admin/projects/{project}") => "Brand refresh · Proyek".to_owned(),
        p if p == format!("/admin/products/{product_id}") => "Ubah produk".to_owned(),
        p if p == format!("/admin/posts/{post_id}") => "Ubah tulisan blog".to_owned(),
        _ => String::new(),
    };
    // The home page and the menus as the (English) studio wrote them are its content: their
    // Indonesian versions' editors are checked instead.
    for (path, _) in admin.iter().filter(|(p, _)| p != "/admin/home" && p != "/admin/navigation") {
        let html = staff.get(app.url(path)).send().await.unwrap().text().await.unwrap().replace("<!>", "");
        assert!(html.contains(r#"<html lang="id">"#), "{path}: {}", &html[..200]);
        let expected = indonesian(path);
        if !expected.is_empty() {
            assert_eq!(crate::site_languages::title(&html), format!("{expected} · Atelier"), "{path}");
        }
        let text = crate::site_languages::without_scripts(&html);
        if path == "/admin/orders" {
            assert!(
                text.contains(" pukul ") && text.contains(" WIB") && !text.contains(" UTC"),
                "times as Indonesian writes them: {text}"
            );
        }
        // The studio's fixed pages are content it wrote (the demo's, in English).
        let text = text.replace(">Privacy policy<", "><");
        let english: Vec<&String> = not_english.iter().filter(|w| text.contains(w.as_str())).collect();
        assert!(english.is_empty(), "{path} shows {english:?} in English");
    }

    assert_eq!(log.errors(), Vec::<String>::new(), "nothing was logged as an error");
}

/// The HTML without its per-request nonces.
fn without_nonces(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(" nonce=\"") {
        out.push_str(&rest[..at]);
        let value = &rest[at + 8..];
        rest = value.find('"').map_or("", |end| &value[end + 1..]);
    }
    out.push_str(rest);
    out
}

/// Public pages are rendered once per role and shared (`server::cache`): rendered
/// fresh for two different people of the same role, each is the same, byte for byte.
#[tokio::test]
async fn public_pages_show_nothing_of_the_person_but_their_role() {
    let log = ErrorLog::capture();
    let people = [
        (Role::Member, "Mira Member", "mira@example.com", "Theo Member", "theo@example.com", "/dashboard", "Dashboard"),
        (
            Role::Client,
            "Cleo Client",
            "cleo@client.example",
            "Carl Client",
            "carl@client.example",
            "/client",
            "Client portal",
        ),
        (Role::Staff, "Sam Staff", "sam@studio.example", "Sue Staff", "sue@studio.example", "/admin", "Admin"),
    ];
    for (role, name_a, email_a, name_b, email_b, area, link) in people {
        // One app per role: sign-ins are rate-limited per address.
        let app = spawn_app().await;
        app.state.db.run(atelier::server::seed::demo).await.expect("demo content");
        let product = one(&app, "SELECT slug FROM products WHERE status = 'active' ORDER BY id LIMIT 1").await;
        let post = one(&app, "SELECT slug FROM entries WHERE kind = 'post' ORDER BY id LIMIT 1").await;
        let waitlist = one(&app, "SELECT slug FROM products WHERE status = 'waitlist' ORDER BY id LIMIT 1").await;
        let pages = [
            "/".to_owned(),
            "/products".into(),
            format!("/products/{product}"),
            "/blog".into(),
            format!("/blog/{post}"),
            "/portfolio".into(),
            "/tools".into(),
            "/waitlist".into(),
            format!("/waitlist/{waitlist}"),
            "/contact".into(),
            "/about".into(),
        ];
        // An unknown query parameter keeps a request out of the page cache: each page is rendered anew.
        let render = |client: &reqwest::Client, path: &str, n: usize| {
            let request = client.get(app.url(&format!("{path}?fresh={n}"))).send();
            async move { without_nonces(&request.await.unwrap().text().await.unwrap()) }
        };
        let a = signed_in(&app, name_a, email_a, role).await;
        let b = signed_in(&app, name_b, email_b, role).await;
        for (n, path) in pages.iter().enumerate() {
            let (html_a, html_b) = (render(&a, path, 2 * n).await, render(&b, path, 2 * n + 1).await);
            assert!(!html_a.contains(name_a) && !html_a.contains(email_a), "{path} shows who is signed in");
            let at = html_a.bytes().zip(html_b.bytes()).take_while(|(x, y)| x == y).count();
            assert_eq!(
                html_a,
                html_b,
                "{path} differs between two people signed in as {role:?}, from: {:?} / {:?}",
                html_a.get(at.saturating_sub(80)..(at + 200).min(html_a.len())),
                html_b.get(at.saturating_sub(80)..(at + 200).min(html_b.len()))
            );
            assert!(
                html_a.contains(&format!(r#"<a href="{area}" class="button small">{link}"#)),
                "{path}: the header leads a {role:?} to {area}"
            );
        }
        if role == Role::Member {
            let visitor = render(&TestApp::new_client(), "/products", 99).await;
            assert!(visitor.contains(r#"<a href="/login" class="button small">Sign in"#));
        }
    }
    assert_eq!(log.errors(), Vec::<String>::new(), "nothing was logged as an error");
}

/// The private areas' header is rendered once and reused with the person's name put
/// in: whoever asks, and however many ask at once, each sees their own name (as text,
/// whatever it contains) and the page they are on marked, never someone else's.
#[tokio::test]
async fn each_person_sees_their_own_name_in_the_area_header_and_their_page_marked() {
    let escape = |name: &str| name.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let log = ErrorLog::capture();
    let app = spawn_app().await;
    let people = [
        ("Ana <b>Pratama</b> & Co", "ana@example.com", Role::Member, "/dashboard"),
        ("Budi Santoso", "budi@example.com", Role::Member, "/dashboard"),
        ("Citra Client", "citra@client.example", Role::Client, "/client"),
        ("Sam Staff", "sam@studio.example", Role::Staff, "/admin"),
    ];
    let mut clients = Vec::new();
    for (name, email, role, _) in people {
        clients.push(signed_in(&app, name, email, role).await);
    }
    let page = |client: &reqwest::Client, name: &'static str, path: String| {
        let request = client.get(app.url(&path)).send();
        async move { (name, path, request.await.unwrap().text().await.unwrap()) }
    };
    for round in 0..3 {
        let requests = people.iter().zip(&clients).flat_map(|((name, _, _, area), client)| {
            let paths = match *area {
                "/dashboard" => vec!["/dashboard", "/dashboard/orders", "/dashboard/profile"],
                "/client" => vec!["/client", "/client/invoices"],
                _ => vec!["/admin", "/admin/orders", "/admin/users"],
            };
            // A member on an admin page gets the admin header with their own name (and a 403).
            let mut paths: Vec<String> = paths.into_iter().map(str::to_owned).collect();
            paths.push("/admin/jobs".into());
            paths.into_iter().map(move |path| page(client, name, path))
        });
        let pages = join_all(requests).await;
        for (name, path, html) in &pages {
            let escaped = escape(name);
            assert_eq!(
                html.matches(r#"<span class="viewer-name muted">"#).count(),
                1,
                "round {round}: {path} names one person"
            );
            assert!(
                html.contains(&format!(r#"<span class="viewer-name muted">{escaped}"#)),
                "round {round}: {path} shows {name} their own name, as text"
            );
            // (Staff see everyone's name in the list of users, not in the header.)
            let header = &html[..html.find("</header>").expect("the area's header")];
            for (other, ..) in people.iter().filter(|(other, ..)| other != name) {
                assert!(!header.contains(&escape(other)), "round {round}: {path} shows {name} {other}'s name");
            }
            assert!(!html.contains("<b>Pratama"), "a name is never markup");
            assert_eq!(html.matches(r#"aria-current="page""#).count(), 1, "round {round}: {path} marks one link");
            assert!(
                html.contains(&format!(r#"<a href="{path}" aria-current="page">"#)),
                "round {round}: {path} marks itself in the menu"
            );
            // The admin's menu is grouped (a <details> each, no script), the current page's group marked.
            if path.starts_with("/admin") {
                let groups: Vec<&str> =
                    header.split("<summary").skip(1).map(|g| &g[g.find('>').unwrap() + 1..]).collect();
                let names: Vec<&str> = groups.iter().map(|g| &g[..g.find('<').unwrap()]).collect();
                assert_eq!(names, ["Content", "Sales", "Clients", "People", "System"], "round {round}: {path}");
                let marked = match path.as_str() {
                    "/admin/orders" => Some("Sales"),
                    "/admin/users" => Some("People"),
                    "/admin/jobs" => Some("System"),
                    _ => None,
                };
                let current: Vec<&str> =
                    header.split(r#"<summary class="current">"#).skip(1).map(|g| &g[..g.find('<').unwrap()]).collect();
                assert_eq!(current, marked.into_iter().collect::<Vec<_>>(), "round {round}: {path}'s group is marked");
            }
        }
    }
    assert_eq!(log.errors(), Vec::<String>::new(), "nothing was logged as an error");
}

/// Kept copies are per role: a visitor's product page asks them to sign in, a
/// member's has the buy forms, whichever was rendered (and kept) first.
#[tokio::test]
async fn signed_in_visitors_get_the_kept_copy_for_their_role() {
    let app = spawn_app().await;
    app.state.db.run(atelier::server::seed::demo).await.expect("demo content");
    let product = one(&app, "SELECT slug FROM products WHERE status = 'active' ORDER BY id LIMIT 1").await;
    let path = format!("/products/{product}");
    let visitor = TestApp::new_client();
    let member = signed_in(&app, "Mira Member", "mira@example.com", Role::Member).await;
    let page = |client: &reqwest::Client| {
        let request = client.get(app.url(&path)).send();
        async move { request.await.unwrap().text().await.unwrap() }
    };
    for _ in 0..3 {
        let (anonymous, signed_in) = (page(&visitor).await, page(&member).await);
        assert!(anonymous.contains("Sign in to buy") && !anonymous.contains(r#"name="gateway""#));
        assert!(signed_in.contains(r#"name="gateway""#) && !signed_in.contains("Sign in to buy"));
    }
    let stale = TestApp::new_client();
    let res = stale.get(app.url(&path)).header("cookie", "atelier_session=not-a-session").send().await.unwrap();
    assert!(res.text().await.unwrap().contains("Sign in to buy"), "a stale cookie gets the anonymous copy");
}

#[tokio::test]
async fn the_page_table_classifies_every_page_for_the_cache_and_the_guard() {
    use atelier::app::pages::{class_of, PAGES};
    use atelier::domain::site_map::PageClass;
    use atelier::domain::Area;
    let app = spawn_app().await;
    assert!(PAGES.len() >= 40);
    for page in PAGES {
        // A concrete address of the page: each `{parameter}` as a slug.
        let path: String =
            page.path.split('/').map(|s| if s.starts_with('{') { "x-1" } else { s }).collect::<Vec<_>>().join("/");
        let path = if path.is_empty() { "/".to_owned() } else { path };
        assert_eq!(class_of(&path), Some(page.class), "{path}");
        let res = TestApp::new_client().get(app.url(&path)).send().await.unwrap();
        let to_sign_in =
            res.headers().get("location").and_then(|l| l.to_str().ok()).is_some_and(|l| l.starts_with("/login?next="));
        match page.class {
            // The guard sends a visitor from every private page to sign in ...
            PageClass::Private(area) => {
                assert_eq!(Area::of_path(&path), Some(area));
                assert!(to_sign_in, "{path}: {}", res.status());
            }
            // ... and from no public one.
            PageClass::Public | PageClass::Personal => assert!(!to_sign_in, "{path}"),
        }
    }
}
