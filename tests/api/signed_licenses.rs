//! Offline-verifiable license keys: signed with the studio's Ed25519 key, checked
//! by the public key alone (the CLI, any app), online as well; tampering and expiry
//! refused both ways; refunds published in a signed revocation list.

use crate::helpers::{spawn_app_in, TestApp};
use atelier::domain::products::{ProductForm, ProductInput};
use atelier::server::db::{catalog, DbError};
use atelier::server::studio::licensing::{public_key_from_text, verify, verify_document, Claims, LicenseSigner};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use serde_json::{json, Value};

const PW: &str = "correct horse battery";

async fn shop() -> TestApp {
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &[]).await;
    let form = ProductForm {
        slug: "desktop-app".into(),
        name: "Desktop App".into(),
        kind: "digital".into(),
        status: "active".into(),
        billing: "one_time".into(),
        price_idr: "250000".into(),
        delivery_kind: "license_key".into(),
        delivery_activation_limit: "3".into(),
        delivery_signed: "on".into(),
        ..ProductForm::default()
    };
    let input = ProductInput::parse(&form).unwrap();
    app.state
        .db
        .run(move |c| Ok::<_, DbError>(catalog::save(c, None, &input, &Default::default()).is_ok()))
        .await
        .unwrap();
    app
}

/// Buys the app in the sandbox; the order id and the key the buyer was mailed.
async fn buy(app: &TestApp, email: &str) -> (String, String) {
    app.verified_member("Buyer", email, PW).await;
    let client = TestApp::new_client();
    app.login_with(&client, email, PW).await;
    let res =
        app.post_form_with(&client, "/api/site/checkout", &[("slug", "desktop-app"), ("gateway", "sandbox")]).await;
    let order = res.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_owned();
    app.post_form_with(&client, "/api/site/sandbox_pay", &[("order", &order), ("outcome", "pay")]).await;
    app.drain_jobs().await;
    let mail =
        app.mail.to(email).into_iter().find(|m| m.subject().starts_with("Your license key")).expect("key mailed");
    let text = mail.decoded();
    let key = text.split_whitespace().find(|w| w.starts_with("ATLS1.")).expect("a signed key in the mail").to_owned();
    (order, key)
}

async fn validate(app: &TestApp, key: &str) -> (u16, Value) {
    let res = reqwest::Client::new()
        .post(app.url("/api/licenses/validate"))
        .json(&json!({ "key": key }))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// `atelier license …` against the app's database: (success, what it printed).
fn cli(app: &TestApp, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_atelier"))
        .args(args)
        .env_clear()
        .env("DATABASE_PATH", &app.db_path)
        .current_dir(app.dir.path())
        .output()
        .unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn tampered_claims(key: &str) -> String {
    let (signed, signature) = key.rsplit_once('.').unwrap();
    let payload = B64.decode(signed.trim_start_matches("ATLS1.")).unwrap();
    let mut claims: Claims = serde_json::from_slice(&payload).unwrap();
    claims.act = 1000;
    format!("ATLS1.{}.{signature}", B64.encode(serde_json::to_vec(&claims).unwrap()))
}

#[tokio::test]
async fn a_signed_key_verifies_offline_with_the_public_key_and_online_and_tampering_is_refused_both_ways() {
    let app = shop().await;
    let (_, key) = buy(&app, "ana@example.com").await;

    // The published public key alone verifies it, as an app would offline.
    let published: Value = reqwest::get(app.url("/api/licenses/public-key")).await.unwrap().json().await.unwrap();
    assert_eq!(published["algorithm"], "Ed25519");
    let public = public_key_from_text(published["public_key"].as_str().unwrap()).unwrap();
    let claims = verify(&public, &key).expect("the key verifies");
    assert_eq!((claims.product.as_str(), claims.act, claims.exp), ("desktop-app", 3, None));
    let (ok, printed) = cli(&app, &["license", "public-key"]);
    assert!(ok && printed.trim() == published["public_key"].as_str().unwrap(), "{printed}");
    let (ok, printed) = cli(&app, &["license", "verify", &key]);
    assert!(ok && printed.starts_with("valid: desktop-app"), "{printed}");

    // Online, as the classic keys.
    let (status, body) = validate(&app, &key).await;
    assert_eq!((status, body["valid"].clone(), body["activation_limit"].clone()), (200, json!(true), json!(3)));

    // A changed payload or signature is refused offline and online.
    let (signed, signature) = key.rsplit_once('.').unwrap();
    let mut sig = B64.decode(signature).unwrap();
    sig[5] ^= 0x40;
    for forged in [tampered_claims(&key), format!("{signed}.{}", B64.encode(sig))] {
        assert!(verify(&public, &forged).is_err());
        let (ok, printed) = cli(&app, &["license", "verify", &forged]);
        assert!(!ok && printed.starts_with("not valid"), "{printed}");
        let (status, body) = validate(&app, &forged).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("invalid_key")), "{body}");
    }
    // A key signed by someone else's key is not ours.
    let (stranger, _) = LicenseSigner::generate().unwrap();
    let foreign = stranger.issue(&claims);
    assert!(!cli(&app, &["license", "verify", &foreign]).0);
    assert_eq!(validate(&app, &foreign).await.0, 400);
}

#[tokio::test]
async fn an_expired_signed_key_is_refused_offline_and_online() {
    let app = shop().await;
    let (order, key) = buy(&app, "old@example.com").await;
    let claims = verify(&app.state.license_signer.verifying_key(), &key).unwrap();
    let past = atelier::server::db::now() - 60;
    let expired = app.state.license_signer.issue(&Claims { exp: Some(past), ..claims });
    rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .execute(
            "UPDATE license_keys SET license_key = ?1, expires_at = ?2
             WHERE order_id = (SELECT id FROM orders WHERE public_id = ?3)",
            rusqlite::params![expired, past, order],
        )
        .unwrap();
    let (ok, printed) = cli(&app, &["license", "verify", &expired]);
    assert!(!ok && printed.starts_with("expired"), "{printed}");
    let (status, body) = validate(&app, &expired).await;
    assert_eq!((status, body["valid"].clone(), body["status"].clone()), (200, json!(false), json!("expired")));
}

#[tokio::test]
async fn a_refunded_key_appears_in_the_signed_revocation_list() {
    let app = shop().await;
    let (order, key) = buy(&app, "refund@example.com").await;
    let (_, other) = buy(&app, "keeps@example.com").await;
    let public = app.state.license_signer.verifying_key();
    let kid = |k: &str| verify(&public, k).unwrap().kid;

    let list: Value = reqwest::get(app.url("/api/licenses/revoked")).await.unwrap().json().await.unwrap();
    assert_eq!(list["revoked"], json!([]));
    app.refund(&order).await;

    let list: Value = reqwest::get(app.url("/api/licenses/revoked")).await.unwrap().json().await.unwrap();
    let document = verify_document(&public, list["payload"].as_str().unwrap(), list["signature"].as_str().unwrap())
        .expect("the list is signed by the studio");
    let document: Value = serde_json::from_slice(&document).unwrap();
    assert_eq!(document["revoked"], json!([kid(&key)]));
    assert!(document["issued_at"].as_i64().unwrap() > 0);
    assert!(!document["revoked"].as_array().unwrap().contains(&json!(kid(&other))));
    // A list with its payload swapped does not verify.
    let forged = B64.encode(json!({ "issued_at": 1, "revoked": [] }).to_string());
    assert!(verify_document(&public, &forged, list["signature"].as_str().unwrap()).is_none());
    assert_eq!(validate(&app, &key).await.1["status"], "revoked");
}
