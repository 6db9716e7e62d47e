//! Everything that touches the database, the network or the filesystem.
//! Compiled only into the server binary (feature `ssr`).

pub mod analytics;
pub mod auth;
pub mod billing;
pub mod cache;
pub mod checkout;
pub mod clock;
pub mod compress;
pub mod config;
pub mod db;
pub mod delivery;
pub mod github;
pub mod headers;
pub mod http;
pub mod jobs;
pub mod licensing;
pub mod mail;
pub mod maintenance;
pub mod markdown;
pub mod metrics;
pub mod notify;
pub mod payments;
pub mod pdf;
pub mod product_files;
pub mod rate_limit;
pub mod receipts;
pub mod render;
pub mod seed;
pub mod settings;
pub mod state;
pub mod subscriptions;
pub mod telemetry;
pub mod tools;
pub mod typed_input;
pub mod waitlist_launch;
pub mod work;
pub mod worker;

pub use state::{state, AppState};
