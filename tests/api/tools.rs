//! Member tools: the endpoint every run goes through, its daily quotas, the page
//! without JavaScript, the invoice PDF, and the dashboard's usage.

use crate::helpers::{spawn_app, spawn_app_with_clock_and, ErrorLog, TestApp};
use atelier::domain::content::{EntryForm, EntryInput, EntryKind};
use atelier::server::clock::Clock;
use atelier::server::db::content;
use base64::Engine;
use serde_json::{json, Value};

const PW: &str = "correct horse battery";

/// Publishes a tool page bound to `tool`, as staff would in the editor.
pub(crate) async fn publish_tool(app: &TestApp, title: &str, tool: &str) {
    let form = EntryForm {
        title: title.into(),
        summary: format!("{title}, run on the page."),
        body_md: "How it works.".into(),
        status: "published".into(),
        // Published a minute before the (possibly manual) clock's now.
        publish_at: atelier::domain::time::datetime_local(app.state.clock.now() - 60),
        tool: tool.into(),
        ..EntryForm::default()
    };
    let input = EntryInput::parse(EntryKind::Tool, &form).expect("a valid tool entry");
    app.state
        .db
        .run(move |c| {
            content::save(c, None, &input, &atelier::domain::html::TrustedHtml::markup("<p>How it works.</p>"), None)
                .map(|_| ())
        })
        .await
        .expect("saved");
    app.state.cache.invalidate();
}

