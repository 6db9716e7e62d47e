//! `/client`: an agency client's projects, deliverables, invoices and messages.

pub mod api;

use crate::components::{AreaLayout, NavLink};
use crate::domain::Area;
use leptos::prelude::*;
use leptos_meta::Title;

const NAV: &[NavLink] = &[NavLink { href: "/client", label: "Overview" }];

#[component]
pub fn ClientLayout() -> impl IntoView {
    view! { <AreaLayout area=Area::Client title="Client portal" links=NAV/> }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let client = Resource::new(|| (), |_| api::client_overview());
    view! {
        <Title text="Client portal"/>
        {crate::components::loaded(client, |c| match c {
            Some(c) => view! {
                <p class="eyebrow">{c.name.clone()}</p>
                <h1>"Your projects"</h1>
                <p class="lead">"Milestones, deliverables and invoices for your projects will appear here."</p>
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
