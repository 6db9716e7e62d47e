//! Plans and subscriptions: bought in the sandbox, then driven through their life
//! by moving the app's clock and running the lifecycle check (what `atelier tick`
//! and the hourly job run): reminders once each, renewal from the old end, past
//! due, expiry with the access withdrawn; cancel and resume.

use crate::helpers::{spawn_app_with_clock_and, TestApp};
use atelier::domain::products::{Billing, ProductForm, ProductInput};
use atelier::domain::subscriptions::add_period;
use atelier::server::clock::Clock;
use atelier::server::db::{catalog, DbError};
use atelier::server::studio::subscriptions::{check_at, Checked};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PW: &str = "correct horse battery";
const DAY: i64 = 86_400;

struct Shop {
    app: TestApp,
    clock: Clock,
    staff: reqwest::Client,
}

/// A shop whose clock the test moves, selling `slug` (delivered as `delivery`) on a
/// monthly Pro plan (Rp 150.000, 50 tool runs a day) and a yearly one.
async fn shop(slug: &str, delivery: &str, extra_env: &[(&str, &str)]) -> Shop {
    let clock = Clock::manual(atelier::server::db::now());
    let app = spawn_app_with_clock_and(clock.clone(), extra_env).await;
    let form = ProductForm {
        slug: slug.into(),
        name: "Pipeline".into(),
        kind: "saas".into(),
        status: "active".into(),
        billing: "monthly".into(),
        price_idr: "150000".into(),
        delivery_kind: delivery.into(),
        delivery_repo: "studio/private-kit".into(),
        ..ProductForm::default()
    };
    let input = ProductInput::parse(&form).unwrap();
    let product_id = app
        .state
        .db
        .run(move |c| Ok::<_, DbError>(catalog::save(c, None, &input, &Default::default()).unwrap()))
        .await
        .unwrap();
    let staff = app.signed_in_staff().await;
    for (name, period, price, quota) in [("Pro", "monthly", "150.000", "50"), ("Pro yearly", "yearly", "1.500.000", "")]
    {
        let res = app
            .post_form_with(
                &staff,
                "/api/admin/save_plan",
                &[
                    ("product_id", &product_id.to_string()),
                    ("plan[name]", name),
                    ("plan[period]", period),
                    ("plan[price_idr]", price),
                    ("plan[price_usd]", "9.99"),
                    ("plan[features]", "Unlimited pipelines\nPriority support"),
                    ("plan[tool_quota]", quota),
                ],
            )
            .await;
        let to = res.headers()["location"].to_str().unwrap();
        assert!(to.ends_with("plan_saved=1#plans"), "plan saved: {to}");
    }
    Shop { app, clock, staff }
}

