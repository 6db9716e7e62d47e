//! #14 items 5, 6 and 8: deliverables (versions, reviews, held until paid) and
//! the message thread (attachments, mail to the other side, unread counts),
//! each reachable only by the project's client and staff.

use crate::helpers::{spawn_app_in, TestApp};
use crate::projects::{client_person, create_client};
use serde_json::Value;

/// Posts a multipart form (text fields, then an optional file) to `path`.
async fn multipart(
    app: &TestApp,
    who: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    if let Some((name, bytes)) = file {
        form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
    }
    who.post(app.url(path)).header("Origin", &app.address).multipart(form).send().await.expect("request failed")
}

fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default()
}

async fn json(app: &TestApp, who: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> Value {
    let res = app.post_api(who, path, form).await;
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

struct Studio {
    app: TestApp,
    staff: reqwest::Client,
    rina: reqwest::Client,
    sari: reqwest::Client,
    project: i64,
    milestone: i64,
}

/// PT Maju (Rina) with a project of one milestone; CV Lain (Sari) with none of it.
async fn studio() -> Studio {
    let app = spawn_app_in(tempfile::TempDir::new().unwrap(), &[("DELIVERABLE_MAX_MB", "1")]).await;
    let staff = app.signed_in_staff().await;
    let maju = create_client(&app, &staff, "PT Maju").await.to_string();
    let lain = create_client(&app, &staff, "CV Lain").await;
    let rina = client_person(&app, &staff, maju.parse().unwrap(), "rina@maju.example").await;
    let sari = client_person(&app, &staff, lain, "sari@lain.example").await;
    let form = [("client_id", maju.as_str()), ("name", "Brand refresh"), ("status", "active")];
    let res = app.post_form_with(&staff, "/api/admin/save_project", &form).await;
    let project: i64 =
        location(&res).trim_start_matches("/admin/projects/").trim_end_matches("?saved=1").parse().unwrap();
    let pid = project.to_string();
    let form = [("project_id", pid.as_str()), ("title", "Logo"), ("due_on", "2027-01-15")];
    app.post_form_with(&staff, "/api/admin/add_milestone", &form).await;
    let milestone =
        json(&app, &staff, "/api/admin/project", &[("id", &pid)]).await["milestones"][0]["id"].as_i64().unwrap();
    app.drain_jobs().await;
    Studio { app, staff, rina, sari, project, milestone }
}

#[tokio::test]
async fn a_deliverable_held_until_paid_is_released_by_the_payment_and_reviewed_by_the_client() {
    let Studio { app, staff, rina, sari, project, milestone } = studio().await;
    let (pid, mid) = (project.to_string(), milestone.to_string());
    let upload = format!("/admin/projects/{project}/deliverables");

    // Refusals say why and keep nothing.
    for (fields, file, code) in [
        (vec![("title", "Logo files")], None, "deliverable_error=empty"),
        (vec![("title", " ")], Some(("logo.zip", b"PK".to_vec())), "deliverable_error=title"),
        (
            vec![("title", "Logo files"), ("release_when_paid", "on")],
            Some(("logo.zip", b"PK".to_vec())),
            "deliverable_error=milestone",
        ),
        (vec![("title", "Too big")], Some(("big.bin", vec![0u8; 1024 * 1024 + 1])), "deliverable_error=size"),
        (vec![("deliverable_id", "999")], Some(("logo.zip", b"PK".to_vec())), "deliverable_error=file"),
    ] {
        let res = multipart(&app, &staff, &upload, &fields, file).await;
        assert!(location(&res).contains(code), "{fields:?}: {}", location(&res));
    }
    let stored = std::fs::read_dir(app.dir.path().join("storage").join("deliverables")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(stored, 0, "nothing kept of refused uploads");
    assert_eq!(multipart(&app, &rina, &upload, &[("title", "X")], Some(("x", b"x".to_vec()))).await.status(), 403);

    // Staff upload a deliverable held until the milestone's invoice is paid.
    let fields =
        [("title", "Logo files"), ("milestone_id", mid.as_str()), ("release_when_paid", "on"), ("note", "SVG and PNG")];
    let res = multipart(&app, &staff, &upload, &fields, Some(("logo-v1.zip", b"PK-version-one".to_vec()))).await;
    assert_eq!(location(&res), format!("/admin/projects/{project}?uploaded=1#deliverables"));
    app.drain_jobs().await;
    assert!(app.mail.to("rina@maju.example").iter().any(|m| m.subject() == "New deliverable: Logo files"));
    let page = json(&app, &rina, "/api/client/billing", &[("project_id", &pid)]).await;
    let d = &page["deliverables"][0];
    let version = d["versions"][0]["id"].as_i64().unwrap();
    assert!(d["locked"].as_str().unwrap().contains("Released once the invoice for Logo is paid"), "{d}");
    // Locked for the client, with the reason; staff can always fetch it; other clients never.
    let res = rina.get(app.url(&format!("/client/deliverables/{version}"))).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("Released once the invoice for Logo is paid"));
    let res = staff.get(app.url(&format!("/admin/deliverables/{version}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"PK-version-one");
    for guess in [version, version + 1, 0] {
        assert_eq!(sari.get(app.url(&format!("/client/deliverables/{guess}"))).send().await.unwrap().status(), 404);
    }
    assert_eq!(app.post_api(&sari, "/api/client/billing", &[("project_id", &pid)]).await.status(), 404);
    let did = d["id"].to_string();
    let approve = [("id", did.as_str()), ("decision", "approve")];
    assert_eq!(app.post_api(&sari, "/api/client/review_deliverable", &approve).await.status(), 404);

    // Quoted, accepted, invoiced, paid in the sandbox: the deliverable is released.
    let form = [("project_id", pid.as_str()), ("title", "Logo"), ("items", "Logo | 5.000.000"), ("schedule", "100")];
    app.post_form_with(&staff, "/api/admin/save_quote", &form).await;
    app.post_form_with(&staff, "/api/admin/quote_action", &[("project_id", &pid), ("id", "1"), ("action", "send")])
        .await;
    app.post_form_with(&rina, "/api/client/decide_quote", &[("id", "1"), ("decision", "accept")]).await;
    let due = atelier::domain::time::iso_date(atelier::server::db::now() + 7 * 86_400);
    app.post_form_with(&staff, "/api/admin/invoice_action", &[("id", "1"), ("action", "send"), ("due_on", &due)]).await;
    let page = json(&app, &rina, "/api/client/billing", &[("project_id", &pid)]).await;
    assert!(page["deliverables"][0]["locked"].as_str().unwrap().contains("Released once invoice INV-"));
    let res = app.post_form_with(&rina, "/api/client/pay_invoice", &[("id", "1"), ("gateway", "sandbox")]).await;
    let order = location(&res).rsplit('/').next().unwrap().to_owned();
    app.post_form_with(&rina, "/api/site/sandbox_pay", &[("order", &order), ("outcome", "pay")]).await;
    let res = rina.get(app.url(&format!("/client/deliverables/{version}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("logo-v1.zip"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"PK-version-one");

    // Changes asked (saying which), a second version, approved.
    let vague = [("id", did.as_str()), ("decision", "changes"), ("comment", " ")];
    let res = app.post_api(&rina, "/api/client/review_deliverable", &vague).await;
    assert_eq!(res.status(), 400);
    let changes = [("id", did.as_str()), ("decision", "changes"), ("comment", "A darker blue, please")];
    let res = app.post_form_with(&rina, "/api/client/review_deliverable", &changes).await;
    assert_eq!(location(&res), format!("/client/projects/{project}?reviewed=1#deliverables"));
    app.drain_jobs().await;
    assert!(app.mail.received().iter().any(|m| m.subject().contains("Changes requested on \"Logo files\" version 1")));
    let again = [("deliverable_id", did.as_str()), ("note", "Darker blue")];
    multipart(&app, &staff, &upload, &again, Some(("logo-v2.zip", b"PK-version-two".to_vec()))).await;
    let page = json(&app, &staff, "/api/admin/project_billing", &[("project_id", &pid)]).await;
    let d = &page["deliverables"][0];
    assert_eq!(
        (d["status"].as_str(), d["versions"].as_array().unwrap().len()),
        (Some("InReview"), 2),
        "versions are kept"
    );
    app.post_form_with(&rina, "/api/client/review_deliverable", &approve).await;
    let page = json(&app, &staff, "/api/admin/project_billing", &[("project_id", &pid)]).await;
    let d = &page["deliverables"][0];
    assert_eq!(d["status"], "Approved");
    assert_eq!(d["reviews"][0]["version_seq"], 2);
    assert_eq!(d["reviews"][1]["comment"], "A darker blue, please");
    let kinds: Vec<&str> = page["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(&kinds[..3], ["deliverable_approved", "deliverable_uploaded", "deliverable_changes_requested"]);
    let client_page =
        rina.get(app.url(&format!("/client/projects/{project}"))).send().await.unwrap().text().await.unwrap();
    assert!(client_page.contains("Version 2 · logo-v2.zip") && client_page.contains("Approved"), "{client_page}");
}

#[tokio::test]
async fn both_sides_write_in_the_thread_with_attachments_and_see_what_is_new() {
    let Studio { app, staff, rina, sari, project, .. } = studio().await;
    let pid = project.to_string();
    let client_post = format!("/client/projects/{project}/messages");
    let staff_post = format!("/admin/projects/{project}/messages");

    let res = multipart(&app, &rina, &client_post, &[("body", "  ")], None).await;
    assert_eq!(location(&res), format!("/client/projects/{project}?message_error=message#messages"));
    let body = "Here is our **brand book**.\n\n<script>alert(1)</script>";
    let res =
        multipart(&app, &rina, &client_post, &[("body", body)], Some(("brand.pdf", b"%PDF-brand".to_vec()))).await;
    assert_eq!(location(&res), format!("/client/projects/{project}?posted=1#messages"));
    // Another client cannot post to it or read it.
    assert_eq!(multipart(&app, &sari, &client_post, &[("body", "hi")], None).await.status(), 404);

    // Staff are mailed, see one unread message on the projects list, then read it.
    app.drain_jobs().await;
    let notice = app
        .mail
        .received()
        .into_iter()
        .find(|m| m.subject() == "New message from Person: Brand refresh")
        .expect("staff told");
    assert!(notice.link(&app.url(&format!("/admin/projects/{project}"))).is_some());
    let list = json(&app, &staff, "/api/admin/projects", &[]).await;
    assert_eq!(list["rows"][0]["unread"], 1);
    let page = json(&app, &staff, "/api/admin/project_billing", &[("project_id", &pid)]).await;
    let message = &page["thread"]["messages"][0];
    assert_eq!((message["unread"].as_bool(), message["from_staff"].as_bool()), (Some(true), Some(false)));
    let html = message["body_html"].as_str().unwrap();
    assert!(html.contains("<strong>brand book</strong>") && !html.contains("<script"), "{html}");
    let attachment = message["attachments"][0]["id"].as_i64().unwrap();
    assert_eq!(json(&app, &staff, "/api/admin/projects", &[]).await["rows"][0]["unread"], 0, "read once opened");
    let none =
        app.post_api(&staff, "/api/admin/project_billing", &[("project_id", &(project + 100).to_string())]).await;
    assert_eq!(none.status(), 404);
    let res = staff.get(app.url(&format!("/admin/attachments/{attachment}"))).send().await.unwrap();
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"%PDF-brand");
    assert_eq!(sari.get(app.url(&format!("/client/attachments/{attachment}"))).send().await.unwrap().status(), 404);
    let res = rina.get(app.url(&format!("/client/attachments/{attachment}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);

    // The studio answers: the client's people are mailed and see it as new.
    multipart(&app, &staff, &staff_post, &[("body", "Thanks, we start Monday.")], None).await;
    app.drain_jobs().await;
    let mail = app
        .mail
        .to("rina@maju.example")
        .into_iter()
        .find(|m| m.subject() == "New message from Owner: Brand refresh")
        .expect("client told");
    assert!(mail.decoded().contains("Thanks, we start Monday."));
    let projects = json(&app, &rina, "/api/client/projects", &[]).await;
    assert_eq!(projects[0]["unread"], 1);
    let overview = rina.get(app.url("/client")).send().await.unwrap().text().await.unwrap();
    assert!(overview.contains("1 new message"), "{overview}");
    let page = json(&app, &rina, "/api/client/billing", &[("project_id", &pid)]).await;
    let unread: Vec<bool> =
        page["thread"]["messages"].as_array().unwrap().iter().map(|m| m["unread"].as_bool().unwrap()).collect();
    assert_eq!(unread, [false, true], "their own is not new; the studio's is");
    assert_eq!(json(&app, &rina, "/api/client/projects", &[]).await[0]["unread"], 0);
    let kinds: Vec<&str> = page["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["message", "message"]);
    // Visitors and members are refused the files and the thread.
    let visitor = TestApp::new_client();
    let res = visitor.get(app.url(&format!("/client/attachments/{attachment}"))).send().await.unwrap();
    assert!(res.status().is_redirection() || res.status() == 401, "{}", res.status());
    assert_eq!(multipart(&app, &visitor, &client_post, &[("body", "x")], None).await.status().as_u16() / 100, 3);
}

#[tokio::test]
async fn a_held_deliverable_follows_its_milestones_current_invoice_not_an_older_paid_one() {
    let Studio { app, staff, rina, project, milestone, .. } = studio().await;
    let pid = project.to_string();
    let fields = [("title", "Final files"), ("milestone_id", &milestone.to_string()), ("release_when_paid", "on")];
    let upload = format!("/admin/projects/{project}/deliverables");
    multipart(&app, &staff, &upload, &fields, Some(("final.zip", b"PK-final".to_vec()))).await;
    let version = json(&app, &rina, "/api/client/billing", &[("project_id", &pid)]).await["deliverables"][0]
        ["versions"][0]["id"]
        .as_i64()
        .unwrap();
    let fetch = || rina.get(app.url(&format!("/client/deliverables/{version}"))).send();
    let db = rusqlite::Connection::open(&app.db_path).unwrap();
    let invoice = |seq: i64, status: &str| {
        db.execute(
            "INSERT INTO invoices (project_id, milestone_id, number, year, seq, title, total_idr, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, 2026, ?4, 'Final', 1000000, ?5, 0, 0)",
            rusqlite::params![project, milestone, format!("INV-2026-{seq:04}"), seq, status],
        )
        .unwrap();
    };
    // A deposit invoice of the milestone was paid; the invoice for the rest is open.
    invoice(1, "paid");
    invoice(2, "sent");
    let res = fetch().await.unwrap();
    assert_eq!(res.status(), 403, "an older paid invoice does not release it");
    assert!(res.text().await.unwrap().contains("Released once invoice INV-2026-0002"));
    // The open one voided (replaced by nothing): the paid one is current again.
    db.execute("UPDATE invoices SET status = 'void', voided_at = 1 WHERE seq = 2", []).unwrap();
    assert_eq!(fetch().await.unwrap().status(), 200);
    // A corrected invoice issued after it: held until that one is paid.
    invoice(3, "sent");
    assert_eq!(fetch().await.unwrap().status(), 403);
    db.execute("UPDATE invoices SET status = 'paid', paid_at = 1 WHERE seq = 3", []).unwrap();
    assert_eq!(fetch().await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_clients_person_who_reads_indonesian_is_told_of_a_message_in_indonesian_with_its_words_as_written() {
    let Studio { app, staff, project, .. } = studio().await;
    rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .execute("UPDATE users SET lang = 'id' WHERE email = 'rina@maju.example'", [])
        .unwrap();
    multipart(
        &app,
        &staff,
        &format!("/admin/projects/{project}/messages"),
        &[("body", "Thanks, we start Monday.")],
        None,
    )
    .await;
    app.drain_jobs().await;
    let mail = app
        .mail
        .to("rina@maju.example")
        .into_iter()
        .find(|m| m.subject() == "Pesan baru dari Owner: Brand refresh")
        .expect("told in Indonesian");
    let body = mail.decoded();
    assert!(body.contains("Owner menulis di Brand refresh:") && body.contains("Thanks, we start Monday."), "{body}");
    assert!(body.contains("Buka proyek") && !body.contains("Open the project") && !body.contains("wrote on"), "{body}");
}
