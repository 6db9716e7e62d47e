//! Shared UI pieces: the site chrome, the private areas' layout, messages.

pub mod billing;
pub mod chart;
mod error_page;
pub mod license;
mod ui;

pub use error_page::{failed_page, failed_public_page, set_status, ErrorPage, NotFound};
pub use ui::{awaits_data, loaded, settled, Column, DataTable, Field, TextField, TransferFields};

use crate::domain::account::{access, Access, Area};
use crate::domain::{Role, Viewer};
use crate::error::AppError;
use leptos::prelude::*;

/// A link in a navigation bar.
#[derive(Clone, Copy)]
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
    /// The group the link is listed under (a menu of its own), if any.
    pub group: Option<&'static str>,
}

impl NavLink {
    pub const fn new(href: &'static str, label: &'static str) -> Self {
        Self { href, label, group: None }
    }

    /// A link listed in `group`'s menu: links of one group stand together.
    pub const fn in_group(group: &'static str, href: &'static str, label: &'static str) -> Self {
        Self { href, label, group: Some(group) }
    }
}

/// Header, main landmark and footer of the public site.
#[component]
pub fn SiteChrome(children: Children) -> impl IntoView {
    provide_context(OtherVersion(RwSignal::new(None)));
    view! {
        <a class="skip-link" href="#main">{tr("site-skip")}</a>
        <LanguageOffer/>
        <SiteHeader/>
        <main id="main" class="site-main">{children()}</main>
        <SiteFooter/>
    }
}

