//! The JSON API for scripts (`/api/v1/`) with personal access tokens: made once in
//! the dashboard, scoped, refused once revoked or when the account is disabled,
//! limited per token, and never a key to pages or the browser's server functions.

use crate::helpers::{spawn_app, TestApp};
use crate::tools::publish_tool;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn one<T: rusqlite::types::FromSql>(app: &TestApp, sql: &str) -> T {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// `client` makes a token named `name` with `scopes` ticked; returns it as the page showed it once.
async fn make_token(app: &TestApp, client: &reqwest::Client, name: &str, scopes: &[&str]) -> String {
    let mut form = vec![("name", name)];
    form.extend(scopes.iter().map(|s| (*s, "on")));
    let res = app.post_form_with(client, "/api/dashboard/create_api_token", &form).await;
    assert_eq!(res.headers()["location"], "/dashboard/tokens?created=1");
    let page = client.get(app.url("/dashboard/tokens?created=1")).send().await.unwrap().text().await.unwrap();
    let start = page.find("class=\"api-token\">").expect("the new token is shown") + "class=\"api-token\">".len();
    let token: String = page[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    assert_eq!(token.len(), 68, "{token}");
    // Shown once: the next visit lists it by its first characters only.
    let again = client.get(app.url("/dashboard/tokens")).send().await.unwrap().text().await.unwrap();
    assert!(!again.contains(&token) && again.contains(&token[..10]), "{again}");
    token
}

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let client = TestApp::new_client();
    let mut req = match method {
        "POST" => client.post(app.url(path)),
        _ => client.get(app.url(path)),
    };
    if let Some(token) = token {
        req = req.header("Authorization", format!("Bearer {token}"));
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_token_reads_only_its_owners_orders_and_keys_and_only_what_its_scopes_allow() {
    let app = spawn_app().await;
    app.product_on_sale("render-engine", "Render Engine", "digital", "license_key", "250000").await;
    let (alice, alice_order) = app.member_buys("alice@example.com", "render-engine").await;
    let (_, bob_order) = app.member_buys("bob@example.com", "render-engine").await;
    let token = make_token(&app, &alice, "CI", &["orders_read", "licenses_read"]).await;
    // Only a fingerprint is kept.
    let kept: i64 = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT count(*) FROM api_tokens WHERE token_hash = ?1 OR prefix = ?1", [&token], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 0);

    let (status, me) = call(&app, "GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (me["email"].clone(), me["scopes"].clone()),
        (json!("alice@example.com"), json!(["orders:read", "licenses:read"]))
    );

    let (status, orders) = call(&app, "GET", "/api/v1/orders", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = orders["data"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [alice_order.as_str()]);
    assert_eq!(orders["data"][0]["status"], "paid");
    assert!(orders["data"][0]["paid_at"].as_str().unwrap().ends_with('Z'), "ISO 8601 in UTC: {orders}");
    assert_eq!(orders["next"], Value::Null);
    let (status, _) = call(&app, "GET", &format!("/api/v1/orders/{alice_order}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    // Bob's order, guessed: not found, never forbidden.
    let (status, body) = call(&app, "GET", &format!("/api/v1/orders/{bob_order}"), Some(&token), None).await;
    assert_eq!((status, body["error"].clone()), (StatusCode::NOT_FOUND, json!("not_found")));
    let (status, body) = call(&app, "GET", "/api/v1/orders?before=yesterday", Some(&token), None).await;
    assert_eq!((status, body["error"].clone()), (StatusCode::BAD_REQUEST, json!("invalid_cursor")));

    let (status, keys) = call(&app, "GET", "/api/v1/licenses", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    let alice_key: String = one(&app, &format!(
        "SELECT l.license_key FROM license_keys l JOIN orders o ON o.id = l.order_id WHERE o.public_id = '{alice_order}'"
    ));
    assert_eq!(keys["data"].as_array().unwrap().len(), 1);
    assert_eq!(keys["data"][0]["key"], json!(alice_key));
    assert_eq!(keys["data"][0]["status"], "active");

    // Outside its scopes: refused with the scope it lacks.
    let (status, body) = call(&app, "GET", "/api/v1/usage", Some(&token), None).await;
    assert_eq!((status, body["error"].clone()), (StatusCode::FORBIDDEN, json!("insufficient_scope")));
    assert!(body["message"].as_str().unwrap().contains("usage:read"), "{body}");
    let (status, _) =
        call(&app, "POST", "/api/v1/tools/slug-generator/use", Some(&token), Some(json!({"text": "x"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // No token, or a made-up one.
    let (status, body) = call(&app, "GET", "/api/v1/orders", None, None).await;
    assert_eq!((status, body["error"].clone()), (StatusCode::UNAUTHORIZED, json!("token_required")));
    let (status, body) = call(&app, "GET", "/api/v1/orders", Some("atl_0000"), None).await;
    assert_eq!((status, body["error"].clone()), (StatusCode::UNAUTHORIZED, json!("invalid_token")));
    let (status, body) = call(&app, "GET", "/api/v1/nothing-here", Some(&token), None).await;
    assert_eq!((status, body["error"].clone()), (StatusCode::NOT_FOUND, json!("not_found")));
    assert!(one::<Option<i64>>(&app, "SELECT last_used_at FROM api_tokens").is_some(), "its use is shown");

    // A token opens no page and no server function meant for the browser.
    let bare = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = bare.get(app.url("/dashboard/orders")).bearer_auth(&token).send().await.unwrap();
    assert!(page.status().is_redirection(), "to sign in: {}", page.status());
    assert!(page.headers()["location"].to_str().unwrap().starts_with("/login"));
    let res =
        bare.post(app.url("/api/dashboard/orders")).bearer_auth(&token).header("Origin", &app.address).send().await;
    assert_eq!(res.unwrap().status(), StatusCode::UNAUTHORIZED);

    // Revoked: refused on its next call.
    let id: i64 = one(&app, "SELECT id FROM api_tokens");
    let res = app.post_form_with(&alice, "/api/dashboard/revoke_api_token", &[("id", &id.to_string())]).await;
    assert_eq!(res.headers()["location"], "/dashboard/tokens?revoked=1");
    let (status, body) = call(&app, "GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!((status, body["error"].clone()), (StatusCode::UNAUTHORIZED, json!("invalid_token")));
}

#[tokio::test]
async fn a_tools_token_runs_tools_for_its_account_within_a_limit_per_minute() {
    let app = spawn_app().await;
    publish_tool(&app, "Slug Generator", "slug-generator").await;
    let (member, _) = {
        app.verified_member("Tia", "tia@example.com", "a tooling passphrase").await;
        let client = TestApp::new_client();
        app.login_with(&client, "tia@example.com", "a tooling passphrase").await;
        (client, ())
    };
    let token = make_token(&app, &member, "Build script", &["tools", "usage_read"]).await;
    let (status, body) =
        call(&app, "POST", "/api/v1/tools/slug-generator/use", Some(&token), Some(json!({"text": "Hello World"})))
            .await;
    assert_eq!((status, body["slug"].clone()), (StatusCode::OK, json!("hello-world")));
    // Counted to the account: the usage (and the member's dashboard) shows the run.
    let (status, usage) = call(&app, "GET", "/api/v1/usage", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(usage["tools"][0]["today"], json!(1), "{usage}");
    let counted: i64 = one(&app, "SELECT count(*) FROM tool_usage WHERE user_id IS NOT NULL");
    assert!(counted >= 1);
    // Bad input is explained as JSON and costs nothing.
    let (status, body) = call(&app, "POST", "/api/v1/tools/slug-generator/use", Some(&token), Some(json!([1]))).await;
    assert_eq!((status, body["error"].clone()), (StatusCode::BAD_REQUEST, json!("invalid_json")));

    // Sixty requests a minute per token; then 429 with Retry-After.
    let client = TestApp::new_client();
    let mut refused = None;
    for i in 0..70 {
        let res = client.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            refused = Some((i, res.headers()["retry-after"].to_str().unwrap().to_owned()));
            break;
        }
    }
    // 3 requests above already counted.
    assert_eq!(refused, Some((57, "60".to_owned())));

    // A disabled account's tokens stop at once; a deleted account's are gone.
    let staff = app.signed_in_staff().await;
    let id: i64 = one(&app, "SELECT id FROM users WHERE email = 'tia@example.com'");
    let form = [("id", id.to_string()), ("disabled", "true".into()), ("reason", "testing".into())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_api(&staff, "/api/admin/set_user_disabled", &form).await;
    let other = make_token_for_new_member(&app).await;
    let (status, _) = call(&app, "GET", "/api/v1/me", Some(&other), None).await;
    assert_eq!(status, StatusCode::OK, "another account's token still works");
    // A token that may read usage may not run a tool.
    let (status, body) =
        call(&app, "POST", "/api/v1/tools/slug-generator/use", Some(&other), Some(json!({"text": "x"}))).await;
    assert_eq!((status, body["error"].clone()), (StatusCode::FORBIDDEN, json!("insufficient_scope")));
    let (status, body) = call(&app, "GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!((status, body["error"].clone()), (StatusCode::UNAUTHORIZED, json!("invalid_token")));
}

async fn make_token_for_new_member(app: &TestApp) -> String {
    app.verified_member("Uli", "uli@example.com", "another long passphrase").await;
    let client = TestApp::new_client();
    app.login_with(&client, "uli@example.com", "another long passphrase").await;
    make_token(app, &client, "Mine", &["usage_read"]).await
}

#[tokio::test]
async fn a_deleted_accounts_tokens_are_gone() {
    let app = spawn_app().await;
    app.verified_member("Xena", "xena@example.com", "a leaving passphrase").await;
    let client = TestApp::new_client();
    app.login_with(&client, "xena@example.com", "a leaving passphrase").await;
    let token = make_token(&app, &client, "Old script", &["usage_read"]).await;
    let form = [("current_password", "a leaving passphrase"), ("understood", "on")];
    app.post_form_with(&client, "/api/dashboard/delete_account", &form).await;
    assert_eq!(one::<i64>(&app, "SELECT count(*) FROM api_tokens"), 0);
    let (status, body) = call(&app, "GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!((status, body["error"].clone()), (StatusCode::UNAUTHORIZED, json!("invalid_token")));
}

#[tokio::test]
async fn a_token_request_without_a_scope_or_name_is_refused_and_makes_nothing() {
    let app = spawn_app().await;
    app.verified_member("Vera", "vera@example.com", "a careful passphrase").await;
    let client = TestApp::new_client();
    app.login_with(&client, "vera@example.com", "a careful passphrase").await;
    for form in [vec![("name", "No scope")], vec![("name", " "), ("tools", "on")]] {
        let res = app.post_form_with(&client, "/api/dashboard/create_api_token", &form).await;
        assert!(res.headers()["location"].to_str().unwrap().contains("__err="));
    }
    assert_eq!(one::<i64>(&app, "SELECT count(*) FROM api_tokens"), 0);
}

#[tokio::test]
async fn the_openapi_document_validates_and_every_documented_path_answers_as_described() {
    let app = spawn_app().await;
    app.verified_member("Wira", "wira@example.com", "a documenting passphrase").await;
    let member = TestApp::new_client();
    app.login_with(&member, "wira@example.com", "a documenting passphrase").await;
    let token =
        make_token(&app, &member, "All", &["tools", "usage_read", "orders_read", "licenses_read", "licenses_write"])
            .await;

    let res = TestApp::new_client().get(app.url("/api/v1/openapi.json")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    let spec = oas3::from_json(&text).expect("a valid OpenAPI document");
    assert_eq!(spec.openapi, "3.1.0");
    let doc: Value = serde_json::from_str(&text).unwrap();

    // The document and the routes are the same list.
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    documented.sort();
    let mut routed: Vec<(String, String)> =
        atelier::domain::api::ENDPOINTS.iter().map(|e| (e.method.to_owned(), e.path.to_owned())).collect();
    routed.sort();
    assert_eq!(documented, routed);

    // Each answers with a status it documents: without a token, and with one that may do everything.
    for (method, path) in &documented {
        let operation = &doc["paths"][path][method.to_lowercase()];
        let statuses: Vec<u16> =
            operation["responses"].as_object().unwrap().keys().map(|k| k.parse().unwrap()).collect();
        let url = path.replace("{id}", "ATL-NOT-MINE").replace("{slug}", "no-such-tool");
        let body = operation["requestBody"]["content"]["application/json"]["example"].clone();
        let needs_token = operation["security"].as_array().is_some_and(|s| !s.is_empty());
        for with in [None, Some(token.as_str())] {
            let (status, answer) = call(&app, method, &url, with, (method == "POST").then(|| body.clone())).await;
            assert!(statuses.contains(&status.as_u16()), "{method} {url} answered {status}, documents {statuses:?}");
            if status.is_client_error() {
                assert!(answer["error"].is_string() && answer["message"].is_string(), "{method} {url}: {answer}");
            }
            if needs_token && with.is_none() {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {url} without a token");
            }
        }
    }

    // The reference page is rendered from the same list, with no third-party script.
    let page = TestApp::new_client().get(app.url("/developers")).send().await.unwrap().text().await.unwrap();
    for e in atelier::domain::api::ENDPOINTS {
        assert!(page.contains(e.path) && page.contains(e.summary), "{} on /developers", e.path);
    }
    assert!(page.contains("Authorization: Bearer") && page.contains("X-Atelier-Signature"), "{page}");
    assert!(!page.contains("<script src=\"http"), "no script from elsewhere");
}
