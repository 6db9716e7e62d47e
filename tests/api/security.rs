//! #39, the second security review: an account squatted before an invitation, what an
//! unconfirmed account reaches, ended sessions, and where the license signing key lives.

use crate::helpers::{spawn_app, TestApp};
use reqwest::header;

const SQUATTER_PW: &str = "the squatter's own passphrase";

fn query_one<T: rusqlite::types::FromSql>(app: &TestApp, sql: &str) -> T {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Someone registers `email` with a password of their own and never confirms it, then
/// signs in (the only place that answers them is `/verify-email`): their browser.
async fn squat(app: &TestApp, email: &str) -> reqwest::Client {
    let squatter = TestApp::new_client();
    let form =
        [("name", "Not the CFO"), ("email", email), ("password", SQUATTER_PW), ("password_confirm", SQUATTER_PW)];
    assert_eq!(app.post_form_with(&squatter, "/api/auth/register", &form).await.status(), 302);
    assert_eq!(app.login_with(&squatter, email, SQUATTER_PW).await, "/verify-email");
    squatter
}

/// Where a GET sends this browser (or its status when it is not sent anywhere).
async fn lands(app: &TestApp, browser: &reqwest::Client, path: &str) -> String {
    let res = browser.get(app.url(path)).send().await.unwrap();
    match res.headers().get(header::LOCATION) {
        Some(to) => to.to_str().unwrap().to_owned(),
        None => res.status().as_u16().to_string(),
    }
}

/// Whether a sign-in's answer (where it sent the browser) was a refusal.
fn refused(location: &str) -> bool {
    location.contains("__err=")
}

/// The squatter's password opens nothing any more, and their session is gone.
async fn squatter_is_out(app: &TestApp, squatter: &reqwest::Client, email: &str, area: &str) {
    let answer = app.login_with(&TestApp::new_client(), email, SQUATTER_PW).await;
    assert!(refused(&answer), "the squatter's password no longer signs in: {answer}");
    assert!(lands(app, squatter, area).await.starts_with("/login?next="), "their session ended");
    let hash: String = query_one(app, &format!("SELECT password_hash FROM users WHERE email = '{email}'"));
    assert!(!hash.starts_with("$argon2"), "no usable password is left: {hash}");
}

/// The link mailed to `email` whose subject contains `subject`, as a path with its token.
fn mailed_token(app: &TestApp, email: &str, subject: &str) -> String {
    let mail = app.mail.to(email).into_iter().rev().find(|m| m.subject().contains(subject));
    let link = mail.unwrap_or_else(|| panic!("a mail about {subject:?}")).link("/reset-password?token=").unwrap();
    link.rsplit('=').next().unwrap().to_owned()
}

/// The owner of the address chooses a password through the mailed link and signs in.
async fn owner_claims(app: &TestApp, email: &str, token: &str) -> (reqwest::Client, String) {
    let owner = TestApp::new_client();
    let pw = "the real owner's passphrase";
    let form = [("token", token), ("password", pw), ("password_confirm", pw)];
    assert!(app.post_form_with(&owner, "/api/auth/reset_password", &form).await.status().is_redirection());
    let home = app.login_with(&owner, email, pw).await;
    (owner, home)
}

#[tokio::test]
async fn a_client_invitation_to_a_squatted_address_locks_the_squatter_out_and_lets_the_owner_in() {
    let app = spawn_app().await;
    let email = "cfo@victimco.test";
    let squatter = squat(&app, email).await;
    let staff = app.signed_in_staff().await;
    let res = app.post_form_with(&staff, "/api/admin/create_client", &[("name", "Victim Co")]).await;
    let client: String = res.headers()["location"].to_str().unwrap().trim_start_matches("/admin/clients/").into();
    let form = [("client_id", client.as_str()), ("name", "The CFO"), ("email", email)];
    assert!(app.post_form_with(&staff, "/api/admin/invite_client_person", &form).await.status().is_redirection());
    app.drain_jobs().await;

    squatter_is_out(&app, &squatter, email, "/client").await;
    let (owner, home) = owner_claims(&app, email, &mailed_token(&app, email, "Your client portal for Victim Co")).await;
    assert_eq!(home, "/client");
    assert_eq!(lands(&app, &owner, "/client").await, "200");
}

#[tokio::test]
async fn a_role_change_of_a_squatted_address_mails_the_owner_a_link_and_locks_the_squatter_out() {
    let app = spawn_app().await;
    let email = "designer@studio.test";
    let squatter = squat(&app, email).await;
    let staff = app.signed_in_staff().await;
    let id: i64 = query_one(&app, &format!("SELECT id FROM users WHERE email = '{email}'"));
    let res =
        app.post_form_with(&staff, "/api/admin/set_user_role", &[("id", &id.to_string()), ("role", "staff")]).await;
    assert!(res.status().is_redirection());
    app.drain_jobs().await;

    squatter_is_out(&app, &squatter, email, "/admin").await;
    let (owner, home) = owner_claims(&app, email, &mailed_token(&app, email, "Choose a password")).await;
    assert_eq!(home, "/admin");
    assert_eq!(lands(&app, &owner, "/admin").await, "200");
    // A confirmed account's role change sends no such mail and keeps its password.
    app.verified_member("Ana", "ana@example.com", "ana's long passphrase").await;
    let ana: i64 = query_one(&app, "SELECT id FROM users WHERE email = 'ana@example.com'");
    app.post_form_with(&staff, "/api/admin/set_user_role", &[("id", &ana.to_string()), ("role", "client")]).await;
    app.drain_jobs().await;
    assert!(app.mail.to("ana@example.com").iter().all(|m| !m.subject().contains("Choose a password")));
    assert_eq!(app.login_with(&TestApp::new_client(), "ana@example.com", "ana's long passphrase").await, "/client");
}

#[tokio::test]
async fn admin_create_on_a_squatted_address_takes_the_password_from_stdin() {
    let app = spawn_app().await;
    let email = "owner@newstudio.test";
    let squatter = squat(&app, email).await;
    let said = app.admin_create(email, "the operator's passphrase");
    assert!(said.contains("is now staff with the password given"), "{said}");

    assert!(refused(&app.login_with(&TestApp::new_client(), email, SQUATTER_PW).await));
    assert!(lands(&app, &squatter, "/admin").await.starts_with("/login?next="), "their session ended");
    let operator = TestApp::new_client();
    assert_eq!(app.login_with(&operator, email, "the operator's passphrase").await, "/admin");
    assert_eq!(lands(&app, &operator, "/admin").await, "200");
}

#[tokio::test]
async fn an_unconfirmed_account_reaches_nothing_but_the_confirmation_page() {
    let app = spawn_app().await;
    // Accounts raised unconfirmed before this rule (or by any door left open): a client
    // and a staff member whose addresses were never proven.
    let client = squat(&app, "client@unproven.test").await;
    let staff = squat(&app, "staff@unproven.test").await;
    let member = squat(&app, "member@unproven.test").await;
    let db = rusqlite::Connection::open(&app.db_path).unwrap();
    db.execute("UPDATE users SET role = 'client' WHERE email = 'client@unproven.test'", []).unwrap();
    db.execute("UPDATE users SET role = 'staff' WHERE email = 'staff@unproven.test'", []).unwrap();
    db.execute("INSERT INTO clients (name, created_at, updated_at) VALUES ('Acme', 0, 0)", []).unwrap();
    db.execute(
        "INSERT INTO client_people (client_id, user_id, added_at)
         SELECT c.id, u.id, 0 FROM clients c, users u WHERE u.email = 'client@unproven.test'",
        [],
    )
    .unwrap();

    for (browser, area) in [(&client, "/client"), (&staff, "/admin"), (&member, "/dashboard")] {
        for page in [area.to_owned(), format!("{area}/projects"), format!("{area}/orders")] {
            let to = lands(&app, browser, &page).await;
            assert!(to == "/verify-email" || to == "404", "{page}: {to}");
        }
        assert_eq!(lands(&app, browser, area).await, "/verify-email", "{area}");
        assert_eq!(lands(&app, browser, "/verify-email").await, "200");
    }
    // Server functions refuse them, each with the same words.
    for (browser, function) in
        [(&client, "/api/client/overview"), (&staff, "/api/admin/orders"), (&member, "/api/dashboard/orders")]
    {
        let res = browser.post(app.url(function)).header("origin", &app.address).send().await.unwrap();
        assert_eq!(res.status(), 400, "{function}");
        assert!(res.text().await.unwrap().contains("confirm your email"), "{function}");
    }
    // So do file routes (a 403 before anything is looked up: a known client gets a 404 here).
    assert_eq!(lands(&app, &client, "/client/invoices/1/invoice.pdf").await, "403");
    assert_eq!(lands(&app, &staff, "/admin/orders/1/receipt.pdf").await, "403");
    assert_eq!(lands(&app, &member, "/dashboard/export.json").await, "403");
    // And the usage API.
    let res = member.get(app.url("/api/user/usage")).send().await.unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn a_session_ended_while_a_request_holds_it_is_not_saved_back() {
    use atelier::server::auth::session_store::SqliteSessionStore;
    use atelier::server::db::users;
    use tower_sessions::session::{Id, Record};
    use tower_sessions::SessionStore;
    let app = spawn_app().await;
    app.verified_member("Sam", "sam@example.com", "sam's long passphrase").await;
    let browser = TestApp::new_client();
    assert_eq!(app.login_with(&browser, "sam@example.com", "sam's long passphrase").await, "/dashboard");
    let store = SqliteSessionStore::new(app.state.db.clone());
    let user_id: i64 = query_one(&app, "SELECT id FROM users WHERE email = 'sam@example.com'");

    // A request loads its session (a refused form post, say, about to keep what was typed)…
    let mut record = Record {
        id: Id::default(),
        data: [("user_id".to_owned(), serde_json::json!(user_id))].into_iter().collect(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    store.create(&mut record).await.unwrap();
    let mut loaded = store.load(&record.id).await.unwrap().expect("the session as the request loaded it");
    // …meanwhile a password reset ends every session of the person…
    let ended = app.state.db.run(move |c| users::end_sessions(c, user_id)).await.unwrap();
    assert!(ended >= 1);
    // …then the request saves what it changed.
    loaded.data.insert("typed".into(), serde_json::json!({"email": "sam@example.com"}));
    store.save(&loaded).await.unwrap();
    assert!(store.load(&record.id).await.unwrap().is_none(), "the ended session stays ended");
    assert_eq!(query_one::<i64>(&app, "SELECT count(*) FROM sessions WHERE user_id IS NOT NULL"), 0);
    assert!(lands(&app, &browser, "/dashboard").await.starts_with("/login?next="));
}

#[tokio::test]
async fn a_generated_license_signing_key_lives_in_a_private_file_never_in_the_database() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app().await;
    let file = app.state.config.storage_dir.join("license_signing_key");
    let mode = std::fs::metadata(&file).expect("the key file exists").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "readable by the server's user only");
    assert_eq!(query_one::<i64>(&app, "SELECT count(*) FROM settings WHERE key = 'license_signing_key'"), 0);
    let public_key = app.get("/api/licenses/public-key").await.text().await.unwrap();
    // The same key after a restart.
    let dir = app.stop().await;
    let again = crate::helpers::spawn_app_in(dir, &[]).await;
    assert_eq!(again.get("/api/licenses/public-key").await.text().await.unwrap(), public_key);
}

#[tokio::test]
async fn a_key_an_earlier_version_kept_in_the_database_moves_to_the_file_and_still_verifies() {
    let dir = tempfile::TempDir::new().unwrap();
    let seed = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    {
        let db = dir.path().join("atelier.db");
        let mut conn = rusqlite::Connection::open(&db).unwrap();
        atelier::server::db::migrate::run(&mut conn).unwrap();
        conn.execute("INSERT INTO settings (key, value, updated_at) VALUES ('license_signing_key', ?1, 0)", [seed])
            .unwrap();
    }
    let app = crate::helpers::spawn_app_in(dir, &[]).await;
    let expected = atelier::server::studio::licensing::LicenseSigner::from_seed_text(seed).unwrap().public_key();
    assert!(app.get("/api/licenses/public-key").await.text().await.unwrap().contains(&expected));
    assert_eq!(query_one::<i64>(&app, "SELECT count(*) FROM settings WHERE key = 'license_signing_key'"), 0);
    let kept = std::fs::read_to_string(app.state.config.storage_dir.join("license_signing_key")).unwrap();
    assert_eq!(kept, seed);
}

/// The real binary in production mode, its log in `dir/server.log`; `site_url` as given.
fn start_production(dir: &std::path::Path, site_url: &str, without: &[&str]) -> (std::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let log = std::fs::File::create(dir.join("server.log")).unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_atelier"));
    command
        .env_clear()
        .env("APP_ENV", "production")
        .env("SECRET_KEY", "a-production-secret-of-forty-characters!")
        .env("SITE_URL", site_url)
        .env("SMTP_HOST", "127.0.0.1")
        .env("SMTP_PORT", "2525")
        .env("SMTP_TLS", "none")
        .env("MAIL_FROM", "Studio <hello@studio.example>")
        .env("LICENSE_SIGNING_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
        .env("DATABASE_PATH", dir.join("atelier.db"))
        .env("STORAGE_DIR", dir.join("storage"))
        .env("BACKUP_DIR", dir.join("backups"))
        .env("UPLOADS_DIR", dir.join("uploads"))
        .env("OUTBOX_DIR", dir.join("outbox"))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(log.try_clone().unwrap())
        .stderr(log);
    for variable in without {
        command.env_remove(variable);
    }
    let child = command.spawn().expect("the server binary starts");
    (child, format!("http://127.0.0.1:{port}"))
}

/// Kills the child when the test ends, however it ends.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn production_mode_sends_hsts_secure_cookies_json_logs_and_refuses_the_sandbox() {
    let dir = tempfile::TempDir::new().unwrap();
    let (child, base) = start_production(dir.path(), "https://studio.example", &[]);
    let _running = Running(child);
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut up = None;
    for _ in 0..300 {
        if let Ok(res) = http.get(format!("{base}/health")).send().await {
            up = Some(res);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let health = up.unwrap_or_else(|| {
        panic!("the server never answered: {}", std::fs::read_to_string(dir.path().join("server.log")).unwrap())
    });
    let hsts = health.headers().get("strict-transport-security").expect("HSTS in production");
    assert!(hsts.to_str().unwrap().contains("max-age="), "{hsts:?}");

    // A refused sign-in without JavaScript keeps what was typed in a session: its cookie is Secure.
    let res = http
        .post(format!("{base}/api/auth/login"))
        .header("origin", "https://studio.example")
        .header("referer", "https://studio.example/login")
        .header("accept", "text/html")
        .form(&[("email", "nobody@example.com"), ("password", "not the password")])
        .send()
        .await
        .unwrap();
    let cookie = match res.headers().get(header::SET_COOKIE) {
        Some(cookie) => cookie.to_str().unwrap().to_owned(),
        None => panic!("no session cookie: {} {:?}", res.status(), res.headers()),
    };
    assert!(cookie.contains("; Secure") && cookie.contains("HttpOnly"), "{cookie}");

    // No sandbox gateway in production.
    let res = http
        .post(format!("{base}/api/site/sandbox_pay"))
        .header("origin", "https://studio.example")
        .form(&[("order", "ATL-20261207-AAAAAA"), ("outcome", "pay")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404, "the sandbox gateway is off");
    let page = http.get(format!("{base}/products")).send().await.unwrap().text().await.unwrap();
    assert!(!page.to_lowercase().contains("sandbox"), "no sandbox button offered");

    // Every log line is JSON.
    let log = std::fs::read_to_string(dir.path().join("server.log")).unwrap();
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty());
    for line in lines {
        let parsed: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}"));
        assert!(parsed.get("level").is_some(), "{line}");
    }
}

#[tokio::test]
async fn production_mode_refuses_to_start_with_a_plain_http_site_url() {
    let dir = tempfile::TempDir::new().unwrap();
    let (mut child, _) = start_production(dir.path(), "http://studio.example", &[]);
    let status = child.wait().unwrap();
    assert!(!status.success(), "it must not start");
    let log = std::fs::read_to_string(dir.path().join("server.log")).unwrap();
    assert!(log.contains("SITE_URL") && log.contains("https://"), "{log}");
}

#[tokio::test]
async fn production_mode_refuses_to_start_without_a_license_signing_key() {
    let dir = tempfile::TempDir::new().unwrap();
    let (mut child, _) = start_production(dir.path(), "https://studio.example", &["LICENSE_SIGNING_KEY"]);
    let status = child.wait().unwrap();
    assert!(!status.success(), "it must not start");
    let log = std::fs::read_to_string(dir.path().join("server.log")).unwrap();
    assert!(log.contains("LICENSE_SIGNING_KEY"), "{log}");
    assert!(!dir.path().join("storage/license_signing_key").exists(), "nothing generated in production");
}
