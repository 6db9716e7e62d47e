//! Server functions: subscriptions. Every one starts by requiring staff.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{db::DbError, state},
};

/// Staff's list of subscriptions, filtered, and the products to filter by.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SubscriptionList {
    pub subscriptions: Vec<crate::domain::subscriptions::SubscriptionView>,
    /// Products that have plans: (id, name).
    pub products: Vec<(i64, String)>,
    /// The pages ending sooner (`after=`) and later (`before=`), if any.
    pub sooner: Option<String>,
    pub later: Option<String>,
}

/// Subscriptions by status, product, and renewing within N days (each filter optional).
#[server(prefix = "/api", endpoint = "admin/subscriptions")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(status = ?status, product = ?product, within = ?within), err(level = "info")))]
pub async fn admin_subscriptions(
    #[server(default)] status: String,
    #[server(default)] product: String,
    #[server(default)] within: String,
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<SubscriptionList, AppError> {
    use crate::domain::subscriptions::SubscriptionStatus;
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let status = match status.trim() {
        "" => None,
        s => Some(SubscriptionStatus::parse(s).ok_or_else(|| AppError::validation("Choose a status from the list."))?),
    };
    let product = match product.trim() {
        "" => None,
        p => Some(p.parse::<i64>().map_err(|_| AppError::validation("Choose a product from the list."))?),
    };
    let ends_before = match within.trim() {
        "" => None,
        d => {
            let days = d
                .parse::<i64>()
                .ok()
                .filter(|d| (0..=3660).contains(d))
                .ok_or_else(|| AppError::validation("Enter the days as a whole number from 0 to 3660."))?;
            Some(state.clock.now() + days * 86_400)
        }
    };
    let grace = i64::from(state.config.subscription_grace_days) * 86_400;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    Ok(state
        .db
        .read(move |c| -> Result<_, DbError> {
            use crate::server::db::subscriptions;
            let page = subscriptions::page_for_staff(c, status, product, ends_before, grace, at)?;
            Ok(SubscriptionList {
                subscriptions: page.rows,
                products: subscriptions::products_with_plans(c)?,
                sooner: page.newer,
                later: page.older,
            })
        })
        .await?)
}

/// One subscription with its history.
#[server(prefix = "/api", endpoint = "admin/subscription")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn admin_subscription(public_id: String) -> Result<crate::domain::subscriptions::SubscriptionView, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let grace = i64::from(state.config.subscription_grace_days) * 86_400;
    state
        .db
        .read(move |c| crate::server::db::subscriptions::view(c, &public_id, None, grace))
        .await?
        .ok_or(AppError::NotFound)
}

/// Gives a subscription `days` more (a goodwill extension, an outage), with a note; audited.
#[server(prefix = "/api", endpoint = "admin/extend_subscription")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn extend_subscription(public_id: String, days: String, note: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let days = days
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=366).contains(d))
        .ok_or_else(|| AppError::validation("Enter the days to add as a whole number from 1 to 366."))?;
    let note = note.trim().to_owned();
    if note.is_empty() || note.chars().count() > 300 {
        return Err(AppError::validation("Say why, in at most 300 characters: the note stays in the history."));
    }
    let state = state()?;
    let now = state.clock.now();
    let id = public_id.clone();
    let done =
        state.db.run(move |c| crate::server::studio::subscriptions::extend(c, &id, days, &note, staff.id, now)).await?;
    answer(done.map(|_| ()), &format!("/admin/subscriptions/{public_id}?extended=1"))
}

/// Cancels a subscription for its member (access runs to the period end); audited.
#[server(prefix = "/api", endpoint = "admin/cancel_subscription")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn staff_cancel_subscription(public_id: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let (config, now, id) = (state.config.clone(), state.clock.now(), public_id.clone());
    let done = state
        .db
        .run(move |c| crate::server::studio::subscriptions::cancel_by_staff(c, &config, &id, staff.id, now))
        .await?;
    answer(done, &format!("/admin/subscriptions/{public_id}?cancelled=1"))
}

/// Drops the member's change of plan scheduled for the renewal; audited.
#[server(prefix = "/api", endpoint = "admin/drop_plan_change")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn staff_drop_plan_change(public_id: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let (now, id) = (state.clock.now(), public_id.clone());
    let done =
        state.db.run(move |c| crate::server::studio::subscriptions::drop_change(c, &id, None, staff.id, now)).await?;
    answer(done, &format!("/admin/subscriptions/{public_id}?dropped=1"))
}

/// Ends the member's pause now (their access is delivered again); audited.
#[server(prefix = "/api", endpoint = "admin/unpause_subscription")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn staff_unpause_subscription(public_id: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let (now, id) = (state.clock.now(), public_id.clone());
    let done =
        state.db.run(move |c| crate::server::studio::subscriptions::unpause(c, &id, None, staff.id, now)).await?;
    answer(done, &format!("/admin/subscriptions/{public_id}?unpaused=1"))
}

/// Done: on to `then`; refused: said why.
#[cfg(feature = "ssr")]
fn answer(done: Result<(), crate::server::studio::subscriptions::Refused>, then: &str) -> Result<(), AppError> {
    done?;
    leptos_axum::redirect(then);
    Ok(())
}
