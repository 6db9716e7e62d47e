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
/// The composition root: the router, the layers and the server's commands. The
/// only module that sees every other (imports point down: domain <- server <-
/// components <- routes <- app <- startup).
#[cfg(feature = "ssr")]
pub mod startup;
/// Plain HTTP handlers, the session guard and request middleware (see `web`).
#[cfg(feature = "ssr")]
pub mod web;

/// Entry point of the WebAssembly bundle. Pages are rendered on the server only
/// ("islands"): this prepares the runtime, and Leptos' loader then hydrates each
/// `#[island]` on the page. The bundle holds the islands, not the pages.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // The loader hydrates the islands right after this returns, in microtasks;
    // a task queued now runs once they are all interactive (tests wait for the mark).
    leptos::prelude::set_timeout(
        || {
            if let Some(body) = leptos::prelude::document().body() {
                let _ = body.set_attribute("data-hydrated", "");
            }
        },
        std::time::Duration::ZERO,
    );
}
