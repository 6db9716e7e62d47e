//! The document shell, `<App/>` and the router with its five route groups.

mod error_page;

pub use error_page::{set_status, ErrorPage, NotFound};

use crate::domain::catalog::ProductKind;
use crate::routes::{admin, auth, client, dashboard, site};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1c1917"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options=options.clone()/>
                <HashedStylesheet options id="leptos"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser: marks the page as interactive (tests wait for it).
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
    view! {
        <Title formatter=|title: String| if title.is_empty() { "Atelier".to_owned() } else { format!("{title} · Atelier") }/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <ParentRoute path=path!("") view=site::SiteLayout>
                    <Route path=path!("") view=site::HomePage/>
                    <Route path=path!("about") view=site::AboutPage/>
                    <Route path=path!("privacy-policy") view=site::PrivacyPage/>
                    <Route path=path!("disclaimer") view=site::DisclaimerPage/>
                    <Route path=path!("products") ssr=SsrMode::Async view=|| view! { <site::CatalogPage kind=ProductKind::Digital/> }/>
                    <Route path=path!("products/:slug") ssr=SsrMode::Async view=|| view! { <site::ProductDetailPage kind=ProductKind::Digital/> }/>
                    <Route path=path!("saas") ssr=SsrMode::Async view=|| view! { <site::CatalogPage kind=ProductKind::Saas/> }/>
                    <Route path=path!("saas/:slug") ssr=SsrMode::Async view=|| view! { <site::ProductDetailPage kind=ProductKind::Saas/> }/>
                    <Route path=path!("services") ssr=SsrMode::Async view=|| view! { <site::CatalogPage kind=ProductKind::Service/> }/>
                    <Route path=path!("services/:slug") ssr=SsrMode::Async view=|| view! { <site::ProductDetailPage kind=ProductKind::Service/> }/>
                    <Route path=path!("checkout/sandbox/:order") view=site::SandboxPaymentPage/>
                </ParentRoute>
                <ParentRoute path=path!("") view=auth::AuthLayout>
                    <Route path=path!("login") view=auth::LoginPage/>
                    <Route path=path!("register") view=auth::RegisterPage/>
                    <Route path=path!("logout") view=auth::LogoutPage/>
                    <Route path=path!("verify-email") view=auth::VerifyEmailPage/>
                    <Route path=path!("forgot-password") view=auth::ForgotPasswordPage/>
                    <Route path=path!("reset-password") view=auth::ResetPasswordPage/>
                </ParentRoute>
                <ParentRoute path=path!("dashboard") view=dashboard::DashboardLayout>
                    <Route path=path!("") view=dashboard::OverviewPage/>
                    <Route path=path!("orders") view=dashboard::OrdersPage/>
                    <Route path=path!("orders/:id") ssr=SsrMode::Async view=dashboard::OrderDetailPage/>
                    <Route path=path!("downloads") view=dashboard::DownloadsPage/>
                    <Route path=path!("profile") view=dashboard::ProfilePage/>
                </ParentRoute>
                <ParentRoute path=path!("client") view=client::ClientLayout>
                    <Route path=path!("") view=client::OverviewPage/>
                </ParentRoute>
                <ParentRoute path=path!("admin") view=admin::AdminLayout>
                    <Route path=path!("") view=admin::OverviewPage/>
                    <Route path=path!("products") ssr=SsrMode::Async view=admin::ProductsPage/>
                    <Route path=path!("products/new") view=admin::ProductEditPage/>
                    <Route path=path!("products/:id") ssr=SsrMode::Async view=admin::ProductEditPage/>
                    <Route path=path!("orders") view=admin::OrdersPage/>
                    <Route path=path!("orders/:id") ssr=SsrMode::Async view=admin::OrderDetailPage/>
                    <Route path=path!("jobs") view=admin::JobsPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
