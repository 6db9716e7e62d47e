//! Starting a purchase: the order at today's price (of the product, or of the plan
//! chosen or renewed), then where the buyer pays. Shared by the product page and
//! the renewal buttons of the member's subscriptions.

use super::billing;
use super::payments::{self, ipaymu::DirectRequest, midtrans::SnapRequest};
use crate::domain::billing::{Invoice, InvoiceStatus};
use crate::domain::coupons::normalize_code;
use crate::domain::orders::{Gateway, PayChannel};
use crate::domain::products::ProductStatus;
use crate::domain::Viewer;
use crate::error::AppError;
use crate::server::config::Config;
use crate::server::db::Db;
use crate::server::db::{self, catalog, orders, subscriptions as subs, DbError};
use crate::server::telemetry::chain;
use std::sync::Arc;

/// What starting a payment needs: the database, the settings, the gateways and
/// which of them the studio offers buyers now.
pub struct Deps<'a> {
    pub db: &'a Db,
    pub config: &'a Arc<Config>,
    pub gateways: &'a payments::gateways::Gateways,
    pub offered: Vec<Gateway>,
    /// The studio's clock now (an upgrade is priced by the days left).
    pub now: i64,
}

/// What the buyer asked for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub slug: String,
    pub gateway: String,
    pub github_username: Option<String>,
    /// The plan bought (a product with plans needs one).
    pub plan: Option<i64>,
    /// A renewal: the public id of the subscription it extends.
    pub renew: Option<String>,
    /// An upgrade to `plan` for the rest of the period: the subscription's public id.
    pub upgrade: Option<String>,
    /// iPaymu: QRIS or a bank's virtual account.
    pub channel: Option<String>,
    /// iPaymu: the buyer's phone number, which iPaymu requires.
    pub phone: Option<String>,
    /// A coupon code.
    pub coupon: Option<String>,
}

/// How an iPaymu buyer pays: the channel chosen and a phone number iPaymu accepts.
fn ipaymu_details(channel: Option<&str>, phone: Option<&str>) -> Result<(PayChannel, String), AppError> {
    let channel = channel
        .map(str::trim)
        .and_then(PayChannel::parse)
        .ok_or_else(|| AppError::validation("Choose how to pay: QRIS or a bank's virtual account."))?;
    let raw = phone.unwrap_or_default().trim();
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let allowed =
        raw.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || " -().".contains(c) || (c == '+' && i == 0));
    if !allowed || !(8..=15).contains(&digits.len()) {
        return Err(AppError::validation(
            "Enter your phone number (8 to 15 digits, e.g. 0812 3456 7890): iPaymu asks for it.",
        ));
    }
    Ok((channel, digits))
}

impl Request {
    /// Whether it names a coupon code (the caller limits how often an address may
    /// try one, so codes cannot be guessed at speed).
    pub fn names_a_coupon(&self) -> bool {
        self.coupon.as_deref().is_some_and(|c| !normalize_code(c).is_empty())
    }
}

