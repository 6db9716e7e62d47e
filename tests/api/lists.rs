//! Staff lists page by keyset (#41): pages never skip or repeat a row while rows
//! arrive between them, a page past the last is empty (not an error), the search finds
//! an order by its id and by part of the buyer's address, and every filter reads
//! through an index.

use crate::helpers::{spawn_app, TestApp};
use atelier::domain::orders::{Gateway, OrderStatus};
use atelier::domain::pagination::{Cursor, PageAt};
use atelier::server::db::orders::{staff_page_query, StaffFilter};
use serde_json::Value;

fn db(app: &TestApp) -> rusqlite::Connection {
    rusqlite::Connection::open(&app.db_path).unwrap()
}

/// A buyer made straight in the database (no password needed here).
fn buyer(app: &TestApp, email: &str) -> i64 {
    db(app)
        .query_row(
            "INSERT INTO users (name, email, password_hash, role, email_verified_at, created_at, updated_at)
             VALUES ('Buyer', ?1, '!unusable', 'member', 1, 1, 1) RETURNING id",
            [email],
            |r| r.get(0),
        )
        .unwrap()
}

fn order(app: &TestApp, public_id: &str, user: i64, product: i64, status: &str, at: i64) {
    db(app)
        .execute(
            "INSERT INTO orders (public_id, user_id, product_id, product_name, amount, currency, gateway, status,
                                 created_at, updated_at)
             VALUES (?1, ?2, ?3, 'Launch Kit', 150000, 'IDR', 'sandbox', ?4, ?5, ?5)",
            rusqlite::params![public_id, user, product, status, at],
        )
        .unwrap();
}

