//! License keys: one key per order, issued once, mailed to the buyer (the
//! validate/activate API is in `licenses`).

use super::Deps;
use super::{record_delivered, Context};
use crate::domain::license::LicenseKey;
use crate::server::db::{self, deliveries};
use crate::server::jobs::JobError;
use crate::server::mail::templates;

/// Issues the order's key (the same one again on a retry) and mails it.
pub(super) async fn deliver(deps: &Deps<'_>, cx: Context) -> Result<(), JobError> {
    let config = deps.config.clone();
    let kind = cx.kind;
    let mut random = [0u8; 19];
    getrandom::fill(&mut random).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
    let limit = cx.config.activation_limit.unwrap_or(1);
    let now = db::now();
    let expires = cx.config.validity_days.map(|d| now + i64::from(d) * 86_400);
    // A retry issues the same key (the first one stored wins), so a fresh candidate is harmless.
    let candidate = if cx.config.signed == Some(true) {
        let claims = crate::server::studio::licensing::Claims {
            v: 1,
            product: cx.product_slug.clone(),
            kid: hex::encode(&random[..10]),
            iat: now,
            exp: expires,
            act: limit,
        };
        deps.license_signer.issue(&claims)
    } else {
        LicenseKey::from_random(&random).as_str().to_owned()
    };
    record_delivered(deps, cx.order.id, kind, ("License key issued".into(), Vec::new()), move |tx, _| {
        let key = deliveries::ensure_license(tx, cx.order.id, &candidate, limit, expires)?;
        let (email, name, product) = (&cx.buyer_email, &cx.buyer_name, &cx.order.product_name);
        Ok(Some(templates::license_key_ready(&config, cx.buyer_lang, email, name, product, &key)))
    })
    .await?;
    Ok(())
}
