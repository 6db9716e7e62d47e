//! `/client`: an agency client's projects, deliverables, invoices and messages.

pub mod api;

use crate::components::{AreaLayout, NavLink};
use crate::domain::Area;
use leptos::prelude::*;
use leptos_meta::Title;

const NAV: &[NavLink] = &[NavLink { href: "/client", label: "Projects" }];

#[component]
pub fn ClientLayout() -> impl IntoView {
    view! { <AreaLayout area=Area::Client title="Client portal" links=NAV/> }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let client = Resource::new(|| (), |_| api::client_overview());
    let projects = Resource::new(|| (), |_| api::client_projects());
    view! {
        <Title text="Client portal"/>
        {crate::components::loaded(client, move |c| match c {
            Some(c) => view! {
                <p class="eyebrow">{c.name.clone()}</p>
                <h1>"Your projects"</h1>
                <p class="lead">"Milestones, deliverables and invoices for your projects will appear here."</p>
                {crate::components::loaded(projects, |list| if list.is_empty() {
                    view! { <p class="muted">"No projects yet."</p> }.into_any()
                } else {
                    view! { <ul class="project-list">{list.into_iter().map(|p| view! {
                        <li><a href=format!("/client/projects/{}", p.id)>{p.name.clone()}</a> " · " {p.status.label()}</li>
                    }).collect_view()}</ul> }.into_any()
                })}
                <h2 class="h3">{format!("People at {}", c.name)}</h2>
                <ul>{c.people.iter().map(|p| view! { <li>{format!("{} <{}>", p.name, p.email)}</li> }).collect_view()}</ul>
            }.into_any(),
            None => view! {
                <h1>"Your projects"</h1>
                <p class="lead">"Your account is not linked to a client yet: the studio will add you to your company's portal."</p>
            }.into_any(),
        })}
    }
}

#[component]
pub fn ProjectPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let id = move || params.read().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0);
    let project = Resource::new(id, api::client_project);
    view! {
        {crate::components::loaded(project, |p| view! {
            <Title text=p.name.clone()/>
            <p class="eyebrow">{format!("{} · {}", p.client_name, p.status.label())}</p>
            <h1>{p.name.clone()}</h1>
            <div class="prose-body" inner_html=p.description_html.clone()></div>
            <h2 class="h3">"Milestones"</h2>
            {if p.milestones.is_empty() {
                view! { <p class="muted">"The studio has not planned the milestones yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="milestones">{p.milestones.iter().map(|m| view! {
                        <li>
                            <strong>{m.title.clone()}</strong>
                            {format!(" · {} · {}", m.status.label(), m.amount_label())}
                            {m.due_on.map(|d| format!(" · due {}", crate::domain::time::iso_date(d)))}
                        </li>
                    }).collect_view()}</ol>
                }.into_any()
            }}
            <p><a href="/client">"All projects"</a></p>
        })}
    }
}
