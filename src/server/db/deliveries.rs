//! Queries on `deliveries`, `license_keys` and `license_activations`.

use super::{now, DbError};
use crate::domain::pagination::{Cursor, Page, PageAt, PAGE_SIZE};
use crate::domain::{
    delivery::{DeliveryKind, DeliveryStatus, OwnedItem, ServiceStage, ServiceUpdate, ServiceView},
    jobs::{JobStatus, JobView},
    license::{Activation, LicenseView},
};
use rusqlite::{params, Connection, OptionalExtension};

/// Records the delivery of an order (idempotent: one row per order), its `detail`
/// the words the buyer reads (see [`set_note`] for words made from values).
pub fn upsert(conn: &Connection, order_id: i64, kind: &str, status: &str, detail: &str) -> Result<(), DbError> {
    let t = now();
    conn.prepare_cached(
        "INSERT INTO deliveries (order_id, kind, status, detail, created_at, updated_at, delivered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, CASE WHEN ?3 = 'delivered' THEN ?5 END)
         ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, detail = excluded.detail,
             updated_at = excluded.updated_at, data = NULL,
             delivered_at = coalesce(deliveries.delivered_at, excluded.delivered_at)",
    )?
    .execute(params![order_id, kind, status, detail, t])?;
    Ok(())
}

/// The notes a delivery's words can be made from in each language
/// (`delivery-note-<why>`), by their value `why`.
pub const NOTES: &[&str] = &["invited", "invited_again", "access", "expired", "withdrawn", "paused"];

/// Keeps the values of what the delivery's `detail` says (`why`: one of [`NOTES`]),
/// so the buyer reads it in their language. Call it after [`upsert`], which clears it.
pub fn set_note(conn: &Connection, order_id: i64, values: &[(&str, String)]) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE deliveries SET data = ?2 WHERE order_id = ?1")?
        .execute(params![order_id, super::event_values(values)])?;
    Ok(())
}

/// The values [`set_note`] kept, if they make one of [`NOTES`].
pub fn read_note(data: Option<String>) -> Vec<(String, String)> {
    data.and_then(|d| super::read_event_values(&d, "note", (&["note"], NOTES))).unwrap_or_default()
}

/// Keeps, for staff, why an order's delivery failed (members see the delivery's detail instead).
pub fn set_last_error(conn: &Connection, order_id: i64, error: &str) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE deliveries SET last_error = ?2 WHERE order_id = ?1")?
        .execute(params![order_id, error])?;
    Ok(())
}

pub fn mark_revoked(conn: &Connection, order_id: i64) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE deliveries SET status = 'revoked', revoked_at = ?2, updated_at = ?2 WHERE order_id = ?1",
    )?
    .execute(params![order_id, now()])?;
    Ok(())
}

/// The GitHub account a `github_invite` delivery invited, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GithubGrant {
    pub repo: String,
    pub login: String,
    pub user_id: i64,
}

/// Records which account an order's invitation went to (after `upsert`).
pub fn record_github_grant(conn: &Connection, order_id: i64, grant: &GithubGrant) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE deliveries SET github_repo = ?2, github_login = ?3, github_user_id = ?4 WHERE order_id = ?1",
    )?
    .execute(params![order_id, grant.repo, grant.login, grant.user_id])?;
    Ok(())
}

/// The account an order's invitation went to, if one was sent.
pub fn github_grant(conn: &Connection, order_id: i64) -> Result<Option<GithubGrant>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT github_repo, github_login, github_user_id FROM deliveries
             WHERE order_id = ?1 AND github_user_id IS NOT NULL",
        )?
        .query_row([order_id], |r| Ok(GithubGrant { repo: r.get(0)?, login: r.get(1)?, user_id: r.get(2)? }))
        .optional()?)
}

/// Whether a paid order other than `order_id` still grants the same account the same repository.
pub fn github_grant_held_elsewhere(conn: &Connection, order_id: i64, grant: &GithubGrant) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM deliveries d JOIN orders o ON o.id = d.order_id
             WHERE d.github_repo = ?2 AND d.github_user_id = ?3 AND d.order_id <> ?1
               AND d.status IN ('pending', 'delivered') AND o.status = 'paid')",
        )?
        .query_row(params![order_id, grant.repo, grant.user_id], |r| r.get(0))?)
}

