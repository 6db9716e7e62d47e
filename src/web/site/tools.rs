//! The tools: `POST /api/tools/{slug}/use` runs the built-in tool of a published
//! tool page, counting the run against the day's quota in the same statement that
//! checks it; `GET /api/user/usage` tells a member what they used.
//!
//! Input is checked (and the result computed) before anything is counted, so a
//! mistake costs nothing. Visitors are counted per IP address
//! (`TOOLS_FREE_DAILY`), people signed in per account (`TOOLS_MEMBER_DAILY`);
//! days are Asia/Jakarta days.
//!
//! The endpoint speaks JSON (in and out) to scripts and to the page's script;
//! a browser without JavaScript posts the form and is sent back to the tool page,
//! where the outcome waits in the session for that one page (the invoice's PDF
//! is the answer itself).

use crate::domain::time::{jakarta_day, jakarta_day_label};
use crate::domain::tools::{
    check_contrast, generate_slug, invoice_from_form, jakarta_rfc3339, quota_resets_at, BuiltinTool, Contrast, Invoice,
    InvoiceRequest, ToolOutcome, ToolRefusal, ToolResult,
};
use crate::domain::ValidationError;
use crate::server::auth::client_ip;
use crate::server::db::{content, tool_usage, tool_usage::Subject, DbError};
use crate::server::http::JsonError;
use crate::server::studio::tools::{daily_limit, invoice_pdf, usage_for};
use crate::server::telemetry::chain;
use crate::server::AppState;
use crate::web::guard;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use base64::Engine;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use tower_sessions::Session;

/// The largest request a tool takes (an invoice with 50 long lines fits).
pub const MAX_BODY: usize = 64 * 1024;
/// Where people find plans with more runs.
pub const PLANS_PATH: &str = "/saas";

/// What a run produced.
enum Output {
    Slug(String),
    Contrast(Contrast),
    Invoice { invoice: Box<Invoice>, pdf: Vec<u8> },
}

impl Output {
    fn json(&self, remaining: u32) -> serde_json::Value {
        match self {
            Self::Slug(slug) => json!({ "slug": slug, "remaining": remaining }),
            Self::Contrast(c) => json!({
                "ratio": c.ratio,
                "aa": c.aa,
                "aaa": c.aaa,
                "aa_large": c.aa_large,
                "aaa_large": c.aaa_large,
                "foreground": c.foreground,
                "background": c.background,
                "suggestion": c.suggestion,
                "remaining": remaining,
            }),
            Self::Invoice { invoice, pdf } => json!({
                "file_name": invoice.file_name(),
                "pdf": base64::engine::general_purpose::STANDARD.encode(pdf),
                "currency": invoice.currency.code(),
                "subtotal": invoice.subtotal.minor,
                "tax": invoice.tax.minor,
                "total": invoice.total.minor,
                "remaining": remaining,
            }),
        }
    }
}

#[derive(Deserialize)]
struct SlugRequest {
    #[serde(default)]
    text: String,
}

#[derive(Deserialize)]
struct ContrastRequest {
    #[serde(default)]
    foreground: String,
    #[serde(default)]
    background: String,
}

/// How the request came: JSON, or a form (from a page, with or without its script).
enum Body {
    Json(serde_json::Value),
    Form(BTreeMap<String, String>),
}

