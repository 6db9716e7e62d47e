//! Server functions: orders: the list, one order, and what staff can do for it. Every one starts by requiring staff.

use crate::domain::orders::OrderView;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::orders::{Gateway, OrderStatus},
    domain::Role,
    server::{
        db::{audit, orders, DbError},
        state,
    },
};

#[server(prefix = "/api", endpoint = "admin/orders")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(status = ?status, gateway = ?gateway), err(level = "info")))]
pub async fn admin_orders(
    #[server(default)] status: String,
    #[server(default)] gateway: String,
    #[server(default)] from: String,
    #[server(default)] until: String,
    /// An order id, a gateway's reference, or part of the buyer's email or name.
    #[server(default)]
    q: String,
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<crate::domain::pagination::Page<OrderView>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let status = match status.as_str() {
        "" => None,
        s => Some(OrderStatus::parse(s).ok_or_else(|| AppError::validation("Unknown order status."))?),
    };
    let gateway = match gateway.as_str() {
        "" => None,
        g => Some(Gateway::parse(g).ok_or_else(|| AppError::validation("Unknown gateway."))?),
    };
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    let filter = orders::StaffFilter {
        status,
        gateway,
        from: parse_date(&from)?,
        until: parse_date(&until)?.map(|d| d + 86_400),
        search: q.chars().take(200).collect(),
    };
    Ok(state()?.db.read(move |c| orders::page_for_staff(c, &filter, at)).await?)
}

/// "2026-11-21" -> the Unix time of that day's start (UTC); empty is no date.
#[cfg(feature = "ssr")]
fn parse_date(raw: &str) -> Result<Option<i64>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    crate::domain::time::parse_date(raw).map(Some).ok_or_else(|| AppError::validation("Enter dates as YYYY-MM-DD."))
}

#[server(prefix = "/api", endpoint = "admin/order")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn admin_order(public_id: String) -> Result<OrderView, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    state()?.db.run(move |c| orders::view_for_staff(c, &public_id)).await?.ok_or(AppError::NotFound)
}

/// Completes a manual delivery; the member is mailed the message.
#[server(prefix = "/api", endpoint = "admin/mark_delivered")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn mark_delivered(public_id: String, message: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let message = message.trim().to_owned();
    if message.is_empty() || message.chars().count() > 2000 {
        return Err(AppError::validation(
            "Write a message for the customer (up to 2,000 characters): what you delivered and where to find it.",
        ));
    }
    let state = state()?;
    let config = state.config.clone();
    let id = public_id.clone();
    let done = state
        .db
        .run(move |c| crate::server::studio::delivery::mark_manual_delivered(c, &config, &id, &message, Some(staff.id)))
        .await?;
    if !done {
        return Err(AppError::validation("This order has no delivery waiting to be completed by hand."));
    }
    tracing::info!(staff = staff.id, order = %public_id, "manual delivery completed");
    leptos_axum::redirect(&format!("/admin/orders/{public_id}?delivered=1"));
    Ok(())
}

/// Records a refund staff made in the gateway's own dashboard: the order becomes
/// refunded through the same payment path as a gateway's refund notice (the
/// member is mailed, access is withdrawn), once.
#[server(prefix = "/api", endpoint = "admin/record_refund")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn record_refund(public_id: String, note: String) -> Result<(), AppError> {
    use crate::domain::orders::OrderStatus;
    use crate::server::studio::payments::{self, Outcome, PaymentEvent};
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let note = note.trim().chars().take(500).collect::<String>();
    if note.is_empty() {
        return Err(AppError::validation(
            "Say where the refund was made and its reference (for example: Midtrans dashboard, refund 1234).",
        ));
    }
    let state = state()?;
    let config = state.config.clone();
    let (actor, actor_email, id) = (staff.id, staff.email.clone(), public_id.clone());
    state
        .db
        .run(move |c| -> Result<Result<(), AppError>, DbError> {
            let Some(order) = orders::by_public_id(c, &id)? else { return Ok(Err(AppError::NotFound)) };
            if order.status != OrderStatus::Paid {
                return Ok(Err(AppError::validation("Only a paid order can be refunded.")));
            }
            let event = PaymentEvent {
                gateway: order.gateway,
                event_key: format!("staff-refund:{}", order.id),
                outcome: Outcome::Refunded,
                note: format!("Refund recorded by {actor_email}: {note}"),
                raw: String::new(),
            };
            payments::apply(c, &config, &order, &event)?;
            audit::record(c, Some(actor), "order.refund_recorded", &format!("order:{}", order.public_id), &note)?;
            Ok(Ok(()))
        })
        .await??;
    tracing::info!(staff = staff.id, order = %public_id, "refund made outside Atelier recorded");
    leptos_axum::redirect(&format!("/admin/orders/{public_id}?refunded=1"));
    Ok(())
}

