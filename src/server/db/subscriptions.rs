//! Queries on `plans`, `subscriptions` and their history.

use super::{now, DbError};
use crate::domain::pagination::{Cursor, Page, PageAt, PAGE_SIZE};
use crate::domain::products::Billing;
use crate::domain::subscriptions::{HistoryEvent, Plan, PlanInput, SubscriptionStatus, SubscriptionView};
use rusqlite::{params, Connection, OptionalExtension, Row};

const PLAN_COLUMNS: &str =
    "id, product_id, name, period, price_idr, price_usd_cents, features, tool_quota, sort_order, retired";

fn bad_text(i: usize, v: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, format!("unknown value {v:?}").into())
}

fn plan_from_row(r: &Row<'_>) -> rusqlite::Result<Plan> {
    let period: String = r.get(3)?;
    let features: String = r.get(6)?;
    Ok(Plan {
        id: r.get(0)?,
        product_id: r.get(1)?,
        name: r.get(2)?,
        period: Billing::parse(&period).ok_or_else(|| bad_text(3, period))?,
        price_idr: r.get(4)?,
        price_usd_cents: r.get(5)?,
        features: features.lines().map(str::to_owned).collect(),
        tool_quota: r.get(7)?,
        sort_order: r.get(8)?,
        retired: r.get::<_, i64>(9)? != 0,
    })
}

/// A product's plans in their order (retired ones only when asked, for staff).
/// Active subscriptions per plan, named `product-slug/Plan name` (the plans with none are left out).
pub fn active_by_plan(conn: &Connection) -> Result<Vec<(String, i64)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.slug || '/' || pl.name, s.n
         FROM (SELECT plan_id, count(*) AS n FROM subscriptions WHERE status = 'active' GROUP BY plan_id) s
         JOIN plans pl ON pl.id = s.plan_id JOIN products p ON p.id = pl.product_id
         ORDER BY 1",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn plans_for_product(conn: &Connection, product_id: i64, with_retired: bool) -> Result<Vec<Plan>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PLAN_COLUMNS} FROM plans WHERE product_id = ?1 AND (?2 OR retired = 0) ORDER BY sort_order, price_idr, id"
    ))?;
    let rows = stmt.query_map(params![product_id, with_retired], plan_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A product's plans on sale as a page shows them: each in its version in `lang` (when
/// the product's version there is published), else as written; `None`: as written.
pub fn plans_on_sale_in(conn: &Connection, product_id: i64, lang: Option<&str>) -> Result<Vec<Plan>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT pl.id, pl.product_id, coalesce(t.name, pl.name), pl.period, pl.price_idr, pl.price_usd_cents,
                coalesce(t.features, pl.features), pl.tool_quota, pl.sort_order, pl.retired
         FROM plans pl LEFT JOIN plan_translations t ON t.plan_id = pl.id AND t.lang = ?2
             AND EXISTS (SELECT 1 FROM product_translations v
                         WHERE v.product_id = pl.product_id AND v.lang = ?2 AND v.status = 'published')
         WHERE pl.product_id = ?1 AND pl.retired = 0 ORDER BY pl.sort_order, pl.price_idr, pl.id",
    )?;
    let rows = stmt.query_map(params![product_id, lang], plan_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn plan(conn: &Connection, id: i64) -> Result<Option<Plan>, DbError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {PLAN_COLUMNS} FROM plans WHERE id = ?1"))?
        .query_row([id], plan_from_row)
        .optional()?)
}