/// Who the site is, for the page being rendered: its name and legal name from the
/// settings (loaded with the viewer by the page middleware; `STUDIO_NAME` until the
/// first save). Pages render on the server only (islands), so in the browser it is empty.
pub fn studio() -> crate::domain::settings::StudioIdentity {
    #[cfg(feature = "ssr")]
    {
        crate::web::guard::page_identity().unwrap_or_else(|| crate::domain::settings::StudioIdentity {
            name: use_context::<crate::server::AppState>().map(|s| s.config.studio.name.clone()).unwrap_or_default(),
            legal_name: String::new(),
            header_links: crate::domain::navigation::Navigation::shown(
                &crate::domain::navigation::Navigation::default().header,
            ),
            footer_links: crate::domain::navigation::Navigation::shown(
                &crate::domain::navigation::Navigation::default().footer,
            ),
            ..Default::default()
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        crate::domain::settings::StudioIdentity::default()
    }
}

/// The language of the page being rendered and the site's languages, worked out once
/// per page ([`provide_page_language`]): every word of a page asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLanguage {
    pub lang: crate::domain::Lang,
    pub site: crate::domain::i18n::SiteLanguages,
}

/// Works out the page's language for the rest of its rendering (`app::pages::render`).
pub fn provide_page_language() {
    provide_context(request_language());
}

fn page_language() -> PageLanguage {
    use_context::<PageLanguage>().unwrap_or_else(request_language)
}

/// A public or sign-in page's version (the studio's language at its usual address,
/// the other's under `/en` or `/id`, see `web::middleware::page_language`); a member's
/// dashboard, a client's portal and the admin in their person's language.
fn request_language() -> PageLanguage {
    use crate::domain::i18n::SiteLanguages;
    use crate::domain::Lang;
    #[cfg(feature = "ssr")]
    {
        with_context::<axum::http::request::Parts, _>(|parts| {
            if let Some(page) = parts.extensions.get::<crate::domain::i18n::PageLang>() {
                return PageLanguage { lang: page.lang, site: page.site };
            }
            let default = parts
                .extensions
                .get::<crate::domain::settings::StudioIdentity>()
                .map(|i| i.language)
                .unwrap_or_default();
            let lang = match crate::domain::Area::of_path(parts.uri.path()) {
                // The private areas speak their person's language.
                Some(crate::domain::Area::Dashboard | crate::domain::Area::Client | crate::domain::Area::Admin) => {
                    parts
                        .extensions
                        .get::<crate::domain::account::RequestViewer>()
                        .and_then(|v| v.0.as_ref().map(|v| v.lang))
                        .unwrap_or(Lang::En)
                }
                None => default,
            };
            PageLanguage { lang, site: SiteLanguages { default } }
        })
        .unwrap_or(PageLanguage { lang: Lang::default(), site: SiteLanguages { default: Lang::default() } })
    }
    #[cfg(not(feature = "ssr"))]
    {
        PageLanguage { lang: Lang::default(), site: SiteLanguages { default: Lang::default() } }
    }
}

/// The language of the page being rendered.
pub fn page_lang() -> crate::domain::Lang {
    page_language().lang
}

/// The language version the request names, when the language middleware noted one
/// (a page under the other language's prefix, or the home page).
#[cfg(feature = "ssr")]
fn page_version() -> Option<crate::domain::i18n::PageLang> {
    with_context::<axum::http::request::Parts, _>(|p| p.extensions.get::<crate::domain::i18n::PageLang>().copied())
        .flatten()
}

/// The site's languages: the studio's and the other.
pub fn site_languages() -> crate::domain::i18n::SiteLanguages {
    page_language().site
}

/// The words of message `key` (`src/locales`) in the page's language.
pub fn tr(key: &'static str) -> &'static str {
    tr_in(page_lang(), key)
}

/// The words for one value of a coded list (`family` `kind`, code `saas`: message
/// `kind-saas`) in the page's language.
pub fn tr_code(family: &'static str, code: &str) -> &'static str {
    #[cfg(feature = "ssr")]
    {
        crate::server::i18n::text(page_lang(), &format!("{family}-{code}"))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (family, code);
        ""
    }
}

/// A message the code wrote in English (why a form was refused) in the page's language,
/// when the catalog knows it (`server::i18n::in_language`).
pub fn in_page_language(message: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        crate::server::i18n::in_language(page_lang(), message).into_owned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        message.to_owned()
    }
}

/// A label the code writes in English (a coded value's words, a table's heading) in
/// the page's language, as [`in_page_language`] finds it, kept once per process: for
/// the places that take words for the life of the program (a field's label).
pub fn in_page_language_static(label: &'static str) -> &'static str {
    #[cfg(feature = "ssr")]
    {
        crate::server::i18n::label_in(page_lang(), label)
    }
    #[cfg(not(feature = "ssr"))]
    {
        label
    }
}

/// What an audit line says happened (`order.refund_recorded`) in the page's language:
/// "Refund recorded", "Pengembalian dana dicatat"; a code the catalog does not name as
/// it is stored.
pub fn audit_words(action: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        let key = format!("audit-{}", action.replace('.', "-"));
        crate::server::i18n::text_if(page_lang(), &key).map_or_else(|| action.to_owned(), str::to_owned)
    }
    #[cfg(not(feature = "ssr"))]
    {
        action.to_owned()
    }
}

/// A price the server wrote in English ("Rp 150.000 per month") in the page's language
/// ("Rp 150.000 per bulan"): the amount reads the same in both.
pub fn price_in_page_language(label: &str) -> String {
    for (suffix, period) in [(" per month", "monthly"), (" per year", "yearly")] {
        if let Some(amount) = label.strip_suffix(suffix) {
            return format!("{amount} {}", tr_code("billing", period));
        }
    }
    label.to_owned()
}

/// The words of message `key` in `lang`.
pub fn tr_in(lang: crate::domain::Lang, key: &'static str) -> &'static str {
    #[cfg(feature = "ssr")]
    {
        crate::server::i18n::text(lang, key)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = lang;
        key
    }
}

/// Message `key` in the page's language with `args` put in (`{ $name }`).
pub fn tr_with(key: &'static str, args: &[(&'static str, &str)]) -> String {
    #[cfg(feature = "ssr")]
    {
        crate::server::i18n::fill(page_lang(), key, args)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = args;
        key.to_owned()
    }
}

/// The address of the site's page `path` (`/products/kit`, `/login?next=…`) in the
/// language of the page being rendered: unchanged in the studio's language,
/// `/en/products/kit` in the other.
pub fn href(path: &str) -> String {
    let PageLanguage { lang, site } = page_language();
    site.address(lang, path)
}

/// A moment as the page's language writes it, in Jakarta: "6 Desember 2026 pukul
/// 14.05 WIB", "6 December 2026 at 14:05 WIB" (`domain::i18n`, one place per language).
pub fn when(unix: i64) -> String {
    page_lang().date_time(unix)
}

/// A day as the page's language writes it: "6 Desember 2026", "6 December 2026".
pub fn day(unix: i64) -> String {
    page_lang().date(unix)
}

/// How long ago (or how soon) `unix` is from the server's clock, in the page's
/// language: "3 days ago", "in 2 hours", "3 hari yang lalu", "2 jam lagi".
pub fn relative(unix: i64) -> String {
    #[cfg(feature = "ssr")]
    let now = use_context::<crate::server::AppState>().map(|s| s.clock.now()).unwrap_or(unix);
    #[cfg(not(feature = "ssr"))]
    let now = unix;
    page_lang().relative(unix, now)
}

/// An event's words in the page's language: message `<prefix>-<kind>` (or
/// `<prefix>-<kind>-<why>`, by its value `why`) with its values put in, its moments
/// and days as the language writes them.
pub fn event_words(prefix: &str, kind: &str, values: &[(String, String)]) -> String {
    let value = |name: &str| values.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let key = match value("why") {
        Some(why) => format!("{prefix}-{kind}-{why}"),
        None => format!("{prefix}-{kind}"),
    };
    const NAMES: [&str; 19] = [
        "plan", "order", "days", "note", "price", "until", "at", "due", "title", "total", "reason", "number",
        "version", "file", "comment", "name", "gateway", "login", "repo",
    ];
    let formatted: Vec<(&'static str, String)> = NAMES
        .into_iter()
        .filter_map(|name| {
            let raw = value(name)?;
            let shown = match name {
                "until" | "at" => raw.parse().map_or_else(|_| raw.to_owned(), when),
                "due" => raw.parse().map_or_else(|_| raw.to_owned(), day),
                "price" => price_in_page_language(raw),
                _ => raw.to_owned(),
            };
            Some((name, shown))
        })
        .collect();
    let args: Vec<(&'static str, &str)> = formatted.iter().map(|(n, v)| (*n, v.as_str())).collect();
    #[cfg(feature = "ssr")]
    {
        crate::server::i18n::fill(page_lang(), &key, &args)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = args;
        key
    }
}

/// What a delivery says to its buyer in the page's language: from its values when it
/// kept them (`delivery-note-<why>`), else its words as the catalog knows them.
pub fn delivery_words(detail: &str, note: &[(String, String)]) -> String {
    match note.is_empty() {
        true => in_page_language(detail),
        false => event_words("delivery", "note", note),
    }
}

/// A line of a subscription's history in the page's language (`sub-event-<kind>`),
/// and who did it; a line kept in English before, as the catalog knows it.
pub fn history_words(event: &crate::domain::subscriptions::HistoryEvent) -> String {
    let what = match &event.said {
        Some(said) => in_page_language(said),
        None => event_words("sub-event", &event.kind, &event.values),
    };
    match &event.by {
        Some(by) => tr_with("sub-event-by", &[("what", &what), ("by", by)]),
        None => what,
    }
}

/// A recent moment as how long ago it was, its date and time on hover (and for machines).
#[component]
pub fn Ago(at: i64) -> impl IntoView {
    view! { <time datetime=format!("{}Z", crate::domain::time::datetime_local(at)) title=when(at)>{relative(at)}</time> }
}

/// This year, in Jakarta (the footer's copyright line).
fn current_year() -> i64 {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::server::AppState>()
            .map(|s| crate::domain::time::jakarta_year(s.clock.now()))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        0
    }
}

#[component]
pub fn Brand() -> impl IntoView {
    let studio = studio();
    let label = tr_with("site-brand-home", &[("name", &studio.name)]);
    let mark = match studio.logo_href() {
        Some(src) if studio.logo_has_name => {
            view! { <img class="brand-logo wide" src=src alt=studio.name.clone() height="40"/> }.into_any()
        }
        Some(src) => view! { <img class="brand-logo" src=src alt="" height="32"/> }.into_any(),
        None => view! {
            <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true" width="28" height="28">
                <rect width="32" height="32" rx="8" fill="currentColor"/>
                <text x="16" y="22.5" text-anchor="middle" font-family="Georgia, serif" font-size="19" font-weight="700" fill="var(--paper)">
                    {studio.monogram().to_string()}
                </text>
            </svg>
        }
        .into_any(),
    };
    let name = (!(studio.logo.is_some() && studio.logo_has_name)).then(|| view! { <span>{studio.name.clone()}</span> });
    view! {
        <a class="brand" href=href("/") aria-label=label>
            {mark}
            {name}
        </a>
    }
}

/// The site's top bar. On narrow screens the links fold behind a "Menu" button
/// (a plain list without JavaScript; a toggle once its island is hydrated).
/// Signed in, the last link leads to the person's own area (by role only: public
/// pages are shared by everyone with the same role, see `server::cache`).
#[component]
pub fn SiteHeader() -> impl IntoView {
    let (link, label) = match current_role() {
        None => (href("/login"), tr("site-sign-in")),
        Some(Role::Member) => ("/dashboard".to_owned(), tr("site-dashboard")),
        Some(Role::Client) => ("/client".to_owned(), tr("site-client-portal")),
        Some(Role::Staff) => ("/admin".to_owned(), tr("site-admin")),
    };
    view! {
        <header class="site-header">
            <div class="container header-row">
                <Brand/>
                <SiteMenu links=site_menus().header>
                    <a class="button small" href=link>{label}</a>
                </SiteMenu>
            </div>
        </header>
    }
}

/// The public site's menu, as staff set it (`/admin/navigation`): like [`Menu`],
/// over links read at run time. Addresses of files (`.xml`) and of other sites leave
/// the page as plain links.
#[component]
fn SiteMenu(links: Vec<(String, String)>, children: Children) -> impl IntoView {
    let here = current_path();
    let items = links
        .into_iter()
        .map(|(label, link)| {
            let current = (here == link).then_some("page");
            let external = (link.starts_with("https://") || link.ends_with(".xml")).then_some("external");
            let (label, link) = menu_link(label, link);
            view! { <li><a href=link aria-current=current rel=external>{label}</a></li> }
        })
        .collect_view();
    view! {
        <nav class="menu" aria-label=tr("site-menu-main")>
            <input type="checkbox" id="menu-main" class="menu-switch" aria-controls="menu-list"/>
            <label for="menu-main" class="menu-toggle"><span class="menu-icon" aria-hidden="true"></span>{tr("site-menu")}</label>
            <ul id="menu-list" class="menu-list">
                {items}
                <li class="menu-extra">{children()}</li>
            </ul>
        </nav>
    }
}

/// A navigation list, the current page marked. On small screens a checkbox styled as a
/// "Menu" button opens it (HTML and CSS only: the public pages load no script).
#[component]
pub fn Menu(
    links: &'static [NavLink],
    label: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let here = current_path();
    let switch = format!("menu-{}", label.to_ascii_lowercase().replace(' ', "-"));
    view! {
        <nav class="menu" aria-label=in_page_language(label)>
            <input type="checkbox" id=switch.clone() class="menu-switch" aria-controls="menu-list"/>
            <label for=switch class="menu-toggle"><span class="menu-icon" aria-hidden="true"></span>{tr("site-menu")}</label>
            <ul id="menu-list" class="menu-list">
                {nav_items(links, &here)}
                {children.map(|c| view! { <li class="menu-extra">{c()}</li> })}
            </ul>
        </nav>
    }
}

/// A menu link as the page shows it: a label that still reads as a new studio's
/// menus have it in the page's language, and an address of the site in its version.
/// The header's and the footer's links as the page's language shows them: the menus'
/// version in it where staff wrote one, else the menus as written.
fn site_menus() -> crate::domain::settings::ShownMenus {
    let identity = studio();
    match identity.other_links {
        Some(other) if page_lang() != site_languages().default => other,
        _ => crate::domain::settings::ShownMenus { header: identity.header_links, footer: identity.footer_links },
    }
}

fn menu_link(label: String, link: String) -> (String, String) {
    let label = match crate::domain::navigation::default_label_key(&label, &link) {
        Some(key) => tr(key).to_owned(),
        None => label,
    };
    (label, site_link(&link))
}

/// A link staff wrote (a menu, the home page's buttons) as the page shows it: a page of
/// the site in the page's language version; anything else (another site, a feed, a
/// file, a private area) as written.
pub fn site_link(link: &str) -> String {
    let path = link.split(['?', '#']).next().unwrap_or_default();
    let of_site = link.starts_with('/')
        && !link.starts_with("//")
        && (!path.ends_with(".xml") || path == "/blog/feed.xml")
        && crate::domain::Area::of_path(path).is_none()
        && !["/api/", "/files/", "/uploads/"].iter().any(|p| path.starts_with(p));
    if of_site {
        href(link)
    } else {
        link.to_owned()
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="container footer-grid">
                <div>
                    <Brand/>
                    <p class="muted">{tr("site-footer-tagline")}</p>
                </div>
                <nav aria-label=tr("site-menu-footer")>
                    <ul class="footer-links">
                        {site_menus().footer.into_iter().map(|(label, link)| {
                            let external = (link.starts_with("https://") || link.ends_with(".xml")).then_some("external");
                            let (label, link) = menu_link(label, link);
                            view! { <li><a href=link rel=external>{label}</a></li> }
                        }).collect_view()}
                    </ul>
                </nav>
            </div>
            <div class="container footer-base muted">
                <span>{studio().copyright(current_year())}</span>
                <LanguageSwitch/>
            </div>
        </footer>
    }
}

/// The page's address as the request gave it, its language prefix taken off, with
/// the parts of its query that make it another page of a list (`/blog?tag=rust&page=2`).
fn current_address() -> String {
    #[cfg(feature = "ssr")]
    {
        with_context::<axum::http::request::Parts, _>(|parts| {
            let kept: Vec<&str> = parts
                .uri
                .query()
                .unwrap_or_default()
                .split('&')
                .filter(|pair| pair.starts_with("page=") || pair.starts_with("tag="))
                .collect();
            match kept.is_empty() {
                true => parts.uri.path().to_owned(),
                false => format!("{}?{}", parts.uri.path(), kept.join("&")),
            }
        })
        .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

/// The path of the page's version in the other language, when it is not the page's
/// own path (an entry's version has a slug of its own): set by the page, read by the
/// footer's [`LanguageSwitch`] as the page is written out.
#[derive(Clone, Copy)]
struct OtherVersion(RwSignal<Option<String>>);

/// Names the path of this page's version in the other language (unprefixed), for the
/// footer's switch. Only for a page whose other version is at another path.
pub fn set_other_version(path: String) {
    if let Some(OtherVersion(other)) = use_context::<OtherVersion>() {
        other.set(Some(path));
    }
}

/// The same page in the other language, in the footer: its name in itself, linked.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let other = page_lang().other();
    let site = site_languages();
    let here = current_address();
    let named = use_context::<OtherVersion>();
    // Read when the footer is written, after the page above it has been built.
    let link = move || {
        let path = named.and_then(|OtherVersion(p)| p.get()).unwrap_or_else(|| here.clone());
        site.address(other, &path)
    };
    view! {
        <nav class="language-switch" aria-label=tr("site-language")>
            <a href=link hreflang=other.as_str() lang=other.as_str()>{other.label()}</a>
        </nav>
    }
}

/// Sends the request being rendered on to `path` for good (a 301: the page lives there).
pub fn moved_permanently(path: &str) -> AnyView {
    redirect(path);
    set_status(301);
    ().into_any()
}

/// The home page, in the studio's language, to a visitor arriving from elsewhere
/// whose browser prefers the other: a line in that language linking its version.
#[component]
fn LanguageOffer() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let offered = page_version().filter(|p| p.offer).map(|p| p.site.other());
    #[cfg(not(feature = "ssr"))]
    let offered: Option<crate::domain::Lang> = None;
    offered.map(|other| {
        let link = site_languages().address(other, "/");
        view! {
            <p class="language-offer" lang=other.as_str()>
                {tr_in(other, "site-offer")}" "
                <a href=link hreflang=other.as_str()>{tr_in(other, "site-offer-link")}</a>
            </p>
        }
    })
}

/// The site's public address: `SITE_URL` on the server, the page's origin in the browser.
pub fn site_origin() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::server::AppState>().map(|s| s.config.site_url.clone()).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        window().location().origin().unwrap_or_default()
    }
}

