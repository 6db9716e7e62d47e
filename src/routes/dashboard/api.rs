//! Server functions of the member dashboard. Every query is scoped to the caller.

use crate::domain::catalog::OrderView;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{auth::guard, db::orders, state};

#[server(prefix = "/api", endpoint = "dashboard/orders")]
pub async fn my_orders() -> Result<Vec<OrderView>, AppError> {
    let state = state()?;
    let me = guard::require_viewer().await?;
    Ok(state.db.run(move |c| orders::list_for_user(c, me.id)).await?)
}

/// One of the caller's orders; anybody else's is "not found", never "forbidden".
#[server(prefix = "/api", endpoint = "dashboard/order")]
pub async fn my_order(public_id: String) -> Result<OrderView, AppError> {
    let state = state()?;
    let me = guard::require_viewer().await?;
    state.db.run(move |c| orders::view_for_user(c, me.id, &public_id)).await?.ok_or(AppError::NotFound)
}

/// Everything the caller owns, with license keys and delivery state.
#[server(prefix = "/api", endpoint = "dashboard/downloads")]
pub async fn my_downloads() -> Result<Vec<crate::domain::catalog::OwnedItem>, AppError> {
    let state = state()?;
    let me = guard::require_viewer().await?;
    Ok(state.db.run(move |c| crate::server::db::deliveries::owned_by(c, me.id)).await?)
}
