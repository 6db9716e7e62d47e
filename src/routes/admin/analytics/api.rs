//! Server functions: analytics. Every one starts by requiring staff.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{domain::Role, server::state};

/// The studio's figures for a date range (`YYYY-MM-DD`, inclusive; the last 30 days by default), by day, week or month.
#[server(prefix = "/api", endpoint = "admin/analytics")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_analytics(
    #[server(default)] from: String,
    #[server(default)] until: String,
    #[server(default)] by: String,
) -> Result<crate::domain::analytics::Analytics, AppError> {
    use crate::server::studio::analytics::{analytics, RangeQuery, Rows};
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    analytics(&state.page_views, &state.db, state.clock.now(), RangeQuery { from, until, by }, Rows::Shown)
        .await?
        .map_err(AppError::validation)
}