/// The page's `<meta name="description">`. Every page has exactly one: public pages
/// through [`Seo`] (or, when their data did not load, `failed_public_page`), the
/// account pages and each private area from their layout. Never rendered inside a
/// `Suspense` that may re-run, and never decided by what else rendered first.
#[component]
pub fn Description(#[prop(into)] content: String) -> impl IntoView {
    view! { <leptos_meta::Meta name="description" content=content/> }
}

/// Title, description, canonical address, OpenGraph and Twitter tags of a public page.
#[component]
pub fn Seo(
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    #[prop(into)] path: String,
    #[prop(optional, into)] image: Option<String>,
    #[prop(default = "website")] og_type: &'static str,
    /// The page has a version in each language (an entry written in one language
    /// only does not: its other address is then not offered as a translation, and
    /// names the one it shows as canonical).
    #[prop(default = true)]
    in_both: bool,
    /// The (unprefixed) path of its version in the other language, when that is not
    /// `path` (an entry's version has its own slug).
    #[prop(default = None)]
    other_path: Option<String>,
) -> impl IntoView {
    use leptos_meta::{Link, Meta, Title};
    let origin = site_origin();
    let (lang, site) = (page_lang(), site_languages());
    let shown = if in_both { lang } else { site.default };
    let url = format!("{origin}{}", site.address(shown, &path));
    let path_in = |l| if l == lang { path.clone() } else { other_path.clone().unwrap_or_else(|| path.clone()) };
    let alternates = in_both.then(|| {
        let pair = [lang, lang.other()].map(|l| {
            let href = format!("{origin}{}", site.address(l, &path_in(l)));
            view! { <Link rel="alternate" hreflang=l.as_str() href/> }
        });
        let default = format!("{origin}{}", site.address(site.default, &path_in(site.default)));
        view! { {pair} <Link rel="alternate" hreflang="x-default" href=default/> }
    });
    let locale = match lang {
        crate::domain::Lang::Id => "id_ID",
        crate::domain::Lang::En => "en_US",
    };
    let site = studio().name;
    let full_title = studio().title(&title);
    let image = image.filter(|i| !i.is_empty()).map(|i| if i.starts_with('/') { format!("{origin}{i}") } else { i });
    let card = if image.is_some() { "summary_large_image" } else { "summary" };
    view! {
        <Title text=title/>
        <Description content=description.clone()/>
        <Link rel="canonical" href=url.clone()/>
        {alternates}
        <Meta property="og:type" content=og_type/>
        <Meta property="og:locale" content=locale/>
        <Meta property="og:site_name" content=site/>
        <Meta property="og:title" content=full_title.clone()/>
        <Meta property="og:description" content=description.clone()/>
        <Meta property="og:url" content=url/>
        <Meta name="twitter:card" content=card/>
        <Meta name="twitter:title" content=full_title/>
        <Meta name="twitter:description" content=description/>
        {image.map(|i| view! { <Meta property="og:image" content=i.clone()/><Meta name="twitter:image" content=i/> })}
    }
}