/// Sends the buyer their delivery mail again (fresh download links for files).
#[server(prefix = "/api", endpoint = "admin/resend_delivery")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn resend_delivery(public_id: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let id = public_id.clone();
    crate::server::studio::delivery::actions::resend(&state()?.delivery(), staff.id, id)
        .await?
        .map_err(AppError::validation)?;
    leptos_axum::redirect(&format!("/admin/orders/{public_id}?done=resent"));
    Ok(())
}

/// Invites the order's GitHub account to the repository again (a new invitation).
#[server(prefix = "/api", endpoint = "admin/reinvite_github")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn reinvite_github(public_id: String) -> Result<(), AppError> {
    use crate::server::jobs::JobError;
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let done =
        crate::server::studio::delivery::actions::reinvite(&state()?.delivery(), staff.id, public_id.clone()).await;
    match done {
        Ok(refused) => refused.map_err(AppError::validation)?,
        Err(JobError::Permanent(err)) => {
            return Err(AppError::validation(format!("GitHub refused the invitation: {err}")));
        }
        Err(err) => {
            tracing::warn!(order = %public_id, error = ?err, "GitHub re-invitation failed");
            return Err(AppError::validation("GitHub did not answer: nothing was sent. Try again in a few minutes."));
        }
    }
    leptos_axum::redirect(&format!("/admin/orders/{public_id}?done=reinvited"));
    Ok(())
}

/// Withdraws what a paid order delivered, without a refund; the buyer sees the reason.
#[server(prefix = "/api", endpoint = "admin/revoke_access")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn revoke_access(public_id: String, reason: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let reason = crate::domain::contact::one_line(&reason);
    if reason.is_empty() || reason.chars().count() > 300 {
        return Err(AppError::validation("Say why, in up to 300 characters: the buyer sees it."));
    }
    let id = public_id.clone();
    crate::server::studio::delivery::actions::revoke(&state()?.delivery(), staff.id, id, reason)
        .await?
        .map_err(AppError::validation)?;
    leptos_axum::redirect(&format!("/admin/orders/{public_id}?done=revoked"));
    Ok(())
}

/// Gives back access withdrawn with [`revoke_access`].
#[server(prefix = "/api", endpoint = "admin/restore_access")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn restore_access(public_id: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let id = public_id.clone();
    crate::server::studio::delivery::actions::restore(&state()?.delivery(), staff.id, id)
        .await?
        .map_err(AppError::validation)?;
    leptos_axum::redirect(&format!("/admin/orders/{public_id}?done=restored"));
    Ok(())
}

/// Marks what an order asked staff to look at (a partial refund, a coupon past its
/// limit) as handled: whatever access it has stays as it is.
#[server(prefix = "/api", endpoint = "admin/dismiss_order_notice")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn dismiss_order_notice(public_id: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let id = public_id.clone();
    let dismissed = state()?
        .db
        .run(move |c| -> Result<bool, DbError> {
            let tx = c.transaction()?;
            let Some(order) = orders::by_public_id(&tx, &id)? else { return Ok(false) };
            orders::set_staff_notice(&tx, order.id, None)?;
            audit::record(&tx, Some(staff.id), "order.notice_handled", &format!("order:{id}"), "kept as it is")?;
            tx.commit()?;
            Ok(true)
        })
        .await?;
    if !dismissed {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect(&format!("/admin/orders/{public_id}?done=handled"));
    Ok(())
}

