//! The contact form's messages, marked handled by staff.

pub mod api;

use crate::components::{loaded, query_param, FormError, Notice};
use crate::components::{tr, tr_with, when};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ContactsPage() -> impl IntoView {
    let query = use_query_map();
    let handled = move || query.read().get("handled").is_some_and(|h| h == "true");
    let mark = ServerAction::<api::SetContactHandled>::new();
    view! {
        <Title text=tr("adm-messages")/>
        <h1>{tr("adm-messages")}</h1>
        <nav class="tabs" aria-label=tr("adm-messages")>
            <a href="/admin/contacts" aria-current=move || (!handled()).then_some("page")>{tr("adm-to-handle")}</a>
            <a href="/admin/contacts?handled=true" aria-current=move || handled().then_some("page")>{tr("adm-handled")}</a>
        </nav>
        {move || query.read().get("done").map(|_| view! { <Notice message=tr("adm-marked-as-handled")/> })}
        {move || query.read().get("reopened").map(|_| view! { <Notice message=tr("adm-moved-back-to-the-messages")/> })}
        <FormError action=mark/>
        {loaded(api::admin_contacts(handled(), query_param("before"), query_param("after")), move |value| match value {
                    page if page.rows.is_empty() => view! {
                        <p class="notice info">{tr("adm-no-messages-here")}</p>
                        <crate::components::Pager newer=page.newer older=page.older/>
                    }.into_any(),
                    page => {
                        let (newer, older) = (page.newer.clone(), page.older.clone());
                        view! {
                            {page.rows.into_iter().map(|m| {
                        let done = m.handled_at.is_some();
                        view! {
                            <article class="card message">
                                <header>
                                    <h2 class="h3">{if m.subject.is_empty() { tr("adm-no-subject").to_owned() } else { m.subject.clone() }}</h2>
                                    <p class="muted small">{m.name.clone()} " · " <a href=format!("mailto:{}", m.email)>{m.email.clone()}</a> " · " {when(m.created_at)}</p>
                                </header>
                                <p class="message-text">{m.message.clone()}</p>
                                {m.handled_at.map(|t| view! { <p class="muted small">{tr("adm-handled")} " " {when(t)} {m.handled_by.clone().map(|b| format!(" {}", tr_with("adm-by", &[("who", &b)])))}</p> })}
                                <ActionForm action=mark>
                                    <input type="hidden" name="id" value=m.id/>
                                    <input type="hidden" name="handled" value=(!done).to_string()/>
                                    <button type="submit" class="button small">{if done { tr("adm-move-back-to-handle") } else { tr("adm-mark-handled") }}</button>
                                </ActionForm>
                            </article>
                        }
                    }).collect_view()}
                            <crate::components::Pager newer older/>
                        }.into_any()
                    }
        })}
    }
}
