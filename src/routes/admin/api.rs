//! Server functions of the admin area. Every one starts by requiring staff.

use crate::domain::{
    audit::AuditEntry,
    contact::ContactMessage,
    content::{EntryForm, EntryRow},
    uploads::Upload,
    waitlist::{WaitlistCount, WaitlistPerson},
};
use crate::domain::{
    orders::OrderView,
    products::{Product, ProductForm},
};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::content::{EntryInput, EntryKind},
    domain::delivery::DeliveryConfig,
    domain::orders::{Gateway, OrderStatus},
    domain::products::ProductInput,
    domain::Role,
    server::{
        auth::guard,
        db::{audit, catalog, contacts, content, orders, uploads, waitlist, DbError},
        markdown, state,
    },
};

#[server(prefix = "/api", endpoint = "admin/products")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_products() -> Result<Vec<Product>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    Ok(state()?.db.run(|c| catalog::all(c)).await?)
}

/// The product form filled with a product's current values (an empty form for `None`).
#[server(prefix = "/api", endpoint = "admin/product_form")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id = ?id), err(level = "info")))]
pub async fn admin_product_form(id: Option<i64>) -> Result<ProductForm, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let Some(id) = id else {
        return Ok(ProductForm {
            kind: "digital".into(),
            status: "draft".into(),
            billing: "one_time".into(),
            delivery_kind: "web_access".into(),
            ..ProductForm::default()
        });
    };
    let found = state()?
        .db
        .run(move |c| -> Result<_, crate::server::db::DbError> {
            let Some(p) = catalog::by_id(c, id)? else { return Ok(None) };
            let (md, config): (String, DeliveryConfig) = catalog::delivery_config(c, id)?;
            Ok(Some((p, md, config, catalog::is_featured(c, id)?)))
        })
        .await?;
    let (p, md, config, featured) = found.ok_or(AppError::NotFound)?;
    let num = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    Ok(ProductForm {
        slug: p.slug,
        kind: p.kind.as_str().into(),
        name: p.name,
        summary: p.summary,
        description_md: md,
        status: p.status.as_str().into(),
        billing: p.billing.as_str().into(),
        price_idr: p.price_idr.to_string(),
        price_usd: p.price_usd_cents.map(|c| format!("{}.{:02}", c / 100, c % 100)).unwrap_or_default(),
        delivery_kind: p.delivery_kind.as_str().into(),
        delivery_max_downloads: num(config.max_downloads),
        delivery_repo: config.repo.unwrap_or_default(),
        delivery_activation_limit: num(config.activation_limit),
        delivery_validity_days: num(config.validity_days),
        delivery_signed: if config.signed == Some(true) { "on".into() } else { String::new() },
        featured: if featured { "on".into() } else { String::new() },
        cover_image: p.cover_image,
        gallery: p.gallery.join("\n"),
    })
}

/// Creates (`id` empty) or updates a product. The description is rendered to safe HTML here, once.
#[server(prefix = "/api", endpoint = "admin/save_product")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id = ?id), err(level = "info")))]
pub async fn save_product(#[server(default)] id: Option<i64>, form: ProductForm) -> Result<i64, AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let input = ProductInput::parse(&form)?;
    let state = state()?;
    // A product sold by download link goes on sale only once there is a file to download.
    if input.delivery_kind == crate::domain::delivery::DeliveryKind::EmailFile
        && input.status == crate::domain::products::ProductStatus::Active
    {
        let has_file = match id {
            Some(id) => {
                !state.db.read(move |c| crate::server::db::product_files::downloadable(c, id)).await?.is_empty()
            }
            None => false,
        };
        if !has_file {
            return Err(AppError::validation(
                "A product delivered by download link needs its file before it goes on sale: save it as a draft, \
                 upload the file under Files, then make it active.",
            ));
        }
    }
    let html = markdown::render(&input.description_md);
    let actor = staff.id;
    let saved = state
        .db
        .run(move |c| Ok::<_, crate::server::db::DbError>(catalog::save_audited(c, actor, id, &input, &html)))
        .await?;
    state.cache.invalidate();
    let product_id = match saved {
        Ok(id) => id,
        Err(catalog::SaveError::SlugTaken) => {
            return Err(AppError::validation("Another product already uses that slug. Choose a different one."))
        }
        Err(catalog::SaveError::NotFound) => return Err(AppError::NotFound),
        Err(catalog::SaveError::Db(e)) => return Err(e.into()),
    };
    tracing::info!(staff = staff.id, product_id, "product saved");
    leptos_axum::redirect(&format!("/admin/products/{product_id}?saved=1"));
    Ok(product_id)
}

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

/// Queued, running and dead jobs, with their last error.
#[server(prefix = "/api", endpoint = "admin/jobs")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_jobs() -> Result<crate::domain::jobs::JobsOverview, AppError> {
    use crate::server::db::{self, deliveries};
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let now = db::now();
    let (jobs, (depth, oldest_wait_secs)) = state
        .db
        .run(move |c| -> Result<_, db::DbError> {
            Ok((deliveries::open_jobs(c)?, crate::server::jobs::queue_depth(c, now)?))
        })
        .await?;
    let running = state.jobs.running().into_iter().map(|j| (j.id, j.kind, now - j.started_at)).collect();
    Ok(crate::domain::jobs::JobsOverview {
        workers: u32::try_from(state.jobs.workers()).unwrap_or(u32::MAX),
        running,
        depth,
        oldest_wait_secs,
        jobs,
    })
}