/// A delivery's status and detail, if it exists.
pub fn status(conn: &Connection, order_id: i64) -> Result<Option<(String, String)>, DbError> {
    Ok(conn
        .prepare_cached("SELECT status, detail FROM deliveries WHERE order_id = ?1")?
        .query_row([order_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// The order's license key, creating it with `candidate` if it has none yet.
pub fn ensure_license(
    conn: &Connection,
    order_id: i64,
    candidate: &str,
    activation_limit: u32,
    expires_at: Option<i64>,
) -> Result<String, DbError> {
    conn.prepare_cached(
        "INSERT INTO license_keys (order_id, license_key, activation_limit, expires_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (order_id) DO NOTHING",
    )?
    .execute(params![order_id, candidate, activation_limit, expires_at, now()])?;
    Ok(conn
        .prepare_cached("SELECT license_key FROM license_keys WHERE order_id = ?1")?
        .query_row([order_id], |r| r.get(0))?)
}

/// Every revoked license key.
pub fn revoked_keys(conn: &Connection) -> Result<Vec<String>, DbError> {
    let mut stmt =
        conn.prepare_cached("SELECT license_key FROM license_keys WHERE revoked_at IS NOT NULL ORDER BY id")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Makes a withdrawn key valid again (staff restored the order's access).
pub fn restore_license(conn: &Connection, order_id: i64) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE license_keys SET revoked_at = NULL WHERE order_id = ?1")?.execute([order_id])?;
    Ok(())
}

/// The order's license key, unless it is revoked.
pub fn license_key_of(conn: &Connection, order_id: i64) -> Result<Option<String>, DbError> {
    Ok(conn
        .prepare_cached("SELECT license_key FROM license_keys WHERE order_id = ?1 AND revoked_at IS NULL")?
        .query_row([order_id], |r| r.get(0))
        .optional()?)
}

/// When the order's delivery was last withdrawn, if ever.
pub fn revoked_at(conn: &Connection, order_id: i64) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached("SELECT revoked_at FROM deliveries WHERE order_id = ?1")?
        .query_row([order_id], |r| r.get(0))
        .optional()?
        .flatten())
}

pub fn revoke_license(conn: &Connection, order_id: i64) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE license_keys SET revoked_at = coalesce(revoked_at, ?2) WHERE order_id = ?1")?
        .execute(params![order_id, now()])?;
    Ok(())
}

/// What the license API may say about a key: nothing about its owner.
#[derive(Debug, Clone)]
pub struct LicenseState {
    pub id: i64,
    pub activation_limit: i64,
    pub expires_at: Option<i64>,
    pub revoked: bool,
    pub activations: i64,
}

pub fn license_state(conn: &Connection, key: &str) -> Result<Option<LicenseState>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT l.id, l.activation_limit, l.expires_at, l.revoked_at IS NOT NULL,
                    (SELECT count(*) FROM license_activations a WHERE a.license_id = l.id)
             FROM license_keys l WHERE l.license_key = ?1",
        )?
        .query_row([key], |r| {
            Ok(LicenseState {
                id: r.get(0)?,
                activation_limit: r.get(1)?,
                expires_at: r.get(2)?,
                revoked: r.get(3)?,
                activations: r.get(4)?,
            })
        })
        .optional()?)
}

pub fn is_activated(conn: &Connection, license_id: i64, instance: &str) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM license_activations WHERE license_id = ?1 AND instance = ?2)")?
        .query_row(params![license_id, instance], |r| r.get(0))?)
}

/// Adds an activation if the limit allows (checked inside the caller's transaction),
/// or, for one already there, takes the new name and marks it seen.
pub fn activate(conn: &Connection, license_id: i64, instance: &str, name: &str, network: &str) -> Result<(), DbError> {
    let t = now();
    conn.prepare_cached(
        "INSERT INTO license_activations (license_id, instance, name, created_at, last_seen_at, last_network)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5)
         ON CONFLICT (license_id, instance) DO UPDATE SET
             name = CASE WHEN excluded.name != '' THEN excluded.name ELSE name END,
             last_seen_at = excluded.last_seen_at, last_network = excluded.last_network",
    )?
    .execute(params![license_id, instance, name, t, network])?;
    Ok(())
}

/// Marks an activation seen by the license API, at most once a minute.
pub fn seen(conn: &Connection, license_id: i64, instance: &str, network: &str, at: i64) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE license_activations SET last_seen_at = ?3, last_network = ?4
         WHERE license_id = ?1 AND instance = ?2 AND coalesce(last_seen_at, 0) <= ?3 - 60",
    )?
    .execute(params![license_id, instance, at, network])?;
    Ok(())
}

