//! Server functions of the member dashboard. Every query is scoped to the caller.

use crate::domain::orders::OrderView;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{db::orders, state};

/// Whether `password` is the person's own (they confirm a change with it).
#[cfg(feature = "ssr")]
async fn password_matches(state: &crate::server::AppState, user_id: i64, password: String) -> Result<bool, AppError> {
    use crate::server::db::users;
    let stored = state.db.read(move |c| users::find_by_id(c, user_id)).await?.map(|u| u.password_hash);
    Ok(crate::server::auth::password::verify(password, stored).await?)
}

#[server(prefix = "/api", endpoint = "dashboard/orders")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn my_orders(
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<crate::domain::pagination::Page<OrderView>, AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    Ok(state.db.read(move |c| orders::page_for_user(c, me.id, at)).await?)
}

/// The services the caller bought, where each stands and the studio's notes.
#[server(prefix = "/api", endpoint = "dashboard/services")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn my_services(
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<crate::domain::pagination::Page<crate::domain::delivery::ServiceView>, AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    Ok(state.db.read(move |c| crate::server::db::deliveries::services_of(c, me.id, at)).await?)
}

/// The caller's license keys with the machines each is active on.
#[server(prefix = "/api", endpoint = "dashboard/licenses")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn my_licenses(
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<crate::domain::pagination::Page<crate::domain::license::LicenseView>, AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    let now = state.clock.now();
    let page = state.db.read(move |c| crate::server::db::deliveries::licenses_of(c, me.id, at)).await?;
    Ok(crate::domain::pagination::Page {
        rows: page.rows.into_iter().map(|l| l.at(now)).collect(),
        newer: page.newer,
        older: page.older,
    })
}

/// Frees a seat of one of the caller's keys: the machine is deactivated at once and
/// the license API refuses it from then on (until it is activated again, if a seat is free).
#[server(prefix = "/api", endpoint = "dashboard/deactivate")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn deactivate_machine(id: i64) -> Result<(), AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let removed = state
        .db
        .run(move |c| -> Result<Option<(String, String)>, crate::server::db::DbError> {
            let tx = c.transaction()?;
            let removed = crate::server::db::deliveries::remove_activation(&tx, id, Some(me.id))?;
            if let Some((_, instance)) = &removed {
                crate::server::db::audit::record(
                    &tx,
                    Some(me.id),
                    "license.deactivated",
                    &format!("activation:{id}"),
                    instance,
                )?;
            }
            tx.commit()?;
            Ok(removed)
        })
        .await?;
    // Someone else's activation, or one already gone: not found, never "forbidden".
    removed.ok_or(AppError::NotFound)?;
    leptos_axum::redirect("/dashboard/licenses?deactivated=1");
    Ok(())
}

/// One of the caller's orders; anybody else's is "not found", never "forbidden".
#[server(prefix = "/api", endpoint = "dashboard/order")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn my_order(public_id: String) -> Result<OrderView, AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    state.db.read(move |c| orders::view_for_user(c, me.id, &public_id)).await?.ok_or(AppError::NotFound)
}

/// Everything the caller owns, with license keys and delivery state.
#[server(prefix = "/api", endpoint = "dashboard/downloads")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn my_downloads(
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<crate::domain::pagination::Page<crate::domain::delivery::OwnedItem>, AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    use crate::domain::delivery::{DeliveryKind, DeliveryStatus};
    use crate::server::db::{deliveries, product_files};
    let owned = state
        .db
        .read(move |c| -> Result<_, crate::server::db::DbError> {
            let mut owned = deliveries::owned_page(c, me.id, at)?;
            for item in &mut owned.rows {
                if item.delivery_kind == DeliveryKind::EmailFile
                    && item.delivery_status == Some(DeliveryStatus::Delivered)
                {
                    let files = product_files::current_files(c, item.product_id)?;
                    item.files = files
                        .into_iter()
                        .map(|(mut f, md)| {
                            f.changelog_html = crate::server::markdown::render(&md);
                            f
                        })
                        .collect();
                }
            }
            Ok(owned)
        })
        .await?;
    Ok(owned)
}