/// Creates the order and returns where to send the buyer to pay.
pub async fn start(state: &Deps<'_>, buyer: &Viewer, request: Request) -> Result<String, AppError> {
    let Request { slug, gateway, github_username, plan, renew, upgrade, channel, phone, coupon } = request;
    let coupon = coupon.as_deref().map(normalize_code).filter(|c| !c.is_empty());

    let gateway = Gateway::parse(&gateway).ok_or_else(|| AppError::validation("Choose a way to pay."))?;
    if !state.offered.contains(&gateway) {
        return Err(AppError::validation("That way of paying is not available right now."));
    }
    let transfer = match gateway {
        Gateway::Ipaymu => Some(ipaymu_details(channel.as_deref(), phone.as_deref())?),
        _ => None,
    };
    let product = state.db.run(move |c| catalog::by_slug(c, &slug)).await?.ok_or(AppError::NotFound)?;
    let (product_id, buyer_id) = (product.id, buyer.id);
    let (plans, renewing, upgrading) = state
        .db
        .read(move |c| -> Result<_, crate::server::db::DbError> {
            let plans = subs::plans_for_product(c, product_id, true)?;
            let own = |public_id: Option<&str>| -> Result<_, crate::server::db::DbError> {
                Ok(match public_id.map(str::trim).filter(|r| !r.is_empty()) {
                    None => None,
                    Some(public_id) => Some(
                        subs::row_by_public_id(c, public_id)?
                            .filter(|s| s.user_id == buyer_id && plans.iter().any(|p| p.id == s.plan_id)),
                    ),
                })
            };
            let (renewing, upgrading) = (own(renew.as_deref())?, own(upgrade.as_deref())?);
            Ok((plans, renewing, upgrading))
        })
        .await?;
    // An upgrade: the dearer plan, priced by the days left of the period.
    let upgrade = match upgrading {
        None => None,
        Some(None) => return Err(AppError::NotFound),
        Some(Some(sub)) => Some(price_upgrade(&plans, &sub, plan, state.now)?),
    };
    // The plan paid for: a renewal's own plan (even one no longer sold) or the one
    // scheduled for the renewal, or the one chosen.
    let plan = match (renewing, plan) {
        _ if upgrade.is_some() => upgrade.as_ref().map(|u| (u.plan.clone(), None)),
        (Some(None), _) => return Err(AppError::NotFound),
        (Some(Some(sub)), _) => {
            if sub.status == crate::domain::subscriptions::SubscriptionStatus::Expired {
                return Err(AppError::validation(
                    "This subscription has expired: choose a plan on the product page to subscribe again.",
                ));
            }
            if sub.status == crate::domain::subscriptions::SubscriptionStatus::Paused {
                return Err(AppError::validation("This subscription is paused: resume it first, then renew it."));
            }
            let paid_for = sub.scheduled.map_or(sub.plan_id, |(plan, _)| plan);
            Some((plans.iter().find(|p| p.id == paid_for).cloned().ok_or(AppError::NotFound)?, Some(sub.id)))
        }
        (None, Some(id)) => match plans.iter().find(|p| p.id == id && !p.retired) {
            Some(p) => Some((p.clone(), None)),
            None => return Err(AppError::validation("That plan is not on sale any more. Choose another one.")),
        },
        (None, None) if plans.iter().any(|p| !p.retired) => {
            return Err(AppError::validation("Choose a plan."));
        }
        (None, None) => None,
    };
    let existing = upgrade.is_some() || plan.as_ref().is_some_and(|(_, renews)| renews.is_some());
    if product.status != ProductStatus::Active && !existing {
        return Err(AppError::validation("This product is not on sale right now."));
    }
    if product.delivery_kind == crate::domain::delivery::DeliveryKind::GithubInvite {
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
    let (price_idr, price_usd) = match (&upgrade, &plan) {
        (Some(u), _) => (u.idr, u.usd),
        (None, Some((p, _))) => (p.price_idr, p.price_usd_cents),
        (None, None) => (product.price_idr, product.price_usd_cents),
    };
    let (amount, currency) = match gateway {
        Gateway::Paypal => (price_usd.ok_or_else(|| AppError::validation("This cannot be paid with PayPal."))?, "USD"),
        Gateway::Midtrans | Gateway::Ipaymu | Gateway::Sandbox => (price_idr, "IDR"),
    };
    let (user_id, buyer_email, mut p) = (buyer.id, buyer.email.clone(), product.clone());
    match (&upgrade, &plan) {
        (Some(u), _) => {
            p.name = format!(
                "{} (upgrade to the {} plan for {} of {} days)",
                product.name, u.plan.name, u.proration.days_left, u.proration.days_total
            )
        }
        (None, Some((plan, _))) => p.name = format!("{} ({} plan)", product.name, plan.name),
        (None, None) => {}
    }
    let plan_ids = plan.as_ref().map(|(plan, renews)| (plan.id, *renews));
    let upgrades = upgrade.as_ref().map(|u| u.subscription_id);
    let code = coupon.clone();
    let priced = state
        .db
        .run(move |c| -> Result<Result<_, String>, crate::server::db::DbError> {
            // One write transaction: the coupon's uses are counted and one held by
            // this order before any other checkout can count them.
            let tx = c.transaction()?;
            let mut discount = None;
            if let Some(code) = code {
                let buyer = Buyer { id: user_id, email: &buyer_email };
                match price_with_coupon(&tx, &code, p.id, &buyer, amount, currency)? {
                    Ok(found) => discount = Some(found),
                    Err(refusal) => return Ok(Err(refusal)),
                }
            }
            let off = discount.map_or(0, |(_, off)| off);
            let order = orders::create(&tx, user_id, &p, gateway, amount - off, currency)?;
            if let Some((coupon_id, off)) = discount {
                crate::server::db::coupons::hold(&tx, order.id, coupon_id, off)?;
            }
            match (plan_ids, upgrades) {
                (Some((plan_id, _)), Some(sub)) => subs::set_order_upgrade(&tx, order.id, plan_id, sub)?,
                (Some((plan_id, renews)), None) => subs::set_order_plan(&tx, order.id, plan_id, renews)?,
                (None, _) => {}
            }
            tx.commit()?;
            Ok(Ok((order, off)))
        })
        .await?;
    let (order, discount) = priced.map_err(AppError::validation)?;
    let amount = order.amount;
    if amount == 0 {
        // Paid in full by the coupon: nothing to collect, so it is paid now, through
        // the same path as a gateway's confirmation (receipt, mail, delivery, once).
        let event = payments::PaymentEvent {
            gateway,
            event_key: format!("coupon:{}", order.public_id),
            outcome: payments::Outcome::Paid,
            note: format!("paid in full with coupon {}", coupon.as_deref().unwrap_or_default()),
            raw: String::new(),
        };
        let (config, paid) = (state.config.clone(), order.clone());
        state.db.run(move |c| payments::apply(c, &config, &paid, &event)).await?;
        return Ok(format!("/dashboard/orders/{}", order.public_id));
    }
    let order_page = state.config.url(&format!("/dashboard/orders/{}", order.public_id));
    let unavailable = |err: payments::GatewayError| {
        tracing::error!(order = %order.public_id, error = %crate::server::telemetry::chain(&err), "creating the payment failed");
        AppError::validation(
            "The payment provider did not answer. Nothing was charged; please try again in a few minutes.",
        )
    };
    // Where the buyer goes next, and how to pay when it is by transfer.
    let mut transfer_instructions = None;
    let target = match gateway {
        Gateway::Midtrans => {
            let midtrans = state.gateways.midtrans.clone().ok_or(AppError::Internal)?;
            midtrans
                .create(&SnapRequest {
                    order_id: &order.public_id,
                    gross_amount: amount,
                    discount: coupon.as_deref().filter(|_| discount > 0).map(|code| (code, discount)),
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
        Gateway::Ipaymu => {
            let ipaymu = state.gateways.ipaymu.clone().ok_or(AppError::Internal)?;
            let (channel, phone) = transfer.ok_or(AppError::Internal)?;
            let direct = ipaymu
                .create_direct(&DirectRequest {
                    order_id: &order.public_id,
                    amount,
                    item_name: &match coupon.as_deref().filter(|_| discount > 0) {
                        Some(code) => format!("{} (coupon {code})", product.name),
                        None => product.name.clone(),
                    },
                    channel,
                    buyer_name: &buyer.name,
                    buyer_email: &buyer.email,
                    buyer_phone: &phone,
                    notify_url: &state.config.url("/api/payment/ipaymu/notify"),
                    hours: 24,
                })
                .await
                .map_err(unavailable)?;
            let (id, instructions) = (order.id, direct.instructions.clone());
            state
                .db
                .run(move |c| -> Result<(), crate::server::db::DbError> {
                    let tx = c.transaction()?;
                    orders::set_gateway_ref(&tx, id, &direct.transaction_id)?;
                    orders::save_instructions(&tx, id, &instructions)?;
                    tx.commit()?;
                    Ok(())
                })
                .await?;
            transfer_instructions = Some(direct.instructions);
            // The buyer pays from their bank or e-wallet app; the order page shows how.
            format!("/dashboard/orders/{}", order.public_id)
        }
        Gateway::Sandbox => format!("/checkout/sandbox/{}", order.public_id),
    };
    // How to pay, by mail, and the reminder before the deadline (never for the sandbox).
    let (config, started, link, now) = (state.config.clone(), order.clone(), target.clone(), db::now());
    state
        .db
        .run(move |c| -> Result<(), crate::server::db::DbError> {
            let link = if link.starts_with('/') { config.url(&link) } else { link };
            payments::status_mail::payment_started(c, &config, &started, &link, transfer_instructions.as_ref(), now)
        })
        .await?;
    Ok(target)
}

/// An upgrade priced: the plan, what is paid now in rupiah (and in cents when
/// both plans have a dollar price), and the days it pays for.
struct UpgradePrice {
    plan: crate::domain::subscriptions::Plan,
    subscription_id: i64,
    idr: i64,
    usd: Option<i64>,
    proration: crate::domain::subscriptions::Proration,
}

/// Checks an upgrade of `sub` to the plan `wanted` and prices it at `now`.
fn price_upgrade(
    plans: &[crate::domain::subscriptions::Plan],
    sub: &subs::SubscriptionRow,
    wanted: Option<i64>,
    now: i64,
) -> Result<UpgradePrice, AppError> {
    use crate::domain::subscriptions::{change_kind, ChangeKind, Proration, SubscriptionStatus};
    if sub.status != SubscriptionStatus::Active || sub.current_period_end <= now {
        return Err(AppError::validation("Only an active subscription can be upgraded."));
    }
    let current = plans.iter().find(|p| p.id == sub.plan_id).ok_or(AppError::NotFound)?;
    let plan = wanted
        .and_then(|id| plans.iter().find(|p| p.id == id && !p.retired))
        .ok_or_else(|| AppError::validation("That plan is not on sale any more. Choose another one."))?;
    if change_kind(current, plan) != ChangeKind::Upgrade {
        return Err(AppError::validation(
            "That plan is not an upgrade: a cheaper plan or another period starts at your next renewal.",
        ));
    }
    let proration = Proration::at(sub.current_period_start, sub.current_period_end, now);
    let usd = match (current.price_usd_cents, plan.price_usd_cents) {
        (Some(from), Some(to)) if to > from => Some(proration.of(to - from)),
        _ => None,
    };
    Ok(UpgradePrice {
        plan: plan.clone(),
        subscription_id: sub.id,
        idr: proration.of(plan.price_idr - current.price_idr),
        usd,
        proration,
    })
}

/// Who is buying, for a coupon's checks.
struct Buyer<'a> {
    id: i64,
    email: &'a str,
}

/// The coupon's id and what it takes off `amount`, or why it cannot be used:
/// unknown, off, expired, for another product, mailed to another address, already
/// held by this buyer's order awaiting payment, for another currency, used up (uses
/// spent and held by orders awaiting payment).
fn price_with_coupon(
    tx: &rusqlite::Transaction<'_>,
    code: &str,
    product_id: i64,
    buyer: &Buyer<'_>,
    amount: i64,
    currency: &str,
) -> Result<Result<(i64, i64), String>, crate::server::db::DbError> {
    use crate::server::db::coupons;
    let now = crate::server::db::now();
    let Some(coupon) = coupons::by_code(tx, code)? else { return Ok(Err(coupons::unknown(code))) };
    if let Some(why) = coupon.refusal_for(buyer.email) {
        return Ok(Err(why.to_owned()));
    }
    if let Some(order) = coupons::pending_for_buyer(tx, coupon.id, buyer.id, now)? {
        return Ok(Err(format!(
            "Your order {order} with this code is waiting for payment: pay it from your orders, or wait until it \
             expires to use the code again."
        )));
    }
    if let Some(why) = coupons::refusal(tx, &coupon, product_id, now)? {
        return Ok(Err(why.to_owned()));
    }
    let currency = crate::domain::Currency::parse(currency).unwrap_or(crate::domain::Currency::Idr);
    Ok(coupon.discount.off(amount, currency).map(|off| (coupon.id, off)).map_err(|e| e.0))
}

/// Starts paying an open invoice of the caller's client online: the order that
/// pays it, then where to pay (the provider's page or the sandbox's).
pub async fn start_invoice_payment(
    state: &Deps<'_>,
    me: &Viewer,
    invoice_id: i64,
    gateway: &str,
) -> Result<String, AppError> {
    let gateway = Gateway::parse(gateway).ok_or_else(|| AppError::validation("Choose a way to pay."))?;
    if !state.offered.contains(&gateway) {
        return Err(AppError::validation("That way of paying is not available right now."));
    }
    if gateway == Gateway::Ipaymu {
        return Err(AppError::validation(
            "Invoices are paid through Midtrans (cards, bank transfer, e-wallets), PayPal, or by bank transfer.",
        ));
    }
    let user = me.id;
    let created = state
        .db
        .run(move |c| -> Result<Result<(Invoice, db::orders::OrderRow), billing::Refused>, DbError> {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let Some(client) = db::clients::client_of(&tx, user)? else { return Ok(Err(billing::Refused::NotFound)) };
            let Some(invoice) = db::billing::invoice_for_client(&tx, client, invoice_id)? else {
                return Ok(Err(billing::Refused::NotFound));
            };
            if !invoice.status.is_open() {
                return Ok(Err(billing::Refused::Because(match invoice.status {
                    InvoiceStatus::Paid => "This invoice is already paid.",
                    _ => "This invoice cannot be paid: it was voided.",
                })));
            }
            if gateway == Gateway::Paypal && invoice.usd_cents.is_none() {
                return Ok(Err(billing::Refused::Because(
                    "This invoice has no amount in US dollars, which PayPal needs: pay it with Midtrans or by bank transfer.",
                )));
            }
            let order = db::billing::create_payment(&tx, user, &invoice, gateway)?;
            tx.commit()?;
            Ok(Ok((invoice, order)))
        })
        .await?;
    let (invoice, order) = created?;
    match gateway {
        Gateway::Midtrans => {
            let midtrans = state.gateways.midtrans.clone().ok_or(AppError::Internal)?;
            let number = invoice.label();
            midtrans
                .create(&SnapRequest {
                    order_id: &order.public_id,
                    gross_amount: order.amount,
                    discount: None,
                    item_id: &number,
                    item_name: &format!("Invoice {number}"),
                    customer_name: &me.name,
                    customer_email: &me.email,
                    finish_url: &billing::invoice_link(state.config, &invoice),
                })
                .await
                .map_err(|err| {
                    tracing::error!(order = %order.public_id, error = %chain(&err), "creating the invoice's payment failed");
                    AppError::validation("The payment provider did not answer. Nothing was charged; please try again in a few minutes.")
                })
        }
        Gateway::Paypal => {
            let paypal = state.gateways.paypal.clone().ok_or(AppError::Internal)?;
            let (paypal_id, approve) = paypal
                .create_order(
                    &order.public_id,
                    order.amount,
                    &state.config.url("/checkout/paypal/return"),
                    &billing::invoice_link(state.config, &invoice),
                )
                .await
                .map_err(|err| {
                    tracing::error!(order = %order.public_id, error = %chain(&err), "creating the invoice's PayPal order failed");
                    AppError::validation("PayPal did not answer. Nothing was charged; please try again in a few minutes.")
                })?;
            let id = order.id;
            state.db.run(move |c| db::orders::set_gateway_ref(c, id, &paypal_id)).await?;
            Ok(approve)
        }
        _ => Ok(format!("/checkout/sandbox/{}", order.public_id)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipaymu_needs_a_channel_and_a_phone_number() {
        assert_eq!(
            ipaymu_details(Some("bca"), Some("+62 812-3456-7890")).unwrap(),
            (PayChannel::Bca, "6281234567890".into())
        );
        assert_eq!(ipaymu_details(Some("qris"), Some("081234567")).unwrap().0, PayChannel::Qris);
        for (channel, phone) in [
            (None, Some("081234567")),
            (Some("paypal"), Some("081234567")),
            (Some("bca"), None),
            (Some("bca"), Some("12345")),
            (Some("bca"), Some("0812x34567")),
            (Some("bca"), Some("0812+34567")),
        ] {
            assert!(ipaymu_details(channel, phone).is_err(), "{channel:?} {phone:?}");
        }
    }
}