/// A JSON run from a script on the site (same origin), as `client`.
async fn run_json(app: &TestApp, client: &reqwest::Client, slug: &str, body: Value) -> (u16, Value) {
    let res = client
        .post(app.url(&format!("/api/tools/{slug}/use")))
        .header("Origin", &app.address)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn black_on_white() -> Value {
    json!({ "foreground": "#000000", "background": "#FFFFFF" })
}

#[tokio::test]
async fn the_contrast_checker_answers_with_the_ratio_and_what_is_left() {
    let log = ErrorLog::capture();
    let app = spawn_app().await;
    publish_tool(&app, "Contrast Checker", "contrast-checker").await;

    let (status, body) = run_json(&app, &app.client, "contrast-checker", black_on_white()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ratio"], json!(21.0));
    assert_eq!(body["aa"], json!(true));
    assert_eq!(body["aaa"], json!(true));
    assert_eq!(body["remaining"], json!(2), "visitors get 3 a day by default");

    let (_, near_miss) =
        run_json(&app, &app.client, "contrast-checker", json!({ "foreground": "#777", "background": "#fff" })).await;
    assert_eq!(near_miss["ratio"], json!(4.48));
    assert_eq!(near_miss["aa"], json!(false));
    assert_eq!(near_miss["aa_large"], json!(true));
    assert!(near_miss["suggestion"].as_str().is_some_and(|s| s.starts_with('#')), "{near_miss}");
    assert_eq!(near_miss["remaining"], json!(1));
    assert!(log.errors().is_empty(), "{:?}", log.errors());
}

#[tokio::test]
async fn bad_input_is_refused_with_its_reason_and_costs_nothing() {
    let app = spawn_app().await;
    publish_tool(&app, "Contrast Checker", "contrast-checker").await;

    let (status, body) =
        run_json(&app, &app.client, "contrast-checker", json!({ "foreground": "red", "background": "#fff" })).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_input");
    assert_eq!(body["message"], "Enter the text colour as a hex code like #1A2B3C.");

    let res = app
        .client
        .post(app.url("/api/tools/contrast-checker/use"))
        .header("Origin", &app.address)
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "invalid_json");

    // Nothing was counted: the first good run still leaves 2 of 3.
    let (_, body) = run_json(&app, &app.client, "contrast-checker", black_on_white()).await;
    assert_eq!(body["remaining"], json!(2));

    // No such tool, and a tool page without a built-in tool, are not found.
    let (status, body) = run_json(&app, &app.client, "no-such-tool", black_on_white()).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    publish_tool(&app, "Just text", "").await;
    assert_eq!(run_json(&app, &app.client, "just-text", black_on_white()).await.0, 404);

    // Another site's page cannot run it with the visitor's cookies.
    let res = reqwest::Client::new()
        .post(app.url("/api/tools/contrast-checker/use"))
        .header("Origin", "https://evil.example")
        .json(&black_on_white())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn fifty_concurrent_runs_against_a_quota_of_ten_give_exactly_ten() {
    let app = spawn_app_with_clock_and(Clock::system(), &[("TOOLS_FREE_DAILY", "10")]).await;
    publish_tool(&app, "Slug Generator", "slug-generator").await;

    let runs = (0..50).map(|i| {
        let app = &app;
        async move { run_json(app, &app.client, "slug-generator", json!({ "text": format!("Post number {i}") })).await }
    });
    let answers = futures::future::join_all(runs).await;
    let ok = answers.iter().filter(|(s, _)| *s == 200).count();
    let spent: Vec<&Value> = answers.iter().filter(|(s, _)| *s == 429).map(|(_, b)| b).collect();
    assert_eq!((ok, spent.len()), (10, 40), "{answers:?}");
    for body in spent {
        assert_eq!(body["error"], "quota_exhausted");
        assert_eq!(body["remaining"], json!(0));
        assert!(body["resets_at"].as_str().is_some_and(|r| r.ends_with("T00:00:00+07:00")), "{body}");
        assert!(body["message"].as_str().is_some_and(|m| m.contains("10 free runs")), "{body}");
    }
    let mut remaining: Vec<i64> =
        answers.iter().filter(|(s, _)| *s == 200).map(|(_, b)| b["remaining"].as_i64().unwrap()).collect();
    remaining.sort();
    assert_eq!(remaining, (0..10).collect::<Vec<_>>(), "each success saw its own count");
    let stored: i64 = app
        .state
        .db
        .read(|c| {
            c.query_row("SELECT sum(uses) FROM tool_usage", [], |r| r.get(0))
                .map_err(atelier::server::db::DbError::from)
        })
        .await
        .unwrap();
    assert_eq!(stored, 10);
}

#[tokio::test]
async fn the_day_turns_at_midnight_in_jakarta() {
    // 2026-11-23 23:59:00 in Jakarta (16:59 UTC).
    let clock = Clock::manual(1_795_453_140);
    let app = spawn_app_with_clock_and(clock.clone(), &[("TOOLS_FREE_DAILY", "1")]).await;
    publish_tool(&app, "Slug Generator", "slug-generator").await;
    let run = || run_json(&app, &app.client, "slug-generator", json!({ "text": "Hello" }));

    assert_eq!(run().await.0, 200);
    let (status, body) = run().await;
    assert_eq!(status, 429);
    assert_eq!(body["resets_at"], "2026-11-24T00:00:00+07:00");

    clock.advance(59); // 23:59:59: still the same day
    assert_eq!(run().await.0, 429);
    clock.advance(1); // 00:00:00 in Jakarta: a new day
    let (status, body) = run().await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["slug"], "hello");
}

#[tokio::test]
async fn visitors_and_members_have_quotas_of_their_own() {
    let app = spawn_app().await;
    publish_tool(&app, "Slug Generator", "slug-generator").await;
    app.verified_member("Ana", "ana@example.com", PW).await;
    let member = TestApp::new_client();
    assert_eq!(app.login_with(&member, "ana@example.com", PW).await, "/dashboard");

    // The member runs it twice; the visitor (same address) then still has all 3 free runs.
    for _ in 0..2 {
        let (status, body) = run_json(&app, &member, "slug-generator", json!({ "text": "Hi" })).await;
        assert_eq!(status, 200, "{body}");
    }
    let visitor = TestApp::new_client();
    for left in [2, 1, 0] {
        let (_, body) = run_json(&app, &visitor, "slug-generator", json!({ "text": "Hi" })).await;
        assert_eq!(body["remaining"], json!(left));
    }
    assert_eq!(run_json(&app, &visitor, "slug-generator", json!({ "text": "Hi" })).await.0, 429);

    // The visitor spending theirs took nothing from the member's 20.
    let (_, body) = run_json(&app, &member, "slug-generator", json!({ "text": "Hi" })).await;
    assert_eq!(body["remaining"], json!(17));

    // The member's usage, and nobody else's.
    let usage: Value = member.get(app.url("/api/user/usage")).send().await.unwrap().json().await.unwrap();
    let tool = &usage["tools"][0];
    assert_eq!(tool["slug"], "slug-generator");
    assert_eq!((tool["today"].as_i64(), tool["month"].as_i64(), tool["limit"].as_i64()), (Some(3), Some(3), Some(20)));
    assert_eq!(tool["remaining"], json!(17));
    let res = visitor.get(app.url("/api/user/usage")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "sign_in_required");

    // The dashboard shows the same.
    let page = member.get(app.url("/dashboard/tools")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("3 of 20"), "{page}");
    assert!(page.contains("3 runs in the last 30 days"), "{page}");
    let overview = member.get(app.url("/dashboard")).send().await.unwrap().text().await.unwrap();
    assert!(overview.contains("Tools today") && overview.contains("Slug Generator 3 of 20"), "{overview}");
    // And the data export.
    let export: Value = member.get(app.url("/dashboard/export.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(export["tool_usage"][0]["runs"], json!(3));
}

#[tokio::test]
async fn without_javascript_the_page_comes_back_with_the_result_or_the_reason() {
    let log = ErrorLog::capture();
    let app = spawn_app_with_clock_and(Clock::system(), &[("TOOLS_FREE_DAILY", "2")]).await;
    publish_tool(&app, "Contrast Checker", "contrast-checker").await;

    let page = app.get("/tools/contrast-checker").await.text().await.unwrap();
    assert!(page.contains(r#"action="/api/tools/contrast-checker/use""#), "{page}");
    assert!(page.contains("Check contrast"));

    let shared = &app;
    let post = move |fg: &'static str| async move {
        shared.post_form("/api/tools/contrast-checker/use", &[("foreground", fg), ("background", "#ffffff")]).await
    };
    let res = post("#777777").await;
    assert_eq!(res.status(), 303);
    let back = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(back, "/tools/contrast-checker?ran=1#result");
    // (Leptos marks text boundaries with `<!>`; they are not text.)
    let page = app.get(&back).await.text().await.unwrap().replace("<!>", "");
    assert!(page.contains("Contrast ratio") && page.contains("4.48:1"), "{page}");
    assert!(page.contains("AA, normal text: <strong>fail</strong>"), "{page}");
    assert!(page.contains("1 run left today."), "{page}");
    assert!(page.contains(r##"value="#777777""##), "what was typed is kept: {page}");
    // Shown once: the page is the plain one again on reload.
    let again = app.get(&back).await.text().await.unwrap();
    assert!(!again.contains(r#"<p class="ratio">"#), "{again}");

    // A mistake comes back with its reason and the input.
    let page = app
        .get(post("#12").await.headers()["location"].to_str().unwrap())
        .await
        .text()
        .await
        .unwrap()
        .replace("<!>", "");
    assert!(page.contains("Enter the text colour as a hex code like #1A2B3C."), "{page}");
    assert!(page.contains(r##"value="#12""##));

    // The last run, then the explanation with the way to more runs.
    post("#000000").await;
    let page = app
        .get(post("#000000").await.headers()["location"].to_str().unwrap())
        .await
        .text()
        .await
        .unwrap()
        .replace("<!>", "");
    assert!(page.contains("used today&#x27;s 2 free runs") || page.contains("used today's 2 free runs"), "{page}");
    assert!(page.contains(r#"href="/saas""#) && page.contains("See the plans"), "{page}");
    assert!(page.contains(r#"href="/register""#));
    assert!(log.errors().is_empty(), "{:?}", log.errors());
}

#[tokio::test]
async fn the_invoice_generator_makes_a_pdf_for_the_form_and_for_json() {
    let app = spawn_app().await;
    publish_tool(&app, "Invoice Generator", "invoice-generator").await;

    // A browser without JavaScript gets the PDF itself.
    let res = app
        .post_form(
            "/api/tools/invoice-generator/use",
            &[
                ("from", "Atelier Studio"),
                ("to", "Lumen Health"),
                ("number", "INV-2026-0007"),
                ("currency", "IDR"),
                ("tax_percent", "11"),
                ("description_1", "Design sprint"),
                ("quantity_1", "2"),
                ("price_1", "1.500.000"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.headers()["content-disposition"], "attachment; filename=\"invoice-inv-2026-0007.pdf\"");
    let pdf = res.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&pdf).contains("(Rp 3.330.000) Tj"), "the total is on the invoice");

    // A script gets JSON with the PDF in it.
    let (status, body) = run_json(
        &app,
        &app.client,
        "invoice-generator",
        json!({
            "from": "Atelier", "to": "Client", "currency": "USD", "tax_percent": 0,
            "items": [{ "description": "Support", "quantity": 3, "unit_price": 2500 }]
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["total"].as_i64(), body["currency"].as_str()), (Some(7500), Some("USD")));
    let pdf = base64::engine::general_purpose::STANDARD.decode(body["pdf"].as_str().unwrap()).unwrap();
    assert!(pdf.starts_with(b"%PDF-") && String::from_utf8_lossy(&pdf).contains("(US$ 75.00) Tj"));
    assert_eq!(body["remaining"], json!(1));

    // A wrong line is named, and not counted.
    let (status, body) = run_json(
        &app,
        &app.client,
        "invoice-generator",
        json!({ "from": "A", "to": "B", "currency": "IDR", "items": [{ "description": "X", "quantity": 0, "unit_price": 1 }] }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["message"], "Line 1: the quantity must be from 1 to 1,000,000.");
}

#[tokio::test]
async fn staff_bind_a_tool_page_to_a_built_in_tool_in_the_editor() {
    let app = spawn_app().await;
    let staff = app.signed_in_staff().await;
    let editor = staff.get(app.url("/admin/tools/new")).send().await.unwrap().text().await.unwrap();
    assert!(editor.contains(r#"name="form[tool]""#) && editor.contains("Invoice generator"), "{editor}");

    let (shared, staff_ref) = (&app, &staff);
    let save = move |kind: &'static str, tool: &'static str| async move {
        shared
            .post_form_with(
                staff_ref,
                "/api/admin/save_entry",
                &[
                    ("kind", kind),
                    ("form[title]", "Invoices"),
                    ("form[status]", "published"),
                    ("form[body_md]", "Make one."),
                    ("form[tool]", tool),
                ],
            )
            .await
    };
    // Only a tool page can run a tool.
    let res = save("post", "invoice-generator").await;
    assert!(res.headers()["location"].to_str().unwrap().contains("__err="), "refused");
    let res = save("tool", "invoice-generator").await;
    assert!(!res.headers()["location"].to_str().unwrap().contains("__err="), "saved");

    let page = app.get("/tools/invoices").await.text().await.unwrap();
    assert!(page.contains(r#"action="/api/tools/invoices/use""#) && page.contains("Download the PDF"), "{page}");
    assert!(page.contains(r#"<script src="/tools.js" defer"#), "the page loads its script");
}

/// The tools a member's dashboard lists come from the content cache: staff publishing
/// or deleting a tool page shows there on the next load, with no wait.
#[tokio::test]
async fn a_tool_staff_publish_or_delete_shows_on_members_dashboards_at_once() {
    let app = spawn_app().await;
    app.verified_member("Ana", "ana@example.com", PW).await;
    let member = TestApp::new_client();
    assert_eq!(app.login_with(&member, "ana@example.com", PW).await, "/dashboard");
    let page = |path: &'static str| {
        let (member, url) = (member.clone(), app.url(path));
        async move { member.get(url).send().await.unwrap().text().await.unwrap() }
    };
    assert!(page("/dashboard/tools").await.contains("No tools are available yet."));
    assert!(!page("/dashboard").await.contains("Tools today"));

    let staff = app.signed_in_staff().await;
    let form = [
        ("kind", "tool"),
        ("form[title]", "Slug maker"),
        ("form[status]", "published"),
        ("form[body_md]", "Make one."),
        ("form[tool]", "slug-generator"),
    ];
    let res = app.post_form_with(&staff, "/api/admin/save_entry", &form).await;
    assert!(!res.headers()["location"].to_str().unwrap().contains("__err="), "saved");
    let tools = page("/dashboard/tools").await;
    assert!(tools.contains(r#"<a href="/tools/slug-maker">Slug maker"#) && tools.contains("0 of "), "{tools}");
    assert!(page("/dashboard").await.contains("Tools today"));

    let id: i64 = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT id FROM entries WHERE slug = 'slug-maker'", [], |r| r.get(0))
        .unwrap();
    let res = app.post_form_with(&staff, "/api/admin/delete_entry", &[("id", &id.to_string())]).await;
    assert!(!res.headers()["location"].to_str().unwrap().contains("__err="), "deleted");
    assert!(page("/dashboard/tools").await.contains("No tools are available yet."));
}

#[tokio::test]
async fn an_ipv6_visitor_is_counted_by_its_slash_64() {
    let app = spawn_app().await;
    publish_tool(&app, "Slug Generator", "slug-generator").await;
    // Behind the trusted proxy on this machine, a visitor whose addresses change within one /64.
    let run_from = |ip: &'static str| {
        let url = app.url("/api/tools/slug-generator/use");
        let origin = app.address.clone();
        async move {
            reqwest::Client::new()
                .post(url)
                .header("Origin", origin)
                .header("x-forwarded-for", ip)
                .json(&json!({ "text": "Hi" }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    for ip in ["2001:db8:7:1::1", "2001:db8:7:1::2", "2001:db8:7:1:abcd::9"] {
        assert_eq!(run_from(ip).await, 200, "{ip}");
    }
    assert_eq!(run_from("2001:db8:7:1:ffff::1").await, 429, "the same /64: the same three free runs");
    assert_eq!(run_from("2001:db8:7:2::1").await, 200, "another /64 is another visitor");
}