/// The caller's use of every tool: today, this month, the last 30 days.
#[server(prefix = "/api", endpoint = "dashboard/tool_usage")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn my_tool_usage() -> Result<crate::domain::tools::UsageSummary, AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    Ok(crate::server::studio::tools::usage_for(&state.db, &state.cache, &state.config, state.clock.now(), me.id)
        .await?)
}

/// The overview: what the caller owns and their tool runs today.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Overview {
    /// The newest purchases (the downloads page lists them all).
    pub owned: Vec<crate::domain::delivery::OwnedItem>,
    /// Whether there are more than those.
    pub more_owned: bool,
    pub tools: Vec<crate::domain::tools::ToolUsage>,
    /// Subscriptions to renew soon (or lapsed).
    pub attention: Vec<crate::domain::subscriptions::SubscriptionView>,
}

/// The purchases the overview shows (the newest).
pub const OVERVIEW_OWNED: usize = 6;

#[server(prefix = "/api", endpoint = "dashboard/overview")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn my_overview() -> Result<Overview, AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let (grace, now) = (i64::from(state.config.subscription_grace_days) * 86_400, state.clock.now());
    let config = state.config.clone();
    let tools = crate::server::studio::tools::published_tools(&state.db, &state.cache).await?;
    let (owned, attention, usage) = state
        .db
        .read_together(move |c| -> Result<_, crate::server::db::DbError> {
            Ok((
                crate::server::db::deliveries::owned_page(c, me.id, crate::domain::pagination::PageAt::First)?,
                crate::server::db::subscriptions::needing_attention(c, me.id, now, grace)?,
                crate::server::studio::tools::usage_in(c, &config, me.id, now, tools)?,
            ))
        })
        .await?;
    let more_owned = owned.rows.len() > OVERVIEW_OWNED || owned.older.is_some();
    let owned = owned.rows.into_iter().take(OVERVIEW_OWNED).collect();
    let mut tools = usage.tools;
    for t in &mut tools {
        t.history = Vec::new();
    }
    Ok(Overview { owned, more_owned, tools, attention })
}

/// The member's subscriptions, and the ways to pay a renewal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SubscriptionsData {
    /// A page of them, newest first (with the one to renew first when it is not on it).
    pub subscriptions: Vec<crate::domain::subscriptions::SubscriptionView>,
    pub newer: Option<String>,
    pub older: Option<String>,
    pub gateways: Vec<crate::domain::orders::Gateway>,
    pub now: i64,
}

#[server(prefix = "/api", endpoint = "dashboard/subscriptions")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn my_subscriptions(
    #[server(default)] before: String,
    #[server(default)] after: String,
    /// The subscription the member came to renew (shown even when on another page).
    #[server(default)]
    renew: String,
) -> Result<SubscriptionsData, AppError> {
    use crate::server::db::subscriptions;
    let state = state()?;
    let me = guard::require_role(None).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    let grace = i64::from(state.config.subscription_grace_days) * 86_400;
    let now = state.clock.now();
    let page = state
        .db
        .read(move |c| -> Result<_, crate::server::db::DbError> {
            let mut page = subscriptions::page_for_user(c, me.id, grace, at)?;
            let wanted = renew.trim();
            if !wanted.is_empty() && !page.rows.iter().any(|s| s.public_id == wanted) {
                if let Some(focus) = subscriptions::view(c, wanted, Some(me.id), grace)? {
                    page.rows.insert(0, focus);
                }
            }
            Ok(page)
        })
        .await?;
    Ok(SubscriptionsData {
        subscriptions: page.rows,
        newer: page.newer,
        older: page.older,
        gateways: state.offered_gateways().await?,
        now,
    })
}

/// One of the caller's subscriptions with the plans it can move to, and the ways to pay an upgrade.
#[server(prefix = "/api", endpoint = "dashboard/subscription_choices")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(subscription = ?subscription), err(level = "info")))]
pub async fn subscription_choices(subscription: String) -> Result<SubscriptionsData, AppError> {
    use crate::server::db::subscriptions;
    let state = state()?;
    let me = guard::require_role(None).await?;
    let grace = i64::from(state.config.subscription_grace_days) * 86_400;
    let now = state.clock.now();
    let found = state
        .db
        .read(move |c| -> Result<_, crate::server::db::DbError> {
            let mut found: Vec<_> = subscriptions::view(c, &subscription, Some(me.id), grace)?.into_iter().collect();
            crate::server::studio::subscriptions::fill_choices(c, &mut found, now)?;
            Ok(found)
        })
        .await?;
    if found.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(SubscriptionsData {
        subscriptions: found,
        newer: None,
        older: None,
        gateways: state.offered_gateways().await?,
        now,
    })
}

