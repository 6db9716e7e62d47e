//! Subscriptions: what paying for a plan does, the lifecycle check that reminds,
//! lapses and expires them, and what members and staff can do to one.
//!
//! The check runs hourly through the durable job queue and on demand
//! (`atelier tick`). Each step is one immediate transaction that re-reads the
//! subscription, moves it only forward, records the step in its history and
//! queues the mail with a key naming the period: running it twice, or on two
//! servers, sends nothing twice.

use crate::domain::subscriptions::SubscriptionStatus;
use crate::server::config::Config;
use crate::server::db::subscriptions::{self as subs, SubscriptionRow};
use crate::server::db::Db;
use crate::server::db::{orders::OrderRow, users, DbError};
use crate::server::jobs::{self, JobError, JobKind};
use crate::server::mail::templates::{self, SubscriptionMail};
use rusqlite::{Connection, TransactionBehavior};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What a paid order did to subscriptions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paid {
    /// Not an order for a plan.
    NotAPlan,
    /// The first period of a new subscription: deliver as usual.
    Started(SubscriptionRow),
    /// A renewal: the subscription runs until `until`; nothing new to deliver.
    Renewed { subscription: SubscriptionRow, until: i64 },
    /// An upgrade for the rest of the period: on the dearer plan now (`applied`), or
    /// paid after the subscription ended (staff are told to refund it).
    Upgraded { subscription: SubscriptionRow, applied: bool },
}

/// In the payment's transaction, when `order` has just become paid.
pub fn on_paid(conn: &Connection, order: &OrderRow, at: i64) -> Result<Paid, DbError> {
    let (plan_id, renews) = subs::order_plan(conn, order.id)?;
    let Some(plan) = plan_id.map(|id| subs::plan(conn, id)).transpose()?.flatten() else {
        return Ok(Paid::NotAPlan);
    };
    if let Some(sub) = subs::order_upgrades(conn, order.id)?.map(|id| subs::row(conn, id)).transpose()?.flatten() {
        if sub.status == SubscriptionStatus::Expired {
            let notice = "This upgrade was paid after its subscription ended: nothing was upgraded. Refund it.";
            crate::server::db::orders::set_staff_notice(conn, order.id, Some(notice))?;
            subs::record(conn, sub.id, "upgrade_late", &subs::values(&[("order", order.public_id.clone())]), None, at)?;
            return Ok(Paid::Upgraded { subscription: sub, applied: false });
        }
        subs::set_plan(conn, sub.id, plan.id, at)?;
        let what = subs::values(&[("plan", plan.name.clone()), ("order", order.public_id.clone())]);
        subs::record(conn, sub.id, "upgraded", &what, None, at)?;
        return Ok(Paid::Upgraded { subscription: sub, applied: true });
    }
    if let Some(sub) = renews.map(|id| subs::row(conn, id)).transpose()?.flatten() {
        if sub.status != SubscriptionStatus::Expired {
            let until = subs::renew(conn, &sub, &plan, order.id, at)?;
            // The plan paid for holds from the renewal: a change scheduled for it,
            // or the same plan again (what was scheduled is dropped).
            let from = sub.current_period_end;
            if plan.id != sub.plan_id && from <= at {
                subs::set_plan(conn, sub.id, plan.id, at)?;
                subs::record(conn, sub.id, "plan_changed", &subs::values(&[("plan", plan.name.clone())]), None, at)?;
            } else if plan.id != sub.plan_id {
                subs::set_scheduled(conn, sub.id, Some((plan.id, from)), at)?;
            } else if sub.scheduled.is_some() {
                subs::set_scheduled(conn, sub.id, None, at)?;
                let why = subs::values(&[("why", "same_plan".into())]);
                subs::record(conn, sub.id, "change_dropped", &why, None, at)?;
            }
            return Ok(Paid::Renewed { subscription: sub, until });
        }
        // Paid after it expired: money received wins, as a new subscription.
        subs::set_order_plan(conn, order.id, plan.id, None)?;
    }
    Ok(Paid::Started(subs::start(conn, order.user_id, order.product_id, &plan, order.id, at)?))
}

