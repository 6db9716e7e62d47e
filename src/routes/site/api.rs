//! Server functions of the public site: catalog reads and checkout.

use crate::domain::catalog::{Gateway, Product, ProductKind};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::catalog::{OrderStatus, ProductStatus},
    server::{
        auth::guard,
        db::{catalog, orders},
        payments::{self, midtrans::SnapRequest, Outcome, PaymentEvent},
        state,
    },
};

/// What a product page needs: the product and the ways to pay for it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ProductPage {
    pub product: Product,
    pub gateways: Vec<Gateway>,
}

#[server(prefix = "/api", endpoint = "site/products")]
pub async fn list_products(kind: ProductKind) -> Result<Vec<Product>, AppError> {
    let state = state()?;
    Ok(state.db.run(move |c| catalog::public_by_kind(c, kind)).await?)
}

#[server(prefix = "/api", endpoint = "site/product")]
pub async fn get_product(kind: ProductKind, slug: String) -> Result<ProductPage, AppError> {
    let state = state()?;
    let product = state.db.run(move |c| catalog::public_by_slug(c, kind, &slug)).await?.ok_or(AppError::NotFound)?;
    let gateways = state
        .gateways
        .enabled()
        .into_iter()
        .filter(|g| *g != Gateway::Paypal || product.price_usd_cents.is_some())
        .collect();
    Ok(ProductPage { product, gateways })
}

/// Starts a purchase: creates the order at today's price and sends the buyer to the gateway.
#[server(prefix = "/api", endpoint = "site/checkout")]
pub async fn checkout(
    slug: String,
    gateway: String,
    #[server(default)] github_username: Option<String>,
) -> Result<(), AppError> {
    let state = state()?;
    let buyer = guard::require_role(None).await?;
    let gateway = Gateway::parse(&gateway).ok_or_else(|| AppError::validation("Choose a way to pay."))?;
    if !state.gateways.enabled().contains(&gateway) {
        return Err(AppError::validation("That way of paying is not available right now."));
    }
    let product = state.db.run(move |c| catalog::by_slug(c, &slug)).await?.ok_or(AppError::NotFound)?;
    if product.status != ProductStatus::Active {
        return Err(AppError::validation("This product is not on sale right now."));
    }
    if product.delivery_kind == crate::domain::catalog::DeliveryKind::GithubInvite {
        // Access is granted to a GitHub account: ask for it before taking money.
        let given = github_username.as_deref().filter(|u| !u.trim().is_empty());
        let buyer_id = buyer.id;
        let saved = state.db.run(move |c| crate::server::db::users::github_username(c, buyer_id)).await?;
        match (given, saved) {
            (Some(raw), _) => {
                let username = crate::domain::account::validate_github_username(raw)?;
                let id = buyer.id;
                state.db.run(move |c| crate::server::db::users::set_github_username(c, id, &username)).await?;
            }
            (None, Some(_)) => {}
            (None, None) => {
                return Err(AppError::validation(
                    "Enter your GitHub username: the repository invitation is sent to it.",
                ))
            }
        }
    }
    let (amount, currency) = match gateway {
        Gateway::Paypal => (
            product.price_usd_cents.ok_or_else(|| AppError::validation("This product cannot be paid with PayPal."))?,
            "USD",
        ),
        Gateway::Midtrans | Gateway::Sandbox => (product.price_idr, "IDR"),
    };
    let (user_id, p) = (buyer.id, product.clone());
    let order = state.db.run(move |c| orders::create(c, user_id, &p, gateway, amount, currency)).await?;
    let order_page = state.config.url(&format!("/dashboard/orders/{}", order.public_id));
    let unavailable = |err: payments::GatewayError| {
        tracing::error!(order = %order.public_id, error = %crate::server::telemetry::chain(&err), "creating the payment failed");
        AppError::validation(
            "The payment provider did not answer. Nothing was charged; please try again in a few minutes.",
        )
    };
    let target = match gateway {
        Gateway::Midtrans => {
            let midtrans = state.gateways.midtrans.clone().ok_or(AppError::Internal)?;
            midtrans
                .create(&SnapRequest {
                    order_id: &order.public_id,
                    gross_amount: amount,
                    item_id: &product.slug,
                    item_name: &product.name,
                    customer_name: &buyer.name,
                    customer_email: &buyer.email,
                    finish_url: &order_page,
                })
                .await
                .map_err(unavailable)?
        }
        Gateway::Paypal => {
            let paypal = state.gateways.paypal.clone().ok_or(AppError::Internal)?;
            let (paypal_id, approve) = paypal
                .create_order(&order.public_id, amount, &state.config.url("/checkout/paypal/return"), &order_page)
                .await
                .map_err(unavailable)?;
            let id = order.id;
            state.db.run(move |c| orders::set_gateway_ref(c, id, &paypal_id)).await?;
            approve
        }
        Gateway::Sandbox => format!("/checkout/sandbox/{}", order.public_id),
    };
    leptos_axum::redirect(&target);
    Ok(())
}

/// The sandbox gateway's answer: "pay" or "fail", through the same path as real notifications.
#[server(prefix = "/api", endpoint = "site/sandbox_pay")]
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
    let target = format!("/dashboard/orders/{}", order.public_id);
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
