//! Sign in with Google against a fake OpenID provider on 127.0.0.1: discovery,
//! keys (RS256, as Google signs) and a token endpoint that hands out ID tokens
//! this test signs.

use crate::helpers::{spawn_app_in, TestApp};
use base64::Engine;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "atelier-test.apps.googleusercontent.com";
const KEY_PEM: &str = include_str!("google_test_key.pem");

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

struct FakeGoogle {
    server: MockServer,
    key: rsa::RsaPrivateKey,
}

impl FakeGoogle {
    async fn start() -> Self {
        let server = MockServer::start().await;
        let key = rsa::RsaPrivateKey::from_pkcs8_pem(KEY_PEM).unwrap();
        let issuer = server.uri();
        Mock::given(method("GET"))
            .and(path("/.well-known/openid-configuration"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "issuer": issuer,
                "authorization_endpoint": format!("{issuer}/o/oauth2/v2/auth"),
                "token_endpoint": format!("{issuer}/token"),
                "jwks_uri": format!("{issuer}/oauth2/v3/certs"),
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "code_challenge_methods_supported": ["S256"]
            })))
            .mount(&server)
            .await;
        let public = key.to_public_key();
        Mock::given(method("GET"))
            .and(path("/oauth2/v3/certs"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"keys": [{
                "kty": "RSA", "alg": "RS256", "use": "sig", "kid": "test-key",
                "n": b64(&public.n().to_bytes_be()), "e": b64(&public.e().to_bytes_be())
            }]})))
            .mount(&server)
            .await;
        Self { server, key }
    }

    /// An ID token for `claims` (the standard ones filled in), signed RS256.
    fn id_token(&self, nonce: &str, claims: Value) -> String {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        let mut body = json!({
            "iss": self.server.uri(), "aud": CLIENT_ID, "iat": now, "exp": now + 600, "nonce": nonce,
        });
        for (k, v) in claims.as_object().unwrap() {
            body[k] = v.clone();
        }
        let header = b64(br#"{"alg":"RS256","kid":"test-key","typ":"JWT"}"#);
        let input = format!("{header}.{}", b64(body.to_string().as_bytes()));
        let signature = SigningKey::<rsa::sha2::Sha256>::new(self.key.clone()).sign(input.as_bytes()).to_bytes();
        format!("{input}.{}", b64(&signature))
    }

    /// The token endpoint answers the next exchange (one only) with `id_token`,
    /// if the request proves the PKCE verifier and the code.
    async fn will_answer(&self, code: &str, id_token: String) {
        Mock::given(method("POST"))
            .and(path("/token"))
            .and(body_string_contains("code_verifier="))
            .and(body_string_contains(format!(
                "code={}",
                url::form_urlencoded::byte_serialize(code.as_bytes()).collect::<String>()
            )))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "access_token": "ya29.test", "token_type": "Bearer", "expires_in": 3599,
                "scope": "openid email profile", "id_token": id_token
            })))
            .up_to_n_times(1)
            .expect(1)
            .mount(&self.server)
            .await;
    }
}

async fn app(google: &FakeGoogle) -> TestApp {
    spawn_app_in(
        tempfile::TempDir::new().unwrap(),
        &[
            ("GOOGLE_CLIENT_ID", CLIENT_ID),
            ("GOOGLE_CLIENT_SECRET", "test-secret"),
            ("GOOGLE_ISSUER_URL", &google.server.uri()),
        ],
    )
    .await
}

/// Starts a sign-in: the provider's address we are sent to, and its state and nonce.
async fn start(app: &TestApp, client: &reqwest::Client, query: &str) -> (url::Url, String, String) {
    let res = client.get(app.url(&format!("/auth/google{query}"))).send().await.unwrap();
    assert_eq!(res.status(), 303, "{:?}", res.text().await);
    let to = url::Url::parse(res.headers()["location"].to_str().unwrap()).unwrap();
    let param = |k: &str| to.query_pairs().find(|(n, _)| n == k).map(|(_, v)| v.into_owned()).unwrap_or_default();
    (to.clone(), param("state"), param("nonce"))
}

