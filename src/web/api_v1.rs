//! The versioned JSON API for scripts, under `/api/v1/`: a member's own account,
//! orders, license keys and tool usage, and the tools, with a personal access token
//! (`Authorization: Bearer atl_…`, made in `/dashboard/account`). A token never
//! opens a page or a server function: those read the session cookie only. The
//! license API (keyed by the license key itself) answers here too.
//!
//! Every failure is JSON with a stable `error` code and a `message`; lists page
//! with `?before=<cursor>` and give the next page's cursor as `next`; times are
//! ISO 8601 in UTC.

use crate::domain::api::{Endpoint, Scope, ENDPOINTS};
use crate::domain::pagination::PageAt;
use crate::server::auth::api_tokens::{self, Refusal};
use crate::server::auth::client_ip;
use crate::server::db::api_tokens::Bearer;
use crate::server::db::{deliveries, orders, DbError};
use crate::server::http::JsonError;
use crate::server::telemetry::chain;
use crate::server::AppState;
use crate::web::site::{licenses, tools};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post, MethodRouter};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::SocketAddr;

/// Requests a token may make a minute.
pub const PER_TOKEN_PER_MINUTE: usize = 60;

/// The handler of a documented endpoint.
fn handler(endpoint: &Endpoint) -> MethodRouter<AppState> {
    match endpoint.id {
        "getMe" => get(me),
        "listOrders" => get(list_orders),
        "getOrder" => get(one_order),
        "listLicenses" => get(list_licenses),
        "getUsage" => get(usage),
        "useTool" => post(use_tool).layer(DefaultBodyLimit::max(tools::MAX_BODY)),
        "validateLicense" => post(licenses::validate),
        "activateLicense" => post(licenses::activate),
        "deactivateLicense" => post(licenses::deactivate),
        "licensePublicKey" => get(licenses::public_key),
        "revokedLicenses" => get(licenses::revoked),
        "openApi" => get(openapi_json),
        other => unreachable!("the endpoint {other} is documented in domain::api::ENDPOINTS without a handler"),
    }
}

/// The routes, one per documented endpoint (so none can exist undocumented), and a
/// JSON 404 for any other address under `/api/v1/`.
pub fn routes() -> Router<AppState> {
    ENDPOINTS
        .iter()
        .fold(Router::new(), |router, endpoint| router.route(endpoint.path, handler(endpoint)))
        .route("/api/v1/{*rest}", any(not_found))
}

/// The OpenAPI 3.1 document of [`ENDPOINTS`], served at `/api/v1/openapi.json`.
pub fn openapi(site_url: &str) -> Value {
    let error = json!({ "$ref": "#/components/schemas/Error" });
    let mut paths = serde_json::Map::new();
    for e in ENDPOINTS {
        let mut responses = serde_json::Map::new();
        for (status, when) in e.responses.iter().chain(&[
            (429, "Too many requests: see `Retry-After` (`rate_limited`)."),
            (503, "Something went wrong on our side; try again (`unavailable`)."),
        ]) {
            let mut answer = json!({ "description": when });
            if *status >= 400 {
                answer["content"] = json!({ "application/json": { "schema": error.clone() } });
            } else {
                answer["content"] = json!({ "application/json": { "schema": { "type": "object" } } });
            }
            responses.insert(status.to_string(), answer);
        }
        let mut operation = json!({
            "operationId": e.id,
            "summary": e.summary,
            "description": e.description,
            "responses": responses,
        });
        let parameters: Vec<Value> = e
            .path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .chain(e.id.starts_with("list").then(|| {
                json!({
                    "name": "before", "in": "query", "required": false, "schema": { "type": "string" },
                    "description": "The `next` cursor of the page before, for the next older page."
                })
            }))
            .collect();
        if !parameters.is_empty() {
            operation["parameters"] = Value::Array(parameters);
        }
        if e.token {
            let scopes: Vec<&str> = e.scope.iter().map(|s| s.as_str()).collect();
            operation["security"] = json!([{ "token": scopes }]);
        } else {
            operation["security"] = json!([]);
        }
        if let Some(body) = e.body {
            let example: Value = serde_json::from_str(body).unwrap_or(Value::Null);
            operation["requestBody"] = json!({
                "required": true,
                "content": { "application/json": { "schema": { "type": "object" }, "example": example } },
            });
        }
        let item = paths.entry(e.path).or_insert_with(|| json!({}));
        item[e.method.to_ascii_lowercase()] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Atelier API",
            "version": "1",
            "description": "Your account, orders, license keys and tools, for your own scripts. Make a token at /dashboard/tokens.",
        },
        "servers": [{ "url": site_url }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "token": { "type": "http", "scheme": "bearer", "description": "A personal access token (`atl_…`)." },
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "message"],
                    "properties": {
                        "error": { "type": "string", "description": "A stable code, like `invalid_token`." },
                        "message": { "type": "string", "description": "What went wrong, for people." },
                    },
                },
            },
        },
    })
}

