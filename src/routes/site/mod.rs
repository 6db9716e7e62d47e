//! The public site: what visitors see.

pub mod api;
mod catalog;

mod content;
mod developers;
mod tools;

pub use catalog::{CatalogPage, ProductDetailPage, SandboxPaymentPage};
pub use content::{BlogListPage, ContactPage, EntryListPage, EntryPage, WaitlistJoinPage, WaitlistPage};
pub use developers::DevelopersPage;

use crate::components::{href, tr, Seo, SiteChrome};
use catalog::product_cards;
use content::EntryCard;
use leptos::prelude::*;

#[component]
pub fn SiteLayout(page: fn() -> AnyView) -> impl IntoView {
    view! { <SiteChrome>{page()}</SiteChrome> }
}

/// The home page's description unless the settings give one.
fn default_description(name: &str) -> String {
    crate::components::tr_with("home-description", &[("name", name)])
}

#[component]
pub fn HomePage() -> impl IntoView {
    // `/?preview=home`: staff look at what they typed into `/admin/home` before saving it.
    let preview =
        leptos_router::hooks::use_query_map().with_untracked(|q| q.get("preview").is_some_and(|v| v == "home"));
    if preview {
        crate::components::settled(api::home_preview(Some(crate::components::page_lang())), home_page)
    } else {
        crate::components::settled(api::home_data(Some(crate::components::page_lang())), |home| {
            home_page(home.map(|home| (home, false)))
        })
    }
}

/// The home page: the page as staff edited it, the studio's description and share
/// image, and what to feature; `previewed` marks unsaved changes shown to their author.
fn home_page(home: Result<(api::HomeContent, bool), crate::error::AppError>) -> AnyView {
    let (home, previewed) = home.unwrap_or_else(|_| {
        let empty = api::HomeContent {
            home: crate::domain::home::Home::default(),
            featured: Vec::new(),
            posts: Vec::new(),
            description: String::new(),
            share_image: String::new(),
        };
        (empty, false)
    });
    let description = if home.description.is_empty() {
        default_description(&crate::components::studio().name)
    } else {
        home.description
    };
    let (mut page, featured, posts) = (home.home, home.featured, home.posts);
    // A page staff never edited is the one Atelier ships, written in both languages.
    if page == crate::domain::home::Home::default() {
        page = crate::domain::home::Home::default_in(crate::components::page_lang());
    }
    let sections = page.sections.iter().map(|section| home_section(*section, &page, &featured, &posts)).collect_view();
    view! {
        <Seo title="" description path="/" image=home.share_image/>
        {previewed.then(|| view! {
            <div class="container">
                <p class="notice warning" role="status">
                    {crate::components::tr("home-preview")} " "
                    <a href="/admin/home">{crate::components::tr("home-preview-back")}</a>
                </p>
            </div>
        })}
        {sections}
    }
    .into_any()
}

/// One section of the home page, as staff wrote it.
fn home_section(
    section: crate::domain::home::Section,
    page: &crate::domain::home::Home,
    featured: &[crate::domain::products::Product],
    posts: &[crate::domain::content::Entry],
) -> AnyView {
    use crate::domain::home::Section;
    match section {
        Section::Hero => {
            let panel = (!page.panel.is_empty()).then(|| {
                let rows = page.panel.iter().enumerate().map(|(i, line)| {
                    let dot = if i == 0 { "dot ok" } else { "dot" };
                    view! { <div class="hero-card-row"><span class=dot></span>{line.clone()}</div> }
                });
                view! { <div class="hero-card" aria-hidden="true">{rows.collect_view()}</div> }
            });
            view! {
                <section class="hero">
                    <div class="container hero-grid">
                        <div>
                            {(!page.eyebrow.is_empty()).then(|| view! { <p class="eyebrow">{page.eyebrow.clone()}</p> })}
                            <h1>{page.headline.clone()}</h1>
                            {(!page.lede.is_empty()).then(|| view! { <p class="lead">{page.lede.clone()}</p> })}
                            <p class="actions">
                                <a class="button" href=crate::components::site_link(&page.primary.href)>{page.primary.label.clone()}</a>
                                <a class="button ghost" href=crate::components::site_link(&page.secondary.href)>{page.secondary.label.clone()}</a>
                            </p>
                        </div>
                        {panel}
                    </div>
                </section>
            }
            .into_any()
        }
        Section::Featured => (!featured.is_empty())
            .then(|| view! {
                <section class="container section">
                    <div class="page-head"><h2>{tr("home-featured")}</h2><a href=href("/products")>{tr("home-all-products")}</a></div>
                    <div class="cards" inner_html=product_cards(featured).into_string()></div>
                </section>
            })
            .into_any(),
        Section::Posts => (!posts.is_empty())
            .then(|| view! {
                <section class="container section">
                    <div class="page-head"><h2>{tr("home-posts")}</h2><a href=href("/blog")>{tr("home-all-posts")}</a></div>
                    <div class="cards">{posts.iter().cloned().map(|p| view! { <EntryCard entry=p with_date=true/> }).collect_view()}</div>
                </section>
            })
            .into_any(),
        Section::Offers => (!page.offers.is_empty())
            .then(|| view! {
                <section class="container section">
                    {(!page.offers_title.is_empty()).then(|| view! { <h2>{page.offers_title.clone()}</h2> })}
                    <div class="cards">
                        {page.offers.iter().map(|card| view! {
                            <a class="card" href=crate::components::site_link(&card.href)>
                                <h3>{card.title.clone()}</h3>
                                <p>{card.text.clone()}</p>
                            </a>
                        }).collect_view()}
                    </div>
                </section>
            })
            .into_any(),
        Section::Cta => view! {
            <section class="container section cta">
                <div>
                    <h2>{page.cta_heading.clone()}</h2>
                    {(!page.cta_text.is_empty()).then(|| view! { <p>{page.cta_text.clone()}</p> })}
                </div>
                <a class="button" href=crate::components::site_link(&page.cta.href)>{page.cta.label.clone()}</a>
            </section>
        }
        .into_any(),
    }
}
