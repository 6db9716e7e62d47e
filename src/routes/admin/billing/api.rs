//! Server functions of a client project's quotes and invoices, for staff.

use crate::domain::billing::{Billing, Invoice};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::billing::{QuoteInput, QuoteStatus},
    domain::Role,
    server::{
        db::{audit, billing, projects, DbError},
        markdown, state,
    },
};

/// A project's quotes (drafts too), invoices, deliverables, messages (now read by the caller) and activity.
#[server(prefix = "/api", endpoint = "admin/project_billing")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(project_id), err(level = "info")))]
pub async fn project_billing(
    project_id: i64,
    /// The thread's page: the messages before this one (none: the newest).
    #[server(default)]
    before: Option<i64>,
) -> Result<Billing, AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    crate::server::studio::work::open_page(&state()?.db, project_id, staff.id, None, before)
        .await?
        .ok_or(AppError::NotFound)
}

/// Every invoice, newest first.
#[server(prefix = "/api", endpoint = "admin/invoices")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_invoices(
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<crate::domain::pagination::Page<Invoice>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    Ok(state()?.db.read(move |c| billing::invoices_page(c, at)).await?)
}

/// Creates (no `id`) or rewrites a draft quote: line items and the payment
/// schedule over the project's milestones; notes rendered and sanitised here.
#[server(prefix = "/api", endpoint = "admin/save_quote")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(project_id, id = ?id), err(level = "info")))]
pub async fn save_quote(
    project_id: i64,
    #[server(default)] id: Option<i64>,
    title: String,
    #[server(default)] items: String,
    #[server(default)] schedule: String,
    #[server(default)] valid_until: String,
    #[server(default)] notes_md: String,
) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let project = state.db.read(move |c| projects::by_id(c, project_id)).await?.ok_or(AppError::NotFound)?;
    let input = QuoteInput::parse(&title, &notes_md, &items, &valid_until, &schedule, project.milestones.len())?;
    let md = input.notes_md.clone();
    let html = tokio::task::spawn_blocking(move || markdown::render(&md)).await.map_err(|_| AppError::Internal)?;
    state
        .db
        .run(move |c| -> Result<Result<(), AppError>, DbError> {
            let tx = c.transaction()?;
            // The milestones as they are now, in this transaction: the shares follow their order.
            let Some(project) = projects::by_id(&tx, project_id)? else { return Ok(Err(AppError::NotFound)) };
            if project.milestones.len() != input.shares.len() {
                return Ok(Err(AppError::validation("The project's milestones changed: check the schedule again.")));
            }
            let Some(saved) = billing::save_quote(&tx, project_id, id, &input, &html, &project.milestones, staff.id)?
            else {
                return Ok(Err(AppError::validation("Only a draft quote can be changed.")));
            };
            let action = if id.is_some() { "quote.updated" } else { "quote.created" };
            audit::record(&tx, Some(staff.id), action, &format!("quote:{saved}"), &input.title)?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .await??;
    leptos_axum::redirect(&format!("/admin/projects/{project_id}?saved=1#quotes"));
    Ok(())
}

/// Sends a draft quote to the client's people, or withdraws a sent one.
#[server(prefix = "/api", endpoint = "admin/quote_action")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(project_id, id, action = ?action), err(level = "info")))]
pub async fn quote_action(project_id: i64, id: i64, action: String) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let (from, to, refusal) = match action.as_str() {
        "send" => (QuoteStatus::Draft, QuoteStatus::Sent, "Only a draft quote can be sent."),
        "withdraw" => {
            (QuoteStatus::Sent, QuoteStatus::Withdrawn, "Only a quote waiting for the client can be withdrawn.")
        }
        _ => return Err(AppError::validation("Choose Send or Withdraw.")),
    };
    let config = state.config.clone();
    state
        .db
        .run(move |c| -> Result<Result<(), AppError>, DbError> {
            let tx = c.transaction()?;
            let Some(quote) = billing::quote(&tx, id)?.filter(|q| q.project_id == project_id) else {
                return Ok(Err(AppError::NotFound));
            };
            if !billing::move_quote(&tx, id, &[from], to)? {
                return Ok(Err(AppError::validation(refusal)));
            }
            let project = projects::by_id(&tx, project_id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
            if to == QuoteStatus::Sent {
                crate::server::studio::billing::mail_quote(&tx, &config, &project, &quote)?;
            }
            let (kind, summary) = match to {
                QuoteStatus::Sent => ("quote_sent", format!("Quote \"{}\" sent", quote.title)),
                _ => ("quote_withdrawn", format!("Quote \"{}\" withdrawn", quote.title)),
            };
            billing::record_event(
                &tx,
                project_id,
                Some(staff.id),
                (kind, &summary),
                &[("title", quote.title.clone())],
            )?;
            audit::record(
                &tx,
                Some(staff.id),
                &format!("quote.{}", to.as_str()),
                &format!("quote:{id}"),
                &quote.title,
            )?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .await??;
    leptos_axum::redirect(&format!("/admin/projects/{project_id}?saved=1#quotes"));
    Ok(())
}

/// Sends a draft invoice (its number, the mail with the PDF, the reminders), voids
/// an open one, or marks one paid by bank transfer with a note.
#[server(prefix = "/api", endpoint = "admin/invoice_action")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id, action = ?action), err(level = "info")))]
pub async fn invoice_action(
    id: i64,
    action: String,
    #[server(default)] due_on: String,
    #[server(default)] note: String,
    #[server(default)] usd: String,
) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let state = state()?;
    let config = state.config.clone();
    let project_id = match action.as_str() {
        "send" => {
            let due = crate::domain::time::parse_date(due_on.trim())
                .ok_or_else(|| AppError::validation("Enter the due date, like 2026-12-31."))?;
            let usd_cents = match usd.trim() {
                "" => None,
                raw => Some(crate::domain::Money::parse(raw, crate::domain::Currency::Usd)?.minor).filter(|c| *c > 0),
            };
            let sent = state
                .db
                .run(move |c| crate::server::studio::billing::send(c, &config, staff.id, id, (due, usd_cents)))
                .await?;
            sent?.project_id
        }
        "void" | "paid" => {
            let note = crate::domain::contact::one_line(&note);
            if action == "paid" && note.is_empty() {
                return Err(AppError::validation(
                    "Add a note: the transfer's date and reference, so the payment can be traced.",
                ));
            }
            if note.chars().count() > 300 {
                return Err(AppError::validation("Keep the note to 300 characters."));
            }
            let paid = action == "paid";
            state
                .db
                .run(move |c| -> Result<Result<i64, AppError>, DbError> {
                    let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                    let Some(invoice) = billing::invoice(&tx, id)? else { return Ok(Err(AppError::NotFound)) };
                    let done = if paid {
                        let payment = crate::server::studio::billing::Payment {
                            via: "transfer",
                            note: &note,
                            order: None,
                            actor: Some(staff.id),
                            at: crate::server::db::now(),
                        };
                        crate::server::studio::billing::record_paid(&tx, &config, id, payment)?
                    } else if billing::void(&tx, id)? {
                        let summary = format!(
                            "Invoice {} voided{}",
                            invoice.label(),
                            if note.is_empty() { String::new() } else { format!(": {note}") }
                        );
                        let mut values = vec![("number", invoice.label())];
                        if !note.is_empty() {
                            values.extend([("why", "note".to_owned()), ("note", note.clone())]);
                        }
                        let event = ("invoice_void", summary.as_str());
                        billing::record_event(&tx, invoice.project_id, Some(staff.id), event, &values)?;
                        true
                    } else {
                        false
                    };
                    if !done {
                        return Ok(Err(AppError::validation(
                            "Only a sent or overdue invoice can be marked paid or voided.",
                        )));
                    }
                    let verb = if paid { "invoice.paid_by_transfer" } else { "invoice.voided" };
                    audit::record(&tx, Some(staff.id), verb, &format!("invoice:{id}"), &note)?;
                    tx.commit()?;
                    Ok(Ok(invoice.project_id))
                })
                .await??
        }
        _ => return Err(AppError::validation("Choose Send, Mark paid or Void.")),
    };
    leptos_axum::redirect(&format!("/admin/projects/{project_id}?saved=1#invoices"));
    Ok(())
}