const LICENSE_SELECT: &str = "SELECT l.id, o.public_id, p.name, l.license_key, l.activation_limit, l.expires_at,
        l.revoked_at IS NOT NULL, l.created_at, o.created_at, o.id
     FROM orders o JOIN license_keys l ON l.order_id = o.id JOIN products p ON p.id = o.product_id";

fn license_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Cursor, LicenseView)> {
    Ok((
        Cursor { at: r.get(8)?, id: r.get(9)? },
        LicenseView {
            id: r.get(0)?,
            order_public_id: r.get(1)?,
            product_name: r.get(2)?,
            license_key: r.get(3)?,
            activation_limit: r.get(4)?,
            expires_at: r.get(5)?,
            revoked: r.get(6)?,
            expired: false,
            created_at: r.get(7)?,
            activations: Vec::new(),
        },
    ))
}

/// The activations of `licenses`, filled in, newest first (through the (license, instance) key).
fn with_activations(conn: &Connection, licenses: &mut [LicenseView]) -> Result<(), DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, instance, name, created_at, coalesce(last_seen_at, created_at), last_network
         FROM license_activations WHERE license_id = ?1 ORDER BY created_at DESC, id DESC",
    )?;
    for license in licenses {
        license.activations = stmt
            .query_map([license.id], |r| {
                Ok(Activation {
                    id: r.get(0)?,
                    instance: r.get(1)?,
                    name: r.get(2)?,
                    created_at: r.get(3)?,
                    last_seen_at: r.get(4)?,
                    last_network: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
    }
    Ok(())
}

/// The SQL of a page of a member's keys (`?1` the member, `?2, ?3` the cursor): for the plan test.
pub fn licenses_query(at: PageAt) -> String {
    let (cmp, order) = if at.ascending() { (">", "ASC") } else { ("<", "DESC") };
    let cursor = match at {
        PageAt::Before(_) | PageAt::After(_) => format!(" AND (o.created_at, o.id) {cmp} (?2, ?3)"),
        PageAt::First => String::new(),
    };
    format!(
        "{LICENSE_SELECT} WHERE o.user_id = ?1{cursor} ORDER BY o.created_at {order}, o.id {order} LIMIT {}",
        PAGE_SIZE + 1
    )
}

/// A page of a member's license keys with their activations, newest order first
/// (through `orders_user` and each key's order).
pub fn licenses_of(conn: &Connection, user_id: i64, at: PageAt) -> Result<Page<LicenseView>, DbError> {
    let mut stmt = conn.prepare_cached(&licenses_query(at))?;
    let rows = match at {
        PageAt::Before(c) | PageAt::After(c) => stmt.query_map(params![user_id, c.at, c.id], license_row)?,
        PageAt::First => stmt.query_map(params![user_id], license_row)?,
    }
    .collect::<Result<Vec<_>, _>>()?;
    let page = Page::from_rows(rows, at, |(c, _)| *c);
    let mut licenses: Vec<LicenseView> = page.rows.into_iter().map(|(_, l)| l).collect();
    with_activations(conn, &mut licenses)?;
    Ok(Page { rows: licenses, newer: page.newer, older: page.older })
}

/// An order's license key with its activations (for staff).
pub fn license_of_order(conn: &Connection, public_id: &str) -> Result<Option<LicenseView>, DbError> {
    let found = conn
        .prepare_cached(&format!("{LICENSE_SELECT} WHERE o.public_id = ?1"))?
        .query_row([public_id], license_row)
        .optional()?;
    let Some((_, license)) = found else { return Ok(None) };
    let mut one = [license];
    with_activations(conn, &mut one)?;
    let [license] = one;
    Ok(Some(license))
}

/// Removes an activation of a key bought by `owner` (any key, for staff: `None`):
/// the key and the instance it freed, or `None` when there is no such activation.
pub fn remove_activation(
    conn: &Connection,
    activation_id: i64,
    owner: Option<i64>,
) -> Result<Option<(String, String)>, DbError> {
    let found: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT l.license_key, a.instance FROM license_activations a
             JOIN license_keys l ON l.id = a.license_id JOIN orders o ON o.id = l.order_id
             WHERE a.id = ?1 AND (?2 IS NULL OR o.user_id = ?2)",
        )?
        .query_row(params![activation_id, owner], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if found.is_some() {
        conn.prepare_cached("DELETE FROM license_activations WHERE id = ?1")?.execute([activation_id])?;
    }
    Ok(found)
}

/// Sets how many machines a key may be active on (machines above it stay until removed).
pub fn set_activation_limit(conn: &Connection, license_id: i64, limit: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("UPDATE license_keys SET activation_limit = ?2 WHERE id = ?1")?
        .execute(params![license_id, limit])?
        == 1)
}

pub fn deactivate(conn: &Connection, license_id: i64, instance: &str) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("DELETE FROM license_activations WHERE license_id = ?1 AND instance = ?2")?
        .execute(params![license_id, instance])?
        == 1)
}

