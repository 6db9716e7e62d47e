//! `/admin`: the studio's back office (staff only).

pub mod analytics;
pub mod api;
pub mod billing;
pub mod clients;
pub mod content;
pub mod coupons;
pub mod inbox;
pub mod jobs;
pub mod orders;
pub mod overview;
pub mod product_files;
pub mod products;
pub mod projects;
pub mod settings;
pub mod subscriptions;
pub mod uploads;
pub mod users;
pub mod waitlist;

pub use analytics::AnalyticsPage;
pub use billing::InvoicesPage;
pub use clients::{ClientDetailPage, ClientsPage};
pub use content::{EntriesPage, EntryEditPage};
pub use coupons::CouponsPage;
pub use inbox::ContactsPage;
pub use projects::{ProjectDetailPage, ProjectsPage};
pub use settings::{SettingsData, SettingsPage};
pub use subscriptions::{SubscriptionDetailPage, SubscriptionsPage};
pub use uploads::UploadsPage;
pub use users::{UserDetailPage, UsersPage};
pub use waitlist::WaitlistPage;

use crate::components::{
    loaded, query_param, route_param, settled, status_badge, typed_form, AreaLayout, Column, DataTable, Field,
    FormError, NavLink, Notice, TextField,
};
use crate::domain::time::format_time;
use crate::domain::Area;
use crate::domain::{
    delivery::{DeliveryKind, DeliveryStatus},
    jobs::JobStatus,
    orders::{Gateway, OrderStatus},
    products::{Billing, ProductForm, ProductKind, ProductStatus},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const NAV: &[NavLink] = &[
    NavLink { href: "/admin", label: "Overview" },
    NavLink { href: "/admin/posts", label: "Posts" },
    NavLink { href: "/admin/pages", label: "Pages" },
    NavLink { href: "/admin/portfolio", label: "Portfolio" },
    NavLink { href: "/admin/products", label: "Products" },
    NavLink { href: "/admin/orders", label: "Orders" },
    NavLink { href: "/admin/analytics", label: "Analytics" },
    NavLink { href: "/admin/subscriptions", label: "Subscriptions" },
    NavLink { href: "/admin/users", label: "Users" },
    NavLink { href: "/admin/clients", label: "Clients" },
    NavLink { href: "/admin/projects", label: "Projects" },
    NavLink { href: "/admin/invoices", label: "Invoices" },
    NavLink { href: "/admin/waitlist", label: "Waitlist" },
    NavLink { href: "/admin/coupons", label: "Coupons" },
    NavLink { href: "/admin/contacts", label: "Messages" },
    NavLink { href: "/admin/uploads", label: "Images" },
    NavLink { href: "/admin/jobs", label: "Jobs" },
    NavLink { href: "/admin/settings", label: "Settings" },
];

#[component]
pub fn AdminLayout(page: fn() -> AnyView) -> impl IntoView {
    view! { <AreaLayout area=Area::Admin title="Admin" links=NAV page/> }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <Title text="Admin"/>
        <h1>"Studio overview"</h1>
        <div class="cards">
            <a class="card" href="/admin/posts"><h2 class="h3">"Blog"</h2><p>"Write, schedule and publish posts."</p></a>
            <a class="card" href="/admin/pages"><h2 class="h3">"Pages"</h2><p>"About, privacy policy, disclaimer and more."</p></a>
            <a class="card" href="/admin/portfolio"><h2 class="h3">"Portfolio"</h2><p>"Case studies of client work."</p></a>
            <a class="card" href="/admin/tools"><h2 class="h3">"Tools"</h2><p>"The tools pages."</p></a>
            <a class="card" href="/admin/demos"><h2 class="h3">"Demos"</h2><p>"Live demos of products."</p></a>
            <a class="card" href="/admin/resources"><h2 class="h3">"Resources"</h2><p>"Guides and downloads."</p></a>
            <a class="card" href="/admin/products"><h2 class="h3">"Products & services"</h2><p>"The catalog: prices, status and delivery."</p></a>
            <a class="card" href="/admin/orders"><h2 class="h3">"Orders"</h2><p>"Every order with its payment events."</p></a>
        </div>
        {loaded(api::admin_overview(), move |o| view! {
                        <section aria-labelledby="attention">
                            <h2 class="h3" id="attention">"Needs attention"</h2>
                            {if o.attention.iter().all(|(n, _, _)| *n == 0) {
                                view! { <p class="notice success" role="status">"Nothing waits for you."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="attention">
                                        {o.attention.into_iter().filter(|(n, _, _)| *n > 0).map(|(n, what, href)| view! {
                                            <li><a href=href><strong>{n}</strong>" "{what}</a></li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        <h2 class="h3">"Takings"</h2>
                        <DataTable columns=const { &[Column::text("Period"), Column::num("Paid orders"), Column::num("IDR"), Column::num("USD")] }>
                            {o.takings.into_iter().map(|(period, idr, usd, orders)| view! {
                                <tr><td>{period}</td><td class="num">{orders}</td><td class="num">{idr}</td><td class="num">{usd}</td></tr>
                            }).collect_view()}
                        </DataTable>
                        <div class="page-head"><h2 class="h3">"Recent changes"</h2><a href="/admin/audit">"All changes →"</a></div>
                        {if o.audit.is_empty() {
                            view! { <p class="muted">"No changes yet."</p> }.into_any()
                        } else {
                            view! {
                                <DataTable columns=const { &[Column::text("When"), Column::text("Who"), Column::text("What"), Column::text("Subject"), Column::text("Detail")] }>{o.audit.into_iter().map(|a| view! {
                                        <tr><td>{format_time(a.at)}</td><td>{a.actor}</td><td>{a.action}</td><td>{a.subject}</td><td>{a.detail}</td></tr>
                                    }).collect_view()}</DataTable>
                            }.into_any()
                        }}
                    }
        )}
    }
}

/// The audit trail: who changed what, and when, a page at a time.
#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <Title text="Audit log"/>
        <h1>"Audit log"</h1>
        {loaded(api::admin_audit(query_param("before"), query_param("after")), |page| view! {
            {page.rows.is_empty().then(|| view! { <p class="notice info">"No changes here."</p> })}
            <DataTable columns=const { &[Column::text("When"), Column::text("Who"), Column::text("What"), Column::text("Subject"), Column::text("Detail")] }>
                {page.rows.into_iter().map(|a| view! {
                    <tr><td>{format_time(a.at)}</td><td>{a.actor}</td><td>{a.action}</td><td>{a.subject}</td><td>{a.detail}</td></tr>
                }).collect_view()}
            </DataTable>
            <crate::components::Pager newer=page.newer older=page.older/>
        })}
    }
}

#[component]
pub fn ProductsPage() -> impl IntoView {
    view! {
        <Title text="Products"/>
        <div class="page-head">
            <h1>"Products"</h1>
            <a class="button" href="/admin/products/new">"New product"</a>
        </div>
        {loaded(api::admin_products(), move |value| match value {
                list if list.is_empty() => view! { <p class="notice info">"No products yet."</p> }.into_any(),
                list => view! {
                    <DataTable columns=const { &[Column::text("Name"), Column::text("Kind"), Column::text("Status"), Column::num("Price"), Column::text("Delivery")] }>
                            {list.into_iter().map(|p| view! {
                                <tr>
                                    <td><a href=format!("/admin/products/{}", p.id)>{p.name.clone()}</a></td>
                                    <td>{p.kind.label()}</td>
                                    <td>{p.status.label()}</td>
                                    <td class="num">{p.price_label()}</td>
                                    <td>{p.delivery_kind.label()}</td>
                                </tr>
                            }).collect_view()}
                        </DataTable>
                }.into_any(),
        })}
    }
}

fn options<T: Copy + 'static>(
    all: &'static [T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    selected: String,
) -> impl IntoView {
    all.iter()
        .map(|item| {
            let v = value(*item);
            view! { <option value=v selected=v == selected>{label(*item)}</option> }
        })
        .collect_view()
}

#[component]
pub fn ProductEditPage() -> impl IntoView {
    let query = use_query_map();
    let raw_id = route_param("id");
    let (id, is_new) = (raw_id.parse::<i64>().ok(), raw_id.is_empty() || raw_id == "new");
    let save = ServerAction::<api::SaveProduct>::new();
    view! {
        <Title text="Edit product"/>
        <h1>{if is_new { "New product" } else { "Edit product" }}</h1>
        {move || query.read().get("saved").map(|_| view! { <Notice message="Saved."/> })}
        <FormError action=save/>
        // After a refused save, the form as staff typed it, not as it is stored.
        {loaded(api::admin_product_form(id), move |f| view! { <ProductFormView form=typed_form("form").unwrap_or(f) id save/> }
        )}
        {id.map(|product_id| view! { <product_files::ProductFilesEditor product_id/> <PlansEditor product_id/> })}
    }
}

/// A product's plans: each editable in place, retired or back on sale, and a form for a new one.
#[component]
fn PlansEditor(product_id: i64) -> impl IntoView {
    use crate::domain::subscriptions::{Plan, PlanForm};
    let save = ServerAction::<api::SavePlan>::new();
    let retire = ServerAction::<api::RetirePlan>::new();
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
            {loaded(api::admin_plans(product_id), move |list| view! {
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
fn ProductFormView(form: ProductForm, id: Option<i64>, save: ServerAction<api::SaveProduct>) -> impl IntoView {
    let f = form;
    view! {
        <ActionForm action=save attr:class="stack admin-form">
            {id.map(|id| view! { <input type="hidden" name="id" value=id/> })}
            <div class="grid-2">
                <TextField id="name" name="form[name]" label="Name" value=f.name.clone() required=true/>
                <TextField id="slug" name="form[slug]" label="Slug" value=f.slug.clone() hint=Some("Leave empty to derive it from the name.")/>
                <Field id="kind" label="Kind">
                    <select id="kind" name="form[kind]">{options(ProductKind::ALL, ProductKind::as_str, ProductKind::label, f.kind.clone())}</select></Field>
                <Field id="status" label="Status">
                    <select id="status" name="form[status]">{options(ProductStatus::ALL, ProductStatus::as_str, ProductStatus::label, f.status.clone())}</select></Field>
                <TextField id="price_idr" name="form[price_idr]" label="Price (IDR)" value=f.price_idr.clone() inputmode="numeric" required=true/>
                <TextField id="price_usd" name="form[price_usd]" label="Price for PayPal (USD, optional)" value=f.price_usd.clone() inputmode="decimal"/>
                <Field id="billing" label="Billing">
                    <select id="billing" name="form[billing]">{options(Billing::ALL, Billing::as_str, Billing::label, f.billing.clone())}</select></Field>
                <div class="field checkbox"><input id="featured" name="form[featured]" type="checkbox" checked=f.featured == "on"/>
                    <label for="featured">"Feature on the home page"</label></div>
                <Field id="delivery_kind" label="Delivery">
                    <select id="delivery_kind" name="form[delivery_kind]">{options(DeliveryKind::ALL, DeliveryKind::as_str, DeliveryKind::label, f.delivery_kind.clone())}</select></Field>
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

#[component]
pub fn OrdersPage() -> impl IntoView {
    view! {
        <Title text="Orders"/>
        <h1>"Orders"</h1>
        <form method="get" class="filters">
            <Field id="f-status" label="Status">
                <select id="f-status" name="status">
                    <option value="">"Any"</option>
                    {options(OrderStatus::ALL, OrderStatus::as_str, OrderStatus::label, query_param("status"))}
                </select></Field>
            <Field id="f-gateway" label="Gateway">
                <select id="f-gateway" name="gateway">
                    <option value="">"Any"</option>
                    {options(Gateway::ALL, Gateway::as_str, Gateway::label, query_param("gateway"))}
                </select></Field>
            <TextField id="f-from" name="from" label="From (YYYY-MM-DD)" value=query_param("from")/>
            <TextField id="f-until" name="until" label="Until (YYYY-MM-DD)" value=query_param("until")/>
            <TextField id="f-q" name="q" label="Search: order id, reference, buyer email or name" value=query_param("q")/>
            <button type="submit" class="button ghost">"Filter"</button>
        </form>
        // A refused filter (a malformed date) is said above an empty list, not as an error page.
        {settled(api::admin_orders(query_param("status"), query_param("gateway"), query_param("from"), query_param("until"), query_param("q"), query_param("before"), query_param("after")), move |r| match r {
                Err(err) => view! { <p class="notice error" role="alert">{err.to_string()}</p> }.into_any(),
                Ok(page) if page.rows.is_empty() => view! {
                    <p class="notice info">"No orders match."</p>
                    <crate::components::Pager newer=page.newer older=page.older/>
                }.into_any(),
                Ok(page) => view! {
                    <DataTable columns=const { &[Column::text("Order"), Column::text("Buyer"), Column::text("Product"), Column::text("Gateway"), Column::text("Created"), Column::num("Amount"), Column::text("Status")] }>
                            {page.rows.into_iter().map(|o| view! {
                                <tr>
                                    <td><a href=format!("/admin/orders/{}", o.public_id)>{o.public_id.clone()}</a></td>
                                    <td>{o.buyer_email.clone()}</td>
                                    <td>{o.product_name.clone()}</td>
                                    <td>{o.gateway.label()}</td>
                                    <td>{format_time(o.created_at)}</td>
                                    <td class="num">{o.amount_label()}</td>
                                    <td>{status_badge(o.status)}</td>
                                </tr>
                            }).collect_view()}
                        </DataTable>
                    <crate::components::Pager newer=page.newer older=page.older/>
                }.into_any(),
            })}
    }
}

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let id = route_param("id");
    let query = use_query_map();
    view! {
        {move || query.read().get("refunded").map(|_| view! { <Notice message="Refund recorded: the member was told and access withdrawn."/> })}
        {move || query.read().get("done").and_then(|done| match done.as_str() {
            "resent" => Some("Delivery mail sent again."),
            "reinvited" => Some("A new GitHub invitation was sent, and the buyer mailed."),
            "revoked" => Some("Access withdrawn: the buyer was mailed the reason."),
            "restored" => Some("Access restored: it is delivered again, with its mail."),
            "handled" => Some("Marked as handled: the order keeps what it has."),
            _ => None,
        }).map(|message| view! { <Notice message/> })}
        {loaded(api::admin_order(id), move |o| view! {
                    <Title text=format!("Order {}", o.public_id)/>
                    <p class="eyebrow">"Order " {o.public_id.clone()}</p>
                    <h1>{o.product_name.clone()}</h1>
                    <p>{status_badge(o.status)} " " {o.amount_label()} " · " {o.gateway.label()} " · " {o.buyer_email.clone()}</p>
                    {o.coupon_label().map(|l| view! { <p class="muted">{l}</p> })}
                    {o.staff_notice.clone().map(|notice| view! { <OrderNotice public_id=o.public_id.clone() notice/> })}
                    {matches!(o.status, OrderStatus::Paid | OrderStatus::Refunded).then(|| view! {
                        <p><a class="button ghost small" href=format!("/admin/orders/{}/receipt.pdf", o.public_id) download>"Receipt (PDF)"</a></p>
                    })}
                    <h2 class="h3">"Delivery"</h2>
                    <p>{o.delivery_kind.label()} ": " {o.delivery_status.map_or("not started", DeliveryStatus::as_str)}
                        {(!o.delivery_detail.is_empty()).then(|| view! { " — " {o.delivery_detail.clone()} })}</p>
                    {(o.delivery_status == Some(DeliveryStatus::Pending)).then(|| view! { <MarkDelivered public_id=o.public_id.clone()/> })}
                    {(o.status == OrderStatus::Paid).then(|| view! { <DeliveryActions order=o.clone()/> })}
                    {(o.status == OrderStatus::Paid).then(|| view! { <RecordRefund public_id=o.public_id.clone()/> })}
                    <h2 class="h3">"Payment events"</h2>
                    <DataTable columns=const { &[Column::text("When"), Column::text("Gateway"), Column::text("Outcome"), Column::text("Applied"), Column::text("Note"), Column::text("Raw")] }>
                            {o.events.iter().map(|e| view! {
                                <tr>
                                    <td>{format_time(e.at)}</td>
                                    <td>{e.gateway.clone()}</td>
                                    <td>{e.outcome.clone()}</td>
                                    <td>{if e.applied { "yes" } else { "no" }}</td>
                                    <td>{e.note.clone()}</td>
                                    <td><pre class="raw">{e.raw.clone()}</pre></td>
                                </tr>
                            }).collect_view()}
                        </DataTable>
                }
        )}
    }
}

/// What the order asks staff to decide, and the way to mark it handled.
#[component]
fn OrderNotice(public_id: String, notice: String) -> impl IntoView {
    let dismiss = ServerAction::<api::DismissOrderNotice>::new();
    view! {
        <div class="notice warning" role="alert">
            <p>{notice}</p>
            <FormError action=dismiss/>
            <ActionForm action=dismiss attr:class="inline-form">
                <input type="hidden" name="public_id" value=public_id/>
                <button type="submit" class="button ghost small">"Mark as handled (keep access)"</button>
            </ActionForm>
        </div>
    }
}

/// What staff can do for a paid order's delivery without a refund.
#[component]
fn DeliveryActions(order: crate::domain::orders::OrderView) -> impl IntoView {
    let resend = ServerAction::<api::ResendDelivery>::new();
    let reinvite = ServerAction::<api::ReinviteGithub>::new();
    let revoke = ServerAction::<api::RevokeAccess>::new();
    let restore = ServerAction::<api::RestoreAccess>::new();
    let (id, id2, id3) = (order.public_id.clone(), order.public_id.clone(), order.public_id.clone());
    let github = order.delivery_kind == crate::domain::delivery::DeliveryKind::GithubInvite;
    let resend_label = if order.delivery_kind == crate::domain::delivery::DeliveryKind::EmailFile {
        "Resend the delivery mail with fresh download links"
    } else {
        "Resend the delivery mail"
    };
    match order.delivery_status {
        Some(DeliveryStatus::Delivered) => view! {
            <FormError action=resend/>
            <FormError action=reinvite/>
            <div class="actions">
                <ActionForm action=resend attr:class="inline-form">
                    <input type="hidden" name="public_id" value=id.clone()/>
                    <button type="submit" class="button ghost small">{resend_label}</button>
                </ActionForm>
                {github.then(|| view! {
                    <ActionForm action=reinvite attr:class="inline-form">
                        <input type="hidden" name="public_id" value=id2/>
                        <button type="submit" class="button ghost small">"Invite to GitHub again"</button>
                    </ActionForm>
                })}
            </div>
            <details class="card">
                <summary>"Withdraw access without a refund"</summary>
                <FormError action=revoke/>
                <ActionForm action=revoke attr:class="stack">
                    <input type="hidden" name="public_id" value=id3/>
                    <Field id="revoke-reason" label="Reason" hint=Some("The buyer sees it on the order and in a mail.")>
                        <input id="revoke-reason" name="reason" type="text" maxlength="300" required/>
                    </Field>
                    <button type="submit" class="button danger">"Withdraw access"</button>
                </ActionForm>
            </details>
        }
        .into_any(),
        Some(DeliveryStatus::Revoked) => view! {
            <FormError action=restore/>
            <ActionForm action=restore attr:class="inline-form">
                <input type="hidden" name="public_id" value=id/>
                <button type="submit" class="button primary small">"Restore access"</button>
            </ActionForm>
        }
        .into_any(),
        _ => ().into_any(),
    }
}

/// For a refund made in the gateway's own dashboard.
#[component]
fn RecordRefund(public_id: String) -> impl IntoView {
    let action = ServerAction::<api::RecordRefund>::new();
    view! {
        <details class="card">
            <summary>"Record a refund made in the gateway's dashboard"</summary>
            <FormError action/>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="public_id" value=public_id/>
                <Field id="refund-note" label="Where and reference"
                    hint=Some("The member is mailed and loses access, as with a refund the gateway reports.")>
                    <input id="refund-note" name="note" type="text" maxlength="500" required/>
                </Field>
                <button type="submit" class="button danger">"Record refund"</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn MarkDelivered(public_id: String) -> impl IntoView {
    let action = ServerAction::<api::MarkDelivered>::new();
    view! {
        <FormError action/>
        <ActionForm action attr:class="stack">
            <input type="hidden" name="public_id" value=public_id/>
            <Field id="delivery-message" label="Message to the customer"
                hint=Some("What you delivered and where to find it. It is mailed to the customer.")>
                <textarea id="delivery-message" name="message" rows="4" required></textarea>
            </Field>
            <button type="submit" class="primary">"Mark delivered"</button>
        </ActionForm>
    }
}

/// The pool at a glance: workers, what runs now, the queue per kind.
#[component]
fn JobsPool(overview: crate::domain::jobs::JobsOverview) -> impl IntoView {
    let waiting = match overview.oldest_wait_secs {
        None => "nothing is waiting".to_owned(),
        Some(secs) => format!("the oldest due job has waited {secs} s"),
    };
    view! {
        <section class="card" aria-labelledby="pool-title">
            <h2 id="pool-title">"Workers"</h2>
            <p>{format!("{} workers; {} running now; {waiting}.", overview.workers, overview.running.len())}</p>
            {(!overview.running.is_empty()).then(|| view! {
                <ul>
                    {overview.running.into_iter().map(|(id, kind, secs)| view! {
                        <li>{format!("Job {id} ({kind}), running for {secs} s")}</li>
                    }).collect_view()}
                </ul>
            })}
            {(!overview.depth.is_empty()).then(|| view! {
                <DataTable caption="Queue by kind"
                    columns=const { &[Column::text("Kind"), Column::num("Due now"), Column::num("Scheduled"), Column::num("Dead")] }>
                    {overview.depth.into_iter().map(|d| view! {
                        <tr><td>{d.kind}</td><td class="num">{d.due}</td><td class="num">{d.scheduled}</td><td class="num">{d.dead}</td></tr>
                    }).collect_view()}
                </DataTable>
            })}
        </section>
    }
}

#[component]
fn JobsTable(list: Vec<crate::domain::jobs::JobView>, retry: ServerAction<api::RetryJob>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="notice success" role="status">"All caught up: no queued or failed jobs."</p> }
            .into_any();
    }
    view! {
        <DataTable columns=const { &[Column::text("Job"), Column::text("Kind"), Column::text("Status"), Column::num("Attempts"), Column::text("Next run"), Column::text("Last error"), Column::text("")] }>
                {list.into_iter().map(|j| view! {
                    <tr>
                        <td>{j.id}</td>
                        <td>{j.kind.clone()}</td>
                        <td><span class=if j.status == JobStatus::Dead { "badge bad" } else { "badge" }>{j.status.as_str()}</span></td>
                        <td class="num">{j.attempts} " / " {j.max_attempts}</td>
                        <td>{format_time(j.run_at)}</td>
                        <td>{j.last_error.clone().unwrap_or_default()}</td>
                        <td>{(j.status == JobStatus::Dead).then(|| view! {
                            <ActionForm action=retry>
                                <input type="hidden" name="id" value=j.id/>
                                <button type="submit" class="button small">"Retry"</button>
                            </ActionForm>
                        })}</td>
                    </tr>
                }).collect_view()}
            </DataTable>
    }
    .into_any()
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let query = use_query_map();
    let retry = ServerAction::<api::RetryJob>::new();
    view! {
        <Title text="Jobs"/>
        <h1>"Background jobs"</h1>
        <p class="muted">"Mail and deliveries run here. Failed jobs retry with back-off; dead ones wait for you."</p>
        {move || query.read().get("retried").map(|_| view! { <Notice message="The job is queued again."/> })}
        <FormError action=retry/>
        {loaded(api::admin_jobs(), move |overview| view! { <JobsPool overview=overview.clone()/> <JobsTable list=overview.jobs retry=retry/> }
        )}
    }
}
