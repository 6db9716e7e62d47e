//! `/client`: an agency client's projects, deliverables, invoices and messages.

pub mod api;

use crate::components::billing::{DeliverableCard, InvoiceDetail, InvoiceTable, MessageThread, QuoteSummary, Timeline};
use crate::components::{
    in_page_language, loaded, query_param, route_id, tr, tr_with, AreaLayout, FormError, NavLink, Notice,
};
use crate::domain::billing::{Invoice, QuoteStatus};
use crate::domain::Area;
use leptos::prelude::*;
use leptos_meta::Title;

const NAV: &[NavLink] = &[NavLink::new("/client", "Projects"), NavLink::new("/client/invoices", "Invoices")];

fn invoice_href(invoice: &Invoice) -> String {
    format!("/client/invoices/{}", invoice.id)
}

#[component]
pub fn ClientLayout(page: fn() -> AnyView) -> impl IntoView {
    view! { <AreaLayout area=Area::Client title="Client portal" links=NAV page/> }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <Title text=tr("label-client-portal")/>
        {loaded(api::client_overview(), move |c| match c {
            Some(c) => view! {
                <p class="eyebrow">{c.name.clone()}</p>
                <h1>{tr("client-your-projects")}</h1>
                <p class="lead">{tr("client-projects-lead")}</p>
                {loaded(api::client_projects(), |list| if list.is_empty() {
                    view! { <p class="muted">{tr("client-no-projects")}</p> }.into_any()
                } else {
                    view! { <ul class="project-list">{list.into_iter().map(|p| view! {
                        <li>
                            <a href=format!("/client/projects/{}", p.id)>{p.name.clone()}</a> " · " {in_page_language(p.status.label())}
                            {(p.unread > 0).then(|| view! { " " <span class="badge">{if p.unread == 1 {
                                tr("client-one-new-message").to_owned()
                            } else {
                                tr_with("client-new-messages", &[("n", &p.unread.to_string())])
                            }}</span> })}
                        </li>
                    }).collect_view()}</ul> }.into_any()
                })}
                {loaded(api::client_invoices(String::new(), String::new(), true), |page| {
                    let open: Vec<Invoice> = page.rows;
                    (!open.is_empty()).then(|| view! {
                        <section class="notice info" aria-labelledby="to-pay">
                            <h2 id="to-pay" class="h3">{tr("client-to-pay")}</h2>
                            <ul>{open.into_iter().map(|i| view! {
                                <li>
                                    <a href=invoice_href(&i)>{i.label()}</a>
                                    {format!(" · {} · {}{}", i.title, i.total_label(),
                                        i.due_on.map(|d| format!(" · {}", tr_with("client-due", &[("date", &crate::components::day(d))]))).unwrap_or_default())}
                                    {(i.status == crate::domain::billing::InvoiceStatus::Overdue).then(|| view! { " " <span class="badge bad">{in_page_language("Overdue")}</span> })}
                                </li>
                            }).collect_view()}</ul>
                        </section>
                    })
                })}
                <h2 class="h3">{tr_with("client-people-at", &[("client", &c.name)])}</h2>
                <ul>{c.people.iter().map(|p| view! { <li>{format!("{} <{}>", p.name, p.email)}</li> }).collect_view()}</ul>
            }.into_any(),
            None => view! {
                <h1>{tr("client-your-projects")}</h1>
                <p class="lead">{tr("client-not-linked")}</p>
            }.into_any(),
        })}
    }
}