/// Adds (`id` None) or changes a plan of `product_id`; `None` when `id` is not one of its plans.
pub fn save_plan(
    conn: &Connection,
    product_id: i64,
    id: Option<i64>,
    input: &PlanInput,
) -> Result<Option<i64>, DbError> {
    let t = now();
    let features = input.features.join("\n");
    let quota = input.tool_quota;
    Ok(match id {
        None => Some(
            conn.prepare_cached(
                "INSERT INTO plans (product_id, name, period, price_idr, price_usd_cents, features, tool_quota,
                                    sort_order, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id",
            )?
            .query_row(
                params![
                    product_id,
                    input.name,
                    input.period.as_str(),
                    input.price_idr,
                    input.price_usd_cents,
                    features,
                    quota,
                    input.sort_order,
                    t
                ],
                |r| r.get(0),
            )?,
        ),
        Some(id) => {
            let changed = conn
                .prepare_cached(
                    "UPDATE plans SET name = ?3, period = ?4, price_idr = ?5, price_usd_cents = ?6, features = ?7,
                                      tool_quota = ?8, sort_order = ?9, updated_at = ?10
                     WHERE id = ?1 AND product_id = ?2",
                )?
                .execute(params![
                    id,
                    product_id,
                    input.name,
                    input.period.as_str(),
                    input.price_idr,
                    input.price_usd_cents,
                    features,
                    quota,
                    input.sort_order,
                    t
                ])?;
            (changed == 1).then_some(id)
        }
    })
}

/// Stops (or starts again) selling a plan; its subscriptions carry on.
pub fn set_plan_retired(conn: &Connection, product_id: i64, id: i64, retired: bool) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("UPDATE plans SET retired = ?3, updated_at = ?4 WHERE id = ?1 AND product_id = ?2")?
        .execute(params![id, product_id, retired, now()])?
        == 1)
}

/// The plan and renewal an order was placed for.
pub fn order_plan(conn: &Connection, order_id: i64) -> Result<(Option<i64>, Option<i64>), DbError> {
    Ok(conn
        .prepare_cached("SELECT plan_id, renews_subscription_id FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// Marks an order as buying `plan_id` (a first period, or a renewal of `renews`).
pub fn set_order_plan(conn: &Connection, order_id: i64, plan_id: i64, renews: Option<i64>) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE orders SET plan_id = ?2, renews_subscription_id = ?3 WHERE id = ?1")?
        .execute(params![order_id, plan_id, renews])?;
    Ok(())
}

/// A subscription's row, as the lifecycle needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionRow {
    pub id: i64,
    pub public_id: String,
    pub user_id: i64,
    pub plan_id: i64,
    pub first_order_id: i64,
    pub status: SubscriptionStatus,
    pub current_period_start: i64,
    pub current_period_end: i64,
    pub paused_until: Option<i64>,
    /// A change of plan waiting for the renewal: the plan, and when.
    pub scheduled: Option<(i64, i64)>,
}

const ROW_COLUMNS: &str = "id, public_id, user_id, plan_id, first_order_id, status, current_period_start,
     current_period_end, paused_until, scheduled_plan_id, scheduled_at";

fn row_from(r: &Row<'_>) -> rusqlite::Result<SubscriptionRow> {
    let status: String = r.get(5)?;
    Ok(SubscriptionRow {
        id: r.get(0)?,
        public_id: r.get(1)?,
        user_id: r.get(2)?,
        plan_id: r.get(3)?,
        first_order_id: r.get(4)?,
        status: SubscriptionStatus::parse(&status).ok_or_else(|| bad_text(5, status))?,
        current_period_start: r.get(6)?,
        current_period_end: r.get(7)?,
        paused_until: r.get(8)?,
        scheduled: match (r.get(9)?, r.get(10)?) {
            (Some(plan), Some(at)) => Some((plan, at)),
            _ => None,
        },
    })
}

pub fn row(conn: &Connection, id: i64) -> Result<Option<SubscriptionRow>, DbError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {ROW_COLUMNS} FROM subscriptions WHERE id = ?1"))?
        .query_row([id], row_from)
        .optional()?)
}

pub fn row_by_public_id(conn: &Connection, public_id: &str) -> Result<Option<SubscriptionRow>, DbError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {ROW_COLUMNS} FROM subscriptions WHERE public_id = ?1"))?
        .query_row([public_id], row_from)
        .optional()?)
}

/// The subscription an order belongs to (as its first order or a renewal).
pub fn of_order(conn: &Connection, order_id: i64) -> Result<Option<SubscriptionRow>, DbError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {ROW_COLUMNS} FROM subscriptions WHERE first_order_id = ?1
                OR id = (SELECT renews_subscription_id FROM orders WHERE id = ?1)"
        ))?
        .query_row([order_id], row_from)
        .optional()?)
}

fn new_public_id() -> Result<String, DbError> {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes)?;
    Ok(format!("SUB-{}", hex::encode_upper(bytes)))
}