async fn page(app: &TestApp, staff: &reqwest::Client, form: &[(&str, &str)]) -> Value {
    let res = app.post_api(staff, "/api/admin/orders", form).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn ids(page: &Value) -> Vec<String> {
    page["rows"].as_array().unwrap().iter().map(|o| o["public_id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn staff_page_through_orders_without_skips_or_repeats_while_orders_arrive() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let product = app.product_on_sale("launch-kit", "Launch Kit", "digital", "web_access", "150000").await;
    let (ana, budi) = (buyer(&app, "ana@alpha.example"), buyer(&app, "budi@beta.example"));
    // 130 orders, two at each minute (ties on the time are told apart by id).
    let mut expected = Vec::new();
    for i in 0..130 {
        let id = format!("ATL-20260101-{i:06}");
        order(
            &app,
            &id,
            if i % 2 == 0 { ana } else { budi },
            product,
            if i % 3 == 0 { "paid" } else { "pending" },
            1_000 + i / 2 * 60,
        );
        expected.push(id);
    }
    expected.reverse();

    // Older, page by page; a new order arrives between every two pages.
    let (mut seen, mut before, mut pages) = (Vec::new(), String::new(), 0);
    loop {
        let p = page(&app, &staff, &[("before", &before)]).await;
        pages += 1;
        seen.extend(ids(&p));
        order(&app, &format!("ATL-20270101-{pages:06}"), ana, product, "pending", 9_000_000 + pages);
        match p["older"].as_str() {
            Some(cursor) => before = cursor.to_owned(),
            None => break,
        }
    }
    assert_eq!(pages, 3, "50 + 50 + 30");
    assert_eq!(seen, expected, "every order once, newest first, none skipped or repeated");

    // From the last page, "Newer" leads back to the page before it.
    let last = page(&app, &staff, &[("before", &before)]).await;
    let back = page(&app, &staff, &[("after", last["newer"].as_str().unwrap())]).await;
    assert_eq!(ids(&back), expected[50..100].to_vec());
    assert_eq!(back["older"].as_str(), Some(before.as_str()));

    // Past the last page: an empty page, not an error; the HTML page says so too.
    let beyond = page(&app, &staff, &[("before", "1-1")]).await;
    assert!(ids(&beyond).is_empty());
    let html = staff.get(app.url("/admin/orders?before=1-1")).send().await.unwrap();
    assert_eq!(html.status(), 200);
    assert!(html.text().await.unwrap().contains("No orders match."));
    let res = app.post_api(&staff, "/api/admin/orders", &[("before", "not-a-cursor")]).await;
    assert_eq!(res.status(), 400, "a mangled link is explained");

    // The HTML page links its neighbours, keeping the filters.
    let html = staff.get(app.url("/admin/orders?status=pending")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Older →") && html.contains("/admin/orders?status=pending&amp;before="), "{html}");

    // The search: an order by its id (whole or its start), orders by part of the buyer's address.
    let found = page(&app, &staff, &[("q", "atl-20260101-000042")]).await;
    assert_eq!(ids(&found), ["ATL-20260101-000042"]);
    let found = page(&app, &staff, &[("q", "ATL-2027")]).await;
    assert_eq!(ids(&found).len(), 3, "the orders that arrived while paging");
    let found = page(&app, &staff, &[("q", "@beta.exa"), ("status", "pending")]).await;
    assert!(!ids(&found).is_empty());
    let budis: Vec<String> =
        (0..130).filter(|i| i % 2 == 1 && i % 3 != 0).rev().map(|i| format!("ATL-20260101-{i:06}")).collect();
    assert_eq!(ids(&found), budis, "only Budi's pending orders");
    let none = page(&app, &staff, &[("q", "100%_sure")]).await;
    assert!(ids(&none).is_empty(), "typed wildcards match literally");
}

/// A client made straight in the database; its id.
fn insert_client(conn: &rusqlite::Connection, name: &str) -> i64 {
    conn.query_row("INSERT INTO clients (name, created_at, updated_at) VALUES (?1, 0, 0) RETURNING id", [name], |r| {
        r.get(0)
    })
    .unwrap()
}

/// The query plan's lines of `sql` with `args`.
fn explain<P: rusqlite::Params>(conn: &rusqlite::Connection, sql: &str, args: P) -> Vec<String> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    stmt.query_map(args, |r| r.get::<_, String>(3)).unwrap().map(Result::unwrap).collect()
}

/// The query plan's lines for a page of the order list.
fn plan(conn: &rusqlite::Connection, filter: &StaffFilter, at: PageAt) -> Vec<String> {
    // A narrow search, as its few matching buyers (the broad one is the LIKE below).
    let (sql, args) = staff_page_query(filter, at, Some(&[7, 8, 9]));
    explain(conn, &sql, rusqlite::params_from_iter(args))
}

#[tokio::test]
async fn every_filter_of_the_order_list_reads_through_an_index() {
    let app = spawn_app().await;
    let conn = db(&app);
    let cursor = Cursor { at: 1_800_000_000, id: 500 };
    let filters = [
        StaffFilter::default(),
        StaffFilter { status: Some(OrderStatus::Paid), ..StaffFilter::default() },
        StaffFilter { gateway: Some(Gateway::Midtrans), ..StaffFilter::default() },
        StaffFilter { status: Some(OrderStatus::Paid), gateway: Some(Gateway::Paypal), ..StaffFilter::default() },
        StaffFilter { from: Some(1_700_000_000), until: Some(1_800_000_000), ..StaffFilter::default() },
        StaffFilter { search: "ATL-20261207".into(), ..StaffFilter::default() },
        StaffFilter { search: "ana@alpha".into(), status: Some(OrderStatus::Paid), ..StaffFilter::default() },
    ];
    for filter in &filters {
        for at in [PageAt::First, PageAt::Before(cursor), PageAt::After(cursor)] {
            let lines = plan(&conn, filter, at);
            for line in &lines {
                assert!(
                    !(line == "SCAN o" || line.starts_with("SCAN o ") && !line.contains("USING")),
                    "{filter:?} {at:?}: a full scan of orders: {lines:?}"
                );
                // A search's few matches may be sorted; a filter's pages never are.
                if filter.search.is_empty() {
                    assert!(!line.contains("TEMP B-TREE"), "{filter:?} {at:?}: sorted after reading: {lines:?}");
                }
            }
        }
    }
}

#[tokio::test]
async fn staff_page_and_search_the_posts_and_a_member_pages_their_own_orders() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let conn = db(&app);
    // 70 posts: drafts (by their last change) and published ones (by publication) in one order.
    for i in 0..70 {
        let (status, publish_at) = if i % 4 == 0 { ("draft", None) } else { ("published", Some(10_000 + i * 100)) };
        conn.execute(
            "INSERT INTO entries (kind, slug, title, status, publish_at, created_at, updated_at)
             VALUES ('post', ?1, ?2, ?3, ?4, 1, ?5)",
            rusqlite::params![format!("post-{i}"), format!("Note number {i:03}"), status, publish_at, 10_000 + i * 100],
        )
        .unwrap();
    }
    let entries = |form: &'static [(&'static str, &'static str)]| {
        let staff = staff.clone();
        let app = &app;
        async move {
            let mut form = form.to_vec();
            form.push(("kind", "post"));
            let page: Value = app.post_api(&staff, "/api/admin/entries", &form).await.json().await.unwrap();
            page
        }
    };
    let first = entries(&[]).await;
    let titles = |p: &Value| -> Vec<String> {
        p["rows"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(titles(&first).len(), 50);
    assert_eq!(titles(&first)[0], "Note number 069");
    let cursor = first["older"].as_str().unwrap().to_owned();
    let second: Value = app
        .post_api(&staff, "/api/admin/entries", &[("kind", "post"), ("before", &cursor)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(titles(&second).len(), 20);
    assert_eq!(titles(&second).last().unwrap(), "Note number 000");
    assert!(second["older"].is_null());
    let found = entries(&[("q", "number 04")]).await;
    assert_eq!(titles(&found).len(), 10, "{found}");
    let html = staff.get(app.url("/admin/posts?q=number%2004")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Note number 049") && !html.contains("Note number 050"));

    // A member with 55 orders pages through their own, and sees nobody else's.
    let product = app.product_on_sale("launch-kit", "Launch Kit", "digital", "web_access", "150000").await;
    app.verified_member("Mira", "mira@example.com", "a member's long passphrase").await;
    let mira: i64 = conn.query_row("SELECT id FROM users WHERE email = 'mira@example.com'", [], |r| r.get(0)).unwrap();
    let other = buyer(&app, "other@example.com");
    for i in 0..55 {
        order(&app, &format!("ATL-20260301-{i:06}"), mira, product, "paid", 5_000 + i);
        order(&app, &format!("ATL-20260302-{i:06}"), other, product, "paid", 5_000 + i);
    }
    let member = TestApp::new_client();
    app.login_with(&member, "mira@example.com", "a member's long passphrase").await;
    let mine: Value = app.post_api(&member, "/api/dashboard/orders", &[]).await.json().await.unwrap();
    assert_eq!(ids(&mine).len(), 50);
    assert!(ids(&mine).iter().all(|id| id.starts_with("ATL-20260301-")), "only Mira's");
    let rest: Value = app
        .post_api(&member, "/api/dashboard/orders", &[("before", mine["older"].as_str().unwrap())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&rest), (0..5).rev().map(|i| format!("ATL-20260301-{i:06}")).collect::<Vec<_>>());
    let page = member.get(app.url("/dashboard/orders")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Older →"));
}

#[tokio::test]
async fn the_post_list_and_the_subscription_list_read_through_their_indexes() {
    let app = spawn_app().await;
    let conn = db(&app);
    for sql in [
        "SELECT id FROM entries e WHERE e.kind = 'post' AND (coalesce(e.publish_at, e.updated_at), e.id) < (5, 5)
         ORDER BY coalesce(e.publish_at, e.updated_at) DESC, e.id DESC LIMIT 51",
        "SELECT id FROM subscriptions s WHERE (s.current_period_end, s.id) > (5, 5)
         ORDER BY s.current_period_end ASC, s.id ASC LIMIT 51",
        "SELECT id FROM subscriptions s WHERE s.status = 'active' ORDER BY s.current_period_end ASC, s.id ASC LIMIT 51",
        "SELECT id FROM subscriptions s WHERE s.product_id = 3 ORDER BY s.current_period_end ASC, s.id ASC LIMIT 51",
        "SELECT id FROM orders o WHERE o.user_id = 3 AND (o.created_at, o.id) < (5, 5)
         ORDER BY o.created_at DESC, o.id DESC LIMIT 51",
        "SELECT id FROM users u WHERE u.role = 'member' ORDER BY u.created_at DESC, u.id DESC LIMIT 51",
    ] {
        let lines = explain(&conn, sql, []);
        assert!(lines.iter().all(|l| l.starts_with("SEARCH") || l.contains("USING")), "{sql}: {lines:?}");
        assert!(lines.iter().all(|l| !l.contains("TEMP B-TREE")), "{sql}: {lines:?}");
    }
}

#[tokio::test]
async fn the_jobs_page_never_reads_the_finished_jobs() {
    let app = spawn_app().await;
    let conn = db(&app);
    let lines = explain(&conn, atelier::server::db::deliveries::OPEN_JOBS_SQL, []);
    assert!(lines.iter().any(|l| l.starts_with("SEARCH jobs USING")), "{lines:?}");
    assert!(!lines.iter().any(|l| l == "SCAN jobs"), "{lines:?}");
}

#[tokio::test]
async fn the_overview_opens_on_what_needs_attention_and_the_takings() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let page = staff.get(app.url("/admin")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Nothing waits for you."), "a new studio");

    let product = app.product_on_sale("launch-kit", "Launch Kit", "digital", "web_access", "150000").await;
    let ana = buyer(&app, "ana@alpha.example");
    let now = atelier::server::db::now();
    for (i, status) in ["pending", "pending", "paid", "paid"].iter().enumerate() {
        order(&app, &format!("ATL-20261207-00000{i}"), ana, product, status, now);
    }
    let conn = db(&app);
    conn.execute("UPDATE orders SET paid_at = created_at WHERE status = 'paid'", []).unwrap();
    // One paid yesterday, in dollars.
    conn.execute(
        "INSERT INTO orders (public_id, user_id, product_id, product_name, amount, currency, gateway, status,
                             created_at, updated_at, paid_at)
         VALUES ('ATL-20261206-000009', ?1, ?2, 'Launch Kit', 999, 'USD', 'paypal', 'paid', ?3, ?3, ?3)",
        rusqlite::params![ana, product, now - 86_400],
    )
    .unwrap();
    // And one paid in the middle of last month (Jakarta), read from the monthly rollup.
    {
        use atelier::domain::time::{jakarta_day, jakarta_day_start, jakarta_month_start};
        let last_month = jakarta_month_start(jakarta_month_start(jakarta_day(now)) - 1);
        conn.execute(
            "INSERT INTO orders (public_id, user_id, product_id, product_name, amount, currency, gateway, status,
                                 created_at, updated_at, paid_at)
             VALUES ('ATL-20261106-000008', ?1, ?2, 'Launch Kit', 275000, 'IDR', 'sandbox', 'paid', ?3, ?3, ?3)",
            rusqlite::params![ana, product, jakarta_day_start(last_month + 14) + 3600],
        )
        .unwrap();
    }
    conn.execute(
        "INSERT INTO jobs (kind, payload, status, attempts, max_attempts, run_at, created_at, updated_at)
         VALUES ('send_email', 'null', 'dead', 5, 5, 0, 0, 0)",
        [],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO waitlist_entries (product_id, email, name, created_at) VALUES (?1, 'w@example.com', 'W', ?2)",
        rusqlite::params![product, now],
    )
    .unwrap();

    // Two messages from a client's person and one from the studio, on a project.
    conn.execute("INSERT INTO clients (name, created_at, updated_at) VALUES ('Acme', 0, 0)", []).unwrap();
    conn.execute(
        "INSERT INTO projects (client_id, name, status, created_at, updated_at) SELECT id, 'Shop', 'active', 0, 0 FROM clients",
        [],
    )
    .unwrap();
    let project: i64 = conn.query_row("SELECT id FROM projects", [], |r| r.get(0)).unwrap();
    // One invoice overdue, one sent and not yet due.
    for (seq, status) in [(1, "overdue"), (2, "sent")] {
        conn.execute(
            "INSERT INTO invoices (project_id, number, year, seq, title, total_idr, due_on, status, sent_at, created_at, updated_at)
             VALUES (?1, ?2, 2026, ?3, 'Design', 1000000, ?4, ?5, ?4, ?4, ?4)",
            rusqlite::params![project, format!("INV-2026-000{seq}"), seq, now, status],
        )
        .unwrap();
    }
    for (author, from_staff) in [(ana, 0), (ana, 0), (ana, 1)] {
        conn.execute(
            "INSERT INTO project_messages (project_id, author_id, from_staff, body_md, body_html, created_at)
             VALUES (?1, ?2, ?3, 'Hi', '<p>Hi</p>', 0)",
            rusqlite::params![project, author, from_staff],
        )
        .unwrap();
    }

    let page = staff.get(app.url("/admin")).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    for (figure, href) in [
        ("<strong>2</strong> client messages you have not read", "/admin/projects"),
        ("<strong>2</strong> orders waiting for payment", "/admin/orders?status=pending"),
        ("<strong>1</strong> dead jobs", "/admin/jobs"),
        ("<strong>1</strong> waitlist sign-ups in the last 7 days", "/admin/waitlist"),
        ("<strong>1</strong> invoices overdue", "/admin/invoices"),
    ] {
        assert!(page.contains(figure), "{figure}: {page}");
        assert!(page.contains(&format!("href=\"{href}\"")), "{href}");
    }
    assert!(!page.contains("deliveries failed"), "a figure of nothing is left out");
    let today = page.split("<td>Today</td>").nth(1).unwrap();
    assert!(today.starts_with("<td class=\"num\">2</td><td class=\"num\">Rp 300.000</td>"), "{today}");
    let yesterday = page.split("<td>Yesterday</td>").nth(1).unwrap();
    assert!(yesterday.contains("US$ 9.99"), "{yesterday}");
    let last_month = page.split("<td>Last month</td>").nth(1).unwrap();
    assert!(last_month.starts_with("<td class=\"num\">1</td><td class=\"num\">Rp 275.000</td>"), "{last_month}");
    // The figures read rollups and indexes, never every order, invoice or message.
    let unread = explain(&conn, atelier::server::db::overview::UNREAD_SQL, rusqlite::params![1, 100]);
    assert!(
        unread.iter().any(|l| l.contains("project_messages_side (project_id=? AND from_staff=? AND id>?)")),
        "{unread:?}"
    );
    assert!(!unread.iter().any(|l| l.starts_with("SCAN m")), "{unread:?}");
    // Once the staff member has opened the project, its messages are read.
    staff.get(app.url(&format!("/admin/projects/{project}"))).send().await.unwrap().text().await.unwrap();
    let page = staff.get(app.url("/admin")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("client messages you have not read"), "read now");
    // A flood is counted up to 100, then said to be more.
    for _ in 0..120 {
        conn.execute(
            "INSERT INTO project_messages (project_id, author_id, from_staff, body_md, body_html, created_at)
             VALUES (?1, ?2, 0, 'Hi', '<p>Hi</p>', 0)",
            rusqlite::params![project, ana],
        )
        .unwrap();
    }
    let page = staff.get(app.url("/admin")).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(page.contains("<strong>100</strong> or more client messages you have not read"), "{page}");
}

#[tokio::test]
async fn the_inbox_pages_each_tab_by_its_own_index() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let conn = db(&app);
    for i in 0..60 {
        conn.execute(
            "INSERT INTO contact_messages (name, email, subject, message, created_at, handled_at)
             VALUES ('N', 'n@example.com', ?1, 'Hello', ?2, ?3)",
            rusqlite::params![format!("Question {i:02}"), 1_000 + i, (i % 10 == 0).then_some(5_000)],
        )
        .unwrap();
    }
    let inbox = |form: Vec<(&'static str, String)>| {
        let staff = staff.clone();
        let app = &app;
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let page: Value = app.post_api(&staff, "/api/admin/contacts", &form).await.json().await.unwrap();
            page
        }
    };
    let open = inbox(vec![]).await;
    assert_eq!(open["rows"].as_array().unwrap().len(), 50, "54 to handle: a full page first");
    assert_eq!(open["rows"][0]["subject"], "Question 59");
    let rest = inbox(vec![("before", open["older"].as_str().unwrap().to_owned())]).await;
    assert_eq!(rest["rows"].as_array().unwrap().len(), 4);
    assert!(rest["older"].is_null());
    let done = inbox(vec![("handled", "true".into())]).await;
    assert_eq!(done["rows"].as_array().unwrap().len(), 6);
    let html = staff.get(app.url("/admin/contacts")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Older →"));
    for tab in ["handled_at IS NULL", "handled_at IS NOT NULL"] {
        let sql =
            format!("SELECT id FROM contact_messages c WHERE c.{tab} ORDER BY c.created_at DESC, c.id DESC LIMIT 51");
        let lines = explain(&conn, &sql, []);
        assert!(lines.iter().all(|l| l.contains("USING") && !l.contains("TEMP B-TREE")), "{tab}: {lines:?}");
    }
}

#[tokio::test]
async fn the_audit_log_has_its_own_paged_page_and_the_overview_links_it() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let conn = db(&app);
    for i in 0..70 {
        conn.execute(
            "INSERT INTO audit_log (actor_id, action, subject, detail, created_at) VALUES (NULL, 'test.step', ?1, '', ?2)",
            rusqlite::params![format!("step {i:02}"), 1_000 + i],
        )
        .unwrap();
    }
    let total: i64 = conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    let overview = staff.get(app.url("/admin")).send().await.unwrap().text().await.unwrap();
    assert!(overview.contains("href=\"/admin/audit\""));
    assert_eq!(overview.matches("test.step").count(), 10, "the overview shows the last ten");
    let first: Value = app.post_api(&staff, "/api/admin/audit", &[]).await.json().await.unwrap();
    assert_eq!(first["rows"].as_array().unwrap().len(), 50);
    assert_eq!(first["rows"][0]["subject"], "step 69");
    let second: Value = app
        .post_api(&staff, "/api/admin/audit", &[("before", first["older"].as_str().unwrap())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["rows"].as_array().unwrap().len() as i64, total - 50);
    assert!(second["older"].is_null());
    let page = staff.get(app.url("/admin/audit")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap().replace("<!>", "");
    assert!(page.contains("<h1>Audit log</h1>") && page.contains("Older →"), "{page}");
}

#[tokio::test]
async fn staff_page_the_projects_with_their_milestones_and_unread_messages() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let conn = db(&app);
    conn.execute("INSERT INTO clients (name, created_at, updated_at) VALUES ('Acme', 0, 0)", []).unwrap();
    for i in 0..55 {
        conn.execute(
            "INSERT INTO projects (client_id, name, status, created_at, updated_at)
             SELECT id, ?1, 'active', ?2, ?2 FROM clients",
            rusqlite::params![format!("Project {i:02}"), 1_000 + i],
        )
        .unwrap();
    }
    // The newest project has two milestones and a message from the client's side.
    let newest: i64 = conn.query_row("SELECT id FROM projects WHERE name = 'Project 54'", [], |r| r.get(0)).unwrap();
    for title in ["Design", "Build"] {
        conn.execute(
            "INSERT INTO milestones (project_id, title, status, created_at) VALUES (?1, ?2, 'planned', 0)",
            rusqlite::params![newest, title],
        )
        .unwrap();
    }
    let someone = buyer(&app, "client@acme.example");
    conn.execute(
        "INSERT INTO project_messages (project_id, author_id, from_staff, body_md, body_html, created_at)
         VALUES (?1, ?2, 0, 'Hi', '<p>Hi</p>', 0)",
        rusqlite::params![newest, someone],
    )
    .unwrap();
    let first: Value = app.post_api(&staff, "/api/admin/projects", &[]).await.json().await.unwrap();
    let rows = first["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 50);
    assert_eq!(rows[0]["name"], "Project 54");
    assert_eq!(rows[0]["milestones"].as_array().unwrap().len(), 2, "the list shows each project's milestones");
    assert_eq!(rows[0]["unread"], 1);
    let rest: Value = app
        .post_api(&staff, "/api/admin/projects", &[("before", first["older"].as_str().unwrap())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["rows"].as_array().unwrap().len(), 5);
    let html = staff.get(app.url("/admin/projects")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Older →") && html.contains("1 new message"), "{html}");
    // The page lists no clients (however many there are): a project starts from its client's page.
    assert!(!html.contains("p-client") && html.contains("starts from its client"), "{html}");
    let client: i64 = conn.query_row("SELECT min(id) FROM clients", [], |r| r.get(0)).unwrap();
    let page = staff.get(app.url(&format!("/admin/clients/{client}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Create project") && page.contains(r#"name="client_id" value=""#), "{page}");
}

#[tokio::test]
async fn staff_page_and_search_the_clients_through_their_index() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let conn = db(&app);
    for i in 0..55 {
        let name = if i == 7 { "Kopi 100% Nusantara".to_owned() } else { format!("Client {i:02}") };
        conn.execute(
            "INSERT INTO clients (name, created_at, updated_at) VALUES (?1, ?2, ?2)",
            rusqlite::params![name, 1_000 + i],
        )
        .unwrap();
    }
    let first: Value = app.post_api(&staff, "/api/admin/clients", &[]).await.json().await.unwrap();
    let rows = first["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 50, "50 a page");
    assert_eq!(rows[0]["name"], "Client 54", "newest first");
    let older = first["older"].as_str().unwrap();
    // A client arriving meanwhile moves nothing on the next page.
    conn.execute("INSERT INTO clients (name, created_at, updated_at) VALUES ('Late', 5000, 5000)", []).unwrap();
    let rest: Value = app.post_api(&staff, "/api/admin/clients", &[("before", older)]).await.json().await.unwrap();
    let names: Vec<&str> = rest["rows"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Client 04", "Client 03", "Client 02", "Client 01", "Client 00"]);
    assert!(rest["older"].is_null(), "the last page links no older one");
    let oldest: i64 = conn.query_row("SELECT min(id) FROM clients", [], |r| r.get(0)).unwrap();
    let past: Value = app
        .post_api(&staff, "/api/admin/clients", &[("before", &format!("1000-{oldest}"))])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(past["rows"].as_array().unwrap().len(), 0, "a page past the last is empty, not an error");
    // The search matches part of a name in any case, and a % matches itself.
    let found: Value = app.post_api(&staff, "/api/admin/clients", &[("q", "100% nus")]).await.json().await.unwrap();
    let names: Vec<&str> = found["rows"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Kopi 100% Nusantara"]);
    let html = staff.get(app.url("/admin/clients?q=zzz")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("No client&#x27;s name matches.") || html.contains("No client's name matches."), "{html}");
    let html = staff.get(app.url("/admin/clients")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Older →") && html.contains("Late"), "the page shows the newest and a way to older ones");
    let plan = explain(
        &conn,
        "SELECT c.id FROM clients c WHERE 1 AND (c.created_at, c.id) < (?1, ?2)
             ORDER BY c.created_at DESC, c.id DESC LIMIT 51",
        [5000, 1],
    );
    assert!(plan.iter().any(|p| p.contains("clients_recent")), "{plan:?}");
    assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "no sort: {plan:?}");
}

#[tokio::test]
async fn staff_page_the_coupons_they_made_without_the_per_address_codes() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let conn = db(&app);
    for i in 0..55 {
        conn.execute(
            "INSERT INTO coupons (code, kind, value, created_at) VALUES (?1, 'percent', 10, ?2)",
            rusqlite::params![format!("CODE{i:02}"), 1_000 + i],
        )
        .unwrap();
    }
    // Early-bird codes, one per address, are the waitlist's business: never listed here.
    for i in 0..3 {
        conn.execute(
            "INSERT INTO coupons (code, kind, value, created_at, email) VALUES (?1, 'percent', 20, 9000, ?2)",
            rusqlite::params![format!("EARLY{i}"), format!("w{i}@example.com")],
        )
        .unwrap();
    }
    let first: Value = app.post_api(&staff, "/api/admin/coupons", &[]).await.json().await.unwrap();
    let rows = first["coupons"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 50);
    assert_eq!(rows[0]["code"], "CODE54", "newest first, the per-address codes left out");
    let rest: Value = app
        .post_api(&staff, "/api/admin/coupons", &[("before", first["coupons"]["older"].as_str().unwrap())])
        .await
        .json()
        .await
        .unwrap();
    let codes: Vec<&str> =
        rest["coupons"]["rows"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["CODE04", "CODE03", "CODE02", "CODE01", "CODE00"]);
    let html = staff.get(app.url("/admin/coupons")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Older →") && !html.contains("EARLY0"), "{html}");
    let plan = explain(
        &conn,
        "SELECT c.id FROM coupons c LEFT JOIN products p ON p.id = c.product_id
             WHERE c.email IS NULL AND (c.created_at, c.id) < (?1, ?2) ORDER BY c.created_at DESC, c.id DESC LIMIT 51",
        [5000, 1],
    );
    assert!(plan.iter().any(|p| p.contains("coupons_staff_recent")), "{plan:?}");
    assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "no sort: {plan:?}");
}

#[tokio::test]
async fn a_member_pages_their_downloads_and_keys_newest_purchase_first() {
    let app = spawn_app().await;
    let kit = app.product_on_sale("kit", "Kit", "digital", "web_access", "150000").await;
    let (ana, _) = app.member_buys("ana@example.com", "kit").await;
    let (bob, _) = app.member_buys("bob@example.com", "kit").await;
    let conn = db(&app);
    let ana_id: i64 = conn.query_row("SELECT id FROM users WHERE email = 'ana@example.com'", [], |r| r.get(0)).unwrap();
    for i in 0..54 {
        conn.execute(
            "INSERT INTO orders (public_id, user_id, product_id, product_name, amount, currency, gateway, status,
                                 created_at, updated_at, paid_at)
             VALUES (?1, ?2, ?3, ?4, 150000, 'IDR', 'sandbox', 'paid', 1000, 1000, ?5)",
            rusqlite::params![format!("ATL-OLD{i:02}"), ana_id, kit, format!("Old kit {i:02}"), 1_000 + i],
        )
        .unwrap();
    }
    let first: Value = app.post_api(&ana, "/api/dashboard/downloads", &[]).await.json().await.unwrap();
    let rows = first["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 50);
    assert_eq!(rows[0]["product_name"], "Kit", "the purchase made just now comes first");
    assert_eq!(rows[1]["product_name"], "Old kit 53");
    let rest: Value = app
        .post_api(&ana, "/api/dashboard/downloads", &[("before", first["older"].as_str().unwrap())])
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> =
        rest["rows"].as_array().unwrap().iter().map(|r| r["product_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Old kit 04", "Old kit 03", "Old kit 02", "Old kit 01", "Old kit 00"]);
    assert!(rest["older"].is_null());
    let page = ana.get(app.url("/dashboard/downloads")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Older →") && !page.contains("Old kit 04"), "50 cards, then a link");
    // Bob sees his one purchase, none of Ana's.
    let bobs: Value = app.post_api(&bob, "/api/dashboard/downloads", &[]).await.json().await.unwrap();
    assert_eq!(bobs["rows"].as_array().unwrap().len(), 1);
    let plan = explain(
        &conn,
        "SELECT o.id FROM orders o WHERE o.user_id = ?1 AND o.status = 'paid'
             AND (o.paid_at, o.id) < (?2, ?3) ORDER BY o.paid_at DESC, o.id DESC LIMIT 51",
        [ana_id, 5000, 1],
    );
    assert!(plan.iter().any(|p| p.contains("orders_user_paid")), "{plan:?}");
}

#[tokio::test]
async fn a_client_pages_their_invoices_and_the_overview_lists_the_open_ones() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let conn = db(&app);
    let client = insert_client(&conn, "Acme");
    let other = insert_client(&conn, "Other");
    for (owner, name) in [(client, "Shop"), (other, "Else")] {
        conn.execute(
            "INSERT INTO projects (client_id, name, status, created_at, updated_at) VALUES (?1, ?2, 'active', 0, 0)",
            rusqlite::params![owner, name],
        )
        .unwrap();
    }
    let project = |owner: i64| -> i64 {
        conn.query_row("SELECT id FROM projects WHERE client_id = ?1", [owner], |r| r.get(0)).unwrap()
    };
    // 54 paid invoices, one still open, a draft (never shown to clients), and another client's.
    for i in 0..54 {
        conn.execute(
            "INSERT INTO invoices (project_id, number, title, total_idr, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, 100000, 'paid', 0, 0)",
            rusqlite::params![project(client), format!("INV-2026-{i:04}"), format!("Invoice {i:02}")],
        )
        .unwrap();
    }
    for (owner, title, number) in
        [(client, "Open one", Some("INV-2026-0100")), (client, "Draft", None), (other, "Theirs", Some("INV-2026-0101"))]
    {
        let status = if number.is_some() { "sent" } else { "draft" };
        conn.execute(
            "INSERT INTO invoices (project_id, number, title, total_idr, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, 100000, ?4, 0, 0)",
            rusqlite::params![project(owner), number, title, status],
        )
        .unwrap();
    }
    let person = crate::projects::client_person(&app, &staff, client, "rina@acme.example").await;
    let first: Value = app.post_api(&person, "/api/client/invoices", &[]).await.json().await.unwrap();
    let titles = |v: &Value| -> Vec<String> {
        v["rows"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap().to_owned()).collect()
    };
    let page = titles(&first);
    assert_eq!(page.len(), 50);
    assert_eq!(page[0], "Open one", "newest first");
    assert!(!page.iter().any(|t| t == "Draft" || t == "Theirs"), "no draft, nobody else's: {page:?}");
    let rest: Value = app
        .post_api(&person, "/api/client/invoices", &[("before", first["older"].as_str().unwrap())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(titles(&rest), ["Invoice 04", "Invoice 03", "Invoice 02", "Invoice 01", "Invoice 00"]);
    let open: Value = app.post_api(&person, "/api/client/invoices", &[("open", "true")]).await.json().await.unwrap();
    assert_eq!(titles(&open), ["Open one"]);
    let overview = person.get(app.url("/client")).send().await.unwrap().text().await.unwrap();
    assert!(overview.contains("Invoices to pay") && overview.contains("Open one"), "{overview}");
    let list = person.get(app.url("/client/invoices")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains("Older →"), "50 a page, then a link");
    // Through the client's projects, not the studio's open invoices.
    for open in ["", " AND +i.status IN ('sent', 'overdue')"] {
        let plan = explain(
            &conn,
            &format!(
                "SELECT i.id FROM invoices i JOIN projects p ON p.id = i.project_id
                 WHERE i.project_id IN (SELECT id FROM projects WHERE client_id = ?1) AND +i.status <> 'draft'{open}
                 ORDER BY i.id DESC LIMIT 51"
            ),
            [client],
        );
        assert!(plan.iter().any(|p| p.contains("invoices_project")), "{plan:?}");
    }
}

#[tokio::test]
async fn a_project_thread_pages_by_fifty_without_skips_or_repeats_while_messages_arrive() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let conn = db(&app);
    let client = insert_client(&conn, "Acme");
    let project: i64 = conn
        .query_row(
            "INSERT INTO projects (client_id, name, status, created_at, updated_at) VALUES (?1, 'Shop', 'active', 0, 0)
             RETURNING id",
            [client],
            |r| r.get(0),
        )
        .unwrap();
    let person = crate::projects::client_person(&app, &staff, client, "rina@acme.example").await;
    let staff_id: i64 = conn.query_row("SELECT id FROM users WHERE role = 'staff'", [], |r| r.get(0)).unwrap();
    let post = |n: usize| {
        conn.execute(
            "INSERT INTO project_messages (project_id, author_id, from_staff, body_md, body_html, created_at)
             VALUES (?1, ?2, 1, ?3, ?4, ?5)",
            rusqlite::params![project, staff_id, format!("Note {n:03}"), format!("<p>Note {n:03}</p>"), n as i64],
        )
        .unwrap();
    };
    for n in 0..120 {
        post(n);
    }
    let read = |v: &Value| -> Vec<String> {
        v["thread"]["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["body_html"].as_str().unwrap().to_owned())
            .collect()
    };
    let form = |before: Option<i64>| {
        before
            .map(|b| vec![("project_id", project.to_string()), ("before", b.to_string())])
            .unwrap_or_else(|| vec![("project_id", project.to_string())])
    };
    let ask = |who: &reqwest::Client, path: &'static str, before: Option<i64>| {
        let form = form(before);
        let (app, who) = (&app, who.clone());
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app.post_api(&who, path, &pairs).await;
            assert_eq!(res.status(), 200);
            res.json::<Value>().await.unwrap()
        }
    };
    // The newest 50, oldest first, and a way to the older ones.
    let newest = ask(&person, "/api/client/billing", None).await;
    let shown = read(&newest);
    assert_eq!(shown.len(), 50);
    assert_eq!((shown[0].as_str(), shown[49].as_str()), ("<p>Note 070</p>", "<p>Note 119</p>"));
    assert!(newest["thread"]["newer"].is_null(), "the newest page has no newer one");
    // Walking back while staff keep writing neither skips nor repeats a message.
    let mut seen = shown.clone();
    let mut before = newest["thread"]["older"].as_i64();
    let mut n = 120;
    while let Some(cursor) = before {
        post(n);
        n += 1;
        let page = ask(&staff, "/api/admin/project_billing", Some(cursor)).await;
        let mut older = read(&page);
        assert!(!page["thread"]["newer"].is_null(), "an older page links back to newer ones");
        older.extend(seen);
        seen = older;
        before = page["thread"]["older"].as_i64();
    }
    let expected: Vec<String> = (0..120).map(|n| format!("<p>Note {n:03}</p>")).collect();
    assert_eq!(seen, expected);
    // Past the first message: an empty page, not an error.
    let first_id: i64 = conn.query_row("SELECT min(id) FROM project_messages", [], |r| r.get(0)).unwrap();
    let empty = ask(&person, "/api/client/billing", Some(first_id)).await;
    assert!(read(&empty).is_empty() && empty["thread"]["older"].is_null());
    // The page itself: 50 messages and the link to the older ones.
    let html = person.get(app.url(&format!("/client/projects/{project}"))).send().await.unwrap().text().await.unwrap();
    // (Two notes came while walking back: the newest 50 are now 072 to 121.)
    assert!(html.contains("Older messages") && html.contains("Note 121") && html.contains("Note 072"), "{html}");
    assert!(!html.contains("Note 071"), "50 a page");
    let plan = explain(
        &conn,
        "SELECT m.id FROM project_messages m WHERE m.project_id = ?1 AND m.id < ?2
             ORDER BY m.id DESC LIMIT 51",
        [project, 100],
    );
    assert!(plan.iter().any(|p| p.contains("project_messages_unread")), "{plan:?}");
}

#[tokio::test]
async fn the_member_overview_shows_the_newest_purchases_and_links_the_rest() {
    let app = spawn_app().await;
    let kit = app.product_on_sale("kit", "Kit", "digital", "web_access", "150000").await;
    let (ana, _) = app.member_buys("ana@example.com", "kit").await;
    let page = ana.get(app.url("/dashboard")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Kit") && !page.contains("Everything you own"), "one purchase: no link");
    let conn = db(&app);
    let ana_id: i64 = conn.query_row("SELECT id FROM users WHERE email = 'ana@example.com'", [], |r| r.get(0)).unwrap();
    for i in 0..9 {
        conn.execute(
            "INSERT INTO orders (public_id, user_id, product_id, product_name, amount, currency, gateway, status,
                                 created_at, updated_at, paid_at)
             VALUES (?1, ?2, ?3, ?4, 150000, 'IDR', 'sandbox', 'paid', 1000, 1000, ?5)",
            rusqlite::params![format!("ATL-OLD{i:02}"), ana_id, kit, format!("Old kit {i:02}"), 1_000 + i],
        )
        .unwrap();
    }
    let page = ana.get(app.url("/dashboard")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Old kit 08") && page.contains("Old kit 04"), "the newest six");
    assert!(!page.contains("Old kit 03"), "not the seventh");
    assert!(page.contains("Everything you own"), "and a link to the rest");
}

#[tokio::test]
async fn a_member_pages_their_subscriptions_and_the_one_to_renew_is_always_shown() {
    let app = spawn_app().await;
    let kit = app.product_on_sale("kit", "Kit", "saas", "web_access", "150000").await;
    let (ana, _) = app.member_buys("ana@example.com", "kit").await;
    let conn = db(&app);
    let ana_id: i64 = conn.query_row("SELECT id FROM users WHERE email = 'ana@example.com'", [], |r| r.get(0)).unwrap();
    let plan: i64 = conn
        .query_row(
            "INSERT INTO plans (product_id, name, period, price_idr, created_at, updated_at)
             VALUES (?1, 'Pro', 'monthly', 150000, 0, 0) RETURNING id",
            [kit],
            |r| r.get(0),
        )
        .unwrap();
    let now = atelier::server::db::now();
    for i in 0..55 {
        conn.execute(
            "INSERT INTO orders (public_id, user_id, product_id, product_name, amount, currency, gateway, status,
                                 created_at, updated_at, paid_at, plan_id)
             VALUES (?1, ?2, ?3, 'Kit', 150000, 'IDR', 'sandbox', 'paid', 0, 0, 0, ?4)",
            rusqlite::params![format!("ATL-SUB{i:02}"), ana_id, kit, plan],
        )
        .unwrap();
        let order = conn.last_insert_rowid();
        conn.execute(
            "INSERT INTO subscriptions (public_id, user_id, product_id, plan_id, first_order_id, status,
                                        current_period_start, current_period_end, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'active', ?6, ?7, 0, 0)",
            rusqlite::params![format!("SUB-{i:02}"), ana_id, kit, plan, order, now, now + 20 * 86_400],
        )
        .unwrap();
    }
    let ids = |v: &Value| -> Vec<String> {
        v["subscriptions"].as_array().unwrap().iter().map(|s| s["public_id"].as_str().unwrap().to_owned()).collect()
    };
    let first: Value = app.post_api(&ana, "/api/dashboard/subscriptions", &[]).await.json().await.unwrap();
    let page = ids(&first);
    assert_eq!((page.len(), page[0].as_str(), page[49].as_str()), (50, "SUB-54", "SUB-05"), "newest first, 50");
    let rest: Value = app
        .post_api(&ana, "/api/dashboard/subscriptions", &[("before", first["older"].as_str().unwrap())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&rest), ["SUB-04", "SUB-03", "SUB-02", "SUB-01", "SUB-00"]);
    assert!(rest["older"].is_null());
    // A renewal link names one on the second page: it comes first on the first.
    let focus: Value =
        app.post_api(&ana, "/api/dashboard/subscriptions", &[("renew", "SUB-02")]).await.json().await.unwrap();
    assert_eq!((ids(&focus)[0].as_str(), ids(&focus).len()), ("SUB-02", 51));
    // Someone else's subscription is never shown, even named.
    let (bob, _) = app.member_buys("bob@example.com", "kit").await;
    let theirs: Value =
        app.post_api(&bob, "/api/dashboard/subscriptions", &[("renew", "SUB-02")]).await.json().await.unwrap();
    assert!(ids(&theirs).is_empty(), "{theirs}");
    // A name is text wherever it shows (the cards are written as HTML).
    conn.execute("UPDATE products SET name = 'Kit <i>&</i>' WHERE id = ?1", [kit]).unwrap();
    let html = ana.get(app.url("/dashboard/subscriptions")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Older →"), "50 a page, then a link");
    assert!(!html.contains("Kit <i>&</i>"), "{html}");
    assert!(
        html.contains(r#"<a href="/saas/kit">Kit &lt;i&gt;&amp;&lt;/i&gt;</a> · Pro plan</h2><p><span class="badge ok">Active</span> Rp 150.000 per month · renews on "#),
        "{html}"
    );
    assert!(
        html.contains(r#"Manage<span class="sr-only"> Kit &lt;i&gt;&amp;&lt;/i&gt; · Pro plan</span></a>"#),
        "{html}"
    );
    // Each card links its own page, where it is cancelled and its history is; the list has neither.
    assert!(html.contains("href=\"/dashboard/subscriptions/SUB-54\""), "{html}");
    assert!(!html.contains("Cancel subscription") && !html.contains("class=\"timeline\""), "{html}");
    let own = ana.get(app.url("/dashboard/subscriptions/SUB-54")).send().await.unwrap().text().await.unwrap();
    assert!(own.contains("Cancel subscription") && own.contains("class=\"timeline\""), "{own}");
}

#[tokio::test]
async fn a_members_keys_and_services_read_only_that_members_orders() {
    use atelier::server::db::deliveries::{licenses_query, services_query};
    let app = spawn_app().await;
    let conn = db(&app);
    let cursor = Cursor { at: 1_800_000_000, id: 500 };
    for at in [PageAt::First, PageAt::Before(cursor), PageAt::After(cursor)] {
        for (name, sql) in [("licenses", licenses_query(at)), ("services", services_query(at))] {
            let lines = match at {
                PageAt::First => explain(&conn, &sql, rusqlite::params![7]),
                _ => explain(&conn, &sql, rusqlite::params![7, cursor.at, cursor.id]),
            };
            assert!(lines.iter().any(|l| l.contains("orders_user_recent (user_id=?")), "{name} {at:?}: {lines:?}");
            assert!(
                !lines.iter().any(|l| l.starts_with("SCAN") || l.contains("TEMP B-TREE")),
                "{name} {at:?}: {lines:?}"
            );
        }
    }
}