/// The signed-in person of the page being rendered: loaded once per request by
/// the page middleware, so a page never waits (or suspends) for it. Pages render
/// on the server only (islands), so in the browser there is nobody to ask.
pub fn current_viewer() -> Option<Viewer> {
    #[cfg(feature = "ssr")]
    {
        crate::web::guard::page_viewer()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The role of the signed-in person, if anyone is signed in: all a public page may
/// depend on. Public pages are rendered once per role and shared (`server::cache`),
/// so they must not show anything of the person themselves: use [`current_viewer`]
/// only in the private areas.
pub fn current_role() -> Option<Role> {
    current_viewer().map(|v| v.role)
}

/// What the person typed into `field` before their submission was refused (no
/// JavaScript: the page came back with the error), so they do not type it again.
/// Empty otherwise. Never a password.
pub fn typed(field: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        crate::web::guard::typed_input(field).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = field;
        String::new()
    }
}

/// The page's route parameter `name` (`{slug}`, `{id}`) as the address gave it, empty
/// when absent (`app::pages` provides them). Pages render once, on the server.
pub fn route_param(name: &str) -> String {
    with_context::<RouteParams, _>(|RouteParams(params)| params.get(name)).flatten().unwrap_or_default()
}

/// The route parameters of the page being rendered, provided by `app::pages`.
#[derive(Clone, Debug, Default)]
pub struct RouteParams(pub leptos_router::params::ParamsMap);

/// The page's `:id` as a number; 0 (which matches no row) when it is not one.
pub fn route_id() -> i64 {
    route_param("id").parse().unwrap_or(0)
}

/// The query parameter `name` as the address gave it, empty when absent (read once, as
/// [`route_param`]).
pub fn query_param(name: &str) -> String {
    leptos_router::hooks::use_query_map().read_untracked().get(name).unwrap_or_default()
}

/// "Newer" and "Older" links of a paged list: the page's own address with the current
/// filters and the neighbour's cursor (`after=` / `before=`).
#[component]
pub fn Pager(
    newer: Option<String>,
    older: Option<String>,
    /// The words of the two links, for a list not ordered newest first.
    #[prop(default = ("← Newer", "Older →"))]
    labels: (&'static str, &'static str),
) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map().read_untracked().clone();
    let path = current_path();
    let link = move |key: &str, cursor: &str| {
        use crate::domain::account::query_value;
        let mut pairs: Vec<String> = (&query)
            .into_iter()
            .filter(|(k, v)| !v.is_empty() && *k != "before" && *k != "after")
            .map(|(k, v)| format!("{}={}", query_value(k), query_value(v)))
            .collect();
        pairs.push(format!("{key}={cursor}"));
        format!("{path}?{}", pairs.join("&"))
    };
    (newer.is_some() || older.is_some()).then(|| {
        view! {
            <nav class="pager" aria-label=in_page_language("Pages")>
                {newer.map(|c| view! { <a rel="prev" href=link("after", &c)>{in_page_language(labels.0)}</a> })}
                {older.map(|c| view! { <a rel="next" href=link("before", &c)>{in_page_language(labels.1)}</a> })}
            </nav>
        }
    })
}

