//! Staff manage people in `/admin/users`: find them, see what they hold, change
//! their role, disable and enable them, resend mails for them.

use crate::helpers::{spawn_app_in, TestApp};

const PW: &str = "a member's long passphrase";

fn query_i64(app: &TestApp, sql: &str) -> i64 {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn user_id(app: &TestApp, email: &str) -> String {
    query_i64(app, &format!("SELECT id FROM users WHERE email = '{email}'")).to_string()
}

async fn app() -> TestApp {
    spawn_app_in(tempfile::TempDir::new().unwrap(), &[]).await
}

#[tokio::test]
async fn staff_find_people_by_name_or_email_role_and_state_and_see_what_they_hold() {
    let app = app().await;
    let staff = app.signed_in_staff().await;
    app.product_on_sale("seat", "Team seat", "saas", "web_access", "149000").await;
    let (member, order) = app.member_buys("sinta@example.com", "seat").await;
    app.post_form(
        "/api/auth/register",
        &[("name", "Budi Santoso"), ("email", "budi@example.com"), ("password", PW), ("password_confirm", PW)],
    )
    .await;

    let page = |q: &'static str| {
        let staff = staff.clone();
        let url = app.url(&format!("/admin/users{q}"));
        async move { staff.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let all = page("").await;
    assert!(
        all.contains("sinta@example.com") && all.contains("budi@example.com") && all.contains("owner@studio.example")
    );
    let found = page("?q=SANTOSO").await;
    assert!(found.contains("budi@example.com") && !found.contains("sinta@example.com"), "search is by name, any case");
    let found = page("?q=sinta%40").await;
    assert!(found.contains("sinta@example.com") && !found.contains("budi@example.com"), "and by email");
    let staff_only = page("?role=staff").await;
    assert!(staff_only.contains("owner@studio.example") && !staff_only.contains("sinta@example.com"));
    let unverified = page("?state=unverified").await;
    assert!(unverified.contains("budi@example.com") && !unverified.contains("sinta@example.com"));
    let wildcard = page("?q=%25").await;
    assert!(wildcard.contains("Nobody matches"), "% is searched for, not a wildcard");

    let id = user_id(&app, "sinta@example.com");
    let detail = staff.get(app.url(&format!("/admin/users/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(detail.contains(&order) && detail.contains("Team seat"), "orders and deliveries");
    assert!(detail.contains("Signed in on 1 device or browser."), "{detail}");
    drop(member);

    // Members cannot see it.
    let (other, _) = app.member_buys("eve@example.com", "seat").await;
    let res = other.get(app.url(&format!("/admin/users/{id}"))).send().await.unwrap();
    assert_ne!(res.status(), 200);
}

#[tokio::test]
async fn a_role_change_ends_the_persons_sessions_and_the_studio_always_keeps_a_staff_member() {
    let app = app().await;
    let staff = app.signed_in_staff().await;
    app.verified_member("Rani", "rani@example.com", PW).await;
    let rani = TestApp::new_client();
    app.login_with(&rani, "rani@example.com", PW).await;
    assert_eq!(rani.get(app.url("/dashboard")).send().await.unwrap().status(), 200);

    let id = user_id(&app, "rani@example.com");
    let res = app.post_form_with(&staff, "/api/admin/set_user_role", &[("id", &id), ("role", "client")]).await;
    assert!(res.status().is_redirection());
    assert_eq!(query_i64(&app, &format!("SELECT role = 'client' FROM users WHERE id = {id}")), 1);
    assert_eq!(rani.get(app.url("/dashboard")).send().await.unwrap().status(), 303, "signed out everywhere");
    assert_eq!(query_i64(&app, "SELECT count(*) FROM audit_log WHERE action = 'user.role_changed'"), 1);

    // The only staff member cannot stop being staff.
    let owner = user_id(&app, "owner@studio.example");
    let res = app.post_api(&staff, "/api/admin/set_user_role", &[("id", &owner), ("role", "member")]).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("at least one staff member"));
    assert_eq!(query_i64(&app, &format!("SELECT role = 'staff' FROM users WHERE id = {owner}")), 1);
    let res = app.post_api(&staff, "/api/admin/set_user_role", &[("id", &id), ("role", "root")]).await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn a_disabled_account_is_signed_out_and_refused_until_enabled() {
    let app = app().await;
    let staff = app.signed_in_staff().await;
    app.verified_member("Dodi", "dodi@example.com", PW).await;
    let dodi = TestApp::new_client();
    app.login_with(&dodi, "dodi@example.com", PW).await;
    let id = user_id(&app, "dodi@example.com");

    let res = app.post_api(&staff, "/api/admin/set_user_disabled", &[("id", &id), ("disabled", "true")]).await;
    assert_eq!(res.status(), 400, "a reason is required");
    let res = app
        .post_form_with(
            &staff,
            "/api/admin/set_user_disabled",
            &[("id", &id), ("disabled", "true"), ("reason", "chargeback fraud")],
        )
        .await;
    assert!(res.status().is_redirection());
    assert_eq!(dodi.get(app.url("/dashboard")).send().await.unwrap().status(), 303, "the session ended");
    let again = TestApp::new_client();
    let res = app.post_api(&again, "/api/auth/login", &[("email", "dodi@example.com"), ("password", PW)]).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("This account is disabled"));
    // A wrong password says nothing about the account's state.
    let res = app
        .post_api(&again, "/api/auth/login", &[("email", "dodi@example.com"), ("password", "wrong password!")])
        .await;
    assert!(!res.text().await.unwrap().contains("disabled"));

    let owner = user_id(&app, "owner@studio.example");
    let res = app
        .post_api(&staff, "/api/admin/set_user_disabled", &[("id", &owner), ("disabled", "true"), ("reason", "x")])
        .await;
    assert_eq!(res.status(), 400, "the last staff member cannot be disabled");

    app.post_form_with(&staff, "/api/admin/set_user_disabled", &[("id", &id), ("disabled", "false")]).await;
    assert_eq!(app.login_with(&again, "dodi@example.com", PW).await, "/dashboard");
    assert_eq!(query_i64(&app, "SELECT count(*) FROM audit_log WHERE action IN ('user.disabled', 'user.enabled')"), 2);
}

#[tokio::test]
async fn staff_resend_the_confirmation_and_send_a_password_reset() {
    let app = app().await;
    let staff = app.signed_in_staff().await;
    app.post_form(
        "/api/auth/register",
        &[("name", "Wati"), ("email", "wati@example.com"), ("password", PW), ("password_confirm", PW)],
    )
    .await;
    app.drain_jobs().await;
    let before = app.mail.to("wati@example.com").len();
    let id = user_id(&app, "wati@example.com");
    let res = app.post_form_with(&staff, "/api/admin/resend_verification", &[("id", &id)]).await;
    assert!(res.status().is_redirection());
    let res = app.post_form_with(&staff, "/api/admin/send_password_reset", &[("id", &id)]).await;
    assert!(res.status().is_redirection());
    app.drain_jobs().await;
    let mails = app.mail.to("wati@example.com");
    assert_eq!(mails.len(), before + 2);
    let confirm =
        mails.iter().rev().find_map(|m| m.link(&app.url("/verify-email?token="))).expect("a confirmation link");
    let page = reqwest::get(&confirm).await.unwrap().text().await.unwrap();
    assert!(page.contains("Your email is confirmed"));
    assert!(mails.iter().any(|m| m.link(&app.url("/reset-password?token=")).is_some()));

    // Confirmed people get no second confirmation.
    let res = app.post_api(&staff, "/api/admin/resend_verification", &[("id", &id)]).await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn staff_open_an_account_whose_person_chooses_a_password_through_the_mailed_link() {
    let app = app().await;
    let staff = app.signed_in_staff().await;
    let page = staff.get(app.url("/admin/users")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("New account…") && page.contains("/api/admin/create_user"), "{page}");

    // Bad input is refused, naming what is wrong; nothing is made.
    let res = app
        .post_api(&staff, "/api/admin/create_user", &[("name", "Ayu"), ("email", "not-an-address"), ("role", "member")])
        .await;
    assert_eq!(res.status(), 400);
    let res = app
        .post_api(&staff, "/api/admin/create_user", &[("name", "Ayu"), ("email", "ayu@example.com"), ("role", "owner")])
        .await;
    assert!(res.text().await.unwrap().contains("Choose member, client or staff"));
    let res = app
        .post_api(
            &staff,
            "/api/admin/create_user",
            &[("name", "Ayu"), ("email", "owner@studio.example"), ("role", "member")],
        )
        .await;
    assert!(res.text().await.unwrap().contains("has an account already"));
    assert_eq!(query_i64(&app, "SELECT count(*) FROM users WHERE email = 'ayu@example.com'"), 0);

    let res = app
        .post_form_with(
            &staff,
            "/api/admin/create_user",
            &[("name", "Ayu"), ("email", "Ayu@Example.com"), ("role", "staff")],
        )
        .await;
    let id = user_id(&app, "ayu@example.com");
    assert_eq!(res.headers()["location"], format!("/admin/users/{id}?done=created").as_str());
    assert_eq!(query_i64(&app, "SELECT count(*) FROM audit_log WHERE action = 'user.created'"), 1);
    // No password works until Ayu chooses one.
    let ayu = TestApp::new_client();
    assert_ne!(app.login_with(&ayu, "ayu@example.com", "").await, "/admin");
    app.drain_jobs().await;
    let mail = app.mail.to("ayu@example.com").pop().expect("the mail with the link");
    assert!(mail.subject().contains("account is ready"), "{}", mail.subject());
    let link = mail.link(&app.url("/reset-password?token=")).expect("a link to choose a password");
    let token = link.rsplit('=').next().unwrap().to_owned();
    let chosen = "Ayu's own long passphrase";
    let res = app
        .post_form_with(
            &ayu,
            "/api/auth/reset_password",
            &[("token", &token), ("password", chosen), ("password_confirm", chosen)],
        )
        .await;
    assert_eq!(res.headers()["location"], "/login?reset=1");
    assert_eq!(app.login_with(&ayu, "ayu@example.com", chosen).await, "/admin", "staff, as opened");

    // Members cannot open accounts.
    app.verified_member("Mia", "mia@example.com", PW).await;
    let mia = TestApp::new_client();
    app.login_with(&mia, "mia@example.com", PW).await;
    let res = app
        .post_api(&mia, "/api/admin/create_user", &[("name", "X"), ("email", "x@example.com"), ("role", "staff")])
        .await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn staff_delete_an_account_as_its_person_could_and_never_the_last_staff_member() {
    let app = app().await;
    let staff = app.signed_in_staff().await;
    app.verified_member("Dodi", "dodi@example.com", PW).await;
    let dodi = TestApp::new_client();
    app.login_with(&dodi, "dodi@example.com", PW).await;
    let id = user_id(&app, "dodi@example.com");
    let page = staff.get(app.url(&format!("/admin/users/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Delete the account"), "{page}");

    let res = app.post_api(&staff, "/api/admin/delete_user", &[("id", &id)]).await;
    assert!(res.text().await.unwrap().contains("Tick the box"), "confirmation required");
    assert_eq!(query_i64(&app, "SELECT count(*) FROM users WHERE email = 'dodi@example.com'"), 1);
    let owner = user_id(&app, "owner@studio.example");
    let res = app.post_api(&staff, "/api/admin/delete_user", &[("id", &owner), ("understood", "on")]).await;
    assert!(res.text().await.unwrap().contains("your own account"), "not oneself");

    let res = app.post_form_with(&staff, "/api/admin/delete_user", &[("id", &id), ("understood", "on")]).await;
    assert_eq!(res.headers()["location"], format!("/admin/users/{id}?done=deleted").as_str());
    assert_eq!(dodi.get(app.url("/dashboard")).send().await.unwrap().status(), 303, "the session ended at once");
    assert_eq!(query_i64(&app, "SELECT count(*) FROM users WHERE email = 'dodi@example.com'"), 0);
    assert_eq!(query_i64(&app, &format!("SELECT count(*) FROM users WHERE id = {id} AND name = 'Deleted member'")), 1);
    let again = TestApp::new_client();
    assert_ne!(app.login_with(&again, "dodi@example.com", PW).await, "/dashboard");
    assert_eq!(query_i64(&app, "SELECT count(*) FROM audit_log WHERE action = 'user.deleted'"), 1);
    app.drain_jobs().await;
    let mail = app.mail.to("dodi@example.com").pop().unwrap();
    assert!(mail.subject().contains("was deleted"), "{}", mail.subject());
    let res = app.post_api(&staff, "/api/admin/delete_user", &[("id", &id), ("understood", "on")]).await;
    assert!(res.text().await.unwrap().contains("deleted already"));

    // Another staff member may delete the owner only while someone else can still sign in as staff.
    let second = app.signed_in_staff_as("Second", "second@studio.example").await;
    let res = app.post_form_with(&second, "/api/admin/delete_user", &[("id", &owner), ("understood", "on")]).await;
    assert!(res.headers()["location"].to_str().unwrap().ends_with("done=deleted"));
    let second_id = user_id(&app, "second@studio.example");
    let res = app.post_api(&second, "/api/admin/delete_user", &[("id", &second_id), ("understood", "on")]).await;
    assert_eq!(res.status(), 400, "never the last staff member (nor oneself)");
    assert_eq!(query_i64(&app, "SELECT count(*) FROM users WHERE role = 'staff' AND name != 'Deleted member'"), 1);
}
