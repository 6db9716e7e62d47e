//! Server functions: waitlists. Every one starts by requiring staff.

use crate::domain::waitlist::{WaitlistCount, WaitlistPerson};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{db::waitlist, state},
};

#[server(prefix = "/api", endpoint = "admin/waitlist")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_waitlist() -> Result<Vec<WaitlistCount>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    Ok(state()?.db.run(|c| waitlist::counts(c)).await?)
}

/// "Notify the waitlist": one launch mail to each person waiting for a product now
/// on sale, with an early-bird coupon (`percent` off for `days`). Pressing again
/// mails nobody twice.
#[server(prefix = "/api", endpoint = "admin/notify_waitlist")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(product_id), err(level = "info")))]
pub async fn notify_waitlist(product_id: i64, percent: String, days: String) -> Result<(), AppError> {
    use crate::server::studio::waitlist_launch::{start, EarlyBird};
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let percent = match percent.trim().trim_end_matches('%').trim().parse::<i64>() {
        Ok(p) if (1..=100).contains(&p) => p,
        _ => return Err(AppError::validation("Enter the early-bird discount as a whole percentage from 1 to 100.")),
    };
    let days = match days.trim().parse::<i64>() {
        Ok(d) if (1..=90).contains(&d) => d,
        _ => return Err(AppError::validation("Enter how many days the early-bird price lasts (1 to 90).")),
    };
    let started = start(&state()?.db, staff.id, product_id, EarlyBird { percent, days }).await?;
    let started = started.map_err(AppError::validation)?;
    leptos_axum::redirect(&format!("/admin/waitlist?launched={}", if started { "1" } else { "again" }));
    Ok(())
}

#[server(prefix = "/api", endpoint = "admin/waitlist_people")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(product_id = ?product_id), err(level = "info")))]
pub async fn admin_waitlist_people(
    product_id: i64,
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<crate::domain::pagination::Page<WaitlistPerson>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    Ok(state()?.db.read(move |c| waitlist::page_of_people(c, product_id, at)).await?)
}
