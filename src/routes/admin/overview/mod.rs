//! The overview and the audit log.

pub mod api;

use crate::components::{audit_words, in_page_language, loaded, query_param, Column, DataTable};
use crate::components::{tr, when};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <Title text=tr("adm-admin")/>
        <h1>{tr("adm-studio-overview")}</h1>
        <div class="cards">
            <a class="card" href="/admin/posts"><h2 class="h3">{tr("adm-blog")}</h2><p>{tr("adm-write-schedule-and-publish-posts")}</p></a>
            <a class="card" href="/admin/pages"><h2 class="h3">{tr("adm-pages")}</h2><p>{tr("adm-about-privacy-policy-disclaimer-and")}</p></a>
            <a class="card" href="/admin/portfolio"><h2 class="h3">{tr("adm-portfolio")}</h2><p>{tr("adm-case-studies-of-client-work")}</p></a>
            <a class="card" href="/admin/tools"><h2 class="h3">{tr("adm-tools")}</h2><p>{tr("adm-the-tools-pages")}</p></a>
            <a class="card" href="/admin/demos"><h2 class="h3">{tr("adm-demos")}</h2><p>{tr("adm-live-demos-of-products")}</p></a>
            <a class="card" href="/admin/resources"><h2 class="h3">{tr("adm-resources")}</h2><p>{tr("adm-guides-and-downloads")}</p></a>
            <a class="card" href="/admin/products"><h2 class="h3">{tr("adm-products-services")}</h2><p>{tr("adm-the-catalog-prices-status-and")}</p></a>
            <a class="card" href="/admin/orders"><h2 class="h3">{tr("adm-orders")}</h2><p>{tr("adm-every-order-with-its-payment")}</p></a>
        </div>
        {loaded(super::api::admin_overview(), move |o| view! {
                        <section aria-labelledby="attention">
                            <h2 class="h3" id="attention">{tr("adm-needs-attention")}</h2>
                            {if o.attention.iter().all(|(n, _, _)| *n == 0) {
                                view! { <p class="notice success" role="status">{tr("adm-nothing-waits-for-you")}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="attention">
                                        {o.attention.into_iter().filter(|(n, _, _)| *n > 0).map(|(n, what, href)| view! {
                                            <li><a href=href><strong>{n}</strong>" "{in_page_language(&what)}</a></li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        <h2 class="h3">{tr("adm-takings")}</h2>
                        <DataTable columns=const { &[Column::text("Period"), Column::num("Paid orders"), Column::num("IDR"), Column::num("USD")] }>
                            {o.takings.into_iter().map(|(period, idr, usd, orders)| view! {
                                <tr><td>{in_page_language(&period)}</td><td class="num">{orders}</td><td class="num">{idr}</td><td class="num">{usd}</td></tr>
                            }).collect_view()}
                        </DataTable>
                        <div class="page-head"><h2 class="h3">{tr("adm-recent-changes")}</h2><a href="/admin/audit">{tr("adm-all-changes")}</a></div>
                        {if o.audit.is_empty() {
                            view! { <p class="muted">{tr("adm-no-changes-yet")}</p> }.into_any()
                        } else {
                            view! {
                                <DataTable columns=const { &[Column::text("When"), Column::text("Who"), Column::text("What"), Column::text("Subject"), Column::text("Detail")] }>{o.audit.into_iter().map(|a| view! {
                                        <tr><td>{when(a.at)}</td><td>{a.actor}</td><td>{audit_words(&a.action)}</td><td>{a.subject}</td><td>{a.detail}</td></tr>
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
        <Title text=tr("adm-audit-log")/>
        <h1>{tr("adm-audit-log")}</h1>
        {loaded(super::api::admin_audit(query_param("before"), query_param("after")), |page| view! {
            {page.rows.is_empty().then(|| view! { <p class="notice info">{tr("adm-no-changes-here")}</p> })}
            <DataTable columns=const { &[Column::text("When"), Column::text("Who"), Column::text("What"), Column::text("Subject"), Column::text("Detail")] }>
                {page.rows.into_iter().map(|a| view! {
                    <tr><td>{when(a.at)}</td><td>{a.actor}</td><td>{audit_words(&a.action)}</td><td>{a.subject}</td><td>{a.detail}</td></tr>
                }).collect_view()}
            </DataTable>
            <crate::components::Pager newer=page.newer older=page.older/>
        })}
    }
}
