use crate::helpers::{spawn_app_in, TestApp};
use atelier::domain::license::LicenseKey;
use atelier::domain::products::{ProductForm, ProductInput};
use atelier::server::db::{catalog, orders, DbError};
use serde_json::{json, Value};

const PW: &str = "correct horse battery";

async fn app() -> TestApp {
    spawn_app_in(tempfile::TempDir::new().unwrap(), &[("ADMIN_NOTIFY_EMAIL", "studio@studio.example")]).await
}

async fn product(app: &TestApp, slug: &str, delivery: &str, extra: &[(&str, &str)]) -> i64 {
    let mut form = ProductForm {
        slug: slug.into(),
        name: format!("Product {slug}"),
        kind: "digital".into(),
        status: "active".into(),
        billing: "one_time".into(),
        price_idr: "99000".into(),
        delivery_kind: delivery.into(),
        ..ProductForm::default()
    };
    let mut file = None;
    for (k, v) in extra {
        match *k {
            "limit" => form.delivery_activation_limit = v.to_string(),
            "file" => file = Some(v.to_string()),
            "repo" => form.delivery_repo = v.to_string(),
            _ => unreachable!(),
        }
    }
    let input = ProductInput::parse(&form).unwrap();
    let id = app
        .state
        .db
        .run(move |c| Ok::<_, DbError>(catalog::save(c, None, &input, &Default::default()).ok()))
        .await
        .unwrap()
        .unwrap();
    if let Some(path) = file {
        // Staff upload the file written to `path` (inside storage) on the product's page.
        let bytes = std::fs::read(app.state.config.storage_dir.join(&path)).unwrap();
        let name = path.rsplit('/').next().unwrap();
        let staff = app.signed_in_staff().await;
        let res = app.upload_product_file(&staff, id, &[("file_id", "new"), ("label", "Download")], name, bytes).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], format!("/admin/products/{id}?file_saved=1#files"));
    }
    id
}

/// A verified member buys `slug` in the sandbox; returns their client and the order id.
async fn buy(app: &TestApp, email: &str, slug: &str) -> (reqwest::Client, String) {
    app.verified_member("Buyer", email, PW).await;
    let client = TestApp::new_client();
    app.login_with(&client, email, PW).await;
    let res = app.post_form_with(&client, "/api/site/checkout", &[("slug", slug), ("gateway", "sandbox")]).await;
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let order = location.rsplit('/').next().unwrap().to_owned();
    app.post_form_with(&client, "/api/site/sandbox_pay", &[("order", &order), ("outcome", "pay")]).await;
    app.drain_jobs().await;
    (client, order)
}

async fn license_call(app: &TestApp, action: &str, body: Value) -> (u16, Value) {
    let res =
        reqwest::Client::new().post(app.url(&format!("/api/licenses/{action}"))).json(&body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_license_key_is_mailed_shown_enforced_and_revoked_on_refund() {
    let app = app().await;
    product(&app, "pro-tool", "license_key", &[("limit", "2")]).await;
    let (client, order) = buy(&app, "lee@example.com", "pro-tool").await;

    let mail =
        app.mail.to("lee@example.com").into_iter().find(|m| m.subject() == "Your license key for Product pro-tool");
    let text = mail.expect("the key is mailed").decoded();
    let key =
        text.split_whitespace().find(|w| w.starts_with("ATL-") && w.len() == 27).expect("a key in the mail").to_owned();
    assert!(LicenseKey::parse(&key).is_ok(), "{key}");

    let page = client.get(app.url("/dashboard/downloads")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&key), "the dashboard shows the key");

    let (status, body) = license_call(&app, "validate", json!({"key": key})).await;
    assert_eq!(status, 200);
    assert_eq!(body["valid"], true);
    assert!(body.get("email").is_none() && !body.to_string().contains("lee@"), "no customer data: {body}");
    assert_eq!(license_call(&app, "activate", json!({"key": key, "instance": "laptop"})).await.0, 200);
    assert_eq!(license_call(&app, "activate", json!({"key": key, "instance": "desktop"})).await.0, 200);
    assert_eq!(
        license_call(&app, "activate", json!({"key": key, "instance": "laptop"})).await.0,
        200,
        "re-activating is fine"
    );
    let (status, body) = license_call(&app, "activate", json!({"key": key, "instance": "server"})).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("activation_limit_reached")));
    assert_eq!(license_call(&app, "deactivate", json!({"key": key, "instance": "laptop"})).await.0, 200);
    let (status, body) = license_call(&app, "activate", json!({"key": key, "instance": "server"})).await;
    assert_eq!(status, 200);
    assert_eq!(body["activations"], 2);

    app.refund(&order).await;
    let (status, body) = license_call(&app, "validate", json!({"key": key})).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("revoked")));
    assert_eq!(license_call(&app, "activate", json!({"key": key, "instance": "new"})).await.1["valid"], false);
    let page = client.get(app.url("/dashboard/downloads")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains(&key), "a refunded key is gone from the dashboard");
}

