//! #14 item 1: clients, their people, invitations (72 h, single use), removal.

use crate::helpers::{spawn_app, TestApp};
use serde_json::Value;

fn query_one<T: rusqlite::types::FromSql>(app: &TestApp, sql: &str) -> T {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

async fn create_client(app: &TestApp, staff: &reqwest::Client, name: &str) -> i64 {
    let res = app
        .post_form_with(
            staff,
            "/api/admin/create_client",
            &[("name", name), ("billing_address", "Jl. Thamrin 9\nJakarta")],
        )
        .await;
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    location.trim_start_matches("/admin/clients/").parse().expect("sent to the client's page")
}

async fn invite(app: &TestApp, staff: &reqwest::Client, client: i64, name: &str, email: &str) -> reqwest::Response {
    let id = client.to_string();
    app.post_form_with(
        staff,
        "/api/admin/invite_client_person",
        &[("client_id", &id), ("name", name), ("email", email)],
    )
    .await
}

#[tokio::test]
async fn staff_invite_a_clients_people_who_choose_a_password_and_see_their_portal() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let res = app.post_api(&staff, "/api/admin/create_client", &[("name", "  ")]).await;
    assert_eq!(res.status(), 400);
    let maju = create_client(&app, &staff, "PT Maju").await;

    // A new person: an account with the client role and a link to choose a password.
    assert!(invite(&app, &staff, maju, "Rina", "rina@maju.example").await.status().is_redirection());
    app.drain_jobs().await;
    let mail = app.mail.to("rina@maju.example");
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].subject(), "Your client portal for PT Maju");
    let link = mail[0].link("/reset-password?token=").expect("a link to choose a password");
    let token = link.rsplit('=').next().unwrap().to_owned();
    assert_eq!(
        query_one::<i64>(&app, "SELECT expires_at - created_at FROM email_tokens WHERE purpose = 'client_invite'"),
        72 * 3600
    );
    assert_eq!(query_one::<String>(&app, "SELECT role FROM users WHERE email = 'rina@maju.example'"), "client");

    let rina = TestApp::new_client();
    let pw = "a client's long passphrase";
    let form = [("token", token.as_str()), ("password", pw), ("password_confirm", pw)];
    assert!(app.post_form_with(&rina, "/api/auth/reset_password", &form).await.status().is_redirection());
    let again = app.post_api(&rina, "/api/auth/reset_password", &form).await;
    assert_eq!(again.status(), 400, "the link works once");
    assert_eq!(app.login_with(&rina, "rina@maju.example", pw).await, "/client");
    let portal = rina.get(app.url("/client")).send().await.unwrap().text().await.unwrap();
    assert!(portal.contains("PT Maju") && portal.contains("Rina &lt;rina@maju.example&gt;"), "{portal}");

    // A member with an account already is added at once, and told.
    app.verified_member("Budi", "budi@maju.example", "budi's own passphrase").await;
    let budi = TestApp::new_client();
    app.login_with(&budi, "budi@maju.example", "budi's own passphrase").await;
    assert!(invite(&app, &staff, maju, "Budi", "budi@maju.example").await.status().is_redirection());
    app.drain_jobs().await;
    assert!(app.mail.to("budi@maju.example").iter().any(|m| m.subject() == "Your client portal for PT Maju"));
    assert!(
        budi.get(app.url("/dashboard")).send().await.unwrap().status().is_redirection(),
        "signed out: the role changed"
    );
    app.login_with(&budi, "budi@maju.example", "budi's own passphrase").await;
    let overview: Value = app.post_api(&budi, "/api/client/overview", &[]).await.json().await.unwrap();
    assert_eq!(overview["name"], "PT Maju");
    assert_eq!(overview["people"].as_array().unwrap().len(), 2);

    // Staff cannot be invited; a person of another client sees only their own.
    let res = app
        .post_api(
            &staff,
            "/api/admin/invite_client_person",
            &[("client_id", &maju.to_string()), ("name", "Owner"), ("email", "owner@studio.example")],
        )
        .await;
    assert_eq!(res.status(), 400);
    let other = create_client(&app, &staff, "CV Lain").await;
    invite(&app, &staff, other, "Sari", "sari@lain.example").await;
    let page = staff.get(app.url(&format!("/admin/clients/{maju}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("rina@maju.example") && !page.contains("sari@lain.example"), "{page}");

    // Removing Budi ends his sessions; he is a member again.
    let budi_id: i64 = query_one(&app, "SELECT id FROM users WHERE email = 'budi@maju.example'");
    let form = [("client_id", maju.to_string()), ("user_id", budi_id.to_string())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert!(app.post_form_with(&staff, "/api/admin/remove_client_person", &form).await.status().is_redirection());
    assert_eq!(app.post_api(&budi, "/api/client/overview", &[]).await.status(), 401);
    assert_eq!(
        query_one::<String>(
            &app,
            "SELECT role FROM users WHERE id = (SELECT id FROM users WHERE email = 'budi@maju.example')"
        ),
        "member"
    );
    let audit: i64 = query_one(&app, "SELECT count(*) FROM audit_log WHERE action LIKE 'client.%'");
    assert_eq!(audit, 6, "two clients created, three invitations, one removal");

    // Visitors and members are refused by the client area's functions.
    assert_eq!(app.post_api(&TestApp::new_client(), "/api/client/overview", &[]).await.status(), 401);
    app.login_with(&budi, "budi@maju.example", "budi's own passphrase").await;
    assert_eq!(app.post_api(&budi, "/api/client/overview", &[]).await.status(), 403);
}
