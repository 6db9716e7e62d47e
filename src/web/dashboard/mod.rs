//! The member dashboard's plain HTTP routes: receipts, the QR code of a pending
//! transfer, and the member's data export. Each serves only the caller's own.

pub mod export;

use super::files::{not_found, receipt_pdf, unavailable};
use super::guard::viewer_for_area;
use crate::domain::account::Area;
use crate::domain::orders::{OrderStatus, PayChannel};
use crate::server::db::{orders, DbError};
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_sessions::Session;

/// This area's plain HTTP routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard/export.json", get(export::my_data))
        .route("/dashboard/orders/{id}/receipt.pdf", get(receipt))
        .route("/dashboard/orders/{id}/qr.svg", get(qr_code))
}

/// `GET /dashboard/orders/{id}/receipt.pdf`: the buyer's own receipt; anyone else's is not found.
async fn receipt(State(state): State<AppState>, session: Session, Path(public_id): Path<String>) -> Response {
    let next = format!("/dashboard/orders/{public_id}");
    let me = match viewer_for_area(&state, &session, Area::Dashboard, &next).await {
        Ok(me) => me,
        Err(refused) => return refused,
    };
    // Anyone else's receipt is not found, like one that does not exist.
    let found = crate::server::studio::receipts::for_order(&state.db, public_id).await;
    receipt_pdf(&state, found.map(|r| r.filter(|r| r.user_id == me.id))).await
}

/// `GET /dashboard/orders/{id}/qr.svg`: the buyer's own pending QRIS payment as a
/// QR code; anything else is not found.
async fn qr_code(State(state): State<AppState>, session: Session, Path(public_id): Path<String>) -> Response {
    const NO_CODE: &str = "There is no QR code to pay for this order.";
    let next = format!("/dashboard/orders/{public_id}");
    let me = match viewer_for_area(&state, &session, Area::Dashboard, &next).await {
        Ok(me) => me,
        Err(refused) => return refused,
    };
    if public_id.len() > 64 {
        return not_found(NO_CODE);
    }
    let found = state
        .db
        .read(move |c| -> Result<_, DbError> {
            let Some(order) = orders::by_public_id(c, &public_id)?.filter(|o| o.user_id == me.id) else {
                return Ok(None);
            };
            Ok(orders::instructions(c, order.id)?.map(|how| (order.status, how)))
        })
        .await;
    match found {
        Ok(Some((OrderStatus::Pending, how))) if how.channel == PayChannel::Qris => {
            match crate::server::studio::payments::transfer::svg(&how.payment_no) {
                Some(svg) => {
                    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "private, no-store")], svg)
                        .into_response()
                }
                None => not_found(NO_CODE),
            }
        }
        Ok(_) => not_found(NO_CODE),
        Err(err) => unavailable(&err, "loading a payment's QR code"),
    }
}
