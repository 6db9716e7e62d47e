//! Every page, routed by axum rather than by the Leptos router: the router rebuilt
//! its route tree, its location and its matched-route contexts for every request
//! (a quarter of a fresh dashboard's instructions) to find a page axum had already
//! found. Each page is registered with axum from [`PAGES`] (`startup::router`), and
//! [`render`] renders the one the request asked for inside its layout, with the
//! route and query parameters the pages read (`components::route_param`,
//! `use_query_map`). Pages render on the server only (islands), so nothing in the
//! browser needs a router.

use crate::components::{NotFound, RouteParams};
use crate::domain::content::EntryKind;
use crate::domain::products::ProductKind;
use crate::routes::{admin, auth, client, dashboard, site};
use leptos::prelude::*;
use leptos_router::params::ParamsMap;

/// A page: its path as axum writes it (`/admin/orders/{id}`), the layout around it,
/// and what renders it.
pub struct Page {
    pub path: &'static str,
    layout: Layout,
    view: fn() -> AnyView,
}

/// The frame around a page: the public site's, the sign-in pages', or a private area's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    Site,
    Auth,
    Dashboard,
    Client,
    Admin,
}

const fn page(path: &'static str, layout: Layout, view: fn() -> AnyView) -> Page {
    Page { path, layout, view }
}