/// What a member owns: paid orders with their delivery and key.
pub fn owned_by(conn: &Connection, user_id: i64) -> Result<Vec<OwnedItem>, DbError> {
    let sql = format!("{OWNED_SQL} ORDER BY o.paid_at DESC, o.id DESC");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([user_id], owned_row)?.map(|r| r.map(|(_, _, item)| item));
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// A page of what a member owns, newest purchase first, by `(paid_at, order id)`,
/// read through `orders_user_paid`.
pub fn owned_page(conn: &Connection, user_id: i64, at: PageAt) -> Result<Page<OwnedItem>, DbError> {
    let (cmp, order) = if at.ascending() { (">", "ASC") } else { ("<", "DESC") };
    let mut args: Vec<i64> = vec![user_id];
    let mut sql = OWNED_SQL.to_owned();
    if let PageAt::Before(c) | PageAt::After(c) = at {
        sql += &format!(" AND (o.paid_at, o.id) {cmp} (?2, ?3)");
        args.extend([c.at, c.id]);
    }
    sql += &format!(" ORDER BY o.paid_at {order}, o.id {order} LIMIT {}", PAGE_SIZE + 1);
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(args), owned_row)?
        .collect::<Result<Vec<_>, _>>()?;
    let page = Page::from_rows(rows, at, |(paid_at, id, _)| Cursor { at: *paid_at, id: *id });
    Ok(Page { rows: page.rows.into_iter().map(|(_, _, item)| item).collect(), newer: page.newer, older: page.older })
}

const OWNED_SQL: &str =
    "SELECT o.public_id, o.product_name, p.delivery_kind, d.status, coalesce(d.detail, ''), l.license_key, o.product_id,
            o.paid_at, o.id, d.data
     FROM orders o JOIN products p ON p.id = o.product_id
     LEFT JOIN deliveries d ON d.order_id = o.id
     LEFT JOIN license_keys l ON l.order_id = o.id AND l.revoked_at IS NULL
     WHERE o.user_id = ?1 AND o.status = 'paid' AND coalesce(d.status, '') <> 'revoked'";

fn owned_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, i64, OwnedItem)> {
    let kind: String = r.get(2)?;
    let item = OwnedItem {
        public_id: r.get(0)?,
        product_name: r.get(1)?,
        delivery_kind: DeliveryKind::parse(&kind).unwrap_or(DeliveryKind::WebAccess),
        delivery_status: r.get::<_, Option<String>>(3)?.as_deref().and_then(DeliveryStatus::parse),
        detail: r.get(4)?,
        note: read_note(r.get(9)?),
        license_key: r.get(5)?,
        product_id: r.get(6)?,
        files: Vec::new(),
    };
    Ok((r.get::<_, Option<i64>>(7)?.unwrap_or(0), r.get(8)?, item))
}

/// The jobs not done (dead ones first, then newest), read through `jobs_due` by
/// status: the finished ones, however many, are never read.
pub const OPEN_JOBS_SQL: &str = "SELECT id, kind, status, attempts, max_attempts, run_at, last_error FROM jobs
     WHERE status IN ('dead', 'queued', 'running') ORDER BY status = 'dead' DESC, id DESC LIMIT 300";

