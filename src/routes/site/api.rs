//! Server functions of the public site: catalog reads and checkout.

use crate::domain::content::{BlogPage, Entry, EntryKind, Shown};
use crate::domain::{
    orders::{Gateway, OrderView},
    products::{Product, ProductKind},
};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::orders::OrderStatus,
    server::{
        db::{catalog, orders},
        db::{contacts, content, waitlist},
        mail::{self, templates},
        state,
        studio::payments::{self, Outcome, PaymentEvent},
        AppState,
    },
};

/// Blog posts per page.
pub const POSTS_PER_PAGE: u32 = 10;

pub use crate::domain::home::HomeContent;

/// How to reach the studio besides the form (from the settings).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StudioContact {
    pub email: String,
    pub social_links: Vec<(String, String)>,
}

#[server(prefix = "/api", endpoint = "site/contact_details")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn contact_details() -> Result<StudioContact, AppError> {
    let settings = state()?.studio_settings().await?;
    Ok(StudioContact { email: settings.contact_email, social_links: settings.social_links })
}

#[server(prefix = "/api", endpoint = "site/home")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn home_data(#[server(default)] lang: Option<crate::domain::Lang>) -> Result<HomeContent, AppError> {
    let state = state()?;
    let config = state.config.clone();
    let version = reading_in(&state, lang).await?;
    Ok(state
        .cache
        .get_or_load(&state.db, format!("home:{}", version.0), move |c, now| {
            let home = crate::server::studio::home::for_reading(c, version)?;
            crate::server::studio::home::content(c, &config, home, version, now)
        })
        .await?)
}

/// The home page with the changes the signed-in staff member previewed from
/// `/admin/home` and has not saved (`/?preview=home`), and whether it is that: anyone
/// else, or staff with nothing to preview, gets the page as saved.
#[server(prefix = "/api", endpoint = "site/home_preview")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn home_preview(
    #[server(default)] lang: Option<crate::domain::Lang>,
) -> Result<(HomeContent, bool), AppError> {
    let Some(staff) = guard::page_viewer().filter(|v| v.role == crate::domain::Role::Staff) else {
        return Ok((home_data(lang).await?, false));
    };
    let state = state()?;
    let (config, now) = (state.config.clone(), state.clock.now());
    let version = reading_in(&state, lang).await?;
    let previewed = state
        .db
        .read(move |c| match crate::server::studio::home::preview(c, staff.id)? {
            Some(home) => crate::server::studio::home::content(c, &config, home, version, now).map(Some),
            None => Ok::<_, crate::server::db::DbError>(None),
        })
        .await?;
    match previewed {
        Some(content) => Ok((content, true)),
        None => Ok((home_data(lang).await?, false)),
    }
}

/// The language a public read is for (`None`: the studio's), and the site's languages.
#[cfg(feature = "ssr")]
async fn reading_in(
    state: &AppState,
    lang: Option<crate::domain::Lang>,
) -> Result<(crate::domain::Lang, crate::domain::i18n::SiteLanguages), AppError> {
    let site = state.site_languages().await?;
    Ok((lang.unwrap_or(site.default), site))
}

/// Published entries of a kind (tools, case studies, demos, resources, pages), each in
/// `lang` (default: the studio's) where it has a version in it.
#[server(prefix = "/api", endpoint = "site/entries")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(kind = ?kind), err(level = "info")))]
pub async fn list_entries(
    kind: EntryKind,
    #[server(default)] lang: Option<crate::domain::Lang>,
) -> Result<Vec<Entry>, AppError> {
    let state = state()?;
    let (lang, site) = reading_in(&state, lang).await?;
    Ok(state
        .cache
        .get_or_load(&state.db, format!("entries:{kind}:{lang}"), move |c, now| {
            content::published(c, kind, lang, site, now)
        })
        .await?)
}

/// What an entry's address shows in `lang` (default: the studio's language): the
/// entry, or (`Moved`) the slug of its own address in that language. Drafts and
/// scheduled entries are "not found" until their time.
#[server(prefix = "/api", endpoint = "site/entry")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(kind = ?kind, slug = ?slug), err(level = "info")))]
pub async fn get_entry(
    kind: EntryKind,
    slug: String,
    #[server(default)] lang: Option<crate::domain::Lang>,
) -> Result<Shown, AppError> {
    let state = state()?;
    if slug.len() > 100 {
        return Err(AppError::NotFound);
    }
    let version = reading_in(&state, lang).await?;
    state
        .cache
        .get_or_load(&state.db, format!("entry:{kind}:{slug}:{}", version.0), move |c, now| {
            content::published_by_slug(c, kind, &slug, version, now)
        })
        .await?
        .ok_or(AppError::NotFound)
}

