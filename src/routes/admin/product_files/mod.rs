//! The files of a downloadable product on its edit page: upload (streamed; a
//! progress bar with `/product-files.js`, a plain multipart post without),
//! versions with their changelogs, deleting old ones, and "Send update".

pub mod api;

use crate::components::{loaded, Column, DataTable, Field, FormError, Notice};
use crate::domain::product_files::{size_label, ProductFile, UploadRefusal};
use crate::domain::time::format_time;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ProductFilesEditor(product_id: i64) -> impl IntoView {
    let send = ServerAction::<api::SendProductUpdate>::new();
    let delete = ServerAction::<api::DeleteFileVersion>::new();
    let query = use_query_map();
    let flash = move || {
        let q = query.read();
        if q.get("file_saved").is_some() {
            Some(view! { <Notice message="File uploaded. Download links now serve it."/> }.into_any())
        } else if q.get("update_sent").is_some() {
            Some(view! { <Notice message="Update is on its way to every buyer (each is mailed once)."/> }.into_any())
        } else {
            None
        }
    };
    view! {
        {loaded(api::admin_product_files(product_id), move |data| (data.for_downloads || !data.files.is_empty()).then(|| view! {
        <section id="files" class="section" aria-labelledby="files-heading">
            <h2 id="files-heading">"Files"</h2>
            <p class="muted">"What buyers download. Every download link serves each file's latest version."</p>
            {flash}
            <FormError action=send/>
            <FormError action=delete/>
            {{
                let error = query
                    .read_untracked()
                    .get("file_error")
                    .and_then(|code| UploadRefusal::parse(&code))
                    .map(|refusal| view! { <Notice message=refusal.message(data.max_mb) error=true/> });
                let choices = data.files.iter().map(|f| (f.id, f.label.clone())).collect::<Vec<_>>();
                view! {
                    {error}
                    {data.files.into_iter().map(|file| view! { <FileCard file product_id send delete/> }).collect_view()}
                    <UploadForm product_id choices max_mb=data.max_mb/>
                }
            }}
        </section>
        <script src="/product-files.js" defer></script>
        }))}
    }
}

#[component]
fn FileCard(
    file: ProductFile,
    product_id: i64,
    send: ServerAction<api::SendProductUpdate>,
    delete: ServerAction<api::DeleteFileVersion>,
) -> impl IntoView {
    let current = file.current().map(|v| v.id);
    view! {
        <article class="card product-file">
            <h3>{file.label.clone()}</h3>
            <DataTable columns=const { &[Column::text("Version"), Column::text("File"), Column::num("Size"), Column::text("Uploaded"), Column::text("Changelog"), Column::text("")] }>
                {file.versions.into_iter().map(|v| {
                    let is_current = Some(v.id) == current;
                    let action = if is_current {
                        match &v.update {
                            Some(u) => view! {
                                <span class="muted small">
                                    {format!("Update {} to {} buyer{}", if u.finished_at.is_some() { "sent" } else { "sending" }, u.mailed, if u.mailed == 1 { "" } else { "s" })}
                                </span>
                            }.into_any(),
                            None => view! {
                                <ActionForm action=send attr:class="inline-form">
                                    <input type="hidden" name="product_id" value=product_id/>
                                    <input type="hidden" name="version_id" value=v.id/>
                                    <button type="submit" class="button small">"Send update"</button>
                                </ActionForm>
                            }.into_any(),
                        }
                    } else {
                        view! {
                            <ActionForm action=delete attr:class="inline-form">
                                <input type="hidden" name="product_id" value=product_id/>
                                <input type="hidden" name="version_id" value=v.id/>
                                <button type="submit" class="button ghost small">"Delete"</button>
                            </ActionForm>
                        }.into_any()
                    };
                    view! {
                        <tr>
                            <td>{v.version.clone()} {is_current.then(|| view! { " " <span class="badge ok">"Current"</span> })}</td>
                            <td>{v.original_name.clone()}</td>
                            <td class="num">{size_label(v.bytes)}</td>
                            <td>{format_time(v.created_at)}</td>
                            <td class="changelog-source">{v.changelog_md.clone()}</td>
                            <td>{action}</td>
                        </tr>
                    }
                }).collect_view()}
            </DataTable>
        </article>
    }
}

#[component]
fn UploadForm(product_id: i64, choices: Vec<(i64, String)>, max_mb: u64) -> impl IntoView {
    view! {
        <form method="post" action=format!("/admin/products/{product_id}/files") enctype="multipart/form-data"
            class="stack admin-form file-upload" data-max-bytes=(max_mb * 1024 * 1024).to_string() data-max-mb=max_mb.to_string()>
            <h3>"Upload a file"</h3>
            <div class="grid-2">
                <Field id="upload-file-id" label="This upload is">
                    <select id="upload-file-id" name="file_id">
                        <option value="new">"A new file"</option>
                        {choices.into_iter().map(|(id, label)| view! {
                            <option value=id>{format!("A new version of “{label}”")}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <Field id="upload-label" label="Label (for a new file)">
                    <input id="upload-label" name="label" type="text" maxlength="80" placeholder="Starter kit"/>
                </Field>
                <Field id="upload-version" label="Version (optional)" hint=Some("Like 1.2.0; numbered for you when empty.")>
                    <input id="upload-version" name="version" type="text" maxlength="40"/>
                </Field>
            </div>
            <Field id="upload-changelog" label="What changed (Markdown, optional)">
                <textarea id="upload-changelog" name="changelog" rows="4"></textarea>
            </Field>
            <Field id="upload-file" label="File">
                <input id="upload-file" name="file" type="file" required/>
            </Field>
            <p class="hint">{format!("Any type, up to {max_mb} MB. Buyers download it under its own name.")}</p>
            <progress class="upload-progress" max="100" value="0" hidden></progress>
            <p class="upload-status" aria-live="polite"></p>
            <button type="submit" class="primary">"Upload"</button>
        </form>
    }
}
