//! Delivery of what was paid for, run as jobs (`deliver_order`, `revoke_order`),
//! one file per delivery kind (web_access, email_file, license_key, github_invite,
//! manual); `files` serves download links and `licenses` the license API.
//! Every handler is idempotent: running one twice delivers once, mails once.

pub mod actions;
mod email_file;
mod github_invite;
mod license_key;
mod manual;
mod web_access;

pub use github_invite::check_github_access;
pub use manual::{mark_manual_delivered, post_service_update};

use crate::domain::{
    delivery::{DeliveryConfig, DeliveryKind},
    orders::OrderStatus,
};
use crate::server::config::Config;
use crate::server::db::Db;
use crate::server::db::{catalog, deliveries, orders, users, DbError};
use crate::server::jobs::{self, JobError};
use crate::server::mail;
use crate::server::studio::{github::Github, licensing::LicenseSigner};
use rusqlite::TransactionBehavior;

/// The payload of an order's delivery and revocation jobs.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct OrderJob {
    pub order_id: i64,
}

/// The payload of the hourly check of a GitHub invitation.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct AccessCheck {
    pub order_id: i64,
    pub check: u32,
    /// 0 for the first invitation; each new invitation has its own round of checks.
    #[serde(default)]
    pub round: u32,
}

/// The group of an order's delivery and revocation: they run in the order queued.
pub fn order_group(order_id: i64) -> String {
    format!("order:{order_id}")
}

/// Queues the withdrawal of what a paid order delivered (a refund, the buyer's
/// account deleted, a subscription that ended), once per order, after any delivery
/// still running for it.
pub fn enqueue_revoke(conn: &rusqlite::Connection, order_id: i64) -> Result<(), DbError> {
    enqueue_revoke_as(conn, order_id, &format!("revoke:{order_id}"))
}

/// [`enqueue_revoke`] under a key of the caller's (staff withdraw access more than once).
fn enqueue_revoke_as(conn: &rusqlite::Connection, order_id: i64, key: &str) -> Result<(), DbError> {
    jobs::enqueue_with(
        conn,
        jobs::JobKind::RevokeOrder,
        &OrderJob { order_id },
        jobs::Options { dedupe_key: Some(key), group: Some(&order_group(order_id)), ..jobs::Options::default() },
    )?;
    Ok(())
}

/// What delivering needs of the running studio: the database, the settings, the
/// GitHub client and the license signer (lent by the caller, so a test or the
/// worker hands in exactly these).
pub struct Deps<'a> {
    pub db: &'a Db,
    pub config: &'a std::sync::Arc<Config>,
    pub github: &'a Github,
    pub license_signer: &'a LicenseSigner,
}

struct Context {
    order: orders::OrderRow,
    product_slug: String,
    kind: DeliveryKind,
    config: DeliveryConfig,
    buyer_email: String,
    buyer_name: String,
    buyer_lang: crate::domain::Lang,
}

async fn load(deps: &Deps<'_>, order_id: i64) -> Result<Context, JobError> {
    let found = deps
        .db
        .run(move |c| -> Result<_, DbError> {
            let Some(order) = orders::by_id(c, order_id)? else { return Ok(None) };
            let Some(product) = catalog::by_id(c, order.product_id)? else { return Ok(None) };
            let (_, config) = catalog::delivery_config(c, product.id)?;
            let (buyer_email, buyer_name, buyer_lang) = users::recipient(c, order.user_id)?;
            Ok(Some(Context {
                order,
                product_slug: product.slug,
                kind: product.delivery_kind,
                config,
                buyer_email,
                buyer_name,
                buyer_lang,
            }))
        })
        .await
        .map_err(anyhow::Error::new)?;
    found.ok_or_else(|| JobError::Permanent(anyhow::anyhow!("order {order_id} or its product no longer exists")))
}

/// The one way a delivery is recorded, in one transaction: the delivery row as
/// delivered with `detail` (and its `note`'s values, if any: `deliveries::set_note`), what `issue` writes beside it (a key, a link, a grant),
/// and the buyer's mail `issue` answers, queued once per order. `issue` is told
/// whether the order was delivered before; when it answers `None` nothing is written.
async fn record_delivered<F>(
    deps: &Deps<'_>,
    order_id: i64,
    kind: DeliveryKind,
    (detail, note): (String, Vec<(&'static str, String)>),
    issue: F,
) -> Result<(), DbError>
where
    F: FnOnce(&rusqlite::Transaction<'_>, bool) -> Result<Option<mail::Email>, DbError> + Send + 'static,
{
    deps.db
        .run(move |c| -> Result<(), DbError> {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let delivered_before = deliveries::status(&tx, order_id)?.is_some_and(|(s, _)| s == "delivered");
            // A delivery restored after staff withdrew it mails again (once per withdrawal).
            let key = match deliveries::revoked_at(&tx, order_id)? {
                Some(at) => format!("delivered:{order_id}:after:{at}"),
                None => format!("delivered:{order_id}"),
            };
            deliveries::upsert(&tx, order_id, kind.as_str(), "delivered", &detail)?;
            if !note.is_empty() {
                deliveries::set_note(&tx, order_id, &note)?;
            }
            // Dropping the transaction without committing undoes the row above.
            let Some(message) = issue(&tx, delivered_before)? else { return Ok(()) };
            jobs::enqueue(&tx, jobs::JobKind::SendEmail, &message, Some(&key))?;
            tx.commit()?;
            Ok(())
        })
        .await
}

/// Delivers a paid order by its product's delivery kind (nothing if it is not paid any more).
pub async fn deliver(deps: &Deps<'_>, job: OrderJob) -> Result<(), JobError> {
    let cx = load(deps, job.order_id).await?;
    if cx.order.status != OrderStatus::Paid {
        tracing::info!(order = %cx.order.public_id, status = %cx.order.status, "not paid (any more): nothing to deliver");
        return Ok(());
    }
    let (public_id, kind) = (cx.order.public_id.clone(), cx.kind);
    match kind {
        DeliveryKind::WebAccess => web_access::deliver(deps, cx).await?,
        DeliveryKind::LicenseKey => license_key::deliver(deps, cx).await?,
        DeliveryKind::EmailFile => email_file::deliver(deps, cx).await?,
        DeliveryKind::GithubInvite => github_invite::deliver(deps, cx).await?,
        DeliveryKind::Manual => manual::deliver(deps, cx).await?,
    }
    tracing::info!(order = %public_id, %kind, "delivered");
    Ok(())
}

/// Withdraws what a refunded order delivered.
pub async fn revoke(deps: &Deps<'_>, job: OrderJob) -> Result<(), JobError> {
    let cx = load(deps, job.order_id).await?;
    match cx.kind {
        // Download links check the order's status on every use: a refund ends them.
        DeliveryKind::WebAccess | DeliveryKind::Manual | DeliveryKind::LicenseKey | DeliveryKind::EmailFile => {
            let order_id = cx.order.id;
            deps.db
                .run(move |c| -> Result<(), DbError> {
                    let tx = c.transaction()?;
                    deliveries::revoke_license(&tx, order_id)?;
                    deliveries::mark_revoked(&tx, order_id)?;
                    tx.commit()?;
                    Ok(())
                })
                .await?;
            tracing::info!(order = %cx.order.public_id, kind = %cx.kind, "access revoked");
            Ok(())
        }
        DeliveryKind::GithubInvite => github_invite::revoke(deps, cx).await,
    }
}
