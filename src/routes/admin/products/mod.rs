//! Products and their plans.

pub mod api;

use crate::components::{in_page_language, in_page_language_static, price_in_page_language, tr, tr_with};
use crate::components::{loaded, route_param, typed_form, Column, DataTable, Field, FormError, Notice, TextField};
use crate::domain::{
    delivery::DeliveryKind,
    products::{Billing, ProductForm, ProductKind, ProductStatus},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ProductsPage() -> impl IntoView {
    view! {
        <Title text=tr("adm-products")/>
        <div class="page-head">
            <h1>{tr("adm-products")}</h1>
            <a class="button" href="/admin/products/new">{tr("adm-new-product")}</a>
        </div>
        {loaded(super::api::admin_products(), move |value| match value {
                list if list.rows.is_empty() => view! { <p class="notice info">{tr("adm-no-products-yet")}</p> }.into_any(),
                list => {
                    let other = list.other;
                    view! {
                    <DataTable columns=const { &[Column::text("Name"), Column::text("Kind"), Column::text("Status"), Column::text("Translation"), Column::num("Price"), Column::text("Delivery")] }>
                            {list.rows.into_iter().map(|(p, version)| view! {
                                <tr>
                                    <td><a href=format!("/admin/products/{}", p.id)>{p.name.clone()}</a></td>
                                    <td>{in_page_language(p.kind.label())}</td>
                                    <td>{in_page_language(p.status.label())}</td>
                                    <td><a href=format!("/admin/products/{}?lang={other}", p.id)>
                                        {format!("{}: {}", in_page_language(other.label()), version.map_or(tr("adm-none"), |s| in_page_language_static(s.label())))}
                                    </a></td>
                                    <td class="num">{price_in_page_language(&p.price_label())}</td>
                                    <td>{in_page_language(p.delivery_kind.label())}</td>
                                </tr>
                            }).collect_view()}
                        </DataTable>
                    }.into_any()
                }
        })}
    }
}

#[component]
pub fn ProductEditPage() -> impl IntoView {
    let query = use_query_map();
    let raw_id = route_param("id");
    let (id, is_new) = (raw_id.parse::<i64>().ok(), raw_id.is_empty() || raw_id == "new");
    // `?lang=en`: the product's version in the site's other language.
    if let (Some(id), false) = (id, crate::components::query_param("lang").is_empty()) {
        return view! { <ProductVersionPage id/> }.into_any();
    }
    let save = ServerAction::<super::api::SaveProduct>::new();
    view! {
        <Title text=tr("adm-edit-product")/>
        <h1>{if is_new { tr("adm-new-product") } else { tr("adm-edit-product") }}</h1>
        {id.map(|id| view! { <super::VersionTabs base=format!("/admin/products/{id}") translation=false/> })}
        {move || query.read().get("saved").map(|_| view! { <Notice message=tr("adm-saved")/> })}
        <FormError action=save/>
        // After a refused save, the form as staff typed it, not as it is stored.
        {loaded(super::api::admin_product_form(id), move |f| view! { <ProductFormView form=typed_form("form").unwrap_or(f) id save/> }
        )}
        {id.map(|product_id| view! { <super::product_files::ProductFilesEditor product_id/> <PlansEditor product_id/> })}
    }
    .into_any()
}

/// A product's version in the site's other language: its name, summary and
/// description, and each plan's name and features; prices, images and delivery are
/// the product's.
#[component]
fn ProductVersionPage(id: i64) -> impl IntoView {
    let query = use_query_map();
    let save = ServerAction::<super::api::SaveProductVersion>::new();
    let save_plan = ServerAction::<super::api::SavePlanVersion>::new();
    let delete = ServerAction::<super::api::DeleteProductVersion>::new();
    view! {
        <Title text=tr("adm-edit-product-translation")/>
        <p class="eyebrow"><a href="/admin/products">{tr("adm-products")}</a></p>
        <h1>{tr("adm-edit-product-translation")}</h1>
        <super::VersionTabs base=format!("/admin/products/{id}") translation=true/>
        {move || query.read().get("saved").map(|_| view! { <Notice message=tr("adm-saved")/> })}
        {move || query.read().get("plan_saved").map(|_| view! { <Notice message=tr("adm-plan-saved")/> })}
        {move || query.read().get("deleted").map(|_| view! { <Notice message=tr("adm-the-translation-is-deleted-the-2")/> })}
        <FormError action=save/>
        <FormError action=save_plan/>
        {loaded(super::api::admin_product_version_form(id), move |v| {
            let f = typed_form("form").unwrap_or(v.form);
            let lang = in_page_language_static(v.lang.label());
            let code = v.lang.as_str();
            let plans = (!v.plans.is_empty()).then(|| {
                let forms = v.plans.into_iter().map(|crate::domain::subscriptions::PlanVersion { id: plan_id, own_name: own, name, features }| {
                    let field = move |what: &str| format!("plan-{plan_id}-{what}");
                    view! {
                        <ActionForm action=save_plan attr:class="stack admin-form plan-form" attr:lang=code>
                            <input type="hidden" name="product_id" value=id/>
                            <input type="hidden" name="plan_id" value=plan_id/>
                            <div class="field"><label for=field("name")>{tr_with("adm-own-in-lang", &[("own", &own), ("lang", lang)])}</label>
                                <input id=field("name") name="name" type="text" required maxlength="60" value=name/></div>
                            <div class="field"><label for=field("features")>{tr("adm-features-one-per-line")}</label>
                                <textarea id=field("features") name="features" rows="4">{features}</textarea></div>
                            <button type="submit" class="primary small">{tr("adm-save-plan")}</button>
                        </ActionForm>
                    }
                }).collect_view();
                view! {
                    <section id="plans" class="section" aria-labelledby="plans-heading">
                        <h2 id="plans-heading">{tr("adm-plans")}</h2>
                        <p class="muted">{tr_with("adm-plans-in-lang", &[("lang", lang)])}</p>
                        {forms}
                    </section>
                }
            });
            view! {
                <p class="muted">{tr_with("adm-product-version-intro", &[("lang", lang), ("title", &v.main_name), ("written", &in_page_language(v.main_lang.label()))])}</p>
                <ActionForm action=save attr:class="stack admin-form" attr:lang=v.lang.as_str()>
                    <input type="hidden" name="id" value=id/>
                    <div class="grid-2">
                        <TextField id="name" name="form[name]" label=tr("adm-name") value=f.name.clone() required=true/>
                        <Field id="status" label=tr("adm-status")>
                            <select id="status" name="form[status]">
                                {crate::domain::content::EntryStatus::ALL.iter().map(|s| view! {
                                    <option value=s.as_str() selected=s.as_str() == f.status>{in_page_language(s.label())}</option>
                                }).collect_view()}
                            </select></Field>
                    </div>
                    <TextField id="summary" name="form[summary]" label=tr("adm-summary") value=f.summary.clone() maxlength=300/>
                    <Field id="description_md" label=tr("adm-description-markdown")>
                        <textarea id="description_md" name="form[description_md]" rows="10">{f.description_md.clone()}</textarea></Field>
                    <div class="actions"><button type="submit" class="primary">{tr_with("adm-save-version", &[("lang", lang)])}</button></div>
                </ActionForm>
                {plans}
                {v.exists.then(|| view! {
                    <super::DeleteZone action=delete id summary=tr("adm-delete-this-translation")
                        explain=tr("adm-the-product-and-its-plans")
                        button=tr("adm-delete-the-translation")/>
                })}
            }
        })}
    }
}

/// A product's plans: each editable in place, retired or back on sale, and a form for a new one.
#[component]
fn PlansEditor(product_id: i64) -> impl IntoView {
    use crate::domain::subscriptions::{Plan, PlanForm};
    let save = ServerAction::<super::api::SavePlan>::new();
    let retire = ServerAction::<super::api::RetirePlan>::new();
    let query = use_query_map();
    let plan_form = move |plan: Option<Plan>| {
        let f = match &plan {
            Some(p) => PlanForm {
                name: p.name.clone(),
                period: p.period.as_str().to_owned(),
                price_idr: p.price_idr.to_string(),
                price_usd: p.price_usd_cents.map(|c| format!("{}.{:02}", c / 100, c % 100)).unwrap_or_default(),
                features: p.features.join("\n"),
                tool_quota: p.tool_quota.map(|q| q.to_string()).unwrap_or_default(),
                sort_order: p.sort_order.to_string(),
            },
            None => PlanForm { period: "monthly".into(), ..PlanForm::default() },
        };
        let key = plan.as_ref().map_or("new".to_owned(), |p| p.id.to_string());
        let field = move |name: &str| format!("plan-{key}-{name}");
        view! {
            <ActionForm action=save attr:class="stack admin-form plan-form">
                <input type="hidden" name="product_id" value=product_id/>
                {plan.as_ref().map(|p| view! { <input type="hidden" name="id" value=p.id/> })}
                <div class="grid-2">
                    <div class="field"><label for=field("name")>{tr("adm-plan-name")}</label>
                        <input id=field("name") name="plan[name]" type="text" required maxlength="60" value=f.name placeholder=tr("adm-pro")/></div>
                    <div class="field"><label for=field("period")>{tr("adm-renews")}</label>
                        <select id=field("period") name="plan[period]">
                            <option value="monthly" selected=f.period == "monthly">{tr("adm-monthly")}</option>
                            <option value="yearly" selected=f.period == "yearly">{tr("adm-yearly")}</option>
                        </select></div>
                    <div class="field"><label for=field("price_idr")>{tr("adm-plan-price-idr")}</label>
                        <input id=field("price_idr") name="plan[price_idr]" type="text" inputmode="numeric" required value=f.price_idr/></div>
                    <div class="field"><label for=field("price_usd")>{tr("adm-plan-price-for-paypal-usd")}</label>
                        <input id=field("price_usd") name="plan[price_usd]" type="text" inputmode="decimal" value=f.price_usd/></div>
                    <div class="field"><label for=field("tool_quota")>{tr("adm-tool-runs-a-day-optional")}</label>
                        <input id=field("tool_quota") name="plan[tool_quota]" type="text" inputmode="numeric" value=f.tool_quota/>
                        <span class="hint">{tr("adm-overrides-the-member-default-while")}</span></div>
                    <div class="field"><label for=field("sort_order")>{tr("adm-position")}</label>
                        <input id=field("sort_order") name="plan[sort_order]" type="text" inputmode="numeric" value=f.sort_order/></div>
                </div>
                <div class="field"><label for=field("features")>{tr("adm-features-one-per-line")}</label>
                    <textarea id=field("features") name="plan[features]" rows="4">{f.features}</textarea></div>
                <button type="submit" class="primary small">{if plan.is_some() { tr("adm-save-plan") } else { tr("adm-add-plan") }}</button>
            </ActionForm>
        }
    };
    view! {
        <section id="plans" class="section" aria-labelledby="plans-heading">
            <h2 id="plans-heading">{tr("adm-plans")}</h2>
            <p class="muted">{tr("adm-a-product-with-plans-is")}</p>
            {move || query.read().get("plan_saved").map(|_| view! { <Notice message=tr("adm-plans-saved")/> })}
            <FormError action=save/>
            <FormError action=retire/>
            {loaded(super::api::admin_plans(product_id), move |list| view! {
                {list.into_iter().map(|p| {
                    let (id, retired) = (p.id, p.retired);
                    view! {
                        <details class="card plan-edit" open=false>
                            <summary>
                                <strong>{p.name.clone()}</strong> " · " {price_in_page_language(&p.price_label())}
                                {retired.then(|| view! { " " <span class="badge">{tr("adm-retired")}</span> })}
                            </summary>
                            {plan_form(Some(p))}
                            <ActionForm action=retire attr:class="inline-form">
                                <input type="hidden" name="product_id" value=product_id/>
                                <input type="hidden" name="id" value=id/>
                                <input type="hidden" name="retired" value=(!retired).to_string()/>
                                <button type="submit" class="button ghost small">{if retired { tr("adm-sell-again") } else { tr("adm-retire-stop-selling") }}</button>
                            </ActionForm>
                        </details>
                    }
                }).collect_view()}
                <section aria-labelledby="add-plan-heading">
                    <h3 id="add-plan-heading">{tr("adm-add-a-plan")}</h3>
                    {plan_form(None)}
                </section>
            })}
        </section>
    }
}

#[component]
fn ProductFormView(form: ProductForm, id: Option<i64>, save: ServerAction<super::api::SaveProduct>) -> impl IntoView {
    let f = form;
    view! {
        <ActionForm action=save attr:class="stack admin-form">
            {id.map(|id| view! { <input type="hidden" name="id" value=id/> })}
            <div class="grid-2">
                <TextField id="name" name="form[name]" label=tr("adm-name") value=f.name.clone() required=true/>
                <TextField id="slug" name="form[slug]" label=tr("adm-slug") value=f.slug.clone() hint=Some(tr("adm-leave-empty-to-derive-it"))/>
                <Field id="kind" label=tr("adm-kind")>
                    <select id="kind" name="form[kind]">{super::options(ProductKind::ALL, ProductKind::as_str, ProductKind::label, f.kind.clone())}</select></Field>
                <Field id="status" label=tr("adm-status")>
                    <select id="status" name="form[status]">{super::options(ProductStatus::ALL, ProductStatus::as_str, ProductStatus::label, f.status.clone())}</select></Field>
                <TextField id="price_idr" name="form[price_idr]" label=tr("adm-price-idr") value=f.price_idr.clone() inputmode="numeric" required=true/>
                <TextField id="price_usd" name="form[price_usd]" label=tr("adm-price-for-paypal-usd-optional") value=f.price_usd.clone() inputmode="decimal"/>
                <Field id="billing" label=tr("adm-billing")>
                    <select id="billing" name="form[billing]">{super::options(Billing::ALL, Billing::as_str, Billing::label, f.billing.clone())}</select></Field>
                <div class="field checkbox"><input id="featured" name="form[featured]" type="checkbox" checked=f.featured == "on"/>
                    <label for="featured">{tr("adm-feature-on-the-home-page")}</label></div>
                <Field id="delivery_kind" label=tr("adm-delivery")>
                    <select id="delivery_kind" name="form[delivery_kind]">{super::options(DeliveryKind::ALL, DeliveryKind::as_str, DeliveryKind::label, f.delivery_kind.clone())}</select></Field>
            </div>
            <TextField id="summary" name="form[summary]" label=tr("adm-summary") value=f.summary.clone() maxlength=300/>
            <fieldset class="grid-2">
                <legend>{tr("adm-images-upload-them-under")} " " <a href="/admin/uploads">{tr("adm-uploads")}</a> {tr("adm-then-paste-their-addresses")}</legend>
                <TextField id="cover_image" name="form[cover_image]" label=tr("adm-cover-image") value=f.cover_image.clone()
                    placeholder="/uploads/…" hint=Some(tr("adm-shown-on-cards-the-product"))/>
                <Field id="gallery" label=tr("adm-gallery-one-address-per-line")>
                    <textarea id="gallery" name="form[gallery]" rows="4" placeholder="/uploads/…">{f.gallery.clone()}</textarea></Field>
            </fieldset>
            <Field id="description_md" label=tr("adm-description-markdown")>
                <textarea id="description_md" name="form[description_md]" rows="10">{f.description_md.clone()}</textarea></Field>
            <fieldset class="grid-2">
                <legend>{tr("adm-delivery-settings-only-those-of")}</legend>
                <TextField id="delivery_max_downloads" name="form[delivery_max_downloads]" label=tr("adm-downloads-per-link") value=f.delivery_max_downloads.clone() inputmode="numeric"/>
                <TextField id="delivery_repo" name="form[delivery_repo]" label=tr("adm-github-repository-owner-repo") value=f.delivery_repo.clone()/>
                <TextField id="delivery_activation_limit" name="form[delivery_activation_limit]" label=tr("adm-license-activations") value=f.delivery_activation_limit.clone() inputmode="numeric"/>
                <TextField id="delivery_validity_days" name="form[delivery_validity_days]" label=tr("adm-license-validity-days") value=f.delivery_validity_days.clone() inputmode="numeric"/>
                <div class="field checkbox"><input id="delivery_signed" name="form[delivery_signed]" type="checkbox" checked=f.delivery_signed == "on"/>
                    <label for="delivery_signed">{tr("adm-signed-license-keys-verifiable-offline")}</label></div>
            </fieldset>
            <button type="submit" class="primary" disabled=move || save.pending().get()>{tr("adm-save-product")}</button>
        </ActionForm>
    }
}
