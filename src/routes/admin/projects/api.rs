//! Server functions: client projects and milestones. Every one starts by requiring staff.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{
        db::{audit, DbError},
        markdown, state,
    },
};

/// A page of the projects (a new one starts from its client's page).
#[server(prefix = "/api", endpoint = "admin/projects")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_projects(
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<crate::domain::projects::ProjectList, AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    Ok(state()?.db.read(move |c| crate::server::db::projects::page_for_staff(c, staff.id, at)).await?)
}

/// One project with its milestones.
#[server(prefix = "/api", endpoint = "admin/project")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn admin_project(id: i64) -> Result<crate::domain::projects::Project, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    state()?.db.read(move |c| crate::server::db::projects::by_id(c, id)).await?.ok_or(AppError::NotFound)
}

/// Creates (no `id`) or updates a project; the description is rendered and sanitised here; audited.
#[server(prefix = "/api", endpoint = "admin/save_project")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id = ?id), err(level = "info")))]
pub async fn save_project(
    #[server(default)] id: Option<i64>,
    client_id: i64,
    name: String,
    #[server(default)] description_md: String,
    status: String,
    #[server(default)] starts_on: String,
    #[server(default)] ends_on: String,
) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let input =
        crate::domain::projects::ProjectInput::parse(client_id, &name, &description_md, &status, &starts_on, &ends_on)?;
    let md = input.description_md.clone();
    let html = tokio::task::spawn_blocking(move || markdown::render(&md)).await.map_err(|_| AppError::Internal)?;
    let saved = state()?
        .db
        .run(move |c| -> Result<Result<i64, AppError>, DbError> {
            let tx = c.transaction()?;
            if crate::server::db::clients::by_id(&tx, input.client_id)?.is_none() {
                return Ok(Err(AppError::validation("Choose a client from the list.")));
            }
            let Some(saved) = crate::server::db::projects::save(&tx, id, &input, &html)? else {
                return Ok(Err(AppError::NotFound));
            };
            let action = if id.is_some() { "project.updated" } else { "project.created" };
            audit::record(&tx, Some(staff.id), action, &format!("project:{saved}"), &input.name)?;
            tx.commit()?;
            Ok(Ok(saved))
        })
        .await??;
    leptos_axum::redirect(&format!("/admin/projects/{saved}?saved=1"));
    Ok(())
}

/// Adds a milestone to a project.
#[server(prefix = "/api", endpoint = "admin/add_milestone")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(project_id), err(level = "info")))]
pub async fn add_milestone(
    project_id: i64,
    title: String,
    #[server(default)] due_on: String,
    #[server(default)] amount: String,
) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let input = crate::domain::projects::MilestoneInput::parse(&title, &due_on, &amount)?;
    state()?
        .db
        .run(move |c| -> Result<Result<(), AppError>, DbError> {
            let tx = c.transaction()?;
            if crate::server::db::projects::by_id(&tx, project_id)?.is_none() {
                return Ok(Err(AppError::NotFound));
            }
            crate::server::db::projects::add_milestone(&tx, project_id, &input)?;
            audit::record(
                &tx,
                Some(staff.id),
                "project.milestone_added",
                &format!("project:{project_id}"),
                &input.title,
            )?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .await??;
    leptos_axum::redirect(&format!("/admin/projects/{project_id}?saved=1"));
    Ok(())
}

/// Moves a milestone to planned, in progress or done.
#[server(prefix = "/api", endpoint = "admin/set_milestone_status")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(project_id, id), err(level = "info")))]
pub async fn set_milestone_status(project_id: i64, id: i64, status: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let status = crate::domain::projects::MilestoneStatus::parse(&status)
        .ok_or_else(|| AppError::validation("Choose planned, in progress or done."))?;
    let moved = state()?
        .db
        .run(move |c| -> Result<bool, DbError> {
            let tx = c.transaction()?;
            if !crate::server::db::projects::set_milestone_status(&tx, project_id, id, status)? {
                return Ok(false);
            }
            audit::record(
                &tx,
                Some(staff.id),
                "project.milestone_status",
                &format!("milestone:{id}"),
                status.as_str(),
            )?;
            tx.commit()?;
            Ok(true)
        })
        .await?;
    if !moved {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect(&format!("/admin/projects/{project_id}?saved=1"));
    Ok(())
}
