//! Queries on `products`.

use super::{now, DbError};
use crate::domain::html::TrustedHtml;
use crate::domain::{
    delivery::{DeliveryConfig, DeliveryKind},
    products::{Billing, Product, ProductInput, ProductKind, ProductStatus},
};
use rusqlite::{params, Connection, OptionalExtension, Row};

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
    })
}

/// Products of a kind that visitors may see (on sale or on the waitlist), in display order.
pub fn public_by_kind(conn: &Connection, kind: ProductKind) -> Result<Vec<Product>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM products WHERE kind = ?1 AND status IN ('active', 'waitlist') ORDER BY sort_order, name"
    ))?;
    let rows = stmt.query_map([kind.as_str()], from_row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A product visitors may see, by kind and slug.
pub fn public_by_slug(conn: &Connection, kind: ProductKind, slug: &str) -> Result<Option<Product>, DbError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM products WHERE kind = ?1 AND slug = ?2 AND status IN ('active', 'waitlist')"
        ))?
        .query_row(params![kind.as_str(), slug], from_row)
        .optional()?)
}

/// Products for the home page: the featured ones first, then the rest on sale, in display order.
pub fn featured(conn: &Connection, limit: u32) -> Result<Vec<Product>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM products WHERE status = 'active' ORDER BY featured DESC, sort_order, name LIMIT ?1"
    ))?;
    let rows = stmt.query_map([limit], from_row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The newest products on sale (the home page's choice "newest").
pub fn newest(conn: &Connection, limit: u32) -> Result<Vec<Product>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM products WHERE status = 'active' ORDER BY created_at DESC, id DESC LIMIT ?1"
    ))?;
    let rows = stmt.query_map([limit], from_row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Products that are announced but not on sale yet: their waitlists are open.
pub fn upcoming(conn: &Connection) -> Result<Vec<Product>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM products WHERE status = 'waitlist' ORDER BY sort_order, name"
    ))?;
    let rows = stmt.query_map([], from_row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Every product visitors can see, for the sitemap: (path, last change).
pub fn sitemap(conn: &Connection) -> Result<Vec<(String, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, updated_at FROM products WHERE status IN ('active', 'waitlist') ORDER BY kind, sort_order"
    ))?;
    let rows =
        stmt.query_map([], |r| Ok((from_row(r)?.path(), r.get("updated_at")?)))?.collect::<Result<Vec<_>, _>>()?;
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
    let action = if id.is_some() { "Product updated" } else { "Product created" };
    let subject = format!("{} (/{})", input.name, input.slug.as_str());
    super::audit::record(&tx, Some(actor), action, &subject, input.status.label())?;
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