/// Puts a dead job back in the queue.
#[server(prefix = "/api", endpoint = "admin/retry_job")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id = ?id), err(level = "info")))]
pub async fn retry_job(id: i64) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let retried = state()?.db.run(move |c| crate::server::jobs::retry(c, id)).await?;
    if !retried {
        return Err(AppError::validation("Only a dead job can be retried; this one is queued, running or done."));
    }
    tracing::info!(staff = staff.id, job = id, "job retried by staff");
    leptos_axum::redirect("/admin/jobs?retried=1");
    Ok(())
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
    let done = state.db.run(move |c| crate::server::delivery::mark_manual_delivered(c, &config, &id, &message)).await?;
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
    use crate::server::payments::{self, Outcome, PaymentEvent};
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
    crate::server::delivery::actions::resend(&state()?, staff.id, id).await?.map_err(AppError::validation)?;
    leptos_axum::redirect(&format!("/admin/orders/{public_id}?done=resent"));
    Ok(())
}

/// Invites the order's GitHub account to the repository again (a new invitation).
#[server(prefix = "/api", endpoint = "admin/reinvite_github")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn reinvite_github(public_id: String) -> Result<(), AppError> {
    use crate::server::jobs::JobError;
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let done = crate::server::delivery::actions::reinvite(&state()?, staff.id, public_id.clone()).await;
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
    crate::server::delivery::actions::revoke(&state()?, staff.id, id, reason).await?.map_err(AppError::validation)?;
    leptos_axum::redirect(&format!("/admin/orders/{public_id}?done=revoked"));
    Ok(())
}

/// Gives back access withdrawn with [`revoke_access`].
#[server(prefix = "/api", endpoint = "admin/restore_access")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn restore_access(public_id: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let id = public_id.clone();
    crate::server::delivery::actions::restore(&state()?, staff.id, id).await?.map_err(AppError::validation)?;
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

/// An admin list with the server's clock, so "scheduled" is judged by the server's time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EntryList {
    pub rows: Vec<EntryRow>,
    pub now: i64,
    /// The neighbouring pages (`after=` / `before=`), if any.
    pub newer: Option<String>,
    pub older: Option<String>,
}

#[cfg(feature = "ssr")]
fn entry_kind(raw: &str) -> Result<EntryKind, AppError> {
    EntryKind::parse(raw).ok_or(AppError::NotFound)
}

#[server(prefix = "/api", endpoint = "admin/entries")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(kind = ?kind), err(level = "info")))]
pub async fn admin_entries(
    kind: String,
    /// Part of the title.
    #[server(default)]
    q: String,
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<EntryList, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let kind = entry_kind(&kind)?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    let q: String = q.chars().take(200).collect();
    let page = state()?.db.read(move |c| content::page_for_staff(c, kind, &q, at)).await?;
    Ok(EntryList { rows: page.rows, now: crate::server::db::now(), newer: page.newer, older: page.older })
}

/// The editor's form with an entry's current values (an empty draft for `None`).
#[server(prefix = "/api", endpoint = "admin/entry_form")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(kind = ?kind, id = ?id), err(level = "info")))]
pub async fn admin_entry_form(kind: String, id: Option<i64>) -> Result<EntryForm, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let kind = entry_kind(&kind)?;
    let Some(id) = id else { return Ok(EntryForm { status: "draft".into(), ..EntryForm::default() }) };
    match state()?.db.run(move |c| content::form(c, id)).await? {
        Some((found, form)) if found == kind => Ok(form),
        _ => Err(AppError::NotFound),
    }
}

/// Creates (`id` empty) or updates an entry. Markdown is rendered to safe HTML here, once.
#[server(prefix = "/api", endpoint = "admin/save_entry")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(kind = ?kind, id = ?id), err(level = "info")))]
pub async fn save_entry(kind: String, #[server(default)] id: Option<i64>, form: EntryForm) -> Result<i64, AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let kind = entry_kind(&kind)?;
    let input = EntryInput::parse(kind, &form)?;
    let state = state()?;
    let (actor, md) = (staff.id, input.body_md.clone());
    let html = tokio::task::spawn_blocking(move || markdown::render(&md)).await.map_err(|_| AppError::Internal)?;
    let saved = state.db.run(move |c| Ok::<_, DbError>(content::save(c, id, &input, &html, Some(actor)))).await?;
    let entry_id = match saved {
        Ok(id) => id,
        Err(content::SaveError::SlugTaken) => {
            return Err(AppError::validation(format!(
                "Another {} already uses that slug. Choose a different one.",
                kind.label().to_lowercase()
            )))
        }
        Err(content::SaveError::FixedPage) => {
            return Err(AppError::validation("This page's address is fixed: the site links to it. Keep its slug."))
        }
        Err(content::SaveError::NotFound) => return Err(AppError::NotFound),
        Err(content::SaveError::Db(e)) => return Err(e.into()),
    };
    state.cache.invalidate();
    tracing::info!(staff = staff.id, entry = entry_id, kind = %kind, "content saved");
    leptos_axum::redirect(&format!("{}/{entry_id}?saved=1", kind.admin_path()));
    Ok(entry_id)
}

#[server(prefix = "/api", endpoint = "admin/delete_entry")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id = ?id), err(level = "info")))]
pub async fn delete_entry(id: i64) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let actor = staff.id;
    let kind = match state.db.run(move |c| Ok::<_, DbError>(content::delete(c, id, actor))).await? {
        Ok(kind) => kind,
        Err(content::DeleteError::NotFound) => return Err(AppError::NotFound),
        Err(content::DeleteError::FixedPage) => {
            return Err(AppError::validation("This page is part of the site and cannot be deleted; edit it instead."))
        }
        Err(content::DeleteError::Db(e)) => return Err(e.into()),
    };
    state.cache.invalidate();
    tracing::info!(staff = staff.id, entry = id, "content deleted");
    leptos_axum::redirect(&format!("{}?deleted=1", kind.admin_path()));
    Ok(())
}