fn one<T: rusqlite::types::FromSql>(app: &TestApp, sql: &str) -> T {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

async fn member(app: &TestApp, email: &str) -> reqwest::Client {
    app.verified_member("Sub Scriber", email, PW).await;
    let client = TestApp::new_client();
    app.login_with(&client, email, PW).await;
    client
}

/// Pays in the sandbox whatever order a checkout form sent the member to.
async fn pay(app: &TestApp, client: &reqwest::Client, checkout: reqwest::Response) -> String {
    let location = checkout.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/checkout/sandbox/"), "to the sandbox: {location}");
    let order = location.rsplit('/').next().unwrap().to_owned();
    app.post_form_with(client, "/api/site/sandbox_pay", &[("order", &order), ("outcome", "pay")]).await;
    app.drain_jobs().await;
    order
}

async fn subscribe(shop: &Shop, client: &reqwest::Client, slug: &str, plan: &str, extra: &[(&str, &str)]) -> String {
    let plan_id: i64 = one(&shop.app, &format!("SELECT id FROM plans WHERE name = '{plan}'"));
    let plan_id = plan_id.to_string();
    let mut form = vec![("slug", slug), ("gateway", "sandbox"), ("plan", plan_id.as_str())];
    form.extend_from_slice(extra);
    let res = shop.app.post_form_with(client, "/api/site/checkout", &form).await;
    pay(&shop.app, client, res).await
}

/// What `atelier tick` does, at the shop's clock; then the mails it queued go out.
async fn tick(shop: &Shop) -> Checked {
    let (config, now) = (shop.app.state.config.clone(), shop.clock.now());
    let checked = shop.app.state.db.run(move |c| check_at(c, &config, now)).await.unwrap();
    shop.app.drain_jobs().await;
    checked
}

fn subjects(app: &TestApp, to: &str) -> Vec<String> {
    app.mail.to(to).iter().map(|m| m.subject()).collect()
}

/// Moves the clock to `secs` before (negative: after) the subscription's period end.
fn move_to_end(shop: &Shop, secs_before: i64) {
    let end: i64 = one(&shop.app, "SELECT current_period_end FROM subscriptions");
    let target = end - secs_before;
    shop.clock.advance(target - shop.clock.now());
}

async fn license(app: &TestApp, key: &str) -> Value {
    reqwest::Client::new()
        .post(app.url("/api/licenses/validate"))
        .json(&json!({ "key": key }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_monthly_plan_reminds_once_renews_from_its_end_lapses_and_expires() {
    let shop = shop("pipeline", "license_key", &[]).await;
    let app = &shop.app;

    // The product page compares the plans, one buy button each, and lists each plan as an Offer.
    let client = member(app, "sari@example.com").await;
    let page = client.get(app.url("/saas/pipeline")).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(page.contains("Rp 150.000 per month") && page.contains("Rp 1.500.000 per year"), "{page}");
    assert!(page.contains("Subscribe to Pro (sandbox)") && page.contains("Subscribe to Pro yearly (sandbox)"));
    assert!(page.contains(r#""name":"Pro (per month)","price":"150000""#), "JSON-LD offers: {page}");
    // A product with plans cannot be bought without choosing one.
    let res = app.post_form_with(&client, "/api/site/checkout", &[("slug", "pipeline"), ("gateway", "sandbox")]).await;
    assert!(res.headers()["location"].to_str().unwrap().contains("__err="));

    let order = subscribe(&shop, &client, "pipeline", "Pro", &[]).await;
    assert_eq!(one::<String>(app, "SELECT status FROM subscriptions"), "active");
    let start: i64 = one(app, "SELECT current_period_start FROM subscriptions");
    let end: i64 = one(app, "SELECT current_period_end FROM subscriptions");
    assert_eq!(end, add_period(start, Billing::Monthly));
    assert_eq!(one::<i64>(app, &format!("SELECT period_end FROM orders WHERE public_id = '{order}'")), end);
    let key: String = one(app, "SELECT license_key FROM license_keys");
    assert_eq!(license(app, &key).await["valid"], json!(true));
    let page = client.get(app.url("/dashboard/subscriptions")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Pipeline") && page.contains("Pro") && page.contains("Active"), "{page}");

    // Six days before the end: the 7-day reminder, exactly once however often the check runs.
    move_to_end(&shop, 6 * DAY);
    assert_eq!(tick(&shop).await, Checked { reminded: 1, ..Checked::default() });
    assert_eq!(tick(&shop).await, Checked::default());
    let reminders = subjects(app, "sari@example.com").into_iter().filter(|s| s.contains("ends in 7 days")).count();
    assert_eq!(reminders, 1);
    let mail = app.mail.to("sari@example.com").into_iter().find(|m| m.subject().contains("ends in 7 days")).unwrap();
    let sub_id: String = one(app, "SELECT public_id FROM subscriptions");
    let link = mail.link(&app.url("/dashboard/subscriptions?renew=")).expect("a one-click renewal link");
    assert!(link.ends_with(&sub_id));
    // The overview asks for attention; the renewal page offers the renewal.
    let overview = client.get(app.url("/dashboard")).send().await.unwrap().text().await.unwrap();
    assert!(overview.contains("Subscriptions to renew"), "{overview}");
    let page = client.get(&link).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Renew (sandbox payment)"), "{page}");

    // Half a day before: the second reminder.
    move_to_end(&shop, DAY / 2);
    assert_eq!(tick(&shop).await.reminded, 1);
    assert_eq!(tick(&shop).await.reminded, 0);
    assert!(subjects(app, "sari@example.com").iter().any(|s| s.contains("renews tomorrow")));

    // Renewing extends from the current end, not from today.
    let res = app
        .post_form_with(
            &client,
            "/api/dashboard/renew_subscription",
            &[("subscription", &sub_id), ("gateway", "sandbox")],
        )
        .await;
    let renewal = pay(app, &client, res).await;
    let new_end: i64 = one(app, "SELECT current_period_end FROM subscriptions");
    assert_eq!(new_end, add_period(end, Billing::Monthly));
    assert_eq!(one::<i64>(app, "SELECT count(*) FROM subscriptions"), 1, "a renewal is not a second subscription");
    assert_eq!(one::<i64>(app, "SELECT count(*) FROM deliveries"), 1, "nothing is delivered twice");
    assert_eq!(one::<i64>(app, &format!("SELECT period_start FROM orders WHERE public_id = '{renewal}'")), end);
    assert!(subjects(app, "sari@example.com").iter().any(|s| s == "Pipeline renewed"));

    // Past the new end: past due with a mail, access kept through the grace days (3).
    move_to_end(&shop, -60);
    assert_eq!(tick(&shop).await, Checked { lapsed: 1, ..Checked::default() });
    assert_eq!(one::<String>(app, "SELECT status FROM subscriptions"), "past_due");
    assert!(subjects(app, "sari@example.com").iter().any(|s| s.contains("has lapsed")));
    assert_eq!(license(app, &key).await["valid"], json!(true));
    move_to_end(&shop, -2 * DAY);
    assert_eq!(tick(&shop).await, Checked::default());

    // After the grace days: expired, the key refused, one mail.
    move_to_end(&shop, -3 * DAY - 1);
    assert_eq!(tick(&shop).await, Checked { expired: 1, ..Checked::default() });
    assert_eq!(tick(&shop).await, Checked::default());
    assert_eq!(one::<String>(app, "SELECT status FROM subscriptions"), "expired");
    let answer = license(app, &key).await;
    assert_eq!((answer["valid"].clone(), answer["status"].clone()), (json!(false), json!("revoked")));
    let mails = subjects(app, "sari@example.com");
    for once in ["ends in 7 days", "renews tomorrow", "renewed", "has lapsed", "has ended"] {
        assert_eq!(mails.iter().filter(|s| s.contains(once)).count(), 1, "{once}: {mails:?}");
    }
    // An expired subscription is not renewed; the plans are there to subscribe again.
    let res = app
        .post_form_with(
            &client,
            "/api/dashboard/renew_subscription",
            &[("subscription", &sub_id), ("gateway", "sandbox")],
        )
        .await;
    assert!(res.headers()["location"].to_str().unwrap().contains("__err="));
}

#[tokio::test]
async fn a_cancelled_subscription_gets_no_reminders_can_be_resumed_and_ends_with_its_period() {
    let shop = shop("pipeline", "web_access", &[]).await;
    let app = &shop.app;
    let client = member(app, "budi@example.com").await;
    subscribe(&shop, &client, "pipeline", "Pro yearly", &[]).await;
    let sub_id: String = one(app, "SELECT public_id FROM subscriptions");
    let end: i64 = one(app, "SELECT current_period_end FROM subscriptions");
    let start: i64 = one(app, "SELECT current_period_start FROM subscriptions");
    assert_eq!(end, add_period(start, Billing::Yearly));

    // Another member cannot touch it.
    let other = member(app, "other@example.com").await;
    let res = app.post_form_with(&other, "/api/dashboard/cancel_subscription", &[("subscription", &sub_id)]).await;
    assert!(res.headers()["location"].to_str().unwrap().contains("__err="));
    assert_eq!(one::<String>(app, "SELECT status FROM subscriptions"), "active");

    let res = app.post_form_with(&client, "/api/dashboard/cancel_subscription", &[("subscription", &sub_id)]).await;
    assert_eq!(res.headers()["location"], "/dashboard/subscriptions?cancelled=1");
    app.drain_jobs().await;
    assert_eq!(one::<String>(app, "SELECT status FROM subscriptions"), "cancelled");
    assert!(subjects(app, "budi@example.com").iter().any(|s| s.contains("subscription cancelled")));
    move_to_end(&shop, 5 * DAY);
    assert_eq!(tick(&shop).await, Checked::default(), "no reminders once cancelled");

    let res = app.post_form_with(&client, "/api/dashboard/resume_subscription", &[("subscription", &sub_id)]).await;
    assert_eq!(res.headers()["location"], "/dashboard/subscriptions?resumed=1");
    assert_eq!(one::<String>(app, "SELECT status FROM subscriptions"), "active");
    assert_eq!(tick(&shop).await.reminded, 1, "reminders again once resumed");

    app.post_form_with(&client, "/api/dashboard/cancel_subscription", &[("subscription", &sub_id)]).await;
    move_to_end(&shop, -1);
    let res = app.post_form_with(&client, "/api/dashboard/resume_subscription", &[("subscription", &sub_id)]).await;
    assert!(res.headers()["location"].to_str().unwrap().contains("__err="), "too late to resume");
    assert_eq!(tick(&shop).await, Checked { expired: 1, ..Checked::default() });
    assert_eq!(one::<String>(app, "SELECT status FROM deliveries"), "revoked");
    let history =
        client.get(app.url(&format!("/dashboard/subscriptions/{sub_id}"))).send().await.unwrap().text().await.unwrap();
    for step in ["Started", "Cancelled", "Resumed", "Expired: access withdrawn"] {
        assert!(history.contains(step), "{step} in the history: {history}");
    }
}

#[tokio::test]
async fn github_access_from_a_plan_is_removed_when_the_subscription_expires() {
    let github = MockServer::start().await;
    let uri = github.uri();
    let shop =
        shop("private-kit", "github_invite", &[("GITHUB_PAT", "ghp_test"), ("GITHUB_API_URL", uri.as_str())]).await;
    let app = &shop.app;
    Mock::given(method("GET"))
        .and(path("/users/octo-dev"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"login": "octo-dev", "id": 583231})))
        .mount(&github)
        .await;
    Mock::given(method("GET"))
        .and(path("/user/583231"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"login": "octo-dev", "id": 583231})))
        .mount(&github)
        .await;
    Mock::given(method("PUT"))
        .and(path("/repos/studio/private-kit/collaborators/octo-dev"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 9001})))
        .expect(1)
        .mount(&github)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/studio/private-kit/invitations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&github)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/repos/studio/private-kit/collaborators/octo-dev"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&github)
        .await;
    let client = member(app, "dev@example.com").await;
    subscribe(&shop, &client, "private-kit", "Pro", &[("github_username", "octo-dev")]).await;
    assert_eq!(one::<String>(app, "SELECT status FROM deliveries"), "delivered");

    // It lapses and nobody renews: removed once, after the grace days.
    move_to_end(&shop, -1);
    tick(&shop).await;
    move_to_end(&shop, -4 * DAY);
    assert_eq!(tick(&shop).await.expired, 1);
    tick(&shop).await;
    assert_eq!(one::<String>(app, "SELECT status FROM deliveries"), "revoked");
    github.verify().await;
}

