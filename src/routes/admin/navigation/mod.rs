//! `/admin/navigation`: the header's and the footer's links.

pub mod api;

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
        <Title text="Navigation"/>
        <h1>"Navigation"</h1>
        {move || query.read().get("saved").map(|_| view! { <Notice message="Navigation saved: every page shows it now."/> })}
        <FormError action=save/>
        <p class="muted">
            "One link a line, a label and an address: “Products | /products”, or an https address. The order of the "
            "lines is the order of the menu; a line starting with # is kept but not shown."
        </p>
        {loaded(api::admin_navigation(), move |stored| {
            let f = typed_form::<NavigationForm>("form").unwrap_or(stored.clone());
            view! {
                <ActionForm action=save attr:class="stack narrow-form">
                    <Field id="n-header" label="Header links">
                        <textarea id="n-header" name="form[header]" rows="10">{f.header.clone()}</textarea>
                    </Field>
                    <Field id="n-footer" label="Footer links">
                        <textarea id="n-footer" name="form[footer]" rows="10">{f.footer.clone()}</textarea>
                    </Field>
                    <button type="submit" class="primary">"Save navigation"</button>
                </ActionForm>
            }
        })}
    }
}