/// Cancels one of the caller's subscriptions (access runs to the period end).
#[server(prefix = "/api", endpoint = "dashboard/cancel_subscription")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(subscription = ?subscription), err(level = "info")))]
pub async fn cancel_subscription(subscription: String) -> Result<(), AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let (config, now) = (state.config.clone(), state.clock.now());
    let done = state
        .db
        .run(move |c| crate::server::studio::subscriptions::cancel(c, &config, &subscription, Some(me.id), me.id, now))
        .await?;
    subscription_answer(done, "/dashboard/subscriptions?cancelled=1")
}

/// Takes a cancellation back before the period ends.
#[server(prefix = "/api", endpoint = "dashboard/resume_subscription")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(subscription = ?subscription), err(level = "info")))]
pub async fn resume_subscription(subscription: String) -> Result<(), AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let now = state.clock.now();
    let done = state
        .db
        .run(move |c| crate::server::studio::subscriptions::resume(c, &subscription, Some(me.id), me.id, now))
        .await?;
    subscription_answer(done, "/dashboard/subscriptions?resumed=1")
}

/// Pays the next period of one of the caller's subscriptions: on to the gateway.
#[server(prefix = "/api", endpoint = "dashboard/renew_subscription")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(subscription = ?subscription), err(level = "info")))]
pub async fn renew_subscription(
    subscription: String,
    gateway: String,
    /// iPaymu: QRIS or a bank's virtual account.
    #[server(default)]
    channel: Option<String>,
    /// iPaymu: the buyer's phone number.
    #[server(default)]
    phone: Option<String>,
) -> Result<(), AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let sub = subscription.clone();
    let slug: Option<String> = state
        .db
        .read(move |c| -> Result<_, crate::server::db::DbError> {
            Ok(crate::server::db::subscriptions::view(c, &sub, Some(me.id), 0)?.map(|v| v.product_slug))
        })
        .await?;
    let slug = slug.ok_or(AppError::NotFound)?;
    let request = crate::server::studio::checkout::Request {
        slug,
        gateway,
        renew: Some(subscription),
        channel,
        phone,
        ..Default::default()
    };
    let target = crate::server::studio::checkout::start(&state.checkout().await?, &me, request).await?;
    leptos_axum::redirect(&target);
    Ok(())
}

/// Pays the rest of the period on a dearer plan of the same product: on to the gateway.
#[server(prefix = "/api", endpoint = "dashboard/upgrade_subscription")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(subscription = ?subscription, plan = ?plan), err(level = "info")))]
pub async fn upgrade_subscription(
    subscription: String,
    plan: String,
    gateway: String,
    /// iPaymu: QRIS or a bank's virtual account.
    #[server(default)]
    channel: Option<String>,
    /// iPaymu: the buyer's phone number.
    #[server(default)]
    phone: Option<String>,
) -> Result<(), AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let plan = plan_id(&plan)?;
    let sub = subscription.clone();
    let slug: Option<String> = state
        .db
        .read(move |c| -> Result<_, crate::server::db::DbError> {
            Ok(crate::server::db::subscriptions::view(c, &sub, Some(me.id), 0)?.map(|v| v.product_slug))
        })
        .await?;
    let request = crate::server::studio::checkout::Request {
        slug: slug.ok_or(AppError::NotFound)?,
        gateway,
        plan: Some(plan),
        upgrade: Some(subscription),
        channel,
        phone,
        ..Default::default()
    };
    let target = crate::server::studio::checkout::start(&state.checkout().await?, &me, request).await?;
    leptos_axum::redirect(&target);
    Ok(())
}

