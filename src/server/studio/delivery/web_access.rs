//! Web access: the product is usable in the dashboard as soon as the order is paid.

use super::Deps;
use super::{record_delivered, Context};
use crate::server::jobs::JobError;
use crate::server::mail::templates;

/// Records the access and mails the buyer that it is ready.
pub(super) async fn deliver(deps: &Deps<'_>, cx: Context) -> Result<(), JobError> {
    let config = deps.config.clone();
    let kind = cx.kind;
    record_delivered(deps, cx.order.id, kind, ("Active in your dashboard".into(), Vec::new()), move |_, _| {
        Ok(Some(templates::access_ready(
            &config,
            cx.buyer_lang,
            &cx.buyer_email,
            &cx.buyer_name,
            &cx.order.product_name,
        )))
    })
    .await?;
    Ok(())
}