/// Jobs that are not done (queued, running, dead): see [`OPEN_JOBS_SQL`].
pub fn open_jobs(conn: &Connection) -> Result<Vec<JobView>, DbError> {
    let mut stmt = conn.prepare_cached(OPEN_JOBS_SQL)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(JobView {
                id: r.get(0)?,
                kind: r.get(1)?,
                status: JobStatus::parse(&r.get::<_, String>(2)?).unwrap_or(JobStatus::Queued),
                attempts: r.get(3)?,
                max_attempts: r.get(4)?,
                run_at: r.get(5)?,
                last_error: r.get(6)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Download links live 72 hours.
pub const LINK_LIFETIME_SECS: i64 = 72 * 3600;

/// Creates a download link to one file of the order's product (`None`: its first)
/// and returns its token (only the hash is stored).
pub fn create_download_link(
    conn: &Connection,
    order_id: i64,
    file_id: Option<i64>,
    max_downloads: u32,
) -> Result<String, DbError> {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw)?;
    let token = hex::encode(raw);
    let t = now();
    conn.prepare_cached(
        "INSERT INTO download_links (order_id, token_hash, expires_at, max_downloads, created_at, file_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![order_id, token_hash(&token), t + LINK_LIFETIME_SECS, max_downloads, t, file_id])?;
    Ok(token)
}

/// How many download links an order got since `since` (unix seconds).
pub fn links_created_since(conn: &Connection, order_id: i64, since: i64) -> Result<i64, DbError> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM download_links WHERE order_id = ?1 AND created_at >= ?2")?
        .query_row(params![order_id, since], |r| r.get(0))?)
}

fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Why a download link cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    Unknown,
    Expired,
    UsedUp,
    Revoked,
}

/// A download reserved on a link: given back with [`give_back_download`] unless
/// the whole file was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownloadUse {
    pub link_id: i64,
    pub order_id: i64,
    /// The file the link is for (`None`: a link from before files had ids, the product's first).
    pub file_id: Option<i64>,
    /// Whether this request took one of the link's downloads (false: it continues one).
    pub counted: bool,
}

/// Reserves one download of a link: the order it belongs to, or why not. Reads
/// first and writes only for a usable link (an unknown token never takes the write
/// lock); the count goes up in one conditional statement, so two downloads racing
/// for the last use cannot both get it.
pub fn use_download_link(
    conn: &Connection,
    token: &str,
    start: DownloadStart,
) -> Result<Result<DownloadUse, LinkRefusal>, DbError> {
    struct Link {
        id: i64,
        order_id: i64,
        expires_at: i64,
        left: i64,
        status: String,
        file_id: Option<i64>,
        counted_at: Option<i64>,
    }
    let row = conn
        .prepare_cached(
            "SELECT l.id, l.order_id, l.expires_at, l.max_downloads - l.downloads AS downloads_left,
                    CASE WHEN d.status = 'revoked' THEN 'revoked' ELSE o.status END AS status, l.file_id, l.counted_at
             FROM download_links l JOIN orders o ON o.id = l.order_id
             LEFT JOIN deliveries d ON d.order_id = l.order_id WHERE l.token_hash = ?1",
        )?
        .query_row([token_hash(token)], |r| {
            Ok(Link {
                id: r.get("id")?,
                order_id: r.get("order_id")?,
                expires_at: r.get("expires_at")?,
                left: r.get("downloads_left")?,
                status: r.get("status")?,
                file_id: r.get("file_id")?,
                counted_at: r.get("counted_at")?,
            })
        })
        .optional()?;
    let Some(Link { id, order_id, expires_at, left, status, file_id, counted_at }) = row else {
        return Ok(Err(LinkRefusal::Unknown));
    };
    let t = now();
    if status != "paid" {
        return Ok(Err(LinkRefusal::Revoked));
    } else if expires_at <= t {
        return Ok(Err(LinkRefusal::Expired));
    }
    // A range continuing a download counted in the last half hour (a resumed or
    // segmented transfer) is part of it; anything else counts, from the first byte
    // or not, so a link cannot be read whole range by range for free.
    let continues = start == DownloadStart::Continuing && counted_at.is_some_and(|at| t - at <= CONTINUE_SECS);
    if continues {
        return Ok(Ok(DownloadUse { link_id: id, order_id, file_id, counted: false }));
    }
    if left <= 0 {
        return Ok(Err(LinkRefusal::UsedUp));
    }
    let counted = conn
        .prepare_cached(
            "UPDATE download_links SET downloads = downloads + 1, counted_at = ?2
             WHERE id = ?1 AND downloads < max_downloads AND expires_at > ?2
               AND (SELECT status FROM orders WHERE id = ?3) = 'paid'",
        )?
        .execute(params![id, t, order_id])?;
    if counted == 0 {
        return Ok(Err(LinkRefusal::UsedUp));
    }
    Ok(Ok(DownloadUse { link_id: id, order_id, file_id, counted: true }))
}

/// How long after a counted download ranges continuing it are free.
pub const CONTINUE_SECS: i64 = 30 * 60;

