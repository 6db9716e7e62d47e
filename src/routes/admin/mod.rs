//! `/admin`: the studio's back office (staff only).

pub mod analytics;
pub mod api;
pub mod billing;
pub mod clients;
pub mod content;
pub mod coupons;
pub mod inbox;
pub mod jobs;
pub mod orders;
pub mod overview;
pub mod product_files;
pub mod products;
pub mod projects;
pub mod settings;
pub mod subscriptions;
pub mod uploads;
pub mod users;
pub mod waitlist;

pub use analytics::AnalyticsPage;
pub use billing::InvoicesPage;
pub use clients::{ClientDetailPage, ClientsPage};
pub use content::{EntriesPage, EntryEditPage};
pub use coupons::CouponsPage;
pub use inbox::ContactsPage;
pub use jobs::JobsPage;
pub use orders::{OrderDetailPage, OrdersPage};
pub use overview::{AuditPage, OverviewPage};
pub use products::{ProductEditPage, ProductsPage};
pub use projects::{ProjectDetailPage, ProjectsPage};
pub use settings::{SettingsData, SettingsPage};
pub use subscriptions::{SubscriptionDetailPage, SubscriptionsPage};
pub use uploads::UploadsPage;
pub use users::{UserDetailPage, UsersPage};
pub use waitlist::WaitlistPage;

use crate::components::{AreaLayout, NavLink};
use crate::domain::Area;
use leptos::prelude::*;

const NAV: &[NavLink] = &[
    NavLink { href: "/admin", label: "Overview" },
    NavLink { href: "/admin/posts", label: "Posts" },
    NavLink { href: "/admin/pages", label: "Pages" },
    NavLink { href: "/admin/portfolio", label: "Portfolio" },
    NavLink { href: "/admin/products", label: "Products" },
    NavLink { href: "/admin/orders", label: "Orders" },
    NavLink { href: "/admin/analytics", label: "Analytics" },
    NavLink { href: "/admin/subscriptions", label: "Subscriptions" },
    NavLink { href: "/admin/users", label: "Users" },
    NavLink { href: "/admin/clients", label: "Clients" },
    NavLink { href: "/admin/projects", label: "Projects" },
    NavLink { href: "/admin/invoices", label: "Invoices" },
    NavLink { href: "/admin/waitlist", label: "Waitlist" },
    NavLink { href: "/admin/coupons", label: "Coupons" },
    NavLink { href: "/admin/contacts", label: "Messages" },
    NavLink { href: "/admin/uploads", label: "Images" },
    NavLink { href: "/admin/jobs", label: "Jobs" },
    NavLink { href: "/admin/settings", label: "Settings" },
];

#[component]
pub fn AdminLayout(page: fn() -> AnyView) -> impl IntoView {
    view! { <AreaLayout area=Area::Admin title="Admin" links=NAV page/> }
}

/// The `<option>`s of a filter, the one chosen selected (the order and product lists).
pub(crate) fn options<T: Copy + 'static>(
    all: &'static [T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    selected: String,
) -> impl IntoView {
    all.iter()
        .map(|item| {
            let v = value(*item);
            view! { <option value=v selected=v == selected>{label(*item)}</option> }
        })
        .collect_view()
}
