//! Orders: the list, one order, and what staff can do for it.

pub mod api;

use crate::components::{in_page_language, tr, tr_with, when};
use crate::components::{
    loaded, query_param, route_param, settled, status_badge, Column, DataTable, Field, FormError, Notice, TextField,
};
use crate::domain::{
    delivery::DeliveryStatus,
    orders::{Gateway, OrderStatus},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OrdersPage() -> impl IntoView {
    view! {
        <Title text=tr("adm-orders")/>
        <h1>{tr("adm-orders")}</h1>
        <form method="get" class="filters">
            <Field id="f-status" label=tr("adm-status")>
                <select id="f-status" name="status">
                    <option value="">{tr("adm-any")}</option>
                    {super::options(OrderStatus::ALL, OrderStatus::as_str, OrderStatus::label, query_param("status"))}
                </select></Field>
            <Field id="f-gateway" label=tr("adm-gateway")>
                <select id="f-gateway" name="gateway">
                    <option value="">{tr("adm-any")}</option>
                    {super::options(Gateway::ALL, Gateway::as_str, Gateway::label, query_param("gateway"))}
                </select></Field>
            <TextField id="f-from" name="from" label=tr("adm-from-yyyy-mm-dd") value=query_param("from")/>
            <TextField id="f-until" name="until" label=tr("adm-until-yyyy-mm-dd") value=query_param("until")/>
            <TextField id="f-q" name="q" label=tr("adm-search-order-id-reference-buyer") value=query_param("q")/>
            <button type="submit" class="button ghost">{tr("adm-filter")}</button>
        </form>
        // A refused filter (a malformed date) is said above an empty list, not as an error page.
        {settled(super::api::admin_orders(query_param("status"), query_param("gateway"), query_param("from"), query_param("until"), query_param("q"), query_param("before"), query_param("after")), move |r| match r {
                Err(err) => view! { <p class="notice error" role="alert">{in_page_language(&err.to_string())}</p> }.into_any(),
                Ok(page) if page.rows.is_empty() => view! {
                    <p class="notice info">{tr("adm-no-orders-match")}</p>
                    <crate::components::Pager newer=page.newer older=page.older/>
                }.into_any(),
                Ok(page) => view! {
                    <DataTable columns=const { &[Column::text("Order"), Column::text("Buyer"), Column::text("Product"), Column::text("Gateway"), Column::text("Created"), Column::num("Amount"), Column::text("Status")] }>
                            {page.rows.into_iter().map(|o| view! {
                                <tr>
                                    <td><a href=format!("/admin/orders/{}", o.public_id)>{o.public_id.clone()}</a></td>
                                    <td>{o.buyer_email.clone()}</td>
                                    <td>{o.product_name.clone()}</td>
                                    <td>{in_page_language(o.gateway.label())}</td>
                                    <td>{when(o.created_at)}</td>
                                    <td class="num">{o.amount_label()}</td>
                                    <td>{status_badge(o.status)}</td>
                                </tr>
                            }).collect_view()}
                        </DataTable>
                    <crate::components::Pager newer=page.newer older=page.older/>
                }.into_any(),
            })}
    }
}

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let id = route_param("id");
    let query = use_query_map();
    view! {
        {move || query.read().get("refunded").map(|_| view! { <Notice message=tr("adm-refund-recorded-the-member-was")/> })}
        {move || query.read().get("done").and_then(|done| match done.as_str() {
            "resent" => Some(tr("adm-delivery-mail-sent-again")),
            "reinvited" => Some(tr("adm-a-new-github-invitation-was")),
            "revoked" => Some(tr("adm-access-withdrawn-the-buyer-was")),
            "restored" => Some(tr("adm-access-restored-it-is-delivered")),
            "handled" => Some(tr("adm-marked-as-handled-the-order")),
            "limit" => Some(tr("adm-activation-limit-changed")),
            "progress" => Some(tr("adm-progress-posted-the-customer-was")),
            "deactivated" => Some(tr("adm-machine-deactivated-the-seat-is")),
            _ => None,
        }).map(|message| view! { <Notice message/> })}
        {loaded(super::api::admin_order(id), move |o| view! {
                    <Title text=tr_with("adm-order-n", &[("id", &o.public_id)])/>
                    <p class="eyebrow">{tr("adm-order")} " " {o.public_id.clone()}</p>
                    <h1>{o.product_name.clone()}</h1>
                    <p>{status_badge(o.status)} " " {o.amount_label()} " · " {in_page_language(o.gateway.label())} " · " {o.buyer_email.clone()}</p>
                    {o.coupon_label().map(|l| view! { <p class="muted">{l}</p> })}
                    {o.staff_notice.clone().map(|notice| view! { <OrderNotice public_id=o.public_id.clone() notice/> })}
                    {matches!(o.status, OrderStatus::Paid | OrderStatus::Refunded).then(|| view! {
                        <p><a class="button ghost small" href=format!("/admin/orders/{}/receipt.pdf", o.public_id) download>{tr("adm-receipt-pdf")}</a></p>
                    })}
                    <h2 class="h3">{tr("adm-delivery")}</h2>
                    <p>{in_page_language(o.delivery_kind.label())} ": " {o.delivery_status.map_or(tr("adm-not-started"), DeliveryStatus::as_str)}
                        {(!o.delivery_detail.is_empty()).then(|| view! { " — " {in_page_language(&o.delivery_detail)} })}</p>
                    {(o.delivery_kind == crate::domain::delivery::DeliveryKind::Manual).then(|| view! { <ServiceProgress public_id=o.public_id.clone()/> })}
                    {(o.delivery_status == Some(DeliveryStatus::Pending)).then(|| view! { <PostProgress public_id=o.public_id.clone()/> })}
                    {(o.delivery_status == Some(DeliveryStatus::Pending)).then(|| view! { <MarkDelivered public_id=o.public_id.clone()/> })}
                    {(o.status == OrderStatus::Paid).then(|| view! { <DeliveryActions order=o.clone()/> })}
                    {(o.delivery_kind == crate::domain::delivery::DeliveryKind::LicenseKey).then(|| view! { <OrderLicense public_id=o.public_id.clone()/> })}
                    {(o.status == OrderStatus::Paid).then(|| view! { <RecordRefund public_id=o.public_id.clone()/> })}
                    <h2 class="h3">{tr("adm-payment-events")}</h2>
                    <DataTable columns=const { &[Column::text("When"), Column::text("Gateway"), Column::text("Outcome"), Column::text("Applied"), Column::text("Note"), Column::text("Raw")] }>
                            {o.events.iter().map(|e| view! {
                                <tr>
                                    <td>{when(e.at)}</td>
                                    <td>{e.gateway.clone()}</td>
                                    <td>{e.outcome.clone()}</td>
                                    <td>{if e.applied { "yes" } else { "no" }}</td>
                                    <td>{in_page_language(&e.note)}</td>
                                    <td><pre class="raw">{e.raw.clone()}</pre></td>
                                </tr>
                            }).collect_view()}
                        </DataTable>
                }
        )}
    }
}

