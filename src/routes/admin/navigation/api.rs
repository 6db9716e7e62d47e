//! Server functions: the site's menus. Every one starts by requiring staff.

use crate::domain::navigation::NavigationForm;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{domain::Role, server::state};

/// The menus' form as stored (or the default menus).
#[server(prefix = "/api", endpoint = "admin/navigation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_navigation() -> Result<NavigationForm, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let navigation = state()?.db.read(crate::server::studio::navigation::load).await?;
    Ok(NavigationForm::from_navigation(&navigation))
}

/// Saves the menus (audited); every page shows them on its next request.
#[server(prefix = "/api", endpoint = "admin/save_navigation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn save_navigation(form: NavigationForm) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let navigation = crate::domain::navigation::Navigation::parse(&form)?;
    let now = state.clock.now();
    state.db.run(move |c| crate::server::studio::navigation::save(c, staff.id, &navigation, now)).await??;
    state.cache.invalidate();
    leptos_axum::redirect("/admin/navigation?saved=1");
    Ok(())
}
