//! Server functions: the CMS: posts, pages, case studies, tools, demos and resources. Every one starts by requiring staff.

use crate::domain::content::{EntryForm, EntryRow};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::content::{EntryInput, EntryKind},
    domain::Role,
    server::{
        db::{content, DbError},
        markdown, state,
    },
};

/// An admin list with the server's clock, so "scheduled" is judged by the server's time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EntryList {
    pub rows: Vec<EntryRow>,
    pub now: i64,
    /// The neighbouring pages (`after=` / `before=`), if any.
    pub newer: Option<String>,
    pub older: Option<String>,
    /// The language of the entries' other versions (the one the studio does not write in).
    pub other: crate::domain::Lang,
}

/// An entry's version in the site's other language, for its editor.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VersionEditor {
    /// The language of the version, and of the entry itself.
    pub lang: crate::domain::Lang,
    pub main_lang: crate::domain::Lang,
    pub main_title: String,
    /// A fixed page's version keeps the page's address.
    pub fixed_slug: Option<String>,
    /// The version's words (empty with status "draft" until it has one).
    pub form: EntryForm,
    pub exists: bool,
}

#[cfg(feature = "ssr")]
fn entry_kind(raw: &str) -> Result<EntryKind, AppError> {
    EntryKind::parse(raw).ok_or(AppError::NotFound)
}

#[server(prefix = "/api", endpoint = "admin/entries")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(kind = ?kind), err(level = "info")))]
pub async fn admin_entries(
    kind: String,
    /// Part of the title.
    #[server(default)]
    q: String,
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<EntryList, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let kind = entry_kind(&kind)?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    let q: String = q.chars().take(200).collect();
    let state = state()?;
    let other = state.site_languages().await?.other();
    let page = state.db.read(move |c| content::page_for_staff(c, kind, other, &q, at)).await?;
    Ok(EntryList { rows: page.rows, now: crate::server::db::now(), newer: page.newer, older: page.older, other })
}

/// The editor's form with an entry's current values (an empty draft for `None`).
#[server(prefix = "/api", endpoint = "admin/entry_form")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(kind = ?kind, id = ?id), err(level = "info")))]
pub async fn admin_entry_form(kind: String, id: Option<i64>) -> Result<EntryForm, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let kind = entry_kind(&kind)?;
    let Some(id) = id else { return Ok(EntryForm { status: "draft".into(), ..EntryForm::default() }) };
    match state()?.db.run(move |c| content::form(c, id)).await? {
        Some((found, form)) if found == kind => Ok(form),
        _ => Err(AppError::NotFound),
    }
}

/// Creates (`id` empty) or updates an entry. Markdown is rendered to safe HTML here, once.
#[server(prefix = "/api", endpoint = "admin/save_entry")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(kind = ?kind, id = ?id), err(level = "info")))]
pub async fn save_entry(kind: String, #[server(default)] id: Option<i64>, form: EntryForm) -> Result<i64, AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let kind = entry_kind(&kind)?;
    let input = EntryInput::parse(kind, &form)?;
    let state = state()?;
    let (actor, md) = (staff.id, input.body_md.clone());
    let html = tokio::task::spawn_blocking(move || markdown::render(&md)).await.map_err(|_| AppError::Internal)?;
    let saved = state.db.run(move |c| Ok::<_, DbError>(content::save(c, id, &input, &html, Some(actor)))).await?;
    let entry_id = match saved {
        Ok(id) => id,
        Err(content::SaveError::SlugTaken) => return Err(slug_taken(kind)),
        Err(content::SaveError::FixedPage) => {
            return Err(AppError::validation("This page's address is fixed: the site links to it. Keep its slug."))
        }
        Err(content::SaveError::NotFound) => return Err(AppError::NotFound),
        Err(content::SaveError::Db(e)) => return Err(e.into()),
    };
    state.cache.invalidate();
    tracing::info!(staff = staff.id, entry = entry_id, kind = %kind, "content saved");
    leptos_axum::redirect(&format!("{}/{entry_id}?saved=1", kind.admin_path()));
    Ok(entry_id)
}

/// The editor of an entry's version in the site's other language.
#[server(prefix = "/api", endpoint = "admin/entry_version_form")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(kind = ?kind, id = ?id), err(level = "info")))]
pub async fn admin_entry_version_form(kind: String, id: i64) -> Result<VersionEditor, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let kind = entry_kind(&kind)?;
    let state = state()?;
    let site = state.site_languages().await?;
    let lang = site.other();
    match state.db.run(move |c| content::version_form(c, id, lang)).await? {
        Some(found) if found.kind == kind => {
            let fixed =
                kind == EntryKind::Page && crate::domain::content::FIXED_PAGES.contains(&found.main_slug.as_str());
            Ok(VersionEditor {
                lang,
                main_lang: site.default,
                main_title: found.main_title,
                fixed_slug: fixed.then_some(found.main_slug),
                exists: found.form.is_some(),
                form: found.form.unwrap_or_else(|| EntryForm { status: "draft".into(), ..EntryForm::default() }),
            })
        }
        _ => Err(AppError::NotFound),
    }
}

