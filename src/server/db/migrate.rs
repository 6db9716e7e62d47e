//! Schema migrations from `migrations/`, embedded in the binary so a deployed
//! `atelier` needs no source tree. Each runs once, in its own transaction, in
//! name order; `schema_migrations` remembers what ran.

use super::DbError;
use rusqlite::{params, Connection};

/// Every file in `migrations/`, in order. A unit test checks the folder and this list agree.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_foundation", include_str!("../../../migrations/0001_foundation.sql")),
    ("0002_accounts_and_jobs", include_str!("../../../migrations/0002_accounts_and_jobs.sql")),
    ("0003_catalog_and_orders", include_str!("../../../migrations/0003_catalog_and_orders.sql")),
    ("0004_delivery", include_str!("../../../migrations/0004_delivery.sql")),
    ("0005_download_links", include_str!("../../../migrations/0005_download_links.sql")),
    ("0006_github", include_str!("../../../migrations/0006_github.sql")),
    ("0007_content", include_str!("../../../migrations/0007_content.sql")),
    ("0008_github_grants", include_str!("../../../migrations/0008_github_grants.sql")),
    ("0009_paypal_captures", include_str!("../../../migrations/0009_paypal_captures.sql")),
    ("0010_hashed_sessions", include_str!("../../../migrations/0010_hashed_sessions.sql")),
    ("0011_job_pool", include_str!("../../../migrations/0011_job_pool.sql")),
    ("0012_email_changes", include_str!("../../../migrations/0012_email_changes.sql")),
    ("0013_tools", include_str!("../../../migrations/0013_tools.sql")),
    ("0014_subscriptions", include_str!("../../../migrations/0014_subscriptions.sql")),
    ("0015_receipts", include_str!("../../../migrations/0015_receipts.sql")),
    ("0016_product_files", include_str!("../../../migrations/0016_product_files.sql")),
    ("0017_user_identities", include_str!("../../../migrations/0017_user_identities.sql")),
    ("0018_disabled_accounts", include_str!("../../../migrations/0018_disabled_accounts.sql")),
    ("0019_ipaymu", include_str!("../../../migrations/0019_ipaymu.sql")),
    ("0020_coupons", include_str!("../../../migrations/0020_coupons.sql")),
    ("0021_waitlist_launch", include_str!("../../../migrations/0021_waitlist_launch.sql")),
    ("0022_product_images", include_str!("../../../migrations/0022_product_images.sql")),
    ("0023_page_views", include_str!("../../../migrations/0023_page_views.sql")),
    ("0024_clients", include_str!("../../../migrations/0024_clients.sql")),
    ("0025_projects", include_str!("../../../migrations/0025_projects.sql")),
    ("0026_quotes_invoices", include_str!("../../../migrations/0026_quotes_invoices.sql")),
    ("0027_deliverables_messages", include_str!("../../../migrations/0027_deliverables_messages.sql")),
    ("0028_invoice_usd", include_str!("../../../migrations/0028_invoice_usd.sql")),
    ("0029_download_ranges", include_str!("../../../migrations/0029_download_ranges.sql")),
    ("0030_order_notices", include_str!("../../../migrations/0030_order_notices.sql")),
    ("0031_early_bird_codes", include_str!("../../../migrations/0031_early_bird_codes.sql")),
    ("0032_staff_lists", include_str!("../../../migrations/0032_staff_lists.sql")),
    ("0033_people_search", include_str!("../../../migrations/0033_people_search.sql")),
    ("0034_analytics_rollups", include_str!("../../../migrations/0034_analytics_rollups.sql")),
    ("0035_clients_and_coupons_lists", include_str!("../../../migrations/0035_clients_and_coupons_lists.sql")),
    ("0036_page_views_monthly", include_str!("../../../migrations/0036_page_views_monthly.sql")),
    ("0037_staff_pages_at_scale", include_str!("../../../migrations/0037_staff_pages_at_scale.sql")),
    ("0038_analytics_months", include_str!("../../../migrations/0038_analytics_months.sql")),
    ("0039_studio_images", include_str!("../../../migrations/0039_studio_images.sql")),
    ("0040_license_activations", include_str!("../../../migrations/0040_license_activations.sql")),
    ("0041_service_progress", include_str!("../../../migrations/0041_service_progress.sql")),
    ("0042_plan_changes", include_str!("../../../migrations/0042_plan_changes.sql")),
    ("0043_api_tokens", include_str!("../../../migrations/0043_api_tokens.sql")),
    ("0044_webhooks", include_str!("../../../migrations/0044_webhooks.sql")),
    ("0045_languages", include_str!("../../../migrations/0045_languages.sql")),
    ("0046_client_language", include_str!("../../../migrations/0046_client_language.sql")),
    ("0047_waitlist_language", include_str!("../../../migrations/0047_waitlist_language.sql")),
    ("0048_entry_translations", include_str!("../../../migrations/0048_entry_translations.sql")),
    ("0049_product_translations", include_str!("../../../migrations/0049_product_translations.sql")),
    ("0050_project_event_values", include_str!("../../../migrations/0050_project_event_values.sql")),
    ("0051_delivery_note_values", include_str!("../../../migrations/0051_delivery_note_values.sql")),
    ("0052_audit_action_codes", include_str!("../../../migrations/0052_audit_action_codes.sql")),
];

