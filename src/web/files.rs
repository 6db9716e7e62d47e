//! Private downloads (receipts, invoices, deliverables, attachments, exports): every
//! one is answered through these, so a refusal, a missing file and a failure look
//! the same everywhere: a small "Not found" page saying what is missing (404), one
//! apology with the cause logged (503), and never a cached copy.

use crate::domain::delivery::validate_storage_path;
use crate::domain::html::TrustedHtml;
use crate::domain::product_files::content_disposition;
use crate::domain::settings::StudioSettings;
use crate::server::telemetry::chain;
use crate::server::AppState;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeFile;

/// What a person reads when the server failed them.
pub const APOLOGY: &str = "Sorry, something went wrong on our side. Please try again in a moment.";

/// 404: `what` does not exist, or is not the caller's (the two are never told apart).
pub fn not_found(what: &'static str) -> Response {
    crate::server::http::small_page(StatusCode::NOT_FOUND, "Not found", TrustedHtml::format("<p>{}</p>", &[what]))
}

/// 503 with the apology; the cause is logged with its chain, `doing` saying what failed.
pub fn unavailable(err: &(dyn std::error::Error + 'static), doing: &str) -> Response {
    tracing::error!(error = %chain(err), "{doing}");
    (StatusCode::SERVICE_UNAVAILABLE, APOLOGY).into_response()
}

/// A PDF printed with the studio's current settings (name, address, tax id) and logo.
pub async fn studio_pdf(
    state: &AppState,
    print: impl FnOnce(&StudioSettings, Option<&crate::server::pdf::Image>) -> (String, Vec<u8>),
) -> Response {
    let logo = match state.db.read(crate::server::studio::settings::letterhead).await {
        Ok(logo) => logo,
        Err(err) => return unavailable(&err, "loading the studio's logo for a document"),
    };
    match state.studio_settings().await {
        Ok(studio) => {
            let (name, bytes) = print(&studio, logo.as_ref());
            crate::server::pdf::download(&name, bytes)
        }
        Err(err) => unavailable(&err, "loading the studio's settings for a document"),
    }
}

/// An invoice as its PDF, or the invoice's "Not found" (none, or not the caller's),
/// or the apology.
pub async fn invoice_pdf(
    state: &AppState,
    found: Result<Option<crate::domain::billing::Invoice>, crate::server::db::DbError>,
) -> Response {
    match found {
        Ok(Some(invoice)) => {
            studio_pdf(state, |studio, logo| crate::server::studio::billing::pdf_file(studio, logo, &invoice)).await
        }
        Ok(None) => not_found(super::NO_INVOICE),
        Err(err) => unavailable(&err, "loading an invoice"),
    }
}

/// An order's receipt as its PDF, or the receipt's "Not found", or the apology.
pub async fn receipt_pdf(
    state: &AppState,
    found: Result<Option<crate::server::db::receipts::ReceiptData>, crate::server::db::DbError>,
) -> Response {
    match found {
        Ok(Some(r)) => {
            studio_pdf(state, |studio, logo| crate::server::studio::receipts::pdf_file(studio, logo, &r)).await
        }
        Ok(None) => not_found(super::NO_RECEIPT),
        Err(err) => unavailable(&err, "loading a receipt"),
    }
}

/// Streams a stored file (inside the storage folder, checked) as a download named `name`.
pub async fn stored(state: &AppState, relative: &str, name: &str, req: Request) -> Response {
    const MISSING: &str = "There is no such file.";
    let Ok(relative) = validate_storage_path(relative) else { return not_found(MISSING) };
    let Ok(root) = std::fs::canonicalize(&state.config.storage_dir) else { return not_found(MISSING) };
    let path = match std::fs::canonicalize(root.join(&relative)) {
        Ok(p) if p.starts_with(&root) => p,
        _ => {
            tracing::error!(file = %relative, "a stored file is missing from storage");
            return not_found(MISSING);
        }
    };
    let mut res = match ServeFile::new(&path).oneshot(req).await {
        Ok(res) => res.map(axum::body::Body::new),
        Err(err) => return unavailable(&err, "serving a stored file failed"),
    };
    if let Ok(value) = HeaderValue::from_str(&content_disposition(name)) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    res
}
