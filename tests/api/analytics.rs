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
    app.state
        .db
        .run(move |c| atelier::server::db::waitlist::join(c, kit, &signup, atelier::domain::Lang::En))
        .await
        .unwrap();
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
    let charts: Vec<&str> = page
        .split("<svg")
        .skip(1)
        .map(|rest| rest.split("</svg>").next().unwrap())
        .filter(|svg| svg.contains(r#"class="chart""#))
        .collect();
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

    // Seventy more pages viewed today: the page shows fifty rows and says so; the CSV has them all.
    let day = atelier::domain::time::jakarta_day(atelier::server::db::now());
    app.state
        .db
        .run(move |c| {
            for i in 0..70 {
                atelier::server::db::analytics::add_page_views(c, day, &format!("/blog/post-{i:02}"), 100 - i)?;
            }
            Ok::<_, atelier::server::db::DbError>(())
        })
        .await
        .unwrap();
    let a: Analytics = app.post_api(&staff, "/api/admin/analytics", &[]).await.json().await.unwrap();
    let per_day = table(&a, "page_days");
    assert_eq!((per_day.rows.len(), per_day.more), (50, true));
    assert_eq!((per_day.rows[0][1].as_str(), per_day.rows[49][1].as_str()), ("/blog/post-00", "/blog/post-49"));
    assert_eq!((table(&a, "paths").rows.len(), table(&a, "paths").more), (20, false), "the top twenty, no more");
    let page = staff.get(app.url("/admin/analytics")).send().await.unwrap().text().await.unwrap();
    assert_eq!(page.matches("The first 50 rows: download the CSV for the rest.").count(), 1, "{page}");
    let csv = staff.get(app.url("/admin/analytics/page_days.csv")).send().await.unwrap().text().await.unwrap();
    assert_eq!(csv.lines().count(), 1 + 71, "a header and every row: {csv}");
}

/// A small deterministic generator (the mix is the same on every run).
struct Mix(u64);

impl Mix {
    fn next(&mut self, below: i64) -> i64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as i64
    }
}