/// A refusal before anything ran.
struct Refused {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl Refused {
    fn invalid(err: ValidationError) -> Self {
        Self { status: StatusCode::BAD_REQUEST, code: "invalid_input", message: err.0 }
    }
}

fn read_body(headers: &HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Body, Refused> {
    let body = body.map_err(|_| Refused {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        code: "too_large",
        message: format!("Send at most {} KB.", MAX_BODY / 1024),
    })?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return Ok(Body::Form(form_urlencoded::parse(&body).into_owned().collect()));
    }
    if !content_type.starts_with("application/json") {
        return Err(Refused {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code: "unsupported_media_type",
            message: "Send the input as JSON (Content-Type: application/json).".into(),
        });
    }
    serde_json::from_slice::<serde_json::Value>(&body).ok().filter(serde_json::Value::is_object).map(Body::Json).ok_or(
        Refused {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_json",
            message:
                "Send the input as one JSON object, like {\"foreground\": \"#000000\", \"background\": \"#FFFFFF\"}."
                    .into(),
        },
    )
}

fn from_json<T: serde::de::DeserializeOwned>(value: serde_json::Value, shape: &str) -> Result<T, Refused> {
    serde_json::from_value(value).map_err(|err| Refused {
        status: StatusCode::BAD_REQUEST,
        code: "invalid_json",
        message: format!("The input does not have the expected shape ({shape}): {err}."),
    })
}

/// Checks the input and computes the result (nothing is counted yet).
fn run(tool: BuiltinTool, body: Body, today: &str, lang: crate::domain::Lang) -> Result<Output, Refused> {
    let field = |fields: &BTreeMap<String, String>, name: &str| fields.get(name).cloned().unwrap_or_default();
    match tool {
        BuiltinTool::SlugGenerator => {
            let text = match body {
                Body::Json(v) => from_json::<SlugRequest>(v, "{\"text\": \"...\"}")?.text,
                Body::Form(f) => field(&f, "text"),
            };
            generate_slug(&text).map(Output::Slug).map_err(Refused::invalid)
        }
        BuiltinTool::ContrastChecker => {
            let (fg, bg) = match body {
                Body::Json(v) => {
                    let r =
                        from_json::<ContrastRequest>(v, "{\"foreground\": \"#RRGGBB\", \"background\": \"#RRGGBB\"}")?;
                    (r.foreground, r.background)
                }
                Body::Form(f) => (field(&f, "foreground"), field(&f, "background")),
            };
            check_contrast(&fg, &bg).map(Output::Contrast).map_err(Refused::invalid)
        }
        BuiltinTool::InvoiceGenerator => {
            let req: InvoiceRequest = match body {
                Body::Json(v) => from_json(v, "see the invoice generator's page")?,
                Body::Form(f) => invoice_from_form(&f).map_err(Refused::invalid)?,
            };
            let invoice = Invoice::parse(&req, today).map_err(Refused::invalid)?;
            let pdf = invoice_pdf::render(&invoice, lang);
            Ok(Output::Invoice { invoice: Box::new(invoice), pdf })
        }
    }
}

/// A browser without JavaScript: it asked for a page, not JSON.
fn wants_page(headers: &HeaderMap) -> bool {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    accept.contains("text/html") && !accept.contains("application/json")
}

/// Who runs a tool: a browser (signed in or not, by its session) or a script with a
/// personal access token (always JSON, counted to the token's account).
pub enum Runner<'a> {
    Browser(&'a Session),
    Token { user_id: i64 },
}

pub async fn use_tool(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    session: Session,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    run_tool(&state, peer, slug, Runner::Browser(&session), &headers, body).await
}

/// Runs the tool at `slug` for `runner`, counting the run against its quota.
pub async fn run_tool(
    state: &AppState,
    peer: SocketAddr,
    slug: String,
    runner: Runner<'_>,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let session = match runner {
        Runner::Browser(session) => Some(session),
        Runner::Token { .. } => None,
    };
    let page = session.is_some() && wants_page(headers);
    // A browser hears in the language of the page it ran the tool from; a script in English.
    let site = match state.site_languages().await {
        Ok(site) => site,
        Err(err) => return failure(&err),
    };
    let lang = match session {
        Some(_) => site.of_referer(headers.get(header::REFERER).and_then(|r| r.to_str().ok())),
        None => crate::domain::Lang::En,
    };
    let back = |slug: &str| site.address(lang, &format!("/tools/{slug}?ran=1#result"));
    let now = state.clock.now();
    let lookup_slug = slug.clone();
    let tool = match state.db.read(move |c| content::tool_at(c, &lookup_slug, now)).await {
        Ok(tool) => tool,
        Err(err) => return failure(&err),
    };
    let Some(tool) = tool else {
        return JsonError::new(StatusCode::NOT_FOUND, "not_found")
            .message("There is no tool at this address.")
            .into_response();
    };
    let body = match read_body(headers, body) {
        Ok(body) => body,
        Err(refused) => return JsonError::new(refused.status, refused.code).message(&refused.message).into_response(),
    };
    let fields = match &body {
        Body::Form(f) => f.clone(),
        Body::Json(_) => BTreeMap::new(),
    };
    let day = jakarta_day(now);
    let output = match run(tool, body, &jakarta_day_label(day), lang) {
        Ok(output) => output,
        Err(refused) => match session.filter(|_| page) {
            Some(session) => {
                return back_to_page(session, &back(&slug), Err(ToolRefusal::Invalid(refused.message)), fields).await
            }
            None => {
                let message = crate::server::i18n::in_language(lang, &refused.message);
                return JsonError::new(refused.status, refused.code).message(&message).into_response();
            }
        },
    };

