use crate::helpers::spawn_app;
use crate::smtp::MailServer;
use atelier::server::db::{self, DbError};
use atelier::server::jobs::{self, Outcome};
use atelier::server::mail::{self, Email};
use atelier::server::worker;

fn message(to: &str) -> Email {
    Email {
        to: to.into(),
        subject: "Hello".into(),
        html: atelier::domain::html::TrustedHtml::markup("<p>Hi</p>"),
        text: "Hi".into(),
        attachments: vec![],
        list_unsubscribe: None,
    }
}

#[tokio::test]
async fn mail_queued_during_an_smtp_outage_arrives_once_when_it_is_back() {
    let app = spawn_app().await;
    app.mail.stop();
    app.state.db.run(|c| mail::enqueue(c, &message("ina@example.com"))).await.unwrap();

    let outcomes = app.drain_jobs().await;
    assert!(matches!(outcomes.as_slice(), [Outcome::Retrying { .. }]), "{outcomes:?}");
    let last_error: String = app
        .state
        .db
        .run(|c| -> Result<String, DbError> { Ok(c.query_row("SELECT last_error FROM jobs", [], |r| r.get(0))?) })
        .await
        .unwrap();
    assert!(last_error.contains("SMTP"), "{last_error}");

    let _back = app.mail.restart().await;
    // Time passes: the retry is due.
    app.state.db.run(|c| -> Result<usize, DbError> { Ok(c.execute("UPDATE jobs SET run_at = 0", [])?) }).await.unwrap();
    let outcomes = app.drain_jobs().await;
    assert!(matches!(outcomes.as_slice(), [Outcome::Done { .. }]), "{outcomes:?}");
    assert!(app.drain_jobs().await.is_empty());
    assert_eq!(app.mail.to("ina@example.com").len(), 1);
}

#[tokio::test]
async fn a_job_whose_worker_died_mid_run_runs_again_after_its_lease() {
    let app = spawn_app().await;
    app.state.db.run(|c| mail::enqueue(c, &message("joko@example.com"))).await.unwrap();
    // A worker claims the job and dies before finishing.
    let claimed = app.state.db.run(|c| jobs::claim(c, db::now())).await.unwrap();
    assert!(claimed.is_some());

    // The pool's workers (as they run in production) leave a leased job alone ...
    assert_eq!(worker::step(&app.state).await.unwrap(), Outcome::Idle, "a leased job stays with its worker");
    assert!(app.mail.received().is_empty());

    app.state
        .db
        .run(|c| -> Result<usize, DbError> { Ok(c.execute("UPDATE jobs SET locked_until = ?1", [db::now() - 1])?) })
        .await
        .unwrap();
    // ... and take it once the lease has expired, once.
    let outcome = worker::step(&app.state).await.unwrap();
    assert!(matches!(outcome, Outcome::Done { .. }), "{outcome:?}");
    assert_eq!(worker::step(&app.state).await.unwrap(), Outcome::Idle);
    assert_eq!(app.mail.to("joko@example.com").len(), 1);
}

