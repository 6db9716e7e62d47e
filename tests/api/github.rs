use crate::helpers::{spawn_app_in, TestApp};
use atelier::domain::products::{ProductForm, ProductInput};
use atelier::server::db::{catalog, DbError};
use atelier::server::jobs::Outcome;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PW: &str = "correct horse battery";

async fn setup() -> (TestApp, MockServer) {
    let github = MockServer::start().await;
    let uri = github.uri();
    let app = spawn_app_in(
        tempfile::TempDir::new().unwrap(),
        &[("GITHUB_PAT", "ghp_test"), ("GITHUB_API_URL", uri.as_str())],
    )
    .await;
    let form = ProductForm {
        slug: "private-kit".into(),
        name: "Private Kit".into(),
        kind: "digital".into(),
        status: "active".into(),
        billing: "one_time".into(),
        price_idr: "500000".into(),
        delivery_kind: "github_invite".into(),
        delivery_repo: "studio/private-kit".into(),
        ..ProductForm::default()
    };
    let input = ProductInput::parse(&form).unwrap();
    app.state
        .db
        .run(move |c| Ok::<_, DbError>(catalog::save(c, None, &input, &Default::default()).is_ok()))
        .await
        .unwrap();
    Mock::given(method("GET"))
        .and(path("/users/octo-dev"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"login": "octo-dev", "id": 583231})))
        .mount(&github)
        .await;
    (app, github)
}

async fn member(app: &TestApp, email: &str) -> reqwest::Client {
    app.verified_member("Dev", email, PW).await;
    let client = TestApp::new_client();
    app.login_with(&client, email, PW).await;
    client
}

async fn buy(app: &TestApp, client: &reqwest::Client, username: &str) -> String {
    let res = app
        .post_form_with(
            client,
            "/api/site/checkout",
            &[("slug", "private-kit"), ("gateway", "sandbox"), ("github_username", username)],
        )
        .await;
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/checkout/sandbox/"), "{location}");
    let order = location.rsplit('/').next().unwrap().to_owned();
    app.post_form_with(client, "/api/site/sandbox_pay", &[("order", &order), ("outcome", "pay")]).await;
    order
}

async fn time_passes(app: &TestApp) {
    app.state
        .db
        .run(|c| -> Result<usize, DbError> { Ok(c.execute("UPDATE jobs SET run_at = 0 WHERE status = 'queued'", [])?) })
        .await
        .unwrap();
}

/// GitHub accepts invitations to the kit (the member has not answered them yet).
async fn invitations_sent(github: &MockServer) {
    Mock::given(method("PUT"))
        .and(path("/repos/studio/private-kit/collaborators/octo-dev"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 9001})))
        .mount(github)
        .await;
}

