//! Images staff upload for posts and pages.

pub mod api;

use crate::components::{loaded, Field, Notice};
use crate::domain::time::format_time;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn upload_error(code: &str) -> &'static str {
    match code {
        "type" => "That file is not a PNG, JPEG, WebP or GIF image. Nothing was uploaded.",
        "size" => "That image is larger than 5 MB. Make it smaller and try again.",
        "empty" => "Choose an image to upload.",
        "storage" => "The image could not be stored. Please try again in a moment.",
        _ => "The upload did not arrive complete. Please try again.",
    }
}

#[component]
pub fn UploadsPage() -> impl IntoView {
    let query = use_query_map();
    view! {
        <Title text="Uploads"/>
        <h1>"Images"</h1>
        {move || query.read().get("uploaded").map(|path| {
            let snippet = format!("![Describe the image]({path})");
            view! {
                <Notice message=format!("Uploaded as {path}.")/>
                <p>"Use it in Markdown: " <code>{snippet}</code></p>
            }
        })}
        {move || query.read().get("error").map(|code| view! { <Notice error=true message=upload_error(&code)/> })}
        <form class="card stack" method="post" action="/admin/upload" enctype="multipart/form-data">
            <Field id="file" label="Image (PNG, JPEG, WebP or GIF, up to 5 MB)">
                <input id="file" name="file" type="file" required accept="image/png,image/jpeg,image/webp,image/gif"/>
            </Field>
            <button type="submit" class="primary">"Upload"</button>
        </form>
        {loaded(api::admin_uploads(), move |value| match value {
                    list if list.is_empty() => view! { <p class="notice info">"No images yet."</p> }.into_any(),
                    list => view! {
                        <div class="cards uploads">{list.into_iter().map(|u| view! {
                            <figure class="card">
                                <img src=u.path.clone() alt="" loading="lazy"/>
                                <figcaption><code>{u.path.clone()}</code><br/>
                                    <span class="muted small">{u.original.clone()} " · " {u.bytes / 1024} " KB · " {format_time(u.created_at)}</span></figcaption>
                            </figure>
                        }).collect_view()}</div>
                    }.into_any(),
        })}
    }
}