/// In the refund's transaction: a refund of any of a subscription's orders ends it
/// (its first order's access is withdrawn by the revoke job).
pub fn on_refunded(conn: &Connection, order: &OrderRow, at: i64) -> Result<(), DbError> {
    let Some(sub) = subs::of_order(conn, order.id)? else { return Ok(()) };
    use SubscriptionStatus::*;
    let open = [Active, PastDue, Cancelled, Paused];
    if subs::move_status(conn, sub.id, &open, SubscriptionStatus::Expired, at)? {
        subs::record(conn, sub.id, "refunded", &subs::values(&[("order", order.public_id.clone())]), None, at)?;
        super::delivery::enqueue_revoke(conn, sub.first_order_id)?;
    }
    Ok(())
}

/// The facts a subscription's mails name.
fn mail_facts(
    conn: &Connection,
    sub: &SubscriptionRow,
) -> Result<(String, String, crate::domain::Lang, String, String), DbError> {
    let (email, name, lang) = users::recipient(conn, sub.user_id)?;
    let (product, plan) = subs::names(conn, sub.id)?;
    Ok((email, name, lang, product, plan))
}

/// Queues one of a subscription's mails, once for `key`.
fn queue_mail<F>(conn: &Connection, sub: &SubscriptionRow, key: &str, period_end: i64, make: F) -> Result<(), DbError>
where
    F: FnOnce(&SubscriptionMail<'_>) -> crate::server::mail::Email,
{
    let (email, name, lang, product, plan) = mail_facts(conn, sub)?;
    let facts = SubscriptionMail {
        to: &email,
        name: &name,
        lang,
        public_id: &sub.public_id,
        product: &product,
        plan: &plan,
        period_end,
    };
    jobs::enqueue(conn, JobKind::SendEmail, &make(&facts), Some(key))?;
    Ok(())
}

/// The renewal mail of a paid renewal, with its receipt (in the payment's transaction).
pub fn queue_renewed_mail(
    conn: &Connection,
    config: &Config,
    sub: &SubscriptionRow,
    until: i64,
    order_id: i64,
    receipt: Option<crate::server::mail::Attachment>,
) -> Result<(), DbError> {
    queue_mail(conn, sub, &format!("subscription-renewed:{order_id}"), until, |m| {
        let mut mail = templates::subscription_renewed(config, m);
        mail.attachments.extend(receipt);
        mail
    })
}

/// The upgrade mail of a paid upgrade, with its receipt (in the payment's transaction).
pub fn queue_upgraded_mail(
    conn: &Connection,
    config: &Config,
    sub: &SubscriptionRow,
    order_id: i64,
    receipt: Option<crate::server::mail::Attachment>,
) -> Result<(), DbError> {
    queue_mail(conn, sub, &format!("subscription-upgraded:{order_id}"), sub.current_period_end, |m| {
        let mut mail = templates::subscription_upgraded(config, m);
        mail.attachments.extend(receipt);
        mail
    })
}

/// What one run of the check did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    pub reminded: usize,
    pub lapsed: usize,
    pub expired: usize,
    /// Pauses that ended.
    pub resumed: usize,
    /// Changes of plan that took effect at their renewal.
    pub switched: usize,
}

/// Runs the lifecycle check at `now`: reminders 7 days and 1 day before the end,
/// `past_due` at the end, `expired` after the grace days (or at the end, if
/// cancelled) with the access withdrawn.
pub fn check_at(conn: &mut Connection, config: &Config, now: i64) -> Result<Checked, DbError> {
    let grace = i64::from(config.subscription_grace_days) * 86_400;
    let mut checked = Checked::default();
    for candidate in subs::pauses_ending(conn, now)? {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(sub) = subs::row(&tx, candidate.id)? else { continue };
        if sub.paused_until.is_some_and(|until| until <= now) && unpause_in(&tx, &sub, None, now)? {
            checked.resumed += 1;
        }
        tx.commit()?;
    }
    for candidate in subs::switches_due(conn, now)? {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(sub) = subs::row(&tx, candidate.id)? else { continue };
        if let Some((plan_id, at)) = sub.scheduled.filter(|(_, at)| *at <= now) {
            if sub.status == SubscriptionStatus::Expired {
                subs::set_scheduled(&tx, sub.id, None, now)?;
            } else if let Some(plan) = subs::plan(&tx, plan_id)? {
                subs::set_plan(&tx, sub.id, plan.id, now)?;
                subs::record(&tx, sub.id, "plan_changed", &subs::values(&[("plan", plan.name.clone())]), None, now)?;
                queue_mail(
                    &tx,
                    &sub,
                    &format!("subscription-plan-changed:{}:{at}", sub.id),
                    sub.current_period_end,
                    |m| templates::subscription_plan_changed(config, m),
                )?;
                checked.switched += 1;
            }
        }
        tx.commit()?;
    }
    for candidate in subs::due(conn, now, grace)? {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(sub) = subs::row(&tx, candidate.id)? else { continue };
        step(&tx, config, &sub, now, grace, &mut checked)?;
        tx.commit()?;
    }
    if checked != Checked::default() {
        tracing::info!(?checked, "subscription check");
    }
    Ok(checked)
}