/// GitHub accepts invitations to the kit, and the member accepts them at once (none pending).
async fn invitations_accepted(github: &MockServer) {
    invitations_sent(github).await;
    Mock::given(method("GET"))
        .and(path("/repos/studio/private-kit/invitations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(github)
        .await;
}

fn one<T: rusqlite::types::FromSql>(app: &TestApp, sql: &str) -> T {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn github_answering_500_twice_then_201_gives_one_invite_delivered() {
    let (app, github) = setup().await;
    let invite = Mock::given(method("PUT"))
        .and(path("/repos/studio/private-kit/collaborators/octo-dev"))
        .and(header("authorization", "Bearer ghp_test"))
        .and(body_json(json!({"permission": "pull"})));
    Mock::given(method("PUT"))
        .and(path("/repos/studio/private-kit/collaborators/octo-dev"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(2)
        .mount(&github)
        .await;
    invite.respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 9001}))).expect(1).mount(&github).await;

    let client = member(&app, "dev@example.com").await;
    buy(&app, &client, "@octo-dev").await;
    for _ in 0..2 {
        let outcomes = app.drain_jobs().await;
        assert!(outcomes.iter().any(|o| matches!(o, Outcome::Retrying { .. })), "{outcomes:?}");
        time_passes(&app).await;
    }
    let outcomes = app.drain_jobs().await;
    assert!(outcomes.iter().any(|o| matches!(o, Outcome::Done { .. })), "{outcomes:?}");

    assert_eq!(one::<String>(&app, "SELECT status FROM deliveries"), "delivered");
    assert_eq!(one::<i64>(&app, "SELECT github_user_id FROM users WHERE email = 'dev@example.com'"), 583231);
    let mails =
        app.mail.to("dev@example.com").into_iter().filter(|m| m.subject() == "GitHub access for Private Kit").count();
    assert_eq!(mails, 1);
    let page = client.get(app.url("/dashboard/downloads")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Invitation sent to @octo-dev"), "{page}");
    github.verify().await;

    // An hour later the member has not accepted yet; later they have.
    let check = Mock::given(method("GET")).and(path("/repos/studio/private-kit/collaborators/octo-dev"));
    let not_yet = check.respond_with(ResponseTemplate::new(404)).mount_as_scoped(&github).await;
    time_passes(&app).await;
    app.drain_jobs().await;
    drop(not_yet);
    Mock::given(method("GET"))
        .and(path("/repos/studio/private-kit/collaborators/octo-dev"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&github)
        .await;
    time_passes(&app).await;
    app.drain_jobs().await;
    let page = client.get(app.url("/dashboard/downloads")).send().await.unwrap().text().await.unwrap();
    let jobs: String = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row(
            "SELECT group_concat(kind || ':' || status || ':' || coalesce(last_error, ''), ' | ') FROM jobs",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(page.contains("@octo-dev has access to studio/private-kit"), "accepted: {jobs}");
}

#[tokio::test]
async fn a_422_from_github_is_a_visible_failure_for_staff_not_a_retry_loop() {
    let (app, github) = setup().await;
    Mock::given(method("PUT"))
        .and(path("/repos/studio/private-kit/collaborators/octo-dev"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({"message": "Validation Failed"})))
        .expect(1)
        .mount(&github)
        .await;
    let client = member(&app, "dev2@example.com").await;
    buy(&app, &client, "octo-dev").await;
    let outcomes = app.drain_jobs().await;
    assert!(outcomes.iter().any(|o| matches!(o, Outcome::Dead { .. })), "{outcomes:?}");
    let error: String = one(&app, "SELECT last_error FROM jobs WHERE kind = 'deliver_order'");
    assert!(error.contains("422") && error.contains("Validation Failed"), "{error}");
    assert_eq!(one::<String>(&app, "SELECT status FROM deliveries"), "failed");
    github.verify().await;
}

#[tokio::test]
async fn a_refund_cancels_the_pending_invitation() {
    let (app, github) = setup().await;
    invitations_sent(&github).await;
    Mock::given(method("GET"))
        .and(path("/repos/studio/private-kit/invitations"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([{"id": 9001, "invitee": {"login": "Octo-Dev", "id": 583231}}])),
        )
        .mount(&github)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/repos/studio/private-kit/invitations/9001"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&github)
        .await;
    let client = member(&app, "dev3@example.com").await;
    let order = buy(&app, &client, "octo-dev").await;
    app.drain_jobs().await;
    app.refund(&order).await;
    assert_eq!(one::<String>(&app, "SELECT status FROM deliveries"), "revoked");
    github.verify().await;
}

#[tokio::test]
async fn a_refund_removes_the_account_that_was_invited_even_after_the_profile_changed() {
    let (app, github) = setup().await;
    invitations_accepted(&github).await;
    // The account is looked up by its id: it may have been renamed on GitHub since.
    Mock::given(method("GET"))
        .and(path("/user/583231"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"login": "octo-dev-renamed", "id": 583231})))
        .mount(&github)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/repos/studio/private-kit/collaborators/octo-dev-renamed"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&github)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/repos/studio/private-kit/collaborators/someone-else"))
        .respond_with(ResponseTemplate::new(204))
        .expect(0)
        .mount(&github)
        .await;
    let client = member(&app, "dev6@example.com").await;
    let order = buy(&app, &client, "octo-dev").await;
    app.drain_jobs().await;
    assert_eq!(one::<String>(&app, "SELECT github_login FROM deliveries"), "octo-dev");

    // The member points their profile at another account before asking for a refund.
    let res = app
        .post_form_with(&client, "/api/dashboard/save_profile", &[("name", "Dev"), ("github_username", "someone-else")])
        .await;
    assert_eq!(res.headers()["location"], "/dashboard/profile?saved=1");
    app.refund(&order).await;
    assert_eq!(one::<String>(&app, "SELECT status FROM deliveries"), "revoked");
    github.verify().await;
}