/// The editor's live preview: Markdown rendered and sanitised exactly as it will be published.
#[server(prefix = "/api", endpoint = "admin/preview_markdown")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn preview_markdown(markdown: String) -> Result<String, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    if markdown.len() > 200_000 {
        return Err(AppError::validation("The text is too long to preview (at most 200,000 characters)."));
    }
    tokio::task::spawn_blocking(move || markdown::render(&markdown)).await.map_err(|_| AppError::Internal)
}

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
    use crate::server::waitlist_launch::{start, EarlyBird};
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let percent = match percent.trim().trim_end_matches('%').trim().parse::<i64>() {
        Ok(p) if (1..=100).contains(&p) => p,
        _ => return Err(AppError::validation("Enter the early-bird discount as a whole percentage from 1 to 100.")),
    };
    let days = match days.trim().parse::<i64>() {
        Ok(d) if (1..=90).contains(&d) => d,
        _ => return Err(AppError::validation("Enter how many days the early-bird price lasts (1 to 90).")),
    };
    let started = start(&state()?, staff.id, product_id, EarlyBird { percent, days }).await?;
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

#[server(prefix = "/api", endpoint = "admin/contacts")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(handled = ?handled), err(level = "info")))]
pub async fn admin_contacts(
    #[server(default)] handled: bool,
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<crate::domain::pagination::Page<ContactMessage>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    Ok(state()?.db.read(move |c| contacts::page(c, handled, at)).await?)
}

#[server(prefix = "/api", endpoint = "admin/set_contact_handled")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id = ?id, handled = ?handled), err(level = "info")))]
pub async fn set_contact_handled(id: i64, handled: bool) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let actor = staff.id;
    if !state()?.db.run(move |c| contacts::set_handled(c, id, handled, actor)).await? {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect(if handled { "/admin/contacts?done=1" } else { "/admin/contacts?handled=true&reopened=1" });
    Ok(())
}

#[server(prefix = "/api", endpoint = "admin/uploads")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_uploads() -> Result<Vec<Upload>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    Ok(state()?.db.run(|c| uploads::recent(c, 60)).await?)
}

/// The overview: what needs attention, the takings, and the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Overview {
    pub audit: Vec<AuditEntry>,
    pub unhandled_messages: i64,
    /// Each figure that waits for someone: (how many, what, where to see them).
    pub attention: Vec<(i64, String, String)>,
    /// Paid per period and currency: (period, IDR, USD, orders).
    pub takings: Vec<(String, String, String, i64)>,
}

#[server(prefix = "/api", endpoint = "admin/overview")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_overview() -> Result<Overview, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    use crate::domain::time::{jakarta_day, jakarta_day_start, jakarta_month_start, DAY_SECS};
    use crate::domain::{Currency, Money};
    use crate::server::db::overview;
    let state = state()?;
    let now = state.clock.now();
    let today = jakarta_day(now);
    // Jakarta days and months, as unix seconds.
    let first_of_month = jakarta_month_start(today);
    let (day_start, month_start) = (jakarta_day_start(today), jakarta_day_start(first_of_month));
    let last_month_start = jakarta_day_start(jakarta_month_start(first_of_month - 1));
    let periods = [
        ("Today", day_start, now + 1),
        ("Yesterday", day_start - DAY_SECS, day_start),
        ("This month", month_start, now + 1),
        ("Last month", last_month_start, month_start),
    ];
    Ok(state
        .db
        .read(move |c| -> Result<_, DbError> {
            let w = overview::waiting(c, now, 7 * DAY_SECS, now - 7 * DAY_SECS)?;
            let unhandled = contacts::unhandled_count(c)?;
            let attention = [
                (w.pending_orders, "orders waiting for payment", "/admin/orders?status=pending"),
                (w.failed_deliveries, "deliveries failed", "/admin/jobs"),
                (w.manual_deliveries, "deliveries for staff to make", "/admin/orders?status=paid"),
                (w.dead_jobs, "dead jobs", "/admin/jobs"),
                (w.overdue_invoices, "invoices overdue", "/admin/invoices"),
                (
                    w.subscriptions_ending,
                    "subscriptions ending within 7 days",
                    "/admin/subscriptions?status=active&within=7",
                ),
                (unhandled, "messages waiting for an answer", "/admin/contacts"),
                (w.waitlist_signups, "waitlist sign-ups in the last 7 days", "/admin/waitlist"),
            ]
            .into_iter()
            .map(|(n, what, href)| (n, what.to_owned(), href.to_owned()))
            .collect();
            let mut takings = Vec::new();
            for (label, start, end) in periods {
                let paid = overview::paid_between(c, start, end)?;
                let amount = |code: &str, currency: Currency| {
                    let minor = paid.iter().find(|(c, _, _)| c == code).map_or(0, |(_, _, sum)| *sum);
                    Money { minor, currency }.to_string()
                };
                let orders = paid.iter().map(|(_, n, _)| n).sum();
                takings.push((label.to_owned(), amount("IDR", Currency::Idr), amount("USD", Currency::Usd), orders));
            }
            Ok(Overview { audit: audit::recent(c, 10)?, unhandled_messages: unhandled, attention, takings })
        })
        .await?)
}

