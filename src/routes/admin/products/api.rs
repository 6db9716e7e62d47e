//! Server functions: products and their plans. Every one starts by requiring staff.

use crate::domain::products::{Product, ProductForm};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::delivery::DeliveryConfig,
    domain::products::ProductInput,
    domain::Role,
    server::{
        db::{audit, catalog, DbError},
        markdown, state,
    },
};

/// The products, each with the state of its version in the site's other language.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ProductList {
    pub rows: Vec<(Product, Option<crate::domain::content::EntryStatus>)>,
    /// The language of the versions.
    pub other: crate::domain::Lang,
}

#[server(prefix = "/api", endpoint = "admin/products")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_products() -> Result<ProductList, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let other = state.site_languages().await?.other();
    let (products, mut states) =
        state.db.run(move |c| Ok::<_, DbError>((catalog::all(c)?, catalog::version_states(c, other)?))).await?;
    let rows = products
        .into_iter()
        .map(|p| {
            let version = states.remove(&p.id).and_then(|s| crate::domain::content::EntryStatus::parse(&s));
            (p, version)
        })
        .collect();
    Ok(ProductList { rows, other })
}

/// The product form filled with a product's current values (an empty form for `None`).
#[server(prefix = "/api", endpoint = "admin/product_form")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id = ?id), err(level = "info")))]
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
            Ok(Some((p, md, config, catalog::is_featured(c, id)?)))
        })
        .await?;
    let (p, md, config, featured) = found.ok_or(AppError::NotFound)?;
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
        delivery_max_downloads: num(config.max_downloads),
        delivery_repo: config.repo.unwrap_or_default(),
        delivery_activation_limit: num(config.activation_limit),
        delivery_validity_days: num(config.validity_days),
        delivery_signed: if config.signed == Some(true) { "on".into() } else { String::new() },
        featured: if featured { "on".into() } else { String::new() },
        cover_image: p.cover_image,
        gallery: p.gallery.join("\n"),
    })
}

/// Creates (`id` empty) or updates a product. The description is rendered to safe HTML here, once.
#[server(prefix = "/api", endpoint = "admin/save_product")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id = ?id), err(level = "info")))]
pub async fn save_product(#[server(default)] id: Option<i64>, form: ProductForm) -> Result<i64, AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let input = ProductInput::parse(&form)?;
    let state = state()?;
    // A product sold by download link goes on sale only once there is a file to download.
    if input.delivery_kind == crate::domain::delivery::DeliveryKind::EmailFile
        && input.status == crate::domain::products::ProductStatus::Active
    {
        let has_file = match id {
            Some(id) => {
                !state.db.read(move |c| crate::server::db::product_files::downloadable(c, id)).await?.is_empty()
            }
            None => false,
        };
        if !has_file {
            return Err(AppError::validation(
                "A product delivered by download link needs its file before it goes on sale: save it as a draft, \
                 upload the file under Files, then make it active.",
            ));
        }
    }
    let html = markdown::render(&input.description_md);
    let actor = staff.id;
    let saved = state
        .db
        .run(move |c| Ok::<_, crate::server::db::DbError>(catalog::save_audited(c, actor, id, &input, &html)))
        .await?;
    state.cache.invalidate();
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

/// A product's plans, retired ones too.
#[server(prefix = "/api", endpoint = "admin/plans")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(product_id), err(level = "info")))]
pub async fn admin_plans(product_id: i64) -> Result<Vec<crate::domain::subscriptions::Plan>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    Ok(state.db.read(move |c| crate::server::db::subscriptions::plans_for_product(c, product_id, true)).await?)
}

/// Adds (`id` empty) or changes a plan of a product.
#[server(prefix = "/api", endpoint = "admin/save_plan")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(product_id, id = ?id), err(level = "info")))]
pub async fn save_plan(
    product_id: i64,
    #[server(default)] id: Option<i64>,
    plan: crate::domain::subscriptions::PlanForm,
) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let input = crate::domain::subscriptions::PlanInput::parse(&plan)?;
    let state = state()?;
    let actor = staff.id;
    let saved = state
        .db
        .run(move |c| -> Result<_, DbError> {
            let tx = c.transaction()?;
            if catalog::by_id(&tx, product_id)?.is_none() {
                return Ok(None);
            }
            let saved = crate::server::db::subscriptions::save_plan(&tx, product_id, id, &input)?;
            if let Some(plan_id) = saved {
                let what = if id.is_some() { "plan updated" } else { "plan added" };
                let detail = format!("{} ({}, {})", input.name, input.period.as_str(), input.price_idr);
                audit::record(&tx, Some(actor), what, &format!("product {product_id} plan {plan_id}"), &detail)?;
                tx.commit()?;
            }
            Ok(saved)
        })
        .await?;
    saved.ok_or(AppError::NotFound)?;
    state.cache.invalidate();
    leptos_axum::redirect(&format!("/admin/products/{product_id}?plan_saved=1#plans"));
    Ok(())
}