/// The outcome of the tool run this page shows: set only on the page a form post
/// without JavaScript was sent back to.
pub fn tool_outcome() -> Option<crate::domain::tools::ToolOutcome> {
    #[cfg(feature = "ssr")]
    {
        crate::web::guard::tool_outcome()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// A whole refused form as typed, for forms whose fields are named `{prefix}[field]`
/// (the admin editors): `None` unless this page shows a refused submission.
pub fn typed_form<T: serde::de::DeserializeOwned>(prefix: &str) -> Option<T> {
    #[cfg(feature = "ssr")]
    {
        crate::web::guard::typed_form(prefix)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = prefix;
        None
    }
}

/// A one-button form that signs out (a POST, so no link can sign someone out).
#[component]
pub fn SignOutButton() -> impl IntoView {
    view! {
        <form method="post" action="/api/auth/logout" class="inline-form">
            <button type="submit" class="button ghost small">{tr("auth-sign-out")}</button>
        </form>
    }
}

/// Layout of a private area (dashboard, client portal, admin): the area's navigation,
/// the signed-in person, and `page`, or the reason they cannot see it. The areas are
/// routed by axum, not by the Leptos router (`app::pages`), so the page comes in as
/// the function that renders it.
///
/// The viewer is read synchronously, and the page is never inside a `<Suspense>`: a
/// Suspense re-runs its children to find their resources, which would create every
/// page (and its data loads) two or three times per request.
#[component]
pub fn AreaLayout(area: Area, title: &'static str, links: &'static [NavLink], page: fn() -> AnyView) -> impl IntoView {
    let viewer = current_viewer();
    let name = studio().name;
    let description = match area {
        Area::Dashboard => tr_with("area-dashboard-description", &[("name", &name)]),
        Area::Client => tr_with("area-client-description", &[("name", &name)]),
        Area::Admin => tr_with("area-admin-description", &[("name", &name)]),
    };

    let body = match access(area, viewer.as_ref()) {
        Access::Allowed => page(),
        // The middleware redirects full page loads first; these cover anything else.
        Access::SignIn => {
            redirect(&format!("/login?next={}", current_path()));
            ().into_any()
        }
        Access::VerifyEmail => {
            redirect("/verify-email");
            ().into_any()
        }
        Access::Forbidden => {
            set_status(403);
            view! { <ErrorPage error=AppError::Forbidden/> }.into_any()
        }
    };
    view! {
        <Description content=description/>
        {area_header(title, links, viewer.map(|v| v.name))}
        <main id="main" class="container area-main">{body}</main>
    }
}

/// Answers the request being rendered with a redirect to `path` (a 302; the page's
/// body is not shown).
fn redirect(path: &str) {
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(path);
    #[cfg(not(feature = "ssr"))]
    let _ = path;
}

/// The path of the page being rendered (`/admin/orders`), from the request. Pages
/// render on the server only; in the browser (islands) it is empty.
pub fn current_path() -> String {
    #[cfg(feature = "ssr")]
    {
        with_context::<axum::http::request::Parts, _>(|parts| parts.uri.path().to_owned()).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

/// The skip link and an area's header: its name, its navigation (the current page
/// marked) and the signed-in person with the sign-out button.
fn area_header_view(title: &'static str, links: &'static [NavLink], name: Option<String>) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">{tr("site-skip")}</a>
        <header class="site-header area-header">
            <div class="container header-row">
                <Brand/>
                <span class="area-name">{in_page_language(title)}</span>
                <Menu links=links label=title>
                    {name.map(|name| view! {
                        <span class="viewer-name muted">{name}</span>
                        <SignOutButton/>
                    })}
                </Menu>
            </div>
        </header>
    }
}

/// [`area_header_view`], on the server rendered once per area, current page and
/// signed-in-or-not, then reused with the person's name put in: the same bytes as
/// rendering it, for ~12 % fewer instructions per dashboard page (README, "Performance").
fn area_header(title: &'static str, links: &'static [NavLink], name: Option<String>) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        header_cache::header(title, links, name)
    }
    #[cfg(not(feature = "ssr"))]
    {
        area_header_view(title, links, name)
    }
}

