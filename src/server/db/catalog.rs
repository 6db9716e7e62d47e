//! Queries on `products`.

use super::{now, DbError};
use crate::domain::html::TrustedHtml;
use crate::domain::i18n::{Lang, SiteLanguages};
use crate::domain::{
    delivery::{DeliveryConfig, DeliveryKind},
    products::{Billing, Product, ProductInput, ProductKind, ProductStatus},
};
use rusqlite::{named_params, params, Connection, OptionalExtension, Row};

const COLUMNS: &str =
    "id, slug, kind, name, summary, description_html, status, billing, price_idr, price_usd_cents, delivery_kind,
     cover_image, gallery";

/// Reads a product by column name, so a column added to `COLUMNS` (or a query selecting more
/// after them) can never shift what another field reads.
fn from_row(r: &Row<'_>) -> rusqlite::Result<Product> {
    fn parsed<T>(r: &Row<'_>, column: &str, parse: impl Fn(&str) -> Option<T>) -> rusqlite::Result<T> {
        let value: String = r.get(column)?;
        parse(&value).ok_or_else(|| {
            let index = r.as_ref().column_index(column).unwrap_or_default();
            rusqlite::Error::FromSqlConversionFailure(
                index,
                rusqlite::types::Type::Text,
                format!("unknown {column} {value:?}").into(),
            )
        })
    }
    Ok(Product {
        id: r.get("id")?,
        slug: r.get("slug")?,
        kind: parsed(r, "kind", ProductKind::parse)?,
        name: r.get("name")?,
        summary: r.get("summary")?,
        description_html: r.get("description_html")?,
        status: parsed(r, "status", ProductStatus::parse)?,
        billing: parsed(r, "billing", Billing::parse)?,
        price_idr: r.get("price_idr")?,
        price_usd_cents: r.get("price_usd_cents")?,
        delivery_kind: parsed(r, "delivery_kind", DeliveryKind::parse)?,
        cover_image: r.get("cover_image")?,
        gallery: r.get::<_, String>("gallery")?.lines().filter(|l| !l.is_empty()).map(str::to_owned).collect(),
        // Only the public reads (`PUBLIC_COLUMNS`) know the language a page shows it in.
        fallback: match r.as_ref().column_index("fallback") {
            Ok(_) => r.get("fallback")?,
            Err(_) => false,
        },
    })
}

/// A product as a public page in `:lang` shows it: in its version there when that is
/// published (`v`), else as written (`fallback` on the other language's pages).
/// `:lang` is NULL on the studio's own pages, which read no version.
const PUBLIC_COLUMNS: &str = "p.id, p.slug, p.kind, coalesce(v.name, p.name) AS name,
    coalesce(v.summary, p.summary) AS summary, coalesce(v.description_html, p.description_html) AS description_html,
    p.status, p.billing, p.price_idr, p.price_usd_cents, p.delivery_kind, p.cover_image, p.gallery,
    :lang IS NOT NULL AND v.product_id IS NULL AS fallback";
const PUBLIC_FROM: &str = "FROM products p
    LEFT JOIN product_translations v ON v.product_id = p.id AND v.lang = :lang AND v.status = 'published'";

/// The language whose versions a public page reads: none on the studio's own pages.
fn version_lang(lang: Lang, site: SiteLanguages) -> Option<&'static str> {
    (lang != site.default).then(|| lang.as_str())
}

/// Products of a kind that visitors may see (on sale or on the waitlist), in display
/// order, as a page in `lang` shows them.
pub fn public_by_kind(
    conn: &Connection,
    kind: ProductKind,
    (lang, site): (Lang, SiteLanguages),
) -> Result<Vec<Product>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PUBLIC_COLUMNS} {PUBLIC_FROM} WHERE p.kind = :kind AND p.status IN ('active', 'waitlist') ORDER BY p.sort_order, p.name"
    ))?;
    let rows = stmt
        .query_map(named_params! {":kind": kind.as_str(), ":lang": version_lang(lang, site)}, from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A product visitors may see, by kind and slug, as a page in `lang` shows it, and
/// whether it has a published version in the other language than the page's (or, on
/// the other language's page, is shown in its version there).
pub fn public_by_slug(
    conn: &Connection,
    kind: ProductKind,
    slug: &str,
    (lang, site): (Lang, SiteLanguages),
) -> Result<Option<(Product, bool)>, DbError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {PUBLIC_COLUMNS}, EXISTS (SELECT 1 FROM product_translations o WHERE o.product_id = p.id
                 AND o.lang = :other AND o.status = 'published') AS translated
             {PUBLIC_FROM} WHERE p.kind = :kind AND p.slug = :slug AND p.status IN ('active', 'waitlist')"
        ))?
        .query_row(
            named_params! {
                ":kind": kind.as_str(), ":slug": slug, ":lang": version_lang(lang, site), ":other": site.other().as_str()
            },
            |r| Ok((from_row(r)?, r.get("translated")?)),
        )
        .optional()?)
}