/// Moves one of the caller's subscriptions to a cheaper plan, or another period, at its next renewal.
#[server(prefix = "/api", endpoint = "dashboard/schedule_plan")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(subscription = ?subscription, plan = ?plan), err(level = "info")))]
pub async fn schedule_plan(subscription: String, plan: String) -> Result<(), AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let (plan, now) = (plan_id(&plan)?, state.clock.now());
    let done = state
        .db
        .run(move |c| {
            crate::server::studio::subscriptions::schedule_change(c, &subscription, Some(me.id), plan, me.id, now)
        })
        .await?;
    subscription_answer(done.map(|_| ()), "/dashboard/subscriptions?scheduled=1")
}

/// Takes back a change of plan scheduled for the renewal.
#[server(prefix = "/api", endpoint = "dashboard/drop_plan_change")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(subscription = ?subscription), err(level = "info")))]
pub async fn drop_plan_change(subscription: String) -> Result<(), AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let now = state.clock.now();
    let done = state
        .db
        .run(move |c| crate::server::studio::subscriptions::drop_change(c, &subscription, Some(me.id), me.id, now))
        .await?;
    subscription_answer(done, "/dashboard/subscriptions?dropped=1")
}

/// Pauses one of the caller's subscriptions for 1 to 3 months instead of cancelling it.
#[server(prefix = "/api", endpoint = "dashboard/pause_subscription")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(subscription = ?subscription, months = ?months), err(level = "info")))]
pub async fn pause_subscription(subscription: String, months: String) -> Result<(), AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let months = months
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|m| crate::domain::subscriptions::PAUSE_MONTHS.contains(m))
        .ok_or_else(|| AppError::validation("Choose a pause of 1, 2 or 3 months."))?;
    let (config, now) = (state.config.clone(), state.clock.now());
    let done = state
        .db
        .run(move |c| crate::server::studio::subscriptions::pause(c, &config, &subscription, Some(me.id), months, now))
        .await?;
    subscription_answer(done.map(|_| ()), "/dashboard/subscriptions?paused=1")
}

/// Ends a pause of one of the caller's subscriptions early: access comes back now.
#[server(prefix = "/api", endpoint = "dashboard/unpause_subscription")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(subscription = ?subscription), err(level = "info")))]
pub async fn unpause_subscription(subscription: String) -> Result<(), AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let now = state.clock.now();
    let done = state
        .db
        .run(move |c| crate::server::studio::subscriptions::unpause(c, &subscription, Some(me.id), me.id, now))
        .await?;
    subscription_answer(done, "/dashboard/subscriptions?unpaused=1")
}

/// A plan's id from a form.
#[cfg(feature = "ssr")]
fn plan_id(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse::<i64>().map_err(|_| AppError::validation("Choose a plan from the list."))
}

#[cfg(feature = "ssr")]
fn subscription_answer(
    done: Result<(), crate::server::studio::subscriptions::Refused>,
    then: &str,
) -> Result<(), AppError> {
    done?;
    leptos_axum::redirect(then);
    Ok(())
}

/// Download links one order can get in 24 hours (the mailed one included).
pub const FRESH_LINKS_PER_DAY: i64 = 10;

/// A new download link to one file (`file_id`; the product's first without it) of
/// the caller's paid downloads; the browser follows it.
#[server(prefix = "/api", endpoint = "dashboard/fresh_link")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id, file_id = ?file_id), err(level = "info")))]
pub async fn fresh_download_link(public_id: String, #[server(default)] file_id: Option<i64>) -> Result<(), AppError> {
    use crate::domain::{delivery::DeliveryKind, orders::OrderStatus};
    use crate::server::db::{catalog, deliveries, DbError};
    let state = state()?;
    let me = guard::require_role(None).await?;
    let token = state
        .db
        .run(move |c| -> Result<Option<Result<String, AppError>>, DbError> {
            let Some(order) = orders::by_public_id(c, &public_id)?.filter(|o| o.user_id == me.id) else {
                return Ok(None);
            };
            let Some(product) = catalog::by_id(c, order.product_id)? else { return Ok(None) };
            if order.status != OrderStatus::Paid || product.delivery_kind != DeliveryKind::EmailFile {
                return Ok(None);
            }
            if let Some(file_id) = file_id {
                if crate::server::db::product_files::product_of_file(c, file_id)? != Some(product.id) {
                    return Ok(None);
                }
            }
            // Each link allows several downloads; more than this a day is not a person downloading.
            if deliveries::links_created_since(c, order.id, crate::server::db::now() - 24 * 3600)?
                >= FRESH_LINKS_PER_DAY
            {
                return Ok(Some(Err(AppError::validation(format!(
                    "This order already got {FRESH_LINKS_PER_DAY} download links today. Use one of them, or \
                     try again tomorrow; write to us if you cannot download the file."
                )))));
            }
            let max = catalog::delivery_config(c, product.id)?.1.max_downloads.unwrap_or(5);
            Ok(Some(Ok(deliveries::create_download_link(c, order.id, file_id, max)?)))
        })
        .await?
        .ok_or(AppError::NotFound)??;
    leptos_axum::redirect(&format!("/files/{token}"));
    Ok(())
}

