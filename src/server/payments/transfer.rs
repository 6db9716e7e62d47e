//! Orders paid by transfer (iPaymu): the QRIS code the order page shows.

use crate::domain::account::Area;
use crate::domain::orders::{OrderStatus, PayChannel};
use crate::server::auth::guard;
use crate::server::db::{orders, DbError};
use crate::server::telemetry::chain;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;
use tower_sessions::Session;

/// `GET /dashboard/orders/{id}/qr.svg`: the buyer's own pending QRIS payment as a
/// QR code; anything else is not found.
pub async fn qr_code(State(state): State<AppState>, session: Session, Path(public_id): Path<String>) -> Response {
    let next = format!("/dashboard/orders/{public_id}");
    let me = match guard::viewer_for_area(&state, &session, Area::Dashboard, &next).await {
        Ok(me) => me,
        Err(refused) => return refused,
    };
    if public_id.len() > 64 {
        return not_found();
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
        Ok(Some((OrderStatus::Pending, how))) if how.channel == PayChannel::Qris => match svg(&how.payment_no) {
            Some(svg) => ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "private, no-store")], svg)
                .into_response(),
            None => not_found(),
        },
        Ok(_) => not_found(),
        Err(err) => {
            tracing::error!(error = %chain(&err), "loading a payment's QR code");
            (StatusCode::SERVICE_UNAVAILABLE, "Sorry, something went wrong on our side. Please try again in a moment.")
                .into_response()
        }
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "There is no QR code to pay for this order.").into_response()
}

/// `data` as a QR code: one SVG path, a unit per module, runs of dark modules
/// joined, with the four-module quiet zone scanners need.
pub fn svg(data: &str) -> Option<String> {
    let code = qrcode::QrCode::new(data.as_bytes()).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 8;
    let mut path = String::with_capacity(width * width * 4);
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == qrcode::Color::Dark {
                let start = x;
                while x < width && row[x] == qrcode::Color::Dark {
                    x += 1;
                }
                let _ = write!(path, "M{} {}h{}v1h-{}z", start + 4, y + 4, x - start, x - start);
            } else {
                x += 1;
            }
        }
    }
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{px}" height="{px}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##,
        px = size * 6,
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_qr_code_is_one_path_inside_a_quiet_zone() {
        let svg = super::svg("00020101021126570011ID.DANA.WWW011893600915").unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<path").count(), 1);
        // This payload fits a version-2 code, 25 modules wide; with the quiet zone, 33.
        assert!(svg.contains(r#"viewBox="0 0 33 33""#), "{svg}");
        // The finder pattern's top row: seven dark modules from the quiet zone's corner.
        assert!(svg.contains("M4 4h7v1h-7z"), "{svg}");
    }
}