/// Stops selling a plan (its subscriptions carry on), or sells it again.
#[server(prefix = "/api", endpoint = "admin/retire_plan")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(product_id, id), err(level = "info")))]
pub async fn retire_plan(product_id: i64, id: i64, retired: bool) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let actor = staff.id;
    let done = state
        .db
        .run(move |c| -> Result<bool, DbError> {
            let tx = c.transaction()?;
            let done = crate::server::db::subscriptions::set_plan_retired(&tx, product_id, id, retired)?;
            if done {
                let what = if retired { "plan retired" } else { "plan back on sale" };
                audit::record(&tx, Some(actor), what, &format!("product {product_id} plan {id}"), "")?;
                tx.commit()?;
            }
            Ok(done)
        })
        .await?;
    if !done {
        return Err(AppError::NotFound);
    }
    state.cache.invalidate();
    leptos_axum::redirect(&format!("/admin/products/{product_id}?plan_saved=1#plans"));
    Ok(())
}

/// A product's version in the site's other language, for its editor.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProductVersionEditor {
    /// The language of the version, and of the product itself.
    pub lang: crate::domain::Lang,
    pub main_lang: crate::domain::Lang,
    pub main_name: String,
    /// The version's words (empty, status "draft", until it has one).
    pub form: crate::domain::products::ProductVersionForm,
    pub exists: bool,
    /// Each plan on sale.
    pub plans: Vec<crate::domain::subscriptions::PlanVersion>,
}

/// The editor of a product's version in the site's other language.
#[server(prefix = "/api", endpoint = "admin/product_version_form")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn admin_product_version_form(id: i64) -> Result<ProductVersionEditor, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let site = state.site_languages().await?;
    let lang = site.other();
    let found = state.db.read(move |c| catalog::version_form(c, id, lang)).await?.ok_or(AppError::NotFound)?;
    Ok(ProductVersionEditor {
        lang,
        main_lang: site.default,
        main_name: found.name,
        exists: found.form.is_some(),
        form: found.form.unwrap_or_else(|| crate::domain::products::ProductVersionForm {
            status: "draft".into(),
            ..Default::default()
        }),
        plans: found.plans,
    })
}

/// Makes or replaces a product's version in the site's other language.
#[server(prefix = "/api", endpoint = "admin/save_product_version")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn save_product_version(id: i64, form: crate::domain::products::ProductVersionForm) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let input = crate::domain::products::ProductVersionInput::parse(&form)?;
    let state = state()?;
    let lang = state.site_languages().await?.other();
    let md = input.description_md.clone();
    let html = tokio::task::spawn_blocking(move || markdown::render(&md)).await.map_err(|_| AppError::Internal)?;
    let actor = staff.id;
    if !state.db.run(move |c| catalog::save_version(c, id, lang, &input, &html, Some(actor))).await? {
        return Err(AppError::NotFound);
    }
    state.cache.invalidate();
    tracing::info!(staff = staff.id, product = id, lang = %lang, "product version saved");
    leptos_axum::redirect(&format!("/admin/products/{id}?lang={lang}&saved=1"));
    Ok(())
}

/// Saves the name and features of a product's plan in the site's other language.
#[server(prefix = "/api", endpoint = "admin/save_plan_version")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(product_id, plan_id), err(level = "info")))]
pub async fn save_plan_version(
    product_id: i64,
    plan_id: i64,
    name: String,
    #[server(default)] features: String,
) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let (name, features) = crate::domain::subscriptions::plan_words(&name, &features)?;
    let state = state()?;
    let lang = state.site_languages().await?.other();
    let actor = staff.id;
    let saved = state
        .db
        .run(move |c| catalog::save_plan_version(c, (product_id, plan_id), lang, (&name, &features), actor))
        .await?;
    if !saved {
        return Err(AppError::NotFound);
    }
    state.cache.invalidate();
    leptos_axum::redirect(&format!("/admin/products/{product_id}?lang={lang}&plan_saved=1#plans"));
    Ok(())
}

/// Deletes a product's version in the site's other language (and its plans'): it is
/// shown as written there again.
#[server(prefix = "/api", endpoint = "admin/delete_product_version")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn delete_product_version(id: i64) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let lang = state.site_languages().await?.other();
    let actor = staff.id;
    if !state.db.run(move |c| catalog::delete_version(c, id, lang, actor)).await? {
        return Err(AppError::NotFound);
    }
    state.cache.invalidate();
    leptos_axum::redirect(&format!("/admin/products/{id}?lang={lang}&deleted=1"));
    Ok(())
}
