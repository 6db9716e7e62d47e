//! The license API: `POST /api/licenses/{validate,activate,deactivate}` with JSON
//! `{ "key": "...", "instance": "..." }`. Answers say nothing about the key's owner.

use crate::domain::license::LicenseKey;
use crate::server::auth::client_ip;
use crate::server::db::{self, deliveries, DbError};
use crate::server::http::JsonError;
use crate::server::studio::licensing;
use crate::server::telemetry::chain;
use crate::server::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::net::SocketAddr;

/// The request body: `{"key": "...", "instance": "...", "name": "..."}` (`name`, for
/// `activate`, is how the machine is shown to its owner).
pub struct LicenseRequest {
    key: String,
    instance: Option<String>,
    name: Option<String>,
}

/// What is wrong with a request body, as the JSON error answer says it.
struct BadBody {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl BadBody {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into() }
    }
}

impl LicenseRequest {
    /// Reads the body, or says exactly what is wrong with it.
    fn parse(body: Result<Bytes, BytesRejection>) -> Result<Self, BadBody> {
        const SHAPE: &str = "Send JSON like {\"key\": \"ATL-...\", \"instance\": \"my-laptop\"}.";
        let bad = |code, message: String| BadBody::new(StatusCode::BAD_REQUEST, code, message);
        let body = body.map_err(|rejection| {
            let status = rejection.status();
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "The request body is too large."
            } else {
                "The request body could not be read."
            };
            BadBody::new(status, "invalid_body", message)
        })?;
        let value: Value = serde_json::from_slice(&body)
            .map_err(|_| bad("invalid_json", format!("The body is not valid JSON. {SHAPE}")))?;
        let Some(fields) = value.as_object() else {
            return Err(bad("invalid_json", format!("The body must be a JSON object. {SHAPE}")));
        };
        let key = match fields.get("key") {
            Some(Value::String(key)) => key.clone(),
            None | Some(Value::Null) => {
                return Err(bad("missing_key", format!("Give the license key as \"key\". {SHAPE}")))
            }
            Some(_) => return Err(bad("invalid_key", "\"key\" must be a string.".into())),
        };
        let instance = match fields.get("instance") {
            None | Some(Value::Null) => None,
            Some(Value::String(instance)) => Some(instance.clone()),
            Some(_) => return Err(bad("invalid_instance", "\"instance\" must be a string.".into())),
        };
        let name = match fields.get("name") {
            None | Some(Value::Null) => None,
            Some(Value::String(name)) if name.chars().count() <= 100 && !name.chars().any(char::is_control) => {
                Some(name.trim().to_owned())
            }
            Some(_) => {
                return Err(bad(
                    "invalid_name",
                    "\"name\" must be a string of at most 100 printable characters.".into(),
                ))
            }
        };
        Ok(Self { key, instance, name })
    }
}

#[derive(Clone, Copy)]
enum Action {
    Validate,
    Activate,
    Deactivate,
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    JsonError::new(status, code).message(message).with("valid", false.into()).into_response()
}

pub async fn validate(
    state: State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    handle(state, peer, headers, body, Action::Validate).await
}

pub async fn activate(
    state: State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    handle(state, peer, headers, body, Action::Activate).await
}

pub async fn deactivate(
    state: State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    handle(state, peer, headers, body, Action::Deactivate).await
}