/// A page of the blog, optionally only posts with `tag`.
#[server(prefix = "/api", endpoint = "site/blog")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(page = ?page, tag = ?tag), err(level = "info")))]
pub async fn get_blog(
    #[server(default)] page: String,
    #[server(default)] tag: String,
    #[server(default)] lang: Option<crate::domain::Lang>,
) -> Result<BlogPage, AppError> {
    let state = state()?;
    let (lang, site) = reading_in(&state, lang).await?;
    let page = match page.trim() {
        "" => 1,
        raw => raw.parse::<u32>().ok().filter(|p| (1..=10_000).contains(p)).ok_or(AppError::NotFound)?,
    };
    let tag = Some(tag.trim().to_owned()).filter(|t| !t.is_empty());
    if tag.as_ref().is_some_and(|t| t.len() > 40) {
        return Err(AppError::NotFound);
    }
    let key = format!("blog:{page}:{}:{lang}", tag.as_deref().unwrap_or(""));
    let result = state
        .cache
        .get_or_load(&state.db, key, move |c, now| {
            let (posts, has_next) = content::blog_page(c, tag.as_deref(), (page, POSTS_PER_PAGE), lang, site, now)?;
            Ok(BlogPage { posts, page, has_next, tag, tags: content::post_tags(c, now)? })
        })
        .await?;
    if result.posts.is_empty() && (page > 1 || result.tag.is_some()) {
        return Err(AppError::NotFound);
    }
    Ok(result)
}

/// Products with an open waitlist.
#[server(prefix = "/api", endpoint = "site/upcoming")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn upcoming_products(#[server(default)] lang: Option<crate::domain::Lang>) -> Result<Vec<Product>, AppError> {
    let state = state()?;
    let version = reading_in(&state, lang).await?;
    Ok(state
        .cache
        .get_or_load(&state.db, format!("upcoming:{}", version.0), move |c, _| catalog::upcoming(c, Some(version)))
        .await?)
}

/// A product whose waitlist is open.
#[server(prefix = "/api", endpoint = "site/waitlist_product")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(slug = ?slug), err(level = "info")))]
pub async fn waitlist_product(
    slug: String,
    #[server(default)] lang: Option<crate::domain::Lang>,
) -> Result<Product, AppError> {
    let list = upcoming_products(lang).await?;
    list.into_iter().find(|p| p.slug == slug).ok_or(AppError::NotFound)
}

/// One of the public forms (waitlist, contact): 5 a minute per client IP.
#[cfg(feature = "ssr")]
async fn limit_form(state: &AppState, action: &'static str) -> Result<(), AppError> {
    crate::server::auth::limit_caller(&state.form_limiter, &state.config.trusted_proxies, action).await
}

/// Puts an email address on a product's waitlist. Joining twice keeps one entry
/// and one confirmation mail; the answer is the same either way, so nobody can
/// learn from it whether an address is on the list.
#[server(prefix = "/api", endpoint = "site/join_waitlist")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(product = ?product), err(level = "info")))]
pub async fn join_waitlist(product: String, email: String, #[server(default)] name: String) -> Result<(), AppError> {
    let state = state()?;
    let signup = crate::domain::waitlist::WaitlistSignup::parse(&email, &name)?;
    let found = upcoming_products(None).await?.into_iter().find(|p| p.slug == product);
    let product = found.ok_or_else(|| AppError::validation("This product's waitlist is closed."))?;
    limit_form(&state, "waitlist").await?;
    let (page_lang, site) = crate::web::guard::form_language().await?;
    let config = state.config.clone();
    let (id, p) = (product.id, product.clone());
    let added = state
        .db
        .run(move |c| -> Result<bool, crate::server::db::DbError> {
            let tx = c.transaction()?;
            let added = waitlist::join(&tx, id, &signup, page_lang)?;
            if added {
                // Someone with an account reads theirs; a visitor the page's they joined on.
                let lang = crate::server::db::users::account_lang(&tx, signup.email.as_str())?.unwrap_or(page_lang);
                mail::enqueue(
                    &tx,
                    &templates::waitlist_joined(&config, lang, signup.email.as_str(), &signup.name, &p),
                )?;
                crate::server::studio::webhooks::emit(
                    &tx,
                    crate::domain::webhooks::Event::WaitlistJoined,
                    &format!("{}:{}", p.slug, signup.email.as_str()),
                    crate::server::db::now(),
                    serde_json::json!({ "signup": {
                        "product": p.slug,
                        "email": signup.email.as_str(),
                        "name": signup.name,
                    }}),
                )?;
            }
            tx.commit()?;
            Ok(added)
        })
        .await?;
    tracing::info!(product = %product.slug, added, "waitlist sign-up");
    leptos_axum::redirect(&site.address(page_lang, &format!("/waitlist/{}?joined=1", product.slug)));
    Ok(())
}

