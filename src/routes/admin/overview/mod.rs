//! The overview and the audit log.

pub mod api;

use crate::components::{loaded, query_param, Column, DataTable};
use crate::domain::time::format_time;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <Title text="Admin"/>
        <h1>"Studio overview"</h1>
        <div class="cards">
            <a class="card" href="/admin/posts"><h2 class="h3">"Blog"</h2><p>"Write, schedule and publish posts."</p></a>
            <a class="card" href="/admin/pages"><h2 class="h3">"Pages"</h2><p>"About, privacy policy, disclaimer and more."</p></a>
            <a class="card" href="/admin/portfolio"><h2 class="h3">"Portfolio"</h2><p>"Case studies of client work."</p></a>
            <a class="card" href="/admin/tools"><h2 class="h3">"Tools"</h2><p>"The tools pages."</p></a>
            <a class="card" href="/admin/demos"><h2 class="h3">"Demos"</h2><p>"Live demos of products."</p></a>
            <a class="card" href="/admin/resources"><h2 class="h3">"Resources"</h2><p>"Guides and downloads."</p></a>
            <a class="card" href="/admin/products"><h2 class="h3">"Products & services"</h2><p>"The catalog: prices, status and delivery."</p></a>
            <a class="card" href="/admin/orders"><h2 class="h3">"Orders"</h2><p>"Every order with its payment events."</p></a>
        </div>
        {loaded(super::api::admin_overview(), move |o| view! {
                        <section aria-labelledby="attention">
                            <h2 class="h3" id="attention">"Needs attention"</h2>
                            {if o.attention.iter().all(|(n, _, _)| *n == 0) {
                                view! { <p class="notice success" role="status">"Nothing waits for you."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="attention">
                                        {o.attention.into_iter().filter(|(n, _, _)| *n > 0).map(|(n, what, href)| view! {
                                            <li><a href=href><strong>{n}</strong>" "{what}</a></li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        <h2 class="h3">"Takings"</h2>
                        <DataTable columns=const { &[Column::text("Period"), Column::num("Paid orders"), Column::num("IDR"), Column::num("USD")] }>
                            {o.takings.into_iter().map(|(period, idr, usd, orders)| view! {
                                <tr><td>{period}</td><td class="num">{orders}</td><td class="num">{idr}</td><td class="num">{usd}</td></tr>
                            }).collect_view()}
                        </DataTable>
                        <div class="page-head"><h2 class="h3">"Recent changes"</h2><a href="/admin/audit">"All changes →"</a></div>
                        {if o.audit.is_empty() {
                            view! { <p class="muted">"No changes yet."</p> }.into_any()
                        } else {
                            view! {
                                <DataTable columns=const { &[Column::text("When"), Column::text("Who"), Column::text("What"), Column::text("Subject"), Column::text("Detail")] }>{o.audit.into_iter().map(|a| view! {
                                        <tr><td>{format_time(a.at)}</td><td>{a.actor}</td><td>{a.action}</td><td>{a.subject}</td><td>{a.detail}</td></tr>
                                    }).collect_view()}</DataTable>
                            }.into_any()
                        }}
                    }
        )}
    }
}

/// The audit trail: who changed what, and when, a page at a time.
#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <Title text="Audit log"/>
        <h1>"Audit log"</h1>
        {loaded(super::api::admin_audit(query_param("before"), query_param("after")), |page| view! {
            {page.rows.is_empty().then(|| view! { <p class="notice info">"No changes here."</p> })}
            <DataTable columns=const { &[Column::text("When"), Column::text("Who"), Column::text("What"), Column::text("Subject"), Column::text("Detail")] }>
                {page.rows.into_iter().map(|a| view! {
                    <tr><td>{format_time(a.at)}</td><td>{a.actor}</td><td>{a.action}</td><td>{a.subject}</td><td>{a.detail}</td></tr>
                }).collect_view()}
            </DataTable>
            <crate::components::Pager newer=page.newer older=page.older/>
        })}
    }
}
