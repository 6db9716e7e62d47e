//! Server functions: clients and their people. Every one starts by requiring staff.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{
        db::{audit, DbError},
        state,
    },
};

/// Every client, with how many people it has.
#[server(prefix = "/api", endpoint = "admin/clients")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_clients(
    #[server(default)] q: String,
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<crate::domain::pagination::Page<crate::domain::clients::ClientRow>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    Ok(state()?.db.read(move |c| crate::server::db::clients::page_for_staff(c, &q, at)).await?)
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

/// Sets the language a client's invoices print in (`id` or `en`); audited.
#[server(prefix = "/api", endpoint = "admin/client_language")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(client_id), err(level = "info")))]
pub async fn client_language(client_id: i64, language: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let lang = crate::domain::Lang::from_tag(&language)
        .ok_or_else(|| AppError::validation("Choose Bahasa Indonesia or English."))?;
    let found = state()?
        .db
        .run(move |c| -> Result<bool, DbError> {
            let tx = c.transaction()?;
            if !crate::server::db::clients::set_lang(&tx, client_id, lang)? {
                return Ok(false);
            }
            audit::record(&tx, Some(staff.id), "client.language", &format!("client:{client_id}"), lang.label())?;
            tx.commit()?;
            Ok(true)
        })
        .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect(&format!("/admin/clients/{client_id}?language=1"));
    Ok(())
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
                        templates::client_added(&config, user.viewer.lang, address, &user.viewer.name, &client.name)
                    } else {
                        let token = users::create_token(&tx, user.viewer.id, users::TokenPurpose::ClientInvite)?;
                        templates::client_invite(
                            &config,
                            user.viewer.lang,
                            address,
                            &user.viewer.name,
                            &client.name,
                            &token,
                        )
                    }
                }
                None => {
                    // No usable password until its person chooses one through the link.
                    let id = users::insert(&tx, &invite.name, address, users::UNUSABLE_PASSWORD, Role::Client, false)?
                        .ok_or(rusqlite::Error::QueryReturnedNoRows)?;
                    clients::add_person(&tx, client_id, id)?;
                    let token = users::create_token(&tx, id, users::TokenPurpose::ClientInvite)?;
                    templates::client_invite(
                        &config,
                        crate::domain::Lang::default(),
                        address,
                        &invite.name,
                        &client.name,
                        &token,
                    )
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
