//! #14 items 3, 4 and 7: quotes the client accepts, milestone invoices numbered
//! without gaps, paid online through the one payment path or by transfer,
//! reminders through the queue, and the project's activity.

use crate::helpers::{spawn_app, TestApp};
use crate::projects::{client_person, create_client};
use crate::receipts::attachment;
use atelier::domain::time::iso_date;
use serde_json::Value;

/// A project for `client` with three milestones: its id.
pub(crate) async fn project_with_milestones(app: &TestApp, staff: &reqwest::Client, client: i64) -> i64 {
    let client = client.to_string();
    let form = [("client_id", client.as_str()), ("name", "Website redesign"), ("status", "active")];
    let res = app.post_form_with(staff, "/api/admin/save_project", &form).await;
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let id: i64 = location.trim_start_matches("/admin/projects/").trim_end_matches("?saved=1").parse().unwrap();
    let pid = id.to_string();
    for (title, due) in [("Design", "2026-12-15"), ("Build", "2027-01-31"), ("Launch", "2027-02-28")] {
        let form = [("project_id", pid.as_str()), ("title", title), ("due_on", due)];
        assert!(app.post_form_with(staff, "/api/admin/add_milestone", &form).await.status().is_redirection());
    }
    id
}

fn in_days(days: i64) -> String {
    iso_date(atelier::server::db::now() + days * 86_400)
}

