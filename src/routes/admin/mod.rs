//! `/admin`: the studio's back office (staff only).

pub mod analytics;
pub mod api;
pub mod billing;
pub mod clients;
pub mod content;
pub mod coupons;
pub mod home;
pub mod inbox;
pub mod jobs;
pub mod navigation;
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
pub mod webhooks;

pub use analytics::AnalyticsPage;
pub use billing::InvoicesPage;
pub use clients::{ClientDetailPage, ClientsPage};
pub use content::{EntriesPage, EntryEditPage};
pub use coupons::CouponsPage;
pub use home::HomeEditorPage;
pub use inbox::ContactsPage;
pub use jobs::JobsPage;
pub use navigation::NavigationPage;
pub use orders::{OrderDetailPage, OrdersPage};
pub use overview::{AuditPage, OverviewPage};
pub use products::{ProductEditPage, ProductsPage};
pub use projects::{ProjectDetailPage, ProjectsPage};
pub use settings::{SettingsData, SettingsPage};
pub use subscriptions::{SubscriptionDetailPage, SubscriptionsPage};
pub use uploads::UploadsPage;
pub use users::{UserDetailPage, UsersPage};
pub use waitlist::WaitlistPage;
pub use webhooks::{WebhookDetailPage, WebhooksPage};

use crate::components::{in_page_language_static, tr, tr_with};
use crate::components::{AreaLayout, NavLink};
use crate::domain::Area;
use leptos::prelude::*;

const NAV: &[NavLink] = &[
    NavLink::new("/admin", "Overview"),
    NavLink::in_group("Content", "/admin/home", "Home page"),
    NavLink::in_group("Content", "/admin/navigation", "Navigation"),
    NavLink::in_group("Content", "/admin/posts", "Posts"),
    NavLink::in_group("Content", "/admin/pages", "Pages"),
    NavLink::in_group("Content", "/admin/portfolio", "Portfolio"),
    NavLink::in_group("Content", "/admin/tools", "Tools"),
    NavLink::in_group("Content", "/admin/demos", "Demos"),
    NavLink::in_group("Content", "/admin/resources", "Resources"),
    NavLink::in_group("Content", "/admin/uploads", "Images"),
    NavLink::in_group("Sales", "/admin/products", "Products"),
    NavLink::in_group("Sales", "/admin/orders", "Orders"),
    NavLink::in_group("Sales", "/admin/subscriptions", "Subscriptions"),
    NavLink::in_group("Sales", "/admin/coupons", "Coupons"),
    NavLink::in_group("Sales", "/admin/waitlist", "Waitlist"),
    NavLink::in_group("Sales", "/admin/analytics", "Analytics"),
    NavLink::in_group("Clients", "/admin/clients", "Clients"),
    NavLink::in_group("Clients", "/admin/projects", "Projects"),
    NavLink::in_group("Clients", "/admin/invoices", "Invoices"),
    NavLink::in_group("People", "/admin/users", "Users"),
    NavLink::in_group("People", "/admin/contacts", "Messages"),
    NavLink::in_group("System", "/admin/jobs", "Jobs"),
    NavLink::in_group("System", "/admin/webhooks", "Webhooks"),
    NavLink::in_group("System", "/admin/audit", "Audit log"),
    NavLink::in_group("System", "/admin/settings", "Settings"),
];

#[component]
pub fn AdminLayout(page: fn() -> AnyView) -> impl IntoView {
    view! { <AreaLayout area=Area::Admin title=tr("adm-admin") links=NAV page/> }
}

/// The language a staff form names (`lang`, of a page the site shows in both: the home
/// page, the menus): `None` for what the studio wrote in its own language, the other
/// language for its version there; anything else is refused.
#[cfg(feature = "ssr")]
pub(crate) async fn version_named(lang: &str) -> Result<Option<crate::domain::Lang>, crate::error::AppError> {
    let site = crate::server::state()?.site_languages().await?;
    match lang.trim() {
        "" => Ok(None),
        raw => match crate::domain::Lang::parse(raw) {
            Some(lang) if lang == site.default => Ok(None),
            Some(lang) => Ok(Some(lang)),
            None => Err(crate::error::AppError::validation("Choose Bahasa Indonesia or English.")),
        },
    }
}

/// The other language a deletion of a version names (`lang`): the studio's own page
/// has no version to delete, and anything else is refused.
#[cfg(feature = "ssr")]
pub(crate) async fn other_version_named(lang: &str) -> Result<crate::domain::Lang, crate::error::AppError> {
    version_named(lang).await?.ok_or_else(|| crate::error::AppError::validation("Choose Bahasa Indonesia or English."))
}

/// An editor's two languages: what staff wrote (in the studio's language) at `base`,
/// and its version in the other at `base?lang=..`.
#[component]
pub(crate) fn VersionTabs(base: String, translation: bool) -> impl IntoView {
    let site = crate::components::site_languages();
    view! {
        <nav class="tabs" aria-label=tr("adm-language-of-the-version")>
            <a href=base.clone() aria-current=(!translation).then_some("page")>{tr_with("adm-as-written", &[("lang", in_page_language_static(site.default.label()))])}</a>
            <a href=format!("{base}?lang={}", site.other()) aria-current=translation.then_some("page")>{site.other().label()}</a>
        </nav>
    }
}

/// A deletion behind a `<details>`: `summary` opens it, `explain` says what follows,
/// `button` posts `id` to `action`'s server function (its refusal shown above it).
/// Admin pages render on the server only, so a plain form is what `ActionForm` writes.
#[component]
pub(crate) fn DeleteZone<S>(
    action: ServerAction<S>,
    id: i64,
    summary: &'static str,
    explain: &'static str,
    button: &'static str,
) -> impl IntoView
where
    S: leptos::server_fn::ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    view! {
        <details class="danger-zone">
            <summary>{summary}</summary>
            <crate::components::FormError action/>
            <form method="post" action=S::url()>
                <input type="hidden" name="id" value=id/>
                <p>{explain}</p>
                <button type="submit" class="button danger">{button}</button>
            </form>
        </details>
    }
}

/// Deleting a page's version in the other language (the home page's, the menus'),
/// behind a `<details>`: `lang` posted to `action`'s server function, `explain` saying
/// what visitors see then.
#[component]
pub(crate) fn DeleteVersion<S>(action: ServerAction<S>, lang: &'static str, explain: &'static str) -> impl IntoView
where
    S: leptos::server_fn::ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    view! {
        <details class="danger-zone">
            <summary>{tr("adm-delete-this-translation")}</summary>
            <crate::components::FormError action/>
            <form method="post" action=S::url()>
                <input type="hidden" name="lang" value=lang/>
                <p>{explain}</p>
                <button type="submit" class="button danger">{tr("adm-delete-the-translation")}</button>
            </form>
        </details>
    }
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
            view! { <option value=v selected=v == selected>{crate::components::in_page_language(label(*item))}</option> }
        })
        .collect_view()
}
