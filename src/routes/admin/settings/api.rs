//! Server functions: the studio's settings. Every one starts by requiring staff.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{domain::Role, server::state};

/// The settings form as stored (or the environment's defaults) and the gateways configured.
#[server(prefix = "/api", endpoint = "admin/settings")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_settings() -> Result<super::super::SettingsData, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let settings = state.studio_settings().await?;
    Ok(super::super::SettingsData {
        form: crate::domain::settings::SettingsForm::from_settings(&settings),
        configured: state.gateways.enabled(),
        logo: settings.identity().logo_href(),
    })
}

/// Saves the settings (audited with what changed); pages show them at once.
#[server(prefix = "/api", endpoint = "admin/save_settings")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn save_settings(form: crate::domain::settings::SettingsForm) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let settings = crate::domain::settings::StudioSettings::parse(&form, &state.gateways.enabled())?;
    let config = state.config.clone();
    state.db.run(move |c| crate::server::studio::settings::save(c, &config, staff.id, &settings)).await?;
    state.cache.invalidate();
    // Read back at once: mail names the studio by the name just saved.
    state.studio_settings().await?;
    leptos_axum::redirect("/admin/settings?saved=1");
    Ok(())
}
