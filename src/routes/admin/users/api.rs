//! Server functions: accounts. Every one starts by requiring staff.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{
        db::{audit, orders, DbError},
        state,
    },
};

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
fn keeps_staff(
    c: &rusqlite::Connection,
    id: i64,
    loses_staff: bool,
) -> Result<Result<crate::server::db::users::UserRow, AppError>, DbError> {
    let Some(user) = crate::server::db::users::find_by_id(c, id)? else { return Ok(Err(AppError::NotFound)) };
    if loses_staff && user.viewer.role == Role::Staff && crate::server::db::users::other_active_staff(c, id)? == 0 {
        return Ok(Err(AppError::validation(
            "The studio needs at least one staff member who can sign in: make someone else staff first.",
        )));
    }
    Ok(Ok(user))
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
                let (email, name, lang) = users::recipient(&tx, id)?;
                let token = users::create_token(&tx, id, users::TokenPurpose::ClientInvite)?;
                let mail =
                    crate::server::mail::templates::access_granted(&config, lang, &email, &name, new_role, &token);
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
                    templates::verify_email(&config, v.lang, &v.email, &v.name, &users::create_token(&tx, id, purpose)?)
                }
                TokenPurpose::ResetPassword => templates::reset_password(
                    &config,
                    v.lang,
                    &v.email,
                    &v.name,
                    &users::create_token(&tx, id, purpose)?,
                ),
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

/// Opens an account for someone (member, client person or staff): it has no password
/// until its person chooses one through the 72-hour link mailed to them. Audited.
#[server(prefix = "/api", endpoint = "admin/create_user")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn create_user(name: String, email: String, role: String) -> Result<(), AppError> {
    use crate::server::db::users;
    use crate::server::mail::{self, templates};
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let person = crate::domain::clients::Invite::parse(&name, &email)?;
    let role = Role::parse(&role).ok_or_else(|| AppError::validation("Choose member, client or staff."))?;
    let state = state()?;
    let config = state.config.clone();
    let id = state
        .db
        .run(move |c| -> Result<Result<i64, AppError>, DbError> {
            let tx = c.transaction()?;
            let address = person.email.as_str();
            if let Some(existing) = users::find_by_email(&tx, address)? {
                return Ok(Err(AppError::validation(format!(
                    "{address} has an account already (#{}): open it from the list to change its role.",
                    existing.viewer.id
                ))));
            }
            let Some(id) = users::insert(&tx, &person.name, address, users::UNUSABLE_PASSWORD, role, false)? else {
                return Ok(Err(AppError::validation(format!("{address} has an account already."))));
            };
            let token = users::create_token(&tx, id, users::TokenPurpose::ClientInvite)?;
            mail::enqueue(
                &tx,
                &templates::account_opened(
                    &config,
                    crate::domain::Lang::default(),
                    address,
                    &person.name,
                    role,
                    &token,
                ),
            )?;
            audit::record(
                &tx,
                Some(staff.id),
                "user.created",
                &format!("user:{id}"),
                &format!("{address} as {}", role.as_str()),
            )?;
            tx.commit()?;
            Ok(Ok(id))
        })
        .await??;
    leptos_axum::redirect(&format!("/admin/users/{id}?done=created"));
    Ok(())
}

/// Deletes someone's account as self-deletion does: what their purchases give access
/// to is withdrawn, what identifies them is removed (their orders stay, for the
/// books), every session ends and a mail says so. Never the last staff member who
/// can sign in, nor the staff member asking. Audited.
#[server(prefix = "/api", endpoint = "admin/delete_user")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn delete_user(id: i64, #[server(default)] understood: String) -> Result<(), AppError> {
    use crate::server::db::users;
    use crate::server::mail::{self, templates};
    let staff = guard::require_role(Some(Role::Staff)).await?;
    if id == staff.id {
        return Err(AppError::validation("You cannot delete your own account here: ask another staff member."));
    }
    if understood != "on" {
        return Err(AppError::validation("Tick the box to confirm that this account is to be deleted."));
    }
    let state = state()?;
    let config = state.config.clone();
    let actor = staff.id;
    state
        .db
        .run(move |c| -> Result<Result<(), AppError>, DbError> {
            let tx = c.transaction()?;
            let user = match keeps_staff(&tx, id, true)? {
                Ok(user) => user,
                Err(refused) => return Ok(Err(refused)),
            };
            if user.viewer.email.ends_with("@deleted.invalid") {
                return Ok(Err(AppError::validation("This account was deleted already.")));
            }
            let paid = orders::paid_ids_of(&tx, id)?;
            for order_id in &paid {
                crate::server::studio::delivery::enqueue_revoke(&tx, *order_id)?;
            }
            let email = users::anonymise(&tx, id)?;
            if user.viewer.role != Role::Member {
                users::set_role(&tx, id, Role::Member)?;
            }
            audit::record(
                &tx,
                Some(actor),
                "user.deleted",
                &format!("user:{id}"),
                &format!("{} orders withdrawn", paid.len()),
            )?;
            mail::enqueue(
                &tx,
                &templates::account_deleted(&config, user.viewer.lang, &email, &user.viewer.name, true),
            )?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .await??;
    leptos_axum::redirect(&format!("/admin/users/{id}?done=deleted"));
    Ok(())
}
