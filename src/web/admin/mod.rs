//! The staff area's plain HTTP routes: uploads streamed to storage, the Markdown
//! preview, exports, and the private files staff open (receipts, invoices,
//! deliverables, attachments). Each checks for staff first.

pub mod logo;
pub mod uploads;
pub mod waitlist_export;

use super::files::{invoice_pdf, not_found, receipt_pdf, stored, unavailable};
use super::guard::staff_from_session;
use crate::domain::product_files::UploadRefusal;
use crate::server::db::{billing, catalog, projects, work};
use crate::server::http::JsonError;
use crate::server::studio::analytics::{analytics, RangeQuery, Rows};
use crate::server::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tower_sessions::Session;

/// This area's plain HTTP routes.
pub fn routes() -> Router<AppState> {
    let message_max = super::message_body_max();
    Router::new()
        .route(
            "/admin/upload",
            post(uploads::upload).layer(DefaultBodyLimit::max(uploads::MAX_UPLOAD_BYTES + 64 * 1024)),
        )
        .route("/admin/preview", post(uploads::preview))
        .route("/admin/settings/logo", post(logo::upload).layer(DefaultBodyLimit::max(logo::MAX_BODY)))
        .route("/admin/settings/logo/remove", post(logo::remove))
        // Streamed to storage and counted there against PRODUCT_FILE_MAX_MB.
        .route("/admin/products/{id}/files", post(product_file).layer(DefaultBodyLimit::disable()))
        .route("/admin/waitlist/{product_id}/export.csv", get(waitlist_export::waitlist_csv))
        .route("/admin/analytics/{file}", get(analytics_csv))
        .route("/admin/orders/{id}/receipt.pdf", get(receipt))
        .route("/admin/invoices/{id}/invoice.pdf", get(invoice))
        // Streamed to storage and counted there against DELIVERABLE_MAX_MB.
        .route("/admin/projects/{id}/deliverables", post(deliverable_upload).layer(DefaultBodyLimit::disable()))
        .route("/admin/projects/{id}/messages", post(message).layer(DefaultBodyLimit::max(message_max)))
        .route("/admin/deliverables/{version}", get(deliverable))
        .route("/admin/attachments/{id}", get(attachment))
}

/// `GET /admin/orders/{id}/receipt.pdf`: any order's receipt, for staff.
async fn receipt(State(state): State<AppState>, session: Session, Path(public_id): Path<String>) -> Response {
    if let Err(refused) = staff_from_session(&state, &session).await {
        return refused;
    }
    receipt_pdf(&state, crate::server::studio::receipts::for_order(&state.db, public_id).await).await
}

/// `GET /admin/invoices/{id}/invoice.pdf`: any invoice, drafts too, for staff.
async fn invoice(State(state): State<AppState>, session: Session, Path(id): Path<String>) -> Response {
    if let Err(refused) = staff_from_session(&state, &session).await {
        return refused;
    }
    let Ok(id) = id.parse::<i64>() else { return not_found(super::NO_INVOICE) };
    invoice_pdf(&state, state.db.read(move |c| billing::invoice(c, id)).await).await
}

/// `GET /admin/deliverables/{version}`: any version, for staff.
async fn deliverable(
    State(state): State<AppState>,
    session: Session,
    Path(version): Path<i64>,
    req: Request,
) -> Response {
    if let Err(res) = staff_from_session(&state, &session).await {
        return res;
    }
    match state.db.read(move |c| work::version_file(c, version)).await {
        Ok(Some((_, path, name, _))) => stored(&state, &path, &name, req).await,
        Ok(None) => not_found(super::NO_FILE),
        Err(err) => unavailable(&err, "loading a project's file"),
    }
}

/// `GET /admin/attachments/{id}`: any message attachment, for staff.
async fn attachment(State(state): State<AppState>, session: Session, Path(id): Path<i64>, req: Request) -> Response {
    if let Err(res) = staff_from_session(&state, &session).await {
        return res;
    }
    match state.db.read(move |c| work::attachment_file(c, id)).await {
        Ok(Some((_, path, name))) => stored(&state, &path, &name, req).await,
        Ok(None) => not_found(super::NO_FILE),
        Err(err) => unavailable(&err, "loading a project's file"),
    }
}

/// `GET /admin/analytics/{table}.csv?from&until&by`: one table as CSV, for staff.
async fn analytics_csv(
    State(state): State<AppState>,
    session: Session,
    Path(file): Path<String>,
    Query(q): Query<RangeQuery>,
) -> Response {
    let lang = match staff_from_session(&state, &session).await {
        Ok(staff) => staff.lang,
        Err(refused) => return refused,
    };
    let Some(name) = file.strip_suffix(".csv").map(str::to_owned) else {
        return not_found("There is no such table.");
    };
    match analytics(&state.page_views, &state.db, state.clock.now(), q, Rows::Export).await {
        Ok(Ok(a)) => match a.tables.iter().find(|t| t.name == name) {
            Some(table) => (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}-{}-{}.csv\"", a.from, a.until),
                    ),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                crate::domain::analytics::csv(&crate::server::i18n::table_in(lang, table)),
            )
                .into_response(),
            None => not_found("There is no such table."),
        },
        Ok(Err(refusal)) => (StatusCode::BAD_REQUEST, refusal).into_response(),
        Err(err) => unavailable(&err, "analytics export failed"),
    }
}