/// Starts a subscription paid by `order_id` for one period from `start`.
pub fn start(
    conn: &Connection,
    user_id: i64,
    product_id: i64,
    plan: &Plan,
    order_id: i64,
    start: i64,
) -> Result<SubscriptionRow, DbError> {
    let end = plan.period_end(start);
    let public_id = new_public_id()?;
    let id: i64 = conn
        .prepare_cached(
            "INSERT INTO subscriptions (public_id, user_id, product_id, plan_id, first_order_id, status,
                                        current_period_start, current_period_end, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'active', ?6, ?7, ?6, ?6) RETURNING id",
        )?
        .query_row(params![public_id, user_id, product_id, plan.id, order_id, start, end], |r| r.get(0))?;
    set_order_period(conn, order_id, start, end)?;
    record(conn, id, "started", &values(&[("plan", plan.name.clone()), ("until", end.to_string())]), None, start)?;
    Ok(SubscriptionRow {
        id,
        public_id,
        user_id,
        plan_id: plan.id,
        first_order_id: order_id,
        status: SubscriptionStatus::Active,
        current_period_start: start,
        current_period_end: end,
        paused_until: None,
        scheduled: None,
    })
}

fn set_order_period(conn: &Connection, order_id: i64, start: i64, end: i64) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE orders SET period_start = ?2, period_end = ?3 WHERE id = ?1")?
        .execute(params![order_id, start, end])?;
    Ok(())
}

/// A paid renewal: one more period from the current end (never from today), and
/// active again if it had lapsed or been cancelled (a paused one stays paused).
/// Returns the new end.
pub fn renew(conn: &Connection, sub: &SubscriptionRow, plan: &Plan, order_id: i64, at: i64) -> Result<i64, DbError> {
    let start = sub.current_period_end;
    let end = plan.period_end(start);
    conn.prepare_cached(
        "UPDATE subscriptions SET status = CASE status WHEN 'paused' THEN 'paused' ELSE 'active' END,
                current_period_start = ?2, current_period_end = ?3, updated_at = ?4
         WHERE id = ?1",
    )?
    .execute(params![sub.id, start, end, at])?;
    set_order_period(conn, order_id, start, end)?;
    record(conn, sub.id, "renewed", &values(&[("until", end.to_string())]), None, at)?;
    Ok(end)
}

/// Moves a subscription from one of `from` to `to`; false (nothing changed) if it was not in `from`.
pub fn move_status(
    conn: &Connection,
    id: i64,
    from: &[SubscriptionStatus],
    to: SubscriptionStatus,
    at: i64,
) -> Result<bool, DbError> {
    let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
    let changed = conn
        .prepare_cached(
            "UPDATE subscriptions SET status = ?2, updated_at = ?3,
                    paused_until = CASE ?2 WHEN 'paused' THEN paused_until ELSE NULL END
             WHERE id = ?1 AND status IN (SELECT value FROM json_each(?4))",
        )?
        .execute(params![id, to.as_str(), at, serde_json::to_string(&from)?])?;
    Ok(changed == 1)
}

/// Moves the period end (staff extending a subscription); a change scheduled for
/// the old end moves with it.
pub fn set_period_end(conn: &Connection, id: i64, end: i64, at: i64) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE subscriptions SET scheduled_at = CASE WHEN scheduled_at = current_period_end THEN ?2 ELSE scheduled_at END,
                                  current_period_end = ?2, updated_at = ?3
         WHERE id = ?1",
    )?
    .execute(params![id, end, at])?;
    Ok(())
}

/// Schedules (`Some((plan, at))`) or drops (`None`) a change of plan.
pub fn set_scheduled(conn: &Connection, id: i64, change: Option<(i64, i64)>, at: i64) -> Result<(), DbError> {
    let (plan, when) = change.unzip();
    conn.prepare_cached(
        "UPDATE subscriptions SET scheduled_plan_id = ?2, scheduled_at = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, plan, when, at])?;
    Ok(())
}

/// Puts the subscription on `plan_id` now (an upgrade paid, or a scheduled change
/// due), dropping what was scheduled.
pub fn set_plan(conn: &Connection, id: i64, plan_id: i64, at: i64) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE subscriptions SET plan_id = ?2, scheduled_plan_id = NULL, scheduled_at = NULL, updated_at = ?3
         WHERE id = ?1",
    )?
    .execute(params![id, plan_id, at])?;
    Ok(())
}

