//! The CMS: lists and the editor for every kind of entry.

pub mod api;

use crate::components::{in_page_language, in_page_language_static, tr, tr_code, tr_with, when};
use crate::components::{
    loaded, query_param, route_param, typed_form, Column, DataTable, Field, FormError, Notice, TextField,
};
use crate::domain::content::{EntryForm, EntryKind, EntryStatus};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn EntriesPage(kind: EntryKind) -> impl IntoView {
    let query = use_query_map();
    view! {
        <Title text=in_page_language(kind.plural())/>
        <div class="page-head">
            <h1>{in_page_language(kind.plural())}</h1>
            <a class="button" href=format!("{}/new", kind.admin_path())>{tr_code("adm-new", kind.as_str()).to_owned()}</a>
        </div>
        {move || query.read().get("deleted").map(|_| view! { <Notice message=tr("adm-deleted")/> })}
        <form method="get" class="filters">
            <TextField id="f-q" name="q" label=tr("adm-search-titles") value=query_param("q")/>
            <button type="submit" class="button ghost">{tr("adm-search")}</button>
        </form>
        {loaded(api::admin_entries(kind.as_str().to_owned(), query_param("q"), query_param("before"), query_param("after")), move |value| match value {
                    list if list.rows.is_empty() => view! {
                        <p class="notice info">{if query_param("q").is_empty() && list.newer.is_none() { tr("adm-nothing-here-yet") } else { tr("adm-nothing-matches") }}</p>
                        <crate::components::Pager newer=list.newer older=list.older/>
                    }.into_any(),
                    list => {
                        let (newer, older) = (list.newer.clone(), list.older.clone());
                        let (now, other) = (list.now, list.other);
                        view! {
                            <DataTable columns=const { &[Column::text("Title"), Column::text("State"), Column::text("Translation"), Column::text("Publication"), Column::text("Last change"), Column::text("")] }>
                                    {list.rows.into_iter().map(|e| {
                                        let state = e.state_label(now);
                                        let public = (state == "Published").then(|| e.kind.public_path(&e.slug));
                                        let translation = format!("{}: {}", in_page_language(other.label()), in_page_language(e.translation_label(now)));
                                        view! {
                                            <tr>
                                                <td><a href=format!("{}/{}", kind.admin_path(), e.id)>{e.title.clone()}</a></td>
                                                <td><span class=if state == "Published" { "badge ok" } else { "badge" }>{in_page_language_static(state)}</span></td>
                                                <td><a href=format!("{}/{}?lang={other}", kind.admin_path(), e.id)>{translation}</a></td>
                                                <td>{e.publish_at.map(when).unwrap_or_default()}</td>
                                                <td>{when(e.updated_at)} {(!e.updated_by.is_empty()).then(|| format!(" {}", tr_with("adm-by", &[("who", &e.updated_by)])))}</td>
                                                <td>{public.map(|href| view! { <a href=href>{tr("adm-view")}</a> })}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </DataTable>
                            <crate::components::Pager newer older/>
                        }
                        .into_any()
                    }
        })}
    }
}

#[component]
pub fn EntryEditPage(kind: EntryKind) -> impl IntoView {
    let query = use_query_map();
    // `Err` for an address that is neither "new" nor a number.
    let id = match route_param("id").as_str() {
        "" | "new" => Ok(None),
        raw => raw.parse::<i64>().map(Some).map_err(|_| ()),
    };
    let form = async move {
        match id {
            Ok(id) => api::admin_entry_form(kind.as_str().to_owned(), id).await,
            Err(()) => Err(AppError::NotFound),
        }
    };
    // `?lang=en`: the entry's version in the site's other language.
    if let (Ok(Some(id)), false) = (id, query_param("lang").is_empty()) {
        return view! { <VersionEditPage kind id/> }.into_any();
    }
    let save = ServerAction::<api::SaveEntry>::new();
    // A plain string: pages render once, on the server (a closure here would be read
    // after the route's reactive owner is gone, when the head is written).
    let heading = match id {
        Ok(None) => tr_code("adm-new", kind.as_str()).to_owned(),
        _ => tr_code("adm-edit", kind.as_str()).to_owned(),
    };
    view! {
        <Title text=heading.clone()/>
        <p class="eyebrow"><a href=kind.admin_path()>{in_page_language(kind.plural())}</a></p>
        <h1>{heading}</h1>
        {id.ok().flatten().map(|id| view! { <super::VersionTabs base=format!("{}/{id}", kind.admin_path()) translation=false/> })}
        {move || query.read().get("saved").map(|_| view! { <Notice message=tr("adm-saved")/> })}
        <FormError action=save/>
        {loaded(form, move |f| view! { <EntryEditor kind form=typed_form("form").unwrap_or(f) id=id.ok().flatten() save/> }
        )}
    }
    .into_any()
}

/// An entry's version in the site's other language: its own title, address, summary,
/// text and publication; the cover, link, tags and tool are the entry's.
#[component]
fn VersionEditPage(kind: EntryKind, id: i64) -> impl IntoView {
    let query = use_query_map();
    let save = ServerAction::<api::SaveEntryVersion>::new();
    let heading = format!("{} · {}", tr_code("adm-edit", kind.as_str()), tr("adm-translation"));
    view! {
        <Title text=heading.clone()/>
        <p class="eyebrow"><a href=kind.admin_path()>{in_page_language(kind.plural())}</a></p>
        <h1>{heading}</h1>
        <super::VersionTabs base=format!("{}/{id}", kind.admin_path()) translation=true/>
        {move || query.read().get("saved").map(|_| view! { <Notice message=tr("adm-saved")/> })}
        {move || query.read().get("deleted").map(|_| view! { <Notice message=tr("adm-the-translation-is-deleted-the")/> })}
        <FormError action=save/>
        {loaded(api::admin_entry_version_form(kind.as_str().to_owned(), id), move |v| {
            let f = typed_form("form").unwrap_or(v.form);
            let lang = in_page_language_static(v.lang.label());
            view! {
                <p class="muted">{tr_with("adm-entry-version-intro", &[("lang", lang), ("title", &v.main_title), ("written", &in_page_language(v.main_lang.label()))])}</p>
                <ActionForm action=save attr:class="stack admin-form" attr:lang=v.lang.as_str()>
                    <input type="hidden" name="kind" value=kind.as_str()/>
                    <input type="hidden" name="id" value=id/>
                    <div class="grid-2">
                        <TextField id="title" name="form[title]" label=tr("adm-title") value=f.title.clone() required=true maxlength=160/>
                        {match v.fixed_slug.clone() {
                            Some(slug) => view! {
                                <Field id="slug" label=tr("adm-slug") hint=Some(tr("adm-this-page-s-address-is"))>
                                    <input id="slug" type="text" value=slug readonly/>
                                </Field>
                            }.into_any(),
                            None => view! {
                                <TextField id="slug" name="form[slug]" label=tr("adm-slug") value=f.slug.clone() hint=Some(tr("adm-its-own-address-in-this"))/>
                            }.into_any(),
                        }}
                    </div>
                    <TextField id="summary" name="form[summary]" label=tr("adm-summary") value=f.summary.clone() maxlength=300 hint=Some(tr("adm-one-or-two-sentences-shown"))/>
                    <MarkdownEditor body_md=f.body_md.clone() words=EditorWords::new()/>
                    <div class="grid-2">
                        <Publication status=f.status.clone() publish_at=f.publish_at.clone()/>
                    </div>
                    <div class="actions">
                        <button type="submit" class="primary">{tr_with("adm-save-version", &[("lang", lang)])}</button>
                    </div>
                </ActionForm>
                {v.exists.then(|| view! { <DeleteVersion id/> })}
            }
        })}
    }
}

/// An entry's (or a version's) status and publication time.
#[component]
fn Publication(status: String, publish_at: String) -> impl IntoView {
    view! {
        <Field id="status" label=tr("adm-status")>
            <select id="status" name="form[status]">
                {EntryStatus::ALL.iter().map(|s| view! {
                    <option value=s.as_str() selected=s.as_str() == status>{in_page_language(s.label())}</option>
                }).collect_view()}
            </select></Field>
        <Field id="publish_at" label=tr("adm-publish-at-utc") hint=Some(tr("adm-empty-when-you-publish-a"))>
            <input id="publish_at" name="form[publish_at]" type="datetime-local" step="1" value=publish_at/>
        </Field>
    }
}

#[component]
fn DeleteVersion(id: i64) -> impl IntoView {
    let action = ServerAction::<api::DeleteEntryVersion>::new();
    let (summary, button) = (tr("adm-delete-this-translation"), tr("adm-delete-the-translation"));
    view! { <super::DeleteZone action id summary explain=tr("adm-the-entry-is-then-shown") button/> }
}

#[component]
fn EntryEditor(kind: EntryKind, form: EntryForm, id: Option<i64>, save: ServerAction<api::SaveEntry>) -> impl IntoView {
    let f = form;
    let public = (f.status == "published" && !f.slug.is_empty()).then(|| kind.public_path(&f.slug));
    let deletable =
        id.filter(|_| !(kind == EntryKind::Page && crate::domain::content::FIXED_PAGES.contains(&f.slug.as_str())));
    view! {
        {public.map(|href| view! { <p><a href=href.clone()>{tr("adm-view-on-the-site")} " " {href.clone()}</a></p> })}
        <ActionForm action=save attr:class="stack admin-form">
            <input type="hidden" name="kind" value=kind.as_str()/>
            {id.map(|id| view! { <input type="hidden" name="id" value=id/> })}
            <div class="grid-2">
                <TextField id="title" name="form[title]" label=tr("adm-title") value=f.title.clone() required=true maxlength=160/>
                <TextField id="slug" name="form[slug]" label=tr("adm-slug") value=f.slug.clone() hint=Some(tr("adm-the-address-lower-case-letters"))/>
            </div>
            <TextField id="summary" name="form[summary]" label=tr("adm-summary") value=f.summary.clone() maxlength=300 hint=Some(tr("adm-one-or-two-sentences-shown"))/>
            <MarkdownEditor body_md=f.body_md.clone() words=EditorWords::new()/>
            <div class="grid-2">
                <Field id="cover_image" label=tr("adm-cover-image-optional")>
                    <input id="cover_image" name="form[cover_image]" type="text" placeholder="/uploads/…" value=f.cover_image.clone()/>
                    <span class="hint">{tr("adm-upload-it-under")} " " <a href="/admin/uploads">{tr("adm-uploads")}</a> " " {tr("adm-and-paste-its-address")}</span>
                </Field>
                <TextField id="link_url" name="form[link_url]" label=if kind.needs_link() { tr("adm-link") } else { tr("adm-link-optional") }
                    value=f.link_url.clone() placeholder="https://"/>
                {(kind == EntryKind::Post).then(|| view! {
                    <TextField id="tags" name="form[tags]" label=tr("adm-tags") value=f.tags.clone() placeholder=tr("adm-rust-performance")
                        hint=Some(tr("adm-comma-separated-at-most-8"))/>
                })}
                <Publication status=f.status.clone() publish_at=f.publish_at.clone()/>
                {(kind == EntryKind::Tool).then(|| view! {
                    <Field id="tool" label=tr("adm-built-in-tool") hint=Some(tr("adm-runs-on-the-page-as"))>
                        <select id="tool" name="form[tool]">
                            <option value="" selected=f.tool.is_empty()>{tr("adm-none-text-only")}</option>
                            {crate::domain::tools::BuiltinTool::ALL.iter().map(|t| view! {
                                <option value=t.as_str() selected=t.as_str() == f.tool>{in_page_language(t.label())}</option>
                            }).collect_view()}
                        </select>
                    </Field>
                })}
            </div>
            <div class="actions">
                <button type="submit" class="primary">{tr("adm-save")}</button>
                // Without JavaScript there is no live preview: this shows the server's rendering in a new tab.
                <button type="submit" class="button ghost no-js-only" formaction="/admin/preview" formmethod="post" formtarget="_blank">{tr("adm-preview")}</button>
            </div>
        </ActionForm>
        {deletable.map(|id| view! { <DeleteEntry id/> })}
    }
}

/// The Markdown field with its live preview: an island, the only part of the
/// editor that runs in the browser. The server renders the preview with the very
/// code that publishes; without JavaScript the form's "Preview" button does it.
/// The Markdown editor's words, in the staff member's language: an island is given
/// its words (the browser holds no catalog).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct EditorWords {
    label: String,
    hint: String,
    preview: String,
    empty: String,
}

impl EditorWords {
    fn new() -> Self {
        Self {
            label: tr("adm-text-markdown").into(),
            hint: tr("adm-tables-footnotes-strikethrough-task-lists").into(),
            preview: tr("adm-preview").into(),
            empty: tr("adm-the-preview-appears-here-as").into(),
        }
    }
}

#[island]
fn MarkdownEditor(body_md: String, words: EditorWords) -> impl IntoView {
    let preview = Action::new(|markdown: &String| api::preview_markdown(markdown.clone()));
    let typed = RwSignal::new(0u64);
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let version = typed.get_untracked() + 1;
        typed.set(version);
        set_timeout(
            move || {
                if typed.get_untracked() == version {
                    preview.dispatch(text);
                }
            },
            std::time::Duration::from_millis(300),
        );
    };
    let first = body_md.clone();
    // Effects run only in the browser: the first preview once hydrated.
    Effect::new(move |_| {
        if !first.is_empty() {
            preview.dispatch(first.clone());
        }
    });
    let EditorWords { label, hint, preview: preview_label, empty } = words;
    let preview_heading = preview_label.clone();
    view! {
        <div class="editor">
            <div class="field">
                <label for="body_md">{label}</label>
                <textarea id="body_md" name="form[body_md]" rows="22" class="mono" on:input=on_input>{body_md}</textarea>
                <span class="hint">{hint}</span>
            </div>
            <section class="preview" aria-label=preview_label aria-live="polite">
                <p class="muted small">{preview_heading}</p>
                {move || match preview.value().get() {
                    Some(Ok(html)) => view! { <div class="prose-body" inner_html=html.into_string()></div> }.into_any(),
                    // The server says why in the staff member's language (the preview's one reason).
                    Some(Err(err)) => view! { <p class="notice error" role="alert">{err.to_string()}</p> }.into_any(),
                    None => view! { <p class="muted">{empty.clone()}</p> }.into_any(),
                }}
            </section>
        </div>
    }
}

#[component]
fn DeleteEntry(id: i64) -> impl IntoView {
    let action = ServerAction::<api::DeleteEntry>::new();
    let (summary, button) = (tr("adm-delete-2"), tr("adm-delete-permanently"));
    view! { <super::DeleteZone action id summary explain=tr("adm-this-removes-it-from-the") button/> }
}
