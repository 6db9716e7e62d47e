//! The private areas' pages (`/dashboard`, `/client`, `/admin`), routed by axum
//! rather than by the Leptos router: the router rebuilt its route tree, its location
//! and its matched-route contexts for every request, ~15 % of a fresh private page's
//! CPU, to find a page axum had already found. Each page is registered with axum
//! from [`PAGES`] (`startup::router`), and [`render`] renders the one the request
//! asked for inside its area's layout, with the route and query parameters the
//! pages read (`components::route_param`, `use_query_map`).

use crate::components::{NotFound, RouteParams};
use crate::domain::content::EntryKind;
use crate::domain::Area;
use crate::routes::{admin, client, dashboard};
use leptos::prelude::*;
use leptos_router::params::ParamsMap;

/// A page of a private area: its path as axum writes it (`/admin/orders/{id}`) and
/// what renders it.
pub struct AreaPage {
    pub path: &'static str,
    view: fn() -> AnyView,
}

const fn page(path: &'static str, view: fn() -> AnyView) -> AreaPage {
    AreaPage { path, view }
}

/// Every page of the three areas. A path is matched against them in order, so
/// `/admin/products/new` comes before `/admin/products/{id}`.
pub const PAGES: &[AreaPage] = &[
    page("/dashboard", || view! { <dashboard::OverviewPage/> }.into_any()),
    page("/dashboard/orders", || view! { <dashboard::OrdersPage/> }.into_any()),
    page("/dashboard/orders/{id}", || view! { <dashboard::OrderDetailPage/> }.into_any()),
    page("/dashboard/downloads", || view! { <dashboard::DownloadsPage/> }.into_any()),
    page("/dashboard/subscriptions", || view! { <dashboard::SubscriptionsPage/> }.into_any()),
    page("/dashboard/tools", || view! { <dashboard::ToolsPage/> }.into_any()),
    page("/dashboard/profile", || view! { <dashboard::ProfilePage/> }.into_any()),
    page("/client", || view! { <client::OverviewPage/> }.into_any()),
    page("/client/projects/{id}", || view! { <client::ProjectPage/> }.into_any()),
    page("/client/invoices", || view! { <client::InvoicesPage/> }.into_any()),
    page("/client/invoices/{id}", || view! { <client::InvoicePage/> }.into_any()),
    page("/admin", || view! { <admin::OverviewPage/> }.into_any()),
    page("/admin/subscriptions", || view! { <admin::SubscriptionsPage/> }.into_any()),
    page("/admin/subscriptions/{id}", || view! { <admin::SubscriptionDetailPage/> }.into_any()),
    page("/admin/users", || view! { <admin::UsersPage/> }.into_any()),
    page("/admin/users/{id}", || view! { <admin::UserDetailPage/> }.into_any()),
    page("/admin/products", || view! { <admin::ProductsPage/> }.into_any()),
    page("/admin/products/new", || view! { <admin::ProductEditPage/> }.into_any()),
    page("/admin/products/{id}", || view! { <admin::ProductEditPage/> }.into_any()),
    page("/admin/posts", || view! { <admin::EntriesPage kind=EntryKind::Post/> }.into_any()),
    page("/admin/posts/{id}", || view! { <admin::EntryEditPage kind=EntryKind::Post/> }.into_any()),
    page("/admin/pages", || view! { <admin::EntriesPage kind=EntryKind::Page/> }.into_any()),
    page("/admin/pages/{id}", || view! { <admin::EntryEditPage kind=EntryKind::Page/> }.into_any()),
    page("/admin/portfolio", || view! { <admin::EntriesPage kind=EntryKind::CaseStudy/> }.into_any()),
    page("/admin/portfolio/{id}", || view! { <admin::EntryEditPage kind=EntryKind::CaseStudy/> }.into_any()),
    page("/admin/demos", || view! { <admin::EntriesPage kind=EntryKind::Demo/> }.into_any()),
    page("/admin/demos/{id}", || view! { <admin::EntryEditPage kind=EntryKind::Demo/> }.into_any()),
    page("/admin/resources", || view! { <admin::EntriesPage kind=EntryKind::Resource/> }.into_any()),
    page("/admin/resources/{id}", || view! { <admin::EntryEditPage kind=EntryKind::Resource/> }.into_any()),
    page("/admin/tools", || view! { <admin::EntriesPage kind=EntryKind::Tool/> }.into_any()),
    page("/admin/tools/{id}", || view! { <admin::EntryEditPage kind=EntryKind::Tool/> }.into_any()),
    page("/admin/uploads", || view! { <admin::UploadsPage/> }.into_any()),
    page("/admin/waitlist", || view! { <admin::WaitlistPage/> }.into_any()),
    page("/admin/coupons", || view! { <admin::CouponsPage/> }.into_any()),
    page("/admin/analytics", || view! { <admin::AnalyticsPage/> }.into_any()),
    page("/admin/clients", || view! { <admin::ClientsPage/> }.into_any()),
    page("/admin/clients/{id}", || view! { <admin::ClientDetailPage/> }.into_any()),
    page("/admin/projects", || view! { <admin::ProjectsPage/> }.into_any()),
    page("/admin/projects/{id}", || view! { <admin::ProjectDetailPage/> }.into_any()),
    page("/admin/invoices", || view! { <admin::InvoicesPage/> }.into_any()),
    page("/admin/settings", || view! { <admin::SettingsPage/> }.into_any()),
    page("/admin/contacts", || view! { <admin::ContactsPage/> }.into_any()),
    page("/admin/orders", || view! { <admin::OrdersPage/> }.into_any()),
    page("/admin/orders/{id}", || view! { <admin::OrderDetailPage/> }.into_any()),
    page("/admin/jobs", || view! { <admin::JobsPage/> }.into_any()),
];

