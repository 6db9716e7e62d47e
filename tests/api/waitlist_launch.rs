//! "Notify the waitlist": one launch mail per person, with an early-bird coupon,
//! however often the button is pressed or the job is run.

use crate::helpers::{spawn_app, TestApp};
use atelier::domain::waitlist::WaitlistSignup;
use atelier::server::db::{waitlist, DbError};
use atelier::server::jobs::{self, JobKind};
use serde_json::Value;

const PW: &str = "waited patiently for this";

fn exec(app: &TestApp, sql: &str) {
    rusqlite::Connection::open(&app.db_path).unwrap().execute_batch(sql).unwrap();
}

fn query_one<T: rusqlite::types::FromSql>(app: &TestApp, sql: &str) -> T {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

async fn join(app: &TestApp, product_id: i64, email: &str) {
    let signup = WaitlistSignup::parse(email, "Waiting Person").unwrap();
    app.state.db.run(move |c| waitlist::join(c, product_id, &signup, atelier::domain::Lang::En)).await.unwrap();
}

async fn notify(app: &TestApp, staff: &reqwest::Client, product_id: i64) -> reqwest::Response {
    let id = product_id.to_string();
    app.post_api(staff, "/api/admin/notify_waitlist", &[("product_id", &id), ("percent", "25"), ("days", "7")]).await
}

fn launch_mails(app: &TestApp) -> Vec<crate::smtp::Received> {
    app.mail.received().into_iter().filter(|m| m.subject().contains("is here")).collect()
}

/// Runs the launch job once more, as a crash and a retry would.
async fn run_the_job_again(app: &TestApp, product_id: i64) {
    let job = atelier::server::studio::waitlist_launch::LaunchJob { product_id };
    app.state
        .db
        .run(move |c| -> Result<(), DbError> { jobs::enqueue(c, JobKind::WaitlistLaunch, &job, None).map(|_| ()) })
        .await
        .unwrap();
    app.drain_jobs().await;
}

#[tokio::test]
async fn each_person_waiting_gets_one_launch_mail_with_the_early_bird_coupon() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let product = app.product_on_sale("launch-kit", "Launch Kit", "digital", "web_access", "200000").await;
    exec(&app, "UPDATE products SET status = 'waitlist'");
    for email in ["ana@example.com", "budi@example.com", "citra@example.com"] {
        join(&app, product, email).await;
    }

    let res = notify(&app, &staff, product).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Put the product on sale first"));

    exec(&app, "UPDATE products SET status = 'active'");
    assert!(notify(&app, &staff, product).await.status().is_success());
    app.drain_jobs().await;
    run_the_job_again(&app, product).await;
    // Pressed again: the launch is not started twice.
    assert!(notify(&app, &staff, product).await.status().is_success());
    app.drain_jobs().await;

    let mails = launch_mails(&app);
    assert_eq!(mails.len(), 3, "one each");
    let mut codes = std::collections::HashMap::new();
    for email in ["ana@example.com", "budi@example.com", "citra@example.com"] {
        let theirs: Vec<_> = mails.iter().filter(|m| m.to.iter().any(|t| t.contains(email))).collect();
        assert_eq!(theirs.len(), 1, "{email}");
        let body = theirs[0].decoded();
        let code = body.split("the code ").nth(1).and_then(|r| r.split_whitespace().next()).unwrap().to_owned();
        let code = code.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()).to_owned();
        assert!(code.starts_with("EARLY-") && code.len() == 16, "{code}");
        assert!(body.contains(&format!("25 % off with the code {code}")), "{body}");
        assert!(body.contains(&format!("/products/launch-kit?coupon={code}")), "{body}");
        let (percent, max, product_of, bound): (i64, i64, i64, String) = rusqlite::Connection::open(&app.db_path)
            .unwrap()
            .query_row("SELECT value, max_uses, product_id, email FROM coupons WHERE code = ?1", [&code], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .unwrap();
        assert_eq!(
            (percent, max, product_of, bound.as_str()),
            (25, 1, product, email),
            "one use, this product, this address"
        );
        codes.insert(email, code);
    }
    assert_eq!(codes.values().collect::<std::collections::HashSet<_>>().len(), 3, "every code is its own");

    // Budi signs up as a member: Ana's code is not his; his own works, once.
    app.verified_member("Budi", "budi@example.com", PW).await;
    let budi = TestApp::new_client();
    app.login_with(&budi, "budi@example.com", PW).await;
    let form = [("slug", "launch-kit"), ("gateway", "sandbox"), ("coupon", codes["ana@example.com"].as_str())];
    let res = app.post_api(&budi, "/api/site/checkout", &form).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("mailed to another address"));
    let check = [("slug", "launch-kit"), ("code", codes["ana@example.com"].as_str())];
    let checked: Value = app.post_api(&budi, "/api/site/check_coupon", &check).await.json().await.unwrap();
    assert_eq!(checked["valid"], false, "{checked}");
    let form = [("slug", "launch-kit"), ("gateway", "sandbox"), ("coupon", codes["budi@example.com"].as_str())];
    let res = app.post_form_with(&budi, "/api/site/checkout", &form).await;
    let order = res.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_owned();
    // One pending use per person: a second checkout with the same code waits for the first.
    let again = app.post_api(&budi, "/api/site/checkout", &form).await;
    assert_eq!(again.status(), 400);
    assert!(again.text().await.unwrap().contains(&format!("Your order {order} with this code is waiting")));
    app.post_form_with(&budi, "/api/site/sandbox_pay", &[("order", &order), ("outcome", "pay")]).await;
    assert_eq!(query_one::<i64>(&app, "SELECT amount FROM orders WHERE status = 'paid'"), 150_000);
    let used = app.post_api(&budi, "/api/site/checkout", &form).await;
    assert!(used.text().await.unwrap().contains("used up"));

    let counts: Value = app.post_api(&staff, "/api/admin/waitlist", &[]).await.json().await.unwrap();
    let row = &counts[0];
    assert_eq!((row["count"].as_i64(), row["mailed"].as_i64(), row["converted"].as_i64()), (Some(3), Some(3), Some(1)));
    assert_eq!(row["codes_used"].as_i64(), Some(1));
    let page = staff.get(app.url("/admin/waitlist")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("own codes, 1 used"), "{page}");
    let people: Value = app
        .post_api(&staff, "/api/admin/waitlist_people", &[("product_id", &product.to_string())])
        .await
        .json()
        .await
        .unwrap();
    let budi_row = people["rows"].as_array().unwrap().iter().find(|p| p["email"] == "budi@example.com").unwrap();
    assert_eq!(
        (budi_row["code"].as_str(), budi_row["code_uses"].as_i64()),
        (Some(codes["budi@example.com"].as_str()), Some(1))
    );
    // The codes are the list's, not the studio's coupons list.
    let coupons = staff.get(app.url("/admin/coupons")).send().await.unwrap().text().await.unwrap();
    assert!(!coupons.contains("EARLY-"), "{coupons}");
}

