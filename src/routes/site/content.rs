//! Content pages: the blog, portfolio and case studies, tools, demos, resources,
//! the editable pages, the waitlist and the contact form.

use super::api::{self, JoinWaitlist, SendContact};
use crate::components::{
    failed_page, failed_public_page, href, moved_permanently, page_lang, query_param, route_param, set_other_version,
    settled, site_origin, tr, tr_code, tr_with, typed, FormError, Notice, Seo,
};
use crate::domain::content::{Entry, EntryKind, Shown};
use crate::domain::json_string;
use crate::domain::time::datetime_local;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What the studio wrote (posts, pages, products) is in its language until it has a
/// version in the other: on the other language's page it is shown as written, marked
/// with its language (`lang`, when it differs from the page's) and a short note saying so.
pub(super) fn content_language() -> (Option<&'static str>, Option<AnyView>) {
    let (lang, site) = (page_lang(), crate::components::site_languages());
    if lang == site.default {
        return (None, None);
    }
    let written = site.default;
    let note = view! {
        <p class="notice info content-language">{tr_with("content-in-default", &[("language", tr_code("lang-name", written.as_str()))])}</p>
    };
    (Some(written.as_str()), Some(note.into_any()))
}

/// "22 November 2026 · rust, performance"
#[component]
fn Byline(entry: Entry) -> impl IntoView {
    view! {
        <p class="byline muted">
            <time datetime=format!("{}Z", datetime_local(entry.publish_at))>{page_lang().date(entry.publish_at)}</time>
            " · " {entry.author.clone()}
            {(!entry.tags.is_empty()).then(|| view! {
                " · "
                <span class="tags">{entry.tags.iter().map(|t| view! {
                    <a class="tag" href=href(&format!("/blog?tag={t}"))>{format!("#{t}")}</a>
                }).collect_view()}</span>
            })}
        </p>
    }
}

/// On a card of a list in the other language, an entry that has no version in it:
/// its words' language (`lang`), and a short line saying it is in that language.
fn card_language(entry: &Entry) -> (Option<&'static str>, Option<AnyView>) {
    if !entry.fallback {
        return (None, None);
    }
    let written = crate::components::site_languages().default;
    let note = view! {
        <p class="muted small content-language">{tr_with("content-card-in-default", &[("language", tr_code("lang-name", written.as_str()))])}</p>
    };
    (Some(written.as_str()), Some(note.into_any()))
}

/// A card linking to an entry's page.
#[component]
pub fn EntryCard(entry: Entry, #[prop(optional)] with_date: bool) -> impl IntoView {
    let link = href(&entry.path());
    let (written, note) = card_language(&entry);
    view! {
        <article class="card entry-card" lang=written>
            {(!entry.cover_image.is_empty()).then(|| view! {
                <img class="cover" src=entry.cover_image.clone() alt="" loading="lazy"/>
            })}
            <h2 class="h3"><a href=link>{entry.title.clone()}</a></h2>
            {with_date.then(|| view! { <p class="muted small">{page_lang().date(entry.publish_at)}</p> })}
            <p>{entry.summary.clone()}</p>
            {note}
        </article>
    }
}

/// Tools and portfolio: cards to each entry's page. Demos and resources: the entries themselves.
#[component]
pub fn EntryListPage(kind: EntryKind) -> impl IntoView {
    let path = match kind {
        EntryKind::Tool => "/tools",
        EntryKind::CaseStudy => "/portfolio",
        EntryKind::Demo => "/demos",
        EntryKind::Resource => "/resources",
        EntryKind::Post | EntryKind::Page => "/",
    };
    let (title, lead) = (tr_code("entries-title", kind.as_str()), tr_code("entries-lead", kind.as_str()));
    view! {
        <Seo title=title description=lead path=path/>
        <section class="container section">
            <h1>{title}</h1>
            <p class="lead">{lead}</p>
            {settled(api::list_entries(kind, Some(page_lang())), move |result| {
                    match result {
                        Err(err) => failed_page(err),
                        Ok(list) if list.is_empty() => view! { <p class="notice info">{tr("catalog-empty")}</p> }.into_any(),
                        Ok(list) if kind.needs_link() => view! {
                            <div class="cards">{list.into_iter().map(|e| { let (written, note) = card_language(&e); view! {
                                <article class="card entry-card" id=e.slug.clone() lang=written>
                                    {(!e.cover_image.is_empty()).then(|| view! { <img class="cover" src=e.cover_image.clone() alt="" loading="lazy"/> })}
                                    <h2 class="h3">{e.title.clone()}</h2>
                                    {note}
                                    <p>{e.summary.clone()}</p>
                                    <div class="prose-body small" inner_html=e.body_html.clone().into_string()></div>
                                    <p><a class="button small" href=e.link_url.clone() rel="noopener">
                                        {if kind == EntryKind::Demo { tr("entries-open-demo") } else { tr("entries-open") }}
                                    </a></p>
                                </article>
                            }}).collect_view()}</div>
                        }.into_any(),
                        Ok(list) => view! {
                            <div class="cards">{list.into_iter().map(|e| view! { <EntryCard entry=e/> }).collect_view()}</div>
                        }.into_any(),
                    }
            })}
        </section>
    }
}

