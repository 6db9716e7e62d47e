//! `/admin/settings`: the studio's details, how it is found, its tax rate, the
//! ways of paying offered and who hears of new orders.

pub mod api;

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
        <Title text="Settings"/>
        <h1>"Settings"</h1>
        {move || query.read().get("saved").map(|_| view! { <Notice message="Settings saved."/> })}
        {move || query.read().get("logo").map(|v| {
            view! { <Notice message=if v == "0" { "The logo was removed." } else { "The logo was saved: every page shows it now." }/> }
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
                        <legend>"The studio (on receipts and invoices)"</legend>
                        <TextField id="s-name" name="form[name]" label="Studio name" value=f.name.clone() required=true maxlength=100/>
                        <TextField id="s-legal" name="form[legal_name]" label="Legal name (optional)" value=f.legal_name.clone() maxlength=150
                            hint=Some("The registered name, if it differs, e.g. PT Atelier Digital Indonesia.")/>
                        <Field id="s-address" label="Address (one line each)">
                            <textarea id="s-address" name="form[address]" rows="3">{f.address.clone()}</textarea></Field>
                        <TextField id="s-tax-id" name="form[tax_id]" label="Tax id (NPWP, optional)" value=f.tax_id.clone() maxlength=40/>
                        <TextField id="s-tax-rate" name="form[tax_rate]" label="Tax rate included in prices (%)" value=f.tax_rate.clone()
                            inputmode="decimal" hint=Some("PPN, e.g. 11. Receipts show the tax a price includes; empty for none.")/>
                    </fieldset>
                    <fieldset class="stack">
                        <legend>"How the site looks"</legend>
                        <TextField id="s-accent" name="form[accent]" label="Accent colour" value=f.accent.clone() maxlength=7
                            placeholder="#B4451F"
                            hint=Some("Links and buttons, as a hex code. It needs a contrast of 4.5:1 with the page and with white button text (WCAG AA); empty: the default.")/>
                        <div class="field checkbox">
                            <input id="s-logo-name" name="form[logo_has_name]" type="checkbox" checked=f.logo_has_name == "on"/>
                            <label for="s-logo-name">"The logo includes the name (the header shows the logo alone)"</label>
                        </div>
                        <div class="swatch" aria-label="How links and buttons look now">
                            <a href="/admin/settings">"A link"</a>
                            <span class="button primary">"A button"</span>
                        </div>
                    </fieldset>
                    <fieldset class="stack">
                        <legend>"Language"</legend>
                        <Field id="s-language" label="The site's language"
                            hint=Some("The public pages at their usual addresses are in it; the other language's version of each page is under its code, /en/… or /id/….")>
                            <select id="s-language" name="form[language]">
                                {[crate::domain::Lang::Id, crate::domain::Lang::En].map(|lang| view! {
                                    <option value=lang.as_str() selected=f.language == lang.as_str() lang=lang.as_str()>{lang.label()}</option>
                                }).collect_view()}
                            </select>
                        </Field>
                    </fieldset>
                    <fieldset class="stack">
                        <legend>"How people find the studio"</legend>
                        <TextField id="s-contact" name="form[contact_email]" label="Contact email" value=f.contact_email.clone() kind="email"/>
                        <TextField id="s-seo" name="form[seo_description]" label="Home page description" value=f.seo_description.clone()
                            maxlength=300 hint=Some("Search results and link previews of the home page.")/>
                        <TextField id="s-image" name="form[share_image]" label="Share image" value=f.share_image.clone()
                            placeholder="/uploads/…" hint=Some("The home page's link-preview image (products and posts use their covers).")/>
                        <Field id="s-social" label="Social links (a name and an https address per line)">
                            <textarea id="s-social" name="form[social_links]" rows="3" placeholder="Instagram https://instagram.com/studio">{f.social_links.clone()}</textarea></Field>
                    </fieldset>
                    <fieldset class="stack">
                        <legend>"Ways of paying offered"</legend>
                        {if configured.is_empty() {
                            view! { <p class="muted">"No gateway is configured."</p> }.into_any()
                        } else {
                            configured.iter().map(|g| {
                                let (id, name) = (format!("s-gw-{}", g.as_str()), format!("form[gateway_{}]", g.as_str()));
                                let checked = ticked.contains(g) || ticked.is_empty();
                                view! {
                                    <div class="field checkbox">
                                        <input id=id.clone() name=name type="checkbox" checked=checked/>
                                        <label for=id>{g.label()}</label>
                                    </div>
                                }
                            }).collect_view().into_any()
                        }}
                    </fieldset>
                    <Field id="s-notify" label="New-order notices go to"
                        hint=Some("Addresses separated by commas; empty: the address set in ADMIN_NOTIFY_EMAIL.")>
                        <input id="s-notify" name="form[notify_recipients]" type="text" value=f.notify_recipients.clone()/>
                    </Field>
                    <button type="submit" class="primary">"Save settings"</button>
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
            <h2>"Logo"</h2>
            {match logo.clone() {
                Some(src) => view! { <p class="swatch"><img class="brand-logo wide" src=src alt="The logo as it is now"/></p> }.into_any(),
                None => view! { <p class="muted">"No logo: the header and icons show the first letter of the studio's name."</p> }.into_any(),
            }}
            <form method="post" action="/admin/settings/logo" enctype="multipart/form-data" class="stack">
                <Field id="s-logo" label="Logo"
                    hint=Some("PNG, WebP or JPEG, up to 2 MB. The icons browsers and phones show are drawn from it.")>
                    <input id="s-logo" name="logo" type="file" accept="image/png,image/webp,image/jpeg" required/>
                </Field>
                <button type="submit" class="primary">"Upload logo"</button>
            </form>
            {logo.map(|_| view! {
                <form method="post" action="/admin/settings/logo/remove">
                    <button type="submit" class="button ghost">"Remove the logo"</button>
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
