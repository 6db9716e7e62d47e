//! The files of a downloadable product on its edit page: upload (streamed; a
//! progress bar with `/product-files.js`, a plain multipart post without),
//! versions with their changelogs, deleting old ones, and "Send update".

pub mod api;

use crate::components::{loaded, Column, DataTable, Field, FormError, Notice};
use crate::components::{tr, tr_with, when};
use crate::domain::product_files::{size_label, ProductFile, UploadRefusal};
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
            Some(view! { <Notice message=tr("adm-file-uploaded-download-links-now")/> }.into_any())
        } else if q.get("update_sent").is_some() {
            Some(view! { <Notice message=tr("adm-update-is-on-its-way")/> }.into_any())
        } else {
            None
        }
    };
    view! {
        {loaded(api::admin_product_files(product_id), move |data| (data.for_downloads || !data.files.is_empty()).then(|| view! {
        <section id="files" class="section" aria-labelledby="files-heading">
            <h2 id="files-heading">{tr("adm-files")}</h2>
            <p class="muted">{tr("adm-what-buyers-download-every-download")}</p>
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
                                    {tr_with(match (u.finished_at.is_some(), u.mailed == 1) {
                                        (true, true) => "adm-update-sent-one",
                                        (true, false) => "adm-update-sent",
                                        (false, true) => "adm-update-sending-one",
                                        (false, false) => "adm-update-sending",
                                    }, &[("n", &u.mailed.to_string())])}
                                </span>
                            }.into_any(),
                            None => view! {
                                <ActionForm action=send attr:class="inline-form">
                                    <input type="hidden" name="product_id" value=product_id/>
                                    <input type="hidden" name="version_id" value=v.id/>
                                    <button type="submit" class="button small">{tr("adm-send-update")}</button>
                                </ActionForm>
                            }.into_any(),
                        }
                    } else {
                        view! {
                            <ActionForm action=delete attr:class="inline-form">
                                <input type="hidden" name="product_id" value=product_id/>
                                <input type="hidden" name="version_id" value=v.id/>
                                <button type="submit" class="button ghost small">{tr("adm-delete")}</button>
                            </ActionForm>
                        }.into_any()
                    };
                    view! {
                        <tr>
                            <td>{v.version.clone()} {is_current.then(|| view! { " " <span class="badge ok">{tr("adm-current")}</span> })}</td>
                            <td>{v.original_name.clone()}</td>
                            <td class="num">{size_label(v.bytes)}</td>
                            <td>{when(v.created_at)}</td>
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
            <h3>{tr("adm-upload-a-file")}</h3>
            <div class="grid-2">
                <Field id="upload-file-id" label=tr("adm-this-upload-is")>
                    <select id="upload-file-id" name="file_id">
                        <option value="new">{tr("adm-a-new-file")}</option>
                        {choices.into_iter().map(|(id, label)| view! {
                            <option value=id>{tr_with("adm-a-new-version-of", &[("title", &label)])}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <Field id="upload-label" label=tr("adm-label-for-a-new-file")>
                    <input id="upload-label" name="label" type="text" maxlength="80" placeholder=tr("adm-starter-kit")/>
                </Field>
                <Field id="upload-version" label=tr("adm-version-optional") hint=Some(tr("adm-like-1-2-0-numbered"))>
                    <input id="upload-version" name="version" type="text" maxlength="40"/>
                </Field>
            </div>
            <Field id="upload-changelog" label=tr("adm-what-changed-markdown-optional")>
                <textarea id="upload-changelog" name="changelog" rows="4"></textarea>
            </Field>
            <Field id="upload-file" label=tr("adm-file")>
                <input id="upload-file" name="file" type="file" required/>
            </Field>
            <p class="hint">{tr_with("adm-any-type-up-to", &[("mb", &max_mb.to_string())])}</p>
            <progress class="upload-progress" max="100" value="0" hidden></progress>
            <p class="upload-status" aria-live="polite"></p>
            <button type="submit" class="primary">{tr("adm-upload")}</button>
        </form>
    }
}
