//! What staff can do for a paid order's delivery from /admin/orders/{id}:
//! resend the delivery mail, withdraw access with a reason and restore it.

use crate::helpers::{spawn_app, TestApp};

fn query_one<T: rusqlite::types::FromSql>(app: &TestApp, sql: &str) -> T {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

async fn validate(app: &TestApp, key: &str) -> serde_json::Value {
    let res = reqwest::Client::new()
        .post(app.url("/api/licenses/validate"))
        .json(&serde_json::json!({ "key": key }))
        .send()
        .await;
    res.unwrap().json::<serde_json::Value>().await.unwrap()["valid"].clone()
}

async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    client.get(app.url(path)).send().await.unwrap().text().await.unwrap()
}

#[tokio::test]
async fn withdrawn_access_leaves_the_dashboard_with_its_reason_and_comes_back_on_restore() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    app.product_on_sale("desk-app", "Desk App", "digital", "license_key", "250000").await;
    let (member, order) = app.member_buys("nina@example.com", "desk-app").await;
    let key: String = query_one(&app, "SELECT license_key FROM license_keys");
    assert!(page(&member, &app, "/dashboard/downloads").await.contains(&key));

    let res = app.post_api(&staff, "/api/admin/revoke_access", &[("public_id", &order), ("reason", " ")]).await;
    assert_eq!(res.status(), 400, "a reason is required");
    let form = [("public_id", order.as_str()), ("reason", "The card payment was disputed")];
    assert!(app.post_form_with(&staff, "/api/admin/revoke_access", &form).await.status().is_redirection());
    app.drain_jobs().await;

    assert_eq!(validate(&app, &key).await, false, "the key stops working");
    let downloads = page(&member, &app, "/dashboard/downloads").await;
    assert!(!downloads.contains(&key), "the key leaves the dashboard: {downloads}");
    let order_page = page(&member, &app, &format!("/dashboard/orders/{order}")).await;
    assert!(order_page.contains("Access withdrawn by the studio: The card payment was disputed"), "{order_page}");
    let mail = app.mail.to("nina@example.com");
    let withdrawn: Vec<_> = mail.iter().filter(|m| m.subject() == "Your access to Desk App was withdrawn").collect();
    assert_eq!(withdrawn.len(), 1);
    assert!(withdrawn[0].decoded().contains("The card payment was disputed"));
    assert_eq!(query_one::<String>(&app, "SELECT status FROM orders"), "paid", "no refund");
    let res = app.post_api(&staff, "/api/admin/revoke_access", &form).await;
    assert!(res.text().await.unwrap().contains("withdrawn already"));

    assert!(app
        .post_form_with(&staff, "/api/admin/restore_access", &[("public_id", &order)])
        .await
        .status()
        .is_redirection());
    app.drain_jobs().await;
    assert_eq!(validate(&app, &key).await, true, "the same key works again");
    assert!(page(&member, &app, "/dashboard/downloads").await.contains(&key));
    let key_mails = app.mail.to("nina@example.com").iter().filter(|m| m.subject().contains("license key")).count();
    assert_eq!(key_mails, 2, "restoring mails the key again");

    // And it can be withdrawn again later.
    assert!(app.post_form_with(&staff, "/api/admin/revoke_access", &form).await.status().is_redirection());
    app.drain_jobs().await;
    assert_eq!(validate(&app, &key).await, false);
    let actions: String = query_one(
        &app,
        "SELECT group_concat(action, ',') FROM (SELECT action FROM audit_log WHERE action LIKE 'order.access%' ORDER BY id)",
    );
    assert_eq!(actions, "order.access_revoked,order.access_restored,order.access_revoked");
}

#[tokio::test]
async fn the_delivery_mail_is_sent_again_with_fresh_download_links() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let product = app.product_on_sale("icons", "Icons", "digital", "email_file", "90000").await;
    let res = app.upload_product_file(&staff, product, &[("label", "Icon set")], "icons.zip", b"icons".to_vec()).await;
    assert_eq!(res.status(), 303);
    let (_member, order) = app.member_buys("sari@example.com", "icons").await;
    let links = || {
        app.mail
            .to("sari@example.com")
            .iter()
            .filter(|m| m.subject() == "Your download is ready: Icons")
            .map(|m| m.link("/files/").expect("a download link"))
            .collect::<Vec<_>>()
    };
    assert_eq!(links().len(), 1);

    assert!(app
        .post_form_with(&staff, "/api/admin/resend_delivery", &[("public_id", &order)])
        .await
        .status()
        .is_redirection());
    app.drain_jobs().await;
    let sent = links();
    assert_eq!(sent.len(), 2);
    assert_ne!(sent[0], sent[1], "a fresh link");
    let res = reqwest::Client::new().get(app.url(&sent[1])).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"icons");
    assert_eq!(
        query_one::<String>(&app, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1"),
        "order.delivery_resent"
    );

    // Nothing to resend for an order that is not paid.
    app.verified_member("Unpaid", "unpaid@example.com", "an unpaid member's passphrase").await;
    let unpaid = TestApp::new_client();
    app.login_with(&unpaid, "unpaid@example.com", "an unpaid member's passphrase").await;
    let res = app.post_form_with(&unpaid, "/api/site/checkout", &[("slug", "icons"), ("gateway", "sandbox")]).await;
    let pending = res.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_owned();
    let res = app.post_api(&staff, "/api/admin/resend_delivery", &[("public_id", &pending)]).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Only a paid order"));
}