async fn json(app: &TestApp, who: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> Value {
    let res = app.post_api(who, path, form).await;
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

/// Makes the invoice reminders of `step` due now (the queue's clock is the system's).
fn reminders_due(app: &TestApp, step: &str) {
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    conn.execute(
        "UPDATE jobs SET run_at = 0 WHERE kind = 'invoice_reminder' AND payload LIKE ?1",
        [format!("%\"step\":\"{step}\"%")],
    )
    .unwrap();
}

#[tokio::test]
async fn a_quote_accepted_in_the_portal_becomes_numbered_invoices_paid_online_and_by_transfer() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let maju = create_client(&app, &staff, "PT Maju").await;
    let lain = create_client(&app, &staff, "CV Lain").await;
    let rina = client_person(&app, &staff, maju, "rina@maju.example").await;
    let sari = client_person(&app, &staff, lain, "sari@lain.example").await;
    let project = project_with_milestones(&app, &staff, maju).await;
    let pid = project.to_string();

    // A quote is checked before anything is kept.
    let items = "Design system | 1 | 15.000.000\nPages | 2 | 12.500.000";
    for (schedule, items, expected) in [
        ("30 / 40", items, "3 milestones"),
        ("30 / 40 / 20", items, "add up to 100"),
        ("30 / 40 / 30", "Design system | one | 15.000.000", "Line item 1"),
        ("30 / 40 / 30", "", "at least one line item"),
    ] {
        let form = [("project_id", pid.as_str()), ("title", "Website"), ("items", items), ("schedule", schedule)];
        let res = app.post_api(&staff, "/api/admin/save_quote", &form).await;
        assert_eq!(res.status(), 400, "{schedule} {items}");
        assert!(res.text().await.unwrap().contains(expected), "{expected}");
    }
    let until = in_days(30);
    let form = [
        ("project_id", pid.as_str()),
        ("title", "Website redesign"),
        ("items", items),
        ("schedule", "30 / 40 / 30"),
        ("valid_until", until.as_str()),
        ("notes_md", "Prices include **PPN**.<script>x()</script>"),
    ];
    assert!(app.post_form_with(&staff, "/api/admin/save_quote", &form).await.status().is_redirection());
    let billing = json(&app, &staff, "/api/admin/project_billing", &[("project_id", &pid)]).await;
    let quote = &billing["quotes"][0];
    assert_eq!((quote["status"].as_str(), quote["total_idr"].as_i64()), (Some("Draft"), Some(40_000_000)));
    let amounts: Vec<i64> =
        quote["schedule"].as_array().unwrap().iter().map(|s| s["amount_idr"].as_i64().unwrap()).collect();
    assert_eq!(amounts, [12_000_000, 16_000_000, 12_000_000]);
    assert!(!quote["notes_html"].as_str().unwrap().contains("<script"));
    let qid = quote["id"].to_string();

    // A draft is the studio's: the client does not see it and cannot answer it.
    let theirs = json(&app, &rina, "/api/client/billing", &[("project_id", &pid)]).await;
    assert_eq!(theirs["quotes"], serde_json::json!([]));
    let accept = [("id", qid.as_str()), ("decision", "accept")];
    assert_eq!(app.post_api(&rina, "/api/client/decide_quote", &accept).await.status(), 404);

    // Sent: the client's people are mailed a link to it.
    let send = [("project_id", pid.as_str()), ("id", qid.as_str()), ("action", "send")];
    assert!(app.post_form_with(&staff, "/api/admin/quote_action", &send).await.status().is_redirection());
    app.drain_jobs().await;
    let mail =
        app.mail.to("rina@maju.example").into_iter().find(|m| m.subject().contains("Quote")).expect("quote mail");
    assert!(mail.link(&app.url(&format!("/client/projects/{project}"))).is_some(), "{}", mail.decoded());
    let page = rina.get(app.url(&format!("/client/projects/{project}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Accept quote") && page.contains("Rp 40.000.000") && page.contains("30 %"), "{page}");

    // Another client's person cannot see or answer it, whatever the id.
    for guess in [project, project + 1] {
        let res = app.post_api(&sari, "/api/client/billing", &[("project_id", &guess.to_string())]).await;
        assert_eq!(res.status(), 404);
    }
    assert_eq!(app.post_api(&sari, "/api/client/decide_quote", &accept).await.status(), 404);

    // Accepted: who, when and from where is kept; a second answer is refused.
    let res = app.post_form_with(&rina, "/api/client/decide_quote", &accept).await;
    assert_eq!(res.headers()["location"], format!("/client/projects/{project}?answered=1#quotes"));
    let again = app.post_api(&rina, "/api/client/decide_quote", &[("id", qid.as_str()), ("decision", "decline")]).await;
    assert_eq!(again.status(), 400);
    assert!(again.text().await.unwrap().contains("already been answered"));
    let billing = json(&app, &staff, "/api/admin/project_billing", &[("project_id", &pid)]).await;
    let quote = &billing["quotes"][0];
    assert_eq!(quote["status"], "Accepted");
    assert_eq!(quote["decided_by"], "Person <rina@maju.example>");
    assert_eq!(quote["decided_ip"], "127.0.0.1");
    app.drain_jobs().await;
    assert!(app.mail.received().iter().any(|m| m.subject() == "Quote accepted: Website redesign"), "staff are told");

    // Acceptance drafted one invoice per milestone; drafts have no number and the client does not see them.
    let invoices = billing["invoices"].as_array().unwrap();
    assert_eq!(invoices.len(), 3);
    assert!(invoices.iter().all(|i| i["status"] == "Draft" && i["number"].is_null()));
    let mut ids: Vec<i64> = invoices.iter().map(|i| i["id"].as_i64().unwrap()).collect();
    ids.sort();
    assert_eq!(json(&app, &rina, "/api/client/invoices", &[]).await["rows"], serde_json::json!([]));
    assert_eq!(app.post_api(&rina, "/api/client/invoice", &[("id", &ids[0].to_string())]).await.status(), 404);

    // Sending numbers them without gaps, in the order they are sent; a due date in the past is refused.
    let (first, second, third) = (ids[0].to_string(), ids[1].to_string(), ids[2].to_string());
    let past = [("id", first.as_str()), ("action", "send"), ("due_on", "2020-01-01")];
    let res = app.post_api(&staff, "/api/admin/invoice_action", &past).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("in the past"));
    let due = in_days(10);
    for id in [&first, &second] {
        let send = [("id", id.as_str()), ("action", "send"), ("due_on", due.as_str())];
        assert!(app.post_form_with(&staff, "/api/admin/invoice_action", &send).await.status().is_redirection());
    }
    let year = &atelier::domain::time::format_jakarta(atelier::server::db::now())[..4];
    let invoice = json(&app, &rina, "/api/client/invoice", &[("id", &first)]).await;
    assert_eq!(invoice["invoice"]["number"], format!("INV-{year}-0001"));
    assert_eq!(invoice["invoice"]["total_idr"], 12_000_000);
    let second_number = format!("INV-{year}-0002");
    assert_eq!(json(&app, &rina, "/api/client/invoice", &[("id", &second)]).await["invoice"]["number"], second_number);
    // Sending the third twice at once: one send, one number.
    let send3 = [("id", third.as_str()), ("action", "send"), ("due_on", due.as_str())];
    let (a, b) = tokio::join!(
        app.post_api(&staff, "/api/admin/invoice_action", &send3),
        app.post_api(&staff, "/api/admin/invoice_action", &send3)
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 400]);
    assert_eq!(
        json(&app, &rina, "/api/client/invoice", &[("id", &third)]).await["invoice"]["number"],
        format!("INV-{year}-0003")
    );

    // The portal's first page lists what there is to pay.
    let overview = rina.get(app.url("/client")).send().await.unwrap().text().await.unwrap();
    assert!(overview.contains("Invoices to pay") && overview.contains(&format!("INV-{year}-0003")), "{overview}");
    // Each person of the client gets the invoice with its PDF.
    app.drain_jobs().await;
    let number = format!("INV-{year}-0001");
    let mail = app
        .mail
        .to("rina@maju.example")
        .into_iter()
        .find(|m| m.subject().starts_with(&format!("Invoice {number}")))
        .expect("invoice mail");
    let pdf = attachment(&mail.data, &format!("invoice-{number}.pdf")).expect("the invoice is attached");
    let text = atelier::server::pdf::shown_text(&pdf);
    assert!(text.contains(&number) && text.contains("PT Maju") && text.contains("Rp 12.000.000"), "{text}");
    assert!(mail.link(&app.url(&format!("/client/invoices/{first}"))).is_some());
    // The PDF from the portal: the client's own only.
    let res = rina.get(app.url(&format!("/client/invoices/{first}/invoice.pdf"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(sari.get(app.url(&format!("/client/invoices/{first}/invoice.pdf"))).send().await.unwrap().status(), 404);
    assert_eq!(app.post_api(&sari, "/api/client/invoice", &[("id", &first)]).await.status(), 404);
    assert_eq!(json(&app, &sari, "/api/client/invoices", &[]).await["rows"], serde_json::json!([]));
    let pay_sandbox = [("id", first.as_str()), ("gateway", "sandbox")];
    assert_eq!(app.post_api(&sari, "/api/client/pay_invoice", &pay_sandbox).await.status(), 404);

    // Paid online in the sandbox, through the one payment path: once, whatever is repeated.
    let page = rina.get(app.url(&format!("/client/invoices/{first}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Pay Rp 12.000.000") && page.contains("Download the PDF"), "{page}");
    let res = app.post_form_with(&rina, "/api/client/pay_invoice", &pay_sandbox).await;
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let order = to.strip_prefix("/checkout/sandbox/").expect("to the sandbox").to_owned();
    let paypal = [("id", first.as_str()), ("gateway", "paypal")];
    assert_eq!(app.post_api(&rina, "/api/client/pay_invoice", &paypal).await.status(), 400);
    let sandbox_page = rina.get(app.url(&to)).send().await.unwrap().text().await.unwrap();
    assert!(sandbox_page.contains(&format!("Invoice {number}")) && sandbox_page.contains("Rp 12.000.000"));
    for _ in 0..2 {
        let res = app.post_form_with(&rina, "/api/site/sandbox_pay", &[("order", &order), ("outcome", "pay")]).await;
        assert_eq!(res.headers()["location"], format!("/client/invoices/{first}"));
    }
    let invoice = json(&app, &rina, "/api/client/invoice", &[("id", &first)]).await;
    assert_eq!(
        (invoice["invoice"]["status"].as_str(), invoice["invoice"]["paid_via"].as_str()),
        (Some("Paid"), Some("online"))
    );
    let res = app.post_api(&rina, "/api/client/pay_invoice", &pay_sandbox).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("already paid"));
    app.drain_jobs().await;
    let receipts: Vec<_> = app
        .mail
        .to("rina@maju.example")
        .into_iter()
        .filter(|m| m.subject() == format!("Payment received: invoice {number}"))
        .collect();
    assert_eq!(receipts.len(), 1, "one payment mail");

    // Staff record a bank transfer, with a note that says which.
    let unnoted = [("id", second.as_str()), ("action", "paid"), ("note", " ")];
    let res = app.post_api(&staff, "/api/admin/invoice_action", &unnoted).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Add a note"));
    let noted = [("id", second.as_str()), ("action", "paid"), ("note", "BCA 2026-12-01 ref 7781")];
    assert!(app.post_form_with(&staff, "/api/admin/invoice_action", &noted).await.status().is_redirection());
    let invoice = json(&app, &rina, "/api/client/invoice", &[("id", &second)]).await;
    assert_eq!(
        (invoice["invoice"]["status"].as_str(), invoice["invoice"]["paid_note"].as_str()),
        (Some("Paid"), Some("BCA 2026-12-01 ref 7781"))
    );
    assert_eq!(app.post_api(&staff, "/api/admin/invoice_action", &noted).await.status(), 400, "not twice");

    // Reminders: on the due day and a week after, once each; the day after it is overdue; none for paid invoices.
    app.drain_jobs().await;
    let before = app.mail.to("rina@maju.example").len();
    for _ in 0..2 {
        reminders_due(&app, "due");
        app.drain_jobs().await;
    }
    let due_mails: Vec<String> = app.mail.to("rina@maju.example")[before..].iter().map(|m| m.subject()).collect();
    assert_eq!(due_mails, [format!("Invoice INV-{year}-0003 is due today")]);
    reminders_due(&app, "overdue");
    app.drain_jobs().await;
    assert_eq!(json(&app, &rina, "/api/client/invoice", &[("id", &third)]).await["invoice"]["status"], "Overdue");
    reminders_due(&app, "late");
    app.drain_jobs().await;
    let late: Vec<String> = app.mail.to("rina@maju.example")[before..].iter().map(|m| m.subject()).collect();
    assert_eq!(late.last().unwrap(), &format!("Invoice INV-{year}-0003 is a week overdue"));
    assert_eq!(late.len(), 2);

    // Void: it cannot be paid any more.
    let void = [("id", third.as_str()), ("action", "void")];
    assert!(app.post_form_with(&staff, "/api/admin/invoice_action", &void).await.status().is_redirection());
    let res = app.post_api(&rina, "/api/client/pay_invoice", &[("id", third.as_str()), ("gateway", "sandbox")]).await;
    assert!(res.text().await.unwrap().contains("voided"));

    // The project's activity, newest first, for both sides.
    let billing = json(&app, &rina, "/api/client/billing", &[("project_id", &pid)]).await;
    let kinds: Vec<&str> = billing["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.first(), Some(&"invoice_void"));
    for kind in ["quote_sent", "quote_accepted", "invoice_sent", "invoice_paid", "invoice_overdue", "invoice_reminder"]
    {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let page = rina.get(app.url(&format!("/client/projects/{project}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("Invoice {number} paid online through Sandbox")), "{page}");
    let staff_page =
        staff.get(app.url(&format!("/admin/projects/{project}"))).send().await.unwrap().text().await.unwrap();
    assert!(
        staff_page.contains("Accepted by Person &lt;rina@maju.example&gt;")
            || staff_page.contains("Accepted by Person <rina@maju.example>"),
        "{staff_page}"
    );
}

#[tokio::test]
async fn a_declined_quote_drafts_nothing_and_a_withdrawn_one_cannot_be_answered() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let maju = create_client(&app, &staff, "PT Maju").await;
    let rina = client_person(&app, &staff, maju, "rina@maju.example").await;
    let project = project_with_milestones(&app, &staff, maju).await;
    let pid = project.to_string();
    for title in ["First offer", "Second offer"] {
        let form = [
            ("project_id", pid.as_str()),
            ("title", title),
            ("items", "Work | 9.000.000"),
            ("schedule", "100 / 0 / 0"),
        ];
        assert!(app.post_form_with(&staff, "/api/admin/save_quote", &form).await.status().is_redirection());
    }
    let billing = json(&app, &staff, "/api/admin/project_billing", &[("project_id", &pid)]).await;
    let id_of = |title: &str| {
        billing["quotes"].as_array().unwrap().iter().find(|q| q["title"] == title).unwrap()["id"].to_string()
    };
    let (first, second) = (id_of("First offer"), id_of("Second offer"));
    for id in [&first, &second] {
        let send = [("project_id", pid.as_str()), ("id", id.as_str()), ("action", "send")];
        assert!(app.post_form_with(&staff, "/api/admin/quote_action", &send).await.status().is_redirection());
    }
    // A sent quote is no longer edited.
    let edit = [
        ("project_id", pid.as_str()),
        ("id", first.as_str()),
        ("title", "Changed"),
        ("items", "Work | 1"),
        ("schedule", "100 / 0 / 0"),
    ];
    let res = app.post_api(&staff, "/api/admin/save_quote", &edit).await;
    assert!(res.text().await.unwrap().contains("Only a draft"));

    let decline = [("id", first.as_str()), ("decision", "decline"), ("reason", "Over our budget")];
    assert!(app.post_form_with(&rina, "/api/client/decide_quote", &decline).await.status().is_redirection());
    let withdraw = [("project_id", pid.as_str()), ("id", second.as_str()), ("action", "withdraw")];
    assert!(app.post_form_with(&staff, "/api/admin/quote_action", &withdraw).await.status().is_redirection());
    let res = app.post_api(&rina, "/api/client/decide_quote", &[("id", second.as_str()), ("decision", "accept")]).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("withdrew"));

    let billing = json(&app, &staff, "/api/admin/project_billing", &[("project_id", &pid)]).await;
    assert_eq!(billing["invoices"], serde_json::json!([]), "nothing to invoice");
    let declined = billing["quotes"].as_array().unwrap().iter().find(|q| q["title"] == "First offer").unwrap().clone();
    assert_eq!(
        (declined["status"].as_str(), declined["decline_reason"].as_str()),
        (Some("Declined"), Some("Over our budget"))
    );
    let summaries: Vec<&str> =
        billing["events"].as_array().unwrap().iter().map(|e| e["summary"].as_str().unwrap()).collect();
    assert!(summaries.contains(&"Quote \"First offer\" (Rp 9.000.000) declined: Over our budget"), "{summaries:?}");
}

/// Staff quote `project` at Rp 10.000.000 on its first milestone, `person` accepts,
/// staff send the invoice: its id and number.
pub(crate) async fn invoice_sent(
    app: &TestApp,
    staff: &reqwest::Client,
    person: &reqwest::Client,
    project: i64,
    usd: &str,
) -> (String, String) {
    let pid = project.to_string();
    let form = [
        ("project_id", pid.as_str()),
        ("title", "Retainer"),
        ("items", "Work | 10.000.000"),
        ("schedule", "100 / 0 / 0"),
    ];
    assert!(app.post_form_with(staff, "/api/admin/save_quote", &form).await.status().is_redirection());
    let billing = json(app, staff, "/api/admin/project_billing", &[("project_id", &pid)]).await;
    let qid = billing["quotes"][0]["id"].to_string();
    let send = [("project_id", pid.as_str()), ("id", qid.as_str()), ("action", "send")];
    assert!(app.post_form_with(staff, "/api/admin/quote_action", &send).await.status().is_redirection());
    let accept = [("id", qid.as_str()), ("decision", "accept")];
    assert!(app.post_form_with(person, "/api/client/decide_quote", &accept).await.status().is_redirection());
    let billing = json(app, staff, "/api/admin/project_billing", &[("project_id", &pid)]).await;
    let id = billing["invoices"][0]["id"].to_string();
    let due = in_days(14);
    let send = [("id", id.as_str()), ("action", "send"), ("due_on", due.as_str()), ("usd", usd)];
    assert!(app.post_form_with(staff, "/api/admin/invoice_action", &send).await.status().is_redirection());
    let number = json(app, person, "/api/client/invoice", &[("id", &id)]).await["invoice"]["number"]
        .as_str()
        .unwrap()
        .to_owned();
    (id, number)
}

#[tokio::test]
async fn an_invoice_paid_through_midtrans_is_verified_paid_once_and_opened_again_by_a_refund() {
    use atelier::server::studio::payments::midtrans::signature;
    use wiremock::matchers::{body_partial_json, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    const KEY: &str = "SB-Mid-server-test-key";
    let provider = MockServer::start().await;
    let uri = provider.uri();
    let env = [
        ("MIDTRANS_SERVER_KEY", KEY),
        ("MIDTRANS_CLIENT_KEY", "SB-Mid-client-test"),
        ("MIDTRANS_SNAP_URL", uri.as_str()),
        ("MIDTRANS_API_URL", uri.as_str()),
    ];
    let app = crate::helpers::spawn_app_in(tempfile::TempDir::new().unwrap(), &env).await;
    let staff = app.signed_in_staff().await;
    let maju = create_client(&app, &staff, "PT Maju").await;
    let rina = client_person(&app, &staff, maju, "rina@maju.example").await;
    let project = project_with_milestones(&app, &staff, maju).await;
    // Prices include PPN at 11 %: the invoices drafted from now on show it.
    let settings = [
        ("form[name]", "Atelier"),
        ("form[tax_rate]", "11"),
        ("form[gateway_midtrans]", "on"),
        ("form[language]", "en"),
    ];
    assert!(app.post_form_with(&staff, "/api/admin/save_settings", &settings).await.status().is_redirection());
    let (id, number) = invoice_sent(&app, &staff, &rina, project, "").await;
    let page = json(&app, &rina, "/api/client/invoice", &[("id", &id)]).await;
    assert_eq!(
        (page["invoice"]["tax_rate_bp"].as_i64(), page["invoice"]["tax_idr"].as_i64()),
        (Some(1100), Some(990_991))
    );
    assert_eq!(page["gateways"], serde_json::json!(["Midtrans"]));
    let html = rina.get(app.url(&format!("/client/invoices/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Includes PPN 11 %") && html.contains("Rp 990.991"), "{html}");
    let pdf =
        rina.get(app.url(&format!("/client/invoices/{id}/invoice.pdf"))).send().await.unwrap().bytes().await.unwrap();
    assert!(atelier::server::pdf::shown_text(&pdf).contains("Includes PPN 11 %: Rp 990.991"));

    // The Snap transaction is for the invoice's amount, named by its number.
    Mock::given(method("POST"))
        .and(path("/snap/v1/transactions"))
        .and(body_partial_json(serde_json::json!({
            "transaction_details": {"gross_amount": 10_000_000},
            "item_details": [{"id": number, "price": 10_000_000, "quantity": 1}]
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "token": "snap-token", "redirect_url": "https://app.sandbox.midtrans.com/snap/v4/redirection/snap-token"
        })))
        .mount(&provider)
        .await;
    let res = app.post_form_with(&rina, "/api/client/pay_invoice", &[("id", &id), ("gateway", "midtrans")]).await;
    assert_eq!(res.headers()["location"], "https://app.sandbox.midtrans.com/snap/v4/redirection/snap-token");
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    let order: String =
        conn.query_row("SELECT public_id FROM orders WHERE invoice_id = ?1", [&id], |r| r.get(0)).unwrap();

    let status = |status: &'static str| {
        let (provider, order) = (&provider, order.clone());
        async move {
            provider.reset().await;
            Mock::given(method("GET"))
                .and(path(format!("/v2/{order}/status")))
                .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                    "order_id": order, "gross_amount": "10000000.00", "transaction_status": status,
                    "fraud_status": "accept", "transaction_id": "tx-1", "status_code": "200"
                })))
                .mount(provider)
                .await;
        }
    };
    let notify = |status: &str, key: &str| {
        let body = serde_json::json!({
            "order_id": order, "status_code": "200", "gross_amount": "10000000.00", "transaction_status": status,
            "fraud_status": "accept", "transaction_id": "tx-1", "payment_type": "bank_transfer",
            "signature_key": signature(&order, "200", "10000000.00", key),
        });
        let url = app.url("/api/payment/midtrans/notification");
        async move { reqwest::Client::new().post(url).json(&body).send().await.unwrap().status().as_u16() }
    };
    let invoice_status =
        || async { json(&app, &rina, "/api/client/invoice", &[("id", &id)]).await["invoice"]["status"].clone() };

    // A forged notification changes nothing.
    status("settlement").await;
    assert_eq!(notify("settlement", "not-the-key").await, 403);
    assert_eq!(invoice_status().await, "Sent");
    // Midtrans confirms: paid once, however often it says so.
    for _ in 0..3 {
        assert_eq!(notify("settlement", KEY).await, 200);
    }
    assert_eq!(invoice_status().await, "Paid");
    app.drain_jobs().await;
    let paid_mails = app
        .mail
        .to("rina@maju.example")
        .into_iter()
        .filter(|m| m.subject() == format!("Payment received: invoice {number}"))
        .count();
    assert_eq!(paid_mails, 1);
    assert_eq!(
        conn.query_row("SELECT count(*) FROM jobs WHERE kind IN ('deliver_order', 'revoke_order')", [], |r| r
            .get::<_, i64>(0))
            .unwrap(),
        0,
        "nothing to deliver"
    );
    // Refunded at Midtrans: the invoice is open again and the activity says why.
    status("refund").await;
    assert_eq!(notify("refund", KEY).await, 200);
    assert_eq!(invoice_status().await, "Sent");
    let billing = json(&app, &staff, "/api/admin/project_billing", &[("project_id", &project.to_string())]).await;
    assert_eq!(billing["events"][0]["kind"], "invoice_refunded");
    // Staff see the payment among the orders, linked to the invoice.
    let orders = staff.get(app.url("/admin/orders")).send().await.unwrap().text().await.unwrap();
    assert!(orders.contains(&format!("Invoice {number}")), "{orders}");
}

#[tokio::test]
async fn an_invoice_with_a_dollar_amount_is_paid_with_paypal_and_one_without_is_refused() {
    use wiremock::matchers::{body_partial_json, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let provider = MockServer::start().await;
    let uri = provider.uri();
    let env = [
        ("PAYPAL_CLIENT_ID", "pp-client"),
        ("PAYPAL_CLIENT_SECRET", "pp-secret"),
        ("PAYPAL_WEBHOOK_ID", "WH-1"),
        ("PAYPAL_API_URL", uri.as_str()),
        ("ALLOW_SANDBOX_PAYMENTS", "true"),
    ];
    let app = crate::helpers::spawn_app_in(tempfile::TempDir::new().unwrap(), &env).await;
    let staff = app.signed_in_staff().await;
    let maju = create_client(&app, &staff, "PT Maju").await;
    let rina = client_person(&app, &staff, maju, "rina@maju.example").await;
    let first = project_with_milestones(&app, &staff, maju).await;
    let second = project_with_milestones(&app, &staff, maju).await;
    let (plain, _) = invoice_sent(&app, &staff, &rina, first, "").await;
    let (dollars, number) = invoice_sent(&app, &staff, &rina, second, "650.00").await;

    // Without a dollar amount PayPal is neither offered nor accepted.
    let page = json(&app, &rina, "/api/client/invoice", &[("id", &plain)]).await;
    assert_eq!(page["gateways"], serde_json::json!(["Sandbox"]));
    let res = app.post_api(&rina, "/api/client/pay_invoice", &[("id", plain.as_str()), ("gateway", "paypal")]).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("no amount in US dollars"));

    let page = json(&app, &rina, "/api/client/invoice", &[("id", &dollars)]).await;
    assert_eq!(page["gateways"], serde_json::json!(["Paypal", "Sandbox"]));
    assert_eq!(page["invoice"]["usd_cents"], 65_000);
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"access_token": "A21", "expires_in": 32400})),
        )
        .mount(&provider)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/checkout/orders"))
        .and(body_partial_json(
            serde_json::json!({"purchase_units": [{"amount": {"currency_code": "USD", "value": "650.00"}}]}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "id": "PP-INV-1", "status": "PAYER_ACTION_REQUIRED",
            "links": [{"rel": "payer-action", "href": "https://www.sandbox.paypal.com/checkoutnow?token=PP-INV-1"}]
        })))
        .mount(&provider)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/checkout/orders/PP-INV-1/capture"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "id": "PP-INV-1", "status": "COMPLETED",
            "purchase_units": [{"payments": {"captures": [
                {"id": "CAP-INV-1", "status": "COMPLETED", "amount": {"currency_code": "USD", "value": "650.00"}}
            ]}}]
        })))
        .mount(&provider)
        .await;
    let res =
        app.post_form_with(&rina, "/api/client/pay_invoice", &[("id", dollars.as_str()), ("gateway", "paypal")]).await;
    assert_eq!(res.headers()["location"], "https://www.sandbox.paypal.com/checkoutnow?token=PP-INV-1");
    let back = rina.get(app.url("/checkout/paypal/return?token=PP-INV-1&PayerID=X")).send().await.unwrap();
    assert_eq!(back.headers()["location"], format!("/client/invoices/{dollars}"));
    let page = json(&app, &rina, "/api/client/invoice", &[("id", &dollars)]).await;
    assert_eq!(page["invoice"]["status"], "Paid");
    app.drain_jobs().await;
    assert!(app
        .mail
        .to("rina@maju.example")
        .iter()
        .any(|m| m.subject() == format!("Payment received: invoice {number}")));
    assert_eq!(json(&app, &rina, "/api/client/invoice", &[("id", &plain)]).await["invoice"]["status"], "Sent");
}

