//! What staff and clients both see of a project's billing: a quote (items,
//! schedule, the client's answer), invoice lists and details, the activity.

use super::{in_page_language, tr, tr_with, Column, DataTable};
use crate::components::{day, when};
use crate::domain::billing::{
    percent_label, rupiah, Invoice, InvoiceStatus, LineItem, ProjectEvent, Quote, QuoteStatus,
};
use leptos::prelude::*;

pub fn invoice_badge(status: InvoiceStatus) -> impl IntoView {
    let class = match status {
        InvoiceStatus::Paid => "badge ok",
        InvoiceStatus::Overdue | InvoiceStatus::Void => "badge bad",
        InvoiceStatus::Draft | InvoiceStatus::Sent => "badge",
    };
    view! { <span class=class>{in_page_language(status.label())}</span> }
}

pub fn quote_badge(status: QuoteStatus) -> impl IntoView {
    let class = match status {
        QuoteStatus::Accepted => "badge ok",
        QuoteStatus::Declined | QuoteStatus::Withdrawn => "badge bad",
        QuoteStatus::Draft | QuoteStatus::Sent => "badge",
    };
    view! { <span class=class>{in_page_language(status.label())}</span> }
}

/// Line items with their total (and the PPN it includes, when there is some).
#[component]
pub fn LineItems(
    items: Vec<LineItem>,
    total: i64,
    #[prop(optional_no_strip)] tax: Option<(i64, i64)>,
) -> impl IntoView {
    const COLUMNS: &[Column] =
        &[Column::text("Item"), Column::num("Qty"), Column::num("Unit price"), Column::num("Amount")];
    view! {
        <DataTable columns=COLUMNS>
            {items.into_iter().map(|i| view! {
                <tr>
                    <td>{i.description}</td>
                    <td class="num">{i.quantity}</td>
                    <td class="num">{rupiah(i.unit_idr)}</td>
                    <td class="num">{rupiah(i.amount_idr)}</td>
                </tr>
            }).collect_view()}
            <tr class="total">
                <th scope="row" colspan="3">{tr("client-total")}</th>
                <td class="num"><strong>{rupiah(total)}</strong></td>
            </tr>
            {tax.map(|(rate, amount)| view! {
                <tr><td colspan="3" class="muted">{tr_with("client-includes-ppn", &[("rate", &percent_label(rate))])}</td><td class="num muted">{rupiah(amount)}</td></tr>
            })}
        </DataTable>
    }
}

/// A quote: its items, the payment schedule, and the client's answer.
#[component]
pub fn QuoteSummary(quote: Quote) -> impl IntoView {
    const SCHEDULE: &[Column] =
        &[Column::text("Milestone"), Column::text("Due"), Column::num("Share"), Column::num("Amount")];
    let decided = quote.decided_at.map(|at| {
        let key = if quote.status == QuoteStatus::Accepted { "client-quote-accepted" } else { "client-quote-declined" };
        let by = quote.decided_by.clone().unwrap_or_default();
        let ip = quote.decided_ip.clone().unwrap_or_default();
        let reason = (!quote.decline_reason.is_empty())
            .then(|| format!(" {}", tr_with("client-quote-reason", &[("reason", &quote.decline_reason)])));
        let said = tr_with(key, &[("by", &by), ("at", &when(at)), ("ip", &ip)]);
        view! { <p class="decided">{format!("{said}{}", reason.unwrap_or_default())}</p> }
    });
    view! {
        <div class="quote">
            <h3 class="h4">{quote.title.clone()} " " {quote_badge(quote.status)}</h3>
            {quote.valid_until.map(|d| view! { <p class="muted">{tr_with("client-valid-until", &[("date", &day(d))])}</p> })}
            <LineItems items=quote.items.clone() total=quote.total_idr/>
            <h4 class="h5">{tr("client-schedule")}</h4>
            <DataTable columns=SCHEDULE>
                {quote.schedule.iter().map(|s| view! {
                    <tr>
                        <td>{s.milestone.clone()}</td>
                        <td>{s.due_on.map(day).unwrap_or_default()}</td>
                        <td class="num">{percent_label(s.share_bp)}</td>
                        <td class="num">{rupiah(s.amount_idr)}</td>
                    </tr>
                }).collect_view()}
            </DataTable>
            {(!quote.notes_html.is_empty()).then(|| view! { <div class="prose-body" inner_html=quote.notes_html.clone().into_string()></div> })}
            {decided}
        </div>
    }
}