fn step(
    tx: &Connection,
    config: &Config,
    sub: &SubscriptionRow,
    now: i64,
    grace: i64,
    checked: &mut Checked,
) -> Result<(), DbError> {
    use SubscriptionStatus::*;
    let end = sub.current_period_end;
    match sub.status {
        Active if now >= end => {
            let lapsed = subs::move_status(tx, sub.id, &[Active], PastDue, now)?;
            if lapsed {
                subs::record(tx, sub.id, "past_due", &end.to_string(), None, now)?;
                queue_mail(tx, sub, &format!("subscription-past-due:{}:{end}", sub.id), end, |m| {
                    templates::subscription_past_due(config, m, end + grace)
                })?;
                checked.lapsed += 1;
            }
        }
        Active => {
            let left = end - now;
            let (kind, days) = match left {
                l if l <= 86_400 => ("reminded_1d", 1),
                l if l <= 7 * 86_400 => ("reminded_7d", 7),
                _ => return Ok(()),
            };
            let detail = end.to_string();
            if subs::has_event(tx, sub.id, kind, &detail)? {
                return Ok(());
            }
            subs::record(tx, sub.id, kind, &detail, None, now)?;
            queue_mail(tx, sub, &format!("subscription-{kind}:{}:{end}", sub.id), end, |m| {
                templates::subscription_reminder(config, m, days)
            })?;
            checked.reminded += 1;
        }
        PastDue if now >= end + grace => expire(tx, config, sub, now, checked)?,
        Cancelled if now >= end => expire(tx, config, sub, now, checked)?,
        _ => {}
    }
    Ok(())
}

fn expire(
    tx: &Connection,
    config: &Config,
    sub: &SubscriptionRow,
    now: i64,
    checked: &mut Checked,
) -> Result<(), DbError> {
    use SubscriptionStatus::*;
    if !subs::move_status(tx, sub.id, &[PastDue, Cancelled], Expired, now)? {
        return Ok(());
    }
    subs::record(tx, sub.id, "expired", "", None, now)?;
    super::delivery::enqueue_revoke(tx, sub.first_order_id)?;
    let (email, name) = users::mail_address(tx, sub.user_id)?;
    super::webhooks::emit(
        tx,
        crate::domain::webhooks::Event::SubscriptionExpired,
        &sub.public_id,
        now,
        serde_json::json!({ "subscription": {
            "id": sub.public_id,
            "period_end": sub.current_period_end,
            "member": { "email": email, "name": name },
        }}),
    )?;
    queue_mail(tx, sub, &format!("subscription-expired:{}", sub.id), sub.current_period_end, |m| {
        templates::subscription_expired(config, m)
    })?;
    checked.expired += 1;
    Ok(())
}

/// Why a member's or staff's action on a subscription was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    NotFound,
    /// It is not in a state this action applies to; the words say why.
    NotNow(&'static str),
}

impl From<Refused> for crate::error::AppError {
    fn from(refused: Refused) -> Self {
        match refused {
            Refused::NotFound => Self::NotFound,
            Refused::NotNow(why) => Self::validation(why),
        }
    }
}

/// The member cancels: access runs to the period end, no more reminders.
pub fn cancel(
    conn: &mut Connection,
    config: &Config,
    public_id: &str,
    user_id: Option<i64>,
    actor: i64,
    now: i64,
) -> Result<Result<(), Refused>, DbError> {
    cancel_as(conn, config, public_id, user_id, actor, now, false)
}

