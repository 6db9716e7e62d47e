//! The public site: what visitors see.

pub mod api;
mod catalog;

mod content;
mod tools;

pub use catalog::{CatalogPage, ProductDetailPage, SandboxPaymentPage};
pub use content::{BlogListPage, ContactPage, EntryListPage, EntryPage, WaitlistJoinPage, WaitlistPage};

use crate::components::{Seo, SiteChrome};
use catalog::product_cards;
use content::EntryCard;
use leptos::prelude::*;

#[component]
pub fn SiteLayout(page: fn() -> AnyView) -> impl IntoView {
    view! { <SiteChrome>{page()}</SiteChrome> }
}

/// The home page's description unless the settings give one.
fn default_description(name: &str) -> String {
    format!("{name} is a small digital studio: ready-made products, SaaS bundles and services for teams who care about craft.")
}

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        // The studio's description and share image from the settings, and what to feature.
        {crate::components::settled(api::home_data(), |home| {
            let home = home.unwrap_or(api::HomeContent {
                featured: Vec::new(),
                posts: Vec::new(),
                description: String::new(),
                share_image: String::new(),
            });
            let description = if home.description.is_empty() { default_description(&crate::components::studio().name) } else { home.description };
            view! {
        <Seo title="" description path="/" image=home.share_image/>
        <section class="hero">
            <div class="container hero-grid">
                <div>
                    <p class="eyebrow">"Digital studio · Jakarta & remote"</p>
                    <h1>"Software made with care, delivered the moment you need it."</h1>
                    <p class="lead">
                        "We design and build digital products, starter kits and SaaS tools, and we partner with "
                        "teams on the projects that matter to them."
                    </p>
                    <p class="actions">
                        <a class="button" href="/products">"Browse products"</a>
                        <a class="button ghost" href="/portfolio">"See our work"</a>
                    </p>
                </div>
                <div class="hero-card" aria-hidden="true">
                    <div class="hero-card-row"><span class="dot ok"></span>"Order ATL-20261121-7F3K2Q paid"</div>
                    <div class="hero-card-row"><span class="dot"></span>"License key delivered"</div>
                    <div class="hero-card-row"><span class="dot"></span>"GitHub invite sent"</div>
                </div>
            </div>
        </section>
                    {(!home.featured.is_empty()).then(|| view! {
                        <section class="container section">
                            <div class="page-head"><h2>"Featured products"</h2><a href="/products">"All products"</a></div>
                            <div class="cards" inner_html=product_cards(&home.featured).into_string()></div>
                        </section>
                    })}
                    {(!home.posts.is_empty()).then(|| view! {
                        <section class="container section">
                            <div class="page-head"><h2>"From the blog"</h2><a href="/blog">"All posts"</a></div>
                            <div class="cards">{home.posts.into_iter().map(|p| view! { <EntryCard entry=p with_date=true/> }).collect_view()}</div>
                        </section>
                    })}
        <section class="container section">
            <h2>"What we offer"</h2>
            <div class="cards">
                <a class="card" href="/products">
                    <h3>"Digital products"</h3>
                    <p>"Templates, UI kits and starter code, delivered instantly by download, license key or private repository."</p>
                </a>
                <a class="card" href="/saas">
                    <h3>"SaaS bundles"</h3>
                    <p>"Hosted tools with fair monthly and yearly plans, and quotas you can see in your dashboard."</p>
                </a>
                <a class="card" href="/services">
                    <h3>"Services"</h3>
                    <p>"Design and engineering engagements with milestones, deliverables and invoices in one client portal."</p>
                </a>
            </div>
        </section>
        <section class="container section cta">
            <div>
                <h2>"Have a project in mind?"</h2>
                <p>"Tell us what you are building. We answer every message within two working days."</p>
            </div>
            <a class="button" href="/contact">"Start a conversation"</a>
        </section>
            }
        })}
    }
}
