//! Bahasa Indonesia and English (#43): a person's language, chosen on their profile,
//! and the mail about their account written in it.

use crate::helpers::{spawn_app, TestApp};

const PW: &str = "a long enough passphrase";

/// Words of the English mails that must not show in an Indonesian one (and the reverse).
const ENGLISH: &[&str] =
    &["Hi Ana", "Choose a new password", "The link works once", "your password", "Or paste this link"];
const INDONESIAN: &[&str] = &["Halo", "Buat kata sandi baru", "Tautan ini", "kata sandi", "Atau salin tautan ini"];

fn none_of(text: &str, words: &[&str]) {
    for word in words {
        assert!(!text.contains(word), "{word:?} in {text}");
    }
}

async fn member(app: &TestApp, email: &str) -> reqwest::Client {
    app.verified_member("Ana", email, PW).await;
    let client = TestApp::new_client();
    assert_eq!(app.login_with(&client, email, PW).await, "/dashboard");
    client
}

#[tokio::test]
async fn a_member_chooses_indonesian_and_the_mail_about_their_account_comes_in_it() {
    let app = spawn_app().await;
    let ana = member(&app, "ana@example.com").await;

    // English until chosen otherwise; the profile offers both, each named in itself.
    let profile = ana.get(app.url("/dashboard/profile")).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(profile.contains(r#"<option value="en" selected lang="en">English</option>"#), "{profile}");
    assert!(profile.contains(r#"<option value="id" lang="id">Bahasa Indonesia</option>"#), "{profile}");

    // A language that is not offered is refused with a reason, and nothing changes.
    let res = app.post_form_with(&ana, "/api/dashboard/mail_preferences", &[("language", "fr")]).await;
    assert!(res.headers()["location"].to_str().unwrap().contains("__err="), "refused");
    let lang: String = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT lang FROM users WHERE email = 'ana@example.com'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(lang, "en");
    let api = app.post_api(&ana, "/api/dashboard/mail_preferences", &[("language", "fr")]).await;
    assert_eq!(api.status(), 400);
    assert!(api.text().await.unwrap().contains("Choose Bahasa Indonesia or English."));

    let res = app.post_form_with(&ana, "/api/dashboard/mail_preferences", &[("language", "id")]).await;
    assert_eq!(res.headers()["location"], "/dashboard/profile?saved=1#mail");
    let profile = ana.get(app.url("/dashboard/profile")).send().await.unwrap().text().await.unwrap().replace("<!>", "");
    assert!(profile.contains(r#"<option value="id" selected lang="id">Bahasa Indonesia</option>"#), "{profile}");

    // A password reset: in Indonesian, the link as before.
    app.post_form("/api/auth/forgot_password", &[("email", "ana@example.com")]).await;
    app.drain_jobs().await;
    let mail = app.mail.to("ana@example.com").pop().unwrap();
    assert_eq!(mail.subject(), "Atur ulang kata sandi Atelier Anda");
    let body = mail.decoded();
    assert!(body.contains("Halo Ana,") && body.contains("Buat kata sandi baru"), "{body}");
    assert!(body.contains("Atau salin tautan ini ke peramban Anda:"), "{body}");
    // The link opens the Indonesian version of the page (this studio speaks English).
    assert!(mail.link(&app.url("/id/reset-password?token=")).is_some(), "{body}");
    assert!(mail.link(&app.url("/reset-password?token=")).is_none(), "{body}");
    none_of(&body, ENGLISH);

    // Changing the password from the profile: the notice too.
    let res = app
        .post_form_with(
            &ana,
            "/api/dashboard/change_password",
            &[
                ("current_password", PW),
                ("new_password", "another long passphrase"),
                ("new_password_confirm", "another long passphrase"),
            ],
        )
        .await;
    assert!(!res.headers()["location"].to_str().unwrap().contains("__err="), "changed");
    app.drain_jobs().await;
    let mail = app.mail.to("ana@example.com").pop().unwrap();
    assert_eq!(mail.subject(), "Kata sandi Atelier Anda telah diubah");
    none_of(&mail.decoded(), ENGLISH);

    // Moving to an address of another account: that account's person reads English.
    app.verified_member("Budi", "budi@example.com", PW).await;
    app.post_form_with(
        &ana,
        "/api/dashboard/change_email",
        &[("new_email", "budi@example.com"), ("current_password", "another long passphrase")],
    )
    .await;
    app.drain_jobs().await;
    let to_budi = app.mail.to("budi@example.com").pop().unwrap();
    assert_eq!(to_budi.subject(), "This address already has an account with Atelier");
    assert!(to_budi.decoded().contains("Hi there,"), "{}", to_budi.decoded());
    none_of(&to_budi.decoded(), INDONESIAN);
}

#[tokio::test]
async fn a_member_who_joins_a_waitlist_hears_in_their_language_and_a_visitor_in_the_default() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    crate::content::waitlist_product(&app, &staff).await;
    let ana = member(&app, "ana@example.com").await;
    app.post_form_with(&ana, "/api/dashboard/mail_preferences", &[("language", "id")]).await;
    for email in ["ana@example.com", "visitor@example.com"] {
        let join = [("product", "insight-analytics"), ("email", email), ("name", "")];
        app.post_form("/api/site/join_waitlist", &join).await;
    }
    app.drain_jobs().await;
    let to_ana = app.mail.to("ana@example.com").pop().unwrap();
    assert_eq!(to_ana.subject(), "Anda masuk daftar tunggu Insight Analytics");
    none_of(&to_ana.decoded(), &["Thanks for your interest", "See what's coming"]);
    let to_visitor = app.mail.to("visitor@example.com").pop().unwrap();
    assert_eq!(to_visitor.subject(), "You're on the waitlist for Insight Analytics");
}

#[tokio::test]
async fn a_member_who_keeps_english_gets_english_and_a_visitor_without_an_account_too() {
    let app = spawn_app().await;
    let _budi = member(&app, "budi@example.com").await;
    app.post_form("/api/auth/forgot_password", &[("email", "budi@example.com")]).await;
    app.post_form("/api/auth/forgot_password", &[("email", "ghost@example.com")]).await;
    app.drain_jobs().await;
    let mail = app.mail.to("budi@example.com").pop().unwrap();
    assert_eq!(mail.subject(), "Reset your Atelier password");
    assert!(mail.decoded().contains("Hi Ana,") && mail.decoded().contains("Or paste this link into your browser:"));
    none_of(&mail.decoded(), INDONESIAN);
    let ghost = app.mail.to("ghost@example.com").pop().unwrap();
    assert_eq!(ghost.subject(), "Password reset requested for Atelier");
    assert!(ghost.decoded().contains("Hi there,"), "{}", ghost.decoded());
}

#[tokio::test]
async fn a_member_who_reads_indonesian_gets_the_order_mails_and_the_receipt_in_it() {
    let app = spawn_app().await;
    app.product_on_sale("kit", "Launch Kit", "digital", "web_access", "150000").await;
    let ana = member(&app, "ana@example.com").await;
    app.post_form_with(&ana, "/api/dashboard/mail_preferences", &[("language", "id")]).await;
    let res = app.post_form_with(&ana, "/api/site/checkout", &[("slug", "kit"), ("gateway", "sandbox")]).await;
    let order = res.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_owned();
    app.post_form_with(&ana, "/api/site/sandbox_pay", &[("order", &order), ("outcome", "pay")]).await;
    app.drain_jobs().await;

    let mails = app.mail.to("ana@example.com");
    let confirmed = mails.iter().find(|m| m.subject() == format!("Pesanan {order} dikonfirmasi")).expect("confirmed");
    let body = confirmed.decoded();
    assert!(
        body.contains("Terima kasih! Kami telah menerima pembayaran Anda sebesar Rp 150.000 untuk Launch Kit."),
        "{body}"
    );
    none_of(&body, &["Thank you", "View your order", "Hi Ana"]);
    let ready = mails.iter().find(|m| m.subject() == "Launch Kit sudah siap di dasbor Anda").expect("access ready");
    assert!(ready.decoded().contains("Launch Kit kini aktif di akun Anda."), "{}", ready.decoded());

    // The receipt attached, and the one the dashboard gives, print in Indonesian.
    let number: String = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT number FROM receipts", [], |r| r.get(0))
        .unwrap();
    let pdf = crate::receipts::attachment(&confirmed.data, &format!("receipt-{number}.pdf")).expect("the receipt");
    let text = atelier::server::pdf::shown_text(&pdf);
    for words in ["Kuitansi", "Dibayar oleh", "Total dibayar (IDR)", "Simpan untuk arsip Anda."] {
        assert!(text.contains(words), "{words:?} in {text}");
    }
    none_of(&text, &["Receipt", "Paid by", "Total paid", "Keep it for your records"]);
    let download = ana.get(app.url(&format!("/dashboard/orders/{order}/receipt.pdf"))).send().await.unwrap();
    let text = atelier::server::pdf::shown_text(&download.bytes().await.unwrap());
    assert!(text.contains("Kuitansi") && !text.contains("Receipt"), "{text}");

    // A refund: in Indonesian too.
    app.refund(&order).await;
    app.drain_jobs().await;
    let refunded = app.mail.to("ana@example.com").into_iter().find(|m| m.subject().contains("dikembalikan dananya"));
    assert!(refunded.is_some_and(|m| m.decoded().contains("Akses Anda ke produk ini telah dicabut.")));
}

#[tokio::test]
async fn staff_add_a_member_who_reads_indonesian_to_a_client_and_the_mail_is_in_indonesian() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let ana = member(&app, "ana@example.com").await;
    app.post_form_with(&ana, "/api/dashboard/mail_preferences", &[("language", "id")]).await;
    let res = app
        .post_form_with(&staff, "/api/admin/create_client", &[("name", "PT Maju"), ("billing_address", "Jakarta")])
        .await;
    let client = res.headers()["location"].to_str().unwrap().trim_start_matches("/admin/clients/").to_owned();
    for (name, email) in [("Ana", "ana@example.com"), ("Dewi", "dewi@example.com")] {
        let res = app
            .post_form_with(
                &staff,
                "/api/admin/invite_client_person",
                &[("client_id", &client), ("name", name), ("email", email)],
            )
            .await;
        assert!(!res.headers()["location"].to_str().unwrap().contains("__err="), "invited");
    }
    app.drain_jobs().await;
    let to_ana = app.mail.to("ana@example.com").pop().unwrap();
    assert_eq!(to_ana.subject(), "Portal klien Anda untuk PT Maju");
    assert!(to_ana.decoded().contains("Kini Anda punya akses ke portal klien PT Maju"), "{}", to_ana.decoded());
    none_of(&to_ana.decoded(), ENGLISH);
    // A new person, invited from the client's page, reads the default language.
    let to_dewi = app.mail.to("dewi@example.com").pop().unwrap();
    assert_eq!(to_dewi.subject(), "Your client portal for PT Maju");
    assert!(to_dewi.decoded().contains("Choose your password"), "{}", to_dewi.decoded());
}

#[tokio::test]
async fn staff_choose_the_language_a_clients_invoices_print_in() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let res = app
        .post_form_with(&staff, "/api/admin/create_client", &[("name", "PT Maju"), ("billing_address", "Jakarta")])
        .await;
    let client = res.headers()["location"].to_str().unwrap().trim_start_matches("/admin/clients/").to_owned();
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    conn.execute(
        "INSERT INTO projects (client_id, name, status, created_at, updated_at) VALUES (?1, 'Website', 'active', 0, 0)",
        [&client],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO invoices (project_id, number, year, seq, title, total_idr, due_on, status, sent_at, created_at, updated_at)
         SELECT id, 'INV-2026-0001', 2026, 1, 'Design', 12000000, 1796515200, 'sent', 1796515200, 0, 0 FROM projects",
        [],
    )
    .unwrap();
    let invoice: i64 = conn.query_row("SELECT id FROM invoices", [], |r| r.get(0)).unwrap();
    let pdf_text = || async {
        let res = staff.get(app.url(&format!("/admin/invoices/{invoice}/invoice.pdf"))).send().await.unwrap();
        atelier::server::pdf::shown_text(&res.bytes().await.unwrap())
    };

    // English until staff choose otherwise.
    let text = pdf_text().await;
    assert!(text.contains("Invoice") && text.contains("Bill to") && text.contains("6 December 2026"), "{text}");
    let page = staff.get(app.url(&format!("/admin/clients/{client}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.replace("<!>", "").contains(r#"<option value="en" selected lang="en">English</option>"#), "{page}");

    let refused =
        app.post_api(&staff, "/api/admin/client_language", &[("client_id", &client), ("language", "jv")]).await;
    assert_eq!(refused.status(), 400);
    assert!(pdf_text().await.contains("Bill to"), "unchanged");
    let res =
        app.post_form_with(&staff, "/api/admin/client_language", &[("client_id", &client), ("language", "id")]).await;
    assert_eq!(res.headers()["location"], format!("/admin/clients/{client}?language=1"));
    let text = pdf_text().await;
    for words in ["Faktur", "Ditagihkan kepada", "6 Desember 2026", "Terkirim"] {
        assert!(text.contains(words), "{words:?} in {text}");
    }
    none_of(&text, &["Invoice", "Bill to", "December"]);
    let audited: i64 =
        conn.query_row("SELECT count(*) FROM audit_log WHERE action = 'client.language'", [], |r| r.get(0)).unwrap();
    assert_eq!(audited, 1);
    // A client that does not exist, and someone who is not staff, change nothing.
    let missing = app.post_api(&staff, "/api/admin/client_language", &[("client_id", "999"), ("language", "id")]).await;
    assert_eq!(missing.status(), 404);
    let member = member(&app, "ana@example.com").await;
    let res = app.post_api(&member, "/api/admin/client_language", &[("client_id", &client), ("language", "en")]).await;
    assert!(res.status() == 403 || res.status() == 401, "{}", res.status());
    assert!(pdf_text().await.contains("Faktur"));
}