    // An unconfirmed account counts as a visitor (its runs are the address's, not an account's).
    let user = match (runner, session) {
        (Runner::Token { user_id }, _) => Some(user_id),
        (Runner::Browser(_), Some(session)) => match guard::load_viewer(state, session).await {
            Ok(viewer) => viewer.filter(|v| v.verified).map(|v| v.id),
            Err(err) => {
                tracing::error!(error = %chain(&err), "a tool run: loading the person failed");
                return apology();
            }
        },
        (Runner::Browser(_), None) => None,
    };
    let subject = match user {
        Some(id) => Subject::User(id),
        // Counted per address, an IPv6 visitor per /64 (one subscriber holds it whole).
        None => Subject::Visitor(crate::server::rate_limit::client_key(client_ip(
            headers,
            Some(peer),
            &state.config.trusted_proxies,
        ))),
    };
    let config = state.config.clone();
    let counted = state
        .db
        .run(move |c| -> Result<_, DbError> {
            let limit = daily_limit(c, &config, &subject)?;
            Ok((limit, tool_usage::count_use(c, &subject, tool, day, limit)?))
        })
        .await;
    let (limit, used) = match counted {
        Ok(counted) => counted,
        Err(err) => return failure(&err),
    };
    let Some(used) = used else {
        let resets_at = quota_resets_at(now);
        let signed_in = user.is_some();
        if let Some(session) = session.filter(|_| page) {
            let refusal = ToolRefusal::QuotaSpent { limit, signed_in, resets_at };
            return back_to_page(session, &back(&slug), Err(refusal), fields).await;
        }
        return JsonError::new(StatusCode::TOO_MANY_REQUESTS, "quota_exhausted")
            .message(&crate::server::studio::tools::quota_message(lang, limit, signed_in, resets_at))
            .with("remaining", 0.into())
            .with("limit", limit.into())
            .with("resets_at", jakarta_rfc3339(resets_at).into())
            .with("plans_url", PLANS_PATH.into())
            .into_response();
    };
    let remaining = limit.saturating_sub(used);
    let Some(session) = session.filter(|_| page) else {
        return (StatusCode::OK, Json(output.json(remaining))).into_response();
    };
    match output {
        Output::Invoice { invoice, pdf } => pdf_download(&invoice.file_name(), pdf),
        Output::Slug(slug_out) => {
            back_to_page(session, &back(&slug), Ok(ToolResult::Slug { slug: slug_out, remaining }), fields).await
        }
        Output::Contrast(contrast) => {
            back_to_page(session, &back(&slug), Ok(ToolResult::Contrast { contrast, remaining }), fields).await
        }
    }
}

fn pdf_download(file_name: &str, pdf: Vec<u8>) -> Response {
    let mut res = (StatusCode::OK, pdf).into_response();
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// Sends a browser without JavaScript back to the tool page, with the outcome kept for it.
/// Back to the tool's page (`page`: its address in the visitor's language), the outcome kept for it.
async fn back_to_page(
    session: &Session,
    page: &str,
    result: Result<ToolResult, ToolRefusal>,
    fields: BTreeMap<String, String>,
) -> Response {
    let outcome = ToolOutcome { result, fields };
    if let Err(err) = crate::server::typed_input::keep_tool_outcome(session, outcome).await {
        tracing::error!(error = %err, "keeping a tool run's outcome for its page");
        return apology();
    }
    Redirect::to(page).into_response()
}

fn failure(err: &DbError) -> Response {
    tracing::error!(error = %chain(err), "a tool run failed");
    apology()
}

fn apology() -> Response {
    JsonError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        .message("Sorry, something went wrong on our side. Nothing was counted; please try again in a moment.")
        .into_response()
}

/// `GET /api/user/usage`: the signed-in member's runs per tool (today, this month, the limit).
pub async fn user_usage(State(state): State<AppState>, session: Session) -> Response {
    let viewer = match guard::load_viewer(&state, &session).await {
        Ok(Some(viewer)) if viewer.verified => viewer,
        Ok(Some(_)) => {
            return JsonError::new(StatusCode::FORBIDDEN, "email_unconfirmed")
                .message("Please confirm your email address first.")
                .into_response()
        }
        Ok(None) => {
            return JsonError::new(StatusCode::UNAUTHORIZED, "sign_in_required")
                .message("Sign in to see your usage.")
                .into_response()
        }
        Err(err) => {
            tracing::error!(error = %chain(&err), "usage: loading the person failed");
            return apology();
        }
    };
    usage_json(&state, viewer.id).await
}

/// `user_id`'s runs per tool today and this month, with the limits, as JSON.
pub async fn usage_json(state: &AppState, user_id: i64) -> Response {
    match usage_for(&state.db, &state.cache, &state.config, state.clock.now(), user_id).await {
        Ok(summary) => Json(json!({
            "day": summary.day,
            "resets_at": jakarta_rfc3339(summary.resets_at),
            "tools": summary.tools.iter().map(|t| json!({
                "slug": t.slug,
                "tool": t.tool.as_str(),
                "title": t.title,
                "today": t.today,
                "month": t.month,
                "limit": t.limit,
                "remaining": t.limit.saturating_sub(t.today),
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(err) => failure(&err),
    }
}
