//! Manual deliveries: a task for the studio, done by hand and marked delivered
//! from `/admin/orders/{id}`.

use super::Context;
use super::Deps;
use crate::server::db::{deliveries, orders, users, DbError};
use crate::server::jobs::{self, JobError};
use crate::server::mail::{self, templates};
use rusqlite::TransactionBehavior;

/// Records the delivery as being prepared and mails the studio the task.
pub(super) async fn deliver(deps: &Deps<'_>, cx: Context) -> Result<(), JobError> {
    let config = deps.config.clone();
    deps.db
        .run(move |c| -> Result<(), DbError> {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if deliveries::status(&tx, cx.order.id)?.is_none() {
                deliveries::upsert(&tx, cx.order.id, "manual", "pending", "Being prepared by the studio")?;
            }
            let lang = crate::server::studio::settings::staff_language(&tx, &config, &config.admin_notify_email)?;
            let message = templates::manual_task(&config, lang, &cx.order, &cx.buyer_email);
            jobs::enqueue(&tx, jobs::JobKind::SendEmail, &message, Some(&format!("manual-task:{}", cx.order.id)))?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok(())
}

/// Staff post a step of a service still being prepared (in progress, with a note);
/// the member is mailed the note. False when the order has no delivery being prepared.
pub fn post_service_update(
    conn: &mut rusqlite::Connection,
    config: &crate::server::config::Config,
    public_id: &str,
    note: &str,
    staff: i64,
) -> Result<bool, DbError> {
    use crate::domain::delivery::ServiceStage;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(order) = orders::by_public_id(&tx, public_id)? else { return Ok(false) };
    match deliveries::status(&tx, order.id)? {
        Some((status, _)) if status == "pending" => {}
        _ => return Ok(false),
    }
    deliveries::add_service_update(&tx, order.id, ServiceStage::InProgress, note, Some(staff))?;
    deliveries::upsert(&tx, order.id, "manual", "pending", "In progress")?;
    let (email, name, lang) = users::recipient(&tx, order.user_id)?;
    let update = templates::service_update(config, lang, &email, &name, &order.product_name, note, &order.public_id);
    mail::enqueue(&tx, &update)?;
    tx.commit()?;
    Ok(true)
}

/// Staff mark a manual delivery done; the member is mailed their message.
pub fn mark_manual_delivered(
    conn: &mut rusqlite::Connection,
    config: &crate::server::config::Config,
    public_id: &str,
    message: &str,
    staff: Option<i64>,
) -> Result<bool, DbError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(order) = orders::by_public_id(&tx, public_id)? else { return Ok(false) };
    match deliveries::status(&tx, order.id)? {
        Some((status, _)) if status == "pending" => {}
        _ => return Ok(false),
    }
    deliveries::upsert(&tx, order.id, "manual", "delivered", message)?;
    deliveries::add_service_update(&tx, order.id, crate::domain::delivery::ServiceStage::Delivered, message, staff)?;
    let (email, name, lang) = users::recipient(&tx, order.user_id)?;
    let mail = templates::manual_delivered(config, lang, &email, &name, &order.product_name, message, &order.public_id);
    mail::enqueue(&tx, &mail)?;
    tx.commit()?;
    Ok(true)
}