/// The page `path` names and its parameters (`{id}` → the segment as written), if any.
pub fn find(path: &str) -> Option<(&'static AreaPage, ParamsMap)> {
    PAGES.iter().find_map(|page| {
        let mut params = ParamsMap::new();
        let (mut pattern, mut segments) = (page.path.split('/'), path.split('/'));
        loop {
            match (pattern.next(), segments.next()) {
                (None, None) => return Some((page, params)),
                (Some(p), Some(s)) if !s.is_empty() => match p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                    Some(name) => params.insert(name, s.to_owned()),
                    None if p == s => {}
                    None => return None,
                },
                (Some(""), Some("")) => {}
                _ => return None,
            }
        }
    })
}

/// The page of the request being rendered, inside its area's layout; "Page not found"
/// for an address under an area that names no page (`/admin/nope`, `/dashboard/`).
pub fn render() -> AnyView {
    let path = crate::components::current_path();
    let Some((page, params)) = find(&path) else {
        return view! { <NotFound/> }.into_any();
    };
    provide_context(RouteParams(params));
    provide_query();
    match Area::of_path(page.path) {
        Some(Area::Dashboard) => view! { <dashboard::DashboardLayout page=page.view/> }.into_any(),
        Some(Area::Client) => view! { <client::ClientLayout page=page.view/> }.into_any(),
        Some(Area::Admin) => view! { <admin::AdminLayout page=page.view/> }.into_any(),
        None => unreachable!("every area page is under an area: {}", page.path),
    }
}

/// What `leptos_router::hooks::use_query_map` reads (the request's address) and the
/// error a refused form post came back with (`?__path=…&__err=…`), as `<Router>`
/// would provide them.
fn provide_query() {
    #[cfg(feature = "ssr")]
    {
        use leptos_router::location::RequestUrl;
        let url = use_context::<RequestUrl>().and_then(|url| url.parse().ok()).unwrap_or_default();
        url.provide_server_action_error();
        provide_context(ArcRwSignal::new(url));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(path: &str) -> Option<(&'static str, Vec<(String, String)>)> {
        find(path).map(|(page, params)| {
            let params = ["id"].iter().filter_map(|n| params.get(n).map(|v| (n.to_string(), v))).collect();
            (page.path, params)
        })
    }

    #[test]
    fn an_address_finds_its_page_and_parameters() {
        assert_eq!(found("/dashboard"), Some(("/dashboard", vec![])));
        assert_eq!(found("/dashboard/orders/42"), Some(("/dashboard/orders/{id}", vec![("id".into(), "42".into())])));
        assert_eq!(found("/admin/products/new"), Some(("/admin/products/new", vec![])));
        assert_eq!(found("/admin/products/7"), Some(("/admin/products/{id}", vec![("id".into(), "7".into())])));
        assert_eq!(found("/client/invoices/x"), Some(("/client/invoices/{id}", vec![("id".into(), "x".into())])));
    }

    #[test]
    fn addresses_that_name_no_page_find_none() {
        for path in [
            "/dashboard/",
            "/dashboard/nope",
            "/dashboard/orders/",
            "/dashboard/orders/1/x",
            "/admin//orders",
            "/admin/orders//",
            "/client/projects",
            "/adminx",
            "/",
        ] {
            assert!(find(path).is_none(), "{path}");
        }
    }

    #[test]
    fn every_page_is_under_an_area() {
        for page in PAGES {
            assert!(Area::of_path(page.path).is_some(), "{}", page.path);
        }
    }
}