fn cancel_as(
    conn: &mut Connection,
    config: &Config,
    public_id: &str,
    user_id: Option<i64>,
    actor: i64,
    now: i64,
    by_staff: bool,
) -> Result<Result<(), Refused>, DbError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(sub) = owned(&tx, public_id, user_id)? else { return Ok(Err(Refused::NotFound)) };
    if !subs::move_status(&tx, sub.id, &[SubscriptionStatus::Active], SubscriptionStatus::Cancelled, now)? {
        return Ok(Err(Refused::NotNow("Only an active subscription can be cancelled.")));
    }
    subs::record(&tx, sub.id, "cancelled", "", Some(actor), now)?;
    if sub.scheduled.is_some() {
        subs::set_scheduled(&tx, sub.id, None, now)?;
        let why = subs::values(&[("why", "cancelled".into())]);
        subs::record(&tx, sub.id, "change_dropped", &why, Some(actor), now)?;
    }
    if by_staff {
        crate::server::db::audit::record(&tx, Some(actor), "subscription.cancelled", public_id, "by staff")?;
    }
    queue_mail(&tx, &sub, &format!("subscription-cancelled:{}:{now}", sub.id), sub.current_period_end, |m| {
        templates::subscription_cancelled(config, m)
    })?;
    tx.commit()?;
    Ok(Ok(()))
}

/// The member takes a cancellation back before the period ends.
pub fn resume(
    conn: &mut Connection,
    public_id: &str,
    user_id: Option<i64>,
    actor: i64,
    now: i64,
) -> Result<Result<(), Refused>, DbError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(sub) = owned(&tx, public_id, user_id)? else { return Ok(Err(Refused::NotFound)) };
    if sub.current_period_end <= now {
        return Ok(Err(Refused::NotNow("The period has ended: renew the subscription instead.")));
    }
    if !subs::move_status(&tx, sub.id, &[SubscriptionStatus::Cancelled], SubscriptionStatus::Active, now)? {
        return Ok(Err(Refused::NotNow("Only a cancelled subscription can be resumed.")));
    }
    subs::record(&tx, sub.id, "resumed", "", Some(actor), now)?;
    tx.commit()?;
    Ok(Ok(()))
}

/// Staff extend a subscription by `days` (free time), with a note in its history.
pub fn extend(
    conn: &mut Connection,
    public_id: &str,
    days: u32,
    note: &str,
    actor: i64,
    now: i64,
) -> Result<Result<i64, Refused>, DbError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(sub) = owned(&tx, public_id, None)? else { return Ok(Err(Refused::NotFound)) };
    if sub.status == SubscriptionStatus::Expired {
        return Ok(Err(Refused::NotNow("An expired subscription cannot be extended: its access is withdrawn.")));
    }
    let end = sub.current_period_end + i64::from(days) * 86_400;
    subs::set_period_end(&tx, sub.id, end, now)?;
    if end > now {
        subs::move_status(&tx, sub.id, &[SubscriptionStatus::PastDue], SubscriptionStatus::Active, now)?;
    }
    let detail = format!("by {days} days to {}: {note}", crate::domain::time::format_time(end));
    let what = subs::values(&[("days", days.to_string()), ("until", end.to_string()), ("note", note.to_string())]);
    subs::record(&tx, sub.id, "extended", &what, Some(actor), now)?;
    crate::server::db::audit::record(&tx, Some(actor), "subscription.extended", &sub.public_id, &detail)?;
    tx.commit()?;
    Ok(Ok(end))
}

/// Staff cancel a subscription for the member (access runs to the period end); audited.
pub fn cancel_by_staff(
    conn: &mut Connection,
    config: &Config,
    public_id: &str,
    actor: i64,
    now: i64,
) -> Result<Result<(), Refused>, DbError> {
    cancel_as(conn, config, public_id, None, actor, now, true)
}

/// Fills in the plans each active subscription of `views` can move to at `now`
/// (one query per product among them; the others are left without).
pub fn fill_choices(
    conn: &Connection,
    views: &mut [crate::domain::subscriptions::SubscriptionView],
    now: i64,
) -> Result<(), DbError> {
    let mut plans: std::collections::HashMap<i64, Vec<crate::domain::subscriptions::Plan>> =
        std::collections::HashMap::new();
    for v in views.iter_mut().filter(|v| v.status == SubscriptionStatus::Active && v.current_period_end > now) {
        let of_product = match plans.entry(v.product_id) {
            std::collections::hash_map::Entry::Occupied(found) => found.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(subs::plans_for_product(conn, v.product_id, true)?)
            }
        };
        v.choices = crate::domain::subscriptions::choices(
            of_product,
            v.plan_id,
            v.current_period_start,
            v.current_period_end,
            now,
        );
    }
    Ok(())
}