/// JSON-LD `Article` for a post.
fn article_json_ld(entry: &Entry, url: &str) -> crate::domain::html::TrustedHtml {
    let image = if entry.cover_image.is_empty() {
        String::new()
    } else {
        format!(",\"image\":{}", json_string(&format!("{}{}", site_origin(), entry.cover_image)))
    };
    // Every value goes through `json_string`, which writes `<`, `>` and `&` as escapes.
    crate::domain::html::TrustedHtml::from_writer(format!(
        r#"{{"@context":"https://schema.org","@type":"Article","headline":{},"description":{},"datePublished":"{}Z","dateModified":"{}Z","author":{{"@type":"Person","name":{}}},"publisher":{{"@type":"Organization","name":{}}},"mainEntityOfPage":{},"keywords":{}{}}}"#,
        json_string(&entry.title),
        json_string(&entry.summary),
        datetime_local(entry.publish_at),
        datetime_local(entry.updated_at.max(entry.publish_at)),
        json_string(&entry.author),
        json_string(&crate::components::studio().name),
        json_string(url),
        json_string(&entry.tags.join(", ")),
        image
    ))
}

/// One entry on a page of its own: a post, a case study, a tool, or an editable page.
/// `fixed` names the page for the fixed addresses (`/about`, `/privacy-policy`, `/disclaimer`).
#[component]
pub fn EntryPage(kind: EntryKind, #[prop(optional)] fixed: Option<&'static str>) -> impl IntoView {
    let slug = fixed.map(str::to_owned).unwrap_or_else(|| route_param("slug"));
    view! {
            {settled(api::get_entry(kind, slug, Some(page_lang())), move |result| {
                let entry = match result {
                    Ok(Shown::Entry(entry)) => *entry,
                    // Its version in this language has an address of its own.
                    Ok(Shown::Moved(slug)) => return moved_permanently(&href(&kind.public_path(&slug))),
                    Err(err) => return failed_public_page(err),
                };
                let path = entry.path();
                let other_path = entry.alternate.as_deref().map(|slug| kind.public_path(slug));
                if let Some(other) = &other_path {
                    set_other_version(other.clone());
                }
                let (written, note) = if entry.fallback { content_language() } else { (None, None) };
                let json_ld = (kind == EntryKind::Post).then(|| article_json_ld(&entry, &format!("{}{path}", site_origin())));
                let back = match kind {
                    EntryKind::Post => Some(("/blog", tr("home-all-posts"))),
                    EntryKind::CaseStudy => Some(("/portfolio", tr("entry-all-work"))),
                    EntryKind::Tool => Some(("/tools", tr("entry-all-tools"))),
                    _ => None,
                };
                view! {
                    <Seo
                        title=entry.title.clone()
                        description=entry.summary.clone()
                        path=path
                        image=entry.cover_image.clone()
                        og_type=if kind == EntryKind::Post { "article" } else { "website" }
                        in_both=other_path.is_some()
                        other_path=other_path.clone()
                    />
                    {json_ld.map(|j| view! { <script type="application/ld+json" inner_html=j.into_string()></script> })}
                    <article class="container narrow section prose">
                        {back.map(|(back, label)| view! { <p class="eyebrow"><a href=href(back)>{label}</a></p> })}
                        {note}
                        <h1 lang=written>{entry.title.clone()}</h1>
                        {(kind == EntryKind::Post).then(|| view! { <Byline entry=entry.clone()/> })}
                        {(kind != EntryKind::Page && !entry.summary.is_empty()).then(|| view! { <p class="lead" lang=written>{entry.summary.clone()}</p> })}
                        {(!entry.cover_image.is_empty()).then(|| view! { <img class="cover wide" src=entry.cover_image.clone() alt=""/> })}
                        <div class="prose-body" lang=written inner_html=entry.body_html.clone().into_string()></div>
                        {entry.tool.filter(|_| kind == EntryKind::Tool).map(|tool| view! {
                            <super::tools::ToolRunner tool slug=entry.slug.clone()/>
                        })}
                        {(kind == EntryKind::CaseStudy).then(|| view! {
                            <aside class="card cta-card">
                                <h2 class="h3">{tr("entry-similar")}</h2>
                                <p><a class="button" href=href("/contact")>{tr("entry-tell-us")}</a></p>
                            </aside>
                        })}
                    </article>
                }
                .into_any()
            })}
    }
}