#[tokio::test]
async fn a_quote_answer_records_the_address_every_other_limit_sees() {
    // No proxy trusted: a client writing its own X-Forwarded-For is recorded as what it is.
    let app = crate::helpers::spawn_app_in(tempfile::TempDir::new().unwrap(), &[("TRUSTED_PROXIES", "none")]).await;
    let staff = app.signed_in_staff().await;
    let maju = create_client(&app, &staff, "PT Maju").await;
    let rina = client_person(&app, &staff, maju, "rina@maju.example").await;
    let project = project_with_milestones(&app, &staff, maju).await;
    let pid = project.to_string();
    let quote =
        [("project_id", pid.as_str()), ("title", "Offer"), ("items", "Work | 9.000.000"), ("schedule", "100 / 0 / 0")];
    app.post_form_with(&staff, "/api/admin/save_quote", &quote).await;
    let billing = json(&app, &staff, "/api/admin/project_billing", &[("project_id", &pid)]).await;
    let qid = billing["quotes"][0]["id"].to_string();
    let send = [("project_id", pid.as_str()), ("id", qid.as_str()), ("action", "send")];
    app.post_form_with(&staff, "/api/admin/quote_action", &send).await;
    let res = rina
        .post(app.url("/api/client/decide_quote"))
        .header("origin", &app.address)
        .header("x-forwarded-for", "203.0.113.77")
        .form(&[("id", qid.as_str()), ("decision", "accept")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    let billing = json(&app, &staff, "/api/admin/project_billing", &[("project_id", &pid)]).await;
    assert_eq!(billing["quotes"][0]["status"], "Accepted");
    assert_eq!(billing["quotes"][0]["decided_ip"], "127.0.0.1", "the forged header is not the client's address");
}
