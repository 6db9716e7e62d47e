//! `/dashboard`: a member's orders, downloads, keys and subscriptions.

pub mod api;

use crate::components::{AreaLayout, NavLink};
use crate::domain::Area;
use leptos::prelude::*;
use leptos_meta::Title;

const NAV: &[NavLink] = &[NavLink { href: "/dashboard", label: "Overview" }];

#[component]
pub fn DashboardLayout() -> impl IntoView {
    view! { <AreaLayout area=Area::Dashboard title="Dashboard" links=NAV/> }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <Title text="Dashboard"/>
        <h1>"Your dashboard"</h1>
        <p class="lead">"Your orders, downloads and license keys will appear here."</p>
    }
}
