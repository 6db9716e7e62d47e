//! Server functions for accounts: register, verify, sign in and out, password
//! reset. Every answer is the same whether or not an email is registered; the
//! mail sent says what actually happened.

use crate::domain::Viewer;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::{account::safe_next, account::validate_new_password, account::NewAccount, Email, Lang, Role},
    server::{
        auth::password,
        db::{users, users::TokenPurpose, DbError},
        mail::{self, templates},
        state, AppState,
    },
};

/// One of the sensitive forms, limited to 5 attempts a minute per client IP.
#[cfg(feature = "ssr")]
async fn limit(state: &AppState, action: &'static str) -> Result<(), AppError> {
    crate::server::auth::limit_caller(&state.auth_limiter, &state.config.trusted_proxies, action).await
}

#[cfg(feature = "ssr")]
async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract().await.map_err(|e| {
        tracing::error!(error = %e, "session layer missing");
        AppError::Internal
    })
}

/// The signed-in person, or `None`.
#[server(prefix = "/api", endpoint = "auth/viewer")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn get_viewer() -> Result<Option<Viewer>, AppError> {
    let state = state()?;
    guard::load_viewer(&state, &session().await?).await
}

#[server(prefix = "/api", endpoint = "auth/register")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn register(name: String, email: String, password: String, password_confirm: String) -> Result<(), AppError> {
    let state = state()?;
    limit(&state, "register").await?;
    let account = NewAccount::parse(&name, &email, &password, &password_confirm)?;
    // Hash even for a known address, so both answers take the same time.
    let hash = password::hash(account.password.clone()).await?;
    // The account speaks the language of the version of the site it was made on.
    let (lang, site) = guard::form_language().await?;
    let config = state.config.clone();
    state
        .db
        .run(move |c| -> Result<(), DbError> {
            let tx = c.transaction()?;
            let email = account.email.as_str();
            match users::insert(&tx, &account.name, email, &hash, Role::Member, false)? {
                Some(id) => {
                    let token = users::create_token(&tx, id, TokenPurpose::VerifyEmail)?;
                    users::set_lang(&tx, id, lang)?;
                    mail::enqueue(&tx, &templates::verify_email(&config, lang, email, &account.name, &token))?;
                }
                None => {
                    let (name, lang) = users::find_by_email(&tx, email)?
                        .map(|u| (u.viewer.name, u.viewer.lang))
                        .unwrap_or((account.name, Lang::default()));
                    mail::enqueue(&tx, &templates::already_registered(&config, lang, email, &name))?;
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await?;
    leptos_axum::redirect(&site.address(lang, "/verify-email?sent=1"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "auth/verify_email")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    let state = state()?;
    let verified = state
        .db
        .run(move |c| -> Result<bool, DbError> {
            let tx = c.transaction()?;
            let Some(user_id) = users::consume_token(&tx, token.trim(), TokenPurpose::VerifyEmail)? else {
                return Ok(false);
            };
            users::mark_verified(&tx, user_id)?;
            tx.commit()?;
            Ok(true)
        })
        .await?;
    if verified {
        Ok(())
    } else {
        Err(AppError::validation(
            "This confirmation link has expired or was already used. Enter your email below to get a new one.",
        ))
    }
}

/// Opens a link mailed to a new address: the account moves to it (unless the
/// address has taken an account of its own meanwhile); the old address is told.
#[server(prefix = "/api", endpoint = "auth/confirm_email_change")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn confirm_email_change(token: String) -> Result<String, AppError> {
    use crate::server::db::audit;
    use crate::server::mail::{self, templates};
    let state = state()?;
    let config = state.config.clone();
    let moved = state
        .db
        .run(move |c| -> Result<Result<String, &'static str>, DbError> {
            let tx = c.transaction()?;
            let Some((user_id, new_email)) = users::consume_email_change(&tx, token.trim())? else {
                return Ok(Err("This link has expired or was already used. Ask for a new one from your profile."));
            };
            if users::find_by_email(&tx, &new_email)?.is_some() {
                tx.commit()?;
                return Ok(Err("That address has an account of its own now, so your account was not moved."));
            }
            let (old_email, name, lang) = users::recipient(&tx, user_id)?;
            users::set_email(&tx, user_id, &new_email)?;
            audit::record(&tx, Some(user_id), "Email changed", &new_email, &format!("was {old_email}"))?;
            mail::enqueue(&tx, &templates::email_changed(&config, lang, &old_email, &name, &new_email))?;
            tx.commit()?;
            Ok(Ok(new_email))
        })
        .await?;
    moved.map_err(AppError::validation)
}

#[server(prefix = "/api", endpoint = "auth/resend_verification")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn resend_verification(email: String) -> Result<(), AppError> {
    let state = state()?;
    limit(&state, "register").await?;
    let email = Email::parse(&email)?;
    let config = state.config.clone();
    state
        .db
        .run(move |c| -> Result<(), DbError> {
            let tx = c.transaction()?;
            if let Some(user) = users::find_by_email(&tx, email.as_str())? {
                if !user.viewer.verified {
                    let token = users::create_token(&tx, user.viewer.id, TokenPurpose::VerifyEmail)?;
                    mail::enqueue(
                        &tx,
                        &templates::verify_email(
                            &config,
                            user.viewer.lang,
                            &user.viewer.email,
                            &user.viewer.name,
                            &token,
                        ),
                    )?;
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await?;
    leptos_axum::redirect("/verify-email?sent=1");
    Ok(())
}

#[server(prefix = "/api", endpoint = "auth/login")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn login(
    email: String,
    password: String,
    #[server(default)] remember: Option<String>,
    #[server(default)] next: Option<String>,
) -> Result<(), AppError> {
    let state = state()?;
    limit(&state, "login").await?;
    let wrong = || AppError::validation("That email and password do not match an account.");
    let email = Email::parse(&email).map_err(|_| wrong())?;
    // Many addresses guessing one account's password are throttled too; the same
    // answer for any address, registered or not.
    if !state.account_limiter.check_key(email.as_str().to_lowercase()) {
        tracing::warn!("sign-in attempts for one account rate limited");
        return Err(AppError::RateLimited);
    }
    let user = state.db.read(move |c| users::find_by_email(c, email.as_str())).await?;
    // Unknown emails are checked against a dummy hash: same answer, similar time.
    let ok = password::verify(password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let Some(user) = user.filter(|_| ok) else { return Err(wrong()) };
    // Said only to someone who knows the password.
    if user.disabled {
        return Err(AppError::validation(
            "This account is disabled. Write to the studio through the contact page if you think this is a mistake.",
        ));
    }

    let session = session().await?;
    crate::server::auth::sign_in(&session, &user.viewer, remember.is_some()).await?;
    crate::server::auth::mark_reauthenticated(&session).await?;
    tracing::info!(user_id = user.viewer.id, "signed in");

    // An unconfirmed account reaches nothing but the page that sends a new link.
    if !user.viewer.verified {
        leptos_axum::redirect("/verify-email");
        return Ok(());
    }
    let home = match user.viewer.role {
        Role::Staff => "/admin",
        Role::Client => "/client",
        Role::Member => "/dashboard",
    };
    leptos_axum::redirect(&safe_next(next.as_deref()).unwrap_or_else(|| home.to_owned()));
    Ok(())
}

#[server(prefix = "/api", endpoint = "auth/logout")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn logout() -> Result<(), AppError> {
    let session = session().await?;
    session.flush().await.map_err(|e| anyhow::anyhow!("ending the session: {e}"))?;
    leptos_axum::redirect("/login?signed_out=1");
    Ok(())
}

#[server(prefix = "/api", endpoint = "auth/forgot_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let state = state()?;
    limit(&state, "reset").await?;
    let email = Email::parse(&email)?;
    let config = state.config.clone();
    state
        .db
        .run(move |c| -> Result<(), DbError> {
            let tx = c.transaction()?;
            match users::find_by_email(&tx, email.as_str())? {
                Some(user) => {
                    let token = users::create_token(&tx, user.viewer.id, TokenPurpose::ResetPassword)?;
                    mail::enqueue(
                        &tx,
                        &templates::reset_password(
                            &config,
                            user.viewer.lang,
                            &user.viewer.email,
                            &user.viewer.name,
                            &token,
                        ),
                    )?;
                }
                None => {
                    mail::enqueue(&tx, &templates::reset_unknown_address(&config, Lang::default(), email.as_str()))?
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await?;
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

#[server(prefix = "/api", endpoint = "auth/reset_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn reset_password(token: String, password: String, password_confirm: String) -> Result<(), AppError> {
    let state = state()?;
    limit(&state, "reset").await?;
    validate_new_password(&password, &password_confirm)?;
    let hash = password::hash(password).await?;
    let reset = state
        .db
        .run(move |c| -> Result<bool, DbError> {
            let tx = c.transaction()?;
            // A reset link, or a client's invitation (same form: choose a password).
            let user_id = match users::consume_token(&tx, token.trim(), TokenPurpose::ResetPassword)? {
                Some(id) => id,
                None => match users::consume_token(&tx, token.trim(), TokenPurpose::ClientInvite)? {
                    Some(id) => id,
                    None => return Ok(false),
                },
            };
            users::set_password(&tx, user_id, &hash)?;
            // Proving the mailbox also confirms the address.
            users::mark_verified(&tx, user_id)?;
            // Whoever had the account before this mail: no way back in, by session or Google.
            let ended = users::end_sessions(&tx, user_id)?;
            crate::server::db::identities::unlink_all(&tx, user_id)?;
            tx.commit()?;
            tracing::info!(user_id, ended_sessions = ended, "password reset");
            Ok(true)
        })
        .await?;
    if !reset {
        return Err(AppError::validation(
            "This reset link has expired or was already used. Ask for a new one from the \"Forgot your password?\" page.",
        ));
    }
    leptos_axum::redirect("/login?reset=1");
    Ok(())
}

/// Whether Sign in with Google is offered here.
#[server(prefix = "/api", endpoint = "auth/google_enabled")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn google_enabled() -> Result<bool, AppError> {
    Ok(state()?.google.is_some())
}
