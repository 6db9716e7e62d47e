//! `/admin/navigation`: the header's and the footer's links.

pub mod api;

use crate::components::{in_page_language_static, tr, tr_with};
use crate::components::{loaded, query_param, typed_form, Field, FormError, Notice};
use crate::domain::navigation::NavigationForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NavigationPage() -> impl IntoView {
    let save = ServerAction::<api::SaveNavigation>::new();
    let delete = ServerAction::<api::DeleteNavigationVersion>::new();
    let query = use_query_map();
    // `?lang=en`: the menus' version in the site's other language.
    let lang = query_param("lang");
    let other = crate::components::site_languages().other();
    view! {
        <Title text=tr("adm-navigation")/>
        <h1>{tr("adm-navigation")}</h1>
        <super::VersionTabs base="/admin/navigation".to_owned() translation=!lang.is_empty()/>
        {move || query.read().get("saved").map(|_| view! { <Notice message=tr("adm-navigation-saved-every-page-shows")/> })}
        {move || query.read().get("deleted").map(|_| view! { <Notice message=tr("adm-navigation-version-deleted")/> })}
        <FormError action=save/>
        <p class="muted">
            {tr("adm-one-link-a-line-a")} " "
            {tr("adm-lines-is-the-order-of")}
        </p>
        {loaded(api::admin_navigation(lang.clone()), move |editor| {
            let api::NavigationEditor { form: stored, translation, exists } = editor;
            let f = typed_form::<NavigationForm>("form").unwrap_or(stored.clone());
            view! {
                {translation.then(|| view! {
                    <p class="muted">{tr_with(if exists { "adm-navigation-version-intro" } else { "adm-navigation-version-new" }, &[("lang", in_page_language_static(other.label()))])}</p>
                })}
                <ActionForm action=save attr:class="stack narrow-form" attr:lang=translation.then_some(other.as_str())>
                    {translation.then(|| view! { <input type="hidden" name="lang" value=other.as_str()/> })}
                    <Field id="n-header" label=tr("adm-header-links")>
                        <textarea id="n-header" name="form[header]" rows="10">{f.header.clone()}</textarea>
                    </Field>
                    <Field id="n-footer" label=tr("adm-footer-links")>
                        <textarea id="n-footer" name="form[footer]" rows="10">{f.footer.clone()}</textarea>
                    </Field>
                    <button type="submit" class="primary">{tr("adm-save-navigation")}</button>
                </ActionForm>
                {(translation && exists).then(|| view! { <super::DeleteVersion action=delete lang=other.as_str() explain=tr("adm-navigation-version-delete-explain")/> })}
            }
        })}
    }
}
