//! Server functions of the client portal area; each checks the caller's role
//! and answers only about the caller's own client.

use crate::domain::clients::Client;
use crate::domain::projects::Project;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An invoice page: the invoice and the ways to pay it online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoicePage {
    pub invoice: crate::domain::billing::Invoice,
    pub gateways: Vec<crate::domain::orders::Gateway>,
}

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{db::clients, state},
};

/// The caller's client and its people.
#[server(prefix = "/api", endpoint = "client/overview")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn client_overview() -> Result<Option<Client>, AppError> {
    let me = guard::require_role(Some(Role::Client)).await?;
    Ok(state()?
        .db
        .read(move |c| -> Result<Option<Client>, crate::server::db::DbError> {
            match clients::client_of(c, me.id)? {
                Some(id) => clients::by_id(c, id),
                None => Ok(None),
            }
        })
        .await?)
}

/// The caller's client's projects, newest first.
#[server(prefix = "/api", endpoint = "client/projects")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn client_projects() -> Result<Vec<Project>, AppError> {
    let me = guard::require_role(Some(Role::Client)).await?;
    Ok(state()?
        .db
        .read(move |c| -> Result<Vec<Project>, crate::server::db::DbError> {
            match clients::client_of(c, me.id)? {
                Some(id) => {
                    let mut projects = crate::server::db::projects::list(c, id)?;
                    crate::server::db::work::fill_unread(c, me.id, &mut projects)?;
                    Ok(projects)
                }
                None => Ok(Vec::new()),
            }
        })
        .await?)
}

/// One of the caller's client's projects; any other is "not found", whatever its id.
#[server(prefix = "/api", endpoint = "client/project")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn client_project(id: i64) -> Result<Project, AppError> {
    let me = guard::require_role(Some(Role::Client)).await?;
    state()?
        .db
        .read(move |c| -> Result<Option<Project>, crate::server::db::DbError> {
            match clients::client_of(c, me.id)? {
                Some(client) => crate::server::db::projects::for_client(c, client, id),
                None => Ok(None),
            }
        })
        .await?
        .ok_or(AppError::NotFound)
}

#[cfg(feature = "ssr")]
async fn my_client(me: &crate::domain::Viewer) -> Result<i64, AppError> {
    let id = me.id;
    state()?.db.read(move |c| clients::client_of(c, id)).await?.ok_or(AppError::NotFound)
}

/// A project's quotes and invoices (sent ones), deliverables, messages (now read by the caller) and activity,
/// if the project is the caller's client's.
#[server(prefix = "/api", endpoint = "client/billing")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(project_id), err(level = "info")))]
pub async fn client_billing(
    project_id: i64,
    /// The thread's page: the messages before this one (none: the newest).
    #[server(default)]
    before: Option<i64>,
) -> Result<crate::domain::billing::Billing, AppError> {
    let me = guard::require_role(Some(Role::Client)).await?;
    let client = my_client(&me).await?;
    crate::server::studio::work::open_page(&state()?.db, project_id, me.id, Some(client), before)
        .await?
        .ok_or(AppError::NotFound)
}

/// Accepts or declines a quote sent to the caller's client: who, when and from
/// which address is kept; accepting creates the milestones' draft invoices.
#[server(prefix = "/api", endpoint = "client/decide_quote")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id, decision = ?decision), err(level = "info")))]
pub async fn decide_quote(id: i64, decision: String, #[server(default)] reason: String) -> Result<(), AppError> {
    let me = guard::require_role(Some(Role::Client)).await?;
    let accept = match decision.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return Err(AppError::validation("Choose Accept or Decline.")),
    };
    let reason = crate::domain::contact::one_line(&reason);
    if reason.chars().count() > 500 {
        return Err(AppError::validation("Keep the reason to 500 characters."));
    }
    let state = state()?;
    let client = my_client(&me).await?;
    let ip = crate::server::auth::current_client_ip(&state.config.trusted_proxies).await.to_string();
    let config = state.config.clone();
    let decision = crate::server::studio::billing::Decision { quote_id: id, accept, ip, reason };
    let viewer = me.clone();
    let quote =
        state.db.run(move |c| crate::server::studio::billing::decide(c, &config, &viewer, client, &decision)).await??;
    leptos_axum::redirect(&format!("/client/projects/{}?answered=1#quotes", quote.project_id));
    Ok(())
}

/// The caller's client's invoices (sent ones), newest first.
#[server(prefix = "/api", endpoint = "client/invoices")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn client_invoices(
    #[server(default)] before: String,
    #[server(default)] after: String,
    #[server(default)] open: bool,
) -> Result<crate::domain::pagination::Page<crate::domain::billing::Invoice>, AppError> {
    let me = guard::require_role(Some(Role::Client)).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    let client = my_client(&me).await?;
    Ok(state()?.db.read(move |c| crate::server::db::billing::invoices_page_for_client(c, client, open, at)).await?)
}

/// One of the caller's client's invoices, and the ways it can be paid online.
#[server(prefix = "/api", endpoint = "client/invoice")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id), err(level = "info")))]
pub async fn client_invoice(id: i64) -> Result<InvoicePage, AppError> {
    use crate::domain::orders::Gateway;
    let me = guard::require_role(Some(Role::Client)).await?;
    let state = state()?;
    let client = my_client(&me).await?;
    let invoice = state
        .db
        .read(move |c| crate::server::db::billing::invoice_for_client(c, client, id))
        .await?
        .ok_or(AppError::NotFound)?;
    let gateways = state
        .offered_gateways()
        .await?
        .into_iter()
        .filter(|g| match g {
            Gateway::Midtrans | Gateway::Sandbox => true,
            Gateway::Paypal => invoice.usd_cents.is_some(),
            Gateway::Ipaymu => false,
        })
        .collect();
    Ok(InvoicePage { invoice, gateways })
}

/// Pays an open invoice of the caller's client online: to the provider's page.
#[server(prefix = "/api", endpoint = "client/pay_invoice")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id, gateway = ?gateway), err(level = "info")))]
pub async fn pay_invoice(id: i64, gateway: String) -> Result<(), AppError> {
    let me = guard::require_role(Some(Role::Client)).await?;
    let state = state()?;
    let target =
        crate::server::studio::checkout::start_invoice_payment(&state.checkout().await?, &me, id, &gateway).await?;
    leptos_axum::redirect(&target);
    Ok(())
}

/// Approves the latest version of a deliverable of the caller's client, or asks
/// for changes (saying which); the studio is told.
#[server(prefix = "/api", endpoint = "client/review_deliverable")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id, decision = ?decision), err(level = "info")))]
pub async fn review_deliverable(id: i64, decision: String, #[server(default)] comment: String) -> Result<(), AppError> {
    let me = guard::require_role(Some(Role::Client)).await?;
    let review = crate::domain::work::Review::parse(&decision, &comment)?;
    let state = state()?;
    let client = my_client(&me).await?;
    let (config, viewer) = (state.config.clone(), me.clone());
    let reviewed =
        state.db.run(move |c| crate::server::studio::work::review(c, &config, &viewer, client, id, &review)).await?;
    let project = match reviewed {
        Ok(project) => project,
        Err(crate::server::studio::work::Refusal::Upload(crate::domain::product_files::UploadRefusal::NoFile)) => {
            return Err(AppError::validation("There is no file to review yet."))
        }
        Err(_) => return Err(AppError::NotFound),
    };
    leptos_axum::redirect(&format!("/client/projects/{project}?reviewed=1#deliverables"));
    Ok(())
}