/// The editable part of a member's profile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Profile {
    pub name: String,
    pub email: String,
    pub github_username: String,
    /// Mail about new versions of products bought.
    pub product_updates: bool,
    /// The language their mail is written in.
    pub language: crate::domain::Lang,
    /// Sign in with Google: offered here (never to staff), and every Google account linked.
    pub google_available: bool,
    pub google_linked: Vec<LinkedGoogle>,
}

/// A Google account linked to the member's: Google's id for it, and its address when linked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkedGoogle {
    pub subject: String,
    pub email: String,
}

#[server(prefix = "/api", endpoint = "dashboard/profile")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn my_profile() -> Result<Profile, AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let id = me.id;
    let (github, product_updates, google_linked) = state
        .db
        .read(move |c| -> Result<_, crate::server::db::DbError> {
            Ok((
                crate::server::db::users::github_username(c, id)?,
                crate::server::db::product_files::wants_updates(c, id)?,
                crate::server::db::identities::linked(c, crate::server::auth::google::PROVIDER, id)?,
            ))
        })
        .await?;
    Ok(Profile {
        name: me.name,
        email: me.email,
        github_username: github.unwrap_or_default(),
        product_updates,
        language: me.lang,
        google_available: state.google.is_some() && me.role != crate::domain::Role::Staff,
        google_linked: google_linked.into_iter().map(|l| LinkedGoogle { subject: l.subject, email: l.email }).collect(),
    })
}

/// Starts linking a Google account: the password first (a session left open on a
/// shared computer must not be enough), then to Google within 10 minutes.
#[server(prefix = "/api", endpoint = "dashboard/link_google")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn link_google(current_password: String) -> Result<(), AppError> {
    use crate::server::auth::limit_caller;
    let state = state()?;
    let me = guard::require_role(None).await?;
    if state.google.is_none() {
        return Err(AppError::NotFound);
    }
    if me.role == crate::domain::Role::Staff {
        return Err(AppError::validation("Staff accounts sign in with their password only."));
    }
    limit_caller(&state.auth_limiter, &state.config.trusted_proxies, "link_google").await?;
    if !state.account_limiter.check_key(format!("link-google:{}", me.id)) {
        return Err(AppError::RateLimited);
    }
    if !password_matches(&state, me.id, current_password).await? {
        return Err(AppError::validation(
            "That is not your password. (No password yet? Choose one with \"Forgot your password?\" on the sign-in page.)",
        ));
    }
    let session: tower_sessions::Session = leptos_axum::extract().await.map_err(|_| AppError::Unauthenticated)?;
    crate::server::auth::mark_reauthenticated(&session).await?;
    leptos_axum::redirect("/auth/google?link=1");
    Ok(())
}

/// Unlinks one of the caller's Google accounts; anybody else's is "not found".
#[server(prefix = "/api", endpoint = "dashboard/unlink_google")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn unlink_google(subject: String) -> Result<(), AppError> {
    use crate::server::auth::google::PROVIDER;
    use crate::server::db::{audit, identities, DbError};
    let state = state()?;
    let me = guard::require_role(None).await?;
    let removed = state
        .db
        .run(move |c| -> Result<Option<String>, DbError> {
            let tx = c.transaction()?;
            let Some(linked) = identities::linked(&tx, PROVIDER, me.id)?.into_iter().find(|l| l.subject == subject)
            else {
                return Ok(None);
            };
            identities::unlink(&tx, PROVIDER, &linked.subject, me.id)?;
            audit::record(&tx, Some(me.id), "google.unlinked", &format!("user:{}", me.id), &linked.email)?;
            tx.commit()?;
            Ok(Some(linked.email))
        })
        .await?;
    removed.ok_or(AppError::NotFound)?;
    leptos_axum::redirect("/dashboard/profile?google=unlinked#google");
    Ok(())
}