/// The whole audit trail, a page at a time.
#[server(prefix = "/api", endpoint = "admin/audit")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_audit(
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<crate::domain::pagination::Page<AuditEntry>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    Ok(state()?.db.read(move |c| audit::page(c, at)).await?)
}

/// A product's plans, retired ones too.
#[server(prefix = "/api", endpoint = "admin/plans")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(product_id), err(level = "info")))]
pub async fn admin_plans(product_id: i64) -> Result<Vec<crate::domain::subscriptions::Plan>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    Ok(state.db.read(move |c| crate::server::db::subscriptions::plans_for_product(c, product_id, true)).await?)
}

/// Adds (`id` empty) or changes a plan of a product.
#[server(prefix = "/api", endpoint = "admin/save_plan")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(product_id, id = ?id), err(level = "info")))]
pub async fn save_plan(
    product_id: i64,
    #[server(default)] id: Option<i64>,
    plan: crate::domain::subscriptions::PlanForm,
) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let input = crate::domain::subscriptions::PlanInput::parse(&plan)?;
    let state = state()?;
    let actor = staff.id;
    let saved = state
        .db
        .run(move |c| -> Result<_, DbError> {
            let tx = c.transaction()?;
            if catalog::by_id(&tx, product_id)?.is_none() {
                return Ok(None);
            }
            let saved = crate::server::db::subscriptions::save_plan(&tx, product_id, id, &input)?;
            if let Some(plan_id) = saved {
                let what = if id.is_some() { "plan updated" } else { "plan added" };
                let detail = format!("{} ({}, {})", input.name, input.period.as_str(), input.price_idr);
                audit::record(&tx, Some(actor), what, &format!("product {product_id} plan {plan_id}"), &detail)?;
                tx.commit()?;
            }
            Ok(saved)
        })
        .await?;
    saved.ok_or(AppError::NotFound)?;
    state.cache.invalidate();
    leptos_axum::redirect(&format!("/admin/products/{product_id}?plan_saved=1#plans"));
    Ok(())
}

/// Stops selling a plan (its subscriptions carry on), or sells it again.
#[server(prefix = "/api", endpoint = "admin/retire_plan")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(product_id, id), err(level = "info")))]
pub async fn retire_plan(product_id: i64, id: i64, retired: bool) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let actor = staff.id;
    let done = state
        .db
        .run(move |c| -> Result<bool, DbError> {
            let tx = c.transaction()?;
            let done = crate::server::db::subscriptions::set_plan_retired(&tx, product_id, id, retired)?;
            if done {
                let what = if retired { "plan retired" } else { "plan back on sale" };
                audit::record(&tx, Some(actor), what, &format!("product {product_id} plan {id}"), "")?;
                tx.commit()?;
            }
            Ok(done)
        })
        .await?;
    if !done {
        return Err(AppError::NotFound);
    }
    state.cache.invalidate();
    leptos_axum::redirect(&format!("/admin/products/{product_id}?plan_saved=1#plans"));
    Ok(())
}

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
    let done = state.db.run(move |c| crate::server::subscriptions::extend(c, &id, days, &note, staff.id, now)).await?;
    match done {
        Ok(_) => {
            leptos_axum::redirect(&format!("/admin/subscriptions/{public_id}?extended=1"));
            Ok(())
        }
        Err(crate::server::subscriptions::Refused::NotFound) => Err(AppError::NotFound),
        Err(crate::server::subscriptions::Refused::NotNow(why)) => Err(AppError::validation(why)),
    }
}

/// Cancels a subscription for its member (access runs to the period end); audited.
#[server(prefix = "/api", endpoint = "admin/cancel_subscription")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn staff_cancel_subscription(public_id: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let (config, now, id) = (state.config.clone(), state.clock.now(), public_id.clone());
    let done =
        state.db.run(move |c| crate::server::subscriptions::cancel_by_staff(c, &config, &id, staff.id, now)).await?;
    match done {
        Ok(()) => {
            leptos_axum::redirect(&format!("/admin/subscriptions/{public_id}?cancelled=1"));
            Ok(())
        }
        Err(crate::server::subscriptions::Refused::NotFound) => Err(AppError::NotFound),
        Err(crate::server::subscriptions::Refused::NotNow(why)) => Err(AppError::validation(why)),
    }
}

/// A product's files with every version, and the largest upload allowed.
#[server(prefix = "/api", endpoint = "admin/product_files")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(product_id), err(level = "info")))]
pub async fn admin_product_files(product_id: i64) -> Result<crate::domain::product_files::ProductFiles, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let (product, files) = state
        .db
        .read(move |c| -> Result<_, DbError> {
            Ok((catalog::by_id(c, product_id)?, crate::server::db::product_files::for_product(c, product_id)?))
        })
        .await?;
    let product = product.ok_or(AppError::NotFound)?;
    Ok(crate::domain::product_files::ProductFiles {
        for_downloads: product.delivery_kind == crate::domain::delivery::DeliveryKind::EmailFile,
        files,
        max_mb: state.config.product_file_max_mb,
    })
}

/// Mails every buyer (and subscriber) a fresh link to a file's current version and
/// its changelog, through the job queue; a second press mails nobody twice.
#[server(prefix = "/api", endpoint = "admin/send_product_update")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(product_id, version_id), err(level = "info")))]
pub async fn send_product_update(product_id: i64, version_id: i64) -> Result<(), AppError> {
    use crate::server::product_files::{send_update, SendRefusal};
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    match send_update(&state, staff.id, product_id, version_id).await? {
        Ok(started) => {
            tracing::info!(staff = staff.id, product_id, version_id, started, "product update sent");
            leptos_axum::redirect(&format!("/admin/products/{product_id}?update_sent=1#files"));
            Ok(())
        }
        Err(SendRefusal::NotFound) => Err(AppError::NotFound),
        Err(SendRefusal::NotCurrent) => Err(AppError::validation(
            "Only a file's current version can be sent to buyers: a newer version was uploaded since.",
        )),
    }
}