/// The first line of a migration that rebuilds a table others refer to (SQLite's
/// documented way to change a constraint): foreign keys are off while it runs,
/// and every reference is checked before it commits.
const FOREIGN_KEYS_OFF: &str = "-- migrate: foreign_keys off";

/// How many migrations the database has applied (for `/health`).
pub fn applied_count(conn: &Connection) -> Result<i64, DbError> {
    Ok(conn.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))?)
}

/// Whether this connection can take the database's write lock now (then lets it go,
/// writing nothing): the file is writable and no writer holds it past the busy timeout.
pub fn check_writable(conn: &Connection) -> Result<(), DbError> {
    conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;")?;
    Ok(())
}

/// SQLite's quicker check (no index contents compared): `"ok"`, or what is wrong.
pub fn quick_check(conn: &Connection) -> rusqlite::Result<String> {
    conn.query_row("PRAGMA quick_check", [], |r| r.get(0))
}

/// SQLite's own check of a database file: `"ok"`, or what is wrong.
pub fn integrity_check(conn: &Connection) -> rusqlite::Result<String> {
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
}

/// Whether a database file is an Atelier database (it has our migrations table).
pub fn is_atelier_database(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations')", [], |r| r.get(0))
}

/// Applies what has not run yet; returns the names applied now.
pub fn run(conn: &mut Connection) -> Result<Vec<&'static str>, DbError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             name TEXT PRIMARY KEY,
             applied_at INTEGER NOT NULL
         ) STRICT;",
    )?;
    let mut applied = Vec::new();
    for (name, sql) in MIGRATIONS {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let done: bool =
            tx.query_row("SELECT EXISTS(SELECT 1 FROM schema_migrations WHERE name = ?1)", [name], |r| r.get(0))?;
        if done {
            continue;
        }
        let rebuilds = sql.starts_with(FOREIGN_KEYS_OFF);
        if rebuilds {
            // `PRAGMA foreign_keys` is a no-op inside a transaction: end this one first.
            drop(tx);
            let was_on: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
            conn.pragma_update(None, "foreign_keys", false)?;
            let applied = apply_checked(conn, name, sql);
            conn.pragma_update(None, "foreign_keys", was_on)?;
            applied?;
        } else {
            tx.execute_batch(sql).map_err(|source| DbError::Migration { name: name.to_string(), source })?;
            tx.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?1, ?2)",
                params![name, super::now()],
            )?;
            tx.commit()?;
        }
        tracing::info!(migration = name, "applied migration");
        applied.push(*name);
    }
    Ok(applied)
}

