//! `/client`: an agency client's projects, deliverables, invoices and messages.

pub mod api;

use crate::components::{AreaLayout, NavLink};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;

const NAV: &[NavLink] = &[NavLink { href: "/client", label: "Overview" }];

#[component]
pub fn ClientLayout() -> impl IntoView {
    view! {
        <AreaLayout title="Client portal" links=NAV>
            <Outlet/>
        </AreaLayout>
    }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <Title text="Client portal"/>
        <h1>"Your projects"</h1>
        <p class="lead">"Milestones, deliverables and invoices for your projects will appear here."</p>
    }
}
