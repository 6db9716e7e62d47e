//! Everything that touches the database, the network or the filesystem, in two
//! floors: the infrastructure here (database, jobs, mail, HTTP helpers, the page
//! cache, compression, telemetry, clock, configuration, sessions and passwords), and
//! the studio's features over it in [`studio`]. Infrastructure never names a feature;
//! the application's state (`state`), the worker's dispatch (`worker`) and the demo
//! seed are where the two meet. Compiled only into the server binary (feature `ssr`).

pub mod auth;
pub mod cache;
pub mod clock;
pub mod compress;
pub mod config;
pub mod db;
pub mod headers;
pub mod http;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod maintenance;
pub mod markdown;
pub mod metrics;
pub mod pdf;
pub mod rate_limit;
pub mod render;
pub mod seed;
pub mod state;
pub mod storage;
pub mod studio;
pub mod telemetry;
pub mod typed_input;
pub mod worker;

pub use state::{state, AppState};
