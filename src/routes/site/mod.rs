//! The public site: what visitors see.

pub mod api;
mod catalog;

pub use catalog::{CatalogPage, ProductDetailPage, SandboxPaymentPage};

use crate::components::SiteChrome;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::Outlet;

#[component]
pub fn SiteLayout() -> impl IntoView {
    view! {
        <SiteChrome>
            <Outlet/>
        </SiteChrome>
    }
}

/// Title and description for search engines and link previews.
#[component]
pub fn PageMeta(title: &'static str, description: &'static str) -> impl IntoView {
    view! {
        <Title text=title/>
        <Meta name="description" content=description/>
        <Meta property="og:title" content=title/>
        <Meta property="og:description" content=description/>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <PageMeta
            title=""
            description="Atelier is a small digital studio: ready-made products, SaaS bundles and services for teams who care about craft."
        />
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
                        <a class="button" href="/about">"Meet the studio"</a>
                        <a class="button ghost" href="/login">"Member sign in"</a>
                    </p>
                </div>
                <div class="hero-card" aria-hidden="true">
                    <div class="hero-card-row"><span class="dot ok"></span>"Order ATL-20261121-7F3K2Q paid"</div>
                    <div class="hero-card-row"><span class="dot"></span>"License key delivered"</div>
                    <div class="hero-card-row"><span class="dot"></span>"GitHub invite sent"</div>
                </div>
            </div>
        </section>
        <section class="container section">
            <h2>"What we offer"</h2>
            <div class="cards">
                <article class="card">
                    <h3>"Digital products"</h3>
                    <p>"Templates, UI kits and starter code, delivered instantly by download, license key or private repository."</p>
                </article>
                <article class="card">
                    <h3>"SaaS bundles"</h3>
                    <p>"Hosted tools with fair monthly and yearly plans, and quotas you can see in your dashboard."</p>
                </article>
                <article class="card">
                    <h3>"Services"</h3>
                    <p>"Design and engineering engagements with milestones, deliverables and invoices in one client portal."</p>
                </article>
            </div>
        </section>
        <section class="container section cta">
            <div>
                <h2>"Have a project in mind?"</h2>
                <p>"Tell us what you are building. We answer every message within two working days."</p>
            </div>
            <a class="button" href="/about">"How we work"</a>
        </section>
    }
}

#[component]
pub fn AboutPage() -> impl IntoView {
    view! {
        <PageMeta title="About" description="Who we are at Atelier and how we work with our clients."/>
        <article class="container narrow prose">
            <h1>"About Atelier"</h1>
            <p class="lead">"Atelier is a small, independent studio. We build the tools we wish we had, and we help other teams build theirs."</p>
            <h2>"How we work"</h2>
            <p>"Every engagement starts with a short call and a written plan. You follow milestones and approve deliverables in your client portal, and you always know what is next."</p>
            <h2>"What we believe"</h2>
            <ul>
                <li>"Fast, accessible pages are a form of respect for the people who use them."</li>
                <li>"What you pay for arrives immediately, and keeps working."</li>
                <li>"Your data stays yours: we collect only what we need to serve you."</li>
            </ul>
        </article>
    }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! {
        <PageMeta title="Privacy policy" description="What Atelier collects, why, and how long it is kept."/>
        <article class="container narrow prose">
            <h1>"Privacy policy"</h1>
            <p>"We collect the details you give us (your name, email address and what you buy) to deliver your purchases and answer your messages. Payments are handled by our payment providers; we never see or store your card details."</p>
            <p>"We use one cookie, to keep you signed in. It is not used for tracking or advertising."</p>
            <p>"You can ask us for a copy of your data, or for its deletion, at any time."</p>
        </article>
    }
}

#[component]
pub fn DisclaimerPage() -> impl IntoView {
    view! {
        <PageMeta title="Disclaimer" description="The terms under which Atelier's content and products are offered."/>
        <article class="container narrow prose">
            <h1>"Disclaimer"</h1>
            <p>"The articles and resources on this site are offered as they are, for general information. Products are licensed under the terms shown on each product's page."</p>
        </article>
    }
}