async fn callback(app: &TestApp, client: &reqwest::Client, code: &str, state: &str) -> String {
    let res = client.get(app.url(&format!("/auth/google/callback?code={code}&state={state}"))).send().await.unwrap();
    assert_eq!(res.status(), 303);
    res.headers()["location"].to_str().unwrap().to_owned()
}

fn session_cookie(app: &TestApp, client_cookies: &reqwest::Response) -> Option<String> {
    let _ = app;
    client_cookies
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("atelier_session="))
        .map(|c| c.split(';').next().unwrap().to_owned())
}

fn count(app: &TestApp, sql: &str) -> i64 {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn a_new_google_account_becomes_a_verified_member_and_lands_where_it_was_going() {
    let google = FakeGoogle::start().await;
    let app = app(&google).await;
    assert!(app.get("/login").await.text().await.unwrap().contains("Sign in with Google"));

    let client = TestApp::new_client();
    // A session exists before sign-in (the visitor browsed); its id must not survive.
    let planted = client.get(app.url("/auth/google?next=/dashboard/orders")).send().await.unwrap();
    let before = session_cookie(&app, &planted).expect("the flow is kept in a session");
    let (to, state, nonce) = start(&app, &client, "?next=/dashboard/orders").await;
    assert!(to.as_str().starts_with(&format!("{}/o/oauth2/v2/auth?", google.server.uri())));
    let pairs: std::collections::HashMap<_, _> = to.query_pairs().into_owned().collect();
    assert_eq!(pairs["client_id"], CLIENT_ID);
    assert_eq!(pairs["code_challenge_method"], "S256");
    assert_eq!(pairs["redirect_uri"], app.state.config.url("/auth/google/callback"));
    assert!(pairs["scope"].contains("openid") && pairs["scope"].contains("email"));

    let token = google.id_token(
        &nonce,
        json!({"sub": "1001", "email": "Nadia@Example.com", "email_verified": true, "name": "Nadia Putri"}),
    );
    google.will_answer("4/first-code", token).await;
    // Google's codes hold a slash (sent escaped in the form).
    let res =
        client.get(app.url(&format!("/auth/google/callback?code=4%2Ffirst-code&state={state}"))).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/dashboard/orders");
    let after = session_cookie(&app, &res).expect("a new session id at sign-in");
    assert_ne!(before, after, "the session id is cycled");

    let dashboard = client.get(app.url("/dashboard")).send().await.unwrap();
    assert_eq!(dashboard.status(), 200);
    assert!(dashboard.text().await.unwrap().contains("Nadia Putri"));
    assert_eq!(count(&app, "SELECT count(*) FROM users WHERE email = 'nadia@example.com' AND email_verified_at IS NOT NULL AND role = 'member'"), 1);
    assert_eq!(count(&app, "SELECT count(*) FROM user_identities WHERE provider = 'google' AND subject = '1001'"), 1);
}

#[tokio::test]
async fn an_existing_member_is_signed_in_to_their_own_account_and_stays_linked() {
    let google = FakeGoogle::start().await;
    let app = app(&google).await;
    app.verified_member("Rama", "rama@example.com", "a long member passphrase").await;
    let client = TestApp::new_client();
    let (_, state, nonce) = start(&app, &client, "").await;
    let token = google.id_token(&nonce, json!({"sub": "2002", "email": "rama@example.com", "email_verified": true}));
    google.will_answer("code-a", token).await;
    assert_eq!(callback(&app, &client, "code-a", &state).await, "/dashboard");
    assert_eq!(count(&app, "SELECT count(*) FROM users"), 1, "no second account");

    // Later the Google address changes; the link (Google's id for them) still finds them.
    let again = TestApp::new_client();
    let (_, state, nonce) = start(&app, &again, "").await;
    let token = google.id_token(&nonce, json!({"sub": "2002", "email": "rama@new.example", "email_verified": true}));
    google.will_answer("code-b", token).await;
    assert_eq!(callback(&app, &again, "code-b", &state).await, "/dashboard");
    assert!(again
        .get(app.url("/dashboard/profile"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("rama@example.com"));
    assert_eq!(count(&app, "SELECT count(*) FROM users"), 1);
}

#[tokio::test]
async fn a_wrong_state_a_replayed_code_an_unverified_email_and_a_forged_token_are_refused() {
    let google = FakeGoogle::start().await;
    let app = app(&google).await;

    // Wrong state: refused before the code is even exchanged.
    let client = TestApp::new_client();
    let (_, _state, _) = start(&app, &client, "").await;
    assert_eq!(callback(&app, &client, "code-x", "not-the-state").await, "/login?error=google_state");
    let page = client.get(app.url("/login?error=google_state")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("did not come from this browser"), "the login page explains it");

    // A code used once cannot be used again (the flow left the session with it).
    let client = TestApp::new_client();
    let (_, state, nonce) = start(&app, &client, "").await;
    let token = google.id_token(&nonce, json!({"sub": "3003", "email": "once@example.com", "email_verified": true}));
    google.will_answer("code-once", token).await;
    assert_eq!(callback(&app, &client, "code-once", &state).await, "/dashboard");
    let attacker = TestApp::new_client();
    assert_eq!(callback(&app, &attacker, "code-once", &state).await, "/login?error=google_expired");
    assert_eq!(callback(&app, &client, "code-once", &state).await, "/login?error=google_expired");
    assert_eq!(attacker.get(app.url("/dashboard")).send().await.unwrap().status(), 303, "not signed in");

    // An unverified Google address is refused, and nothing is created.
    let client = TestApp::new_client();
    let (_, state, nonce) = start(&app, &client, "").await;
    let token =
        google.id_token(&nonce, json!({"sub": "4004", "email": "unverified@example.com", "email_verified": false}));
    google.will_answer("code-unverified", token).await;
    assert_eq!(callback(&app, &client, "code-unverified", &state).await, "/login?error=google_unverified");
    assert_eq!(count(&app, "SELECT count(*) FROM users WHERE email = 'unverified@example.com'"), 0);

    // A token whose signature does not match the provider's key is refused.
    let client = TestApp::new_client();
    let (_, state, nonce) = start(&app, &client, "").await;
    let genuine =
        google.id_token(&nonce, json!({"sub": "5005", "email": "forged@example.com", "email_verified": true}));
    let (signed, _) = genuine.rsplit_once('.').unwrap();
    let forged = format!("{signed}.{}", b64(&[7u8; 256]));
    google.will_answer("code-forged", forged).await;
    assert_eq!(callback(&app, &client, "code-forged", &state).await, "/login?error=google_failed");
    assert_eq!(count(&app, "SELECT count(*) FROM users WHERE email = 'forged@example.com'"), 0);

    // A nonce from another flow is refused too.
    let client = TestApp::new_client();
    let (_, state, _) = start(&app, &client, "").await;
    let token = google
        .id_token("another-flows-nonce", json!({"sub": "6006", "email": "n@example.com", "email_verified": true}));
    google.will_answer("code-nonce", token).await;
    assert_eq!(callback(&app, &client, "code-nonce", &state).await, "/login?error=google_failed");
}

#[tokio::test]
async fn staff_never_sign_in_with_google_nor_link_it() {
    let google = FakeGoogle::start().await;
    let app = app(&google).await;
    let staff = app.signed_in_staff().await;

    let stranger = TestApp::new_client();
    let (_, state, nonce) = start(&app, &stranger, "").await;
    let token =
        google.id_token(&nonce, json!({"sub": "7007", "email": "owner@studio.example", "email_verified": true}));
    google.will_answer("code-staff", token).await;
    assert_eq!(callback(&app, &stranger, "code-staff", &state).await, "/login?error=google_staff");
    assert_eq!(stranger.get(app.url("/admin")).send().await.unwrap().status(), 303, "not signed in");

    // Signed in with the password just now, staff still cannot link Google.
    let res = staff.get(app.url("/auth/google?link=1")).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/dashboard/profile?google=staff#google");
    let res = app
        .post_api(&staff, "/api/dashboard/link_google", &[("current_password", crate::helpers::STAFF_PASSWORD)])
        .await;
    assert_eq!(res.status(), 400);
    let profile = staff.get(app.url("/dashboard/profile")).send().await.unwrap().text().await.unwrap();
    assert!(!profile.contains("Link a Google account"), "not offered to staff");
    // An identity linked to a staff account before this rule does not sign it in.
    rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .execute(
            "INSERT INTO user_identities (provider, subject, user_id, email, created_at)
             SELECT 'google', '7007', id, email, 0 FROM users WHERE email = 'owner@studio.example'",
            [],
        )
        .unwrap();
    let later = TestApp::new_client();
    let (_, state, nonce) = start(&app, &later, "").await;
    let token =
        google.id_token(&nonce, json!({"sub": "7007", "email": "owner@studio.example", "email_verified": true}));
    google.will_answer("code-later", token).await;
    assert_eq!(callback(&app, &later, "code-later", &state).await, "/login?error=google_staff");
}

const MEMBER_PW: &str = "a member's long passphrase";

/// A verified member signed in with their password on a new browser.
async fn member(app: &TestApp, email: &str) -> reqwest::Client {
    app.verified_member("Mira", email, MEMBER_PW).await;
    let browser = TestApp::new_client();
    assert_eq!(app.login_with(&browser, email, MEMBER_PW).await, "/dashboard");
    browser
}

/// Links the Google account `sub` to the member signed in on `browser`; where it ends.
async fn link(app: &TestApp, google: &FakeGoogle, browser: &reqwest::Client, sub: &str, code: &str) -> String {
    let res = browser.get(app.url("/auth/google?link=1")).send().await.unwrap();
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    if !to.starts_with(&google.server.uri()) {
        return to;
    }
    let to = url::Url::parse(&to).unwrap();
    let param = |k: &str| to.query_pairs().find(|(n, _)| n == k).map(|(_, v)| v.into_owned()).unwrap();
    let email = format!("{sub}@gmail.example");
    let token = google.id_token(&param("nonce"), json!({"sub": sub, "email": email, "email_verified": true}));
    google.will_answer(code, token).await;
    callback(app, browser, code, &param("state")).await
}

#[tokio::test]
async fn linking_google_needs_the_password_within_ten_minutes_and_every_link_can_be_undone() {
    let google = FakeGoogle::start().await;
    let app = app(&google).await;
    let browser = member(&app, "mira@example.com").await;
    // Signed in with the password a moment ago: linking goes through.
    assert_eq!(link(&app, &google, &browser, "8001", "code-1").await, "/dashboard/profile?google=linked");

    // Ten minutes on (a session left open on a shared computer), linking asks for the password.
    rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .execute("UPDATE sessions SET data = json_set(data, '$.reauthenticated_at', 0)", [])
        .unwrap();
    assert_eq!(link(&app, &google, &browser, "8002", "code-2").await, "/dashboard/profile?google=password#google");
    let res = app.post_api(&browser, "/api/dashboard/link_google", &[("current_password", "not it at all")]).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("not your password"));
    let res = app.post_form_with(&browser, "/api/dashboard/link_google", &[("current_password", MEMBER_PW)]).await;
    assert_eq!(res.headers()["location"], "/auth/google?link=1");
    assert_eq!(link(&app, &google, &browser, "8002", "code-3").await, "/dashboard/profile?google=linked");

    // Both are listed, each with Unlink; unlinking one leaves the other.
    let profile = browser.get(app.url("/dashboard/profile")).send().await.unwrap().text().await.unwrap();
    assert!(profile.contains("8001@gmail.example") && profile.contains("8002@gmail.example"), "{profile}");
    assert_eq!(profile.matches(">Unlink<").count(), 2);
    let res = app.post_form_with(&browser, "/api/dashboard/unlink_google", &[("subject", "8001")]).await;
    assert_eq!(res.headers()["location"], "/dashboard/profile?google=unlinked#google");
    assert_eq!(count(&app, "SELECT count(*) FROM user_identities WHERE subject = '8001'"), 0);
    assert_eq!(count(&app, "SELECT count(*) FROM user_identities WHERE subject = '8002'"), 1);
    // Someone else's link cannot be undone from here.
    let other = member(&app, "other@example.com").await;
    let res = app.post_api(&other, "/api/dashboard/unlink_google", &[("subject", "8002")]).await;
    assert_eq!(res.status(), 404);
    assert_eq!(count(&app, "SELECT count(*) FROM user_identities WHERE subject = '8002'"), 1);
}

#[tokio::test]
async fn a_password_reset_by_mail_unlinks_google_and_ends_every_session() {
    let google = FakeGoogle::start().await;
    let app = app(&google).await;
    let browser = member(&app, "reset@example.com").await;
    assert_eq!(link(&app, &google, &browser, "9001", "code-r").await, "/dashboard/profile?google=linked");
    // Whoever linked it (say, someone at an unlocked laptop) loses it when the owner resets.
    app.post_form("/api/auth/forgot_password", &[("email", "reset@example.com")]).await;
    app.drain_jobs().await;
    let mail = app.mail.to("reset@example.com").into_iter().rev().find(|m| m.subject().contains("Reset")).unwrap();
    let link = mail.link(&app.url("/reset-password?token=")).unwrap();
    let token = link.rsplit('=').next().unwrap();
    let pw = "a fresh long passphrase";
    let form = [("token", token), ("password", pw), ("password_confirm", pw)];
    assert!(app
        .post_form_with(&TestApp::new_client(), "/api/auth/reset_password", &form)
        .await
        .status()
        .is_redirection());
    assert_eq!(count(&app, "SELECT count(*) FROM user_identities"), 0);
    assert_eq!(browser.get(app.url("/dashboard")).send().await.unwrap().status(), 303, "signed out");
    // Google no longer opens the account by the old link (it links again by the address, as a new sign-in).
    let again = TestApp::new_client();
    let (_, state, nonce) = start(&app, &again, "").await;
    let token = google.id_token(&nonce, json!({"sub": "9001", "email": "9001@gmail.example", "email_verified": true}));
    google.will_answer("code-after", token).await;
    callback(&app, &again, "code-after", &state).await;
    assert_eq!(
        count(&app, "SELECT count(*) FROM users WHERE email = 'reset@example.com' AND id IN (SELECT user_id FROM user_identities)"),
        0
    );
}

#[tokio::test]
async fn google_claiming_a_squatted_address_ends_the_squatters_password_and_sessions() {
    let google = FakeGoogle::start().await;
    let app = app(&google).await;
    let squatter = TestApp::new_client();
    let pw = "the squatter's passphrase";
    let form = [("name", "Squatter"), ("email", "nadia@example.com"), ("password", pw), ("password_confirm", pw)];
    app.post_form_with(&squatter, "/api/auth/register", &form).await;
    assert_eq!(app.login_with(&squatter, "nadia@example.com", pw).await, "/verify-email");

    // The real Nadia signs in with Google, which vouches for the address.
    let nadia = TestApp::new_client();
    let (_, state, nonce) = start(&app, &nadia, "").await;
    let token = google.id_token(&nonce, json!({"sub": "1234", "email": "nadia@example.com", "email_verified": true}));
    google.will_answer("code-nadia", token).await;
    assert_eq!(callback(&app, &nadia, "code-nadia", &state).await, "/dashboard");
    assert_eq!(nadia.get(app.url("/dashboard")).send().await.unwrap().status(), 200);

    let answer = app.login_with(&TestApp::new_client(), "nadia@example.com", pw).await;
    assert!(answer.contains("__err="), "the squatter's password is gone: {answer}");
    let res = squatter.get(app.url("/verify-email")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        squatter.get(app.url("/dashboard")).send().await.unwrap().headers()["location"],
        "/login?next=/dashboard",
        "the squatter's session ended"
    );
}

#[tokio::test]
async fn without_google_configured_there_is_no_button_and_no_flow() {
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &[]).await;
    assert!(!app.get("/login").await.text().await.unwrap().contains("Sign in with Google"));
    assert_eq!(app.get("/auth/google").await.status(), 404);
}
