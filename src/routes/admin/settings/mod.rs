//! `/admin/settings`: the studio's details, how it is found, its tax rate, the
//! ways of paying offered and who hears of new orders.

pub mod api;

use crate::components::{in_page_language, tr};
use crate::components::{loaded, typed_form, Field, FormError, Notice, TextField};
use crate::domain::orders::Gateway;
use crate::domain::settings::SettingsForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let save = ServerAction::<api::SaveSettings>::new();
    let query = use_query_map();
    view! {
        <Title text=tr("adm-settings")/>
        <h1>{tr("adm-settings")}</h1>
        {move || query.read().get("saved").map(|_| view! { <Notice message=tr("adm-settings-saved")/> })}
        {move || query.read().get("logo").map(|v| {
            view! { <Notice message=if v == "0" { tr("adm-the-logo-was-removed") } else { tr("adm-the-logo-was-saved-every") }/> }
        })}
        {move || query.read().get("logo_error").and_then(|code| crate::domain::settings::logo_refusal_message(&code)).map(|message| {
            view! { <p class="notice error" role="alert">{message}</p> }
        })}
        <FormError action=save/>
        {loaded(api::admin_settings(), move |d| {
            let f = typed_form::<SettingsForm>("form").unwrap_or(d.form.clone());
            let configured = d.configured.clone();
            let ticked = f.ticked();
            view! {
                <ActionForm action=save attr:class="stack narrow-form">
                    <fieldset class="stack">
                        <legend>{tr("adm-the-studio-on-receipts-and")}</legend>
                        <TextField id="s-name" name="form[name]" label=tr("adm-studio-name") value=f.name.clone() required=true maxlength=100/>
                        <TextField id="s-legal" name="form[legal_name]" label=tr("adm-legal-name-optional") value=f.legal_name.clone() maxlength=150
                            hint=Some(tr("adm-the-registered-name-if-it"))/>
                        <Field id="s-address" label=tr("adm-address-one-line-each")>
                            <textarea id="s-address" name="form[address]" rows="3">{f.address.clone()}</textarea></Field>
                        <TextField id="s-tax-id" name="form[tax_id]" label=tr("adm-tax-id-npwp-optional") value=f.tax_id.clone() maxlength=40/>
                        <TextField id="s-tax-rate" name="form[tax_rate]" label=tr("adm-tax-rate-included-in-prices") value=f.tax_rate.clone()
                            inputmode="decimal" hint=Some(tr("adm-ppn-e-g-11-receipts"))/>
                    </fieldset>
                    <fieldset class="stack">
                        <legend>{tr("adm-how-the-site-looks")}</legend>
                        <TextField id="s-accent" name="form[accent]" label=tr("adm-accent-colour") value=f.accent.clone() maxlength=7
                            placeholder=tr("adm-b4451f")
                            hint=Some(tr("adm-links-and-buttons-as-a"))/>
                        <div class="field checkbox">
                            <input id="s-logo-name" name="form[logo_has_name]" type="checkbox" checked=f.logo_has_name == "on"/>
                            <label for="s-logo-name">{tr("adm-the-logo-includes-the-name")}</label>
                        </div>
                        <div class="swatch" aria-label=tr("adm-how-links-and-buttons-look")>
                            <a href="/admin/settings">{tr("adm-a-link")}</a>
                            <span class="button primary">{tr("adm-a-button")}</span>
                        </div>
                    </fieldset>
                    <fieldset class="stack">
                        <legend>{tr("adm-language")}</legend>
                        <Field id="s-language" label=tr("adm-the-site-s-language")
                            hint=Some(tr("adm-the-public-pages-at-their"))>
                            <select id="s-language" name="form[language]">
                                {[crate::domain::Lang::Id, crate::domain::Lang::En].map(|lang| view! {
                                    <option value=lang.as_str() selected=f.language == lang.as_str() lang=lang.as_str()>{in_page_language(lang.label())}</option>
                                }).collect_view()}
                            </select>
                        </Field>
                    </fieldset>
                    <fieldset class="stack">
                        <legend>{tr("adm-how-people-find-the-studio")}</legend>
                        <TextField id="s-contact" name="form[contact_email]" label=tr("adm-contact-email") value=f.contact_email.clone() kind="email"/>
                        <TextField id="s-seo" name="form[seo_description]" label=tr("adm-home-page-description") value=f.seo_description.clone()
                            maxlength=300 hint=Some(tr("adm-search-results-and-link-previews"))/>
                        <TextField id="s-image" name="form[share_image]" label=tr("adm-share-image") value=f.share_image.clone()
                            placeholder="/uploads/…" hint=Some(tr("adm-the-home-page-s-link"))/>
                        <Field id="s-social" label=tr("adm-social-links-a-name-and")>
                            <textarea id="s-social" name="form[social_links]" rows="3" placeholder=tr("adm-instagram-https-instagram-com-studio")>{f.social_links.clone()}</textarea></Field>
                    </fieldset>
                    <fieldset class="stack">
                        <legend>{tr("adm-ways-of-paying-offered")}</legend>
                        {if configured.is_empty() {
                            view! { <p class="muted">{tr("adm-no-gateway-is-configured")}</p> }.into_any()
                        } else {
                            configured.iter().map(|g| {
                                let (id, name) = (format!("s-gw-{}", g.as_str()), format!("form[gateway_{}]", g.as_str()));
                                let checked = ticked.contains(g) || ticked.is_empty();
                                view! {
                                    <div class="field checkbox">
                                        <input id=id.clone() name=name type="checkbox" checked=checked/>
                                        <label for=id>{in_page_language(g.label())}</label>
                                    </div>
                                }
                            }).collect_view().into_any()
                        }}
                    </fieldset>
                    <Field id="s-notify" label=tr("adm-new-order-notices-go-to")
                        hint=Some(tr("adm-addresses-separated-by-commas-empty"))>
                        <input id="s-notify" name="form[notify_recipients]" type="text" value=f.notify_recipients.clone()/>
                    </Field>
                    <button type="submit" class="primary">{tr("adm-save-settings")}</button>
                </ActionForm>
                <LogoForm logo=d.logo.clone()/>
            }
        })}
    }
}

