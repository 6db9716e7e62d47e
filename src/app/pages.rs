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
use crate::domain::site_map::{is_segment, PageClass};
use crate::domain::Area;
use crate::routes::{admin, auth, client, dashboard, site};
use leptos::prelude::*;
use leptos_router::params::ParamsMap;

/// A page: its path as axum writes it (`/admin/orders/{id}`), the layout around it,
/// what kind of page it is (the page cache and the guard read it), and what renders it.
pub struct Page {
    pub path: &'static str,
    layout: Layout,
    pub class: PageClass,
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

/// A public page, the same for every visitor of a role: served from the page cache.
const fn public(path: &'static str, view: fn() -> AnyView) -> Page {
    Page { path, layout: Layout::Site, class: PageClass::Public, view }
}

/// A public page that differs per visitor or request (a form with a token, a checkout).
const fn personal(path: &'static str, layout: Layout, view: fn() -> AnyView) -> Page {
    Page { path, layout, class: PageClass::Personal, view }
}

/// A page of a private area, in that area's layout, behind its guard.
const fn private(area: Area, path: &'static str, view: fn() -> AnyView) -> Page {
    let layout = match area {
        Area::Dashboard => Layout::Dashboard,
        Area::Client => Layout::Client,
        Area::Admin => Layout::Admin,
    };
    Page { path, layout, class: PageClass::Private(area), view }
}

/// Every page. A path is matched against them in order, so `/admin/products/new`
/// comes before `/admin/products/{id}`.
pub const PAGES: &[Page] = &[
    public("/", || view! { <site::HomePage/> }.into_any()),
    public("/about", || view! { <site::EntryPage kind=EntryKind::Page fixed="about"/> }.into_any()),
    public("/privacy-policy", || view! { <site::EntryPage kind=EntryKind::Page fixed="privacy-policy"/> }.into_any()),
    public("/terms", || view! { <site::EntryPage kind=EntryKind::Page fixed="terms"/> }.into_any()),
    public("/disclaimer", || view! { <site::EntryPage kind=EntryKind::Page fixed="disclaimer"/> }.into_any()),
    public("/pages/{slug}", || view! { <site::EntryPage kind=EntryKind::Page/> }.into_any()),
    public("/blog", || view! { <site::BlogListPage/> }.into_any()),
    public("/blog/{slug}", || view! { <site::EntryPage kind=EntryKind::Post/> }.into_any()),
    public("/portfolio", || view! { <site::EntryListPage kind=EntryKind::CaseStudy/> }.into_any()),
    public("/portfolio/{slug}", || view! { <site::EntryPage kind=EntryKind::CaseStudy/> }.into_any()),
    public("/tools", || view! { <site::EntryListPage kind=EntryKind::Tool/> }.into_any()),
    public("/tools/{slug}", || view! { <site::EntryPage kind=EntryKind::Tool/> }.into_any()),
    public("/demos", || view! { <site::EntryListPage kind=EntryKind::Demo/> }.into_any()),
    public("/resources", || view! { <site::EntryListPage kind=EntryKind::Resource/> }.into_any()),
    public("/waitlist", || view! { <site::WaitlistPage/> }.into_any()),
    public("/waitlist/{product}", || view! { <site::WaitlistJoinPage/> }.into_any()),
    public("/contact", || view! { <site::ContactPage/> }.into_any()),
    public("/developers", || view! { <site::DevelopersPage/> }.into_any()),
    public("/products", || view! { <site::CatalogPage kind=ProductKind::Digital/> }.into_any()),
    public("/products/{slug}", || view! { <site::ProductDetailPage kind=ProductKind::Digital/> }.into_any()),
    public("/saas", || view! { <site::CatalogPage kind=ProductKind::Saas/> }.into_any()),
    public("/saas/{slug}", || view! { <site::ProductDetailPage kind=ProductKind::Saas/> }.into_any()),
    public("/services", || view! { <site::CatalogPage kind=ProductKind::Service/> }.into_any()),
    public("/services/{slug}", || view! { <site::ProductDetailPage kind=ProductKind::Service/> }.into_any()),
    personal("/checkout/sandbox/{order}", Layout::Site, || view! { <site::SandboxPaymentPage/> }.into_any()),
    personal("/login", Layout::Auth, || view! { <auth::LoginPage/> }.into_any()),
    personal("/register", Layout::Auth, || view! { <auth::RegisterPage/> }.into_any()),
    personal("/logout", Layout::Auth, || view! { <auth::LogoutPage/> }.into_any()),
    personal("/verify-email", Layout::Auth, || view! { <auth::VerifyEmailPage/> }.into_any()),
    personal("/confirm-email", Layout::Auth, || view! { <auth::ConfirmEmailPage/> }.into_any()),
    personal("/forgot-password", Layout::Auth, || view! { <auth::ForgotPasswordPage/> }.into_any()),
    personal("/reset-password", Layout::Auth, || view! { <auth::ResetPasswordPage/> }.into_any()),
    private(Area::Dashboard, "/dashboard", || view! { <dashboard::OverviewPage/> }.into_any()),
    private(Area::Dashboard, "/dashboard/orders", || view! { <dashboard::OrdersPage/> }.into_any()),
    private(Area::Dashboard, "/dashboard/orders/{id}", || view! { <dashboard::OrderDetailPage/> }.into_any()),
    private(Area::Dashboard, "/dashboard/downloads", || view! { <dashboard::DownloadsPage/> }.into_any()),
    private(Area::Dashboard, "/dashboard/licenses", || view! { <dashboard::LicensesPage/> }.into_any()),
    private(Area::Dashboard, "/dashboard/services", || view! { <dashboard::ServicesPage/> }.into_any()),
    private(Area::Dashboard, "/dashboard/subscriptions", || view! { <dashboard::SubscriptionsPage/> }.into_any()),
    private(Area::Dashboard, "/dashboard/subscriptions/{id}", || {
        view! { <dashboard::SubscriptionChangePage/> }.into_any()
    }),
    private(Area::Dashboard, "/dashboard/tools", || view! { <dashboard::ToolsPage/> }.into_any()),
    private(Area::Dashboard, "/dashboard/profile", || view! { <dashboard::ProfilePage/> }.into_any()),
    private(Area::Dashboard, "/dashboard/tokens", || view! { <dashboard::TokensPage/> }.into_any()),
    private(Area::Client, "/client", || view! { <client::OverviewPage/> }.into_any()),
    private(Area::Client, "/client/projects/{id}", || view! { <client::ProjectPage/> }.into_any()),
    private(Area::Client, "/client/invoices", || view! { <client::InvoicesPage/> }.into_any()),
    private(Area::Client, "/client/invoices/{id}", || view! { <client::InvoicePage/> }.into_any()),
    private(Area::Admin, "/admin", || view! { <admin::OverviewPage/> }.into_any()),
    private(Area::Admin, "/admin/subscriptions", || view! { <admin::SubscriptionsPage/> }.into_any()),
    private(Area::Admin, "/admin/subscriptions/{id}", || view! { <admin::SubscriptionDetailPage/> }.into_any()),
    private(Area::Admin, "/admin/users", || view! { <admin::UsersPage/> }.into_any()),
    private(Area::Admin, "/admin/users/{id}", || view! { <admin::UserDetailPage/> }.into_any()),
    private(Area::Admin, "/admin/products", || view! { <admin::ProductsPage/> }.into_any()),
    private(Area::Admin, "/admin/products/new", || view! { <admin::ProductEditPage/> }.into_any()),
    private(Area::Admin, "/admin/products/{id}", || view! { <admin::ProductEditPage/> }.into_any()),
    private(Area::Admin, "/admin/posts", || view! { <admin::EntriesPage kind=EntryKind::Post/> }.into_any()),
    private(Area::Admin, "/admin/posts/{id}", || view! { <admin::EntryEditPage kind=EntryKind::Post/> }.into_any()),
    private(Area::Admin, "/admin/pages", || view! { <admin::EntriesPage kind=EntryKind::Page/> }.into_any()),
    private(Area::Admin, "/admin/pages/{id}", || view! { <admin::EntryEditPage kind=EntryKind::Page/> }.into_any()),
    private(Area::Admin, "/admin/portfolio", || view! { <admin::EntriesPage kind=EntryKind::CaseStudy/> }.into_any()),
    private(Area::Admin, "/admin/portfolio/{id}", || {
        view! { <admin::EntryEditPage kind=EntryKind::CaseStudy/> }.into_any()
    }),
    private(Area::Admin, "/admin/demos", || view! { <admin::EntriesPage kind=EntryKind::Demo/> }.into_any()),
    private(Area::Admin, "/admin/demos/{id}", || view! { <admin::EntryEditPage kind=EntryKind::Demo/> }.into_any()),
    private(Area::Admin, "/admin/resources", || view! { <admin::EntriesPage kind=EntryKind::Resource/> }.into_any()),
    private(Area::Admin, "/admin/resources/{id}", || {
        view! { <admin::EntryEditPage kind=EntryKind::Resource/> }.into_any()
    }),
    private(Area::Admin, "/admin/tools", || view! { <admin::EntriesPage kind=EntryKind::Tool/> }.into_any()),
    private(Area::Admin, "/admin/tools/{id}", || view! { <admin::EntryEditPage kind=EntryKind::Tool/> }.into_any()),
    private(Area::Admin, "/admin/uploads", || view! { <admin::UploadsPage/> }.into_any()),
    private(Area::Admin, "/admin/waitlist", || view! { <admin::WaitlistPage/> }.into_any()),
    private(Area::Admin, "/admin/coupons", || view! { <admin::CouponsPage/> }.into_any()),
    private(Area::Admin, "/admin/webhooks", || view! { <admin::WebhooksPage/> }.into_any()),
    private(Area::Admin, "/admin/webhooks/{id}", || view! { <admin::WebhookDetailPage/> }.into_any()),
    private(Area::Admin, "/admin/analytics", || view! { <admin::AnalyticsPage/> }.into_any()),
    private(Area::Admin, "/admin/clients", || view! { <admin::ClientsPage/> }.into_any()),
    private(Area::Admin, "/admin/clients/{id}", || view! { <admin::ClientDetailPage/> }.into_any()),
    private(Area::Admin, "/admin/projects", || view! { <admin::ProjectsPage/> }.into_any()),
    private(Area::Admin, "/admin/projects/{id}", || view! { <admin::ProjectDetailPage/> }.into_any()),
    private(Area::Admin, "/admin/invoices", || view! { <admin::InvoicesPage/> }.into_any()),
    private(Area::Admin, "/admin/settings", || view! { <admin::SettingsPage/> }.into_any()),
    private(Area::Admin, "/admin/home", || view! { <admin::HomeEditorPage/> }.into_any()),
    private(Area::Admin, "/admin/navigation", || view! { <admin::NavigationPage/> }.into_any()),
    private(Area::Admin, "/admin/contacts", || view! { <admin::ContactsPage/> }.into_any()),
    private(Area::Admin, "/admin/orders", || view! { <admin::OrdersPage/> }.into_any()),
    private(Area::Admin, "/admin/orders/{id}", || view! { <admin::OrderDetailPage/> }.into_any()),
    private(Area::Admin, "/admin/jobs", || view! { <admin::JobsPage/> }.into_any()),
    private(Area::Admin, "/admin/audit", || view! { <admin::AuditPage/> }.into_any()),
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

/// The class of the page `path` names, if it names one whose every parameter is a
/// slug-like segment (all a page cache key may hold).
pub fn class_of(path: &str) -> Option<PageClass> {
    let (page, params) = find(path)?;
    params.into_iter().all(|(_, value)| is_segment(&value)).then_some(page.class)
}

/// Whether `path` is a public page whose HTML every visitor of a role shares (the
/// page cache's question, handed to it at start-up).
pub fn is_public(path: &str) -> bool {
    class_of(path) == Some(PageClass::Public)
}

/// Whether `path` is a page with a version in each language (public pages and the
/// sign-in pages; the private areas speak their person's language at one address).
/// The blog's feed has one too (`/en/blog/feed.xml`).
pub fn in_both_languages(path: &str) -> bool {
    path == "/blog/feed.xml" || matches!(class_of(path), Some(PageClass::Public | PageClass::Personal))
}

/// The page of the request being rendered, inside its layout; "Page not found" for an
/// address that names no page (`/nope`, `/admin/nope`, `/blog/`).
pub fn render() -> AnyView {
    let path = crate::components::current_path();
    let Some((page, params)) = find(&path) else {
        crate::components::provide_page_language();
        return view! { <NotFound/> }.into_any();
    };
    provide_context(RouteParams(params));
    crate::components::provide_page_language();
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
    fn each_page_is_classified_by_its_entry() {
        assert_eq!(class_of("/"), Some(PageClass::Public));
        assert_eq!(class_of("/blog/shipping-one-binary"), Some(PageClass::Public));
        assert_eq!(class_of("/blog/a/b"), None);
        assert_eq!(class_of("/blog/<script>"), None, "a slug segment only");
        assert_eq!(class_of("/login"), Some(PageClass::Personal));
        assert_eq!(class_of("/checkout/sandbox/ORD-1"), Some(PageClass::Personal));
        assert_eq!(class_of("/admin/orders/42"), Some(PageClass::Private(Area::Admin)));
        assert_eq!(class_of("/dashboard"), Some(PageClass::Private(Area::Dashboard)));
        assert_eq!(class_of("/dashboards"), None);
        assert!(is_public("/services/brand-kit") && !is_public("/register") && !is_public("/client"));
        for page in PAGES {
            let area = Area::of_path(page.path);
            match page.class {
                PageClass::Private(of) => assert_eq!(area, Some(of), "{}", page.path),
                PageClass::Public | PageClass::Personal => assert_eq!(area, None, "{}", page.path),
            }
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
