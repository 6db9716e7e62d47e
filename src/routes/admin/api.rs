//! Server functions of the admin area. Every one starts by requiring staff.

use crate::domain::catalog::{OrderView, Product, ProductForm};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::catalog::{DeliveryConfig, Gateway, OrderStatus, ProductInput},
    domain::Role,
    server::{auth::guard, db::catalog, db::orders, markdown, state},
};

#[server(prefix = "/api", endpoint = "admin/products")]
pub async fn admin_products() -> Result<Vec<Product>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    Ok(state()?.db.run(|c| catalog::all(c)).await?)
}

/// The product form filled with a product's current values (an empty form for `None`).
#[server(prefix = "/api", endpoint = "admin/product_form")]
pub async fn admin_product_form(id: Option<i64>) -> Result<ProductForm, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let Some(id) = id else {
        return Ok(ProductForm {
            kind: "digital".into(),
            status: "draft".into(),
            billing: "one_time".into(),
            delivery_kind: "web_access".into(),
            ..ProductForm::default()
        });
    };
    let found = state()?
        .db
        .run(move |c| -> Result<_, crate::server::db::DbError> {
            let Some(p) = catalog::by_id(c, id)? else { return Ok(None) };
            let (md, config): (String, DeliveryConfig) = catalog::delivery_config(c, id)?;
            Ok(Some((p, md, config)))
        })
        .await?;
    let (p, md, config) = found.ok_or(AppError::NotFound)?;
    let num = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    Ok(ProductForm {
        slug: p.slug,
        kind: p.kind.as_str().into(),
        name: p.name,
        summary: p.summary,
        description_md: md,
        status: p.status.as_str().into(),
        billing: p.billing.as_str().into(),
        price_idr: p.price_idr.to_string(),
        price_usd: p.price_usd_cents.map(|c| format!("{}.{:02}", c / 100, c % 100)).unwrap_or_default(),
        delivery_kind: p.delivery_kind.as_str().into(),
        delivery_file: config.file.unwrap_or_default(),
        delivery_max_downloads: num(config.max_downloads),
        delivery_repo: config.repo.unwrap_or_default(),
        delivery_activation_limit: num(config.activation_limit),
        delivery_validity_days: num(config.validity_days),
    })
}

/// Creates (`id` empty) or updates a product. The description is rendered to safe HTML here, once.
#[server(prefix = "/api", endpoint = "admin/save_product")]
pub async fn save_product(#[server(default)] id: Option<i64>, form: ProductForm) -> Result<i64, AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let input = ProductInput::parse(&form)?;
    let html = markdown::render(&input.description_md);
    let saved =
        state()?.db.run(move |c| Ok::<_, crate::server::db::DbError>(catalog::save(c, id, &input, &html))).await?;
    let product_id = match saved {
        Ok(id) => id,
        Err(catalog::SaveError::SlugTaken) => {
            return Err(AppError::validation("Another product already uses that slug. Choose a different one."))
        }
        Err(catalog::SaveError::NotFound) => return Err(AppError::NotFound),
        Err(catalog::SaveError::Db(e)) => return Err(e.into()),
    };
    tracing::info!(staff = staff.id, product_id, "product saved");
    leptos_axum::redirect(&format!("/admin/products/{product_id}?saved=1"));
    Ok(product_id)
}

#[server(prefix = "/api", endpoint = "admin/orders")]
pub async fn admin_orders(
    #[server(default)] status: String,
    #[server(default)] gateway: String,
    #[server(default)] from: String,
    #[server(default)] until: String,
) -> Result<Vec<OrderView>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let status = match status.as_str() {
        "" => None,
        s => Some(OrderStatus::parse(s).ok_or_else(|| AppError::validation("Unknown order status."))?),
    };
    let gateway = match gateway.as_str() {
        "" => None,
        g => Some(Gateway::parse(g).ok_or_else(|| AppError::validation("Unknown gateway."))?),
    };
    let from = parse_date(&from)?;
    let until = parse_date(&until)?.map(|d| d + 86_400);
    Ok(state()?.db.run(move |c| orders::list_for_staff(c, status, gateway, from, until)).await?)
}

/// "2026-11-21" -> the Unix time of that day's start (UTC).
#[cfg(feature = "ssr")]
fn parse_date(raw: &str) -> Result<Option<i64>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let bad = || AppError::validation("Enter dates as YYYY-MM-DD.");
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(raw, &format).map_err(|_| bad())?;
    Ok(Some(date.midnight().assume_utc().unix_timestamp()))
}

#[server(prefix = "/api", endpoint = "admin/order")]
pub async fn admin_order(public_id: String) -> Result<OrderView, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    state()?.db.run(move |c| orders::view_for_staff(c, &public_id)).await?.ok_or(AppError::NotFound)
}

/// Queued, running and dead jobs, with their last error.
#[server(prefix = "/api", endpoint = "admin/jobs")]
pub async fn admin_jobs() -> Result<Vec<crate::domain::catalog::JobView>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    Ok(state()?.db.run(|c| crate::server::db::deliveries::open_jobs(c)).await?)
}

/// Puts a dead job back in the queue.
#[server(prefix = "/api", endpoint = "admin/retry_job")]
pub async fn retry_job(id: i64) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let retried = state()?.db.run(move |c| crate::server::jobs::retry(c, id)).await?;
    if !retried {
        return Err(AppError::validation("Only a dead job can be retried; this one is queued, running or done."));
    }
    tracing::info!(staff = staff.id, job = id, "job retried by staff");
    leptos_axum::redirect("/admin/jobs?retried=1");
    Ok(())
}

/// Completes a manual delivery; the member is mailed the message.
#[server(prefix = "/api", endpoint = "admin/mark_delivered")]
pub async fn mark_delivered(public_id: String, message: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let message = message.trim().to_owned();
    if message.is_empty() || message.chars().count() > 2000 {
        return Err(AppError::validation(
            "Write a message for the customer (up to 2,000 characters): what you delivered and where to find it.",
        ));
    }
    let state = state()?;
    let config = state.config.clone();
    let id = public_id.clone();
    let done = state.db.run(move |c| crate::server::delivery::mark_manual_delivered(c, &config, &id, &message)).await?;
    if !done {
        return Err(AppError::validation("This order has no delivery waiting to be completed by hand."));
    }
    tracing::info!(staff = staff.id, order = %public_id, "manual delivery completed");
    leptos_axum::redirect(&format!("/admin/orders/{public_id}?delivered=1"));
    Ok(())
}