/// The logo's own forms (a file upload, outside the settings form): the logo as it
/// is now, a new one, or back to the monogram.
#[component]
fn LogoForm(logo: Option<String>) -> impl IntoView {
    view! {
        <section id="logo" class="stack narrow-form">
            <h2>{tr("adm-logo")}</h2>
            {match logo.clone() {
                Some(src) => view! { <p class="swatch"><img class="brand-logo wide" src=src alt=tr("adm-the-logo-as-it-is")/></p> }.into_any(),
                None => view! { <p class="muted">{tr("adm-no-logo-the-header-and")}</p> }.into_any(),
            }}
            <form method="post" action="/admin/settings/logo" enctype="multipart/form-data" class="stack">
                <Field id="s-logo" label=tr("adm-logo")
                    hint=Some(tr("adm-png-webp-or-jpeg-up"))>
                    <input id="s-logo" name="logo" type="file" accept="image/png,image/webp,image/jpeg" required/>
                </Field>
                <button type="submit" class="primary">{tr("adm-upload-logo")}</button>
            </form>
            {logo.map(|_| view! {
                <form method="post" action="/admin/settings/logo/remove">
                    <button type="submit" class="button ghost">{tr("adm-remove-the-logo")}</button>
                </form>
            })}
        </section>
    }
}

/// The settings page's data: the form as stored, the gateways configured and the
/// logo's address (if there is a logo).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SettingsData {
    pub form: SettingsForm,
    pub configured: Vec<Gateway>,
    pub logo: Option<String>,
}