async fn openapi_json(State(state): State<AppState>) -> Response {
    Json(openapi(&state.config.site_url)).into_response()
}

async fn not_found() -> Response {
    JsonError::new(StatusCode::NOT_FOUND, "not_found").message("There is no such endpoint in API v1.").into_response()
}

/// ISO 8601, UTC: `2026-12-07T13:50:00Z`.
fn iso(unix: i64) -> String {
    format!("{}Z", crate::domain::time::datetime_local(unix))
}

fn apology(err: &DbError) -> Response {
    tracing::error!(error = %chain(err), "an API v1 request failed");
    JsonError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        .message("Sorry, something went wrong on our side. Please try again in a moment.")
        .into_response()
}

/// `429 rate_limited` with `message`, to try again in a minute.
fn rate_limited(message: &str) -> Response {
    let mut res = JsonError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited").message(message).into_response();
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    res
}

/// The account the request's token acts for, when it may do `needs`; else the answer.
async fn bearer(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
    needs: Option<Scope>,
) -> Result<Bearer, Response> {
    let presented = api_tokens::from_header(headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()));
    let refused = |status, code: &str, message: &str| {
        let mut res = JsonError::new(status, code).message(message).into_response();
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    };
    let Some(token) = presented.map(str::to_owned) else {
        return Err(refused(
            StatusCode::UNAUTHORIZED,
            "token_required",
            "Send a personal access token as `Authorization: Bearer atl_…`; make one in your account under API tokens.",
        ));
    };
    let now = state.clock.now();
    let checked =
        state.db.run(move |c| api_tokens::authenticate(c, &token, needs, now)).await.map_err(|e| apology(&e))?;
    match checked {
        Ok(bearer) if state.token_limiter.check_key(bearer.token_id) => Ok(bearer),
        Ok(_) => Err(rate_limited(&format!(
            "This token made {PER_TOKEN_PER_MINUTE} requests in the last minute: wait a little."
        ))),
        Err(Refusal::Invalid | Refusal::Missing) => {
            // Guessing tokens costs the guesser: refused ones count against their address.
            let ip = client_ip(headers, Some(peer), &state.config.trusted_proxies);
            if !state.abuse_limiter.check("api token", ip) {
                return Err(rate_limited("Too many refused tokens from your address: wait a minute."));
            }
            Err(refused(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "This token is not valid: it was revoked, mistyped, or its account is disabled.",
            ))
        }
        Err(Refusal::Scope(scope)) => Err(refused(
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            &format!("This token may not do this: make one with the `{}` scope ({}).", scope.as_str(), scope.label()),
        )),
    }
}

#[derive(Deserialize, Default)]
struct Cursor {
    #[serde(default)]
    before: String,
}

fn page_at(query: &Cursor) -> Result<PageAt, JsonError> {
    PageAt::parse(&query.before, "")
        .map_err(|err| JsonError::new(StatusCode::BAD_REQUEST, "invalid_cursor").message(&err.0))
}

