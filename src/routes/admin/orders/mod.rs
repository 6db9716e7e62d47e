//! Orders: the list, one order, and what staff can do for it.

pub mod api;

use crate::components::{
    loaded, query_param, route_param, settled, status_badge, Column, DataTable, Field, FormError, Notice, TextField,
};
use crate::domain::time::format_time;
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
        <Title text="Orders"/>
        <h1>"Orders"</h1>
        <form method="get" class="filters">
            <Field id="f-status" label="Status">
                <select id="f-status" name="status">
                    <option value="">"Any"</option>
                    {super::options(OrderStatus::ALL, OrderStatus::as_str, OrderStatus::label, query_param("status"))}
                </select></Field>
            <Field id="f-gateway" label="Gateway">
                <select id="f-gateway" name="gateway">
                    <option value="">"Any"</option>
                    {super::options(Gateway::ALL, Gateway::as_str, Gateway::label, query_param("gateway"))}
                </select></Field>
            <TextField id="f-from" name="from" label="From (YYYY-MM-DD)" value=query_param("from")/>
            <TextField id="f-until" name="until" label="Until (YYYY-MM-DD)" value=query_param("until")/>
            <TextField id="f-q" name="q" label="Search: order id, reference, buyer email or name" value=query_param("q")/>
            <button type="submit" class="button ghost">"Filter"</button>
        </form>
        // A refused filter (a malformed date) is said above an empty list, not as an error page.
        {settled(super::api::admin_orders(query_param("status"), query_param("gateway"), query_param("from"), query_param("until"), query_param("q"), query_param("before"), query_param("after")), move |r| match r {
                Err(err) => view! { <p class="notice error" role="alert">{err.to_string()}</p> }.into_any(),
                Ok(page) if page.rows.is_empty() => view! {
                    <p class="notice info">"No orders match."</p>
                    <crate::components::Pager newer=page.newer older=page.older/>
                }.into_any(),
                Ok(page) => view! {
                    <DataTable columns=const { &[Column::text("Order"), Column::text("Buyer"), Column::text("Product"), Column::text("Gateway"), Column::text("Created"), Column::num("Amount"), Column::text("Status")] }>
                            {page.rows.into_iter().map(|o| view! {
                                <tr>
                                    <td><a href=format!("/admin/orders/{}", o.public_id)>{o.public_id.clone()}</a></td>
                                    <td>{o.buyer_email.clone()}</td>
                                    <td>{o.product_name.clone()}</td>
                                    <td>{o.gateway.label()}</td>
                                    <td>{format_time(o.created_at)}</td>
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
        {move || query.read().get("refunded").map(|_| view! { <Notice message="Refund recorded: the member was told and access withdrawn."/> })}
        {move || query.read().get("done").and_then(|done| match done.as_str() {
            "resent" => Some("Delivery mail sent again."),
            "reinvited" => Some("A new GitHub invitation was sent, and the buyer mailed."),
            "revoked" => Some("Access withdrawn: the buyer was mailed the reason."),
            "restored" => Some("Access restored: it is delivered again, with its mail."),
            "handled" => Some("Marked as handled: the order keeps what it has."),
            "limit" => Some("Activation limit changed."),
            "progress" => Some("Progress posted: the customer was mailed your note."),
            "deactivated" => Some("Machine deactivated: the seat is free."),
            _ => None,
        }).map(|message| view! { <Notice message/> })}
        {loaded(super::api::admin_order(id), move |o| view! {
                    <Title text=format!("Order {}", o.public_id)/>
                    <p class="eyebrow">"Order " {o.public_id.clone()}</p>
                    <h1>{o.product_name.clone()}</h1>
                    <p>{status_badge(o.status)} " " {o.amount_label()} " · " {o.gateway.label()} " · " {o.buyer_email.clone()}</p>
                    {o.coupon_label().map(|l| view! { <p class="muted">{l}</p> })}
                    {o.staff_notice.clone().map(|notice| view! { <OrderNotice public_id=o.public_id.clone() notice/> })}
                    {matches!(o.status, OrderStatus::Paid | OrderStatus::Refunded).then(|| view! {
                        <p><a class="button ghost small" href=format!("/admin/orders/{}/receipt.pdf", o.public_id) download>"Receipt (PDF)"</a></p>
                    })}
                    <h2 class="h3">"Delivery"</h2>
                    <p>{o.delivery_kind.label()} ": " {o.delivery_status.map_or("not started", DeliveryStatus::as_str)}
                        {(!o.delivery_detail.is_empty()).then(|| view! { " — " {o.delivery_detail.clone()} })}</p>
                    {(o.delivery_kind == crate::domain::delivery::DeliveryKind::Manual).then(|| view! { <ServiceProgress public_id=o.public_id.clone()/> })}
                    {(o.delivery_status == Some(DeliveryStatus::Pending)).then(|| view! { <PostProgress public_id=o.public_id.clone()/> })}
                    {(o.delivery_status == Some(DeliveryStatus::Pending)).then(|| view! { <MarkDelivered public_id=o.public_id.clone()/> })}
                    {(o.status == OrderStatus::Paid).then(|| view! { <DeliveryActions order=o.clone()/> })}
                    {(o.delivery_kind == crate::domain::delivery::DeliveryKind::LicenseKey).then(|| view! { <OrderLicense public_id=o.public_id.clone()/> })}
                    {(o.status == OrderStatus::Paid).then(|| view! { <RecordRefund public_id=o.public_id.clone()/> })}
                    <h2 class="h3">"Payment events"</h2>
                    <DataTable columns=const { &[Column::text("When"), Column::text("Gateway"), Column::text("Outcome"), Column::text("Applied"), Column::text("Note"), Column::text("Raw")] }>
                            {o.events.iter().map(|e| view! {
                                <tr>
                                    <td>{format_time(e.at)}</td>
                                    <td>{e.gateway.clone()}</td>
                                    <td>{e.outcome.clone()}</td>
                                    <td>{if e.applied { "yes" } else { "no" }}</td>
                                    <td>{e.note.clone()}</td>
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
            view! { <p class="muted">"No progress posted yet: the customer sees \"Received\"."</p> }.into_any()
        } else {
            view! {
                <ol class="timeline">
                    {updates.into_iter().map(|u| view! {
                        <li><strong>{u.stage.label()}</strong> " · " {format_time(u.at)}<p>{u.note}</p></li>
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
            <Field id="progress-note" label="Progress note to the customer"
                hint=Some("Marks the service in progress; the customer reads it on their dashboard and by mail.")>
                <textarea id="progress-note" name="note" rows="3" required></textarea>
            </Field>
            <button type="submit" class="button">"Post progress"</button>
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
            None => view! { <p class="muted">"No license key yet."</p> }.into_any(),
            Some(mut l) => {
                let order = l.order_public_id.clone();
                let summary = format!("{} · {}", l.status_label(), l.seats_label());
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
                                        <button type="submit" class="button ghost small" aria-label=format!("Deactivate {label}")>"Deactivate"</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view();
                    view! { <DataTable columns=crate::components::license::MACHINE_COLUMNS>{rows}</DataTable> }
                });
                view! {
                    <section id="license" class="stack">
                        <h2 class="h3">"License key"</h2>
                        <p><code class="license-key">{l.license_key.clone()}</code> " · " {summary}</p>
                        {machines}
                        <ActionForm action=limit attr:class="inline-form">
                            <input type="hidden" name="public_id" value=order/>
                            <label for="activation-limit">"Activation limit"</label>
                            <input id="activation-limit" name="limit" type="number" min="1" max="1000" value=l.activation_limit required/>
                            <button type="submit" class="button ghost small">"Change"</button>
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
            <p>{notice}</p>
            <FormError action=dismiss/>
            <ActionForm action=dismiss attr:class="inline-form">
                <input type="hidden" name="public_id" value=public_id/>
                <button type="submit" class="button ghost small">"Mark as handled (keep access)"</button>
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
        "Resend the delivery mail with fresh download links"
    } else {
        "Resend the delivery mail"
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
                        <button type="submit" class="button ghost small">"Invite to GitHub again"</button>
                    </ActionForm>
                })}
            </div>
            <details class="card">
                <summary>"Withdraw access without a refund"</summary>
                <FormError action=revoke/>
                <ActionForm action=revoke attr:class="stack">
                    <input type="hidden" name="public_id" value=id3/>
                    <Field id="revoke-reason" label="Reason" hint=Some("The buyer sees it on the order and in a mail.")>
                        <input id="revoke-reason" name="reason" type="text" maxlength="300" required/>
                    </Field>
                    <button type="submit" class="button danger">"Withdraw access"</button>
                </ActionForm>
            </details>
        }
        .into_any(),
        Some(DeliveryStatus::Revoked) => view! {
            <FormError action=restore/>
            <ActionForm action=restore attr:class="inline-form">
                <input type="hidden" name="public_id" value=id/>
                <button type="submit" class="button primary small">"Restore access"</button>
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
            <summary>"Record a refund made in the gateway's dashboard"</summary>
            <FormError action/>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="public_id" value=public_id/>
                <Field id="refund-note" label="Where and reference"
                    hint=Some("The member is mailed and loses access, as with a refund the gateway reports.")>
                    <input id="refund-note" name="note" type="text" maxlength="500" required/>
                </Field>
                <button type="submit" class="button danger">"Record refund"</button>
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
            <Field id="delivery-message" label="Message to the customer"
                hint=Some("What you delivered and where to find it. It is mailed to the customer.")>
                <textarea id="delivery-message" name="message" rows="4" required></textarea>
            </Field>
            <button type="submit" class="primary">"Mark delivered"</button>
        </ActionForm>
    }
}