#[component]
pub fn BlogListPage() -> impl IntoView {
    view! {
        <section class="container section">
                {settled(api::get_blog(query_param("page"), query_param("tag"), Some(page_lang())), |result| {
                    let blog = match result {
                        Ok(blog) => blog,
                        Err(err) => return failed_public_page(err),
                    };
                    let tag_query = blog.tag.as_ref().map(|t| format!("tag={t}&")).unwrap_or_default();
                    let (title, path) = match &blog.tag {
                        Some(t) => (tr_with("blog-tagged", &[("tag", t)]), format!("/blog?tag={t}")),
                        None => (tr("blog-title").to_owned(), "/blog".to_owned()),
                    };
                    let path = if blog.page > 1 { format!("{path}{}page={}", if blog.tag.is_some() { "&" } else { "?" }, blog.page) } else { path };
                    let current = blog.tag.clone();
                    view! {
                        <Seo title=title.clone() description=tr_with("blog-description", &[("name", &crate::components::studio().name)]) path=path/>
                        <div class="page-head">
                            <h1>{title}</h1>
                            <a class="button ghost small" href=href("/blog/feed.xml") rel="external">{tr("nav-rss")}</a>
                        </div>
                        {(!blog.tags.is_empty()).then(|| view! {
                            <nav class="tag-filter" aria-label=tr("blog-tags")>
                                <a class="tag" href=href("/blog") aria-current=current.is_none().then_some("page")>{tr("blog-all")}</a>
                                {blog.tags.iter().map(|t| view! {
                                    <a class="tag" href=href(&format!("/blog?tag={t}")) aria-current=(current.as_deref() == Some(t.as_str())).then_some("page")>{format!("#{t}")}</a>
                                }).collect_view()}
                            </nav>
                        })}
                        {if blog.posts.is_empty() {
                            view! { <p class="notice info">{tr("blog-empty")}</p> }.into_any()
                        } else {
                            view! { <div class="cards">{blog.posts.into_iter().map(|p| view! { <EntryCard entry=p with_date=true/> }).collect_view()}</div> }.into_any()
                        }}
                        <nav class="pagination" aria-label=tr("blog-pages")>
                            {(blog.page > 1).then(|| view! { <a class="button ghost" rel="prev" href=href(&format!("/blog?{tag_query}page={}", blog.page - 1))>{tr("blog-newer")}</a> })}
                            {blog.has_next.then(|| view! { <a class="button ghost" rel="next" href=href(&format!("/blog?{tag_query}page={}", blog.page + 1))>{tr("blog-older")}</a> })}
                        </nav>
                    }
                    .into_any()
                })}
        </section>
    }
}

#[component]
pub fn WaitlistPage() -> impl IntoView {
    view! {
        <Seo title=tr("nav-waitlist") description=tr("waitlist-description") path="/waitlist"/>
        <section class="container section">
            <h1>{tr("catalog-coming-soon")}</h1>
            <p class="lead">{tr("waitlist-lead")}</p>
            {settled(api::upcoming_products(Some(page_lang())), |result| {
                    match result {
                        Err(err) => failed_page(err),
                        Ok(list) if list.is_empty() => view! { <p class="notice info">{tr("waitlist-none")}</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="cards">{list.into_iter().map(|p| view! {
                                <article class="card">
                                    <h2 class="h3"><a href=href(&format!("/waitlist/{}", p.slug))>{p.name.clone()}</a></h2>
                                    <p>{p.summary.clone()}</p>
                                    <p><a class="button small" href=href(&format!("/waitlist/{}", p.slug))>{tr("catalog-join-waitlist")}</a></p>
                                </article>
                            }).collect_view()}</div>
                        }.into_any(),
                    }
            })}
        </section>
    }
}