/// Products for the home page: the featured ones first, then the rest on sale, in display order.
pub fn featured(conn: &Connection, limit: u32, (lang, site): (Lang, SiteLanguages)) -> Result<Vec<Product>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PUBLIC_COLUMNS} {PUBLIC_FROM} WHERE p.status = 'active' ORDER BY p.featured DESC, p.sort_order, p.name LIMIT :limit"
    ))?;
    let rows = stmt
        .query_map(named_params! {":limit": limit, ":lang": version_lang(lang, site)}, from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The newest products on sale (the home page's choice "newest").
pub fn newest(conn: &Connection, limit: u32, (lang, site): (Lang, SiteLanguages)) -> Result<Vec<Product>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PUBLIC_COLUMNS} {PUBLIC_FROM} WHERE p.status = 'active' ORDER BY p.created_at DESC, p.id DESC LIMIT :limit"
    ))?;
    let rows = stmt
        .query_map(named_params! {":limit": limit, ":lang": version_lang(lang, site)}, from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Products that are announced but not on sale yet (their waitlists are open), as a
/// page in `lang` shows them (`None`: as written).
pub fn upcoming(conn: &Connection, version: Option<(Lang, SiteLanguages)>) -> Result<Vec<Product>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PUBLIC_COLUMNS} {PUBLIC_FROM} WHERE p.status = 'waitlist' ORDER BY p.sort_order, p.name"
    ))?;
    let lang = version.and_then(|(lang, site)| version_lang(lang, site));
    let rows = stmt.query_map(named_params! {":lang": lang}, from_row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Every product visitors can see, for the sitemap: (path, last change, whether it has a
/// published version in `other`).
pub fn sitemap(conn: &Connection, other: Lang) -> Result<Vec<(String, i64, bool)>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, max(updated_at, coalesce((SELECT o.updated_at FROM product_translations o
                 WHERE o.product_id = products.id AND o.lang = ?1 AND o.status = 'published'), 0)) AS changed,
             EXISTS (SELECT 1 FROM product_translations o
                 WHERE o.product_id = products.id AND o.lang = ?1 AND o.status = 'published') AS translated
         FROM products WHERE status IN ('active', 'waitlist') ORDER BY kind, sort_order"
    ))?;
    let rows = stmt
        .query_map([other.as_str()], |r| Ok((from_row(r)?.path(), r.get("changed")?, r.get("translated")?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn is_featured(conn: &Connection, id: i64) -> Result<bool, DbError> {
    Ok(conn.prepare_cached("SELECT featured FROM products WHERE id = ?1")?.query_row([id], |r| r.get(0))?)
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Product>, DbError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM products WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

pub fn by_slug(conn: &Connection, slug: &str) -> Result<Option<Product>, DbError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM products WHERE slug = ?1"))?
        .query_row([slug], from_row)
        .optional()?)
}

/// The state of each product's version in `lang` (`draft` or `published`), by product id.
pub fn version_states(conn: &Connection, lang: Lang) -> Result<std::collections::HashMap<i64, String>, DbError> {
    let mut stmt = conn.prepare_cached("SELECT product_id, status FROM product_translations WHERE lang = ?1")?;
    let rows = stmt.query_map([lang.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn all(conn: &Connection) -> Result<Vec<Product>, DbError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM products ORDER BY kind, sort_order, name"))?;
    let rows = stmt.query_map([], from_row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn delivery_config(conn: &Connection, id: i64) -> Result<(String, DeliveryConfig), DbError> {
    let (md, raw): (String, String) = conn
        .prepare_cached("SELECT description_md, delivery_config FROM products WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((md, serde_json::from_str(&raw).unwrap_or_default()))
}

/// Why a product could not be saved.
#[derive(Debug)]
pub enum SaveError {
    SlugTaken,
    NotFound,
    Db(DbError),
}

impl<E: Into<DbError>> From<E> for SaveError {
    fn from(e: E) -> Self {
        Self::Db(e.into())
    }
}

/// Inserts (`id` None) or updates a product; `description_html` is rendered by the caller.
/// Saves a product and its audit row (who, created or updated) in one transaction.
pub fn save_audited(
    conn: &mut Connection,
    actor: i64,
    id: Option<i64>,
    input: &ProductInput,
    description_html: &TrustedHtml,
) -> Result<i64, SaveError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(DbError::from)?;
    let saved = save(&tx, id, input, description_html)?;
    let action = if id.is_some() { "product.updated" } else { "product.created" };
    let subject = format!("{} (/{})", input.name, input.slug.as_str());
    super::audit::record(&tx, Some(actor), action, &subject, input.status.as_str())?;
    tx.commit().map_err(DbError::from)?;
    Ok(saved)
}

pub fn save(
    conn: &Connection,
    id: Option<i64>,
    input: &ProductInput,
    description_html: &TrustedHtml,
) -> Result<i64, SaveError> {
    let taken: Option<i64> = conn
        .prepare_cached("SELECT id FROM products WHERE slug = ?1")?
        .query_row([input.slug.as_str()], |r| r.get(0))
        .optional()?;
    if taken.is_some_and(|t| Some(t) != id) {
        return Err(SaveError::SlugTaken);
    }
    let config = serde_json::to_string(&input.delivery).map_err(DbError::from)?;
    let t = now();
    let values = params![
        input.slug.as_str(),
        input.kind.as_str(),
        input.name,
        input.summary,
        input.description_md,
        description_html,
        input.status.as_str(),
        input.billing.as_str(),
        input.price_idr,
        input.price_usd_cents,
        input.delivery_kind.as_str(),
        config,
        t,
        input.featured,
        input.cover_image,
        input.gallery.join("\n"),
    ];
    match id {
        None => Ok(conn
            .prepare_cached(
                "INSERT INTO products (slug, kind, name, summary, description_md, description_html, status, billing,
                     price_idr, price_usd_cents, delivery_kind, delivery_config, created_at, updated_at, featured,
                     cover_image, gallery)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14, ?15, ?16) RETURNING id",
            )?
            .query_row(values, |r| r.get(0))?),
        Some(id) => {
            let changed = conn
                .prepare_cached(
                    "UPDATE products SET slug = ?1, kind = ?2, name = ?3, summary = ?4, description_md = ?5,
                         description_html = ?6, status = ?7, billing = ?8, price_idr = ?9, price_usd_cents = ?10,
                         delivery_kind = ?11, delivery_config = ?12, updated_at = ?13, featured = ?14,
                         cover_image = ?15, gallery = ?16
                     WHERE id = ?17",
                )?
                .execute(rusqlite::params_from_iter(
                    values.iter().copied().chain(std::iter::once(&id as &dyn rusqlite::ToSql)),
                ))?;
            if changed == 0 {
                return Err(SaveError::NotFound);
            }
            Ok(id)
        }
    }
}

/// Whether the studio has any products or content of its own yet (the fixed pages do not count).
pub fn has_content(conn: &Connection) -> Result<bool, DbError> {
    let n: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM products)
              + (SELECT count(*) FROM entries WHERE kind != 'page' OR slug NOT IN ('about', 'privacy-policy', 'terms', 'disclaimer'))",
        [],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// Gives a product without a cover the image at `path` (the demo's generated covers).
pub fn set_missing_cover(conn: &Connection, id: i64, path: &str) -> Result<bool, DbError> {
    let changed = conn
        .prepare_cached("UPDATE products SET cover_image = ?2 WHERE id = ?1 AND cover_image = ''")?
        .execute(rusqlite::params![id, path])?;
    Ok(changed == 1)
}

/// A product's place in the catalog.
pub fn set_sort_order(conn: &Connection, id: i64, sort_order: i64) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE products SET sort_order = ?2 WHERE id = ?1")?
        .execute(rusqlite::params![id, sort_order])?;
    Ok(())
}

/// A product's version in another language, for its editor: the product's own name,
/// the version's form if it has one, and each plan's words.
pub struct ProductVersion {
    pub name: String,
    pub form: Option<crate::domain::products::ProductVersionForm>,
    pub plans: Vec<crate::domain::subscriptions::PlanVersion>,
}

/// The editor of product `id`'s version in `lang`; `None` when there is no such product.
pub fn version_form(conn: &Connection, id: i64, lang: Lang) -> Result<Option<ProductVersion>, DbError> {
    let found = conn
        .prepare_cached(
            "SELECT p.name, v.name, v.summary, v.description_md, v.status FROM products p
             LEFT JOIN product_translations v ON v.product_id = p.id AND v.lang = ?2 WHERE p.id = ?1",
        )?
        .query_row(params![id, lang.as_str()], |r| {
            let form = match r.get::<_, Option<String>>(1)? {
                Some(name) => Some(crate::domain::products::ProductVersionForm {
                    name,
                    summary: r.get(2)?,
                    description_md: r.get(3)?,
                    status: r.get(4)?,
                }),
                None => None,
            };
            Ok((r.get::<_, String>(0)?, form))
        })
        .optional()?;
    let Some((name, form)) = found else { return Ok(None) };
    let plans = conn
        .prepare_cached(
            "SELECT pl.id, pl.name, t.name, t.features FROM plans pl
             LEFT JOIN plan_translations t ON t.plan_id = pl.id AND t.lang = ?2
             WHERE pl.product_id = ?1 AND pl.retired = 0 ORDER BY pl.sort_order, pl.price_idr, pl.id",
        )?
        .query_map(params![id, lang.as_str()], |r| {
            Ok(crate::domain::subscriptions::PlanVersion {
                id: r.get(0)?,
                own_name: r.get(1)?,
                name: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                features: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(ProductVersion { name, form, plans }))
}

/// Saves product `id`'s version in `lang` (made or replaced) and records it in the audit
/// trail; `false` when there is no such product. `description_html` is rendered by the caller.
pub fn save_version(
    conn: &mut Connection,
    id: i64,
    lang: Lang,
    input: &crate::domain::products::ProductVersionInput,
    description_html: &TrustedHtml,
    actor: Option<i64>,
) -> Result<bool, DbError> {
    let tx = conn.transaction()?;
    let slug: Option<String> =
        tx.prepare_cached("SELECT slug FROM products WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
    let Some(slug) = slug else { return Ok(false) };
    tx.prepare_cached(
        "INSERT INTO product_translations (product_id, lang, name, summary, description_md, description_html, status,
             updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (product_id, lang) DO UPDATE SET name = excluded.name, summary = excluded.summary,
             description_md = excluded.description_md, description_html = excluded.description_html,
             status = excluded.status, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )?
    .execute(params![
        id,
        lang.as_str(),
        input.name,
        input.summary,
        input.description_md,
        description_html,
        input.status.as_str(),
        now(),
        actor
    ])?;
    super::audit::record(
        &tx,
        actor,
        "product.version_saved",
        &format!("{} ({}, {slug})", input.name, lang.as_str()),
        input.status.as_str(),
    )?;
    tx.commit()?;
    Ok(true)
}

/// Saves the version in `lang` of plan `plan_id` of product `product_id`; `false` when
/// the product has no such plan.
pub fn save_plan_version(
    conn: &mut Connection,
    (product_id, plan_id): (i64, i64),
    lang: Lang,
    (name, features): (&str, &[String]),
    actor: i64,
) -> Result<bool, DbError> {
    let tx = conn.transaction()?;
    let plan: Option<String> = tx
        .prepare_cached("SELECT name FROM plans WHERE id = ?1 AND product_id = ?2")?
        .query_row([plan_id, product_id], |r| r.get(0))
        .optional()?;
    let Some(own_name) = plan else { return Ok(false) };
    tx.prepare_cached(
        "INSERT INTO plan_translations (plan_id, lang, name, features, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (plan_id, lang) DO UPDATE SET name = excluded.name, features = excluded.features,
             updated_at = excluded.updated_at",
    )?
    .execute(params![plan_id, lang.as_str(), name, features.join("\n"), now()])?;
    super::audit::record(
        &tx,
        Some(actor),
        "plan.version_saved",
        &format!("{own_name} → {name} ({})", lang.as_str()),
        "",
    )?;
    tx.commit()?;
    Ok(true)
}

/// Deletes product `id`'s version in `lang` and its plans' versions: the product is
/// shown as written there again. `false` when it had none.
pub fn delete_version(conn: &mut Connection, id: i64, lang: Lang, actor: i64) -> Result<bool, DbError> {
    let tx = conn.transaction()?;
    let name: Option<String> = tx
        .prepare_cached("SELECT name FROM product_translations WHERE product_id = ?1 AND lang = ?2")?
        .query_row(params![id, lang.as_str()], |r| r.get(0))
        .optional()?;
    let Some(name) = name else { return Ok(false) };
    tx.prepare_cached("DELETE FROM product_translations WHERE product_id = ?1 AND lang = ?2")?
        .execute(params![id, lang.as_str()])?;
    tx.prepare_cached(
        "DELETE FROM plan_translations WHERE lang = ?2 AND plan_id IN (SELECT id FROM plans WHERE product_id = ?1)",
    )?
    .execute(params![id, lang.as_str()])?;
    super::audit::record(&tx, Some(actor), "product.version_deleted", &format!("{name} ({})", lang.as_str()), "")?;
    tx.commit()?;
    Ok(true)
}