#[tokio::test]
async fn running_a_delivery_twice_delivers_once() {
    let app = app().await;
    product(&app, "pro-tool", "license_key", &[]).await;
    let (_, order) = buy(&app, "twice@example.com", "pro-tool").await;
    let id = order.clone();
    app.state
        .db
        .run(move |c| -> Result<(), DbError> {
            let order = orders::by_public_id(c, &id)?.unwrap();
            // As if a worker crashed after delivering but before marking its job done.
            atelier::server::jobs::enqueue(
                c,
                atelier::server::jobs::JobKind::DeliverOrder,
                &atelier::server::studio::delivery::OrderJob { order_id: order.id },
                None,
            )?;
            Ok(())
        })
        .await
        .unwrap();
    app.drain_jobs().await;
    let keys: i64 = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT count(*) FROM license_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(keys, 1);
    let mails =
        app.mail.to("twice@example.com").into_iter().filter(|m| m.subject().starts_with("Your license key")).count();
    assert_eq!(mails, 1);
}

#[tokio::test]
async fn a_manual_delivery_notifies_staff_and_then_the_member() {
    let app = app().await;
    product(&app, "logo-design", "manual", &[]).await;
    let (client, order) = buy(&app, "mia@example.com", "logo-design").await;
    let task = app.mail.to("studio@studio.example");
    assert!(task.iter().any(|m| m.subject().starts_with("To deliver: Product logo-design")), "staff are told");
    let page = client.get(app.url("/dashboard/downloads")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Being prepared"));

    let staff = app.signed_in_staff().await;
    let admin_page = staff.get(app.url(&format!("/admin/orders/{order}"))).send().await.unwrap().text().await.unwrap();
    assert!(admin_page.contains("Mark delivered"), "{admin_page}");
    let empty = staff
        .post(app.url("/api/admin/mark_delivered"))
        .form(&[("public_id", order.as_str()), ("message", " ")])
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 400);
    let res = app
        .post_form_with(
            &staff,
            "/api/admin/mark_delivered",
            &[("public_id", &order), ("message", "Your logo files are in the shared folder.")],
        )
        .await;
    assert_eq!(res.headers()["location"], format!("/admin/orders/{order}?delivered=1"));
    app.drain_jobs().await;
    let mail = app
        .mail
        .to("mia@example.com")
        .into_iter()
        .find(|m| m.subject() == "Product logo-design is ready")
        .expect("member mailed");
    assert!(mail.decoded().contains("Your logo files are in the shared folder."));
    let page = client.get(app.url("/dashboard/downloads")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Ready") && page.contains("shared folder"));
    let again = staff
        .post(app.url("/api/admin/mark_delivered"))
        .form(&[("public_id", order.as_str()), ("message", "again")])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 400, "a delivery completes once");
}

#[tokio::test]
async fn one_member_never_sees_another_members_key() {
    let app = app().await;
    product(&app, "pro-tool", "license_key", &[]).await;
    let (alice, _) = buy(&app, "alice@example.com", "pro-tool").await;
    let alice_page = alice.get(app.url("/dashboard/downloads")).send().await.unwrap().text().await.unwrap();
    let key: String = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT license_key FROM license_keys", [], |r| r.get(0))
        .unwrap();
    assert!(alice_page.contains(&key));
    app.verified_member("Bob", "bob@example.com", PW).await;
    let bob = TestApp::new_client();
    app.login_with(&bob, "bob@example.com", PW).await;
    let bob_page = bob.get(app.url("/dashboard/downloads")).send().await.unwrap().text().await.unwrap();
    assert!(!bob_page.contains(&key));
    let api = bob.post(app.url("/api/dashboard/downloads")).send().await.unwrap().text().await.unwrap();
    assert!(!api.contains(&key));
}