#[tokio::test]
async fn the_rollups_agree_with_a_recount_of_the_rows_after_a_random_mix_of_payments_refunds_and_views() {
    use atelier::server::db::analytics as queries;
    let app = spawn_app().await;
    let kit = app.product_on_sale("kit", "Kit", "digital", "web_access", "150000").await;
    let icons = app.product_on_sale("icons", "Icons", "digital", "web_access", "90000").await;
    app.member_buys("ana@example.com", "kit").await;
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    let buyer: i64 = conn.query_row("SELECT id FROM users WHERE email = 'ana@example.com'", [], |r| r.get(0)).unwrap();
    let mut mix = Mix(41);
    let now = atelier::server::db::now();
    let two_years = 2 * 365 * 86_400;
    let statuses = ["pending", "paid", "failed", "expired", "cancelled", "refunded"];
    for i in 0..600 {
        let created = now - mix.next(two_years);
        let status = statuses[mix.next(6) as usize];
        let paid_at = matches!(status, "paid" | "refunded").then(|| created + mix.next(3 * 86_400));
        let product = [kit, icons][mix.next(2) as usize];
        let currency = if mix.next(4) == 0 { "USD" } else { "IDR" };
        conn.execute(
            "INSERT INTO orders (public_id, user_id, product_id, product_name, amount, currency, gateway, status,
                                 created_at, updated_at, paid_at)
             VALUES (?1, ?2, ?3, 'x', ?4, ?5, 'sandbox', ?6, ?7, ?7, ?8)",
            rusqlite::params![
                format!("MIX-{i}"),
                buyer,
                product,
                1000 + mix.next(500_000),
                currency,
                status,
                created,
                paid_at
            ],
        )
        .unwrap();
        // Some orders move on: pending ones get paid, paid ones refunded, a few disappear.
        let id = conn.last_insert_rowid();
        match (status, mix.next(5)) {
            ("pending", 0 | 1) => {
                conn.execute("UPDATE orders SET status = 'paid', paid_at = ?2 WHERE id = ?1", [id, created + 600])
                    .unwrap();
            }
            ("paid", 0) => {
                conn.execute("UPDATE orders SET status = 'refunded' WHERE id = ?1", [id]).unwrap();
            }
            ("failed", 0) => {
                conn.execute("DELETE FROM orders WHERE id = ?1", [id]).unwrap();
            }
            _ => {}
        }
    }
    for i in 0..80 {
        let at = now - mix.next(two_years);
        conn.execute(
            "INSERT INTO users (email, name, password_hash, role, created_at, updated_at) VALUES (?1, 'M', '!unusable', 'member', ?2, ?2)",
            rusqlite::params![format!("m{i}@example.com"), at],
        )
        .unwrap();
    }
    let today = atelier::domain::time::jakarta_day(now);
    for _ in 0..300 {
        let day = today - mix.next(730);
        let path = ["/", "/products/kit", "/blog", "/saas/x"][mix.next(4) as usize];
        queries::add_page_views(&conn, day, path, 1 + mix.next(9)).unwrap();
    }

    // Every rollup row equals a count over the rows it summarises, and no summarised row is missing.
    let same = |rollup: &str, recount: &str| {
        let read = |sql: &str| -> Vec<Vec<i64>> {
            let mut stmt = conn.prepare(sql).unwrap();
            let n = stmt.column_count();
            stmt.query_map([], |r| (0..n).map(|i| r.get::<_, rusqlite::types::Value>(i)).collect::<Result<Vec<_>, _>>())
                .unwrap()
                .map(|row| {
                    row.unwrap()
                        .into_iter()
                        .map(|v| match v {
                            rusqlite::types::Value::Integer(n) => n,
                            rusqlite::types::Value::Text(t) => t.bytes().map(i64::from).sum(),
                            _ => -1,
                        })
                        .collect()
                })
                .collect()
        };
        assert_eq!(read(rollup), read(recount), "{rollup}");
    };
    same(
        "SELECT day, status, with_product, orders FROM orders_created_daily WHERE orders > 0 ORDER BY 1, 2, 3",
        "SELECT (created_at + 25200) / 86400, status, product_id IS NOT NULL, count(*) FROM orders GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    );
    same(
        "SELECT day, status, product_id, currency, orders, amount FROM orders_paid_daily WHERE orders > 0 ORDER BY 1, 2, 3, 4",
        "SELECT (paid_at + 25200) / 86400, status, coalesce(product_id, 0), currency, count(*), sum(amount) FROM orders
         WHERE paid_at IS NOT NULL AND status IN ('paid', 'refunded') GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    );
    same(
        "SELECT day, users FROM signups_daily WHERE users > 0 ORDER BY 1",
        "SELECT (created_at + 25200) / 86400, count(*) FROM users GROUP BY 1 ORDER BY 1",
    );
    same(
        "SELECT day, views FROM page_views_daily WHERE views > 0 ORDER BY 1",
        "SELECT day, sum(views) FROM page_views GROUP BY 1 ORDER BY 1",
    );

    // Views per month and path, against a recount by the calendar in Rust.
    let mut months = std::collections::BTreeMap::<(i64, String), i64>::new();
    let raw: Vec<(i64, String, i64)> = conn
        .prepare("SELECT day, path, views FROM page_views")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (day, path, views) in &raw {
        *months.entry((atelier::domain::time::jakarta_month_start(*day), path.clone())).or_default() += views;
    }
    let kept: std::collections::BTreeMap<(i64, String), i64> = conn
        .prepare("SELECT month, path, views FROM page_views_monthly WHERE views > 0")
        .unwrap()
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(kept, months);
    same(
        "SELECT day, product_views FROM page_views_daily WHERE views > 0 ORDER BY 1",
        "SELECT day, sum(CASE WHEN path LIKE '/products/%' OR path LIKE '/saas/%' OR path LIKE '/services/%'
                              THEN views ELSE 0 END) FROM page_views GROUP BY 1 ORDER BY 1",
    );
    // The monthly rollups are the daily ones summed by month.
    let month_of = "CAST(strftime('%s', day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400";
    same(
        "SELECT month, status, product_id, currency, orders, amount FROM orders_paid_monthly WHERE orders > 0
         ORDER BY 1, 2, 3, 4",
        "SELECT CAST(strftime('%s', ((paid_at + 25200) / 86400) * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400,
                status, coalesce(product_id, 0), currency, count(*), sum(amount) FROM orders
         WHERE paid_at IS NOT NULL AND status IN ('paid', 'refunded') GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    );
    same(
        "SELECT month, status, with_product, orders FROM orders_created_monthly WHERE orders > 0 ORDER BY 1, 2, 3",
        &format!(
            "SELECT {month_of}, status, with_product, sum(orders) FROM orders_created_daily GROUP BY 1, 2, 3
             HAVING sum(orders) > 0 ORDER BY 1, 2, 3"
        ),
    );

    // Over ranges that start and end anywhere in a month (one of them today), every
    // figure read through the monthly rollups is the recount of the rows.
    let count = |sql: &str, start: i64, end: i64| -> i64 { conn.query_row(sql, [start, end], |r| r.get(0)).unwrap() };
    let ranges = [
        (today - 729, today),
        (today - 29, today),
        (today - 700, today - 3),
        (today - 400, today - 390),
        (today - 75, today - 1),
        (today - 3, today),
    ];
    for (from, until) in ranges {
        let span = queries::Span::of(from, until, today);
        let mut top = std::collections::BTreeMap::<String, i64>::new();
        for (_, path, views) in raw.iter().filter(|(day, ..)| (from..=until).contains(day)) {
            *top.entry(path.clone()).or_default() += views;
        }
        let read: std::collections::BTreeMap<String, i64> =
            queries::top_paths(&conn, span).unwrap().into_iter().collect();
        assert_eq!(read, top, "top pages {from}..={until}");
        let product_views: i64 =
            top.iter().filter(|(p, _)| p.starts_with("/products/") || p.starts_with("/saas/")).map(|(_, v)| v).sum();
        let (views, checkouts, paid_step) = queries::funnel(&conn, from, until, span).unwrap();
        let (start, end) =
            (atelier::domain::time::jakarta_day_start(from), atelier::domain::time::jakarta_day_start(until + 1));
        assert_eq!(views, product_views, "product page views {from}..={until}");
        assert_eq!(
            checkouts,
            count(
                "SELECT count(*) FROM orders WHERE product_id IS NOT NULL AND created_at >= ?1 AND created_at < ?2",
                start,
                end
            ),
            "checkouts {from}..={until}"
        );
        assert_eq!(
            paid_step,
            count(
                "SELECT count(*) FROM orders WHERE status IN ('paid', 'refunded') AND product_id IS NOT NULL
                   AND paid_at >= ?1 AND paid_at < ?2",
                start,
                end
            ),
            "the funnel's paid step {from}..={until}"
        );
        let statuses: std::collections::BTreeMap<String, i64> =
            queries::orders_by_status(&conn, span).unwrap().into_iter().collect();
        for status in statuses.keys().chain(["paid".to_owned(), "pending".to_owned()].iter()) {
            let recount: i64 = conn
                .query_row(
                    "SELECT count(*) FROM orders WHERE status = ?1 AND created_at >= ?2 AND created_at < ?3",
                    rusqlite::params![status, start, end],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(statuses.get(status).copied().unwrap_or(0), recount, "{status} orders {from}..={until}");
        }
        let top: i64 = queries::top_products(&conn, span).unwrap().iter().map(|(_, n, _, _)| n).sum();
        assert_eq!(
            top,
            count(
                "SELECT count(*) FROM orders WHERE status = 'paid' AND product_id IS NOT NULL AND paid_at >= ?1 AND paid_at < ?2",
                start,
                end
            ),
            "the two products' paid orders {from}..={until}"
        );
        let paid: i64 = queries::paid_by_day(&conn, from, until).unwrap().iter().map(|(_, _, n, _)| n).sum();
        assert_eq!(
            paid,
            count("SELECT count(*) FROM orders WHERE status = 'paid' AND paid_at >= ?1 AND paid_at < ?2", start, end),
            "paid orders {from}..={until}"
        );
        // By month, the revenue per month and currency is the daily one's.
        let by_month = |rows: Vec<(i64, String, i64, i64)>| {
            let mut sums = std::collections::BTreeMap::<(i64, String), (i64, i64)>::new();
            for (day, currency, n, amount) in rows {
                let e = sums.entry((atelier::domain::time::jakarta_month_start(day), currency)).or_default();
                *e = (e.0 + n, e.1 + amount);
            }
            sums.retain(|_, (n, _)| *n != 0);
            sums
        };
        assert_eq!(
            by_month(queries::paid_by_month(&conn, span).unwrap()),
            by_month(queries::paid_by_day(&conn, from, until).unwrap()),
            "revenue by month {from}..={until}"
        );
    }
    let paid: i64 = queries::paid_by_day(&conn, today - 729, today).unwrap().iter().map(|(_, _, n, _)| n).sum();
    assert!(paid > 100, "the mix paid for things: {paid}");
}

