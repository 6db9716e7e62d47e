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
    view! {
        <Title text="Client portal"/>
        <h1>"Your projects"</h1>
        <p class="lead">"Milestones, deliverables and invoices for your projects will appear here."</p>
    }
}
