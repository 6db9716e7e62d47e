//! Catalog pages: products, SaaS bundles and services, and the sandbox payment page.

use super::api::{self, sandbox_order, Checkout, SandboxPay};
use crate::components::{failed_public_page, query_param, route_param, settled, tr, tr_code, tr_with, FormError, Seo};
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
    let code = kind.as_str();
    let description = match kind {
        ProductKind::Digital => tr_with("catalog-digital-description", &[("name", &name)]),
        ProductKind::Saas => tr_with("catalog-saas-description", &[("name", &name)]),
        ProductKind::Service => tr_with("catalog-service-description", &[("name", &name)]),
    };
    (tr_code("catalog-title", code), tr_code("catalog-lead", code), description)
}

/// A product's price as its page reads: "Rp 150.000 per month" / "Rp 150.000 per bulan".
fn price_label(p: &Product) -> String {
    let money = crate::domain::Money { minor: p.price_idr, currency: crate::domain::Currency::Idr };
    match p.billing {
        crate::domain::products::Billing::OneTime => money.to_string(),
        other => format!("{money} {}", tr_code("billing", other.as_str())),
    }
}

/// A plan's price per period, and in dollars when it has one, in the page's language.
fn plan_price(p: &Plan) -> String {
    use crate::domain::{Currency, Money};
    format!("{} {}", Money { minor: p.price_idr, currency: Currency::Idr }, tr_code("billing", p.period.as_str()))
}

