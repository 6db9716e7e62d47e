//! "Notify the waitlist": when a product that people waited for goes on sale,
//! each of them gets one launch mail with an early-bird coupon.
//!
//! Pressing the button records the launch and its coupon and queues one job;
//! the job mails the list in batches, marking each entry in the transaction that
//! queues its mail (bulk priority, behind transactional mail), so a restart
//! resumes where it stopped and nobody is mailed twice.

use crate::domain::coupons::{CouponInput, Discount};
use crate::domain::products::ProductStatus;
use crate::domain::time::DAY_SECS;
use crate::server::config::Config;
use crate::server::db::Db;
use crate::server::db::{audit, catalog, coupons, waitlist, DbError};
use crate::server::jobs::{self, JobError, JobKind};
use crate::server::mail::{self, templates};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

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
    db: &Db,
    staff_id: i64,
    product_id: i64,
    early: EarlyBird,
) -> Result<Result<bool, &'static str>, DbError> {
    db.run(move |c| {
        let tx = c.transaction()?;
        let Some(product) = catalog::by_id(&tx, product_id)? else { return Ok(Err("There is no such product.")) };
        if product.status != ProductStatus::Active {
            return Ok(Err("Put the product on sale first: the mail tells people they can buy it now."));
        }
        if waitlist::launch_started(&tx, product_id)? {
            return Ok(Ok(false));
        }
        let waiting = waitlist::count(&tx, product_id)?;
        if waiting == 0 {
            return Ok(Err("Nobody is on this waitlist."));
        }
        let now = crate::server::db::now();
        // Each address gets its own code, made with its mail (see `run`).
        let terms = waitlist::LaunchTerms {
            percent: early.percent,
            expires_at: now + early.days * DAY_SECS,
            started_by: Some(staff_id),
        };
        waitlist::start_launch(&tx, product_id, &terms, now)?;
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
            &format!("{waiting} waiting; each their own code for {} % off", early.percent),
        )?;
        tx.commit()?;
        Ok(Ok(true))
    })
    .await
}

/// The `waitlist_launch` job: in batches, each entry not yet mailed gets the
/// launch mail, marked in the same transaction as its mail.
pub async fn run(db: &Db, config: &Arc<Config>, job: LaunchJob) -> Result<(), JobError> {
    let product_id = job.product_id;
    loop {
        let config = config.clone();
        let mailed = db
            .run(move |c| -> Result<usize, DbError> {
                let tx = c.transaction()?;
                let Some(product) = catalog::by_id(&tx, product_id)? else { return Ok(0) };
                let Some(terms) = waitlist::launch_terms(&tx, product_id)? else { return Ok(0) };
                let discount = Discount::Percent(terms.percent);
                let entries = waitlist::next_unmailed(&tx, product_id, BATCH)?;
                for entry in &entries {
                    if !waitlist::mark_launch_mailed(&tx, entry.id)? {
                        continue;
                    }
                    // The address's own code: one use, only for an order of this address.
                    let coupon = CouponInput {
                        code: String::new(),
                        discount,
                        product_id: Some(product_id),
                        expires_at: Some(terms.expires_at),
                        max_uses: Some(1),
                        note: format!("Early bird for {} ({})", entry.email, product.name),
                        email: Some(entry.email.clone()),
                    };
                    let (coupon_id, code) = insert_early_code(&tx, coupon)?;
                    waitlist::set_entry_coupon(&tx, entry.id, coupon_id)?;
                    let link = config.url(&format!("{}?coupon={code}", product.path()));
                    let launch = templates::WaitlistLaunch {
                        product: &product.name,
                        summary: &product.summary,
                        link: &link,
                        code: &code,
                        percent: terms.percent,
                        until: terms.expires_at,
                    };
                    // Someone with an account reads theirs; a visitor the page's they joined on.
                    let lang = crate::server::db::users::account_lang(&tx, &entry.email)?.unwrap_or(entry.lang);
                    let email = templates::waitlist_launch(&config, lang, &entry.email, &entry.name, &launch);
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

/// Letters and digits that cannot be misread for one another (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// Stores `coupon` under a fresh random code, `EARLY-` and ten characters (about 49
/// bits: not guessable at the rate the coupon checks allow); another draw on a clash.
fn insert_early_code(tx: &rusqlite::Connection, mut coupon: CouponInput) -> Result<(i64, String), DbError> {
    // Bytes past the largest multiple of the alphabet's size are drawn again (no bias).
    let limit = (256 / CODE_ALPHABET.len() * CODE_ALPHABET.len()) as u8;
    loop {
        let mut tail = String::with_capacity(10);
        while tail.len() < 10 {
            let mut raw = [0u8; 16];
            getrandom::fill(&mut raw)?;
            for b in raw.into_iter().filter(|b| *b < limit).take(10 - tail.len()) {
                tail.push(CODE_ALPHABET[usize::from(b) % CODE_ALPHABET.len()] as char);
            }
        }
        coupon.code = format!("EARLY-{tail}");
        if let Some(id) = coupons::insert_unaudited(tx, &coupon)? {
            return Ok((id, coupon.code));
        }
    }
}