/// `GET /api/v1/me`: the token's account and what the token may do.
async fn me(State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, headers: HeaderMap) -> Response {
    match bearer(&state, &headers, peer, None).await {
        Ok(b) => Json(json!({
            "id": b.user_id,
            "name": b.name,
            "email": b.email,
            "role": b.role,
            "scopes": b.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(res) => res,
    }
}

fn order_json(o: &crate::domain::orders::OrderView) -> Value {
    json!({
        "id": o.public_id,
        "product": o.product_name,
        "amount": o.amount,
        "currency": o.currency,
        "status": o.status.as_str(),
        "gateway": o.gateway.as_str(),
        "created_at": iso(o.created_at),
        "paid_at": o.paid_at.map(iso),
        "delivery": o.delivery_status.map(|d| d.as_str()),
    })
}

/// `GET /api/v1/orders`: the account's orders, newest first, 50 a page.
async fn list_orders(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<Cursor>,
) -> Response {
    let b = match bearer(&state, &headers, peer, Some(Scope::OrdersRead)).await {
        Ok(b) => b,
        Err(res) => return res,
    };
    let at = match page_at(&query) {
        Ok(at) => at,
        Err(err) => return err.into_response(),
    };
    match state.db.read(move |c| orders::page_for_user(c, b.user_id, at)).await {
        Ok(page) => Json(json!({
            "data": page.rows.iter().map(order_json).collect::<Vec<_>>(),
            "next": page.older,
        }))
        .into_response(),
        Err(err) => apology(&err),
    }
}

/// `GET /api/v1/orders/{id}`: one of the account's orders (another's is not found).
async fn one_order(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let b = match bearer(&state, &headers, peer, Some(Scope::OrdersRead)).await {
        Ok(b) => b,
        Err(res) => return res,
    };
    match state.db.read(move |c| orders::view_for_user(c, b.user_id, &id)).await {
        Ok(Some(order)) => Json(order_json(&order)).into_response(),
        Ok(None) => JsonError::new(StatusCode::NOT_FOUND, "not_found")
            .message("You have no order with this id.")
            .into_response(),
        Err(err) => apology(&err),
    }
}

/// `GET /api/v1/licenses`: the account's license keys with their activations, newest purchase first.
async fn list_licenses(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<Cursor>,
) -> Response {
    let b = match bearer(&state, &headers, peer, Some(Scope::LicensesRead)).await {
        Ok(b) => b,
        Err(res) => return res,
    };
    let at = match page_at(&query) {
        Ok(at) => at,
        Err(err) => return err.into_response(),
    };
    let now = state.clock.now();
    match state.db.read(move |c| deliveries::licenses_of(c, b.user_id, at)).await {
        Ok(page) => Json(json!({
            "data": page.rows.into_iter().map(|l| {
                let l = l.at(now);
                json!({
                    "key": l.license_key,
                    "order": l.order_public_id,
                    "product": l.product_name,
                    "status": if l.revoked { "revoked" } else if l.expired { "expired" } else { "active" },
                    "activation_limit": l.activation_limit,
                    "expires_at": l.expires_at.map(iso),
                    "created_at": iso(l.created_at),
                    "activations": l.activations.iter().map(|a| json!({
                        "instance": a.instance,
                        "name": a.name,
                        "created_at": iso(a.created_at),
                        "last_seen_at": iso(a.last_seen_at),
                    })).collect::<Vec<_>>(),
                })
            }).collect::<Vec<_>>(),
            "next": page.older,
        }))
        .into_response(),
        Err(err) => apology(&err),
    }
}

/// `GET /api/v1/usage`: the account's tool runs today and this month, with the limits.
async fn usage(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    match bearer(&state, &headers, peer, Some(Scope::UsageRead)).await {
        Ok(b) => tools::usage_json(&state, b.user_id).await,
        Err(res) => res,
    }
}

/// `POST /api/v1/tools/{slug}/use`: runs a tool, counted to the token's account.
async fn use_tool(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match bearer(&state, &headers, peer, Some(Scope::Tools)).await {
        Ok(b) => tools::run_tool(&state, peer, slug, tools::Runner::Token { user_id: b.user_id }, &headers, body).await,
        Err(res) => res,
    }
}
