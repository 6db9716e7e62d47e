//! `/dashboard`: a member's orders, downloads, keys and subscriptions.

pub mod api;

use crate::components::{AreaLayout, NavLink};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;

const NAV: &[NavLink] = &[NavLink { href: "/dashboard", label: "Overview" }];

#[component]
pub fn DashboardLayout() -> impl IntoView {
    view! {
        <AreaLayout title="Dashboard" links=NAV>
            <Outlet/>
        </AreaLayout>
    }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <Title text="Dashboard"/>
        <h1>"Your dashboard"</h1>
        <p class="lead">"Your orders, downloads and license keys will appear here."</p>
    }
}
