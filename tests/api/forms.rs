//! Forms without JavaScript: a refused submission comes back with its error and
//! with what the person typed (never a password), once.

use crate::helpers::{spawn_app, TestApp};

/// Submits `form` to `action` as a browser without JavaScript would from `page`,
/// follows the redirect back, and returns the page it shows.
async fn submit_from(
    app: &TestApp,
    client: &reqwest::Client,
    page: &str,
    action: &str,
    form: &[(&str, &str)],
) -> String {
    let res = client
        .post(app.url(action))
        .header("Accept", "text/html,application/xhtml+xml")
        .header("Origin", &app.address)
        .header("Referer", app.url(page))
        .form(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302, "{action} answers a form post with a redirect");
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("__err="), "{action} was refused: {location}");
    let url = if location.starts_with("http") { location } else { app.url(&location) };
    client.get(url).send().await.unwrap().text().await.unwrap()
}

#[tokio::test]
async fn a_refused_contact_message_comes_back_with_what_was_typed() {
    let app = spawn_app().await;
    let visitor = TestApp::new_client();
    let form = [("name", "Ana Pratama"), ("email", "ana@example.com"), ("subject", "A new site"), ("message", "short")];
    let page = submit_from(&app, &visitor, "/contact", "/api/site/contact", &form).await;
    assert!(page.contains(r#"role="alert""#), "the error is shown");
    assert!(page.contains(r#"value="Ana Pratama""#) && page.contains(r#"value="ana@example.com""#), "{page}");
    assert!(page.contains(r#"value="A new site""#));
    assert!(page.contains(">short</textarea>"), "the message too");

    let again = visitor.get(app.url("/contact")).send().await.unwrap().text().await.unwrap();
    assert!(!again.contains("Ana Pratama"), "kept for the one page that shows the error, then forgotten");
    let other = TestApp::new_client().get(app.url("/contact")).send().await.unwrap().text().await.unwrap();
    assert!(!other.contains("Ana Pratama"), "and never shown to anyone else");
}

#[tokio::test]
async fn a_refused_sign_in_keeps_the_email_but_never_the_password() {
    let app = spawn_app().await;
    let visitor = TestApp::new_client();
    let form = [("email", "someone@example.com"), ("password", "the wrong passphrase")];
    let page = submit_from(&app, &visitor, "/login", "/api/auth/login", &form).await;
    assert!(page.contains(r#"value="someone@example.com""#), "{page}");
    assert!(!page.contains("the wrong passphrase"), "a password is never sent back");
}

#[tokio::test]
async fn a_refused_product_save_shows_the_form_as_staff_typed_it() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let form = [
        ("form[name]", "Launch Kit"),
        ("form[kind]", "digital"),
        ("form[status]", "active"),
        ("form[billing]", "one_time"),
        ("form[price_idr]", "twelve"),
        ("form[description_md]", "A long description that took a while to write."),
        ("form[delivery_kind]", "web_access"),
    ];
    let page = submit_from(&app, &staff, "/admin/products/new", "/api/admin/save_product", &form).await;
    assert!(page.contains(r#"role="alert""#), "the error is shown");
    assert!(page.contains(r#"value="Launch Kit""#) && page.contains(r#"value="twelve""#), "{page}");
    assert!(page.contains(">A long description that took a while to write.</textarea>"));
    let fresh = staff.get(app.url("/admin/products/new")).send().await.unwrap().text().await.unwrap();
    assert!(!fresh.contains("Launch Kit"), "an empty form the next time");
}
