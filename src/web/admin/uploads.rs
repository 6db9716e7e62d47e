//! Staff image uploads (multipart) and the no-JavaScript Markdown preview: staff
//! endpoints that are not Leptos server functions.

use crate::domain::html::escape;
use crate::server::db::uploads;
use crate::server::telemetry::chain;
use crate::server::{markdown, AppState};
use crate::web::guard;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use std::collections::HashMap;
use tower_sessions::Session;

/// The largest image staff can upload.
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;

/// What an image is, from its first bytes (never from its name or the browser's word).
pub fn sniff_image(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(("image/gif", "gif"))
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("image/webp", "webp"))
    } else {
        None
    }
}

fn back(error: &str) -> Response {
    Redirect::to(&format!("/admin/uploads?error={error}")).into_response()
}

/// `POST /admin/uploads`: stores an image under a random name in the uploads folder.
pub async fn upload(State(state): State<AppState>, session: Session, mut form: Multipart) -> Response {
    let staff = match guard::staff_from_session(&state, &session).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let (original, bytes) = loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let original = field.file_name().unwrap_or_default().chars().take(200).collect::<String>();
                match field.bytes().await {
                    Ok(bytes) => break (original, bytes),
                    Err(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => return back("size"),
                    Err(_) => return back("broken"),
                }
            }
            Ok(Some(_)) => continue,
            Ok(None) => return back("empty"),
            Err(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => return back("size"),
            Err(_) => return back("broken"),
        }
    };
    if bytes.is_empty() {
        return back("empty");
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return back("size");
    }
    let Some((content_type, ext)) = sniff_image(&bytes) else { return back("type") };
    let mut random = [0u8; 12];
    if let Err(err) = getrandom::fill(&mut random) {
        tracing::error!(error = %err, "no randomness for an upload name");
        return (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.").into_response();
    }
    let file_name = format!("{}.{ext}", hex::encode(random));
    let dir = state.config.uploads_dir.clone();
    let path = dir.join(&file_name);
    let written = async {
        tokio::fs::create_dir_all(&dir).await?;
        tokio::fs::write(&path, &bytes).await
    }
    .await;
    if let Err(err) = written {
        tracing::error!(error = %chain(&err), path = %path.display(), "could not store an upload");
        return back("storage");
    }
    let (name, size, actor) = (file_name.clone(), bytes.len(), staff.id);
    let recorded = state.db.run(move |c| uploads::insert(c, &name, content_type, size, &original, actor)).await;
    if let Err(err) = recorded {
        tracing::error!(error = %chain(&err), "could not record an upload");
        let _ = tokio::fs::remove_file(&path).await;
        return back("storage");
    }
    tracing::info!(staff = staff.id, file = %file_name, bytes = size, "image uploaded");
    Redirect::to(&format!("/admin/uploads?uploaded=/uploads/{file_name}")).into_response()
}

/// `POST /admin/preview`: the editor's Markdown rendered exactly as it will be published
/// (for browsers without JavaScript; with it, the editor previews live).
pub async fn preview(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(res) = guard::staff_from_session(&state, &session).await {
        return res;
    }
    let field = |k: &str| form.get(&format!("form[{k}]")).or_else(|| form.get(k)).cloned().unwrap_or_default();
    let markdown = field("body_md");
    if markdown.len() > 200_000 {
        return (StatusCode::BAD_REQUEST, "The text is too long to preview (at most 200,000 characters).")
            .into_response();
    }
    let html = tokio::task::spawn_blocking(move || markdown::render(&markdown)).await.unwrap_or_default();
    let title = escape(&field("title"));
    let studio = match state.studio_identity().await {
        Ok(identity) => escape(&identity.name),
        Err(err) => return crate::web::files::unavailable(&err, "loading the studio's name for a preview"),
    };
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>Preview: {title} · {studio}</title>\
         <style>body{{font:17px/1.7 system-ui,sans-serif;color:#1c1917;background:#fbfaf8;margin:0;padding:2rem 1rem}}\
         main{{max-width:44rem;margin:auto}}pre{{background:#1c1917;color:#f5f2ed;padding:1rem;overflow:auto;border-radius:8px}}\
         table{{border-collapse:collapse}}td,th{{border:1px solid #e7e2da;padding:.3rem .6rem}}img{{max-width:100%}}\
         .banner{{background:#fde68a;padding:.5rem 1rem;border-radius:6px}}</style></head>\
         <body><main><p class=\"banner\" role=\"status\">Preview — nothing has been saved. Close this tab to return to the editor.</p>\
         <h1>{title}</h1><article>{html}</article></main></body></html>"
    ))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_content_only() {
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\n....").unwrap().1, "png");
        assert_eq!(sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0]).unwrap().1, "jpg");
        assert_eq!(sniff_image(b"GIF89a..").unwrap().1, "gif");
        assert_eq!(sniff_image(b"RIFF\0\0\0\0WEBPVP8 ").unwrap().1, "webp");
        assert_eq!(sniff_image(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff_image(b"<html>\x89PNG"), None);
    }
}
