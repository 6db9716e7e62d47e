//! Every server function of the admin area, by topic (each topic's own `api`):
//! named here by the pages of `admin` itself and by tests.

pub use super::analytics::api::*;
pub use super::billing::api::*;
pub use super::clients::api::*;
pub use super::content::api::*;
pub use super::coupons::api::*;
pub use super::inbox::api::*;
pub use super::jobs::api::*;
pub use super::orders::api::*;
pub use super::overview::api::*;
pub use super::product_files::api::*;
pub use super::products::api::*;
pub use super::projects::api::*;
pub use super::settings::api::*;
pub use super::subscriptions::api::*;
pub use super::uploads::api::*;
pub use super::users::api::*;
pub use super::waitlist::api::*;
