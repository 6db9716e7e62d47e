//! Server functions of the client portal area; each checks the caller's role
//! and answers only about the caller's own client.

use crate::domain::clients::Client;
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
