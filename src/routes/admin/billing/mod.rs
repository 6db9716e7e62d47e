//! A client project's quotes, invoices and activity in `/admin/projects/{id}`, and `/admin/invoices`.

pub mod api;

use crate::components::billing::{DeliverableCard, InvoiceTable, MessageThread, QuoteSummary, Timeline};
use crate::components::{loaded, FormError, Notice};
use crate::components::{tr, tr_with};
use crate::domain::billing::{percent_label, Billing, Invoice, InvoiceStatus, Quote, QuoteStatus};
use crate::domain::projects::Project;
use crate::domain::time::iso_date;
use api::{InvoiceAction, QuoteAction, SaveQuote};
use leptos::prelude::*;
use leptos_meta::Title;

fn staff_invoice_href(invoice: &Invoice) -> String {
    format!("/admin/projects/{}#invoice-{}", invoice.project_id, invoice.id)
}

/// The quote editor's fields; `prefix` keeps the ids of several editors apart.
#[component]
fn QuoteFields(prefix: String, quote: Option<Quote>, project: Project) -> impl IntoView {
    let id = |name: &str| format!("{prefix}-{name}");
    let milestones_hint = project
        .milestones
        .iter()
        .enumerate()
        .map(|(i, m)| format!("{}. {}", i + 1, m.title))
        .collect::<Vec<_>>()
        .join(", ");
    let schedule = quote
        .as_ref()
        .map(|q| {
            project
                .milestones
                .iter()
                .map(|m| {
                    let bp = q.schedule.iter().find(|s| s.milestone_id == m.id).map_or(0, |s| s.share_bp);
                    percent_label(bp).trim_end_matches(" %").to_owned()
                })
                .collect::<Vec<_>>()
                .join(" / ")
        })
        .unwrap_or_default();
    let (title, items, until, notes) = match &quote {
        Some(q) => {
            (q.title.clone(), q.items_text(), q.valid_until.map(iso_date).unwrap_or_default(), q.notes_md.clone())
        }
        None => Default::default(),
    };
    view! {
        <div class="field">
            <label for=id("title")>{tr("adm-quote-title")}</label>
            <input id=id("title") name="title" value=title required maxlength="150"/>
        </div>
        <div class="field">
            <label for=id("items")>{tr("adm-line-items")}</label>
            <textarea id=id("items") name="items" rows="5" placeholder=tr("adm-design-system-1-15-000")>{items}</textarea>
            <span class="hint">{tr("adm-one-per-line-description-quantity")}</span>
        </div>
        <div class="field">
            <label for=id("schedule")>{tr("adm-payment-schedule")}</label>
            <input id=id("schedule") name="schedule" value=schedule placeholder="30 / 40 / 30"/>
            <span class="hint">{tr_with("adm-schedule-hint", &[("milestones", &milestones_hint)])}</span>
        </div>
        <div class="field">
            <label for=id("until")>{tr("adm-valid-until-optional")}</label>
            <input id=id("until") name="valid_until" type="date" value=until/>
        </div>
        <div class="field">
            <label for=id("notes")>{tr("adm-notes-markdown-optional")}</label>
            <textarea id=id("notes") name="notes_md" rows="3">{notes}</textarea>
        </div>
    }
}