/// A service's steps as the customer sees them.
#[component]
fn ServiceProgress(public_id: String) -> impl IntoView {
    view! {
        {loaded(super::api::admin_service_updates(public_id), |updates| if updates.is_empty() {
            view! { <p class="muted">{tr("adm-no-progress-posted-yet-the")}</p> }.into_any()
        } else {
            view! {
                <ol class="timeline">
                    {updates.into_iter().map(|u| view! {
                        <li><strong>{in_page_language(u.stage.label())}</strong> " · " {when(u.at)}<p>{u.note}</p></li>
                    }).collect_view()}
                </ol>
            }.into_any()
        })}
    }
}

/// A step of a service being prepared, mailed to the customer.
#[component]
fn PostProgress(public_id: String) -> impl IntoView {
    let action = ServerAction::<super::api::PostServiceUpdate>::new();
    view! {
        <FormError action/>
        <ActionForm action attr:class="stack">
            <input type="hidden" name="public_id" value=public_id/>
            <Field id="progress-note" label=tr("adm-progress-note-to-the-customer")
                hint=Some(tr("adm-marks-the-service-in-progress"))>
                <textarea id="progress-note" name="note" rows="3" required></textarea>
            </Field>
            <button type="submit" class="button">{tr("adm-post-progress")}</button>
        </ActionForm>
    }
}

