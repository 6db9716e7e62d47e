//! Who waits for which product, with the CSV export.

use super::api;
use crate::components::{failed_page, loading, Column, DataTable};
use crate::domain::time::format_time;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn WaitlistPage() -> impl IntoView {
    let query = use_query_map();
    let product = move || query.read().get("product").and_then(|p| p.parse::<i64>().ok());
    let counts = Resource::new(|| (), |_| api::admin_waitlist());
    let people = Resource::new(product, |id| async move {
        match id {
            Some(id) => api::admin_waitlist_people(id).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <Title text="Waitlist"/>
        <h1>"Waitlist"</h1>
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
                        view! { <p class="notice info">"No product has a waitlist. Set a product's status to Waitlist to open one."</p> }.into_any()
                    } else {
                        view! {
                            <DataTable columns=const { &[Column::text("Product"), Column::text("Status"), Column::num("Waiting"), Column::text("")] }>{counts.into_iter().map(|c| view! {
                                    <tr>
                                        <td><a href=format!("/admin/waitlist?product={}", c.product_id)>{c.name.clone()}</a></td>
                                        <td>{c.status.clone()}</td>
                                        <td class="num">{c.count}</td>
                                        <td><a href=format!("/admin/waitlist/{}/export.csv", c.product_id) rel="external" download="">"Export CSV"</a></td>
                                    </tr>
                                }).collect_view()}</DataTable>
                        }.into_any()
                    }}
                    {match (selected, people) {
                        (Some(_), Ok(Some(list))) if list.is_empty() => Some(view! { <p class="notice info">"Nobody is waiting for this product yet."</p> }.into_any()),
                        (Some(_), Ok(Some(list))) => Some(view! {
                            <h2 class="h3">"People waiting"</h2>
                            <DataTable columns=const { &[Column::text("Email"), Column::text("Name"), Column::text("Joined")] }>{list.into_iter().map(|p| view! {
                                    <tr><td>{p.email.clone()}</td><td>{p.name.clone()}</td><td>{format_time(p.joined_at)}</td></tr>
                                }).collect_view()}</DataTable>
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
