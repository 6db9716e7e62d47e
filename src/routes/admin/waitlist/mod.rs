//! Who waits for which product, with the CSV export.

pub mod api;

use crate::components::{awaits_data, failed_page, loading, Column, DataTable, FormError, Notice};
use crate::components::{tr, tr_with, when};
use crate::domain::waitlist::WaitlistCount;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn WaitlistPage() -> impl IntoView {
    let query = use_query_map();
    let product = move || query.read().get("product").and_then(|p| p.parse::<i64>().ok());
    let counts = Resource::new(|| (), |_| api::admin_waitlist());
    let page = move || {
        let q = query.read();
        (q.get("before").unwrap_or_default(), q.get("after").unwrap_or_default())
    };
    let people = Resource::new(
        move || (product(), page()),
        |(id, (before, after))| async move {
            match id {
                Some(id) => api::admin_waitlist_people(id, before, after).await.map(Some),
                None => Ok(None),
            }
        },
    );
    awaits_data();
    let notify = ServerAction::<api::NotifyWaitlist>::new();
    view! {
        <Title text=tr("adm-waitlist")/>
        <h1>{tr("adm-waitlist")}</h1>
        {move || query.read().get("launched").map(|how| view! {
            <Notice message=if how == "again" { tr("adm-the-launch-mail-had-been") } else { tr("adm-launch-mail-on-its-way") }/>
        })}
        <FormError action=notify/>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let counts = counts.await;
                let people = people.await;
                let counts = match counts {
                    Ok(c) => c,
                    Err(err) => return failed_page(err),
                };
                let selected = product();
                view! {
                    {if counts.is_empty() {
                        view! { <p class="notice info">{tr("adm-no-product-has-a-waitlist")}</p> }.into_any()
                    } else {
                        view! {
                            <DataTable columns=const { &[Column::text("Product"), Column::text("Status"), Column::num("Signed up"), Column::num("Mailed"), Column::num("Converted"), Column::text("Launch"), Column::text("")] }>{counts.into_iter().map(|c| view! {
                                    <tr>
                                        <td><a href=format!("/admin/waitlist?product={}", c.product_id)>{c.name.clone()}</a></td>
                                        <td>{c.status.clone()}</td>
                                        <td class="num">{c.count}</td>
                                        <td class="num">{c.mailed}</td>
                                        <td class="num">{c.converted}</td>
                                        <td>{launch_cell(&c, notify)}</td>
                                        <td><a href=format!("/admin/waitlist/{}/export.csv", c.product_id) rel="external" download="">{tr("adm-export-csv")}</a></td>
                                    </tr>
                                }).collect_view()}</DataTable>
                        }.into_any()
                    }}
                    {match (selected, people) {
                        (Some(_), Ok(Some(list))) if list.rows.is_empty() && list.newer.is_none() => Some(view! { <p class="notice info">{tr("adm-nobody-is-waiting-for-this")}</p> }.into_any()),
                        (Some(_), Ok(Some(list))) => Some(view! {
                            <h2 class="h3">{tr("adm-people-waiting")}</h2>
                            <DataTable columns=const { &[Column::text("Email"), Column::text("Name"), Column::text("Joined"), Column::text("Early-bird code"), Column::text("Used")] }>{list.rows.into_iter().map(|p| view! {
                                    <tr>
                                        <td>{p.email.clone()}</td><td>{p.name.clone()}</td><td>{when(p.joined_at)}</td>
                                        <td>{p.code.clone().unwrap_or_default()}</td>
                                        <td>{match (&p.code, p.code_uses) { (None, _) => "", (Some(_), 0) => "no", _ => "yes" }}</td>
                                    </tr>
                                }).collect_view()}</DataTable>
                            <crate::components::Pager newer=list.newer older=list.older labels=("← Earlier", "Later →")/>
                        }.into_any()),
                        (Some(_), Err(err)) => Some(failed_page(err)),
                        _ => None,
                    }}
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// A launched list: when, and its coupon. A list of a product on sale: the button
/// to notify it. Otherwise: what to do first.
fn launch_cell(c: &WaitlistCount, notify: ServerAction<api::NotifyWaitlist>) -> AnyView {
    if let Some(at) = c.launched_at {
        let codes = match &c.coupon {
            Some(shared) => tr_with("adm-shared-coupon", &[("code", shared)]),
            None => tr_with("adm-own-codes", &[("n", &c.codes_used.to_string())]),
        };
        return view! { <span>{tr_with("adm-launch-sent", &[("at", &when(at)), ("codes", &codes)])}</span> }.into_any();
    }
    if c.status != "active" {
        return view! { <span class="muted">{tr("adm-put-it-on-sale-to")}</span> }.into_any();
    }
    if c.count == 0 {
        return view! { <span class="muted">{tr("adm-nobody-to-notify")}</span> }.into_any();
    }
    let product_id = c.product_id;
    let (percent_id, days_id) = (format!("early-{product_id}"), format!("days-{product_id}"));
    view! {
        <ActionForm action=notify attr:class="inline-form">
            <input type="hidden" name="product_id" value=product_id/>
            <label for=percent_id.clone()>{tr("adm-early-bird")}</label>
            <input id=percent_id name="percent" type="text" inputmode="numeric" value="20" size="3"/>
            <label for=days_id.clone()>{tr("adm-for-days")}</label>
            <input id=days_id name="days" type="text" inputmode="numeric" value="7" size="3"/>
            <button type="submit" class="primary small">{tr("adm-notify-the-waitlist")}</button>
        </ActionForm>
    }
    .into_any()
}
