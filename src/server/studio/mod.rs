//! The studio's features, each over the infrastructure in `server`: payments and
//! checkout, delivery (downloads, GitHub invites, license keys), billing and
//! receipts, client work, subscriptions, member tools, product files, waitlist
//! launches, analytics, licensing, notifications and the studio's settings.

pub mod analytics;
pub mod billing;
pub mod checkout;
pub mod delivery;
pub mod github;
pub mod home;
pub mod licensing;
pub mod logo;
pub mod navigation;
pub mod notify;
pub mod payments;
pub mod product_files;
pub mod receipts;
pub mod settings;
pub mod subscriptions;
pub mod tools;
pub mod versions;
pub mod waitlist_launch;
pub mod webhooks;
pub mod work;