/// Every page. A path is matched against them in order, so `/admin/products/new`
/// comes before `/admin/products/{id}`.
pub const PAGES: &[Page] = &[
    page("/", Layout::Site, || view! { <site::HomePage/> }.into_any()),
    page("/about", Layout::Site, || view! { <site::EntryPage kind=EntryKind::Page fixed="about"/> }.into_any()),
    page("/privacy-policy", Layout::Site, || {
        view! { <site::EntryPage kind=EntryKind::Page fixed="privacy-policy"/> }.into_any()
    }),
    page("/disclaimer", Layout::Site, || {
        view! { <site::EntryPage kind=EntryKind::Page fixed="disclaimer"/> }.into_any()
    }),
    page("/pages/{slug}", Layout::Site, || view! { <site::EntryPage kind=EntryKind::Page/> }.into_any()),
    page("/blog", Layout::Site, || view! { <site::BlogListPage/> }.into_any()),
    page("/blog/{slug}", Layout::Site, || view! { <site::EntryPage kind=EntryKind::Post/> }.into_any()),
    page("/portfolio", Layout::Site, || view! { <site::EntryListPage kind=EntryKind::CaseStudy/> }.into_any()),
    page("/portfolio/{slug}", Layout::Site, || view! { <site::EntryPage kind=EntryKind::CaseStudy/> }.into_any()),
    page("/tools", Layout::Site, || view! { <site::EntryListPage kind=EntryKind::Tool/> }.into_any()),
    page("/tools/{slug}", Layout::Site, || view! { <site::EntryPage kind=EntryKind::Tool/> }.into_any()),
    page("/demos", Layout::Site, || view! { <site::EntryListPage kind=EntryKind::Demo/> }.into_any()),
    page("/resources", Layout::Site, || view! { <site::EntryListPage kind=EntryKind::Resource/> }.into_any()),
    page("/waitlist", Layout::Site, || view! { <site::WaitlistPage/> }.into_any()),
    page("/waitlist/{product}", Layout::Site, || view! { <site::WaitlistJoinPage/> }.into_any()),
    page("/contact", Layout::Site, || view! { <site::ContactPage/> }.into_any()),
    page("/products", Layout::Site, || view! { <site::CatalogPage kind=ProductKind::Digital/> }.into_any()),
    page("/products/{slug}", Layout::Site, || {
        view! { <site::ProductDetailPage kind=ProductKind::Digital/> }.into_any()
    }),
    page("/saas", Layout::Site, || view! { <site::CatalogPage kind=ProductKind::Saas/> }.into_any()),
    page("/saas/{slug}", Layout::Site, || view! { <site::ProductDetailPage kind=ProductKind::Saas/> }.into_any()),
    page("/services", Layout::Site, || view! { <site::CatalogPage kind=ProductKind::Service/> }.into_any()),
    page("/services/{slug}", Layout::Site, || {
        view! { <site::ProductDetailPage kind=ProductKind::Service/> }.into_any()
    }),
    page("/checkout/sandbox/{order}", Layout::Site, || view! { <site::SandboxPaymentPage/> }.into_any()),
    page("/login", Layout::Auth, || view! { <auth::LoginPage/> }.into_any()),
    page("/register", Layout::Auth, || view! { <auth::RegisterPage/> }.into_any()),
    page("/logout", Layout::Auth, || view! { <auth::LogoutPage/> }.into_any()),
    page("/verify-email", Layout::Auth, || view! { <auth::VerifyEmailPage/> }.into_any()),
    page("/confirm-email", Layout::Auth, || view! { <auth::ConfirmEmailPage/> }.into_any()),
    page("/forgot-password", Layout::Auth, || view! { <auth::ForgotPasswordPage/> }.into_any()),
    page("/reset-password", Layout::Auth, || view! { <auth::ResetPasswordPage/> }.into_any()),
    page("/dashboard", Layout::Dashboard, || view! { <dashboard::OverviewPage/> }.into_any()),
    page("/dashboard/orders", Layout::Dashboard, || view! { <dashboard::OrdersPage/> }.into_any()),
    page("/dashboard/orders/{id}", Layout::Dashboard, || view! { <dashboard::OrderDetailPage/> }.into_any()),
    page("/dashboard/downloads", Layout::Dashboard, || view! { <dashboard::DownloadsPage/> }.into_any()),
    page("/dashboard/subscriptions", Layout::Dashboard, || view! { <dashboard::SubscriptionsPage/> }.into_any()),
    page("/dashboard/tools", Layout::Dashboard, || view! { <dashboard::ToolsPage/> }.into_any()),
    page("/dashboard/profile", Layout::Dashboard, || view! { <dashboard::ProfilePage/> }.into_any()),
    page("/client", Layout::Client, || view! { <client::OverviewPage/> }.into_any()),
    page("/client/projects/{id}", Layout::Client, || view! { <client::ProjectPage/> }.into_any()),
    page("/client/invoices", Layout::Client, || view! { <client::InvoicesPage/> }.into_any()),
    page("/client/invoices/{id}", Layout::Client, || view! { <client::InvoicePage/> }.into_any()),
    page("/admin", Layout::Admin, || view! { <admin::OverviewPage/> }.into_any()),
    page("/admin/subscriptions", Layout::Admin, || view! { <admin::SubscriptionsPage/> }.into_any()),
    page("/admin/subscriptions/{id}", Layout::Admin, || view! { <admin::SubscriptionDetailPage/> }.into_any()),
    page("/admin/users", Layout::Admin, || view! { <admin::UsersPage/> }.into_any()),
    page("/admin/users/{id}", Layout::Admin, || view! { <admin::UserDetailPage/> }.into_any()),
    page("/admin/products", Layout::Admin, || view! { <admin::ProductsPage/> }.into_any()),
    page("/admin/products/new", Layout::Admin, || view! { <admin::ProductEditPage/> }.into_any()),
    page("/admin/products/{id}", Layout::Admin, || view! { <admin::ProductEditPage/> }.into_any()),
    page("/admin/posts", Layout::Admin, || view! { <admin::EntriesPage kind=EntryKind::Post/> }.into_any()),
    page("/admin/posts/{id}", Layout::Admin, || view! { <admin::EntryEditPage kind=EntryKind::Post/> }.into_any()),
    page("/admin/pages", Layout::Admin, || view! { <admin::EntriesPage kind=EntryKind::Page/> }.into_any()),
    page("/admin/pages/{id}", Layout::Admin, || view! { <admin::EntryEditPage kind=EntryKind::Page/> }.into_any()),
    page("/admin/portfolio", Layout::Admin, || view! { <admin::EntriesPage kind=EntryKind::CaseStudy/> }.into_any()),
    page("/admin/portfolio/{id}", Layout::Admin, || {
        view! { <admin::EntryEditPage kind=EntryKind::CaseStudy/> }.into_any()
    }),
    page("/admin/demos", Layout::Admin, || view! { <admin::EntriesPage kind=EntryKind::Demo/> }.into_any()),
    page("/admin/demos/{id}", Layout::Admin, || view! { <admin::EntryEditPage kind=EntryKind::Demo/> }.into_any()),
    page("/admin/resources", Layout::Admin, || view! { <admin::EntriesPage kind=EntryKind::Resource/> }.into_any()),
    page("/admin/resources/{id}", Layout::Admin, || {
        view! { <admin::EntryEditPage kind=EntryKind::Resource/> }.into_any()
    }),
    page("/admin/tools", Layout::Admin, || view! { <admin::EntriesPage kind=EntryKind::Tool/> }.into_any()),
    page("/admin/tools/{id}", Layout::Admin, || view! { <admin::EntryEditPage kind=EntryKind::Tool/> }.into_any()),
    page("/admin/uploads", Layout::Admin, || view! { <admin::UploadsPage/> }.into_any()),
    page("/admin/waitlist", Layout::Admin, || view! { <admin::WaitlistPage/> }.into_any()),
    page("/admin/coupons", Layout::Admin, || view! { <admin::CouponsPage/> }.into_any()),
    page("/admin/analytics", Layout::Admin, || view! { <admin::AnalyticsPage/> }.into_any()),
    page("/admin/clients", Layout::Admin, || view! { <admin::ClientsPage/> }.into_any()),
    page("/admin/clients/{id}", Layout::Admin, || view! { <admin::ClientDetailPage/> }.into_any()),
    page("/admin/projects", Layout::Admin, || view! { <admin::ProjectsPage/> }.into_any()),
    page("/admin/projects/{id}", Layout::Admin, || view! { <admin::ProjectDetailPage/> }.into_any()),
    page("/admin/invoices", Layout::Admin, || view! { <admin::InvoicesPage/> }.into_any()),
    page("/admin/settings", Layout::Admin, || view! { <admin::SettingsPage/> }.into_any()),
    page("/admin/contacts", Layout::Admin, || view! { <admin::ContactsPage/> }.into_any()),
    page("/admin/orders", Layout::Admin, || view! { <admin::OrdersPage/> }.into_any()),
    page("/admin/orders/{id}", Layout::Admin, || view! { <admin::OrderDetailPage/> }.into_any()),
    page("/admin/jobs", Layout::Admin, || view! { <admin::JobsPage/> }.into_any()),
    page("/admin/audit", Layout::Admin, || view! { <admin::AuditPage/> }.into_any()),
];