#[tokio::test]
async fn the_license_api_explains_bad_input_and_is_rate_limited() {
    let app = app().await;
    let (status, body) = license_call(&app, "validate", json!({"key": "hello"})).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_key")));
    let unknown = LicenseKey::from_random(&[1; 19]);
    let (status, body) = license_call(&app, "validate", json!({"key": unknown.as_str()})).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, body) = license_call(&app, "activate", json!({"key": unknown.as_str()})).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("missing_instance")));
    let mut last = 0;
    for _ in 0..30 {
        last = license_call(&app, "validate", json!({"key": "hello"})).await.0;
    }
    assert_eq!(last, 429);
}

#[tokio::test]
async fn the_license_api_answers_any_body_with_a_json_error_that_says_what_is_wrong() {
    let app = app().await;
    let send = |body: &'static [u8]| {
        let url = app.url("/api/licenses/validate");
        async move {
            let res = reqwest::Client::new()
                .post(url)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            let json: Value = res.json().await.expect("a JSON answer");
            let message = json["message"].as_str().unwrap_or_default().to_owned();
            (status, json["error"].as_str().unwrap_or_default().to_owned(), message)
        }
    };
    for (body, code, says) in [
        (&b"{}"[..], "missing_key", "as \"key\""),
        (&br#"{"key": ["a"]}"#[..], "invalid_key", "must be a string"),
        (&br#"{"key": null}"#[..], "missing_key", "license key"),
        (&br#"{"key": "x", "instance": 7}"#[..], "invalid_instance", "must be a string"),
        (&b"not json"[..], "invalid_json", "not valid JSON"),
        (&b"[1, 2]"[..], "invalid_json", "JSON object"),
        (&b""[..], "invalid_json", "not valid JSON"),
    ] {
        let (status, error, message) = send(body).await;
        assert_eq!((status, error.as_str()), (400, code), "{}", String::from_utf8_lossy(body));
        assert!(message.contains(says), "{message}");
    }
}

#[tokio::test]
async fn a_job_that_cannot_run_is_dead_visible_to_staff_and_retryable() {
    let app = app().await;
    // A message the mail server can never accept fails permanently.
    let bad = atelier::server::mail::Email {
        to: "not an address".into(),
        subject: "x".into(),
        html: Default::default(),
        text: String::new(),
        attachments: vec![],
        list_unsubscribe: None,
    };
    app.state.db.run(move |c| atelier::server::mail::enqueue(c, &bad)).await.unwrap();
    app.drain_jobs().await;
    let staff = app.signed_in_staff().await;
    let page = staff.get(app.url("/admin/jobs")).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("send_email") && page.contains("dead") && page.contains("not valid") && page.contains("Retry"),
        "{page}"
    );
    // The pool at a glance: workers, what runs, the queue per kind.
    assert!(page.contains("4 workers; 0 running now; nothing is waiting."), "{page}");
    assert!(page.contains("Queue by kind"), "{page}");
    let id: i64 = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT id FROM jobs WHERE status = 'dead'", [], |r| r.get(0))
        .unwrap();
    let res = app.post_form_with(&staff, "/api/admin/retry_job", &[("id", &id.to_string())]).await;
    assert_eq!(res.headers()["location"], "/admin/jobs?retried=1");
    let status: String = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT status FROM jobs WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    assert_eq!(status, "queued");
}

#[tokio::test]
async fn a_download_link_is_mailed_streams_the_private_file_and_runs_out() {
    let app = app().await;
    let storage = app.state.config.storage_dir.clone();
    std::fs::create_dir_all(storage.join("products")).unwrap();
    std::fs::write(storage.join("products/kit.zip"), b"PK\x03\x04 the kit").unwrap();
    product(&app, "kit-zip", "email_file", &[("file", "products/kit.zip")]).await;
    let (client, order) = buy(&app, "dl@example.com", "kit-zip").await;

    let mail =
        app.mail.to("dl@example.com").into_iter().find(|m| m.subject() == "Your download is ready: Product kit-zip");
    let link = mail.expect("download mail").link(&app.url("/files/")).expect("a link");
    let anonymous = reqwest::Client::new();
    let res = anonymous.get(&link).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-disposition"], "attachment; filename=\"kit.zip\"");
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"PK\x03\x04 the kit");
    for _ in 0..4 {
        let res = anonymous.get(&link).send().await.unwrap();
        assert_eq!(res.status(), 200);
        res.bytes().await.unwrap();
    }
    let res = anonymous.get(&link).send().await.unwrap();
    assert_eq!(res.status(), 410, "five downloads per link");
    assert!(res.text().await.unwrap().contains("used up"));

    // Tampered and made-up links get a friendly 403.
    let mut tampered = link.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == '0' { '1' } else { '0' });
    assert_eq!(anonymous.get(&tampered).send().await.unwrap().status(), 403);
    assert_eq!(anonymous.get(app.url("/files/..%2F..%2Fetc%2Fpasswd")).send().await.unwrap().status(), 403);

    // The member gets a fresh link from the dashboard; another member cannot.
    let res = app.post_form_with(&client, "/api/dashboard/fresh_link", &[("public_id", &order)]).await;
    let fresh = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(fresh.starts_with("/files/"), "{fresh}");
    assert_eq!(anonymous.get(app.url(&fresh)).send().await.unwrap().status(), 200);
    app.verified_member("Eve", "eve@example.com", PW).await;
    let eve = TestApp::new_client();
    app.login_with(&eve, "eve@example.com", PW).await;
    let res =
        eve.post(app.url("/api/dashboard/fresh_link")).form(&[("public_id", order.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), 404);

    // Expiry, then refund.
    rusqlite::Connection::open(&app.db_path).unwrap().execute("UPDATE download_links SET expires_at = 0", []).unwrap();
    assert_eq!(anonymous.get(app.url(&fresh)).send().await.unwrap().status(), 410);
    let res = app.post_form_with(&client, "/api/dashboard/fresh_link", &[("public_id", &order)]).await;
    let another = res.headers()["location"].to_str().unwrap().to_owned();
    app.refund(&order).await;
    assert_eq!(anonymous.get(app.url(&another)).send().await.unwrap().status(), 403, "a refund ends every link");
}

