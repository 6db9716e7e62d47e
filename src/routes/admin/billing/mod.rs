//! A client project's quotes, invoices and activity in `/admin/projects/{id}`, and `/admin/invoices`.

pub mod api;

use crate::components::billing::{DeliverableCard, InvoiceTable, MessageThread, QuoteSummary, Timeline};
use crate::components::{loaded, FormError, Notice};
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
            <label for=id("title")>"Quote title"</label>
            <input id=id("title") name="title" value=title required maxlength="150"/>
        </div>
        <div class="field">
            <label for=id("items")>"Line items"</label>
            <textarea id=id("items") name="items" rows="5" placeholder="Design system | 1 | 15.000.000">{items}</textarea>
            <span class="hint">"One per line: description | quantity | unit price (IDR)."</span>
        </div>
        <div class="field">
            <label for=id("schedule")>"Payment schedule (%)"</label>
            <input id=id("schedule") name="schedule" value=schedule placeholder="30 / 40 / 30"/>
            <span class="hint">{format!("One percentage per milestone, in this order, adding up to 100 (0 for none): {milestones_hint}.")}</span>
        </div>
        <div class="field">
            <label for=id("until")>"Valid until (optional)"</label>
            <input id=id("until") name="valid_until" type="date" value=until/>
        </div>
        <div class="field">
            <label for=id("notes")>"Notes (Markdown, optional)"</label>
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
                        <summary>"Edit this draft"</summary>
                        <ActionForm action=save attr:class="stack narrow-form">
                            <input type="hidden" name="project_id" value=project_id/>
                            <input type="hidden" name="id" value=id/>
                            <QuoteFields prefix=format!("q{id}") quote=Some(draft) project=p/>
                            <button type="submit" class="primary">"Save quote"</button>
                        </ActionForm>
                    </details>
                }
            });
            let act = match status {
                QuoteStatus::Draft => Some(("send", "Send to client")),
                QuoteStatus::Sent => Some(("withdraw", "Withdraw quote")),
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
            <h2 class="h3">"Quotes"</h2>
            <FormError action=quote_action/>
            {quote_views}
            <h3 class="h4">"New quote"</h3>
            <FormError action=save/>
            <ActionForm action=save attr:class="stack narrow-form">
                <input type="hidden" name="project_id" value=project_id/>
                <QuoteFields prefix="new-quote".to_owned() quote=None project=project.clone()/>
                <button type="submit" class="primary">"Create quote"</button>
            </ActionForm>
        </section>
        <section id="invoices">
            <h2 class="h3">"Invoices"</h2>
            <FormError action=invoice_action/>
            <div class="stack">{invoice_rows}</div>
        </section>
        <section id="deliverables">
            <h2 class="h3">"Deliverables"</h2>
            {notice("uploaded", "Uploaded: the client's people have been told.")}
            {failure("deliverable_error")}
            {deliverables.into_iter().map(|d| view! { <DeliverableCard deliverable=d href_prefix="/admin/deliverables/"/> }).collect_view()}
            <h3 class="h4">"Upload a deliverable"</h3>
            <form method="post" action=format!("/admin/projects/{project_id}/deliverables") enctype="multipart/form-data" class="stack narrow-form">
                <div class="field">
                    <label for="d-which">"Deliverable"</label>
                    <select id="d-which" name="deliverable_id">
                        <option value="new">"A new deliverable"</option>
                        {existing.into_iter().map(|(id, title)| view! { <option value=id>{format!("New version of “{title}”")}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="d-title">"Title (for a new one)"</label>
                    <input id="d-title" name="title" maxlength="150"/>
                </div>
                <div class="field">
                    <label for="d-milestone">"Milestone"</label>
                    <select id="d-milestone" name="milestone_id">
                        <option value="">"None"</option>
                        {milestones.into_iter().map(|(id, title)| view! { <option value=id>{title}</option> }).collect_view()}
                    </select>
                </div>
                <label class="choice"><input type="checkbox" name="release_when_paid" value="on"/>" Release when the milestone's invoice is paid"</label>
                <div class="field">
                    <label for="d-note">"Note (optional)"</label>
                    <input id="d-note" name="note" maxlength="2000"/>
                </div>
                <div class="field">
                    <label for="d-file">"File"</label>
                    <input id="d-file" name="file" type="file" required/>
                </div>
                <button type="submit" class="primary">"Upload deliverable"</button>
            </form>
        </section>
        <section id="messages">
            <h2 class="h3">"Messages"</h2>
            {notice("posted", "Message sent: the client's people have been told.")}
            {failure("message_error")}
            <MessageThread thread page=format!("/admin/projects/{project_id}") attachment_prefix="/admin/attachments/"
                action=format!("/admin/projects/{project_id}/messages")/>
        </section>
        <section id="activity">
            <h2 class="h3">"Activity"</h2>
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
                <label for=format!("due-{id}")>"Due"</label>
                <input id=format!("due-{id}") name="due_on" type="date" value=default_due required/>
                <label for=format!("usd-{id}")>"PayPal amount (USD, optional)"</label>
                <input id=format!("usd-{id}") name="usd" inputmode="decimal" placeholder="650.00"/>
                <button type="submit" class="primary small">"Send invoice"</button>
            </ActionForm>
        }
        .into_any(),
        InvoiceStatus::Sent | InvoiceStatus::Overdue => view! {
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="action" value="paid"/>
                <label for=format!("note-{id}")>"Transfer note"</label>
                <input id=format!("note-{id}") name="note" maxlength="300" placeholder="BCA transfer 2026-12-01, ref 1234"/>
                <button type="submit" class="small">"Mark paid by transfer"</button>
            </ActionForm>
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="action" value="void"/>
                <button type="submit" class="ghost small">"Void"</button>
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
                {i.due_on.map(|d| format!(" · due {}", iso_date(d)))}
                " " {crate::components::billing::invoice_badge(i.status)}
                " " <a href=format!("/admin/invoices/{id}/invoice.pdf")>"PDF"</a>
            </p>
            {controls}
        </article>
    }
}

#[component]
pub fn InvoicesPage() -> impl IntoView {
    view! {
        <Title text="Invoices"/>
        <h1>"Invoices"</h1>
        {loaded(api::admin_invoices(crate::components::query_param("before"), crate::components::query_param("after")), |page| if page.rows.is_empty() && page.newer.is_none() {
            view! { <p class="notice info">"No invoices yet: they are drafted when a client accepts a quote."</p> }.into_any()
        } else {
            view! {
                <InvoiceTable invoices=page.rows href=staff_invoice_href/>
                <crate::components::Pager newer=page.newer older=page.older/>
            }.into_any()
        })}
    }
}