#[tokio::test]
async fn the_waitlist_counts_agree_with_a_recount_after_signups_payments_refunds_and_new_addresses() {
    let app = spawn_app().await;
    let kit = app.product_on_sale("kit", "Kit", "digital", "web_access", "150000").await;
    let icons = app.product_on_sale("icons", "Icons", "digital", "web_access", "90000").await;
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    let mut mix = Mix(7);
    let now = atelier::server::db::now();
    let products = [kit, icons];
    let mut users = Vec::new();
    for i in 0..30 {
        conn.execute(
            "INSERT INTO users (email, name, password_hash, role, created_at, updated_at)
             VALUES (?1, 'W', '!unusable', 'member', ?2, ?2)",
            rusqlite::params![format!("w{i}@example.com"), now - 1000 * 86_400],
        )
        .unwrap();
        users.push(conn.last_insert_rowid());
    }
    let step = |conn: &rusqlite::Connection, mix: &mut Mix, i: i64| match mix.next(6) {
        // Someone (with an account or not, in either case) joins a list.
        0 | 1 => {
            let email =
                if mix.next(3) == 0 { format!("W{}@EXAMPLE.com", mix.next(30)) } else { format!("x{i}@example.com") };
            conn.execute(
                "INSERT OR IGNORE INTO waitlist_entries (product_id, email, name, created_at) VALUES (?1, ?2, '', ?3)",
                rusqlite::params![products[mix.next(2) as usize], email, now - mix.next(500) * 86_400],
            )
            .unwrap();
        }
        // An order: paid at once, or pending and paid later, or refunded.
        2 | 3 => {
            let paid = now - mix.next(600) * 86_400;
            let status = ["paid", "pending", "refunded"][mix.next(3) as usize];
            conn.execute(
                "INSERT INTO orders (public_id, user_id, product_id, product_name, amount, currency, gateway, status,
                                     created_at, updated_at, paid_at)
                 VALUES (?1, ?2, ?3, 'x', 1000, 'IDR', 'sandbox', ?4, ?5, ?5, ?6)",
                rusqlite::params![
                    format!("W-{i}"),
                    users[mix.next(30) as usize],
                    products[mix.next(2) as usize],
                    status,
                    paid - 60,
                    (status != "pending").then_some(paid)
                ],
            )
            .unwrap();
        }
        // Orders move on: a pending one is paid, a paid one refunded, one disappears.
        4 => {
            let id: Option<i64> =
                conn.query_row("SELECT id FROM orders ORDER BY random() LIMIT 1", [], |r| r.get(0)).ok();
            if let Some(id) = id {
                match mix.next(3) {
                    0 => conn.execute("UPDATE orders SET status = 'paid', paid_at = ?2 WHERE id = ?1", [id, now]),
                    1 => conn.execute("UPDATE orders SET status = 'refunded' WHERE id = ?1", [id]),
                    _ => conn.execute("DELETE FROM orders WHERE id = ?1", [id]),
                }
                .unwrap();
            }
        }
        // A member changes address; the launch mail goes to someone.
        _ => {
            let user = users[mix.next(30) as usize];
            conn.execute(
                "UPDATE users SET email = ?2 WHERE id = ?1",
                rusqlite::params![user, format!("x{}@example.com", mix.next(200))],
            )
            .ok(); // taken: nothing changes
            conn.execute(
                "UPDATE waitlist_entries SET launch_mailed_at = ?1
                 WHERE id = (SELECT id FROM waitlist_entries ORDER BY random() LIMIT 1)",
                [now],
            )
            .unwrap();
        }
    };
    for i in 0..400 {
        step(&conn, &mut mix, i);
    }

    // Each entry's conversion is what a look at the orders says, and the counts are the rows'.
    let wrong: i64 = conn
        .query_row(
            "SELECT count(*) FROM waitlist_entries w WHERE (w.converted_at IS NOT NULL) <> EXISTS (
                 SELECT 1 FROM users u JOIN orders o ON o.user_id = u.id
                 WHERE u.email = w.email AND o.product_id = w.product_id AND o.status = 'paid' AND o.paid_at >= w.created_at)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(wrong, 0, "entries whose recorded conversion disagrees with their orders");
    let recount: Vec<(i64, i64, i64, i64)> = conn
        .prepare(
            "SELECT product_id, count(*), count(launch_mailed_at), count(converted_at) FROM waitlist_entries
             GROUP BY product_id ORDER BY product_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let kept: Vec<(i64, i64, i64, i64)> = conn
        .prepare(
            "SELECT product_id, entries, mailed, converted FROM waitlist_counts WHERE entries > 0 ORDER BY product_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(kept, recount);
    let by_day = |sql: &str| -> Vec<(i64, i64, i64, i64)> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(
        by_day("SELECT day, product_id, signups, converted FROM waitlist_daily WHERE signups > 0 ORDER BY 1, 2"),
        by_day(
            "SELECT (created_at + 25200) / 86400, product_id, count(*), count(converted_at) FROM waitlist_entries
             GROUP BY 1, 2 ORDER BY 1, 2"
        ),
        "the sign-ups per Jakarta day and product"
    );
    assert_eq!(
        by_day("SELECT month, product_id, signups, converted FROM waitlist_monthly WHERE signups > 0 ORDER BY 1, 2"),
        by_day(
            "SELECT CAST(strftime('%s', ((created_at + 25200) / 86400) * 86400, 'unixepoch', 'start of month') AS INTEGER)
                    / 86400, product_id, count(*), count(converted_at) FROM waitlist_entries GROUP BY 1, 2 ORDER BY 1, 2"
        ),
        "the sign-ups per Jakarta month and product"
    );
    // And the page's table over ranges ending anywhere in a month reads the same.
    let today = atelier::domain::time::jakarta_day(now);
    for (from, until) in [(today - 729, today), (today - 29, today), (today - 450, today - 20), (today - 5, today - 1)]
    {
        let shown = atelier::server::db::analytics::waitlist_signups(
            &conn,
            atelier::server::db::analytics::Span::of(from, until, today),
        )
        .unwrap();
        let (start, end) =
            (atelier::domain::time::jakarta_day_start(from), atelier::domain::time::jakarta_day_start(until + 1));
        let recount: Vec<(String, i64, i64)> = conn
            .prepare(
                "SELECT p.name, count(*), count(w.converted_at) FROM waitlist_entries w JOIN products p ON p.id = w.product_id
                 WHERE w.created_at >= ?1 AND w.created_at < ?2 GROUP BY p.id ORDER BY 2 DESC, p.name",
            )
            .unwrap()
            .query_map([start, end], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(shown, recount, "waitlist sign-ups {from}..={until}");
    }
    assert!(recount.iter().map(|r| r.3).sum::<i64>() > 0, "the mix converted nobody: it tests nothing");
    assert!(recount.iter().map(|r| r.1 - r.3).sum::<i64>() > 0, "the mix converted everybody");
}