/// `POST /admin/products/{id}/files`: a new file, or a new version of one, streamed
/// to private storage (never held in memory), then recorded with an audit row.
async fn product_file(
    State(state): State<AppState>,
    session: Session,
    Path(product_id): Path<i64>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let staff = match staff_from_session(&state, &session).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json"));
    let max_mb = state.config.product_file_max_mb;
    let exists = state.db.read(move |c| catalog::by_id(c, product_id)).await;
    match exists {
        Ok(Some(_)) => {}
        Ok(None) => return not_found("No such product."),
        Err(err) => {
            tracing::error!(error = %crate::server::telemetry::chain(&err), "could not look a product up for an upload");
            return product_file_answer(json, product_id, Err(UploadRefusal::Storage), max_mb);
        }
    }
    let max = max_mb.saturating_mul(1024 * 1024);
    let outcome = match crate::web::upload::product_file(&state.config.storage_dir, &mut form, max).await {
        Ok(upload) => {
            let dir = &state.config.storage_dir;
            crate::server::studio::product_files::store(&state.db, dir, staff.id, product_id, upload).await
        }
        Err(refusal) => Err(refusal),
    };
    if let Err(refusal) = outcome {
        tracing::info!(product_id, refused = refusal.code(), "product file upload refused");
    }
    product_file_answer(json, product_id, outcome, max_mb)
}

/// The editor's script asks for JSON; a plain form post goes back to the product.
fn product_file_answer(json: bool, product_id: i64, outcome: Result<String, UploadRefusal>, max_mb: u64) -> Response {
    let back = |query: &str| format!("/admin/products/{product_id}?{query}#files");
    match (outcome, json) {
        (Ok(message), true) => {
            Json(serde_json::json!({ "ok": true, "message": message, "redirect": back("file_saved=1") }))
                .into_response()
        }
        (Ok(_), false) => Redirect::to(&back("file_saved=1")).into_response(),
        (Err(refusal), true) => {
            let status = match refusal {
                UploadRefusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                UploadRefusal::Storage => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::BAD_REQUEST,
            };
            JsonError::new(status, refusal.code()).message(&refusal.message(max_mb)).into_response()
        }
        (Err(refusal), false) => Redirect::to(&back(&format!("file_error={}", refusal.code()))).into_response(),
    }
}

/// `POST /admin/projects/{id}/deliverables`: a new deliverable or a new version of
/// one, streamed to private storage (at most `DELIVERABLE_MAX_MB`); the client's
/// people are told.
async fn deliverable_upload(
    State(state): State<AppState>,
    session: Session,
    Path(project_id): Path<i64>,
    mut form: Multipart,
) -> Response {
    let staff = match staff_from_session(&state, &session).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    match state.db.read(move |c| projects::by_id(c, project_id)).await {
        Ok(Some(_)) => {}
        Ok(None) => return not_found(super::NO_PROJECT),
        Err(err) => return unavailable(&err, "loading a project"),
    }
    let back =
        |query: String| Redirect::to(&format!("/admin/projects/{project_id}?{query}#deliverables")).into_response();
    let max = state.config.deliverable_max_mb.saturating_mul(1024 * 1024);
    let stored = match crate::web::upload::deliverable(&state.config.storage_dir, &mut form, max).await {
        Ok(upload) => {
            crate::server::studio::work::store_deliverable(&state.db, &state.config, &staff, project_id, upload).await
        }
        Err(refusal) => Err(refusal),
    };
    match stored {
        Ok(()) => back("uploaded=1".to_owned()),
        Err(refusal) => {
            tracing::info!(project_id, refused = refusal.code(), "deliverable upload refused");
            back(format!("deliverable_error={}", refusal.code()))
        }
    }
}

/// `POST /admin/projects/{id}/messages`: the studio's message on a project.
async fn message(
    State(state): State<AppState>,
    session: Session,
    Path(project_id): Path<i64>,
    mut form: Multipart,
) -> Response {
    let me = match staff_from_session(&state, &session).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let project = match state.db.read(move |c| projects::by_id(c, project_id)).await {
        Ok(Some(p)) => p,
        Ok(None) => return not_found(super::NO_PROJECT),
        Err(err) => return unavailable(&err, "loading a project"),
    };
    let outcome = match crate::web::upload::message(&state.config.storage_dir, &mut form).await {
        Ok(message) => crate::server::studio::work::post(&state.db, &state.config, &me, project, true, message).await,
        Err(refusal) => Err(refusal),
    };
    super::after_message(&format!("/admin/projects/{project_id}"), outcome)
}