#[cfg(feature = "ssr")]
mod header_cache {
    use super::NavLink;
    use leptos::prelude::*;
    use leptos::tachys::html::InertElement;
    use std::collections::HashMap;
    use std::sync::{LazyLock, RwLock};

    /// Stands for the person's name in a cached header: private-use characters, which
    /// HTML escaping leaves as they are and no name or label here contains.
    pub(super) const NAME: &str = "\u{E000}name\u{E000}";

    /// The area (its title), the current link's index, whether someone is signed in,
    /// and the studio's brand as the header shows it (its name and logo: a rename or a
    /// new logo is a new header).
    type Key = (&'static str, Option<usize>, bool, String, crate::domain::Lang);

    static HEADERS: LazyLock<RwLock<HashMap<Key, String>>> = LazyLock::new(Default::default);

    pub(super) fn header(title: &'static str, links: &'static [NavLink], name: Option<String>) -> InertElement {
        let here = super::current_path();
        let studio = super::studio();
        let brand =
            format!("{}\u{E000}{}\u{E000}{}", studio.name, studio.logo.unwrap_or_default(), studio.logo_has_name);
        let key = (title, links.iter().position(|link| link.href == here), name.is_some(), brand, super::page_lang());
        let fill = |template: &str| match &name {
            Some(name) => template.replacen(NAME, &crate::domain::html::text(name), 1),
            None => template.to_owned(),
        };
        if let Some(template) = HEADERS.read().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return InertElement::new(fill(template));
        }
        let mut template = super::area_header_view(title, links, name.as_ref().map(|_| NAME.to_owned())).to_html();
        // Rendered alone, the fragment ends with its own marker, which the page has not.
        if template.ends_with("<!>") {
            template.truncate(template.len() - 3);
        }
        let html = fill(&template);
        if name.is_none() || template.matches(NAME).count() == 1 {
            HEADERS.write().unwrap_or_else(|e| e.into_inner()).insert(key, template);
        }
        InertElement::new(html)
    }
}

