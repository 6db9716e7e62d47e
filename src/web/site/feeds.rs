//! Files for machines: `/robots.txt`, `/sitemap.xml` and the blog's RSS feed.
//! Built from the same public queries as the pages, through the content cache.

use crate::domain::content::EntryKind;
use crate::domain::html::escape;
use crate::domain::i18n::PageLang;
use crate::domain::time::iso_date;
use crate::server::db::{catalog, content, DbError};
use crate::server::i18n::t as text;
use crate::server::telemetry::chain;
use crate::server::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /admin\nDisallow: /dashboard\nDisallow: /client\nDisallow: /api/\n\nSitemap: {}\n",
        state.config.url("/sitemap.xml")
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

fn xml(result: Result<String, DbError>, content_type: &'static str) -> Response {
    match result {
        Ok(body) => ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=300")], body)
            .into_response(),
        Err(err) => {
            tracing::error!(error = %chain(&err), "building a feed failed");
            (StatusCode::SERVICE_UNAVAILABLE, "Please try again in a moment.").into_response()
        }
    }
}

/// Every public page: the pages whose words are all the interface's (the fixed
/// sections, the waitlists) and the products and entries with a public version in
/// the other language at both their addresses, each naming the other as its
/// translation; the others, written in the studio's language, at theirs.
pub async fn sitemap(State(state): State<AppState>) -> Response {
    let site = state.config.site_url.clone();
    let languages = match state.site_languages().await {
        Ok(languages) => languages,
        Err(err) => return crate::web::files::unavailable(&err, "reading the site's language for the sitemap"),
    };
    let built = state
        .cache
        .get_or_load(&state.db, "sitemap.xml".into(), move |c, now| {
            // (path, last modified, the path of its version in the other language, if any)
            let both = |p: String| (p.clone(), None::<i64>, Some(p));
            let mut urls: Vec<(String, Option<i64>, Option<String>)> =
                crate::domain::site_map::STATIC_PAGES.iter().map(|p| both((*p).to_owned())).collect();
            urls.extend(catalog::upcoming(c, None)?.into_iter().map(|p| both(format!("/waitlist/{}", p.slug))));
            urls.extend(
                catalog::sitemap(c, languages.other())?
                    .into_iter()
                    .map(|(p, t, translated)| (p.clone(), Some(t), translated.then_some(p))),
            );
            urls.extend(content::sitemap(c, languages.other(), now)?.into_iter().map(|(p, t, o)| (p, Some(t), o)));
            let mut body = String::from(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
                 xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
            );
            let url = |lang, path: &str| escape(&format!("{site}{}", languages.address(lang, path)));
            for (path, modified, other_path) in urls {
                let path_in = |lang| if lang == languages.default { &path } else { other_path.as_ref().unwrap_or(&path) };
                let versions: &[crate::domain::Lang] = if other_path.is_some() {
                    &[languages.default, languages.other()]
                } else {
                    &[languages.default]
                };
                for lang in versions {
                    body.push_str("  <url><loc>");
                    body.push_str(&url(*lang, path_in(*lang)));
                    body.push_str("</loc>");
                    if let Some(t) = modified {
                        body.push_str(&format!("<lastmod>{}</lastmod>", iso_date(t)));
                    }
                    if other_path.is_some() {
                        for alternate in [languages.default, languages.other()] {
                            let href = url(alternate, path_in(alternate));
                            body.push_str(&format!(
                                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{href}\"/>",
                                alternate.as_str()
                            ));
                        }
                        let href = url(languages.default, &path);
                        body.push_str(&format!("<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{href}\"/>"));
                    }
                    body.push_str("</url>\n");
                }
            }
            body.push_str("</urlset>\n");
            Ok(body)
        })
        .await;
    xml(built, "application/xml; charset=utf-8")
}

/// RFC 822 dates, as RSS 2.0 requires.
fn rfc822(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc2822).ok())
        .unwrap_or_default()
}

/// The blog's newest posts, one feed per language: `/blog/feed.xml` in the studio's,
/// `/en/blog/feed.xml` (or `/id/…`) in the other, each post in it where it has a version
/// in it (else as written).
pub async fn blog_feed(State(state): State<AppState>, page: Option<Extension<PageLang>>) -> Response {
    let site_url = state.config.site_url.clone();
    let (name, site) = match (state.studio_settings().await, state.site_languages().await) {
        (Ok(settings), Ok(site)) => (settings.name, site),
        (Err(err), _) | (_, Err(err)) => {
            return crate::web::files::unavailable(&err, "loading the studio's name for the feed")
        }
    };
    let lang = page.map_or(site.default, |Extension(p)| p.lang);
    let built = state
        .cache
        .get_or_load(&state.db, format!("feed.xml:{lang}"), move |c, now| {
            let posts = content::latest_posts(c, 20, lang, site, now)?;
            let address = |path: &str| escape(&format!("{site_url}{}", site.address(lang, path)));
            let mut body = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n\
                 <title>{}</title>\n<link>{}</link>\n<description>{}</description>\n\
                 <language>{}</language>\n<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
                escape(&text(lang, "feed-title", &[("name", &name)])),
                address("/blog"),
                escape(&text(lang, "feed-description", &[("name", &name)])),
                lang.as_str(),
                address("/blog/feed.xml"),
            );
            if let Some(newest) = posts.first() {
                body.push_str(&format!("<lastBuildDate>{}</lastBuildDate>\n", rfc822(newest.publish_at)));
            }
            for post in &posts {
                let link = address(&EntryKind::Post.public_path(&post.slug));
                body.push_str(&format!(
                    "<item>\n<title>{}</title>\n<link>{link}</link>\n<guid isPermaLink=\"true\">{link}</guid>\n\
                     <pubDate>{}</pubDate>\n<description>{}</description>\n",
                    escape(&post.title),
                    rfc822(post.publish_at),
                    escape(&post.summary)
                ));
                for tag in &post.tags {
                    body.push_str(&format!("<category>{}</category>\n", escape(tag)));
                }
                body.push_str("</item>\n");
            }
            body.push_str("</channel>\n</rss>\n");
            Ok(body)
        })
        .await;
    xml(built, "application/rss+xml; charset=utf-8")
}