#[component]
pub fn ProjectPage() -> impl IntoView {
    let id = route_id();
    let decide = ServerAction::<api::DecideQuote>::new();
    let review = ServerAction::<api::ReviewDeliverable>::new();
    let query = leptos_router::hooks::use_query_map();
    view! {
        {move || query.read().get("answered").map(|_| view! { <Notice message=tr("client-answered")/> })}
        {move || query.read().get("reviewed").map(|_| view! { <Notice message=tr("client-reviewed")/> })}
        {move || query.read().get("posted").map(|_| view! { <Notice message=tr("client-posted")/> })}
        {move || query.read().get("message_error").map(|code| view! {
            <Notice error=true message=in_page_language(&crate::domain::work::refusal_message(&code, 25))/>
        })}
        {loaded(api::client_project(id), move |p| { let p_id = p.id; view! {
            <Title text=p.name.clone()/>
            <p class="eyebrow">{format!("{} · {}", p.client_name, in_page_language(p.status.label()))}</p>
            <h1>{p.name.clone()}</h1>
            <div class="prose-body" inner_html=p.description_html.clone().into_string()></div>
            <h2 class="h3">{tr("client-milestones")}</h2>
            {if p.milestones.is_empty() {
                view! { <p class="muted">{tr("client-no-milestones")}</p> }.into_any()
            } else {
                view! {
                    <ol class="milestones">{p.milestones.iter().map(|m| view! {
                        <li>
                            <strong>{m.title.clone()}</strong>
                            {format!(" · {} · {}", in_page_language(m.status.label()), m.amount_label())}
                            {m.due_on.map(|d| format!(" · {}", tr_with("client-due", &[("date", &crate::components::day(d))])))}
                        </li>
                    }).collect_view()}</ol>
                }.into_any()
            }}
            {loaded(api::client_billing(id, query_param("before").parse().ok()), move |b| {
                view! {
                    <section id="quotes">
                        <h2 class="h3">{tr("client-quotes")}</h2>
                        <FormError action=decide/>
                        {if b.quotes.is_empty() {
                            view! { <p class="muted">{tr("client-no-quotes")}</p> }.into_any()
                        } else {
                            b.quotes.into_iter().map(|q| {
                                let (id, open) = (q.id, q.open);
                                let expired = q.status == QuoteStatus::Sent && !open;
                                view! {
                                    <article class="card">
                                        <QuoteSummary quote=q/>
                                        {expired.then(|| view! { <p class="muted">{tr("client-quote-expired")}</p> })}
                                        {open.then(|| view! {
                                            <div class="actions">
                                                <ActionForm action=decide attr:class="inline-form">
                                                    <input type="hidden" name="id" value=id/>
                                                    <input type="hidden" name="decision" value="accept"/>
                                                    <button type="submit" class="primary">{tr("client-accept-quote")}</button>
                                                </ActionForm>
                                                <ActionForm action=decide attr:class="inline-form">
                                                    <input type="hidden" name="id" value=id/>
                                                    <input type="hidden" name="decision" value="decline"/>
                                                    <label for=format!("reason-{id}")>{tr("client-reason")}</label>
                                                    <input id=format!("reason-{id}") name="reason" maxlength="500"/>
                                                    <button type="submit" class="ghost">{tr("client-decline-quote")}</button>
                                                </ActionForm>
                                            </div>
                                        })}
                                    </article>
                                }
                            }).collect_view().into_any()
                        }}
                    </section>
                    <section id="invoices">
                        <h2 class="h3">{tr("label-invoices")}</h2>
                        {if b.invoices.is_empty() {
                            view! { <p class="muted">{tr("client-no-invoices")}</p> }.into_any()
                        } else {
                            view! { <InvoiceTable invoices=b.invoices.clone() href=invoice_href/> }.into_any()
                        }}
                    </section>
                    <section id="deliverables">
                        <h2 class="h3">{tr("client-deliverables")}</h2>
                        <FormError action=review/>
                        {if b.deliverables.is_empty() {
                            view! { <p class="muted">{tr("client-nothing-delivered")}</p> }.into_any()
                        } else {
                            b.deliverables.clone().into_iter().map(|d| {
                                let (id, reviewable) = (d.id, !d.versions.is_empty());
                                view! {
                                    <DeliverableCard deliverable=d href_prefix="/client/deliverables/" held=true>
                                        {reviewable.then(|| view! {
                                            <div class="actions">
                                                <ActionForm action=review attr:class="inline-form">
                                                    <input type="hidden" name="id" value=id/>
                                                    <input type="hidden" name="decision" value="approve"/>
                                                    <button type="submit" class="primary">{tr("client-approve")}</button>
                                                </ActionForm>
                                                <ActionForm action=review attr:class="inline-form">
                                                    <input type="hidden" name="id" value=id/>
                                                    <input type="hidden" name="decision" value="changes"/>
                                                    <label for=format!("changes-{id}")>{tr("client-what-change")}</label>
                                                    <input id=format!("changes-{id}") name="comment" maxlength="2000"/>
                                                    <button type="submit" class="ghost">{tr("client-request-changes")}</button>
                                                </ActionForm>
                                            </div>
                                        })}
                                    </DeliverableCard>
                                }
                            }).collect_view().into_any()
                        }}
                    </section>
                    <section id="messages">
                        <h2 class="h3">{tr("client-messages")}</h2>
                        <MessageThread thread=b.thread.clone() page=format!("/client/projects/{p_id}") attachment_prefix="/client/attachments/"
                            action=format!("/client/projects/{}/messages", p_id)/>
                    </section>
                    <section id="activity">
                        <h2 class="h3">{tr("client-activity")}</h2>
                        <Timeline events=b.events.clone()/>
                    </section>
                }
            })}
            <p><a href="/client">{tr("client-all-projects")}</a></p>
        }})}
    }
}