/// The menu's items: a link, or a group's links behind its name (`<details>`: it
/// opens without script), the group of the current page marked.
fn nav_items(links: &'static [NavLink], here: &str) -> impl IntoView {
    let link = |link: &'static NavLink| {
        let current = (here == link.href).then_some("page");
        view! { <li><a href=link.href aria-current=current>{in_page_language(link.label)}</a></li> }
    };
    let mut items = Vec::new();
    let mut rest = links;
    while let Some(first) = rest.first() {
        let Some(group) = first.group else {
            items.push(link(first).into_any());
            rest = &rest[1..];
            continue;
        };
        let len = rest.iter().take_while(|l| l.group == Some(group)).count();
        let (members, after) = rest.split_at(len);
        let current = members.iter().any(|l| l.href == here).then_some("current");
        items.push(
            view! {
                <li class="nav-group">
                    <details>
                        <summary class=current>{group}</summary>
                        <ul>{members.iter().map(link).collect_view()}</ul>
                    </details>
                </li>
            }
            .into_any(),
        );
        rest = after;
    }
    items
}

/// The error of the last submission of a form, in `role="alert"` (also after a
/// JavaScript-free POST, where Leptos carries it back in the URL).
#[component]
pub fn FormError<S>(action: ServerAction<S>) -> impl IntoView
where
    S: leptos::server_fn::ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    move || match action.value().get() {
        Some(Err(err)) => Some(view! { <p class="notice error" role="alert">{in_page_language(&err.to_string())}</p> }),
        _ => None,
    }
}