/// Pauses an active subscription until `until`, its period end moved on to `end`;
/// false when it was not active.
pub fn pause(conn: &Connection, id: i64, until: i64, end: i64, at: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached(
            "UPDATE subscriptions SET status = 'paused', paused_until = ?2, current_period_end = ?3,
                    scheduled_at = CASE WHEN scheduled_at IS NULL THEN NULL ELSE ?3 END, updated_at = ?4
             WHERE id = ?1 AND status = 'active'",
        )?
        .execute(params![id, until, end, at])?
        == 1)
}

/// Ends a pause: active again with the period ending at `end`; false when it was not paused.
pub fn unpause(conn: &Connection, id: i64, end: i64, at: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached(
            "UPDATE subscriptions SET status = 'active', paused_until = NULL, current_period_end = ?2,
                    scheduled_at = CASE WHEN scheduled_at IS NULL THEN NULL ELSE ?2 END, updated_at = ?3
             WHERE id = ?1 AND status = 'paused'",
        )?
        .execute(params![id, end, at])?
        == 1)
}

/// Paused subscriptions whose pause has ended at `now` (`subscriptions_resuming`).
pub fn pauses_ending(conn: &Connection, now: i64) -> Result<Vec<SubscriptionRow>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ROW_COLUMNS} FROM subscriptions WHERE status = 'paused' AND paused_until <= ?1 ORDER BY paused_until, id"
    ))?;
    let rows = stmt.query_map([now], row_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Subscriptions whose scheduled change of plan is due at `now` (`subscriptions_switching`).
pub fn switches_due(conn: &Connection, now: i64) -> Result<Vec<SubscriptionRow>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ROW_COLUMNS} FROM subscriptions
         WHERE scheduled_plan_id IS NOT NULL AND scheduled_at <= ?1 ORDER BY scheduled_at, id"
    ))?;
    let rows = stmt.query_map([now], row_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The subscription an order pays an upgrade of.
pub fn order_upgrades(conn: &Connection, order_id: i64) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached("SELECT upgrades_subscription_id FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| r.get(0))?)
}

/// Marks an order as paying the upgrade of `subscription_id` to `plan_id`.
pub fn set_order_upgrade(conn: &Connection, order_id: i64, plan_id: i64, subscription_id: i64) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE orders SET plan_id = ?2, upgrades_subscription_id = ?3 WHERE id = ?1")?
        .execute(params![order_id, plan_id, subscription_id])?;
    Ok(())
}

/// Adds to a subscription's history.
pub fn record(
    conn: &Connection,
    id: i64,
    kind: &str,
    detail: &str,
    actor: Option<i64>,
    at: i64,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO subscription_events (subscription_id, kind, detail, actor_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, kind, detail, actor, at])?;
    Ok(())
}

/// A history event's values, as `record` keeps them.
pub use super::event_values as values;

/// Whether the history already has `kind` with `detail` (a reminder for a period end).
pub fn has_event(conn: &Connection, id: i64, kind: &str, detail: &str) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM subscription_events WHERE subscription_id = ?1 AND kind = ?2 AND detail = ?3")?
        .query_row(params![id, kind, detail], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Subscriptions the lifecycle check may have to act on at `now`: ending within
/// 7 days, ended, or past their grace days.
pub fn due(conn: &Connection, now: i64, grace_secs: i64) -> Result<Vec<SubscriptionRow>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ROW_COLUMNS} FROM subscriptions
         WHERE (status = 'active' AND current_period_end <= ?1 + 7 * 86400)
            OR (status = 'cancelled' AND current_period_end <= ?1)
            OR (status = 'past_due' AND current_period_end + ?2 <= ?1)
         ORDER BY current_period_end, id"
    ))?;
    let rows = stmt.query_map(params![now, grace_secs], row_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The most tool runs a day any of the person's plans with access grants.
pub fn tool_quota(conn: &Connection, user_id: i64) -> Result<Option<u32>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT max(p.tool_quota) FROM subscriptions s JOIN plans p ON p.id = s.plan_id
             WHERE s.user_id = ?1 AND s.status NOT IN ('expired', 'paused')",
        )?
        .query_row([user_id], |r| r.get(0))?)
}

