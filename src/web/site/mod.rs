//! The public site's plain HTTP routes: payment webhooks and returns, signed
//! downloads, the license API, feeds for machines, mail unsubscribes and tools.

pub mod downloads;
pub mod feeds;
pub mod identity;
pub mod licenses;
pub mod tools;
pub mod unsubscribe;
pub mod webhooks;

use crate::server::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

/// This area's plain HTTP routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/payment/midtrans/notification",
            post(webhooks::midtrans_notification).layer(DefaultBodyLimit::max(webhooks::MAX_BODY)),
        )
        .route(
            "/api/payment/paypal/webhook",
            post(webhooks::paypal_webhook).layer(DefaultBodyLimit::max(webhooks::MAX_BODY)),
        )
        .route(
            "/api/payment/ipaymu/notify",
            post(webhooks::ipaymu_notify).layer(DefaultBodyLimit::max(webhooks::MAX_BODY)),
        )
        .route("/checkout/paypal/return", get(webhooks::paypal_return))
        .route("/files/{token}", get(downloads::download))
        .route("/api/licenses/validate", post(licenses::validate))
        .route("/api/licenses/activate", post(licenses::activate))
        .route("/api/licenses/deactivate", post(licenses::deactivate))
        .route("/api/licenses/public-key", get(licenses::public_key))
        .route("/api/licenses/revoked", get(licenses::revoked))
        .route("/robots.txt", get(feeds::robots))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/blog/feed.xml", get(feeds::blog_feed))
        .route("/manifest.webmanifest", get(identity::manifest))
        .route("/theme.css", get(identity::theme))
        .route("/logo.png", get(identity::logo))
        .route("/icons/{file}", get(identity::icon))
        .route("/favicon.svg", get(identity::favicon))
        .route("/mail/unsubscribe", get(unsubscribe::form).post(unsubscribe::confirm))
        .route("/api/tools/{slug}/use", post(tools::use_tool).layer(DefaultBodyLimit::max(tools::MAX_BODY)))
        .route("/api/user/usage", get(tools::user_usage))
}