/// Stores a contact message and tells the studio.
#[server(prefix = "/api", endpoint = "site/contact")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn send_contact(
    name: String,
    email: String,
    #[server(default)] subject: String,
    message: String,
) -> Result<(), AppError> {
    let state = state()?;
    let input = crate::domain::contact::ContactInput::parse(&name, &email, &subject, &message)?;
    limit_form(&state, "contact").await?;
    let (page_lang, site) = crate::web::guard::form_language().await?;
    let config = state.config.clone();
    let id = state
        .db
        .run(move |c| -> Result<i64, crate::server::db::DbError> {
            let tx = c.transaction()?;
            let id = contacts::insert(&tx, &input)?;
            let lang = crate::server::studio::settings::staff_language(&tx, &config, &config.admin_notify_email)?;
            mail::enqueue(&tx, &templates::contact_received(&config, lang, id, &input))?;
            crate::server::studio::webhooks::emit(
                &tx,
                crate::domain::webhooks::Event::ContactReceived,
                &id.to_string(),
                crate::server::db::now(),
                serde_json::json!({ "message": {
                    "id": id,
                    "name": input.name,
                    "email": input.email.as_str(),
                    "subject": input.subject,
                    "body": input.message,
                }}),
            )?;
            tx.commit()?;
            Ok(id)
        })
        .await?;
    tracing::info!(message = id, "contact message received");
    leptos_axum::redirect(&site.address(page_lang, "/contact?sent=1"));
    Ok(())
}

/// What a product page needs: the product and the ways to pay for it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ProductPage {
    pub product: Product,
    /// Its plans on sale (empty: the product is bought at its own price).
    pub plans: Vec<crate::domain::subscriptions::Plan>,
    pub gateways: Vec<Gateway>,
    /// Its words have a published version in the other language than the page's (or
    /// the page shows that version): the page names it as its translation.
    pub translated: bool,
}

#[server(prefix = "/api", endpoint = "site/products")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(kind = ?kind), err(level = "info")))]
pub async fn list_products(
    kind: ProductKind,
    #[server(default)] lang: Option<crate::domain::Lang>,
) -> Result<Vec<Product>, AppError> {
    let state = state()?;
    let version = reading_in(&state, lang).await?;
    Ok(state
        .cache
        .get_or_load(&state.db, format!("products:{kind}:{}", version.0), move |c, _| {
            catalog::public_by_kind(c, kind, version)
        })
        .await?)
}

