//! `GET /admin/waitlist/{product_id}/export.csv`: everyone waiting for a product,
//! as a spreadsheet-safe CSV for staff.

use super::auth::guard;
use super::db::waitlist;
use super::telemetry::chain;
use super::AppState;
use crate::domain::time::format_time;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use crate::domain::analytics::csv_cell;

/// `GET /admin/waitlist/{product_id}/export.csv`: everyone waiting for a product.
pub async fn waitlist_csv(State(state): State<AppState>, session: Session, Path(product_id): Path<String>) -> Response {
    if let Err(res) = guard::staff_from_session(&state, &session).await {
        return res;
    }
    let Ok(product_id) = product_id.parse::<i64>() else {
        return (StatusCode::NOT_FOUND, "There is no such product.").into_response();
    };
    let found = state
        .db
        .run(move |c| -> Result<_, super::db::DbError> {
            let Some(product) = super::db::catalog::by_id(c, product_id)? else { return Ok(None) };
            Ok(Some((product.slug, waitlist::people(c, product_id)?)))
        })
        .await;
    match found {
        Ok(Some((slug, people))) => {
            let mut body = String::from("email,name,joined_at\r\n");
            for p in people {
                body.push_str(&format!(
                    "{},{},{}\r\n",
                    csv_cell(&p.email),
                    csv_cell(&p.name),
                    csv_cell(&format_time(p.joined_at))
                ));
            }
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"waitlist-{slug}.csv\"")),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                body,
            )
                .into_response()
        }
        Ok(None) => (StatusCode::NOT_FOUND, "There is no such product.").into_response(),
        Err(err) => {
            tracing::error!(error = %chain(&err), "waitlist export failed");
            (StatusCode::SERVICE_UNAVAILABLE, "Please try again in a moment.").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(csv_cell("a\"b"), "\"a\"\"b\"");
        assert_eq!(csv_cell("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
    }
}
