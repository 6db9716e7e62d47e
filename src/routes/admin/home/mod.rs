//! `/admin/home`: the home page's content — its hero, the "What we offer" cards, which
//! products are featured, the call to action, and which sections show in what order.

pub mod api;

use crate::components::{in_page_language_static, tr, tr_with};
use crate::components::{loaded, query_param, typed_form, Field, FormError, Notice, TextField};
use crate::domain::home::{HomeForm, Section};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomeEditorPage() -> impl IntoView {
    let save = ServerAction::<api::SaveHome>::new();
    let preview = ServerAction::<api::PreviewHome>::new();
    let delete = ServerAction::<api::DeleteHomeVersion>::new();
    let query = use_query_map();
    // `?lang=en`: the page's version in the site's other language.
    let lang = query_param("lang");
    let site = crate::components::site_languages();
    let home_address = if lang.is_empty() { "/".to_owned() } else { site.address(site.other(), "/") };
    view! {
        <Title text=tr("adm-home-page")/>
        <div class="page-head"><h1>{tr("adm-home-page")}</h1><a href=home_address target="_blank" rel="noopener">{tr("adm-view-the-home-page")}</a></div>
        <super::VersionTabs base="/admin/home".to_owned() translation=!lang.is_empty()/>
        {move || query.read().get("saved").map(|_| view! { <Notice message=tr("adm-home-page-saved-visitors-see")/> })}
        {move || query.read().get("deleted").map(|_| view! { <Notice message=tr("adm-home-version-deleted")/> })}
        <FormError action=save/>
        <FormError action=preview/>
        {loaded(api::admin_home(lang.clone()), move |editor| {
            let api::HomeEditor { form: stored, translation, exists } = editor;
            let other = site.other();
            let f = typed_form::<HomeForm>("form").unwrap_or(stored.clone());
            let card = |n: u8, title: String, text: String, href: String| {
                let (t, x, h) = match n {
                    1 => (("h-c1-title", "form[card1_title]"), ("h-c1-text", "form[card1_text]"), ("h-c1-href", "form[card1_href]")),
                    2 => (("h-c2-title", "form[card2_title]"), ("h-c2-text", "form[card2_text]"), ("h-c2-href", "form[card2_href]")),
                    _ => (("h-c3-title", "form[card3_title]"), ("h-c3-text", "form[card3_text]"), ("h-c3-href", "form[card3_href]")),
                };
                view! {
                    <fieldset class="stack">
                        <legend>{tr_with("adm-card-n", &[("n", &n.to_string())])}</legend>
                        <TextField id=t.0 name=t.1 label=tr("adm-title") value=title maxlength=60 hint=Some(tr("adm-empty-no-card"))/>
                        <TextField id=x.0 name=x.1 label=tr("adm-text") value=text maxlength=200/>
                        <TextField id=h.0 name=h.1 label=tr("adm-link") value=href maxlength=300/>
                    </fieldset>
                }
            };
            let place = |id: &'static str, name: &'static str, section: Section, value: String| view! {
                <TextField id name label=in_page_language_static(section.label()) value inputmode="numeric" maxlength=1/>
            };
            view! {
                {translation.then(|| view! {
                    <p class="muted">{tr_with(if exists { "adm-home-version-intro" } else { "adm-home-version-new" }, &[("lang", in_page_language_static(other.label()))])}</p>
                })}
                <ActionForm action=save attr:class="stack narrow-form" attr:lang=translation.then_some(other.as_str())>
                    {translation.then(|| view! { <input type="hidden" name="lang" value=other.as_str()/> })}
                    <fieldset class="stack">
                        <legend>{tr("adm-hero")}</legend>
                        <TextField id="h-eyebrow" name="form[eyebrow]" label=tr("adm-eyebrow") value=f.eyebrow.clone() maxlength=80
                            hint=Some(tr("adm-the-small-line-above-the"))/>
                        <TextField id="h-headline" name="form[headline]" label=tr("adm-headline") value=f.headline.clone() required=true maxlength=120/>
                        <Field id="h-lede" label=tr("adm-lede")>
                            <textarea id="h-lede" name="form[lede]" rows="3" maxlength="300">{f.lede.clone()}</textarea></Field>
                        <TextField id="h-p-label" name="form[primary_label]" label=tr("adm-first-button") value=f.primary_label.clone() maxlength=40/>
                        <TextField id="h-p-href" name="form[primary_href]" label=tr("adm-first-button-s-link") value=f.primary_href.clone() maxlength=300
                            hint=Some(tr("adm-a-page-of-the-site"))/>
                        <TextField id="h-s-label" name="form[secondary_label]" label=tr("adm-second-button") value=f.secondary_label.clone() maxlength=40/>
                        <TextField id="h-s-href" name="form[secondary_href]" label=tr("adm-second-button-s-link") value=f.secondary_href.clone() maxlength=300/>
                        <Field id="h-panel" label=tr("adm-side-panel-a-short-line")>
                            <textarea id="h-panel" name="form[panel]" rows="4">{f.panel.clone()}</textarea></Field>
                    </fieldset>
                    <fieldset class="stack">
                        <legend>{tr("adm-what-we-offer")}</legend>
                        <TextField id="h-offers" name="form[offers_title]" label=tr("adm-heading") value=f.offers_title.clone() maxlength=60/>
                    </fieldset>
                    {card(1, f.card1_title.clone(), f.card1_text.clone(), f.card1_href.clone())}
                    {card(2, f.card2_title.clone(), f.card2_text.clone(), f.card2_href.clone())}
                    {card(3, f.card3_title.clone(), f.card3_text.clone(), f.card3_href.clone())}
                    <Field id="h-featured" label=tr("adm-featured-products")>
                        <select id="h-featured" name="form[featured]">
                            <option value="picked" selected=f.featured != "newest">{tr("adm-those-marked-featured-then-the")}</option>
                            <option value="newest" selected=f.featured == "newest">{tr("adm-the-newest-on-sale")}</option>
                        </select>
                    </Field>
                    <fieldset class="stack">
                        <legend>{tr("adm-call-to-action")}</legend>
                        <TextField id="h-cta-heading" name="form[cta_heading]" label=tr("adm-heading") value=f.cta_heading.clone() maxlength=80/>
                        <TextField id="h-cta-text" name="form[cta_text]" label=tr("adm-text") value=f.cta_text.clone() maxlength=200/>
                        <TextField id="h-cta-label" name="form[cta_label]" label=tr("adm-button") value=f.cta_label.clone() maxlength=40/>
                        <TextField id="h-cta-href" name="form[cta_href]" label=tr("adm-button-s-link") value=f.cta_href.clone() maxlength=300/>
                    </fieldset>
                    <fieldset class="stack">
                        <legend>{tr("adm-sections-in-order-1-first")}</legend>
                        {place("h-o-hero", "form[order_hero]", Section::Hero, f.order_hero.clone())}
                        {place("h-o-featured", "form[order_featured]", Section::Featured, f.order_featured.clone())}
                        {place("h-o-posts", "form[order_posts]", Section::Posts, f.order_posts.clone())}
                        {place("h-o-offers", "form[order_offers]", Section::Offers, f.order_offers.clone())}
                        {place("h-o-cta", "form[order_cta]", Section::Cta, f.order_cta.clone())}
                    </fieldset>
                    <div class="actions">
                        <button type="submit" class="primary">{tr("adm-save-home-page")}</button>
                        // The home page as these fields would make it, in a new tab, for this staff member only.
                        <button type="submit" class="button ghost" formaction="/api/admin/preview_home" formtarget="_blank">{tr("adm-preview")}</button>
                    </div>
                </ActionForm>
                {(translation && exists).then(|| view! { <super::DeleteVersion action=delete lang=other.as_str() explain=tr("adm-home-version-delete-explain")/> })}
            }
        })}
    }
}
