//! The CMS: lists and the editor for every kind of entry.

pub mod api;

use crate::components::{
    loaded, query_param, route_param, typed_form, Column, DataTable, Field, FormError, Notice, TextField,
};
use crate::domain::content::{EntryForm, EntryKind, EntryStatus};
use crate::domain::time::format_time;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn EntriesPage(kind: EntryKind) -> impl IntoView {
    let query = use_query_map();
    view! {
        <Title text=kind.plural()/>
        <div class="page-head">
            <h1>{kind.plural()}</h1>
            <a class="button" href=format!("{}/new", kind.admin_path())>{format!("New {}", kind.label().to_lowercase())}</a>
        </div>
        {move || query.read().get("deleted").map(|_| view! { <Notice message="Deleted."/> })}
        <form method="get" class="filters">
            <TextField id="f-q" name="q" label="Search titles" value=query_param("q")/>
            <button type="submit" class="button ghost">"Search"</button>
        </form>
        {loaded(api::admin_entries(kind.as_str().to_owned(), query_param("q"), query_param("before"), query_param("after")), move |value| match value {
                    list if list.rows.is_empty() => view! {
                        <p class="notice info">{if query_param("q").is_empty() && list.newer.is_none() { "Nothing here yet." } else { "Nothing matches." }}</p>
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
                                        let translation = format!("{}: {}", other.label(), e.translation_label(now));
                                        view! {
                                            <tr>
                                                <td><a href=format!("{}/{}", kind.admin_path(), e.id)>{e.title.clone()}</a></td>
                                                <td><span class=if state == "Published" { "badge ok" } else { "badge" }>{state}</span></td>
                                                <td><a href=format!("{}/{}?lang={other}", kind.admin_path(), e.id)>{translation}</a></td>
                                                <td>{e.publish_at.map(format_time).unwrap_or_default()}</td>
                                                <td>{format_time(e.updated_at)} {(!e.updated_by.is_empty()).then(|| format!(" by {}", e.updated_by))}</td>
                                                <td>{public.map(|href| view! { <a href=href>"View"</a> })}</td>
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
        Ok(None) => format!("New {}", kind.label().to_lowercase()),
        _ => format!("Edit {}", kind.label().to_lowercase()),
    };
    view! {
        <Title text=heading.clone()/>
        <p class="eyebrow"><a href=kind.admin_path()>{kind.plural()}</a></p>
        <h1>{heading}</h1>
        {id.ok().flatten().map(|id| view! { <super::VersionTabs base=format!("{}/{id}", kind.admin_path()) translation=false/> })}
        {move || query.read().get("saved").map(|_| view! { <Notice message="Saved."/> })}
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
    let heading = format!("Edit {} · translation", kind.label().to_lowercase());
    view! {
        <Title text=heading.clone()/>
        <p class="eyebrow"><a href=kind.admin_path()>{kind.plural()}</a></p>
        <h1>{heading}</h1>
        <super::VersionTabs base=format!("{}/{id}", kind.admin_path()) translation=true/>
        {move || query.read().get("saved").map(|_| view! { <Notice message="Saved."/> })}
        {move || query.read().get("deleted").map(|_| view! { <Notice message="The translation is deleted: the entry is shown as written in both languages."/> })}
        <FormError action=save/>
        {loaded(api::admin_entry_version_form(kind.as_str().to_owned(), id), move |v| {
            let f = typed_form("form").unwrap_or(v.form);
            let lang = v.lang.label();
            view! {
                <p class="muted">{format!("The {lang} version of “{}”, written in {}. Its cover, link, tags and tool are the entry's; a visitor reading {lang} sees the entry as written until this version is published.", v.main_title, v.main_lang.label())}</p>
                <ActionForm action=save attr:class="stack admin-form" attr:lang=v.lang.as_str()>
                    <input type="hidden" name="kind" value=kind.as_str()/>
                    <input type="hidden" name="id" value=id/>
                    <div class="grid-2">
                        <TextField id="title" name="form[title]" label="Title" value=f.title.clone() required=true maxlength=160/>
                        {match v.fixed_slug.clone() {
                            Some(slug) => view! {
                                <Field id="slug" label="Slug" hint=Some("This page's address is fixed in both languages: the site links to it.")>
                                    <input id="slug" type="text" value=slug readonly/>
                                </Field>
                            }.into_any(),
                            None => view! {
                                <TextField id="slug" name="form[slug]" label="Slug" value=f.slug.clone() hint=Some("Its own address in this language. Empty: from the title.")/>
                            }.into_any(),
                        }}
                    </div>
                    <TextField id="summary" name="form[summary]" label="Summary" value=f.summary.clone() maxlength=300 hint=Some("One or two sentences: shown on cards, in search results and link previews.")/>
                    <MarkdownEditor body_md=f.body_md.clone()/>
                    <div class="grid-2">
                        <Publication status=f.status.clone() publish_at=f.publish_at.clone()/>
                    </div>
                    <div class="actions">
                        <button type="submit" class="primary">{format!("Save the {lang} version")}</button>
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
        <Field id="status" label="Status">
            <select id="status" name="form[status]">
                {EntryStatus::ALL.iter().map(|s| view! {
                    <option value=s.as_str() selected=s.as_str() == status>{s.label()}</option>
                }).collect_view()}
            </select></Field>
        <Field id="publish_at" label="Publish at (UTC)" hint=Some("Empty: when you publish. A future time schedules it.")>
            <input id="publish_at" name="form[publish_at]" type="datetime-local" step="1" value=publish_at/>
        </Field>
    }
}

#[component]
fn DeleteVersion(id: i64) -> impl IntoView {
    let action = ServerAction::<api::DeleteEntryVersion>::new();
    let (summary, button) = ("Delete this translation…", "Delete the translation");
    view! { <super::DeleteZone action id summary explain="The entry is then shown as written in both languages." button/> }
}

#[component]
fn EntryEditor(kind: EntryKind, form: EntryForm, id: Option<i64>, save: ServerAction<api::SaveEntry>) -> impl IntoView {
    let f = form;
    let public = (f.status == "published" && !f.slug.is_empty()).then(|| kind.public_path(&f.slug));
    let deletable =
        id.filter(|_| !(kind == EntryKind::Page && crate::domain::content::FIXED_PAGES.contains(&f.slug.as_str())));
    view! {
        {public.map(|href| view! { <p><a href=href.clone()>"View on the site: " {href.clone()}</a></p> })}
        <ActionForm action=save attr:class="stack admin-form">
            <input type="hidden" name="kind" value=kind.as_str()/>
            {id.map(|id| view! { <input type="hidden" name="id" value=id/> })}
            <div class="grid-2">
                <TextField id="title" name="form[title]" label="Title" value=f.title.clone() required=true maxlength=160/>
                <TextField id="slug" name="form[slug]" label="Slug" value=f.slug.clone() hint=Some("The address: lower-case letters, digits, hyphens. Empty: from the title.")/>
            </div>
            <TextField id="summary" name="form[summary]" label="Summary" value=f.summary.clone() maxlength=300 hint=Some("One or two sentences: shown on cards, in search results and link previews.")/>
            <MarkdownEditor body_md=f.body_md.clone()/>
            <div class="grid-2">
                <Field id="cover_image" label="Cover image (optional)">
                    <input id="cover_image" name="form[cover_image]" type="text" placeholder="/uploads/…" value=f.cover_image.clone()/>
                    <span class="hint">"Upload it under " <a href="/admin/uploads">"Uploads"</a> " and paste its address."</span>
                </Field>
                <TextField id="link_url" name="form[link_url]" label=if kind.needs_link() { "Link" } else { "Link (optional)" }
                    value=f.link_url.clone() placeholder="https://"/>
                {(kind == EntryKind::Post).then(|| view! {
                    <TextField id="tags" name="form[tags]" label="Tags" value=f.tags.clone() placeholder="rust, performance"
                        hint=Some("Comma-separated, at most 8.")/>
                })}
                <Publication status=f.status.clone() publish_at=f.publish_at.clone()/>
                {(kind == EntryKind::Tool).then(|| view! {
                    <Field id="tool" label="Built-in tool" hint=Some("Runs on the page as a form under the text; every run counts against the day's quota.")>
                        <select id="tool" name="form[tool]">
                            <option value="" selected=f.tool.is_empty()>"None (text only)"</option>
                            {crate::domain::tools::BuiltinTool::ALL.iter().map(|t| view! {
                                <option value=t.as_str() selected=t.as_str() == f.tool>{t.label()}</option>
                            }).collect_view()}
                        </select>
                    </Field>
                })}
            </div>
            <div class="actions">
                <button type="submit" class="primary">"Save"</button>
                // Without JavaScript there is no live preview: this shows the server's rendering in a new tab.
                <button type="submit" class="button ghost no-js-only" formaction="/admin/preview" formmethod="post" formtarget="_blank">"Preview"</button>
            </div>
        </ActionForm>
        {deletable.map(|id| view! { <DeleteEntry id/> })}
    }
}

/// The Markdown field with its live preview: an island, the only part of the
/// editor that runs in the browser. The server renders the preview with the very
/// code that publishes; without JavaScript the form's "Preview" button does it.
#[island]
fn MarkdownEditor(body_md: String) -> impl IntoView {
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
    view! {
        <div class="editor">
            <Field id="body_md" label="Text (Markdown)" hint=Some("Tables, footnotes, ~~strikethrough~~, task lists and code blocks work. Scripts and inline event handlers are removed.")>
                <textarea id="body_md" name="form[body_md]" rows="22" class="mono" on:input=on_input>{body_md}</textarea></Field>
            <section class="preview" aria-label="Preview" aria-live="polite">
                <p class="muted small">"Preview"</p>
                {move || match preview.value().get() {
                    Some(Ok(html)) => view! { <div class="prose-body" inner_html=html.into_string()></div> }.into_any(),
                    Some(Err(err)) => view! { <p class="notice error" role="alert">{err.to_string()}</p> }.into_any(),
                    None => view! { <p class="muted">"The preview appears here as you type."</p> }.into_any(),
                }}
            </section>
        </div>
    }
}

#[component]
fn DeleteEntry(id: i64) -> impl IntoView {
    let action = ServerAction::<api::DeleteEntry>::new();
    let (summary, button) = ("Delete…", "Delete permanently");
    view! { <super::DeleteZone action id summary explain="This removes it from the site for good." button/> }
}