/// Which mail the member wants beyond what their orders need (product updates, on or
/// off), and the language their mail is written in (`id` or `en`; unchanged when not sent).
#[server(prefix = "/api", endpoint = "dashboard/mail_preferences")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn save_mail_preferences(
    #[server(default)] product_updates: String,
    #[server(default)] language: String,
) -> Result<(), AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let on = matches!(product_updates.as_str(), "on" | "true" | "1");
    let lang = match language.trim() {
        "" => None,
        raw => Some(
            crate::domain::Lang::from_tag(raw)
                .ok_or_else(|| AppError::validation("Choose Bahasa Indonesia or English."))?,
        ),
    };
    state
        .db
        .run(move |c| -> Result<(), crate::server::db::DbError> {
            let tx = c.transaction()?;
            crate::server::db::product_files::set_wants_updates(&tx, me.id, on)?;
            if let Some(lang) = lang {
                crate::server::db::users::set_lang(&tx, me.id, lang)?;
            }
            tx.commit()?;
            Ok(())
        })
        .await?;
    leptos_axum::redirect("/dashboard/profile?saved=1#mail");
    Ok(())
}

/// Saves the name and GitHub username (used for repository invitations).
#[server(prefix = "/api", endpoint = "dashboard/save_profile")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn save_profile(name: String, #[server(default)] github_username: String) -> Result<(), AppError> {
    use crate::domain::account::{validate_github_username, validate_name};
    let state = state()?;
    let me = guard::require_role(None).await?;
    let name = validate_name(&name)?;
    let github = match github_username.trim() {
        "" => None,
        raw => Some(validate_github_username(raw)?),
    };
    state
        .db
        .run(move |c| -> Result<(), crate::server::db::DbError> {
            let tx = c.transaction()?;
            crate::server::db::users::set_name(&tx, me.id, &name)?;
            if let Some(github) = github {
                crate::server::db::users::set_github_username(&tx, me.id, &github)?;
            }
            tx.commit()?;
            Ok(())
        })
        .await?;
    leptos_axum::redirect("/dashboard/profile?saved=1");
    Ok(())
}

/// Changes the signed-in person's password: the current one is required; every
/// other session ends (this one continues under a new id) and a mail confirms it.
#[server(prefix = "/api", endpoint = "dashboard/change_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<(), AppError> {
    use crate::domain::account::validate_new_password;
    use crate::server::auth::{limit_caller, password};
    use crate::server::db::{audit, users, DbError};
    let state = state()?;
    let me = guard::require_role(None).await?;
    // Guessing the current password is throttled per address and per account.
    limit_caller(&state.auth_limiter, &state.config.trusted_proxies, "change_password").await?;
    if !state.account_limiter.check_key(format!("change-password:{}", me.id)) {
        return Err(AppError::RateLimited);
    }
    if !password_matches(&state, me.id, current_password).await? {
        return Err(AppError::validation("Your current password is not right. Nothing was changed."));
    }
    validate_new_password(&new_password, &new_password_confirm)?;
    let hash = password::hash(new_password).await?;
    // This device stays signed in: read its session now, since the stored copy is
    // deleted with every other one below and saved again under a new id after.
    let session: tower_sessions::Session = leptos_axum::extract().await.map_err(|_| AppError::Unauthenticated)?;
    if guard::session_user_id(&session).await != Some(me.id) {
        return Err(AppError::Unauthenticated);
    }
    let config = state.config.clone();
    let ended = state
        .db
        .run(move |c| -> Result<usize, DbError> {
            let tx = c.transaction()?;
            users::set_password(&tx, me.id, &hash)?;
            let ended = users::end_sessions(&tx, me.id)?;
            audit::record(&tx, Some(me.id), "Password changed", &me.email, "")?;
            let (email, name) = users::mail_address(&tx, me.id)?;
            crate::server::mail::enqueue(
                &tx,
                &crate::server::mail::templates::password_changed(&config, me.lang, &email, &name),
            )?;
            tx.commit()?;
            Ok(ended)
        })
        .await?;
    session.cycle_id().await.map_err(crate::server::telemetry::internal)?;
    tracing::info!(user_id = me.id, ended_sessions = ended, "password changed");
    leptos_axum::redirect("/dashboard/profile?password=1");
    Ok(())
}

