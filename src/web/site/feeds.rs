//! Files for machines: `/robots.txt`, `/sitemap.xml` and the blog's RSS feed.
//! Built from the same public queries as the pages, through the content cache.

use crate::domain::content::EntryKind;
use crate::domain::html::escape;
use crate::domain::time::iso_date;
use crate::server::db::{catalog, content, DbError};
use crate::server::telemetry::chain;
use crate::server::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

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
/// sections, the waitlists) at both their addresses, each naming the other as its
/// translation; products and entries, written in the studio's language, at theirs.
pub async fn sitemap(State(state): State<AppState>) -> Response {
    let site = state.config.site_url.clone();
    let languages = match state.site_languages().await {
        Ok(languages) => languages,
        Err(err) => return crate::web::files::unavailable(&err, "reading the site's language for the sitemap"),
    };
    let built = state
        .cache
        .get_or_load(&state.db, "sitemap.xml".into(), move |c, now| {
            // (path, last modified, has a version in each language)
            let mut urls: Vec<(String, Option<i64>, bool)> =
                crate::domain::site_map::STATIC_PAGES.iter().map(|p| ((*p).to_owned(), None, true)).collect();
            urls.extend(
                catalog::upcoming(c)?.into_iter().map(|p| (format!("/waitlist/{}", p.slug), None::<i64>, true)),
            );
            urls.extend(catalog::sitemap(c)?.into_iter().map(|(p, t)| (p, Some(t), false)));
            urls.extend(content::sitemap(c, now)?.into_iter().map(|(p, t)| (p, Some(t), false)));
            let mut body = String::from(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
                 xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
            );
            let url = |lang, path: &str| escape(&format!("{site}{}", languages.address(lang, path)));
            for (path, modified, in_both) in urls {
                let versions: &[crate::domain::Lang] =
                    if in_both { &[languages.default, languages.other()] } else { &[languages.default] };
                for lang in versions {
                    body.push_str("  <url><loc>");
                    body.push_str(&url(*lang, &path));
                    body.push_str("</loc>");
                    if let Some(t) = modified {
                        body.push_str(&format!("<lastmod>{}</lastmod>", iso_date(t)));
                    }
                    if in_both {
                        for alternate in [languages.default, languages.other()] {
                            let href = url(alternate, &path);
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

pub async fn blog_feed(State(state): State<AppState>) -> Response {
    let site = state.config.site_url.clone();
    let name = match state.studio_settings().await {
        Ok(settings) => settings.name,
        Err(err) => return crate::web::files::unavailable(&err, "loading the studio's name for the feed"),
    };
    let built = state
        .cache
        .get_or_load(&state.db, "feed.xml".into(), move |c, now| {
            let posts = content::latest_posts(c, 20, now)?;
            let mut body = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n\
                 <title>{1} blog</title>\n<link>{0}/blog</link>\n\
                 <description>Notes from {1} on building and shipping software.</description>\n\
                 <language>en</language>\n<atom:link href=\"{0}/blog/feed.xml\" rel=\"self\" type=\"application/rss+xml\"/>\n",
                escape(&site),
                escape(&name)
            );
            if let Some(newest) = posts.first() {
                body.push_str(&format!("<lastBuildDate>{}</lastBuildDate>\n", rfc822(newest.publish_at)));
            }
            for post in &posts {
                let link = escape(&format!("{site}{}", EntryKind::Post.public_path(&post.slug)));
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
