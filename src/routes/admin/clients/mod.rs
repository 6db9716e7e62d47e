//! `/admin/clients`: the agency's clients and their people.

pub mod api;

use crate::components::{in_page_language, tr, when};
use crate::components::{loaded, query_param, route_id, Column, DataTable, Field, FormError, Notice, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ClientsPage() -> impl IntoView {
    let create = ServerAction::<api::CreateClient>::new();
    view! {
        <Title text=tr("adm-clients")/>
        <h1>{tr("adm-clients")}</h1>
        <form method="get" class="filters">
            <TextField id="f-q" name="q" label=tr("adm-name") value=query_param("q")/>
            <button type="submit">{tr("adm-search")}</button>
        </form>
        {loaded(api::admin_clients(query_param("q"), query_param("before"), query_param("after")), |page| if page.rows.is_empty() {
            let empty = if query_param("q").is_empty() {
                tr("adm-no-clients-yet-create-one")
            } else {
                tr("adm-no-client-s-name-matches")
            };
            view! { <p class="notice info">{empty}</p> }.into_any()
        } else {
            view! {
                <DataTable columns=const { &[Column::text("Client"), Column::num("People"), Column::text("Since")] }>
                    {page.rows.into_iter().map(|c| view! {
                        <tr>
                            <td><a href=format!("/admin/clients/{}", c.id)>{c.name.clone()}</a></td>
                            <td class="num">{c.people}</td>
                            <td>{when(c.created_at)}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
                <crate::components::Pager newer=page.newer older=page.older/>
            }.into_any()
        })}
        <h2 class="h3">{tr("adm-new-client")}</h2>
        <FormError action=create/>
        <ActionForm action=create attr:class="stack narrow-form">
            <TextField id="cl-name" name="name" label=tr("adm-company-name") value="" required=true maxlength=120/>
            <Field id="cl-address" label=tr("adm-billing-address")>
                <textarea id="cl-address" name="billing_address" rows="3"></textarea></Field>
            <TextField id="cl-tax" name="tax_id" label=tr("adm-tax-id-npwp-optional") value="" maxlength=40/>
            <button type="submit" class="primary">{tr("adm-create-client")}</button>
        </ActionForm>
    }
}

#[component]
pub fn ClientDetailPage() -> impl IntoView {
    let id = route_id();
    let invite = ServerAction::<api::InviteClientPerson>::new();
    let remove = ServerAction::<api::RemoveClientPerson>::new();
    let language = ServerAction::<api::ClientLanguage>::new();
    let query = use_query_map();
    view! {
        {move || query.read().get("invited").map(|_| view! { <Notice message=tr("adm-invitation-sent")/> })}
        {move || query.read().get("removed").map(|_| view! { <Notice message=tr("adm-removed-their-sessions-have-ended")/> })}
        {move || query.read().get("language").map(|_| view! { <Notice message=tr("adm-saved-its-invoices-print-in")/> })}
        {loaded(api::admin_client(id), move |c| view! {
            <Title text=format!("{} · {}", c.name, tr("adm-clients"))/>
            <p class="eyebrow">{tr("adm-client")}</p>
            <h1>{c.name.clone()}</h1>
            {(!c.billing_address.is_empty()).then(|| view! { <p class="muted pre">{c.billing_address.clone()}</p> })}
            {(!c.tax_id.is_empty()).then(|| view! { <p class="muted">{tr("adm-npwp")} " " {c.tax_id.clone()}</p> })}
            <FormError action=language/>
            <ActionForm action=language attr:class="inline-form">
                <input type="hidden" name="client_id" value=c.id/>
                <label for="client-language">{tr("adm-invoices-in")}</label>
                <select id="client-language" name="language">
                    {crate::domain::Lang::ALL.iter().map(|l| view! {
                        <option value=l.as_str() selected=*l == c.lang lang=l.as_str()>{in_page_language(l.label())}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="ghost small">{tr("adm-save")}</button>
            </ActionForm>
            <h2 class="h3">{tr("adm-people")}</h2>
            <FormError action=remove/>
            {if c.people.is_empty() {
                view! { <p class="muted">{tr("adm-nobody-yet-invite-the-client")}</p> }.into_any()
            } else {
                view! {
                    <DataTable columns=const { &[Column::text("Name"), Column::text("Email"), Column::text("State"), Column::text("")] }>
                        {c.people.iter().map(|p| {
                            let (client_id, user_id) = (c.id, p.user_id);
                            view! {
                                <tr>
                                    <td>{p.name.clone()}</td>
                                    <td>{p.email.clone()}</td>
                                    <td>{if p.active { tr("adm-active") } else { tr("adm-invited") }}</td>
                                    <td>
                                        <ActionForm action=remove attr:class="inline-form">
                                            <input type="hidden" name="client_id" value=client_id/>
                                            <input type="hidden" name="user_id" value=user_id/>
                                            <button type="submit" class="ghost small">{tr("adm-remove")}</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
            <h2 class="h3">{tr("adm-invite-someone")}</h2>
            <FormError action=invite/>
            <ActionForm action=invite attr:class="stack narrow-form">
                <input type="hidden" name="client_id" value=c.id/>
                <TextField id="inv-name" name="name" label=tr("adm-name") value="" required=true maxlength=100/>
                <TextField id="inv-email" name="email" label=tr("adm-email") value="" required=true kind="email"
                    hint=Some(tr("adm-they-get-a-link-to"))/>
                <button type="submit" class="primary">{tr("adm-invite")}</button>
            </ActionForm>
            <super::projects::NewProjectFor client_id=c.id/>
        })}
    }
}
