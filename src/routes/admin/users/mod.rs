//! `/admin/users`: everyone with an account, searched and filtered; one person's
//! orders, subscriptions, deliveries and sessions, and what staff can do for them.

pub mod api;

use crate::components::{in_page_language, tr, tr_with, when};
use crate::components::{
    loaded, query_param, route_id, subscription_badge, Column, DataTable, Field, FormError, Notice, OrderTable,
    TextField,
};
use crate::domain::users::AccountState;
use crate::domain::Role;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const COLUMNS: &[Column] = &[
    Column::text("Name"),
    Column::text("Email"),
    Column::text("Role"),
    Column::text("State"),
    Column::num("Paid orders"),
    Column::text("Joined"),
];

fn state_badge(state: AccountState) -> impl IntoView {
    let class = match state {
        AccountState::Active => "badge ok",
        AccountState::Unverified => "badge",
        AccountState::Disabled => "badge danger",
    };
    view! { <span class=class>{in_page_language(state.label())}</span> }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <Title text=tr("adm-users")/>
        <h1>{tr("adm-users")}</h1>
        <NewAccount/>
        <form method="get" class="filters">
            <TextField id="f-q" name="q" label=tr("adm-name-or-email") value=query_param("q")/>
            <Field id="f-role" label=tr("adm-role")>
                <select id="f-role" name="role">
                    <option value="">{tr("adm-any")}</option>
                    {Role::ALL.iter().map(|r| view! {
                        <option value=r.as_str() selected=r.as_str() == query_param("role")>{in_page_language(r.label())}</option>
                    }).collect_view()}
                </select></Field>
            <Field id="f-state" label=tr("adm-state")>
                <select id="f-state" name="state">
                    <option value="">{tr("adm-any")}</option>
                    {AccountState::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=s.as_str() == query_param("state")>{in_page_language(s.label())}</option>
                    }).collect_view()}
                </select></Field>
            <button type="submit" class="button ghost">{tr("adm-filter")}</button>
        </form>
        {loaded(api::admin_users(query_param("q"), query_param("role"), query_param("state"), query_param("before"), query_param("after")), |page| if page.rows.is_empty() {
            view! {
                <p class="notice info">{tr("adm-nobody-matches")}</p>
                <crate::components::Pager newer=page.newer older=page.older/>
            }.into_any()
        } else {
            view! {
                <DataTable columns=COLUMNS>
                    {page.rows.into_iter().map(|u| view! {
                        <tr>
                            <td><a href=format!("/admin/users/{}", u.id)>{u.name.clone()}</a></td>
                            <td>{u.email.clone()}</td>
                            <td>{in_page_language(u.role.label())}</td>
                            <td>{state_badge(u.state)}</td>
                            <td class="num">{u.paid_orders}</td>
                            <td>{when(u.created_at)}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
                <crate::components::Pager newer=page.newer older=page.older/>
            }.into_any()
        })}
    }
}

/// Opens an account for someone; they choose their password through the mailed link.
#[component]
fn NewAccount() -> impl IntoView {
    let create = ServerAction::<api::CreateUser>::new();
    view! {
        <FormError action=create/>
        <details class="new-account" open=!crate::components::typed("email").is_empty()>
            <summary class="button ghost">{tr("adm-new-account")}</summary>
            <ActionForm action=create attr:class="stack admin-form">
                <TextField id="n-name" name="name" label=tr("adm-name") value=crate::components::typed("name") required=true maxlength=100/>
                <TextField id="n-email" name="email" label=tr("adm-email") value=crate::components::typed("email") kind="email" required=true/>
                <Field id="n-role" label=tr("adm-role")>
                    <select id="n-role" name="role">
                        {Role::ALL.iter().map(|r| view! { <option value=r.as_str()>{in_page_language(r.label())}</option> }).collect_view()}
                    </select></Field>
                <p class="muted small">{tr("adm-they-get-a-mail-with")}</p>
                <button type="submit" class="button">{tr("adm-open-the-account")}</button>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn UserDetailPage() -> impl IntoView {
    let query = use_query_map();
    let id = route_id();
    let role = ServerAction::<api::SetUserRole>::new();
    let disable = ServerAction::<api::SetUserDisabled>::new();
    let verify = ServerAction::<api::ResendVerification>::new();
    let reset = ServerAction::<api::SendPasswordReset>::new();
    let delete = ServerAction::<api::DeleteUser>::new();
    let done = move || {
        query.read().get("done").map(|what| {
            let message = match what.as_str() {
                "role" => tr("adm-role-changed-their-sessions-were"),
                "disabled" => tr("adm-account-disabled-every-session-was"),
                "enabled" => tr("adm-account-enabled-they-can-sign"),
                "verification" => tr("adm-a-new-confirmation-link-is"),
                "reset" => tr("adm-a-password-reset-link-is"),
                "created" => tr("adm-account-opened-a-link-to"),
                "deleted" => tr("adm-account-deleted-their-details-are"),
                _ => tr("adm-done"),
            };
            view! { <Notice message=message/> }
        })
    };
    view! {
        {done}
        <FormError action=role/>
        <FormError action=disable/>
        <FormError action=verify/>
        <FormError action=reset/>
        <FormError action=delete/>
        {loaded(api::admin_user(id), move |d| {
            let u = d.user.clone();
            let disabled = u.state == AccountState::Disabled;
            view! {
                <Title text=format!("{} · {}", u.name, tr("adm-users"))/>
                <p class="eyebrow"><a href="/admin/users">{tr("adm-users")}</a></p>
                <h1>{u.name.clone()}</h1>
                <p>{u.email.clone()} " · " {in_page_language(u.role.label())} " · " {state_badge(u.state)}
                    {format!(" · {}", tr_with("adm-joined", &[("at", &when(u.created_at))]))}</p>
                {d.disabled_reason.clone().map(|reason| view! { <p class="notice warning">{tr_with("adm-disabled-because", &[("reason", &reason)])}</p> })}

                <section class="section" aria-labelledby="actions-heading">
                    <h2 id="actions-heading">{tr("adm-actions")}</h2>
                    <div class="grid-2">
                        <ActionForm action=role attr:class="stack admin-form">
                            <input type="hidden" name="id" value=u.id/>
                            <Field id="new-role" label=tr("adm-role")>
                                <select id="new-role" name="role">
                                    {Role::ALL.iter().map(|r| view! {
                                        <option value=r.as_str() selected=*r == u.role>{in_page_language(r.label())}</option>
                                    }).collect_view()}
                                </select></Field>
                            <button type="submit" class="button">{tr("adm-change-role")}</button>
                        </ActionForm>
                        <ActionForm action=disable attr:class="stack admin-form">
                            <input type="hidden" name="id" value=u.id/>
                            <input type="hidden" name="disabled" value=(!disabled).to_string()/>
                            {(!disabled).then(|| view! {
                                <Field id="disable-reason" label=tr("adm-reason-kept-for-staff")>
                                    <input id="disable-reason" name="reason" type="text" maxlength="300" required/>
                                </Field>
                            })}
                            <button type="submit" class=if disabled { "button" } else { "button danger" }>
                                {if disabled { tr("adm-enable-the-account") } else { tr("adm-disable-the-account") }}
                            </button>
                        </ActionForm>
                    </div>
                    <div class="button-row">
                        {(u.state == AccountState::Unverified).then(|| view! {
                            <ActionForm action=verify attr:class="inline-form">
                                <input type="hidden" name="id" value=u.id/>
                                <button type="submit" class="button ghost">{tr("adm-resend-the-confirmation-mail")}</button>
                            </ActionForm>
                        })}
                        <ActionForm action=reset attr:class="inline-form">
                            <input type="hidden" name="id" value=u.id/>
                            <button type="submit" class="button ghost">{tr("adm-send-a-password-reset")}</button>
                        </ActionForm>
                    </div>
                    <details class="danger-zone">
                        <summary>{tr("adm-delete-the-account")}</summary>
                        <ActionForm action=delete attr:class="stack">
                            <input type="hidden" name="id" value=u.id/>
                            <p>{tr("adm-their-name-address-password-and")}</p>
                            <div class="field checkbox">
                                <input id="delete-understood" name="understood" type="checkbox"/>
                                <label for="delete-understood">{tr("adm-delete-this-account-for-good")}</label>
                            </div>
                            <button type="submit" class="button danger">{tr("adm-delete-the-account-2")}</button>
                        </ActionForm>
                    </details>
                </section>

                <section class="section" aria-labelledby="orders-heading">
                    <h2 id="orders-heading">{tr("adm-orders")}</h2>
                    {if d.orders.is_empty() {
                        view! { <p class="muted">{tr("adm-no-orders")}</p> }.into_any()
                    } else {
                        view! { <OrderTable orders=d.orders.clone() href_prefix="/admin/orders/"/> }.into_any()
                    }}
                </section>

                <section class="section" aria-labelledby="subs-heading">
                    <h2 id="subs-heading">{tr("adm-subscriptions")}</h2>
                    {if d.subscriptions.is_empty() {
                        view! { <p class="muted">{tr("adm-no-subscriptions")}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain-list">
                                {d.subscriptions.iter().map(|s| view! {
                                    <li><a href=format!("/admin/subscriptions/{}", s.public_id)>{format!("{} · {}", s.product_name, s.plan_name)}</a>
                                        " " {subscription_badge(s.status)} {format!(" · {}", tr_with("adm-period-ends", &[("at", &when(s.current_period_end))]))}</li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>

                <section class="section" aria-labelledby="owned-heading">
                    <h2 id="owned-heading">{tr("adm-deliveries")}</h2>
                    {if d.owned.is_empty() {
                        view! { <p class="muted">{tr("adm-nothing-delivered")}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain-list">
                                {d.owned.iter().map(|item| view! {
                                    <li>{format!("{} · {} · {}", item.product_name, in_page_language(item.delivery_kind.label()), item.state_label())}</li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>

                <section class="section" aria-labelledby="sessions-heading">
                    <h2 id="sessions-heading">{tr("adm-sessions")}</h2>
                    <p>{match d.sessions.len() {
                        0 => tr("adm-not-signed-in-anywhere").to_owned(),
                        1 => tr("adm-signed-in-on-1-device").to_owned(),
                        n => tr_with("adm-signed-in-on-n", &[("n", &n.to_string())]),
                    }}</p>
                    {(!d.sessions.is_empty()).then(|| view! {
                        <ul class="plain-list">
                            {d.sessions.iter().map(|t| view! { <li>{tr_with("adm-session-until", &[("at", &when(*t))])}</li> }).collect_view()}
                        </ul>
                    })}
                </section>
            }
        })}
    }
}
