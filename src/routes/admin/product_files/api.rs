//! Server functions: product files and their versions. Every one starts by requiring staff.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{
        db::{audit, catalog, DbError},
        state,
    },
};

/// A product's files with every version, and the largest upload allowed.
#[server(prefix = "/api", endpoint = "admin/product_files")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(product_id), err(level = "info")))]
pub async fn admin_product_files(product_id: i64) -> Result<crate::domain::product_files::ProductFiles, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let (product, files) = state
        .db
        .read(move |c| -> Result<_, DbError> {
            Ok((catalog::by_id(c, product_id)?, crate::server::db::product_files::for_product(c, product_id)?))
        })
        .await?;
    let product = product.ok_or(AppError::NotFound)?;
    Ok(crate::domain::product_files::ProductFiles {
        for_downloads: product.delivery_kind == crate::domain::delivery::DeliveryKind::EmailFile,
        files,
        max_mb: state.config.product_file_max_mb,
    })
}

/// Mails every buyer (and subscriber) a fresh link to a file's current version and
/// its changelog, through the job queue; a second press mails nobody twice.
#[server(prefix = "/api", endpoint = "admin/send_product_update")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(product_id, version_id), err(level = "info")))]
pub async fn send_product_update(product_id: i64, version_id: i64) -> Result<(), AppError> {
    use crate::server::studio::product_files::{send_update, SendRefusal};
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    match send_update(&state.db, staff.id, product_id, version_id).await? {
        Ok(started) => {
            tracing::info!(staff = staff.id, product_id, version_id, started, "product update sent");
            leptos_axum::redirect(&format!("/admin/products/{product_id}?update_sent=1#files"));
            Ok(())
        }
        Err(SendRefusal::NotFound) => Err(AppError::NotFound),
        Err(SendRefusal::NotCurrent) => Err(AppError::validation(
            "Only a file's current version can be sent to buyers: a newer version was uploaded since.",
        )),
    }
}

/// Deletes an old version of a product file (its stored bytes too); the current
/// version cannot be deleted.
#[server(prefix = "/api", endpoint = "admin/delete_file_version")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(product_id, version_id), err(level = "info")))]
pub async fn delete_file_version(product_id: i64, version_id: i64) -> Result<(), AppError> {
    use crate::server::db::product_files::{self, DeleteRefusal};
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let actor = staff.id;
    let deleted = state
        .db
        .run(move |c| -> Result<_, DbError> {
            let tx = c.transaction()?;
            let deleted = product_files::delete_old_version(&tx, product_id, version_id)?;
            if let Ok(v) = &deleted {
                let what = format!("{}: version {} ({})", v.label, v.version, v.original_name);
                audit::record(
                    &tx,
                    Some(actor),
                    "product_file.version_deleted",
                    &format!("product:{product_id}"),
                    &what,
                )?;
                tx.commit()?;
            }
            Ok(deleted)
        })
        .await?;
    match deleted {
        Ok(v) => {
            crate::server::studio::product_files::remove_stored(&state.db, &state.config.storage_dir, v.storage_path)
                .await;
            leptos_axum::redirect(&format!("/admin/products/{product_id}#files"));
            Ok(())
        }
        Err(DeleteRefusal::NotFound) => Err(AppError::NotFound),
        Err(DeleteRefusal::Current) => Err(AppError::validation(
            "The current version is what download links serve and cannot be deleted: upload a newer one first.",
        )),
    }
}