/// Makes or replaces an entry's version in the site's other language.
#[server(prefix = "/api", endpoint = "admin/save_entry_version")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(kind = ?kind, id = ?id), err(level = "info")))]
pub async fn save_entry_version(kind: String, id: i64, form: EntryForm) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let kind = entry_kind(&kind)?;
    let input = crate::domain::content::VersionInput::parse(&form)?;
    let state = state()?;
    let lang = state.site_languages().await?.other();
    let (actor, md) = (staff.id, input.body_md.clone());
    let html = tokio::task::spawn_blocking(move || markdown::render(&md)).await.map_err(|_| AppError::Internal)?;
    let saved = state
        .db
        .run(move |c| Ok::<_, DbError>(content::save_version(c, (id, kind), lang, &input, &html, Some(actor))))
        .await?;
    match saved {
        Ok(()) => {}
        Err(content::SaveError::SlugTaken) => return Err(slug_taken(kind)),
        Err(content::SaveError::NotFound | content::SaveError::FixedPage) => return Err(AppError::NotFound),
        Err(content::SaveError::Db(e)) => return Err(e.into()),
    }
    state.cache.invalidate();
    tracing::info!(staff = staff.id, entry = id, kind = %kind, lang = %lang, "content version saved");
    leptos_axum::redirect(&format!("{}/{id}?lang={lang}&saved=1", kind.admin_path()));
    Ok(())
}

/// Deletes an entry's version in the site's other language: the entry is shown as
/// written there again.
#[server(prefix = "/api", endpoint = "admin/delete_entry_version")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id = ?id), err(level = "info")))]
pub async fn delete_entry_version(id: i64) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let lang = state.site_languages().await?.other();
    let actor = staff.id;
    let kind = match state.db.run(move |c| Ok::<_, DbError>(content::delete_version(c, id, lang, actor))).await? {
        Ok(kind) => kind,
        Err(content::DeleteError::NotFound | content::DeleteError::FixedPage) => return Err(AppError::NotFound),
        Err(content::DeleteError::Db(e)) => return Err(e.into()),
    };
    state.cache.invalidate();
    tracing::info!(staff = staff.id, entry = id, lang = %lang, "content version deleted");
    leptos_axum::redirect(&format!("{}/{id}?lang={lang}&deleted=1", kind.admin_path()));
    Ok(())
}

/// "Another blog post already uses that slug."
#[cfg(feature = "ssr")]
fn slug_taken(kind: EntryKind) -> AppError {
    AppError::validation(format!(
        "Another {} already uses that slug (in either language). Choose a different one.",
        kind.label().to_lowercase()
    ))
}

#[server(prefix = "/api", endpoint = "admin/delete_entry")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id = ?id), err(level = "info")))]
pub async fn delete_entry(id: i64) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let actor = staff.id;
    let kind = match state.db.run(move |c| Ok::<_, DbError>(content::delete(c, id, actor))).await? {
        Ok(kind) => kind,
        Err(content::DeleteError::NotFound) => return Err(AppError::NotFound),
        Err(content::DeleteError::FixedPage) => {
            return Err(AppError::validation("This page is part of the site and cannot be deleted; edit it instead."))
        }
        Err(content::DeleteError::Db(e)) => return Err(e.into()),
    };
    state.cache.invalidate();
    tracing::info!(staff = staff.id, entry = id, "content deleted");
    leptos_axum::redirect(&format!("{}?deleted=1", kind.admin_path()));
    Ok(())
}

/// The editor's live preview: Markdown rendered and sanitised exactly as it will be published.
#[server(prefix = "/api", endpoint = "admin/preview_markdown")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn preview_markdown(markdown: String) -> Result<crate::domain::html::TrustedHtml, AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    if markdown.len() > 200_000 {
        // Shown by the editor in the browser, which holds no catalog: said in the staff member's language here.
        let why = "The text is too long to preview (at most 200,000 characters).";
        return Err(AppError::validation(crate::server::i18n::in_language(staff.lang, why)));
    }
    tokio::task::spawn_blocking(move || markdown::render(&markdown)).await.map_err(|_| AppError::Internal)
}
