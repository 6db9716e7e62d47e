//! Delivery of what was paid for, run as jobs (`deliver_order`, `revoke_order`).
//! Handlers are idempotent: running one twice delivers once.

use super::db::{catalog, orders, DbError};
use super::jobs::JobError;
use super::payments::OrderJob;
use super::AppState;
use crate::domain::catalog::{DeliveryKind, OrderStatus};

async fn load(state: &AppState, order_id: i64) -> Result<(orders::OrderRow, DeliveryKind), JobError> {
    let found = state
        .db
        .run(move |c| -> Result<_, DbError> {
            let Some(order) = orders::by_id(c, order_id)? else { return Ok(None) };
            let product = catalog::by_id(c, order.product_id)?;
            Ok(product.map(|p| (order, p.delivery_kind)))
        })
        .await
        .map_err(anyhow::Error::new)?;
    found.ok_or_else(|| JobError::Permanent(anyhow::anyhow!("order {order_id} or its product no longer exists")))
}

pub async fn deliver(state: &AppState, job: OrderJob) -> Result<(), JobError> {
    let (order, kind) = load(state, job.order_id).await?;
    if order.status != OrderStatus::Paid {
        tracing::info!(order = %order.public_id, status = %order.status, "order is not paid (any more): nothing to deliver");
        return Ok(());
    }
    match kind {
        // A paid order is what unlocks web access in the dashboard: nothing else to do.
        DeliveryKind::WebAccess => Ok(()),
        other => Err(JobError::Permanent(anyhow::anyhow!(
            "automatic delivery by {} is not available in this version; deliver order {} by hand, then retry this job",
            other.label(),
            order.public_id
        ))),
    }
}

pub async fn revoke(state: &AppState, job: OrderJob) -> Result<(), JobError> {
    let (order, kind) = load(state, job.order_id).await?;
    match kind {
        // A refunded order no longer unlocks anything.
        DeliveryKind::WebAccess => Ok(()),
        other => Err(JobError::Permanent(anyhow::anyhow!(
            "automatic revocation for {} is not available in this version; revoke order {} by hand",
            other.label(),
            order.public_id
        ))),
    }
}
