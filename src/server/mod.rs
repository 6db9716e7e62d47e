//! Everything that touches the database, the network or the filesystem.
//! Compiled only into the server binary (feature `ssr`).

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod delivery;
pub mod github;
pub mod http;
pub mod jobs;
pub mod mail;
pub mod markdown;
pub mod payments;
pub mod startup;
pub mod state;
pub mod telemetry;

pub use state::{state, AppState};
