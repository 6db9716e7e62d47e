use crate::helpers::{spawn_app, spawn_app_in};
use reqwest::header;

#[tokio::test]
async fn health_reports_the_database_and_version() {
    let app = spawn_app().await;
    let res = app.get("/health").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn health_says_so_when_the_database_is_gone() {
    let app = spawn_app().await;
    // Break the schema under the running app: the check must fail loudly, not pretend.
    app.state
        .db
        .run(|c| -> Result<(), atelier::server::db::DbError> { Ok(c.execute_batch("DROP TABLE schema_migrations")?) })
        .await
        .unwrap();
    let res = app.get("/health").await;
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["database"], "unavailable");
}

#[tokio::test]
async fn readiness_says_whether_the_database_takes_writes_and_the_queue_is_worked() {
    let app = spawn_app().await;
    let res = app.get("/health/ready").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!((body["status"].as_str(), body["database"].as_str()), (Some("ready"), Some("writable")), "{body}");

    // A mail due six minutes ago that nothing has sent: the queue is not being worked.
    app.state
        .db
        .run(|c| {
            let email = atelier::server::mail::Email {
                to: "late@example.com".into(),
                subject: "Hi".into(),
                html: atelier::domain::html::TrustedHtml::markup("<p>Hi</p>"),
                text: "Hi".into(),
                attachments: vec![],
                list_unsubscribe: None,
            };
            atelier::server::mail::enqueue(c, &email)
        })
        .await
        .unwrap();
    rusqlite::Connection::open(&app.db_path).unwrap().execute("UPDATE jobs SET run_at = run_at - 360", []).unwrap();
    let res = app.get("/health/ready").await;
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["queue"], "stalled", "{body}");
    assert!(body["oldest_due_seconds"].as_i64().unwrap() >= 360, "{body}");
    // /health stays the cheap liveness check: still 200.
    assert_eq!(app.get("/health").await.status(), 200);
    app.drain_jobs().await;
    assert_eq!(app.get("/health/ready").await.status(), 200, "worked again");

    // Another process holds the write lock past the busy timeout: not ready.
    let holder = rusqlite::Connection::open(&app.db_path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let res = app.get("/health/ready").await;
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["database"], "unwritable", "{body}");
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(app.get("/health/ready").await.status(), 200);
}

#[tokio::test]
async fn the_home_page_is_server_rendered_with_one_heading() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    let html = res.text().await.unwrap();
    assert_eq!(html.matches("<h1").count(), 1, "exactly one <h1>");
    assert!(html.contains("Software made with care"));
    assert!(html.contains("<title>Atelier</title>"), "home title");
    assert!(!html.contains("/pkg/atelier.js"), "no island, so no loader script");
}

#[tokio::test]
async fn an_unknown_address_gets_a_real_404_page() {
    let app = spawn_app().await;
    for path in ["/no-such-page", "/about/deeper/still", "/products-typo?x=1"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        let html = res.text().await.unwrap();
        assert!(html.contains("Page not found"), "{path}");
        assert!(html.contains("role=\"alert\""));
    }
}

#[tokio::test]
async fn anonymous_visitors_to_private_areas_are_sent_to_login_with_next() {
    let app = spawn_app().await;
    let cases = [
        ("/dashboard", "/login?next=/dashboard"),
        ("/client", "/login?next=/client"),
        ("/admin", "/login?next=/admin"),
        ("/dashboard/orders?page=2", "/login?next=/dashboard/orders%3Fpage%3D2"),
        ("/admin/does-not-exist", "/login?next=/admin/does-not-exist"),
    ];
    for (path, expected) in cases {
        let res = app.get(path).await;
        assert_eq!(res.status(), 303, "{path}");
        assert_eq!(res.headers()[header::LOCATION], expected, "{path}");
    }
    // Public pages with similar names are not guarded.
    assert_eq!(app.get("/about").await.status(), 200);
    assert_eq!(app.get("/clients").await.status(), 404);
}

#[tokio::test]
async fn the_login_page_the_guard_points_to_exists() {
    let app = spawn_app().await;
    let res = app.get("/login?next=/dashboard").await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("<h1>Sign in"));
}

#[tokio::test]
async fn pages_are_compressed_when_the_browser_accepts_it() {
    let app = spawn_app().await;
    for encoding in ["br", "gzip"] {
        let res = app.client.get(app.url("/")).header(header::ACCEPT_ENCODING, encoding).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()[header::CONTENT_ENCODING], encoding);
    }
}