async fn handle(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
    action: Action,
) -> Response {
    let ip = client_ip(&headers, Some(peer), &state.config.trusted_proxies);
    if !state.api_limiter.check("licenses", ip) {
        return error(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "Too many requests. Try again in a minute.");
    }
    let req = match LicenseRequest::parse(body) {
        Ok(req) => req,
        Err(bad) => return error(bad.status, bad.code, &bad.message),
    };
    let key = if licensing::is_signed_key(&req.key) {
        // A signed key must carry our signature before it is even looked up.
        match licensing::verify(&state.license_signer.verifying_key(), &req.key) {
            Ok(_) => req.key.trim().to_owned(),
            Err(_) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "invalid_key",
                    "That is not a valid license key: its signature does not match.",
                )
            }
        }
    } else {
        match LicenseKey::parse(&req.key) {
            Ok(key) => key.as_str().to_owned(),
            Err(_) => return error(StatusCode::BAD_REQUEST, "invalid_key", "That is not a valid license key."),
        }
    };
    let instance = req.instance.map(|i| i.trim().to_owned()).filter(|i| !i.is_empty());
    if instance.as_ref().is_some_and(|i| i.chars().count() > 200 || i.chars().any(char::is_control)) {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_instance",
            "The instance name must be 1 to 200 printable characters.",
        );
    }
    if matches!(action, Action::Activate | Action::Deactivate) && instance.is_none() {
        return error(
            StatusCode::BAD_REQUEST,
            "missing_instance",
            "Give the instance (machine) name to activate or deactivate.",
        );
    }
    let (name, network) = (req.name.unwrap_or_default(), crate::domain::license::network_of(ip));
    let result = state
        .db
        .run(move |c| -> Result<Response, DbError> {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let Some(license) = deliveries::license_state(&tx, &key)? else {
                return Ok(error(StatusCode::NOT_FOUND, "not_found", "No such license key."));
            };
            if license.revoked {
                return Ok((StatusCode::OK, Json(json!({ "valid": false, "status": "revoked" }))).into_response());
            }
            if license.expires_at.is_some_and(|e| e <= db::now()) {
                return Ok((
                    StatusCode::OK,
                    Json(json!({ "valid": false, "status": "expired", "expires_at": license.expires_at })),
                )
                    .into_response());
            }
            let mut activations = license.activations;
            let activated = match (&instance, action) {
                (Some(i), Action::Activate) => {
                    let already = deliveries::is_activated(&tx, license.id, i)?;
                    if !already && activations >= license.activation_limit {
                        return Ok(error(
                            StatusCode::CONFLICT,
                            "activation_limit_reached",
                            "This key is active on as many machines as it allows. Deactivate one first.",
                        ));
                    }
                    deliveries::activate(&tx, license.id, i, &name, &network)?;
                    if !already {
                        activations += 1;
                    }
                    true
                }
                (Some(i), Action::Deactivate) => {
                    if deliveries::deactivate(&tx, license.id, i)? {
                        activations -= 1;
                    }
                    false
                }
                (Some(i), Action::Validate) => {
                    let active = deliveries::is_activated(&tx, license.id, i)?;
                    if active {
                        deliveries::seen(&tx, license.id, i, &network, db::now())?;
                    }
                    active
                }
                (None, _) => false,
            };
            tx.commit()?;
            Ok((
                StatusCode::OK,
                Json(json!({
                    "valid": true,
                    "status": "active",
                    "activated": activated,
                    "activations": activations,
                    "activation_limit": license.activation_limit,
                    "expires_at": license.expires_at,
                })),
            )
                .into_response())
        })
        .await;
    result.unwrap_or_else(|err| {
        tracing::error!(error = %chain(&err), "license request failed");
        error(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Please try again in a moment.")
    })
}

/// `GET /api/licenses/public-key`: what apps verify signed keys and the revocation list with.
pub async fn public_key(State(state): State<AppState>) -> Response {
    Json(json!({
        "algorithm": "Ed25519",
        "encoding": "base64url",
        "public_key": state.license_signer.public_key(),
        "key_format": "ATLS1.<payload>.<signature>: the signature covers the text before the last dot; the payload is JSON",
    }))
    .into_response()
}

/// `GET /api/licenses/revoked`: the ids (`kid`) of every revoked signed key (refunds,
/// ended subscriptions), with the time, signed: apps that check keys offline verify
/// `signature` over the text of `payload` (base64url JSON `{"issued_at", "revoked"}`).
pub async fn revoked(State(state): State<AppState>) -> Response {
    let keys = match state.db.read(deliveries::revoked_keys).await {
        Ok(keys) => keys,
        Err(err) => {
            tracing::error!(error = %chain(&err), "listing revoked license keys");
            return error(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Please try again in a moment.");
        }
    };
    let public = state.license_signer.verifying_key();
    let mut kids: Vec<String> = keys
        .iter()
        .filter(|k| licensing::is_signed_key(k))
        .filter_map(|k| licensing::verify(&public, k).ok())
        .map(|claims| claims.kid)
        .collect();
    kids.sort();
    let issued_at = db::now();
    let document = json!({ "issued_at": issued_at, "revoked": kids });
    let (payload, signature) = state.license_signer.sign_document(document.to_string().as_bytes());
    Json(json!({ "payload": payload, "signature": signature, "issued_at": issued_at, "revoked": kids })).into_response()
}
