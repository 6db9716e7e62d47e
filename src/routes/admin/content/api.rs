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
    let page = state()?.db.read(move |c| content::page_for_staff(c, kind, &q, at)).await?;
    Ok(EntryList { rows: page.rows, now: crate::server::db::now(), newer: page.newer, older: page.older })
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
        Err(content::SaveError::SlugTaken) => {
            return Err(AppError::validation(format!(
                "Another {} already uses that slug. Choose a different one.",
                kind.label().to_lowercase()
            )))
        }
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
    guard::require_role(Some(Role::Staff)).await?;
    if markdown.len() > 200_000 {
        return Err(AppError::validation("The text is too long to preview (at most 200,000 characters)."));
    }
    tokio::task::spawn_blocking(move || markdown::render(&markdown)).await.map_err(|_| AppError::Internal)
}