#[server(prefix = "/api", endpoint = "site/product")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(kind = ?kind, slug = ?slug), err(level = "info")))]
pub async fn get_product(
    kind: ProductKind,
    slug: String,
    #[server(default)] lang: Option<crate::domain::Lang>,
) -> Result<ProductPage, AppError> {
    let state = state()?;
    if slug.len() > 100 {
        return Err(AppError::NotFound);
    }
    let version = reading_in(&state, lang).await?;
    let (product, plans, translated) = state
        .cache
        .get_or_load(&state.db, format!("product:{kind}:{slug}:{}", version.0), move |c, _| {
            let Some((product, translated)) = catalog::public_by_slug(c, kind, &slug, version)? else {
                return Ok(None);
            };
            let shown = (version.0 != version.1.default).then(|| version.0.as_str());
            let plans = crate::server::db::subscriptions::plans_on_sale_in(c, product.id, shown)?;
            Ok(Some((product, plans, translated)))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let gateways = state
        .offered_gateways()
        .await?
        .into_iter()
        .filter(|g| {
            *g != Gateway::Paypal
                || if plans.is_empty() {
                    product.price_usd_cents.is_some()
                } else {
                    plans.iter().any(|p| p.price_usd_cents.is_some())
                }
        })
        .collect();
    Ok(ProductPage { product, plans, gateways, translated })
}

/// Starts a purchase: creates the order at today's price and sends the buyer to the gateway.
#[server(prefix = "/api", endpoint = "site/checkout")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(slug = ?slug, gateway = ?gateway), err(level = "info")))]
pub async fn checkout(
    slug: String,
    gateway: String,
    #[server(default)] github_username: Option<String>,
    /// The plan bought (a product with plans needs one).
    #[server(default)]
    plan: Option<i64>,
    /// iPaymu: QRIS or a bank's virtual account.
    #[server(default)]
    channel: Option<String>,
    /// iPaymu: the buyer's phone number.
    #[server(default)]
    phone: Option<String>,
    /// A coupon code.
    #[server(default)]
    coupon: Option<String>,
) -> Result<(), AppError> {
    let state = state()?;
    let buyer = guard::require_role(None).await?;
    let request = crate::server::studio::checkout::Request {
        slug,
        gateway,
        github_username,
        plan,
        channel,
        phone,
        coupon,
        ..Default::default()
    };
    if request.names_a_coupon() {
        // Codes cannot be guessed at speed, from any one address.
        crate::server::auth::limit_caller(&state.abuse_limiter, &state.config.trusted_proxies, "coupon").await?;
    }
    let target = crate::server::studio::checkout::start(&state.checkout().await?, &buyer, request).await?;
    leptos_axum::redirect(&target);
    Ok(())
}

/// Whether a coupon code can be used for a product now, for the product page.
/// The same checks run again, under the write lock, when the order is made.
#[server(prefix = "/api", endpoint = "site/check_coupon")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(slug = ?slug), err(level = "info")))]
pub async fn check_coupon(slug: String, code: String) -> Result<crate::domain::coupons::CouponCheck, AppError> {
    use crate::domain::coupons::{normalize_code, CouponCheck};
    let state = state()?;
    crate::server::auth::limit_caller(&state.abuse_limiter, &state.config.trusted_proxies, "coupon").await?;
    let code = normalize_code(&code);
    if code.len() > 32 || slug.len() > 100 {
        return Ok(CouponCheck { code: String::new(), message: "There is no such coupon.".into(), valid: false });
    }
    // A code mailed to one address is checked against the signed-in person's.
    let viewer = guard::require_viewer().await.ok();
    let (lookup, product_slug) = (code.clone(), slug);
    let message = state
        .db
        .read(move |c| -> Result<Result<String, String>, crate::server::db::DbError> {
            let Some(product) = catalog::by_slug(c, &product_slug)? else { return Ok(Err(String::new())) };
            use crate::server::db::coupons;
            let Some(coupon) = coupons::by_code(c, &lookup)? else { return Ok(Err(coupons::unknown(&lookup))) };
            if let Some(why) = coupons::refusal(c, &coupon, product.id, crate::server::db::now())? {
                return Ok(Err(why.to_owned()));
            }
            if let Some(why) = viewer.as_ref().and_then(|v| coupon.refusal_for(&v.email)) {
                return Ok(Err(why.to_owned()));
            }
            let whose = if coupon.email.is_some() { " for the address it was mailed to" } else { "" };
            Ok(Ok(format!("Coupon {lookup}: {}{whose}, taken off at checkout.", coupon.discount.label())))
        })
        .await?;
    Ok(match message {
        Ok(message) => CouponCheck { code, message, valid: true },
        Err(message) if message.is_empty() => return Err(AppError::NotFound),
        Err(message) => CouponCheck { code, message, valid: false },
    })
}

/// The caller's own sandbox order, for the sandbox payment page; anybody else's is "not found".
#[server(prefix = "/api", endpoint = "site/sandbox_order")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(public_id = ?public_id), err(level = "info")))]
pub async fn sandbox_order(public_id: String) -> Result<OrderView, AppError> {
    let state = state()?;
    if !state.gateways.sandbox {
        return Err(AppError::NotFound);
    }
    let buyer = guard::require_viewer().await?;
    let order = state.db.read(move |c| orders::view_for_user(c, buyer.id, &public_id)).await?;
    order.filter(|o| o.gateway == Gateway::Sandbox).ok_or(AppError::NotFound)
}

/// The sandbox gateway's answer: "pay" or "fail", through the same path as real notifications.
#[server(prefix = "/api", endpoint = "site/sandbox_pay")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(order = ?order, outcome = ?outcome), err(level = "info")))]
pub async fn sandbox_pay(order: String, outcome: String) -> Result<(), AppError> {
    let state = state()?;
    if !state.gateways.sandbox {
        return Err(AppError::NotFound);
    }
    let buyer = guard::require_viewer().await?;
    let outcome = match outcome.as_str() {
        "pay" => Outcome::Paid,
        "fail" => Outcome::Failed,
        _ => return Err(AppError::validation("Choose Pay or Fail.")),
    };
    let config = state.config.clone();
    let public_id = order.clone();
    let order = state.db.run(move |c| orders::by_public_id(c, &public_id)).await?;
    let order = order.filter(|o| o.user_id == buyer.id && o.gateway == Gateway::Sandbox).ok_or(AppError::NotFound)?;
    let target = match order.invoice_id {
        Some(invoice) => format!("/client/invoices/{invoice}"),
        None => format!("/dashboard/orders/{}", order.public_id),
    };
    if order.status == OrderStatus::Pending || outcome == Outcome::Paid {
        let event = PaymentEvent {
            gateway: Gateway::Sandbox,
            event_key: format!("sandbox:{}:{}", order.public_id, outcome.as_str()),
            outcome,
            note: "sandbox payment page".into(),
            raw: format!("{{\"order_id\":\"{}\",\"outcome\":\"{}\"}}", order.public_id, outcome.as_str()),
        };
        state.db.run(move |c| payments::apply(c, &config, &order, &event)).await?;
    }
    leptos_axum::redirect(&target);
    Ok(())
}
