//! Server functions: the home page's content. Every one starts by requiring staff.

use crate::domain::home::HomeForm;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{domain::Role, server::state};

/// The home page's form as stored (or the default page).
#[server(prefix = "/api", endpoint = "admin/home")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_home() -> Result<HomeForm, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let home = state()?.db.read(crate::server::studio::home::load).await?;
    Ok(HomeForm::from_home(&home))
}

/// Saves the home page (audited); visitors see it on their next request.
#[server(prefix = "/api", endpoint = "admin/save_home")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn save_home(form: HomeForm) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let home = crate::domain::home::Home::parse(&form)?;
    let now = state.clock.now();
    state.db.run(move |c| crate::server::studio::home::save(c, staff.id, &home, now)).await??;
    state.cache.invalidate();
    leptos_axum::redirect("/admin/home?saved=1");
    Ok(())
}

/// Keeps the form unsaved and opens the home page as it would look (`/?preview=home`,
/// for this staff member only). Nothing visitors see changes; nothing is audited.
#[server(prefix = "/api", endpoint = "admin/preview_home")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn preview_home(form: HomeForm) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let home = crate::domain::home::Home::parse(&form)?;
    let now = state.clock.now();
    state.db.run(move |c| crate::server::studio::home::keep_preview(c, staff.id, &home, now)).await??;
    leptos_axum::redirect(crate::domain::home::PREVIEW_PATH);
    Ok(())
}