/// The page `path` names and its parameters (`{id}` → the segment as written), if any.
pub fn find(path: &str) -> Option<(&'static Page, ParamsMap)> {
    PAGES.iter().find_map(|page| {
        // Most pages are told apart by the part of their path before the first
        // parameter (a comparison of bytes, where splitting every path cost ~2 % of a
        // fresh page).
        let fixed = page.path.find('{').map_or(page.path, |at| &page.path[..at]);
        if fixed.len() == page.path.len() {
            return (path == page.path).then(|| (page, ParamsMap::new()));
        }
        if !path.starts_with(fixed) {
            return None;
        }
        let mut params = ParamsMap::new();
        let (mut pattern, mut segments) = (page.path[fixed.len()..].split('/'), path[fixed.len()..].split('/'));
        loop {
            match (pattern.next(), segments.next()) {
                (None, None) => return Some((page, params)),
                (Some(p), Some(s)) if !s.is_empty() => match p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                    Some(name) => params.insert(name, s.to_owned()),
                    None if p == s => {}
                    None => return None,
                },
                _ => return None,
            }
        }
    })
}

/// The page of the request being rendered, inside its layout; "Page not found" for an
/// address that names no page (`/nope`, `/admin/nope`, `/blog/`).
pub fn render() -> AnyView {
    let path = crate::components::current_path();
    let Some((page, params)) = find(&path) else {
        return view! { <NotFound/> }.into_any();
    };
    provide_context(RouteParams(params));
    provide_query();
    match page.layout {
        Layout::Site => view! { <site::SiteLayout page=page.view/> }.into_any(),
        Layout::Auth => view! { <auth::AuthLayout page=page.view/> }.into_any(),
        Layout::Dashboard => view! { <dashboard::DashboardLayout page=page.view/> }.into_any(),
        Layout::Client => view! { <client::ClientLayout page=page.view/> }.into_any(),
        Layout::Admin => view! { <admin::AdminLayout page=page.view/> }.into_any(),
    }
}

/// What `leptos_router::hooks::use_query_map` reads (the request's address) and the
/// error a refused form post came back with (`?__path=…&__err=…`), as the Leptos `<Router>`
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
    use crate::domain::Area;

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
            "/admin/products/1/",
        ] {
            assert!(find(path).is_none(), "{path}");
        }
    }

    #[test]
    fn each_area_page_has_its_areas_layout_and_no_other_page_has_one() {
        for page in PAGES {
            let expected = match Area::of_path(page.path) {
                Some(Area::Dashboard) => vec![Layout::Dashboard],
                Some(Area::Client) => vec![Layout::Client],
                Some(Area::Admin) => vec![Layout::Admin],
                None => vec![Layout::Site, Layout::Auth],
            };
            assert!(expected.contains(&page.layout), "{}: {:?}", page.path, page.layout);
        }
    }

    #[test]
    fn the_site_and_sign_in_pages_are_found_too() {
        assert_eq!(found("/"), Some(("/", vec![])));
        assert_eq!(found("/blog"), Some(("/blog", vec![])));
        assert_eq!(found("/login"), Some(("/login", vec![])));
        assert!(find("/blog/").is_none() && find("//").is_none() && find("").is_none());
        let (page, params) = find("/blog/shipping").unwrap();
        assert_eq!((page.path, params.get("slug").as_deref()), ("/blog/{slug}", Some("shipping")));
    }
}
