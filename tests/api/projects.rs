//! #14 item 2 (and part of 8): projects and milestones; each client sees only its own.

use crate::helpers::{spawn_app, TestApp};
use serde_json::Value;

const PW: &str = "a client's long passphrase";

pub(crate) async fn create_client(app: &TestApp, staff: &reqwest::Client, name: &str) -> i64 {
    let res = app.post_form_with(staff, "/api/admin/create_client", &[("name", name)]).await;
    res.headers()["location"].to_str().unwrap().trim_start_matches("/admin/clients/").parse().unwrap()
}

/// A person of `client`, invited by staff, who chose a password and signed in.
pub(crate) async fn client_person(app: &TestApp, staff: &reqwest::Client, client: i64, email: &str) -> reqwest::Client {
    let id = client.to_string();
    app.post_form_with(
        staff,
        "/api/admin/invite_client_person",
        &[("client_id", &id), ("name", "Person"), ("email", email)],
    )
    .await;
    app.drain_jobs().await;
    let link = app.mail.to(email)[0].link("/reset-password?token=").unwrap();
    let token = link.rsplit('=').next().unwrap().to_owned();
    let person = TestApp::new_client();
    let form = [("token", token.as_str()), ("password", PW), ("password_confirm", PW)];
    app.post_form_with(&person, "/api/auth/reset_password", &form).await;
    assert_eq!(app.login_with(&person, email, PW).await, "/client");
    person
}

async fn save_project(app: &TestApp, staff: &reqwest::Client, form: &[(&str, &str)]) -> reqwest::Response {
    app.post_api(staff, "/api/admin/save_project", form).await
}

#[tokio::test]
async fn staff_plan_a_project_its_client_follows_it_and_no_other_client_can_reach_it() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let maju = create_client(&app, &staff, "PT Maju").await.to_string();
    let lain = create_client(&app, &staff, "CV Lain").await;
    let rina = client_person(&app, &staff, maju.parse().unwrap(), "rina@maju.example").await;
    let sari = client_person(&app, &staff, lain, "sari@lain.example").await;

    for (form, expected) in [
        (vec![("client_id", maju.as_str()), ("name", " "), ("status", "active")], "project's name"),
        (
            vec![
                ("client_id", maju.as_str()),
                ("name", "X"),
                ("status", "active"),
                ("starts_on", "2027-01-01"),
                ("ends_on", "2026-01-01"),
            ],
            "before the start",
        ),
        (vec![("client_id", "999"), ("name", "X"), ("status", "active")], "Choose a client"),
    ] {
        let res = save_project(&app, &staff, &form).await;
        assert_eq!(res.status(), 400, "{form:?}");
        assert!(res.text().await.unwrap().contains(expected), "{expected}");
    }
    let form = [
        ("client_id", maju.as_str()),
        ("name", "Website redesign"),
        ("description_md", "**Phase one** first.\n\n<script>alert(1)</script>"),
        ("status", "active"),
        ("starts_on", "2026-12-01"),
        ("ends_on", "2027-02-28"),
    ];
    let res = app.post_form_with(&staff, "/api/admin/save_project", &form).await;
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let id: i64 = location.trim_start_matches("/admin/projects/").trim_end_matches("?saved=1").parse().unwrap();
    let pid = id.to_string();
    for (title, due, amount) in [("Design", "2026-12-15", "15.000.000"), ("Build", "2027-01-31", "30.000.000")] {
        let form = [("project_id", pid.as_str()), ("title", title), ("due_on", due), ("amount", amount)];
        assert!(app.post_form_with(&staff, "/api/admin/add_milestone", &form).await.status().is_redirection());
    }
    let project: Value = app.post_api(&staff, "/api/admin/project", &[("id", &pid)]).await.json().await.unwrap();
    let design = project["milestones"][0]["id"].to_string();
    let form = [("project_id", pid.as_str()), ("id", design.as_str()), ("status", "done")];
    assert!(app.post_form_with(&staff, "/api/admin/set_milestone_status", &form).await.status().is_redirection());
    let wrong = [("project_id", "999"), ("id", design.as_str()), ("status", "planned")];
    assert_eq!(app.post_api(&staff, "/api/admin/set_milestone_status", &wrong).await.status(), 404);

    // The client's people follow it.
    let list: Value = app.post_api(&rina, "/api/client/projects", &[]).await.json().await.unwrap();
    assert_eq!(list[0]["name"], "Website redesign");
    let page = rina.get(app.url(&format!("/client/projects/{id}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("<strong>Phase one</strong>") && !page.contains("<script>alert(1)"), "{page}");
    assert!(
        page.contains("Design") && page.contains("Done · Rp 15.000.000") && page.contains("due 15 December 2026"),
        "{page}"
    );
    let overview = rina.get(app.url("/client")).send().await.unwrap().text().await.unwrap();
    assert!(overview.contains(&format!("/client/projects/{id}")), "{overview}");

    // Another client's people get "not found", by link or by guessing ids; visitors and members are refused.
    for guess in [id, id + 1, 0, -1] {
        let res = app.post_api(&sari, "/api/client/project", &[("id", &guess.to_string())]).await;
        assert_eq!(res.status(), 404, "project {guess}");
    }
    assert_eq!(sari.get(app.url(&format!("/client/projects/{id}"))).send().await.unwrap().status(), 404);
    let theirs: Value = app.post_api(&sari, "/api/client/projects", &[]).await.json().await.unwrap();
    assert_eq!(theirs, serde_json::json!([]));
    assert_eq!(app.post_api(&TestApp::new_client(), "/api/client/project", &[("id", &pid)]).await.status(), 401);
    app.verified_member("Mira", "mira@example.com", "a member's long passphrase").await;
    let member = TestApp::new_client();
    app.login_with(&member, "mira@example.com", "a member's long passphrase").await;
    assert_eq!(app.post_api(&member, "/api/client/project", &[("id", &pid)]).await.status(), 403);
    assert_eq!(app.post_api(&member, "/api/client/projects", &[]).await.status(), 403);
}

#[tokio::test]
async fn every_client_area_function_refuses_visitors_and_members() {
    let app = spawn_app().await;
    app.verified_member("Mira", "mira@example.com", "a member's long passphrase").await;
    let member = TestApp::new_client();
    app.login_with(&member, "mira@example.com", "a member's long passphrase").await;
    let mut registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .filter(|(path, _)| path.starts_with("/api/client/"))
        .map(|(path, _)| path.to_owned())
        .collect();
    registered.sort();
    assert_eq!(
        registered,
        [
            "/api/client/billing",
            "/api/client/decide_quote",
            "/api/client/invoice",
            "/api/client/invoices",
            "/api/client/overview",
            "/api/client/pay_invoice",
            "/api/client/project",
            "/api/client/projects",
            "/api/client/review_deliverable",
        ]
    );
    for path in &registered {
        // Every argument any of them takes: a refusal must come before the arguments matter.
        let args = [("id", "1"), ("project_id", "1"), ("decision", "accept"), ("gateway", "sandbox")];
        assert_eq!(app.post_api(&TestApp::new_client(), path, &args).await.status(), 401, "{path}");
        assert_eq!(app.post_api(&member, path, &args).await.status(), 403, "{path}");
    }
}
