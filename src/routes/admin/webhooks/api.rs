//! Server functions: webhook endpoints. Every one starts by requiring staff.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{db::DbError, state},
};

/// How many endpoints a studio may have.
pub const MAX_ENDPOINTS: i64 = 20;

#[server(prefix = "/api", endpoint = "admin/webhooks")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_webhooks() -> Result<Vec<crate::domain::webhooks::EndpointView>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    Ok(state()?.db.read(crate::server::db::webhooks::endpoints).await?)
}

/// One endpoint and a page of its log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EndpointDetail {
    pub endpoint: crate::domain::webhooks::EndpointView,
    pub log: Vec<crate::domain::webhooks::DeliveryView>,
    pub newer: Option<String>,
    pub older: Option<String>,
}

#[server(prefix = "/api", endpoint = "admin/webhook")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn admin_webhook(
    id: i64,
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<EndpointDetail, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    let found = state()?
        .db
        .read(move |c| -> Result<_, DbError> {
            use crate::server::db::webhooks;
            let Some(endpoint) = webhooks::endpoint(c, id)? else { return Ok(None) };
            let page = webhooks::deliveries(c, id, at)?;
            Ok(Some(EndpointDetail { endpoint, log: page.rows, newer: page.newer, older: page.older }))
        })
        .await?;
    found.ok_or(AppError::NotFound)
}

/// The events ticked on an endpoint's form (`event_order_paid=on`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct EventsForm {
    pub order_paid: Option<String>,
    pub order_refunded: Option<String>,
    pub subscription_renewed: Option<String>,
    pub subscription_expired: Option<String>,
    pub invoice_paid: Option<String>,
    pub waitlist_joined: Option<String>,
    pub contact_received: Option<String>,
}

impl EventsForm {
    /// The form field of an event.
    pub fn field(event: crate::domain::webhooks::Event) -> String {
        event.as_str().replace('.', "_")
    }

    #[cfg(feature = "ssr")]
    fn chosen(&self) -> Result<Vec<crate::domain::webhooks::Event>, AppError> {
        use crate::domain::webhooks::Event::*;
        let ticked = [
            (&self.order_paid, OrderPaid),
            (&self.order_refunded, OrderRefunded),
            (&self.subscription_renewed, SubscriptionRenewed),
            (&self.subscription_expired, SubscriptionExpired),
            (&self.invoice_paid, InvoicePaid),
            (&self.waitlist_joined, WaitlistJoined),
            (&self.contact_received, ContactReceived),
        ];
        let events: Vec<_> = ticked.into_iter().filter(|(on, _)| on.is_some()).map(|(_, e)| e).collect();
        if events.is_empty() {
            return Err(AppError::validation("Tick at least one event to send to this address."));
        }
        Ok(events)
    }
}

/// Adds an endpoint (its signing secret is made here); audited.
#[server(prefix = "/api", endpoint = "admin/create_webhook")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn create_webhook(url: String, events: EventsForm) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let url = crate::domain::webhooks::check_url(&url, state.config.is_production())?;
    let events = events.chosen()?;
    let now = state.clock.now();
    let id = state
        .db
        .run(move |c| -> Result<Option<i64>, DbError> {
            use crate::server::db::webhooks;
            let tx = c.transaction()?;
            if webhooks::count(&tx)? >= MAX_ENDPOINTS {
                return Ok(None);
            }
            let secret = crate::server::studio::webhooks::new_secret()?;
            let id = webhooks::create(&tx, &url, &events, &secret, now)?;
            crate::server::db::audit::record(&tx, Some(staff.id), "webhook.created", &format!("webhook:{id}"), &url)?;
            tx.commit()?;
            Ok(Some(id))
        })
        .await?
        .ok_or_else(|| {
            AppError::validation(format!("A studio has at most {MAX_ENDPOINTS} endpoints: remove one first."))
        })?;
    leptos_axum::redirect(&format!("/admin/webhooks/{id}?created=1"));
    Ok(())
}

/// Changes an endpoint's address and events; audited.
#[server(prefix = "/api", endpoint = "admin/update_webhook")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn update_webhook(id: i64, url: String, events: EventsForm) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let url = crate::domain::webhooks::check_url(&url, state.config.is_production())?;
    let events = events.chosen()?;
    let now = state.clock.now();
    let changed = state
        .db
        .run(move |c| -> Result<bool, DbError> {
            let tx = c.transaction()?;
            let changed = crate::server::db::webhooks::update(&tx, id, &url, &events, now)?;
            if changed {
                crate::server::db::audit::record(
                    &tx,
                    Some(staff.id),
                    "webhook.changed",
                    &format!("webhook:{id}"),
                    &url,
                )?;
            }
            tx.commit()?;
            Ok(changed)
        })
        .await?;
    if !changed {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect(&format!("/admin/webhooks/{id}?saved=1"));
    Ok(())
}

/// Turns an endpoint off (nothing is sent to it) or on again; audited.
#[server(prefix = "/api", endpoint = "admin/set_webhook_enabled")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id, enabled), err(level = "info")))]
pub async fn set_webhook_enabled(id: i64, enabled: bool) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let now = state.clock.now();
    let changed = state
        .db
        .run(move |c| -> Result<bool, DbError> {
            let tx = c.transaction()?;
            let changed = crate::server::db::webhooks::set_enabled(&tx, id, enabled, now)?;
            if changed {
                let action = if enabled { "webhook.enabled" } else { "webhook.disabled" };
                crate::server::db::audit::record(&tx, Some(staff.id), action, &format!("webhook:{id}"), "")?;
            }
            tx.commit()?;
            Ok(changed)
        })
        .await?;
    if !changed {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect(&format!("/admin/webhooks/{id}?saved=1"));
    Ok(())
}

/// Removes an endpoint and its log; audited.
#[server(prefix = "/api", endpoint = "admin/delete_webhook")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn delete_webhook(id: i64) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let deleted = state
        .db
        .run(move |c| -> Result<Option<bool>, DbError> {
            let tx = c.transaction()?;
            if crate::server::db::webhooks::endpoint(&tx, id)?.is_some_and(|e| e.from_env) {
                return Ok(None);
            }
            let deleted = crate::server::db::webhooks::delete(&tx, id)?;
            if deleted {
                crate::server::db::audit::record(&tx, Some(staff.id), "webhook.deleted", &format!("webhook:{id}"), "")?;
            }
            tx.commit()?;
            Ok(Some(deleted))
        })
        .await?
        .ok_or_else(|| {
            AppError::validation(
                "This endpoint comes from NOTIFY_WEBHOOK_URL: unset that variable to remove it, or turn it off here.",
            )
        })?;
    if !deleted {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect("/admin/webhooks?deleted=1");
    Ok(())
}

/// "Send test event": a `ping` to the endpoint now.
#[server(prefix = "/api", endpoint = "admin/test_webhook")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn test_webhook(id: i64) -> Result<(), AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let now = state.clock.now();
    if !state.db.run(move |c| crate::server::studio::webhooks::queue_test(c, id, now)).await? {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect(&format!("/admin/webhooks/{id}?tested=1"));
    Ok(())
}

/// "Redeliver": a logged event sent again, with the same id.
#[server(prefix = "/api", endpoint = "admin/redeliver_webhook")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id, delivery), err(level = "info")))]
pub async fn redeliver_webhook(id: i64, delivery: i64) -> Result<(), AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let now = state.clock.now();
    if !state.db.run(move |c| crate::server::studio::webhooks::queue_redelivery(c, id, delivery, now)).await? {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect(&format!("/admin/webhooks/{id}?redelivered=1"));
    Ok(())
}
