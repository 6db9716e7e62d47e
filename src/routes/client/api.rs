//! Server functions of the client portal area; each checks the caller's role
//! and answers only about the caller's own client.

use crate::domain::clients::Client;
use crate::domain::projects::Project;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{auth::guard, db::clients, state},
};

/// The caller's client and its people.
#[server(prefix = "/api", endpoint = "client/overview")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn client_overview() -> Result<Option<Client>, AppError> {
    let me = guard::require_role(Some(Role::Client)).await?;
    Ok(state()?
        .db
        .read(move |c| -> Result<Option<Client>, crate::server::db::DbError> {
            match clients::client_of(c, me.id)? {
                Some(id) => clients::by_id(c, id),
                None => Ok(None),
            }
        })
        .await?)
}

/// The caller's client's projects, newest first.
#[server(prefix = "/api", endpoint = "client/projects")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn client_projects() -> Result<Vec<Project>, AppError> {
    let me = guard::require_role(Some(Role::Client)).await?;
    Ok(state()?
        .db
        .read(move |c| -> Result<Vec<Project>, crate::server::db::DbError> {
            match clients::client_of(c, me.id)? {
                Some(id) => crate::server::db::projects::list(c, Some(id)),
                None => Ok(Vec::new()),
            }
        })
        .await?)
}

/// One of the caller's client's projects; any other is "not found", whatever its id.
#[server(prefix = "/api", endpoint = "client/project")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn client_project(id: i64) -> Result<Project, AppError> {
    let me = guard::require_role(Some(Role::Client)).await?;
    state()?
        .db
        .read(move |c| -> Result<Option<Project>, crate::server::db::DbError> {
            match clients::client_of(c, me.id)? {
                Some(client) => crate::server::db::projects::for_client(c, client, id),
                None => Ok(None),
            }
        })
        .await?
        .ok_or(AppError::NotFound)
}
