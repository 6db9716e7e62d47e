//! "Notify the waitlist": when a product that people waited for goes on sale,
//! each of them gets one launch mail with an early-bird coupon.
//!
//! Pressing the button records the launch and its coupon and queues one job;
//! the job mails the list in batches, marking each entry in the transaction that
//! queues its mail (bulk priority, behind transactional mail), so a restart
//! resumes where it stopped and nobody is mailed twice.

use super::db::{audit, catalog, coupons, waitlist, DbError};
use super::jobs::{self, JobError, JobKind};
use super::mail::{self, templates};
use super::AppState;
use crate::domain::coupons::{CouponInput, Discount};
use crate::domain::products::ProductStatus;
use crate::domain::time::{format_jakarta, DAY_SECS};
use serde::{Deserialize, Serialize};

/// Entries mailed per transaction.
const BATCH: usize = 50;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LaunchJob {
    pub product_id: i64,
}

/// What staff choose for the early-bird coupon.
#[derive(Debug, Clone, Copy)]
pub struct EarlyBird {
    /// 1–100 % off.
    pub percent: i64,
    /// How many days it works, from now.
    pub days: i64,
}

/// Starts the launch mail for `product_id`. Returns whether this press started it
/// (`Ok(false)`: it had been started already), or why it cannot start.
pub async fn start(
    state: &AppState,
    staff_id: i64,
    product_id: i64,
    early: EarlyBird,
) -> Result<Result<bool, &'static str>, DbError> {
    state
        .db
        .run(move |c| {
            let tx = c.transaction()?;
            let Some(product) = catalog::by_id(&tx, product_id)? else { return Ok(Err("There is no such product.")) };
            if product.status != ProductStatus::Active {
                return Ok(Err("Put the product on sale first: the mail tells people they can buy it now."));
            }
            if waitlist::launch_started(&tx, product_id)? {
                return Ok(Ok(false));
            }
            let waiting = waitlist::people(&tx, product_id)?.len() as i64;
            if waiting == 0 {
                return Ok(Err("Nobody is on this waitlist."));
            }
            let now = super::db::now();
            let mut code: String =
                format!("EARLY-{}", product.slug.as_str().to_ascii_uppercase()).chars().take(32).collect();
            if coupons::by_code(&tx, &code)?.is_some() {
                code = format!("EARLY-{product_id}-{now}");
            }
            let coupon = CouponInput {
                code,
                discount: Discount::Percent(early.percent),
                product_id: Some(product_id),
                expires_at: Some(now + early.days * DAY_SECS),
                // One use for each person waiting.
                max_uses: Some(waiting),
                note: format!("Early bird for the {} waitlist", product.name),
            };
            let coupon_id = coupons::insert(&tx, staff_id, &coupon)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
            waitlist::start_launch(&tx, product_id, coupon_id, staff_id, now)?;
            let options = jobs::Options {
                dedupe_key: Some(&format!("waitlist-launch:{product_id}")),
                priority: jobs::Priority::Bulk,
                ..jobs::Options::default()
            };
            jobs::enqueue_with(&tx, JobKind::WaitlistLaunch, &LaunchJob { product_id }, options)?;
            audit::record(
                &tx,
                Some(staff_id),
                "waitlist.launch_sent",
                &format!("product:{product_id}"),
                &format!("{waiting} waiting; coupon {}", coupon.code),
            )?;
            tx.commit()?;
            Ok(Ok(true))
        })
        .await
}

/// The `waitlist_launch` job: in batches, each entry not yet mailed gets the
/// launch mail, marked in the same transaction as its mail.
pub async fn run(state: &AppState, job: LaunchJob) -> Result<(), JobError> {
    let product_id = job.product_id;
    loop {
        let config = state.config.clone();
        let mailed = state
            .db
            .run(move |c| -> Result<usize, DbError> {
                let tx = c.transaction()?;
                let Some(product) = catalog::by_id(&tx, product_id)? else { return Ok(0) };
                let Some(coupon) = waitlist::launch_coupon(&tx, product_id)? else { return Ok(0) };
                let link = config.url(&format!("{}?coupon={}", product.path(), coupon.code));
                let until = coupon.expires_at.map(format_jakarta).unwrap_or_default();
                let entries = waitlist::next_unmailed(&tx, product_id, BATCH)?;
                for entry in &entries {
                    if !waitlist::mark_launch_mailed(&tx, entry.id)? {
                        continue;
                    }
                    let launch = templates::WaitlistLaunch {
                        product: &product.name,
                        summary: &product.summary,
                        link: &link,
                        code: &coupon.code,
                        discount: &coupon.discount.label(),
                        until: &until,
                    };
                    let email = templates::waitlist_launch(&config, &entry.email, &entry.name, &launch);
                    mail::enqueue_bulk(&tx, &email, &format!("waitlist-launch:{product_id}:{}", entry.id))?;
                }
                if entries.is_empty() {
                    waitlist::finish_launch(&tx, product_id)?;
                }
                tx.commit()?;
                Ok(entries.len())
            })
            .await?;
        if mailed == 0 {
            return Ok(());
        }
        tracing::info!(product_id, mailed, "launch mail queued for a batch of the waitlist");
    }
}
