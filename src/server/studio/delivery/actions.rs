//! What staff can do for an order's delivery from `/admin/orders/{id}` without a
//! refund: send the delivery mail again (with fresh download links), invite the
//! GitHub account again, withdraw access with a reason the buyer sees, and
//! restore it. Each is audited.

use super::{enqueue_revoke_as, github_invite, load, Deps, OrderJob};
use crate::domain::delivery::DeliveryKind;
use crate::domain::orders::OrderStatus;
use crate::server::db::{self, audit, catalog, deliveries, orders, product_files, users, DbError};
use crate::server::jobs::{self, JobError};
use crate::server::mail::templates;

/// Why a staff action on a delivery cannot be done now (shown as it is).
pub type Refusal = &'static str;

/// The order staff act on, if it exists and is paid (else `unpaid`).
fn paid_order(
    conn: &rusqlite::Connection,
    public_id: &str,
    unpaid: Refusal,
) -> Result<Result<orders::OrderRow, Refusal>, DbError> {
    Ok(match orders::by_public_id(conn, public_id)? {
        None => Err("There is no such order."),
        Some(order) if order.status != OrderStatus::Paid => Err(unpaid),
        Some(order) => Ok(order),
    })
}

/// Mails the buyer their delivery again: the same mail as at delivery, with fresh
/// download links for files (the old ones may have expired or run out).
pub async fn resend(deps: &Deps<'_>, staff_id: i64, public_id: String) -> Result<Result<(), Refusal>, DbError> {
    let config = deps.config.clone();
    deps.db
        .run(move |c| {
            let tx = c.transaction()?;
            let order = match paid_order(&tx, &public_id, "Only a paid order has a delivery to send again.")? {
                Ok(order) => order,
                Err(refusal) => return Ok(Err(refusal)),
            };
            let Some((status, detail)) = deliveries::status(&tx, order.id)? else {
                return Ok(Err("Nothing has been delivered yet: the delivery job is still to run."));
            };
            if status != "delivered" {
                return Ok(Err("The delivery is not active (withdrawn or failed): restore or retry it first."));
            }
            let Some(product) = catalog::by_id(&tx, order.product_id)? else { return Ok(Err("The product is gone.")) };
            let (email, name, lang) = users::recipient(&tx, order.user_id)?;
            let what = &order.product_name;
            let message = match product.delivery_kind {
                DeliveryKind::WebAccess => templates::access_ready(&config, lang, &email, &name, what),
                DeliveryKind::Manual => {
                    templates::manual_delivered(&config, lang, &email, &name, what, &detail, &order.public_id)
                }
                DeliveryKind::GithubInvite => {
                    let Some(grant) = deliveries::github_grant(&tx, order.id)? else {
                        return Ok(Err("This order has no GitHub invitation to send."));
                    };
                    let (login, repo) = (grant.login.as_str(), grant.repo.as_str());
                    // The delivery's note says whether the invitation was accepted ("@login has access …").
                    let access = if detail.starts_with('@') {
                        templates::GithubAccess::Granted { login, repo }
                    } else {
                        templates::GithubAccess::Invited { login, repo }
                    };
                    templates::github_invited(&config, lang, &email, &name, what, access)
                }
                DeliveryKind::LicenseKey => match deliveries::license_key_of(&tx, order.id)? {
                    Some(key) => templates::license_key_ready(&config, lang, &email, &name, what, &key),
                    None => return Ok(Err("This order has no license key to send.")),
                },
                DeliveryKind::EmailFile => {
                    let max = catalog::delivery_config(&tx, product.id)?.1.max_downloads.unwrap_or(5);
                    let mut links = Vec::new();
                    for (file_id, label) in product_files::downloadable(&tx, product.id)? {
                        links.push((label, deliveries::create_download_link(&tx, order.id, Some(file_id), max)?));
                    }
                    if links.is_empty() {
                        return Ok(Err("The product has no file to download: upload one first."));
                    }
                    templates::download_ready(&config, lang, &email, &name, what, &links, max)
                }
            };
            let now = db::now();
            jobs::enqueue(&tx, jobs::JobKind::SendEmail, &message, Some(&format!("resend:{}:{now}", order.id)))?;
            audit::record(
                &tx,
                Some(staff_id),
                "order.delivery_resent",
                &order.public_id,
                product.delivery_kind.as_str(),
            )?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .await
}

/// Withdraws what the order delivered, without a refund: the buyer sees `reason`
/// on the order and in a mail; keys stop validating, GitHub access is removed.
pub async fn revoke(
    deps: &Deps<'_>,
    staff_id: i64,
    public_id: String,
    reason: String,
) -> Result<Result<(), Refusal>, DbError> {
    let config = deps.config.clone();
    deps.db
        .run(move |c| {
            let tx = c.transaction()?;
            let unpaid = "Only a paid order's access can be withdrawn (a refund withdraws it already).";
            let order = match paid_order(&tx, &public_id, unpaid)? {
                Ok(order) => order,
                Err(refusal) => return Ok(Err(refusal)),
            };
            match deliveries::status(&tx, order.id)? {
                Some((status, _)) if status == "revoked" => return Ok(Err("Access is withdrawn already.")),
                None => return Ok(Err("Nothing has been delivered yet.")),
                Some(_) => {}
            }
            let now = db::now();
            let detail = format!("Access withdrawn by the studio: {reason}");
            let note = [("why", "withdrawn".to_owned()), ("reason", reason.clone())];
            if !withdraw_in(&tx, &order, (&detail, &note), &format!("staff:{now}"))? {
                return Ok(Err("The product is gone."));
            }
            let (email, name, lang) = users::recipient(&tx, order.user_id)?;
            let message = templates::access_withdrawn(&config, lang, &email, &name, &order, &reason);
            jobs::enqueue(&tx, jobs::JobKind::SendEmail, &message, Some(&format!("withdrawn:{}:{now}", order.id)))?;
            audit::record(&tx, Some(staff_id), "order.access_revoked", &order.public_id, &reason)?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .await
}

/// In the caller's transaction: marks `order`'s delivery withdrawn with `detail` (and
/// its `note`'s values: `deliveries::set_note`; keys stop validating at once) and queues the withdrawal of the rest (GitHub
/// access), once per `occasion`. False when the product is gone.
pub fn withdraw_in(
    tx: &rusqlite::Connection,
    order: &orders::OrderRow,
    (detail, note): (&str, &[(&str, String)]),
    occasion: &str,
) -> Result<bool, DbError> {
    let Some(product) = catalog::by_id(tx, order.product_id)? else { return Ok(false) };
    deliveries::upsert(tx, order.id, product.delivery_kind.as_str(), "revoked", detail)?;
    deliveries::set_note(tx, order.id, note)?;
    deliveries::mark_revoked(tx, order.id)?;
    deliveries::revoke_license(tx, order.id)?;
    enqueue_revoke_as(tx, order.id, &format!("revoke:{}:{occasion}", order.id))?;
    Ok(true)
}

/// In the caller's transaction: gives back what [`withdraw_in`] withdrew, delivered
/// again as at first (the same key, a new invitation, fresh links, the delivery
/// mail), once per `occasion`. False when the product is gone.
pub fn restore_in(
    tx: &rusqlite::Connection,
    order: &orders::OrderRow,
    detail: &str,
    occasion: &str,
) -> Result<bool, DbError> {
    let Some(product) = catalog::by_id(tx, order.product_id)? else { return Ok(false) };
    deliveries::restore_license(tx, order.id)?;
    deliveries::upsert(tx, order.id, product.delivery_kind.as_str(), "pending", detail)?;
    jobs::enqueue_with(
        tx,
        jobs::JobKind::DeliverOrder,
        &OrderJob { order_id: order.id },
        jobs::Options {
            dedupe_key: Some(&format!("deliver:{}:{occasion}", order.id)),
            group: Some(&super::order_group(order.id)),
            ..jobs::Options::default()
        },
    )?;
    Ok(true)
}

/// Gives back what [`revoke`] withdrew: delivered again as at first (the same
/// license key, a new invitation, fresh links), with the delivery mail.
pub async fn restore(deps: &Deps<'_>, staff_id: i64, public_id: String) -> Result<Result<(), Refusal>, DbError> {
    deps.db
        .run(move |c| {
            let tx = c.transaction()?;
            let order = match paid_order(&tx, &public_id, "A refunded order cannot be restored.")? {
                Ok(order) => order,
                Err(refusal) => return Ok(Err(refusal)),
            };
            if deliveries::status(&tx, order.id)?.is_none_or(|(s, _)| s != "revoked") {
                return Ok(Err("Access is not withdrawn: there is nothing to restore."));
            }
            if !restore_in(&tx, &order, "Access restored by the studio", &format!("restore:{}", db::now()))? {
                return Ok(Err("The product is gone."));
            }
            audit::record(&tx, Some(staff_id), "order.access_restored", &order.public_id, "")?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .await
}

/// Invites the order's GitHub account again now (staff's button): a new
/// invitation, checked hourly again, and the buyer mailed.
pub async fn reinvite(deps: &Deps<'_>, staff_id: i64, public_id: String) -> Result<Result<(), Refusal>, JobError> {
    let lookup = public_id.clone();
    let order = deps.db.run(move |c| orders::by_public_id(c, &lookup)).await.map_err(anyhow::Error::new)?;
    let Some(order) = order.filter(|o| o.status == OrderStatus::Paid) else {
        return Ok(Err("Only a paid order's GitHub account can be invited."));
    };
    let cx = load(deps, order.id).await?;
    if cx.kind != DeliveryKind::GithubInvite {
        return Ok(Err("This product is not delivered through GitHub."));
    }
    let order_id = order.id;
    let active = deps.db.run(move |c| deliveries::status(c, order_id)).await.map_err(anyhow::Error::new)?;
    if active.is_none_or(|(s, _)| s != "delivered") {
        return Ok(Err("The delivery is not active (withdrawn or failed): restore or retry it first."));
    }
    // A round of checks of its own, apart from the automatic one.
    let round = (db::now() % 1_000_000_000) as u32;
    if !github_invite::invite_again(deps, &cx, round).await? {
        return Ok(Err("There is no GitHub invitation on record for this order."));
    }
    deps.db
        .run(move |c| audit::record(c, Some(staff_id), "order.github_reinvited", &public_id, ""))
        .await
        .map_err(anyhow::Error::new)?;
    Ok(Ok(()))
}