#[tokio::test]
async fn pages_rendered_per_request_are_gzipped_whole_when_the_browser_accepts_it() {
    use std::io::Read;
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let get = |encoding: &'static str| {
        let req = staff.get(app.url("/admin/products")).header(header::ACCEPT_ENCODING, encoding);
        async move { req.send().await.unwrap() }
    };
    let plain = get("identity").await;
    assert_eq!(plain.status(), 200);
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(plain.headers()[header::VARY], "accept-encoding");
    let plain = plain.text().await.unwrap();
    assert!(plain.contains("<title>") && plain.contains("</html>"), "a whole page");
    // Each response has its own CSP nonce; the rest is the same.
    let without_nonces = |html: &str| {
        html.split("nonce=\"")
            .enumerate()
            .map(|(i, part)| if i == 0 { part } else { part.split_once('"').map_or(part, |(_, rest)| rest) })
            .collect::<String>()
    };

    for _ in 0..3 {
        let res = get("br, gzip").await;
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
        let gz = res.bytes().await.unwrap();
        let mut html = String::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut html).expect("valid gzip");
        assert_eq!(without_nonces(&html), without_nonces(&plain), "the same page, every time");
        assert!(gz.len() * 3 < plain.len() * 2, "{} of {} bytes", gz.len(), plain.len());
    }
    // A browser taking only brotli still gets it compressed.
    assert_eq!(get("br").await.headers()[header::CONTENT_ENCODING], "br");
}

#[tokio::test]
async fn responses_carry_protective_headers() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    assert_eq!(res.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(res.headers()[header::X_FRAME_OPTIONS], "DENY");
    let csp = res.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
    for directive in ["default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(csp.contains("form-action 'self' https://app.midtrans.com"), "checkout can reach the payment page");
    let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap();
    assert!(!script_src.contains("unsafe-inline") && script_src.contains("'sha256-"), "{script_src}");
    assert_eq!(res.headers()["cross-origin-opener-policy"], "same-origin");
    assert!(res.headers()["permissions-policy"].to_str().unwrap().contains("camera=()"));
    assert!(res.headers().get(header::STRICT_TRANSPORT_SECURITY).is_none(), "no HSTS over plain development HTTP");
    assert_ne!(res.headers().get(header::CACHE_CONTROL).map(|v| v.to_str().unwrap()), Some("no-store"));

    // Somebody's own pages are never stored by a browser or a proxy.
    let staff = app.signed_in_staff().await;
    for path in ["/admin", "/dashboard", "/admin/orders"] {
        let res = staff.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store", "{path}");
    }
}

#[tokio::test]
async fn inline_reads_see_committed_writes_and_cannot_write() {
    use atelier::server::db::DbError;
    let app = spawn_app().await;
    app.state
        .db
        .run(|c| -> Result<(), DbError> {
            Ok(c.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('one')")?)
        })
        .await
        .unwrap();
    let seen: i64 = app
        .state
        .db
        .read(|c| -> Result<i64, DbError> { Ok(c.query_row("SELECT count(*) FROM notes", [], |r| r.get(0))?) })
        .await
        .unwrap();
    assert_eq!(seen, 1, "a read made inline sees what a write committed");

    let write = app
        .state
        .db
        .read(|c| -> Result<usize, DbError> { Ok(c.execute("INSERT INTO notes VALUES ('two')", [])?) })
        .await;
    assert!(matches!(write, Err(DbError::Sqlite(_))), "the read connection refuses writes: {write:?}");
    let count: i64 = app
        .state
        .db
        .run(|c| -> Result<i64, DbError> { Ok(c.query_row("SELECT count(*) FROM notes", [], |r| r.get(0))?) })
        .await
        .unwrap();
    assert_eq!(count, 1, "nothing was written");
}

#[tokio::test]
async fn a_restart_over_the_same_database_applies_no_migration_twice_and_keeps_data() {
    let app = spawn_app().await;
    let secret_before = app.state.secret.bytes().to_vec();
    let db_path = app.db_path.clone();
    let dir = app.stop().await;

    let count = |path: &std::path::Path| -> i64 {
        let c = rusqlite::Connection::open(path).unwrap();
        c.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)).unwrap()
    };
    let applied = count(&db_path);
    assert!(applied >= 1);

    let again = spawn_app_in(dir, &[]).await;
    assert_eq!(count(&db_path), applied, "no migration recorded twice");
    assert_eq!(again.state.secret.bytes(), secret_before, "the generated secret key is kept");
    assert_eq!(again.get("/health").await.status(), 200);
}

#[tokio::test]
async fn the_migrate_command_is_idempotent() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("cli.db");
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_atelier"))
            .arg("migrate")
            .env_clear()
            .env("DATABASE_PATH", &db)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let first = run();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(String::from_utf8_lossy(&first.stdout).contains("applied"));
    let second = run();
    assert!(second.status.success());
    assert_eq!(String::from_utf8_lossy(&second.stdout).trim(), "database is up to date");
}

