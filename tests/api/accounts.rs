use crate::helpers::{spawn_app, spawn_app_in, TestApp};
use reqwest::header;

const PW: &str = "correct horse battery";

fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("atelier_session="))
        .map(str::to_owned)
}

fn user_count(app: &TestApp) -> i64 {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row("SELECT count(*) FROM users", [], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn a_visitor_registers_confirms_the_email_signs_in_and_out() {
    let app = spawn_app().await;
    let res = app
        .post_form(
            "/api/auth/register",
            &[("name", "Ana Putri"), ("email", "ana@example.com"), ("password", PW), ("password_confirm", PW)],
        )
        .await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()[header::LOCATION], "/verify-email?sent=1");

    // Mail goes through the job queue to the SMTP server.
    assert!(app.mail.received().is_empty(), "nothing is sent inside the request");
    app.drain_jobs().await;
    let mail = app.mail.to("ana@example.com").pop().expect("a welcome mail");
    assert_eq!(mail.subject(), "Welcome to Atelier: please confirm your email");
    let decoded = mail.decoded();
    assert!(decoded.contains("Content-Type: text/plain") && decoded.contains("Content-Type: text/html"));
    let link = mail.link(&app.url("/verify-email?token=")).expect("an absolute link");

    // Before confirming, signing in leads only to the verification page, and so does the dashboard.
    assert_eq!(app.login("ana@example.com", PW).await, "/verify-email");
    let res = app.get("/dashboard").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()[header::LOCATION], "/verify-email");
    // So do the dashboard's server functions, called directly.
    let res = app.client.post(app.url("/api/dashboard/orders")).send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("confirm your email"));

    let page = app.client.get(&link).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Your email is confirmed"));
    // The link works once.
    let again = app.client.get(&link).send().await.unwrap().text().await.unwrap();
    assert!(again.contains("expired or was already used"));

    let res = app.get("/dashboard").await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Ana Putri"));
    assert_eq!(app.client.post(app.url("/api/dashboard/orders")).send().await.unwrap().status(), 200);

    let res = app.post_form("/api/auth/logout", &[]).await;
    assert_eq!(res.status(), 302);
    let res = app.get("/dashboard").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()[header::LOCATION], "/login?next=/dashboard");
}

