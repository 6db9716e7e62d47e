//! Catalog pages: products, SaaS bundles and services, and the sandbox payment page.

use super::api::{self, sandbox_order, Checkout, SandboxPay};
use crate::components::{failed_public_page, query_param, route_param, settled, FormError, Seo};
use crate::domain::{
    orders::Gateway,
    products::{Product, ProductKind, ProductStatus},
    subscriptions::Plan,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// A catalog section's heading, lede and description (naming the studio).
fn section(kind: ProductKind) -> (&'static str, &'static str, String) {
    let name = crate::components::studio().name;
    match kind {
        ProductKind::Digital => (
            "Products",
            "Templates, UI kits and starter code, delivered the moment you pay.",
            format!("Digital products from {name}: templates, UI kits and starter code with instant delivery."),
        ),
        ProductKind::Saas => (
            "SaaS bundles",
            "Hosted tools on fair monthly and yearly plans.",
            format!("{name}'s SaaS bundles: hosted tools with monthly and yearly plans."),
        ),
        ProductKind::Service => (
            "Services",
            "Design and engineering engagements with clear milestones.",
            format!("{name}'s services: design and engineering engagements with milestones and a client portal."),
        ),
    }
}

fn kind_path(kind: ProductKind) -> &'static str {
    match kind {
        ProductKind::Digital => "/products",
        ProductKind::Saas => "/saas",
        ProductKind::Service => "/services",
    }
}