const VIEW_SQL: &str =
    "SELECT s.id, s.public_id, pr.name, pr.kind, pr.slug, pl.name, pl.price_idr, pl.period, s.status,
        s.current_period_start, s.current_period_end, u.name, u.email, s.paused_until,
        sp.name, sp.price_idr, sp.period, s.scheduled_at, s.plan_id, s.product_id
     FROM subscriptions s JOIN plans pl ON pl.id = s.plan_id JOIN products pr ON pr.id = s.product_id
     JOIN users u ON u.id = s.user_id LEFT JOIN plans sp ON sp.id = s.scheduled_plan_id";

fn view_from(r: &Row<'_>, grace_secs: i64) -> rusqlite::Result<(i64, SubscriptionView)> {
    let (kind, slug): (String, String) = (r.get(3)?, r.get(4)?);
    let product_path = match kind.as_str() {
        "saas" => format!("/saas/{slug}"),
        "service" => format!("/services/{slug}"),
        _ => format!("/products/{slug}"),
    };
    let period: String = r.get(7)?;
    let period = Billing::parse(&period).ok_or_else(|| bad_text(7, period))?;
    let status: String = r.get(8)?;
    let status = SubscriptionStatus::parse(&status).ok_or_else(|| bad_text(8, status))?;
    let end: i64 = r.get(10)?;
    let price = crate::domain::Money { minor: r.get(6)?, currency: crate::domain::Currency::Idr };
    let scheduled =
        match (r.get::<_, Option<String>>(14)?, r.get::<_, Option<i64>>(15)?, r.get::<_, Option<String>>(16)?) {
            (Some(plan_name), Some(minor), Some(period)) => {
                let period = Billing::parse(&period).ok_or_else(|| bad_text(16, period))?;
                let price = crate::domain::Money { minor, currency: crate::domain::Currency::Idr };
                Some(crate::domain::subscriptions::ScheduledChange {
                    plan_name,
                    plan_price: format!("{price} {}", period.label()),
                    at: r.get(17)?,
                })
            }
            _ => None,
        };
    Ok((
        r.get(0)?,
        SubscriptionView {
            public_id: r.get(1)?,
            product_name: r.get(2)?,
            product_slug: slug,
            product_path,
            plan_name: r.get(5)?,
            plan_price: format!("{price} {}", period.label()),
            status,
            current_period_start: r.get(9)?,
            current_period_end: end,
            grace_until: (status == SubscriptionStatus::PastDue).then_some(end + grace_secs),
            member_name: r.get(11)?,
            member_email: r.get(12)?,
            history: Vec::new(),
            paused_until: r.get(13)?,
            scheduled,
            choices: Vec::new(),
            plan_id: r.get(18)?,
            product_id: r.get(19)?,
        },
    ))
}

/// A history event as kept: its values when it kept them (`detail` a JSON object, or
/// none for the kinds that have none), else its line in English words as written then.
fn history_event(at: i64, kind: String, detail: &str, by: Option<String>) -> HistoryEvent {
    const WHY: &[&str] = &["same_plan", "cancelled", "plan", "early", "end"];
    let known = HistoryEvent::KINDS.contains(&kind.as_str());
    let values: Option<Vec<(String, String)>> = match detail.strip_prefix('{') {
        Some(_) => serde_json::from_str::<std::collections::BTreeMap<String, String>>(detail)
            .ok()
            .map(|m| m.into_iter().collect()),
        // Reminders and lapses keep the period's end (to send each once); these say nothing more.
        None if ["reminded_7d", "reminded_1d", "past_due", "expired", "cancelled", "resumed"]
            .contains(&kind.as_str()) =>
        {
            Some(Vec::new())
        }
        None => None,
    };
    let why_known = |v: &Vec<(String, String)>| v.iter().all(|(n, w)| n != "why" || WHY.contains(&w.as_str()));
    match values.filter(|v| known && why_known(v)) {
        Some(values) => HistoryEvent { at, kind, values, by, said: None },
        None => {
            let said = history_line(&kind, detail);
            HistoryEvent { at, kind, values: Vec::new(), by, said: Some(said) }
        }
    }
}

