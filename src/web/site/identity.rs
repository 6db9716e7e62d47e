//! Who the studio is, for browsers: the web app manifest, the stylesheet of its
//! accent colour, its logo and icons (or the monogram of its name's first letter),
//! all from the settings (at once after a save). Each is linked by an address that
//! names its version, and kept for good by browsers when asked for by that address.

use crate::domain::settings::theme_css;
use crate::domain::tools::Rgb;
use crate::server::db::studio_images;
use crate::server::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// `GET /manifest.webmanifest`: the web app manifest, named after the studio (its
/// settings, at once after a save).
pub async fn manifest(State(state): State<AppState>) -> Response {
    let settings = match state.studio_settings().await {
        Ok(settings) => settings,
        Err(err) => return crate::web::files::unavailable(&err, "loading the studio's name for the manifest"),
    };
    // Home screens show about 15 characters: a longer name by its first word.
    let short = if settings.name.chars().count() <= 15 {
        settings.name.clone()
    } else {
        settings.name.split_whitespace().next().unwrap_or_default().chars().take(15).collect()
    };
    let identity = settings.identity();
    let icons = if identity.logo.is_some() {
        serde_json::json!([
            { "src": identity.icon_href(192), "sizes": "192x192", "type": "image/png" },
            { "src": identity.icon_href(512), "sizes": "512x512", "type": "image/png" },
        ])
    } else {
        serde_json::json!([{ "src": identity.icon_href(32), "sizes": "any", "type": "image/svg+xml" }])
    };
    let body = serde_json::json!({
        "name": settings.name,
        "short_name": short,
        "start_url": "/",
        "display": "browser",
        "background_color": "#f5f2ed",
        "theme_color": "#1c1917",
        "icons": icons,
    });
    ([(header::CONTENT_TYPE, "application/manifest+json"), (header::CACHE_CONTROL, "no-cache")], body.to_string())
        .into_response()
}

/// `GET /theme.css?v=RRGGBB`: the custom properties of the accent colour staff chose
/// (the default stylesheet's own when none is). Linked from every page's head by an
/// address that names the colour, so a page asking for the current colour may keep
/// it for good; any other version is sent fresh each time.
pub async fn theme(State(state): State<AppState>, Query(q): Query<Version>) -> Response {
    let identity = match state.studio_identity().await {
        Ok(identity) => identity,
        Err(err) => return crate::web::files::unavailable(&err, "loading the accent colour for the theme"),
    };
    let accent = identity
        .accent
        .as_deref()
        .and_then(|hex| Rgb::parse(hex, "accent").ok())
        .unwrap_or(crate::domain::tools::DEFAULT_ACCENT);
    let current = identity.accent.is_some() && identity.accent.as_deref() == Some(q.v.as_str());
    versioned("text/css; charset=utf-8", current, theme_css(accent).into_bytes())
}

/// `?v=` of a versioned address.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Version {
    #[serde(default)]
    v: String,
}

/// An answer kept for good when it is the `current` version of its address, else checked each time.
fn versioned(content_type: &'static str, current: bool, body: Vec<u8>) -> Response {
    let cache = if current { "public, max-age=31536000, immutable" } else { "no-cache" };
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, cache)], body).into_response()
}

/// `GET /logo.png?v=…`: the logo as shown (a PNG drawn from the upload).
pub async fn logo(State(state): State<AppState>, Query(q): Query<Version>) -> Response {
    image(&state, "logo", &q.v).await
}

/// `GET /icons/{size}.png?v=…`: a square icon drawn from the logo (32, 180, 192, 512 px).
pub async fn icon(State(state): State<AppState>, Path(file): Path<String>, Query(q): Query<Version>) -> Response {
    let size = file.strip_suffix(".png").and_then(|s| s.parse::<u32>().ok());
    match size.filter(|s| crate::server::studio::logo::ICON_SIZES.contains(s)) {
        Some(size) => image(&state, &format!("icon-{size}"), &q.v).await,
        None => crate::web::files::not_found("There is no icon at this address."),
    }
}

async fn image(state: &AppState, name: &str, version: &str) -> Response {
    let key = name.to_owned();
    match state.db.read(move |c| studio_images::get(c, &key)).await {
        Ok(Some(found)) => {
            let current = found.version == version;
            // Every stored image is a PNG the server drew (`server::studio::logo`).
            versioned("image/png", current, found.bytes)
        }
        Ok(None) => crate::web::files::not_found("The studio has no logo."),
        Err(err) => crate::web::files::unavailable(&err, "loading the studio's logo"),
    }
}

/// `GET /favicon.svg?v=…`: the monogram of the studio name's first letter (the icon
/// of a studio without a logo; with one, the icon drawn from it is linked instead).
pub async fn favicon(State(state): State<AppState>, Query(q): Query<Version>) -> Response {
    let identity = match state.studio_identity().await {
        Ok(identity) => identity,
        Err(err) => return crate::web::files::unavailable(&err, "loading the studio's name for its icon"),
    };
    let current = identity.logo.is_none() && identity.icon_href(32).ends_with(&format!("?v={}", q.v));
    versioned("image/svg+xml", current, crate::domain::settings::monogram_svg(identity.monogram()).into_bytes())
}
