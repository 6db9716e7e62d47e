//! Server functions: uploaded images. Every one starts by requiring staff.

use crate::domain::uploads::Upload;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{db::uploads, state},
};

#[server(prefix = "/api", endpoint = "admin/uploads")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_uploads() -> Result<Vec<Upload>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    Ok(state()?.db.run(|c| uploads::recent(c, 60)).await?)
}