#[tokio::test]
async fn backup_writes_a_consistent_copy_that_restore_accepts() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("live.db");
    let backups = dir.path().join("backups");
    let cmd = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_atelier"))
            .args(args)
            .env_clear()
            .env("DATABASE_PATH", &db)
            .env("BACKUP_DIR", &backups)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    assert!(cmd(&["migrate"]).status.success());
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("INSERT INTO settings (key, value, updated_at) VALUES ('marker', 'before', 0)", [])
        .unwrap();
    let out = cmd(&["backup"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = std::fs::read_dir(&backups).unwrap().next().unwrap().unwrap().path();

    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE settings SET value = 'after' WHERE key = 'marker'", [])
        .unwrap();
    let out = cmd(&["restore", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let value: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT value FROM settings WHERE key = 'marker'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(value, "before");

    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database").unwrap();
    let out = cmd(&["restore", junk.to_str().unwrap()]);
    assert!(!out.status.success(), "a file that is not a database is refused");
    // The failure names the command that failed, not the server's start.
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("atelier restore failed: ") && said.contains("junk.db"), "{said}");
    assert!(!said.contains("could not start"), "{said}");

    // Backups taken within the same second (cron and a person at once) all succeed, each its own file.
    for _ in 0..3 {
        let out = cmd(&["backup"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let files = std::fs::read_dir(&backups).unwrap().count();
    assert_eq!(files, 4, "four backups, four files");
}

/// The value of the first sample of `name` whose labels include every one of `labels`.
fn sample(metrics: &str, name: &str, labels: &[&str]) -> Option<f64> {
    metrics.lines().filter(|l| !l.starts_with('#')).find_map(|line| {
        let (series, value) = line.rsplit_once(' ')?;
        let (metric, rest) = series.split_once('{').unwrap_or((series, ""));
        (metric == name && labels.iter().all(|l| rest.contains(l))).then(|| value.parse().ok())?
    })
}

#[tokio::test]
async fn metrics_describe_traffic_the_queue_and_deliveries_for_this_machine_only() {
    use atelier::server::db::DbError;
    use atelier::server::mail;
    let token = "metrics-token-0123456789";
    let dir = tempfile::TempDir::new().unwrap();
    let app = spawn_app_in(dir, &[("METRICS_TOKEN", token)]).await;
    app.get("/").await;
    app.get("/").await;
    assert_eq!(app.get("/no-such-page").await.status(), 404);
    app.state
        .db
        .run(|c| -> Result<(), DbError> {
            let email = mail::Email {
                to: "a@example.com".into(),
                subject: "Hi".into(),
                html: atelier::domain::html::TrustedHtml::markup("Hi"),
                text: "Hi".into(),
                attachments: vec![],
                list_unsubscribe: None,
            };
            mail::enqueue(c, &email)?;
            mail::enqueue(c, &email)?;
            // A kind this version does not know (queued by a newer one, say).
            c.execute(
                "INSERT INTO jobs (kind, payload, status, attempts, max_attempts, run_at, created_at, updated_at)
                 VALUES ('no_such_kind', 'null', 'queued', 0, 5, 0, 0, 0)",
                [],
            )?;
            Ok(())
        })
        .await
        .unwrap();

    let res = app.get("/metrics").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = res.text().await.unwrap();
    let requests = |status: &str| sample(&text, "atelier_http_requests_total", &[r#"group="pages""#, status]);
    assert!(requests(r#"status="200""#).unwrap_or(0.0) >= 2.0, "{text}");
    assert!(requests(r#"status="404""#).unwrap_or(0.0) >= 1.0, "{text}");
    assert!(sample(&text, "atelier_http_request_duration_seconds_bucket", &[r#"group="pages""#, r#"le="5""#]).is_some());
    assert!(
        sample(&text, "atelier_cache_lookups_total", &[r#"cache="page""#, r#"result="hit""#]).unwrap_or(0.0) >= 1.0
    );
    assert_eq!(sample(&text, "atelier_jobs_due", &[r#"kind="send_email""#]), Some(2.0), "{text}");
    assert_eq!(sample(&text, "atelier_jobs_due", &[r#"kind="deliver_order""#]), Some(0.0));
    assert_eq!(sample(&text, "atelier_deliveries", &[r#"kind="license_key""#, r#"status="delivered""#]), Some(0.0));
    assert!(sample(&text, "atelier_db_pool_connections", &[r#"pool="read""#, r#"state="idle""#]).is_some());

    // The worker runs them: two mails sent, an unknown kind dead; the gauges follow.
    app.drain_jobs().await;
    let text = app.get("/metrics").await.text().await.unwrap();
    assert_eq!(sample(&text, "atelier_jobs_due", &[r#"kind="send_email""#]), Some(0.0));
    assert_eq!(sample(&text, "atelier_jobs_dead", &[r#"kind="no_such_kind""#]), Some(1.0));
    assert!(sample(&text, "atelier_mail_total", &[r#"outcome="sent""#]).unwrap_or(0.0) >= 2.0);
    assert!(sample(&text, "atelier_jobs_total", &[r#"kind="no_such_kind""#, r#"outcome="dead""#]).is_some());
    assert_eq!(sample(&text, "atelier_jobs_dead_last_day", &[]), Some(1.0), "{text}");

    // The machine: memory, the database and its WAL, the data volume, the newest backup.
    assert!(sample(&text, "atelier_process_resident_memory_bytes", &[]).unwrap_or(0.0) > 1e6, "{text}");
    let database = sample(&text, "atelier_database_bytes", &[r#"file="database""#]).unwrap_or(0.0);
    let on_disk = std::fs::metadata(&app.db_path).unwrap().len() as f64;
    assert!(database > 0.0 && database <= on_disk * 2.0, "{database} vs {on_disk}");
    assert!(sample(&text, "atelier_database_bytes", &[r#"file="wal""#]).is_some(), "{text}");
    let free = sample(&text, "atelier_data_volume_free_ratio", &[]).unwrap();
    assert!(free > 0.0 && free <= 1.0, "{free}");
    assert!(sample(&text, "atelier_data_volume_free_bytes", &[]).unwrap() > 0.0);
    assert_eq!(sample(&text, "atelier_backup_last_success_timestamp_seconds", &[]), Some(0.0), "no backup yet");
    let backups = app.state.config.backup_dir.clone();
    app.state.db.run(move |c| atelier::server::maintenance::write_backup(c, &backups, 7).map(|_| ())).await.unwrap();
    let text = app.get("/metrics").await.text().await.unwrap();
    let backed_up = sample(&text, "atelier_backup_last_success_timestamp_seconds", &[]).unwrap();
    assert!((atelier::server::db::now() as f64 - backed_up).abs() < 60.0, "{backed_up}");

    // From elsewhere (as the trusted proxy reports it): only with the token.
    let from_afar = |auth: Option<&str>| {
        let mut req = app.client.get(app.url("/metrics")).header("x-forwarded-for", "203.0.113.7");
        if let Some(auth) = auth {
            req = req.header(header::AUTHORIZATION, auth);
        }
        req.send()
    };
    assert_eq!(from_afar(None).await.unwrap().status(), 403);
    assert_eq!(from_afar(Some("Bearer metrics-token-0123456780")).await.unwrap().status(), 403);
    assert_eq!(from_afar(Some(&format!("Bearer {token}"))).await.unwrap().status(), 200);
}

#[tokio::test]
async fn behind_an_untrusted_proxy_on_this_machine_metrics_are_not_public() {
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &[("TRUSTED_PROXIES", "none")]).await;
    assert_eq!(app.get("/metrics").await.status(), 200, "this machine");
    let res = app.client.get(app.url("/metrics")).header("x-forwarded-for", "203.0.113.7").send().await.unwrap();
    assert_eq!(res.status(), 403, "a proxy forwarded it from elsewhere");
}

#[tokio::test]
async fn a_client_that_is_no_trusted_proxy_cannot_pass_for_this_machine() {
    // The retired switch is not read: only the listed proxies' headers count.
    let env = [("TRUSTED_PROXIES", "192.0.2.1/32"), ("TRUST_PROXY", "true")];
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &env).await;
    let res = app.client.get(app.url("/metrics")).header("x-forwarded-for", "127.0.0.1").send().await.unwrap();
    assert_eq!(res.status(), 403, "a forwarded request from a peer that is no trusted proxy");
}

#[tokio::test]
async fn a_page_without_an_island_loads_no_script_and_one_with_an_island_loads_its_bundle() {
    let app = spawn_app().await;
    for path in ["/", "/products", "/blog", "/contact", "/login", "/about"] {
        let html = app.get(path).await.text().await.unwrap();
        assert!(!html.contains("<leptos-island"), "{path} has no island");
        assert!(!html.contains(".wasm") && !html.contains("modulepreload"), "{path} loads no bundle: {html}");
        assert!(html.contains("/pkg/atelier.css"), "{path} keeps its stylesheet");
    }
    let staff = app.signed_in_staff().await;
    for path in ["/admin", "/dashboard"] {
        let html = staff.get(app.url(path)).send().await.unwrap().text().await.unwrap();
        assert!(!html.contains(".wasm"), "{path} loads no bundle");
    }
    // The editor's live preview is an island: its page loads the bundle.
    let editor = staff.get(app.url("/admin/posts/new")).send().await.unwrap().text().await.unwrap();
    assert!(editor.contains("<leptos-island") && editor.contains(".wasm"), "{editor}");
}