/// The downloads counted on the order's only link, once any give-back has landed.
async fn downloads_counted(app: &TestApp, expected: i64) -> i64 {
    let mut counted = -1;
    for _ in 0..100 {
        counted = rusqlite::Connection::open(&app.db_path)
            .unwrap()
            .query_row("SELECT downloads FROM download_links", [], |r| r.get(0))
            .unwrap();
        if counted == expected {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    counted
}

#[tokio::test]
async fn a_download_counts_when_it_starts_at_the_first_byte_and_ranges_continue_it_for_half_an_hour() {
    let app = app().await;
    let storage = app.state.config.storage_dir.clone();
    std::fs::create_dir_all(storage.join("products")).unwrap();
    // Large enough that a reader who hangs up early leaves most of it unsent.
    let kit: Vec<u8> = (0..16 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(storage.join("products/big.zip"), &kit).unwrap();
    product(&app, "big-zip", "email_file", &[("file", "products/big.zip")]).await;
    buy(&app, "whole@example.com", "big-zip").await;
    let mail = app.mail.to("whole@example.com").into_iter().find(|m| m.subject().contains("download is ready"));
    let link = mail.expect("download mail").link(&app.url("/files/")).expect("a link");
    let http = reqwest::Client::new();
    let db = || rusqlite::Connection::open(&app.db_path).unwrap();

    let res = http.head(&link).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(downloads_counted(&app, 0).await, 0, "a HEAD is not a download");

    // The whole file as one range from byte 0 is a download like any other.
    let res = http.get(&link).header("range", "bytes=0-").send().await.unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(res.bytes().await.unwrap().len(), kit.len());
    assert_eq!(downloads_counted(&app, 1).await, 1, "bytes=0- counts");

    // Ranges continuing it (a resumed or segmented download) are free for half an hour.
    let res = http.get(&link).header("range", "bytes=100-199").send().await.unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(res.bytes().await.unwrap().as_ref(), &kit[100..200]);
    let res = http.get(&link).header("range", "bytes=-50").send().await.unwrap();
    assert_eq!(res.bytes().await.unwrap().as_ref(), &kit[kit.len() - 50..]);
    assert_eq!(downloads_counted(&app, 1).await, 1, "continuing ranges are free");
    // A validator that does not match cannot turn a free range into the whole file.
    let res = http.get(&link).header("range", "bytes=10-19").header("if-range", "\"stale\"").send().await.unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(res.bytes().await.unwrap().len(), 10);

    // A range from byte 0 starts another download.
    let res = http.get(&link).header("range", "bytes=0-99").send().await.unwrap();
    assert_eq!(res.bytes().await.unwrap().as_ref(), &kit[..100]);
    assert_eq!(downloads_counted(&app, 2).await, 2);

    // Half an hour on, a range counts again.
    db().execute("UPDATE download_links SET counted_at = counted_at - 1801", []).unwrap();
    let res = http.get(&link).header("range", "bytes=5-9").send().await.unwrap();
    assert_eq!(res.bytes().await.unwrap().as_ref(), &kit[5..10]);
    assert_eq!(downloads_counted(&app, 3).await, 3, "a late range is a download");

    // A transfer cut off midway is given back, and ranges no longer continue it.
    let res = http.get(&link).send().await.unwrap();
    assert_eq!(res.status(), 200);
    drop(res);
    assert_eq!(downloads_counted(&app, 3).await, 3, "a download cut off midway is given back");
    let res = http.get(&link).header("range", "bytes=1000-").send().await.unwrap();
    assert_eq!(res.bytes().await.unwrap().len(), kit.len() - 1000);
    assert_eq!(downloads_counted(&app, 4).await, 4, "resuming a given-back download counts it");

    // A used-up link still serves the ranges continuing its last download, nothing else.
    db().execute("UPDATE download_links SET max_downloads = downloads", []).unwrap();
    let res = http.get(&link).header("range", "bytes=2000-2009").send().await.unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(http.get(&link).send().await.unwrap().status(), 410);
    assert_eq!(http.get(&link).header("range", "bytes=0-9").send().await.unwrap().status(), 410);
}

#[tokio::test]
async fn fresh_download_links_are_capped_per_order_and_day() {
    let app = app().await;
    let storage = app.state.config.storage_dir.clone();
    std::fs::create_dir_all(storage.join("products")).unwrap();
    std::fs::write(storage.join("products/pack.zip"), b"PK pack").unwrap();
    product(&app, "pack-zip", "email_file", &[("file", "products/pack.zip")]).await;
    let (client, order) = buy(&app, "cap@example.com", "pack-zip").await;
    // The mailed link is the first of ten.
    for _ in 0..9 {
        let res = app.post_form_with(&client, "/api/dashboard/fresh_link", &[("public_id", &order)]).await;
        assert!(res.headers()["location"].to_str().unwrap().starts_with("/files/"));
    }
    let res =
        client.post(app.url("/api/dashboard/fresh_link")).form(&[("public_id", order.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("already got 10 download links today"));
    let links: i64 = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT count(*) FROM download_links", [], |r| r.get(0))
        .unwrap();
    assert_eq!(links, 10);
}

#[tokio::test]
async fn an_expired_license_is_refused() {
    let app = app().await;
    product(&app, "pro-tool", "license_key", &[]).await;
    buy(&app, "exp@example.com", "pro-tool").await;
    let key: String = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT license_key FROM license_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(license_call(&app, "validate", json!({"key": key})).await.1["valid"], true);
    rusqlite::Connection::open(&app.db_path).unwrap().execute("UPDATE license_keys SET expires_at = 1", []).unwrap();
    let (status, body) = license_call(&app, "activate", json!({"key": key, "instance": "laptop"})).await;
    assert_eq!((status, body["valid"].as_bool(), body["status"].as_str()), (200, Some(false), Some("expired")));
}

#[tokio::test]
async fn a_refund_withdraws_web_access_from_the_dashboard() {
    let app = app().await;
    product(&app, "saas-seat", "web_access", &[]).await;
    let (client, order) = buy(&app, "web@example.com", "saas-seat").await;
    assert!(app
        .mail
        .to("web@example.com")
        .iter()
        .any(|m| m.subject() == "Product saas-seat is ready in your dashboard"));
    let page = client.get(app.url("/dashboard")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Product saas-seat") && page.contains("Ready"));
    app.refund(&order).await;
    let page = client.get(app.url("/dashboard")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Product saas-seat"), "a refunded purchase no longer shows as owned");
    let status: String = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT status FROM deliveries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(status, "revoked");
}

async fn license_call_from(app: &TestApp, action: &str, body: Value, ip: &str) -> (u16, Value) {
    let res = reqwest::Client::new()
        .post(app.url(&format!("/api/licenses/{action}")))
        .header("x-forwarded-for", ip)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn one<T: rusqlite::types::FromSql>(app: &TestApp, sql: &str) -> T {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn members_see_and_free_their_keys_machines_and_staff_change_the_limit() {
    let app = app().await;
    product(&app, "seat-kit", "license_key", &[("limit", "2")]).await;
    let (client, order) = buy(&app, "ayu@example.com", "seat-kit").await;
    let key: String = one(&app, "SELECT license_key FROM license_keys");

    // Two machines, the first with a name; the third is refused.
    let (status, _) = license_call_from(
        &app,
        "activate",
        json!({"key": key, "instance": "fp-1", "name": "Ayu's laptop"}),
        "203.0.113.77",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        license_call_from(&app, "activate", json!({"key": key, "instance": "fp-2"}), "2001:db8:1234:5678::9").await.0,
        200
    );
    let (status, body) = license_call(&app, "activate", json!({"key": key, "instance": "fp-3"})).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("activation_limit_reached")));
    let (status, body) = license_call(&app, "activate", json!({"key": key, "instance": "fp-9", "name": 7})).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_name")));

    // The member sees each machine: its name, when, and only its network.
    let page = client.get(app.url("/dashboard/licenses")).send().await.unwrap().text().await.unwrap();
    let page = page.replace("<!>", "").replace("&#x27;", "'");
    assert!(page.contains(&key) && page.contains("2 of 2 machines"), "{page}");
    assert!(page.contains("Ayu's laptop (fp-1)") && page.contains("203.0.113.0/24"), "{page}");
    assert!(page.contains("2001:db8:1234::/48") && !page.contains("203.0.113.77"), "no full address: {page}");

    // Validation marks a machine seen at most once a minute.
    license_call_from(&app, "validate", json!({"key": key, "instance": "fp-1"}), "198.51.100.9").await;
    let network: String = one(&app, "SELECT last_network FROM license_activations WHERE instance = 'fp-1'");
    assert_eq!(network, "203.0.113.0/24", "seen within the minute: not written again");
    rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .execute("UPDATE license_activations SET last_seen_at = last_seen_at - 120", [])
        .unwrap();
    license_call_from(&app, "validate", json!({"key": key, "instance": "fp-1"}), "198.51.100.9").await;
    let network: String = one(&app, "SELECT last_network FROM license_activations WHERE instance = 'fp-1'");
    assert_eq!(network, "198.51.100.0/24");

    // Another member cannot free Ayu's seat (not found); Ayu can, at once.
    let fp1: i64 = one(&app, "SELECT id FROM license_activations WHERE instance = 'fp-1'");
    app.verified_member("Other", "other@example.com", PW).await;
    let other = TestApp::new_client();
    app.login_with(&other, "other@example.com", PW).await;
    let res = app.post_api(&other, "/api/dashboard/deactivate", &[("id", &fp1.to_string())]).await;
    assert_eq!(res.status(), 404);
    let res = app.post_form_with(&client, "/api/dashboard/deactivate", &[("id", &fp1.to_string())]).await;
    assert_eq!(res.headers()["location"], "/dashboard/licenses?deactivated=1");
    let (_, body) = license_call(&app, "validate", json!({"key": key, "instance": "fp-1"})).await;
    assert_eq!((body["valid"].as_bool(), body["activated"].as_bool()), (Some(true), Some(false)), "{body}");
    assert_eq!(
        license_call(&app, "activate", json!({"key": key, "instance": "fp-3"})).await.0,
        200,
        "the seat is free"
    );

    // Staff see the machines on the order and change the limit (audited).
    let staff = app.signed_in_staff().await;
    let page = staff.get(app.url(&format!("/admin/orders/{order}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&key) && page.contains("fp-2") && page.contains("Activation limit"), "{page}");
    let res = app.post_api(&staff, "/api/admin/set_activation_limit", &[("public_id", &order), ("limit", "0")]).await;
    assert!(res.text().await.unwrap().contains("from 1 to 1,000"));
    let res =
        app.post_form_with(&staff, "/api/admin/set_activation_limit", &[("public_id", &order), ("limit", "3")]).await;
    assert_eq!(res.headers()["location"], format!("/admin/orders/{order}?done=limit#license").as_str());
    assert_eq!(license_call(&app, "activate", json!({"key": key, "instance": "fp-4"})).await.0, 200);
    let detail: String = one(&app, "SELECT detail FROM audit_log WHERE action = 'license.limit_changed'");
    assert_eq!(detail, "2 → 3 machines");
    let fp2: i64 = one(&app, "SELECT id FROM license_activations WHERE instance = 'fp-2'");
    let res = app
        .post_form_with(&staff, "/api/admin/deactivate_machine", &[("public_id", &order), ("id", &fp2.to_string())])
        .await;
    assert!(res.headers()["location"].to_str().unwrap().contains("done=deactivated"));
    assert_eq!(one::<i64>(&app, "SELECT count(*) FROM license_activations WHERE instance = 'fp-2'"), 0);
    // The member cannot use staff's action.
    let res = app.post_api(&client, "/api/admin/set_activation_limit", &[("public_id", &order), ("limit", "99")]).await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn a_member_follows_a_service_through_each_step_staff_post() {
    let app = app().await;
    product(&app, "brand-sprint", "manual", &[]).await;
    let (client, order) = buy(&app, "sari@example.com", "brand-sprint").await;
    let services = |c: reqwest::Client| {
        let url = app.url("/dashboard/services");
        async move { c.get(url).send().await.unwrap().text().await.unwrap().replace("<!>", "") }
    };
    let page = services(client.clone()).await;
    assert!(page.contains("Product brand-sprint") && page.contains(r#"<span class="badge">Received</span>"#), "{page}");

    let staff = app.signed_in_staff().await;
    let admin_page = staff.get(app.url(&format!("/admin/orders/{order}"))).send().await.unwrap().text().await.unwrap();
    assert!(admin_page.contains("Post progress") && admin_page.contains("No progress posted yet"), "{admin_page}");
    let res = app.post_api(&staff, "/api/admin/post_service_update", &[("public_id", &order), ("note", "  ")]).await;
    assert!(res.text().await.unwrap().contains("Write a note for the customer"));
    let res = app
        .post_form_with(
            &staff,
            "/api/admin/post_service_update",
            &[("public_id", &order), ("note", "Moodboards are done; first logo sketches on Friday.")],
        )
        .await;
    assert_eq!(res.headers()["location"], format!("/admin/orders/{order}?done=progress").as_str());
    app.drain_jobs().await;
    let mail = app.mail.to("sari@example.com").into_iter().find(|m| m.subject() == "Product brand-sprint: in progress");
    assert!(mail.expect("the step is mailed").decoded().contains("first logo sketches on Friday"));
    let page = services(client.clone()).await;
    assert!(
        page.contains(r#"<span class="badge">In progress</span>"#) && page.contains("first logo sketches on Friday"),
        "{page}"
    );

    app.post_form_with(
        &staff,
        "/api/admin/mark_delivered",
        &[("public_id", &order), ("message", "The brand book is in your folder.")],
    )
    .await;
    let page = services(client.clone()).await;
    assert!(
        page.contains(r#"<span class="badge ok">Delivered</span>"#)
            && page.contains("The brand book is in your folder."),
        "{page}"
    );
    let (first, second) = (page.find("first logo sketches").unwrap(), page.find("The brand book").unwrap());
    assert!(first < second, "oldest step first");
    // A finished service takes no more progress notes.
    let res = app.post_api(&staff, "/api/admin/post_service_update", &[("public_id", &order), ("note", "more")]).await;
    assert!(res.text().await.unwrap().contains("no service being prepared"));

    // Nobody else sees it.
    app.verified_member("Other", "other@example.com", PW).await;
    let other = TestApp::new_client();
    app.login_with(&other, "other@example.com", PW).await;
    let page = services(other).await;
    assert!(!page.contains("brand-sprint") && page.contains("No services yet"), "{page}");
}