/// The result of an action: success in `role="status"`, failure in `role="alert"`.
#[component]
pub fn Notice(#[prop(into)] message: String, #[prop(optional)] error: bool) -> impl IntoView {
    if error {
        view! { <p class="notice error" role="alert">{message}</p> }.into_any()
    } else {
        view! { <p class="notice success" role="status">{message}</p> }.into_any()
    }
}

/// An order's status as a coloured badge.
pub fn status_badge(status: crate::domain::orders::OrderStatus) -> impl IntoView {
    use crate::domain::orders::OrderStatus;
    let class = match status {
        OrderStatus::Paid => "badge ok",
        OrderStatus::Failed | OrderStatus::Expired | OrderStatus::Cancelled | OrderStatus::Refunded => "badge bad",
        OrderStatus::Pending => "badge",
    };
    view! { <span class=class>{tr_code("order-status", status.as_str())}</span> }
}

/// One person's orders as a table; each links to `{href_prefix}{public id}`.
#[component]
pub fn OrderTable(orders: Vec<crate::domain::orders::OrderView>, href_prefix: &'static str) -> impl IntoView {
    const COLUMNS: &[Column] = &[
        Column::text("Order"),
        Column::text("Product"),
        Column::text("Date"),
        Column::num("Amount"),
        Column::text("Status"),
    ];
    view! {
        <DataTable columns=COLUMNS>
            {orders.into_iter().map(|o| view! {
                <tr>
                    <td><a href=format!("{href_prefix}{}", o.public_id)>{o.public_id.clone()}</a></td>
                    <td>{o.product_name.clone()}</td>
                    <td>{when(o.created_at)}</td>
                    <td class="num">{o.amount_label()}</td>
                    <td>{status_badge(o.status)}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}

/// Where a subscription stands, in words: "renews on …", "lapsed on …; access until …".
pub fn renewal_state(s: &crate::domain::subscriptions::SubscriptionView) -> String {
    use crate::domain::subscriptions::SubscriptionStatus;
    let end = when(s.current_period_end);
    match s.status {
        SubscriptionStatus::Active => tr_with("renewal-active", &[("end", &end)]),
        SubscriptionStatus::PastDue => {
            let until = s.grace_until.map(when).unwrap_or_else(|| end.clone());
            tr_with("renewal-past-due", &[("end", &end), ("until", &until)])
        }
        SubscriptionStatus::Cancelled => tr_with("renewal-cancelled", &[("end", &end)]),
        SubscriptionStatus::Expired => tr_with("renewal-expired", &[("end", &end)]),
        SubscriptionStatus::Paused => {
            let until = s.paused_until.map(when).unwrap_or_default();
            tr_with("renewal-paused", &[("end", &end), ("until", &until)])
        }
    }
}

pub fn subscription_badge(status: crate::domain::subscriptions::SubscriptionStatus) -> impl IntoView {
    view! { <span class=subscription_badge_class(status)>{tr_code("subscription-status", status.as_str())}</span> }
}

/// A subscription status's badge class: good, bad, or neither.
pub fn subscription_badge_class(status: crate::domain::subscriptions::SubscriptionStatus) -> &'static str {
    use crate::domain::subscriptions::SubscriptionStatus;
    match status {
        SubscriptionStatus::Active => "badge ok",
        SubscriptionStatus::PastDue | SubscriptionStatus::Expired => "badge bad",
        SubscriptionStatus::Cancelled | SubscriptionStatus::Paused => "badge",
    }
}

/// The standard placeholder while a page's data loads.
pub fn loading() -> impl IntoView {
    view! { <p class="muted">"Loading…"</p> }
}
