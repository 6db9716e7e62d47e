//! `/admin`: the studio's back office (staff only).

pub mod api;

use crate::components::{AreaLayout, NavLink};
use crate::domain::Area;
use leptos::prelude::*;
use leptos_meta::Title;

const NAV: &[NavLink] = &[NavLink { href: "/admin", label: "Overview" }];

#[component]
pub fn AdminLayout() -> impl IntoView {
    view! { <AreaLayout area=Area::Admin title="Admin" links=NAV/> }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <Title text="Admin"/>
        <h1>"Studio overview"</h1>
        <p class="lead">"Orders, content and clients at a glance."</p>
    }
}
