//! Product files: staff upload them (streamed to private storage), buyers download
//! the current version, and "Send update" mails every buyer once per version.

use crate::helpers::{spawn_app_in, TestApp};

const PW: &str = "correct horse battery";

async fn app_with(extra: &[(&str, &str)]) -> TestApp {
    spawn_app_in(tempfile::TempDir::new().unwrap(), extra).await
}

/// A product sold by download link, with no file yet.
async fn download_product(app: &TestApp, slug: &str) -> i64 {
    app.product_on_sale(slug, &format!("Kit {slug}"), "digital", "email_file", "99000").await
}

async fn buy(app: &TestApp, email: &str, slug: &str) -> (reqwest::Client, String) {
    app.member_buys(email, slug).await
}

fn query_i64(app: &TestApp, sql: &str) -> i64 {
    rusqlite::Connection::open(&app.db_path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Every file under `dir`, recursively.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries.flatten().flat_map(|e| if e.path().is_dir() { files_under(&e.path()) } else { vec![e.path()] }).collect()
}

#[tokio::test]
async fn a_member_downloads_exactly_the_file_staff_uploaded_under_its_own_name() {
    let app = app_with(&[]).await;
    let product = download_product(&app, "icons").await;
    let staff = app.signed_in_staff().await;
    let icons: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 256) as u8).collect();
    // With JavaScript the page asks for JSON (and shows a progress bar meanwhile).
    let res = staff
        .post(app.url(&format!("/admin/products/{product}/files")))
        .header("Origin", &app.address)
        .header("Accept", "application/json")
        .multipart(
            reqwest::multipart::Form::new()
                .text("file_id", "new")
                .text("label", "Icon set")
                .text("version", "1.0")
                .text("changelog", "First release.")
                .part("file", reqwest::multipart::Part::bytes(icons.clone()).file_name("ikon é.zip")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["message"], "Uploaded ikon é.zip as version 1.0 of “Icon set”.");
    let docs = app
        .upload_product_file(&staff, product, &[("label", "Documentation")], "guide.pdf", b"%PDF-1.7 guide".to_vec())
        .await;
    assert_eq!(docs.status(), 303);

    // Stored privately under a random name; nothing reaches public/.
    let stored = files_under(&app.state.config.storage_dir.join("products"));
    assert_eq!(stored.len(), 2, "{stored:?}");
    assert!(stored.iter().all(|p| !p.to_string_lossy().contains("ikon")), "{stored:?}");
    assert!(files_under(&app.state.config.uploads_dir).is_empty());

    // The product page lists both files with version, size and date.
    let page = staff.get(app.url(&format!("/admin/products/{product}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Icon set") && page.contains("Documentation") && page.contains("293.0 KB"), "{page}");

    let (member, order) = buy(&app, "buyer@example.com", "icons").await;
    let mail =
        app.mail.to("buyer@example.com").into_iter().find(|m| m.subject().contains("download is ready")).unwrap();
    assert!(mail.decoded().contains("Download Icon set") && mail.decoded().contains("Download Documentation"));
    let link = mail.link(&app.url("/files/")).expect("a download link");
    let res = reqwest::get(&link).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"ikon__.zip\"; filename*=UTF-8''ikon%20%C3%A9.zip"
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), icons.as_slice());

    // The dashboard shows each file and gets a fresh link to the one asked for.
    let downloads = member.get(app.url("/dashboard/downloads")).send().await.unwrap().text().await.unwrap();
    assert!(
        downloads.contains("Icon set") && downloads.contains("version 1.0") && downloads.contains("First release."),
        "{downloads}"
    );
    let doc_id = query_i64(&app, "SELECT id FROM product_files WHERE label = 'Documentation'").to_string();
    let res =
        app.post_form_with(&member, "/api/dashboard/fresh_link", &[("public_id", &order), ("file_id", &doc_id)]).await;
    let fresh = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(reqwest::get(app.url(&fresh)).await.unwrap().bytes().await.unwrap().as_ref(), b"%PDF-1.7 guide");

    // Another product's file is not reachable through this order.
    let other = download_product(&app, "other").await;
    app.upload_product_file(&staff, other, &[("label", "Other")], "other.zip", b"other".to_vec()).await;
    let other_file = query_i64(&app, "SELECT id FROM product_files WHERE label = 'Other'").to_string();
    let res = app
        .post_api(&member, "/api/dashboard/fresh_link", &[("public_id", order.as_str()), ("file_id", &other_file)])
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn a_new_version_is_what_existing_links_download_and_old_versions_can_be_deleted() {
    let app = app_with(&[]).await;
    let product = download_product(&app, "kit").await;
    let staff = app.signed_in_staff().await;
    app.upload_product_file(&staff, product, &[("label", "Starter kit")], "kit-1.0.zip", b"version one".to_vec()).await;
    buy(&app, "early@example.com", "kit").await;
    let mail =
        app.mail.to("early@example.com").into_iter().find(|m| m.subject().contains("download is ready")).unwrap();
    let link = mail.link(&app.url("/files/")).unwrap();

    let file_id = query_i64(&app, "SELECT id FROM product_files").to_string();
    let res = app
        .upload_product_file(
            &staff,
            product,
            &[("file_id", &file_id), ("version", "1.1"), ("changelog", "Dark mode.")],
            "kit-1.1.zip",
            b"version two".to_vec(),
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = reqwest::get(&link).await.unwrap();
    assert_eq!(res.headers()["content-disposition"], "attachment; filename=\"kit-1.1.zip\"");
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"version two");
    // A link made before files had ids (no file on it) serves the product's first file.
    rusqlite::Connection::open(&app.db_path).unwrap().execute("UPDATE download_links SET file_id = NULL", []).unwrap();
    assert_eq!(reqwest::get(&link).await.unwrap().bytes().await.unwrap().as_ref(), b"version two");

    // The current version cannot be deleted; an old one can, with its bytes.
    let v1 = query_i64(&app, "SELECT id FROM product_file_versions WHERE seq = 1").to_string();
    let v2 = query_i64(&app, "SELECT id FROM product_file_versions WHERE seq = 2").to_string();
    let pid = product.to_string();
    let res = app
        .post_api(&staff, "/api/admin/delete_file_version", &[("product_id", pid.as_str()), ("version_id", &v2)])
        .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("current version"));
    assert_eq!(files_under(&app.state.config.storage_dir.join("products")).len(), 2);
    let res = app
        .post_form_with(&staff, "/api/admin/delete_file_version", &[("product_id", &pid), ("version_id", &v1)])
        .await;
    assert!(res.status().is_redirection());
    assert_eq!(query_i64(&app, "SELECT count(*) FROM product_file_versions"), 1);
    assert_eq!(files_under(&app.state.config.storage_dir.join("products")).len(), 1);
    assert_eq!(query_i64(&app, "SELECT count(*) FROM audit_log WHERE action LIKE 'product_file.%'"), 3);
}

