//! Server functions: the site's menus. Every one starts by requiring staff.

use crate::domain::navigation::NavigationForm;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{domain::Role, server::state};

/// What the menus' editor opens on: the form, and whether it is their version in the
/// site's other language (and whether that version exists yet).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NavigationEditor {
    pub form: NavigationForm,
    pub translation: bool,
    pub exists: bool,
}

/// The menus' form as stored (or the default menus); with `lang`, their version in the
/// site's other language (a new one starts from the menus as written).
#[server(prefix = "/api", endpoint = "admin/navigation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_navigation(#[server(default)] lang: String) -> Result<NavigationEditor, AppError> {
    use crate::server::studio::navigation;
    guard::require_role(Some(Role::Staff)).await?;
    let version = crate::routes::admin::version_named(&lang).await?;
    let (menus, exists) = state()?
        .db
        .read(move |c| -> Result<_, crate::server::db::DbError> {
            Ok(match version {
                None => (navigation::load(c)?, true),
                Some(lang) => match navigation::load_version(c, lang)? {
                    Some(written) => (written, true),
                    // A new version starts from the menus as written, the links that still
                    // read as Atelier ships them already in the version's language.
                    None => {
                        let mut menus = navigation::load(c)?;
                        for link in menus.header.iter_mut().chain(menus.footer.iter_mut()) {
                            if let Some(key) = crate::domain::navigation::default_label_key(&link.label, &link.href) {
                                link.label = crate::server::i18n::t(lang, key, &[]);
                            }
                        }
                        (menus, false)
                    }
                },
            })
        })
        .await?;
    Ok(NavigationEditor { form: NavigationForm::from_navigation(&menus), translation: version.is_some(), exists })
}

/// Saves the menus, or their version in the site's other language (`lang`), audited;
/// every page shows them on its next request.
#[server(prefix = "/api", endpoint = "admin/save_navigation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn save_navigation(form: NavigationForm, #[server(default)] lang: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let version = crate::routes::admin::version_named(&lang).await?;
    let state = state()?;
    let navigation = crate::domain::navigation::Navigation::parse(&form)?;
    let now = state.clock.now();
    state.db.run(move |c| crate::server::studio::navigation::save(c, staff.id, version, &navigation, now)).await??;
    state.cache.invalidate();
    match version {
        Some(lang) => leptos_axum::redirect(&format!("/admin/navigation?lang={lang}&saved=1")),
        None => leptos_axum::redirect("/admin/navigation?saved=1"),
    }
    Ok(())
}

/// Deletes the menus' version in the site's other language: its pages show the menus
/// as written again.
#[server(prefix = "/api", endpoint = "admin/delete_navigation_version")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn delete_navigation_version(lang: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let version = crate::routes::admin::other_version_named(&lang).await?;
    let state = state()?;
    if !state.db.run(move |c| crate::server::studio::navigation::delete_version(c, staff.id, version)).await? {
        return Err(AppError::NotFound);
    }
    state.cache.invalidate();
    leptos_axum::redirect("/admin/navigation?deleted=1");
    Ok(())
}