#[tokio::test]
async fn a_plan_gives_its_tool_quota_and_staff_retire_plans() {
    let shop = shop("pipeline", "web_access", &[]).await;
    let app = &shop.app;
    let client = member(app, "tools@example.com").await;
    subscribe(&shop, &client, "pipeline", "Pro", &[]).await;
    let quota: Option<u32> = {
        let c = rusqlite::Connection::open(&app.db_path).unwrap();
        let user: i64 =
            c.query_row("SELECT id FROM users WHERE email = 'tools@example.com'", [], |r| r.get(0)).unwrap();
        atelier::server::studio::subscriptions::tool_quota(&c, user).unwrap()
    };
    assert_eq!(quota, Some(50), "the Pro plan's quota applies while subscribed");

    // Staff retire the yearly plan: it leaves the page, and cannot be bought by hand.
    let yearly: i64 = one(app, "SELECT id FROM plans WHERE name = 'Pro yearly'");
    let product: i64 = one(app, "SELECT id FROM products");
    let res = app
        .post_form_with(
            &shop.staff,
            "/api/admin/retire_plan",
            &[("product_id", &product.to_string()), ("id", &yearly.to_string()), ("retired", "true")],
        )
        .await;
    assert!(res.headers()["location"].to_str().unwrap().ends_with("plan_saved=1#plans"));
    let page = client.get(app.url("/saas/pipeline")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Pro yearly"), "{page}");
    let res = app
        .post_form_with(
            &client,
            "/api/site/checkout",
            &[("slug", "pipeline"), ("gateway", "sandbox"), ("plan", &yearly.to_string())],
        )
        .await;
    assert!(res.headers()["location"].to_str().unwrap().contains("__err="));
    // A bad plan form is refused with its reason and adds nothing.
    let res = app
        .post_form_with(
            &shop.staff,
            "/api/admin/save_plan",
            &[
                ("product_id", &product.to_string()),
                ("plan[name]", "Cheap"),
                ("plan[period]", "weekly"),
                ("plan[price_idr]", "1"),
            ],
        )
        .await;
    assert!(res.headers()["location"].to_str().unwrap().contains("__err="));
    assert_eq!(one::<i64>(app, "SELECT count(*) FROM plans"), 2);
    let editor =
        shop.staff.get(app.url(&format!("/admin/products/{product}"))).send().await.unwrap().text().await.unwrap();
    assert!(editor.contains("Add a plan") && editor.contains("Retired"), "{editor}");
}

#[tokio::test]
async fn staff_find_extend_and_cancel_subscriptions_and_each_action_is_audited() {
    let shop = shop("pipeline", "web_access", &[]).await;
    let app = &shop.app;
    let client = member(app, "rina@example.com").await;
    subscribe(&shop, &client, "pipeline", "Pro", &[]).await;
    let sub_id: String = one(app, "SELECT public_id FROM subscriptions");
    let end: i64 = one(app, "SELECT current_period_end FROM subscriptions");
    let list = |q: &'static str| {
        let (staff, url) = (&shop.staff, app.url(&format!("/admin/subscriptions{q}")));
        async move { staff.get(url).send().await.unwrap().text().await.unwrap() }
    };
    assert!(list("").await.contains(&sub_id));
    assert!(list("?status=active&within=40").await.contains(&sub_id), "renews within 40 days");
    assert!(!list("?within=10").await.contains(&sub_id), "not within 10 days");
    assert!(!list("?status=expired").await.contains(&sub_id));
    assert!(list("?within=soon").await.contains("Enter the days as a whole number"), "a bad filter is explained");

    // Extending needs a reason; it moves the end, shows in the history with who did it, and is audited.
    let (staff, id) = (&shop.staff, sub_id.as_str());
    let extend = move |days: &'static str, note: &'static str| async move {
        app.post_form_with(
            staff,
            "/api/admin/extend_subscription",
            &[("public_id", id), ("days", days), ("note", note)],
        )
        .await
    };
    assert!(extend("10", " ").await.headers()["location"].to_str().unwrap().contains("__err="));
    assert!(extend("0", "nothing").await.headers()["location"].to_str().unwrap().contains("__err="));
    assert_eq!(one::<i64>(app, "SELECT current_period_end FROM subscriptions"), end);
    let res = extend("10", "Outage on 20 November").await;
    assert_eq!(res.headers()["location"].to_str().unwrap(), format!("/admin/subscriptions/{sub_id}?extended=1"));
    assert_eq!(one::<i64>(app, "SELECT current_period_end FROM subscriptions"), end + 10 * DAY);
    let page =
        shop.staff.get(app.url(&format!("/admin/subscriptions/{sub_id}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Outage on 20 November") && page.contains("by Owner"), "{page}");
    assert_eq!(one::<i64>(app, "SELECT count(*) FROM audit_log WHERE action = 'subscription.extended'"), 1);

    // Staff cancel for the member: access to the period end, the member told, audited.
    let res = app.post_form_with(&shop.staff, "/api/admin/cancel_subscription", &[("public_id", &sub_id)]).await;
    assert_eq!(res.headers()["location"].to_str().unwrap(), format!("/admin/subscriptions/{sub_id}?cancelled=1"));
    app.drain_jobs().await;
    assert_eq!(one::<String>(app, "SELECT status FROM subscriptions"), "cancelled");
    assert!(subjects(app, "rina@example.com").iter().any(|s| s.contains("subscription cancelled")));
    assert_eq!(one::<i64>(app, "SELECT count(*) FROM audit_log WHERE action = 'subscription.cancelled'"), 1);
    // The member's own page cannot reach staff actions.
    let res = app
        .post_form_with(
            &client,
            "/api/admin/extend_subscription",
            &[("public_id", &sub_id), ("days", "99"), ("note", "me")],
        )
        .await;
    assert!(res.headers()["location"].to_str().unwrap().contains("__err="));
}

#[tokio::test]
async fn atelier_tick_runs_the_lifecycle_check_against_the_database() {
    let shop = shop("pipeline", "web_access", &[]).await;
    let app = &shop.app;
    let client = member(app, "tick@example.com").await;
    subscribe(&shop, &client, "pipeline", "Pro", &[]).await;
    // Time passes, told through the database: the period ended an hour ago.
    let ended = atelier::server::db::now() - 3600;
    rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .execute("UPDATE subscriptions SET current_period_end = ?1", [ended])
        .unwrap();
    let backups = app.dir.path().join("tick-backups");
    let tick = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_atelier"))
            .arg("tick")
            .env_clear()
            .env("DATABASE_PATH", &app.db_path)
            .env("BACKUP_DIR", &backups)
            .current_dir(app.dir.path())
            .output()
            .unwrap()
    };
    let out = tick();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("subscriptions: 0 reminded, 1 lapsed (past due), 0 expired"), "{said}");
    assert!(said.contains("backup written to"), "{said}");
    assert_eq!(one::<String>(app, "SELECT status FROM subscriptions"), "past_due");
    let again = String::from_utf8_lossy(&tick().stdout).into_owned();
    assert!(again.contains("0 reminded, 0 lapsed (past due), 0 expired"), "{again}");
    // The server's worker sends what the command queued, once.
    app.drain_jobs().await;
    let lapsed = subjects(app, "tick@example.com").into_iter().filter(|s| s.contains("has lapsed")).count();
    assert_eq!(lapsed, 1);
}