/// The member (or staff, `user_id` None) schedules a move to `plan_id` for the
/// next renewal: a cheaper plan, or another period. A dearer plan on the same
/// period is an upgrade, paid through checkout instead.
pub fn schedule_change(
    conn: &mut Connection,
    public_id: &str,
    user_id: Option<i64>,
    plan_id: i64,
    actor: i64,
    now: i64,
) -> Result<Result<i64, Refused>, DbError> {
    use crate::domain::subscriptions::{change_kind, ChangeKind};
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(sub) = owned(&tx, public_id, user_id)? else { return Ok(Err(Refused::NotFound)) };
    if sub.status != SubscriptionStatus::Active || sub.current_period_end <= now {
        return Ok(Err(Refused::NotNow("Only an active subscription can change plan.")));
    }
    let current = subs::plan(&tx, sub.plan_id)?;
    let wanted = subs::plan(&tx, plan_id)?.filter(|p| {
        !p.retired && p.id != sub.plan_id && current.as_ref().is_some_and(|c| c.product_id == p.product_id)
    });
    let (Some(current), Some(wanted)) = (current, wanted) else {
        return Ok(Err(Refused::NotNow("That plan is not one you can move to. Choose another one.")));
    };
    if change_kind(&current, &wanted) == ChangeKind::Upgrade {
        return Ok(Err(Refused::NotNow("That plan is an upgrade: it is paid now for the rest of the period.")));
    }
    let at = sub.current_period_end;
    subs::set_scheduled(&tx, sub.id, Some((wanted.id, at)), now)?;
    let what = subs::values(&[("plan", wanted.name.clone()), ("price", wanted.price_label()), ("at", at.to_string())]);
    subs::record(&tx, sub.id, "change_scheduled", &what, Some(actor), now)?;
    tx.commit()?;
    Ok(Ok(at))
}

/// Drops a change scheduled for the renewal (the member's or staff's undo; staff's is audited).
pub fn drop_change(
    conn: &mut Connection,
    public_id: &str,
    user_id: Option<i64>,
    actor: i64,
    now: i64,
) -> Result<Result<(), Refused>, DbError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(sub) = owned(&tx, public_id, user_id)? else { return Ok(Err(Refused::NotFound)) };
    let Some((plan_id, _)) = sub.scheduled else {
        return Ok(Err(Refused::NotNow("No change of plan is scheduled.")));
    };
    let name = subs::plan(&tx, plan_id)?.map(|p| p.name).unwrap_or_default();
    subs::set_scheduled(&tx, sub.id, None, now)?;
    let detail = format!("the move to {name}");
    let what = subs::values(&[("why", "plan".into()), ("plan", name.clone())]);
    subs::record(&tx, sub.id, "change_dropped", &what, Some(actor), now)?;
    if user_id.is_none() {
        crate::server::db::audit::record(&tx, Some(actor), "subscription.change_dropped", public_id, &detail)?;
    }
    tx.commit()?;
    Ok(Ok(()))
}