/// Runs a table-rebuilding migration in its own transaction and commits it only
/// when `PRAGMA foreign_key_check` finds every reference intact.
fn apply_checked(conn: &mut Connection, name: &str, sql: &str) -> Result<(), DbError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch(sql).map_err(|source| DbError::Migration { name: name.to_string(), source })?;
    let broken: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
    if broken > 0 {
        return Err(DbError::Migration {
            name: name.to_string(),
            source: rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                Some(format!("{broken} rows would refer to rows that do not exist")),
            ),
        });
    }
    tx.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?1, ?2)", params![name, super::now()])?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_the_migrations_folder_is_listed_in_order() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".sql"))
            .map(|n| n.trim_end_matches(".sql").to_owned())
            .collect();
        files.sort();
        let listed: Vec<&str> = MIGRATIONS.iter().map(|(n, _)| *n).collect();
        assert_eq!(files, listed);
    }

    #[test]
    fn a_file_named_by_hand_becomes_version_1_of_the_products_file() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT;",
        )
        .unwrap();
        let before = MIGRATIONS.iter().position(|(n, _)| *n == "0016_product_files").unwrap();
        for (name, sql) in &MIGRATIONS[..before] {
            conn.execute_batch(sql).unwrap();
            conn.execute("INSERT INTO schema_migrations VALUES (?1, 0)", [name]).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO products (slug, kind, name, status, billing, price_idr, delivery_kind, delivery_config, created_at, updated_at)
             VALUES ('kit', 'digital', 'Kit', 'active', 'one_time', 1000, 'email_file',
                     '{\"file\":\"products/launch/kit-1.2.zip\",\"max_downloads\":3}', 5, 7),
                    ('repo', 'digital', 'Repo', 'active', 'one_time', 1000, 'github_invite', '{\"repo\":\"a/b\"}', 5, 7);",
        )
        .unwrap();
        assert_eq!(run(&mut conn).unwrap().first(), Some(&"0016_product_files"));
        let (label, seq, version, path, name, bytes): (String, i64, String, String, String, Option<i64>) = conn
            .query_row(
                "SELECT f.label, v.seq, v.version, v.storage_path, v.original_name, v.bytes
                 FROM product_files f JOIN product_file_versions v ON v.file_id = f.id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .unwrap();
        assert_eq!(
            (label.as_str(), seq, version.as_str(), path.as_str(), name.as_str(), bytes),
            ("Download", 1, "1", "products/launch/kit-1.2.zip", "kit-1.2.zip", None)
        );
        let config: String =
            conn.query_row("SELECT delivery_config FROM products WHERE slug = 'kit'", [], |r| r.get(0)).unwrap();
        assert_eq!(config, r#"{"max_downloads":3}"#, "the setting moved out of the product's delivery settings");
        let files: i64 = conn.query_row("SELECT count(*) FROM product_files", [], |r| r.get(0)).unwrap();
        assert_eq!(files, 1, "products without a named file get none");
    }

    #[test]
    fn rebuilding_orders_for_ipaymu_keeps_every_order_and_what_refers_to_it() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON;").unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT;",
        )
        .unwrap();
        let before = MIGRATIONS.iter().position(|(n, _)| *n == "0019_ipaymu").unwrap();
        for (name, sql) in &MIGRATIONS[..before] {
            conn.execute_batch(sql).unwrap();
            conn.execute("INSERT INTO schema_migrations VALUES (?1, 0)", [name]).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES (1, 'a@b.c', 'A', 'x', 1, 1);
             INSERT INTO products (id, slug, kind, name, status, billing, price_idr, delivery_kind, delivery_config, created_at, updated_at)
             VALUES (1, 'kit', 'digital', 'Kit', 'active', 'one_time', 1000, 'web_access', '{}', 5, 7);
             INSERT INTO orders (id, public_id, user_id, product_id, product_name, amount, currency, gateway, gateway_ref,
                                 status, created_at, updated_at, paid_at, gateway_capture_id, period_end)
             VALUES (7, 'ATL-1', 1, 1, 'Kit', 1000, 'IDR', 'paypal', 'PP-1', 'paid', 10, 11, 12, 'CAP-1', 99);
             INSERT INTO deliveries (order_id, kind, status, created_at, updated_at) VALUES (7, 'web_access', 'delivered', 12, 12);",
        )
        .unwrap();
        assert!(conn.execute("UPDATE orders SET gateway = 'ipaymu' WHERE id = 7", []).is_err());

        assert_eq!(run(&mut conn).unwrap().first(), Some(&"0019_ipaymu"));
        let kept: (String, String, String, Option<i64>, Option<i64>) = conn
            .query_row(
                "SELECT public_id, gateway_ref, gateway_capture_id, paid_at, period_end FROM orders WHERE id = 7",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(kept, ("ATL-1".into(), "PP-1".into(), "CAP-1".into(), Some(12), Some(99)));
        conn.execute("UPDATE orders SET gateway = 'ipaymu' WHERE id = 7", []).unwrap();
        assert!(conn.execute("UPDATE orders SET gateway = 'bitcoin' WHERE id = 7", []).is_err());
        let on: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert!(on, "foreign keys are back on after the rebuild");
        assert!(conn.execute("DELETE FROM orders WHERE id = 7", []).is_err(), "its delivery still refers to it");
        for index in ["orders_user", "orders_admin", "orders_gateway_ref", "orders_gateway_capture"] {
            let found: bool = conn
                .query_row(
                    "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1 AND tbl_name = 'orders')",
                    [index],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(found, "{index} was rebuilt");
        }
    }

    #[test]
    fn running_twice_applies_nothing_the_second_time() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(run(&mut conn).unwrap().len(), MIGRATIONS.len());
        assert!(run(&mut conn).unwrap().is_empty());
    }
}