/// Deletes an old version of a product file (its stored bytes too); the current
/// version cannot be deleted.
#[server(prefix = "/api", endpoint = "admin/delete_file_version")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(product_id, version_id), err(level = "info")))]
pub async fn delete_file_version(product_id: i64, version_id: i64) -> Result<(), AppError> {
    use crate::server::db::product_files::{self, DeleteRefusal};
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let actor = staff.id;
    let deleted = state
        .db
        .run(move |c| -> Result<_, DbError> {
            let tx = c.transaction()?;
            let deleted = product_files::delete_old_version(&tx, product_id, version_id)?;
            if let Ok(v) = &deleted {
                let what = format!("{}: version {} ({})", v.label, v.version, v.original_name);
                audit::record(
                    &tx,
                    Some(actor),
                    "product_file.version_deleted",
                    &format!("product:{product_id}"),
                    &what,
                )?;
                tx.commit()?;
            }
            Ok(deleted)
        })
        .await?;
    match deleted {
        Ok(v) => {
            crate::server::product_files::remove_stored(&state, v.storage_path).await;
            leptos_axum::redirect(&format!("/admin/products/{product_id}#files"));
            Ok(())
        }
        Err(DeleteRefusal::NotFound) => Err(AppError::NotFound),
        Err(DeleteRefusal::Current) => Err(AppError::validation(
            "The current version is what download links serve and cannot be deleted: upload a newer one first.",
        )),
    }
}

/// People, searched by name or email and filtered by role and state.
#[server(prefix = "/api", endpoint = "admin/users")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_users(
    #[server(default)] q: String,
    #[server(default)] role: String,
    #[server(default)] state: String,
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<crate::domain::pagination::Page<crate::domain::users::UserRow>, AppError> {
    use crate::domain::users::AccountState;
    guard::require_role(Some(Role::Staff)).await?;
    let q: String = q.trim().chars().take(100).collect();
    let role = match role.as_str() {
        "" => None,
        r => Some(Role::parse(r).ok_or_else(|| AppError::validation("Unknown role."))?),
    };
    let account = match state.as_str() {
        "" => None,
        s => Some(AccountState::parse(s).ok_or_else(|| AppError::validation("Unknown account state."))?),
    };
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    let people = crate::server::state()?
        .db
        .read(move |c| crate::server::db::users::page_for_staff(c, &q, role, account, at))
        .await?;
    Ok(people)
}

/// One person: their orders, subscriptions, deliveries and live sessions.
#[server(prefix = "/api", endpoint = "admin/user")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn admin_user(id: i64) -> Result<crate::domain::users::UserDetail, AppError> {
    use crate::server::db::{deliveries, subscriptions, users};
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let grace = i64::from(state.config.subscription_grace_days) * 86_400;
    state
        .db
        .read(move |c| -> Result<Option<crate::domain::users::UserDetail>, DbError> {
            let Some((user, disabled_reason)) = users::staff_view(c, id)? else { return Ok(None) };
            Ok(Some(crate::domain::users::UserDetail {
                user,
                disabled_reason,
                orders: orders::list_for_user(c, id)?,
                subscriptions: subscriptions::list_for_user(c, id, grace)?,
                owned: deliveries::owned_by(c, id)?,
                sessions: users::session_expiries(c, id)?,
            }))
        })
        .await?
        .ok_or(AppError::NotFound)
}

/// Loads a person for a staff action, refusing what would leave the studio without staff.
#[cfg(feature = "ssr")]
fn keeps_staff(c: &rusqlite::Connection, id: i64, loses_staff: bool) -> Result<Result<(), AppError>, DbError> {
    let Some(user) = crate::server::db::users::find_by_id(c, id)? else { return Ok(Err(AppError::NotFound)) };
    if loses_staff && user.viewer.role == Role::Staff && crate::server::db::users::other_active_staff(c, id)? == 0 {
        return Ok(Err(AppError::validation(
            "The studio needs at least one staff member who can sign in: make someone else staff first.",
        )));
    }
    Ok(Ok(()))
}

