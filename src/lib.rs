//! Atelier: the web presence and back office of a small digital studio.
//!
//! The crate compiles twice: natively with `ssr` (the server binary) and to
//! WebAssembly with `hydrate` (the browser). Everything that touches the
//! database, the network or the filesystem lives in [`server`], gated once here.

#![recursion_limit = "256"]

pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod routes;

#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the WebAssembly bundle: attaches the app to the server-rendered HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