/// A history line in the English words it was kept in before events kept their values.
fn history_line(kind: &str, detail: &str) -> String {
    let what = match kind {
        "started" => format!("Started: {detail}"),
        "renewed" => format!("Renewed {detail}"),
        "reminded_7d" => "Reminder sent (7 days before the end)".to_owned(),
        "reminded_1d" => "Reminder sent (1 day before the end)".to_owned(),
        "past_due" => "Period ended: past due".to_owned(),
        "expired" => "Expired: access withdrawn".to_owned(),
        "cancelled" => "Cancelled (access until the period ends)".to_owned(),
        "resumed" => "Resumed".to_owned(),
        "refunded" => format!("Ended by a refund: {detail}"),
        "extended" => format!("Extended {detail}"),
        "upgraded" => format!("Upgraded {detail}"),
        "change_scheduled" => format!("Change scheduled: {detail}"),
        "change_dropped" => format!("Scheduled change dropped: {detail}"),
        "plan_changed" => format!("Plan changed {detail}"),
        "paused" => format!("Paused {detail}"),
        "unpaused" => format!("Resumed after a pause: {detail}"),
        other => format!("{other} {detail}"),
    };
    what
}

fn with_history(conn: &Connection, row: (i64, SubscriptionView)) -> Result<SubscriptionView, DbError> {
    Ok(with_histories(conn, vec![row])?.pop().expect("one row in, one out"))
}

/// The rows with their histories, read in one query (`subscription_events_sub` per id).
fn with_histories(conn: &Connection, rows: Vec<(i64, SubscriptionView)>) -> Result<Vec<SubscriptionView>, DbError> {
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let mut stmt = conn.prepare_cached(
        "SELECT e.subscription_id, e.created_at, e.kind, e.detail, u.name FROM subscription_events e
         LEFT JOIN users u ON u.id = e.actor_id
         WHERE e.subscription_id IN (SELECT value FROM json_each(?1)) ORDER BY e.subscription_id, e.id",
    )?;
    let mut lines: std::collections::HashMap<i64, Vec<HistoryEvent>> = std::collections::HashMap::new();
    let found = stmt.query_map([serde_json::to_string(&ids)?], |r| {
        let (kind, detail): (String, String) = (r.get(2)?, r.get(3)?);
        Ok((r.get::<_, i64>(0)?, history_event(r.get(1)?, kind, &detail, r.get(4)?)))
    })?;
    for line in found {
        let (id, line) = line?;
        lines.entry(id).or_default().push(line);
    }
    Ok(rows
        .into_iter()
        .map(|(id, mut view)| {
            view.history = lines.remove(&id).unwrap_or_default();
            view
        })
        .collect())
}

/// A member's subscriptions, newest first, with their history.
pub fn list_for_user(conn: &Connection, user_id: i64, grace_secs: i64) -> Result<Vec<SubscriptionView>, DbError> {
    let mut stmt = conn.prepare_cached(&format!("{VIEW_SQL} WHERE s.user_id = ?1 ORDER BY s.id DESC"))?;
    let rows = stmt.query_map([user_id], |r| view_from(r, grace_secs))?.collect::<Result<Vec<_>, _>>()?;
    with_histories(conn, rows)
}

/// A member's subscriptions that need them now: past due, or active and ending
/// within 7 days of `now` (without their history).
pub fn needing_attention(
    conn: &Connection,
    user_id: i64,
    now: i64,
    grace_secs: i64,
) -> Result<Vec<SubscriptionView>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{VIEW_SQL} WHERE s.user_id = ?1
           AND (s.status = 'past_due' OR (s.status = 'active' AND s.current_period_end - ?2 <= 7 * 86400))
         ORDER BY s.id DESC"
    ))?;
    let rows = stmt.query_map(params![user_id, now], |r| view_from(r, grace_secs))?;
    Ok(rows.map(|r| r.map(|(_, view)| view)).collect::<Result<Vec<_>, _>>()?)
}

