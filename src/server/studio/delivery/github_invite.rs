//! Private GitHub repositories: the invitation, the hourly check that it was
//! accepted, and the revocation of exactly the invited account.

use super::AccessCheck;
use super::Deps;
use super::{load, record_delivered, Context};
use crate::domain::orders::OrderStatus;
use crate::server::db::{self, deliveries, users, DbError};
use crate::server::jobs::{self, JobError};
use crate::server::mail::templates::{self, GithubAccess};
use crate::server::studio::github::{GithubError, Invite};

/// Invites the buyer's GitHub account to the repository (or finds it already has
/// access), records exactly which account, and checks hourly until it is accepted.
pub(super) async fn deliver(deps: &Deps<'_>, cx: Context) -> Result<(), JobError> {
    let config = deps.config.clone();
    let kind = cx.kind;
    let repo = cx.config.repo.clone().ok_or_else(|| {
        JobError::Permanent(anyhow::anyhow!("product of order {} has no repository set", cx.order.public_id))
    })?;
    let user_id = cx.order.user_id;
    let username = deps.db.run(move |c| users::github_username(c, user_id)).await.map_err(anyhow::Error::new)?;
    let Some(username) = username else {
        let order_id = cx.order.id;
        let _ = deps
            .db
            .run(move |c| {
                deliveries::upsert(c, order_id, "github_invite", "failed", "Add your GitHub username in your profile")
            })
            .await;
        return Err(JobError::Permanent(anyhow::anyhow!(
            "the buyer of order {} has no GitHub username; retry after they add one",
            cx.order.public_id
        )));
    };
    let invite = match deps.github.invite(&repo, &username).await {
        Ok(invite) => invite,
        Err(e @ (GithubError::Transient(_) | GithubError::RateLimited { .. })) => return Err(job_error(e)),
        Err(GithubError::Permanent(e)) => {
            let (order_id, note) = (cx.order.id, e.clone());
            let _ = deps
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
    let (github_id, detail, why) = match &invite {
        Invite::Sent { user_id, .. } => {
            (*user_id, format!("Invitation sent to @{username} for {repo}: accept it on GitHub"), "invited")
        }
        Invite::AlreadyCollaborator { user_id } => (*user_id, format!("@{username} has access to {repo}"), "access"),
    };
    let note = note(why, &username, &repo);
    record_delivered(deps, cx.order.id, kind, (detail.clone(), note), move |tx, _| {
        users::set_github_user_id(tx, cx.order.user_id, github_id)?;
        let grant = deliveries::GithubGrant { repo: repo.clone(), login: username.clone(), user_id: github_id };
        deliveries::record_github_grant(tx, cx.order.id, &grant)?;
        if matches!(invite, Invite::Sent { .. }) {
            schedule_check(tx, AccessCheck { order_id: cx.order.id, check: 1, round: 0 })?;
        }
        let (email, name, product) = (&cx.buyer_email, &cx.buyer_name, &cx.order.product_name);
        let (login, repo) = (username.as_str(), repo.as_str());
        let access = match invite {
            Invite::Sent { .. } => GithubAccess::Invited { login, repo },
            Invite::AlreadyCollaborator { .. } => GithubAccess::Granted { login, repo },
        };
        Ok(Some(templates::github_invited(&config, cx.buyer_lang, email, name, product, access)))
    })
    .await?;
    Ok(())
}

/// Removes exactly the account that was invited (not whatever the profile says
/// now), unless another paid order gives that account the same repository.
pub(super) async fn revoke(deps: &Deps<'_>, cx: Context) -> Result<(), JobError> {
    // Exactly the account that was invited, not whatever the profile says now;
    // and not while another paid order gives that account the same repository.
    let order_id = cx.order.id;
    let (grant, held_elsewhere) = deps
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
        Some(grant) => deps.github.revoke(&grant.repo, grant.user_id, &grant.login).await.map_err(job_error)?,
        None => {}
    }
    deps.db.run(move |c| deliveries::mark_revoked(c, order_id)).await?;
    tracing::info!(order = %cx.order.public_id, "GitHub access revoked");
    Ok(())
}

/// Queues the hourly check `check` of an invitation's round.
fn schedule_check(conn: &rusqlite::Connection, check: AccessCheck) -> Result<(), DbError> {
    let key = match check.round {
        0 => format!("github-check:{}:{}", check.order_id, check.check),
        round => format!("github-check:{}:r{round}:{}", check.order_id, check.check),
    };
    jobs::enqueue_at(conn, jobs::JobKind::CheckGithubAccess, &check, Some(&key), db::now() + 3600)?;
    Ok(())
}

/// Invites the account the order invited before (its recorded login) again:
/// a new invitation with its own `round` of hourly checks, and the buyer mailed
/// once for it. `false` when the order has no invitation on record.
pub(super) async fn invite_again(deps: &Deps<'_>, cx: &Context, round: u32) -> Result<bool, JobError> {
    let order_id = cx.order.id;
    let grant = deps.db.run(move |c| deliveries::github_grant(c, order_id)).await.map_err(anyhow::Error::new)?;
    let Some(grant) = grant else { return Ok(false) };
    let invite = deps.github.invite(&grant.repo, &grant.login).await.map_err(job_error)?;
    let detail = match invite {
        Invite::Sent { .. } => format!(
            "A new invitation was sent to @{} for {}: accept it on GitHub within about 7 days",
            grant.login, grant.repo
        ),
        Invite::AlreadyCollaborator { .. } => format!("@{} has access to {}", grant.login, grant.repo),
    };
    let (login, repo) = (grant.login.as_str(), grant.repo.as_str());
    let access = match invite {
        Invite::Sent { .. } => GithubAccess::InvitedAgain { login, repo },
        Invite::AlreadyCollaborator { .. } => GithubAccess::Granted { login, repo },
    };
    let message = templates::github_invited(
        deps.config,
        cx.buyer_lang,
        &cx.buyer_email,
        &cx.buyer_name,
        &cx.order.product_name,
        access,
    );
    let sent = matches!(invite, Invite::Sent { .. });
    let note = note(if sent { "invited_again" } else { "access" }, &grant.login, &grant.repo);
    deps.db
        .run(move |c| -> Result<(), DbError> {
            let tx = c.transaction()?;
            deliveries::upsert(&tx, order_id, "github_invite", "delivered", &detail)?;
            deliveries::set_note(&tx, order_id, &note)?;
            if sent {
                schedule_check(&tx, AccessCheck { order_id, check: 1, round })?;
                jobs::enqueue(
                    &tx,
                    jobs::JobKind::SendEmail,
                    &message,
                    Some(&format!("github-reinvited:{order_id}:{round}")),
                )?;
            }
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok(true)
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

/// How long a GitHub invitation can be accepted (about 7 days), in hourly checks.
const INVITATION_HOURS: u32 = 7 * 24;

/// Notices when a GitHub invitation is accepted, so the dashboard says so. Checks
/// hourly for the invitation's lifetime (about 7 days); when the first invitation
/// expires unanswered, invites once more (and mails the buyer); after that, stops
/// and tells the buyer to write to the studio.
pub async fn check_github_access(deps: &Deps<'_>, check: AccessCheck) -> Result<(), JobError> {
    let cx = load(deps, check.order_id).await?;
    let order_id = cx.order.id;
    let delivered = deps.db.run(move |c| deliveries::status(c, order_id)).await.map_err(anyhow::Error::new)?;
    if cx.order.status != OrderStatus::Paid || delivered.is_none_or(|(s, _)| s != "delivered") {
        return Ok(());
    }
    let Some(deliveries::GithubGrant { repo, login: username, .. }) =
        deps.db.run(move |c| deliveries::github_grant(c, order_id)).await.map_err(anyhow::Error::new)?
    else {
        return Ok(());
    };
    let accepted = deps.github.has_access(&repo, &username).await.map_err(job_error)?;
    let expired = !accepted && check.check >= INVITATION_HOURS;
    if expired && check.round == 0 {
        // The first invitation expired unanswered: one new invitation, automatically.
        invite_again(deps, &cx, 1).await?;
        tracing::info!(order = %cx.order.public_id, login = %username, "GitHub invitation expired: invited again");
        return Ok(());
    }
    deps.db
        .run(move |c| -> Result<(), DbError> {
            if accepted {
                deliveries::upsert(
                    c,
                    order_id,
                    "github_invite",
                    "delivered",
                    &format!("@{username} has access to {repo}"),
                )?;
                deliveries::set_note(c, order_id, &note("access", &username, &repo))?;
            } else if expired {
                let detail = format!(
                    "The invitation to {repo} for @{username} expired: write to the studio and we will send another"
                );
                deliveries::upsert(c, order_id, "github_invite", "delivered", &detail)?;
                deliveries::set_note(c, order_id, &note("expired", &username, &repo))?;
            } else {
                schedule_check(c, AccessCheck { order_id, check: check.check + 1, round: check.round })?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}

/// What the delivery says of the invitation (`why`: invited, invited_again, access,
/// expired), as values for the buyer's language (`deliveries::set_note`).
fn note(why: &str, login: &str, repo: &str) -> Vec<(&'static str, String)> {
    vec![("why", why.to_owned()), ("login", login.to_owned()), ("repo", repo.to_owned())]
}
