//! Server functions: the home page's content. Every one starts by requiring staff.

use crate::domain::home::HomeForm;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{domain::Role, server::state};

/// What the editor opens on: the form, and whether it is the page's version in the
/// site's other language (and whether that version exists yet).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HomeEditor {
    pub form: HomeForm,
    pub translation: bool,
    pub exists: bool,
}

/// The home page's form as stored (or the default page); with `lang`, its version in
/// the site's other language (a new one starts from the page as written).
#[server(prefix = "/api", endpoint = "admin/home")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_home(#[server(default)] lang: String) -> Result<HomeEditor, AppError> {
    use crate::domain::home::Home;
    guard::require_role(Some(Role::Staff)).await?;
    let version = crate::routes::admin::version_named(&lang).await?;
    let (home, exists) = state()?
        .db
        .read(move |c| -> Result<(Home, bool), crate::server::db::DbError> {
            let own = crate::server::studio::home::load(c)?;
            Ok(match version {
                None => (own, true),
                Some(lang) => match crate::server::studio::home::load_version(c, lang)? {
                    Some(written) => (written, true),
                    // A page never edited is Atelier's, which ships in both languages.
                    None if own == Home::default() => (Home::default_in(lang), false),
                    None => (own, false),
                },
            })
        })
        .await?;
    Ok(HomeEditor { form: HomeForm::from_home(&home), translation: version.is_some(), exists })
}

/// Saves the home page, or its version in the site's other language (`lang`), audited;
/// visitors see it on their next request.
#[server(prefix = "/api", endpoint = "admin/save_home")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn save_home(form: HomeForm, #[server(default)] lang: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let version = crate::routes::admin::version_named(&lang).await?;
    let state = state()?;
    let home = crate::domain::home::Home::parse(&form)?;
    let now = state.clock.now();
    state.db.run(move |c| crate::server::studio::home::save(c, staff.id, version, &home, now)).await??;
    state.cache.invalidate();
    match version {
        Some(lang) => leptos_axum::redirect(&format!("/admin/home?lang={lang}&saved=1")),
        None => leptos_axum::redirect("/admin/home?saved=1"),
    }
    Ok(())
}

/// Deletes the home page's version in the site's other language: visitors reading it
/// see the page as written again.
#[server(prefix = "/api", endpoint = "admin/delete_home_version")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn delete_home_version(lang: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let version = crate::routes::admin::other_version_named(&lang).await?;
    let state = state()?;
    if !state.db.run(move |c| crate::server::studio::home::delete_version(c, staff.id, version)).await? {
        return Err(AppError::NotFound);
    }
    state.cache.invalidate();
    leptos_axum::redirect("/admin/home?deleted=1");
    Ok(())
}

/// Keeps the form unsaved and opens the home page as it would look (`/?preview=home`,
/// for this staff member only, at the address of the version it is: `/en/?preview=home`).
/// Nothing visitors see changes; nothing is audited.
#[server(prefix = "/api", endpoint = "admin/preview_home")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn preview_home(form: HomeForm, #[server(default)] lang: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let version = crate::routes::admin::version_named(&lang).await?;
    let state = state()?;
    let home = crate::domain::home::Home::parse(&form)?;
    let now = state.clock.now();
    state.db.run(move |c| crate::server::studio::home::keep_preview(c, staff.id, &home, now)).await??;
    let site = state.site_languages().await?;
    leptos_axum::redirect(&site.address(version.unwrap_or(site.default), crate::domain::home::PREVIEW_PATH));
    Ok(())
}