/// A page of a member's subscriptions, newest first (by id, `subscriptions_user`),
/// without their histories (each one's own page, [`view`], has it).
pub fn page_for_user(
    conn: &Connection,
    user_id: i64,
    grace_secs: i64,
    at: PageAt,
) -> Result<Page<SubscriptionView>, DbError> {
    let (cmp, order) = if at.ascending() { (">", "ASC") } else { ("<", "DESC") };
    let mut args = vec![user_id];
    let mut sql = format!("{VIEW_SQL} WHERE s.user_id = ?1");
    if let PageAt::Before(c) | PageAt::After(c) = at {
        sql += &format!(" AND s.id {cmp} ?2");
        args.push(c.id);
    }
    sql += &format!(" ORDER BY s.id {order} LIMIT {}", PAGE_SIZE + 1);
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(args), |r| view_from(r, grace_secs))?
        .collect::<Result<Vec<_>, _>>()?;
    let page = Page::from_rows(rows, at, |(id, _)| Cursor { at: *id, id: *id });
    Ok(Page { rows: page.rows.into_iter().map(|(_, view)| view).collect(), newer: page.newer, older: page.older })
}

/// Staff's list: by status and product, ending within `within_days` (any when `None`).
pub fn page_for_staff(
    conn: &Connection,
    status: Option<SubscriptionStatus>,
    product_id: Option<i64>,
    ends_before: Option<i64>,
    grace_secs: i64,
    at: PageAt,
) -> Result<Page<SubscriptionView>, DbError> {
    use rusqlite::types::Value;
    let mut args = super::Args::default();
    let mut sql = format!("{VIEW_SQL} WHERE 1");
    if let Some(status) = status {
        sql += &format!(" AND s.status = {}", args.bind(Value::Text(status.as_str().into())));
    }
    if let Some(product) = product_id {
        sql += &format!(" AND s.product_id = {}", args.bind(Value::Integer(product)));
    }
    if let Some(end) = ends_before {
        sql += &format!(" AND s.current_period_end <= {}", args.bind(Value::Integer(end)));
    }
    // The list runs soonest ending first: "further" is a later end.
    let (cmp, order) = if at.ascending() { ("<", "DESC") } else { (">", "ASC") };
    if let PageAt::Before(c) | PageAt::After(c) = at {
        let (t, id) = (args.bind(Value::Integer(c.at)), args.bind(Value::Integer(c.id)));
        sql += &format!(" AND (s.current_period_end, s.id) {cmp} ({t}, {id})");
    }
    sql += &format!(" ORDER BY s.current_period_end {order}, s.id {order} LIMIT {}", PAGE_SIZE + 1);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(args.into_values()), |r| view_from(r, grace_secs))?
        .collect::<Result<Vec<_>, _>>()?;
    let page = Page::from_rows(rows, at, |(id, v)| Cursor { at: v.current_period_end, id: *id });
    let rows = with_histories(conn, page.rows)?;
    Ok(Page { rows, newer: page.newer, older: page.older })
}

/// One subscription with its history (only the member's own when `user_id` is given).
pub fn view(
    conn: &Connection,
    public_id: &str,
    user_id: Option<i64>,
    grace_secs: i64,
) -> Result<Option<SubscriptionView>, DbError> {
    let row = conn
        .prepare_cached(&format!("{VIEW_SQL} WHERE s.public_id = ?1 AND (?2 IS NULL OR s.user_id = ?2)"))?
        .query_row(params![public_id, user_id], |r| view_from(r, grace_secs))
        .optional()?;
    row.map(|row| with_history(conn, row)).transpose()
}

/// Products that have plans, for staff's filter: (id, name).
pub fn products_with_plans(conn: &Connection) -> Result<Vec<(i64, String)>, DbError> {
    let mut stmt = conn
        .prepare_cached("SELECT id, name FROM products WHERE id IN (SELECT product_id FROM plans) ORDER BY name, id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A subscription's product and plan names, for its mails.
pub fn names(conn: &Connection, id: i64) -> Result<(String, String), DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT pr.name, pl.name FROM subscriptions s JOIN products pr ON pr.id = s.product_id
             JOIN plans pl ON pl.id = s.plan_id WHERE s.id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}