/// Asks to move the account to another address: the current password is required;
/// the new address gets a confirmation link and the current one is told. Nothing
/// changes until the link is opened. The answer is the same whether or not the new
/// address already has an account (that address is told instead).
#[server(prefix = "/api", endpoint = "dashboard/change_email")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn change_email(new_email: String, current_password: String) -> Result<(), AppError> {
    use crate::domain::Email;
    use crate::server::auth::limit_caller;
    use crate::server::db::{users, DbError};
    use crate::server::mail::{self, templates};
    let state = state()?;
    let me = guard::require_role(None).await?;
    limit_caller(&state.auth_limiter, &state.config.trusted_proxies, "change_email").await?;
    if !state.account_limiter.check_key(format!("change-email:{}", me.id)) {
        return Err(AppError::RateLimited);
    }
    let new_email = Email::parse(&new_email)?;
    if new_email.as_str().eq_ignore_ascii_case(&me.email) {
        return Err(AppError::validation("That is already your email address."));
    }
    if !password_matches(&state, me.id, current_password).await? {
        return Err(AppError::validation("Your current password is not right. Nothing was changed."));
    }
    let config = state.config.clone();
    state
        .db
        .run(move |c| -> Result<(), DbError> {
            let tx = c.transaction()?;
            let new = new_email.as_str();
            if users::find_by_email(&tx, new)?.is_some() {
                mail::enqueue(&tx, &templates::email_in_use(&config, users::lang_of_address(&tx, new)?, new))?;
            } else {
                let token = users::request_email_change(&tx, me.id, new)?;
                mail::enqueue(&tx, &templates::confirm_new_email(&config, me.lang, new, &me.name, &token))?;
                mail::enqueue(&tx, &templates::email_change_requested(&config, me.lang, &me.email, &me.name, new))?;
            }
            tx.commit()?;
            Ok(())
        })
        .await?;
    leptos_axum::redirect("/dashboard/profile?email=sent");
    Ok(())
}

/// Deletes the signed-in member's account: the password and a confirmation are
/// required; what their purchases give access to is withdrawn (through the job
/// queue, as for a refund), personal data is removed while orders stay for the
/// studio's books, every session ends, and a mail confirms it. Staff accounts are
/// not deleted this way (another staff member removes them).
#[server(prefix = "/api", endpoint = "dashboard/delete_account")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn delete_account(current_password: String, #[server(default)] understood: String) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::server::auth::limit_caller;
    use crate::server::db::{audit, orders, users, DbError};
    use crate::server::mail::{self, templates};
    let state = state()?;
    let me = guard::require_role(None).await?;
    limit_caller(&state.auth_limiter, &state.config.trusted_proxies, "delete_account").await?;
    if me.role == Role::Staff {
        return Err(AppError::validation(
            "Staff accounts are not deleted from the profile: ask another staff member to remove yours.",
        ));
    }
    if understood != "on" {
        return Err(AppError::validation("Tick the box to confirm that you want your account deleted."));
    }
    if !password_matches(&state, me.id, current_password).await? {
        return Err(AppError::validation("Your password is not right. Nothing was deleted."));
    }
    let config = state.config.clone();
    let withdrawn = state
        .db
        .run(move |c| -> Result<usize, DbError> {
            let tx = c.transaction()?;
            let paid = orders::paid_ids_of(&tx, me.id)?;
            for order_id in &paid {
                crate::server::studio::delivery::enqueue_revoke(&tx, *order_id)?;
            }
            let email = users::anonymise(&tx, me.id)?;
            audit::record(&tx, Some(me.id), "Account deleted", &format!("user {}", me.id), "")?;
            mail::enqueue(&tx, &templates::account_deleted(&config, me.lang, &email, &me.name, false))?;
            tx.commit()?;
            Ok(paid.len())
        })
        .await?;
    let session: tower_sessions::Session = leptos_axum::extract().await.map_err(|_| AppError::Unauthenticated)?;
    session.flush().await.map_err(crate::server::telemetry::internal)?;
    tracing::info!(user_id = me.id, withdrawn_orders = withdrawn, "account deleted");
    leptos_axum::redirect("/login?deleted=1");
    Ok(())
}

