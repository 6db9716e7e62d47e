//! Images staff upload for posts and pages.

pub mod api;

use crate::components::{loaded, Field, Notice};
use crate::components::{tr, tr_with, when};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn upload_error(code: &str) -> &'static str {
    match code {
        "type" => tr("adm-that-file-is-not-a"),
        "size" => tr("adm-that-image-is-larger-than"),
        "empty" => tr("adm-choose-an-image-to-upload"),
        "storage" => tr("adm-the-image-could-not-be"),
        _ => tr("adm-the-upload-did-not-arrive"),
    }
}

#[component]
pub fn UploadsPage() -> impl IntoView {
    let query = use_query_map();
    view! {
        <Title text=tr("adm-uploads")/>
        <h1>{tr("adm-images")}</h1>
        {move || query.read().get("uploaded").map(|path| {
            let snippet = format!("![Describe the image]({path})");
            view! {
                <Notice message=tr_with("adm-uploaded-as", &[("path", &path)])/>
                <p>{tr("adm-use-it-in-markdown")} " " <code>{snippet}</code></p>
            }
        })}
        {move || query.read().get("error").map(|code| view! { <Notice error=true message=upload_error(&code)/> })}
        <form class="card stack" method="post" action="/admin/upload" enctype="multipart/form-data">
            <Field id="file" label=tr("adm-image-png-jpeg-webp-or")>
                <input id="file" name="file" type="file" required accept="image/png,image/jpeg,image/webp,image/gif"/>
            </Field>
            <button type="submit" class="primary">{tr("adm-upload")}</button>
        </form>
        {loaded(api::admin_uploads(), move |value| match value {
                    list if list.is_empty() => view! { <p class="notice info">{tr("adm-no-images-yet")}</p> }.into_any(),
                    list => view! {
                        <div class="cards uploads">{list.into_iter().map(|u| view! {
                            <figure class="card">
                                <img src=u.path.clone() alt="" loading="lazy"/>
                                <figcaption><code>{u.path.clone()}</code><br/>
                                    <span class="muted small">{u.original.clone()} " · " {u.bytes / 1024} " " {tr("adm-kb")} " " {when(u.created_at)}</span></figcaption>
                            </figure>
                        }).collect_view()}</div>
                    }.into_any(),
        })}
    }
}
