//! The document shell, `<App/>` and the pages ([`pages`]).

pub mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let studio = crate::components::studio();
    let icon = studio.icon_href(32);
    let (icon_type, icon_sizes) = if studio.logo.is_some() { ("image/png", "32x32") } else { ("image/svg+xml", "any") };
    let touch_icon = studio.logo.is_some().then(|| studio.icon_href(180));
    let theme = studio.theme_href();
    view! {
        <!DOCTYPE html>
        <html lang=crate::components::page_lang().as_str()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1c1917"/>
                <link rel="icon" href=icon type=icon_type sizes=icon_sizes/>
                {touch_icon.map(|href| view! { <link rel="apple-touch-icon" href=href/> })}
                <link rel="manifest" href="/manifest.webmanifest"/>
                <AutoReload options=options.clone()/>
                {head_assets(options)}
                {theme.map(|href| view! { <link rel="stylesheet" href=href/> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The islands' loader scripts and the stylesheet link, rendered by Leptos's own
/// components once per process: they read the build's hash file from disk on every render.
/// The server's Content-Security-Policy allows exactly the inline script in here.
/// Start-up renders them first, outside any request (so they carry no request's nonce;
/// a fresh root owner would replace the request's arena, leptos_router then panics).
pub fn head_assets_html(options: &LeptosOptions) -> &'static str {
    use std::sync::OnceLock;
    static HTML: OnceLock<String> = OnceLock::new();
    HTML.get_or_init(|| format!("{}{}", island_scripts_html(options), stylesheet_html(options)))
}

/// The scripts that load the islands' WebAssembly: a page without an island is sent
/// without them (`server::render`), so it loads no script at all.
pub fn island_scripts_html(options: &LeptosOptions) -> &'static str {
    use std::sync::OnceLock;
    static HTML: OnceLock<String> = OnceLock::new();
    HTML.get_or_init(|| {
        let options = options.clone();
        Owner::new().with(|| view! { <HydrationScripts options islands=true/> }.to_html())
    })
}

fn stylesheet_html(options: &LeptosOptions) -> &'static str {
    use std::sync::OnceLock;
    static HTML: OnceLock<String> = OnceLock::new();
    HTML.get_or_init(|| {
        let options = options.clone();
        Owner::new().with(|| view! { <HashedStylesheet options id="leptos"/> }.to_html())
    })
}

fn head_assets(options: LeptosOptions) -> impl IntoView {
    // What `HydrationScripts` does besides rendering, in islands mode: the page
    // outside islands is not hydrated, so it carries no hydration markers.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    #[cfg(feature = "ssr")]
    provide_context(crate::server::render::IslandScripts(island_scripts_html(&options)));
    leptos::tachys::html::InertElement::new(head_assets_html(&options))
}

/// The whole app. Every page is rendered complete before it is sent (`server::render`):
/// its `<title>`, meta tags and content, identical on every request, with or without
/// JavaScript. Pages are not hydrated (islands): only `#[island]`s are.
/// Axum routes the request; [`pages::render`] renders the page it names.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let studio = crate::components::studio();
    view! {
        <Title formatter=move |title: String| studio.title(&title)/>
        {pages::render()}
    }
}