/// Changes a person's role; their sessions end (they sign in again with the new access).
#[server(prefix = "/api", endpoint = "admin/set_user_role")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id, role = %role), err(level = "info")))]
pub async fn set_user_role(id: i64, role: String) -> Result<(), AppError> {
    use crate::server::db::users;
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let new_role = Role::parse(&role).ok_or_else(|| AppError::validation("Choose member, client or staff."))?;
    let actor = staff.id;
    let state = state()?;
    let config = state.config.clone();
    state
        .db
        .run(move |c| -> Result<Result<(), AppError>, DbError> {
            let tx = c.transaction()?;
            if let Err(refused) = keeps_staff(&tx, id, new_role != Role::Staff)? {
                return Ok(Err(refused));
            }
            // An unconfirmed account's password was never proven: it goes, and the
            // address gets a link to choose one (the role is only the address owner's).
            if users::forget_unproven_password(&tx, id)? {
                let (email, name) = users::mail_address(&tx, id)?;
                let token = users::create_token(&tx, id, users::TokenPurpose::ClientInvite)?;
                let mail = crate::server::mail::templates::access_granted(&config, &email, &name, new_role, &token);
                crate::server::mail::enqueue(&tx, &mail)?;
            }
            if new_role == Role::Staff {
                // Staff sign in with their password only.
                crate::server::db::identities::unlink_all(&tx, id)?;
            }
            users::set_role(&tx, id, new_role)?;
            users::end_sessions(&tx, id)?;
            audit::record(&tx, Some(actor), "user.role_changed", &format!("user:{id}"), new_role.as_str())?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .await??;
    leptos_axum::redirect(&format!("/admin/users/{id}?done=role"));
    Ok(())
}

/// Disables (with a reason; every session ends, sign-in is refused) or enables an account.
#[server(prefix = "/api", endpoint = "admin/set_user_disabled")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id, disabled), err(level = "info")))]
pub async fn set_user_disabled(id: i64, disabled: bool, #[server(default)] reason: String) -> Result<(), AppError> {
    use crate::server::db::users;
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let reason = reason.trim().chars().take(300).collect::<String>();
    if disabled && reason.is_empty() {
        return Err(AppError::validation("Say why the account is disabled (staff will see it)."));
    }
    let actor = staff.id;
    state()?
        .db
        .run(move |c| -> Result<Result<(), AppError>, DbError> {
            let tx = c.transaction()?;
            if let Err(refused) = keeps_staff(&tx, id, disabled)? {
                return Ok(Err(refused));
            }
            users::set_disabled(&tx, id, disabled.then_some(reason.as_str()))?;
            let action = if disabled {
                users::end_sessions(&tx, id)?;
                "user.disabled"
            } else {
                "user.enabled"
            };
            audit::record(&tx, Some(actor), action, &format!("user:{id}"), &reason)?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .await??;
    leptos_axum::redirect(&format!("/admin/users/{id}?done={}", if disabled { "disabled" } else { "enabled" }));
    Ok(())
}

/// Mails an unconfirmed person a new confirmation link.
#[server(prefix = "/api", endpoint = "admin/resend_verification")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn resend_verification(id: i64) -> Result<(), AppError> {
    send_account_mail(id, crate::server::db::users::TokenPurpose::VerifyEmail).await?;
    leptos_axum::redirect(&format!("/admin/users/{id}?done=verification"));
    Ok(())
}

/// Mails a person a password reset link.
#[server(prefix = "/api", endpoint = "admin/send_password_reset")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn send_password_reset(id: i64) -> Result<(), AppError> {
    send_account_mail(id, crate::server::db::users::TokenPurpose::ResetPassword).await?;
    leptos_axum::redirect(&format!("/admin/users/{id}?done=reset"));
    Ok(())
}

#[cfg(feature = "ssr")]
async fn send_account_mail(id: i64, purpose: crate::server::db::users::TokenPurpose) -> Result<(), AppError> {
    use crate::server::db::users::{self, TokenPurpose};
    use crate::server::mail::{self, templates};
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let config = state.config.clone();
    let actor = staff.id;
    state
        .db
        .run(move |c| -> Result<Result<(), AppError>, DbError> {
            let tx = c.transaction()?;
            let Some(user) = users::find_by_id(&tx, id)? else { return Ok(Err(AppError::NotFound)) };
            let v = &user.viewer;
            let message = match purpose {
                TokenPurpose::VerifyEmail if v.verified => {
                    return Ok(Err(AppError::validation("This person already confirmed their email address.")))
                }
                TokenPurpose::VerifyEmail => {
                    templates::verify_email(&config, &v.email, &v.name, &users::create_token(&tx, id, purpose)?)
                }
                TokenPurpose::ResetPassword => {
                    templates::reset_password(&config, &v.email, &v.name, &users::create_token(&tx, id, purpose)?)
                }
                TokenPurpose::ClientInvite => {
                    return Ok(Err(AppError::validation("Invite a client's people from the client's page.")))
                }
            };
            mail::enqueue(&tx, &message)?;
            let what = match purpose {
                TokenPurpose::VerifyEmail => "user.verification_sent",
                TokenPurpose::ResetPassword => "user.password_reset_sent",
                TokenPurpose::ClientInvite => "client.person_invited",
            };
            audit::record(&tx, Some(actor), what, &format!("user:{id}"), "")?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .await?
}

/// Every coupon, newest first, and the products one can be limited to.
#[server(prefix = "/api", endpoint = "admin/coupons")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_coupons() -> Result<crate::domain::coupons::CouponList, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let list = state()?
        .db
        .read(|c| -> Result<_, DbError> {
            let coupons = crate::server::db::coupons::list(c)?;
            let products = catalog::all(c)?.into_iter().map(|p| (p.id, p.name)).collect();
            Ok(crate::domain::coupons::CouponList { coupons, products })
        })
        .await?;
    Ok(list)
}

/// Creates a coupon (codes are unique, in capitals); audited.
#[server(prefix = "/api", endpoint = "admin/create_coupon")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn create_coupon(form: crate::domain::coupons::CouponForm) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let input = crate::domain::coupons::CouponInput::parse(&form)?;
    let code = input.code.clone();
    state()?
        .db
        .run(move |c| -> Result<Result<(), AppError>, DbError> {
            if let Some(product) = input.product_id {
                if catalog::by_id(c, product)?.is_none() {
                    return Ok(Err(AppError::validation("Choose a product from the list.")));
                }
            }
            Ok(match crate::server::db::coupons::create(c, staff.id, &input)? {
                Some(_) => Ok(()),
                None => {
                    Err(AppError::validation(format!("There is a coupon {} already: choose another code.", input.code)))
                }
            })
        })
        .await??;
    leptos_axum::redirect(&format!("/admin/coupons?created={code}"));
    Ok(())
}

/// Turns a coupon off or on again; orders already priced with it keep their price.
#[server(prefix = "/api", endpoint = "admin/set_coupon_disabled")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id, disabled), err(level = "info")))]
pub async fn set_coupon_disabled(id: i64, disabled: bool) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let found = state()?.db.run(move |c| crate::server::db::coupons::set_disabled(c, staff.id, id, disabled)).await?;
    if !found {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect("/admin/coupons");
    Ok(())
}

/// The settings form as stored (or the environment's defaults) and the gateways configured.
#[server(prefix = "/api", endpoint = "admin/settings")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_settings() -> Result<super::SettingsData, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let settings = crate::server::settings::current(&state).await?;
    Ok(super::SettingsData {
        form: crate::domain::settings::SettingsForm::from_settings(&settings),
        configured: state.gateways.enabled(),
    })
}

/// Saves the settings (audited with what changed); pages show them at once.
#[server(prefix = "/api", endpoint = "admin/save_settings")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn save_settings(form: crate::domain::settings::SettingsForm) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let settings = crate::domain::settings::StudioSettings::parse(&form, &state.gateways.enabled())?;
    let config = state.config.clone();
    state.db.run(move |c| crate::server::settings::save(c, &config, staff.id, &settings)).await?;
    state.cache.invalidate();
    leptos_axum::redirect("/admin/settings?saved=1");
    Ok(())
}

