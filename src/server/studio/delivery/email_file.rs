//! Files by email: a download link to each of the product's files, mailed once
//! per order (fresh links come from the dashboard; `files` serves them).

use super::Deps;
use super::{record_delivered, Context};
use crate::server::db::{deliveries, product_files};
use crate::server::jobs::JobError;
use crate::server::mail::templates;

/// Creates the order's download links and mails them, once. A product whose file
/// is not uploaded yet is retried (and shows in the jobs page) until it is.
pub(super) async fn deliver(deps: &Deps<'_>, cx: Context) -> Result<(), JobError> {
    let product_id = cx.order.product_id;
    let files = deps.db.read(move |c| product_files::downloadable(c, product_id)).await?;
    if files.is_empty() {
        return Err(JobError::Transient(anyhow::anyhow!(
            "{} has no file to download yet: upload one on the product's page",
            cx.order.product_name
        )));
    }
    let config = deps.config.clone();
    let kind = cx.kind;
    let max = cx.config.max_downloads.unwrap_or(5);
    record_delivered(deps, cx.order.id, kind, ("Download link sent by email".into(), Vec::new()), move |tx, before| {
        if before {
            return Ok(None); // one mail per delivery: fresh links come from the dashboard
        }
        let mut links = Vec::with_capacity(files.len());
        for (file_id, label) in files {
            links.push((label, deliveries::create_download_link(tx, cx.order.id, Some(file_id), max)?));
        }
        let (email, name, product) = (&cx.buyer_email, &cx.buyer_name, &cx.order.product_name);
        Ok(Some(templates::download_ready(&config, cx.buyer_lang, email, name, product, &links, max)))
    })
    .await?;
    Ok(())
}