/// The cards of a product list, as HTML. They hold no island, and a catalog page has
/// dozens: written straight into one string, a card costs ~1 K instructions to render
/// where the same markup as a view cost ~23 K (on the server each element and attribute
/// of a view is type-erased and boxed, README "Performance"). Text and attribute values
/// are escaped as Leptos escapes them.
pub fn product_cards(products: &[Product]) -> crate::domain::html::TrustedHtml {
    use crate::domain::html::{attribute as attr, text};
    use std::fmt::Write;
    let mut html = String::with_capacity(products.len() * 400);
    for p in products {
        html.push_str(r#"<article class="card product-card">"#);
        if !p.cover_image.is_empty() {
            let src = attr(&p.cover_image);
            let _ = write!(html, r#"<img src="{src}" alt="" loading="lazy" width="640" height="360" class="cover">"#);
        }
        let (href, name, summary) = (p.path(), text(&p.name), text(&p.summary));
        let _ = write!(html, r#"<h2 class="h3"><a href="{}">{name}</a></h2><p>{summary}</p>"#, attr(&href));
        let _ = write!(html, r#"<p class="price">{}"#, text(&p.price_label()));
        if p.status == ProductStatus::Waitlist {
            html.push_str(r#"<span class="badge">Coming soon</span>"#);
        }
        html.push_str("</p></article>");
    }
    crate::domain::html::TrustedHtml::from_writer(html)
}

#[component]
pub fn CatalogPage(kind: ProductKind) -> impl IntoView {
    let (title, lead, description) = section(kind);
    view! {
        <Seo title=title description=description path=kind_path(kind)/>
        <section class="container section">
            <h1>{title}</h1>
            <p class="lead">{lead}</p>
            {settled(api::list_products(kind), |result| match result {
                    Ok(list) if list.is_empty() => view! { <p class="notice info">"Nothing here yet. Check back soon."</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="cards" inner_html=product_cards(&list).into_string()></div>
                    }.into_any(),
                    Err(err) => failed_public_page(err),
            })}
        </section>
    }
}

/// JSON-LD `Product` for search engines.
/// JSON-LD `Product` for search engines: one `Offer` per plan, or the product's price.
fn product_json_ld(p: &Product, plans: &[Plan], url: &str) -> crate::domain::html::TrustedHtml {
    let availability =
        if p.status == ProductStatus::Active { "https://schema.org/InStock" } else { "https://schema.org/PreOrder" };
    use crate::domain::json_string as j;
    let offer = |name: Option<String>, price: i64| {
        format!(
            r#"{{"@type":"Offer"{}"price":"{price}","priceCurrency":"IDR","availability":"{availability}","url":{}}}"#,
            name.map(|n| format!(r#","name":{},"#, j(&n))).unwrap_or_else(|| ",".to_owned()),
            j(url)
        )
    };
    let offers = if plans.is_empty() {
        offer(None, p.price_idr)
    } else {
        let list: Vec<String> = plans
            .iter()
            .map(|plan| offer(Some(format!("{} ({})", plan.name, plan.period.label())), plan.price_idr))
            .collect();
        format!("[{}]", list.join(","))
    };
    // Absolute addresses of the cover and the gallery, cover first.
    let origin = crate::components::site_origin();
    let images: Vec<String> = std::iter::once(&p.cover_image)
        .filter(|c| !c.is_empty())
        .chain(&p.gallery)
        .map(|path| j(&format!("{origin}{path}")))
        .collect();
    let image = if images.is_empty() { String::new() } else { format!(r#","image":[{}]"#, images.join(",")) };
    // Every value goes through `json_string`, which writes `<`, `>` and `&` as escapes.
    crate::domain::html::TrustedHtml::from_writer(format!(
        r#"{{"@context":"https://schema.org","@type":"Product","name":{},"description":{},"url":{}{image},"offers":{offers}}}"#,
        j(&p.name),
        j(&p.summary),
        j(url),
    ))
}

#[component]
pub fn ProductDetailPage(kind: ProductKind) -> impl IntoView {
    let slug = route_param("slug");
    let code = Some(query_param("coupon").trim().to_owned()).filter(|c| !c.is_empty());
    // The product, and the coupon in the address checked against it.
    let data = async move {
        let page = api::get_product(kind, slug.clone()).await?;
        let checked = match code {
            Some(code) => api::check_coupon(slug, code).await.ok(),
            None => None,
        };
        Ok((page, checked))
    };
    let signed_in = crate::components::current_role().is_some();
    view! {
            {settled(data, move |result| {
                match result {
                    Err(err) => failed_public_page(err),
                    Ok((api::ProductPage { product, plans, gateways }, checked)) => {
                        // Only a code that applies rides along with the buy buttons.
                        let code = checked.as_ref().filter(|c| c.valid).map(|c| c.code.clone());
                        let json_ld = product_json_ld(&product, &plans, &format!("{}{}", crate::components::site_origin(), product.path()));
                        let has_plans = !plans.is_empty();
                        view! {
                            <Seo title=product.name.clone() description=product.summary.clone() path=product.path() og_type="product"
                                image=product.cover_image.clone()/>
                            <script type="application/ld+json" inner_html=json_ld.into_string()></script>
                            <article class="container section product-detail">
                                <p class="eyebrow">{product.kind.label()}</p>
                                <h1>{product.name.clone()}</h1>
                                <p class="lead">{product.summary.clone()}</p>
                                <ProductImages product=product.clone()/>
                                <CouponBox path=product.path() checked/>
                                {if has_plans {
                                    view! {
                                        <div class="prose-body" inner_html=product.description_html.clone().into_string()></div>
                                        <PlanTable product=product.clone() plans gateways signed_in coupon=code/>
                                    }.into_any()
                                } else {
                                    view! {
                                        <div class="product-grid">
                                            <div class="prose-body" inner_html=product.description_html.clone().into_string()></div>
                                            <aside class="card buy-box">
                                                <p class="price big">{product.price_label()}</p>
                                                {product.usd_label().map(|usd| view! { <p class="muted">"or " {usd} " with PayPal"</p> })}
                                                <p class="muted">"Delivery: " {product.delivery_kind.label()}</p>
                                                <BuyBox product=product.clone() gateways signed_in coupon=code/>
                                            </aside>
                                        </div>
                                    }.into_any()
                                }}
                            </article>
                        }.into_any()
                    }
                }
            })}
    }
}

/// The plans side by side, one buy button per plan (and way of paying).
#[component]
fn PlanTable(
    product: Product,
    plans: Vec<Plan>,
    gateways: Vec<Gateway>,
    signed_in: bool,
    coupon: Option<String>,
) -> impl IntoView {
    let with_quota = plans.iter().any(|p| p.tool_quota.is_some());
    let action = ServerAction::<Checkout>::new();
    view! {
        <section class="section plans" aria-labelledby="plans-heading">
            <h2 id="plans-heading">"Plans"</h2>
            <FormError action/>
            <div class="table-scroll">
                <table class="plan-table">
                    <caption class="muted">"Every plan renews by a new payment you make from a reminder; cancel at any time."</caption>
                    <thead><tr><td></td>{plans.iter().map(|p| view! { <th scope="col">{p.name.clone()}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        <tr><th scope="row">"Price"</th>{plans.iter().map(|p| view! {
                            <td><strong class="price">{p.price_label()}</strong>
                                {p.usd_label().map(|usd| view! { <br/><span class="muted small">"or " {usd} " with PayPal"</span> })}</td>
                        }).collect_view()}</tr>
                        <tr><th scope="row">"Includes"</th>{plans.iter().map(|p| view! {
                            <td><ul class="features">{p.features.iter().map(|f| view! { <li>{f.clone()}</li> }).collect_view()}</ul></td>
                        }).collect_view()}</tr>
                        {with_quota.then(|| view! {
                            <tr><th scope="row">"Tool runs a day"</th>{plans.iter().map(|p| view! {
                                <td>{p.tool_quota.map_or_else(|| "Standard".to_owned(), |q| q.to_string())}</td>
                            }).collect_view()}</tr>
                        })}
                        <tr><th scope="row">"Delivery"</th>{plans.iter().map(|_| view! { <td>{product.delivery_kind.label()}</td> }).collect_view()}</tr>
                        <tr><td></td>{plans.iter().map(|p| view! {
                            <td class="buy">{plan_buy(&product, p, &gateways, signed_in, coupon.clone(), action)}</td>
                        }).collect_view()}</tr>
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The cover and the gallery of a product's page.
#[component]
fn ProductImages(product: Product) -> impl IntoView {
    let name = product.name.clone();
    view! {
        {(!product.cover_image.is_empty()).then(|| view! {
            <img class="cover wide" src=product.cover_image.clone() alt=name.clone() width="1280" height="720"/>
        })}
        {(!product.gallery.is_empty()).then(|| view! {
            <ul class="gallery" aria-label="Gallery">
                {product.gallery.iter().enumerate().map(|(i, src)| view! {
                    <li><a href=src.clone()><img src=src.clone() alt=format!("{name}, image {}", i + 1) loading="lazy" width="320" height="180"/></a></li>
                }).collect_view()}
            </ul>
        })}
    }
}

/// Where a visitor signs in to buy, coming back to the page with the coupon they had.
fn sign_in_link(product: &Product, coupon: Option<&str>) -> String {
    let back = match coupon {
        Some(code) => format!("{}?coupon={code}", product.path()),
        None => product.path(),
    };
    format!("/login?next={}", crate::domain::account::query_value(&back))
}

/// The coupon named in the page's address (`?coupon=`), and a plain form to enter one.
#[component]
fn CouponBox(path: String, checked: Option<crate::domain::coupons::CouponCheck>) -> impl IntoView {
    view! {
        {checked.map(|c| if c.valid {
            view! { <p class="notice success" role="status">{c.message}</p> }.into_any()
        } else {
            view! { <p class="notice error" role="alert">{c.message} " " <a href=path.clone()>"Continue without it"</a></p> }.into_any()
        })}
        <details class="coupon-entry">
            <summary>"Have a coupon code?"</summary>
            <form method="get" action=path.clone() class="inline-form">
                <label for="coupon-code" class="sr-only">"Coupon code"</label>
                <input id="coupon-code" name="coupon" type="text" maxlength="32" autocapitalize="characters" placeholder="EARLYBIRD"/>
                <button type="submit" class="ghost small">"Apply"</button>
            </form>
        </details>
    }
}

/// A plan's buy buttons (one per way of paying), or what to do first.
fn plan_buy(
    product: &Product,
    plan: &Plan,
    gateways: &[Gateway],
    signed_in: bool,
    coupon: Option<String>,
    action: ServerAction<Checkout>,
) -> AnyView {
    if product.status == ProductStatus::Waitlist {
        return view! { <a class="button small" href=format!("/waitlist/{}", product.slug)>"Join the waitlist"</a> }
            .into_any();
    }
    if !signed_in {
        return view! { <a class="button small" href=sign_in_link(product, coupon.as_deref())>"Sign in to subscribe"</a> }
            .into_any();
    }
    let needs_github = product.delivery_kind == crate::domain::delivery::DeliveryKind::GithubInvite;
    gateways
        .iter()
        .filter(|g| **g != Gateway::Paypal || plan.price_usd_cents.is_some())
        .map(|g| {
            let label = match g {
                Gateway::Midtrans => format!("Subscribe to {} with Midtrans", plan.name),
                Gateway::Paypal => format!("Subscribe to {} with PayPal", plan.name),
                Gateway::Ipaymu => format!("Subscribe to {} with iPaymu", plan.name),
                Gateway::Sandbox => format!("Subscribe to {} (sandbox)", plan.name),
            };
            let field_id = format!("github-{}-{}", plan.id, g.as_str());
            let (slug, gateway, plan_id, transfer) = (product.slug.clone(), g.as_str(), plan.id, *g == Gateway::Ipaymu);
            let coupon_field = coupon.clone().map(|code| view! { <input type="hidden" name="coupon" value=code/> });
            view! {
                <ActionForm action attr:class="buy-form">
                    <input type="hidden" name="slug" value=slug/>
                    <input type="hidden" name="gateway" value=gateway/>
                    <input type="hidden" name="plan" value=plan_id/>
                    {coupon_field}
                    {transfer.then(|| view! { <crate::components::TransferFields id_prefix=format!("plan-{plan_id}")/> })}
                    {needs_github.then(|| view! {
                        <div class="field">
                            <label for=field_id.clone()>"Your GitHub username"</label>
                            <input id=field_id.clone() type="text" name="github_username" autocomplete="username" placeholder="octocat"/>
                        </div>
                    })}
                    <button type="submit" class="primary wide" disabled=move || action.pending().get()>{label}</button>
                </ActionForm>
            }
        })
        .collect_view()
        .into_any()
}

#[component]
fn BuyBox(product: Product, gateways: Vec<Gateway>, signed_in: bool, coupon: Option<String>) -> impl IntoView {
    if product.status == ProductStatus::Waitlist {
        let join = format!("/waitlist/{}", product.slug);
        return view! {
            <p class="notice info">"Coming soon: this product is not on sale yet."</p>
            <a class="button" href=join>"Join the waitlist"</a>
        }
        .into_any();
    }
    if !signed_in {
        return view! { <a class="button" href=sign_in_link(&product, coupon.as_deref())>"Sign in to buy"</a> }
            .into_any();
    }
    let action = ServerAction::<Checkout>::new();
    let needs_github = product.delivery_kind == crate::domain::delivery::DeliveryKind::GithubInvite;
    view! {
        <FormError action/>
        {gateways.into_iter().map(|g| {
            let slug = product.slug.clone();
            let field_id = format!("github-{}", g.as_str());
            let coupon_field = coupon.clone().map(|code| view! { <input type="hidden" name="coupon" value=code/> });
            let label = match g {
                Gateway::Midtrans => "Pay with Midtrans",
                Gateway::Paypal => "Pay with PayPal",
                Gateway::Ipaymu => "Pay with iPaymu",
                Gateway::Sandbox => "Buy (sandbox payment)",
            };
            view! {
                <ActionForm action attr:class="buy-form">
                    <input type="hidden" name="slug" value=slug/>
                    <input type="hidden" name="gateway" value=g.as_str()/>
                    {coupon_field}
                    {(g == Gateway::Ipaymu).then(|| view! { <crate::components::TransferFields id_prefix="buy".to_owned()/> })}
                    {needs_github.then(|| view! {
                        <div class="field">
                            <label for=field_id.clone()>"Your GitHub username"</label>
                            <input id=field_id.clone() type="text" name="github_username" autocomplete="username" placeholder="octocat"/>
                            <span class="hint">"The private repository invitation goes to this account."</span>
                        </div>
                    })}
                    <button type="submit" class="primary wide" disabled=move || action.pending().get()>{label}</button>
                </ActionForm>
            }
        }).collect_view()}
    }
    .into_any()
}

/// The local sandbox gateway's payment page (development only).
#[component]
pub fn SandboxPaymentPage() -> impl IntoView {
    let order_id = route_param("order");
    let pay = ServerAction::<SandboxPay>::new();
    view! {
        <Title text="Sandbox payment"/>
        <crate::components::Description content="Confirm or fail a test payment on the local sandbox gateway."/>
        <section class="container narrow section">
            <p class="eyebrow">"Sandbox gateway · no real money moves"</p>
            <h1>"Confirm your test payment"</h1>
            <FormError action=pay/>
            {settled(sandbox_order(order_id), move |result| match result {
                    Err(err) => failed_public_page(err),
                    Ok(order) => {
                        let (id1, id2) = (order.public_id.clone(), order.public_id.clone());
                        view! {
                        <div class="card">
                            <p><strong>{order.product_name.clone()}</strong></p>
                            <p class="price big">{order.amount_label()}</p>
                            <p class="muted">"Order " {order.public_id.clone()}</p>
                            <div class="actions">
                                <ActionForm action=pay>
                                    <input type="hidden" name="order" value=id1/>
                                    <input type="hidden" name="outcome" value="pay"/>
                                    <button type="submit" class="primary">"Pay"</button>
                                </ActionForm>
                                <ActionForm action=pay>
                                    <input type="hidden" name="order" value=id2/>
                                    <input type="hidden" name="outcome" value="fail"/>
                                    <button type="submit" class="button ghost">"Fail"</button>
                                </ActionForm>
                            </div>
                        </div>
                    }.into_any()
                    }
            })}
        </section>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::domain::delivery::DeliveryKind;
    use crate::domain::products::Billing;

    fn product(name: &str, summary: &str, cover: &str, status: ProductStatus) -> Product {
        Product {
            id: 1,
            slug: "kit".into(),
            kind: ProductKind::Digital,
            name: name.into(),
            summary: summary.into(),
            description_html: Default::default(),
            status,
            billing: Billing::OneTime,
            price_idr: 1_250_000,
            price_usd_cents: None,
            delivery_kind: DeliveryKind::WebAccess,
            cover_image: cover.into(),
            gallery: Vec::new(),
        }
    }

    /// The card as a Leptos view (what the catalog rendered before), without the
    /// hydration markers erased views add.
    fn as_view(p: Product) -> String {
        let html = view! {
            <article class="card product-card">
                {(!p.cover_image.is_empty()).then(|| view! {
                    <img class="cover" src=p.cover_image.clone() alt="" loading="lazy" width="640" height="360"/>
                })}
                <h2 class="h3"><a href=p.path()>{p.name.clone()}</a></h2>
                <p>{p.summary.clone()}</p>
                <p class="price">
                    {p.price_label()}
                    {(p.status == ProductStatus::Waitlist).then(|| view! { <span class="badge">"Coming soon"</span> })}
                </p>
            </article>
        }
        .to_html();
        html.replace("<!>", "")
    }

    #[test]
    fn cards_are_the_markup_the_view_rendered_with_everything_escaped() {
        let products = [
            product("Launch Kit", "Auth, payments & mail.", "", ProductStatus::Active),
            product(
                "<script>alert(1)</script>",
                "\"quoted\" <b>bold</b> & more",
                "/uploads/a\"b<c>.png",
                ProductStatus::Waitlist,
            ),
        ];
        let cards = product_cards(&products).into_string();
        let expected: String = products.iter().cloned().map(as_view).collect();
        assert_eq!(cards, expected);
        assert!(cards.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{cards}");
        assert!(cards.contains(r#"src="/uploads/a&quot;b&lt;c&gt;.png""#), "{cards}");
        assert!(cards.contains(r#"<span class="badge">Coming soon</span>"#), "{cards}");
        assert_eq!(product_cards(&[]).as_str(), "");
    }
}