/// The order's license key: its machines (each can be deactivated) and its activation limit.
#[component]
fn OrderLicense(public_id: String) -> impl IntoView {
    let limit = ServerAction::<super::api::SetActivationLimit>::new();
    let deactivate = ServerAction::<super::api::StaffDeactivateMachine>::new();
    view! {
        <FormError action=limit/>
        <FormError action=deactivate/>
        {loaded(super::api::admin_order_license(public_id.clone()), move |license| match license {
            None => view! { <p class="muted">{tr("adm-no-license-key-yet")}</p> }.into_any(),
            Some(mut l) => {
                let order = l.order_public_id.clone();
                let summary = format!("{} · {}", in_page_language(l.status_label()), &in_page_language(&l.seats_label()));
                let activations = std::mem::take(&mut l.activations);
                let machines = (!activations.is_empty()).then(|| {
                    let rows = activations.into_iter().map(|a| {
                        let (label, order) = (a.label(), order.clone());
                        view! {
                            <tr>
                                {crate::components::license::machine_cells(&a)}
                                <td>
                                    <ActionForm action=deactivate attr:class="inline-form">
                                        <input type="hidden" name="public_id" value=order.clone()/>
                                        <input type="hidden" name="id" value=a.id/>
                                        <button type="submit" class="button ghost small" aria-label=tr_with("adm-deactivate-machine", &[("machine", &label)])>{tr("adm-deactivate")}</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view();
                    view! { <DataTable columns=crate::components::license::MACHINE_COLUMNS>{rows}</DataTable> }
                });
                view! {
                    <section id="license" class="stack">
                        <h2 class="h3">{tr("adm-license-key")}</h2>
                        <p><code class="license-key">{l.license_key.clone()}</code> " · " {summary}</p>
                        {machines}
                        <ActionForm action=limit attr:class="inline-form">
                            <input type="hidden" name="public_id" value=order/>
                            <label for="activation-limit">{tr("adm-activation-limit")}</label>
                            <input id="activation-limit" name="limit" type="number" min="1" max="1000" value=l.activation_limit required/>
                            <button type="submit" class="button ghost small">{tr("adm-change")}</button>
                        </ActionForm>
                    </section>
                }.into_any()
            }
        })}
    }
}

/// What the order asks staff to decide, and the way to mark it handled.
#[component]
fn OrderNotice(public_id: String, notice: String) -> impl IntoView {
    let dismiss = ServerAction::<super::api::DismissOrderNotice>::new();
    view! {
        <div class="notice warning" role="alert">
            <p>{in_page_language(&notice)}</p>
            <FormError action=dismiss/>
            <ActionForm action=dismiss attr:class="inline-form">
                <input type="hidden" name="public_id" value=public_id/>
                <button type="submit" class="button ghost small">{tr("adm-mark-as-handled-keep-access")}</button>
            </ActionForm>
        </div>
    }
}

/// What staff can do for a paid order's delivery without a refund.
#[component]
fn DeliveryActions(order: crate::domain::orders::OrderView) -> impl IntoView {
    let resend = ServerAction::<super::api::ResendDelivery>::new();
    let reinvite = ServerAction::<super::api::ReinviteGithub>::new();
    let revoke = ServerAction::<super::api::RevokeAccess>::new();
    let restore = ServerAction::<super::api::RestoreAccess>::new();
    let (id, id2, id3) = (order.public_id.clone(), order.public_id.clone(), order.public_id.clone());
    let github = order.delivery_kind == crate::domain::delivery::DeliveryKind::GithubInvite;
    let resend_label = if order.delivery_kind == crate::domain::delivery::DeliveryKind::EmailFile {
        tr("adm-resend-the-delivery-mail-with")
    } else {
        tr("adm-resend-the-delivery-mail")
    };
    match order.delivery_status {
        Some(DeliveryStatus::Delivered) => view! {
            <FormError action=resend/>
            <FormError action=reinvite/>
            <div class="actions">
                <ActionForm action=resend attr:class="inline-form">
                    <input type="hidden" name="public_id" value=id.clone()/>
                    <button type="submit" class="button ghost small">{resend_label}</button>
                </ActionForm>
                {github.then(|| view! {
                    <ActionForm action=reinvite attr:class="inline-form">
                        <input type="hidden" name="public_id" value=id2/>
                        <button type="submit" class="button ghost small">{tr("adm-invite-to-github-again")}</button>
                    </ActionForm>
                })}
            </div>
            <details class="card">
                <summary>{tr("adm-withdraw-access-without-a-refund")}</summary>
                <FormError action=revoke/>
                <ActionForm action=revoke attr:class="stack">
                    <input type="hidden" name="public_id" value=id3/>
                    <Field id="revoke-reason" label=tr("adm-reason") hint=Some(tr("adm-the-buyer-sees-it-on"))>
                        <input id="revoke-reason" name="reason" type="text" maxlength="300" required/>
                    </Field>
                    <button type="submit" class="button danger">{tr("adm-withdraw-access")}</button>
                </ActionForm>
            </details>
        }
        .into_any(),
        Some(DeliveryStatus::Revoked) => view! {
            <FormError action=restore/>
            <ActionForm action=restore attr:class="inline-form">
                <input type="hidden" name="public_id" value=id/>
                <button type="submit" class="button primary small">{tr("adm-restore-access")}</button>
            </ActionForm>
        }
        .into_any(),
        _ => ().into_any(),
    }
}

/// For a refund made in the gateway's own dashboard.
#[component]
fn RecordRefund(public_id: String) -> impl IntoView {
    let action = ServerAction::<super::api::RecordRefund>::new();
    view! {
        <details class="card">
            <summary>{tr("adm-record-a-refund-made-in")}</summary>
            <FormError action/>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="public_id" value=public_id/>
                <Field id="refund-note" label=tr("adm-where-and-reference")
                    hint=Some(tr("adm-the-member-is-mailed-and"))>
                    <input id="refund-note" name="note" type="text" maxlength="500" required/>
                </Field>
                <button type="submit" class="button danger">{tr("adm-record-refund")}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn MarkDelivered(public_id: String) -> impl IntoView {
    let action = ServerAction::<super::api::MarkDelivered>::new();
    view! {
        <FormError action/>
        <ActionForm action attr:class="stack">
            <input type="hidden" name="public_id" value=public_id/>
            <Field id="delivery-message" label=tr("adm-message-to-the-customer")
                hint=Some(tr("adm-what-you-delivered-and-where"))>
                <textarea id="delivery-message" name="message" rows="4" required></textarea>
            </Field>
            <button type="submit" class="primary">{tr("adm-mark-delivered")}</button>
        </ActionForm>
    }
}
