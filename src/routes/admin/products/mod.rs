//! Products and their plans.

pub mod api;

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
        <Title text="Products"/>
        <div class="page-head">
            <h1>"Products"</h1>
            <a class="button" href="/admin/products/new">"New product"</a>
        </div>
        {loaded(super::api::admin_products(), move |value| match value {
                list if list.rows.is_empty() => view! { <p class="notice info">"No products yet."</p> }.into_any(),
                list => {
                    let other = list.other;
                    view! {
                    <DataTable columns=const { &[Column::text("Name"), Column::text("Kind"), Column::text("Status"), Column::text("Translation"), Column::num("Price"), Column::text("Delivery")] }>
                            {list.rows.into_iter().map(|(p, version)| view! {
                                <tr>
                                    <td><a href=format!("/admin/products/{}", p.id)>{p.name.clone()}</a></td>
                                    <td>{p.kind.label()}</td>
                                    <td>{p.status.label()}</td>
                                    <td><a href=format!("/admin/products/{}?lang={other}", p.id)>
                                        {format!("{}: {}", other.label(), version.map_or("None", |s| s.label()))}
                                    </a></td>
                                    <td class="num">{p.price_label()}</td>
                                    <td>{p.delivery_kind.label()}</td>
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
        <Title text="Edit product"/>
        <h1>{if is_new { "New product" } else { "Edit product" }}</h1>
        {id.map(|id| view! { <super::VersionTabs base=format!("/admin/products/{id}") translation=false/> })}
        {move || query.read().get("saved").map(|_| view! { <Notice message="Saved."/> })}
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
        <Title text="Edit product · translation"/>
        <p class="eyebrow"><a href="/admin/products">"Products"</a></p>
        <h1>"Edit product · translation"</h1>
        <super::VersionTabs base=format!("/admin/products/{id}") translation=true/>
        {move || query.read().get("saved").map(|_| view! { <Notice message="Saved."/> })}
        {move || query.read().get("plan_saved").map(|_| view! { <Notice message="Plan saved."/> })}
        {move || query.read().get("deleted").map(|_| view! { <Notice message="The translation is deleted: the product is shown as written in both languages."/> })}
        <FormError action=save/>
        <FormError action=save_plan/>
        {loaded(super::api::admin_product_version_form(id), move |v| {
            let f = typed_form("form").unwrap_or(v.form);
            let lang = v.lang.label();
            let code = v.lang.as_str();
            let plans = (!v.plans.is_empty()).then(|| {
                let forms = v.plans.into_iter().map(|crate::domain::subscriptions::PlanVersion { id: plan_id, own_name: own, name, features }| {
                    let field = move |what: &str| format!("plan-{plan_id}-{what}");
                    view! {
                        <ActionForm action=save_plan attr:class="stack admin-form plan-form" attr:lang=code>
                            <input type="hidden" name="product_id" value=id/>
                            <input type="hidden" name="plan_id" value=plan_id/>
                            <div class="field"><label for=field("name")>{format!("“{own}” in {lang}")}</label>
                                <input id=field("name") name="name" type="text" required maxlength="60" value=name/></div>
                            <div class="field"><label for=field("features")>"Features (one per line)"</label>
                                <textarea id=field("features") name="features" rows="4">{features}</textarea></div>
                            <button type="submit" class="primary small">"Save plan"</button>
                        </ActionForm>
                    }
                }).collect_view();
                view! {
                    <section id="plans" class="section" aria-labelledby="plans-heading">
                        <h2 id="plans-heading">"Plans"</h2>
                        <p class="muted">{format!("Each plan's name and features in {lang}, shown with the product's version once it is published.")}</p>
                        {forms}
                    </section>
                }
            });
            view! {
                <p class="muted">{format!("The {lang} version of “{}”, written in {}. Its prices, images and delivery are the product's; a visitor reading {lang} sees the product as written until this version is published.", v.main_name, v.main_lang.label())}</p>
                <ActionForm action=save attr:class="stack admin-form" attr:lang=v.lang.as_str()>
                    <input type="hidden" name="id" value=id/>
                    <div class="grid-2">
                        <TextField id="name" name="form[name]" label="Name" value=f.name.clone() required=true/>
                        <Field id="status" label="Status">
                            <select id="status" name="form[status]">
                                {crate::domain::content::EntryStatus::ALL.iter().map(|s| view! {
                                    <option value=s.as_str() selected=s.as_str() == f.status>{s.label()}</option>
                                }).collect_view()}
                            </select></Field>
                    </div>
                    <TextField id="summary" name="form[summary]" label="Summary" value=f.summary.clone() maxlength=300/>
                    <Field id="description_md" label="Description (Markdown)">
                        <textarea id="description_md" name="form[description_md]" rows="10">{f.description_md.clone()}</textarea></Field>
                    <div class="actions"><button type="submit" class="primary">{format!("Save the {lang} version")}</button></div>
                </ActionForm>
                {plans}
                {v.exists.then(|| view! {
                    <super::DeleteZone action=delete id summary="Delete this translation…"
                        explain="The product (and its plans) are then shown as written in both languages."
                        button="Delete the translation"/>
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
                    <div class="field"><label for=field("name")>"Plan name"</label>
                        <input id=field("name") name="plan[name]" type="text" required maxlength="60" value=f.name placeholder="Pro"/></div>
                    <div class="field"><label for=field("period")>"Renews"</label>
                        <select id=field("period") name="plan[period]">
                            <option value="monthly" selected=f.period == "monthly">"Monthly"</option>
                            <option value="yearly" selected=f.period == "yearly">"Yearly"</option>
                        </select></div>
                    <div class="field"><label for=field("price_idr")>"Plan price (IDR)"</label>
                        <input id=field("price_idr") name="plan[price_idr]" type="text" inputmode="numeric" required value=f.price_idr/></div>
                    <div class="field"><label for=field("price_usd")>"Plan price for PayPal (USD, optional)"</label>
                        <input id=field("price_usd") name="plan[price_usd]" type="text" inputmode="decimal" value=f.price_usd/></div>
                    <div class="field"><label for=field("tool_quota")>"Tool runs a day (optional)"</label>
                        <input id=field("tool_quota") name="plan[tool_quota]" type="text" inputmode="numeric" value=f.tool_quota/>
                        <span class="hint">"Overrides the member default while subscribed."</span></div>
                    <div class="field"><label for=field("sort_order")>"Position"</label>
                        <input id=field("sort_order") name="plan[sort_order]" type="text" inputmode="numeric" value=f.sort_order/></div>
                </div>
                <div class="field"><label for=field("features")>"Features (one per line)"</label>
                    <textarea id=field("features") name="plan[features]" rows="4">{f.features}</textarea></div>
                <button type="submit" class="primary small">{if plan.is_some() { "Save plan" } else { "Add plan" }}</button>
            </ActionForm>
        }
    };
    view! {
        <section id="plans" class="section" aria-labelledby="plans-heading">
            <h2 id="plans-heading">"Plans"</h2>
            <p class="muted">"A product with plans is sold by plan (monthly or yearly subscriptions); without, at its own price."</p>
            {move || query.read().get("plan_saved").map(|_| view! { <Notice message="Plans saved."/> })}
            <FormError action=save/>
            <FormError action=retire/>
            {loaded(super::api::admin_plans(product_id), move |list| view! {
                {list.into_iter().map(|p| {
                    let (id, retired) = (p.id, p.retired);
                    view! {
                        <details class="card plan-edit" open=false>
                            <summary>
                                <strong>{p.name.clone()}</strong> " · " {p.price_label()}
                                {retired.then(|| view! { " " <span class="badge">"Retired"</span> })}
                            </summary>
                            {plan_form(Some(p))}
                            <ActionForm action=retire attr:class="inline-form">
                                <input type="hidden" name="product_id" value=product_id/>
                                <input type="hidden" name="id" value=id/>
                                <input type="hidden" name="retired" value=(!retired).to_string()/>
                                <button type="submit" class="button ghost small">{if retired { "Sell again" } else { "Retire (stop selling)" }}</button>
                            </ActionForm>
                        </details>
                    }
                }).collect_view()}
                <section aria-labelledby="add-plan-heading">
                    <h3 id="add-plan-heading">"Add a plan"</h3>
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
                <TextField id="name" name="form[name]" label="Name" value=f.name.clone() required=true/>
                <TextField id="slug" name="form[slug]" label="Slug" value=f.slug.clone() hint=Some("Leave empty to derive it from the name.")/>
                <Field id="kind" label="Kind">
                    <select id="kind" name="form[kind]">{super::options(ProductKind::ALL, ProductKind::as_str, ProductKind::label, f.kind.clone())}</select></Field>
                <Field id="status" label="Status">
                    <select id="status" name="form[status]">{super::options(ProductStatus::ALL, ProductStatus::as_str, ProductStatus::label, f.status.clone())}</select></Field>
                <TextField id="price_idr" name="form[price_idr]" label="Price (IDR)" value=f.price_idr.clone() inputmode="numeric" required=true/>
                <TextField id="price_usd" name="form[price_usd]" label="Price for PayPal (USD, optional)" value=f.price_usd.clone() inputmode="decimal"/>
                <Field id="billing" label="Billing">
                    <select id="billing" name="form[billing]">{super::options(Billing::ALL, Billing::as_str, Billing::label, f.billing.clone())}</select></Field>
                <div class="field checkbox"><input id="featured" name="form[featured]" type="checkbox" checked=f.featured == "on"/>
                    <label for="featured">"Feature on the home page"</label></div>
                <Field id="delivery_kind" label="Delivery">
                    <select id="delivery_kind" name="form[delivery_kind]">{super::options(DeliveryKind::ALL, DeliveryKind::as_str, DeliveryKind::label, f.delivery_kind.clone())}</select></Field>
            </div>
            <TextField id="summary" name="form[summary]" label="Summary" value=f.summary.clone() maxlength=300/>
            <fieldset class="grid-2">
                <legend>"Images (upload them under " <a href="/admin/uploads">"Uploads"</a> ", then paste their addresses)"</legend>
                <TextField id="cover_image" name="form[cover_image]" label="Cover image" value=f.cover_image.clone()
                    placeholder="/uploads/…" hint=Some("Shown on cards, the product page and link previews.")/>
                <Field id="gallery" label="Gallery (one address per line, up to 8)">
                    <textarea id="gallery" name="form[gallery]" rows="4" placeholder="/uploads/…">{f.gallery.clone()}</textarea></Field>
            </fieldset>
            <Field id="description_md" label="Description (Markdown)">
                <textarea id="description_md" name="form[description_md]" rows="10">{f.description_md.clone()}</textarea></Field>
            <fieldset class="grid-2">
                <legend>"Delivery settings (only those of the chosen delivery are kept)"</legend>
                <TextField id="delivery_max_downloads" name="form[delivery_max_downloads]" label="Downloads per link" value=f.delivery_max_downloads.clone() inputmode="numeric"/>
                <TextField id="delivery_repo" name="form[delivery_repo]" label="GitHub repository (owner/repo)" value=f.delivery_repo.clone()/>
                <TextField id="delivery_activation_limit" name="form[delivery_activation_limit]" label="License activations" value=f.delivery_activation_limit.clone() inputmode="numeric"/>
                <TextField id="delivery_validity_days" name="form[delivery_validity_days]" label="License validity (days)" value=f.delivery_validity_days.clone() inputmode="numeric"/>
                <div class="field checkbox"><input id="delivery_signed" name="form[delivery_signed]" type="checkbox" checked=f.delivery_signed == "on"/>
                    <label for="delivery_signed">"Signed license keys (verifiable offline)"</label></div>
            </fieldset>
            <button type="submit" class="primary" disabled=move || save.pending().get()>"Save product"</button>
        </ActionForm>
    }
}