/// The `atelier_session=<id>` pair of a cookie header.
fn id_of(cookie: &str) -> String {
    cookie.split(';').next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn signing_in_always_starts_a_new_session_and_the_old_id_stops_working() {
    let app = spawn_app().await;
    app.verified_member("Budi", "budi@example.com", PW).await;
    // A session exists before this sign-in: the browser is signed in already.
    let browser = TestApp::new_client();
    let login = [("email", "budi@example.com"), ("password", PW)];
    let first = app.post_form_with(&browser, "/api/auth/login", &login).await;
    let before = id_of(&session_cookie(&first).expect("a session after the first sign-in"));
    let second = app.post_form_with(&browser, "/api/auth/login", &login).await;
    let after = id_of(&session_cookie(&second).expect("sign-in sets the session cookie"));
    assert_ne!(before, after, "a new id at every sign-in");

    // Whoever holds the old id (fixed or stolen before sign-in) is not signed in with it.
    let holder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = holder.get(app.url("/dashboard")).header(header::COOKIE, &before).send().await.unwrap();
    assert!(res.status().is_redirection(), "the old id opens nothing: {}", res.status());
    assert!(res.headers()["location"].to_str().unwrap().starts_with("/login"));
    let res = holder.get(app.url("/dashboard")).header(header::COOKIE, &after).send().await.unwrap();
    assert_eq!(res.status(), 200, "the new id is the session");

    // An id planted in the browser by someone else is never adopted.
    let planted = "atelier_session=planted-by-an-attacker";
    let res = holder
        .post(app.url("/api/auth/login"))
        .header(header::COOKIE, planted)
        .header("Origin", &app.address)
        .header("Accept", "text/html")
        .form(&login)
        .send()
        .await
        .unwrap();
    let issued = id_of(&session_cookie(&res).expect("sign-in sets the session cookie"));
    assert_ne!(issued, planted);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_same_site_and_lasts_a_day_or_a_week_if_remembered() {
    let app = spawn_app().await;
    app.verified_member("Budi", "budi@example.com", PW).await;
    let res = app.post_form("/api/auth/login", &[("email", "budi@example.com"), ("password", PW)]).await;
    let cookie = session_cookie(&res).expect("sign-in sets the session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http in development: {cookie}");
    // Without "remember me" the session lasts a day.
    let max_age: i64 = cookie
        .split(';')
        .find_map(|p| p.trim().strip_prefix("Max-Age="))
        .and_then(|v| v.parse().ok())
        .expect("Max-Age");
    assert!((86_000..=86_400).contains(&max_age), "{max_age}");

    let remembered = TestApp::new_client();
    let res = app
        .post_form_with(
            &remembered,
            "/api/auth/login",
            &[("email", "budi@example.com"), ("password", PW), ("remember", "on")],
        )
        .await;
    let cookie = session_cookie(&res).unwrap();
    assert!(cookie.contains("Max-Age=604800") || cookie.contains("Max-Age=6047"), "7 days: {cookie}");
}

/// The session's stored expiry, in seconds from now.
fn expires_in(app: &TestApp) -> i64 {
    let db = rusqlite::Connection::open(&app.db_path).unwrap();
    let at: i64 = db.query_row("SELECT max(expiry_date) FROM sessions", [], |r| r.get(0)).unwrap();
    at - atelier::server::db::now()
}

/// Moves every stored session's expiry to `secs` from now (as if idle since).
fn set_expires_in(app: &TestApp, secs: i64) {
    let db = rusqlite::Connection::open(&app.db_path).unwrap();
    db.execute("UPDATE sessions SET expiry_date = ?1", [atelier::server::db::now() + secs]).unwrap();
}

fn max_age(res: &reqwest::Response) -> Option<i64> {
    session_cookie(res)?.split(';').find_map(|p| p.trim().strip_prefix("Max-Age=")).and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn activity_keeps_a_session_alive_a_day_past_the_last_visit_renewing_at_most_hourly() {
    let app = spawn_app().await;
    app.verified_member("Dewi", "dewi@example.com", PW).await;
    let member = TestApp::new_client();
    assert_eq!(app.login_with(&member, "dewi@example.com", PW).await, "/dashboard");

    // Signed in 22 hours ago and active since: the visit pushes the end a day out again.
    set_expires_in(&app, 2 * 3600);
    let res = member.get(app.url("/dashboard")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(max_age(&res).is_some_and(|a| (86_000..=86_400).contains(&a)), "the cookie is renewed: {res:?}");
    assert!((86_000..=86_400).contains(&expires_in(&app)), "stored: {}", expires_in(&app));

    // Within the hour after a renewal, a visit writes nothing.
    set_expires_in(&app, 86_400 - 600);
    let res = member.get(app.url("/dashboard/orders")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(session_cookie(&res), None, "no renewal yet");
    assert!((86_400 - 610..=86_400 - 590).contains(&expires_in(&app)), "stored: {}", expires_in(&app));
}

#[tokio::test]
async fn a_remembered_session_keeps_its_week_when_renewed_and_when_it_changes() {
    let app = spawn_app().await;
    app.verified_member("Eka", "eka@example.com", PW).await;
    let member = TestApp::new_client();
    let res = app
        .post_form_with(
            &member,
            "/api/auth/login",
            &[("email", "eka@example.com"), ("password", PW), ("remember", "on")],
        )
        .await;
    assert_eq!(res.headers()[header::LOCATION], "/dashboard");

    // Two days idle: the visit renews the full week, not a day.
    set_expires_in(&app, 5 * 86_400);
    let res = member.get(app.url("/dashboard")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(max_age(&res).is_some_and(|a| a > 604_000), "{res:?}");
    assert!(expires_in(&app) > 604_000, "stored: {}", expires_in(&app));

    // A refused form keeps its input in the session (a change): still a week.
    set_expires_in(&app, 6 * 86_400);
    let res = member
        .post(app.url("/api/dashboard/change_email"))
        .header("Accept", "text/html")
        .header("Origin", &app.address)
        .header("Referer", app.url("/dashboard/profile"))
        .form(&[("new_email", "eka.new@example.com"), ("current_password", "not my password")])
        .send()
        .await
        .unwrap();
    let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(location.contains("__err="), "{location}");
    assert!(max_age(&res).is_some_and(|a| a > 604_000), "{res:?}");
    assert!(expires_in(&app) > 604_000, "a changed remembered session: {}", expires_in(&app));
    let url = if location.starts_with("http") { location } else { app.url(&location) };
    let page = member.get(url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"value="eka.new@example.com""#), "the refused input is kept: {page}");
    assert!(expires_in(&app) > 604_000, "after the input was taken: {}", expires_in(&app));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_look_the_same() {
    let app = spawn_app().await;
    app.verified_member("Citra", "citra@example.com", PW).await;
    let wrong =
        app.post_form("/api/auth/login", &[("email", "citra@example.com"), ("password", "not my password")]).await;
    let unknown =
        app.post_form("/api/auth/login", &[("email", "nobody@example.com"), ("password", "not my password")]).await;
    assert_eq!(wrong.status(), unknown.status());
    assert_eq!(wrong.headers()[header::LOCATION], unknown.headers()[header::LOCATION]);

    // The same through the JSON interface the hydrated page uses.
    let json = |email: &'static str| {
        app.client.post(app.url("/api/auth/login")).form(&[("email", email), ("password", "not my password")]).send()
    };
    let (a, b) = (json("citra@example.com").await.unwrap(), json("nobody@example.com").await.unwrap());
    assert_eq!(a.status(), b.status());
    let (a, b) = (a.text().await.unwrap(), b.text().await.unwrap());
    assert_eq!(a, b);
    assert!(a.contains("do not match an account"), "{a}");
}

#[tokio::test]
async fn registering_a_known_email_answers_the_same_and_mails_the_owner() {
    let app = spawn_app().await;
    app.verified_member("Dewi", "dewi@example.com", PW).await;
    let res = app
        .post_form(
            "/api/auth/register",
            &[("name", "Impostor"), ("email", "DEWI@example.com"), ("password", PW), ("password_confirm", PW)],
        )
        .await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()[header::LOCATION], "/verify-email?sent=1");
    app.drain_jobs().await;
    let last = app.mail.to("DEWI@example.com").pop().expect("the owner is told");
    assert_eq!(last.subject(), "You already have an account with Atelier");
    assert_eq!(user_count(&app), 1);
}

#[tokio::test]
async fn bad_registration_input_is_explained_and_changes_nothing() {
    let app = spawn_app().await;
    let cases = [
        (("", "e@example.com", PW, PW), "Enter your name."),
        (("Eka", "not-an-email", PW, PW), "Enter an email address like name@example.com."),
        (("Eka", "e@example.com", "short", "short"), "at least 10 characters"),
        (("Eka", "e@example.com", PW, "something else!"), "do not match"),
    ];
    for ((name, email, pw, confirm), message) in cases {
        let res = app
            .client
            .post(app.url("/api/auth/register"))
            .form(&[("name", name), ("email", email), ("password", pw), ("password_confirm", confirm)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "a validation error is the visitor's to fix");
        let body = res.text().await.unwrap();
        assert!(body.contains(message), "{message:?} in {body}");
    }
    assert_eq!(user_count(&app), 0);
    assert!(app.drain_jobs().await.is_empty(), "no mail queued");
}

#[tokio::test]
async fn the_sixth_login_attempt_in_a_minute_is_refused() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let res = app.post_form("/api/auth/login", &[("email", "x@example.com"), ("password", "whatever123")]).await;
        assert_eq!(res.status(), 302);
    }
    let res = app
        .client
        .post(app.url("/api/auth/login"))
        .form(&[("email", "x@example.com"), ("password", "whatever123")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    let err: atelier::error::AppError = res.json().await.unwrap();
    assert_eq!(err, atelier::error::AppError::RateLimited);
    assert!(err.to_string().contains("Too many attempts"));
}

/// A sign-in attempt as the client behind the proxy at `ip` (the proxy's own entry
/// is the right-most; `forged` is what the client itself claimed).
async fn login_from(app: &TestApp, ip: &str, forged: &str, email: &str) -> reqwest::StatusCode {
    app.client
        .post(app.url("/api/auth/login"))
        .header("origin", &app.address)
        .header("x-forwarded-for", format!("{forged}, {ip}"))
        .form(&[("email", email), ("password", "whatever123")])
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_client_cannot_escape_the_limit_by_forging_forwarded_for() {
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &[]).await;
    for i in 0..5 {
        assert_eq!(login_from(&app, "198.51.100.7", &format!("10.0.0.{i}"), "x@example.com").await, 400);
    }
    assert_eq!(login_from(&app, "198.51.100.7", "10.0.0.99", "x@example.com").await, 429, "a new forged entry");
    assert_eq!(login_from(&app, "198.51.100.8", "10.0.0.99", "y@example.com").await, 400, "another client");
}

#[tokio::test]
async fn a_client_reaching_the_server_directly_cannot_choose_its_address() {
    // As in the Docker image before: the hop switch set, the server reached without a proxy.
    let env = [("TRUSTED_PROXIES", "192.0.2.1/32"), ("TRUST_PROXY", "true"), ("TRUSTED_PROXY_HOPS", "1")];
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &env).await;
    for i in 0..5 {
        assert_eq!(login_from(&app, &format!("198.51.100.{i}"), "", "x@example.com").await, 400);
    }
    // A new forged address each time changes nothing: the peer is who is counted.
    assert_eq!(login_from(&app, "198.51.100.99", "", "x@example.com").await, 429);
}

#[tokio::test]
async fn one_account_is_throttled_however_its_address_is_capitalised() {
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &[]).await;
    app.verified_member("Vic", "victim@example.com", "correct horse battery").await;
    let spellings = ["Victim@example.com", "vICTIM@example.com", "VICTIM@EXAMPLE.COM", "victim@Example.com"];
    for i in 0..10 {
        let email = spellings[i % spellings.len()];
        assert_eq!(login_from(&app, &format!("203.0.113.{i}"), "", email).await, 400);
    }
    assert_eq!(login_from(&app, "203.0.113.50", "", "ViCtIm@example.com").await, 429, "the eleventh guess");
}

#[tokio::test]
async fn one_account_is_throttled_whatever_addresses_the_attempts_come_from() {
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &[]).await;
    app.verified_member("Ana", "ana@example.com", "correct horse battery").await;
    for i in 0..10 {
        assert_eq!(login_from(&app, &format!("203.0.113.{i}"), "", "ana@example.com").await, 400);
    }
    assert_eq!(login_from(&app, "203.0.113.50", "", "ana@example.com").await, 429, "the eleventh guess");
    assert_eq!(login_from(&app, "203.0.113.51", "", "nobody@example.com").await, 400, "other accounts are not");
    // The same answer for an address nobody registered: no way to tell which exist.
    for i in 0..10 {
        login_from(&app, &format!("192.0.2.{i}"), "", "ghost@example.com").await;
    }
    assert_eq!(login_from(&app, "192.0.2.99", "", "ghost@example.com").await, 429);
}

#[tokio::test]
async fn sessions_are_stored_hashed_and_staff_sign_ins_end_after_twelve_hours() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    assert_eq!(staff.get(app.url("/admin")).send().await.unwrap().status(), 200);
    let db = rusqlite::Connection::open(&app.db_path).unwrap();
    // Stored under a SHA-256 (64 hex digits), never the cookie's own value (22 characters).
    let ids: Vec<String> = db
        .prepare("SELECT id FROM sessions")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!ids.is_empty());
    assert!(ids.iter().all(|id| id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit())), "{ids:?}");

    // Eleven hours in, still signed in; past twelve, not, however active.
    let signed_in_ago = |hours: i64| {
        let at = atelier::server::db::now() - hours * 3600;
        db.execute("UPDATE sessions SET data = json_set(data, '$.signed_in_at', ?1)", [at]).unwrap();
    };
    signed_in_ago(11);
    assert_eq!(staff.get(app.url("/admin")).send().await.unwrap().status(), 200);
    signed_in_ago(13);
    let res = staff.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()[header::LOCATION], "/login?next=/admin");
    let cookie = session_cookie(&res).expect("the ended session's cookie is dropped");
    assert!(cookie.contains("Max-Age=0"), "{cookie}");
    let left: i64 = db.query_row("SELECT count(*) FROM sessions", [], |r| r.get(0)).unwrap();
    assert_eq!(left, 0, "the ended session is deleted, not just ignored");
}