/// An order's license key with the machines it is active on (`None`: the order has no key).
#[server(prefix = "/api", endpoint = "admin/order_license")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn admin_order_license(public_id: String) -> Result<Option<crate::domain::license::LicenseView>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let now = state.clock.now();
    let license = state.db.read(move |c| crate::server::db::deliveries::license_of_order(c, &public_id)).await?;
    Ok(license.map(|l| l.at(now)))
}

/// Changes how many machines an order's key may be active on (machines above a
/// lowered limit stay until removed; new ones are refused). Audited.
#[server(prefix = "/api", endpoint = "admin/set_activation_limit")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn set_activation_limit(public_id: String, limit: String) -> Result<(), AppError> {
    use crate::server::db::{audit, deliveries, DbError};
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let limit = crate::domain::license::parse_activation_limit(&limit)?;
    let id = public_id.clone();
    state()?
        .db
        .run(move |c| -> Result<Result<(), AppError>, DbError> {
            let tx = c.transaction()?;
            let Some(license) = deliveries::license_of_order(&tx, &id)? else { return Ok(Err(AppError::NotFound)) };
            deliveries::set_activation_limit(&tx, license.id, limit)?;
            let detail = format!("{} → {limit} machines", license.activation_limit);
            audit::record(&tx, Some(staff.id), "license.limit_changed", &format!("order:{id}"), &detail)?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .await??;
    leptos_axum::redirect(&format!("/admin/orders/{public_id}?done=limit#license"));
    Ok(())
}

/// Deactivates a machine of an order's key for its owner (a lost laptop). Audited.
#[server(prefix = "/api", endpoint = "admin/deactivate_machine")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id, id), err(level = "info")))]
pub async fn staff_deactivate_machine(public_id: String, id: i64) -> Result<(), AppError> {
    use crate::server::db::{audit, deliveries, DbError};
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let order = public_id.clone();
    state()?
        .db
        .run(move |c| -> Result<Result<(), AppError>, DbError> {
            let tx = c.transaction()?;
            let Some(license) = deliveries::license_of_order(&tx, &order)? else { return Ok(Err(AppError::NotFound)) };
            if !license.activations.iter().any(|a| a.id == id) {
                return Ok(Err(AppError::NotFound));
            }
            let Some((_, instance)) = deliveries::remove_activation(&tx, id, None)? else {
                return Ok(Err(AppError::NotFound));
            };
            audit::record(&tx, Some(staff.id), "license.deactivated", &format!("order:{order}"), &instance)?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .await??;
    leptos_axum::redirect(&format!("/admin/orders/{public_id}?done=deactivated#license"));
    Ok(())
}

/// A service's steps so far (manual deliveries), oldest first.
#[server(prefix = "/api", endpoint = "admin/service_updates")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn admin_service_updates(public_id: String) -> Result<Vec<crate::domain::delivery::ServiceUpdate>, AppError> {
    use crate::server::db::{deliveries, DbError};
    guard::require_role(Some(Role::Staff)).await?;
    state()?
        .db
        .read(move |c| -> Result<Option<Vec<crate::domain::delivery::ServiceUpdate>>, DbError> {
            let Some(order) = orders::by_public_id(c, &public_id)? else { return Ok(None) };
            Ok(Some(deliveries::service_updates(c, order.id)?))
        })
        .await?
        .ok_or(AppError::NotFound)
}

/// Posts a step of a service being prepared: in progress, with a note the customer
/// reads on `/dashboard/services` and receives by mail.
#[server(prefix = "/api", endpoint = "admin/post_service_update")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn post_service_update(public_id: String, note: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let note = crate::domain::delivery::parse_service_note(&note)?;
    let state = state()?;
    let config = state.config.clone();
    let id = public_id.clone();
    let posted = state
        .db
        .run(move |c| crate::server::studio::delivery::post_service_update(c, &config, &id, &note, staff.id))
        .await?;
    if !posted {
        return Err(AppError::validation("This order has no service being prepared: nothing was posted."));
    }
    leptos_axum::redirect(&format!("/admin/orders/{public_id}?done=progress"));
    Ok(())
}