#[component]
pub fn WaitlistJoinPage() -> impl IntoView {
    let query = use_query_map();
    let product = route_param("product");
    let join = ServerAction::<JoinWaitlist>::new();
    view! {
        <section class="container narrow section">
            {settled(api::waitlist_product(product, Some(page_lang())), move |result| {
                    let p = match result {
                        Ok(p) => p,
                        Err(err) => return failed_public_page(err),
                    };
                    view! {
                        <Seo title=tr_with("waitlist-title", &[("product", &p.name)]) description=p.summary.clone() path=format!("/waitlist/{}", p.slug)/>
                        <p class="eyebrow"><a href=href("/waitlist")>{tr("nav-waitlist")}</a></p>
                        <h1>{p.name.clone()}</h1>
                        <p class="lead">{p.summary.clone()}</p>
                        <div class="prose-body" inner_html=p.description_html.clone().into_string()></div>
                        {move || query.read().get("joined").map(|_| view! { <Notice message=tr("waitlist-joined")/> })}
                        <FormError action=join/>
                        <ActionForm action=join attr:class="card stack">
                            <input type="hidden" name="product" value=p.slug.clone()/>
                            <div class="field">
                                <label for="wl-email">{tr("form-email")}</label>
                                <input id="wl-email" name="email" type="email" required autocomplete="email" value=typed("email")/>
                            </div>
                            <div class="field">
                                <label for="wl-name">{tr("waitlist-name")}</label>
                                <input id="wl-name" name="name" type="text" autocomplete="name" maxlength="100" value=typed("name")/>
                            </div>
                            <button type="submit" class="primary" disabled=move || join.pending().get()>{tr("catalog-join-waitlist")}</button>
                            <p class="hint">{tr("waitlist-hint")}</p>
                        </ActionForm>
                    }
                    .into_any()
            })}
        </section>
    }
}

#[component]
pub fn ContactPage() -> impl IntoView {
    let query = use_query_map();
    let send = ServerAction::<SendContact>::new();
    view! {
        <Seo title=tr("nav-contact") description=tr_with("contact-description", &[("name", &crate::components::studio().name)]) path="/contact"/>
        <section class="container narrow section">
            <h1>{tr("contact-heading")}</h1>
            <p class="lead">{tr("contact-lead")}</p>
            // Without them (a failed read), the form alone.
            {settled(super::api::contact_details(), |details| {
                    let details = details.unwrap_or_default();
                    view! {
                        {(!details.email.is_empty()).then(|| view! {
                            <p>{tr("contact-or-write")} " " <a href=format!("mailto:{}", details.email)>{details.email.clone()}</a> "."</p>
                        })}
                        {(!details.social_links.is_empty()).then(|| view! {
                            <ul class="social-links" aria-label=tr("contact-elsewhere")>
                                {details.social_links.iter().map(|(label, url)| view! {
                                    <li><a href=url.clone() rel="me noopener">{label.clone()}</a></li>
                                }).collect_view()}
                            </ul>
                        })}
                    }
            })}
            {move || query.read().get("sent").map(|_| view! { <Notice message=tr("contact-sent")/> })}
            <FormError action=send/>
            <ActionForm action=send attr:class="card stack">
                <div class="grid-2">
                    <div class="field"><label for="c-name">{tr("form-your-name")}</label>
                        <input id="c-name" name="name" type="text" required autocomplete="name" maxlength="100" value=typed("name")/></div>
                    <div class="field"><label for="c-email">{tr("form-email")}</label>
                        <input id="c-email" name="email" type="email" required autocomplete="email" value=typed("email")/></div>
                </div>
                <div class="field"><label for="c-subject">{tr("contact-subject")}</label>
                    <input id="c-subject" name="subject" type="text" maxlength="150" value=typed("subject")/></div>
                <div class="field"><label for="c-message">{tr("contact-message")}</label>
                    <textarea id="c-message" name="message" rows="7" required minlength="10" maxlength="5000">{typed("message")}</textarea></div>
                <button type="submit" class="primary" disabled=move || send.pending().get()>{tr("contact-send")}</button>
            </ActionForm>
        </section>
    }
}