/// Where a download request starts in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownloadStart {
    /// The whole file, or a range from byte 0.
    FirstByte,
    /// A range from further in (a resumed or segmented transfer).
    Continuing,
}

/// Returns a counted download that did not reach its last byte (a `HEAD`, a
/// conditional `304`, or a transfer cut off midway); ranges then no longer continue it.
pub fn give_back_download(conn: &Connection, link_id: i64) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE download_links SET downloads = downloads - 1, counted_at = NULL WHERE id = ?1 AND downloads > 0",
    )?
    .execute([link_id])?;
    Ok(())
}

/// How many deliveries there are of each (kind, status), for `/metrics`.
pub fn count_by_kind_and_status(conn: &Connection) -> Result<Vec<(String, String, i64)>, DbError> {
    Ok(conn
        .prepare_cached("SELECT kind, status, count(*) FROM deliveries GROUP BY kind, status")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?)
}

/// Adds a step to a service's progress (its note is what the buyer reads).
pub fn add_service_update(
    conn: &Connection,
    order_id: i64,
    stage: ServiceStage,
    note: &str,
    staff: Option<i64>,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO service_updates (order_id, stage, note, staff_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![order_id, stage.as_str(), note, staff, now()])?;
    Ok(())
}

/// A service's steps, oldest first (through `service_updates_order`).
pub fn service_updates(conn: &Connection, order_id: i64) -> Result<Vec<ServiceUpdate>, DbError> {
    let mut stmt =
        conn.prepare_cached("SELECT stage, note, created_at FROM service_updates WHERE order_id = ?1 ORDER BY id")?;
    let rows = stmt
        .query_map([order_id], |r| {
            let stage: String = r.get(0)?;
            Ok(ServiceUpdate {
                stage: ServiceStage::parse(&stage).unwrap_or(ServiceStage::InProgress),
                note: r.get(1)?,
                at: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The SQL of a page of a member's services (`?1` the member, `?2, ?3` the cursor): for the plan test.
pub fn services_query(at: PageAt) -> String {
    let (cmp, order) = if at.ascending() { (">", "ASC") } else { ("<", "DESC") };
    let mut sql = "SELECT o.public_id, o.product_name, coalesce(o.paid_at, 0), o.id, o.status, coalesce(d.status, ''),
                o.created_at
         FROM orders o JOIN products p ON p.id = o.product_id LEFT JOIN deliveries d ON d.order_id = o.id
         WHERE o.user_id = ?1 AND o.status IN ('paid', 'refunded') AND p.delivery_kind = 'manual'"
        .to_owned();
    if let PageAt::Before(_) | PageAt::After(_) = at {
        sql += &format!(" AND (o.created_at, o.id) {cmp} (?2, ?3)");
    }
    sql += &format!(" ORDER BY o.created_at {order}, o.id {order} LIMIT {}", PAGE_SIZE + 1);
    sql
}

/// A page of the services a member bought (paid or refunded orders of products
/// delivered by hand), newest order first by `(created_at, order id)` through
/// `orders_user_recent`, each with its steps.
pub fn services_of(conn: &Connection, user_id: i64, at: PageAt) -> Result<Page<ServiceView>, DbError> {
    let mut args: Vec<i64> = vec![user_id];
    if let PageAt::Before(c) | PageAt::After(c) = at {
        args.extend([c.at, c.id]);
    }
    let sql = services_query(at);
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(args), |r| {
            let (status, delivery): (String, String) = (r.get(4)?, r.get(5)?);
            let withdrawn = status == "refunded" || delivery == "revoked";
            Ok((
                Cursor { at: r.get(6)?, id: r.get(3)? },
                withdrawn,
                ServiceView {
                    order_public_id: r.get(0)?,
                    product_name: r.get(1)?,
                    paid_at: r.get(2)?,
                    stage: ServiceStage::Received,
                    updates: Vec::new(),
                },
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let page = Page::from_rows(rows, at, |(cursor, _, _)| *cursor);
    let mut services = Vec::with_capacity(page.rows.len());
    for (cursor, withdrawn, mut service) in page.rows {
        service.updates = service_updates(conn, cursor.id)?;
        service.stage = match service.updates.last() {
            _ if withdrawn => ServiceStage::Withdrawn,
            Some(update) => update.stage,
            None => ServiceStage::Received,
        };
        services.push(service);
    }
    Ok(Page { rows: services, newer: page.newer, older: page.older })
}
