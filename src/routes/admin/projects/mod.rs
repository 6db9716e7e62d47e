//! `/admin/projects`: client projects and their milestones.

pub mod api;

use crate::components::{in_page_language, tr, tr_with};
use crate::components::{loaded, query_param, route_id, Column, DataTable, Field, FormError, Notice, TextField};
use crate::domain::projects::{MilestoneStatus, ProjectStatus};
use crate::domain::time::iso_date;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ProjectsPage() -> impl IntoView {
    view! {
        <Title text=tr("adm-projects")/>
        <h1>{tr("adm-projects")}</h1>
        {loaded(api::admin_projects(query_param("before"), query_param("after")), move |page| view! {
            {if page.rows.is_empty() && page.newer.is_none() {
                view! { <p class="notice info">{tr("adm-no-projects-yet")}</p> }.into_any()
            } else {
                let (newer, older, projects) = (page.newer, page.older, page.rows);
                view! {
                    <DataTable columns=const { &[Column::text("Project"), Column::text("Client"), Column::text("Status"), Column::num("Milestones")] }>
                        {projects.iter().map(|p| view! {
                            <tr>
                                <td><a href=format!("/admin/projects/{}", p.id)>{p.name.clone()}</a></td>
                                <td>{p.client_name.clone()}</td>
                                <td>{in_page_language(p.status.label())}
                                    {(p.unread > 0).then(|| view! { " " <span class="badge">{if p.unread == 1 { tr("adm-one-new-message").to_owned() } else { tr_with("adm-new-messages", &[("n", &p.unread.to_string())]) }}</span> })}
                                </td>
                                <td class="num">{p.milestones.len()}</td>
                            </tr>
                        }).collect_view()}
                    </DataTable>
                    <crate::components::Pager newer older/>
                }.into_any()
            }}
            <p class="muted">{tr("adm-a-new-project-starts-from")} " "<a href="/admin/clients">{tr("adm-clients")}</a>"."</p>
        })}
    }
}

#[component]
fn ProjectFields(
    name: String,
    description: String,
    status: ProjectStatus,
    starts: String,
    ends: String,
) -> impl IntoView {
    view! {
        <TextField id="p-name" name="name" label=tr("adm-name") value=name required=true maxlength=150/>
        <Field id="p-description" label=tr("adm-description-markdown")>
            <textarea id="p-description" name="description_md" rows="5">{description}</textarea></Field>
        <Field id="p-status" label=tr("adm-status")>
            <select id="p-status" name="status">
                {ProjectStatus::ALL.iter().map(|s| view! { <option value=s.as_str() selected=*s == status>{in_page_language(s.label())}</option> }).collect_view()}
            </select></Field>
        <TextField id="p-starts" name="starts_on" label=tr("adm-starts-optional") value=starts kind="date"/>
        <TextField id="p-ends" name="ends_on" label=tr("adm-ends-optional") value=ends kind="date"/>
    }
}

#[component]
pub fn ProjectDetailPage() -> impl IntoView {
    let id = route_id();
    let save = ServerAction::<api::SaveProject>::new();
    let add = ServerAction::<api::AddMilestone>::new();
    let set = ServerAction::<api::SetMilestoneStatus>::new();
    let query = use_query_map();
    view! {
        {move || query.read().get("saved").map(|_| view! { <Notice message=tr("adm-saved")/> })}
        {loaded(api::admin_project(id), move |p| {
            let date = |d: Option<i64>| d.map(iso_date).unwrap_or_default();
            let whole = p.clone();
            view! {
                <Title text=format!("{} · {}", p.name, tr("adm-projects"))/>
                <p class="eyebrow">{tr_with("adm-project-for", &[("client", &p.client_name)])}</p>
                <h1>{p.name.clone()}</h1>
                <h2 class="h3">{tr("adm-milestones")}</h2>
                <FormError action=set/>
                {if p.milestones.is_empty() {
                    view! { <p class="muted">{tr("adm-no-milestones-yet")}</p> }.into_any()
                } else {
                    view! {
                        <DataTable columns=const { &[Column::text("Milestone"), Column::text("Due"), Column::num("Amount"), Column::text("Status")] }>
                            {p.milestones.iter().map(|m| {
                                let (project_id, milestone_id, current) = (p.id, m.id, m.status);
                                view! {
                                    <tr>
                                        <td>{m.title.clone()}</td>
                                        <td>{m.due_on.map(iso_date).unwrap_or_default()}</td>
                                        <td class="num">{m.amount_label()}</td>
                                        <td>
                                            <ActionForm action=set attr:class="inline-form">
                                                <input type="hidden" name="project_id" value=project_id/>
                                                <input type="hidden" name="id" value=milestone_id/>
                                                <label class="sr-only" for=format!("ms-{milestone_id}")>{tr("adm-status")}</label>
                                                <select id=format!("ms-{milestone_id}") name="status">
                                                    {MilestoneStatus::ALL.iter().map(|s| view! { <option value=s.as_str() selected=*s == current>{in_page_language(s.label())}</option> }).collect_view()}
                                                </select>
                                                <button type="submit" class="ghost small">{tr("adm-set")}</button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </DataTable>
                    }.into_any()
                }}
                <FormError action=add/>
                <ActionForm action=add attr:class="stack narrow-form">
                    <input type="hidden" name="project_id" value=p.id/>
                    <TextField id="m-title" name="title" label=tr("adm-milestone") value="" required=true maxlength=150/>
                    <TextField id="m-due" name="due_on" label=tr("adm-due-optional") value="" kind="date"/>
                    <TextField id="m-amount" name="amount" label=tr("adm-amount-idr") value="" inputmode="numeric"/>
                    <button type="submit" class="primary">{tr("adm-add-milestone")}</button>
                </ActionForm>
                <h2 class="h3">{tr("adm-project")}</h2>
                <FormError action=save/>
                <ActionForm action=save attr:class="stack narrow-form">
                    <input type="hidden" name="id" value=p.id/>
                    <input type="hidden" name="client_id" value=p.client_id/>
                    <ProjectFields name=p.name.clone() description=p.description_md.clone() status=p.status
                        starts=date(p.starts_on) ends=date(p.ends_on)/>
                    <button type="submit" class="primary">{tr("adm-save-project")}</button>
                </ActionForm>
                {loaded(super::billing::api::project_billing(id, query_param("before").parse().ok()), move |b| view! { <super::billing::ProjectBilling project=whole.clone() billing=b/> })}
            }
        })}
    }
}

/// A new project for one client (on the client's page).
#[component]
pub fn NewProjectFor(client_id: i64) -> impl IntoView {
    let save = ServerAction::<api::SaveProject>::new();
    view! {
        <h2 class="h3">{tr("adm-new-project")}</h2>
        <FormError action=save/>
        <ActionForm action=save attr:class="stack narrow-form">
            <input type="hidden" name="client_id" value=client_id/>
            <TextField id="np-name" name="name" label=tr("adm-project-name") value=crate::components::typed("name") required=true maxlength=150/>
            <Field id="np-status" label=tr("adm-status")>
                <select id="np-status" name="status">
                    {ProjectStatus::ALL.iter().map(|s| view! { <option value=s.as_str() selected=*s == ProjectStatus::Proposal>{in_page_language(s.label())}</option> }).collect_view()}
                </select></Field>
            <p class="muted small">{tr("adm-description-dates-and-milestones-on")}</p>
            <button type="submit" class="primary">{tr("adm-create-project")}</button>
        </ActionForm>
    }
}