/// The member pauses an active subscription for `months` (1–3) instead of
/// cancelling: access is withdrawn, reminders stop, and it resumes by itself at
/// the end of the pause with the days that were left of its period.
pub fn pause(
    conn: &mut Connection,
    config: &Config,
    public_id: &str,
    user_id: Option<i64>,
    months: u32,
    now: i64,
) -> Result<Result<i64, Refused>, DbError> {
    use crate::domain::subscriptions::{add_months, PAUSE_MONTHS};
    if !PAUSE_MONTHS.contains(&months) {
        return Ok(Err(Refused::NotNow("Choose a pause of 1, 2 or 3 months.")));
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(sub) = owned(&tx, public_id, user_id)? else { return Ok(Err(Refused::NotFound)) };
    if sub.status != SubscriptionStatus::Active || sub.current_period_end <= now {
        return Ok(Err(Refused::NotNow("Only an active subscription can be paused.")));
    }
    let until = add_months(now, i64::from(months));
    // The days left of the period are kept for after the pause.
    let end = sub.current_period_end + (until - now);
    if !subs::pause(&tx, sub.id, until, end, now)? {
        return Ok(Err(Refused::NotNow("Only an active subscription can be paused.")));
    }
    let detail = format!("until {}", crate::domain::time::format_time(until));
    subs::record(&tx, sub.id, "paused", &subs::values(&[("until", until.to_string())]), user_id, now)?;
    if let Some(order) = crate::server::db::orders::by_id(&tx, sub.first_order_id)? {
        let why = format!("The subscription is paused {detail}.");
        let note = [("why", "paused".to_owned()), ("until", until.to_string())];
        super::delivery::actions::withdraw_in(&tx, &order, (&why, &note), &format!("pause:{now}"))?;
    }
    queue_mail(&tx, &sub, &format!("subscription-paused:{}:{now}", sub.id), end, |m| {
        templates::subscription_paused(config, m, until)
    })?;
    tx.commit()?;
    Ok(Ok(until))
}

/// Ends a pause now: the member resuming early, or staff undoing it (audited).
pub fn unpause(
    conn: &mut Connection,
    public_id: &str,
    user_id: Option<i64>,
    actor: i64,
    now: i64,
) -> Result<Result<(), Refused>, DbError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(sub) = owned(&tx, public_id, user_id)? else { return Ok(Err(Refused::NotFound)) };
    if !unpause_in(&tx, &sub, Some(actor), now)? {
        return Ok(Err(Refused::NotNow("Only a paused subscription can be resumed.")));
    }
    if user_id.is_none() {
        crate::server::db::audit::record(&tx, Some(actor), "subscription.unpaused", public_id, "by staff")?;
    }
    tx.commit()?;
    Ok(Ok(()))
}

/// Ends `sub`'s pause at `now` (by `actor`, or by itself): active again with the
/// days that were left of its period, its access delivered again.
fn unpause_in(tx: &Connection, sub: &SubscriptionRow, actor: Option<i64>, now: i64) -> Result<bool, DbError> {
    let Some(until) = sub.paused_until.filter(|_| sub.status == SubscriptionStatus::Paused) else {
        return Ok(false);
    };
    // Resumed early: the days left move back with it.
    let end = sub.current_period_end - (until - now).max(0);
    if !subs::unpause(tx, sub.id, end, now)? {
        return Ok(false);
    }
    let why = if actor.is_some() { "early" } else { "end" };
    subs::record(
        tx,
        sub.id,
        "unpaused",
        &subs::values(&[("why", why.into()), ("until", end.to_string())]),
        actor,
        now,
    )?;
    if let Some(order) = crate::server::db::orders::by_id(tx, sub.first_order_id)? {
        super::delivery::actions::restore_in(
            tx,
            &order,
            "Access restored: the subscription resumed",
            &format!("resume:{now}"),
        )?;
    }
    Ok(true)
}

/// The subscription `public_id`, if it is `user_id`'s (or anyone's when `None`).
fn owned(conn: &Connection, public_id: &str, user_id: Option<i64>) -> Result<Option<SubscriptionRow>, DbError> {
    Ok(subs::row_by_public_id(conn, public_id)?.filter(|s| user_id.is_none_or(|u| u == s.user_id)))
}

/// The hourly job's payload: the hour (since 1970) it runs for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hourly {
    pub hour: i64,
}

/// Queues the next hourly check (one per hour, whoever schedules it).
pub fn schedule_next(conn: &Connection, now: i64) -> Result<(), DbError> {
    let hour = now.div_euclid(3600) + 1;
    jobs::enqueue_at(
        conn,
        JobKind::SubscriptionCheck,
        &Hourly { hour },
        Some(&format!("subscription-check:{hour}")),
        hour * 3600,
    )?;
    Ok(())
}

/// The job: check now, then schedule the next hour's.
pub async fn run_hourly(db: &Db, config: &Arc<Config>, now: i64, hourly: Hourly) -> Result<(), JobError> {
    let config = config.clone();
    db.run(move |c| check_at(c, &config, now)).await?;
    let next_from = (hourly.hour * 3600).max(now);
    db.run(move |c| schedule_next(c, next_from)).await?;
    Ok(())
}

/// The extra tool runs a member's plans give (`None`: no plan sets a quota).
pub fn tool_quota(conn: &Connection, user_id: i64) -> Result<Option<u32>, DbError> {
    subs::tool_quota(conn, user_id)
}
