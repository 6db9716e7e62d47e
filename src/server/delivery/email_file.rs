//! Files by email: a signed download link, mailed once per order (fresh links
//! come from the dashboard; `files` serves them).

use super::{record_delivered, Context};
use crate::server::db::deliveries;
use crate::server::jobs::JobError;
use crate::server::mail::templates;
use crate::server::AppState;

/// Creates the order's download link and mails it, once.
pub(super) async fn deliver(state: &AppState, cx: Context) -> Result<(), JobError> {
    let config = state.config.clone();
    let kind = cx.kind;
    let max = cx.config.max_downloads.unwrap_or(5);
    record_delivered(state, cx.order.id, kind, "Download link sent by email".into(), move |tx, before| {
        if before {
            return Ok(None); // one link per delivery: fresh ones come from the dashboard
        }
        let token = deliveries::create_download_link(tx, cx.order.id, max)?;
        let (email, name, product) = (&cx.buyer_email, &cx.buyer_name, &cx.order.product_name);
        Ok(Some(templates::download_ready(&config, email, name, product, &token, max)))
    })
    .await?;
    Ok(())
}
