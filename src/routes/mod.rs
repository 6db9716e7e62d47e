//! Pages and server functions, one folder per route group. Each group's server
//! functions (public HTTP endpoints) are in its `api.rs`.

pub mod admin;
pub mod auth;
pub mod client;
pub mod dashboard;
pub mod site;
