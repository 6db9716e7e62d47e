//! Delivery of what was paid for, run as jobs (`deliver_order`, `revoke_order`).
//! Every handler is idempotent: running one twice delivers once, mails once.

pub mod files;
pub mod licenses;

use super::db::{catalog, deliveries, orders, users, DbError};
use super::github::{GithubError, Invite};
use super::jobs::{self, JobError};
use super::mail::{self, templates};
use super::payments::{job, AccessCheck, OrderJob};
use super::AppState;
use crate::domain::license::LicenseKey;
use crate::domain::{
    delivery::{DeliveryConfig, DeliveryKind},
    orders::OrderStatus,
};
use rusqlite::TransactionBehavior;

struct Context {
    order: orders::OrderRow,
    kind: DeliveryKind,
    config: DeliveryConfig,
    buyer_email: String,
    buyer_name: String,
}

async fn load(state: &AppState, order_id: i64) -> Result<Context, JobError> {
    let found = state
        .db
        .run(move |c| -> Result<_, DbError> {
            let Some(order) = orders::by_id(c, order_id)? else { return Ok(None) };
            let Some(product) = catalog::by_id(c, order.product_id)? else { return Ok(None) };
            let (_, config) = catalog::delivery_config(c, product.id)?;
            let (buyer_email, buyer_name) = users::mail_address(c, order.user_id)?;
            Ok(Some(Context { order, kind: product.delivery_kind, config, buyer_email, buyer_name }))
        })
        .await
        .map_err(anyhow::Error::new)?;
    found.ok_or_else(|| JobError::Permanent(anyhow::anyhow!("order {order_id} or its product no longer exists")))
}