fn plan_usd(p: &Plan) -> Option<String> {
    use crate::domain::{Currency, Money};
    p.price_usd_cents
        .map(|c| format!("{} {}", Money { minor: c, currency: Currency::Usd }, tr_code("billing", p.period.as_str())))
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
    let written = crate::components::site_languages().default;
    for p in products {
        match p.fallback {
            // On the other language's list, a product without a version there says so.
            true => {
                let _ = write!(html, r#"<article class="card product-card" lang="{}">"#, written.as_str());
            }
            false => html.push_str(r#"<article class="card product-card">"#),
        }
        if !p.cover_image.is_empty() {
            let src = attr(&p.cover_image);
            let _ = write!(html, r#"<img src="{src}" alt="" loading="lazy" width="640" height="360" class="cover">"#);
        }
        let (href, name, summary) = (crate::components::href(&p.path()), text(&p.name), text(&p.summary));
        let _ = write!(html, r#"<h2 class="h3"><a href="{}">{name}</a></h2><p>{summary}</p>"#, attr(&href));
        let _ = write!(html, r#"<p class="price">{}"#, text(&price_label(p)));
        if p.status == ProductStatus::Waitlist {
            let _ = write!(html, r#"<span class="badge">{}</span>"#, text(tr("catalog-coming-soon")));
        }
        html.push_str("</p>");
        if p.fallback {
            let language = crate::components::tr_code("lang-name", written.as_str());
            let note = crate::components::tr_with("content-card-in-default", &[("language", language)]);
            let _ = write!(html, r#"<p class="muted small content-language">{}</p>"#, text(&note));
        }
        html.push_str("</article>");
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
            {settled(api::list_products(kind, Some(crate::components::page_lang())), |result| match result {
                    Ok(list) if list.is_empty() => view! { <p class="notice info">{tr("catalog-empty")}</p> }.into_any(),
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
        let page = api::get_product(kind, slug.clone(), Some(crate::components::page_lang())).await?;
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
                    Ok((api::ProductPage { product, plans, gateways, translated }, checked)) => {
                        // Only a code that applies rides along with the buy buttons.
                        let code = checked.as_ref().filter(|c| c.valid).map(|c| c.code.clone());
                        let json_ld = product_json_ld(&product, &plans, &format!("{}{}", crate::components::site_origin(), product.path()));
                        let has_plans = !plans.is_empty();
                        let (written, note) = if product.fallback { super::content::content_language() } else { (None, None) };
                        view! {
                            <Seo title=product.name.clone() description=product.summary.clone() path=product.path() og_type="product"
                                image=product.cover_image.clone() in_both=translated/>
                            <script type="application/ld+json" inner_html=json_ld.into_string()></script>
                            <article class="container section product-detail">
                                <p class="eyebrow">{tr_code("kind", product.kind.as_str())}</p>
                                {note}
                                <h1 lang=written>{product.name.clone()}</h1>
                                <p class="lead" lang=written>{product.summary.clone()}</p>
                                <ProductImages product=product.clone()/>
                                <CouponBox path=product.path() checked/>
                                {if has_plans {
                                    view! {
                                        <div class="prose-body" lang=written inner_html=product.description_html.clone().into_string()></div>
                                        <PlanTable product=product.clone() plans gateways signed_in coupon=code/>
                                    }.into_any()
                                } else {
                                    view! {
                                        <div class="product-grid">
                                            <div class="prose-body" lang=written inner_html=product.description_html.clone().into_string()></div>
                                            <aside class="card buy-box">
                                                <p class="price big">{price_label(&product)}</p>
                                                {product.usd_label().map(|usd| view! { <p class="muted">{tr_with("catalog-or-paypal", &[("price", &usd)])}</p> })}
                                                <p class="muted">{tr("catalog-delivery")} ": " {tr_code("delivery", product.delivery_kind.as_str())}</p>
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
            <h2 id="plans-heading">{tr("catalog-plans")}</h2>
            <FormError action/>
            <div class="table-scroll">
                <table class="plan-table">
                    <caption class="muted">{tr("catalog-plans-caption")}</caption>
                    <thead><tr><td></td>{plans.iter().map(|p| view! { <th scope="col">{p.name.clone()}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        <tr><th scope="row">{tr("catalog-price")}</th>{plans.iter().map(|p| view! {
                            <td><strong class="price">{plan_price(p)}</strong>
                                {plan_usd(p).map(|usd| view! { <br/><span class="muted small">{tr_with("catalog-or-paypal", &[("price", &usd)])}</span> })}</td>
                        }).collect_view()}</tr>
                        <tr><th scope="row">{tr("catalog-includes")}</th>{plans.iter().map(|p| view! {
                            <td><ul class="features">{p.features.iter().map(|f| view! { <li>{f.clone()}</li> }).collect_view()}</ul></td>
                        }).collect_view()}</tr>
                        {with_quota.then(|| view! {
                            <tr><th scope="row">{tr("catalog-tool-runs")}</th>{plans.iter().map(|p| view! {
                                <td>{p.tool_quota.map_or_else(|| tr("catalog-standard").to_owned(), |q| q.to_string())}</td>
                            }).collect_view()}</tr>
                        })}
                        <tr><th scope="row">{tr("catalog-delivery")}</th>{plans.iter().map(|_| view! { <td>{tr_code("delivery", product.delivery_kind.as_str())}</td> }).collect_view()}</tr>
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
            <ul class="gallery" aria-label=tr("catalog-gallery")>
                {product.gallery.iter().enumerate().map(|(i, src)| view! {
                    <li><a href=src.clone()><img src=src.clone() alt=tr_with("catalog-image", &[("name", &name), ("n", &(i + 1).to_string())]) loading="lazy" width="320" height="180"/></a></li>
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
    crate::components::href(&format!(
        "/login?next={}",
        crate::domain::account::query_value(&crate::components::href(&back))
    ))
}

/// The coupon named in the page's address (`?coupon=`), and a plain form to enter one.
#[component]
fn CouponBox(path: String, checked: Option<crate::domain::coupons::CouponCheck>) -> impl IntoView {
    view! {
        {checked.map(|c| if c.valid {
            view! { <p class="notice success" role="status">{c.message}</p> }.into_any()
        } else {
            view! { <p class="notice error" role="alert">{crate::components::in_page_language(&c.message)} " " <a href=crate::components::href(&path)>{tr("catalog-coupon-skip")}</a></p> }.into_any()
        })}
        <details class="coupon-entry">
            <summary>{tr("catalog-coupon-ask")}</summary>
            <form method="get" action=crate::components::href(&path) class="inline-form">
                <label for="coupon-code" class="sr-only">{tr("catalog-coupon-code")}</label>
                <input id="coupon-code" name="coupon" type="text" maxlength="32" autocapitalize="characters" placeholder="EARLYBIRD"/>
                <button type="submit" class="ghost small">{tr("catalog-coupon-apply")}</button>
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
        return view! { <a class="button small" href=crate::components::href(&format!("/waitlist/{}", product.slug))>{tr("catalog-join-waitlist")}</a> }
            .into_any();
    }
    if !signed_in {
        return view! { <a class="button small" href=sign_in_link(product, coupon.as_deref())>{tr("catalog-sign-in-subscribe")}</a> }
            .into_any();
    }
    let needs_github = product.delivery_kind == crate::domain::delivery::DeliveryKind::GithubInvite;
    gateways
        .iter()
        .filter(|g| **g != Gateway::Paypal || plan.price_usd_cents.is_some())
        .map(|g| {
            let label = match g {
                Gateway::Sandbox => tr_with("catalog-subscribe-sandbox", &[("plan", &plan.name)]),
                g => tr_with("catalog-subscribe-with", &[("plan", &plan.name), ("gateway", g.label())]),
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
                            <label for=field_id.clone()>{tr("catalog-github-username")}</label>
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
            <p class="notice info">{tr("catalog-not-on-sale")}</p>
            <a class="button" href=crate::components::href(&join)>{tr("catalog-join-waitlist")}</a>
        }
        .into_any();
    }
    if !signed_in {
        return view! { <a class="button" href=sign_in_link(&product, coupon.as_deref())>{tr("catalog-sign-in-buy")}</a> }
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
                Gateway::Sandbox => tr("catalog-buy-sandbox").to_owned(),
                g => tr_with("catalog-pay-with", &[("gateway", g.label())]),
            };
            view! {
                <ActionForm action attr:class="buy-form">
                    <input type="hidden" name="slug" value=slug/>
                    <input type="hidden" name="gateway" value=g.as_str()/>
                    {coupon_field}
                    {(g == Gateway::Ipaymu).then(|| view! { <crate::components::TransferFields id_prefix="buy".to_owned()/> })}
                    {needs_github.then(|| view! {
                        <div class="field">
                            <label for=field_id.clone()>{tr("catalog-github-username")}</label>
                            <input id=field_id.clone() type="text" name="github_username" autocomplete="username" placeholder="octocat"/>
                            <span class="hint">{tr("catalog-github-hint")}</span>
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
        <Title text=tr("sandbox-title")/>
        <crate::components::Description content=tr("sandbox-description")/>
        <section class="container narrow section">
            <p class="eyebrow">{tr("sandbox-eyebrow")}</p>
            <h1>{tr("sandbox-heading")}</h1>
            <FormError action=pay/>
            {settled(sandbox_order(order_id), move |result| match result {
                    Err(err) => failed_public_page(err),
                    Ok(order) => {
                        let (id1, id2) = (order.public_id.clone(), order.public_id.clone());
                        view! {
                        <div class="card">
                            <p><strong>{order.product_name.clone()}</strong></p>
                            <p class="price big">{order.amount_label()}</p>
                            <p class="muted">{tr("sandbox-order")} " " {order.public_id.clone()}</p>
                            <div class="actions">
                                <ActionForm action=pay>
                                    <input type="hidden" name="order" value=id1/>
                                    <input type="hidden" name="outcome" value="pay"/>
                                    <button type="submit" class="primary">{tr("sandbox-pay")}</button>
                                </ActionForm>
                                <ActionForm action=pay>
                                    <input type="hidden" name="order" value=id2/>
                                    <input type="hidden" name="outcome" value="fail"/>
                                    <button type="submit" class="button ghost">{tr("sandbox-fail")}</button>
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
            fallback: false,
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