#[tokio::test]
async fn a_permanently_refused_message_is_dead_with_its_error_and_can_be_retried() {
    let app = spawn_app().await;
    app.state.db.run(|c| mail::enqueue(c, &message("not an address"))).await.unwrap();
    let outcomes = app.drain_jobs().await;
    let [Outcome::Dead { id }] = outcomes.as_slice() else { panic!("{outcomes:?}") };
    let id = *id;
    let (status, error): (String, String) = app
        .state
        .db
        .run(move |c| -> Result<_, DbError> {
            Ok(c.query_row("SELECT status, last_error FROM jobs WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))?)
        })
        .await
        .unwrap();
    assert_eq!(status, "dead");
    assert!(error.contains("not valid"), "{error}");
    assert!(app.state.db.run(move |c| jobs::retry(c, id)).await.unwrap());
    assert!(!app.state.db.run(move |c| jobs::retry(c, id)).await.unwrap(), "only dead jobs are retried");
}

#[tokio::test]
async fn the_daily_run_cleans_up_backs_up_prunes_and_schedules_the_next_day() {
    use atelier::server::maintenance::{self, DAILY};
    let app = spawn_app().await;
    let (now, day) = (db::now(), 86_400);
    // Fixtures written directly (foreign keys off on this connection only).
    let fixtures = rusqlite::Connection::open(&app.db_path).unwrap();
    fixtures
        .execute_batch(&format!(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES (9, 'r@example.com', 'R', 'x', 0, 0);
             INSERT INTO email_tokens (user_id, purpose, token_hash, expires_at, used_at, created_at) VALUES
               (9, 'verify_email', 'used', {future}, {now}, 0),
               (9, 'verify_email', 'expired', {past}, NULL, 0),
               (9, 'reset_password', 'live', {future}, NULL, 0);
             INSERT INTO download_links (order_id, token_hash, expires_at, max_downloads, created_at) VALUES
               (1, 'long-expired', {month_ago}, 5, 0), (1, 'recently-expired', {past}, 5, 0), (1, 'live', {future}, 5, 0);
             INSERT INTO jobs (kind, payload, status, attempts, max_attempts, run_at, created_at, updated_at) VALUES
               ('send_email', '{{}}', 'done', 1, 8, 0, 0, {month_ago}),
               ('send_email', '{{}}', 'done', 1, 8, 0, 0, {now}),
               ('send_email', '{{}}', 'dead', 8, 8, 0, 0, {month_ago});
             INSERT INTO sessions (id, data, expiry_date) VALUES ('old', '{{}}', {past}), ('live', '{{}}', {future});
             INSERT INTO payment_events (gateway, event_key, outcome, note, raw, created_at) VALUES
               ('midtrans', 'refused:a', 'rejected', 'bad signature', 'forged body', {quarter_ago}),
               ('midtrans', 'refused:b', 'rejected', 'bad signature', 'recent body', {now});",
            future = now + day,
            past = now - 60,
            month_ago = now - 31 * day,
            quarter_ago = now - 91 * day,
        ))
        .unwrap();
    // A backup from 40 days ago, beyond BACKUP_KEEP_DAYS (30).
    let backups = app.state.config.backup_dir.clone();
    std::fs::create_dir_all(&backups).unwrap();
    let stale = backups.join("atelier-20261001-020000.db");
    let file = std::fs::File::create(&stale).unwrap();
    file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(40 * 86_400)).unwrap();

    let config = app.state.config.clone();
    app.state.db.run(move |c| maintenance::schedule_next(c, &config, now)).await.unwrap();
    let config = app.state.config.clone();
    app.state.db.run(move |c| maintenance::schedule_next(c, &config, now)).await.unwrap();
    let count = |sql: &str| -> i64 { fixtures.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM jobs WHERE kind = 'daily_maintenance'"), 1, "scheduled once");
    fixtures.execute("UPDATE jobs SET run_at = 0 WHERE kind = ?1", [DAILY.as_str()]).unwrap();
    let outcomes = app.drain_jobs().await;
    assert!(matches!(outcomes.as_slice(), [Outcome::Done { .. }]), "{outcomes:?}");

    let left = |sql: &str| -> String { fixtures.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(left("SELECT group_concat(token_hash) FROM email_tokens"), "live");
    assert_eq!(
        left("SELECT group_concat(token_hash) FROM (SELECT token_hash FROM download_links ORDER BY id)"),
        "recently-expired,live"
    );
    assert_eq!(count("SELECT count(*) FROM jobs WHERE kind = 'send_email' AND status = 'done'"), 1);
    assert_eq!(count("SELECT count(*) FROM jobs WHERE status = 'dead'"), 1, "dead jobs stay for staff");
    assert_eq!(left("SELECT group_concat(id) FROM sessions"), "live");
    assert_eq!(left("SELECT group_concat(raw, '|') FROM (SELECT raw FROM payment_events ORDER BY id)"), "|recent body");
    assert_eq!(count("SELECT count(*) FROM payment_events"), 2, "refused events keep their record");

    // A fresh, sound backup; the stale one is gone.
    assert!(!stale.exists(), "backups older than BACKUP_KEEP_DAYS are removed");
    let written: Vec<_> = std::fs::read_dir(&backups).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let copy = rusqlite::Connection::open(&written[0]).unwrap();
    assert_eq!(copy.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0)).unwrap(), "ok");
    assert_eq!(copy.query_row("SELECT count(*) FROM users WHERE id = 9", [], |r| r.get::<_, i64>(0)).unwrap(), 1);

    // Tomorrow's run is queued, in the future.
    let next: i64 = count("SELECT run_at FROM jobs WHERE kind = 'daily_maintenance' AND status = 'queued'");
    assert!(next > now && next <= now + 2 * day, "next run at {next}, now {now}");
}

#[tokio::test]
async fn a_burst_of_mail_during_an_smtp_outage_is_delivered_once_each_when_it_is_back() {
    let app = spawn_app().await;
    app.mail.stop();
    for i in 0..40 {
        let to = format!("burst{i}@example.com");
        app.state.db.run(move |c| mail::enqueue(c, &message(&to))).await.unwrap();
    }
    let outcomes = app.drain_jobs().await;
    assert_eq!(outcomes.len(), 40);
    assert!(outcomes.iter().all(|o| matches!(o, Outcome::Retrying { .. })), "{outcomes:?}");

    let _back = app.mail.restart().await;
    app.state.db.run(|c| -> Result<usize, DbError> { Ok(c.execute("UPDATE jobs SET run_at = 0", [])?) }).await.unwrap();
    let outcomes = app.drain_jobs().await;
    assert_eq!(outcomes.iter().filter(|o| matches!(o, Outcome::Done { .. })).count(), 40, "{outcomes:?}");
    // Time passes again: nothing is sent twice.
    app.state.db.run(|c| -> Result<usize, DbError> { Ok(c.execute("UPDATE jobs SET run_at = 0", [])?) }).await.unwrap();
    assert!(app.drain_jobs().await.is_empty());
    for i in 0..40 {
        assert_eq!(app.mail.to(&format!("burst{i}@example.com")).len(), 1, "burst{i}");
    }
}

#[tokio::test]
async fn a_backup_taken_under_a_steady_write_load_restores_whole() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let app = spawn_app().await;
    app.state
        .db
        .run(|c| -> Result<(), DbError> { Ok(c.execute_batch("CREATE TABLE ledger (n INTEGER NOT NULL)")?) })
        .await
        .unwrap();
    // Writers keep inserting while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..2)
        .map(|_| {
            let (db, stop) = (app.state.db.clone(), stop.clone());
            tokio::spawn(async move {
                let mut written = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    db.run(|c| -> Result<usize, DbError> { Ok(c.execute("INSERT INTO ledger VALUES (1)", [])?) })
                        .await
                        .unwrap();
                    written += 1;
                }
                written
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let dir = app.state.config.backup_dir.clone();
    let file = app
        .state
        .db
        .run(move |c| -> anyhow::Result<std::path::PathBuf> { atelier::server::maintenance::write_backup(c, &dir, 30) })
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.store(true, Ordering::Relaxed);
    let mut written = 0;
    for w in writers {
        written += w.await.unwrap();
    }

    let count = |path: &std::path::Path| -> i64 {
        rusqlite::Connection::open(path).unwrap().query_row("SELECT count(*) FROM ledger", [], |r| r.get(0)).unwrap()
    };
    let in_backup = count(&file);
    assert!(in_backup > 0 && (in_backup as u64) < written, "a snapshot mid-load: {in_backup} of {written}");

    // `atelier restore` checks the copy and puts it in place; the restored database has exactly its rows.
    let restored = tempfile::TempDir::new().unwrap();
    let target = restored.path().join("restored.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(["restore", file.to_str().unwrap()])
        .env_clear()
        .env("DATABASE_PATH", &target)
        .current_dir(restored.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(count(&target), in_backup);
    let integrity: String =
        rusqlite::Connection::open(&target).unwrap().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
}

/// The server binary's command over the database in `dir`, mailing through `smtp_port`,
/// at `base`, its output in the file `log`.
fn server_command(dir: &std::path::Path, smtp_port: u16, base: &str, log: &str) -> std::process::Command {
    let log = std::fs::File::create(dir.join(log)).unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_atelier"));
    command
        .env_clear()
        .env("DATABASE_PATH", dir.join("atelier.db"))
        .env("STORAGE_DIR", dir.join("storage"))
        .env("BACKUP_DIR", dir.join("backups"))
        .env("UPLOADS_DIR", dir.join("uploads"))
        .env("SMTP_HOST", "127.0.0.1")
        .env("SMTP_PORT", smtp_port.to_string())
        .env("SMTP_TLS", "none")
        .env("SITE_URL", base)
        .env("NO_COLOR", "1")
        .stdout(log.try_clone().unwrap())
        .stderr(log);
    command
}

/// The server binary over the database in `dir`, mailing through `smtp_port`, its log in `log`.
fn start_binary(dir: &std::path::Path, smtp_port: u16, log: &str) -> (std::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let child = server_command(dir, smtp_port, &base, log)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .spawn()
        .expect("the server binary starts");
    (child, base)
}

fn count(db: &std::path::Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn a_server_killed_during_two_hundred_deliveries_delivers_each_once_after_it_restarts() {
    use atelier::domain::{
        orders::Gateway,
        products::{ProductForm, ProductInput},
    };
    use atelier::server::db::{catalog, orders, users};
    use atelier::server::studio::payments::{self, Outcome as Paid, PaymentEvent};
    use std::time::{Duration, Instant};

    // 200 orders paid while no worker runs: 200 deliveries (a license key and its mail
    // each) and 200 confirmation mails wait in the queue.
    let app = spawn_app().await;
    app.verified_member("Many", "many@example.com", "correct horse battery").await;
    let input = ProductInput::parse(&ProductForm {
        slug: "kill-kit".into(),
        name: "Kill Kit".into(),
        kind: "digital".into(),
        status: "active".into(),
        billing: "one_time".into(),
        price_idr: "99000".into(),
        delivery_kind: "license_key".into(),
        delivery_activation_limit: "2".into(),
        ..ProductForm::default()
    })
    .unwrap();
    let config = app.state.config.clone();
    app.state
        .db
        .run(move |c| -> anyhow::Result<()> {
            catalog::save(c, None, &input, &Default::default())
                .map_err(|e| anyhow::anyhow!("product not saved: {e:?}"))?;
            let product = catalog::by_slug(c, "kill-kit")?.expect("product saved");
            let user = users::find_by_email(c, "many@example.com")?.expect("member");
            for i in 0..200 {
                let order = orders::create(c, user.viewer.id, &product, Gateway::Sandbox, 99_000, "IDR")?;
                let event = PaymentEvent {
                    gateway: Gateway::Sandbox,
                    event_key: format!("kill-test:{i}"),
                    outcome: Paid::Paid,
                    note: "paid".into(),
                    raw: "{}".into(),
                };
                payments::apply(c, &config, &order, &event)?;
            }
            Ok(())
        })
        .await
        .unwrap();
    let dir = app.stop().await;
    let (db, root) = (dir.path().join("atelier.db"), dir.path());
    assert_eq!(count(&db, "SELECT count(*) FROM jobs WHERE kind = 'deliver_order' AND status = 'queued'"), 200);

    // The server works through them and is killed (SIGKILL) part-way.
    let smtp = MailServer::start().await;
    let (mut server, _) = start_binary(root, smtp.port, "first.log");
    let started = Instant::now();
    while smtp.received().len() < 80 {
        assert!(started.elapsed() < Duration::from_secs(120), "the server sends mail");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let delivered = count(&db, "SELECT count(*) FROM deliveries WHERE status = 'delivered'");
    assert!(delivered < 200, "killed before the end ({delivered} delivered)");

    // Restarted, it finishes the rest.
    let (mut server, _) = start_binary(root, smtp.port, "second.log");
    let started = Instant::now();
    loop {
        // Everything due (tomorrow's maintenance run waits for its time).
        let open = count(
            &db,
            "SELECT count(*) FROM jobs WHERE status = 'running' OR (status = 'queued' AND run_at <= unixepoch())",
        );
        if open == 0 {
            break;
        }
        // Well within the 120 s lease: the restarted worker takes back what the killed one held at once.
        assert!(started.elapsed() < Duration::from_secs(60), "{open} jobs still open after restart");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();

    assert_eq!(count(&db, "SELECT count(*) FROM deliveries WHERE status = 'delivered'"), 200);
    assert_eq!(count(&db, "SELECT count(DISTINCT order_id) FROM license_keys"), 200, "one key per order");
    assert_eq!(count(&db, "SELECT count(*) FROM license_keys"), 200, "no order got two keys");
    assert_eq!(count(&db, "SELECT count(*) FROM jobs WHERE status = 'dead'"), 0);
    // Each mail reached the member as one message: a copy resent after the kill carries
    // the same Message-ID, which mail clients show once.
    let message_id = |m: &crate::smtp::Received| {
        m.data.lines().find_map(|l| l.strip_prefix("Message-ID: ")).expect("a Message-ID").trim().to_owned()
    };
    let keys: Vec<String> = {
        let c = rusqlite::Connection::open(&db).unwrap();
        let mut stmt = c.prepare("SELECT license_key FROM license_keys").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let received = smtp.to("many@example.com");
    for key in &keys {
        let ids: std::collections::BTreeSet<String> =
            received.iter().filter(|m| m.decoded().contains(key.as_str())).map(message_id).collect();
        assert_eq!(ids.len(), 1, "license {key} mailed as one message: {ids:?}");
    }
    let confirmations: std::collections::BTreeSet<String> =
        received.iter().filter(|m| m.subject().contains("confirmed")).map(message_id).collect();
    assert_eq!(confirmations.len(), 200, "one order confirmation per order");
    for log in ["first.log", "second.log"] {
        let text = std::fs::read_to_string(root.join(log)).unwrap();
        assert!(!text.contains("ERROR") && !text.contains("panicked"), "{log}:\n{text}");
    }
}

#[tokio::test]
async fn the_workers_start_on_queued_mail_at_once_and_send_each_message_once() {
    use std::time::{Duration, Instant};
    let app = crate::helpers::spawn_app_with_workers(&[("JOB_WORKERS", "4"), ("MAIL_CONCURRENCY", "2")]).await;
    // Let the idle workers settle into their wait (up to a second without a wake-up).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let queued = Instant::now();
    app.state
        .db
        .run(|c| -> Result<(), DbError> {
            for i in 0..60 {
                mail::enqueue(c, &message(&format!("reader{i}@example.com")))?;
            }
            Ok(())
        })
        .await
        .unwrap();
    while app.mail.received().len() < 60 {
        // Well within the idle workers' wait: they were woken by the queueing.
        assert!(queued.elapsed() < Duration::from_secs(5), "{} of 60 sent", app.mail.received().len());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let received = app.mail.received();
    assert_eq!(received.len(), 60, "no message twice");
    let last = received.iter().map(|m| m.at.duration_since(queued)).max().unwrap();
    assert!(last < Duration::from_secs(5), "the last message took {last:?}");
    for i in 0..60 {
        assert_eq!(app.mail.to(&format!("reader{i}@example.com")).len(), 1);
    }
    let open: i64 = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT count(*) FROM jobs WHERE kind = 'send_email' AND status != 'done'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(open, 0);
}

#[tokio::test]
async fn mail_another_process_queues_is_sent_by_the_running_server_within_a_second_or_so() {
    use std::time::{Duration, Instant};
    let app = crate::helpers::spawn_app_with_workers(&[]).await;
    // The idle workers settle into their wait; then a job arrives through a connection
    // of its own, as from `atelier tick` run by cron: nothing in the server is told.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let other_process = rusqlite::Connection::open(&app.db_path).unwrap();
    let queued = Instant::now();
    mail::enqueue(&other_process, &message("cron@example.com")).unwrap();
    while app.mail.to("cron@example.com").is_empty() {
        // The workers look at the queue every second (before: every 10 s).
        assert!(queued.elapsed() < Duration::from_secs(3), "not sent after {:?}", queued.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.mail.to("cron@example.com").len(), 1, "sent once");
}

/// The server binary on the listening socket `listener`, handed over as systemd does
/// (fd 3, `LISTEN_FDS=1`), over the database in `dir`, mailing through `smtp_port`.
fn start_on_socket(
    dir: &std::path::Path,
    listener: &std::net::TcpListener,
    smtp_port: u16,
    log: &str,
) -> std::process::Child {
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;
    let fd = listener.as_raw_fd();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut command = server_command(dir, smtp_port, &base, log);
    command.env("LISTEN_FDS", "1");
    // SAFETY: between fork and exec only async-signal-safe calls (dup2, fcntl) are made.
    unsafe {
        command.pre_exec(move || {
            if fd == 3 {
                let flags = libc::fcntl(3, libc::F_GETFD);
                if flags == -1 || libc::fcntl(3, libc::F_SETFD, flags & !libc::FD_CLOEXEC) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
            } else if libc::dup2(fd, 3) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    command.spawn().expect("the server binary starts")
}

#[tokio::test]
async fn a_restart_on_the_socket_systemd_holds_fails_no_request_and_sends_no_mail_twice() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, Instant};
    let dir = tempfile::TempDir::new().unwrap();
    let root = dir.path();
    let smtp = MailServer::start().await;
    // The socket systemd would hold (atelier.socket): it stays open across the restart.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut first = start_on_socket(root, &listener, smtp.port, "first.log");

    // A steady stream of requests, each on a new connection, from before the restart to after it.
    let (stop, served, failed) =
        (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let failures = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut streams = Vec::new();
    for _ in 0..4 {
        let (stop, served, failed, failures, base) =
            (stop.clone(), served.clone(), failed.clone(), failures.clone(), base.clone());
        streams.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
            while !stop.load(Ordering::Relaxed) {
                match client.get(format!("{base}/health")).send().await {
                    Ok(res) if res.status() == 200 => served.fetch_add(1, Ordering::Relaxed),
                    Ok(res) => {
                        failures.lock().unwrap().push(format!("status {}", res.status()));
                        failed.fetch_add(1, Ordering::Relaxed)
                    }
                    Err(err) => {
                        failures.lock().unwrap().push(format!("{err:?}"));
                        failed.fetch_add(1, Ordering::Relaxed)
                    }
                };
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }));
    }
    let started = Instant::now();
    while served.load(Ordering::Relaxed) < 20 {
        assert!(started.elapsed() < Duration::from_secs(30), "the first server serves");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // 300 mails queued (by another process: the server finds them within a second).
    let db = root.join("atelier.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        for i in 0..300 {
            mail::enqueue(&conn, &message(&format!("reader{i}@example.com"))).unwrap();
        }
    }
    while smtp.received().len() < 30 {
        assert!(started.elapsed() < Duration::from_secs(60), "the first server sends mail");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    // `systemctl restart`: SIGTERM, the old process drains and exits, then the new one starts.
    let before_restart = served.load(Ordering::Relaxed);
    // SAFETY: a plain kill(2) of our own child.
    assert_eq!(unsafe { libc::kill(first.id() as i32, libc::SIGTERM) }, 0);
    let stopping = Instant::now();
    let status = loop {
        if let Some(status) = first.try_wait().unwrap() {
            break status;
        }
        assert!(stopping.elapsed() < Duration::from_secs(30), "the first server stops within systemd's timeout");
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert!(status.success(), "a clean stop: {status:?}");
    let sent_by_first = smtp.received().len();
    assert!(sent_by_first < 300, "restarted part-way ({sent_by_first} sent)");
    let mut second = start_on_socket(root, &listener, smtp.port, "second.log");

    while smtp.received().len() < 300 || served.load(Ordering::Relaxed) < before_restart + 50 {
        assert!(started.elapsed() < Duration::from_secs(120), "{} of 300 sent", smtp.received().len());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for stream in streams {
        stream.await.unwrap();
    }
    second.kill().unwrap();
    second.wait().unwrap();

    assert_eq!(failed.load(Ordering::Relaxed), 0, "failed requests: {:?}", failures.lock().unwrap());
    assert_eq!(smtp.received().len(), 300, "no message twice");
    for i in 0..300 {
        assert_eq!(smtp.to(&format!("reader{i}@example.com")).len(), 1, "reader{i}");
    }
    let first_log = std::fs::read_to_string(root.join("first.log")).unwrap();
    assert!(first_log.contains("the workers finished their jobs"), "{first_log}");
    let second_log = std::fs::read_to_string(root.join("second.log")).unwrap();
    assert!(second_log.contains("listening on the socket systemd passed"), "{second_log}");
    assert!(!second_log.contains("interrupted by the last stop"), "nothing was cut off: {second_log}");
    for (name, text) in [("first.log", &first_log), ("second.log", &second_log)] {
        assert!(!text.contains("ERROR") && !text.contains("panicked"), "{name}:\n{text}");
    }
}
