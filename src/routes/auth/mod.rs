//! Sign-in, registration and password recovery.

pub mod api;

use crate::components::{Brand, Notice};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;

/// A quiet, centred layout for the account forms.
#[component]
pub fn AuthLayout() -> impl IntoView {
    view! {
        <div class="auth-shell">
            <header class="auth-header"><Brand/></header>
            <main id="main" class="auth-card">
                <Outlet/>
            </main>
            <p class="auth-footer muted"><a href="/">"← Back to the site"</a></p>
        </div>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    view! {
        <Title text="Sign in"/>
        <h1>"Sign in"</h1>
        <Notice message="Member accounts are being set up. Please check back soon."/>
    }
}