/// The studio's figures for a date range (`YYYY-MM-DD`, inclusive; the last 30 days by default), by day, week or month.
#[server(prefix = "/api", endpoint = "admin/analytics")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_analytics(
    #[server(default)] from: String,
    #[server(default)] until: String,
    #[server(default)] by: String,
) -> Result<crate::domain::analytics::Analytics, AppError> {
    use crate::server::analytics::{analytics, RangeQuery};
    guard::require_role(Some(Role::Staff)).await?;
    analytics(&state()?, RangeQuery { from, until, by }).await?.map_err(AppError::validation)
}

/// Every client, with how many people it has.
#[server(prefix = "/api", endpoint = "admin/clients")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_clients() -> Result<Vec<crate::domain::clients::ClientRow>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    Ok(state()?.db.read(crate::server::db::clients::list).await?)
}

/// Creates a client (a company); audited.
#[server(prefix = "/api", endpoint = "admin/create_client")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn create_client(
    name: String,
    #[server(default)] billing_address: String,
    #[server(default)] tax_id: String,
) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let input = crate::domain::clients::ClientInput::parse(&name, &billing_address, &tax_id)?;
    let id = state()?
        .db
        .run(move |c| -> Result<i64, DbError> {
            let tx = c.transaction()?;
            let id = crate::server::db::clients::create(&tx, &input)?;
            audit::record(&tx, Some(staff.id), "client.created", &format!("client:{id}"), &input.name)?;
            tx.commit()?;
            Ok(id)
        })
        .await?;
    leptos_axum::redirect(&format!("/admin/clients/{id}"));
    Ok(())
}

/// One client with its people.
#[server(prefix = "/api", endpoint = "admin/client")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn admin_client(id: i64) -> Result<crate::domain::clients::Client, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    state()?.db.read(move |c| crate::server::db::clients::by_id(c, id)).await?.ok_or(AppError::NotFound)
}