/// The one way a delivery is recorded, in one transaction: the delivery row as
/// delivered with `detail`, what `issue` writes beside it (a key, a link, a grant),
/// and the buyer's mail `issue` answers, queued once per order. `issue` is told
/// whether the order was delivered before; when it answers `None` nothing is written.
async fn record_delivered<F>(
    state: &AppState,
    order_id: i64,
    kind: DeliveryKind,
    detail: String,
    issue: F,
) -> Result<(), DbError>
where
    F: FnOnce(&rusqlite::Transaction<'_>, bool) -> Result<Option<mail::Email>, DbError> + Send + 'static,
{
    state
        .db
        .run(move |c| -> Result<(), DbError> {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let delivered_before = deliveries::status(&tx, order_id)?.is_some_and(|(s, _)| s == "delivered");
            deliveries::upsert(&tx, order_id, kind.as_str(), "delivered", &detail)?;
            // Dropping the transaction without committing undoes the row above.
            let Some(message) = issue(&tx, delivered_before)? else { return Ok(()) };
            jobs::enqueue(&tx, jobs::kind::SEND_EMAIL, &message, Some(&format!("delivered:{order_id}")))?;
            tx.commit()?;
            Ok(())
        })
        .await
}

pub async fn deliver(state: &AppState, job: OrderJob) -> Result<(), JobError> {
    let cx = load(state, job.order_id).await?;
    if cx.order.status != OrderStatus::Paid {
        tracing::info!(order = %cx.order.public_id, status = %cx.order.status, "not paid (any more): nothing to deliver");
        return Ok(());
    }
    let config = state.config.clone();
    let (public_id, kind) = (cx.order.public_id.clone(), cx.kind);
    match cx.kind {
        DeliveryKind::WebAccess => {
            record_delivered(state, cx.order.id, kind, "Active in your dashboard".into(), move |_, _| {
                Ok(Some(templates::access_ready(&config, &cx.buyer_email, &cx.buyer_name, &cx.order.product_name)))
            })
            .await?;
        }
        DeliveryKind::LicenseKey => {
            let mut random = [0u8; 19];
            getrandom::fill(&mut random).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
            let candidate = LicenseKey::from_random(&random);
            let limit = cx.config.activation_limit.unwrap_or(1);
            let expires = cx.config.validity_days.map(|d| super::db::now() + i64::from(d) * 86_400);
            record_delivered(state, cx.order.id, kind, "License key issued".into(), move |tx, _| {
                let key = deliveries::ensure_license(tx, cx.order.id, candidate.as_str(), limit, expires)?;
                let (email, name, product) = (&cx.buyer_email, &cx.buyer_name, &cx.order.product_name);
                Ok(Some(templates::license_key_ready(&config, email, name, product, &key)))
            })
            .await?;
        }
        DeliveryKind::EmailFile => {
            let max = cx.config.max_downloads.unwrap_or(5);
            record_delivered(state, cx.order.id, kind, "Download link sent by email".into(), move |tx, before| {
                if before {
                    return Ok(None); // one link per delivery: fresh ones come from the dashboard
                }
                let token = deliveries::create_download_link(tx, cx.order.id, max)?;
                let (email, name, product) = (&cx.buyer_email, &cx.buyer_name, &cx.order.product_name);
                Ok(Some(templates::download_ready(&config, email, name, product, &token, max)))
            })
            .await?;
        }
        DeliveryKind::GithubInvite => {
            let repo = cx.config.repo.clone().ok_or_else(|| {
                JobError::Permanent(anyhow::anyhow!("product of order {} has no repository set", cx.order.public_id))
            })?;
            let user_id = cx.order.user_id;
            let username =
                state.db.run(move |c| users::github_username(c, user_id)).await.map_err(anyhow::Error::new)?;
            let Some(username) = username else {
                let order_id = cx.order.id;
                let _ = state
                    .db
                    .run(move |c| {
                        deliveries::upsert(
                            c,
                            order_id,
                            "github_invite",
                            "failed",
                            "Add your GitHub username in your profile",
                        )
                    })
                    .await;
                return Err(JobError::Permanent(anyhow::anyhow!(
                    "the buyer of order {} has no GitHub username; retry after they add one",
                    cx.order.public_id
                )));
            };
            let invite = match state.github.invite(&repo, &username).await {
                Ok(invite) => invite,
                Err(e @ (GithubError::Transient(_) | GithubError::RateLimited { .. })) => return Err(job_error(e)),
                Err(GithubError::Permanent(e)) => {
                    let (order_id, note) = (cx.order.id, e.clone());
                    let _ = state
                        .db
                        .run(move |c| {
                            deliveries::upsert(
                                c,
                                order_id,
                                "github_invite",
                                "failed",
                                "The studio is looking into your invitation",
                            )?;
                            deliveries::set_last_error(c, order_id, &note)
                        })
                        .await;
                    return Err(JobError::Permanent(anyhow::anyhow!(e)));
                }
            };
            let (github_id, detail) = match &invite {
                Invite::Sent { user_id, .. } => {
                    (*user_id, format!("Invitation sent to @{username} for {repo}: accept it on GitHub"))
                }
                Invite::AlreadyCollaborator { user_id } => (*user_id, format!("@{username} has access to {repo}")),
            };
            record_delivered(state, cx.order.id, kind, detail.clone(), move |tx, _| {
                users::set_github_user_id(tx, cx.order.user_id, github_id)?;
                let grant = deliveries::GithubGrant { repo: repo.clone(), login: username.clone(), user_id: github_id };
                deliveries::record_github_grant(tx, cx.order.id, &grant)?;
                if matches!(invite, Invite::Sent { .. }) {
                    let check = AccessCheck { order_id: cx.order.id, check: 1 };
                    let key = format!("github-check:{}:1", cx.order.id);
                    jobs::enqueue_at(tx, job::CHECK_GITHUB_ACCESS, &check, Some(&key), super::db::now() + 3600)?;
                }
                let (email, name, product) = (&cx.buyer_email, &cx.buyer_name, &cx.order.product_name);
                Ok(Some(templates::github_invited(&config, email, name, product, &detail)))
            })
            .await?;
        }
        DeliveryKind::Manual => {
            state
                .db
                .run(move |c| -> Result<(), DbError> {
                    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
                    if deliveries::status(&tx, cx.order.id)?.is_none() {
                        deliveries::upsert(&tx, cx.order.id, "manual", "pending", "Being prepared by the studio")?;
                    }
                    let message = templates::manual_task(&config, &cx.order, &cx.buyer_email);
                    jobs::enqueue(
                        &tx,
                        jobs::kind::SEND_EMAIL,
                        &message,
                        Some(&format!("manual-task:{}", cx.order.id)),
                    )?;
                    tx.commit()?;
                    Ok(())
                })
                .await?;
        }
    }
    tracing::info!(order = %public_id, %kind, "delivered");
    Ok(())
}

pub async fn revoke(state: &AppState, job: OrderJob) -> Result<(), JobError> {
    let cx = load(state, job.order_id).await?;
    match cx.kind {
        // Download links check the order's status on every use: a refund ends them.
        DeliveryKind::WebAccess | DeliveryKind::Manual | DeliveryKind::LicenseKey | DeliveryKind::EmailFile => {
            let order_id = cx.order.id;
            state
                .db
                .run(move |c| -> Result<(), DbError> {
                    let tx = c.transaction()?;
                    deliveries::revoke_license(&tx, order_id)?;
                    deliveries::mark_revoked(&tx, order_id)?;
                    tx.commit()?;
                    Ok(())
                })
                .await?;
            tracing::info!(order = %cx.order.public_id, kind = %cx.kind, "access revoked");
            Ok(())
        }
        DeliveryKind::GithubInvite => {
            // Exactly the account that was invited, not whatever the profile says now;
            // and not while another paid order gives that account the same repository.
            let order_id = cx.order.id;
            let (grant, held_elsewhere) = state
                .db
                .run(move |c| -> Result<_, DbError> {
                    let grant = deliveries::github_grant(c, order_id)?;
                    let held = match &grant {
                        Some(grant) => deliveries::github_grant_held_elsewhere(c, order_id, grant)?,
                        None => false,
                    };
                    Ok((grant, held))
                })
                .await
                .map_err(anyhow::Error::new)?;
            match grant {
                Some(grant) if held_elsewhere => {
                    tracing::info!(order = %cx.order.public_id, login = %grant.login, repo = %grant.repo,
                        "another paid order grants the same repository: access kept");
                }
                Some(grant) => {
                    state.github.revoke(&grant.repo, grant.user_id, &grant.login).await.map_err(job_error)?
                }
                None => {}
            }
            state.db.run(move |c| deliveries::mark_revoked(c, order_id)).await?;
            tracing::info!(order = %cx.order.public_id, "GitHub access revoked");
            Ok(())
        }
    }
}

/// How a GitHub failure ends a job's attempt: retried (at the rate limit's reset
/// when GitHub named one), or dead for staff to look at.
fn job_error(err: GithubError) -> JobError {
    match err {
        GithubError::RateLimited { until } => JobError::Later { at: until, error: anyhow::Error::new(err) },
        GithubError::Transient(_) => JobError::Transient(anyhow::Error::new(err)),
        GithubError::Permanent(_) => JobError::Permanent(anyhow::Error::new(err)),
    }
}

/// Notices when a GitHub invitation is accepted, so the dashboard says so. Checks
/// hourly for the invitation's lifetime (about 7 days), then stops.
pub async fn check_github_access(state: &AppState, check: AccessCheck) -> Result<(), JobError> {
    let cx = load(state, check.order_id).await?;
    let order_id = cx.order.id;
    let delivered = state.db.run(move |c| deliveries::status(c, order_id)).await.map_err(anyhow::Error::new)?;
    if cx.order.status != OrderStatus::Paid || delivered.is_none_or(|(s, _)| s != "delivered") {
        return Ok(());
    }
    let Some(deliveries::GithubGrant { repo, login: username, .. }) =
        state.db.run(move |c| deliveries::github_grant(c, order_id)).await.map_err(anyhow::Error::new)?
    else {
        return Ok(());
    };
    let accepted = state.github.has_access(&repo, &username).await.map_err(job_error)?;
    state
        .db
        .run(move |c| -> Result<(), DbError> {
            if accepted {
                deliveries::upsert(
                    c,
                    order_id,
                    "github_invite",
                    "delivered",
                    &format!("@{username} has access to {repo}"),
                )?;
            } else if check.check < 7 * 24 {
                let next = AccessCheck { order_id, check: check.check + 1 };
                let key = format!("github-check:{order_id}:{}", next.check);
                jobs::enqueue_at(c, job::CHECK_GITHUB_ACCESS, &next, Some(&key), super::db::now() + 3600)?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}

/// Staff mark a manual delivery done; the member is mailed their message.
pub fn mark_manual_delivered(
    conn: &mut rusqlite::Connection,
    config: &super::config::Config,
    public_id: &str,
    message: &str,
) -> Result<bool, DbError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(order) = orders::by_public_id(&tx, public_id)? else { return Ok(false) };
    match deliveries::status(&tx, order.id)? {
        Some((status, _)) if status == "pending" => {}
        _ => return Ok(false),
    }
    deliveries::upsert(&tx, order.id, "manual", "delivered", message)?;
    let (email, name) = users::mail_address(&tx, order.user_id)?;
    let mail = templates::manual_delivered(config, &email, &name, &order.product_name, message, &order.public_id);
    mail::enqueue(&tx, &mail)?;
    tx.commit()?;
    Ok(true)
}
