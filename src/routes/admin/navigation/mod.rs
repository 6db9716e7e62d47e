//! `/admin/navigation`: the header's and the footer's links.

pub mod api;

use crate::components::tr;
use crate::components::{loaded, typed_form, Field, FormError, Notice};
use crate::domain::navigation::NavigationForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NavigationPage() -> impl IntoView {
    let save = ServerAction::<api::SaveNavigation>::new();
    let query = use_query_map();
    view! {
        <Title text=tr("adm-navigation")/>
        <h1>{tr("adm-navigation")}</h1>
        {move || query.read().get("saved").map(|_| view! { <Notice message=tr("adm-navigation-saved-every-page-shows")/> })}
        <FormError action=save/>
        <p class="muted">
            {tr("adm-one-link-a-line-a")} " "
            {tr("adm-lines-is-the-order-of")}
        </p>
        {loaded(api::admin_navigation(), move |stored| {
            let f = typed_form::<NavigationForm>("form").unwrap_or(stored.clone());
            view! {
                <ActionForm action=save attr:class="stack narrow-form">
                    <Field id="n-header" label=tr("adm-header-links")>
                        <textarea id="n-header" name="form[header]" rows="10">{f.header.clone()}</textarea>
                    </Field>
                    <Field id="n-footer" label=tr("adm-footer-links")>
                        <textarea id="n-footer" name="form[footer]" rows="10">{f.footer.clone()}</textarea>
                    </Field>
                    <button type="submit" class="primary">{tr("adm-save-navigation")}</button>
                </ActionForm>
            }
        })}
    }
}