#[tokio::test]
async fn metrics_count_active_subscriptions_per_plan_and_what_was_paid_today() {
    let shop = shop("pipeline", "web_access", &[]).await;
    let app = &shop.app;
    let client = member(app, "gauge@example.com").await;
    subscribe(&shop, &client, "pipeline", "Pro", &[]).await;
    app.drain_jobs().await;
    let text = app.get("/metrics").await.text().await.unwrap();
    let value = |name: &str, label: &str| {
        text.lines().find_map(|l| l.strip_prefix(&format!("{name}{{{label}}} "))).and_then(|v| v.parse::<f64>().ok())
    };
    assert_eq!(value("atelier_subscriptions_active", r#"plan="pipeline/Pro""#), Some(1.0), "{text}");
    let paid: i64 = one(app, "SELECT sum(amount) FROM orders WHERE status = 'paid' AND currency = 'IDR'");
    assert_eq!(paid, 150_000);
    assert_eq!(value("atelier_paid_today_amount", r#"currency="IDR""#), Some(150_000.0), "{text}");
    assert_eq!(value("atelier_paid_today_orders", r#"currency="IDR""#), Some(1.0), "{text}");
    assert_eq!(value("atelier_paid_today_orders", r#"currency="USD""#), Some(0.0), "{text}");
}

/// Staff add a plan to the shop's product.
async fn add_plan(shop: &Shop, name: &str, period: &str, price: &str, usd: &str, quota: &str) -> i64 {
    let product: i64 = one(&shop.app, "SELECT id FROM products");
    let res = shop
        .app
        .post_form_with(
            &shop.staff,
            "/api/admin/save_plan",
            &[
                ("product_id", &product.to_string()),
                ("plan[name]", name),
                ("plan[period]", period),
                ("plan[price_idr]", price),
                ("plan[price_usd]", usd),
                ("plan[tool_quota]", quota),
            ],
        )
        .await;
    assert!(res.headers()["location"].to_str().unwrap().ends_with("plan_saved=1#plans"));
    one(&shop.app, &format!("SELECT id FROM plans WHERE name = '{name}'"))
}

fn quota_of(app: &TestApp, email: &str) -> Option<u32> {
    let c = rusqlite::Connection::open(&app.db_path).unwrap();
    let user: i64 = c.query_row("SELECT id FROM users WHERE email = ?1", [email], |r| r.get(0)).unwrap();
    atelier::server::studio::subscriptions::tool_quota(&c, user).unwrap()
}

fn refused(res: &reqwest::Response) -> bool {
    res.headers()["location"].to_str().unwrap().contains("__err=")
}

async fn page(client: &reqwest::Client, url: String) -> String {
    client.get(url).send().await.unwrap().text().await.unwrap().replace("<!>", "")
}

/// The member renews `sub_id` in the sandbox: the renewal order, paid.
async fn renew(app: &TestApp, client: &reqwest::Client, sub_id: &str) -> String {
    let form = [("subscription", sub_id), ("gateway", "sandbox")];
    let res = app.post_form_with(client, "/api/dashboard/renew_subscription", &form).await;
    pay(app, client, res).await
}

/// The member asks to upgrade `sub_id` to `plan` in the sandbox.
async fn upgrade(app: &TestApp, client: &reqwest::Client, sub_id: &str, plan: i64) -> reqwest::Response {
    let plan = plan.to_string();
    let form = [("subscription", sub_id), ("plan", plan.as_str()), ("gateway", "sandbox")];
    app.post_form_with(client, "/api/dashboard/upgrade_subscription", &form).await
}

#[tokio::test]
async fn an_upgrade_is_paid_for_the_days_left_rounded_up_and_holds_at_once() {
    let shop = shop("pipeline", "license_key", &[]).await;
    let app = &shop.app;
    let team = add_plan(&shop, "Team", "monthly", "300.000", "19.99", "200").await;
    let client = member(app, "naufal@example.com").await;
    subscribe(&shop, &client, "pipeline", "Pro", &[]).await;
    let sub_id: String = one(app, "SELECT public_id FROM subscriptions");
    let (start, end): (i64, i64) = (
        one(app, "SELECT current_period_start FROM subscriptions"),
        one(app, "SELECT current_period_end FROM subscriptions"),
    );
    assert_eq!(quota_of(app, "naufal@example.com"), Some(50));

    // Ten days and an hour in: the day under way counts, so the days left are the
    // period's days less ten; the difference (Rp 150.000) by the day, rounded up.
    shop.clock.advance(10 * DAY + 3600);
    let total = (end - start) / DAY;
    let left = total - 10;
    let expected = (150_000 * left + total - 1) / total;
    // The list links each active subscription to its page of plans; that page prices the upgrade.
    let list = page(&client, app.url("/dashboard/subscriptions")).await;
    assert!(list.contains(&format!("href=\"/dashboard/subscriptions/{sub_id}\"")) && !list.contains("Upgrade now"));
    let shown = page(&client, app.url(&format!("/dashboard/subscriptions/{sub_id}"))).await;
    let amount = atelier::domain::Money { minor: expected, currency: atelier::domain::Currency::Idr }.to_string();
    assert!(
        shown.contains(&format!("Upgrade now: {amount} for the {left} days left of this {total}-day period")),
        "{shown}"
    );
    assert!(shown.contains("Upgrade (sandbox payment)") && shown.contains("Switch to Pro yearly at renewal"));

    // What is not an upgrade, or another member's subscription: refused, no order.
    let yearly: i64 = one(app, "SELECT id FROM plans WHERE name = 'Pro yearly'");
    assert!(refused(&upgrade(app, &client, &sub_id, yearly).await));
    let other = member(app, "other@example.com").await;
    assert!(refused(&upgrade(app, &other, &sub_id, team).await));
    let theirs = page(&other, app.url(&format!("/dashboard/subscriptions/{sub_id}"))).await;
    assert!(!theirs.contains("Upgrade now") && !theirs.contains("Pipeline"), "{theirs}");
    assert_eq!(one::<i64>(app, "SELECT count(*) FROM orders"), 1);

    let order = pay(app, &client, upgrade(app, &client, &sub_id, team).await).await;
    assert_eq!(one::<i64>(app, &format!("SELECT amount FROM orders WHERE public_id = '{order}'")), expected);
    assert_eq!(one::<i64>(app, "SELECT plan_id FROM subscriptions"), team);
    assert_eq!(one::<i64>(app, "SELECT current_period_end FROM subscriptions"), end, "the period stays");
    assert_eq!(quota_of(app, "naufal@example.com"), Some(200), "the Team plan's quota at once");
    assert_eq!(one::<i64>(app, "SELECT count(*) FROM deliveries"), 1, "nothing delivered twice");
    assert_eq!(one::<i64>(app, "SELECT count(*) FROM license_keys"), 1);
    let mail = app.mail.to("naufal@example.com").into_iter().find(|m| m.subject() == "Pipeline: upgraded to Team");
    let number: String = one(
        app,
        &format!("SELECT r.number FROM receipts r JOIN orders o ON o.id = r.order_id WHERE o.public_id = '{order}'"),
    );
    let pdf = crate::receipts::attachment(&mail.expect("the upgrade mail").data, &format!("receipt-{number}.pdf"));
    assert!(pdf.is_some_and(|p| p.starts_with(b"%PDF")), "with its receipt");
    let shown = page(&client, app.url(&format!("/dashboard/subscriptions/{sub_id}"))).await;
    assert!(shown.contains("Team plan") && shown.contains(&format!("Upgraded to Team (order {order})")), "{shown}");

    // The renewal is at the Team plan's price.
    let renewal = renew(app, &client, &sub_id).await;
    assert_eq!(one::<i64>(app, &format!("SELECT amount FROM orders WHERE public_id = '{renewal}'")), 300_000);
}

#[tokio::test]
async fn a_downgrade_or_a_switch_to_yearly_waits_for_the_renewal_and_can_be_taken_back() {
    let shop = shop("pipeline", "web_access", &[]).await;
    let app = &shop.app;
    let lite = add_plan(&shop, "Lite", "monthly", "50.000", "", "5").await;
    let yearly: i64 = one(app, "SELECT id FROM plans WHERE name = 'Pro yearly'");
    let client = member(app, "dewi@example.com").await;
    subscribe(&shop, &client, "pipeline", "Pro", &[]).await;
    let sub_id: String = one(app, "SELECT public_id FROM subscriptions");
    let end: i64 = one(app, "SELECT current_period_end FROM subscriptions");
    let schedule = |plan: i64| {
        let (client, sub_id) = (client.clone(), sub_id.clone());
        async move {
            app.post_form_with(
                &client,
                "/api/dashboard/schedule_plan",
                &[("subscription", &sub_id), ("plan", &plan.to_string())],
            )
            .await
        }
    };
    // The member changes their mind: scheduled, then kept.
    assert_eq!(schedule(lite).await.headers()["location"], "/dashboard/subscriptions?scheduled=1");
    assert_eq!(
        one::<i64>(app, "SELECT plan_id FROM subscriptions"),
        one::<i64>(app, "SELECT id FROM plans WHERE name = 'Pro'")
    );
    let shown = page(&client, app.url("/dashboard/subscriptions")).await;
    assert!(shown.contains("Moves to the Lite plan (Rp 50.000 per month) at the renewal on"), "{shown}");
    let res = app.post_form_with(&client, "/api/dashboard/drop_plan_change", &[("subscription", &sub_id)]).await;
    assert_eq!(res.headers()["location"], "/dashboard/subscriptions?dropped=1");
    assert_eq!(one::<Option<i64>>(app, "SELECT scheduled_plan_id FROM subscriptions"), None);

    // Staff see the switch to yearly and undo it; audited.
    schedule(yearly).await;
    let staff_page = page(&shop.staff, app.url(&format!("/admin/subscriptions/{sub_id}"))).await;
    assert!(staff_page.contains("The member moves to the Pro yearly plan (Rp 1.500.000 per year)"), "{staff_page}");
    let res = app.post_form_with(&shop.staff, "/api/admin/drop_plan_change", &[("public_id", &sub_id)]).await;
    assert_eq!(res.headers()["location"].to_str().unwrap(), format!("/admin/subscriptions/{sub_id}?dropped=1"));
    assert_eq!(one::<i64>(app, "SELECT count(*) FROM audit_log WHERE action = 'subscription.change_dropped'"), 1);
    // Nothing to drop now; a plan of another product or no plan at all: refused.
    assert!(refused(
        &app.post_form_with(&client, "/api/dashboard/drop_plan_change", &[("subscription", &sub_id)]).await
    ));
    assert!(refused(
        &app.post_form_with(&client, "/api/dashboard/schedule_plan", &[("subscription", &sub_id), ("plan", "x")]).await
    ));
    assert!(refused(&schedule(999).await));

    // The downgrade at last: nothing changes before the end; the renewal is at Lite's price.
    schedule(lite).await;
    move_to_end(&shop, DAY / 2);
    assert_eq!(tick(&shop).await, Checked { reminded: 1, ..Checked::default() });
    assert_eq!(quota_of(app, "dewi@example.com"), Some(50), "Pro's quota until the renewal");
    move_to_end(&shop, -60);
    assert_eq!(tick(&shop).await, Checked { lapsed: 1, switched: 1, ..Checked::default() });
    assert_eq!(tick(&shop).await, Checked::default());
    assert_eq!(one::<i64>(app, "SELECT plan_id FROM subscriptions"), lite);
    assert_eq!(quota_of(app, "dewi@example.com"), Some(5));
    assert!(subjects(app, "dewi@example.com").contains(&"Pipeline: now on the Lite plan".to_owned()));
    let renewal = renew(app, &client, &sub_id).await;
    assert_eq!(one::<i64>(app, &format!("SELECT amount FROM orders WHERE public_id = '{renewal}'")), 50_000);
    assert_eq!(one::<i64>(app, "SELECT current_period_end FROM subscriptions"), add_period(end, Billing::Monthly));
    assert_eq!(one::<String>(app, "SELECT status FROM subscriptions"), "active");

    // A switch to yearly renewed early: the yearly period and plan begin at the old end.
    schedule(yearly).await;
    let end = add_period(end, Billing::Monthly);
    move_to_end(&shop, 3 * DAY);
    let renewal = renew(app, &client, &sub_id).await;
    assert_eq!(one::<i64>(app, &format!("SELECT amount FROM orders WHERE public_id = '{renewal}'")), 1_500_000);
    assert_eq!(one::<i64>(app, "SELECT current_period_end FROM subscriptions"), add_period(end, Billing::Yearly));
    assert_eq!(one::<i64>(app, "SELECT plan_id FROM subscriptions"), lite, "Lite until the old end");
    shop.clock.advance(3 * DAY + 1);
    assert_eq!(tick(&shop).await.switched, 1);
    assert_eq!(one::<i64>(app, "SELECT plan_id FROM subscriptions"), yearly);
}

#[tokio::test]
async fn a_paused_subscription_loses_access_gets_no_reminders_and_resumes_on_its_day() {
    use atelier::domain::subscriptions::add_months;
    let shop = shop("pipeline", "license_key", &[]).await;
    let app = &shop.app;
    let client = member(app, "putri@example.com").await;
    subscribe(&shop, &client, "pipeline", "Pro", &[]).await;
    let sub_id: String = one(app, "SELECT public_id FROM subscriptions");
    let end: i64 = one(app, "SELECT current_period_end FROM subscriptions");
    let key: String = one(app, "SELECT license_key FROM license_keys");
    let pause = |months: &'static str| {
        let (client, sub_id) = (client.clone(), sub_id.clone());
        async move {
            app.post_form_with(
                &client,
                "/api/dashboard/pause_subscription",
                &[("subscription", &sub_id), ("months", months)],
            )
            .await
        }
    };
    assert!(refused(&pause("4").await), "at most three months");
    assert!(refused(&pause("").await));
    assert_eq!(one::<String>(app, "SELECT status FROM subscriptions"), "active");

    // Ten days in, a pause of two months: access withdrawn at once, the days left kept.
    shop.clock.advance(10 * DAY);
    let paused_at = shop.clock.now();
    assert_eq!(pause("2").await.headers()["location"], "/dashboard/subscriptions?paused=1");
    app.drain_jobs().await;
    let until = add_months(paused_at, 2);
    let moved = end + (until - paused_at);
    assert_eq!(one::<String>(app, "SELECT status FROM subscriptions"), "paused");
    assert_eq!(one::<i64>(app, "SELECT paused_until FROM subscriptions"), until);
    assert_eq!(one::<i64>(app, "SELECT current_period_end FROM subscriptions"), moved);
    assert_eq!(license(app, &key).await["valid"], json!(false), "the key stops while paused");
    assert_eq!(quota_of(app, "putri@example.com"), None, "no plan quota while paused");
    assert!(subjects(app, "putri@example.com").contains(&"Pipeline: subscription paused".to_owned()));
    let shown = page(&client, app.url("/dashboard/subscriptions")).await;
    assert!(shown.contains("Paused: access is withdrawn until it resumes") && shown.contains("Resume now"), "{shown}");
    // Paused, it cannot be renewed, paused again or upgraded.
    let res = app
        .post_form_with(
            &client,
            "/api/dashboard/renew_subscription",
            &[("subscription", &sub_id), ("gateway", "sandbox")],
        )
        .await;
    assert!(refused(&res));
    assert!(refused(&pause("1").await));

    // Where the old end would have reminded and lapsed: silence.
    let before = app.mail.to("putri@example.com").len();
    shop.clock.advance(end - 6 * DAY - shop.clock.now());
    assert_eq!(tick(&shop).await, Checked::default());
    shop.clock.advance(end + 60 - shop.clock.now());
    assert_eq!(tick(&shop).await, Checked::default());
    shop.clock.advance(until - 60 - shop.clock.now());
    assert_eq!(tick(&shop).await, Checked::default());
    assert_eq!(app.mail.to("putri@example.com").len(), before, "no reminder while paused");

    // On its day it resumes by itself: active, the same key valid again, the period moved on.
    shop.clock.advance(61);
    assert_eq!(tick(&shop).await, Checked { resumed: 1, ..Checked::default() });
    assert_eq!(tick(&shop).await, Checked::default());
    assert_eq!(one::<String>(app, "SELECT status FROM subscriptions"), "active");
    assert_eq!(one::<i64>(app, "SELECT current_period_end FROM subscriptions"), moved);
    assert_eq!(license(app, &key).await["valid"], json!(true));
    assert_eq!(quota_of(app, "putri@example.com"), Some(50));

    // Paused again, staff undo it the next day: the day it was paused is added to the period; audited.
    pause("3").await;
    app.drain_jobs().await;
    let staff_page = page(&shop.staff, app.url(&format!("/admin/subscriptions/{sub_id}"))).await;
    assert!(staff_page.contains("Paused by the member"), "{staff_page}");
    shop.clock.advance(DAY);
    let res = app.post_form_with(&shop.staff, "/api/admin/unpause_subscription", &[("public_id", &sub_id)]).await;
    assert_eq!(res.headers()["location"].to_str().unwrap(), format!("/admin/subscriptions/{sub_id}?unpaused=1"));
    app.drain_jobs().await;
    assert_eq!(one::<String>(app, "SELECT status FROM subscriptions"), "active");
    assert_eq!(one::<i64>(app, "SELECT current_period_end FROM subscriptions"), moved + DAY);
    assert_eq!(license(app, &key).await["valid"], json!(true));
    assert_eq!(one::<i64>(app, "SELECT count(*) FROM audit_log WHERE action = 'subscription.unpaused'"), 1);
    let history = page(&client, app.url(&format!("/dashboard/subscriptions/{sub_id}"))).await;
    for step in ["Paused until", "Resumed after a pause: at the end of the pause", "Resumed after a pause: early"] {
        assert!(history.contains(step), "{step}: {history}");
    }
}

#[tokio::test]
async fn a_renewal_paid_while_paused_keeps_the_pause_and_a_refund_ends_it() {
    let shop = shop("pipeline", "license_key", &[]).await;
    let app = &shop.app;
    let client = member(app, "agus@example.com").await;
    let first = subscribe(&shop, &client, "pipeline", "Pro", &[]).await;
    let sub_id: String = one(app, "SELECT public_id FROM subscriptions");
    let end: i64 = one(app, "SELECT current_period_end FROM subscriptions");
    // A renewal started before the pause, paid during it.
    let form = [("subscription", sub_id.as_str()), ("gateway", "sandbox")];
    let started = app.post_form_with(&client, "/api/dashboard/renew_subscription", &form).await;
    let form = [("subscription", sub_id.as_str()), ("months", "1")];
    app.post_form_with(&client, "/api/dashboard/pause_subscription", &form).await;
    let moved: i64 = one(app, "SELECT current_period_end FROM subscriptions");
    assert!(moved > end);
    pay(app, &client, started).await;
    assert_eq!(one::<String>(app, "SELECT status FROM subscriptions"), "paused", "still paused");
    assert_eq!(one::<i64>(app, "SELECT current_period_end FROM subscriptions"), add_period(moved, Billing::Monthly));

    // A refund ends it for good: expired, nothing resumes later.
    app.refund(&first).await;
    assert_eq!(one::<String>(app, "SELECT status FROM subscriptions"), "expired");
    assert_eq!(one::<Option<i64>>(app, "SELECT paused_until FROM subscriptions"), None);
    shop.clock.advance(62 * DAY);
    assert_eq!(tick(&shop).await.resumed, 0);
    assert_eq!(one::<String>(app, "SELECT status FROM subscriptions"), "expired");
}

#[tokio::test]
async fn a_member_who_reads_indonesian_gets_the_subscription_mails_in_it_with_dates_as_indonesian_writes_them() {
    let shop = shop("pipeline", "web_access", &[]).await;
    let app = &shop.app;
    let client = member(app, "wulan@example.com").await;
    app.post_form_with(&client, "/api/dashboard/mail_preferences", &[("language", "id")]).await;
    subscribe(&shop, &client, "pipeline", "Pro", &[]).await;
    let end: i64 = one(app, "SELECT current_period_end FROM subscriptions");
    move_to_end(&shop, 6 * DAY);
    assert_eq!(tick(&shop).await.reminded, 1);
    let mail = app.mail.to("wulan@example.com").into_iter().find(|m| m.subject().contains("berakhir dalam 7 hari"));
    let body = mail.expect("the reminder in Indonesian").decoded();
    let until = atelier::domain::Lang::Id.date_time(end);
    assert!(body.contains(&format!("Paket Pro untuk Pipeline berlaku sampai {until}.")), "{body}");
    assert!(until.contains(" pukul ") && until.ends_with(" WIB"), "{until}");
    assert!(body.contains("Perpanjang sekarang") && !body.contains("Renew now"), "{body}");
    // The one-day reminder says "tomorrow" in Indonesian.
    move_to_end(&shop, DAY / 2);
    tick(&shop).await;
    assert!(subjects(app, "wulan@example.com")
        .iter()
        .any(|s| s == "Pipeline berakhir besok: perpanjang agar akses tetap aktif"));

    // The history is in her language too, each moment as Indonesian writes it; staff read theirs in English.
    let sub_id: String = one(app, "SELECT public_id FROM subscriptions");
    let form = [("public_id", sub_id.as_str()), ("days", "10"), ("note", "Gangguan server")];
    app.post_form_with(&shop.staff, "/api/admin/extend_subscription", &form).await;
    let history = page(&client, app.url(&format!("/dashboard/subscriptions/{sub_id}"))).await.replace("<!>", "");
    let (id, en) = (atelier::domain::Lang::Id, atelier::domain::Lang::En);
    for line in [
        format!("Dimulai: Pro hingga {}", id.date_time(end)),
        "Pengingat dikirim (7 hari sebelum berakhir)".to_owned(),
        "Pengingat dikirim (1 hari sebelum berakhir)".to_owned(),
        format!("Diperpanjang 10 hari hingga {}: Gangguan server — oleh Owner", id.date_time(end + 10 * DAY)),
    ] {
        assert!(history.contains(&line), "{line}: {history}");
    }
    assert!(!history.contains("Started") && !history.contains("Reminder sent") && !history.contains("— by"));
    let staff_page = page(&shop.staff, app.url(&format!("/admin/subscriptions/{sub_id}"))).await.replace("<!>", "");
    assert!(staff_page.contains(&format!("Started: Pro until {}", en.date_time(end))), "{staff_page}");
    assert!(staff_page.contains("Extended by 10 days to") && staff_page.contains("— by Owner"), "{staff_page}");
}
