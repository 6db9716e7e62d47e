//! The document shell, `<App/>`, the router of the public site and the sign-in
//! pages, and the private areas' pages ([`areas`]).

pub mod areas;

use crate::components::NotFound;

use crate::domain::content::EntryKind;
use crate::domain::products::ProductKind;
use crate::domain::Area;
use crate::routes::{auth, site};
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
                {head_assets(options)}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The island scripts and the stylesheet link, rendered by Leptos's own components
/// once per process: they read the build's hash file from disk on every render.
/// The server's Content-Security-Policy allows exactly the inline script in here.
/// Start-up renders it first, outside any request (so it carries no request's nonce;
/// a fresh root owner would replace the request's arena, leptos_router then panics).
pub fn head_assets_html(options: &LeptosOptions) -> &'static str {
    use std::sync::OnceLock;
    static HTML: OnceLock<String> = OnceLock::new();
    HTML.get_or_init(|| {
        let options = options.clone();
        Owner::new().with(|| {
            view! {
                <HydrationScripts options=options.clone() islands=true/>
                <HashedStylesheet options id="leptos"/>
            }
            .to_html()
        })
    })
}

fn head_assets(options: LeptosOptions) -> impl IntoView {
    // What `HydrationScripts` does besides rendering, in islands mode: the page
    // outside islands is not hydrated, so it carries no hydration markers.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    leptos::tachys::html::InertElement::new(head_assets_html(&options))
}

/// The whole app. Every route renders with `SsrMode::Async`: the response is sent
/// once every resource of the page has loaded, so each page arrives complete (its
/// `<title>`, meta tags and content) and identical on every request, with or
/// without JavaScript. Pages are not hydrated (islands): only `#[island]`s are.
///
/// The public site and the sign-in pages go through the Leptos router; the private
/// areas are routed by axum ([`areas`]).
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let not_found = || view! { <NotFound/> };
    let routes = match request_group() {
        Some(Some(_)) => areas::render(),
        _ => view! { <Router><Routes fallback=not_found><SiteRoutes/><AuthRoutes/></Routes></Router> }.into_any(),
    };
    view! {
        <Title formatter=|title: String| if title.is_empty() { "Atelier".to_owned() } else { format!("{title} · Atelier") }/>
        {routes}
    }
}

/// The area the request being rendered is in (`Some(None)`: the public site and the
/// sign-in pages); `None` while the route list is generated (with a stand-in request).
fn request_group() -> Option<Option<Area>> {
    #[cfg(feature = "ssr")]
    {
        if leptos_router::RouteList::is_generating() {
            return None;
        }
        with_context::<axum::http::request::Parts, _>(|parts| Area::of_path(parts.uri.path()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The public site.
#[component(transparent)]
fn SiteRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
            <ParentRoute path=path!("") view=site::SiteLayout>
                        <Route path=path!("") ssr=SsrMode::Async view=site::HomePage/>
                        <Route path=path!("about") ssr=SsrMode::Async view=|| view! { <site::EntryPage kind=EntryKind::Page fixed="about"/> }/>
                        <Route path=path!("privacy-policy") ssr=SsrMode::Async view=|| view! { <site::EntryPage kind=EntryKind::Page fixed="privacy-policy"/> }/>
                        <Route path=path!("disclaimer") ssr=SsrMode::Async view=|| view! { <site::EntryPage kind=EntryKind::Page fixed="disclaimer"/> }/>
                        <Route path=path!("pages/:slug") ssr=SsrMode::Async view=|| view! { <site::EntryPage kind=EntryKind::Page/> }/>
                        <Route path=path!("blog") ssr=SsrMode::Async view=site::BlogListPage/>
                        <Route path=path!("blog/:slug") ssr=SsrMode::Async view=|| view! { <site::EntryPage kind=EntryKind::Post/> }/>
                        <Route path=path!("portfolio") ssr=SsrMode::Async view=|| view! { <site::EntryListPage kind=EntryKind::CaseStudy/> }/>
                        <Route path=path!("portfolio/:slug") ssr=SsrMode::Async view=|| view! { <site::EntryPage kind=EntryKind::CaseStudy/> }/>
                        <Route path=path!("tools") ssr=SsrMode::Async view=|| view! { <site::EntryListPage kind=EntryKind::Tool/> }/>
                        <Route path=path!("tools/:slug") ssr=SsrMode::Async view=|| view! { <site::EntryPage kind=EntryKind::Tool/> }/>
                        <Route path=path!("demos") ssr=SsrMode::Async view=|| view! { <site::EntryListPage kind=EntryKind::Demo/> }/>
                        <Route path=path!("resources") ssr=SsrMode::Async view=|| view! { <site::EntryListPage kind=EntryKind::Resource/> }/>
                        <Route path=path!("waitlist") ssr=SsrMode::Async view=site::WaitlistPage/>
                        <Route path=path!("waitlist/:product") ssr=SsrMode::Async view=site::WaitlistJoinPage/>
                        <Route path=path!("contact") ssr=SsrMode::Async view=site::ContactPage/>
                        <Route path=path!("products") ssr=SsrMode::Async view=|| view! { <site::CatalogPage kind=ProductKind::Digital/> }/>
                        <Route path=path!("products/:slug") ssr=SsrMode::Async view=|| view! { <site::ProductDetailPage kind=ProductKind::Digital/> }/>
                        <Route path=path!("saas") ssr=SsrMode::Async view=|| view! { <site::CatalogPage kind=ProductKind::Saas/> }/>
                        <Route path=path!("saas/:slug") ssr=SsrMode::Async view=|| view! { <site::ProductDetailPage kind=ProductKind::Saas/> }/>
                        <Route path=path!("services") ssr=SsrMode::Async view=|| view! { <site::CatalogPage kind=ProductKind::Service/> }/>
                        <Route path=path!("services/:slug") ssr=SsrMode::Async view=|| view! { <site::ProductDetailPage kind=ProductKind::Service/> }/>
                        <Route path=path!("checkout/sandbox/:order") ssr=SsrMode::Async view=site::SandboxPaymentPage/>
                    </ParentRoute>
    }
    .into_inner()
}

/// Signing in, registering and recovering an account.
#[component(transparent)]
fn AuthRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
            <ParentRoute path=path!("") view=auth::AuthLayout>
                        <Route path=path!("login") ssr=SsrMode::Async view=auth::LoginPage/>
                        <Route path=path!("register") ssr=SsrMode::Async view=auth::RegisterPage/>
                        <Route path=path!("logout") ssr=SsrMode::Async view=auth::LogoutPage/>
                        <Route path=path!("verify-email") ssr=SsrMode::Async view=auth::VerifyEmailPage/>
                        <Route path=path!("confirm-email") ssr=SsrMode::Async view=auth::ConfirmEmailPage/>
                        <Route path=path!("forgot-password") ssr=SsrMode::Async view=auth::ForgotPasswordPage/>
                        <Route path=path!("reset-password") ssr=SsrMode::Async view=auth::ResetPasswordPage/>
                    </ParentRoute>
    }
    .into_inner()
}