#[tokio::test]
async fn checking_coupon_codes_is_rate_limited_per_address() {
    let app = spawn_app().await;
    app.product_on_sale("launch-kit", "Launch Kit", "digital", "web_access", "200000").await;
    let guesser = TestApp::new_client();
    let mut limited = false;
    for i in 0..40 {
        let guess = format!("EARLY-GUESS{i:04}");
        let res = app.post_api(&guesser, "/api/site/check_coupon", &[("slug", "launch-kit"), ("code", &guess)]).await;
        if res.status() == 429 {
            limited = true;
            assert!(i >= 30, "the first 30 a minute are answered: {i}");
            break;
        }
    }
    assert!(limited, "guessing codes is throttled");
}

#[tokio::test]
async fn a_long_list_is_mailed_in_batches_and_a_stopped_launch_resumes_without_repeats() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let product = app.product_on_sale("ui-kit", "UI Kit", "digital", "web_access", "90000").await;
    for i in 0..120 {
        join(&app, product, &format!("person{i}@example.com")).await;
    }
    assert!(notify(&app, &staff, product).await.status().is_success());
    // As if a first batch had committed before the process died: those 50 have their mail queued.
    exec(
        &app,
        "UPDATE waitlist_entries SET launch_mailed_at = 1
         WHERE id IN (SELECT id FROM waitlist_entries ORDER BY created_at, id LIMIT 50)",
    );
    app.drain_jobs().await;
    run_the_job_again(&app, product).await;
    let mails = launch_mails(&app);
    assert_eq!(mails.len(), 70, "the 70 not yet mailed, once each");
    let mut to: Vec<String> = mails.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 70);
    assert_eq!(query_one::<i64>(&app, "SELECT count(*) FROM waitlist_entries WHERE launch_mailed_at IS NULL"), 0);
    assert!(query_one::<Option<i64>>(&app, "SELECT finished_at FROM waitlist_launches").is_some());
}

#[tokio::test]
async fn a_long_waitlist_exports_whole_in_batches() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let product = app.product_on_sale("big-list", "Big List", "digital", "web_access", "200000").await;
    // More than two batches, several joining in the same second.
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    for i in 0..1_203 {
        conn.execute(
            "INSERT INTO waitlist_entries (product_id, email, name, created_at) VALUES (?1, ?2, 'W', ?3)",
            rusqlite::params![product, format!("w{i:04}@example.com"), 1_000 + i / 3],
        )
        .unwrap();
    }
    let csv = staff.get(app.url(&format!("/admin/waitlist/{product}/export.csv"))).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 1_203, "a header and every entry once");
    for (i, line) in lines[1..].iter().enumerate() {
        assert!(line.starts_with(&format!("\"w{i:04}@example.com\"")), "{i}: {line}");
    }
}

#[tokio::test]
async fn someone_waiting_with_an_account_in_indonesian_gets_the_launch_mail_in_it() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let product = app.product_on_sale("launch-kit", "Launch Kit", "digital", "web_access", "200000").await;
    exec(&app, "UPDATE products SET status = 'waitlist'");
    app.verified_member("Ana", "ana@example.com", PW).await;
    exec(&app, "UPDATE users SET lang = 'id' WHERE email = 'ana@example.com'");
    for email in ["ana@example.com", "budi@example.com"] {
        join(&app, product, email).await;
    }
    exec(&app, "UPDATE products SET status = 'active'");
    assert!(notify(&app, &staff, product).await.status().is_success());
    app.drain_jobs().await;
    let launch = |who: &str| app.mail.to(who).into_iter().find(|m| m.subject().starts_with("Launch Kit")).unwrap();
    let (ana, budi) = (launch("ana@example.com"), launch("budi@example.com"));
    assert_eq!(ana.subject(), "Launch Kit sudah hadir: diskon 25 % karena Anda menunggu");
    let body = ana.decoded();
    assert!(body.contains("diskon 25 % dengan kode EARLY-") && body.contains(" pukul "), "{body}");
    assert!(!body.contains("thanks for waiting") && !body.contains("See it with your discount"), "{body}");
    assert_eq!(budi.subject(), "Launch Kit is here: 25 % off for waiting");
    assert!(budi.decoded().contains("25 % off with the code EARLY-"), "{}", budi.decoded());
}