#[tokio::test]
async fn a_refund_keeps_access_another_paid_order_still_grants() {
    let (app, github) = setup().await;
    invitations_accepted(&github).await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).expect(0).mount(&github).await;
    let client = member(&app, "dev7@example.com").await;
    let first = buy(&app, &client, "octo-dev").await;
    app.drain_jobs().await;
    let second = buy(&app, &client, "octo-dev").await;
    app.drain_jobs().await;
    assert_eq!(one::<i64>(&app, "SELECT count(*) FROM deliveries WHERE status = 'delivered'"), 2);

    app.refund(&first).await;
    let status = |order: &str| -> String {
        rusqlite::Connection::open(&app.db_path)
            .unwrap()
            .query_row(
                "SELECT d.status FROM deliveries d JOIN orders o ON o.id = d.order_id WHERE o.public_id = ?1",
                [order],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(status(&first), "revoked", "the refunded order no longer grants access");
    assert_eq!(status(&second), "delivered", "the other order still does");
    github.verify().await;
}

#[tokio::test]
async fn checkout_asks_for_a_valid_github_username_before_taking_money() {
    let (app, _github) = setup().await;
    let client = member(&app, "dev4@example.com").await;
    for (username, message) in
        [("", "Enter your GitHub username"), ("not a user!", "letters, digits and single hyphens")]
    {
        let res = client
            .post(app.url("/api/site/checkout"))
            .form(&[("slug", "private-kit"), ("gateway", "sandbox"), ("github_username", username)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
        assert!(res.text().await.unwrap().contains(message));
    }
    assert_eq!(one::<i64>(&app, "SELECT count(*) FROM orders"), 0);
}

#[tokio::test]
async fn members_set_their_github_username_in_the_profile() {
    let (app, _github) = setup().await;
    let client = member(&app, "dev5@example.com").await;
    let res = app
        .post_form_with(
            &client,
            "/api/dashboard/save_profile",
            &[("name", "Dev Five"), ("github_username", "octo-dev")],
        )
        .await;
    assert_eq!(res.headers()["location"], "/dashboard/profile?saved=1");
    let page = client.get(app.url("/dashboard/profile")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("value=\"octo-dev\"") && page.contains("Dev Five"));
    let bad = client
        .post(app.url("/api/dashboard/save_profile"))
        .form(&[("name", "X"), ("github_username", "-bad-")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    // With the username on file, checkout no longer needs it.
    let res =
        app.post_form_with(&client, "/api/site/checkout", &[("slug", "private-kit"), ("gateway", "sandbox")]).await;
    assert!(res.headers()["location"].to_str().unwrap().starts_with("/checkout/sandbox/"));
}

#[tokio::test]
async fn a_spent_rate_limit_pauses_github_calls_until_the_reset_github_named() {
    let (app, github) = setup().await;
    let reset = atelier::server::db::now() + 900;
    Mock::given(method("PUT"))
        .and(path("/repos/studio/private-kit/collaborators/octo-dev"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", reset.to_string().as_str())
                .set_body_json(json!({"message": "API rate limit exceeded for user ID 1."})),
        )
        .expect(1)
        .mount(&github)
        .await;

    let client = member(&app, "limited@example.com").await;
    buy(&app, &client, "@octo-dev").await;
    let outcomes = app.drain_jobs().await;
    assert!(outcomes.contains(&Outcome::Retrying { id: deliver_job(&app), run_at: reset }), "{outcomes:?}");

    // Due again early (say a staff retry): no call goes out before the reset.
    time_passes(&app).await;
    let outcomes = app.drain_jobs().await;
    assert!(outcomes.contains(&Outcome::Retrying { id: deliver_job(&app), run_at: reset }), "{outcomes:?}");
    assert_eq!(one::<String>(&app, "SELECT status FROM jobs WHERE kind = 'deliver_order'"), "queued");
    let error = one::<String>(&app, "SELECT last_error FROM jobs WHERE kind = 'deliver_order'");
    assert!(error.contains("rate limit"), "{error}");
    github.verify().await;
}

fn deliver_job(app: &TestApp) -> i64 {
    one::<i64>(app, "SELECT id FROM jobs WHERE kind = 'deliver_order'")
}

/// The queued invitation check, as if the invitation's 7 days were up.
fn last_check_due(app: &TestApp) {
    rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .execute(
            "UPDATE jobs SET payload = json_set(payload, '$.check', 168), run_at = 0
             WHERE kind = 'check_github_access' AND status = 'queued'",
            [],
        )
        .unwrap();
}

#[tokio::test]
async fn an_expired_invitation_is_sent_again_once_and_the_member_is_told() {
    let (app, github) = setup().await;
    Mock::given(method("PUT"))
        .and(path("/repos/studio/private-kit/collaborators/octo-dev"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 9001})))
        .expect(2)
        .mount(&github)
        .await;
    // The member never accepts.
    Mock::given(method("GET"))
        .and(path("/repos/studio/private-kit/collaborators/octo-dev"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&github)
        .await;
    let client = member(&app, "late@example.com").await;
    buy(&app, &client, "octo-dev").await;
    app.drain_jobs().await;

    last_check_due(&app);
    app.drain_jobs().await;
    let invites: Vec<String> = app
        .mail
        .to("late@example.com")
        .iter()
        .filter(|m| m.subject() == "GitHub access for Private Kit")
        .map(|m| m.decoded())
        .collect();
    assert_eq!(invites.len(), 2, "the first invitation and the new one");
    assert!(invites[1].contains("A new invitation was sent to @octo-dev"), "{}", invites[1]);
    let page = client.get(app.url("/dashboard/downloads")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("A new invitation was sent to @octo-dev for studio/private-kit"), "{page}");

    // The second one expires too: no third invitation; the member is told to write.
    last_check_due(&app);
    app.drain_jobs().await;
    assert_eq!(
        one::<i64>(&app, "SELECT count(*) FROM jobs WHERE kind = 'check_github_access' AND status = 'queued'"),
        0
    );
    let page = client.get(app.url("/dashboard/downloads")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("expired: write to the studio"), "{page}");
    github.verify().await;
}

#[tokio::test]
async fn staff_invite_the_account_again_from_the_order() {
    let (app, github) = setup().await;
    Mock::given(method("PUT"))
        .and(path("/repos/studio/private-kit/collaborators/octo-dev"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 9001})))
        .expect(2)
        .mount(&github)
        .await;
    let client = member(&app, "again@example.com").await;
    let order = buy(&app, &client, "octo-dev").await;
    app.drain_jobs().await;
    let staff = app.signed_in_staff().await;
    let res = app.post_form_with(&staff, "/api/admin/reinvite_github", &[("public_id", &order)]).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    app.drain_jobs().await;
    let mails =
        app.mail.to("again@example.com").iter().filter(|m| m.subject() == "GitHub access for Private Kit").count();
    assert_eq!(mails, 2);
    assert_eq!(one::<String>(&app, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1"), "order.github_reinvited");
    github.verify().await;
}

#[tokio::test]
async fn a_buyer_who_reads_indonesian_gets_the_github_invitation_mail_in_it() {
    let (app, github) = setup().await;
    invitations_sent(&github).await;
    let client = member(&app, "dev@example.com").await;
    app.post_form_with(&client, "/api/dashboard/mail_preferences", &[("language", "id")]).await;
    let order = buy(&app, &client, "@octo-dev").await;
    app.drain_jobs().await;
    let mail = app.mail.to("dev@example.com").into_iter().find(|m| m.subject() == "Akses GitHub untuk Private Kit");
    let body = mail.expect("the invitation mail, in Indonesian").decoded();
    assert!(body.contains("Undangan telah dikirim ke @octo-dev untuk studio/private-kit"), "{body}");
    assert!(body.contains("Buka undangan GitHub Anda") && !body.contains("Invitation sent"), "{body}");
    // Staff send it again from the order: the same words, in the buyer's language.
    let staff = app.signed_in_staff().await;
    let res = app.post_form_with(&staff, "/api/admin/resend_delivery", &[("public_id", &order)]).await;
    assert!(!res.headers()["location"].to_str().unwrap().contains("__err="), "sent again");
    app.drain_jobs().await;
    let again: Vec<_> = app
        .mail
        .to("dev@example.com")
        .into_iter()
        .filter(|m| m.subject() == "Akses GitHub untuk Private Kit")
        .collect();
    assert_eq!(again.len(), 2);
    assert!(again[1].decoded().contains("Undangan telah dikirim ke @octo-dev untuk studio/private-kit"));

    // Her dashboard says where the invitation stands in her language too.
    let said = "Undangan telah dikirim ke @octo-dev untuk studio/private-kit: terima di GitHub";
    for path in ["/dashboard/downloads".to_owned(), format!("/dashboard/orders/{order}")] {
        let page = client.get(app.url(&path)).send().await.unwrap().text().await.unwrap().replace("<!>", "");
        assert!(page.contains(said) && !page.contains("Invitation sent"), "{path}: {page}");
    }
    // Withdrawn by staff with a reason: said in her language, the reason as staff wrote it.
    let form = [("public_id", order.as_str()), ("reason", "pembayaran ditarik kembali")];
    assert!(app.post_form_with(&staff, "/api/admin/revoke_access", &form).await.status().is_redirection());
    let page = client.get(app.url(&format!("/dashboard/orders/{order}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Akses dicabut oleh studio: pembayaran ditarik kembali"), "{page}");
    let staff_page = staff.get(app.url(&format!("/admin/orders/{order}"))).send().await.unwrap().text().await.unwrap();
    assert!(staff_page.contains("Access withdrawn by the studio: pembayaran ditarik kembali"), "{staff_page}");
}