#[component]
pub fn InvoicesPage() -> impl IntoView {
    view! {
        <Title text=tr("label-invoices")/>
        <h1>{tr("label-invoices")}</h1>
        {loaded(api::client_invoices(query_param("before"), query_param("after"), false), |page| if page.rows.is_empty() {
            view! { <p class="muted">{tr("client-no-invoices")}</p> }.into_any()
        } else {
            view! {
                <InvoiceTable invoices=page.rows href=invoice_href/>
                <crate::components::Pager newer=page.newer older=page.older/>
            }.into_any()
        })}
    }
}

#[component]
pub fn InvoicePage() -> impl IntoView {
    use crate::domain::orders::Gateway;
    let pay = ServerAction::<api::PayInvoice>::new();
    view! {
        {loaded(api::client_invoice(route_id()), move |api::InvoicePage { invoice, gateways }| {
            let (id, open) = (invoice.id, invoice.status.is_open());
            let amount = invoice.total_label();
            let usd_label = invoice
                .usd_cents
                .map(|c| crate::domain::Money { minor: c, currency: crate::domain::Currency::Usd }.to_string())
                .unwrap_or_default();
            view! {
                <Title text=tr_with("client-invoice", &[("number", &invoice.label())])/>
                <p class="eyebrow">{invoice.project_name.clone()}</p>
                <h1>{tr_with("client-invoice", &[("number", &invoice.label())])}</h1>
                <p class="lead">{invoice.title.clone()}</p>
                <InvoiceDetail invoice=invoice.clone()/>
                <p><a href=format!("/client/invoices/{id}/invoice.pdf")>{tr("tool-run-invoice")}</a></p>
                {open.then(|| view! {
                    <section class="card">
                        <h2 class="h3">{tr("client-pay-online")}</h2>
                        <FormError action=pay/>
                        {if gateways.is_empty() {
                            view! { <p class="muted">{tr("client-no-online")}</p> }.into_any()
                        } else {
                            view! {
                                <ActionForm action=pay attr:class="stack">
                                    <input type="hidden" name="id" value=id/>
                                    <fieldset>
                                        <legend>{tr("client-pay-with")}</legend>
                                        {gateways.iter().enumerate().map(|(i, g)| {
                                            let label = match g {
                                                Gateway::Sandbox => tr("client-pay-sandbox").to_owned(),
                                                Gateway::Paypal => format!("PayPal: {}", usd_label),
                                                _ => tr("client-pay-midtrans").to_owned(),
                                            };
                                            view! {
                                                <label class="choice">
                                                    <input type="radio" name="gateway" value=g.as_str() checked=i == 0/>
                                                    {label}
                                                </label>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                    <button type="submit" class="primary">{tr_with("client-pay-amount", &[("amount", &amount)])}</button>
                                </ActionForm>
                            }.into_any()
                        }}
                    </section>
                })}
                <p><a href=format!("/client/projects/{}", invoice.project_id)>{tr("client-back-to-project")}</a></p>
            }
        })}
    }
}