/// The caller's personal access tokens, and the one just made (shown this once).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ApiTokens {
    pub tokens: Vec<crate::domain::api::TokenView>,
    pub created: Option<String>,
}

/// The session key a new token waits under between its form and the page that shows it.
#[cfg(feature = "ssr")]
const NEW_TOKEN_KEY: &str = "new_api_token";

#[server(prefix = "/api", endpoint = "dashboard/api_tokens")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn my_api_tokens() -> Result<ApiTokens, AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let session: tower_sessions::Session = leptos_axum::extract().await.map_err(|_| AppError::Unauthenticated)?;
    let created = session.remove::<String>(NEW_TOKEN_KEY).await.map_err(|err| {
        tracing::error!(error = %err, "reading a new API token from the session");
        AppError::Internal
    })?;
    let tokens = state.db.read(move |c| crate::server::db::api_tokens::list(c, me.id)).await?;
    Ok(ApiTokens { tokens, created })
}

/// Makes a personal access token with the scopes ticked; the page shows it once.
#[server(prefix = "/api", endpoint = "dashboard/create_api_token")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn create_api_token(
    name: String,
    #[server(default)] tools: Option<String>,
    #[server(default)] usage_read: Option<String>,
    #[server(default)] orders_read: Option<String>,
    #[server(default)] licenses_read: Option<String>,
    #[server(default)] licenses_write: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::api::Scope;
    let state = state()?;
    let me = guard::require_role(None).await?;
    let ticked = [
        (tools, Scope::Tools),
        (usage_read, Scope::UsageRead),
        (orders_read, Scope::OrdersRead),
        (licenses_read, Scope::LicensesRead),
        (licenses_write, Scope::LicensesWrite),
    ];
    let scopes: Vec<String> =
        ticked.into_iter().filter(|(on, _)| on.is_some()).map(|(_, s)| s.as_str().to_owned()).collect();
    let now = state.clock.now();
    let made = state
        .db
        .run(move |c| -> Result<_, crate::server::db::DbError> {
            let tx = c.transaction()?;
            let made = crate::server::auth::api_tokens::create(&tx, me.id, &name, &scopes, now)?;
            if let Ok((_, view)) = &made {
                let detail = format!("{} ({})", view.name, view.prefix);
                crate::server::db::audit::record(
                    &tx,
                    Some(me.id),
                    "api_token.created",
                    &format!("user:{}", me.id),
                    &detail,
                )?;
            }
            tx.commit()?;
            Ok(made)
        })
        .await?;
    let (token, _) = made.map_err(|err| AppError::validation(err.0))?;
    let session: tower_sessions::Session = leptos_axum::extract().await.map_err(|_| AppError::Unauthenticated)?;
    session.insert(NEW_TOKEN_KEY, token).await.map_err(|err| {
        tracing::error!(error = %err, "keeping a new API token for its page");
        AppError::Internal
    })?;
    leptos_axum::redirect("/dashboard/tokens?created=1");
    Ok(())
}

/// Revokes one of the caller's tokens: refused from its next request on.
#[server(prefix = "/api", endpoint = "dashboard/revoke_api_token")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    let state = state()?;
    let me = guard::require_role(None).await?;
    let now = state.clock.now();
    let revoked = state
        .db
        .run(move |c| -> Result<bool, crate::server::db::DbError> {
            let tx = c.transaction()?;
            let revoked = crate::server::db::api_tokens::revoke(&tx, me.id, id, now)?;
            if revoked {
                crate::server::db::audit::record(
                    &tx,
                    Some(me.id),
                    "api_token.revoked",
                    &format!("api_token:{id}"),
                    "",
                )?;
            }
            tx.commit()?;
            Ok(revoked)
        })
        .await?;
    // Someone else's token, or one revoked already: not found.
    if !revoked {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect("/dashboard/tokens?revoked=1");
    Ok(())
}