#[tokio::test]
async fn a_session_past_its_expiry_signs_nobody_in_and_its_cookie_is_dropped() {
    let app = spawn_app().await;
    app.verified_member("Wulan", "wulan@example.com", PW).await;
    let member = TestApp::new_client();
    assert_eq!(app.login_with(&member, "wulan@example.com", PW).await, "/dashboard");
    assert_eq!(member.get(app.url("/dashboard")).send().await.unwrap().status(), 200);

    let db = rusqlite::Connection::open(&app.db_path).unwrap();
    db.execute("UPDATE sessions SET expiry_date = ?1", [atelier::server::db::now() - 1]).unwrap();
    let res = member.get(app.url("/dashboard")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()[header::LOCATION], "/login?next=/dashboard");
    let cookie = session_cookie(&res).expect("the expired session's cookie is dropped");
    assert!(cookie.contains("Max-Age=0"), "{cookie}");
    // Signed out, public pages greet a visitor.
    let home = member.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("Sign in") && !home.contains("Wulan"), "{home}");
}

#[tokio::test]
async fn a_password_reset_ends_every_other_session() {
    let app = spawn_app().await;
    app.verified_member("Fajar", "fajar@example.com", PW).await;
    let laptop = TestApp::new_client();
    assert_eq!(app.login_with(&laptop, "fajar@example.com", PW).await, "/dashboard");
    assert_eq!(laptop.get(app.url("/dashboard")).send().await.unwrap().status(), 200);

    let phone = TestApp::new_client();
    let res = app.post_form_with(&phone, "/api/auth/forgot_password", &[("email", "fajar@example.com")]).await;
    assert_eq!(res.headers()[header::LOCATION], "/forgot-password?sent=1");
    app.drain_jobs().await;
    let mail = app.mail.to("fajar@example.com").pop().unwrap();
    assert_eq!(mail.subject(), "Reset your Atelier password");
    let link = mail.link(&app.url("/reset-password?token=")).unwrap();
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let new_pw = "a brand new passphrase";
    let res = app
        .post_form_with(
            &phone,
            "/api/auth/reset_password",
            &[("token", &token), ("password", new_pw), ("password_confirm", new_pw)],
        )
        .await;
    assert_eq!(res.headers()[header::LOCATION], "/login?reset=1");

    let res = laptop.get(app.url("/dashboard")).send().await.unwrap();
    assert_eq!(res.status(), 303, "the laptop was signed out");
    assert!(app.login_with(&phone, "fajar@example.com", PW).await.contains("__err"), "old password is gone");
    assert_eq!(app.login_with(&TestApp::new_client(), "fajar@example.com", new_pw).await, "/dashboard");

    // The token works once.
    let res = app
        .client
        .post(app.url("/api/auth/reset_password"))
        .form(&[
            ("token", token.as_str()),
            ("password", "yet another passphrase"),
            ("password_confirm", "yet another passphrase"),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("expired or was already used"));
}

#[tokio::test]
async fn forgot_password_answers_the_same_for_unknown_addresses_and_says_why_in_the_mail() {
    let app = spawn_app().await;
    let res = app.post_form("/api/auth/forgot_password", &[("email", "ghost@example.com")]).await;
    assert_eq!(res.headers()[header::LOCATION], "/forgot-password?sent=1");
    app.drain_jobs().await;
    let mail = app.mail.to("ghost@example.com").pop().unwrap();
    assert!(mail.decoded().contains("there is no account with it"));
}

#[tokio::test]
async fn a_cross_origin_post_changes_nothing() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/auth/register"))
        .header("Origin", "https://evil.example")
        .form(&[("name", "Mallory"), ("email", "m@example.com"), ("password", PW), ("password_confirm", PW)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = app
        .client
        .post(app.url("/api/auth/register"))
        .header("Referer", "https://evil.example/form")
        .form(&[("name", "Mallory"), ("email", "m@example.com"), ("password", PW), ("password_confirm", PW)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // Neither `Origin` nor `Referer` nor `Sec-Fetch-Site`, or `Origin: null` (a sandboxed frame).
    let bare = reqwest::Client::new();
    let form = [("name", "Mallory"), ("email", "m@example.com"), ("password", PW), ("password_confirm", PW)];
    let res = bare.post(app.url("/api/auth/register")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = bare.post(app.url("/api/auth/register")).header("Origin", "null").form(&form).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(user_count(&app), 0);
}

#[tokio::test]
async fn each_area_admits_only_its_role_and_others_get_a_403_page() {
    let app = spawn_app().await;
    app.verified_member("Gita", "gita@example.com", PW).await;
    assert_eq!(app.login("gita@example.com", PW).await, "/dashboard");
    for path in ["/client", "/admin"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 403, "{path}");
        assert!(res.text().await.unwrap().contains("No access"), "{path}");
    }
    // Server functions check for themselves too.
    let res = app.client.post(app.url("/api/auth/viewer")).send().await.unwrap();
    assert!(res.text().await.unwrap().contains("gita@example.com"));
}

#[tokio::test]
async fn next_only_leads_back_to_this_site() {
    let app = spawn_app().await;
    app.verified_member("Hana", "hana@example.com", PW).await;
    let go = |next: &'static str| {
        let client = TestApp::new_client();
        let app = &app;
        async move {
            let res = app
                .post_form_with(
                    &client,
                    "/api/auth/login",
                    &[("email", "hana@example.com"), ("password", PW), ("next", next)],
                )
                .await;
            res.headers()[header::LOCATION].to_str().unwrap().to_owned()
        }
    };
    assert_eq!(go("/dashboard/orders?page=2").await, "/dashboard/orders?page=2");
    assert_eq!(go("https://evil.example/").await, "/dashboard");
    assert_eq!(go("//evil.example").await, "/dashboard");
}

#[tokio::test]
async fn admin_create_reads_the_password_from_stdin_and_makes_staff() {
    let app = spawn_app().await;
    app.admin_create("owner@studio.example", "staff passphrase 1");

    assert_eq!(app.login("owner@studio.example", "staff passphrase 1").await, "/admin");
    let res = app.get("/admin").await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Studio overview"));
    // Staff never get a 7-day session, even when they ask.
    let res = app
        .post_form_with(
            &TestApp::new_client(),
            "/api/auth/login",
            &[("email", "owner@studio.example"), ("password", "staff passphrase 1"), ("remember", "on")],
        )
        .await;
    let cookie = session_cookie(&res).unwrap();
    assert!(cookie.contains("Max-Age=86400") || cookie.contains("Max-Age=8639"), "{cookie}");
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_ends_other_sessions_and_is_confirmed_by_mail() {
    let app = spawn_app().await;
    let (email, old, new) = ("mia@example.com", "member passphrase 1", "a brand new passphrase");
    app.verified_member("Mia", email, old).await;
    let laptop = TestApp::new_client();
    let phone = TestApp::new_client();
    assert_eq!(app.login_with(&laptop, email, old).await, "/dashboard");
    assert_eq!(app.login_with(&phone, email, old).await, "/dashboard");
    let change = |current: &'static str| {
        let form = [("current_password", current), ("new_password", new), ("new_password_confirm", new)];
        let (app, laptop) = (&app, laptop.clone());
        async move { app.post_form_with(&laptop, "/api/dashboard/change_password", &form).await }
    };
    let status_of = |client: &reqwest::Client| {
        let request = client.get(app.url("/dashboard")).send();
        async move { request.await.unwrap().status().as_u16() }
    };

    let refused = change("not my passphrase").await;
    let location = refused.headers()["location"].to_str().unwrap().to_owned();
    let err = location.split("__err=").nth(1).expect("an error comes back").replace("%3D", "=");
    let err = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE, err).unwrap();
    assert!(String::from_utf8(err).unwrap().contains("Your current password is not right"), "{location}");
    assert_eq!(status_of(&phone).await, 200, "a refused change ends nothing");
    app.drain_jobs().await;
    assert!(app.mail.to(email).iter().all(|m| !m.subject().contains("password was changed")));

    let done = change(old).await;
    assert_eq!(done.headers()["location"], "/dashboard/profile?password=1");
    assert_eq!(status_of(&laptop).await, 200, "this device stays signed in");
    assert_eq!(status_of(&phone).await, 303, "every other device is signed out");
    app.drain_jobs().await;
    let mail = app.mail.to(email).pop().expect("a confirmation");
    assert_eq!(mail.subject(), "Your Atelier password was changed");

    assert_ne!(app.login_with(&TestApp::new_client(), email, old).await, "/dashboard", "the old one no longer works");
    assert_eq!(app.login_with(&TestApp::new_client(), email, new).await, "/dashboard");
}

#[tokio::test]
async fn a_member_downloads_everything_held_about_them_and_nothing_about_anyone_else() {
    let app = spawn_app().await;
    app.state.db.run(atelier::server::seed::demo).await.expect("demo content");
    let product: String = app
        .state
        .db
        .run(|c| {
            c.query_row("SELECT slug FROM products WHERE kind = 'digital' AND status = 'active' LIMIT 1", [], |r| {
                r.get(0)
            })
            .map_err(atelier::server::db::DbError::from)
        })
        .await
        .unwrap();
    let mut orders = Vec::new();
    for (name, email) in [("Mia", "mia@example.com"), ("Omar", "omar@example.com")] {
        app.verified_member(name, email, "member passphrase 1").await;
        let client = TestApp::new_client();
        app.login_with(&client, email, "member passphrase 1").await;
        let res =
            app.post_form_with(&client, "/api/site/checkout", &[("slug", &product), ("gateway", "sandbox")]).await;
        let order = res.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_owned();
        app.post_form_with(&client, "/api/site/sandbox_pay", &[("order", &order), ("outcome", "pay")]).await;
        let message =
            [("name", name), ("email", email), ("subject", "Hello"), ("message", &format!("A question from {name}"))];
        app.post_form_with(&client, "/api/site/contact", &message).await;
        app.post_form_with(&client, "/api/site/join_waitlist", &[("product", "insight-analytics"), ("email", email)])
            .await;
        orders.push((client, order));
    }
    app.drain_jobs().await;

    let (mia, mia_order) = &orders[0];
    let res = mia.get(app.url("/dashboard/export.json")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"atelier-data-"));
    assert_eq!(res.headers()["cache-control"], "no-store");
    let data: serde_json::Value = res.json().await.unwrap();
    assert_eq!(data["profile"]["email"], "mia@example.com");
    assert_eq!(data["orders"][0]["public_id"], mia_order.as_str());
    assert_eq!(data["orders"].as_array().unwrap().len(), 1, "only her own orders");
    assert_eq!(data["owned"].as_array().unwrap().len(), 1);
    assert_eq!(data["contact_messages"][0]["message"], "A question from Mia");
    assert_eq!(data["waitlists"][0]["product"], "Insight Analytics");
    let text = data.to_string();
    assert!(!text.contains("omar") && !text.contains("Omar") && !text.contains(&orders[1].1), "nothing of anyone else");

    let anonymous = TestApp::new_client().get(app.url("/dashboard/export.json")).send().await.unwrap();
    assert_eq!(anonymous.status(), 303, "a visitor is sent to sign in");
    assert!(anonymous.headers()["location"].to_str().unwrap().starts_with("/login?next="));
}

#[tokio::test]
async fn changing_the_email_waits_for_the_link_to_the_new_address_and_tells_the_old_one() {
    let app = spawn_app().await;
    let pw = "member passphrase 1";
    app.verified_member("Mia", "mia@example.com", pw).await;
    app.verified_member("Omar", "omar@example.com", pw).await;
    let mia = TestApp::new_client();
    assert_eq!(app.login_with(&mia, "mia@example.com", pw).await, "/dashboard");
    let change = |new_email: &'static str, password: &'static str| {
        let mia = mia.clone();
        let app = &app;
        async move {
            let form = [("new_email", new_email), ("current_password", password)];
            let res = app.post_form_with(&mia, "/api/dashboard/change_email", &form).await;
            res.headers()["location"].to_str().unwrap().to_owned()
        }
    };
    let emails = || async {
        app.state
            .db
            .run(|c| {
                let mut stmt = c.prepare("SELECT email FROM users ORDER BY id")?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
                Ok::<_, atelier::server::db::DbError>(rows)
            })
            .await
            .unwrap()
    };
    app.drain_jobs().await;
    let before = app.mail.received().len();

    assert!(change("mia.new@example.com", "not my passphrase").await.contains("__err="), "a wrong password");
    assert!(change("mia@example.com", pw).await.contains("__err="), "the same address");
    assert_eq!(change("omar@example.com", pw).await, "/dashboard/profile?email=sent", "the same answer when taken");
    app.drain_jobs().await;
    let told = app.mail.to("omar@example.com").pop().unwrap();
    assert_eq!(told.subject(), "This address already has an account with Atelier");
    assert_eq!(app.mail.received().len(), before + 1, "nothing else was sent");
    assert_eq!(emails().await, ["mia@example.com", "omar@example.com"], "nothing changed");

    assert_eq!(change("mia.new@example.com", pw).await, "/dashboard/profile?email=sent");
    app.drain_jobs().await;
    let warned = app.mail.to("mia@example.com").pop().unwrap();
    assert_eq!(warned.subject(), "A change of your Atelier email was requested");
    assert!(warned.decoded().contains("mia.new@example.com"));
    let confirm = app.mail.to("mia.new@example.com").pop().unwrap();
    let link = confirm.link(&format!("{}/confirm-email?token=", app.address)).expect("a confirmation link");
    assert_eq!(emails().await[0], "mia@example.com", "nothing changes before the link is opened");

    let page = TestApp::new_client().get(&link).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Your account now uses mia.new@example.com"), "{page}");
    assert_eq!(emails().await[0], "mia.new@example.com");
    app.drain_jobs().await;
    assert_eq!(app.mail.to("mia@example.com").pop().unwrap().subject(), "Your Atelier email was changed");
    let again = TestApp::new_client().get(&link).send().await.unwrap().text().await.unwrap();
    assert!(again.contains("expired or was already used"), "a link works once");

    assert_eq!(app.login_with(&TestApp::new_client(), "mia.new@example.com", pw).await, "/dashboard");
    assert_ne!(app.login_with(&TestApp::new_client(), "mia@example.com", pw).await, "/dashboard");
}

#[tokio::test]
async fn deleting_the_account_removes_the_person_ends_access_and_keeps_the_orders() {
    let app = spawn_app().await;
    app.state.db.run(atelier::server::seed::demo).await.expect("demo content");
    let pw = "member passphrase 1";
    app.verified_member("Mia Santoso", "mia@example.com", pw).await;
    let (laptop, phone) = (TestApp::new_client(), TestApp::new_client());
    assert_eq!(app.login_with(&laptop, "mia@example.com", pw).await, "/dashboard");
    assert_eq!(app.login_with(&phone, "mia@example.com", pw).await, "/dashboard");
    let product: String = app
        .state
        .db
        .run(|c| {
            c.query_row("SELECT slug FROM products WHERE delivery_kind = 'license_key' LIMIT 1", [], |r| r.get(0))
                .map_err(atelier::server::db::DbError::from)
        })
        .await
        .unwrap();
    let res = app.post_form_with(&laptop, "/api/site/checkout", &[("slug", &product), ("gateway", "sandbox")]).await;
    let order = res.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_owned();
    app.post_form_with(&laptop, "/api/site/sandbox_pay", &[("order", &order), ("outcome", "pay")]).await;
    app.drain_jobs().await;
    let delete = |password: &'static str, understood: &'static str| {
        let (app, laptop) = (&app, laptop.clone());
        async move {
            let form = [("current_password", password), ("understood", understood)];
            let res = app.post_form_with(&laptop, "/api/dashboard/delete_account", &form).await;
            res.headers()["location"].to_str().unwrap().to_owned()
        }
    };
    let one = |sql: &'static str| {
        let app = &app;
        async move {
            app.state
                .db
                .run(move |c| {
                    c.query_row(sql, [], |r| r.get::<_, String>(0)).map_err(atelier::server::db::DbError::from)
                })
                .await
                .unwrap()
        }
    };

    assert!(delete("not my passphrase", "on").await.contains("__err="), "a wrong password deletes nothing");
    assert!(delete(pw, "").await.contains("__err="), "nor does a missing confirmation");
    assert_eq!(one("SELECT name FROM users WHERE email = 'mia@example.com'").await, "Mia Santoso");

    assert_eq!(delete(pw, "on").await, "/login?deleted=1");
    assert_eq!(
        one("SELECT name || ' ' || email FROM users ORDER BY id DESC LIMIT 1").await,
        format!("Deleted member deleted-{}@deleted.invalid", one("SELECT CAST(max(id) AS TEXT) FROM users").await)
    );
    assert_eq!(one("SELECT status FROM orders").await, "paid", "the order stays for the books");
    for client in [&laptop, &phone] {
        let res = client.get(app.url("/dashboard")).send().await.unwrap();
        assert_eq!(res.status(), 303, "every session ended");
    }
    assert_ne!(app.login_with(&TestApp::new_client(), "mia@example.com", pw).await, "/dashboard", "no sign-in");

    app.drain_jobs().await;
    assert_eq!(one("SELECT status FROM deliveries").await, "revoked", "what the purchase gave is withdrawn");
    let key_status =
        one("SELECT CASE WHEN revoked_at IS NULL THEN 'active' ELSE 'revoked' END FROM license_keys").await;
    assert_eq!(key_status, "revoked", "the license key stops validating");
    let mail = app.mail.to("mia@example.com").pop().expect("a confirmation");
    assert_eq!(mail.subject(), "Your Atelier account was deleted");
}

#[tokio::test]
async fn a_staff_account_is_not_deleted_from_the_profile() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let form = [("current_password", crate::helpers::STAFF_PASSWORD), ("understood", "on")];
    let res = app.post_form_with(&staff, "/api/dashboard/delete_account", &form).await;
    assert!(res.headers()["location"].to_str().unwrap().contains("__err="));
    assert_eq!(staff.get(app.url("/admin")).send().await.unwrap().status(), 200, "still signed in, still staff");
}