/// Invites someone to a client: a new account with the client role and a
/// 72-hour link to set its password, or, for an existing member, access at once.
#[server(prefix = "/api", endpoint = "admin/invite_client_person")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(client_id), err(level = "info")))]
pub async fn invite_client_person(client_id: i64, name: String, email: String) -> Result<(), AppError> {
    use crate::server::db::{clients, users};
    use crate::server::jobs::{self, JobKind};
    use crate::server::mail::templates;
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let invite = crate::domain::clients::Invite::parse(&name, &email)?;
    let state = state()?;
    let config = state.config.clone();
    state
        .db
        .run(move |c| -> Result<Result<(), AppError>, DbError> {
            let tx = c.transaction()?;
            let Some(client) = clients::by_id(&tx, client_id)? else { return Ok(Err(AppError::NotFound)) };
            let address = invite.email.as_str();
            let mail = match users::find_by_email(&tx, address)? {
                Some(user) if user.viewer.role == Role::Staff => {
                    return Ok(Err(AppError::validation("That is a staff account: staff see every client already.")));
                }
                Some(user) => {
                    // Whoever registered an unconfirmed address never proved it: their
                    // password goes, and the invitation mailed there sets a new one.
                    users::forget_unproven_password(&tx, user.viewer.id)?;
                    users::set_role(&tx, user.viewer.id, Role::Client)?;
                    clients::add_person(&tx, client_id, user.viewer.id)?;
                    // Their role changed: their sessions start again with it.
                    users::end_sessions(&tx, user.viewer.id)?;
                    if user.viewer.verified {
                        templates::client_added(&config, address, &user.viewer.name, &client.name)
                    } else {
                        let token = users::create_token(&tx, user.viewer.id, users::TokenPurpose::ClientInvite)?;
                        templates::client_invite(&config, address, &user.viewer.name, &client.name, &token)
                    }
                }
                None => {
                    // No usable password until its person chooses one through the link.
                    let id = users::insert(&tx, &invite.name, address, users::UNUSABLE_PASSWORD, Role::Client, false)?
                        .ok_or(rusqlite::Error::QueryReturnedNoRows)?;
                    clients::add_person(&tx, client_id, id)?;
                    let token = users::create_token(&tx, id, users::TokenPurpose::ClientInvite)?;
                    templates::client_invite(&config, address, &invite.name, &client.name, &token)
                }
            };
            jobs::enqueue(&tx, JobKind::SendEmail, &mail, None)?;
            audit::record(&tx, Some(staff.id), "client.person_invited", &format!("client:{client_id}"), address)?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .await??;
    leptos_axum::redirect(&format!("/admin/clients/{client_id}?invited=1"));
    Ok(())
}

/// Removes a person from a client: they become a member again and their sessions end.
#[server(prefix = "/api", endpoint = "admin/remove_client_person")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(client_id, user_id), err(level = "info")))]
pub async fn remove_client_person(client_id: i64, user_id: i64) -> Result<(), AppError> {
    use crate::server::db::{clients, users};
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let removed = state()?
        .db
        .run(move |c| -> Result<bool, DbError> {
            let tx = c.transaction()?;
            if !clients::remove_person(&tx, client_id, user_id)? {
                return Ok(false);
            }
            users::set_role(&tx, user_id, Role::Member)?;
            users::end_sessions(&tx, user_id)?;
            audit::record(
                &tx,
                Some(staff.id),
                "client.person_removed",
                &format!("client:{client_id}"),
                &format!("user:{user_id}"),
            )?;
            tx.commit()?;
            Ok(true)
        })
        .await?;
    if !removed {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect(&format!("/admin/clients/{client_id}?removed=1"));
    Ok(())
}

/// Every project, and the clients one can be for.
#[server(prefix = "/api", endpoint = "admin/projects")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_projects(
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<crate::domain::projects::ProjectList, AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    Ok(state()?
        .db
        .read(move |c| -> Result<_, DbError> {
            let clients = crate::server::db::clients::list(c)?.into_iter().map(|r| (r.id, r.name)).collect();
            Ok((crate::server::db::projects::page_for_staff(c, staff.id, at)?, clients))
        })
        .await?)
}

/// One project with its milestones.
#[server(prefix = "/api", endpoint = "admin/project")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn admin_project(id: i64) -> Result<crate::domain::projects::Project, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    state()?.db.read(move |c| crate::server::db::projects::by_id(c, id)).await?.ok_or(AppError::NotFound)
}

/// Creates (no `id`) or updates a project; the description is rendered and sanitised here; audited.
#[server(prefix = "/api", endpoint = "admin/save_project")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id = ?id), err(level = "info")))]
pub async fn save_project(
    #[server(default)] id: Option<i64>,
    client_id: i64,
    name: String,
    #[server(default)] description_md: String,
    status: String,
    #[server(default)] starts_on: String,
    #[server(default)] ends_on: String,
) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let input =
        crate::domain::projects::ProjectInput::parse(client_id, &name, &description_md, &status, &starts_on, &ends_on)?;
    let md = input.description_md.clone();
    let html = tokio::task::spawn_blocking(move || markdown::render(&md)).await.map_err(|_| AppError::Internal)?;
    let saved = state()?
        .db
        .run(move |c| -> Result<Result<i64, AppError>, DbError> {
            let tx = c.transaction()?;
            if crate::server::db::clients::by_id(&tx, input.client_id)?.is_none() {
                return Ok(Err(AppError::validation("Choose a client from the list.")));
            }
            let Some(saved) = crate::server::db::projects::save(&tx, id, &input, &html)? else {
                return Ok(Err(AppError::NotFound));
            };
            let action = if id.is_some() { "project.updated" } else { "project.created" };
            audit::record(&tx, Some(staff.id), action, &format!("project:{saved}"), &input.name)?;
            tx.commit()?;
            Ok(Ok(saved))
        })
        .await??;
    leptos_axum::redirect(&format!("/admin/projects/{saved}?saved=1"));
    Ok(())
}

/// Adds a milestone to a project.
#[server(prefix = "/api", endpoint = "admin/add_milestone")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(project_id), err(level = "info")))]
pub async fn add_milestone(
    project_id: i64,
    title: String,
    #[server(default)] due_on: String,
    #[server(default)] amount: String,
) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let input = crate::domain::projects::MilestoneInput::parse(&title, &due_on, &amount)?;
    state()?
        .db
        .run(move |c| -> Result<Result<(), AppError>, DbError> {
            let tx = c.transaction()?;
            if crate::server::db::projects::by_id(&tx, project_id)?.is_none() {
                return Ok(Err(AppError::NotFound));
            }
            crate::server::db::projects::add_milestone(&tx, project_id, &input)?;
            audit::record(
                &tx,
                Some(staff.id),
                "project.milestone_added",
                &format!("project:{project_id}"),
                &input.title,
            )?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .await??;
    leptos_axum::redirect(&format!("/admin/projects/{project_id}?saved=1"));
    Ok(())
}

/// Moves a milestone to planned, in progress or done.
#[server(prefix = "/api", endpoint = "admin/set_milestone_status")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(project_id, id), err(level = "info")))]
pub async fn set_milestone_status(project_id: i64, id: i64, status: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let status = crate::domain::projects::MilestoneStatus::parse(&status)
        .ok_or_else(|| AppError::validation("Choose planned, in progress or done."))?;
    let moved = state()?
        .db
        .run(move |c| -> Result<bool, DbError> {
            let tx = c.transaction()?;
            if !crate::server::db::projects::set_milestone_status(&tx, project_id, id, status)? {
                return Ok(false);
            }
            audit::record(
                &tx,
                Some(staff.id),
                "project.milestone_status",
                &format!("milestone:{id}"),
                status.as_str(),
            )?;
            tx.commit()?;
            Ok(true)
        })
        .await?;
    if !moved {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect(&format!("/admin/projects/{project_id}?saved=1"));
    Ok(())
}
