//! Every server function of the client portal and the dashboard, called by someone who
//! may not: each registered path is listed here with a valid form (so the guard is
//! what answers, not the arguments), and a new one must join the list.

use crate::helpers::{spawn_app, TestApp};
use crate::projects::client_person;
use reqwest::StatusCode;

type Calls = &'static [(&'static str, &'static [(&'static str, &'static str)])];

const CLIENT: Calls = &[
    ("client/overview", &[]),
    ("client/projects", &[]),
    ("client/project", &[("id", "1")]),
    ("client/billing", &[("project_id", "1")]),
    ("client/decide_quote", &[("id", "1"), ("decision", "accept")]),
    ("client/invoices", &[]),
    ("client/invoice", &[("id", "1")]),
    ("client/pay_invoice", &[("id", "1"), ("gateway", "sandbox")]),
    ("client/review_deliverable", &[("id", "1"), ("decision", "approve")]),
];

const DASHBOARD: Calls = &[
    ("dashboard/orders", &[]),
    ("dashboard/order", &[("public_id", "ATL-1")]),
    ("dashboard/downloads", &[]),
    ("dashboard/licenses", &[]),
    ("dashboard/services", &[]),
    ("dashboard/deactivate", &[("id", "1")]),
    ("dashboard/tool_usage", &[]),
    ("dashboard/overview", &[]),
    ("dashboard/subscriptions", &[]),
    ("dashboard/subscription_choices", &[("subscription", "SUB-1")]),
    ("dashboard/cancel_subscription", &[("subscription", "SUB-1")]),
    ("dashboard/resume_subscription", &[("subscription", "SUB-1")]),
    ("dashboard/renew_subscription", &[("subscription", "SUB-1"), ("gateway", "sandbox")]),
    ("dashboard/upgrade_subscription", &[("subscription", "SUB-1"), ("plan", "1"), ("gateway", "sandbox")]),
    ("dashboard/schedule_plan", &[("subscription", "SUB-1"), ("plan", "1")]),
    ("dashboard/drop_plan_change", &[("subscription", "SUB-1")]),
    ("dashboard/pause_subscription", &[("subscription", "SUB-1"), ("months", "1")]),
    ("dashboard/unpause_subscription", &[("subscription", "SUB-1")]),
    ("dashboard/api_tokens", &[]),
    ("dashboard/create_api_token", &[("name", "Taken over"), ("tools", "on")]),
    ("dashboard/revoke_api_token", &[("id", "1")]),
    ("dashboard/fresh_link", &[("public_id", "ATL-1")]),
    ("dashboard/profile", &[]),
    ("dashboard/link_google", &[("current_password", "whatever it is")]),
    ("dashboard/unlink_google", &[("subject", "1")]),
    ("dashboard/mail_preferences", &[("product_updates", "on")]),
    ("dashboard/save_profile", &[("name", "Taken over")]),
    (
        "dashboard/change_password",
        &[("current_password", "x"), ("new_password", "a new long one"), ("new_password_confirm", "a new long one")],
    ),
    ("dashboard/change_email", &[("new_email", "thief@example.com"), ("current_password", "x")]),
    ("dashboard/delete_account", &[("current_password", "x"), ("understood", "on")]),
];

/// The server functions registered under `/api/{prefix}/`, as `prefix/name`.
fn registered(prefix: &str) -> Vec<String> {
    let mut found: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .filter(|(path, _)| path.starts_with(&format!("/api/{prefix}/")))
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    found.sort();
    found
}

fn listed(calls: Calls) -> Vec<String> {
    let mut names: Vec<String> = calls.iter().map(|(name, _)| (*name).to_owned()).collect();
    names.sort();
    names
}

async fn call(app: &TestApp, who: &reqwest::Client, endpoint: &str, form: &[(&str, &str)]) -> StatusCode {
    let url = app.url(&format!("/api/{endpoint}"));
    who.post(url).header("Origin", &app.address).form(form).send().await.unwrap().status()
}

#[tokio::test]
async fn the_client_portal_answers_only_clients_and_the_dashboard_only_confirmed_accounts() {
    assert_eq!(registered("client"), listed(CLIENT), "a new client server function needs its line here");
    assert_eq!(registered("dashboard"), listed(DASHBOARD), "a new dashboard server function needs its line here");

    let app = spawn_app().await;
    let visitor = TestApp::new_client();
    app.verified_member("Mira", "mira@example.com", "a member's long passphrase").await;
    let member = TestApp::new_client();
    app.login_with(&member, "mira@example.com", "a member's long passphrase").await;
    let staff = app.signed_in_staff().await;
    let unconfirmed = TestApp::new_client();
    let pw = "an unconfirmed passphrase";
    let form = [("name", "New"), ("email", "new@example.com"), ("password", pw), ("password_confirm", pw)];
    app.post_form_with(&unconfirmed, "/api/auth/register", &form).await;
    app.login_with(&unconfirmed, "new@example.com", pw).await;

    for (endpoint, form) in CLIENT {
        assert_eq!(call(&app, &visitor, endpoint, form).await, StatusCode::UNAUTHORIZED, "visitor on {endpoint}");
        assert_eq!(call(&app, &member, endpoint, form).await, StatusCode::FORBIDDEN, "member on {endpoint}");
        assert_eq!(call(&app, &staff, endpoint, form).await, StatusCode::FORBIDDEN, "staff on {endpoint}");
        assert_eq!(
            call(&app, &unconfirmed, endpoint, form).await,
            StatusCode::BAD_REQUEST,
            "unconfirmed on {endpoint}"
        );
    }
    for (endpoint, form) in DASHBOARD {
        assert_eq!(call(&app, &visitor, endpoint, form).await, StatusCode::UNAUTHORIZED, "visitor on {endpoint}");
        assert_eq!(
            call(&app, &unconfirmed, endpoint, form).await,
            StatusCode::BAD_REQUEST,
            "unconfirmed on {endpoint}"
        );
    }
    // The admin's functions refuse a client too (members and visitors: content.rs).
    let acme: i64 = {
        let res = app.post_form_with(&staff, "/api/admin/create_client", &[("name", "Acme")]).await;
        res.headers()["location"].to_str().unwrap().trim_start_matches("/admin/clients/").parse().unwrap()
    };
    let client = client_person(&app, &staff, acme, "person@acme.example").await;
    for (endpoint, form) in crate::content::ADMIN_CALLS {
        assert_eq!(call(&app, &client, endpoint, form).await, StatusCode::FORBIDDEN, "client on {endpoint}");
    }
    assert_eq!(
        rusqlite::Connection::open(&app.db_path)
            .unwrap()
            .query_row("SELECT count(*) FROM users WHERE name = 'Taken over'", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        0
    );
}
