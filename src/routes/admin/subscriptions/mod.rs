//! `/admin/subscriptions`: every subscription, filtered by status, product and
//! renewal date; one subscription's history, extended or cancelled by staff.

pub mod api;

use crate::components::{in_page_language, tr, tr_with, when};
use crate::components::{
    loaded, query_param, renewal_state, route_param, subscription_badge, Column, DataTable, Field, FormError, Notice,
    TextField,
};
use crate::domain::subscriptions::SubscriptionStatus;
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
        <Title text=tr("adm-subscriptions")/>
        <h1>{tr("adm-subscriptions")}</h1>
        {loaded(api::admin_subscriptions(query_param("status"), query_param("product"), query_param("within"), query_param("before"), query_param("after")), move |l| {
            let (status, product) = (query_param("status"), query_param("product"));
            view! {
                <form method="get" class="filters">
                    <Field id="f-status" label=tr("adm-status")>
                        <select id="f-status" name="status">
                            <option value="">{tr("adm-any")}</option>
                            {SubscriptionStatus::ALL.iter().map(|s| view! {
                                <option value=s.as_str() selected=s.as_str() == status>{in_page_language(s.label())}</option>
                            }).collect_view()}
                        </select></Field>
                    <Field id="f-product" label=tr("adm-product")>
                        <select id="f-product" name="product">
                            <option value="">{tr("adm-any")}</option>
                            {l.products.iter().map(|(id, name)| view! {
                                <option value=id.to_string() selected=id.to_string() == product>{name.clone()}</option>
                            }).collect_view()}
                        </select></Field>
                    <TextField id="f-within" name="within" label=tr("adm-period-ends-within-days") value=query_param("within") inputmode="numeric"/>
                    <button type="submit" class="button ghost">{tr("adm-filter")}</button>
                </form>
                {if l.subscriptions.is_empty() {
                    view! {
                        <p class="notice info">{tr("adm-no-subscriptions-match")}</p>
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
                                    <td>{when(s.current_period_end)}</td>
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
        {move || query.read().get("extended").map(|_| view! { <Notice message=tr("adm-extended")/> })}
        {move || query.read().get("dropped").map(|_| view! { <Notice message=tr("adm-the-scheduled-change-is-dropped")/> })}
        {move || query.read().get("unpaused").map(|_| view! { <Notice message=tr("adm-resumed-the-member-s-access")/> })}
        <FormError action=drop_change/>
        <FormError action=unpause/>
        {move || query.read().get("cancelled").map(|_| view! { <Notice message=tr("adm-cancelled-the-member-keeps-access")/> })}
        <FormError action=extend/>
        <FormError action=cancel/>
        {loaded(api::admin_subscription(id), move |s| {
            let (id1, id2) = (s.public_id.clone(), s.public_id.clone());
            view! {
                <Title text=tr_with("adm-subscription-n", &[("id", &s.public_id)])/>
                <p class="eyebrow">{tr("adm-subscription")} " " {s.public_id.clone()}</p>
                <h1>{tr_with("adm-product-plan", &[("product", &s.product_name), ("plan", &s.plan_name)])}</h1>
                <p>{subscription_badge(s.status)} " " {s.plan_price.clone()} " · " {renewal_state(&s)}</p>
                <p>{s.member_name.clone()} " · " {s.member_email.clone()}</p>
                {s.scheduled.clone().map(|c| {
                    let id = s.public_id.clone();
                    view! {
                        <div class="notice info">
                            <p>{tr_with("adm-scheduled-change", &[("plan", &c.plan_name), ("price", &c.plan_price), ("at", &when(c.at))])}</p>
                            <ActionForm action=drop_change attr:class="inline-form">
                                <input type="hidden" name="public_id" value=id/>
                                <button type="submit" class="button ghost small">{tr("adm-drop-the-scheduled-change")}</button>
                            </ActionForm>
                        </div>
                    }
                })}
                {(s.status == SubscriptionStatus::Paused).then(|| {
                    let id = s.public_id.clone();
                    view! {
                        <div class="notice info">
                            <p>{tr("adm-paused-by-the-member-access")}</p>
                            <ActionForm action=unpause attr:class="inline-form">
                                <input type="hidden" name="public_id" value=id/>
                                <button type="submit" class="button small">{tr("adm-resume-now")}</button>
                            </ActionForm>
                        </div>
                    }
                })}
                <h2 class="h3">{tr("adm-history")}</h2>
                <ol class="timeline">{s.history.iter().map(|e| view! {
                    <li><span class="muted">{when(e.at)}</span> " " {crate::components::history_words(e)}</li>
                }).collect_view()}</ol>
                {(s.status != SubscriptionStatus::Expired).then(|| view! {
                    <h2 class="h3">{tr("adm-extend")}</h2>
                    <ActionForm action=extend attr:class="stack narrow-form">
                        <input type="hidden" name="public_id" value=id1/>
                        <TextField id="days" name="days" label=tr("adm-days-to-add") value="" inputmode="numeric" required=true/>
                        <TextField id="note" name="note" label=tr("adm-why-kept-in-the-history") value="" required=true maxlength=300/>
                        <button type="submit" class="primary">{tr("adm-extend")}</button>
                    </ActionForm>
                })}
                {(s.status == SubscriptionStatus::Active).then(|| view! {
                    <h2 class="h3">{tr("adm-cancel")}</h2>
                    <ActionForm action=cancel attr:class="inline-form">
                        <input type="hidden" name="public_id" value=id2/>
                        <button type="submit" class="button ghost">{tr("adm-cancel-for-the-member")}</button>
                    </ActionForm>
                })}
            }
        })}
    }
}