/// Invoices as a table; each number links to `href(invoice)`.
#[component]
pub fn InvoiceTable(invoices: Vec<Invoice>, href: fn(&Invoice) -> String) -> impl IntoView {
    const COLUMNS: &[Column] = &[
        Column::text("Invoice"),
        Column::text("For"),
        Column::text("Due"),
        Column::num("Amount"),
        Column::text("Status"),
    ];
    view! {
        <DataTable columns=COLUMNS>
            {invoices.into_iter().map(|i| view! {
                <tr>
                    <td><a href=href(&i)>{i.label()}</a></td>
                    <td>{i.title.clone()}</td>
                    <td>{i.due_on.map(day).unwrap_or_default()}</td>
                    <td class="num">{i.total_label()}</td>
                    <td>{invoice_badge(i.status)}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}

/// One invoice's details: dates, status, items and total.
#[component]
pub fn InvoiceDetail(invoice: Invoice) -> impl IntoView {
    let tax = (invoice.tax_idr > 0).then_some((invoice.tax_rate_bp, invoice.tax_idr));
    let paid = invoice.paid_at.map(|at| {
        let at = when(at);
        let said = match invoice.paid_via.as_deref() {
            Some("transfer") if !invoice.paid_note.is_empty() => {
                tr_with("client-paid-transfer-note", &[("note", &invoice.paid_note), ("at", &at)])
            }
            Some("transfer") => tr_with("client-paid-transfer", &[("at", &at)]),
            _ => tr_with("client-paid-online", &[("at", &at)]),
        };
        view! { <p class="notice success">{said}</p> }
    });
    view! {
        <dl class="facts">
            <dt>{in_page_language("Status")}</dt><dd>{invoice_badge(invoice.status)}</dd>
            <dt>{tr("client-client")}</dt><dd>{invoice.client_name.clone()}</dd>
            <dt>{tr("client-project")}</dt><dd>{invoice.project_name.clone()}</dd>
            {invoice.sent_at.map(|t| view! { <dt>{tr("client-issued")}</dt><dd>{day(t)}</dd> })}
            {invoice.due_on.map(|t| view! { <dt>{in_page_language("Due")}</dt><dd>{day(t)}</dd> })}
            {invoice.usd_cents.map(|c| view! {
                <dt>{tr("client-with-paypal")}</dt>
                <dd>{crate::domain::Money { minor: c, currency: crate::domain::Currency::Usd }.to_string()}</dd>
            })}
        </dl>
        {paid}
        <LineItems items=invoice.items.clone() total=invoice.total_idr tax=tax/>
    }
}

/// A project's activity, newest first.
#[component]
pub fn Timeline(events: Vec<ProjectEvent>) -> impl IntoView {
    if events.is_empty() {
        return view! { <p class="muted">{tr("client-nothing-happened")}</p> }.into_any();
    }
    view! {
        <ol class="timeline">
            {events.into_iter().map(|e| view! {
                <li data-kind=e.kind.clone()>
                    <time>{when(e.at)}</time>
                    " "
                    <span>{
                        // A line kept before its values were: as written, in English.
                        let what = match e.values.is_empty() {
                            true => e.summary.clone(),
                            false => super::event_words("project-event", &e.kind, &e.values),
                        };
                        match &e.actor {
                            Some(who) => format!("{what} — {who}"),
                            None => what,
                        }
                    }</span>
                </li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// A deliverable: its state, why it is held back (for clients), its versions
/// (each a download link: `{href_prefix}{version id}`) and its reviews.
#[component]
pub fn DeliverableCard(
    deliverable: crate::domain::work::Deliverable,
    href_prefix: &'static str,
    /// Whether the reader is held back by the lock (clients are, staff are not).
    #[prop(optional)]
    held: bool,
    /// Forms shown under it (a client's review, staff's new version).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    use crate::domain::work::{size_label, DeliverableStatus};
    let d = deliverable;
    let badge = match d.status {
        DeliverableStatus::Approved => "badge ok",
        DeliverableStatus::ChangesRequested => "badge bad",
        DeliverableStatus::InReview => "badge",
    };
    let locked = d.locked.clone();
    let can_download = !(held && locked.is_some());
    view! {
        <article class="card deliverable" id=format!("deliverable-{}", d.id)>
            <h3 class="h4">{d.title.clone()} " " <span class=badge>{in_page_language(d.status.label())}</span></h3>
            {d.milestone.clone().map(|m| view! { <p class="muted">{tr_with("client-milestone", &[("milestone", &m)])}</p> })}
            {locked.map(|reason| view! { <p class="notice info">{tr_with("client-locked", &[("reason", &in_page_language(&reason))])}</p> })}
            <ul class="versions">
                {d.versions.iter().map(|v| {
                    let label = format!("{} · {} · {}", tr_with("client-version", &[("n", &v.seq.to_string())]), v.original_name, size_label(v.bytes));
                    view! {
                        <li>
                            {if can_download {
                                view! { <a href=format!("{href_prefix}{}", v.id)>{label}</a> }.into_any()
                            } else {
                                view! { <span>{label}</span> }.into_any()
                            }}
                            {(!v.note.is_empty()).then(|| view! { <span class="muted">{format!(" — {}", v.note)}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(!d.reviews.is_empty()).then(|| view! {
                <ul class="reviews">
                    {d.reviews.iter().map(|r| view! {
                        <li>{format!("{} · {} · {}{}", when(r.at), tr_with("client-version-lower", &[("n", &r.version_seq.to_string())]),
                            tr_with("client-review-by", &[("status", &in_page_language(r.status.label())), ("by", &r.by)]),
                            if r.comment.is_empty() { String::new() } else { format!(": {}", r.comment) })}</li>
                    }).collect_view()}
                </ul>
            })}
            {children.map(|c| c())}
        </article>
    }
}

/// A page of a project's message thread, oldest first, with links to the older and
/// newer pages (of the project's page at `page`), and the form to write in it (a
/// plain multipart form posted to `action`, so attachments need no script).
#[component]
pub fn MessageThread(
    thread: crate::domain::work::Thread,
    page: String,
    attachment_prefix: &'static str,
    action: String,
) -> impl IntoView {
    use crate::domain::work::size_label;
    let (older, newer) = thread.links(&page);
    let messages = thread.messages;
    view! {
        {older.map(|href| view! { <p class="pager"><a href=href rel="prev">{tr("client-older-messages")}</a></p> })}
        {if messages.is_empty() {
            view! { <p class="muted">{tr("client-no-messages")}</p> }.into_any()
        } else {
            view! {
                <ol class="thread">
                    {messages.into_iter().map(|m| view! {
                        <li class=if m.from_staff { "message studio" } else { "message client" }>
                            <p class="meta">
                                <strong>{m.author.clone()}</strong>
                                {format!(" · {}", when(m.created_at))}
                                {m.unread.then(|| view! { " " <span class="badge">{tr("client-new")}</span> })}
                            </p>
                            <div class="prose-body" inner_html=m.body_html.clone().into_string()></div>
                            {m.attachments.iter().map(|a| view! {
                                <p class="attachment"><a href=format!("{attachment_prefix}{}", a.id)>{format!("{} ({})", a.original_name, size_label(a.bytes))}</a></p>
                            }).collect_view()}
                        </li>
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        {newer.map(|href| view! { <p class="pager"><a href=href rel="next">{tr("client-newer-messages")}</a></p> })}
        <form method="post" action=action enctype="multipart/form-data" class="stack narrow-form">
            <div class="field">
                <label for="message-body">{tr("contact-message")}</label>
                <textarea id="message-body" name="body" rows="4" required maxlength="20000"></textarea>
                <span class="hint">{tr("client-markdown")}</span>
            </div>
            <div class="field">
                <label for="message-file">{tr("client-attachment")}</label>
                <input id="message-file" name="file" type="file"/>
            </div>
            <button type="submit" class="primary">{tr("contact-send")}</button>
        </form>
    }
}
