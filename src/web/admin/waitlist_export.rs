//! `GET /admin/waitlist/{product_id}/export.csv`: everyone waiting for a product,
//! as a spreadsheet-safe CSV for staff.

use crate::domain::time::format_time;
use crate::server::db::waitlist;
use crate::server::telemetry::chain;
use crate::server::AppState;
use crate::web::files::{not_found, unavailable};
use crate::web::guard;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use crate::domain::analytics::csv_cell;

/// People read (and written out) at a time: the export's memory stays that of one
/// batch, however long the list.
const BATCH: usize = 500;

/// `GET /admin/waitlist/{product_id}/export.csv`: everyone waiting for a product,
/// streamed batch by batch.
pub async fn waitlist_csv(State(state): State<AppState>, session: Session, Path(product_id): Path<String>) -> Response {
    let lang = match guard::staff_from_session(&state, &session).await {
        Ok(staff) => staff.lang,
        Err(res) => return res,
    };
    let Ok(product_id) = product_id.parse::<i64>() else {
        return not_found("There is no such product.");
    };
    let slug = match state.db.read(move |c| crate::server::db::catalog::by_id(c, product_id)).await {
        Ok(Some(product)) => product.slug,
        Ok(None) => return not_found("There is no such product."),
        Err(err) => return unavailable(&err, "waitlist export failed"),
    };
    let db = state.db.clone();
    // The header first, then one chunk per batch, until a batch comes back short.
    let rows = futures::stream::unfold(Some(None), move |next: Option<Option<(i64, i64)>>| {
        let db = db.clone();
        async move {
            let after = next?;
            let batch = db.read(move |c| waitlist::people_batch(c, product_id, after, BATCH)).await;
            match batch {
                Ok(batch) => {
                    let more = (batch.len() == BATCH).then(|| batch.last().map(|(id, p)| (p.joined_at, *id)));
                    let mut chunk = String::with_capacity(batch.len() * 80);
                    for (_, p) in &batch {
                        let code = p.code.as_deref().unwrap_or_default();
                        let used = match (&p.code, p.code_uses) {
                            (None, _) => "",
                            (Some(_), 0) => "no",
                            _ => "yes",
                        };
                        chunk.push_str(&format!(
                            "{},{},{},{},{}\r\n",
                            csv_cell(&p.email),
                            csv_cell(&p.name),
                            csv_cell(&format_time(p.joined_at)),
                            csv_cell(code),
                            csv_cell(used)
                        ));
                    }
                    Some((Ok::<_, std::io::Error>(chunk), more.flatten().map(Some)))
                }
                Err(err) => {
                    tracing::error!(error = %chain(&err), "waitlist export failed midway");
                    Some((Err(std::io::Error::other("the export could not be read")), None))
                }
            }
        }
    });
    let header = futures::stream::once(std::future::ready(Ok::<_, std::io::Error>(format!(
        "{}\r\n",
        crate::server::i18n::t(lang, "adm-waitlist-csv-header", &[])
    ))));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"waitlist-{slug}.csv\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        axum::body::Body::from_stream(futures::StreamExt::chain(header, rows)),
    )
        .into_response()
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
