//! `/admin/subscriptions`: every subscription, filtered by status, product and
//! renewal date; one subscription's history, extended or cancelled by staff.

pub mod api;

use crate::components::{
    loaded, query_param, renewal_state, route_param, subscription_badge, Column, DataTable, Field, FormError, Notice,
    TextField,
};
use crate::domain::subscriptions::SubscriptionStatus;
use crate::domain::time::format_time;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const COLUMNS: &[Column] = &[
    Column::text("Subscription"),
    Column::text("Member"),
    Column::text("Product and plan"),
    Column::text("Status"),
    Column::text("Period ends"),
];

#[component]
pub fn SubscriptionsPage() -> impl IntoView {
    view! {
        <Title text="Subscriptions"/>
        <h1>"Subscriptions"</h1>
        {loaded(api::admin_subscriptions(query_param("status"), query_param("product"), query_param("within"), query_param("before"), query_param("after")), move |l| {
            let (status, product) = (query_param("status"), query_param("product"));
            view! {
                <form method="get" class="filters">
                    <Field id="f-status" label="Status">
                        <select id="f-status" name="status">
                            <option value="">"Any"</option>
                            {SubscriptionStatus::ALL.iter().map(|s| view! {
                                <option value=s.as_str() selected=s.as_str() == status>{s.label()}</option>
                            }).collect_view()}
                        </select></Field>
                    <Field id="f-product" label="Product">
                        <select id="f-product" name="product">
                            <option value="">"Any"</option>
                            {l.products.iter().map(|(id, name)| view! {
                                <option value=id.to_string() selected=id.to_string() == product>{name.clone()}</option>
                            }).collect_view()}
                        </select></Field>
                    <TextField id="f-within" name="within" label="Period ends within (days)" value=query_param("within") inputmode="numeric"/>
                    <button type="submit" class="button ghost">"Filter"</button>
                </form>
                {if l.subscriptions.is_empty() {
                    view! {
                        <p class="notice info">"No subscriptions match."</p>
                        <crate::components::Pager newer=l.sooner older=l.later labels=("← Ending sooner", "Ending later →")/>
                    }.into_any()
                } else {
                    let (sooner, later) = (l.sooner.clone(), l.later.clone());
                    view! {
                        <DataTable columns=COLUMNS>
                            {l.subscriptions.into_iter().map(|s| view! {
                                <tr>
                                    <td><a href=format!("/admin/subscriptions/{}", s.public_id)>{s.public_id.clone()}</a></td>
                                    <td>{s.member_email.clone()}</td>
                                    <td>{format!("{} · {}", s.product_name, s.plan_name)}</td>
                                    <td>{subscription_badge(s.status)}</td>
                                    <td>{format_time(s.current_period_end)}</td>
                                </tr>
                            }).collect_view()}
                        </DataTable>
                        <crate::components::Pager newer=sooner older=later labels=("← Ending sooner", "Ending later →")/>
                    }.into_any()
                }}
            }
        })}
    }
}

#[component]
pub fn SubscriptionDetailPage() -> impl IntoView {
    let query = use_query_map();
    let id = route_param("id");
    let extend = ServerAction::<api::ExtendSubscription>::new();
    let cancel = ServerAction::<api::StaffCancelSubscription>::new();
    let drop_change = ServerAction::<api::StaffDropPlanChange>::new();
    let unpause = ServerAction::<api::StaffUnpauseSubscription>::new();
    view! {
        {move || query.read().get("extended").map(|_| view! { <Notice message="Extended."/> })}
        {move || query.read().get("dropped").map(|_| view! { <Notice message="The scheduled change is dropped: it renews on its current plan."/> })}
        {move || query.read().get("unpaused").map(|_| view! { <Notice message="Resumed: the member's access is being restored."/> })}
        <FormError action=drop_change/>
        <FormError action=unpause/>
        {move || query.read().get("cancelled").map(|_| view! { <Notice message="Cancelled: the member keeps access until the period ends, and was told."/> })}
        <FormError action=extend/>
        <FormError action=cancel/>
        {loaded(api::admin_subscription(id), move |s| {
            let (id1, id2) = (s.public_id.clone(), s.public_id.clone());
            view! {
                <Title text=format!("Subscription {}", s.public_id)/>
                <p class="eyebrow">"Subscription " {s.public_id.clone()}</p>
                <h1>{format!("{} · {} plan", s.product_name, s.plan_name)}</h1>
                <p>{subscription_badge(s.status)} " " {s.plan_price.clone()} " · " {renewal_state(&s)}</p>
                <p>{s.member_name.clone()} " · " {s.member_email.clone()}</p>
                {s.scheduled.clone().map(|c| {
                    let id = s.public_id.clone();
                    view! {
                        <div class="notice info">
                            <p>{format!("The member moves to the {} plan ({}) at the renewal on {}.", c.plan_name, c.plan_price, format_time(c.at))}</p>
                            <ActionForm action=drop_change attr:class="inline-form">
                                <input type="hidden" name="public_id" value=id/>
                                <button type="submit" class="button ghost small">"Drop the scheduled change"</button>
                            </ActionForm>
                        </div>
                    }
                })}
                {(s.status == SubscriptionStatus::Paused).then(|| {
                    let id = s.public_id.clone();
                    view! {
                        <div class="notice info">
                            <p>"Paused by the member: access is withdrawn and no reminder is sent until it resumes."</p>
                            <ActionForm action=unpause attr:class="inline-form">
                                <input type="hidden" name="public_id" value=id/>
                                <button type="submit" class="button small">"Resume now"</button>
                            </ActionForm>
                        </div>
                    }
                })}
                <h2 class="h3">"History"</h2>
                <ol class="timeline">{s.history.iter().map(|e| view! {
                    <li><span class="muted">{format_time(e.at)}</span> " " {crate::components::history_words(e)}</li>
                }).collect_view()}</ol>
                {(s.status != SubscriptionStatus::Expired).then(|| view! {
                    <h2 class="h3">"Extend"</h2>
                    <ActionForm action=extend attr:class="stack narrow-form">
                        <input type="hidden" name="public_id" value=id1/>
                        <TextField id="days" name="days" label="Days to add" value="" inputmode="numeric" required=true/>
                        <TextField id="note" name="note" label="Why (kept in the history)" value="" required=true maxlength=300/>
                        <button type="submit" class="primary">"Extend"</button>
                    </ActionForm>
                })}
                {(s.status == SubscriptionStatus::Active).then(|| view! {
                    <h2 class="h3">"Cancel"</h2>
                    <ActionForm action=cancel attr:class="inline-form">
                        <input type="hidden" name="public_id" value=id2/>
                        <button type="submit" class="button ghost">"Cancel for the member"</button>
                    </ActionForm>
                })}
            }
        })}
    }
}