/// The quotes, invoices and activity sections of a project's page.
#[component]
pub fn ProjectBilling(project: Project, billing: Billing) -> impl IntoView {
    let save = ServerAction::<SaveQuote>::new();
    let quote_action = ServerAction::<QuoteAction>::new();
    let invoice_action = ServerAction::<InvoiceAction>::new();
    let project_id = project.id;
    let Billing { quotes, invoices, deliverables, thread, events } = billing;
    let query = leptos_router::hooks::use_query_map();
    let notice = move |key: &'static str, text: &'static str| {
        move || query.read().get(key).map(|_| view! { <Notice message=text/> })
    };
    let failure = move |key: &'static str| {
        move || {
            query
                .read()
                .get(key)
                .map(|code| view! { <Notice error=true message=crate::domain::work::refusal_message(&code, 200)/> })
        }
    };
    let existing: Vec<(i64, String)> = deliverables.iter().map(|d| (d.id, d.title.clone())).collect();
    let milestones: Vec<(i64, String)> = project.milestones.iter().map(|m| (m.id, m.title.clone())).collect();
    let quote_views = quotes
        .into_iter()
        .map(|q| {
            let (id, status, draft, p) = (q.id, q.status, q.clone(), project.clone());
            let editor = (status == QuoteStatus::Draft).then(move || {
                view! {
                    <details>
                        <summary>{tr("adm-edit-this-draft")}</summary>
                        <ActionForm action=save attr:class="stack narrow-form">
                            <input type="hidden" name="project_id" value=project_id/>
                            <input type="hidden" name="id" value=id/>
                            <QuoteFields prefix=format!("q{id}") quote=Some(draft) project=p/>
                            <button type="submit" class="primary">{tr("adm-save-quote")}</button>
                        </ActionForm>
                    </details>
                }
            });
            let act = match status {
                QuoteStatus::Draft => Some(("send", tr("adm-send-to-client"))),
                QuoteStatus::Sent => Some(("withdraw", tr("adm-withdraw-quote"))),
                _ => None,
            };
            view! {
                <article class="card">
                    <QuoteSummary quote=q.clone()/>
                    {act.map(|(action, label)| view! {
                        <ActionForm action=quote_action attr:class="inline-form">
                            <input type="hidden" name="project_id" value=project_id/>
                            <input type="hidden" name="id" value=id/>
                            <input type="hidden" name="action" value=action/>
                            <button type="submit" class="primary small">{label}</button>
                        </ActionForm>
                    })}
                    {editor}
                </article>
            }
        })
        .collect_view();
    let invoice_rows = invoices.into_iter().map(|i| invoice_row(i, invoice_action)).collect_view();
    view! {
        <section id="quotes">
            <h2 class="h3">{tr("adm-quotes")}</h2>
            <FormError action=quote_action/>
            {quote_views}
            <h3 class="h4">{tr("adm-new-quote")}</h3>
            <FormError action=save/>
            <ActionForm action=save attr:class="stack narrow-form">
                <input type="hidden" name="project_id" value=project_id/>
                <QuoteFields prefix="new-quote".to_owned() quote=None project=project.clone()/>
                <button type="submit" class="primary">{tr("adm-create-quote")}</button>
            </ActionForm>
        </section>
        <section id="invoices">
            <h2 class="h3">{tr("adm-invoices")}</h2>
            <FormError action=invoice_action/>
            <div class="stack">{invoice_rows}</div>
        </section>
        <section id="deliverables">
            <h2 class="h3">{tr("adm-deliverables")}</h2>
            {notice("uploaded", tr("adm-uploaded-the-client-s-people"))}
            {failure("deliverable_error")}
            {deliverables.into_iter().map(|d| view! { <DeliverableCard deliverable=d href_prefix="/admin/deliverables/"/> }).collect_view()}
            <h3 class="h4">{tr("adm-upload-a-deliverable")}</h3>
            <form method="post" action=format!("/admin/projects/{project_id}/deliverables") enctype="multipart/form-data" class="stack narrow-form">
                <div class="field">
                    <label for="d-which">{tr("adm-deliverable")}</label>
                    <select id="d-which" name="deliverable_id">
                        <option value="new">{tr("adm-a-new-deliverable")}</option>
                        {existing.into_iter().map(|(id, title)| view! { <option value=id>{tr_with("adm-new-version-of", &[("title", &title)])}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="d-title">{tr("adm-title-for-a-new-one")}</label>
                    <input id="d-title" name="title" maxlength="150"/>
                </div>
                <div class="field">
                    <label for="d-milestone">{tr("adm-milestone")}</label>
                    <select id="d-milestone" name="milestone_id">
                        <option value="">{tr("adm-none")}</option>
                        {milestones.into_iter().map(|(id, title)| view! { <option value=id>{title}</option> }).collect_view()}
                    </select>
                </div>
                <label class="choice"><input type="checkbox" name="release_when_paid" value="on"/>" " {tr("adm-release-when-the-milestone-s")}</label>
                <div class="field">
                    <label for="d-note">{tr("adm-note-optional")}</label>
                    <input id="d-note" name="note" maxlength="2000"/>
                </div>
                <div class="field">
                    <label for="d-file">{tr("adm-file")}</label>
                    <input id="d-file" name="file" type="file" required/>
                </div>
                <button type="submit" class="primary">{tr("adm-upload-deliverable")}</button>
            </form>
        </section>
        <section id="messages">
            <h2 class="h3">{tr("adm-messages")}</h2>
            {notice("posted", tr("adm-message-sent-the-client-s"))}
            {failure("message_error")}
            <MessageThread thread page=format!("/admin/projects/{project_id}") attachment_prefix="/admin/attachments/"
                action=format!("/admin/projects/{project_id}/messages")/>
        </section>
        <section id="activity">
            <h2 class="h3">{tr("adm-activity")}</h2>
            <Timeline events=events/>
        </section>
    }
}

fn invoice_row(i: Invoice, action: ServerAction<InvoiceAction>) -> impl IntoView {
    let id = i.id;
    let default_due = i.due_on.map(iso_date).unwrap_or_default();
    let controls = match i.status {
        InvoiceStatus::Draft => view! {
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="action" value="send"/>
                <label for=format!("due-{id}")>{tr("adm-due")}</label>
                <input id=format!("due-{id}") name="due_on" type="date" value=default_due required/>
                <label for=format!("usd-{id}")>{tr("adm-paypal-amount-usd-optional")}</label>
                <input id=format!("usd-{id}") name="usd" inputmode="decimal" placeholder="650.00"/>
                <button type="submit" class="primary small">{tr("adm-send-invoice")}</button>
            </ActionForm>
        }
        .into_any(),
        InvoiceStatus::Sent | InvoiceStatus::Overdue => view! {
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="action" value="paid"/>
                <label for=format!("note-{id}")>{tr("adm-transfer-note")}</label>
                <input id=format!("note-{id}") name="note" maxlength="300" placeholder=tr("adm-bca-transfer-2026-12-01")/>
                <button type="submit" class="small">{tr("adm-mark-paid-by-transfer")}</button>
            </ActionForm>
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="action" value="void"/>
                <button type="submit" class="ghost small">{tr("adm-void")}</button>
            </ActionForm>
        }
        .into_any(),
        InvoiceStatus::Paid | InvoiceStatus::Void => ().into_any(),
    };
    view! {
        <article class="card invoice-row" id=format!("invoice-{id}")>
            <p>
                <strong>{i.label()}</strong>
                {format!(" · {} · {}", i.title, i.total_label())}
                {i.due_on.map(|d| format!(" · {}", tr_with("adm-due-on", &[("day", &iso_date(d))])))}
                " " {crate::components::billing::invoice_badge(i.status)}
                " " <a href=format!("/admin/invoices/{id}/invoice.pdf")>{tr("adm-pdf")}</a>
            </p>
            {controls}
        </article>
    }
}

#[component]
pub fn InvoicesPage() -> impl IntoView {
    view! {
        <Title text=tr("adm-invoices")/>
        <h1>{tr("adm-invoices")}</h1>
        {loaded(api::admin_invoices(crate::components::query_param("before"), crate::components::query_param("after")), |page| if page.rows.is_empty() && page.newer.is_none() {
            view! { <p class="notice info">{tr("adm-no-invoices-yet-they-are")}</p> }.into_any()
        } else {
            view! {
                <InvoiceTable invoices=page.rows href=staff_invoice_href/>
                <crate::components::Pager newer=page.newer older=page.older/>
            }.into_any()
        })}
    }
}