#[tokio::test]
async fn a_bad_or_oversized_upload_is_refused_with_a_clear_message_and_leaves_nothing_behind() {
    let app = app_with(&[("PRODUCT_FILE_MAX_MB", "1")]).await;
    let product = download_product(&app, "kit").await;
    let staff = app.signed_in_staff().await;
    let back = |code: &str| format!("/admin/products/{product}?file_error={code}#files");

    let big = vec![7u8; 1024 * 1024 + 1];
    let res = app.upload_product_file(&staff, product, &[("label", "Kit")], "big.zip", big.clone()).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], back("size"));
    let page = staff.get(app.url(&back("size"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("The file is larger than 1 MB, the most one upload can be. Nothing was stored."));

    let res = staff
        .post(app.url(&format!("/admin/products/{product}/files")))
        .header("Origin", &app.address)
        .header("Accept", "application/json")
        .multipart(
            reqwest::multipart::Form::new()
                .text("label", "Kit")
                .part("file", reqwest::multipart::Part::bytes(big).file_name("big.zip")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"], "size");
    assert!(body["message"].as_str().unwrap().contains("larger than 1 MB"));

    let empty = app.upload_product_file(&staff, product, &[("label", "Kit")], "empty.zip", Vec::new()).await;
    assert_eq!(empty.headers()["location"], back("empty"));
    let unlabelled = app.upload_product_file(&staff, product, &[("label", " ")], "kit.zip", b"kit".to_vec()).await;
    assert_eq!(unlabelled.headers()["location"], back("label"));
    let version = app
        .upload_product_file(&staff, product, &[("label", "Kit"), ("version", "<b>")], "kit.zip", b"k".to_vec())
        .await;
    assert_eq!(version.headers()["location"], back("version"));
    let other = download_product(&app, "other").await;
    app.upload_product_file(&staff, other, &[("label", "Other")], "other.zip", b"other".to_vec()).await;
    let others = query_i64(&app, "SELECT id FROM product_files").to_string();
    let foreign = app.upload_product_file(&staff, product, &[("file_id", &others)], "kit.zip", b"k".to_vec()).await;
    assert_eq!(foreign.headers()["location"], back("file"));

    // Only the other product's one file exists: no part files, no rows for this product.
    assert_eq!(files_under(&app.state.config.storage_dir.join("products")).len(), 1);
    let rows = format!("SELECT count(*) FROM product_files WHERE product_id = {product}");
    assert_eq!(query_i64(&app, &rows), 0);

    // Members and visitors cannot upload at all.
    app.verified_member("Mallory", "mallory@example.com", PW).await;
    let member = TestApp::new_client();
    app.login_with(&member, "mallory@example.com", PW).await;
    let res = app.upload_product_file(&member, product, &[("label", "Kit")], "kit.zip", b"kit".to_vec()).await;
    assert_ne!(res.status(), 200);
    assert!(!res.headers().get("location").is_some_and(|l| l.to_str().unwrap().contains("file_saved")));
    assert_eq!(query_i64(&app, &rows), 0);

    // A product sold by download link cannot go on sale before its file is uploaded.
    let res = app
        .post_api(
            &staff,
            "/api/admin/save_product",
            &[
                ("id", product.to_string().as_str()),
                ("form[name]", "Kit"),
                ("form[slug]", "kit"),
                ("form[kind]", "digital"),
                ("form[status]", "active"),
                ("form[billing]", "one_time"),
                ("form[price_idr]", "99000"),
                ("form[delivery_kind]", "email_file"),
            ],
        )
        .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("needs its file before it goes on sale"));
}

#[tokio::test]
async fn send_update_mails_each_buyer_once_with_the_changelog_and_refunded_buyers_nothing() {
    let app = app_with(&[]).await;
    let product = download_product(&app, "kit").await;
    let staff = app.signed_in_staff().await;
    app.upload_product_file(&staff, product, &[("label", "Starter kit")], "kit.zip", b"v1".to_vec()).await;
    buy(&app, "ana@example.com", "kit").await;
    buy(&app, "budi@example.com", "kit").await;
    let (_, refunded) = buy(&app, "cici@example.com", "kit").await;
    app.refund(&refunded).await;
    let (quiet, _) = buy(&app, "dewi@example.com", "kit").await;
    let res = app.post_form_with(&quiet, "/api/dashboard/mail_preferences", &[]).await;
    assert!(res.status().is_redirection(), "an unticked box turns product updates off");
    // Budi reads Indonesian.
    rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .execute("UPDATE users SET lang = 'id' WHERE email = 'budi@example.com'", [])
        .unwrap();

    let file_id = query_i64(&app, "SELECT id FROM product_files").to_string();
    app.upload_product_file(
        &staff,
        product,
        &[("file_id", &file_id), ("version", "2.0"), ("changelog", "**Faster** builds <script>alert(1)</script>")],
        "kit-2.zip",
        b"v2".to_vec(),
    )
    .await;
    let version = query_i64(&app, "SELECT id FROM product_file_versions WHERE seq = 2").to_string();
    let pid = product.to_string();
    for _ in 0..2 {
        let res = app
            .post_form_with(&staff, "/api/admin/send_product_update", &[("product_id", &pid), ("version_id", &version)])
            .await;
        assert!(res.status().is_redirection());
    }
    app.drain_jobs().await;

    let subject = "Kit kit: Starter kit 2.0 is out";
    for (buyer, subject) in [("ana@example.com", subject), ("budi@example.com", "Kit kit: Starter kit 2.0 telah rilis")]
    {
        let updates: Vec<_> = app.mail.to(buyer).into_iter().filter(|m| m.subject() == subject).collect();
        assert_eq!(updates.len(), 1, "{buyer} is mailed once");
        let text = updates[0].decoded();
        assert!(text.contains("<strong>Faster</strong> builds"), "{text}");
        let html = text.split("Content-Type: text/html").nth(1).expect("an HTML part");
        assert!(html.contains("<strong>Faster</strong> builds"), "{html}");
        assert!(!html.contains("<script>"), "the changelog is sanitised: {html}");
        assert!(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        let link = updates[0].link(&app.url("/files/")).unwrap();
        assert_eq!(reqwest::get(&link).await.unwrap().bytes().await.unwrap().as_ref(), b"v2");
    }
    for left_out in ["cici@example.com", "dewi@example.com"] {
        assert!(app.mail.to(left_out).iter().all(|m| m.subject() != subject), "{left_out} gets nothing");
    }
    let to_budi = app.mail.to("budi@example.com").into_iter().find(|m| m.subject().ends_with("telah rilis")).unwrap();
    let text = to_budi.decoded();
    assert!(text.contains("Yang berubah:") && text.contains("Berhenti menerima email pembaruan produk"), "{text}");
    assert!(!text.contains("What changed") && !text.contains("Stop product update emails"), "{text}");
    let page = staff.get(app.url(&format!("/admin/products/{product}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Update sent to 2 buyers"), "{page}");

    // An older version cannot be sent once a newer one is up.
    let v1 = query_i64(&app, "SELECT id FROM product_file_versions WHERE seq = 1").to_string();
    let res = app
        .post_api(&staff, "/api/admin/send_product_update", &[("product_id", pid.as_str()), ("version_id", &v1)])
        .await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn the_mails_unsubscribe_link_works_without_signing_in() {
    let app = app_with(&[]).await;
    let product = download_product(&app, "kit").await;
    let staff = app.signed_in_staff().await;
    app.upload_product_file(&staff, product, &[("label", "Kit")], "kit.zip", b"v1".to_vec()).await;
    let (member, _) = buy(&app, "ana@example.com", "kit").await;
    let file_id = query_i64(&app, "SELECT id FROM product_files").to_string();
    app.upload_product_file(&staff, product, &[("file_id", &file_id)], "kit.zip", b"v2".to_vec()).await;
    let version = query_i64(&app, "SELECT max(id) FROM product_file_versions").to_string();
    let pid = product.to_string();
    app.post_form_with(&staff, "/api/admin/send_product_update", &[("product_id", &pid), ("version_id", &version)])
        .await;
    app.drain_jobs().await;
    let mail = app.mail.to("ana@example.com").into_iter().find(|m| m.subject().ends_with("is out")).unwrap();
    let data = mail.data.clone(); // headers are not quoted-printable
    let header = data.lines().find_map(|l| l.strip_prefix("List-Unsubscribe: <")).expect("List-Unsubscribe");
    let url = header.trim_end_matches('>').to_owned();
    assert!(url.starts_with(&app.url("/mail/unsubscribe?u=")), "{url}");

    // Opening the link (or a link scanner) only asks.
    let anonymous = reqwest::Client::new();
    let page = anonymous.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Stop product update emails?"), "{url}: {page}");
    assert_eq!(query_i64(&app, "SELECT product_update_mails FROM users WHERE email = 'ana@example.com'"), 1);

    // A tampered link is refused and changes nothing.
    let last = if url.ends_with('0') { '1' } else { '0' };
    let tampered = format!("{}{last}", &url[..url.len() - 1]);
    let res = anonymous.post(&tampered).body("List-Unsubscribe=One-Click").send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(query_i64(&app, "SELECT product_update_mails FROM users WHERE email = 'ana@example.com'"), 1);

    // The mail client's one-click POST (from its own servers: no Origin, no cookie).
    let res = anonymous
        .post(&url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("You are unsubscribed"));
    assert_eq!(query_i64(&app, "SELECT product_update_mails FROM users WHERE email = 'ana@example.com'"), 0);
    assert!(!box_ticked(&app, &member).await, "the profile shows it off");

    // The profile turns it back on.
    app.post_form_with(&member, "/api/dashboard/mail_preferences", &[("product_updates", "on")]).await;
    assert_eq!(query_i64(&app, "SELECT product_update_mails FROM users WHERE email = 'ana@example.com'"), 1);
    assert!(box_ticked(&app, &member).await);
}

/// Whether the profile's "product updates" box is ticked.
async fn box_ticked(app: &TestApp, member: &reqwest::Client) -> bool {
    let page = member.get(app.url("/dashboard/profile")).send().await.unwrap().text().await.unwrap();
    let start = page.find("<input id=\"product_updates\"").expect("the product updates box");
    let tag = &page[start..start + page[start..].find('>').unwrap()];
    tag.contains("checked")
}
